"""The consortium's own resources as delivered: what each ambito's promise (its items,
and its share of the 1 %) says, against what the register records as delivered
(``risorse_consorzio:``), at a date.

A shortfall is shown at any date; at the end of the agreement's year (31 December) it
is an anomaly, as the promise was for the year. The ratio of what was delivered to the
municipal fees invoiced to date (taxable) is the "7,5 %" of the document on actuals.
Pure: records in, figures out.
"""

# Real annotations, no `from __future__`: NamedTuple would compile every string
# annotation into a ForwardRef at import.

from datetime import date
from decimal import Decimal
from typing import NamedTuple

from crema_budget.agreement.compute import risorse
from crema_budget.agreement.model import Agreement
from crema_budget.money import ZERO
from crema_budget.year.records import QUOTA_1_PERCENTO, Registro

#: What a row compares: an ambito's items, or its share of the 1 %.
VOCI = "voci"
QUOTA = "quota_1_percento"


class Confronto(NamedTuple):
    """One promise against what was delivered of it up to the date."""

    ambito: int
    titolo: str
    parte: str  # VOCI or QUOTA
    promesso: Decimal
    consegnato: Decimal

    @property
    def mancante(self) -> Decimal:
        """What is still to deliver (never below zero: more delivered is no shortfall)."""
        return max(self.promesso - self.consegnato, ZERO)


class RisorseConsegnate(NamedTuple):
    """The consortium's resources at a date: each promise and what came of it."""

    al: date
    righe: tuple[Confronto, ...]
    #: The municipal fees invoiced up to the date (taxable), the ratio's base.
    fatturato: Decimal
    #: The ratio the document declares (7.5), if it does.
    dichiarata: Decimal | None
    fine_anno: bool  # the date is the last day of the year: a shortfall is an anomaly

    @property
    def promesso(self) -> Decimal:
        return sum((r.promesso for r in self.righe), ZERO)

    @property
    def consegnato(self) -> Decimal:
        return sum((r.consegnato for r in self.righe), ZERO)

    @property
    def mancante(self) -> Decimal:
        return sum((r.mancante for r in self.righe), ZERO)

    @property
    def percentuale(self) -> Decimal | None:
        """Delivered over the fees invoiced to date, in percent (None before any fee)."""
        return self.consegnato * 100 / self.fatturato if self.fatturato else None

    @property
    def anomalie(self) -> tuple[Confronto, ...]:
        """The shortfalls that count as anomalies: those left at the end of the year."""
        return tuple(r for r in self.righe if r.mancante) if self.fine_anno else ()


def delivered(
    agreement: Agreement, registro: Registro, al: date, fatturato: Decimal
) -> RisorseConsegnate | None:
    """What the consortium delivered up to the end of day ``al`` against each promise of
    ``agreement`` (as amended: the caller's); None when the register has no
    ``risorse_consorzio:`` section."""
    if registro.risorse_consorzio is None:
        return None
    items: dict[int, Decimal] = {}
    shares: dict[int, Decimal] = {}
    for consegna in registro.risorse_consorzio:
        if consegna.data > al:
            continue
        into = shares if consegna.voce == QUOTA_1_PERCENTO else items
        into[consegna.ambito] = into.get(consegna.ambito, ZERO) + consegna.importo
    righe: list[Confronto] = []
    promised = risorse(agreement)
    for ambito in promised.ambiti:
        righe.append(
            Confronto(
                ambito.numero, ambito.titolo, VOCI, ambito.totale, items.get(ambito.numero, ZERO)
            )
        )
    for ambito in promised.ambiti:
        if ambito.quota_1_percento is not None:
            righe.append(
                Confronto(
                    ambito.numero,
                    ambito.titolo,
                    QUOTA,
                    ambito.quota_1_percento,
                    shares.get(ambito.numero, ZERO),
                )
            )
    year = agreement.documento.anno
    return RisorseConsegnate(
        al=al,
        righe=tuple(righe),
        fatturato=fatturato,
        dichiarata=agreement.risorse_consorzio.percentuale,
        fine_anno=al >= date(year, 12, 31),
    )
