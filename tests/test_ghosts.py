"""Seal text kept out of cells on a grey scan, where the seal's ink is grey, and may be darker than INK_LEVEL."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from models.page import Word
from pipeline.tables import find_tables
from pipeline.tables.ghosts import GREY_LEVEL, INK_LEVEL, InkTest, black_level, lifted_level
from tests.fixtures.tables.synth import SEAL_TEXT, Defects, Sheet, STable, render

ROWS = [["日期（年/月/日）", "合同编号", "服务企业名称", "合同金额(万元)"]] + [
    [f"2024/{m}/{m + 2}", f"HT-2024-{m:03d}", f"某某{m}号生产过程公司", f"{m * 1000 + 234.5:,.1f}"] for m in range(1, 5)]


def grey_scan(tmp_path: Path, seal_grey: int) -> tuple:
    """A table under a seal printed in grey `seal_grey` (a grey scan: no red mask), the page, its print layer
    and where the seal lies (as the seal detector would give it)."""
    page = render(Sheet(tables=[STable.simple(50, 150, [100, 120, 170, 100], ROWS)]), tmp_path,
                  defects=Defects(seal_at=(387, 258), seal_ghost=seal_grey, seal_read=True))
    assert page.print_path is not None and page.seal_path is not None
    image = cv2.imread(str(page.print_path), cv2.IMREAD_GRAYSCALE)
    seal = cv2.imread(str(page.seal_path), cv2.IMREAD_GRAYSCALE) > 0
    area = cv2.dilate(seal.astype(np.uint8), np.ones((15, 15), np.uint8)) > 0
    page.seal_path = None  # a grey scan has no red mask
    return page, image, area


def glued(page, suffix_word: str) -> list[Word]:
    """The page's words with the seal's text glued onto the end of the last company name."""
    name = next(w for w in page.words if w.text == "某某4号生产过程公司")
    seal = next(w for w in page.words if w.text == suffix_word)
    joined = Word(name.text + seal.text, (name.bbox[0], min(name.bbox[1], seal.bbox[1]), seal.bbox[2],
                                          max(name.bbox[3], seal.bbox[3])), 0.9)
    return [w for w in page.words if w not in (name, seal)] + [joined]


@pytest.mark.parametrize("seal_grey", [90, 110, 150])
def test_grey_seal_text_glued_to_a_cell_is_trimmed(tmp_path: Path, seal_grey: int) -> None:
    page, image, area = grey_scan(tmp_path, seal_grey)
    words = glued(page, SEAL_TEXT)
    test = InkTest.of(words, image, page.scale, area)
    assert test is not None
    kept = test.keep(words)
    texts = [w.text for w in kept]
    assert "某某4号生产过程公司" in texts and not any(SEAL_TEXT in t for t in texts), texts


def test_dark_grey_seal_gets_its_own_level(tmp_path: Path) -> None:
    """A seal as dark as 90 would count as print at INK_LEVEL: the page's level sits between seal and print."""
    page, image, area = grey_scan(tmp_path, 90)
    level = black_level(image, page.words, page.scale, area)
    assert 20 < level < 90 < INK_LEVEL


def test_light_seal_keeps_the_usual_level(tmp_path: Path) -> None:
    page, image, area = grey_scan(tmp_path, 200)
    assert black_level(image, page.words, page.scale, area) == INK_LEVEL


