"""Sinks: the batch's records as JSON files, an SQLite (default) or PostgreSQL database, or Parquet.

Records are flattened once into named tables of rows (`flatten`); each sink is one
class that stores those tables. Re-running a file replaces its rows.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, Protocol

from models import ApplicationRecord, OutputRecord, RecommendationRecord, record_json

Row = dict[str, Any]
Tables = dict[str, list[Row]]

YEAR_FIGURES = {
    "finance": ("revenue", "net_margin", "debt_ratio"),
    "service": ("enterprises", "contract_amount", "trainees"),
    "resources": ("investors", "financing", "universities", "providers"),
}
APPENDIX_TABLES = ("products", "contracts", "trainings", "institutions", "providers", "financings")


def _scalar(value: Any) -> Any:
    """Lists become 、-joined text, dates ISO text, so every cell fits a plain column."""
    if isinstance(value, list):
        return "、".join(str(item) for item in value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def _document_row(record: OutputRecord) -> Row:
    severities = [check.severity for check in record.checks]
    return {"file": record.source.file, "sha256": record.source.sha256, "doc_type": record.doc_type,
            "page_count": record.source.page_count, "errors": severities.count("error"),
            "warnings": severities.count("warning"), "record": record_json(record)}


def _application_row(record: ApplicationRecord) -> Row:
    row: Row = {"file": record.source.file}
    row.update({f"cover_{k}": _scalar(v) for k, v in record.cover.model_dump().items()})
    row.update({f"lead_{k}": _scalar(v) for k, v in record.basic_info.lead_unit.model_dump().items()})
    row.update({f"head_{k}": _scalar(v) for k, v in record.basic_info.head.model_dump().items()})
    for table, names in YEAR_FIGURES.items():
        for entry in getattr(record.basic_info, table):
            row.update({f"{name}_{entry.year}": getattr(entry, name) for name in names})
    row["members"] = len(record.basic_info.members)
    row["content_areas"] = _scalar(record.plan.content_areas)
    row["goal_years"] = _scalar(record.plan.goal_years)
    row.update({f"slot_{k}": v for k, v in record.seal_slots.model_dump().items()})
    row["signature"] = record.signatures.commitment_legal_rep
    return row


def _rows(file: str, items: Sequence[Any], **extra: Any) -> list[Row]:
    return [{"file": file, "position": index + 1, **extra,
             **{k: _scalar(v) for k, v in item.model_dump().items()}} for index, item in enumerate(items)]


def flatten(records: Iterable[OutputRecord]) -> Tables:
    """The records as named tables of flat rows, keyed by file."""
    tables: Tables = {name: [] for name in ("documents", "applications", "members", "plan_sections", "seals",
                                            "checks", "provenance", "recommendations", "recommended",
                                            *APPENDIX_TABLES)}
    for record in records:
        file = record.source.file
        tables["documents"].append(_document_row(record))
        tables["seals"] += _rows(file, record.seals)
        tables["checks"] += [{**row, "evidence": json.dumps(row["evidence"], ensure_ascii=False)}
                             for row in _rows(file, record.checks)]
        tables["provenance"] += [{"file": file, "path": path, **{k: _scalar(v) for k, v in p.model_dump().items()}}
                                 for path, p in record.provenance.items()]
        if isinstance(record, ApplicationRecord):
            tables["applications"].append(_application_row(record))
            tables["members"] += _rows(file, record.basic_info.members)
            tables["plan_sections"] += _rows(file, record.plan.sections)
            for name in APPENDIX_TABLES:
                tables[name] += _rows(file, getattr(record.appendix, name))
        elif isinstance(record, RecommendationRecord):
            body = record.recommendation
            tables["recommendations"].append({"file": file, "province": body.province, "date": _scalar(body.date),
                                              "count": len(body.recommended)})
            tables["recommended"] += _rows(file, body.recommended)
    for rows in tables.values():
        for row in rows:
            if "bbox" in row:
                row["bbox"] = json.dumps(row["bbox"])
    return tables


class Sink(Protocol):
    def write(self, records: Sequence[OutputRecord]) -> str:
        """Store the records; return where they went."""
        ...


def _columns(rows: list[Row]) -> list[str]:
    names: dict[str, None] = {}
    for row in rows:
        names.update(dict.fromkeys(row))
    return list(names)


def _sql_type(rows: list[Row], column: str) -> str:
    values = [row.get(column) for row in rows if row.get(column) is not None]
    if values and all(isinstance(v, bool | int) for v in values):
        return "INTEGER"
    if values and all(isinstance(v, int | float) and not isinstance(v, bool) for v in values):
        return "REAL"
    return "TEXT"


class JsonSink:
    """One `<input name>.json` per file: the contract's format."""

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = out_dir

    def write(self, records: Sequence[OutputRecord]) -> str:
        self.out_dir.mkdir(parents=True, exist_ok=True)
        for record in records:
            (self.out_dir / f"{record.source.file}.json").write_text(record_json(record), encoding="utf-8")
        return str(self.out_dir)


