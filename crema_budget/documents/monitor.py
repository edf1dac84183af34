"""``monitor --format json``: the year at a date, every anomaly and the split payments."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from crema_budget.documents.encode import amount
from crema_budget.money import SHARE_PLACES, round_half_up

if TYPE_CHECKING:
    from crema_budget.year.anomalies import Anomalia
    from crema_budget.year.monitor import Monitoraggio


def monitor(m: Monitoraggio) -> dict[str, Any]:
    """The monitoring at a date; amounts taxable, as the agreement states its budget."""
    return {
        "schema": "crema-budget/monitor/1",
        "al": m.al.isoformat(),
        "anno": m.anno,
        "ok": m.ok,
        "linee": [
            {
                "ambito": line.ambito,
                "codice": line.codice,
                "voce": line.voce,
                "tipo": line.tipo,
                "base": line.base.value,
                "bilancio": amount(line.bilancio),
                "dovuto": amount(line.dovuto),
                "fatturato": amount(line.fatturato),
                "pagato": amount(line.pagato),
                "differenza": amount(line.differenza),
                "percentuale": (
                    None
                    if line.percentuale is None
                    else str(round_half_up(line.percentuale, SHARE_PLACES))
                ),
                "previsione": amount(line.previsione),
                "iva_fatturata": amount(line.iva_fatturata),
                "fatture": line.fatture,
            }
            for line in m.linee
        ],
        "da_definire": [
            {"ambito": ambito, "codice": codice, "voce": voce} for ambito, codice, voce in m.aperte
        ],
        "totale": {
            key: amount(sum((getattr(line, key) for line in m.linee), Decimal("0.00")))
            for key in ("bilancio", "dovuto", "fatturato", "pagato", "differenza", "previsione")
        },
        "nido": [
            {
                "mese": str(row.mese),
                "iscritti": row.iscritti,
                "rimodulazione": row.iscritti is not None and row.dovuto is None,
                "dovuto": amount(row.dovuto),
                "fatturato": amount(row.fatturato),
                "concluso": row.passato,
            }
            for row in m.nido
        ],
        "ipotesi_nido": (
            None
            if m.ultimo_iscritti is None
            else {"mese": str(m.ultimo_iscritti[0]), "iscritti": m.ultimo_iscritti[1]}
        ),
        "anomalie": [anomaly(a) for a in m.anomalie],
        "note": [anomaly(a) for a in m.note],
        "scissione_pagamenti": [
            {
                "mese_pagamento": str(v.mese),
                "fatture": v.fatture,
                "al_consorzio": amount(v.al_consorzio),
                "iva_erario": amount(v.iva_erario),
                "scadenza": v.scadenza.isoformat(),
            }
            for v in m.versamenti
        ],
    }


def anomaly(a: Anomalia) -> dict[str, Any]:
    return {
        "tipo": a.tipo.value,
        "fattura": a.numero,
        "servizio": a.servizio,
        "mese": None if a.mese is None else str(a.mese),
        "importo": None if a.importo is None else str(a.importo),
        "atteso": None if a.atteso is None else str(a.atteso),
        "differenza": None if a.differenza is None else str(a.differenza),
        "origine": a.origine,
        "testo": a.testo,
        "cedente": a.cedente,
    }
