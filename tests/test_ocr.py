"""OCR layer: TSV parsing, geometric joining, engine interface, cache, failures as data."""

from __future__ import annotations

import itertools
import shutil
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image, ImageDraw

from bench.synth import cjk_font
from models.page import Line
from pipeline.config import DEFAULT_DET, DEFAULT_REC, Settings
from pipeline.ocr import (
    CachedEngine,
    Glyph,
    LinePosteriors,
    OcrEngine,
    OcrError,
    TesseractEngine,
    join_line,
    sort_words,
)
from pipeline.ocr.base import Mode
from pipeline.ocr.rapid import result_to_lines
from pipeline.ocr.tesseract import parse_tsv, tsv_to_lines
from pipeline.reading import read_document

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


def _digits(gap: float) -> list[Glyph]:
    """'合同额3560.5' as 20-px-high glyphs, `gap` px between '5' and '6'."""
    chars, x, glyphs = "35", 60.0, [Glyph("合", (0, 0, 18, 20)), Glyph("同", (20, 0, 38, 20)), Glyph("额", (40, 0, 58, 20))]
    for text in chars:
        glyphs.append(Glyph(text, (x, 0, x + 10, 20)))
        x += 11
    x += gap - 1
    for text in "60.5":
        glyphs.append(Glyph(text, (x, 0, x + 10, 20)))
        x += 11
    return glyphs


def test_a_narrow_gap_inside_an_ocr_number_is_not_a_space() -> None:
    """OCR character boxes are approximate: 0.25 height between two digits is not a space
    (it would split an amount), 0.7 is; a text layer's boxes are exact and keep 0.25."""
    assert [w.text for w in join_line(_digits(5))] == ["合同额3560.5"]
    assert [w.text for w in join_line(_digits(14))] == ["合同额35 60.5"]
    assert [w.text for w in join_line(_digits(5), source="text")] == ["合同额35 60.5"]


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


class PosteriorEngine(CountingEngine):
    """A fake CTC line recogniser: fixed frame posteriors for "真实" over blank, 真, 实, 性."""

    name = "posterior"
    characters = ("blank", "真", "实", "性")

    def line_posteriors(self, strip: np.ndarray) -> LinePosteriors:
        self.calls += 1
        frames = np.full((6, 4), 1e-8, np.float32)
        for t, k in enumerate([0, 1, 1, 0, 2, 0]):
            frames[t, k] = 0.97
        frames[1, 3] = 0.02  # 性 a runner-up on one frame: kept by the cache
        return LinePosteriors(frames, self.characters)


def test_cache_keeps_line_posteriors_as_spotting_sees_them(tmp_path: Path) -> None:
    from pipeline.seals.spotting import FLOOR, spot

    engine = PosteriorEngine()
    cached = CachedEngine(engine, tmp_path)
    strip = np.full((48, 200), 255, np.uint8)
    fresh = cached.line_posteriors(strip)
    again = cached.line_posteriors(strip)
    assert engine.calls == 1, "the second read must be served from the cache"
    assert fresh is not None and again is not None and again.characters == engine.characters
    # Below the spotting floor a probability is stored as 0: the same once floored.
    assert np.allclose(np.maximum(again.frames, FLOOR), np.maximum(fresh.frames, FLOOR))
    assert spot(again.frames, [1, 2]) == pytest.approx(spot(fresh.frames, [1, 2]))
    assert CachedEngine(CountingEngine(), tmp_path).line_posteriors(strip) is None, "no posteriors: none cached"


def test_cached_posteriors_read_their_alphabet_once_per_process(tmp_path: Path) -> None:
    """A warm cache's strips all name one alphabet file: it is read and parsed once, each later strip gets the
    same tuple; a damaged alphabet is no reading (read again), and is not kept."""
    from pipeline.ocr import cache

    engine = PosteriorEngine()
    strips = [np.full((48, 200), value, np.uint8) for value in (255, 254)]
    for strip in strips:
        CachedEngine(engine, tmp_path).line_posteriors(strip)
    [alphabet] = tmp_path.rglob("alphabet-*.json")
    cache._ALPHABETS.pop(alphabet, None)
    first, second = (CachedEngine(engine, tmp_path).line_posteriors(strip) for strip in strips)
    assert engine.calls == 2 and first is not None and second is not None
    assert first.characters == engine.characters and second.characters is first.characters
    damaged = tmp_path / "damaged" / alphabet.name
    damaged.parent.mkdir()
    damaged.write_text("[", encoding="utf-8")
    assert cache._load_posteriors(next(tmp_path.rglob("*.npz")), damaged) is None
    assert damaged not in cache._ALPHABETS


