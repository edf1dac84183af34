"""The agreement's year: what is due, invoiced and paid at a date, and every anomaly.

Pure functions from an agreement, the office's register and the e-invoices read
from disk to a :class:`Monitoraggio`: nothing here prints, reads files or the
clock. How each kind of fee line falls due over the year, and when an invoice is
missing, is :mod:`crema_budget.year.dovuto`'s; what the Sistema di Interscambio tolerates
in an e-invoice's arithmetic is :mod:`crema_budget.year.fatturapa.sdi`'s.

Amounts are taxable (VAT excluded), as the agreement states its budget; VAT is
checked invoice by invoice and paid to the Treasury under split payment, for the
whole of every invoice paid.
"""

# Real annotations, no `from __future__`: NamedTuple would compile every string
# annotation into a ForwardRef at import.

from collections.abc import Callable, Sequence
from datetime import date, timedelta
from decimal import Decimal
from enum import Enum
from typing import TYPE_CHECKING, NamedTuple

from crema_budget.agreement import compute
from crema_budget.agreement.model import Agreement, Fascia, Servizio
from crema_budget.money import ZERO, round_cent, vat
from crema_budget.year import dovuto
from crema_budget.year.dovuto import Base, Quota, basis, schedule
from crema_budget.year.fatturapa import sdi
from crema_budget.year.records import Abbinamento, Fattura, Mese, Pagamento, Registro

if TYPE_CHECKING:
    from crema_budget.year.fatturapa.fatturapa import FatturaElettronica


class Tipo(str, Enum):
    """The kinds of anomaly (stable identifiers; the views word them)."""

    SERVIZIO_SCONOSCIUTO = "servizio sconosciuto"
    FUORI_PERIODO = "fuori periodo"
    IMPORTO_DIVERSO = "importo diverso"
    OLTRE_IMPORTO = "oltre l'importo"
    RIMODULAZIONE = "rimodulazione"
    ISCRITTI_MANCANTI = "iscritti mancanti"
    ALIQUOTA = "aliquota"
    IVA = "iva"
    NUMERO_DOPPIO = "numero doppio"
    MESE_DOPPIO = "mese doppio"
    OLTRE_BILANCIO = "oltre il bilancio"
    NON_ABBINATA = "non abbinata"
    AMBIGUA = "ambigua"
    ILLEGGIBILE = "illeggibile"
    PERIODO_MANCANTE = "periodo mancante"
    PAGAMENTO_SCONOSCIUTO = "pagamento sconosciuto"
    NON_FATTURA = "non fattura"
    RIEPILOGO = "riepilogo"  # an e-invoice's lines do not add up to its summary
    PERIODO_INVERTITO = "periodo invertito"  # a line's period ends before it starts
    FATTURA_MANCANTE = "fattura mancante"  # a month due, its term run out, uninvoiced
    FUORI_ANNO = "fuori anno"  # an invoice bills months outside the agreement's year


#: What is wrong with an e-invoice as a document, whatever the register: `fatture` reports
#: these without a register too.
DOCUMENT_PROBLEMS = frozenset({Tipo.IVA, Tipo.NON_FATTURA, Tipo.RIEPILOGO, Tipo.PERIODO_INVERTITO})


#: FatturaPA document types counted as invoiced: invoices, advance and deferred
#: invoices, fee notes and debit notes. Any other (TD04, a credit note, which
#: would lower what is invoiced; self-billing and integration documents) is an
#: anomaly, and its lines are counted nowhere rather than added.
INVOICE_TYPES = frozenset({"TD01", "TD02", "TD03", "TD05", "TD06", "TD24", "TD25"})


class Anomalia(NamedTuple):
    """Something in the year's invoices that does not match the agreement."""

    tipo: Tipo
    numero: str | None  # the invoice's number, where there is one
    servizio: str | None = None
    mese: Mese | None = None
    importo: Decimal | None = None  # what the invoice says…
    atteso: Decimal | None = None  # …and what the agreement gives
    origine: str = ""  # the e-invoice's file, or "" for the register
    testo: str = ""  # a description, a CIG or a reason, shown as given
    cedente: str = ""  # the supplier an e-invoice names

    @property
    def differenza(self) -> Decimal | None:
        """Invoiced minus due, where both are known."""
        if self.importo is None or self.atteso is None:
            return None
        return self.importo - self.atteso


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


class Versamento(NamedTuple):
    """Split payment: per month of payment, what went to the consortium and the VAT
    the Comune owes the Treasury, with its due date."""

    mese: Mese
    al_consorzio: Decimal
    iva_erario: Decimal
    scadenza: date
    fatture: int


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


# --- dates ----------------------------------------------------------------------------


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


