"""An e-invoice's values as the FatturaPA schema writes them (amounts, rates, quantities,
line numbers, dates, codes, texts): each reader takes an element's text (None when the
element is absent) and gives the value, exactly as written (a :class:`~decimal.Decimal`, a
date), or None when the text is not written as FatturaPA writes it. They are the fast path;
for a value they refuse, :func:`value_problem` says what is wrong and what to write instead.
"""

import contextlib
import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

from crema_budget.i18n import _
from crema_budget.money import HUNDRED

# Longest value quoted back in a message.
_MAX_QUOTE = 40

_ESIGIBILITA = frozenset({"I", "D", "S"})

# XML Schema collapses these around numbers and dates (and only these).
_XML_SPACE = " \t\r\n"

# The schema's lexical forms (Amount2DecimalType, Amount8DecimalType, RateType, QuantitaType,
# NumeroLineaType, xs:date). re.ASCII: \d would accept other digits. An xs:date may carry a
# time zone (2014-12-18+01:00, 2014-12-18Z): the day is the one written, whatever the zone.
_AMOUNT2 = re.compile(r"-?[0-9]{1,11}\.[0-9]{2}", re.ASCII)
_AMOUNT8 = re.compile(r"-?[0-9]{1,11}\.[0-9]{2,8}", re.ASCII)
_RATE = re.compile(r"[0-9]{1,3}\.[0-9]{2}", re.ASCII)
_QUANTITY = re.compile(r"[0-9]{1,12}\.[0-9]{2,8}", re.ASCII)
_LINE_NUMBER = re.compile(r"[0-9]{1,4}", re.ASCII)
_DATE = re.compile(
    r"([0-9]{4}-[0-9]{2}-[0-9]{2})(?:Z|[+-](?:(?:0[0-9]|1[0-3]):[0-5][0-9]|14:00))?", re.ASCII
)


def as_words(text: str | None) -> str | None:
    """A Latin text (String1000LatinType, as Descrizione is): any text of at least one
    character, blanks included (the schema takes them), without surrounding spaces; None
    when the element is absent or empty."""
    if not text:
        return None
    return text.strip()


# The values already read, by their text as written, one table per kind of value. An
# invoice repeats its rates, quantities, line numbers and dates from line to line, and a
# year's invoices repeat the monthly fees: a value read once is not read again. Each table
# holds at most _REMEMBERED texts (then it is emptied and fills again), so a million
# distinct amounts cost no more memory than a thousand; Decimals and dates never change,
# so sharing them is safe.
_REMEMBERED = 4096


class _Values(dict[str | None, Any]):
    """The values of one kind already read, by their text as written (None, an absent
    element, has no value). Asked for a text it does not hold, it reads it with
    :meth:`read` and remembers it: a value read before costs one look-up and no call in
    Python, one read for the first time a single call."""

    def __init__(self) -> None:
        super().__init__({None: None})

    def read(self, text: str) -> object:
        raise NotImplementedError

    def __missing__(self, text: str) -> object:
        value = self.read(text)
        if len(self) >= _REMEMBERED:
            self.clear()
            self[None] = None
        self[text] = value
        return value


class _Numbers(_Values):
    """Numbers written as ``pattern`` wants (and only these), as Decimals."""

    def __init__(self, pattern: "re.Pattern[str]") -> None:
        super().__init__()
        self.fullmatch = pattern.fullmatch

    def __missing__(self, text: str) -> Decimal | None:
        # read() and _Values.__missing__ in one: a year's amounts are mostly new
        if self.fullmatch(text):  # as files write it: without spaces around
            value: Decimal | None = Decimal(text)
        else:
            stripped = text.strip(_XML_SPACE)
            value = Decimal(stripped) if self.fullmatch(stripped) else None
        if len(self) >= _REMEMBERED:
            self.clear()
            self[None] = None
        self[text] = value
        return value


class _Rates(_Values):
    def read(self, text: str) -> Decimal | None:
        stripped = text.strip(_XML_SPACE)
        rate = Decimal(stripped) if _RATE.fullmatch(stripped) else None
        return None if rate is not None and rate > HUNDRED else rate


class _Days(_Values):
    def read(self, text: str) -> date | None:
        match = _DATE.fullmatch(text.strip(_XML_SPACE))
        if match is not None:
            with contextlib.suppress(ValueError):  # 2016-02-30
                return date.fromisoformat(match[1])
        return None


class _LineNumbers(_Values):
    def read(self, text: str) -> int | None:
        stripped = text.strip(_XML_SPACE)
        if _LINE_NUMBER.fullmatch(stripped) and stripped.strip("0"):
            return int(stripped)
        return None


_AMOUNTS2 = _Numbers(_AMOUNT2)
_AMOUNTS8 = _Numbers(_AMOUNT8)
_QUANTITIES = _Numbers(_QUANTITY)
_RATES = _Rates()
_DAYS = _Days()
_LINE_NUMBERS = _LineNumbers()

# Each reader takes an element's text, or None for an absent element.

#: An Amount2DecimalType: ``-1234.50``.
as_amount2: Callable[[str | None], Decimal | None] = _AMOUNTS2.__getitem__
#: An Amount8DecimalType: ``-1234.50`` to ``-1234.12345678``.
as_amount8: Callable[[str | None], Decimal | None] = _AMOUNTS8.__getitem__
#: A QuantitaType: ``1.00`` to ``1.12345678``.
as_quantity: Callable[[str | None], Decimal | None] = _QUANTITIES.__getitem__
#: A RateType: a percentage from ``0.00`` to ``100.00``.
as_rate: Callable[[str | None], Decimal | None] = _RATES.__getitem__
#: An xs:date: ``2016-03-31``, or with a time zone, ``2016-03-31+01:00``.
as_day: Callable[[str | None], date | None] = _DAYS.__getitem__
#: A NumeroLineaType: 1 to 9999.
as_line_number: Callable[[str | None], int | None] = _LINE_NUMBERS.__getitem__


