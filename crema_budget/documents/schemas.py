"""The JSON Schemas of the documents that ``--format json`` writes, one entry each.

Every document of :mod:`crema_budget.documents.encode` is described once here, with the
small builders and the shapes of figures that module also holds, and
:func:`schema_document` turns an entry into a JSON Schema
(draft 2020-12): ``crema-budget schema totals`` prints it, and the tests validate what
every command writes against it, in each language. A schema is versioned with its
document: the document's ``"schema": "crema-budget/totals/1"`` is the ``const`` of its
``schema`` property, and the schema's ``$id`` ends in ``totals/1.json``. A version
changes only when a field is removed or changes meaning.

Every object forbids keys it does not name (``additionalProperties: false``) and
requires every key the document always writes. Figures are strings of a stated
shape: amounts with exactly two decimals, rates and percentages as written (no
trailing zeros), exact ratios in plain decimal notation, never an exponent.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import NamedTuple

from crema_budget.documents import fatturapa as fatturapa_document
from crema_budget.documents import monitor as monitor_document
from crema_budget.documents.encode import (
    AMOUNT,
    BOOLEAN,
    CODE,
    COUNT,
    DAY,
    DECLARED_RATE,
    EXACT,
    NULL,
    PLAIN_FIGURE,
    POSITIVE,
    RATE,
    SHA256,
    SIGNED_AMOUNT,
    TEXT,
    UNIT_EUR,
    UNIT_PERCENT,
    WHOLE,
    Schema,
    array,
    const,
    enum,
    nullable,
    obj,
    one_of,
)

SCHEMA_BASE = "https://crema-budget.invalid/schema/"

# --- the documents -------------------------------------------------------------------


class Document(NamedTuple):
    """A JSON document: its name (``crema-budget schema NAME``), its version, what it
    is, and its keys besides ``schema``."""

    version: int
    title: str
    description: str
    keys: Callable[[], dict[str, Schema]]
    #: Keys a document has only in some runs (the amendments of ``totals``).
    optional: Callable[[], dict[str, Schema]] = dict

    def identifier(self, name: str) -> str:
        return f"crema-budget/{name}/{self.version}"


def _riga() -> Schema:
    return obj(
        {
            "codice": nullable(CODE),
            "voce": TEXT,
            "periodo": nullable(TEXT),
            "canone_mensile": nullable(AMOUNT),
            "mensilita": nullable(POSITIVE),
            "imponibile": AMOUNT,
            "aliquota_iva": RATE,
            "iva": AMOUNT,
            "totale": AMOUNT,
        }
    )


def _risorse() -> dict[str, Schema]:
    ambito = obj(
        {
            "numero": POSITIVE,
            "titolo": TEXT,
            "voci": array(obj({"voce": TEXT, "importo": AMOUNT})),
            "totale": AMOUNT,
            "quota_1_percento": nullable(AMOUNT),
        }
    )
    return {
        "ambiti": array(ambito),
        "totale_risorse": AMOUNT,
        "totale_quote_1_percento": AMOUNT,
        "totale": AMOUNT,
        "base_imponibile_comunale": AMOUNT,
        "percentuale": EXACT,
        "percentuale_2_decimali": {
            "type": "string",
            "pattern": rf"^{WHOLE}\.[0-9]{{2}}$",
            "description": "percent, rounded half up to two decimals",
        },
        "percentuale_dichiarata": nullable(RATE),
    }


def _totals() -> dict[str, Schema]:
    ambito = obj(
        {
            "numero": POSITIVE,
            "titolo": TEXT,
            "righe": array(_riga()),
            "da_definire": array(
                obj({"codice": nullable(CODE), "voce": TEXT, "aliquota_iva": nullable(RATE)})
            ),
            "imponibile": AMOUNT,
            "iva": AMOUNT,
            "totale": AMOUNT,
        }
    )
    return {
        "ambiti": array(ambito),
        "imponibile": AMOUNT,
        "iva": AMOUNT,
        "totale": AMOUNT,
        "risorse_consorzio": obj(_risorse()),
    }


def _amended() -> dict[str, Schema]:
    """What ``totals`` adds for an agreement with amendments."""
    return {
        "al": nullable(DAY),
        "firmato": obj(
            {
                "imponibile": AMOUNT,
                "iva": AMOUNT,
                "totale": AMOUNT,
                "risorse_consorzio": obj(_risorse()),
            }
        ),
        "variazioni": array(
            obj(
                {
                    "data": DAY,
                    "atto": TEXT,
                    "motivo": nullable(TEXT),
                    "ambito": POSITIVE,
                    "chiave": TEXT,
                    "tipo": enum("aggiunta", "variazione"),
                }
            )
        ),
    }


def _fascia() -> Schema:
    return obj({"iscritti_min": COUNT, "iscritti_max": nullable(COUNT)})


def _fee() -> dict[str, Schema]:
    """A nursery fee: monthly, and over its months."""
    return {
        "canone_mensile": AMOUNT,
        "aliquota_iva": RATE,
        "iva_mensile": AMOUNT,
        "totale_mensile": AMOUNT,
        "mensilita": POSITIVE,
        "imponibile": AMOUNT,
        "iva": AMOUNT,
        "totale": AMOUNT,
    }


def _nido() -> dict[str, Schema]:
    """One enrolment: a fee (``esito: canone``) or none (``esito: rimodulazione``)."""
    return {
        "iscritti": COUNT,
        "esito": enum("canone", "rimodulazione"),
        "fascia": _fascia(),
    }


def _nido_variants() -> list[Schema]:
    return [
        obj(
            {
                "esito": const("canone"),
                **_fee(),
                "differenza_imponibile": SIGNED_AMOUNT,
                "differenza_totale": SIGNED_AMOUNT,
            }
        ),
        obj({"esito": const("rimodulazione"), "iscritti_minimi_con_canone": POSITIVE}),
    ]


def _fasce() -> dict[str, Schema]:
    tier = obj(
        {
            "iscritti_min": COUNT,
            "iscritti_max": nullable(COUNT),
            "rimodulazione": BOOLEAN,
            "preventivo": nullable(obj({"iscritti": COUNT, **_fee()})),
        }
    )
    return {"fasce": array(tier)}


def _check() -> dict[str, Schema]:
    place = {"chiave": TEXT, "dove": TEXT, "cifra": TEXT}
    outcome = {
        "esito": enum("concorda", "troncato", "differisce", "non dichiarato"),
        "nota": TEXT,
    }
    in_euros = obj(
        {
            **place,
            "unita": UNIT_EUR,
            "dichiarato": nullable(AMOUNT),
            "calcolato": AMOUNT,
            "differenza": nullable(SIGNED_AMOUNT),
            **outcome,
        }
    )
    in_percent = obj(
        {
            **place,
            "unita": UNIT_PERCENT,
            "dichiarato": nullable(DECLARED_RATE),
            "calcolato": EXACT,
            "differenza": nullable(EXACT),
            **outcome,
        }
    )
    return {
        "ok": BOOLEAN,
        "controlli": COUNT,
        "differenze": COUNT,
        "checks": array(one_of(in_euros, in_percent)),
        "non_dichiarate": array(
            one_of(
                obj({**place, "unita": UNIT_EUR, "calcolato": AMOUNT}),
                obj({**place, "unita": UNIT_PERCENT, "calcolato": EXACT}),
            )
        ),
    }


#: What changed, by kind: which value each side of a change holds.
_MONTH: Schema = {"type": "integer", "minimum": 1, "maximum": 12}
_CHANGED_FIGURES = ("canone_mensile", "importo", "aliquota_iva", "definito", "quota_1_percento")


def _diff() -> dict[str, Schema]:
    figure = nullable(PLAIN_FIGURE)
    change = {
        "type": "object",
        "properties": {
            "tipo": enum(
                "documento", "servizio", "da definire", "risorsa", "quota 1%", "fascia", "attivita"
            ),
            "chiave": TEXT,
            "ambito": nullable(POSITIVE),
            "campo": TEXT,
            "prima": {"type": ["string", "integer", "boolean", "array", "null"]},
            "dopo": {"type": ["string", "integer", "boolean", "array", "null"]},
        },
        "required": ["tipo", "chiave", "ambito", "campo", "prima", "dopo"],
        "additionalProperties": False,
        # The sides of a change are figures, counts, months or text, by what changed.
        "allOf": [
            _when({"tipo": enum("risorsa", "quota 1%", "fascia")}, figure),
            _when({"tipo": const("servizio"), "campo": enum(*_CHANGED_FIGURES)}, figure),
            _when({"campo": const("mensilita")}, nullable(POSITIVE)),
            _when({"campo": const("anno")}, POSITIVE),
            _when({"campo": const("mesi")}, nullable(array({"type": "integer", "minimum": 1}))),
            _when(
                {"tipo": enum("servizio", "da definire", "documento")},
                nullable(TEXT),
                unless={"campo": enum(*_CHANGED_FIGURES, "mensilita", "anno", "mesi")},
            ),
            # The work plan: words, months of the year, whether under way at the start.
            _when({"campo": enum("inizio", "scadenza")}, nullable(_MONTH)),
            _when({"campo": const("verifiche")}, nullable(array(_MONTH))),
            _when({"campo": const("in_corso")}, nullable(BOOLEAN)),
            _when(
                {"tipo": const("attivita")},
                nullable(TEXT),
                unless={"campo": enum("inizio", "scadenza", "mesi", "verifiche", "in_corso")},
            ),
        ],
    }
    effect = one_of(
        obj(
            {
                "chiave": TEXT,
                "unita": UNIT_EUR,
                "prima": nullable(AMOUNT),
                "dopo": nullable(AMOUNT),
                "differenza": nullable(SIGNED_AMOUNT),
                "variazione_percentuale": nullable(EXACT),
            }
        ),
        obj(
            {
                "chiave": TEXT,
                "unita": UNIT_PERCENT,
                "prima": nullable(EXACT),
                "dopo": nullable(EXACT),
                "differenza": nullable(EXACT),
                "variazione_percentuale": NULL,
            }
        ),
    )
    return {"uguali": BOOLEAN, "cambi": array(change), "effetti": array(effect)}


def _when(
    condition: dict[str, Schema], sides: Schema, unless: dict[str, Schema] | None = None
) -> Schema:
    """``prima`` and ``dopo`` are ``sides`` where the change's keys match ``condition``."""
    test: Schema = {"properties": condition, "required": list(condition)}
    if unless is not None:
        test = {"allOf": [test, {"not": {"properties": unless, "required": list(unless)}}]}
    return {"if": test, "then": {"properties": {"prima": sides, "dopo": sides}}}


