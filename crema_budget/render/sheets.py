"""Workbooks planned as plain data, for both spreadsheet formats.

The layout is decided here once (the workbook it yields is plain data,
:mod:`crema_budget.render.workbook`), and :mod:`crema_budget.render.xlsx` and
:mod:`crema_budget.render.ods` only say it in their own files: which sheets, in
which order, what each cell holds and how it looks, where the column titles
are, which totals are formulas.

- One sheet per table, its title in the first row and its column titles in a
  bold row below, frozen while scrolling and repeated on every printed page.
  A first sheet holds the view's title, alerts and provenance and whatever
  comes before the first table; facts and paragraphs that follow a table go
  below it, two rows down.
- Figures are numbers with a number format (euros, percentages, dates), never
  text. A subtotal or total is ``SUBTOTAL(9, range)`` over the rows it closes,
  so a grand total over subtotals does not count them twice, with the view's
  figure cached beside the formula for viewers that do not recalculate. Where
  the view's figure is not the sum of that range, the figure is written
  instead of a formula: a spreadsheet never shows a total the view does not.
- Text is always a text cell: a label such as ``=HYPERLINK(...)`` is never
  read as a formula, on opening or on editing.
- Printing: A4 landscape, one page wide, the column titles on every page, the
  document's title (and its Comune and Consorzio) with the sheet's in the page
  header, page numbers in the footer.
"""

from __future__ import annotations

import math
import re
import textwrap
from datetime import date
from decimal import Decimal
from typing import Any, NamedTuple

from crema_budget.i18n import _
from crema_budget.render.cells import figure, formula_like, yes_no
from crema_budget.render.workbook import (
    PLAIN,
    Look,
    Rule,
    Sheet,
    SheetCell,
    SheetRow,
    Tone,
    clean,
    figure_places,
    page_title,
    sheet_names,
    sheet_number,
)
from crema_budget.view import (
    Block,
    Cell,
    Chart,
    Column,
    Fact,
    Facts,
    Kind,
    Paragraph,
    Placeholder,
    RowKind,
    Section,
    Style,
    Table,
    Value,
    View,
    cell_kind,
    cell_value,
    chart_table,
    for_grid,
    sum_groups,
)

#: Widths are in characters (the width of a digit), as XLSX measures them.
LABEL_WIDTH_MAX = 50
#: Columns of labels fold their text, down to this width, so that a wide table
#: still prints legibly on one landscape page (about :data:`PAGE_WIDTH` digits).
LABEL_WIDTH_MIN = 20
PAGE_WIDTH = 140
#: A figure column's title may fold onto more lines rather than widen its
#: column beyond its figures, down to this many characters.
FIGURE_TITLE_MIN = 14
_PADDING = 2
_INDENT = 1
#: Text is narrower than digits (a letter is about this much of a digit), bold
#: text wider than regular.
_LETTER = 0.8
_BOLD = 1.1
#: A row holds this many lines of text at most (spreadsheets cap row heights).
LINES_MAX = 27
#: The first sheet's columns: fact labels, then values and paragraphs.
_COVER_WIDTHS = ((16, 40), (30, 70))


def plan(view: View, locale: str) -> tuple[Sheet, ...]:
    """The sheets of the workbook that shows ``view``, in order."""
    cover, parts = _place(view)
    sheets: list[Sheet] = []
    if cover or view.alerts or view.provenance or not parts:
        sheets.append(_cover_sheet(view, cover, locale))
    sheets.extend(_table_sheet(part, locale) for part in parts)
    names = sheet_names(
        [_("Overview")] * (len(sheets) - len(parts))
        + [part.table.sheet or part.table.title or part.title for part in parts]
    )
    document = [part for part in (view.title, view.subtitle) if part]
    return tuple(
        # A sheet with no title is headed, when printed, by its name.
        sheet._replace(
            name=name,
            title=sheet.title or name,
            heading=_heading(document, sheet.title or name),
        )
        for sheet, name in zip(sheets, names, strict=True)
    )


