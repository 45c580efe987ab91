"""Read a file into a `Document`: the entry point every later stage starts from.

    ingest (this process)  ->  per scanned page, in worker processes:
                               pixels -> flattening -> clean-up -> OCR (cached) -> re-read of uncertain
                               words by a second engine (Tesseract pages only) -> seals detected
                               in the page image -> PageResult
                           ->  merge results, classify page roles

Workers get a `PageJob` (paths and numbers, never pixels) and return a `PageResult`;
images go to `workdir` under predictable names.  Each worker runs one page at a time
with OMP_THREAD_LIMIT=1, so `settings.workers` processes use that many cores.  A page
over its time limit has its worker killed and replaced; a crashed worker costs only its
page.  `read_document` never raises for bad input: it sets `Document.error` or `Page.error`.
"""

from __future__ import annotations

import logging
import resource
import time
from dataclasses import dataclass, field, replace
from pathlib import Path

import cv2
import numpy as np

from models.common import PageFlattening
from models.page import Document, Line, Page, SealMark, Word
from pipeline.config import Settings
from pipeline.digest import file_sha256
from pipeline.errors import InputError
from pipeline.flatten import flatten_page
from pipeline.ingest import Ingested, PageSource, ingest, load_pixels
from pipeline.layout import assign_roles
from pipeline.ocr import OcrEngine, OcrError, get_engine
from pipeline.ocr.cache import CachedEngine
from pipeline.ocr.hanzi import simplified_words
from pipeline.ocr.orient import Orientation
from pipeline.ocr.reread import reread
from pipeline.ocr.uncovered import read_uncovered
from pipeline.page_pool import PagePool
from pipeline.preprocess import Cleaned, clean_page, deskew, estimate_skew
from pipeline.seals.scan import marks_in_image
from pipeline.text.chars import is_cjk
from pipeline.timing import StageTimes

log = logging.getLogger(__name__)
CONTENT_MARGIN_PX = 12  # OCR sees the inked area plus this margin, not the empty paper around it
# A mixed page skewed by at least this much is OCRed levelled (its words turned back into
# the page's frame); below it the turn costs more than it helps (skew error median 0.02°).
MIXED_MIN_SKEW = 0.3
# A page whose orientation was decided less surely than this, and whose reading holds Chinese characters (weighed
# by confidence) for less than this share of its characters, is read turned over too; the turned reading is kept
# when it holds this many times the Chinese, and this many characters more.
TURN_CHECK_BELOW = 0.5
CHINESE_SHARE_UPRIGHT = 0.2
TURNED_GAIN = 2.0
TURNED_MIN_CHARS = 40
STORED_MIN_CHARS = 2  # the same for a page turned sideways read as stored (the orientation taken without evidence)


@dataclass(frozen=True)
class PageJob:
    number: int
    source: PageSource
    workdir: Path
    settings: Settings
    straighten: bool = True  # False for mixed pages: OCR words must share the text layer's frame


@dataclass
class PageResult:
    number: int
    words: list[Word] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)
    rotation: int = 0
    skew_deg: float = 0.0
    dpi: float = 0.0
    width: float = 0.0
    height: float = 0.0
    image_path: Path | None = None
    print_path: Path | None = None
    seal_path: Path | None = None
    is_colour: bool = False
    blank: bool = False
    flattening: PageFlattening | None = None
    # The seals in the page image and whether it is grey (`pipeline.seals.scan`); None: not detected here.
    seal_marks: tuple[SealMark, ...] | None = None
    grey_pixels: bool | None = None
    error: str | None = None
    seconds: float = 0.0
    stages: StageTimes = field(default_factory=StageTimes)  # ingest, cleanup, ocr, seals of this page
    ocr_calls: int = 0
    peak_rss_mb: float = 0.0


# --- worker side ---------------------------------------------------------------------

def _second_engine(settings: Settings, first: OcrEngine) -> OcrEngine | None:
    """The engine that re-reads uncertain words, unless off or the same as the page engine."""
    name = settings.reread_engine
    if name == "none" or settings.reread_below <= 0 or name == first.name:
        return None
    return get_engine(settings, name)


