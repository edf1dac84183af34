"""Properties that hold for every agreement, not only the 2016 one.

Hypothesis writes random but valid agreements (ambiti, monthly and lump-sum
fee lines, VAT rates, the consortium's items, nursery tiers) as YAML text, the
way a person would, and checks the arithmetic's invariants on what the loader
reads back. It also feeds the loader garbage: any text, any YAML structure,
any bytes, and valid files with one line spoiled. The only failure allowed is
the tool's own :class:`DataError`.

The runs are derandomized and keep no example database, so CI sees the same
examples every time.
"""

from __future__ import annotations

import json
import string
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, NamedTuple, TypeVar

import pytest
import yaml
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from crema_budget.agreement import compute
from crema_budget.agreement.checks import Esito, run_checks
from crema_budget.agreement.compute import (
    Preventivo,
    Rimodulazione,
    preventivo_nido,
    risorse,
    totali,
)
from crema_budget.agreement.load import parse_agreement
from crema_budget.agreement.model import Agreement
from crema_budget.errors import DataError
from crema_budget.money import (
    HUNDRED,
    MAX_INTEGER_DIGITS,
    ValueProblem,
    decimal_places,
    parse_amount,
    parse_rate,
    parse_whole,
)
from crema_budget.reading.source import decode, read_file

T = TypeVar("T")

PROPERTY = settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# --- Writing agreements --------------------------------------------------------------


@dataclass
class Line:
    """A fee line as generated, with the taxable amount it must come to."""

    fields: dict[str, Any]
    imponibile: Decimal
    aliquota: Decimal


@dataclass
class Generated:
    """A valid agreement as data (YAML scalars already spelled) and what it means."""

    data: dict[str, Any]
    lines: list[list[Line]]  # per ambito, in order
    numeri: list[int]
    fasce: list[tuple[int, int | None, Decimal | None]] = field(default_factory=list)
    #: The consortium's items and the shares of the 1 %, by ambito number.
    items: dict[int, list[Decimal]] = field(default_factory=dict)
    shares: dict[int, Decimal] = field(default_factory=dict)

    def text(self) -> str:
        return "\n".join(emit(self.data, 0)) + "\n"


def emit(value: Any, indent: int) -> list[str]:
    """Block-style YAML for mappings of scalars, mappings and lists of mappings.

    Scalars are already YAML text (figures plain or quoted, labels quoted).
    A list whose first item carries ``"__flow__"`` is written one flow mapping
    per line, as the embedded agreement writes the consortium's items.
    """
    pad = " " * indent
    lines: list[str] = []
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, dict | list):
                lines.append(f"{pad}{key}:")
                lines.extend(emit(item, indent + 2))
            else:
                lines.append(f"{pad}{key}: {item}")
        return lines
    flow = bool(value) and value[0].get("__flow__", False)
    for item in value:
        fields = {k: v for k, v in item.items() if k != "__flow__"}
        if flow:
            lines.append(pad + "- {" + ", ".join(f"{k}: {v}" for k, v in fields.items()) + "}")
        else:
            inner = emit(fields, indent + 2)
            lines.append(f"{pad}- {inner[0][indent + 2 :]}")
            lines.extend(inner[1:])
    return lines


def label(text: str) -> str:
    """A label as a YAML double-quoted scalar (JSON's escapes are YAML's too)."""
    return json.dumps(text, ensure_ascii=False)


LABELS = st.text(
    alphabet=string.ascii_letters + string.digits + " -'/:,#&*!?%àèéìòù€\"\\",
    min_size=1,
    max_size=40,
).map(label)

# Up to 999,999,999.99 €: sums of a few dozen of them stay within the 12 digits an
# amount may have, so the computed totals can be written back as declared ones.
CENTS = st.integers(min_value=0, max_value=99_999_999_999)


@st.composite
def spelled(draw: st.DrawFn, text: str) -> str:
    """``text`` plain, double-quoted or single-quoted: all mean the same figure."""
    return draw(st.sampled_from([text, f'"{text}"', f"'{text}'"]))


@st.composite
def amounts(draw: st.DrawFn, cents: int | None = None) -> tuple[Decimal, str]:
    """An amount and one of its valid spellings (400, 400.5, 400.50)."""
    cents = draw(CENTS) if cents is None else cents
    whole, fraction = divmod(cents, 100)
    forms = [f"{whole}.{fraction:02d}"]
    if fraction % 10 == 0:
        forms.append(f"{whole}.{fraction // 10}")
    if fraction == 0:
        forms.append(str(whole))
    return Decimal(cents) / 100, draw(spelled(draw(st.sampled_from(forms))))