def test_grey_seal_stays_out_of_the_table(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The whole table on a grey scan, the seal detector pointing at the seal: no seal text in any cell."""
    page, _image, area = grey_scan(tmp_path, 100)
    page.words = glued(page, SEAL_TEXT)
    monkeypatch.setattr("pipeline.tables.ghosts.seal_area", lambda mask, grey, dpi: area)
    table = find_tables(page).tables[0]
    assert table.texts() == ROWS


def _print_strokes(image: np.ndarray, x0: int, x1: int, y0: int = 10, y1: int = 22) -> None:
    image[y0:y1, x0:x1:3] = 0  # a character's strokes: black, a third of its box


def _line_under_seal(seal_ink: bool, black_strokes: bool, ghost_char: bool = False) -> tuple[InkTest, list[Word]]:
    """A line of print whose end lies under a grey seal: the seal's ink fills the gaps between its strokes
    (with `ghost_char`, a seal's character in grey is read on at its end)."""
    image = np.full((40, 300), 255, np.uint8)
    for x in range(0, 300, 60):  # the page's typical words, away from the seal, on another line
        _print_strokes(image, x, x + 40, 28, 38)
    _print_strokes(image, 10, 80)  # ten points a character, as the page's typical words
    if seal_ink:
        image[8:24, 82:122] = 150
    if black_strokes:
        _print_strokes(image, 82, 112)
    if ghost_char:
        image[14:18, 119:121] = 0  # a dark speck of the seal's character at the box's far end: no trim by extent
    sealed = np.zeros(image.shape, bool)
    sealed[:, 81:] = True
    last = Word("限公司发", (82, 10, 122, 22), 0.9) if ghost_char else Word("限公司", (82, 10, 112, 22), 0.9)
    words = [Word("台州睿云石化有", (10, 10, 80, 22), 0.9), last]
    words += [Word("典型的字", (x, 28, x + 40, 38), 0.9) for x in range(0, 300, 60)]
    test = InkTest.of(words, image, 1.0, sealed)
    assert test is not None
    return test, words


def test_print_under_a_grey_seal_that_carries_on_a_line_of_print_is_kept() -> None:
    test, words = _line_under_seal(seal_ink=True, black_strokes=True)
    assert not test.printed(words[1].bbox)  # the seal's grey under it lowers its black for its grey
    assert "限公司" in [w.text for w in test.keep(words)]
    assert "限公司" not in [w.text for w in test.keep(words[1:])]  # alone, it is held to the whole test


def test_a_ghost_beside_a_line_of_print_is_still_dropped() -> None:
    test, words = _line_under_seal(seal_ink=True, black_strokes=False)
    assert "限公司" not in [w.text for w in test.keep(words)]


def test_a_seal_character_read_on_at_the_end_of_print_under_a_seal_is_cut_off() -> None:
    test, words = _line_under_seal(seal_ink=True, black_strokes=True, ghost_char=True)
    kept = [w.text for w in test.keep(words)]
    assert "限公司" in kept and "限公司发" not in kept


@pytest.mark.parametrize(("text", "kept"), [
    ("2,091.4万元", True),  # an amount in its own cell under the seal: a seal never carries one
    ("2025年3月1日", True),
    ("36.6%", True),
    ("技术集", False),  # the seal's own lettering
    ("3301080012345", False),  # a seal's code: plain digits
])
def test_a_written_figure_alone_under_a_seal_is_print_whatever_its_thin_strokes(text: str, kept: bool) -> None:
    """Thin digits under a grey seal hold little black for the seal's grey around them, as a ghost does;
    a figure written with a separator or a unit is the cell's own, seal lettering is a name and a code."""
    test, words = _line_under_seal(seal_ink=True, black_strokes=True)
    alone = Word(text, words[1].bbox, 0.9)
    assert not test.printed(alone.bbox)
    assert (text in [w.text for w in test.keep([alone, *words[2:]])]) is kept


def _faint_photo(end_grey: int) -> tuple[np.ndarray, np.ndarray, list[Word]]:
    """A phone photo's print layer, its print grey throughout (strokes at 150, none black at INK_LEVEL), the
    seal's ink lifted out: a figure beside the seal ('2,620万元') whose first characters are a little lighter
    (`end_grey`), and the page's typical words away from the seal."""
    image = np.full((60, 300), 255, np.uint8)
    for x in range(0, 300, 60):  # a line well below: no column of the figure's runs on into it as a rule does
        image[40:50, x:x + 40:3] = 150
    image[10:22, 21:58:3] = 150  # '620万元', ten points a character as the page's typical words
    image[10:22, 10:21:3] = end_grey  # '2,'
    sealed = np.zeros(image.shape, bool)
    sealed[8:24, :20] = True  # the seal's (whitened) ring lies over the figure's start
    words = [Word("2,620万元", (10, 10, 58, 22), 0.99)]
    words += [Word("典型的字", (x, 40, x + 40, 50), 0.9) for x in range(0, 300, 60)]
    return image, sealed, words


def test_a_faint_photos_figure_keeps_its_first_digits_beside_a_lifted_seal() -> None:
    """Its print's own level tells print on a page whose seal was lifted out: at INK_LEVEL the figure's
    first digits held no black and were trimmed off as a seal's ('2,620' read 620)."""
    image, sealed, words = _faint_photo(160)
    lifted = InkTest.of(words, image, 1.0, sealed, lifted=True)
    assert lifted is not None and lifted.level > 160
    assert "2,620万元" in [w.text for w in lifted.keep(words)]
    assert InkTest.of(words, image, 1.0, sealed) is None  # at INK_LEVEL no word holds black: no test at all


def test_a_lifted_seals_whitened_character_is_still_trimmed_on_a_faint_photo() -> None:
    """The seal's character read on before the figure was whitened with its ink: no level finds ink there."""
    image, sealed, words = _faint_photo(255)
    test = InkTest.of(words, image, 1.0, sealed, lifted=True)
    assert test is not None
    first = test.keep(words)[0].text
    assert first != "2,620万元" and first.endswith("620万元")


def test_a_page_printed_black_keeps_ink_level() -> None:
    assert lifted_level(60.0) == INK_LEVEL and lifted_level(None) == INK_LEVEL
    assert INK_LEVEL < lifted_level(150.0) < GREY_LEVEL


def test_a_faint_figures_ink_is_measured_at_its_pages_level() -> None:
    """A second reader's ink (width, crop, binarised line) on a faint photo is found at the page's level:
    at INK_LEVEL the figure held none, its width went unmeasured and characters lost went unseen."""
    from pipeline.tables.reread import SecondReader

    image = np.full((60, 200), 255, np.uint8)
    image[20:32, 50:110:3] = 160  # a figure's strokes, grey as a phone photo's print
    box = (40.0, 14.0, 130.0, 40.0)
    at_ink = SecondReader(image, 1.0, 72.0, None)  # type: ignore[arg-type]  # no engine: ink only
    at_page = SecondReader(image, 1.0, 72.0, None, lifted_level(150.0))  # type: ignore[arg-type]
    assert at_ink.ink_width(box) is None
    assert at_page.ink_width(box) == pytest.approx(58, abs=2)


def test_a_seals_ring_character_taller_than_its_line_is_dropped_short_print_under_a_seal_kept() -> None:
    """dev32 a01 (a drawn grey scan): the ring's 智 and 能 read as words of their own beside a list's cells, as
    black as print, so the ink tests kept them and they ran on after the training names. A ring's characters
    are larger than print: a short Chinese word under the seal half again as tall as its line is the seal's."""
    image = np.full((60, 300), 255, np.uint8)
    for x in range(0, 300, 60):
        _print_strokes(image, x, x + 40, 48, 58)
    _print_strokes(image, 10, 80)
    _print_strokes(image, 90, 110, 4, 28)  # the ring's character: black, 24 points tall
    _print_strokes(image, 150, 175)  # a short name printed under the seal, as tall as its line
    sealed = np.zeros(image.shape, bool)
    sealed[:, 85:] = True
    words = [Word("精益生产培训", (10, 10, 80, 22), 0.9), Word("智", (90, 4, 110, 28), 0.9),
             Word("食品", (150, 10, 175, 22), 0.9)]
    words += [Word("典型的字", (x, 48, x + 40, 58), 0.9) for x in range(0, 300, 60)]
    test = InkTest.of(words, image, 1.0, sealed)
    assert test is not None
    kept = [w.text for w in test.keep(words)]
    assert "智" not in kept and "食品" in kept and "精益生产培训" in kept
    # Print under the seal read garbled in a box the seal's ink made as tall keeps the print's pitch: kept.
    assert not test.seal_lettering(Word("博南", (90, 4, 112, 28), 0.9), words)
    # A figure or a Latin code as tall is no ring lettering: the ink tests judge it as before.
    assert not test.seal_lettering(Word("165", (90, 4, 110, 28), 0.9), words)
