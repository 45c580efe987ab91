"""A unit's seals named as they spell the unit's name, where the text's copy of it was garbled.

A unit stamps every page with one seal, so its seals spell its name alike. Where the page OCR garbled a
stretch of the name on the cover and in the basic-info table (a phone photo: "台州和智业技术股纷自限公司" for
"台州和智工业技术股份有限公司"), spotting still finds that name in its seals' strips, best of the package's
names, and every seal was named after the misreading. The strips themselves spell the name right: read where
the name aligns, they give the same sure characters on seal after seal.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Sequence

from pipeline.names import sealed_name
from pipeline.seals.slots import PageSeal
from pipeline.seals.text import (
    MIN_SPOT_RATIO,
    Match,
    Owner,
    Reading,
    added_in_print,
    cjk,
    one_unit,
    put_back,
    slipped_spelling,
    spelling_of,
    stamped_legal_form,
    stamped_spelling,
)

# Seals that must agree on a spelling before it replaces the text's (one seal's sure misreading is not enough),
# and outnumber every other such spelling.
MIN_AGREEING = 2
# A spot this low or lower says only that the name is not there: the floor of a seal's vote for a spelling.
SPOT_FLOOR = 1e-4


def named_as_stamped(seals: Sequence[PageSeal]) -> None:
    """Rename each unit's seals after the spelling its seals agree on (`agreed_spelling`), each seal whose own
    strip spots that spelling at least as well as the text's (a seal too faint to tell keeps the text's)."""
    groups = _by_unit(seals)
    for (name, _), group in groups.items():
        spelling = agreed_spelling(name, group)
        if spelling is None:
            continue
        for seal in group:
            assert seal.match is not None and seal.reading is not None
            if (seal.reading.spot(spelling) or 0.0) >= (seal.reading.spot(name) or 0.0):
                seal.match = Match(spelling, seal.match.owner, seal.match.score)


def _by_unit(seals: Sequence[PageSeal]) -> dict[tuple[str, Owner], list[PageSeal]]:
    """The seals named after a unit of the package (read, not another organisation's), by the name and owner."""
    groups: dict[tuple[str, Owner], list[PageSeal]] = {}
    for seal in seals:
        if seal.match is not None and seal.match.owner != "other" and seal.reading is not None:
            groups.setdefault((seal.match.name, seal.match.owner), []).append(seal)
    return groups


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


def dropped_put_back(seals: Sequence[PageSeal], exact: Callable[[str], bool]) -> None:
    """Each unit's seals named with a character the page's OCR dropped from the unit's name put back, where its seals
    bear it out together (`text.put_back`: one of them reads it surely between two of the name's characters).

    A members table on a dithered scan read "泉州市智能造协会", and every seal of that member, spotting the name the
    text gave best, was named so, though its strips read 制 (one surely, at 0.95) and spot "泉州市智能制造协会" better
    (0.77 against 0.68, 0.45 against 0.25). The spelling put back is taken where at least `MIN_AGREEING` of the unit's
    seals spot it better than the text's, the product of its spots over them is higher, and it is no other unit's
    name; each seal spotting it at least as well takes it. A name the text layer prints (`exact`) is spelt right."""
    groups = _by_unit(seals)
    named = {cjk(name) for name, _ in groups}
    for (name, _), group in groups.items():
        offered = sorted({spelling for seal in group if seal.reading is not None
                          for spelling in put_back(seal.reading, name)} - named)
        if exact(name) or not offered:
            continue
        spots, best = _spots_and_best(group, name, offered)
        better = [spot for spot in spots if (spot[best] or 0.0) >= (spot[name] or 0.0)]
        if len(better) < MIN_AGREEING or _log_spots(spots, best) <= _log_spots(spots, name):
            continue
        for seal, spot in zip(group, spots, strict=True):
            if (spot[best] or 0.0) >= (spot[name] or 0.0) and seal.match is not None:
                seal.match = Match(best, seal.match.owner, seal.match.score)


def respelt_by_vote(seals: Sequence[PageSeal], exact: Callable[[str], bool],
                    candidates: Sequence[tuple[str, Owner]]) -> None:
    """Each unit's seals named as they vote to spell it, where the page's OCR added a character inside its name
    (`text.added_in_print`: the seal reads the characters either side of it a pitch apart).

    The members table read 杭州顺引弘精密机械股份有限公司, once, and its two seals were named so, though both read 顺弘
    with nothing between and spot 杭州顺弘… at 1.0 and 0.79 against 0.29 and 0.33. The spellings the unit's seals offer
    are voted on by every seal of the unit: the one with the highest product of spots is taken where more than half of
    the seals, and at least `MIN_AGREEING`, spot it better than the printed name and the product is higher. A spelling
    that is, or is a slip from, a name the package gives another unit or organisation (`candidates`, with whose each
    is) fits no one unit and is not offered; a name the text layer prints (`exact`) is spelt right. Each seal of the
    unit that spots the spelling not clearly worse than the printed one (within `MIN_SPOT_RATIO`: one unit, one
    stamp) takes it."""
    for (name, owner), group in _by_unit(seals).items():
        others = [other for other, whose in candidates if not _one_unit_named(other, whose, name, owner)]
        offered = sorted({spelling for seal in group if seal.reading is not None
                          and (spelling := added_in_print(seal.reading, name)) is not None
                          and not any(cjk(other) == spelling or spelling_of(other, spelling) for other in others)})
        if exact(name) or len(group) < MIN_AGREEING or not offered:
            continue
        spots, best = _spots_and_best(group, name, offered)
        better = sum((spot[best] or 0.0) > (spot[name] or 0.0) for spot in spots)
        if better < MIN_AGREEING or 2 * better <= len(spots) or _log_spots(spots, best) <= _log_spots(spots, name):
            continue
        for seal, spot in zip(group, spots, strict=True):
            if (spot[best] or 0.0) >= (spot[name] or 0.0) / MIN_SPOT_RATIO and seal.match is not None:
                seal.match = Match(best, seal.match.owner, seal.match.score)


def _one_unit_named(name: str, owner: Owner, other: str, other_owner: Owner) -> bool:
    """Whether two names the package gives are one unit's: one spelling, the lead's two (the cover's and the form's),
    or a spelling of a unit's name found in the text and given to that unit (`SealUnits._other_candidates`)."""
    return cjk(name) == cjk(other) or one_unit(owner, other_owner) or (owner == other_owner and spelling_of(name, other))


def _spots_and_best(group: Sequence[PageSeal], name: str,
                    offered: Sequence[str]) -> tuple[list[dict[str, float | None]], str]:
    """How each seal of a unit that has a reading spots `name` and each spelling `offered` instead, and the
    spelling whose spots over the seals multiply highest (`_log_spots`)."""
    spots = [dict(zip([name, *offered], seal.reading.spot_all([name, *offered]), strict=True))
             for seal in group if seal.reading is not None]
    return spots, max(offered, key=lambda spelling: _log_spots(spots, spelling))


def _log_spots(spots: Sequence[dict[str, float | None]], name: str) -> float:
    return sum(math.log(max(spot[name] or 0.0, SPOT_FLOOR)) for spot in spots)


def named_with_legal_form(seals: Sequence[PageSeal]) -> None:
    """Each unit's seals named with the legal form they agree in reading after its name, where the name as the
    form gives it lacks one (`text.stamped_legal_form`: "株洲凯捷软件集团" read on the cover, its seals reading
    "…集团有限公司" on page after page).

    Spotting scores per character, so the shorter name explains a strip about as well as the whole one and
    every seal was named after it. At least `MIN_AGREEING` seals must read the same completion, more of them
    than read any other; then each of the unit's seals that spots the whole name not clearly worse than the
    short one (within `MIN_SPOT_RATIO`: a unit stamps with one seal, so a fainter stamp of it bears the same
    name) takes it."""
    groups = _by_unit(seals)
    for (name, _), group in groups.items():
        wholes = Counter(whole for seal in group if seal.reading is not None
                         and (whole := stamped_legal_form(seal.reading, name)) is not None)
        if not wholes:
            continue
        (whole, agreeing), *rest = wholes.most_common()
        if agreeing < MIN_AGREEING or any(count == agreeing for _, count in rest):
            continue
        for seal in group:
            assert seal.match is not None and seal.reading is not None
            if (seal.reading.spot(whole) or 0.0) >= (seal.reading.spot(name) or 0.0) / MIN_SPOT_RATIO:
                seal.match = Match(whole, seal.match.owner, seal.match.score)


def lead_spelt_alike(seals: Sequence[PageSeal]) -> None:
    """The lead's seals named by one spelling of its name, the one its seals spot best together.

    A package has one lead and it stamps every page with one seal; where the text spells its name two ways a
    slip or two apart (`spelling_of`: the cover's 数字化 and a table's 数学化, each a reading of the name), each
    seal spotted the spelling its own strip favoured, often by a hair (a look-alike character on a blurred
    capture), and the package's seals came out split between them. Together they are one stamp's evidence: the
    spelling with the highest product of its spots over the lead's seals is taken by every seal of the lead that
    spots it not clearly worse than its own (`MIN_SPOT_RATIO`). Names farther apart (a cut-off form, another
    unit's) are left as spotted."""
    lead = [seal for seal in seals if seal.match is not None and seal.match.owner == "lead" and seal.reading is not None]
    named = {seal.match.name for seal in lead if seal.match is not None}
    names = sorted(name for name in named if any(other != name and spelling_of(other, name) for other in named))
    if len(names) < 2:
        return
    spots = {id(seal): dict(zip(names, seal.reading.spot_all(names), strict=True)) for seal in lead if seal.reading}
    best = max(names, key=lambda name: sum(math.log(max(spots[id(seal)][name] or 0.0, SPOT_FLOOR)) for seal in lead))
    for seal in lead:
        assert seal.match is not None
        own = seal.match.name
        if own != best and spelling_of(own, best) \
                and (spots[id(seal)][best] or 0.0) >= (spots[id(seal)][own] or 0.0) / MIN_SPOT_RATIO:
            seal.match = Match(best, seal.match.owner, seal.match.score)


def unread_as_sealed(seals: Sequence[PageSeal], applicant: str | None,
                     identify: Callable[[Reading, str], Match | None]) -> str | None:
    """The applicant's seals that named no unit, named after the applicant's name as its other seals read it.

    Where the form's copy of the name is garbled ('株洲凯捷软件4公司'), the seals whose strips read clearly
    spell it right on their own (`readable_name`) and outvote the form's reading (`fields.sealed_name`, as the
    fields take it after the seal stage); but each seal was spotted against the form's garbled name only, and
    a poorer strip ('株洲凯捷较弹囊团有限公司') matched nothing, though it spots the name as sealed at 0.5-0.65,
    twenty times its best rival. Each seal with no match is identified again (`identify`: the package's units,
    the applicant and the lead as sealed) and takes the name only where that clearly names it; returns the name,
    None where the seals do not give one."""
    name = sealed_name(applicant, [(seal.slot, seal.text) for seal in seals])
    if name is None:
        return None
    for seal in seals:
        if seal.match is None and seal.reading is not None:
            match = identify(seal.reading, name)
            if match is not None and match.owner == "lead" and cjk(match.name) == cjk(name):
                seal.match = match
    return name
