"""HTML: one self-contained page for any view, made to be printed.

Styles are inline and charts are inline SVG: nothing is fetched from
anywhere, so the page opens offline and prints to PDF from any browser (or
through :mod:`crema_budget.render.pdf`). Printed, each section starts a new
sheet, column titles repeat on every sheet, the page number and where the
figures come from sit in the page margin, and no euro sign is ever left
alone at the end of a line.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal
from html import escape
from importlib import resources

from crema_budget import __version__, i18n
from crema_budget.render import Options
from crema_budget.render.cells import (
    fact_text,
    figure,
    label_column,
    shown_rows,
    text,
    value_text,
)
from crema_budget.view import (
    Block,
    Chart,
    Column,
    Facts,
    Kind,
    Paragraph,
    RowKind,
    Style,
    Table,
    View,
    for_reading,
)

#: Chart geometry, in SVG user units (the chart scales to the page width).
CHART_WIDTH = 720
_LABEL_WIDTH = 90
_VALUE_WIDTH = 150
_BAR_HEIGHT = 26
_BAR_GAP = 14
_PAD = 8
_TENTH = Decimal("0.1")
_NBSP = "\u00a0"
_SHA256 = re.compile(r"[0-9a-f]{64}")


def render(view: View, options: Options) -> str:
    locale = options.locale
    css = resources.files("crema_budget.render").joinpath("html.css").read_text("utf-8")
    body = [
        "<header>",
        f"<h1>{_e(view.title)}</h1>",
    ]
    if view.subtitle:
        body.append(f'<p class="subtitle">{_e(view.subtitle)}</p>')
    body.extend(f'<p class="alert" role="alert">{_e(alert)}</p>' for alert in view.alerts)
    if view.provenance:
        body.append(_facts(Facts(view.provenance), locale, "provenance"))
    body.append("</header>")
    body.append("<main>")
    body.extend(_block(block, locale, 2, view.title) for block in view.blocks)
    body.append("</main>")
    margin = _margin_line(view, locale)
    lang = i18n.language()
    return "\n".join(
        [
            "<!doctype html>",
            f'<html lang="{lang}">',
            "<head>",
            '<meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f'<meta name="generator" content="crema-budget {__version__}">',
            f"<title>{_e(view.title)}</title>",
            f"<style>\n{css}{margin}</style>",
            "</head>",
            "<body>",
            *body,
            "</body>",
            "</html>",
            "",
        ]
    )


def _e(content: str) -> str:
    """Text made safe for HTML, the euro sign bound to its figure."""
    return escape(_figure_text(content), quote=True)


def _margin_line(view: View, locale: str) -> str:
    """The provenance again, in the margin of every printed page."""
    if not view.provenance:
        return ""
    shown = " · ".join(
        _short_hash(fact_text(f, locale)) for f in view.provenance if f.value not in (None, "")
    )
    literal = shown.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")
    return (
        f'@page {{ @bottom-left {{ content: "{literal}"; font-size: 7pt; color: #555; '
        'font-family: system-ui, "Helvetica Neue", Arial, sans-serif; } }\n'
    )


def _short_hash(value: str) -> str:
    """A SHA-256 in a page's margin: its first 12 digits say which file it was (the
    whole one is on the first page), and leave the page number room."""
    return f"{value[:12]}…" if _SHA256.fullmatch(value) else value


def _figure_text(content: str) -> str:
    # The euro sign stays with its figure: never alone at the end of a line.
    return content.replace("€ ", "€" + _NBSP).replace("- ", "-" + _NBSP)


def _block(block: Block, locale: str, level: int, view_title: str) -> str:
    if isinstance(block, Table):
        return _table(block, locale, level + 1, view_title)
    if isinstance(block, Chart):
        return _chart(block, locale)
    if isinstance(block, Facts):
        return _facts(block, locale)
    if isinstance(block, Paragraph):
        if block.style is Style.NORMAL:
            return f"<p>{_e(block.text)}</p>"
        return f'<p class="{block.style.value}">{_e(block.text)}</p>'  # note, good, alert
    identifier = f' id="{_e(block.key)}"' if block.key else ""
    inner = [f"<section{identifier}>", f"<h{level}>{_e(block.title)}</h{level}>"]
    inner.extend(_block(b, locale, level + 1, view_title) for b in block.blocks)
    inner.append("</section>")
    return "\n".join(inner)


def _facts(facts: Facts, locale: str, css: str = "facts") -> str:
    lines = [f"<h4>{_e(facts.title)}</h4>"] if facts.title else []
    lines.append(f'<dl class="{css}">')
    for fact in facts.items:
        value = _e(fact_text(fact, locale))
        if fact.strong:
            value = f"<strong>{value}</strong>"
        lines.append(f"<dt>{_e(fact.label)}</dt><dd>{value}</dd>")
    lines.append("</dl>")
    return "\n".join(lines)


def _num(column: Column) -> str:
    """The class of a cell in a column of figures."""
    return ' class="num"' if figure(column) else ""


#: A column of words no longer than this holds codes and numbers of invoices
#: ("FPA 40/2016", "pre-post"): they never fold.
_SHORT = 12
_CODE = ' class="code"'


def _short_columns(table: Table, locale: str) -> set[int]:
    """The columns of words whose every cell is a short code."""
    return {
        index
        for index, column in enumerate(table.columns)
        if not figure(column)
        and all(
            len(text(row.cells[index], column, locale)) <= _SHORT
            for row in table.rows
            if row.kind is not RowKind.NOTE
        )
    }


def _table(table: Table, locale: str, level: int, view_title: str) -> str:
    table = for_reading(table)
    columns = table.columns
    short = _short_columns(table, locale)
    out = []
    if table.title and table.title != view_title:
        out.append(f"<h{min(level, 6)}>{_e(table.title)}</h{min(level, 6)}>")
    out.append("<table>")
    out.append("<thead><tr>")
    out.extend(f'<th{_num(c)} scope="col">{_e(c.title)}</th>' for c in columns)
    out.append("</tr></thead>")
    out.append("<tbody>")
    label = label_column(columns)
    for row, cells in shown_rows(table):
        # The row's kind names its class: item, subtotal, total, open, note.
        classes = f"{row.kind.value} group" if row.group else row.kind.value
        if row.kind is RowKind.NOTE:
            note = text(cells[label], columns[label], locale)
            span = len(columns) - label
            tds = "<td></td>" * label + f'<td colspan="{span}">{_e(note)}</td>'
        else:
            tds = "".join(
                f"<td{_CODE if index in short else _num(column)}>"
                f"{_e(text(cell, column, locale))}</td>"
                for index, (cell, column) in enumerate(zip(cells, columns, strict=True))
            )
        out.append(f'<tr class="{classes}">{tds}</tr>')
    out.append("</tbody>")
    out.append("</table>")
    out.extend(f'<p class="note">{_e(note)}</p>' for note in table.notes)
    return "\n".join(out)


def _chart(chart: Chart, locale: str) -> str:
    """Horizontal bars; a second value, if any, drawn over the first (actual
    against budget), both labelled with their figures."""

    def euros(value: Decimal) -> str:
        return value_text(value, Kind.MONEY, 2, locale)

    labels = [
        euros(bar.value) if bar.front is None else f"{euros(bar.front)} / {euros(bar.value)}"
        for bar in chart.bars
    ]
    # Room after the longest bar for the longest label (digits are about 0.55 em).
    value_width = max(_VALUE_WIDTH, max((len(t) for t in labels), default=0) * 15 // 2 + 10)
    area = Decimal(CHART_WIDTH - _LABEL_WIDTH - value_width)
    largest = max(
        (max(bar.value, bar.front or Decimal(0)) for bar in chart.bars), default=Decimal(0)
    )
    height = 2 * _PAD + len(chart.bars) * (_BAR_HEIGHT + _BAR_GAP) - _BAR_GAP
    out = [
        "<figure>",
        f'<svg viewBox="0 0 {CHART_WIDTH} {max(height, 1)}" role="img" '
        f'aria-label="{_e(chart.title)}">',
        f"<title>{_e(chart.title)}</title>",
    ]
    for index, (bar, label) in enumerate(zip(chart.bars, labels, strict=True)):
        y = _PAD + index * (_BAR_HEIGHT + _BAR_GAP)
        middle = y + _BAR_HEIGHT // 2
        width = _length(bar.value, largest, area)
        out.append(f'<g class="chart-bar" data-value="{bar.value}">')
        tooltip = f"{bar.label}: {bar.detail} – {euros(bar.value)}" if bar.detail else label
        out.append(f"<title>{_e(tooltip)}</title>")
        out.append(f'<text x="0" y="{middle}">{_e(bar.label)}</text>')
        # (class, top, length, height): the second value thinner, over the first.
        rects = [("bar", y, width, _BAR_HEIGHT)]
        if bar.front is not None:
            front = _length(bar.front, largest, area)
            rects = [("back", y, width, _BAR_HEIGHT), ("bar", y + 5, front, _BAR_HEIGHT - 10)]
        out.extend(
            f'<rect class="{kind}" x="{_LABEL_WIDTH}" y="{top}" width="{length}" '
            f'height="{thickness}"></rect>'
            for kind, top, length, thickness in rects
        )
        end = max(length for _kind, _top, length, _thickness in rects)
        out.append(f'<text x="{_LABEL_WIDTH + end + 6}" y="{middle}">{_e(label)}</text>')
        out.append("</g>")
    out.append("</svg>")
    caption = chart.title
    if any(bar.front is not None for bar in chart.bars) and chart.front_label:
        caption = f"{chart.title} ({chart.front_label} / {chart.value_label})"
    out.append(f"<figcaption>{_e(caption)}</figcaption>")
    out.append("</figure>")
    return "\n".join(out)


def _length(value: Decimal, largest: Decimal, area: Decimal) -> Decimal:
    # Pixel lengths, not money: a tenth of a unit is finer than any screen.
    if largest <= 0 or value <= 0:
        return Decimal(0)
    return (value * area / largest).quantize(_TENTH, rounding=ROUND_HALF_UP)
