"""Finding seals on a page: red ink in colour scans, rings in grey scans, images on text pages.

Each detector returns `Candidate`s in page pixels with a shape and a
confidence; `suppress` keeps one candidate per physical seal whatever found it
(the stage also drops a raster detection where an embedded seal picture is).

Sizes are in millimetres so one rule holds at 150, 200 or 300 dpi. Official
seals are 38–45 mm round or 40–45 x 30 mm oval (GB/T and the Ministry of Public
Security's seal rules), name seals and institution square seals 15–40 mm;
electronic seal images are printed at about the same size.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import cv2
import numpy as np

from models.page import SealMark
from pipeline.components import components, components_with_centres
from pipeline.quantiles import byte_counts, median_of_counts, percentile_along, percentile_of_counts
from pipeline.seals.geometry import (
    ANGLES,
    Outline,
    Shape,
    band_fill,
    coverage,
    directions_clear_of,
    fit_hull,
    hull_rectangle,
    interior_density,
    offset_planes,
    ransac_ellipse,
    ring_contrast,
    ring_contrast_over,
    ring_scores,
    ring_scores_at,
    ring_sharpness,
    sharpness_mask,
    shifted_profiles_of,
)
from pipeline.seals.ink import (
    DETECT_DEDITHER_MM,
    MIN_RED_CHROMA,
    READ_DEDITHER_MM,
    dedither,
    is_one_bit,
    paper_level,
    paper_lift,
    red_mask,
    seal_red_mask,
)
from pipeline.seals.stipple import stipple_seal

MM_PER_INCH = 25.4
MIN_SEAL_MM = 14.0
MAX_SEAL_MM = 75.0
# Detections work at this resolution: enough for a 1 mm ring, cheap for Hough.
WORK_PX_PER_MM = 4.0
# Ring coverage a border needs: round seals are drawn as one stroke, faded ones
# lose patches; a square frame is straight and survives better, and a looser
# square rule would accept blocks of red text.
MIN_RING_COVERAGE = 0.5
MIN_SQUARE_COVERAGE = 0.7
# Ring coverage minus coverage just outside it: paper must surround the border.
MIN_CONTRAST = 0.3
# Ink inside the ring (text, star): some, but not a solid blob or a block of text.
MIN_INTERIOR = 0.012
MAX_INTERIOR = 0.55
# Unless the contrast is clear, the ring band must be this much denser than the interior.
MIN_BAND_RATIO = 1.8
CLEAR_CONTRAST = 0.7
# Share of inked pixels up to which a mask counts as sparse (see `_hough_mask`).
SPARSE_MASK = 0.015
# Grey scans: the ring must stand out from what is around it (text does not form rings).
MIN_GREY_RING = 0.72
MIN_GREY_CONTRAST = 0.5
# A second seal stamped over a found one (the cover's two stamps on neighbouring lines): its centre at
# least this share of the found seal's radius away (nearer is the same seal fitted twice), its radius within
# OVERLAP_RADII of the found one's, and its ring inked in this share of the directions the found ring does
# not cross (a stricter test than a lone ring's, as part of the ring is not looked at).
OVERLAP_APART = 0.2
OVERLAP_RADII = (0.75, 1.3)
OVERLAP_COVERAGE = 0.7
# Rings inked in this share of directions, with paper round them (contrast), are real rings: two such,
# apart, are two seals; an outline round both (at most UNION_RATIO their size) is neither.
DISTINCT_COVERAGE = 0.9
DISTINCT_CONTRAST = 0.6
# Centres this share of the smaller radius apart are two rings' (see `distinct_rings`).
FAR_APART = 0.5
UNION_RATIO = 0.9
# A second ring centred inside a seal reaches out beyond it: ink in this share of the directions of the
# band between OVERLAP_OUTSIDE's scales, or no second ring is looked for.
OVERLAP_OUTSIDE = (1.15, 1.45, 6)
OVERLAP_OUTSIDE_INK = 0.15
# The found seal's ring band left out of the second ring's evidence, as scales of its outline.
OVERLAP_BAND = (0.85, 1.12)
# An outline whose box overlaps two seals' joint box this much (IoU), and by this much more than either's
# alone, is one fit round both.
PAIR_BOX_IOU = 0.8
PAIR_BOX_LEAD = 0.1
# Circles whose smallest radius is at least twice this (px) are looked for at half size (`_hough`).
HOUGH_HALF_MIN_RADIUS = 10
# Votes a circle's centre needs on the half-size copy (`_votes`); 20 at full size.
HALF_VOTES = 10
# The ring pre-filter's margin over the most directions one ink pixel can cover (`could_hold_ring`).
RING_INK_MARGIN = 2.0

Source = Literal["red", "grey", "image"]


@dataclass(frozen=True)
class Candidate:
    """One seal found on a page, in that page's pixels."""

    outline: Outline
    confidence: float
    source: Source
    # How completely ink follows the outline (0..1): compares rival explanations of one ink group.
    coverage: float = 1.0
    # Coverage on the outline minus just outside it: how clearly paper surrounds the border.
    contrast: float = 1.0

    @property
    def shape(self) -> Shape:
        return self.outline.shape

    def mark(self) -> SealMark:
        """This candidate as the page carries it (see `pipeline.seals.scan`)."""
        o = self.outline
        return SealMark(o.shape, o.cx, o.cy, o.a, o.b, o.angle, self.confidence, self.source, self.coverage,
                        self.contrast)

    @classmethod
    def of_mark(cls, mark: SealMark) -> Candidate:
        outline = Outline(mark.shape, mark.cx, mark.cy, mark.a, mark.b, mark.angle)
        return cls(outline, mark.confidence, mark.source, mark.coverage, mark.contrast)

    def moved(self, dx: float, dy: float) -> Candidate:
        return Candidate(self.outline.scaled(1.0, dx, dy), self.confidence, self.source, self.coverage,
                         self.contrast)


def detect_red(bgr: np.ndarray, dpi: float) -> list[Candidate]:
    """Seals in a colour image: red ink grouped into regions, each fitted with a seal outline."""
    if holds_no_red(bgr):
        return []
    px_per_mm = dpi / MM_PER_INCH
    factor = min(1.0, WORK_PX_PER_MM / px_per_mm)
    small = cv2.resize(bgr, None, fx=factor, fy=factor, interpolation=cv2.INTER_AREA) if factor < 1 else bgr
    lift = paper_lift(small)
    mask = red_mask(small, MIN_RED_CHROMA + lift)
    clean = without_specks(mask, px_per_mm * factor)  # once, for both searches
    found = detect_in_clean(clean, px_per_mm * factor)
    found = with_overlapping(clean, found, px_per_mm * factor)
    found += pale_seals(small, mask, found, px_per_mm * factor, lift)
    return [Candidate(c.outline.scaled(1.0 / factor), c.confidence, "red", c.coverage) for c in found]


# Red above green by this much somewhere on the page, or no seal red anywhere in its reduced copy (`holds_no_red`).
RED_OVER_GREEN = MIN_RED_CHROMA - 2


def holds_no_red(bgr: np.ndarray) -> bool:
    """Whether no pixel's red stands `RED_OVER_GREEN` above its green: then `detect_red` finds nothing, and
    is spared reducing the page and separating its inks (a colour page without a seal, most of a package).

    The reduced copy's pixels are weighted means of the page's, each channel rounded: a mean's red less its
    green is at most the largest red less green plus one, and its seal chroma (red less the larger of green
    and blue) no more than that. Under `MIN_RED_CHROMA` everywhere, its red mask is empty, and so is every
    search of `detect_red` (all start from clear red). The margin of one more covers the weights' rounding.
    """
    _, green, red = cv2.split(bgr)
    return cv2.minMaxLoc(cv2.subtract(red, green))[1] < RED_OVER_GREEN


def pale_seals(bgr: np.ndarray, clear: np.ndarray, found: list[Candidate], px_per_mm: float,
               lift: int = 0) -> list[Candidate]:
    """Seals in the clear red (`clear`) that no found seal holds, looked for again with the pale red near
    it (`ink.seal_red_mask`): a lightly inked seal's ring is clear red, its lettering only pale.

    Only there: on a page whose clear red all lies in found seals nothing more is searched, and those
    seals' outlines stay as fitted to clear red (a phone capture's JPEG colour blocks tint the paper round
    a seal pale red, which would swamp its ring's contrast).
    """
    left = clear.copy()
    for cand in found:
        cv2.fillPoly(left, [cand.outline.points(1.1, 96).round().astype(np.int32)], 0)
    left = drop_specks(left, max(3, round(0.2 * px_per_mm**2)))
    if not could_hold_ring(left, MIN_RING_COVERAGE, px_per_mm):
        return []
    more = detect_in_mask(seal_red_mask(bgr, px_per_mm, left, lift), px_per_mm)
    return [c for c in more if not any(_same_seal(c.outline, f.outline) for f in found)]


def detect_in_mask(mask: np.ndarray, px_per_mm: float, min_contrast: float = MIN_CONTRAST,
                   coarse: bool = True) -> list[Candidate]:
    """Seal candidates in a 0/255 ink mask, found three ways that fail differently; `suppress` keeps one each.

    - a connected piece of seal size, fitted alone: usually a whole ring, which
      then fits cleanly even when print or a signature touches the seal;
    - a group of ink within ~3 mm, fitted as a whole: rings broken into arcs;
    - circles over the whole mask (Hough): rings too broken to group, and
      touching seals.
    """
    return detect_in_clean(without_specks(mask, px_per_mm), px_per_mm, min_contrast, coarse)


