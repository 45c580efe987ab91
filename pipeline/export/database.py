"""Records into a database through SQLAlchemy: SQLite (default) or PostgreSQL, the schema in `schema.py`.

`DatabaseSink(url).write(records)` creates the schema on first use, then for each file deletes its
rows (by sha256) and inserts the new ones in one transaction: re-processing a file replaces its
rows, a failed write leaves the previous ones as they were.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import URL, Connection, Engine

from models import OutputRecord
from pipeline.export.entities import record_rows
from pipeline.export.schema import ENTITIES, SCHEMA_VERSION, metadata, schema_info

log = logging.getLogger(__name__)

# Tables the first dtpc database sink made (dynamic columns, keyed by file name). A database that
# has them and no `dtpc_schema` table is rebuilt: its content is derived from the JSON files.
LEGACY_TABLES = ("documents", "applications", "members", "plan_sections", "seals", "checks", "provenance",
                 "recommendations", "recommended", "products", "contracts", "trainings", "institutions",
                 "providers", "financings")


class SchemaMismatchError(RuntimeError):
    """The database holds tables of the same names but another layout."""


class DatabaseWriteError(RuntimeError):
    """Some files could not be written (their previous rows are unchanged); the others were."""

    def __init__(self, url: str, failures: list[tuple[str, str]]) -> None:
        self.failures = failures
        listed = "; ".join(f"{file}: {reason}" for file, reason in failures)
        super().__init__(f"{len(failures)} file(s) not written to {url}: {listed}")


def database_url(target: str | Path | URL) -> URL:
    """An SQLAlchemy URL: a bare path means an SQLite file; postgres(ql):// uses the psycopg 3 driver."""
    if isinstance(target, URL):
        return target
    text = str(target)
    if "://" not in text:
        return URL.create("sqlite", database=text)
    url = sa.engine.make_url(text)
    if url.drivername in ("postgresql", "postgres"):
        url = url.set(drivername="postgresql+psycopg")
    return url


def public_url(url: URL) -> str:
    """The URL without its password, for messages and logs."""
    return URL.create(url.drivername, username=url.username, password=None, host=url.host, port=url.port,
                      database=url.database, query=url.query).render_as_string(hide_password=False)


def _sqlite_foreign_keys(connection: Any, _record: Any) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def create_engine(target: str | Path | URL) -> Engine:
    url = database_url(target)
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)
    engine = sa.create_engine(url)
    if url.get_backend_name() == "sqlite":
        sa.event.listen(engine, "connect", _sqlite_foreign_keys)
    return engine


def ensure_schema(connection: Connection, where: str) -> None:
    """Create the tables that are missing; refuse tables of the same name that lack declared columns."""
    inspector = sa.inspect(connection)
    existing = set(inspector.get_table_names())
    if schema_info.name not in existing and "documents" in existing:
        legacy = [name for name in LEGACY_TABLES if name in existing]
        log.warning("%s: replacing the tables of an older dtpc layout: %s", where, ", ".join(legacy))
        for name in legacy:
            connection.execute(sa.text(f'DROP TABLE "{name}"'))
        existing -= set(legacy)
    for table in metadata.sorted_tables:
        if table.name in existing:
            columns = {column["name"] for column in inspector.get_columns(table.name)}
            missing = [column for column in table.columns if column.name not in columns]
            required = [column.name for column in missing if not column.nullable]
            if required:
                raise SchemaMismatchError(f"{where}: table {table.name} lacks columns {required}; "
                                          "it was not made by this dtpc — use another database or drop it")
            for column in missing:
                _add_column(connection, table, column, where)
    metadata.create_all(connection, checkfirst=True)
    version = connection.execute(sa.select(schema_info.c.value).where(schema_info.c.key == "version")).scalar()
    if version is None:
        connection.execute(schema_info.insert().values(key="version", value=SCHEMA_VERSION))
    elif version != SCHEMA_VERSION:
        raise SchemaMismatchError(f"{where}: schema version {version}, this dtpc writes {SCHEMA_VERSION}")


def _add_column(connection: Connection, table: sa.Table, column: sa.Column, where: str) -> None:
    """A nullable column a later dtpc declares, added to a database an earlier one made (rows keep NULL)."""
    kind = column.type.compile(dialect=connection.dialect)
    preparer = connection.dialect.identifier_preparer
    log.warning("%s: adding column %s.%s (%s) declared by this dtpc", where, table.name, column.name, kind)
    connection.execute(sa.text(f"ALTER TABLE {preparer.quote(table.name)} ADD COLUMN {preparer.quote(column.name)} {kind}"))


# Children first when deleting, the submission first when inserting.
_INSERT_ORDER = [table for table in metadata.sorted_tables if table.name in ENTITIES]
_DELETE_ORDER = list(reversed(_INSERT_ORDER))


def _without_nul(value: Any) -> Any:
    """PostgreSQL refuses NUL characters in text and JSON; a broken PDF font can put them in read text."""
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, list):
        return [_without_nul(item) for item in value]
    if isinstance(value, dict):
        return {key: _without_nul(item) for key, item in value.items()}
    return value


def replace_record(connection: Connection, record: OutputRecord) -> int:
    """Delete the file's rows (by sha256) and insert the record's; returns the rows inserted."""
    sha256 = record.source.sha256
    for table in _DELETE_ORDER:
        connection.execute(table.delete().where(table.c.sha256 == sha256))
    rows = {name: [_without_nul(row) for row in table_rows] for name, table_rows in record_rows(record).items()}
    for table in _INSERT_ORDER:
        if rows[table.name]:
            connection.execute(table.insert(), rows[table.name])
    return sum(len(table_rows) for table_rows in rows.values())


class DatabaseSink:
    """A database by SQLAlchemy URL (`sqlite:///out/dtpc.sqlite`, `postgresql://user:pw@host/db`, or a path)."""

    def __init__(self, url: str | Path | URL) -> None:
        self.url = database_url(url)
        self.failures: list[tuple[str, str]] = []
        self._ready = False

    def __str__(self) -> str:
        return public_url(self.url)

    def write(self, records: Sequence[OutputRecord]) -> str:
        """Write each file in its own transaction; raise DatabaseWriteError at the end if any failed."""
        where = public_url(self.url)
        engine = create_engine(self.url)
        self.failures = []
        try:
            if not self._ready:
                with engine.begin() as connection:
                    ensure_schema(connection, where)
                self._ready = True
            latest = {record.source.sha256: record for record in records}  # the same bytes twice: the last wins
            if len(latest) < len(records):
                log.warning("%s: %d file(s) have the same content as another; one row each", where,
                            len(records) - len(latest))
            for record in latest.values():
                try:
                    with engine.begin() as connection:
                        replace_record(connection, record)
                except (sa.exc.OperationalError, sa.exc.InterfaceError):
                    raise  # the database itself is unreachable: no point trying the other files
                except sa.exc.SQLAlchemyError as error:
                    reason = str(getattr(error, "orig", None) or error).splitlines()[0]
                    log.error("%s: %s not written: %s", where, record.source.file, reason)
                    self.failures.append((record.source.file, reason))
        finally:
            engine.dispose()
        if self.failures:
            raise DatabaseWriteError(where, self.failures)
        return where
