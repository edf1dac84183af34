"""Figures for people, through Babel's CLDR data: ``€ 1.302.537,59`` in Italian.

Babel rounds half-even, the document half-up: every figure is rounded here
with :func:`~crema_budget.money.round_half_up` before Babel sees it, so the
two never disagree on a half cent. Babel is imported only when a figure is
formatted, and loads the data of the one locale in use.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import TYPE_CHECKING

from crema_budget.i18n import _
from crema_budget.money import round_half_up

if TYPE_CHECKING:
    from babel import Locale

#: Italian public documents write the euro sign first (``€ 1.302.537,59``),
#: unlike CLDR's Italian pattern (``1.302.537,59 €``); other locales keep CLDR's.
_CURRENCY_PATTERNS = {"it": "¤ #,##0.00"}
#: Dates as Italian offices write them, and unambiguous in English.
_DATE_PATTERNS = {"it": "dd/MM/yyyy", "en": "d MMM yyyy"}


@lru_cache(maxsize=8)
def locale(name: str) -> Locale:
    """The Babel locale for ``name`` (``it``, ``en``, ``en_GB``…); the caller has
    checked that it names a language the tool speaks."""
    from babel import Locale

    return Locale.parse(name.replace("-", "_").split(".", 1)[0])


def known_locale(name: str) -> bool:
    """Whether Babel has data for ``name``."""
    from babel import Locale, UnknownLocaleError

    try:
        Locale.parse(name.replace("-", "_").split(".", 1)[0])
    except (UnknownLocaleError, ValueError, TypeError):
        return False
    return True


def euro(value: Decimal, name: str, symbol: bool = True) -> str:
    """An amount in euros, rounded half up to the cent: ``€ 1.302.537,59``
    (``1.302.537,59`` without the symbol, for narrow tables)."""
    if not symbol:
        return number(value, name, 2)
    from babel.numbers import format_currency

    where = locale(name)
    return format_currency(
        round_half_up(value, 2),
        "EUR",
        format=_CURRENCY_PATTERNS.get(where.language),
        locale=where,
    )


def number(value: Decimal | int, name: str, places: int = 0) -> str:
    """A number with the locale's grouping and ``places`` decimals."""
    from babel.numbers import format_decimal

    pattern = "#,##0" + ("." + "0" * places if places else "")
    rounded = round_half_up(Decimal(value), places)
    return format_decimal(rounded, format=pattern, locale=locale(name))


def percent(value: Decimal, name: str, places: int = 2) -> str:
    """A percentage given in percent (``7.5587`` → ``7,56 %``)."""
    return f"{number(value, name, places)} %"


def points(value: Decimal, name: str, places: int = 4) -> str:
    """A difference between percentages, in percentage points (``-0,0587 punti``)."""
    return _("{value} points").format(value=number(value, name, places))


def rate(value: Decimal, name: str) -> str:
    """A VAT rate as the document writes it: ``4%``, ``22%``, ``7,5%``."""
    places = max(0, -int(value.normalize().as_tuple().exponent))
    return f"{number(value, name, places)}%"


def day(value: date, name: str) -> str:
    """A date: ``10/05/2016`` in Italian, ``10 May 2016`` in English."""
    from babel.dates import format_date

    where = locale(name)
    return format_date(value, _DATE_PATTERNS.get(where.language, "yyyy-MM-dd"), locale=where)


def month(year: int, number_of_month: int, name: str) -> str:
    """A month of a year: ``gennaio 2016``, ``January 2016``."""
    from babel.dates import format_date

    return format_date(date(year, number_of_month, 1), "LLLL yyyy", locale=locale(name))


def month_name(number_of_month: int, name: str) -> str:
    """A month's name: ``agosto``, ``August``."""
    from babel.dates import format_date

    return format_date(date(2000, number_of_month, 1), "LLLL", locale=locale(name))


def fascia(iscritti_min: int, iscritti_max: int | None) -> str:
    """A nursery tier as people say it: ``27 o più``, ``21–26``, ``20``, ``meno di 20``."""
    if iscritti_max is None:
        return _("{n} or more").format(n=iscritti_min)
    if iscritti_min == iscritti_max:
        return f"{iscritti_min}"
    if iscritti_min == 0:
        return _("fewer than {n}").format(n=iscritti_max + 1)
    return f"{iscritti_min}–{iscritti_max}"
