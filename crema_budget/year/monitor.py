"""The agreement's year: what is due, invoiced and paid at a date, and every anomaly.

Pure functions from an agreement, the office's register and the e-invoices read
from disk to a :class:`Monitoraggio`: nothing here prints, reads files or the
clock. How each kind of fee line falls due over the year, and when an invoice is
missing, is :mod:`crema_budget.year.due`'s; how e-invoice lines go to fee lines,
:mod:`crema_budget.year.assign`'s; what can be wrong with an invoice,
:mod:`crema_budget.year.anomalies`'; split payment, :mod:`crema_budget.year.split_payment`'s.

Amounts are taxable (VAT excluded), as the agreement states its budget; VAT is
checked invoice by invoice and paid to the Treasury under split payment, for the
whole of every invoice paid.
"""

# Real annotations, no `from __future__`: NamedTuple would compile every string
# annotation into a ForwardRef at import.

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, NamedTuple

from crema_budget.agreement import compute
from crema_budget.agreement.model import Agreement, Fascia
from crema_budget.money import ZERO, round_cent, vat
from crema_budget.year.anomalies import Anomalia, Tipo, duplicates, entry_problems, year_months
from crema_budget.year.assign import assign
from crema_budget.year.due import (
    MENSILI,
    TERMINE_PAGAMENTO,
    Base,
    Due,
    Quota,
    basis,
    mancanti,
    schedule,
    tipo,
    with_register,
)
from crema_budget.year.records import Fattura, Mese, Registro
from crema_budget.year.split_payment import Versamento, split_payment

if TYPE_CHECKING:
    from crema_budget.year.fatturapa.records import FatturaElettronica


class Linea(NamedTuple):
    """One fee line at the date: budget, due, invoiced, paid, forecast."""

    ambito: int
    codice: str
    voce: str
    base: Base
    bilancio: Decimal  # the year's taxable budget
    dovuto: Decimal  # due to the date
    fatturato: Decimal  # invoiced to the date (taxable)
    pagato: Decimal  # paid to the date (taxable)
    previsione: Decimal  # year-end forecast
    iva_fatturata: Decimal  # VAT of the invoices to the date, invoice by invoice
    fatture: int  # how many invoice entries to the date
    aliquota_iva: Decimal
    tipo: str = ""  # the line's kind (model.ANNUALE, MENSILE, STAGIONALE, UNA_TANTUM)

    @property
    def differenza(self) -> Decimal:
        return self.fatturato - self.dovuto

    @property
    def percentuale(self) -> Decimal | None:
        """Share of the budget invoiced, in percent."""
        return self.fatturato * 100 / self.bilancio if self.bilancio else None

    @property
    def scarto_iva(self) -> Decimal:
        """Invoice-by-invoice VAT minus the VAT on the whole invoiced amount: only the
        rounding of each invoice to the cent."""
        return self.iva_fatturata - vat(self.fatturato, self.aliquota_iva)


class MeseNido(NamedTuple):
    """One month of the nursery: enrolment, tier, what is due and invoiced."""

    mese: Mese
    iscritti: int | None  # None: not recorded
    fascia: Fascia | None
    dovuto: Decimal | None  # None: no fee defined (rimodulazione)
    fatturato: Decimal
    passato: bool  # the month has ended by the date


