"""The package's own stamp looked for where a slot is empty, or holds only a seal read as no one's of another size.

A unit stamps every page with the same seal, so once its stamp has been found and read on some pages,
its size is known. On a grey page the detectors look for any ring: over a table's dense print (a
thresholded scan stored as JPEG, a grey scan of the providers' table) the ring's tone mask is broken by
the rules and the print crossing it, and a search that must first propose a circle of any size from its
edges (`detect._hough`) offers it among none of its best. Knowing the size, the question is simpler:
where on the page is a ring of exactly that size inked all round, with paper outside it?

The ring is matched as a whole (`stamp_places`): the mask correlated with the stamp's ring band, less
with the band just outside it, every centre at once (the kernel's DFT); the best places are then fitted
by the same ring tests the merged-stamp split asks of a known stamp (`pairs.STAMP_COVERAGE`,
`pairs.STAMP_CONTRAST`). A ring found is only a place: the caller reads it, and keeps it only where the
reading names the unit whose stamp it is (`find._known_stamp_seals`).
"""

from __future__ import annotations

import cv2
import numpy as np

from pipeline.seals.detect import WORK_PX_PER_MM, holds_no_red, without_specks, working_tone_mask
from pipeline.seals.geometry import Outline, Shape, ring_contrast, ring_scores
from pipeline.seals.ink import MIN_RED_CHROMA, PALE_RED_CHROMA, paper_lift, red_mask

# The ring band matched (shares of the stamp's semi-axes) and the band just outside it, whose ink counts
# against the place: print crossing a ring goes on beyond it, a seal's border has paper round it.
RING_BAND = (0.9, 1.04)
OUTSIDE_BAND = (1.12, 1.3)
# The stamp's size on this page as shares of the package's (a stamp's print varies a few per cent from
# page to page: 0.94-1.06 of the median on the dev sets' grey packages).
SCALES = (0.92, 1.0, 1.08)
# Places looked at per search, best first, and how far apart (share of the stamp's short semi-axis).
PLACES = 6
PLACE_APART = 1.0
# The fit round a place: centre moved this far each way (px of the work frame) in these steps, the oval
# turned by these angles (a stamp is set down by hand, a few degrees off level).
FIT_REACH = 6
FIT_STEP = 1.5
FIT_TURNS = (-6.0, -3.0, 0.0, 3.0, 6.0)
FIT_SIZES = (0.96, 1.0, 1.04)
# A known stamp found this way is inked most of the way round with paper outside it. Lower than
# `pairs.split_known_stamp`'s standard: a table's rules and print break a seal's ring over it (0.75-0.93 on
# dev17 a03-word-bw's appendix pages); the reading that must name the unit is the test that the place is a seal.
STAMP_COVERAGE = 0.7
STAMP_CONTRAST = 0.4


def stamps_on_page(grey: np.ndarray, px_per_mm: float, axes_mm: tuple[float, float], count: int,
                   avoid: list[Outline]) -> list[Outline]:
    """`stamp_places` on a grey page (pixels; `avoid` and the result in its frame), in its seal-tone mask
    (`detect.working_tone_mask`)."""
    mask, factor = working_tone_mask(grey, px_per_mm)
    scale = px_per_mm * factor
    found = stamp_places(mask, (axes_mm[0] * scale, axes_mm[1] * scale), count,
                         [outline.scaled(factor) for outline in avoid])
    return [outline.scaled(1.0 / factor) for outline in found]


def red_stamps_on_page(bgr: np.ndarray, px_per_mm: float, axes_mm: tuple[float, float], count: int,
                       avoid: list[Outline]) -> list[Outline]:
    """`stamp_places` on a colour page (pixels; `avoid` and the result in its frame), in its clear red
    (`ink.red_mask` above the paper's tint, as `detect.detect_red` has it), and failing that in its pale red
    (`ink.PALE_RED_CHROMA`): a pale stamp over a table's print whose ring the detectors broke into arcs and
    fitted as a smaller seal, or not at all (dev60 a09-word-phone p13; dev53 a10-scan's cover, its ring clear
    red a third of the way round, pale red 0.8), is inked all round at the size the lead's stamp has on its
    other pages. Pale red is a colour fringe round print too, but not in a ring of that size with paper round it."""
    if holds_no_red(bgr):
        return []
    factor = min(1.0, WORK_PX_PER_MM / px_per_mm)
    small = cv2.resize(bgr, None, fx=factor, fy=factor, interpolation=cv2.INTER_AREA) if factor < 1 else bgr
    scale = px_per_mm * factor
    lift = paper_lift(small)
    axes = (axes_mm[0] * scale, axes_mm[1] * scale)
    there = [outline.scaled(factor) for outline in avoid]
    for chroma in (MIN_RED_CHROMA, PALE_RED_CHROMA):
        found = stamp_places(without_specks(red_mask(small, chroma + lift), scale), axes, count, there)
        if found:
            return [outline.scaled(1.0 / factor) for outline in found]
    return []


