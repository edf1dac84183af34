"""A workbook as plain data, for both spreadsheet formats: sheets, their rows and
cells and how each cell looks, with the names, references and text that
spreadsheets accept. :mod:`crema_budget.render.sheets` decides the layout;
:mod:`crema_budget.render.xlsx` and :mod:`crema_budget.render.ods` write it."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from enum import Enum
from typing import NamedTuple

from crema_budget.i18n import _
from crema_budget.money import HUNDRED, decimal_places
from crema_budget.view import Kind

#: Longest sheet name spreadsheets accept, and the characters they refuse in one.
SHEET_NAME_MAX = 31
_SHEET_NAME_SUBSTITUTES = str.maketrans(
    {"[": "(", "]": ")", ":": " -", "*": "-", "?": "", "/": "-", "\\": "-"}
)
#: Characters XML cannot hold (controls other than tab and newline, lone
#: surrogates, U+FFFE/U+FFFF): shown as U+FFFD, so a reader sees something was there.
_NOT_XML = re.compile("[^\t\n\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")

#: The longest title a printed page header shows.
PAGE_TITLE_MAX = 120


class Tone(str, Enum):
    """How a cell stands out, beyond bold and italic."""

    PLAIN = "plain"
    TITLE = "title"  # the sheet's title: larger, bold
    HEADER = "header"  # column titles: bold, shaded, ruled below
    ALERT = "alert"  # must not be missed: dark red on light red
    GOOD = "good"  # an outcome that is fine: green
    NOTE = "note"  # secondary: grey italic


class Rule(str, Enum):
    """A line above a row."""

    NONE = "none"
    LIGHT = "light"  # a group begins
    STRONG = "strong"  # a total


class Look(NamedTuple):
    tone: Tone = Tone.PLAIN
    bold: bool = False
    italic: bool = False
    right: bool = False  # words in a column of figures sit where the figure would
    indent: bool = False  # text kept clear of the figures to its left
    wrap: bool = False
    rule: Rule = Rule.NONE
    quote: bool = False  # text a spreadsheet would otherwise take for a formula


Plain = Decimal | int | str | date | None
PLAIN = Look()


class SheetCell(NamedTuple):
    """One cell of a sheet: a value of ``kind`` (numbers as the view holds them:
    a percentage in percent), its look, and how many columns it spans."""

    value: Plain
    kind: Kind = Kind.TEXT
    places: int = 2
    look: Look = PLAIN
    span: int = 1
    #: A subtotal: ``SUBTOTAL(9, …)`` over these sheet rows (first, last) of its
    #: own column, with ``value`` as the cached result.
    sums: tuple[int, int] | None = None


class SheetRow(NamedTuple):
    cells: tuple[tuple[int, SheetCell], ...] = ()  # (column, cell), left to right
    lines: int = 1  # lines of text the row must show; 1 leaves the height to the reader


class Sheet(NamedTuple):
    name: str
    title: str  # for the first row and the printed page header
    widths: tuple[float, ...]  # column widths, in characters
    rows: tuple[SheetRow, ...]
    #: The row of column titles: frozen on screen, repeated on printed pages.
    header: int | None = None
    #: The printed page header: the document and the sheet, so that a page read on
    #: its own says what it is part of.
    heading: str = ""


def sheet_number(value: Decimal | int, kind: Kind) -> Decimal | int:
    """A figure as the sheet stores it: a percentage as a fraction (7.5 → 0.075)."""
    if kind in (Kind.RATE, Kind.PERCENT):
        return Decimal(value) / HUNDRED
    return value


def figure_places(value: Decimal | int, kind: Kind, places: int) -> int:
    """Decimals a figure is shown with: a VAT rate as the document writes it
    (4%, 7.5%), a count none, anything else ``places``."""
    if kind is Kind.RATE:
        return decimal_places(Decimal(value))
    return {Kind.COUNT: 0, Kind.MONEY: 2}.get(kind, places)


def sheet_names(wanted: list[str]) -> list[str]:
    """Names spreadsheets accept: at most 31 characters, none of ``[]:*?/\\``,
    no apostrophe at either end, unique regardless of case."""
    names: list[str] = []
    taken: set[str] = set()
    for number, name in enumerate(wanted, start=1):
        base = " ".join(clean(name).translate(_SHEET_NAME_SUBSTITUTES).split()).strip("'")
        base = base or _("Sheet {n}").format(n=number)
        name, copy = _cut(base, SHEET_NAME_MAX), 1
        while name.casefold() in taken:
            copy += 1
            suffix = f" ({copy})"
            name = _cut(base, SHEET_NAME_MAX - len(suffix)) + suffix
        taken.add(name.casefold())
        names.append(name)
    return names


def _cut(text: str, most: int) -> str:
    """``text`` cut to ``most`` UTF-16 code units (as spreadsheets count them),
    at a word's end if one is not too far back."""
    if len(text.encode("utf-16-le")) // 2 <= most:
        return text
    text = text[:most]  # a character is one or two code units
    while len(text.encode("utf-16-le")) // 2 > most:
        text = text[:-1]
    space = text.rfind(" ")
    if space > most // 2:
        text = text[:space]
    return text.rstrip(" ,;:.-–'") or text


def clean(text: str) -> str:
    """``text`` with line breaks as ``\\n`` and the characters a file cannot
    hold made visible as U+FFFD."""
    return _NOT_XML.sub("\ufffd", text.replace("\r\n", "\n").replace("\r", "\n"))


def one_line(text: str) -> str:
    """``text`` cleaned, its lines and runs of spaces joined by single spaces."""
    return " ".join(clean(text).split())


def sum_range(column: int, rows: tuple[int, int]) -> tuple[str, str]:
    """The first and last cell a subtotal sums: rows ``rows`` (from 0) of
    ``column`` (0 is ``A``, 26 is ``AA``), as ``A1``-style references."""
    letters = ""
    number = column + 1
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return f"{letters}{rows[0] + 1}", f"{letters}{rows[1] + 1}"


def page_footer() -> str:
    """The printed footer, ``&P`` the page and ``&N`` the number of pages."""
    return _("Page &P of &N")


def page_title(title: str) -> str:
    """A sheet's title as the printed page header shows it: on one line, and
    cut short where XLSX would refuse it (255 characters with its codes)."""
    title = one_line(title)
    if len(title) > PAGE_TITLE_MAX:
        title = title[: PAGE_TITLE_MAX - 1] + "…"
    return title
