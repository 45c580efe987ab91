"""A dithered seal on a 1-bit page that was deskewed or resampled: its patch is no longer bilevel, yet its
lettering is still dots, to be blurred back into strokes before it is read (`read._grey_inks`)."""

from __future__ import annotations

import cv2
import numpy as np
from PIL import Image

from pipeline.seals.geometry import Outline
from pipeline.seals.ink import is_one_bit, one_bit_page
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
    as_one_bit = next(_grey_inks(patch, outline, PX_PER_MM, one_bit_page=True))
    assert _lettering_filled(as_grey) < 0.6  # the dots alone
    assert _lettering_filled(as_one_bit) > 0.9  # blurred back into the block they dither


def test_a_grey_scans_mostly_white_page_is_no_one_bit_page_for_its_seals() -> None:
    """A grey cover: a little print and a grey seal, nearly all paper (bilevel by its pixels' share)."""
    rng = np.random.default_rng(3)
    page = np.full((1200, 900), 250, np.uint8)
    for row in range(100, 400, 40):
        cv2.putText(page, "SAMPLE TEXT", (80, row), cv2.FONT_HERSHEY_SIMPLEX, 1.0, 20, 2, cv2.LINE_AA)
    cv2.circle(page, (450, 700), 110, 130, 7, cv2.LINE_AA)
    cv2.putText(page, "SEAL", (380, 690), cv2.FONT_HERSHEY_SIMPLEX, 1.2, 140, 5, cv2.LINE_AA)
    page = np.clip(cv2.GaussianBlur(page, (0, 0), 0.8) + rng.normal(0, 1.5, page.shape), 0, 255).astype(np.uint8)
    assert is_one_bit(page, whole_page=True)  # what the plain test makes of it
    assert not one_bit_page(page)
    dots = np.asarray(Image.fromarray(page).convert("1", dither=Image.Dither.FLOYDSTEINBERG).convert("L"))
    assert one_bit_page(dots)
