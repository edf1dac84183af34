"""Documents for word processors, planned as plain data for both formats.

The layout is decided here once; :mod:`crema_budget.render.odt` (OpenDocument
text) and :mod:`crema_budget.render.docx` (Word) only say it in their own
files, as :mod:`crema_budget.render.sheets` does for the two workbooks.

- The view's title is the document's title, its subtitle, alerts and
  provenance follow on the first page. Each top-level section is a chapter:
  a *Heading 1* that starts a new page (the first one shares the title's page
  when both have the same orientation). Inside a chapter a table's title is a
  *Heading 2*; a table outside any chapter is headed at level 1. Word
  processors list these headings in their navigator and outline.
- Pages are A4 portrait. A part of the document (a chapter, or the blocks
  outside chapters) is landscape when one of its tables has more than
  :data:`PORTRAIT_COLUMNS` columns as read: seven columns, five of them amounts
  up to ``€ 1.302.537,59``, fit the 17 cm between a portrait page's margins at
  9 points; eight or nine columns do not.
- Tables: the column titles are a header row repeated on every page, rows are
  never split across pages, figures are right-aligned and never fold (their
  column is as wide as the widest of them), labels fold; subtotals and totals
  are bold, a total has a rule above it, a group's first row a lighter one,
  open items italic; a note row spans from the label column to the end.
- Cells read exactly as in the HTML page (:mod:`crema_budget.render.cells`),
  the euro sign bound to its figure by a no-break space.
- Charts are written as tables of their data: an office edits these
  documents, and a table keeps every figure exact and editable, where a
  picture would need a rasteriser (Word reads no SVG without a PNG beside it).
- Every page's footer names the document (and where its figures come from)
  and says "page N of M" in the run's language, with page fields.
"""

from __future__ import annotations

import io
import zipfile
from enum import Enum
from string import Formatter
from typing import NamedTuple

from crema_budget.i18n import _, language
from crema_budget.render.cells import fact_text, figure, label_column, shown_rows, text
from crema_budget.render.workbook import clean, one_line
from crema_budget.view import (
    Block,
    Chart,
    Facts,
    Placeholder,
    RowKind,
    Section,
    Style,
    Table,
    View,
    chart_table,
    for_reading,
)

#: A4, in centimetres, and the margins around the text.
PAGE_SHORT = 21.0
PAGE_LONG = 29.7
MARGIN = 2.0
MARGIN_TOP = 1.5
MARGIN_BOTTOM = 1.2
#: A part whose tables have more columns than this is printed landscape.
PORTRAIT_COLUMNS = 7
#: Font sizes in points: running text, tables, notes, the page footer.
BODY_SIZE = 10.0
TABLE_SIZE = 9.0
NOTE_SIZE = 8.0
FOOTER_SIZE = 7.5
TITLE_SIZE = 18.0
#: Headings of level 1, 2, 3.
HEADING_SIZES = (15.0, 12.0, 10.5)
#: A table cell's padding left and right, in centimetres.
CELL_PADDING = 0.1
#: The fonts the widths below are measured for: metric-compatible with each other.
FONT_ODT = "Liberation Sans"
FONT_DOCX = "Arial"
#: Colours (hex RGB, no ``#``): ink, secondary text, rules, the header row, alerts, good news.
INK = "1D2430"
MUTED = "5B6472"
RULE_LIGHT = "A6A6A6"
HEADER_FILL = "E8EBEF"
ALERT = "B42318"
GOOD = "1E7A3C"
#: Every part of a zip package carries this date, not the clock's (as the workbooks).
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
#: Fact labels get a column of at most this share of the text's width, and a gap.
_FACT_LABEL_SHARE = 0.65
_FACT_GAP = 0.5
#: A column of labels never folds narrower than this, in centimetres.
_LABEL_MIN_CM = 2.0
_CM_PER_POINT = 2.54 / 72
_NBSP = "\u00a0"


class Rule(str, Enum):
    """A line above a table row."""

    NONE = "none"
    LIGHT = "light"  # a group begins
    STRONG = "strong"  # a total


class Entry(NamedTuple):
    """One cell of a planned table: its text as read, how it looks, the columns it spans."""

    text: str
    right: bool = False
    bold: bool = False
    italic: bool = False
    muted: bool = False
    small: bool = False
    span: int = 1


class Line(NamedTuple):
    """A table row: its cells (fewer than the columns where one spans several)."""

    entries: tuple[Entry, ...]
    rule: Rule = Rule.NONE
    note: bool = False  # a remark about the row above


