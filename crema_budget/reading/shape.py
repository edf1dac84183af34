"""The shape of a format, worked out once from its Pydantic models: the keys each mapping
knows, where a list or a mapping of free keys stands and how many items it may hold. The
walk (:mod:`crema_budget.reading.walk`) follows it to refuse, as it reads, what the
format cannot hold.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Union, get_args, get_origin

from annotated_types import MaxLen
from pydantic import BaseModel


@dataclass(frozen=True)
class Shape:
    """What a place in the file holds: a mapping of known fields, a list, a
    mapping of free keys, or a single value."""

    kind: str  # "model", "list", "dict" or "scalar"
    fields: dict[str, Shape] | None = None  # "model"
    item: Shape | None = None  # "list" and "dict": each value's shape
    max_items: int | None = None
    model: type[BaseModel] | None = None


_SHAPES: dict[type[BaseModel], Shape] = {}


def shape_of(model_class: type[BaseModel]) -> Shape:
    """The shape of a Pydantic model's data, worked out once per model."""
    found = _SHAPES.get(model_class)
    if found is None:
        fields: dict[str, Shape] = {}
        found = Shape("model", fields=fields, model=model_class)
        _SHAPES[model_class] = found  # before the fields: a model may nest itself
        for name, field in model_class.model_fields.items():
            fields[name] = _shape(field.annotation, _max_len(field.metadata))
    return found


def _shape(annotation: Any, max_items: int | None = None) -> Shape:
    origin = get_origin(annotation)
    args = get_args(annotation)
    if hasattr(annotation, "__metadata__"):  # Annotated[inner, ...]
        return _shape(args[0], _max_len(annotation.__metadata__) or max_items)
    if origin in (Union, type(int | None)):
        options = [arg for arg in args if arg is not type(None)]
        containers = [o for o in options if _shape(o).kind != "scalar"]
        return _shape(containers[0], max_items) if len(containers) == 1 else Shape("scalar")
    if origin is list:
        return Shape("list", item=_shape(args[0]), max_items=max_items)
    if origin is dict:
        return Shape("dict", item=_shape(args[1]), max_items=max_items)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return shape_of(annotation)
    return Shape("scalar")


def _max_len(metadata: Any) -> int | None:
    for item in metadata:
        if isinstance(item, MaxLen):
            return int(item.max_length)
        inner = getattr(item, "metadata", None)  # a FieldInfo inside Annotated
        if inner:
            found = _max_len(inner)
            if found is not None:
                return found
    return None
