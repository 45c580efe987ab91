"""Cover, basic-info form and recommendation from synthetic pages: a text layer and a drawn scan."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from models import Member
from models.page import Page
from pipeline.config import Settings
from pipeline.fields import extract_basic_info, extract_cover, extract_recommendation, letter_names, province_of
from tests.fixtures.tables.forms import (
    application_text_pages,
    form_scan_pages,
    recommendation_text_pages,
)

SETTINGS = Settings(cache_dir=None)


@pytest.fixture(autouse=True)
def no_ocr_engine(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Drawn pages come with exact words: re-reading cells with a real engine is for the slow tier."""
    if "slow" not in request.keywords:
        for module in ("basic_info", "cover", "recommendation"):
            monkeypatch.setattr(f"pipeline.fields.{module}.ocr_engine", lambda pages, settings: None)


@pytest.fixture(scope="module")
def text_pages(tmp_path_factory: pytest.TempPathFactory) -> list[Page]:
    return application_text_pages(tmp_path_factory.mktemp("form"))


def test_cover_from_text_layer(text_pages: list[Page]) -> None:
    result = extract_cover(text_pages, SETTINGS)
    cover = result.value
    assert cover.applicant == "杭州智造数字科技有限公司"
    assert cover.recommender == "浙江省经济和信息化厅"
    assert (cover.contact, cover.phone) == ("李娜", "0571-88886666")
    assert cover.fill_date == dt.date(2026, 6, 12)
    assert result.provenance["cover.applicant"].page == 1 and result.provenance["cover.applicant"].source == "text"


def _scanned_cover(tmp_path: Path, contact_line: str, unread: str = "") -> Page:
    """A scanned cover whose contact line is `contact_line`; words holding `unread` were lost by OCR."""
    from tests.fixtures.tables.forms import COVER_LINES
    from tests.fixtures.tables.synth import Sheet, render

    lines = [(x, y, contact_line if text.startswith("联系人") else text, size) for x, y, text, size in COVER_LINES]
    page = render(Sheet(texts=lines), tmp_path, name="cover")
    page.role = "cover"
    if unread:
        page.words = [w for w in page.words if unread not in w.text]
    return page


@pytest.mark.parametrize(("line", "unread", "blank"), [
    ("联系人及联系电话：李娜", "", True),  # left out: FIELD_MISSING
    ("联系人及联系电话：李娜  0571-88886666", "0571", False),  # written, lost by OCR: a doubt
])
def test_a_contact_without_a_number_says_from_pixels_whether_the_number_was_left_out(
        tmp_path: Path, line: str, unread: str, blank: bool) -> None:
    result = extract_cover([_scanned_cover(tmp_path, line, unread)], SETTINGS)
    assert (result.value.contact, result.value.phone) == ("李娜", None)
    assert result.provenance["cover.phone"].blank is blank


@pytest.mark.parametrize(("line", "phone"), [
    ("联系人及联系电话：李娜.  0571-88886666", "0571-88886666"),
    ("联系人及联系电话：李娜-13292088517", "13292088517"),  # a dash between them (dev25 a01)
])
def test_a_point_between_the_contacts_name_and_number_is_no_part_of_the_name(
        tmp_path: Path, line: str, phone: str) -> None:
    result = extract_cover([_scanned_cover(tmp_path, line)], SETTINGS)
    assert (result.value.contact, result.value.phone) == ("李娜", phone)


def test_cover_found_by_its_labels_whatever_its_role(text_pages: list[Page]) -> None:
    text_pages[0].role = "plan"
    try:
        assert extract_cover(text_pages, SETTINGS).value.applicant == "杭州智造数字科技有限公司"
    finally:
        text_pages[0].role = "cover"


def test_basic_info_from_text_layer(text_pages: list[Page]) -> None:
    result = extract_basic_info(text_pages, SETTINGS)
    info = result.value
    lead = info.lead_unit
    assert lead.name == "杭州智造数字科技有限公司" and lead.credit_code == "91330106MA2CFXXX30"
    assert lead.established == dt.date(2016, 3, 18) and lead.registered_capital == 5000.0
    assert lead.is_legal_person is True and lead.unit_type == "服务商" and lead.unit_type_other is None
    assert lead.registered_address == "浙江省杭州市滨江区" and lead.main_industries == ["机械", "汽车"]
    assert info.members == [Member(name="浙江某某大学", type="高校"), Member(name="杭州某某研究院", type="科研院所")]
    assert (info.head.name, info.head.title, info.head.mobile, info.head.email) == (
        "张伟", "总经理", "13805716666", "zhangwei@example.com.cn")
    assert [(f.revenue, f.net_margin, f.debt_ratio) for f in info.finance] == [(12000.0, 8.5, 42.1), (13560.5, 9.1, 40.0)]
    assert [(s.enterprises, s.contract_amount, s.trainees) for s in info.service] == [(120, 3560.5, 900),
                                                                                     (135, 4100.0, 1200)]
    assert [(r.investors, r.financing, r.universities, r.providers) for r in info.resources] == [
        (12, 20000.0, 6, 40), (15, 26500.0, 8, 52)]
    assert result.checks == []


