"""Text folded to a width as the terminal shows it: paragraphs, labels in a narrow
column (between words, then after a slash: Dante/ Pesadori, never inside *da definire*),
and notes indented under a table's figures. Shared by the tables Rich draws and those
drawn without it (:mod:`crema_budget.render.grid`)."""

from __future__ import annotations

import re
import textwrap

from rich.text import Text


def folded(content: str, width: int, style: str = "") -> Text:
    """A paragraph wrapped at ``width``; a word longer than that is broken."""
    lines = []
    for paragraph in content.splitlines() or [""]:
        lines.extend(textwrap.wrap(paragraph, width, break_on_hyphens=False) or [""])
    return Text("\n".join(lines), style=style)


def pieces(line: str) -> list[str]:
    """The words of a label, a word with slashes cut after each (Dante/ Pesadori):
    where a narrow column may break it."""
    return [piece for word in line.split() for piece in re.split(r"(?<=/)(?=.)", word)]


def wrap_label(value: str, width: int) -> str:
    """A label folded at ``width`` between words, a word too long for it after a
    slash, and only then anywhere (Rich folds what is still too long)."""
    out: list[str] = []
    for line in value.splitlines() or [""]:
        current = ""
        for word in line.split():
            parts = [word] if len(word) <= width else re.split(r"(?<=/)(?=.)", word)
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
    return "\n".join(out)


def indented(content: str, width: int, indent: int, style: str) -> Text:
    lines = textwrap.wrap(
        content,
        width,
        initial_indent=" " * indent,
        subsequent_indent=" " * indent,
        break_on_hyphens=False,
    )
    return Text("\n".join(lines) + "\n", style=style)
