"""What is due when: the kinds of fee line, and the share of a line each month brings due.

Each fee line has a kind (``tipo`` in the data; a monthly fee is ``mensile`` and a sum
``annuale`` unless the data says otherwise), and each kind falls due its own way:

- **annuale**, a service that runs the whole year: pro rata over the twelve months, or
  over the months the data states (``mesi``), or in the instalments it states (``rate``);
- **mensile**, a monthly fee: the fee in each of its months (``mesi``; twelve monthly fees
  cover the year); the nursery at the tier of each month's enrolment;
- **stagionale**, a seasonal service: pro rata over the months it runs, which the
  register records (``svolgimento``), or else an amendment or the agreement (``mesi``);
  until they are known, nothing of it is due;
- **una_tantum**, a one-off service: the whole sum once its day has passed, which the
  register records (``svolgimento``), or else an amendment or the agreement (``giorno``);
  until it is known, nothing of it is due.

A month falls due once it has ended (on its last day); a one-off on its day. An invoice is
expected once what it bills has fallen due, and paid within the payment term
(:data:`TERMINE_PAGAMENTO`): a monthly fee or an instalment still not invoiced when its term
has run out is missing (:func:`mancanti`).

Pure: records in, schedules out.
"""

# Real annotations, no `from __future__`: NamedTuple would compile every string
# annotation into a ForwardRef at import.

from collections.abc import Callable, Iterable, Sequence
from datetime import date, timedelta
from decimal import Decimal
from enum import Enum
from typing import NamedTuple

from crema_budget.agreement import compute
from crema_budget.agreement.model import (
    ANNUALE,
    MENSILE,
    STAGIONALE,
    UNA_TANTUM,
    Agreement,
    Servizio,
)
from crema_budget.money import ZERO, round_cent
from crema_budget.year.records import Mese, Svolgimento

#: Days between the end of what an invoice bills and the end of the term to pay it, where
#: the agreement states none: 30 days, the term for a public body of D.Lgs. 231/2002, art.
#: 4 (as D.Lgs. 192/2012 has it). The 2016 agreement states no term of its own.
TERMINE_PAGAMENTO = 30


class Base(str, Enum):
    """How a fee line falls due over the year (stable identifiers)."""

    MESI = "mesi"  # a monthly fee in the months stated
    NIDO = "nido"  # the nursery: the fee of each month's enrolment tier
    RATE = "rate"  # instalments stated month by month
    PRO_RATA_MESI = "pro rata mesi"  # a sum spread over the months stated
    PRO_RATA_ANNO = "pro rata anno"  # no months stated: spread over the year
    STAGIONE = "stagione"  # a seasonal service, over the months it runs
    STAGIONE_IGNOTA = "stagione da definire"  # a seasonal service whose months are unknown
    UNA_TANTUM = "una tantum"  # a one-off service, on its day
    UNA_TANTUM_IGNOTA = "una tantum da definire"  # a one-off service whose day is unknown


#: The bases that bill a fixed fee month by month: each month is invoiced on its own.
MENSILI = frozenset({Base.MESI, Base.NIDO})
#: The bases that nothing is due of yet, for want of a calendar.
IGNOTE = frozenset({Base.STAGIONE_IGNOTA, Base.UNA_TANTUM_IGNOTA})


class Quota(NamedTuple):
    """What a line brings due in one month of the year, and on which day."""

    mese: Mese
    importo: Decimal
    scade: date  # the month's last day; a one-off's day


def tipo(servizio: Servizio) -> str:
    """The line's kind: as the data states it, else by its fee."""
    if servizio.tipo:
        return servizio.tipo
    return MENSILE if servizio.canone_mensile is not None else ANNUALE


def with_register(servizio: Servizio, svolgimento: Iterable[Svolgimento]) -> Servizio:
    """The line with the months it ran, or its day, as the register records them: what
    happened counts over what the agreement or an amendment planned."""
    for record in svolgimento:
        if record.servizio != servizio.codice:
            continue
        if record.giorno is not None:
            return servizio._replace(giorno=record.giorno)
        if record.dal is not None and record.al is not None:
            months = range(record.dal.ordinal(), record.al.ordinal() + 1)
            return servizio._replace(mesi=tuple(Mese.from_ordinal(m).mese for m in months))
    return servizio


def basis(agreement: Agreement, servizio: Servizio) -> Base:
    """How the line falls due (see the module's docstring)."""
    kind = tipo(servizio)
    if kind == UNA_TANTUM:
        return Base.UNA_TANTUM if servizio.giorno is not None else Base.UNA_TANTUM_IGNOTA
    if kind == STAGIONALE:
        return Base.STAGIONE if servizio.mesi else Base.STAGIONE_IGNOTA
    nido = agreement.nido
    if nido is not None and compute.nido_servizio(agreement) == servizio and servizio.mesi:
        return Base.NIDO
    if servizio.canone_mensile is not None and servizio.mesi:
        return Base.MESI
    if servizio.rate:
        return Base.RATE
    if servizio.mesi:
        return Base.PRO_RATA_MESI
    return Base.PRO_RATA_ANNO


def months_of(year: int, numbers: Iterable[int]) -> list[Mese]:
    return [Mese(year, n) for n in sorted(numbers)]


def schedule(year: int, servizio: Servizio, base: Base) -> list[Quota]:
    """The contract amount each month of the line brings due (the nursery at the full
    fee), with the day it falls due; nothing for a line whose calendar is unknown."""
    total = compute.imponibile(servizio)
    if base in IGNOTE:
        return []
    if base is Base.UNA_TANTUM:
        assert servizio.giorno is not None
        day = servizio.giorno
        return [Quota(Mese(day.year, day.month), total, day)]
    if base in MENSILI:
        assert servizio.canone_mensile is not None
        assert servizio.mesi is not None
        return [
            Quota(m, servizio.canone_mensile, m.last_day()) for m in months_of(year, servizio.mesi)
        ]
    if base is Base.RATE:
        return [
            Quota(Mese(year, r.mese), r.importo, Mese(year, r.mese).last_day())
            for r in servizio.rate
        ]
    months = months_of(year, servizio.mesi or range(1, 13))
    shares: list[Quota] = []
    before = ZERO
    for index, month in enumerate(months, start=1):
        # Cumulative rounding: the months add up to the line's sum exactly.
        upto = round_cent(total * index / len(months))
        shares.append(Quota(month, upto - before, month.last_day()))
        before = upto
    return shares


def termine(quota: Quota, giorni: int = TERMINE_PAGAMENTO) -> date:
    """The last day an invoice for ``quota`` may still be paid: it falls due, then the term."""
    return quota.scade + timedelta(days=giorni)


class Mancante(NamedTuple):
    """A month of a line (or an instalment) whose payment term has run out, uninvoiced."""

    mese: Mese
    importo: Decimal | None  # what is due for it (None: no fee defined, a rimodulazione)
    termine: date


def mancanti(
    plan: Sequence[Quota],
    billed: set[Mese],
    al: date,
    due_of: "dict[Mese, Decimal | None]",
    giorni: int = TERMINE_PAGAMENTO,
) -> list[Mancante]:
    """The months of ``plan`` (a monthly fee's, or instalments) whose term ran out by ``al``
    with no invoice billing them (``billed``)."""
    return [
        Mancante(quota.mese, due_of.get(quota.mese, quota.importo), termine(quota, giorni))
        for quota in plan
        if quota.mese not in billed and termine(quota, giorni) < al
    ]


#: What is due for a month of a line (None: nothing can be, a rimodulazione).
Due = Callable[[Mese], Decimal | None]
