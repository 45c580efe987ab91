"""The lead's stamp looked for by its known size (`pipeline.seals.known`): a ring of that size over a table's
rules and print, broken by them, is found; the table alone, a ring of another size, or a seal already found
is not a stamp found."""

from __future__ import annotations

import cv2
import numpy as np

from pipeline.seals.geometry import Outline
from pipeline.seals.known import stamp_places, stamps_on_page

SHAPE = (700, 600)  # the work frame, 4 px/mm: 175 x 150 mm
CENTRE = (310, 360)
AXES = (88.0, 60.0)  # a 44 x 30 mm oval


def _table(mask: np.ndarray, value: int) -> None:
    """Rules every 40 px and blocks of print strokes in the cells, drawn into `mask`."""
    rng = np.random.default_rng(7)
    for y in range(40, mask.shape[0], 40):
        cv2.line(mask, (0, y), (mask.shape[1] - 1, y), value, 2)
    for x in (150, 420):
        cv2.line(mask, (x, 0), (x, mask.shape[0] - 1), value, 2)
    for row in range(40, mask.shape[0] - 40, 40):
        for left in (20, 170, 440):
            for k in range(int(rng.integers(3, 9))):  # a few characters, each a handful of strokes
                x0 = left + 16 * k
                for _ in range(4):
                    x, y = x0 + int(rng.integers(0, 12)), row + 10 + int(rng.integers(0, 18))
                    cv2.line(mask, (x, y), (x + int(rng.integers(-6, 7)), y + int(rng.integers(-6, 7))), value, 2)


def _ring(mask: np.ndarray, value: int, axes: tuple[float, float] = AXES, gaps: int = 5) -> None:
    """An oval ring 1 mm wide, turned 3 degrees, broken in `gaps` places (rules and print cross it)."""
    a, b = (round(v) for v in axes)
    start = 0
    for k in range(gaps):
        end = (k + 1) * 360 // gaps
        cv2.ellipse(mask, CENTRE, (a - 2, b - 2), 3.0, start, end - 12, value, 4)
        start = end


def _mask(ring: bool = True, axes: tuple[float, float] = AXES) -> np.ndarray:
    mask = np.zeros(SHAPE, np.uint8)
    _table(mask, 255)
    if ring:
        _ring(mask, 255, axes)
    return mask


def test_a_ring_of_the_stamps_size_over_a_table_is_found_where_it_is() -> None:
    found = stamp_places(_mask(), AXES, 1)
    assert len(found) == 1
    assert abs(found[0].cx - CENTRE[0]) <= 4 and abs(found[0].cy - CENTRE[1]) <= 4
    assert abs(found[0].a - AXES[0]) <= 0.1 * AXES[0]


def test_the_table_alone_holds_no_stamp() -> None:
    assert stamp_places(_mask(ring=False), AXES, 1) == []


def test_a_ring_of_another_size_is_not_the_stamp() -> None:
    assert stamp_places(_mask(axes=(0.7 * AXES[0], 0.7 * AXES[1])), AXES, 1) == []


def test_a_seal_already_found_there_is_not_found_again() -> None:
    seal = Outline("oval", CENTRE[0], CENTRE[1], AXES[0], AXES[1], 0.0)
    assert stamp_places(_mask(), AXES, 1, [seal]) == []


def test_a_grey_pages_stamp_is_found_in_its_seal_tone_under_black_print() -> None:
    # The page at 8 px/mm (203 dpi): paper 245, the seal's ring mid-grey, print and rules near black over it.
    page = np.full(SHAPE, 245, np.uint8)
    _ring(page, 165)
    _table(page, 30)
    page = cv2.resize(page, None, fx=2.0, fy=2.0, interpolation=cv2.INTER_LINEAR)
    found = stamps_on_page(page, 8.0, (AXES[0] / 4, AXES[1] / 4), 1, [])
    assert len(found) == 1
    assert abs(found[0].cx - 2 * CENTRE[0]) <= 8 and abs(found[0].cy - 2 * CENTRE[1]) <= 8
    blank = np.full(SHAPE, 245, np.uint8)
    _table(blank, 30)
    assert stamps_on_page(cv2.resize(blank, None, fx=2.0, fy=2.0), 8.0, (AXES[0] / 4, AXES[1] / 4), 1, []) == []
