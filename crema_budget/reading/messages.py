"""Problems in a data file as people read them: libyaml's and Pydantic's words in the
reader's language, an unknown key with the nearest known one, and every problem of a
file in line order, as ``file:line:col: field.path: message`` followed by the line and a
caret under the column.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from pydantic import BaseModel

from crema_budget.errors import Problem
from crema_budget.i18n import N_, _, closest, ngettext, whole
from crema_budget.reading.fields import Location, dotted
from crema_budget.reading.shape import Shape, shape_of
from crema_budget.reading.source import shown_line

#: A file with more problems than this is the wrong file: show the first ones.
MAX_PROBLEMS = 50


class Found(NamedTuple):
    """A problem before it is formatted: where, which field, what.

    A validation error is worded only if it is shown.
    """

    line: int
    column: int
    loc: Location
    message: str = ""
    error: Any = None  # a Pydantic error, worded by _message() when shown
    root: Any = None

    def text(self) -> str:
        return self.message if self.error is None else _message(self.error, self.loc, self.root)


#: libyaml's words for what went wrong, in the reader's language; anything else is
#: shown as libyaml says it.
_YAML_WORDS = {
    "found unexpected end of stream": N_("the file ends before what it opened is closed"),
    "mapping values are not allowed in this context": N_(
        "a colon where no key can start (a value continued on the next line, or a space "
        "missing after a colon?)"
    ),
    "did not find expected alphabetic or numeric character": N_(
        "a name (of an anchor, alias or tag) is missing"
    ),
    "while parsing a quoted scalar": N_("a quoted text"),
    "while scanning for the next token": N_("the next value"),
    "mapping values are not allowed here": N_(
        "a colon where no key can start (a value continued on the next line, or a space "
        "missing after a colon?)"
    ),
    "could not find expected ':'": N_("a colon is missing after a key"),
    "did not find expected key": N_("a key was expected here (check the indentation)"),
    "did not find expected ',' or '}'": N_("a comma or a closing brace is missing"),
    "did not find expected ',' or ']'": N_("a comma or a closing bracket is missing"),
    "did not find expected node content": N_("a value is missing"),
    "did not find expected '-' indicator": N_("a list item ('- ') was expected here"),
    "found character that cannot start any token": N_(
        "a character that cannot start a value (a tab, or a stray symbol?)"
    ),
    "found undefined alias": N_("an alias (*name) that nothing defines"),
    "found unknown escape character": N_("an unknown escape (\\) in a quoted text"),
    "while scanning a quoted scalar": N_("a quoted text"),
    "while scanning a plain scalar": N_("a value"),
    "while scanning a simple key": N_("a key"),
    "while parsing a flow mapping": N_("a mapping in braces"),
    "while parsing a flow sequence": N_("a list in brackets"),
    "while parsing a block mapping": N_("a mapping"),
    "while parsing a block collection": N_("a list"),
    "while parsing a flow node": N_("a value"),
    "while parsing a block node": N_("a value"),
    "while scanning an alias": N_("an alias"),
    "while scanning an anchor": N_("an anchor"),
    "while scanning a tag": N_("a tag"),
    "while scanning a block scalar": N_("a block of text"),
}


def yaml_words(said: str) -> str:
    known = _YAML_WORDS.get(said)
    return _(known) if known is not None else said


def first_keys(shape: Shape) -> str:
    names = [f"{name}:" for name in (shape.fields or {})][:2]
    return _(" and ").join(names)


def expected_message(shape: Shape) -> str:
    if shape.kind in ("model", "dict"):
        return _("expected a mapping (indented key: value lines)")
    if shape.kind == "list":
        return _("expected a list (lines starting with '- ')")
    return _("expected a single value, not a list or a mapping")


def tag_message(tag: str) -> str:
    written = "!!" + tag.removeprefix("tag:yaml.org,2002:") if tag.startswith("tag:") else tag
    return _("YAML tags such as {tag} are not used in this format; remove it").format(tag=written)


def unknown_key(key: str, known: list[str]) -> str:
    close = closest(key, known)
    if close:
        return _("unknown key {key}; did you mean {suggestion}?").format(
            key=repr(key[:80]), suggestion=repr(close)
        )
    return _("unknown key {key}; expected one of: {keys}").format(
        key=repr(key[:80]), keys=", ".join(known)
    )


class Lines:
    """The source lines, split only if an error needs one shown."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._lines: list[str] | None = None

    def text(self, line: int) -> str | None:
        """Line ``line`` (from 1) as written, if there is one."""
        if self._lines is None:
            # The same line breaks as YAML's: \n, \r\n, \r, NEL, LS, PS (the
            # others splitlines() knows are not allowed in YAML at all).
            self._lines = self._text.splitlines()
        return self._lines[line - 1] if 1 <= line <= len(self._lines) else None

    def character(self, line: int, column: int) -> str:
        text = self.text(line) or ""
        return text[column - 1] if 1 <= column <= len(text) else ""

    def shown(self, line: int, column: int) -> str | None:
        """Line ``line`` as it should appear under a message pointing at ``column``."""
        text = self.text(line)
        return None if text is None else shown_line(text, column)


