"""Curled pages (a book scanner's bulge at the spine): text lines straightened from their own curvature.

Text lines are found on a small binarised copy by smearing characters sideways into line
blobs; the centre height of each blob is sampled along it.  All samples are fitted at once
by one smooth vertical displacement field shared by the page, plus one height per line:

    y = r_line + sum c_ab * x^a * y^b      (a = 1..3, b = 0..2; x, y scaled to -1..1)

a cubic bend across the page whose shape may change down it (fanning towards the spine).
The fit is linear least squares; taking each line's mean out of its samples removes the
line heights.  Having no x^0 terms, the field is zero down the page's middle column, where
lines keep their heights.  The pure-x term is a uniform skew, left for the deskew step;
everything else is removed by shifting each column vertically.  (A piecewise-linear field
in x followed a curl near the spine more closely but also bent flat tables whose rows are
cut into cell-wide pieces: measured on the sample corpus.)  Pages whose lines run down the
page (stored sideways) are measured on the transposed copy.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from pipeline.components import components
from pipeline.ocr.orient import char_size, ink_mask
from pipeline.preprocess import flatten

WORK_SIDE = 800  # a character is ~10 px at this size on an A4 page
MIN_LINES = 5
SUPPORT = 3  # the curl reported is the bow at least this many lines share
TERMS = tuple((a, b) for a in (1, 2, 3) for b in (0, 1, 2))
SKEW_TERM = TERMS.index((1, 0))
MIN_BOW_CHARS = 0.3  # a bow under this share of a character's height does not disturb reading
MIN_BOW_PX = 2.0  # at the page's resolution
# A curl explains the lines: their scatter about the field is well under their scatter about one
# skew (curled pages of the word corpus leave 0.3-0.65 of it, flat scans and faxes 0.9-1.0).
MAX_SCATTER_LEFT = 0.8
# Ridge weight per sample on the field's coefficients: a term the lines do not pin down (no lines
# near the page's foot, say) stays near zero instead of swinging wild; in scaled units a real
# curl's coefficients are 1e-2..1e-1 and cost almost nothing at this weight.
RIDGE = 1e-5
GRID_STEP = 8  # px of the page between points where the displacement is computed exactly


@dataclass(frozen=True)
class Curl:
    """The fitted displacement field of one page, in its frame (transposed when `transposed`)."""

    coefficients: np.ndarray  # one per TERMS
    x_range: tuple[float, float]  # scaled columns the lines covered; the field is held flat beyond
    width: int  # px of the frame the field applies to
    height: int
    bow_px: float  # the bow several lines share, px of that frame
    char_px: float  # median character size, px of that frame
    transposed: bool = False
    y_range: tuple[float, float] = (-1.0, 1.0)  # scaled rows the lines covered; the field is held beyond
    scatter_left: float = 1.0  # the lines' scatter about the field over their scatter about one skew

    @property
    def significant(self) -> bool:
        return self.bow_px >= max(MIN_BOW_PX, MIN_BOW_CHARS * self.char_px) and self.scatter_left <= MAX_SCATTER_LEFT

    def displacement(self, xs: np.ndarray, ys: np.ndarray) -> np.ndarray:
        """Vertical offset (px) of the curled page from the straight one at pixel coordinates xs, ys
        (without the skew, which deskew removes)."""
        u = np.clip(xs / (self.width / 2) - 1, *self.x_range)
        v = np.clip(ys / (self.height / 2) - 1, *self.y_range)
        # Grouped by the power of u, each group's polynomial in v by Horner's rule: a few whole-array
        # operations instead of two powers per term (it runs per text line while the field is fitted).
        by_power: dict[int, dict[int, float]] = {}
        for index, (a, b) in enumerate(TERMS):
            if index != SKEW_TERM:
                by_power.setdefault(a, {})[b] = float(self.coefficients[index])
        total = np.zeros(np.broadcast(u, v).shape, dtype=np.float64)
        for a, terms in by_power.items():
            in_v = np.full_like(total, terms.get(max(terms), 0.0))
            for b in range(max(terms) - 1, -1, -1):
                in_v = in_v * v + terms.get(b, 0.0)
            total += u**a * in_v
        return total * (self.height / 2)

    def scaled_to(self, width: int, height: int, factor: float) -> Curl:
        """The same field for the page at 1/`factor` the size it was fitted on."""
        return Curl(self.coefficients, self.x_range, width, height, self.bow_px / factor, self.char_px / factor,
                    self.transposed, self.y_range, self.scatter_left)


def line_samples(binary: np.ndarray, char: float) -> list[np.ndarray]:
    """Per text line, (x, y) samples of its centre height along it (px of `binary`)."""
    vertical = cv2.morphologyEx(binary, cv2.MORPH_OPEN, np.ones((max(3, round(3 * char)), 1), np.uint8))
    text = cv2.subtract(binary, vertical)  # table borders would join rows into one blob
    smear = max(3, round(1.5 * char))
    blobs = cv2.morphologyEx(text, cv2.MORPH_CLOSE, np.ones((1, smear), np.uint8))
    count, labels, stats = components(blobs, 8)
    step = max(2, round(char / 2))
    lines = []
    for label in range(1, count):
        x, y, w, h, _ = stats[label]
        # Pieces of a line (split at wide gaps or a seal) each count as a line of their own; rules too.
        if w < max(6 * char, 0.1 * binary.shape[1]) or h > 2.0 * char + 0.15 * w:
            continue
        mine = labels[y : y + h, x : x + w] == label
        counts = mine.sum(axis=0)
        centres = (mine * np.arange(h)[:, None]).sum(axis=0) / np.maximum(counts, 1)
        extent = h - np.argmax(mine[::-1], axis=0) - np.argmax(mine, axis=0)
        # Columns where a text blob is thin are gaps between characters' strokes: their centre is
        # noise.  Columns taller than a line straddle two (a wrapped cell): so does a blob full of them.
        inked = counts > 0
        single = inked & (extent <= 1.5 * char)
        if single.sum() < 0.7 * inked.sum():
            continue
        columns = np.nonzero(single & (counts >= max(1, 0.4 * min(h, char))))[0][::step]
        if len(columns) >= 8:
            lines.append(np.column_stack([x + columns, y + centres[columns]]).astype(np.float64))
    return lines


def _design(points: np.ndarray, width: int, height: int) -> tuple[np.ndarray, np.ndarray]:
    """The field's terms at `points` (px) and their scaled heights."""
    u = points[:, 0] / (width / 2) - 1
    v = points[:, 1] / (height / 2) - 1
    return np.column_stack([u**a * v**b for a, b in TERMS]), v


