"""Unrolling a seal's ring of text into a straight strip an OCR engine can read.

A round seal prints its owner's name clockwise along the inside of the ring,
each character upright with its head towards the rim. Polar-unwrapping the
annulus inside the ring (cv2.warpPolar) turns that arc into one ordinary line
of text: angle becomes x (reading order, clockwise), distance from the centre
becomes y (flipped, so the rim is at the top and the characters stand upright).
An oval seal is unrolled along its outline's normals (`oval_polar`).
"""

from __future__ import annotations

import math

import cv2
import numpy as np

from pipeline.seals.geometry import Outline

# The name band lies between the inner edge of the ring and about half the
# radius (the star and any horizontal text sit inside that).
BAND_INNER = 0.48
BAND_OUTER = 0.97
# A second ring inside the border: within this share of the radius of it, and inked round this share of the
# seal's angles at one depth.
INNER_RING_REACH = 0.12
INNER_RING_COVER = 0.8
# Points along the oval its band's arc length is measured on (`oval_polar`).
OVAL_SAMPLES = 2048
# Characters this tall in the strip suit both Tesseract and RapidOCR.
STRIP_HEIGHT = 64


def oval_polar(ink: np.ndarray, outline: Outline) -> np.ndarray:
    """An oval seal's disc laid out as `polar` lays out a round one: rows = position along the oval
    (clockwise, one row per pixel of arc at the band's middle), columns = depth in from the outline
    along its normal, column k at depth (1 - k / cols) of the minor semi-axis.

    Lettering follows the oval at a constant depth inside its ring, so stepping in along the normal
    keeps every character its height and width; squeezing the oval into a circle instead narrows the
    characters near the minor axis, where the name runs, by the axes' ratio, and bends a second
    (inner) ring into a wave across the band.
    """
    b = outline.b
    cols = max(16, round(b))
    t = np.linspace(0.0, 2.0 * math.pi, OVAL_SAMPLES + 1)
    middle = _oval_points(outline, t, b * (1.0 - (BAND_INNER + BAND_OUTER) / 2))
    arc = np.concatenate([[0.0], np.cumsum(np.hypot(*np.diff(middle, axis=0).T))])
    rows = max(90, round(arc[-1]))
    t_rows = np.interp(np.arange(rows) * arc[-1] / rows, arc, t)
    depths = b * (1.0 - np.arange(cols) / cols)
    points = _oval_points(outline, t_rows[:, None], depths[None, :])
    return cv2.remap(ink, points[..., 0].astype(np.float32), points[..., 1].astype(np.float32),
                     cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT, borderValue=0)


def _oval_points(outline: Outline, t: np.ndarray, depth: np.ndarray | float) -> np.ndarray:
    """Points (..., 2) at parameter `t` on the oval, moved `depth` px inward along its normal."""
    a, b = outline.a, outline.b
    cos_t, sin_t = np.cos(t), np.sin(t)
    nx, ny = b * cos_t, a * sin_t  # the outward normal of x = a cos t, y = b sin t
    norm = np.hypot(nx, ny)
    x = a * cos_t - depth * nx / norm
    y = b * sin_t - depth * ny / norm
    rot = math.radians(outline.angle)
    return np.stack([outline.cx + x * math.cos(rot) - y * math.sin(rot),
                     outline.cy + x * math.sin(rot) + y * math.cos(rot)], axis=-1)


def polar(ink: np.ndarray, centre: tuple[float, float], radius: float) -> np.ndarray:
    """The disc of `radius` as rows = angle (clockwise from +x, one row per pixel of arc at the band's middle)
    and columns = distance from the centre."""
    mid = radius * (BAND_INNER + BAND_OUTER) / 2
    rows = max(90, round(2 * math.pi * mid))
    cols = max(16, round(radius))
    return cv2.warpPolar(ink, (cols, rows), centre, radius, cv2.WARP_POLAR_LINEAR + cv2.INTER_LINEAR)


def text_band(polar_ink: np.ndarray, band_inner: float = BAND_INNER) -> tuple[int, int]:
    """Columns of the name band: from inside the ring (the outermost dense column) in to `band_inner`.

    The ring is found rather than assumed at the outline, because a fitted
    outline sits a pixel or two off and thick or thin rings differ.
    """
    cols = polar_ink.shape[1]
    profile = polar_ink.astype(np.float32).mean(axis=0) / 255.0
    start = round(cols * 0.8)
    ring = start + int(np.argmax(profile[start:])) if start < cols else cols - 1
    # Step inward past the ring's own thickness.
    inner = ring
    while inner > start and profile[inner] > 0.5 * profile[ring]:
        inner -= 1
    inner = _past_inner_ring(polar_ink, inner)
    lo = round(cols * band_inner)
    return lo, max(lo + 4, inner - 1)