def test_basic_info_provenance(text_pages: list[Page]) -> None:
    provenance = extract_basic_info(text_pages, SETTINGS).provenance
    for path in ("basic_info.lead_unit.credit_code", "basic_info.lead_unit.is_legal_person",
                 "basic_info.head.email", "basic_info.members[1].type"):
        assert provenance[path].page == 2, path
    revenue = provenance["basic_info.finance[1].revenue"]
    assert revenue.page == 3 and revenue.source == "text" and revenue.bbox is not None
    assert revenue.bbox[0] >= 400  # the 2025 column


def test_basic_info_from_a_drawn_scan(tmp_path: Path) -> None:
    info = extract_basic_info(form_scan_pages(tmp_path), SETTINGS).value
    assert info.lead_unit.is_legal_person is True and info.lead_unit.unit_type == "服务商"
    assert info.lead_unit.credit_code == "91330106MA2CFXXX30"
    assert info.finance[1].revenue == 13560.5 and info.resources[0].providers == 40
    assert len(info.members) == 2


@pytest.mark.slow
@pytest.mark.parametrize("engine", ["tesseract", "rapidocr"])
def test_drawn_scan_with_real_cell_rereads(tmp_path: Path, engine: str) -> None:
    """Every form cell read again by a real engine on its crop (stacked): the values survive the second reading."""
    settings = SETTINGS.model_copy(update={"engine": engine})
    info = extract_basic_info(form_scan_pages(tmp_path, dpi=200), settings).value
    assert info.lead_unit.credit_code == "91330106MA2CFXXX30" and info.lead_unit.is_legal_person is True
    assert info.finance[1].revenue == 13560.5 and info.head.mobile == "13805716666"


@pytest.mark.parametrize("legal,problem", [
    ((("empty", "是"), ("empty", "否")), "均未勾选"),
    ((("hand_cross", "是"), ("filled", "否")), "同时勾选"),
])
def test_ambiguous_checkbox_is_null_and_flagged(tmp_path: Path, legal: tuple, problem: str) -> None:
    """Boxes all clearly empty are a blank (FIELD_MISSING from the checks); two ticked is a doubt for a reviewer."""
    result = extract_basic_info(form_scan_pages(tmp_path, legal=legal), SETTINGS)
    path = "basic_info.lead_unit.is_legal_person"
    assert result.value.lead_unit.is_legal_person is None
    doubts = [c for c in result.checks if c.code == "LOW_CONFIDENCE" and c.where == path]
    if problem == "均未勾选":
        assert result.provenance[path].blank is True and not doubts
    else:
        assert result.provenance[path].blank is False
        assert len(doubts) == 1 and problem in doubts[0].message and doubts[0].severity == "info"
    assert not [c for c in result.checks if c.code == "FIELD_MISSING"]


def test_not_legal_person_and_other_type(tmp_path: Path) -> None:
    legal = (("empty", "是"), ("hand_tick", "否"))
    unit_type = (("empty", "制造业企业"), ("empty", "服务商"), ("filled", "其它（请标明）"))
    info = extract_basic_info(form_scan_pages(tmp_path, legal=legal, unit_type=unit_type), SETTINGS).value
    assert info.lead_unit.is_legal_person is False and info.lead_unit.unit_type == "其它"


def test_repaired_credit_code_is_recorded(tmp_path: Path) -> None:
    pages = form_scan_pages(tmp_path)
    # OCR read the 0 of the division code as O: impossible there, and the check holds once repaired.
    pages[0].words = [w if w.text != "91330106MA2CFXXX30" else type(w)("9133O106MA2CFXXX30", w.bbox, w.confidence, "ocr")
                      for w in pages[0].words]
    result = extract_basic_info(pages, SETTINGS)
    assert result.value.lead_unit.credit_code == "91330106MA2CFXXX30"
    assert result.provenance["basic_info.lead_unit.credit_code"].repaired_from == "9133O106MA2CFXXX30"


