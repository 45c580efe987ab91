"""Is a place on the page blank? Ink measured from pixels, so an unread value is not taken for an empty one.

A value the reader could not read is either a blank the applicant left (FIELD_MISSING) or ink the
reader failed on (LOW_CONFIDENCE: a reviewer must look). OCR finding no words is not enough to
tell them apart: a faint, small or handwritten value can give no words. So the place is measured:
its print image (seal ink removed) inside the box, rules and the box's border trimmed off.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import cv2
import numpy as np

from models import Seal
from models.page import Page
from pipeline.components import components

log = logging.getLogger(__name__)

INSET_PT = 2.5  # trimmed from every side of the box: the cell's own rules and their blur
DARK_BELOW = 0.75  # a pixel is ink when darker than this share of the place's paper level
INK_SHARE = 0.0008  # a place with more ink pixels than this share holds something (a digit in a wide cell: ~0.3%)
MIN_BLOB_PX = 6  # specks smaller than this (scanner dust, JPEG ringing) are not ink
RULE_SHARE = 0.6  # a row or column of the crop darker over this share of its length is a rule, not ink
REACH_PT = 4.0  # ink is measured this far around the box, to see whose it is
OWN_INK = 0.5  # a blob of ink with at least this share of its pixels inside the box is the place's own
RULE_GAP_PX = 7  # gaps this short along a row or column are closed first: a dotted rule's dots are one rule
# Down a column, longer gaps too: a grey scan's hairline column rule fades in stretches (dev12 a06: 注册资本's
# rule in two pieces 7 px apart, 58 % of the column dark). Down a column through text it joins at most a
# wrapped value's lines in that one column, a sliver of their ink; along a row it would join words.
RULE_GAP_COL_PX = 11


@lru_cache(maxsize=8)
def _grey(path: Path) -> np.ndarray | None:
    image = cv2.imread(str(path), cv2.IMREAD_GRAYSCALE)
    return image if image is not None and image.size else None


def _without_rules(dark: np.ndarray) -> np.ndarray:
    """The crop's ink without its rules: rows and columns dark along most of their length, a dotted or
    broken rule (a 1-bit scan's faint cell border) counted whole once its gaps are closed."""
    mask = dark.astype(np.uint8)
    along_rows = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, np.ones((1, RULE_GAP_PX), np.uint8))
    along_cols = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, np.ones((RULE_GAP_COL_PX, 1), np.uint8))
    rows = along_rows.mean(axis=1) > RULE_SHARE
    cols = along_cols.mean(axis=0) > RULE_SHARE
    kept = dark.copy()
    kept[rows, :] = False
    kept[:, cols] = False
    return kept


def ink_share(page: Page, box: Sequence[float], rings: Sequence[Sequence[float]] = ()) -> float | None:
    """The share of the box (points) covered by print ink; None when the page has no image to measure.

    Only ink mostly inside the box counts: the tops of the next line's characters, reaching into a box
    drawn a little too tall, belong to that line. `rings`: boxes (points) of seals found on the page, whose
    rings are left out: on a grey scan a seal's ring is as dark as print, and one stamped beside a blank
    place runs across it."""
    path = page.print_path or page.image_path
    if path is None or not page.scale:
        return None
    grey = _grey(path)
    if grey is None:
        log.warning("page %s: image %s could not be loaded to measure ink", page.number, path)
        return None
    scale, reach = page.scale, round(REACH_PT * page.scale)
    x0, y0 = (round((box[i] + INSET_PT) * scale) for i in (0, 1))
    x1, y1 = (round((box[i] - INSET_PT) * scale) for i in (2, 3))
    x0, y0 = max(0, x0), max(0, y0)
    x1, y1 = min(grey.shape[1], x1), min(grey.shape[0], y1)
    if x1 - x0 < 3 or y1 - y0 < 3:
        return None
    paper = float(np.percentile(grey[y0:y1, x0:x1], 90)) or 1.0
    y0, y1 = _within_rules(grey[y0:y1, x0:x1] < RULE_BELOW * paper, y0, y1)
    ox0, oy0 = max(0, x0 - reach), max(0, y0 - reach)
    ox1, oy1 = min(grey.shape[1], x1 + reach), min(grey.shape[0], y1 + reach)
    dark = _without_rules(grey[oy0:oy1, ox0:ox1].astype(np.float32) < DARK_BELOW * paper)
    for ring in rings:
        dark &= ~_ring_band(dark.shape, [v * scale for v in ring], (ox0, oy0))
    count, labels, stats = components(dark.astype(np.uint8), 8)
    inside = np.bincount(labels[y0 - oy0:y1 - oy0, x0 - ox0:x1 - ox0].ravel(), minlength=count)
    inked = sum(int(inside[i]) for i in range(1, count)
                if stats[i, cv2.CC_STAT_AREA] >= MIN_BLOB_PX and inside[i] >= OWN_INK * stats[i, cv2.CC_STAT_AREA])
    return inked / ((y1 - y0) * (x1 - x0))