def _heading(document: list[str], title: str) -> str:
    """A printed page's header: the document on one line, the sheet on the next,
    each whole (on one line, a long title cut the sheet's name short)."""
    if title in document:  # the first sheet, titled as the document
        return page_title(" · ".join(document))
    return "\n".join(page_title(line) for line in (" · ".join(document), title) if line)


# How blocks are placed: every table gets a sheet; everything else goes on the
# first sheet if it comes before the first table, below a table of its own
# section if one follows it there, else below the table before it.


class _Heading(NamedTuple):
    title: str


_Extra = Facts | Paragraph | _Heading


class _Part(NamedTuple):
    table: Table  # as grids show it: no note rows
    title: str
    below: list[_Extra]


class _Event(NamedTuple):
    block: Table | Facts | Paragraph
    path: tuple[int, ...]  # the sections it is in, outermost first


def _place(view: View) -> tuple[list[_Extra], list[_Part]]:
    titles: list[str] = []  # of the sections, in order: a path's numbers index it
    events: list[_Event] = []

    def flatten(blocks: tuple[Block, ...], path: tuple[int, ...]) -> None:
        for block in blocks:
            if isinstance(block, Section):
                titles.append(block.title)
                flatten(block.blocks, (*path, len(titles) - 1))
            elif isinstance(block, Chart):
                events.append(_Event(chart_table(block), path))
            else:
                events.append(_Event(block, path))

    flatten(view.blocks, ())
    parts: dict[int, _Part] = {}  # by event index, in order
    for index, (block, path) in enumerate(events):
        if isinstance(block, Table):
            title = block.title or (titles[path[-1]] if path else "") or view.title
            parts[index] = _Part(for_grid(block), title, [])
    cover: list[_Extra] = []
    headed: set[tuple[int | None, int]] = set()
    for index, (block, path) in enumerate(events):
        if isinstance(block, Table):
            continue
        owner = _owner(index, path, events, parts)
        below = cover if owner is None else parts[owner].below
        owner_path = () if owner is None else events[owner].path
        for depth, section in enumerate(path):
            if owner_path[: depth + 1] != path[: depth + 1] and (owner, section) not in headed:
                headed.add((owner, section))
                below.append(_Heading(titles[section]))
        below.append(block)
    return cover, list(parts.values())


def _owner(
    index: int, path: tuple[int, ...], events: list[_Event], parts: dict[int, _Part]
) -> int | None:
    """The table (event index) a non-table block goes below, or None for the first sheet."""
    before = [i for i in parts if i < index]
    if not before:
        return None

    def inside(i: int) -> bool:
        return events[i].path[: len(path)] == path

    if path and not any(inside(i) for i in before):
        following = [i for i in parts if i > index and inside(i)]
        if following:
            return min(following)
    return max(before)


# Building the rows of a sheet.


class _Grid:
    """Rows being laid out, then sized once the column widths are known."""

    def __init__(self) -> None:
        self.rows: list[dict[int, SheetCell]] = []

    def add(self, cells: dict[int, SheetCell] | None = None) -> int:
        self.rows.append(cells or {})
        return len(self.rows) - 1

    def skip(self) -> None:
        """A blank row, unless the sheet is empty or already ends with one."""
        if self.rows and self.rows[-1]:
            self.rows.append({})

    def finish(self, widths: list[float]) -> tuple[SheetRow, ...]:
        """Wrap text too long for its cell and count the lines each row shows:
        spreadsheets keep a row's height as the file gives it (LibreOffice does
        not fit rows to wrapped text on opening, nobody fits merged cells)."""
        done: list[SheetRow] = []
        for cells in self.rows:
            lines = 1
            placed: list[tuple[int, SheetCell]] = []
            for column in sorted(cells):
                cell = cells[column]
                if isinstance(cell.value, str):
                    needed = _lines(cell.value, sum(widths[column : column + cell.span]), cell)
                    if needed > 1:
                        cell = _restyled(cell, wrap=True)
                        lines = max(lines, needed)
                placed.append((column, cell))
            done.append(SheetRow(tuple(placed), min(lines, LINES_MAX)))
        return tuple(done)


