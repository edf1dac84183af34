"""Versions of an agreement: as amended at a date, and what changed between two.

Amendments (``variazioni``) apply in date order, those of one date in the order
the file lists them. An open item given a sum becomes a fee line, and a line an
amendment adds or defines runs from the amendment's month to the end of the
year, unless it states its months. ``check`` never sees amendments: it checks
the document as signed.
"""

# Real annotations, no `from __future__`: NamedTuple would compile every string
# annotation into a ForwardRef at import.

from datetime import date
from decimal import Decimal
from typing import NamedTuple

from crema_budget.agreement import compute
from crema_budget.agreement.model import (
    ANNUALE,
    STAGIONALE,
    UNA_TANTUM,
    Agreement,
    Ambito,
    DaDefinire,
    RisorseAmbito,
    Servizio,
    Variazione,
    VoceRisorsa,
)
from crema_budget.agreement.workplan_diff import plan_changes


class Applicata(NamedTuple):
    """An amendment in effect, with the line or item before and after it."""

    variazione: Variazione
    ambito: int
    chiave: str  # the fee line's codice, or the consortium item's voce
    prima: Servizio | DaDefinire | VoceRisorsa | None  # None: added by the amendment
    dopo: Servizio | VoceRisorsa


class Versione(NamedTuple):
    """An agreement shown at a date, as views and documents need it: the amendments in
    effect, and the figures as signed."""

    applicate: tuple[Applicata, ...]
    totali: compute.Totali  # as signed
    risorse: compute.Risorse  # as signed
    al: date | None  # the date the agreement is shown at (None: every amendment)


class Variato(NamedTuple):
    """An agreement as amended at a date, the amendments in effect, and as signed."""

    agreement: Agreement
    applicate: tuple[Applicata, ...]
    firmato: Agreement


def amended(agreement: Agreement, al: date | None = None) -> Variato:
    """The agreement with every amendment dated on or before ``al`` (every one, without
    a date) applied."""
    ordered = sorted(enumerate(agreement.variazioni), key=lambda item: (item[1].data, item[0]))
    ambiti = list(agreement.ambiti)
    where = Positions(ambiti)
    applied: list[Applicata] = []
    for _index, v in ordered:
        if al is not None and v.data > al:
            continue
        applied.append(apply(ambiti, v, where))
    version = agreement._replace(ambiti=tuple(ambiti), variazioni=())
    return Variato(version, tuple(applied), agreement)


class Positions:
    """Where each ambito and each coded line or open item is, kept up to date as
    amendments apply, so that each amendment finds its line at once (thousands of
    amendments of a file of thousands of lines would otherwise search it each time)."""

    def __init__(self, ambiti: list[Ambito]) -> None:
        self.ambiti: dict[int, int] = {}
        #: codice → (ambito's position, "servizi" or "da_definire", position in it)
        self.lines: dict[str, tuple[int, str, int]] = {}
        for index, ambito in enumerate(ambiti):
            self.ambiti.setdefault(ambito.numero, index)
            self.note(index, ambito)

    def note(self, index: int, ambito: Ambito) -> None:
        """Record where the coded lines and open items of ambito ``index`` are (the
        first of a code wins, as a search in order would find it)."""
        coded = [("servizi", n, line.codice) for n, line in enumerate(ambito.servizi)]
        coded += [("da_definire", n, item.codice) for n, item in enumerate(ambito.da_definire)]
        for kind, position, codice in coded:
            if codice:
                found = self.lines.get(codice)
                if found is None or found[0] == index:
                    self.lines[codice] = (index, kind, position)


