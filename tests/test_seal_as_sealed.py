"""The applicant's seals that named no unit, named after the applicant's name as its other seals read it where
the form's copy of the name is garbled (`stamped.unread_as_sealed`, `fields.sealed_name`)."""

from __future__ import annotations

import functools

import numpy as np

from pipeline.names import sealed_name
from pipeline.seals.find import SealUnits, _identify_as_sealed
from pipeline.seals.slots import PageSeal
from pipeline.seals.stamped import unread_as_sealed
from pipeline.seals.text import Reading

NAME = "株洲凯捷软件集团有限公司"
FORM = "株洲凯捷软件4公司"  # the form's reading: 集团有限 lost
MUDDIED = "株洲凯捷较弹囊团有限公司"  # a poorer strip: 软件集 misread, the name's characters second best
MEMBER = "株洲元卓服饰集团有限公司"
ALPHABET = ["blank", *sorted(set(NAME + FORM + MUDDIED + MEMBER))]


def _reading(read: str, second: str = "", sure: float = 0.95) -> Reading:
    """Posteriors saying `read` (one frame a character at `sure`, blanks between); where `second` differs, its
    character is the runner-up on that frame."""
    rows = []
    for index, char in enumerate(read):
        for frame in range(3):
            row = np.full(len(ALPHABET), 0.001, np.float32)
            if frame == 1:
                row[ALPHABET.index(char)] = sure
                if second and second[index] != char:
                    row[ALPHABET.index(second[index])] = 1.0 - sure
            else:
                row[0] = 0.95
            rows.append(row)
    return Reading(read, sure, np.array(rows), {c: i for i, c in enumerate(ALPHABET) if i})


def _seals() -> list[PageSeal]:
    clear = [PageSeal(page, (300, 300, 420, 420), "round", 1.0, _reading(NAME), None, slot)
             for page, slot in ((10, "appendix2_table1"), (11, "appendix2_table2"))]
    unread = PageSeal(14, (300, 300, 420, 420), "round", 1.0, _reading(MUDDIED, NAME, sure=0.6), None,
                      "appendix3_table2")
    return [*clear, unread]


def test_the_seals_clear_readings_outvote_the_forms_garbled_name() -> None:
    assert sealed_name(FORM, [("commitment", NAME), ("appendix2_table1", NAME), ("appendix2_table2", None)]) == NAME
    assert sealed_name(NAME, [("commitment", NAME), ("appendix2_table1", NAME)]) is None  # the form reads it right: nothing to put right
    assert sealed_name(FORM, [("commitment", NAME)]) is None  # one seal's reading is no agreement
    # the recommending department's seal names another unit: it is no vote for the applicant's name
    assert sealed_name(FORM, [("commitment", NAME), ("cover_recommender", NAME)]) is None


def test_an_unread_seal_is_named_after_the_name_its_fellows_read() -> None:
    units = SealUnits(lead=FORM, applicant=FORM, members=(MEMBER,))
    seals = _seals()
    assert unread_as_sealed(seals, FORM, functools.partial(_identify_as_sealed, units=units)) == NAME
    assert seals[2].match is not None and seals[2].match.name == NAME and seals[2].match.owner == "lead"


def test_nothing_is_renamed_where_the_form_reads_the_name_right_or_the_strip_names_another_unit() -> None:
    units = SealUnits(lead=NAME, applicant=NAME, members=(MEMBER,))
    seals = _seals()
    assert unread_as_sealed(seals, NAME, functools.partial(_identify_as_sealed, units=units)) is None
    assert seals[2].match is None
    units = SealUnits(lead=FORM, applicant=FORM, members=(MEMBER,))
    seals = _seals()
    seals[2].reading = _reading(MEMBER, sure=0.6)
    unread_as_sealed(seals, FORM, functools.partial(_identify_as_sealed, units=units))
    assert seals[2].match is None or seals[2].match.owner == "member"
