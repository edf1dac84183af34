"""Figures come out exactly as Babel writes them, without importing Babel on a warm run.

:mod:`crema_budget.figures` asks Babel for a locale's symbols once and keeps them in the
cache; these tests hold its formatting to Babel's own output for every Italian and
English locale Babel knows, for amounts, numbers and dates.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import babel.numbers
import pytest
from babel import Locale, localedata
from babel.dates import format_date
from babel.numbers import format_currency, format_decimal

from crema_budget import figures
from crema_budget.money import round_half_up
from crema_budget.reading import cache

LOCALES = sorted(
    code for code in localedata.locale_identifiers() if code.split("_")[0] in ("it", "en")
)
VALUES = [
    Decimal(text)
    for text in (
        "0", "-0", "0.004", "-0.004", "0.005", "-0.005", "1", "-1", "12.5", "999.995",
        "1000", "-1000", "12345.678", "100000", "1302537.59", "-1302537.59",
        "98765432109.87", "7.5587", "-3826.29",
    )
]  # fmt: skip
PLACEHOLDER = "\x00"
DAYS = [date(2016, 1, 1), date(2016, 5, 10), date(2016, 6, 30), date(2016, 12, 31), date(987, 3, 9)]


def test_there_are_locales_to_compare() -> None:
    assert {"it", "it_CH", "en", "en_GB", "en_IN"} <= set(LOCALES)


def babel_says(write: Callable[..., str], *args: Any, **kwargs: Any) -> str:
    """What Babel writes, but for one thing: it removes single quotes in pairs from
    its output, and with them a Swiss group symbol (``1'302'537.59`` comes out
    ``1302537.59`` while ``1'000`` stays); here that symbol is put back, as the
    tool keeps it."""
    real = babel.numbers.get_group_symbol

    def group(*args: Any, **kwargs: Any) -> str:
        symbol = real(*args, **kwargs)
        return PLACEHOLDER if symbol == "'" else symbol

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(babel.numbers, "get_group_symbol", group)
        return write(*args, **kwargs).replace(PLACEHOLDER, "'")


@pytest.mark.parametrize("code", LOCALES)
def test_amounts_as_babel_writes_them(code: str) -> None:
    where = Locale.parse(code)
    pattern = "¤ #,##0.00" if where.language == "it" else None
    for value in VALUES:
        rounded = round_half_up(value, 2)
        expected = babel_says(format_currency, rounded, "EUR", format=pattern, locale=where)
        assert figures.euro(value, code) == expected, value


@pytest.mark.parametrize("code", LOCALES)
def test_numbers_as_babel_writes_them(code: str) -> None:
    for places in (0, 2, 4):
        pattern = "#,##0" + ("." + "0" * places if places else "")
        for value in VALUES:
            rounded = round_half_up(value, places)
            expected = babel_says(format_decimal, rounded, format=pattern, locale=code)
            assert figures.number(value, code, places) == expected, (value, places)


@pytest.mark.parametrize("code", LOCALES)
def test_dates_and_months_as_babel_writes_them(code: str) -> None:
    language = code.split("_")[0]
    for when in DAYS:
        shape = "dd/MM/yyyy" if language == "it" else "d MMM yyyy"
        assert figures.day(when, code) == format_date(when, shape, locale=code)
        assert figures.month(when.year, when.month, code) == format_date(
            when, "LLLL yyyy", locale=code
        )
        assert figures.month_name(when.month, code) == format_date(when, "LLLL", locale=code)


def test_the_documents_figures() -> None:
    """The document's own way: the euro sign first, half up where Babel alone
    would round half-even."""
    assert figures.euro(Decimal("1302537.59"), "it") == "€ 1.302.537,59"
    assert figures.euro(Decimal("0.005"), "it") == "€ 0,01"
    assert figures.euro(Decimal("0.025"), "it") == "€ 0,03"
    assert figures.euro(Decimal("-3826.29"), "en") == "-€3,826.29"
    assert figures.euro(Decimal("1302537.59"), "it", symbol=False) == "1.302.537,59"
    assert figures.percent(Decimal("7.5587"), "it") == "7,56 %"
    assert figures.rate(Decimal("7.5"), "it") == "7,5 %"  # spaced as percent() is
    assert figures.day(date(2016, 5, 10), "it") == "10/05/2016"
    assert figures.day(date(2016, 5, 10), "en") == "10 May 2016"


def test_unknown_locales_are_refused() -> None:
    assert not figures.known_locale("xx")
    assert not figures.known_locale("")
    assert figures.known_locale("it-CH.UTF-8")


def test_a_locales_figures_are_read_back_from_the_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    figures.symbols.cache_clear()
    first = figures.symbols("en_IN")
    assert sorted(cache.folder().glob("cifre-*.json"))

    def no_babel(name: str) -> figures.Symbols:
        raise AssertionError("Babel asked again")

    monkeypatch.setattr(figures, "from_babel", no_babel)
    figures.symbols.cache_clear()
    assert figures.symbols("en_IN") == first
    figures.symbols.cache_clear()


def test_a_tampered_locale_entry_is_not_trusted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An entry edited by hand fails its checksum and is read from Babel again."""
    monkeypatch.setenv(cache.ENVIRONMENT, str(tmp_path))
    figures.symbols.cache_clear()
    assert figures.euro(Decimal("1234.5"), "it") == "€ 1.234,50"
    (entry,) = tmp_path.glob("cifre-*.json")
    head, _, payload = entry.read_bytes().partition(b"\n")
    assert b'"."' in payload  # the Italian group symbol
    entry.write_bytes(head + b"\n" + payload.replace(b'"."', b'"#"'))
    figures.symbols.cache_clear()
    assert figures.euro(Decimal("1234.5"), "it") == "€ 1.234,50"
    header = json.loads(entry.read_bytes().partition(b"\n")[0])
    assert header["tipo"] == "cifre"
    figures.symbols.cache_clear()


def test_rates_and_tiers_as_the_document_writes_them() -> None:
    """A VAT rate has the decimals it needs and no more; a tier of one number of children
    is that number, the lowest tier is "fewer than", the highest "or more"."""
    rates = [figures.rate(Decimal(r), "it") for r in ("4", "22", "7.5", "4.00", "0", "100")]
    # one percent style with percent(): "4 %" beside "7,56 %"
    assert rates == ["4 %", "22 %", "7,5 %", "4 %", "0 %", "100 %"]
    assert figures.rate(Decimal("7.25"), "en") == "7.25 %"
    tiers = [figures.fascia(*t) for t in ((27, None), (21, 26), (20, 20), (0, 19), (0, 0))]
    assert tiers == ["27 o più", "21–26", "20", "meno di 20", "0"]


def test_a_locales_entry_is_keyed_by_the_installed_babel() -> None:
    """The cached figures of a locale name Babel's files, their size and modification
    time: another Babel, or the same one reinstalled, reads them again."""
    import os

    import babel

    code, origin, *stats = figures._babel_key("it").split("|")
    assert (code, origin) == ("it", babel.__file__)
    files = (origin, os.path.join(os.path.dirname(origin), "global.dat"))
    expected = [f"{os.stat(p).st_size}:{os.stat(p).st_mtime_ns}" for p in files]
    assert stats == expected


def test_a_babel_whose_files_cannot_be_read_still_gives_a_key(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Files that cannot be examined leave a mark in the key instead of their size."""
    import os

    def unreadable(path: object, *args: object, **kwargs: object) -> os.stat_result:
        raise OSError("unreadable")

    monkeypatch.setattr(os, "stat", unreadable)
    assert figures._babel_key("it").split("|")[2:] == ["-", "-"]


# --- figures read back from the cache: plausible or computed again ---------------------


def _italian() -> figures.Symbols:
    return figures.from_babel("it")


@pytest.mark.parametrize(
    ("change", "plausible"),
    [
        ({}, True),  # Babel's own Italian figures
        # a language code of two or three ASCII letters
        ({"language": "it"}, True),
        ({"language": "ita"}, True),
        ({"language": "i"}, False),
        ({"language": "ital"}, False),
        ({"language": "ìt"}, False),
        ({"language": "i1"}, False),
        # decimal and group symbols: 1 to 3 characters, no digit, no control character
        ({"decimal": ",,,"}, True),
        ({"decimal": ""}, False),
        ({"decimal": ",,,,"}, False),
        ({"decimal": "1"}, False),
        ({"decimal": "\x1f"}, False),  # the last control character below the space
        ({"group": " "}, True),  # the space itself is text
        ({"group": "\x7f"}, False),  # DEL
        ({"group": "\x9f"}, False),  # the last C1 control character
        ({"group": "\xa0"}, True),  # a no-break space, as French groups digits
        ({"group": "\u2028"}, False),  # a line separator
        ({"group": ","}, False),  # the same as the decimal symbol
        ({"group": ",,,"}, True),
        ({"group": ""}, False),
        ({"group": ",,,,"}, False),
        # an amount's affixes: at most 12 characters, none of them a digit
        ({"euro_prefix": ("", "")}, True),
        ({"euro_prefix": ("€" * 12, "-€")}, True),
        ({"euro_prefix": ("€" * 13, "-€")}, False),
        ({"euro_prefix": ("€ ", "-€" * 7)}, False),  # the negative one too
        ({"euro_suffix": ("", "1")}, False),
        # groups of 1 to 1000 digits (1000 is CLDR's "no grouping"), both of them
        ({"euro_grouping": (1, 1)}, True),
        ({"euro_grouping": (1000, 1000)}, True),
        ({"euro_grouping": (0, 3)}, False),
        ({"euro_grouping": (3, 0)}, False),
        ({"euro_grouping": (1001, 3)}, False),
        ({"euro_grouping": (3, 1001)}, False),
        # twelve months, named in 1 to 40 characters
        ({"months": ("m",) * 12}, True),
        ({"months": ("m" * 40,) * 12}, True),
        ({"months": ("m",) * 11}, False),
        ({"months": ("m",) * 13, "months_short": ("m",) * 13}, False),
        ({"months_short": ("m",) * 11}, False),
        ({"months": ("m",) * 11 + ("",)}, False),
        ({"months": ("m",) * 11 + ("m" * 41,)}, False),
        ({"months_short": ("m",) * 11 + ("1",)}, False),
    ],
    ids=repr,
)
def test_figures_read_back_must_be_plausible(change: dict[str, Any], plausible: bool) -> None:
    """A cache entry of a locale's figures is used only if it could be Babel's: each
    limit is tested on its edge and one step beyond it (a negative or zero group size
    would never end, a digit in an affix would add to every amount)."""
    assert figures.plausible(_italian()._replace(**change)) is plausible