def _restyled(cell: SheetCell, **look: Any) -> SheetCell:
    """``cell`` with these attributes of :class:`Look` changed."""
    return cell._replace(look=cell.look._replace(**look))


def _bold(cell: SheetCell) -> bool:
    return cell.look.bold or cell.look.tone in (Tone.TITLE, Tone.HEADER)


def _lines(text: str, width: float, cell: SheetCell) -> int:
    """Lines ``text`` takes in a cell ``width`` characters wide."""
    letter = _LETTER * (_BOLD if _bold(cell) else 1.0)
    room = max(1, math.floor((width - 1) / letter))
    return sum(
        len(textwrap.wrap(line, room, break_on_hyphens=False)) or 1 for line in text.split("\n")
    )


def _text_cell(text: str, look: Look = PLAIN, span: int = 1) -> SheetCell:
    # A euro sign bound to its figure, as on the page: a cell that wraps its text
    # never leaves "€" at a line's end and the figure on the next.
    text = re.sub(r"€ (?=\d)", "€\u00a0", clean(text))
    return SheetCell(text, Kind.TEXT, 2, look._replace(quote=formula_like(text)), span)


def _typed(cell: Cell, kind: Kind, places: int, look: Look) -> SheetCell:
    """A view's cell (or a fact's value) as a sheet cell of its own type."""
    if isinstance(cell, Placeholder):  # words where a figure would be: never a number
        return _text_cell(cell.text, look._replace(italic=True, right=kind is not Kind.TEXT))
    value = cell_value(cell)
    if isinstance(cell, Value):
        kind, places = cell.kind, cell.places
    if isinstance(value, bool):  # words for people, as every other format writes them
        return _text_cell(yes_no(value), look)
    if isinstance(value, str):
        return _text_cell(value, look._replace(right=kind is not Kind.TEXT))
    if isinstance(value, (Decimal, int)):
        return SheetCell(value, kind, figure_places(value, kind, places), look)
    return SheetCell(value, Kind.DATE if isinstance(value, date) else kind, places, look)


def _width(cell: SheetCell, locale: str) -> float:
    """About how many characters ``cell`` shows on one line."""
    value = cell.value
    if value is None:
        return 0
    if isinstance(value, str):
        longest = max((len(line) for line in value.split("\n")), default=0)
        width: float = longest * _LETTER
    elif isinstance(value, date):
        width = 10 if locale.startswith("it") else 11
    elif cell.kind is Kind.TEXT:
        width = len(str(value))
    else:  # grouped digits; a euro or percent sign and a space
        signed = cell.kind in (Kind.MONEY, Kind.RATE, Kind.PERCENT)
        width = len(f"{Decimal(value):,.{cell.places}f}") + (2 if signed else 0)
    return width * _BOLD if _bold(cell) else width


_ROW_LOOKS = {
    RowKind.ITEM: Look(),
    RowKind.SUBTOTAL: Look(bold=True),
    RowKind.TOTAL: Look(bold=True, rule=Rule.STRONG),
    RowKind.OPEN: Look(italic=True),
    RowKind.NOTE: Look(tone=Tone.NOTE, italic=True),
}
_PARAGRAPH_LOOKS = {
    Style.NORMAL: Look(),
    Style.NOTE: Look(tone=Tone.NOTE, italic=True),
    Style.GOOD: Look(tone=Tone.GOOD, bold=True),
    Style.ALERT: Look(tone=Tone.ALERT, bold=True),
}
_TITLE = Look(tone=Tone.TITLE, bold=True)


