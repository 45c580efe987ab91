"""The workspace's tables: users, API tokens, sessions, login failures, packages (the queue), findings
with their reviews, corrections and the audit trail. They live beside the batch's tables
(`pipeline.export.schema`) on the same database; the record's rows go to those through `DatabaseSink`'s
`replace_record`. Changes to these tables are Alembic migrations (`migrations/versions/`).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, ClassVar

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from pipeline.export.schema import Json

ROLES = ("admin", "ministry", "province")
STATUSES = ("queued", "processing", "done", "failed")
REVIEW_DECISIONS = ("confirmed", "dismissed")
PACKAGE_DECISIONS = ("recommend", "reject", "request_more")


def now() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    metadata = sa.MetaData()
    type_annotation_map: ClassVar[dict[Any, Any]] = {dict[str, Any]: Json, Any: Json}


class User(Base):
    __tablename__ = "ws_users"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(64), unique=True)
    role: Mapped[str] = mapped_column(sa.String(16))
    province: Mapped[str | None] = mapped_column(sa.String(32))
    password_hash: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=now)


class Token(Base):
    """An API token, stored as its sha256 (tokens are random, so a fast hash is enough)."""

    __tablename__ = "ws_tokens"

    token_hash: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("ws_users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=now)


class Session(Base):
    """A browser session: the cookie holds a random id, stored here as its sha256, with the form CSRF token."""

    __tablename__ = "ws_sessions"

    id_hash: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("ws_users.id", ondelete="CASCADE"), index=True)
    csrf: Mapped[str] = mapped_column(sa.String(64))
    expires_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))


class LoginFailure(Base):
    __tablename__ = "ws_login_failures"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(64), index=True)
    address: Mapped[str] = mapped_column(sa.String(64), index=True)
    at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=now, index=True)


class Package(Base):
    """An uploaded file and its processing, keyed by the file's sha256 (the batch tables' key too).

    `record` is the record as it stands (corrections applied, checks re-run); `original_record` the
    reading as the pipeline made it. `version` is the optimistic lock every change to the record bumps.
    """

    __tablename__ = "ws_packages"

    sha256: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    status: Mapped[str] = mapped_column(sa.String(16), index=True)
    province: Mapped[str | None] = mapped_column(sa.String(32), index=True)
    file_name: Mapped[str] = mapped_column(sa.Text)
    stored_as: Mapped[str] = mapped_column(sa.Text)
    size: Mapped[int] = mapped_column(sa.BigInteger)
    uploaded_by: Mapped[int | None] = mapped_column(sa.ForeignKey("ws_users.id", ondelete="SET NULL"))
    uploaded_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=now, index=True)
    started_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    record: Mapped[dict[str, Any] | None] = mapped_column(Json)
    original_record: Mapped[dict[str, Any] | None] = mapped_column(Json)
    version: Mapped[int] = mapped_column(default=0)
    decision: Mapped[str | None] = mapped_column(sa.String(16))
    decision_comment: Mapped[str | None] = mapped_column(sa.Text)
    decision_rank: Mapped[int | None] = mapped_column()
    decision_policies: Mapped[str | None] = mapped_column(sa.Text)
    decided_by: Mapped[int | None] = mapped_column(sa.ForeignKey("ws_users.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))


class Finding(Base):
    """One finding of a package's record, keyed by (code, where): it keeps its id (and review) across
    re-runs of the checks; `active` is false once a re-run no longer finds it."""

    __tablename__ = "ws_findings"
    __table_args__ = (sa.UniqueConstraint("sha256", "code", "where", name="uq_ws_findings_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(sa.ForeignKey("ws_packages.sha256", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(sa.String(48))
    where_: Mapped[str] = mapped_column("where", sa.String(255))
    severity: Mapped[str] = mapped_column(sa.String(8), index=True)
    check: Mapped[dict[str, Any]] = mapped_column(Json)
    active: Mapped[bool] = mapped_column(default=True, index=True)
    review_decision: Mapped[str | None] = mapped_column(sa.String(16))
    review_reason: Mapped[str | None] = mapped_column(sa.Text)
    reviewed_by: Mapped[int | None] = mapped_column(sa.ForeignKey("ws_users.id", ondelete="SET NULL"))
    reviewed_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))


class Correction(Base):
    __tablename__ = "ws_corrections"

    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(sa.ForeignKey("ws_packages.sha256", ondelete="CASCADE"), index=True)
    path: Mapped[str] = mapped_column(sa.Text)
    original: Mapped[Any] = mapped_column(Json, nullable=True)
    value: Mapped[Any] = mapped_column(Json, nullable=True)
    reason: Mapped[str] = mapped_column(sa.Text)
    by: Mapped[int | None] = mapped_column(sa.ForeignKey("ws_users.id", ondelete="SET NULL"))
    at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=now)


class AuditEntry(Base):
    __tablename__ = "ws_audit"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=now, index=True)
    user_name: Mapped[str | None] = mapped_column(sa.String(64))
    action: Mapped[str] = mapped_column(sa.String(32))
    sha256: Mapped[str | None] = mapped_column(sa.String(64), index=True)
    target: Mapped[str | None] = mapped_column(sa.Text)
    old: Mapped[Any] = mapped_column(Json, nullable=True)
    new: Mapped[Any] = mapped_column(Json, nullable=True)
    reason: Mapped[str | None] = mapped_column(sa.Text)
