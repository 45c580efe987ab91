"""Seal outlines (circle, ellipse, rotated square) and how well ink follows them.

Every official seal has a border: a thin ring (or frame) of ink at a constant
distance from its centre. "Ring coverage" — the share of directions in which
ink sits on the fitted outline — is the one measurement that separates a seal
from a block of red text, a red rule or a blob, and it degrades gracefully for
faded ink and for print crossing the ring.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import cv2
import numpy as np

Shape = Literal["round", "oval", "square", "unknown"]
ANGLES = 240


@dataclass(frozen=True)
class Outline:
    """A seal's outer border in some image's pixels.

    Round and oval: centre, semi-axes `a` >= `b` and the major axis angle in
    degrees. Square: centre, half sides and the rectangle's rotation.
    """

    shape: Shape
    cx: float
    cy: float
    a: float
    b: float
    angle: float = 0.0

    def scaled(self, factor: float, dx: float = 0.0, dy: float = 0.0) -> Outline:
        """The same outline in another frame: scaled by `factor`, then shifted."""
        return Outline(self.shape, self.cx * factor + dx, self.cy * factor + dy, self.a * factor, self.b * factor,
                       self.angle)

    def points(self, scale: float = 1.0, count: int = ANGLES) -> np.ndarray:
        """`count` points (x, y) on the outline shrunk or grown by `scale`, evenly spaced by angle."""
        return np.array([self.cx, self.cy]) + scale * self.offsets(count)

    def offsets(self, count: int = ANGLES) -> np.ndarray:
        """Vectors (count x 2) from the centre to the outline, evenly spaced by angle."""
        c, s = _unit_circle(count)
        if self.shape == "square":
            # Rectangle by angle: the ray from the centre at t meets the border at max(|cos|/a, |sin|/b).
            reach = 1.0 / np.maximum(np.abs(c) / self.a, np.abs(s) / self.b)
            x, y = reach * c, reach * s
        else:
            x, y = self.a * c, self.b * s
        rot = math.radians(self.angle)
        return np.stack([x * math.cos(rot) - y * math.sin(rot), x * math.sin(rot) + y * math.cos(rot)], axis=1)

    def box(self) -> tuple[float, float, float, float]:
        """Axis-aligned bounding box (x0, y0, x1, y1)."""
        pts = self.points(1.0, 96)
        return float(pts[:, 0].min()), float(pts[:, 1].min()), float(pts[:, 0].max()), float(pts[:, 1].max())

    def contains(self, x: float, y: float, scale: float = 1.0) -> bool:
        """Whether (x, y) lies inside the outline grown by `scale`."""
        rot = math.radians(-self.angle)
        dx, dy = x - self.cx, y - self.cy
        u = dx * math.cos(rot) - dy * math.sin(rot)
        v = dx * math.sin(rot) + dy * math.cos(rot)
        a, b = self.a * scale, self.b * scale
        if self.shape == "square":
            return abs(u) <= a and abs(v) <= b
        return (u / a) ** 2 + (v / b) ** 2 <= 1.0

    @property
    def diameter(self) -> float:
        return self.a + self.b


@functools.cache
def _unit_circle(count: int) -> tuple[np.ndarray, np.ndarray]:
    """Cosines and sines of `count` angles evenly spaced round the circle (read-only, shared)."""
    t = np.linspace(0.0, 2.0 * math.pi, count, endpoint=False)
    c, s = np.cos(t), np.sin(t)
    c.flags.writeable = s.flags.writeable = False
    return c, s


# The ring's band (coverage's default scales) and the band just outside it, sampled in one go.
RING_SCALES = np.linspace(0.9, 1.03, 7)
OUTSIDE_SCALES = np.linspace(1.1, 1.2, 4)
_RING_AND_OUTSIDE = np.concatenate([RING_SCALES, OUTSIDE_SCALES])


def coverage(ink: np.ndarray, outline: Outline, lo: float = 0.9, hi: float = 1.03, steps: int = 7,
             count: int = ANGLES) -> float:
    """Share of `count` directions in which `ink` (bool/0-255) has a pixel on the outline between scales lo..hi."""
    hit = _hits(ink, outline, np.linspace(lo, hi, steps), count)
    return float(hit.any(axis=0).mean())


def ring_contrast(ink: np.ndarray, outline: Outline, count: int = ANGLES) -> tuple[float, float]:
    """Ring coverage and how much it exceeds the coverage just outside the ring.

    A seal's border has paper outside it; an outline laid through a block of
    text or a tangle of strokes finds about as much ink just outside as on it.
    """
    hit = _hits(ink, outline, _RING_AND_OUTSIDE, count)
    ring = float(hit[: len(RING_SCALES)].any(axis=0).mean())
    outside = float(hit[len(RING_SCALES) :].any(axis=0).mean())
    return ring, ring - outside


def ring_contrast_over(ink: np.ndarray, outline: Outline, directions: np.ndarray) -> tuple[float, float]:
    """`ring_contrast` over the chosen directions only (`directions`: ANGLES bools), e.g. those where
    another seal's ring does not cross this one; (0, 0) when none is chosen."""
    if not directions.any():
        return 0.0, 0.0
    hit = _hits(ink, outline, _RING_AND_OUTSIDE, len(directions))[:, directions]
    ring = float(hit[: len(RING_SCALES)].any(axis=0).mean())
    outside = float(hit[len(RING_SCALES) :].any(axis=0).mean())
    return ring, ring - outside


