"""Sinks store the flattened records; re-running a file replaces its rows."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from models import parse_record
from pipeline.export import JsonSink, SqliteSink, flatten
from tests.test_checks import clean_application, recommendation


def test_flatten_has_one_row_per_item() -> None:
    record = clean_application()
    tables = flatten([record, recommendation("浙江省", ["a", "b"])])
    assert len(tables["documents"]) == 2
    assert len(tables["contracts"]) == 3 and tables["contracts"][0]["date"] == "2024-03-05"
    assert tables["applications"][0]["contract_amount_2025"] == 300.0
    assert tables["applications"][0]["lead_main_industries"] == "机械、汽车"
    assert [row["name"] for row in tables["recommended"]] == ["a", "b"]


def test_sqlite_sink_replaces_rows_on_rerun(tmp_path: Path) -> None:
    database = tmp_path / "dtpc.sqlite"
    record = clean_application()
    SqliteSink(database).write([record])
    record.appendix.contracts = record.appendix.contracts[:1]
    SqliteSink(database).write([record])
    with sqlite3.connect(database) as db:
        assert db.execute("SELECT count(*) FROM contracts").fetchone() == (1,)
        assert db.execute("SELECT count(*) FROM documents").fetchone() == (1,)
        stored = db.execute("SELECT record FROM documents").fetchone()[0]
    assert parse_record(json.loads(stored)) == record


def test_json_sink_writes_contract_json(tmp_path: Path) -> None:
    record = clean_application("x.pdf")
    JsonSink(tmp_path).write([record])
    assert parse_record((tmp_path / "x.pdf.json").read_text(encoding="utf-8")) == record
