"""Loading a data file: YAML text → validated :class:`~crema_budget.model.Agreement`.

libyaml (PyYAML's C parser) builds the node tree, which keeps every node's line
and column. One walk over that tree turns it into plain data and, on the way,
records where each field sits, refuses what YAML would silently get wrong
(duplicate keys, aliases, merge keys, tags) and leaves every scalar as its
text: the models' strict parsers decide what a figure is, not YAML 1.1's
guesses (``012`` octal, ``yes`` boolean, ``1.10`` float). Validation errors are
then mapped back to the recorded positions, and every problem of the file is
reported together, in line order, as ``file:line:col: field.path: message``
followed by the offending line and a caret under the column.
"""

from __future__ import annotations

import difflib
import gc
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NamedTuple, Union, get_args, get_origin

import yaml
from pydantic import BaseModel, ValidationError

from crema_budget.errors import DataError, Problem
from crema_budget.model import Agreement, Location, consistency_problems

#: Larger files are refused before they are read. The 2016 agreement is 10 kB;
#: the benchmark's 2,000 ambiti × 10 fee lines is 6 MB. Parsing runs at a few
#: MB a second, so this bound also bounds the time a file can take.
MAX_FILE_BYTES = 16 * 1024 * 1024
#: Entries (list items and key: value pairs) a file may hold. The 2016
#: agreement has about 300, the benchmark file 235,000; a hostile file of
#: millions of tiny entries would otherwise take seconds and gigabytes to
#: list millions of problems.
MAX_ENTRIES = 1_000_000
#: The format nests six levels; anything far deeper is not an agreement.
#: (libyaml itself stops at 1,000 levels, before Python's recursion limit.)
MAX_DEPTH = 32
#: A file with more problems than this is the wrong file: show the first ones.
MAX_PROBLEMS = 50
#: Source lines longer than this are cut when shown under a message.
_MAX_SHOWN = 160

DEFAULT_DATA_NAME = "ambiti_2016.yaml"

_PACKAGE_DIR = Path(__file__).resolve().parent

# Tags our resolver gives scalars, so the walk tells them apart without
# looking at the text again: YAML's plain nulls, a plain merge key, the rest.
_TEXT = "!crema-text"
_NULL = "!crema-null"
_MERGE = "!crema-merge"
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_STR = "tag:yaml.org,2002:str"  # an explicit !!str is harmless text

_Parser: Any
_LIBYAML = True
try:
    # The C parser. PyYAML does not export it as `yaml.CParser`, so import it
    # from its module: looking it up there finds nothing and silently falls
    # back to the pure-Python parser, five times slower.
    from yaml._yaml import CParser as _Parser
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml.composer import Composer
    from yaml.parser import Parser
    from yaml.reader import Reader
    from yaml.scanner import Scanner

    class _PyParser(Reader, Scanner, Parser, Composer):
        def __init__(self, stream: str) -> None:
            Reader.__init__(self, stream)
            Scanner.__init__(self)
            Parser.__init__(self)
            Composer.__init__(self)

    _Parser = _PyParser
    _LIBYAML = False


class _NodeLoader(_Parser, yaml.resolver.BaseResolver):  # type: ignore[misc]
    """Composes nodes only; scalars are tagged text, null or merge key, cheaply."""

    def __init__(self, stream: str) -> None:
        _Parser.__init__(self, stream)
        yaml.resolver.BaseResolver.__init__(self)

    def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
        # For a scalar, implicit[0] is true when it was written plain (unquoted).
        if kind is yaml.ScalarNode and implicit[0]:
            if value in _NULLS:
                return _NULL
            if value == "<<":
                return _MERGE
        return _TEXT


def default_data_path() -> Path:
    """The embedded 2016 agreement: inside the package once installed, else ``data/``."""
    packaged = _PACKAGE_DIR / "data" / DEFAULT_DATA_NAME
    if packaged.is_file():
        return packaged
    return _PACKAGE_DIR.parent / "data" / DEFAULT_DATA_NAME


