"""Every output format read back the way its users read it, and the data format's schema."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import jsonschema
import openpyxl
import pytest
import yaml
from conftest import Invoke

from crema_budget.checks import run_checks
from crema_budget.cli import _emit
from crema_budget.compute import risorse, totali
from crema_budget.errors import UsageError
from crema_budget.model import Agreement
from crema_budget.render import Format, renderer
from crema_budget.render.markdown import escape
from crema_budget.render.xlsx import EURO_FORMAT, XlsxRenderer
from crema_budget.schema import json_schema, schema_document

ROOT = Path(__file__).resolve().parent.parent
SCHEMA_PATH = ROOT / "data" / "ambiti.schema.json"
DATA_PATH = ROOT / "data" / "ambiti_2016.yaml"

#: Every command that takes --format, with the arguments that make it run.
FORMAT_COMMANDS = [
    ("totals",),
    ("nido", "-n", "23"),
    ("nido",),
    ("risorse",),
    ("risorse", "--voci"),
    ("check",),
]

#: Figures the signed document states, written out as it does.
GRAND_IMPONIBILE = Decimal("1146628.71")
GRAND_TOTALE = Decimal("1302537.59")
CONSORZIO_TOTALE = Decimal("86670.49")

_PLAIN_AMOUNT = re.compile(r"^\d+\.\d{2}$")


def _csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


# --- every format, every command -------------------------------------------------


@pytest.mark.parametrize("fmt", list(Format), ids=lambda f: f.value)
@pytest.mark.parametrize("command", FORMAT_COMMANDS, ids=" ".join)
def test_every_format_for_every_command(
    invoke: Invoke, tmp_path: Path, command: tuple[str, ...], fmt: Format
) -> None:
    """Each command that takes --format succeeds in each format and writes something."""
    if fmt.binary:
        target = tmp_path / f"out.{fmt.value}"
        result = invoke(*command, "--format", fmt.value, "-o", str(target))
        assert result.exit_code == 0, result.output
        assert target.read_bytes().startswith(b"PK")  # a zip: the xlsx container
        assert f"wrote {target}" in result.stderr
    else:
        result = invoke(*command, "--format", fmt.value)
        assert result.exit_code == 0, result.output
        assert result.stdout.strip()


def test_output_option_writes_the_same_text(invoke: Invoke, tmp_path: Path) -> None:
    """`-o FILE` writes exactly what stdout would show; the note goes to stderr."""
    target = tmp_path / "totali.csv"
    written = invoke("totals", "-f", "csv", "-o", str(target))
    assert written.stdout == ""
    assert target.read_text(encoding="utf-8") == invoke("totals", "-f", "csv").stdout


# --- JSON ------------------------------------------------------------------------


def test_json_totals_agree_with_the_computation(invoke: Invoke, agreement: Agreement) -> None:
    """Every line, ambito and grand total in the JSON equals the computed Decimal."""
    document = json.loads(invoke("totals", "-f", "json").stdout)
    computed = totali(agreement)
    for ambito_json, ambito in zip(document["ambiti"], computed.ambiti, strict=True):
        for riga_json, riga in zip(ambito_json["righe"], ambito.righe, strict=True):
            assert Decimal(riga_json["imponibile"]) == riga.imponibile
            assert Decimal(riga_json["iva"]) == riga.iva
            assert Decimal(riga_json["totale"]) == riga.totale
        assert Decimal(ambito_json["totale"]) == ambito.totale
    assert Decimal(document["imponibile"]) == computed.imponibile == GRAND_IMPONIBILE
    assert Decimal(document["totale"]) == computed.totale == GRAND_TOTALE
    assert Decimal(document["risorse_consorzio"]["totale"]) == CONSORZIO_TOTALE


def test_json_risorse_items_sum_to_the_total(invoke: Invoke) -> None:
    """The consortium's items and 1 % shares in the JSON add up to € 86.670,49."""
    document = json.loads(invoke("risorse", "--voci", "-f", "json").stdout)
    items = sum(Decimal(v["importo"]) for a in document["ambiti"] for v in a["voci"])
    quotas = sum(Decimal(a["quota_1_percento"] or 0) for a in document["ambiti"])
    assert items + quotas == Decimal(document["totale"]) == CONSORZIO_TOTALE


