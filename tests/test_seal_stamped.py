"""A unit's seals named as they spell the unit's name: the form's next words read on past the name, and a
stretch of the name garbled by the page OCR where the unit's seals agree in spelling it surely."""

from __future__ import annotations

import numpy as np

from pipeline.seals.find import SealUnits, seal_name
from pipeline.seals.slots import PageSeal
from pipeline.seals.stamped import dropped_put_back, named_as_stamped
from pipeline.seals.text import (
    Match,
    Reading,
    as_stamped,
    dropped_in_print,
    put_back,
    slipped_spelling,
    without_run_on,
)

STAMPED = "台州和智工业技术股份有限公司"
GARBLED = "台州和智业技术股纷自限公司"  # 工 lost, 份 and 有 misread: three slips
MEMBER = "台州博盛资本管理有限公司"


def _reading(read: str, names: list[str], sure: float = 0.95) -> Reading:
    """A reading whose posteriors say `read` (each character on one frame at `sure`, blanks between) over an
    alphabet covering `names`."""
    alphabet = ["blank", *sorted(set(read).union(*names))]
    rows = []
    for char in read:
        for frame in range(4):
            row = np.full(len(alphabet), 0.001, np.float32)
            row[alphabet.index(char) if frame == 1 else 0] = sure if frame == 1 else 0.9
            rows.append(row)
    return Reading(read, sure, np.array(rows), {c: i for i, c in enumerate(alphabet) if i})


def _seal(page: int, read: str, name: str, sure: float = 0.95) -> PageSeal:
    return PageSeal(page, (300, 300, 420, 420), "round", 1.0, _reading(read, [name, STAMPED], sure),
                    Match(name, "lead", 0.12))


def test_a_name_read_on_into_the_forms_next_words_is_cut_at_its_ending() -> None:
    assert without_run_on("杭州昌云建材有限公司（造单位4") == "杭州昌云建材有限公司"
    assert without_run_on("杭州智能制造研究院加单.章") == "杭州智能制造研究院"
    assert without_run_on("台州样恒自动化有限公司统一共翁作信用") == "台州样恒自动化有限公司"
    assert seal_name("杭州昌云建材有限公司（盖章单位）") == "杭州昌云建材有限公司"
    # A name that ends as a name, one cut off inside its legal form, or with no name before the rest: as read.
    assert without_run_on("阿里巴巴（中国）有限公司") == "阿里巴巴（中国）有限公司"
    assert without_run_on("北京启华工业技术集团有限") == "北京启华工业技术集团有限"
    assert without_run_on("台州祥恒动化在公司") == "台州祥恒动化在公司"
    assert without_run_on("申报单位盖章") == "申报单位盖章"


def test_a_long_name_a_few_slips_apart_is_a_slipped_spelling_another_units_name_is_not() -> None:
    assert slipped_spelling(STAMPED, GARBLED)
    assert not slipped_spelling("台州和智工业技术股纷有限公司", GARBLED)  # two slips: `spelling_of`'s, not this
    assert not slipped_spelling(MEMBER, GARBLED)
    assert not slipped_spelling("宁波和智工业技术股份有限公", GARBLED)  # an end differs
    assert not slipped_spelling("杭州甲乙丙丁", "杭州乙丙丁戊")  # short names: too few characters to tell
    assert not slipped_spelling("常事网络科技股份有限公司", "常州旭嘉网络科技股份有限公司")  # the seal lost characters
    assert as_stamped(STAMPED, GARBLED) and as_stamped("杭州昌云建材有限公司", "杭州昌云建材有限公司（造单位4")
    assert not as_stamped("青岛科技大学", GARBLED)


def test_a_units_seals_agreeing_on_a_sure_spelling_are_named_by_it() -> None:
    seals = [_seal(1, STAMPED, GARBLED), _seal(2, "滩" + STAMPED, GARBLED),
             _seal(3, "州和智工业技术股份有限公", GARBLED, sure=0.6)]  # a poor reading: spots it as well
    named_as_stamped(seals)
    assert [s.match.name if s.match else None for s in seals] == [STAMPED] * 3
    assert all(s.match and s.match.owner == "lead" and s.match.score == 0.12 for s in seals)


def test_one_seals_spelling_or_an_unsure_one_leaves_the_texts_name() -> None:
    one = [_seal(1, STAMPED, GARBLED), _seal(2, GARBLED, GARBLED)]
    named_as_stamped(one)
    assert [s.match.name if s.match else None for s in one] == [GARBLED] * 2
    unsure = [_seal(1, STAMPED, GARBLED, sure=0.6), _seal(2, STAMPED, GARBLED, sure=0.6)]
    named_as_stamped(unsure)
    assert [s.match.name if s.match else None for s in unsure] == [GARBLED] * 2
    split = [_seal(1, STAMPED, GARBLED), _seal(2, STAMPED, GARBLED),
             _seal(3, "台州和智工业技米股纷有限公司", GARBLED), _seal(4, "台州和智工业技米股纷有限公司", GARBLED)]
    named_as_stamped(split)  # two spellings as well agreed on: neither
    assert {s.match.name for s in split if s.match} == {GARBLED}


