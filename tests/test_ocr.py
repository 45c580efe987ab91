"""OCR layer: TSV parsing, geometric joining, engine interface, cache, failures as data."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw

from bench.synth import cjk_font
from models.page import Line
from pipeline.config import Settings
from pipeline.ocr import CachedEngine, Glyph, OcrEngine, OcrError, TesseractEngine, join_line, sort_words
from pipeline.ocr.base import Mode
from pipeline.ocr.rapid import result_to_lines
from pipeline.ocr.tesseract import parse_tsv, tsv_to_lines
from pipeline.pages import read_document

FIXTURES = Path(__file__).parent / "fixtures" / "reading"


class CountingEngine(OcrEngine):
    """A fake engine: one fixed line per call, and a count of calls that reached it."""

    name = "counting"

    def __init__(self) -> None:
        self.calls = 0

    def params(self) -> dict[str, object]:
        return {"fake": 1}

    def recognise(self, image: np.ndarray, mode: Mode, dpi: float) -> list[list[Glyph]]:
        self.calls += 1
        return [[Glyph("真", (10, 10, 40, 40), 0.9), Glyph("实", (42, 10, 72, 40), 0.7)]]


class FailingEngine(CountingEngine):
    def recognise(self, image: np.ndarray, mode: Mode, dpi: float) -> list[list[Glyph]]:
        raise OcrError("engine crashed")


def test_recorded_tsv_parses_into_rows() -> None:
    rows = parse_tsv((FIXTURES / "cells_line.tsv").read_text(encoding="utf-8"))
    words = [row for row in rows if row.level == 5]
    assert [w.text for w in words][:2] == ["合同", "编号"]
    assert words[0].left == 11 and words[0].width == 84 and words[0].conf == pytest.approx(89.996361)
    assert {(w.block, w.par, w.line) for w in words} == {(1, 1, 1)}


def test_tsv_tolerates_junk_lines() -> None:
    rows = parse_tsv("level\tpage_num\n5\t1\t1\t1\t1\t1\t0\t0\t9\t9\tnot-a-number\tx\n\n5\t1\n")
    assert rows == []


def test_recorded_tsv_joins_into_cells_split_at_rules() -> None:
    """chi_sim splits characters into words; joined by geometry, cells stay apart and rules vanish."""
    lines = tsv_to_lines(parse_tsv((FIXTURES / "cells_line.tsv").read_text(encoding="utf-8")))
    rules = [Line(201, 0, 201, 70), Line(501, 0, 501, 70)]
    words = join_line(sorted(lines[0], key=lambda g: g.box[0]), separators=rules)
    assert [w.text for w in words] == ["合同编号", "HT2024.017", "杭州数智科技"]
    assert words[0].bbox == (11, 0, 161, 70)
    assert 0 < words[2].confidence < 1


def test_chi_sim_spaces_between_characters_are_not_kept() -> None:
    glyphs = [Glyph(c, (i * 30.0, 0, i * 30.0 + 26, 28)) for i, c in enumerate("牵头单位")]
    assert [w.text for w in join_line(glyphs)] == ["牵头单位"]


def test_wide_gap_splits_a_line_into_words() -> None:
    left = [Glyph(c, (i * 30.0, 0, i * 30.0 + 26, 28)) for i, c in enumerate("名称")]
    right = [Glyph(c, (200 + i * 30.0, 0, 226 + i * 30.0, 28)) for i, c in enumerate("类型")]
    assert [w.text for w in join_line(left + right)] == ["名称", "类型"]


def test_latin_words_keep_their_space_but_cjk_does_not() -> None:
    glyphs = [
        Glyph("ABC", (0, 0, 40, 14)),
        Glyph("Co.,", (45, 0, 70, 14)),
        Glyph("Ltd", (75, 0, 95, 14)),
        Glyph("公司", (97, 0, 125, 14)),
    ]
    assert [w.text for w in join_line(glyphs)] == ["ABC Co., Ltd公司"]


def test_words_scale_to_points_and_sort_in_reading_order() -> None:
    second = join_line([Glyph("下", (0, 100, 25, 125))], scale=0.5)
    first = join_line([Glyph("上", (50, 0, 75, 25))], scale=0.5)
    ordered = sort_words(second + first)
    assert [w.text for w in ordered] == ["上", "下"]
    assert ordered[0].bbox == (25.0, 0.0, 37.5, 12.5)


def test_read_region_offsets_boxes_into_page_points() -> None:
    engine = CountingEngine()
    page = np.full((400, 300), 255, np.uint8)
    words = engine.read_region(page, (100, 200, 300, 260), dpi=144)
    assert words[0].text == "真实"
    # Glyph at x 10..72 px in the crop -> (110..172 px) at 144 dpi = 55..86 pt.
    assert words[0].bbox == (55.0, 105.0, 86.0, 120.0)
    assert words[0].confidence == pytest.approx(0.8)


def test_rapidocr_result_converts_word_boxes_to_glyphs() -> None:
    item = [
        [[0, 0], [100, 0], [100, 30], [0, 30]],
        "附1 真",
        0.95,
        [[[0, 0], [20, 0], [20, 30], [0, 30]], [[22, 0], [40, 0], [40, 30], [22, 30]], [[40, 0], [45, 0], [45, 30], [40, 30]],
         [[60, 0], [90, 0], [90, 30], [60, 30]]],
        ["附", "1", " ", "真"],
        [0.99, 0.98, 0.5, 0.97],
    ]
    lines = result_to_lines([item])
    assert [g.text for g in lines[0]] == ["附", "1", "真"]
    assert lines[0][2].box == (60.0, 0.0, 90.0, 30.0)


def test_rapidocr_line_without_word_boxes_is_split_evenly() -> None:
    lines = result_to_lines([[[[0, 0], [90, 0], [90, 30], [0, 30]], "数据集", 0.9]])
    assert [g.box[0] for g in lines[0]] == [0.0, 30.0, 60.0]


def test_cache_means_second_run_does_no_ocr(tmp_path: Path) -> None:
    image = Image.new("RGB", (827, 1169), "white")
    ImageDraw.Draw(image).text((100, 100), "真实性承诺" * 6, font=cjk_font(28), fill="black")
    path = tmp_path / "page.png"
    image.save(path, dpi=(100, 100))
    settings = Settings(cache_dir=tmp_path / "cache", workers=1, dpi=100)
    engine = CountingEngine()
    first = read_document(path, settings, tmp_path / "run1", engine=engine)
    assert engine.calls == 1 and first.pages[0].words
    second = read_document(path, settings, tmp_path / "run2", engine=engine)
    assert engine.calls == 1, "the second run must be served from the cache"
    assert second.pages[0].words == first.pages[0].words


def test_cache_survives_a_damaged_entry(tmp_path: Path) -> None:
    engine = CountingEngine()
    cached = CachedEngine(engine, tmp_path)
    image = np.zeros((50, 50), np.uint8)
    cached.read_region(image, dpi=72)
    for entry in (tmp_path / "ocr").rglob("*.json"):
        entry.write_text("{not json", encoding="utf-8")
    assert cached.read_region(image, dpi=72)[0].text == "真实"
    assert engine.calls == 2


def test_engine_failure_becomes_a_page_error(tmp_path: Path) -> None:
    image = Image.new("L", (827, 1169), 255)
    ImageDraw.Draw(image).text((100, 100), "真实性承诺" * 6, font=cjk_font(28), fill=0)
    path = tmp_path / "page.png"
    image.save(path, dpi=(100, 100))
    document = read_document(path, Settings(cache_dir=None, dpi=100), tmp_path / "work", engine=FailingEngine())
    assert document.error is None
    assert document.pages[0].error is not None and "engine crashed" in document.pages[0].error


@pytest.mark.skipif(shutil.which("tesseract") is None, reason="needs tesseract")
def test_tesseract_timeout_is_an_ocr_error() -> None:
    image = np.full((600, 900), 255, np.uint8)
    engine = TesseractEngine(timeout_s=0.001)
    with pytest.raises(OcrError, match="timeout"):
        engine.read_region(image)


def _line_image(text: str) -> np.ndarray:
    image = Image.new("L", (40 * len(text) + 40, 64), 255)
    ImageDraw.Draw(image).text((20, 12), text, font=cjk_font(36), fill=0)
    return np.asarray(image)


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("tesseract") is None, reason="needs tesseract")
def test_tesseract_reads_a_line() -> None:
    words = TesseractEngine().read_region(_line_image("统一社会信用代码"), (0, 0, 400, 64), dpi=200)
    assert "".join(w.text for w in words) == "统一社会信用代码"
    assert all(w.source == "ocr" and 0 <= w.confidence <= 1 for w in words)


@pytest.mark.slow
def test_rapidocr_reads_a_line() -> None:
    from pipeline.ocr import RapidOcrEngine

    words = RapidOcrEngine().read_region(_line_image("服务企业名称"), dpi=200)
    assert "".join(w.text for w in words) == "服务企业名称"


class SecondOpinion(CountingEngine):
    """Reads every crop as one confident line, and remembers the crops' sizes."""

    name = "second"

    def __init__(self, text: str, confidence: float) -> None:
        super().__init__()
        self.text, self.confidence, self.shapes = text, confidence, []

    def recognise(self, image: np.ndarray, mode: Mode, dpi: float) -> list[list[Glyph]]:
        self.calls += 1
        self.shapes.append(image.shape)
        assert mode == "line"
        return [[Glyph(self.text, (0, 0, image.shape[1], image.shape[0]), self.confidence)]]


def test_uncertain_words_are_reread_and_replaced_when_the_second_reading_is_surer() -> None:
    from models.page import Word
    from pipeline.ocr.reread import reread

    image = np.full((400, 600), 255, np.uint8)
    words = [Word("合同编亏", (36, 36, 108, 54), 0.42), Word("杭州数智科技", (36, 72, 144, 90), 0.97)]
    second = SecondOpinion("合同编号", 0.98)
    out = reread(words, image, 144, second, below=0.9)
    assert [w.text for w in out] == ["合同编号", "杭州数智科技"]
    assert out[0].bbox == words[0].bbox and out[0].confidence == 0.98
    assert second.calls == 1
    height, width = second.shapes[0]
    assert height > 36 and width > 144, "the crop has a margin around the word (72..216 x 72..108 px)"
    unsure = SecondOpinion("合同", 0.3)
    assert reread(words, image, 144, unsure, below=0.9)[0].text == "合同编亏", "a less sure reading is not taken"
