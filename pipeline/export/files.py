"""File outputs: the contract's JSON per file, and the entity tables as Parquet, CSV or one Excel workbook."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from models import OutputRecord, record_json
from pipeline.atomic import atomic_write_text
from pipeline.export.entities import arrow_schema, flags, frames
from pipeline.outputs import load_records

if TYPE_CHECKING:
    import pandas as pd


TableFormat = Literal["parquet", "csv", "xlsx"]
FORMATS: tuple[TableFormat, ...] = ("parquet", "csv", "xlsx")
# Excel refuses control characters in cells and holds at most 32,767 characters in one.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_EXCEL_CELL_LIMIT = 32767


class JsonSink:
    """One `<input name>.json` per file: the contract's format, each written atomically."""

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = out_dir

    def write(self, records: Sequence[OutputRecord]) -> str:
        for record in records:
            atomic_write_text(self.out_dir / f"{record.source.file}.json", record_json(record))
        return str(self.out_dir)


def read_records(out_dir: Path) -> list[OutputRecord]:
    """Every record under `out_dir` (recursively); other JSON (batch summaries, …) is skipped.

    Two files with the same content (sha256) count once: the most recently written.
    """
    found: dict[str, tuple[float, OutputRecord]] = {}
    for path, record in load_records(out_dir):
        written = path.stat().st_mtime
        previous = found.get(record.source.sha256)
        if previous is None or written >= previous[0]:
            found[record.source.sha256] = (written, record)
    return [record for _, record in sorted(found.values(), key=lambda item: item[1].source.file)]


def _excel_safe(table: pd.DataFrame) -> pd.DataFrame:
    table = table.copy()
    for name in table.columns:
        if table[name].dtype == "string":
            table[name] = table[name].map(lambda v: v if not isinstance(v, str) else
                                          _ILLEGAL.sub("", v)[:_EXCEL_CELL_LIMIT], na_action="ignore")
    return table


class ParquetSink:
    """One Parquet file per entity (pyarrow), typed by the declared schema."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.written: list[Path] = []

    def write(self, records: Sequence[OutputRecord]) -> str:
        self.written = write_parquet(frames(records), self.folder)
        return str(self.folder)


class CsvSink:
    """One CSV file per entity, UTF-8 with a byte-order mark so Excel shows the Chinese text."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.written: list[Path] = []

    def write(self, records: Sequence[OutputRecord]) -> str:
        self.written = write_csv(frames(records), self.folder)
        return str(self.folder)


class ExcelSink:
    """One workbook: a sheet per entity and a `flags` sheet listing every finding, errors first."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.written: list[Path] = []

    def write(self, records: Sequence[OutputRecord]) -> str:
        self.written = write_xlsx(frames(records), self.path)
        return str(self.path)


def write_parquet(tables: dict[str, pd.DataFrame], folder: Path) -> list[Path]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, table in tables.items():
        target = folder / f"{name}.parquet"
        arrow = pa.Table.from_pandas(table, schema=arrow_schema(name), preserve_index=False)
        temporary = target.with_name(f".{target.name}.tmp")
        pq.write_table(arrow, temporary)
        os.replace(temporary, target)
        written.append(target)
    return written


def write_csv(tables: dict[str, pd.DataFrame], folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, table in tables.items():
        target = folder / f"{name}.csv"
        temporary = target.with_name(f".{target.name}.tmp")
        table.to_csv(temporary, index=False, encoding="utf-8-sig")
        os.replace(temporary, target)
        written.append(target)
    return written


def write_xlsx(tables: dict[str, pd.DataFrame], path: Path) -> list[Path]:
    import pandas as pd

    path.parent.mkdir(parents=True, exist_ok=True)
    sheets = {"submissions": tables["submissions"], "flags": flags(tables),
              **{name: table for name, table in tables.items() if name != "submissions"}}
    temporary = path.with_name(f".{path.stem}.tmp.xlsx")
    with pd.ExcelWriter(temporary, engine="openpyxl") as writer:
        for name, table in sheets.items():
            _excel_safe(table).to_excel(writer, sheet_name=name, index=False)
            sheet = writer.sheets[name]
            sheet.freeze_panes = "A2"
            if len(table.columns):
                sheet.auto_filter.ref = sheet.dimensions
    os.replace(temporary, path)
    return [path]


def default_target(out_dir: Path, fmt: TableFormat) -> Path:
    return out_dir / "dtpc.xlsx" if fmt == "xlsx" else out_dir / "tables"


def export_tables(out_dir: Path, fmt: TableFormat, target: Path | None = None,
                  records: Iterable[OutputRecord] | None = None) -> list[Path]:
    """The records in `out_dir` (or the given ones) as tables: one file per entity, or one workbook."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; one of {', '.join(FORMATS)}")
    found = list(records) if records is not None else read_records(out_dir)
    if not found:
        raise FileNotFoundError(f"no dtpc records (*.json) under {out_dir}")
    destination = target if target is not None else default_target(out_dir, fmt)
    tables = frames(found)
    if fmt == "parquet":
        return write_parquet(tables, destination)
    if fmt == "csv":
        return write_csv(tables, destination)
    return write_xlsx(tables, destination)
