"""The view of the payment-timeliness indicator (``tempestivita``): the indicator, how it
is computed, and each invoice paid in the period with its days."""

from __future__ import annotations

from crema_budget import figures
from crema_budget.agreement.model import Documento
from crema_budget.i18n import _, ngettext
from crema_budget.office.timeliness import Tempestivita
from crema_budget.view import (
    Block,
    Column,
    Fact,
    Facts,
    Kind,
    Paragraph,
    Row,
    RowKind,
    Style,
    Table,
    View,
)


def period_text(t: Tempestivita, locale: str) -> str:
    if t.trimestre is None:
        return _("year {year}").format(year=t.anno)
    return _("quarter {n} of {year}").format(n=t.trimestre, year=t.anno)


def indicator_text(t: Tempestivita, locale: str) -> str:
    """The indicator in days, or why there is none."""
    if t.indicatore is None:
        return _("not computable: no invoice paid in the period")
    return ngettext("{days} day", "{days} days", 1 if abs(t.indicatore) == 1 else 2).format(
        days=figures.number(t.indicatore, locale, 2)
    )


def timeliness_facts(t: Tempestivita, locale: str) -> Facts:
    """The indicator and its terms, for ``monitor`` and the report."""
    return Facts(
        (
            Fact(_("Payment-timeliness indicator"), indicator_text(t, locale), strong=True),
            Fact(_("Period"), f"{figures.day(t.dal, locale)} – {figures.day(t.al, locale)}"),
            Fact(_("Invoices paid"), len(t.righe), Kind.COUNT),
            Fact(_("Amount paid"), t.importo, Kind.MONEY),
            Fact(_("Payment term"), ngettext("{n} day", "{n} days", t.termine).format(n=t.termine)),
        ),
        _("Payment timeliness (DPCM 22 September 2014, art. 9)"),
    )


def invoices_table(t: Tempestivita) -> Table:
    columns = (
        Column("numero", _("Invoice")),
        Column("data", _("Date"), Kind.DATE, grid_only=True),
        Column("ricevuta", _("Term starts"), Kind.DATE),
        Column("base", _("Term starts at"), short=_("From")),
        Column("scadenza", _("Due by"), Kind.DATE),
        Column("pagata", _("Paid on"), Kind.DATE),
        Column("giorni", _("Days"), Kind.COUNT),
        Column("importo", _("Amount paid"), Kind.MONEY, sums=True),
        Column("ponderato", _("Days × amount"), Kind.MONEY, sums=True),
    )
    rows = [
        Row(
            (
                r.numero,
                r.data,
                r.ricevuta,
                _("receipt") if r.da_ricevuta else _("invoice date"),
                r.scadenza,
                r.pagata,
                r.giorni,
                r.importo,
                r.ponderato,
            )
        )
        for r in t.righe
    ]
    if rows:
        rows.append(
            Row(
                (_("Total"), None, None, "", None, None, None, t.importo, t.ponderato),
                RowKind.TOTAL,
            )
        )
    return Table(
        _("Invoices paid in the period"),
        columns,
        tuple(rows),
        notes=(
            _(
                "Days: payment date minus due date (receipt, or the invoice's date where no "
                "receipt is recorded, plus the payment term); negative when paid early. "
                "Amount: what the supplier was paid, without the VAT paid to the Treasury "
                "under split payment."
            ),
        ),
        sheet=_("Timeliness"),
    )


def timeliness_blocks(t: Tempestivita, locale: str) -> list[Block]:
    blocks: list[Block] = [timeliness_facts(t, locale)]
    if t.righe:
        blocks.append(invoices_table(t))
    else:
        blocks.append(
            Paragraph(
                _("No invoice was paid in the period: the indicator is not computable."),
                Style.NOTE,
            )
        )
    return blocks


def timeliness_view(t: Tempestivita, documento: Documento, locale: str) -> View:
    """``tempestivita``: the indicator of a year or quarter and each invoice's days."""
    return View(
        title=_("Payment-timeliness indicator, {period}").format(period=period_text(t, locale)),
        subtitle=f"{documento.comune} – {documento.consorzio}",
        blocks=tuple(timeliness_blocks(t, locale)),
    )