def detect_in_clean(clean: np.ndarray, px_per_mm: float, min_contrast: float = MIN_CONTRAST,
                    coarse: bool = True) -> list[Candidate]:
    """`detect_in_mask` of a mask already rid of its specks (`without_specks`)."""
    if not could_hold_ring(clean, MIN_RING_COVERAGE, px_per_mm):
        return []
    found = _from_components(clean, px_per_mm) + _from_groups(clean, px_per_mm)
    found.extend(find_rings(clean, clean, px_per_mm, min_coverage=MIN_RING_COVERAGE, coarse=coarse))
    return suppress([c for c in found if c.contrast >= min_contrast])


def could_hold_ring(ink: np.ndarray, min_coverage: float, px_per_mm: float) -> bool:
    """Whether `ink` has enough inked pixels for any seal ring of `min_coverage`: the pre-filter that lets
    a page without seal ink (no red, a blank page) skip Hough and the ellipse fits.

    Coverage counts the `ANGLES` directions in which ink lies on the ring. One pixel lies on at most
    the directions its diagonal subtends at the smallest ring's inner edge, plus one; a ring needs
    `min_coverage * ANGLES` directions, so at least that many over this pixels (with a margin).
    """
    inner = 0.9 * max(4.0, MIN_SEAL_MM / 2 * px_per_mm)
    per_pixel = ANGLES * math.sqrt(2.0) / (2.0 * math.pi * inner) + 1.0
    return cv2.countNonZero(ink) * per_pixel * RING_INK_MARGIN >= min_coverage * ANGLES


def _seal_sized(w: int, h: int, px_per_mm: float) -> bool:
    return max(w, h) >= MIN_SEAL_MM * px_per_mm * 0.8 and min(w, h) >= MIN_SEAL_MM * px_per_mm * 0.5


def _from_components(clean: np.ndarray, px_per_mm: float) -> list[Candidate]:
    _, labels, stats = components(clean, 8)
    found: list[Candidate] = []
    pad = 2
    # A grey page's tone mask holds thousands of specks of print edge: size them all at once.
    w_all, h_all = stats[:, cv2.CC_STAT_WIDTH], stats[:, cv2.CC_STAT_HEIGHT]
    sized = (np.maximum(w_all, h_all) >= MIN_SEAL_MM * px_per_mm * 0.8) \
        & (np.minimum(w_all, h_all) >= MIN_SEAL_MM * px_per_mm * 0.5)
    for i in np.flatnonzero(sized[1:]) + 1:
        x, y, w, h = (int(v) for v in stats[i, :4])
        if not _seal_sized(w, h, px_per_mm):
            continue
        x0, y0 = max(0, x - pad), max(0, y - pad)
        x1, y1 = min(clean.shape[1], x + w + pad), min(clean.shape[0], y + h + pad)
        piece = (labels[y0:y1, x0:x1] == i).astype(np.uint8) * 255
        found.extend(c.moved(x0, y0) for c in classify_region(piece, clean[y0:y1, x0:x1], px_per_mm))
    return found


