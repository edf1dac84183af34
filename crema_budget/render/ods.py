"""ODS: any view as a live OpenDocument spreadsheet, the XML written here.

The workbook is the one :mod:`crema_budget.render.xlsx` plans (one sheet per
table, figures as numbers with formats, ``SUBTOTAL(9; …)`` totals with their
values cached, print setup); this module only says it in OpenDocument: flat
XML in a zip whose first part is the uncompressed ``mimetype``, then the
manifest, content, styles, metadata and settings (the frozen column titles).
No library is needed for that, and none is imported: an ODF library costs
several times more to load and to write than this whole module does.

Numbers are written as the view holds them, from their decimal text: a
figure never passes through a float. Each numeric cell also carries its text
as a person reads it, for readers that show the text rather than format the
value. The same view always gives the same bytes: no clock is read, and
every part of the zip has one fixed date.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from crema_budget import fmt
from crema_budget.render.sheets import (
    Look,
    Rule,
    Sheet,
    SheetCell,
    Tone,
    clean,
    page_footer,
    page_title,
    plan,
    sheet_number,
)
from crema_budget.view import Kind, View

if TYPE_CHECKING:
    from crema_budget.render import Options

MIMETYPE = "application/vnd.oasis.opendocument.spreadsheet"
#: Every part of the zip carries this date, not the clock's.
ZIP_DATE = (1980, 1, 1, 0, 0, 0)

#: A column's width in centimetres per character of the plan (a digit of the
#: default font, 10-point Liberation Sans), and the cell's padding.
CM_PER_CHARACTER = 0.21
CM_PADDING = 0.1
#: Height of a line of text: regular, and in the sheet's title.
LINE_CM = 0.45
TITLE_LINE_CM = 0.6
TITLE_SIZE = "13pt"

_NAMESPACES = {
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "style": "urn:oasis:names:tc:opendocument:xmlns:style:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "number": "urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0",
    "fo": "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0",
    "of": "urn:oasis:names:tc:opendocument:xmlns:of:1.2",
    "meta": "urn:oasis:names:tc:opendocument:xmlns:meta:1.0",
    "dc": "http://purl.org/dc/elements/1.1/",
    "config": "urn:oasis:names:tc:opendocument:xmlns:config:1.0",
}
_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'


def _escape(text: str) -> str:
    """``text`` safe inside an XML element (``xml.sax.saxutils`` costs 20 ms to import)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _attribute(text: str) -> str:
    """``text`` as a quoted XML attribute value."""
    return '"' + _escape(text).replace('"', "&quot;") + '"'


_COLOURS = {
    Tone.PLAIN: ("", ""),  # text colour, background
    Tone.TITLE: ("", ""),
    Tone.HEADER: ("", "#d9d9d9"),
    Tone.ALERT: ("#9c0006", "#ffc7ce"),
    Tone.GOOD: ("#006100", ""),
    Tone.NOTE: ("#595959", ""),
}
_RULES = {
    Rule.NONE: "",
    Rule.LIGHT: "0.75pt solid #a6a6a6",
    Rule.STRONG: "0.75pt solid #000000",
}


def render(view: View, options: Options) -> bytes:
    """``view`` as an OpenDocument spreadsheet."""
    sheets = plan(view, options.locale)
    styles = _Styles(options.locale)
    tables = "".join(
        _table(sheet, number, styles, options.locale)
        for number, sheet in enumerate(sheets, start=1)
    )
    content = (
        _DECLARATION
        + _root("office:document-content")
        + "<office:automatic-styles>"
        + styles.automatic()
        + "</office:automatic-styles><office:body><office:spreadsheet>"
        + tables
        + "</office:spreadsheet></office:body></office:document-content>"
    )
    return _zip(
        [
            ("mimetype", MIMETYPE),
            ("META-INF/manifest.xml", _manifest()),
            ("content.xml", content),
            ("styles.xml", _styles_part(sheets)),
            ("meta.xml", _meta(view)),
            ("settings.xml", _settings(sheets)),
        ]
    )


def _root(name: str) -> str:
    declarations = " ".join(f'xmlns:{prefix}="{uri}"' for prefix, uri in _NAMESPACES.items())
    return f'<{name} {declarations} office:version="1.3">'


