"""A seal in a slot only the lead stamps, named by the reading of it that names the lead best (round 25): the kept
reading is the one the seal's separations agreed on, not the one the lead's name fits; the slot, known only once
every seal is read, decides among the readings an unnamed seal keeps for it."""

from __future__ import annotations

import functools

from pipeline.seals.find import SealUnits, _lead_in_its_slot, _lead_slot_match
from pipeline.seals.read import _best_in_lead_slot
from pipeline.seals.slots import PageSeal
from pipeline.seals.text import Reading
from tests.test_seal_names20 import LEAD, MEMBER, _reading

UNITS = SealUnits(lead=LEAD, applicant=LEAD, members=(MEMBER,))
KEPT = _reading("有限公司", [LEAD, MEMBER], sure=0.7)  # the legal form alone: no one's
LEADS = _reading("国台州工亚互联网有限公", [LEAD, MEMBER], sure=0.7)  # neither's own characters: a lead's slot's


def _seal(slot: str | None, in_lead_slot: Reading | None = LEADS) -> PageSeal:
    return PageSeal(12, (0, 0, 100, 100), "round", 1.0, KEPT, None, slot, in_lead_slot=in_lead_slot)


def test_of_an_unnamed_seals_readings_the_one_naming_the_lead_in_its_slot_is_kept() -> None:
    lead_slot = functools.partial(_lead_slot_match, units=UNITS)
    assert lead_slot(KEPT) is None
    assert _best_in_lead_slot([KEPT, None, LEADS], lead_slot) is LEADS
    assert _best_in_lead_slot([KEPT], lead_slot) is None
    assert _best_in_lead_slot([KEPT, LEADS], None) is None  # not asked for


def test_a_seal_in_the_leads_slot_is_named_by_its_reading_kept_for_it() -> None:
    seals = [_seal("appendix2_table1"), _seal(None), _seal("appendix3_table2", None)]
    _lead_in_its_slot(seals, UNITS)
    assert seals[0].match is not None and (seals[0].match.name, seals[0].match.owner) == (LEAD, "lead")
    assert seals[0].reading is LEADS
    assert seals[1].match is None and seals[1].reading is KEPT  # no slot: a member's line, say
    assert seals[2].match is None and seals[2].reading is KEPT  # no reading named the lead


def test_a_reading_kept_for_the_slot_that_reads_a_member_clearly_names_no_one() -> None:
    member = _seal("appendix2_table1", _reading(MEMBER, [LEAD]))
    _lead_in_its_slot([member], UNITS)
    assert member.match is None and member.reading is KEPT
