"""Loading a data file: bytes → validated records, or every problem with its line.

libyaml (PyYAML's C parser) streams the file as events; one walk turns them
into plain data, guided by the shape of the format (:mod:`crema_budget.agreement.fileformat`):
unknown keys, a list where a mapping belongs, a list longer than the format
allows, duplicate keys, aliases, merge keys and tags are refused as they are
met, so no file can make the walk build more than the format holds. Every
scalar stays text: the models' strict parsers decide what a figure is, not
YAML 1.1's guesses (``012`` octal, ``yes`` boolean, ``1.10`` float).

A valid file is walked once, keeping no positions and no node tree. Only when
something is wrong is the file walked a second time, noting the line and
column of just the fields that have a problem; every problem is then reported
together, in line order, as ``file:line:col: field.path: message`` followed by
the offending line and a caret under the column.
"""

from __future__ import annotations

import difflib
import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple, TypeVar, Union, get_args, get_origin

import yaml
from annotated_types import MaxLen
from pydantic import BaseModel, ValidationError

from crema_budget.agreement import fileformat, model, rules
from crema_budget.errors import DataError, Problem
from crema_budget.i18n import N_, _, ngettext, whole
from crema_budget.reading.fields import dotted
from crema_budget.reading.source import decode, default_data_path, read_file, shown_line
from crema_budget.year import records

#: Entries (list items and key: value pairs) a file may hold; the same 10,000
#: ambiti hold about 1.3 million. Counted as they are met, so a file of
#: millions of tiny entries is refused at the first one over.
MAX_ENTRIES = 3_000_000
#: The format nests seven levels; anything far deeper is not an agreement.
MAX_DEPTH = 32
#: A file with more problems than this is the wrong file: show the first ones.
MAX_PROBLEMS = 50
#: Anchors remembered to say where an alias points; beyond this, it is not said.
_MAX_ANCHORS = 1000

_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_STR_TAG = "tag:yaml.org,2002:str"  # an explicit !!str is harmless text

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

M = TypeVar("M", bound=BaseModel)
Location = tuple[str | int, ...]


def load_agreement(path: Path | None = None) -> model.Agreement:
    """Read and validate a data file (the embedded one by default).

    Raises :class:`DataError` listing every problem found, each with its line.
    """
    path = default_data_path() if path is None else path
    return parse_agreement(read_file(path), str(path))


def parse_agreement(raw: bytes | str, source: str = "<data>") -> model.Agreement:
    """Validate an agreement's bytes (or text); ``source`` names it in messages.

    Raises :class:`DataError` and nothing else for any input whatsoever.
    """
    text = decode(raw, source) if isinstance(raw, bytes) else raw
    agreement = validate_yaml(text, source, fileformat.Agreement, rules.consistency_problems)
    return fileformat.to_model(agreement)


def parse_registro(raw: bytes | str, source: str = "<registro>") -> records.Registro:
    """Validate a register of the year; raises :class:`DataError` like the agreement."""
    from crema_budget.year import registro

    text = decode(raw, source) if isinstance(raw, bytes) else raw
    found = validate_yaml(text, source, registro.Registro, registro.consistency_problems)
    return registro.to_model(found)


def problems_at(
    text: str, source: str, root: type[BaseModel], found: list[tuple[Location, str]]
) -> DataError:
    """Problems found after loading (by rules that need another file: a register's
    codes against the agreement), each at the line where its field is written."""
    lines = _Lines(text)
    walk = _Walk(text, source, lines, shape_of(root), wanted={loc for loc, _ in found})
    walk.run()
    located = [walk.found(loc, message) for loc, message in found]
    return DataError(_report(located, source, lines, more_after=None))


# --- validation -------------------------------------------------------------------

Consistency = Callable[[M], list[tuple[Location, str]]]