@st.composite
def rates(draw: st.DrawFn) -> tuple[Decimal, str]:
    """A VAT rate: mostly the usual ones, sometimes any 0–100 with up to four decimals."""
    usual = st.sampled_from([0, 4, 5, 10, 22]).map(Decimal)
    any_rate = st.integers(min_value=0, max_value=1_000_000).map(lambda n: Decimal(n).scaleb(-4))
    rate = draw(st.one_of(usual, any_rate))
    return rate, draw(spelled(f"{rate.normalize():f}"))


@st.composite
def fee_lines(draw: st.DrawFn, monthly: bool | None = None) -> Line:
    monthly = draw(st.booleans()) if monthly is None else monthly
    rate, rate_text = draw(rates())
    fields: dict[str, Any] = {"voce": draw(LABELS)}
    if monthly:
        fee, fee_text = draw(amounts())
        months = draw(st.integers(min_value=1, max_value=12))
        fields |= {"canone_mensile": fee_text, "mensilita": draw(spelled(str(months)))}
        imponibile = fee * months
    elif draw(st.integers(0, 3)) == 0:
        # A tie: 22 % of € 0,75 + € 1 × k is € 0,165 + € 0,22 × k, exactly half a cent
        # over an even number of cents, which rounding half up takes up and half even down.
        rate, rate_text = Decimal(22), draw(spelled("22"))
        imponibile, fields["importo"] = draw(amounts(75 + 100 * draw(st.integers(0, 10**8))))
    else:
        imponibile, fields["importo"] = draw(amounts())
    if draw(st.booleans()):
        fields["periodo"] = draw(LABELS)
    fields["aliquota_iva"] = rate_text
    return Line(fields, imponibile, rate)


@st.composite
def agreements(draw: st.DrawFn, with_nido: bool | None = None) -> Generated:
    """A valid agreement: 1–5 ambiti of 1–4 fee lines, items, shares and maybe a nursery."""
    numeri = draw(st.lists(st.integers(1, 99), min_size=1, max_size=5, unique=True))
    with_nido = draw(st.booleans()) if with_nido is None else with_nido
    ambiti: list[dict[str, Any]] = []
    lines: list[list[Line]] = []
    items: dict[int, list[Decimal]] = {}
    shares: dict[int, Decimal] = {}
    for position, numero in enumerate(numeri):
        first_monthly = True if with_nido and position == 0 else None
        servizi = [draw(fee_lines(first_monthly))]
        servizi += draw(st.lists(fee_lines(), max_size=3))
        ambito: dict[str, Any] = {
            "numero": str(numero),
            "titolo": draw(LABELS),
            "servizi": [line.fields for line in servizi],
        }
        if draw(st.booleans()):
            ambito["da_definire"] = [{"voce": draw(LABELS)}]
        if draw(st.booleans()):
            drawn = [draw(amounts()) for _ in range(draw(st.integers(1, 3)))]
            voci: list[dict[str, Any]] = [
                {"voce": draw(LABELS), "importo": text} for _value, text in drawn
            ]
            voci[0]["__flow__"] = draw(st.booleans())
            ambito["risorse_consorzio"] = {"voci": voci}
            items[numero] = [value for value, _text in drawn]
        if draw(st.booleans()):
            shares[numero], ambito["quota_1_percento"] = draw(amounts())
        ambiti.append(ambito)
        lines.append(servizi)
    data: dict[str, Any] = {
        "documento": {
            "titolo": draw(LABELS),
            "comune": draw(LABELS),
            "consorzio": draw(LABELS),
            "anno": draw(spelled(str(draw(st.integers(1900, 2200))))),
        },
        "ambiti": ambiti,
    }
    generated = Generated(data, lines, numeri, items=items, shares=shares)
    if with_nido:
        data["nido"], generated.fasce = draw(nursery(numeri[0], lines[0][0]))
    return generated


