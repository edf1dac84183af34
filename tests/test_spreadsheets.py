"""The spreadsheet formats, read back as their users read them: XLSX through
openpyxl (formulas, cached values, number formats, print setup), ODS by
parsing its XML with the standard library."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, NamedTuple
from xml.etree import ElementTree

import openpyxl
import pytest
from conftest import Invoke

from crema_budget import i18n
from crema_budget.agreement.compute import risorse, totali
from crema_budget.agreement.load import load_agreement
from crema_budget.render import Format, Options, ods, xlsx
from crema_budget.render import render as render_format
from crema_budget.view import (
    Bar,
    Chart,
    Column,
    Fact,
    Facts,
    Kind,
    Paragraph,
    Placeholder,
    Row,
    RowKind,
    Section,
    Style,
    Table,
    Value,
    View,
    for_grid,
    sum_groups,
)
from crema_budget.view import tables as view_tables
from crema_budget.views.agreement import totals_view

IT = Options("it")
#: The sheet's title is row 1, the column titles row 2, the table's rows follow.
HEADER_ROW = 2
FIRST_ROW = 3
CENT = Decimal("0.01")

NS = {
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "style": "urn:oasis:names:tc:opendocument:xmlns:style:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "number": "urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0",
    "fo": "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0",
    "config": "urn:oasis:names:tc:opendocument:xmlns:config:1.0",
}


def q(name: str) -> str:
    """``table:name`` as ElementTree spells it."""
    prefix, local = name.split(":")
    return f"{{{NS[prefix]}}}{local}"


# --- views -------------------------------------------------------------------------


@contextmanager
def speaking(code: str) -> Iterator[None]:
    """Words the writers add (sheet names, page footers) in ``code``'s language,
    whatever the test suite made active."""
    before = i18n.language()
    i18n.activate(code)
    try:
        yield
    finally:
        i18n.activate(before)


@pytest.fixture(scope="module")
def totals() -> View:
    """The ``totals`` view of the embedded 2016 agreement."""
    agreement = load_agreement()
    municipali = totali(agreement)
    with speaking("en"):
        return totals_view(agreement.documento, municipali, risorse(agreement, municipali), "it")


INJECTIONS = ('=HYPERLINK("http://x","y")', "@SUM(1)", "+1+1", "-1+1", "\tcmd", "\r=1")
MARKUP = "<b>&amp; \"quoted\" 'x' </b> ]]> <!-- -->"
LONG = "parola " * 6000  # 42,000 characters: more than a cell of Excel holds


def every_block() -> View:
    """A view with every kind of block, cell and row, and hostile labels."""
    columns = (
        Column("voce", "Item"),
        Column("data", "Date", Kind.DATE),
        Column("importo", "Amount", Kind.MONEY, sums=True),
        Column("aliquota", "Rate", Kind.RATE),
        Column("quota", "Share", Kind.PERCENT, places=1),
        Column("scarto", "Gap", Kind.POINTS, places=4),
        Column("n", "Count", Kind.COUNT, sums=True),
    )
    rows = (
        Row(
            (
                INJECTIONS[0],
                date(2016, 5, 10),
                Decimal("10.00"),
                Decimal("22"),
                Decimal("7.5587"),
                Decimal("-0.0587"),
                3,
            ),
            group=True,
        ),
        Row(("how it is computed", None, None, None, None, None, None), RowKind.NOTE),
        Row(
            (
                INJECTIONS[1],
                date(2016, 12, 31),
                Decimal("5.50"),
                Decimal("7.5"),
                Decimal("100"),
                Decimal("0"),
                2,
            )
        ),
        Row((MARKUP, None, Placeholder("to be defined"), None, None, None, None), RowKind.OPEN),
        Row(("Group total", None, Decimal("15.50"), None, None, None, 5), RowKind.SUBTOTAL),
        Row(
            (INJECTIONS[2], None, Decimal("1.25"), Value(Decimal("4"), Kind.RATE), None, None, 1),
            group=True,
        ),
        Row(
            (
                INJECTIONS[3],
                None,
                Decimal("0.25"),
                None,
                Value(Decimal("12.5"), Kind.PERCENT, 1),
                None,
                0,
            )
        ),
        Row(("Total", None, Decimal("17.00"), None, None, None, 6), RowKind.TOTAL),
    )
    table = Table("Hostile [table]: one/two*three?", columns, rows, ("A note under the table.",))
    return View(
        "Every block & more",
        (
            Paragraph("Before the first table."),
            Facts(
                (
                    Fact("Grand total", Decimal("1302537.59"), Kind.MONEY, strong=True),
                    Fact("Signed on", date(2016, 5, 10), Kind.DATE),
                ),
                "Summary",
            ),
            Section(
                "Part one",
                (
                    table,
                    Facts((Fact("Ratio", Decimal("7.5587"), Kind.PERCENT),)),
                    Paragraph("Mind this!", Style.ALERT),
                ),
            ),
            Section(
                "Part two",
                (
                    Paragraph("Before the chart.", Style.NOTE),
                    Chart(
                        "Chart",
                        (
                            Bar("Ambito 1", Decimal("305869.79")),
                            Bar("Ambito 2", Decimal("87040.82"), Decimal("80000.00")),
                        ),
                        "Total",
                        "Compared",
                    ),
                ),
            ),
            table._replace(title="", sheet="Hostile [table]: ONE/two*three?"),
        ),
        subtitle="A subtitle",
        alerts=("DRAFT: figures not agreed.",),
        provenance=(Fact("Data file", "ambiti_2016.yaml"), Fact("SHA-256", "ab" * 32)),
    )


def single(cells: tuple[Any, ...], kind: RowKind = RowKind.ITEM) -> Row:
    return Row(cells, kind)


def one_table(rows: tuple[Row, ...], title: str = "Labels", sheet: str = "") -> View:
    columns = (Column("voce", "Item"), Column("importo", "Amount", Kind.MONEY, sums=True))
    return View("One table", (Table(title, columns, rows, sheet=sheet),))


# --- reading the files back --------------------------------------------------------


class Sheets(NamedTuple):
    """An XLSX workbook as written (formulas) and as a viewer shows it (cached values)."""

    formulas: Any
    values: Any


def read_xlsx(data: bytes) -> Sheets:
    return Sheets(
        openpyxl.load_workbook(io.BytesIO(data)),
        openpyxl.load_workbook(io.BytesIO(data), data_only=True),
    )


class OdsCell(NamedTuple):
    type: str | None
    value: str | None  # office:value, office:date-value
    formula: str | None
    text: str
    style: str | None
    currency: str | None = None


class Ods(NamedTuple):
    sheets: dict[str, list[list[OdsCell]]]
    header_rows: dict[str, int]  # the row (1-based) inside table:table-header-rows
    styles: dict[str, ElementTree.Element]  # automatic styles of content.xml by name
    content: ElementTree.Element
    package: zipfile.ZipFile


def read_ods(data: bytes) -> Ods:
    package = zipfile.ZipFile(io.BytesIO(data))
    content = ElementTree.fromstring(package.read("content.xml"))
    styles = {
        element.get(q("style:name"), ""): element
        for element in content.find(q("office:automatic-styles")) or []
    }
    sheets: dict[str, list[list[OdsCell]]] = {}
    header_rows: dict[str, int] = {}
    for table in content.iter(q("table:table")):
        name = table.get(q("table:name"), "")
        rows: list[list[OdsCell]] = []
        for child in table:
            inner = [child]
            if child.tag == q("table:table-header-rows"):
                inner = list(child)
                header_rows[name] = len(rows) + 1
            for row in inner:
                if row.tag != q("table:table-row"):
                    continue
                cells: list[OdsCell] = []
                for cell in row:
                    repeat = int(cell.get(q("table:number-columns-repeated"), "1"))
                    text = "\n".join(odf_text(p) for p in cell.findall(q("text:p")))
                    value = cell.get(q("office:value")) or cell.get(q("office:date-value"))
                    read = OdsCell(
                        cell.get(q("office:value-type")),
                        value,
                        cell.get(q("table:formula")),
                        text,
                        cell.get(q("table:style-name")),
                        cell.get(q("office:currency")),
                    )
                    cells.extend([read] * repeat)
                rows.append(cells)
        sheets[name] = rows
    return Ods(sheets, header_rows, styles, content, package)


def odf_text(element: ElementTree.Element) -> str:
    """An ODF paragraph's text as a reader shows it: ``text:s`` spaces, ``text:tab`` tabs."""
    out = [element.text or ""]
    for child in element:
        if child.tag == q("text:s"):
            out.append(" " * int(child.get(q("text:c"), "1")))
        elif child.tag == q("text:tab"):
            out.append("\t")
        else:
            out.append(odf_text(child))
        out.append(child.tail or "")
    return "".join(out)


