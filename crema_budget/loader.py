"""Loading a data file: YAML text → validated :class:`~crema_budget.model.Agreement`.

libyaml (PyYAML's C parser) builds the node tree, which keeps every node's line
and column. One walk over that tree turns it into plain data and, on the way,
records where each field sits, refuses what YAML would silently get wrong
(duplicate keys, aliases, tags) and leaves every scalar as its text: the
models' strict parsers decide what a figure is, not YAML 1.1's guesses
(``012`` octal, ``yes`` boolean, ``1.10`` float). Validation errors are then
mapped back to the recorded positions, and every problem of the file is
reported together.
"""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Any, Union, get_args, get_origin

import yaml
from pydantic import BaseModel, ValidationError

from crema_budget.errors import DataError, Problem
from crema_budget.model import Agreement, Location, consistency_problems

#: Larger files are refused before parsing; a region's decade of agreements is ~20 MB.
MAX_FILE_BYTES = 64 * 1024 * 1024
#: The format nests six levels; anything far deeper is not an agreement.
MAX_DEPTH = 32

DEFAULT_DATA_NAME = "ambiti_2016.yaml"

_PACKAGE_DIR = Path(__file__).resolve().parent
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})

_Parser: Any = getattr(yaml, "CParser", None)
if _Parser is None:  # pragma: no cover - PyYAML built without libyaml
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

_PLAIN = "!crema-plain"


class _NodeLoader(_Parser, yaml.resolver.BaseResolver):  # type: ignore[misc]
    """Composes nodes only; every implicit tag resolves to one marker, cheaply."""

    def __init__(self, stream: str) -> None:
        _Parser.__init__(self, stream)
        yaml.resolver.BaseResolver.__init__(self)

    def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
        return _PLAIN


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
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise fail(f"is {size:,} bytes; the limit is {MAX_FILE_BYTES:,}")
        raw = path.read_bytes()
    except FileNotFoundError:
        raise fail("no such file") from None
    except PermissionError:
        raise fail("permission denied: the file cannot be read") from None
    except OSError as exc:
        raise fail(f"cannot be read: {exc.strerror or exc}") from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise DataError(
            [Problem(source, line, column, "",
                     f"byte 0x{raw[exc.start]:02x} is not UTF-8; save the file as UTF-8")]
        ) from None


