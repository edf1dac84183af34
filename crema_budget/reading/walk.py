"""The walk of a YAML file: libyaml (PyYAML's C parser) streams the file as events, and
one walk turns them into plain data, guided by the shape of the format
(:mod:`crema_budget.reading.shape`): unknown keys, a list where a mapping belongs, a list
longer than the format allows, duplicate keys, aliases, merge keys and tags are refused as
they are met, so no file can make the walk build more than the format holds. Every scalar
stays text: the models' strict parsers decide what a figure is, not YAML 1.1's guesses
(``012`` octal, ``yes`` boolean, ``1.10`` float).

Asked for the paths of fields that have a problem, a walk also notes where each is
written, so that every problem points at its line and column.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import yaml

from crema_budget.errors import Problem
from crema_budget.i18n import _, whole
from crema_budget.reading.fields import Location
from crema_budget.reading.messages import (
    MAX_PROBLEMS,
    Found,
    Lines,
    expected_message,
    first_keys,
    problems_in_order,
    tag_message,
    unknown_key,
    yaml_words,
)
from crema_budget.reading.shape import Shape

#: Entries (list items and key: value pairs) a file may hold; the same 10,000
#: ambiti hold about 1.3 million. Counted as they are met, so a file of
#: millions of tiny entries is refused at the first one over.
MAX_ENTRIES = 3_000_000
#: The format nests seven levels; anything far deeper is not an agreement.
MAX_DEPTH = 32
#: Anchors remembered to say where an alias points; beyond this, it is not said.
_MAX_ANCHORS = 1000

_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_STR_TAG = "tag:yaml.org,2002:str"
_DIGITS = re.compile(r"[0-9]{1,2}", re.ASCII)  # decimals cut off at a comma
_FIGURE = re.compile(
    r"[0-9]{1,3}(?:\.[0-9]{3})+|[0-9]+", re.ASCII
)  # before the comma  # an explicit !!str is harmless text

_Parser: Any
_LIBYAML = True
try:
    # The C parser. PyYAML does not export it as `yaml.CParser`, so import it
    # from its module: looking it up there finds nothing and silently falls
    # back to the pure-Python parser, five times slower.
    from yaml._yaml import CParser as _Parser
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml.parser import Parser
    from yaml.reader import Reader
    from yaml.scanner import Scanner

    class _PyParser(Reader, Scanner, Parser):
        def __init__(self, stream: str) -> None:
            Reader.__init__(self, stream)
            Scanner.__init__(self)
            Parser.__init__(self)

    _Parser = _PyParser
    _LIBYAML = False

_Scalar = yaml.ScalarEvent
_MappingStart = yaml.MappingStartEvent
_SequenceStart = yaml.SequenceStartEvent
_Alias = yaml.AliasEvent
_CollectionEnd = (yaml.MappingEndEvent, yaml.SequenceEndEvent)


class _Stop(Exception):
    """The walk cannot usefully go on: too many problems, entries or items."""


class Walk:
    """Turns the file's events into plain data, checking its shape as it goes.

    With ``wanted`` (the field paths that have a problem), it also notes
    where each of those fields, and everything enclosing them, is written.
    """

    def __init__(
        self,
        text: str,
        source: str,
        lines: Lines,
        shape: Shape,
        wanted: set[Location] | None = None,
    ) -> None:
        self.text = text
        self.source = source
        self.lines = lines
        self.shape = shape
        self.problems: list[Found] = []
        self.failed = False
        self.stopped_at: int | None = None
        #: Paths whose content was refused whole: validation errors there are noise.
        self.refused: set[Location] = set()
        self._entries_left = MAX_ENTRIES
        #: The last value read: a quoted one left open swallows the lines after it.
        self._last_scalar: Any = None
        self._anchors: dict[str, int] = {}
        self._path: list[str | int] = []
        self._prefixes: set[Location] | None = None
        #: path → (line, column) of its key (or list item), and of its value if a scalar.
        self.positions: dict[Location, tuple[tuple[int, int], tuple[int, int] | None]] = {}
        if wanted is not None:
            self._prefixes = {loc[:end] for loc in wanted for end in range(len(loc) + 1)}

    # problems

    def _problem(self, mark: Any, message: str, refuse: bool = True) -> None:
        loc = tuple(self._path)
        self.failed = True
        if refuse:
            self.refused.add(loc)
        if len(self.problems) >= MAX_PROBLEMS:
            self.stopped_at = mark.line + 1
            raise _Stop
        self.problems.append(Found(mark.line + 1, mark.column + 1, loc, message))

    def is_refused(self, loc: Location) -> bool:
        refused = self.refused
        return bool(refused) and any(loc[:end] in refused for end in range(len(loc) + 1))

    def report(self) -> list[Problem]:
        return problems_in_order(list(self.problems), self.source, self.lines, self.stopped_at)

    # walking

    def run(self) -> Any:
        parser: Any = None
        try:
            parser = _Parser(self.text)
            return self._document(parser)
        except _Stop:
            return None
        except yaml.MarkedYAMLError as exc:
            self._syntax(exc)
        except yaml.reader.ReaderError as exc:
            self._reader(exc)
        except UnicodeEncodeError as exc:  # a lone surrogate in text that never was UTF-8
            line, column = _line_column(self.text, exc.start)
            self._fatal(line, column, _("text that cannot be written as UTF-8"))
        except RecursionError:  # pragma: no cover - only the pure-Python parser recurses
            self._fatal(0, 0, _("nested more than {n} levels deep").format(n=MAX_DEPTH))
        except yaml.YAMLError as exc:  # pragma: no cover - libyaml reports marks
            self._fatal(0, 0, _("YAML syntax: {problem}").format(problem=exc))
        finally:
            if parser is not None and hasattr(parser, "dispose"):
                parser.dispose()
        return None

    def _document(self, parser: Any) -> Any:
        get = parser.get_event
        get()  # StreamStart
        event = get()
        if isinstance(event, yaml.StreamEndEvent):
            self._fatal(0, 0, _("the file holds no data (only comments?)"))
            return None
        root = get()  # the document's content, after DocumentStart
        if isinstance(root, _Scalar) and root.implicit[0] and root.value in _NULLS:
            self._problem(
                root.start_mark,
                _("the file holds no data; it must start with {keys}").format(
                    keys=first_keys(self.shape)
                ),
            )
            return None
        if not isinstance(root, _MappingStart):
            self._problem(
                root.start_mark,
                _("the file must be a mapping that starts with {keys}").format(
                    keys=first_keys(self.shape)
                ),
            )
            self._skip(root, get)
            return None
        data = self._mapping(root, self.shape, get, 0)
        get()  # DocumentEnd
        following = get()
        if isinstance(following, yaml.DocumentStartEvent):
            self._problem(
                following.start_mark,
                _("a data file holds one YAML document; remove this '---' and what follows"),
                refuse=False,
            )
        return data

    def _value(self, event: Any, shape: Shape, get: Callable[[], Any], depth: int) -> Any:
        """Plain data for the value that starts with ``event``, if it fits ``shape``."""
        if isinstance(event, _Scalar):
            self._last_scalar = event
            if event.anchor is not None:
                self._anchor(event)
            tag = event.tag
            if tag is not None and tag != _STR_TAG and tag != "!":
                self._problem(event.start_mark, tag_message(tag))
                return event.value
            if shape.kind != "scalar":
                if event.implicit[0] and event.value in _NULLS:
                    return None  # an empty value: the models say if one is required
                self._problem(event.start_mark, expected_message(shape))
                return None
            if event.implicit[0] and event.value in _NULLS:
                return None
            return event.value
        if isinstance(event, _Alias):
            self._alias(event)
            return None
        if event.anchor is not None:
            self._anchor(event)
        if event.tag is not None and event.tag != "!":
            self._problem(event.start_mark, tag_message(event.tag))
            self._skip(event, get)
            return None
        if depth >= MAX_DEPTH:
            self._problem(
                event.start_mark, _("nested more than {n} levels deep").format(n=MAX_DEPTH)
            )
            self._skip(event, get)
            return None
        if isinstance(event, _MappingStart):
            if shape.kind in ("model", "dict"):
                return self._mapping(event, shape, get, depth + 1)
        elif shape.kind == "list":
            return self._sequence(event, shape, get, depth + 1)
        self._problem(event.start_mark, expected_message(shape))
        self._skip(event, get)
        return None

    def _count(self, event: Any) -> None:
        self._entries_left -= 1
        if self._entries_left < 0:
            self._problem(
                event.start_mark,
                _(
                    "the file holds more than {limit} entries (this is where it passes the "
                    "limit); an agreement holds a few thousand"
                ).format(limit=whole(MAX_ENTRIES)),
            )
            self.stopped_at = event.start_mark.line + 1
            raise _Stop

    def _mapping(self, start: Any, shape: Shape, get: Callable[[], Any], depth: int) -> Any:
        result: dict[str, Any] = {}
        first_line: dict[str, int] = {}
        fields = shape.fields
        path = self._path
        prefixes = self._prefixes
        items = 0
        previous: tuple[str, Any] | None = None
        while True:
            key_event = get()
            if isinstance(key_event, yaml.MappingEndEvent):
                return result
            self._count(key_event)
            if not isinstance(key_event, _Scalar):
                path.append(f"<key at line {key_event.start_mark.line + 1}>")
                self._problem(
                    key_event.start_mark, _("a key must be plain text, not a list or a mapping")
                )
                path.pop()
                self._skip(key_event, get)  # the key's own items come before its value
                self._skip(get(), get)
                continue
            value_event = get()
            key = key_event.value
            path.append(key)
            try:
                if prefixes is not None:
                    here = tuple(path)
                    if here in prefixes:
                        self._note(here, key_event, value_event)
                if key_event.anchor is not None:
                    self._anchor(key_event)
                if key in first_line:
                    self._problem(
                        key_event.start_mark,
                        _(
                            "duplicate key {key} (first given at line {line}); YAML would "
                            "silently keep only the last one"
                        ).format(key=repr(key), line=first_line[key]),
                        refuse=False,
                    )
                    self._skip(value_event, get)
                    continue
                first_line[key] = _line(key_event)
                if key_event.implicit[0] and key == "<<":
                    self._problem(
                        key_event.start_mark,
                        _("merge keys (<<) are not allowed; write the keys out"),
                    )
                    self._skip(value_event, get)
                    continue
                if key_event.tag is not None and key_event.tag not in (_STR_TAG, "!"):
                    self._problem(key_event.start_mark, tag_message(key_event.tag))
                if (fields is None or key not in fields) and self._split_figure(
                    start, previous, key_event, value_event
                ):
                    continue
                if fields is not None:
                    child = fields.get(key)
                    if child is None:
                        self._problem(
                            key_event.start_mark,
                            unknown_key(key, list(fields)),
                            refuse=False,
                        )
                        self._skip(value_event, get)
                        continue
                else:
                    assert shape.item is not None
                    child = shape.item
                    items += 1
                    if shape.max_items is not None and items > shape.max_items:
                        self._too_many(key_event, shape.max_items)
                result[key] = self._value(value_event, child, get, depth)
                previous = (key, value_event)
            finally:
                path.pop()

    def _split_figure(self, start: Any, previous: Any, key_event: Any, value_event: Any) -> bool:
        """A figure with a decimal comma inside a mapping written on one line
        (``{imponibile: 7283,00}``): YAML ends the value at the comma and reads
        the decimals as a key of their own. Said once, at the figure, with the
        figure to write; True when that is what happened."""
        if not start.flow_style or previous is None or not _DIGITS.fullmatch(key_event.value):
            return False
        before_key, before = previous
        if not (
            isinstance(before, _Scalar)
            and before.implicit[0]
            and isinstance(value_event, _Scalar)
            and value_event.value == ""
            and _FIGURE.fullmatch(before.value)
        ):
            return False
        end: Any = before.end_mark
        between = self.text[end.index : key_event.start_mark.index]
        if between.strip() != ",":
            return False
        written = f"{before.value},{key_event.value}"
        plain = before.value.replace(".", "") + "." + key_event.value
        self._path[-1] = before_key
        self._problem(
            before.start_mark,
            _(
                "{text} has a decimal comma, which ends the value in a mapping written "
                "on one line; write {plain}"
            ).format(text=repr(written), plain=plain),
        )
        return True

    def _sequence(self, start: Any, shape: Shape, get: Callable[[], Any], depth: int) -> Any:
        result: list[Any] = []
        item_shape = shape.item
        assert item_shape is not None
        path = self._path
        prefixes = self._prefixes
        limit = shape.max_items
        index = 0
        while True:
            event = get()
            if isinstance(event, yaml.SequenceEndEvent):
                return result
            self._count(event)
            path.append(index)
            try:
                if prefixes is not None:
                    here = tuple(path)
                    if here in prefixes:
                        self._note(here, event, event)
                if limit is not None and index >= limit:
                    self._too_many(event, limit)
                result.append(self._value(event, item_shape, get, depth))
            finally:
                path.pop()
            index += 1

    def _too_many(self, event: Any, limit: int) -> None:
        path = self._path
        self._path = path[:-1]
        try:
            self._problem(
                event.start_mark,
                _("more than {limit} entries here; the format allows at most {limit}").format(
                    limit=whole(limit)
                ),
            )
        finally:
            self._path = path
        self.stopped_at = event.start_mark.line + 1
        raise _Stop

    def _skip(self, event: Any, get: Callable[[], Any]) -> None:
        """Consume the rest of a value without building it (still counted)."""
        if not isinstance(event, (_MappingStart, _SequenceStart)):
            return
        depth = 1
        while depth:
            event = get()
            if isinstance(event, (_MappingStart, _SequenceStart)):
                depth += 1
                self._count(event)
            elif isinstance(event, _CollectionEnd):
                depth -= 1
            else:
                self._count(event)

    def _note(self, here: Location, at: Any, value: Any) -> None:
        key_mark = (_line(at), _column(at))
        value_mark = None
        if isinstance(value, _Scalar):
            value_mark = (_line(value), _column(value))
        elif isinstance(value, _Alias):
            value_mark = key_mark
        self.positions[here] = (key_mark, value_mark)

    def _anchor(self, event: Any) -> None:
        if len(self._anchors) < _MAX_ANCHORS:
            self._anchors.setdefault(event.anchor, event.start_mark.line + 1)

    def _alias(self, event: Any) -> None:
        line = self._anchors.get(event.anchor)
        if line is None:
            message = _("aliases (*name) are not allowed; write the value out")
        else:
            message = _(
                "aliases (*name) are not allowed: this one repeats the value anchored at "
                "line {line}; write the value out"
            ).format(line=line)
        self._problem(event.start_mark, message)

    # fatal problems: the walk ends

    def _fatal(self, line: int, column: int, message: str) -> None:
        self.failed = True
        self.problems.append(Found(line, column, (), message))

    def _syntax(self, exc: yaml.MarkedYAMLError) -> None:
        last = self._last_scalar
        if (
            last is not None
            and last.style in ('"', "'")
            and last.end_mark.line > last.start_mark.line
            and exc.problem_mark is not None
            and exc.problem_mark.line >= last.end_mark.line
        ):
            # A value's closing quote is missing: YAML read the next lines as part of
            # the text and stumbled further down. Point at where the quote opens.
            message = _(
                "the quote that opens this text is not closed on its line (YAML read on "
                "to line {line}, where it stumbled): is the closing quote missing?"
            ).format(line=exc.problem_mark.line + 1)
            self._fatal(last.start_mark.line + 1, last.start_mark.column + 1, message)
            return
        mark = exc.problem_mark or exc.context_mark
        problem = yaml_words(str(exc.problem or exc.context))
        if exc.problem and exc.context and exc.context_mark:
            # Where the parser gave up is not always the slip: name where the
            # unfinished construct (a quoted text, a mapping in braces) began.
            message = _("YAML syntax: {problem} ({construct} that starts at line {line})").format(
                problem=problem,
                construct=yaml_words(str(exc.context)),
                line=exc.context_mark.line + 1,
            )
        else:
            message = _("YAML syntax: {problem}").format(problem=problem)
        if mark is None:
            self._fatal(0, 0, message)
            return
        line, column = mark.line + 1, mark.column + 1
        if self.lines.character(line, column) == "\t":
            self._fatal(line, column, _("a tab cannot indent YAML; use spaces"))
            return
        self._fatal(line, column, message)

    def _reader(self, exc: yaml.reader.ReaderError) -> None:
        # libyaml counts the position in UTF-8 bytes, the pure-Python reader in characters.
        position = exc.position
        if _LIBYAML:
            encoded = self.text.encode("utf-8", "surrogatepass")[:position]
            position = len(encoded.decode("utf-8", "replace"))
        line, column = _line_column(self.text, position)
        code = exc.character if isinstance(exc.character, int) else ord(exc.character[:1] or "?")
        self._fatal(
            line,
            column,
            _("character U+{code:04X} is not allowed in a YAML file").format(code=code),
        )

    # where a field is

    def position(self, loc: Location, *, key: bool) -> tuple[int, int]:
        """Line and column for a problem at ``loc``: at the value when it is a
        scalar written exactly there (unless ``key``), else at its key or the
        nearest enclosing field."""
        exact = self.positions.get(loc)
        if exact is not None:
            at, value = exact
            return value if value is not None and not key else at
        for end in range(len(loc) - 1, 0, -1):
            enclosing = self.positions.get(loc[:end])
            if enclosing is not None:
                return enclosing[0]
        return (1, 1)

    def found(self, loc: Location, message: str = "", error: Any = None, root: Any = None) -> Found:
        """A problem at field path ``loc``: at its value or, for a path ending in
        ``"[key]"`` (as Pydantic ends one for a mapping's key), at the key."""
        key = False
        if loc and loc[-1] == "[key]" and loc not in self.positions:  # not a key named so
            loc, key = loc[:-1], True
        return Found(*self.position(loc, key=key), loc, message, error, root)


def _line(event: Any) -> int:
    """The line (from 1) where an event starts."""
    return int(event.start_mark.line) + 1


def _column(event: Any) -> int:
    """The column (from 1) where an event starts."""
    return int(event.start_mark.column) + 1


def _line_column(text: str, position: int) -> tuple[int, int]:
    line = text.count("\n", 0, position) + 1
    return line, position - (text.rfind("\n", 0, position) + 1) + 1
