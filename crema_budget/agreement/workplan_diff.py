"""What changed in the work plan ("2. Tempi") between two agreements, activity by
activity (its code, A1.3): added, removed, its words reworded, its timing changed.

:func:`~crema_budget.agreement.versions.compare` lists them after the figures' own,
as changes of ``tipo`` ``attivita``. An amendment cannot change the plan (the format
gives it no such field): two versions of a plan are two files, a year's and the next
year's draft, or a file and its corrected copy.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from crema_budget.agreement.model import Agreement, Attivita

#: What an activity says in words: the activity itself and the heading it stands under.
WORDS = ("attivita", "gruppo")
#: Its timing: the words of "when", and the months the tool reads from them.
TIMING = ("quando", "inizio", "scadenza", "mesi", "verifiche", "in_corso")


class CambioPiano(NamedTuple):
    """One activity added, removed, or one of its fields changed (None: not there)."""

    codice: str
    ambito: int
    campo: str  # "aggiunto", "rimosso", or one of WORDS and TIMING
    prima: str | int | tuple[int, ...] | None  # bool: int
    dopo: str | int | tuple[int, ...] | None


def plan_changes(old: Agreement, new: Agreement) -> list[CambioPiano]:
    """Each activity added or removed (its words on the side it is on), and each field
    of an activity kept under its code that differs, words first, then timing; in the
    order of the old plan, then the activities only the new one has."""
    before = _activities(old)
    after = _activities(new)
    changes: list[CambioPiano] = []
    for code in [*before, *(c for c in after if c not in before)]:
        if code not in after:
            ambito, activity = before[code]
            changes.append(CambioPiano(code, ambito, "rimosso", activity.attivita, None))
        elif code not in before:
            ambito, activity = after[code]
            changes.append(CambioPiano(code, ambito, "aggiunto", None, activity.attivita))
        else:
            ambito, was = before[code]
            _, now = after[code]
            changes.extend(
                CambioPiano(code, ambito, field, getattr(was, field), getattr(now, field))
                for field in (*WORDS, *TIMING)
                if getattr(was, field) != getattr(now, field)
            )
    return changes


def _activities(agreement: Agreement) -> dict[str, tuple[int, Attivita]]:
    return {a.codice: (ambito.numero, a) for ambito in agreement.ambiti for a in ambito.piano}
