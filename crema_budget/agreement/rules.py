"""The rules of an agreement file that span fields: each code used once, a line's months
and instalments against its fee, its kind against its calendar, the nursery's tiers
covering every enrolment exactly once, amendments that change something that exists, and
each amendment once applied.

Kept out of the models' validators so that each problem comes with the path of the field
to fix, and points at its own line.
"""

import math
from datetime import date
from decimal import Decimal

from crema_budget.agreement import model
from crema_budget.agreement.fileformat import (
    Agreement,
    Fascia,
    LinePosition,
    NuovoServizio,
    Servizio,
    Variazione,
    kind_of,
    nido_line,
    to_ambito,
    to_variazione,
)
from crema_budget.agreement.workplan_format import plan_problems
from crema_budget.i18n import _, closest, ngettext
from crema_budget.reading.fields import Location, dotted


def consistency_problems(agreement: Agreement) -> list[tuple[Location, str]]:
    """Problems that span several fields, each with the path of the field to fix.

    Kept out of the validators so that each problem points at its own line.
    """
    problems: list[tuple[Location, str]] = []
    seen: dict[int, int] = {}
    codici: dict[str, Location] = {}
    for index, ambito in enumerate(agreement.ambiti):
        if ambito.numero in seen:
            problems.append(
                (
                    ("ambiti", index, "numero"),
                    _("ambito {n} appears twice (also ambiti[{other}])").format(
                        n=ambito.numero, other=seen[ambito.numero]
                    ),
                )
            )
        seen[ambito.numero] = index
        if not ambito.servizi and not ambito.da_definire:
            problems.append(
                (
                    ("ambiti", index),
                    _("an ambito needs at least one entry in servizi or da_definire"),
                )
            )
        lines: list[tuple[Location, str | None]] = [
            (("ambiti", index, "servizi", n), s.codice) for n, s in enumerate(ambito.servizi)
        ]
        lines += [
            (("ambiti", index, "da_definire", n), d.codice)
            for n, d in enumerate(ambito.da_definire)
        ]
        for where, codice in lines:
            if codice is None:
                continue
            if codice in codici:
                problems.append(
                    (
                        (*where, "codice"),
                        _("the code {code} is already used by {other}").format(
                            code=codice, other=dotted(codici[codice])
                        ),
                    )
                )
            else:
                codici[codice] = where
        for n, servizio in enumerate(ambito.servizi):
            problems.extend(_schedule_problems(servizio, ("ambiti", index, "servizi", n)))
            problems.extend(
                _kind_problems(servizio, ("ambiti", index, "servizi", n), agreement.documento.anno)
            )
        for n, open_item in enumerate(ambito.da_definire):
            if open_item.tipo == model.MENSILE:
                problems.append(
                    (
                        ("ambiti", index, "da_definire", n, "tipo"),
                        _(
                            "an open item becomes a sum (importo) when an amendment defines "
                            "it: write annuale, stagionale or una_tantum"
                        ),
                    )
                )
    dichiarato = agreement.risorse_consorzio.dichiarato
    for key, table in (
        ("per_ambito", dichiarato.per_ambito),
        ("quote_1_percento", dichiarato.quote_1_percento),
    ):
        for numero in table:
            if numero not in seen:
                problems.append(
                    (
                        ("risorse_consorzio", "dichiarato", key, str(numero), "[key]"),
                        _("there is no ambito {n}").format(n=numero),
                    )
                )
    problems.extend(plan_problems([(a.numero, a.piano_di_lavoro) for a in agreement.ambiti]))
    if agreement.nido is not None:
        problems.extend(_nido_problems(agreement, seen))
    if agreement.variazioni:  # (their rules index every line: not for nothing)
        amendments = _amendment_problems(agreement, codici, seen)
        amendments.extend(_amendment_kind_problems(agreement))
        problems.extend(amendments)
        if not amendments:
            problems.extend(_applied_problems(agreement))
    return problems


