"""Comparing units' names as printed, read by OCR, or written with another legal form; a leaf module (the
checks, the fields and the seal stage all compare names, and the seal stage must not import the other two)."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Sequence

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


def garbled_ring_reading_of(reading: str, name: str) -> bool:
    """Whether a seal's `reading` is `name` garbled (`garbled_reading_of`) as its ring's lettering was read from
    some other point of the circle: a ring has no first character, and a reader that began inside the name runs
    on past its end to its start ('有限公司直州集团' for 台州卓正数字科技集团有限公司, dev40 a03's cover seal)."""
    unit = name_key(name)
    return any(garbled_reading_of(reading, unit[start:] + unit[:start]) for start in range(len(unit)))


# How a unit's name ends: a reading cut short or run into its neighbour does not end so.
ENDS_AS_UNIT = re.compile(r"(?:公司|研究院|研究所|中心|大学|学院|协会|集团|实验室|联合会|商会|基地|园区|所|院|厂)$")
MIN_SEALS = 2  # seals reading one name alike, each on its own crop: one is a reading, two agree


# The slot the recommending department stamps: every other slot is the applicant's.
RECOMMENDER_SLOT = "cover_recommender"


def sealed_name(applicant: str | None, stamps: Sequence[tuple[str | None, str | None]]) -> str | None:
    """The applicant's name as the texts of the seals in its slots give it (`stamps`: each seal's slot and text),
    where the form's reading `applicant` is that name garbled; None where the seals do not outvote it so."""
    readings = Counter(text for slot, text in stamps if slot and slot != RECOMMENDER_SLOT and text)
    if not readings or not applicant:
        return None
    name, count = readings.most_common(1)[0]
    if (count < MIN_SEALS or 2 * count < sum(readings.values()) or count <= readings.get(applicant, 0)
            or not ENDS_AS_UNIT.search(name) or not garbled_reading_of(applicant, name)):
        return None
    return name
