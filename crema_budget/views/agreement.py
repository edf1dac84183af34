"""Views of the agreement itself: the economic summary, the consortium's
resources, the nursery's fee by enrolment."""

from __future__ import annotations

from decimal import Decimal

from crema_budget import figures
from crema_budget.agreement.checks import Esito, percent_check, run_checks
from crema_budget.agreement.compute import Preventivo, Rimodulazione, Risorse, TariffaFascia, Totali
from crema_budget.agreement.model import BOZZA, Agreement, DaDefinire, Documento, Servizio
from crema_budget.agreement.versions import Versione
from crema_budget.i18n import _, ngettext
from crema_budget.money import ZERO, decimal_places
from crema_budget.view import (
    Cell,
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


def da_definire() -> Placeholder:
    return Placeholder(_("to be defined"))


def totals_view(
    documento: Documento,
    totali: Totali,
    risorse: Risorse,
    locale: str,
    versione: Versione | None = None,
    avvisi: tuple[str, ...] = (),
) -> View:
    """``totals``: the municipal fee lines, then the consortium's resources; amended
    lines marked, with the signed figure beside them; ``avvisi`` first."""
    subtitle = f"{documento.comune} – {documento.consorzio}"
    if versione is not None and versione.applicate:
        subtitle += " · " + amended_at(versione, locale)
    return View(
        title=_("Economic summary {year}").format(year=documento.anno),
        subtitle=subtitle,
        alerts=draft_alerts(documento) + avvisi,
        blocks=(
            municipal_table(totali, locale, versione),
            consortium_table(risorse),
            ratio_facts(risorse, locale, versione),
        ),
    )


def amended_at(versione: Versione, locale: str) -> str:
    count = len(versione.applicate)
    if versione.al is None:
        return ngettext(
            "as amended by {n} amendment", "as amended by {n} amendments", count
        ).format(n=count)
    return ngettext(
        "as amended at {date} ({n} amendment)", "as amended at {date} ({n} amendments)", count
    ).format(date=figures.day(versione.al, locale), n=count)


def amendment_notes(codice: str | None, versione: Versione | None, locale: str) -> list[str]:
    """What amended a fee line, one sentence per amendment, with the signed figure."""
    if versione is None or codice is None:
        return []
    signed = {r.codice: r for a in versione.totali.ambiti for r in a.righe if r.codice}
    notes = []
    for applied in versione.applicate:
        if applied.chiave != codice or not isinstance(applied.dopo, Servizio):
            continue
        v = applied.variazione
        act = v.atto if not v.motivo else f"{v.atto}, {v.motivo}"
        when = figures.day(v.data, locale)
        if applied.prima is None:
            notes.append(_("added on {date} ({act})").format(date=when, act=act))
        elif isinstance(applied.prima, DaDefinire):
            notes.append(_("defined on {date} ({act})").format(date=when, act=act))
        else:
            before = signed.get(codice)
            notes.append(
                _("amended on {date} ({act}); as signed: {total} VAT included").format(
                    date=when,
                    act=act,
                    total=figures.euro(before.totale, locale) if before else "",
                )
            )
    return notes


def draft_alerts(documento: Documento) -> tuple[str, ...]:
    """A draft says so first: nothing in it is agreed yet."""
    if documento.stato == BOZZA:
        return (_("DRAFT: this agreement is not signed; its figures are proposals."),)
    return ()


def figure_alerts(signed: Agreement) -> tuple[str, ...]:
    """A signed agreement whose declared figures do not all agree with the computed
    ones, or lack the closing totals, may be cut short or mistyped: whatever shows
    its figures says so first (a draft declares nothing yet, and says so itself)."""
    if signed.documento.stato == BOZZA:
        return ()
    count = run_checks(signed).differenze
    if not count:
        return ()
    return (
        ngettext(
            "{n} figure declared in the data file is missing or differs from the computed "
            "one: the file may be cut short or mistyped, and these figures may be wrong "
            "(crema-budget check lists it).",
            "{n} figures declared in the data file are missing or differ from the computed "
            "ones: the file may be cut short or mistyped, and these figures may be wrong "
            "(crema-budget check lists them).",
            count,
        ).format(n=count),
    )


def municipal_table(totali: Totali, locale: str, versione: Versione | None = None) -> Table:
    """Every fee line with its taxable amount, VAT and total; ambito subtotals;
    open items as such; the grand total; amended lines marked."""
    columns: tuple[Column, ...] = (
        Column("ambito", _("Ambito"), Kind.COUNT, short=_("Amb."), once=True),
        Column("codice", _("Code"), grid_only=True),
        Column("voce", _("Item")),
        Column("periodo", _("Period"), grid_only=True),
        Column("canone_mensile", _("Monthly fee"), Kind.MONEY, grid_only=True),
        Column("mensilita", _("Months"), Kind.COUNT, grid_only=True),
        Column("imponibile", _("Taxable amount"), Kind.MONEY, sums=True, short=_("Taxable")),
        Column("aliquota_iva", _("VAT rate"), Kind.RATE, short=_("Rate")),
        Column("iva", _("VAT"), Kind.MONEY, sums=True),
        Column("totale", _("Total incl. VAT"), Kind.MONEY, sums=True, short=_("Total")),
    )
    amended = versione is not None and bool(versione.applicate)
    signed: dict[str, Decimal] = {}
    if amended:
        assert versione is not None
        columns += (
            Column("totale_firmato", _("Total as signed"), Kind.MONEY, grid_only=True),
            Column("variazioni", _("Amendments"), grid_only=True),
        )
        signed = {r.codice: r.totale for a in versione.totali.ambiti for r in a.righe if r.codice}
    rows: list[Row] = []
    for ambito in totali.ambiti:
        first = True
        for riga in ambito.righe:
            amendments = amendment_notes(riga.codice, versione, locale)
            extra: tuple[Cell, ...] = ()
            if amended:
                extra = (signed.get(riga.codice or ""), "; ".join(amendments) or None)
            rows.append(
                Row(
                    (
                        ambito.numero,
                        riga.codice,
                        riga.voce,
                        riga.periodo,
                        riga.canone_mensile,
                        riga.mensilita,
                        riga.imponibile,
                        riga.aliquota_iva,
                        riga.iva,
                        riga.totale,
                        *extra,
                    ),
                    group=first,
                )
            )
            first = False
            detail = how_computed(riga.canone_mensile, riga.mensilita, riga.periodo, locale)
            if detail:
                rows.append(_note(columns, "voce", detail))
            rows.extend(_note(columns, "voce", note) for note in amendments)
        for aperto in ambito.da_definire:
            rows.append(
                Row(
                    (
                        ambito.numero,
                        aperto.codice,
                        aperto.voce,
                        None,
                        None,
                        None,
                        da_definire(),
                        aperto.aliquota_iva,
                        da_definire(),
                        da_definire(),
                        *((None, None) if amended else ()),
                    ),
                    RowKind.OPEN,
                    group=first,
                )
            )
            first = False
        if len(ambito.righe) > 1:
            rows.append(
                Row(
                    (
                        None,  # a subtotal is no line of the ambito: SUMIF by ambito counts once
                        None,
                        _("Total ambito {n}").format(n=ambito.numero),
                        None,
                        None,
                        None,
                        ambito.imponibile,
                        None,
                        ambito.iva,
                        ambito.totale,
                        *((None, None) if amended else ()),
                    ),
                    RowKind.SUBTOTAL,
                )
            )
    rows.append(
        Row(
            (
                None,
                None,
                _("Total"),
                None,
                None,
                None,
                totali.imponibile,
                None,
                totali.iva,
                totali.totale,
                *((None, None) if amended else ()),
            ),
            RowKind.TOTAL,
        )
    )
    notes: tuple[str, ...] = ()
    if any(a.da_definire for a in totali.ambiti):
        notes = (_("Items to be defined are shown as such and never counted as zero."),)
    return Table(
        _("Municipal resources – economic summary"),
        columns,
        tuple(rows),
        notes,
        sheet=_("Municipal resources"),
    )


def how_computed(
    canone: Decimal | None, mensilita: int | None, periodo: str | None, locale: str
) -> str:
    """How a line's taxable amount comes about: ``11 × € 26.736,87 · gennaio–…``."""
    parts = []
    if canone is not None and mensilita is not None:
        parts.append(f"{mensilita} × {figures.euro(canone, locale)}")
    if periodo:
        parts.append(periodo)
    return " · ".join(parts)


def _note(columns: tuple[Column, ...], key: str, text: str) -> Row:
    return Row(tuple(text if c.key == key else None for c in columns), RowKind.NOTE)


def consortium_table(risorse: Risorse, itemised: bool = False) -> Table:
    """The consortium's resources per ambito (or item by item) with the shares of the 1%."""
    columns = (
        Column("ambito", _("Ambito"), Kind.COUNT, short=_("Amb."), once=True),
        Column("voce", _("Item") if itemised else _("Ambito title")),
        Column("risorse", _("Consortium resources"), Kind.MONEY, sums=True, short=_("Resources")),
        Column("quota_1_percento", _("Share of the 1%"), Kind.MONEY, sums=True),
        Column("totale", _("Total"), Kind.MONEY, sums=True),
    )
    rows: list[Row] = []
    for ambito in risorse.ambiti:
        quota = ambito.quota_1_percento
        if itemised:
            first = True
            for voce, importo in ambito.voci:
                rows.append(Row((ambito.numero, voce, importo, None, importo), group=first))
                first = False
            if quota is not None:
                rows.append(
                    Row(
                        (ambito.numero, _("share of the 1%"), None, quota, quota),
                        group=first,
                    )
                )
            rows.append(
                Row(
                    (
                        None,  # as in the municipal table: no ambito for a subtotal
                        _("Total ambito {n}").format(n=ambito.numero),
                        ambito.totale,
                        quota,
                        ambito.totale + (quota or ZERO),
                    ),
                    RowKind.SUBTOTAL,
                )
            )
        else:
            rows.append(
                Row(
                    (
                        ambito.numero,
                        ambito.titolo,
                        ambito.totale,
                        quota,
                        ambito.totale + (quota or ZERO),
                    )
                )
            )
    rows.append(
        Row(
            (None, _("Total"), risorse.totale_risorse, risorse.totale_quote, risorse.totale),
            RowKind.TOTAL,
        )
    )
    return Table(
        _("Consortium's extra resources"),
        columns,
        tuple(rows),
        sheet=_("Consortium resources"),
    )


def ratio_facts(risorse: Risorse, locale: str, versione: Versione | None = None) -> Facts:
    """The total of the consortium's resources and its ratio to the municipal ones;
    with amendments, the ratio as signed too, which is what the document declares."""
    amended = versione is not None and bool(versione.applicate)
    items = [
        Fact(_("Total extra economic resources"), risorse.totale, Kind.MONEY, strong=True),
        Fact(
            (
                _("Ratio to the municipal resources, as amended (taxable {base})")
                if amended
                else _("Ratio to the municipal resources (taxable {base})")
            ).format(base=figures.euro(risorse.base, locale)),
            risorse.percentuale,
            Kind.PERCENT,
            places=2,
        ),
    ]
    signed = versione.risorse if versione is not None and amended else risorse
    if amended:
        items.append(
            Fact(
                _("Ratio as signed (taxable {base})").format(
                    base=figures.euro(signed.base, locale)
                ),
                signed.percentuale,
                Kind.PERCENT,
                places=2,
            )
        )
    declared = signed.percentuale_dichiarata
    if declared is not None:
        outcome = percent_check("", "", "", declared, signed.percentuale).esito
        places = decimal_places(declared)
        shown = figures.percent(declared, locale, places)
        said = {
            Esito.CONCORDA: _("{declared} (agrees)"),
            Esito.TRONCATO: ngettext(
                "{declared} (the exact value truncated to {places} decimal, not rounded)",
                "{declared} (the exact value truncated to {places} decimals, not rounded)",
                places,
            ),
            Esito.DIFFERISCE: _("{declared} (does not agree)"),
        }[outcome]
        items.append(
            Fact(_("As the document declares it"), said.format(declared=shown, places=places))
        )
    return Facts(tuple(items))


def risorse_view(
    risorse: Risorse,
    itemised: bool,
    locale: str,
    versione: Versione | None = None,
    avvisi: tuple[str, ...] = (),
) -> View:
    """``risorse``: the consortium's resources, per ambito or item by item."""
    return View(
        title=_("Consortium's extra resources"),
        subtitle=amended_at(versione, locale) if versione and versione.applicate else "",
        alerts=avvisi,
        blocks=(consortium_table(risorse, itemised), ratio_facts(risorse, locale, versione)),
    )


def nido_view(preventivo: Preventivo | Rimodulazione, locale: str) -> View:
    """``nido --iscritti N``: the tier, monthly and yearly figures, the difference
    from the full fee; or, below the lowest tier with a fee, why there is none."""
    fascia = figures.fascia(preventivo.fascia.iscritti_min, preventivo.fascia.iscritti_max)
    title = ngettext(
        "Nursery – {n} child enrolled (tier: {tier})",
        "Nursery – {n} children enrolled (tier: {tier})",
        preventivo.iscritti,
    ).format(n=preventivo.iscritti, tier=fascia)
    if isinstance(preventivo, Rimodulazione):
        columns: tuple[Column, ...] = (
            Column("iscritti", _("Children enrolled"), Kind.COUNT),
            Column("fascia", _("Tier")),
            Column("canone_mensile", _("Monthly fee"), Kind.MONEY),
        )
        row = Row(
            (preventivo.iscritti, fascia, Placeholder(_("renegotiation (rimodulazione)"))),
            RowKind.OPEN,
        )
        return View(
            title=title,
            blocks=(
                Paragraph(rimodulazione_message(preventivo), Style.ALERT),
                Table("", columns, (row,), sheet=_("Nursery")),
            ),
        )
    p = preventivo
    months = ngettext("{n} month", "{n} months", p.mensilita).format(n=p.mensilita)
    columns = (
        Column("voce", ""),
        Column("mensile", _("Monthly"), Kind.MONEY, sums=True),
        Column("annuo", months, Kind.MONEY, sums=True),
        Column(
            "differenza",
            _("Difference from the full fee"),
            Kind.MONEY,
            sums=True,
            short=_("Difference"),
        ),
    )
    iva_piena = p.totale_pieno - p.imponibile_pieno
    rows = (
        Row((_("Taxable amount"), p.canone_mensile, p.imponibile, p.differenza_imponibile)),
        Row(
            (
                _("VAT {rate}").format(rate=figures.rate(p.aliquota_iva, locale)),
                p.iva_mensile,
                p.iva,
                p.iva - iva_piena,
            )
        ),
        Row((_("Total incl. VAT"), p.totale_mensile, p.totale, p.differenza_totale), RowKind.TOTAL),
    )
    notes = (
        ngettext(
            "VAT over the {n} month is computed on the yearly taxable amount and rounded to "
            "the cent, as the document does; the difference is this tier minus the full fee.",
            "VAT over the {n} months is computed on the yearly taxable amount and rounded to "
            "the cent, as the document does; the difference is this tier minus the full fee.",
            p.mensilita,
        ).format(n=p.mensilita),
    )
    return View(title=title, blocks=(Table("", columns, rows, notes, sheet=_("Nursery")),))


def rimodulazione_message(r: Rimodulazione) -> str:
    return ngettext(
        "With {n} child enrolled the agreement defines no fee: below {threshold} children "
        "the monthly fee must be renegotiated as a whole (rimodulazione complessiva).",
        "With {n} children enrolled the agreement defines no fee: below {threshold} children "
        "the monthly fee must be renegotiated as a whole (rimodulazione complessiva).",
        r.iscritti,
    ).format(n=r.iscritti, threshold=r.soglia)


def fasce_table(tariffe: tuple[TariffaFascia, ...]) -> Table:
    """Every tier: the monthly fee, its VAT, and the yearly total with VAT."""
    mensilita = next((t.preventivo.mensilita for t in tariffe if t.preventivo), None)
    yearly = (
        ngettext(
            "Yearly total incl. VAT ({n} month)", "Yearly total incl. VAT ({n} months)", mensilita
        ).format(n=mensilita)
        if mensilita
        else _("Yearly total incl. VAT")
    )
    columns = (
        Column("iscritti", _("Children enrolled")),
        Column("iscritti_min", _("From"), Kind.COUNT, grid_only=True),
        Column("iscritti_max", _("To"), Kind.COUNT, grid_only=True),
        Column("canone_mensile", _("Monthly fee"), Kind.MONEY),
        Column("iva_mensile", _("VAT"), Kind.MONEY),
        Column("totale_mensile", _("Monthly total"), Kind.MONEY),
        Column("totale_annuo", yearly, Kind.MONEY, short=_("Yearly total")),
    )
    rows = []
    for t in tariffe:
        f = t.fascia
        tier = figures.fascia(f.iscritti_min, f.iscritti_max)
        p = t.preventivo
        if p is None:
            cells: tuple[Cell, ...] = (
                tier,
                f.iscritti_min,
                f.iscritti_max,
                Placeholder(_("renegotiation (rimodulazione)")),
                None,
                None,
                None,
            )
            rows.append(Row(cells, RowKind.OPEN))
        else:
            rows.append(
                Row(
                    (
                        tier,
                        f.iscritti_min,
                        f.iscritti_max,
                        p.canone_mensile,
                        p.iva_mensile,
                        p.totale_mensile,
                        p.totale,
                    )
                )
            )
    return Table(
        _("Nursery – monthly fee by number of children enrolled"),
        columns,
        tuple(rows),
        sheet=_("Nursery tiers"),
    )


def fasce_view(tariffe: tuple[TariffaFascia, ...]) -> View:
    """``nido`` without a number: the table of every tier."""
    table = fasce_table(tariffe)
    return View(title=table.title, blocks=(table._replace(title=""),))
