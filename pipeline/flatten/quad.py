"""The paper in a photo: its quadrilateral against the desk, and the page rectified from it.

Paper is bright and colourless, a desk darker or coloured: on a small copy with the print
closed away, "brightness minus saturation" split by Otsu separates the two.  The largest
paper region is taken only when background shows along at least three sides of the image:
a scan (paper to the edges) or a book scan with one shadowed edge is left alone.  Its
outline's four sides are fitted as straight lines and intersected, which places corners
more precisely than the outline's (rounded) vertices.

One threshold for the whole photo fails where the light falls off across it: the far corner
of the paper is then as dark as the lit desk, Otsu cuts it away and the page is rectified
from a wrong quad.  The paper's edge is still a sharp step there, so straight edges (Hough
lines on the same closed copy) give further candidate quads; whichever candidate has the
strongest paper-to-desk step along its weakest side is taken.
"""

from __future__ import annotations

import itertools

import cv2
import numpy as np

WORK_SIDE = 800  # px, long side of the copy the paper is looked for on
A4_INCHES = (8.27, 11.69)
A4_TOLERANCE = 0.2  # a quad whose side ratio is within 20% of A4's (perspective skews it) is A4
# Share of the image the paper may cover. A page photographed from afar fills as little as an eighth of the
# frame (dev36 a01 p10, a09 p5: 13-14%, its paper still ~600 px across, ~75 dpi): left unrectified it was
# read as a blank page or none of its title found (a missing attachment, a missing section: false errors).
# Smaller candidates are still judged by their contrast, corner angles and edge step like any other.
MIN_AREA, MAX_AREA = 0.05, 0.97
MARGIN = 0.015  # share of the image's side that counts as background showing on that side
MIN_SIDES_WITH_MARGIN = 3
MIN_CONTRAST = 40  # paper vs background, in "brightness minus saturation" levels
MIN_ANGLE, MAX_ANGLE = 50.0, 130.0  # degrees at each corner of a plausible photographed rectangle
EDGE_LINES = 6  # strongest distinct Hough lines kept per direction (across, down) for candidate quads
EDGE_REFITS = 6  # candidate quads with the strongest edge steps whose sides are refitted to the edge pixels
MIN_EDGE_STEP = 15.0  # paper minus desk, in score levels, along every side of an edge-found quad
EDGE_OFFSET = 4  # px (work copy) either side of a side where paper and desk are sampled


def paper_score(image: np.ndarray) -> np.ndarray:
    """Per pixel, brightness minus saturation: high on white paper, low on dark or coloured desks."""
    if image.ndim == 2:
        return image
    hsv = cv2.cvtColor(image, cv2.COLOR_RGB2HSV)
    return cv2.subtract(hsv[..., 2], hsv[..., 1])


def find_page_quad(image: np.ndarray) -> np.ndarray | None:
    """Corners (4x2 float, TL TR BR BL, px of `image`) of the paper against its background, or None.

    None when the page already fills the image (a scan) or no convincing rectangle shows.
    """
    if not _edges_look_like_desk(image):
        return None
    step = max(1, max(image.shape[:2]) // WORK_SIDE)
    # Decimated, not averaged: the closing below removes the print, and the paper's edge is a long straight step.
    score = paper_score(decimated(image, step))
    k = max(3, round(max(score.shape) / 60)) | 1  # wider than print strokes, narrower than margins
    closed = cv2.morphologyEx(score, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (k, k)))
    closed = cv2.medianBlur(closed, 5)
    found = _otsu_quad(closed, k)
    edge_found = max(_edge_quads(closed), key=lambda c: edge_step(closed, c), default=None)
    if edge_found is not None and edge_step(closed, edge_found) >= MIN_EDGE_STEP and (
        found is None or edge_step(closed, edge_found) > edge_step(closed, found)
    ):
        found = edge_found
    return None if found is None else (found * step).astype(np.float32)


