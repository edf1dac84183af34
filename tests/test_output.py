"""Nothing lost, nothing half-written: standard output that fails, a reader that
goes away, and files written whole or not at all. Real file descriptors, so
these run the tool in a subprocess."""

from __future__ import annotations

import errno
import json
import os
import shutil
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from conftest import Invoke

from crema_budget.cli import output
from crema_budget.errors import ExitCode, OutputError
from crema_budget.reading import source

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"

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


# --- `-o` never replaces what the run reads, nor a special file ----------------------

FPA40 = "IT01555550191_00040.xml"
FPA45 = "IT01555550191_00045.xml"
FPA61 = "IT01555550191_00061.xml.p7m"


@pytest.fixture
def year(tmp_path: Path, data_text: str) -> Path:
    """A copy of the example register naming its agreement (`accordo: ambiti.yaml`),
    with the agreement and the folder of e-invoices beside it."""
    folder = tmp_path / "anno"
    shutil.copytree(EXAMPLES / "fatture", folder / "fatture")
    register = (EXAMPLES / "registro_2016.yaml").read_text(encoding="utf-8")
    (folder / "registro.yaml").write_text(register + "accordo: ambiti.yaml\n", encoding="utf-8")
    (folder / "ambiti.yaml").write_text(data_text, encoding="utf-8")
    return folder


MONITOR = ("monitor", "--registro", "{year}/registro.yaml", "--al", "2016-06-30")
REPORT = ("report", "--registro", "{year}/registro.yaml", "--al", "2016-06-30")


@pytest.mark.parametrize(
    ("args", "output", "read"),
    [
        ((*MONITOR, "-f", "json"), "registro.yaml", "registro.yaml"),
        ((*MONITOR, "-f", "json"), "ambiti.yaml", "ambiti.yaml"),
        ((*MONITOR, "-f", "html"), f"fatture/{FPA45}", f"fatture/{FPA45}"),
        ((*REPORT, "-f", "html"), f"fatture/{FPA61}", f"fatture/{FPA61}"),
        ((*MONITOR,), "link-to-the-agreement.json", "ambiti.yaml"),
        ((*MONITOR,), "hard-link-to-an-invoice.html", f"fatture/{FPA40}"),
        (("fatture", "{year}/fatture", "-f", "json"), f"fatture/{FPA61}", f"fatture/{FPA61}"),
        (("fatture", f"{{year}}/fatture/{FPA40}", "-f", "csv"), f"fatture/{FPA40}", None),
        (
            ("--data", "{year}/ambiti.yaml", "diff", "--al", "2016-12-31", "-f", "csv"),
            "ambiti.yaml",
            None,
        ),
        (("bozza", "--data", "{year}/ambiti.yaml"), "ambiti.yaml", None),
    ],
    ids=[
        "the register",
        "its agreement",
        "an e-invoice of its folder",
        "report: a signed e-invoice",
        "a symbolic link to the agreement",
        "a hard link to an e-invoice",
        "fatture: a file of a folder given",
        "fatture: a file given",
        "diff: the file compared",
        "bozza: its source",
    ],
)
def test_output_never_replaces_a_file_the_run_reads(
    invoke: Invoke, year: Path, args: tuple[str, ...], output: str, read: str | None
) -> None:
    """`-o` naming any file the run reads, by its name, through a symbolic link or a
    hard link, or in a folder it reads, is a usage error; the file is untouched."""
    if output.startswith("link"):
        (year / output).symlink_to(year / read)  # type: ignore[operator]
    elif output.startswith("hard"):
        os.link(year / read, year / output)  # type: ignore[operator]
    target = year / (read or output)
    before = target.read_bytes()
    result = invoke(*(arg.format(year=year) for arg in args), "-o", str(year / output))
    assert result.exit_code == ExitCode.BAD_INPUT, result.stderr
    assert target.read_bytes() == before
    assert str(target) in result.stderr
    assert "che questa esecuzione legge; scegliere un altro file di uscita" in result.stderr
    assert (year / output).exists()