def test_low_confidence_fields_are_flagged(tmp_path: Path) -> None:
    pages = form_scan_pages(tmp_path)
    pages[0].words = [type(w)(w.text, w.bbox, 0.3 if w.text == "张伟" else w.confidence, "ocr") for w in pages[0].words]
    result = extract_basic_info(pages, SETTINGS)
    low = [c for c in result.checks if c.code == "LOW_CONFIDENCE"]
    assert [c.where for c in low] == ["basic_info.head.name"] and low[0].severity == "info"
    assert result.value.head.name == "张伟"  # kept: a weak reading is reported, not dropped


def test_recommendation_from_text_layer(tmp_path: Path) -> None:
    result = extract_recommendation(recommendation_text_pages(tmp_path), SETTINGS)
    rec = result.value
    assert rec.province == "浙江省" and rec.date == dt.date(2026, 6, 28)
    assert rec.letter_names == ["杭州智造数字科技有限公司", "宁波甬江工业互联网有限公司"]
    assert [(r.rank, r.name, r.industries, r.policies) for r in rec.recommended] == [
        (1, "杭州智造数字科技有限公司", ["机械", "汽车"], "省级专项资金500万元"),
        (2, "宁波甬江工业互联网有限公司", ["电子信息制造", "纺织"], "市级贷款贴息"),
    ]
    assert result.provenance["recommendation.recommended[1].name"].page == 2


def test_a_scanned_recommendation_table_whose_row_rules_are_lost_keeps_its_rows(tmp_path: Path) -> None:
    """A photographed 推荐表: the rules between its rows gone, its rows still open with their 序号."""
    from tests.fixtures.tables.forms import RECOMMENDED
    from tests.fixtures.tables.synth import Defects, Sheet, STable, render

    table = STable.simple(50, 140, [36, 170, 110, 184], RECOMMENDED[:3], row_height=40)
    title = [(50, 100, "浙江省（区、市）制造业数字化转型促进中心推荐表", 14)]
    page = render(Sheet(tables=[table], texts=title), tmp_path, name="rec", number=2,
                  defects=Defects(row_rules="missing"))
    page.role = "recommendation_table"
    rec = extract_recommendation([page], SETTINGS).value
    assert [(r.rank, r.name) for r in rec.recommended] == [(1, "杭州智造数字科技有限公司"), (2, "宁波甬江工业互联网有限公司")]


@pytest.mark.parametrize("title,province", [
    ("浙江省（区、市）制造业数字化转型促进中心推荐表", "浙江省"), ("附：宁波市制造业数字化转型促进中心推荐表", "宁波市"),
    ("新疆维吾尔自治区制造业数字化 转型促进中心推荐表", "新疆维吾尔自治区"), ("推荐意见", None),
    # dev13 r17 (phone): the letter's date on the line above run into the title.
    ("2026年6月29日\n宁波市制造业数字化转型促进中心推荐表", "宁波市"),
    ("宁滚市制造业数字化转型促进中心推荐表", "宁波市"),  # dev60 r14 (phone): one character misread
    ("宁滚县制造业数字化转型促进中心推荐表", "宁滚县"),  # two from any place: as read
])
def test_province_from_title(title: str, province: str | None) -> None:
    assert province_of(title) == province


def test_letter_names_across_lines() -> None:
    text = "现推荐 甲有限公司、乙研究院（数促中心申报对象名称）\n建设制造业数字化转型促进中心"
    assert letter_names(text) == ["甲有限公司", "乙研究院"]


@pytest.mark.parametrize(("read", "value"), [
    ("杭州某某科技有限公司加盖单位公章", "杭州某某科技有限公司"),  # the brackets lost in print or OCR
    ("杭州某某科技有限公司（加盖单位公章）", "杭州某某科技有限公司"),
    ("杭州某某科技有限公司(加盖单位公章", "杭州某某科技有限公司"),
    ("杭州某某科技有限公司加盖单位公拿", "杭州某某科技有限公司"),  # one OCR slip in the note
    ("宁波捷航软件股份有限公司翔盖单公章", "宁波捷航软件股份有限公司"),  # two in a long one: misread, lost (dev9 a05)
    ("杭州某某信息技术有限公司盖单公", "杭州某某信息技术有限公司盖单公"),  # three: no note
    ("宁波某某（中国）科技有限公司加羔单位公", "宁波某某（中国）科技有限公司"),  # a unit's own brackets stay
    ("浙江省经济和信息化厅省级工业和信息化主管部门盖章", "浙江省经济和信息化厅"),
    ("杭州某某科技有限公司", "杭州某某科技有限公司"),
    ("盖章", "盖章"),  # nothing but the note: not emptied on a guess
    ("浙江省经济和信息化厅（省织工信息化", "浙江省经济和信息化厅"),  # the note misread and cut short
    ("浙江省经济和信息化厅（省织工信息化主管部门盖章）", "浙江省经济和信息化厅"),  # its start misread
    ("宁波某某（中国）科技有限公司", "宁波某某（中国）科技有限公司"),  # a unit's own brackets
    ("某某科技（宁波", "某某科技（宁波"),  # an open bracket alone is no note
    ("杭州某某研究院加盖单(..章）", "杭州某某研究院"),  # stray marks in the note's place are no characters of it
    ("浙江省经济和信息化厅省级工业和信悬化主管门章", "浙江省经济和信息化厅"),  # a cut note, then its opening
    ("福建省工业和信息化厅省级工业离息化", "福建省工业和信息化厅"),  # the note's opening cut off by the line
    ("福建省工业和信息化厅", "福建省工业和信息化厅"),  # 省工业… of a department is no 省级 opening
    ("杭州某某科技有限公司加盖", "杭州某某科技有限公司加盖"),  # an opening shorter than four: not taken
])
def test_the_templates_notes_are_not_part_of_a_cover_value(read: str, value: str) -> None:
    from pipeline.fields import strip_form_notes

    assert strip_form_notes(read) == value