def _kind_problems(servizio: Servizio, where: Location, year: int) -> list[tuple[Location, str]]:
    """A line's kind must fit its fee and its calendar (:mod:`crema_budget.year.due`)."""
    problems: list[tuple[Location, str]] = []
    kind = kind_of(servizio)
    monthly = servizio.canone_mensile is not None
    if kind == model.MENSILE and not monthly:
        problems.append(
            (
                (*where, "tipo"),
                _("a monthly fee (mensile) needs canone_mensile and mensilita, not importo"),
            )
        )
    elif kind != model.MENSILE and monthly:
        problems.append(
            (
                (*where, "tipo"),
                _("a line with canone_mensile is a monthly fee: write tipo: mensile"),
            )
        )
    if kind == model.UNA_TANTUM and (servizio.mesi is not None or servizio.rate is not None):
        field = "mesi" if servizio.mesi is not None else "rate"
        problems.append(
            (
                (*where, field),
                _(
                    "a one-off service (una_tantum) falls due on its day: give giorno, not {field}"
                ).format(field=field),
            )
        )
    if kind == model.STAGIONALE and servizio.rate is not None:
        problems.append(
            (
                (*where, "rate"),
                _("a seasonal service falls due over the months it runs (mesi), not in rate"),
            )
        )
    if servizio.giorno is not None:
        if kind != model.UNA_TANTUM:
            problems.append(
                (
                    (*where, "giorno"),
                    _("only a one-off service (tipo: una_tantum) has a giorno"),
                )
            )
        elif servizio.giorno.year != year:
            problems.append(((*where, "giorno"), _outside_year(servizio.giorno, year)))
    return problems


def _outside_year(day: date, year: int) -> str:
    return _("{date} is outside the agreement's year {year}").format(
        date=day.isoformat(), year=year
    )


def _amendment_kind_problems(agreement: Agreement) -> list[tuple[Location, str]]:
    """An amendment's day (giorno) is for a one-off service, its months (mesi) for any line
    but a one-off; a line an amendment adds follows the rules of every line."""
    year = agreement.documento.anno
    kinds: dict[str, str] = {}
    for ambito in agreement.ambiti:
        for servizio in ambito.servizi:
            if servizio.codice:
                kinds[servizio.codice] = kind_of(servizio)
        for open_item in ambito.da_definire:
            if open_item.codice:
                kinds[open_item.codice] = open_item.tipo or model.ANNUALE
    problems: list[tuple[Location, str]] = []
    for index, v in enumerate(agreement.variazioni):
        where: Location = ("variazioni", index)
        if v.nuovo_servizio is not None:
            kinds[v.nuovo_servizio.codice] = kind_of(v.nuovo_servizio)
            problems.extend(_kind_problems(v.nuovo_servizio, (*where, "nuovo_servizio"), year))
            continue
        kind = kinds.get(v.servizio or "")
        if kind is None:
            continue  # no such line: said by _amendment_problems
        if v.giorno is not None and kind != model.UNA_TANTUM:
            problems.append(
                ((*where, "giorno"), _("only a one-off service (tipo: una_tantum) has a giorno"))
            )
        elif v.giorno is not None and v.giorno.year != year:
            problems.append(((*where, "giorno"), _outside_year(v.giorno, year)))
        if v.mesi is not None and kind == model.UNA_TANTUM:
            problems.append(
                (
                    (*where, "mesi"),
                    _(
                        "a one-off service (una_tantum) falls due on its day: give giorno, "
                        "not {field}"
                    ).format(field="mesi"),
                )
            )
    return problems


