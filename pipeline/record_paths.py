"""Values of a record by their dotted paths (`appendix.contracts[3].amount`), as provenance names them."""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel

_STEP = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)(?:\[(\d+)\])?")


class PathError(KeyError):
    """A path that names no value of the record."""


def _steps(path: str) -> list[tuple[str, int | None]]:
    steps = []
    for part in path.split("."):
        match = _STEP.fullmatch(part)
        if match is None:
            raise PathError(path)
        steps.append((match.group(1), int(match.group(2)) if match.group(2) is not None else None))
    return steps


def _child(node: Any, name: str, index: int | None, path: str) -> Any:
    if not isinstance(node, BaseModel) or name not in type(node).model_fields:
        raise PathError(path)
    value = getattr(node, name)
    if index is None:
        return value
    if not isinstance(value, list) or not 0 <= index < len(value):
        raise PathError(path)
    return value[index]


def get_path(record: BaseModel, path: str) -> Any:
    node: Any = record
    for name, index in _steps(path):
        node = _child(node, name, index, path)
    return node


def set_path(record: BaseModel, path: str, value: Any) -> None:
    """Set the value at `path` in place (validated by the owning model's field type)."""
    steps = _steps(path)
    node: Any = record
    for name, index in steps[:-1]:
        node = _child(node, name, index, path)
    name, index = steps[-1]
    if not isinstance(node, BaseModel) or name not in type(node).model_fields:
        raise PathError(path)
    if index is None:
        checked = type(node).model_validate({**node.model_dump(), name: value})
        setattr(node, name, getattr(checked, name))
        return
    items = getattr(node, name)
    if not isinstance(items, list) or not 0 <= index < len(items):
        raise PathError(path)
    items[index] = value