class Monitoraggio(NamedTuple):
    al: date
    anno: int
    linee: tuple[Linea, ...]
    aperte: tuple[tuple[int, str | None, str], ...]  # (ambito, codice, voce) still to be defined
    anomalie: tuple[Anomalia, ...]
    nido: tuple[MeseNido, ...]
    ultimo_iscritti: tuple[Mese, int] | None  # the forecast's assumption for the nursery
    versamenti: tuple[Versamento, ...]
    #: Gaps an e-invoice may carry (SdI's tolerances): noted, never anomalies.
    note: tuple[Anomalia, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.anomalie


def default_date(agreement: Agreement, today: date) -> date:
    """Today, capped to the agreement's year (its last day once the year is over)."""
    year = agreement.documento.anno
    return min(max(today, date(year, 1, 1)), date(year, 12, 31))


def monitor(
    agreement: Agreement,
    registro: Registro,
    al: date,
    letti: "Sequence[FatturaElettronica]" = (),
    illeggibili: Sequence[tuple[str, str]] = (),
) -> Monitoraggio:
    """The year at ``al``: every fee line, the nursery month by month, the
    split-payment schedule and every anomaly, in the order a reader checks them."""
    year = agreement.documento.anno
    electronic, problems, notes = assign(letti, registro.abbinamenti, registro.pagamenti)
    problems = [
        *(Anomalia(Tipo.ILLEGGIBILE, None, origine=file, testo=why) for file, why in illeggibili),
        *problems,
    ]
    entries = [e for e in (*registro.fatture, *electronic) if e.data <= al]
    lines = agreement.servizi()
    # What the register records for a month that begins after the date is not known at
    # the date: neither what is due nor the forecast may use it.
    enrolment = {month: n for month, n in registro.iscritti_nido if month.first_day() <= al}
    term = agreement.documento.termine_pagamento or TERMINE_PAGAMENTO
    problems.extend(duplicates(entries))
    by_line: dict[str, list[Fattura]] = {}
    for entry in entries:
        if entry.servizio not in lines:
            problems.append(
                Anomalia(
                    Tipo.SERVIZIO_SCONOSCIUTO,
                    entry.numero,
                    servizio=entry.servizio,
                    importo=entry.imponibile,
                    origine=entry.origine,
                )
            )
            continue
        by_line.setdefault(entry.servizio, []).append(entry)
    linee: list[Linea] = []
    nido_months: tuple[MeseNido, ...] = ()
    last_known = max(enrolment.items()) if enrolment else None
    for codice, (ambito, servizio) in lines.items():
        servizio = with_register(servizio, registro.svolgimento)
        base = basis(agreement, servizio)
        own = by_line.get(codice, [])
        plan = schedule(year, servizio, base)
        due_of = _due_function(agreement, base, plan, enrolment)
        if base is Base.NIDO:
            nido_months = _nido_months(agreement, plan, enrolment, own, al, year)
            problems.extend(_nido_problems(nido_months, own, year))
        problems.extend(entry_problems(year, servizio, codice, base, plan, due_of, own))
        budget = compute.imponibile(servizio)
        invoiced = sum((e.imponibile for e in own), ZERO)
        if invoiced > budget:
            problems.append(
                Anomalia(
                    Tipo.OLTRE_BILANCIO,
                    own[-1].numero if own else None,
                    servizio=codice,
                    importo=invoiced,
                    atteso=budget,
                )
            )
        due = sum((due_of(q.mese) or ZERO for q in plan if q.scade <= al), ZERO)
        billed_months = {
            m for e in own if not e.nota_di_credito for m in year_months(e.dal, e.al, year)
        }
        if base in MENSILI or base is Base.RATE:
            dues = {q.mese: due_of(q.mese) for q in plan}
            problems.extend(
                Anomalia(
                    Tipo.FATTURA_MANCANTE,
                    None,
                    servizio=codice,
                    mese=missing.mese,
                    atteso=missing.importo,
                    testo=missing.termine.isoformat(),
                )
                for missing in mancanti(plan, billed_months, al, dues, term)
                if missing.importo is not None  # no fee defined (rimodulazione): said apart
            )
        if base in MENSILI:
            forecast = invoiced + sum(
                (due_of(q.mese) or ZERO for q in plan if q.mese not in billed_months), ZERO
            )
        else:
            forecast = invoiced + max(budget - invoiced, ZERO)
        paid = sum((e.imponibile for e in own if e.pagata is not None and e.pagata <= al), ZERO)
        linee.append(
            Linea(
                ambito=ambito.numero,
                codice=codice,
                voce=servizio.voce,
                base=base,
                bilancio=budget,
                dovuto=due,
                fatturato=invoiced,
                pagato=paid,
                previsione=forecast,
                iva_fatturata=sum((e.iva for e in own), ZERO),
                fatture=len(own),
                aliquota_iva=servizio.aliquota_iva,
                tipo=tipo(servizio),
            )
        )
    aperte = tuple((a.numero, d.codice, d.voce) for a in agreement.ambiti for d in a.da_definire)
    return Monitoraggio(
        al=al,
        anno=year,
        linee=tuple(linee),
        aperte=aperte,
        anomalie=tuple(problems),
        nido=nido_months,
        ultimo_iscritti=last_known,
        versamenti=tuple(split_payment(registro, letti, al)),
        note=tuple(notes),
    )


def _due_function(
    agreement: Agreement,
    base: Base,
    plan: list[Quota],
    enrolment: dict[Mese, int],
) -> Due:
    """The amount due for each month of a line; for the nursery, the fee of the tier
    of that month's enrolment, or of the last enrolment recorded before it (the full
    fee when none is)."""
    contract = {quota.mese: quota.importo for quota in plan}
    if base is not Base.NIDO:
        return lambda month: contract.get(month)
    assert agreement.nido is not None
    tiers = agreement.nido.fasce
    full = compute.fascia_piena(tiers).canone_mensile

    # Asked only about the months of the nursery's plan (what is due, the missing
    # invoices, the forecast, an invoice's months within the plan).
    def due(month: Mese) -> Decimal | None:
        count = enrolment.get(month)
        if count is None:
            # Not recorded: the last enrolment known before it, else the full fee.
            earlier = [(m, n) for m, n in enrolment.items() if m < month]
            count = max(earlier)[1] if earlier else None
        if count is None:
            return full
        return compute.fascia_per(tiers, count).canone_mensile

    return due


def _nido_months(
    agreement: Agreement,
    plan: list[Quota],
    enrolment: dict[Mese, int],
    own: list[Fattura],
    al: date,
    year: int,
) -> tuple[MeseNido, ...]:
    assert agreement.nido is not None
    tiers = agreement.nido.fasce
    rows = []
    for quota in plan:
        month = quota.mese
        count = enrolment.get(month)
        fascia = compute.fascia_per(tiers, count) if count is not None else None
        billed = sum((_share(e, month) for e in own if e.dal <= month <= e.al), ZERO)
        rows.append(
            MeseNido(
                mese=month,
                iscritti=count,
                fascia=fascia,
                dovuto=fascia.canone_mensile if fascia is not None else None,
                fatturato=billed,
                passato=quota.scade <= al,
            )
        )
    return tuple(rows)


def _share(entry: Fattura, month: Mese) -> Decimal:
    """An entry's amount for one of its months (evenly, for a range)."""
    count = max(entry.al.ordinal() - entry.dal.ordinal() + 1, 1)
    # One month: round_cent(amount × 1/1) − round_cent(0), the amount itself.
    index = month.ordinal() - entry.dal.ordinal() + 1
    return round_cent(entry.imponibile * index / count) - round_cent(
        entry.imponibile * (index - 1) / count
    )


def _nido_problems(months: tuple[MeseNido, ...], own: list[Fattura], year: int) -> list[Anomalia]:
    billed = {m for e in own for m in year_months(e.dal, e.al, year)}
    problems = []
    for row in months:
        if not row.passato and row.mese not in billed:
            continue
        if row.iscritti is None:
            problems.append(Anomalia(Tipo.ISCRITTI_MANCANTI, None, servizio="nido", mese=row.mese))
        elif row.dovuto is None:
            numero = next((e.numero for e in own if e.dal <= row.mese <= e.al), None)
            problems.append(
                Anomalia(Tipo.RIMODULAZIONE, numero, mese=row.mese, testo=str(row.iscritti))
            )
    return problems
