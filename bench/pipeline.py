"""The whole `dtpc batch` against a bare Tesseract pass over the same page images, in one run.

    python -m bench.pipeline [--runs 3] [--kinds scanned,mixed,text] [--limit N] [--corpus DIR]
    python -m bench.pipeline --overhead [--sizes 10,40]

What a user waits for is the batch, not page reading alone.  The corpus's packages are
grouped by kind (scanned: every page a scan or an image file; text: every page has a
text layer; mixed: the rest), each kind reported apart.  Per kind, each run times:
  (a) baseline: `tesseract IMG - -l chi_sim` (OMP_THREAD_LIMIT=1, two at a time) over
      every page of those packages as an image at the file's own resolution (bench.page_reading'
      images: a scan's page image as stored; a text-layer page rendered at 150 dpi);
  (b) dtpc: `python -m dtpc.cli batch FOLDER -o OUT` in a fresh process tree (its own
      fork server, models loaded anew), default settings (database and reviewer report
      included), an empty OCR cache.
The order is a, b, a (the two baselines averaged: drifting load from other work cancels).
Printed per kind: the time ratio b/a as the median of the runs, the per-stage split of
dtpc's time from its batch.json (page stages summed over page workers), the stages after
OCR as a share of OCR, and the peak resident memory of any one dtpc process.

`--overhead` measures what the batch costs beyond its files: seconds per file and the
peak memory of the process tree for batches of 10 and 40 copies of a text-layer sample
(fork server start, model loading and the watchdog must not grow with the file count).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from bench.batch import PeakMemory
from bench.corpus import CORPUS, TruthPage, median, truth_pages
from bench.page_reading import baseline, write_native_image
from pipeline.programs import run_program
from pipeline.timing import PAGE_STAGES, StageTimes

KINDS = ("scanned", "mixed", "text")
BATCH_TIMEOUT_S = 4 * 3600.0  # one whole `dtpc batch` run


def package_kind(pages: list[TruthPage]) -> str:
    kinds = {page.kind for page in pages}
    if kinds <= {"scan"}:
        return "scanned"
    if kinds <= {"text"}:
        return "text"
    return "mixed"


def packages(corpus: Path) -> dict[str, list[tuple[Path, list[TruthPage]]]]:
    """The corpus's files with their truth pages, by package kind."""
    by_file: dict[Path, list[TruthPage]] = {}
    for page in truth_pages(corpus):
        by_file.setdefault(page.file, []).append(page)
    grouped: dict[str, list[tuple[Path, list[TruthPage]]]] = {kind: [] for kind in KINDS}
    for path, pages in sorted(by_file.items()):
        grouped[package_kind(pages)].append((path, pages))
    return grouped


@dataclass
class DtpcRun:
    seconds: float
    stages: StageTimes
    process_mb: float
    failed: int


def dtpc_batch(folder: Path, work: Path, code: Path | None = None) -> DtpcRun:
    """`dtpc batch` over `folder` in a fresh process tree with an empty OCR cache (the dtpc in `code` if given)."""
    out, cache = work / "out", work / "cache"
    env = {"DTPC_CACHE": str(cache)}
    if code is not None:  # `python -m` puts the working folder first on the path: run from there
        env["PYTHONPATH"] = str(code)
    command = [sys.executable, "-m", "dtpc.cli", "batch", str(folder), "-o", str(out), "--no-progress"]
    with PeakMemory(every_s=0.2) as memory:
        started = time.perf_counter()
        done = run_program(command, timeout_s=BATCH_TIMEOUT_S, env=env, cwd=code, check=False)
        seconds = time.perf_counter() - started
    if done.returncode not in (0, 1):
        raise RuntimeError(f"dtpc batch failed ({done.returncode}): {done.stderr.decode('utf-8', 'replace')[-2000:]}")
    summary = json.loads((out / "batch.json").read_text(encoding="utf-8"))
    stages = StageTimes.from_json(json.dumps(summary["timings"].get("stages", {})))
    return DtpcRun(seconds, stages, memory.process_mb, int(summary["failed"]))


@dataclass
class KindResult:
    ratios: list[float] = field(default_factory=list)
    bare_s: list[float] = field(default_factory=list)
    dtpc_s: list[float] = field(default_factory=list)
    stages: list[StageTimes] = field(default_factory=list)
    process_mb: float = 0.0


