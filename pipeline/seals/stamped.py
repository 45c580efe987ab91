"""A unit's seals named as they spell the unit's name, where the text's copy of it was garbled.

A unit stamps every page with one seal, so its seals spell its name alike. Where the page OCR garbled a
stretch of the name on the cover and in the basic-info table (a phone photo: "台州和智业技术股纷自限公司" for
"台州和智工业技术股份有限公司"), spotting still finds that name in its seals' strips, best of the package's
names, and every seal was named after the misreading. The strips themselves spell the name right: read where
the name aligns, they give the same sure characters on seal after seal.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from pipeline.seals.slots import PageSeal
from pipeline.seals.text import Match, cjk, slipped_spelling, stamped_spelling

# Seals that must agree on a spelling before it replaces the text's (one seal's sure misreading is not enough),
# and outnumber every other such spelling.
MIN_AGREEING = 2


def named_as_stamped(seals: Sequence[PageSeal]) -> None:
    """Rename each unit's seals after the spelling its seals agree on (`agreed_spelling`), each seal whose own
    strip spots that spelling at least as well as the text's (a seal too faint to tell keeps the text's)."""
    groups: dict[tuple[str, str], list[PageSeal]] = {}
    for seal in seals:
        if seal.match is not None and seal.match.owner != "other" and seal.reading is not None:
            groups.setdefault((seal.match.name, seal.match.owner), []).append(seal)
    for (name, _), group in groups.items():
        spelling = agreed_spelling(name, group)
        if spelling is None:
            continue
        for seal in group:
            assert seal.match is not None and seal.reading is not None
            if (seal.reading.spot(spelling) or 0.0) >= (seal.reading.spot(name) or 0.0):
                seal.match = Match(spelling, seal.match.owner, seal.match.score)


def agreed_spelling(name: str, group: Sequence[PageSeal]) -> str | None:
    """The spelling of `name` at least `MIN_AGREEING` of its seals read surely a few slips from it
    (`slipped_spelling`), more of them than read any other such spelling; None when there is none."""
    spellings = Counter(spelling for seal in group if seal.reading is not None
                        and (spelling := stamped_spelling(seal.reading, name, slipped_spelling)) is not None)
    if not spellings:
        return None
    (best, agreeing), *rest = spellings.most_common()
    if agreeing < MIN_AGREEING or any(count == agreeing for _, count in rest):
        return None
    return cjk(best)