def test_a_figure_beyond_anything_plausible_is_no_reading() -> None:
    from models import Provenance
    from pipeline.tables.values import FieldValue, implausible_dropped

    phone_in_a_count = FieldValue(13034247800, "13034247800", Provenance(page=2))
    assert implausible_dropped(phone_in_a_count, "int").value is None
    assert implausible_dropped(FieldValue(12, "12家", Provenance(page=2)), "int").value == 12


def test_a_form_whose_rules_ran_its_labels_together_is_read_from_its_text_lines() -> None:
    from models.page import Word
    from pipeline.fields import FORM
    from pipeline.tables.cells import CellText
    from pipeline.tables.form import FormRow, collapsed
    from pipeline.tables.geometry import Cell

    def row(*texts: str) -> FormRow:
        cells = tuple(CellText(Cell(0, i, 1, 1, (i * 100.0, 0.0, i * 100.0 + 90, 20.0)), (i * 100.0, 0.0, i * 100.0 + 90, 20.0),
                               (Word(text, (i * 100.0, 0.0, i * 100.0 + 90, 20.0)),), text) for i, text in enumerate(texts))
        return FormRow(1, cells)

    ruled = [row("牵头单位名称", "东莞产业数字化研究院", "统一社会信用代码", "12441900MAWURYYRXD")]
    assert not collapsed(ruled, FORM)
    run_together = [row("牵头单位名称东莞产业数字化研究院统一社会信用代码12441900MAWURYYRXD成立时间2010.11.19")]
    assert collapsed(run_together, FORM)
    assert not collapsed([row("联合体其他成员单位名称与类型（不超过6家）")], FORM)  # one label, spelt two ways


def test_a_grid_whose_one_cell_holds_labels_read_with_a_slip_each_is_collapsed() -> None:
    """A phone photo's blurred form (dev24 a04): three stray lines made one grid cell of many form lines, its
    labels each read with one character wrong ('全头单位名称', '是香连册法人'); counted only when exact, one
    label ('成立时间') was seen and the grid stood, every place read as nothing."""
    from models.page import Word
    from pipeline.fields import FORM
    from pipeline.tables.cells import CellText
    from pipeline.tables.form import FormRow, collapsed
    from pipeline.tables.geometry import Cell

    def row(text: str) -> FormRow:
        box = (0.0, 0.0, 400.0, 60.0)
        return FormRow(1, (CellText(Cell(0, 0, 1, 1, box), box, (Word(text, box),), text),))

    assert collapsed([row("全头单位名称 杭州器云建材有限公司\n成立时间 2024/10/11")], FORM)
    assert collapsed([row("参头单位名称 杭州器云建材有限公司\n是香注册法人 □是")], FORM)
    # One label with a slip and values around it is one label's cell.
    assert not collapsed([row("参头单位名称 杭州器云建材有限公司 有限公司")], FORM)
    # Two slips in a label is no label: a value that happens to resemble one does not part a grid.
    assert not collapsed([row("全头单位名称 杭州器云建材有限公司\n是香连册法人 □是")], FORM)