def measure_kind(files: list[tuple[Path, list[TruthPage]]], runs: int, root: Path,
                 report: Callable[[str], None], code: Path | None = None) -> KindResult:
    folder = root / "in"
    folder.mkdir(parents=True)
    images: list[Path] = []
    for path, pages in files:
        shutil.copy(path, folder / path.name)
        images += [write_native_image(page, root)[0] for page in pages]
    result = KindResult()
    for run in range(runs):
        before = baseline(images)
        work = root / f"run-{run}"
        work.mkdir()
        dtpc = dtpc_batch(folder, work, code)
        bare = (before + baseline(images)) / 2
        shutil.rmtree(work, ignore_errors=True)
        result.ratios.append(dtpc.seconds / bare)
        result.bare_s.append(bare)
        result.dtpc_s.append(dtpc.seconds)
        result.stages.append(dtpc.stages)
        result.process_mb = max(result.process_mb, dtpc.process_mb)
        report(f"  run {run + 1}: bare {bare:.1f} s, dtpc {dtpc.seconds:.1f} s, ratio {dtpc.seconds / bare:.2f}, "
               f"load {os.getloadavg()[0]:.1f}{f', {dtpc.failed} files failed' if dtpc.failed else ''}")
    return result


def describe(kind: str, count: int, pages: int, result: KindResult, runs: int) -> str:
    middle = sorted(range(len(result.ratios)), key=lambda i: result.ratios[i])[len(result.ratios) // 2]
    stages = result.stages[middle]
    ocr = stages.seconds.get("ocr", 0.0)
    after = stages.after_ocr
    page_s = sum(seconds for stage, seconds in stages.seconds.items() if stage in PAGE_STAGES)
    share = f"{after / ocr:.0%} of OCR" if ocr > 0 else "no OCR"
    return (f"{kind}: {count} packages, {pages} pages: time ratio dtpc/bare {median(result.ratios):.2f} "
            f"(median of {runs}; runs {', '.join(f'{r:.2f}' for r in result.ratios)}); "
            f"bare {median(result.bare_s):.1f} s, dtpc {median(result.dtpc_s):.1f} s\n"
            f"  stages of the median run (s): {stages.describe()}\n"
            f"  page reading {page_s:.1f} s, after OCR {after:.1f} s = {share}; "
            f"peak RSS of one dtpc process {result.process_mb:.0f} MB")


def overhead(sizes: list[int]) -> None:
    """Seconds per file and peak tree memory of the local pool for batches of each size."""
    from bench.batch import DEFAULT_SOURCES, make_batch, timed
    from pipeline.batch import available_cores, plan_workers
    from pipeline.config import Settings

    files, pages = plan_workers(available_cores(), None, None)
    settings = Settings(file_workers=files, workers=pages)
    sources = list(DEFAULT_SOURCES)
    with tempfile.TemporaryDirectory(prefix="dtpc-bench-overhead-") as work:
        timed(make_batch(Path(work) / "warm", len(sources), sources), settings)  # OCR cache warm
        for size in sizes:
            seconds, peak = timed(make_batch(Path(work) / f"size{size}", size, sources), settings)
            print(f"{size} files ({', '.join(sources)} cycled): {seconds:.1f} s, {seconds / size:.2f} s/file, "
                  f"peak RSS of the process tree {peak:.0f} MB, load {os.getloadavg()[0]:.1f}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--kinds", default=",".join(KINDS), help="package kinds to measure, in order")
    parser.add_argument("--limit", type=int, default=0, help="at most this many packages of each kind (0: all)")
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--overhead", action="store_true", help="batch overhead for --sizes files instead")
    parser.add_argument("--sizes", default="10,40")
    parser.add_argument("--dtpc-path", type=Path, default=None,
                        help="run the dtpc whose source is in this folder (e.g. an older version, for before/after)")
    args = parser.parse_args()
    os.environ["OMP_THREAD_LIMIT"] = "1"
    if args.overhead:
        overhead([int(size) for size in args.sizes.split(",")])
        return
    grouped = packages(args.corpus)
    for kind in args.kinds.split(","):
        files = grouped.get(kind, [])[: args.limit or None]
        if not files:
            print(f"{kind}: no packages in {args.corpus}")
            continue
        pages = sum(len(p) for _, p in files)
        print(f"{kind}: {', '.join(path.name for path, _ in files)} ({pages} pages), "
              f"load {os.getloadavg()[0]:.1f}", flush=True)
        with tempfile.TemporaryDirectory(prefix=f"dtpc-bench-{kind}-") as tmp:
            result = measure_kind(files, args.runs, Path(tmp), lambda line: print(line, flush=True), args.dtpc_path)
        print(describe(kind, len(files), pages, result, args.runs), flush=True)


if __name__ == "__main__":
    main()