def _report() -> dict[str, Schema]:
    return {
        "provenienza": obj(
            {
                "file": TEXT,
                "sha256": SHA256,
                "anno": POSITIVE,
                "stato": nullable(enum("firmato", "bozza")),
                "versione": TEXT,
                "data": DAY,
            }
        ),
        "totals": embedded("totals"),
        "nido": nullable(embedded("nido-fasce")),
        "check": embedded("check"),
        "monitor": nullable(embedded("monitor")),
        "piano": nullable(embedded("piano")),
    }


def _piano() -> dict[str, Schema]:
    month = {"type": "integer", "minimum": 1, "maximum": 12}
    return {
        "al": nullable(DAY),
        "monitorato": BOOLEAN,
        "in_ritardo": COUNT,
        "attivita": array(
            obj(
                {
                    "codice": {"type": "string", "pattern": r"^A[1-9][0-9]*\.[1-9][0-9]*$"},
                    "ambito": POSITIVE,
                    "gruppo": nullable(TEXT),
                    "attivita": TEXT,
                    "quando": TEXT,
                    "inizio": nullable(month),
                    "scadenza": nullable(month),
                    "mesi": array(month),
                    "verifiche": array(month),
                    "in_corso": BOOLEAN,
                    "stato": nullable(
                        enum(
                            "da_avviare",
                            "in_corso",
                            "svolta",
                            "in_ritardo",
                            "rinviata",
                            "annullata",
                        )
                    ),
                    "data": nullable(DAY),
                    "ritardo": nullable(
                        obj(
                            {
                                "motivo": enum(
                                    "inizio", "scadenza", "occorrenza", "verifica", "nuova_scadenza"
                                ),
                                "mese": nullable(
                                    {"type": "string", "pattern": r"^[0-9]{4}-[0-9]{2}$"}
                                ),
                                "giorno": nullable(DAY),
                            }
                        )
                    ),
                    "nuova_scadenza": nullable(DAY),
                    "svolte": COUNT,
                }
            )
        ),
    }


