"""Money: the one rounding rule pinned to the cent, and figures read exactly as written
or refused with a hint of what to write.

Every expected value is worked by hand in its comment. The document rounds VAT to the
cent, half up: half a cent goes up whatever the digit before it, where rounding half
even (Python's and Babel's default) would go down after an even digit.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal, InvalidOperation, localcontext

import pytest

from crema_budget.money import (
    ValueProblem,
    decimal_places,
    parse_amount,
    parse_rate,
    parse_whole,
    round_cent,
    round_half_up,
    truncate,
    vat,
)

D = Decimal


#: Messages compared in the English they are written in (conftest.py).
pytestmark = pytest.mark.usefixtures("english")


@pytest.mark.parametrize(
    ("imponibile", "aliquota", "iva"),
    [
        ("294105.57", "4", "11764.22"),  # 11.764,2228: the document's nursery line
        ("26736.87", "4", "1069.47"),  # 1.069,4748: a month of the nursery
        ("426842.00", "22", "93905.24"),  # exactly 93.905,24
        ("167962.11", "22", "36951.66"),  # 36.951,6642
        ("0.50", "1", "0.01"),  # 0,005: half a cent, up (half even: 0,00)
        ("2.50", "1", "0.03"),  # 0,025: up (half even: 0,02)
        ("1.50", "1", "0.02"),  # 0,015: up (half even agrees)
        ("0.75", "22", "0.17"),  # 0,165: up (half even: 0,16)
        ("0.01", "49.9999", "0.00"),  # 0,00499999: just under half a cent, down
        ("0.01", "50", "0.01"),  # 0,005
        ("0.01", "50.0001", "0.01"),  # 0,00500001
        ("100.00", "0", "0.00"),
        ("999999999999.99", "22", "220000000000.00"),  # 219.999.999.999,9978
    ],
)
def test_vat_is_rate_times_taxable_rounded_half_up_to_the_cent(
    imponibile: str, aliquota: str, iva: str
) -> None:
    """VAT exactly, written with its two decimals: no tolerance, so the rounding mode
    is pinned both ways around half a cent."""
    assert str(vat(D(imponibile), D(aliquota))) == iva


@pytest.mark.parametrize(
    ("value", "cent"),
    [
        ("0.005", "0.01"),
        ("0.015", "0.02"),
        ("0.0049", "0.00"),
        ("-0.005", "-0.01"),  # a negative half cent goes away from zero too
        ("-0.0049", "-0.00"),
        ("9" * 30 + ".005", "9" * 30 + ".01"),  # 32 digits: more than a default context holds
    ],
)
def test_round_cent(value: str, cent: str) -> None:
    assert str(round_cent(D(value))) == cent


def test_rounding_never_fails_for_lack_of_digits() -> None:
    """A sum of many 12-digit amounts has more digits than Python's default 28: it is
    rounded all the same, whatever the caller's context."""
    with localcontext() as context:
        context.prec = 28
        with pytest.raises(InvalidOperation):
            D("9" * 30 + ".005").quantize(D("0.01"))
        assert round_half_up(D("9" * 30 + ".0051"), 2) == D("9" * 30 + ".01")
        assert truncate(D("9" * 30 + ".0099"), 2) == D("9" * 30 + ".00")


@pytest.mark.parametrize(
    ("value", "places", "rounded", "cut"),
    [
        ("7.5587", 1, "7.6", "7.5"),  # the document's ratio
        ("7.5587", 2, "7.56", "7.55"),
        ("7.545", 2, "7.55", "7.54"),  # half: up (half even: 7,54)
        ("7.5449", 2, "7.54", "7.54"),
        ("7.5999", 0, "8", "7"),
        ("7.4999", 0, "7", "7"),
    ],
)
def test_rounding_and_cutting_a_percentage(value: str, places: int, rounded: str, cut: str) -> None:
    assert str(round_half_up(D(value), places)) == rounded
    assert str(truncate(D(value), places)) == cut


@pytest.mark.parametrize(
    ("value", "places"), [("7.5", 1), ("400", 0), ("0.50", 2), ("7.5587", 4), ("1E+1", 0)]
)
def test_decimal_places_as_written(value: str, places: int) -> None:
    """How many decimals a figure was written with; a figure in tens has none."""
    assert decimal_places(D(value)) == places


# --- figures read exactly --------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("26736.87", "26736.87"),
        ("400", "400.00"),  # whole euros get their cents
        ("0.5", "0.50"),
        ("0", "0.00"),
        ("999999999999.99", "999999999999.99"),  # twelve digits: the most there are
    ],
)
def test_an_amount_is_read_with_its_cents(text: str, amount: str) -> None:
    assert str(parse_amount(text)) == amount


@pytest.mark.parametrize("text", ["4", "7.5", "100", "0.0001", "99.9999"])
def test_a_rate_is_read_as_written(text: str) -> None:
    assert str(parse_rate(text)) == text


@pytest.mark.parametrize(("text", "count"), [("0", 0), ("11", 11), ("999999999", 999_999_999)])
def test_a_count_is_read_as_written(text: str, count: int) -> None:
    """Nine digits is the largest count."""
    assert parse_whole(text) == count


Parse = Callable[[str], object]

