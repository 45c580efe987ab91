"""The batch survives anything: killed, hanging and memory-hungry files, interruption, hostile names.

Inputs are tiny (a one-page text PDF, a file that is not a PDF) so each test takes seconds.
Misbehaving files get a reader injected through `BatchOptions.reader` (tests/faults.py).
"""

from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import psutil
import pytest
from reportlab.pdfgen import canvas

from models import parse_record
from pipeline.atomic import TEMP_SUFFIX, remove_temps_below
from pipeline.batch import (
    PIPELINE_VERSION,
    SUMMARY_NAME,
    BatchOptions,
    BatchResult,
    atomic_write_text,
    output_path,
    plan_workers,
    profile_table,
    run_batch,
    safe_part,
)
from pipeline.config import Settings
from tests import faults

ROOT = Path(__file__).resolve().parents[1]
QUIET = BatchOptions(progress=False)


def text_pdf(path: Path, text: str = "dtpc batch test") -> Path:
    """A one-page PDF with a text layer."""
    path.parent.mkdir(parents=True, exist_ok=True)
    page = canvas.Canvas(str(path), invariant=True)  # same text, same bytes
    page.drawString(72, 720, text)
    page.save()
    return path


def junk(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"this is not a pdf at all")
    return path


def settings(**overrides: object) -> Settings:
    values: dict[str, object] = {"workers": 1, "file_workers": 2, "file_timeout_s": 60.0, "cache_dir": None}
    return Settings(**{**values, **overrides})


def codes(path: Path) -> list[str]:
    return [check.code for check in parse_record(path.read_text(encoding="utf-8")).checks]


def reason(result: BatchResult, name: str) -> str:
    """The INPUT_UNREADABLE finding's reason code and message ('timeout: 处理超时…')."""
    [row] = [row for row in result.rows if row.job.name == name]
    assert row.record is not None
    check = next(check for check in row.record.checks if check.code == "INPUT_UNREADABLE")
    return f"{check.reason}: {check.message}"


def leftovers(out: Path) -> list[Path]:
    return [path for path in out.rglob("*") if path.name.endswith(TEMP_SUFFIX)]


def wait_for(path: Path, seconds: float = 120.0) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if path.is_file():
            return path.read_text()
        time.sleep(0.1)
    raise AssertionError(f"{path} never appeared")


def alive(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


# --- names -----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["a\nb.pdf", "-rf.pdf", ".hidden.pdf", "..", "申" * 85 + ".pdf",
                                  "x" * 250 + ".pdf", "tab\there.pdf", "bell\x07.pdf", "rtl\u202eabc.pdf"])
def test_a_hostile_name_becomes_a_safe_distinct_part(name: str) -> None:
    part = safe_part(name)
    assert part not in {name, ".", ".."} and not part.startswith(("-", "."))
    assert "/" not in part and all(char.isprintable() for char in part)
    assert len(f"{part}.evidence".encode()) < 255
    assert part != safe_part(name + "x")


@pytest.mark.parametrize("name", ["a07-digital.pdf", "中文申报书.pdf", "报告 2025 (终稿).pdf"])
def test_an_ordinary_name_is_kept(name: str) -> None:
    assert safe_part(name) == name


def test_sanitised_names_never_collide_with_clean_ones(tmp_path: Path) -> None:
    names = ["a_b.pdf", "a\nb.pdf", "a\rb.pdf", "_rf.pdf", "-rf.pdf", "y" * 300 + ".pdf", "y" * 301 + ".pdf"]
    assert len({safe_part(name) for name in names}) == len(names)
    out = tmp_path / "out"
    root = tmp_path / "in"
    targets = [output_path(root / "..x" / "report" / name, out, root) for name in names]
    assert len(set(targets)) == len(targets)
    for target in targets:
        assert target.resolve().is_relative_to(out.resolve())
    assert output_path(root / "x.pdf", out, root) == out / "x.pdf.json"  # eval finds top-level outputs by name
    assert output_path(Path("/elsewhere/../../etc/x.pdf"), out, root) == out / "x.pdf.json"


