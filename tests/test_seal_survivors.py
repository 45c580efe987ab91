"""A seal whose lettering the capture mostly erased, named by the characters of its ring that survive, only where
they fit one unit of the package clearly (`text.survivors_match`, asked last by `find._identify`)."""

from __future__ import annotations

from pipeline.seals.find import SealUnits, _identify
from pipeline.seals.text import Owner, Reading, ring_fit, survivors, survivors_match

LEAD = "广州博锐合金材料有限公司"
MEMBER = "广州科元金属制品有限公司"
CANDIDATES: list[tuple[str, Owner]] = [(LEAD, "lead"), (MEMBER, "member"), ("广东省工业和信息化厅", "recommender"),
                                       ("北京航空航天大学", "other")]


def _read(text: str, sure: float = 0.9) -> Reading:
    """A strip read as `text`, each character at `sure`; '?' marks a character read at 0.2."""
    characters = tuple((c, 0.2 if c == "?" else sure) for c in text)
    return Reading(text, sure, characters=characters)


def test_surviving_characters_that_fit_one_unit_name_it() -> None:
    match = survivors_match(_read("金材有限公司"), CANDIDATES)
    assert match is not None and (match.name, match.owner) == (LEAD, "lead")


def test_the_ring_is_read_from_any_point() -> None:
    match = survivors_match(_read("限公司金材有"), CANDIDATES)
    assert match is not None and match.name == LEAD
    assert ring_fit(LEAD, "限公司金材有").whole == 6


def test_unsure_characters_do_not_survive() -> None:
    assert survivors(_read("金?材")) == "金材"
    assert survivors_match(_read("金材有限公司", sure=0.3), CANDIDATES) is None


def test_too_few_of_the_units_own_characters_name_no_one() -> None:
    assert survivors_match(_read("合有限"), CANDIDATES) is None  # one character of its own part


def test_characters_two_units_share_name_neither() -> None:
    assert survivors_match(_read("广有限公司"), CANDIDATES) is None


def test_a_foreign_seal_read_whole_is_not_named_after_a_unit_its_industry_fits() -> None:
    units: list[tuple[str, Owner]] = [("宁波博远数字科技有限公司", "lead"), ("宁波天云信息技术有限公司", "member")]
    assert survivors_match(_read("宁波海城数字科技有限公司"), units) is None  # 海城: no part of the lead's name


def test_an_organisation_outside_the_package_is_never_named_and_stands_as_a_rival() -> None:
    others: list[tuple[str, Owner]] = [(LEAD, "lead"), ("广州博锐合金材料研究所", "other")]
    assert survivors_match(_read("博锐合金材料研究所"), others) is None
    assert survivors_match(_read("锐合金材料"), others) is None  # fits both alike


def test_identify_names_a_unit_by_its_survivors_only_when_asked_of_every_organisation() -> None:
    units = SealUnits(lead=LEAD, members=(MEMBER,))
    reading = _read("金材有限公司")
    assert _identify(reading, False, units) is None  # the strip's hypotheses are still being read
    match = _identify(reading, True, units)
    assert match is not None and match.owner == "lead"