@st.composite
def nursery(
    draw: st.DrawFn, ambito: int, line: Line
) -> tuple[dict[str, Any], list[tuple[int, int | None, Decimal | None]]]:
    """Tiers covering 0 to ∞ without gaps or overlaps, fees never falling as enrolment
    rises, the lowest tiers possibly without a fee (rimodulazione), listed in any order.

    The highest tier charges the fee line's own monthly fee, as the document does.
    """
    starts = sorted(draw(st.lists(st.integers(1, 60), max_size=4, unique=True)))
    bounds = [0, *starts]
    tops: list[int | None] = [start - 1 for start in starts] + [None]
    without_fee = draw(st.integers(0, len(bounds) - 1))
    full = line.fields["canone_mensile"].strip("'\"")
    full_cents = int(Decimal(full) * 100)
    lower = sorted(
        draw(
            st.lists(
                st.integers(0, full_cents),
                min_size=len(bounds) - without_fee - 1,
                max_size=len(bounds) - without_fee - 1,
            )
        )
    )
    fees: list[Decimal | None] = [None] * without_fee
    fees += [Decimal(cents) / 100 for cents in lower] + [Decimal(full)]
    tiers = list(zip(bounds, tops, fees, strict=True))
    written = []
    for low, high, fee in draw(st.permutations(tiers)):
        tier: dict[str, Any] = {"iscritti_min": str(low)}
        if high is not None:
            tier["iscritti_max"] = str(high)
        if fee is None:
            tier["rimodulazione"] = draw(st.sampled_from(["true", "True", '"true"']))
        else:
            tier["canone_mensile"] = draw(amounts(int(fee * 100)))[1]
        written.append(tier)
    written[0]["__flow__"] = draw(st.booleans())
    return {"ambito": str(ambito), "servizio": "1", "fasce": written}, tiers


def load(generated: Generated) -> Agreement:
    return parse_agreement(generated.text(), "generated.yaml")


# --- Valid agreements keep their invariants -------------------------------------------------


def vat_by_hand(imponibile: Decimal, aliquota: Decimal) -> Decimal:
    """VAT as the document rounds it, worked in whole numbers with no decimal rounding:
    the cents times the rate in ten-thousandths of a percent are the VAT in millionths
    of a cent; a remainder of half a cent (500,000 of them) or more goes up."""
    cents = int(imponibile * 100)  # exact: an amount has at most two decimals
    rate = int(aliquota * 10_000)  # exact: a rate has at most four decimals
    whole, rest = divmod(cents * rate, 1_000_000)
    return Decimal(whole + (rest >= 500_000)).scaleb(-2)


def percent_by_hand(part: Decimal, base: Decimal) -> Decimal:
    """``part / base`` in percent, two decimals, half up, in whole numbers."""
    hundredths, rest = divmod(int(part * 100) * 10_000, int(base * 100))
    return Decimal(hundredths + (2 * rest >= int(base * 100))).scaleb(-2)


class Expected(NamedTuple):
    """What an agreement's figures must be, worked out from what was generated."""

    lines: list[list[tuple[Decimal, Decimal, Decimal]]]  # per ambito: taxable, VAT, total
    ambiti: list[tuple[Decimal, Decimal, Decimal]]
    grand: tuple[Decimal, Decimal, Decimal]


def expected(generated: Generated) -> Expected:
    lines = [
        [(line.imponibile, vat_by_hand(line.imponibile, line.aliquota)) for line in ambito]
        for ambito in generated.lines
    ]
    figures = [[(base, tax, base + tax) for base, tax in ambito] for ambito in lines]
    ambiti = [_sums(ambito) for ambito in figures]
    return Expected(figures, ambiti, _sums(ambiti))


def _sums(rows: list[tuple[Decimal, Decimal, Decimal]]) -> tuple[Decimal, Decimal, Decimal]:
    return (
        sum((row[0] for row in rows), Decimal(0)),
        sum((row[1] for row in rows), Decimal(0)),
        sum((row[2] for row in rows), Decimal(0)),
    )


@pytest.mark.parametrize(
    ("imponibile", "aliquota", "iva"),
    [
        ("0.50", "1", "0.01"),  # 0,005: half a cent goes up
        ("0.75", "22", "0.17"),  # 0,165
        ("0.01", "49.9999", "0.00"),  # 0,00499999: under half a cent
        ("294105.57", "4", "11764.22"),  # the document's nursery line
    ],
)
def test_vat_by_hand(imponibile: str, aliquota: str, iva: str) -> None:
    """The tests' own VAT rounds as the document does (checked against hand figures)."""
    assert str(vat_by_hand(Decimal(imponibile), Decimal(aliquota))) == iva


