"""``report --format json``: everything the accountability report shows, as the commands'
documents, with where its figures come from.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from crema_budget import __version__
from crema_budget.agreement.checks import run_checks
from crema_budget.agreement.compute import risorse, tariffe_nido, totali
from crema_budget.agreement.model import Agreement
from crema_budget.agreement.versions import amended
from crema_budget.documents.agreement import fasce, totals
from crema_budget.documents.checks import check
from crema_budget.documents.encode import listed
from crema_budget.documents.monitor import monitor
from crema_budget.documents.resources import delivered
from crema_budget.documents.workplan import piano as plan_document
from crema_budget.reading.source import Provenance

if TYPE_CHECKING:
    from crema_budget.year.monitor import Monitoraggio
    from crema_budget.year.resources import RisorseConsegnate
    from crema_budget.year.workplan import Piano


def report(
    signed: Agreement,
    where: Provenance,
    monitoraggio: Monitoraggio | None = None,
    al: date | None = None,
    piano: Piano | None = None,
    consegne: RisorseConsegnate | None = None,
) -> dict[str, Any]:
    """Everything the report shows, as the commands' documents; with a register, the
    monitoring as ``monitor`` writes it and the work plan as ``piano`` does."""
    agreement = amended(signed, al).agreement
    municipali = totali(agreement)
    consorzio = risorse(agreement, municipali)
    return {
        "schema": "crema-budget/report/1",
        "provenienza": {
            "file": where.name,
            "sha256": where.sha256,
            "anno": agreement.documento.anno,
            "stato": agreement.documento.stato,
            "versione": __version__,
            "data": where.generated.isoformat(),
        },
        "totals": totals(municipali, consorzio),
        "nido": fasce(tariffe_nido(agreement)) if agreement.nido else None,
        "check": listed(check(run_checks(signed))),
        "monitor": (
            {**monitor(monitoraggio), "risorse_consorzio": delivered(consegne)}
            if monitoraggio is not None
            else None
        ),
        "piano": plan_document(piano) if piano is not None else None,
    }
