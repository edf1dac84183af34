"""The data file's format as Pydantic models: what a valid file holds.

Each model mirrors a part of the YAML file and validates it field by field;
:func:`consistency_problems` adds the rules that span fields, and
:func:`to_model` turns a valid file into the program's own records
(:mod:`crema_budget.agreement.model`), which is all the rest of the program sees.

Figures are read from their YAML text by the strict parsers in
:mod:`crema_budget.money`: the loader hands every scalar over as text, so a
YAML float never stands between the file and the ``Decimal``.
"""

# No `from __future__ import annotations` here: Pydantic reads these annotations
# when the classes are built; real objects spare an eval() per field at every start-up.

import contextlib
import difflib
import math
import os
import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Annotated, Any, NamedTuple, TypeVar

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PlainValidator,
    WithJsonSchema,
    model_validator,
)
from pydantic_core import PydanticCustomError

from crema_budget.agreement import model
from crema_budget.i18n import N_, _, ngettext
from crema_budget.money import (
    MAX_INTEGER_DIGITS,
    MAX_RATE_DECIMALS,
    MAX_WHOLE_DIGITS,
    ValueProblem,
    parse_amount,
    parse_rate,
    parse_whole,
)

# On its first model Pydantic looks through every installed package for plugins
# (observability hooks): 3 to 4 ms of a first run, for hooks with nothing to watch in
# a command-line run. Someone who sets the variable keeps their own choice.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")

T = TypeVar("T")


def _strict(parse: Callable[[str], T], kind: str) -> Callable[[object], T]:
    """A validator that reads text with ``parse`` and accepts exact numbers only.

    ``kind`` names what is expected (marked with ``N_``, translated when shown).
    """

    def validate(value: object) -> T:
        if isinstance(value, bool):
            raise PydanticCustomError(
                "figure",
                _("{value} is a yes/no value, not {kind}").format(value=repr(value), kind=_(kind)),
            )
        if isinstance(value, float):
            raise PydanticCustomError(
                "figure",
                _("floating-point numbers are not exact; give the figure as text or Decimal"),
            )
        if isinstance(value, int | Decimal):
            value = str(value)
        if not isinstance(value, str):
            raise PydanticCustomError(
                "figure",
                _("expected {kind}, not {what}").format(kind=_(kind), what=_describe(value)),
            )
        try:
            return parse(value)
        except ValueProblem as problem:
            raise PydanticCustomError("figure", str(problem)) from None

    return validate


def _describe(value: object) -> str:
    if value is None:
        return _("a blank value")
    if isinstance(value, dict):
        return _("a mapping (key: value lines)")
    if isinstance(value, list):
        return _("a list")
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
    Decimal,
    PlainValidator(_strict(parse_amount, N_("an amount"))),
    WithJsonSchema(_AMOUNT_SCHEMA),
]
Rate = Annotated[
    Decimal,
    PlainValidator(_strict(parse_rate, N_("a percentage"))),
    WithJsonSchema(_RATE_SCHEMA),
]
Whole = Annotated[
    int,
    PlainValidator(_strict(parse_whole, N_("a whole number"))),
    WithJsonSchema(_WHOLE_SCHEMA),
]
Label = Annotated[str, Field(min_length=1, max_length=300)]


def _month(text: str) -> int:
    month = parse_whole(text)
    if not 1 <= month <= 12:
        raise ValueProblem(_("a year has 12 months: write 1 to 12 (got {n})").format(n=month))
    return month


Months = Annotated[
    int,
    PlainValidator(_strict(_month, N_("a number of months"))),
    WithJsonSchema({"type": "integer", "minimum": 1, "maximum": 12}),
]
Month = Annotated[
    int,
    PlainValidator(_strict(_month, N_("a month (1 to 12)"))),
    WithJsonSchema({"type": "integer", "minimum": 1, "maximum": 12}),
]

#: A fee line's code: lower-case letters and digits, words joined by hyphens.
CODICE_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
_CODICE = re.compile(CODICE_PATTERN)


def _codice(value: object) -> str:
    if not isinstance(value, str) or not value:
        raise PydanticCustomError("codice", _("expected a code such as nido or pre-post"))
    if len(value) > 40 or not _CODICE.match(value):
        suggestion = re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-")[:40]
        raise PydanticCustomError(
            "codice",
            _(
                "{value} is not a code: use lower-case letters and digits, words joined "
                "by hyphens (e.g. {suggestion})"
            ).format(value=repr(value[:60]), suggestion=suggestion or "pre-post"),
        )
    return value


