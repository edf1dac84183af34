"""Every view in every format, read back the way its users read it; terminal tables
that fit any width; the choice of format from the file name."""

from __future__ import annotations

import csv
import io
import json
import re
import sys
from decimal import Decimal
from fractions import Fraction
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import Invoke

from crema_budget.agreement.checks import run_checks
from crema_budget.agreement.compute import preventivo_nido, risorse, tariffe_nido, totali
from crema_budget.agreement.model import Agreement
from crema_budget.reading.source import Provenance
from crema_budget.render import Format, Options, render
from crema_budget.render.csv import safe
from crema_budget.render.markdown import escape
from crema_budget.view import Column, Kind, Row, RowKind, Table, View, sum_problems, tables
from crema_budget.views.agreement import fasce_view, nido_view, risorse_view, totals_view
from crema_budget.views.checks import check_view
from crema_budget.views.report import report_view

#: Every command that shows results, with the arguments that make it run.
FORMAT_COMMANDS = [
    ("totals",),
    ("nido", "-n", "23"),
    ("nido", "-n", "18"),
    ("nido",),
    ("risorse",),
    ("risorse", "--voci"),
    ("check",),
    ("report",),
    ("--data", "examples/ambiti_2016_variato.yaml", "variazioni"),
]

#: Figures the signed document states, as it writes them.
DOCUMENT_FIGURES = [
    "294.105,57", "11.764,22", "305.869,79", "21.413,10", "856,52", "22.269,62",
    "62.280,00", "2.491,20", "64.771,20", "83.693,10", "87.040,82", "27.600,00",
    "28.704,00", "87.396,00", "90.891,84", "114.996,00", "4.599,84", "119.595,84",
    "42.479,93", "1.699,20", "44.179,13", "426.842,00", "93.905,24", "520.747,24",
    "16.550,00", "3.641,00", "20.191,00", "167.962,11", "36.951,66", "204.913,77",
    "611.354,11", "745.852,01", "1.146.628,71", "1.302.537,59", "5.540,00", "8.450,00",
    "11.490,00", "9.000,00", "11.140,00", "39.500,00", "1.550,49", "76.120,00",
    "10.550,49", "86.670,49",
]  # fmt: skip

GRAND_TOTALE = Decimal("1302537.59")


def all_views(agreement: Agreement) -> dict[str, View]:
    from datetime import date

    from crema_budget.agreement.load import load_agreement
    from crema_budget.agreement.versions import Versione, amended

    municipali = totali(agreement)
    consorzio = risorse(agreement, municipali)
    signed = load_agreement(Path("examples/ambiti_2016_variato.yaml"))
    variato = amended(signed)
    signed_totals = totali(signed)
    versione = Versione(variato.applicate, signed_totals, risorse(signed, signed_totals), None)
    amended_totals = totali(variato.agreement)
    return {
        "totals, amended": totals_view(
            signed.documento,
            amended_totals,
            risorse(variato.agreement, amended_totals),
            "it",
            versione,
        ),
        "totals": totals_view(agreement.documento, municipali, consorzio, "it"),
        "risorse": risorse_view(consorzio, False, "it"),
        "risorse --voci": risorse_view(consorzio, True, "it"),
        "nido 23": nido_view(preventivo_nido(agreement, 23), "it"),
        "nido 18": nido_view(preventivo_nido(agreement, 18), "it"),
        "nido": fasce_view(tariffe_nido(agreement)),
        "check": check_view(run_checks(agreement), "it"),
        "report": report_view(
            agreement, Provenance("ambiti_2016.yaml", "0" * 64, date(2016, 6, 30)), "it"
        ),
    }


def _csv(text: str, delimiter: str = ",") -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text), delimiter=delimiter))


# --- every format, every command ------------------------------------------------