def _table_sheet(part: _Part, locale: str) -> Sheet:
    table = part.table
    columns = table.columns
    grid = _Grid()
    span = max(len(columns), 1)
    grid.add({0: _text_cell(part.title, _TITLE, span)})
    header = grid.add(
        {
            index: _text_cell(column.title, Look(tone=Tone.HEADER, bold=True, right=figure(column)))
            for index, column in enumerate(columns)
        }
    )
    for row in table.rows:
        look = _ROW_LOOKS[row.kind]
        if row.group and look.rule is Rule.NONE:
            look = look._replace(rule=Rule.LIGHT)
        typed = (
            _typed(cell, *cell_kind(cell, column), look)
            for cell, column in zip(row.cells, columns, strict=True)
        )
        grid.add(dict(enumerate(typed)))
    # Labels right after a column of figures would touch its right-aligned figures.
    indented = {
        index
        for index in range(1, len(columns))
        if not figure(columns[index]) and figure(columns[index - 1])
    }
    for cells in grid.rows[header:]:
        for index in indented & cells.keys():
            if not cells[index].look.right:
                cells[index] = _restyled(cells[index], indent=True)
    _formulas(grid, table, header + 1)
    widths = _column_widths(grid.rows[header:], columns, locale)
    widths = [width + (_INDENT if index in indented else 0) for index, width in enumerate(widths)]
    if table.notes:
        grid.skip()
        for note in table.notes:
            grid.add({0: _text_cell(note, Look(tone=Tone.NOTE, italic=True), span)})
    if part.below:
        grid.skip()
        split = next((i for i, c in enumerate(columns) if i and figure(c)), 0)
        _extras(grid, part.below, widths, split or len(columns) - 1, locale)
    return Sheet("", part.title, tuple(widths), grid.finish(widths), header)


def _formulas(grid: _Grid, table: Table, first: int) -> None:
    """Subtotal and total cells become ``SUBTOTAL(9, …)`` over the rows they
    close, wherever that formula gives the view's own figure."""
    formulas: set[tuple[int, int]] = set()
    for index, members in sum_groups(table):
        if not members:
            continue
        low, high = first + min(members), first + max(members)
        cells = grid.rows[first + index]
        for position, column in enumerate(table.columns):
            total = cells.get(position)
            if not column.sums or total is None or not isinstance(total.value, (Decimal, int)):
                continue
            if _range_sum(grid, position, low, high, formulas) == sheet_number(
                total.value, total.kind
            ):
                cells[position] = total._replace(sums=(low, high))
                formulas.add((first + index, position))


def _range_sum(
    grid: _Grid, column: int, low: int, high: int, formulas: set[tuple[int, int]]
) -> Decimal | None:
    """What ``SUBTOTAL(9, …)`` over rows ``low``…``high`` of ``column`` gives (it
    skips text and other subtotals); None where it could not be said exactly."""
    total = Decimal(0)
    for row in range(low, high + 1):
        cell = grid.rows[row].get(column)
        if cell is None or (row, column) in formulas or isinstance(cell.value, str):
            continue
        if isinstance(cell.value, date):
            return None
        if cell.value is not None:
            total += sheet_number(cell.value, cell.kind)
    return total


def _column_widths(
    rows: list[dict[int, SheetCell]], columns: tuple[Column, ...], locale: str
) -> list[float]:
    """Each column as wide as its content: figures always whole, labels up to
    :data:`LABEL_WIDTH_MAX` and narrower (folding) when the table would not
    print legibly on one page; a title longer than its column folds too."""
    body = rows[1:]  # below the column titles
    widths: list[float] = []
    least: list[float] = []  # how narrow a column of labels may fold
    for index, column in enumerate(columns):
        cells = [cells[index] for cells in body if index in cells]
        title = column.title
        words = max((len(word) for word in title.split()), default=0) * _LETTER * _BOLD
        longest = len(title) * _LETTER * _BOLD
        figures = max(
            (_width(cell, locale) for cell in cells if not isinstance(cell.value, str)),
            default=0,
        )
        text = max(
            (_width(cell, locale) for cell in cells if isinstance(cell.value, str)), default=0
        )
        if column.kind is Kind.TEXT:
            width = max(figures, min(max(text, words, min(longest, 12)), LABEL_WIDTH_MAX))
            folded = max(figures, words, min(width, LABEL_WIDTH_MIN))
        else:
            width = max(
                figures,
                min(text, LABEL_WIDTH_MAX),
                words,
                min(longest, max(FIGURE_TITLE_MIN, figures)),
            )
            folded = width
        widths.append(max(width, 1) + _PADDING)
        least.append(max(folded, 1) + _PADDING)
    excess = sum(widths) - PAGE_WIDTH
    slack = sum(widths) - sum(least)
    if excess > 0 and slack > 0:
        share = min(excess / slack, 1)
        widths = [width - (width - low) * share for width, low in zip(widths, least, strict=True)]
    return [round(width, 1) for width in widths]


