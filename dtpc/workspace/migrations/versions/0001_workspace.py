"""The workspace's first tables: users, tokens, sessions, login failures, packages, findings, corrections, audit.

Revision ID: 0001
Revises:
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from pipeline.export.schema import Json

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _when(name: str, nullable: bool = True, index: bool = False) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable, index=index)


def _user_ref(name: str) -> sa.Column[int]:
    return sa.Column(name, sa.Integer, sa.ForeignKey("ws_users.id", ondelete="SET NULL"), nullable=True)


def upgrade() -> None:
    op.create_table(
        "ws_users",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(64), nullable=False, unique=True),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("province", sa.String(32)),
        sa.Column("password_hash", sa.Text, nullable=False),
        _when("created_at", nullable=False),
    )
    op.create_table(
        "ws_tokens",
        sa.Column("token_hash", sa.String(64), primary_key=True),
        sa.Column("user_id", sa.Integer, sa.ForeignKey("ws_users.id", ondelete="CASCADE"), nullable=False, index=True),
        _when("created_at", nullable=False),
    )
    op.create_table(
        "ws_sessions",
        sa.Column("id_hash", sa.String(64), primary_key=True),
        sa.Column("user_id", sa.Integer, sa.ForeignKey("ws_users.id", ondelete="CASCADE"), nullable=False, index=True),
        sa.Column("csrf", sa.String(64), nullable=False),
        _when("expires_at", nullable=False),
    )
    op.create_table(
        "ws_login_failures",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(64), nullable=False, index=True),
        sa.Column("address", sa.String(64), nullable=False, index=True),
        _when("at", nullable=False, index=True),
    )
    op.create_table(
        "ws_packages",
        sa.Column("sha256", sa.String(64), primary_key=True),
        sa.Column("status", sa.String(16), nullable=False, index=True),
        sa.Column("province", sa.String(32), index=True),
        sa.Column("file_name", sa.Text, nullable=False),
        sa.Column("stored_as", sa.Text, nullable=False),
        sa.Column("size", sa.BigInteger, nullable=False),
        _user_ref("uploaded_by"),
        _when("uploaded_at", nullable=False, index=True),
        _when("started_at"),
        _when("finished_at"),
        sa.Column("record", Json),
        sa.Column("original_record", Json),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("decision", sa.String(16)),
        sa.Column("decision_comment", sa.Text),
        sa.Column("decision_rank", sa.Integer),
        sa.Column("decision_policies", sa.Text),
        _user_ref("decided_by"),
        _when("decided_at"),
    )
    op.create_table(
        "ws_findings",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("sha256", sa.String(64), sa.ForeignKey("ws_packages.sha256", ondelete="CASCADE"), nullable=False,
                  index=True),
        sa.Column("code", sa.String(48), nullable=False),
        sa.Column("where", sa.String(255), nullable=False),
        sa.Column("severity", sa.String(8), nullable=False, index=True),
        sa.Column("check", Json, nullable=False),
        sa.Column("active", sa.Boolean, nullable=False, index=True),
        sa.Column("review_decision", sa.String(16)),
        sa.Column("review_reason", sa.Text),
        _user_ref("reviewed_by"),
        _when("reviewed_at"),
        sa.UniqueConstraint("sha256", "code", "where", name="uq_ws_findings_key"),
    )
    op.create_table(
        "ws_corrections",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("sha256", sa.String(64), sa.ForeignKey("ws_packages.sha256", ondelete="CASCADE"), nullable=False,
                  index=True),
        sa.Column("path", sa.Text, nullable=False),
        sa.Column("original", Json),
        sa.Column("value", Json),
        sa.Column("reason", sa.Text, nullable=False),
        _user_ref("by"),
        _when("at", nullable=False),
    )
    op.create_table(
        "ws_audit",
        sa.Column("id", sa.Integer, primary_key=True),
        _when("at", nullable=False, index=True),
        sa.Column("user_name", sa.String(64)),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("sha256", sa.String(64), index=True),
        sa.Column("target", sa.Text),
        sa.Column("old", Json),
        sa.Column("new", Json),
        sa.Column("reason", sa.Text),
    )


def downgrade() -> None:
    for table in ("ws_audit", "ws_corrections", "ws_findings", "ws_packages", "ws_login_failures", "ws_sessions",
                  "ws_tokens", "ws_users"):
        op.drop_table(table)
