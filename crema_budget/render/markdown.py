"""Markdown: GitHub-style pipe tables to paste into a report or a wiki page.

Figures are written for people in the chosen locale (``€ 1.302.537,59``) and
right-aligned; subtotals and totals are bold, open items italic. Cells are
padded so that the raw text lines up too, for readers who never render it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from crema_budget.render import Options
from crema_budget.render.cells import fact_text, figure, shown_rows, text
from crema_budget.view import (
    Block,
    Chart,
    Column,
    Facts,
    Paragraph,
    RowKind,
    Style,
    Table,
    View,
    chart_table,
    for_reading,
)

# Characters that would end a cell (|) or start inline markup in a label.
_SPECIAL = re.compile(r"([\\|*_`\[\]<>#])")


#: How a paragraph of each style, and the cells of each kind of row, are marked up.
_PARAGRAPHS = {Style.ALERT: "> **{}**", Style.NOTE: "*{}*"}
_ROW_MARKS = {RowKind.SUBTOTAL: "**", RowKind.TOTAL: "**", RowKind.OPEN: "*", RowKind.NOTE: "*"}


def escape(content: str) -> str:
    """A label made safe for a table cell: markup characters escaped, one line."""
    return _SPECIAL.sub(r"\\\1", " ".join(content.split()))


def render(view: View, options: Options) -> str:
    parts = [f"# {escape(view.title)}"]
    if view.subtitle:
        parts.append(escape(view.subtitle))
    parts.extend(_PARAGRAPHS[Style.ALERT].format(escape(alert)) for alert in view.alerts)
    if view.provenance:
        parts.append(_facts(Facts(view.provenance), options))
    parts.extend(_block(block, options, 2, view.title) for block in view.blocks)
    return "\n\n".join(part for part in parts if part) + "\n"


def _block(block: Block, options: Options, level: int, view_title: str) -> str:
    if isinstance(block, Table):
        return _table(block, options, level + 1, view_title)
    if isinstance(block, Chart):
        return _table(chart_table(block), options, level + 1, view_title)
    if isinstance(block, Facts):
        return _facts(block, options)
    if isinstance(block, Paragraph):
        return _PARAGRAPHS.get(block.style, "{}").format(escape(block.text))
    inner = [f"{'#' * level} {escape(block.title)}"]
    inner.extend(_block(b, options, level + 1, view_title) for b in block.blocks)
    return "\n\n".join(inner)


def _facts(facts: Facts, options: Options) -> str:
    lines = [f"**{escape(facts.title)}**", ""] if facts.title else []
    for fact in facts.items:
        value = escape(fact_text(fact, options.locale))
        lines.append(f"- {escape(fact.label)}: " + (f"**{value}**" if fact.strong else value))
    return "\n".join(lines)


def _styled(cell: str, kind: RowKind) -> str:
    mark = _ROW_MARKS.get(kind, "")
    return f"{mark}{cell}{mark}" if cell else ""


def _table(table: Table, options: Options, level: int, view_title: str) -> str:
    table = for_reading(table)
    columns = table.columns
    header = [escape(c.title) for c in columns]
    rows = [
        [
            _styled(escape(text(cell, column, options.locale)), row.kind)
            for cell, column in zip(cells, columns, strict=True)
        ]
        for row, cells in shown_rows(table)
    ]
    parts = []
    if table.title and table.title != view_title:
        parts.append(f"{'#' * min(level, 6)} {escape(table.title)}")
    parts.append(_pipe_table(columns, header, rows))
    parts.extend(f"*{escape(note)}*" for note in table.notes)
    return "\n\n".join(parts)


def _pipe_table(columns: Sequence[Column], header: list[str], rows: list[list[str]]) -> str:
    widths = [max(3, len(h), *(len(row[i]) for row in rows)) for i, h in enumerate(header)]

    def line(cells: Sequence[str]) -> str:
        padded = (
            cell.rjust(width) if figure(column) else cell.ljust(width)
            for cell, width, column in zip(cells, widths, columns, strict=True)
        )
        return "| " + " | ".join(padded) + " |"

    rule = "|".join(
        "-" * (w + 1) + ":" if figure(c) else "-" * (w + 2)
        for c, w in zip(columns, widths, strict=True)
    )
    return "\n".join([line(header), f"|{rule}|", *(line(row) for row in rows)])
