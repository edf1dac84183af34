"""Money and percentages: exact decimals, one rounding rule, strict parsing.

Never a float: amounts are read from their text into :class:`~decimal.Decimal`
and stay decimals until they are formatted. The document rounds VAT to the
cent, half up; :func:`round_cent` is the only place the program rounds money.

How figures may be written (the loader hands every YAML scalar over as text,
plain or quoted alike, so ``26736.87`` and ``"26736.87"`` are the same):

- an amount is euros with a dot before at most two decimals and no thousands
  separator: ``26736.87``, ``400``, ``0.50``; at most 12 digits before the dot;
- a percentage is 0 to 100 with at most four decimals: ``4``, ``22``, ``7.5``;
- a count is a whole number: ``11``, ``27``.

ASCII digits only, no sign, no exponent, no spaces, no leading zero. Anything
else is refused with a hint of what to write, and never guessed at: ``1.500``
could be 1500 (Italian thousands) or 1.5, so it is refused. A leading zero is
refused because YAML 1.1 (PyYAML) reads ``012`` as octal 10 while people and
YAML 1.2 tools read 12: a figure must mean the same to every reader.
"""

from __future__ import annotations

import re
from decimal import ROUND_DOWN, ROUND_HALF_UP, Context, Decimal

from crema_budget.i18n import N_, _

#: Zero euros, with cents: sums that start here keep two decimals.
ZERO = Decimal("0.00")
CENT = Decimal("0.01")
HUNDRED = Decimal("100")
#: Decimals of a share of a budget (``monitor``'s invoiced / budget, in percent)
#: in every output, rounded half up: 42.85, never 42.85188138395338789401370399.
SHARE_PLACES = 2

#: Largest number of digits before the decimal point an amount may have
#: (hundreds of billions of euros): anything longer is a typing slip.
MAX_INTEGER_DIGITS = 12
#: Decimals a percentage may have (7.5, 22, 4.1234).
MAX_RATE_DECIMALS = 4
#: Digits of a count (enrolled children, months, years, ambito numbers).
MAX_WHOLE_DIGITS = 9

#: Rounding never fails for lack of digits: sums of many 12-digit amounts
#: and ratios of them can exceed the default 28 significant digits.
_WIDE = Context(prec=80)

# re.ASCII: \d would otherwise accept Arabic-Indic or full-width digits.
_AMOUNT = re.compile(rf"(?:0|[1-9]\d{{0,{MAX_INTEGER_DIGITS - 1}}})(?:\.\d{{1,2}})?", re.ASCII)
_RATE = re.compile(rf"(?:0|[1-9]\d{{0,2}})(?:\.\d{{1,{MAX_RATE_DECIMALS}}})?", re.ASCII)
_WHOLE = re.compile(rf"0|[1-9]\d{{0,{MAX_WHOLE_DIGITS - 1}}}", re.ASCII)

# Shapes of mistyped figures, for the hints (all ASCII, all anchored by fullmatch).
_NUMBER = re.compile(r"\d+(?:\.\d+)?", re.ASCII)
_ITALIAN_FULL = re.compile(r"\d{1,3}(?:\.\d{3})+,\d+", re.ASCII)  # 26.736,87
_ITALIAN_GROUPS = re.compile(r"\d{1,3}(?:\.\d{3}){2,}", re.ASCII)  # 1.234.567
_DECIMAL_COMMA = re.compile(r"\d+,\d{1,2}", re.ASCII)  # 26736,87
_ENGLISH = re.compile(r"\d{1,3}(?:,\d{3})+\.\d+|\d{1,3}(?:,\d{3}){2,}", re.ASCII)  # 26,736.87
_COMMA_THOUSANDS = re.compile(r"\d{1,3},\d{3}", re.ASCII)  # 1,500: 1500 or 1.5?
_DOT_THOUSANDS = re.compile(r"\d{1,3}\.\d{3}", re.ASCII)  # 1.500: 1500 or 1.5?
_EXPONENT = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)e[-+]?\d+", re.ASCII | re.IGNORECASE)
_LEADING_ZERO = re.compile(r"0\d+(?:\.\d*)?", re.ASCII)
_YES_NO = frozenset({"true", "false", "yes", "no", "on", "off", "y", "n"})
_NOT_FINITE = frozenset({"nan", "inf", "infinity"})
_CURRENCY = ("€", "EUR", "eur", "Euro", "euro")

#: Longer text is not a mistyped figure; the hint says so without echoing it.
_MAX_TEXT = 40


class ValueProblem(ValueError):
    """A figure's text cannot be read; the message says what to write instead."""