def ods_cell(book: Ods, sheet: str, row: int, column: int) -> OdsCell:
    """The cell at 1-based ``row`` and ``column``."""
    cells = book.sheets[sheet][row - 1]
    if column > len(cells):
        return OdsCell(None, None, None, "", None)
    return cells[column - 1]


def bold(book: Ods, cell: OdsCell) -> bool:
    properties = book.styles[cell.style or ""].find(q("style:text-properties"))
    return properties is not None and properties.get(q("fo:font-weight")) == "bold"


def italic(book: Ods, cell: OdsCell) -> bool:
    properties = book.styles[cell.style or ""].find(q("style:text-properties"))
    return properties is not None and properties.get(q("fo:font-style")) == "italic"


def data_style(book: Ods, cell: OdsCell) -> ElementTree.Element:
    name = book.styles[cell.style or ""].get(q("style:data-style-name"), "")
    return book.styles[name]


def cents(value: object) -> Decimal:
    return Decimal(str(value)).quantize(CENT)


def english_xlsx(view: View) -> Sheets:
    with speaking("en"):
        return read_xlsx(xlsx.render(view, IT))


def english_ods(view: View) -> Ods:
    with speaking("en"):
        return read_ods(ods.render(view, IT))


@pytest.fixture(scope="module")
def totals_xlsx(totals: View) -> Sheets:
    return english_xlsx(totals)