Codice = Annotated[
    str,
    PlainValidator(_codice),
    WithJsonSchema({"type": "string", "pattern": CODICE_PATTERN, "maxLength": 40}),
]


def _yes_no(value: object) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in {"true", "false"}:
        return value.strip().lower() == "true"
    raise PydanticCustomError("yes_no", _("write true or false"))


YesNo = Annotated[bool, PlainValidator(_yes_no), WithJsonSchema({"type": "boolean"})]


_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})", re.ASCII)
#: A date written the Italian way (30/06/2016, 30.6.2016), to say how to write it.
_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", re.ASCII)


def parse_day(value: object) -> date:
    """A date written ``2016-02-05``."""
    if isinstance(value, date):
        return value
    text = value if isinstance(value, str) else ""
    match = _DATE.fullmatch(text.strip())
    if match:
        try:
            return date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            message = _("{value} is not a day of the calendar: check the month and the day")
            raise PydanticCustomError("date", message.format(value=repr(value))) from None
    italian = _DAY_MONTH_YEAR.fullmatch(text.strip())
    if italian:
        day, month, year = (int(part) for part in italian.groups())
        iso = None
        with contextlib.suppress(ValueError):  # (a PydanticCustomError is a ValueError)
            iso = date(year, month, day).isoformat()
        if iso is not None:
            message = _("write {value} as {iso}: year, month and day, joined by hyphens")
            raise PydanticCustomError("date", message.format(value=repr(value), iso=iso))
    raise PydanticCustomError(
        "date", _("{value} is not a date; write it as 2016-02-05").format(value=repr(value))
    )