def _zip(parts: list[tuple[str, str]]) -> bytes:
    """The package: ``mimetype`` first and stored, so that it can be recognised
    from its first bytes; the rest deflated; every entry dated :data:`ZIP_DATE`."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in parts:
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.create_system = 3  # the same bytes whichever system writes them
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            archive.writestr(info, text.encode("utf-8"))
    return buffer.getvalue()


# --- styles ----------------------------------------------------------------------


class _Styles:
    """The automatic styles of ``content.xml``, named in the order first used."""

    def __init__(self, locale: str) -> None:
        self._language = locale.replace("-", "_").split("_")[0].lower()
        self._data: dict[tuple[str, int], str] = {}  # (kind, decimals) → N1…
        self._cells: dict[tuple[str, Look], str] = {}  # (data style, look) → ce1…
        self._columns: dict[float, str] = {}
        self._rows: dict[tuple[int, bool], str] = {}
        self._xml: dict[str, list[str]] = {
            "data": [],
            "column": [],
            "row": [],
            "table": [],
            "cell": [],
        }

    def automatic(self) -> str:
        return "".join(
            "".join(self._xml[family]) for family in ("data", "column", "row", "table", "cell")
        )

    def table(self, number: int) -> str:
        name = f"ta{number}"
        self._xml["table"].append(
            f'<style:style style:name="{name}" style:family="table" '
            f'style:master-page-name="mp{number}">'
            '<style:table-properties table:display="true" style:writing-mode="lr-tb"/>'
            "</style:style>"
        )
        return name

    def column(self, width: float) -> str:
        if width not in self._columns:
            name = self._columns[width] = f"co{len(self._columns) + 1}"
            self._xml["column"].append(
                f'<style:style style:name="{name}" style:family="table-column">'
                f'<style:table-column-properties fo:break-before="auto" '
                f'style:column-width="{width * CM_PER_CHARACTER + CM_PADDING:.3f}cm"/>'
                "</style:style>"
            )
        return self._columns[width]

    def row(self, lines: int, title: bool) -> str:
        key = (lines, title)
        if key not in self._rows:
            name = self._rows[key] = f"ro{len(self._rows) + 1}"
            if lines > 1 or title:
                height = lines * (TITLE_LINE_CM if title else LINE_CM)
                properties = (
                    f'style:row-height="{height:.3f}cm" style:use-optimal-row-height="false"'
                )
            else:
                properties = (
                    f'style:row-height="{LINE_CM:.3f}cm" style:use-optimal-row-height="true"'
                )
            self._xml["row"].append(
                f'<style:style style:name="{name}" style:family="table-row">'
                f'<style:table-row-properties fo:break-before="auto" {properties}/>'
                "</style:style>"
            )
        return self._rows[key]

    def cell(self, cell: SheetCell) -> str:
        data = self._data_style(cell)
        key = (data, cell.look)
        if key not in self._cells:
            name = self._cells[key] = f"ce{len(self._cells) + 1}"
            self._xml["cell"].append(_cell_style(name, data, cell.look))
        return self._cells[key]

    def _data_style(self, cell: SheetCell) -> str:
        value = cell.value
        if value is None or isinstance(value, str) or cell.kind is Kind.TEXT:
            return ""
        kind = "date" if isinstance(value, date) else cell.kind.value
        key = (kind, cell.places)
        if key not in self._data:
            name = self._data[key] = f"N{len(self._data) + 1}"
            self._xml["data"].append(self._data_xml(name, kind, cell.places))
        return self._data[key]

    def _data_xml(self, name: str, kind: str, places: int) -> str:
        if kind == "date":
            return (
                f'<number:date-style style:name="{name}">{_DATE_PARTS.get(self._language, _ISO)}'
                "</number:date-style>"
            )
        digits = (
            f'<number:number number:decimal-places="{places}" '
            f'number:min-decimal-places="{places}" number:min-integer-digits="1"'
        )
        if kind == Kind.MONEY.value:
            return (
                f'<number:currency-style style:name="{name}">'
                '<number:currency-symbol number:language="it" number:country="IT">€'
                "</number:currency-symbol><number:text> </number:text>"
                f'{digits} number:grouping="true"/></number:currency-style>'
            )
        if kind in (Kind.RATE.value, Kind.PERCENT.value):
            return (
                f'<number:percentage-style style:name="{name}">{digits}/>'
                "<number:text>%</number:text></number:percentage-style>"
            )
        grouping = ' number:grouping="true"' if kind == Kind.POINTS.value else ""
        return (
            f'<number:number-style style:name="{name}">{digits}{grouping}/></number:number-style>'
        )


_ISO = (
    '<number:year number:style="long"/><number:text>-</number:text>'
    '<number:month number:style="long"/><number:text>-</number:text>'
    '<number:day number:style="long"/>'
)
_DATE_PARTS = {
    "it": '<number:day number:style="long"/><number:text>/</number:text>'
    '<number:month number:style="long"/><number:text>/</number:text>'
    '<number:year number:style="long"/>',
    "en": '<number:day/><number:text> </number:text><number:month number:textual="true"/>'
    '<number:text> </number:text><number:year number:style="long"/>',
}


def _cell_style(name: str, data: str, look: Look) -> str:
    colour, background = _COLOURS[look.tone]
    cell = [
        'style:vertical-align="bottom"'
        if look.tone is Tone.HEADER
        else 'style:vertical-align="top"'
    ]
    if look.wrap:
        cell.append('fo:wrap-option="wrap"')
    if background:
        cell.append(f'fo:background-color="{background}"')
    if look.rule is not Rule.NONE:
        cell.append(f'fo:border-top="{_RULES[look.rule]}"')
    if look.tone is Tone.HEADER:
        cell.append('fo:border-bottom="0.75pt solid #000000"')
    paragraph = ""
    if look.right:
        cell.append('style:text-align-source="fix"')
        paragraph = '<style:paragraph-properties fo:text-align="end"/>'
    elif look.indent:
        cell.append('style:text-align-source="fix"')
        paragraph = '<style:paragraph-properties fo:text-align="start" fo:margin-left="0.2cm"/>'
    text = []
    if look.bold:
        text.append(
            'fo:font-weight="bold" style:font-weight-asian="bold" style:font-weight-complex="bold"'
        )
    if look.italic:
        text.append(
            'fo:font-style="italic" style:font-style-asian="italic" '
            'style:font-style-complex="italic"'
        )
    if colour:
        text.append(f'fo:color="{colour}"')
    if look.tone is Tone.TITLE:
        text.append(f'fo:font-size="{TITLE_SIZE}"')
    data_style = f' style:data-style-name="{data}"' if data else ""
    text_properties = f"<style:text-properties {' '.join(text)}/>" if text else ""
    return (
        f'<style:style style:name="{name}" style:family="table-cell" '
        f'style:parent-style-name="Default"{data_style}>'
        f"<style:table-cell-properties {' '.join(cell)}/>{paragraph}{text_properties}"
        "</style:style>"
    )


# --- sheets ----------------------------------------------------------------------


def _table(sheet: Sheet, number: int, styles: _Styles, locale: str) -> str:
    out = [
        f"<table:table table:name={_attribute(sheet.name)} "
        f'table:style-name="{styles.table(number)}">'
    ]
    out.extend(
        f'<table:table-column table:style-name="{styles.column(width)}"/>' for width in sheet.widths
    )
    for index, row in enumerate(sheet.rows):
        title = any(cell.look.tone is Tone.TITLE for _column, cell in row.cells)
        xml = f'<table:table-row table:style-name="{styles.row(row.lines, title)}">'
        column = 0
        for at, cell in row.cells:
            if at > column:
                xml += _empty(at - column)
            xml += _cell(cell, at, styles.cell(cell), locale)
            if cell.span > 1:
                repeated = cell.span - 1
                xml += "<table:covered-table-cell" + (
                    f' table:number-columns-repeated="{repeated}"/>' if repeated > 1 else "/>"
                )
            column = at + cell.span
        xml += "</table:table-row>"
        if index == sheet.header:  # printed again at the top of every page
            xml = f"<table:table-header-rows>{xml}</table:table-header-rows>"
        out.append(xml)
    out.append("</table:table>")
    return "".join(out)


def _empty(count: int) -> str:
    if count == 1:
        return "<table:table-cell/>"
    return f'<table:table-cell table:number-columns-repeated="{count}"/>'


def _cell(cell: SheetCell, column: int, style: str, locale: str) -> str:
    attributes = f'table:style-name="{style}"'
    if cell.span > 1:
        attributes += f' table:number-columns-spanned="{cell.span}" table:number-rows-spanned="1"'
    value = cell.value
    if value is None:
        return f"<table:table-cell {attributes}/>"
    if isinstance(value, str):
        return (
            f'<table:table-cell {attributes} office:value-type="string">'
            f"{_paragraphs(value)}</table:table-cell>"
        )
    if isinstance(value, date):
        return (
            f'<table:table-cell {attributes} office:value-type="date" '
            f'office:date-value="{value.isoformat()}">'
            f"{_paragraphs(fmt.day(value, locale))}</table:table-cell>"
        )
    if cell.kind is Kind.MONEY:
        attributes += ' office:value-type="currency" office:currency="EUR"'
    elif cell.kind in (Kind.RATE, Kind.PERCENT):
        attributes += ' office:value-type="percentage"'
    else:
        attributes += ' office:value-type="float"'
    if cell.sums is not None:
        low, high = cell.sums
        letters = _column_letters(column)
        attributes += f' table:formula="of:=SUBTOTAL(9;[.{letters}{low + 1}:.{letters}{high + 1}])"'
    return (
        f'<table:table-cell {attributes} office:value="{_decimal(sheet_number(value, cell.kind))}">'
        f"{_paragraphs(_shown(value, cell, locale))}</table:table-cell>"
    )


def _decimal(value: Decimal | int) -> str:
    """A figure's exact decimal text, never in exponent notation."""
    return format(value, "f") if isinstance(value, Decimal) else str(value)