@pytest.fixture(scope="module")
def totals_ods(totals: View) -> Ods:
    return english_ods(totals)


@pytest.fixture(scope="module")
def every_xlsx() -> Sheets:
    return english_xlsx(every_block())


@pytest.fixture(scope="module")
def every_ods() -> Ods:
    return english_ods(every_block())


# --- the 2016 figures ---------------------------------------------------------------

#: Each fee line of the 2016 agreement, by its code, with its total including VAT.
LINES = {
    "nido": "305869.79",
    "pre-post": "22269.62",
    "colonia": "64771.20",
    "accoglienza": "28704.00",
    "equipe": "90891.84",
    "autonomia": "44179.13",
    "impianti": "520747.24",
    "facchinaggio": "20191.00",
    "verde": "204913.77",
}
#: The totals row of the municipal table (the first) and of the consortium's
#: (the second), by column key.
GRAND = {"imponibile": "1146628.71", "iva": "155908.88", "totale": "1302537.59"}
CONSORTIUM = {"risorse": "76120.00", "quota_1_percento": "10550.49", "totale": "86670.49"}


def table_at(view: View, index: int) -> Table:
    """The view's ``index``-th table, as grids show it."""
    return for_grid(view_tables(view.blocks)[index])


def place(table: Table, key: str) -> int:
    """The 1-based column of the column named ``key``."""
    return [column.key for column in table.columns].index(key) + 1


@pytest.mark.parametrize(("code", "total"), LINES.items())
def test_each_line_total_in_both_formats(
    totals: View, totals_xlsx: Sheets, totals_ods: Ods, code: str, total: str
) -> None:
    """Each fee line shows its total including VAT, as a number, in XLSX and ODS."""
    table = table_at(totals, 0)
    sheet = totals_xlsx.values[table.sheet]
    code_at, total_at = place(table, "codice"), place(table, "totale")
    (row,) = [
        r for r in range(FIRST_ROW, sheet.max_row + 1) if sheet.cell(r, code_at).value == code
    ]
    assert cents(sheet.cell(row, total_at).value) == Decimal(total)
    cell = ods_cell(totals_ods, table.sheet, row, total_at)
    assert (cell.type, cell.currency, Decimal(cell.value or "")) == (
        "currency",
        "EUR",
        Decimal(total),
    )


@pytest.mark.parametrize(("index", "figures"), [(0, GRAND), (1, CONSORTIUM)])
def test_grand_totals_are_formulas_with_the_document_figures(
    totals: View, totals_xlsx: Sheets, totals_ods: Ods, index: int, figures: dict[str, str]
) -> None:
    """The grand totals (€ 1.302.537,59; € 86.670,49) are SUBTOTAL formulas caching them."""
    table = table_at(totals, index)
    row = FIRST_ROW + [r.kind for r in table.rows].index(RowKind.TOTAL)
    written, shown = totals_xlsx.formulas[table.sheet], totals_xlsx.values[table.sheet]
    for key, figure in figures.items():
        at = place(table, key)
        assert str(written.cell(row, at).value).startswith("=SUBTOTAL(9,")
        assert cents(shown.cell(row, at).value) == Decimal(figure)
        cell = ods_cell(totals_ods, table.sheet, row, at)
        assert (cell.formula or "").startswith("of:=SUBTOTAL(9;[.")
        assert Decimal(cell.value or "") == Decimal(figure)