# --- CSV -------------------------------------------------------------------------


def test_csv_totals_one_row_per_line_item(invoke: Invoke, agreement: Agreement) -> None:
    """The CSV has a row per fee line with the computed figures, and they sum to the total."""
    rows = _csv(invoke("totals", "-f", "csv").stdout)
    lines = [r for a in totali(agreement).ambiti for r in a.righe]
    defined = [row for row in rows if row["stato"] == "definito"]
    assert len(defined) == len(lines)
    for row, riga in zip(defined, lines, strict=True):
        assert int(row["ambito"]) == riga.ambito
        assert row["voce"] == riga.voce
        assert Decimal(row["imponibile"]) == riga.imponibile
        assert Decimal(row["aliquota_iva"]) == riga.aliquota_iva
        assert Decimal(row["iva"]) == riga.iva
        assert Decimal(row["totale"]) == riga.totale
    assert sum(Decimal(row["imponibile"]) for row in defined) == GRAND_IMPONIBILE
    assert sum(Decimal(row["totale"]) for row in defined) == GRAND_TOTALE


def test_csv_open_item_is_empty_not_zero(invoke: Invoke) -> None:
    """The electoral service is a row marked `da definire` with empty amounts."""
    rows = _csv(invoke("totals", "-f", "csv").stdout)
    (open_item,) = [row for row in rows if row["stato"] == "da definire"]
    assert open_item["voce"].startswith("Servizio elettorale")
    assert open_item["ambito"] == "5"
    assert open_item["aliquota_iva"] == "22"
    assert open_item["imponibile"] == open_item["iva"] == open_item["totale"] == ""


def test_csv_amounts_are_plain_decimals(invoke: Invoke) -> None:
    """Amounts are written with a dot and two decimals, no grouping, no symbol."""
    rows = _csv(invoke("totals", "-f", "csv").stdout)
    amounts = [row[k] for row in rows for k in ("imponibile", "iva", "totale") if row[k]]
    assert amounts
    assert all(_PLAIN_AMOUNT.match(a) for a in amounts), amounts
    assert "1302537.59" not in amounts  # no totals row: summing never counts twice


def test_csv_risorse_itemised_sums_to_the_total(invoke: Invoke, agreement: Agreement) -> None:
    """Every consortium item and 1 % share is a row; together they make € 86.670,49."""
    rows = _csv(invoke("risorse", "--voci", "-f", "csv").stdout)
    assert sum(Decimal(row["importo"]) for row in rows) == CONSORZIO_TOTALE
    assert [row["importo"] for row in rows if row["tipo"] == "quota_1_percento"] == [
        "9000.00",
        "1550.49",
    ]
    per_ambito = {a.numero: a.totale for a in risorse(agreement).ambiti}
    for numero, total in per_ambito.items():
        items = [r for r in rows if r["ambito"] == str(numero) and r["tipo"] == "risorsa"]
        assert sum(Decimal(r["importo"]) for r in items) == total


def test_csv_nido_and_tiers(invoke: Invoke) -> None:
    """The nursery CSVs carry the 23-children quote and a row per tier."""
    (quote,) = _csv(invoke("nido", "-n", "23", "-f", "csv").stdout)
    assert (quote["iscritti_min"], quote["iscritti_max"]) == ("21", "26")
    assert quote["canone_mensile"] == "22909.58"
    assert quote["totale"] == "262085.60"
    assert quote["riduzione_totale"] == "43784.19"
    tiers = _csv(invoke("nido", "-f", "csv").stdout)
    assert [t["stato"] for t in tiers] == ["definito"] * 3 + ["rimodulazione"]
    assert tiers[-1]["canone_mensile"] == ""


def test_csv_check_lists_every_check(invoke: Invoke, agreement: Agreement) -> None:
    """One CSV row per check, with the outcome of each."""
    rows = _csv(invoke("check", "-f", "csv").stdout)
    assert len(rows) == len(run_checks(agreement))
    assert {row["esito"] for row in rows} == {"concorda", "troncato"}
    (ratio,) = [row for row in rows if row["unita"] == "%"]
    assert ratio["dichiarato"] == "7.5"
    assert ratio["calcolato"].startswith("7.5587")


