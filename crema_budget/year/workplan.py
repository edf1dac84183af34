"""The work plan at a date: the state of each activity of the agreement's plan, from
what the register records of it (``attivita:``).

The rules of each timing form (the data's fields, :class:`~crema_budget.agreement.model.Attivita`):

- a date D means the end of day D; a month *has passed* at D when its last day is D or
  earlier (at 30 June, June has passed);
- ``inizio`` (*dal mese di gennaio*, *da aprile*): started by the end of that month — an
  ``avviata`` or ``svolta`` entry on or before D — or late;
- ``scadenza`` (*entro maggio*, the end of a window *Febbraio/Marzo*): done by the end of
  that month — a ``svolta`` entry — or late;
- ``mesi`` (*giugno e dicembre*, *mensilmente da aprile*, the nursery's closures): one
  occurrence in each; ``verifiche`` (*con verifica a settembre*): one checkpoint in each,
  after the deadline. Every occurrence, deadline and checkpoint that has passed needs a
  ``svolta`` entry of its own: at D, as many ``svolta`` entries as such months passed,
  else the activity is late and the first month not covered is named;
- ``in_corso`` (*in corso*, *già attivo*): under way from the start, never late for its
  start;
- ``rinviata`` replaces what is still due with one deadline, ``nuova_scadenza``: done
  by the end of that day (a ``svolta`` entry on or after the rescheduling), or late again;
- ``annullata``: nothing is due any more.

An activity is ``svolta`` once everything it asks for is recorded (an activity with
only a start: once a ``svolta`` entry says it was concluded), ``in_corso`` once
started, ``da_avviare`` before. Pure: records in, states out.
"""

# Real annotations, no `from __future__`: NamedTuple would compile every string
# annotation into a ForwardRef at import.

from datetime import date
from typing import NamedTuple

from crema_budget.agreement.model import Agreement, Attivita
from crema_budget.year.records import (
    ANNULLATA,
    AVVIATA,
    RINVIATA,
    SVOLTA,
    Evento,
    Mese,
    Registro,
)

#: The states of an activity at a date.
DA_AVVIARE = "da_avviare"
IN_CORSO = "in_corso"
SVOLTA_STATO = "svolta"
IN_RITARDO = "in_ritardo"
RINVIATA_STATO = "rinviata"
ANNULLATA_STATO = "annullata"
STATI = (DA_AVVIARE, IN_CORSO, SVOLTA_STATO, IN_RITARDO, RINVIATA_STATO, ANNULLATA_STATO)

#: What a late activity missed.
INIZIO = "inizio"
SCADENZA = "scadenza"
OCCORRENZA = "occorrenza"
VERIFICA = "verifica"
NUOVA_SCADENZA = "nuova_scadenza"


class Ritardo(NamedTuple):
    """What an activity missed: its start, deadline, an occurrence or a checkpoint (a
    month), or its new deadline after a rescheduling (a day)."""

    motivo: str  # INIZIO, SCADENZA, OCCORRENZA, VERIFICA or NUOVA_SCADENZA
    mese: Mese | None = None
    giorno: date | None = None


class Stato(NamedTuple):
    """One activity of the plan at a date."""

    ambito: int
    attivita: Attivita
    stato: str | None  # one of STATI; None when the plan is not monitored
    #: The last ``svolta`` entry (SVOLTA_STATO), the rescheduling or cancellation.
    data: date | None = None
    ritardo: Ritardo | None = None
    nuova_scadenza: date | None = None  # RINVIATA_STATO, or late again after it
    #: The months still ahead at the date that ask for something (start, deadline,
    #: occurrence, checkpoint), in order.
    prossimi: tuple[Mese, ...] = ()
    svolte: int = 0  # ``svolta`` entries up to the date
    eventi: tuple[Evento, ...] = ()


class Piano(NamedTuple):
    """The work plan at a date: every activity, in the document's order."""

    al: date | None  # None: no date, the plan as written
    monitorato: bool  # the register has an ``attivita:`` section
    stati: tuple[Stato, ...]

    @property
    def in_ritardo(self) -> tuple[Stato, ...]:
        return tuple(s for s in self.stati if s.stato == IN_RITARDO)

    @property
    def ok(self) -> bool:
        return not self.in_ritardo


