"""The payment-timeliness indicator (indicatore di tempestività dei pagamenti, DPCM 22
settembre 2014, art. 9) that the Comune publishes each quarter and each year.

For the invoices paid in the period: the sum of (payment date − due date, in days) ×
the amount paid, over the sum of the amounts. The due date is the day the invoice was
received (``ricevuta``; else its date, and the row says so) plus the payment term: the
register's ``termine_pagamento``, else the agreement's, else 30 days (D.Lgs. 231/2002,
art. 4). The amount is what the supplier was paid: under split payment the VAT the
Comune pays the Treasury is left out. A payment before the due date counts negative;
credit notes and invoices not paid in the period are left out. Rounded once, half up,
to two decimals. A period with no payment has no indicator (None), never 0.
"""

# Real annotations, no `from __future__`: NamedTuple would compile every string
# annotation into a ForwardRef at import.

from collections.abc import Sequence
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, NamedTuple

from crema_budget.money import ZERO, round_half_up
from crema_budget.office.invoices import documents
from crema_budget.year.due import TERMINE_PAGAMENTO
from crema_budget.year.records import Registro

if TYPE_CHECKING:
    from crema_budget.year.fatturapa.records import FatturaElettronica


class Riga(NamedTuple):
    """One invoice paid in the period, and how many days after (or before) its due date."""

    numero: str
    data: date
    ricevuta: date  # the day the term runs from…
    da_ricevuta: bool  # …the receipt recorded (True) or the invoice's date (False)
    scadenza: date
    pagata: date
    giorni: int  # negative: paid early
    importo: Decimal  # paid to the supplier (VAT under split payment excluded)
    origine: str = ""

    @property
    def ponderato(self) -> Decimal:
        return self.giorni * self.importo


class Tempestivita(NamedTuple):
    anno: int
    trimestre: int | None  # None: the whole year
    dal: date
    al: date
    termine: int  # the payment term, in days
    righe: tuple[Riga, ...]
    importo: Decimal  # the sum of the amounts paid
    ponderato: Decimal  # the sum of days × amount
    #: The indicator in days, two decimals; None when nothing was paid in the period.
    indicatore: Decimal | None


def period(anno: int, trimestre: int | None) -> tuple[date, date]:
    """The first and last day of a year, or of one of its quarters (1–4)."""
    if trimestre is None:
        return date(anno, 1, 1), date(anno, 12, 31)
    first = date(anno, 3 * trimestre - 2, 1)
    after = date(anno + 1, 1, 1) if trimestre == 4 else date(anno, 3 * trimestre + 1, 1)
    return first, after - timedelta(days=1)


def payment_term(registro: Registro, agreement_term: int | None) -> int:
    """The register's term, else the agreement's, else 30 days."""
    return registro.termine_pagamento or agreement_term or TERMINE_PAGAMENTO


def tempestivita(
    registro: Registro,
    letti: "Sequence[FatturaElettronica]",
    anno: int,
    trimestre: int | None = None,
    agreement_term: int | None = None,
    al: date | None = None,
) -> Tempestivita:
    """The indicator for a year or a quarter; with ``al``, only the payments up to it."""
    start, end = period(anno, trimestre)
    if al is not None:
        end = min(end, al)
    term = payment_term(registro, agreement_term)
    rows = []
    for doc in documents(registro, letti):
        if doc.pagata is None or not start <= doc.pagata <= end or doc.al_fornitore <= ZERO:
            continue
        received = doc.ricevuta or doc.data
        due = received + timedelta(days=term)
        rows.append(
            Riga(
                doc.numero,
                doc.data,
                received,
                doc.ricevuta is not None,
                due,
                doc.pagata,
                (doc.pagata - due).days,
                doc.al_fornitore,
                doc.origine,
            )
        )
    rows.sort(key=lambda r: (r.pagata, r.numero))
    amount = sum((r.importo for r in rows), ZERO)
    weighted = sum((r.ponderato for r in rows), ZERO)
    return Tempestivita(
        anno=anno,
        trimestre=trimestre,
        dal=start,
        al=end,
        termine=term,
        righe=tuple(rows),
        importo=amount,
        ponderato=weighted,
        indicatore=round_half_up(weighted / amount, 2) if amount else None,
    )
