"""The register of the year's format as Pydantic models, like
:mod:`crema_budget.agreement.fileformat` for the agreement: enrolment at the nursery by
month, invoices entered by hand, the folder of e-invoices, how their lines are assigned to
fee lines, payments.

Dates are written ``2016-02-05`` and months ``2016-01``; a range of months
(a lump sum's instalment) ``2016-01/2016-06``. The loader hands every value
over as text, so YAML never turns a date into anything else first.
"""

# No `from __future__ import annotations` here: Pydantic reads these annotations.

import re
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BeforeValidator, Field, PlainValidator, WithJsonSchema, model_validator
from pydantic_core import PydanticCustomError

from crema_budget.i18n import _, ngettext
from crema_budget.reading.fields import (
    Amount,
    Codice,
    Day,
    Label,
    Location,
    Rate,
    Record,
    Whole,
    YesNo,
)
from crema_budget.reading.loader import validate_yaml
from crema_budget.reading.source import decode
from crema_budget.year import records

_MONTH = re.compile(r"(\d{4})-(\d{2})", re.ASCII)
#: A month written the Italian way (04/2016), to say how to write it.
_MONTH_YEAR = re.compile(r"(\d{1,2})[/.-](\d{4})", re.ASCII)
_CIG = re.compile(r"[0-9A-Z]{10}", re.ASCII)


def parse_month(value: object) -> records.Mese:
    """A month written ``2016-01``."""
    text = value if isinstance(value, str) else ""
    match = _MONTH.fullmatch(text.strip())
    if match and 1 <= int(match[2]) <= 12:
        return records.Mese(int(match[1]), int(match[2]))
    raise PydanticCustomError("month", _month_problem(value))


def _month_problem(value: object) -> str:
    text = value.strip() if isinstance(value, str) else ""
    italian = _MONTH_YEAR.fullmatch(text)
    if italian and 1 <= int(italian[1]) <= 12:
        iso = f"{int(italian[2]):04d}-{int(italian[1]):02d}"
        return _("write {value} as {iso}: year and month, joined by a hyphen").format(
            value=repr(value), iso=iso
        )
    return _("{value} is not a month; write it as 2016-01").format(value=repr(value))


def parse_months(value: object) -> tuple[records.Mese, records.Mese]:
    """One month (``2016-01``) or a range (``2016-01/2016-06``)."""
    text = value if isinstance(value, str) else ""
    if _MONTH_YEAR.fullmatch(text.strip()):  # 04/2016: one month, written the Italian way
        raise PydanticCustomError("month", _month_problem(value))
    first, slash, last = text.partition("/")
    if not slash:
        month = parse_month(first)
        return (month, month)
    start, end = parse_month(first), parse_month(last)
    if end < start:
        raise PydanticCustomError(
            "months",
            _("the range ends ({end}) before it starts ({start})").format(end=end, start=start),
        )
    return (start, end)


def parse_cig(value: object) -> str:
    """A CIG (codice identificativo di gara): ten letters and digits."""
    if isinstance(value, str) and _CIG.fullmatch(value.strip().upper()):
        return value.strip().upper()
    raise PydanticCustomError(
        "cig",
        _("{value} is not a CIG: ten capital letters and digits, such as 1234567ABC").format(
            value=repr(value)
        ),
    )


Month = Annotated[
    records.Mese,
    PlainValidator(parse_month),
    WithJsonSchema({"type": "string", "pattern": r"^\d{4}-(0[1-9]|1[0-2])$"}),
]
Months = Annotated[
    tuple[records.Mese, records.Mese],
    PlainValidator(parse_months),
    WithJsonSchema(
        {"type": "string", "pattern": r"^\d{4}-(0[1-9]|1[0-2])(/\d{4}-(0[1-9]|1[0-2]))?$"}
    ),
]
Cig = Annotated[
    str, PlainValidator(parse_cig), WithJsonSchema({"type": "string", "pattern": "^[0-9A-Z]{10}$"})
]