def piano(agreement: Agreement, registro: Registro | None = None, al: date | None = None) -> Piano:
    """The plan of ``agreement``; with a register that has ``attivita:`` and a date,
    each activity's state at the end of day ``al``."""
    year = agreement.documento.anno
    events = registro.attivita if registro is not None else None
    monitored = events is not None and al is not None
    by_code: dict[str, list[Evento]] = {}
    for event in events or ():
        by_code.setdefault(event.codice, []).append(event)
    stati = []
    for ambito in agreement.ambiti:
        for attivita in ambito.piano:
            if not monitored:
                stati.append(Stato(ambito.numero, attivita, None))
                continue
            assert al is not None
            mine = sorted(
                (e for e in by_code.get(attivita.codice, ()) if e.data <= al),
                key=lambda e: e.data,
            )
            stati.append(state(ambito.numero, attivita, mine, al, year))
    return Piano(al, monitored, tuple(stati))


def _passed(month: int, year: int, al: date) -> bool:
    return Mese(year, month).last_day() <= al


def requirements(attivita: Attivita) -> list[tuple[int, str]]:
    """The months that each ask for a ``svolta`` entry, in order, with what they are."""
    found = [(m, OCCORRENZA) for m in attivita.mesi]
    if attivita.scadenza is not None:
        found.append((attivita.scadenza, SCADENZA))
    found += [(m, VERIFICA) for m in attivita.verifiche]
    return sorted(found)


def state(ambito: int, attivita: Attivita, eventi: list[Evento], al: date, year: int) -> Stato:
    """One activity's state at the end of day ``al``, from its entries up to that day
    (in date order)."""
    base = Stato(ambito, attivita, None, eventi=tuple(eventi))
    svolte = [e.data for e in eventi if e.stato == SVOLTA]
    base = base._replace(svolte=len(svolte))
    cancelled = [e for e in eventi if e.stato == ANNULLATA]
    if cancelled:
        return base._replace(stato=ANNULLATA_STATO, data=cancelled[-1].data)
    rescheduled = [e for e in eventi if e.stato == RINVIATA]
    if rescheduled:
        last = rescheduled[-1]
        new = last.nuova_scadenza
        assert new is not None  # the register's rules say so
        done = [d for d in svolte if d >= last.data]
        if done:
            return base._replace(stato=SVOLTA_STATO, data=done[-1], nuova_scadenza=new)
        if new <= al:
            return base._replace(
                stato=IN_RITARDO, ritardo=Ritardo(NUOVA_SCADENZA, giorno=new), nuova_scadenza=new
            )
        return base._replace(stato=RINVIATA_STATO, data=last.data, nuova_scadenza=new)
    started = attivita.in_corso or any(e.stato in (AVVIATA, SVOLTA) for e in eventi)
    months = [m for m, _kind in requirements(attivita)]
    if attivita.inizio is not None and not started:
        months.append(attivita.inizio)
    ahead = sorted({Mese(year, m) for m in months if not _passed(m, year, al)})
    base = base._replace(prossimi=tuple(ahead))
    if attivita.inizio is not None and not started and _passed(attivita.inizio, year, al):
        return base._replace(stato=IN_RITARDO, ritardo=Ritardo(INIZIO, Mese(year, attivita.inizio)))
    needed = requirements(attivita)
    for count, (month, kind) in enumerate(needed, start=1):
        if _passed(month, year, al) and len(svolte) < count:
            return base._replace(stato=IN_RITARDO, ritardo=Ritardo(kind, Mese(year, month)))
    if svolte and len(svolte) >= len(needed):
        return base._replace(stato=SVOLTA_STATO, data=svolte[-1])
    if started or svolte:
        return base._replace(stato=IN_CORSO)
    return base._replace(stato=DA_AVVIARE)


def semester_end(al: date) -> date:
    """The next of the document's checkpoints (30 June, 31 December) after ``al``."""
    june = date(al.year, 6, 30)
    return (
        june
        if al < june
        else date(al.year, 12, 31)
        if al < date(al.year, 12, 31)
        else (date(al.year + 1, 6, 30))
    )
