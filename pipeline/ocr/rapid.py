"""RapidOCR (PP-OCRv4 det/rec as ONNX): models ship inside the wheel, nothing is downloaded."""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

import cv2
import numpy as np

from pipeline.ocr.base import Mode, OcrEngine, OcrError
from pipeline.ocr.join import Glyph

os.environ["OMP_THREAD_LIMIT"] = "1"

# One model per process, loaded on first use: a worker pays the ~0.3 s load once.
_MODELS: dict[tuple[Any, ...], Any] = {}


def _model(det_side: int) -> Any:
    key = (det_side,)
    if key not in _MODELS:
        from rapidocr_onnxruntime import RapidOCR  # heavy import, only in processes that OCR

        _MODELS[key] = RapidOCR(
            intra_op_num_threads=1,
            inter_op_num_threads=1,
            max_side_len=det_side,
            use_cls=False,  # pages are turned upright before OCR; the classifier only costs time
        )
    return _MODELS[key]


def _bounds(points: Sequence[Sequence[float]]) -> tuple[float, float, float, float]:
    xs = [float(p[0]) for p in points]
    ys = [float(p[1]) for p in points]
    return min(xs), min(ys), max(xs), max(ys)


def _even_split(text: str, box: tuple[float, float, float, float], score: float) -> list[Glyph]:
    """Character boxes spread evenly over a line box, when the engine gave none."""
    chars = [c for c in text if not c.isspace()]
    if not chars:
        return []
    step = (box[2] - box[0]) / len(chars)
    return [Glyph(c, (box[0] + i * step, box[1], box[0] + (i + 1) * step, box[3]), score) for i, c in enumerate(chars)]


def result_to_lines(result: Sequence[Sequence[Any]] | None) -> list[list[Glyph]]:
    """RapidOCR's `[box, text, score, word_boxes, words, word_scores]` items as glyph lines."""
    lines: list[list[Glyph]] = []
    for item in result or []:
        box, text, score = _bounds(item[0]), str(item[1]), float(item[2])
        word_boxes = item[3] if len(item) > 5 else None
        if word_boxes and len(word_boxes) == len(item[4]):
            glyphs = [
                Glyph(str(word), _bounds(wbox), float(wscore))
                for wbox, word, wscore in zip(word_boxes, item[4], item[5], strict=True)
                if str(word).strip()
            ]
        else:
            glyphs = _even_split(text, box, score)
        if glyphs:
            lines.append(glyphs)
    return lines


class RapidOcrEngine(OcrEngine):
    """Detection + recognition for a page or block; a one-line strip is recognised without detection."""

    name = "rapidocr"

    def __init__(self, det_side: int = 1280) -> None:
        self.det_side = det_side

    def params(self) -> dict[str, object]:
        from importlib.metadata import version

        return {"det_side": self.det_side, "version": version("rapidocr-onnxruntime")}

    def recognise(self, image: np.ndarray, mode: Mode, dpi: float) -> list[list[Glyph]]:
        bgr = cv2.cvtColor(image, cv2.COLOR_GRAY2BGR) if image.ndim == 2 else image
        model = _model(self.det_side)
        try:
            if mode == "line":
                return self._recognise_strip(model, bgr)
            result, _ = model(bgr, return_word_box=True)
        except Exception as error:  # onnxruntime raises its own types; any failure is this image's
            raise OcrError(f"rapidocr failed: {error}") from error
        return result_to_lines(result)

    @staticmethod
    def _recognise_strip(model: Any, bgr: np.ndarray) -> list[list[Glyph]]:
        """A strip holding one line: recognition alone (detection adds time and misses tight crops)."""
        result, _ = model(bgr, use_det=False, use_cls=False)
        if not result:
            return []
        text, score = str(result[0][0]), float(result[0][1])
        height, width = bgr.shape[:2]
        glyphs = _even_split(text, (0.0, 0.0, float(width), float(height)), score)
        return [glyphs] if glyphs else []
