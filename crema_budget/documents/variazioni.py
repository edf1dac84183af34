"""``variazioni --format json``: the amendments one by one, and their effect on the totals."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from crema_budget.documents.encode import exact

if TYPE_CHECKING:
    from crema_budget.agreement.variazioni import Passo


def variazioni(passi: tuple[Passo, ...]) -> dict[str, Any]:
    """Each amendment: its date, act, reason, the line or item it changes and what it
    does to the grand totals and the consortium's resources."""
    return {
        "schema": "crema-budget/variazioni/1",
        "variazioni": [
            {
                "data": p.applicata.variazione.data.isoformat(),
                "atto": p.applicata.variazione.atto,
                "motivo": p.applicata.variazione.motivo,
                "ambito": p.applicata.ambito,
                "chiave": p.applicata.chiave,
                "tipo": _kind(p),
                "effetto_imponibile": exact(p.imponibile),
                "effetto_totale": exact(p.totale),
                "effetto_risorse": exact(p.risorse),
            }
            for p in passi
        ],
    }


def _kind(p: Passo) -> str:
    from crema_budget.agreement.model import DaDefinire, VoceRisorsa

    if isinstance(p.applicata.dopo, VoceRisorsa):
        return "risorsa"
    if p.applicata.prima is None:
        return "nuovo_servizio"
    if isinstance(p.applicata.prima, DaDefinire):
        return "definito"
    return "servizio"
