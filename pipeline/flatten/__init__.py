"""Page flattening, before a page without a text layer is turned upright, deskewed and read.

    a feeder's streaks down the page -> filled in            (pipeline.flatten.streaks)
    the paper's quadrilateral in a photo -> rectified        (pipeline.flatten.quad)
    uneven light -> evened                                    (pipeline.flatten.light)
    curled text lines -> straightened                         (pipeline.flatten.curl)

Each step is gated so that an ordinary scan passes through untouched (the very same array);
what was done is recorded as a `PageFlattening` for `source.pages`.  Every later stage (OCR,
tables, seals, evidence crops) sees the flattened page, so all boxes are in its frame.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import cv2
import numpy as np

from models.common import PageFlattening
from pipeline.flatten.curl import dewarp, measure_curl, work_copy
from pipeline.flatten.light import even_illumination
from pipeline.flatten.quad import find_page_quad, rectify
from pipeline.flatten.streaks import remove_streaks

log = logging.getLogger(__name__)


@dataclass
class Flattened:
    image: np.ndarray
    record: PageFlattening


def flatten_page(image: np.ndarray, dpi: float, where: str = "") -> Flattened:
    """`image` (the page as stored, RGB or grey, at `dpi`) rectified, evened and straightened as needed."""
    record = PageFlattening()
    image, streaks = remove_streaks(image)
    if streaks:
        record.streaks = [[x0, x1] for x0, x1 in streaks]
    corners = find_page_quad(image)
    if corners is not None:
        image = rectify(image, corners, dpi)
        record.quad = [[round(float(x), 1), round(float(y), 1)] for x, y in corners]
    # The red channel, where red seal ink is as pale as paper: a seal's ring would read as bent lines.
    small, factor = work_copy(cv2.extractChannel(image, 0) if image.ndim == 3 else image)
    evened = even_illumination(image, small)
    if evened is not None:
        image, record.illumination = evened, True
    # Measured on the grey from before the evening: the curl measure divides out the light itself.
    curl = measure_curl(small, factor, image.shape[:2])
    if curl is not None:
        record.curl = round(curl.bow_px, 1)
        if curl.significant:
            image, record.dewarped = dewarp(image, curl), True
    if record.quad or record.illumination or record.dewarped or record.streaks:
        log.info("%s: flattened (streaks %s, quad %s, light evened %s, curl %s px straightened %s)",
                 where, record.streaks, record.quad is not None, record.illumination, record.curl, record.dewarped)
    return Flattened(image, record)


__all__ = ["Flattened", "flatten_page"]