def test_every_subtotal_and_total_is_a_formula_with_the_views_value(
    totals: View, totals_xlsx: Sheets, totals_ods: Ods
) -> None:
    """Each subtotal and total is SUBTOTAL(9) over the rows it closes, caching the view's value."""
    checked = 0
    for grid in (table_at(totals, 0), table_at(totals, 1)):
        for index, members in sum_groups(grid):
            row = FIRST_ROW + index
            for position, column in enumerate(grid.columns, start=1):
                if not column.sums:
                    continue
                letter = openpyxl.utils.get_column_letter(position)
                low, high = FIRST_ROW + min(members), FIRST_ROW + max(members)
                expected = grid.rows[index].cells[position - 1]
                assert isinstance(expected, Decimal)
                formula = totals_xlsx.formulas[grid.sheet].cell(row, position).value
                assert formula == f"=SUBTOTAL(9,{letter}{low}:{letter}{high})"
                assert cents(totals_xlsx.values[grid.sheet].cell(row, position).value) == expected
                cell = ods_cell(totals_ods, grid.sheet, row, position)
                assert cell.formula == f"of:=SUBTOTAL(9;[.{letter}{low}:.{letter}{high}])"
                assert Decimal(cell.value or "") == expected  # exact: no float in ODS
                checked += 1
    assert checked == 15  # 3 ambito subtotals and the total × 3 columns, and 3 consortium


def test_grand_total_range_holds_subtotals_it_must_not_count(
    totals: View, totals_xlsx: Sheets
) -> None:
    """The grand total's range spans subtotals, which SUBTOTAL (unlike SUM) skips."""
    table = table_at(totals, 0)
    sheet = totals_xlsx.formulas[table.sheet]
    column = openpyxl.utils.get_column_letter(place(table, "totale"))
    formulas = [
        (cell.row, str(cell.value))
        for cell in sheet[column]
        if str(cell.value).startswith("=SUBTOTAL")
    ]
    *subtotals, (_, grand) = formulas
    low, high = map(int, re.findall(r"\d+", grand.split(",")[1]))
    assert [row for row, _ in subtotals if low < row < high]


def test_a_total_that_is_not_the_sum_is_written_as_a_value() -> None:
    """A total that is not the sum of its rows is written as a value, not a formula."""
    view = one_table(
        (
            single(("a", Decimal("1.00"))),
            single(("b", Decimal("2.00"))),
            single(("Total", Decimal("4.00")), RowKind.TOTAL),
        )
    )
    book = read_xlsx(xlsx.render(view, IT))
    assert book.formulas.worksheets[0]["B5"].value == 4
    cell = ods_cell(read_ods(ods.render(view, IT)), "Labels", 5, 2)
    assert (cell.formula, cell.value) == (None, "4.00")


# --- figures as numbers with formats -----------------------------------------------


def test_xlsx_figures_are_numbers_with_euro_and_percent_formats(
    totals: View, totals_xlsx: Sheets
) -> None:
    """Amounts carry the euro format, VAT rates percentages, months whole numbers."""
    table = table_at(totals, 0)
    sheet = totals_xlsx.formulas[table.sheet]
    money = sheet.cell(FIRST_ROW, place(table, "imponibile"))
    rate = sheet.cell(FIRST_ROW, place(table, "aliquota_iva"))
    months = sheet.cell(FIRST_ROW, place(table, "mensilita"))
    assert (money.data_type, money.number_format) == ("n", "[$€-410] #,##0.00")
    assert (rate.value, rate.number_format) == (0.04, "0%")
    assert (months.value, months.number_format) == (11, "0")


def test_xlsx_every_cell_type(every_xlsx: Sheets) -> None:
    """Dates, percentages, points and counts are typed; placeholders italic text; notes gone."""
    sheet = every_xlsx.formulas["Hostile (table) - one-two-three"]
    first, second, open_row = sheet[FIRST_ROW], sheet[FIRST_ROW + 1], sheet[FIRST_ROW + 2]
    assert first[1].is_date
    assert first[1].number_format == "dd/mm/yyyy"
    assert (first[3].value, first[3].number_format) == (0.22, "0%")
    assert (second[3].value, second[3].number_format) == (0.075, "0.0%")  # 7.5: its own decimal
    assert (first[4].value, first[4].number_format) == (0.075587, "0.0%")  # places=1
    assert (first[5].value, first[5].number_format) == (-0.0587, "#,##0.0000")
    assert second[0].value == INJECTIONS[1]  # the note row is not between them
    assert (open_row[2].value, open_row[2].data_type, open_row[2].font.i) == (
        "to be defined",
        "s",
        True,
    )
    rate_among_amounts = sheet[FIRST_ROW + 4][3]  # Value(4, RATE)
    assert (rate_among_amounts.value, rate_among_amounts.number_format) == (0.04, "0%")