class Grid(NamedTuple):
    """A table as a word processor shows it."""

    header: tuple[Entry, ...]
    lines: tuple[Line, ...]
    widths: tuple[float, ...]  # centimetres, adding up to the text's width
    notes: tuple[str, ...]


class Heading(NamedTuple):
    text: str
    level: int  # 1: a chapter; 2: a table in it


class Words(NamedTuple):
    """A paragraph of running text in one of the view's styles."""

    text: str
    style: Style = Style.NORMAL


class FactLine(NamedTuple):
    label: str
    value: str
    strong: bool = False
    #: The label is wider than the column of labels: the value starts on the next line.
    wrap: bool = False


class FactList(NamedTuple):
    """Label and value lines; the values start ``indent`` centimetres in."""

    lines: tuple[FactLine, ...]
    indent: float


Item = Heading | Words | FactList | Grid


class Part(NamedTuple):
    """A run of pages of one orientation: a chapter, or the blocks outside chapters."""

    items: tuple[Item, ...]
    landscape: bool = False
    new_page: bool = False

    @property
    def width(self) -> float:
        """The text's width on these pages, in centimetres."""
        return (PAGE_LONG if self.landscape else PAGE_SHORT) - 2 * MARGIN


class Document(NamedTuple):
    title: str
    subtitle: str
    alerts: tuple[str, ...]
    parts: tuple[Part, ...]  # the first holds the title, alerts and provenance first
    footer: str  # the document's name and where its figures come from
    language: str  # a BCP 47 tag: it-IT, en-GB


def plan(view: View, locale: str) -> Document:
    """The document that shows ``view``: its parts, their orientation, every table laid out."""
    groups: list[tuple[Block, ...]] = []
    loose: list[Block] = []
    for block in view.blocks:
        if isinstance(block, Section):
            if loose or not groups:
                groups.append(tuple(loose))
                loose = []
            groups.append((block,))
        else:
            loose.append(block)
    if loose or not groups:
        groups.append(tuple(loose))
    parts: list[Part] = []
    for index, group in enumerate(groups):
        landscape = any(
            len(for_reading(table).columns) > PORTRAIT_COLUMNS for table in _tables(group)
        )
        width = (PAGE_LONG if landscape else PAGE_SHORT) - 2 * MARGIN
        items: list[Item] = []
        if index == 0 and view.provenance:
            items.append(_facts(Facts(view.provenance), locale, width))
        for block in group:
            items.extend(_items(block, locale, 1, width, view.title))
        parts.append(Part(tuple(items), landscape))
    if len(parts) > 1 and not parts[0].items:
        parts = parts[1:]  # nothing but the title before the first chapter: it leads the chapter
        shared = 1
    else:  # the first chapter shares the title's page if it has the same orientation
        shared = 2 if len(parts) > 1 and parts[1].landscape == parts[0].landscape else 1
    parts = [part._replace(new_page=index >= shared) for index, part in enumerate(parts)]
    return Document(
        title=shown(view.title),
        subtitle=shown(view.subtitle),
        alerts=tuple(shown(alert) for alert in view.alerts),
        parts=tuple(parts),
        footer=_footer_line(view, locale),
        language=language_tag(locale),
    )


def _tables(blocks: tuple[Block, ...]) -> list[Table]:
    found: list[Table] = []
    for block in blocks:
        if isinstance(block, Table):
            found.append(block)
        elif isinstance(block, Chart):
            found.append(chart_table(block))
        elif isinstance(block, Section):
            found.extend(_tables(block.blocks))
    return found


def _items(block: Block, locale: str, level: int, width: float, view_title: str) -> list[Item]:
    """``block`` as items, its headings at ``level`` (a table's title heads it)."""
    if isinstance(block, Section):
        items: list[Item] = [Heading(shown(block.title), level)] if block.title else []
        for inner in block.blocks:
            items.extend(_items(inner, locale, level + 1, width, view_title))
        return items
    if isinstance(block, Chart):
        block = chart_table(block)
    if isinstance(block, Table):
        if not for_reading(block).columns:  # nothing to show, and no valid table to show it
            return []
        items = []
        if block.title and block.title != view_title:
            items.append(Heading(shown(block.title), level))
        items.append(grid(block, locale, width))
        return items
    if isinstance(block, Facts):
        heading: list[Item] = [Heading(shown(block.title), level)] if block.title else []
        return [*heading, _facts(block, locale, width)]
    return [Words(shown(block.text), block.style)]


