"""The one OCR engine interface: an image (or a region of it) in, engine-neutral words in points out."""

from __future__ import annotations

import abc
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from models.page import Line, Word
from pipeline.errors import DtpcError
from pipeline.ocr.join import Glyph, join_lines
from pipeline.ocr.orient import Orientation

BoxPx = tuple[int, int, int, int]  # x0, top, x1, bottom in pixels of the image given
Mode = Literal["page", "block", "line"]


class OcrError(DtpcError, RuntimeError):
    """The engine failed on this image (timeout, crash, unreadable output): data, not a crash."""


@dataclass(frozen=True)
class LinePosteriors:
    """What a CTC line recogniser saw in a one-line strip: per frame, the probability of each class.

    For callers that score known words against the strip (keyword spotting) rather than take
    the best reading: `frames` is (frames x classes) with class 0 the CTC blank, `characters`
    the character of each class (index 0 a placeholder for the blank).
    """

    frames: np.ndarray = field(repr=False, compare=False)
    characters: tuple[str, ...] = field(repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.frames.ndim != 2 or self.frames.shape[1] != len(self.characters):
            raise OcrError(f"posteriors {self.frames.shape} do not fit {len(self.characters)} classes")


class OcrEngine(abc.ABC):
    """Subclasses recognise glyph lines in a crop; this base class crops, offsets, scales and joins."""

    name: str = "engine"

    @abc.abstractmethod
    def params(self) -> dict[str, object]:
        """Everything that changes the result (language, model, mode): part of the cache key."""

    @abc.abstractmethod
    def recognise(self, image: np.ndarray, mode: Mode, dpi: float) -> list[list[Glyph]]:
        """Glyph lines in the pixel frame of `image` (grey or BGR uint8) at `dpi`.

        `mode` is "page" for a whole page (layout analysis needed), "block" for a region
        such as a table cell, "line" for a strip holding one line of text.
        """

    def line_posteriors(self, strip: np.ndarray) -> LinePosteriors | None:
        """The recogniser's frame posteriors for `strip` (one line of text, grey or BGR uint8), or None
        from an engine that has none (Tesseract). Raises OcrError when the engine fails on it."""
        return None

    def orientation(self, grey: np.ndarray) -> Orientation | None:
        """The page's rotation by the engine's own detector (Tesseract's OSD), or None from an
        engine that has none; failures read as 'unknown' (0, 0.0)."""
        return None

    def read_region(
        self,
        image: np.ndarray,
        box_px: BoxPx | None = None,
        *,
        dpi: float = 72.0,
        separators: Sequence[Line] = (),
        mode: Mode | None = None,
    ) -> list[Word]:
        """Words in `image` (or only inside `box_px`), boxes in points of the whole image at `dpi`.

        `separators` are vertical ruling lines in points; words never run across them.
        `mode` defaults to "page" for the whole image, else "line" or "block" by the crop's shape.
        """
        crop, (dx, dy) = crop_region(image, box_px)
        if crop.size == 0:
            return []
        lines = self.recognise(crop, mode or guess_mode(crop, box_px, dpi), dpi)
        scale = 72.0 / dpi
        shifted = [
            [Glyph(g.text, (g.box[0] + dx, g.box[1] + dy, g.box[2] + dx, g.box[3] + dy), g.confidence) for g in line]
            for line in lines
        ]
        # Glyphs are still in pixels here; bring the rules (points) to them, not the other way.
        rules_px = [Line(r.x0 / scale, r.top / scale, r.x1 / scale, r.bottom / scale) for r in separators]
        return join_lines(shifted, scale=scale, source="ocr", separators=rules_px)


def crop_region(image: np.ndarray, box_px: BoxPx | None) -> tuple[np.ndarray, tuple[int, int]]:
    """The crop (clamped to the image) and its offset; the whole image when `box_px` is None."""
    if box_px is None:
        return image, (0, 0)
    height, width = image.shape[:2]
    x0, y0 = max(0, int(box_px[0])), max(0, int(box_px[1]))
    x1, y1 = min(width, int(box_px[2])), min(height, int(box_px[3]))
    return image[y0:y1, x0:x1], (x0, y0)


def guess_mode(crop: np.ndarray, box_px: BoxPx | None, dpi: float) -> Mode:
    """"page" for a whole image; "line" for a strip less than ~1.6 lines of 12 pt text high."""
    if box_px is None:
        return "page"
    height_px, width_px = crop.shape[:2]
    line_px = 12 * 1.6 * dpi / 72.0
    return "line" if height_px < 1.6 * line_px and width_px > height_px else "block"
