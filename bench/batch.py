"""Batch throughput: the local pool against one file at a time, and memory as the batch grows.

    python -m bench.batch [--files 21] [--runs 3] [--sizes 10,40] [--sources a07-digital.pdf,r11-digital.pdf]

The batch is N renamed copies of the corpus's text-layer PDFs (so every output is distinct),
cycled in the order given. After one untimed warm-up (fork server, OCR cache), each run
processes the batch (a) serially: one file at a time, one page worker, and (b) with the local
pool as `dtpc batch` sizes it by default (files at once × page workers = cores); the order
alternates between runs so drifting load from other work cancels. Prints files/minute for
both and the speed-up (a)/(b) as medians of the runs, then the peak resident memory of the
whole process tree (this process, the fork server, every file and page worker; sampled with
psutil every 0.1 s) for the pool on batches of each size, which should stay flat as the
batch grows.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import threading
import time
from pathlib import Path

import psutil

from bench.corpus import CORPUS, median
from pipeline.batch import BatchOptions, available_cores, plan_workers, run_batch
from pipeline.config import Settings

DEFAULT_SOURCES = ("a07-digital.pdf", "r11-digital.pdf", "a02-digital.pdf")


def make_batch(folder: Path, count: int, sources: list[str]) -> Path:
    """`count` copies of the sources, cycled, each under its own name."""
    folder.mkdir(parents=True, exist_ok=True)
    for index in range(count):
        source = CORPUS / sources[index % len(sources)]
        shutil.copy(source, folder / f"{index:03d}-{source.name}")
    return folder


class PeakMemory:
    """Peak resident memory (MB) while active: of this process and all its descendants together
    (`peak_mb`), and of the largest single descendant (`process_mb`)."""

    def __init__(self, every_s: float = 0.1) -> None:
        self.every_s, self.peak_mb, self.process_mb = every_s, 0.0, 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        root = psutil.Process()
        while not self._stop.is_set():
            sizes = []
            for process in [root, *root.children(recursive=True)]:
                try:
                    sizes.append(process.memory_info().rss / 2**20)
                except psutil.Error:
                    continue
            self.peak_mb = max(self.peak_mb, sum(sizes))
            self.process_mb = max([self.process_mb, *sizes[1:]])
            self._stop.wait(self.every_s)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join()


def timed(folder: Path, settings: Settings) -> tuple[float, float]:
    """Seconds for one batch into a fresh output folder, and the peak memory of the process tree."""
    with tempfile.TemporaryDirectory(prefix="dtpc-bench-out-") as out, PeakMemory() as memory:
        started = time.perf_counter()
        result = run_batch(folder, Path(out), settings, BatchOptions(progress=False))
        seconds = time.perf_counter() - started
    if result.failed or result.interrupted:
        raise RuntimeError(f"benchmark batch did not complete: {result.describe()}")
    return seconds, memory.peak_mb


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=21)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--sizes", default="10,40", help="batch sizes for the memory measurement")
    parser.add_argument("--sources", default=",".join(DEFAULT_SOURCES), help="corpus files to copy, cycled")
    args = parser.parse_args()
    sources = args.sources.split(",")
    cores = available_cores()
    files, pages = plan_workers(cores, None, None)
    serial = Settings(file_workers=1, workers=1)
    pool = Settings(file_workers=files, workers=pages)
    with tempfile.TemporaryDirectory(prefix="dtpc-bench-in-") as work:
        batch = make_batch(Path(work) / "batch", args.files, sources)
        timed(make_batch(Path(work) / "warm", len(sources), sources), pool)  # fork server up, caches warm
        serial_s: list[float] = []
        pool_s: list[float] = []
        for run in range(args.runs):
            order = [(serial, serial_s), (pool, pool_s)]
            for settings, times in order if run % 2 == 0 else order[::-1]:
                times.append(timed(batch, settings)[0])
            print(f"run {run + 1}: serial {serial_s[-1]:.1f} s, pool {pool_s[-1]:.1f} s", flush=True)
        a, b = median(serial_s), median(pool_s)
        print(f"{args.files} files ({', '.join(sources)} cycled), {cores} cores, median of {args.runs} runs")
        print(f"serial (1 file at a time, 1 page worker): {args.files / a * 60:.1f} files/min ({a:.1f} s)")
        print(f"pool ({files} files at once x {pages} page worker(s)): {args.files / b * 60:.1f} files/min ({b:.1f} s)")
        print(f"speed-up: {a / b:.2f}x")
        for size in (int(text) for text in args.sizes.split(",")):
            seconds, peak = timed(make_batch(Path(work) / f"size{size}", size, sources), pool)
            print(f"pool, {size} files: peak RSS of the process tree {peak:.0f} MB ({seconds:.1f} s)", flush=True)


if __name__ == "__main__":
    main()
