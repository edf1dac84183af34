"""``piano --format json``: every activity of the work plan, and its state at a date."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from crema_budget.year.workplan import Piano


def piano(p: Piano) -> dict[str, Any]:
    """The plan in the document's order; ``stato`` is null when it is not monitored."""
    return {
        "schema": "crema-budget/piano/1",
        "al": p.al.isoformat() if p.al is not None else None,
        "monitorato": p.monitorato,
        "in_ritardo": len(p.in_ritardo),
        "attivita": [
            {
                "codice": s.attivita.codice,
                "ambito": s.ambito,
                "gruppo": s.attivita.gruppo,
                "attivita": s.attivita.attivita,
                "quando": s.attivita.quando,
                "inizio": s.attivita.inizio,
                "scadenza": s.attivita.scadenza,
                "mesi": list(s.attivita.mesi),
                "verifiche": list(s.attivita.verifiche),
                "in_corso": s.attivita.in_corso,
                "stato": s.stato,
                "data": s.data.isoformat() if s.data is not None else None,
                "ritardo": (
                    {
                        "motivo": s.ritardo.motivo,
                        "mese": str(s.ritardo.mese) if s.ritardo.mese is not None else None,
                        "giorno": (
                            s.ritardo.giorno.isoformat() if s.ritardo.giorno is not None else None
                        ),
                    }
                    if s.ritardo is not None
                    else None
                ),
                "nuova_scadenza": (
                    s.nuova_scadenza.isoformat() if s.nuova_scadenza is not None else None
                ),
                "svolte": s.svolte,
            }
            for s in p.stati
        ],
    }
