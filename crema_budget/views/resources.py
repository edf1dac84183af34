"""The consortium's resources as delivered (:mod:`crema_budget.year.resources`): each
ambito's promise and its share of the 1 % against what the register records, the
shortfall, and the ratio to the municipal fees invoiced to date."""

from __future__ import annotations

from crema_budget import figures
from crema_budget.i18n import _, ngettext
from crema_budget.view import (
    Block,
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
)
from crema_budget.year.resources import QUOTA, RisorseConsegnate


def part_label(parte: str) -> str:
    if parte == QUOTA:
        return _("share of the 1%")
    return _("consortium's items")


def delivered_table(r: RisorseConsegnate, locale: str) -> Table:
    columns = (
        Column("ambito", _("Ambito"), Kind.COUNT),
        Column("parte", _("Promise")),
        Column("promesso", _("Promised"), Kind.MONEY, sums=True),
        Column("consegnato", _("Delivered"), Kind.MONEY, sums=True),
        Column("mancante", _("Shortfall"), Kind.MONEY, sums=True),
    )
    rows = [
        Row((c.ambito, part_label(c.parte), c.promesso, c.consegnato, c.mancante)) for c in r.righe
    ]
    rows.append(Row((None, _("Total"), r.promesso, r.consegnato, r.mancante), RowKind.TOTAL))
    return Table(
        _("Consortium's resources delivered at {date}").format(date=figures.day(r.al, locale)),
        columns,
        tuple(rows),
        sheet=_("Resources delivered"),
    )


def delivered_verdict(r: RisorseConsegnate, locale: str) -> Paragraph:
    if not r.mancante:
        return Paragraph(
            _("The consortium has delivered all the resources it promised."), Style.GOOD
        )
    if r.anomalie:
        return Paragraph(
            ngettext(
                "At the end of the year {n} promise of the consortium is short by {amount}: "
                "an anomaly.",
                "At the end of the year {n} promises of the consortium are short by {amount}: "
                "an anomaly.",
                len(r.anomalie),
            ).format(n=len(r.anomalie), amount=figures.euro(r.mancante, locale)),
            Style.ALERT,
        )
    return Paragraph(
        _(
            "Still to be delivered: {amount}. The promise is for the year: a shortfall is "
            "an anomaly only if it remains at 31 December."
        ).format(amount=figures.euro(r.mancante, locale)),
        Style.NOTE,
    )


def delivered_facts(r: RisorseConsegnate) -> Facts:
    items = [
        Fact(_("Delivered to date"), r.consegnato, Kind.MONEY, strong=True),
        Fact(_("Municipal fees invoiced to date (taxable)"), r.fatturato, Kind.MONEY),
    ]
    if r.percentuale is not None:
        items.append(
            Fact(
                _("Ratio of delivered resources to the fees invoiced"), r.percentuale, Kind.PERCENT
            )
        )
    if r.dichiarata is not None:
        items.append(Fact(_("Ratio the agreement declares"), r.dichiarata, Kind.PERCENT, places=1))
    return Facts(tuple(items))


def delivered_alerts(r: RisorseConsegnate | None, locale: str) -> tuple[str, ...]:
    """What a view says first: a shortfall left at the end of the year."""
    if r is None or not r.anomalie:
        return ()
    return (
        _("The consortium's resources are {amount} short at the end of the year.").format(
            amount=figures.euro(r.mancante, locale)
        ),
    )


def delivered_blocks(r: RisorseConsegnate | None, locale: str) -> list[Block]:
    """The part of ``monitor`` and of the report; without the register's section, one
    line that says it is left out."""
    if r is None:
        return [
            Paragraph(
                _(
                    "The register has no risorse_consorzio: section: the consortium's "
                    "resources delivered are not monitored."
                ),
                Style.NOTE,
            )
        ]
    return [delivered_verdict(r, locale), delivered_table(r, locale), delivered_facts(r)]


def delivered_section(r: RisorseConsegnate | None, locale: str) -> Section:
    return Section(
        _("Consortium's resources delivered"),
        tuple(delivered_blocks(r, locale)),
        "risorse-consegnate",
    )


def ambito_delivered(r: RisorseConsegnate, numero: int, locale: str) -> Table | None:
    """One ambito's rows of the comparison, for the semester report."""
    whole = delivered_table(r, locale)
    rows = tuple(row for row in whole.rows[:-1] if row.cells[0] == numero)
    if not rows:
        return None
    return whole._replace(
        title=_("Ambito {n} – consortium's resources delivered").format(n=numero),
        rows=rows,
        sheet=_("Delivered {n}").format(n=numero),
    )
