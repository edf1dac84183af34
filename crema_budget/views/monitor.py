"""The view of the agreement's year: the monitoring at a date (``monitor``)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from crema_budget import figures
from crema_budget.agreement.model import Documento
from crema_budget.i18n import N_, _, ngettext
from crema_budget.money import SHARE_PLACES, ZERO, round_half_up
from crema_budget.view import (
    Bar,
    Block,
    Cell,
    Chart,
    Column,
    Fact,
    Facts,
    Kind,
    Paragraph,
    Placeholder,
    Row,
    RowKind,
    Style,
    Table,
    View,
)
from crema_budget.views.agreement import da_definire, draft_alerts
from crema_budget.year.anomalies import Anomalia, Tipo
from crema_budget.year.due import Base
from crema_budget.year.fatturapa.document_types import nome
from crema_budget.year.monitor import Linea, Monitoraggio
from crema_budget.year.records import Mese

if TYPE_CHECKING:
    pass


def month_text(month: Mese, locale: str) -> str:
    return figures.month(month.anno, month.mese, locale)


def share(value: Decimal | None) -> Decimal | None:
    """A share of the budget as every format shows it: rounded half up to
    :data:`SHARE_PLACES` decimals (the exact ratio has 28 digits)."""
    return None if value is None else round_half_up(value, SHARE_PLACES)


def basis_text(base: Base) -> str:
    return {
        Base.MESI: _("monthly fee, in the months stated"),
        Base.NIDO: _("monthly fee by each month's enrolment"),
        Base.RATE: _("instalments stated month by month"),
        Base.PRO_RATA_MESI: _("pro rata over the months stated"),
        Base.PRO_RATA_ANNO: _("pro rata over the year: no months are stated"),
        Base.STAGIONE: _("seasonal: pro rata over the months it runs"),
        Base.STAGIONE_IGNOTA: _(
            "seasonal: nothing is due until the register (svolgimento) or an amendment "
            "says when it runs"
        ),
        Base.UNA_TANTUM: _("one-off: due in full once its day has passed"),
        Base.UNA_TANTUM_IGNOTA: _(
            "one-off: nothing is due until the register (svolgimento) or an amendment gives its day"
        ),
    }[base]


#: What each kind of anomaly is called where people read a column of kinds (the
#: spreadsheets' and CSV's Kind, to sort and filter by); JSON keeps the stable identifier.
KIND_NAMES: dict[Tipo, str] = {
    Tipo.SERVIZIO_SCONOSCIUTO: N_("unknown fee line"),
    Tipo.FUORI_PERIODO: N_("month outside the line's months"),
    Tipo.IMPORTO_DIVERSO: N_("amount differs"),
    Tipo.OLTRE_IMPORTO: N_("beyond the line's sum"),
    Tipo.RIMODULAZIONE: N_("renegotiation"),
    Tipo.ISCRITTI_MANCANTI: N_("enrolment missing"),
    Tipo.ALIQUOTA: N_("VAT rate differs"),
    Tipo.IVA: N_("VAT differs"),
    Tipo.NUMERO_DOPPIO: N_("number repeated"),
    Tipo.MESE_DOPPIO: N_("month billed twice"),
    Tipo.OLTRE_BILANCIO: N_("beyond the budget"),
    Tipo.NON_ABBINATA: N_("line not matched"),
    Tipo.AMBIGUA: N_("line matching several"),
    Tipo.ILLEGGIBILE: N_("unreadable e-invoice"),
    Tipo.PERIODO_MANCANTE: N_("period missing"),
    Tipo.PAGAMENTO_SCONOSCIUTO: N_("payment of an unknown invoice"),
    Tipo.NON_FATTURA: N_("not an invoice"),
    Tipo.RIEPILOGO: N_("lines against the summary"),
    Tipo.PERIODO_INVERTITO: N_("period reversed"),
    Tipo.FATTURA_MANCANTE: N_("invoice missing"),
    Tipo.FUORI_ANNO: N_("outside the year"),
    Tipo.OLTRE_IMPEGNO: N_("beyond the commitment"),
    Tipo.SENZA_IMPEGNO: N_("no commitment"),
}


def anomaly_text(a: Anomalia, locale: str) -> str:
    """One anomaly in a sentence a person can act on (only its own kind's sentence is
    translated, and only the figures it names are written: a monitor may hold
    thousands)."""

    def euro(value: Decimal | None) -> str:
        return figures.euro(value or ZERO, locale)

    month = month_text(a.mese, locale) if a.mese else ""
    texts = {
        Tipo.SERVIZIO_SCONOSCIUTO: N_("no fee line of the agreement has the code {servizio}"),
        Tipo.FUORI_PERIODO: N_("bills {month}, which is not a month of {servizio}"),
        Tipo.IMPORTO_DIVERSO: N_("{importo} invoiced where {atteso} is due"),
        Tipo.OLTRE_IMPORTO: N_("the invoices reach {importo}, beyond the line's sum of {atteso}"),
        Tipo.RIMODULAZIONE: N_(
            "{month}: children enrolled {testo}, fewer than the lowest tier: the agreement "
            "defines no fee and must be renegotiated (rimodulazione)"
        ),
        Tipo.ISCRITTI_MANCANTI: N_(
            "{month}: the children enrolled are not recorded; the last number recorded "
            "before it (or the full fee) is assumed"
        ),
        Tipo.ALIQUOTA: N_("VAT rate {importo_rate} where the agreement has {atteso_rate}"),
        Tipo.IVA: N_(
            "VAT {importo} where the rate applied to the taxable amount, rounded to the "
            "cent, gives {atteso}"
        ),
        Tipo.NUMERO_DOPPIO: N_("the same invoice number appears on another invoice"),
        Tipo.MESE_DOPPIO: N_("{month} of {servizio} is already billed by invoice {testo}"),
        Tipo.OLTRE_BILANCIO: N_("invoiced {importo}, beyond the year's budget of {atteso}"),
        Tipo.NON_ABBINATA: N_(
            "the line '{testo}' matches no rule of abbinamenti: it is counted nowhere"
        ),
        Tipo.AMBIGUA: N_("the line '{testo}' matches more than one fee line: {servizio}"),
        Tipo.ILLEGGIBILE: N_("the e-invoice cannot be read: {testo}"),
        Tipo.PERIODO_MANCANTE: N_(
            "the line '{testo}' states no period; the month of the invoice's date is assumed"
        ),
        Tipo.PAGAMENTO_SCONOSCIUTO: N_(
            "a payment names this invoice number, but no invoice has it"
        ),
        Tipo.NON_FATTURA: N_(
            "a document of type {testo}, {document}, is not an invoice: its lines are counted "
            "nowhere; settle it with {supplier}, who issued it"
        ),
        Tipo.RIEPILOGO: N_(
            "the lines at {rate_testo} add up to {atteso}, the summary (DatiRiepilogo) says "
            "{importo}: beyond the 1 euro SdI tolerates, so none of its lines is counted"
        ),
        Tipo.PERIODO_INVERTITO: N_(
            "the line's period ends before it starts ({testo}): it is counted nowhere"
        ),
        Tipo.FATTURA_MANCANTE: N_(
            "missing invoice: {month} of {servizio} ({atteso}) is due and no invoice bills "
            "it; the term to pay it ran out on {testo_day}"
        ),
        Tipo.FUORI_ANNO: N_("bills {testo}, outside the agreement's year"),
        Tipo.OLTRE_IMPEGNO: N_(
            "the invoices of {servizio} reach {importo} (VAT included), beyond commitment "
            "{testo} of {atteso}"
        ),
        Tipo.SENZA_IMPEGNO: N_(
            "{servizio} is invoiced ({importo}, VAT included) under no commitment"
        ),
    }
    if a.tipo is Tipo.IVA and a.origine:
        texts[Tipo.IVA] = N_(
            "VAT {importo} at {rate_testo} where the rate applied to the taxable amount gives "
            "{atteso}: beyond the 1 cent SdI tolerates"
        )
    rates = (
        {
            "importo_rate": figures.rate(a.importo, locale) if a.importo is not None else "",
            "atteso_rate": figures.rate(a.atteso, locale) if a.atteso is not None else "",
        }
        if a.tipo is Tipo.ALIQUOTA
        else {"importo_rate": "", "atteso_rate": ""}
    )
    template = _(texts[a.tipo])
    return template.format(
        servizio=a.servizio or "",
        month=month,
        importo=euro(a.importo) if "{importo}" in template else "",
        atteso=euro(a.atteso) if "{atteso}" in template else "",
        testo=a.testo,
        **rates,
        **_details(a, locale),
    )


def _details(a: Anomalia, locale: str) -> dict[str, str]:
    """The words some kinds of anomaly need beyond their figures."""
    rate_testo = day = document = ""
    if a.tipo in (Tipo.IVA, Tipo.RIEPILOGO) and a.testo:
        rate_testo = figures.rate(Decimal(a.testo), locale)
    if a.tipo is Tipo.FATTURA_MANCANTE and a.testo:
        day = figures.day(date.fromisoformat(a.testo), locale)
    if a.tipo is Tipo.NON_FATTURA:
        document = nome(a.testo)
    return {
        "rate_testo": rate_testo,
        "testo_day": day,
        "document": document,
        "supplier": a.cedente or _("the supplier"),
    }


def note_text(a: Anomalia, locale: str) -> str:
    """A gap an e-invoice may carry, within what SdI tolerates, in a sentence."""
    words = {
        Tipo.IVA: _(
            "{numero}: VAT {importo} at {rate} where the rate applied to the taxable amount "
            "gives {atteso}; SdI tolerates a gap of 1 cent: a rounding, not an anomaly."
        ),
        Tipo.RIEPILOGO: _(
            "{numero}: the lines at {rate} add up to {atteso}, the summary says {importo}; "
            "SdI tolerates a gap of up to 1 euro: a rounding, not an anomaly."
        ),
    }
    return words.get(a.tipo, "{numero}").format(
        numero=a.numero or a.origine,
        importo=figures.euro(a.importo or ZERO, locale),
        atteso=figures.euro(a.atteso or ZERO, locale),
        rate=figures.rate(Decimal(a.testo), locale) if a.testo else "",
    )


def notes_paragraphs(notes: Sequence[Anomalia], locale: str) -> list[Paragraph]:
    return [Paragraph(note_text(a, locale), Style.NOTE) for a in notes]


def lines_table(m: Monitoraggio, locale: str) -> Table:
    columns = (
        Column("ambito", _("Ambito"), Kind.COUNT, short=_("Amb."), once=True),
        Column("codice", _("Code")),
        Column("voce", _("Item"), grid_only=True),
        Column("base", _("Basis"), grid_only=True),
        Column("bilancio", _("Budget"), Kind.MONEY, sums=True),
        Column("dovuto", _("Due to date"), Kind.MONEY, sums=True, short=_("Due")),
        Column("fatturato", _("Invoiced"), Kind.MONEY, sums=True),
        Column("pagato", _("Paid"), Kind.MONEY, sums=True),
        Column(
            "differenza",
            _("Invoiced − due"),
            Kind.MONEY,
            sums=True,
            short=_("Difference"),
        ),
        Column(
            "percentuale",
            _("Share of budget (%)"),
            Kind.PERCENT,
            places=SHARE_PLACES,
            short=_("%"),
        ),
        Column("previsione", _("Year-end forecast"), Kind.MONEY, sums=True, short=_("Forecast")),
    )
    rows: list[Row] = []
    by_ambito: dict[int, list[Linea]] = {}
    for line in m.linee:
        by_ambito.setdefault(line.ambito, []).append(line)
    open_items: dict[int, list[tuple[str | None, str]]] = {}
    for ambito, codice, voce in m.aperte:
        open_items.setdefault(ambito, []).append((codice, voce))
    for ambito in sorted({*by_ambito, *open_items}):
        lines = by_ambito.get(ambito, [])
        first = True
        for line in lines:
            rows.append(
                Row(
                    (
                        ambito,
                        line.codice,
                        line.voce,
                        basis_text(line.base),
                        line.bilancio,
                        line.dovuto,
                        line.fatturato,
                        line.pagato,
                        line.differenza,
                        share(line.percentuale),
                        line.previsione,
                    ),
                    group=first,
                )
            )
            first = False
            rows.append(
                Row(
                    tuple(
                        f"{line.voce} · {basis_text(line.base)}" if c.key == "codice" else None
                        for c in columns
                    ),
                    RowKind.NOTE,
                )
            )
        for codice, voce in open_items.get(ambito, []):
            rows.append(
                Row(
                    (
                        ambito,
                        codice,
                        voce,
                        None,
                        da_definire(),
                        da_definire(),
                        None,
                        None,
                        None,
                        None,
                        da_definire(),
                    ),
                    RowKind.OPEN,
                    group=first,
                )
            )
            first = False
            rows.append(
                Row(tuple(voce if c.key == "codice" else None for c in columns), RowKind.NOTE)
            )
        if len(lines) > 1:
            rows.append(
                _sum_row(columns, _("Total ambito {n}").format(n=ambito), lines, RowKind.SUBTOTAL)
            )
    rows.append(_sum_row(columns, _("Total"), list(m.linee), RowKind.TOTAL))
    return Table(
        _("Fee lines at {date} (taxable amounts, VAT excluded)").format(
            date=figures.day(m.al, locale)
        ),
        columns,
        tuple(rows),
        sheet=_("Monitoring"),
    )


def _sum_row(columns: tuple[Column, ...], label: str, lines: list[Linea], kind: RowKind) -> Row:
    """A subtotal or total row: no ambito, so a SUMIF by ambito counts each line once."""

    def total(attribute: str) -> Decimal:
        return sum((getattr(line, attribute) for line in lines), ZERO)

    budget = total("bilancio")
    invoiced = total("fatturato")
    cells: dict[str, Cell] = {
        "ambito": None,
        "codice": label,
        "bilancio": budget,
        "dovuto": total("dovuto"),
        "fatturato": invoiced,
        "pagato": total("pagato"),
        "differenza": total("differenza"),
        "percentuale": share(invoiced * 100 / budget) if budget else None,
        "previsione": total("previsione"),
    }
    return Row(tuple(cells.get(c.key) for c in columns), kind)


def nido_table(m: Monitoraggio, locale: str) -> Table:
    columns = (
        Column("mese", _("Month")),
        Column("iscritti", _("Children enrolled"), Kind.COUNT, short=_("Enrolled")),
        Column("fascia", _("Tier")),
        Column("dovuto", _("Due"), Kind.MONEY),
        Column("fatturato", _("Invoiced"), Kind.MONEY),
        Column("differenza", _("Invoiced − due"), Kind.MONEY, short=_("Difference")),
    )
    rows = []
    for row in m.nido:
        if not row.passato and not row.fatturato:
            continue
        due: Cell
        if row.iscritti is None:
            due = Placeholder(_("enrolment not recorded"))
            tier = ""
        elif row.dovuto is None:
            due = Placeholder(_("rimodulazione"))
            tier = (
                figures.fascia(row.fascia.iscritti_min, row.fascia.iscritti_max)
                if row.fascia
                else ""
            )
        else:
            due = row.dovuto
            tier = (
                figures.fascia(row.fascia.iscritti_min, row.fascia.iscritti_max)
                if row.fascia
                else ""
            )
        difference = row.fatturato - row.dovuto if row.dovuto is not None else None
        rows.append(
            Row(
                (month_text(row.mese, locale), row.iscritti, tier, due, row.fatturato, difference),
                RowKind.ITEM if isinstance(due, Decimal) else RowKind.OPEN,
            )
        )
    return Table(_("Nursery, month by month"), columns, tuple(rows), sheet=_("Nursery by month"))


def anomalies_table(anomalie: Sequence[Anomalia], locale: str) -> Table:
    columns = (
        Column("numero", _("Invoice")),
        Column("servizio", _("Code")),
        Column("mese", _("Month"), grid_only=True),
        Column("descrizione", _("What is wrong")),
        Column("differenza", _("Invoiced − due"), Kind.MONEY, short=_("Difference")),
        Column("tipo", _("Kind"), grid_only=True),
        Column("origine", _("Source"), grid_only=True),
    )
    kinds = {tipo: _(name) for tipo, name in KIND_NAMES.items()}  # translated once
    rows = tuple(
        Row(
            (
                a.numero or "",
                a.servizio or "",
                str(a.mese) if a.mese else "",
                anomaly_text(a, locale),
                a.differenza
                if a.tipo in (Tipo.IMPORTO_DIVERSO, Tipo.IVA, Tipo.OLTRE_IMPEGNO)
                else None,
                kinds[a.tipo],
                a.origine,
            )
        )
        for a in anomalie
    )
    return Table(_("Anomalies"), columns, rows, sheet=_("Anomalies"))


def split_payment_table(m: Monitoraggio, locale: str) -> Table:
    columns = (
        Column("mese", _("Month of payment")),
        Column("fatture", _("Invoices"), Kind.COUNT),
        Column(
            "al_consorzio",
            _("Paid to the consortium"),
            Kind.MONEY,
            sums=True,
            short=_("To the consortium"),
        ),
        Column("iva_erario", _("VAT to the Treasury"), Kind.MONEY, sums=True, short=_("VAT")),
        Column("scadenza", _("Due by"), Kind.DATE),
    )
    rows = [
        Row((month_text(v.mese, locale), v.fatture, v.al_consorzio, v.iva_erario, v.scadenza))
        for v in m.versamenti
    ]
    if rows:
        rows.append(
            Row(
                (
                    _("Total"),
                    sum(v.fatture for v in m.versamenti),
                    sum((v.al_consorzio for v in m.versamenti), ZERO),
                    sum((v.iva_erario for v in m.versamenti), ZERO),
                    None,
                ),
                RowKind.TOTAL,
            )
        )
    return Table(
        _("Split payment (scissione dei pagamenti, art. 17-ter DPR 633/72)"),
        columns,
        tuple(rows),
        notes=(
            _(
                "The Comune pays the consortium the taxable amount and the VAT to the "
                "Treasury, by the 16th of the month after payment (the next working day "
                "when that is a holiday)."
            ),
        ),
        sheet=_("Split payment"),
    )


def vat_rounding_notes(m: Monitoraggio, locale: str) -> list[Paragraph]:
    """Where the VAT of the invoices, cent by cent, differs from the VAT on their
    total: the rounding of each invoice, explained rather than flagged."""
    notes = []
    for line in m.linee:
        gap = line.scarto_iva
        if gap and abs(gap) <= Decimal("0.005") * max(line.fatture, 1):
            notes.append(
                Paragraph(
                    ngettext(
                        "{code}: the VAT of the {n} invoice adds up to {invoiced}, {gap} apart "
                        "from the VAT on its taxable amount ({whole}): the invoice rounds its "
                        "VAT to the cent; this is not an error.",
                        "{code}: the VAT of the {n} invoices adds up to {invoiced}, {gap} "
                        "apart from the VAT on their total taxable amount ({whole}): each "
                        "invoice rounds its VAT to the cent; this is not an error.",
                        line.fatture,
                    ).format(
                        code=line.codice,
                        n=line.fatture,
                        invoiced=figures.euro(line.iva_fatturata, locale),
                        gap=figures.euro(abs(gap), locale),
                        whole=figures.euro(line.iva_fatturata - gap, locale),
                    ),
                    Style.NOTE,
                )
            )
    return notes


def monitor_verdict(m: Monitoraggio) -> Paragraph:
    count = len(m.anomalie)
    if not count:
        return Paragraph(_("No anomaly: every invoice agrees with the agreement."), Style.GOOD)
    return Paragraph(
        ngettext("{n} anomaly to look at.", "{n} anomalies to look at.", count).format(n=count),
        Style.ALERT,
    )


def monitor_blocks(m: Monitoraggio, locale: str) -> list[Block]:
    """The monitoring's parts, for the `monitor` view and the report's section."""
    facts = [
        Fact(_("At"), m.al, Kind.DATE, strong=True),
        Fact(_("Amounts"), _("taxable, VAT excluded")),
    ]
    if m.nido:
        if m.ultimo_iscritti is not None:
            month, count = m.ultimo_iscritti
            facts.append(
                Fact(
                    _("Nursery forecast"),
                    _("at the last enrolment recorded: {n} in {month}").format(
                        n=count, month=month_text(month, locale)
                    ),
                )
            )
        else:
            facts.append(Fact(_("Nursery forecast"), _("at the full fee: no enrolment recorded")))
    blocks: list[Block] = [monitor_verdict(m), Facts(tuple(facts)), lines_table(m, locale)]
    blocks.extend(vat_rounding_notes(m, locale))
    blocks.extend(notes_paragraphs(m.note, locale))
    if m.nido:
        blocks.append(nido_table(m, locale))
    if m.anomalie:
        blocks.append(anomalies_table(m.anomalie, locale))
    blocks.append(split_payment_table(m, locale))
    return blocks


def monitor_chart(m: Monitoraggio) -> Chart:
    """Budget behind, invoiced in front, by ambito."""
    ambiti: dict[int, tuple[Decimal, Decimal]] = {}
    for line in m.linee:
        budget, invoiced = ambiti.get(line.ambito, (ZERO, ZERO))
        ambiti[line.ambito] = (budget + line.bilancio, invoiced + line.fatturato)
    return Chart(
        _("Budget and invoiced by ambito (taxable)"),
        tuple(
            Bar(_("Ambito {n}").format(n=n), budget, front=invoiced)
            for n, (budget, invoiced) in sorted(ambiti.items())
        ),
        value_label=_("Budget"),
        front_label=_("Invoiced"),
        label_title=_("Ambito"),
    )


def monitor_view(
    m: Monitoraggio, documento: Documento, locale: str, avvisi: tuple[str, ...] = ()
) -> View:
    """``monitor``: the year at a date; ``avvisi`` (a signed file that may be cut short:
    its budgets may be wrong) first."""
    return View(
        title=_("Monitoring of the {year} agreement at {date}").format(
            year=m.anno, date=figures.day(m.al, locale)
        ),
        subtitle=f"{documento.comune} – {documento.consorzio}",
        alerts=draft_alerts(documento) + avvisi,
        blocks=tuple(monitor_blocks(m, locale)),
    )
