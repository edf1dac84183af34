"""CSV, two dialects.

``csv``: for scripts. RFC 4180 (commas, CRLF, quotes only where needed);
headers are the columns' identifiers, the same in every language; figures
are plain decimals with a dot and no grouping (``1302537.59``). It holds the
view's main (first) table, and only the rows that are not derived: items and
open items, with a ``riga`` column saying which (``voce``, ``da_definire``).
Summing a column never counts anything twice; totals are in ``json``.

``csv-it``: for Italian spreadsheets opened by double click. Semicolons,
decimal comma without grouping, UTF-8 with a byte-order mark so Excel reads
the accents; headers are the columns' titles in the reader's language; every
table of the view, each under its title, subtotals and totals included.

In both, a text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return is prefixed with ``'`` so no spreadsheet runs it as a formula
(OWASP's rule for CSV injection).
"""

from __future__ import annotations

import csv
import io
from datetime import date

from crema_budget.money import CENT, round_half_up
from crema_budget.render import Options
from crema_budget.render.cells import formula_like, yes_no
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
    Table,
    View,
    cell_kind,
    cell_value,
    chart_table,
    for_grid,
    tables,
)

#: What the ``riga`` column says of a row (identifiers, not words).
ROW_IDS = {RowKind.ITEM: "voce", RowKind.OPEN: "da_definire"}


def safe(content: str) -> str:
    """A label that no spreadsheet will read as a formula."""
    return "'" + content if formula_like(content) else content


def render(view: View, options: Options) -> str:
    if options.csv_italian:
        return _italian(view)
    found = tables(view.blocks)
    if not found:
        return ""
    table = for_grid(found[0])
    out = io.StringIO()
    writer = csv.writer(out)  # the default dialect is RFC 4180's
    writer.writerow([*(c.key for c in table.columns), "riga"])
    for row in table.rows:
        if row.kind not in ROW_IDS:
            continue  # subtotals and totals are sums of these rows
        cells = zip(row.cells, table.columns, strict=True)
        writer.writerow([*(_cell(cell, column) for cell, column in cells), ROW_IDS[row.kind]])
    return out.getvalue()


def _cell(cell: Cell, column: Column, italian: bool = False) -> str:
    """A cell for a program: ``1302537.59``, ``22``, ``2016-05-10``; or, ``italian``,
    for an Italian spreadsheet: ``1302537,59``, ``22``, ``10/05/2016``, words where
    a figure would be, percentages rounded as a reader sees them."""
    if isinstance(cell, Placeholder):
        return safe(cell.text) if italian else ""
    value = cell_value(cell)
    if value is None:
        return ""
    if isinstance(value, bool):  # for programs true or false, as JSON writes them
        return yes_no(value) if italian else ("true" if value else "false")
    if isinstance(value, str):
        return safe(value)
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y") if italian else value.isoformat()
    if isinstance(value, int):
        return str(value)
    kind, places = cell_kind(cell, column)
    if kind is Kind.MONEY:
        value = value.quantize(CENT)
    elif italian and kind in (Kind.PERCENT, Kind.POINTS):
        value = round_half_up(value, places)
    else:
        value = value.normalize()
    figure = format(value, "f")
    return figure.replace(".", ",") if italian else figure


def _italian(view: View) -> str:
    out = io.StringIO()
    out.write("\ufeff")  # so that Excel reads UTF-8
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([safe(view.title)])
    writer.writerows([safe(alert)] for alert in view.alerts)
    writer.writerows(_fact_rows(view.provenance))
    for block in _flat(view.blocks):
        writer.writerow([])
        if isinstance(block, Facts):
            writer.writerows(_fact_rows(block.items))
        elif isinstance(block, Paragraph):
            writer.writerow([safe(block.text)])
        else:
            table = for_grid(block)
            if table.title and table.title != view.title:
                writer.writerow([safe(table.title)])
            writer.writerow([safe(c.title) for c in table.columns])
            for row in table.rows:
                cells = zip(row.cells, table.columns, strict=True)
                writer.writerow([_cell(cell, column, italian=True) for cell, column in cells])
    return out.getvalue()


def _fact_rows(facts: tuple[Fact, ...]) -> list[list[str]]:
    """One ``label; value`` row per fact."""
    return [
        [safe(fact.label), _cell(fact.value, Column("", "", fact.kind, fact.places), True)]
        for fact in facts
    ]


def _flat(blocks: tuple[Block, ...]) -> list[Table | Facts | Paragraph]:
    """The view's blocks in reading order, sections opened, charts as tables."""
    found: list[Table | Facts | Paragraph] = []
    for block in blocks:
        if isinstance(block, Section):
            found.append(Paragraph(block.title))
            found.extend(_flat(block.blocks))
        elif isinstance(block, Chart):
            found.append(chart_table(block))
        else:
            found.append(block)
    return found
