"""The applicant's name read twice: on the cover (申报单位) and in the form (牵头单位名称).

The notice's applicant is the consortium's lead unit, so the two places name one unit.  The
cover's line is often stamped over by that unit's seal, and a form cell may lose its end to a
wrapped line; where the two readings differ by a misreading (they are alike, not two units'
names), the better one is taken for both, and the provenance of each records the other reading
and the rule that picked (`resolved_by`).  Names that are not alike are left as read.
"""

from __future__ import annotations

import re

from rapidfuzz import fuzz

from models import BasicInfo, Cover, Provenance
from pipeline.result import Extracted

APPLICANT = "cover.applicant"
LEAD_NAME = "basic_info.lead_unit.name"
RULE = "APPLICANT_IS_LEAD_UNIT"
# Two readings this alike (rapidfuzz ratio, 0..1) are one name misread; two units' names differ more
# (a place, a trade word and a legal form each).
ALIKE = 0.65
# How a unit's name ends: a reading cut short or run into its neighbour does not end so.
ENDS_AS_UNIT = re.compile(r"(?:公司|研究院|研究所|中心|大学|学院|协会|集团|实验室|联合会|商会|基地|园区|所|院|厂)$")


def _rank(name: str, origin: Provenance | None) -> tuple[bool, bool, float]:
    """Which reading to trust: one that ends as a unit's name, from a text layer, read more surely."""
    return (bool(ENDS_AS_UNIT.search(name)), origin is not None and origin.source == "text",
            origin.confidence if origin is not None and origin.confidence is not None else 0.0)


def agree_unit_name(cover: Extracted[Cover], basic: Extracted[BasicInfo]) -> None:
    """The cover's applicant and the form's lead unit made one reading where they are one name misread."""
    applicant, lead = cover.value.applicant, basic.value.lead_unit.name
    if not applicant or not lead or applicant == lead or fuzz.ratio(applicant, lead) / 100.0 < ALIKE:
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