def decimated(image: np.ndarray, step: int) -> np.ndarray:
    """`image[::step, ::step]`, made by a nearest-neighbour warp whose source pixel is exactly
    `step` times the target's (a strided numpy copy of a colour page costs several times as much)."""
    if step <= 1:
        return image
    height, width = image.shape[:2]
    scale = np.array([[step, 0, 0], [0, step, 0]], dtype=np.float64)
    return cv2.warpAffine(image, scale, (-(-width // step), -(-height // step)),
                          flags=cv2.INTER_NEAREST | cv2.WARP_INVERSE_MAP)


def _otsu_quad(closed: np.ndarray, k: int) -> np.ndarray | None:
    """The quad of the largest region brighter than Otsu's threshold (work-copy px), or None."""
    _, paper = cv2.threshold(closed, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
    paper = cv2.morphologyEx(paper, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (k, k)))
    if not _has_background(paper):
        return None
    outline = _largest_outline(paper)
    if outline is None:
        return None
    inside = cv2.drawContours(np.zeros_like(paper), [outline], -1, 255, cv2.FILLED)
    if _contrast(closed, inside) < MIN_CONTRAST:
        return None
    corners = _fit_quad(outline)
    if corners is None or not _plausible(corners, paper.shape):
        return None
    return corners


def _edge_quads(closed: np.ndarray) -> list[np.ndarray]:
    """Plausible quads (work-copy px, TL TR BR BL) from two across and two down of the strongest
    straight edges of the closed score: the EDGE_REFITS with the strongest edge steps, sides refitted."""
    height, width = closed.shape
    edges = cv2.Canny(closed, 15, 40)
    lines = cv2.HoughLines(edges, 1, np.pi / 360, threshold=max(20, round(0.12 * min(height, width))))
    if lines is None:
        return []
    across: list[tuple[float, float]] = []
    down: list[tuple[float, float]] = []
    for rho, theta in lines[:, 0]:  # strongest first
        group = across if abs(np.cos(theta)) < np.sin(np.radians(40)) else down
        distinct = all(abs(rho - r) > 8 or abs(theta - t) > np.radians(3) for r, t in group)
        if distinct and len(group) < EDGE_LINES:
            group.append((float(rho), float(theta)))
    quads = []
    for pair_across in itertools.combinations(across, 2):
        for pair_down in itertools.combinations(down, 2):
            points = [_meet(a, b) for a in pair_across for b in pair_down]
            if any(point is None for point in points):
                continue
            corners = order_corners(np.array(points, dtype=np.float64))
            if _plausible(corners, closed.shape):
                quads.append(corners)
    if not quads:
        return []
    # A side's robust refit costs more than the rest of the search on a textured desk (dozens of
    # candidates); a refit moves a side by a pixel or two, which does not lift a weak candidate's
    # step above the strongest ones'.
    strongest = np.argsort(-edge_steps(closed, np.array(quads)), kind="stable")[:EDGE_REFITS]
    found = cv2.findNonZero(edges)  # (x, y) row by row, as np.nonzero orders them; None when there are none
    edge_points = np.zeros((0, 2)) if found is None else found.reshape(-1, 2).astype(np.float64)
    return [_refit_sides(quads[i], edge_points) for i in strongest]


def _refit_sides(corners: np.ndarray, edge_points: np.ndarray) -> np.ndarray:
    """Each side refitted to the edge pixels along it (a Hough line is quantised to half a degree,
    several px at a far corner), and neighbouring sides intersected; the quad as it was if that fails."""
    lines = [_side_line(edge_points, corners[i], corners[(i + 1) % 4]) for i in range(4)]
    if any(line is None for line in lines):
        return corners
    refined = [_intersect(lines[i - 1], lines[i]) for i in range(4)]  # type: ignore[arg-type]
    if any(c is None for c in refined):
        return corners
    return np.array(refined, dtype=np.float64)


def _meet(a: tuple[float, float], b: tuple[float, float]) -> np.ndarray | None:
    """Where two Hough lines (rho, theta) cross, or None when they are parallel."""
    matrix = np.array([[np.cos(a[1]), np.sin(a[1])], [np.cos(b[1]), np.sin(b[1])]])
    if abs(np.linalg.det(matrix)) < 1e-6:
        return None
    return np.linalg.solve(matrix, np.array([a[0], b[0]]))


def edge_step(score: np.ndarray, corners: np.ndarray) -> float:
    """The weakest side's median step from desk (outside) to paper (inside), in score levels."""
    return float(edge_steps(score, corners[None])[0])


def edge_steps(score: np.ndarray, quads: np.ndarray, samples: int = 60) -> np.ndarray:
    """`edge_step` of each of `quads` (n x 4 x 2), all sampled at once."""
    starts = quads.astype(np.float64)
    ends = np.roll(starts, -1, axis=1)
    along = np.linspace(0.08, 0.92, samples)[None, None, :, None]  # the corners' ends left out
    points = starts[:, :, None] + along * (ends - starts)[:, :, None]
    unit = (ends - starts) / np.maximum(1e-9, np.hypot(*np.moveaxis(ends - starts, -1, 0)))[..., None]
    inward = np.stack([-unit[..., 1], unit[..., 0]], axis=-1)[:, :, None]  # clockwise on screen (y down): inside on the right
    height, width = score.shape

    def at(where: np.ndarray) -> np.ndarray:
        xs = np.clip(np.round(where[..., 0]).astype(int), 0, width - 1)
        ys = np.clip(np.round(where[..., 1]).astype(int), 0, height - 1)
        return score[ys, xs].astype(np.float32)

    steps = np.median(at(points + EDGE_OFFSET * inward) - at(points - EDGE_OFFSET * inward), axis=2)
    return steps.min(axis=1).astype(np.float64)


def _edges_look_like_desk(image: np.ndarray) -> bool:
    """Quick look on a sparse sample: are at least three of the image's edges well darker (or more
    coloured) than its paper?  A scan's edges are paper; this spares it the full search."""
    score = paper_score(decimated(image, max(1, max(image.shape[:2]) // 200)))
    # The paper's level: a level the smallest paper (MIN_AREA of the frame) reaches on half its pixels.
    paper = float(np.percentile(score, 100 * (1 - MIN_AREA / 2)))
    height, width = score.shape
    band_y, band_x = max(1, round(MARGIN * height)), max(1, round(MARGIN * width))
    bands = (score[:band_y], score[-band_y:], score[:, :band_x], score[:, -band_x:])
    return sum(float(np.median(band)) < paper - MIN_CONTRAST for band in bands) >= MIN_SIDES_WITH_MARGIN


def _has_background(paper: np.ndarray) -> bool:
    """True when background (not paper) shows along at least three sides of the image."""
    height, width = paper.shape
    band_y, band_x = max(2, round(MARGIN * height)), max(2, round(MARGIN * width))
    bands = (paper[:band_y], paper[-band_y:], paper[:, :band_x], paper[:, -band_x:])
    # A side shows background when most of its band is not paper (the page may cross a corner).
    return sum(float((band == 0).mean()) > 0.6 for band in bands) >= MIN_SIDES_WITH_MARGIN


def _largest_outline(paper: np.ndarray) -> np.ndarray | None:
    contours, _ = cv2.findContours(paper, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_NONE)
    if not contours:
        return None
    largest = max(contours, key=cv2.contourArea)
    share = cv2.contourArea(largest) / paper.size
    return largest if MIN_AREA <= share <= MAX_AREA else None


def _contrast(score: np.ndarray, inside: np.ndarray) -> float:
    """Median paper score inside the outline minus outside it."""
    return masked_median(score, inside) - masked_median(score, cv2.bitwise_not(inside))


def masked_median(values: np.ndarray, mask: np.ndarray) -> float:
    """`np.median(values[mask > 0])` of a uint8 image, from its histogram (no copy of the masked pixels)."""
    counts = cv2.calcHist([values], [0], mask, [256], [0, 256]).ravel().astype(np.int64)
    total = int(counts.sum())
    if total == 0:
        return float("nan")
    cumulative = np.cumsum(counts)
    # The middle rank, or the two middle ranks of an even count, averaged as np.median does.
    low = int(np.searchsorted(cumulative, (total - 1) // 2, side="right"))
    high = int(np.searchsorted(cumulative, total // 2, side="right"))
    return (low + high) / 2


def _fit_quad(outline: np.ndarray) -> np.ndarray | None:
    """Four corners from the outline: a 4-vertex approximation of its hull, each side then refitted
    as a line through the outline points along it, and neighbouring sides intersected."""
    hull = cv2.convexHull(outline)
    perimeter = cv2.arcLength(hull, True)
    rough = None
    for share in (0.01, 0.02, 0.03, 0.05, 0.08):
        approx = cv2.approxPolyDP(hull, share * perimeter, True)
        if len(approx) == 4:
            rough = approx.reshape(4, 2).astype(np.float64)
            break
    if rough is None:
        return None
    rough = order_corners(rough)
    refined = _refit_sides(rough, outline.reshape(-1, 2).astype(np.float64))
    # A refit that moves a corner far from the rough one has fitted something else (a shadow, a hand).
    if np.abs(refined - rough).max() > 0.03 * perimeter:
        return rough
    return refined


def _side_line(points: np.ndarray, start: np.ndarray, end: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    """Line (point, direction) fitted to the outline points lying along the side start-end,
    its ends left out (corners are rounded by the closing)."""
    direction = end - start
    length = float(np.hypot(*direction))
    if length < 10:
        return None
    unit = direction / length
    relative = points - start
    along = relative @ unit
    across = np.abs(relative @ np.array([-unit[1], unit[0]]))
    near = points[(along > 0.1 * length) & (along < 0.9 * length) & (across < max(3.0, 0.02 * length))]
    if len(near) < 5:
        return None
    vx, vy, x0, y0 = cv2.fitLine(near.astype(np.float32), cv2.DIST_HUBER, 0, 0.01, 0.01).ravel()
    return np.array([x0, y0], dtype=np.float64), np.array([vx, vy], dtype=np.float64)


def _intersect(a: tuple[np.ndarray, np.ndarray], b: tuple[np.ndarray, np.ndarray]) -> np.ndarray | None:
    (p, r), (q, s) = a, b
    cross = r[0] * s[1] - r[1] * s[0]
    if abs(cross) < 1e-6:
        return None
    t = ((q - p)[0] * s[1] - (q - p)[1] * s[0]) / cross
    return p + t * r


def order_corners(corners: np.ndarray) -> np.ndarray:
    """TL, TR, BR, BL: clockwise (in image coordinates) from the corner nearest the top-left."""
    centre = corners.mean(axis=0)
    angles = np.arctan2(corners[:, 1] - centre[1], corners[:, 0] - centre[0])
    clockwise = corners[np.argsort(angles)]  # y points down, so increasing angle runs clockwise
    start = int(np.argmin(clockwise.sum(axis=1)))
    return np.roll(clockwise, -start, axis=0)


def _plausible(corners: np.ndarray, shape: tuple[int, int]) -> bool:
    """Convex, every angle between MIN_ANGLE and MAX_ANGLE, area within bounds."""
    area = cv2.contourArea(corners.astype(np.float32))
    if not MIN_AREA <= area / (shape[0] * shape[1]) <= MAX_AREA:
        return False
    if not cv2.isContourConvex(corners.astype(np.float32).reshape(-1, 1, 2)):
        return False
    for i in range(4):
        a, b = corners[i - 1] - corners[i], corners[(i + 1) % 4] - corners[i]
        cosine = float(a @ b) / max(1e-9, float(np.hypot(*a) * np.hypot(*b)))
        if not MIN_ANGLE <= np.degrees(np.arccos(np.clip(cosine, -1, 1))) <= MAX_ANGLE:
            return False
    return True


def target_size(corners: np.ndarray, dpi: float) -> tuple[int, int]:
    """(width, height) px of the rectified page: A4 at `dpi` when the quad's proportions are
    near A4's (either way up), else the quad's own longest opposite sides."""
    tl, tr, br, bl = corners
    width = max(float(np.hypot(*(tr - tl))), float(np.hypot(*(br - bl))))
    height = max(float(np.hypot(*(bl - tl))), float(np.hypot(*(br - tr))))
    a4_ratio = A4_INCHES[1] / A4_INCHES[0]
    ratio = max(width, height) / max(1.0, min(width, height))
    if abs(ratio / a4_ratio - 1.0) <= A4_TOLERANCE:
        short, long = round(A4_INCHES[0] * dpi), round(A4_INCHES[1] * dpi)
        return (long, short) if width > height else (short, long)
    return round(width), round(height)


def rectify(image: np.ndarray, corners: np.ndarray, dpi: float) -> np.ndarray:
    """The paper inside `corners` mapped by a homography onto an upright rectangle (see target_size)."""
    width, height = target_size(corners, dpi)
    target = np.array([[0, 0], [width - 1, 0], [width - 1, height - 1], [0, height - 1]], dtype=np.float32)
    matrix = cv2.getPerspectiveTransform(corners.astype(np.float32), target)
    return cv2.warpPerspective(image, matrix, (width, height), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
