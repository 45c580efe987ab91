"""The basic-info form read from lines of text (its rules not found): Word's merged label cells centre
their labels, so values and members do not stand on their label's line."""

from __future__ import annotations

import pytest

from models import BasicInfo, Cover, Provenance
from models.page import Word
from pipeline.fields import agree_unit_name, cut_at_label
from pipeline.fields.basic_info import FORM, labels_by_order, member_rows, stacked_members
from pipeline.normalise import repair_department
from pipeline.result import Extracted
from pipeline.tables.cells import CellText
from pipeline.tables.form import FormRow, find_labels, value_right_of
from pipeline.tables.geometry import Cell

Piece = tuple[str, float, float, float, float]  # text, x0, y0, x1, y1 (points)


def lines(*rows: list[Piece]) -> list[FormRow]:
    """Rows as `form.word_rows` makes them: each line of text a row, each word a cell."""
    out = []
    for index, pieces in enumerate(rows):
        cells = tuple(CellText(Cell(index, col, 1, 1, (x0, y0, x1, y1)), (x0, y0, x1, y1),
                               (Word(text, (x0, y0, x1, y1), 0.9, "ocr"),), text, 0.9)
                      for col, (text, x0, y0, x1, y1) in enumerate(pieces))
        out.append(FormRow(1, cells, ruled=False))
    return out


def _value(rows: list[FormRow], key: str) -> str:
    found = find_labels(rows, FORM)
    at = next(f for f in found if f.key == key)
    return value_right_of(rows, at, FORM, FORM.by_key[key][0], found).text


# A two-line label (注册地（具体到 / 区县）) with its value on a line of its own between the label's lines,
# the next label (服务的主要行 / 业) likewise, and the 成立时间 row above it.
ESTABLISHED: list[Piece] = [("成立时间", 97, 156, 137, 171), ("2012-03-08", 171, 156, 223, 173),
                            ("注册资本", 396, 155, 435, 173), ("1000.00万元", 456, 156, 516, 173)]
ADDRESS_LABELS: list[Piece] = [("注册地（具体到", 82, 174, 149, 191), ("服务的主要行", 318, 175, 379, 190)]
ADDRESS_ROWS = lines(
    ESTABLISHED, ADDRESS_LABELS,
    [("区县)", 100, 189, 127, 205), ("浙江省台州市黄岩区", 192, 183, 281, 197), ("业", 341, 190, 354, 205),
     ("汽车行业船舶工业", 413, 183, 494, 197)],
    [("牵头单位类型", 87, 208, 145, 223), ("□制造业企业□服务商□其它", 176, 208, 348, 223)],
)


def test_a_value_between_a_two_line_labels_lines_is_its_value() -> None:
    assert _value(ADDRESS_ROWS, "registered_address") == "浙江省台州市黄岩区"
    assert _value(ADDRESS_ROWS, "main_industries") == "汽车行业船舶工业"


def test_a_two_line_labels_second_line_on_the_values_line_is_no_value_however_misread() -> None:
    """服务的主要 / 行业 beside its value, the second line misread 行亚: it stands in the label's column."""
    rows = lines(
        [("注册地（具体到", 82, 161, 149, 176), ("区县)", 100, 165, 127, 180), ("浙江省宁波市鄞州区", 192, 163, 281, 177),
         ("服务的主要", 318, 158, 372, 173), ("行亚", 330, 168, 352, 183), ("装备制造、食品", 413, 163, 494, 177)],
    )
    assert _value(rows, "registered_address") == "浙江省宁波市鄞州区"
    assert _value(rows, "main_industries") == "装备制造、食品"


def test_a_labels_note_cut_by_its_line_break_is_no_part_of_the_value() -> None:
    """注册地（具体 / 到区县）: the first line ends inside the note, before its close."""
    rows = lines([("注册地（具体", 82, 169, 140, 184), ("北京市海淀区", 192, 169, 281, 184),
                  ("服务的主要", 318, 165, 372, 180), ("钢铁行业、汽车行业", 413, 169, 494, 184)])
    found = find_labels(rows, FORM)
    at = next(f for f in found if f.key == "registered_address")
    # The cell matched the label's short form (注册地), which has no note of its own.
    assert value_right_of(rows, at, FORM, "注册地", found).text == "北京市海淀区"


def test_a_line_beside_that_belongs_to_another_label_is_not_taken() -> None:
    rows = lines(ESTABLISHED, ADDRESS_LABELS)
    assert _value(rows, "registered_address") == ""  # 2012-03-08 is 成立时间's, 1000.00万元 注册资本's


def test_the_next_label_on_an_overlapping_line_ends_a_value() -> None:
    """统一社会信用 / 代码 is centred on the name's line: its first line stands half a line above."""
    rows = lines(
        [("统一社会信用", 318, 113, 377, 128)],
        [("牵头单位名称", 88, 121, 151, 136), ("杭州产业数字化研究院", 186, 121, 289, 136),
         ("91330108MA2CFXXX30", 397, 122, 507, 135)],
        [("代码", 337, 127, 359, 145)],
    )
    assert _value(rows, "name") == "杭州产业数字化研究院"


def test_members_above_the_centred_member_label_are_read() -> None:
    """Rows from lines: the member label's first line stands beside member 3, its 序号 column on."""
    rows = lines(
        [("牵头单位类型", 80, 160, 132, 175), ("□制造业企业☑服务商□其它", 158, 160, 324, 174)],
        [("1", 185, 182, 195, 196), ("台州和泰特钢集团有限公司", 236, 182, 343, 195), ("制造业企业", 473, 182, 519, 196)],
        [("2", 185, 205, 195, 217), ("台州市机械工业协会", 236, 203, 316, 217), ("行业协会", 479, 203, 516, 218)],
        [("联合体其他成员单位", 65, 225, 145, 239), ("3", 185, 227, 195, 238)],
        [("名称与类型(不超过", 66, 237, 145, 250)],
        [("6家)", 92, 247, 114, 261), ("4", 186, 248, 195, 259)],
        [("5", 187, 269, 195, 282)],
        [("单位名称写美型", 70, 280, 140, 290)],  # a label piece misread: the label column, no member
        [("6", 186, 291, 195, 303)],
        [("姓名", 181, 312, 202, 327), ("陶秀", 261, 312, 281, 327)],
    )
    members = member_rows(rows, find_labels(rows, FORM))
    assert [[c.text for c in cells] for _, cells in members] == [
        ["台州和泰特钢集团有限公司", "制造业企业"], ["台州市机械工业协会", "行业协会"], [], [], [], []]


def test_a_stray_cell_before_a_members_name_is_dropped() -> None:
    rows = lines(
        [("牵头单位类型", 80, 160, 132, 175), ("☑制造业企业", 158, 160, 324, 174)],
        [("联合体其他成员单位名称与类型", 65, 182, 145, 196), ("3", 170, 182, 180, 196), ("1", 237, 182, 246, 196),
         ("常州旭科工业技术有限公司", 247, 182, 439, 196), ("服务商", 439, 182, 513, 196)],
        [("姓名", 181, 212, 202, 227)],
    )
    members = member_rows(rows, find_labels(rows, FORM))
    assert [[c.text for c in cells] for _, cells in members] == [["常州旭科工业技术有限公司", "服务商"]]


@pytest.mark.parametrize(("read", "value"), [
    ("泉州捷信网络科技有限公司 统一祛会信 用代码 91350582MAEBA8FH3C", "泉州捷信网络科技有限公司"),  # label misread
    ("绍兴顺腾智能制造技术有限公司 统一社会 码 信用代 91330603MAAANP2N9", "绍兴顺腾智能制造技术有限公司"),
    ("杭州产业数字化研究院52330108MARN63N39L", "杭州产业数字化研究院"),  # the code run in
    ("杭州社会信息科技有限公司", "杭州社会信息科技有限公司"),
])
def test_a_misread_label_or_a_code_run_into_a_name_is_cut(read: str, value: str) -> None:
    assert cut_at_label(read) == value


def _names(applicant: str, lead: str, cover_confidence: float, lead_confidence: float,
           ) -> tuple[Extracted[Cover], Extracted[BasicInfo]]:
    cover = Extracted(Cover(applicant=applicant),
                      {"cover.applicant": Provenance(page=1, confidence=cover_confidence)})
    info = BasicInfo()
    info.lead_unit.name = lead
    basic = Extracted(info, {"basic_info.lead_unit.name": Provenance(page=2, confidence=lead_confidence)})
    agree_unit_name(cover, basic)
    return cover, basic


def test_the_applicant_misread_under_its_seal_is_the_lead_units_name() -> None:
    cover, basic = _names("常州顺易航体装备看限公司", "常州顺易航空装备有限公司", 0.7, 0.95)
    assert cover.value.applicant == basic.value.lead_unit.name == "常州顺易航空装备有限公司"
    origin = cover.provenance["cover.applicant"]
    assert origin.alternatives == ["常州顺易航体装备看限公司"] and origin.resolved_by and not origin.unsettled


def test_a_name_cut_short_takes_the_whole_one_and_two_units_stay_apart() -> None:
    cover, basic = _names("北京启华工业技术集团有限公司", "北京启华工业技术集团有", 0.6, 0.95)
    assert basic.value.lead_unit.name == "北京启华工业技术集团有限公司"  # the other does not end as a name ends
    cover, basic = _names("浙江大学", "杭州智造数字科技有限公司", 0.6, 0.95)
    assert (cover.value.applicant, basic.value.lead_unit.name) == ("浙江大学", "杭州智造数字科技有限公司")


