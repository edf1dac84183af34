"""What a person sees, as data: titles, sections, typed tables, facts, notes, charts.

A command computes its results, then builds a :class:`View` of them; any
format (:mod:`crema_budget.render`) writes any view. Views know the domain and
nothing of formats; formats know typography (alignment, bold totals, euro
cells, escaping, formulas) and nothing of the domain.

Tables have typed columns and rows with a kind. Rows of kind ``SUBTOTAL`` and
``TOTAL`` hold, in every column marked ``sums``, the sum of the rows they
close (a subtotal: the ``ITEM`` rows since its group began or the previous
subtotal; a total: every ``ITEM`` row of the table), so a spreadsheet can write them as
formulas; :func:`sum_problems` checks that a view keeps that promise.
"""

# Real annotations, no `from __future__`: NamedTuple would compile every string
# annotation into a ForwardRef at import.

from datetime import date
from decimal import Decimal
from enum import Enum
from typing import NamedTuple


class Kind(str, Enum):
    """The type of a column (or of one cell that overrides it)."""

    MONEY = "money"  # euros, Decimal
    RATE = "rate"  # a VAT rate in percent, as the document writes it: 4%, 22%
    PERCENT = "percent"  # a ratio in percent (Decimal), shown with ``places`` decimals
    POINTS = "points"  # a difference of percentages, in percentage points
    COUNT = "count"  # a whole number
    TEXT = "text"
    DATE = "date"
    YESNO = "yesno"  # True or False: yes or no for people, true or false for programs


class RowKind(str, Enum):
    """What a row is; formats style it (bold totals, italic open items)."""

    ITEM = "item"
    SUBTOTAL = "subtotal"
    TOTAL = "total"
    OPEN = "open"  # an item whose figures are not defined (da definire)
    #: A remark about the row above (how it is computed, what amended it): text
    #: in the row's label column, the other cells empty. Formats for reading
    #: show it under the label; grids leave it out (they show the same facts in
    #: ``grid_only`` columns).
    NOTE = "note"


class Value(NamedTuple):
    """A cell whose type differs from its column's (a percentage among amounts)."""

    value: Decimal | int | str | date
    kind: Kind
    places: int = 2


class Placeholder(NamedTuple):
    """Words where a figure would be (``da definire``): never read as a number."""

    text: str


Cell = Decimal | int | str | date | Value | Placeholder | None  # bool, an int, for YESNO


class Column(NamedTuple):
    key: str  # a stable identifier: the header of machine CSV
    title: str  # for people, in their language
    kind: Kind = Kind.TEXT
    places: int = 2  # decimals of a PERCENT or POINTS column
    sums: bool = False  # subtotal and total rows hold the sum of this column
    short: str | None = None  # a shorter title for narrow terminals
    #: Formats for reading (terminal, Markdown, HTML) show a value repeated on
    #: consecutive rows only once; grids (CSV, spreadsheets) keep every one.
    once: bool = False
    #: Shown only by grids (CSV, spreadsheets), where each fact needs its own
    #: column; formats for reading convey it in a label or a note row instead.
    grid_only: bool = False


class Row(NamedTuple):
    cells: tuple[Cell, ...]
    kind: RowKind = RowKind.ITEM
    #: The row opens a group (an ambito): formats draw a rule above it, and a
    #: subtotal sums the items since the group began.
    group: bool = False


class Table(NamedTuple):
    title: str
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    notes: tuple[str, ...] = ()
    #: A short name for a spreadsheet's sheet (31 characters at most).
    sheet: str = ""

    def cell(self, row: Row, key: str) -> Cell:
        """The cell of ``row`` in the column named ``key``."""
        for column, cell in zip(self.columns, row.cells, strict=True):
            if column.key == key:
                return cell
        raise KeyError(key)


class Fact(NamedTuple):
    label: str
    value: Cell
    kind: Kind = Kind.TEXT
    places: int = 2
    strong: bool = False


class Facts(NamedTuple):
    """Label: value lines (a summary under a table, or a report's provenance)."""

    items: tuple[Fact, ...]
    title: str = ""


class Style(str, Enum):
    NORMAL = "normal"
    NOTE = "note"  # secondary: how a figure was computed
    GOOD = "good"  # an outcome that is fine
    ALERT = "alert"  # must not be missed: a draft, a figure that differs


class Paragraph(NamedTuple):
    text: str
    style: Style = Style.NORMAL


class Bar(NamedTuple):
    label: str
    value: Decimal  # drawn full width for the largest value of the chart
    front: Decimal | None = None  # a second value drawn over it (actual against budget)
    detail: str = ""  # a longer label, shown as a tooltip or caption


