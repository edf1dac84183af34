"""HTML: one self-contained page for any view, made to be printed.

Styles are inline and charts are inline SVG: nothing is fetched from
anywhere, so the page opens offline and prints to PDF from any browser (or
through :mod:`crema_budget.render.pdf`). Printed, each section starts a new
sheet, column titles repeat on every sheet, the page number and where the
figures come from sit in the page margin, and no euro sign is ever left
alone at the end of a line.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from html import escape
from importlib import resources

from crema_budget import __version__, i18n
from crema_budget.render import Options
from crema_budget.render.cells import figure, shown_rows, text
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
        text(f.value, Column("", "", f.kind, f.places), locale)
        for f in view.provenance
        if f.value not in (None, "")
    )
    literal = shown.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")
    return (
        f'@page {{ @bottom-left {{ content: "{literal}"; font-size: 7pt; color: #555; '
        'font-family: system-ui, "Helvetica Neue", Arial, sans-serif; } }\n'
    )


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
        css = {Style.NORMAL: "", Style.NOTE: "note", Style.GOOD: "good", Style.ALERT: "alert"}
        kind = css[block.style]
        return f'<p class="{kind}">{_e(block.text)}</p>' if kind else f"<p>{_e(block.text)}</p>"
    identifier = f' id="{_e(block.key)}"' if block.key else ""
    inner = [f"<section{identifier}>", f"<h{level}>{_e(block.title)}</h{level}>"]
    inner.extend(_block(b, locale, level + 1, view_title) for b in block.blocks)
    inner.append("</section>")
    return "\n".join(inner)


def _facts(facts: Facts, locale: str, css: str = "facts") -> str:
    lines = [f"<h4>{_e(facts.title)}</h4>"] if facts.title else []
    lines.append(f'<dl class="{css}">')
    for fact in facts.items:
        value = _e(_figure_text(text(fact.value, Column("", "", fact.kind, fact.places), locale)))
        if fact.strong:
            value = f"<strong>{value}</strong>"
        lines.append(f"<dt>{_e(fact.label)}</dt><dd>{value}</dd>")
    lines.append("</dl>")
    return "\n".join(lines)


_ROW_CLASS = {
    RowKind.ITEM: "item",
    RowKind.SUBTOTAL: "subtotal",
    RowKind.TOTAL: "total",
    RowKind.OPEN: "open",
    RowKind.NOTE: "note",
}


def _table(table: Table, locale: str, level: int, view_title: str) -> str:
    table = for_reading(table)
    columns = table.columns
    out = []
    if table.title and table.title != view_title:
        out.append(f"<h{min(level, 6)}>{_e(table.title)}</h{min(level, 6)}>")
    out.append("<table>")
    out.append("<thead><tr>")
    out.extend(
        f'<th class="num" scope="col">{_e(c.title)}</th>'
        if figure(c)
        else f'<th scope="col">{_e(c.title)}</th>'
        for c in columns
    )
    out.append("</tr></thead>")
    out.append("<tbody>")
    label = _label_column(columns)
    for row, cells in shown_rows(table):
        classes = [_ROW_CLASS[row.kind]]
        if row.group:
            classes.append("group")
        if row.kind is RowKind.NOTE:
            note = text(cells[label], columns[label], locale)
            before = "<td></td>" * label
            span = len(columns) - label
            out.append(
                f'<tr class="{" ".join(classes)}">{before}<td colspan="{span}">{_e(note)}</td></tr>'
            )
            continue
        tds = []
        for cell, column in zip(cells, columns, strict=True):
            shown = text(cell, column, locale)
            if figure(column):
                tds.append(f'<td class="num">{_e(_figure_text(shown))}</td>')
            else:
                tds.append(f"<td>{_e(shown)}</td>")
        out.append(f'<tr class="{" ".join(classes)}">{"".join(tds)}</tr>')
    out.append("</tbody>")
    out.append("</table>")
    out.extend(f'<p class="note">{_e(note)}</p>' for note in table.notes)
    return "\n".join(out)


def _label_column(columns: tuple[Column, ...]) -> int:
    """Where a note row's text goes: the first label column that is not a number."""
    for index, column in enumerate(columns):
        if not figure(column):
            return index
    return 0


def _chart(chart: Chart, locale: str) -> str:
    """Horizontal bars; a second value, if any, drawn over the first (actual
    against budget), both labelled with their figures."""
    from crema_budget.render.cells import value_text
    from crema_budget.view import Kind

    money = [
        (
            _figure_text(value_text(bar.value, Kind.MONEY, 2, locale)),
            None
            if bar.front is None
            else _figure_text(value_text(bar.front, Kind.MONEY, 2, locale)),
        )
        for bar in chart.bars
    ]
    labels = [figure if front is None else f"{front} / {figure}" for figure, front in money]
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
    for index, bar in enumerate(chart.bars):
        y = _PAD + index * (_BAR_HEIGHT + _BAR_GAP)
        middle = y + _BAR_HEIGHT // 2
        width = _length(bar.value, largest, area)
        figure_text = money[index][0]
        label = labels[index]
        out.append(f'<g class="chart-bar" data-value="{bar.value}">')
        tooltip = f"{bar.label}: {bar.detail} – {figure_text}" if bar.detail else label
        out.append(f"<title>{_e(tooltip)}</title>")
        out.append(f'<text x="0" y="{middle}">{_e(bar.label)}</text>')
        if bar.front is not None:
            front = _length(bar.front, largest, area)
            out.append(
                f'<rect class="back" x="{_LABEL_WIDTH}" y="{y}" width="{width}" '
                f'height="{_BAR_HEIGHT}"></rect>'
            )
            out.append(
                f'<rect class="bar" x="{_LABEL_WIDTH}" y="{y + 5}" width="{front}" '
                f'height="{_BAR_HEIGHT - 10}"></rect>'
            )
            end = max(width, front)
        else:
            out.append(
                f'<rect class="bar" x="{_LABEL_WIDTH}" y="{y}" width="{width}" '
                f'height="{_BAR_HEIGHT}"></rect>'
            )
            end = width
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
