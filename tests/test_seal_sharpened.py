"""A phone photo's blurred seal read once more sharpened, when its plain maps named no one (`read.sharpened`,
`read._more_lettered`)."""

from __future__ import annotations

import cv2
import numpy as np

from pipeline.seals.read import SealText, _more_lettered, sharpened
from pipeline.seals.text import Match, Reading

PX_PER_MM = 150 / 25.4


def _stroke_contrast(grey: np.ndarray) -> float:
    """How far apart a row of strokes' ink and the gaps between them are (grey levels)."""
    row = grey[50, 70:130].astype(np.float32)  # inside the row, away from its ends
    return float(row.max() - row.min())


def test_strokes_a_blur_ran_together_are_parted_again() -> None:
    page = np.full((100, 200, 3), 235, np.uint8)
    for x in range(40, 160, 6):  # strokes 3 px wide, 3 px apart: a character's at 150 dpi
        page[30:70, x : x + 3] = (60, 60, 200)
    blurred = cv2.GaussianBlur(page, (0, 0), 2.0)
    grey = cv2.cvtColor(blurred, cv2.COLOR_BGR2GRAY)
    sharp = cv2.cvtColor(sharpened(blurred, PX_PER_MM), cv2.COLOR_BGR2GRAY)
    assert _stroke_contrast(sharp) > 1.5 * _stroke_contrast(grey)


def _read(text: str, match: Match | None = None) -> SealText:
    return SealText(Reading(text, 0.3), match)


def test_the_sharpened_reading_that_names_someone_is_taken() -> None:
    named = Match("杭州市市场监督管理局", "other", 0.11)
    assert _more_lettered(_read("一—市市场量管"), _read("集州市市场卫鑫管理人", named)).match == named


def test_the_sharpened_reading_holding_more_characters_is_taken() -> None:
    assert _more_lettered(_read("UNHKU"), _read("国业学政有限公司")).reading == Reading("国业学政有限公司", 0.3)


def test_the_plain_reading_is_kept_where_sharpening_read_fewer_characters() -> None:
    assert _more_lettered(_read("县公水物业有限公司"), _read("答图基")).reading == Reading("县公水物业有限公司", 0.3)
