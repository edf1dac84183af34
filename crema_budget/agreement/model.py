"""The agreement as the program works with it: small immutable records, Decimal figures.

These are what every computation reads. They hold no validation machinery and
import nothing heavy, so a cached agreement (:mod:`crema_budget.reading.cache`) can be
used without loading YAML or Pydantic. The data file's format, and the checks
that make a file valid, live in :mod:`crema_budget.agreement.fileformat`.

Inputs (fees, months, VAT rates, the consortium's items, the 1% shares, the
nursery tiers, amendments) are kept apart from what the document *declares* as
results (the ``dichiarato`` records), which only :mod:`crema_budget.agreement.checks` reads.
"""

# Real annotations, no `from __future__`: NamedTuple would compile every string
# annotation into a ForwardRef at import, and the cache reads these types.

from datetime import date
from decimal import Decimal
from typing import NamedTuple

#: ``documento.stato`` of an agreement both parties signed.
FIRMATO = "firmato"
#: ``documento.stato`` of a draft: nothing in it is agreed yet.
BOZZA = "bozza"

#: The kinds of fee line (``tipo``): how a line falls due over the year
#: (:mod:`crema_budget.year.due`).
ANNUALE = "annuale"  # a service that runs the whole year: pro rata
MENSILE = "mensile"  # a monthly fee: month by month
STAGIONALE = "stagionale"  # a seasonal service: when it runs
UNA_TANTUM = "una_tantum"  # a one-off service: once its day has passed
TIPI = (ANNUALE, MENSILE, STAGIONALE, UNA_TANTUM)


class Dichiarato(NamedTuple):
    """Figures the document states for a fee line, an ambito or the summary."""

    imponibile: Decimal | None = None
    iva: Decimal | None = None
    totale: Decimal | None = None


class Rata(NamedTuple):
    """An instalment of a sum: what falls due in one month of the year."""

    mese: int  # 1–12
    importo: Decimal


class Servizio(NamedTuple):
    """A municipal fee line: a monthly fee for some months, or a sum for a period."""

    codice: str | None
    voce: str
    canone_mensile: Decimal | None
    mensilita: int | None
    importo: Decimal | None
    periodo: str | None
    aliquota_iva: Decimal
    #: The months of the year the line covers (1–12), where the data states them.
    mesi: tuple[int, ...] | None = None
    #: For a sum: instalments by month, where the data states them.
    rate: tuple[Rata, ...] = ()
    dichiarato: Dichiarato = Dichiarato()
    #: The kind of line (ANNUALE, MENSILE, STAGIONALE, UNA_TANTUM); "" where nothing says,
    #: and then its fee does: a monthly fee is MENSILE, a sum ANNUALE.
    tipo: str = ""
    #: The day a one-off service (UNA_TANTUM) is rendered, where it is known.
    giorno: date | None = None


class DaDefinire(NamedTuple):
    """An item the document leaves open: shown as to be defined, never counted as zero."""

    codice: str | None
    voce: str
    aliquota_iva: Decimal | None = None
    #: The kind of line it becomes once an amendment gives it a sum ("": ANNUALE).
    tipo: str = ""


class VoceRisorsa(NamedTuple):
    """One item of the consortium's own extra resources."""

    voce: str
    importo: Decimal


class RisorseAmbito(NamedTuple):
    """The consortium's extra resources for one ambito, item by item."""

    voci: tuple[VoceRisorsa, ...]
    dichiarato_totale: Decimal | None = None


class Attivita(NamedTuple):
    """One activity of an ambito's work plan ("2. Tempi – Sviluppo e innovazione"): its
    words and timing words as the document writes them, and the timing the program
    reasons on (the rules of each form: :mod:`crema_budget.year.workplan`)."""

    codice: str  # A<ambito>.<n>, n from 1 in document order
    attivita: str
    quando: str
    gruppo: str | None = None  # the heading it stands under (PRE e POST SCUOLA)
    inizio: int | None = None  # the month it starts: started by the month's end
    scadenza: int | None = None  # the month it is done by: done by the month's end
    mesi: tuple[int, ...] = ()  # months of its occurrences: one done in each
    verifiche: tuple[int, ...] = ()  # checkpoint months after it is done
    in_corso: bool = False  # under way when the agreement starts