def _extras(
    grid: _Grid, extras: list[_Extra], widths: list[float], split: int, locale: str
) -> None:
    """Facts, paragraphs and section headings below a table (or on the first
    sheet), each across the sheet's columns. A fact's figure goes in the last
    column, under the table's last figures, its label across the columns
    before; a fact in words starts at column ``split``, after its label."""
    if len(widths) < 2:
        widths.extend([float(_COVER_WIDTHS[1][0])] * (2 - len(widths)))
    last = len(widths) - 1
    split = min(max(split, 1), last)
    for number, extra in enumerate(extras):
        if number and not isinstance(extras[number - 1], _Heading):
            grid.skip()
        if isinstance(extra, _Heading):
            grid.add({0: _text_cell(extra.title, Look(bold=True), len(widths))})
        elif isinstance(extra, Paragraph):
            grid.add({0: _text_cell(extra.text, _PARAGRAPH_LOOKS[extra.style], len(widths))})
        else:
            if extra.title:
                grid.add({0: _text_cell(extra.title, Look(bold=True), len(widths))})
            for fact in extra.items:
                value = _fact_cell(fact)
                label = Look(bold=fact.strong)
                if isinstance(value.value, str):
                    grid.add(
                        {
                            0: _text_cell(fact.label, label, split),
                            split: value._replace(span=len(widths) - split),
                        }
                    )
                    continue
                # A figure is never cut: its column widens to hold it.
                widths[last] = max(widths[last], round(_width(value, locale) + _PADDING, 1))
                grid.add({0: _text_cell(fact.label, label, last), last: value})


def _fact_cell(fact: Fact) -> SheetCell:
    return _typed(fact.value, fact.kind, fact.places, Look(bold=fact.strong))


def _cover_sheet(view: View, extras: list[_Extra], locale: str) -> Sheet:
    """The view's title, subtitle, alerts and provenance, and the blocks before
    the first table: fact labels in the first column, values in the second."""
    if view.provenance:
        extras = [Facts(view.provenance), *extras]
    facts = [fact for extra in extras if isinstance(extra, Facts) for fact in extra.items]
    (label_least, label_most), (value_least, value_most) = _COVER_WIDTHS
    labels = (len(fact.label) * _LETTER * (_BOLD if fact.strong else 1) for fact in facts)
    values = (_width(_fact_cell(fact), locale) for fact in facts)
    widths = [
        round(min(max([label_least, *labels]), label_most) + _PADDING, 1),
        round(min(max([value_least, *values]), value_most) + _PADDING, 1),
    ]
    grid = _Grid()
    grid.add({0: _text_cell(view.title, _TITLE, 2)})
    if view.subtitle:
        grid.add({0: _text_cell(view.subtitle, Look(), 2)})
    if view.alerts:
        grid.skip()
        for alert in view.alerts:
            grid.add({0: _text_cell(alert, _PARAGRAPH_LOOKS[Style.ALERT], 2)})
    if extras:
        grid.skip()
        _extras(grid, extras, widths, 1, locale)
    return Sheet("", view.title, tuple(widths), grid.finish(widths), None)
