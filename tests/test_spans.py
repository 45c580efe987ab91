"""Cells spanning rows whose rule was lost in some columns: given back to their rows (pipeline.tables.spans)."""

from __future__ import annotations

from pathlib import Path

import pytest

from models.page import Word
from pipeline.config import Settings
from pipeline.tables import extract_appendix
from pipeline.tables.spans import Line, name_blocks
from tests.fixtures.tables.synth import Defects, SCell, Sheet, STable, render

SETTINGS = Settings(cache_dir=None, reread_engine="none")
SURE = Defects(confidence=0.99)  # words as drawn, read surely: no cell is re-read


def _appendix(tmp_path: Path, table: STable, role: str, title: str, defects: Defects):
    page = render(Sheet(tables=[table], texts=[(50, 120, title, 12)]), tmp_path, defects=defects)
    page.role = role
    return extract_appendix([page], SETTINGS)


def _lost(rows: range, cols: range) -> frozenset[tuple[int, int]]:
    return frozenset((r, c) for r in rows for c in cols)


PROVIDERS = [["序号", "服务商名称", "主要服务行业（3个以内）", "核心能力（50字以内）"],
             ["1", "宁波顺弘智能科技有限公司", "纺织、电子信息制造", "诊断评估与规划咨询"],
             ["2", "贵阳和祥数据技术有限公司", "医药、纺织、钢铁", "智能仓储物流规划"],
             ["3", "洛阳科博信息技术有限公司", "船舶、建材、汽车", "质量管理系统"]]


def test_header_run_into_the_first_rows_is_not_data(tmp_path: Path) -> None:
    """The rules under the header and under row 1 lost in the name and industry columns (a dithered scan):
    those columns hold one cell with the header label and two providers; each row gets its own again."""
    table = STable.simple(50, 150, [40, 170, 150, 140], PROVIDERS)
    defects = Defects(confidence=0.99, lost_rules=_lost(range(1, 3), range(1, 3)))
    result = _appendix(tmp_path, table, "appendix3_table2", "表2：汇聚的数字化转型服务商清单", defects)
    providers = result.value.providers
    assert [(p.seq, p.name, p.industries) for p in providers] == [
        (1, "宁波顺弘智能科技有限公司", ["纺织", "电子信息制造"]),
        (2, "贵阳和祥数据技术有限公司", ["医药", "纺织", "钢铁"]),
        (3, "洛阳科博信息技术有限公司", ["船舶", "建材", "汽车"])]
    assert "appendix.providers" not in result.provenance  # every row given back surely


def test_a_cell_of_one_record_over_two_grid_rows_stays_whole(tmp_path: Path) -> None:
    """A wrapped name whose second line sits in a grid row with nothing else is one record, not two."""
    rows = [["序号", "服务商名称", "主要服务行业（3个以内）", "核心能力（50字以内）"],
            ["1", "宁波顺弘智能科技有限公司", "纺织", "诊断评估"], ["", "", "", ""],
            ["2", "贵阳和祥数据技术有限公司", "医药", "物流规划"]]
    table = STable.simple(50, 150, [40, 170, 150, 140], rows)
    table.cells = [c for c in table.cells if not (c.row == 2 and c.col == 3) and not (c.row == 1 and c.col == 3)]
    table.cells.append(SCell(1, 3, "诊断评估与\n规划咨询", row_span=2))
    result = _appendix(tmp_path, table, "appendix3_table2", "表2：汇聚的数字化转型服务商清单", SURE)
    assert [p.capability for p in result.value.providers] == ["诊断评估与规划咨询", "物流规划"]


def test_amounts_stacked_in_one_cell_go_to_their_rows(tmp_path: Path) -> None:
    header = ["序号", "投资机构名称", "被投企业名称", "投融资金额（万元）"]
    rows = [header, ["1", "东莞星顺资本管理有限公司", "东莞顺隆海工装备有限公司", "2691.00"],
            ["2", "东莞睿弘资本管理有限公司", "东莞诚致船用设备有限公司", "936.50"]]
    table = STable.simple(50, 150, [40, 170, 170, 100], rows)
    defects = Defects(confidence=0.99, lost_rules=_lost(range(2, 3), range(3, 4)))
    result = _appendix(tmp_path, table, "appendix3_table3", "表3：对接成功投融资清单及金额", defects)
    assert [f.amount for f in result.value.financings] == [pytest.approx(2691.0), pytest.approx(936.5)]


