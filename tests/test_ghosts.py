"""Seal text kept out of cells on a grey scan, where the seal's ink is grey, and may be darker than INK_LEVEL."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from models.page import Word
from pipeline.tables import find_tables
from pipeline.tables.ghosts import INK_LEVEL, InkTest, black_level
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
