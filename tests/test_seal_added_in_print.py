"""A unit's seals voting on the spelling of its name where the page's OCR added a character inside it
(`text.added_in_print`, `stamped.respelt_by_vote`)."""

from __future__ import annotations

import numpy as np

from pipeline.seals.slots import PageSeal
from pipeline.seals.stamped import respelt_by_vote
from pipeline.seals.text import Match, Owner, Reading, added_in_print

PRINTED = "杭州顺引弘精密机械股份有限公司"  # the members table, once: 引 is the page OCR's
SEALED = "杭州顺弘精密机械股份有限公司"
RIVAL = "杭州顺弘精密机械制造有限公司"  # another organisation, a slip from the seals' spelling
NAMES = [PRINTED, SEALED, RIVAL, "杭州顺弘精密机械股份有限公司", "苏州祥隆自动化集团有限公司", "苏州样隆自动化集团有限公司"]


def _strip(text: str, sure: float = 0.9) -> Reading:
    """A reading whose posteriors read each character of `text` on one frame at `sure`, blanks between; a space is a
    character's width of blank frames (a character too faint to read)."""
    alphabet = ["blank", *sorted(set("".join(NAMES)) | set(text.replace(" ", "")))]
    rows = []
    for char in text:
        for frame in range(3):
            row = np.full(len(alphabet), 0.001, np.float32)
            lettered = frame == 1 and char != " "
            row[alphabet.index(char) if lettered else 0] = sure if lettered else 0.9
            rows.append(row)
    return Reading(text.replace(" ", ""), sure, np.array(rows), {c: i for i, c in enumerate(alphabet) if i})


def _seal(page: int, read: str, name: str = PRINTED, owner: Owner = "member") -> PageSeal:
    return PageSeal(page, (300, 300, 420, 420), "round", 1.0, _strip(read), Match(name, owner, 0.5))


def _names(seals: list[PageSeal]) -> list[str | None]:
    return [seal.match.name if seal.match else None for seal in seals]


def test_a_seal_reading_the_name_but_one_character_a_pitch_apart_offers_it_without() -> None:
    assert added_in_print(_strip(SEALED), PRINTED) == SEALED
    # A character's room left blank between 顺 and 弘 is a faint character of the stamp's, not one the print added.
    assert added_in_print(_strip("杭州顺 弘精密机械股份有限公司"), PRINTED) is None
    # As printed, one character read otherwise (the seal's own look-alike), or the name cut at an end: none offered.
    assert added_in_print(_strip(PRINTED), PRINTED) is None
    assert added_in_print(_strip("苏州祥隆自动化集团有限公司"), "苏州样隆自动化集团有限公司") is None
    assert added_in_print(_strip(PRINTED[1:]), PRINTED) is None
    assert added_in_print(_strip(PRINTED.replace("公司", "司")), PRINTED) is None  # its legal form: spelt one way


def test_a_units_seals_spotting_their_own_spelling_better_are_named_by_it() -> None:
    seals = [_seal(9, SEALED), _seal(10, SEALED)]
    respelt_by_vote(seals, lambda _: False, [(PRINTED, "member")])
    assert _names(seals) == [SEALED, SEALED]
    assert all(seal.match and seal.match.owner == "member" and seal.match.score == 0.5 for seal in seals)


def test_one_seal_a_minority_a_printed_name_or_another_units_spelling_keeps_the_texts() -> None:
    one = [_seal(9, SEALED), _seal(10, PRINTED)]
    respelt_by_vote(one, lambda _: False, [(PRINTED, "member")])
    assert _names(one) == [PRINTED, PRINTED]
    minority = [_seal(9, SEALED), _seal(10, SEALED), _seal(11, PRINTED), _seal(12, PRINTED), _seal(13, PRINTED)]
    respelt_by_vote(minority, lambda _: False, [(PRINTED, "member")])
    assert _names(minority) == [PRINTED] * 5
    printed = [_seal(9, SEALED), _seal(10, SEALED)]
    respelt_by_vote(printed, lambda name: name == PRINTED, [(PRINTED, "member")])
    assert _names(printed) == [PRINTED, PRINTED]
    rival = [_seal(9, SEALED), _seal(10, SEALED)]
    respelt_by_vote(rival, lambda _: False, [(PRINTED, "member"), (RIVAL, "other")])
    assert _names(rival) == [PRINTED, PRINTED]


def test_the_leads_other_spelling_is_its_own_not_a_rival() -> None:
    seals = [_seal(1, SEALED, owner="lead"), _seal(9, SEALED, owner="lead")]
    respelt_by_vote(seals, lambda _: False, [(PRINTED, "lead"), (SEALED, "lead")])
    assert _names(seals) == [SEALED, SEALED]