# --- Markdown --------------------------------------------------------------------


def _tables(text: str) -> list[list[str]]:
    """The pipe tables in ``text``, each as its lines (header, rule, rows)."""
    tables: list[list[str]] = []
    previous = ""
    for line in text.splitlines():
        if line.startswith("|"):
            if not previous.startswith("|"):
                tables.append([])
            tables[-1].append(line)
        previous = line
    return tables


def _cells(line: str) -> list[str]:
    # Split on pipes that are not escaped, then drop the empty edges.
    return [cell.strip() for cell in re.split(r"(?<!\\)\|", line)[1:-1]]


def test_markdown_totals_table(invoke: Invoke) -> None:
    """Italian figures, right-aligned amount columns and a bold totals row."""
    text = invoke("totals", "-f", "markdown").stdout
    lines = _tables(text)[0]
    header, rule = _cells(lines[0]), _cells(lines[1])
    assert header[:3] == ["Ambito", "Voce", "Imponibile"]
    assert rule[0].endswith("-")
    assert rule[2].endswith(":")
    total = next(_cells(line) for line in lines if line.startswith("| **Totale**"))
    assert total[2] == "**€ 1.146.628,71**"
    assert total[-1] == "**€ 1.302.537,59**"
    assert "*da definire*" in text


def test_markdown_rows_keep_their_shape(invoke: Invoke) -> None:
    """Every row of every Markdown table has as many cells as its header."""
    for command in FORMAT_COMMANDS:
        tables = _tables(invoke(*command, "-f", "markdown").stdout)
        assert tables, command
        for lines in tables:
            assert {len(_cells(line)) for line in lines} == {len(_cells(lines[0]))}, command


def test_markdown_escapes_a_pipe_in_a_label(
    invoke: Invoke, data_text: str, write_data: Callable[[str], Path]
) -> None:
    """A `|` in a label is escaped, so the row keeps its columns."""
    text = data_text.replace("voce: Facchinaggio", "voce: Facchinaggio | traslochi")
    result = invoke("--data", str(write_data(text)), "totals", "-f", "markdown")
    assert result.exit_code == 0, result.output
    line = next(line for line in result.stdout.splitlines() if "Facchinaggio" in line)
    assert "Facchinaggio \\| traslochi" in line
    assert len(_cells(line)) == 6


def test_markdown_escape() -> None:
    """Labels lose line breaks and markup characters are escaped."""
    assert escape("a | b\nc *d* _e_") == "a \\| b c \\*d\\* \\_e\\_"
    assert escape("progetto Nido/Materna – S. Carlo") == "progetto Nido/Materna – S. Carlo"


def test_markdown_follows_the_locale(invoke: Invoke) -> None:
    """`--locale en` writes the grand total the English way."""
    assert "**€1,302,537.59**" in invoke("--locale", "en", "totals", "-f", "markdown").stdout


# --- XLSX ------------------------------------------------------------------------


def _workbook(data: bytes) -> Any:
    return openpyxl.load_workbook(io.BytesIO(data))


def test_xlsx_totals_has_numeric_euro_cells(agreement: Agreement) -> None:
    """The workbook has one sheet per table; amounts are numbers in a euro format."""
    municipali = totali(agreement)
    book = _workbook(XlsxRenderer().totals(municipali, risorse(agreement, municipali)))
    assert book.sheetnames == ["Risorse comunali", "Risorse Consorzio"]
    sheet = book["Risorse comunali"]
    header = [cell.value for cell in sheet[1]]
    assert header[0] == "Ambito"
    assert all(cell.font.b for cell in sheet[1])
    first = dict(zip(header, sheet[2], strict=True))
    assert first["Imponibile"].value == pytest.approx(294105.57)
    assert first["Imponibile"].number_format == EURO_FORMAT
    assert first["IVA %"].value == pytest.approx(0.04)
    last = {h: cell.value for h, cell in zip(header, sheet[sheet.max_row], strict=True)}
    assert last["Ambito"] == "Totale"
    assert last["Imponibile"] == pytest.approx(float(GRAND_IMPONIBILE), abs=0.001)
    assert last["Totale IVA inclusa"] == pytest.approx(float(GRAND_TOTALE), abs=0.001)
    assert all(cell.font.b for cell in sheet[sheet.max_row] if cell.value is not None)


