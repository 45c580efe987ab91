"""`dtpc batch`: every file under a folder, resumable and interruptible, summarised in OUT/batch.json.

A re-run skips each file whose output holds the same sha256 and pipeline version
(`force` redoes them). Ctrl-C (SIGINT) or SIGTERM stops starting files, kills the running
ones, keeps every finished output and writes the summary marked interrupted.
"""

from __future__ import annotations

import contextlib
import importlib
import json
import os
import signal
import threading
import time
from collections.abc import Generator, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from threading import Event
from types import FrameType
from typing import Any, Literal

from tqdm import tqdm

from models import Check, OutputRecord, parse_record, record_json
from pipeline.atomic import atomic_write_text, remove_temps_below
from pipeline.batch.isolate import PIPELINE_VERSION, FileJob, FileReader, read_file, start_file_server
from pipeline.batch.local import Finished, run_local
from pipeline.batch.output_paths import common_root, display, find_inputs, output_path
from pipeline.config import Settings
from pipeline.digest import file_sha256
from pipeline.timing import STAGES, StageTimes

SUMMARY_NAME = "batch.json"
# Findings added across a batch (CHECKS.md "Across a batch"): dropped from a resumed record
# before the batch checks run again, so they are never counted twice.
BATCH_CODES = frozenset({"CONSORTIUM_QUOTA_EXCEEDED", "RECOMMENDED_NOT_FOUND", "DUPLICATE_APPLICANT", "SHARED_CONTRACT"})
INTERRUPTED_EXIT = 130
Status = Literal["done", "failed", "skipped", "not_started"]


@dataclass(frozen=True)
class BatchOptions:
    executor: Literal["local", "dask"] = "local"
    scheduler: str | None = None
    force: bool = False
    progress: bool = True
    reader: FileReader = read_file  # what each file's process runs (local executor); tests inject faults here


@dataclass
class Row:
    job: FileJob
    status: Status = "not_started"
    record: OutputRecord | None = None
    seconds: float = 0.0
    stages: StageTimes = field(default_factory=StageTimes)


def failure_reason(record: OutputRecord | None) -> str | None:
    """The INPUT_UNREADABLE message of a record that failed, else None."""
    if record is None:
        return None
    return next((check.message for check in record.checks if check.code == "INPUT_UNREADABLE"), None)


@dataclass
class BatchResult:
    rows: list[Row]
    batch_checks: list[Check] = field(default_factory=list)
    interrupted: bool = False
    seconds: float = 0.0
    summary_path: Path | None = None
    # Batch-wide work after the files (the database, the report), timed by the caller.
    after_files: StageTimes = field(default_factory=StageTimes)

    @property
    def records(self) -> list[OutputRecord]:
        return [row.record for row in self.rows if row.record is not None]

    @property
    def written(self) -> list[tuple[Path, OutputRecord]]:
        """Each record with the JSON file it was written to."""
        return [(row.job.target, row.record) for row in self.rows if row.record is not None]

    @property
    def failed(self) -> list[Row]:
        return [row for row in self.rows if failure_reason(row.record) is not None]

    def count(self, status: Status) -> int:
        return sum(row.status == status for row in self.rows)

    @property
    def pages(self) -> int:
        return sum(row.record.source.page_count for row in self.rows if row.record and row.status != "skipped")

    @property
    def stages(self) -> StageTimes:
        """Seconds per stage summed over the files processed in this run."""
        return StageTimes.total([*(row.stages for row in self.rows if row.status != "skipped"), self.after_files])

    @property
    def exit_code(self) -> int:
        return INTERRUPTED_EXIT if self.interrupted else int(bool(self.failed))

    def describe(self) -> str:
        """One paragraph: files, pages, speed, failures with reasons, where the summary is."""
        processed = self.count("done") + self.count("failed")
        rate = f" ({processed / self.seconds * 60:.1f} files/min)" if processed and self.seconds else ""
        text = (f"{len(self.rows)} files: {processed} processed, {self.count('skipped')} skipped (already done); "
                f"{self.pages} pages in {self.seconds:.1f} s{rate}.")
        if stages := self.stages.describe():
            text += f" Stages (summed over files; page stages over page workers): {stages}."
        if self.failed:
            reasons = "; ".join(f"{row.job.name}: {failure_reason(row.record)}" for row in self.failed)
            text += f" {len(self.failed)} failed — {reasons}."
        if self.interrupted:
            text += f" Interrupted: {self.count('not_started')} files not done; run again to finish them."
        return text + (f" Summary: {self.summary_path}." if self.summary_path else "")


