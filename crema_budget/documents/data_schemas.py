"""The JSON Schema of the data files (the agreement and the register of its year),
generated from the Pydantic models of their formats."""

from __future__ import annotations

import json
from typing import Any, Union, get_args, get_origin

from annotated_types import Ge, Gt, Le, Lt
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from crema_budget.agreement import fileformat

SCHEMA_ID = "https://crema-budget.invalid/schema/ambiti.schema.json"

#: A mapping key that names an ambito, as YAML and JSON both write it (text).
_WHOLE_KEY = {"pattern": r"^(0|[1-9][0-9]*)$"}

#: annotated-types bound → (its attribute, the JSON Schema keyword).
_BOUNDS = {
    Ge: ("ge", "minimum"),
    Le: ("le", "maximum"),
    Gt: ("gt", "exclusiveMinimum"),
    Lt: ("lt", "exclusiveMaximum"),
}


#: The data formats with a schema: the agreement, and the register of its year.
TITLES = {
    "agreement": (
        "crema-budget agreement data",
        "One year's co-design agreement: fee lines, the consortium's resources, the "
        "nursery tiers, amendments and the figures the document declares.",
    ),
    "registro": (
        "crema-budget register of the year",
        "The office's register of an agreement's year: enrolment at the nursery by month, "
        "invoices received, payments, and how e-invoice lines are assigned to fee lines.",
    ),
}


def _root(which: str) -> type[BaseModel]:
    if which == "registro":
        from crema_budget.year import register

        return register.Registro
    return fileformat.Agreement


def schema_document(which: str = "agreement") -> dict[str, object]:
    """The schema as a mapping (draft 2020-12), titled and described for editors."""
    root = _root(which)
    document = root.model_json_schema(mode="validation")
    _restore_field_constraints(document, root)
    _drop_fractional_multiple_of(document)
    document.pop("title", None)
    document.pop("description", None)
    title, description = TITLES[which]
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": title,
        "description": description,
        **document,
    }


def json_schema(which: str = "agreement") -> str:
    """The schema as indented JSON text, ending with a newline."""
    return json.dumps(schema_document(which), ensure_ascii=False, indent=2) + "\n"


def _restore_field_constraints(document: dict[str, Any], root: type[BaseModel]) -> None:
    """Put back what a field adds to its type: bounds and the shape of mapping keys.

    A figure's type carries a fixed schema (``WithJsonSchema``) that replaces
    everything Pydantic would generate, so ``mensilita``'s 1–12 and the
    integer keys of ``per_ambito`` never reach the schema on their own.
    """
    definitions = document.get("$defs", {})
    for model in _models(root):
        target = document if model is root else definitions.get(model.__name__)
        if target is None:
            continue
        properties = target.get("properties", {})
        for name, field in model.model_fields.items():
            if name not in properties:
                continue
            bounds = _bounds(field.annotation, field.metadata)
            if bounds:
                for branch in _branches(properties[name], "integer"):
                    branch.update(bounds)
            if _has_integer_keys(field.annotation):
                for branch in _branches(properties[name], "object"):
                    branch["propertyNames"] = dict(_WHOLE_KEY)


def _drop_fractional_multiple_of(node: Any) -> None:
    """Remove ``multipleOf: 0.01``: validators test it in binary floating point,
    where 305869.79 is not a whole number of 0.01s, and so refuse exact amounts.
    The amount pattern (for quoted figures) and the loader still check the cents."""
    if isinstance(node, dict):
        if isinstance(node.get("multipleOf"), float):
            del node["multipleOf"]
        for value in node.values():
            _drop_fractional_multiple_of(value)
    elif isinstance(node, list):
        for value in node:
            _drop_fractional_multiple_of(value)


def _models(root: type[BaseModel]) -> list[type[BaseModel]]:
    """``root`` and every model its fields reach, each once."""
    found: list[type[BaseModel]] = []
    pending = [root]
    while pending:
        model = pending.pop()
        if model in found:
            continue
        found.append(model)
        for field in model.model_fields.values():
            pending.extend(_nested_models(field.annotation))
    return found


def _nested_models(annotation: Any) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [model for arg in get_args(annotation) for model in _nested_models(arg)]


def _bounds(annotation: Any, metadata: list[Any]) -> dict[str, Any]:
    """The numeric bounds declared on a field, through ``Annotated`` and ``| None``."""
    bounds: dict[str, Any] = {}
    for item in [*metadata, *_metadata(annotation)]:
        for kind, (attribute, keyword) in _BOUNDS.items():
            if isinstance(item, kind):
                bounds[keyword] = getattr(item, attribute)
    return bounds


def _metadata(annotation: Any) -> list[Any]:
    """Metadata of ``Annotated`` layers and optional unions, not of list or dict items."""
    if get_origin(annotation) in (Union, type(int | None)):
        return [item for arg in get_args(annotation) for item in _metadata(arg)]
    found: list[Any] = []
    for item in getattr(annotation, "__metadata__", ()):
        found.extend(item.metadata if isinstance(item, FieldInfo) else [item])
    if found:
        found.extend(_metadata(get_args(annotation)[0]))
    return found


def _has_integer_keys(annotation: Any) -> bool:
    if get_origin(annotation) is dict:
        key = get_args(annotation)[0]
        return get_args(key)[0] is int if hasattr(key, "__metadata__") else key is int
    return any(_has_integer_keys(arg) for arg in get_args(annotation))


def _branches(schema: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    """The parts of a property's schema that describe values of JSON type ``kind``."""
    if schema.get("type") == kind:
        return [schema]
    return [branch for option in schema.get("anyOf", []) for branch in _branches(option, kind)]