@PROPERTY
@given(agreements())
def test_lines_add_up_to_ambito_and_grand_totals(generated: Generated) -> None:
    """Every line is fee × months (or its sum) plus its VAT, rate × taxable rounded half
    up to the cent exactly; each ambito is the sum of its lines; the grand total the
    sum of the ambiti: all worked out from the generated inputs, not by the program."""
    result = totali(load(generated))
    want = expected(generated)
    assert [ambito.numero for ambito in result.ambiti] == generated.numeri
    for ambito, lines, totals in zip(result.ambiti, want.lines, want.ambiti, strict=True):
        assert [(r.imponibile, r.iva, r.totale) for r in ambito.righe] == lines
        assert all(decimal_places(r.iva) == 2 for r in ambito.righe)
        assert (ambito.imponibile, ambito.iva, ambito.totale) == totals
    assert (result.imponibile, result.iva, result.totale) == want.grand


@PROPERTY
@given(agreements(with_nido=True))
def test_nursery_fee_never_falls_as_enrolment_rises(generated: Generated) -> None:
    """Below the lowest tier with a fee there is none (renegotiation); from there up,
    one more child never makes the monthly fee or the year's total smaller."""
    agreement = load(generated)
    first_fee = min(low for low, _, fee in generated.fasce if fee is not None)
    highest = max(low for low, _, _ in generated.fasce)
    previous: tuple[Decimal, Decimal] | None = None
    for iscritti in range(highest + 3):
        quote = preventivo_nido(agreement, iscritti)
        if iscritti < first_fee:
            assert isinstance(quote, Rimodulazione)
            continue
        assert isinstance(quote, Preventivo)
        assert quote.fascia.iscritti_min <= iscritti
        assert quote.imponibile == quote.canone_mensile * quote.mensilita
        if previous is not None:
            assert (quote.canone_mensile, quote.totale) >= previous
        previous = (quote.canone_mensile, quote.totale)


@PROPERTY
@given(agreements())
def test_declared_figures_worked_out_by_hand_all_agree(generated: Generated) -> None:
    """Declare every figure the document could state, each worked out from the inputs
    by the test (VAT in whole numbers, sums, the ratio to two decimals): `check` finds
    every one agreeing. A miscalculation of the program, however consistent, would
    differ from them."""
    want = expected(generated)
    declared = 0
    for ambito, lines, totals in zip(
        generated.data["ambiti"], want.lines, want.ambiti, strict=True
    ):
        for servizio, (base, tax, total) in zip(ambito["servizi"], lines, strict=True):
            servizio["dichiarato"] = {
                "imponibile": str(base),
                "iva": str(tax),
                "totale": str(total),
            }
        ambito["dichiarato"] = {"imponibile": str(totals[0]), "totale": str(totals[2])}
        declared += 3 * len(lines) + 2
    resources = {numero: sum(values, Decimal(0)) for numero, values in generated.items.items()}
    for ambito in generated.data["ambiti"]:
        numero = int(ambito["numero"])
        if numero in resources:
            ambito["risorse_consorzio"]["dichiarato_totale"] = str(resources[numero])
            declared += 1
    base, tax, total = want.grand
    generated.data["sintesi"] = {
        "dichiarato": {"imponibile": str(base), "iva": str(tax), "totale": str(total)}
    }
    declared += 3
    totale_risorse = sum(resources.values(), Decimal(0))
    totale_quote = sum(generated.shares.values(), Decimal(0))
    table: dict[str, Any] = {
        "per_ambito": {str(n): str(value) for n, value in sorted(resources.items())},
        "quote_1_percento": {str(n): str(value) for n, value in sorted(generated.shares.items())},
        "totale_risorse": str(totale_risorse),
        "totale_quote": str(totale_quote),
        "totale": str(totale_risorse + totale_quote),
    }
    table = {key: value for key, value in table.items() if value != {}}
    declared += len(resources) + len(generated.shares) + 3
    if base:
        percentuale = percent_by_hand(totale_risorse + totale_quote, base)
        if percentuale <= HUNDRED:
            table["percentuale"] = str(percentuale)
            declared += 1
    if generated.fasce:
        declared += 1  # the full fee equals the fee line's: generated so
    generated.data["risorse_consorzio"] = {"dichiarato": _flow_mappings(table)}

    checks = run_checks(load(generated)).checks
    assert len(checks) == declared
    assert [c for c in checks if c.esito is not Esito.CONCORDA] == []