def test_sparse_posteriors_are_two_dimensional_nonzero_by_flat_index() -> None:
    from pipeline.ocr.cache import POSTERIOR_FLOOR, sparse_posteriors

    rng = np.random.default_rng(3)
    for shape in [(40, 300), (1, 7), (5, 1), (0, 12)]:
        frames = (rng.random(shape) ** 8).astype(np.float32)  # most entries far under the floor
        frames[frames < 1e-3] = POSTERIOR_FLOOR * rng.choice([0.5, 1.0, 2.0], size=int((frames < 1e-3).sum()))
        rows, classes, values = sparse_posteriors(frames)
        want_rows, want_classes = np.nonzero(frames >= POSTERIOR_FLOOR)
        assert np.array_equal(rows, want_rows) and np.array_equal(classes, want_classes)
        assert np.array_equal(values, frames[want_rows, want_classes]) and values.dtype == frames.dtype


def test_posteriors_that_do_not_fit_the_alphabet_are_an_ocr_error() -> None:
    with pytest.raises(OcrError):
        LinePosteriors(np.zeros((5, 3), np.float32), ("blank", "真"))


def test_seal_reader_reads_through_the_engine_and_falls_back_to_text() -> None:
    from pipeline.seals.text import LineReader

    strip = np.full((48, 200), 255, np.uint8)
    reading = LineReader(PosteriorEngine()).read(strip)
    assert reading.text == "真实" and reading.spot("真实") == pytest.approx(1.0)

    class Broken(PosteriorEngine):
        def line_posteriors(self, strip: np.ndarray) -> LinePosteriors:
            raise OcrError("model missing")

    fallback = CountingEngine()
    reader = LineReader(Broken(), fallback=fallback)
    assert [reader.read(strip).text for _ in range(2)] == ["真实", "真实"]
    assert fallback.calls == 2 and reader.read(strip).posteriors is None


def test_seal_engine_is_the_registry_s_rapidocr_with_the_seal_recogniser(tmp_path: Path) -> None:
    from pipeline.ocr import RapidOcrEngine, seal_engine

    engine = seal_engine(Settings(cache_dir=tmp_path, engine="tesseract", rapid_rec="ppocrv6-tiny"))
    assert isinstance(engine, CachedEngine) and isinstance(engine.engine, RapidOcrEngine)
    assert engine.engine.rec == "ppocrv4" and engine.engine.fused
    assert seal_engine(Settings(cache_dir=None, seal_rec="ppocrv6-tiny")).params()["rec"] != engine.params()["rec"]


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
        self.text, self.confidence = text, confidence
        self.shapes: list[tuple[int, ...]] = []

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


# --- RapidOCR page loop (pipeline/ocr/rapid.py) -------------------------------------------


def _long_line_page() -> np.ndarray:
    """A page with two lines of text, the first about 60 characters long (a full-width prose line)."""
    image = Image.new("L", (1240, 300), 255)
    draw = ImageDraw.Draw(image)
    draw.text((30, 40), "本单位自愿申报第二批制造业数字化转型促进中心提交的所有申报材料均真实准确完整近三年无不良信用记录", font=cjk_font(21), fill=0)
    draw.text((30, 160), "合同额3560.5万元", font=cjk_font(24), fill=0)
    return np.asarray(image.convert("RGB"))


def test_chunk_bounds_cut_long_lines_in_gaps_and_cover_the_line() -> None:
    from pipeline.ocr.rapid import REC_HEIGHT, chunk_bounds

    crop = np.full((40, 2000, 3), 255, np.uint8)
    for x in range(0, 2000, 40):  # "characters" 30 px wide, 10 px gaps
        crop[8:32, x : x + 30] = 0
    bounds = chunk_bounds(crop, chunk_cols=480)
    assert bounds[0][0] == 0 and bounds[-1][1] == 2000
    assert all(a[1] == b[0] for a, b in itertools.pairwise(bounds)), "pieces touch"
    limit = 480 * 40 / REC_HEIGHT
    assert all(end - start <= limit for start, end in bounds)
    assert all(crop[:, cut].min() == 255 for _, cut in bounds[:-1]), "every cut falls in a gap"
    assert chunk_bounds(crop[:, :300], chunk_cols=480) == [(0, 300)]


