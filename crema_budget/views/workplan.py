"""``piano``: the work plan by ambito, and with a register each activity's state at a
date (:mod:`crema_budget.year.workplan`)."""

from __future__ import annotations

from crema_budget import figures
from crema_budget.agreement.model import Agreement, Attivita, Documento
from crema_budget.i18n import _, ngettext
from crema_budget.view import (
    Block,
    Column,
    Fact,
    Facts,
    Kind,
    Paragraph,
    Row,
    Style,
    Table,
    View,
)
from crema_budget.views.agreement import draft_alerts
from crema_budget.year import workplan as w
from crema_budget.year.records import Mese


def stato_label(stato: str) -> str:
    """An activity's state for people."""
    return {
        w.DA_AVVIARE: _("not yet started"),
        w.IN_CORSO: _("under way"),
        w.SVOLTA_STATO: _("done"),
        w.IN_RITARDO: _("late"),
        w.RINVIATA_STATO: _("rescheduled"),
        w.ANNULLATA_STATO: _("cancelled"),
    }[stato]


def _month(mese: Mese, locale: str) -> str:
    return figures.month(mese.anno, mese.mese, locale)


def ritardo_text(ritardo: w.Ritardo, locale: str) -> str:
    """What a late activity missed, for people."""
    if ritardo.giorno is not None:
        return _("the new deadline {date} has passed with nothing recorded").format(
            date=figures.day(ritardo.giorno, locale)
        )
    assert ritardo.mese is not None
    month = _month(ritardo.mese, locale)
    return {
        w.INIZIO: _("to start in {month}: not recorded as started"),
        w.SCADENZA: _("due by the end of {month}: not recorded as done"),
        w.OCCORRENZA: _("the occurrence of {month} is not recorded"),
        w.VERIFICA: _("the checkpoint of {month} is not recorded"),
    }[ritardo.motivo].format(month=month)


def detail(s: w.Stato, locale: str) -> str:
    """What the state rests on: when it was done, what it missed, its new deadline."""
    if s.stato == w.IN_RITARDO and s.ritardo is not None:
        return ritardo_text(s.ritardo, locale)
    if s.stato == w.SVOLTA_STATO and s.data is not None:
        return _("done on {date}").format(date=figures.day(s.data, locale))
    if s.stato == w.RINVIATA_STATO and s.nuova_scadenza is not None:
        return _("rescheduled to {date}").format(date=figures.day(s.nuova_scadenza, locale))
    if s.stato == w.ANNULLATA_STATO and s.data is not None:
        return _("cancelled on {date}").format(date=figures.day(s.data, locale))
    if s.stato == w.IN_CORSO and s.attivita.mesi and s.svolte:
        return ngettext(
            "{n} occurrence of {total} recorded",
            "{n} occurrences of {total} recorded",
            s.svolte,
        ).format(n=s.svolte, total=len(s.attivita.mesi))
    return ""


def label(attivita: Attivita) -> str:
    """The activity's words, under its group's heading where it has one."""
    if attivita.gruppo:
        return f"{attivita.gruppo} · {attivita.attivita}"
    return attivita.attivita


def plan_table(stati: tuple[w.Stato, ...], monitored: bool, locale: str, title: str) -> Table:
    """Activities, grouped by ambito: code, words, timing; with a date, state and why."""
    columns = [
        Column("ambito", _("Ambito"), Kind.COUNT, once=True),
        Column("codice", _("Code")),
        Column("attivita", _("Activity")),
        Column("quando", _("When (as the document says)")),
    ]
    if monitored:
        columns += [Column("stato", _("State")), Column("dettaglio", _("Detail"))]
    rows = []
    previous = None
    for s in stati:
        cells: tuple[object, ...] = (
            s.ambito,
            s.attivita.codice,
            label(s.attivita),
            s.attivita.quando,
        )
        if monitored:
            assert s.stato is not None
            cells += (stato_label(s.stato), detail(s, locale))
        rows.append(Row(cells, group=s.ambito != previous))  # type: ignore[arg-type]
        previous = s.ambito
    return Table(title, tuple(columns), tuple(rows), sheet=_("Work plan"))


def counts(piano: w.Piano) -> Facts:
    """How many activities are in each state."""
    items = []
    for stato in w.STATI:
        n = sum(1 for s in piano.stati if s.stato == stato)
        if n:
            items.append(Fact(stato_label(stato), n, Kind.COUNT, strong=stato == w.IN_RITARDO))
    return Facts(tuple(items), _("Activities by state"))


