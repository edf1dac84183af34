"""``diff --format json``: what changed between two agreements, and its effect on the totals."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from crema_budget.documents.encode import exact

if TYPE_CHECKING:
    from crema_budget.agreement.versions import Confronto


def _plain(value: object) -> object:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral() else str(value)
    if isinstance(value, tuple):
        return list(value)
    return value


def diff(confronto: Confronto) -> dict[str, Any]:
    """What changed between two agreements and its effect on the totals."""
    return {
        "schema": "crema-budget/diff/1",
        "uguali": confronto.uguali,
        "cambi": [
            {
                "tipo": c.tipo,
                "chiave": c.chiave,
                "ambito": c.ambito,
                "campo": c.campo,
                "prima": _plain(c.prima),
                "dopo": _plain(c.dopo),
            }
            for c in confronto.cambi
        ],
        "effetti": [
            {
                "chiave": e.chiave,
                "unita": "%" if e.percentuale else "EUR",
                "prima": exact(e.prima),
                "dopo": exact(e.dopo),
                "differenza": exact(e.differenza),
                "variazione_percentuale": exact(e.variazione),
            }
            for e in confronto.effetti
        ],
    }