def test_ods_cell_types_and_styles(totals: View, totals_ods: Ods, every_ods: Ods) -> None:
    """ODS cells are typed and styled: € before amounts, bold totals, italic placeholders."""
    name = "Hostile (table) - one-two-three"
    money = ods_cell(every_ods, name, FIRST_ROW, 3)
    assert (money.type, money.currency, money.value, money.text) == (
        "currency",
        "EUR",
        "10.00",
        "€ 10,00",
    )
    currency = data_style(every_ods, money)
    assert currency.tag == q("number:currency-style")
    assert [child.tag for child in currency][:2] == [q("number:currency-symbol"), q("number:text")]
    assert currency.find(q("number:currency-symbol")).text == "€"  # type: ignore[union-attr]
    assert ods_cell(every_ods, name, FIRST_ROW, 2)[:2] == ("date", "2016-05-10")
    rate = ods_cell(every_ods, name, FIRST_ROW + 1, 4)
    assert (rate.type, rate.value) == ("percentage", "0.075")
    places = data_style(every_ods, rate).find(q("number:number"))
    assert places is not None
    assert places.get(q("number:decimal-places")) == "1"
    placeholder = ods_cell(every_ods, name, FIRST_ROW + 2, 3)
    assert (placeholder.type, placeholder.value, placeholder.text) == (
        "string",
        None,
        "to be defined",
    )
    assert italic(every_ods, placeholder)
    name = table_at(totals, 1).sheet
    total = ods_cell(totals_ods, name, FIRST_ROW + 5, 5)
    assert total.value == "86670.49"
    assert bold(totals_ods, total)
    assert not bold(totals_ods, ods_cell(totals_ods, name, FIRST_ROW, 5))


# --- text is text -------------------------------------------------------------------


def test_labels_that_look_like_formulas_stay_text(every_xlsx: Sheets, every_ods: Ods) -> None:
    """A label starting with =, +, -, @, tab or CR stays a text cell, never a formula."""
    sheet = every_xlsx.formulas["Hostile (table) - one-two-three"]
    labels = {row[0].value: row[0] for row in sheet.iter_rows(min_row=FIRST_ROW)}
    for label in INJECTIONS[:4]:
        cell = labels[label]
        assert (cell.data_type, cell.quotePrefix) == ("s", True)
    view = one_table(tuple(single((label, None)) for label in INJECTIONS))
    written = read_xlsx(xlsx.render(view, IT)).formulas.worksheets[0]
    cells = [written.cell(FIRST_ROW + i, 1) for i in range(len(INJECTIONS))]
    assert all(cell.data_type == "s" and cell.quotePrefix for cell in cells[:5])
    assert cells[5].value == "\n=1"  # a carriage return is a line break
    book = read_ods(ods.render(view, IT))
    read = [ods_cell(book, "Labels", FIRST_ROW + i, 1) for i in range(len(INJECTIONS))]
    assert [(cell.type, cell.formula) for cell in read] == [("string", None)] * len(INJECTIONS)
    assert [cell.text for cell in read] == [*INJECTIONS[:5], "\n=1"]


def test_hostile_labels_arrive_whole(every_xlsx: Sheets, every_ods: Ods) -> None:
    """Markup, very long text, control characters and header codes arrive as written."""
    view = one_table(
        (
            single((MARKUP, None)),
            single((LONG, None)),
            single(("bell\x07 nul\x00 emoji 🙂 tab\tend", None)),
        ),
        title="&P & &12 [title] &[Picture]",
    )
    sheet = read_xlsx(xlsx.render(view, IT)).formulas.worksheets[0]
    assert sheet.cell(FIRST_ROW, 1).value == MARKUP
    long = sheet.cell(FIRST_ROW + 1, 1).value
    assert len(long) == 32767
    assert long.endswith("…")
    assert LONG.startswith(long[:-1])
    assert sheet.cell(FIRST_ROW + 2, 1).value == "bell\ufffd nul\ufffd emoji 🙂 tab\tend"
    # "&[Picture]" would be an image's place to XlsxWriter: full-width ampersands.
    header = "One table\n\uff06P \uff06 \uff0612 [title] \uff06[Picture]"
    assert sheet.oddHeader.center.text == header
    book = read_ods(ods.render(view, IT))
    (name,) = book.sheets
    assert [ods_cell(book, name, FIRST_ROW + i, 1).text for i in range(2)] == [MARKUP, LONG]
    assert ods_cell(book, name, FIRST_ROW + 2, 1).text == "bell\ufffd nul\ufffd emoji 🙂 tab\tend"
    assert ods_cell(every_ods, "Overview", 1, 1).text == "Every block & more"
    cover = every_xlsx.formulas["Overview"]
    # & doubled: not a header code
    assert cover.oddHeader.center.text == "Every block && more · A subtitle"


