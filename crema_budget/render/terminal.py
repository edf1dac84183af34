"""Terminal tables (Rich) that fit the width they are given.

A figure is never wrapped, cut or ended with "…": its column is always as wide
as its widest figure. Labels fold onto more lines instead. Each table takes
the first layout that fits:

1. boxed, with the euro sign (``€ 1.302.537,59``);
2. compact: no vertical rules, two spaces between columns;
3. compact without the euro sign, the column titles saying ``€``;
4. stacked: one block per row, ``Title: value`` lines.

Labels are never read as Rich markup or emoji codes: a label with
``[brackets]`` prints as written.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

from rich import box
from rich.console import Console, Group, RenderableType
from rich.table import Table as RichTable
from rich.text import Text

from crema_budget.i18n import ngettext, whole
from crema_budget.render import Options
from crema_budget.render.cells import fact_text, figure, label_column, shown_rows, text
from crema_budget.render.folding import folded, indented, pieces, under, widened, words, wrap_label
from crema_budget.render.grid import LARGE, Justify, Laid, draw
from crema_budget.view import (
    Block,
    Cell,
    Chart,
    Column,
    Facts,
    Kind,
    Paragraph,
    Placeholder,
    RowKind,
    Style,
    Table,
    View,
    cell_kind,
    cell_value,
    chart_table,
    for_reading,
)

#: The narrowest a label column gets before its words are broken (a word with a
#: slash, "Dante/Pesadori", breaks after the slash first: see wrap_label).
LABEL_MIN = 12

_STYLES = {
    Style.NORMAL: "",
    Style.NOTE: "dim",
    Style.GOOD: "green",
    Style.ALERT: "bold red",
}
_ROW_STYLES = {
    RowKind.ITEM: "",
    RowKind.SUBTOTAL: "bold",
    RowKind.TOTAL: "bold",
    RowKind.OPEN: "italic",
    RowKind.NOTE: "dim italic",
}


class Layout(NamedTuple):
    name: str
    rich_box: box.Box
    edge: bool
    padding: tuple[int, int, int, int]
    symbol: bool  # amounts written with the euro sign

    def overhead(self, columns: int) -> int:
        """Characters a row spends on rules and padding, besides the cells."""
        if self.edge:
            return 3 * columns + 1  # "│ " + cell + " " per column, and the last "│"
        gap = 1 + self.padding[1]  # the (blank) rule, and the padding if any
        return gap * (columns - 1)


LAYOUTS = (
    Layout("boxed", box.HEAVY_HEAD, True, (0, 1, 0, 1), True),
    Layout("compact", box.SIMPLE_HEAD, False, (0, 1, 0, 0), True),
    Layout("bare", box.SIMPLE_HEAD, False, (0, 1, 0, 0), False),
    Layout("dense", box.SIMPLE_HEAD, False, (0, 0, 0, 0), False),
)


def render(view: View, options: Options) -> str:
    """``view`` as terminal text, ``options.width`` columns at most."""
    buffer = io.StringIO()
    console = Console(
        file=buffer,
        width=options.width,
        color_system="standard" if options.color else None,
        force_terminal=options.color,
        highlight=False,
        markup=False,
        emoji=False,
        soft_wrap=False,
        legacy_windows=False,
    )
    width = options.width
    console.print(folded(view.title, width, "bold"))
    if view.subtitle:
        console.print(folded(view.subtitle, width, "dim"))
    for alert in view.alerts:
        console.print(folded(f"! {alert}", width, "bold red"))
    if view.provenance:
        console.print(_facts(Facts(view.provenance), options))
    for block in view.blocks:
        console.print()
        for renderable in _block(block, options, view.title):
            if isinstance(renderable, Laid):
                buffer.write(renderable.text)  # a large table, laid out already
            else:
                console.print(renderable)
    printed = buffer.getvalue()
    if options.color:
        return printed
    # Rich pads every line of a table to its width: no trailing blanks in files.
    return "\n".join(line.rstrip() for line in printed.split("\n"))


def _block(block: Block, options: Options, view_title: str = "") -> list[RenderableType]:
    if isinstance(block, Table):
        if block.title == view_title:  # said once, by the view
            block = block._replace(title="")
        return [table(block, options)]
    if isinstance(block, Chart):
        return [table(chart_table(block), options)]
    if isinstance(block, Facts):
        return [_facts(block, options)]
    if isinstance(block, Paragraph):
        return [folded(block.text, options.width, _STYLES[block.style])]
    out: list[RenderableType] = [folded(block.title.upper(), options.width, "bold")]
    for inner in block.blocks:
        out.append(Text(""))
        out.extend(_block(inner, options))
    return out


def _facts(facts: Facts, options: Options) -> Text:
    out = Text()
    if facts.title:
        out.append(facts.title + "\n", style="bold")
    for index, fact in enumerate(facts.items):
        value = fact_text(fact, options.locale)
        line = f"{fact.label}: {value}"
        style = "bold" if fact.strong else ""
        if len(line) <= options.width:
            out.append(line, style=style)
        else:  # the label folds; the figure goes whole on its own line
            out.append_text(folded(f"{fact.label}:", options.width, style))
            out.append_text(under(value, options.width, style))
        if index + 1 < len(facts.items):
            out.append("\n")
    return out


# --- tables ----------------------------------------------------------------------


def table(table_: Table, options: Options) -> RenderableType:
    """The first layout of :data:`LAYOUTS` that leaves labels room to read, else
    the one that fits with the most room for labels (fewer lines, fewer broken
    words), else the stacked one."""
    table_ = _at_most_shown(for_reading(table_))
    for layout in LAYOUTS:
        widths = fit(table_, layout, options, comfortable=True)
        if widths is not None:
            return _rich(table_, layout, widths, options)
    labels = [i for i, column in enumerate(table_.columns) if not figure(column)]
    best: tuple[int, Layout, list[int]] | None = None
    for layout in LAYOUTS:
        widths = fit(table_, layout, options)
        if widths is None:
            continue
        room = sum(widths[i] for i in labels)
        if best is None or room > best[0]:
            best = (room, layout, widths)
    if best is not None:
        return _rich(table_, best[1], best[2], options)
    halves = split(table_, options)
    if halves is not None:
        return Group(*halves)
    return stacked(table_, options)


def split(table_: Table, options: Options) -> list[RenderableType] | None:
    """Too many figures for the width: two tables (or three), each with every
    label column (the ambito, the code) and a share of the figures, so that a row
    is still read across and no figure is lost; None if even a third of them (two
    at least) does not fit."""
    # The labels and the number that groups rows (the ambito) go into every part.
    labels = [
        i
        for i, c in enumerate(table_.columns)
        if not figure(c) or (c.once and c.kind is Kind.COUNT)
    ]
    figures = [i for i in range(len(table_.columns)) if i not in labels]
    for count in (2, 3):
        size = -(-len(figures) // count)
        if size < 2:  # a table of one figure a row reads no better than the blocks
            break
        groups = [figures[start : start + size] for start in range(0, len(figures), size)]
        parts = _parts(table_, labels, groups, options)
        if parts is not None:
            return parts
    return None


def _parts(
    table_: Table, labels: list[int], groups: list[list[int]], options: Options
) -> list[RenderableType] | None:
    parts: list[RenderableType] = []
    for number, kept in enumerate(groups, start=1):
        chosen = sorted([*labels, *kept])
        part = Table(
            f"{table_.title} ({number}/{len(groups)})" if table_.title else "",
            tuple(table_.columns[i] for i in chosen),
            tuple(
                row._replace(cells=tuple(row.cells[i] for i in chosen))
                for row in table_.rows
                if number == 1 or row.kind is not RowKind.NOTE  # notes said once
            ),
            table_.notes if number == len(groups) else (),
        )
        for layout in LAYOUTS:
            widths = fit(part, layout, options)
            if widths is not None:
                break
        else:
            return None
        if parts:
            parts.append(Text(""))
        parts.append(_rich(part, layout, widths, options))
    return parts


#: A label column narrower than this (or than its text) reads poorly.
COMFORTABLE_LABEL = 24


def _titles(table_: Table, layout: Layout) -> list[str]:
    titles = []
    for column in table_.columns:
        title = column.title
        if layout.name != "boxed" and column.short:
            title = column.short
        if not layout.symbol and _money(column, table_):
            title = f"{title} (€)"
        titles.append(title)
    return titles


def _money(column: Column, table_: Table) -> bool:
    """Whether every figure of the column is an amount: then a title can say *(€)*
    for all of them. A column of amounts and a percentage (check's 7,5 %) keeps the
    euro sign on its amounts, and its title says nothing."""
    index = table_.columns.index(column)
    kinds = {
        cell_kind(row.cells[index], column)[0]
        for row in table_.rows
        if row.kind is not RowKind.NOTE
        and cell_value(row.cells[index]) is not None
        and not isinstance(row.cells[index], Placeholder)
    }
    return kinds == {Kind.MONEY} or (not kinds and column.kind is Kind.MONEY)


def _cells(table_: Table, layout: Layout, options: Options) -> list[tuple[RowKind, list[str]]]:
    key = (layout.symbol, options.locale)
    if _written[0] is table_ and key in _written[1]:
        known: list[tuple[RowKind, list[str]]] = _written[1][key]
        return known
    symbols = [layout.symbol or not _money(column, table_) for column in table_.columns]
    rows = [
        (
            row.kind,
            [
                text(cell, column, options.locale, symbol)
                for cell, column, symbol in zip(cells, table_.columns, symbols, strict=True)
            ],
        )
        for row, cells in shown_rows(table_)
    ]
    if _written[0] is not table_:
        _written[:] = [table_, {}]
    _written[1][key] = rows
    return rows


#: The cells of the table being laid out, as :func:`_cells` wrote them for each way of
#: writing amounts: every layout tried (up to eight) reads them, and they are written once.
_written: list[Any] = [None, {}]


def _longest(strings: Iterable[str]) -> int:
    return max((len(string) for string in strings), default=0)


def fit(
    table_: Table, layout: Layout, options: Options, comfortable: bool = False
) -> list[int] | None:
    """Column widths for ``layout`` within ``options.width``, or None if it cannot
    fit (or, when ``comfortable``, if a label column would get too narrow)."""
    titles = _titles(table_, layout)
    rows = _cells(table_, layout, options)
    natural: list[int] = []
    minimum: list[int] = []
    unbroken_words: list[int] = []  # the minimum with no label's word broken
    pieced: list[int] = []  # ... broken only after a slash or an elision
    for index, column in enumerate(table_.columns):
        title = titles[index]
        title_word = _longest(title.split())
        if figure(column):
            values = [cells[index] for _kind, cells in rows]
            # Figures never fold, nor do the words in their place ("da definire"
            # split over two lines reads as two things).
            unbroken = [len(value) for value in values]
            natural.append(max(_longest(values), len(title)))
            minimum.append(max([*unbroken, title_word]))
            unbroken_words.append(minimum[-1])
            pieced.append(minimum[-1])
        else:
            # Without vertical rules a note row spans the table on a line of its own
            # (see _rich), so it does not widen the label column.
            lines = [
                line
                for kind, cells in rows
                if layout.edge or kind is not RowKind.NOTE
                for line in cells[index].splitlines()
            ]
            parts = [w for line in lines for w in pieces(line)]
            # A figure inside a label (11 × € 26.736,87) is never broken either.
            numeric = _longest(w for w in parts if any(map(str.isdigit, w)))
            # Nor are the words in place of a figure among words (diff's "da definire").
            standing = _longest(
                cells[index]
                for row, (_kind, cells) in zip(table_.rows, rows, strict=True)
                if isinstance(row.cells[index], Placeholder)
            )
            natural.append(max(_longest(lines), len(title), 1))
            least = max(
                min(_longest(parts), LABEL_MIN), min(title_word, LABEL_MIN), numeric, standing, 1
            )
            if comfortable:
                least = max(least, min(natural[-1], COMFORTABLE_LABEL))
            minimum.append(least)
            whole_words = [w for line in lines for w in words(line)]
            # A column of short codes (FT 13/2016) keeps each on one line.
            codes = _longest(lines) if _longest(lines) <= LABEL_MIN else 0
            unbroken_words.append(max(least, _longest(whole_words), title_word, codes))
            # A short word (a code: 2016/101) stays whole; a long one breaks at its pieces.
            short = _longest(w for w in whole_words if len(w) <= LABEL_MIN)
            pieced.append(max(least, short, _longest(parts), title_word))
    available = options.width - layout.overhead(len(table_.columns))
    if sum(minimum) > available:
        return None
    minimum = widened(minimum, (unbroken_words, pieced), available)
    widths = list(natural)
    excess = sum(widths) - available
    # The titles of figure columns fold onto two lines first; then labels give
    # way, in proportion to what each can give.
    for pass_figures in (True, False):
        if excess <= 0:
            break
        slack = [
            widths[i] - minimum[i] if figure(c) == pass_figures else 0
            for i, c in enumerate(table_.columns)
        ]
        total_slack = sum(slack)
        if not total_slack:
            continue
        take = min(excess, total_slack)
        shares = [take * part // total_slack for part in slack]
        left = take - sum(shares)
        for i in sorted(range(len(slack)), key=lambda i: -slack[i]):
            if left and slack[i] > shares[i]:
                shares[i] += 1
                left -= 1
        widths = [w - share for w, share in zip(widths, shares, strict=True)]
        excess -= take
    return widths


def _rich(table_: Table, layout: Layout, widths: Sequence[int], options: Options) -> RenderableType:
    """The table in ``layout``. Without vertical rules, a note row is a line of its own
    under its row, from the label column to the margin: the table is cut there and
    goes on below it with the same column widths."""
    if len(table_.rows) > LARGE and not options.color:
        laid = _laid_out(table_, layout, widths, options)
        if laid is not None:
            return laid
    titles = _titles(table_, layout)

    def chunk(header: bool) -> RichTable:
        rich_table = RichTable(
            box=layout.rich_box,
            show_edge=layout.edge,
            pad_edge=layout.edge,
            padding=layout.padding,
            expand=False,
            collapse_padding=False,
            show_header=header,
        )
        for column, title, width in zip(table_.columns, titles, widths, strict=True):
            rich_table.add_column(
                title,
                justify="right" if figure(column) else "left",
                width=width,
                min_width=width,
                max_width=width,
                overflow="fold",
                no_wrap=False,
            )
        return rich_table

    parts: list[RenderableType] = []
    if table_.title:
        parts.append(folded(table_.title, options.width, "bold"))
    current = chunk(header=True)
    label = label_column(table_.columns)
    indent = sum(widths[:label]) + (1 + layout.padding[1]) * label
    rows = _cells(table_, layout, options)
    for index, (kind, cells) in enumerate(rows):
        following = table_.rows[index + 1] if index + 1 < len(rows) else None
        rule_after = following is not None and (following.group or following.kind is RowKind.TOTAL)
        if kind is RowKind.NOTE and not layout.edge:
            parts.append(current)
            note = " ".join(cell for cell in cells if cell)
            line = indented(note, options.width, indent, "dim")
            line.rstrip()
            parts.append(line)
            if rule_after:
                parts.append(Text(""))
            current = chunk(header=False)
            continue
        shown: list[RenderableType] = [
            value
            if figure(column)
            # A figure in a column of words (diff's before and after) is aligned
            # as figures are: right.
            else Text(value, justify="right")
            if _a_figure(table_.rows[index].cells[position], column)
            else wrap_label(value, widths[position])
            for position, (value, column) in enumerate(zip(cells, table_.columns, strict=True))
        ]
        current.add_row(*shown, style=_ROW_STYLES[kind] or None, end_section=rule_after)
    if current.row_count:
        parts.append(current)
    parts.extend(folded(note, options.width, "dim") for note in table_.notes)
    return Group(*parts)


def _as_rich_shows(
    cells: Sequence[Cell], written: Sequence[str], columns: Sequence[Column], widths: Sequence[int]
) -> list[str] | None:
    """A row's cells as :func:`_rich` hands them to Rich: figures as they are, a figure
    in a column of words pushed right, labels folded by :func:`wrap_label`; None where
    only Rich can lay a cell out (a figure wider than its column of words)."""
    shown: list[str] = []
    for cell, value, column, width in zip(cells, written, columns, widths, strict=True):
        if figure(column):
            shown.append(value)
        elif _a_figure(cell, column):
            if len(value) > width:
                return None
            shown.append(value.rjust(width))
        else:
            shown.append(wrap_label(value, width))
    return shown


def _a_figure(cell: Cell, column: Column) -> bool:
    if cell_value(cell) is None or isinstance(cell, Placeholder):
        return False
    return cell_kind(cell, column)[0] in (Kind.MONEY, Kind.RATE, Kind.PERCENT, Kind.POINTS)


def stacked(table_: Table, options: Options) -> Text:
    """One block per row: its labels, then ``Title: value`` for each figure."""
    width = options.width
    out = Text()
    if table_.title:
        out.append_text(folded(table_.title, width, "bold"))
        out.append("\n")
    labels = [i for i, c in enumerate(table_.columns) if not figure(c)]
    for index, (row, cells) in enumerate(shown_rows(table_)):
        style = _ROW_STYLES[row.kind]
        if index and (row.group or row.kind is RowKind.TOTAL):
            out.append("\n")
        if row.kind is RowKind.NOTE:
            note = " ".join(str(cell_value(c)) for c in cells if cell_value(c) not in (None, ""))
            out.append_text(indented(note, width, 2, style))
            continue
        head = " · ".join(
            label.replace("\n", " ")
            for i in labels
            if (label := text(cells[i], table_.columns[i], options.locale))
        )
        if head:
            out.append_text(folded(head, width, style or "bold"))
            out.append("\n")
        for i, column in enumerate(table_.columns):
            if i in labels:
                continue
            value = text(cells[i], column, options.locale)
            if not value:
                continue
            line = f"  {column.title}: {value}"
            if len(line) <= width:
                out.append(line + "\n", style=style)
            else:
                out.append_text(indented(f"{column.title}:", width, 2, style))
                out.append(f"    {value}\n", style=style)
    for note in table_.notes:
        out.append_text(folded(note, width, "dim"))
        out.append("\n")
    out.rstrip()
    return out


def _laid_out(
    table_: Table, layout: Layout, widths: Sequence[int], options: Options
) -> Laid | None:
    """What :func:`_rich` draws, drawn without Rich (:mod:`crema_budget.render.grid`),
    line for line: for a large table, where Rich's cost per cell tells. None if a
    cell holds what only Rich measures right."""
    titles = _titles(table_, layout)
    justify: list[Justify] = ["right" if figure(column) else "left" for column in table_.columns]
    lines: list[str] = []
    if table_.title:
        lines.extend(folded(table_.title, options.width).plain.split("\n"))
    label = label_column(table_.columns)
    indent = sum(widths[:label]) + (1 + layout.padding[1]) * label
    rows = _cells(table_, layout, options)
    chunk: list[tuple[Sequence[str], bool]] = []
    header: list[str] | None = titles
    rich_box = layout.rich_box
    for index, (kind, cells) in enumerate(rows):
        following = table_.rows[index + 1] if index + 1 < len(rows) else None
        rule_after = following is not None and (following.group or following.kind is RowKind.TOTAL)
        if kind is RowKind.NOTE and not layout.edge:
            drawn = draw(rich_box, layout.edge, layout.padding, widths, justify, header, chunk)
            if drawn is None:
                return None
            lines.extend(drawn)
            note = " ".join(cell for cell in cells if cell)
            lines.extend(indented(note, options.width, indent, "dim").plain.rstrip().split("\n"))
            if rule_after:
                lines.append("")
            chunk, header = [], None
            continue
        shown = _as_rich_shows(table_.rows[index].cells, cells, table_.columns, widths)
        if shown is None:
            return None
        chunk.append((shown, rule_after))
    if chunk or header is not None:
        drawn = draw(rich_box, layout.edge, layout.padding, widths, justify, header, chunk)
        if drawn is None:
            return None
        lines.extend(drawn)
    for note in table_.notes:
        lines.extend(folded(note, options.width).plain.split("\n"))
    return Laid(lines)


#: Rows a terminal table shows at most: the rest is said in a note, and every row is in
#: the file formats (a monitor of a large register holds tens of thousands).
MAX_ROWS = 1000


def _at_most_shown(table_: Table) -> Table:
    """``table_`` cut after :data:`MAX_ROWS` rows (never between a row and its notes),
    its closing total rows kept, with a note saying how many rows are left out and
    where to find them."""
    rows = table_.rows
    if len(rows) <= MAX_ROWS:
        return table_
    closing = len(rows)
    while closing > 0 and rows[closing - 1].kind is RowKind.TOTAL:
        closing -= 1
    cut = MAX_ROWS
    while cut < closing and rows[cut].kind is RowKind.NOTE:
        cut += 1
    left_out = sum(1 for row in rows[cut:closing] if row.kind is not RowKind.NOTE)
    if not left_out:
        return table_
    note = ngettext(
        "{n} more row is not shown here; --format csv, json or xlsx lists every row.",
        "{n} more rows are not shown here; --format csv, json or xlsx lists every row.",
        left_out,
    ).format(n=whole(left_out))
    return table_._replace(rows=rows[:cut] + rows[closing:], notes=(*table_.notes, note))