def process_page(job: PageJob, engine: OcrEngine | None = None) -> PageResult:
    """Pixels -> clean-up -> OCR for one page.  Errors are returned, never raised."""
    started = time.perf_counter()
    result = PageResult(number=job.number, dpi=job.source.dpi)
    times = result.stages
    try:
        with times.measure("ingest"):
            pixels = load_pixels(job.source)
        with times.measure("cleanup"):
            if job.straighten and job.settings.flatten_pages:
                flattened = flatten_page(pixels, job.source.dpi, f"{job.source.path.name} page {job.number}")
                pixels, result.flattening = flattened.image, flattened.record
            forced = None
            if job.settings.orientation == "osd" and job.straighten:
                grey = pixels if pixels.ndim == 2 else cv2.cvtColor(pixels, cv2.COLOR_RGB2GRAY)
                forced = get_engine(job.settings, "tesseract", cached=False).orientation(grey)
            cleaned = clean_page(pixels, job.source.dpi, forced, straighten=job.straighten,
                                 photographed=_photographed(result))
            # Stored before OCR: a page whose reading fails keeps its images for the seal stage and the evidence.
            _store_images(job, cleaned, result)
            result.lines = [_to_points(line, job.source.dpi) for line in cleaned.rules_px]
        if not cleaned.is_blank:
            with times.measure("ocr"):
                chosen = engine or get_engine(job.settings)
                before = _calls(chosen)
                result.words = _read_cleaned(chosen, cleaned, job, result.lines)
                if job.straighten and forced is None and _maybe_turned(cleaned, result.words):
                    cleaned = _read_turned_over(chosen, pixels, cleaned, job, result)
                del pixels
                _read_more(chosen, cleaned, job, result, engine is not None)
                result.ocr_calls = _calls(chosen) - before
        _detect_seals(result, job)
    except OcrError as error:
        result.error = f"OCR failed: {error}"
    except (OSError, ValueError, MemoryError, cv2.error) as error:
        result.error = f"page unreadable: {type(error).__name__}: {error}"
    except Exception as error:  # a worker must hand back a result for any page, whatever broke
        result.error = f"page failed: {type(error).__name__}: {error}"
        log.exception("page failed")
    result.seconds = round(time.perf_counter() - started, 3)
    result.peak_rss_mb = _peak_rss_mb()
    return result


def _photographed(result: PageResult) -> bool:
    """The page was rectified from a photo (its paper's quadrilateral found)."""
    return result.flattening is not None and result.flattening.quad is not None


def _read_more(engine: OcrEngine, cleaned: Cleaned, job: PageJob, result: PageResult, engine_given: bool) -> None:
    """A photo's print the page reading missed, and words read unsurely, read again; characters made simplified."""
    image = cleaned.ocr_layer if cleaned.ocr_layer is not None else cleaned.print_layer
    if _photographed(result):
        # A photographed page: print its reading missed is read again (`pipeline.ocr.uncovered`).
        result.words += read_uncovered(engine, image, result.words, job.source.dpi, cleaned.seal_mask)
    second = None if engine_given else _second_engine(job.settings, engine)
    if second is not None:
        result.words = reread(result.words, image, job.source.dpi, second, job.settings.reread_below)
    result.words = simplified_words(result.words)


def _read_cleaned(engine: OcrEngine, cleaned: Cleaned, job: PageJob, lines: list[Line]) -> list[Word]:
    """The page's words as the engine reads the cleaned page (levelled first where a mixed page is skewed)."""
    skew = 0.0 if job.straighten else estimate_skew(cleaned.print_layer)
    if abs(skew) >= MIXED_MIN_SKEW:
        return read_levelled(engine, cleaned, job.source.dpi, skew)
    return read_words(engine, cleaned, job.source.dpi, lines)


def _maybe_turned(cleaned: Cleaned, words: list[Word]) -> bool:
    """The orientation was a close call and the page read as few Chinese characters: it may be upside down
    (a 1-bit scan's blotted glyphs leave the direction classifier unsure, dev30 a06's basic-info page)."""
    if cleaned.orientation_confidence >= TURN_CHECK_BELOW:
        return False
    characters = sum(len(word.text) for word in words)
    return characters > 0 and _chinese_read(words) < CHINESE_SHARE_UPRIGHT * characters