def _from_groups(clean: np.ndarray, px_per_mm: float) -> list[Candidate]:
    # Ink within ~3 mm belongs together: a seal's text sits that close to its ring.
    reach = max(3, round(3.0 * px_per_mm)) | 1
    grouped = cv2.dilate(clean, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (reach, reach)))
    contours, _ = cv2.findContours(grouped, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    found: list[Candidate] = []
    for contour in contours:
        x, y, w, h = cv2.boundingRect(contour)
        if not _seal_sized(w, h, px_per_mm):
            continue
        region = np.zeros((h, w), np.uint8)
        cv2.drawContours(region, [contour - [x, y]], -1, 255, cv2.FILLED)
        ink = clean[y : y + h, x : x + w] & region
        found.extend(c.moved(x, y) for c in classify_region(ink, ink, px_per_mm))
    return found


def without_specks(mask: np.ndarray, px_per_mm: float) -> np.ndarray:
    """The mask without specks under 0.2 mm² (`drop_specks`): the ink every seal search looks at."""
    return drop_specks(mask, max(3, round(0.2 * px_per_mm**2)))


def drop_specks(mask: np.ndarray, min_area: int) -> np.ndarray:
    """The mask without connected specks smaller than `min_area` (scanner noise, JPEG colour bleed).

    Unlike a morphological opening this keeps thin strokes, which faded seal ink is made of.
    """
    count, labels, stats = components(mask, 8)
    keep = np.zeros(count, np.uint8)
    keep[1:] = (stats[1:, cv2.CC_STAT_AREA] >= min_area).astype(np.uint8) * 255
    return keep[labels]


def classify_region(ink: np.ndarray, measure: np.ndarray, px_per_mm: float) -> list[Candidate]:
    """Decide what some ink is: seals (round, oval or square, one or several touching) or no seal.

    The outline is fitted to `ink`; how well ink follows it is measured on
    `measure` (the same, or all the ink around it). Seals are peeled off one
    at a time: the best-fitting seal's ink is removed and the rest looked at
    again, so two overlapping seals (a consortium, a cover) come out as two.
    Red headings and underlines fail on shape (long and thin, no border);
    blocks of red text fail on ring coverage.
    """
    found: list[Candidate] = []
    remaining = ink.copy()
    for _ in range(4):
        seal = _single_seal(remaining, measure, px_per_mm)
        if seal is None:
            break
        found.append(seal)
        cv2.fillPoly(remaining, [seal.outline.points(1.08, 96).round().astype(np.int32)], 0)
        left = cv2.findNonZero(remaining)
        if left is None:
            break
        _, _, w, h = cv2.boundingRect(left)
        if not _seal_sized(w, h, px_per_mm):
            break
    # Circles too broken to fit here are found by `find_rings` over the whole mask.
    return found


def _single_seal(ink: np.ndarray, measure: np.ndarray, px_per_mm: float) -> Candidate | None:
    """The best single seal in `ink`, if its border is well inked and of seal size and shape."""
    points = cv2.findNonZero(ink)
    if points is None:
        return None
    hulled = hull_rectangle(points.reshape(-1, 2))
    # Too small a rectangle is judged before the ellipse is fitted (the hull densified, `fitEllipse`): most
    # groups of a page's ink are, and either way there is no seal.
    if hulled is None or min(hulled.square.a, hulled.square.b) * 2 / px_per_mm < MIN_SEAL_MM:
        return None
    fits = fit_hull(hulled)
    if fits is None:
        return None
    ellipse, square, fill = fits
    aspect = max(square.a, square.b) / max(min(square.a, square.b), 1e-6)
    # A square seal's hull fills its bounding rectangle; a round one fills pi/4 of it.
    if fill >= 0.88 and aspect <= 1.6 and max(square.a, square.b) * 2 / px_per_mm <= MAX_SEAL_MM:
        ring = coverage(measure, square, 0.88, 1.02)
        inside = interior_density(measure, square, 0.8)
        if ring >= MIN_SQUARE_COVERAGE and MIN_INTERIOR <= inside <= MAX_INTERIOR:
            size_ok = _size_score(2 * max(square.a, square.b) / px_per_mm)
            return Candidate(square, _confidence(ring, MIN_SQUARE_COVERAGE) * size_ok, "red", ring)
        return None
    axes = (MIN_SEAL_MM / 2 * px_per_mm, MAX_SEAL_MM / 2 * px_per_mm)
    ellipse, _ = ransac_ellipse(ink, measure, ellipse, axes)
    outline = _named_shape(ellipse)
    ring, contrast = ring_contrast(measure, outline)
    if ring < MIN_RING_COVERAGE or contrast < MIN_CONTRAST or not _inked_like_a_seal(measure, outline, contrast):
        return None
    size_ok = _size_score(outline.diameter / px_per_mm)
    return Candidate(outline, _confidence(ring, MIN_RING_COVERAGE) * size_ok, "red", ring, contrast)


def _inked_like_a_seal(ink: np.ndarray, outline: Outline, contrast: float) -> bool:
    """Some ink inside (text, star), and a border that is clearly a ring.

    An outline laid over a block of text finds about as much ink just outside
    it as on it (low contrast) and a band about as dense as the interior; a
    seal's ring is a solid line with paper outside, around sparse lettering.
    A clear contrast alone suffices: a second seal overlapping this one makes
    the interior dense without making the ring any less a ring.
    """
    inside = interior_density(ink, outline, 0.75)
    if not MIN_INTERIOR <= inside <= MAX_INTERIOR:
        return False
    return contrast >= CLEAR_CONTRAST or band_fill(ink, outline, 0.9, 1.03) >= MIN_BAND_RATIO * inside


def _named_shape(ellipse: Outline) -> Outline:
    """Round when the axes differ by under 12% (stamping and scanning distort a circle that much)."""
    if ellipse.a / max(ellipse.b, 1e-6) <= 1.12:
        r = (ellipse.a + ellipse.b) / 2
        return Outline("round", ellipse.cx, ellipse.cy, r, r, 0.0)
    return Outline("oval", ellipse.cx, ellipse.cy, ellipse.a, ellipse.b, ellipse.angle)


def find_rings(ink: np.ndarray, measure: np.ndarray, px_per_mm: float, min_coverage: float,
               coarse: bool = True) -> list[Candidate]:
    """Circles of seal size in an ink mask (Hough), each kept only if ink (in `measure`) really follows it
    (`coarse`: see `_hough`)."""
    r_min = max(4, round(MIN_SEAL_MM / 2 * px_per_mm))
    r_max = round(MAX_SEAL_MM / 2 * px_per_mm)
    blurred = cv2.GaussianBlur(ink, (0, 0), 1.5)
    circles = _hough_mask(blurred, r_min, r_max, coarse)
    if circles is None:
        return []
    return suppress(_judged_rings(measure, circles[0][:40], px_per_mm, min_coverage, MIN_CONTRAST, "red"))


def _judged_rings(measure: np.ndarray, circles: np.ndarray, px_per_mm: float, min_coverage: float,
                  min_contrast: float, source: Source) -> list[Candidate]:
    """Hough circles (cx, cy, r) snapped onto their rings (`_refine_circle`), each kept only if ink (in
    `measure`) follows it like a seal's ring: inked round, paper outside, some ink inside but no blob."""
    found = []
    for outline in _refine_circles(measure, [Outline("round", float(cx), float(cy), float(r), float(r))
                                             for cx, cy, r in circles]):
        ring, contrast = ring_contrast(measure, outline)
        if ring >= min_coverage and contrast >= min_contrast and _inked_like_a_seal(measure, outline, contrast):
            confidence = _confidence(ring, min_coverage) * _size_score(outline.diameter / px_per_mm)
            found.append(Candidate(outline, confidence, source, ring, contrast))
    return found


def with_overlapping(ink: np.ndarray, kept: list[Candidate], px_per_mm: float) -> list[Candidate]:
    """`kept` and the seals stamped over them: rings whose centre lies inside a found seal.

    Two stamps on neighbouring lines overlap so much that each centre lies well inside the other
    seal, so `suppress` keeps one, and a fit of their joint ink is one oval round both. The second
    ring is looked for with the found seal's ring band left out of the ink, and judged only in the
    directions that band does not cross.
    """
    extra: list[Candidate] = []
    unions: list[Candidate] = []
    for cand in kept:
        if cand.shape not in ("round", "oval"):
            continue
        for ring in _rings_over(ink, cand.outline, px_per_mm):
            # An outline round this seal and the ring is their joint ink fitted as one: not the ring's place.
            round_both = [o for o in kept if _round_pair(o.outline, cand.outline, ring.outline)]
            if not any(_same_place(ring.outline, other.outline) for other in [*kept, *extra] if other not in round_both):
                extra.append(ring)
                unions += round_both
    if not unions:
        return suppress(kept + extra) if extra else kept
    # Two rings with an outline fitted round both are two stamps: each ring stays, whatever `suppress` makes
    # of a ring half hidden under the other (its contrast is measured where the other's lettering lies).
    seals = suppress([c for c in kept if not any(c is u for u in unions)])
    return seals + [ring for ring in suppress(extra) if not any(_same_place(ring.outline, s.outline) for s in seals)]


def _round_pair(outline: Outline, a: Outline, b: Outline) -> bool:
    """Whether `outline` is one fit round two seals' outlines `a` and `b`: its box is their joint box
    (`PAIR_BOX_IOU`), clearly more than either's alone (`PAIR_BOX_LEAD`)."""
    if outline is a or outline is b:
        return False
    joint = _joint_box(a.box(), b.box())
    own = outline.box()
    pair = _box_iou(own, joint)
    return pair >= PAIR_BOX_IOU and pair >= max(_box_iou(own, a.box()), _box_iou(own, b.box())) + PAIR_BOX_LEAD


def _joint_box(p: tuple[float, ...], q: tuple[float, ...]) -> tuple[float, float, float, float]:
    return min(p[0], q[0]), min(p[1], q[1]), max(p[2], q[2]), max(p[3], q[3])


def _box_iou(p: tuple[float, ...], q: tuple[float, ...]) -> float:
    width, height = min(p[2], q[2]) - max(p[0], q[0]), min(p[3], q[3]) - max(p[1], q[1])
    if width <= 0 or height <= 0:
        return 0.0
    inter = width * height
    return inter / ((p[2] - p[0]) * (p[3] - p[1]) + (q[2] - q[0]) * (q[3] - q[1]) - inter)


def _rings_over(ink: np.ndarray, found: Outline, px_per_mm: float) -> list[Candidate]:
    """Circles of about `found`'s size centred inside it, inked where `found`'s ring is not."""
    r = math.sqrt(found.a * found.b)
    x0, y0 = max(0, int(found.cx - 2.3 * r)), max(0, int(found.cy - 2.3 * r))
    x1, y1 = min(ink.shape[1], int(found.cx + 2.3 * r) + 1), min(ink.shape[0], int(found.cy + 2.3 * r) + 1)
    local = found.scaled(1.0, -x0, -y0)
    rest = ink[y0:y1, x0:x1].copy()
    band = np.zeros(rest.shape, np.uint8)
    cv2.fillPoly(band, [local.points(OVERLAP_BAND[1], 180).round().astype(np.int32)], 255)
    cv2.fillPoly(band, [local.points(OVERLAP_BAND[0], 180).round().astype(np.int32)], 0)
    rest[band > 0] = 0
    if coverage(rest, local, *OVERLAP_OUTSIDE) < OVERLAP_OUTSIDE_INK:
        return []  # paper round the seal: no second ring reaches out of it
    r_min = max(MIN_SEAL_MM / 2 * px_per_mm, OVERLAP_RADII[0] * r)
    r_max = min(MAX_SEAL_MM / 2 * px_per_mm, OVERLAP_RADII[1] * r)
    if r_max <= r_min:
        return []
    circles = _hough(cv2.GaussianBlur(rest, (0, 0), 1.5), round(r_min), round(r_max))
    found_here = []
    for cx, cy, radius in ([] if circles is None else circles[0][:8]):
        if math.hypot(cx - local.cx, cy - local.cy) < OVERLAP_APART * r or not local.contains(cx, cy):
            continue
        outline = _refine_circle(rest, Outline("round", float(cx), float(cy), float(radius), float(radius)))
        clear = directions_clear_of(outline, local, *OVERLAP_BAND)
        if clear.mean() < 0.4:
            continue
        ring, contrast = ring_contrast_over(rest, outline, clear)
        inside = interior_density(rest, outline, 0.75)
        if ring >= OVERLAP_COVERAGE and contrast >= MIN_CONTRAST and MIN_INTERIOR <= inside <= MAX_INTERIOR:
            confidence = _confidence(ring, OVERLAP_COVERAGE) * _size_score(outline.diameter / px_per_mm)
            found_here.append(Candidate(outline.scaled(1.0, x0, y0), confidence, "red", ring, contrast))
    return suppress(found_here)


def _same_place(a: Outline, b: Outline) -> bool:
    """Two outlines fitted to one seal: centres closer than `OVERLAP_APART` of the smaller radius."""
    r = min(math.sqrt(a.a * a.b), math.sqrt(b.a * b.b))
    return math.hypot(a.cx - b.cx, a.cy - b.cy) < OVERLAP_APART * r


def _hough(image: np.ndarray, r_min: int, r_max: int, coarse: bool = True) -> np.ndarray | None:
    """Circle candidates on a grey page, permissive: every one is checked against the ink afterwards.

    The ALT variant scores circles by how complete their edge is rather than by
    raw votes, so dense print does not flood it with false circles (and it is
    several times faster on a full page).
    """
    if coarse and r_min >= 2 * HOUGH_HALF_MIN_RADIUS:
        # Large circles are looked for on a half-size copy: a quarter of the pixels to vote, and the
        # callers snap every circle onto its ring at full size (`_refine_circle`) before judging it.
        # Not on a 1-bit scan's blurred dots (`coarse` False): halved, their faint ring no longer passes.
        half = cv2.resize(image, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA)
        circles = cv2.HoughCircles(half, cv2.HOUGH_GRADIENT_ALT, dp=1.5, minDist=r_min / 2, param1=120,
                                   param2=0.4, minRadius=r_min // 2, maxRadius=(r_max + 1) // 2)
        return None if circles is None else circles * 2.0
    return cv2.HoughCircles(image, cv2.HOUGH_GRADIENT_ALT, dp=1.5, minDist=r_min, param1=120, param2=0.4,
                            minRadius=r_min, maxRadius=r_max)


def _hough_mask(mask: np.ndarray, r_min: int, r_max: int, coarse: bool = True) -> np.ndarray | None:
    """Circle candidates in an ink mask.

    In a sparse mask (seal ink only, as red ink is) classic vote counting still
    finds a ring that fading has broken into dashes, where the ALT variant
    wants continuous edges, and it is fast. In a dense one (grey print edges
    in a grey scan's seal-tone mask) it would take seconds and return hundreds
    of circles, so ALT is used there.
    """
    if np.count_nonzero(mask > 64) <= SPARSE_MASK * mask.size:
        return cv2.HoughCircles(mask, cv2.HOUGH_GRADIENT, dp=2, minDist=r_min, param1=100, param2=20,
                                minRadius=r_min, maxRadius=r_max)
    return _hough(mask, r_min, r_max, coarse)


def _votes(blurred: np.ndarray, r_min: int, r_max: int, min_dist: float, coarse: bool = True) -> np.ndarray | None:
    """Circles by vote counting (`cv2.HOUGH_GRADIENT`) in a blurred window of ink round a found seal, best first
    (`coarse`: see `_hough`).

    Such a window of a grey page is crowded with print, whose every edge pixel votes for hundreds of centres,
    each then given a radius from all the edge pixels (~0.1 s a window at full size). Large circles are looked
    for on a half-size copy with an accumulator cell of the same size in page pixels (2 px) and half the votes
    asked for (a ring has half the edge pixels there): a quarter of the pixels, and fewer centres. The callers
    snap or fit every circle onto its ring at full size.
    """
    if coarse and r_min >= 2 * HOUGH_HALF_MIN_RADIUS:
        half = cv2.resize(blurred, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA)
        circles = cv2.HoughCircles(half, cv2.HOUGH_GRADIENT, dp=1, minDist=max(1.0, min_dist / 2), param1=100,
                                   param2=HALF_VOTES, minRadius=r_min // 2, maxRadius=(r_max + 1) // 2)
        return None if circles is None else circles * 2.0
    return cv2.HoughCircles(blurred, cv2.HOUGH_GRADIENT, dp=2, minDist=min_dist, param1=100, param2=20,
                            minRadius=r_min, maxRadius=r_max)


# `_refine_circle`'s reach: the centre moved this many px each way, the radius profiled at these factors, and
# the snapped radius that much past the profile's best (the ring's outer edge): the radius by `REFINE_SCALES`.
REFINE_SHIFT = 2
REFINE_PROFILE = np.linspace(0.9, 1.1, 11)
REFINE_OUTER = 0.03
REFINE_SCALES = REFINE_PROFILE + REFINE_OUTER


def _refine_circle(ink: np.ndarray, circle: Outline) -> Outline:
    """Snap a Hough circle to the outer edge of its ring (Hough centres and radii are a few px off)."""
    return _refine_circles(ink, [circle])[0]


# Circles snapped together by `_refine_circles`: the samples of this many (~24,000 each) at once.
REFINE_CHUNK = 16
REFINE_SHIFTS = [(dx, dy) for dx in (-REFINE_SHIFT, 0, REFINE_SHIFT) for dy in (-REFINE_SHIFT, 0, REFINE_SHIFT)]


def _refine_circles(ink: np.ndarray, circles: list[Outline]) -> list[Outline]:
    """`_refine_circle` of each circle, their ring profiles looked up together (a page's Hough circles:
    one gather instead of one per circle). Each circle keeps its first best (shift, scale) in the order
    shift by shift, scale by scale, as one by one: the first maximum of its profiles read row by row."""
    snapped: list[Outline] = []
    for start in range(0, len(circles), REFINE_CHUNK):
        chunk = circles[start:start + REFINE_CHUNK]
        profiles = shifted_profiles_of(ink, chunk, REFINE_SHIFTS, REFINE_PROFILE)
        for circle, profile in zip(chunk, profiles, strict=True):
            shift, index = divmod(int(np.argmax(profile)), len(REFINE_PROFILE))
            dx, dy = REFINE_SHIFTS[shift]
            scale = float(REFINE_PROFILE[index]) + REFINE_OUTER
            snapped.append(Outline("round", circle.cx + dx, circle.cy + dy, circle.a * scale, circle.b * scale))
    return snapped


def detect_grey(grey: np.ndarray, dpi: float, one_bit: bool | None = None) -> list[Candidate]:
    """Seals in a greyscale scan, by the seal's own grey tone and by dark rings.

    `one_bit`: look at the page as a 1-bit capture (dedithered first), whatever its pixels' levels say
    (None: as `ink.is_one_bit` says of the whole page). A dither scan deskewed to the reading's dpi spreads its
    dots over grey neighbours and passes for grey (`ink.dithered`); its seals are then dots the tone mask
    cannot join (`find._dedithered_seals` asks again with True where a slot is empty).

    Red ink scans mid-grey or light grey, print near black. Pixels between
    the paper and the print form a "seal-tone" mask, in which seals are found
    as in colour (any shape, broken rings too). A seal as dark as print is not
    in that mask; it is found as a circle whose ring is inked all round and
    stands out from what is around it (text does not form rings). An oval seal
    whose ring the table rules and print join to everything round it is found
    as a circle in the mask squeezed across (`find_ovals`).
    """
    px_per_mm = dpi / MM_PER_INCH
    page_grey = grey
    bilevel = is_one_bit(grey, whole_page=True) if one_bit is None else one_bit
    factor = min(1.0, WORK_PX_PER_MM / px_per_mm)
    sharp = grey
    if bilevel:
        # Lightly dedithered for the star (`starred_seals`): its dots joined, print not yet melted into it.
        sharp = dedither(grey, px_per_mm, READ_DEDITHER_MM)
        sharp = cv2.resize(sharp, None, fx=factor, fy=factor, interpolation=cv2.INTER_AREA) if factor < 1 else sharp
        # A 1-bit scan (fax, threshold) keeps a red seal only as scattered dots: blurred, they form a ring.
        grey = dedither(grey, px_per_mm, DETECT_DEDITHER_MM)
    small = cv2.resize(grey, None, fx=factor, fy=factor, interpolation=cv2.INTER_AREA) if factor < 1 else grey
    scale_mm = px_per_mm * factor
    small = flatten(small, scale_mm)
    paper = paper_level(small)
    tone_mask, print_level = seal_tone_mask(small, paper)
    # Grey print shares the seal's tone on poor scans: demand a clearer ring than in colour.
    clean_tone = without_specks(tone_mask, scale_mm)  # once, for the seals and the ovals in it
    found = [Candidate(c.outline, c.confidence * 0.95, "grey", c.coverage, c.contrast)
             for c in detect_in_clean(clean_tone, scale_mm, MIN_GREY_CONTRAST, coarse=not bilevel)]
    found += _dark_rings(small, paper, print_level, scale_mm, coarse=not bilevel)
    if bilevel:
        found += starred_seals(sharp, small, paper, scale_mm)
    ovals = ovals_in_clean(clean_tone, scale_mm, one_bit=bilevel)
    found += [oval for oval in ovals if not _has_border(oval, found)]
    found = suppress(found)
    if bilevel:
        # Blurred, a 1-bit page's dense print is seal-toned too: only a ring tells a seal from a block of text,
        # and dots and noise tell no second ring through the first.
        found = _one_bit_seals([c for c in found if c.outline.shape in ("round", "oval")], page_grey, dpi,
                               clean_tone, factor)
    else:
        found = with_overlapping(tone_mask, found, scale_mm)
        beside = [ring for ring in stamps_beside(clean_tone, found, scale_mm)
                  if not any(_same_seal(ring.outline, c.outline) for c in found)]
        found = found + suppress(beside)
        # An oval beside an oval is judged against what was found at its place: a found seal's lettering
        # fitted as a smaller circle inside its ring is no seal beside the oval that ring is.
        ovals = ovals_beside(clean_tone, found, scale_mm)
        found = suppress(found + ovals) if ovals else found
    return [Candidate(c.outline.scaled(1.0 / factor), c.confidence, "grey", c.coverage) for c in found]


def working_tone_mask(grey: np.ndarray, px_per_mm: float) -> tuple[np.ndarray, float]:
    """A grey page's seal-tone mask (`seal_tone_mask`) at the detectors' working resolution, its paper evened
    out (`flatten`) and rid of specks, and the factor the page was reduced by to get there."""
    factor = min(1.0, WORK_PX_PER_MM / px_per_mm)
    small = cv2.resize(grey, None, fx=factor, fy=factor, interpolation=cv2.INTER_AREA) if factor < 1 else grey
    scale = px_per_mm * factor
    small = flatten(small, scale)
    return without_specks(seal_tone_mask(small, paper_level(small))[0], scale), factor


# A faint grey seal over print (`faint_rings`): its ring's band is inked this many times as densely as the
# print inside it and the print just outside it, whichever is denser.
FAINT_RING_RATIO = 1.15
# The band just outside a ring that its print density is taken in (shares of the outline's size).
FAINT_OUTSIDE = (1.1, 1.25)


def faint_rings(grey: np.ndarray, dpi: float) -> list[Candidate]:
    """Round and oval seals in a grey scan's seal-tone mask judged by their ring alone, for a page of a slot no
    seal fills (`find._seals_again`).

    A faint seal stamped over a table or a paragraph has the print's anti-aliased edges inside it as well as
    on its ring: its interior is as dense as a seal's band is asked to outdo (`_inked_like_a_seal`, 1.8 times)
    and its contrast under `CLEAR_CONTRAST` (dev42 a04 p13's service providers, r13 p2's paragraph, a11 p9's
    oval over the contracts: rings 0.83-0.97, bands 1.2-1.7 times the interior). Here a ring inked nearly all
    round (`MIN_GREY_RING`) whose band is denser than the print on either side of it is a seal; a circle laid
    through text finds the band no denser than the print round it."""
    clean, factor = working_tone_mask(grey, dpi / MM_PER_INCH)
    scale_mm = dpi / MM_PER_INCH * factor
    if not could_hold_ring(clean, MIN_GREY_RING, scale_mm):
        return []
    r_min = max(4, round(MIN_SEAL_MM / 2 * scale_mm))
    r_max = round(MAX_SEAL_MM / 2 * scale_mm)
    circles = _hough_mask(cv2.GaussianBlur(clean, (0, 0), 1.5), r_min, r_max)
    outlines = [] if circles is None else _refine_circles(
        clean, [Outline("round", float(cx), float(cy), float(r), float(r)) for cx, cy, r in circles[0][:40]])
    squeezed = cv2.resize(clean, None, fx=OVAL_SQUEEZE, fy=1.0, interpolation=cv2.INTER_AREA)
    ovals = _hough_mask(cv2.GaussianBlur(squeezed, (0, 0), 1.5), r_min, round(r_max * OVAL_SQUEEZE))
    for cx, cy, r in ([] if ovals is None else ovals[0][:OVAL_CIRCLES]):
        a = float(r) / OVAL_SQUEEZE
        outlines.append(ring_round(clean, float(cx) / OVAL_SQUEEZE, float(cy), OVAL_SPAN[0] * a, scale_mm,
                                   OVAL_SPAN[1] * a)[0])
    found = [cand for outline in outlines if (cand := _faint_ring(clean, outline, scale_mm)) is not None]
    return [Candidate(c.outline.scaled(1.0 / factor), c.confidence, "grey", c.coverage) for c in suppress(found)]


def _faint_ring(clean: np.ndarray, outline: Outline, scale_mm: float) -> Candidate | None:
    """`outline` as a faint seal's ring over print (`faint_rings`), or None."""
    ring, contrast = ring_contrast(clean, outline)
    if ring < MIN_GREY_RING or contrast < DISTINCT_CONTRAST:
        return None
    inside = interior_density(clean, outline, 0.75)
    if not MIN_INTERIOR <= inside <= MAX_INTERIOR:
        return None
    around = max(inside, band_fill(clean, outline, *FAINT_OUTSIDE))
    if band_fill(clean, outline, 0.9, 1.03) < FAINT_RING_RATIO * around:
        return None
    confidence = _confidence(ring, MIN_GREY_RING) * _size_score(outline.diameter / scale_mm)
    return Candidate(outline, confidence, "grey", ring, contrast)


# The cover's second stamp, on the next line, overlaps the first: centres less than this many of its radii apart.
BESIDE_REACH = 2.0


def stamps_beside(clean: np.ndarray, found: list[Candidate], px_per_mm: float) -> list[Candidate]:
    """Rings overlapping a found round seal, of its size (`OVERLAP_RADII`) and inked all round
    (`DISTINCT_COVERAGE`): the cover's second stamp, whose contrast the lines of print running beside
    its ring (the applicant's and recommender's names under the stamps) take below a lone seal's
    (`MIN_GREY_CONTRAST`); a ring that complete, of the stamp's size beside it, needs only `MIN_CONTRAST`.
    Its centre lies outside the found seal (`_rings_over` looks inside)."""
    out: list[Candidate] = []
    for cand in found:
        if cand.outline.shape != "round":
            continue
        r = cand.outline.a
        window, left, top, circles = _circles_around(
            clean, cand.outline.cx, cand.outline.cy, (BESIDE_REACH + OVERLAP_RADII[1]) * r,
            max(4, round(OVERLAP_APART * r)), (round(OVERLAP_RADII[0] * r), round(OVERLAP_RADII[1] * r)), coarse=True)
        local = cand.outline.scaled(1.0, -left, -top)
        beside = [circle for circle in (Outline("round", float(cx), float(cy), float(radius), float(radius))
                                        for cx, cy, radius in circles) if _could_be_beside(circle, local)]
        for outline in _refine_circles(window, beside):
            stamp = second_stamp(window, outline, local, px_per_mm)
            if stamp is not None:
                out.append(stamp.moved(left, top))
    return out


def _could_be_beside(circle: Outline, first: Outline) -> bool:
    """Whether any outline `_refine_circle` can snap `circle` to (centre moved by `REFINE_SHIFT` each way, radius
    `REFINE_SCALES` of it) could lie where `second_stamp` wants a second stamp beside `first`: a circle that
    could not is not snapped at all (most of a window's circles are the first seal's own ring and lettering)."""
    r = first.a
    apart = math.hypot(circle.cx - first.cx, circle.cy - first.cy)
    slack = REFINE_SHIFT * math.sqrt(2.0) + 1e-6
    smallest, largest = circle.a * REFINE_SCALES[0] - 1e-6, circle.a * REFINE_SCALES[-1] + 1e-6
    return apart + slack >= r and apart - slack <= BESIDE_REACH * r \
        and largest >= OVERLAP_RADII[0] * r and smallest <= OVERLAP_RADII[1] * r


def second_stamp(ink: np.ndarray, outline: Outline, first: Outline, px_per_mm: float) -> Candidate | None:
    """`outline` as a second stamp beside the round seal `first` (`stamps_beside`), or None."""
    r = first.a
    apart = math.hypot(outline.cx - first.cx, outline.cy - first.cy)
    if not (r <= apart <= BESIDE_REACH * r) or not OVERLAP_RADII[0] <= outline.a / r <= OVERLAP_RADII[1]:
        return None
    return _inked_stamp(ink, outline, px_per_mm, MIN_CONTRAST)


def _inked_stamp(ink: np.ndarray, outline: Outline, px_per_mm: float, min_contrast: float) -> Candidate | None:
    """`outline` as a stamp of its own where its ring is inked all round (`DISTINCT_COVERAGE`), stands out from
    what is round it (`min_contrast`) and holds a seal's interior; None otherwise."""
    ring, contrast = ring_contrast(ink, outline)
    inside = interior_density(ink, outline, 0.75)
    if ring < DISTINCT_COVERAGE or contrast < min_contrast or not MIN_INTERIOR <= inside <= MAX_INTERIOR:
        return None
    confidence = _confidence(ring, DISTINCT_COVERAGE) * _size_score(outline.diameter / px_per_mm)
    return Candidate(outline, confidence, "grey", ring, contrast)


def ovals_beside(clean: np.ndarray, found: list[Candidate], px_per_mm: float,
                 min_contrast: float = MIN_CONTRAST, coarse: bool = True) -> list[Candidate]:
    """Ovals overlapping a found oval seal, of its shape and about its size, and inked all round: the cover's
    second stamp beside the first, as `stamps_beside` finds it beside a round one.

    The window round the found oval is squeezed across by its axes' ratio, so an oval of its shape turns into
    a circle the vote-counting Hough finds though print crosses it; each circle, stretched back, is fitted to
    the ink at half-millimetre steps of centre and size and a few degrees of turn (a stamp is set down by hand)
    and judged as a second stamp (`second_oval`) standing out from its surround by `min_contrast` (on a 1-bit
    page the blurred print of a table rings too: `MIN_GREY_CONTRAST`, as `rings_near` judges any ring there)."""
    out: list[Candidate] = []
    for cand in found:
        first = cand.outline
        if first.shape != "oval" or first.b <= 0:
            continue
        window, left, top, guesses = _ovals_around(clean, first, coarse)
        local = first.scaled(1.0, -left, -top)
        # An oval found already is no second stamp; a guess a ring inked all round does not even half follow is none.
        placed = [c.outline.scaled(1.0, -left, -top) for c in found if c.outline.shape == "oval"]
        for guess in guesses:
            if any(o.contains(guess.cx, guess.cy, 0.7) for o in placed) \
                    or coverage(window, guess, 0.85, 1.1, 6, 96) < MIN_RING_COVERAGE:
                continue
            stamp = second_oval(window, _fit_oval(window, guess, px_per_mm), local, px_per_mm, min_contrast)
            if stamp is not None:
                out.append(stamp.moved(left, top))
    return out


def _ovals_around(clean: np.ndarray, first: Outline, coarse: bool = True) -> tuple[np.ndarray, int, int, list[Outline]]:
    """The window of `clean` round the oval `first`, its top-left corner, and the ovals of `first`'s shape
    whose rings the vote-counting Hough finds in it squeezed across (window coordinates, at most `NEAR_CIRCLES`)."""
    squeeze = first.b / first.a
    window, left, top, circles = _circles_around(
        clean, first.cx, first.cy, (BESIDE_REACH + OVERLAP_RADII[1]) * first.a,
        max(4, round(OVERLAP_APART * first.b)), (round(OVERLAP_RADII[0] * first.b), round(OVERLAP_RADII[1] * first.b)),
        squeeze, coarse)
    return window, left, top, [Outline("oval", float(cx) / squeeze, float(cy), float(r) / squeeze, float(r), first.angle)
                               for cx, cy, r in circles]


# A second oval stamp's fit: its turn searched this far (degrees) either side of the first's.
BESIDE_TURN = 6.0


def _fit_oval(ink: np.ndarray, guess: Outline, px_per_mm: float) -> Outline:
    """`guess` moved, grown and turned onto the ring `ink` follows best (coverage plus contrast), coarse then fine."""
    best = guess
    for step, turn in ((px_per_mm, BESIDE_TURN / 2), (0.5 * px_per_mm, BESIDE_TURN / 4)):
        ratio = best.b / best.a
        options = [Outline("oval", best.cx + dx * step, best.cy + dy * step, best.a + da * step,
                           (best.a + da * step) * ratio, best.angle + dt * turn)
                   for dx in (-2, -1, 0, 1, 2) for dy in (-2, -1, 0, 1, 2) for da in (-1, 0, 1) for dt in (-1, 0, 1)]
        best = options[int(np.argmax(ring_scores(ink, options, 96)))]
    return best


def second_oval(ink: np.ndarray, outline: Outline, first: Outline, px_per_mm: float,
                min_contrast: float = MIN_CONTRAST) -> Candidate | None:
    """`outline` as a second stamp beside the oval seal `first` (`ovals_beside`), or None: its centre outside
    `first`, within `BESIDE_REACH` of its long semi-axis, its size within `OVERLAP_RADII` of it, inked all round
    (`DISTINCT_COVERAGE`) and standing out from what is round it (`min_contrast`) with a seal's interior."""
    apart = math.hypot(outline.cx - first.cx, outline.cy - first.cy)
    if first.contains(outline.cx, outline.cy) or apart > BESIDE_REACH * first.a \
            or not OVERLAP_RADII[0] <= outline.a / first.a <= OVERLAP_RADII[1]:
        return None
    return _inked_stamp(ink, outline, px_per_mm, min_contrast)


# On a 1-bit page a ring's long axis must reach an official seal's size (38-45 mm round, 40-45 x 30 mm oval,
# less the scan's shrinkage): a framed table cell of text, blurred, rings as clearly as a small name seal.
ONE_BIT_MIN_SEAL_MM = 30.0
# A seal's neighbourhood searched again on a 1-bit page (`rings_near`): this many of its radii round it
# (the cover's second stamp lies about one seal's width away), and circles looked at there.
NEAR_REACH = 2.5
NEAR_CIRCLES = 12


def _one_bit_seals(found: list[Candidate], page: np.ndarray, dpi: float, clean: np.ndarray,
                   factor: float) -> list[Candidate]:
    """A 1-bit page's seals (`found`, in the work frame `factor` of the page's pixels) with the rings near
    where it holds seal ink (`rings_near`: round a found seal, or stipple gathered like one in the page's
    own pixels), each round or oval and of an official seal's size (`ONE_BIT_MIN_SEAL_MM`)."""
    px_per_mm = dpi / MM_PER_INCH * factor
    places = [c.outline.box() for c in found]
    stipple = stipple_seal(page, dpi, [c.outline.scaled(1.0 / factor) for c in found])
    if stipple is not None:
        places.append((stipple[0] * factor, stipple[1] * factor, stipple[2] * factor, stipple[3] * factor))
    beside = ovals_beside(clean, found, px_per_mm, MIN_GREY_CONTRAST, coarse=False)
    found = suppress(found + rings_near(clean, places, px_per_mm) + beside)
    return [c for c in found
            if c.outline.shape in ("round", "oval") and 2 * c.outline.a >= ONE_BIT_MIN_SEAL_MM * px_per_mm]


def rings_near(clean: np.ndarray, places: list[tuple[float, float, float, float]], px_per_mm: float) -> list[Candidate]:
    """Rings round the places (boxes, px) where a 1-bit page holds seal ink: a found seal, or stipple
    gathered like one. Over a whole page of blurred print the edge-completeness Hough (`_hough`) offers
    only the clearest rings; near such a place, vote counting finds a ring broken into dots, and each
    circle is judged as `find_rings` judges any."""
    r_min = max(4, round(MIN_SEAL_MM / 2 * px_per_mm))
    r_max = round(MAX_SEAL_MM / 2 * px_per_mm)
    found: list[Candidate] = []
    for x0, y0, x1, y1 in places:
        half = max(x1 - x0, y1 - y0) / 2
        window, left, top, circles = _circles_around(clean, (x0 + x1) / 2, (y0 + y1) / 2, NEAR_REACH * half,
                                                     r_min, (r_min, r_max))
        rings = _judged_rings(window, circles, px_per_mm, MIN_RING_COVERAGE, MIN_GREY_CONTRAST, "grey")
        found += [ring.moved(left, top) for ring in rings]
    return found


def _circles_around(clean: np.ndarray, cx: float, cy: float, reach: float, min_dist: int,
                    radii: tuple[int, int], squeeze: float = 1.0, coarse: bool = False) -> tuple[np.ndarray, int, int, np.ndarray]:
    """The window of `clean` within `reach` of (cx, cy), its top-left corner, and the vote-counting Hough's
    circles in it (at most `NEAR_CIRCLES`, window coordinates): a ring broken into dots or crowded by print
    beside a place where a seal may be, which the edge-completeness search over a whole page passes by.
    With `squeeze`, Hough looks at the window squeezed across by it, and its circles are in that frame;
    with `coarse`, at half its size where the circles are large (`_votes`)."""
    left, top = max(0, int(cx - reach)), max(0, int(cy - reach))
    right, bottom = min(clean.shape[1], int(cx + reach) + 1), min(clean.shape[0], int(cy + reach) + 1)
    window = clean[top:bottom, left:right]
    none = np.empty((0, 3), np.float32)
    if window.size == 0:
        return window, left, top, none
    looked = window if squeeze == 1.0 else cv2.resize(window, None, fx=squeeze, fy=1.0, interpolation=cv2.INTER_AREA)
    circles = _votes(cv2.GaussianBlur(looked, (0, 0), 1.5), radii[0], radii[1], min_dist, coarse)
    return window, left, top, none if circles is None else circles[0][:NEAR_CIRCLES]


# Oval seals (40 x 30 and 45 x 30 mm) are stamped with their long axis about level: squeezed across by
# about their axis ratio they turn into circles, which Hough finds where their ring, entangled with table
# rules and print in a grey page's seal-tone mask, is no longer one piece to fit an ellipse to.
OVAL_SQUEEZE = 0.72
# Circles looked at per page, best first (a page of print offers a few dozen weak ones).
OVAL_CIRCLES = 24
# The long semi-axis searched round a squeezed circle, as shares of the circle's radius unsqueezed: seals
# of axis ratios 0.65..0.85 squeezed by OVAL_SQUEEZE are circles to Hough within these.
OVAL_SPAN = (0.8, 1.2)
# A squeezed circle's oval must already follow some ink before its outline is searched for.
OVAL_GUESS_COVERAGE = 0.35


def find_ovals(mask: np.ndarray, px_per_mm: float, one_bit: bool = False) -> list[Candidate]:
    """Oval seals in a 0/255 seal-tone mask: circles in the mask squeezed across, each
    unsqueezed and its outline searched round its centre (`ring_round`), kept when ink follows that
    outline like a seal's ring (as `find_rings` judges circles). `one_bit`: the mask is of a dedithered
    1-bit page, whose blurred print is seal-toned too."""
    return ovals_in_clean(without_specks(mask, px_per_mm), px_per_mm, one_bit)


def ovals_in_clean(clean: np.ndarray, px_per_mm: float, one_bit: bool = False) -> list[Candidate]:
    """`find_ovals` in a mask already rid of its specks (`without_specks`)."""
    if not could_hold_ring(clean, MIN_RING_COVERAGE, px_per_mm):
        return []
    squeezed = cv2.resize(clean, None, fx=OVAL_SQUEEZE, fy=1.0, interpolation=cv2.INTER_AREA)
    r_min = max(4, round(MIN_SEAL_MM / 2 * px_per_mm))
    r_max = round(MAX_SEAL_MM / 2 * px_per_mm * OVAL_SQUEEZE)
    circles = _hough_mask(cv2.GaussianBlur(squeezed, (0, 0), 1.5), r_min, r_max, coarse=not one_bit)
    found = []
    for cx, cy, r in ([] if circles is None else circles[0][:OVAL_CIRCLES]):
        guess = Outline("oval", float(cx) / OVAL_SQUEEZE, float(cy), float(r) / OVAL_SQUEEZE, float(r), 0.0)
        if coverage(clean, guess, 0.85, 1.1, 6, 96) < OVAL_GUESS_COVERAGE:
            continue
        oval = _oval_round(clean, guess, px_per_mm, one_bit)
        if oval is not None:
            found.append(oval)
    return suppress(found)


# A squeezed circle's oval that fails its tests is searched for once more round the centre the first search
# moved to, when that is this many millimetres or more from the circle's.
RECENTRE_MM = 0.75


def _oval_round(clean: np.ndarray, guess: Outline, px_per_mm: float, one_bit: bool) -> Candidate | None:
    """The oval seal whose ring ink follows round a squeezed circle (`guess`), or None.

    Searched near the circle's size: its long axis is within OVAL_SPAN of the circle's unsqueezed radius. The
    search's coarse sizes keep the circle's centre; a circle a few pixels off an oval's (the reduced Hough's
    one cell) fits the ring badly there (a grey curl's contract seal over a table: ring 0.72, its
    refitted centre 0.99), so a failed search is tried again round where its refinement moved. Found only
    there, the ring must be inked all round (`_complete_ring`): a second search round a table's cells fits
    their rules and figures as well as a sparse seal's (ring 0.76, contrast 0.53 on dev6 a05's amounts)."""
    for attempt in range(2):
        outline, ring, contrast = ring_round(clean, guess.cx, guess.cy, OVAL_SPAN[0] * guess.a, px_per_mm,
                                             OVAL_SPAN[1] * guess.a)
        # Round seals are the circle detectors' (a round outline here is a circle they judged and left).
        # A ring inked all round needs no sparse interior: stamped over a table's dense print it has none
        # (on a grey page: a 1-bit page's blurred print makes rings of its own).
        complete = not one_bit and _complete_ring(clean, outline, ring, contrast)
        if outline.shape == "oval" and ring >= MIN_RING_COVERAGE and contrast >= MIN_GREY_CONTRAST \
                and (complete or (not attempt and _inked_like_a_seal(clean, outline, contrast))):
            confidence = _confidence(ring, MIN_RING_COVERAGE) * _size_score(outline.diameter / px_per_mm)
            return Candidate(outline, confidence, "grey", ring, contrast)
        # A 1-bit page's ring is never complete (`complete` above): a second search could find nothing there.
        if attempt or one_bit or math.hypot(outline.cx - guess.cx, outline.cy - guess.cy) < RECENTRE_MM * px_per_mm:
            return None
        guess = Outline("oval", outline.cx, outline.cy, guess.a, guess.b, 0.0)
    return None


def _complete_ring(ink: np.ndarray, outline: Outline, ring: float, contrast: float) -> bool:
    """A real ring (inked nearly all round with paper round it, as `distinct_rings` has it; `ring` and
    `contrast` its coverage and contrast) round some ink that is not a solid blob."""
    return ring >= DISTINCT_COVERAGE and contrast >= DISTINCT_CONTRAST \
        and MIN_INTERIOR <= interior_density(ink, outline, 0.75) <= MAX_INTERIOR


def _has_border(oval: Candidate, found: list[Candidate]) -> bool:
    """Whether a seal found otherwise already has a complete ring round `oval`'s centre. An oval is then an
    arc of that seal (a round ring's lower half closed by its lettering fits an oval well), and two rings
    that far inside each other are one seal's rings, not two seals."""
    return any(c.coverage >= DISTINCT_COVERAGE and c.outline.contains(oval.outline.cx, oval.outline.cy, 0.7)
               for c in found)


def flatten(grey: np.ndarray, px_per_mm: float) -> np.ndarray:
    """The page with its background brought to one white: a shadow at the fold or uneven scanner
    light would otherwise read as seal-grey ink.

    Such shading runs along whole rows or columns, so each row's (then each
    column's) paper level — a high percentile, smoothed over ~4 mm so a ruled
    line or a line of text does not count — is divided out.
    """
    flat = grey.astype(np.float32)
    window = max(3, round(4 * px_per_mm)) | 1
    for axis in (1, 0):
        # The rows' levels from the page's own bytes (the same values, sorted several times faster).
        levels = grey if axis == 1 else flat
        raw = percentile_along(levels, 80, axis).clip(0, 255).astype(np.uint8).reshape(-1, 1)
        level = cv2.medianBlur(raw, window).astype(np.float32).ravel()
        paper = float(np.percentile(level, 90))
        gain = (paper / np.maximum(level, 1.0)).astype(np.float32)
        flat = (flat * (gain[:, None] if axis == 1 else gain[None, :])).astype(np.float32)
    return np.clip(flat, 0, 255).astype(np.uint8)


def seal_tone_mask(grey: np.ndarray, paper: int) -> tuple[np.ndarray, float]:
    """Pixels lighter than print but clearly darker than paper (0/255), and the print's level.

    The paper's own noise sets how faint an ink still counts; print strokes'
    anti-aliased edges share the seal's tone but are a pixel thin, so an
    opening removes them while a seal's ring (1 mm, 4 px here) survives.
    """
    # The levels' counts stand for the pixels: the same median and percentile without selecting pixels.
    counts = byte_counts(grey)
    levels = np.arange(256)
    light = np.where(levels >= paper - 30, counts, 0)
    distances = np.bincount(np.abs(levels - paper), weights=light, minlength=256).astype(np.int64)
    noise = median_of_counts(distances) * 1.5 if light.any() else 4.0
    limit = paper - max(14.0, 4.0 * noise)
    inked = grey < limit
    inked_counts = np.where(levels < limit, counts, 0)
    print_level = percentile_of_counts(inked_counts, 5) if inked_counts.sum() > 50 else 0.0
    print_limit = print_level + 0.35 * (paper - print_level)
    mask = (inked & (grey > print_limit)).astype(np.uint8) * 255
    return cv2.morphologyEx(mask, cv2.MORPH_OPEN, np.ones((2, 2), np.uint8)), print_level


def _dark_rings(small: np.ndarray, paper: int, print_level: float, scale_mm: float,
                coarse: bool = True) -> list[Candidate]:
    """Round seals inked as dark as print (or a black-and-white scan): complete rings that stand out.

    Print is in this mask too, and a seal is usually stamped over it, so the
    test is the ring's sharpness: one radius inked all round, against the
    scattered hits of text at any single radius just outside it.
    """
    ink = (small < paper - 40).astype(np.uint8) * 255
    if not could_hold_ring(ink, MIN_GREY_RING, scale_mm):
        return []
    r_min = max(4, round(MIN_SEAL_MM / 2 * scale_mm))
    r_max = round(MAX_SEAL_MM / 2 * scale_mm)
    circles = _hough(cv2.GaussianBlur(small, (0, 0), 1.2), r_min, r_max, coarse)
    if circles is None:
        return []
    grown = sharpness_mask(ink)
    found = []
    for outline in _refine_circles(ink, [Outline("round", float(cx), float(cy), float(r), float(r))
                                         for cx, cy, r in circles[0][:60]]):
        cand = _dark_ring(small, ink, grown, outline, print_level, scale_mm)
        if cand is not None:
            found.append(cand)
    return found


def _dark_ring(small: np.ndarray, ink: np.ndarray, grown: np.ndarray, outline: Outline, print_level: float,
               scale_mm: float) -> Candidate | None:
    """`outline` as a dark ring (`_dark_rings`: inked round at one radius, some ink inside), or None. The tests
    are taken cheapest first and the first to fail ends them (most Hough circles on print fail the first)."""
    ring = coverage(ink, outline, 0.93, 1.0, 4)
    if ring < MIN_GREY_RING:
        return None
    sharp = ring_sharpness(ink, outline, grown)
    if sharp < MIN_GREY_CONTRAST or not MIN_INTERIOR <= interior_density(ink, outline, 0.75) <= MAX_INTERIOR:
        return None
    tone = ring_tone(small, ink, outline)
    # Seal ink lighter than print by 40+ grey levels is the red showing through.
    lighter = min(1.0, max(0.0, (tone - print_level) / 40.0))
    confidence = _confidence(sharp, MIN_GREY_CONTRAST) * (0.7 + 0.3 * lighter)
    confidence *= _size_score(outline.diameter / scale_mm)
    return Candidate(outline, confidence, "grey", ring)


# An official seal carries a five-pointed star at its centre (the public-security rules for 公章). On a
# 1-bit capture (fax) its ring is broken to stipple on one side and its lettering is lost, but the star,
# a solid blob, survives: found first, it fixes the centre, and the ring is looked for round it alone.
# The star's width (mm), and how much of its bounding box it fills (a star ~0.35, more once rounded).
STAR_MM = (6.0, 20.0)
STAR_FILL = (0.2, 0.75)
# Opening (radius, mm) that keeps a solid blob and drops print's strokes (bold print is ~0.6 mm thick).
STAR_CORE_MM = 0.9
# Ink, for the ring round a star: anything clearly darker than paper (a fax's stipple blurs light).
STAR_RING_DEPTH = 15
# Ring round a star: inked in this share of directions, with paper outside (clearly: a star-sized blob
# of print, a bold character, has text round it that an outline through it also covers).
STAR_RING_COVERAGE = 0.6
STAR_RING_CONTRAST = 0.5
# ...or inked in nearly every direction, with less paper outside: a table's print running on past the
# ring's edge (dev26 r13-word-fax: 1.00 round, contrast 0.47). A star-sized blob of print has text round
# it, but not at one radius in every direction: on the fax pages of dev26 and dev33 the outlines round
# such blobs were inked in at most 0.85 of the directions, every one inked in 0.95 or more a seal's ring.
STAR_FULL_RING = 0.95
STAR_FULL_RING_CONTRAST = 0.4
# Outlines tried round a star: axis ratios (round, then ovals of 40 x 30 mm and flatter) and major-axis angles.
STAR_RATIOS = (1.0, 0.85, 0.75, 0.65)
STAR_ANGLES = (0.0, 45.0, 90.0, 135.0)
# The largest semi-axis looked for round a star (official seals are at most ~50 mm across).
STAR_MAX_AXIS_MM = 30.0
# Dark, in the resampled 1-bit page: a star's dots are dense, so its pixels stay below mid-grey.
STAR_DARK = 128


def starred_seals(sharp: np.ndarray, blurred: np.ndarray, paper: int, scale_mm: float) -> list[Candidate]:
    """Seals on a 1-bit page found by their star, each with the ring best inked round it.

    The star is looked for in the page merely resampled (`sharp`: the dedithering blur would melt
    bold print into it), the ring in the dedithered page (`blurred`), where stipple joins up.
    """
    found = []
    ink = (blurred < paper - STAR_RING_DEPTH).astype(np.uint8) * 255
    for cx, cy, width in star_centres((sharp < STAR_DARK).astype(np.uint8) * 255, scale_mm):
        outline, ring, contrast = ring_round(ink, cx, cy, width, scale_mm)
        if (ring >= STAR_RING_COVERAGE and contrast >= STAR_RING_CONTRAST) \
                or (ring >= STAR_FULL_RING and contrast >= STAR_FULL_RING_CONTRAST):
            confidence = _confidence(ring, STAR_RING_COVERAGE) * _size_score(outline.diameter / scale_mm)
            found.append(Candidate(outline, confidence, "grey", ring, contrast))
    return found


def star_centres(dark: np.ndarray, px_per_mm: float) -> list[tuple[float, float, float]]:
    """Centre and width (px) of each solid blob of a seal star's size and fill in a 0/255 mask of dark ink."""
    radius = max(1, round(STAR_CORE_MM * px_per_mm))
    disc = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * radius + 1, 2 * radius + 1))
    core = cv2.morphologyEx(dark, cv2.MORPH_OPEN, disc)
    count, labels, stats, centroids = components_with_centres(core, 8)  # 16-bit labels where the count fits
    centres = []
    for i in range(1, count):
        x, y, w, h = (int(v) for v in stats[i, :4])
        # The opening rounds the star's points off: its core is narrower than the star by about the disc.
        width = max(w, h) + 2 * radius
        if not STAR_MM[0] <= width / px_per_mm <= STAR_MM[1] or max(w, h) > 1.5 * min(w, h):
            continue
        x0, y0 = max(0, x - radius), max(0, y - radius)
        x1, y1 = min(dark.shape[1], x + w + radius), min(dark.shape[0], y + h + radius)
        grown = cv2.dilate((labels[y0:y1, x0:x1] == i).astype(np.uint8), disc)
        fill = np.count_nonzero(dark[y0:y1, x0:x1] & (grown * 255)) / float((x1 - x0) * (y1 - y0))
        if STAR_FILL[0] <= fill <= STAR_FILL[1]:
            centres.append((float(centroids[i][0]), float(centroids[i][1]), float(width)))
    return centres


def ring_round(ink: np.ndarray, cx: float, cy: float, star: float, px_per_mm: float,
               largest: float | None = None) -> tuple[Outline, float, float]:
    """The round or oval outline centred near (cx, cy), larger than the star (width `star`, px) and with a
    major semi-axis up to `largest` px (a seal's largest by default), that ink follows best, with its
    coverage and contrast. Coarse first (centre fixed, 1 mm steps), then refined round the best (centre
    moved, half-millimetre steps)."""
    largest = STAR_MAX_AXIS_MM * px_per_mm if largest is None else largest
    sizes = np.arange(max(MIN_SEAL_MM / 2 * px_per_mm, star), largest, px_per_mm)
    if not len(sizes):
        return Outline("round", cx, cy, star, star), 0.0, 0.0
    best = _finer_round(ink, _coarse_round(ink, cx, cy, sizes), 0.5 * px_per_mm)
    best = _named_shape(best) if best.shape == "oval" else best
    ring, contrast = ring_contrast(ink, best)
    return best, ring, contrast


# `ring_round`'s coarse outlines at each size, in the order tried: (axis ratio, major-axis angle), round first.
ROUND_SHAPES = [(ratio, angle) for ratio in STAR_RATIOS for angle in (STAR_ANGLES if ratio < 1.0 else (0.0,))]
# Its fine moves round the best, in the order tried: centre (dx, dy) and major semi-axis (da), in steps.
ROUND_MOVES = [(dx, dy, da) for dx in (-2, -1, 0, 1, 2) for dy in (-2, -1, 0, 1, 2) for da in (-1, 0, 1)]


def _coarse_round(ink: np.ndarray, cx: float, cy: float, sizes: np.ndarray) -> Outline:
    """The first best of `ring_round`'s coarse outlines (each `ROUND_SHAPES` at each of `sizes`, centred at
    (cx, cy)) by `ring_scores` over 96 directions, scored as arrays: the same numbers as outline by outline."""
    ratios = np.array([ratio for ratio, _ in ROUND_SHAPES])
    a = np.repeat(sizes, len(ROUND_SHAPES))
    b = a * np.tile(ratios, len(sizes))
    ox, oy = offset_planes(a, b, [angle for _, angle in ROUND_SHAPES] * len(sizes), np.zeros(len(a), bool), 96)
    top = int(np.argmax(ring_scores_at(ink, np.full(len(a), cx, dtype=np.float64),
                                       np.full(len(a), cy, dtype=np.float64), ox, oy)))
    size, (ratio, angle) = sizes[top // len(ROUND_SHAPES)], ROUND_SHAPES[top % len(ROUND_SHAPES)]
    return Outline("round" if ratio == 1.0 else "oval", cx, cy, size, size * ratio, angle)


def _finer_round(ink: np.ndarray, best: Outline, step: float) -> Outline:
    """The first best of `best` moved by each of `ROUND_MOVES` (in `step`s; the axis ratio kept), scored as
    `_coarse_round` scores."""
    steps = {-2: -2 * step, -1: -step, 0: 0.0, 1: step, 2: 2 * step}
    moves = [(steps[dx], steps[dy], steps[da]) for dx, dy, da in ROUND_MOVES]
    dx, dy, da = (np.array(column, dtype=np.float64) for column in zip(*moves, strict=True))
    a = best.a + da
    ox, oy = offset_planes(a, a * best.b / best.a, [best.angle] * len(moves), np.zeros(len(moves), bool), 96)
    top = int(np.argmax(ring_scores_at(ink, best.cx + dx, best.cy + dy, ox, oy)))
    dx_top, dy_top, da_top = moves[top]
    return Outline(best.shape, best.cx + dx_top, best.cy + dy_top, best.a + da_top,
                   (best.a + da_top) * best.b / best.a, best.angle)


def ring_tone(grey: np.ndarray, ink: np.ndarray, outline: Outline) -> float:
    """Median grey level of the inked pixels on the ring."""
    values = []
    for scale in np.linspace(0.93, 1.0, 4):
        pts = outline.points(float(scale)).round().astype(int)
        ok = (pts[:, 0] >= 0) & (pts[:, 0] < grey.shape[1]) & (pts[:, 1] >= 0) & (pts[:, 1] < grey.shape[0])
        pts = pts[ok]
        hit = ink[pts[:, 1], pts[:, 0]] > 0
        values.append(grey[pts[hit, 1], pts[hit, 0]])
    joined = np.concatenate(values) if values else np.array([])
    return float(np.median(joined)) if joined.size else 0.0


def _size_score(diameter_mm: float) -> float:
    """1 for a seal of usual size, falling off for unusually small or large ones."""
    if 30.0 <= diameter_mm <= 60.0:
        return 1.0
    if diameter_mm < 30.0:
        return max(0.6, 1.0 - (30.0 - diameter_mm) / 40.0)
    return max(0.6, 1.0 - (diameter_mm - 60.0) / 40.0)


def _confidence(score: float, threshold: float) -> float:
    """Map a score from its acceptance threshold (0.55) to a clean seal (1.0)."""
    span = max(1e-6, 1.0 - threshold)
    return round(min(1.0, 0.55 + 0.45 * (score - threshold) / span / 0.7), 3)


def suppress(candidates: list[Candidate]) -> list[Candidate]:
    """One candidate per seal: drop any whose centre lies inside a better (or larger) kept one.

    Two complete rings apart (`distinct_rings`) are two seals however much they overlap, and an
    outline round both of them (one oval fitted to their joint ink) is neither.
    """
    unions = [c for c in candidates if _round_two(c, candidates)]
    kept: list[Candidate] = []
    for cand in sorted(candidates, key=lambda c: (c.confidence, c.outline.diameter), reverse=True):
        if any(c is cand for c in unions):
            continue
        if any(_same_seal(cand.outline, other.outline) and not distinct_rings(cand, other) for other in kept):
            continue
        kept.append(cand)
    return kept


def distinct_rings(a: Candidate, b: Candidate) -> bool:
    """Two seals, not one fitted twice: both rings inked nearly all round, centres clearly apart; or, rings of
    a size (`OVERLAP_RADII`) with centres far apart (`FAR_APART`), both inked as a ring found under another
    seal must be.

    One ring fitted twice puts the two centres within `OVERLAP_APART` of its radius; a circle whose centre
    is half a radius off a ring crosses it in two places only, so ink following it that far round, with
    paper outside it, is a second ring (two stamps on neighbouring lines of a 1-bit cover, where no ring
    is looked for under another)."""
    if a.shape not in ("round", "oval") or b.shape not in ("round", "oval") \
            or min(a.contrast, b.contrast) < DISTINCT_CONTRAST or _same_place(a.outline, b.outline):
        return False
    if min(a.coverage, b.coverage) >= DISTINCT_COVERAGE:
        return True
    ra, rb = math.sqrt(a.outline.a * a.outline.b), math.sqrt(b.outline.a * b.outline.b)
    alike = OVERLAP_RADII[0] <= rb / ra <= OVERLAP_RADII[1]  # two seals' rings, not a seal and a small ring
    far = math.hypot(a.outline.cx - b.outline.cx, a.outline.cy - b.outline.cy) >= FAR_APART * min(ra, rb)
    return alike and far and min(a.coverage, b.coverage) >= OVERLAP_COVERAGE


def _round_two(cand: Candidate, others: list[Candidate]) -> bool:
    """Whether `cand` is an outline fitted round two distinct clearly smaller rings (both centres inside it)."""
    inner = [o for o in others if o is not cand and o.outline.diameter <= UNION_RATIO * cand.outline.diameter
             and cand.outline.contains(o.outline.cx, o.outline.cy)]
    return any(distinct_rings(a, b) for i, a in enumerate(inner) for b in inner[i + 1 :])


def _same_seal(a: Outline, b: Outline) -> bool:
    """Two outlines are one seal when either centre is well inside the other."""
    return b.contains(a.cx, a.cy, 0.7) or a.contains(b.cx, b.cy, 0.7)


# An electronic seal's picture is cut to the seal: its ring is the ellipse inscribed in the picture, inked
# nearly all round. Searched over these shares of the picture's half-sides (anti-aliasing, a margin).
FRAMED_SCALES = np.linspace(0.9, 1.0, 11)
FRAMED_COVERAGE = 0.9


def framed_seal(red: np.ndarray) -> Candidate | None:
    """The seal a picture is cut to (`red`: its seal-red mask): the ellipse inscribed in it, when its ring
    is inked nearly all round. Neighbouring seals drawn into the same picture (stamps placed close together
    and exported as one image) pull a fit of all the red ink off this one; the frame does not move. The
    outermost such ellipse is the seal's border (an oval seal has an inner ring too)."""
    h, w = red.shape[:2]
    for scale in sorted(FRAMED_SCALES, reverse=True):
        a, b = w / 2 * scale, h / 2 * scale
        outline = _named_shape(Outline("oval", w / 2, h / 2, max(a, b), min(a, b), 0.0 if a >= b else 90.0))
        ring, contrast = ring_contrast(red, outline)
        if ring >= FRAMED_COVERAGE and contrast >= MIN_CONTRAST:
            return Candidate(outline, _confidence(ring, MIN_RING_COVERAGE), "image", ring, contrast)
    return None


def detect_image(pixels: np.ndarray, width_pt: float, height_pt: float) -> Candidate | None:
    """An electronic seal: an embedded picture that is mostly red ink and shaped like a seal.

    `pixels` is the picture (BGR, transparency flattened onto white) and
    width/height its size as placed on the page, which gives its scale in mm.
    """
    if width_pt <= 0 or height_pt <= 0 or pixels.size == 0:
        return None
    red = red_mask(pixels)
    grey = cv2.cvtColor(pixels, cv2.COLOR_BGR2GRAY)
    inked = np.count_nonzero((grey < paper_level(grey) - 30) | (red > 0))
    if inked == 0 or np.count_nonzero(red) < 0.5 * inked:
        return None  # a signature, a logo, a photo: not mostly red
    px_per_mm = pixels.shape[1] / (width_pt / 72.0 * MM_PER_INCH)
    framed = framed_seal(red)
    if framed is not None:
        return framed
    found = detect_red(pixels, px_per_mm * MM_PER_INCH)
    if found:
        best = max(found, key=lambda c: c.confidence)
        return Candidate(best.outline, best.confidence, "image", best.coverage)
    # A red picture of seal size and proportions whose border we could not trace
    # (an odd design, a low-resolution copy): a seal, with less confidence.
    w_mm, h_mm = width_pt / 72.0 * MM_PER_INCH, height_pt / 72.0 * MM_PER_INCH
    if min(w_mm, h_mm) >= MIN_SEAL_MM and max(w_mm, h_mm) <= MAX_SEAL_MM and max(w_mm, h_mm) / min(w_mm, h_mm) <= 1.6:
        h, w = pixels.shape[:2]
        return Candidate(Outline("unknown", w / 2, h / 2, w / 2, h / 2), 0.6, "image", 0.0)
    return None
