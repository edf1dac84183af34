"""The manual pages: generated from the command line, shipped and installed with the
package, and current."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from crema_budget.cli.manpages import FOLDERS, MAN_DIR, pages

ROOT = Path(__file__).resolve().parent.parent


def test_the_committed_pages_are_what_the_app_generates() -> None:
    """Regenerated == committed: run `python -m crema_budget.cli.manpages` after
    changing a command, an option or a help text."""
    generated = pages()
    committed = {
        f"{folder}/{path.name}": path.read_text(encoding="utf-8")
        for folder in FOLDERS.values()
        for path in sorted((MAN_DIR / folder).glob("*.1"))
    }
    assert sorted(committed) == sorted(generated)
    for name, text in generated.items():
        assert committed[name] == text, f"{name} is stale: run python -m crema_budget.cli.manpages"


def test_a_page_per_command_in_both_languages() -> None:
    generated = pages()
    for command in ("totals", "check", "monitor", "variazioni", "bozza"):
        english = generated[f"man1/crema-budget-{command}.1"]
        italian = generated[f"it/man1/crema-budget-{command}.1"]
        assert ".SH OPTIONS" in english
        assert ".SH OPZIONI" in italian
        assert ".SH EXIT STATUS" in english
        assert ".SH CODICI DI USCITA" in italian
        assert f"crema\\-budget {command}" in english
    check = generated["it/man1/crema-budget-check.1"]
    assert "\\fB\\-q\\fR, \\fB\\-\\-quiet\\fR" in check
    assert "crema\\-budget \\-\\-data examples/ambiti_2016_variato.yaml check" in check


def test_the_pages_are_installed_under_share_man() -> None:
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    files = pyproject.split("[tool.setuptools.data-files]")[1].split("\n[")[0]
    assert '"share/man/man1" = ["crema_budget/man/man1/*.1"]' in files
    assert '"share/man/it/man1" = ["crema_budget/man/it/man1/*.1"]' in files
    package_data = pyproject.split("[tool.setuptools.package-data]")[1].split("\n[")[0]
    assert '"crema_budget" = ["man/man1/*.1", "man/it/man1/*.1"]' in package_data


@pytest.mark.skipif(sys.platform == "win32", reason="man is a Unix tool")
def test_man_reads_a_page(tmp_path: Path) -> None:
    """Where groff is installed, a page formats without warnings."""
    groff = subprocess.run(["which", "groff"], capture_output=True, check=False)
    if groff.returncode != 0:
        pytest.skip("groff is not installed")
    result = subprocess.run(
        [
            "groff",
            "-man",
            "-Tutf8",
            "-K",
            "utf-8",
            "-ww",
            str(MAN_DIR / "it/man1/crema-budget-totals.1"),
        ],
        capture_output=True,
        check=False,
    )
    assert result.returncode == 0
    assert result.stderr == b""
    assert "SINTESI" in re.sub(".\b", "", result.stdout.decode("utf-8"))  # no overstrike