def validate_yaml(text: str, source: str, root: type[M], consistency: Consistency[M]) -> M:
    """Validate YAML ``text`` against the model ``root`` and its cross-field rules.

    Raises :class:`DataError` with every problem (up to :data:`MAX_PROBLEMS`).
    """
    with _collector_paused():
        result, problems = _validate(text, source, root, consistency)
    # Raised here, not in _validate: a traceback keeps its frames' locals alive,
    # and those may hold the data of a file that is large.
    if result is None:
        raise DataError(problems)
    return result


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a file is loaded.

    Loading allocates hundreds of thousands of small objects and frees none of
    them until it ends, so the collector would run again and again to find
    nothing. Reference counting still frees everything as usual.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _validate(
    text: str, source: str, root: type[M], consistency: Consistency[M]
) -> tuple[M | None, list[Problem]]:
    lines = _Lines(text)
    if not text.strip():
        return None, [Problem(source, 0, 0, "", _("the file is empty"))]
    shape = shape_of(root)
    walk = _Walk(text, source, lines, shape)
    data = walk.run()
    if walk.stopped_at is not None or not isinstance(data, dict):
        return None, walk.report()
    # What the walk refused is left out of the data; the models check the rest,
    # so that every problem of the file is reported at once.
    result: M | None = None
    found: list[tuple[Location, Any]]
    try:
        result = root.model_validate(data)
    except ValidationError as exc:
        found = [
            (loc, error)
            for error in exc.errors(include_url=False)
            if not walk.is_refused(loc := tuple(error["loc"]))
        ]
    else:
        found = list(consistency(result))
    if found:
        return None, _locate(text, source, lines, shape, walk, found, root)
    if walk.failed:
        return None, walk.report()
    return result, []


def _locate(
    text: str,
    source: str,
    lines: _Lines,
    shape: Shape,
    first: _Walk,
    found: list[tuple[Location, Any]],
    root: type[BaseModel],
) -> list[Problem]:
    """Walk the file again, noting where each problem's field is written."""
    wanted = {loc for loc, _ in found}
    for loc, _message in found:
        if loc and loc[-1] == "[key]":
            wanted.add(loc[:-1])
    second = _Walk(text, source, lines, shape, wanted=wanted)
    second.run()
    located: list[_Found] = list(first.problems)
    for loc, detail in found:
        if isinstance(detail, str):
            located.append(second.found(loc, detail))
        else:
            located.append(second.found(loc, error=detail, root=root))
    return _report(located, source, lines, more_after=None)


# --- the shape of the format ------------------------------------------------------


@dataclass(frozen=True)
class Shape:
    """What a place in the file holds: a mapping of known fields, a list, a
    mapping of free keys, or a single value."""

    kind: str  # "model", "list", "dict" or "scalar"
    fields: dict[str, Shape] | None = None  # "model"
    item: Shape | None = None  # "list" and "dict": each value's shape
    max_items: int | None = None
    model: type[BaseModel] | None = None


_SHAPES: dict[type[BaseModel], Shape] = {}


def shape_of(model_class: type[BaseModel]) -> Shape:
    """The shape of a Pydantic model's data, worked out once per model."""
    found = _SHAPES.get(model_class)
    if found is None:
        fields: dict[str, Shape] = {}
        found = Shape("model", fields=fields, model=model_class)
        _SHAPES[model_class] = found  # before the fields: a model may nest itself
        for name, field in model_class.model_fields.items():
            fields[name] = _shape(field.annotation, _max_len(field.metadata))
    return found


def _shape(annotation: Any, max_items: int | None = None) -> Shape:
    origin = get_origin(annotation)
    args = get_args(annotation)
    if hasattr(annotation, "__metadata__"):  # Annotated[inner, ...]
        return _shape(args[0], _max_len(annotation.__metadata__) or max_items)
    if origin in (Union, type(int | None)):
        options = [arg for arg in args if arg is not type(None)]
        containers = [o for o in options if _shape(o).kind != "scalar"]
        return _shape(containers[0], max_items) if len(containers) == 1 else Shape("scalar")
    if origin is list:
        return Shape("list", item=_shape(args[0]), max_items=max_items)
    if origin is dict:
        return Shape("dict", item=_shape(args[1]), max_items=max_items)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return shape_of(annotation)
    return Shape("scalar")


def _max_len(metadata: Any) -> int | None:
    for item in metadata:
        if isinstance(item, MaxLen):
            return int(item.max_length)
        inner = getattr(item, "metadata", None)  # a FieldInfo inside Annotated
        if inner:
            found = _max_len(inner)
            if found is not None:
                return found
    return None


# --- the walk ---------------------------------------------------------------------


class _Found(NamedTuple):
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


class _Stop(Exception):
    """The walk cannot usefully go on: too many problems, entries or items."""


