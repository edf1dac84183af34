"""`check` never passes on less than the document declares: cut files, missing
totals, and the coverage it shows on every run."""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import Invoke

from crema_budget.agreement.checks import REQUIRED, run_checks
from crema_budget.agreement.compute import totali
from crema_budget.agreement.load import parse_agreement
from crema_budget.errors import DataError, ExitCode
from crema_budget.reading.source import default_data_path

WriteData = Callable[..., Path]


def _without_plans(raw: bytes) -> bytes:
    """The file without the ambiti's work plans and staff (``piano_di_lavoro:``,
    ``personale:``): words and months, no figure."""
    kept: list[bytes] = []
    skipping = False
    for line in raw.splitlines(keepends=True):
        if line.startswith((b"    piano_di_lavoro:", b"    personale:")):
            skipping = True
        elif not line.startswith(b"      "):
            skipping = False
        if not skipping:
            kept.append(line)
    return b"".join(kept)


def _prefixes_agree(raw: bytes, ends: list[int]) -> tuple[int, int]:
    """How many of these prefixes load, and how many pass `check`; a prefix that
    passes has the document's grand total."""
    full = Decimal("1302537.59")  # the document's grand total
    loaded = passed = 0
    for end in ends:
        try:
            agreement = parse_agreement(raw[:end], "prefix.yaml")
        except DataError:
            continue
        loaded += 1
        if run_checks(agreement).ok:
            passed += 1
            assert totali(agreement).totale == full, f"prefix of {end} bytes passes check"
    return loaded, passed


def test_every_prefix_of_the_shipped_file() -> None:
    """No byte-prefix of the shipped file (an interrupted copy, a half-saved edit)
    both loads and passes `check` while its grand total differs from the full file's.

    Every byte-prefix of its figures (the file without its work plans, which hold no
    figure), and every prefix of the whole file that ends a line: the plans are half
    the file, and the time of this test grows with the square of its length."""
    raw = default_data_path().read_bytes()
    figures = _without_plans(raw)
    assert figures != raw
    loaded, passed = _prefixes_agree(figures, list(range(len(figures) + 1)))
    # The test means something only if many prefixes load and some pass.
    assert loaded > 1000
    assert passed > 0
    line_ends = [i + 1 for i, byte in enumerate(raw) if byte == ord("\n")]
    loaded, passed = _prefixes_agree(raw, line_ends)
    assert loaded > 100
    assert passed > 0


def _cut(text: str, after: str, inside: str, keep: int) -> tuple[bytes, int]:
    """The shipped file cut ``keep`` characters into the first ``inside`` that follows
    ``after``, and the number of the line the cut falls on (the cut follows the text,
    not a byte offset, so an edit elsewhere in the file does not move it)."""
    start = text.index(inside, text.index(after))
    end = start + keep
    return text[:end].encode("utf-8"), text.count("\n", 0, end) + 1


@pytest.mark.parametrize(
    ("after", "keep", "line_offset", "column", "message"),
    [
        # Cut inside `aliquota_iva:` of Facchinaggio: the key has no colon left; libyaml
        # notices at the end of the file, the line after the cut.
        ("codice: facchinaggio", 4, 1, 1, "sintassi YAML: mancano i due punti dopo una chiave"),
        # Cut inside ambito 3's first line, just before its VAT rate: the line lacks it,
        # said at the line's first key (`codice:`, 5 lines up, column 9).
        (
            "numero: 3",
            0,
            -5,
            9,
            "ambiti[2].servizi[0].aliquota_iva: manca; aggiungere `aliquota_iva:`",
        ),
    ],
)
def test_a_file_cut_inside_a_line_is_refused(
    invoke: Invoke,
    tmp_path: Path,
    after: str,
    keep: int,
    line_offset: int,
    column: int,
    message: str,
) -> None:
    """The shipped file cut inside a line (a half-saved edit) is not a valid file:
    `check` refuses it with the line of the cut and computes nothing (exit 2)."""
    text = default_data_path().read_text(encoding="utf-8")
    raw, line = _cut(text, after, "aliquota_iva", keep)
    path = tmp_path / "cut.yaml"
    path.write_bytes(raw)
    result = invoke("--data", str(path), "check")
    assert result.exit_code == 2
    assert result.stdout == ""
    where = f":{line + line_offset}:{column}: "
    assert result.stderr.startswith(f"crema-budget: {path}{where}{message}")


