"""Money and percentages: exact decimals, one rounding rule, strict parsing.

Never a float: amounts are read from their text into :class:`~decimal.Decimal`
and stay decimals until they are formatted. The document rounds VAT to the
cent, half up; :func:`round_cent` is the only place the program rounds money.
"""

from __future__ import annotations

import re
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

#: Zero euros, with cents: sums that start here keep two decimals.
ZERO = Decimal("0.00")
CENT = Decimal("0.01")
HUNDRED = Decimal("100")

#: Largest number of digits before the decimal point an amount may have
#: (hundreds of billions of euros): anything longer is a typing slip.
MAX_INTEGER_DIGITS = 12
_MAX_TEXT = 40

_AMOUNT = re.compile(r"(?:0|[1-9]\d{0,%d})(?:\.\d{1,2})?" % (MAX_INTEGER_DIGITS - 1))
_RATE = re.compile(r"\d{1,3}(?:\.\d{1,4})?")
_WHOLE = re.compile(r"0|[1-9]\d{0,8}")
_ITALIAN = re.compile(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+,\d+")


class ValueProblem(ValueError):
    """A figure's text cannot be read; the message says what to write instead."""


def round_cent(value: Decimal) -> Decimal:
    """Round to the cent, half up, as the document does for VAT."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def vat(imponibile: Decimal, aliquota: Decimal) -> Decimal:
    """VAT on a taxable amount at ``aliquota`` percent, rounded to the cent."""
    return round_cent(imponibile * aliquota / HUNDRED)


def truncate(value: Decimal, places: int) -> Decimal:
    """Cut ``value`` to ``places`` decimals without rounding."""
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_DOWN)


def round_half_up(value: Decimal, places: int) -> Decimal:
    """Round ``value`` to ``places`` decimals, half up."""
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def decimal_places(value: Decimal) -> int:
    """How many decimals ``value`` was written with (``7.5`` → 1, ``400`` → 0)."""
    exponent = value.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def _diagnose(text: str, what: str, pattern_hint: str) -> ValueProblem:
    lowered = text.strip().lower()
    if not lowered:
        return ValueProblem(f"{what} is empty; write e.g. {pattern_hint}")
    if len(text) > _MAX_TEXT:
        return ValueProblem(f"{what} is {len(text)} characters long; that is not a figure")
    if lowered in {"true", "false", "yes", "no", "on", "off", "y", "n"}:
        return ValueProblem(f"{text!r} is a yes/no value, not {what}; write e.g. {pattern_hint}")
    if lowered.lstrip("+-.") in {"nan", "inf", "infinity"}:
        return ValueProblem(f"{text!r} is not a finite number; write e.g. {pattern_hint}")
    if lowered.startswith("-"):
        return ValueProblem(f"{what} must not be negative (got {text})")
    if _ITALIAN.fullmatch(lowered):
        plain = lowered.replace(".", "").replace(",", ".")
        return ValueProblem(
            f"{text!r} looks Italian-style (dot for thousands, comma for decimals); "
            f"write {plain} instead"
        )
    if "e" in lowered:
        return ValueProblem(f"{text!r} uses an exponent; write the figure out, e.g. {pattern_hint}")
    return ValueProblem(f"{text!r} is not {what}; write e.g. {pattern_hint}")


def _leading_zero(text: str) -> ValueProblem:
    return ValueProblem(
        f"{text!r} has a leading zero, which YAML 1.1 reads as an octal number; "
        f"write {text.lstrip('0') or '0'}"
    )


def parse_amount(text: str) -> Decimal:
    """Read an amount in euros written as ``26736.87`` (cents optional).

    Refuses negatives, exponents, NaN/infinity, more than two decimals,
    absurdly long figures and Italian-style ``26.736,87``, each with a hint.
    """
    text = text.strip()
    if _AMOUNT.fullmatch(text):
        return Decimal(text).quantize(CENT)  # exact: at most two decimals
    if re.fullmatch(r"0\d+(?:\.\d*)?", text):
        raise _leading_zero(text)
    if re.fullmatch(r"\d{1,%d}\.\d{3,}" % MAX_INTEGER_DIGITS, text) and len(text) <= _MAX_TEXT:
        raise ValueProblem(
            f"{text!r} has more than two decimals; amounts are in euros and cents"
            + (f" (if the dot separates thousands, write {text.replace('.', '')})"
               if re.fullmatch(r"\d{1,3}\.\d{3}", text) else "")
        )
    if re.fullmatch(r"\d{%d,}(?:\.\d*)?" % (MAX_INTEGER_DIGITS + 1), text):
        raise ValueProblem(
            f"{text[:16]}… has more than {MAX_INTEGER_DIGITS} digits before the decimal point; "
            "that is not a plausible amount"
        )
    raise _diagnose(text, "an amount", "26736.87")


def parse_rate(text: str) -> Decimal:
    """Read a percentage written as ``4``, ``22`` or ``7.5`` (0 to 100)."""
    text = text.strip()
    if _RATE.fullmatch(text):
        value = Decimal(text)
        if value > HUNDRED:
            raise ValueProblem(f"a percentage must be between 0 and 100 (got {text})")
        return value
    raise _diagnose(text, "a percentage", "4 or 22")


def parse_whole(text: str) -> int:
    """Read a whole number without sign or leading zeros (``11``, ``27``)."""
    text = text.strip()
    if _WHOLE.fullmatch(text):
        return int(text)
    if re.fullmatch(r"0\d+", text):
        raise _leading_zero(text)
    if re.fullmatch(r"\d{10,}", text):
        raise ValueProblem(f"{text[:16]}… is too large for a count")
    raise _diagnose(text, "a whole number", "11")