class _Walk:
    """Turns the file's events into plain data, checking its shape as it goes.

    With ``wanted`` (the field paths that have a problem), it also notes
    where each of those fields, and everything enclosing them, is written.
    """

    def __init__(
        self,
        text: str,
        source: str,
        lines: _Lines,
        shape: Shape,
        wanted: set[Location] | None = None,
    ) -> None:
        self.text = text
        self.source = source
        self.lines = lines
        self.shape = shape
        self.problems: list[_Found] = []
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
        self.problems.append(_Found(mark.line + 1, mark.column + 1, loc, message))

    def is_refused(self, loc: Location) -> bool:
        refused = self.refused
        return bool(refused) and any(loc[:end] in refused for end in range(len(loc) + 1))

    def report(self) -> list[Problem]:
        return _report(list(self.problems), self.source, self.lines, self.stopped_at)

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
                    keys=_first_keys(self.shape)
                ),
            )
            return None
        if not isinstance(root, _MappingStart):
            self._problem(
                root.start_mark,
                _("the file must be a mapping that starts with {keys}").format(
                    keys=_first_keys(self.shape)
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
                self._problem(event.start_mark, _tag_message(tag))
                return event.value
            if shape.kind != "scalar":
                if event.implicit[0] and event.value in _NULLS:
                    return None  # an empty value: the models say if one is required
                self._problem(event.start_mark, _expected(shape))
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
            self._problem(event.start_mark, _tag_message(event.tag))
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
        self._problem(event.start_mark, _expected(shape))
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
        while True:
            key_event = get()
            if isinstance(key_event, yaml.MappingEndEvent):
                return result
            self._count(key_event)
            value_event = get()
            if not isinstance(key_event, _Scalar):
                path.append(f"<key at line {key_event.start_mark.line + 1}>")
                self._problem(
                    key_event.start_mark, _("a key must be plain text, not a list or a mapping")
                )
                path.pop()
                self._skip(key_event, get)
                self._skip(value_event, get)
                continue
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
                    self._problem(key_event.start_mark, _tag_message(key_event.tag))
                if fields is not None:
                    child = fields.get(key)
                    if child is None:
                        self._problem(
                            key_event.start_mark,
                            _unknown_key(key, list(fields)),
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
            finally:
                path.pop()

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
        self.problems.append(_Found(line, column, (), message))

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
        problem = _yaml_words(str(exc.problem or exc.context))
        if exc.problem and exc.context and exc.context_mark:
            # Where the parser gave up is not always the slip: name where the
            # unfinished construct (a quoted text, a mapping in braces) began.
            message = _("YAML syntax: {problem} ({construct} that starts at line {line})").format(
                problem=problem,
                construct=_yaml_words(str(exc.context)),
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

    def found(
        self, loc: Location, message: str = "", error: Any = None, root: Any = None
    ) -> _Found:
        """A problem at field path ``loc``: at its value or, for a path ending in
        ``"[key]"`` (as Pydantic ends one for a mapping's key), at the key."""
        key = False
        if loc and loc[-1] == "[key]" and loc not in self.positions:  # not a key named so
            loc, key = loc[:-1], True
        return _Found(*self.position(loc, key=key), loc, message, error, root)


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


def _yaml_words(said: str) -> str:
    known = _YAML_WORDS.get(said)
    return _(known) if known is not None else said


def _line(event: Any) -> int:
    """The line (from 1) where an event starts."""
    return int(event.start_mark.line) + 1


def _column(event: Any) -> int:
    """The column (from 1) where an event starts."""
    return int(event.start_mark.column) + 1


def _first_keys(shape: Shape) -> str:
    names = [f"{name}:" for name in (shape.fields or {})][:2]
    return _(" and ").join(names)


def _expected(shape: Shape) -> str:
    if shape.kind in ("model", "dict"):
        return _("expected a mapping (indented key: value lines)")
    if shape.kind == "list":
        return _("expected a list (lines starting with '- ')")
    return _("expected a single value, not a list or a mapping")


def _tag_message(tag: str) -> str:
    written = "!!" + tag.removeprefix("tag:yaml.org,2002:") if tag.startswith("tag:") else tag
    return _("YAML tags such as {tag} are not used in this format; remove it").format(tag=written)


def _unknown_key(key: str, known: list[str]) -> str:
    close = difflib.get_close_matches(key, known, n=1)
    if close:
        return _("unknown key {key}; did you mean {suggestion}?").format(
            key=repr(key[:80]), suggestion=repr(close[0])
        )
    return _("unknown key {key}; expected one of: {keys}").format(
        key=repr(key[:80]), keys=", ".join(known)
    )


def _line_column(text: str, position: int) -> tuple[int, int]:
    line = text.count("\n", 0, position) + 1
    return line, position - (text.rfind("\n", 0, position) + 1) + 1


class _Lines:
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


def _report(
    found: list[_Found], source: str, lines: _Lines, more_after: int | None
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
        return _unknown_key(str(loc[-1]), list(model_class.model_fields) if model_class else [])
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