def test_a_lead_name_run_on_into_a_misread_label_takes_the_applicants() -> None:
    """A faint rule: the name ran on into the credit code's label, misread past cutting; alike over its length."""
    _cover, basic = _names("宁波捷航软件股份有限公司", "宁波键航纹件股份有限公间债一共会信用花义", 0.99, 0.52)
    assert basic.value.lead_unit.name == "宁波捷航软件股份有限公司"
    assert basic.provenance["basic_info.lead_unit.name"].alternatives == ["宁波键航纹件股份有限公间债一共会信用花义"]
    # Another unit's name run on is not alike over the applicant's length: both stay as read.
    _cover, basic = _names("宁波捷航软件股份有限公司", "杭州智造数字科技有限公司统一社会信", 0.99, 0.9)
    assert basic.value.lead_unit.name == "杭州智造数字科技有限公司统一社会信"


@pytest.mark.parametrize(("read", "name"), [
    ("福建省工业和信真化厅", "福建省工业和信息化厅"), ("江苏省工业和信比厅", "江苏省工业和信息化厅"),
    ("江苏省企和信息化厅", "江苏省工业和信息化厅"),  # 工业 or 经济 as near: Jiangsu's department is 工业和信息化厅
    ("某某省企和信息化厅", "某某省企和信息化厅"),  # as near, and no department known for the place: as read
    ("浙江省发展和改革委员会", "浙江省发展和改革委员会"),  # not a 工信 department: as read
])
def test_a_departments_garbled_fixed_part_is_restored_when_one_is_nearest(read: str, name: str) -> None:
    assert repair_department(read) == name


def test_yearly_figures_wrapped_off_their_labels_line_are_read() -> None:
    """'11,558.30 / 万元' wrapped in its cell: on lines of text the number stands half a line above the
    label's line, the unit on it; the next label's line keeps its own figures."""
    from pipeline.config import Settings
    from pipeline.fields.basic_info import FormReader
    from pipeline.fields.common import Sink

    rows = lines(
        [("2024年", 396, 366, 431, 381), ("2025年", 466, 366, 500, 381)],
        [("11,558.30", 393, 385, 437, 399), ("12,074.30", 456, 385, 513, 399)],
        [("近两年财务经营", 83, 390, 156, 405), ("主营业务收入", 168, 391, 229, 407), ("万元", 408, 398, 423, 412),
         ("万元", 470, 398, 485, 412)],
        [("主营业务净利润率", 169, 415, 252, 430), ("4.5 %", 402, 416, 426, 430), ("8.6 %", 471, 416, 496, 430)],
    )
    reader = FormReader.__new__(FormReader)
    reader.pages, reader.rows, reader.found = {}, rows, find_labels(rows, FORM)
    reader.sink, reader.second = Sink(Settings(cache_dir=None)), lambda page: None
    finance, _, _ = reader.year_tables()
    assert [(f.revenue, f.net_margin) for f in finance] == [(11558.3, 4.5), (12074.3, 8.6)]


def test_a_blank_figures_place_takes_neither_the_next_header_nor_a_unit_wrapped_from_above() -> None:
    """组织人才培养人次 2024 left blank: on lines of text the figure above wrapped its '元' a line above the
    blank's place and the next group's header '2024年' stands a line below; neither is the figure."""
    rows = lines(
        [("2024年", 399, 363, 426, 375), ("2025年", 468, 363, 496, 375)],
        [("开展的数字化改造实施服务项目合同金额（当期)", 169, 393, 361, 407), ("1,601.65万", 390, 389, 435, 402),
         ("1.343.29万元", 455, 395, 509, 408)],
        [("元", 408, 401, 419, 412)],
        [("组织人才培养人次（当期)", 169, 411, 272, 423), ("379人次", 466, 411, 499, 424)],
        [("2024年", 399, 425, 426, 438), ("2025年", 467, 426, 495, 438)],
        [("汇聚投融资机构数量（累计)", 168, 439, 281, 452), ("5个", 402, 440, 420, 452), ("5个", 472, 440, 491, 453)],
    )
    _, service, resources = _reader(rows).year_tables()
    assert [s.trainees for s in service] == [None, 379]
    assert [r.investors for r in resources] == [5, 5]


def test_a_label_parted_from_its_last_line_by_the_bands_has_its_value_beside_that_line() -> None:
    """A text layer's bands part '注册地（具体' · '到区县）' into two rows, the address beside the second."""
    banded = [FormRow(1, row.cells, ruled=True) for row in lines(
        [("成立时间", 81, 146, 129, 157), ("2012.07.03", 161, 147, 221, 157), ("注册资本", 398, 146, 446, 157),
         ("500.00万元", 465, 147, 528, 157)],
        [("注册地（具体", 69, 172, 141, 183)],
        [("到区县）", 81, 189, 129, 201), ("河北省石家庄市裕华区", 172, 181, 292, 192), ("服务的主要行业", 320, 172, 380, 200),
         ("机械行业医药", 426, 181, 501, 192)],
    )]
    lead = _reader(banded).lead_unit()
    assert lead.registered_address == "河北省石家庄市裕华区"
    assert lead.main_industries == ["机械", "医药"]
    alone = _reader(banded[:2]).lead_unit()  # no next row: nothing to read, as before
    assert alone.registered_address is None


def test_a_yearly_rows_label_misread_past_matching_is_named_by_its_place_in_the_group() -> None:
    """A blurred photo read 资产负债率 '资产负价事': the row after 主营业务净利润率's, holding figures, like that
    label by half its characters, is its row; a row unlike it, or after another label's row, is not."""
    def finance(debt_label: str, between: list[Piece] | None = None) -> list[float | None]:
        rows = lines(
            [("2024年", 405, 329, 438, 342), ("2025年", 479, 328, 512, 343)],
            [("主营业务收入", 158, 346, 222, 360), ("37,848万元", 395, 346, 449, 360), ("43,436.6万元", 463, 347, 516, 360)],
            [("主营业务净利润率", 158, 362, 243, 377), ("5.1%", 410, 363, 432, 377), ("6.5%", 484, 364, 504, 377)],
            *([between] if between else []),
            [(debt_label, 160, 380, 211, 395), ("23.6%", 409, 381, 432, 394), ("39.3%", 482, 382, 508, 394)],
        )
        reader = _reader(rows)
        reader.found = labels_by_order(rows, reader.found)  # as FormReader's own __init__ names them
        return [year.debt_ratio for year in reader.year_tables()[0]]

    assert finance("资产负价事") == [23.6, 39.3]
    assert finance("资产负债率") == [23.6, 39.3]  # matched as before
    assert finance("营业外收入") == [None, None]  # nothing like the label: not taken
    assert finance("资产负价事", [("汇聚投融资机构数量", 158, 371, 250, 379), ("4个", 410, 371, 431, 379)]) == [None, None]


def test_a_misread_yearly_label_beside_its_group_s_spanning_label_is_named_by_its_place() -> None:
    """'资源条件' spans the group's rows and stands first on each: the misread label after it
    ('汇聚制造业致字化转型服务裔致量', a photo's 数 read 致, dev36 a07) is still the one its place names."""
    rows = lines(
        [("资源条件", 60, 329, 140, 342), ("2024年", 405, 329, 438, 342), ("2025年", 479, 328, 512, 343)],
        [("资源条件", 60, 346, 140, 360), ("汇聚高校、科研院所数量（累计）", 158, 346, 300, 360), ("1个", 410, 346, 430, 360),
         ("3个", 484, 346, 504, 360)],
        [("资源条件", 60, 364, 140, 377), ("汇聚制造业致字化转型服务裔致量（累计)", 158, 364, 330, 377), ("9个", 410, 364, 430, 377),
         ("8个", 484, 364, 504, 377)],
    )
    reader = _reader(rows)
    reader.found = labels_by_order(rows, reader.found)
    assert [year.providers for year in reader.year_tables()[2]] == [9, 8]


def _ruled(page: int, *pieces: Piece) -> FormRow:
    """One ruled row: each piece a cell (an empty text, a cell holding nothing read)."""
    return FormRow(page, tuple(CellText(Cell(0, col, 1, 1, (x0, y0, x1, y1)), (x0, y0, x1, y1),
                                        (Word(text, (x0, y0, x1, y1), 0.9, "ocr"),) if text else (), text, 0.9)
                               for col, (text, x0, y0, x1, y1) in enumerate(pieces)))


def test_the_forms_last_row_run_onto_the_next_page_its_label_unread_is_named_by_its_place() -> None:
    """The form broken before 汇聚制造业数字化转型服务商数量's row: on the next page (a dither's gradient, dev39
    a03 p3) its figures read and its label not. The ruled row opening that page, nothing but figures in it,
    is the providers row; a row after other print on either page is not."""
    def providers(first_page_tail: list[FormRow], next_page: list[FormRow]) -> list[int | None]:
        rows = [
            _ruled(2, ("", 60, 300, 160, 320), ("", 160, 300, 386, 320), ("2024年", 386, 300, 449, 320),
                   ("2025年", 449, 300, 527, 320)),
            _ruled(2, ("资源条件", 60, 320, 160, 345), ("汇聚高校、科研院所数量（累计）", 160, 320, 386, 345),
                   ("3个", 386, 320, 449, 345), ("4个", 449, 320, 527, 345)),
            *first_page_tail, *next_page,
        ]
        reader = _reader(rows)
        reader.found = labels_by_order(rows, reader.found)
        return [year.providers for year in reader.year_tables()[2]]

    sliver = _ruled(3, ("", 71, 76, 160, 81), ("", 160, 76, 386, 82), ("", 386, 77, 449, 82), ("", 449, 77, 527, 83))
    spilled = _ruled(3, ("", 71, 81, 160, 106), ("", 160, 81, 386, 107), ("4个", 386, 82, 449, 107),
                     ("5个", 449, 82, 527, 107))
    assert providers([], [sliver, spilled]) == [4, 5]
    assert providers([], [_ruled(3, ("一、建设目标", 71, 60, 300, 75)), spilled]) == [None, None]
    assert providers([_ruled(2, ("注：以上数据", 60, 345, 300, 360))], [spilled]) == [None, None]
    assert providers([], [_ruled(3, ("附件", 71, 81, 160, 106), ("", 160, 81, 386, 107), ("4个", 386, 82, 449, 107))]
                     ) == [None, None]


