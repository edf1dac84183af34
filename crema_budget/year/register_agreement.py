"""What a register says that only its agreement can judge: the codes it names, the year
its months fall in, and how each service's calendar may be given.

Each problem is a place in the register and what is wrong there, so the command line
reports it at its line, like any other problem of the file, and computes nothing: a
typo must never leave an invoice out of the totals, nor a month of another year slip
into the forecast. Pure: records in, problems out (no YAML, no Pydantic).
"""

from __future__ import annotations

from crema_budget.agreement.model import ANNUALE, STAGIONALE, UNA_TANTUM, Agreement
from crema_budget.agreement.versions import amended
from crema_budget.i18n import _
from crema_budget.year.assign import unknown_codes
from crema_budget.year.due import tipo
from crema_budget.year.records import QUOTA_1_PERCENTO, Mese, Registro

#: A place in the register; a month of ``iscritti_nido`` stands as ``("iscritti_nido",
#: Mese, "[key]")`` until the caller names it as the file writes it.
Where = tuple[str | int | Mese, ...]


def problems(registro: Registro, agreement: Agreement) -> list[tuple[Where, str]]:
    """Every problem of ``registro`` against ``agreement`` (with all its amendments)."""
    found: list[tuple[Where, str]] = []
    for unknown in unknown_codes(registro, agreement):
        message = (
            _("no fee line has the code {code}; did you mean {suggestion}?").format(
                code=unknown.codice, suggestion=unknown.vicino
            )
            if unknown.vicino
            else _("no fee line has the code {code}").format(code=unknown.codice)
        )
        found.append((unknown.dove, message))
    year = agreement.documento.anno
    for month, _count in registro.iscritti_nido:
        if month.anno != year:
            found.append((("iscritti_nido", month, "[key]"), _outside(str(month), year)))
    found.extend(_calendar_problems(registro, agreement))
    found.extend(_plan_problems(registro, agreement))
    found.extend(_resource_problems(registro, agreement))
    return found


def _nearest(word: str, choices: list[str]) -> str | None:
    import difflib

    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.5)
    return close[0] if close else None


def _plan_problems(registro: Registro, agreement: Agreement) -> list[tuple[Where, str]]:
    """Every ``attivita:`` entry names an activity of the plan, on a day of the year."""
    codes = [x.codice for a in agreement.ambiti for x in a.piano]
    known = set(codes)
    year = agreement.documento.anno
    found: list[tuple[Where, str]] = []
    for index, event in enumerate(registro.attivita or ()):
        if event.codice not in known:
            near = _nearest(event.codice, codes)
            found.append(
                (
                    ("attivita", index, "codice"),
                    _("the work plan has no activity {code}; did you mean {suggestion}?").format(
                        code=event.codice, suggestion=near
                    )
                    if near
                    else _("the work plan has no activity {code}").format(code=event.codice),
                )
            )
        for field, day in (("data", event.data), ("nuova_scadenza", event.nuova_scadenza)):
            if day is not None and day.year != year:
                found.append((("attivita", index, field), _outside(day.isoformat(), year)))
    return found


def _resource_problems(registro: Registro, agreement: Agreement) -> list[tuple[Where, str]]:
    """Every ``risorse_consorzio:`` entry names an ambito, an item of its promise (as
    amended) or its share of the 1 %, on a day of the year."""
    version = amended(agreement).agreement
    ambiti = {a.numero: a for a in version.ambiti}
    year = agreement.documento.anno
    found: list[tuple[Where, str]] = []
    for index, consegna in enumerate(registro.risorse_consorzio or ()):
        if consegna.data.year != year:
            found.append(
                (("risorse_consorzio", index, "data"), _outside(consegna.data.isoformat(), year))
            )
        ambito = ambiti.get(consegna.ambito)
        if ambito is None:
            found.append(
                (
                    ("risorse_consorzio", index, "ambito"),
                    _("there is no ambito {n}").format(n=consegna.ambito),
                )
            )
            continue
        voci = [v.voce for v in ambito.risorse_consorzio.voci] if ambito.risorse_consorzio else []
        if ambito.quota_1_percento is not None:
            voci.append(QUOTA_1_PERCENTO)
        if consegna.voce is None or consegna.voce in voci:
            continue
        near = _nearest(consegna.voce, voci)
        found.append(
            (
                ("risorse_consorzio", index, "voce"),
                _("ambito {n} promises no item {item}; did you mean {suggestion}?").format(
                    n=consegna.ambito, item=repr(consegna.voce), suggestion=repr(near)
                )
                if near
                else _("ambito {n} promises no item {item}; its items are: {items}").format(
                    n=consegna.ambito, item=repr(consegna.voce), items=", ".join(voci) or "–"
                ),
            )
        )
    return found


def _calendar_problems(registro: Registro, agreement: Agreement) -> list[tuple[Where, str]]:
    """``svolgimento`` gives the months a seasonal service ran, or a one-off's day, in the
    agreement's year; other lines fall due by the agreement's own calendar."""
    version = amended(agreement).agreement
    kinds = {code: tipo(line) for code, (_a, line) in version.servizi().items()}
    kinds.update(
        {d.codice: d.tipo or ANNUALE for a in version.ambiti for d in a.da_definire if d.codice}
    )
    year = agreement.documento.anno
    found: list[tuple[Where, str]] = []
    for index, record in enumerate(registro.svolgimento):
        kind = kinds.get(record.servizio)
        if kind is None:
            continue  # an unknown code: said above
        where = ("svolgimento", index)
        if kind not in (STAGIONALE, UNA_TANTUM):
            found.append(
                (
                    (*where, "servizio"),
                    _(
                        "{code} falls due by the agreement's own calendar: svolgimento is "
                        "for seasonal (stagionale) and one-off (una_tantum) services"
                    ).format(code=record.servizio),
                )
            )
        elif kind == STAGIONALE and record.giorno is not None:
            found.append(
                (
                    (*where, "giorno"),
                    _(
                        "{code} is a seasonal service: give the months it ran (mesi), not a day"
                    ).format(code=record.servizio),
                )
            )
        elif kind == UNA_TANTUM and record.dal is not None:
            found.append(
                (
                    (*where, "mesi"),
                    _("{code} is a one-off service: give its day (giorno), not months").format(
                        code=record.servizio
                    ),
                )
            )
        elif record.giorno is not None and record.giorno.year != year:
            found.append(((*where, "giorno"), _outside(record.giorno.isoformat(), year)))
        elif record.dal is not None and record.al is not None:
            outside = [m for m in (record.dal, record.al) if m.anno != year]
            if outside:
                found.append(((*where, "mesi"), _outside(_months(record.dal, record.al), year)))
    return found


def _months(first: Mese, last: Mese) -> str:
    return str(first) if first == last else f"{first}/{last}"


def _outside(when: str, year: int) -> str:
    return _("{when} is outside the agreement's year {year}").format(when=when, year=year)