#: Each refused figure with the hint it gets, the boundaries included (a text of 40
#: characters is read as a figure, one of 41 is not).
REFUSED: list[tuple[Parse, str, str]] = [
    (parse_amount, "", "empty value; write an amount, e.g. 26736.87"),
    (parse_amount, "26736.875", "'26736.875' has more than two decimals; amounts are in euros "
     "and cents"),
    (parse_amount, "1.500", "'1.500' has more than two decimals; amounts are in euros and cents "
     "(if the dot separates thousands, write 1500)"),
    (parse_amount, "1." + "2" * 38, f"'1.{'2' * 38}' has more than two decimals"),  # 40
    (parse_amount, "1." + "2" * 39, "41 characters are too many for an amount; write e.g. "
     "26736.87"),
    (parse_amount, "x" * 40, f"'{'x' * 40}' is not an amount; write e.g. 26736.87"),
    (parse_amount, "x" * 41, "41 characters are too many for an amount"),
    (parse_amount, "1000000000000", "1000000000000… has more than 12 digits before the "
     "decimal point; that is not a plausible amount"),
    (parse_amount, "12345678901234567890", "1234567890123456… has more than 12 digits"),
    (parse_amount, "012.50", "'012.50' has a leading zero, which YAML 1.1 reads as an octal "
     "number; write 12.50"),
    (parse_amount, "012345678901", "'012345678901' has a leading zero, which YAML 1.1 reads as "
     "an octal number; write 12345678901"),
    (parse_amount, "00", "'00' has a leading zero, which YAML 1.1 reads as an octal number; "
     "write 0"),
    (parse_amount, "00.50", "'00.50' has a leading zero, which YAML 1.1 reads as an octal "
     "number; write 0.50"),
    (parse_amount, "tredicimilaeuro", "'tredicimilaeuro' is not an amount; write e.g. 26736.87"),
    (parse_amount, " 26736.87 ", "' 26736.87 ' has spaces around it; write 26736.87"),
    (parse_amount, " 26.736,87", "'26.736,87' is written Italian-style (dot for thousands, "
     "comma for decimals); write 26736.87"),
    (parse_amount, "1.234.567", "'1.234.567' is written Italian-style (dot for thousands, "
     "comma for decimals); write 1234567"),
    (parse_amount, "2O0", "'2O0' has a letter where a digit belongs (O for 0, l for 1?); "
     "write 200"),
    (parse_amount, "yes", "'yes' is a yes/no value, not an amount; write e.g. 26736.87"),
    (parse_amount, "-inf", "'-inf' is not a finite number; write e.g. 26736.87"),
    (parse_amount, "-5", "expected an amount of zero or more (got -5)"),
    (parse_amount, "-5.123", "expected an amount of zero or more (got -5.123)"),
    (parse_amount, "-012", "expected an amount of zero or more (got -012)"),
    (parse_amount, "+5", "write 5 without the + sign"),
    (parse_amount, "26,736.87", "'26,736.87' has a thousands separator; write 26736.87"),
    (parse_amount, "1,500", "'1,500' is ambiguous: write 1500 if the comma separates "
     "thousands, or 1.5 if it marks decimals"),
    (parse_amount, "26736,87", "'26736,87' has a decimal comma; write 26736.87 with a decimal "
     "point"),
    (parse_amount, "1e3", "'1e3' uses an exponent; write the figure out, e.g. 26736.87"),
    (parse_amount, "5.", "'5.' ends with a dot; write 5"),
    (parse_amount, ".5", "'.5' needs a 0 before the dot; write 0.5"),
    (parse_amount, "1 000", "'1 000' has separators inside; write 1000"),
    (parse_amount, "€ 400", "write 400 without the currency sign"),
    (parse_rate, "100.0001", "a percentage must be between 0 and 100 (got 100.0001)"),
    (parse_rate, "101", "a percentage must be between 0 and 100 (got 101)"),
    (parse_rate, "1000", "a percentage must be between 0 and 100 (got 1000)"),
    (parse_rate, "012", "'012' has a leading zero, which YAML 1.1 reads as an octal number; "
     "write 12"),
    (parse_rate, "22%", "write 22 without the percent sign: rates are in percent"),
    (parse_rate, "22 %", "write 22 without the percent sign: rates are in percent"),
    (parse_rate, "7.12345", "'7.12345' has more than 4 decimals; write e.g. 7.5"),
    (parse_rate, "07.1234", "'07.1234' has a leading zero, which YAML 1.1 reads as an octal "
     "number; write 7.1234"),
    (parse_rate, "1." + "2" * 38, f"'1.{'2' * 38}' has more than 4 decimals"),
    (parse_rate, "1." + "2" * 39, "41 characters are too many for a percentage; write e.g. 4 "
     "or 22"),
    (parse_rate, "ventidue", "'ventidue' is not a percentage; write e.g. 4 or 22"),
    (parse_whole, "1000000000", "1000000000… is too large for a count"),
    (parse_whole, "12345678901234567890", "1234567890123456… is too large for a count"),
    (parse_whole, "012345678", "'012345678' has a leading zero, which YAML 1.1 reads as an "
     "octal number; write 12345678"),
    (parse_whole, "11.0", "'11.0' is not a whole number; write 11"),
    (parse_whole, "11.", "'11.' is not a whole number; write 11"),
    (parse_whole, "011.0", "'011.0' has a leading zero, which YAML 1.1 reads as an octal "
     "number; write 11.0"),
    (parse_whole, "undici", "'undici' is not a whole number; write e.g. 11"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("parse", "text", "hint"),
    REFUSED,
    ids=[f"{parse.__name__}({text[:20]!r})" for parse, text, _ in REFUSED],
)
def test_a_figure_written_otherwise_is_refused_with_a_hint(
    parse: Parse, text: str, hint: str
) -> None:
    with pytest.raises(ValueProblem) as refused:
        parse(text)
    assert str(refused.value).startswith(hint)
