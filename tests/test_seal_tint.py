"""A seal on a tinted photo: the paper's own pinkish tint is no seal ink, so print in the seal's tone
crossing the seal stays out of its ink map (`ink.paper_tint`, `ink.colour_seal_ink`, `read._colour_inks`)."""

from __future__ import annotations

import cv2
import numpy as np

from pipeline.seals.detect import ring_tone
from pipeline.seals.geometry import Outline
from pipeline.seals.ink import MIN_RED_CHROMA, colour_seal_ink, paper_tint, red_mask

PAPER_TINTED = (200, 208, 230)  # BGR: R - max(G, B) = 22, a phone photo's white balance
PAPER_NEUTRAL = (235, 235, 235)
SEAL_RED = (70, 60, 215)
PRINT_GREY = (120, 120, 128)  # a phone photo's print: as grey as the seal's red ink


def _patch(paper: tuple[int, int, int]) -> tuple[np.ndarray, Outline]:
    """A ring with a bar of lettering, and a line of print well outside the ring (and outside the red's blur)."""
    patch = np.full((240, 320, 3), paper, np.uint8)
    cv2.circle(patch, (160, 130), 90, SEAL_RED, 6)
    cv2.rectangle(patch, (130, 70), (190, 80), SEAL_RED, -1)
    cv2.rectangle(patch, (10, 10), (310, 18), PRINT_GREY, -1)
    return patch, Outline("round", 160.0, 130.0, 93.0, 93.0)


def _ink(patch: np.ndarray, outline: Outline, tint: float) -> np.ndarray:
    grey = cv2.cvtColor(patch, cv2.COLOR_BGR2GRAY)
    tone = ring_tone(grey, red_mask(patch, MIN_RED_CHROMA + round(tint)), outline)
    return colour_seal_ink(patch, tone, tint)


def test_a_neutral_paper_has_no_tint_and_a_pinkish_one_has_its_own() -> None:
    assert paper_tint(_patch(PAPER_NEUTRAL)[0]) == 0.0
    assert 18.0 <= paper_tint(_patch(PAPER_TINTED)[0]) <= 26.0


def test_print_on_a_tinted_paper_is_not_read_as_seal_ink_but_the_lettering_is() -> None:
    patch, outline = _patch(PAPER_TINTED)
    ink = _ink(patch, outline, paper_tint(patch))
    assert ink[12:16, 20:300].max() == 0  # the print
    assert ink[72:78, 140:180].mean() > 100  # the lettering
    # Without the tint the gate stands open over the whole tinted patch and the print reads as ink.
    assert _ink(patch, outline, 0.0)[12:16, 20:300].mean() > 50


def test_a_neutral_paper_reads_as_before() -> None:
    patch, outline = _patch(PAPER_NEUTRAL)
    assert np.array_equal(_ink(patch, outline, paper_tint(patch)), _ink(patch, outline, 0.0))
    assert _ink(patch, outline, 0.0)[72:78, 140:180].mean() > 100
