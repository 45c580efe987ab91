"""Cells read again on their crops: ink a neighbour's word holds, and a line the page's reading cut short.

Synthetic print layers (1 px a point) with blocks of ink for characters, and an engine that reads each
band of ink as one word spanning the band's inked columns, with a text and sureness the test chooses.
"""

from __future__ import annotations

import numpy as np

from models.page import Word
from pipeline.tables.cells import CellText
from pipeline.tables.geometry import Cell, Frame
from pipeline.tables.reread import CellReader, held_elsewhere, reach
from tests.fixtures.ink_bands import ink_bands

Box = tuple[float, float, float, float]


class BandEngine:
    """Reads each band of ink of the stacked image as one word `text` spanning the band's inked columns."""

    def __init__(self, text: str, confidence: float) -> None:
        self.text, self.confidence, self.calls = text, confidence, 0

    def read_region(self, image, box_px=None, *, dpi: float = 72.0, separators=()) -> list[Word]:
        self.calls += 1
        return [Word(self.text, (float(x0), float(y0), float(x1), float(y1)), self.confidence)
                for x0, y0, x1, y1 in ink_bands(image)]


def _page(*glyphs: Box) -> np.ndarray:
    image = np.full((80, 320), 255, np.uint8)
    for x0, y0, x1, y1 in glyphs:
        image[int(y0):int(y1), int(x0):int(x1)] = 0
    return image


def _cell(col: int, box: Box, words: tuple[Word, ...] = ()) -> CellText:
    return CellText(Cell(0, col, 1, 1, box), box, words, "".join(w.text for w in words),
                    min((w.confidence for w in words), default=1.0))


def _reread(image: np.ndarray, engine: BandEngine, cells: list[CellText]) -> list[CellText]:
    reader = CellReader(image, 1.0, 72.0, engine)
    return reader.reread(cells, Frame(), threshold=0.97, floor=0.6)


def test_an_empty_sliver_holding_a_neighbours_first_character_stays_empty() -> None:
    """A stroke taken for a rule cut a sliver column through 大 of 大连元博: the page's word is the name's
    cell's; the sliver's crop reads 大 again, and the name would be written 大大连元博."""
    name = Word("大连元博", (40.0, 20.0, 120.0, 40.0), 0.99)
    cells = [_cell(0, (30.0, 10.0, 50.0, 50.0)), _cell(1, (50.0, 10.0, 200.0, 50.0), (name,))]
    image = _page((42.0, 22.0, 118.0, 38.0))
    out = _reread(image, BandEngine("大", 0.99), cells)
    assert out[0].text == "" and out[1].text == "大连元博"


def test_an_empty_cell_with_ink_of_its_own_is_still_read() -> None:
    """Control: print the page's reading lost, no other cell's word over it, is read on the crop."""
    name = Word("大连元博", (60.0, 20.0, 120.0, 40.0), 0.99)
    cells = [_cell(0, (10.0, 10.0, 50.0, 50.0)), _cell(1, (50.0, 10.0, 200.0, 50.0), (name,))]
    image = _page((20.0, 22.0, 40.0, 38.0), (62.0, 22.0, 118.0, 38.0))
    out = _reread(image, BandEngine("7", 0.99), cells)
    assert out[0].text == "7"


def test_held_elsewhere_is_about_most_of_the_word() -> None:
    assert held_elsewhere((40.0, 20.0, 50.0, 40.0), [(40.0, 20.0, 120.0, 40.0)])
    assert not held_elsewhere((20.0, 20.0, 45.0, 40.0), [(40.0, 20.0, 120.0, 40.0)])