@pytest.mark.parametrize("fmt", list(Format), ids=lambda f: f.value)
@pytest.mark.parametrize("command", FORMAT_COMMANDS, ids=" ".join)
def test_every_format_for_every_command(
    invoke: Invoke, tmp_path: Path, command: tuple[str, ...], fmt: Format
) -> None:
    """Each command succeeds in each format (PDF: or names its extra), to a file named
    for it, and the file is what its extension says."""
    target = tmp_path / f"out.{'md' if fmt is Format.MARKDOWN else fmt.value}"
    if fmt is Format.CSV_IT:
        target = tmp_path / "out.csv"
    if fmt is Format.TABLE:
        target = tmp_path / "out.txt"
    result = invoke(*command, "--format", fmt.value, "-o", str(target))
    rimodulazione = command == ("nido", "-n", "18")
    if fmt is Format.PDF and result.exit_code == 2:
        # the command that installs it beside the tool: this interpreter's pip
        assert f"{sys.executable} -m pip install weasyprint" in result.stderr
        return
    assert result.exit_code == (3 if rimodulazione else 0), result.stderr
    data = target.read_bytes()
    assert data
    assert f"{target}" in result.stderr  # "scritto …": the note goes to stderr
    assert result.stdout == ""
    if fmt in (Format.XLSX, Format.ODS, Format.ODT, Format.DOCX):
        assert data.startswith(b"PK")
    elif fmt is Format.PDF:
        assert data.startswith(b"%PDF")
    elif fmt is Format.JSON:
        assert json.loads(data)["schema"].startswith("crema-budget/")
    elif fmt is Format.HTML:
        assert data.startswith(b"<!doctype html>")
    else:
        data.decode("utf-8")


def test_output_option_writes_the_same_text(invoke: Invoke, tmp_path: Path) -> None:
    """`-o FILE` writes exactly what stdout would show; the note goes to stderr."""
    target = tmp_path / "totali.csv"
    written = invoke("totals", "-f", "csv", "-o", str(target))
    assert written.stdout == ""
    assert target.read_bytes().decode("utf-8") == invoke("totals", "-f", "csv").stdout


@pytest.mark.parametrize(
    ("name", "starts"),
    [
        ("t.csv", "\ufeffScheda".encode()),  # an Italian's .csv: csv-it
        ("t.json", b"{"),
        ("t.md", b"# "),
        ("t.xlsx", b"PK"),
        ("t.ods", b"PK"),
        ("t.odt", b"PK"),
        ("t.docx", b"PK"),
        ("t.html", b"<!doctype html>"),
        ("t.txt", b"Scheda"),
    ],
)
def test_extension_picks_the_format(
    invoke: Invoke, tmp_path: Path, name: str, starts: bytes
) -> None:
    """Without --format, the output file's extension decides: totali.xlsx is a workbook,
    never a text table in a file named .xlsx."""
    target = tmp_path / name
    result = invoke("totals", "-o", str(target))
    assert result.exit_code == 0, result.stderr
    assert target.read_bytes().startswith(starts)


def test_csv_it_goes_in_a_csv_file(invoke: Invoke, tmp_path: Path) -> None:
    """`-f csv-it -o x.csv` is no contradiction: the Italian dialect of CSV."""
    target = tmp_path / "x.csv"
    assert invoke("totals", "-f", "csv-it", "-o", str(target)).exit_code == 0
    assert target.read_bytes().startswith(b"\xef\xbb\xbf")


# --- the views keep their promises -----------------------------------------------


def test_every_total_is_the_sum_of_its_rows(agreement: Agreement) -> None:
    """In every view, each subtotal and total is the sum of the rows it closes, which
    is what the spreadsheets' SUBTOTAL formulas will compute."""
    for name, view in all_views(agreement).items():
        for table in tables(view.blocks):
            assert sum_problems(table) == [], name


# --- JSON ------------------------------------------------------------------------


