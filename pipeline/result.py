"""What a stage hands back: its part of the record, where each value came from, and its findings."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Generic, TypeVar

from models import Check, Provenance

T = TypeVar("T")


@dataclass
class Extracted(Generic[T]):
    value: T
    provenance: dict[str, Provenance] = field(default_factory=dict)
    checks: list[Check] = field(default_factory=list)
