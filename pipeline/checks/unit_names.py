"""Comparing units' names as printed, read by OCR, or written with another legal form."""

from __future__ import annotations

import re
import unicodedata

from rapidfuzz import fuzz

# Legal forms written in more than one way: the same company whichever way it is written.
_LEGAL_FORMS = (("有限责任公司", "有限公司"), ("股份有限公司", "股份公司"))
_NOISE = re.compile(r"[\s()（）〔〕\[\]【】·.,，、\"'“”]")


def name_key(name: str) -> str:
    """A unit's name for comparison: NFKC, no spaces, brackets or stops, one spelling of the legal form."""
    key = _NOISE.sub("", unicodedata.normalize("NFKC", name))
    for variant, canonical in _LEGAL_FORMS:
        key = key.replace(variant, canonical)
    return key


def name_score(a: str, b: str) -> float:
    """0–100: how alike two names are after `name_key` (100 = the same name)."""
    return float(fuzz.ratio(name_key(a), name_key(b)))
