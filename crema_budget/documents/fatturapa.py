"""``fatture --format json``: what was read from each e-invoice, and what is wrong."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from crema_budget.documents.encode import (
    BOOLEAN,
    CODE,
    DAY,
    POSITIVE,
    RATE,
    TEXT,
    Schema,
    array,
    day,
    nullable,
    obj,
    rate,
)
from crema_budget.documents.monitor import FIGURE, anomaly, anomaly_schema

if TYPE_CHECKING:
    from crema_budget.year.anomalies import Anomalia
    from crema_budget.year.assign import Letture
    from crema_budget.year.fatturapa.records import FatturaElettronica


def fatture(
    invoices: Sequence[FatturaElettronica],
    errors: Sequence[tuple[str, str]],
    letture: Letture,
    problems: Sequence[Anomalia],
    registro: bool,
) -> dict[str, Any]:
    """What was read from each e-invoice, as it states it; with a register (``registro``),
    the fee line each line is assigned to (``null``: counted nowhere); every problem, and
    the gaps within SdI's tolerances (``note``)."""
    assigned = {(e.documento, e.riga): e.servizio for e in letture.entries}
    return {
        "schema": "crema-budget/fatture/1",
        "ok": not errors and not problems,
        "fatture": [
            {
                "file": f.file,
                "indice": f.indice,
                "versione": f.versione,
                "tipo_documento": f.tipo_documento,
                "numero": f.numero,
                "data": f.data.isoformat(),
                "cedente": f.cedente,
                "cessionario": f.cessionario,
                "cig": list(f.cig),
                "firmata": f.firmata,
                "firma_verificata": False,
                "righe": [
                    {
                        "numero_linea": r.numero_linea,
                        "descrizione": r.descrizione,
                        "data_inizio": day(r.data_inizio),
                        "data_fine": day(r.data_fine),
                        "prezzo_totale": str(r.prezzo_totale),
                        "aliquota_iva": rate(r.aliquota_iva),
                        **(
                            {"servizio": assigned.get((f"{f.file}#{f.indice}", r.numero_linea))}
                            if registro
                            else {}
                        ),
                    }
                    for r in f.righe
                ],
                "riepiloghi": [
                    {
                        "aliquota_iva": rate(r.aliquota_iva),
                        "imponibile": str(r.imponibile),
                        "imposta": str(r.imposta),
                        "esigibilita_iva": r.esigibilita_iva,
                    }
                    for r in f.riepiloghi
                ],
            }
            for f in invoices
        ],
        "errori": [{"file": file, "errore": reason} for file, reason in errors],
        "problemi": [anomaly(a) for a in problems],
        "note": [anomaly(a) for a in letture.notes],
    }


def schema_keys() -> dict[str, Schema]:
    """The keys every ``fatture`` document writes (its schema, registered in
    :mod:`crema_budget.documents.schemas`); ``servizio`` only with a register."""
    line = obj(
        {
            "numero_linea": POSITIVE,
            "descrizione": TEXT,
            "data_inizio": nullable(DAY),
            "data_fine": nullable(DAY),
            "prezzo_totale": FIGURE,
            "aliquota_iva": RATE,
        },
        {"servizio": nullable(CODE)},
    )
    summary = obj(
        {
            "aliquota_iva": RATE,
            "imponibile": FIGURE,
            "imposta": FIGURE,
            "esigibilita_iva": nullable(TEXT),
        }
    )
    invoice = obj(
        {
            "file": TEXT,
            "indice": POSITIVE,
            "versione": TEXT,
            "tipo_documento": TEXT,
            "numero": TEXT,
            "data": DAY,
            "cedente": TEXT,
            "cessionario": TEXT,
            "cig": array(TEXT),
            "firmata": BOOLEAN,
            "firma_verificata": BOOLEAN,
            "righe": array(line),
            "riepiloghi": array(summary),
        }
    )
    return {
        "ok": BOOLEAN,
        "fatture": array(invoice),
        "errori": array(obj({"file": TEXT, "errore": TEXT})),
        "problemi": array(anomaly_schema()),
        "note": array(anomaly_schema()),
    }
