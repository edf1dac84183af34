"""Split payment (scissione dei pagamenti, art. 17-ter DPR 633/72): per month of payment,
what went to the consortium and the VAT the Comune owes the Treasury, due by the 16th of
the month after, or the next working day.
"""

# Real annotations, no `from __future__`: NamedTuple would compile every string
# annotation into a ForwardRef at import.

from collections.abc import Sequence
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, NamedTuple

from crema_budget.money import ZERO
from crema_budget.year.fatturapa.document_types import INVOICE_TYPES
from crema_budget.year.records import Mese, Registro

if TYPE_CHECKING:
    from crema_budget.year.fatturapa.records import FatturaElettronica


class Versamento(NamedTuple):
    """Split payment: per month of payment, what went to the consortium and the VAT
    the Comune owes the Treasury, with its due date."""

    mese: Mese
    al_consorzio: Decimal
    iva_erario: Decimal
    scadenza: date
    fatture: int


def italian_due_date(paid: Mese) -> date:
    """When VAT withheld under split payment is due: the 16th of the month after
    payment, or the next working day when that is a Saturday, Sunday or holiday."""
    day = date(paid.next().anno, paid.next().mese, 16)
    while day.weekday() >= 5 or day in _holidays(day.year):
        day += timedelta(days=1)
    return day


def _holidays(year: int) -> set[date]:
    """Italy's national holidays (Easter Monday from the Gregorian computus)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 19 * l_) // 433
    month = (h + l_ - 7 * m + 90) // 25
    day = (h + l_ - 7 * m + 33 * month + 19) % 32
    easter = date(year, month, day)
    fixed = [(1, 1), (1, 6), (4, 25), (5, 1), (6, 2), (8, 15), (11, 1), (12, 8), (12, 25), (12, 26)]
    return {date(year, mo, da) for mo, da in fixed} | {easter + timedelta(days=1)}


class _Pagata(NamedTuple):
    """An invoice paid: to the consortium, and the VAT the Comune owes the Treasury."""

    pagata: date
    al_consorzio: Decimal
    iva_erario: Decimal


def split_payment(
    registro: Registro, letti: "Sequence[FatturaElettronica]", al: date
) -> list[Versamento]:
    """Per month of payment: to the consortium, and VAT to the Treasury by the 16th of
    the month after (split payment, art. 17-ter DPR 633/72).

    Split payment is a matter of whole invoices: every invoice paid, and all of it, whether
    or not each of its lines belongs to a fee line of the agreement. An e-invoice counts
    as it states its summaries (ImponibileImporto to the consortium, Imposta to the
    Treasury where EsigibilitaIVA is S, to the consortium otherwise); a document that is
    not an invoice (a credit note) is never paid as one."""
    paid: list[_Pagata] = []
    for entry in registro.fatture:
        if entry.pagata is not None and entry.pagata <= al:
            to_treasury = entry.iva if entry.scissione else ZERO
            paid.append(
                _Pagata(entry.pagata, entry.imponibile + entry.iva - to_treasury, to_treasury)
            )
    payments = {p.numero: p.data for p in registro.pagamenti}
    for invoice in letti:
        day = payments.get(invoice.numero)
        if invoice.tipo_documento not in INVOICE_TYPES or day is None or day > al:
            continue
        to_treasury = sum((r.imposta for r in invoice.riepiloghi if r.esigibilita_iva == "S"), ZERO)
        paid.append(_Pagata(day, invoice.imponibile + invoice.iva - to_treasury, to_treasury))
    months: dict[Mese, list[_Pagata]] = {}
    for payment in paid:
        months.setdefault(Mese(payment.pagata.year, payment.pagata.month), []).append(payment)
    return [
        Versamento(
            month,
            sum((p.al_consorzio for p in months[month]), ZERO),
            sum((p.iva_erario for p in months[month]), ZERO),
            italian_due_date(month),
            len(months[month]),
        )
        for month in sorted(months)
    ]