def test_a_member_label_misread_and_split_over_two_cells_still_marks_the_members() -> None:
    """A curled page read as lines: the label's first line misread (其 as 基), its second a cell of its own
    beside it, and member 4's 序号 after both."""
    rows = lines(
        [("牵头单位类型", 80, 160, 132, 175), ("☑制造业企业", 158, 160, 324, 174)],
        [("1", 185, 182, 195, 196), ("台州旭汇软件有限公司", 236, 182, 343, 195), ("制造业企业", 473, 182, 519, 196)],
        [("联合体基他成员", 40, 204, 110, 218), ("单位名称与类型", 112, 204, 175, 218), ("2", 185, 204, 195, 218),
         ("台州汇卓自动化集团有限公司", 236, 204, 360, 218), ("制造业企业", 473, 204, 519, 218)],
        [("(不超过6家)", 60, 226, 120, 240)],
        [("3", 185, 248, 195, 262), ("台州正兴数据技术有限公司", 236, 248, 350, 262), ("服务商", 473, 248, 519, 262)],
        [("姓名", 181, 312, 202, 327), ("薛建婷", 261, 312, 291, 327)],
    )
    members = member_rows(rows, find_labels(rows, FORM))
    assert [[c.text for c in cells] for _, cells in members] == [
        ["台州旭汇软件有限公司", "制造业企业"], ["台州汇卓自动化集团有限公司", "制造业企业"], ["台州正兴数据技术有限公司", "服务商"]]


def test_a_two_line_labels_first_line_is_cut_off_whole_not_at_its_short_variant() -> None:
    """'注册地（具体到' matches the short label 注册地 exactly: the value still loses the whole line."""
    rows = lines(
        [("牵头单位名称", 88, 121, 151, 136), ("杭州产业数字化研究院", 186, 121, 289, 136)],
        [("注册地（具体到", 82, 174, 149, 191), ("浙江省台州市黄岩区", 192, 174, 281, 191)],
        [("牵头单位类型", 87, 208, 145, 223), ("☑制造业企业", 176, 208, 348, 223)],
    )
    from pipeline.fields.basic_info import FormReader

    reader = FormReader.__new__(FormReader)
    reader.rows, reader.found = rows, find_labels(rows, FORM)
    value = reader.value("registered_address")
    assert value is not None and value.text == "浙江省台州市黄岩区"


def test_a_credit_code_its_cell_wrapped_is_joined_only_when_the_joined_code_checks() -> None:
    """'91110108MAH1XRN3' · '3L': the code's last characters on the line below, under its first line."""
    from models import LeadUnit
    from pipeline.config import Settings
    from pipeline.fields.basic_info import FormReader
    from pipeline.fields.common import Sink

    def lead(rest: str) -> str | None:
        rows = lines(
            [("牵头单位名称", 88, 112, 151, 127), ("北京启华工业技术集团有", 160, 112, 300, 127),
             ("统一社会信", 318, 112, 370, 127), ("91110108MAH1XRN3", 396, 113, 505, 126)],
            [("限公司", 160, 125, 190, 139), ("用代码", 330, 125, 360, 139), (rest, 396, 126, 410, 139)],
        )
        reader = FormReader.__new__(FormReader)
        reader.pages, reader.rows, reader.found = {}, rows, find_labels(rows, FORM)
        reader.sink, reader.second = Sink(Settings(cache_dir=None)), lambda page: None
        unit = LeadUnit()
        reader._credit_code(unit)
        return unit.credit_code

    assert lead("3L") == "91110108MAH1XRN33L"
    assert lead("3X") == "91110108MAH1XRN3"  # the joined code fails its check: the reading stays as read


def test_a_date_its_cell_wrapped_is_joined_with_its_rest() -> None:
    """'2015.06.0' · '2': the day's last digit on the line below, under the date."""
    import datetime as dt

    from pipeline.config import Settings
    from pipeline.fields.basic_info import FormReader
    from pipeline.fields.common import Sink

    rows = lines(
        [("成立时间", 88, 148, 130, 162), ("2015.06.0", 175, 148, 225, 162), ("是否注册法", 240, 146, 290, 160),
         ("注册资本", 396, 148, 435, 162)],
        [("2", 218, 157, 224, 170), ("人", 260, 157, 270, 170)],
    )
    reader = FormReader.__new__(FormReader)
    reader.pages, reader.rows, reader.found = {}, rows, find_labels(rows, FORM)
    reader.sink, reader.second = Sink(Settings(cache_dir=None)), lambda page: None
    assert reader.lead_unit().established == dt.date(2015, 6, 2)


@pytest.mark.parametrize(("read", "rest", "date"), [
    ("2016.09.2", "5", "2016-09-25"),  # the month padded, the day one digit: its last digit wrapped below
    ("2016年9月2", "5日", "2016-09-25"),  # in words, without the 日 that closes it
    ("2016.9.2", "5", "2016-09-02"),  # a month of one digit: a day of one digit is written whole
    ("2016年9月2日", "5", "2016-09-02"),  # closed by its 日
])
def test_a_date_that_parses_with_its_day_cut_short_is_joined_with_the_rest(read: str, rest: str, date: str) -> None:
    rows = lines(
        [("成立时间", 88, 148, 130, 162), (read, 163, 134, 222, 151), ("是否注册法", 240, 133, 300, 150),
         ("注册资本", 396, 140, 442, 157)],
        [(rest, 187, 150, 197, 164), ("人", 261, 148, 278, 165)],
    )
    established = _reader(rows).lead_unit().established
    assert established is not None and established.isoformat() == date


def _reader(rows: list[FormRow]):  # type: ignore[no-untyped-def]
    from pipeline.config import Settings
    from pipeline.fields.basic_info import FormReader
    from pipeline.fields.common import Sink

    reader = FormReader.__new__(FormReader)
    reader.pages, reader.rows, reader.found = {}, rows, find_labels(rows, FORM)
    reader.sink, reader.second = Sink(Settings(cache_dir=None)), lambda page: None
    return reader


# The head's rows read as lines of text: 职务's value '董事长兼总经 · 理' wrapped, centred on the group label's line.
HEAD_LINES: list[list[Piece]] = [
    [("姓名", 183, 321, 207, 335), ("袁明", 240, 321, 262, 335), ("手机", 337, 321, 360, 335)],
    [("单位负责人", 84, 336, 144, 350), ("董事长兼总经", 214, 336, 290, 350)],
    [("职务", 182, 347, 206, 361), ("理", 247, 347, 257, 361), ("电子邮箱", 326, 347, 374, 361)],
]


def test_a_text_its_cell_wrapped_over_lines_is_read_whole() -> None:
    """职务 '董事长兼总经 · 理' centred on its label's line, on the line of the group label 单位负责人; the name
    above keeps its own line."""
    head = _reader(lines(*HEAD_LINES)).head()
    assert (head.name, head.title) == ("袁明", "董事长兼总经理")


@pytest.mark.parametrize(("read", "rest", "email"), [
    ("pryw1176@foxmail.co", "m", "pryw1176@foxmail.com"),  # the domain's last letter wrapped below
    ("pryw1176@foxmail.com", "m", "pryw1176@foxmail.com"),  # whole on its line: the line below is not its
    ("pryw1176@example.co", "m", "pryw1176@example.co"),  # no known domain made by joining: as read
])
def test_an_address_its_cell_wrapped_is_joined_only_when_that_makes_a_known_mail_domain(
        read: str, rest: str, email: str) -> None:
    rows = lines(
        [("姓名", 183, 352, 205, 372), ("徐军", 250, 352, 290, 372), ("手机", 337, 352, 360, 372),
         ("15233055563", 410, 352, 500, 372)],
        [("单位负责人", 84, 375, 143, 397), ("职务", 184, 388, 205, 410), ("董事长", 254, 388, 290, 408),
         ("电子邮箱", 327, 388, 374, 408), (read, 396, 384, 527, 401)],
        [(rest, 455, 400, 468, 415)],
    )
    assert _reader(rows).head().email == email


def test_a_line_below_belongs_to_the_label_nearest_left_of_it() -> None:
    """The lead unit's name wraps ('…集团有 · 限公司'); 注册资本's '万元' wrapped onto a line beside 服务的主要行业
    is not an industry."""
    rows = lines(
        [("牵头单位名称", 78, 119, 149, 136), ("北京启华工业技术集团有", 169, 112, 300, 130)],
        [("限公司", 216, 125, 252, 143)],
        [("成立时间", 89, 148, 137, 166), ("是否注册法", 244, 139, 301, 159), ("注册资本", 396, 146, 444, 166),
         ("2,680.00", 470, 146, 520, 160)],
        [("万元", 480, 158, 505, 172)],
        [("注册地（具体", 78, 169, 148, 186), ("北京市海淀区", 160, 169, 240, 186), ("服务的主要", 321, 168, 377, 187),
         ("钢铁行业、汽车行业", 420, 172, 530, 186)],
    )
    lead = _reader(rows).lead_unit()
    assert lead.name == "北京启华工业技术集团有限公司"
    assert lead.main_industries == ["钢铁", "汽车"]