def _shown(value: Decimal | int, cell: SheetCell, locale: str) -> str:
    """The figure as the cell's number format shows it, in the reader's language."""
    if cell.kind is Kind.MONEY:
        return fmt.euro(Decimal(value), locale)
    if cell.kind in (Kind.RATE, Kind.PERCENT):
        return fmt.number(value, locale, cell.places) + "%"
    if cell.kind is Kind.POINTS:
        return fmt.number(value, locale, cell.places)
    return _decimal(value)


def _column_letters(column: int) -> str:
    """``0`` → ``A``, ``26`` → ``AA``."""
    letters = ""
    column += 1
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


_SPACES = re.compile(" {2,}")


def _paragraphs(text: str) -> str:
    """``text`` as ODF paragraphs: one per line, runs of spaces and tabs kept
    (XML would fold them)."""
    return "".join(f"<text:p>{_spans(line)}</text:p>" for line in text.split("\n"))


def _spans(line: str) -> str:
    escaped = _escape(line)
    escaped = _SPACES.sub(lambda run: f' <text:s text:c="{len(run.group()) - 1}"/>', escaped)
    if escaped.startswith(" "):
        escaped = "<text:s/>" + escaped[1:]
    return escaped.replace("\t", "<text:tab/>")


# --- the other parts -------------------------------------------------------------


