"""One file in its own process group, under a time limit and a memory cap.

The parent (`FileRun`) starts the child from a fork server that has the pipeline
loaded, then watches it: past `file_timeout_s`, or when the resident memory of the
child and everything it started exceeds `max_worker_memory_mb`, the whole group is
killed. A killed, crashed or failing child costs its file only: the file gets an
INPUT_UNREADABLE record. The child writes its record to a hidden result file; the
parent checks it and renames it over the output, so an output is only ever replaced
by a complete record. Everything the child puts in the temp folder (its page images,
~15 MB a file) lands in a scratch folder the parent made and removes however the
child ended: a killed child cannot clean up after itself.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import multiprocessing.forkserver
import os
import shutil
import signal
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from multiprocessing.connection import wait
from pathlib import Path

import psutil

from models import OutputRecord, parse_record, record_json
from pipeline.atomic import TEMP_SUFFIX, atomic_write_text, remove_temps, temp_prefix
from pipeline.batch.output_paths import display, output_path
from pipeline.config import Settings
from pipeline.core_loan import CoreLoan
from pipeline.errors import InputReason
from pipeline.logs import configure, working_on
from pipeline.timing import StageTimes

log = logging.getLogger(__name__)
POLL_S = 0.2
# How often a file's process tree is measured against the memory cap: walking the machine's process
# table costs ~2 ms (more on a busy machine), five times a second for every file running.
MEMORY_POLL_S = 1.0
# What a file's child process runs to make the file's record: `read_file`, or (tests) a
# picklable stand-in that misbehaves first, so the tests can watch the parent cope.
FileReader = Callable[[Path, Path, Settings, StageTimes], OutputRecord]


def _pipeline_version() -> str:
    try:
        return version("dtpc")
    except PackageNotFoundError:
        return "0+unknown"


PIPELINE_VERSION = _pipeline_version()


@dataclass(frozen=True)
class FileJob:
    """One input and where its record goes; `name` is the input as shown in summaries."""

    path: Path
    target: Path
    name: str

    @classmethod
    def single(cls, path: Path, out_dir: Path) -> FileJob:
        return cls(path, output_path(path, out_dir), display(path.name))


def stamped(record: OutputRecord, path: Path) -> OutputRecord:
    """`record` naming the input as given (not an alias) and the pipeline version that read it."""
    source = record.source.model_copy(update={"file": display(path.name), "pipeline_version": PIPELINE_VERSION})
    return record.model_copy(update={"source": source})


def failure(path: Path, message: str, settings: Settings | None = None,
            reason: InputReason = "crashed") -> OutputRecord:
    from pipeline.runner import unreadable

    return stamped(unreadable(path, message, settings=settings, reason=reason), path)


# --- child side ----------------------------------------------------------------------------


def _watch_parent(parent: int, created: float) -> None:
    """End this process group if the batch process goes away (killed): no orphan keeps running."""

    def watch() -> None:
        while True:
            time.sleep(1.0)
            try:
                alive = psutil.Process(parent).create_time() == created
            except psutil.Error:
                alive = False
            if not alive:
                os.killpg(0, signal.SIGKILL)

    threading.Thread(target=watch, name="dtpc-parent-watch", daemon=True).start()


def read_file(path: Path, target: Path, settings: Settings, times: StageTimes) -> OutputRecord:
    """The record for `path`; read under the output's safe name so evidence lands beside the output."""
    from pipeline.runner import process_file

    safe = target.name.removesuffix(".json")
    if safe == path.name:
        return process_file(path, target.parent, settings, times)
    with tempfile.TemporaryDirectory(prefix="dtpc-name-") as folder:
        alias = Path(folder) / safe
        alias.symlink_to(path.resolve())
        return process_file(alias, target.parent, settings, times)


def stages_path(result: Path) -> Path:
    """Where a file's child leaves its stage timings, beside its result (a temporary file too)."""
    return result.with_name(result.name.replace(".result", ".stages"))