def _facts(facts: Facts, locale: str, width: float) -> FactList:
    labels = [text_width(fact.label, BODY_SIZE) * _CM_PER_POINT for fact in facts.items]
    indent = round(min(max(labels, default=0.0) + _FACT_GAP, width * _FACT_LABEL_SHARE), 2)
    lines = tuple(
        FactLine(
            shown(fact.label),
            shown(fact_text(fact, locale)),
            fact.strong,
            wrap=label + _FACT_GAP > indent + 0.01,
        )
        for fact, label in zip(facts.items, labels, strict=True)
    )
    return FactList(lines, indent)


# --- tables ------------------------------------------------------------------------


_ROW_LOOKS = {
    RowKind.ITEM: Entry(""),
    RowKind.SUBTOTAL: Entry("", bold=True),
    RowKind.TOTAL: Entry("", bold=True),
    RowKind.OPEN: Entry("", italic=True),
    RowKind.NOTE: Entry("", italic=True, muted=True, small=True),
}


def grid(table: Table, locale: str, width: float) -> Grid:
    """``table`` laid out ``width`` centimetres wide."""
    table = for_reading(table)
    columns = table.columns
    header = tuple(Entry(shown(c.title), right=figure(c), bold=True) for c in columns)
    label = label_column(columns)
    lines: list[Line] = []
    for row, cells in shown_rows(table):
        look = _ROW_LOOKS[row.kind]
        rule = Rule.STRONG if row.kind is RowKind.TOTAL else Rule.NONE
        if row.group and rule is Rule.NONE:
            rule = Rule.LIGHT
        if row.kind is RowKind.NOTE:
            note = look._replace(
                text=shown(text(cells[label], columns[label], locale)), span=len(columns) - label
            )
            lines.append(Line((*(Entry("") for _ in range(label)), note), rule, note=True))
            continue
        entries = []
        for cell, column in zip(cells, columns, strict=True):
            entry = look._replace(text=shown(text(cell, column, locale)), right=figure(column))
            if isinstance(cell, Placeholder):  # words where a figure would be
                entry = entry._replace(italic=True, muted=True)
            entries.append(entry)
        lines.append(Line(tuple(entries), rule))
    notes = tuple(shown(note) for note in table.notes)
    return Grid(header, tuple(lines), column_widths(header, lines, width), notes)


def column_widths(header: tuple[Entry, ...], lines: list[Line], width: float) -> tuple[float, ...]:
    """Widths in centimetres adding up to ``width``: a column of figures as wide as
    its widest figure (and its title's longest word), never narrower, and wide
    enough for its title on two lines where that leaves the labels room; columns of
    labels share what is left by what they hold, folding down to their longest
    word; when nothing folds further, every column shrinks alike."""
    count = len(header)
    if not count:
        return ()
    padding = 2 * CELL_PADDING
    fixed = [0.0] * count  # figures
    longest = [0.0] * count  # labels on one line
    least = [0.0] * count  # labels folded at every space
    for index, title in enumerate(header):
        least[index] = _longest_word(title.text, TABLE_SIZE, True)
        if title.right:
            fixed[index] = least[index]
        else:
            longest[index] = text_width(title.text, TABLE_SIZE, True)
    for line in lines:
        column = 0
        for entry in line.entries:
            if entry.span == 1:
                size = NOTE_SIZE if entry.small else TABLE_SIZE
                measured = text_width(entry.text, size, entry.bold)
                if entry.right:
                    fixed[column] = max(fixed[column], measured)
                else:
                    longest[column] = max(longest[column], measured)
                    least[column] = max(least[column], _longest_word(entry.text, size, entry.bold))
            column += entry.span
    labels = [i for i in range(count) if not header[i].right]
    minimum = {i: max(least[i] * _CM_PER_POINT, _LABEL_MIN_CM) for i in labels}
    natural = {i: max(longest[i] * _CM_PER_POINT, minimum[i]) for i in labels}
    cm = [value * _CM_PER_POINT for value in fixed]
    titled = [
        max(value, _two_lines(title.text) * _CM_PER_POINT) if title.right else value
        for value, title in zip(cm, header, strict=True)
    ]
    if sum(titled) + sum(minimum.values()) + padding * count <= width:
        cm = titled
    room = width - sum(cm[i] for i in range(count) if i not in natural) - padding * count
    if labels and room > 0:
        wanted = sum(natural.values())
        if wanted <= room:  # everything on one line: the spare room to the labels
            for i in labels:
                cm[i] = natural[i] + (room - wanted) * natural[i] / wanted
        else:
            floor = sum(minimum.values())
            share = 0.0 if floor >= room else (room - floor) / (wanted - floor)
            for i in labels:
                cm[i] = minimum[i] + (natural[i] - minimum[i]) * share
    elif labels:
        for i in labels:
            cm[i] = minimum[i]
    widths = [value + padding for value in cm]
    total = sum(widths)
    if not labels or total > width:  # no labels to absorb the room, or too wide
        widths = [value * width / total for value in widths]
    return tuple(round(value, 3) for value in widths)