def test_output_never_replaces_the_embedded_agreement(
    invoke: Invoke, tmp_path: Path, data_text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without --data the embedded agreement is read: a link to it is refused too (the
    embedded file is a copy here, so a failure harms nothing)."""
    embedded = tmp_path / "ambiti_2016.yaml"
    embedded.write_text(data_text, encoding="utf-8")
    monkeypatch.setattr(source, "default_data_path", lambda: embedded)
    (tmp_path / "totali.json").symlink_to(embedded)
    result = invoke("totals", "-o", str(tmp_path / "totali.json"))
    assert result.exit_code == ExitCode.BAD_INPUT
    assert embedded.read_text(encoding="utf-8") == data_text


def test_output_to_a_fifo_is_a_stream(invoke: Invoke, tmp_path: Path) -> None:
    """`-o pipe.json` onto a FIFO writes into it, as `tee` would: the reader gets the
    document and the FIFO is still a FIFO (it used to be replaced by a plain file)."""
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    result = invoke("totals", "-o", str(fifo))
    reader.join(timeout=30)
    assert result.exit_code == 0, result.stderr
    assert received, "nothing reached the reader"
    assert json.loads(received[0])["totale"] == "1302537.59"
    assert stat.S_ISFIFO(fifo.lstat().st_mode)


def _device(path: Path, minor: int) -> None:
    """A character device of the memory driver (1, 3: null; 1, 7: full), made here."""
    try:
        os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, minor))
    except (OSError, AttributeError):
        pytest.skip("cannot make a device node here (needs root)")


def test_output_to_a_device_writes_into_it(invoke: Invoke, tmp_path: Path) -> None:
    """A character device given to -o is written to, never replaced: a null device
    swallows the document (exit 0), a full one says the disk is full (exit 2); both
    are still devices afterwards (run as root, they used to become plain files)."""
    null, full = tmp_path / "null", tmp_path / "full"
    _device(null, 3)
    _device(full, 7)
    assert invoke("totals", "-f", "json", "-o", str(null)).exit_code == 0
    result = invoke("totals", "-f", "json", "-o", str(full))
    assert result.exit_code == ExitCode.BAD_INPUT
    assert result.stderr == (
        f"crema-budget: impossibile scrivere {full}: spazio esaurito sul disco\n"
    )
    assert stat.S_ISCHR(null.lstat().st_mode)
    assert stat.S_ISCHR(full.lstat().st_mode)


def test_output_through_a_symbolic_link_replaces_its_target(invoke: Invoke, tmp_path: Path) -> None:
    """A symbolic link given to -o stays a link; the file it leads to is replaced
    whole (and made, when the link leads nowhere yet)."""
    target = tmp_path / "reports" / "totali.json"
    target.parent.mkdir()
    target.write_text("the previous report\n", encoding="utf-8")
    link = tmp_path / "totali.json"
    link.symlink_to(Path("reports") / "totali.json")
    assert invoke("totals", "-o", str(link)).exit_code == 0
    assert link.is_symlink()
    assert json.loads(target.read_text(encoding="utf-8"))["totale"] == "1302537.59"
    assert sorted(p.name for p in target.parent.iterdir()) == ["totali.json"]
    dangling = tmp_path / "nido.json"
    dangling.symlink_to(tmp_path / "reports" / "nido-23.json")
    assert invoke("nido", "-n", "23", "-o", str(dangling)).exit_code == 0
    assert dangling.is_symlink()
    assert json.loads((tmp_path / "reports" / "nido-23.json").read_bytes())["iscritti"] == 23


def test_output_onto_a_socket_is_refused(invoke: Invoke, tmp_path: Path) -> None:
    """Neither a file, a FIFO nor a terminal: a usage error naming it, left in place."""
    import socket

    path = tmp_path / "s.json"
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(path))
        result = invoke("totals", "-o", str(path))
    assert result.exit_code == ExitCode.BAD_INPUT
    assert result.stderr.startswith(f"crema-budget: impossibile scrivere {path}: ")
    assert stat.S_ISSOCK(path.lstat().st_mode)
