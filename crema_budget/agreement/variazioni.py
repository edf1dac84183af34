"""The amendments one by one: each with what it changed and its effect on the totals
(the totals with it and every one before it, minus the totals without it)."""

# Real annotations, no `from __future__`: NamedTuple would compile every string
# annotation into a ForwardRef at import.

from decimal import Decimal
from typing import NamedTuple

from crema_budget.agreement import compute
from crema_budget.agreement.model import Agreement
from crema_budget.agreement.versions import Applicata, Positions, apply


class Passo(NamedTuple):
    """One amendment in effect, and what it adds to the totals (negative: takes away)."""

    applicata: Applicata
    imponibile: Decimal  # the municipal taxable grand total
    totale: Decimal  # the grand total, VAT included
    risorse: Decimal  # the consortium's extra resources


def passi(agreement: Agreement) -> tuple[Passo, ...]:
    """Every amendment, in the order they apply (by date, then as the file lists
    them), with its effect on the totals as the agreement stood before it."""
    ordered = sorted(enumerate(agreement.variazioni), key=lambda item: (item[1].data, item[0]))
    signed = agreement._replace(variazioni=())
    ambiti = list(signed.ambiti)
    where = Positions(ambiti)
    before = compute.totali(signed)
    before_risorse = compute.risorse(signed, before).totale
    found: list[Passo] = []
    for _index, v in ordered:
        applicata = apply(ambiti, v, where)
        version = signed._replace(ambiti=tuple(ambiti))
        after = compute.totali(version)
        after_risorse = compute.risorse(version, after).totale
        found.append(
            Passo(
                applicata,
                after.imponibile - before.imponibile,
                after.totale - before.totale,
                after_risorse - before_risorse,
            )
        )
        before, before_risorse = after, after_risorse
    return tuple(found)
