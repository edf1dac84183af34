"""The JSON Schema of the data format, generated from the Pydantic models."""

from __future__ import annotations

import json

from crema_budget.model import Agreement

SCHEMA_ID = "https://crema-budget.invalid/schema/ambiti.schema.json"


def schema_document() -> dict[str, object]:
    """The schema as a mapping (draft 2020-12), titled and described for editors."""
    document = Agreement.model_json_schema(mode="validation")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "crema-budget agreement data",
        "description": "One year's co-design agreement: fee lines, the consortium's "
        "resources, the nursery tiers and the figures the document declares.",
        **document,
    }


def json_schema() -> str:
    """The schema as indented JSON text, ending with a newline."""
    return json.dumps(schema_document(), ensure_ascii=False, indent=2) + "\n"