def _chinese_read(words: list[Word]) -> float:
    """How much Chinese a reading holds: its Chinese characters, each weighed by its word's confidence."""
    return sum(word.confidence * sum(is_cjk(char) for char in word.text) for word in words)


def _other_ways(rotation: int) -> list[tuple[int, int]]:
    """The rotations a page whose orientation was a close call is read in too, each with the Chinese
    characters it must read beyond the first reading: turned over; and, for a page turned sideways, as
    stored, the orientation taken where there is no evidence, so a line of a form's row is enough there
    (dev32 a03 p3: the form's last row alone on a page whose dither gradient ran into 'lines' down the
    page, turned sideways and read as '18'; its providers counts lost)."""
    ways = [((rotation + 180) % 360, TURNED_MIN_CHARS)]
    return [*ways, (0, STORED_MIN_CHARS)] if rotation in (90, 270) else ways


def _read_turned_over(engine: OcrEngine, pixels: np.ndarray, cleaned: Cleaned, job: PageJob,
                      result: PageResult) -> Cleaned:
    """The page cleaned and read turned over (or as stored, `_other_ways`), kept (with its words and rules in
    `result`) when it reads as far more Chinese than as it was: a page upside down reads as Latin-looking
    debris."""
    before = _chinese_read(result.words)
    best: tuple[float, Cleaned, list[Word], list[Line]] | None = None
    for rotation, least in _other_ways(cleaned.rotation):
        turned = clean_page(pixels, job.source.dpi, Orientation(rotation, 0.0), photographed=_photographed(result))
        lines = [_to_points(line, job.source.dpi) for line in turned.rules_px]
        words = _read_cleaned(engine, turned, job, lines)
        after = _chinese_read(words)
        kept = after >= TURNED_GAIN * before and after - before >= least and (best is None or after > best[0])
        log.info("%s page %d read at %d° too: %.0f Chinese characters against %.0f%s", job.source.path.name,
                 job.number, rotation, after, before, "" if kept else "; kept as it was")
        if kept:
            best = (after, turned, words, lines)
    if best is None:
        return cleaned
    _, turned, result.words, result.lines = best
    _store_images(job, turned, result)  # the later stages read the page the way it was read
    return turned


def _detect_seals(result: PageResult, job: PageJob) -> None:
    """The page's seals, detected while its worker has the page (the seal stage's time, spent beside the
    other pages' OCR); a failure leaves them to the file's process, which tries again and reports."""
    if result.image_path is None:
        return
    with result.stages.measure("seals"):
        try:
            result.seal_marks, result.grey_pixels = marks_in_image(result.image_path, job.source.dpi)
        except (cv2.error, ValueError, OSError) as error:
            log.warning("seal detection failed: %s: %s", type(error).__name__, error)


def read_words(engine: OcrEngine, cleaned: Cleaned, dpi: float, lines: list[Line]) -> list[Word]:
    """OCR of the inked part of the print layer (page mode), words kept apart at vertical rules.

    Where the inked part read as no words at all it is read again as the whole page: soft, pale print cut
    tight around is too faint for the text detector (dev30 a12's last page, a photo of a small table on an
    empty page, at the paper's own levels), and with the paper around it is read.
    """
    verticals = [line for line in lines if line.x0 == line.x1]
    image = cleaned.ocr_layer if cleaned.ocr_layer is not None else cleaned.print_layer
    box = cleaned.content_box_px
    if box is not None:
        height, width = cleaned.print_layer.shape[:2]
        box = (
            max(0, box[0] - CONTENT_MARGIN_PX),
            max(0, box[1] - CONTENT_MARGIN_PX),
            min(width, box[2] + CONTENT_MARGIN_PX),
            min(height, box[3] + CONTENT_MARGIN_PX),
        )
    words = engine.read_region(image, box, dpi=dpi, separators=verticals, mode="page")
    if not words and box is not None:
        words = engine.read_region(image, None, dpi=dpi, separators=verticals, mode="page")
    return words