def test_overlapping_pieces_keep_each_character_once_where_it_was_read() -> None:
    from pipeline.ocr.rapid import _merge_pieces

    # A 200 x 20 px line read in two pieces: own 0..100 (read 0..120) and own 100..200 (read 80..200),
    # each decoded over 10 columns of 12 px.  "准" (centre 114) belongs to the second piece, which
    # reads it again at 122; "实" is read by both (78 and 86) and kept once.
    first = ("真实准", 0.9, [10.0, [["真", "实", "准"]], [[2, 6, 9]], ["cn"], [0.9, 0.9, 0.9]])
    second = ("实准确", 0.7, [10.0, [["实", "准", "确"]], [[0, 3, 7]], ["cn"], [0.7, 0.7, 0.7]])
    text, score, info = _merge_pieces([(0, 100, 0, 120, first), (100, 200, 80, 200, second)], 200, 20)
    assert text == "真实准确" and score == pytest.approx(0.8)
    assert info[0] == 200.0 and info[3] == ["cn"]
    centres = [(c + 0.5) * (200 / info[0]) for group in info[2] for c in group]
    assert centres == pytest.approx([30.0, 78.0, 122.0, 170.0])


@pytest.mark.slow
def test_rapidocr_session_options_are_applied() -> None:
    import onnxruntime as ort

    from pipeline.ocr.rapid import session_options

    for options in session_options():
        assert options.intra_op_num_threads == 1 and options.inter_op_num_threads == 1
        assert options.enable_cpu_mem_arena
        assert options.graph_optimization_level == ort.GraphOptimizationLevel.ORT_ENABLE_ALL


@pytest.mark.slow
def test_rapidocr_page_loop_skips_the_direction_classifier(monkeypatch: pytest.MonkeyPatch) -> None:
    from pipeline.ocr import RapidOcrEngine
    from pipeline.ocr.rapid import _model

    model = _model(1280)
    assert not model.use_cls

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the direction classifier ran")

    monkeypatch.setattr(model.text_cls, "__call__", refuse)
    monkeypatch.setattr(type(model.text_cls), "__call__", refuse)
    words = RapidOcrEngine().read_region(_long_line_page(), dpi=150)
    assert "合同额3560.5万元" in "".join(w.text for w in words)


@pytest.mark.slow
def test_rapidocr_page_loop_reads_as_rapidocr_does() -> None:
    """Our loop (one line at a time, long lines in pieces, smaller detector copy) reads the
    same text as RapidOCR's own call on a page with a line long enough to be cut."""
    from pipeline.ocr import RapidOcrEngine
    from pipeline.ocr.rapid import _model, chunk_bounds, result_to_lines

    page = _long_line_page()
    bgr = page[..., ::-1].copy()
    model = _model(1280)
    theirs, _ = model(bgr, use_cls=False, return_word_box=True)
    engine = RapidOcrEngine()
    ours = engine.read_page(model, bgr)
    crops = model.get_crop_img_list(bgr, [np.array(item[0], np.float32) for item in ours])
    assert max(len(chunk_bounds(crop)) for crop in crops) > 1, "the long line is read in pieces"
    assert [item[1] for item in ours] == [item[1] for item in theirs]
    ours_glyphs = [g for line in result_to_lines(ours) for g in line]
    theirs_glyphs = [g for line in result_to_lines(theirs) for g in line]
    assert [g.text for g in ours_glyphs] == [g.text for g in theirs_glyphs]
    for a, b in zip(ours_glyphs, theirs_glyphs, strict=True):
        assert abs((a.box[0] + a.box[2]) / 2 - (b.box[0] + b.box[2]) / 2) < 12, "characters stay in place"


def test_rapidocr_cache_key_names_the_page_loop() -> None:
    from pipeline.ocr import RapidOcrEngine
    from pipeline.ocr.rapid import PIPELINE_VERSION

    params = RapidOcrEngine().params()
    assert params["pipeline"] == PIPELINE_VERSION >= 2
    assert {"det_limit", "rec_chunk", "rec_min_width"} <= params.keys()
    assert RapidOcrEngine(rec_min_width=320).params() != params


# --- fused RapidOCR models (pipeline/ocr/fuse.py) -----------------------------------------


def _shipped_model(name: str) -> Path:
    import rapidocr_onnxruntime

    return Path(rapidocr_onnxruntime.__file__).parent / "models" / name