def _institutions(seqs: list[str]) -> STable:
    names = ["东莞天信科技融资担保有限公司", "中国建设银行东莞分行", "浦发银行东莞分行", "天津大学", "浙江工业大学",
             "中南大学", "北京航空航天大学"]
    cells = [SCell(0, 0, "类别"), SCell(0, 1, "序号"), SCell(0, 2, "名称"),
             SCell(1, 0, "投融资机构", row_span=3), SCell(4, 0, "高校科研院所", row_span=4)]
    cells += [SCell(1 + i, 1, seq) for i, seq in enumerate(seqs)] + [SCell(1 + i, 2, n) for i, n in enumerate(names)]
    return STable(50, 150, [100, 50, 280], [26.0] * 8, cells)


@pytest.mark.parametrize("seqs", [["1", "2", "3", "1", "2", "3", "4"], ["1", "2", "3", "4", "5", "6", "7"]])
def test_categories_in_one_cell_are_shared_among_their_rows(tmp_path: Path, seqs: list[str]) -> None:
    """The rule between the two categories lost in the 类别 column: one cell holds both names.  The 序号
    restarting at 1 (or, numbered through, each name's place in the middle of its rows) gives each its rows."""
    defects = Defects(confidence=0.99, lost_rules=frozenset({(4, 0)}))
    result = _appendix(tmp_path, _institutions(seqs), "appendix3_table1", "表1：汇聚的投融资机构、高校科研院所清单",
                       defects)
    categories = [row.category for row in result.value.institutions]
    assert categories == ["投融资机构"] * 3 + ["高校科研院所"] * 4
    assert all(result.provenance[f"appendix.institutions[{i}].category"].confidence >= 0.9 for i in range(7))


def test_categories_whose_rows_cannot_be_told_are_unsure(tmp_path: Path) -> None:
    """序号 restarting where the names' places say otherwise: the sharing follows the 序号 and says it is unsure."""
    seqs = ["1", "2", "1", "2", "3", "4", "5"]
    defects = Defects(confidence=0.99, lost_rules=frozenset({(4, 0)}))
    result = _appendix(tmp_path, _institutions(seqs), "appendix3_table1", "表1：汇聚的投融资机构、高校科研院所清单",
                       defects)
    categories = [row.category for row in result.value.institutions]
    assert categories == ["投融资机构"] * 2 + ["高校科研院所"] * 5
    assert all(result.provenance[f"appendix.institutions[{i}].category"].confidence < 0.8 for i in range(7))
    assert result.provenance["appendix.institutions"].confidence < 0.8


CONTRACT_ROWS = [["2024.03.19", "CREM20240008", "大连嘉易船用设备有限公司", "88.00"],
                 ["2024.04.04", "CREM20240014", "东莞中德海工装备有限公司", "29.40"]]


def test_a_header_label_cut_by_a_rule_inside_the_header_is_no_row(tmp_path: Path) -> None:
    """日期（年/月/日） wrapped and a rule found between its lines: the tail row (日） · 元）) is header, not data."""
    cells = [SCell(0, 0, "日期（年/月/"), SCell(1, 0, "日）"), SCell(0, 1, "合同编号", row_span=2),
             SCell(0, 2, "服务企业名称", row_span=2), SCell(0, 3, "合同金额（万"), SCell(1, 3, "元）")]
    cells += [SCell(2 + r, c, text) for r, row in enumerate(CONTRACT_ROWS) for c, text in enumerate(row)]
    table = STable(50, 150, [100, 120, 170, 100], [20.0, 20.0, 26.0, 26.0], cells)
    result = _appendix(tmp_path, table, "appendix2_table2", "表2：已开展数字化改造实施服务的企业及项目清单", SURE)
    assert [c.contract_no for c in result.value.contracts] == ["CREM20240008", "CREM20240014"]