def test_a_file_cut_between_lines_loads_and_fails_check(invoke: Invoke, tmp_path: Path) -> None:
    """Cut between two lines inside ambito 1's consortium items (after the fourth),
    the file is valid YAML and a valid agreement: `check` runs and fails (exit 1),
    naming the closing totals as not declared and ambito 1's items as not adding up
    (5.540,00 declared; the four items left come to 400 + 700 + 300 + 1.000 = 2.400,00)."""
    text = default_data_path().read_text(encoding="utf-8")
    fourth = text.index("\n", text.index("importo: 1000", text.index("numero: 1"))) + 1
    path = tmp_path / "cut.yaml"
    path.write_bytes(text[:fourth].encode("utf-8"))
    result = invoke("--data", str(path), "check", "-f", "json")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    failing = {c["chiave"]: (c["esito"], c["calcolato"]) for c in report["checks"]}
    failing = {key: value for key, value in failing.items() if value[0] != "concorda"}
    assert failing == {
        "sintesi.imponibile": ("non dichiarato", "294105.57"),
        "sintesi.totale": ("non dichiarato", "305869.79"),
        "ambito.1.risorse": ("differisce", "2400.00"),
        "risorse.totale": ("non dichiarato", "2400.00"),
    }
    assert {key for key, (esito, _) in failing.items() if esito == "non dichiarato"} == set(
        REQUIRED
    )


def test_one_ambito_without_declared_figures_fails(invoke: Invoke, write_data: WriteData) -> None:
    """A file with one ambito and no declared figure does not pass with "0 checked"."""
    path = write_data(
        "documento: {titolo: T, comune: C, consorzio: K, anno: 2016}\n"
        "ambiti:\n"
        "  - numero: 1\n"
        "    titolo: Uno\n"
        "    servizi:\n"
        "      - {voce: Servizio, importo: 100, aliquota_iva: 4}\n"
    )
    result = invoke("--data", str(path), "check", "--format", "json")
    assert result.exit_code == ExitCode.FIGURES_DIFFER
    report = json.loads(result.stdout)
    assert report["ok"] is False
    assert [c["chiave"] for c in report["checks"]] == list(REQUIRED)
    assert all(c["esito"] == "non dichiarato" for c in report["checks"])
    assert report["checks"][1]["calcolato"] == "104.00"
    # What nothing declares is listed, not hidden.
    assert {"sintesi.iva", "ambito.1.servizio.1.imponibile"} <= {
        f["chiave"] for f in report["non_dichiarate"]
    }


@pytest.mark.parametrize(
    ("line", "chiave"),
    [
        ("    imponibile: 1146628.71\n", "sintesi.imponibile"),
        ("    totale: 1302537.59\n", "sintesi.totale"),
        ("    totale: 86670.49\n", "risorse.totale"),
    ],
)
def test_each_required_figure(
    invoke: Invoke, data_text: str, write_data: WriteData, line: str, chiave: str
) -> None:
    """Removing any one of the required declared figures makes `check` fail (exit 1)
    and names it as not declared."""
    assert data_text.count(line) == 1
    result = invoke("--data", str(write_data(data_text.replace(line, ""))), "check", "-f", "json")
    assert result.exit_code == ExitCode.FIGURES_DIFFER
    report = json.loads(result.stdout)
    (missing,) = [c for c in report["checks"] if c["esito"] == "non dichiarato"]
    assert missing["chiave"] == chiave
    assert missing["dichiarato"] is None


#: The computed figures the document states nowhere, with their value worked by hand.
UNDECLARED = {
    "ambito.2.totale.iva": "3347.72",  # 87.040,82 − 83.693,10
    "ambito.3.servizio.1.iva": "1104.00",  # 27.600,00 × 4 %
    "ambito.3.servizio.2.iva": "3495.84",  # 87.396,00 × 4 %
    "ambito.5.totale.iva": "134497.90",  # 745.852,01 − 611.354,11
    "sintesi.iva": "155908.88",  # 1.302.537,59 − 1.146.628,71
}


def test_coverage_is_shown_on_every_run(invoke: Invoke) -> None:
    """The terminal shows how many computed figures have a declared counterpart (51 of
    the 51 + 5 computed) and lists the five that have none: the document states no VAT
    for ambito 3's lines, for ambiti 2 and 5, nor a grand total of VAT."""
    result = invoke("check")
    assert result.exit_code == 0
    assert "51 di 56 cifre calcolate" in result.stdout
    assert "€ 155.908,88" in result.stdout  # the grand total of VAT: computed, not declared
    report = json.loads(invoke("check", "-f", "json").stdout)
    assert {f["chiave"]: f["calcolato"] for f in report["non_dichiarate"]} == UNDECLARED