def test_xlsx_every_amount_is_a_number(agreement: Agreement) -> None:
    """Apart from the open item, every amount cell holds a number, not text."""
    municipali = totali(agreement)
    sheet = _workbook(XlsxRenderer().totals(municipali, risorse(agreement, municipali)))[
        "Risorse comunali"
    ]
    for row in sheet.iter_rows(min_row=2, min_col=6, max_col=9):
        for cell in row:
            if cell.value == "da definire":
                continue
            if cell.value is not None:
                assert isinstance(cell.value, int | float), cell.coordinate


def test_xlsx_open_item_is_text_not_zero(agreement: Agreement) -> None:
    """The electoral service shows `da definire` where its figures would be."""
    municipali = totali(agreement)
    sheet = _workbook(XlsxRenderer().totals(municipali, risorse(agreement, municipali)))[
        "Risorse comunali"
    ]
    row = next(r for r in sheet.iter_rows(values_only=True) if str(r[1]).startswith("Servizio"))
    assert row[5] == row[7] == row[8] == "da definire"


def test_xlsx_consortium_sheet(invoke: Invoke, tmp_path: Path) -> None:
    """`risorse --voci -f xlsx` lists every item and closes with the total."""
    target = tmp_path / "risorse.xlsx"
    assert invoke("risorse", "--voci", "-f", "xlsx", "-o", str(target)).exit_code == 0
    sheet = openpyxl.load_workbook(target)["Risorse Consorzio"]
    rows = list(sheet.iter_rows(values_only=True))
    total = next(r for r in rows if r[0] == "Totale")
    assert total[2] == pytest.approx(float(CONSORZIO_TOTALE))
    items = [r[2] for r in rows[1 : rows.index(total)]]
    assert Decimal(str(sum(items))).quantize(Decimal("0.01")) == CONSORZIO_TOTALE


def test_xlsx_is_reproducible(agreement: Agreement, invoke: Invoke, tmp_path: Path) -> None:
    """The same data gives byte-identical workbooks, run after run."""
    municipali = totali(agreement)
    resources = risorse(agreement, municipali)
    assert XlsxRenderer().totals(municipali, resources) == XlsxRenderer().totals(
        municipali, resources
    )
    first, second = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    invoke("check", "-f", "xlsx", "-o", str(first))
    invoke("check", "-f", "xlsx", "-o", str(second))
    assert first.read_bytes() == second.read_bytes()


def test_xlsx_to_a_pipe_writes_the_bytes(invoke: Invoke) -> None:
    """Without -o, and stdout not a terminal, the workbook goes to stdout."""
    result = invoke("nido", "-f", "xlsx")
    assert result.exit_code == 0
    assert result.stdout_bytes.startswith(b"PK")


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_xlsx_to_a_terminal_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    """Binary output to a terminal is refused with a hint to use --output."""
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stdout", terminal)
    with pytest.raises(UsageError, match=r"--output FILE\.xlsx"):
        _emit(b"PK\x03\x04", Format.XLSX, None)
    assert terminal.getvalue() == ""


# --- locale ----------------------------------------------------------------------


@pytest.mark.parametrize(("locale", "figure"), [("it", "€ 1.302.537,59"), ("en", "€1,302,537.59")])
def test_locale_shapes_the_figures(invoke: Invoke, locale: str, figure: str) -> None:
    """`--locale` decides separators and the euro sign's place."""
    result = invoke("--locale", locale, "totals")
    assert result.exit_code == 0
    assert figure in result.stdout


@pytest.mark.parametrize("fmt", [Format.TABLE, Format.MARKDOWN])
def test_unknown_locale_is_a_usage_error(invoke: Invoke, fmt: Format) -> None:
    """An unknown --locale: exit 2 and a message naming it, no traceback."""
    result = invoke("--locale", "xx", "totals", "-f", fmt.value)
    assert result.exit_code == 2
    assert "unknown locale 'xx'" in result.stderr
    assert result.stdout == ""