@pytest.mark.parametrize(("read", "value"), [
    ("东莞产业数字化研究院统一社会信", "东莞产业数字化研究院"),  # a wrapped label's first line run in
    ("广东省东莞市松山湖高新区服务的主要", "广东省东莞市松山湖高新区"),
    ("东莞产业数字化研究院", "东莞产业数字化研究院"),
    ("杭州社会信息科技有限公司", "杭州社会信息科技有限公司"),  # 社会信 alone starts no label
    ("台州工业互联网创新中心统一花会份用12331003MARWF4AE62", "台州工业互联网创新中心"),  # 统一社会信用, misread
    ("台州牵头科技有限公司", "台州牵头科技有限公司"),  # a label's start too short to tell, misread or not
])
def test_a_text_value_loses_a_following_labels_start(read: str, value: str) -> None:
    from pipeline.fields import cut_at_label

    assert cut_at_label(read) == value


@pytest.mark.parametrize(("text", "label"), [
    ("单位名称与类型", True), ("(不超过6家)", True), ("姓名", True),  # pieces of the form's print, split off
    ("单位名称写美型", True),  # 与类 misread
    ("湖北省工业技术研究院", False), ("浙江大学", False), ("台州市软件行业协会", False), ("郑州大学", False),
])
def test_pieces_of_the_forms_labels_are_no_member(text: str, label: bool) -> None:
    from pipeline.fields import is_label_text

    assert is_label_text(text) is label


def test_a_unit_whose_name_begins_like_a_long_label_keeps_it() -> None:
    from pipeline.fields import cut_at_label

    assert cut_at_label("浙江服务数字化研究院") == "浙江服务数字化研究院"  # 服务数字… starts a label, four characters only


def test_a_form_ruled_only_between_its_columns_is_read_from_its_text_bands(tmp_path: Path) -> None:
    """Word's "no inside horizontal borders": every label of the form in one tall cell.  Rows come
    from the text's bands, the member label is centred on its six rows, 单位负责人 between its two."""
    from tests.fixtures.tables.forms import X0, form_tables, text_pages
    from tests.fixtures.tables.synth import Sheet

    first, second = form_tables()
    first.rules = second.rules = "columns"
    sheets = [Sheet(tables=[first], texts=[(X0, 60, "一、基本情况（根据牵头单位情况填写）", 14)]), Sheet(tables=[second])]
    pages = text_pages(tmp_path, sheets, ["basic_info", "basic_info"], "columns")
    assert not any(line.top == line.bottom and 100 < line.top < 300 for line in pages[0].lines)
    info = extract_basic_info(pages, SETTINGS).value
    lead = info.lead_unit
    assert lead.name == "杭州智造数字科技有限公司" and lead.credit_code == "91330106MA2CFXXX30"
    assert lead.established == dt.date(2016, 3, 18) and lead.registered_capital == 5000.0
    assert lead.registered_address == "浙江省杭州市滨江区" and lead.main_industries == ["机械", "汽车"]
    assert lead.unit_type == "服务商"
    assert info.members == [Member(name="浙江某某大学", type="高校"), Member(name="杭州某某研究院", type="科研院所")]
    assert (info.head.name, info.head.title, info.head.mobile) == ("张伟", "总经理", "13805716666")
    assert [(f.revenue, f.net_margin, f.debt_ratio) for f in info.finance] == [(12000.0, 8.5, 42.1), (13560.5, 9.1, 40.0)]
    assert [(r.investors, r.financing, r.universities, r.providers) for r in info.resources] == [
        (12, 20000.0, 6, 40), (15, 26500.0, 8, 52)]


def test_letter_names_run_together_are_told_apart_and_one_units_name_is_kept_whole() -> None:
    assert letter_names("现推荐台州德致工业技术股份有限公司、绍兴产业数字化研究院台州泰恒工业技术股份有限公司建设") == [
        "台州德致工业技术股份有限公司", "绍兴产业数字化研究院", "台州泰恒工业技术股份有限公司"]
    for one in ("浙江工业大学智能制造研究院", "海尔集团卡奥斯物联科技有限公司", "中国科学院沈阳计算技术研究所有限公司"):
        assert letter_names(f"现推荐{one}建设") == [one]


def test_a_recommendation_table_whose_rules_are_all_lost_is_read_from_its_text(tmp_path: Path) -> None:
    """A small phone photo of a letter and its 推荐表 on one page: no rule survives, the rows do."""
    from tests.fixtures.tables.forms import RECOMMENDED
    from tests.fixtures.tables.synth import Defects, Sheet, STable, render

    table = STable.simple(50, 160, [36, 170, 110, 184], RECOMMENDED[:3], row_height=40)
    texts = [(50, 60, "现推荐杭州智造数字科技有限公司、宁波甬江工业互联网有限公司建设促进中心", 10),
             (50, 80, "附：浙江省制造业数字化转型促进中心推荐表", 10),
             (50, 120, "浙江省制造业数字化转型促进中心推荐表", 14),
             (50, 300, "注：1.推荐表请按优先顺序排序。2.工业大省可推荐不超过3家。", 10)]
    page = render(Sheet(tables=[table], texts=texts), tmp_path, name="rec", number=1,
                  defects=Defects(hairline_grey=254))
    page.role = "recommendation_letter"
    rec = extract_recommendation([page], SETTINGS).value
    assert [(r.rank, r.name) for r in rec.recommended] == [(1, "杭州智造数字科技有限公司"), (2, "宁波甬江工业互联网有限公司")]