class Chart(NamedTuple):
    """A horizontal bar chart of amounts; formats without graphics show its data."""

    title: str
    bars: tuple[Bar, ...]
    value_label: str = ""
    front_label: str = ""
    #: What the bars' labels are ("Ambito"), the title of their column where the chart
    #: is written as a table; without it, the chart's title.
    label_title: str = ""


class Section(NamedTuple):
    """A titled part of a view (a page of the printed report)."""

    title: str
    blocks: tuple["Block", ...]
    key: str = ""  # an identifier (HTML id)


Block = Table | Facts | Paragraph | Chart | Section


class View(NamedTuple):
    title: str
    blocks: tuple[Block, ...]
    subtitle: str = ""
    #: Shown first and prominently: a draft, a figure that differs.
    alerts: tuple[str, ...] = ()
    #: Where the figures come from (file, SHA-256, version, date), for reports.
    provenance: tuple[Fact, ...] = ()


def tables(blocks: tuple[Block, ...]) -> list[Table]:
    """Every table of ``blocks``, sections included, in order."""
    found: list[Table] = []
    for block in blocks:
        if isinstance(block, Table):
            found.append(block)
        elif isinstance(block, Section):
            found.extend(tables(block.blocks))
        elif isinstance(block, Chart):
            found.append(chart_table(block))
    return found


def chart_table(chart: Chart) -> Table:
    """A chart's data as a table, for formats that draw no charts."""
    columns = [
        Column("voce", chart.label_title or chart.title),
        Column("valore", chart.value_label, Kind.MONEY),
    ]
    front = any(bar.front is not None for bar in chart.bars)
    if front:
        columns.append(Column("confronto", chart.front_label, Kind.MONEY))
    rows = tuple(
        Row((bar.label, bar.value, *((bar.front,) if front else ()))) for bar in chart.bars
    )
    return Table(chart.title, tuple(columns), rows)


def cell_value(cell: Cell) -> Decimal | int | str | date | None:
    """The bare value of a cell (None for an empty cell or a placeholder)."""
    if isinstance(cell, Value):
        return cell.value
    if isinstance(cell, Placeholder):
        return None
    return cell


def cell_kind(cell: Cell, column: Column) -> tuple[Kind, int]:
    """The type and decimals a cell is shown with."""
    if isinstance(cell, Value):
        return cell.kind, cell.places
    return column.kind, column.places


def sum_groups(table: Table) -> list[tuple[int, list[int]]]:
    """For each subtotal or total row, the indexes of the item rows it sums."""
    groups: list[tuple[int, list[int]]] = []
    since_subtotal: list[int] = []
    items: list[int] = []
    for index, row in enumerate(table.rows):
        if row.group:
            since_subtotal = []
        if row.kind is RowKind.ITEM:
            since_subtotal.append(index)
            items.append(index)
        elif row.kind is RowKind.SUBTOTAL:
            groups.append((index, since_subtotal))
            since_subtotal = []
        elif row.kind is RowKind.TOTAL:
            groups.append((index, list(items)))
            since_subtotal = []
    return groups


def sum_problems(table: Table) -> list[str]:
    """Where a row has not one cell per column, or a subtotal or total cell is not the
    sum it claims to be (for tests)."""
    problems = [
        f"{table.title}: row {index} has {len(row.cells)} cells for {len(table.columns)} columns"
        for index, row in enumerate(table.rows)
        if len(row.cells) != len(table.columns)
    ]
    if problems:
        return problems
    for index, members in sum_groups(table):
        for position, column in enumerate(table.columns):
            if not column.sums:
                continue
            shown = cell_value(table.rows[index].cells[position])
            if shown is None:
                continue
            total = sum(
                (
                    value
                    for member in members
                    if isinstance(value := cell_value(table.rows[member].cells[position]), Decimal)
                ),
                Decimal(0),
            )
            if shown != total:
                problems.append(f"{table.title}: row {index}, {column.key}: {shown} ≠ {total}")
    return problems


def for_reading(table: Table) -> Table:
    """``table`` as formats for reading show it: without its ``grid_only`` columns."""
    keep = [i for i, column in enumerate(table.columns) if not column.grid_only]
    if len(keep) == len(table.columns):
        return table
    return table._replace(
        columns=tuple(table.columns[i] for i in keep),
        rows=tuple(row._replace(cells=tuple(row.cells[i] for i in keep)) for row in table.rows),
    )


def for_grid(table: Table) -> Table:
    """``table`` as grids (CSV, spreadsheets) show it: without its note rows."""
    if all(row.kind is not RowKind.NOTE for row in table.rows):
        return table
    return table._replace(rows=tuple(row for row in table.rows if row.kind is not RowKind.NOTE))
