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


def as_text(text: str | None) -> str | None:
    """Text without surrounding spaces; None when blank."""
    if text is None:
        return None
    return text.strip() or None


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
_Table = dict[str | None, Any]


def _remember(table: _Table, text: str, value: object) -> None:
    if len(table) >= _REMEMBERED:
        table.clear()
        table[None] = None  # an absent element: no value
    table[text] = value


def _decimal(text: str, pattern: "re.Pattern[str]", table: _Table) -> Decimal | None:
    """The number ``text`` writes as ``pattern`` wants, or None; remembered in ``table``."""
    if pattern.fullmatch(text):  # as files write it: without spaces around
        value: Decimal | None = Decimal(text)
    else:
        stripped = text.strip(_XML_SPACE)
        value = Decimal(stripped) if pattern.fullmatch(stripped) else None
    _remember(table, text, value)
    return value


_AMOUNTS2: _Table = {None: None}
_AMOUNTS8: _Table = {None: None}
_QUANTITIES: _Table = {None: None}
_RATES: _Table = {None: None}
_DAYS: _Table = {None: None}
_LINE_NUMBERS: _Table = {None: None}


def as_amount2(text: str | None) -> Decimal | None:
    """An Amount2DecimalType: ``-1234.50``."""
    if text in _AMOUNTS2:
        return _AMOUNTS2[text]  # type: ignore[no-any-return]
    return _decimal(text, _AMOUNT2, _AMOUNTS2)  # type: ignore[arg-type]  # None is in the table


def as_amount8(text: str | None) -> Decimal | None:
    """An Amount8DecimalType: ``-1234.50`` to ``-1234.12345678``."""
    if text in _AMOUNTS8:
        return _AMOUNTS8[text]  # type: ignore[no-any-return]
    return _decimal(text, _AMOUNT8, _AMOUNTS8)  # type: ignore[arg-type]  # None is in the table


def as_quantity(text: str | None) -> Decimal | None:
    """A QuantitaType: ``1.00`` to ``1.12345678``."""
    if text in _QUANTITIES:
        return _QUANTITIES[text]  # type: ignore[no-any-return]
    return _decimal(text, _QUANTITY, _QUANTITIES)  # type: ignore[arg-type]  # None is in the table


def as_rate(text: str | None) -> Decimal | None:
    """A RateType: a percentage from ``0.00`` to ``100.00``."""
    if text in _RATES:
        return _RATES[text]  # type: ignore[no-any-return]
    return _rate(text)  # type: ignore[arg-type]  # None is in the table


def as_day(text: str | None) -> date | None:
    """An xs:date: ``2016-03-31``, or with a time zone, ``2016-03-31+01:00``."""
    if text in _DAYS:
        return _DAYS[text]  # type: ignore[no-any-return]
    return _day(text)  # type: ignore[arg-type]  # None is in the table


def as_line_number(text: str | None) -> int | None:
    """A NumeroLineaType: 1 to 9999."""
    if text in _LINE_NUMBERS:
        return _LINE_NUMBERS[text]  # type: ignore[no-any-return]
    return _line_number(text)  # type: ignore[arg-type]  # None is in the table


def _rate(text: str) -> Decimal | None:
    stripped = text.strip(_XML_SPACE)
    rate = Decimal(stripped) if _RATE.fullmatch(stripped) else None
    if rate is not None and rate > HUNDRED:
        rate = None
    _remember(_RATES, text, rate)
    return rate


def _day(text: str) -> date | None:
    match = _DATE.fullmatch(text.strip(_XML_SPACE))
    day = None
    if match is not None:
        with contextlib.suppress(ValueError):  # 2016-02-30
            day = date.fromisoformat(match[1])
    _remember(_DAYS, text, day)
    return day


def _line_number(text: str) -> int | None:
    stripped = text.strip(_XML_SPACE)
    number = int(stripped) if _LINE_NUMBER.fullmatch(stripped) and stripped.strip("0") else None
    _remember(_LINE_NUMBERS, text, number)
    return number


def as_esigibilita(text: str | None) -> str | None:
    """I, D or S."""
    text = as_text(text)
    return text if text in _ESIGIBILITA else None


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