def round_cent(value: Decimal) -> Decimal:
    """Round to the cent, half up, as the document does for VAT."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP, context=_WIDE)


def vat(imponibile: Decimal, aliquota: Decimal) -> Decimal:
    """VAT on a taxable amount at ``aliquota`` percent, rounded to the cent."""
    return round_cent(imponibile * aliquota / HUNDRED)


def truncate(value: Decimal, places: int) -> Decimal:
    """Cut ``value`` to ``places`` decimals without rounding."""
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_DOWN, context=_WIDE)


def round_half_up(value: Decimal, places: int) -> Decimal:
    """Round ``value`` to ``places`` decimals, half up."""
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP, context=_WIDE)


def decimal_places(value: Decimal) -> int:
    """How many decimals ``value`` was written with (``7.5`` → 1, ``400`` → 0)."""
    exponent = value.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def parse_amount(text: str) -> Decimal:
    """Read an amount in euros written as ``26736.87`` (cents optional).

    Refuses negatives, exponents, NaN/infinity, more than two decimals,
    absurdly long figures, thousands separators and Italian-style
    ``26.736,87``, each with a hint of what to write.
    """
    if _AMOUNT.fullmatch(text):
        return Decimal(text).quantize(CENT)  # exact: at most two decimals
    raise _amount_problem(text)


def parse_rate(text: str) -> Decimal:
    """Read a percentage written as ``4``, ``22`` or ``7.5`` (0 to 100)."""
    if _RATE.fullmatch(text):
        value = Decimal(text)
        if value > HUNDRED:
            raise ValueProblem(
                _("a percentage must be between 0 and 100 (got {text})").format(text=text)
            )
        return value
    raise _rate_problem(text)


def parse_whole(text: str) -> int:
    """Read a whole number without sign or leading zeros (``11``, ``27``)."""
    if _WHOLE.fullmatch(text):
        return int(text)
    raise _whole_problem(text)


# Diagnosis runs only for text that was refused: it may be slow, it must be kind.

#: Letters typed for the digits they look like.
_LOOKALIKES = str.maketrans({"O": "0", "o": "0", "l": "1", "I": "1"})

_AN_AMOUNT = N_("an amount")
_A_PERCENTAGE = N_("a percentage")
_A_WHOLE_NUMBER = N_("a whole number")


def _amount_problem(text: str) -> ValueProblem:
    example = "26736.87"
    if len(text) <= _MAX_TEXT and _NUMBER.fullmatch(text):
        whole, _dot, decimals = text.partition(".")
        if len(decimals) > 2:
            if _DOT_THOUSANDS.fullmatch(text):
                return ValueProblem(
                    _(
                        "{text} has more than two decimals; amounts are in euros and cents "
                        "(if the dot separates thousands, write {plain})"
                    ).format(text=repr(text), plain=whole + decimals)
                )
            return ValueProblem(
                _("{text} has more than two decimals; amounts are in euros and cents").format(
                    text=repr(text)
                )
            )
    if re.fullmatch(r"\d+(?:\.\d*)?", text, re.ASCII) and len(text.partition(".")[0]) > (
        MAX_INTEGER_DIGITS
    ):
        return ValueProblem(
            _(
                "{start}… has more than {n} digits before the decimal point; "
                "that is not a plausible amount"
            ).format(start=text[:16], n=MAX_INTEGER_DIGITS)
        )
    return _common_problem(text, _AN_AMOUNT, example, _AMOUNT)


def _rate_problem(text: str) -> ValueProblem:
    example = _("4 or 22")
    if text.endswith("%") and _RATE.fullmatch(text[:-1].rstrip()):
        return ValueProblem(
            _("write {plain} without the percent sign: rates are in percent").format(
                plain=text[:-1].rstrip()
            )
        )
    if len(text) <= _MAX_TEXT and _NUMBER.fullmatch(text):
        whole, _dot, decimals = text.partition(".")
        if len(decimals) > MAX_RATE_DECIMALS:
            return ValueProblem(
                _("{text} has more than {n} decimals; write e.g. 7.5").format(
                    text=repr(text), n=MAX_RATE_DECIMALS
                )
            )
        if len(whole) > 3:
            return ValueProblem(
                _("a percentage must be between 0 and 100 (got {text})").format(text=text)
            )
    return _common_problem(text, _A_PERCENTAGE, example, _RATE)


def _whole_problem(text: str) -> ValueProblem:
    example = "11"
    if re.fullmatch(r"\d+\.0*", text, re.ASCII) and not _LEADING_ZERO.fullmatch(text):
        return ValueProblem(
            _("{text} is not a whole number; write {plain}").format(
                text=repr(text), plain=text.partition(".")[0]
            )
        )
    if re.fullmatch(r"\d+", text, re.ASCII) and len(text) > MAX_WHOLE_DIGITS:
        return ValueProblem(_("{start}… is too large for a count").format(start=text[:16]))
    return _common_problem(text, _A_WHOLE_NUMBER, example, _WHOLE)


def _common_problem(text: str, what: str, example: str, valid: re.Pattern[str]) -> ValueProblem:
    """The hint for a refused figure, whatever its kind (``what`` is marked, not yet
    translated)."""
    stripped = text.strip()
    lowered = stripped.lower()
    kind = _(what)
    if not stripped:
        return ValueProblem(
            _("empty value; write {what}, e.g. {example}").format(what=kind, example=example)
        )
    if len(text) > _MAX_TEXT:
        return ValueProblem(
            _("{n} characters are too many for {what}; write e.g. {example}").format(
                what=kind, n=len(text), example=example
            )
        )
    if stripped != text:
        if valid.fullmatch(stripped):
            return ValueProblem(
                _("{text} has spaces around it; write {plain}").format(
                    text=repr(text), plain=stripped
                )
            )
        return _common_problem(stripped, what, example, valid)
    lookalike = stripped.translate(_LOOKALIKES)
    if lookalike != stripped and valid.fullmatch(lookalike):
        return ValueProblem(
            _(
                "{text} has a letter where a digit belongs (O for 0, l for 1?); write {plain}"
            ).format(text=repr(text), plain=lookalike)
        )
    if lowered in _YES_NO:
        return ValueProblem(
            _("{text} is a yes/no value, not {what}; write e.g. {example}").format(
                text=repr(text), what=kind, example=example
            )
        )
    if lowered.lstrip("+-.") in _NOT_FINITE:
        return ValueProblem(
            _("{text} is not a finite number; write e.g. {example}").format(
                text=repr(text), example=example
            )
        )
    if text[0] in "+-":
        unsigned = text[1:]
        if valid.fullmatch(unsigned) or _NUMBER.fullmatch(unsigned):
            if text[0] == "-":
                return ValueProblem(
                    _("expected {what} of zero or more (got {text})").format(what=kind, text=text)
                )
            return ValueProblem(_("write {plain} without the + sign").format(plain=unsigned))
    if _LEADING_ZERO.fullmatch(text):
        plain = text.lstrip("0")
        plain = "0" + plain if not plain or plain.startswith(".") else plain
        return ValueProblem(
            _(
                "{text} has a leading zero, which YAML 1.1 reads as an octal number; write {plain}"
            ).format(text=repr(text), plain=plain)
        )
    if _ITALIAN_FULL.fullmatch(text) or _ITALIAN_GROUPS.fullmatch(text):
        plain = text.replace(".", "").replace(",", ".")
        return ValueProblem(
            _(
                "{text} is written Italian-style (dot for thousands, comma for decimals); "
                "write {plain}"
            ).format(text=repr(text), plain=plain)
        )
    if _ENGLISH.fullmatch(text):
        return ValueProblem(
            _("{text} has a thousands separator; write {plain}").format(
                text=repr(text), plain=text.replace(",", "")
            )
        )
    if _COMMA_THOUSANDS.fullmatch(text):
        as_decimals = f"{Decimal(text.replace(',', '.')).normalize():f}"
        return ValueProblem(
            _(
                "{text} is ambiguous: write {thousands} if the comma separates thousands, "
                "or {decimals} if it marks decimals"
            ).format(text=repr(text), thousands=text.replace(",", ""), decimals=as_decimals)
        )
    if _DECIMAL_COMMA.fullmatch(text):
        return ValueProblem(
            _("{text} has a decimal comma; write {plain} with a decimal point").format(
                text=repr(text), plain=text.replace(",", ".")
            )
        )
    if _EXPONENT.fullmatch(text):
        return ValueProblem(
            _("{text} uses an exponent; write the figure out, e.g. {example}").format(
                text=repr(text), example=example
            )
        )
    if re.fullmatch(r"\d+\.", text, re.ASCII):
        return ValueProblem(
            _("{text} ends with a dot; write {plain}").format(text=repr(text), plain=text[:-1])
        )
    if re.fullmatch(r"\.\d+", text, re.ASCII):
        return ValueProblem(
            _("{text} needs a 0 before the dot; write {plain}").format(
                text=repr(text), plain="0" + text
            )
        )
    squeezed = re.sub(r"[\s_']", "", text)
    if squeezed != text and valid.fullmatch(squeezed):
        return ValueProblem(
            _("{text} has separators inside; write {plain}").format(text=repr(text), plain=squeezed)
        )
    for symbol in _CURRENCY:
        bare = text.replace(symbol, "").strip()
        if bare != text and valid.fullmatch(bare):
            return ValueProblem(_("write {plain} without the currency sign").format(plain=bare))
    return ValueProblem(
        _("{text} is not {what}; write e.g. {example}").format(
            text=repr(text), what=kind, example=example
        )
    )
