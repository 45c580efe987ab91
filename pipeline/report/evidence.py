"""Evidence crops for the reviewer report.

`save_evidence` runs while the page images still exist (inside the worker) and
stores a crop for each piece of evidence; the site (`pipeline.report.site`) only links to them.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

import cv2
import numpy as np

from models import CheckedRecord
from models.page import Document, Page
from pipeline.errors import InputError

log = logging.getLogger(__name__)
EVIDENCE_DPI = 100
CROP_MARGIN_PT = 36.0
THUMBNAIL_WIDTH_PX = 420


def _page_image(doc: Document, page: Page) -> np.ndarray | None:
    if page.image_path is not None and page.image_path.exists():
        return cv2.imread(str(page.image_path), cv2.IMREAD_COLOR)
    from pipeline.ingest import render_page  # text pages have no stored image; render on demand

    try:
        return render_page(doc.path, page.number, EVIDENCE_DPI)
    except (InputError, OSError, ValueError, MemoryError, RuntimeError) as error:  # RuntimeError: pdfium's
        log.warning("cannot render page %s of %s: %s", page.number, doc.path.name, error)
        return None


def _crop(image: np.ndarray, page: Page, bbox: Sequence[float] | None) -> np.ndarray:
    scale = image.shape[1] / page.width
    if bbox is None:
        factor = THUMBNAIL_WIDTH_PX / image.shape[1]
        return cv2.resize(image, None, fx=factor, fy=factor, interpolation=cv2.INTER_AREA)
    x0, top, x1, bottom = (value * scale for value in bbox)
    margin = CROP_MARGIN_PT * scale
    left, upper = max(0, int(x0 - margin)), max(0, int(top - margin))
    right, lower = min(image.shape[1], int(x1 + margin)), min(image.shape[0], int(bottom + margin))
    crop = image[upper:lower, left:right].copy()
    cv2.rectangle(crop, (int(x0) - left, int(top) - upper), (int(x1) - left, int(bottom) - upper), (0, 0, 255), 2)
    return crop


def save_evidence(record: CheckedRecord, doc: Document, folder: Path) -> None:
    """Write a PNG for each check's evidence and point `evidence.image` at it (relative to the JSON)."""
    pages = {page.number: page for page in doc.pages}
    images: dict[int, np.ndarray | None] = {}
    for index, check in enumerate(record.checks):
        for number, evidence in enumerate(check.evidence):
            page = pages.get(evidence.page)
            if page is None or page.width <= 0:
                continue
            if evidence.page not in images:
                images[evidence.page] = _page_image(doc, page)
            image = images[evidence.page]
            if image is None:
                continue
            folder.mkdir(parents=True, exist_ok=True)
            target = folder / f"check{index:03d}-{check.code.lower()}-{number}.png"
            cv2.imwrite(str(target), _crop(image, page, evidence.bbox))
            evidence.image = f"{folder.name}/{target.name}"