def test_ods_keeps_spaces_tabs_and_line_breaks() -> None:
    """Runs of spaces, leading spaces, tabs and line breaks survive XML."""
    text = "  two  spaces\tand a tab\nsecond line"
    book = read_ods(ods.render(one_table((single((text, None)),)), IT))
    assert ods_cell(book, "Labels", FIRST_ROW, 1).text == text
    cell = next(
        c
        for row in book.content.iter(q("table:table-row"))
        for c in row
        if "spaces" in "".join(c.itertext())
    )
    assert len(cell.findall(q("text:p"))) == 2


# --- sheets ----------------------------------------------------------------------------


def test_sheet_names_follow_the_rules(every_xlsx: Sheets, every_ods: Ods) -> None:
    """Sheet names: at most 31 characters, none of []:*?/\\, unique in any case, alike in both."""
    titles = ["A" * 40, "a" * 40, "x:y/z", "[one]", "", "'quoted'", "Overview"]
    view = View(
        "Names",
        tuple(one_table((single(("a", None)),), title=t).blocks[0] for t in titles),
        alerts=("alert",),
    )
    names = english_xlsx(view).formulas.sheetnames
    assert names == list(english_ods(view).sheets)
    assert len({name.casefold() for name in names}) == len(names) == len(titles) + 1
    for name in names:
        assert 0 < len(name) <= 31
        assert not set(name) & set("[]:*?/\\")
        assert not name.startswith("'")
        assert not name.endswith("'")
    assert names[:4] == ["Overview", "A" * 31, "a" * 27 + " (2)", "x -y-z"]
    assert every_xlsx.formulas.sheetnames == [
        "Overview",
        "Hostile (table) - one-two-three",
        "Chart",
        "Hostile (table) (2)",
    ]
    assert list(every_ods.sheets) == every_xlsx.formulas.sheetnames


def test_totals_sheets_and_header_row(totals: View, totals_xlsx: Sheets, totals_ods: Ods) -> None:
    """totals: a sheet per table, title on top, bold frozen column titles, facts below."""
    municipal, consortium = table_at(totals, 0), table_at(totals, 1)
    book = totals_xlsx.formulas
    assert book.sheetnames == [municipal.sheet, consortium.sheet]
    sheet = book[consortium.sheet]
    assert sheet["A1"].value == consortium.title
    assert [cell.value for cell in sheet[HEADER_ROW]] == [c.title for c in consortium.columns]
    assert all(cell.font.b for cell in sheet[HEADER_ROW])
    assert sheet.freeze_panes == "A3"
    facts = totals.blocks[2]
    assert isinstance(facts, Facts)
    below = FIRST_ROW + len(consortium.rows) + 1  # one blank row between
    # The euro sign is bound to its figure by a no-break space (never alone at a line's end).
    labels = [sheet.cell(below + i, 1).value.replace("\xa0", " ") for i in range(3)]
    assert labels == [f.label for f in facts.items]
    total = sheet.cell(below, len(consortium.columns))
    assert (total.value, total.number_format) == (86670.49, "[$€-410] #,##0.00")
    ratio = sheet.cell(below + 1, len(consortium.columns))
    assert (ratio.value, ratio.number_format) == (pytest.approx(0.0755872317), "0.00%")
    assert list(totals_ods.sheets) == book.sheetnames
    assert totals_ods.header_rows == dict.fromkeys(book.sheetnames, HEADER_ROW)
    settings = ElementTree.fromstring(totals_ods.package.read("settings.xml"))
    frozen = {
        entry.get(q("config:name")): {item.get(q("config:name")): item.text for item in entry}
        for entry in settings.iter(q("config:config-item-map-entry"))
        if entry.get(q("config:name"))
    }
    assert frozen[consortium.sheet]["VerticalSplitMode"] == "2"
    assert frozen[consortium.sheet]["VerticalSplitPosition"] == str(HEADER_ROW)