def _tempestivita() -> dict[str, Schema]:
    invoice = obj(
        {
            "numero": TEXT,
            "data": DAY,
            "decorrenza": DAY,
            "base": enum("ricevuta", "data_fattura"),
            "scadenza": DAY,
            "pagata": DAY,
            "giorni": {"type": "integer"},
            "importo": AMOUNT,
            "origine": TEXT,
        }
    )
    return {
        "anno": POSITIVE,
        "trimestre": nullable({"type": "integer", "minimum": 1, "maximum": 4}),
        "dal": DAY,
        "al": DAY,
        "termine_pagamento": POSITIVE,
        "indicatore": nullable(SIGNED_AMOUNT | {"description": "days, two decimals"}),
        "importo": AMOUNT,
        "ponderato": SIGNED_AMOUNT,
        "fatture": array(invoice),
    }


def _variazioni() -> dict[str, Schema]:
    amendment = obj(
        {
            "data": DAY,
            "atto": TEXT,
            "motivo": nullable(TEXT),
            "ambito": POSITIVE,
            "chiave": TEXT,
            "tipo": enum("servizio", "definito", "nuovo_servizio", "risorsa"),
            "effetto_imponibile": SIGNED_AMOUNT,
            "effetto_totale": SIGNED_AMOUNT,
            "effetto_risorse": SIGNED_AMOUNT,
        }
    )
    return {"variazioni": array(amendment)}


