"""``tempestivita --format json``: the payment-timeliness indicator of a period and each
invoice paid in it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from crema_budget.documents.encode import amount

if TYPE_CHECKING:
    from crema_budget.office.timeliness import Tempestivita


def tempestivita(t: Tempestivita) -> dict[str, Any]:
    """The indicator (null when nothing was paid in the period), its sums and invoices."""
    return {
        "schema": "crema-budget/tempestivita/1",
        "anno": t.anno,
        "trimestre": t.trimestre,
        "dal": t.dal.isoformat(),
        "al": t.al.isoformat(),
        "termine_pagamento": t.termine,
        "indicatore": None if t.indicatore is None else str(t.indicatore),
        "importo": amount(t.importo),
        "ponderato": amount(t.ponderato),
        "fatture": [
            {
                "numero": r.numero,
                "data": r.data.isoformat(),
                "decorrenza": r.ricevuta.isoformat(),
                "base": "ricevuta" if r.da_ricevuta else "data_fattura",
                "scadenza": r.scadenza.isoformat(),
                "pagata": r.pagata.isoformat(),
                "giorni": r.giorni,
                "importo": amount(r.importo),
                "origine": r.origine,
            }
            for r in t.righe
        ],
    }
