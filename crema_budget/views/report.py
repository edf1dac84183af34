"""The accountability report: one view of everything, for the Giunta and the
council commission, with where its figures come from on the first page."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from crema_budget import __version__, figures
from crema_budget.agreement.checks import Controllo, run_checks
from crema_budget.agreement.compute import Risorse, Totali, risorse, tariffe_nido, totali
from crema_budget.agreement.model import BOZZA, FIRMATO, Agreement
from crema_budget.agreement.versions import Versione, amended
from crema_budget.i18n import _, ngettext
from crema_budget.money import ZERO
from crema_budget.reading.source import Provenance
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
    Row,
    RowKind,
    Section,
    Style,
    Table,
    View,
)
from crema_budget.views.agreement import (
    amended_at,
    consortium_table,
    draft_alerts,
    fasce_table,
    municipal_table,
    ratio_facts,
)
from crema_budget.views.checks import checks_table, coverage, uncovered_table, verdict

if TYPE_CHECKING:
    from crema_budget.year.monitor import Monitoraggio
    from crema_budget.year.resources import RisorseConsegnate
    from crema_budget.year.workplan import Piano


def provenance_facts(agreement: Agreement, where: Provenance, locale: str) -> tuple[Fact, ...]:
    stato = {FIRMATO: _("signed"), BOZZA: _("draft")}.get(
        agreement.documento.stato or "", _("not stated")
    )
    return (
        Fact(_("Data file"), where.name),
        Fact(_("SHA-256 of the file"), where.sha256),
        Fact(_("Agreement year"), str(agreement.documento.anno)),
        Fact(_("Status of the agreement"), stato),
        Fact(_("Produced by"), f"crema-budget {__version__}"),
        Fact(_("Date of production"), figures.day(where.generated, locale)),
    )


def report_view(
    signed: Agreement,
    where: Provenance,
    locale: str,
    monitoraggio: Monitoraggio | None = None,
    registro: Provenance | None = None,
    al: date | None = None,
    piano: Piano | None = None,
    consegne: RisorseConsegnate | None = None,
    ufficio: Sequence[Block] = (),
) -> View:
    """The whole report: summary, each ambito, the consortium, the nursery (as amended
    at ``al``: every amendment without it), the check of the signed document; with a
    register, the monitoring of the year at a date too, and then it is the semester
    report (:func:`semester_sections`): what needs attention first, then each ambito's
    activities, resources and money."""
    variato = amended(signed, al)
    agreement = variato.agreement
    municipali = totali(agreement)
    consorzio = risorse(agreement, municipali)
    controllo = run_checks(signed)
    versione = None
    if variato.applicate:
        signed_totals = totali(signed)
        versione = Versione(variato.applicate, signed_totals, risorse(signed, signed_totals), al)
    alerts = list(draft_alerts(agreement.documento))
    if not controllo.ok:
        alerts.append(
            ngettext(
                "{n} declared figure does not agree with the computation: see the check "
                "at the end.",
                "{n} declared figures do not agree with the computation: see the check at the end.",
                controllo.differenze,
            ).format(n=controllo.differenze)
        )
    sections: list[Block] = [
        Section(_("Summary"), _summary(municipali, consorzio, locale), "sintesi"),
        Section(
            _("Resources by ambito"),
            _by_ambito(municipali, consorzio, locale, versione),
            "ambiti",
        ),
        Section(
            _("Consortium's extra resources"),
            (
                consortium_table(consorzio)._replace(title=""),
                ratio_facts(consorzio, locale, versione),
            ),
            "consorzio",
        ),
    ]
    if agreement.nido is not None:
        sections.append(
            Section(
                _("Nursery: monthly fee by number of children enrolled"),
                (
                    fasce_table(tariffe_nido(agreement))._replace(title=""),
                    Paragraph(
                        _(
                            "The yearly VAT is computed on the yearly taxable amount and "
                            "rounded to the cent."
                        ),
                        Style.NOTE,
                    ),
                ),
                "nido",
            )
        )
    if monitoraggio is not None:
        from crema_budget.views.monitor import monitor_blocks, monitor_chart

        if not monitoraggio.ok:
            alerts.append(
                ngettext(
                    "Monitoring at {date}: {n} anomaly in the invoices.",
                    "Monitoring at {date}: {n} anomalies in the invoices.",
                    len(monitoraggio.anomalie),
                ).format(n=len(monitoraggio.anomalie), date=figures.day(monitoraggio.al, locale))
            )
        sections.append(
            Section(
                _("Monitoring at {date}").format(date=figures.day(monitoraggio.al, locale)),
                (monitor_chart(monitoraggio), *monitor_blocks(monitoraggio, locale), *ufficio),
                "monitoraggio",
            )
        )
    sections.append(
        Section(_("Check of the declared figures"), _check(controllo, locale), "controllo")
    )
    documento = agreement.documento
    title = _("Resources of the co-design agreement {year}").format(year=documento.anno)
    if monitoraggio is not None and piano is not None:
        sections[:0] = semester_sections(agreement, monitoraggio, piano, consegne, locale)
        if piano.in_ritardo:
            alerts.insert(
                0,
                ngettext(
                    "{n} activity of the work plan is late.",
                    "{n} activities of the work plan are late.",
                    len(piano.in_ritardo),
                ).format(n=len(piano.in_ritardo)),
            )
        from crema_budget.views.resources import delivered_alerts

        alerts[:0] = delivered_alerts(consegne, locale)
        title = _("Semester report on the co-design agreement {year} at {date}").format(
            year=documento.anno, date=figures.day(monitoraggio.al, locale)
        )
    provenance = provenance_facts(agreement, where, locale)
    if versione is not None:
        provenance += (Fact(_("Amendments"), amended_at(versione, locale)),)
    if registro is not None:
        provenance += (
            Fact(_("Register of the year"), registro.name),
            Fact(_("SHA-256 of the register"), registro.sha256),
        )
    return View(
        title=title,
        subtitle=_("{comune} and {consorzio} · {titolo}").format(
            comune=documento.comune, consorzio=documento.consorzio, titolo=documento.titolo
        ),
        alerts=tuple(alerts),
        provenance=provenance,
        blocks=tuple(sections),
    )


def _summary(municipali: Totali, consorzio: Risorse, locale: str) -> tuple[Block, ...]:
    by_numero = {a.numero: a for a in consorzio.ambiti}
    columns = (
        Column("ambito", _("Ambito"), Kind.COUNT),
        Column("titolo", _("Ambito title")),
        Column("imponibile", _("Taxable amount"), Kind.MONEY, sums=True),
        Column("iva", _("VAT"), Kind.MONEY, sums=True),
        Column("totale", _("Total incl. VAT"), Kind.MONEY, sums=True),
        Column("risorse", _("Consortium resources"), Kind.MONEY, sums=True),
        Column("quota_1_percento", _("Share of the 1%"), Kind.MONEY, sums=True),
    )
    rows = []
    for ambito in municipali.ambiti:
        found = by_numero.get(ambito.numero)
        rows.append(
            Row(
                (
                    ambito.numero,
                    ambito.titolo,
                    ambito.imponibile,
                    ambito.iva,
                    ambito.totale,
                    found.totale if found else None,
                    found.quota_1_percento if found else None,
                )
            )
        )
    rows.append(
        Row(
            (
                None,
                _("Total"),
                municipali.imponibile,
                municipali.iva,
                municipali.totale,
                consorzio.totale_risorse,
                consorzio.totale_quote,
            ),
            RowKind.TOTAL,
        )
    )
    open_items = sum(len(a.da_definire) for a in municipali.ambiti)
    headline = Facts(
        (
            Fact(
                _("Municipal resources, VAT included"), municipali.totale, Kind.MONEY, strong=True
            ),
            Fact(_("Municipal resources, taxable"), municipali.imponibile, Kind.MONEY),
            Fact(_("Consortium's extra resources"), consorzio.totale, Kind.MONEY, strong=True),
            Fact(
                _("Ratio to the municipal taxable amount"),
                consorzio.percentuale,
                Kind.PERCENT,
                places=2,
            ),
        )
    )
    blocks: list[Block] = [
        headline,
        Table(_("Summary by ambito"), columns, tuple(rows), sheet=_("Summary")),
    ]
    if open_items:
        blocks.append(
            Paragraph(
                ngettext(
                    "{n} item is still to be defined and is not counted.",
                    "{n} items are still to be defined and are not counted.",
                    open_items,
                ).format(n=open_items),
                Style.NOTE,
            )
        )
    blocks.append(
        Chart(
            _("Municipal resources by ambito, VAT included"),
            tuple(
                Bar(_("Ambito {n}").format(n=a.numero), a.totale, detail=a.titolo)
                for a in municipali.ambiti
            ),
            value_label=_("Total incl. VAT"),
            label_title=_("Ambito"),
        )
    )
    return tuple(blocks)


def _by_ambito(
    municipali: Totali, consorzio: Risorse, locale: str, versione: Versione | None
) -> tuple[Block, ...]:
    whole = municipal_table(municipali, locale, versione)
    itemised = consortium_table(consorzio, itemised=True)
    blocks: list[Block] = []
    for ambito in municipali.ambiti:
        blocks.append(
            whole._replace(
                title=_("Ambito {n} – {title}").format(n=ambito.numero, title=ambito.titolo),
                rows=_ambito_rows(whole, ambito.numero),
                notes=(),
                sheet=_("Ambito {n}").format(n=ambito.numero),
            )
        )
        items = tuple(r for r in itemised.rows if r.cells[0] == ambito.numero)
        if items:
            blocks.append(
                itemised._replace(
                    title=_("Ambito {n} – consortium's extra resources").format(n=ambito.numero),
                    rows=items,
                    sheet=_("Consortium {n}").format(n=ambito.numero),
                )
            )
    return tuple(blocks)


def _ambito_rows(table: Table, numero: int) -> tuple[Row, ...]:
    """The rows of one ambito, notes included, closed by its own total."""
    rows: list[Row] = []
    inside = False
    for row in table.rows:
        if row.kind is RowKind.NOTE:
            if inside:
                rows.append(row)
            continue
        inside = row.cells[0] == numero and row.kind is not RowKind.TOTAL
        if inside:
            rows.append(row._replace(group=False) if not rows else row)
    if not any(r.kind is RowKind.SUBTOTAL for r in rows):
        items = [r for r in rows if r.kind is RowKind.ITEM]
        label: list[Cell] = []
        for i, column in enumerate(table.columns):
            amounts = [c for r in items if isinstance(c := r.cells[i], Decimal)]
            label.append(sum(amounts, ZERO) if column.sums else None)
        label[table.columns.index(next(c for c in table.columns if c.key == "voce"))] = _(
            "Total ambito {n}"
        ).format(n=numero)
        label[0] = numero
        rows.append(Row(tuple(label), RowKind.SUBTOTAL))
    return tuple(rows)


def _check(controllo: Controllo, locale: str) -> tuple[Block, ...]:
    blocks: list[Block] = [verdict(controllo), coverage(controllo)]
    if controllo.checks:
        blocks.append(checks_table(controllo.checks, locale)._replace(title=""))
    if controllo.scoperte:
        blocks.append(uncovered_table(controllo))
    return tuple(blocks)


# --- the semester report ---------------------------------------------------------


def semester_sections(
    agreement: Agreement,
    m: Monitoraggio,
    piano: Piano,
    consegne: RisorseConsegnate | None,
    locale: str,
) -> list[Block]:
    """The relazione semestrale's first parts: what needs attention (late activities,
    the consortium's shortfall, the anomalies of the money), then each ambito's
    activities, resources delivered and fee lines at the date."""
    from crema_budget.views.monitor import anomalies_table
    from crema_budget.views.resources import ambito_delivered, delivered_blocks
    from crema_budget.views.workplan import ambito_activities, late_table, unmonitored_note

    attention: list[Block] = []
    late = len(piano.in_ritardo)
    if not piano.monitorato:
        attention.append(unmonitored_note())
    elif late:
        attention.append(
            Paragraph(
                ngettext(
                    "{n} activity of the work plan is late.",
                    "{n} activities of the work plan are late.",
                    late,
                ).format(n=late),
                Style.ALERT,
            )
        )
        attention.append(late_table(piano, locale))
    else:
        attention.append(Paragraph(_("No activity of the work plan is late."), Style.GOOD))
    attention.extend(delivered_blocks(consegne, locale)[:1])
    if m.anomalie:
        attention.append(
            Paragraph(
                ngettext(
                    "{n} anomaly in the invoices.",
                    "{n} anomalies in the invoices.",
                    len(m.anomalie),
                ).format(n=len(m.anomalie)),
                Style.ALERT,
            )
        )
        attention.append(anomalies_table(m.anomalie, locale))
    else:
        attention.append(Paragraph(_("No anomaly in the invoices."), Style.GOOD))
    sections: list[Block] = [Section(_("What needs attention"), tuple(attention), "attenzione")]
    for ambito in agreement.ambiti:
        blocks: list[Block] = []
        if piano.monitorato:
            activities = ambito_activities(piano, ambito.numero, locale)
            if activities is not None:
                blocks.append(activities)
        if consegne is not None:
            delivered = ambito_delivered(consegne, ambito.numero, locale)
            if delivered is not None:
                blocks.append(delivered)
        blocks.append(_money_table(m, ambito.numero, locale))
        sections.append(
            Section(
                _("Ambito {n} at {date} – {title}").format(
                    n=ambito.numero, date=figures.day(m.al, locale), title=ambito.titolo
                ),
                tuple(blocks),
                f"semestre-ambito-{ambito.numero}",
            )
        )
    return sections


def _money_table(m: Monitoraggio, numero: int, locale: str) -> Table:
    """An ambito's fee lines at the date: budget, due, invoiced, paid, difference."""
    columns = (
        Column("codice", _("Code")),
        Column("voce", _("Item")),
        Column("bilancio", _("Budget"), Kind.MONEY, sums=True),
        Column("dovuto", _("Due"), Kind.MONEY, sums=True),
        Column("fatturato", _("Invoiced"), Kind.MONEY, sums=True),
        Column("pagato", _("Paid"), Kind.MONEY, sums=True),
        Column("differenza", _("Difference"), Kind.MONEY, sums=True),
    )
    lines = [x for x in m.linee if x.ambito == numero]
    rows = [
        Row((x.codice, x.voce, x.bilancio, x.dovuto, x.fatturato, x.pagato, x.differenza))
        for x in lines
    ]
    rows.append(
        Row(
            (
                None,
                _("Total ambito {n}").format(n=numero),
                sum((x.bilancio for x in lines), ZERO),
                sum((x.dovuto for x in lines), ZERO),
                sum((x.fatturato for x in lines), ZERO),
                sum((x.pagato for x in lines), ZERO),
                sum((x.differenza for x in lines), ZERO),
            ),
            RowKind.TOTAL,
        )
    )
    return Table(
        _("Ambito {n} – fee lines at {date} (taxable)").format(
            n=numero, date=figures.day(m.al, locale)
        ),
        columns,
        tuple(rows),
        sheet=_("Money {n}").format(n=numero),
    )
