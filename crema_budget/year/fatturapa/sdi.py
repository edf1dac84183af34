"""The arithmetic the Sistema di Interscambio checks on an e-invoice, with its tolerances.

An e-invoice states, for each VAT rate, a summary (DatiRiepilogo): the taxable total
(ImponibileImporto) and the VAT (Imposta). SdI recomputes both and rejects the file only
beyond a tolerance; the Agenzia delle Entrate's technical specification (Specifiche
tecniche, the table of error codes) words the two checks so:

- **00421**, Imposta: the rate times ImponibileImporto, divided by 100, rounded to the
  second decimal half up; a difference of ±1 cent is admitted (:data:`TOLLERANZA_IMPOSTA`).
- **00422**, ImponibileImporto: for each distinct rate, the sum of the lines' PrezzoTotale,
  of the professional funds' ImportoContributoCassa and of the summaries' Arrotondamento at
  that rate; a difference of ±1 euro is admitted (:data:`TOLLERANZA_IMPONIBILE`).

These checks came to FatturaPA 1.1 with the "Elenco controlli" of May 2016 (reported from 9
May, rejecting from 1 August 2016), and stay in force for 1.2: an e-invoice SdI delivered
can carry a gap within them. Such a gap is a rounding to be noted, not an error; a larger
one is something SdI would not have let through, or a file that did not come from SdI.

Pure: records in, gaps out.
"""

# Real annotations, no `from __future__`: NamedTuple would compile every string
# annotation into a ForwardRef at import.

from datetime import date
from decimal import Decimal
from enum import Enum
from typing import TYPE_CHECKING, NamedTuple

from crema_budget.money import ZERO, vat

if TYPE_CHECKING:
    from crema_budget.year.fatturapa.records import FatturaElettronica, RigaFattura

#: 00421: how far Imposta may be from the rate applied to ImponibileImporto.
TOLLERANZA_IMPOSTA = Decimal("0.01")
#: 00422: how far ImponibileImporto may be from the lines (and funds, and roundings) it sums.
TOLLERANZA_IMPONIBILE = Decimal("1.00")


class Controllo(str, Enum):
    """Which of SdI's checks a gap is about (stable identifiers)."""

    IMPOSTA = "imposta"  # 00421
    IMPONIBILE = "imponibile"  # 00422


class Scarto(NamedTuple):
    """A figure an e-invoice states and what SdI's rule computes for it, at one rate."""

    controllo: Controllo
    aliquota_iva: Decimal
    dichiarato: Decimal  # what the invoice states (Imposta, or ImponibileImporto)
    calcolato: Decimal  # what the rule gives

    @property
    def differenza(self) -> Decimal:
        """Stated minus computed."""
        return self.dichiarato - self.calcolato

    @property
    def tollerato(self) -> bool:
        """Within SdI's tolerance: a rounding, not an error."""
        limit = TOLLERANZA_IMPOSTA if self.controllo is Controllo.IMPOSTA else TOLLERANZA_IMPONIBILE
        return abs(self.differenza) <= limit


def scarti(invoice: "FatturaElettronica") -> list[Scarto]:
    """Every gap of ``invoice``'s summaries from SdI's two rules (00421, then 00422 rate by
    rate in the order the rates first appear); an empty list when every figure is exact."""
    found: list[Scarto] = []
    for summary in invoice.riepiloghi:
        expected = vat(summary.imponibile, summary.aliquota_iva)
        if summary.imposta != expected:
            found.append(Scarto(Controllo.IMPOSTA, summary.aliquota_iva, summary.imposta, expected))
    stated: dict[Decimal, Decimal] = {}
    parts: dict[Decimal, Decimal] = {}
    for summary in invoice.riepiloghi:
        rate = summary.aliquota_iva
        stated[rate] = stated.get(rate, ZERO) + summary.imponibile
        parts[rate] = parts.get(rate, ZERO) + (summary.arrotondamento or ZERO)
    for riga in invoice.righe:
        parts[riga.aliquota_iva] = parts.get(riga.aliquota_iva, ZERO) + riga.prezzo_totale
    for cassa in invoice.casse:
        parts[cassa.aliquota_iva] = parts.get(cassa.aliquota_iva, ZERO) + cassa.importo
    for rate in dict.fromkeys([*stated, *parts]):
        declared, computed = stated.get(rate, ZERO), parts.get(rate, ZERO)
        if declared != computed:
            found.append(Scarto(Controllo.IMPONIBILE, rate, declared, computed))
    return found


def periodo_invertito(riga: "RigaFattura") -> tuple[date, date] | None:
    """The line's period, when it ends (DataFinePeriodo) before it starts."""
    start, end = riga.data_inizio, riga.data_fine
    if start is not None and end is not None and end < start:
        return start, end
    return None
