"""A faint seal on a grey scan whose lettering is lighter than its ring: a last map weighs ink by the lettering's
tone (`read.lettering_tone`), where the ring's tone left the strokes under the map's floor; it is read only for a
seal the tone maps named no unit with (`read.read_seal`)."""

from __future__ import annotations

from collections.abc import Iterator

import cv2
import numpy as np
import pytest

from pipeline.seals import read
from pipeline.seals.detect import Candidate
from pipeline.seals.geometry import Outline
from pipeline.seals.read import LETTERING_TONE_SHARE, _grey_inks, _lettering_ink, lettering_tone, read_seal
from pipeline.seals.text import Match, Reading

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


def test_a_faint_seals_light_lettering_is_kept_by_the_lettering_map_only() -> None:
    grey, outline = _faint_seal()
    maps = list(_grey_inks(grey, outline, PX_PER_MM, one_bit=False))
    assert all(_lettering_kept(ink) < 0.1 for ink in maps)  # weighed by the ring's tone: under the floor
    assert _lettering_kept(_lettering_ink(grey, outline, PX_PER_MM, one_bit=False)) > 0.9


class _Lettered:
    """Reads any strip as one character; names the lead only once the lettering map was asked for (`asked`)."""

    def __init__(self) -> None:
        self.asked = False

    def read(self, strip: np.ndarray, text_share: float = 1.0) -> Reading:
        return Reading("字", 0.9)

    def identify(self, reading: Reading, others: bool) -> Match | None:
        return Match("武汉产业数字化研究院", "lead", 0.04) if self.asked and not others else None


@pytest.fixture
def lettered(monkeypatch: pytest.MonkeyPatch) -> _Lettered:
    state = _Lettered()

    def one_map(grey: np.ndarray, outline: Outline, px_per_mm: float, one_bit: bool | None = None) -> Iterator[np.ndarray]:
        yield np.where(grey < PAPER - 5, 255, 0).astype(np.uint8)

    def lettering(grey: np.ndarray, outline: Outline, px_per_mm: float, one_bit: bool | None = None) -> np.ndarray:
        state.asked = True
        return np.where(grey < PAPER - 5, 255, 0).astype(np.uint8)

    monkeypatch.setattr(read, "_grey_inks", one_map)
    monkeypatch.setattr(read, "_lettering_ink", lettering)
    return state


def _read(state: _Lettered, identify: read.Identify) -> read.SealText:
    grey, outline = _faint_seal()
    bgr = cv2.cvtColor(grey, cv2.COLOR_GRAY2BGR)
    return read_seal(bgr, grey, Candidate(outline, 1.0, "grey"), state, identify, PX_PER_MM)  # type: ignore[arg-type]


def test_a_seal_the_tone_maps_named_no_unit_is_read_in_its_lettering_tone(lettered: _Lettered) -> None:
    found = _read(lettered, lettered.identify)
    assert lettered.asked and found.match is not None and found.match.owner == "lead"


def _member_then(state: _Lettered, owner: str, score: float) -> read.Identify:
    """The tone maps spot a member, unsurely; the lettering map spots `owner` at `score`."""
    def identify(reading: Reading, others: bool) -> Match | None:
        if not state.asked:
            return Match("杭州锐隆资本管理有限公司", "member", 0.04)
        return Match("杭州宇锐资本管理有限公司", owner, score)  # type: ignore[arg-type]
    return identify


def test_a_unit_the_tone_maps_named_is_not_displaced_by_an_outside_organisation(lettered: _Lettered) -> None:
    # dev32 a01 p11: the ring's tone read a member's seal (锐隆); the fainter map spotted a financier (宇锐).
    found = _read(lettered, _member_then(lettered, "other", 0.5))
    assert lettered.asked and found.match is not None and found.match.owner == "member"


def test_a_unit_the_tone_maps_named_unsurely_gives_way_to_a_unit_spotted_better(lettered: _Lettered) -> None:
    found = _read(lettered, _member_then(lettered, "lead", 0.3))
    assert found.match is not None and found.match.owner == "lead"