def read_levelled(engine: OcrEngine, cleaned: Cleaned, dpi: float, skew_deg: float) -> list[Word]:
    """OCR of a page that must keep its own frame (a mixed page: its text layer's coordinates)
    but is skewed: the OCR layer is levelled for reading, and each word's box is turned back
    into the page's frame (the bounding box of its turned corners)."""
    image = cleaned.ocr_layer if cleaned.ocr_layer is not None else cleaned.print_layer
    levelled = deskew(image, skew_deg)
    words = engine.read_region(levelled, None, dpi=dpi, mode="page")
    height, width = image.shape[:2]
    back = cv2.invertAffineTransform(cv2.getRotationMatrix2D((width / 2, height / 2), -skew_deg, 1.0))
    k = dpi / 72.0
    out = []
    for word in words:
        x0, y0, x1, y1 = (v * k for v in word.bbox)
        corners = np.array([[x0, y0, 1.0], [x1, y0, 1.0], [x1, y1, 1.0], [x0, y1, 1.0]]) @ back.T
        xs, ys = np.clip(corners[:, 0], 0, width), np.clip(corners[:, 1], 0, height)
        box = (round(xs.min() / k, 2), round(ys.min() / k, 2), round(xs.max() / k, 2), round(ys.max() / k, 2))
        out.append(replace(word, bbox=box))
    return out


def _store_images(job: PageJob, cleaned: Cleaned, result: PageResult) -> None:
    stem = job.workdir / f"page-{job.number:03d}"
    colour = stored_colour(cleaned.colour)
    # The colour page is for looking at (scans arrive as JPEG anyway): JPEG is ten times
    # quicker to write than PNG.  The layers later stages measure stay lossless, and
    # uncompressed (PGM): in the file's temporary work folder only, written once and read
    # two to four times, where PNG's filtering and deflate cost ~17 ms a write and ~6 ms a
    # read of a 150 dpi page, PGM ~2 ms and ~1 ms (a 300 dpi page takes 8.7 MB on disk).
    result.image_path = _write(stem.with_name(stem.name + ".jpg"), colour, [cv2.IMWRITE_JPEG_QUALITY, 92])
    result.print_path = _write(stem.with_name(stem.name + "-print.pgm"), cleaned.print_layer, [])
    if cleaned.seal_mask is not None:
        result.seal_path = _write(stem.with_name(stem.name + "-seal.pgm"), cleaned.seal_mask, [])
    result.rotation, result.skew_deg = cleaned.rotation, cleaned.skew_deg
    result.is_colour, result.blank = cleaned.is_colour, cleaned.is_blank
    height, width = cleaned.print_layer.shape[:2]
    result.width, result.height = round(width * 72.0 / job.source.dpi, 2), round(height * 72.0 / job.source.dpi, 2)


def stored_colour(rgb: np.ndarray) -> np.ndarray:
    """The colour page as its JPEG is written: BGR, or one channel where its three are alike everywhere (a grey
    scan). A JPEG of three like channels codes them as that channel with neutral chroma, which decodes to
    three like channels again, each the one-channel JPEG's: every reader of the page image gets the same
    pixels (in colour or grey), and a grey page's image is coded, and decoded, in about half the time."""
    if rgb.ndim == 2:
        return rgb
    red, green, blue = cv2.split(rgb)
    if not cv2.countNonZero(cv2.absdiff(red, green)) and not cv2.countNonZero(cv2.absdiff(green, blue)):
        return green
    return cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR)


def _write(path: Path, image: np.ndarray, params: list[int]) -> Path:
    if not cv2.imwrite(str(path), image, params):
        raise OSError(f"cannot write {path}")
    return path


def _to_points(line: Line, dpi: float) -> Line:
    k = 72.0 / dpi
    return Line(round(line.x0 * k, 2), round(line.top * k, 2), round(line.x1 * k, 2), round(line.bottom * k, 2))


def _calls(engine: OcrEngine) -> int:
    return engine.calls if isinstance(engine, CachedEngine) else getattr(engine, "calls", 0)


