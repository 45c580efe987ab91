"""Whose seal, read right (round 20): a name the document prints alike is not respelt by one seal, nor an
authority's fixed suffix; a weak spot of an outside organisation needs its place or trade name read; the lead
and a member are rivals however alike their names, and a lead's slot settles a strip that reads neither; a
reading that is the end of a name the document names is no name."""

from __future__ import annotations

import numpy as np

from pipeline.seals.find import SealUnits, _head_lost, _lead_in_its_slot, seal_name
from pipeline.seals.slots import PageSeal
from pipeline.seals.text import Match, Reading, match_unit, readable_name, spelt_as_stamped

LEAD = "台州瑞锐工业互联网有限公司"
MEMBER = "台州联宏工业互联网有限公司"  # another unit, two characters from the lead's name
PROVIDER = "南昌德易工业技术有限公司"


def _reading(read: str, names: list[str], sure: float = 0.95) -> Reading:
    """Posteriors saying `read`, one character every four frames at `sure`, over an alphabet covering `names`."""
    alphabet = ["blank", *sorted(set(read).union(*names))]
    rows = []
    for char in read:
        for frame in range(4):
            row = np.full(len(alphabet), 1e-5, np.float32)
            row[alphabet.index(char) if frame == 1 else 0] = sure if frame == 1 else 0.9
            rows.append(row)
    return Reading(read, sure, np.array(rows), {c: i for i, c in enumerate(alphabet) if i})


def test_an_authoritys_suffix_and_a_name_printed_alike_are_not_respelt_by_the_seal() -> None:
    authority = "杭州市市场监督管理局"
    suffix_slip = _reading("杭州市市场监管管理局", [authority])
    assert spelt_as_stamped(suffix_slip, Match(authority, "other", 0.3)).name == authority
    # A city's character the text lost is put back, the suffix kept (as before).
    lost = _reading("宁波市市场监督管理局", ["宁波市场监督管理局"])
    assert spelt_as_stamped(lost, Match("宁波市场监督管理局", "other", 0.3)).name == "宁波市市场监督管理局"
    name = "太原联晟科技融资担保有限公司"
    slip = _reading("太原联晟科技雕资担保有限公司", [name])
    assert spelt_as_stamped(slip, Match(name, "other", 0.3)).name == "太原联晟科技雕资担保有限公司"
    assert spelt_as_stamped(slip, Match(name, "other", 0.3, as_printed=True)).name == name


def test_printed_alike_twice_in_the_pages_text_or_built_from_the_documents_cities() -> None:
    units = SealUnits(lead=LEAD).with_page_text(f"甲方{PROVIDER}乙方…服务商{PROVIDER}").with_authorities(["台州市市场监督管理局"])
    assert units.printed_alike(PROVIDER)
    assert units.printed_alike("台州市市场监督管理局")
    assert not units.printed_alike("南昌德易科技有限公司")
    assert not SealUnits(lead=LEAD).with_page_text(PROVIDER).printed_alike(PROVIDER)


def test_a_weak_spot_of_an_outside_organisation_needs_its_place_or_trade_name_read() -> None:
    class Weak(Reading):
        def spot_all(self, names: object) -> list[float | None]:
            return [0.03 if name == PROVIDER else 0.001 for name in names]  # type: ignore[attr-defined]

    candidates = [("绍兴新安信息技术有限公司", "lead"), (PROVIDER, "other")]
    assert match_unit(Weak("技术有限公司", 0.97), candidates) is None
    match = match_unit(Weak("昌德工业技术有限", 0.8), candidates)
    assert match is not None and match.name == PROVIDER


def test_the_lead_and_a_member_alike_are_rivals_and_a_member_is_no_misspelling_of_the_lead() -> None:
    units = SealUnits(lead=LEAD, applicant=LEAD, members=(MEMBER,)).with_text_layer(f"牵头单位名称{LEAD}")
    assert (MEMBER, "member") in units.candidates()
    member_seal = match_unit(_reading(MEMBER, [LEAD]), units.candidates())
    assert member_seal is not None and (member_seal.name, member_seal.owner) == (MEMBER, "member")
    neither = _reading("国台州工亚互联网有限公", [LEAD, MEMBER], sure=0.7)  # reads neither's own characters
    assert match_unit(neither, units.candidates()) is None
    seals = [PageSeal(16, (0, 0, 100, 100), "round", 1.0, neither, None, "appendix3_table3"),
             PageSeal(9, (0, 0, 100, 100), "round", 1.0, neither, None, None)]  # the members' line: no slot
    _lead_in_its_slot(seals, units)
    assert seals[0].match is not None and (seals[0].match.name, seals[0].match.owner) == (LEAD, "lead")
    assert seals[1].match is None
    clear = [PageSeal(16, (0, 0, 100, 100), "round", 1.0, _reading(MEMBER, [LEAD]), None, "appendix3_table3")]
    _lead_in_its_slot(clear, units)  # a member's seal clearly read in the lead's slot stays no lead's
    assert clear[0].match is None


def test_a_reading_that_ends_a_longer_name_the_document_names_is_no_name() -> None:
    units = SealUnits(lead=LEAD).with_others([PROVIDER])
    tail = PageSeal(1, (0, 0, 100, 100), "round", 1.0, _reading("技术有限公司", [PROVIDER], sure=0.97))
    whole = PageSeal(1, (0, 0, 100, 100), "round", 1.0, _reading("宁波海诚数字科技有限公司", [], sure=0.97))
    assert tail.text == "技术有限公司"
    _head_lost([tail, whole], units)
    assert tail.text is None and tail.reading is not None and readable_name(tail.reading) is None
    assert whole.text == "宁波海诚数字科技有限公司"


def _marked(pairs: list[tuple[str, float]]) -> Reading:
    text = "".join(c for c, _ in pairs)
    return Reading(text, float(np.mean([p for _, p in pairs])), characters=tuple(pairs))


def test_a_whole_name_read_surely_among_a_few_stray_marks_is_the_seals_text() -> None:
    name = [(c, 0.95) for c in "宁波睿嘉数据技术股份有限公司"]
    number = [("6", 0.18), ("s", 0.13)]  # the seal's number strip under its star
    assert readable_name(_marked(name + number)) == "宁波睿嘉数据技术股份有限公司"
    assert readable_name(_marked([("u", 0.3), ("t", 0.7), *name, ("斯", 0.4)])) == "宁波睿嘉数据技术股份有限公司"
    # Not: the name's head lost (its tail alone), marks read as Chinese before it, unsure, or too many marks.
    assert readable_name(_marked([(c, 0.95) for c in "技术有限公司"] + number)) is None
    assert readable_name(_marked([("宝", 0.1), ("上", 0.2), *name, *number])) is None
    assert readable_name(_marked([(c, 0.7) for c in "宁波睿嘉数据技术股份有限公司"] + number)) is None
    assert readable_name(_marked([*name, ("6", 0.2), ("s", 0.2), ("8", 0.2), ("2", 0.2)])) is None
    assert readable_name(_marked([(c, 0.95) for c in "宁波睿嘉数据技术股份有"] + number)) is None  # no ending


def test_a_rule_read_into_a_members_name_as_a_bar_is_no_character_of_its_seal() -> None:
    # dev60 a08: the members table read '四川|大学' (the cell's rule between the two words); its seals bear 四川大学.
    assert seal_name("四川|大学") == "四川大学"
    assert seal_name("台州瑞锐工业｜互联网有限公司") == LEAD