def _per_line(owner: np.ndarray, values: np.ndarray, weights: np.ndarray, lines: int) -> np.ndarray:
    """Weighted mean of `values` over each line's samples (0 for a line with no weight)."""
    total = np.bincount(owner, weights=values * weights, minlength=lines)
    return total / np.maximum(np.bincount(owner, weights=weights, minlength=lines), 1e-9)


def fit_field(lines: list[np.ndarray], width: int, height: int) -> tuple[np.ndarray, float, list[int]]:
    """Coefficients of the shared field (one per TERMS), the residual RMS (px of the fit) and
    the lines the fit kept.

    Each line's own height is taken out by centring its samples (terms and heights) on their
    mean.  Between fits, samples far off their line's fit (a stray mark joined to it) are
    dropped, and so are lines the field cannot describe (the arc of a seal's ring, a stroke).
    """
    count = len(lines)
    owner = np.repeat(np.arange(count), [len(line) for line in lines])
    terms, heights = _design(np.vstack(lines), width, height)
    keep = np.ones(len(owner), dtype=bool)
    used = np.ones(count, dtype=bool)
    coefficients = np.zeros(len(TERMS))
    misfit = np.zeros(len(owner))
    for _ in range(3):
        active = (keep & used[owner]).astype(np.float64)
        centred_terms = terms - np.column_stack([_per_line(owner, t, active, count) for t in terms.T])[owner]
        centred = heights - _per_line(owner, heights, active, count)[owner]
        design, target = centred_terms[active > 0], centred[active > 0]
        normal = design.T @ design + RIDGE * len(design) * np.eye(len(TERMS))
        coefficients = np.linalg.solve(normal, design.T @ target)
        misfit = heights - terms @ coefficients
        misfit = (misfit - _per_line(owner, misfit, active, count)[owner]) * (height / 2)
        spread = _per_line(owner, np.abs(misfit), active, count)
        keep = np.abs(misfit) <= np.maximum(2.0, 3.0 * spread[owner] + 1.0)
        kept = keep.astype(np.float64)
        line_rms = np.sqrt(_per_line(owner, np.square(misfit), kept, count))
        limit = max(1.0, 3.0 * float(np.median(line_rms[used])))
        survivors = used & (line_rms <= limit) & (np.bincount(owner, weights=kept, minlength=count) >= 4)
        if survivors.sum() < MIN_LINES:
            break
        used = survivors
    final = keep & used[owner]
    rms = float(np.sqrt(np.mean(np.square(misfit[final])))) if final.any() else float("inf")
    return coefficients, rms, [int(i) for i in np.nonzero(used)[0]]


