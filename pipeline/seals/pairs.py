"""Two stamps taken for one: a seal split into a stamp of known size and the seal under it.

The cover's two stamps sit on neighbouring lines, often so close that their rings
touch all along: the ink is one piece, and one oval fitted round it follows ink
nearly all round, as a single seal's ring does. What gives it away is its size: a
unit stamps every page with the same seal, so when the package's other pages show
that unit's stamp, a cover seal clearly larger is looked at again for that stamp
(`split_known_stamp`), and what its ring leaves over is fitted as a second seal.
"""

from __future__ import annotations

import math

import cv2
import numpy as np

from pipeline.seals.detect import (
    MAX_SEAL_MM,
    MIN_CONTRAST,
    MIN_SEAL_MM,
    OVERLAP_APART,
    OVERLAP_BAND,
    OVERLAP_COVERAGE,
    WORK_PX_PER_MM,
    flatten,
    seal_tone_mask,
    without_specks,
)
from pipeline.seals.geometry import (
    Outline,
    Shape,
    directions_clear_of,
    ransac_ellipse,
    ring_contrast,
    ring_contrast_over,
    ring_scores,
)
from pipeline.seals.ink import MIN_RED_CHROMA, paper_level, paper_lift, red_mask

# A seal this much longer than the same unit's stamp elsewhere may be two stamps fitted as one: one unit
# stamps every page with the same seal, whose size varies by a few per cent from page to page (on the dev
# sets a single cover stamp is 0.90-1.14 times the package's other stamps, two taken as one 1.17-1.25).
MERGED_SIZE_RATIO = 1.15
# ...on either axis: two ovals stacked on neighbouring lines make an outline as long as one stamp but far taller
# (dev60 a09-word-phone's cover: 23.8 x 20.3 mm round a 21.9 x 15.2 mm stamp, 1.09 and 1.34). Two stamps so
# fitted hold the whole stamp on both axes, less the few per cent a stamp's print varies by (`known.SCALES`);
# a seal shorter than the stamp (another unit's round seal beside an oval stamp) is one seal.
HOLDS_STAMP = 0.94
# The known stamp found inside it: its ring inked nearly all round, with paper outside (a lone ring's
# standard is lower; here a wrong placement must not pass for the stamp).
STAMP_COVERAGE = 0.85
STAMP_CONTRAST = 0.5
# The known stamp is looked for at centres this far apart (mm), and in these orientations (an oval's).
CENTRE_STEP_MM = 1.0
OVAL_ANGLES = tuple(float(a) for a in range(0, 180, 15))


def may_be_two_stamps(union_mm: tuple[float, float], stamp_mm: tuple[float, float]) -> bool:
    """Whether an outline of semi-axes `union_mm` (long, short; mm) may be two stamps fitted as one, one of them
    the stamp of semi-axes `stamp_mm`: it holds the stamp, and is `MERGED_SIZE_RATIO` larger on either axis."""
    ratios = [union / stamp for union, stamp in zip(union_mm, stamp_mm, strict=True) if stamp > 0]
    return len(ratios) == 2 and min(ratios) >= HOLDS_STAMP and max(ratios) >= MERGED_SIZE_RATIO


def split_known_stamp(bgr: np.ndarray, union: Outline, stamp: tuple[float, float], px_per_mm: float,
                      grey: bool = False) -> tuple[Outline, Outline] | None:
    """The stamp of semi-axes `stamp` (mm) and the other seal, both in `bgr`'s pixels, when the seal `union`
    (in those pixels) is the two fitted as one; None when the ink does not bear that out. On a `grey` page
    (no colour) the seal's ink is its tone between paper and print, as the grey detector has it."""
    factor = min(1.0, WORK_PX_PER_MM / px_per_mm)
    scale = px_per_mm * factor
    around = union.points(1.3, 96)
    x0, y0 = (max(0, int(v)) for v in around.min(0))
    x1, y1 = (int(v) + 1 for v in around.max(0))
    patch = bgr[y0:y1, x0:x1]
    if patch.size == 0:
        return None
    small = cv2.resize(patch, None, fx=factor, fy=factor, interpolation=cv2.INTER_AREA) if factor < 1 else patch
    ink = without_specks(_seal_tone(small, scale) if grey else red_mask(small, MIN_RED_CHROMA + paper_lift(small)), scale)
    local = union.scaled(factor, -x0 * factor, -y0 * factor)
    first = _known_stamp(ink, local, (stamp[0] * scale, stamp[1] * scale), scale)
    if first is None:
        return None
    second = _seal_beside(ink, local, first, scale)
    if second is None:
        return None
    return first.scaled(1.0 / factor, x0, y0), second.scaled(1.0 / factor, x0, y0)