def stamp_places(mask: np.ndarray, axes: tuple[float, float], count: int,
                 avoid: list[Outline] | None = None) -> list[Outline]:
    """Up to `count` rings of semi-axes `axes` (px; level, or turned a few degrees) inked all round in `mask`
    (0/255), best first, none centred inside an outline of `avoid` (seals already found)."""
    shape: Shape = "round" if axes[1] >= 0.96 * axes[0] else "oval"
    places: list[tuple[float, float, float, float]] = []
    for scale in SCALES:
        a, b = axes[0] * scale, axes[1] * scale
        response = _ring_response(mask, a, b)
        places += [(float(response[round(y), round(x)]), x, y, scale) for x, y in _peaks(response, PLACE_APART * b, PLACES)]
    out: list[Outline] = []
    for _, cx, cy, scale in sorted(places, reverse=True)[:PLACES]:
        if any(seal.contains(cx, cy, 1.0) for seal in [*(avoid or []), *out]):
            continue
        fitted = _fit(mask, Outline(shape, cx, cy, axes[0] * scale, axes[1] * scale, 0.0))
        ring, contrast = ring_contrast(mask, fitted)
        if ring >= STAMP_COVERAGE and contrast >= STAMP_CONTRAST:
            out.append(fitted)
        if len(out) >= count:
            break
    return out


def _ring_response(mask: np.ndarray, a: float, b: float) -> np.ndarray:
    """Per centre: the share of the ring band inked less the share of the band outside it."""
    reach = int(np.ceil(OUTSIDE_BAND[1] * max(a, b))) + 1
    size = 2 * reach + 1
    ring = _band(size, reach, a, b, RING_BAND)
    outside = _band(size, reach, a, b, OUTSIDE_BAND)
    kernel = ring / max(1.0, ring.sum()) - outside / max(1.0, outside.sum())
    ink = (mask > 0).astype(np.float32)
    return cv2.filter2D(ink, cv2.CV_32F, kernel, borderType=cv2.BORDER_CONSTANT)


def _band(size: int, centre: int, a: float, b: float, band: tuple[float, float]) -> np.ndarray:
    """A level elliptical band between shares `band` of semi-axes (a, b), as a float image."""
    image = np.zeros((size, size), np.uint8)
    outer = (round(band[1] * a), round(band[1] * b))
    inner = (round(band[0] * a), round(band[0] * b))
    cv2.ellipse(image, (centre, centre), outer, 0.0, 0.0, 360.0, 1, -1)
    cv2.ellipse(image, (centre, centre), inner, 0.0, 0.0, 360.0, 0, -1)
    return image.astype(np.float32)


def _peaks(response: np.ndarray, apart: float, limit: int) -> list[tuple[float, float]]:
    """The `limit` highest points of `response` at least `apart` px from each other."""
    work = response.copy()
    radius = max(1, round(apart))
    out: list[tuple[float, float]] = []
    for _ in range(limit):
        y, x = np.unravel_index(int(np.argmax(work)), work.shape)
        if work[y, x] <= 0:
            break
        out.append((float(x), float(y)))
        cv2.circle(work, (int(x), int(y)), radius, -1e9, -1)
    return out


def _fit(mask: np.ndarray, guess: Outline) -> Outline:
    """The outline of `guess`'s size near it that the mask's ink follows best (`ring_scores`)."""
    steps = np.arange(-FIT_REACH, FIT_REACH + FIT_STEP / 2, FIT_STEP)
    turns = (0.0,) if guess.shape == "round" else FIT_TURNS
    tried = [Outline(guess.shape, guess.cx + dx, guess.cy + dy, guess.a * size, guess.b * size, turn)
             for dx in steps for dy in steps for turn in turns for size in FIT_SIZES]
    return tried[int(np.argmax(ring_scores(mask, tried, 96)))]
