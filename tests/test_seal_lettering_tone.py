"""A faint seal on a grey scan whose lettering is lighter than its ring: the last grey map weighs ink by the
lettering's tone (`read.lettering_tone`), where the ring's tone left the strokes under the map's floor."""

from __future__ import annotations

import cv2
import numpy as np

from pipeline.seals.geometry import Outline
from pipeline.seals.read import LETTERING_TONE_SHARE, _grey_inks, lettering_tone

PX_PER_MM = 150 / 25.4
PAPER, RING, LETTERING = 248, 185, 235
LETTER = (slice(70, 100), slice(130, 170))  # a block of the seal's lettering, below its ring's top


def _faint_seal() -> tuple[np.ndarray, Outline]:
    """A 150 dpi grey scan's pale seal: a ring at 185 over paper at 248, its lettering's thin strokes at 235."""
    grey = np.full((240, 300), PAPER, np.uint8)
    cv2.circle(grey, (150, 120), 95, RING, 5)
    grey[LETTER] = LETTERING
    return grey, Outline("round", 150.0, 120.0, 100.0, 100.0)


def _lettering_kept(ink: np.ndarray) -> float:
    return float(np.count_nonzero(ink[LETTER] > 0)) / ink[LETTER].size


def test_the_lettering_tone_lies_between_the_ring_and_the_paper() -> None:
    grey, _ = _faint_seal()
    assert lettering_tone(grey, RING) == RING + LETTERING_TONE_SHARE * (PAPER - RING)
    assert lettering_tone(grey, 0.0) == 0.0  # no ring tone measured: the map's own default stands


def test_a_faint_seals_light_lettering_is_kept_by_the_last_grey_map_only() -> None:
    grey, outline = _faint_seal()
    maps = list(_grey_inks(grey, outline, PX_PER_MM, one_bit=False))
    assert all(_lettering_kept(ink) < 0.1 for ink in maps[:-1])  # weighed by the ring's tone: under the floor
    assert _lettering_kept(maps[-1]) > 0.9
