"""Records as rows of the declared entities (`schema.py`), and as pandas DataFrames for analysts.

Every row carries the file's `sha256` (the key) and `file`. Lists of names become 、-joined text,
boxes four numbers (x0, top, x1, bottom), a check's evidence a list (JSON in databases and files).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from models import ApplicationRecord, OutputRecord, RecommendationRecord
from pipeline.export.schema import APPENDIX_TABLES, DATABASE_ONLY, ENTITIES, YEAR_TABLES

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa

Row = dict[str, Any]
Tables = dict[str, list[Row]]


def _text(value: Any) -> Any:
    """A list of names as 、-joined text (None when empty), anything else unchanged."""
    if isinstance(value, list):
        return "、".join(str(item) for item in value) or None
    return value


def _box(bbox: list[float] | None) -> Row:
    x0, top, x1, bottom = bbox if bbox else (None, None, None, None)
    return {"x0": x0, "top": top, "x1": x1, "bottom": bottom}


def _loose(value: float | int | str | bool | None) -> str | None:
    """A check's expected/found value as text: strings as they are, anything else as JSON writes it."""
    if value is None or isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def _submission(record: OutputRecord) -> Row:
    severities = [check.severity for check in record.checks]
    row: Row = {"sha256": record.source.sha256, "file": record.source.file, "doc_type": record.doc_type,
                "schema_version": record.schema_version, "page_count": record.source.page_count,
                "errors": severities.count("error"), "warnings": severities.count("warning"),
                "infos": severities.count("info"), "record": record.model_dump(mode="json")}
    if isinstance(record, ApplicationRecord):
        row.update({f"cover_{k}": v for k, v in record.cover.model_dump().items()})
        row.update({f"lead_{k}": _text(v) for k, v in record.basic_info.lead_unit.model_dump().items()})
        row.update({f"head_{k}": v for k, v in record.basic_info.head.model_dump().items()})
        row["member_count"] = len(record.basic_info.members)
        row["content_areas"] = _text(record.plan.content_areas)
        row["goal_years"] = _text(record.plan.goal_years)
        row["goal_kinds"] = _text(record.plan.goal_kinds)
        row["signature_legal_rep"] = record.signatures.commitment_legal_rep
        row["signature_crop"] = record.signatures.commitment_legal_rep_crop
    if isinstance(record, ApplicationRecord | RecommendationRecord):
        row.update({f"slot_{k}": v for k, v in record.seal_slots.model_dump().items()})
    return row


def _record_rows(record: OutputRecord) -> Tables:
    """One record's rows per entity (entities it has no rows for are absent)."""
    key = {"sha256": record.source.sha256, "file": record.source.file}

    def listed(items: Iterable[Any]) -> list[Row]:
        return [{**key, "position": index, **{k: _text(v) for k, v in item.model_dump().items()}}
                for index, item in enumerate(items, start=1)]

    tables: Tables = {
        "submissions": [_submission(record)],
        "pages": [{**key, **page.model_dump()} for page in record.source.pages],
        "seals": [{**key, "position": index, **_box(seal.bbox),
                   **{k: v for k, v in seal.model_dump().items() if k != "bbox"}}
                  for index, seal in enumerate(record.seals, start=1)],
        "checks": [{**key, "position": index, "code": check.code, "severity": check.severity, "where": check.where,
                    "message": check.message, "expected": _loose(check.expected), "found": _loose(check.found),
                    "evidence": [evidence.model_dump(mode="json") for evidence in check.evidence],
                    "evidence_pages": "、".join(str(page) for page in dict.fromkeys(e.page for e in check.evidence))
                    or None, "confidence": check.confidence, "doubts": check.doubts, "rests_on": check.rests_on,
                    "reason": check.reason}
                   for index, check in enumerate(record.checks, start=1)],
        "provenance": [{**key, "path": path, **_box(where.bbox),
                        **{k: v for k, v in where.model_dump().items() if k != "bbox"}}
                       for path, where in record.provenance.items()],
    }
    if isinstance(record, ApplicationRecord):
        tables["members"] = listed(record.basic_info.members)
        for name in YEAR_TABLES:
            tables[name] = [{**key, **entry.model_dump()} for entry in getattr(record.basic_info, name)]
        for name in APPENDIX_TABLES:
            tables[name] = listed(getattr(record.appendix, name))
        tables["plan_sections"] = listed(record.plan.sections)
    elif isinstance(record, RecommendationRecord):
        body = record.recommendation
        tables["recommendations"] = [{**key, "province": body.province, "date": body.date,
                                      "count": len(body.recommended), "letter_names": _text(body.letter_names)}]
        tables["recommended"] = listed(body.recommended)
    return tables


