"""The cache of validated files: faster, and never a figure that does not match the
file byte for byte."""

from __future__ import annotations

import hashlib
import json
import os
import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import Invoke

from crema_budget import figures
from crema_budget.agreement.model import Agreement
from crema_budget.reading import cache, source

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
    assert cache.read("agreement", entry.name.split("-", 1)[1][:-5], Agreement) is not None


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
    even when it is authenticated with the user's own key and its figures are tempting."""
    invoke("totals")
    (entry,) = entries(fresh)
    head, _, payload = entry.read_bytes().partition(b"\n")
    forged = payload.replace(b'"16550.00"', b'"99999.00"')
    header = tamper({k: v for k, v in json.loads(head).items() if k != "hmac"})
    key = (fresh / cache.KEY_NAME).read_bytes()
    header["hmac"] = cache._mac(key, header, forged)
    entry.write_bytes(json.dumps(header).encode() + b"\n" + forged)
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


# --- attacks: a cache only its owner can write -----------------------------------------

#: The genuine agreement's grand total, and that of the agreement an attacker would
#: pass off under its hash: Facchinaggio 165500.00 instead of 16550.00, so
#: 1302537.59 + (165500.00 - 16550.00) x 1.22 = 1302537.59 + 181719.00 (VAT at 22 %).
GENUINE = "1302537.59"
OTHER = "1484256.59"
OTHER_FIGURE = ("importo: 16550.00", "importo: 165500.00")


def entry_of(folder: Path, kind: str, digest: str) -> Path:
    """Where an entry lives: one file per input, named by its kind and SHA-256."""
    return folder / f"{kind}-{digest}.json"


def genuine_digest() -> str:
    return source.sha256_hex(source.default_data_path().read_bytes())


def other_records(data_text: str) -> object:
    from crema_budget.agreement.load import parse_agreement

    return parse_agreement(data_text.replace(*OTHER_FIGURE), "other.yaml")


def forge(
    folder: Path, monkeypatch: pytest.MonkeyPatch, kind: str, digest: str, records: object
) -> Path:
    """An entry written into ``folder`` by cache.write itself: authenticated with the
    key found there (made if there is none), as the folder's owner could."""
    with monkeypatch.context() as patch:
        patch.setenv(cache.ENVIRONMENT, str(folder))
        cache.write(kind, digest, records)
    return entry_of(folder, kind, digest)


def warnings(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("crema-budget: attenzione")]


