"""Faint rules of a phone photo of a printed table: kept by the faint layer, found as bands, and the
second look whose grid leaves the words whole chosen (synthetic pixels, no OCR)."""

from __future__ import annotations

import cv2
import numpy as np

from models.page import Word
from pipeline.preprocess import flatten
from pipeline.tables import pixels
from pipeline.tables.cells import CellText, Table
from pipeline.tables.finder import TableFinding, _words_whole
from pipeline.tables.geometry import Cell, Frame, Grid

DPI = 150.0
LEFT, RIGHT = 60, 900  # the table's width, px
ROW = 30  # row pitch, px: 14.4 pt rows of 10.5 pt text, as a dense appendix list
FIRST_RULE = 40
ROWS = 8


def _rule_ys() -> list[int]:
    return [FIRST_RULE + ROW * k for k in range(ROWS + 1)]


def photographed_table(seed: int = 3) -> np.ndarray:
    """Darkness (0 = paper) of a photographed list: rules 2 px wide, ~20% below the paper, wavering by a
    pixel and broken into dashes; between them text lines of dark characters 16 px tall reaching within 5 px of
    the rules; everything blurred as a phone's lens and a 130 dpi capture blur it."""
    rng = np.random.default_rng(seed)
    dark = np.zeros((FIRST_RULE + ROW * ROWS + 40, 960), np.float32)
    xs = np.arange(LEFT, RIGHT)
    for y in _rule_ys():
        waver = np.round(np.sin(xs / 37.0 + y)).astype(int)
        dashed = (xs // 6) % 7 != 0  # a gap of 6 px in every 42
        for x, dy, on in zip(xs, waver, dashed, strict=True):
            if on:
                dark[y + dy:y + dy + 2, x] = 50
    for top in _rule_ys()[:-1]:
        x = LEFT + 8
        while x < RIGHT - 30:
            # A character: a 16 px block of strokes, dark, with light space inside.
            char = (rng.random((16, 16)) < 0.55).astype(np.float32) * 200
            dark[top + 7:top + 23, x:x + 16] = np.maximum(dark[top + 7:top + 23, x:x + 16], char)
            x += 18
    return cv2.GaussianBlur(dark, (0, 0), 1.6)


def test_flatten_with_white_one_keeps_a_rule_the_print_layer_whitens() -> None:
    """A rule 8% below the paper: the print layer's levels make it white, the faint layer keeps it."""
    grey = np.full((200, 400), 200, np.uint8)
    grey[100:102, 50:350] = 184  # 8% below the paper
    grey[20:40, 50:150] = 40  # some ink, so the levels have a black to stretch to
    assert flatten(grey)[101, 200] == 255
    assert flatten(grey, white=1.0)[101, 200] < 240


def test_band_masks_find_a_photos_faint_wavering_broken_rules_between_close_text_lines() -> None:
    grey = np.clip(255 - photographed_table(), 0, 255).astype(np.uint8)
    horizontal, _ = pixels.band_masks(grey, DPI)
    for y in _rule_ys()[1:-1]:  # the inner rules, text above and below them
        covered = horizontal[y - 3:y + 4, LEFT:RIGHT].any(axis=0).mean()
        assert covered > 0.85, (y, covered)
    # Nothing inside the text lines: a line of text is no band, however it is averaged.
    for top in _rule_ys()[:-1]:
        assert not horizontal[top + 9:top + 20, LEFT:RIGHT].any(), top


def test_the_binarised_masks_and_ridges_lose_those_rules() -> None:
    """What the band look is for: neither the binarisation nor the ridges of the print layer's levels
    (the same page after `flatten`'s whitening) find most of those rules."""
    grey = np.clip(255 - photographed_table(), 0, 255).astype(np.uint8)
    print_layer = flatten(grey)
    binarised, _ = pixels.line_masks(pixels.binarise(print_layer), DPI)
    ridges, _ = pixels.ridge_masks(print_layer, DPI)
    found = cv2.bitwise_or(binarised, ridges)
    covered = [found[y - 3:y + 4, LEFT:RIGHT].any(axis=0).mean() for y in _rule_ys()[1:-1]]
    assert np.mean(covered) < 0.6, covered


def _finding_of(rows: list[float], cols: list[float]) -> TableFinding:
    cells = [Cell(r, c, 1, 1, (cols[c], rows[r], cols[c + 1], rows[r + 1]))
             for r in range(len(rows) - 1) for c in range(len(cols) - 1)]
    grid = Grid(xs=cols, ys=rows, cells=cells)
    texts = [CellText(cell, cell.bbox) for cell in cells]
    return TableFinding(page=1, tables=[Table(page=1, grid=grid, frame=Frame(), cells=texts)])


def test_words_whole_counts_the_words_no_rule_of_the_grid_cuts() -> None:
    """Both grids hold every word's centre; the one with a stroke taken for a rule through the second
    line's words (and a stacked stroke for a column through the first) leaves fewer of them whole."""
    words = [Word("2024年2月26日", (62, 104, 140, 118), 0.9, "ocr"), Word("企业首席数据官培训班", (190, 104, 330, 118), 0.9, "ocr"),
             Word("2024年7月11日", (62, 134, 140, 148), 0.9, "ocr"), Word("政策宣讲会", (190, 134, 260, 148), 0.9, "ocr")]
    right = _finding_of([100, 130, 160], [60, 180, 400])
    cut = _finding_of([100, 130, 141, 160], [60, 100, 180, 400])
    assert _words_whole(right, words) == 4
    assert _words_whole(cut, words) == 1


def test_lightest_beside_is_the_least_of_the_values_one_to_reach_pixels_to_that_side_edges_repeated() -> None:
    """The erosion gives the minimum over the moved copies it replaces, value for value, edges included."""
    rng = np.random.default_rng(7)
    for height, width in ((1, 1), (3, 17), (40, 9), (61, 64)):
        mean = (rng.random((height, width)) * 255).astype(np.float32)
        for reach in (1, 2, 5, 12):
            for axis in (0, 1):
                for side in (1, -1):
                    expected = pixels._shifted(mean, side, axis)
                    for step in range(2, reach + 1):
                        expected = np.minimum(expected, pixels._shifted(mean, side * step, axis))
                    assert np.array_equal(pixels._lightest_beside(mean, reach, axis, side), expected)


def test_a_pages_looks_at_its_rules_binarise_it_once_and_find_the_same_masks(monkeypatch) -> None:
    """The first look and both faint looks share one binarisation (and the dotted masks of its ink), and each
    look's masks are those it makes on its own."""
    dark = photographed_table()
    grey = (255 - np.clip(dark, 0, 255)).astype(np.uint8)
    turned = cv2.warpAffine(grey, cv2.getRotationMatrix2D((480, 160), 0.6, 1.0), grey.shape[::-1],
                            borderMode=cv2.BORDER_REPLICATE)
    looks = [None, pixels.FaintLook(turned, pixels.ridge_masks), pixels.FaintLook(turned, pixels.band_masks)]
    alone = [pixels.rule_masks(turned, DPI, look) for look in looks]
    calls = {"binarise": 0, "dotted": 0}
    binarise, dotted = pixels.binarise, pixels.dotted_masks

    def counted_binarise(image: np.ndarray) -> np.ndarray:
        calls["binarise"] += 1
        return binarise(image)

    def counted_dotted(ink: np.ndarray, dpi: float) -> tuple[np.ndarray, np.ndarray]:
        calls["dotted"] += 1
        return dotted(ink, dpi)

    monkeypatch.setattr(pixels, "binarise", counted_binarise)
    monkeypatch.setattr(pixels, "dotted_masks", counted_dotted)
    binary = pixels.Binarised(turned, DPI)
    shared = [pixels.rule_masks(turned, DPI, look, binary) for look in looks]
    assert calls["binarise"] == 1
    faint_frames = {masks.frame for masks in shared[1:] if masks.frame.angle_deg}
    assert faint_frames  # the table is skewed: the faint looks find their rules turned level
    assert calls["dotted"] == 1 + len(faint_frames)  # once level, for both faint looks; once per turn
    for own, common in zip(alone, shared, strict=True):
        assert own.frame == common.frame
        for name in ("ink", "horizontal", "vertical"):
            assert np.array_equal(getattr(own, name), getattr(common, name))
