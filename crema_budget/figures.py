"""Symbols for people, as Babel's CLDR data writes them: ``€ 1.302.537,59`` in Italian.

What a locale needs (its decimal and group symbols, where the euro sign goes,
the months' names) is asked of Babel once and kept in the cache folder
(:mod:`crema_budget.reading.cache`), keyed by the locale and the installed Babel: a
later run formats without importing Babel, which is a fifth of a warm run's
start-up. The formatting below is Babel's own rule for these patterns, and the
tests compare it with Babel's output for every Italian and English locale.

Babel rounds half-even, the document half-up: every figure is rounded here
with :func:`~crema_budget.money.round_half_up` first, so the two never disagree
on a half cent.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import NamedTuple

from crema_budget.i18n import _
from crema_budget.money import round_half_up

#: Italian public documents write the euro sign first (``€ 1.302.537,59``),
#: unlike CLDR's Italian pattern (``1.302.537,59 €``); other locales keep CLDR's.
_CURRENCY_PATTERNS = {"it": "¤ #,##0.00"}
#: Plain numbers: grouped by thousands, in every locale.
_NUMBER_GROUPING = (3, 3)


class Symbols(NamedTuple):
    """What formatting needs of one locale, taken from Babel's data."""

    language: str
    decimal: str
    group: str
    #: Before and after the digits of an amount in euros: (positive, negative).
    euro_prefix: tuple[str, str]
    euro_suffix: tuple[str, str]
    #: Digits in the first group and in each group after it (3, 3; 3, 2 in India).
    euro_grouping: tuple[int, int]
    #: The months' names on their own (``gennaio``) and abbreviated in a date (``May``).
    months: tuple[str, ...]
    months_short: tuple[str, ...]


def _code(name: str) -> str:
    """``it-CH.UTF-8`` → ``it_CH``."""
    return name.replace("-", "_").split(".", 1)[0]


@lru_cache(maxsize=8)
def symbols(name: str) -> Symbols:
    """The figures of locale ``name`` (``it``, ``en``, ``en_GB``…), from the cache
    if Babel's data were read before; raises ValueError for a locale Babel does
    not know."""
    from crema_budget.reading import cache

    return cache.remember(
        "cifre", _babel_key(_code(name)), Symbols, lambda: from_babel(name), plausible
    )


def plausible(f: Symbols) -> bool:
    """Whether figures read back from the cache could be Babel's: a language code,
    symbols and affixes that are short text with no digit and no control character
    (``€ 1`` before every amount would add a digit to it), a positive size of
    groups (a negative one would never end; 1000 is CLDR's "no grouping", as in
    ``en_US_POSIX``), twelve names of months."""

    def text(value: str, shortest: int, longest: int) -> bool:
        return shortest <= len(value) <= longest and not any(
            c.isdigit() or c < " " or "\x7f" <= c < "\xa0" or c in "\u2028\u2029" for c in value
        )

    return (
        2 <= len(f.language) <= 3
        and f.language.isascii()
        and f.language.isalpha()
        and text(f.decimal, 1, 3)
        and text(f.group, 1, 3)
        and f.decimal != f.group
        and all(text(affix, 0, 12) for affix in (*f.euro_prefix, *f.euro_suffix))
        and all(1 <= size <= 1000 for size in f.euro_grouping)
        and len(f.months) == len(f.months_short) == 12
        and all(text(name, 1, 40) for name in (*f.months, *f.months_short))
    )


def known_locale(name: str) -> bool:
    """Whether Babel has data for ``name``."""
    try:
        symbols(name)
    except ValueError:
        return False
    return True


def _babel_key(code: str) -> str:
    """The locale and the installed Babel, found without importing it: a new Babel
    rewrites these files, and its figures are then read again."""
    import importlib.util
    import os

    spec = importlib.util.find_spec("babel")
    origin = spec.origin if spec is not None and spec.origin else ""
    parts = [code, origin]
    for path in (origin, os.path.join(os.path.dirname(origin), "global.dat")):
        try:
            stat = os.stat(path)
        except OSError:
            parts.append("-")
        else:
            parts.append(f"{stat.st_size}:{stat.st_mtime_ns}")
    return "|".join(parts)


