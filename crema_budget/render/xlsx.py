"""XLSX: any view as a live workbook, one sheet per table (XlsxWriter).

The workbook is planned by :mod:`crema_budget.render.sheets`; this module writes
that plan in Office Open XML. The same view always gives the same bytes: a
fixed creation date and a zip whose parts are stamped with one constant date.
XlsxWriter is imported only when a workbook is asked for.
"""

from __future__ import annotations

import io
from datetime import date, datetime, time
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from crema_budget.render.sheets import plan
from crema_budget.render.workbook import (
    PLAIN,
    Look,
    Rule,
    Sheet,
    SheetCell,
    Tone,
    clean,
    page_footer,
    page_title,
    sheet_number,
    sum_range,
)
from crema_budget.view import Kind, View

if TYPE_CHECKING:
    from crema_budget.render import Options

#: Stamped as the workbook's creation date instead of the clock, so output is
#: reproducible. It says nothing about when the file was made.
FIXED_CREATED = datetime(2000, 1, 1)
#: Euro sign first, Italian locale (LCID 0x410) for the symbol; grouping and
#: decimal marks follow the reader's spreadsheet settings.
EURO_FORMAT = "[$€-410] #,##0.00"
_DATE_FORMATS = {"it": "dd/mm/yyyy", "en": "d mmm yyyy"}
#: Points per line of text: Calibri 11, and the 13-point titles.
LINE_HEIGHT = 15.0
TITLE_LINE_HEIGHT = 18.0
#: Excel's longest text in a cell.
_CELL_TEXT_MAX = 32767
_A4 = 9

_COLOURS: dict[Tone, dict[str, object]] = {
    Tone.PLAIN: {},
    Tone.TITLE: {"font_size": 13},
    Tone.HEADER: {"bg_color": "#D9D9D9", "bottom": 1, "valign": "bottom"},
    Tone.ALERT: {"font_color": "#9C0006", "bg_color": "#FFC7CE"},
    Tone.GOOD: {"font_color": "#006100"},
    Tone.NOTE: {"font_color": "#595959"},
}
_RULES: dict[Rule, dict[str, object]] = {
    Rule.NONE: {},
    Rule.LIGHT: {"top": 1, "top_color": "#A6A6A6"},
    Rule.STRONG: {"top": 1},
}


def render(view: View, options: Options) -> bytes:
    """``view`` as an XLSX workbook."""
    import xlsxwriter  # only when a workbook is asked for

    buffer = io.BytesIO()
    book: Any = xlsxwriter.Workbook(
        buffer,
        # Labels are always text: never turned into formulas, links or numbers.
        {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False},
    )
    book.set_properties(
        {
            "title": clean(view.title),
            "subject": clean(view.subtitle),
            "author": "crema-budget",
            "created": FIXED_CREATED,
        }
    )
    formats = _Formats(book, options.locale)
    for sheet in plan(view, options.locale):
        _write_sheet(book.add_worksheet(sheet.name), sheet, formats)
    book.close()
    return buffer.getvalue()


def number(value: Decimal | int) -> float:
    """The one place a figure becomes a float: XLSX stores every number as an
    IEEE double, in which amounts below 10^13 cents keep every cent."""
    return float(value)


class _Formats:
    """XlsxWriter formats, one per number format and look, made when first used."""

    def __init__(self, book: Any, locale: str) -> None:
        self._book = book
        self._dates = _DATE_FORMATS.get(locale.replace("-", "_").split("_")[0], "yyyy-mm-dd")
        self._made: dict[tuple[str, Look], Any] = {}

    def number_format(self, cell: SheetCell) -> str:
        if cell.value is None or isinstance(cell.value, str):
            return ""
        if isinstance(cell.value, date):
            return self._dates
        decimals = "." + "0" * cell.places if cell.places else ""
        if cell.kind is Kind.MONEY:
            return EURO_FORMAT
        if cell.kind in (Kind.RATE, Kind.PERCENT):
            return f"0{decimals}%"
        if cell.kind is Kind.POINTS:
            return f"#,##0{decimals}"
        if cell.kind is Kind.COUNT:
            return "0"
        return ""  # a number in a text column: as the spreadsheet sees fit

    def get(self, cell: SheetCell) -> Any:
        key = (self.number_format(cell), cell.look)
        if key not in self._made:
            look = cell.look
            properties: dict[str, object] = {"valign": "top"}
            if key[0]:
                properties["num_format"] = key[0]
            properties.update(_COLOURS[look.tone])
            properties.update(_RULES[look.rule])
            flags = {
                "bold": look.bold,
                "italic": look.italic,
                "text_wrap": look.wrap,
                "quote_prefix": look.quote,
            }
            properties.update({name: True for name, on in flags.items() if on})
            if look.right:
                properties["align"] = "right"
            elif look.indent:
                properties.update({"align": "left", "indent": 1})
            self._made[key] = self._book.add_format(properties)
        return self._made[key]


def _write_sheet(worksheet: Any, sheet: Sheet, formats: _Formats) -> None:
    for column, width in enumerate(sheet.widths):
        worksheet.set_column(column, column, width)
    for index, row in enumerate(sheet.rows):
        titled = any(cell.look.tone is Tone.TITLE for _column, cell in row.cells)
        if row.lines > 1 or titled:
            worksheet.set_row(index, row.lines * (TITLE_LINE_HEIGHT if titled else LINE_HEIGHT))
        for column, cell in row.cells:
            _write_cell(worksheet, index, column, cell, formats)
    if sheet.header is not None:
        worksheet.freeze_panes(sheet.header + 1, 0)
        worksheet.repeat_rows(sheet.header)
    worksheet.set_landscape()
    worksheet.set_paper(_A4)
    worksheet.fit_to_pages(1, 0)  # one page wide, as many tall as it takes
    worksheet.set_header("&C" + _page_header(sheet.heading))
    worksheet.set_footer("&C" + page_footer())


def _write_cell(worksheet: Any, row: int, column: int, cell: SheetCell, formats: _Formats) -> None:
    style = formats.get(cell)
    if cell.span > 1:
        worksheet.merge_range(row, column, row, column + cell.span - 1, None, style)
    value = cell.value
    if value is None:
        if cell.look != PLAIN:  # a styled blank keeps a total's rule across the row
            worksheet.write_blank(row, column, None, style)
    elif isinstance(value, str):
        if len(value) > _CELL_TEXT_MAX:
            value = value[: _CELL_TEXT_MAX - 1] + "…"
        worksheet.write_string(row, column, value, style)
    elif isinstance(value, date):
        worksheet.write_datetime(row, column, datetime.combine(value, time()), style)
    elif cell.sums is not None:
        first, last = sum_range(column, cell.sums)
        cached = number(sheet_number(value, cell.kind))
        worksheet.write_formula(row, column, f"=SUBTOTAL(9,{first}:{last})", style, cached)
    else:
        worksheet.write_number(row, column, number(sheet_number(value, cell.kind)), style)


def _page_header(title: str) -> str:
    """``title`` as an XLSX page header says it: ``&`` doubled, so that no
    title is read as a header code (``&P``, ``&12``); its lines kept."""
    lines = []
    for line in title.split("\n"):
        line = page_title(line)
        escaped = line.replace("&", "&&")
        if "&G" in escaped.replace("&[Picture]", "&G"):
            # XlsxWriter would take it for an image's place: a full-width ampersand.
            escaped = line.replace("&", "\uff06")
        lines.append(escaped)
    return "\n".join(lines)
