"""The view of ``check``: every declared figure against the computed one, and
what no declared figure covers."""

from __future__ import annotations

from decimal import Decimal

from crema_budget import figures
from crema_budget.agreement.checks import Check, Controllo, Esito
from crema_budget.i18n import _, ngettext
from crema_budget.money import decimal_places
from crema_budget.view import (
    Block,
    Cell,
    Column,
    Kind,
    Paragraph,
    Placeholder,
    Row,
    Style,
    Table,
    Value,
    View,
)


def verdict(controllo: Controllo) -> Paragraph:
    """The one line that says whether the document's figures hold."""
    total = len(controllo.checks)
    checked = ngettext("{n} figure checked", "{n} figures checked", total).format(n=total)
    wrong = controllo.differenze
    missing = sum(c.esito is Esito.NON_DICHIARATO for c in controllo.checks)
    if missing:
        # A figure not declared is not one that disagrees: the file may be a draft
        # or cut short, and the reader must be told which.
        text = ngettext(
            "{checked}: {n} is not declared.", "{checked}: {n} are not declared.", missing
        ).format(checked=checked, n=missing)
        if wrong > missing:
            text = ngettext(
                "{checked}: {n} does not agree, {missing} not declared.",
                "{checked}: {n} do not agree, {missing} not declared.",
                wrong - missing,
            ).format(checked=checked, n=wrong - missing, missing=missing)
        return Paragraph(text, Style.ALERT)
    if not wrong:
        if total == 1:
            return Paragraph(_("{checked}: it agrees.").format(checked=checked), Style.GOOD)
        if total == 0:
            return Paragraph(_("No declared figure to check."), Style.ALERT)
        return Paragraph(_("{checked}: all agree.").format(checked=checked), Style.GOOD)
    return Paragraph(
        ngettext(
            "{checked}: {n} does not agree.",
            "{checked}: {n} do not agree.",
            wrong,
        ).format(checked=checked, n=wrong),
        Style.ALERT,
    )


def coverage(controllo: Controllo) -> Paragraph:
    """How many computed figures a declared one covers."""
    computed = len(controllo.checks) + len(controllo.scoperte)
    declared = sum(c.dichiarato is not None for c in controllo.checks)
    return Paragraph(
        ngettext(
            "Coverage: {declared} of {computed} computed figure has a declared counterpart.",
            "Coverage: {declared} of {computed} computed figures have a declared counterpart.",
            computed,
        ).format(declared=declared, computed=computed),
        Style.NOTE,
    )


def _figure(value: Decimal | None, percent: bool, places: int) -> Cell:
    if value is None:
        return Placeholder(_("not declared"))
    return Value(value, Kind.PERCENT, places) if percent else value


def checks_table(checks: list[Check] | tuple[Check, ...], locale: str) -> Table:
    """One row per declared figure: declared, computed, the difference, the outcome."""
    differs = any(not c.ok for c in checks)
    columns = [
        Column("chiave", _("Key"), grid_only=True),
        Column("dove", _("Where"), once=True),
        Column("cifra", _("Figure")),
        Column("dichiarato", _("Declared"), Kind.MONEY),
        Column("calcolato", _("Computed"), Kind.MONEY),
    ]
    if differs:
        columns.append(Column("differenza", _("Difference"), Kind.MONEY))
    columns += [
        Column("esito", _("Outcome")),
        Column("stato", _("Outcome (code)"), grid_only=True),
    ]
    rows: list[Row] = []
    notes: list[str] = []
    previous = None
    for c in checks:
        places = decimal_places(c.dichiarato) if c.dichiarato is not None else 2
        outcome = c.esito.label()
        if c.esito is Esito.TRONCATO:
            notes.append(
                ngettext(
                    "({n}) {where}: {exact} truncated to {places} decimal; rounded it would be "
                    "{rounded}.",
                    "({n}) {where}: {exact} truncated to {places} decimals; rounded it would be "
                    "{rounded}.",
                    places,
                ).format(
                    n=len(notes) + 1,
                    where=c.dove,
                    exact=figures.percent(c.calcolato, locale),
                    places=places,
                    rounded=figures.percent(c.calcolato, locale, places),
                )
            )
            outcome += f" ({len(notes)})"
        difference: Cell = None
        if c.differenza:
            # Declared minus computed, exactly: in points for a percentage.
            difference = Value(c.differenza, Kind.POINTS, 4) if c.percentuale else c.differenza
        cells: list[Cell] = [
            c.chiave,
            c.dove,
            c.cifra,
            _figure(c.dichiarato, c.percentuale, places),
            _figure(c.calcolato, c.percentuale, 2),
        ]
        if differs:
            cells.append(difference)
        cells += [outcome, c.esito.value]
        rows.append(Row(tuple(cells), group=previous is not None and previous != c.dove))
        previous = c.dove
    return Table(
        _("Check of the declared figures"),
        tuple(columns),
        tuple(rows),
        tuple(notes),
        sheet=_("Check"),
    )


def uncovered_table(controllo: Controllo) -> Table:
    """The computed figures that no declared figure covers."""
    columns = (
        Column("chiave", _("Key"), grid_only=True),
        Column("dove", _("Where"), once=True),
        Column("cifra", _("Figure")),
        Column("calcolato", _("Computed"), Kind.MONEY),
    )
    rows = tuple(
        Row(
            (
                f.chiave,
                f.dove,
                f.cifra,
                Value(f.calcolato, Kind.PERCENT, 2) if f.percentuale else f.calcolato,
            )
        )
        for f in controllo.scoperte
    )
    return Table(
        _("Computed figures the document does not declare"),
        columns,
        rows,
        sheet=_("Not declared"),
    )


#: Above this many checks a terminal lists only those that need attention.
MAX_TERMINAL_ROWS = 200


def check_view(controllo: Controllo, locale: str, attention_only: bool = False) -> View:
    """``check``: the comparison table, the verdict, and the coverage.

    With ``attention_only`` (a terminal and more than :data:`MAX_TERMINAL_ROWS`
    checks) the table lists only the figures that are not plainly in agreement.
    """
    checks = controllo.checks
    blocks: list[Block] = []
    hidden = 0
    if attention_only:
        checks = tuple(c for c in checks if c.esito is not Esito.CONCORDA)
        hidden = len(controllo.checks) - len(checks)
    if checks:
        blocks.append(checks_table(checks, locale))
    if hidden:
        blocks.append(
            Paragraph(
                ngettext(
                    "{n} figure that agrees is not listed; --format csv or json lists them all.",
                    "{n} figures that agree are not listed; --format csv or json lists them all.",
                    hidden,
                ).format(n=hidden),
                Style.NOTE,
            )
        )
    blocks.append(coverage(controllo))
    if controllo.scoperte:
        blocks.append(uncovered_table(controllo))
    blocks.append(verdict(controllo))  # last: what CI logs show first (tail)
    return View(title=_("Check of the declared figures"), blocks=tuple(blocks))
