"""A seal's ring on a 1-bit page found as an annulus of raised speck density.

A fax or a threshold turns a seal's red ink into dither: its ring survives as a band of sparse
specks crossing the print, its lettering as a few dots, and no edge- or vote-based ring test
holds (the ring is too broken, the print too near). What stays is where the specks are: once
the print is set aside (the OCR's word boxes and the ruling lines), a page's leftover ink is
thin scanner noise, except along the seal's ring.

The page is cut into 1 mm cells; a cell is *occupied* when it holds any leftover ink (counting
cells, not pixels, keeps a clump of dots from weighing as much as a ring's worth of them). For a
ring of the package's seal size centred on each cell, the occupied share of the cells in its band
is compared with the share in the annuli just inside and outside it (and never less than the
page's own share): the surprise is the Chernoff bound on the binomial tail, n * KL(q || p0),
i.e. -ln of an upper bound on the chance of so many occupied cells by chance. A ring must also
be raised along much of its length (`arc`), not at one clump or along one straight rule.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import cv2
import numpy as np

from pipeline.seals.geometry import Outline

MM_PER_INCH = 25.4
CELL_MM = 1.0
# Leftover ink: clearly darker than paper (a resampled dither dot is grey, not black).
SPECK_INK_LEVEL = 200
# Word boxes and rules are grown by this (mm): a character's ragged edge is print, not specks.
PRINT_MARGIN_MM = 0.4
# The ring's band, as a half-width (mm) round the outline: the printed ring is ~1-1.5 mm wide,
# the package's seal size is known to a millimetre or so.
BAND_HALF_MM = 1.5
# Control annuli, as scales of the outline: the lettering sits within ~0.85 of the ring, the
# star at the centre; just outside, the paper round the seal.
INNER_CONTROL = (0.45, 0.75)
OUTER_CONTROL = (1.2, 1.45)
# A band mostly covered by print is not looked at: too little of the ring is left to judge.
MIN_USABLE_BAND = 0.4
# Dithered rules (a grey table rule thresholded): occupied cells in a level or upright run this
# long (mm), gaps up to RULE_GAP_MM bridged; a seal's ring bends away from any chord this long.
RULE_RUN_MM = 25.0
RULE_GAP_MM = 5.0
# Arc test: the band in this many sectors, a sector raised when its occupied share is
# ARC_RAISED times the background's and it holds at least two occupied cells.
ARC_SECTORS = 12
ARC_RAISED = 3.0
# A seal's ring: surprise at least this, about three times what chance reaches on a page's ~10^5
# (centre, size) tests (-ln(0.001 / 10^5) ~ 18), a margin for print remnants clustering unlike chance
# (a dithered table grid reaches 170 with a third of its sectors raised); raised along half its length.
SPECK_RING_SURPRISE = 60.0
SPECK_RING_ARC = 0.5
# Scales of the package's seal size searched (a stamp's ring is read to a millimetre or two).
SIZE_SCALES = (0.92, 1.0, 1.08)


@dataclass(frozen=True)
class SpeckRing:
    """A ring of raised speck density: where (px), its size (px), how surprising, how complete."""

    outline: Outline
    surprise: float  # -ln of an upper bound on the chance of the band's occupied cells
    arc: float  # share of the ring's sectors raised above the background


@dataclass(frozen=True)
class SpeckGrid:
    """The page in 1 mm cells: which hold leftover ink, which are not covered by print."""

    occupied: np.ndarray  # float32 0/1
    usable: np.ndarray  # float32 0/1
    px_per_cell: float

    @property
    def background(self) -> float:
        return float(self.occupied.sum() / max(self.usable.sum(), 1.0))


def print_mask(shape: tuple[int, ...], boxes_px: list[tuple[float, float, float, float]], px_per_mm: float
               ) -> np.ndarray:
    """A mask (uint8, 1 = print) of `boxes_px` (word boxes, rules) grown by `PRINT_MARGIN_MM`."""
    mask = np.zeros(shape[:2], np.uint8)
    grow = PRINT_MARGIN_MM * px_per_mm
    for x0, y0, x1, y1 in boxes_px:
        cv2.rectangle(mask, (int(x0 - grow), int(y0 - grow)), (int(np.ceil(x1 + grow)), int(np.ceil(y1 + grow))), 1, -1)
    return mask


def speck_grid(grey: np.ndarray, px_per_mm: float, printed: np.ndarray) -> SpeckGrid:
    """Occupied and usable 1 mm cells of a page (`grey`), print (`printed`, 1 = print) set aside, dithered
    rules dropped."""
    cell = CELL_MM * px_per_mm
    rows, cols = int(grey.shape[0] / cell), int(grey.shape[1] / cell)
    usable = (cv2.resize((printed == 0).astype(np.float32), (cols, rows), interpolation=cv2.INTER_AREA) > 0.5)
    ys, xs = np.nonzero((grey < SPECK_INK_LEVEL) & (printed == 0))
    gy, gx = (ys / cell).astype(int), (xs / cell).astype(int)
    inside = (gy < rows) & (gx < cols)
    occupied = np.zeros((rows, cols), np.uint8)
    occupied[gy[inside], gx[inside]] = 1
    occupied &= usable.astype(np.uint8)
    occupied[_straight_runs(occupied)] = 0
    return SpeckGrid(occupied.astype(np.float32), usable.astype(np.float32), cell)


def _straight_runs(occupied: np.ndarray) -> np.ndarray:
    """Cells in a level or upright run of `RULE_RUN_MM` (gaps of `RULE_GAP_MM` bridged, a cell's waver
    allowed): a dithered rule's dots."""
    gap, run = max(1, round(RULE_GAP_MM / CELL_MM)), max(2, round(RULE_RUN_MM / CELL_MM))
    runs = np.zeros_like(occupied)
    for bridge, line in (((gap, 2), (run, 1)), ((2, gap), (1, run))):
        joined = cv2.morphologyEx(occupied, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, bridge))
        opened = cv2.morphologyEx(joined, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, line))
        runs |= cv2.dilate(opened, cv2.getStructuringElement(cv2.MORPH_RECT, (3, 3)))
    return (runs > 0) & (occupied > 0)


