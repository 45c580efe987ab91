"""Fuzzy matching of printed labels and column headers, tolerant to OCR errors.

Labels are compared after `squeeze` (NFKC, no spaces or punctuation), so "注册地（具体
到区县）" and "注册地(具体到区县)" are the same.  A label of three or more characters
may match with OCR errors (a partial alignment scoring at least `MIN_SCORE`); a label
of one or two characters must appear exactly, since one wrong character in two is
no longer evidence.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Sequence

from rapidfuzz import fuzz

MIN_SCORE = 0.78
_NOISE = re.compile(r"[\s\W_]+", re.UNICODE)


@functools.lru_cache(maxsize=2048)
def squeeze(text: str) -> str:
    """NFKC, lower case, without spaces, punctuation and template fillers.

    Kept for the last texts squeezed: a page's whole text is matched against every label of a kind
    (`is_form_page`, `is_cover_page`), and squeezing it again for each was a tenth of the fields stage."""
    return _NOISE.sub("", unicodedata.normalize("NFKC", text)).lower()


def label_score(text: str, label: str) -> float:
    """How well `label` appears inside `text` (0..1); 1.0 for an exact occurrence."""
    hay, needle = squeeze(text), squeeze(label)
    if not hay or not needle:
        return 0.0
    if needle in hay:
        return 1.0
    if len(needle) <= 2:
        return 0.0
    if len(hay) <= len(needle) + 2:
        # About the label's length: compare whole strings (a dropped or extra character costs little,
        # and a short text inside a long label, 名称 in 服务商名称, scores low).
        score = fuzz.ratio(needle, hay) / 100.0
    else:
        alignment = fuzz.partial_ratio_alignment(needle, hay)
        score = 0.0 if alignment is None else alignment.score / 100.0
    return max(score, MIN_SCORE) if score < MIN_SCORE and _one_substitution(needle, hay) else score


SUBSTITUTION_MIN = 4  # a label this long read with one character misread in its place is still the label


def holds_label(hay: str, needle: str) -> bool:
    """`hay` holds the squeezed label `needle` of `SUBSTITUTION_MIN` characters or more, exactly or with one
    character misread in its place: a label somewhere inside a longer text, without the fuzzy alignment's
    looser matches (which a value's own text may meet)."""
    return len(needle) >= SUBSTITUTION_MIN and (needle in hay or _one_substitution(needle, hay))


def _one_substitution(needle: str, hay: str) -> bool:
    """`hay` holds `needle` with one character read as another in its place ('合间编号' of 合同编号, a fax's
    dither): OCR's errors in CJK are mostly substitutions, and one in four characters scores under
    `MIN_SCORE` by ratio. Only labels of `SUBSTITUTION_MIN` characters or more: in three, one slip is a third."""
    return len(needle) >= SUBSTITUTION_MIN and _substituted(needle).search(hay) is not None


@functools.lru_cache(maxsize=512)
def _substituted(needle: str) -> re.Pattern[str]:
    """A pattern for `needle` with exactly one character replaced by another: one branch per place, the rest
    literal. The regular-expression engine scans a page's text for all places at once in C; comparing the
    needle at every start in Python took most of the time a page's text was matched against labels."""
    branches = (re.escape(needle[:i]) + "(?!" + re.escape(needle[i]) + ")." + re.escape(needle[i + 1:])
                for i in range(len(needle)))
    return re.compile("|".join(branches), re.DOTALL)


def best_label(text: str, labels: Sequence[str]) -> tuple[int, float]:
    """Index of the best-matching label and its score; (-1, 0.0) when none reaches MIN_SCORE.

    Ties go to the longer label: 解决方案 is inside 面向中小企业的“小快轻准”解决方案, and the
    text that matches both is the longer one.
    """
    best, key = -1, (0.0, 0)
    for index, label in enumerate(labels):
        candidate = (label_score(text, label), len(squeeze(label)))
        if candidate > key:
            best, key = index, candidate
    return (best, key[0]) if key[0] >= MIN_SCORE else (-1, 0.0)


def label_end(text: str, label: str) -> int | None:
    """Index in `text` just after the occurrence of `label` (fuzzy), or None.

    Used to read a value written in the same cell or line as its label
    ("成立时间：2016年3月18日").  Positions are mapped back through `squeeze`.
    """
    origin = [i for i, ch in enumerate(text) for _ in squeeze(ch)]  # hay index → text index
    hay = "".join(squeeze(ch) for ch in text)
    needle = squeeze(label)
    if not needle or not hay:
        return None
    start = hay.find(needle)
    if start >= 0:
        end = start + len(needle)
    elif len(needle) > 2:
        alignment = fuzz.partial_ratio_alignment(needle, hay)
        if alignment is None or alignment.score / 100.0 < MIN_SCORE:
            return None
        # OCR errors in CJK are mostly substitutions: the label keeps its length.
        end = max(alignment.dest_end, min(len(hay), alignment.dest_start + len(needle)))
    else:
        return None
    return origin[min(end, len(origin)) - 1] + 1 if end > 0 else 0


def closest_label(text: str, labels: Sequence[str], min_score: float = 0.6) -> int:
    """Index of the label most like the whole of `text` (a category cell), or -1.

    Unlike `best_label` this compares whole strings, so 面向中小企业的“小快轻准”解决方案 is not
    taken for 解决方案 just because it contains it.
    """
    hay = squeeze(text)
    if not hay:
        return -1
    scores = [fuzz.ratio(hay, squeeze(label)) / 100.0 for label in labels]
    best = max(range(len(labels)), key=lambda i: scores[i])
    return best if scores[best] >= min_score else -1
