"""The data format: the signed document as validated Pydantic models.

Inputs (fees, months, VAT rates, the consortium's items, the 1% shares, the
nursery tiers) are kept apart from what the document *declares* as results
(the ``dichiarato`` blocks), which only :mod:`crema_budget.checks` reads.

Figures are read from their YAML text by the strict parsers in
:mod:`crema_budget.money`: the loader hands every scalar over as text, so a
YAML float never stands between the file and the ``Decimal``.
"""

# No `from __future__ import annotations` here: Pydantic reads these annotations
# when the classes are built; real objects spare an eval() per field at every start-up.

import math
from collections.abc import Callable
from decimal import Decimal
from typing import Annotated, Any, TypeVar

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PlainValidator,
    WithJsonSchema,
    model_validator,
)
from pydantic_core import PydanticCustomError

from crema_budget.money import (
    MAX_INTEGER_DIGITS,
    MAX_RATE_DECIMALS,
    MAX_WHOLE_DIGITS,
    ValueProblem,
    parse_amount,
    parse_rate,
    parse_whole,
)

T = TypeVar("T")


def _strict(parse: Callable[[str], T], kind: str) -> Callable[[object], T]:
    """A validator that reads text with ``parse`` and accepts exact numbers only."""

    def validate(value: object) -> T:
        if isinstance(value, bool):
            raise PydanticCustomError(kind, f"{value!r} is a yes/no value, not {kind}")
        if isinstance(value, float):
            raise PydanticCustomError(
                kind, "floating-point numbers are not exact; give the figure as text or Decimal"
            )
        if isinstance(value, int | Decimal):
            value = str(value)
        if not isinstance(value, str):
            raise PydanticCustomError(kind, f"expected {kind}, got a {_describe(value)}")
        try:
            return parse(value)
        except ValueProblem as problem:
            raise PydanticCustomError(kind, str(problem)) from None

    return validate


def _describe(value: object) -> str:
    if value is None:
        return "blank value"
    if isinstance(value, dict):
        return "mapping (key: value lines)"
    if isinstance(value, list):
        return "list"
    return type(value).__name__


_AMOUNT_PATTERN = rf"^(0|[1-9][0-9]{{0,{MAX_INTEGER_DIGITS - 1}}})(\.[0-9]{{1,2}})?$"
_AMOUNT_SCHEMA: dict[str, Any] = {
    "description": "Euros, a dot before the cents, no thousands separator: 26736.87",
    "anyOf": [
        {"type": "number", "minimum": 0, "multipleOf": 0.01},
        {"type": "string", "pattern": _AMOUNT_PATTERN},
    ],
}
_RATE_SCHEMA: dict[str, Any] = {
    "description": "A percentage from 0 to 100: 4, 22, 7.5",
    "anyOf": [
        {"type": "number", "minimum": 0, "maximum": 100},
        {
            "type": "string",
            "pattern": rf"^(0|[1-9][0-9]{{0,2}})(\.[0-9]{{1,{MAX_RATE_DECIMALS}}})?$",
        },
    ],
}
_WHOLE_SCHEMA: dict[str, Any] = {
    "anyOf": [
        {"type": "integer", "minimum": 0},
        {"type": "string", "pattern": rf"^(0|[1-9][0-9]{{0,{MAX_WHOLE_DIGITS - 1}}})$"},
    ],
}

Amount = Annotated[
    Decimal, PlainValidator(_strict(parse_amount, "an amount")), WithJsonSchema(_AMOUNT_SCHEMA)
]
Rate = Annotated[
    Decimal, PlainValidator(_strict(parse_rate, "a percentage")), WithJsonSchema(_RATE_SCHEMA)
]
Whole = Annotated[
    int, PlainValidator(_strict(parse_whole, "a whole number")), WithJsonSchema(_WHOLE_SCHEMA)
]
Label = Annotated[str, Field(min_length=1, max_length=300)]


def _months(text: str) -> int:
    months = parse_whole(text)
    if not 1 <= months <= 12:
        raise ValueProblem(f"a year has 12 months: write 1 to 12 (got {months})")
    return months


Months = Annotated[
    int,
    PlainValidator(_strict(_months, "a number of months")),
    WithJsonSchema({"type": "integer", "minimum": 1, "maximum": 12}),
]


def _yes_no(value: object) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in {"true", "false"}:
        return value.strip().lower() == "true"
    raise PydanticCustomError("yes_no", "write true or false")


YesNo = Annotated[bool, PlainValidator(_yes_no), WithJsonSchema({"type": "boolean"})]


