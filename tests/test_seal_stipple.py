"""A faded seal on a 1-bit page: scattered dots no ring test confirms (`pipeline.seals.stipple`)."""

from __future__ import annotations

import math

import cv2
import numpy as np
import pytest

import pipeline.seals.stipple as stipple
from pipeline.seals.geometry import Outline
from pipeline.seals.stipple import stipple_seal, stipple_trace

DPI = 150.0
PX_PER_MM = DPI / 25.4


def _page() -> np.ndarray:
    """A white A4 page at 150 dpi with rows of solid print (black strokes, as a fax keeps them)."""
    page = np.full((1754, 1240), 255, np.uint8)
    for row in range(200, 1500, 60):
        for column in range(150, 1100, 40):
            cv2.rectangle(page, (column, row), (column + 28, row + 28), 0, 3)
            cv2.line(page, (column, row + 14), (column + 28, row + 14), 0, 3)
    return page


def _faded_ring(page: np.ndarray, cx: float, cy: float, dots: int, seed: int = 1) -> None:
    """A 42 mm seal's ring left as `dots` lone dither dots (a faded seal faxed), a few in the star."""
    rng = np.random.default_rng(seed)
    radius = 21 * PX_PER_MM
    for angle in rng.uniform(0, 2 * math.pi, dots):
        r = radius * rng.uniform(0.95, 1.0)
        page[int(cy + r * math.sin(angle)), int(cx + r * math.cos(angle))] = 0
    for _ in range(dots // 5):
        page[int(cy + rng.normal(0, 8)), int(cx + rng.normal(0, 8))] = 0


def _box_holds(box: tuple[float, float, float, float] | None, x: float, y: float) -> bool:
    return box is not None and box[0] < x < box[2] and box[1] < y < box[3]


def test_a_faded_dithered_ring_in_blank_paper_is_a_place_to_look() -> None:
    page = _page()
    page[1520:1754, :] = 255
    _faded_ring(page, 800, 1620, 40)
    assert _box_holds(stipple_seal(page, DPI, []), 800, 1620)


def test_a_faded_ring_with_print_running_through_it_is_found_by_its_lone_dots() -> None:
    page = _page()  # the ring lies over the print: dots on strokes merge into them, the rest stay alone
    for row in range(200, 1500, 60):
        page[row - 12: row - 4, :] = 255  # paper between the lines, where the ring's dots stay alone
    _faded_ring(page, 600, 700, 160)
    assert _box_holds(stipple_seal(page, DPI, []), 600, 700)


def test_print_alone_and_a_few_specks_of_noise_are_no_seal() -> None:
    page = _page()
    rng = np.random.default_rng(3)
    ys, xs = rng.integers(0, page.shape[0], 40), rng.integers(0, page.shape[1], 40)
    page[ys, xs] = 0  # scanner noise, thinly spread
    assert stipple_seal(page, DPI, []) is None


def test_dots_running_on_past_a_seal_a_dithered_rule_are_no_seal() -> None:
    page = _page()
    page[1520:1754, :] = 255
    for x in range(100, 1150, 6):
        page[1600, x] = 0  # a grey table rule dithered to a row of dots
    assert stipple_seal(page, DPI, []) is None


def test_the_dots_of_a_seal_already_found_are_that_seals() -> None:
    page = _page()
    page[1520:1754, :] = 255
    _faded_ring(page, 800, 1620, 40)
    found = Outline("round", 800, 1620, 22 * PX_PER_MM, 22 * PX_PER_MM)
    assert stipple_seal(page, DPI, [found]) is None


def test_a_faded_ring_on_a_table_whose_rules_are_dithered_to_dots_is_still_a_place_to_look() -> None:
    page = np.full((1754, 1240), 255, np.uint8)
    step = round(1.5 * PX_PER_MM)  # grey 0.5 pt rules, dithered: a dot every 1.5 mm
    for y in range(300, 1500, 180):
        page[y, 100:1150:step] = 0
    for x in range(100, 1200, 250):
        page[300:1500:step, x] = 0
    _faded_ring(page, 720, 900, 60)
    assert _box_holds(stipple_seal(page, DPI, []), 720, 900)


def test_a_faded_seal_above_a_row_of_faded_member_seals_is_a_place() -> None:
    """The members' seals stamped side by side hold the page's densest stipple but are each other's
    surround; the applicant's faded seal well above them is still a place to look."""
    page = np.full((1754, 1240), 255, np.uint8)
    for k in range(4):
        _faded_ring(page, 150 + 260 * k, 1400, 160, seed=10 + k)
    _faded_ring(page, 800, 700, 40)
    assert _box_holds(stipple_seal(page, DPI, []), 800, 700)


# Traces (`stipple_trace`): a seal faded past `stipple_seal`'s count, a handful of dots at its slot's label.

def _clean_page() -> tuple[np.ndarray, tuple[float, float, float, float]]:
    """A white page with one printed label line (its box, px) where a slot's stamp goes."""
    page = np.full((1754, 1240), 255, np.uint8)
    label = (300.0, 900.0, 700.0, 930.0)
    cv2.rectangle(page, (300, 900), (700, 930), 0, -1)
    return page, label


def test_a_handful_of_dots_beside_the_label_on_a_clean_page_is_a_trace() -> None:
    page, label = _clean_page()
    _faded_ring(page, 650, 915, 6)
    assert stipple_seal(page, DPI, []) is None  # too few for a place anywhere on the page
    assert _box_holds(stipple_trace(page, DPI, [], [label]), 650, 915)


def test_dots_spread_over_the_page_are_no_trace_however_many_lie_by_the_label() -> None:
    page, label = _clean_page()
    _faded_ring(page, 650, 915, 6)
    rng = np.random.default_rng(5)
    ys, xs = rng.integers(0, 800, 40), rng.integers(0, page.shape[1], 40)
    page[ys, xs] = 0  # noise or a dithered grey over the rest of the page
    assert stipple_trace(page, DPI, [], [label]) is None


def test_a_trace_away_from_the_label_is_none_of_the_slots() -> None:
    page, label = _clean_page()
    _faded_ring(page, 650, 300, 8)  # well above the label's line
    assert stipple_trace(page, DPI, [], [label]) is None


def test_two_specks_by_the_label_are_no_trace() -> None:
    page, label = _clean_page()
    page[880, 640] = page[960, 700] = 0
    assert stipple_trace(page, DPI, [], [label]) is None


def test_too_few_lone_dots_for_a_seal_skip_the_rule_search_and_change_no_answer(monkeypatch: pytest.MonkeyPatch) -> None:
    page = _page()
    rng = np.random.default_rng(5)
    for y, x in zip(rng.integers(1520, 1740, 12), rng.integers(50, 1200, 12), strict=True):
        page[y, x] = 0  # a dozen specks of noise clear of print: fewer than any seal's place holds
    every = stipple.stipple_dots(page, PX_PER_MM, [])
    assert 0 < len(every) < stipple.MIN_STIPPLE_DOTS

    def no_rules(*_: object) -> np.ndarray:
        raise AssertionError("the dotted-rule search ran for too few dots")

    monkeypatch.setattr(stipple, "_on_rules", no_rules)
    assert len(stipple.stipple_dots(page, PX_PER_MM, [], least=stipple.MIN_STIPPLE_DOTS)) == 0
    assert stipple_seal(page, DPI, []) is None
