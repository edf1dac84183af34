"""How a document is written: JSON text piece by piece, and its figures as exact strings
(amounts with two decimals, rates as written, ratios in plain notation, days in ISO form)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import date
from decimal import Decimal
from itertools import islice
from typing import Any

from crema_budget.money import CENT


def dumps(document: dict[str, Any]) -> str:
    """The document as UTF-8 JSON text, ending with a newline (see :func:`pieces`)."""
    return "".join(pieces(document))


#: Items of a list encoded and written together: few writes, little held at once.
_BATCH = 512


def pieces(document: dict[str, Any]) -> Iterator[str]:
    """The document as JSON text, piece by piece: one key per line, and each item of
    a list on a line of its own, compact. Lists may be generators: a document of
    300,000 checks is encoded (by orjson, else the standard library's C encoder)
    and written a batch of items at a time, never held whole in memory."""
    encode = item_encoder()
    yield "{"
    for index, (key, value) in enumerate(document.items()):
        yield ("," if index else "") + f"\n  {json.dumps(key, ensure_ascii=False)}: "
        if isinstance(value, list | Iterator):
            items = iter(value)
            batch = list(islice(items, _BATCH))
            if not batch:
                yield "[]"
                continue
            yield "[\n    " + encode(batch)
            while batch := list(islice(items, _BATCH)):
                yield ",\n    " + encode(batch)
            yield "\n  ]"
            continue
        yield json.dumps(value, ensure_ascii=False)
    yield "\n}\n"


def item_encoder() -> Callable[[list[Any]], str]:
    """A function that writes items as compact JSON, one a line (joined by
    ``",\n    "``): orjson's if installed (about ten times faster on a large
    document), else the standard library's, which writes the same text."""
    try:
        import orjson
    except ImportError:  # pragma: no cover - orjson is a dependency; tested by hiding it
        return _stdlib_items
    dumps = orjson.dumps

    def encode(items: list[Any]) -> str:
        return _SEPARATOR.join(map(dumps, items)).decode()

    return encode


_SEPARATOR = b",\n    "
_COMPACT = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def _stdlib_items(items: list[Any]) -> str:
    return ",\n    ".join(map(_COMPACT, items))


def listed(document: dict[str, Any]) -> dict[str, Any]:
    """``document`` with its generated lists made lists, to nest it in another."""
    return {
        key: list(value) if isinstance(value, Iterator) else value
        for key, value in document.items()
    }


def amount(value: Decimal | None) -> str | None:
    """``Decimal("5540")`` → ``"5540.00"``."""
    return None if value is None else str(value.quantize(CENT))


def rate(value: Decimal | None) -> str | None:
    """A VAT rate or percentage as written: ``4``, ``22``, ``7.5`` (never ``2E+1``)."""
    return None if value is None else format(value.normalize(), "f")


def exact(value: Decimal | None) -> str | None:
    """Every digit of a figure, in plain notation: a ratio of 0,00000000001 % is
    ``0.00000000001``, never ``1E-11``."""
    return None if value is None else format(value, "f")


def day(value: date | None) -> str | None:
    return None if value is None else value.isoformat()