def apply(ambiti: list[Ambito], v: Variazione, where: Positions) -> Applicata:
    """Apply one amendment to ``ambiti`` in place (the ambito it changes is replaced)
    and say what changed; ``where`` (``Positions(ambiti)``) is kept up to date. The
    loader checks that every amendment can apply."""
    if v.nuovo_servizio is not None:
        numero, line = v.nuovo_servizio
        index = where.ambiti[numero]
        ambito = ambiti[index]
        line = _from_its_month(line, v.data)
        assert line.codice is not None
        ambiti[index] = ambito._replace(servizi=(*ambito.servizi, line))
        where.lines.setdefault(line.codice, (index, "servizi", len(ambito.servizi)))
        return Applicata(v, numero, line.codice, None, line)
    if v.risorsa is not None:
        numero, item = v.risorsa
        index = where.ambiti[numero]
        ambito = ambiti[index]
        current = ambito.risorse_consorzio or RisorseAmbito(())
        before = next((x for x in current.voci if x.voce == item.voce), None)
        if before is None:
            voci = (*current.voci, item)
        else:
            voci = tuple(item if x.voce == item.voce else x for x in current.voci)
        ambiti[index] = ambito._replace(risorse_consorzio=current._replace(voci=voci))
        return Applicata(v, numero, item.voce, before, item)
    assert v.servizio is not None
    found = where.lines.get(v.servizio)
    if found is None:
        raise AssertionError(f"no line {v.servizio}: the loader checks amendments")
    index, kind, position = found
    ambito = ambiti[index]
    if kind == "servizi":
        line = ambito.servizi[position]
        after = _changed(line, v)
        servizi = (*ambito.servizi[:position], after, *ambito.servizi[position + 1 :])
        ambiti[index] = ambito._replace(servizi=servizi)
        return Applicata(v, ambito.numero, v.servizio, line, after)
    open_item = ambito.da_definire[position]
    rate = v.aliquota_iva if v.aliquota_iva is not None else open_item.aliquota_iva
    assert v.importo is not None  # the loader checks both
    assert rate is not None
    defined = _from_its_month(
        Servizio(
            codice=open_item.codice,
            voce=open_item.voce,
            canone_mensile=None,
            mensilita=None,
            importo=v.importo,
            periodo=None,
            aliquota_iva=rate,
            mesi=v.mesi,
            tipo=open_item.tipo or ANNUALE,
            giorno=v.giorno,
        ),
        v.data,
    )
    rest = (*ambito.da_definire[:position], *ambito.da_definire[position + 1 :])
    ambiti[index] = ambito._replace(servizi=(*ambito.servizi, defined), da_definire=rest)
    del where.lines[v.servizio]
    where.note(index, ambiti[index])  # the open items after it moved up by one
    return Applicata(v, ambito.numero, v.servizio, open_item, defined)


def _from_its_month(servizio: Servizio, when: date) -> Servizio:
    """A line without stated months runs from the amendment's month to December; a
    seasonal or one-off service keeps to its own calendar (:mod:`crema_budget.year.due`)."""
    if servizio.mesi is not None or servizio.rate or servizio.tipo in (STAGIONALE, UNA_TANTUM):
        return servizio
    months = tuple(range(when.month, 13))
    if servizio.mensilita is not None and servizio.mensilita != len(months):
        return servizio
    return servizio._replace(mesi=months)


def _changed(line: Servizio, v: Variazione) -> Servizio:
    after = line._replace(
        canone_mensile=v.canone_mensile if v.canone_mensile is not None else line.canone_mensile,
        mensilita=v.mensilita if v.mensilita is not None else line.mensilita,
        importo=v.importo if v.importo is not None else line.importo,
        aliquota_iva=v.aliquota_iva if v.aliquota_iva is not None else line.aliquota_iva,
    )
    if v.giorno is not None:
        after = after._replace(giorno=v.giorno)
    if v.mesi is not None:
        after = after._replace(mesi=v.mesi)
    elif after.mensilita != line.mensilita and after.mensilita != len(after.mesi or ()):
        # The months stated no longer fit the number of monthly fees.
        after = after._replace(mesi=tuple(range(1, 13)) if after.mensilita == 12 else None)
    if after.importo != line.importo:
        after = after._replace(rate=())  # instalments of the old sum no longer apply
    return after


# --- what changed between two agreements ---------------------------------------------


