"""Page roles from word lists: clean titles, OCR-noisy titles, continuations, agreements."""

from __future__ import annotations

import pytest

from models.page import Line, Page, Word
from pipeline.layout import assign_roles, classify, cue_score, is_consortium_agreement


def make_page(lines: list[str], number: int = 1, columns: int = 0, seal: bool = False) -> Page:
    """A text page with one word per line, 24 pt apart, and optional vertical table rules."""
    words = [Word(text, (72.0, 72.0 + 24 * i, 72.0 + 12 * len(text), 84.0 + 24 * i)) for i, text in enumerate(lines)]
    rules = [Line(72.0 + 90 * k, 300.0, 72.0 + 90 * k, 700.0) for k in range(columns)]
    page = Page(number=number, width=595.0, height=842.0, kind="scan", words=words, lines=rules)
    if seal:
        page.images = []
        page.seal_path = None
    return page


COVER = ["附件1", "制造业数字化转型促进中心", "建设方案", "申报单位：台州安兴工业技术集团有限公司", "（加盖单位公章）",
         "推荐单位：浙江省经济和信息化厅", "（省级工业和信息化主管部门盖章）", "联系人及联系电话：罗波慧/15149476101",
         "填报日期：2026.05.27"]
BASIC = ["一、基本情况（根据牵头单位情况填写）", "牵头单位名称", "台州安兴工业技术集团有限公司", "统一社会信用代码",
         "成立时间", "是否注册法人", "注册资本", "注册地（具体到区县）", "服务的主要行业", "牵头单位类型", "单位负责人"]
BASIC_2 = ["资源条件", "2024年", "2025年", "汇聚投融资机构数量（累计）", "对接成功的企业融资金额（累计）",
           "汇聚高校、科研院所数量（累计）", "汇聚制造业数字化转型服务商数量（累计）"]
PLAN = ["二、建设方案", "（一）基础条件（1000字）", "台州安兴工业技术集团有限公司成立于2013年，注册资本2680万元。"]
PROSE = ["公司参与了浙江省制造业数字化转型实施方案、中小企业数字化转型城市试点等政策的研究制定与落实工作。",
         "近两年承担省级以上工业互联网和智能制造相关项目19项。"]
ATTACH = ["三、有关说明或证明材料", "1.申报对象法人证书或营业执照副本，2024年和2025年财务报表。",
          "2.联合体合作协议（所有涉及单位均需盖章）。", "3.真实性承诺（见附1）。", "4.申报对象服务能力证明材料（见附2）。",
          "5.建设主体资源条件证明材料（见附3）。", "6.其他说明或证明材料。"]
COMMIT = ["附1", "真实性承诺", "本单位自愿申报第二批制造业数字化转型促进中心，提交的所有申报材料（含佐证材料）均真实、准确、完整。",
          "以上如有不实，本单位愿意承担由此产生的一切后果。", "申报单位（加盖公章）：", "法定代表人（签名：）"]
TABLES = {
    "appendix2_table1": ["附2 服务能力证明材料", "表1：契合行业的产品、解决方案、数据集等清单（截至2025年底累计）", "类别", "序号", "名称",
                         "数字化产品", "1", "设备健康管理系统"],
    "appendix2_table2": ["表2：已开展数字化改造实施服务的企业及项目清单（2024年、2025年）", "日期（年/月/日）", "合同编号",
                         "服务企业名称", "合同金额(万元)"],
    "appendix2_table3": ["表3：组织开展的人才培训活动清单（2024年和2025年）", "日期（年/月/日）", "培训或活动名称", "参训人数"],
    "appendix3_table1": ["附3 资源条件证明材料", "表1：汇聚的投融资机构、高校科研院所清单（截至2025年底累计）", "类别", "序号",
                         "名称", "投融资机构", "1", "浙江创投"],
    "appendix3_table2": ["表2：汇聚的数字化转型服务商清单（截至2025年底累计）", "序号", "服务商名称", "主要服务行业（3个以内）",
                         "核心能力（50字以内）"],
    "appendix3_table3": ["表3：对接成功投融资清单及金额（截至2025年底累计）", "序号", "投资机构名称", "被投企业名称",
                         "投融资金额（万元）"],
}
LETTER = ["省级工业和信息化主管部门", "制造业数字化转型促进中心推荐意见", "工业和信息化部规划司：",
          "现推荐台州安兴工业技术集团有限公司建设制造业数字化转型促进中心，详细情况见附表。",
          "经我单位审核，数促中心申报对象近三年无失信情况", "推荐单位盖章"]