Day = Annotated[
    date,
    PlainValidator(parse_day),
    WithJsonSchema({"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}),
]


def _tipo(value: object) -> str:
    if isinstance(value, str) and value in model.TIPI:
        return value
    raise PydanticCustomError(
        "tipo",
        _(
            "write the kind of line: annuale (the whole year), mensile (a monthly fee), "
            "stagionale (a season) or una_tantum (one day)"
        ),
    )


#: A fee line's kind: how it falls due over the year (:mod:`crema_budget.year.dovuto`).
Tipo = Annotated[str, PlainValidator(_tipo), WithJsonSchema({"enum": list(model.TIPI)})]


class Record(BaseModel):
    """Base of every part of the format: immutable, and unknown keys are errors."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Dichiarato(Record):
    """Figures the document states for a fee line or an ambito."""

    imponibile: Amount | None = None
    iva: Amount | None = None
    totale: Amount | None = None


class Rata(Record):
    """An instalment of a sum: the month it falls due and its amount."""

    mese: Month
    importo: Amount


class Servizio(Record):
    """A municipal fee line: a monthly fee for some months, or a sum for a period."""

    codice: Codice | None = None
    voce: Label
    canone_mensile: Amount | None = None
    mensilita: Months | None = None
    importo: Amount | None = None
    periodo: Label | None = None
    aliquota_iva: Rate
    mesi: Annotated[list[Month], Field(min_length=1, max_length=12)] | None = None
    rate: Annotated[list[Rata], Field(min_length=1, max_length=12)] | None = None
    tipo: Tipo | None = None
    giorno: Day | None = None
    dichiarato: Dichiarato = Dichiarato()

    @model_validator(mode="after")
    def _one_way_of_charging(self) -> "Servizio":
        monthly = self.canone_mensile is not None or self.mensilita is not None
        if monthly and self.importo is not None:
            raise ValueError(
                _("give either canone_mensile with mensilita, or importo for the period, not both")
            )
        if monthly and (self.canone_mensile is None or self.mensilita is None):
            missing = "mensilita" if self.mensilita is None else "canone_mensile"
            raise ValueError(
                _("a monthly fee needs both canone_mensile and mensilita; add {field}").format(
                    field=missing
                )
            )
        if not monthly and self.importo is None:
            raise ValueError(_("missing the fee: add canone_mensile with mensilita, or importo"))
        return self


class DaDefinire(Record):
    """An item the document leaves open (shown as to be defined, never counted as zero)."""

    codice: Codice | None = None
    voce: Label
    aliquota_iva: Rate | None = None
    tipo: Tipo | None = None


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
                _("iscritti_max ({high}) is below iscritti_min ({low})").format(
                    high=self.iscritti_max, low=self.iscritti_min
                )
            )
        if self.rimodulazione == (self.canone_mensile is not None):
            raise ValueError(_("a tier has either canone_mensile or rimodulazione: true"))
        return self


def _nido_servizio(value: object) -> int | str:
    """A fee line's code, or (with ``ambito``) its position in the ambito from 1."""
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if isinstance(value, str) and value.isascii() and value.isdigit():
        number = _strict(parse_whole, N_("a whole number"))(value)
        if number < 1:
            raise PydanticCustomError("servizio", _("fee lines are counted from 1"))
        return number
    return _codice(value)


class Nido(Record):
    """The nursery's fee by enrolment; mensilità and VAT come from its fee line.

    ``servizio`` is the fee line's ``codice``, or its position (from 1) in the
    ambito named by ``ambito``.
    """

    ambito: Whole | None = None
    servizio: Annotated[
        int | str,
        PlainValidator(_nido_servizio),
        WithJsonSchema(
            {
                "anyOf": [
                    {"type": "string", "pattern": CODICE_PATTERN},
                    {"type": "integer", "minimum": 1},
                ]
            }
        ),
    ]
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


def _stato(value: object) -> str:
    if value in (model.FIRMATO, model.BOZZA):
        assert isinstance(value, str)
        return value
    raise PydanticCustomError(
        "stato",
        _("write {signed} (signed) or {draft} (a draft)").format(
            signed=model.FIRMATO, draft=model.BOZZA
        ),
    )


class Documento(Record):
    titolo: Label
    comune: Label
    consorzio: Label
    anno: Annotated[Whole, Field(ge=1900, le=2200)]
    stato: (
        Annotated[
            str,
            PlainValidator(_stato),
            WithJsonSchema({"enum": [model.FIRMATO, model.BOZZA]}),
        ]
        | None
    ) = None
    termine_pagamento: Annotated[Whole, Field(ge=1, le=365)] | None = None


class NuovoServizio(Servizio):
    """A fee line an amendment adds, to ``ambito``."""

    ambito: Whole
    codice: Codice  # required here: amendments name lines by it


class RisorsaVariata(Record):
    """A consortium item an amendment sets: the item with this ``voce`` in the ambito
    is replaced, or added if there is none."""

    ambito: Whole
    voce: Label
    importo: Amount


class Variazione(Record):
    """A dated amendment: the act that approved it, why, and the one thing it changes:
    a fee line or open item named by its ``codice`` (its fee, months, sum or VAT
    rate), a new fee line (``nuovo_servizio``) or a consortium item (``risorsa``)."""

    data: Day
    atto: Label
    motivo: Label | None = None
    servizio: Codice | None = None
    canone_mensile: Amount | None = None
    mensilita: Months | None = None
    importo: Amount | None = None
    aliquota_iva: Rate | None = None
    mesi: Annotated[list[Month], Field(min_length=1, max_length=12)] | None = None
    nuovo_servizio: NuovoServizio | None = None
    risorsa: RisorsaVariata | None = None
    giorno: Day | None = None

    @model_validator(mode="after")
    def _one_thing(self) -> "Variazione":
        targets = [self.servizio, self.nuovo_servizio, self.risorsa]
        if sum(target is not None for target in targets) != 1:
            raise ValueError(
                _("an amendment changes one thing: give servizio, nuovo_servizio or risorsa")
            )
        changes = [
            self.canone_mensile,
            self.mensilita,
            self.importo,
            self.aliquota_iva,
            self.mesi,
            self.giorno,
        ]
        if self.servizio is not None and all(change is None for change in changes):
            raise ValueError(
                _(
                    "say what changes: canone_mensile, mensilita, importo, aliquota_iva, mesi "
                    "or giorno"
                )
            )
        if self.servizio is None and any(change is not None for change in changes):
            raise ValueError(
                _("the figures of a new line or item go inside nuovo_servizio or risorsa")
            )
        return self


class Agreement(Record):
    """A whole agreement: one year's negotiation schedules."""

    documento: Documento
    ambiti: Annotated[list[Ambito], Field(min_length=1)]
    nido: Nido | None = None
    sintesi: Sintesi = Sintesi()
    risorse_consorzio: RisorseConsorzio = RisorseConsorzio()
    variazioni: Annotated[list[Variazione], Field(max_length=10_000)] = []


Location = tuple[str | int, ...]


def consistency_problems(agreement: Agreement) -> list[tuple[Location, str]]:
    """Problems that span several fields, each with the path of the field to fix.

    Kept out of the validators so that each problem points at its own line.
    """
    problems: list[tuple[Location, str]] = []
    seen: dict[int, int] = {}
    codici: dict[str, Location] = {}
    for index, ambito in enumerate(agreement.ambiti):
        if ambito.numero in seen:
            problems.append(
                (
                    ("ambiti", index, "numero"),
                    _("ambito {n} appears twice (also ambiti[{other}])").format(
                        n=ambito.numero, other=seen[ambito.numero]
                    ),
                )
            )
        seen[ambito.numero] = index
        if not ambito.servizi and not ambito.da_definire:
            problems.append(
                (
                    ("ambiti", index),
                    _("an ambito needs at least one entry in servizi or da_definire"),
                )
            )
        lines: list[tuple[Location, str | None]] = [
            (("ambiti", index, "servizi", n), s.codice) for n, s in enumerate(ambito.servizi)
        ]
        lines += [
            (("ambiti", index, "da_definire", n), d.codice)
            for n, d in enumerate(ambito.da_definire)
        ]
        for where, codice in lines:
            if codice is None:
                continue
            if codice in codici:
                problems.append(
                    (
                        (*where, "codice"),
                        _("the code {code} is already used by {other}").format(
                            code=codice, other=_dotted(codici[codice])
                        ),
                    )
                )
            else:
                codici[codice] = where
        for n, servizio in enumerate(ambito.servizi):
            problems.extend(_schedule_problems(servizio, ("ambiti", index, "servizi", n)))
            problems.extend(
                _kind_problems(servizio, ("ambiti", index, "servizi", n), agreement.documento.anno)
            )
        for n, open_item in enumerate(ambito.da_definire):
            if open_item.tipo == model.MENSILE:
                problems.append(
                    (
                        ("ambiti", index, "da_definire", n, "tipo"),
                        _(
                            "an open item becomes a sum (importo) when an amendment defines "
                            "it: write annuale, stagionale or una_tantum"
                        ),
                    )
                )
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
                        _("there is no ambito {n}").format(n=numero),
                    )
                )
    if agreement.nido is not None:
        problems.extend(_nido_problems(agreement, seen))
    amendments = _amendment_problems(agreement, codici, seen)
    amendments.extend(_amendment_kind_problems(agreement))
    problems.extend(amendments)
    if agreement.variazioni and not amendments:
        problems.extend(_applied_problems(agreement))
    return problems


