"""Unrolling a seal's ring of text into a straight strip an OCR engine can read.

A round seal prints its owner's name clockwise along the inside of the ring,
each character upright with its head towards the rim. Polar-unwrapping the
annulus inside the ring (cv2.warpPolar) turns that arc into one ordinary line
of text: angle becomes x (reading order, clockwise), distance from the centre
becomes y (flipped, so the rim is at the top and the characters stand upright).
An oval seal is first stretched into a circle.
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
# Characters this tall in the strip suit both Tesseract and RapidOCR.
STRIP_HEIGHT = 64


def circularise(ink: np.ndarray, outline: Outline) -> tuple[np.ndarray, float, tuple[float, float]]:
    """Warp an oval seal's region so its outline becomes a circle; returns image, radius, centre."""
    if outline.shape != "oval" or outline.a - outline.b < 1.0:
        return ink, max(outline.a, outline.b), (outline.cx, outline.cy)
    # Rotate the major axis onto x, squeeze x by b/a, so the ellipse becomes a circle of radius b.
    rot = cv2.getRotationMatrix2D((outline.cx, outline.cy), outline.angle, 1.0)
    squeeze = np.array([[outline.b / outline.a, 0.0, outline.cx * (1 - outline.b / outline.a)], [0.0, 1.0, 0.0]])
    matrix = squeeze @ np.vstack([rot, [0.0, 0.0, 1.0]])
    warped = cv2.warpAffine(ink, matrix, (ink.shape[1], ink.shape[0]), flags=cv2.INTER_LINEAR, borderValue=0)
    return warped, outline.b, (outline.cx, outline.cy)


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
    lo = round(cols * band_inner)
    return lo, max(lo + 4, inner - 1)


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
    round_ink, radius, centre = circularise(ink, outline)
    unrolled = polar(round_ink, centre, radius)
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
