"""Evening uneven light on the colour page (a phone photo's lamp fall-off, a book scanner's
shadowed edge), so later fixed thresholds (red seal ink, blank pages) see paper as paper.

The paper's brightness is estimated on a small copy with the print closed away (a grey
closing wider than a character and far wider than a rule, so faint rules stay ink), and
every channel is divided by it: one gain per pixel keeps the proportions between red, green
and blue, so red seal ink stays red for the red-ink split that follows.  Pages lit evenly
(any ordinary scan) are returned as they are.
"""

from __future__ import annotations

import cv2
import numpy as np

WORK_SIDE = 250  # light varies slowly: a small copy holds it
MIN_SPREAD = 0.18  # darkest paper at most this much below the brightest: even enough, left alone
MAX_GAIN = 3.0  # a region darker than a third of the paper is not brightened further (a photo, a black bar)


def paper_brightness(grey: np.ndarray) -> np.ndarray:
    """The paper's brightness on a small copy of `grey`: print closed away, then smoothed."""
    step = max(1, max(grey.shape[:2]) // WORK_SIDE)
    small = grey[::step, ::step]  # decimated, not averaged: the closing below removes the print anyway
    k = max(3, round(max(small.shape) / 35)) | 1
    background = cv2.morphologyEx(small, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (k, k)))
    background = cv2.medianBlur(background, 5)
    return cv2.GaussianBlur(background, (0, 0), k / 2)


def light_spread(background: np.ndarray) -> float:
    """How much darker the dim paper is than the bright paper (0 = even), robust to specks."""
    bright = float(np.percentile(background, 95))
    dim = float(np.percentile(background, 5))
    return (bright - dim) / max(bright, 1.0)


def even_illumination(image: np.ndarray, grey: np.ndarray) -> np.ndarray | None:
    """`image` (RGB or grey; `grey` a grey copy of it at any scale) with its paper brought to
    one brightness, or None when already even."""
    background = paper_brightness(grey)
    if light_spread(background) < MIN_SPREAD:
        return None
    paper = float(np.percentile(background, 95))
    # Gain paper / background, between 1 and MAX_GAIN: the background clamped, then one division.
    clamped = np.clip(background, paper / MAX_GAIN, paper).astype(np.uint8)
    full = cv2.resize(clamped, (image.shape[1], image.shape[0]), interpolation=cv2.INTER_LINEAR)
    if image.ndim == 3:
        full = cv2.merge([full, full, full])
    return cv2.divide(image, full, scale=paper)