def load_agreement(path: Path | None = None) -> Agreement:
    """Read and validate a data file (the embedded one by default).

    Raises :class:`DataError` listing every problem found, each with its line.
    """
    path = default_data_path() if path is None else path
    return parse_agreement(read_text(path), str(path))


def read_text(path: Path) -> str:
    """The file's text, or a :class:`DataError` saying plainly why it cannot be read."""
    source = str(path)

    def fail(message: str) -> DataError:
        return DataError([Problem(source, 0, 0, "", message)])

    try:
        if path.is_dir():
            raise fail("is a folder, not a data file")
        with path.open("rb") as stream:
            # Read at most one byte over the limit: a device or a pipe that
            # never ends (/dev/zero) is refused rather than read forever.
            raw = stream.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        raise fail("no such file") from None
    except PermissionError:
        raise fail("permission denied: the file cannot be read") from None
    except OSError as exc:
        raise fail(f"cannot be read: {exc.strerror or exc}") from None
    if len(raw) > MAX_FILE_BYTES:
        raise fail(
            f"is larger than {MAX_FILE_BYTES:,} bytes, the limit for a data file; "
            "an agreement is a few kB"
        )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        start = raw.rfind(b"\n", 0, exc.start) + 1
        column = len(raw[start : exc.start].decode("utf-8", "replace")) + 1
        end = raw.find(b"\n", exc.start)
        shown = raw[start : end if end >= 0 else len(raw)].decode("utf-8", "replace")
        message = f"byte 0x{raw[exc.start]:02x} is not UTF-8; save the file as UTF-8"
        if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
            message = "the file is saved as UTF-16; save it as UTF-8"
        raise DataError(
            [Problem(source, line, column, "", message, _shown(shown, column))]
        ) from None


def parse_agreement(text: str, source: str = "<data>") -> Agreement:
    """Validate YAML ``text``; ``source`` names it in error messages.

    Raises :class:`DataError` and nothing else for any text whatsoever.
    """
    with _collector_paused():
        return _parse(text, source)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a file is loaded.

    Loading allocates hundreds of thousands of small objects (nodes, marks,
    dicts, models) and frees none of them until it ends, so the collector
    would run again and again to find nothing: it tripled the time to load a
    2,000-ambiti file. Reference counting still frees everything as usual.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _parse(text: str, source: str) -> Agreement:
    if not text.strip():
        raise DataError([Problem(source, 0, 0, "", "the file is empty")])
    agreement, problems = _validate(text, source)
    # Raised here, not in _validate: a traceback keeps its frames' locals alive,
    # and those hold the whole node tree of a file that may be huge.
    if agreement is None:
        raise DataError(problems)
    return agreement


def _validate(text: str, source: str) -> tuple[Agreement | None, list[Problem]]:
    """The agreement in ``text``, or None and every problem found in it."""
    lines = _Lines(text)
    root = _compose(text, source, lines)
    if root is None:
        return None, [Problem(source, 0, 0, "", "the file holds no data (only comments?)")]

    walk = _Walk(root)
    try:
        data = walk.node(root, (), 0, root)
    except _TooLarge as exc:
        line, column = _mark(exc.at)
        message = (
            f"the file holds more than {MAX_ENTRIES:,} entries (this is where it passes "
            "the limit); an agreement holds a few hundred"
        )
        return None, [Problem(source, line, column, "", message, lines.shown(line, column))]
    found = list(walk.problems)
    if not isinstance(data, dict):
        message = "the file must be a mapping that starts with documento: and ambiti:"
        if data is None:
            message = "the file holds no data; it must start with documento: and ambiti:"
        found.append(_Found(*_mark(root), (), message))
        return None, _report(found, source, lines)
    try:
        agreement = Agreement.model_validate(data)
    except ValidationError as exc:
        found.extend(_validation_problems(exc, walk))
        return None, _report(found, source, lines)
    found.extend(walk.found(loc, message) for loc, message in consistency_problems(agreement))
    if found:
        return None, _report(found, source, lines)
    return agreement, []