REC_TABLE = ["浙江省制造业数字化转型促进中心推荐表", "序号", "申报对象名称", "所服务的主要行业",
             "省市两级给予建设主体的相关政策（含财政资金及金融支持等）", "1", "台州安兴工业技术集团有限公司"]
LICENCE = ["营业执照", "（副本）", "统一社会信用代码 91331003MA8QJUS45D", "名称 台州安兴工业技术集团有限公司", "法定代表人 罗波慧",
           "经营范围 工业自动化", "登记机关"]
FINANCE = ["资产负债表", "编制单位：台州安兴工业技术集团有限公司", "资产总计", "负债合计", "所有者权益合计"]
AGREEMENT = ["联合体合作协议", "甲方：台州安兴工业技术集团有限公司", "乙方：浙江大学台州研究院",
             "为共同申报建设制造业数字化转型促进中心，经各方友好协商，就组建联合体事宜达成如下协议。",
             "一、甲方为联合体牵头单位，负责数促中心的整体规划。", "二、乙方为成员单位，履行本协议约定的权利和义务。"]


@pytest.mark.parametrize(
    ("lines", "role"),
    [(COVER, "cover"), (BASIC, "basic_info"), (PLAN + PROSE, "plan"), (ATTACH, "attachments_list"), (COMMIT, "commitment"),
     (LETTER, "recommendation_letter"), (REC_TABLE, "recommendation_table"), (LICENCE, "other"), (FINANCE, "other"),
     (AGREEMENT, "other")]
    + [(lines, role) for role, lines in TABLES.items()],
)
def test_titled_pages(lines: list[str], role: str) -> None:
    assert classify(make_page(lines))[0] == role


def noisy(text: str) -> str:
    """OCR-like damage: a look-alike character swapped in and stray spaces between characters."""
    swaps = {"诺": "讲", "编": "编", "号": "亏", "清": "请", "训": "讽", "议": "iX", "承": "承", "资": "贫", "机": "札"}
    return " ".join(swaps.get(c, c) for c in text)


@pytest.mark.parametrize("role", sorted(TABLES))
def test_noisy_table_titles_still_classify(role: str) -> None:
    assert classify(make_page([noisy(line) for line in TABLES[role]]))[0] == role


def test_noisy_commitment_title() -> None:
    lines = ["附 l", "真 实 性 承 讲", "本单位自愿申 报第二批制造业数字化转型促进中心，提交的所有申报材料均真实、准确、完楚。",
             "以上如有不实，本单位愿意承担由此产生的一切后果。", "法定代表人（签 名："]
    assert classify(make_page(lines))[0] == "commitment"


def test_cue_score_is_fuzzy_for_long_cues_and_exact_for_short() -> None:
    assert cue_score("已开展数字化改造实施服务的企业及项目清单", "表2已开展数字化改造实施服务的企业及项目请单2024年") >= 0.9
    assert cue_score("甲方", "乙方") == 0.0


def test_title_in_running_header_does_not_make_every_page_a_cover() -> None:
    page = make_page(["制造业数字化转型促进中心建设方案", *PROSE])
    assert classify(page)[0] != "cover"


def test_attachments_list_at_the_end_of_a_plan_page_stays_plan() -> None:
    pages = [make_page(PLAN, 1), make_page(PROSE * 8 + ATTACH, 2)]
    assign_roles(pages)
    assert [p.role for p in pages] == ["plan", "plan"]


def test_continuations_take_the_role_before_them() -> None:
    rows = ["2024-03-05", "HT-2024-017", "宁波甬华机械有限公司", "120.0"]
    pages = [
        make_page(TABLES["appendix2_table2"], 1, columns=5),
        make_page(rows * 5, 2, columns=5),  # no title, no header: same columns
        make_page([], 3),
        make_page(rows * 3, 4, columns=5),  # after a blank page, still the table
        make_page(PLAN, 5),
        make_page(PROSE * 10, 6),
        make_page(LICENCE, 7),
        make_page(["附件扫描", "第3页"], 8),
    ]
    assign_roles(pages)
    assert [p.role for p in pages] == [
        "appendix2_table2", "appendix2_table2", "blank", "appendix2_table2", "plan", "plan", "other", "other"]


