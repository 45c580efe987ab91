"""OCR engines behind one interface (`OcrEngine.read_region`), plus the on-disk result cache."""

from __future__ import annotations

from pipeline.config import RecName, Settings
from pipeline.ocr.base import BoxPx, LinePosteriors, OcrEngine, OcrError
from pipeline.ocr.cache import CachedEngine
from pipeline.ocr.join import Glyph, join_line, join_lines, sort_words
from pipeline.ocr.rapid import RapidOcrEngine
from pipeline.ocr.tesseract import TesseractEngine

__all__ = [
    "BoxPx",
    "CachedEngine",
    "Glyph",
    "LinePosteriors",
    "OcrEngine",
    "OcrError",
    "RapidOcrEngine",
    "TesseractEngine",
    "get_engine",
    "get_number_engine",
    "join_line",
    "join_lines",
    "seal_engine",
    "sort_words",
]


# The registry: one engine per process for each choice, so models load once per process.
_ENGINES: dict[tuple[str, bool, str | None, str], OcrEngine] = {}


def get_engine(settings: Settings, name: str | None = None, cached: bool = True, rec: RecName | None = None) -> OcrEngine:
    """The engine named by `settings.engine` (or `name`), wrapped in the disk cache when one is set;
    `rec` chooses RapidOCR's recogniser instead of `settings.rapid_rec`. Every stage gets its
    engines here; the same choice in the same process is the same engine."""
    key = (name or settings.engine, cached, rec, settings.model_dump_json())
    if key not in _ENGINES:
        _ENGINES[key] = _new_engine(settings, name or settings.engine, cached, rec)
    return _ENGINES[key]


def _new_engine(settings: Settings, chosen: str, cached: bool, rec: RecName | None) -> OcrEngine:
    engine: OcrEngine
    if chosen == "tesseract":
        # Below the page limit, so a slow page ends as a clean OCR error before its worker is killed.
        engine = TesseractEngine(lang=settings.tesseract_lang, timeout_s=0.8 * settings.page_timeout_s)
    elif chosen == "rapidocr":
        engine = RapidOcrEngine(
            fused=settings.rapid_fused, model_dir=settings.cache_dir, det=settings.rapid_det,
            rec=rec or settings.rapid_rec
        )
    else:
        raise ValueError(f"unknown OCR engine {chosen!r}")
    if cached and settings.cache_dir is not None:
        return CachedEngine(engine, settings.cache_dir)
    return engine


# What a number's place can hold: digits, separators, and the units the form writes after them.
NUMBER_CHARS = "0123456789.,万元人次家个名项"
NUMBER_ENGINE = "tesseract-digits"


def get_number_engine(settings: Settings, cached: bool = True) -> OcrEngine:
    """Tesseract told to read only `NUMBER_CHARS`: a second reading of a number's cleaned crop
    (`pipeline.ocr.number_line`) that cannot wander into letters, through the same cache."""
    key = (NUMBER_ENGINE, cached, None, settings.model_dump_json())
    if key not in _ENGINES:
        engine: OcrEngine = TesseractEngine(lang=settings.tesseract_lang, timeout_s=0.8 * settings.page_timeout_s,
                                            binarise=False, whitelist=NUMBER_CHARS, name=NUMBER_ENGINE)
        _ENGINES[key] = CachedEngine(engine, settings.cache_dir) if cached and settings.cache_dir else engine
    return _ENGINES[key]


def seal_engine(settings: Settings, cached: bool = True) -> OcrEngine:
    """The engine that reads seal names: RapidOCR with `settings.seal_rec`, whose frame posteriors
    the unit names are spotted in (`pipeline.seals.text`), whatever engine reads the pages."""
    return get_engine(settings, "rapidocr", cached, rec=settings.seal_rec)
