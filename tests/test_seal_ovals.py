"""Oval seals found in a grey page's seal-tone mask (`pipeline.seals.detect.ovals_in_clean`)."""

from __future__ import annotations

from pathlib import Path

import cv2

from pipeline.seals import detect
from pipeline.seals.geometry import Outline

FIXTURES = Path(__file__).parent / "fixtures" / "seals"


def test_an_oval_a_few_pixels_off_its_squeezed_circle_is_searched_again_round_its_refit() -> None:
    """The seal-tone mask (4 px/mm) of a contract seal (合同专用章, 45 x 30 mm) stamped over a table on a grey
    curl, with the squeezed circle the page's reduced Hough gave: its centre 7 px off the oval's. Searched
    round that centre the ring is fitted 87 x 74 px and fails (coverage 0.72); searched again round where
    that search moved, it is the seal (about 89 x 58 px)."""
    mask = cv2.imread(str(FIXTURES / "grey_curl_contract_oval_mask.png"), cv2.IMREAD_GRAYSCALE)
    guess = Outline("oval", 178.5, 122.0, 83.85, 60.38, 0.0)
    first, ring, _ = detect.ring_round(mask, guess.cx, guess.cy, detect.OVAL_SPAN[0] * guess.a, 4.0,
                                       detect.OVAL_SPAN[1] * guess.a)
    assert ring < detect.DISTINCT_COVERAGE and first.b > 70, "the first search alone misses the ring"
    oval = detect._oval_round(mask, guess, 4.0, one_bit=False)
    assert oval is not None and oval.outline.shape == "oval"
    assert abs(oval.outline.cx - 174) <= 4 and abs(oval.outline.cy - 128) <= 4
    assert 84 <= oval.outline.a <= 94 and 54 <= oval.outline.b <= 63


def test_an_outline_that_fails_where_its_circle_was_is_not_searched_for_again() -> None:
    """Print alone (no ring): the search fails and, its refinement staying put, is not repeated into a seal."""
    mask = cv2.imread(str(FIXTURES / "grey_curl_contract_oval_mask.png"), cv2.IMREAD_GRAYSCALE)
    mask[:, :] = 0
    cv2.line(mask, (0, 100), (339, 100), 255, 2)
    assert detect._oval_round(mask, Outline("oval", 170.0, 120.0, 84.0, 60.0, 0.0), 4.0, one_bit=False) is None
