"""Registration authorities' names built from the document's cities (`pipeline.seals.authority`)."""

import numpy as np

from pipeline.seals.authority import another_city, as_authority, authority_names, city_of, places
from pipeline.seals.find import SealUnits
from pipeline.seals.text import Reading, match_unit


def test_a_suffix_read_with_slips_is_spelt_right() -> None:
    assert as_authority("唐山市市场验督管理局") == "唐山市市场监督管理局"
    assert as_authority("兰州市市场监智管运局") == "兰州市市场监督管理局"
    assert as_authority("圳市市场监督管局") == "圳市市场监督管理局"
    assert as_authority("宁波市工商行政管理局") == "宁波市工商行政管理局"


def test_other_names_are_no_authority() -> None:
    assert as_authority("浙江省经济和信息化厅") is None
    assert as_authority("杭州星中资本管理有限公司") is None
    assert as_authority("国家税务总局") is None


def test_places_come_from_the_text_and_names_not_from_the_authority_itself() -> None:
    texts = ["住所：兰州市城关区雁滩路", "登记机关：当州市市场监督管理局", "上市公司"]
    found = places(texts, ["兰州宏信新型建材股份有限公司", "当州市市场监督管理局"], ["兰州宏信新型建材股份有限公司"])
    assert found[0] == "兰州"
    assert "当州" not in found


def test_a_misread_authority_takes_the_cities_spelling() -> None:
    texts = ["兰州宏信新型建材股份有限公司", "登记机关 当州市市场监督管理局"]
    units = SealUnits(lead="兰州宏信新型建材股份有限公司").with_others(["当州市市场监督管理局"])
    units = units.with_authorities(authority_names(texts, ["兰州宏信新型建材股份有限公司"], ["兰州宏信新型建材股份有限公司"]))
    names = [name for name, owner in units.candidates() if owner == "other"]
    assert "兰州市市场监督管理局" in names
    assert "当州市市场监督管理局" not in names


def test_an_authority_the_text_spells_right_stays_itself() -> None:
    units = SealUnits(lead="苏州易安创业投资有限公司").with_others(["徐州市市场监督管理局"])
    units = units.with_authorities(authority_names(["徐州市泉山区", "徐州市云龙区"], ["苏州易安创业投资有限公司"], ["苏州易安创业投资有限公司"]))
    names = [name for name, owner in units.candidates() if owner == "other"]
    assert "徐州市市场监督管理局" in names and "苏州市市场监督管理局" in names


def test_a_seal_whose_name_the_licence_lost_is_read_by_its_city() -> None:
    """The licence's copy of its authority is not in the text: the seal read 杭州市市场监督管理 names the
    authority the document's city gives; a reading of another city's authority names none of them."""
    units = SealUnits(lead="杭州星海轴承有限公司")
    units = units.with_authorities(authority_names(["杭州市西湖区"], ["杭州星海轴承有限公司"], ["杭州星海轴承有限公司"]))
    match = match_unit(Reading("杭州市市场监督管理", 0.9), units.candidates())
    assert match is not None and match.name == "杭州市市场监督管理局" and match.owner == "other"
    assert match_unit(Reading("成都市武侯区人民政府", 0.9), units.candidates()) is None


def test_a_place_named_once_and_leading_no_unit_is_none() -> None:
    """建有 before 市级 once is no city; 兰州, leading the lead unit's name, is, named once or not."""
    found = places(["建有市级技术中心"], ["兰州宏信新型建材股份有限公司"], ["兰州宏信新型建材股份有限公司"])
    assert found == ["兰州"]
    assert places(["建有市级技术中心", "另建有市级实验室"], []) == ["建有"]


def test_a_three_character_city_printed_whole_is_not_cut() -> None:
    """石家庄市 in an address gives the place 家庄: the licence's 石家庄市市场监督管理局 stays whole, and
    家庄市市场监督管理局, its tail, is no candidate."""
    lead = "石家庄兴云工业互联网有限公司"
    texts = ["住所：石家庄市长安区", "石家庄市裕华区", "登记机关石家庄市市场监督管理局"]
    units = SealUnits(lead=lead).with_others(["石家庄市市场监督管理局"]).with_page_text("".join(texts))
    units = units.with_authorities(authority_names(texts, [lead], [lead]))
    assert "家庄市市场监督管理局" in units.authorities
    names = [name for name, owner in units.candidates() if owner == "other"]
    assert "石家庄市市场监督管理局" in names
    assert "家庄市市场监督管理局" not in names


def test_a_stray_character_before_a_printed_authority_is_dropped() -> None:
    """The licence's label 登记机关 read 登记机口 runs its last character into the authority's copy: 口台州市….
    The place the document names is 台州; 口台州 is printed nowhere else, so the authority is the one built
    from it. The nation leading a unit's name (中国科学院…) is no city."""
    lead = "台州联致药业有限公司"
    member = "中国科学院沈阳自动化研究所"
    texts = ["住所：台州市椒江区", "台州市黄岩区", "登记机口台州市市场监督管理局"]
    units = SealUnits(lead=lead, members=(member,)).with_others(["口台州市市场监督管理局"])
    units = units.with_page_text("".join(texts)).with_authorities(authority_names(texts, [lead, member], [lead, member]))
    names = [name for name, owner in units.candidates() if owner == "other"]
    assert "台州市市场监督管理局" in names
    assert "口台州市市场监督管理局" not in names
    assert not any(name.startswith("中国") for name in names)


def _strip(read: str, names: list[str], floor: float) -> Reading:
    """Posteriors saying `read`, a character every four frames, every other class at `floor`."""
    alphabet = ["blank", *sorted(set(read).union(*names))]
    rows = []
    for char in read:
        for frame in range(4):
            row = np.full(len(alphabet), floor, np.float32)
            row[alphabet.index(char) if frame == 1 else 0] = 0.95 if frame == 1 else 0.9
            rows.append(row)
    return Reading(read, 0.95, np.array(rows), {c: i for i, c in enumerate(alphabet) if i})


def test_a_seal_reading_another_city_is_not_that_citys_authority() -> None:
    """A licence of a 温州 company registered in 宁波: the seal reads 宁波市市场监督管理局 surely, and the only
    authority the document's names gave was 浙江市… (the province leading the recommender's name). Their eight
    shared characters spot well; the city read shares none of 浙江, so the seal is not that authority's (it was
    named 宁浙江市…, its 宁 put back before the wrong city)."""
    assert city_of("宁波市市场监督管理局") == "宁波" and city_of("1宁波市市场监督管局52") == "宁波"
    assert another_city("宁波市市场监督管理局", "浙江市市场监督管理局")
    assert not another_city("当州市市场监督管理局", "兰州市市场监督管理局")  # one character misread
    assert not another_city("市场监督管理局", "兰州市市场监督管理局")  # no city read: not another one
    candidates = [("温州智拓航空装备集团有限公司", "lead"), ("浙江省经济和信息化厅", "recommender"),
                  ("浙江市市场监督管理局", "other")]
    for floor in (1e-5, 1e-2):  # a spot under and over `SURE_SPOT`
        strip = _strip("宁波市市场监督管理局", [name for name, _ in candidates], floor)
        assert match_unit(strip, candidates) is None
    assert match_unit(_strip("兰州市市场监督管理局", ["兰州市市场监督管理局"], 1e-3),
                      [("兰州市市场监督管理局", "other")]) is not None
