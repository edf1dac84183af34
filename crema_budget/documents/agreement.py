"""The agreement's documents: the economic summary (``totals``), the consortium's
resources (``risorse``), the nursery's fee for an enrolment (``nido``) and for every
tier (``nido-fasce``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from crema_budget.agreement.compute import (
    Preventivo,
    Riga,
    Rimodulazione,
    Risorse,
    RisorseAmbito,
    TariffaFascia,
    Totali,
)
from crema_budget.documents.encode import amount, exact, rate
from crema_budget.money import round_half_up

if TYPE_CHECKING:
    from crema_budget.agreement.versions import Versione


def _riga(riga: Riga) -> dict[str, Any]:
    return {
        "codice": riga.codice,
        "voce": riga.voce,
        "periodo": riga.periodo,
        "canone_mensile": amount(riga.canone_mensile),
        "mensilita": riga.mensilita,
        "imponibile": amount(riga.imponibile),
        "aliquota_iva": rate(riga.aliquota_iva),
        "iva": amount(riga.iva),
        "totale": amount(riga.totale),
    }


def _risorse_ambito(ambito: RisorseAmbito) -> dict[str, Any]:
    return {
        "numero": ambito.numero,
        "titolo": ambito.titolo,
        "voci": [{"voce": voce, "importo": amount(importo)} for voce, importo in ambito.voci],
        "totale": amount(ambito.totale),
        "quota_1_percento": amount(ambito.quota_1_percento),
    }


def _risorse(risorse: Risorse) -> dict[str, Any]:
    return {
        "ambiti": [_risorse_ambito(a) for a in risorse.ambiti],
        "totale_risorse": amount(risorse.totale_risorse),
        "totale_quote_1_percento": amount(risorse.totale_quote),
        "totale": amount(risorse.totale),
        "base_imponibile_comunale": amount(risorse.base),
        "percentuale": exact(risorse.percentuale),
        "percentuale_2_decimali": str(round_half_up(risorse.percentuale, 2)),
        "percentuale_dichiarata": rate(risorse.percentuale_dichiarata),
    }


def totals(totali: Totali, risorse: Risorse, versione: Versione | None = None) -> dict[str, Any]:
    """The economic summary; with amendments, each amended line's signed figures and
    the amendments in effect are added (``firmato``, ``variazioni``)."""
    document = {
        "schema": "crema-budget/totals/1",
        "ambiti": [
            {
                "numero": a.numero,
                "titolo": a.titolo,
                "righe": [_riga(r) for r in a.righe],
                "da_definire": [
                    {"codice": d.codice, "voce": d.voce, "aliquota_iva": rate(d.aliquota_iva)}
                    for d in a.da_definire
                ],
                "imponibile": amount(a.imponibile),
                "iva": amount(a.iva),
                "totale": amount(a.totale),
            }
            for a in totali.ambiti
        ],
        "imponibile": amount(totali.imponibile),
        "iva": amount(totali.iva),
        "totale": amount(totali.totale),
        "risorse_consorzio": _risorse(risorse),
    }
    if versione is not None:
        document["al"] = None if versione.al is None else versione.al.isoformat()
        document["firmato"] = {
            "imponibile": amount(versione.totali.imponibile),
            "iva": amount(versione.totali.iva),
            "totale": amount(versione.totali.totale),
            "risorse_consorzio": _risorse(versione.risorse),
        }
        document["variazioni"] = [
            {
                "data": a.variazione.data.isoformat(),
                "atto": a.variazione.atto,
                "motivo": a.variazione.motivo,
                "ambito": a.ambito,
                "chiave": a.chiave,
                "tipo": "aggiunta" if a.prima is None else "variazione",
            }
            for a in versione.applicate
        ]
    return document


def risorse(risorse_: Risorse) -> dict[str, Any]:
    return {"schema": "crema-budget/risorse/1", **_risorse(risorse_)}


def _figures(p: Preventivo) -> dict[str, Any]:
    return {
        "canone_mensile": amount(p.canone_mensile),
        "aliquota_iva": rate(p.aliquota_iva),
        "iva_mensile": amount(p.iva_mensile),
        "totale_mensile": amount(p.totale_mensile),
        "mensilita": p.mensilita,
        "imponibile": amount(p.imponibile),
        "iva": amount(p.iva),
        "totale": amount(p.totale),
    }


def nido(result: Preventivo | Rimodulazione) -> dict[str, Any]:
    """The quote for one enrolment. ``differenza_*`` is this tier minus the full
    fee (negative when it costs less), as every other format shows it."""
    fascia = {
        "iscritti_min": result.fascia.iscritti_min,
        "iscritti_max": result.fascia.iscritti_max,
    }
    if isinstance(result, Rimodulazione):
        return {
            "schema": "crema-budget/nido/2",
            "iscritti": result.iscritti,
            "esito": "rimodulazione",
            "fascia": fascia,
            "iscritti_minimi_con_canone": result.soglia,
        }
    return {
        "schema": "crema-budget/nido/2",
        "iscritti": result.iscritti,
        "esito": "canone",
        "fascia": fascia,
        **_figures(result),
        "differenza_imponibile": amount(result.differenza_imponibile),
        "differenza_totale": amount(result.differenza_totale),
    }


def fasce(tariffe: tuple[TariffaFascia, ...]) -> dict[str, Any]:
    return {
        "schema": "crema-budget/nido-fasce/1",
        "fasce": [
            {
                "iscritti_min": t.fascia.iscritti_min,
                "iscritti_max": t.fascia.iscritti_max,
                "rimodulazione": t.preventivo is None,
                "preventivo": (
                    {"iscritti": t.preventivo.iscritti, **_figures(t.preventivo)}
                    if t.preventivo
                    else None
                ),
            }
            for t in tariffe
        ],
    }
