"""Accuracy measurements on the sample corpus (the figures in docs/reading.md).

    python -m bench.evaluate orientation [--limit N]   ours vs Tesseract OSD: accuracy, s/page
    python -m bench.evaluate engines [--limit N] [--engine E] [--dpi D] [--unfused]
                                                       CER and s/page per engine, language, dpi, models
    python -m bench.evaluate roles                     page roles, rotation and skew vs truth
    python -m bench.evaluate steps [--limit N] [--engine E] [--dpi D] [--unfused] [--det D] [--rec R]
                                                       CPU seconds per step of the page stage

Scanned pages come from `samples/corpus` (`*.truth.json` beside each file).
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import cv2

from bench.corpus import (
    CORPUS,
    bag_error,
    cer,
    document_for,
    median,
    page_source,
    scanned_pages,
    truth_files,
    truth_pages,
)
from pipeline.config import Settings
from pipeline.ingest import load_pixels
from pipeline.ocr import get_engine
from pipeline.ocr.orient import Orientation, detect_orientation, shrink
from pipeline.preprocess import flatten, to_grey
from pipeline.reading import PageJob, process_page, read_document


def orientation(limit: int | None, corpus: Path) -> None:
    pages = [p for p in truth_pages(corpus) if p.kind == "scan" and p.role != "blank"]
    if limit and len(pages) > limit:
        # Every turned page, and upright ones spread over the corpus to fill the limit.
        turned = [p for p in pages if p.rotation]
        upright = [p for p in pages if not p.rotation]
        step = len(upright) / max(1, limit - len(turned))
        pages = turned + [upright[int(i * step)] for i in range(max(0, limit - len(turned)))]
    right = {"own": 0, "osd": 0}
    seconds: dict[str, list[float]] = {"own": [], "osd": []}
    tesseract = get_engine(Settings(cache_dir=None), "tesseract")
    for page in pages:
        grey = to_grey(load_pixels(page_source(page, 200)))
        started = time.perf_counter()
        own = detect_orientation(flatten(shrink(grey, 1400)[0]))
        seconds["own"].append(time.perf_counter() - started)
        started = time.perf_counter()
        osd = tesseract.orientation(grey) or Orientation(0, 0.0)
        seconds["osd"].append(time.perf_counter() - started)
        right["own"] += own.rotation == page.rotation
        right["osd"] += osd.rotation == page.rotation
        if own.rotation != page.rotation or osd.rotation != page.rotation:
            print(f"  {page.file.name} p{page.number}: truth {page.rotation}, own {own.rotation}, osd {osd.rotation}")
    rotated = sum(p.rotation != 0 for p in pages)
    print(f"orientation on {len(pages)} scanned pages ({rotated} turned):")
    for name in ("own", "osd"):
        print(f"  {name:4s} right {right[name]}/{len(pages)}  median {median(seconds[name]):.3f} s/page")


@dataclass(frozen=True)
class EngineConfig:
    engine: str
    lang: str
    dpi: int
    reread: bool = False
    fused: bool = True
    det: str = "ppocrv4"  # RapidOCR's models (also the re-reading engine's)
    rec: str = "ppocrv4"

    @property
    def label(self) -> str:
        name = f"{self.engine}/{self.lang}" if self.engine == "tesseract" else f"{self.engine} {self.det}/{self.rec}"
        return name + (" + rapidocr re-read < 0.9" if self.reread else "") + ("" if self.fused else " (unfused)")


CONFIGS = (
    EngineConfig("tesseract", "chi_sim", 200),
    EngineConfig("tesseract", "chi_sim", 200, reread=True),
    EngineConfig("tesseract", "chi_sim+eng", 200),
    EngineConfig("tesseract", "chi_sim", 150),
    EngineConfig("tesseract", "chi_sim", 300),
    EngineConfig("rapidocr", "", 150),
    EngineConfig("rapidocr", "", 200),
    EngineConfig("rapidocr", "", 150, det="ppocrv6-tiny", rec="ppocrv6-tiny"),
    EngineConfig("rapidocr", "", 150, det="ppocrv6-small", rec="ppocrv6-tiny"),
)


def _one_page(args: tuple[EngineConfig, Path, int, str, str]) -> tuple[float, float, float]:
    config, file, number, text, workdir = args
    settings = Settings(
        engine=config.engine,
        tesseract_lang=config.lang or "chi_sim",
        dpi=config.dpi,
        cache_dir=None,
        reread_engine="rapidocr" if config.reread else "none",
        rapid_fused=config.fused,
        rapid_det=config.det,
        rapid_rec=config.rec,
    )
    from bench.corpus import TruthPage  # imported here: this runs in a pool worker

    page = TruthPage(file, number, "scan", "", 0, 0.0, text)
    job = PageJob(number, page_source(page, config.dpi), Path(workdir), settings)
    result = process_page(job)
    read = "".join(w.text for w in result.words)
    return cer(read, text), bag_error(read, text), result.seconds


def engines(limit: int | None, corpus: Path, configs: tuple[EngineConfig, ...] = CONFIGS) -> None:
    pages = scanned_pages(corpus, limit)
    print(f"engines on {len(pages)} scanned pages, 2 processes, OMP_THREAD_LIMIT=1; s/page includes clean-up")
    print("| engine | dpi | CER median | CER mean | order-free error mean | s/page median |")
    print("|---|---|---|---|---|---|")
    context = multiprocessing.get_context("forkserver")
    with tempfile.TemporaryDirectory(prefix="dtpc-eval-") as workdir, context.Pool(2) as pool:
        for config in configs:
            jobs = [(config, p.file, p.number, p.text, workdir) for p in pages]
            rows = pool.map(_one_page, jobs)
            errors = [r[0] for r in rows]
            bags = [r[1] for r in rows]
            seconds = [r[2] for r in rows]
            mean, bag = sum(errors) / len(errors), sum(bags) / len(bags)
            print(f"| {config.label} | {config.dpi} | {median(errors):.3f} | {mean:.3f} | {bag:.3f} | {median(seconds):.2f} |",
                  flush=True)


def roles(corpus: Path, settings: Settings) -> None:
    total = right = rot_right = scanned = 0
    skew_errors: list[float] = []
    with tempfile.TemporaryDirectory(prefix="dtpc-roles-") as workdir:
        for truth_path in truth_files(corpus):
            path = document_for(truth_path)
            started = time.perf_counter()
            document = read_document(path, settings, Path(workdir) / path.stem)
            elapsed = time.perf_counter() - started
            truth = [p for p in truth_pages(corpus) if p.file == path]
            wrong = []
            for page, expected in zip(document.pages, truth, strict=False):
                total += 1
                right += page.role == expected.role
                if page.role != expected.role:
                    wrong.append(f"p{page.number} {expected.role}->{page.role}")
                if expected.kind == "scan":
                    scanned += 1
                    rot_right += page.rotation == expected.rotation
                    if expected.role != "blank":
                        skew_errors.append(abs(page.skew_deg - expected.skew_deg))
            error = f" ERROR {document.error}" if document.error else ""
            print(f"  {path.name}: {len(document.pages)} pages in {elapsed:.1f} s{error} {' '.join(wrong)}", flush=True)
    print(f"roles right {right}/{total} ({right / max(1, total):.1%}); rotation right {rot_right}/{scanned} scanned pages")
    if skew_errors:
        print(f"skew |error| median {median(skew_errors):.2f} deg, max {max(skew_errors):.2f} deg")


STEPS: tuple[tuple[str, str, str], ...] = (
    # (module, attribute, label): wrapped in-process to time each step without the steps it calls
    ("pipeline.reading", "load_pixels", "render / decode"),
    ("pipeline.preprocess", "is_colour_page", "colour check"),
    ("pipeline.preprocess", "detect_orientation", "orientation: our detector"),
    ("pipeline.ocr.orient", "upside_down_vote", "orientation: PP-OCR classifier vote"),
    ("pipeline.preprocess", "estimate_skew", "deskew: estimate"),
    ("pipeline.preprocess", "deskew", "deskew: turn"),
    ("pipeline.preprocess", "red_ink", "red ink"),
    ("pipeline.preprocess", "print_layer", "contrast (flattening)"),
    ("pipeline.preprocess", "ink_stats", "blank check"),
    ("pipeline.preprocess", "find_rules", "rules"),
    ("pipeline.preprocess", "clean_page", "clean-up, rest"),
    ("pipeline.reading", "_store_images", "writing page images"),
    ("rapidocr_onnxruntime.ch_ppocr_det:TextDetector", "__call__", "text detection"),
    ("rapidocr_onnxruntime.ch_ppocr_rec:TextRecognizer", "__call__", "recognition"),
    ("pipeline.ocr.rapid:RapidOcrEngine", "_recognise_line", "recognition"),
    ("rapidocr_onnxruntime.cal_rec_boxes:CalRecBoxes", "__call__", "word boxes"),
    ("pipeline.ocr.base", "join_lines", "joining"),
    ("pipeline.reading", "reread", "re-read by the second engine"),
    ("pipeline.reading", "process_page", "glue"),
)


def steps(
    limit: int | None, corpus: Path, engine: str | None, dpi: int | None, fused: bool = True, models: dict[str, str] | None = None
) -> None:
    """CPU seconds (this process, plus Tesseract's processes) per step of `process_page`.

    CPU time, not wall time: on a shared machine wall seconds mostly measure the others.
    """
    import importlib
    import resource
    from collections import defaultdict
    from collections.abc import Callable
    from typing import Any

    spent: dict[str, float] = defaultdict(float)
    stack: list[float] = []

    def timed(function: Callable[..., Any], label: str) -> Callable[..., Any]:
        def inner(*args: Any, **kwargs: Any) -> Any:
            started = time.process_time()
            stack.append(0.0)
            try:
                return function(*args, **kwargs)
            finally:
                elapsed = time.process_time() - started
                spent[label] += elapsed - stack.pop()
                if stack:
                    stack[-1] += elapsed

        return inner

    for target, attribute, label in STEPS:
        module_name, _, class_name = target.partition(":")
        owner: Any = importlib.import_module(module_name)
        owner = getattr(owner, class_name) if class_name else owner
        if hasattr(owner, attribute):
            setattr(owner, attribute, timed(getattr(owner, attribute), label))
    import pipeline.reading as stage

    changes: dict[str, Any] = {"cache_dir": None, "rapid_fused": fused, **(models or {})}
    if engine:
        changes["engine"] = engine
    if dpi:
        changes["dpi"] = dpi
    settings = Settings(**changes)
    pages = scanned_pages(corpus, limit)
    with tempfile.TemporaryDirectory(prefix="dtpc-steps-") as workdir:
        stage.process_page(PageJob(1, page_source(pages[0], settings.dpi), Path(workdir), settings))  # load models
        spent.clear()
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.process_time()
        for page in pages:
            stage.process_page(PageJob(page.number, page_source(page, settings.dpi), Path(workdir), settings))
        total = time.process_time() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    child = after.ru_utime + after.ru_stime - children.ru_utime - children.ru_stime
    if child > 0:
        spent["Tesseract (its processes)"] += child
    fusing = "" if settings.rapid_fused else " (unfused)"
    print(f"{settings.engine}{fusing} (det {settings.rapid_det}, rec {settings.rapid_rec}) at {settings.dpi} dpi, {len(pages)} scanned pages, CPU s/page (load {os.getloadavg()[0]:.1f}):")
    for label, seconds in sorted(spent.items(), key=lambda item: -item[1]):
        print(f"  {label:38s} {seconds / len(pages):6.3f}")
    print(f"  {'total':38s} {(total + child) / len(pages):6.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("what", choices=("orientation", "engines", "roles", "steps"))
    parser.add_argument("--limit", type=int, default=None, help="at most this many scanned pages")
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--engine", default=None, help="roles, steps: OCR engine to use")
    parser.add_argument("--dpi", type=int, default=None, help="steps: dpi to read at (default: Settings.dpi); engines: only this dpi")
    parser.add_argument("--unfused", action="store_true", help="engines, steps: RapidOCR's float models as shipped")
    parser.add_argument("--det", default=None, help="steps: RapidOCR detector (Settings.rapid_det)")
    parser.add_argument("--rec", default=None, help="steps: RapidOCR recogniser (Settings.rapid_rec)")
    args = parser.parse_args()
    cv2.setNumThreads(1)
    if args.what == "orientation":
        orientation(args.limit, args.corpus)
    elif args.what == "engines":
        configs = tuple(
            EngineConfig(c.engine, c.lang, c.dpi, c.reread, fused=not args.unfused, det=c.det, rec=c.rec)
            for c in CONFIGS
            if (args.engine is None or c.engine == args.engine) and (args.dpi is None or c.dpi == args.dpi)
        )
        engines(args.limit, args.corpus, configs)
    elif args.what == "steps":
        models = {k: v for k, v in (("rapid_det", args.det), ("rapid_rec", args.rec)) if v}
        steps(args.limit if args.limit is not None else 12, args.corpus, args.engine, args.dpi, not args.unfused, models)
    else:
        settings = Settings(workers=2) if args.engine is None else Settings(workers=2, engine=args.engine)
        roles(args.corpus, settings)


if __name__ == "__main__":
    main()
