"""JSON: a stable, machine-readable document per command.

Amounts are strings with a dot and two decimals (``"1302537.59"``) so no
consumer turns them into floats by accident; percentages are strings too.
Every document carries ``"schema": "crema-budget/<command>/1"``; the number
changes only when a field is removed or changes meaning.
"""

from __future__ import annotations

import json
from typing import Any

from crema_budget.checks import Check
from crema_budget.compute import Preventivo, Riga, Risorse, RisorseAmbito, TariffaFascia, Totali
from crema_budget.money import round_half_up
from crema_budget.render import plain

_amount = plain.amount
_rate = plain.rate


def _dump(document: dict[str, Any]) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def _riga(riga: Riga) -> dict[str, Any]:
    return {
        "voce": riga.voce,
        "periodo": riga.periodo,
        "canone_mensile": _amount(riga.canone_mensile) if riga.canone_mensile is not None else None,
        "mensilita": riga.mensilita,
        "imponibile": _amount(riga.imponibile),
        "aliquota_iva": _rate(riga.aliquota_iva),
        "iva": _amount(riga.iva),
        "totale": _amount(riga.totale),
    }


def _risorse_ambito(ambito: RisorseAmbito) -> dict[str, Any]:
    quota = ambito.quota_1_percento
    return {
        "numero": ambito.numero,
        "titolo": ambito.titolo,
        "voci": [{"voce": voce, "importo": _amount(importo)} for voce, importo in ambito.voci],
        "totale": _amount(ambito.totale),
        "quota_1_percento": _amount(quota) if quota is not None else None,
    }


def _risorse(risorse: Risorse) -> dict[str, Any]:
    return {
        "ambiti": [_risorse_ambito(a) for a in risorse.ambiti],
        "totale_risorse": _amount(risorse.totale_risorse),
        "totale_quote_1_percento": _amount(risorse.totale_quote),
        "totale": _amount(risorse.totale),
        "base_imponibile_comunale": _amount(risorse.base),
        "percentuale": str(risorse.percentuale),
        "percentuale_2_decimali": str(round_half_up(risorse.percentuale, 2)),
    }


def _preventivo(p: Preventivo) -> dict[str, Any]:
    return {
        "iscritti": p.iscritti,
        "fascia": {"iscritti_min": p.fascia.iscritti_min, "iscritti_max": p.fascia.iscritti_max},
        **plain.preventivo(p),
        "riduzione_imponibile": _amount(p.riduzione_imponibile),
        "riduzione_totale": _amount(p.riduzione_totale),
    }


class JsonRenderer:
    """Renders every command as a JSON document (text)."""

    def totals(self, totali: Totali, risorse: Risorse) -> str:
        return _dump(
            {
                "schema": "crema-budget/totals/1",
                "ambiti": [
                    {
                        "numero": a.numero,
                        "titolo": a.titolo,
                        "righe": [_riga(r) for r in a.righe],
                        "da_definire": [{"voce": d.voce} for d in a.da_definire],
                        "imponibile": _amount(a.imponibile),
                        "iva": _amount(a.iva),
                        "totale": _amount(a.totale),
                    }
                    for a in totali.ambiti
                ],
                "imponibile": _amount(totali.imponibile),
                "iva": _amount(totali.iva),
                "totale": _amount(totali.totale),
                "risorse_consorzio": _risorse(risorse),
            }
        )

    def nido(self, preventivo: Preventivo) -> str:
        return _dump({"schema": "crema-budget/nido/1", **_preventivo(preventivo)})

    def fasce(self, tariffe: tuple[TariffaFascia, ...]) -> str:
        return _dump(
            {
                "schema": "crema-budget/nido-fasce/1",
                "fasce": [
                    {
                        "iscritti_min": t.fascia.iscritti_min,
                        "iscritti_max": t.fascia.iscritti_max,
                        "rimodulazione": t.preventivo is None,
                        "preventivo": _preventivo(t.preventivo) if t.preventivo else None,
                    }
                    for t in tariffe
                ],
            }
        )

    def risorse(self, risorse: Risorse, itemised: bool) -> str:
        return _dump({"schema": "crema-budget/risorse/1", **_risorse(risorse)})

    def check(self, checks: list[Check]) -> str:
        return _dump(
            {
                "schema": "crema-budget/check/1",
                "ok": all(c.ok for c in checks),
                "controlli": len(checks),
                "differenze": sum(not c.ok for c in checks),
                "checks": [
                    {
                        "dove": c.dove,
                        "cifra": c.cifra,
                        "dichiarato": str(c.dichiarato),
                        "calcolato": str(c.calcolato),
                        "differenza": str(c.differenza),
                        "esito": c.esito.value,
                        "nota": c.nota,
                    }
                    for c in checks
                ],
            }
        )