def _flow_mappings(table: dict[str, Any]) -> dict[str, Any]:
    """The closing table's per-ambito figures as `{1: 5540.00, 3: 9000.00}`, as the
    embedded agreement writes them."""
    return {
        key: "{" + ", ".join(f"{k}: {v}" for k, v in value.items()) + "}"
        if isinstance(value, dict)
        else value
        for key, value in table.items()
    }


@st.composite
def amended_agreements(draw: st.DrawFn) -> Generated:
    """A valid agreement whose fee lines have codes, with up to three amendments of
    them: a fee, a count of months with the months, a sum, a rate, months of a sum."""
    generated = draw(agreements())
    lines: list[tuple[str, dict[str, Any]]] = []
    for a, ambito in enumerate(generated.data["ambiti"]):
        for n, servizio in enumerate(ambito["servizi"]):
            servizio["codice"] = f"voce-{a}-{n}"
            lines.append((servizio["codice"], servizio))
    year = int(generated.data["documento"]["anno"].strip("'\""))
    variazioni = []
    for number in range(draw(st.integers(0, 3))):
        codice, servizio = draw(st.sampled_from(lines))
        day = draw(st.dates(date(year, 1, 1), date(year, 12, 31)))
        change: dict[str, Any] = {"data": day.isoformat(), "atto": f"atto {number}"}
        change["servizio"] = codice
        months = sorted(draw(st.sets(st.integers(1, 12), min_size=1)))
        if "canone_mensile" in servizio:
            what = draw(st.sampled_from(["canone_mensile", "mesi", "aliquota_iva"]))
        else:
            what = draw(st.sampled_from(["importo", "mesi", "aliquota_iva"]))
        if what in ("canone_mensile", "importo"):
            change[what] = draw(amounts())[1]
        elif what == "aliquota_iva":
            change[what] = draw(rates())[1]
        else:
            if "canone_mensile" in servizio:
                change["mensilita"] = str(len(months))
            change["mesi"] = "[" + ", ".join(str(m) for m in months) + "]"
        variazioni.append(change)
    if variazioni:
        generated.data["variazioni"] = variazioni
    return generated


@settings(PROPERTY, max_examples=75)  # two files loaded per example
@given(amended_agreements(), st.booleans())
def test_every_draft_loads(generated: Generated, declared: bool) -> None:
    """`bozza` writes what its own loader reads back: the amendments folded in, the
    same figures, and, with the declared figures filled in, a file `check` passes
    (unless an amendment changed the nursery's line, whose tiers no amendment changes:
    its full fee then differs from the highest tier's, as `check` says)."""
    from crema_budget.agreement.versions import amended
    from crema_budget.agreement.writer import draft

    try:
        source = load(generated)
    except DataError:
        assume(False)
        raise
    folded = amended(source)
    text = draft(folded.agreement, 2017, declared, "generated.yaml", len(folded.applicate))
    back = parse_agreement(text, "bozza.yaml")
    assert back.variazioni == ()
    assert totali(back) == totali(folded.agreement)
    assert risorse(back).totale == risorse(folded.agreement).totale
    nursery_amended = source.nido is not None and any(
        a.ambito == source.nido.ambito and a.prima == compute.nido_servizio(source)
        for a in folded.applicate
    )
    if declared and not nursery_amended:
        assert run_checks(back).ok


# --- Figures: read exactly as written, or refused ---------------------------------------------

FIGURE_TEXT = st.one_of(
    st.text(alphabet="0123456789.,-+e%€ _'", max_size=20),
    st.text(max_size=20),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.floats().map(repr),
    st.integers().map(str),
)


def read_or_refuse(parse: Callable[[str], T], text: str) -> T | None:
    """What ``parse`` reads from ``text``, or None if it refuses it with a message."""
    try:
        return parse(text)
    except ValueProblem as problem:
        message = str(problem)
    assert message
    return None


@PROPERTY
@given(FIGURE_TEXT)
def test_amount_is_read_exactly_or_refused(text: str) -> None:
    """An amount is the very number written, 0 to 12 digits and at most two decimals,
    or a ValueProblem with a message: never a different number, never another error."""
    value = read_or_refuse(parse_amount, text)
    if value is None:
        return
    assert value == Decimal(text)
    assert value >= 0
    assert decimal_places(Decimal(text)) <= 2
    assert len(text.split(".")[0]) <= MAX_INTEGER_DIGITS
    assert text.isascii()
    assert text == text.strip()


