"""The command end to end: a batch with a good file and bad ones, the schema, the time limit."""

from __future__ import annotations

import json
import shutil
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
    result = runner.invoke(app, ["batch", str(inputs), "-o", str(out), "--workers", "1", "--no-progress"])
    assert result.exit_code == 1, result.output  # two files could not be read: the batch says so
    records = {path.name: parse_record(path.read_text(encoding="utf-8")) for path in out.glob("*.json")
               if path.name != "batch.json"}
    assert set(records) == {"r11-digital.pdf.json", "notes.pdf.json", "empty.png.json"}
    assert records["r11-digital.pdf.json"].doc_type == "recommendation"
    for name, why in (("notes.pdf.json", "unsupported"), ("empty.png.json", "empty")):
        assert [(c.code, c.reason) for c in records[name].checks] == [("INPUT_UNREADABLE", why)]
    assert (out / "dtpc.sqlite").is_file()
    [report] = [line.removeprefix("report: ") for line in result.output.splitlines() if line.startswith("report: ")]
    assert Path(report).is_file()
    summary = json.loads((out / "batch.json").read_text(encoding="utf-8"))
    assert summary["files"] == 3 and summary["failed"] == 2 and summary["interrupted"] is False
    assert "3 files: 3 processed" in result.output and "notes.pdf" in result.output


def test_a_batch_with_every_file_read_exits_0_and_a_rerun_skips_it(tmp_path: Path) -> None:
    inputs, out = tmp_path / "in", tmp_path / "out"
    inputs.mkdir()
    shutil.copy(CORPUS / "r11-digital.pdf", inputs / "r11-digital.pdf")
    command = ["batch", str(inputs), "-o", str(out), "--db", "none", "--no-progress"]
    first = runner.invoke(app, command)
    assert first.exit_code == 0, first.output  # flags (seals, …) are not failures
    assert not (out / "dtpc.sqlite").exists()
    again = runner.invoke(app, command)
    assert again.exit_code == 0 and "0 processed, 1 skipped" in again.output
    forced = runner.invoke(app, [*command, "--force"])
    assert forced.exit_code == 0 and "1 processed, 0 skipped" in forced.output


def test_dask_needs_a_scheduler(tmp_path: Path) -> None:
    result = runner.invoke(app, ["batch", str(tmp_path), "--executor", "dask"])
    assert result.exit_code == 2


def test_extract_keeps_same_named_files_apart(tmp_path: Path) -> None:
    for folder in ("a", "b"):
        (tmp_path / "in" / folder).mkdir(parents=True)
        (tmp_path / "in" / folder / "x.pdf").write_bytes(b"not a pdf " + folder.encode())
    out = tmp_path / "out"
    result = runner.invoke(app, ["extract", str(tmp_path / "in" / "a" / "x.pdf"), str(tmp_path / "in" / "b" / "x.pdf"),
                                 "-o", str(out)])
    assert result.exit_code == 1  # neither is readable
    assert (out / "a" / "x.pdf.json").is_file() and (out / "b" / "x.pdf.json").is_file()


def test_a_file_over_its_time_limit_is_given_up(tmp_path: Path) -> None:
    record = process_isolated(CORPUS / "a07-digital.pdf", tmp_path, Settings(file_timeout_s=0.2, workers=1))
    assert record.doc_type == "unknown"
    [check] = record.checks
    assert check.code == "INPUT_UNREADABLE" and check.reason == "timeout" and "超时" in check.message
    assert parse_record((tmp_path / "a07-digital.pdf.json").read_text(encoding="utf-8")) == record
