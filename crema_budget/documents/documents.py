"""JSON: a stable, machine-readable document per command, shaped like the domain.

Amounts are strings with a dot and two decimals (``"1302537.59"``) so no
consumer turns them into floats by accident; rates and percentages are
strings too. Keys are identifiers and never change with the language; texts
meant for people (a check's place, a note) follow it. Every document carries
``"schema": "crema-budget/<command>/<n>"``; ``n`` changes only when a field is
removed or changes meaning.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from crema_budget.agreement.checks import Controllo
from crema_budget.agreement.compute import (
    Preventivo,
    Riga,
    Rimodulazione,
    Risorse,
    RisorseAmbito,
    TariffaFascia,
    Totali,
)
from crema_budget.money import CENT, round_half_up

if TYPE_CHECKING:
    from crema_budget.agreement.versions import Confronto
    from crema_budget.views.accordo import Versione
    from crema_budget.year.anomalies import Anomalia
    from crema_budget.year.assign import Letture
    from crema_budget.year.fatturapa.records import FatturaElettronica
    from crema_budget.year.monitor import Monitoraggio


def dumps(document: dict[str, Any]) -> str:
    """The document as UTF-8 JSON text, ending with a newline (see :func:`pieces`)."""
    return "".join(pieces(document))


def pieces(document: dict[str, Any]) -> Iterator[str]:
    """The document as JSON text, piece by piece: one key per line, and each item of
    a list on a line of its own. Lists may be generators: a document of 300,000
    checks is encoded (with the standard library's C encoder) and written item by
    item, never held whole in memory."""
    yield "{"
    for index, (key, value) in enumerate(document.items()):
        yield ("," if index else "") + f"\n  {json.dumps(key, ensure_ascii=False)}: "
        if isinstance(value, list | Iterator):
            empty = True
            for item in value:
                yield ("[\n    " if empty else ",\n    ") + json.dumps(item, ensure_ascii=False)
                empty = False
            yield "[]" if empty else "\n  ]"
            continue
        yield json.dumps(value, ensure_ascii=False)
    yield "\n}\n"


def listed(document: dict[str, Any]) -> dict[str, Any]:
    """``document`` with its generated lists made lists, to nest it in another."""
    return {
        key: list(value) if isinstance(value, Iterator) else value
        for key, value in document.items()
    }


def amount(value: Decimal | None) -> str | None:
    """``Decimal("5540")`` → ``"5540.00"``."""
    return None if value is None else str(value.quantize(CENT))


def rate(value: Decimal | None) -> str | None:
    """A VAT rate or percentage as written: ``4``, ``22``, ``7.5`` (never ``2E+1``)."""
    return None if value is None else format(value.normalize(), "f")


def exact(value: Decimal | None) -> str | None:
    """Every digit of a figure, in plain notation: a ratio of 0,00000000001 % is
    ``0.00000000001``, never ``1E-11``."""
    return None if value is None else format(value, "f")


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


def _day(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


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
                "percentuale": None if line.percentuale is None else str(line.percentuale),
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
        "anomalie": [_anomalia(a) for a in m.anomalie],
        "note": [_anomalia(a) for a in m.note],
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


def _anomalia(a: Anomalia) -> dict[str, Any]:
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
                        "data_inizio": _day(r.data_inizio),
                        "data_fine": _day(r.data_fine),
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
        "problemi": [_anomalia(a) for a in problems],
        "note": [_anomalia(a) for a in letture.notes],
    }


def _plain(value: object) -> object:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral() else str(value)
    if isinstance(value, tuple):
        return list(value)
    return value


def diff(confronto: Confronto) -> dict[str, Any]:
    """What changed between two agreements and its effect on the totals."""
    return {
        "schema": "crema-budget/diff/1",
        "uguali": confronto.uguali,
        "cambi": [
            {
                "tipo": c.tipo,
                "chiave": c.chiave,
                "ambito": c.ambito,
                "campo": c.campo,
                "prima": _plain(c.prima),
                "dopo": _plain(c.dopo),
            }
            for c in confronto.cambi
        ],
        "effetti": [
            {
                "chiave": e.chiave,
                "unita": "%" if e.percentuale else "EUR",
                "prima": exact(e.prima),
                "dopo": exact(e.dopo),
                "differenza": exact(e.differenza),
                "variazione_percentuale": exact(e.variazione),
            }
            for e in confronto.effetti
        ],
    }