def _peak_rss_mb() -> float:
    """Peak resident memory of this worker or of its largest OCR child process (Linux: KiB)."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return round(max(own, child) / 1024.0, 1)


# --- main side -----------------------------------------------------------------------


def read_document(path: Path, settings: Settings, workdir: Path, engine: OcrEngine | None = None,
                  times: StageTimes | None = None) -> Document:
    """Every page of `path` read into a `Document`; never raises for bad input.

    `engine` (tests, tools) runs OCR in this process with that engine instead of the
    worker pool; it is wrapped in the disk cache when `settings.cache_dir` is set.
    `times` gets the seconds of ingest, clean-up, OCR (summed over pages) and layout.
    """
    path, workdir = Path(path), Path(workdir)
    times = times if times is not None else StageTimes()
    document = Document(path=path, sha256="", workdir=workdir)
    try:
        with times.measure("ingest"):
            document.sha256 = file_sha256(path)
            workdir.mkdir(parents=True, exist_ok=True)
            ingested = ingest(path, settings.dpi, settings.max_megapixels, workdir)
    except InputError as error:
        document.error, document.error_reason = str(error), error.reason
        return document
    except OSError as error:
        document.error, document.error_reason = f"cannot read file: {error.strerror or error}", "unopenable"
        return document
    jobs = [
        PageJob(item.page.number, item.source, workdir, settings, straighten=item.page.kind == "scan")
        for item in ingested
        if item.needs_ocr and item.source
    ]
    results = run_jobs(jobs, settings, engine)
    for result in results.values():
        times.update(result.stages)
    with times.measure("layout"):
        document.pages = [merge_result(item, results.get(item.page.number)) for item in ingested]
        assign_roles(document.pages)
    return document


def run_jobs(jobs: list[PageJob], settings: Settings, engine: OcrEngine | None = None) -> dict[int, PageResult]:
    """Results by page number, from the pool (or in this process when an engine is injected)."""
    if not jobs:
        return {}
    if engine is not None:
        wrapped = CachedEngine(engine, settings.cache_dir) if settings.cache_dir is not None else engine
        return {job.number: process_page(job, wrapped) for job in jobs}
    pool = PagePool.shared(max(1, settings.workers))
    return pool.run(jobs, process_page, settings.page_timeout_s, settings.file_timeout_s, _failed)


def _failed(job: PageJob, reason: str) -> PageResult:
    return PageResult(number=job.number, dpi=job.source.dpi, error=reason)


def merge_result(item: Ingested, result: PageResult | None) -> Page:
    """The ingested page completed with its worker's result (text words win on mixed pages)."""
    page = item.page
    if result is None:
        if item.needs_ocr and page.error is None:
            page.error = "page was not processed"
        return page
    page.rotation = result.rotation if result.rotation in (0, 90, 180, 270) else 0  # type: ignore[assignment]
    page.skew_deg, page.dpi, page.is_colour = result.skew_deg, result.dpi, result.is_colour
    page.image_path, page.print_path, page.seal_path = result.image_path, result.print_path, result.seal_path
    page.flattening = result.flattening
    page.seal_marks, page.grey_pixels = result.seal_marks, result.grey_pixels
    if result.width and result.height:
        page.width, page.height = result.width, result.height
    page.error = result.error or page.error
    if page.kind == "mixed":
        page.words = page.words + [w for w in result.words if not _covered(w, page.words)]
        page.lines = page.lines or result.lines
    else:
        page.words, page.lines = result.words, result.lines
    return page


def _covered(word: Word, others: list[Word]) -> bool:
    """True when more than half of `word`'s box lies under one text-layer word."""
    x0, y0, x1, y1 = word.bbox
    area = max(1e-6, (x1 - x0) * (y1 - y0))
    for other in others:
        ox0, oy0, ox1, oy1 = other.bbox
        overlap = max(0.0, min(x1, ox1) - max(x0, ox0)) * max(0.0, min(y1, oy1) - max(y0, oy0))
        if overlap > 0.5 * area:
            return True
    return False
