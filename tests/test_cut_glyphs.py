"""A value's second reading on its own crop: the crop is inset to keep a cell's rules out, and grown
back where that cut through a glyph (`pipeline.tables.reread.grown_over_cut_ink`); where the engines then
differ on a digit of a sure first reading, neither wins (`pipeline.tables.values.second_opinion`).

On the dev sets a value's box was its words' box, tight on the ink: the inset cut the left edge off
the first digit and the second engine read '62.2%' as 52.2%, '8.3%' as 3.3%, '1473' as 473, surely.
"""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from models import Provenance
from pipeline.config import Settings
from pipeline.ocr import get_engine
from pipeline.tables.reread import INSET_PT, SecondReader, crop_box, grown_over_cut_ink
from pipeline.tables.values import UNSURE, FieldValue, second_opinion, typed
from tests.test_verify import SONG

DPI = 150.0
SCALE = DPI / 72.0


def _page(text: str, rule_gap_px: int | None = None) -> tuple[np.ndarray, tuple[float, float, float, float]]:
    """`text` printed at 10.5 pt on white at 150 dpi, and a page reader's word box of it in points: 1 pt
    from the ink left and right (as tight as RapidOCR's boxes come), 3 pt above and below; with
    `rule_gap_px`, a vertical rule that far left of the ink."""
    image = Image.new("L", (400, 120), 255)
    draw = ImageDraw.Draw(image)
    draw.text((120, 40), text, font=ImageFont.truetype(SONG, round(10.5 * SCALE)), fill=0)
    pixels = np.array(image)
    ys, xs = np.nonzero(pixels < 128)
    if rule_gap_px is not None:
        pixels[:, int(xs.min()) - rule_gap_px] = 0
    box = (xs.min() / SCALE - 1, ys.min() / SCALE - 3, (xs.max() + 1) / SCALE + 1, (ys.max() + 1) / SCALE + 3)
    return pixels, (float(box[0]), float(box[1]), float(box[2]), float(box[3]))


def _bound(box: tuple[float, float, float, float], shape: tuple[int, ...]) -> tuple[int, int, int, int]:
    bound = crop_box(box, SCALE, shape, inset=-2.0)
    assert bound is not None
    return bound


def test_a_crop_cutting_a_glyph_grows_to_take_it_whole() -> None:
    pixels, box = _page("62.2%")
    inset = crop_box(box, SCALE, pixels.shape)
    assert inset is not None
    grown = grown_over_cut_ink(pixels, inset, _bound(box, pixels.shape))
    xs = np.nonzero(pixels < 128)[1]
    assert grown[0] <= xs.min() < inset[0]  # the inset cut into the 6; the grown crop has all of it
    assert grown[2] >= xs.max() + 1 > inset[2]


def test_a_crop_on_white_or_at_a_rule_stays_where_it_is() -> None:
    pixels = np.full((60, 200), 255, np.uint8)
    pixels[20:40, 80:120] = 0  # ink well inside the crop
    pixels[:, 60] = 0  # a rule outside it
    crop = (62, 10, 140, 50)
    assert grown_over_cut_ink(pixels, crop, (50, 0, 150, 60)) == crop
    # The rule itself at the crop's edge is not a glyph to take in, nor is the white beyond it.
    assert grown_over_cut_ink(pixels, (60, 10, 140, 50), (50, 0, 150, 60)) == (60, 10, 140, 50)


@pytest.mark.parametrize("text", ["62.2%", "8.3%", "1473", "45.1%"])
def test_the_second_reader_reads_a_tight_boxed_number_whole(text: str) -> None:
    pixels, box = _page(text)
    assert INSET_PT > 0  # the cell's rules kept out: the box is cut into before it is grown back
    reader = SecondReader(pixels, SCALE, DPI, get_engine(Settings(cache_dir=None), "rapidocr", cached=False))
    readings = [reading.replace(" ", "") for reading, _ in reader.read(box)]
    # As scanned, and binarised (where a '%' may come out as a 0, which the caller's checks refuse).
    assert readings and readings[0] == text, readings
    assert all(reading.startswith(text.rstrip("%")) for reading in readings), readings


def _read(page_reading: str, confidence: float, crop_reading: str, crop_confidence: float) -> FieldValue:
    value = FieldValue(typed(page_reading.replace("人次", ""), "int", None), page_reading,
                       Provenance(page=2, bbox=(393.1, 556.3, 433.4, 574.1), confidence=confidence, source="ocr"))
    return second_opinion(value, "int", None, lambda box: [(crop_reading, crop_confidence)])


def test_engines_that_differ_on_a_digit_of_a_sure_reading_leave_it_in_doubt_with_both() -> None:
    # dev2 a07's curled page: a faint '4' the page read surely, its crop read as '1', surer still.
    kept = _read("491人次", 0.937, "191人次", 0.983)
    assert kept.value == 491 and kept.provenance.alternatives == [191]
    assert kept.provenance.confidence is not None and kept.provenance.confidence <= UNSURE


def test_a_crop_reading_still_replaces_an_unsure_or_otherwise_shaped_one() -> None:
    assert _read("491人次", 0.85, "191人次", 0.983).value == 191  # the page itself unsure
    assert _read("91人次", 0.937, "491人次", 0.983).value == 491  # a digit the page lost


def test_a_second_reading_whose_figure_runs_over_two_lines_is_no_reading_of_it() -> None:
    # dev8 a06's photographed seal over an amount: the crop read '4' above '78.95万元' for 2278.95.
    value = FieldValue(2278.95, "2278.95万元", Provenance(page=18, bbox=(429.8, 185.0, 511.0, 221.5),
                                                          confidence=0.888, source="ocr"))
    assert second_opinion(value, "amount", "万元", lambda box: [("4\n78.95万元", 0.944)]).value == 2278.95
    # A unit wrapped onto the next line is how the cell prints it.
    assert second_opinion(value, "amount", "万元", lambda box: [("2,278.95万\n元", 0.99)]).value == 2278.95
    assert second_opinion(value, "amount", "万元", lambda box: [("2,578.95万\n元", 0.99)]).value == 2578.95


def test_a_figure_in_another_unit_read_where_the_page_saw_nothing_is_not_taken() -> None:
    # dev9 a15's fax: an empty contract amount's crop read '53元' (seal specks) under a 万元 column.
    empty = FieldValue(None, "", Provenance(page=12, bbox=(431.5, 439.2, 509.8, 458.9), confidence=1.0, source="ocr"))
    assert second_opinion(empty, "amount", "万元", lambda box: [("53元", 0.91)]).value is None
    assert second_opinion(empty, "amount", "万元", lambda box: [("37.27", 0.91)]).value == 37.27


def test_an_ambiguous_separator_is_not_settled_by_a_less_sure_reading_of_another_figure() -> None:
    # dev9 a05's blurred photo: '37.848万元' (37.848 or 37,848) read '542' by the second engine at 0.68.
    value = FieldValue(37.848, "37.848万元", Provenance(page=2, bbox=(395.0, 345.6, 449.3, 360.5), confidence=0.922,
                                                        source="ocr", alternatives=[37848.0]))
    kept = second_opinion(value, "amount", "万元", lambda box: [("542", 0.675)])
    assert (kept.value, kept.provenance.alternatives) == (37.848, [37848.0])  # the form's separators choose
    assert second_opinion(value, "amount", "万元", lambda box: [("37,848万元", 0.98)]).value == 37848  # surer
    assert second_opinion(value, "amount", "万元", lambda box: [("37,848", 0.8)]).value == 37848  # one of its readings