def _compose(text: str, source: str, lines: _Lines) -> yaml.Node | None:
    """The node tree of ``text``, or a :class:`DataError` for a YAML syntax error."""

    def fail(line: int, column: int, message: str) -> DataError:
        return DataError([Problem(source, line, column, "", message, lines.shown(line, column))])

    try:
        return yaml.compose(text, Loader=_NodeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        message = str(exc.problem or exc.context)
        if exc.problem and exc.context and exc.context_mark:
            # Where the parser gave up is not always the slip: name where the
            # unfinished construct (a quoted text, a flow mapping) began.
            began = exc.context_mark.line + 1
            message += f" ({exc.context} that starts at line {began})"
        if mark is None:
            raise fail(0, 0, f"YAML syntax: {message}") from None
        line, column = mark.line + 1, mark.column + 1
        if lines.character(line, column) == "\t":
            message = "a tab cannot indent YAML; use spaces"
        raise fail(line, column, f"YAML syntax: {message}") from None
    except yaml.reader.ReaderError as exc:
        # libyaml counts the position in UTF-8 bytes, the pure-Python reader in characters.
        position = exc.position
        if _LIBYAML:
            encoded = text.encode("utf-8", "surrogatepass")[:position]
            position = len(encoded.decode("utf-8", "replace"))
        line, column = _line_column(text, position)
        code = exc.character if isinstance(exc.character, int) else ord(exc.character[:1] or "?")
        message = f"character U+{code:04X} is not allowed in a YAML file ({exc.reason})"
        raise fail(line, column, message) from None
    except UnicodeEncodeError as exc:  # a lone surrogate in text that never was UTF-8
        line, column = _line_column(text, exc.start)
        raise fail(line, column, "text that cannot be written as UTF-8") from None
    except RecursionError:  # only the pure-Python parser recurses per level
        raise fail(0, 0, f"nested more than {MAX_DEPTH} levels deep") from None
    except yaml.YAMLError as exc:
        raise fail(0, 0, f"YAML syntax: {exc}") from None


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
        return None if text is None else _shown(text, column)


def _shown(text: str, column: int) -> str | None:
    """A source line made safe to print, cut if long; None if the caret would fall off it."""
    if column > _MAX_SHOWN:
        return None
    if len(text) > _MAX_SHOWN:
        text = text[:_MAX_SHOWN] + "…"
    # One character per column, so the caret lines up: a tab becomes a space,
    # and control characters (which would drive the terminal) a replacement mark.
    text = text.translate(_SHOWN_AS)
    return text.encode("utf-8", "replace").decode("utf-8")


_SHOWN_AS = dict.fromkeys((*range(0x20), *range(0x7F, 0xA0)), "\ufffd") | {0x09: " "}


class _Found(NamedTuple):
    """A problem before it is formatted: where, which field, what.

    A validation error is worded only if it is shown: a broken file can have
    hundreds of thousands of them, and only the first few are.
    """

    line: int
    column: int
    loc: Location
    message: str = ""
    error: Any = None  # a Pydantic error, worded by _message() when shown

    def text(self) -> str:
        return self.message if self.error is None else _message(self.error, self.loc)


class _TooLarge(Exception):
    """The walk met more than MAX_ENTRIES entries; ``at`` is where."""

    def __init__(self, at: yaml.Node) -> None:
        super().__init__()
        self.at = at


def _mark(node: yaml.Node) -> tuple[int, int]:
    mark = node.start_mark
    return mark.line + 1, mark.column + 1


class _Walk:
    """Turns composed YAML nodes into plain data, noting positions and problems.

    ``positions`` maps each field path to two nodes: the one that says where
    the field is written (its key, or the list item) and the value itself.
    Marks are read from them only when a message needs a line.
    """

    def __init__(self, root: yaml.Node) -> None:
        self.positions: dict[Location, tuple[yaml.Node, yaml.Node]] = {(): (root, root)}
        self.problems: list[_Found] = []
        #: Paths already reported (alias, tag, nesting): validation errors there are noise.
        self.refused: set[Location] = set()
        self._seen: set[int] = set()
        self._aliases_said: set[tuple[int, int]] = set()
        self._entries_left = MAX_ENTRIES

    def position(self, loc: Location, *, key: bool) -> tuple[int, int]:
        """Line and column for a problem at ``loc``: at the value when it is a
        scalar found exactly there (unless ``key``), else at its key or the
        nearest enclosing field."""
        exact = self.positions.get(loc)
        if exact is not None:
            at, value = exact
            if not key and isinstance(value, yaml.ScalarNode):
                return _mark(value)
            return _mark(at)
        for end in range(len(loc) - 1, -1, -1):
            enclosing = self.positions.get(loc[:end])
            if enclosing is not None:
                return _mark(enclosing[0])
        return (1, 1)

    def found(self, loc: Location, message: str = "", error: Any = None) -> _Found:
        """A problem at field path ``loc``: at its value or, for an unknown key
        or a path ending in ``"[key]"`` (as Pydantic ends one for a mapping's
        key), at the key."""
        key = error is not None and error["type"] == "extra_forbidden"
        if loc and loc[-1] == "[key]" and loc not in self.positions:  # not a key named so
            loc, key = loc[:-1], True
        return _Found(*self.position(loc, key=key), loc, message, error)

    def _refuse(self, at: yaml.Node, path: Location, message: str) -> None:
        self.problems.append(_Found(*_mark(at), path, message))
        self.refused.add(path)

    def node(self, node: yaml.Node, path: Location, depth: int, at: yaml.Node) -> Any:
        """Plain data for ``node`` at ``path``; ``at`` is where it is written."""
        if id(node) in self._seen:
            # An alias: compose hands back the anchored node itself, whose marks
            # are the anchor's, so point at where the alias is used instead, and
            # say it once for a list that repeats it (an alias bomb does, a lot).
            self.positions[path] = (at, at)
            if (id(at), id(node)) in self._aliases_said:
                self.refused.add(path)
                return None
            self._aliases_said.add((id(at), id(node)))
            self._refuse(
                at,
                path,
                "aliases (*name) are not allowed: this one repeats the value anchored at "
                f"line {node.start_mark.line + 1}; write the value out",
            )
            return None
        self._seen.add(id(node))
        tag = node.tag
        if isinstance(node, yaml.ScalarNode):
            if tag == _TEXT:
                return node.value
            if tag == _NULL:
                return None
            if tag != _STR and tag != _MERGE:  # "<<" is a merge only as a key
                self._refuse(node, path, _tag_message(tag))
            return node.value
        if tag != _TEXT:
            self._refuse(node, path, _tag_message(tag))
        if depth >= MAX_DEPTH:
            self._refuse(node, path, f"nested more than {MAX_DEPTH} levels deep")
            return None
        self._entries_left -= len(node.value)
        if self._entries_left < 0:
            raise _TooLarge(node)
        positions = self.positions
        if isinstance(node, yaml.SequenceNode):
            items = []
            for index, item in enumerate(node.value):
                child = (*path, index)
                positions[child] = (item, item)
                items.append(self.node(item, child, depth + 1, at))
            return items
        mapping: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                line = key_node.start_mark.line + 1
                self._refuse(
                    key_node,
                    (*path, f"<key at line {line}>"),
                    "a key must be plain text, not a list or a mapping",
                )
                continue
            key = key_node.value
            child = (*path, key)
            if id(key_node) in self._seen:  # an alias as a key (*name: value); its marks
                positions[child] = (at, at)  # are the anchor's, so point at the mapping
                self._refuse(at, child, "aliases (*name) are not allowed; write the key out")
                continue
            self._seen.add(id(key_node))
            if key in mapping or child in self.refused:
                first = positions[child][0].start_mark.line + 1
                message = (
                    f"duplicate key {key!r} (first given at line {first}); "
                    "YAML would silently keep only the last one"
                )
                self.problems.append(_Found(*_mark(key_node), child, message))
                continue
            positions[child] = (key_node, value_node)
            if key_node.tag == _MERGE:
                self._refuse(key_node, child, "merge keys (<<) are not allowed; write the keys out")
                continue
            if key_node.tag not in (_TEXT, _NULL, _STR):
                self._refuse(key_node, child, _tag_message(key_node.tag))
            mapping[key] = self.node(value_node, child, depth + 1, key_node)
        return mapping


def _tag_message(tag: str) -> str:
    written = "!!" + tag.removeprefix("tag:yaml.org,2002:") if tag.startswith("tag:") else tag
    return f"YAML tags such as {written} are not used in this format; remove it"


def _validation_problems(exc: ValidationError, walk: _Walk) -> Iterator[_Found]:
    refused = walk.refused
    for error in exc.errors(include_url=False):
        loc = tuple(error["loc"])
        if refused and any(loc[:end] in refused for end in range(len(loc) + 1)):
            continue  # already reported as an alias, a tag or a nesting problem
        yield walk.found(loc, error=error)


def _report(found: list[_Found], source: str, lines: _Lines) -> list[Problem]:
    """Problems in line order, at most :data:`MAX_PROBLEMS` of them and a note
    saying how many more there are."""
    found.sort(key=lambda item: (item.line, item.column))
    problems = [
        Problem(
            source,
            item.line,
            item.column,
            _dotted(item.loc),
            item.text(),
            lines.shown(item.line, item.column),
        )
        for item in found[:MAX_PROBLEMS]
    ]
    if len(found) > MAX_PROBLEMS:
        more = len(found) - MAX_PROBLEMS
        message = (
            f"{more:,} more problem{'s' if more > 1 else ''} after line {problems[-1].line} "
            f"not shown ({len(found):,} in all); fix these first"
        )
        problems.append(Problem(source, 0, 0, "", message, omitted=more))
    return problems


def _dotted(loc: Location) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


_PLAIN_MESSAGES = {
    "dict_type": "expected a mapping (indented key: value lines)",
    "model_type": "expected a mapping (indented key: value lines)",
    "list_type": "expected a list (lines starting with '- ')",
    "string_type": "expected text",
    "too_short": "must not be empty",
    "string_too_short": "must not be empty",
}


def _message(error: Any, loc: Location) -> str:
    kind = error["type"]
    context = error.get("ctx") or {}
    if kind == "missing":
        return f"missing; add `{loc[-1]}:`" if loc else "missing"
    if kind == "extra_forbidden":
        return _unknown_key(loc)
    if kind in _PLAIN_MESSAGES:
        message = _PLAIN_MESSAGES[kind]
        if error.get("input") is None and kind.endswith("_type"):
            message = f"is empty; {message}"
        return message
    if kind == "string_too_long":
        return f"is longer than {context.get('max_length')} characters; shorten it"
    if kind == "greater_than_equal":
        return f"must be at least {context.get('ge')}"
    if kind == "less_than_equal":
        return f"must be at most {context.get('le')}"
    return str(error["msg"]).removeprefix("Value error, ")


def _unknown_key(loc: Location) -> str:
    if not loc:
        return "unknown key"
    model = _model_at(loc[:-1])
    known = list(model.model_fields) if model else []
    key = str(loc[-1])
    close = difflib.get_close_matches(key, known, n=1)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    if known and not close:
        hint = f"; expected one of: {', '.join(known)}"
    return f"unknown key {key!r}{hint}"


def _model_at(loc: Location) -> type[BaseModel] | None:
    """The model class that validates the mapping at ``loc``, for key suggestions."""
    current: Any = Agreement
    for part in loc:
        current = _unwrap(current)
        if isinstance(current, type) and issubclass(current, BaseModel):
            field = current.model_fields.get(str(part))
            if field is None:
                return None
            current = field.annotation
        elif get_origin(current) in (list, dict):
            current = get_args(current)[-1]
        else:
            return None
    current = _unwrap(current)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _unwrap(annotation: Any) -> Any:
    """Strip ``Annotated``/``Optional`` so only the container or model is left."""
    while True:
        args = get_args(annotation)
        origin = get_origin(annotation)
        if origin is None or not args:
            return annotation
        if origin in (Union, type(int | None)):
            annotation = next(arg for arg in args if arg is not type(None))
        elif hasattr(annotation, "__metadata__"):
            annotation = args[0]
        else:
            return annotation