def test_basic_info_second_page_without_title() -> None:
    pages = [make_page(BASIC, 1, columns=4), make_page(BASIC_2, 2, columns=4)]
    assign_roles(pages)
    assert [p.role for p in pages] == ["basic_info", "basic_info"]


def test_basic_info_last_row_alone_on_the_next_page_continues_the_form() -> None:
    """Word breaks the form before its last row: one row, its rules too short to count, then the plan."""
    last_row = ["汇聚制造业数字化转型服务商数量（累计）", "8个", "8个"]
    pages = [make_page(BASIC, 1, columns=4), make_page(last_row, 2), make_page(PLAN, 3)]
    assign_roles(pages)
    assert [p.role for p in pages] == ["basic_info", "basic_info", "plan"]


def test_basic_info_last_rows_misread_on_the_next_page_still_continue_the_form() -> None:
    """A phone photo's small print: each label read with a character wrong or lost (dev7 a03 p3)."""
    last_rows = ["聚亮校、科研院所数量（累计）", "2个", "2个", "汇聚制治业数字化转型服务商数量（累计）", "8个", "8个"]
    pages = [make_page(BASIC, 1, columns=4), make_page(last_rows, 2), make_page(PLAN, 3)]
    assign_roles(pages)
    assert [p.role for p in pages] == ["basic_info", "basic_info", "plan"]


def test_basic_info_last_row_read_beyond_telling_still_continues_the_form_by_its_shape() -> None:
    """A drawn scan (dev47 a01 p3): the last row's label garbled past matching, its period note and its two
    years' figures on the page's first line say it is the form's row."""
    label = Word("江言首造业教字化特型农分言数量（累计）", (159, 74, 348, 95))
    row = make_page([], 2)
    row.words = [label, Word("1个", (408, 77, 430, 94)), Word("4个", (480, 78, 504, 94))]
    pages = [make_page(BASIC, 1, columns=4), row, make_page(PLAN, 3)]
    assign_roles(pages)
    assert [p.role for p in pages] == ["basic_info", "basic_info", "plan"]
    # a page of prose after the form that only mentions 累计 is not the form
    prose = make_page(["截至2025年累计服务企业120家，", "培训3000人次。"], 2)
    pages = [make_page(BASIC, 1, columns=4), prose, make_page(PLAN, 3)]
    assign_roles(pages)
    assert pages[1].role != "basic_info"


def test_an_appendix_tables_note_alone_does_not_continue_it() -> None:
    # Its cues are headers and notes, not row labels: the table stage reads such a page's stray row better
    # as what follows the table than as a table of its own.
    pages = [make_page(TABLES["appendix2_table2"], 1, columns=5), make_page(["注：申报单位加盖公章。", "2.可附主要合同扫描件。"], 2)]
    assign_roles(pages)
    assert [p.role for p in pages] == ["appendix2_table2", "other"]


def test_an_appendix_tables_last_records_without_rules_above_its_note_continue_it() -> None:
    """dev41 a08: a shadowed grey scan's last three contracts on a page of their own, no rule found: their
    dates open the lines above the table's note, and the page is the table's, not `other`."""
    rows = ["2025-08-18", "SZZX2025107", "太原航顺陶瓷集团有限公司", "232.7万元", "2025-11-11", "SZZX2025109",
            "太原航顺陶瓷集团有限公司", "243.63万元", "2025-12-05", "SZZX2025115", "南昌华创水泥有限公司", "75万元"]
    note = ["注：申报单位（联合体牵头单位及涉及单位）加盖公章。", "2.可附主要合同扫描件。"]
    pages = [make_page(TABLES["appendix2_table2"], 1, columns=5), make_page(rows + note, 2), make_page(LICENCE, 3)]
    assign_roles(pages)
    assert [p.role for p in pages] == ["appendix2_table2", "appendix2_table2", "other"]


def test_repeated_header_alone_identifies_a_table_page() -> None:
    page = make_page(["序号", "投资机构名称", "被投企业名称", "投融资金额（万元）", "3", "浙江创投", "台州某公司"], columns=4)
    assert classify(page)[0] == "appendix3_table3"