def default_date(agreement: Agreement, today: date) -> date:
    """Today, capped to the agreement's year (its last day once the year is over)."""
    year = agreement.documento.anno
    return min(max(today, date(year, 1, 1)), date(year, 12, 31))


class CodiceIgnoto(NamedTuple):
    """A code in the register that the agreement does not have."""

    dove: tuple[str | int, ...]  # its place in the register: ("fatture", 3, "servizio")
    codice: str
    vicino: str | None  # the agreement's nearest code, if one is near


def unknown_codes(registro: Registro, agreement: Agreement) -> list[CodiceIgnoto]:
    """The register's codes that name no fee line, open item or line added by an
    amendment, with the nearest code: a typo is to be refused, never an invoice
    quietly left out of the totals."""
    import difflib

    codes = set(agreement.servizi())
    codes |= {d.codice for a in agreement.ambiti for d in a.da_definire if d.codice}
    codes |= {
        v.nuovo_servizio[1].codice
        for v in agreement.variazioni
        if v.nuovo_servizio and v.nuovo_servizio[1].codice
    }
    named = [("fatture", i, f.servizio) for i, f in enumerate(registro.fatture)]
    named += [("abbinamenti", i, a.servizio) for i, a in enumerate(registro.abbinamenti)]
    named += [("svolgimento", i, x.servizio) for i, x in enumerate(registro.svolgimento)]
    return [
        CodiceIgnoto(
            (part, index, "servizio"),
            code,
            next(iter(difflib.get_close_matches(code, sorted(codes), n=1)), None),
        )
        for part, index, code in named
        if code not in codes
    ]


# --- e-invoices ------------------------------------------------------------------


class Letture(NamedTuple):
    """E-invoices assigned to the agreement's fee lines: the invoice entries their lines
    make, what is wrong, and the gaps within SdI's tolerances (notes)."""

    entries: list[Fattura]
    problems: list[Anomalia]
    notes: list[Anomalia]


def assign(
    invoices: "Sequence[FatturaElettronica]",
    rules: Sequence[Abbinamento],
    pagamenti: Sequence[Pagamento],
) -> Letture:
    """E-invoice lines as invoice entries, by the register's rules; then the anomalies, and
    the notes (gaps within what SdI tolerates, :mod:`crema_budget.year.fatturapa.sdi`).

    A line that matches no fee line, or more than one, is an anomaly and never dropped. A
    document that is not an invoice (a credit note…), or whose lines do not add up to its
    summary beyond SdI's tolerance, is an anomaly and none of its lines is counted; so is a
    line whose period ends before it starts."""
    paid = {p.numero: p.data for p in pagamenti}
    entries: list[Fattura] = []
    problems: list[Anomalia] = []
    notes: list[Anomalia] = []
    for invoice in invoices:
        if invoice.tipo_documento not in INVOICE_TYPES:
            problems.append(
                Anomalia(
                    Tipo.NON_FATTURA,
                    invoice.numero,
                    origine=invoice.file,
                    testo=invoice.tipo_documento,
                    cedente=invoice.cedente,
                )
            )
            continue
        counted = True
        for gap in sdi.scarti(invoice):
            kind = Tipo.IVA if gap.controllo is sdi.Controllo.IMPOSTA else Tipo.RIEPILOGO
            found = Anomalia(
                kind,
                invoice.numero,
                importo=gap.dichiarato,
                atteso=gap.calcolato,
                origine=invoice.file,
                testo=str(gap.aliquota_iva),
            )
            if gap.tollerato:
                notes.append(found)
            else:
                problems.append(found)
                counted = counted and kind is not Tipo.RIEPILOGO
        if not counted:
            continue
        made = _entries(invoice, rules, paid.get(invoice.numero), problems)
        entries.extend(_share_vat(made, {r.aliquota_iva: r.imposta for r in invoice.riepiloghi}))
    numbers = {i.numero for i in invoices}
    for payment in pagamenti:
        if payment.numero not in numbers:
            problems.append(Anomalia(Tipo.PAGAMENTO_SCONOSCIUTO, payment.numero))
    return Letture(entries, problems, notes)


