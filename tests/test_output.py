"""Nothing lost, nothing half-written: standard output that fails, a reader that
goes away, and files written whole or not at all. Real file descriptors, so
these run the tool in a subprocess."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
from pathlib import Path

import pytest

from crema_budget.cli import output
from crema_budget.errors import ExitCode, OutputError

TOOL = [sys.executable, "-m", "crema_budget"]
ENV = {**os.environ, "COLUMNS": "100", "NO_COLOR": "1", "LANG": "it_IT.UTF-8"}


def run_tool(*args: str, **options: object) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(  # type: ignore[call-overload, no-any-return]
        [*TOOL, *args], env=ENV, capture_output=True, timeout=60, check=False, **options
    )


COMMANDS = [
    ("totals",),
    ("check",),
    ("nido", "-n", "23"),
    ("risorse", "--voci"),
    ("schema",),
    ("--help",),
    ("totals", "--help"),
    ("--version",),
    ("totals", "-f", "json"),
]


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_full_disk_is_exit_2_with_a_message(args: tuple[str, ...]) -> None:
    """Standard output on a full disk: one line on stderr and exit 2 (never 1, which
    `check` keeps for a wrong figure), no traceback."""
    with open("/dev/full", "wb") as full:
        result = subprocess.run(
            [*TOOL, *args], env=ENV, stdout=full, stderr=subprocess.PIPE, timeout=60, check=False
        )
    stderr = result.stderr.decode()
    assert result.returncode == ExitCode.BAD_INPUT, stderr
    assert stderr.startswith("crema-budget: ")
    assert "Traceback" not in stderr
    assert "Exception ignored" not in stderr
    assert len(stderr.strip().splitlines()) == 1
    assert stderr.rstrip().endswith("spazio esaurito sul disco")  # the system's reason, in Italian


@pytest.mark.parametrize("args", [("nido", "-n", "23"), ("check",), ("--help",)], ids=" ".join)
def test_closed_stdout_is_exit_2_with_a_message(args: tuple[str, ...]) -> None:
    """Run with standard output closed (`>&-`): a message, exit 2, no AttributeError."""
    result = subprocess.run(
        ["sh", "-c", 'exec "$@" >&-', "sh", *TOOL, *args],
        env=ENV,
        stderr=subprocess.PIPE,
        timeout=60,
        check=False,
    )
    stderr = result.stderr.decode()
    assert result.returncode == ExitCode.BAD_INPUT, stderr
    assert stderr.startswith("crema-budget: ")
    assert "Traceback" not in stderr


@pytest.mark.parametrize("args", [("check",), ("totals",), ("risorse", "--voci")], ids=" ".join)
def test_reader_going_away_ends_quietly(args: tuple[str, ...]) -> None:
    """`crema-budget check | head -1`: the tool stops quietly when the reader goes away
    (exit 141 as a shell reports it), with nothing on stderr."""
    process = subprocess.Popen(
        [*TOOL, *args],
        env={**ENV, "COLUMNS": "60"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None
    assert process.stderr is not None
    process.stdout.close()  # the reader is gone before the tool writes
    stderr = process.stderr.read().decode()
    process.wait(timeout=60)
    assert process.returncode == ExitCode.PIPE_CLOSED, stderr
    assert stderr == ""


def test_head_reads_the_first_line() -> None:
    """Through a real shell pipe, `head -1` gets the first line and the shell sees no error."""
    result = subprocess.run(
        ["sh", "-c", f'{" ".join(TOOL)} check | head -1; echo "status ${{PIPESTATUS:-x}}"'],
        env=ENV,
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0
    assert result.stderr.decode() == ""
    assert result.stdout.decode().splitlines()[0].strip()


def test_failed_write_keeps_the_previous_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A write that fails half-way (a full disk) leaves the previous file whole and no
    temporary file behind."""
    target = tmp_path / "totali.csv"
    target.write_text("the previous report\n", encoding="utf-8")

    def full_disk(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full_disk)
    with pytest.raises(OutputError, match=r"totali\.csv"):
        output.write_file(target, "a new report\n")
    assert target.read_text(encoding="utf-8") == "the previous report\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["totali.csv"]


def test_write_replaces_and_keeps_permissions(tmp_path: Path) -> None:
    """A successful write replaces the file whole and keeps its permissions."""
    target = tmp_path / "totali.csv"
    target.write_text("old\n", encoding="utf-8")
    target.chmod(0o640)
    assert output.write_file(target, "new\n") == 4
    assert target.read_text(encoding="utf-8") == "new\n"
    assert target.stat().st_mode & 0o777 == 0o640


def test_output_into_a_missing_folder(tmp_path: Path) -> None:
    """An output path in a folder that does not exist: exit 2 naming the path."""
    result = run_tool("totals", "-o", str(tmp_path / "no" / "such" / "totali.csv"))
    assert result.returncode == ExitCode.BAD_INPUT
    assert b"totali.csv" in result.stderr
    assert "il file o la cartella non esiste" in result.stderr.decode()
    assert b"Traceback" not in result.stderr


def test_binary_format_refused_on_a_terminal_only(tmp_path: Path) -> None:
    """xlsx to a pipe is fine (it is bytes for a program); the file starts as a zip."""
    result = run_tool("totals", "-f", "xlsx")
    assert result.returncode == 0
    assert result.stdout.startswith(b"PK")