def test_a_planted_entry_with_the_genuine_hash_is_a_miss(
    invoke: Invoke, fresh: Path, data_text: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another user plants, under the genuine file's hash, another agreement's records:
    with a recomputed plain checksum, or authenticated with a key of their own. Both
    are misses: `totals` and `check` give the genuine file's figures."""
    assert total(invoke) == GENUINE
    entry = entry_of(fresh, "agreement", genuine_digest())
    records = other_records(data_text)
    # Their own cache, their own key: an entry with a valid HMAC, for that key.
    theirs = forge(tmp_path / "theirs", monkeypatch, "agreement", genuine_digest(), records)
    assert total(invoke, "--no-cache") == GENUINE
    entry.write_bytes(theirs.read_bytes())
    assert total(invoke) == GENUINE
    # The old layout's checksum, which anyone can recompute.
    head, _, payload = theirs.read_bytes().partition(b"\n")
    header = {**json.loads(head), "controllo": hashlib.sha256(payload).hexdigest()}
    entry.write_bytes(json.dumps(header).encode() + b"\n" + payload)
    assert total(invoke) == GENUINE
    assert invoke("check").exit_code == 0
    # What the attacker's records would have shown, so the test can tell.
    with monkeypatch.context() as patch:
        patch.setenv(cache.ENVIRONMENT, str(tmp_path / "theirs"))
        assert total(invoke) == OTHER


def test_rewritten_locale_figures_are_a_miss(
    invoke: Invoke, fresh: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The cached figures of Italian, edited to print `€ 1` before every amount
    (€ 11.302.537,59): the entry fails its HMAC and Babel is asked again."""
    figures.symbols.cache_clear()
    assert "€ 1.302.537,59" in invoke("totals").stdout
    (entry,) = fresh.glob("cifre-*.json")
    entry.write_bytes(entry.read_bytes().replace('"€ "'.encode(), '"€ 1"'.encode(), 1))
    assert '"€ 1"'.encode() in entry.read_bytes()
    figures.symbols.cache_clear()
    result = invoke("totals")
    assert "€ 1.302.537,59" in result.stdout
    assert "€ 11.302.537,59" not in result.stdout
    figures.symbols.cache_clear()


@pytest.mark.parametrize(
    "change",
    [
        {"euro_grouping": (-3, -3)},
        {"euro_grouping": (0, 3)},
        {"group": "-1"},
        {"euro_prefix": ("€ 1", "-€ 1")},
        {"decimal": "\n"},
        {"group": ","},  # the same as the decimal symbol
        {"months": ("gennaio",) * 11},
        {"language": "it; rm -rf"},
    ],
    ids=[
        "negative grouping",
        "zero grouping",
        "digit as group",
        "digit in the prefix",
        "line break",
        "group equals decimal",
        "eleven months",
        "not a language",
    ],
)
def test_absurd_locale_figures_are_never_used(
    invoke: Invoke, fresh: Path, monkeypatch: pytest.MonkeyPatch, change: dict[str, Any]
) -> None:
    """Figures that carry a valid HMAC (written by this user's own tool, by a bug or a
    stolen key) are still range-checked: a negative grouping, which would make every
    run loop forever, or a digit in a symbol is a miss, and Babel is asked again."""
    italian = figures.from_babel("it")
    changed = italian._replace(**change)
    italian_digest = hashlib.sha256(figures._babel_key("it").encode()).hexdigest()
    forge(fresh, monkeypatch, "cifre", italian_digest, changed)
    assert cache.read("cifre", italian_digest, figures.Symbols) == changed  # authenticated
    figures.symbols.cache_clear()
    assert figures.symbols("it") == italian
    figures.symbols.cache_clear()
    assert "€ 1.302.537,59" in invoke("totals").stdout
    figures.symbols.cache_clear()


HOSTILE_PROBE = """
import resource, sys
sys.argv = ["crema-budget", "totals", "-f", "json"]
from crema_budget.cli import main
try:
    main()
finally:
    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)
"""
#: The peak memory of a run (kB): 60 MB or so; reading a 1 GiB entry took 1.3 GB.
HOSTILE_PEAK_KB = 400 * 1024


def _fifo(path: Path) -> None:
    os.mkfifo(path)


def _zero(path: Path) -> None:
    path.symlink_to("/dev/zero")


def _huge(path: Path) -> None:
    with path.open("wb") as stream:  # sparse: 1 GiB of nothing, no disk used
        stream.truncate(1024**3)


@pytest.mark.parametrize(
    "plant", [_fifo, _zero, _huge], ids=["FIFO", "link to /dev/zero", "1 GiB entry"]
)
def test_an_entry_that_is_not_a_small_regular_file_is_a_miss(
    tmp_path: Path, plant: Callable[[Path], None]
) -> None:
    """An entry that is a FIFO (every run would wait on it), a link to /dev/zero (memory
    without bound) or a 1 GiB file (30 s and 1.3 GB) is never read: the run gives the
    genuine figures, within the memory of any run. In a subprocess, so a hang or a
    blow-up fails the test instead of stopping the suite."""
    folder = tmp_path / "cache"
    env = {**os.environ, "CREMA_BUDGET_CACHE": str(folder), "NO_COLOR": "1"}
    subprocess.run([sys.executable, "-c", HOSTILE_PROBE], env=env, check=True, capture_output=True)
    entry = entry_of(folder, "agreement", genuine_digest())
    entry.unlink()
    plant(entry)
    run = subprocess.run(
        [sys.executable, "-c", HOSTILE_PROBE], env=env, capture_output=True, timeout=60
    )
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout)["totale"] == GENUINE
    assert int(run.stderr.split()[-1]) < HOSTILE_PEAK_KB


@pytest.mark.skipif(not hasattr(os, "chown") or os.geteuid() != 0, reason="needs root to chown")
def test_an_entry_of_another_user_is_a_miss(
    invoke: Invoke, fresh: Path, data_text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An entry that belongs to someone else, even authenticated, is not read."""
    entry = forge(fresh, monkeypatch, "agreement", genuine_digest(), other_records(data_text))
    assert total(invoke) == OTHER  # the forged entry, as its owner would see it
    os.chown(entry, 4242, -1)
    assert total(invoke) == GENUINE


@pytest.mark.parametrize("mode", [0o770, 0o707, 0o1777], ids=["group", "others", "sticky /tmp"])
def test_a_folder_others_can_write_is_not_used(
    invoke: Invoke, fresh: Path, data_text: str, monkeypatch: pytest.MonkeyPatch, mode: int
) -> None:
    """A cache folder others may write to (a shared sticky folder such as /tmp/shared
    too) is not used at all: not even an entry authenticated with the key found there,
    since whoever can write the folder could have written the key. One warning, once,
    and the genuine figures."""
    forge(fresh, monkeypatch, "agreement", genuine_digest(), other_records(data_text))
    fresh.chmod(mode)
    try:
        figures.symbols.cache_clear()
        result = invoke("totals")  # a table: the locale's figures are read there too
        assert "€ 1.302.537,59" in result.stdout
        assert warnings(result.stderr) == [
            f"crema-budget: attenzione: la cartella della cache {fresh} non è usata: altri "
            f"possono scriverci (permessi {mode:04o}); le cifre sono calcolate senza (renderla "
            "solo propria, oppure indicare un'altra cartella con CREMA_BUDGET_CACHE)"
        ]
        assert total(invoke) == GENUINE
    finally:
        fresh.chmod(0o700)
        figures.symbols.cache_clear()


def test_a_folder_of_another_user_is_not_used(
    invoke: Invoke, fresh: Path, data_text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A cache folder that belongs to someone else is not used (by root, the folder is
    given to another user; otherwise the check is told the user is someone else)."""
    forge(fresh, monkeypatch, "agreement", genuine_digest(), other_records(data_text))
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        os.chown(fresh, 4242, -1)
    else:
        monkeypatch.setattr(cache, "_uid", lambda: 4242)
    result = invoke("totals", "-f", "json")
    assert json.loads(result.stdout)["totale"] == GENUINE
    (warning,) = warnings(result.stderr)
    assert "appartiene a un altro utente" in warning


def _key_readable(key: Path) -> None:
    key.chmod(0o644)


def _key_link(key: Path) -> None:
    elsewhere = key.parent.parent / "their.key"
    key.rename(elsewhere)
    key.symlink_to(elsewhere)


def _key_of_another(key: Path) -> None:
    if os.geteuid() != 0:
        pytest.skip("needs root to chown")
    os.chown(key, 4242, -1)


@pytest.mark.parametrize(
    ("spoil", "says"),
    [
        (_key_readable, "altri possono leggerlo o scriverlo (permessi 0644)"),
        (_key_link, "è un collegamento simbolico"),
        (_key_of_another, "appartiene a un altro utente"),
    ],
    ids=["readable by others", "symbolic link", "another user's"],
)
def test_a_key_that_is_not_the_users_own_is_not_used(
    invoke: Invoke,
    fresh: Path,
    data_text: str,
    monkeypatch: pytest.MonkeyPatch,
    spoil: Callable[[Path], None],
    says: str,
) -> None:
    """The key must be a regular file of the user's, readable by the user alone: else
    the cache is not used (an entry made with that key could be anyone's), and the
    warning says why and what to do."""
    forge(fresh, monkeypatch, "agreement", genuine_digest(), other_records(data_text))
    spoil(fresh / cache.KEY_NAME)
    result = invoke("totals", "-f", "json")
    assert json.loads(result.stdout)["totale"] == GENUINE
    (warning,) = warnings(result.stderr)
    assert says in warning
    assert "eliminare il file" in warning


def test_what_the_cache_creates_is_the_users_alone(invoke: Invoke, fresh: Path) -> None:
    """A new cache folder is 0700, its key and entries 0600."""
    invoke("totals")
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o700
    for path in fresh.iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path.name
    assert (fresh / cache.KEY_NAME).stat().st_size == cache.KEY_BYTES


RACE = """
import json, sys
from crema_budget.reading import cache
from crema_budget.agreement import model
with open(sys.argv[2], encoding="utf-8") as stream:
    agreement = cache.decoder(model.Agreement)(json.load(stream))
sys.stdout.write("ready\\n"); sys.stdout.flush()
sys.stdin.readline()
for _ in range(50):
    cache.write("agreement", sys.argv[1], agreement)
"""


def test_processes_writing_the_same_entry_leave_a_whole_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, agreement: object
) -> None:
    """Six processes make the key and write the same entry fifty times each, at
    once, into an empty folder: one key, one whole entry, no temporary file left."""
    folder = tmp_path / "cache"
    env = {**os.environ, "CREMA_BUDGET_CACHE": str(folder)}
    digest = genuine_digest()
    records = tmp_path / "records.json"
    records.write_text(json.dumps(cache.encode(agreement)), encoding="utf-8")
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", RACE, digest, str(records)],
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(6)
    ]
    for writer in writers:  # all loaded: start them together
        assert writer.stdout is not None
        assert writer.stdout.readline() == "ready\n"
    for writer in writers:
        assert writer.stdin is not None
        writer.stdin.write("go\n")
        writer.stdin.close()
    for writer in writers:
        assert writer.wait(timeout=60) == 0
    assert sorted(path.name for path in folder.iterdir()) == sorted(
        [cache.KEY_NAME, entry_of(folder, "agreement", digest).name]
    )
    monkeypatch.setenv(cache.ENVIRONMENT, str(folder))
    assert cache.read("agreement", digest, Agreement) == agreement
