"""A pool of long-lived page workers, each running one page at a time under a hard time limit.

The reading stage (`pipeline.reading`) hands it `PageJob`s and the function that reads one;
the pool knows nothing of pages beyond a job's number and where to log it.

In a batch, a file that ends while no other file is left to take its core lends that core
(`CoreLoan`) to the files still reading: a pool whose pages wait borrows it for one more
worker and gives it back once its pages are read, so the last files of a batch are read on
every core instead of one core idling beside them.

Workers come from a fork server that loads the page reader, unless the process already holds
the reader and its models (a batch's file process, forked from the batch's warm fork server:
`fork_here`); then they are forked from the process itself and start reading at once.
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import multiprocessing
import time
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import TYPE_CHECKING, ClassVar

import cv2

from pipeline.core_loan import CoreLoan
from pipeline.logs import configure, working_on

if TYPE_CHECKING:
    from pipeline.reading import PageJob, PageResult

log = logging.getLogger(__name__)


def _serve(conn: Connection, work: Callable[[PageJob], PageResult]) -> None:
    """Worker loop: one job in, one result out, until told to stop (None) or the pipe closes."""
    cv2.setNumThreads(1)  # one core per worker: OpenCV's own thread pool would fight the other workers
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        configure(job.settings.log_level)
        with working_on(file=job.source.path.name, page=job.number):
            started = time.monotonic()
            result = work(job)
            log.info("read in %.2f s: %d words, rotation %d, skew %.2f°%s", time.monotonic() - started,
                     len(result.words), result.rotation, result.skew_deg, f", error: {result.error}"
                     if getattr(result, "error", None) else "")
            conn.send(result)


@contextlib.contextmanager
def _without_opencv_threads() -> Iterator[None]:
    """OpenCV's thread pool stopped while this process forks a worker: a child forked beside the pool's
    threads inherits the pool's state but not its threads, and could hang in its first call that
    reconfigures the pool (`_serve`'s `cv2.setNumThreads`)."""
    threads = cv2.getNumThreads()
    cv2.setNumThreads(1)
    try:
        yield
    finally:
        cv2.setNumThreads(threads)


# How often a pool whose pages wait looks for a lent core (seconds).
LOAN_POLL_S = 0.5
# A lent core is taken for at least this many waiting pages: a new worker loads its models first
# (about a page's time), which one page alone does not repay.
LOAN_MIN_PAGES = 2


@dataclass
class _Worker:
    process: multiprocessing.process.BaseProcess
    conn: Connection
    job: PageJob | None = None
    started: float = 0.0


class PagePool:
    """Long-lived worker processes that each run one page at a time, with a hard time limit.

    Not concurrent.futures: a hung page must be killed on its own (its worker is replaced)
    without losing the other pages, which needs to know which worker runs which page since when.
    """

    _shared: ClassVar[PagePool | None] = None
    # The batch's lent cores, when this process reads a file of a batch (`lend`).
    loan: ClassVar[CoreLoan | None] = None
    # Whether workers are forked from this process (`fork_here`) rather than from a fork server.
    forked_here: ClassVar[bool] = False

    def __init__(self, size: int) -> None:
        self.size = size
        self.context: multiprocessing.context.ForkContext | multiprocessing.context.ForkServerContext
        if self.forked_here:
            self.context = multiprocessing.get_context("fork")
        else:
            server = multiprocessing.get_context("forkserver")
            server.set_forkserver_preload(["pipeline.reading"])  # the page reader and its models
            self.context = server
        self.workers: list[_Worker] = []
        self.borrowed = 0  # cores borrowed from `loan` for the run going on

    @classmethod
    def lend(cls, loan: CoreLoan | None) -> None:
        """Let this process's pools borrow the cores of `loan` (None: no lending)."""
        cls.loan = loan

    @classmethod
    def fork_here(cls) -> None:
        """Start this process's page workers by forking it, for a process that already holds the page
        reader and its models and runs no other thread that a worker needs (a batch's file process:
        only its parent watch sleeps beside it while pages are read; the tables' thread starts after).

        A fork server of its own would cost every file ~0.5 CPU-s importing the reader before its first
        page, and each worker ~0.45 CPU-s loading the models again; a fork costs milliseconds, and the
        worker shares the loaded models' memory with the file's process until either writes to it.
        """
        cls.forked_here = True

    @classmethod
    def shared(cls, size: int) -> PagePool:
        """One pool per process, reused across files so models stay loaded."""
        if cls._shared is None or cls._shared.size != size:
            if cls._shared is not None:
                cls._shared.close()
            cls._shared = cls(size)
            atexit.register(cls._shared.close)
        return cls._shared

    def _start(self, work: Callable[[PageJob], PageResult]) -> _Worker:
        parent, child = self.context.Pipe()
        process = self.context.Process(target=_serve, args=(child, work), daemon=True)
        with _without_opencv_threads() if self.forked_here else contextlib.nullcontext():
            process.start()
        child.close()
        worker = _Worker(process, parent)
        self.workers.append(worker)
        return worker

    def _retire(self, worker: _Worker) -> None:
        if worker.process.is_alive():
            worker.process.kill()
        worker.process.join(timeout=5)
        worker.conn.close()
        self.workers.remove(worker)

    def run(
        self,
        jobs: list[PageJob],
        work: Callable[[PageJob], PageResult],
        page_timeout_s: float,
        file_timeout_s: float,
        failed: Callable[[PageJob, str], PageResult],
    ) -> dict[int, PageResult]:
        try:
            return self._run(deque(jobs), work, page_timeout_s, file_timeout_s, failed)
        finally:
            self._give_back()

    def _run(
        self,
        pending: deque[PageJob],
        work: Callable[[PageJob], PageResult],
        page_timeout_s: float,
        file_timeout_s: float,
        failed: Callable[[PageJob, str], PageResult],
    ) -> dict[int, PageResult]:
        results: dict[int, PageResult] = {}
        file_deadline = time.monotonic() + file_timeout_s
        while pending or any(w.job for w in self.workers):
            self._dispatch(pending, work)
            if self._borrow(pending):
                self._dispatch(pending, work)
            busy = [w for w in self.workers if w.job is not None]
            now = time.monotonic()
            next_deadline = min([w.started + page_timeout_s for w in busy] + [file_deadline])
            if len(pending) >= LOAN_MIN_PAGES and self.loan is not None:
                next_deadline = min(next_deadline, now + LOAN_POLL_S)
            for conn in wait([w.conn for w in busy], timeout=max(0.0, next_deadline - now)):
                worker = next(w for w in busy if w.conn is conn)
                self._collect(worker, results, failed)
            now = time.monotonic()
            for worker in [w for w in self.workers if w.job is not None and now - w.started > page_timeout_s]:
                assert worker.job is not None
                results[worker.job.number] = failed(worker.job, f"page took longer than {page_timeout_s:g} s")
                self._retire(worker)
            if now > file_deadline:
                for worker in [w for w in self.workers if w.job is not None]:
                    assert worker.job is not None
                    results[worker.job.number] = failed(worker.job, f"file took longer than {file_timeout_s:g} s")
                    self._retire(worker)
                while pending:
                    job = pending.popleft()
                    results[job.number] = failed(job, f"file took longer than {file_timeout_s:g} s")
        return results

    def _borrow(self, pending: deque[PageJob]) -> bool:
        """One more worker's core from the batch's loan, while pages wait and every worker is busy."""
        if self.loan is None or len(pending) < LOAN_MIN_PAGES or len(self.workers) < self.size + self.borrowed:
            return False
        if any(w.job is None for w in self.workers) or not self.loan.borrow():
            return False
        self.borrowed += 1
        log.info("a core lent by the batch: %d page workers", self.size + self.borrowed)
        return True

    def _give_back(self) -> None:
        """Stop the workers beyond the pool's size and give their cores back to the batch."""
        extra = len(self.workers) - self.size
        for worker in [w for w in self.workers if w.job is None][: max(0, extra)]:
            with contextlib.suppress(OSError, ValueError):
                worker.conn.send(None)
            worker.process.join(timeout=2)
            self._retire(worker)
        if self.borrowed and self.loan is not None:
            self.loan.give_back(self.borrowed)
        self.borrowed = 0

    def _dispatch(self, pending: deque[PageJob], work: Callable[[PageJob], PageResult]) -> None:
        while pending:
            idle = next((w for w in self.workers if w.job is None and w.process.is_alive()), None)
            if idle is None and len(self.workers) < self.size + self.borrowed:
                idle = self._start(work)
            if idle is None:
                return
            job = pending.popleft()
            try:
                idle.conn.send(job)
            except (OSError, ValueError):
                pending.appendleft(job)
                self._retire(idle)
                continue
            idle.job, idle.started = job, time.monotonic()

    def _collect(
        self, worker: _Worker, results: dict[int, PageResult], failed: Callable[[PageJob, str], PageResult]
    ) -> None:
        job = worker.job
        assert job is not None
        try:
            results[job.number] = worker.conn.recv()
            worker.job = None
        except (EOFError, OSError):
            worker.process.join(timeout=5)
            code = worker.process.exitcode
            results[job.number] = failed(job, f"page worker died (exit code {code})")
            self._retire(worker)

    def close(self) -> None:
        """Ask idle workers to stop, give them a moment, then kill whatever is left."""
        for worker in self.workers:
            if worker.job is None:
                with contextlib.suppress(OSError, ValueError):
                    worker.conn.send(None)
        for worker in list(self.workers):
            worker.process.join(timeout=2)
            self._retire(worker)