class Record(BaseModel):
    """Base of every part of the format: immutable, and unknown keys are errors."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Dichiarato(Record):
    """Figures the document states for a fee line or an ambito."""

    imponibile: Amount | None = None
    iva: Amount | None = None
    totale: Amount | None = None


class Servizio(Record):
    """A municipal fee line: a monthly fee for some months, or a sum for a period."""

    voce: Label
    canone_mensile: Amount | None = None
    mensilita: Months | None = None
    importo: Amount | None = None
    periodo: Label | None = None
    aliquota_iva: Rate
    dichiarato: Dichiarato = Dichiarato()

    @model_validator(mode="after")
    def _one_way_of_charging(self) -> "Servizio":
        monthly = self.canone_mensile is not None or self.mensilita is not None
        if monthly and self.importo is not None:
            raise ValueError(
                "give either canone_mensile with mensilita, or importo for the period, not both"
            )
        if monthly and (self.canone_mensile is None or self.mensilita is None):
            missing = "mensilita" if self.mensilita is None else "canone_mensile"
            raise ValueError(
                f"a monthly fee needs both canone_mensile and mensilita; add {missing}"
            )
        if not monthly and self.importo is None:
            raise ValueError("missing the fee: add canone_mensile with mensilita, or importo")
        return self


class DaDefinire(Record):
    """An item the document leaves open (shown as to be defined, never counted as zero)."""

    voce: Label
    aliquota_iva: Rate | None = None


class VoceRisorsa(Record):
    """One item of the consortium's own extra resources."""

    voce: Label
    importo: Amount


class RisorseAmbito(Record):
    """The consortium's extra resources for one ambito, item by item."""

    voci: Annotated[list[VoceRisorsa], Field(min_length=1)]
    dichiarato_totale: Amount | None = None


class Ambito(Record):
    """One service area: its fee lines, open items and the consortium's resources."""

    numero: Annotated[Whole, Field(ge=1)]
    titolo: Label
    servizi: list[Servizio] = []
    da_definire: list[DaDefinire] = []
    dichiarato: Dichiarato = Dichiarato()
    risorse_consorzio: RisorseAmbito | None = None
    quota_1_percento: Amount | None = None


class Fascia(Record):
    """A nursery tier: a range of enrolled children and its monthly fee."""

    iscritti_min: Whole
    iscritti_max: Whole | None = None
    canone_mensile: Amount | None = None
    rimodulazione: YesNo = False

    @model_validator(mode="after")
    def _range_and_fee(self) -> "Fascia":
        if self.iscritti_max is not None and self.iscritti_max < self.iscritti_min:
            raise ValueError(
                f"iscritti_max ({self.iscritti_max}) is below iscritti_min ({self.iscritti_min})"
            )
        if self.rimodulazione == (self.canone_mensile is not None):
            raise ValueError("a tier has either canone_mensile or rimodulazione: true")
        return self


class Nido(Record):
    """The nursery's fee by enrolment; mensilità and VAT come from its fee line."""

    ambito: Whole
    servizio: Annotated[Whole, Field(ge=1)]
    fasce: Annotated[list[Fascia], Field(min_length=1)]


class DichiaratoSintesi(Record):
    """The totals row of the economic summary table."""

    imponibile: Amount | None = None
    iva: Amount | None = None
    totale: Amount | None = None


class Sintesi(Record):
    dichiarato: DichiaratoSintesi = DichiaratoSintesi()


class DichiaratoRisorse(Record):
    """The closing table of the consortium's resources, as the document states it."""

    per_ambito: dict[Whole, Amount] = {}
    quote_1_percento: dict[Whole, Amount] = {}
    totale_risorse: Amount | None = None
    totale_quote: Amount | None = None
    totale: Amount | None = None
    percentuale: Rate | None = None


class RisorseConsorzio(Record):
    dichiarato: DichiaratoRisorse = DichiaratoRisorse()


class Documento(Record):
    titolo: Label
    comune: Label
    consorzio: Label
    anno: Annotated[Whole, Field(ge=1900, le=2200)]


class Agreement(Record):
    """A whole agreement: one year's negotiation schedules."""

    documento: Documento
    ambiti: Annotated[list[Ambito], Field(min_length=1)]
    nido: Nido | None = None
    sintesi: Sintesi = Sintesi()
    risorse_consorzio: RisorseConsorzio = RisorseConsorzio()


Location = tuple[str | int, ...]


