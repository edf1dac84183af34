"""What can be wrong in a year's invoices against the agreement: the kinds of anomaly
(stable identifiers; the views word them), an anomaly as a record, the checks of each
invoice of a fee line (its months, amount and VAT), and invoice numbers used twice.
"""

# Real annotations, no `from __future__`: NamedTuple would compile every string
# annotation into a ForwardRef at import.

from collections.abc import Sequence
from decimal import Decimal
from enum import Enum
from typing import NamedTuple

from crema_budget.agreement import compute
from crema_budget.agreement.model import Servizio
from crema_budget.money import ZERO, vat
from crema_budget.year.due import IGNOTE, MENSILI, Base, Due, Quota
from crema_budget.year.records import Fattura, Mese


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
    # The office's duties (crema_budget.office.commitments):
    OLTRE_IMPEGNO = "oltre l'impegno"  # invoices beyond a commitment (testo: its number)
    SENZA_IMPEGNO = "senza impegno"  # a fee line invoiced that no commitment covers


#: What is wrong with an e-invoice as a document, whatever the register: `fatture` reports
#: these without a register too.
DOCUMENT_PROBLEMS = frozenset({Tipo.IVA, Tipo.NON_FATTURA, Tipo.RIEPILOGO, Tipo.PERIODO_INVERTITO})


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


def year_months(first: Mese, last: Mese, year: int) -> list[Mese]:
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


def entry_problems(
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
    any_month = base in (Base.PRO_RATA_ANNO, Base.UNA_TANTUM, *IGNOTE)
    problems: list[Anomalia] = []
    seen: dict[Mese, str] = {}
    cumulative = ZERO
    total = compute.imponibile(servizio)
    # A credit note takes back part of what an invoice of the same months billed: that
    # invoice is held to what is due net of it, and the note itself bills no month.
    taken_back: dict[tuple[Mese, Mese], Decimal] = {}
    for note in own:
        if note.nota_di_credito:
            taken_back[note.dal, note.al] = (
                taken_back.get((note.dal, note.al), ZERO) + note.imponibile
            )
    for entry in sorted(own, key=lambda e: (e.data, e.numero)):
        where = entry.origine
        covered = year_months(entry.dal, entry.al, year)
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
        if base in MENSILI and entry.nota_di_credito:
            continue  # weighed with its invoice, below
        if base in MENSILI:
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
            net = entry.imponibile + taken_back.get((entry.dal, entry.al), ZERO)
            if net != expected:
                problems.append(
                    Anomalia(
                        Tipo.IMPORTO_DIVERSO,
                        entry.numero,
                        codice,
                        entry.dal if entry.dal == entry.al else None,
                        importo=net,
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


def duplicates(entries: Sequence[Fattura]) -> list[Anomalia]:
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