def test_renderers_return_without_printing(
    agreement: Agreement, capsys: pytest.CaptureFixture[str]
) -> None:
    """Renderers return text or bytes and write nothing themselves."""
    municipali = totali(agreement)
    resources = risorse(agreement, municipali)
    for fmt in Format:
        if fmt is Format.TABLE:
            continue  # a Rich renderable, printed by the CLI
        out = renderer(fmt, "it").totals(municipali, resources)
        assert isinstance(out, bytes if fmt.binary else str)
    assert capsys.readouterr() == ("", "")


# --- the JSON Schema of the data format ------------------------------------------


def test_committed_schema_is_up_to_date(invoke: Invoke) -> None:
    """data/ambiti.schema.json is what `crema-budget schema` prints today."""
    committed = SCHEMA_PATH.read_text(encoding="utf-8")
    assert committed == json_schema(), "run: crema-budget schema > data/ambiti.schema.json"
    assert invoke("schema").stdout == committed


def test_data_file_points_editors_at_the_schema() -> None:
    """The data file's first line tells the YAML language server where the schema is."""
    first = DATA_PATH.read_text(encoding="utf-8").splitlines()[0]
    assert first == f"# yaml-language-server: $schema={SCHEMA_PATH.name}"


def test_schema_accepts_the_shipped_data() -> None:
    """The schema is valid draft 2020-12 and the 2016 agreement passes it."""
    schema = schema_document()
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(yaml.safe_load(DATA_PATH.read_text(encoding="utf-8")), schema)


def _set(data: Any, path: tuple[Any, ...], value: Any) -> None:
    for key in path[:-1]:
        data = data[key]
    data[path[-1]] = value


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("ambiti", 0, "servizi", 0, "mensilita"), "undici"),
        (("ambiti", 0, "servizi", 0, "mensilita"), 13),
        (("ambiti", 0, "servizi", 0, "canone_mensile"), -1),
        (("ambiti", 0, "servizi", 0, "canone_mensile"), "26.736,87"),
        (("ambiti", 0, "colore"), "blu"),
        (("ambiti", 1, "numero"), 0),
        (("risorse_consorzio", "dichiarato", "per_ambito", "uno"), 5540),
        (("documento", "anno"), 16),
    ],
    ids=[
        "text-months",
        "13-months",
        "negative",
        "italian-amount",
        "unknown-key",
        "ambito-0",
        "key-not-a-number",
        "two-digit-year",
    ],
)
def test_schema_rejects_a_broken_copy(path: tuple[Any, ...], value: Any) -> None:
    """A wrong value or an unknown key in a copy of the data fails validation."""
    data = yaml.safe_load(DATA_PATH.read_text(encoding="utf-8"))
    _set(data, path, value)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, schema_document())


# --- shell completion ------------------------------------------------------------


def test_completion_options_are_offered(invoke: Invoke) -> None:
    """`--help` lists Typer's --install-completion and --show-completion."""
    result = invoke("--help")
    assert "--install-completion" in result.stdout
    assert "--show-completion" in result.stdout


def test_completion_script_and_answers(tmp_path: Path) -> None:
    """The installed command prints a bash script and completes command names."""
    script = Path(sys.executable).with_name("crema-budget")
    if not script.exists():
        pytest.skip("crema-budget is not installed next to this Python")
    env = {"_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION": "1", "PATH": str(script.parent)}
    shown = subprocess.run(
        [str(script), "--show-completion", "bash"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        check=False,
    )
    assert shown.returncode == 0, shown.stderr
    assert "complete -o default -F _crema_budget_completion crema-budget" in shown.stdout
    env = {
        "_CREMA_BUDGET_COMPLETE": "complete_bash",
        "COMP_WORDS": "crema-budget to",
        "COMP_CWORD": "1",
        "PATH": str(script.parent),
    }
    answer = subprocess.run(
        [str(script)], capture_output=True, text=True, env=env, cwd=tmp_path, check=False
    )
    assert answer.stdout.split() == ["totals"]
