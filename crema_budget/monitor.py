"""The agreement's year: what is due, invoiced and paid at a date, and every anomaly.

Pure functions from an agreement, the office's register and the e-invoices read
from disk to a :class:`Monitoraggio`: nothing here prints, reads files or the
clock. How each fee line falls due over the year (its *basis*):

- a monthly fee with its months stated (``mesi``): the fee in each of them; the
  nursery at the tier of that month's enrolment;
- a sum with instalments (``rate``): each instalment in its month;
- any other line (a sum for a period, or monthly fees whose months are not
  stated): pro rata over its months, or over the twelve months of the year when
  none are stated, rounded so that the months add up to the line exactly.

A month is due once it has ended (on its last day). Amounts are taxable
(VAT excluded), as the agreement states its budget; VAT is checked invoice by
invoice and paid to the Treasury under split payment.
"""

# Real annotations, no `from __future__`: NamedTuple would compile every string
# annotation into a ForwardRef at import.

from collections.abc import Callable, Iterable, Sequence
from datetime import date, timedelta
from decimal import Decimal
from enum import Enum
from typing import TYPE_CHECKING, NamedTuple

from crema_budget import compute
from crema_budget.model import (
    Abbinamento,
    Agreement,
    Fascia,
    Fattura,
    Mese,
    Pagamento,
    Registro,
    Servizio,
)
from crema_budget.money import ZERO, round_cent, vat

if TYPE_CHECKING:
    from crema_budget.fatturapa import FatturaElettronica


class Base(str, Enum):
    """How a fee line falls due over the year (stable identifiers)."""

    MESI = "mesi"  # a monthly fee in the months stated
    NIDO = "nido"  # the nursery: the fee of each month's enrolment tier
    RATE = "rate"  # instalments stated month by month
    PRO_RATA_MESI = "pro rata mesi"  # a sum spread over the months stated
    PRO_RATA_ANNO = "pro rata anno"  # no months stated: spread over the year


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

    @property
    def ok(self) -> bool:
        return not self.anomalie


# --- schedules --------------------------------------------------------------------


def months_of(year: int, numbers: Iterable[int]) -> list[Mese]:
    return [Mese(year, n) for n in sorted(numbers)]


def basis(agreement: Agreement, servizio: Servizio) -> Base:
    """How the line falls due (see the module's docstring)."""
    nido = agreement.nido
    if nido is not None and compute.nido_servizio(agreement) == servizio and servizio.mesi:
        return Base.NIDO
    if servizio.canone_mensile is not None and servizio.mesi:
        return Base.MESI
    if servizio.rate:
        return Base.RATE
    if servizio.mesi:
        return Base.PRO_RATA_MESI
    return Base.PRO_RATA_ANNO


def schedule(year: int, servizio: Servizio, base: Base) -> list[tuple[Mese, Decimal]]:
    """The contract amount of each month of the line (the nursery at the full fee)."""
    total = compute.imponibile(servizio)
    if base in (Base.MESI, Base.NIDO):
        assert servizio.canone_mensile is not None
        assert servizio.mesi is not None
        return [(m, servizio.canone_mensile) for m in months_of(year, servizio.mesi)]
    if base is Base.RATE:
        return [(Mese(year, r.mese), r.importo) for r in servizio.rate]
    months = months_of(year, servizio.mesi or range(1, 13))
    shares: list[tuple[Mese, Decimal]] = []
    before = ZERO
    for index, month in enumerate(months, start=1):
        # Cumulative rounding: the months add up to the line's sum exactly.
        upto = round_cent(total * index / len(months))
        shares.append((month, upto - before))
        before = upto
    return shares


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


