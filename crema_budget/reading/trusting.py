"""The trusting walk: the common, well-formed file read at the speed of libyaml's events.

It gives the same plain data as the careful walk (:mod:`crema_budget.reading.walk`) for a
file in the plain subset of YAML the formats are written in (plain, quoted and block
scalars; mappings and lists, in blocks or in flow) whose keys the format knows, and it
gives up, with ``None``, on anything else: a syntax error, an anchor, an alias, a tag, a
merge key, a duplicate key, a key that is not plain text, an unknown key, a list or a
mapping where the format wants something else, a list longer than the format allows, too
many entries or levels, a second document. The loader then reads the file again with the
careful walk, which says what is wrong, where, in its own words: no message and no bound
depends on this module.

It keeps no path, no positions, no anchors and no problems, and it checks each event
with one comparison of its class, which is what makes it faster than the careful walk.

It reads the file's bytes as they are (libyaml decodes them itself), so no text of the
file is held beside them; and the items of one list at the top of the file (an
agreement's ambiti) can be validated into their models one by one as they are read, so
that the plain data of only one item is alive at a time, never that of the whole file.
"""

from __future__ import annotations

from collections.abc import Callable
from sys import intern
from typing import Any

import yaml
from pydantic import ValidationError

from crema_budget.reading import walk
from crema_budget.reading.shape import Shape
from crema_budget.reading.walk import _NULLS, _Parser


class _Unsure(Exception):
    """The file strays from the plain subset: only the careful walk may read it."""


_Scalar = yaml.ScalarEvent
_MappingStart = yaml.MappingStartEvent
_SequenceStart = yaml.SequenceStartEvent
_MappingEnd = yaml.MappingEndEvent
_SequenceEnd = yaml.SequenceEndEvent


def plain_data(
    text: str | bytes, shape: Shape, one_by_one: str | None = None
) -> dict[str, Any] | None:
    """The file's data exactly as the careful walk would give it for a file with no
    problem, or ``None`` when the file strays from the plain subset (then nothing is
    known about it, not even that it is wrong).

    ``text`` may be the file's UTF-8 bytes, which the caller has found to decode.
    With ``one_by_one``, the name of a list of models at the top of the file, each
    item of that list is given already validated (an instance of its model), and an
    item that is not valid gives ``None`` like any other surprise."""
    parser: Any = None
    try:
        parser = _Parser(text)
        return _Reader(parser.get_event, one_by_one).document(shape)
    except (_Unsure, yaml.YAMLError, UnicodeEncodeError, RecursionError):
        return None
    finally:
        if parser is not None and hasattr(parser, "dispose"):
            parser.dispose()


class _Reader:
    def __init__(self, get: Callable[[], Any], one_by_one: str | None = None) -> None:
        self.get = get
        self.one_by_one = one_by_one
        # The careful walk's bounds, read at each run (a test may lower them).
        self.entries_left = walk.MAX_ENTRIES
        self.max_depth = walk.MAX_DEPTH

    def document(self, shape: Shape) -> dict[str, Any]:
        get = self.get
        get()  # StreamStart
        if not isinstance(get(), yaml.DocumentStartEvent):
            raise _Unsure
        root = get()
        if root.__class__ is not _MappingStart or root.anchor is not None or root.tag:
            raise _Unsure
        data = self.mapping(shape, 0, self.one_by_one)
        get()  # DocumentEnd
        if not isinstance(get(), yaml.StreamEndEvent):
            raise _Unsure
        return data

    def value(self, event: Any, shape: Shape, depth: int) -> Any:
        kind = event.__class__
        if event.anchor is not None or event.tag is not None:
            raise _Unsure
        if kind is _Scalar:
            if event.implicit[0] and event.value in _NULLS:
                return None
            if shape.kind != "scalar":
                raise _Unsure
            return event.value
        if depth >= self.max_depth:
            raise _Unsure
        if kind is _MappingStart and (shape.kind == "model" or shape.kind == "dict"):
            return self.mapping(shape, depth + 1)
        if kind is _SequenceStart and shape.kind == "list":
            return self.sequence(shape, depth + 1)
        raise _Unsure  # an alias, or a container where the format wants something else

    def mapping(self, shape: Shape, depth: int, one_by_one: str | None = None) -> dict[str, Any]:
        get = self.get
        value = self.value
        fields = shape.fields
        item = shape.item
        limit = shape.max_items
        result: dict[str, Any] = {}
        while True:
            key = get()
            if key.__class__ is not _Scalar:
                if key.__class__ is _MappingEnd:
                    break
                raise _Unsure  # a key that is a list, a mapping or an alias
            if key.anchor is not None or key.tag is not None:
                raise _Unsure
            name = intern(key.value)  # one object for each key name, however often written
            if name in result or (name == "<<" and key.implicit[0]):
                raise _Unsure
            child = item if fields is None else fields.get(name)
            if child is None:
                raise _Unsure  # a key the format does not know
            if fields is None and limit is not None and len(result) >= limit:
                raise _Unsure
            self.entries_left -= 1
            if self.entries_left < 0:
                raise _Unsure
            event = get()
            if event.__class__ is _Scalar and child.kind == "scalar":
                # The common case, inline: a plain value where the format wants one.
                if event.anchor is not None or event.tag is not None:
                    raise _Unsure
                text = event.value
                result[name] = None if text in _NULLS and event.implicit[0] else text
            elif name == one_by_one:
                result[name] = self.models(event, child, depth)
            else:
                result[name] = value(event, child, depth)
        return result

    def models(self, event: Any, shape: Shape, depth: int) -> Any:
        """A list of models, each item validated as soon as it is read: its plain data
        goes at once, and only the model stays."""
        model = shape.item.model if shape.item is not None else None
        if (
            event.__class__ is not _SequenceStart
            or model is None
            or event.anchor is not None
            or event.tag is not None
            or depth >= self.max_depth
        ):
            return self.value(event, shape, depth)  # null, or a surprise to give up on
        return self.sequence(shape, depth + 1, model.model_validate)

    def sequence(
        self, shape: Shape, depth: int, validate: Callable[[Any], Any] | None = None
    ) -> list[Any]:
        get = self.get
        value = self.value
        item = shape.item
        assert item is not None
        result: list[Any] = []
        append = result.append
        limit = shape.max_items
        while True:
            event = get()
            if event.__class__ is _SequenceEnd:
                break
            if limit is not None and len(result) >= limit:
                raise _Unsure
            self.entries_left -= 1
            if self.entries_left < 0:
                raise _Unsure
            if validate is None:
                append(value(event, item, depth))
                continue
            try:
                append(validate(value(event, item, depth)))
            except ValidationError:
                raise _Unsure from None
        return result
