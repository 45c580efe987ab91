"""Outputs beyond the per-file JSON: a database (SQLite or PostgreSQL) and tables for analysts.

- `schema`: the declared, normalised tables (keyed by the file's sha256) every output shares.
- `entities`: records → rows per entity, and pandas DataFrames.
- `database`: `DatabaseSink(url)` — SQLAlchemy; each file's rows replaced in one transaction.
- `files`: `JsonSink`, Parquet/CSV/Excel sinks and `export_tables(out_dir, fmt, target)`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from models import OutputRecord
from pipeline.export.database import DatabaseSink, DatabaseWriteError, SchemaMismatchError, database_url, public_url
from pipeline.export.entities import Row, Tables, entity_rows, flags, frames, record_rows
from pipeline.export.files import (
    FORMATS,
    CsvSink,
    ExcelSink,
    JsonSink,
    ParquetSink,
    TableFormat,
    default_target,
    export_tables,
    read_records,
)
from pipeline.export.schema import APPENDIX_TABLES, ENTITIES, metadata


class Sink(Protocol):
    def write(self, records: Sequence[OutputRecord]) -> str:
        """Store the records; return where they went."""
        ...


__all__ = [
    "APPENDIX_TABLES",
    "ENTITIES",
    "FORMATS",
    "CsvSink",
    "DatabaseSink",
    "DatabaseWriteError",
    "ExcelSink",
    "JsonSink",
    "ParquetSink",
    "Row",
    "SchemaMismatchError",
    "Sink",
    "TableFormat",
    "Tables",
    "database_url",
    "default_target",
    "entity_rows",
    "export_tables",
    "flags",
    "frames",
    "metadata",
    "public_url",
    "read_records",
    "record_rows",
]