class Cambio(NamedTuple):
    """One input that differs: what (a fee line, an item, a tier), which field, before
    and after (None: it was not there)."""

    tipo: str  # servizio, da definire, risorsa, quota 1%, fascia, documento, attivita
    chiave: str  # the fee line's code, the item's label, the tier…
    ambito: int | None
    campo: str  # the field that changed, or "aggiunto" / "rimosso" / "definito"
    prima: Decimal | int | str | tuple[int, ...] | date | None  # bool: int
    dopo: Decimal | int | str | tuple[int, ...] | date | None


class Effetto(NamedTuple):
    """What the changes do to a computed figure."""

    chiave: str  # servizio.nido.totale, ambito.2.totale, totale, risorse.totale, …
    prima: Decimal | None
    dopo: Decimal | None
    percentuale: bool = False  # a ratio in percent: the difference is in points

    @property
    def differenza(self) -> Decimal | None:
        if self.prima is None or self.dopo is None:
            return None
        return self.dopo - self.prima

    @property
    def variazione(self) -> Decimal | None:
        """The change in percent of the old figure."""
        if self.percentuale or not self.prima or self.dopo is None:
            return None
        return (self.dopo - self.prima) * 100 / self.prima


class Confronto(NamedTuple):
    cambi: tuple[Cambio, ...]
    effetti: tuple[Effetto, ...]

    @property
    def uguali(self) -> bool:
        return not self.cambi


_LINE_FIELDS = (
    "voce",
    "canone_mensile",
    "mensilita",
    "importo",
    "aliquota_iva",
    "mesi",
    "periodo",
    "tipo",
    "giorno",
)


def _line_key(ambito: Ambito, line: Servizio | DaDefinire) -> str:
    return line.codice or f"{ambito.numero}: {line.voce}"


def compare(old: Agreement, new: Agreement) -> Confronto:
    """Every input that differs between ``old`` and ``new``, and its effect on the
    totals: each line, each ambito, the grand totals, the consortium's, the ratio."""
    changes: list[Cambio] = []
    for field in ("anno", "stato", "titolo", "comune", "consorzio"):
        before, after = getattr(old.documento, field), getattr(new.documento, field)
        if before != after:
            changes.append(Cambio("documento", field, None, field, before, after))
    old_lines = {_line_key(a, s): (a, s) for a in old.ambiti for s in a.servizi}
    new_lines = {_line_key(a, s): (a, s) for a in new.ambiti for s in a.servizi}
    # An item to be defined that became a fee line of the same code is one change:
    # it was defined (the electoral service given its sum), not one removed and one added.
    defined = (_open_keys(old) - _open_keys(new)) & (new_lines.keys() - old_lines.keys())
    for key in [*old_lines, *(k for k in new_lines if k not in old_lines)]:
        if key in defined:
            ambito, line = new_lines[key]
            changes.append(
                Cambio("servizio", key, ambito.numero, "definito", None, compute.imponibile(line))
            )
        elif key not in new_lines:
            ambito, line = old_lines[key]
            changes.append(Cambio("servizio", key, ambito.numero, "rimosso", line.voce, None))
        elif key not in old_lines:
            ambito, line = new_lines[key]
            changes.append(Cambio("servizio", key, ambito.numero, "aggiunto", None, line.voce))
        else:
            (ambito, before), (_a, after) = old_lines[key], new_lines[key]
            for field in _LINE_FIELDS:
                if getattr(before, field) != getattr(after, field):
                    changes.append(
                        Cambio(
                            "servizio",
                            key,
                            ambito.numero,
                            field,
                            getattr(before, field),
                            getattr(after, field),
                        )
                    )
    changes.extend(c for c in _open_items(old, new) if c.chiave not in defined)
    changes.extend(_resources(old, new))
    changes.extend(_tiers(old, new))
    changes.extend(Cambio("attivita", *change) for change in plan_changes(old, new))
    return Confronto(tuple(changes), tuple(_effects(old, new)))


def _open_keys(agreement: Agreement) -> set[str]:
    return {_line_key(a, d) for a in agreement.ambiti for d in a.da_definire}