def _entries(
    invoice: "FatturaElettronica",
    rules: Sequence[Abbinamento],
    pagata: date | None,
    problems: list[Anomalia],
) -> list[Fattura]:
    """The invoice entries of one e-invoice's lines; what cannot be one goes to ``problems``."""
    document = f"{invoice.file}#{invoice.indice}"
    split = {r.aliquota_iva: r.esigibilita_iva == "S" for r in invoice.riepiloghi}
    made: list[Fattura] = []
    for riga in invoice.righe:
        number, description = riga.numero_linea, riga.descrizione
        start, end = riga.data_inizio, riga.data_fine
        amount, rate = riga.prezzo_totale, riga.aliquota_iva
        where = f"{invoice.file}, NumeroLinea {number}"
        words = " ".join(description.casefold().split())
        matches = {
            rule.servizio
            for rule in rules
            if (rule.descrizione and " ".join(rule.descrizione.casefold().split()) in words)
            or (rule.cig and rule.cig in invoice.cig)
        }
        inverted = sdi.periodo_invertito(riga)
        if inverted is not None:  # wrong whatever the register: said before any match
            problems.append(
                Anomalia(
                    Tipo.PERIODO_INVERTITO,
                    invoice.numero,
                    servizio=", ".join(sorted(matches)) or None,
                    importo=amount,
                    origine=where,
                    testo=f"{inverted[0].isoformat()}/{inverted[1].isoformat()}",
                )
            )
            continue
        if len(matches) != 1:
            problems.append(
                Anomalia(
                    Tipo.NON_ABBINATA if not matches else Tipo.AMBIGUA,
                    invoice.numero,
                    servizio=", ".join(sorted(matches)) or None,
                    importo=amount,
                    origine=where,
                    testo=description,
                )
            )
            continue
        (servizio,) = matches
        if start is None and end is None:
            problems.append(
                Anomalia(
                    Tipo.PERIODO_MANCANTE,
                    invoice.numero,
                    servizio=servizio,
                    importo=amount,
                    origine=where,
                    testo=description,
                )
            )
            start = end = invoice.data
        first = start or end
        last = end or start
        assert first is not None
        assert last is not None
        made.append(
            Fattura(
                numero=invoice.numero,
                data=invoice.data,
                servizio=servizio,
                dal=Mese(first.year, first.month),
                al=Mese(last.year, last.month),
                imponibile=amount,
                aliquota_iva=rate,
                iva=vat(amount, rate),
                pagata=pagata,
                scissione=split.get(rate, False),
                origine=invoice.file,
                riga=number,
                documento=document,
            )
        )
    return made


def _share_vat(made: list[Fattura], stated: dict[Decimal, Decimal]) -> list[Fattura]:
    """Each entry's VAT, so that one document's entries add up to the VAT it states:
    the last entry of a rate takes the cents that rounding line by line leaves over."""
    out = list(made)
    for rate, tax in stated.items():
        positions = [i for i, entry in enumerate(out) if entry.aliquota_iva == rate]
        if not positions:
            continue
        shared = sum((out[i].iva for i in positions), ZERO)
        rest = tax - shared
        if rest and abs(rest) <= Decimal("0.01") * len(positions):
            last = positions[-1]
            out[last] = out[last]._replace(iva=out[last].iva + rest)
    return out


# --- the monitoring --------------------------------------------------------------


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
    term = agreement.documento.termine_pagamento or dovuto.TERMINE_PAGAMENTO
    problems.extend(_duplicates(entries))
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
        servizio = dovuto.with_register(servizio, registro.svolgimento)
        base = basis(agreement, servizio)
        own = by_line.get(codice, [])
        plan = schedule(year, servizio, base)
        due_of = _due_function(agreement, base, plan, enrolment)
        if base is Base.NIDO:
            nido_months = _nido_months(agreement, plan, enrolment, own, al, year)
            problems.extend(_nido_problems(nido_months, own, year))
        problems.extend(_entry_problems(year, servizio, codice, base, plan, due_of, own))
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
        billed_months = {m for e in own for m in _year_months(e.dal, e.al, year)}
        if base in dovuto.MENSILI or base is Base.RATE:
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
                for missing in dovuto.mancanti(plan, billed_months, al, dues, term)
                if missing.importo is not None  # no fee defined (rimodulazione): said apart
            )
        if base in dovuto.MENSILI:
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
                tipo=dovuto.tipo(servizio),
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
        versamenti=tuple(_split_payment(registro, letti, al)),
        note=tuple(notes),
    )


def _year_months(first: Mese, last: Mese, year: int) -> list[Mese]:
    """The months from ``first`` to ``last`` that fall in ``year`` (twelve at most, however
    long the range: a register may be mistyped)."""
    start = max(first.ordinal(), Mese(year, 1).ordinal())
    stop = min(last.ordinal(), Mese(year, 12).ordinal())
    return [Mese.from_ordinal(m) for m in range(start, stop + 1)]


def _outside_year(first: Mese, last: Mese, year: int) -> list[tuple[Mese, Mese]]:
    """The stretches of ``first`` to ``last`` before and after ``year``."""
    stretches = []
    if first < Mese(year, 1):
        stretches.append((first, min(last, Mese(year - 1, 12))))
    if last > Mese(year, 12):
        stretches.append((max(first, Mese(year + 1, 1)), last))
    return stretches