def test_workers_are_planned_within_the_cores() -> None:
    assert plan_workers(2, None, None) == (2, 1)
    assert plan_workers(2, 1, None) == (1, 2)  # one file at a time with page parallelism
    assert plan_workers(4, None, 2) == (2, 2)
    assert plan_workers(2, 3, 3) == (3, 3)  # both given: as asked
    # Fewer files than cores: the cores the missing files leave go to the files' pages.
    assert plan_workers(2, None, None, inputs=1) == (1, 2)
    assert plan_workers(4, None, None, inputs=2) == (2, 2)
    assert plan_workers(4, None, None, inputs=3) == (3, 1)
    assert plan_workers(2, None, None, inputs=40) == (2, 1)
    assert plan_workers(2, None, 1, inputs=1) == (2, 1)  # page workers given: as asked


# --- atomic writes ---------------------------------------------------------------------------


def test_a_failed_write_leaves_the_old_file_and_no_temp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = atomic_write_text(tmp_path / "x.pdf.json", "old")

    def crash(*_args: object) -> None:
        raise OSError("disk gone")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError):
        atomic_write_text(target, "new")
    assert target.read_text() == "old"
    assert leftovers(tmp_path) == []


def test_an_atomic_write_gets_the_mode_a_plain_write_would(tmp_path: Path) -> None:
    plain = tmp_path / "plain.json"
    plain.write_text("x", encoding="utf-8")
    written = atomic_write_text(tmp_path / "atomic.json", "x")
    assert stat.S_IMODE(written.stat().st_mode) == stat.S_IMODE(plain.stat().st_mode)


