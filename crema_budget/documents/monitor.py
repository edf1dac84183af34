"""``monitor --format json``: the year at a date, every anomaly and the split payments."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from crema_budget.documents.encode import (
    AMOUNT,
    BOOLEAN,
    CODE,
    COUNT,
    DAY,
    POSITIVE,
    SIGNED_AMOUNT,
    TEXT,
    Schema,
    amount,
    array,
    enum,
    nullable,
    obj,
)
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


# --- its JSON Schema (registered in crema_budget.documents.schemas) ----------------------

MONTH: Schema = {"type": "string", "pattern": r"^[0-9]{4}-(0[1-9]|1[0-2])$"}
#: A share in percent, rounded half up to two decimals (money.SHARE_PLACES): "42.85".
SHARE: Schema = {
    "type": "string",
    "pattern": r"^-?(0|[1-9][0-9]*)\.[0-9]{2}$",
    "description": "percent, rounded half up to two decimals",
}
#: A figure an anomaly quotes: an amount, or a VAT rate where the anomaly is about one.
FIGURE: Schema = {"type": "string", "pattern": r"^-?(0|[1-9][0-9]*)(\.[0-9]+)?$"}


def anomaly_schema() -> Schema:
    return obj(
        {
            "tipo": TEXT,
            "fattura": nullable(TEXT),
            "servizio": nullable(TEXT),
            "mese": nullable(MONTH),
            "importo": nullable(FIGURE),
            "atteso": nullable(FIGURE),
            "differenza": nullable(FIGURE),
            "origine": TEXT,
            "testo": TEXT,
            "cedente": TEXT,
        }
    )


def schema_keys() -> dict[str, Schema]:
    """The keys every ``monitor`` document writes."""
    money = ("bilancio", "dovuto", "fatturato", "pagato", "previsione")
    return {
        "al": DAY,
        "anno": POSITIVE,
        "ok": BOOLEAN,
        "linee": array(
            obj(
                {
                    "ambito": POSITIVE,
                    "codice": CODE,
                    "voce": TEXT,
                    "tipo": enum("annuale", "mensile", "stagionale", "una_tantum"),
                    "base": TEXT,
                    **dict.fromkeys(money, AMOUNT),
                    "differenza": SIGNED_AMOUNT,
                    "percentuale": nullable(SHARE),
                    "iva_fatturata": AMOUNT,
                    "fatture": COUNT,
                }
            )
        ),
        "da_definire": array(obj({"ambito": POSITIVE, "codice": nullable(CODE), "voce": TEXT})),
        "totale": obj({**dict.fromkeys(money, AMOUNT), "differenza": SIGNED_AMOUNT}),
        "nido": array(
            obj(
                {
                    "mese": MONTH,
                    "iscritti": nullable(COUNT),
                    "rimodulazione": BOOLEAN,
                    "dovuto": nullable(AMOUNT),
                    "fatturato": AMOUNT,
                    "concluso": BOOLEAN,
                }
            )
        ),
        "ipotesi_nido": nullable(obj({"mese": MONTH, "iscritti": COUNT})),
        "anomalie": array(anomaly_schema()),
        "note": array(anomaly_schema()),
        "scissione_pagamenti": array(
            obj(
                {
                    "mese_pagamento": MONTH,
                    "fatture": COUNT,
                    "al_consorzio": AMOUNT,
                    "iva_erario": AMOUNT,
                    "scadenza": DAY,
                }
            )
        ),
    }


def schema_optional(tempestivita: Schema) -> dict[str, Schema]:
    """The parts the register's sections bring: commitments and the timeliness
    indicator (always, from ``monitor``), the consortium's resources delivered."""
    return {
        "impegni": array(
            obj(
                {
                    "numero": TEXT,
                    "capitolo": TEXT,
                    "servizi": array(CODE),
                    "importo": AMOUNT,
                    "fatturato": AMOUNT,
                    "pagato": AMOUNT,
                    "residuo": SIGNED_AMOUNT,
                    "fatture": COUNT,
                }
            )
        ),
        "tempestivita": tempestivita,
        "risorse_consorzio": nullable(
            obj(
                {
                    "righe": array(
                        obj(
                            {
                                "ambito": POSITIVE,
                                "parte": enum("voci", "quota_1_percento"),
                                "promesso": AMOUNT,
                                "consegnato": AMOUNT,
                                "mancante": AMOUNT,
                            }
                        )
                    ),
                    "promesso": AMOUNT,
                    "consegnato": AMOUNT,
                    "mancante": AMOUNT,
                    "fatturato": AMOUNT,
                    "percentuale": nullable(SHARE),
                    "anomalia": BOOLEAN,
                }
            )
        ),
    }