def _annulus(a: float, b: float, low: float, high: float) -> np.ndarray:
    """Cells (a kernel, float32 0/1) between `low` and `high` times an upright ellipse of semi-axes a, b;
    every kernel of one size is as large as the outer control's, so they add up."""
    reach = int(np.ceil(max(a, b) * max(high, OUTER_CONTROL[1]))) + 1
    y, x = np.mgrid[-reach : reach + 1, -reach : reach + 1].astype(np.float64)
    scale = np.sqrt((x / a) ** 2 + (y / b) ** 2)
    return ((scale >= low) & (scale < high)).astype(np.float32)


def binomial_surprise(occupied: np.ndarray, cells: np.ndarray, background: np.ndarray | float) -> np.ndarray:
    """n * KL(q || p0) where the share q = occupied / cells exceeds p0 (`background`), else 0: -ln of the
    Chernoff bound on the chance of at least that many occupied cells of `cells` at rate p0."""
    n = np.maximum(cells, 1.0)
    q = np.clip(occupied / n, 1e-9, 1 - 1e-9)
    p = np.clip(np.broadcast_to(background, q.shape), 1e-9, 1 - 1e-9)
    kl = q * np.log(q / p) + (1 - q) * np.log((1 - q) / (1 - p))
    return np.where((q > p) & (cells > 0), n * kl, 0.0)


@dataclass(frozen=True)
class _Scored:
    surprise: np.ndarray
    background: np.ndarray
    a: float  # cells
    b: float


def _score(grid: SpeckGrid, a: float, b: float) -> _Scored:
    """The ring surprise of an upright a x b (cells) outline centred on every cell."""
    half = BAND_HALF_MM / CELL_MM / max(a, b)
    band = _annulus(a, b, 1 - half, 1 + half)
    controls = _annulus(a, b, *INNER_CONTROL) + _annulus(a, b, *OUTER_CONTROL)

    def total(image: np.ndarray, kernel: np.ndarray) -> np.ndarray:
        return cv2.filter2D(image, -1, kernel, borderType=cv2.BORDER_CONSTANT)

    inked, cells = total(grid.occupied, band), total(grid.usable, band)
    around = (total(grid.occupied, controls) + 1) / (total(grid.usable, controls) + 2)
    background = np.maximum(around, grid.background)
    surprise = binomial_surprise(inked, cells, background)
    surprise[cells < MIN_USABLE_BAND * band.sum()] = 0.0
    return _Scored(surprise, background, a, b)