def test_temps_left_by_a_killed_writer_are_removed(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    stale = tmp_path / "sub" / f".x.pdf.json.k3j2{TEMP_SUFFIX}"
    stale.write_text('{"half": ')
    assert remove_temps_below(tmp_path) == 1 and not stale.exists()


# --- one batch -------------------------------------------------------------------------------


def test_hostile_file_names_each_get_their_own_output(tmp_path: Path) -> None:
    inputs, out = tmp_path / "in", tmp_path / "out"
    names = ["-rf.pdf", "a\nb.pdf", "中文申报书.pdf", "申" * 80 + ".pdf", "x; rm -rf ~.pdf"]
    for name in names:
        junk(inputs / name)
    text_pdf(inputs / "..." / "ok.pdf")
    result = run_batch(inputs, out, settings(), QUIET)
    targets = [row.job.target for row in result.rows]
    assert len(set(targets)) == len(names) + 1
    for target in targets:
        assert target.resolve().is_relative_to(out.resolve()) and target.is_file()
        assert not target.name.startswith(("-", "."))
        assert len(target.name.encode()) <= 255
    files = {parse_record(t.read_text(encoding="utf-8")).source.file for t in targets}
    assert files == {*names, "ok.pdf"}  # the record names the input as it is called
    assert (out / "中文申报书.pdf.json").is_file()
    summary = json.loads((out / SUMMARY_NAME).read_text(encoding="utf-8"))
    assert {row["input"] for row in summary["documents"]} == {*names, ".../ok.pdf"}
    assert leftovers(out) == []


def test_the_same_file_in_two_folders_does_not_collide(tmp_path: Path) -> None:
    inputs, out = tmp_path / "in", tmp_path / "out"
    for folder in ("", "a", "b"):
        text_pdf(inputs / folder / "x.pdf")
    result = run_batch(inputs, out, settings(), QUIET)
    assert result.exit_code == 0, result.describe()
    for target in (out / "x.pdf.json", out / "a" / "x.pdf.json", out / "b" / "x.pdf.json"):
        assert parse_record(target.read_text(encoding="utf-8")).doc_type != "unknown"
    assert len({row.record.source.sha256 for row in result.rows if row.record}) == 1


def test_a_worker_killed_mid_file_costs_that_file_only(tmp_path: Path) -> None:
    inputs, out = tmp_path / "in", tmp_path / "out"
    text_pdf(inputs / "victim.pdf")
    text_pdf(inputs / "fine.pdf")
    pidfile = tmp_path / "victim.pid"
    options = BatchOptions(progress=False, reader=faults.reader({"victim.pdf": f"pidfile:{pidfile}"}))
    results: list[BatchResult] = []
    thread = threading.Thread(target=lambda: results.append(run_batch(inputs, out, settings(), options)))
    thread.start()
    os.kill(int(wait_for(pidfile)), signal.SIGKILL)
    thread.join(120)
    [result] = results
    assert result.exit_code == 1
    assert "SIGKILL" in reason(result, "victim.pdf")
    assert codes(out / "victim.pdf.json") == ["INPUT_UNREADABLE"]
    assert "INPUT_UNREADABLE" not in codes(out / "fine.pdf.json")
    assert leftovers(out) == []


def test_a_file_that_ends_with_no_file_left_lends_its_core_to_the_files_still_reading(tmp_path: Path) -> None:
    inputs, out = tmp_path / "in", tmp_path / "out"
    text_pdf(inputs / "long.pdf")
    text_pdf(inputs / "short.pdf")
    lent = tmp_path / "lent"
    options = BatchOptions(progress=False, reader=faults.reader({"long.pdf": f"borrow:{lent}"}))
    result = run_batch(inputs, out, settings(file_workers=2, workers=1), options)
    assert result.exit_code == 0, result.describe()
    assert lent.read_text() == "lent", "short.pdf ended with no file left: long.pdf's pages could use its core"


def test_a_file_that_hangs_is_given_up_and_the_batch_goes_on(tmp_path: Path) -> None:
    inputs, out = tmp_path / "in", tmp_path / "out"
    text_pdf(inputs / "hang.pdf")
    text_pdf(inputs / "fine.pdf")
    options = BatchOptions(progress=False, reader=faults.reader({"hang.pdf": "hang"}))
    result = run_batch(inputs, out, settings(file_timeout_s=4.0), options)
    assert reason(result, "hang.pdf").startswith("timeout: ")
    assert [row.status for row in result.rows] == ["done", "failed"]  # sorted: fine.pdf, hang.pdf
    assert result.exit_code == 1


def test_a_file_killed_over_time_leaves_no_temp_files(tmp_path: Path) -> None:
    inputs, out, noted = tmp_path / "in", tmp_path / "out", tmp_path / "tempdir.txt"
    text_pdf(inputs / "hang.pdf")
    options = BatchOptions(progress=False, reader=faults.reader({"hang.pdf": f"tempdir:{noted}"}))
    result = run_batch(inputs, out, settings(file_timeout_s=4.0), options)
    assert reason(result, "hang.pdf").startswith("timeout: ")
    left = Path(noted.read_text(encoding="utf-8"))
    assert left.name.startswith("dtpc-fault-")
    assert left.parent.name.startswith("dtpc-file-")  # in the file's scratch folder, not the machine's temp
    assert not left.parent.exists()


def test_a_crash_and_a_memory_hog_are_failures_not_batch_failures(tmp_path: Path) -> None:
    inputs, out = tmp_path / "in", tmp_path / "out"
    for name in ("crash.pdf", "fat.pdf", "fine.pdf"):
        text_pdf(inputs / name)
    options = BatchOptions(progress=False, reader=faults.reader({"crash.pdf": "crash", "fat.pdf": "hog:1200"}))
    result = run_batch(inputs, out, settings(max_worker_memory_mb=900, file_workers=1), options)
    assert reason(result, "crash.pdf").startswith("crashed: ") and "退出码 3" in reason(result, "crash.pdf")
    assert reason(result, "fat.pdf").startswith("memory: ")
    assert {row.job.name: row.status for row in result.rows}["fine.pdf"] == "done"
    summary = json.loads((out / SUMMARY_NAME).read_text(encoding="utf-8"))
    assert summary["failed"] == 2 and {f["input"] for f in summary["failures"]} == {"crash.pdf", "fat.pdf"}


def test_a_rerun_skips_what_is_done_and_force_redoes_it(tmp_path: Path) -> None:
    inputs, out = tmp_path / "in", tmp_path / "out"
    text_pdf(inputs / "a.pdf")
    text_pdf(inputs / "b.pdf")
    first = run_batch(inputs, out, settings(), QUIET)
    assert first.count("done") == 2
    assert parse_record((out / "a.pdf.json").read_bytes()).source.pipeline_version == PIPELINE_VERSION
    written = (out / "a.pdf.json").stat().st_mtime_ns
    text_pdf(inputs / "b.pdf", "changed content")  # new sha256: done again
    second = run_batch(inputs, out, settings(), QUIET)
    assert {row.job.name: row.status for row in second.rows} == {"a.pdf": "skipped", "b.pdf": "done"}
    assert (out / "a.pdf.json").stat().st_mtime_ns == written
    record = json.loads((out / "a.pdf.json").read_text(encoding="utf-8"))
    record["source"]["pipeline_version"] = "0.0.1"  # another pipeline version: done again
    (out / "a.pdf.json").write_text(json.dumps(record), encoding="utf-8")
    third = run_batch(inputs, out, settings(), QUIET)
    assert {row.job.name: row.status for row in third.rows} == {"a.pdf": "done", "b.pdf": "skipped"}
    forced = run_batch(inputs, out, settings(), BatchOptions(progress=False, force=True))
    assert forced.count("done") == 2 and forced.exit_code == 0


def test_an_interrupted_batch_stops_cleanly_and_a_rerun_does_the_rest(tmp_path: Path) -> None:
    inputs, out = tmp_path / "in", tmp_path / "out"
    for name in ("a.pdf", "b.pdf", "c.pdf"):
        text_pdf(inputs / name)
    pidfile = tmp_path / "b.pid"
    command = [sys.executable, "-m", "tests.faults", json.dumps({"b.pdf": f"pidfile:{pidfile}"}), "batch", str(inputs), "-o", str(out), "--files", "1",
               "--workers", "1", "--db", "none", "--no-progress"]
    batch = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    child = int(wait_for(pidfile))  # a.pdf is done, b.pdf is running
    batch.send_signal(signal.SIGINT)
    output, _ = batch.communicate(timeout=60)
    assert batch.returncode == 130, output
    assert "Interrupted" in output
    assert not alive(child)
    assert (out / "a.pdf.json").is_file() and not (out / "b.pdf.json").exists() and not (out / "c.pdf.json").exists()
    summary = json.loads((out / SUMMARY_NAME).read_text(encoding="utf-8"))
    assert summary["interrupted"] is True and summary["not_started"] == 2
    assert leftovers(out) == []

    rerun = run_batch(inputs, out, settings(), QUIET)
    assert {row.job.name: row.status for row in rerun.rows} == {"a.pdf": "skipped", "b.pdf": "done", "c.pdf": "done"}
    assert rerun.exit_code == 0 and not rerun.interrupted
    for name in ("a.pdf", "b.pdf", "c.pdf"):
        assert "INPUT_UNREADABLE" not in codes(out / f"{name}.json")
    assert json.loads((out / SUMMARY_NAME).read_text(encoding="utf-8"))["interrupted"] is False


# --- Dask ------------------------------------------------------------------------------------


def test_the_dask_executor_runs_the_same_function_on_a_local_cluster(tmp_path: Path) -> None:
    distributed = pytest.importorskip("distributed")
    inputs, out = tmp_path / "in", tmp_path / "out"
    text_pdf(inputs / "good.pdf")
    junk(inputs / "sub" / "notes.pdf")
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster:
        options = BatchOptions(executor="dask", scheduler=cluster.scheduler_address, progress=False)
        result = run_batch(inputs, out, settings(), options)
    assert {row.job.name: row.status for row in result.rows} == {"good.pdf": "done", "sub/notes.pdf": "failed"}
    assert codes(out / "sub" / "notes.pdf.json") == ["INPUT_UNREADABLE"]
    assert parse_record((out / "good.pdf.json").read_bytes()).source.file == "good.pdf"
    assert json.loads((out / SUMMARY_NAME).read_text(encoding="utf-8"))["executor"] == "dask"
    assert result.exit_code == 1


# --- where the time goes -----------------------------------------------------------------------


def test_every_file_reports_its_seconds_per_stage_in_batch_json_and_the_closing_line(tmp_path: Path) -> None:
    inputs, out = tmp_path / "in", tmp_path / "out"
    text_pdf(inputs / "a.pdf")
    text_pdf(inputs / "b.pdf", "another text")
    result = run_batch(inputs, out, settings(), QUIET)
    summary = json.loads((out / SUMMARY_NAME).read_text(encoding="utf-8"))
    for document in summary["documents"]:
        assert {"ingest", "layout", "fields", "seals", "checks", "sinks"} <= set(document["stages"])
        assert all(seconds >= 0 for seconds in document["stages"].values())
    per_file = [document["stages"]["ingest"] for document in summary["documents"]]
    assert summary["timings"]["stages"]["ingest"] == pytest.approx(sum(per_file), abs=0.002)
    assert "Stages (summed over files" in result.describe() and "ingest" in result.describe()
    assert not leftovers(out)  # the timings' temporary files are gone too
    [line, *rows] = profile_table(result).splitlines()
    assert line.split("\t")[:4] == ["input", "pages", "seconds", "ingest"] and len(rows) == 2
