"""What reviewers do, scoped to who they are: packages, findings and their reviews, corrections,
decisions and the audit trail. Route handlers call these; every change leaves an audit entry.

A `province` user sees only its province's packages; anything else is `NotFound`, exactly as for a
package that does not exist, so another province's package never shows it exists.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session as DbSession

from dtpc.workspace.corrections import CorrectionError, apply_correction, corrected_record, parse_path, value_at
from dtpc.workspace.db import Database
from dtpc.workspace.schema import (
    PACKAGE_DECISIONS,
    REVIEW_DECISIONS,
    AuditEntry,
    Correction,
    Finding,
    Package,
    User,
    now,
)
from dtpc.workspace.uploads import StoredUpload
from models import Check, OutputRecord, UnreadableRecord, parse_record
from pipeline.config import Settings
from pipeline.export.database import replace_record
from pipeline.report.site import province_of

log = logging.getLogger(__name__)
CORRECTION_ATTEMPTS = 20
WHERE_LENGTH = 255


class NotFound(Exception):
    """No such thing, or not this user's to see (the same answer either way)."""


class Conflict(Exception):
    """The request clashes with the state of things (a package not processed yet, a file another province sent)."""


class Invalid(ValueError):
    """A request whose content is wrong (an empty reason, an unknown decision, a bad correction)."""


class Forbidden(Exception):
    """A role that may not do this (only admins manage users)."""


class _Stale(Exception):
    """Another change to the package landed first: read it again and re-apply."""


def sees_all(user: User) -> bool:
    return user.role in ("ministry", "admin")


def may_see(user: User, package: Package) -> bool:
    return sees_all(user) or (package.province is not None and package.province == user.province)


def _scoped(query: sa.Select[Any], user: User) -> sa.Select[Any]:
    return query if sees_all(user) else query.where(Package.province == user.province)


def get_package(db: DbSession, user: User, sha256: str) -> Package:
    package = db.get(Package, sha256.lower())
    if package is None or not may_see(user, package):
        raise NotFound
    return package


def audit(db: DbSession, user: User | None, action: str, sha256: str | None = None, target: str | None = None,
          old: Any = None, new: Any = None, reason: str | None = None) -> None:
    db.add(AuditEntry(user_name=user.name if user else None, action=action, sha256=sha256, target=target,
                      old=old, new=new, reason=reason))


# ---------------------------------------------------------------- packages


def submit(db: DbSession, user: User, upload: StoredUpload, file_name: str, data: Path) -> tuple[Package, bool]:
    """The package for an upload, queued; (package, True) when new, (the existing one, False) for the same bytes."""
    existing = db.get(Package, upload.sha256)
    if existing is not None:
        if not may_see(user, existing):
            raise Conflict("this file has already been submitted by another province")
        return existing, False
    package = Package(sha256=upload.sha256, status="queued", province=None if sees_all(user) else user.province,
                      file_name=file_name, stored_as=upload.path.relative_to(data).as_posix(), size=upload.size,
                      uploaded_by=user.id, version=0)
    db.add(package)
    audit(db, user, "upload", upload.sha256, new={"file": file_name, "size": upload.size})
    db.flush()
    return package, True


def _open() -> sa.ColumnElement[bool]:
    """A finding still to deal with: found by the latest run of the checks and not dismissed as false."""
    return sa.and_(Finding.active.is_(True),
                   sa.or_(Finding.review_decision.is_(None), Finding.review_decision != "dismissed"))


def list_packages(db: DbSession, user: User, province: str | None = None, status: str | None = None,
                  severity: str | None = None) -> Sequence[Package]:
    query = _scoped(sa.select(Package), user).order_by(Package.uploaded_at.desc())
    if province:
        query = query.where(Package.province == province)
    if status:
        query = query.where(Package.status == status)
    if severity:
        query = query.where(sa.exists().where(Finding.sha256 == Package.sha256, _open(), Finding.severity == severity))
    return db.scalars(query).all()