REC_MODEL = "ch_PP-OCRv4_rec_infer.onnx"
DET_MODEL = "ch_PP-OCRv4_det_infer.onnx"


def _session(path: Path) -> Any:
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    options.log_severity_level = 4
    return ort.InferenceSession(str(path), sess_options=options, providers=["CPUExecutionProvider"])


@pytest.mark.slow
@pytest.mark.parametrize(("name", "shape"), [(REC_MODEL, (1, 3, 48, 320)), (DET_MODEL, (1, 3, 256, 320))])
def test_fused_model_computes_what_the_shipped_one_does(tmp_path: Path, name: str, shape: tuple[int, ...]) -> None:
    from pipeline.ocr.fuse import fuse_model

    source = _shipped_model(name)
    counts = fuse_model(source, tmp_path / "fused.onnx")
    assert counts["conv_affine"] >= 20 and counts["hard_swish"] >= 20 and counts["affine_into_1x1"] >= 5
    image = np.random.default_rng(1).uniform(-1, 1, shape).astype(np.float32)
    float_session, fused_session = _session(source), _session(tmp_path / "fused.onnx")
    (want,) = float_session.run(None, {float_session.get_inputs()[0].name: image})
    (got,) = fused_session.run(None, {fused_session.get_inputs()[0].name: image})
    assert got.shape == want.shape
    assert np.abs(got - want).max() < 1e-3


