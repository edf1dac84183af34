"""Cells as people read them, shared by the formats for reading (terminal,
Markdown, HTML, Italian CSV): one renderer per column type, as in beancount's
query renderer, so a figure looks the same wherever it appears. Also what
every grid must know of text: which of it a spreadsheet reads as a formula."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from crema_budget import figures
from crema_budget.i18n import _
from crema_budget.view import (
    Cell,
    Column,
    Fact,
    Kind,
    Placeholder,
    Row,
    RowKind,
    Table,
    cell_kind,
    cell_value,
)

#: A text cell starting so is a formula to a spreadsheet (OWASP's rule for CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def formula_like(content: str) -> bool:
    """Whether a spreadsheet would read ``content`` typed into a cell as a formula."""
    return content.startswith(FORMULA_STARTS)


def text(cell: Cell, column: Column, locale: str, symbol: bool = True) -> str:
    """``cell`` as a person reads it; ``symbol=False`` leaves out the euro sign."""
    if isinstance(cell, Placeholder):
        return cell.text
    value = cell_value(cell)
    if value is None:
        return ""
    kind, places = cell_kind(cell, column)
    return value_text(value, kind, places, locale, symbol)


def fact_text(fact: Fact, locale: str) -> str:
    """A fact's value as a person reads it."""
    return text(fact.value, Column("", "", fact.kind, fact.places), locale)


def value_text(
    value: Decimal | int | str | date, kind: Kind, places: int, locale: str, symbol: bool = True
) -> str:
    """A typed value as a person reads it."""
    if isinstance(value, bool):
        return yes_no(value)
    if isinstance(value, str):
        return value
    if isinstance(value, date):
        return figures.day(value, locale)
    if kind is Kind.MONEY:
        return figures.euro(Decimal(value), locale, symbol)
    if kind is Kind.RATE:
        return figures.rate(Decimal(value), locale)
    if kind is Kind.PERCENT:
        return figures.percent(Decimal(value), locale, places)
    if kind is Kind.POINTS:
        return figures.points(Decimal(value), locale, places)
    if kind is Kind.COUNT:
        return figures.number(value, locale)
    return str(value)


def yes_no(value: bool) -> str:
    """True or False as a person reads it: yes or no, in the reader's language."""
    return _("yes") if value else _("no")


def shown_rows(table: Table) -> list[tuple[Row, list[Cell]]]:
    """Each row with its cells as a reader sees them: a value the column shows
    ``once`` is left blank on the rows of its group that repeat it (a note row
    between them changes nothing)."""
    shown: list[tuple[Row, list[Cell]]] = []
    previous: list[Cell] | None = None
    for row in table.rows:
        cells = list(row.cells)
        if previous is not None and not row.group:
            for index, column in enumerate(table.columns):
                if column.once and cells[index] == previous[index]:
                    cells[index] = None
        if row.kind is not RowKind.NOTE:
            previous = list(row.cells)
        shown.append((row, cells))
    return shown


def figure(column: Column) -> bool:
    """Whether a column holds figures (aligned right, never wrapped)."""
    return column.kind not in (Kind.TEXT, Kind.YESNO)


def label_column(columns: tuple[Column, ...]) -> int:
    """The first column of labels (where a note row's text goes), else the first."""
    return next((index for index, column in enumerate(columns) if not figure(column)), 0)
