"""Second opinions: words the page engine was unsure of, read again by another engine.

Tesseract is quick on whole pages but misreads more characters than PP-OCR's recogniser
(docs/reading.md); its confidence is low exactly where it misreads.  Each uncertain word
(a cell, a run of characters on one line) is cropped with a margin and recognised as one
line by the second engine, whose reading replaces the first when it is more confident.
A page has few such words, so this costs a fraction of reading the page twice.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from models.page import Word
from pipeline.ocr.base import OcrEngine
from pipeline.ocr.join import tidy

MARGIN_X = 0.35  # of the word's height, each side: keeps the first and last strokes in the crop
MARGIN_Y = 0.2


def crop_box(word: Word, dpi: float, shape: tuple[int, ...]) -> tuple[int, int, int, int]:
    """The word's box in pixels with a margin, clamped to the image."""
    k = dpi / 72.0
    x0, top, x1, bottom = (v * k for v in word.bbox)
    height = bottom - top
    return (
        max(0, int(x0 - MARGIN_X * height)),
        max(0, int(top - MARGIN_Y * height)),
        min(shape[1], int(x1 + MARGIN_X * height + 1)),
        min(shape[0], int(bottom + MARGIN_Y * height + 1)),
    )


def reread(words: list[Word], image: np.ndarray, dpi: float, engine: OcrEngine, below: float) -> list[Word]:
    """`words` with those under `below` confidence replaced by `engine`'s more confident reading."""
    out: list[Word] = []
    for word in words:
        if word.confidence >= below:
            out.append(word)
            continue
        x0, y0, x1, y1 = crop_box(word, dpi, image.shape)
        crop = np.ascontiguousarray(image[y0:y1, x0:x1])
        if crop.size == 0:
            out.append(word)
            continue
        # The crop alone goes to the engine (and to its cache key): cheap to hash, and
        # the same cell on a re-run hits the cache.
        second = engine.read_region(crop, None, dpi=dpi, mode="line")
        text = tidy(" ".join(w.text for w in second))
        confidence = min((w.confidence for w in second), default=0.0)
        if text and confidence > word.confidence:
            out.append(replace(word, text=text, confidence=round(confidence, 4)))
        else:
            out.append(word)
    return out
