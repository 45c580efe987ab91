"""Registration authorities' names by their fixed structure: a place and a suffix every licence carries.

A business licence copied into a package is stamped by the authority that registered the company, and
the authority's name is a city and a fixed suffix set nationally (…市市场监督管理局, before 2018
…市工商行政管理局). The licence prints it once, under its own seal, where the page's OCR often slips
(唐山市市场验督管理局, 兰州市市场监智管运局) or loses it; the seal's own reading then has no candidate to be
named by. The city is printed elsewhere in the document (the units' names, addresses), so the authority's
name can be put together from what the document says, and the seal's reading decides which, if any, it is.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Iterable

from rapidfuzz.distance import LCSseq, Levenshtein

# The registration authority's name after its city, as every business licence prints it (the national
# administration's name since 2018, and the one before it on older licences).
AUTHORITY_SUFFIXES = ("市场监督管理局", "工商行政管理局")
# Characters a suffix read in the text may be misread by and still be that suffix.
MAX_SUFFIX_SLIPS = 2
# A city's name as it leads a unit's name or stands before 市 in the text (乌鲁木齐 or 石家庄 are then
# found by their last two characters, and `text.whole_as_stamped` puts the rest back from the seal).
PLACE_CHARS = 2
# The most places the document names to build authorities from (the most often named first).
MAX_PLACES = 30
# A place not leading a unit's name must be named this often: two characters before 市 are also 建有 in
# 建有市级…, and each such "place" is one more name a poor reading may fit.
MIN_PLACE_MENTIONS = 2

_CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")
# A city named in running text: two characters before 市, not the authority's own name (市市场…).
_CITY = re.compile(r"(?=([\u4e00-\u9fff]{2})市(?!市场|场))")
# Not a city: a province, district or county, 市场 itself, or the nation (中国科学院…, 中国信息通信研究院 lead with
# its name; no licence is issued by a 中国市…).
_NOT_A_PLACE = re.compile(r"[市省区县场国]")


def places(texts: Iterable[str], names: Iterable[str], units: Iterable[str] = ()) -> list[str]:
    """Cities the document names: before 市 in its text and at the start of its organisations' names,
    the most often named first; a place that leads no unit's name (`units`: the licences are theirs)
    must be named `MIN_PLACE_MENTIONS` times. Authorities' own names are left out (the place in a
    misread one would vouch for itself)."""
    counts: Counter[str] = Counter()
    for text in texts:
        for run in _CJK_RUN.findall(text):
            counts.update(hit.group(1) for hit in _CITY.finditer(run))
    for name in names:
        if (place := _leading_place(name)) is not None:
            counts[place] += 1
    leading = {_leading_place(unit) for unit in units}
    ranked = [place for place, count in counts.most_common()
              if not _NOT_A_PLACE.search(place) and (count >= MIN_PLACE_MENTIONS or place in leading)]
    return ranked[:MAX_PLACES]


def _leading_place(name: str) -> str | None:
    run = "".join(_CJK_RUN.findall(name))
    return run[:PLACE_CHARS] if len(run) > PLACE_CHARS and as_authority(run) is None else None


def authority_names(texts: Iterable[str], names: Iterable[str], units: Iterable[str] = ()) -> list[str]:
    """The registration authorities the document's cities would have (苏州 -> 苏州市市场监督管理局 …)."""
    return [place + "市" + suffix for place in places(texts, names, units) for suffix in AUTHORITY_SUFFIXES]


def as_authority(name: str) -> str | None:
    """`name` with its authority's suffix spelt right, when it ends in one read with a slip or two
    (唐山市市场验督管理局 -> 唐山市市场监督管理局); None when it names no registration authority."""
    text = "".join(_CJK_RUN.findall(name))
    best: tuple[int, str] | None = None
    for suffix in AUTHORITY_SUFFIXES:
        for cut in range(len(suffix) - MAX_SUFFIX_SLIPS, len(suffix) + MAX_SUFFIX_SLIPS + 1):
            if cut >= len(text) or not text.endswith(suffix[-1]):
                continue
            slips = Levenshtein.distance(text[-cut:], suffix)
            if slips <= MAX_SUFFIX_SLIPS and (best is None or slips < best[0]):
                best = (slips, text[:-cut] + suffix)
    return best[1] if best else None


@functools.lru_cache(maxsize=4096)  # asked of every reading against every candidate
def city_of(name: str) -> str | None:
    """The city an authority's name (its suffix read with a slip or two) is of: 宁波 of 宁波市市场监督管理局."""
    authority = as_authority(name)
    for suffix in AUTHORITY_SUFFIXES:
        if authority is not None and authority.endswith("市" + suffix):
            return authority[: -len(suffix) - 1] or None
    return None


def another_city(reading: str, name: str) -> bool:
    """Whether a seal read as `reading` is surely not the authority `name`: it reads an authority of a city
    (`PLACE_CHARS` or more) sharing no character with `name`'s. The suffix is every city's, so a reading of
    宁波市市场监督管理局 spots 浙江市…'s eight other characters well; its city is what tells them apart."""
    read, named = city_of(reading), city_of(name)
    return read is not None and named is not None and len(read) >= PLACE_CHARS \
        and LCSseq.similarity(read, named) == 0