def _kind_of(servizio: Servizio) -> str:
    """A line's kind: as written, else by its fee (a monthly fee, or a sum)."""
    if servizio.tipo is not None:
        return servizio.tipo
    return model.MENSILE if servizio.canone_mensile is not None else model.ANNUALE


def _kind_problems(servizio: Servizio, where: Location, year: int) -> list[tuple[Location, str]]:
    """A line's kind must fit its fee and its calendar (:mod:`crema_budget.year.dovuto`)."""
    problems: list[tuple[Location, str]] = []
    kind = _kind_of(servizio)
    monthly = servizio.canone_mensile is not None
    if kind == model.MENSILE and not monthly:
        problems.append(
            (
                (*where, "tipo"),
                _("a monthly fee (mensile) needs canone_mensile and mensilita, not importo"),
            )
        )
    elif kind != model.MENSILE and monthly:
        problems.append(
            (
                (*where, "tipo"),
                _("a line with canone_mensile is a monthly fee: write tipo: mensile"),
            )
        )
    if kind == model.UNA_TANTUM and (servizio.mesi is not None or servizio.rate is not None):
        field = "mesi" if servizio.mesi is not None else "rate"
        problems.append(
            (
                (*where, field),
                _(
                    "a one-off service (una_tantum) falls due on its day: give giorno, not {field}"
                ).format(field=field),
            )
        )
    if kind == model.STAGIONALE and servizio.rate is not None:
        problems.append(
            (
                (*where, "rate"),
                _("a seasonal service falls due over the months it runs (mesi), not in rate"),
            )
        )
    if servizio.giorno is not None:
        if kind != model.UNA_TANTUM:
            problems.append(
                (
                    (*where, "giorno"),
                    _("only a one-off service (tipo: una_tantum) has a giorno"),
                )
            )
        elif servizio.giorno.year != year:
            problems.append(((*where, "giorno"), _outside_year(servizio.giorno, year)))
    return problems


def _outside_year(day: date, year: int) -> str:
    return _("{date} is outside the agreement's year {year}").format(
        date=day.isoformat(), year=year
    )