def test_a_label_ending_a_cell_after_a_value_is_found_and_the_value_kept() -> None:
    """The rule between 成立时间's value and the 是否注册法人 label was lost: one cell holds both."""
    from dataclasses import replace

    [row] = lines([("成立时间", 88, 148, 130, 162), ("2014/11/24 是否注册法人", 140, 148, 300, 162),
                   ("□是 ☑否", 305, 148, 360, 162), ("注册资本 10,000万元", 396, 148, 520, 162)])
    rows = [replace(row, ruled=True)]
    assert _value(rows, "established") == "2014/11/24"
    assert _value(rows, "is_legal_person") == "□是 ☑否"


def test_a_value_on_a_line_of_its_own_is_not_taken_twice_as_its_own_wrapped_line() -> None:
    reader = _reader(ADDRESS_ROWS)
    value = reader.value("registered_address")
    assert value is not None and reader._with_wrapped_lines("registered_address", value).text == "浙江省台州市黄岩区"


def test_a_line_with_print_of_its_own_in_the_labels_column_is_not_a_wrapped_line() -> None:
    """A member's row above the head's name (its 序号 in the 姓名 label's column) is another part of the
    form, not the name's first line; the title's '理' below, beside the label's own words, still is."""
    member = [("2", 190, 306, 198, 320), ("东北大学", 232, 306, 290, 320), ("高校科研院所", 340, 306, 410, 320)]
    head = _reader(lines(member, *HEAD_LINES)).head()
    assert (head.name, head.title) == ("袁明", "董事长兼总经理")


def test_an_amount_whose_cell_wrapped_its_last_digit_and_unit_is_read_whole() -> None:
    """'2,288.1' · '9万元' (a curled page read as lines): the wrapped digit continues the number; the next
    label's line keeps its own figures."""
    rows = lines(
        [("2024年", 398, 540, 431, 556), ("2025年", 470, 540, 523, 556)],
        [("开展的数字化改造实施服务项目合同金额", 163, 583, 381, 602), ("2,288.1", 396, 585, 440, 603),
         ("1,264.61", 466, 582, 528, 604)],
        [("(当期)", 167, 597, 207, 617), ("9万元", 396, 599, 433, 619), ("万元", 481, 599, 514, 617)],
        [("组织人才培养人次（当期)", 164, 617, 302, 636), ("454人次", 395, 618, 445, 639), ("381人次", 468, 616, 527, 637)],
    )
    reader = _reader(rows)
    _, service, _ = reader.year_tables()
    assert [(s.contract_amount, s.trainees) for s in service] == [(2288.19, 454), (1264.61, 381)]


def test_a_unit_alone_wrapped_below_an_amount_is_not_joined_to_it() -> None:
    """'24,054.15' · '万元': the number is whole; its box is not grown over the unit's line (a second reading
    of two lines' crop read '24元')."""
    rows = lines(
        [("2024年", 399, 419, 429, 434), ("2025年", 468, 419, 500, 434)],
        [("主营业务收入", 168, 443, 228, 458), ("24,054.15", 391, 439, 437, 452), ("31,831.50万", 454, 438, 512, 455)],
        [("万元", 404, 449, 426, 465), ("元", 476, 450, 491, 465)],
    )
    reader = _reader(rows)
    at = next(f for f in reader.found if f.key == "finance.revenue")
    values = reader._year_values(reader.rows[at.row], at, {2024: (399, 429), 2025: (468, 500)})
    assert [v.text if v else None for v in values] == ["24,054.15", "31,831.50万"]
    assert all(len(v.cells) == 1 for v in values if v)


def test_a_member_label_cell_that_lost_a_middle_line_still_marks_the_members() -> None:
    """A phone photo's tight label cell read '体其他成员单' · '超过6家' (its first characters and middle line
    lost, dev7 a03): each line is a piece of the label, so the cell is the label's."""
    rows = lines(
        [("牵头单位类型", 80, 198, 165, 224), ("☑服务商", 165, 198, 516, 224)],
        [("体其他成员单\n超过6家", 80, 224, 165, 300), ("1", 165, 224, 236, 250), ("台州新拓网络科技有限公司", 236, 224, 442, 250),
         ("制造业企业", 442, 224, 516, 250)],
        [("2", 165, 250, 236, 276), ("台州旭嘉智能科技股份有限公司", 236, 250, 442, 276), ("服务商", 442, 250, 516, 276)],
        [("单位负责人", 80, 300, 165, 326), ("姓名", 165, 300, 236, 326), ("杨霞", 236, 300, 310, 326)],
    )
    members = member_rows(rows, find_labels(rows, FORM))
    assert [[c.text for c in cells] for _, cells in members] == [
        ["台州新拓网络科技有限公司", "制造业企业"], ["台州旭嘉智能科技股份有限公司", "服务商"]]


def test_member_label_lines_each_too_short_alone_mark_the_members_together() -> None:
    """'体其他疲员' · '6家)': neither line is long enough to be told a misread label alone (dev13 a11's phone
    photo, its six members lost); in the label's order, one character in seven misread, they are its lines.
    The same lines out of order, or a member's own wrapped name, are not."""
    from pipeline.fields.basic_info import _members_label_piece

    rows = lines(
        [("牵头单位类型", 80, 198, 165, 224), ("☑服务商", 165, 198, 516, 224)],
        [("体其他疲员\n6家)", 80, 224, 165, 300), ("1", 165, 224, 236, 250), ("之江实验室", 236, 224, 442, 250),
         ("科研院所", 442, 224, 516, 250)],
        [("2", 165, 250, 236, 276), ("浙江工业大学", 236, 250, 442, 276), ("高校", 442, 250, 516, 276)],
        [("单位负责人", 80, 300, 165, 326), ("姓名", 165, 300, 236, 326), ("杨霞", 236, 300, 310, 326)],
    )
    members = member_rows(rows, find_labels(rows, FORM))
    assert [[c.text for c in cells] for _, cells in members] == [["之江实验室", "科研院所"], ["浙江工业大学", "高校"]]
    assert not _members_label_piece("6家)\n体其他疲员")
    assert not _members_label_piece("株洲华达智能\n科技有限公司")


def test_a_label_ocr_parted_into_two_words_on_its_line_is_one_label_again() -> None:
    """'统一社会' · '信用代': neither word is a label, together they are 统一社会信用代码's; the code beside is its value."""
    from pipeline.tables.form import joined_label_words

    rows = [joined_label_words(row, FORM) for row in lines(
        [("牵头单位名称", 79, 91, 131, 104), ("绍兴顺腾智能制造技术有限公司", 168, 91, 294, 104),
         ("统一社会", 319, 86, 355, 99), ("信用代", 355, 88, 381, 101), ("91330603MAAANP2N9", 425, 92, 502, 104)])]
    assert [cell.text for cell in rows[0].cells][2] == "统一社会信用代"
    assert _value(rows, "credit_code") == "91330603MAAANP2N9"
    # Two value words far apart are not joined, even where together they would read as a label.
    apart = joined_label_words(lines([("统一社会", 319, 86, 355, 99), ("信用代", 420, 88, 446, 101)])[0], FORM)
    assert len(apart.cells) == 2


@pytest.mark.parametrize(("read", "code"), [
    ("913310034355267148", "91331003435526714B"),  # the check character B read as its lookalike 8
    ("91331003435526714B", "91331003435526714B"),  # valid as read
    ("913310034355267147", None),  # 7 is no lookalike of B: a misread code beside no label stays unread
    ("91330603MAAANP2N9", None),  # 17 characters: no code to validate
])
def test_a_code_beside_a_misread_label_on_the_name_row_is_kept_only_when_it_validates(
        read: str, code: str | None) -> None:
    """'统一共翁作信用': the label misread past matching; the form prints the code on the lead unit's name row."""
    from models import LeadUnit

    reader = _reader(lines([("牵头单位名称", 80, 119, 165, 133), ("台州祥恒自动化有限公司", 165, 119, 310, 133),
                            ("统一共翁作信用", 310, 119, 381, 133), (read, 381, 119, 516, 133)]))
    unit = LeadUnit()
    reader._credit_code(unit)
    assert unit.credit_code == code


def test_a_wrapped_line_under_a_label_of_the_line_above_is_still_its_values() -> None:
    """'汽车零部件，电力装备，' · '纺织，船舶': the wrapped line centred in the value's column, where 注册资本 (the line
    above) also starts; that label stands over the line, not left of it, so the line is the industries'."""
    rows = lines(
        [("成立时间", 101.8, 154.6, 143.5, 170.9), ("2017/11/3", 176.2, 154.6, 223.2, 170.9),
         ("是否注册法人", 241.9, 155.0, 302.9, 169.0), ("注册资本", 390.2, 154.6, 432.0, 170.9),
         ("10,000万元", 453.1, 155.0, 515.0, 169.0)],
        [("注册地（具体到", 86.9, 170.9, 157.4, 187.2), ("辽宁省大连市甘井子区", 185.8, 177.6, 289.0, 193.9),
         ("服务的主要", 319.7, 170.9, 371.5, 187.2), ("汽车零部件，电力装备，", 390.7, 169.4, 513.1, 188.2)],
        [("区县)", 108.0, 181.4, 138.7, 201.1), ("行业", 334.1, 183.8, 354.7, 199.2), ("纺织，船舶", 421.9, 183.8, 481.4, 200.6)],
    )
    assert _reader(rows).lead_unit().main_industries == ["汽车", "电力装备", "纺织", "船舶"]


