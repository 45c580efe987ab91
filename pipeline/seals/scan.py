"""Seals in a scanned page's pixels, detected once per page for every stage that needs them.

The tables keep seal text out of cells where seals lie, and the seal stage reads
those same seals; both used to run the detector on their own (Hough circles and
ellipse fits are the dearest part of a page after OCR).  A page worker detects them
right after it has read the page (`marks_in_image`: its pages side by side with the
other pages' OCR, not one after another in the file's process), and the reader hands
them over on the page (`Page.seal_marks`, `Page.grey_pixels`).  The runner detects
what is still missing before those stages (`scan_pages`: a page whose worker failed
to, a page read without workers); every stage reuses the result (one that runs on a
page not scanned yet detects then).
"""

from __future__ import annotations

import logging
from pathlib import Path

import cv2
import numpy as np

from models.page import Page, SealMark
from pipeline.seals.detect import Candidate, detect_grey, detect_red
from pipeline.seals.ink import as_bgr, is_grey, load_colour

log = logging.getLogger(__name__)


def scan_pages(pages: list[Page]) -> None:
    """Detect the seals of every readable page now, so the stages after this one only read them
    (and the time is the seal stage's, whichever stage needs them first)."""
    for page in pages:
        if page.error is not None:
            continue
        try:
            page_candidates(page)
        except (cv2.error, ValueError, OSError) as error:  # left undetected: the seal stage tries again and reports
            log.warning("page %s: seal detection failed: %s: %s", page.number, type(error).__name__, error)


def page_candidates(page: Page, bgr: np.ndarray | None = None) -> list[Candidate]:
    """The seals in the page's image (`bgr` when already loaded), in its pixels; [] for a page without one.

    Raises what the detector raises (cv2.error, ValueError) and OSError for an image that
    cannot be read; nothing is kept then, so the next stage that asks tries again.
    """
    if page.seal_marks is None:
        if bgr is None and page.image_path is not None:
            bgr = load_colour(page.image_path)
            if bgr is None:
                raise OSError(f"cannot read the page image {page.image_path}")
        found = detect_page(bgr, page.dpi, grey_page(page, bgr)) if bgr is not None and page.scale > 0 else []
        page.seal_marks = tuple(candidate.mark() for candidate in found)
    return [Candidate.of_mark(mark) for mark in page.seal_marks]


def marks_in_image(path: Path, dpi: float) -> tuple[tuple[SealMark, ...], bool]:
    """The seals in a stored page image (`Page.image_path` at `dpi`) and whether its pixels are grey:
    what `page_candidates` keeps on a page, worked out where the page is read.

    Raises as `page_candidates` does (cv2.error, ValueError; OSError for an unreadable image).
    """
    image = cv2.imread(str(path), cv2.IMREAD_UNCHANGED)
    if image is None:
        raise OSError(f"cannot read the page image {path}")
    if image.ndim == 2:
        # A grey page stored in one channel (`reading.stored_colour`): what `load_colour` makes of it has three
        # like channels, grey to `is_grey` and the same channel again once turned grey.
        return tuple(candidate.mark() for candidate in detect_grey(image, dpi)) if dpi > 0 else (), True
    bgr = as_bgr(image)
    grey = is_grey(bgr)
    found = detect_page(bgr, dpi, grey) if dpi > 0 else []
    return tuple(candidate.mark() for candidate in found), grey


def grey_page(page: Page, bgr: np.ndarray) -> bool:
    """Whether the page's pixels (`bgr`) carry no usable colour (`ink.is_grey`), worked out once per page."""
    if page.grey_pixels is None:
        page.grey_pixels = is_grey(bgr)
    return page.grey_pixels


def detect_page(bgr: np.ndarray, dpi: float, grey: bool | None = None) -> list[Candidate]:
    """Red-ink seals on a colour page, seal-toned and dark rings on a grey one (`grey`: `is_grey(bgr)`
    when already known).

    The pixels decide, not the reader's flag: a colour scan of a grey page is grey to us.
    """
    if grey is None:
        grey = is_grey(bgr)
    if grey:
        return detect_grey(cv2.cvtColor(bgr, cv2.COLOR_BGR2GRAY), dpi)
    return detect_red(bgr, dpi)
