"""A seal as black as the page's print (a fax's threshold): its lettering's broken strokes read from all its dark
ink, closed, once the tone maps named no unit (`read.black_as_print`, `read.black_ink`, `read.read_seal`)."""

from __future__ import annotations

from collections.abc import Iterator

import cv2
import numpy as np
import pytest

from pipeline.seals import read
from pipeline.seals.detect import Candidate
from pipeline.seals.geometry import Outline
from pipeline.seals.read import black_as_print, black_ink, read_seal
from pipeline.seals.text import Match, Reading

PX_PER_MM = 150 / 25.4
LETTER = (slice(50, 80), slice(130, 170))  # a block of the seal's lettering, inside its ring's top
OUTLINE = Outline("round", 150.0, 120.0, 100.0, 100.0)


def _seal(ring_tone: int, broken: bool) -> np.ndarray:
    """A seal (ring, a block of lettering) on white paper in `ring_tone`; `broken`: the lettering's block cut
    by one-pixel white seams every third pixel both ways, as a fax's threshold breaks a stamp's strokes."""
    page = np.full((240, 300), 255, np.uint8)
    cv2.circle(page, (150, 120), 95, ring_tone, 6)
    page[LETTER] = ring_tone
    if broken:
        block = page[LETTER]
        block[::3, :] = 255
        block[:, ::3] = 255
    return page


def _filled(ink: np.ndarray) -> float:
    return float(np.count_nonzero(ink[LETTER] > 0)) / ink[LETTER].size


def test_a_fax_seal_is_black_as_print_and_a_grey_scans_is_not() -> None:
    assert black_as_print(_seal(0, broken=True), OUTLINE)
    assert not black_as_print(_seal(150, broken=False), OUTLINE)  # red ink scanned grey: its own tone


def test_a_black_seals_broken_strokes_are_closed_into_its_lettering() -> None:
    page = _seal(0, broken=True)
    dark = page < 215
    assert _filled(dark.astype(np.uint8)) < 0.5  # the pieces a threshold left
    assert _filled(black_ink(page, OUTLINE, PX_PER_MM)) > 0.9  # all but the seam along its edge


class _InkReader:
    """Reads a strip as 'lettering' when it holds much ink (the black map's closed block), else as nothing."""

    def read(self, strip: np.ndarray, text_share: float = 1.0) -> Reading:
        return Reading("字" if np.count_nonzero(strip < 128) > 600 else "", 0.9)


def _identify_as(owner: str) -> read.Identify:
    def identify(reading: Reading, others: bool) -> Match | None:
        return Match("武汉产业数字化研究院", owner, 0.04) if reading.text else None  # type: ignore[arg-type]
    return identify


@pytest.fixture
def blank_tone_maps(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tone maps that keep nothing of the seal: what they make of a fax seal's lettering (edges, nothing named)."""
    def nothing(grey: np.ndarray, outline: Outline, px_per_mm: float, one_bit: bool | None = None) -> Iterator[np.ndarray]:
        yield np.zeros_like(grey)
    monkeypatch.setattr(read, "_grey_inks", nothing)


@pytest.mark.usefixtures("blank_tone_maps")
def test_a_black_seal_the_tone_maps_left_unnamed_is_named_from_its_black_ink() -> None:
    page = _seal(0, broken=True)
    bgr = cv2.cvtColor(page, cv2.COLOR_GRAY2BGR)
    found = read_seal(bgr, page, Candidate(OUTLINE, 1.0, "grey"), _InkReader(), _identify_as("lead"), PX_PER_MM)  # type: ignore[arg-type]
    assert found.match is not None and found.match.owner == "lead"


@pytest.mark.usefixtures("blank_tone_maps")
def test_a_black_maps_reading_names_no_organisation_outside_the_package() -> None:
    page = _seal(0, broken=True)
    bgr = cv2.cvtColor(page, cv2.COLOR_GRAY2BGR)
    found = read_seal(bgr, page, Candidate(OUTLINE, 1.0, "grey"), _InkReader(), _identify_as("other"), PX_PER_MM)  # type: ignore[arg-type]
    assert found.match is None  # its print comes along: only a unit's name is taken from it


@pytest.mark.usefixtures("blank_tone_maps")
def test_a_grey_scans_seal_is_not_read_as_black_ink() -> None:
    page = _seal(150, broken=True)
    bgr = cv2.cvtColor(page, cv2.COLOR_GRAY2BGR)
    found = read_seal(bgr, page, Candidate(OUTLINE, 1.0, "grey"), _InkReader(), _identify_as("lead"), PX_PER_MM)  # type: ignore[arg-type]
    assert found.match is None


@pytest.fixture
def inked_tone_maps(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tone maps that keep every dark pixel: on a black seal, its print along with whatever lettering is left."""
    def everything(grey: np.ndarray, outline: Outline, px_per_mm: float, one_bit: bool | None = None) -> Iterator[np.ndarray]:
        yield black_ink(grey, outline, px_per_mm)
    monkeypatch.setattr(read, "_grey_inks", everything)


@pytest.mark.usefixtures("inked_tone_maps")
def test_a_black_seal_read_as_an_organisation_outside_the_package_is_left_unread() -> None:
    page = _seal(0, broken=True)
    bgr = cv2.cvtColor(page, cv2.COLOR_GRAY2BGR)
    found = read_seal(bgr, page, Candidate(OUTLINE, 1.0, "grey"), _InkReader(), _identify_as("other"), PX_PER_MM)  # type: ignore[arg-type]
    assert found.match is None and found.reading is None  # the print under it, as like as the seal's own lettering


@pytest.mark.usefixtures("inked_tone_maps")
def test_a_grey_scans_seal_read_as_an_organisation_outside_the_package_keeps_its_name() -> None:
    page = _seal(150, broken=False)
    bgr = cv2.cvtColor(page, cv2.COLOR_GRAY2BGR)
    found = read_seal(bgr, page, Candidate(OUTLINE, 1.0, "grey"), _InkReader(), _identify_as("other"), PX_PER_MM)  # type: ignore[arg-type]
    assert found.match is not None and found.match.owner == "other"
