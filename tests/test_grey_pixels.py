"""`seals.ink`: the grey test and the red mask, each the same answer for less work."""

from __future__ import annotations

import cv2
import numpy as np

from pipeline.seals.ink import MIN_RED_CHROMA, MIN_RED_SATURATION, RED_HUE_HIGH, RED_HUE_LOW, is_grey, red_mask


def _quartered(bgr: np.ndarray) -> bool:
    """`is_grey` as it was: the 99.9th percentile of the channel spread of the page at a quarter size."""
    small = cv2.resize(bgr, (max(1, bgr.shape[1] // 4), max(1, bgr.shape[0] // 4)), interpolation=cv2.INTER_AREA)
    spread = small.max(axis=2).astype(int) - small.min(axis=2)
    return float(np.percentile(spread, 99.9)) < 18.0


def test_same_answer_as_the_quartered_page() -> None:
    rng = np.random.default_rng(9)
    answers = set()
    for _ in range(2000):
        height, width = (int(v) for v in rng.integers(1, 70, 2))
        grey = rng.integers(0, 256, (height, width, 1))
        tint = rng.integers(-int(rng.integers(0, 22)), int(rng.integers(1, 22)), (height, width, 3))
        bgr = np.clip(grey + tint, 0, 255).astype(np.uint8)
        answers.add(is_grey(bgr))
        assert is_grey(bgr) == _quartered(bgr)
    assert answers == {True, False}


def test_a_spread_of_sixteen_everywhere_is_grey_and_a_red_seal_is_not() -> None:
    page = np.full((200, 160, 3), 200, np.uint8)
    page[..., 2] = 216  # every pixel 16 redder than its blue and green
    assert is_grey(page) and _quartered(page)
    cv2.circle(page, (80, 100), 40, (40, 40, 220), 6)
    assert not is_grey(page) and not _quartered(page)


def _red_widened(bgr: np.ndarray, min_chroma: int) -> np.ndarray:
    """`red_mask` as it was: the chroma R - max(G, B) worked out in 16 bits."""
    hsv = cv2.cvtColor(bgr, cv2.COLOR_BGR2HSV)
    b, g, r = (bgr[..., i].astype(np.int16) for i in range(3))
    red_hue = (hsv[..., 0] <= RED_HUE_LOW) | (hsv[..., 0] >= RED_HUE_HIGH)
    mask = red_hue & (r - np.maximum(g, b) >= min_chroma) & (hsv[..., 1] >= MIN_RED_SATURATION * 255)
    return mask.astype(np.uint8) * 255


def test_red_mask_in_bytes_is_the_sixteen_bit_one() -> None:
    rng = np.random.default_rng(2)
    for _ in range(200):
        height, width = (int(v) for v in rng.integers(1, 60, 2))
        bgr = rng.integers(0, 256, (height, width, 3)).astype(np.uint8)
        for min_chroma in (MIN_RED_CHROMA, MIN_RED_CHROMA // 2, 1, 0, -4):
            assert np.array_equal(red_mask(bgr, min_chroma), _red_widened(bgr, min_chroma))
