"""What page flattening costs beside the OCR of the page it flattens (target: at most 10%).

    python -m bench.flatten [--pages N] [--runs 3] [--corpus DIR] [--engine E]

Pages: the corpus's scanned pages (`--pages` of them spread over it; flattening leaves these
untouched but must still look) and pages made here with known geometry from `bench.synth`:
a photographed page (homography onto a desk, uneven light), a book-scanner curl and both
turned sideways.  Each page runs through `process_page` (the page stage dtpc uses: flattening,
clean-up, OCR, re-read; OCR cache off) in this process, with CPU time (this process and its
children, e.g. Tesseract) taken inside `flatten_page` and inside OCR (`OcrEngine.read_region`).
Per page the median over `--runs`; printed per page and as the median and worst ratio.
"""

from __future__ import annotations

import argparse
import os
import resource
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import cv2
import numpy as np
from PIL import Image

import pipeline.reading as stage
from bench.corpus import CORPUS, median
from bench.page_reading import scanned_bench_pages
from bench.synth import BASIC_INFO_TABLE, book_scan, draw_page, photograph
from pipeline.config import Settings
from pipeline.ingest import PageSource, sniff
from pipeline.ocr.base import OcrEngine


def cpu_seconds() -> float:
    """CPU seconds of this process and its finished children."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


@contextmanager
def timed(owner: Any, attribute: str, spent: dict[str, float], label: str) -> Iterator[None]:
    """CPU seconds inside `owner.attribute` added to `spent[label]` while the block runs."""
    original: Callable[..., Any] = getattr(owner, attribute)

    def inner(*args: Any, **kwargs: Any) -> Any:
        started = cpu_seconds()
        try:
            return original(*args, **kwargs)
        finally:
            spent[label] += cpu_seconds() - started

    setattr(owner, attribute, inner)
    try:
        yield
    finally:
        setattr(owner, attribute, original)


def synthetic_pages(directory: Path, dpi: int) -> list[tuple[str, PageSource]]:
    """Photographed and curled pages (PNG files at `dpi`), upright and sideways."""
    page = np.asarray(draw_page(dpi, table=BASIC_INFO_TABLE * 4).image)
    height, width = page.shape[:2]
    desk = (round(width * 1.25), round(height * 1.2))
    corners = np.array([[0.16, 0.09], [0.88, 0.12], [0.92, 0.92], [0.12, 0.89]]) * np.array(desk)
    made = {
        "photo": photograph(page, corners, desk, light=0.4),
        "curl": book_scan(page, depth_px=0.03 * width),
    }
    made["curl sideways"] = np.ascontiguousarray(np.rot90(made["curl"]))
    pages = []
    for name, pixels in made.items():
        path = directory / f"{name.replace(' ', '-')}.png"
        Image.fromarray(pixels).save(path, dpi=(dpi, dpi), compress_level=1)
        pages.append((f"synthetic {name}", PageSource(path, "image", 0, float(dpi))))
    return pages


def measure(label: str, source: PageSource, settings: Settings, workdir: Path, runs: int) -> tuple[float, float, str]:
    """Median CPU seconds of flattening and of OCR over `runs` runs of the page stage, and what flattening did."""
    flat, ocr, done = [], [], ""
    for run in range(runs):
        spent: dict[str, float] = defaultdict(float)
        with timed(stage, "flatten_page", spent, "flatten"), timed(OcrEngine, "read_region", spent, "ocr"):
            result = stage.process_page(stage.PageJob(run + 1, source, workdir, settings))
        if result.error:
            raise SystemExit(f"{label}: {result.error}")
        flat.append(spent["flatten"])
        ocr.append(spent["ocr"])
        record = result.flattening
        if record is not None:
            done = ", ".join(
                name for name, on in (("quad", record.quad), ("light", record.illumination), ("dewarp", record.dewarped)) if on
            ) or "untouched"
    return median(flat), median(ocr), done


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=8, help="scanned corpus pages (spread over it)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--engine", choices=("tesseract", "rapidocr"), default=None, help="default: Settings.engine")
    args = parser.parse_args()
    os.environ["OMP_THREAD_LIMIT"] = "1"
    cv2.setNumThreads(1)
    changes: dict[str, object] = {"cache_dir": None, "workers": 1}
    if args.engine:
        changes["engine"] = args.engine
    settings = Settings(**changes)
    with tempfile.TemporaryDirectory(prefix="dtpc-bench-flatten-") as tmp:
        root = Path(tmp)
        pages = [
            (f"{p.file.name} p{p.number}", PageSource(p.file, sniff(p.file), p.number - 1, float(settings.dpi)))
            for p in scanned_bench_pages(args.corpus, args.pages)
            if p.role != "blank"
        ]
        pages += synthetic_pages(root, settings.dpi)
        stage.process_page(stage.PageJob(0, pages[0][1], root, settings))  # models loaded before timing
        print(f"{len(pages)} pages at {settings.dpi} dpi, engine {settings.engine}, CPU s (median of {args.runs} runs),"
              f" load {os.getloadavg()[0]:.1f}")
        print(f"  {'page':34s} {'flatten':>8s} {'ocr':>8s} {'ratio':>7s}  done")
        ratios = []
        for label, source in pages:
            flat, ocr, done = measure(label, source, settings, root, args.runs)
            ratios.append(flat / max(ocr, 1e-9))
            print(f"  {label:34s} {flat:8.3f} {ocr:8.3f} {ratios[-1]:7.1%}  {done}", flush=True)
    print(f"flattening / OCR: median {median(ratios):.1%}, worst {max(ratios):.1%} (target <= 10%)")


if __name__ == "__main__":
    main()