def test_every_block_kind_finds_its_place(every_xlsx: Sheets, every_ods: Ods) -> None:
    """Alerts, provenance and early blocks open the workbook; later ones go under their table."""
    cover = [row[0].value for row in every_xlsx.values["Overview"].iter_rows() if row[0].value]
    assert cover[:5] == [
        "Every block & more",
        "A subtitle",
        "DRAFT: figures not agreed.",
        "Data file",
        "SHA-256",
    ]
    assert cover[5:] == ["Before the first table.", "Summary", "Grand total", "Signed on"]
    overview = every_xlsx.values["Overview"]
    assert overview["A4"].font.b
    assert overview["A4"].fill.fgColor.rgb.endswith("FFC7CE")
    grand = next(row for row in overview.iter_rows() if row[0].value == "Grand total")
    assert (grand[1].value, grand[1].number_format) == (1302537.59, "[$€-410] #,##0.00")
    signed = next(row for row in overview.iter_rows() if row[0].value == "Signed on")
    assert signed[1].is_date
    table = every_xlsx.values["Hostile (table) - one-two-three"]
    below = [row[0].value for row in table.iter_rows(min_row=FIRST_ROW + 7) if row[0].value]
    assert below == ["A note under the table.", "Ratio", "Mind this!"]
    chart = every_xlsx.values["Chart"]
    assert [[cell.value for cell in row] for row in chart.iter_rows(min_row=FIRST_ROW)][:2] == [
        ["Ambito 1", 305869.79, None],
        ["Ambito 2", 87040.82, 80000],
    ]
    notes = [row[0].value for row in chart.iter_rows(min_row=FIRST_ROW + 2) if row[0].value]
    assert notes == ["Before the chart."]  # its section's, though it came before the chart
    assert every_ods.sheets["Overview"][3][0].text == "DRAFT: figures not agreed."


def test_print_setup(totals: View, totals_xlsx: Sheets, totals_ods: Ods) -> None:
    """Printed: A4 landscape, one page wide, titles repeated, page numbers, and a page
    header naming the document (title, Comune and Consorzio) and the sheet."""
    document = f"{totals.title} · {totals.subtitle}"
    assert "Comune di Crema" in document
    for sheet in totals_xlsx.formulas.worksheets:
        setup = sheet.page_setup
        assert (setup.orientation, setup.paperSize) == ("landscape", 9)
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        assert (setup.fitToWidth or 1, setup.fitToHeight) == (1, 0)
        assert sheet.print_title_rows == f"${HEADER_ROW}:${HEADER_ROW}"
        # the document on one line, the sheet on the next: neither cut short
        assert sheet.oddHeader.center.text == f"{document}\n{sheet['A1'].value}"
        assert sheet.oddFooter.center.text == "Page &P of &N"
    styles = ElementTree.fromstring(totals_ods.package.read("styles.xml"))
    layout = styles.find(f".//{q('style:page-layout-properties')}")
    assert layout is not None
    assert layout.get(q("style:print-orientation")) == "landscape"
    assert layout.get(q("style:scale-to-X")) == "1"
    assert layout.get(q("style:scale-to-Y")) is None  # as many pages tall as it takes
    masters = styles.findall(f".//{q('style:master-page')}")
    headers = [m.findall(f".//{q('style:header')}//{q('text:p')}") for m in masters]
    assert [[odf_text(p) for p in lines] for lines in headers] == [
        [document, table.title] for table in view_tables(totals.blocks)
    ]
    footer = masters[0].find(q("style:footer"))
    assert footer is not None
    assert footer.find(f".//{q('text:page-number')}") is not None
    assert footer.find(f".//{q('text:page-count')}") is not None
    assert odf_text(footer.find(f".//{q('text:p')}") or footer) == "Page 1 of 1"
    tables = totals_ods.content.iter(q("table:table"))
    pages = {
        totals_ods.styles[t.get(q("table:style-name"), "")].get(q("style:master-page-name"))
        for t in tables
    }
    assert pages == {m.get(q("style:name")) for m in masters}


# --- the package ------------------------------------------------------------------------


def test_same_view_same_bytes(totals: View) -> None:
    """Two renders of the same view are byte for byte the same file."""
    for module in (xlsx, ods):
        assert module.render(totals, IT) == module.render(totals, IT)
        assert module.render(every_block(), IT) == module.render(every_block(), IT)


