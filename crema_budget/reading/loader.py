"""Validating a data file: YAML text against a format's model and its cross-field rules,
into a valid model, or every problem with its line.

A valid file is read once, by the trusting walk (:mod:`crema_budget.reading.trusting`),
which keeps no positions, no node tree and no problems; given the file's bytes, it reads
them as they are, and no text of the whole file is made. When it gives up, or the data
it read is not valid, the careful walk (:mod:`crema_budget.reading.walk`) reads the
file from the start as if the first had never been: it finds every problem, and walks
the file a second time to note the line and column of just the fields that have one;
every problem is then reported together, in line order
(:mod:`crema_budget.reading.messages`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from crema_budget.errors import DataError, Problem
from crema_budget.i18n import _
from crema_budget.reading.collector import collector_paused
from crema_budget.reading.fields import Location
from crema_budget.reading.messages import Found, Lines, problems_in_order
from crema_budget.reading.shape import Shape, shape_of
from crema_budget.reading.source import binary_kind, decode
from crema_budget.reading.trusting import plain_data
from crema_budget.reading.walk import Walk

M = TypeVar("M", bound=BaseModel)


def problems_at(
    text: str, source: str, root: type[BaseModel], found: list[tuple[Location, str]]
) -> DataError:
    """Problems found after loading (by rules that need another file: a register's
    codes against the agreement), each at the line where its field is written."""
    lines = Lines(text)
    walk = Walk(text, source, lines, shape_of(root), wanted={loc for loc, _ in found})
    walk.run()
    located = [walk.found(loc, message) for loc, message in found]
    return DataError(problems_in_order(located, source, lines, more_after=None))


Consistency = Callable[[M], list[tuple[Location, str]]]


def validate_yaml(
    text: str | bytes,
    source: str,
    root: type[M],
    consistency: Consistency[M],
    one_by_one: str | None = None,
) -> M:
    """Validate YAML ``text`` against the model ``root`` and its cross-field rules.

    ``text`` may be the file's bytes: they are decoded
    (:func:`~crema_budget.reading.source.decode`) only when the trusting walk could not
    read them. ``one_by_one`` names a list at the top of the file whose items the
    trusting walk validates as it reads them
    (:func:`~crema_budget.reading.trusting.plain_data`): the plain data of a large file
    is then never alive whole.

    Raises :class:`DataError` with every problem (up to
    :data:`~crema_budget.reading.messages.MAX_PROBLEMS`).
    """
    with collector_paused():
        shape = shape_of(root)
        if isinstance(text, bytes):
            trusted = _trusted(text, shape, root, consistency, one_by_one) if _utf8(text) else None
            if trusted is not None:
                return trusted
            text = decode(text, source)  # raises DataError for what is not UTF-8 text
        elif text.strip():
            trusted = _trusted(text, shape, root, consistency, one_by_one)
            if trusted is not None:
                return trusted
        result, problems = _validate(text, source, root, consistency)
    # Raised here, not in _validate: a traceback keeps its frames' locals alive,
    # and those may hold the data of a file that is large.
    if result is None:
        raise DataError(problems)
    return result


def _utf8(raw: bytes) -> bool:
    """Whether libyaml may read ``raw`` itself: text in UTF-8 (a byte-order mark
    allowed), as :func:`~crema_budget.reading.source.decode` would accept it. UTF-16,
    which libyaml reads but this tool refuses, and any known binary file are not."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")) or binary_kind(raw) is not None:
        return False
    if raw.isascii():
        return True
    try:
        raw.decode("utf-8")  # only checked: the text is dropped at once
    except UnicodeDecodeError:
        return False
    return True


def _validate(
    text: str, source: str, root: type[M], consistency: Consistency[M]
) -> tuple[M | None, list[Problem]]:
    """The careful walk, for a file the trusting walk could not read or found wrong."""
    lines = Lines(text)
    if not text.strip():
        return None, [Problem(source, 0, 0, "", _("the file is empty"))]
    shape = shape_of(root)
    walk = Walk(text, source, lines, shape)
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


def _trusted(
    text: str | bytes,
    shape: Shape,
    root: type[M],
    consistency: Consistency[M],
    one_by_one: str | None,
) -> M | None:
    """The valid model of a file read by the trusting walk, or None if the walk gave
    up or anything is wrong: then the careful walk reads the file again from the
    start, and every problem is found, placed and worded by it alone."""
    data = plain_data(text, shape, one_by_one)
    if data is None:
        return None
    try:
        result = root.model_validate(data)
    except ValidationError:
        return None
    del data  # the model holds what it needs; the rules may take a while
    return None if consistency(result) else result


def _locate(
    text: str,
    source: str,
    lines: Lines,
    shape: Shape,
    first: Walk,
    found: list[tuple[Location, Any]],
    root: type[BaseModel],
) -> list[Problem]:
    """Walk the file again, noting where each problem's field is written."""
    wanted = {loc for loc, _ in found}
    for loc, _message in found:
        if loc and loc[-1] == "[key]":
            wanted.add(loc[:-1])
    second = Walk(text, source, lines, shape, wanted=wanted)
    second.run()
    located: list[Found] = list(first.problems)
    for loc, detail in found:
        if isinstance(detail, str):
            located.append(second.found(loc, detail))
        else:
            located.append(second.found(loc, error=detail, root=root))
    return problems_in_order(located, source, lines, more_after=None)
