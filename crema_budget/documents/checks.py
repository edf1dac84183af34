"""``check --format json``: every declared figure, recomputed and compared."""

from __future__ import annotations

from typing import Any

from crema_budget.agreement.checks import Controllo
from crema_budget.documents.encode import exact


def check(controllo: Controllo) -> dict[str, Any]:
    """Every comparison; ``differenza`` is declared minus computed, exactly (in
    percentage points for a percentage)."""
    return {
        "schema": "crema-budget/check/2",
        "ok": controllo.ok,
        "controlli": len(controllo.checks),
        "differenze": controllo.differenze,
        # Generators: a document of many checks is written item by item.
        "checks": (
            {
                "chiave": c.chiave,
                "dove": c.dove,
                "cifra": c.cifra,
                "unita": "%" if c.percentuale else "EUR",
                "dichiarato": exact(c.dichiarato),
                "calcolato": exact(c.calcolato),
                "differenza": exact(c.differenza),
                "esito": c.esito.value,
                "nota": c.nota,
            }
            for c in controllo.checks
        ),
        "non_dichiarate": (
            {
                "chiave": f.chiave,
                "dove": f.dove,
                "cifra": f.cifra,
                "unita": "%" if f.percentuale else "EUR",
                "calcolato": exact(f.calcolato),
            }
            for f in controllo.scoperte
        ),
    }