@PROPERTY
@given(FIGURE_TEXT)
def test_rate_is_read_exactly_or_refused(text: str) -> None:
    value = read_or_refuse(parse_rate, text)
    if value is None:
        return
    assert value == Decimal(text)
    assert 0 <= value <= HUNDRED
    assert decimal_places(value) <= 4
    assert text.isascii()
    assert not (len(text) > 1 and text[0] == "0" and text[1] != ".")  # no octal-looking 012


@PROPERTY
@given(FIGURE_TEXT)
def test_count_is_read_exactly_or_refused(text: str) -> None:
    value = read_or_refuse(parse_whole, text)
    if value is None:
        return
    assert str(value) == text  # no sign, no leading zero, no spaces: the same digits


# --- Garbage in: the tool's own error out ------------------------------------------------------


def parses_or_refuses(text: str) -> None:
    """Loading ``text`` gives an agreement or a DataError whose problems can be printed."""
    try:
        parse_agreement(text, "garbage.yaml")
    except DataError as error:
        problems, message = error.problems, str(error)
    else:
        return
    assert problems
    assert message.startswith("garbage.yaml")


@PROPERTY
@given(st.text(max_size=400))
def test_any_text(text: str) -> None:
    parses_or_refuses(text)


@PROPERTY
@given(st.text(alphabet="{}[]-:,&*!|>'\"#%@`? \n\tab01.~", max_size=200))
def test_any_text_of_yaml_punctuation(text: str) -> None:
    parses_or_refuses(text)


SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=20),
)
KEYS = st.one_of(
    st.sampled_from(
        [
            "documento",
            "ambiti",
            "nido",
            "servizi",
            "numero",
            "titolo",
            "voce",
            "importo",
            "canone_mensile",
            "mensilita",
            "aliquota_iva",
            "fasce",
            "iscritti_min",
            "iscritti_max",
            "rimodulazione",
            "dichiarato",
            "<<",
        ]
    ),
    st.text(max_size=10),
)
STRUCTURES = st.recursive(
    SCALARS,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(KEYS, children, max_size=4),
    max_leaves=30,
)


@PROPERTY
@given(st.dictionaries(KEYS, STRUCTURES, max_size=5), st.booleans())
@example(data={"[key]": None}, flow=False)  # Pydantic's own marker for a mapping's key
def test_any_yaml_structure(data: dict[str, Any], flow: bool) -> None:
    parses_or_refuses(yaml.safe_dump(data, default_flow_style=flow, allow_unicode=True))


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A file to write bytes into (module-scoped: Hypothesis reruns the test body)."""
    return tmp_path_factory.mktemp("garbage") / "garbage.yaml"


@PROPERTY
@given(raw=st.binary(max_size=300))
def test_any_bytes(raw: bytes, scratch: Path) -> None:
    """Bytes from disk (read_text decodes them) or not valid UTF-8 at all (lone surrogates)."""
    scratch.write_bytes(raw)
    try:
        text = decode(read_file(scratch), str(scratch))
    except DataError as error:
        refusal = str(error)
    else:
        refusal = ""
        parses_or_refuses(text)
    # short bytes are refused only for their encoding, or as the binary file they are
    assert refusal == "" or "UTF" in refusal or "non un file di dati" in refusal
    parses_or_refuses(raw.decode("utf-8", "surrogateescape"))


@PROPERTY
@given(agreements(), st.data())
def test_valid_agreement_with_one_line_spoiled(generated: Generated, data: st.DataObject) -> None:
    """A valid file with one line's value replaced by something figure-like or deleted:
    either still valid or refused, never a crash in the checks that span fields."""
    lines = generated.text().splitlines()
    index = data.draw(st.integers(0, len(lines) - 1))
    key, colon, _ = lines[index].partition(": ")
    junk = data.draw(
        st.one_of(
            FIGURE_TEXT.map(label),
            FIGURE_TEXT,
            st.sampled_from(
                [
                    "",
                    "~",
                    "[]",
                    "{}",
                    "0",
                    "-1",
                    "13",
                    "100",
                    "101",
                    "true",
                    "*x",
                    "&x 1",
                    "!!str 1",
                ]
            ),
        )
    )
    if data.draw(st.booleans()) and colon:
        lines[index] = f"{key}: {junk}"
    else:
        del lines[index]
    parses_or_refuses("\n".join(lines) + "\n")