def _past_inner_ring(polar_ink: np.ndarray, inner: int) -> int:
    """The column inside a second, thin ring just within the border (oval seals often have one), or
    `inner` when there is none. A ring is inked all round; a name's lettering, with its gaps between
    characters and the free bottom of the seal, covers far fewer angles at any one depth."""
    inked = polar_ink > max(32.0, 0.4 * float(np.percentile(polar_ink, 99)))
    cover = inked.mean(axis=0)
    stop = max(0, inner - round(polar_ink.shape[1] * INNER_RING_REACH))
    for col in range(inner, stop, -1):
        if cover[col] >= INNER_RING_COVER:
            while col > stop and cover[col] >= 0.5 * INNER_RING_COVER:
                col -= 1
            return col
    return inner


def start_angle(band: np.ndarray) -> int:
    """Row at which reading starts: the middle of the widest angular gap in the name.

    A seal's name leaves its widest gap at the bottom; finding it rather than
    assuming "bottom" copes with seals stamped at an angle or upside down.
    Only the outer half of the band is looked at: the name runs along the rim,
    while a bottom line (合同专用章) or a code sits further in and would fill the gap.
    """
    rows, cols = band.shape
    outer = band[:, cols // 2 :]
    # Ink, not the paper's faint tint: well above the band's typical (background) level.
    threshold = max(40.0, 0.35 * float(np.percentile(outer, 99)), float(np.median(outer)) + 25.0)
    level = (outer > threshold).mean(axis=1)
    inked = level > 0.03
    # Smooth over gaps between characters (a few degrees) so only the big gap remains.
    kernel = max(3, rows // 45)
    inked = np.convolve(inked.astype(float), np.ones(kernel), mode="same") > 0
    if inked.all() or not inked.any():
        return round(rows / 4)  # bottom of the seal: warpPolar's 90 degrees
    doubled = np.concatenate([inked, inked])
    best_len, best_mid, run_start = 0, rows // 4, None
    for i, value in enumerate(doubled):
        if not value and run_start is None:
            run_start = i
        if value and run_start is not None:
            if i - run_start > best_len:
                best_len, best_mid = i - run_start, (run_start + i) // 2
            run_start = None
    return best_mid % rows


def unwrap(ink: np.ndarray, outline: Outline, wrap: float = 0.0, band_inner: float = BAND_INNER) -> np.ndarray:
    """The seal's name band as a horizontal strip: dark text on white, characters upright, in reading order.

    `ink` is the seal ink's strength (0..255, 255 = full ink) in the image the
    outline refers to: a mask or a continuous map. With `wrap` > 0 the strip
    runs on past a full turn by that share, so the name is whole somewhere in
    it even when the start was put in the wrong gap. `band_inner` (share of the radius) is where
    the band stops inside: a narrower band makes the name's characters fill more of the strip.
    """
    if outline.shape == "oval" and outline.a - outline.b >= 1.0:
        unrolled = oval_polar(ink, outline)
    else:
        unrolled = polar(ink, (outline.cx, outline.cy), max(outline.a, outline.b))
    lo, hi = text_band(unrolled, band_inner)
    band = unrolled[:, lo : hi + 1]
    band = np.roll(band, -start_angle(band), axis=0)
    if wrap > 0:
        band = np.concatenate([band, band[: round(band.shape[0] * wrap)]], axis=0)
    # rows = angle (clockwise = reading order) -> x; columns = radius -> y with the rim on top.
    strip = np.flipud(band.T)
    scale = STRIP_HEIGHT / max(1, strip.shape[0])
    strip = cv2.resize(strip, (max(1, round(strip.shape[1] * scale)), STRIP_HEIGHT), interpolation=cv2.INTER_AREA)
    strip = cv2.copyMakeBorder(strip, 16, 16, 16, 16, cv2.BORDER_CONSTANT, value=0)
    return 255 - stretch(strip)


def stretch(ink: np.ndarray) -> np.ndarray:
    """Full contrast for faint ink: the strongest strokes to 255, the background to 0."""
    floor = float(np.percentile(ink, 50)) + 6.0  # the strip is mostly background
    top = max(float(np.percentile(ink, 97)), floor + 24.0)
    return np.clip((ink.astype(np.float32) - floor) * (255.0 / (top - floor)), 0, 255).astype(np.uint8)