def _two_lines(title: str) -> float:
    """The width ``title`` needs, in bold, to fold onto two lines at most."""
    words = title.split()
    if len(words) < 2:
        return text_width(title, TABLE_SIZE, True)
    return min(
        max(
            text_width(" ".join(words[:cut]), TABLE_SIZE, True),
            text_width(" ".join(words[cut:]), TABLE_SIZE, True),
        )
        for cut in range(1, len(words))
    )


# --- text ------------------------------------------------------------------------


def shown(content: str) -> str:
    """``content`` as the document holds it: the characters XML cannot hold made
    visible as U+FFFD, and the euro sign (and a minus sign's space) bound to its
    figure, as the HTML page does: never alone at the end of a line."""
    return clean(content).replace("€ ", "€" + _NBSP).replace("- ", "-" + _NBSP)


#: Advance widths in thousandths of an em of Arial and Liberation Sans, which share
#: their metrics: (regular, bold). A character not listed counts as a capital.
_METRICS = (
    ("0123456789€$#_–?ae", 556, 556),
    ("bdghnopqu", 556, 611),
    ("cksvxyJ", 500, 556),
    ("z", 500, 500),
    ("ijl", 222, 278),
    ("ft", 278, 333),
    (" \u00a0.,:;!|/\\I", 278, 278),
    ("'", 191, 238),
    ("r", 333, 389),
    ("()[]-", 333, 333),
    ("m", 833, 889),
    ("w", 722, 778),
    ("%", 889, 889),
    ("×+=<>", 584, 584),
    ("FTZ", 611, 611),
    ("L", 556, 611),
    ("M", 833, 833),
    ("W", 944, 944),
)
_WIDTHS = {c: (regular, bold) for chars, regular, bold in _METRICS for c in chars}
_CAPITAL = (722, 722)
#: What a word processor needs beyond the measured text before it folds a line:
#: a share of the text, and a little more (rounding, the cell's rules).
_SLACK = 1.04
_SLACK_POINTS = 2.0


def text_width(content: str, size: float, bold: bool = False) -> float:
    """About how many points ``content`` takes on one line at ``size`` points."""
    which = 1 if bold else 0
    longest = max(
        (sum(_WIDTHS.get(c, _CAPITAL)[which] for c in line) for line in content.split("\n")),
        default=0,
    )
    return longest * size / 1000 * _SLACK + (_SLACK_POINTS if longest else 0.0)


def _longest_word(content: str, size: float, bold: bool) -> float:
    # A no-break space joins a figure to its sign: they fold together.
    return max((text_width(word, size, bold) for word in content.split()), default=0.0)


def language_tag(locale: str) -> str:
    """The document's language as BCP 47 (``it-IT``, ``en-GB``): the language of its
    words, and the country of the figures' locale when it names one for that language."""
    words = language()
    code = locale.replace("-", "_").split(".", 1)[0]
    base, _sep, country = code.partition("_")
    if base.lower() == words and country.isalpha() and len(country) == 2:
        return f"{words}-{country.upper()}"
    return {"it": "it-IT", "en": "en-GB"}.get(words, words)


def page_words() -> list[str | int]:
    """The footer's page count in the run's language: words as text, and ``0``
    where the page number goes, ``1`` where the number of pages goes."""
    template = _("Page {page} of {pages}")
    out: list[str | int] = []
    for literal, field, _spec, _conversion in Formatter().parse(template):
        if literal:
            out.append(literal)
        if field is not None:
            out.append(0 if field == "page" else 1)
    return out


def _footer_line(view: View, locale: str) -> str:
    values = [fact_text(fact, locale) for fact in view.provenance if fact.value not in (None, "")]
    return one_line(" · ".join(part for part in (view.title, *values) if part))


def repack(package: bytes) -> bytes:
    """``package`` (a zip) with every entry dated :data:`ZIP_DATE`, in the same order
    and compression: the same view always gives the same bytes."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(package)) as source,
        zipfile.ZipFile(out, "w") as target,
    ):
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=ZIP_DATE)
            entry.compress_type = info.compress_type
            entry.create_system = 3
            entry.external_attr = 0o644 << 16
            target.writestr(entry, source.read(info.filename))
    return out.getvalue()
