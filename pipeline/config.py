"""Run settings: one pydantic model, read from the environment (DTPC_*) or the CLI."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field


def _default_cache() -> Path:
    return Path(os.environ.get("DTPC_CACHE", Path.home() / ".cache" / "dtpc"))


class Settings(BaseModel):
    # Measured on the sample corpus (docs/reading.md): RapidOCR at 150 dpi misreads about a
    # tenth as many characters as Tesseract at any dpi, at 1.7x Tesseract's time per page.
    engine: Literal["tesseract", "rapidocr"] = "rapidocr"
    dpi: int = Field(default=150, ge=72, le=600, description="rendering dpi for pages without a text layer")
    workers: int = Field(default_factory=lambda: max(1, os.cpu_count() or 1))
    cache_dir: Path | None = Field(default_factory=_default_cache)
    low_confidence: float = Field(default=0.6, ge=0.0, le=1.0, description="below this, LOW_CONFIDENCE")
    file_timeout_s: float = Field(default=600.0, description="a file taking longer is INPUT_UNREADABLE")
    page_timeout_s: float = Field(default=120.0)
    max_megapixels: float = 100.0
    tesseract_lang: str = Field(
        default="chi_sim", description="Tesseract languages; chi_sim+eng measured slower, no more accurate (docs/reading.md)"
    )
    orientation: Literal["own", "osd"] = Field(
        default="own", description="orientation detector: ours (line shapes + PP-OCR direction model) or Tesseract OSD"
    )
    reread_engine: Literal["rapidocr", "none"] = Field(
        default="rapidocr", description="second engine for words the page engine was unsure of (docs/reading.md)"
    )
    reread_below: float = Field(default=0.9, ge=0.0, le=1.0, description="page-OCR confidence below which a word is re-read")
    save_crops: bool = True
