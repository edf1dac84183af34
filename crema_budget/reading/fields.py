"""The field types both data formats share (the agreement's and the register's), as
annotated Pydantic types: amounts, rates, whole numbers, months, codes, yes or no, dates,
labels; the base of every record of a format; a field's path as messages write it.

Figures are read from their YAML text by the strict parsers in
:mod:`crema_budget.money`: the loader hands every scalar over as text, so a YAML float
never stands between the file and the ``Decimal``.
"""

# No `from __future__ import annotations` here: Pydantic reads these annotations
# when the classes are built; real objects spare an eval() per field at every start-up.

import contextlib
import functools
import os
import re
import sys
import types
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Annotated, Any, TypeVar

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PlainValidator,
    WithJsonSchema,
)
from pydantic_core import PydanticCustomError

from crema_budget.i18n import N_, _, without_accents
from crema_budget.money import (
    MAX_INTEGER_DIGITS,
    MAX_RATE_DECIMALS,
    MAX_WHOLE_DIGITS,
    ValueProblem,
    parse_amount,
    parse_rate,
    parse_whole,
)

# On its first model Pydantic looks through every installed package for plugins
# (observability hooks): 3 to 4 ms of a first run, for hooks with nothing to watch in
# a command-line run. Someone who sets the variable keeps their own choice.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")


def _skip_the_plugin_loader() -> None:
    """With plugins disabled, Pydantic's loader returns none, but importing it imports
    ``importlib.metadata`` (and with it csv, email, zipfile, socket): 5 to 10 ms of a
    first run. In its place goes a module that returns none without them. Whoever
    enables plugins (the variable set to anything else) gets Pydantic's own loader."""
    if os.environ["PYDANTIC_DISABLE_PLUGINS"] not in ("__all__", "1", "true"):
        return
    name = "pydantic.plugin._loader"
    if name not in sys.modules:
        loader = types.ModuleType(name, "Pydantic's plugin loader, with plugins disabled.")
        loader.get_plugins = tuple  # type: ignore[attr-defined]  # () : no plugin
        sys.modules[name] = loader


_skip_the_plugin_loader()

T = TypeVar("T")


def strict(parse: Callable[[str], T], kind: str) -> Callable[[object], T]:
    """A validator that reads text with ``parse`` and accepts exact numbers only.

    ``kind`` names what is expected (marked with ``N_``, translated when shown).
    """

    def validate(value: object) -> T:
        if value.__class__ is str:  # what the loader hands over: first, and quickly
            try:
                return parse(value)
            except ValueProblem as problem:
                raise PydanticCustomError("figure", str(problem)) from None
        if isinstance(value, bool):
            raise PydanticCustomError(
                "figure",
                _("{value} is a yes/no value, not {kind}").format(value=repr(value), kind=_(kind)),
            )
        if isinstance(value, float):
            raise PydanticCustomError(
                "figure",
                _("floating-point numbers are not exact; give the figure as text or Decimal"),
            )
        if isinstance(value, int | Decimal):
            value = str(value)
        if not isinstance(value, str):
            raise PydanticCustomError(
                "figure",
                _("expected {kind}, not {what}").format(kind=_(kind), what=_describe(value)),
            )
        try:
            return parse(value)
        except ValueProblem as problem:
            raise PydanticCustomError("figure", str(problem)) from None

    return validate


def _describe(value: object) -> str:
    if value is None:
        return _("a blank value")
    if isinstance(value, dict):
        return _("a mapping (key: value lines)")
    if isinstance(value, list):
        return _("a list")
    return type(value).__name__


_AMOUNT_PATTERN = rf"^(0|[1-9][0-9]{{0,{MAX_INTEGER_DIGITS - 1}}})(\.[0-9]{{1,2}})?$"

_AMOUNT_SCHEMA: dict[str, Any] = {
    "description": "Euros, a dot before the cents, no thousands separator: 26736.87",
    "anyOf": [
        {"type": "number", "minimum": 0, "multipleOf": 0.01},
        {"type": "string", "pattern": _AMOUNT_PATTERN},
    ],
}

_RATE_SCHEMA: dict[str, Any] = {
    "description": "A percentage from 0 to 100: 4, 22, 7.5",
    "anyOf": [
        {"type": "number", "minimum": 0, "maximum": 100},
        {
            "type": "string",
            "pattern": rf"^(0|[1-9][0-9]{{0,2}})(\.[0-9]{{1,{MAX_RATE_DECIMALS}}})?$",
        },
    ],
}

_WHOLE_SCHEMA: dict[str, Any] = {
    "anyOf": [
        {"type": "integer", "minimum": 0},
        {"type": "string", "pattern": rf"^(0|[1-9][0-9]{{0,{MAX_WHOLE_DIGITS - 1}}})$"},
    ],
}

Amount = Annotated[
    Decimal,
    PlainValidator(strict(parse_amount, N_("an amount"))),
    WithJsonSchema(_AMOUNT_SCHEMA),
]

