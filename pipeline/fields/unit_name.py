"""The applicant's name read twice: on the cover (申报单位) and in the form (牵头单位名称).

The notice's applicant is the consortium's lead unit, so the two places name one unit.  The
cover's line is often stamped over by that unit's seal, and a form cell may lose its end to a
wrapped line; where the two readings differ by a misreading (they are alike, not two units'
names), the better one is taken for both, and the provenance of each records the other reading
and the rule that picked (`resolved_by`).  Names that are not alike are left as read.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from models import BasicInfo, Cover, Provenance, Seal
from pipeline.names import ENDS_AS_UNIT, MIN_SEALS, RECOMMENDER_SLOT, garbled_reading_of, sealed_name
from pipeline.result import Extracted

APPLICANT = "cover.applicant"
LEAD_NAME = "basic_info.lead_unit.name"
RULE = "APPLICANT_IS_LEAD_UNIT"
# Two readings this alike (rapidfuzz ratio, 0..1) are one name misread; two units' names differ more
# (a place, a trade word and a legal form each).
ALIKE = 0.65


def _rank(name: str, origin: Provenance | None) -> tuple[bool, bool, float]:
    """Which reading to trust: one that ends as a unit's name, from a text layer, read more surely."""
    return (bool(ENDS_AS_UNIT.search(name)), origin is not None and origin.source == "text",
            origin.confidence if origin is not None and origin.confidence is not None else 0.0)


def _alike(one: str, other: str) -> bool:
    """Two readings of one name: alike whole, or the longer one, which does not end as a unit's name, alike
    over the shorter one's length (a faint rule let the name run on into the next label, misread past
    cutting: '宁波键航纹件股份有限公间债一共会信用花义' for 宁波捷航软件股份有限公司)."""
    if fuzz.ratio(one, other) / 100.0 >= ALIKE:
        return True
    shorter, longer = sorted((one, other), key=len)
    return (len(longer) > len(shorter) and not ENDS_AS_UNIT.search(longer)
            and fuzz.ratio(shorter, longer[:len(shorter)]) / 100.0 >= ALIKE)


def agree_unit_name(cover: Extracted[Cover], basic: Extracted[BasicInfo]) -> None:
    """The cover's applicant and the form's lead unit made one reading where they are one name misread."""
    applicant, lead = cover.value.applicant, basic.value.lead_unit.name
    if not applicant or not lead or applicant == lead or not _alike(applicant, lead):
        return
    cover_origin, lead_origin = cover.provenance.get(APPLICANT), basic.provenance.get(LEAD_NAME)
    if _rank(applicant, cover_origin) == _rank(lead, lead_origin):
        return  # nothing tells the readings apart: both stay as read
    chosen = max((applicant, lead), key=lambda name: _rank(name, cover_origin if name == applicant else lead_origin))
    cover.value.applicant = basic.value.lead_unit.name = chosen
    for store, path, was in ((cover.provenance, APPLICANT, applicant), (basic.provenance, LEAD_NAME, lead)):
        if was != chosen:
            _resolved(store, path, was, RULE)


SEALED = "APPLICANT_AS_SEALED"


def agree_with_seals(cover: Extracted[Cover], basic: Extracted[BasicInfo], seals: Sequence[Seal]) -> None:
    """The applicant's name as its own seals read it, where the form's reading is that name garbled.

    The applicant stamps the cover and every appendix with its one seal, and each seal is read on its own
    crop: a name that most of the applicant's read seals give, more of them than give the form's reading,
    at least MIN_SEALS, of which the form's reading is a garbled reading ('株洲凯捷软件4公司' of
    '株洲凯捷软件集团有限公司': nearly all its characters the name's, in order), is the applicant's name as
    printed; the lead unit's name too where it reads so, and the seals matched to the applicant by the
    form's reading (whose text is that reading) carry it. Another unit's seal in one slot (a true
    SEAL_NAME_MISMATCH) is never the most read.
    """
    applicant = cover.value.applicant
    name = sealed_name(applicant, [(seal.slot, seal.text) for seal in seals])
    if name is None or not applicant:
        return
    _resolved(cover.provenance, APPLICANT, applicant, SEALED)
    cover.value.applicant = name
    for seal in seals:
        if seal.text == applicant:
            seal.text = name  # a seal matched to the applicant carries its name as the form read it: now corrected
    lead = basic.value.lead_unit.name
    if lead and lead != name and (lead == applicant or garbled_reading_of(lead, name)):
        _resolved(basic.provenance, LEAD_NAME, lead, SEALED)
        basic.value.lead_unit.name = name


def agree_members_with_seals(basic: Extracted[BasicInfo], seals: Sequence[Seal]) -> None:
    """Each member's name as its own seals read it, where the form's reading is that name garbled.

    A consortium's members stamp the commitment and the agreement: a name MIN_SEALS seals or more read alike,
    the only such name of which the member's form reading is a garbled reading ('株洲手达智能科技有限公司' of
    '株洲华达智能科技有限公司'), and no other member's, is that member's name as printed."""
    readings = Counter(seal.text for seal in seals if seal.slot != RECOMMENDER_SLOT and seal.text)
    names = [member.name for member in basic.value.members]
    for index, member in enumerate(basic.value.members):
        if not member.name or readings.get(member.name, 0) >= MIN_SEALS:
            continue
        near = [name for name, count in readings.items() if count >= MIN_SEALS and name not in names
                and ENDS_AS_UNIT.search(name) and garbled_reading_of(member.name, name)]
        if len(near) != 1 or any(garbled_reading_of(other, near[0]) for other in names if other != member.name):
            continue
        _resolved(basic.provenance, f"basic_info.members[{index}].name", member.name, SEALED)
        member.name = near[0]