def test_a_value_across_two_records_is_given_to_both_unsurely(tmp_path: Path) -> None:
    """One amount printed across the boundary of two records (their rule lost there): it cannot be told
    whose it is, so each row keeps it in doubt rather than surely."""
    header = ["序号", "投资机构名称", "被投企业名称", "投融资金额（万元）"]
    cells = [SCell(0, c, text) for c, text in enumerate(header)]
    cells += [SCell(1, 0, "1"), SCell(1, 1, "东莞星顺资本管理有限公司"), SCell(1, 2, "东莞顺隆海工装备有限公司"),
              SCell(2, 0, "2"), SCell(2, 1, "东莞睿弘资本管理有限公司"), SCell(2, 2, "东莞诚致船用设备有限公司"),
              SCell(1, 3, "936.50", row_span=2)]
    table = STable(50, 150, [40, 170, 170, 100], [26.0, 26.0, 26.0], cells)
    result = _appendix(tmp_path, table, "appendix3_table3", "表3：对接成功投融资清单及金额", SURE)
    rows = result.value.financings
    assert len(rows) == 2
    assert result.provenance["appendix.financings[0].amount"].confidence < 0.8
    # The table as a whole says its rows are in doubt (for the checks' counts and sums over it).
    assert result.provenance["appendix.financings"].confidence < 0.8
    assert rows[1].amount is None or result.provenance["appendix.financings[1].amount"].confidence < 0.8


CONTRACTS = [["日期（年/月/日）", "合同编号", "服务企业名称", "合同金额（万元）"],
             ["2024年3月21日", "SZZX2024032", "烟台新隆服饰有限公司", "67.87"],
             ["2024年5月26日", "SZZX2024034", "台州凯信化纤有限公司", "308.25"],
             ["2024年7月7日", "SZZX2024036", "台州华恒印染有限公司", "70"],
             ["2024年7月10日", "SZZX2024039", "潍坊致辰印染集团有限公司", "212.49"]]


def test_columns_and_rows_whose_faint_rules_were_lost_come_from_the_text(tmp_path: Path) -> None:
    """A Word table scanned light: only the outer rules and the one before the amounts were found.
    The text's clear vertical gaps give the columns back, and the dates the rows."""
    table = STable.simple(50, 150, [100, 110, 180, 100], CONTRACTS)
    lost = frozenset((r, c) for r in range(5) for c in (1, 2))
    defects = Defects(confidence=0.99, row_rules="missing", lost_rules=_lost(range(1, 2), range(0, 4)),
                      lost_verticals=lost)
    result = _appendix(tmp_path, table, "appendix2_table2", "表2：已开展数字化改造实施服务的企业及项目清单", defects)
    assert [(str(c.date), c.contract_no, c.enterprise, c.amount) for c in result.value.contracts] == [
        ("2024-03-21", "SZZX2024032", "烟台新隆服饰有限公司", 67.87), ("2024-05-26", "SZZX2024034", "台州凯信化纤有限公司", 308.25),
        ("2024-07-07", "SZZX2024036", "台州华恒印染有限公司", 70.0), ("2024-07-10", "SZZX2024039", "潍坊致辰印染集团有限公司", 212.49)]


def test_a_column_rule_found_only_in_the_header_holds_all_the_way_down(tmp_path: Path) -> None:
    """The rule between 类别 and 序号 found only beside the header, and no row rules in those two
    columns: the category names and the 序号 are still two columns."""
    lost = frozenset((r, 1) for r in range(1, 8))
    rules = frozenset((r, c) for r in range(2, 8) for c in (0, 1))
    defects = Defects(confidence=0.99, lost_rules=rules, lost_verticals=lost)
    result = _appendix(tmp_path, _institutions(["1", "2", "3", "1", "2", "3", "4"]), "appendix3_table1",
                       "表1：汇聚的投融资机构、高校科研院所清单", defects)
    assert [(r.category, r.seq) for r in result.value.institutions] == [
        ("投融资机构", 1), ("投融资机构", 2), ("投融资机构", 3), ("高校科研院所", 1), ("高校科研院所", 2),
        ("高校科研院所", 3), ("高校科研院所", 4)]


def _line(text: str, top: float) -> Line:
    return Line((Word(text, (0.0, top, 10.0 * len(text), top + 10.0), 0.99),), top, top + 10.0)


def test_category_names_wrapped_over_lines_stay_one_name() -> None:
    """Lines close together join when they read better as one of the form's names than apart: a name
    wrapped onto 解决方案 (itself a name) joins; two names in rows packed tight stay two."""
    names = ("数字化产品", "解决方案", "数据集", "模型库", "面向中小企业的“小快轻准”解决方案")
    lines = [_line("数据集", 0.0), _line("模型库", 12.0), _line("面向中小企业的“小快轻准”", 30.0), _line("解决方案", 42.0)]
    blocks = name_blocks(lines, names)
    assert [[line.words[0].text for line in block] for block in blocks] == [
        ["数据集"], ["模型库"], ["面向中小企业的“小快轻准”", "解决方案"]]
    assert len(name_blocks(lines)) == 2  # without the names, only the gaps: 数据集 and 模型库 run together


