"""Page-reading speed against bare Tesseract, in one process tree and one run.

    python -m bench.page_reading [--pages N] [--runs 3] [--corpus DIR] [--unfused]

On the corpus's scanned pages, each written once (not timed) to a PNG at the scan's own
resolution, i.e. the image the file holds (150 or 200 dpi in the corpus; a PDF page is
rendered at the dpi of its page image, an image file's frame is taken as stored):
  (a) baseline: `tesseract IMG - -l chi_sim` with OMP_THREAD_LIMIT=1, two at a time;
  (b) dtpc: the page stage (decode, resampling to `Settings.dpi` as ingest does for a scan
      above it, orientation, deskew, flattening, red-ink split, rule removal, OCR, page
      images written) on the same PNGs, two worker processes, OCR cache cold.
Both sides get the same pixels; what dtpc does with them (reading at 150 dpi) is its own
business and its own cost.  (Before, both got PNGs rendered at `Settings.dpi`: bare
Tesseract then read the 200-dpi scans reduced to 150 dpi, fewer pixels than the files hold.)
Each run times a, b, b, a (drifting load from other work cancels) and averages each side.
Prints pages/s for both and the time ratio (b)/(a) (below 1.0: dtpc is faster) as the
median of the runs, the peak RSS of a dtpc worker (and of a bare Tesseract), and the
text-layer pages/s of `read_document` on the corpus's digital PDFs.
"""

from __future__ import annotations

import argparse
import os
import resource
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import get_args

import pypdfium2 as pdfium
from PIL import Image

from bench.corpus import CORPUS, TruthPage, median, page_source, truth_pages
from pipeline.config import DetName, RecName, Settings
from pipeline.ingest import PageSource, load_pixels, sniff
from pipeline.page_pool import PagePool
from pipeline.programs import run_program
from pipeline.reading import PageJob, PageResult, process_page, read_document

WORKERS = 2
BARE_TIMEOUT_S = 600.0  # one bare Tesseract pass over one page image


def _failed(job: PageJob, reason: str) -> PageResult:
    return PageResult(number=job.number, error=reason)


def native_dpi(page: TruthPage) -> float:
    """The resolution of the scan as the file holds it: a PDF page's largest image (pixels per
    inch of the page), or an image file's stated dpi (else its long side taken as A4's)."""
    if sniff(page.file) != "pdf":
        with Image.open(page.file) as image:
            image.seek(page.number - 1)
            from pipeline.ingest import image_dpi

            return image_dpi(image, *image.size)
    document = pdfium.PdfDocument(page.file)
    try:
        pdf_page = document[page.number - 1]
        images = [
            (obj.get_bounds(), obj.get_px_size()[0])
            for obj in pdf_page.get_objects()
            if obj.type == pdfium.raw.FPDF_PAGEOBJ_IMAGE
        ]
    finally:
        document.close()
    if not images:
        return 150.0
    (x0, _, x1, _), width_px = max(images, key=lambda i: (i[0][2] - i[0][0]) * (i[0][3] - i[0][1]))
    return float(round(width_px / max(1e-3, (x1 - x0) / 72.0)))


def write_native_image(page: TruthPage, directory: Path) -> tuple[Path, float]:
    """The stored page as a PNG at its own resolution (dpi recorded in the file), and that dpi."""
    dpi = native_dpi(page)
    pixels = load_pixels(page_source(page, dpi))
    target = directory / f"{page.file.stem}-p{page.number:03d}.png"
    Image.fromarray(pixels).save(target, dpi=(dpi, dpi), compress_level=1)
    return target, dpi


def used_dpi(page: TruthPage, native: float, dpi: int) -> float:
    """The dpi ingest reads a scanned page at: a PDF page is rendered at `dpi`; an image file is
    used as stored unless finer than `dpi` (then at `dpi`)."""
    if sniff(page.file) == "pdf":
        return float(dpi)
    return min(native, float(dpi)) if native > dpi * 1.15 else native


def scanned_bench_pages(corpus: Path, count: int) -> list[TruthPage]:
    """The scanned pages of the corpus, `count` of them spread evenly over it (all when 0)."""
    scanned = [p for p in truth_pages(corpus) if p.kind == "scan" and sniff(p.file) in ("pdf", "image")]
    if count and len(scanned) > count:
        step = len(scanned) / count
        scanned = [scanned[int(i * step)] for i in range(count)]
    return scanned


def baseline(images: list[Path]) -> float:
    """Seconds for bare Tesseract over all images, two processes at a time."""
    def one(image: Path) -> None:
        run_program(["tesseract", image, "-", "-l", "chi_sim"], timeout_s=BARE_TIMEOUT_S, check=False)

    started = time.perf_counter()
    with ThreadPoolExecutor(WORKERS) as pool:
        list(pool.map(one, images))
    return time.perf_counter() - started


def dtpc(images: list[Path], dpis: list[float], settings: Settings, pool: PagePool, workdir: Path) -> tuple[float, list[PageResult]]:
    """Seconds for the page stage over the same images (each read at the dpi ingest would use), and its results."""
    jobs = [
        PageJob(i + 1, PageSource(image, "image", 0, dpi), workdir, settings)
        for i, (image, dpi) in enumerate(zip(images, dpis, strict=True))
    ]
    started = time.perf_counter()
    results = pool.run(jobs, process_page, settings.page_timeout_s, settings.file_timeout_s, _failed)
    return time.perf_counter() - started, list(results.values())