#: Each fee line as the document states it: taxable amount, VAT, total. Ambito 3's
#: lines are in its text without their VAT, worked here by hand: 27.600,00 × 4 % =
#: 1.104,00 and 87.396,00 × 4 % = 3.495,84.
DOCUMENT_LINES = {
    "nido": ("294105.57", "11764.22", "305869.79"),
    "pre-post": ("21413.10", "856.52", "22269.62"),
    "colonia": ("62280.00", "2491.20", "64771.20"),
    "accoglienza": ("27600.00", "1104.00", "28704.00"),
    "equipe": ("87396.00", "3495.84", "90891.84"),
    "autonomia": ("42479.93", "1699.20", "44179.13"),
    "impianti": ("426842.00", "93905.24", "520747.24"),
    "facchinaggio": ("16550.00", "3641.00", "20191.00"),
    "verde": ("167962.11", "36951.66", "204913.77"),
}
#: Each ambito's totals as the document states them; the VAT it does not state is the
#: total minus the taxable amount (ambito 2: 87.040,82 − 83.693,10 = 3.347,72; ambito 5:
#: 745.852,01 − 611.354,11 = 134.497,90).
DOCUMENT_AMBITI = {
    1: ("294105.57", "11764.22", "305869.79"),
    2: ("83693.10", "3347.72", "87040.82"),
    3: ("114996.00", "4599.84", "119595.84"),
    4: ("42479.93", "1699.20", "44179.13"),
    5: ("611354.11", "134497.90", "745852.01"),
}


def test_json_totals_are_the_documents_figures(invoke: Invoke) -> None:
    """Every line, ambito and grand total in the JSON is the figure the document states,
    written with two decimals; the grand VAT is 1.302.537,59 − 1.146.628,71."""
    document = json.loads(invoke("totals", "-f", "json").stdout)
    lines = {
        r["codice"]: (r["imponibile"], r["iva"], r["totale"])
        for a in document["ambiti"]
        for r in a["righe"]
    }
    assert lines == DOCUMENT_LINES
    ambiti = {a["numero"]: (a["imponibile"], a["iva"], a["totale"]) for a in document["ambiti"]}
    assert ambiti == DOCUMENT_AMBITI
    assert (document["imponibile"], document["iva"], document["totale"]) == (
        "1146628.71",
        "155908.88",
        "1302537.59",
    )
    resources = document["risorse_consorzio"]
    assert (resources["totale_risorse"], resources["totale_quote_1_percento"]) == (
        "76120.00",
        "10550.49",
    )
    assert resources["totale"] == "86670.49"  # 76.120,00 + 10.550,49
    # 86.670,49 / 1.146.628,71 = 0,0755872…: 7,56 % to two decimals, 7,5 % as declared.
    exact = Fraction(8667049 * 100, 114662871)
    assert abs(Fraction(resources["percentuale"]) - exact) < Fraction(1, 10**20)
    assert resources["percentuale_2_decimali"] == "7.56"
    assert resources["percentuale_dichiarata"] == "7.5"


# --- CSV -------------------------------------------------------------------------


def test_csv_totals_one_row_per_line_item(invoke: Invoke) -> None:
    """The CSV has a row per fee line with the document's figures, in its order, and
    they sum to the document's grand total."""
    rows = _csv(invoke("totals", "-f", "csv").stdout)
    defined = [row for row in rows if row["riga"] == "voce"]
    assert [(int(row["ambito"]), row["codice"]) for row in defined] == [
        (1, "nido"),
        (2, "pre-post"),
        (2, "colonia"),
        (3, "accoglienza"),
        (3, "equipe"),
        (4, "autonomia"),
        (5, "impianti"),
        (5, "facchinaggio"),
        (5, "verde"),
    ]
    for row in defined:
        assert (row["imponibile"], row["iva"], row["totale"]) == DOCUMENT_LINES[row["codice"]]
    assert sum(Decimal(row["totale"]) for row in defined) == GRAND_TOTALE


def test_csv_open_item_is_empty_not_zero(invoke: Invoke) -> None:
    """The electoral service is a row marked `da_definire` with empty amounts."""
    rows = _csv(invoke("totals", "-f", "csv").stdout)
    (open_item,) = [row for row in rows if row["riga"] == "da_definire"]
    assert open_item["codice"] == "elettorale"
    assert open_item["aliquota_iva"] == "22"
    assert open_item["imponibile"] == open_item["iva"] == open_item["totale"] == ""