def _known_stamp(ink: np.ndarray, union: Outline, axes: tuple[float, float], scale: float) -> Outline | None:
    """Where inside `union` a ring of semi-axes `axes` (px) is inked all round."""
    a, b = axes
    shape: Shape = "round" if b >= 0.96 * a else "oval"
    angles = (0.0,) if shape == "round" else OVAL_ANGLES
    step = CENTRE_STEP_MM * scale
    centres = [(union.cx + dx, union.cy + dy)
               for dx in np.arange(-union.a, union.a + step, step) for dy in np.arange(-union.a, union.a + step, step)
               if union.contains(union.cx + dx, union.cy + dy, 0.6)]
    tried = [Outline(shape, cx, cy, a, b, angle) for cx, cy in centres for angle in angles]
    if not tried:
        return None
    best = tried[int(np.argmax(ring_scores(ink, tried, 96)))]
    fine_step = step / 4
    fine = [Outline(shape, best.cx + dx, best.cy + dy, a, b, best.angle + turn)
            for dx in np.arange(-4, 5) * fine_step for dy in np.arange(-4, 5) * fine_step
            for turn in ((0.0,) if shape == "round" else (-7.5, 0.0, 7.5))]
    best = fine[int(np.argmax(ring_scores(ink, fine, 96)))]
    ring, contrast = ring_contrast(ink, best)
    # A single seal larger than the stamp is not ruled out here: what its ring leaves over is no second seal
    # apart from this one (`_seal_beside`).
    return best if ring >= STAMP_COVERAGE and contrast >= STAMP_CONTRAST else None


def _seal_beside(ink: np.ndarray, union: Outline, first: Outline, scale: float) -> Outline | None:
    """The seal whose ring makes up the rest of `union`: fitted to the ink outside `first`'s ring band and
    judged only in the directions that band does not cross."""
    rest = ink.copy()
    band = np.zeros(rest.shape, np.uint8)
    cv2.fillPoly(band, [first.points(OVERLAP_BAND[1], 180).round().astype(np.int32)], 255)
    cv2.fillPoly(band, [first.points(OVERLAP_BAND[0], 180).round().astype(np.int32)], 0)
    rest[band > 0] = 0
    # The other seal lies across the union's centre from the stamp, about as large.
    guess = Outline("oval", 2 * union.cx - first.cx, 2 * union.cy - first.cy, first.a, first.b, first.angle)
    axes = (MIN_SEAL_MM / 2 * scale, MAX_SEAL_MM / 2 * scale)
    second, _ = ransac_ellipse(rest, rest, guess, axes)
    r = min(math.sqrt(first.a * first.b), math.sqrt(second.a * second.b))
    if math.hypot(second.cx - first.cx, second.cy - first.cy) < OVERLAP_APART * r:
        return None
    clear = directions_clear_of(second, first, *OVERLAP_BAND)
    ring, contrast = ring_contrast_over(rest, second, clear)
    inside_union = union.contains(second.cx, second.cy)
    return second if inside_union and ring >= OVERLAP_COVERAGE and contrast >= MIN_CONTRAST else None


def _seal_tone(bgr: np.ndarray, scale: float) -> np.ndarray:
    """A grey patch's seal-toned pixels (`detect.seal_tone_mask` of the patch evened out, as on a page)."""
    small = flatten(cv2.cvtColor(bgr, cv2.COLOR_BGR2GRAY), scale)
    return seal_tone_mask(small, paper_level(small))[0]