def directions_clear_of(outline: Outline, other: Outline, lo: float, hi: float, count: int = ANGLES) -> np.ndarray:
    """Which of `count` directions of `outline` lie off `other`'s ring band (between its scales lo and hi)."""
    rot = math.radians(-other.angle)
    d = outline.points(1.0, count) - np.array([other.cx, other.cy])
    u = d[:, 0] * math.cos(rot) - d[:, 1] * math.sin(rot)
    v = d[:, 0] * math.sin(rot) + d[:, 1] * math.cos(rot)
    if other.shape == "square":
        reach = np.maximum(np.abs(u) / other.a, np.abs(v) / other.b)
    else:
        reach = np.sqrt((u / other.a) ** 2 + (v / other.b) ** 2)
    return np.asarray((reach < lo) | (reach > hi))


def ring_scores(ink: np.ndarray, outlines: list[Outline], count: int = ANGLES) -> np.ndarray:
    """`sum(ring_contrast(ink, o, count))` (coverage plus contrast) of each outline, in one pass.

    The same numbers as outline by outline, for a fraction of the time: the RANSAC search
    scores a hundred candidate ellipses per seal.
    """
    cx = np.array([outline.cx for outline in outlines], dtype=np.float64)
    cy = np.array([outline.cy for outline in outlines], dtype=np.float64)
    return ring_scores_at(ink, cx, cy, *_offset_planes(outlines, count))


def ring_scores_at(ink: np.ndarray, cx: np.ndarray, cy: np.ndarray, ox: np.ndarray, oy: np.ndarray) -> np.ndarray:
    """`ring_scores` of the outlines centred at (cx, cy) (m each) with offsets (ox, oy) (m x count each,
    `offset_planes`): for searches that make their candidates as arrays, not as outlines."""
    scales = _RING_AND_OUTSIDE[None, :, None]
    hit = _hits_xy(ink, cx[:, None, None] + scales * ox[:, None, :], cy[:, None, None] + scales * oy[:, None, :])
    ring = hit[:, : len(RING_SCALES)].any(axis=1).mean(axis=1)
    outside = hit[:, len(RING_SCALES) :].any(axis=1).mean(axis=1)
    return ring + (ring - outside)


def outline_offsets(outlines: Sequence[Outline], count: int = ANGLES) -> np.ndarray:
    """`Outline.offsets` of each outline, stacked (m x count x 2): the same numbers, worked out for all
    outlines at once (the searches score hundreds of candidates a page; one by one, building each
    outline's offsets cost as much as looking them up in the ink).

    Every element goes through the same float64 operations in the same order as `Outline.offsets`
    (the rotation's cosine and sine are still `math`'s), so the result is bit for bit that method's.
    """
    return np.stack(_offset_planes(outlines, count), axis=2)