def test_differenza_is_declared_minus_computed_everywhere(
    invoke: Invoke, data_text: str, write_data: WriteData
) -> None:
    """One definition of the difference, in every format: declared - computed; for the
    percentage, in points and exact (7,5 - 7,5587… = -0,0587…)."""
    broken = data_text.replace("totale: 305869.79", "totale: 305869.80", 1)
    path = str(write_data(broken))
    report = json.loads(invoke("--data", path, "check", "-f", "json").stdout)
    by_key = {c["chiave"]: c for c in report["checks"]}
    assert by_key["ambito.1.servizio.1.totale"]["differenza"] == "0.01"
    percent = Decimal(by_key["risorse.percentuale"]["differenza"])
    assert percent.quantize(Decimal("0.0001")) == Decimal("-0.0587")
    table = invoke("--data", path, "check").stdout
    assert "€ 0,01" in table


def test_a_file_cut_short_warns_wherever_its_figures_are_shown(
    invoke: Invoke, data_text: str, write_data: WriteData
) -> None:
    """`totals` and `risorse` of a signed file that lacks its closing totals (cut after
    ambito 1) say first that the figures may be wrong; JSON keeps stdout clean and
    says it on standard error. The exit code stays 0: nothing failed to run."""
    lines = data_text.splitlines()
    path = write_data("\n".join(lines[: lines.index("  - numero: 2")]) + "\n")
    table = invoke("--data", str(path), "totals", width=120)
    assert table.exit_code == 0
    head = " ".join(table.stdout.split("Risorse comunali")[0].split())
    assert "3 cifre dichiarate nel file mancano o differiscono da quelle calcolate" in head
    scripted = invoke("--data", str(path), "totals", "-f", "json")
    assert scripted.exit_code == 0
    json.loads(scripted.stdout)
    assert scripted.stderr.startswith("crema-budget: attenzione: 3 cifre dichiarate")
    assert "3 cifre dichiarate" in invoke("--data", str(path), "risorse").stdout
    whole = invoke("totals")
    assert "dichiarate nel file" not in whole.stdout + whole.stderr


def test_only_a_truncated_percentage_has_a_note(
    invoke: Invoke, data_text: str, write_data: WriteData
) -> None:
    """The note says what a truncated percentage is and what rounding would give (7,5587…
    cut to 7,5; rounded to two decimals 7,56, to one 7,6); every other check, agreeing,
    differing or not declared, has none."""
    report = json.loads(invoke("check", "-f", "json", "--locale", "en").stdout)
    notes = {c["chiave"]: c["nota"] for c in report["checks"] if c["nota"]}
    assert notes == {
        "risorse.percentuale": "7.56 % truncated to 1 decimal, not rounded (rounded: 7.6 %)"
    }
    broken = data_text.replace("percentuale: 7.5", "percentuale: 7.4")
    broken = broken.replace("    totale: 1302537.59\n", "")
    path = str(write_data(broken))
    report = json.loads(invoke("--data", path, "check", "-f", "json", "--locale", "en").stdout)
    assert {c["esito"] for c in report["checks"]} == {"concorda", "differisce", "non dichiarato"}
    assert [c["nota"] for c in report["checks"] if c["nota"]] == []


def test_each_figure_of_a_line_an_ambito_and_the_summary_is_named(invoke: Invoke) -> None:
    """Every line, ambito total and the summary's total has three figures, checked or
    listed as not declared, each named for what it is: the taxable amount, the VAT and
    the total with VAT."""
    report = json.loads(invoke("check", "-f", "json", "--locale", "en").stdout)
    named = {c["chiave"]: c["cifra"] for c in [*report["checks"], *report["non_dichiarate"]]}
    for where in ("ambito.1.servizio.1", "ambito.2.totale", "sintesi"):
        assert named[f"{where}.imponibile"] == "taxable amount"
        assert named[f"{where}.iva"] == "VAT"
        assert named[f"{where}.totale"] == "total incl. VAT"


def test_a_share_declared_where_there_is_none(
    invoke: Invoke, data_text: str, write_data: WriteData
) -> None:
    """The closing table gives ambito 1 a share of the 1 % it does not have: the share
    computed is 0,00, and `check` says the declared one differs."""
    text = data_text.replace(
        "quote_1_percento: {3: 9000.00,", "quote_1_percento: {1: 5.00, 3: 9000.00,"
    )
    assert text != data_text
    result = invoke("--data", str(write_data(text)), "check", "-f", "json")
    assert result.exit_code == 1
    checks = {c["chiave"]: c for c in json.loads(result.stdout)["checks"]}
    share = checks["risorse.quota.1"]
    assert (share["dichiarato"], share["calcolato"], share["esito"]) == (
        "5.00",
        "0.00",
        "differisce",
    )
