"""A recommendation's letter and table on one page are stamped by its one seal: the letter's page holding the
table fills the table's slot (also where one character of the table's name column was misread, as a photo's
中报对象名称), and a page taken for the table holding the letter's own body fills the letter's slot."""

from models.page import Page, Word
from pipeline.seals.slots import PageSeal, slot_values

LETTER, TABLE = "recommendation_letter", "recommendation_table"


def _page(text: str, role: str) -> Page:
    words = [Word(part, (40.0, 40.0 + 20 * i, 300.0, 52.0 + 20 * i), 0.9) for i, part in enumerate(text.split())]
    return Page(number=1, width=595, height=842, kind="scan", words=words, role=role)


def _stamped(slot: str, page: Page) -> dict[str, bool]:
    seal = PageSeal(page=1, bbox=(400.0, 300.0, 480.0, 380.0), shape="round", confidence=0.9, slot=page.role)
    return {name: value for name, value in slot_values([seal], "recommendation", [page]).items() if name == slot}


def test_table_head_read_with_one_character_wrong_still_marks_the_table() -> None:
    page = _page("宁波市制造业数字化转型促进中心推荐表 序号 中报对象名称 所服务的主要行业", LETTER)
    assert _stamped(TABLE, page) == {TABLE: True}


def test_table_head_exact_marks_the_table() -> None:
    assert _stamped(TABLE, _page("宁波市制造业数字化转型促进中心推荐表 序号 申报对象名称", LETTER)) == {TABLE: True}


def test_two_characters_wrong_is_no_table() -> None:
    assert _stamped(TABLE, _page("宁波市制造业数字化转型促进中心推荐表 序号 中报对家名称", LETTER)) == {TABLE: False}


def test_a_letter_without_the_table_title_fills_no_table_slot() -> None:
    assert _stamped(TABLE, _page("现推荐宁波达天数字科技有限公司 申报对象 附件", LETTER)) == {TABLE: False}


def test_a_letter_on_the_page_taken_for_the_table_is_stamped_by_its_seal() -> None:
    page = _page("工业和信息化部规划司 现推荐宁波达天数字科技有限公司 详细情况见附表 推荐表 申报对象名称", TABLE)
    assert _stamped(LETTER, page) == {LETTER: True}


def test_a_table_page_without_the_letter_s_body_leaves_the_letter_unstamped() -> None:
    page = _page("宁波市制造业数字化转型促进中心推荐表 序号 申报对象名称 现推荐", TABLE)
    assert _stamped(LETTER, page) == {LETTER: False}


def test_a_letter_whose_body_cues_read_a_character_wrong_on_the_table_page_is_stamped_by_its_seal() -> None:
    """dev42 r14, a photo: '工业和信息化藤规划司', '近三年无失售情况', the other cues lost: read as the classifier
    reads cues, still the letter's body; one such cue is not."""
    page = _page("工业和信息化藤规划司 我推荐台州拓泰工业技术有限公司 近三年无失售情况 推荐表 申报对象名称", TABLE)
    assert _stamped(LETTER, page) == {LETTER: True}
    one = _page("工业和信息化藤规划司 我推荐台州拓泰工业技术有限公司 推荐表 申报对象名称", TABLE)
    assert _stamped(LETTER, one) == {LETTER: False}