def unmonitored_note() -> Paragraph:
    return Paragraph(
        _(
            "The register has no attivita: section: the work plan is not monitored. Add "
            "the section (even empty) to follow it: every start, deadline, occurrence and "
            "checkpoint passed then needs its entry."
        ),
        Style.NOTE,
    )


def workplan_blocks(agreement: Agreement, piano: w.Piano, locale: str) -> list[Block]:
    blocks: list[Block] = []
    if piano.monitorato:
        late = len(piano.in_ritardo)
        blocks.append(
            Paragraph(
                ngettext("{n} activity is late.", "{n} activities are late.", late).format(n=late)
                if late
                else _("No activity is late."),
                Style.ALERT if late else Style.GOOD,
            )
        )
        blocks.append(counts(piano))
    if not piano.stati:  # next year's draft: its plan is to be written
        blocks.append(
            Paragraph(_("The work plan has no activity: it is to be written."), Style.NOTE)
        )
    blocks.append(
        plan_table(
            piano.stati, piano.monitorato, locale, _("Work plan – development and innovation")
        )
    )
    for ambito in agreement.ambiti:
        if ambito.personale is not None:
            p = ambito.personale
            roles = ", ".join(f"{r.numero} {r.ruolo}" for r in p.di_cui)
            blocks.append(
                Paragraph(
                    _("Ambito {n}: staff of {count} social workers ({roles}).").format(
                        n=ambito.numero, count=p.operatori, roles=roles
                    )
                    if roles
                    else _("Ambito {n}: staff of {count} social workers.").format(
                        n=ambito.numero, count=p.operatori
                    ),
                    Style.NOTE,
                )
            )
    return blocks


def workplan_view(
    agreement: Agreement,
    piano: w.Piano,
    locale: str,
    registered: bool,
    avvisi: tuple[str, ...] = (),
) -> View:
    """``piano``: the plan; with a register and a date, each activity's state.
    ``registered``: a register was given (without ``attivita:`` it says so)."""
    documento: Documento = agreement.documento
    title = _("Work plan {year}").format(year=documento.anno)
    if piano.monitorato and piano.al is not None:
        title = _("Work plan {year} at {date}").format(
            year=documento.anno, date=figures.day(piano.al, locale)
        )
    blocks = workplan_blocks(agreement, piano, locale)
    if registered and not piano.monitorato:
        blocks.insert(0, unmonitored_note())
    return View(
        title=title,
        subtitle=f"{documento.comune} – {documento.consorzio}",
        alerts=draft_alerts(documento) + avvisi,
        blocks=tuple(blocks),
    )


def late_table(piano: w.Piano, locale: str) -> Table:
    """The late activities, for the first page of the semester report."""
    columns = (
        Column("ambito", _("Ambito"), Kind.COUNT),
        Column("codice", _("Code")),
        Column("attivita", _("Activity")),
        Column("dettaglio", _("What is missing")),
    )
    rows = tuple(
        Row((s.ambito, s.attivita.codice, label(s.attivita), detail(s, locale)))
        for s in piano.in_ritardo
    )
    return Table(_("Late activities"), columns, rows, sheet=_("Late activities"))


def ambito_activities(piano: w.Piano, numero: int, locale: str) -> Table | None:
    """An ambito's activities that the semester report shows: done, late, rescheduled or
    cancelled, and those that ask for something before the next checkpoint (30 June,
    31 December)."""
    assert piano.al is not None
    until = w.semester_end(piano.al)
    horizon = Mese(until.year, until.month)
    rows = []
    for s in piano.stati:
        if s.ambito != numero:
            continue
        coming = bool(s.prossimi) and s.prossimi[0] <= horizon
        if s.stato in (w.DA_AVVIARE, w.IN_CORSO) and not coming and not s.svolte:
            continue
        assert s.stato is not None
        text = detail(s, locale)
        if s.stato in (w.DA_AVVIARE, w.IN_CORSO) and coming:
            text = "; ".join(
                filter(None, (text, _("next: {month}").format(month=_month(s.prossimi[0], locale))))
            )
        rows.append(
            Row(
                (
                    s.attivita.codice,
                    label(s.attivita),
                    s.attivita.quando,
                    stato_label(s.stato),
                    text,
                )
            )
        )
    if not rows:
        return None
    columns = (
        Column("codice", _("Code")),
        Column("attivita", _("Activity")),
        Column("quando", _("When (as the document says)")),
        Column("stato", _("State")),
        Column("dettaglio", _("Detail")),
    )
    return Table(
        _("Ambito {n} – activities done, late and due by {date}").format(
            n=numero, date=figures.day(until, locale)
        ),
        columns,
        tuple(rows),
        sheet=_("Activities {n}").format(n=numero),
    )