#: A file writes a handful of rates thousands of times: each is read once and its
#: Decimal (immutable) shared by every line that writes it.
_shared_rate = functools.lru_cache(maxsize=256)(parse_rate)

Rate = Annotated[
    Decimal,
    PlainValidator(strict(_shared_rate, N_("a percentage"))),
    WithJsonSchema(_RATE_SCHEMA),
]

Whole = Annotated[
    int,
    PlainValidator(strict(parse_whole, N_("a whole number"))),
    WithJsonSchema(_WHOLE_SCHEMA),
]

Label = Annotated[str, Field(min_length=1, max_length=300)]


def _month(text: str) -> int:
    month = parse_whole(text)
    if not 1 <= month <= 12:
        raise ValueProblem(_("a year has 12 months: write 1 to 12 (got {n})").format(n=month))
    return month


Months = Annotated[
    int,
    PlainValidator(strict(_month, N_("a number of months"))),
    WithJsonSchema({"type": "integer", "minimum": 1, "maximum": 12}),
]

Month = Annotated[
    int,
    PlainValidator(strict(_month, N_("a month (1 to 12)"))),
    WithJsonSchema({"type": "integer", "minimum": 1, "maximum": 12}),
]

#: A fee line's code: lower-case letters and digits, words joined by hyphens.
CODICE_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"

_CODICE = re.compile(CODICE_PATTERN)


def parse_codice(value: object) -> str:
    if not isinstance(value, str) or not value:
        raise PydanticCustomError("codice", _("expected a code such as nido or pre-post"))
    if len(value) > 40 or not _CODICE.match(value):
        suggestion = re.sub(r"[^a-z0-9]+", "-", without_accents(value)).strip("-")[:40]
        raise PydanticCustomError(
            "codice",
            _(
                "{value} is not a code: use lower-case letters and digits, words joined "
                "by hyphens (e.g. {suggestion})"
            ).format(value=repr(value[:60]), suggestion=suggestion or "pre-post"),
        )
    return value


Codice = Annotated[
    str,
    PlainValidator(parse_codice),
    WithJsonSchema({"type": "string", "pattern": CODICE_PATTERN, "maxLength": 40}),
]


def _yes_no(value: object) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in {"true", "false"}:
        return value.strip().lower() == "true"
    raise PydanticCustomError("yes_no", _("write true or false"))


YesNo = Annotated[bool, PlainValidator(_yes_no), WithJsonSchema({"type": "boolean"})]

_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})", re.ASCII)

#: A date written the Italian way (30/06/2016, 30.6.2016), to say how to write it.
_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", re.ASCII)


def parse_day(value: object) -> date:
    """A date written ``2016-02-05``."""
    if isinstance(value, date):
        return value
    text = value if isinstance(value, str) else ""
    match = _DATE.fullmatch(text.strip())
    if match:
        try:
            return date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            message = _("{value} is not a day of the calendar: check the month and the day")
            raise PydanticCustomError("date", message.format(value=repr(value))) from None
    italian = _DAY_MONTH_YEAR.fullmatch(text.strip())
    if italian:
        day, month, year = (int(part) for part in italian.groups())
        iso = None
        with contextlib.suppress(ValueError):  # (a PydanticCustomError is a ValueError)
            iso = date(year, month, day).isoformat()
        if iso is not None:
            message = _("write {value} as {iso}: year, month and day, joined by hyphens")
            raise PydanticCustomError("date", message.format(value=repr(value), iso=iso))
    raise PydanticCustomError(
        "date", _("{value} is not a date; write it as 2016-02-05").format(value=repr(value))
    )


Day = Annotated[
    date,
    PlainValidator(parse_day),
    WithJsonSchema({"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}),
]


class Record(BaseModel):
    """Base of every part of the format: immutable, and unknown keys are errors."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    def model_post_init(self, context: Any, /) -> None:
        """Share the set of the fields a record was given with every record given the
        same ones.

        Pydantic keeps one set for each record (728 bytes for eight names, more than
        the record's values); a file of 10,000 ambiti has 220,000 records and a handful
        of different sets, so that a record's own set made a fifth of the peak memory
        of loading it. A record is immutable, and so is the shared set.
        """
        given = frozenset(self.__pydantic_fields_set__)
        shared = _GIVEN.get(given)
        if shared is None:
            if len(_GIVEN) >= _MAX_GIVEN:
                return  # a file made to have a different set in every record keeps its own
            shared = _GIVEN[given] = given
        object.__setattr__(self, "__pydantic_fields_set__", shared)


#: The sets of fields records were given, each kept once (:meth:`Record.model_post_init`).
_GIVEN: dict[frozenset[str], frozenset[str]] = {}
_MAX_GIVEN = 4096


Location = tuple[str | int, ...]


def dotted(loc: Location) -> str:
    """A field path as messages write it: ``ambiti[1].servizi[0].canone_mensile``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out