class _Texts(_Values):
    def read(self, text: str) -> str | None:
        return text.strip() or None


class _Esigibilita(_Values):
    def read(self, text: str) -> str | None:
        text = text.strip()
        return text if text in _ESIGIBILITA else None


_TEXTS = _Texts()
_ESIGIBILITA_CODES = _Esigibilita()

#: Text without surrounding spaces; None when blank (codes, names, numbers: an invoice's
#: texts that repeat from invoice to invoice).
as_text: Callable[[str | None], str | None] = _TEXTS.__getitem__
#: I, D or S.
as_esigibilita: Callable[[str | None], str | None] = _ESIGIBILITA_CODES.__getitem__


Read = Callable[[str | None], object]

_PATTERNS: "dict[Read, re.Pattern[str]]" = {
    as_amount2: _AMOUNT2,
    as_amount8: _AMOUNT8,
    as_quantity: _QUANTITY,
    as_rate: _RATE,
}


def value_problem(read: Read, text: str, element: str) -> str:
    """What to say of ``text``, which ``read`` refused, in ``element``."""
    value = _quote(text)
    if read is as_day:
        stripped = text.strip(_XML_SPACE)
        suggestion = _suggest_date(stripped)
        if _DATE.fullmatch(stripped):
            message = _("'{value}' in {element} is not a date that exists")
        elif suggestion:
            message = _("'{value}' in {element} is not a date: FatturaPA writes {suggestion}")
        else:
            message = _(
                "'{value}' in {element} is not a date: FatturaPA writes dates as YYYY-MM-DD, "
                "like 2016-03-31"
            )
        return message.format(value=value, element=element, suggestion=suggestion)
    elif read is as_line_number:
        message = _(
            "'{value}' in {element} is not a line number: FatturaPA numbers lines from 1 to 9999"
        )
    elif read is as_esigibilita:
        message = _(
            "'{value}' in {element} is not a VAT due-date code: FatturaPA writes I "
            "(immediate), D (deferred) or S (split payment)"
        )
    else:
        return _number_problem(text, element, _PATTERNS[read])
    return message.format(value=value, element=element)


def _quote(text: str) -> str:
    """A value as a message quotes it: without surrounding spaces, and cut if long."""
    text = text.strip()
    return text if len(text) <= _MAX_QUOTE else text[:_MAX_QUOTE] + "…"


def _number_problem(text: str, element: str, pattern: "re.Pattern[str]") -> str:
    """What to say of a number that is not written as FatturaPA writes it."""
    value = _quote(text)
    suggestion = _suggest(text.strip(), pattern)
    if pattern is _RATE:
        if suggestion:
            message = _("'{value}' in {element} is not a VAT rate: FatturaPA writes {suggestion}")
        else:
            message = _(
                "'{value}' in {element} is not a VAT rate: FatturaPA writes a percentage "
                "from 0.00 to 100.00 with two decimals, like 22.00"
            )
    elif pattern is _QUANTITY:
        if suggestion:
            message = _("'{value}' in {element} is not a quantity: FatturaPA writes {suggestion}")
        else:
            message = _(
                "'{value}' in {element} is not a quantity: FatturaPA writes a number with a "
                "dot and two to eight decimals, like 1.00"
            )
    elif suggestion:
        message = _("'{value}' in {element} is not an amount: FatturaPA writes {suggestion}")
    elif pattern is _AMOUNT2:
        message = _(
            "'{value}' in {element} is not an amount: FatturaPA writes euros with a dot and "
            "two decimals, like 1234.50"
        )
    else:
        message = _(
            "'{value}' in {element} is not an amount: FatturaPA writes euros with a dot and "
            "two to eight decimals, like 1234.50"
        )
    return message.format(value=value, element=element, suggestion=suggestion)


def _suggest(text: str, pattern: "re.Pattern[str]") -> str | None:
    """The number ``text`` seems to mean, written as ``pattern`` wants, if there is one."""
    plain = text.replace("€", "").replace("EUR", "").replace("%", "").replace(" ", "")
    if re.fullmatch(r"-?[0-9]{1,3}(?:\.[0-9]{3})+,[0-9]+", plain):  # 1.234,50
        plain = plain.replace(".", "").replace(",", ".")
    elif re.fullmatch(r"-?[0-9]+,[0-9]+", plain):  # 12,50
        plain = plain.replace(",", ".")
    if not re.fullmatch(r"-?[0-9]+(?:\.[0-9]+)?", plain) or len(plain) > _MAX_QUOTE:
        return None
    decimals = max(2, len(plain.partition(".")[2]))
    suggestion = f"{Decimal(plain):.{decimals}f}"
    if suggestion == text or not pattern.fullmatch(suggestion):
        return None
    if pattern is _RATE and Decimal(suggestion) > HUNDRED:
        return None
    return suggestion


def _suggest_date(text: str) -> str | None:
    """``31/03/2016`` (day first, as Italians write dates) as FatturaPA writes it."""
    match = re.fullmatch(r"([0-9]{1,2})[/.-]([0-9]{1,2})[/.-]([0-9]{4})", text)
    if match is None:
        return None
    day, month, year = (int(part) for part in match.groups())
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None
