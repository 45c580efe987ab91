"""The background worker: queued packages, taken from the database, through the batch's isolated
per-file machinery (a watched child process per file with its time and memory limits; the local pool,
or a Dask cluster when a scheduler is given).

The queue is the `ws_packages` table, so it survives a restart: on start, a package left
`processing` (the server stopped mid-file) goes back to `queued` and is done again.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Generator
from pathlib import Path

from dtpc.workspace import services
from dtpc.workspace.config import WorkspaceConfig
from dtpc.workspace.db import Database
from models import OutputRecord
from pipeline.batch import FileJob, available_cores
from pipeline.batch.isolate import failure
from pipeline.batch.local import Finished, run_local
from pipeline.config import Settings

log = logging.getLogger(__name__)
IDLE_S = 1.0


class Worker:
    def __init__(self, database: Database, config: WorkspaceConfig, settings: Settings) -> None:
        self.database, self.config = database, config
        self.slots = max(1, config.file_workers or available_cores())
        # Files side by side, one page worker each: the batch's plan for this many files at once.
        self.settings = settings.model_copy(update={"file_workers": self.slots, "workers": 1})
        self.stop = threading.Event()
        self.wake = threading.Event()
        self.threads: list[threading.Thread] = []

    def start(self) -> None:
        with self.database.session() as db:
            if requeued := services.requeue(db):
                log.warning("%d package(s) left mid-processing by the last run are queued again", requeued)
        for number in range(self.slots):
            thread = threading.Thread(target=self._loop, name=f"dtpc-workspace-worker-{number}", daemon=True)
            thread.start()
            self.threads.append(thread)

    def shutdown(self, timeout: float = 30.0) -> None:
        self.stop.set()
        self.wake.set()
        for thread in self.threads:
            thread.join(timeout)

    def _loop(self) -> None:
        while not self.stop.is_set():
            try:
                worked = self._one()
            except Exception:  # a database hiccup: logged, the loop goes on (the package stays queued or is requeued)
                log.exception("workspace worker")
                worked = False
            if not worked:
                self.wake.wait(IDLE_S)
                self.wake.clear()

    def _one(self) -> bool:
        with self.database.session() as db:
            package = services.claim_next(db)
            if package is None:
                return False
            sha256, stored_as, name = package.sha256, package.stored_as, package.file_name
        log.info("processing %s (%s)", name, sha256[:12])
        record = self._process(sha256, self.config.data / stored_as, name)
        with self.database.session() as db:
            if record is None:  # stopped mid-file: back to the queue for the next start
                services.requeue(db, sha256)
            else:
                services.finish(db, sha256, record)
        return True

    def _process(self, sha256: str, path: Path, name: str) -> OutputRecord | None:
        target = self.config.package_folder(sha256) / f"{path.name}.json"
        job = FileJob(path, target, name)
        try:
            for finished in self._run(job):
                return finished.record
        except Exception as error:  # the executor itself failed (a lost Dask scheduler): the file fails, the server goes on
            log.exception("processing %s failed", name)
            return failure(path, f"{type(error).__name__}: {error}", self.settings)
        return None

    def _run(self, job: FileJob) -> Generator[Finished]:
        if self.config.scheduler:
            from pipeline.batch.dask_executor import run_dask

            return run_dask([job], self.settings, self.config.scheduler, self.stop)
        return run_local([job], self.settings, 1, self.stop)
