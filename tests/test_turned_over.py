"""A page whose orientation was a close call and that reads as debris is read turned over too (dev30 a06: a 1-bit
scan's basic-info page upside down, its glyphs too blotted for the direction classifier)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from models.page import Word
from pipeline.config import Settings
from pipeline.ingest import PageSource
from pipeline.ocr.orient import Orientation
from pipeline.preprocess import clean_page
from pipeline.reading import PageJob, PageResult, _maybe_turned, _read_turned_over

UPRIGHT = [Word("牵头单位名称", (0, 0, 80, 12), 0.9), Word("统一社会信用代码", (0, 20, 90, 32), 0.9),
           Word("泉州工业互联网创新中心", (0, 40, 120, 52), 0.9), Word("注册资本", (0, 60, 50, 72), 0.9)]
DEBRIS = [Word("√8 √9 vz ↓I L 86SL6'6", (0, 0, 80, 12), 0.4), Word("E06E'S 07 vs VE", (0, 20, 80, 32), 0.4),
          Word("SZ0Z ±Z02 XY SEs", (0, 40, 80, 52), 0.4)]


class InkTopReader:
    """Reads Chinese where the page's mark is at the top (the page upright), debris where it is at the bottom."""

    name = "fake"

    def read_region(self, image: np.ndarray, box: object = None, **_: object) -> list[Word]:
        half = image.shape[0] // 2
        upright = (image[:half] < 128).sum() > (image[half:] < 128).sum()
        return list(UPRIGHT * 4 if upright else DEBRIS)


def _page(mark_at_top: bool) -> np.ndarray:
    page = np.full((800, 560), 255, np.uint8)
    rows = slice(60, 200) if mark_at_top else slice(600, 740)
    for top in range(rows.start, rows.stop, 20):
        page[top:top + 8, 80:480] = 0  # lines of "text"
    return page


def _job(workdir: Path) -> PageJob:
    return PageJob(number=1, source=PageSource(Path("x.png"), "png", 0, 150.0), workdir=workdir,
                   settings=Settings())  # type: ignore[arg-type]


def test_a_page_read_as_debris_after_an_unsure_orientation_is_read_turned_over(tmp_path: Path) -> None:
    pixels = _page(mark_at_top=False)
    cleaned = clean_page(pixels, 150.0, Orientation(0, 0.2))
    result = PageResult(number=1, words=list(DEBRIS))
    assert _maybe_turned(cleaned, result.words)
    turned = _read_turned_over(InkTopReader(), pixels, cleaned, _job(tmp_path), result)  # type: ignore[arg-type]
    assert turned.rotation == 180
    assert result.words[0].text == "牵头单位名称"
    assert result.rotation == 180 and result.print_path is not None  # the stored page is the page as read


def test_a_page_reading_no_better_turned_over_stays_as_it_was(tmp_path: Path) -> None:
    pixels = _page(mark_at_top=True)  # upright, yet read as debris (too blurred to read either way)
    cleaned = clean_page(pixels, 150.0, Orientation(0, 0.2))
    result = PageResult(number=1, words=list(DEBRIS))
    kept = _read_turned_over(InkTopReader(), pixels, cleaned, _job(tmp_path), result)  # type: ignore[arg-type]
    assert kept is cleaned and result.words == DEBRIS  # turned over it reads debris as well (the mark at the bottom)


def test_a_surely_oriented_or_chinese_reading_page_is_not_read_again() -> None:
    cleaned = clean_page(_page(mark_at_top=True), 150.0, Orientation(0, 0.9))
    assert not _maybe_turned(cleaned, list(DEBRIS))
    unsure = clean_page(_page(mark_at_top=True), 150.0, Orientation(0, 0.2))
    assert not _maybe_turned(unsure, list(UPRIGHT))


class OneRowReader:
    """Reads a form row's label and counts where the page's lines run across at the top (as stored), debris
    otherwise: the form's last row alone on a page, its few words all the Chinese it has."""

    name = "fake"

    def read_region(self, image: np.ndarray, box: object = None, **_: object) -> list[Word]:
        half = image.shape[0] // 2
        as_stored = image.shape[0] > image.shape[1] and (image[:half] < 128).sum() > (image[half:] < 128).sum()
        return [Word("服务商数量", (0, 0, 60, 12), 0.9), Word("3个", (70, 0, 90, 12), 0.9)] if as_stored else [
            Word("18", (0, 0, 20, 12), 0.8)]


def test_a_page_turned_sideways_on_a_close_call_and_read_as_debris_is_read_as_stored(tmp_path: Path) -> None:
    """dev32 a03 p3: the form's last row alone on a page whose dither gradient ran into 'lines' down it; turned
    sideways on a close call it read '18'. As stored (the orientation taken without evidence) it reads its
    row: a line's worth of Chinese is enough there, where turning a page over needs a page's worth."""
    pixels = _page(mark_at_top=True)
    cleaned = clean_page(pixels, 150.0, Orientation(90, 0.04))
    result = PageResult(number=1, words=[Word("18", (0, 0, 20, 12), 0.8)])
    assert _maybe_turned(cleaned, result.words)
    read = _read_turned_over(OneRowReader(), pixels, cleaned, _job(tmp_path), result)  # type: ignore[arg-type]
    assert read.rotation == 0 and result.rotation == 0
    assert [word.text for word in result.words] == ["服务商数量", "3个"]
