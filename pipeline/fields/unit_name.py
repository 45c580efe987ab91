"""The applicant's name read twice: on the cover (申报单位) and in the form (牵头单位名称).

The notice's applicant is the consortium's lead unit, so the two places name one unit.  The
cover's line is often stamped over by that unit's seal, and a form cell may lose its end to a
wrapped line; where the two readings differ by a misreading (they are alike, not two units'
names), the better one is taken for both, and the provenance of each records the other reading
and the rule that picked (`resolved_by`).  Names that are not alike are left as read.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from rapidfuzz import fuzz

from models import BasicInfo, Cover, Provenance, Seal
from pipeline.names import ENDS_AS_UNIT, MIN_SEALS, garbled_reading_of, sealed_name
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
        origin = store.get(path)
        if origin is not None and was != chosen:
            store[path] = origin.model_copy(update={"alternatives": [was], "resolved_by": RULE})


SEALED = "APPLICANT_AS_SEALED"
# The slots the applicant stamps: every one but the recommending department's.
RECOMMENDER_SLOT = "cover_recommender"


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
    name = sealed_name(applicant, [seal.text for seal in seals if seal.slot and seal.slot != RECOMMENDER_SLOT])
    if name is None or not applicant:
        return
    _sealed(cover.provenance, APPLICANT, applicant)
    cover.value.applicant = name
    for seal in seals:
        if seal.text == applicant:
            seal.text = name  # a seal matched to the applicant carries its name as the form read it: now corrected
    lead = basic.value.lead_unit.name
    if lead and lead != name and (lead == applicant or garbled_reading_of(lead, name)):
        _sealed(basic.provenance, LEAD_NAME, lead)
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
        _sealed(basic.provenance, f"basic_info.members[{index}].name", member.name)
        member.name = near[0]


def _sealed(store: dict[str, Provenance], path: str, was: str) -> None:
    origin = store.get(path)
    if origin is not None:
        store[path] = origin.model_copy(update={"alternatives": [was], "resolved_by": SEALED})