class Fattura(Record):
    """An invoice or credit note entered by hand: what it bills, for which fee line and months."""

    numero: Label
    data: Day
    servizio: Codice
    competenza: Months
    imponibile: Amount
    aliquota_iva: Rate
    iva: Amount
    pagata: Day | None = None
    scissione: YesNo = True
    ricevuta: Day | None = None
    tipo: Annotated[
        str,
        PlainValidator(records.tipo_fattura),
        WithJsonSchema({"enum": list(records.TIPI_FATTURA)}),
    ] = "fattura"


class Abbinamento(Record):
    """E-invoice lines whose description holds these words, or whose document names
    this CIG, belong to the fee line ``servizio``."""

    servizio: Codice
    descrizione: Label | None = None
    cig: Cig | None = None

    @model_validator(mode="after")
    def _one_rule(self) -> "Abbinamento":
        if (self.descrizione is None) == (self.cig is None):
            raise ValueError(_("give either descrizione or cig"))
        return self


class Pagamento(Record):
    """When an invoice held elsewhere (an e-invoice) was paid."""

    numero: Label
    data: Day
    ricevuta: Day | None = None


# This docstring is the description of `svolgimento` in the register's JSON Schema
# (data/registro.schema.json), word for word: it changes only with the schema.
class Svolgimento(Record):
    """When a seasonal service ran (``mesi``: ``2016-07/2016-08``), or the day a one-off
    service was rendered (``giorno``): what the register records counts over what the
    agreement planned (:mod:`crema_budget.dovuto`)."""

    servizio: Codice
    mesi: Months | None = None
    giorno: Day | None = None

    @model_validator(mode="after")
    def _one_calendar(self) -> "Svolgimento":
        if (self.mesi is None) == (self.giorno is None):
            raise ValueError(
                _("give either mesi (a seasonal service) or giorno (a one-off service)")
            )
        return self


def _stato_attivita(value: object) -> str:
    if isinstance(value, str) and value in records.STATI_REGISTRATI:
        return value
    raise PydanticCustomError(
        "stato",
        _(
            "write what happened: avviata (started), svolta (done, or one occurrence), "
            "rinviata (rescheduled, with nuova_scadenza) or annullata (cancelled)"
        ),
    )


class Evento(Record):
    """What happened to an activity of the work plan (its ``codice`` in the agreement,
    A4.7), on which day, by which act: ``avviata``, ``svolta`` (a recurring activity's
    occurrences are several), ``rinviata`` to ``nuova_scadenza``, ``annullata``."""

    codice: Label
    stato: Annotated[
        str,
        PlainValidator(_stato_attivita),
        WithJsonSchema({"enum": list(records.STATI_REGISTRATI)}),
    ]
    data: Day
    nuova_scadenza: Day | None = None
    atto: Label | None = None
    note: Label | None = None

    @model_validator(mode="after")
    def _new_deadline(self) -> "Evento":
        if self.stato == records.RINVIATA and self.nuova_scadenza is None:
            raise ValueError(_("a rescheduled activity (rinviata) needs its nuova_scadenza"))
        if self.stato != records.RINVIATA and self.nuova_scadenza is not None:
            raise ValueError(_("nuova_scadenza is only for a rescheduled activity (rinviata)"))
        if self.nuova_scadenza is not None and self.nuova_scadenza < self.data:
            raise ValueError(_("nuova_scadenza comes before the day of the rescheduling"))
        return self


class Consegna(Record):
    """What the consortium delivered of its own resources: for an item (``voce``) of an
    ambito's promise in the agreement, its share of the 1 % (``quota_1_percento``), or,
    without ``voce``, for the ambito's items as a whole."""

    ambito: Annotated[Whole, Field(ge=1)]
    data: Day
    importo: Amount
    voce: Label | None = None
    note: Label | None = None


class Controllo(Record):
    """The register's own count: how many invoices it holds by hand, and their taxable
    total. When given, the register must agree with it: a file cut short (or lines lost
    in a copy) is then refused rather than counted."""

    fatture: Annotated[Whole, Field(le=1_000_000)]
    imponibile: Amount