def test_the_units_for_seals_drop_the_run_on() -> None:
    from models import BasicInfo, Cover

    units = SealUnits.for_application(Cover(applicant="杭州昌云建材有限公司（造单位4"), BasicInfo())
    assert units.applicant == "杭州昌云建材有限公司"


def test_the_leads_seals_split_between_two_spellings_take_the_one_they_spot_best_together() -> None:
    from pipeline.seals.stamped import lead_spelt_alike

    right, look_alike = "泉州产业数字化研究院", "泉州产业数学化研究院"

    def seal(page: int, read: str, name: str) -> PageSeal:
        return PageSeal(page, (300, 300, 420, 420), "round", 1.0, _reading(read, [right, look_alike]),
                        Match(name, "lead", 0.2))

    # Two seals read 字 clearly, one reads 学 by a hair (a blurred capture): one stamp, so 数字化 on all three.
    seals = [seal(1, right, right), seal(2, "州产业数字化研究", right), seal(3, look_alike, look_alike)]
    lead_spelt_alike(seals)
    assert [s.match.name if s.match else None for s in seals] == [right] * 3
    # A member's seal, or a name farther off than a slip or two (a cut-off form), is left as spotted.
    member = PageSeal(4, (300, 300, 420, 420), "round", 1.0, _reading(look_alike, [right]), Match(look_alike, "member", 0.2))
    cut = seal(5, "泉州产业数字化", "泉州产业数字化")
    lead_spelt_alike([*seals, member, cut])
    assert member.match is not None and member.match.name == look_alike
    assert cut.match is not None and cut.match.name == "泉州产业数字化"


DROPPED = "泉州市智能造协会"  # 制 lost by the page's OCR (a dithered members table)
SEALED = "泉州市智能制造协会"


def _strip(frames: list[tuple[str, float]], names: list[str]) -> Reading:
    """A reading whose posteriors read each (character, probability) on one frame, blanks between; a character
    given as '' is a blank frame."""
    alphabet = ["blank", *sorted(set("".join(names)) | {c for c, _ in frames if c})]
    rows = []
    for char, sure in frames:
        for frame in range(3):
            row = np.full(len(alphabet), 0.001, np.float32)
            row[alphabet.index(char) if frame == 1 and char else 0] = sure if frame == 1 and char else 0.9
            rows.append(row)
    text = "".join(c for c, p in frames if c and p >= 0.5)
    return Reading(text, 0.9, np.array(rows), {c: i for i, c in enumerate(alphabet) if i})


def _member(page: int, reading: Reading, name: str = DROPPED) -> PageSeal:
    return PageSeal(page, (300, 300, 420, 420), "oval", 1.0, reading, Match(name, "member", 0.3))


def _read(text: str, sure: float = 0.9, at: dict[int, float] | None = None) -> Reading:
    return _strip([(c, (at or {}).get(i, sure)) for i, c in enumerate(text)], [DROPPED, SEALED])


def test_a_character_read_between_two_of_a_names_is_offered_as_one_the_text_dropped() -> None:
    assert put_back(_read(SEALED), DROPPED) == {SEALED}
    assert put_back(_read(SEALED, at={5: 0.3}), DROPPED) == set()  # 制 barely read: nothing offered
    assert put_back(_read(DROPPED), DROPPED) == set()
    assert dropped_in_print(SEALED, DROPPED)
    # A look-alike in place of a character, a character lost, one added at an end: no dropped character.
    assert not dropped_in_print("泉州市智能制选协会", SEALED)
    assert not dropped_in_print("泉州市智能协会", DROPPED) and not dropped_in_print(SEALED + "章", SEALED)


def test_a_units_seals_spotting_the_name_with_the_character_put_back_are_named_by_it() -> None:
    seals = [_member(5, _read(SEALED, at={5: 0.2})), _member(6, _read(SEALED))]
    dropped_put_back(seals, lambda _: False)
    assert [s.match.name if s.match else None for s in seals] == [SEALED] * 2
    assert all(s.match and s.match.owner == "member" and s.match.score == 0.3 for s in seals)


def test_one_seal_a_printed_name_or_another_units_keeps_the_texts_spelling() -> None:
    one = [_member(5, _read(SEALED)), _member(6, _read(DROPPED))]
    dropped_put_back(one, lambda _: False)
    assert [s.match.name if s.match else None for s in one] == [DROPPED] * 2
    printed = [_member(5, _read(SEALED)), _member(6, _read(SEALED))]
    dropped_put_back(printed, lambda name: name == DROPPED)
    assert [s.match.name if s.match else None for s in printed] == [DROPPED] * 2
    rival = [_member(5, _read(SEALED)), _member(6, _read(SEALED)), _member(7, _read(SEALED), SEALED)]
    dropped_put_back(rival, lambda _: False)
    assert [s.match.name if s.match else None for s in rival] == [DROPPED, DROPPED, SEALED]
