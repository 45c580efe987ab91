"""Vote counting for seal-sized circles on a half-size copy (`detect._votes`): the rings it must still find."""

from __future__ import annotations

import math
from typing import Any

import cv2
import numpy as np
import pytest

from pipeline.seals import detect


def _ring_mask(size: tuple[int, int], cx: int, cy: int, r: int, dashes: int = 0, seed: int = 1) -> np.ndarray:
    """A 0/255 mask holding a 4 px ring (broken into `dashes` dashes when given) and scattered print specks,
    blurred as the callers blur a mask before voting."""
    mask = np.zeros(size, np.uint8)
    if dashes:
        step = 360.0 / dashes
        for k in range(dashes):
            cv2.ellipse(mask, (cx, cy), (r, r), 0.0, k * step, k * step + step * 0.6, 255, 4)
    else:
        cv2.circle(mask, (cx, cy), r, 255, 4)
    rng = np.random.default_rng(seed)
    for x, y in rng.integers(0, min(size), (60, 2)):
        cv2.rectangle(mask, (int(x), int(y)), (int(x) + 6, int(y) + 2), 255, -1)
    return cv2.GaussianBlur(mask, (0, 0), 1.5)


def _nearest(circles: np.ndarray | None, cx: int, cy: int) -> tuple[float, float]:
    """Distance from (cx, cy) to the closest circle's centre among the first 12, and that circle's radius."""
    assert circles is not None
    best = min(circles[0][:12], key=lambda c: math.hypot(c[0] - cx, c[1] - cy))
    return math.hypot(best[0] - cx, best[1] - cy), float(best[2])


@pytest.mark.parametrize(("r", "dashes"), [(30, 0), (45, 0), (80, 0), (45, 12), (80, 16)])
def test_half_size_votes_find_a_seal_ring_whole_or_in_dashes(r: int, dashes: int) -> None:
    blurred = _ring_mask((400, 360), 190, 210, r, dashes)
    apart, radius = _nearest(detect._votes(blurred, 28, 150, 28, coarse=True), 190, 210)
    # About as close as at full size (a cell of 2 px either way), which the snap onto the ring then mends.
    assert apart <= 4.0
    assert abs(radius - r) <= 0.06 * r + 2


def test_half_size_votes_keep_two_overlapping_stamps_apart() -> None:
    blurred = np.maximum(_ring_mask((360, 480), 170, 180, 70), _ring_mask((360, 480), 290, 185, 70, seed=2))
    circles = detect._votes(blurred, 52, 91, 14, coarse=True)
    assert _nearest(circles, 170, 180)[0] <= 3.0
    assert _nearest(circles, 290, 185)[0] <= 3.0


def test_small_circles_and_one_bit_pages_are_voted_for_at_full_size(monkeypatch: pytest.MonkeyPatch) -> None:
    sizes: list[tuple[int, ...]] = []
    real = cv2.HoughCircles

    def seen(image: np.ndarray, *args: Any, **kwargs: Any) -> Any:
        sizes.append(image.shape)
        return real(image, *args, **kwargs)

    monkeypatch.setattr(cv2, "HoughCircles", seen)
    blurred = _ring_mask((200, 200), 100, 100, 40)
    detect._votes(blurred, 12, 60, 12, coarse=True)  # smallest radius under 2 * HOUGH_HALF_MIN_RADIUS
    detect._votes(blurred, 28, 60, 28, coarse=False)  # a 1-bit page's blurred dots
    detect._votes(blurred, 28, 60, 28, coarse=True)
    assert sizes == [(200, 200), (200, 200), (100, 100)]