#: Every JSON document, by the name ``crema-budget schema NAME`` takes.
DOCUMENTS: dict[str, Document] = {
    "totals": Document(
        1,
        "crema-budget totals",
        "The economic summary: fee lines with VAT, ambito and grand totals, the "
        "consortium's resources; with amendments, the figures as signed and the "
        "amendments in effect.",
        _totals,
        _amended,
    ),
    "nido": Document(
        2,
        "crema-budget nido --iscritti N",
        "The nursery's fee for an enrolment, or the renegotiation it calls for.",
        _nido,
    ),
    "nido-fasce": Document(
        1, "crema-budget nido", "Every nursery tier with its fee worked out.", _fasce
    ),
    "risorse": Document(
        1,
        "crema-budget risorse",
        "The consortium's extra resources and their ratio to the municipal ones.",
        _risorse,
    ),
    "check": Document(
        2,
        "crema-budget check",
        "Every declared figure against the computed one, and the computed figures no "
        "declared figure covers.",
        _check,
    ),
    "diff": Document(
        1,
        "crema-budget diff",
        "What changed between two agreements, and its effect on the totals.",
        _diff,
    ),
    "tempestivita": Document(
        1,
        "crema-budget tempestivita",
        "The payment-timeliness indicator (DPCM 22 September 2014, art. 9) of a year or "
        "quarter, null when nothing was paid, and each invoice paid with its days.",
        _tempestivita,
    ),
    "variazioni": Document(
        1,
        "crema-budget variazioni",
        "The amendments one by one: date, act, reason, what each changes and its effect "
        "on the grand totals and on the consortium's extra resources.",
        _variazioni,
    ),
    "piano": Document(
        1,
        "crema-budget piano",
        "The work plan's activities with the document's words and timing; with a "
        "register, each activity's state at a date.",
        _piano,
    ),
    "monitor": Document(
        1,
        "crema-budget monitor --format json",
        "The agreement's year at a date: each fee line due, invoiced, paid and forecast "
        "(taxable amounts), the nursery month by month, every anomaly and note, the split "
        "payments; with the register's sections, commitments (VAT included), the "
        "payment-timeliness indicator and the consortium's resources delivered.",
        monitor_document.schema_keys,
        lambda: monitor_document.schema_optional(_body("tempestivita", DOCUMENTS["tempestivita"])),
    ),
    "fatture": Document(
        1,
        "crema-budget fatture --format json",
        "What each FatturaPA e-invoice states, line by line (with a register, the fee "
        "line each is assigned to), the files that could not be read, and every problem.",
        fatturapa_document.schema_keys,
    ),
    "report": Document(
        1,
        "crema-budget report --format json",
        "Everything the accountability report shows, as the commands' documents.",
        _report,
    ),
}


#: Variants of a document: the nursery's quote is one of two shapes.
_VARIANTS: dict[str, Callable[[], list[Schema]]] = {"nido": _nido_variants}


def embedded(name: str) -> Schema:
    """Document ``name`` as a part of another one; an object of any shape while the
    document has no entry of its own."""
    found = DOCUMENTS.get(name)
    if found is None:
        return {"type": "object", "description": f"the {name} document (not pinned here)"}
    return _body(name, found)


def _body(name: str, document: Document) -> Schema:
    body = obj({"schema": const(document.identifier(name)), **document.keys()}, document.optional())
    variants = _VARIANTS.get(name)
    if variants is None:
        return body
    # The keys every variant shares are checked once, each variant adds its own.
    shared = dict(body["properties"])
    return {
        "type": "object",
        "properties": shared,
        "required": body["required"],
        "oneOf": [_variant(shared, variant) for variant in variants()],
    }


def _variant(shared: dict[str, Schema], variant: Schema) -> Schema:
    properties = {**dict.fromkeys(shared, True), **variant["properties"]}
    return {
        "properties": properties,
        "required": variant["required"],
        "additionalProperties": False,
    }


def schema_document(name: str) -> Schema:
    """The JSON Schema of document ``name`` (a key of :data:`DOCUMENTS`)."""
    document = DOCUMENTS[name]
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"{SCHEMA_BASE}{name}/{document.version}.json",
        "title": document.title,
        "description": document.description,
        **_body(name, document),
    }


def json_schema(name: str) -> str:
    """The schema as indented JSON text, ending with a newline."""
    return json.dumps(schema_document(name), ensure_ascii=False, indent=2) + "\n"