def test_a_two_line_labels_lines_stacked_on_one_line_of_text_are_not_joined() -> None:
    """'统一祛会信' over '用代码': grouped on one line of text, but stacked; joined, the label's box would span
    two lines and end the value of the label on the next line (是否注册法 · ☑是□否)."""
    from pipeline.tables.form import joined_label_words

    row = lines([("统一祛会信", 318.7, 110.9, 379.2, 129.1), ("用代码", 331.7, 121.4, 365.8, 141.1)])[0]
    assert [cell.text for cell in joined_label_words(row, FORM).cells] == ["统一祛会信", "用代码"]


# --- fields12: a fax page read as lines of text (dev12 a03's kind), and a grid row split in two ---------------

# Two-line labels whose first lines are too short to name them alone ('统一社会' · '信用代码', '服务的主' ·
# '要行业'), a date run into the next label's first line, its day's last digit wrapped below it.
FAX_LINES: list[list[Piece]] = [
    [("牵头单位名称", 88, 123, 162, 141), ("杭州安华自动化集团有", 180, 117, 298, 133), ("统一社会", 323, 115, 369, 135),
     ("91330110MAHBFLM", 388, 117, 503, 133)],
    [("限公司", 222, 132, 255, 148), ("信用代码", 323, 132, 368, 148), ("P18", 435, 132, 458, 147)],
    [("成立时间", 103, 153, 148, 170), ("2009/11/2是否注册法", 173, 145, 302, 163), ("注册资本", 385, 151, 434, 170),
     ("1.258.6万", 448, 147, 505, 162)],
    [("8", 196, 162, 207, 175), ("人", 266, 162, 281, 177), ("元", 468, 162, 482, 177)],
    [("注册地（具体", 91, 173, 163, 191), ("浙江省杭州市余杭区", 186, 182, 291, 198), ("服务的主", 322, 175, 368, 191),
     ("建材行业", 423, 182, 471, 198)],
    [("到区县)", 102, 189, 144, 206), ("要行业", 328, 189, 365, 205)],
]


def test_a_two_line_label_whose_first_line_is_short_is_found_on_its_first_line() -> None:
    rows = lines(*FAX_LINES)
    found = {f.key: (f.row, f.col) for f in find_labels(rows, FORM)}
    assert found["main_industries"] == (4, 2) and found["credit_code"] == (0, 2)
    assert _value(rows, "registered_address") == "浙江省杭州市余杭区"
    assert _value(rows, "main_industries") == "建材行业"


def test_a_value_above_a_short_first_line_is_no_label() -> None:
    """A value standing over a label ('杭州' over 注册资本) does not begin the label: it stays a value."""
    rows = lines([("成立时间", 103, 153, 148, 170), ("杭州", 385, 135, 434, 150)],
                 [("注册资本", 385, 151, 434, 170)])
    found = {(f.row, f.col): f.key for f in find_labels(rows, FORM)}
    assert (0, 1) not in found and found[(1, 0)] == "registered_capital"


def test_the_code_and_the_date_of_a_fax_page_are_read_whole() -> None:
    import datetime as dt

    lead = _reader(lines(*FAX_LINES)).lead_unit()
    assert lead.credit_code == "91330110MAHBFLMP18"
    assert lead.established == dt.date(2009, 11, 28)
    assert lead.main_industries == ["建材"] and lead.registered_address == "浙江省杭州市余杭区"


@pytest.mark.parametrize(("rest", "date"), [
    ("8", "2009-11-28"),  # a lone digit under the date: the day's wrapped last digit
    ("8人次", "2009-11-02"),  # more than a digit: some other print, the date stays as read
])
def test_a_lone_digit_under_a_date_of_months_ten_to_twelve_completes_its_day(rest: str, date: str) -> None:
    rows = lines(
        [("成立时间", 103, 153, 148, 170), ("2009/11/2", 173, 145, 240, 163), ("是否注册法", 245, 145, 302, 163),
         ("注册资本", 385, 151, 434, 170)],
        [(rest, 196, 162, 207 + 10 * (len(rest) - 1), 175), ("人", 266, 162, 281, 177)],
    )
    established = _reader(rows).lead_unit().established
    assert established is not None and established.isoformat() == date


def test_the_text_before_a_labels_first_line_ending_a_cell_is_a_value() -> None:
    from pipeline.tables.form import text_before_label

    assert text_before_label("2009/11/2是否注册法", FORM) == "2009/11/2"
    assert text_before_label("2014/11/24 是否注册法人", FORM).strip() == "2014/11/24"
    assert text_before_label("是否注册法", FORM) == ""


def test_a_member_whose_number_the_page_lost_stands_where_that_number_would() -> None:
    rows = lines(
        [("牵头单位类型", 91, 208, 160, 224), ("□制造业企业", 173, 208, 245, 225)],
        [("南京航空航天大学", 243, 231, 337, 247), ("高校", 465, 229, 489, 249)],  # its '1' lost
        [("2", 196, 255, 208, 270), ("杭州嘉鼎涂料集团有限公司", 244, 254, 386, 270), ("制造业企业", 445, 254, 506, 270)],
        [("联合体其他成", 92, 265, 160, 283)],
        [("员单位名称与", 89, 280, 161, 298), ("3", 196, 277, 207, 292)],
        [("姓名", 193, 368, 211, 385), ("秦伟洋", 258, 368, 292, 385)],
    )
    members = member_rows(rows, find_labels(rows, FORM))
    assert [[c.text for c in cells] for _, cells in members] == [
        ["南京航空航天大学", "高校"], ["杭州嘉鼎涂料集团有限公司", "制造业企业"], []]


def test_an_unnumbered_line_where_no_number_is_missing_is_no_member() -> None:
    rows = lines(
        [("牵头单位类型", 91, 208, 160, 224), ("□制造业企业", 173, 208, 245, 225)],
        [("运营单位", 243, 220, 337, 230)],  # the row above's fill-in run over
        [("1", 196, 231, 208, 247), ("南京航空航天大学", 243, 231, 337, 247), ("高校", 465, 229, 489, 249)],
        [("联合体其他成员单位", 92, 255, 160, 270), ("2", 196, 255, 208, 270)],
        [("姓名", 193, 368, 211, 385), ("秦伟洋", 258, 368, 292, 385)],
    )
    members = member_rows(rows, find_labels(rows, FORM))
    assert [[c.text for c in cells] for _, cells in members] == [["南京航空航天大学", "高校"], []]


def ruled(*rows: list[tuple[Piece, tuple[int, int]]]) -> list[FormRow]:
    """Ruled rows; each cell given with its grid (row, col), so a cell spanning two rows is one cell in both."""
    made: dict[tuple[int, int], CellText] = {}
    out = []
    for pieces in rows:
        cells = []
        for (text, x0, y0, x1, y1), grid in pieces:
            if grid not in made:
                made[grid] = CellText(Cell(grid[0], grid[1], 1, 1, (x0, y0, x1, y1)), (x0, y0, x1, y1),
                                      (Word(text, (x0, y0, x1, y1), 0.9, "ocr"),), text, 0.9)
            cells.append(made[grid])
        out.append(FormRow(1, tuple(cells), ruled=True))
    return out


def test_a_grid_row_split_under_a_spanning_label_holds_the_values_rest() -> None:
    """No rule parts the name's two lines, but the grid split the row there: the label spans both."""
    label = ("牵头单位名称", 92, 129, 155, 139)
    rows = ruled(
        [(label, (0, 0)), (("潍坊兴祥智能制造技术集团", 175, 123, 301, 133), (0, 1)), (("统一社会信", 319, 123, 372, 133), (0, 2)),
         (("91370705MAGXN9RQ0", 386, 124, 508, 133), (0, 3))],
        [(label, (0, 0)), (("有限公司", 217, 135, 259, 145), (1, 1)), (("用代码", 330, 135, 361, 145), (1, 2)),
         (("4", 444, 136, 451, 145), (1, 3))],
        [(("成立时间", 103, 153, 145, 163), (2, 0)), (("2015-05-09", 177, 148, 225, 170), (2, 1))],
    )
    lead = _reader(rows).lead_unit()
    assert lead.name == "潍坊兴祥智能制造技术集团有限公司" and lead.credit_code == "91370705MAGXN9RQ04"


def test_a_ruled_row_not_split_takes_nothing_from_the_next() -> None:
    rows = ruled(
        [(("牵头单位名称", 92, 123, 155, 133), (0, 0)), (("潍坊兴祥智能制造技术集团", 175, 123, 301, 133), (0, 1))],
        [(("成立时间", 92, 135, 155, 145), (1, 0)), (("有限公司", 217, 135, 259, 145), (1, 1))],
    )
    assert _reader(rows).lead_unit().name == "潍坊兴祥智能制造技术集团"


@pytest.mark.parametrize(("cells", "name", "kind"), [
    (["襄阳越安资本", "管理有限公司", "投融资机构"], "襄阳越安资本管理有限公司", "投融资机构"),  # a rule through the name
    (["北京航空航天大学", "高校"], "北京航空航天大学", "高校"),
    (["某某研究", "中心建设", "科研院所"], "某某研究", "中心建设科研院所"),  # nothing ends as a unit: the first cell
])
def test_a_members_name_over_two_cells_ends_where_a_units_name_ends(cells: list[str], name: str, kind: str) -> None:
    from pipeline.fields.basic_info import _name_cells

    count = _name_cells(cells)
    assert ("".join(cells[:count]), "".join(cells[count:])) == (name, kind)