def from_babel(name: str) -> Symbols:
    """Ask Babel (CLDR) for the figures of ``name``; ValueError if it has none."""
    from babel import Locale, UnknownLocaleError
    from babel.dates import get_month_names
    from babel.numbers import (
        get_currency_symbol,
        get_decimal_symbol,
        get_group_symbol,
        parse_pattern,
    )

    try:
        where = Locale.parse(_code(name))
    except (UnknownLocaleError, ValueError, TypeError) as error:
        raise ValueError(str(error)) from None
    pattern = parse_pattern(
        _CURRENCY_PATTERNS.get(where.language) or where.currency_formats["standard"]
    )
    symbol = get_currency_symbol("EUR", where)

    def literal(text: str) -> str:  # as Babel finishes a pattern's text
        import re

        text = text.replace("¤¤¤", "euro").replace("¤¤", "EUR").replace("¤", symbol)
        return re.sub(r"'([^']*)'", lambda m: m.group(1) or "'", text)

    wide = get_month_names("wide", "stand-alone", where)
    short = get_month_names("abbreviated", "format", where)
    return Symbols(
        language=where.language,
        decimal=get_decimal_symbol(where),
        group=get_group_symbol(where),
        euro_prefix=(literal(pattern.prefix[0]), literal(pattern.prefix[1])),
        euro_suffix=(literal(pattern.suffix[0]), literal(pattern.suffix[1])),
        euro_grouping=(int(pattern.grouping[0]), int(pattern.grouping[1])),
        months=tuple(wide[m] for m in range(1, 13)),
        months_short=tuple(short[m] for m in range(1, 13)),
    )


def _digits(value: Decimal, places: int, grouping: tuple[int, int], f: Symbols) -> str:
    """The digits of ``|value|`` (already rounded to ``places``), grouped."""
    whole, _, fraction = f"{abs(value):f}".partition(".")
    size = grouping[0]
    grouped = ""
    while len(whole) > size:
        grouped = f.group + whole[-size:] + grouped
        whole = whole[:-size]
        size = grouping[1]
    text = whole + grouped
    if places:
        text += f.decimal + fraction.ljust(places, "0")[:places]
    return text


def euro(value: Decimal, name: str, symbol: bool = True) -> str:
    """An amount in euros, rounded half up to the cent: ``€ 1.302.537,59``
    (``1.302.537,59`` without the symbol, for narrow tables)."""
    if not symbol:
        return number(value, name, 2)
    f = symbols(name)
    rounded = round_half_up(value, 2)
    sign = int(rounded.is_signed())
    digits = _digits(rounded, 2, f.euro_grouping, f)
    return f.euro_prefix[sign] + digits + f.euro_suffix[sign]


def number(value: Decimal | int, name: str, places: int = 0) -> str:
    """A number with the locale's grouping and ``places`` decimals."""
    f = symbols(name)
    rounded = round_half_up(Decimal(value), places)
    return ("-" if rounded.is_signed() else "") + _digits(rounded, places, _NUMBER_GROUPING, f)


def percent(value: Decimal, name: str, places: int = 2) -> str:
    """A percentage given in percent (``7.5587`` → ``7,56 %``)."""
    return f"{number(value, name, places)} %"


def points(value: Decimal, name: str, places: int = 4) -> str:
    """A difference between percentages, in percentage points (``-0,0587 punti``)."""
    return _("{value} points").format(value=number(value, name, places))


def rate(value: Decimal, name: str) -> str:
    """A VAT rate with the decimals it is written with: ``4 %``, ``22 %``, ``7,5 %``;
    the sign spaced as every percentage is (:func:`percent`), one style throughout."""
    places = max(0, -int(value.normalize().as_tuple().exponent))
    return f"{number(value, name, places)} %"


def day(value: date, name: str) -> str:
    """A date: ``10/05/2016`` in Italian, ``10 May 2016`` in English."""
    f = symbols(name)
    if f.language == "it":
        return f"{value.day:02d}/{value.month:02d}/{value.year:04d}"
    if f.language == "en":
        return f"{value.day} {f.months_short[value.month - 1]} {value.year:04d}"
    return value.isoformat()


def month(year: int, number_of_month: int, name: str) -> str:
    """A month of a year: ``gennaio 2016``, ``January 2016``."""
    return f"{month_name(number_of_month, name)} {year:04d}"


def month_name(number_of_month: int, name: str) -> str:
    """A month's name: ``agosto``, ``August``."""
    return symbols(name).months[number_of_month - 1]


def fascia(iscritti_min: int, iscritti_max: int | None) -> str:
    """A nursery tier as people say it: ``27 o più``, ``21–26``, ``20``, ``meno di 20``."""
    if iscritti_max is None:
        return _("{n} or more").format(n=iscritti_min)
    if iscritti_min == iscritti_max:
        return f"{iscritti_min}"
    if iscritti_min == 0:
        return _("fewer than {n}").format(n=iscritti_max + 1)
    return f"{iscritti_min}–{iscritti_max}"