def arc_share(grid: SpeckGrid, cx: float, cy: float, a: float, b: float, background: float) -> float:
    """Share of the ring's `ARC_SECTORS` sectors (cells; centre cx, cy) whose band is raised above `background`,
    of those whose band is mostly usable."""
    half = BAND_HALF_MM / CELL_MM / max(a, b)
    reach = int(np.ceil(max(a, b) * (1 + half))) + 1
    x0, y0 = round(cx) - reach, round(cy) - reach
    ys, xs = np.mgrid[y0 : y0 + 2 * reach + 1, x0 : x0 + 2 * reach + 1]
    inside = (ys >= 0) & (xs >= 0) & (ys < grid.occupied.shape[0]) & (xs < grid.occupied.shape[1])
    dx, dy = xs + 0.5 - cx, ys + 0.5 - cy
    scale = np.sqrt((dx / a) ** 2 + (dy / b) ** 2)
    band = inside & (scale >= 1 - half) & (scale < 1 + half)
    sector = ((np.arctan2(dy, dx) + np.pi) / (2 * np.pi) * ARC_SECTORS).astype(int) % ARC_SECTORS
    occupied = np.zeros(ARC_SECTORS)
    usable = np.zeros(ARC_SECTORS)
    np.add.at(occupied, sector[band], grid.occupied[ys[band], xs[band]])
    np.add.at(usable, sector[band], grid.usable[ys[band], xs[band]])
    raised = (occupied >= 2) & (occupied > ARC_RAISED * background * np.maximum(usable, 1))
    # A sector mostly under print or a seal already explained says nothing either way: the share is of the rest.
    cells = np.zeros(ARC_SECTORS)
    np.add.at(cells, sector[band], 1.0)
    judged = usable >= MIN_USABLE_BAND * cells
    return float(np.count_nonzero(raised & judged)) / max(1, int(np.count_nonzero(judged)))


def find_speck_rings(grid: SpeckGrid, sizes_px: list[tuple[float, float]], count: int,
                     min_surprise: float, min_arc: float, avoid: Sequence[Outline] = ()) -> list[SpeckRing]:
    """Up to `count` rings (page px, best first) of the `sizes_px` (semi-axes, px; each also at
    `SIZE_SCALES`) whose surprise reaches `min_surprise` and arc `min_arc`.

    The ink of a seal already explained (an `avoid` outline: a seal found; a ring taken) is no evidence
    for another: its band is set aside before the next is looked for, so the cover's second stamp,
    crossing the first, is judged against its own surround, not against the first's ring."""
    taken = list(avoid)
    for outline in taken:
        grid = without_band(grid, outline)
    rings: list[SpeckRing] = []
    while len(rings) < count:
        ring = _best_ring(grid, sizes_px, min_surprise, min_arc, taken)
        if ring is None:
            break
        rings.append(ring)
        taken.append(ring.outline)
        grid = without_band(grid, ring.outline)
    return rings


def _best_ring(grid: SpeckGrid, sizes_px: list[tuple[float, float]], min_surprise: float, min_arc: float,
               taken: list[Outline]) -> SpeckRing | None:
    """The most surprising ring passing the arc test, not centred within half a radius of a `taken` one
    (the same seal again, off by the band's width)."""
    scored = [_score(grid, a * s / grid.px_per_cell, b * s / grid.px_per_cell) for a, b in sizes_px for s in SIZE_SCALES]
    best = np.max([s.surprise for s in scored], axis=0)
    which = np.argmax([s.surprise for s in scored], axis=0)
    while True:
        row, col = np.unravel_index(int(np.argmax(best)), best.shape)
        surprise = float(best[row, col])
        if surprise < min_surprise:
            return None
        ring = scored[int(which[row, col])]
        cv2.circle(best, (int(col), int(row)), max(1, int(max(ring.a, ring.b) / 2)), 0.0, -1)
        outline = Outline("round" if ring.a == ring.b else "oval", (col + 0.5) * grid.px_per_cell,
                          (row + 0.5) * grid.px_per_cell, ring.a * grid.px_per_cell, ring.b * grid.px_per_cell)
        if any(np.hypot(o.cx - outline.cx, o.cy - outline.cy) < max(o.a, outline.a) / 2 for o in taken):
            continue
        arc = arc_share(grid, col + 0.5, row + 0.5, ring.a, ring.b, float(ring.background[row, col]))
        if arc >= min_arc:
            return SpeckRing(outline, surprise, arc)


def without_band(grid: SpeckGrid, outline: Outline) -> SpeckGrid:
    """The grid with the cells of `outline`'s ring band (page px) set aside (neither occupied nor usable)."""
    cell = grid.px_per_cell
    band = np.zeros(grid.occupied.shape, np.uint8)
    half = BAND_HALF_MM / CELL_MM
    centre = (round(outline.cx / cell - 0.5), round(outline.cy / cell - 0.5))
    axes = (round(outline.a / cell), round(outline.b / cell))
    cv2.ellipse(band, centre, axes, outline.angle, 0, 360, 1, max(1, round(2 * half)))
    keep = (band == 0).astype(np.float32)
    return SpeckGrid(grid.occupied * keep, grid.usable * keep, cell)