# --- the office's duties (crema_budget.office): commitments, the award for ANAC ---

_CODICE_FISCALE = re.compile(
    r"[0-9]{11}|[A-Z]{6}[0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{3}[A-Z]",
    re.ASCII,
)
_SCELTA = re.compile(r"[0-9]{1,2}", re.ASCII)


def parse_codice_fiscale(value: object) -> str:
    """A codice fiscale: 11 digits (a body, a company) or 16 letters and digits (a person)."""
    text = value.strip().upper() if isinstance(value, str) else ""
    if _CODICE_FISCALE.fullmatch(text):
        return text
    raise PydanticCustomError(
        "codice_fiscale",
        _("{value} is not a codice fiscale: 11 digits, or 16 letters and digits").format(
            value=repr(value)
        ),
    )


def parse_scelta(value: object) -> str:
    """The procedure's code in ANAC's list (sceltaContraente): ``23``, kept as two digits."""
    text = value.strip() if isinstance(value, str) else ""
    if _SCELTA.fullmatch(text) and int(text):
        return f"{int(text):02d}"
    raise PydanticCustomError(
        "scelta_contraente",
        _(
            "{value} is not a code of ANAC's list of procedures: write its number, such as 23"
        ).format(value=repr(value)),
    )


CodiceFiscale = Annotated[
    str,
    PlainValidator(parse_codice_fiscale),
    WithJsonSchema({"type": "string", "pattern": "^([0-9]{11}|[A-Za-z0-9]{16})$"}),
]
Scelta = Annotated[
    str,
    PlainValidator(parse_scelta),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "integer", "minimum": 1, "maximum": 99},
                {"type": "string", "pattern": "^[0-9]{1,2}$"},
            ]
        }
    ),
]
#: ANAC's schema allows 250 characters for a name or an object.
Name = Annotated[str, Field(min_length=1, max_length=250)]


class Impegno(Record):
    """A commitment (impegno di spesa): its number, budget chapter, amount (VAT
    included) and the fee lines it covers."""

    numero: Label
    capitolo: Label
    importo: Amount
    servizi: Annotated[list[Codice], Field(min_length=1, max_length=10_000)]


class Ente(Record):
    codice_fiscale: CodiceFiscale
    denominazione: Name


class Aggiudicatario(Record):
    codice_fiscale: CodiceFiscale
    ragione_sociale: Name


class Affidamento(Record):
    """How the contract was awarded: what ANAC's dataset (L. 190/2012) needs and the
    agreement does not state."""

    cig: Cig
    oggetto: Name
    scelta_contraente: Scelta
    ente: Ente
    aggiudicatario: Aggiudicatario
    inizio: Day
    fine: Day

    @model_validator(mode="after")
    def _in_order(self) -> "Affidamento":
        if self.fine < self.inizio:
            raise ValueError(
                _("fine ({end}) is before inizio ({start})").format(
                    end=self.fine.isoformat(), start=self.inizio.isoformat()
                )
            )
        return self


def _month_key(value: object) -> str:
    """A month as a key, kept as written: two ways of writing one month (``"2016-01 "``
    and ``2016-01``) are found by :func:`consistency_problems`, each at its line."""
    parse_month(value)
    assert isinstance(value, str)
    return value


def _empty_if_null(value: Any) -> Any:
    """A key written with nothing after it (``fatture:``) is an empty list, as a
    register starts the year."""
    return {} if value is None else value


def _none_if_null(value: Any) -> Any:
    return [] if value is None else value