def _amendment_kind_problems(agreement: Agreement) -> list[tuple[Location, str]]:
    """An amendment's day (giorno) is for a one-off service, its months (mesi) for any line
    but a one-off; a line an amendment adds follows the rules of every line."""
    year = agreement.documento.anno
    kinds: dict[str, str] = {}
    for ambito in agreement.ambiti:
        for servizio in ambito.servizi:
            if servizio.codice:
                kinds[servizio.codice] = _kind_of(servizio)
        for open_item in ambito.da_definire:
            if open_item.codice:
                kinds[open_item.codice] = open_item.tipo or model.ANNUALE
    problems: list[tuple[Location, str]] = []
    for index, v in enumerate(agreement.variazioni):
        where: Location = ("variazioni", index)
        if v.nuovo_servizio is not None:
            kinds[v.nuovo_servizio.codice] = _kind_of(v.nuovo_servizio)
            problems.extend(_kind_problems(v.nuovo_servizio, (*where, "nuovo_servizio"), year))
            continue
        kind = kinds.get(v.servizio or "")
        if kind is None:
            continue  # no such line: said by _amendment_problems
        if v.giorno is not None and kind != model.UNA_TANTUM:
            problems.append(
                ((*where, "giorno"), _("only a one-off service (tipo: una_tantum) has a giorno"))
            )
        elif v.giorno is not None and v.giorno.year != year:
            problems.append(((*where, "giorno"), _outside_year(v.giorno, year)))
        if v.mesi is not None and kind == model.UNA_TANTUM:
            problems.append(
                (
                    (*where, "mesi"),
                    _(
                        "a one-off service (una_tantum) falls due on its day: give giorno, "
                        "not {field}"
                    ).format(field="mesi"),
                )
            )
    return problems


def _amendment_problems(
    agreement: Agreement, codici: dict[str, Location], seen: dict[int, int]
) -> list[tuple[Location, str]]:
    """Each amendment must fall in the agreement's year and change something that
    exists, and no two may change the same thing on the same date."""
    problems: list[tuple[Location, str]] = []
    year = agreement.documento.anno
    lines = {s.codice: s for a in agreement.ambiti for s in a.servizi if s.codice}
    open_items = {d.codice: d for a in agreement.ambiti for d in a.da_definire if d.codice}
    added: dict[str, NuovoServizio] = {}
    changed: dict[tuple[object, ...], int] = {}
    for index, v in enumerate(agreement.variazioni):
        where: Location = ("variazioni", index)
        if v.data.year != year:
            problems.append(
                (
                    (*where, "data"),
                    _("the amendment is dated {date}, outside the agreement's year {year}").format(
                        date=v.data.isoformat(), year=year
                    ),
                )
            )
        if v.nuovo_servizio is not None:
            new = v.nuovo_servizio
            if new.codice in codici or new.codice in added:
                problems.append(
                    (
                        (*where, "nuovo_servizio", "codice"),
                        _("the code {code} is already used").format(code=new.codice),
                    )
                )
            if new.ambito not in seen:
                problems.append(
                    (
                        (*where, "nuovo_servizio", "ambito"),
                        _("there is no ambito {n}").format(n=new.ambito),
                    )
                )
            added[new.codice] = new
            thing: tuple[object, ...] = ("servizio", new.codice)
        elif v.risorsa is not None:
            if v.risorsa.ambito not in seen:
                problems.append(
                    (
                        (*where, "risorsa", "ambito"),
                        _("there is no ambito {n}").format(n=v.risorsa.ambito),
                    )
                )
            thing = ("risorsa", v.risorsa.ambito, v.risorsa.voce)
        else:
            assert v.servizio is not None
            thing = ("servizio", v.servizio)
            line = lines.get(v.servizio) or added.get(v.servizio)
            if line is None and v.servizio in open_items:
                if v.importo is None or v.canone_mensile is not None or v.mensilita is not None:
                    problems.append(
                        (
                            (*where, "servizio"),
                            _(
                                "{code} is still to be defined: the amendment gives it an importo"
                            ).format(code=v.servizio),
                        )
                    )
                elif v.aliquota_iva is None and open_items[v.servizio].aliquota_iva is None:
                    problems.append(((*where, "aliquota_iva"), _("missing; add `aliquota_iva:`")))
            elif line is None:
                known = sorted({*lines, *open_items, *added})
                close = difflib.get_close_matches(v.servizio, known, n=1)
                message = (
                    _("no fee line has the code {code}; did you mean {suggestion}?").format(
                        code=v.servizio, suggestion=close[0]
                    )
                    if close
                    else _("no fee line has the code {code}").format(code=v.servizio)
                )
                problems.append(((*where, "servizio"), message))
            else:
                monthly = line.canone_mensile is not None
                if monthly and v.importo is not None:
                    problems.append(
                        (
                            (*where, "importo"),
                            _("{code} is a monthly fee: change canone_mensile or mensilita").format(
                                code=v.servizio
                            ),
                        )
                    )
                if not monthly and (v.canone_mensile is not None or v.mensilita is not None):
                    problems.append(
                        (
                            (*where, "servizio"),
                            _("{code} is a sum for a period: change its importo").format(
                                code=v.servizio
                            ),
                        )
                    )
        same = changed.get((v.data, *thing))
        if same is not None:
            problems.append(
                (
                    where,
                    _(
                        "variazioni[{other}] changes the same thing on the same date; "
                        "make them one amendment"
                    ).format(other=same),
                )
            )
        changed.setdefault((v.data, *thing), index)
    return problems


