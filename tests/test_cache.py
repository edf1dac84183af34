"""The cache of validated files: faster, and never a figure that does not match the
file byte for byte."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import Invoke

from crema_budget import cache, source

WriteData = Callable[..., Path]


def entries(folder: Path) -> list[Path]:
    """The entries of validated files (not the locales' figures)."""
    return sorted(path for path in folder.glob("*.json") if not path.name.startswith("cifre-"))


@pytest.fixture
def fresh(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty cache folder of this test's own."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("CREMA_BUDGET_CACHE", str(folder))
    return folder


def total(invoke: Invoke, *args: str) -> str:
    result = invoke(*args, "totals", "-f", "json")
    assert result.exit_code == 0, result.stderr
    return str(json.loads(result.stdout)["totale"])


def test_second_run_reads_the_cache(invoke: Invoke, fresh: Path) -> None:
    """The first run stores the validated agreement; the second gives the same output."""
    first = invoke("totals")
    assert len(entries(fresh)) == 1
    assert invoke("totals").stdout == first.stdout


def test_a_changed_byte_changes_the_figures(
    invoke: Invoke, fresh: Path, data_text: str, write_data: WriteData
) -> None:
    """One digit changed, same size and same modification time: the next run sees it."""
    path = write_data(data_text)
    assert total(invoke, "--data", str(path)) == "1302537.59"
    stamp = path.stat()
    path.write_text(data_text.replace("importo: 16550.00", "importo: 16560.00"), encoding="utf-8")
    os.utime(path, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))
    assert path.stat().st_size == stamp.st_size
    assert total(invoke, "--data", str(path)) == "1302549.79"  # + 10.00 + 22 %


def test_a_corrupt_entry_is_ignored_and_written_again(invoke: Invoke, fresh: Path) -> None:
    """A damaged entry is a miss: the file is read again and the entry rewritten."""
    invoke("totals")
    (entry,) = entries(fresh)
    entry.write_bytes(entry.read_bytes()[:-40] + b"garbage")
    assert total(invoke) == "1302537.59"
    assert cache.read("agreement", entry.name.split("-", 1)[1][:-5]) is not None


@pytest.mark.parametrize(
    "tamper",
    [
        lambda header: {**header, "crema-budget": "0.0.1"},
        lambda header: {**header, "python": "cpython-2.7"},
        lambda header: {**header, "sha256": "0" * 64},
        lambda header: {**header, "formato": 99},
    ],
    ids=["other version", "other Python", "other file", "other format"],
)
def test_a_foreign_entry_is_never_trusted(
    invoke: Invoke, fresh: Path, tamper: Callable[[dict[str, object]], dict[str, object]]
) -> None:
    """An entry written by another version or Python, or for other bytes, is ignored,
    even when its own checksum is right and its figures are tempting."""
    invoke("totals")
    (entry,) = entries(fresh)
    head, _, payload = entry.read_bytes().partition(b"\n")
    forged = payload.replace(b'"16550.00"', b'"99999.00"')
    header = json.loads(head)
    header["controllo"] = __import__("hashlib").sha256(forged).hexdigest()
    entry.write_bytes(json.dumps(tamper(header)).encode() + b"\n" + forged)
    assert total(invoke) == "1302537.59"


def test_an_unusable_cache_folder_only_costs_speed(
    invoke: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A cache folder that cannot be created or written (here: below a file) is no
    error: the figures are computed as usual."""
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("CREMA_BUDGET_CACHE", str(blocker / "cache"))
    result = invoke("totals")
    assert result.exit_code == 0
    assert result.stderr == ""
    assert "1.302.537,59" in result.stdout


def test_a_read_only_cache_folder_is_read(
    invoke: Invoke, fresh: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A cache that cannot be written still serves what it holds."""
    invoke("totals")
    monkeypatch.setattr(cache, "write", lambda *args: pytest.fail("written"))
    read: list[object] = []
    real = cache.read

    def spy(*args: Any) -> object:
        found = real(*args)
        read.append(found)
        return found

    monkeypatch.setattr(cache, "read", spy)
    assert total(invoke) == "1302537.59"
    assert read
    assert read[0] is not None


def test_no_cache_bypasses_it(invoke: Invoke, fresh: Path) -> None:
    """--no-cache (before or after the command) neither reads nor writes the cache."""
    assert invoke("--no-cache", "totals").exit_code == 0
    assert invoke("totals", "--no-cache").exit_code == 0
    assert entries(fresh) == []


def test_the_register_is_cached_too(invoke: Invoke, fresh: Path) -> None:
    invoke("monitor", "--registro", "examples/registro_2016.yaml", "--al", "2016-06-30")
    assert {e.name.split("-")[0] for e in entries(fresh)} == {"agreement", "registro"}


def test_a_bad_file_is_never_cached(
    invoke: Invoke, fresh: Path, data_text: str, write_data: WriteData
) -> None:
    path = write_data(data_text.replace("importo: 16550.00", "importo: 16.550,00"))
    assert invoke("--data", str(path), "totals").exit_code == 2
    assert entries(fresh) == []


def test_records_round_trip(agreement: object) -> None:
    """Every record of the agreement comes back equal, Decimals with their exponent."""
    encoded = json.loads(json.dumps(cache.encode(agreement)))
    assert cache.decoder(type(agreement))(encoded) == agreement


PROBE = """
import json, sys
sys.argv = ["crema-budget", "totals"]
from crema_budget.cli import main
try:
    main()
except SystemExit:
    pass
print(json.dumps(sorted({m.partition(".")[0] for m in sys.modules})), file=sys.stderr)
"""


def test_a_warm_run_imports_neither_yaml_nor_pydantic(tmp_path: Path) -> None:
    """The second run of `totals` reads the cache: no YAML parser, no Pydantic, and
    the locale's figures without Babel."""
    env = {**os.environ, "CREMA_BUDGET_CACHE": str(tmp_path), "NO_COLOR": "1"}
    runs = [
        subprocess.run(
            [sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, check=True
        )
        for _ in range(2)
    ]
    cold, warm = (set(json.loads(run.stderr.strip().splitlines()[-1])) for run in runs)
    assert {"yaml", "pydantic"} <= cold
    assert not {"yaml", "pydantic", "pydantic_core", "annotated_types", "babel"} & warm
    assert runs[0].stdout == runs[1].stdout


def test_digest_is_of_the_bytes() -> None:
    assert source.sha256_hex(b"") == (
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    )
