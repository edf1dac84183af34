"""The work plan's part of the agreement's data file, as Pydantic models: each ambito's
activities of "2. Tempi" with the document's words and their timing, and the staff the
document states; the rules that span an ambito's plan; and their records
(:class:`crema_budget.agreement.model.Attivita`). The rules of each timing form are
in :mod:`crema_budget.year.workplan`.
"""

# No `from __future__ import annotations` here: Pydantic reads these annotations.

import re
from collections.abc import Sequence
from typing import Annotated

from pydantic import Field, PlainValidator, WithJsonSchema, model_validator
from pydantic_core import PydanticCustomError

from crema_budget.agreement import model
from crema_budget.i18n import _
from crema_budget.reading.fields import Label, Location, Month, Record, Whole, YesNo

#: An activity's code: A, the ambito's number, a dot, its place in the plan from 1.
ATTIVITA_PATTERN = r"^A[1-9][0-9]*\.[1-9][0-9]*$"


def _codice_attivita(value: object) -> str:
    if isinstance(value, str) and re.fullmatch(ATTIVITA_PATTERN[1:-1], value.strip()):
        return value.strip()
    raise PydanticCustomError(
        "attivita",
        _(
            "{value} is not an activity's code; write A, the ambito's number, a dot and the "
            "activity's number: A4.7"
        ).format(value=repr(value)),
    )


CodiceAttivita = Annotated[
    str,
    PlainValidator(_codice_attivita),
    WithJsonSchema({"type": "string", "pattern": ATTIVITA_PATTERN}),
]
MonthList = Annotated[list[Month], Field(min_length=1, max_length=12)]


class Attivita(Record):
    """An activity of the work plan, with the document's words (``attivita``, ``quando``)
    and the timing the program reasons on: ``inizio`` (started by the end of that
    month), ``scadenza`` (done by the end of that month), ``mesi`` (one occurrence in
    each), ``verifiche`` (a checkpoint in each, after it is done), ``in_corso`` (under
    way from the start)."""

    codice: CodiceAttivita
    gruppo: Label | None = None
    attivita: Label
    quando: Label
    inizio: Month | None = None
    scadenza: Month | None = None
    mesi: MonthList | None = None
    verifiche: MonthList | None = None
    in_corso: YesNo = False

    @model_validator(mode="after")
    def _one_clear_rule(self) -> "Attivita":
        if self.inizio is None and self.scadenza is None and not self.mesi and not self.in_corso:
            raise ValueError(
                _("give the timing: inizio, scadenza, mesi or in_corso: true (see quando)")
            )
        if self.mesi and (self.scadenza is not None or self.inizio is not None):
            raise ValueError(_("mesi lists every occurrence: give no inizio or scadenza with it"))
        if self.in_corso and self.inizio is not None:
            raise ValueError(_("an activity in_corso has already started: give no inizio"))
        if self.inizio is not None and self.scadenza is not None and self.scadenza < self.inizio:
            raise ValueError(_("scadenza comes before inizio"))
        for months in (self.mesi, self.verifiche):
            if months is not None and len(set(months)) != len(months):
                raise ValueError(_("a month is given twice"))
        if self.verifiche and self.scadenza is None:
            raise ValueError(_("checkpoints (verifiche) follow a scadenza: give one"))
        if self.verifiche and self.scadenza is not None and min(self.verifiche) <= self.scadenza:
            raise ValueError(_("checkpoints (verifiche) come after the scadenza"))
        return self


class Ruolo(Record):
    ruolo: Label
    numero: Annotated[Whole, Field(ge=1, le=10_000)]


class Personale(Record):
    """The staff the document states for an ambito: how many, and of whom."""

    operatori: Annotated[Whole, Field(ge=1, le=10_000)]
    di_cui: list[Ruolo] = []

    @model_validator(mode="after")
    def _parts_add_up(self) -> "Personale":
        parts = sum(r.numero for r in self.di_cui)
        if self.di_cui and parts != self.operatori:
            raise ValueError(
                _("the roles (di_cui) add up to {parts}, not {total}").format(
                    parts=parts, total=self.operatori
                )
            )
        return self


def plan_problems(plans: Sequence[tuple[int, list[Attivita]]]) -> list[tuple[Location, str]]:
    """Each code once in the file, and named for its ambito (A3.x in ambito 3), in order.

    ``plans`` holds each ambito's number and plan, by the ambito's index in the file."""
    problems: list[tuple[Location, str]] = []
    seen: dict[str, Location] = {}
    for index, (numero, plan) in enumerate(plans):
        for n, attivita in enumerate(plan):
            where: Location = ("ambiti", index, "piano_di_lavoro", n, "codice")
            expected = f"A{numero}.{n + 1}"
            if attivita.codice in seen:
                problems.append(
                    (where, _("the code {code} is already used").format(code=attivita.codice))
                )
            elif attivita.codice != expected:
                problems.append(
                    (
                        where,
                        _(
                            "activities are numbered by ambito in document order: this one is "
                            "{expected}"
                        ).format(expected=expected),
                    )
                )
            seen.setdefault(attivita.codice, where)
    return problems


def to_piano(plan: list[Attivita]) -> tuple[model.Attivita, ...]:
    return tuple(
        model.Attivita(
            codice=x.codice,
            attivita=x.attivita,
            quando=x.quando,
            gruppo=x.gruppo,
            inizio=x.inizio,
            scadenza=x.scadenza,
            mesi=tuple(sorted(x.mesi or ())),
            verifiche=tuple(sorted(x.verifiche or ())),
            in_corso=x.in_corso,
        )
        for x in plan
    )


def to_personale(personale: Personale | None) -> model.Personale | None:
    if personale is None:
        return None
    return model.Personale(
        personale.operatori, tuple(model.Ruolo(r.ruolo, r.numero) for r in personale.di_cui)
    )