@pytest.mark.parametrize(("text", "other"), [
    ("□制造业企业□服务商☑其它（请标明：产业园区运营单位）", "产业园区运营单位"),
    ("□制造业企业□用服务商（请标明：产业园区运营单位)", "产业园区运营单位"),  # ☑其它 misread '□用'
    ("□制造业企业□服务商■其它（请示明：事业单位）", "事业单位"),  # the note's 标 misread
    ("□制造业企业□服务商 其它（请 示明：事业单位)", "事业单位"),  # ... where a rule found through it parted it
    ("□制造业企业□服务商■其它（请标朋：事业单位）", "事业单位"),
    ("□制造业企业□服务商■其它（请问明天事业单位）", "请问明天事业单位"),  # no colon: no note
])
def test_the_fill_in_of_other_follows_its_note(text: str, other: str) -> None:
    from pipeline.fields.basic_info import other_fill_in

    assert other_fill_in(text) == other


def test_a_recommender_garbled_beyond_repair_is_named_by_its_place() -> None:
    from pipeline.fields.cover import _department

    origin = Provenance(page=1, bbox=[1, 1, 2, 2], confidence=0.97, source="ocr")
    name, named = _department("山西省二业和化斤", origin)
    assert name == "山西省工业和信息化厅" and named.repaired_from == "山西省二业和化斤"
    name, named = _department("湖北省经济和信息化斤", origin)
    assert name == "湖北省经济和信息化厅" and named.repaired_from == "湖北省经济和信息化斤"
    assert _department("山西省财政厅", origin) == ("山西省财政厅", origin)


def _sealed(applicant: str, lead: str, texts: list[tuple[str, str]]):  # type: ignore[no-untyped-def]
    from models import LeadUnit, Seal
    from pipeline.fields import agree_with_seals

    origin = Provenance(page=1, bbox=[1, 1, 2, 2], confidence=0.9, source="ocr")
    cover = Extracted(Cover(applicant=applicant), {"cover.applicant": origin})
    basic = Extracted(BasicInfo(lead_unit=LeadUnit(name=lead)), {"basic_info.lead_unit.name": origin})
    seals = [Seal(page=1, bbox=[0, 0, 10, 10], slot=slot, text=text) for slot, text in texts]
    agree_with_seals(cover, basic, seals)
    return cover, basic, seals


def test_the_applicants_name_as_most_of_its_seals_read_it_where_the_form_read_it_garbled() -> None:
    cover, basic, seals = _sealed("株洲凯捷软件4公司", "株洲凯捷软件4公司", [
        ("cover_applicant", "株捷软件集团有限公司"), ("commitment", "株洲凯捷软件4公司"),
        ("appendix2_table2", "株洲凯捷软件集团有限公司"), ("appendix2_table3", "株洲凯捷软件集团有限公司"),
        ("appendix3_table1", "株洲凯捷软件集团有限公司"), ("cover_recommender", "湖南省工业和信息化厅")])
    assert cover.value.applicant == basic.value.lead_unit.name == "株洲凯捷软件集团有限公司"
    assert cover.provenance["cover.applicant"].alternatives == ["株洲凯捷软件4公司"]
    assert seals[1].text == "株洲凯捷软件集团有限公司"  # matched to the applicant: its name, corrected


def test_another_units_seal_in_one_slot_changes_no_name() -> None:
    """A true SEAL_NAME_MISMATCH: one slot stamped by another unit; the form's reading is the most read."""
    cover, _, _ = _sealed("上海旭云智能制造技术股份有限公司", "上海旭云智能制造技术股份有限公司", [
        ("cover_applicant", "上海旭云智能制造技术股份有限公司"), ("appendix2_table1", "上海泰弘家纺有限公司"),
        ("appendix2_table2", "上海旭云智能制造技术股份有限公司")])
    assert cover.value.applicant == "上海旭云智能制造技术股份有限公司"


def test_a_name_the_form_read_whole_is_not_taken_for_a_garbled_one() -> None:
    """'杭州某某科技有限公司' read by two seals is not the form's '杭州某某有限公司' unless the form's reading
    is a garbled reading of it and more seals read it than the form's name: here they tie."""
    cover, _, _ = _sealed("杭州某某有限公司", "杭州某某有限公司", [
        ("cover_applicant", "杭州某某有限公司"), ("commitment", "杭州某某有限公司"),
        ("appendix2_table1", "杭州某某科技有限公司"), ("appendix2_table2", "杭州某某科技有限公司")])
    assert cover.value.applicant == "杭州某某有限公司"


def test_an_empty_sliver_spanning_every_row_joins_no_rows() -> None:
    """A margin's sliver cell spans every row (dev a01): the name row is not split, the date below is no name."""
    sliver = ("", 522, 103, 526, 546)
    rows = ruled(
        [(("牵头单位名称", 73, 103, 140, 138), (0, 0)), (("杭州智能制造研究院", 140, 103, 301, 138), (0, 1)),
         (sliver, (0, 9))],
        [(("成立时间", 73, 138, 140, 172), (1, 0)), (("2020-10-11", 140, 138, 222, 172), (1, 1)), (sliver, (0, 9))],
    )
    assert _reader(rows).lead_unit().name == "杭州智能制造研究院"


def _members_sealed(names: list[str], texts: list[str]) -> list[str]:
    from models import Member, Seal
    from pipeline.fields import agree_members_with_seals

    basic = Extracted(BasicInfo(members=[Member(name=name, type="服务商") for name in names]), {})
    agree_members_with_seals(basic, [Seal(page=9, bbox=[0, 0, 10, 10], text=text) for text in texts])
    return [member.name or "" for member in basic.value.members]


def test_a_members_name_as_two_of_its_seals_read_it_where_the_form_read_it_garbled() -> None:
    names = _members_sealed(["株洲手达智能科技有限公司", "浙江工业大学"],
                            ["株洲华达智能科技有限公司", "浙江工业大学", "株洲华达智能科技有限公司"])
    assert names == ["株洲华达智能科技有限公司", "浙江工业大学"]


@pytest.mark.parametrize("texts", [
    ["株洲华达智能科技有限公司"],  # one seal's reading against the form's: nothing tells them apart
    ["株洲华达智能科技有限公司", "株洲华达智能科技有限公司", "株洲手达智能科技有限公司", "株洲手达智能科技有限公司"],
])
def test_a_members_name_stays_as_read_without_two_seals_more_alike(texts: list[str]) -> None:
    assert _members_sealed(["株洲手达智能科技有限公司"], texts) == ["株洲手达智能科技有限公司"]


# dev13 a13's bent fax, as its lines of text came: the 2025 column stands higher than the labels' lines, so
# the 2025 investors and financing share a line and the 高校 and 服务商 counts each went to the other label.
BENT_RESOURCES: list[list[Piece]] = [
    [("2024年", 395, 438, 427, 455), ("2025年", 459, 434, 495, 451)],
    [("汇聚投融资机构数量（累计）", 172, 456, 302, 472), ("3个", 400, 453, 423, 469), ("11,105.48万", 446, 456, 508, 478),
     ("5个", 467, 447, 489, 463)],
    [("资源条件", 104, 476, 144, 491), ("对接成功的企业融资金额（累计）", 171, 474, 324, 491), ("8,364万元", 388, 468, 438, 486),
     ("元", 473, 472, 487, 484)],
    [("2个", 399, 486, 423, 504), ("3个", 467, 480, 490, 496)],
    [("汇聚高校、科研院所数量（累计）", 171, 492, 324, 509), ("6个", 400, 500, 422, 516), ("10个", 468, 492, 494, 509)],
    [("汇聚制造业数字化转型服务商数量（累计）", 172, 504, 367, 526)],
]


def test_a_groups_figures_the_lines_gave_to_other_labels_are_given_in_the_forms_order() -> None:
    _, _, resources = _reader(lines(*BENT_RESOURCES)).year_tables()
    assert [(r.investors, r.financing, r.universities, r.providers) for r in resources] == [
        (3, 8364.0, 2, 6), (5, 11105.48, 3, 10)]


def test_a_column_with_a_figure_more_than_its_labels_is_left_as_read() -> None:
    """A stray digit read in the 2024 column (a speck read '1'): the column's figures are not one per label,
    so nothing says which is whose, and the lines' reading stands."""
    rows = [*BENT_RESOURCES[:3], [*BENT_RESOURCES[3], ("1", 405, 490, 408, 494)], *BENT_RESOURCES[4:]]
    _, _, resources = _reader(lines(*rows)).year_tables()
    assert resources[0].universities == 6  # as the lines read it, wrongly: a doubt the checks must weigh
    assert (resources[1].universities, resources[1].providers) == (3, 10)


def test_figures_each_on_its_labels_line_are_kept() -> None:
    rows = lines(
        [("2024年", 395, 438, 427, 452), ("2025年", 462, 438, 495, 452)],
        [("汇聚投融资机构数量（累计）", 172, 456, 302, 472), ("3个", 400, 456, 423, 472), ("5个", 467, 456, 489, 472)],
        [("对接成功的企业融资金额（累计）", 171, 474, 324, 490), ("8,364万元", 388, 474, 438, 490), ("11,105.48万", 446, 470, 508, 484)],
        [("元", 473, 484, 487, 496)],
        [("汇聚高校、科研院所数量（累计）", 171, 496, 324, 512), ("2个", 400, 496, 422, 512), ("3个", 468, 496, 494, 512)],
        [("汇聚制造业数字化转型服务商数量（累计）", 172, 514, 367, 530), ("6个", 400, 514, 422, 530), ("10个", 468, 514, 494, 530)],
    )
    _, _, resources = _reader(rows).year_tables()
    assert [(r.investors, r.financing, r.universities, r.providers) for r in resources] == [
        (3, 8364.0, 2, 6), (5, 11105.48, 3, 10)]