def _offset_planes(outlines: Sequence[Outline], count: int) -> tuple[np.ndarray, np.ndarray]:
    """`outline_offsets`' x and y parts (`offset_planes` of the outlines' axes, angles and shapes)."""
    a = np.array([outline.a for outline in outlines], dtype=np.float64)
    b = np.array([outline.b for outline in outlines], dtype=np.float64)
    square = np.array([outline.shape == "square" for outline in outlines], dtype=bool)
    return offset_planes(a, b, [outline.angle for outline in outlines], square, count)


def offset_planes(a: np.ndarray, b: np.ndarray, angles: Sequence[float], square: np.ndarray,
                  count: int) -> tuple[np.ndarray, np.ndarray]:
    """The x and y parts (m x count each, contiguous) of the offsets of m outlines with semi-axes `a` and `b`
    (m each), rotated by `angles` (degrees), rectangles where `square`: `Outline.offsets` bit for bit. The ring
    samples are worked out coordinate by coordinate, not through a last axis of two (strided, more passes)."""
    c, s = _unit_circle(count)
    x, y = a[:, None] * c, b[:, None] * s
    if square.any():
        reach = 1.0 / np.maximum(np.abs(c) / a[square][:, None], np.abs(s) / b[square][:, None])
        x[square], y[square] = reach * c, reach * s
    rotations = [math.radians(angle) for angle in angles]
    cos = np.array([math.cos(rot) for rot in rotations], dtype=np.float64)[:, None]
    sin = np.array([math.sin(rot) for rot in rotations], dtype=np.float64)[:, None]
    return x * cos - y * sin, x * sin + y * cos


def ring_sharpness(ink: np.ndarray, outline: Outline, grown: np.ndarray | None = None) -> float:
    """Best single-radius coverage on the ring minus the mean single-radius coverage just outside it.

    A ring is one curve at one radius; text crossed by a circle hits it at
    any radius about equally, so this stays high for a seal stamped over a
    paragraph, where banded coverage (`ring_contrast`) does not. `grown`: `sharpness_mask(ink)` when
    already made (a page's rings are all judged on one).
    """
    grown = sharpness_mask(ink) if grown is None else grown
    on = radial_profile(grown, outline, np.linspace(0.92, 1.03, 12)).max()
    off = radial_profile(grown, outline, np.linspace(1.08, 1.2, 5)).mean()
    return float(on - off)


def sharpness_mask(ink: np.ndarray) -> np.ndarray:
    """The ink `ring_sharpness` samples: grown by a pixel, so a ring one pixel off a radius still counts."""
    return cv2.dilate((ink > 0).astype(np.uint8), np.ones((3, 3), np.uint8))


def radial_profile(ink: np.ndarray, outline: Outline, scales: np.ndarray) -> np.ndarray:
    """Coverage at each single scale: where along the radius the ink forms a continuous ring."""
    return _hits(ink, outline, scales).mean(axis=1)


def shifted_profiles(ink: np.ndarray, outline: Outline, shifts: Sequence[tuple[float, float]],
                     scales: np.ndarray) -> np.ndarray:
    """`radial_profile` of the outline moved by each (dx, dy) of `shifts`: a (len(shifts), len(scales)) array.

    The same numbers as moving the outline and profiling it shift by shift, in one pass: snapping a
    circle onto its ring tries dozens of centres.
    """
    return shifted_profiles_of(ink, [outline], shifts, scales)[0]


