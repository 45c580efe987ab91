"""`detect.holds_no_red`: a colour page without red over green settles as seal-free before it is reduced,
and only such a page (its reduced copy could hold no seal red)."""

from __future__ import annotations

import cv2
import numpy as np

from pipeline.seals.detect import RED_OVER_GREEN, detect_red, holds_no_red
from pipeline.seals.ink import red_mask


def _reddish_noise(rng: np.random.Generator, shape: tuple[int, int]) -> np.ndarray:
    """Colour noise whose red lies at most `RED_OVER_GREEN` - 1 above its green, blue anywhere: as red as
    such a page gets (a warm paper tint, colour fringes, brown shadows), with hue and saturation of seal red."""
    green = rng.integers(0, 256 - RED_OVER_GREEN, shape, dtype=np.int32)
    red = np.minimum(255, green + rng.integers(0, RED_OVER_GREEN, shape))
    blue = rng.integers(0, 256, shape) * (rng.random(shape) < 0.5)  # low blue half the time: red hues
    return cv2.merge([blue.astype(np.uint8), green.astype(np.uint8), red.astype(np.uint8)])


def test_no_red_over_green_leaves_no_red_in_any_reduction() -> None:
    rng = np.random.default_rng(13)
    for _ in range(20):
        page = _reddish_noise(rng, (97, 131))
        page[rng.integers(0, 97, 40), rng.integers(0, 131, 40)] = (0, 0, RED_OVER_GREEN - 1)  # pure dark red dots
        assert holds_no_red(page)
        for factor in (0.9, 0.677, 0.5, 0.33, 0.25):
            small = cv2.resize(page, None, fx=factor, fy=factor, interpolation=cv2.INTER_AREA)
            assert not red_mask(small).any()


def test_a_red_seal_is_no_page_without_red() -> None:
    dpi = 150.0
    page = np.full((700, 600, 3), 250, np.uint8)
    cv2.putText(page, "text of a page", (40, 80), cv2.FONT_HERSHEY_SIMPLEX, 1.0, (20, 20, 20), 2)
    radius = round(40 / 2 * dpi / 25.4)  # a 40 mm seal
    cv2.circle(page, (300, 350), radius, (60, 60, 215), 7)
    cv2.putText(page, "SEAL", (240, 365), cv2.FONT_HERSHEY_SIMPLEX, 1.4, (60, 60, 215), 4)
    assert not holds_no_red(page)
    found = detect_red(page, dpi)
    assert len(found) == 1 and abs(found[0].outline.cx - 300) < 6


def test_a_page_of_black_print_is_without_red() -> None:
    page = np.full((400, 300, 3), 245, np.uint8)
    cv2.putText(page, "print", (40, 80), cv2.FONT_HERSHEY_SIMPLEX, 1.0, (10, 10, 10), 2)
    assert holds_no_red(page) and detect_red(page, 150.0) == []
