"""Two stamps fitted as one: split into the unit's known stamp and the seal stamped over it."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from pipeline.seals.geometry import Outline, fit_outline
from pipeline.seals.ink import red_mask
from pipeline.seals.pairs import split_known_stamp
from tests.fixtures.seals.synth import DPI, RED, SynthPage, round_seal
from tests.test_seals import DEPARTMENT, LEAD, body_text, box_iou

PX_PER_MM = DPI / 25.4


# Seal red as a grey scan takes it: a mid grey between paper and print (the fixture's deep red turns as dark as
# print, which the grey detector finds as a dark ring instead, not split here).
SCANNED_RED = (232, 96, 100)


def _page_with(*stamps: tuple[str, float, float, float], colour: tuple[int, int, int] = RED
               ) -> tuple[np.ndarray, list[tuple[float, ...]], SynthPage]:
    page = SynthPage()
    body_text(page, 40, 8)
    boxes = [page.stamp(round_seal(name, diameter, colour=colour), cx, cy) for name, diameter, cx, cy in stamps]
    return np.asarray(page.image)[..., ::-1].copy(), boxes, page


def _scanned_grey(bgr: np.ndarray) -> np.ndarray:
    return cv2.cvtColor(cv2.cvtColor(bgr, cv2.COLOR_BGR2GRAY), cv2.COLOR_GRAY2BGR)


def _one_fit_round_all(bgr: np.ndarray) -> Outline:
    """The outline a detector fits round the red ink taken as one piece (what two touching stamps become)."""
    fits = fit_outline(cv2.findNonZero(red_mask(bgr)).reshape(-1, 2))
    assert fits is not None
    return fits[0]


@pytest.mark.parametrize("grey", [False, True], ids=["colour", "grey scan"])
def test_two_stamps_on_neighbouring_lines_fitted_as_one_are_split_into_both(grey: bool) -> None:
    # Centres 9 mm apart on 42 mm rings (0.45 of the radius): the cover's two stamps one line apart.
    bgr, boxes, page = _page_with((LEAD, 42.0, 100.0, 120.0), (DEPARTMENT, 42.0, 103.0, 128.5),
                                  colour=SCANNED_RED if grey else RED)
    union = _one_fit_round_all(bgr)
    bgr = _scanned_grey(bgr) if grey else bgr
    pair = split_known_stamp(bgr, union, (21.0, 21.0), PX_PER_MM, grey)
    assert pair is not None
    found = sorted(tuple(v / page.scale for v in outline.box()) for outline in pair)
    truth = sorted(boxes)
    assert box_iou(found[0], truth[0]) > 0.8 and box_iou(found[1], truth[1]) > 0.8


@pytest.mark.parametrize("grey", [False, True], ids=["colour", "grey scan"])
@pytest.mark.parametrize("diameter", [42.0, 50.0])
def test_one_stamp_larger_than_the_known_one_is_not_split(diameter: float, grey: bool) -> None:
    bgr, _, _ = _page_with((DEPARTMENT, diameter, 100.0, 120.0), colour=SCANNED_RED if grey else RED)
    union = _one_fit_round_all(bgr)
    bgr = _scanned_grey(bgr) if grey else bgr
    assert split_known_stamp(bgr, union, (18.0, 18.0), PX_PER_MM, grey) is None