def _use_scratch(scratch: str) -> None:
    """Send this process's temp files, its page workers' and its programs' to `scratch`."""
    tempfile.tempdir = scratch
    os.environ["TMPDIR"] = scratch


def _child(path: str, target: str, result: str, settings_json: str, reader: FileReader,
           parent: tuple[int, float], scratch: str, loan: CoreLoan | None = None) -> None:
    os.setpgrp()  # own group: the parent ends this file's process and everything it starts in one signal
    _use_scratch(scratch)
    _watch_parent(*parent)
    from pipeline.page_pool import PagePool  # preloaded in the fork server: no cost here

    PagePool.lend(loan)
    PagePool.fork_here()  # the fork server preloaded the page reader and its models (`pipeline.batch.preload`)
    settings = Settings.model_validate_json(settings_json)
    configure(settings.log_level)
    if (settings.file_workers or 1) > 1:  # files side by side: one core each for OpenCV, as page workers do
        import cv2

        cv2.setNumThreads(1)
    times = StageTimes()
    with working_on(file=Path(path).name):
        record = reader(Path(path), Path(target), settings, times)
        log.info("done: %s, %d pages, %d findings; %s", record.doc_type, record.source.page_count,
                 len(record.checks), times.describe())
    with times.measure("sinks"):
        atomic_write_text(Path(result), record_json(stamped(record, Path(path))))
    # After the result: a failure here costs the timings, never the record.
    with contextlib.suppress(OSError):
        atomic_write_text(stages_path(Path(result)), times.to_json())


# --- parent side ---------------------------------------------------------------------------


def file_context() -> multiprocessing.context.ForkServerContext:
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["pipeline.batch.preload"])
    return context


def start_file_server() -> None:
    """Start the files' fork server now, without waiting for it: it loads the pipeline
    (`pipeline.batch.preload`, ~2 CPU-s) on a core of its own while this process prepares the batch,
    instead of after, when the first file starts (which then waits only for what is left of it)."""
    file_context()
    multiprocessing.forkserver.ensure_running()


def _parent_identity() -> tuple[int, float]:
    return os.getpid(), psutil.Process().create_time()


def _group_rss_mb(pid: int) -> float:
    """Resident memory of process `pid` and all its descendants, in MB."""
    try:
        root = psutil.Process(pid)
        processes = [root, *root.children(recursive=True)]
    except psutil.Error:
        return 0.0
    total = 0
    for process in processes:
        with contextlib.suppress(psutil.Error):
            total += process.memory_info().rss
    return total / 2**20


def _exit_reason(code: int | None) -> str:
    if code is not None and code < 0:
        with contextlib.suppress(ValueError):
            return f"处理进程被信号 {signal.Signals(-code).name} 终止"
    return f"处理进程异常退出（退出码 {code}）"