class Registro(Record):
    """The register of an agreement's year."""

    accordo: Label | None = None
    iscritti_nido: Annotated[
        dict[
            Annotated[
                str,
                PlainValidator(_month_key),
                WithJsonSchema({"type": "string", "pattern": r"^\d{4}-(0[1-9]|1[0-2])$"}),
            ],
            Annotated[Whole, Field(le=10_000)],
        ],
        BeforeValidator(_empty_if_null),
        Field(default_factory=dict),
    ]
    fatture: Annotated[
        list[Fattura],
        Field(max_length=1_000_000, default_factory=list),
        BeforeValidator(_none_if_null),
    ]
    fatture_elettroniche: Label | None = None
    abbinamenti: Annotated[
        list[Abbinamento],
        Field(max_length=10_000, default_factory=list),
        BeforeValidator(_none_if_null),
    ]
    pagamenti: Annotated[
        list[Pagamento],
        Field(max_length=1_000_000, default_factory=list),
        BeforeValidator(_none_if_null),
    ]
    svolgimento: Annotated[
        list[Svolgimento],
        Field(max_length=10_000, default_factory=list),
        BeforeValidator(_none_if_null),
    ]
    controllo: Controllo | None = None
    impegni: Annotated[
        list[Impegno],
        Field(max_length=10_000, default_factory=list),
        BeforeValidator(_none_if_null),
    ]
    affidamento: Affidamento | None = None
    termine_pagamento: Annotated[Whole, Field(ge=1, le=365)] | None = None
    # Left out, the plan (the resources) is not monitored; written, even empty, it is.
    attivita: Annotated[
        list[Evento] | None, Field(max_length=100_000), BeforeValidator(_none_if_null)
    ] = None
    risorse_consorzio: Annotated[
        list[Consegna] | None, Field(max_length=100_000), BeforeValidator(_none_if_null)
    ] = None


def consistency_problems(registro: Registro) -> list[tuple[Location, Any]]:
    """Rules that span fields: an invoice paid before it was issued; one month of
    enrolment written twice; one service's calendar given twice; a control count the
    invoices do not match."""
    problems: list[tuple[Location, Any]] = []
    first: dict[records.Mese, str] = {}
    for key in registro.iscritti_nido:
        month = parse_month(key)
        if month in first:
            problems.append(
                (
                    ("iscritti_nido", key, "[key]"),
                    _("{month} is written twice (also as {other}): give each month once").format(
                        month=repr(key), other=repr(first[month])
                    ),
                )
            )
        else:
            first[month] = key
    given: dict[str, int] = {}
    for index, record in enumerate(registro.svolgimento):
        if record.servizio in given:
            problems.append(
                (
                    ("svolgimento", index, "servizio"),
                    _("{code} is already given at svolgimento[{other}]").format(
                        code=record.servizio, other=given[record.servizio]
                    ),
                )
            )
        given.setdefault(record.servizio, index)
    if registro.controllo is not None:
        problems.extend(_control_problems(registro))
    problems.extend(_office_problems(registro))
    for index, fattura in enumerate(registro.fatture):
        if fattura.pagata is not None and fattura.pagata < fattura.data:
            problems.append(
                (
                    ("fatture", index, "pagata"),
                    _("paid on {paid}, before the invoice's date {issued}").format(
                        paid=fattura.pagata.isoformat(), issued=fattura.data.isoformat()
                    ),
                )
            )
        if fattura.ricevuta is not None and fattura.ricevuta < fattura.data:
            problems.append(
                (
                    ("fatture", index, "ricevuta"),
                    _("received on {received}, before the invoice's date {issued}").format(
                        received=fattura.ricevuta.isoformat(), issued=fattura.data.isoformat()
                    ),
                )
            )
    return problems


def _office_problems(registro: Registro) -> list[tuple[Location, Any]]:
    """A fee line under two commitments (its invoices would count twice)."""
    problems: list[tuple[Location, Any]] = []
    under: dict[str, int] = {}
    for index, impegno in enumerate(registro.impegni):
        for position, code in enumerate(impegno.servizi):
            if code in under:
                problems.append(
                    (
                        ("impegni", index, "servizi", position),
                        _(
                            "{code} is already under impegni[{other}]: give each fee line "
                            "one commitment"
                        ).format(code=code, other=under[code]),
                    )
                )
            under.setdefault(code, index)
    return problems


