"""The Dask executor: the same per-file function on a Dask distributed cluster.

Each task runs `run_file_task` on a worker, which reads the file in a watched child
process exactly as the local executor does (so a crashing file does not take the
worker down) and writes the record to OUT; the client gathers the record JSON as
tasks complete and writes it to OUT too. Inputs and OUT must be at the same paths on
the workers (a shared file system).
"""

from __future__ import annotations

import time
from collections.abc import Generator, Sequence
from threading import Event
from typing import Any

from models import parse_record, record_json
from pipeline.atomic import atomic_write_text
from pipeline.batch.isolate import POLL_S, FileJob, failure, run_file_task
from pipeline.batch.local import Finished
from pipeline.config import Settings


def _client(scheduler: str) -> Any:
    try:
        from distributed import Client
    except ImportError as error:  # pragma: no cover - dask is a dependency
        raise RuntimeError("the dask executor needs dask[distributed]: pip install 'dask[distributed]'") from error
    return Client(scheduler, set_as_default=False, timeout="30s")


def _gathered(job: FileJob, future: Any) -> Finished:
    try:
        text, seconds = future.result()
        record = parse_record(text)
    except Exception as error:  # a lost worker, a cancelled task, an invalid record
        return Finished(job, failure(job.path, f"Dask 任务失败（{type(error).__name__}: {error}）"), 0.0)
    return Finished(job, record, float(seconds))


def run_dask(jobs: Sequence[FileJob], settings: Settings, scheduler: str, stop: Event) -> Generator[Finished]:
    """Each job's record as its task completes on the cluster at `scheduler`; stops when `stop` is set."""
    from distributed import as_completed

    settings_json = settings.model_dump_json()
    with _client(scheduler) as client:
        futures = {
            client.submit(run_file_task, str(job.path), str(job.target), job.name, settings_json,
                          pure=False, key=f"dtpc-file-{index}-{time.time_ns()}"): job
            for index, job in enumerate(jobs)
        }
        completed = as_completed(futures, loop=client.loop)
        try:
            while not completed.is_empty() and not stop.is_set():
                if not completed.has_ready():
                    time.sleep(POLL_S)
                    continue
                for future in completed.next_batch(block=False):
                    finished = _gathered(futures[future], future)
                    atomic_write_text(finished.job.target, record_json(finished.record))
                    yield finished
        finally:
            client.cancel(list(futures))