def _applied_problems(agreement: Agreement) -> list[tuple[Location, str]]:
    """Amendments applied in turn, as :func:`crema_budget.agreement.versions.amended` applies
    them: a fee line an amendment leaves breaking the rules of a line (``mesi: [1]``
    on a line of 11 monthly fees) is a problem of that amendment, at its line.

    Only called when every amendment can apply (:func:`_amendment_problems`)."""
    from crema_budget.agreement.versions import Positions, apply

    ambiti = [_ambito(a) for a in agreement.ambiti]
    where = Positions(ambiti)
    order = sorted(range(len(agreement.variazioni)), key=lambda i: agreement.variazioni[i].data)
    problems: list[tuple[Location, str]] = []
    for index in order:
        v = agreement.variazioni[index]
        applied = apply(ambiti, _variazione(v), where)
        if not isinstance(applied.dopo, model.Servizio):
            continue
        for loc, message in _schedule_problems(applied.dopo, ()):
            problems.append(
                (
                    _amendment_field(index, v, str(loc[0])),
                    _(
                        "once applied, this amendment leaves the fee line {code} invalid: {problem}"
                    ).format(code=applied.chiave, problem=message),
                )
            )
    return problems


def _amendment_field(index: int, v: Variazione, field: str) -> Location:
    """Where in amendment ``index`` the problem of a line's ``field`` is to be fixed."""
    where: Location = ("variazioni", index)
    if v.nuovo_servizio is not None:
        stated = field in v.nuovo_servizio.model_fields_set
        return (*where, "nuovo_servizio", field) if stated else (*where, "nuovo_servizio")
    changes = {"mesi": v.mesi, "mensilita": v.mensilita, "importo": v.importo}
    if changes.get(field) is not None:
        return (*where, field)
    for name in ("mesi", "mensilita", "importo", "canone_mensile", "aliquota_iva"):
        if getattr(v, name) is not None:
            return (*where, name)
    return (*where, "servizio")


def _schedule_problems(
    servizio: Servizio | model.Servizio, where: Location
) -> list[tuple[Location, str]]:
    """The months a line covers and its instalments must agree with its fee (a line of
    the file, or a line as amended)."""
    problems: list[tuple[Location, str]] = []
    if servizio.mesi is not None:
        repeated = sorted({m for m in servizio.mesi if servizio.mesi.count(m) > 1})
        if repeated:
            problems.append(
                (
                    (*where, "mesi"),
                    _("month {month} is listed twice").format(month=repeated[0]),
                )
            )
        elif servizio.mensilita is not None and len(servizio.mesi) != servizio.mensilita:
            problems.append(
                (
                    (*where, "mesi"),
                    ngettext(
                        "{n} month listed, but mensilita is {m}",
                        "{n} months listed, but mensilita is {m}",
                        len(servizio.mesi),
                    ).format(n=len(servizio.mesi), m=servizio.mensilita),
                )
            )
    if servizio.rate:
        if servizio.importo is None:
            problems.append(
                (
                    (*where, "rate"),
                    _("instalments (rate) split a sum: give importo instead of a monthly fee"),
                )
            )
            return problems
        months = [r.mese for r in servizio.rate]
        repeated = sorted({m for m in months if months.count(m) > 1})
        if repeated:
            problems.append(
                (
                    (*where, "rate"),
                    _("month {month} has two instalments").format(month=repeated[0]),
                )
            )
        total = sum((r.importo for r in servizio.rate), Decimal("0.00"))
        if total != servizio.importo:
            problems.append(
                (
                    (*where, "rate"),
                    _("the instalments add up to {total}, not to importo {importo}").format(
                        total=total, importo=servizio.importo
                    ),
                )
            )
        if servizio.mesi is not None and not set(months) <= set(servizio.mesi):
            problems.append(
                (
                    (*where, "rate"),
                    _("an instalment falls in a month that mesi leaves out"),
                )
            )
    return problems