TRAININGS = [["日期（年/月/日）", "培训或活动名称", "参训人数"], ["2024.02.27", "企业首席数据官培训班", "115"],
             ["2024.04.26", "中小企业数字化转型诊断师培训", "160"], ["2024.06.15", "2024年数字化转型供需对接会", "239"],
             ["2024.11.15", "精益生产与数字化管理培训", "135"], ["2025.08.17", "中小企业数字化转型诊断师培训", "286"]]


def test_a_column_rule_lost_in_the_last_row_still_parts_its_cells(tmp_path: Path) -> None:
    """A phone photo's faint rule before 参训人数 fades out in the last row: that row's name and count are
    one line of text each, either side of where the rule runs in every other row, and stay two cells."""
    table = STable.simple(60, 150, [110, 250, 80], TRAININGS)
    defects = Defects(confidence=0.99, lost_verticals=frozenset({(5, 2)}))
    result = _appendix(tmp_path, table, "appendix2_table3", "表3：组织开展的人才培训活动清单", defects)
    assert [(t.name, t.participants) for t in result.value.trainings] == [
        ("企业首席数据官培训班", 115), ("中小企业数字化转型诊断师培训", 160), ("2024年数字化转型供需对接会", 239),
        ("精益生产与数字化管理培训", 135), ("中小企业数字化转型诊断师培训", 286)]


def _cut_table(words: list[Word]):
    """序号 | 名称 | 核心能力: a header row, then rows at 30-55, 55-80, 80-105 (1 point a pixel)."""
    from pipeline.tables.cells import Table, fill_cells
    from pipeline.tables.geometry import Frame, Rule, build_grid
    rules = [Rule("h", y, 0, 300) for y in (0, 30, 55, 80, 105)] + [Rule("v", x, 0, 105) for x in (0, 40, 160, 300)]
    grid = build_grid(rules)
    assert grid is not None
    base = [Word("序号", (8, 8, 32, 22)), Word("名称", (80, 8, 104, 22)), Word("核心能力", (200, 8, 248, 22)),
            Word("1", (15, 36, 22, 49)), Word("甲公司", (50, 36, 100, 49)), Word("质量管理", (170, 36, 230, 49)),
            Word("2", (15, 61, 22, 74)), Word("乙公司", (50, 61, 100, 74)),
            Word("3", (15, 86, 22, 99)), Word("丙公司", (50, 86, 100, 99)), Word("设备联网", (170, 86, 230, 99))]
    return Table(page=1, grid=grid, frame=Frame(), cells=fill_cells(grid, Frame(), [*base, *words]))


def test_a_wrapped_value_whose_first_box_reaches_over_its_rule_is_its_rows() -> None:
    """On a curled page a wrapped value's first line's box reaches 28 % of its height over the row's top
    rule; the line joins the next, wholly in the row: the block is the row's, no doubt. The same line
    alone (nothing it joins) may be either row's: in doubt."""
    from pipeline.tables.spans import split_spans
    first = Word("工业设备联网与数据采集", (170, 50.4, 298, 66.7))
    wrapped = _cut_table([first, Word("余种主流设备协议", (170, 64.3, 260, 79.2))])
    assert not split_spans(wrapped, 1).unsure_rows
    alone = _cut_table([first])
    assert split_spans(alone, 1).unsure_rows == frozenset({2})


def test_a_seal_character_or_the_header_rule_over_a_line_is_no_doubt() -> None:
    """A seal's character read over a row rule (twice the table's line height) is no line of the table's
    print; a header label's line the header's rule cuts parts no two records."""
    from pipeline.tables.spans import split_spans
    seal = _cut_table([Word("化", (240, 47, 258, 74)), Word("6.2", (260, 61, 290, 74))])
    assert not split_spans(seal, 1).unsure_rows
    header = _cut_table([Word("服务企业名称", (170, 24, 250, 38))])
    assert not split_spans(header, 1).unsure_rows
    across = _cut_table([Word("工业设备联网", (170, 48, 250, 62))])  # a record's line cut through its middle
    assert split_spans(across, 1).unsure_rows
