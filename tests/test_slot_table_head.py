"""A recommendation's table on its letter's page fills the table's seal slot from the letter's seal, also where the
page's reading got one character of the table's name column wrong (a photographed page: 中报对象名称)."""

from models.page import Page, Word
from pipeline.seals.slots import PageSeal, slot_values


def _letter(text: str) -> Page:
    words = [Word(part, (40.0, 40.0 + 20 * i, 300.0, 52.0 + 20 * i), 0.9) for i, part in enumerate(text.split())]
    return Page(number=1, width=595, height=842, kind="scan", words=words, role="recommendation_letter")


def _seal() -> PageSeal:
    return PageSeal(page=1, bbox=(400.0, 300.0, 480.0, 380.0), shape="round", confidence=0.9, slot="recommendation_letter")


def test_table_head_read_with_one_character_wrong_still_marks_the_table() -> None:
    page = _letter("宁波市制造业数字化转型促进中心推荐表 序号 中报对象名称 所服务的主要行业")
    assert slot_values([_seal()], "recommendation", [page])["recommendation_table"]


def test_table_head_exact_marks_the_table() -> None:
    page = _letter("宁波市制造业数字化转型促进中心推荐表 序号 申报对象名称")
    assert slot_values([_seal()], "recommendation", [page])["recommendation_table"]


def test_two_characters_wrong_is_no_table() -> None:
    page = _letter("宁波市制造业数字化转型促进中心推荐表 序号 中报对家名称")
    assert not slot_values([_seal()], "recommendation", [page])["recommendation_table"]


def test_a_letter_without_the_table_title_fills_no_table_slot() -> None:
    page = _letter("现推荐宁波达天数字科技有限公司 申报对象 附件")
    assert not slot_values([_seal()], "recommendation", [page])["recommendation_table"]


def _table_page(text: str) -> Page:
    words = [Word(part, (40.0, 40.0 + 20 * i, 300.0, 52.0 + 20 * i), 0.9) for i, part in enumerate(text.split())]
    return Page(number=1, width=595, height=842, kind="scan", words=words, role="recommendation_table")


def _table_seal() -> PageSeal:
    return PageSeal(page=1, bbox=(400.0, 300.0, 480.0, 380.0), shape="round", confidence=0.9, slot="recommendation_table")


def test_a_letter_on_the_page_taken_for_the_table_is_stamped_by_its_seal() -> None:
    page = _table_page("工业和信息化部规划司 现推荐宁波达天数字科技有限公司 详细情况见附表 推荐表 申报对象名称")
    assert slot_values([_table_seal()], "recommendation", [page])["recommendation_letter"]


def test_a_table_page_without_the_letter_s_body_leaves_the_letter_unstamped() -> None:
    page = _table_page("宁波市制造业数字化转型促进中心推荐表 序号 申报对象名称 现推荐")
    assert not slot_values([_table_seal()], "recommendation", [page])["recommendation_letter"]