def test_a_point_read_for_the_letters_separator_is_no_part_of_a_name() -> None:
    text = "现推荐宁波中云工业互联网有限公司.杭州锐诚工业技术有限公司建设制造业数字化转型促进中心"
    assert letter_names(text) == ["宁波中云工业互联网有限公司", "杭州锐诚工业技术有限公司"]


@pytest.mark.parametrize(("row", "letter", "agreed"), [
    ("杭州锐波工业技术有限公司", ["杭州锐诚工业技术有限公司"], "杭州锐诚工业技术有限公司"),  # one slip: the letter's line
    ("杭州锐诚工业技术有限公", ["杭州锐诚工业技术有限公司"], "杭州锐诚工业技术有限公司"),  # cut short in its cell
    ("杭州锐诚工业技术有限公司", ["杭州锐诚工业技术有限公", "宁波甬江工业互联网有限公司"], "杭州锐诚工业技术有限公司"),
    ("宁波甬江工业互联网有限公司", ["杭州锐诚工业技术有限公司"], "宁波甬江工业互联网有限公司"),  # two units
])
def test_a_table_name_misread_takes_the_letters_reading_of_it(row: str, letter: list[str], agreed: str) -> None:
    from models import Provenance, Recommendation, Recommended
    from pipeline.fields.recommendation import LETTER_RULE, agree_with_letter

    record = Recommendation(letter_names=letter, recommended=[Recommended(rank=1, name=row)])
    provenance = {"recommendation.recommended[0].name": Provenance(page=1)}
    agree_with_letter(record, provenance)
    assert record.recommended[0].name == agreed
    changed = provenance["recommendation.recommended[0].name"]
    assert (changed.resolved_by, changed.alternatives) == ((LETTER_RULE, [row]) if agreed != row else (None, []))


@pytest.mark.parametrize(("text", "key"), [
    ("统一社会信", "credit_code"),  # a two-line label's first line, a cell of its own on lines of text
    ("注册地（具体到", "registered_address"),
    ("宁波锐华饮料集团有限公司", None),
    ("统一社", None),  # too short to be told from a value
    ("学头单位要型", "unit_type"),  # a whole label with two characters misread (a phone photo, dev60 a02)
    ("酸务的要行业", "main_industries"),  # ... with one misread and one lost
    ("宁波锐华饮料公司", None),  # a value is no label blurred
])
def test_a_wrapped_labels_first_line_is_that_label(text: str, key: str | None) -> None:
    from pipeline.fields import FORM

    assert FORM.match(text)[0] == key


@pytest.mark.parametrize("written", [False, True])
def test_a_lead_value_with_nothing_read_is_measured_blank_or_inked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                  written: bool) -> None:
    """注册资本 left blank is a blank place (FIELD_MISSING); written but not read, ink (a doubt)."""
    from tests.fixtures.tables import forms

    if not written:
        monkeypatch.setitem(forms.LEAD, "capital", "")
    pages = form_scan_pages(tmp_path)
    pages[0].words = [w for w in pages[0].words if "万元" not in w.text or "5,000" not in w.text]  # not read
    result = extract_basic_info(pages, SETTINGS)
    assert result.value.lead_unit.registered_capital is None
    assert result.provenance["basic_info.lead_unit.registered_capital"].blank is (not written)


def test_a_checkbox_group_ocr_read_as_nothing_is_read_from_its_cells_pixels(tmp_path: Path) -> None:
    """A phone photo (dev60 a02): the 是/否 boxes' cell read as nothing at all; the boxes are still in its pixels."""
    pages = form_scan_pages(tmp_path)
    pages[0].words = [w for w in pages[0].words if not any(c in w.text for c in "☑☐□■") and w.text not in ("是", "否")]
    result = extract_basic_info(pages, SETTINGS)
    assert result.value.lead_unit.is_legal_person is True