def test_a_ruled_row_ending_at_its_label_has_its_value_measured_on_the_rest_of_the_line(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """电子邮箱 left blank, the rule under 手机's number lost: that number's cell spans both lines and the
    email's row ends at its label. The place measured is the rest of the label's line, not the number's."""
    import pipeline.fields.basic_info as basic_info

    places: list[list[float]] = []
    monkeypatch.setattr(basic_info, "is_blank", lambda page, place, text: places.append(place) or True)
    head = ("单位负责人", 96, 399, 156, 410)
    rows = ruled(
        [(head, (0, 0)), (("姓名", 190, 389, 214, 400), (0, 1)), (("向浩涵", 256, 389, 292, 400), (0, 2)),
         (("手机", 333, 389, 357, 400), (0, 3)), (("17787210942", 408, 389, 482, 400), (0, 4))],
        [(head, (0, 0)), (("职务", 190, 408, 214, 419), (1, 1)), (("主任", 262, 408, 286, 419), (1, 2)),
         (("电子邮箱", 321, 408, 369, 419), (1, 3))],
    )
    reader = _reader(rows)
    info = reader.head()
    assert info.email is None and info.mobile == "17787210942"
    origin = reader.sink.provenance["basic_info.head.email"]
    assert origin.blank is True and places == [origin.bbox]
    assert origin.bbox[0] == 369 and origin.bbox[2] == 482 and origin.bbox[1] > 400  # below the number's line


@pytest.mark.parametrize(("texts", "members"), [
    # A fax's lost row rule: two members in one ruled row, the second name wrapped.
    (["南昌宏远数字科技有限公司\n中国科学院宁波材料技术与工程研究\n所", "服务商\n科研院所"],
     [("南昌宏远数字科技有限公司", "服务商"), ("中国科学院宁波材料技术与工程研究所", "科研院所")]),
    (["中国科学院宁波材料技术与工程研究\n所", "制造业\n企业"], None),  # one name, its type wrapped
    (["四川大学", "高校"], None),
    (["南昌宏远数字科技有限公司\n四川大学", "服务商\n高校\n科研院所"], None),  # two names, three types: not told
])
def test_members_stacked_in_one_row_are_each_a_member(texts: list[str], members: list[tuple[str, str]] | None) -> None:
    assert stacked_members(texts) == members


def _ruled_cell(col: int, box: tuple[float, float, float, float], *pieces: Piece) -> CellText:
    words = tuple(Word(text, (x0, y0, x1, y1), 0.9, "ocr") for text, x0, y0, x1, y1 in pieces)
    return CellText(Cell(1, col, 1, 1, box), box, words, "\n".join(w.text for w in words), 0.9)


def test_a_label_sharing_a_cell_with_the_value_left_of_it_is_a_cell_of_its_own() -> None:
    """A lost column rule: the date ('2019年5月12', its 日 wrapped below) and 是否注册法人 in one ruled cell."""
    from pipeline.tables.form import parted_at_label

    row = FormRow(2, (
        _ruled_cell(0, (51, 112, 151, 131), ("成立时间", 79, 113, 120, 129)),
        _ruled_cell(1, (151, 112, 312, 131), ("2019年5月12", 162, 110, 219, 124), ("是否注册法人", 245, 116, 297, 128),
                    ("日", 187, 122, 195, 132)),
        _ruled_cell(2, (312, 112, 389, 131), ("是", 329, 115, 350, 130), ("□否", 354, 114, 375, 130)),
        _ruled_cell(3, (389, 112, 537, 131), ("注册资本", 406, 114, 439, 129), ("2680万元", 473, 115, 518, 130)),
    ))
    parted = [parted_at_label(row, FORM)]
    assert [cell.text for cell in parted[0].cells] == ["成立时间", "2019年5月12\n日", "是否注册法人", "是\n□否",
                                                       "注册资本\n2680万元"]
    found = find_labels(parted, FORM)
    assert [(f.key, f.col) for f in found] == [("established", 0), ("is_legal_person", 2), ("registered_capital", 4)]
    at = next(f for f in found if f.key == "is_legal_person")
    assert value_right_of(parted, at, FORM, "是否注册法人", found).text == "是\n□否"
    # A label first in its cell, and a value word that is no label, leave the cell whole.
    assert parted_at_label(FormRow(2, (row.cells[3], _ruled_cell(4, (537, 112, 600, 131), ("杭州", 540, 113, 560, 129),
                                                                  ("手机", 570, 113, 590, 129)))), FORM).cells[1:] \
        == (_ruled_cell(4, (537, 112, 600, 131), ("杭州", 540, 113, 560, 129), ("手机", 570, 113, 590, 129)),)


def test_a_wrapped_labels_first_line_read_with_one_slip_ends_the_value_before_it() -> None:
    """A phone photo (dev24 a04): '服务的主委行' is 服务的主要行业's first line with one character misread; the
    address before it ends there instead of taking the label and the industries into itself."""
    rows = lines([("注册地（具体到", 84, 161, 155, 179), ("浙江省宁波市鄞州区", 192, 168, 280, 183),
                  ("服务的主委行", 317, 164, 376, 178), ("建材、", 396, 170, 421, 183), ("航空", 457, 171, 478, 183)])
    assert _value(rows, "registered_address") == "浙江省宁波市鄞州区"
    assert _value(rows, "main_industries") == "建材、 航空"
    # Five characters with a slip are too few to tell a label from a value.
    assert FORM.match("服务的主委")[0] is None


@pytest.mark.parametrize(("read", "value"), [
    ("注册地（民体到K", ""),  # the label's note cut by its line break and misread: no value
    ("注册地（具体到", ""),  # read right: as before
])
def test_a_labels_unclosed_note_misread_is_no_value(read: str, value: str) -> None:
    """dev23 a08: '注册地（民体到K' (注册地（具体到区县）'s first line) gave the address '（民体到K'."""
    rows = lines([(read, 84, 161, 160, 179)])
    assert _value(rows, "registered_address") == value


def test_a_note_start_is_told_from_a_bracketed_value() -> None:
    from pipeline.tables.form import _misread_note_start

    assert _misread_note_start("民体到K", "具体到区县")
    assert not _misread_note_start("湖南省长", "具体到区县")  # nothing of the note in its places
    assert not _misread_note_start("具体到区县市", "具体到区县")  # longer than the note


@pytest.mark.parametrize("label_rest", ["业", "行亚"])
def test_industries_their_cell_wrapped_under_the_value_are_read_whole(label_rest: str) -> None:
    """'机械行业，电力装备，建' · '材，纺织' (dev18 a14, a scan read as lines): the wrapped rest stands under the
    value, in the column of 注册资本 a line above; that label's value cannot have skipped the industries' line to
    reach it. The label's own rest beside it may be misread ('行亚')."""
    rows = lines(
        [("成立时间", 97, 146, 137, 162), ("2004年5月16日", 171, 146, 240, 162), ("注册资本", 396, 146, 440, 162),
         ("500万元", 456, 146, 516, 162)],
        [("注册地（具体到", 82, 163, 149, 180), ("湖北省襄阳市樊城区", 192, 163, 281, 179), ("服务的主要行", 318, 162, 380, 180),
         ("机械行业，电力装备，建", 402, 163, 516, 179)],
        [("区县)", 96, 175, 124, 192), (label_rest, 341, 176, 357, 191), ("材，纺织", 440, 175, 481, 192)],
    )
    lead = _reader(rows).lead_unit()
    assert lead.main_industries == ["机械", "电力装备", "建材", "纺织"]
    assert lead.registered_capital == 500


def _written(applicant: str, lead: str, texts: list[str], members: tuple[str, ...] = ()):  # type: ignore[no-untyped-def]
    from models import LeadUnit, Member
    from pipeline.fields import agree_with_text

    origin = Provenance(page=1, bbox=[1, 1, 2, 2], confidence=0.9, source="ocr")
    cover = Extracted(Cover(applicant=applicant), {"cover.applicant": origin})
    basic = Extracted(BasicInfo(lead_unit=LeadUnit(name=lead), members=[Member(name=m, type="服务商") for m in members]),
                      {"basic_info.lead_unit.name": origin})
    agree_with_text(cover, basic, texts)
    return cover, basic


PLAN = ["二、建设方案\n（一）基础条件\n杭州汇信信息技术有限公司成立于2004年，注册资本500万元。",
        "附1 真实性承诺\n申报单位：杭州汇\n信信息技术有限公司（加盖公章）",
        "本单位与杭州顺辰工业互联网有限公司签订协议。杭州顺辰工业互联网有限公司负责平台。"]


@pytest.mark.parametrize(("applicant", "lead", "name"), [
    ("杭州汇信信息支术有农公司", "杭州汇信信息支术有农公司", "杭州汇信信息技术有限公司"),  # two slips, written twice
    ("杭州汇信信息技术有限公司加蓄申数", "杭州汇信信息技术有限公司加蓄申数", "杭州汇信信息技术有限公司"),  # a note run on
    ("杭州汇信信息技术有限公司", "杭州汇信信息技术有限公司", "杭州汇信信息技术有限公司"),  # read right: kept
])
def test_the_applicants_name_as_the_packages_text_writes_it(applicant: str, lead: str, name: str) -> None:
    cover, basic = _written(applicant, lead, [f"申报单位：{applicant}", f"牵头单位名称{lead}", *PLAN])
    assert cover.value.applicant == basic.value.lead_unit.name == name
    if applicant != name:
        assert cover.provenance["cover.applicant"].alternatives == [applicant]
        assert cover.provenance["cover.applicant"].resolved_by == "APPLICANT_AS_WRITTEN"


def test_another_unit_the_text_writes_more_often_is_not_the_applicant() -> None:
    """杭州顺辰工业互联网有限公司 (a partner, written twice) is two trade characters from 杭州宏弘工业互联网有限公司
    read once: the reading is nearer its own name, written nowhere else, and stays as read; a member's name
    is never taken either."""
    cover, _ = _written("杭州宏弘工业互联网有限公司", "杭州宏弘工业互联网有限公司", ["申报单位：杭州宏弘工业互联网有限公司", PLAN[2]])
    assert cover.value.applicant == "杭州宏弘工业互联网有限公司"
    cover, _ = _written("杭州宏弘工业互联网有限公", "", ["申报单位：杭州宏弘工业互联网有限公", PLAN[2]],
                        members=("杭州顺辰工业互联网有限公司",))
    assert cover.value.applicant == "杭州宏弘工业互联网有限公"


def test_a_heads_title_misread_by_one_character_is_repaired_with_the_reading_kept() -> None:
    rows = [*lines(*HEAD_LINES[:1]), *lines([("单位负责人", 84, 336, 144, 350), ("职务", 182, 347, 206, 361),
                                             ("执行盖事", 214, 347, 290, 361), ("电子邮箱", 326, 347, 374, 361)])]
    reader = _reader(rows)
    assert reader.head().title == "执行董事"
    assert reader.sink.provenance["basic_info.head.title"].repaired_from == "执行盖事"


def test_a_key_is_read_at_the_cell_most_like_its_label_not_the_first() -> None:
    """A phone photo (dev60 a07): the form's title ends with part of 牵头单位名称, and was taken for its label above
    the label's own cell, misread; the name was then read from the title's end and measured blank."""
    from pipeline.fields.basic_info import best_label

    rows = lines([("基本情况(根据牵头单位", 96, 75, 236, 94), ("售罗值写)", 240, 77, 295, 93)],
                 [("牵头举位名称", 81, 110, 144, 126), ("大连兴科网络科技集团有限公司", 168, 103, 301, 120)])
    found = find_labels(rows, FORM)
    assert [f.key for f in found].count("name") == 2
    at = best_label(rows, found, "name")
    assert at is not None and (at.row, at.col) == (1, 0)
    assert value_right_of(rows, at, FORM, "牵头单位名称", found).text == "大连兴科网络科技集团有限公司"


def test_a_labels_note_read_as_a_cell_of_its_own_is_not_the_value() -> None:
    """A phone photo (dev60 a07): 注册地 · '(具体到' · the address, its label's note a word of its own on the line."""
    rows = lines([("注册地", 77, 150, 108, 164), ("(具体到", 113, 148, 150, 164), ("辽宁省大连市甘井子区", 183, 155, 286, 170),
                  ("服务的主要行", 317, 149, 380, 165), ("石化化工行业", 429, 156, 489, 170)])
    assert _value(rows, "registered_address") == "辽宁省大连市甘井子区"
    rows = lines([("注册地", 77, 150, 108, 164), ("(具体到区县)", 113, 148, 170, 164), ("辽宁省大连市", 183, 155, 286, 170)])
    assert _value(rows, "registered_address") == "辽宁省大连市"
    # a value's own bracket, no part of the note, is kept
    rows = lines([("注册地", 77, 150, 108, 164), ("(浙江)宁波市鄞州区", 113, 148, 250, 164)])
    assert _value(rows, "registered_address") == "(浙江)宁波市鄞州区"


def test_members_are_placed_by_their_numbers_where_their_label_was_read_in_scraps() -> None:
    """A phone photo (dev60 a05): the member label read '成员' · '名' · '类' · '型' · '(不超过', none of it
    enough to be told; rows numbered 1, 2 … between the lead unit's rows and the head's are the members."""
    rows = lines([("牵头单位类型", 95, 199, 150, 213), ("□制造业企业", 169, 197, 231, 214), ("■服务商", 240, 192, 283, 216)],
                 [("1", 196, 226, 204, 239), ("宁波天云船用设备股份有限公司", 241, 225, 382, 239), ("制造业企业", 454, 225, 498, 240)],
                 [("2", 196, 252, 204, 265), ("宁波德辰乳业有限公司", 243, 251, 341, 265), ("制造业企业", 454, 251, 494, 266)],
                 [("成员", 138, 281, 157, 292), ("3", 196, 278, 204, 290)],
                 [("名", 110, 291, 117, 301), ("类", 138, 291, 148, 301)],
                 [("(不超过", 94, 300, 128, 312), ("4", 196, 304, 204, 316)],
                 [("姓名", 191, 377, 213, 395), ("曹丽", 264, 379, 284, 394), ("手机", 334, 377, 356, 395)],
                 [("单位负责人", 101, 391, 148, 406)])
    members = [[cell.text for cell in cells] for _, cells in member_rows(rows, find_labels(rows, FORM)) if cells]
    assert members == [["宁波天云船用设备股份有限公司", "制造业企业"], ["宁波德辰乳业有限公司", "制造业企业"]]
    # numbers that do not open with 1, 2 place nothing
    unnumbered = [rows[0], rows[3], rows[5], rows[6], rows[7]]
    assert member_rows(unnumbered, find_labels(unnumbered, FORM)) == []


def _cell(row: int, col: int, box: tuple[float, float, float, float], *pieces: Piece, span: int = 1) -> CellText:
    words = tuple(Word(text, (x0, y0, x1, y1), 0.9, "ocr") for text, x0, y0, x1, y1 in pieces)
    return CellText(Cell(row, col, span, 1, box), box, words, "\n".join(w.text for w in words), 0.9)


def test_figures_in_a_cell_whose_row_rules_were_lost_are_parted_among_its_rows() -> None:
    """A drawn scan (dev70 a12): the 2025 column's row rules lost, its figures one cell over the rows; each
    figure goes to the row whose band holds it, while a label spanning its rows stays whole."""
    from pipeline.tables.form import figures_parted

    label = _cell(0, 0, (84, 540, 168, 612), ("服务能力", 90, 570, 160, 585), span=3)
    figures = _cell(0, 2, (439, 540, 517, 612), ("7家", 460, 545, 480, 560), ("1,347.45万元", 445, 570, 510, 585),
                    ("726人次", 455, 592, 495, 607), span=3)
    rows = [[label, _cell(r, 1, (379, 540 + 24 * r, 439, 564 + 24 * r), (f"{r}", 400, 545 + 24 * r, 410, 560 + 24 * r)),
             figures] for r in range(3)]
    parted = figures_parted(rows)
    assert [row[2].text for row in parted] == ["7家", "1,347.45万元", "726人次"]
    assert all(row[0] is label for row in parted)
    # a cell with a figure in one row only stays whole
    one = _cell(0, 2, (439, 540, 517, 612), ("7家", 460, 545, 480, 560), ("万元", 470, 570, 500, 585), span=3)
    assert all(row[2] is one for row in figures_parted([[row[0], row[1], one] for row in rows]))


@pytest.mark.parametrize(("read", "name"), [
    ("(se河南科技大学", "河南科技大学"),  # a drawn phone photo (dev70 a05): the label's note run in, misread
    ("（中国）机械有限公司", "（中国）机械有限公司"),  # a name's own bracket is closed
    ("ABB（中国）有限公司", "ABB（中国）有限公司"),
    ("(名称)", None),
    ("泉州弘易股权投资基金管理有限公", "泉州弘易股权投资基金管理有限公司"),  # its 司 wrapped onto a line lost (dev59 a07)
    ("大连市纺织工业协会", "大连市纺织工业协会"),
])
def test_a_members_name_without_what_ran_in_before_it(read: str, name: str | None) -> None:
    from pipeline.fields.basic_info import member_name

    assert member_name(read) == name


def test_a_member_number_read_with_a_speck_before_it_is_that_number() -> None:
    """A phone photo (dev59 a07): member 5's 序号 read 'i5', and the line above it a wrapped name's last
    character: the member was dropped as an unnumbered line."""
    rows = lines([("牵头单位类型", 92, 198, 161, 215), ("☑服务商", 253, 198, 302, 214)],
                 [("联合体其他成员单位名称与类型", 89, 262, 163, 282), ("4", 196, 297, 206, 309),
                  ("泉州弘易股权投资基金管理有限公", 242, 288, 421, 304), ("投融资机构", 446, 292, 505, 310)],
                 [("司", 241, 301, 253, 315)],
                 [("i5", 196, 321, 205, 331), ("泉州致诚数字科技有限公司", 244, 319, 385, 335), ("服务商", 457, 317, 492, 335)],
                 [("姓名", 191, 365, 215, 384), ("潘海", 263, 365, 287, 384)],
                 [("单位负责人", 101, 391, 148, 406)])
    names = [cells[0].text for _, cells in member_rows(rows, find_labels(rows, FORM)) if cells]
    assert names == ["泉州弘易股权投资基金管理有限公", "泉州致诚数字科技有限公司"]
