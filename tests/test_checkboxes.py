"""Tick boxes from pixels (each mark style) and from text-layer glyphs; neither or both ticked → no choice."""

from __future__ import annotations

from pathlib import Path

import pytest

from models.page import Page, Word
from pipeline.checkboxes import read_checkboxes, read_glyphs
from tests.fixtures.tables.synth import Defects, Sheet, render

OPTIONS = ("制造业企业", "服务商", "其它")
MARKED = ["check_glyph", "cross_glyph", "filled", "hand_tick", "hand_cross", "tick_only"]


def option_row(style: str, target: int = 1) -> list:
    styles = ["empty"] * 3
    styles[target] = style
    return list(zip(styles, ("制造业企业", "服务商", "其它（请标明）"), strict=True))


@pytest.fixture(scope="module")
def drawn(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[int, bool], Page]:
    """One page per (dpi, OCR-put-the-box-in-the-word) with a row of options for every mark style."""
    pages = {}
    folder = tmp_path_factory.mktemp("checkboxes")
    for dpi in (150, 300):
        for box_in_word in (False, True):
            sheet = Sheet(checkboxes=[(60, 100 + 30 * i, option_row(style)) for i, style in enumerate(MARKED)])
            sheet.checkboxes.append((60, 100 + 30 * len(MARKED), option_row("empty")))
            sheet.checkboxes.append((60, 130 + 30 * len(MARKED), [("hand_tick", "是"), ("filled", "否")]))
            pages[(dpi, box_in_word)] = render(sheet, folder, dpi=dpi, name=f"cb{dpi}{box_in_word}",
                                               defects=Defects(box_in_word=box_in_word))
    return pages


def row_region(index: int) -> tuple[float, float, float, float]:
    top = 100 + 30 * index
    return (0.0, top - 5, 595.0, top + 20)


@pytest.mark.parametrize("box_in_word", [False, True])
@pytest.mark.parametrize("dpi", [150, 300])
@pytest.mark.parametrize("index,style", list(enumerate(MARKED)))
def test_each_mark_style_ticks(drawn: dict, dpi: int, box_in_word: bool, index: int, style: str) -> None:
    reading = read_checkboxes(drawn[(dpi, box_in_word)], OPTIONS, row_region(index))
    assert reading.chosen == "服务商", reading.marks
    assert reading.problem is None


@pytest.mark.parametrize("dpi", [150, 300])
def test_neither_ticked(drawn: dict, dpi: int) -> None:
    reading = read_checkboxes(drawn[(dpi, False)], OPTIONS, row_region(len(MARKED)))
    assert reading.chosen is None and reading.ticked == [] and reading.problem == "均未勾选"


@pytest.mark.parametrize("dpi", [150, 300])
def test_both_ticked(drawn: dict, dpi: int) -> None:
    reading = read_checkboxes(drawn[(dpi, False)], ("是", "否"), row_region(len(MARKED) + 1))
    assert reading.chosen is None and reading.ticked == ["是", "否"] and "同时勾选" in (reading.problem or "")


def test_seal_ink_over_a_box_is_not_a_tick(tmp_path: Path) -> None:
    """The seal stage's red ink is lifted out of the print layer the boxes are read from."""
    sheet = Sheet(checkboxes=[(60, 100, option_row("hand_tick", target=0))])
    page = render(sheet, tmp_path, defects=Defects(seal_at=(170, 105)))
    assert read_checkboxes(page, OPTIONS).chosen == "制造业企业"


def text_words(line: str) -> list[Word]:
    """A text-layer line: one word per space-separated run, 10 pt per character."""
    words, x = [], 50.0
    for piece in line.split(" "):
        words.append(Word(piece, (x, 100.0, x + 10 * len(piece), 110.5), 1.0, "text"))
        x += 10 * len(piece) + 6
    return words


@pytest.mark.parametrize("line,chosen", [
    ("☑是 ☐否", "是"), ("☐是 ■否", "否"), ("□是 √否", "否"), ("☒是 □否", "是"),
    ("\uf0fe是 \uf0a8否", "是"),  # Word's Wingdings boxes land in the private use area
])
def test_text_layer_glyphs(line: str, chosen: str) -> None:
    reading = read_glyphs(text_words(line), ("是", "否"))
    assert reading is not None and reading.chosen == chosen


@pytest.mark.parametrize("line,problem", [("☐是 ☐否", "均未勾选"), ("☑是 ☑否", "同时勾选了是、否")])
def test_text_layer_ambiguous(line: str, problem: str) -> None:
    reading = read_glyphs(text_words(line), ("是", "否"))
    assert reading is not None and reading.chosen is None and reading.problem == problem


def test_text_page_reads_glyphs_not_pixels() -> None:
    page = Page(number=1, width=595, height=842, kind="text", words=text_words("☐制造业企业 ☑服务商 ☐其它（请标明）"))
    reading = read_checkboxes(page, OPTIONS)
    assert reading.chosen == "服务商" and all(mark.source == "text" for mark in reading.marks)


@pytest.mark.parametrize("style", ["hand_tick", "filled", "tick_only", "check_glyph"])
def test_boxes_read_without_ocr_of_the_labels(tmp_path: Path, style: str) -> None:
    """OCR garbled the whole row ("ae oF"): the options are told apart by the space between them."""
    page = render(Sheet(checkboxes=[(60, 100, option_row(style))]), tmp_path, dpi=200)
    row = [w for w in page.words]
    box = (min(w.bbox[0] for w in row), min(w.bbox[1] for w in row), max(w.bbox[2] for w in row),
           max(w.bbox[3] for w in row))
    garbage = [Word("口制造业企业”e服务商”5其它", box, 0.5, "ocr")]
    region = (40.0, 90.0, 400.0, 125.0)
    reading = read_checkboxes(page, OPTIONS, region, words=garbage)
    assert reading.chosen == "服务商", reading.marks
