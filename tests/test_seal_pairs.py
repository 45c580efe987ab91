"""Two stamps fitted as one: split into the unit's known stamp and the seal stamped over it."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from pipeline.seals.find import _Found, _PageImages, _split_one
from pipeline.seals.geometry import Outline, fit_outline
from pipeline.seals.ink import red_mask
from pipeline.seals.pairs import MERGED_SIZE_RATIO, may_be_two_stamps, split_known_stamp
from pipeline.seals.slots import PageSeal
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


def _stacked_ovals() -> tuple[np.ndarray, list[tuple[float, ...]], SynthPage]:
    """The cover's two oval stamps one over the other, 11 mm apart on 30 mm tall ovals (dev60 a09-word-phone's
    cover): one outline round both is as long as either oval, but far taller."""
    page = SynthPage()
    body_text(page, 40, 8)
    boxes = [page.stamp(round_seal(name, 30.0, stretch=1.45), 100.0, cy) for name, cy in ((LEAD, 120.0),
                                                                                        (DEPARTMENT, 131.0))]
    return np.asarray(page.image)[..., ::-1].copy(), boxes, page


def test_two_stacked_ovals_as_long_as_one_stamp_but_taller_are_split_into_both(tmp_path: Path) -> None:
    bgr, boxes, page = _stacked_ovals()
    union = _one_fit_round_all(bgr)
    stamp = (43.5 / 2, 15.0)
    assert union.a / PX_PER_MM < MERGED_SIZE_RATIO * stamp[0]  # no longer than the stamp: the long axis says one
    item = _Found(PageSeal(1, (0.0, 0.0, 1.0, 1.0), "oval", 1.0), union, bgr, union)
    pair = _split_one(item, page.save(tmp_path / "p1.png", role="cover"), stamp, _PageImages())
    assert pair is not None
    found = sorted((tuple(v / page.scale for v in outline.box()) for outline in pair), key=lambda box: box[1])
    assert box_iou(found[0], boxes[0]) > 0.8 and box_iou(found[1], boxes[1]) > 0.8


def test_a_round_seal_shorter_than_an_oval_stamp_is_no_two_stamps() -> None:
    # A department's 40 mm round seal beside the lead's 45 x 30 mm oval stamp: taller than the stamp, but shorter.
    assert not may_be_two_stamps((20.0, 20.0), (22.5, 15.0))
    assert may_be_two_stamps((23.8, 20.3), (21.9, 15.2))
