"""The year's invoices as whole documents, as the office pays them: the one typed in the
register and the e-invoices (a document that is not an invoice, such as a credit note,
is never paid as one), each with its dates and what went to the consortium.
"""

# Real annotations, no `from __future__`: NamedTuple would compile every string
# annotation into a ForwardRef at import.

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, NamedTuple

from crema_budget.money import ZERO
from crema_budget.year.fatturapa.document_types import INVOICE_TYPES
from crema_budget.year.records import Registro

if TYPE_CHECKING:
    from crema_budget.year.fatturapa.records import FatturaElettronica


class Documento(NamedTuple):
    """One invoice as a whole: its number and dates, taxable amount and VAT, and the
    VAT the Comune pays the Treasury instead of the supplier (split payment)."""

    numero: str
    data: date
    ricevuta: date | None
    pagata: date | None
    imponibile: Decimal
    iva: Decimal
    iva_erario: Decimal
    origine: str = ""  # "" for the register, else the e-invoice's file

    @property
    def al_fornitore(self) -> Decimal:
        """What was paid to the supplier: the total less the VAT paid to the Treasury."""
        return self.imponibile + self.iva - self.iva_erario


def documents(registro: Registro, letti: "Sequence[FatturaElettronica]") -> list[Documento]:
    """Every invoice of the register and every e-invoice, once each, in that order."""
    found = [
        Documento(
            f.numero,
            f.data,
            f.ricevuta,
            f.pagata,
            f.imponibile,
            f.iva,
            f.iva if f.scissione else ZERO,
        )
        for f in registro.fatture
    ]
    paid = {p.numero: p for p in registro.pagamenti}
    for invoice in letti:
        if invoice.tipo_documento not in INVOICE_TYPES:
            continue
        payment = paid.get(invoice.numero)
        found.append(
            Documento(
                invoice.numero,
                invoice.data,
                payment.ricevuta if payment is not None else None,
                payment.data if payment is not None else None,
                invoice.imponibile,
                invoice.iva,
                sum((r.imposta for r in invoice.riepiloghi if r.esigibilita_iva == "S"), ZERO),
                invoice.file,
            )
        )
    return found
