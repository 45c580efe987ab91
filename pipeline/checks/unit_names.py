"""Comparing units' names as printed, read by OCR, or written with another legal form."""

from __future__ import annotations

import re
import unicodedata

from rapidfuzz import fuzz
from rapidfuzz.distance import LCSseq

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


# Of a reading's characters, the share that are a unit's name's, in its order, for the reading to be that
# name with characters lost or misread rather than another unit's name.
GARBLED_SHARE = 0.85


def garbled_reading_of(reading: str, name: str) -> bool:
    """Whether `reading` is `name` read with characters lost or misread ("常事网络科技股份有限公司" for
    "常州旭嘉网络科技股份有限公司"): nearly all its characters are the name's, in order. Another unit's
    name shares the place and the legal form at most ("无锡盛云自动化有限公司" for "无锡宇旭涂料有限公司":
    6 of 11)."""
    text, unit = name_key(reading), name_key(name)
    return bool(text) and text != unit and LCSseq.similarity(text, unit) >= GARBLED_SHARE * len(text)