def test_ods_package(totals: View) -> None:
    """The ODS zip: uncompressed mimetype first, every part in the manifest, fixed dates."""
    data = ods.render(totals, IT)
    assert data[30:38] == b"mimetype"
    assert data[38:84] == b"application/vnd.oasis.opendocument.spreadsheet"
    package = zipfile.ZipFile(io.BytesIO(data))
    infos = package.infolist()
    assert [info.filename for info in infos] == [
        "mimetype",
        "META-INF/manifest.xml",
        "content.xml",
        "styles.xml",
        "meta.xml",
        "settings.xml",
    ]
    assert infos[0].compress_type == zipfile.ZIP_STORED
    assert {info.date_time for info in infos} == {(1980, 1, 1, 0, 0, 0)}
    manifest = package.read("META-INF/manifest.xml").decode()
    assert all(f'full-path="{info.filename}"' in manifest for info in infos[2:])
    meta = package.read("meta.xml").decode()
    assert "<dc:title>Economic summary 2016</dc:title>" in meta
    assert "creation-date" not in meta
    assert "dc:date" not in meta


def test_ods_rows_hold_cells(every_ods: Ods) -> None:
    """Every row has at least one cell, blank rows too: the ODF schema requires it
    (LibreOffice forgives it, stricter readers need not)."""
    rows = list(every_ods.content.iter(q("table:table-row")))
    assert rows
    for row in rows:
        cells = [c for c in row if c.tag in (q("table:table-cell"), q("table:covered-table-cell"))]
        assert cells


def test_xlsx_properties(totals_xlsx: Sheets) -> None:
    """The workbook says its title and a fixed creation date, never the clock's."""
    properties = totals_xlsx.formulas.properties
    assert properties.title == "Economic summary 2016"
    assert properties.created.year == 2000


@pytest.mark.parametrize("fmt", [Format.XLSX, Format.ODS])
def test_registered_formats_render_workbooks(totals: View, fmt: Format, tmp_path: Path) -> None:
    """``--format xlsx`` and ``--format ods`` reach these writers and give a zip."""
    data = render_format(fmt, totals, IT)
    assert isinstance(data, bytes)
    assert data.startswith(b"PK")
    target = tmp_path / f"totals.{fmt.value}"
    target.write_bytes(data)
    assert zipfile.is_zipfile(target)


def test_formats_name_no_domain_concept() -> None:
    """The writers know typography, not the agreement: no domain word in them."""
    words = re.compile(
        r"\b(ambit[oi]|imponibile|iva|canone|nido|consorzio|comune|risorse)\b", re.IGNORECASE
    )
    for module in (xlsx, ods):
        source = Path(module.__file__ or "").read_text(encoding="utf-8")
        assert not words.findall(source), module.__name__


def test_words_follow_the_language() -> None:
    """In Italian the first sheet, the footer and an untitled sheet's name are Italian."""
    untitled = View("", (Table("", (Column("voce", "Voce"),), ()),), alerts=("Bozza",))
    with speaking("it"):
        expected = (i18n._("Overview"), i18n._("Page &P of &N"), i18n._("Sheet {n}"))
        book = read_xlsx(xlsx.render(untitled, IT)).formulas
        package = read_ods(ods.render(untitled, IT))
    assert expected == ("Riepilogo", "Pagina &P di &N", "Foglio {n}")
    assert book.sheetnames == list(package.sheets) == ["Riepilogo", "Foglio 2"]
    assert book.worksheets[0].oddFooter.center.text == "Pagina &P di &N"
    styles = ElementTree.fromstring(package.package.read("styles.xml"))
    footer = styles.find(f".//{q('style:footer')}/{q('style:region-center')}/{q('text:p')}")
    assert footer is not None
    assert odf_text(footer) == "Pagina 1 di 1"


def test_a_sumif_by_ambito_counts_each_line_once(invoke: Invoke) -> None:
    """Subtotal rows carry no ambito number, so summing the taxable column by ambito in
    a spreadsheet (SUMIF, a pivot table) gives each ambito's total, not twice it."""
    text = invoke("totals", "-f", "csv-it").stdout.lstrip("\ufeff")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    header = next(r for r in rows if r[:2] == ["Ambito", "Codice"])
    taxable = header.index("Imponibile")
    by_ambito: dict[str, Decimal] = {}
    for row in rows[rows.index(header) + 1 :]:
        if not any(row):
            break  # the end of the table
        if not row[0] or not row[taxable][:1].isdigit():  # a subtotal, an open item
            continue
        amount = Decimal(row[taxable].replace(",", "."))
        by_ambito[row[0]] = by_ambito.get(row[0], Decimal(0)) + amount
    assert by_ambito["2"] == Decimal("83693.10")
    assert by_ambito["5"] == Decimal("611354.11")
