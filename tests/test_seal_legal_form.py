"""A unit's seals named with the legal form they read after its name, where the form's copy of the name stops
short of it ("株洲凯捷软件集团" for "株洲凯捷软件集团有限公司")."""

from __future__ import annotations

import numpy as np

from pipeline.seals.slots import PageSeal
from pipeline.seals.stamped import named_with_legal_form
from pipeline.seals.text import Match, Reading, as_stamped, stamped_legal_form, with_legal_form

SHORT = "株洲凯捷软件集团"
WHOLE = "株洲凯捷软件集团有限公司"


def _reading(read: str, sure: float = 0.95, gap: int = 0) -> Reading:
    """Posteriors saying `read`, one character every four frames at `sure` (blanks between); `gap` blank frames
    after the eighth character (the ring's wide gap where its lettering ends)."""
    alphabet = ["blank", *sorted(set(read) | set(WHOLE) | set("合同专用章"))]
    rows = []
    for k, char in enumerate(read):
        for frame in range(4):
            row = np.full(len(alphabet), 0.001, np.float32)
            row[alphabet.index(char) if frame == 1 else 0] = sure if frame == 1 else 0.9
            rows.append(row)
        if k == 7:
            for _ in range(gap):
                row = np.full(len(alphabet), 0.001, np.float32)
                row[0] = 0.9
                rows.append(row)
    return Reading(read, sure, np.array(rows), {c: i for i, c in enumerate(alphabet) if i})


def _seal(page: int, read: str, sure: float = 0.95, gap: int = 0, name: str = SHORT) -> PageSeal:
    return PageSeal(page, (300, 300, 420, 420), "round", 1.0, _reading(read, sure, gap), Match(name, "lead", 0.3))


def test_a_sure_legal_form_read_right_after_the_name_completes_it() -> None:
    assert stamped_legal_form(_reading(WHOLE), SHORT) == WHOLE
    assert stamped_legal_form(_reading("株洲凯捷软件集团股份有限公司"), SHORT) == "株洲凯捷软件集团股份有限公司"
    assert stamped_legal_form(_reading("株洲凯捷软件集团有限公司"), "株洲凯捷软件集团有") == WHOLE  # cut inside it


def test_no_completion_from_an_unsure_far_or_other_tail() -> None:
    assert stamped_legal_form(_reading(WHOLE, sure=0.6), SHORT) is None  # not sure of the characters
    assert stamped_legal_form(_reading(WHOLE, gap=12), SHORT) is None  # across the ring's gap: not the name's
    assert stamped_legal_form(_reading(SHORT + "合同专用章"), SHORT) is None  # a bottom line is no legal form
    assert stamped_legal_form(_reading(SHORT), SHORT) is None  # nothing after it
    assert stamped_legal_form(_reading(WHOLE), WHOLE) is None  # whole already


def test_a_units_seals_agreeing_on_the_completion_take_it() -> None:
    seals = [_seal(1, WHOLE), _seal(2, "有限公司" + WHOLE), _seal(3, "株洲凯捷软件集团有限公", sure=0.7), _seal(4, SHORT)]
    named_with_legal_form(seals)
    # A fainter stamp spotting the whole name as well takes it; a strip holding none of the form keeps the name.
    assert [s.match.name if s.match else None for s in seals] == [WHOLE, WHOLE, WHOLE, SHORT]
    assert all(s.match and s.match.owner == "lead" and s.match.score == 0.3 for s in seals)


def test_one_seals_completion_or_a_tie_leaves_the_name() -> None:
    one = [_seal(1, WHOLE), _seal(2, SHORT)]
    named_with_legal_form(one)
    assert [s.match.name if s.match else None for s in one] == [SHORT] * 2
    tie = [_seal(1, WHOLE), _seal(2, WHOLE), _seal(3, "株洲凯捷软件集团股份有限公司"), _seal(4, "株洲凯捷软件集团股份有限公司")]
    named_with_legal_form(tie)
    assert {s.match.name for s in tie if s.match} == {SHORT}


def test_the_completed_name_is_the_fields_unit() -> None:
    assert with_legal_form(WHOLE, SHORT) and as_stamped(WHOLE, SHORT)
    assert not with_legal_form("株洲凯捷软件集团大学", SHORT)
    assert not with_legal_form("株洲凯捷软件集团有限公司有限公司", WHOLE)
    assert not with_legal_form("株洲凯联数字科技集团有限公司", SHORT)


def test_a_legal_form_read_short_of_its_seals_is_completed_and_a_true_one_kept() -> None:
    """'…集团公司' read for '…集团有限公司' (有限 lost on a phone photo) is completed as a cut name is; a unit that
    is a 公司 by name, its seals reading 公司 after the stem, keeps it; a longer form is never touched."""
    lost = SHORT + "公司"
    assert stamped_legal_form(_reading(WHOLE), lost) == WHOLE
    assert with_legal_form(WHOLE, lost) and not with_legal_form(lost, lost)
    assert stamped_legal_form(_reading(lost), lost) is None
    assert stamped_legal_form(_reading("株洲凯捷软件集团股份有限公司"), WHOLE) is None
