"""The check registry and what every check receives."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Literal

from models import Check, CheckedRecord, Evidence, Severity
from pipeline.config import Settings

DocType = Literal["application", "recommendation"]


@dataclass(frozen=True)
class CheckContext:
    """The record being checked and the facts about its pages that the record itself does not hold."""

    record: CheckedRecord
    settings: Settings = field(default_factory=Settings)
    # None when the reader could not tell (then the check is not made).
    has_consortium_agreement: bool | None = None

    @property
    def roles(self) -> frozenset[str]:
        return frozenset(page.role for page in self.record.source.pages if page.role)

    def pages_with_role(self, role: str) -> list[int]:
        return [page.page for page in self.record.source.pages if page.role == role]

    def evidence(self, *paths: str, roles: Iterable[str] = ()) -> list[Evidence]:
        """Where the values at `paths` were read, plus the first page of each of `roles`."""
        found: list[Evidence] = []
        for path in paths:
            origin = self.record.provenance.get(path)
            if origin is not None:
                found.append(Evidence(page=origin.page, bbox=origin.bbox))
        for role in roles:
            found.extend(Evidence(page=page) for page in self.pages_with_role(role)[:1])
        return found


CheckFn = Callable[[CheckContext], Iterable[Check]]


@dataclass(frozen=True)
class RegisteredCheck:
    code: str
    severity: Severity
    doc_types: tuple[DocType, ...]
    run: CheckFn


# One entry per (code, document type): FIELD_MISSING, say, has its own rule for each type.
_REGISTRY: dict[tuple[str, DocType], RegisteredCheck] = {}
_SEVERITY: dict[str, Severity] = {}


def register(code: str, severity: Severity, *doc_types: DocType) -> Callable[[CheckFn], CheckFn]:
    """Register `fn` as the check that emits `code` for the given document types (default: application)."""
    types: tuple[DocType, ...] = doc_types or ("application",)
    if _SEVERITY.setdefault(code, severity) != severity:
        raise ValueError(f"check {code} registered with two severities")

    def decorate(fn: CheckFn) -> CheckFn:
        for doc_type in types:
            if (code, doc_type) in _REGISTRY:
                raise ValueError(f"check {code} registered twice for {doc_type}")
            _REGISTRY[(code, doc_type)] = RegisteredCheck(code, severity, types, fn)
        return fn

    return decorate


def registered_codes() -> dict[str, Severity]:
    return dict(_SEVERITY)


def finding(code: str, where: str = "", message: str = "", **extra: object) -> Check:
    """A Check with the severity its code was registered with."""
    return Check(code=code, severity=_SEVERITY[code], where=where, message=message, **extra)  # type: ignore[arg-type]


def run_checks(ctx: CheckContext, stage_checks: Iterable[Check] = ()) -> list[Check]:
    """Every registered check for the record's type, after the stages' own findings, without repeats."""
    results: list[Check] = list(stage_checks)
    for (_, doc_type), registered in _REGISTRY.items():
        if doc_type == ctx.record.doc_type:
            results.extend(registered.run(ctx))
    return deduplicate(results)


def deduplicate(checks: Iterable[Check]) -> list[Check]:
    seen: set[tuple[str, str]] = set()
    unique: list[Check] = []
    for check in checks:
        key = (check.code, check.where)
        if key not in seen:
            seen.add(key)
            unique.append(check)
    return unique