def _nido_problems(agreement: Agreement, seen: dict[int, int]) -> list[tuple[Location, str]]:
    nido = agreement.nido
    assert nido is not None
    problems: list[tuple[Location, str]] = []
    found = nido_line(agreement)
    if isinstance(found, LinePosition):
        servizio = agreement.ambiti[found.ambito].servizi[found.servizio]
        if servizio.mensilita is None:
            problems.append(
                (
                    ("nido", "servizio"),
                    _("the nursery's fee line must be a monthly fee (canone_mensile, mensilita)"),
                )
            )
    else:
        problems.append(found)
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
            problems.append(
                (
                    (*where, "iscritti_min"),
                    _("no tier covers {children} enrolled children").format(children=gap),
                )
            )
        elif fascia.iscritti_min <= covered:
            other = fasce[reaching]
            problems.append(
                (
                    (*where, "iscritti_min"),
                    _(
                        "this tier ({this}) overlaps fasce[{index}] ({other}); "
                        "each number of children must fall in exactly one tier"
                    ).format(
                        this=_children(fascia.iscritti_min, fascia.iscritti_max),
                        index=reaching,
                        other=_children(other.iscritti_min, other.iscritti_max),
                    ),
                )
            )
        fee = fascia.canone_mensile
        if fee is not None:
            if fee_below is not None and fee < fee_below[1]:
                problems.append(
                    (
                        (*where, "canone_mensile"),
                        _(
                            "the fee falls as enrolment rises: fasce[{index}], with fewer "
                            "children, charges {fee}"
                        ).format(index=fee_below[0], fee=fee_below[1]),
                    )
                )
            fee_below = (index, fee)
        elif fee_below is not None:
            problems.append(
                (
                    (*where, "rimodulazione"),
                    _("a tier without a fee (rimodulazione) must lie below every tier with a fee"),
                )
            )
        if _top(fascia) > covered:
            covered, reaching = _top(fascia), index
    if covered != math.inf:
        problems.append(
            (
                ("nido", "fasce", reaching, "iscritti_max"),
                _(
                    "no tier covers more than {n} children; "
                    "leave iscritti_max out of the highest tier"
                ).format(n=int(covered)),
            )
        )
    elif fee_below is None:
        problems.append((("nido", "fasce"), _("no tier has a fee (canone_mensile)")))
    return problems


class LinePosition(NamedTuple):
    """Where a fee line sits: indexes into ``ambiti`` and that ambito's ``servizi``."""

    ambito: int
    servizio: int


def nido_line(agreement: Agreement) -> LinePosition | tuple[Location, str]:
    """Where the nursery's fee line is, or the problem that says why it is not found."""
    nido = agreement.nido
    assert nido is not None
    if isinstance(nido.servizio, str):
        for a, ambito in enumerate(agreement.ambiti):
            for n, servizio in enumerate(ambito.servizi):
                if servizio.codice == nido.servizio:
                    return LinePosition(a, n)
        return (
            ("nido", "servizio"),
            _("no fee line has the code {code}").format(code=nido.servizio),
        )
    if nido.ambito is None:
        return (
            ("nido", "servizio"),
            _("give the fee line's code, or ambito: with the line's position"),
        )
    index = next((a for a, x in enumerate(agreement.ambiti) if x.numero == nido.ambito), None)
    if index is None:
        return (("nido", "ambito"), _("there is no ambito {n}").format(n=nido.ambito))
    servizi = agreement.ambiti[index].servizi
    if nido.servizio > len(servizi):
        return (
            ("nido", "servizio"),
            ngettext(
                "ambito {n} has {count} fee line; servizio counts from 1",
                "ambito {n} has {count} fee lines; servizio counts from 1",
                len(servizi),
            ).format(n=nido.ambito, count=len(servizi)),
        )
    return LinePosition(index, nido.servizio - 1)


def _top(fascia: Fascia) -> float:
    """The highest enrolment a tier covers; infinity when it is open."""
    return math.inf if fascia.iscritti_max is None else fascia.iscritti_max