def _amendment_problems(
    agreement: Agreement, codici: dict[str, Location], seen: dict[int, int]
) -> list[tuple[Location, str]]:
    """Each amendment must fall in the agreement's year and change something that
    exists, and no two may change the same thing on the same date."""
    problems: list[tuple[Location, str]] = []
    year = agreement.documento.anno
    lines = {s.codice: s for a in agreement.ambiti for s in a.servizi if s.codice}
    open_items = {d.codice: d for a in agreement.ambiti for d in a.da_definire if d.codice}
    added: dict[str, NuovoServizio] = {}
    changed: dict[tuple[object, ...], int] = {}
    for index, v in enumerate(agreement.variazioni):
        where: Location = ("variazioni", index)
        if v.data.year != year:
            problems.append(
                (
                    (*where, "data"),
                    _("the amendment is dated {date}, outside the agreement's year {year}").format(
                        date=v.data.isoformat(), year=year
                    ),
                )
            )
        if v.nuovo_servizio is not None:
            new = v.nuovo_servizio
            if new.codice in codici or new.codice in added:
                problems.append(
                    (
                        (*where, "nuovo_servizio", "codice"),
                        _("the code {code} is already used").format(code=new.codice),
                    )
                )
            if new.ambito not in seen:
                problems.append(
                    (
                        (*where, "nuovo_servizio", "ambito"),
                        _("there is no ambito {n}").format(n=new.ambito),
                    )
                )
            added[new.codice] = new
            thing: tuple[object, ...] = ("servizio", new.codice)
        elif v.risorsa is not None:
            if v.risorsa.ambito not in seen:
                problems.append(
                    (
                        (*where, "risorsa", "ambito"),
                        _("there is no ambito {n}").format(n=v.risorsa.ambito),
                    )
                )
            thing = ("risorsa", v.risorsa.ambito, v.risorsa.voce)
        else:
            assert v.servizio is not None
            thing = ("servizio", v.servizio)
            line = lines.get(v.servizio) or added.get(v.servizio)
            if line is None and v.servizio in open_items:
                if v.importo is None or v.canone_mensile is not None or v.mensilita is not None:
                    problems.append(
                        (
                            (*where, "servizio"),
                            _(
                                "{code} is still to be defined: the amendment gives it an importo"
                            ).format(code=v.servizio),
                        )
                    )
                elif v.aliquota_iva is None and open_items[v.servizio].aliquota_iva is None:
                    problems.append(((*where, "aliquota_iva"), _("missing; add `aliquota_iva:`")))
            elif line is None:
                known = sorted({*lines, *open_items, *added})
                close = closest(v.servizio, known)
                message = (
                    _("no fee line has the code {code}; did you mean {suggestion}?").format(
                        code=v.servizio, suggestion=close
                    )
                    if close
                    else _("no fee line has the code {code}").format(code=v.servizio)
                )
                problems.append(((*where, "servizio"), message))
            else:
                monthly = line.canone_mensile is not None
                if monthly and v.importo is not None:
                    problems.append(
                        (
                            (*where, "importo"),
                            _("{code} is a monthly fee: change canone_mensile or mensilita").format(
                                code=v.servizio
                            ),
                        )
                    )
                if not monthly and (v.canone_mensile is not None or v.mensilita is not None):
                    problems.append(
                        (
                            (*where, "servizio"),
                            _("{code} is a sum for a period: change its importo").format(
                                code=v.servizio
                            ),
                        )
                    )
        same = changed.get((v.data, *thing))
        if same is not None:
            problems.append(
                (
                    where,
                    _(
                        "variazioni[{other}] changes the same thing on the same date; "
                        "make them one amendment"
                    ).format(other=same),
                )
            )
        changed.setdefault((v.data, *thing), index)
    return problems


def _applied_problems(agreement: Agreement) -> list[tuple[Location, str]]:
    """Amendments applied in turn, as :func:`crema_budget.agreement.versions.amended` applies
    them: a fee line an amendment leaves breaking the rules of a line (``mesi: [1]``
    on a line of 11 monthly fees) is a problem of that amendment, at its line.

    Only called when every amendment can apply (:func:`_amendment_problems`)."""
    from crema_budget.agreement.versions import Positions, apply

    ambiti = [to_ambito(a) for a in agreement.ambiti]
    where = Positions(ambiti)
    order = sorted(range(len(agreement.variazioni)), key=lambda i: agreement.variazioni[i].data)
    problems: list[tuple[Location, str]] = []
    for index in order:
        v = agreement.variazioni[index]
        applied = apply(ambiti, to_variazione(v), where)
        if not isinstance(applied.dopo, model.Servizio):
            continue
        for loc, message in _schedule_problems(applied.dopo, ()):
            problems.append(
                (
                    _amendment_field(index, v, str(loc[0])),
                    _(
                        "once applied, this amendment leaves the fee line {code} invalid: {problem}"
                    ).format(code=applied.chiave, problem=message),
                )
            )
    return problems


def _amendment_field(index: int, v: Variazione, field: str) -> Location:
    """Where in amendment ``index`` the problem of a line's ``field`` is to be fixed."""
    where: Location = ("variazioni", index)
    if v.nuovo_servizio is not None:
        stated = field in v.nuovo_servizio.model_fields_set
        return (*where, "nuovo_servizio", field) if stated else (*where, "nuovo_servizio")
    changes = {"mesi": v.mesi, "mensilita": v.mensilita, "importo": v.importo}
    if changes.get(field) is not None:
        return (*where, field)
    for name in ("mesi", "mensilita", "importo", "canone_mensile", "aliquota_iva"):
        if getattr(v, name) is not None:
            return (*where, name)
    return (*where, "servizio")


