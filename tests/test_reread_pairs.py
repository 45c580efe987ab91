"""A sure cell whose quotation marks or brackets lack their partners is read again on its crop.

The page's reading of “智改数转”政策宣讲会 lost the small opening mark at the line's start; the crop
reads it. The crop's reading replaces the page's only where it differs in the marks alone and pairs them.
"""

from __future__ import annotations

import numpy as np

from models.page import Word
from pipeline.tables.cells import CellText
from pipeline.tables.geometry import Cell, Frame
from pipeline.tables.reread import CellReader, unpaired
from tests.test_reread_beside import BandEngine as LineEngine

Box = tuple[float, float, float, float]


def _reread(page_text: str, crop_text: str, confidence: float = 0.94) -> tuple[str, int]:
    image = np.full((60, 320), 255, np.uint8)
    image[22:38, 30:200] = 0  # the line's print
    word = Word(page_text, (34.0, 20.0, 200.0, 40.0), 0.99)
    box = (20.0, 10.0, 300.0, 50.0)
    cell = CellText(Cell(0, 0, 1, 1, box), box, (word,), page_text, 0.99)
    engine = LineEngine(crop_text, confidence)
    out = CellReader(image, 1.0, 72.0, engine).reread([cell], Frame(), threshold=0.97, floor=0.6)
    return out[0].text, engine.calls


def test_unpaired_marks() -> None:
    assert unpaired("智改数转”政策宣讲会")
    assert unpaired("智改数转“政策宣讲会")
    assert unpaired("杭州（有限合伙")
    assert not unpaired("“智改数转”政策宣讲会")
    assert not unpaired("杭州(有限合伙）")  # full and half width are one mark
    assert not unpaired("杭州智能制造研究院")


def test_a_lost_opening_mark_is_read_on_the_crop() -> None:
    assert _reread("智改数转”政策宣讲会", "“智改数转”政策宣讲会") == ("“智改数转”政策宣讲会", 1)


def test_a_mark_read_as_its_partner_is_read_on_the_crop() -> None:
    assert _reread("智改数转“政策宣讲会", "“智改数转”政策宣讲会")[0] == "“智改数转”政策宣讲会"


def test_the_crop_never_changes_more_than_the_marks() -> None:
    """The crop reads a character otherwise: the sure page reading stays, unpaired mark and all."""
    assert _reread("智改数转”政策宣讲会", "“智改致转”政策宣讲会")[0] == "智改数转”政策宣讲会"


def test_a_crop_still_missing_the_mark_or_unsure_changes_nothing() -> None:
    assert _reread("智改数转”政策宣讲会", "智改数转”政策宣讲会")[0] == "智改数转”政策宣讲会"
    assert _reread("智改数转”政策宣讲会", "“智改数转”政策宣讲会", confidence=0.5)[0] == "智改数转”政策宣讲会"


def test_paired_marks_are_not_read_again() -> None:
    assert _reread("“智改数转”政策宣讲会", "“智改致转”政策宣讲会") == ("“智改数转”政策宣讲会", 0)


def test_a_cell_with_unpaired_marks_is_read_in_a_stack_of_its_own() -> None:
    """Stacked with other unsure cells the engine left the small mark out again: such cells are read apart."""
    image = np.full((120, 320), 255, np.uint8)
    image[22:38, 30:200] = 0
    image[82:98, 30:200] = 0
    box_a, box_b = (20.0, 10.0, 300.0, 50.0), (20.0, 70.0, 300.0, 110.0)
    a = CellText(Cell(0, 0, 1, 1, box_a), box_a, (Word("智改数转”政策宣讲会", (34.0, 20.0, 200.0, 40.0), 0.99),),
                 "智改数转”政策宣讲会", 0.99)
    b = CellText(Cell(1, 0, 1, 1, box_b), box_b, (Word("数字化转型供需对接会", (34.0, 80.0, 200.0, 100.0), 0.5),),
                 "数字化转型供需对接会", 0.5)
    engine = LineEngine("“智改数转”政策宣讲会", 0.94)
    CellReader(image, 1.0, 72.0, engine).reread([a, b], Frame(), threshold=0.97, floor=0.6)
    assert engine.calls == 2
