"""The view of ``variazioni``: the amendments one by one (date, act, what each
changed and why) and what each does to the totals."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from crema_budget import figures
from crema_budget.agreement.model import DaDefinire, Servizio, VoceRisorsa
from crema_budget.agreement.variazioni import Passo
from crema_budget.i18n import _, ngettext
from crema_budget.view import Block, Column, Kind, Paragraph, Row, RowKind, Style, Table, View
from crema_budget.views.versions import _field

#: The fields an amendment of a fee line may change, in the order they are told.
_FIELDS = ("canone_mensile", "mensilita", "importo", "aliquota_iva", "mesi", "giorno")


def _shown(field: str, value: object, locale: str) -> str:
    if value is None:
        return _("to be defined")
    if isinstance(value, Decimal):
        if field == "aliquota_iva":
            return figures.rate(value, locale)
        return figures.euro(value, locale)
    if isinstance(value, tuple):
        return ", ".join(figures.month_name(m, locale) for m in value)
    if isinstance(value, date):
        return figures.day(value, locale)
    return str(value)


def what(passo: Passo, locale: str) -> str:
    """What the amendment changed, in words: the line or item, and each figure
    before → after."""
    applied = passo.applicata
    before, after = applied.prima, applied.dopo
    if isinstance(after, VoceRisorsa):
        if before is None:
            return _("new consortium item {item}: {amount}").format(
                item=after.voce, amount=figures.euro(after.importo, locale)
            )
        assert isinstance(before, VoceRisorsa)
        return _("consortium item {item}: {before} → {after}").format(
            item=after.voce,
            before=figures.euro(before.importo, locale),
            after=figures.euro(after.importo, locale),
        )
    if before is None:
        return _("new fee line {code}: {label}").format(code=applied.chiave, label=after.voce)
    if isinstance(before, DaDefinire):
        amount = after.importo if after.importo is not None else Decimal(0)
        return _("{code} defined: {amount}").format(
            code=applied.chiave, amount=figures.euro(amount, locale)
        )
    assert isinstance(before, Servizio)
    changes = [
        f"{_field(name)} {_shown(name, getattr(before, name), locale)} → "
        f"{_shown(name, getattr(after, name), locale)}"
        for name in _FIELDS
        if getattr(before, name) != getattr(after, name)
    ]
    return f"{applied.chiave}: " + "; ".join(changes or [_("unchanged")])


def _with_reason(text: str, motivo: str | None) -> str:
    return f"{text} ({motivo})" if motivo else text


def variazioni_table(passi: tuple[Passo, ...], locale: str) -> Table:
    columns = (
        Column("data", _("Date"), Kind.DATE),
        Column("atto", _("Act")),
        Column("ambito", _("Ambito"), Kind.COUNT, short=_("Amb.")),
        Column("chiave", _("Key"), grid_only=True),
        Column("cosa", _("What")),
        Column("motivo", _("Why"), grid_only=True),
        Column("imponibile", _("Taxable total"), Kind.MONEY, sums=True, short=_("Taxable")),
        Column("totale", _("Total incl. VAT"), Kind.MONEY, sums=True, short=_("With VAT")),
        Column("risorse", _("Consortium"), Kind.MONEY, sums=True),
    )
    rows = [
        Row(
            (
                p.applicata.variazione.data,
                p.applicata.variazione.atto,
                p.applicata.ambito,
                p.applicata.chiave,
                _with_reason(what(p, locale), p.applicata.variazione.motivo),
                p.applicata.variazione.motivo or "",
                p.imponibile,
                p.totale,
                p.risorse,
            )
        )
        for p in passi
    ]
    if rows:
        rows.append(
            Row(
                (
                    None,
                    _("Total"),
                    None,
                    None,
                    None,
                    None,
                    sum((p.imponibile for p in passi), Decimal("0.00")),
                    sum((p.totale for p in passi), Decimal("0.00")),
                    sum((p.risorse for p in passi), Decimal("0.00")),
                ),
                RowKind.TOTAL,
            )
        )
    return Table(
        _("Amendments and their effect on the totals"),
        columns,
        tuple(rows),
        notes=(
            _(
                "Each effect is the change in the grand totals (taxable, VAT included) and "
                "in the consortium's extra resources that the amendment makes, in the order "
                "the amendments apply."
            ),
        ),
        sheet=_("Amendments"),
    )


def variazioni_view(passi: tuple[Passo, ...], locale: str) -> View:
    blocks: list[Block] = []
    if not passi:
        blocks.append(Paragraph(_("The agreement lists no amendment."), Style.NOTE))
    else:
        blocks.append(
            Paragraph(
                ngettext("{n} amendment.", "{n} amendments.", len(passi)).format(n=len(passi))
            )
        )
        blocks.append(variazioni_table(passi, locale))
    return View(title=_("Amendments to the agreement"), blocks=tuple(blocks))