WRITTEN = "APPLICANT_AS_WRITTEN"
MIN_WRITTEN = 2  # places in the package's text that write one name alike: one is a reading, two agree
NAME_SLACK = 2  # characters a misread name may have lost or gained against the name as written
# How a unit's name ends as printed, its legal form whole: a reading ending otherwise ('…支术有农公司', '…股纷自限
# 公司', '…有限公司加蓄申数') was misread or ran on.
WHOLE_ENDING = re.compile(r"(?:有限公司|有限责任公司|研究院|研究所|中心|大学|学院|协会|集团|实验室|联合会|商会|基地|园区)$")
_UNIT_END = re.compile(ENDS_AS_UNIT.pattern.removesuffix("$"))  # a unit's name ending anywhere in a text


def name_slips(reading: str) -> int:
    """Characters a reading of a unit's name may have misread and still be that name: one in four, one to
    three. Two units' names differ in their trade words at least ('无锡盛云自动化' · '无锡宇旭涂料': five)."""
    return max(1, min(3, len(reading) // 4))


def _unit_base(reading: str) -> str:
    """The reading, or where it does not end as a unit's name ('…有限公司加蓄申数': a note run on, misread), its
    longest start that does."""
    if ENDS_AS_UNIT.search(reading):
        return reading
    ends = [end for end in range(len(reading) - 1, 3, -1) if ENDS_AS_UNIT.search(reading[:end])]
    return reading[:ends[0]] if ends else reading


def written_names(reading: str, texts: Sequence[str]) -> Counter[str]:
    """How often each name the reading may be is written in the texts: at each place a unit's name may end, the
    span of the reading's length give or take NAME_SLACK nearest it, where within `name_slips` of it (or of its
    start that ends as a unit's name, where the reading ran on past it)."""
    base = _unit_base(reading)
    slips = name_slips(base)
    found: Counter[str] = Counter()
    for text in texts:
        for match in _UNIT_END.finditer(text):
            # One span a place: the nearest the reading (its own length on a tie), not every start around it.
            spans = [(Levenshtein.distance(span, base), abs(size - len(base)), span)
                     for size in range(len(base) - NAME_SLACK, len(base) + NAME_SLACK + 1)
                     if len(span := text[max(0, match.end() - size):match.end()]) == size]
            near = min(spans, default=None)
            if near is not None and near[0] <= slips:
                found[near[2]] += 1
    return found


def agree_with_text(cover: Extracted[Cover], basic: Extracted[BasicInfo], texts: Sequence[str]) -> None:
    """The applicant's name as the package's own text writes it, where the cover's reading, not ending whole
    (`WHOLE_ENDING`), is that name misread. The plan and the commitment name the applicant in print, each read
    on its own line: a name written alike in MIN_WRITTEN places or more, more often than the reading itself
    beyond its own two places, the nearest such name, within the reading's slips, and no member's name, is the applicant's name as printed ('杭州汇信信息支术有农公司' of
    杭州汇信信息技术有限公司); the lead unit's name too where it read alike."""
    applicant = cover.value.applicant
    origin = cover.provenance.get(APPLICANT)
    if not applicant or origin is None or origin.source != "ocr" or WHOLE_ENDING.search(applicant):
        # A text layer's name is the name as printed; a reading that ends whole may be right where the text
        # writes only a partner's name alike ('杭州宏弘工业互联网有限公司' · 杭州顺辰工业互联网有限公司).
        return
    squeezed = ["".join(text.split()) for text in texts]
    lead = basic.value.lead_unit.name
    readings = {applicant, lead}  # the readings' own places, the cover's line and the form's cell, are no witness
    written = Counter({span: count for span, count in written_names(applicant, squeezed).items() if span not in readings})
    name, count = _most_written(applicant, written)
    elsewhere = sum(text.count(applicant) for text in squeezed) - 1 - (lead == applicant)
    members = [member.name for member in basic.value.members if member.name]
    if (name is None or count < MIN_WRITTEN or count <= elsewhere or not ENDS_AS_UNIT.search(name)
            or any(Levenshtein.distance(member, name) <= name_slips(name) for member in members)):
        return
    _resolved(cover.provenance, APPLICANT, applicant, WRITTEN)
    cover.value.applicant = name
    if lead and lead != name and Levenshtein.distance(_unit_base(lead), name) <= name_slips(name):
        _resolved(basic.provenance, LEAD_NAME, lead, WRITTEN)
        basic.value.lead_unit.name = name


def _most_written(reading: str, counts: Counter[str]) -> tuple[str | None, int]:
    """Of the names written MIN_WRITTEN times or more, the one nearest the reading, where no other is as near:
    units named on one pattern differ in their trade words only ('杭州宏弘工业互联网' · '杭州顺辰工业互联网'), so
    a misread name is nearer its own name than the others'."""
    base = _unit_base(reading)
    written = sorted((Levenshtein.distance(name, base), name) for name, count in counts.items() if count >= MIN_WRITTEN)
    if not written or (len(written) > 1 and written[0][0] == written[1][0]):
        return None, 0
    return written[0][1], counts[written[0][1]]


def _resolved(store: dict[str, Provenance], path: str, was: str, rule: str) -> None:
    """The provenance at `path` records the reading `was` as the other reading, and `rule` as what chose."""
    origin = store.get(path)
    if origin is not None:
        store[path] = origin.model_copy(update={"alternatives": [was], "resolved_by": rule})