def consistency_problems(agreement: Agreement) -> list[tuple[Location, str]]:
    """Problems that span several fields, each with the path of the field to fix.

    Kept out of the validators so that each problem points at its own line.
    """
    problems: list[tuple[Location, str]] = []
    seen: dict[int, int] = {}
    for index, ambito in enumerate(agreement.ambiti):
        if ambito.numero in seen:
            problems.append(
                (
                    ("ambiti", index, "numero"),
                    f"ambito {ambito.numero} appears twice (also ambiti[{seen[ambito.numero]}])",
                )
            )
        seen[ambito.numero] = index
        if not ambito.servizi and not ambito.da_definire:
            problems.append((("ambiti", index), "an ambito needs at least one entry in servizi"))
    dichiarato = agreement.risorse_consorzio.dichiarato
    for key, table in (
        ("per_ambito", dichiarato.per_ambito),
        ("quote_1_percento", dichiarato.quote_1_percento),
    ):
        for numero in table:
            if numero not in seen:
                problems.append(
                    (
                        ("risorse_consorzio", "dichiarato", key, str(numero), "[key]"),
                        f"there is no ambito {numero}",
                    )
                )
    if agreement.nido is not None:
        problems.extend(_nido_problems(agreement, seen))
    return problems


def _nido_problems(agreement: Agreement, seen: dict[int, int]) -> list[tuple[Location, str]]:
    nido = agreement.nido
    assert nido is not None
    problems: list[tuple[Location, str]] = []
    if nido.ambito not in seen:
        return [(("nido", "ambito"), f"there is no ambito {nido.ambito}")]
    servizi = agreement.ambiti[seen[nido.ambito]].servizi
    if nido.servizio > len(servizi):
        return [
            (
                ("nido", "servizio"),
                f"ambito {nido.ambito} has {len(servizi)} fee line(s); servizio counts from 1",
            )
        ]
    if servizi[nido.servizio - 1].mensilita is None:
        problems.append(
            (
                ("nido", "servizio"),
                "the nursery's fee line must be a monthly fee (canone_mensile, mensilita)",
            )
        )
    fasce = nido.fasce
    # Walk the tiers from the lowest enrolment up; each must start right after
    # the highest number the tiers below it cover, so that every number of
    # children falls in exactly one tier.
    order = sorted(range(len(fasce)), key=lambda i: (fasce[i].iscritti_min, _top(fasce[i])))
    covered: float = -1  # highest enrolment covered so far (math.inf: all of them)
    reaching = -1  # index of the tier that reaches `covered`
    fee_below: tuple[int, Decimal] | None = None  # the nearest tier below with a fee
    for index in order:
        fascia = fasce[index]
        where: Location = ("nido", "fasce", index)
        if fascia.iscritti_min > covered + 1:
            gap = _children(int(covered) + 1, fascia.iscritti_min - 1)
            problems.append(((*where, "iscritti_min"), f"no tier covers {gap} enrolled children"))
        elif fascia.iscritti_min <= covered:
            other = fasce[reaching]
            problems.append(
                (
                    (*where, "iscritti_min"),
                    f"this tier ({_children(fascia.iscritti_min, fascia.iscritti_max)}) overlaps "
                    f"fasce[{reaching}] ({_children(other.iscritti_min, other.iscritti_max)}); "
                    "each number of children must fall in exactly one tier",
                )
            )
        fee = fascia.canone_mensile
        if fee is not None:
            if fee_below is not None and fee < fee_below[1]:
                problems.append(
                    (
                        (*where, "canone_mensile"),
                        f"the fee falls as enrolment rises: fasce[{fee_below[0]}], with fewer "
                        f"children, charges {fee_below[1]}",
                    )
                )
            fee_below = (index, fee)
        elif fee_below is not None:
            problems.append(
                (
                    (*where, "rimodulazione"),
                    "a tier without a fee (rimodulazione) must lie below every tier with a fee",
                )
            )
        if _top(fascia) > covered:
            covered, reaching = _top(fascia), index
    if covered != math.inf:
        problems.append(
            (
                ("nido", "fasce", reaching, "iscritti_max"),
                f"no tier covers more than {int(covered)} children; "
                "leave iscritti_max out of the highest tier",
            )
        )
    elif fee_below is None:
        problems.append((("nido", "fasce"), "no tier has a fee (canone_mensile)"))
    return problems


def _top(fascia: Fascia) -> float:
    """The highest enrolment a tier covers; infinity when it is open."""
    return math.inf if fascia.iscritti_max is None else fascia.iscritti_max


def _children(low: int, high: int | None) -> str:
    if high is None:
        return f"{low} or more"
    return str(low) if low == high else f"{low}–{high}"
