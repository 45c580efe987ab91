"""Run settings: one pydantic model, read from the environment (DTPC_*) or the CLI."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field


def _default_cache() -> Path:
    return Path(os.environ.get("DTPC_CACHE", Path.home() / ".cache" / "dtpc"))


class Settings(BaseModel):
    engine: Literal["tesseract", "rapidocr"] = "tesseract"
    dpi: int = Field(default=200, ge=72, le=600, description="rendering dpi for pages without a text layer")
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
    save_crops: bool = True