def test_csv_headers_are_identifiers_in_every_language(invoke: Invoke) -> None:
    """`csv` is for scripts: the same header row in Italian and in English."""
    italian = invoke("totals", "-f", "csv").stdout.splitlines()[0]
    english = invoke("totals", "-f", "csv", "-l", "en").stdout.splitlines()[0]
    assert italian == english
    assert italian.startswith("ambito,codice,voce,")


def test_csv_it_for_italian_spreadsheets(invoke: Invoke, agreement: Agreement) -> None:
    """`csv-it`: byte-order mark, semicolons, decimal comma without grouping, Italian
    headers, every table with its totals."""
    text = invoke("totals", "-f", "csv-it").stdout
    assert text.startswith("\ufeff")
    lines = text.lstrip("\ufeff").splitlines()
    header = next(line for line in lines if line.startswith("Ambito;"))
    assert "Imponibile" in header
    assert "Totale IVA inclusa" in header
    rows = list(csv.reader(lines, delimiter=";"))
    flat = [cell for row in rows for cell in row]
    assert "1302537,59" in flat
    assert "86670,49" in flat
    assert "1.302.537,59" not in text


def test_csv_neutralises_formulas(agreement: Agreement) -> None:
    """A label that starts with =, +, -, @, a tab or CR cannot run as a formula."""
    for label in ('=HYPERLINK("http://x","y")', "+1", "-1+2", "@SUM(1)", "\t=1", "\r=1"):
        assert safe(label).startswith("'")
    view = View(
        "T",
        (
            Table(
                "T",
                (Column("voce", "Voce"), Column("importo", "Importo", Kind.MONEY)),
                (Row(('=HYPERLINK("http://x","y")', Decimal("-1.00"))),),
            ),
        ),
    )
    for fmt in (Format.CSV, Format.CSV_IT):
        rendered = render(fmt, view, Options("it"))
        assert isinstance(rendered, str)
        assert "'=HYPERLINK" in rendered
        assert "-1" in rendered  # a negative number stays a number


# --- Markdown --------------------------------------------------------------------


def test_markdown_tables_parse(invoke: Invoke) -> None:
    """Every pipe table has the same number of cells on every line, right-aligned figures."""
    text = invoke("totals", "-f", "markdown").stdout
    blocks = re.findall(r"((?:^\|.*\|\n)+)", text, flags=re.M)
    assert len(blocks) == 2
    for block in blocks:
        counts = {line.count(" | ") for line in block.splitlines() if not line.startswith("|-")}
        assert len(counts) == 1
    assert "**€ 1.302.537,59**" in text
    assert "---:|" in text


def test_markdown_escapes_labels() -> None:
    """A label with | or markup characters cannot break the table."""
    assert escape("a | b *c* [d]") == "a \\| b \\*c\\* \\[d\\]"


# --- HTML ------------------------------------------------------------------------


