"""Print the page reading missed, read again as blocks (`pipeline.ocr.uncovered`)."""

from __future__ import annotations

from typing import cast

import numpy as np
from PIL import Image, ImageDraw

from bench.synth import cjk_font
from models.page import Box, Word
from pipeline.ocr.base import OcrEngine
from pipeline.ocr.uncovered import read_uncovered, uncovered_regions

DPI = 150
SCALE = DPI / 72.0
SIZE = 15  # px a character


def _form() -> tuple[np.ndarray, list[Word], tuple[int, int, int, int]]:
    """A photographed form's two cells ruled by dashes (a blurred 0.25 pt rule), a member list the page read
    and, left of it, a two-line label set tight that it did not; the label's box in px."""
    image = Image.new("L", (900, 400), 255)
    draw = ImageDraw.Draw(image)
    font = cjk_font(SIZE)
    for x in range(40, 860, 12):  # dashed rules round the cells
        for y in (40, 360):
            draw.line((x, y, x + 7, y), fill=60, width=2)
    for y in range(40, 360, 12):
        for x in (40, 300, 860):
            draw.line((x, y, x, y + 7), fill=60, width=2)
    draw.text((60, 170), "联合体其他成员单", font=font, fill=30)
    draw.text((60, 187), "位名称与类型（不", font=font, fill=30)
    words = []
    for k in range(6):
        y = 60 + 48 * k
        draw.text((320, y), f"{k + 1} 台州新拓网络科技有限公司", font=font, fill=30)
        words.append(Word(f"{k + 1}台州新拓网络科技有限公司", _points((318, y - 4, 320 + 16 * SIZE, y + SIZE + 6))))
    return np.asarray(image), words, (60, 170, 60 + 8 * SIZE, 187 + SIZE)


def _points(box: tuple[int, int, int, int]) -> Box:
    return (box[0] / SCALE, box[1] / SCALE, box[2] / SCALE, box[3] / SCALE)


def test_ink_no_word_covers_is_one_region_and_the_dashed_rules_none() -> None:
    image, words, label = _form()
    char = 0.6 * SIZE * 1.7
    regions = uncovered_regions(image, words, SCALE, char)
    assert len(regions) == 1
    x0, y0, x1, y1 = regions[0]
    assert x0 <= label[0] and y0 <= label[1] and x1 >= label[2] and y1 >= label[3]
    assert x1 < 300 and y1 - y0 < 5 * SIZE  # the label, not the cells' rules beside and round it


class _BlockReader:
    """Reads the label in a block, with a stroke read unsurely and a word the page had already."""

    def __init__(self) -> None:
        self.regions: list[tuple[int, int, int, int] | None] = []

    def read_region(self, image: np.ndarray, box_px: tuple[int, int, int, int] | None = None, *, dpi: float,
                    separators: object = (), mode: object = None) -> list[Word]:
        self.regions.append(box_px)
        return [Word("联合体其他成员单", _points((60, 170, 180, 185)), 0.99),
                Word("位名称与类型（不", _points((60, 187, 180, 202)), 0.87),
                Word("丨", _points((250, 170, 256, 200)), 0.3),
                Word("1台州新拓网络科技有限公司", _points((320, 60, 560, 75)), 0.99)]


def test_the_region_is_read_and_only_its_sure_new_words_are_kept() -> None:
    image, words, _ = _form()
    engine = _BlockReader()
    found = read_uncovered(cast(OcrEngine, engine), image, words, DPI)
    assert [w.text for w in found] == ["联合体其他成员单", "位名称与类型（不"]
    assert len(engine.regions) == 1


def test_a_page_whose_words_cover_its_print_is_not_read_again() -> None:
    image, words, label = _form()
    engine = _BlockReader()
    covered = [*words, Word("联合体其他成员单位名称与类型（不", _points(label))]
    assert read_uncovered(cast(OcrEngine, engine), image, covered, DPI) == []
    assert engine.regions == []


def test_a_region_a_seal_touches_is_left_to_the_stages_that_know_seals() -> None:
    image, words, label = _form()
    seal = np.zeros_like(image)
    seal[label[1] - 20:label[3] + 20, label[2] - 30:label[2] + 60] = 255  # a ring over the label's end
    engine = _BlockReader()
    assert read_uncovered(cast(OcrEngine, engine), image, words, DPI, seal) == []
    assert engine.regions == []


class _PieceReader(_BlockReader):
    """Reads, beside a member's name, the character the page's reading cut off its end."""

    def read_region(self, image: np.ndarray, box_px: tuple[int, int, int, int] | None = None, *, dpi: float,
                    separators: object = (), mode: object = None) -> list[Word]:
        self.regions.append(box_px)
        return [Word("司", _points((321 + 16 * SIZE, 60, 320 + 17 * SIZE, 75)), 0.99)]


def test_a_piece_cut_off_a_word_the_page_read_is_not_added_beside_it() -> None:
    image, words, _ = _form()
    assert read_uncovered(cast(OcrEngine, _PieceReader()), image, words, DPI) == []