class FileRun:
    """One file's child process, watched by the parent; `poll` returns its record once there is one."""

    def __init__(self, job: FileJob, settings: Settings, reader: FileReader = read_file,
                 loan: CoreLoan | None = None) -> None:
        self.job, self.settings, self.reader, self.loan = job, settings, reader, loan
        token = uuid.uuid4().hex[:8]
        self.result = job.target.with_name(f"{temp_prefix(job.target)}{token}.result{TEMP_SUFFIX}")
        self.process: multiprocessing.process.BaseProcess | None = None
        self.scratch: Path | None = None  # the child's temp folder, made at its start, removed at its end
        self.started = 0.0
        self.seconds = 0.0
        self.measured = 0.0  # when the process tree's memory was last measured (`MEMORY_POLL_S`)
        self.stages = StageTimes()  # the child's seconds per stage, once it has finished

    def start(self) -> None:
        self.job.target.parent.mkdir(parents=True, exist_ok=True)
        self.scratch = Path(tempfile.mkdtemp(prefix="dtpc-file-"))
        args = (str(self.job.path), str(self.job.target), str(self.result), self.settings.model_dump_json(),
                self.reader, _parent_identity(), str(self.scratch), self.loan)
        self.process = file_context().Process(target=_child, args=args, name="dtpc-file", daemon=False)
        self.process.start()  # returns once the fork server has forked the child: its time starts now
        self.started = time.monotonic()

    @property
    def sentinel(self) -> int:
        assert self.process is not None
        return self.process.sentinel

    def poll(self) -> OutputRecord | None:
        """The record when the file is done (finished, failed, over time or memory); None while it runs."""
        assert self.process is not None
        self.seconds = time.monotonic() - self.started
        if self.process.exitcode is not None:
            return self._finished()
        if self.seconds > self.settings.file_timeout_s:
            return self._fail(f"处理超时（超过 {self.settings.file_timeout_s:.0f} 秒）", "timeout")
        if self.seconds - self.measured < MEMORY_POLL_S:
            return None
        self.measured = self.seconds
        memory = _group_rss_mb(self.process.pid or 0)
        if memory > self.settings.max_worker_memory_mb:
            return self._fail(f"内存超限（{memory:.0f} MB，上限 {self.settings.max_worker_memory_mb} MB）", "memory")
        return None

    def _finished(self) -> OutputRecord:
        assert self.process is not None
        code = self.process.exitcode
        self._end_group()
        if code != 0 or not self.result.is_file():
            return self._fail(_exit_reason(code))
        try:
            record = parse_record(self.result.read_bytes())
        except (ValueError, OSError) as error:
            return self._fail(f"输出无效：{error}")
        os.replace(self.result, self.job.target)
        self.stages = self._read_stages()
        return record

    def _read_stages(self) -> StageTimes:
        path = stages_path(self.result)
        try:
            return StageTimes.from_json(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            log.warning("%s: no stage timings (%s)", self.job.name, error)
            return StageTimes()
        finally:
            path.unlink(missing_ok=True)

    def _fail(self, message: str, reason: InputReason = "crashed") -> OutputRecord:
        self.abandon()
        record = failure(self.job.path, message, self.settings, reason)
        atomic_write_text(self.job.target, record_json(record))
        return record

    def _end_group(self) -> None:
        if self.process is not None and self.process.pid is not None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self.process.pid, signal.SIGKILL)
            if self.process.exitcode is None:  # killed before it made its own group
                with contextlib.suppress(ProcessLookupError):
                    self.process.kill()
            self.process.join(10)
        if self.scratch is not None:
            shutil.rmtree(self.scratch, ignore_errors=True)

    def abandon(self) -> None:
        """Kill the file's processes and remove what they left half-written; no record."""
        self._end_group()
        self.result.unlink(missing_ok=True)
        stages_path(self.result).unlink(missing_ok=True)
        remove_temps(self.job.target.parent, temp_prefix(self.job.target))
        remove_temps(self.job.target.parent, temp_prefix(self.result))


def run_job(job: FileJob, settings: Settings, reader: FileReader = read_file) -> OutputRecord:
    """One file in a child process, waiting for it; its record is written to `job.target` and returned."""
    run = FileRun(job, settings, reader)
    run.start()
    try:
        while (record := run.poll()) is None:
            wait([run.sentinel], timeout=POLL_S)
    except BaseException:
        run.abandon()
        raise
    return record


def process_isolated(path: Path, out_dir: Path, settings: Settings) -> OutputRecord:
    """Run one file in a child process under `settings.file_timeout_s`; write `out_dir/<name>.json`, return the record."""
    return run_job(FileJob.single(path, out_dir), settings)


def _allow_children() -> None:
    # A Dask worker process is daemonic, and multiprocessing refuses children to daemonic
    # processes. Ours are safe to start: each ends with its time limit, and with this
    # process (the child watches its parent), so none can outlive the worker.
    config = multiprocessing.current_process()._config  # type: ignore[attr-defined]
    config["daemon"] = False


def run_file_task(path: str, target: str, name: str, settings_json: str) -> tuple[str, float]:
    """The per-file function a Dask worker runs: the record JSON (also written to `target`) and seconds taken."""
    _allow_children()
    started = time.monotonic()
    record = run_job(FileJob(Path(path), Path(target), name), Settings.model_validate_json(settings_json))
    return record_json(record), time.monotonic() - started
