"""Tesseract reading several images in one run (`TesseractEngine.read_ahead`) gives each image the lines it
gives it alone: the second readings stack each page's crops and read the stacks of all pages in one run
(`verify.CropReader`), where each stack used to start a Tesseract of its own (~0.2 CPU-s each, most of a small
stack's reading)."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from pipeline.config import Settings
from pipeline.ocr import NUMBER_CHARS, get_engine
from pipeline.ocr.base import Mode, OcrError
from pipeline.ocr.cache import CachedEngine, read_ahead
from pipeline.ocr.tesseract import TesseractEngine
from tests.test_verify import SONG

pytestmark = pytest.mark.skipif(shutil.which("tesseract") is None, reason="needs tesseract")

TEXTS = ["制造业数字化转型促进中心", "注册资本 1,234.5 万元", "2023年5月", "", "联系人：张三 13800138000",
         "合计 362.00", "上海市浦东新区"]


def _image(text: str, size: int, seed: int, lines: int = 1) -> np.ndarray:
    """`text` printed in `lines` lines on a grey page with a little noise (an empty `text`: noise alone)."""
    rng = np.random.default_rng(seed)
    width, height = 40 + size * max(1, len(text)), 30 + lines * size * 2
    image = Image.new("L", (width, height), 235)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(SONG, size)
    for line in range(lines):
        if text:
            draw.text((20, 15 + line * size * 2), text, font=font, fill=int(rng.integers(0, 90)))
    pixels = np.array(image).astype(np.int16) + rng.integers(-12, 12, (height, width))
    return np.clip(pixels, 0, 255).astype(np.uint8)


def _requests() -> list[tuple[np.ndarray, Mode, float]]:
    requests: list[tuple[np.ndarray, Mode, float]] = []
    for index, text in enumerate(TEXTS):
        requests.append((_image(text, 24 + 4 * (index % 3), index), "block", 150.0))
        requests.append((_image(text, 30, 100 + index, lines=2), "block", 300.0))
    requests.append((_image(TEXTS[0], 28, 7), "line", 150.0))
    requests.append((_image(TEXTS[5], 32, 17), "line", 150.0))
    requests.append((_image(TEXTS[1], 48, 8, lines=3), "page", 400.0))  # shrunk to the page dpi first
    colour = np.dstack([_image(TEXTS[4], 26, 9)] * 3)
    requests.append((colour, "block", 150.0))
    return requests


@pytest.mark.parametrize("whitelist", [None, NUMBER_CHARS])
def test_read_ahead_gives_each_image_its_own_lines(whitelist: str | None) -> None:
    requests = _requests()
    alone = [TesseractEngine(whitelist=whitelist, binarise=whitelist is None).recognise(image, mode, dpi)
             for image, mode, dpi in requests]
    assert any(alone), "the images read as something"
    engine = TesseractEngine(whitelist=whitelist, binarise=whitelist is None)
    started: list[Path] = []
    run_tsv = engine.run_tsv

    def counted(image_path: Path, psm: int, timeout_s: float | None = None) -> str:
        started.append(image_path)
        return run_tsv(image_path, psm, timeout_s)

    engine.run_tsv = counted  # type: ignore[method-assign]
    engine.read_ahead(requests)
    assert len(started) == 2  # one run per page segmentation mode (block, line); the one page is left alone
    ahead = [engine.recognise(image, mode, dpi) for image, mode, dpi in requests]
    assert ahead == alone
    assert len(started) == 3  # the page, read alone when asked for
    assert not engine._ahead
    # The lines read ahead are handed out once: asked again, the image is read alone.
    assert engine.recognise(*requests[0]) == alone[0]
    assert len(started) == 4


def test_a_failed_run_reads_each_image_alone() -> None:
    requests = _requests()[:4]
    engine = TesseractEngine()
    alone = [engine.recognise(image, mode, dpi) for image, mode, dpi in requests]
    run_tsv = engine.run_tsv

    def failing_lists(image_path: Path, psm: int, timeout_s: float | None = None) -> str:
        if image_path.suffix == ".txt":
            raise OcrError("tesseract failed: a list")
        return run_tsv(image_path, psm, timeout_s)

    engine.run_tsv = failing_lists  # type: ignore[method-assign]
    engine.read_ahead(requests)
    assert not engine._ahead
    assert [engine.recognise(image, mode, dpi) for image, mode, dpi in requests] == alone


def test_the_cache_reads_ahead_only_what_it_does_not_hold(tmp_path: Path) -> None:
    settings = Settings(cache_dir=tmp_path)
    cached = get_engine(settings, "tesseract")
    assert isinstance(cached, CachedEngine) and isinstance(cached.engine, TesseractEngine)
    images = [_image(text, 28, index) for index, text in enumerate(TEXTS[:4])]
    boxes = [(0, 0, image.shape[1], image.shape[0]) for image in images]
    first = cached.read_region(images[0], boxes[0], dpi=150.0, mode="block")  # now in the cache
    read_ahead(cached, [(image, box, 150.0, "block") for image, box in zip(images, boxes, strict=True)])
    assert len(cached.engine._ahead) == 3
    words = [cached.read_region(image, box, dpi=150.0, mode="block") for image, box in zip(images, boxes, strict=True)]
    assert not cached.engine._ahead
    fresh = TesseractEngine()
    assert words == [fresh.read_region(image, box, dpi=150.0, mode="block")
                     for image, box in zip(images, boxes, strict=True)]
    assert words[0] == first


def test_reading_ahead_that_cannot_start_leaves_each_image_to_be_read_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    requests = _requests()[:3]
    engine = TesseractEngine()

    def no_folder(*args: object, **kwargs: object) -> None:
        raise OSError("no space left on device")

    monkeypatch.setattr("pipeline.ocr.tesseract.tempfile.TemporaryDirectory", no_folder)
    read_ahead(engine, [(image, None, dpi, mode) for image, mode, dpi in requests])  # logged, not raised
    assert not engine._ahead