def _styles_part(sheets: tuple[Sheet, ...]) -> str:
    """Default cell style; the printed page (A4 landscape, one page wide) and,
    for each sheet, a master page with its title above and page numbers below."""
    masters = "".join(
        f'<style:master-page style:name="mp{number}" style:page-layout-name="pm1">'
        f"<style:header><style:region-center><text:p>{_spans(page_title(sheet.title))}</text:p>"
        "</style:region-center></style:header>"
        f"<style:footer><style:region-center><text:p>{_footer()}</text:p>"
        "</style:region-center></style:footer></style:master-page>"
        for number, sheet in enumerate(sheets, start=1)
    )
    margins = 'fo:min-height="0.6cm" fo:margin-left="0cm" fo:margin-right="0cm"'
    return (
        _DECLARATION + _root("office:document-styles") + "<office:styles>"
        '<style:default-style style:family="table-cell">'
        '<style:table-cell-properties style:vertical-align="top"/>'
        '<style:text-properties fo:font-size="10pt"/></style:default-style>'
        '<style:style style:name="Default" style:family="table-cell"/>'
        "</office:styles><office:automatic-styles>"
        '<style:page-layout style:name="pm1"><style:page-layout-properties '
        'fo:page-width="29.7cm" fo:page-height="21cm" style:print-orientation="landscape" '
        'fo:margin-top="1cm" fo:margin-bottom="1cm" fo:margin-left="1.5cm" '
        'fo:margin-right="1.5cm" style:print-page-order="ttb" style:first-page-number="continue" '
        'style:scale-to-X="1" '
        'style:print="charts drawings objects zero-values"/>'
        f"<style:header-style><style:header-footer-properties {margins} "
        'fo:margin-bottom="0.25cm"/></style:header-style>'
        f"<style:footer-style><style:header-footer-properties {margins} "
        'fo:margin-top="0.25cm"/></style:footer-style></style:page-layout>'
        "</office:automatic-styles>"
        f"<office:master-styles>{masters}</office:master-styles></office:document-styles>"
    )


