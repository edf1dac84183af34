"""The command line as a user meets it: output, exit codes, messages."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import Invoke

from crema_budget.errors import ExitCode


def test_totals_shows_the_grand_totals_in_italian(invoke: Invoke) -> None:
    """`totals` prints every line, subtotals and the grand totals as € 1.302.537,59."""
    result = invoke("totals")
    assert result.exit_code == 0
    for figure in (
        "€ 294.105,57",
        "€ 11.764,22",
        "€ 83.693,10",
        "€ 745.852,01",
        "€ 1.146.628,71",
        "€ 1.302.537,59",
        "€ 86.670,49",
        "7,56 %",
    ):
        assert figure in result.stdout
    assert "da definire" in result.stdout
    assert result.stderr == ""


def test_totals_json_is_machine_readable(invoke: Invoke) -> None:
    """`--format json` gives amounts as exact strings."""
    document = json.loads(invoke("totals", "--format", "json").stdout)
    assert document["schema"] == "crema-budget/totals/1"
    assert document["imponibile"] == "1146628.71"
    assert document["totale"] == "1302537.59"
    assert document["ambiti"][0]["righe"][0]["iva"] == "11764.22"
    assert document["ambiti"][4]["da_definire"][0]["voce"].startswith("Servizio elettorale")
    assert document["risorse_consorzio"]["totale"] == "86670.49"
    assert document["risorse_consorzio"]["percentuale_2_decimali"] == "7.56"


def test_nido_23(invoke: Invoke) -> None:
    """`nido --iscritti 23` shows the 21–26 tier, its fee, VAT and the difference."""
    result = invoke("nido", "--iscritti", "23")
    assert result.exit_code == 0
    for figure in (
        "21–26",
        "€ 22.909,58",
        "€ 916,38",
        "€ 23.825,96",
        "€ 252.005,38",
        "€ 262.085,60",
        "-€ 42.100,19",
        "-€ 43.784,19",
    ):
        assert figure in result.stdout


@pytest.mark.parametrize(
    ("iscritti", "canone"),
    [("20", "19304.08"), ("21", "22909.58"), ("26", "22909.58"), ("27", "26736.87")],
)
def test_nido_tier_boundaries_json(invoke: Invoke, iscritti: str, canone: str) -> None:
    """Each tier boundary gives its fee through the CLI too."""
    result = invoke("nido", "-n", iscritti, "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["canone_mensile"] == canone


def test_nido_19_needs_rimodulazione(invoke: Invoke) -> None:
    """Under 20 children: exit 3 and a message that the fee must be renegotiated."""
    result = invoke("nido", "--iscritti", "19")
    assert result.exit_code == ExitCode.NO_FEE_DEFINED
    assert int(ExitCode.NO_FEE_DEFINED) == 3
    assert "rimodulazione" in result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize("value", ["0", "-3", "abc", "2.5", ""])
def test_nido_bad_count_is_usage_error(invoke: Invoke, value: str) -> None:
    """A count that is not a positive whole number is a usage error (exit 2)."""
    result = invoke("nido", "--iscritti", value)
    assert result.exit_code == 2
    assert "--iscritti" in result.stderr
    assert "Traceback" not in result.output


def test_nido_without_count_shows_tiers(invoke: Invoke) -> None:
    """`nido` alone prints the tier table, with the renegotiation tier."""
    result = invoke("nido")
    assert result.exit_code == 0
    for text in ("27 o più", "21–26", "€ 19.304,08", "meno di 20", "rimodulazione"):
        assert text in result.stdout


def test_risorse_itemised(invoke: Invoke) -> None:
    """`risorse --voci` lists items; the totals and the ratio close the table."""
    result = invoke("risorse", "--voci")
    assert result.exit_code == 0
    for text in (
        "sportello ludopatia",
        "€ 3.240,00",
        "€ 9.000,00",
        "€ 1.550,49",
        "€ 76.120,00",
        "€ 10.550,49",
        "€ 86.670,49",
        "7,56 %",
    ):
        assert text in result.stdout


def test_check_passes_on_the_signed_document(invoke: Invoke) -> None:
    """`check` on the shipped data: every figure agrees, the 7,5 % is flagged as cut."""
    result = invoke("check")
    assert result.exit_code == 0
    assert "51 cifre controllate: tutte concordano." in result.stdout
    assert "troncato" in result.stdout


def test_check_fails_on_a_cent(
    invoke: Invoke, data_text: str, write_data: Callable[[str], Path]
) -> None:
    """One declared figure a cent off: `check` names it, shows the difference, exits 1."""
    broken = data_text.replace("totale: 305869.79", "totale: 305869.80", 1)
    assert broken != data_text
    result = invoke("--data", str(write_data(broken)), "check", "--format", "json")
    assert result.exit_code == ExitCode.FIGURES_DIFFER
    assert int(ExitCode.FIGURES_DIFFER) == 1
    report = json.loads(result.stdout)
    wrong = [c for c in report["checks"] if c["esito"] == "differisce"]
    assert wrong == [
        {
            "dove": "Ambito 1 · Asilo nido Via Dante/Pesadori e Centro prima infanzia",
            "cifra": "totale IVA inclusa",
            "dichiarato": "305869.80",
            "calcolato": "305869.79",
            "differenza": "0.01",
            "esito": "differisce",
            "nota": "",
        }
    ]


def test_check_table_on_a_slip_in_the_grand_total(
    invoke: Invoke, data_text: str, write_data: Callable[[str], Path]
) -> None:
    """A slip in the summary's grand total shows in the table and in the verdict."""
    broken = data_text.replace("totale: 1302537.59", "totale: 1302537.95")
    result = invoke("--data", str(write_data(broken)), "check")
    assert result.exit_code == 1
    assert "€ 1.302.537,95" in result.stdout
    assert "€ 0,36" in result.stdout
    assert "1 non concordano" in result.stdout


def test_bad_data_file_exit_2_with_line(
    invoke: Invoke, data_text: str, write_data: Callable[[str], Path]
) -> None:
    """A typo in the data file: exit 2, `file:line:col: path: message`, no traceback."""
    broken = data_text.replace("canone_mensile: 3568.85", "canone_mensile: 3.568,85")
    path = write_data(broken)
    line = broken.splitlines().index("        canone_mensile: 3.568,85") + 1
    result = invoke("--data", str(path), "totals")
    assert result.exit_code == 2
    assert f"{path}:{line}:25: ambiti[1].servizi[0].canone_mensile: " in result.stderr
    assert "write 3568.85" in result.stderr
    assert "Traceback" not in result.output


def test_missing_data_file(invoke: Invoke, tmp_path: Path) -> None:
    """A data path that does not exist: exit 2 and the path in the message."""
    result = invoke("--data", str(tmp_path / "nope.yaml"), "check")
    assert result.exit_code == 2
    assert f"{tmp_path / 'nope.yaml'}: no such file" in result.stderr


def test_version(invoke: Invoke) -> None:
    """`--version` prints the version."""
    result = invoke("--version")
    assert result.exit_code == 0
    assert result.stdout.startswith("crema-budget ")


def test_python_dash_m(tmp_path: Path) -> None:
    """`python -m crema_budget` behaves like `crema-budget`, from any folder."""
    result = subprocess.run(
        [sys.executable, "-m", "crema_budget", "nido", "--iscritti", "27", "--format", "json"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["totale"] == "305869.79"