def _control_problems(registro: Registro) -> list[tuple[Location, Any]]:
    control = registro.controllo
    assert control is not None
    problems: list[tuple[Location, Any]] = []
    count = len(registro.fatture)
    if count != control.fatture:
        problems.append(
            (
                ("controllo", "fatture"),
                ngettext(
                    "the register holds {count} invoice, its control count says {said}: "
                    "the file may be cut short, or an invoice missing",
                    "the register holds {count} invoices, its control count says {said}: "
                    "the file may be cut short, or an invoice missing",
                    count,
                ).format(count=count, said=control.fatture),
            )
        )
    total = sum((f.imponibile for f in registro.fatture), Decimal("0.00"))
    if total != control.imponibile:
        problems.append(
            (
                ("controllo", "imponibile"),
                _(
                    "the invoices' taxable amounts add up to {total}, the control count says "
                    "{said}: an amount is mistyped, or an invoice missing"
                ).format(total=total, said=control.imponibile),
            )
        )
    return problems


def to_model(registro: Registro) -> records.Registro:
    """The program's records for a register that passed :func:`consistency_problems`."""
    return records.Registro(
        accordo=registro.accordo,
        iscritti_nido=tuple(
            sorted((parse_month(key), count) for key, count in registro.iscritti_nido.items())
        ),
        svolgimento=tuple(
            records.Svolgimento(
                x.servizio,
                x.mesi[0] if x.mesi else None,
                x.mesi[1] if x.mesi else None,
                x.giorno,
            )
            for x in registro.svolgimento
        ),
        fatture=tuple(
            records.Fattura(
                numero=f.numero,
                data=f.data,
                servizio=f.servizio,
                dal=f.competenza[0],
                al=f.competenza[1],
                imponibile=-f.imponibile if f.tipo == "nota_di_credito" else f.imponibile,
                aliquota_iva=f.aliquota_iva,
                iva=-f.iva if f.tipo == "nota_di_credito" else f.iva,
                pagata=f.pagata,
                scissione=f.scissione,
                riga=index + 1,
                ricevuta=f.ricevuta,
                nota_di_credito=f.tipo == "nota_di_credito",
            )
            for index, f in enumerate(registro.fatture)
        ),
        fatture_elettroniche=registro.fatture_elettroniche,
        abbinamenti=tuple(
            records.Abbinamento(a.servizio, a.descrizione, a.cig) for a in registro.abbinamenti
        ),
        pagamenti=tuple(
            records.Pagamento(p.numero, p.data, p.ricevuta) for p in registro.pagamenti
        ),
        impegni=tuple(
            records.Impegno(i.numero, i.capitolo, i.importo, tuple(i.servizi), index + 1)
            for index, i in enumerate(registro.impegni)
        ),
        affidamento=_award(registro.affidamento),
        termine_pagamento=registro.termine_pagamento,
        attivita=(
            tuple(
                records.Evento(e.codice, e.stato, e.data, e.nuova_scadenza, e.atto, e.note)
                for e in registro.attivita
            )
            if registro.attivita is not None
            else None
        ),
        risorse_consorzio=(
            tuple(
                records.Consegna(c.ambito, c.data, c.importo, c.voce, c.note)
                for c in registro.risorse_consorzio
            )
            if registro.risorse_consorzio is not None
            else None
        ),
    )


def _award(a: Affidamento | None) -> records.Affidamento | None:
    if a is None:
        return None
    return records.Affidamento(
        a.cig,
        a.oggetto,
        a.scelta_contraente,
        records.Soggetto(a.ente.codice_fiscale, a.ente.denominazione),
        records.Soggetto(a.aggiudicatario.codice_fiscale, a.aggiudicatario.ragione_sociale),
        a.inizio,
        a.fine,
    )


def parse_registro(raw: bytes | str, source: str = "<registro>") -> records.Registro:
    """Validate a register of the year; raises :class:`~crema_budget.errors.DataError`
    like the agreement (:func:`crema_budget.agreement.load.parse_agreement`)."""
    text = decode(raw, source) if isinstance(raw, bytes) else raw
    return to_model(validate_yaml(text, source, Registro, consistency_problems))