class Ruolo(NamedTuple):
    """A part of an ambito's staff: how many people of one role."""

    ruolo: str
    numero: int


class Personale(NamedTuple):
    """The staff the document states for an ambito: a number of workers, and of whom."""

    operatori: int
    di_cui: tuple[Ruolo, ...] = ()


class Ambito(NamedTuple):
    """One service area: its fee lines, open items and the consortium's resources."""

    numero: int
    titolo: str
    servizi: tuple[Servizio, ...]
    da_definire: tuple[DaDefinire, ...] = ()
    dichiarato: Dichiarato = Dichiarato()
    risorse_consorzio: RisorseAmbito | None = None
    quota_1_percento: Decimal | None = None
    #: The work plan of "2. Tempi", in document order.
    piano: tuple[Attivita, ...] = ()
    personale: Personale | None = None


class Fascia(NamedTuple):
    """A nursery tier: a range of enrolled children and its monthly fee (or none)."""

    iscritti_min: int
    iscritti_max: int | None  # None: and more
    canone_mensile: Decimal | None  # None: the fee must be renegotiated (rimodulazione)

    @property
    def rimodulazione(self) -> bool:
        return self.canone_mensile is None


class Nido(NamedTuple):
    """The nursery's fee by enrolment; months and VAT come from its fee line."""

    ambito: int  # the ambito's numero
    servizio: int  # the fee line's position in that ambito, from 1
    fasce: tuple[Fascia, ...]


class DichiaratoRisorse(NamedTuple):
    """The closing table of the consortium's resources, as the document states it."""

    per_ambito: tuple[tuple[int, Decimal], ...] = ()
    quote_1_percento: tuple[tuple[int, Decimal], ...] = ()
    totale_risorse: Decimal | None = None
    totale_quote: Decimal | None = None
    totale: Decimal | None = None
    percentuale: Decimal | None = None


class Documento(NamedTuple):
    titolo: str
    comune: str
    consorzio: str
    anno: int
    stato: str | None = None  # FIRMATO, BOZZA, or not stated
    #: Days the Comune has to pay an invoice, where the agreement states them (else the
    #: law's 30: :data:`crema_budget.year.due.TERMINE_PAGAMENTO`).
    termine_pagamento: int | None = None


class Variazione(NamedTuple):
    """A dated amendment, the act that approved it and why; it changes one thing.

    Either an existing fee line or open item named by its ``codice``
    (``servizio``; the figures left None are unchanged, and an open item given
    an ``importo`` becomes a fee line from the amendment's date), or a new fee
    line in an ambito (``nuovo_servizio``), or a consortium item (``risorsa``:
    the item with the same ``voce`` in that ambito is replaced, or it is added).
    """

    data: date
    atto: str
    motivo: str | None = None
    servizio: str | None = None
    canone_mensile: Decimal | None = None
    mensilita: int | None = None
    importo: Decimal | None = None
    aliquota_iva: Decimal | None = None
    mesi: tuple[int, ...] | None = None
    nuovo_servizio: tuple[int, Servizio] | None = None  # (ambito, line)
    risorsa: tuple[int, VoceRisorsa] | None = None  # (ambito, item)
    #: The day a one-off service is rendered.
    giorno: date | None = None


class Agreement(NamedTuple):
    """A whole agreement: one year's negotiation schedules."""

    documento: Documento
    ambiti: tuple[Ambito, ...]
    nido: Nido | None = None
    sintesi: Dichiarato = Dichiarato()
    risorse_consorzio: DichiaratoRisorse = DichiaratoRisorse()
    variazioni: tuple[Variazione, ...] = ()

    def servizi(self) -> dict[str, tuple[Ambito, Servizio]]:
        """Every fee line that has a ``codice``, by code, with its ambito."""
        return {s.codice: (a, s) for a in self.ambiti for s in a.servizi if s.codice}
