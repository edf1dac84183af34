"""The view of ``diff``: what changed between two agreements, and what it does."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from crema_budget import figures
from crema_budget.agreement.versions import Cambio, Confronto, Effetto
from crema_budget.i18n import _, ngettext
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

_MONEY_FIELDS = {"canone_mensile", "importo", "quota_1_percento"}


def _field(campo: str) -> str:
    """A changed field as a reader names it."""
    return {
        "aggiunto": _("added"),
        "rimosso": _("removed"),
        "definito": _("defined (taxable amount)"),
        "canone_mensile": _("monthly fee"),
        "mensilita": _("months (number)"),
        "importo": _("sum"),
        "aliquota_iva": _("rate of VAT"),
        "mesi": _("months"),
        "voce": _("label"),
        "periodo": _("period"),
        "tipo": _("kind of line"),
        "giorno": _("day of the service"),
        "quota_1_percento": _("share of the 1%"),
        "anno": _("year"),
        "stato": _("status"),
        "titolo": _("title"),
        "comune": _("Comune"),
        "consorzio": _("consortium"),
        "attivita": _("words of the activity"),
        "gruppo": _("heading"),
        "quando": _("when (words)"),
        "inizio": _("starts in"),
        "scadenza": _("done by"),
        "verifiche": _("checkpoints"),
        "in_corso": _("under way at the start"),
    }.get(campo, campo)


def _what(cambio: Cambio) -> str:
    kinds = {
        "servizio": _("fee line"),
        "da definire": _("item to be defined"),
        "risorsa": _("consortium item"),
        "quota 1%": _("share of the 1%"),
        "fascia": _("nursery tier"),
        "documento": _("document"),
        "attivita": _("activity"),
    }
    if cambio.tipo == "documento":
        return kinds["documento"]
    if cambio.tipo == "quota 1%":
        where = kinds["quota 1%"]
    else:
        where = f"{kinds.get(cambio.tipo, cambio.tipo)} {cambio.chiave}"
    return _("Ambito {n} · {what}").format(n=cambio.ambito, what=where) if cambio.ambito else where


def _value(cambio: Cambio, value: object, locale: str) -> Cell:
    if value is None:
        return Placeholder(_("to be defined")) if cambio.campo == "definito" else None
    if isinstance(value, tuple):
        return ", ".join(figures.month_name(m, locale) for m in value)
    if isinstance(value, bool):
        return Value(value, Kind.YESNO)
    if cambio.tipo == "attivita" and isinstance(value, int):  # a month of the plan
        return figures.month_name(value, locale)
    if isinstance(value, Decimal):
        if cambio.campo == "aliquota_iva":
            return Value(value, Kind.RATE)
        if cambio.campo in _MONEY_FIELDS or cambio.tipo in ("risorsa", "fascia", "servizio"):
            return Value(value, Kind.MONEY)
    if isinstance(value, int):
        return Value(value, Kind.COUNT) if cambio.campo != "anno" else str(value)
    if isinstance(value, date):
        return value
    return str(value)


def _figure(chiave: str) -> str:
    """What an effect's key stands for, in words."""
    parts = chiave.split(".")
    if parts[0] == "servizio":
        return _("{line}: total incl. VAT").format(line=".".join(parts[1:-1]))
    if parts[0] == "ambito":
        return _("Ambito {n}: total incl. VAT").format(n=parts[1])
    return {
        "imponibile": _("Grand total, taxable"),
        "iva": _("Grand total, VAT"),
        "totale": _("Grand total incl. VAT"),
        "risorse.totale": _("Consortium's extra resources"),
        "risorse.percentuale": _("Ratio to the municipal resources"),
    }.get(chiave, chiave)


def changes_table(confronto: Confronto, locale: str) -> Table:
    columns = (
        Column("tipo", _("Kind"), grid_only=True),
        Column("chiave", _("Key"), grid_only=True),
        Column("cosa", _("What")),
        Column("campo", _("Field")),
        Column("prima", _("Before"), Kind.TEXT),
        Column("dopo", _("After"), Kind.TEXT),
    )
    rows = tuple(
        Row(
            (
                c.tipo,
                c.chiave,
                _what(c),
                _field(c.campo),
                _value(c, c.prima, locale),
                _value(c, c.dopo, locale),
            )
        )
        for c in confronto.cambi
    )
    return Table(_("What changed"), columns, rows, sheet=_("Changes"))


def _effect_row(e: Effetto) -> Row:
    kind = Kind.PERCENT if e.percentuale else Kind.MONEY

    def typed(value: Decimal | None, as_kind: Kind = kind) -> Cell:
        return None if value is None else Value(value, as_kind, 2)

    def side(value: Decimal | None) -> Cell:
        # A line with no figure on one side is an open item: said, not left blank.
        return Placeholder(_("to be defined")) if value is None else typed(value)

    return Row(
        (
            e.chiave,
            _figure(e.chiave),
            side(e.prima),
            side(e.dopo),
            typed(e.differenza, Kind.POINTS if e.percentuale else Kind.MONEY),
            None if e.variazione is None else Value(e.variazione, Kind.PERCENT, 2),
        )
    )


def effects_table(confronto: Confronto) -> Table:
    columns = (
        Column("chiave", _("Key"), grid_only=True),
        Column("cifra", _("Figure")),
        Column("prima", _("Before"), Kind.MONEY),
        Column("dopo", _("After"), Kind.MONEY),
        Column("differenza", _("Difference"), Kind.MONEY),
        Column("variazione", _("Change"), Kind.PERCENT, places=2),
    )
    return Table(
        _("What it does to the totals"),
        columns,
        tuple(_effect_row(e) for e in confronto.effetti),
        sheet=_("Effects"),
    )


def diff_view(confronto: Confronto, old: str, new: str, locale: str) -> View:
    blocks: list[Block] = []
    count = len(confronto.cambi)
    if confronto.uguali:
        blocks.append(
            Paragraph(_("No input differs: the two agreements are the same."), Style.GOOD)
        )
    else:
        blocks.append(
            Paragraph(
                ngettext("{n} input differs.", "{n} inputs differ.", count).format(n=count),
                Style.ALERT,
            )
        )
        blocks.append(changes_table(confronto, locale))
    blocks.append(effects_table(confronto))
    return View(title=_("Comparison: {old} → {new}").format(old=old, new=new), blocks=tuple(blocks))