class _Cells(HTMLParser):
    """Counts the cells of each table row and collects the text."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[int] = []
        self.text: list[str] = []
        self.fetches: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "tr":
            self.rows.append(0)
        elif tag in ("td", "th"):
            span = dict(attrs).get("colspan")
            self.rows[-1] += int(span) if span else 1
        for name, value in attrs:
            if name in ("src", "href") and value:
                self.fetches.append(value)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_html_page_is_well_formed(invoke: Invoke) -> None:
    """Every row of every table has as many cells as its header; nothing is fetched;
    every document figure is on the page, the euro sign bound to it."""
    page = invoke("report", "-f", "html").stdout
    parser = _Cells()
    parser.feed(page)
    assert parser.fetches == []
    assert "<script" not in page
    text = "".join(parser.text)
    for figure in DOCUMENT_FIGURES:
        assert f"€\u00a0{figure}" in text
    assert "€ 1" not in text  # no breakable space after the sign


# --- terminal tables that fit ----------------------------------------------------


@pytest.mark.parametrize("width", [40, 60, 80, 120])
@pytest.mark.parametrize(
    "command",
    [("totals",), ("risorse", "--voci"), ("nido",), ("nido", "-n", "23"), ("check",)],
    ids=" ".join,
)
def test_tables_fit_the_terminal(invoke: Invoke, command: tuple[str, ...], width: int) -> None:
    """At 40, 60, 80 and 120 columns: no line is wider, no figure is cut, wrapped or
    ended in "…", and every column's title is there (or each row is a block)."""
    result = invoke(*command, width=width)
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= width
    assert "…" not in result.stdout
    text = result.stdout
    if command == ("totals",):
        for figure in DOCUMENT_FIGURES:
            assert figure in text, (width, figure)
    if command == ("risorse", "--voci"):
        assert "86.670,49" in text
        assert "3.240,00" in text


def test_eighty_columns_keep_every_column(invoke: Invoke) -> None:
    """In an 80-column terminal the tier table keeps its first column and whole figures."""
    text = invoke("nido", width=80).stdout
    assert "27 o più" in text
    assert "1.069,47" in text
    assert "rimodulazione" in text


def test_sixty_columns_are_still_a_table(invoke: Invoke) -> None:
    """At 60 columns `totals` is still a table (one line per fee line, in two tables
    side by side no more: one under the other), not blocks; "da definire" is never
    split over two lines, nor "Dante/Pesadori" in the middle of a word."""
    text = invoke("totals", width=60).stdout
    line = next(line for line in text.splitlines() if "294.105,57" in line)
    assert line.lstrip("│ ").startswith("1 ")  # the ambito beside its figure
    assert "Imponibile:" not in text
    assert "305.869,79" in text
    assert text.count("definire") == text.count("da definire") > 0
    assert "Dante/Pesadori" in text or "Dante/\n" in text
    assert "Pesado\n" not in text.replace(" ", "").replace("│", "")


def test_forty_columns_stack_the_rows(invoke: Invoke) -> None:
    """Below the narrowest table, each row becomes a block of `Title: value` lines."""
    text = invoke("totals", width=40).stdout
    assert "Imponibile: € 294.105,57" in text


def test_labels_are_not_markup(agreement: Agreement) -> None:
    """A label with [brackets] or :emoji: codes prints as written."""
    view = View(
        "T",
        (Table("", (Column("voce", "Voce"),), (Row(("[bold]x[/bold] :smile:",), RowKind.ITEM),)),),
    )
    rendered = render(Format.TABLE, view, Options("it", width=80))
    assert isinstance(rendered, str)
    assert "[bold]x[/bold] :smile:" in rendered


def test_the_ambito_number_is_shown_once_per_ambito(invoke: Invoke) -> None:
    """In a terminal table the ambito's number heads its group and is not repeated on
    its other lines, its open items or its subtotal, notes between them or not; a
    spreadsheet keeps it on every row."""
    table = invoke("totals", width=100).stdout
    municipal = table.split("Risorse aggiuntive del Consorzio")[0]
    numbers = re.findall(r"^│\s+(\d)\s+│", municipal, re.M)
    assert numbers == ["1", "2", "3", "4", "5"]
    rows = list(csv.reader(io.StringIO(invoke("totals", "-f", "csv").stdout)))
    assert [r[0] for r in rows[1:]].count("5") == 4  # three lines and the open item


def test_a_narrow_terminal_gives_labels_the_room_it_has(invoke: Invoke) -> None:
    """When no layout leaves labels comfortable, the one that gives them most room is
    used: at 80 columns `check` drops the vertical rules rather than fold its
    references into 13-character slivers and break words."""
    table = invoke("check", width=80).stdout.split("Cifre calcolate non dichiarate")[0]
    assert "│" not in table
    assert "Dante/Pesadori" in table
    assert max(len(line) for line in table.splitlines()) <= 80
