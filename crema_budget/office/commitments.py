"""Commitments (impegni di spesa): each binds an amount of a budget chapter, VAT
included, to fee lines; the invoices of those lines must not go beyond it.

Per commitment, at a date: its amount, what its fee lines' invoices add up to (VAT
included, as a commitment is), what of that is paid, and the residual. Invoices beyond
a commitment are an anomaly that names it and the invoice that crossed it; once the
register lists any commitment, a fee line with invoices and no commitment is one too.
"""

# Real annotations, no `from __future__`: NamedTuple would compile every string
# annotation into a ForwardRef at import.

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, NamedTuple

from crema_budget.money import ZERO
from crema_budget.year.anomalies import Anomalia, Tipo
from crema_budget.year.assign import assign
from crema_budget.year.records import Fattura, Impegno, Registro

if TYPE_CHECKING:
    from crema_budget.year.fatturapa.records import FatturaElettronica


class RigaImpegno(NamedTuple):
    """One commitment at a date."""

    impegno: Impegno
    fatturato: Decimal  # its fee lines' invoices, VAT included
    pagato: Decimal  # of which paid
    fatture: int

    @property
    def residuo(self) -> Decimal:
        """What is left of the commitment; negative once it is exceeded."""
        return self.impegno.importo - self.fatturato


class Impegni(NamedTuple):
    al: date
    righe: tuple[RigaImpegno, ...]
    anomalie: tuple[Anomalia, ...]


def impegni(registro: Registro, letti: "Sequence[FatturaElettronica]", al: date) -> Impegni:
    """Every commitment of the register at ``al``, and the anomalies: invoices beyond a
    commitment, a fee line invoiced with no commitment."""
    electronic = assign(letti, registro.abbinamenti, registro.pagamenti).entries
    entries = sorted(
        (e for e in (*registro.fatture, *electronic) if e.data <= al),
        key=lambda e: (e.data, e.numero),
    )
    rows: list[RigaImpegno] = []
    problems: list[Anomalia] = []
    for impegno in registro.impegni:
        own = [e for e in entries if e.servizio in impegno.servizi]
        total = sum((_with_vat(e) for e in own), ZERO)
        paid = sum((_with_vat(e) for e in own if e.pagata is not None and e.pagata <= al), ZERO)
        rows.append(RigaImpegno(impegno, total, paid, len(own)))
        if total > impegno.importo:
            problems.append(
                Anomalia(
                    Tipo.OLTRE_IMPEGNO,
                    _crossing(own, impegno.importo).numero,
                    servizio=", ".join(impegno.servizi),
                    importo=total,
                    atteso=impegno.importo,
                    testo=impegno.numero,
                )
            )
    if registro.impegni:
        covered = {code for impegno in registro.impegni for code in impegno.servizi}
        uncovered: dict[str, list[Fattura]] = {}
        for entry in entries:
            if entry.servizio not in covered:
                uncovered.setdefault(entry.servizio, []).append(entry)
        problems.extend(
            Anomalia(
                Tipo.SENZA_IMPEGNO,
                own[0].numero,
                servizio=code,
                importo=sum((_with_vat(e) for e in own), ZERO),
            )
            for code, own in uncovered.items()
        )
    return Impegni(al, tuple(rows), tuple(problems))


def _with_vat(entry: Fattura) -> Decimal:
    return entry.imponibile + entry.iva


def _crossing(entries: list[Fattura], limit: Decimal) -> Fattura:
    """The first invoice, in date order, whose amount takes the running total beyond ``limit``."""
    running = ZERO
    for entry in entries:
        running += _with_vat(entry)
        if running > limit:
            return entry
    raise AssertionError("the total is beyond the limit")  # pragma: no cover