def _children(low: int, high: int | None) -> str:
    if high is None:
        return _("{n} or more").format(n=low)
    return str(low) if low == high else f"{low}–{high}"


def _dotted(loc: Location) -> str:
    """A field path as messages write it: ``ambiti[1].servizi[0].canone_mensile``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


# --- the program's own records ----------------------------------------------------


def to_model(agreement: Agreement) -> model.Agreement:
    """The program's records for a file that passed :func:`consistency_problems`."""
    ambiti = tuple(_ambito(a) for a in agreement.ambiti)
    nido = None
    if agreement.nido is not None:
        found = nido_line(agreement)
        assert isinstance(found, LinePosition)  # consistency_problems said so
        nido = model.Nido(
            ambito=ambiti[found.ambito].numero,
            servizio=found.servizio + 1,
            fasce=tuple(
                model.Fascia(f.iscritti_min, f.iscritti_max, f.canone_mensile)
                for f in agreement.nido.fasce
            ),
        )
    declared = agreement.risorse_consorzio.dichiarato
    sintesi = agreement.sintesi.dichiarato
    d = agreement.documento
    return model.Agreement(
        documento=model.Documento(
            d.titolo, d.comune, d.consorzio, d.anno, d.stato, d.termine_pagamento
        ),
        ambiti=ambiti,
        nido=nido,
        sintesi=model.Dichiarato(sintesi.imponibile, sintesi.iva, sintesi.totale),
        risorse_consorzio=model.DichiaratoRisorse(
            per_ambito=tuple(declared.per_ambito.items()),
            quote_1_percento=tuple(declared.quote_1_percento.items()),
            totale_risorse=declared.totale_risorse,
            totale_quote=declared.totale_quote,
            totale=declared.totale,
            percentuale=declared.percentuale,
        ),
        variazioni=tuple(_variazione(v) for v in agreement.variazioni),
    )


def _variazione(v: Variazione) -> model.Variazione:
    new = None
    if v.nuovo_servizio is not None:
        new = (v.nuovo_servizio.ambito, _servizio(v.nuovo_servizio))
    item = None
    if v.risorsa is not None:
        item = (v.risorsa.ambito, model.VoceRisorsa(v.risorsa.voce, v.risorsa.importo))
    return model.Variazione(
        data=v.data,
        atto=v.atto,
        motivo=v.motivo,
        servizio=v.servizio,
        canone_mensile=v.canone_mensile,
        mensilita=v.mensilita,
        importo=v.importo,
        aliquota_iva=v.aliquota_iva,
        mesi=tuple(sorted(v.mesi)) if v.mesi is not None else None,
        nuovo_servizio=new,
        risorsa=item,
        giorno=v.giorno,
    )


def _dichiarato(d: Dichiarato) -> model.Dichiarato:
    return model.Dichiarato(d.imponibile, d.iva, d.totale)


def _servizio(s: Servizio) -> model.Servizio:
    mesi = tuple(sorted(s.mesi)) if s.mesi is not None else None
    if mesi is None and s.mensilita == 12:
        mesi = tuple(range(1, 13))  # twelve monthly fees cover the whole year
    return model.Servizio(
        codice=s.codice,
        voce=s.voce,
        canone_mensile=s.canone_mensile,
        mensilita=s.mensilita,
        importo=s.importo,
        periodo=s.periodo,
        aliquota_iva=s.aliquota_iva,
        mesi=mesi,
        rate=tuple(sorted(model.Rata(r.mese, r.importo) for r in s.rate or ())),
        dichiarato=_dichiarato(s.dichiarato),
        tipo=_kind_of(s),
        giorno=s.giorno,
    )


def _ambito(a: Ambito) -> model.Ambito:
    risorse = a.risorse_consorzio
    return model.Ambito(
        numero=a.numero,
        titolo=a.titolo,
        servizi=tuple(_servizio(s) for s in a.servizi),
        da_definire=tuple(
            model.DaDefinire(d.codice, d.voce, d.aliquota_iva, d.tipo or model.ANNUALE)
            for d in a.da_definire
        ),
        dichiarato=_dichiarato(a.dichiarato),
        risorse_consorzio=(
            model.RisorseAmbito(
                tuple(model.VoceRisorsa(v.voce, v.importo) for v in risorse.voci),
                risorse.dichiarato_totale,
            )
            if risorse is not None
            else None
        ),
        quota_1_percento=a.quota_1_percento,
    )