def record_rows(record: OutputRecord) -> Tables:
    """One record's rows for every entity, each row holding exactly its table's columns."""
    found = _record_rows(record)
    tables: Tables = {}
    for name, table in ENTITIES.items():
        rows = found.get(name, [])
        names = [column.name for column in table.columns]
        for row in rows:
            unknown = set(row) - set(names)
            if unknown:  # a model field the schema does not declare: a programming error, not data
                raise KeyError(f"{name}: no column for {sorted(unknown)}")
        tables[name] = [{column: row.get(column) for column in names} for row in rows]
    return tables


def entity_rows(records: Iterable[OutputRecord]) -> Tables:
    """The records as rows per entity, in the schema's order."""
    tables: Tables = {name: [] for name in ENTITIES}
    for record in records:
        for name, rows in record_rows(record).items():
            tables[name] += rows
    return tables



def _arrow_type(column: sa.Column[Any]) -> pa.DataType:
    import pyarrow as pa

    kind = column.type
    if isinstance(kind, sa.Boolean):
        return pa.bool_()
    if isinstance(kind, sa.Integer):
        return pa.int64()
    if isinstance(kind, sa.Float):
        return pa.float64()
    if isinstance(kind, sa.Date):
        return pa.date32()
    return pa.string()


def _pandas_dtype(column: sa.Column[Any]) -> str:
    kind = column.type
    if isinstance(kind, sa.Boolean):
        return "boolean"
    if isinstance(kind, sa.Integer):
        return "Int64"
    if isinstance(kind, sa.Float):
        return "Float64"
    if isinstance(kind, sa.Date):
        return "object"  # datetime.date values: Parquet date32, ISO text in CSV, dates in Excel
    return "string"


def export_columns(name: str) -> list[sa.Column[Any]]:
    """The entity's columns as files carry them (database-only columns left out)."""
    skip = DATABASE_ONLY.get(name, ())
    return [column for column in ENTITIES[name].columns if column.name not in skip]


def arrow_schema(name: str) -> pa.Schema:
    import pyarrow as pa

    return pa.schema([pa.field(column.name, _arrow_type(column)) for column in export_columns(name)])


def _cell(value: Any) -> Any:
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return value


def frame(name: str, rows: list[Row]) -> pd.DataFrame:
    """One entity's rows as a DataFrame with the declared columns (also when there are no rows) and types."""
    import pandas as pd

    columns = export_columns(name)
    data = {column.name: pd.Series([_cell(row.get(column.name)) for row in rows], dtype=_pandas_dtype(column))
            for column in columns}
    return pd.DataFrame(data, columns=[column.name for column in columns])


def frames(records: Iterable[OutputRecord]) -> dict[str, pd.DataFrame]:
    """Every entity as a DataFrame, in the schema's order."""
    return {name: frame(name, rows) for name, rows in entity_rows(records).items()}


SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


def flags(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Every check with the file's applicant (or province) beside it, errors first: the reviewers' list."""
    import pandas as pd

    submissions = tables["submissions"]
    names = dict(zip(submissions["sha256"], submissions["cover_applicant"].fillna(submissions["lead_name"]),
                     strict=True))
    if not tables["recommendations"].empty:
        names.update(zip(tables["recommendations"]["sha256"], tables["recommendations"]["province"], strict=True))
    kinds = dict(zip(submissions["sha256"], submissions["doc_type"], strict=True))
    checks = tables["checks"]
    table = pd.DataFrame({
        "file": checks["file"],
        "doc_type": pd.Series([kinds.get(sha) for sha in checks["sha256"]], dtype="string"),
        "applicant": pd.Series([names.get(sha) for sha in checks["sha256"]], dtype="string"),
        "severity": checks["severity"], "code": checks["code"], "where": checks["where"],
        "message": checks["message"], "expected": checks["expected"], "found": checks["found"],
        "evidence_pages": checks["evidence_pages"], "sha256": checks["sha256"],
        "_order": [SEVERITY_ORDER.get(str(s), 9) for s in checks["severity"]], "_position": checks["position"],
    })
    table = table.sort_values(["_order", "file", "_position"], kind="stable")
    return table.drop(columns=["_order", "_position"]).reset_index(drop=True)