#: What is due for a month of a line (None: nothing can be, a rimodulazione).
Due = Callable[[Mese], Decimal | None]


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

    def due(month: Mese) -> Decimal | None:
        if month not in contract:
            return None
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
    if count == 1:
        return entry.imponibile
    index = month.ordinal() - entry.dal.ordinal() + 1
    return round_cent(entry.imponibile * index / count) - round_cent(
        entry.imponibile * (index - 1) / count
    )


def _nido_problems(months: tuple[MeseNido, ...], own: list[Fattura], year: int) -> list[Anomalia]:
    billed = {m for e in own for m in _year_months(e.dal, e.al, year)}
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


def _entry_problems(
    year: int,
    servizio: Servizio,
    codice: str,
    base: Base,
    plan: list[Quota],
    due_of: Due,
    own: list[Fattura],
) -> list[Anomalia]:
    """Each invoice of a line against the agreement: months, amount, VAT."""
    months = {quota.mese for quota in plan}
    # Lines whose months are not fixed take an invoice for any month of the year.
    any_month = base in (Base.PRO_RATA_ANNO, Base.UNA_TANTUM, *dovuto.IGNOTE)
    problems: list[Anomalia] = []
    seen: dict[Mese, str] = {}
    cumulative = ZERO
    total = compute.imponibile(servizio)
    for entry in sorted(own, key=lambda e: (e.data, e.numero)):
        where = entry.origine
        covered = _year_months(entry.dal, entry.al, year)
        beyond = _outside_year(entry.dal, entry.al, year)
        for first, last in beyond:
            problems.append(
                Anomalia(
                    Tipo.FUORI_ANNO,
                    entry.numero,
                    codice,
                    origine=where,
                    testo=str(first) if first == last else f"{first}/{last}",
                )
            )
        outside = [m for m in covered if m not in months and not any_month]
        for month in outside:
            problems.append(
                Anomalia(Tipo.FUORI_PERIODO, entry.numero, codice, month, origine=where)
            )
        if entry.aliquota_iva != servizio.aliquota_iva:
            problems.append(
                Anomalia(
                    Tipo.ALIQUOTA,
                    entry.numero,
                    codice,
                    importo=entry.aliquota_iva,
                    atteso=servizio.aliquota_iva,
                    origine=where,
                )
            )
        elif entry.iva != vat(entry.imponibile, entry.aliquota_iva) and not entry.documento:
            # Hand-typed invoices to the cent; an e-invoice's VAT is its summary's, checked
            # against SdI's tolerance when it is read (assign).
            problems.append(
                Anomalia(
                    Tipo.IVA,
                    entry.numero,
                    codice,
                    importo=entry.iva,
                    atteso=vat(entry.imponibile, entry.aliquota_iva),
                    origine=where,
                )
            )
        if base in dovuto.MENSILI:
            for month in covered:
                if month in seen and seen[month] != entry.numero:
                    problems.append(
                        Anomalia(
                            Tipo.MESE_DOPPIO,
                            entry.numero,
                            codice,
                            month,
                            origine=where,
                            testo=seen[month],
                        )
                    )
                seen.setdefault(month, entry.numero)
            dues = [due_of(m) for m in covered if m in months]
            if outside or beyond or any(d is None for d in dues):
                continue  # already reported: no amount to compare with
            expected = sum((d for d in dues if d is not None), ZERO)
            if entry.imponibile != expected:
                problems.append(
                    Anomalia(
                        Tipo.IMPORTO_DIVERSO,
                        entry.numero,
                        codice,
                        entry.dal if entry.dal == entry.al else None,
                        importo=entry.imponibile,
                        atteso=expected,
                        origine=where,
                    )
                )
        else:
            cumulative += entry.imponibile
            if cumulative > total:
                problems.append(
                    Anomalia(
                        Tipo.OLTRE_IMPORTO,
                        entry.numero,
                        codice,
                        importo=cumulative,
                        atteso=total,
                        origine=where,
                    )
                )
    return problems


def _duplicates(entries: Sequence[Fattura]) -> list[Anomalia]:
    """The same invoice number on two different documents."""
    documents: dict[str, str] = {}
    problems = []
    for entry in entries:
        document = entry.documento or f"registro:{entry.riga}"
        first = documents.setdefault(entry.numero, document)
        if first != document:
            problems.append(
                Anomalia(Tipo.NUMERO_DOPPIO, entry.numero, entry.servizio, origine=entry.origine)
            )
    return problems


class _Pagata(NamedTuple):
    """An invoice paid: to the consortium, and the VAT the Comune owes the Treasury."""

    pagata: date
    al_consorzio: Decimal
    iva_erario: Decimal


def _split_payment(
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
