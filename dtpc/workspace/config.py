"""The workspace's settings: where its data lives, its database, limits, and how files are processed."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy.engine import URL

DEFAULT_DATA = Path("dtpc-data")
DEFAULT_MAX_UPLOAD_MB = 200
SESSION_HOURS = 12
# Login throttling: this many failures for one name, or from one address, within the window lock it out.
THROTTLE_FAILURES = 5
THROTTLE_WINDOW_S = 15 * 60


@dataclass(frozen=True)
class WorkspaceConfig:
    data: Path = DEFAULT_DATA
    db: str | None = None  # SQLAlchemy URL; default an SQLite file in `data`
    max_upload_bytes: int = DEFAULT_MAX_UPLOAD_MB << 20
    scheduler: str | None = None  # a Dask scheduler (tcp://HOST:8786); else the local pool
    process: bool = True  # run the background worker (tests turn it off to hold packages in the queue)
    file_workers: int | None = None  # files processed at once (default: the batch's plan for the cores)
    secure_cookies: bool = False  # cookies marked Secure (behind HTTPS)
    throttle_failures: int = THROTTLE_FAILURES
    throttle_window_s: int = THROTTLE_WINDOW_S
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def database(self) -> URL:
        from pipeline.export.database import database_url

        return database_url(self.db or self.data / "workspace.sqlite")

    @property
    def uploads(self) -> Path:
        return self.data / "uploads"

    @property
    def records(self) -> Path:
        return self.data / "records"

    def package_folder(self, sha256: str) -> Path:
        """Where a package's record and evidence crops are written."""
        return self.records / sha256


def max_upload_from_env(default_mb: int = DEFAULT_MAX_UPLOAD_MB) -> int:
    """`DTPC_MAX_UPLOAD_MB` as bytes, else the default."""
    return int(os.environ.get("DTPC_MAX_UPLOAD_MB", default_mb)) << 20


def new_secret() -> str:
    return secrets.token_urlsafe(32)