def shifted_profiles_of(ink: np.ndarray, outlines: Sequence[Outline], shifts: Sequence[tuple[float, float]],
                        scales: np.ndarray) -> np.ndarray:
    """`shifted_profiles` of each outline, stacked (len(outlines), len(shifts), len(scales)), in one pass:
    a page's Hough circles are snapped onto their rings together. Each number is the one profile's."""
    offsets = outline_offsets(outlines)  # (m, count, 2)
    ox = scales[None, :, None] * offsets[:, None, :, 0]  # (m, scales, count)
    oy = scales[None, :, None] * offsets[:, None, :, 1]
    cx = np.array([[outline.cx + dx for dx, _ in shifts] for outline in outlines])[:, :, None, None]
    cy = np.array([[outline.cy + dy for _, dy in shifts] for outline in outlines])[:, :, None, None]
    hit = _hits_xy(ink, cx + ox[:, None], cy + oy[:, None])  # (m, shifts, scales, count)
    return hit.mean(axis=3)


def _hits(ink: np.ndarray, outline: Outline, scales: np.ndarray, count: int = ANGLES) -> np.ndarray:
    """Whether ink lies at each (scale, angle) sample of the outline: a (len(scales), count) bool array."""
    offsets = outline.offsets(count)
    return _hits_xy(ink, outline.cx + scales[:, None] * offsets[None, :, 0],
                    outline.cy + scales[:, None] * offsets[None, :, 1])


