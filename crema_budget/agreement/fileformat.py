"""The agreement's data file as Pydantic models: what a valid file holds.

Each model mirrors a part of the YAML file and validates it field by field, with the
field types of :mod:`crema_budget.reading.fields`;
:func:`crema_budget.agreement.rules.consistency_problems` adds the rules that span
fields, and :func:`to_model` turns a valid file into the program's own records
(:mod:`crema_budget.agreement.model`), which is all the rest of the program sees.
"""

# No `from __future__ import annotations` here: Pydantic reads these annotations
# when the classes are built; real objects spare an eval() per field at every start-up.

from collections.abc import Iterator
from typing import Annotated, NamedTuple

from pydantic import Field, PlainValidator, WithJsonSchema, model_validator
from pydantic_core import PydanticCustomError

from crema_budget.agreement import model
from crema_budget.agreement.workplan_format import Attivita, Personale, to_personale, to_piano
from crema_budget.i18n import N_, _, ngettext
from crema_budget.money import parse_whole
from crema_budget.reading.fields import (
    CODICE_PATTERN,
    Amount,
    Codice,
    Day,
    Label,
    Location,
    Month,
    Months,
    Rate,
    Record,
    Whole,
    YesNo,
    parse_codice,
    strict,
)


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


#: A fee line's kind: how it falls due over the year (:mod:`crema_budget.year.due`).
Tipo = Annotated[str, PlainValidator(_tipo), WithJsonSchema({"enum": list(model.TIPI)})]


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
    piano_di_lavoro: Annotated[list[Attivita], Field(max_length=1000)] = []
    personale: Personale | None = None


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
        number = strict(parse_whole, N_("a whole number"))(value)
        if number < 1:
            raise PydanticCustomError("servizio", _("fee lines are counted from 1"))
        return number
    return parse_codice(value)


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


def kind_of(servizio: Servizio) -> str:
    """A line's kind: as written, else by its fee (a monthly fee, or a sum)."""
    if servizio.tipo is not None:
        return servizio.tipo
    return model.MENSILE if servizio.canone_mensile is not None else model.ANNUALE


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


# --- the program's own records ----------------------------------------------------


def to_model(agreement: Agreement, release: bool = False) -> model.Agreement:
    """The program's records for a file that passed :func:`consistency_problems`.

    With ``release``, ``agreement`` is spent: its list of ambiti is emptied as their
    records are made, so that the models of a large file go while the records come
    instead of both being alive whole at once. Only a caller that drops
    ``agreement`` afterwards may ask for it."""
    found = nido_line(agreement) if agreement.nido is not None else None
    if release:
        ambiti = tuple(_released(agreement.ambiti))
    else:
        ambiti = tuple(to_ambito(a) for a in agreement.ambiti)
    nido = None
    if agreement.nido is not None:
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
        variazioni=tuple(to_variazione(v) for v in agreement.variazioni),
    )


def _released(ambiti: list[Ambito]) -> Iterator[model.Ambito]:
    """Each ambito's records, in order, each model dropped from ``ambiti`` once made."""
    ambiti.reverse()  # popped from the end: the first ambito first
    while ambiti:
        yield to_ambito(ambiti.pop())


def to_variazione(v: Variazione) -> model.Variazione:
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
        rate=tuple(sorted(model.Rata(r.mese, r.importo) for r in s.rate)) if s.rate else (),
        dichiarato=_dichiarato(s.dichiarato),
        tipo=kind_of(s),
        giorno=s.giorno,
    )


def to_ambito(a: Ambito) -> model.Ambito:
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
        piano=to_piano(a.piano_di_lavoro),
        personale=to_personale(a.personale),
    )
