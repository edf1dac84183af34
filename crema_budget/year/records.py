"""The agreement's year as the program works with it: months, the office's register
(enrolment, invoices, how e-invoice lines are assigned, payments, what ran when).

Small immutable records with Decimal figures, like the agreement's own
(:mod:`crema_budget.agreement.model`): no validation machinery, nothing heavy to import,
so a cached register (:mod:`crema_budget.reading.cache`) is used without YAML or Pydantic.
The register's file format lives in :mod:`crema_budget.year.register`.
"""

# Real annotations, no `from __future__`: NamedTuple would compile every string
# annotation into a ForwardRef at import, and the cache reads these types.

from datetime import date
from decimal import Decimal
from typing import NamedTuple

from crema_budget.i18n import _


class Mese(NamedTuple):
    """A month of a year; months order and compare as dates do."""

    anno: int
    mese: int  # 1–12

    def __str__(self) -> str:
        return f"{self.anno:04d}-{self.mese:02d}"

    def next(self) -> "Mese":
        return Mese(self.anno + 1, 1) if self.mese == 12 else Mese(self.anno, self.mese + 1)

    def last_day(self) -> date:
        return date.fromordinal(self.next().first_day().toordinal() - 1)

    def first_day(self) -> date:
        return date(self.anno, self.mese, 1)

    def ordinal(self) -> int:
        """Months since the start of year 0: the distance between two months is the
        difference of their ordinals."""
        return self.anno * 12 + self.mese - 1

    @classmethod
    def from_ordinal(cls, ordinal: int) -> "Mese":
        return cls(ordinal // 12, ordinal % 12 + 1)


#: What a document typed in the register is: an invoice, or a credit note that takes
#: back (all or part of) what an invoice billed.
TIPI_FATTURA = ("fattura", "nota_di_credito")


def tipo_fattura(value: object) -> str:
    """``value`` if it is one of :data:`TIPI_FATTURA`, else a ValueError saying so."""
    if isinstance(value, str) and value in TIPI_FATTURA:
        return value
    raise ValueError(_("write fattura or nota_di_credito (a credit note)"))


class Fattura(NamedTuple):
    """One invoice entry: what an invoice (or one line of an e-invoice) bills for one
    fee line, and for which months."""

    numero: str
    data: date
    servizio: str  # the fee line's codice
    dal: Mese  # the months billed, first…
    al: Mese  # …and last (the same for one month)
    imponibile: Decimal
    aliquota_iva: Decimal
    iva: Decimal
    pagata: date | None = None
    #: Split payment (scissione dei pagamenti): the VAT goes to the Treasury.
    scissione: bool = True
    #: Where it was read: "" for the register, else the e-invoice's file.
    origine: str = ""
    #: The register's line, or the e-invoice's line number (DettaglioLinee).
    riga: int = 0
    #: Entries of one e-invoice share its number legitimately.
    documento: str = ""
    #: When the Comune received it (the payment term runs from then), if recorded.
    ricevuta: date | None = None
    #: A credit note typed in the register: its amounts are negative (taken back), it
    #: bills no month and is not paid as an invoice is.
    nota_di_credito: bool = False


class Abbinamento(NamedTuple):
    """How e-invoice lines are assigned to a fee line: by words in the line's
    description, or by the contract's CIG."""

    servizio: str
    descrizione: str | None = None
    cig: str | None = None


class Pagamento(NamedTuple):
    """The payment of an invoice the register does not hold by hand (an e-invoice)."""

    numero: str
    data: date
    #: When the Comune received the e-invoice, if recorded.
    ricevuta: date | None = None


class Svolgimento(NamedTuple):
    """When a seasonal service ran (its months), or a one-off was rendered (its day), as
    the register records it."""

    servizio: str
    dal: Mese | None = None
    al: Mese | None = None
    giorno: date | None = None


class Impegno(NamedTuple):
    """A commitment (impegno di spesa) on a budget chapter, VAT included, for fee lines."""

    numero: str
    capitolo: str
    importo: Decimal
    servizi: tuple[str, ...]
    riga: int = 0  # its place in the register's list, from 1


class Soggetto(NamedTuple):
    """A party of the award: its tax code and name."""

    codice_fiscale: str
    denominazione: str


class Affidamento(NamedTuple):
    """How the contract was awarded, as ANAC's dataset (L. 190/2012) states it."""

    cig: str
    oggetto: str
    scelta_contraente: str  # the schema's two-digit code: "23"
    ente: Soggetto
    aggiudicatario: Soggetto
    inizio: date
    fine: date


#: What the register records of an activity of the work plan (``attivita:``).
AVVIATA = "avviata"  # started
SVOLTA = "svolta"  # done (once; a recurring activity: one occurrence)
RINVIATA = "rinviata"  # rescheduled to ``nuova_scadenza``
ANNULLATA = "annullata"  # cancelled
STATI_REGISTRATI = (AVVIATA, SVOLTA, RINVIATA, ANNULLATA)


class Evento(NamedTuple):
    """One entry of ``attivita:``: what happened to an activity of the work plan, when,
    and by which act."""

    codice: str  # the activity's code in the agreement: A4.7
    stato: str  # one of STATI_REGISTRATI
    data: date
    nuova_scadenza: date | None = None  # RINVIATA: the new deadline
    atto: str | None = None
    note: str | None = None


#: ``voce`` of a delivered resource that is the ambito's share of the 1 %.
QUOTA_1_PERCENTO = "quota_1_percento"


class Consegna(NamedTuple):
    """One entry of ``risorse_consorzio:``: what the consortium delivered of its own
    resources, for an item of an ambito's promise (or its share of the 1 %)."""

    ambito: int
    data: date
    importo: Decimal
    voce: str | None = None  # None: the ambito's items as a whole
    note: str | None = None


class Registro(NamedTuple):
    """The office's register of an agreement's year."""

    accordo: str | None
    iscritti_nido: tuple[tuple[Mese, int], ...]
    fatture: tuple[Fattura, ...]
    fatture_elettroniche: str | None
    abbinamenti: tuple[Abbinamento, ...]
    pagamenti: tuple[Pagamento, ...]
    svolgimento: tuple[Svolgimento, ...] = ()
    # --- the office's duties (crema_budget.office) ---
    impegni: tuple[Impegno, ...] = ()
    affidamento: Affidamento | None = None
    #: Days to pay an invoice, where the register states them.
    termine_pagamento: int | None = None
    #: The work plan's events; None when the register has no ``attivita:`` section
    #: (the plan is then not monitored).
    attivita: tuple[Evento, ...] | None = None
    #: The consortium's resources delivered; None without ``risorse_consorzio:``.
    risorse_consorzio: tuple[Consegna, ...] | None = None