def test_a_crop_takes_in_a_word_reaching_into_an_empty_sliver_only() -> None:
    """The name's crop widens over its first character in the empty sliver beside it; where the
    neighbour holds the word's other piece (a word split at a true rule), it does not."""
    name = Word("大连弘航", (36.0, 20.0, 120.0, 40.0), 0.9)
    cell = _cell(1, (50.0, 10.0, 200.0, 50.0), (name,))
    assert reach(cell, 20.0, [(30.0, 10.0, 50.0, 50.0)])[0] < 36.0
    assert reach(cell, 20.0, [])[0] == 50.0


def test_a_line_the_page_cut_short_is_carried_on_by_its_crop() -> None:
    """A seal's ring over 交通大学: the page read 西安 surely and stopped; the crop reads the line whole,
    less surely.  Past the page word's end lies a character's ink no word covers."""
    word = Word("西安", (40.0, 20.0, 80.0, 40.0), 1.0)
    cell = _cell(0, (10.0, 10.0, 300.0, 50.0), (word,))
    image = _page((42.0, 22.0, 58.0, 38.0), (62.0, 22.0, 78.0, 38.0), (82.0, 22.0, 98.0, 38.0),
                  (102.0, 22.0, 118.0, 38.0))
    assert _reread(image, BandEngine("西安交通", 0.79), [cell])[0].text == "西安交通"
    # Digits or marks the crop adds are no characters of the line carried on.
    assert _reread(image, BandEngine("西安1", 0.79), [cell])[0].text == "西安"
    # An unsure crop reading does not carry it on.
    assert _reread(image, BandEngine("西安交通", 0.6), [cell])[0].text == "西安"


def test_a_sure_cell_with_nothing_past_its_words_is_not_read_again() -> None:
    word = Word("西安交通", (40.0, 20.0, 120.0, 40.0), 1.0)
    cell = _cell(0, (10.0, 10.0, 300.0, 50.0), (word,))
    image = _page((42.0, 22.0, 118.0, 38.0))
    engine = BandEngine("西安交通大学", 0.99)
    assert _reread(image, engine, [cell])[0].text == "西安交通" and engine.calls == 0


def test_a_sure_cell_read_again_for_print_past_its_words_is_not_replaced_otherwise() -> None:
    """The crop of a sure cell read again only to carry its line on reads it otherwise (孪 as 李): the
    page's sure reading stays."""
    word = Word("数字孪生", (40.0, 20.0, 120.0, 40.0), 1.0)
    cell = _cell(0, (10.0, 10.0, 300.0, 50.0), (word,))
    image = _page((42.0, 22.0, 118.0, 38.0), (122.0, 22.0, 138.0, 38.0))
    assert _reread(image, BandEngine("数字李生建", 0.99), [cell])[0].text == "数字孪生"


def test_a_wrapped_cells_short_second_line_is_not_cut_short() -> None:
    """The second line's box is padded up into the longer first line's glyphs: that ink past its end is
    the first line's, not a character the page's reading left out."""
    first = Word("纺织服装装备", (40.0, 10.0, 160.0, 30.0), 1.0)
    second = Word("造", (40.0, 27.0, 60.0, 47.0), 1.0)
    cell = _cell(0, (10.0, 5.0, 300.0, 60.0), (first, second))
    image = _page((42.0, 12.0, 158.0, 29.0), (42.0, 31.0, 58.0, 45.0))
    engine = BandEngine("纺织服装装备造造", 0.99)
    assert _reread(image, engine, [cell])[0].text == "纺织服装装备造" and engine.calls == 0


def test_a_name_ending_whole_is_not_carried_on_past_its_form() -> None:
    """A seal's characters beside …有限公司 are read onto it by the crop: a name never goes on past its form."""
    word = Word("无锡有限公司", (40.0, 20.0, 160.0, 40.0), 1.0)
    cell = _cell(0, (10.0, 10.0, 300.0, 50.0), (word,))
    image = _page((42.0, 22.0, 158.0, 38.0), (162.0, 22.0, 178.0, 38.0))
    assert _reread(image, BandEngine("无锡有限公司电股", 0.9), [cell])[0].text == "无锡有限公司"
