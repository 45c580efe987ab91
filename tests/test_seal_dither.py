"""A dithered seal on a 1-bit page that was deskewed or resampled: its patch is no longer bilevel, yet its
lettering is still dots, to be blurred back into strokes before it is read (`read._grey_inks`)."""

from __future__ import annotations

import cv2
import numpy as np
from PIL import Image

from pipeline.seals.geometry import Outline
from pipeline.seals.ink import dithered, is_one_bit
from pipeline.seals.read import _grey_inks

PX_PER_MM = 150 / 25.4
LETTER = (slice(70, 100), slice(130, 170))  # a solid block of the seal's lettering, below its ring's top


def _dithered_seal() -> tuple[np.ndarray, Outline]:
    """A grey seal (ring, a block of lettering) on a light grey paper, dithered to 1 bit as a 150 dpi
    dither scanner does, then turned 0.4 degrees (the page's deskew): dots smeared over grey pixels."""
    tones = np.full((240, 300), 225, np.uint8)  # the paper, dithered into lone dots
    outline = Outline("round", 150.0, 120.0, 100.0, 100.0)
    cv2.circle(tones, (150, 120), 95, 120, 6)
    tones[LETTER] = 140
    dots = np.asarray(Image.fromarray(tones).convert("1", dither=Image.Dither.FLOYDSTEINBERG).convert("L"))
    turn = cv2.getRotationMatrix2D((150, 120), 0.4, 1.0)
    return cv2.warpAffine(dots, turn, (300, 240), flags=cv2.INTER_LINEAR, borderValue=255), outline


def _lettering_filled(ink: np.ndarray) -> float:
    return float(np.count_nonzero(ink[LETTER] > 0)) / ink[LETTER].size


def test_a_dithered_seal_deskewed_is_no_bilevel_patch() -> None:
    patch, _ = _dithered_seal()
    assert not is_one_bit(patch)


def test_a_one_bit_pages_dithered_lettering_is_read_as_strokes_not_dots() -> None:
    patch, outline = _dithered_seal()
    as_grey = next(_grey_inks(patch, outline, PX_PER_MM))
    as_one_bit = next(_grey_inks(patch, outline, PX_PER_MM, one_bit=True))
    assert _lettering_filled(as_grey) < 0.6  # the dots alone
    assert _lettering_filled(as_one_bit) > 0.9  # blurred back into the block they dither


def test_a_dithered_seals_paper_is_sown_with_dots_and_a_grey_scans_is_not() -> None:
    patch, _ = _dithered_seal()
    assert dithered(patch)
    rng = np.random.default_rng(3)
    tones = np.full((240, 300), 235, np.uint8)  # the same seal scanned in grey: smooth tones, a little noise
    cv2.circle(tones, (150, 120), 95, 120, 6, cv2.LINE_AA)
    tones[LETTER] = 140
    cv2.putText(tones, "PRINT", (60, 200), cv2.FONT_HERSHEY_SIMPLEX, 1.0, 20, 2, cv2.LINE_AA)
    grey = np.clip(cv2.GaussianBlur(tones, (0, 0), 0.8) + rng.normal(0, 3, tones.shape), 0, 255).astype(np.uint8)
    assert not dithered(grey)