def assign(
    invoices: "Sequence[FatturaElettronica]",
    rules: Sequence[Abbinamento],
    pagamenti: Sequence[Pagamento],
) -> tuple[list[Fattura], list[Anomalia]]:
    """E-invoice lines as invoice entries, by the register's rules; a line that
    matches none, or more than one fee line, is an anomaly and never dropped."""
    paid = {p.numero: p.data for p in pagamenti}
    entries: list[Fattura] = []
    problems: list[Anomalia] = []
    for invoice in invoices:
        if invoice.tipo_documento not in INVOICE_TYPES:
            problems.append(
                Anomalia(
                    Tipo.NON_FATTURA,
                    invoice.numero,
                    origine=invoice.file,
                    testo=invoice.tipo_documento,
                )
            )
            continue
        document = f"{invoice.file}#{invoice.indice}"
        split = {r.aliquota_iva: r.esigibilita_iva == "S" for r in invoice.riepiloghi}
        for summary in invoice.riepiloghi:
            expected = vat(summary.imponibile, summary.aliquota_iva)
            if summary.imposta != expected and summary.natura is None:
                problems.append(
                    Anomalia(
                        Tipo.IVA,
                        invoice.numero,
                        importo=summary.imposta,
                        atteso=expected,
                        origine=invoice.file,
                    )
                )
        made: list[Fattura] = []
        for riga in invoice.righe:
            number, description = riga.numero_linea, riga.descrizione
            start, end = riga.data_inizio, riga.data_fine
            amount, rate = riga.prezzo_totale, riga.aliquota_iva
            words = " ".join(description.casefold().split())
            matches = {
                rule.servizio
                for rule in rules
                if (rule.descrizione and " ".join(rule.descrizione.casefold().split()) in words)
                or (rule.cig and rule.cig in invoice.cig)
            }
            if len(matches) != 1:
                problems.append(
                    Anomalia(
                        Tipo.NON_ABBINATA if not matches else Tipo.AMBIGUA,
                        invoice.numero,
                        servizio=", ".join(sorted(matches)) or None,
                        importo=amount,
                        origine=f"{invoice.file}, NumeroLinea {number}",
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
                        origine=f"{invoice.file}, NumeroLinea {number}",
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
                    pagata=paid.get(invoice.numero),
                    scissione=split.get(rate, False),
                    origine=invoice.file,
                    riga=number,
                    documento=document,
                )
            )
        entries.extend(_share_vat(made, {r.aliquota_iva: r.imposta for r in invoice.riepiloghi}))
    numbers = {i.numero for i in invoices}
    for payment in pagamenti:
        if payment.numero not in numbers:
            problems.append(Anomalia(Tipo.PAGAMENTO_SCONOSCIUTO, payment.numero))
    return entries, problems


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
    electronic, problems = assign(letti, registro.abbinamenti, registro.pagamenti)
    problems = [
        *(Anomalia(Tipo.ILLEGGIBILE, None, origine=file, testo=why) for file, why in illeggibili),
        *problems,
    ]
    entries = [e for e in (*registro.fatture, *electronic) if e.data <= al]
    lines = agreement.servizi()
    enrolment = dict(registro.iscritti_nido)
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
        base = basis(agreement, servizio)
        own = by_line.get(codice, [])
        plan = schedule(year, servizio, base)
        due_of = _due_function(agreement, base, plan, enrolment)
        if base is Base.NIDO:
            nido_months = _nido_months(agreement, plan, enrolment, own, al)
            problems.extend(_nido_problems(nido_months, own))
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
        past = [(m, a) for m, a in plan if m.last_day() <= al]
        due = sum((due_of(m) or ZERO for m, _a in past), ZERO)
        billed_months = {m for e in own for m in _months(e.dal, e.al)}
        if base in (Base.MESI, Base.NIDO):
            forecast = invoiced + sum(
                (due_of(m) or ZERO for m, _a in plan if m not in billed_months), ZERO
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
        versamenti=tuple(_split_payment(entries, al)),
    )


def _months(first: Mese, last: Mese) -> list[Mese]:
    months = [first]
    while months[-1] < last and len(months) < 240:
        months.append(months[-1].next())
    return months


#: What is due for a month of a line (None: nothing can be, a rimodulazione).
Due = Callable[[Mese], Decimal | None]


def _due_function(
    agreement: Agreement,
    base: Base,
    plan: list[tuple[Mese, Decimal]],
    enrolment: dict[Mese, int],
) -> Due:
    """The amount due for each month of a line; for the nursery, the fee of the tier
    of that month's enrolment, or of the last enrolment recorded before it (the full
    fee when none is)."""
    contract = dict(plan)
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
    plan: list[tuple[Mese, Decimal]],
    enrolment: dict[Mese, int],
    own: list[Fattura],
    al: date,
) -> tuple[MeseNido, ...]:
    assert agreement.nido is not None
    tiers = agreement.nido.fasce
    rows = []
    for month, _contract in plan:
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
                passato=month.last_day() <= al,
            )
        )
    return tuple(rows)


def _share(entry: Fattura, month: Mese) -> Decimal:
    """An entry's amount for one of its months (evenly, for a range)."""
    months = _months(entry.dal, entry.al)
    if len(months) == 1:
        return entry.imponibile
    index = months.index(month) + 1
    return round_cent(entry.imponibile * index / len(months)) - round_cent(
        entry.imponibile * (index - 1) / len(months)
    )


def _nido_problems(months: tuple[MeseNido, ...], own: list[Fattura]) -> list[Anomalia]:
    billed = {m for e in own for m in _months(e.dal, e.al)}
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
    plan: list[tuple[Mese, Decimal]],
    due_of: Due,
    own: list[Fattura],
) -> list[Anomalia]:
    """Each invoice of a line against the agreement: months, amount, VAT."""
    months = {m for m, _a in plan}
    problems: list[Anomalia] = []
    seen: dict[Mese, str] = {}
    cumulative = ZERO
    total = compute.imponibile(servizio)
    for entry in sorted(own, key=lambda e: (e.data, e.numero)):
        where = entry.origine
        covered = _months(entry.dal, entry.al)
        outside = [
            m
            for m in covered
            if m not in months and not (base is Base.PRO_RATA_ANNO and m.anno == year)
        ]
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
        if base in (Base.MESI, Base.NIDO):
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
            if outside or any(d is None for d in dues):
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


def _split_payment(entries: Sequence[Fattura], al: date) -> list[Versamento]:
    """Per month of payment: to the consortium, and VAT to the Treasury by the 16th of
    the month after (split payment, art. 17-ter DPR 633/72)."""
    months: dict[Mese, list[Fattura]] = {}
    for entry in entries:
        if entry.pagata is not None and entry.pagata <= al:
            months.setdefault(Mese(entry.pagata.year, entry.pagata.month), []).append(entry)
    out = []
    for month in sorted(months):
        paid = months[month]
        consortium = sum((e.imponibile + (ZERO if e.scissione else e.iva) for e in paid), ZERO)
        treasury = sum((e.iva for e in paid if e.scissione), ZERO)
        out.append(Versamento(month, consortium, treasury, italian_due_date(month), len(paid)))
    return out
