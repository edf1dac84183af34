"""E-invoice lines assigned to the agreement's fee lines by the register's rules (words of
a line's description, or the contract's CIG): the invoice entries they make, what is
wrong, and the gaps within what the Sistema di Interscambio tolerates
(:mod:`crema_budget.year.fatturapa.sdi`); and the register's codes that name no fee line.
"""

# Real annotations, no `from __future__`: NamedTuple would compile every string
# annotation into a ForwardRef at import.

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, NamedTuple

from crema_budget.agreement.model import Agreement
from crema_budget.i18n import closest
from crema_budget.money import ZERO, vat
from crema_budget.year.anomalies import Anomalia, Tipo
from crema_budget.year.fatturapa import sdi
from crema_budget.year.fatturapa.document_types import INVOICE_TYPES
from crema_budget.year.records import Abbinamento, Fattura, Mese, Pagamento, Registro

if TYPE_CHECKING:
    from crema_budget.year.fatturapa.records import FatturaElettronica


class CodiceIgnoto(NamedTuple):
    """A code in the register that the agreement does not have."""

    dove: tuple[str | int, ...]  # its place in the register: ("fatture", 3, "servizio")
    codice: str
    vicino: str | None  # the agreement's nearest code, if one is near


def unknown_codes(registro: Registro, agreement: Agreement) -> list[CodiceIgnoto]:
    """The register's codes that name no fee line, open item or line added by an
    amendment, with the nearest code: a typo is to be refused, never an invoice
    quietly left out of the totals."""
    codes = set(agreement.servizi())
    codes |= {d.codice for a in agreement.ambiti for d in a.da_definire if d.codice}
    codes |= {
        v.nuovo_servizio[1].codice
        for v in agreement.variazioni
        if v.nuovo_servizio and v.nuovo_servizio[1].codice
    }
    named: list[tuple[tuple[str | int, ...], str]] = [
        (("fatture", i, "servizio"), f.servizio) for i, f in enumerate(registro.fatture)
    ]
    named += [
        (("abbinamenti", i, "servizio"), a.servizio) for i, a in enumerate(registro.abbinamenti)
    ]
    named += [
        (("svolgimento", i, "servizio"), x.servizio) for i, x in enumerate(registro.svolgimento)
    ]
    named += [
        (("impegni", i, "servizi", k), code)
        for i, impegno in enumerate(registro.impegni)
        for k, code in enumerate(impegno.servizi)
    ]
    return [
        CodiceIgnoto(
            where,
            code,
            closest(code, sorted(codes)),
        )
        for where, code in named
        if code not in codes
    ]


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
                # No `scissione`: split payment takes an e-invoice's own summaries
                # (EsigibilitaIVA), never these entries (split_payment.py).
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
        # No entry at a rate (its lines not counted): the bound below is 0, nothing shared.
        positions = [i for i, entry in enumerate(out) if entry.aliquota_iva == rate]
        shared = sum((out[i].iva for i in positions), ZERO)
        rest = tax - shared
        if rest and abs(rest) <= Decimal("0.01") * len(positions):
            last = positions[-1]
            out[last] = out[last]._replace(iva=out[last].iva + rest)
    return out