def test_blank_page() -> None:
    assert classify(make_page([]))[0] == "blank"


def test_consortium_agreement_flag() -> None:
    assert is_consortium_agreement(make_page(AGREEMENT))
    assert is_consortium_agreement(make_page([noisy(AGREEMENT[0]), *AGREEMENT[1:]]))
    assert not is_consortium_agreement(make_page(ATTACH))
    assert not is_consortium_agreement(make_page([*BASIC, "联合体其他成员单位名称与类型（不超过6家）"]))


def test_spill_of_a_recommendation_letter_stays_with_it() -> None:
    pages = [make_page(LETTER + REC_TABLE, 1), make_page(["2.2025年度工业增加值排名前10的工业大省可推荐不超过3家。", "2"], 2)]
    assign_roles(pages)
    assert [p.role for p in pages] == ["recommendation_letter", "recommendation_letter"]


def test_a_broken_page_between_two_plan_pages_is_plan() -> None:
    """A dithered scan's page of prose read as short pieces: no prose, no title, yet between plan pages."""
    broken = ["通过", "平台", "企业", "开展", "服务", "数据", "推动", "形成"] * 4
    pages = [make_page(PLAN, 1), make_page(broken, 2), make_page(["（四）组织保障（500字）", *PROSE], 3),
             make_page(broken, 4), make_page(LICENCE, 5)]
    assign_roles(pages)
    assert [p.role for p in pages] == ["plan", "plan", "plan", "other", "other"]


def test_a_table_whose_title_is_misread_is_not_taken_for_the_table_before() -> None:
    """dev30 a06: the trainings' title read '表3:组兴票的人才增调活动清单' on a 1-bit scan: no cue named the page,
    which went on the contracts' table, and the trainings came out missing (a false ATTACHMENT_MISSING)."""
    trainings = ["表3:组兴票的人才增调活动清单(2024年和2025年)", "日期（年/月/日)", "培通战汪动名称", "2024-02-19",
                 "智能制造高级研修班", "154"]
    rows = ["2024-03-16", "工业软件应用实操培训", "320"]
    pages = [make_page(TABLES["appendix2_table2"], 1, columns=5), make_page(trainings, 2, columns=4),
             make_page(rows * 4, 3, columns=4), make_page(TABLES["appendix3_table1"], 4, columns=3)]
    assign_roles(pages)
    assert [p.role for p in pages] == ["appendix2_table2", "appendix2_table3", "appendix2_table3", "appendix3_table1"]


def test_a_misread_title_does_not_claim_a_part_the_package_holds() -> None:
    trainings = ["表3:组兴票的人才增调活动清单(2024年和2025年)", "日期（年/月/日)", "2024-02-19", "154"]
    pages = [make_page(TABLES["appendix2_table3"], 1, columns=4), make_page(trainings, 2, columns=4)]
    assign_roles(pages)
    assert [p.role for p in pages] == ["appendix2_table3", "appendix2_table3"]


def test_a_last_page_with_a_misread_title_is_the_missing_table() -> None:
    """dev30 a12: the financings' title read '表3到接成功核融资流单及金精' on a phone photo: untitled, 'other'."""
    financings = ["表3到接成功核融资流单及金精（越矩2025年然来计）", "1", "中的输行电京分行", "778.70"]
    pages = [make_page(TABLES["appendix3_table2"], 1, columns=4), make_page(financings, 2)]
    assign_roles(pages)
    assert [p.role for p in pages] == ["appendix3_table2", "appendix3_table3"]


def test_a_page_heading_ending_in_the_programme_name_is_no_recommendation() -> None:
    """A fuzzy cue matched by its half at the text's edge ('…促进中心' closing the head) is no match."""
    assert cue_score("制造业数字化转型促进中心推荐意见", "推荐单位(盖章)制造业数字化转型促进中心") == 0.0
    assert cue_score("数字化转型促进中心推荐意见", "宁波市调造业数字化转型促进中心推荐息见") > 0.9


def test_a_photographed_letter_whose_title_lost_a_character_is_a_recommendation() -> None:
    letter = ["附件2", "宁波市经济和追化局", "调造业数字化转型促进中心推荐息见", "工金粉优意化年理间",
              "公司建设制维业字化持型性港中心，评", "联系人及核乐电话"]
    assert classify(make_page(letter))[0] == "recommendation_letter"
