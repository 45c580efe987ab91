"""The command end to end: a batch with a good file and bad ones, the schema, the time limit."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

from typer.testing import CliRunner

from dtpc.cli import app
from models import json_schema, parse_record
from pipeline.batch import process_isolated
from pipeline.config import Settings

CORPUS = Path(__file__).resolve().parents[1] / "samples" / "corpus"
runner = CliRunner()


def test_schema_command_prints_the_models_schema() -> None:
    result = runner.invoke(app, ["schema"])
    assert result.exit_code == 0
    assert json.loads(result.output) == json_schema()


def test_batch_survives_bad_files_and_fills_every_output(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    shutil.copy(CORPUS / "r11-digital.pdf", inputs / "r11-digital.pdf")
    (inputs / "notes.pdf").write_bytes(b"this is not a pdf at all")
    (inputs / "empty.png").write_bytes(b"")
    out = tmp_path / "out"
    result = runner.invoke(app, ["batch", str(inputs), "-o", str(out), "--workers", "1"])
    assert result.exit_code == 0, result.output
    records = {path.name: parse_record(path.read_text(encoding="utf-8")) for path in out.glob("*.json")
               if path.name != "batch_summary.json"}
    assert set(records) == {"r11-digital.pdf.json", "notes.pdf.json", "empty.png.json"}
    assert records["r11-digital.pdf.json"].doc_type == "recommendation"
    for name in ("notes.pdf.json", "empty.png.json"):
        assert [c.code for c in records[name].checks] == ["INPUT_UNREADABLE"]
    with sqlite3.connect(out / "dtpc.sqlite") as db:
        assert db.execute("SELECT count(*) FROM documents").fetchone() == (3,)
    report = (out / "report.html").read_text(encoding="utf-8")
    assert "INPUT_UNREADABLE" in report and "r11-digital.pdf" in report
    assert json.loads((out / "batch_summary.json").read_text(encoding="utf-8"))["files"] == 3


def test_a_file_over_its_time_limit_is_given_up(tmp_path: Path) -> None:
    record = process_isolated(CORPUS / "a07-digital.pdf", tmp_path, Settings(file_timeout_s=0.2, workers=1))
    assert record.doc_type == "unknown"
    [check] = record.checks
    assert check.code == "INPUT_UNREADABLE" and "超时" in check.message
    assert parse_record((tmp_path / "a07-digital.pdf.json").read_text(encoding="utf-8")) == record
