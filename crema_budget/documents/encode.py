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
    if value is None:
        return None
    # str() writes plain notation for every figure but the very small or the very
    # large ones, and then says so with an exponent; it is five times faster than
    # format(), which a document of 350,000 checks calls a million times.
    text = str(value)
    return format(value, "f") if "E" in text else text


def day(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


# --- their JSON Schema: the shape of each kind of figure, and small builders -------------

Schema = dict[str, Any]


WHOLE = "(0|[1-9][0-9]*)"

#: Euros and cents, never negative: "1302537.59", "0.00".
AMOUNT: Schema = {
    "type": "string",
    "pattern": rf"^{WHOLE}\.[0-9]{{2}}$",
    "description": "euros, a dot and exactly two decimals",
}
#: A difference of amounts: "-42100.19".
SIGNED_AMOUNT: Schema = {
    "type": "string",
    "pattern": rf"^-?{WHOLE}\.[0-9]{{2}}$",
    "description": "euros, signed, a dot and exactly two decimals",
}
#: A VAT rate or a percentage as the document writes it: "4", "22", "7.5".
RATE: Schema = {
    "type": "string",
    "pattern": rf"^{WHOLE}(\.[0-9]*[1-9])?$",
    "description": "percent, as written: no trailing zeros, no exponent",
}
#: A percentage declared in a data file, with the decimals it was written with.
DECLARED_RATE: Schema = {
    "type": "string",
    "pattern": r"^(0|[1-9][0-9]{0,2})(\.[0-9]{1,4})?$",
    "description": "percent, with the decimals the file gives (at most four)",
}
#: An exact result of a division (a ratio in percent, a change in percent): all the
#: digits computed, in plain decimal notation.
EXACT: Schema = {
    "type": "string",
    "pattern": rf"^-?{WHOLE}(\.[0-9]+)?$",
    "description": "an exact decimal, signed, in plain notation (no exponent)",
}
#: A figure of a data file, whole without decimals, else with its own (amounts two,
#: rates up to four): "62280", "3568.85", "7.5".
PLAIN_FIGURE: Schema = {
    "type": "string",
    "pattern": rf"^{WHOLE}(\.[0-9]{{1,4}})?$",
    "description": "a figure of the data file: whole, or with its decimals",
}
COUNT: Schema = {"type": "integer", "minimum": 0}
POSITIVE: Schema = {"type": "integer", "minimum": 1}
TEXT: Schema = {"type": "string"}
BOOLEAN: Schema = {"type": "boolean"}
NULL: Schema = {"type": "null"}
DAY: Schema = {"type": "string", "format": "date", "pattern": r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"}
CODE: Schema = {"type": "string", "pattern": r"^[a-z0-9]+(-[a-z0-9]+)*$"}
SHA256: Schema = {"type": "string", "pattern": r"^[0-9a-f]{64}$"}
#: Where a figure is euros or a percentage: "EUR" or "%".
UNIT_EUR: Schema = {"const": "EUR"}
UNIT_PERCENT: Schema = {"const": "%"}


def obj(required: dict[str, Schema], optional: dict[str, Schema] | None = None) -> Schema:
    """An object with exactly these keys: ``required`` always, ``optional`` sometimes."""
    return {
        "type": "object",
        "properties": {**required, **(optional or {})},
        "required": list(required),
        "additionalProperties": False,
    }


def array(items: Schema) -> Schema:
    return {"type": "array", "items": items}


def nullable(schema: Schema) -> Schema:
    return {"anyOf": [schema, NULL]}


def one_of(*schemas: Schema) -> Schema:
    return {"oneOf": list(schemas)}


def enum(*values: object) -> Schema:
    return {"enum": list(values)}


def const(value: object) -> Schema:
    return {"const": value}
