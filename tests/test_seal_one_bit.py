"""Seals on 1-bit pages (fax, threshold): dense pages told from grey scans, rings of dots near seal ink,
small rings (framed cells of print) left out."""

from __future__ import annotations

import math

import cv2
import numpy as np

from pipeline.seals.detect import detect_grey, rings_near
from pipeline.seals.ink import is_one_bit

DPI = 150.0
PX_PER_MM = DPI / 25.4


def _dense_print(height: int, width: int, stroke: int) -> np.ndarray:
    """A page packed with character-like boxes (a plan page of prose), black on white."""
    page = np.full((height, width), 255, np.uint8)
    step = 6 * stroke + 8
    for row in range(40, height - 40, step):
        for column in range(40, width - 40, step):
            cv2.rectangle(page, (column, row), (column + 5 * stroke, row + 5 * stroke), 0, stroke)
            cv2.line(page, (column, row + 2 * stroke), (column + 5 * stroke, row + 3 * stroke), 0, stroke)
    return page


def test_a_dense_page_captured_in_one_bit_and_resampled_is_one_bit_and_a_grey_scan_of_it_is_not() -> None:
    one_bit = _dense_print(2339, 1654, 3)  # 200 dpi, 1 bit
    resampled = cv2.resize(one_bit, None, fx=0.75, fy=0.75, interpolation=cv2.INTER_AREA)  # as read at 150 dpi
    extreme = np.count_nonzero((resampled <= 40) | (resampled >= 215)) / resampled.size
    assert extreme < 0.97  # the edges alone put it past the plain 1-bit test
    assert is_one_bit(resampled, whole_page=True)
    rng = np.random.default_rng(0)
    grey = cv2.GaussianBlur(resampled, (0, 0), 1.2).astype(np.float32) * 0.7 + 60 + rng.normal(0, 3, resampled.shape)
    assert not is_one_bit(np.clip(grey, 0, 255).astype(np.uint8), whole_page=True)


def test_a_ring_broken_into_dots_is_found_near_a_place_holding_seal_ink() -> None:
    mask = np.zeros((400, 400), np.uint8)  # a 1-bit page's seal-tone mask at 4 px/mm, round a place
    rng = np.random.default_rng(5)
    for angle in np.arange(0, 2 * math.pi, 0.04):
        if rng.random() < 0.6:  # a faded ring: ~60% of its dots left
            x, y = 200 + 84 * math.cos(angle), 210 + 84 * math.sin(angle)
            cv2.circle(mask, (round(x), round(y)), 2, 255, -1)
    for _ in range(12):  # some lettering inside
        x, y = rng.integers(150, 250, 2)
        cv2.rectangle(mask, (int(x), int(y)), (int(x) + 6, int(y) + 3), 255, -1)
    found = rings_near(mask, [(120.0, 130.0, 280.0, 290.0)], 4.0)
    assert found and math.hypot(found[0].outline.cx - 200, found[0].outline.cy - 210) < 8


def test_a_small_ring_on_a_one_bit_page_is_no_seal() -> None:
    page = np.full((1754, 1240), 255, np.uint8)
    cv2.circle(page, (600, 800), round(12 * PX_PER_MM), 0, 4)  # 24 mm: a framed cell of print, blurred
    cv2.putText(page, "AB", (560, 815), cv2.FONT_HERSHEY_SIMPLEX, 1.2, 0, 3)
    assert detect_grey(page, DPI) == []
