"""Start-up stays fast: each command imports only what its output needs.

Each case runs the real entry point in a fresh interpreter and looks at
``sys.modules`` afterwards; the pytest process has imported everything already.
These are not timing tests: they fail when a heavy import creeps back in.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

#: Runs ``crema-budget ARGS`` (ARGS as JSON in argv[1]) and prints the exit
#: code and the top-level packages imported, as JSON, after the command's output.
PROBE = """
import contextlib, gc, io, json, sys
args = json.loads(sys.argv[1])
sys.argv = ["crema-budget", *args]
from crema_budget.cli import main
code = 0
with contextlib.redirect_stdout(io.StringIO()):
    try:
        main()
    except SystemExit as exit:
        code = exit.code or 0
packages = sorted({name.partition(".")[0] for name in sys.modules})
localedata = sys.modules.get("babel.localedata")
locales = sorted(localedata._cache) if localedata else []
print(json.dumps({"exit": code, "packages": packages, "modules": sorted(sys.modules),
                  "locales": locales, "frozen": gc.get_freeze_count()}))
"""

#: Only the spreadsheet formats need a spreadsheet writer, only the word-processor formats
#: odfdo, python-docx and lxml; nothing needs the XML parser but the e-invoices.
NEVER_FOR_TABLES = {"xlsxwriter", "openpyxl", "defusedxml", "weasyprint", "odfdo", "docx", "lxml"}


def probe(*args: str) -> dict[str, Any]:
    """What ``crema-budget ARGS`` left behind in a fresh process (see PROBE)."""
    env = {**os.environ, "COLUMNS": "120", "NO_COLOR": "1", "TERM": "dumb"}
    result = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(list(args))],
        capture_output=True,
        text=True,
        check=True,
        env=env,
        timeout=60,
    )
    report: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    return report


def imported(*args: str) -> tuple[int, set[str], set[str], set[str]]:
    """Exit code, top-level packages, modules and Babel locales loaded by ``crema-budget ARGS``
    in a fresh process."""
    report = probe(*args)
    return (
        int(report["exit"]),
        set(report["packages"]),
        set(report["modules"]),
        set(report["locales"]),
    )


@pytest.mark.parametrize(
    "args",
    [
        ("totals",),
        ("risorse", "--voci"),
        ("nido", "--iscritti", "23"),
        ("nido",),
        ("check",),
    ],
    ids=" ".join,
)
def test_table_commands_import_neither_xlsx_nor_templates(args: tuple[str, ...]) -> None:
    """A terminal table needs no spreadsheet writer nor template engine; once a
    locale's figures are in the cache, not even Babel."""
    probe(*args)  # fills the cache
    code, packages, _, _ = imported(*args)
    assert code == 0
    assert packages & (NEVER_FOR_TABLES | {"babel"}) == set()


def test_a_new_locale_loads_only_its_own_data(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With an empty cache, `--locale en` reads English CLDR data only (and CLDR's
    root), once: the next run reads the figures from the cache, without Babel."""
    monkeypatch.setenv("CREMA_BUDGET_CACHE", str(tmp_path))
    code, packages, _, locales = imported("--locale", "en", "totals")
    assert code == 0
    assert locales == {"root", "en"}
    assert packages & NEVER_FOR_TABLES == set()
    code, packages, _, locales = imported("--locale", "en", "totals")
    assert (code, locales) == (0, set())
    assert "babel" not in packages


def test_json_output_needs_no_rich_nor_babel() -> None:
    """Scripts reading JSON pay for neither Rich's console nor Babel."""
    code, packages, modules, _ = imported("totals", "--format", "json")
    assert code == 0
    assert packages & (NEVER_FOR_TABLES | {"babel"}) == set()
    assert "rich.console" not in modules


def test_help_loads_no_data_machinery() -> None:
    """--help builds no Pydantic model, parses no YAML and prints without Rich."""
    code, packages, modules, _ = imported("--help")
    assert code == 0
    assert (
        packages & {"pydantic", "pydantic_core", "yaml", "babel", "rich", *NEVER_FOR_TABLES}
        == set()
    )
    assert {"crema_budget.agreement.model", "crema_budget.reading.loader"} & modules == set()


@pytest.mark.parametrize(
    "args", [("totals",), ("nido", "--iscritti", "5"), ("--help",)], ids=" ".join
)
def test_exit_leaves_no_final_collection(args: tuple[str, ...]) -> None:
    """The entry point freezes what is still alive when it returns, whatever the exit
    code, so the interpreter's last full collection has nothing to walk (it took 30 ms
    of a 184 ms `totals`)."""
    report = probe(*args)
    assert report["frozen"] > 10_000


def test_a_first_run_does_not_look_for_pydantic_plugins() -> None:
    """Building the models of a file not yet in the cache does not scan the installed
    packages' metadata for Pydantic plugins (importlib.metadata, csv, email, zipfile)."""
    code, packages, modules, _ = imported("--no-cache", "totals")
    assert code == 0
    assert "pydantic" in packages  # the file was read and validated
    assert {"importlib.metadata", "email", "zipfile"} & modules == set()