def line_bows(xs: np.ndarray, heights: np.ndarray) -> list[float]:
    """How far each line's heights (a row of `heights`, lines x len(xs)) stray from the straight
    line through them (peak to peak, px): a tilt is skew, left to deskew; only the bend counts."""
    if len(xs) < 3 or not len(heights):
        return [0.0] * len(heights)
    slope, intercept = np.polyfit(xs, heights.T, 1)
    residual = heights - (slope[:, None] * xs[None, :] + intercept[:, None])
    return [float(bow) for bow in residual.max(axis=1) - residual.min(axis=1)]


def _fit(lines: list[np.ndarray], shape: tuple[int, int], char: float, transposed: bool) -> Curl | None:
    """The curl fitted to `lines` (px of a binary page of `shape`), or None when they do not describe one."""
    height, width = shape
    coefficients, rms, used = fit_field(lines, width, height)
    lines = [lines[i] for i in used]
    if len(lines) < MIN_LINES or rms > 0.2 * char:  # the field does not describe these lines: not a curl we understand
        return None
    points = np.vstack(lines)
    us, vs = points[:, 0] / (width / 2) - 1, points[:, 1] / (height / 2) - 1
    x_range = (float(us.min()), float(us.max()))
    field = Curl(coefficients, x_range, width, height, 0.0, char, transposed, (float(vs.min()), float(vs.max())))
    # The bend is measured across the whole width the lines cover, at each line's height: on a
    # form or a table the text near the spine is short pieces in cells, each only tilted, while
    # the rows they belong to bend across the page.  A curl bends several lines; one is something else.
    across = np.linspace(points[:, 0].min(), points[:, 0].max(), 64)
    line_heights = np.array([line[:, 1].mean() for line in lines])
    bows = sorted(line_bows(across, field.displacement(across[None, :], line_heights[:, None])))
    return Curl(coefficients, x_range, width, height, bows[-SUPPORT], char, transposed, field.y_range,
                scatter_left(lines, field))


def scatter_left(lines: list[np.ndarray], field: Curl) -> float:
    """RMS of the lines' heights about the field over their RMS about the best single skew (each
    line's own height taken out in both): how much of the lines' bending the field leaves."""
    owner = np.repeat(np.arange(len(lines)), [len(line) for line in lines])
    points = np.vstack(lines)

    def centred(values: np.ndarray) -> np.ndarray:
        return values - (np.bincount(owner, weights=values) / np.bincount(owner))[owner]

    run, rise = centred(points[:, 0]), centred(points[:, 1])
    slope = float(run @ rise / max(float(run @ run), 1e-9))
    about_skew = rise - slope * run
    # The field at every sample at once: one evaluation instead of one per line.
    left = centred(points[:, 1] - field.displacement(points[:, 0], points[:, 1]))
    # The field leaves the skew to deskew: its own skew is taken out of what it leaves too.
    left_slope = float(run @ left / max(float(run @ run), 1e-9))
    return float(np.sqrt(np.mean(np.square(left - left_slope * run))) /
                 max(float(np.sqrt(np.mean(np.square(about_skew)))), 1e-9))


