"""A recommendation's stamp looked for by its size on its table page when no detector found it there: the
recommending department stamps its letter and its table with one seal, as the lead stamps an application's
pages (`find._known_stamp_seals` with `find.STAMPING_UNIT`)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from models.page import Page
from pipeline.seals import find
from pipeline.seals.find import STAMPING_UNIT, _Found, _known_stamp_seals
from pipeline.seals.geometry import Outline
from pipeline.seals.slots import PageSeal
from pipeline.seals.text import Match, Reading

DPI = 150.0
PX_PER_MM = DPI / 25.4


def _pages() -> list[Page]:
    return [Page(1, 595.0, 842.0, "scan", dpi=DPI, role="recommendation_letter"),
            Page(2, 595.0, 842.0, "scan", dpi=DPI, role="recommendation_table")]


def _letter_stamp() -> _Found:
    """The department's stamp found and read on its letter: 21 mm in radius."""
    radius = 21.0 * PX_PER_MM
    outline = Outline("round", 800.0, 900.0, radius, radius)
    seal = PageSeal(1, (380.0, 420.0, 480.0, 520.0), "round", 1.0, Reading("上海市经济和信息化委员会", 0.99),
                    Match("上海市经济和信息化委员会", "recommender", 1.0), slot="recommendation_letter")
    return _Found(seal, outline, np.zeros((10, 10, 3), np.uint8), outline)


@pytest.fixture
def searched(monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, tuple[float, float], str]]:
    """The pages searched for the stamp, its size (mm) and whose stamp is kept: the search itself stubbed."""
    calls: list[tuple[int, tuple[float, float], str]] = []

    def page_known_stamps(page: Page, stamp: tuple[float, float], *args: Any) -> list[_Found]:
        calls.append((page.number, stamp, args[-1]))
        return []
    monkeypatch.setattr(find, "_page_known_stamps", page_known_stamps)
    return calls


def test_a_recommendations_stamping_unit_is_its_recommender() -> None:
    assert STAMPING_UNIT == {"application": "lead", "recommendation": "recommender"}


def test_the_recommenders_stamp_is_looked_for_by_its_size_on_its_empty_table_page(
        searched: list[tuple[int, tuple[float, float], str]]) -> None:
    slots = {"recommendation_letter": True, "recommendation_table": False}
    _known_stamp_seals([_letter_stamp()], slots, _pages(), None, None, None, "recommender")  # type: ignore[arg-type]
    assert [(page, owner) for page, _, owner in searched] == [(2, "recommender")]
    assert searched[0][1] == pytest.approx((21.0, 21.0))


def test_no_lead_stamp_is_looked_for_on_a_recommendation(searched: list[tuple[int, tuple[float, float], str]]) -> None:
    slots = {"recommendation_letter": True, "recommendation_table": False}
    _known_stamp_seals([_letter_stamp()], slots, _pages(), None, None, None, "lead")  # type: ignore[arg-type]
    assert searched == []  # no seal of the recommendation reads as a lead's: no size to look for
