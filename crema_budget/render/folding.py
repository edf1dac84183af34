"""Text folded to a width as the terminal shows it: paragraphs, labels in a narrow
column (between words, then after a slash or an elision: Dante/ Pesadori, all'
istruzione; never inside *da definire* nor between a euro sign and its figure),
and notes indented under a table's figures. Shared by the tables Rich draws and those
drawn without it (:mod:`crema_budget.render.grid`)."""

from __future__ import annotations

import re
import textwrap
from itertools import combinations

from rich.text import Text

#: A euro sign and the figure after it ("€ 142,75") fold as one word: a sign left at a
#: line's end, its figure on the next, reads as two things. Bound by a private-use
#: character while the text is folded (one column, like the space it stands for, and
#: not a blank to ``str.split`` or ``textwrap``), then given back its space.
_BOUND = re.compile(r"€ (?=\d)")
_GLUE = "\ue000"


#: Where a word too long for its column breaks first: after a slash (Dante/ Pesadori)
#: or after an Italian elision's apostrophe (all'/istruzione, dell'/infanzia).
_BREAK = re.compile(r"(?<=/)(?=.)|(?<=\w['\u2019])(?=\w)")


def _bind(text: str) -> str:
    # An arrow stays after the figure it leads from (€ 62.280,00 → over € 72.660,00).
    return _BOUND.sub("€" + _GLUE, text).replace(" →", _GLUE + "→")


def _unbind(text: str) -> str:
    return text.replace(_GLUE, " ")


def folded(content: str, width: int, style: str = "") -> Text:
    """A paragraph wrapped at ``width``; a word longer than that is broken."""
    lines = []
    for paragraph in content.splitlines() or [""]:
        lines.extend(textwrap.wrap(_bind(paragraph), width, break_on_hyphens=False) or [""])
    return Text(_unbind("\n".join(lines)), style=style)


def pieces(line: str) -> list[str]:
    """The words of a label, a word with slashes cut after each (Dante/ Pesadori):
    where a narrow column may break it."""
    return [_unbind(piece) for word in _bind(line).split() for piece in _BREAK.split(word)]


def words(line: str) -> list[str]:
    """The words of a label, a figure with its euro sign as one: what a column that
    folds only between words must hold whole."""
    return [_unbind(word) for word in _bind(line).split()]


def wrap_label(value: str, width: int) -> str:
    """A label folded at ``width`` between words, a word too long for it after a
    slash, and only then anywhere (Rich folds what is still too long)."""
    out: list[str] = []
    for line in _bind(value).splitlines() or [""]:
        current = ""
        for word in line.split():
            parts = [word] if len(word) <= width else _BREAK.split(word)
            for number, part in enumerate(parts):
                glue = "" if number else " "
                if current and len(current) + len(glue) + len(part) <= width:
                    current += glue + part
                elif current:
                    out.append(current)
                    current = part
                else:
                    current = part
        out.append(current)
    return _unbind("\n".join(out))


def indented(content: str, width: int, indent: int, style: str) -> Text:
    lines = textwrap.wrap(
        _bind(content),
        width,
        initial_indent=" " * indent,
        subsequent_indent=" " * indent,
        break_on_hyphens=False,
    )
    return Text(_unbind("\n".join(lines)) + "\n", style=style)


def under(value: str, width: int, style: str) -> Text:
    """A fact's value on lines of its own under its label, each indented by two
    (a long one folds under itself, not back at the margin)."""
    text = indented(value, width, 2, style)
    text.rstrip()
    return Text("\n") + text


def widened(minimum: list[int], wanted: tuple[list[int], ...], available: int) -> list[int]:
    """Columns' least widths raised, as far as ``available`` allows, to each of
    ``wanted`` in turn: a label column folds between words if its words (or its short
    codes: FT 13/2016) fit it whole, else also after a slash or an elision
    (all'/istruzione), and only then anywhere ("all'istruzio" over "ne"). As many
    columns as can be are widened; among as many, the leftmost (the invoice, the code
    that names a row)."""
    out = list(minimum)
    for widths in wanted:
        needing = [i for i in range(len(out)) if widths[i] > out[i]]
        room = available - sum(out)
        for size in range(min(len(needing), 12), 0, -1):
            chosen = next(
                (
                    group
                    for group in combinations(needing, size)
                    if sum(widths[i] - out[i] for i in group) <= room
                ),
                None,
            )
            if chosen is not None:
                for i in chosen:
                    out[i] = widths[i]
                break
    return out