def parse_agreement(text: str, source: str = "<data>") -> Agreement:
    """Validate YAML ``text``; ``source`` names it in error messages."""
    if not text.strip():
        raise DataError([Problem(source, 0, 0, "", "the file is empty")])
    lines = _Lines(text)
    try:
        root = yaml.compose(text, Loader=_NodeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        message = " ".join(str(part) for part in (exc.context, exc.problem) if part)
        line = mark.line + 1 if mark else 0
        column = mark.column + 1 if mark else 0
        raise DataError(
            [Problem(source, line, column, "", f"YAML syntax: {message}", lines.get(line))]
        ) from None
    except yaml.YAMLError as exc:
        raise DataError([Problem(source, 0, 0, "", f"YAML syntax: {exc}")]) from None
    if root is None:
        raise DataError([Problem(source, 0, 0, "", "the file holds no data (only comments?)")])

    walk = _Walk()
    data = walk.node(root, (), 0)
    problems = [
        _problem(source, lines, walk.positions, loc, message) for loc, message in walk.problems
    ]
    if not isinstance(data, dict):
        problems.append(_problem(source, lines, walk.positions, (),
                                 "the file must be a mapping with documento: and ambiti: at the top"))
        raise DataError(problems)
    try:
        agreement = Agreement.model_validate(data)
    except ValidationError as exc:
        for error in exc.errors(include_url=False, include_input=False):
            loc = tuple(error["loc"])
            if any(loc[: len(bad)] == bad for bad in walk.refused):
                continue  # already reported as an alias or a nesting problem
            problems.append(
                _problem(source, lines, walk.positions, loc, _message(error, loc), error["type"])
            )
        raise DataError(_sorted(problems)) from None
    problems.extend(
        _problem(source, lines, walk.positions, loc, message)
        for loc, message in consistency_problems(agreement)
    )
    if problems:
        raise DataError(_sorted(problems))
    return agreement


class _Lines:
    """The source lines, split only if an error needs one shown."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._lines: list[str] | None = None

    def get(self, line: int) -> str | None:
        if self._lines is None:
            self._lines = self._text.splitlines()
        if 1 <= line <= len(self._lines):
            return self._lines[line - 1][:200]
        return None


class _Walk:
    """Turns composed YAML nodes into plain data, noting positions and problems."""

    def __init__(self) -> None:
        self.positions: dict[Location, tuple[int, int]] = {(): (1, 1)}
        self.problems: list[tuple[Location, str]] = []
        self.refused: list[Location] = []
        self._seen: set[int] = set()

    def node(self, node: yaml.Node, path: Location, depth: int) -> Any:
        if id(node) in self._seen:
            line = node.start_mark.line + 1
            self.problems.append((path, f"aliases (*name) are not allowed; this one repeats the "
                                        f"value anchored at line {line}: write it out"))
            self.refused.append(path)
            return None
        self._seen.add(id(node))
        if node.tag != _PLAIN and node.tag != "tag:yaml.org,2002:str":
            self.problems.append((path, f"YAML tags such as {node.tag} are not used in this "
                                        "format; remove it"))
        if isinstance(node, yaml.ScalarNode):
            value: str = node.value
            if node.style is None and value in _NULLS:
                return None
            return value
        if depth >= MAX_DEPTH:
            self.problems.append((path, f"nested more than {MAX_DEPTH} levels deep"))
            self.refused.append(path)
            return None
        if isinstance(node, yaml.SequenceNode):
            items = []
            for index, item in enumerate(node.value):
                child = (*path, index)
                self.positions[child] = (item.start_mark.line + 1, item.start_mark.column + 1)
                items.append(self.node(item, child, depth + 1))
            return items
        mapping: dict[str, Any] = {}
        first_line: dict[str, int] = {}
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + 1
            if not isinstance(key_node, yaml.ScalarNode):
                self.problems.append(((*path, f"<key at line {line}>"),
                                      "a key must be plain text"))
                self.positions[(*path, f"<key at line {line}>")] = (
                    line, key_node.start_mark.column + 1)
                continue
            key = key_node.value
            child = (*path, key)
            if key == "<<" and key_node.style is None:
                self.positions[child] = (line, key_node.start_mark.column + 1)
                self.problems.append((child, "merge keys (<<) are not allowed; write the keys out"))
                continue
            if key in mapping:
                self.problems.append((("\0dup", line, key_node.start_mark.column + 1, *child),
                                      f"duplicate key {key!r} (first given at line "
                                      f"{first_line[key]}); YAML would keep only the last one"))
                continue
            first_line[key] = line
            self.positions[child] = (line, key_node.start_mark.column + 1)
            mapping[key] = self.node(value_node, child, depth + 1)
        return mapping


def _problem(
    source: str,
    lines: _Lines,
    positions: dict[Location, tuple[int, int]],
    loc: Location,
    message: str,
    kind: str = "",
) -> Problem:
    if loc and loc[0] == "\0dup":  # a duplicate key carries its own position
        line, column = int(loc[1]), int(loc[2])
        loc = loc[3:]
    else:
        line, column = _position(positions, loc)
    return Problem(source, line, column, _dotted(loc), message, lines.get(line))


def _position(positions: dict[Location, tuple[int, int]], loc: Location) -> tuple[int, int]:
    for end in range(len(loc), -1, -1):
        found = positions.get(loc[:end])
        if found is not None:
            return found
    return (1, 1)


def _dotted(loc: Location) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def _sorted(problems: list[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda problem: (problem.line, problem.column))


_PLAIN_MESSAGES = {
    "dict_type": "expected a mapping (indented key: value lines)",
    "model_type": "expected a mapping (indented key: value lines)",
    "list_type": "expected a list (lines starting with '- ')",
    "string_type": "expected text",
    "too_short": "must not be empty",
}


def _message(error: Any, loc: Location) -> str:
    kind = error["type"]
    if kind == "missing":
        return f"missing; add `{loc[-1]}:`" if loc else "missing"
    if kind == "extra_forbidden":
        return _unknown_key(loc)
    if kind in _PLAIN_MESSAGES and not (kind == "too_short" and "string" in error["msg"]):
        return _PLAIN_MESSAGES[kind]
    message = str(error["msg"])
    return message.removeprefix("Value error, ")


def _unknown_key(loc: Location) -> str:
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
