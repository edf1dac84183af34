"""The commitments in ``monitor --format json``: amounts VAT included, as commitments are."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from crema_budget.documents.encode import amount

if TYPE_CHECKING:
    from crema_budget.office.commitments import Impegni


def impegni(i: Impegni) -> list[dict[str, Any]]:
    return [
        {
            "numero": r.impegno.numero,
            "capitolo": r.impegno.capitolo,
            "servizi": list(r.impegno.servizi),
            "importo": amount(r.impegno.importo),
            "fatturato": amount(r.fatturato),
            "pagato": amount(r.pagato),
            "residuo": amount(r.residuo),
            "fatture": r.fatture,
        }
        for r in i.righe
    ]