def test_a_blank_head_value_is_measured_blank(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.fixtures.tables import forms

    monkeypatch.setitem(forms.HEAD, "title", "")
    result = extract_basic_info(form_scan_pages(tmp_path), SETTINGS)
    assert result.value.head.title is None and result.provenance["basic_info.head.title"].blank is True


def test_a_text_layer_table_name_is_kept_as_printed_whatever_the_letter_says() -> None:
    from models import Provenance, Recommendation, Recommended
    from pipeline.fields.recommendation import agree_with_letter

    record = Recommendation(letter_names=["杭州锐诚工业技术有限公司"],
                            recommended=[Recommended(rank=1, name="杭州锐波工业技术有限公司")])
    provenance = {"recommendation.recommended[0].name": Provenance(page=1, source="text")}
    agree_with_letter(record, provenance)
    assert record.recommended[0].name == "杭州锐波工业技术有限公司"


def test_a_scrap_of_rules_under_the_title_does_not_stand_for_the_recommendation_table(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Rules found as a scrap (a cell's worth, no header) under the 推荐表's title: the table is still
    read from its text."""
    import pipeline.fields.recommendation as recommendation
    from pipeline.tables.finder import TableFinding, text_table
    from tests.fixtures.tables.forms import RECOMMENDED
    from tests.fixtures.tables.synth import Defects, Sheet, STable, render

    table = STable.simple(50, 160, [36, 170, 110, 184], RECOMMENDED[:3], row_height=40)
    texts = [(50, 120, "浙江省制造业数字化转型促进中心推荐表", 14)]
    page = render(Sheet(tables=[table], texts=texts), tmp_path, name="rec", number=1, defects=Defects(hairline_grey=254))
    page.role = "recommendation_table"
    scrap = text_table(page, (260.0, 205.0, 552.0, 278.0))  # two rows of the last two columns, no header
    assert scrap is not None
    monkeypatch.setattr(recommendation, "find_tables",
                        lambda *args, **kwargs: TableFinding(page=page.number, tables=[scrap]))
    rec = extract_recommendation([page], SETTINGS).value
    assert [(r.rank, r.name) for r in rec.recommended] == [(1, "杭州智造数字科技有限公司"), (2, "宁波甬江工业互联网有限公司")]


@pytest.mark.parametrize("read, value", [
    ("省市两级给予建设主体的相关政策(含财政资金及金融支持等)省级专项资金支持200万元", "省级专项资金支持200万元"),
    ("省市两级给予建设主体的相关攻策（含财政资金及金融支持等） 省级专项资金支持", "省级专项资金支持"),  # a label misread
    ("省级专项资金支持200万元；宁波市按1:1比例配套", "省级专项资金支持200万元；宁波市按1:1比例配套"),
    ("相关政策由市级另行制定", "相关政策由市级另行制定"),  # a short label may open a value: kept
])
def test_a_cell_opening_with_its_columns_own_label_loses_the_label(read: str, value: str) -> None:
    """dev6 r17/r18: the 推荐表 header's wrapped line, below a rule the scan lost, read into the first row."""
    from pipeline.fields.recommendation import RECOMMENDED
    from pipeline.tables.values import without_own_label

    policies = next(column for column in RECOMMENDED.columns if column.field == "policies")
    assert without_own_label(read, policies) == value


def test_a_list_item_that_is_its_columns_label_is_no_item() -> None:
    from pipeline.fields.recommendation import RECOMMENDED
    from pipeline.tables.values import _own_label

    industries = next(column for column in RECOMMENDED.columns if column.field == "industries")
    assert _own_label("所服务的主要行业", industries) and _own_label("所服务的主要行", industries)
    assert not any(_own_label(name, industries) for name in ("医药", "电子信息制造", "电力装备"))


@pytest.mark.parametrize("read, value", [
    ("纳入省“智改数转”服务体系,给予300万元补助:太原市对服务中小企业数字化改造项目按合同额10%给予奖励",
     "纳入省“智改数转”服务体系,给予300万元补助;太原市对服务中小企业数字化改造项目按合同额10%给予奖励"),
    ("省级专项资金支持300万元;杭州市按1:1比例配套:合作银行提供2亿元授信额度",
     "省级专项资金支持300万元;杭州市按1:1比例配套;合作银行提供2亿元授信额度"),
    ("省级：给予300万元；市级：配套200万元", "省级：给予300万元；市级：配套200万元"),  # headings' colons stay
])
def test_a_colon_closing_a_whole_policy_clause_is_its_misread_semicolon(read: str, value: str) -> None:
    from pipeline.fields.recommendation import semicolons_restored

    assert semicolons_restored(read) == value


@pytest.mark.parametrize("read, address", [
    ("人浙江省宁波市鄞州区", "浙江省宁波市鄞州区"),  # dev7 a05: a neighbouring label's last character run in
    ("人\n浙江省宁波市鄞州区", "浙江省宁波市鄞州区"),  # on a line of its own
    ("浙江省宁波市鄞州区", "浙江省宁波市鄞州区"),
    ("宁波市鄞州区", "宁波市鄞州区"),  # an address may open with its city
    ("中国浙江省宁波市", "中国浙江省宁波市"),  # two characters before the province are no stray
    ("1浙江省宁波市", "1浙江省宁波市"),
])
def test_a_stray_character_before_the_province_that_opens_an_address_is_dropped(read: str, address: str) -> None:
    from pipeline.normalise import address_from_place

    assert address_from_place(read) == address


@pytest.mark.parametrize("read, value", [
    ("2024年 7家", "7家"),  # dev8 a01: the year column's header read into the count's place
    ("2024年\n7", "7"),
    ("2024年度 1,279.49万元", "1,279.49万元"),
    ("2024年", ""),  # nothing after it: no figure (parse_int would read 2024 in '2024年')
    ("元 2024年", "元"),  # dev4 a05: a blank count's place took the amount's wrapped unit and the next block's header
    ("12024年", "12024年"),  # not a label standing alone
    ("7家", "7家"),
    ("2025年 7家", "2025年 7家"),  # another year's label is not this column's
])
def test_a_year_columns_own_label_before_its_figure_is_no_part_of_it(read: str, value: str) -> None:
    from pipeline.fields.basic_info import without_year_label

    assert without_year_label(read, 2024) == value


def test_a_contact_left_out_before_the_number_is_blank_when_label_and_number_read_as_one(tmp_path: Path) -> None:
    """dev9 a12 (fax): '联系人及联系电话：17906712890' read as one sure word: no name was written between the
    label and the number, so FIELD_MISSING (blank), not 'ink it could not read'. Read unsurely, it stays a doubt;
    with a gap between the label and the number, the pixels of the gap decide."""
    import cv2
    import numpy as np

    from models import Provenance
    from models.page import Page, Word
    from pipeline.fields.cover import _blank_before

    image = np.full((400, 600), 250, np.uint8)
    path = tmp_path / "page.png"
    cv2.imwrite(str(path), image)
    page = Page(number=1, width=600, height=400, kind="scan", dpi=72, print_path=path)
    joined = Word("联系人及联系电话：17906712890", (120, 100, 340, 115), 0.99)
    sure = Provenance(page=1, bbox=[120, 100, 340, 115], confidence=0.99)
    assert _blank_before(page, [joined], [joined], sure).blank is True
    unsure = sure.model_copy(update={"confidence": 0.7})
    assert _blank_before(page, [joined], [joined], unsure).blank is None
    label, number = Word("联系人及联系电话：", (120, 100, 250, 115)), Word("17906712890", (300, 100, 390, 115))
    assert _blank_before(page, [label, number], [number], sure).blank is True  # a blank gap, measured
    cv2.putText(image, "AB", (262, 113), cv2.FONT_HERSHEY_SIMPLEX, 0.4, 20, 1)
    written = tmp_path / "written.png"  # a page image of its own: images are loaded once per path
    cv2.imwrite(str(written), image)
    page = Page(number=1, width=600, height=400, kind="scan", dpi=72, print_path=written)
    assert _blank_before(page, [label, number], [number], sure).blank is False  # ink in the gap


def test_a_cell_whose_print_is_all_fainter_than_the_pages_ink_level_is_read_at_its_own() -> None:
    """A phone photo (dev60 a05 p3): '8个' blurred to grey 157 and lighter, under the print layer's ink level of
    128: the second reader saw no ink in the cell. At the cell's own (Otsu) level it is ink; a cell with print
    as dark as the page's keeps the page's level, and a blank one finds nothing either way."""
    import cv2
    import numpy as np

    from pipeline.fields.basic_info import _at_its_own_level
    from pipeline.tables.reread import SecondReader

    image = np.full((200, 400), 255, np.uint8)
    cv2.putText(image, "8", (60, 70), cv2.FONT_HERSHEY_SIMPLEX, 1.2, 170, 3)
    cv2.putText(image, "8", (260, 70), cv2.FONT_HERSHEY_SIMPLEX, 1.2, 30, 3)
    reader = SecondReader(image, 2.0, 144.0, engine=None)  # type: ignore[arg-type]
    faint, dark, blank = (10, 10, 60, 45), (110, 10, 160, 45), (10, 60, 60, 95)
    assert not reader.holds_ink(faint)
    assert _at_its_own_level(reader, faint).holds_ink(faint)
    assert _at_its_own_level(reader, dark).level == reader.level
    assert not _at_its_own_level(reader, blank).holds_ink(blank)