def plan_workers(cores: int, files: int | None, pages: int | None, inputs: int | None = None) -> tuple[int, int]:
    """(files at once, page workers per file) so that their product stays within `cores`.

    With neither given, a file per core; but a run of `inputs` files, fewer than the cores, gives each
    file the cores the missing files leave (one file on two cores: two page workers, not one idle core).
    """
    cores = max(1, cores)
    if files is None and pages is None:
        at_once = min(cores, max(1, inputs)) if inputs is not None else cores
        return at_once, max(1, cores // at_once)
    if files is None:
        return max(1, cores // max(1, pages or 1)), max(1, pages or 1)
    if pages is None:
        return max(1, files), max(1, cores // max(1, files))
    return max(1, files), max(1, pages)


def available_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def plan_jobs(folder: Path, out_dir: Path) -> list[FileJob]:
    """A job per input under `folder`, its output mirroring its place in the folder."""
    jobs = []
    for path in find_inputs(folder, exclude=out_dir):
        name = display(Path(os.path.relpath(path, folder)).as_posix())
        jobs.append(FileJob(path, output_path(path, out_dir, folder), name))
    if len({job.target for job in jobs}) != len(jobs):  # names.py makes this impossible; never overwrite silently
        raise RuntimeError("two inputs map to the same output file")
    return jobs


def previous_record(job: FileJob) -> OutputRecord | None:
    """The record already in OUT for this input, if it was made from the same bytes by this pipeline version."""
    try:
        record = parse_record(job.target.read_bytes())
        if record.source.pipeline_version != PIPELINE_VERSION or record.source.sha256 != file_sha256(job.path):
            return None
    except (ValueError, OSError):
        return None
    record.checks = [check for check in record.checks if check.code not in BATCH_CODES]
    return record


def _execute(jobs: list[FileJob], settings: Settings, options: BatchOptions, stop: Event) -> Generator[Finished]:
    if options.executor == "dask":
        from pipeline.batch.dask_executor import run_dask

        if not options.scheduler:
            raise ValueError("the dask executor needs a scheduler address (tcp://HOST:8786)")
        return run_dask(jobs, settings, options.scheduler, stop)
    return run_local(jobs, settings, settings.file_workers or 1, stop, options.reader)


@contextlib.contextmanager
def stop_on_signals(stop: Event) -> Iterator[None]:
    """SIGINT/SIGTERM set `stop` (a second SIGINT raises KeyboardInterrupt); main thread only."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum: int, _frame: FrameType | None) -> None:
        if stop.is_set() and signum == signal.SIGINT:
            raise KeyboardInterrupt
        stop.set()

    previous = {number: signal.signal(number, handler) for number in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for number, old in previous.items():
            signal.signal(number, old)


class _Progress:
    """tqdm bar: files/s and ETA from tqdm, pages/s and failures as postfix."""

    def __init__(self, total: int, done: int, enabled: bool) -> None:
        self.bar = tqdm(total=total, initial=done, unit="file", desc="dtpc", disable=not enabled, smoothing=0.2)
        self.started, self.pages, self.failed = time.monotonic(), 0, 0

    def update(self, finished: Finished) -> None:
        self.pages += finished.record.source.page_count
        self.failed += failure_reason(finished.record) is not None
        elapsed = max(time.monotonic() - self.started, 1e-6)
        self.bar.set_postfix(pages_s=f"{self.pages / elapsed:.2f}", failed=self.failed, refresh=False)
        self.bar.update(1)

    def close(self) -> None:
        self.bar.close()


def _process(rows: dict[Path, Row], settings: Settings, options: BatchOptions, stop: Event) -> None:
    todo = [row.job for row in rows.values() if row.status == "not_started"]
    progress = _Progress(len(rows), len(rows) - len(todo), options.progress)
    results = _execute(todo, settings, options, stop)
    try:
        for finished in results:
            row = rows[finished.job.target]
            row.record, row.seconds, row.stages = finished.record, finished.seconds, finished.stages
            row.status = "failed" if failure_reason(finished.record) else "done"
            progress.update(finished)
    finally:
        results.close()
        progress.close()


def _rewrite(row: Row) -> None:
    """Write a record again if the batch checks changed it."""
    assert row.record is not None
    text = record_json(row.record)
    with contextlib.suppress(OSError):
        if row.job.target.read_text(encoding="utf-8") == text:
            return
    atomic_write_text(row.job.target, text)


def _batch_checks(rows: list[Row], settings: Settings) -> list[Check]:
    from pipeline.checks import run_batch_checks

    checks = run_batch_checks([row.record for row in rows if row.record is not None], settings)
    for row in rows:
        if row.record is not None:
            _rewrite(row)
    return checks


def run_batch(folder: Path, out_dir: Path, settings: Settings, options: BatchOptions | None = None) -> BatchResult:
    """Every input under `folder` into `out_dir`; never raises for a bad file; see the module docstring."""
    options = options or BatchOptions()
    started, when = time.monotonic(), datetime.now(UTC)
    if options.executor == "local":
        start_file_server()
    # The batch checks' modules (~0.9 CPU-s), imported while the file server loads the pipeline on the
    # other core, rather than after the last file, when every core but this one is idle.
    importlib.import_module("pipeline.checks")
    out_dir.mkdir(parents=True, exist_ok=True)
    remove_temps_below(out_dir)
    rows = {job.target: Row(job) for job in plan_jobs(folder, out_dir)}
    for row in rows.values() if not options.force else ():
        if (record := previous_record(row.job)) is not None:
            row.status, row.record = "skipped", record
    stop = Event()
    try:
        with stop_on_signals(stop):
            _process(rows, settings, options, stop)
    except KeyboardInterrupt:
        stop.set()
    result = BatchResult(list(rows.values()), interrupted=stop.is_set())
    if not result.interrupted:
        result.batch_checks = _batch_checks(result.rows, settings)
    result.seconds = time.monotonic() - started
    remove_temps_below(out_dir)
    result.summary_path = write_summary(out_dir, summary(result, out_dir, settings, options, when))
    return result


def run_files(paths: list[Path], out_dir: Path, settings: Settings, progress: bool = False) -> BatchResult:
    """Exactly these files (no resume, no batch checks, no summary); outputs keep the files' folders below
    their common folder, so files in one folder give `OUT/<name>.json`."""
    started, root = time.monotonic(), common_root(paths)
    jobs = [FileJob(path, output_path(path, out_dir, root), display(path.name)) for path in paths]
    rows = {job.target: Row(job) for job in jobs}  # a file given twice is read once
    stop = Event()
    try:
        with stop_on_signals(stop):
            _process(rows, settings, BatchOptions(progress=progress), stop)
    except KeyboardInterrupt:
        stop.set()
    return BatchResult(list(rows.values()), interrupted=stop.is_set(), seconds=time.monotonic() - started)


def _document(row: Row, out_dir: Path) -> dict[str, Any]:
    record = row.record
    return {
        "input": row.job.name, "output": display(row.job.target.relative_to(out_dir).as_posix()),
        "status": row.status, "seconds": round(row.seconds, 2), "stages": row.stages.rounded(),
        "file": record.source.file if record else None, "sha256": record.source.sha256 if record else None,
        "doc_type": record.doc_type if record else None, "pages": record.source.page_count if record else None,
        "errors": sum(c.severity == "error" for c in record.checks) if record else None,
        "warnings": sum(c.severity == "warning" for c in record.checks) if record else None,
        "flags": sorted({c.code for c in record.checks}) if record else [],
        "failure": failure_reason(record),
    }


def _findings(result: BatchResult) -> dict[str, Any]:
    """Which files each batch finding is on, and the batch's findings counted by severity."""
    from pipeline.checks import batch_summary

    found = batch_summary([row.record for row in result.rows if row.record is not None], result.batch_checks)
    return {"batch_findings": found["batch_findings"], "totals": found["totals"]}


def summary(result: BatchResult, out_dir: Path, settings: Settings, options: BatchOptions,
            when: datetime) -> dict[str, Any]:
    """The content of OUT/batch.json."""
    processed = result.count("done") + result.count("failed")
    minutes = result.seconds / 60
    return {
        "pipeline_version": PIPELINE_VERSION, "started": when.isoformat(timespec="seconds"),
        "interrupted": result.interrupted, "executor": options.executor, "scheduler": options.scheduler,
        "file_workers": settings.file_workers or 1, "page_workers": settings.workers,
        "files": len(result.rows), "processed": processed, "skipped": result.count("skipped"),
        "failed": len(result.failed), "not_started": result.count("not_started"), "pages": result.pages,
        "timings": {"seconds": round(result.seconds, 2),
                    "files_per_minute": round(processed / minutes, 2) if minutes else None,
                    "pages_per_second": round(result.pages / result.seconds, 2) if result.seconds else None,
                    "stages": result.stages.rounded()},
        "batch_checks": [check.model_dump(mode="json") for check in result.batch_checks],
        **_findings(result),
        "failures": [{"input": row.job.name, "reason": failure_reason(row.record)} for row in result.failed],
        "documents": [_document(row, out_dir) for row in result.rows],
    }


def profile_table(result: BatchResult) -> str:
    """Seconds per stage of every file processed, one tab-separated line each (for `dtpc batch --profile`)."""
    header = ["input", "pages", "seconds", *STAGES, "after_ocr"]
    lines = ["\t".join(header)]
    for row in result.rows:
        if row.status == "skipped" or row.record is None:
            continue
        stages = row.stages.rounded()
        cells = [row.job.name, str(row.record.source.page_count), f"{row.seconds:.2f}",
                 *(f"{stages[stage]:.2f}" if stage in stages else "" for stage in STAGES),
                 f"{row.stages.after_ocr:.2f}"]
        lines.append("\t".join(cells))
    return "\n".join(lines) + "\n"


def write_summary(out_dir: Path, content: dict[str, Any]) -> Path:
    """OUT/batch.json, written atomically."""
    return atomic_write_text(out_dir / SUMMARY_NAME, json.dumps(content, ensure_ascii=False, indent=2))
