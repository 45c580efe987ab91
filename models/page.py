"""The pipeline's in-memory document: pages, words and the images they came from.

These are not part of the output contract; they are what stages hand each other.
Boxes are `(x0, top, x1, bottom)` in PDF points from the top-left corner of the
page as displayed after rotation correction, the same frame as the output.
Images live on disk (paths), not in these objects, so pages stay cheap to pass
between processes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from models.common import InputReason, PageFlattening

Box = tuple[float, float, float, float]
WordSource = Literal["text", "ocr"]


@dataclass(frozen=True)
class Word:
    """One word (for Chinese: a run of characters on one line) with its box and confidence 0..1."""

    text: str
    bbox: Box
    confidence: float = 1.0
    source: WordSource = "ocr"


@dataclass(frozen=True)
class Line:
    """A ruling line: horizontal when top == bottom, vertical when x0 == x1 (points)."""

    x0: float
    top: float
    x1: float
    bottom: float


@dataclass(frozen=True)
class EmbeddedImage:
    """An image placed on a text-layer page (an electronic seal, a pasted signature)."""

    bbox: Box
    path: Path | None = None


@dataclass(frozen=True)
class SealMark:
    """A seal that the seal detector found in a scanned page's pixels (`Page.image_path`, pixels).

    Detected once per page (`pipeline.seals.scan`) and read by every stage that needs to know
    where seals lie: the tables (to keep seal text out of cells) and the seal stage itself.
    """

    shape: Literal["round", "oval", "square", "unknown"]
    cx: float
    cy: float
    a: float  # semi-axes (round, oval) or half sides (square)
    b: float
    angle: float
    confidence: float
    source: Literal["red", "grey", "image"]
    coverage: float
    contrast: float


@dataclass
class Page:
    """One page after reading: its words, images and role.

    `image_path` is the upright, deskewed colour (or grey) page at `dpi`;
    `print_path` the same with red seal ink removed (grey, for OCR and tables);
    `seal_path` the red-ink mask (white = ink) kept for the seal stage.
    """

    number: int
    width: float
    height: float
    kind: Literal["scan", "text", "mixed"]
    words: list[Word] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)
    images: list[EmbeddedImage] = field(default_factory=list)
    rotation: Literal[0, 90, 180, 270] = 0
    skew_deg: float = 0.0
    dpi: float = 0.0
    image_path: Path | None = None
    print_path: Path | None = None
    seal_path: Path | None = None
    is_colour: bool = False
    role: str | None = None
    flattening: PageFlattening | None = None  # what flattening did before the page was read (scans only)
    error: str | None = None
    # The seals in this page's pixels; None until the first stage that needs them asks.
    seal_marks: tuple[SealMark, ...] | None = None
    # Whether the page's pixels carry no usable colour (seals told by tone, not red); None until asked.
    grey_pixels: bool | None = None

    @property
    def scale(self) -> float:
        """Pixels per PDF point in this page's images."""
        return self.dpi / 72.0 if self.dpi else 0.0

    @property
    def text(self) -> str:
        return "".join(word.text for word in self.words)


@dataclass
class Document:
    """A file after reading: its pages (in file order) and the file-level facts."""

    path: Path
    sha256: str
    pages: list[Page] = field(default_factory=list)
    error: str | None = None
    # Why the file could not be read, in one word (`pipeline.errors.InputReason`).
    error_reason: InputReason | None = None
    workdir: Path | None = None
