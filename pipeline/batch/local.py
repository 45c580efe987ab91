"""The local executor: up to N files at once, each in its own watched child process."""

from __future__ import annotations

from collections import deque
from collections.abc import Generator, Sequence
from dataclasses import dataclass, field
from multiprocessing.connection import wait
from threading import Event

from models import OutputRecord
from pipeline.batch.isolate import POLL_S, FileJob, FileReader, FileRun, file_context, read_file
from pipeline.config import Settings
from pipeline.core_loan import CoreLoan
from pipeline.timing import StageTimes


@dataclass(frozen=True)
class Finished:
    """A file's outcome as an executor reports it."""

    job: FileJob
    record: OutputRecord
    seconds: float
    stages: StageTimes = field(default_factory=StageTimes)


def run_local(jobs: Sequence[FileJob], settings: Settings, slots: int, stop: Event,
              reader: FileReader = read_file) -> Generator[Finished]:
    """Each job's record as it finishes (made by `reader` in each file's process); stops starting files once
    `stop` is set and kills the running ones.

    A file that ends when no file is left to take its slot lends its core to the files still reading
    (`CoreLoan`: their page pools borrow it for one more worker while their pages wait).
    """
    pending = deque(jobs)
    running: list[FileRun] = []
    loan = CoreLoan(file_context())
    try:
        while (pending or running) and not stop.is_set():
            while pending and len(running) < max(1, slots):
                run = FileRun(pending.popleft(), settings, reader, loan)
                run.start()
                running.append(run)
            wait([run.sentinel for run in running], timeout=POLL_S)
            for run in list(running):
                if stop.is_set():
                    break
                record = run.poll()
                if record is not None:
                    running.remove(run)
                    if not pending and running:
                        loan.give_back(settings.workers)
                    yield Finished(run.job, record, run.seconds, run.stages)
    finally:
        for run in running:
            run.abandon()