def _within_rules(dark: np.ndarray, top: int, bottom: int) -> tuple[int, int]:
    """The rows `top`..`bottom` of a box (its ink `dark`) less a strip across a row rule at its top or bottom edge: a
    box drawn a little too tall over a form's cell reaches past the rule into the row above or below, and that
    row's characters ('日' of a date wrapped there, dev44 a05) are its ink, not the place's. Only a strip under
    `CUT_SHARE` of the box is cut off: the place is where most of the box is. A scan's hairline rule is paler
    than print (`RULE_BELOW`): the rule, not ink, is looked for here."""
    mask = cv2.morphologyEx(dark.astype(np.uint8), cv2.MORPH_CLOSE, np.ones((1, RULE_GAP_PX), np.uint8))
    rules = [int(row) for row in np.flatnonzero(mask.mean(axis=1) > RULE_SHARE)]
    height = bottom - top
    above = [row for row in rules if row < CUT_SHARE * height]
    below = [row for row in rules if row > (1 - CUT_SHARE) * height]
    start = max(above) + 1 if above else 0
    end = min(below) if below else height
    return (top + start, top + end) if end - start >= 3 else (top, bottom)


RULE_BELOW = 0.9  # a rule's pixels are darker than this share of the paper (a grey scan's hairline: 0.85)
CUT_SHARE = 1 / 3  # at most this share of a box's height lies past a row rule and is cut off (`_within_rules`)


# A seal's ring, as a share of its radii: the band its ink runs in, blur and a fit's error included.
RING_BAND = (0.82, 1.12)


def _ring_band(shape: tuple[int, ...], ring: Sequence[float], origin: tuple[int, int]) -> np.ndarray:
    """Pixels of a crop (its top-left at `origin` on the page) on the ring of the seal boxed by `ring`
    (page pixels): an ellipse inscribed in the box, between `RING_BAND` of its radii."""
    cx, cy = (ring[0] + ring[2]) / 2 - origin[0], (ring[1] + ring[3]) / 2 - origin[1]
    ax, ay = max((ring[2] - ring[0]) / 2, 1.0), max((ring[3] - ring[1]) / 2, 1.0)
    ys, xs = np.ogrid[: shape[0], : shape[1]]
    radius = np.sqrt(((xs - cx) / ax) ** 2 + ((ys - cy) / ay) ** 2)
    return (radius >= RING_BAND[0]) & (radius <= RING_BAND[1])


def is_blank(page: Page | None, box: Sequence[float] | None, raw: str,
             rings: Sequence[Sequence[float]] = ()) -> bool | None:
    """True when the place holds nothing, False when it holds ink (or text), None when it cannot be told.

    Text read there means it is not blank. On a text-layer page no text means blank. On an image,
    the print ink inside the box decides.
    """
    if raw.strip():
        return False
    if page is None:
        return None
    if page.kind == "text":
        return True
    if box is None or not any(box):
        return None
    share = ink_share(page, box, rings)
    return None if share is None else share <= INK_SHARE


def blank_beside_seals(page: Page, box: Sequence[float], seals: Sequence[Seal]) -> bool:
    """A place whose ink (read as nothing) is only the rings of seals stamped across it: blank after all."""
    rings = [seal.bbox for seal in seals if seal.page == page.number and _overlaps(seal.bbox, box)]
    return bool(rings) and is_blank(page, box, "", rings) is True


def _overlaps(a: Sequence[float], b: Sequence[float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]