def _names(db: DbSession, ids: set[int | None]) -> dict[int, str]:
    wanted = {item for item in ids if item is not None}
    if not wanted:
        return {}
    return dict(db.execute(sa.select(User.id, User.name).where(User.id.in_(wanted))).all())


def _when(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat(timespec="seconds")


def package_json(db: DbSession, package: Package, with_record: bool = True) -> dict[str, Any]:
    names = _names(db, {package.uploaded_by, package.decided_by})
    counts = dict(db.execute(sa.select(Finding.severity, sa.func.count()).where(
        Finding.sha256 == package.sha256, _open()).group_by(Finding.severity)).all())
    decision = None if package.decision is None else {
        "decision": package.decision, "comment": package.decision_comment, "rank": package.decision_rank,
        "policies": package.decision_policies, "by": names.get(package.decided_by or -1),
        "at": _when(package.decided_at)}
    body: dict[str, Any] = {
        "sha256": package.sha256, "status": package.status, "province": package.province,
        "file": package.file_name, "size": package.size, "uploaded_by": names.get(package.uploaded_by or -1),
        "uploaded_at": _when(package.uploaded_at), "finished_at": _when(package.finished_at),
        "findings": {severity: counts.get(severity, 0) for severity in ("error", "warning", "info")},
        "decision": decision, "version": package.version,
    }
    if with_record:
        body["record"] = package.record if package.status in ("done", "failed") else None
    return body


# ---------------------------------------------------------------- the queue


def claim_next(db: DbSession) -> Package | None:
    """The oldest queued package, marked processing (None when the queue is empty or another worker took it)."""
    package = db.scalar(sa.select(Package).where(Package.status == "queued").order_by(Package.uploaded_at).limit(1))
    if package is None:
        return None
    taken = db.execute(sa.update(Package).where(Package.sha256 == package.sha256, Package.status == "queued")
                       .values(status="processing", started_at=now()).execution_options(synchronize_session=False))
    return package if taken.rowcount == 1 else None  # type: ignore[attr-defined]


def requeue(db: DbSession, sha256: str | None = None) -> int:
    """Packages left processing (the server stopped mid-file) back to the queue; returns how many."""
    query = sa.update(Package).where(Package.status == "processing")
    if sha256 is not None:
        query = query.where(Package.sha256 == sha256)
    done = db.execute(query.values(status="queued", started_at=None).execution_options(synchronize_session=False))
    return int(done.rowcount)  # type: ignore[attr-defined]


def _store_record(db: DbSession, package: Package, record: OutputRecord) -> None:
    """The record into the batch's tables (DatabaseSink's one-transaction replace) and the findings list."""
    replace_record(db.connection(), record)
    sync_findings(db, package.sha256, record.checks)


def finish(db: DbSession, sha256: str, record: OutputRecord) -> Package:
    """A processed package: its record stored (as read, and as current), its findings listed."""
    package = db.get(Package, sha256)
    if package is None:
        raise NotFound
    source = record.source.model_copy(update={"file": package.file_name})
    record = record.model_copy(update={"source": source})
    failed = isinstance(record, UnreadableRecord)
    content = record.model_dump(mode="json")
    package.status = "failed" if failed else "done"
    package.record, package.original_record = content, content
    package.version += 1
    package.finished_at = now()
    if package.province is None:
        package.province = province_of(record)
    db.execute(sa.delete(Correction).where(Correction.sha256 == sha256))
    _store_record(db, package, record)
    audit(db, None, "processed", sha256, new={"status": package.status, "doc_type": record.doc_type,
                                              "findings": len(record.checks), "province": package.province})
    return package


# ---------------------------------------------------------------- findings and reviews


def _key(check: Check) -> tuple[str, str]:
    return check.code, check.where[:WHERE_LENGTH]


def sync_findings(db: DbSession, sha256: str, checks: Sequence[Check]) -> None:
    """The package's findings as the record now has them: same (code, where) keeps its id and review."""
    existing = {(finding.code, finding.where_): finding
                for finding in db.scalars(sa.select(Finding).where(Finding.sha256 == sha256))}
    current: set[tuple[str, str]] = set()
    for check in checks:
        key = _key(check)
        if key in current:  # two `where`s alike in their first 255 characters: one row
            continue
        current.add(key)
        content = check.model_dump(mode="json")
        finding = existing.get(key)
        if finding is None:
            db.add(Finding(sha256=sha256, code=key[0], where_=key[1], severity=check.severity, check=content,
                           active=True))
        else:
            finding.severity, finding.check, finding.active = check.severity, content, True
    for key, finding in existing.items():
        if key not in current:
            finding.active = False
    db.flush()


def findings(db: DbSession, user: User, sha256: str, include_resolved: bool = False) -> list[dict[str, Any]]:
    return _findings_of(db, get_package(db, user, sha256).sha256, include_resolved)


def _findings_of(db: DbSession, sha256: str, include_resolved: bool = False) -> list[dict[str, Any]]:
    query = sa.select(Finding).where(Finding.sha256 == sha256).order_by(Finding.id)
    if not include_resolved:
        query = query.where(Finding.active.is_(True))
    rows = db.scalars(query).all()
    names = _names(db, {row.reviewed_by for row in rows})
    return [finding_json(row, names) for row in rows]


def finding_json(finding: Finding, names: dict[int, str]) -> dict[str, Any]:
    review = None if finding.review_decision is None else {
        "decision": finding.review_decision, "reason": finding.review_reason,
        "by": names.get(finding.reviewed_by or -1), "at": _when(finding.reviewed_at)}
    return {"id": finding.id, **finding.check, "active": finding.active, "review": review}


def review(db: DbSession, user: User, finding_id: int, decision: str, reason: str) -> dict[str, Any]:
    finding = db.get(Finding, finding_id)
    if finding is None:
        raise NotFound
    package = get_package(db, user, finding.sha256)
    if decision not in REVIEW_DECISIONS:
        raise Invalid(f"decision must be one of {', '.join(REVIEW_DECISIONS)}")
    reason = reason.strip()
    if decision == "dismissed" and not reason:
        raise Invalid("dismissing a finding needs a reason")
    old = None if finding.review_decision is None else {"decision": finding.review_decision,
                                                        "reason": finding.review_reason}
    finding.review_decision, finding.review_reason = decision, reason
    finding.reviewed_by, finding.reviewed_at = user.id, now()
    audit(db, user, "review", package.sha256, target=f"finding {finding.id} {finding.code} {finding.where_}".strip(),
          old=old, new={"decision": decision, "reason": reason}, reason=reason)
    db.flush()
    return finding_json(finding, {user.id: user.name})


# ---------------------------------------------------------------- corrections


@dataclass(frozen=True)
class CorrectionRequest:
    path: str
    value: Any
    reason: str


def _corrected(db: DbSession, user: User, sha256: str, request: CorrectionRequest, settings: Settings) -> Package:
    package = get_package(db, user, sha256)
    if package.status != "done" or package.record is None or package.original_record is None:
        raise Conflict(f"the package is {package.status}: only a processed package can be corrected")
    original, current = parse_record(package.original_record), parse_record(package.record)
    _, before = apply_correction(current, request.path, request.value)
    earlier = db.scalars(sa.select(Correction).where(Correction.sha256 == package.sha256).order_by(Correction.id)).all()
    record = corrected_record(original, [*((item.path, item.value) for item in earlier),
                                         (request.path, request.value)], settings)
    version = package.version
    moved = db.execute(sa.update(Package).where(Package.sha256 == package.sha256, Package.version == version)
                       .values(record=record.model_dump(mode="json"), version=version + 1)
                       .execution_options(synchronize_session=False))
    if moved.rowcount != 1:  # type: ignore[attr-defined]
        raise _Stale
    db.add(Correction(sha256=package.sha256, path=request.path, original=value_at(original, request.path),
                      value=request.value, reason=request.reason, by=user.id))
    _store_record(db, package, record)
    audit(db, user, "correction", package.sha256, target=request.path, old=before, new=request.value,
          reason=request.reason)
    return package


def correct(database: Database, user_id: int, sha256: str, request: CorrectionRequest,
            settings: Settings) -> dict[str, Any]:
    """Apply a correction and re-run every check; concurrent corrections are retried, so none is lost."""
    if not request.reason.strip():
        raise Invalid("a correction needs a reason")
    parse_path(request.path)
    for _ in range(CORRECTION_ATTEMPTS):
        try:
            with database.session() as db:
                user = db.get(User, user_id)
                assert user is not None
                package = _corrected(db, user, sha256, request, settings)
            with database.session() as db:
                return corrected_json(db, db.get(Package, package.sha256))  # type: ignore[arg-type]
        except _Stale:
            continue
        except sa.exc.OperationalError as error:  # SQLite: another writer held the file past the busy timeout
            log.warning("correction of %s retried: %s", sha256, str(error.orig).splitlines()[0])
            continue
    raise Conflict("the package kept changing under this correction; try again")


def corrections(db: DbSession, user: User, sha256: str) -> list[dict[str, Any]]:
    return _corrections_of(db, get_package(db, user, sha256).sha256)


def _corrections_of(db: DbSession, sha256: str) -> list[dict[str, Any]]:
    rows = db.scalars(sa.select(Correction).where(Correction.sha256 == sha256).order_by(Correction.id)).all()
    names = _names(db, {row.by for row in rows})
    return [{"id": row.id, "path": row.path, "original": row.original, "value": row.value, "reason": row.reason,
             "by": names.get(row.by or -1), "at": _when(row.at)} for row in rows]


def corrected_json(db: DbSession, package: Package) -> dict[str, Any]:
    """The answer to a correction: the record as it now stands, the original reading and every correction."""
    return {"sha256": package.sha256, "version": package.version, "record": package.record,
            "original_record": package.original_record, "corrections": _corrections_of(db, package.sha256),
            "findings": _findings_of(db, package.sha256)}


# ---------------------------------------------------------------- decisions


def decide(db: DbSession, user: User, sha256: str, decision: str, comment: str, rank: int | None = None,
           policies: str | None = None) -> dict[str, Any]:
    package = get_package(db, user, sha256)
    if decision not in PACKAGE_DECISIONS:
        raise Invalid(f"decision must be one of {', '.join(PACKAGE_DECISIONS)}")
    if package.status not in ("done", "failed"):
        raise Conflict(f"the package is {package.status}: decide once it is processed")
    if decision == "recommend" and (package.record or {}).get("doc_type") != "application":
        raise Invalid("only an application can be recommended")
    if rank is not None and rank < 1:
        raise Invalid("rank starts at 1")
    old = None if package.decision is None else {"decision": package.decision, "comment": package.decision_comment,
                                                 "rank": package.decision_rank}
    package.decision, package.decision_comment = decision, comment
    package.decision_rank, package.decision_policies = rank, policies
    package.decided_by, package.decided_at = user.id, now()
    audit(db, user, "decision", package.sha256, old=old, new={"decision": decision, "comment": comment, "rank": rank},
          reason=comment)
    db.flush()
    return package_json(db, package, with_record=False)


# ---------------------------------------------------------------- audit


def audit_trail(db: DbSession, user: User, sha256: str | None = None, limit: int = 500) -> list[dict[str, Any]]:
    query = sa.select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
    if sha256:
        package = get_package(db, user, sha256)
        query = query.where(AuditEntry.sha256 == package.sha256)
    elif not sees_all(user):
        query = query.where(AuditEntry.sha256.in_(sa.select(Package.sha256).where(Package.province == user.province)))
    return [{"id": row.id, "at": _when(row.at), "by": row.user_name, "action": row.action, "package": row.sha256,
             "target": row.target, "old": row.old, "new": row.new, "reason": row.reason}
            for row in db.scalars(query)]


def finding_package(db: DbSession, finding_id: int) -> str | None:
    finding = db.get(Finding, finding_id)
    return None if finding is None else finding.sha256


__all__ = ["CorrectionError", "Invalid", "NotFound"]