@pytest.fixture(autouse=True)
def _own_shared_models(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test its own shared folder of fused models (`fuse.model_folder(None)`): what a test makes there, or
    what earlier runs left in the machine's, must not decide what another test sees."""
    from pipeline.ocr import fuse

    monkeypatch.setattr(fuse, "_MACHINE_TEMP", tmp_path / "machine-temp")


def _fake_fusion(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, list[Path]]:
    """A tiny source model and the fused copies made of it: `fuse.fuse_model` replaced by one that writes
    'fused ' and the source's bytes, and notes each copy it makes."""
    from pipeline.ocr import fuse

    source = tmp_path / "tiny.onnx"
    source.write_bytes(b"model bytes")
    made: list[Path] = []

    def fake_fuse(src: Path, target: Path) -> dict[str, int]:
        made.append(target)
        target.write_bytes(b"fused " + src.read_bytes())
        return {}

    monkeypatch.setattr(fuse, "fuse_model", fake_fuse)
    return source, made


def test_a_model_fused_under_one_cache_folder_is_not_fused_again_under_another(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A batch with an empty OCR cache folder (a benchmark's, a CI run's) found no fused model and made one
    before reading its first page; the copy made under any other folder is the same bytes."""
    from pipeline.ocr import fuse

    source, made = _fake_fusion(tmp_path, monkeypatch)
    first = fuse.fused_model(source, tmp_path / "one")
    again = fuse.fused_model(source, tmp_path / "two")
    assert len(made) == 1 and first.parent == tmp_path / "one" / "models"
    assert again.parent == fuse.model_folder(None) and again.read_bytes() == first.read_bytes() == b"fused model bytes"
    assert not list(fuse.model_folder(None).glob("*.tmp"))
    source.write_bytes(b"another model")  # a new wheel's model: a new key, made anew
    assert fuse.fused_model(source, tmp_path / "two").parent == tmp_path / "two" / "models" and len(made) == 2


def test_a_shared_fused_model_others_may_write_is_not_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The shared folder lies in the machine's temp space: opened to other users, what it holds could be theirs."""
    from pipeline.ocr import fuse

    source, made = _fake_fusion(tmp_path, monkeypatch)
    fuse.fused_model(source, tmp_path / "one")
    fuse.model_folder(None).chmod(0o777)
    assert fuse.fused_model(source, tmp_path / "two").parent == tmp_path / "two" / "models" and len(made) == 2


def test_fused_model_is_made_once_and_then_read_from_the_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from pipeline.ocr import fuse

    source, made = _fake_fusion(tmp_path, monkeypatch)
    first = fuse.fused_model(source, tmp_path / "cache")
    second = fuse.fused_model(source, tmp_path / "cache")
    assert first == second != source and len(made) == 1
    assert first.parent == tmp_path / "cache" / "models" and first.read_bytes() == b"fused model bytes"
    assert f"-fused{fuse.FUSE_VERSION}" in first.name and not list(first.parent.glob("*.tmp"))
    source.write_bytes(b"another model")  # a new wheel's model: a new key
    assert fuse.fused_model(source, tmp_path / "cache") != first and len(made) == 2


def test_a_fused_model_already_made_is_found_without_loading_onnx(tmp_path: Path) -> None:
    """Every page worker loads its models: the copy made once must not cost it the `onnx` import."""
    import subprocess
    import sys

    from pipeline.digest import file_sha256
    from pipeline.ocr import fuse

    source = tmp_path / "tiny.onnx"
    source.write_bytes(b"model bytes")
    target = fuse.model_folder(tmp_path / "cache")
    target.mkdir(parents=True)
    made = target / f"tiny-{file_sha256(source)[:16]}-fused{fuse.FUSE_VERSION}.onnx"
    made.write_bytes(b"fused")
    probe = ("import sys; from pathlib import Path; from pipeline.ocr import fuse; "
             f"print(fuse.fused_model(Path({str(source)!r}), Path({str(tmp_path / 'cache')!r})), 'onnx' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True,
                          cwd=Path(__file__).resolve().parents[1])
    assert done.stdout.split() == [str(made), "False"]


def test_fused_model_falls_back_to_the_shipped_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from pipeline.ocr import fuse

    source = tmp_path / "tiny.onnx"
    source.write_bytes(b"not an onnx model")
    assert fuse.fused_model(source, tmp_path / "cache") == source, "the real rewrite fails on junk"
    assert not list((tmp_path / "cache" / "models").glob("*.onnx")), "no half-written model is left"

    def broken(src: Path, target: Path) -> dict[str, int]:
        raise ImportError("No module named 'onnx'")

    monkeypatch.setattr(fuse, "fuse_model", broken)
    assert fuse.fused_model(source, tmp_path / "cache") == source
    blocked = tmp_path / "file"
    blocked.write_text("a file where the cache folder should be")
    assert fuse.fused_model(source, blocked) == source


@pytest.mark.slow
def test_fused_engine_reads_a_page_as_the_float_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from pipeline.ocr import RapidOcrEngine, get_engine, rapid
    from pipeline.ocr.rapid import session_options

    monkeypatch.setattr(rapid, "_MODELS", {})  # models loaded anew here, as in a fresh worker

    page = _long_line_page()
    fused = RapidOcrEngine(fused=True, model_dir=tmp_path)
    words = fused.read_region(page, dpi=150)
    assert [w.text for w in words] == [w.text for w in RapidOcrEngine().read_region(page, dpi=150)]
    assert "合同额3560.5万元" in "".join(w.text for w in words)
    assert len(list((tmp_path / "models").glob("*-fused*.onnx"))) == 2, "det and rec, written once into the cache"
    assert fused.params() != RapidOcrEngine().params(), "the OCR cache key tells fused from float"
    assert all(o.intra_op_num_threads == 1 for o in session_options(fused=True, cache_dir=tmp_path))
    assert rapid._model(1280, True, tmp_path / "elsewhere") is rapid._model(1280, True, tmp_path), "one set per process"
    assert Settings().rapid_fused
    engine = get_engine(Settings(cache_dir=tmp_path), cached=False)
    assert isinstance(engine, RapidOcrEngine) and engine.fused and engine.model_dir == tmp_path


@pytest.mark.slow
def test_a_damaged_fused_model_means_the_shipped_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from pipeline.ocr import RapidOcrEngine, rapid

    junk = tmp_path / "junk.onnx"
    junk.write_bytes(b"half a model")
    monkeypatch.setattr(rapid, "fused_model", lambda source, cache_dir: junk)
    monkeypatch.setattr(rapid, "_MODELS", {})
    model = rapid._model(1280, True, tmp_path)
    from pipeline.ocr.weights import detector, recogniser

    paths = [model.text_det.infer.session._model_path, model.text_rec.session.session._model_path]
    assert [Path(p) for p in paths] == [detector(DEFAULT_DET).path, recogniser(DEFAULT_REC).path]
    words = RapidOcrEngine(fused=True, model_dir=tmp_path).read_region(_long_line_page(), dpi=150)
    assert "合同额3560.5万元" in "".join(w.text for w in words)


def test_the_cache_key_changes_with_the_code_that_makes_the_words(monkeypatch: pytest.MonkeyPatch) -> None:
    """A change in joining glyphs into words must miss the cache, without anyone bumping a version."""
    from pipeline.ocr import cache

    engine = cache.CachedEngine(CountingEngine(), Path("/nonexistent"))
    image = np.zeros((10, 10), np.uint8)
    before = engine.key(image, None, 150.0, (), None)
    monkeypatch.setattr(cache, "WORDS_CODE", "another join.py")
    assert engine.key(image, None, 150.0, (), None) != before
    assert cache._code_digest("pipeline.ocr.join") != cache._code_digest("pipeline.ocr.base")


def test_the_registry_gives_one_engine_per_choice_in_a_process(tmp_path: Path) -> None:
    from pipeline.ocr import get_engine

    settings = Settings(cache_dir=tmp_path)
    assert get_engine(settings) is get_engine(settings)
    assert get_engine(settings, "tesseract") is get_engine(Settings(cache_dir=tmp_path), "tesseract")
    assert get_engine(settings, "tesseract") is not get_engine(settings, "rapidocr")
    assert get_engine(settings, cached=False) is not get_engine(settings)
    assert get_engine(Settings(cache_dir=tmp_path, dpi=300)) is not get_engine(settings)


@pytest.mark.skipif(shutil.which("tesseract") is None, reason="needs tesseract")
def test_orientation_by_tesseract_osd_goes_through_the_engine(tmp_path: Path) -> None:
    from bench.synth import BASIC_INFO_TABLE, draw_page, scan
    from pipeline.ocr import get_engine
    from pipeline.preprocess import to_grey

    page = scan(draw_page(150, table=BASIC_INFO_TABLE), rotation=180, seed=2)
    engine = get_engine(Settings(cache_dir=tmp_path), "tesseract")
    assert engine.orientation(to_grey(np.asarray(page.image))).rotation == 180
    blank = engine.orientation(np.full((400, 300), 255, np.uint8))
    assert (blank.rotation, blank.confidence) == (0, 0.0)
    assert get_engine(Settings(cache_dir=tmp_path), "rapidocr").orientation(np.full((40, 40), 255, np.uint8)) is None


def test_block_detector_scale_is_in_the_key_of_block_reads_only(tmp_path: Path) -> None:
    """The crop detector's scale keys block reads; page and line reads keep their keys (cached pages stay valid)."""
    from pipeline.ocr import RapidOcrEngine

    cached = CachedEngine(RapidOcrEngine(), tmp_path)
    image = np.full((120, 400), 255, np.uint8)
    plain = CachedEngine(CountingEngine(), tmp_path)
    for mode in ("page", "line"):
        assert RapidOcrEngine().mode_params(mode) == {}  # type: ignore[arg-type]
    assert RapidOcrEngine().mode_params("block")
    page_key = cached.key(image, None, 150.0, (), "page")
    block_key = cached.key(image, (0, 0, 400, 120), 150.0, (), "block")
    assert page_key != block_key
    assert plain.key(image, None, 150.0, (), "page") != page_key, "the engine's own params still count"


@pytest.mark.slow
def test_small_block_is_detected_at_a_capped_scale_and_still_read(monkeypatch: pytest.MonkeyPatch) -> None:
    """A cell-sized block is not blown up to the detector's 736 px short side, and its text is still read."""
    from rapidocr_onnxruntime.ch_ppocr_det import utils as det_utils

    from pipeline.ocr import RapidOcrEngine
    from pipeline.ocr.rapid import BLOCK_DET_UPSCALE

    image = Image.new("L", (360, 70), 255)
    ImageDraw.Draw(image).text((12, 18), "合同额3560万元", font=cjk_font(26), fill=0)
    crop = np.asarray(image)
    sides: list[int] = []
    real_resize = det_utils.DetPreProcess.resize

    def recorded(self: det_utils.DetPreProcess, img: np.ndarray) -> np.ndarray | None:
        out = real_resize(self, img)
        if out is not None:
            sides.append(min(out.shape[:2]))
        return out

    monkeypatch.setattr(det_utils.DetPreProcess, "resize", recorded)
    # A cell, and crops stacked taller than the detector's page limit (reduced, they were enlarged all the more).
    tall = Image.new("L", (160, 1300), 255)
    for top in range(20, 1300, 130):
        ImageDraw.Draw(tall).text((12, top), "3560万元", font=cjk_font(26), fill=0)
    for block in (crop, np.asarray(tall)):
        sides.clear()
        words = RapidOcrEngine().read_region(block, (0, 0, block.shape[1], block.shape[0]), dpi=150, mode="block")
        assert sides and max(sides) <= BLOCK_DET_UPSCALE * min(block.shape) + 32
        assert "3560" in "".join(w.text for w in words)


# --- RapidOCR's character boxes and detector input, made cheaply (pipeline/ocr/word_boxes.py, rapid.py) ----


def _quads() -> list[list[list[int]]]:
    """Four-corner boxes of every kind `order_points` tells apart: diamonds, one vertical, two corners
    sharing x, and general ones, in any corner order, with ties."""
    rng = np.random.default_rng(11)
    quads = [[[5, 0], [10, 5], [5, 10], [0, 5]], [[3, 1], [3, 9], [3, 4], [3, 4]], [[0, 0], [4, 0], [2, 3], [2, -3]],
             [[0, 0], [8, 0], [8, 4], [0, 4]], [[8, 4], [0, 0], [0, 4], [8, 0]], [[2, 2], [2, 2], [2, 2], [2, 2]],
             [[0, 0], [6, 1], [6, 5], [0, 6]], [[1, 0], [1, 8], [5, 3], [-3, 3]]]
    for _ in range(400):
        quad = rng.integers(0, 6, (4, 2)).tolist()  # small range: many ties and corners on the mean
        quads.append(quad)
    return quads


def test_corners_are_ordered_as_rapidocr_orders_them() -> None:
    from rapidocr_onnxruntime.cal_rec_boxes import CalRecBoxes

    from pipeline.ocr.word_boxes import order_corners

    for quad in _quads():
        try:
            theirs = CalRecBoxes.order_points([list(p) for p in quad])
        except ValueError:  # RapidOCR's own function fails on such a quad: it is none a detector gives
            continue
        assert order_corners([list(p) for p in quad]) == theirs, quad


def test_character_boxes_are_rapidocr_s_for_level_turned_and_upright_lines() -> None:
    import copy

    from rapidocr_onnxruntime.cal_rec_boxes import CalRecBoxes

    from pipeline.ocr.word_boxes import character_boxes

    text = "合同额3560.5万元ab"
    info = [40, [["合"], ["同"], ["额"], list("3560.5"), ["万"], ["元"], list("ab")],
            [[2], [5], [8], [11, 13, 15, 17, 18, 20], [24], [27], [31, 33]],
            ["cn", "cn", "cn", "en&num", "cn", "cn", "en&num"], [0.9] * 14]
    lines = [np.array([[10, 20], [410, 20], [410, 52], [10, 52]], np.float32),  # level
             np.array([[12.4, 30.2], [408.8, 61.7], [406.1, 95.5], [9.9, 63.8]], np.float32),  # turned
             np.array([[50, 10], [82, 10], [82, 400], [50, 400]], np.float32)]  # upright: direction "h"
    crops = [np.zeros((32, 400, 3), np.uint8), np.zeros((33, 398, 3), np.uint8), np.zeros((32, 390, 3), np.uint8)]
    results = [(text, 0.9, copy.deepcopy(info)) for _ in lines]
    theirs = CalRecBoxes()(copy.deepcopy(crops), copy.deepcopy(lines), copy.deepcopy(results))
    ours = character_boxes(crops, lines, results)
    assert repr(ours) == repr(theirs)
    assert [[type(v) for box in line[2] for p in box for v in p] for line in ours] \
        == [[type(v) for box in line[2] for p in box for v in p] for line in theirs]
    assert np.array_equal(lines[1], np.array([[12.4, 30.2], [408.8, 61.7], [406.1, 95.5], [9.9, 63.8]], np.float32))


def test_detector_input_is_rapidocr_s_bit_for_bit() -> None:
    from rapidocr_onnxruntime.ch_ppocr_det.utils import DetPreProcess

    from pipeline.ocr.rapid import detector_input

    rng = np.random.default_rng(3)
    for image in (rng.integers(0, 256, (250, 180, 3), dtype=np.uint8), np.full((40, 700, 3), 255, np.uint8)):
        for preprocess in (DetPreProcess(736, "min", [0.5, 0.5, 0.5], [0.5, 0.5, 0.5]),
                           DetPreProcess(320, "max", [0.485, 0.456, 0.406], [0.229, 0.224, 0.225])):
            theirs, ours = preprocess(image), detector_input(preprocess, image)
            assert ours is not None and theirs is not None
            assert ours.dtype == theirs.dtype == np.float32 and ours.tobytes() == theirs.tobytes()