def _line(text: str) -> str:
    return " ".join(clean(text).split())


_PAGE_FIELDS = re.compile("(&&|&P|&N)")


def _footer() -> str:
    """The footer's words with the page number (``&P``) and count (``&N``) as fields."""
    fields = {
        "&&": "&amp;",
        "&P": "<text:page-number>1</text:page-number>",
        "&N": "<text:page-count>1</text:page-count>",
    }
    return "".join(fields.get(part) or _spans(part) for part in _PAGE_FIELDS.split(page_footer()))


def _meta(view: View) -> str:
    """The title and subject; no dates, since none is known but the clock's."""
    subject = f"<dc:subject>{_escape(_line(view.subtitle))}</dc:subject>" if view.subtitle else ""
    return (
        _DECLARATION
        + _root("office:document-meta")
        + "<office:meta><meta:generator>crema-budget</meta:generator>"
        f"<dc:title>{_escape(_line(view.title))}</dc:title>{subject}"
        "</office:meta></office:document-meta>"
    )


def _settings(sheets: tuple[Sheet, ...]) -> str:
    """What LibreOffice shows on opening: the first sheet, each sheet's column
    titles frozen at the top."""

    def item(name: str, kind: str, value: object) -> str:
        return (
            f'<config:config-item config:name="{name}" config:type="{kind}">{value}'
            "</config:config-item>"
        )

    tables = []
    for sheet in sheets:
        if sheet.header is None:
            continue
        below = sheet.header + 1
        tables.append(
            f"<config:config-item-map-entry config:name={_attribute(sheet.name)}>"
            + item("HorizontalSplitMode", "short", 0)
            + item("VerticalSplitMode", "short", 2)
            + item("HorizontalSplitPosition", "int", 0)
            + item("VerticalSplitPosition", "int", below)
            + item("ActiveSplitRange", "short", 2)
            + item("PositionLeft", "int", 0)
            + item("PositionRight", "int", 0)
            + item("PositionTop", "int", 0)
            + item("PositionBottom", "int", below)
            + "</config:config-item-map-entry>"
        )
    return (
        _DECLARATION
        + _root("office:document-settings")
        + '<office:settings><config:config-item-set config:name="ooo:view-settings">'
        '<config:config-item-map-indexed config:name="Views"><config:config-item-map-entry>'
        + item("ViewId", "string", "view1")
        + '<config:config-item-map-named config:name="Tables">'
        + "".join(tables)
        + "</config:config-item-map-named>"
        + item("ActiveTable", "string", _escape(sheets[0].name))
        + "</config:config-item-map-entry></config:config-item-map-indexed>"
        "</config:config-item-set></office:settings></office:document-settings>"
    )


def _manifest() -> str:
    entries = "".join(
        f'<manifest:file-entry manifest:full-path="{path}" manifest:media-type="{kind}"/>'
        for path, kind in (
            ("content.xml", "text/xml"),
            ("styles.xml", "text/xml"),
            ("meta.xml", "text/xml"),
            ("settings.xml", "text/xml"),
        )
    )
    return (
        _DECLARATION
        + '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"'
        ' manifest:version="1.3">'
        f'<manifest:file-entry manifest:full-path="/" manifest:version="1.3" '
        f'manifest:media-type="{MIMETYPE}"/>{entries}</manifest:manifest>'
    )