def text_layer_rate(corpus: Path, runs: int) -> tuple[float, int]:
    """Pages/s of read_document on PDFs whose pages all have a text layer (median of runs)."""
    files = sorted({p.file for p in truth_pages(corpus) if p.kind == "text"})
    files = [f for f in files if all(p.kind == "text" for p in truth_pages(corpus) if p.file == f)]
    if not files:
        return float("nan"), 0
    rates = []
    settings = Settings(cache_dir=None, workers=WORKERS)
    with tempfile.TemporaryDirectory(prefix="dtpc-bench-text-") as workdir:
        for _ in range(runs):
            started = time.perf_counter()
            count = sum(len(read_document(f, settings, Path(workdir) / f.stem).pages) for f in files)
            rates.append(count / (time.perf_counter() - started))
    return median(rates), count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=12, help="scanned pages to use (spread over the corpus)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--dpi", type=int, default=None, help="rendering dpi (default: Settings.dpi)")
    parser.add_argument("--engine", choices=("tesseract", "rapidocr"), default=None, help="default: Settings.engine")
    parser.add_argument("--unfused", action="store_true", help="RapidOCR's float models as shipped (Settings.rapid_fused)")
    parser.add_argument("--det", choices=get_args(DetName), default=None, help="RapidOCR detector (default: Settings.rapid_det)")
    parser.add_argument("--rec", choices=get_args(RecName), default=None, help="RapidOCR recogniser (default: Settings.rapid_rec)")
    args = parser.parse_args()
    os.environ["OMP_THREAD_LIMIT"] = "1"
    changes: dict[str, object] = {"workers": WORKERS, "rapid_fused": not args.unfused}
    if args.det is not None:
        changes["rapid_det"] = args.det
    if args.rec is not None:
        changes["rapid_rec"] = args.rec
    if args.dpi is not None:
        changes["dpi"] = args.dpi
    if args.engine is not None:
        changes["engine"] = args.engine
    base_settings = Settings(**changes)

    scanned = scanned_bench_pages(args.corpus, args.pages)
    if not scanned:
        raise SystemExit(f"no scanned pages with truth under {args.corpus}")

    with tempfile.TemporaryDirectory(prefix="dtpc-bench-") as tmp:
        root = Path(tmp)
        written = [write_native_image(p, root) for p in scanned]
        images, natives = [w[0] for w in written], [w[1] for w in written]
        dpis = [used_dpi(p, native, base_settings.dpi) for p, native in zip(scanned, natives, strict=True)]
        pool = PagePool(WORKERS)
        pool.run([], process_page, 60, 60, _failed)
        blank = sum(p.role == "blank" for p in scanned)
        print(f"{len(images)} scanned pages ({blank} blank) at their own dpi ({sorted(set(natives))}), dtpc reads at "
              f"{base_settings.dpi} dpi, {WORKERS} processes, engine {base_settings.engine}"
              f" (det {base_settings.rapid_det}, rec {base_settings.rapid_rec})"
              f"{'' if base_settings.rapid_fused else ' (unfused)'}, load {os.getloadavg()[0]:.1f}")
        ratios, rate_a, rate_b, rss = [], [], [], []
        try:
            for run in range(args.runs):
                # A B B A: other load on the machine drifts; this order cancels a linear drift.
                seconds_a = baseline(images)
                seconds_b, results = 0.0, list[PageResult]()
                for half in (0, 1):
                    settings = base_settings.model_copy(update={"cache_dir": root / f"cache-{run}-{half}"})  # cold
                    workdir = root / f"work-{run}-{half}"
                    workdir.mkdir()
                    seconds, part = dtpc(images, dpis, settings, pool, workdir)
                    seconds_b, results = seconds_b + seconds / 2, results + part
                seconds_a = (seconds_a + baseline(images)) / 2
                errors = [r.error for r in results if r.error]
                ratios.append(seconds_b / seconds_a)
                rate_a.append(len(images) / seconds_a)
                rate_b.append(len(images) / seconds_b)
                rss.append(max(r.peak_rss_mb for r in results))
                print(f"  run {run + 1}: bare {len(images) / seconds_a:.3f} pages/s, dtpc {len(images) / seconds_b:.3f}"
                      f" pages/s, ratio {seconds_b / seconds_a:.2f}, load {os.getloadavg()[0]:.1f}"
                      f"{'  errors: ' + str(errors) if errors else ''}",
                      flush=True)
        finally:
            pool.close()
    bare_rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"scanned: bare {median(rate_a):.3f} pages/s, dtpc {median(rate_b):.3f} pages/s, "
          f"time ratio dtpc/bare {median(ratios):.2f} (median of {args.runs})")
    print(f"peak RSS: dtpc worker (incl. its OCR child) {max(rss):.0f} MB; bare tesseract {bare_rss:.0f} MB")
    rate, count = text_layer_rate(args.corpus, args.runs)
    print(f"text layer: {rate:.1f} pages/s ({count} pages, read_document incl. roles, median of {args.runs})")


if __name__ == "__main__":
    main()
