"""A faint grey seal stamped over print, judged by its ring alone on a page whose slot no seal fills
(`detect.faint_rings`, asked by `find._dedithered_seals`)."""

from __future__ import annotations

import cv2
import numpy as np

from pipeline.seals.detect import _faint_ring, _inked_like_a_seal, faint_rings
from pipeline.seals.geometry import Outline, ring_contrast

OUTLINE = Outline("round", 300.0, 300.0, 82.0, 82.0)
PX_PER_MM = 4.0


def _mask(ring: bool) -> np.ndarray:
    """A seal-tone mask at 4 px/mm: a table's rows of print (their anti-aliased edges are seal-toned) under
    and across a faint ring, broken where it crossed the print."""
    rng = np.random.default_rng(1)
    mask = np.zeros((600, 600), np.uint8)
    for y in range(200, 400, 10):
        for x in range(150, 450, 8):
            if rng.random() < 0.8 and (np.hypot(x - 300, y - 300) < 70 or abs(y - 300) < 50):
                cv2.line(mask, (x, y), (x + 3, y + 8), 255, 2)
    if ring:
        for angle in range(0, 360, 10):
            if angle % 60:
                cv2.ellipse(mask, (300, 300), (80, 80), 0, angle, angle + 8, 255, 3)
    return mask


def test_a_faint_ring_over_dense_print_is_a_seal_by_its_ring() -> None:
    """The print inside is as dense as the band asks to outdo (1.8 times), the contrast under the clear 0.7:
    not a seal to `_inked_like_a_seal`, a seal by its ring (inked nearly all round, paper round it, denser
    than the print on either side)."""
    mask = _mask(ring=True)
    ring, contrast = ring_contrast(mask, OUTLINE)
    assert ring >= 0.85 and 0.6 <= contrast < 0.7
    assert not _inked_like_a_seal(mask, OUTLINE, contrast)
    assert _faint_ring(mask, OUTLINE, PX_PER_MM) is not None


def test_the_print_alone_is_no_ring() -> None:
    assert _faint_ring(_mask(ring=False), OUTLINE, PX_PER_MM) is None


def _page(seal: bool) -> np.ndarray:
    """A 150 dpi grey page of table print, with a faint grey seal (ring, lettering arc, star) over it."""
    rng = np.random.default_rng(0)
    page = np.full((1754, 1240), 248, np.uint8)
    for row in range(17):
        y = 250 + row * 28
        for x in range(120, 1120, 22):
            if rng.random() < 0.9:
                cv2.putText(page, "W", (x, y + 22), cv2.FONT_HERSHEY_SIMPLEX, 0.7, 40, 2, cv2.LINE_AA)
    if seal:
        ink = np.zeros_like(page)
        cv2.circle(ink, (700, 480), 118, 255, 6, cv2.LINE_AA)
        cv2.ellipse(ink, (700, 480), (90, 90), 0, 200, 340, 255, 14)
        star = [(700 + 30 * np.cos(np.pi / 2 + k * 4 * np.pi / 5), 480 - 30 * np.sin(np.pi / 2 + k * 4 * np.pi / 5))
                for k in range(5)]
        cv2.fillPoly(ink, [np.array(star, np.int32)], 255)
        page = np.where(ink > 0, np.minimum(page, 190), page).astype(np.uint8)
    return cv2.GaussianBlur(page, (0, 0), 0.8)


def test_faint_rings_finds_the_seal_and_nothing_in_the_print() -> None:
    found = faint_rings(_page(seal=True), 150.0)
    assert len(found) == 1
    x0, top, x1, bottom = found[0].outline.box()
    assert abs((x0 + x1) / 2 - 700) < 10 and abs((top + bottom) / 2 - 480) < 10
    assert faint_rings(_page(seal=False), 150.0) == []
