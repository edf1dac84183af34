"""Numbers for people, through Babel's CLDR data: ``€ 1.302.537,59`` in Italian.

Babel rounds half-even, the document half-up: every figure is rounded here
with :func:`~crema_budget.money.round_half_up` before Babel sees it, so the
two never disagree on a half cent.
"""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache
from typing import TYPE_CHECKING

from crema_budget.errors import UsageError
from crema_budget.money import round_half_up

if TYPE_CHECKING:
    from babel import Locale

DEFAULT_LOCALE = "it"

#: Italian public documents write the euro sign first (``€ 1.302.537,59``),
#: unlike CLDR's Italian pattern (``1.302.537,59 €``); other locales keep CLDR's.
_CURRENCY_PATTERNS = {"it": "¤ #,##0.00"}


@lru_cache(maxsize=8)
def locale(name: str) -> Locale:
    """The Babel locale for ``name`` (``it``, ``en``, ``de_CH``…), or a usage error."""
    # Babel is imported here, not at module level, so --help and JSON output skip it.
    from babel import Locale, UnknownLocaleError

    try:
        return Locale.parse(name.replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError):
        raise UsageError(
            f"unknown locale {name!r}; use a language code such as it, en, de or fr"
        ) from None


def euro(value: Decimal, name: str = DEFAULT_LOCALE) -> str:
    """An amount in euros, rounded half up to the cent: ``€ 1.302.537,59``."""
    from babel.numbers import format_currency

    where = locale(name)
    return format_currency(
        round_half_up(value, 2),
        "EUR",
        format=_CURRENCY_PATTERNS.get(where.language),
        locale=where,
    )


def _decimal(value: Decimal, name: str, places: int) -> str:
    from babel.numbers import format_decimal

    pattern = "#,##0" + ("." + "0" * places if places else "")
    return format_decimal(round_half_up(value, places), format=pattern, locale=locale(name))


def percent(value: Decimal, name: str = DEFAULT_LOCALE, places: int = 2) -> str:
    """A percentage given in percent (``7.5587`` → ``7,56 %``)."""
    return f"{_decimal(value, name, places)} %"


def rate(value: Decimal, name: str = DEFAULT_LOCALE) -> str:
    """A VAT rate as the document writes it: ``4%``, ``22%``, ``7,5%``."""
    places = max(0, -int(value.normalize().as_tuple().exponent))
    return percent(value, name, places).replace(" %", "%")


def fascia(iscritti_min: int, iscritti_max: int | None) -> str:
    """A nursery tier as people say it: ``27 o più``, ``21–26``, ``20``, ``meno di 20``."""
    if iscritti_max is None:
        return f"{iscritti_min} o più"
    if iscritti_min == iscritti_max:
        return f"{iscritti_min}"
    if iscritti_min == 0:
        return f"meno di {iscritti_max + 1}"
    return f"{iscritti_min}–{iscritti_max}"