def _schedule_problems(
    servizio: Servizio | model.Servizio, where: Location
) -> list[tuple[Location, str]]:
    """The months a line covers and its instalments must agree with its fee (a line of
    the file, or a line as amended)."""
    problems: list[tuple[Location, str]] = []
    if servizio.mesi is not None:
        repeated = sorted({m for m in servizio.mesi if servizio.mesi.count(m) > 1})
        if repeated:
            problems.append(
                (
                    (*where, "mesi"),
                    _("month {month} is listed twice").format(month=repeated[0]),
                )
            )
        elif servizio.mensilita is not None and len(servizio.mesi) != servizio.mensilita:
            problems.append(
                (
                    (*where, "mesi"),
                    ngettext(
                        "{n} month listed, but mensilita is {m}",
                        "{n} months listed, but mensilita is {m}",
                        len(servizio.mesi),
                    ).format(n=len(servizio.mesi), m=servizio.mensilita),
                )
            )
    if servizio.rate:
        if servizio.importo is None:
            problems.append(
                (
                    (*where, "rate"),
                    _("instalments (rate) split a sum: give importo instead of a monthly fee"),
                )
            )
            return problems
        months = [r.mese for r in servizio.rate]
        repeated = sorted({m for m in months if months.count(m) > 1})
        if repeated:
            problems.append(
                (
                    (*where, "rate"),
                    _("month {month} has two instalments").format(month=repeated[0]),
                )
            )
        total = sum((r.importo for r in servizio.rate), Decimal("0.00"))
        if total != servizio.importo:
            problems.append(
                (
                    (*where, "rate"),
                    _("the instalments add up to {total}, not to importo {importo}").format(
                        total=total, importo=servizio.importo
                    ),
                )
            )
        if servizio.mesi is not None and not set(months) <= set(servizio.mesi):
            problems.append(
                (
                    (*where, "rate"),
                    _("an instalment falls in a month that mesi leaves out"),
                )
            )
    return problems


def _nido_problems(agreement: Agreement, seen: dict[int, int]) -> list[tuple[Location, str]]:
    nido = agreement.nido
    assert nido is not None
    problems: list[tuple[Location, str]] = []
    found = nido_line(agreement)
    if isinstance(found, LinePosition):
        servizio = agreement.ambiti[found.ambito].servizi[found.servizio]
        if servizio.mensilita is None:
            problems.append(
                (
                    ("nido", "servizio"),
                    _("the nursery's fee line must be a monthly fee (canone_mensile, mensilita)"),
                )
            )
    else:
        problems.append(found)
    fasce = nido.fasce
    # Walk the tiers from the lowest enrolment up; each must start right after
    # the highest number the tiers below it cover, so that every number of
    # children falls in exactly one tier.
    order = sorted(range(len(fasce)), key=lambda i: (fasce[i].iscritti_min, _top(fasce[i])))
    covered: float = -1  # highest enrolment covered so far (math.inf: all of them)
    reaching = -1  # index of the tier that reaches `covered`
    fee_below: tuple[int, Decimal] | None = None  # the nearest tier below with a fee
    for index in order:
        fascia = fasce[index]
        where: Location = ("nido", "fasce", index)
        if fascia.iscritti_min > covered + 1:
            gap = _children(int(covered) + 1, fascia.iscritti_min - 1)
            problems.append(
                (
                    (*where, "iscritti_min"),
                    _("no tier covers {children} enrolled children").format(children=gap),
                )
            )
        elif fascia.iscritti_min <= covered:
            other = fasce[reaching]
            problems.append(
                (
                    (*where, "iscritti_min"),
                    _(
                        "this tier ({this}) overlaps fasce[{index}] ({other}); "
                        "each number of children must fall in exactly one tier"
                    ).format(
                        this=_children(fascia.iscritti_min, fascia.iscritti_max),
                        index=reaching,
                        other=_children(other.iscritti_min, other.iscritti_max),
                    ),
                )
            )
        fee = fascia.canone_mensile
        if fee is not None:
            if fee_below is not None and fee < fee_below[1]:
                problems.append(
                    (
                        (*where, "canone_mensile"),
                        _(
                            "the fee falls as enrolment rises: fasce[{index}], with fewer "
                            "children, charges {fee}"
                        ).format(index=fee_below[0], fee=fee_below[1]),
                    )
                )
            fee_below = (index, fee)
        elif fee_below is not None:
            problems.append(
                (
                    (*where, "rimodulazione"),
                    _("a tier without a fee (rimodulazione) must lie below every tier with a fee"),
                )
            )
        if _top(fascia) > covered:
            covered, reaching = _top(fascia), index
    if covered != math.inf:
        problems.append(
            (
                ("nido", "fasce", reaching, "iscritti_max"),
                _(
                    "no tier covers more than {n} children; "
                    "leave iscritti_max out of the highest tier"
                ).format(n=int(covered)),
            )
        )
    elif fee_below is None:
        problems.append((("nido", "fasce"), _("no tier has a fee (canone_mensile)")))
    return problems


def _top(fascia: Fascia) -> float:
    """The highest enrolment a tier covers; infinity when it is open."""
    return math.inf if fascia.iscritti_max is None else fascia.iscritti_max


def _children(low: int, high: int | None) -> str:
    if high is None:
        return _("{n} or more").format(n=low)
    return str(low) if low == high else f"{low}–{high}"