class SqliteSink:
    """An SQLite database (the default sink): one table per flattened table, rows replaced per file."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def write(self, records: Sequence[OutputRecord]) -> str:
        tables = flatten(records)
        files = [(record.source.file,) for record in records]
        with sqlite3.connect(self.path) as db:
            for name, rows in tables.items():
                self._ensure_table(db, name, rows)
                db.executemany(f'DELETE FROM "{name}" WHERE file = ?', files)
                for row in rows:
                    columns = ", ".join(f'"{c}"' for c in row)
                    marks = ", ".join("?" for _ in row)
                    db.execute(f'INSERT INTO "{name}" ({columns}) VALUES ({marks})', list(row.values()))
        return str(self.path)

    @staticmethod
    def _ensure_table(db: sqlite3.Connection, name: str, rows: list[Row]) -> None:
        columns = _columns(rows) or ["file"]
        definitions = ", ".join(f'"{c}" {_sql_type(rows, c)}' for c in columns)
        db.execute(f'CREATE TABLE IF NOT EXISTS "{name}" ({definitions})')
        existing = {info[1] for info in db.execute(f'PRAGMA table_info("{name}")')}
        for column in columns:
            if column not in existing:
                db.execute(f'ALTER TABLE "{name}" ADD COLUMN "{column}" {_sql_type(rows, column)}')


class PostgresSink:
    """A PostgreSQL database (needs the `postgres` extra: psycopg)."""

    def __init__(self, dsn: str) -> None:
        self.dsn = dsn

    def write(self, records: Sequence[OutputRecord]) -> str:
        import psycopg  # optional dependency, imported only when this sink is chosen

        tables = flatten(records)
        files = [record.source.file for record in records]
        with psycopg.connect(self.dsn) as db, db.cursor() as cursor:
            for name, rows in tables.items():
                columns = _columns(rows) or ["file"]
                types = {c: {"INTEGER": "BIGINT", "REAL": "DOUBLE PRECISION"}.get(_sql_type(rows, c), "TEXT")
                         for c in columns}
                cursor.execute(f'CREATE TABLE IF NOT EXISTS "{name}" ('
                               + ", ".join(f'"{c}" {t}' for c, t in types.items()) + ")")
                for column, sql_type in types.items():
                    cursor.execute(f'ALTER TABLE "{name}" ADD COLUMN IF NOT EXISTS "{column}" {sql_type}')
                cursor.execute(f'DELETE FROM "{name}" WHERE file = ANY(%s)', (files,))
                for row in rows:
                    cursor.execute(f'INSERT INTO "{name}" (' + ", ".join(f'"{c}"' for c in row) + ") VALUES ("
                                   + ", ".join("%s" for _ in row) + ")", list(row.values()))
        return self.dsn.split("@")[-1]


class ParquetSink:
    """One Parquet file per table (needs the `parquet` extra: pyarrow)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def write(self, records: Sequence[OutputRecord]) -> str:
        import pandas as pd

        self.folder.mkdir(parents=True, exist_ok=True)
        for name, rows in flatten(records).items():
            pd.DataFrame(rows).to_parquet(self.folder / f"{name}.parquet", index=False)
        return str(self.folder)