def _open_items(old: Agreement, new: Agreement) -> list[Cambio]:
    before = {_line_key(a, d): a.numero for a in old.ambiti for d in a.da_definire}
    after = {_line_key(a, d): a.numero for a in new.ambiti for d in a.da_definire}
    return [
        Cambio("da definire", key, before[key], "rimosso", key, None)
        for key in before
        if key not in after
    ] + [
        Cambio("da definire", key, after[key], "aggiunto", None, key)
        for key in after
        if key not in before
    ]


def _resources(old: Agreement, new: Agreement) -> list[Cambio]:
    def items(agreement: Agreement) -> dict[tuple[int, str], Decimal]:
        return {
            (a.numero, v.voce): v.importo
            for a in agreement.ambiti
            if a.risorse_consorzio is not None
            for v in a.risorse_consorzio.voci
        }

    def shares(agreement: Agreement) -> dict[int, Decimal | None]:
        return {a.numero: a.quota_1_percento for a in agreement.ambiti}

    changes = []
    before, after = items(old), items(new)
    for key in [*before, *(k for k in after if k not in before)]:
        if before.get(key) != after.get(key):
            field = (
                "importo"
                if key in before and key in after
                else ("aggiunto" if key in after else "rimosso")
            )
            changes.append(
                Cambio("risorsa", key[1], key[0], field, before.get(key), after.get(key))
            )
    old_shares, new_shares = shares(old), shares(new)
    for numero in sorted({*old_shares, *new_shares}):
        if old_shares.get(numero) != new_shares.get(numero):
            changes.append(
                Cambio(
                    "quota 1%",
                    str(numero),
                    numero,
                    "quota_1_percento",
                    old_shares.get(numero),
                    new_shares.get(numero),
                )
            )
    return changes


def _tiers(old: Agreement, new: Agreement) -> list[Cambio]:
    def tiers(agreement: Agreement) -> dict[str, Decimal | None]:
        if agreement.nido is None:
            return {}
        return {
            f"{f.iscritti_min}–{'' if f.iscritti_max is None else f.iscritti_max}": (
                f.canone_mensile
            )
            for f in agreement.nido.fasce
        }

    before, after = tiers(old), tiers(new)
    changes = []
    for key in [*before, *(k for k in after if k not in before)]:
        if key not in after:
            changes.append(Cambio("fascia", key, None, "rimosso", before[key], None))
        elif key not in before:
            changes.append(Cambio("fascia", key, None, "aggiunto", None, after[key]))
        elif before[key] != after[key]:
            changes.append(Cambio("fascia", key, None, "canone_mensile", before[key], after[key]))
    return changes


def _effects(old: Agreement, new: Agreement) -> list[Effetto]:
    old_t, new_t = compute.totali(old), compute.totali(new)
    old_r, new_r = compute.risorse(old, old_t), compute.risorse(new, new_t)
    effects: list[Effetto] = []
    before = {r.codice or f"{r.ambito}: {r.voce}": r.totale for a in old_t.ambiti for r in a.righe}
    after = {r.codice or f"{r.ambito}: {r.voce}": r.totale for a in new_t.ambiti for r in a.righe}
    for key in [*before, *(k for k in after if k not in before)]:
        if before.get(key) != after.get(key):
            effects.append(Effetto(f"servizio.{key}.totale", before.get(key), after.get(key)))
    old_a = {a.numero: a.totale for a in old_t.ambiti}
    new_a = {a.numero: a.totale for a in new_t.ambiti}
    for numero in sorted({*old_a, *new_a}):
        if old_a.get(numero) != new_a.get(numero):
            effects.append(Effetto(f"ambito.{numero}.totale", old_a.get(numero), new_a.get(numero)))
    effects += [
        Effetto("imponibile", old_t.imponibile, new_t.imponibile),
        Effetto("iva", old_t.iva, new_t.iva),
        Effetto("totale", old_t.totale, new_t.totale),
        Effetto("risorse.totale", old_r.totale, new_r.totale),
        Effetto("risorse.percentuale", old_r.percentuale, new_r.percentuale, percentuale=True),
    ]
    return effects


def folded(agreement: Agreement) -> Agreement:
    """The agreement with every amendment applied and none left: next year's start."""
    return amended(agreement).agreement
