"""The database: one engine per app, sessions per request, and the schema brought up to date on start.

The batch's tables (`pipeline.export.schema`) are made by its own `ensure_schema`; the workspace's
by Alembic (`migrations/`), its version kept in `ws_alembic_version` so it never meets another
project's Alembic history on a shared database.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from sqlalchemy.engine import URL, Engine
from sqlalchemy.orm import Session, sessionmaker

from pipeline.export.database import create_engine as batch_engine
from pipeline.export.database import ensure_schema, public_url

VERSION_TABLE = "ws_alembic_version"
MIGRATIONS = Path(__file__).resolve().parent / "migrations"
SQLITE_BUSY_MS = 30_000


def _sqlite_pragmas(connection: Any, _record: Any) -> None:
    # WAL: readers go on while the worker or a reviewer writes; busy_timeout: writers wait for each other.
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_MS}")
    cursor.close()


def create_engine(url: URL) -> Engine:
    engine = batch_engine(url)
    if url.get_backend_name() == "sqlite":
        sa.event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def migrate(engine: Engine) -> None:
    """The batch's tables, then the workspace's migrations up to head."""
    where = public_url(engine.url)
    with engine.begin() as connection:
        ensure_schema(connection, where)
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


class Database:
    def __init__(self, url: URL) -> None:
        self.engine = create_engine(url)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)

    def migrate(self) -> None:
        migrate(self.engine)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session committed at the end of the block, rolled back on an exception."""
        with self.sessions() as session, session.begin():
            yield session

    def dispose(self) -> None:
        self.engine.dispose()