def _hits_xy(ink: np.ndarray, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """`_hits_at` of the points (x, y) given as two like-shaped arrays: the same answers, quicker on a 2-D image
    (made contiguous): rounded once, checked against the image while still floats, gathered by an int32 flat index
    (samples off the image looked up clamped to it and cleared, as `_hits_at` does). NaN or infinite
    samples go to `_hits_at` itself."""
    h, w = ink.shape[:2]
    rx, ry = np.rint(x), np.rint(y)
    if ink.ndim == 2 and not ink.flags.c_contiguous:
        ink = np.ascontiguousarray(ink)  # a window of a page: copied (a few hundred pixels square), then gathered
    if not rx.size or ink.ndim != 2 or h * w >= 2**31:
        return _hits_at(ink, np.stack([x, y], axis=-1))
    x_lo, x_hi, y_lo, y_hi = float(rx.min()), float(rx.max()), float(ry.min()), float(ry.max())
    if not all(math.isfinite(v) for v in (x_lo, x_hi, y_lo, y_hi)):
        return _hits_at(ink, np.stack([x, y], axis=-1))
    flat = ink.reshape(-1)
    if x_lo >= 0 and y_lo >= 0 and x_hi < w and y_hi < h:
        index = ry.astype(np.int32)
        index *= w
        index += rx.astype(np.int32)
        return flat.take(index) > 0
    inside = (rx >= 0) & (rx < w) & (ry >= 0) & (ry < h)
    index = ry.clip(0, h - 1).astype(np.int32)
    index *= w
    index += rx.clip(0, w - 1).astype(np.int32)
    return (flat.take(index) > 0) & inside


def _hits_at(ink: np.ndarray, points: np.ndarray) -> np.ndarray:
    """Whether ink lies at each (x, y) of `points` (any leading shape, last axis 2), rounded to pixels."""
    h, w = ink.shape[:2]
    pts = np.rint(points).astype(np.intp)  # rint: round half to even, as round, without its overhead
    x, y = pts[..., 0], pts[..., 1]
    # Samples all on the image (a seal's ring in its patch, nearly always) are looked up in one gather;
    # otherwise they are looked up clamped to the image and those off it cleared: no boolean selections.
    if x.size and x.min() >= 0 and y.min() >= 0 and x.max() < w and y.max() < h:
        # A contiguous image is gathered by flat index: the same pixels, a fifth quicker than by (y, x).
        return (ink.reshape(-1)[y * w + x] if ink.ndim == 2 and ink.flags.c_contiguous else ink[y, x]) > 0
    inside = (x >= 0) & (x < w) & (y >= 0) & (y < h)
    return (ink[y.clip(0, h - 1), x.clip(0, w - 1)] > 0) & inside


def interior_density(ink: np.ndarray, outline: Outline, scale: float = 0.8) -> float:
    """Share of inked pixels inside the outline shrunk by `scale` (a seal has text and a star there)."""
    polygon = _polygon(outline, scale)
    window = _window(ink.shape, [polygon])
    if window is None:
        return 0.0
    mask = _filled(window, [polygon])
    area = int(np.count_nonzero(mask))
    return float(np.count_nonzero((_cut(ink, window) > 0) & (mask > 0))) / area if area else 0.0


def _polygon(outline: Outline, scale: float) -> np.ndarray:
    """The outline grown by `scale` as the integer polygon (96 corners) its filled area is drawn from."""
    return outline.points(scale, 96).round().astype(np.int32)


# A filled outline's pixels are worked out in the part of the image its polygon covers, not in a mask
# of the whole page (a page's candidates are judged by the hundred): the same pixels, as the corners
# are whole pixels and filling is clipped to the image either way.
Window = tuple[int, int, int, int]


def _window(shape: tuple[int, ...], polygons: Sequence[np.ndarray]) -> Window | None:
    """The part (x0, y0, x1, y1) of an image of `shape` that the polygons' bounding box covers; None if none."""
    corners = np.concatenate(polygons)
    x0, y0 = max(0, int(corners[:, 0].min())), max(0, int(corners[:, 1].min()))
    x1, y1 = min(shape[1], int(corners[:, 0].max()) + 1), min(shape[0], int(corners[:, 1].max()) + 1)
    return (x0, y0, x1, y1) if x1 > x0 and y1 > y0 else None


def _filled(window: Window, polygons: Sequence[np.ndarray]) -> np.ndarray:
    """A 0/255 mask of the window with the first polygon filled and the others cleared out of it, in order."""
    x0, y0, x1, y1 = window
    mask = np.zeros((y1 - y0, x1 - x0), np.uint8)
    for k, polygon in enumerate(polygons):
        cv2.fillPoly(mask, [polygon - np.array([x0, y0], np.int32)], 0 if k else 255)
    return mask


def _cut(image: np.ndarray, window: Window) -> np.ndarray:
    x0, y0, x1, y1 = window
    return image[y0:y1, x0:x1]


def fit_outline(points: np.ndarray) -> tuple[Outline, Outline, float] | None:
    """Ellipse and rotated-rectangle fits to the convex hull of ink `points` (N x 2), and the hull's fill.

    `fill` is hull area over rectangle area: pi/4 for a round or oval seal,
    close to 1 for a square one.
    """
    hulled = hull_rectangle(points)
    return None if hulled is None else fit_hull(hulled)


@dataclass(frozen=True)
class Hulled:
    """The convex hull of some ink points and its smallest rotated rectangle (`square`, half sides as `a`, `b`):
    the first half of `fit_outline`, enough to judge the ink's size before its ellipse is fitted."""

    hull: np.ndarray
    square: Outline


def hull_rectangle(points: np.ndarray) -> Hulled | None:
    """`Hulled` of ink `points` (N x 2); None for fewer than 5 points or a rectangle under 2 px across."""
    if len(points) < 5:
        return None
    hull = cv2.convexHull(hull_candidates(points).astype(np.float32).reshape(-1, 1, 2))
    (rcx, rcy), (rw, rh), rangle = cv2.minAreaRect(hull)
    if rw < 2 or rh < 2:
        return None
    return Hulled(hull, Outline("square", rcx, rcy, rw / 2, rh / 2, rangle))


def hull_candidates(points: np.ndarray) -> np.ndarray:
    """The points among `points` (N x 2 pixel positions, x then y) that can be corners of their convex hull:
    each pixel row's first and last, when the points come row by row, left to right (as `cv2.findNonZero`
    gives a mask's); all of them otherwise.

    A point between two others of its row is not a corner of their hull, and `cv2.convexHull` returns corners
    only (no point along an edge), so the hull of these is the hull of all, corner for corner in the same
    order (the hull is made from the set: its points sorted by position first). A seal group's ink is
    thousands of pixels, a few hundred rows: the hull took ~3 ms a group, of every group a page's
    seal search fits (`tests/test_seal_hull.py` holds the two side by side).
    """
    if len(points) < 3:
        return points
    xs, ys = points[:, 0], points[:, 1]
    rises = ys[1:] != ys[:-1]
    if not ((ys[1:] >= ys[:-1]).all() and (xs[1:] > xs[:-1])[~rises].all()):
        return points
    cut = np.flatnonzero(rises)
    ends = np.zeros(len(points), bool)
    ends[0] = ends[-1] = True
    ends[cut] = True  # each row's last
    ends[cut + 1] = True  # the next row's first
    return points[ends]


def fit_hull(hulled: Hulled) -> tuple[Outline, Outline, float] | None:
    """`fit_outline`'s fits from its hull and rectangle (`hull_rectangle`); None when the densified hull has
    fewer than 5 points."""
    # The rectangle's full sides: its half sides doubled give them back exactly (a halving is exact in binary).
    hull, rw, rh = hulled.hull, 2 * hulled.square.a, 2 * hulled.square.b
    dense = _densify(hull.reshape(-1, 2))
    if len(dense) < 5:
        return None
    (ecx, ecy), (ew, eh), eangle = cv2.fitEllipse(dense.astype(np.float32))
    # fitEllipse's angle is that of the first axis: make `a` the major semi-axis.
    a, b, angle = (ew / 2, eh / 2, eangle) if ew >= eh else (eh / 2, ew / 2, eangle + 90.0)
    ellipse = Outline("oval", ecx, ecy, a, b, angle % 180.0)
    fill = float(cv2.contourArea(hull)) / (rw * rh)
    return ellipse, hulled.square, fill


def _densify(polygon: np.ndarray, step: float = 2.0) -> np.ndarray:
    """Points every `step` pixels along a closed polygon, so a fit weights the outline by length.

    Each edge from `start` gives `start + t * (end - start)` for t = k / n, k < n, n = its length over `step`
    (at least 1): the very numbers of `np.linspace(0, 1, n, endpoint=False)` on each edge, made for all edges
    at once (a hull has dozens of edges, and each seal candidate is fitted several times).
    """
    if not len(polygon):
        return polygon
    starts = polygon
    deltas = np.roll(polygon, -1, axis=0) - starts
    counts = np.maximum(1, (np.hypot(deltas[:, 0], deltas[:, 1]) / step).astype(np.int64))
    counts = _exact_counts(deltas, counts, step)
    edge = np.repeat(np.arange(len(polygon)), counts)
    first = np.repeat(np.cumsum(counts) - counts, counts)
    # linspace's values: k * (1 / n), k as float64 (`arange(n) * step` of numpy.linspace).
    t = (np.arange(len(edge)) - first).astype(np.float64) * (1.0 / counts.astype(np.float64))[edge]
    return starts[edge] + t[:, None] * deltas[edge]


def _exact_counts(deltas: np.ndarray, counts: np.ndarray, step: float) -> np.ndarray:
    """`counts` with any edge whose length over `step` lies within a hair of a whole number worked out as one
    edge alone (`int(np.hypot(*delta) / step)`): an array's hypot may differ from a lone pair's in its last bit."""
    lengths = np.hypot(deltas[:, 0], deltas[:, 1]) / step
    near = np.flatnonzero(np.abs(lengths - np.rint(lengths)) < 1e-3)
    for index in near.tolist():
        counts[index] = max(1, int(np.hypot(*deltas[index]) / step))
    return counts


# The most `ring_scores` (and `ring_contrast`'s sum) can give: inked in every direction, paper all round outside.
BEST_RING_SCORE = 2.0


def ransac_ellipse(ink: np.ndarray, measure: np.ndarray, guess: Outline, axes: tuple[float, float],
                   tries: int = 120) -> tuple[Outline, float]:
    """The ellipse that ink follows best, and its score (ring coverage plus contrast) on `measure`.

    The hull fit (`guess`) is pulled by anything touching the seal: print
    edges, a signature, a second seal. Candidate ellipses are fitted to random
    6-point samples of the group's border (the outermost ink in each direction
    from the centre) and scored by ring coverage and contrast, which is what
    makes a seal a seal; two passes let the centre move onto the seal (none once the best scores
    `BEST_RING_SCORE`, which no candidate can beat: a cleanly inked seal's hull fit often does). `axes` bounds the
    semi-axes (px). Seeded, so a page always gives the same answer.
    """
    ys, xs = np.nonzero(ink)
    best, best_score = guess, sum(ring_contrast(measure, guess)) if _axes_ok(guess, axes) else -1.0
    if len(xs) < 20:
        return best, best_score
    rng = np.random.default_rng(20260527)
    for _ in range(2):
        if best_score >= BEST_RING_SCORE:
            break  # nothing scores more: the draws (this call's own generator) cannot change the answer
        border = _outermost(xs, ys, best)
        if len(border) < 12:
            break
        n = len(border)
        points = border.astype(np.float32)  # what fitEllipse takes, converted once for all the samples
        # The samples do not depend on the scores, so candidates are drawn first and scored together;
        # the first best one wins, as it did scored one by one.
        candidates: list[tuple[float, float, float, float, float]] = []  # (cx, cy, a, b, angle) of each oval
        for k in range(tries):
            # Half the samples from anywhere on the border, half from one arc of it:
            # where two seals overlap, an arc is far likelier to belong to one seal.
            if k % 2:
                start, span = int(rng.integers(n)), max(6, int(n * rng.uniform(0.35, 0.7)))
                picks = (start + rng.choice(span, 6, replace=False)) % n
            else:
                picks = rng.choice(n, 6, replace=False)
            try:
                (cx, cy), (w, h), angle = cv2.fitEllipse(points[picks])
            except cv2.error:
                continue
            a, b, angle = (w / 2, h / 2, angle) if w >= h else (h / 2, w / 2, angle + 90.0)
            if _semi_axes_ok(a, b, axes):
                candidates.append((cx, cy, a, b, angle % 180.0))
        if candidates:
            scores = _oval_scores(measure, candidates)
            top = int(np.argmax(scores))
            if scores[top] > best_score:
                best, best_score = Outline("oval", *candidates[top]), float(scores[top])
    return best, best_score


def _oval_scores(measure: np.ndarray, ovals: list[tuple[float, float, float, float, float]]) -> np.ndarray:
    """`ring_scores` over 96 directions (coarse while searching) of the ovals (cx, cy, a, b, angle), made as
    arrays: the RANSAC search's ~120 candidates a pass are not made outlines first (the same numbers)."""
    cx, cy, a, b, angles = zip(*ovals, strict=True)
    planes = offset_planes(np.array(a, dtype=np.float64), np.array(b, dtype=np.float64), angles,
                           np.zeros(len(ovals), bool), 96)
    return ring_scores_at(measure, np.array(cx, dtype=np.float64), np.array(cy, dtype=np.float64), *planes)


def _axes_ok(outline: Outline, axes: tuple[float, float]) -> bool:
    return _semi_axes_ok(outline.a, outline.b, axes)


def _semi_axes_ok(first: float, second: float, axes: tuple[float, float]) -> bool:
    a, b = max(first, second), min(first, second)
    return math.isfinite(a) and math.isfinite(b) and axes[0] <= b and a <= axes[1] and a <= 1.9 * b


def _outermost(xs: np.ndarray, ys: np.ndarray, around: Outline, bins: int = 180) -> np.ndarray:
    """Per direction from the outline's centre, the farthest ink point within 1.25x the outline."""
    dx, dy = xs - around.cx, ys - around.cy
    theta = np.arctan2(dy, dx)
    reach = np.hypot(dx, dy)
    limit = 1.25 * max(around.a, around.b)
    ok = reach <= limit
    index = ((theta[ok] + math.pi) / (2 * math.pi) * bins).astype(int) % bins
    far = np.full(bins, -1.0)
    np.maximum.at(far, index, reach[ok])
    best = np.full(bins, -1, dtype=int)
    order = np.flatnonzero(ok)
    hit = reach[ok] == far[index]
    best[index[hit]] = order[hit]
    chosen = best[best >= 0]
    return np.stack([xs[chosen], ys[chosen]], axis=1)


def band_fill(ink: np.ndarray, outline: Outline, lo: float, hi: float) -> float:
    """Share of the pixels between scales lo and hi of the outline that are inked."""
    polygons = [_polygon(outline, hi)] + ([_polygon(outline, lo)] if lo > 0 else [])
    window = _window(ink.shape, polygons[:1])
    if window is None:
        return 0.0
    mask = _filled(window, polygons)
    area = int(np.count_nonzero(mask))
    return float(np.count_nonzero((_cut(ink, window) > 0) & (mask > 0))) / area if area else 0.0


# Scales an oval's ring is looked for at when snapping the outline onto it (`snap_oval`), and the steps
# (share of the mean radius; the angle moves 60 degrees per unit) the outline is moved by, coarse to fine.
SNAP_SCALES = np.linspace(0.94, 1.06, 13)
SNAP_STEPS = (0.04, 0.02, 0.01)
SNAP_ANGLES = 120


def snap_oval(ink: np.ndarray, outline: Outline) -> Outline:
    """The oval whose ring `ink` (any ink, print included: bool/0-255) follows most completely at one
    scale, found by moving `outline`'s centre, axes and angle while the fill grows.

    A detector's oval is scored over a band of scales, so it may sit a few pixels off the ring or turned
    a few degrees; unrolled by it, the lettering rises and falls across the strip and a second, inner
    ring waves through the name. Print crossing the ring inks every scale about alike, so the single
    scale the ring fills stays the ring's.
    """
    mask = np.asarray(ink) > 0
    guess, _ = ransac_ellipse(mask, mask, outline, (0.8 * outline.b, 1.2 * outline.a))
    fills = oval_fills(mask, [outline, guess])
    best, best_fill = (outline, float(fills[0])) if fills[0] >= fills[1] else (guess, float(fills[1]))
    for step in SNAP_STEPS:
        while True:
            moves = _oval_moves(best, step)
            fills = oval_fills(mask, moves)
            top = int(np.argmax(fills))
            if fills[top] <= best_fill:
                break
            best, best_fill = moves[top], float(fills[top])
    # The single best scale runs along the ring's middle; the outline is its outer edge.
    scale = float(SNAP_SCALES[int(np.argmax(_hits(mask, best, SNAP_SCALES, SNAP_ANGLES).mean(axis=1)))]) + 0.03
    return Outline(best.shape, best.cx, best.cy, best.a * scale, best.b * scale, best.angle % 180.0)


def _oval_moves(o: Outline, step: float) -> list[Outline]:
    """The outline moved one `step` each way in each of its five parameters."""
    r = math.sqrt(o.a * o.b)
    moves = []
    for d in (-step, step):
        moves += [Outline(o.shape, o.cx + d * r, o.cy, o.a, o.b, o.angle),
                  Outline(o.shape, o.cx, o.cy + d * r, o.a, o.b, o.angle),
                  Outline(o.shape, o.cx, o.cy, o.a * (1 + d), o.b, o.angle),
                  Outline(o.shape, o.cx, o.cy, o.a, o.b * (1 + d), o.angle),
                  Outline(o.shape, o.cx, o.cy, o.a, o.b, o.angle + 60.0 * d)]
    return [m if m.a >= m.b else Outline(m.shape, m.cx, m.cy, m.b, m.a, m.angle + 90.0) for m in moves]


def oval_fills(mask: np.ndarray, outlines: list[Outline]) -> np.ndarray:
    """Per outline, the best single-scale ring coverage over `SNAP_SCALES`, all outlines in one pass."""
    offsets = np.stack([o.offsets(SNAP_ANGLES) for o in outlines])  # (m, angles, 2)
    cx = np.array([o.cx for o in outlines], dtype=np.float64)[:, None, None]
    cy = np.array([o.cy for o in outlines], dtype=np.float64)[:, None, None]
    scales = SNAP_SCALES[None, :, None]
    return _hits_xy(mask, cx + scales * offsets[:, None, :, 0], cy + scales * offsets[:, None, :, 1]).mean(axis=2).max(axis=1)
