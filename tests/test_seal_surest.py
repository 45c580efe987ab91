"""A seal that named no unit, named as an organisation the document names by its surest reading where the reading it
kept (a later one shaped like a name) names no one (`read._other_named`, in `read.read_hypotheses`)."""

from __future__ import annotations

import numpy as np

from pipeline.seals.geometry import Outline
from pipeline.seals.read import Hypothesis, SealText, read_hypotheses
from pipeline.seals.text import Match, Reading

AUTHORITY = "台州市市场监督管理局"
SUREST = Reading("州市市场监督管理", 0.99)  # the ring's join hid 局: no name's shape
SHAPED = Reading("3生中商安A台官理厂", 0.40)  # ends in 厂: shaped like a name, kept by `best_reading`


class _Reader:
    def __init__(self, readings: list[Reading]) -> None:
        self.readings = iter(readings)

    def read(self, strip: np.ndarray, text_share: float = 1.0) -> Reading:
        return next(self.readings)


def _read(readings: list[Reading], score: float) -> SealText:
    def identify(reading: Reading, others: bool) -> Match | None:
        return Match(AUTHORITY, "other", score) if others and reading is SUREST else None

    outline = Outline("round", 60, 60, 50, 50)
    ink = np.zeros((120, 120), np.uint8)
    hypotheses = iter([Hypothesis(ink, outline) for _ in readings])
    return read_hypotheses(hypotheses, _Reader(readings), identify)  # type: ignore[arg-type]


def test_the_surest_reading_names_the_seal_its_kept_reading_names_no_one() -> None:
    found = _read([SUREST, SHAPED], 0.4)
    assert found.reading is SUREST and found.match == Match(AUTHORITY, "other", 0.4)


def test_a_surest_reading_naming_someone_weakly_leaves_the_seal_as_kept() -> None:
    found = _read([SUREST, SHAPED], 0.05)
    assert found.reading is SHAPED and found.match is None