def problems_in_order(
    found: list[Found], source: str, lines: Lines, more_after: int | None
) -> list[Problem]:
    """Problems in line order, at most :data:`MAX_PROBLEMS` of them, and a note when
    there are more."""
    found.sort(key=lambda item: (item.line, item.column))
    problems = [
        Problem(
            source,
            item.line,
            item.column,
            dotted(item.loc) if not _synthetic(item.loc) else "",
            item.text(),
            lines.shown(item.line, item.column),
        )
        for item in found[:MAX_PROBLEMS]
    ]
    if len(found) > MAX_PROBLEMS:
        more = len(found) - MAX_PROBLEMS
        message = ngettext(
            "{count} more problem after line {line} not shown ({total} in all); fix these first",
            "{count} more problems after line {line} not shown ({total} in all); fix these first",
            more,
        ).format(count=whole(more), line=problems[-1].line, total=whole(len(found)))
        problems.append(Problem(source, 0, 0, "", message, omitted=more))
    elif more_after is not None and problems:
        message = _("the file was not read past line {line}; fix these problems first").format(
            line=more_after
        )
        problems.append(Problem(source, 0, 0, "", message, omitted=-1))
    return problems


def _synthetic(loc: Location) -> bool:
    return not loc or any(isinstance(p, str) and p.startswith("<key at") for p in loc)


_PLAIN_MESSAGES = {
    "dict_type": N_("expected a mapping (indented key: value lines)"),
    "model_type": N_("expected a mapping (indented key: value lines)"),
    "list_type": N_("expected a list (lines starting with '- ')"),
    "string_type": N_("expected text"),
    "too_short": N_("must not be empty"),
    "string_too_short": N_("must not be empty"),
}


def _message(error: Any, loc: Location, root: Any) -> str:
    kind = error["type"]
    context = error.get("ctx") or {}
    if kind == "missing":
        return _("missing; add `{key}:`").format(key=loc[-1]) if loc else _("missing")
    if kind == "extra_forbidden":  # the walk removes unknown keys; kept for direct use
        model_class = _model_at(root, loc[:-1])
        return unknown_key(str(loc[-1]), list(model_class.model_fields) if model_class else [])
    if kind in _PLAIN_MESSAGES:
        message = _(_PLAIN_MESSAGES[kind])
        if error.get("input") is None and kind.endswith("_type"):
            message = _("is empty; {message}").format(message=message)
        return message
    if kind == "string_too_long":
        return _("is longer than {n} characters; shorten it").format(n=context.get("max_length"))
    if kind == "too_long":
        return _("has more than {n} entries").format(n=context.get("max_length"))
    if kind == "greater_than_equal":
        return _("must be at least {n}").format(n=context.get("ge"))
    if kind == "less_than_equal":
        return _("must be at most {n}").format(n=context.get("le"))
    return str(error["msg"]).removeprefix("Value error, ")


def _model_at(root: Any, loc: Location) -> type[BaseModel] | None:
    """The model class that validates the mapping at ``loc``."""
    shape = shape_of(root)
    for part in loc:
        if shape.kind == "model":
            assert shape.fields is not None
            child = shape.fields.get(str(part))
            if child is None:
                return None
            shape = child
        elif shape.kind in ("list", "dict") and shape.item is not None:
            shape = shape.item
        else:
            return None
    return shape.model
