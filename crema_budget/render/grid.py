"""A large table drawn as plain lines, the way Rich draws it, at a fraction of the cost.

Rich builds objects for every cell, line and segment of a table: for a monitor with
thousands of anomalies that took eight times as long as writing the same run as JSON.
This module draws the same rules, padding, wrapped cells (words broken where Rich
breaks them) and alignment straight into strings, for the uncoloured output of a large table
(:func:`crema_budget.render.terminal.table`). A table it cannot vouch for (colour, a
tab or a control character in a cell, a character wider than one column) is left to
Rich; ``tests/test_formats.py`` holds its output to Rich's, byte for byte.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from itertools import pairwise
from typing import Literal

from rich.box import Box
from rich.console import Console, ConsoleOptions
from rich.segment import Segment

#: Tables with more rows than this are drawn here; smaller ones by Rich.
LARGE = 200

Justify = Literal["left", "right"]

#: What only Rich measures right: control characters, and anything that may be wider
#: (or narrower) than one column on a terminal.
_UNSURE = re.compile(r"[^\n\x20-\x7e\xa0-\xac\xae-\u02ff\u2010-\u2027\u2030-\u205e\u20ac\u2212]")
#: A word and the blanks after it (the first word also takes the blanks before it).
_WORD = re.compile(r"\s*\S+\s*")


class Laid:
    """Lines of output already laid out: written as they are, with no Rich in between
    (:func:`crema_budget.render.terminal.render`); printed through Rich, they are
    passed on line by line."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines

    @property
    def text(self) -> str:
        return "".join(line + "\n" for line in self.lines)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> Iterator[Segment]:
        for line in self.lines:
            yield Segment(line)
            yield Segment.line()


def wrap(text: str, width: int, justify: Justify) -> list[str] | None:
    """``text`` folded into lines of exactly ``width`` columns, as Rich folds a
    cell; None if the text holds what only Rich measures right."""
    if _UNSURE.search(text) or text.endswith("\n"):
        return None
    lines: list[str] = []
    for paragraph in text.split("\n"):
        if len(paragraph) <= width:
            pieces = [paragraph]
        else:
            cuts = [0, *_breaks(paragraph, width), len(paragraph)]
            pieces = [paragraph[start:end] for start, end in pairwise(cuts)]
        for piece in pieces:
            if justify == "right":
                lines.append(piece.rstrip()[:width].rjust(width))
            else:
                lines.append(piece[:width].ljust(width))
    return lines


def _breaks(text: str, width: int) -> list[int]:
    """Where a line of one-column characters breaks to fit ``width``, as Rich breaks
    a cell: each word (with the blanks after it) goes on the line while the word
    itself fits; a word longer than a whole line starts a line of its own and is
    cut every ``width`` characters, its last piece opening the next line."""
    breaks: list[int] = []
    used = 0
    for match in _WORD.finditer(text):
        start, word = match.start(), match.group()
        length = len(word.rstrip())
        if used + length <= width:
            used += len(word)
        elif length > width:
            for cut in range(start, match.end(), width):
                if cut:
                    breaks.append(cut)
            used = len(word) - (len(word) - 1) // width * width
        elif used and start:
            breaks.append(start)
            used = len(word)
    return breaks


def draw(
    box: Box,
    edge: bool,
    padding: tuple[int, int, int, int],
    widths: Sequence[int],
    justify: Sequence[Justify],
    header: Sequence[str] | None,
    rows: Sequence[tuple[Sequence[str], bool]],
) -> list[str] | None:
    """The lines of a table as Rich draws it (``show_edge=edge``, ``pad_edge=edge``,
    the header bottom-aligned and the cells top-aligned): ``rows`` are each row's
    cells and whether a rule closes its section. None if a cell holds what only
    Rich measures right."""
    top, right, bottom, left = padding
    if top or bottom:
        return None
    last_column = len(widths) - 1
    pads = [
        (0 if index == 0 and not edge else left, 0 if index == last_column and not edge else right)
        for index in range(len(widths))
    ]
    full = [before + width + after for (before, after), width in zip(pads, widths, strict=True)]
    if header is None:
        box = box.get_plain_headed_box()
    sides = [
        (box.head_left, box.head_right, box.head_vertical),
        (box.mid_left, box.mid_right, box.mid_vertical),
        (box.foot_left, box.foot_right, box.foot_vertical),
    ]
    every = [(header, False)] if header is not None else []
    every.extend(rows)
    out: list[str] = []
    if edge:
        out.append(box.get_top(full))
    final = len(every) - 1
    for index, (cells, end_section) in enumerate(every):
        heading = index == 0 and header is not None
        columns: list[list[str]] = []
        for cell, width, how, (before, after) in zip(cells, widths, justify, pads, strict=True):
            if len(cell) <= width and cell.isascii() and cell.isprintable():
                # Most cells: one line of plain characters, nothing to fold.
                line = cell.rstrip().rjust(width) if how == "right" else cell.ljust(width)
                columns.append([" " * before + line + " " * after])
                continue
            lines = wrap(cell, width, how)
            if lines is None:
                return None
            columns.append([" " * before + line + " " * after for line in lines])
        height = max(len(lines) for lines in columns)
        for lines, size in zip(columns, full, strict=True):
            blank = [" " * size] * (height - len(lines))
            if heading:
                lines[:0] = blank  # a title sits on the rule under it
            else:
                lines.extend(blank)
        first_left, first_right, divider = sides[0 if index == 0 else (2 if index == final else 1)]
        for line_no in range(height):
            line = divider.join(lines[line_no] for lines in columns)
            out.append(first_left + line + first_right if edge else line)
        if heading:
            out.append(box.get_row(full, "head", edge=edge))
        elif end_section and index != final:
            out.append(box.get_row(full, "row", edge=edge))
    if edge:
        out.append(box.get_bottom(full))
    return out
