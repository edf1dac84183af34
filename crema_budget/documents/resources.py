"""The consortium's resources delivered, as a part of ``monitor --format json``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from crema_budget.documents.encode import amount
from crema_budget.money import SHARE_PLACES, round_half_up

if TYPE_CHECKING:
    from crema_budget.year.resources import RisorseConsegnate


def delivered(r: RisorseConsegnate | None) -> dict[str, Any] | None:
    """Each promise against what was delivered; None without the register's section."""
    if r is None:
        return None
    return {
        "righe": [
            {
                "ambito": c.ambito,
                "parte": c.parte,
                "promesso": amount(c.promesso),
                "consegnato": amount(c.consegnato),
                "mancante": amount(c.mancante),
            }
            for c in r.righe
        ],
        "promesso": amount(r.promesso),
        "consegnato": amount(r.consegnato),
        "mancante": amount(r.mancante),
        "fatturato": amount(r.fatturato),
        # the delivered resources in percent of the fees invoiced, half up as monitor's shares
        "percentuale": (
            None if r.percentuale is None else str(round_half_up(r.percentuale, SHARE_PLACES))
        ),
        "anomalia": bool(r.anomalie),
    }