def _length(lines: list[np.ndarray]) -> float:
    return float(sum(line[-1, 0] - line[0, 0] for line in lines))


def measure_curl(small: np.ndarray, factor: float, full: tuple[int, int]) -> Curl | None:
    """The text-line curl of a page of `full` (height, width) px, from `small`, its grey copy at
    `factor` of that size (see `work_copy`); None when it shows too few text lines to tell.

    Lines are looked for across the page and down it (a page stored sideways), and the
    direction with more line length is fitted.
    """
    binary = ink_mask(flatten(small))
    ink = float(np.count_nonzero(binary)) / binary.size
    if not 0.002 <= ink <= 0.35:
        return None
    char = char_size(binary)
    if char <= 0:
        return None
    lines, transposed = line_samples(binary, char), False
    # On the sample corpus the text's own direction gives 3 to 20 times the line length of the
    # other, so the length down the page is judged on a half-size copy and measured only if longer.
    half = cv2.resize(binary, (binary.shape[1] // 2, binary.shape[0] // 2), interpolation=cv2.INTER_AREA)
    down_half = line_samples(np.ascontiguousarray((half > 0).T.astype(np.uint8) * 255), char / 2)
    if 2 * _length(down_half) > _length(lines):
        lines, transposed = line_samples(np.ascontiguousarray(binary.T), char), True
    if len(lines) < MIN_LINES:
        return None
    found = _fit(lines, binary.T.shape if transposed else binary.shape, char, transposed)
    if found is None:
        return None
    return found.scaled_to(full[0] if transposed else full[1], full[1] if transposed else full[0], factor)


def work_copy(grey: np.ndarray) -> tuple[np.ndarray, float]:
    """The grey copy (and its scale) the curl is measured on: halved until its long side is at
    most 1.5 WORK_SIDE (an exact halving by area is some 40 times quicker than any other factor)."""
    small, factor = grey, 1.0
    while max(small.shape[:2]) > 1.5 * WORK_SIDE:
        small = cv2.resize(small, (small.shape[1] // 2, small.shape[0] // 2), interpolation=cv2.INTER_AREA)
        factor /= 2
    return small, factor


def dewarp(image: np.ndarray, curl: Curl) -> np.ndarray:
    """`image` with every column (every row, for a curl measured sideways) shifted so the fitted
    text lines run straight."""
    height, width = (image.shape[1], image.shape[0]) if curl.transposed else image.shape[:2]
    # Grid points sit where cv2.resize by GRID_STEP puts its source samples, so the upsampled field is aligned.
    columns, rows = -(-width // GRID_STEP), -(-height // GRID_STEP)
    # A row of columns and a column of rows: the field's powers of x are taken once per column, not per point.
    grid_x = ((np.arange(columns) + 0.5) * GRID_STEP - 0.5)[None, :]
    grid_y = ((np.arange(rows) + 0.5) * GRID_STEP - 0.5)[:, None]
    # The straight row y shows the curled row y + d(x, y + d): one fixed-point step of y_src = y + d(x, y_src).
    offset = curl.displacement(grid_x, grid_y)
    offset = curl.displacement(grid_x, grid_y + offset).astype(np.float32)
    if curl.transposed:  # measured on the transpose: the shift runs along the image's rows
        offset, (columns, rows), (width, height) = offset.T, (rows, columns), (height, width)
    full = cv2.resize(offset, (columns * GRID_STEP, rows * GRID_STEP), interpolation=cv2.INTER_LINEAR)[:height, :width]
    along_x = np.broadcast_to(np.arange(width, dtype=np.float32), (height, width))
    along_y = np.broadcast_to(np.arange(height, dtype=np.float32)[:, None], (height, width))
    map_x, map_y = (along_x + full, along_y) if curl.transposed else (along_x, along_y + full)
    return cv2.remap(image, np.ascontiguousarray(map_x), np.ascontiguousarray(map_y),
                     interpolation=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
