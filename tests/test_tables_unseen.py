"""Table reading on packages made by another process: dotted rules, split rule groups, garbled headers, wrapped
names across split columns, label strokes, tables of text lines, rows whose keys were lost, the 序号 run."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from models import Provenance
from models.page import Page, Word
from pipeline.config import Settings
from pipeline.ocr.hanzi import simplified
from pipeline.tables import extract_appendix, find_tables
from pipeline.tables.appendix import Collector, _goes_on_below, page_tables
from pipeline.tables.cells import CellText, Table, cell_text
from pipeline.tables.finder import drop_text_strokes, hidden_columns, table_from_group, text_table
from pipeline.tables.geometry import Cell, Frame, Grid, Rule, build_grid, group_rules, merge_rules
from pipeline.tables.headers import SPEC_BY_KEY, find_header
from pipeline.tables.labels import MIN_SCORE, label_score
from pipeline.tables.pixels import dotted_masks, onto_rule_lines
from pipeline.tables.rows import unwrapped_breaks
from pipeline.tables.values import FieldValue, header_unit, read_value
from tests.fixtures.tables.synth import Defects, Sheet, STable, render

SETTINGS = Settings(cache_dir=None)
PROVIDERS = [["序号", "服务商名称", "主要服务行业（3个以内）", "核心能力（50字以内）"],
             ["1", "杭州数智科技有限公司", "机械、汽车", "工业软件"],
             ["2", "宁波云联信息技术有限公司", "纺织", "数据治理与分析服务"],
             ["3", "温州精工", "电子信息制造", "设备联网"]]


@pytest.fixture(autouse=True)
def no_ocr_engine(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("pipeline.tables.appendix.ocr_engine", lambda pages, settings: None)
    monkeypatch.setattr("pipeline.tables.appendix.second_readers", lambda settings: lambda page: None)


# --- dotted rules (fax, 1-bit scans) -------------------------------------------------------------


def test_a_dotted_rule_is_found_and_a_line_of_text_is_not() -> None:
    ink = np.zeros((200, 400), np.uint8)
    ink[50, 20:380:6] = 255  # a hairline a fax kept one pixel in six of
    ink[120:135, 40:360] = 255  # a line of text: inked for its whole height
    horizontal, vertical = dotted_masks(ink, 150.0)
    assert horizontal[50, 30:370].all() and not horizontal[45].any() and not horizontal[55].any()
    assert not horizontal[110:145].any() and not vertical.any()
    # The run stops at the rule's last dot (within a dot's spacing), not half a window past it.
    assert not horizontal[50, :14].any() and not horizontal[50, 386:].any()


def _dotted_rule_over_text(dpi: float) -> tuple[np.ndarray, list[Rule]]:
    """A dotted row rule at pixel row 100 and, 10 px below it, a line of text in three cells (character
    blobs, their tops at row 110): the pieces a faint look finds, the rule's and the characters' tops."""
    scale = dpi / 72.0
    ink = np.zeros((200, 800), np.uint8)
    ink[100, 20:780:6] = 255
    texts = [(40, 200), (300, 420), (520, 700)]
    for x0, x1 in texts:
        for x in range(x0, x1, 16):
            ink[110:126, x:x + 12] = 255
    pieces = [Rule("h", 100 / scale, 20 / scale, 780 / scale)]
    pieces += [Rule("h", y / scale, x0 / scale, x1 / scale) for x0, x1 in texts for y in (104, 108, 112, 116, 120)]
    return ink, pieces


def test_a_dotted_rule_snapped_with_the_tops_of_the_text_below_stays_on_its_dots() -> None:
    """dev52 a06 p12: a faint look joined the dotted rule and record 7's character tops into one band; merged
    at their mean, the rule ran between them and record 7's first line fell into record 6."""
    dpi = 150.0
    ink, pieces = _dotted_rule_over_text(dpi)
    rules = merge_rules(onto_rule_lines(pieces, ink, dpi / 72.0, dpi))
    assert len(rules) == 1 and rules[0].pos == pytest.approx(100 / (dpi / 72.0))
    assert rules[0].start == pytest.approx(20 / (dpi / 72.0)) and rules[0].end == pytest.approx(780 / (dpi / 72.0))


def test_stacked_character_strokes_with_no_rule_among_them_are_left_as_they_were() -> None:
    """Without a rule's ink along any of the band's lines (only the characters' tops), nothing is moved; nor
    where two of its lines show a rule's ink alike."""
    dpi = 150.0
    ink, pieces = _dotted_rule_over_text(dpi)
    ink[100] = 0
    strokes = pieces[1:]
    assert sorted(onto_rule_lines(strokes, ink, dpi / 72.0, dpi), key=lambda r: (r.pos, r.start)) == \
        sorted(strokes, key=lambda r: (r.pos, r.start))
    # Two lines of the band as plainly rules (a second dotted line along the text's tops): nothing to choose by.
    ink, pieces = _dotted_rule_over_text(dpi)
    ink[110, 20:780:6] = 255
    pieces.append(Rule("h", 110 / (dpi / 72.0), 20 / (dpi / 72.0), 780 / (dpi / 72.0)))
    assert sorted(onto_rule_lines(pieces, ink, dpi / 72.0, dpi), key=lambda r: (r.pos, r.start)) == \
        sorted(pieces, key=lambda r: (r.pos, r.start))


def test_a_band_of_character_strokes_is_not_moved_onto_a_short_line_between_words() -> None:
    """A phone photo's faint look finds the tops of a line of text as pieces, and a short dotted stroke in the gap
    between two words (an underline's dots): that stroke's ink marks all the paper there is along the band, yet
    runs along a fifth of it. A rule runs along its band: on the phone photos of dev49 a08 and dev56 a02 the bands
    moved onto a line its pieces ran along for 6–49% of the band's length were all character strokes, and the
    dotted rules and solid ones beside text 51–100%."""
    dpi = 150.0
    scale = dpi / 72.0
    ink = np.zeros((200, 800), np.uint8)
    texts = [(40, 300), (420, 700)]
    for x0, x1 in texts:
        for x in range(x0, x1, 16):
            ink[104:122, x:x + 12] = 255
    ink[100, 300:420:6] = 255
    pieces = [Rule("h", 100 / scale, 300 / scale, 420 / scale)]
    pieces += [Rule("h", y / scale, x0 / scale, x1 / scale) for x0, x1 in texts for y in (104, 108, 112, 116)]
    assert sorted(onto_rule_lines(pieces, ink, scale, dpi), key=lambda r: (r.pos, r.start)) == \
        sorted(pieces, key=lambda r: (r.pos, r.start))


@pytest.mark.parametrize("every", [6, 9])
def test_table_with_dotted_rules_is_read(tmp_path: Path, every: int) -> None:
    page = render(Sheet(tables=[STable.simple(50, 150, [40, 170, 130, 150], PROVIDERS)]), tmp_path, dpi=150,
                  defects=Defects(dotted=every))
    finding = find_tables(page, keyed_rows=True)
    assert len(finding.tables) == 1 and finding.tables[0].texts() == PROVIDERS


def test_rule_groups_that_cross_side_by_side_are_one_table() -> None:
    """A table whose rules fell into two touching-nowhere pieces (its right columns' rules broke off)."""
    left = [Rule("h", y, 50, 330) for y in (100, 160)] + [Rule("v", x, 100, 160) for x in (50, 150, 300)]
    right = [Rule("h", y, 326, 420) for y in (125, 190)] + [Rule("v", x, 120, 190) for x in (335, 420)]
    below = [Rule("h", y, 50, 300) for y in (300, 330)] + [Rule("v", x, 300, 330) for x in (50, 300)]
    groups = group_rules(left + right + below)
    assert sorted(len(group) for group in groups) == [4, 9]


# --- headers --------------------------------------------------------------------------------------


def _cell(row: int, col: int, text: str, x0: float, x1: float, words: tuple[Word, ...] = ()) -> CellText:
    box = (x0, 100.0 + 20 * row, x1, 120.0 + 20 * row)
    return CellText(Cell(row, col, 1, 1, box), box, words, text)


def test_a_header_label_cut_in_two_keeps_its_column() -> None:
    """A rule found inside the header split 主要服务行业 into 主要 | 务行业(3以内): both columns are industries."""
    from pipeline.tables.cells import Table
    from pipeline.tables.geometry import Grid
    xs = [50.0, 90.0, 260.0, 300.0, 390.0, 540.0]
    texts = ["序号", "服务商名称", "主要", "务行业(3以内)", "核心能力(50字以内)"]
    cells = [_cell(0, c, t, xs[c], xs[c + 1]) for c, t in enumerate(texts)]
    grid = Grid(xs=xs, ys=[100.0, 120.0], cells=[c.cell for c in cells], rules=[], virtual=[])
    header = find_header(Table(page=1, grid=grid, frame=Frame(), cells=cells), "appendix3_table2")
    assert header is not None and header.columns["industries"] == (2, 3)


def _header_table(texts: list[str], xs: list[float], title: str = "") -> Table:
    cells = [_cell(0, c, t, xs[c], xs[c + 1]) for c, t in enumerate(texts)]
    grid = Grid(xs=xs, ys=[100.0, 120.0], cells=[c.cell for c in cells], rules=[], virtual=[])
    return Table(page=1, grid=grid, frame=Frame(), cells=cells, title=title)


PROVIDERS_TITLE = "表2：汇聚的数字化转型服务商清单（截至2025年底累计）"


def test_a_lost_label_between_two_named_ones_is_the_column_between_them() -> None:
    """dev13 a11 (phone photo): the frame added an empty sliver at each side of the table and 序号 was not
    read: the free columns are 0, 2 and 4, not one run, yet the spec's order puts 序号 between 类别 (1) and
    名称 (3): it is column 2, not a sliver."""
    texts = ["", "类别", "", "名称", ""]
    header = find_header(_header_table(texts, [40.0, 45.0, 150.0, 200.0, 530.0, 535.0]), "appendix2_table1")
    assert header is not None and header.spec.key == "products"
    assert header.columns["seq"] == (2,)


def test_a_lost_first_label_takes_the_run_of_free_columns_before_the_named_ones() -> None:
    """序号 lost at the head of the providers' header: the free column before 服务商名称 is its, the sliver
    after the last named column is not (it is past every field's place)."""
    texts = ["", "服务商名称", "主要服务行业", "核心能力", ""]
    header = find_header(_header_table(texts, [50.0, 90.0, 250.0, 420.0, 530.0, 535.0]), "appendix3_table2")
    assert header is not None and header.spec.key == "providers"
    assert header.columns["seq"] == (0,)


def test_a_merged_header_cell_does_not_make_the_table_its_title_and_page_name_another() -> None:
    """A fax's lost rule merged 服务商名称 and 主要服务行业 into one header cell: 序号 · 名称 is then the header of
    附2表1 by its labels, but the title and the page both name 附3表2, whose header it is misread: no header
    is recognised, and the table is placed by its title (`appendix.Walker`)."""
    texts = ["序号", "服务商名称 主要服务行业(3个以内)", ""]
    assert find_header(_header_table(texts, [50.0, 90.0, 330.0, 540.0], PROVIDERS_TITLE), "appendix3_table2") is None


def test_without_a_title_naming_the_table_the_labels_decide_as_before() -> None:
    texts = ["序号", "服务商名称 主要服务行业(3个以内)", ""]
    header = find_header(_header_table(texts, [50.0, 90.0, 330.0, 540.0]), "appendix3_table2")
    assert header is not None and header.spec.key == "products"


def test_a_full_header_of_another_table_wins_over_the_title() -> None:
    """A page whose title names 附3表2 but whose table's header names every column of 附3表3."""
    texts = ["序号", "投资机构名称", "被投企业名称", "投融资金额（万元）"]
    header = find_header(_header_table(texts, [50.0, 90.0, 250.0, 420.0, 540.0], PROVIDERS_TITLE), "appendix3_table2")
    assert header is not None and header.spec.key == "financings"


def test_a_header_with_a_character_of_two_labels_misread_is_the_header_of_its_row() -> None:
    """dev13 a13 (fax): 合同编号 read 合间编号 and 合同金额 read 合同金颗: one slip in four characters each. The
    row is the header; the first contract under it stays a contract (joined to the header, it was lost)."""
    texts = ["日期(年/月/B)", "合间编号", "服务企业名称", "合同金颗(万元)"]
    header = find_header(_header_table(texts, [50.0, 150.0, 250.0, 420.0, 540.0]), "appendix2_table2")
    assert header is not None and header.spec.key == "contracts" and header.row == 0
    assert set(header.columns) == {"date", "contract_no", "enterprise", "amount"}
    assert label_score("合间编号", "合同编号") >= MIN_SCORE and label_score("合间", "合同") == 0.0
    assert label_score("合同金颗(万元)", "合同金额") >= MIN_SCORE and label_score("金融机构", "合同金额") < MIN_SCORE


def test_a_header_cell_holding_two_labels_over_columns_the_rows_part_is_shared_between_them() -> None:
    """dev13 a13 (fax): the rule between 被投企业名称 and 投融资金额 lost in the header row alone; the data rows
    part the two (grid columns 2 and 3): the name its column, the amount its own."""
    xs = [50.0, 90.0, 250.0, 440.0, 540.0]
    words = (Word("被投企业名称", (300.0, 102.0, 360.0, 118.0)), Word("投融贸金额（万", (450.0, 100.0, 520.0, 112.0)),
             Word("元)", (476.0, 110.0, 490.0, 120.0)))
    texts = [("序号", 0, 1), ("投资机构名称", 1, 1), ("被投企业名称 投融贸金额（万元)", 2, 2)]
    cells = []
    for text, col, span in texts:
        box = (xs[col], 100.0, xs[col + span], 120.0)
        cells.append(CellText(Cell(0, col, 1, span, box), box, words if col == 2 else (), text))
    grid = Grid(xs=xs, ys=[100.0, 120.0], cells=[c.cell for c in cells], rules=[], virtual=[])
    header = find_header(Table(page=1, grid=grid, frame=Frame(), cells=cells), "appendix3_table3")
    assert header is not None and header.spec.key == "financings"
    assert header.columns["investee"] == (2,) and header.columns["amount"] == (3,)


def test_a_field_over_two_columns_reads_its_wrapped_name_line_by_line() -> None:
    """广州中联工业互联网有限 / 公司 with a hidden-column cut after 广州: not 广州公司中联…"""
    first = [Word("广州", (100.0, 100.0, 120.0, 110.0)), Word("公司", (100.0, 112.0, 120.0, 122.0))]
    second = [Word("中联工业互联网有限", (120.0, 100.0, 210.0, 110.0))]
    cells = [_cell(0, 1, "广州\n公司", 98, 120, tuple(first)), _cell(0, 2, "中联工业互联网有限", 120, 220, tuple(second))]
    value = read_value(cells, SPEC_BY_KEY["providers"].columns[1], 1, None, SPEC_BY_KEY["providers"])
    assert value.raw.replace("\n", "") == "广州中联工业互联网有限公司"


# --- strokes of characters are no rules -----------------------------------------------------------


def test_stacked_strokes_inside_characters_are_no_rule_but_a_rule_between_joined_words_is() -> None:
    words = [Word("常州晟隆药业集团有限公司", (280.0, 100.0 + 15 * i, 400.0, 112.0 + 15 * i)) for i in range(5)]
    stroke = Rule("v", 284.0, 100.0, 172.0)  # 4 pt into each row's first character
    assert drop_text_strokes([stroke], words, Frame()) == []
    joined = [Word("1 中国建设银行", (60.0, 100.0 + 15 * i, 150.0, 112.0 + 15 * i)) for i in range(5)]
    rule = Rule("v", 66.5, 98.0, 174.0)  # between the 1 and its name, which OCR read as one word
    assert drop_text_strokes([rule], joined, Frame()) == [rule]


# --- tables of text lines -------------------------------------------------------------------------


def test_text_table_columns_ignore_a_heading_and_keep_its_note_apart(tmp_path: Path) -> None:
    rows = [["类别", "序号", "名称"], ["数字化产品", "1", "工业互联网平台"], ["", "2", "设备管理系统"]]
    table = STable.simple(60, 150, [120, 60, 200], rows, rules="none")
    sheet = Sheet(tables=[table], texts=[(60, 110, "附2 服务能力证明材料 表1", 12),
                                         (60, 240, "注：申报单位（联合体牵头单位及涉及单位）加盖公章。", 10)])
    found = text_table(render(sheet, tmp_path))
    assert found is not None and found.grid.n_cols == 3
    texts = found.texts()
    assert texts[-1][0].startswith("注") and ["", "2", "设备管理系统"] in texts


def test_centred_category_labels_name_the_rows_around_them(tmp_path: Path) -> None:
    """No rules: each 类别 printed once, centred on its group (the rows above it in the group have none)."""
    rows = [["类别", "序号", "名称"], ["", "1", "平台甲"], ["数字化产品", "2", "平台乙"], ["", "3", "平台丙"],
            ["", "1", "方案甲"], ["解决方案", "2", "方案乙"], ["", "3", "方案丙"], ["模型库", "1", "模型甲"]]
    table = STable.simple(60, 150, [120, 60, 200], rows, rules="none")
    page = render(Sheet(tables=[table], texts=[(60, 120, "表1：契合行业的产品、解决方案、数据集等清单", 12)]), tmp_path)
    page.role = "appendix2_table1"
    page.words = [w for w in page.words]
    page.kind = "scan"
    import pipeline.tables.appendix as appendix
    original = appendix.page_tables
    appendix.page_tables = lambda page, engine, settings: [t for t in [text_table(page)] if t is not None]
    try:
        products = extract_appendix([page], SETTINGS).value.products
    finally:
        appendix.page_tables = original
    assert [(p.category, p.seq) for p in products] == [
        ("数字化产品", 1), ("数字化产品", 2), ("数字化产品", 3), ("解决方案", 1), ("解决方案", 2), ("解决方案", 3),
        ("模型库", 1)]


# --- rows whose keys were lost --------------------------------------------------------------------


def _one_row_grid() -> Grid:
    """One grid row of three cells (序号, two names), its inner row rules lost."""
    xs, ys = [50.0, 90.0, 260.0, 420.0], [100.0, 140.0]
    cells = [Cell(0, c, 1, 1, (xs[c], ys[0], xs[c + 1], ys[1])) for c in range(3)]
    return Grid(xs=xs, ys=ys, cells=cells, rules=[], virtual=[])


def test_rows_sharing_a_grid_row_are_parted_by_entries_ending_together() -> None:
    """Two records in one grid row (no rule, 序号 not read): both name cells end an entry at one height."""
    grid = _one_row_grid()
    two_records = [Word("绍兴安和创业投资有限公司", (95.0, 104.0, 200.0, 115.0)),
                   Word("绍兴致顺股权投资基金有限公司", (95.0, 122.0, 230.0, 133.0)),
                   Word("绍兴泰捷钢管有限公司", (265.0, 104.0, 350.0, 115.0)),
                   Word("绍兴创越钢铁有限公司", (265.0, 122.0, 350.0, 133.0))]
    breaks = unwrapped_breaks(grid, Frame(), two_records)
    assert len(breaks) == 1 and 115.0 < breaks[0][0] < 122.0
    wrapped = [Word("绍兴致顺股权投资基金管理有", (95.0, 104.0, 258.0, 115.0)), Word("限公司", (95.0, 122.0, 125.0, 133.0)),
               Word("绍兴泰捷钢管有限公司", (265.0, 104.0, 350.0, 115.0))]
    assert unwrapped_breaks(grid, Frame(), wrapped) == []  # a full line wrapped, the other cell one line


def test_names_filling_their_cells_part_two_records_where_each_ends_whole() -> None:
    """Two records in one grid row, their names each as wide as the cell: no line ends short of the edge, but
    each ends a unit's name whole (有限公司), and a name wraps before its form's end, never after it."""
    grid = _one_row_grid()
    two_records = [Word("杭州昌隆创业投资有限公司", (95.0, 104.0, 245.0, 115.0)),
                   Word("杭州卓云科技融资担保有限公", (95.0, 122.0, 255.0, 133.0)),
                   Word("杭州宏正食品股份有限公司", (265.0, 104.0, 408.0, 115.0)),
                   Word("杭州顺易机床集团有限公司", (265.0, 122.0, 408.0, 133.0))]
    breaks = unwrapped_breaks(grid, Frame(), two_records)
    assert len(breaks) == 1 and 115.0 < breaks[0][0] < 122.0
    cut_before_the_form = [Word("杭州卓云科技融资担保有限", (95.0, 104.0, 255.0, 115.0)),
                           Word("公司北京分公司", (95.0, 122.0, 180.0, 133.0)),
                           Word("杭州宏正食品股份有限", (265.0, 104.0, 408.0, 115.0)),
                           Word("公司上海分公司", (265.0, 122.0, 350.0, 133.0))]
    assert unwrapped_breaks(grid, Frame(), cut_before_the_form) == []


def _seq(value: int | None) -> FieldValue:
    return FieldValue(value, "" if value is None else str(value), Provenance(page=1, confidence=0.9))


def test_a_lost_seq_is_taken_from_its_run_only_where_the_run_holds() -> None:
    collector = Collector(SETTINGS)
    spec = SPEC_BY_KEY["financings"]
    for value in (None, 2, None, 4):
        collector.add_row(spec, {"seq": _seq(value)})
    collector._seq_runs()
    rows = collector.rows["financings"]
    assert [row["seq"].value for row in rows] == [1, 2, 3, 4]
    assert rows[0]["seq"].provenance.resolved_by == "seq_run" and rows[0]["seq"].provenance.source == "derived"
    broken = Collector(SETTINGS)
    for value in (None, 2, 5):
        broken.add_row(spec, {"seq": _seq(value)})
    broken._seq_runs()
    assert broken.rows["financings"][0]["seq"].value is None  # 2, 5: no run to take it from


def test_a_lost_seq_of_a_table_numbered_through_its_categories_is_taken_from_the_run() -> None:
    """Institutions numbered 1-4 under 投融资机构 and on 5, 6, _, 8 under 高校科研院所: the 7 is the table's run."""
    collector = Collector(SETTINGS)
    spec = SPEC_BY_KEY["institutions"]
    for category, value in (("投融资机构", 1), ("投融资机构", 2), ("投融资机构", 3), ("投融资机构", 4),
                            ("高校科研院所", 5), ("高校科研院所", 6), ("高校科研院所", None), ("高校科研院所", 8)):
        collector.add_row(spec, {"category": FieldValue(category, category, Provenance(page=1, confidence=0.9)),
                                 "seq": _seq(value)})
    collector._seq_runs()
    assert [row["seq"].value for row in collector.rows["institutions"]] == [1, 2, 3, 4, 5, 6, 7, 8]


def test_a_seq_repeating_an_earlier_one_in_a_run_has_its_position_as_another_reading() -> None:
    """dev39 a12: 附3表2 numbered 1, 2, 3, 1 as read (its 4 read as 1): the repeated number gets its position as
    another reading, which reconciliation's run picks; one number off a run afresh in a new 类别, or off
    a run too short to say, or larger than its position (rows lost?), gets none."""
    def alternatives(seqs: list[int], categories: list[str] | None = None, key: str = "providers") -> list[object]:
        collector = Collector(SETTINGS)
        for index, value in enumerate(seqs):
            cells = {"seq": _seq(value)}
            if categories is not None:
                cells["category"] = FieldValue(categories[index], categories[index], Provenance(page=1, confidence=0.9))
            collector.add_row(SPEC_BY_KEY[key], cells)
        collector._seq_runs()
        return [row["seq"].provenance.alternatives for row in collector.rows[key]]

    assert alternatives([1, 2, 3, 1]) == [[], [], [], [4]]
    assert alternatives([1, 2, 2, 4]) == [[], [], [3], []]
    assert alternatives([1, 2, 1]) == [[], [], []]  # two numbers around it: too short a run to say
    assert alternatives([1, 2, 3, 7]) == [[], [], [], []]
    assert alternatives([1, 2, 3, 1], ["投融资机构"] * 3 + ["高校科研院所"], "institutions") == [[], [], [], []]


# --- a seal's stroke on the bottom rule, a label wrapped with Word's line spacing ---------------------


def test_a_short_vertical_alone_that_would_cut_characters_is_no_column_rule() -> None:
    from pipeline.tables.finder import _without_stray_verticals
    outer = [Rule("h", 100.0, 50.0, 500.0), Rule("h", 220.0, 50.0, 500.0),
             Rule("v", 50.0, 100.0, 220.0), Rule("v", 500.0, 100.0, 220.0), Rule("v", 150.0, 100.0, 220.0)]
    stroke = Rule("v", 335.0, 195.0, 220.0)  # stands on the bottom rule, under a seal
    names = [Word("供应链协同平台", (300.0, 110.0 + 20 * i, 370.0, 122.0 + 20 * i)) for i in range(4)]
    assert stroke not in _without_stray_verticals([*outer, stroke], names)
    broken = [Rule("v", 330.0, 100.0, 130.0), Rule("v", 330.5, 195.0, 220.0)]  # a column rule in pieces
    assert all(piece in _without_stray_verticals([*outer, *broken], names[:1]) for piece in broken)


def test_a_label_wrapped_with_a_line_gap_is_one_known_label() -> None:
    from pipeline.tables.bands import stacked_labels
    rows = [(300.0 + 18.5 * i, 300.0 + 18.5 * (i + 1)) for i in range(3)]
    wrapped = [Word("面向中小企业的“小快轻", (86.5, 315.9, 202.0, 325.7)), Word("准”解决方案", (112.8, 331.1, 175.8, 340.9))]
    known = SPEC_BY_KEY["products"].categories
    assert stacked_labels(wrapped, rows, 138.0, known) is None  # one label over the rows
    two = [Word("模型库", (128.5, 305.0, 160.0, 314.7)), Word("解决方案", (120.0, 320.0, 168.0, 329.7))]
    parts = stacked_labels(two, rows, 138.0, known)
    assert parts is not None and ["".join(w.text for w in part) for part in parts[:2]] == ["模型库", "解决方案"]


def test_a_header_row_read_too_poorly_to_be_recognised_is_no_record() -> None:
    """A fax's header 日期（年/月/日） | 合閥縮學 | 服务企业名称 | 万元): two cells name their columns, no digit."""
    from pipeline.tables.appendix import Layout, iter_rows
    from pipeline.tables.cells import Table
    from pipeline.tables.geometry import Grid
    xs = [50.0, 150.0, 250.0, 400.0, 500.0]
    rows = [["日期（年/月/日)", "合閥縮學", "服务企业名称", "万元)"],
            ["2024.02.24", "CCM20240022", "杭州云盛电子元件有限公司", "275.13"]]
    cells = [_cell(r, c, text, xs[c], xs[c + 1]) for r, row in enumerate(rows) for c, text in enumerate(row)]
    grid = Grid(xs=xs, ys=[100.0, 120.0, 140.0], cells=[c.cell for c in cells], rules=[], virtual=[])
    table = Table(page=1, grid=grid, frame=Frame(), cells=cells)
    layout = Layout.by_position(table, SPEC_BY_KEY["contracts"])
    assert layout is not None
    records = list(iter_rows(table, layout, 0))
    assert len(records) == 1 and records[0]["contract_no"].value == "CCM20240022"


# --- traditional forms OCR put in simplified print ---------------------------------------------------


def test_traditional_only_characters_read_as_their_simplified_twins() -> None:
    assert simplified("沈阳晟騰合金材料集团 數字化 杭州順科 ABC-12") == "沈阳晟腾合金材料集团 数字化 杭州顺科 ABC-12"
    # A character GB 2312 holds (乾, 後) may be meant; a rare name character (堃) has no simplified twin.
    assert simplified("乾元 後勤 张堃") == "乾元 後勤 张堃"


def test_a_cell_read_by_ocr_gets_simplified_text_and_a_text_layer_cell_keeps_its_own() -> None:
    cell = Cell(0, 0, 1, 1, (0.0, 0.0, 100.0, 20.0))
    scanned = cell_text(cell, Frame(), [Word("东莞旭弘數字科技", (2.0, 2.0, 90.0, 18.0), 0.9)])
    assert scanned.text == "东莞旭弘数字科技" and scanned.words[0].text == "东莞旭弘数字科技"
    typed = cell_text(cell, Frame(), [Word("東莞數字", (2.0, 2.0, 60.0, 18.0), 1.0, source="text")])
    assert typed.text == "東莞數字"


# --- a faint frame that broke into scraps ------------------------------------------------------------


def test_an_appendix_page_whose_rules_are_scraps_is_read_from_its_text(tmp_path: Path) -> None:
    """A fax kept only a few dots of a faint frame: the scraps close a box around one cell's text, which
    the rule finder takes for a table.  It holds next to none of the page's text, so the page is read
    from its text lines."""
    rows = [["日期（年/月/日）", "培训或活动名称", "参训人数"], ["2024.03.04", "工业数据安全专题讲座", "106"],
            ["2024.03.17", "精益生产与数字化管理培训", "189"], ["2025.04.04", "智能制造高级研修班", "250"]]
    table = STable.simple(60, 150, [110, 220, 70], rows, rules="none")
    scraps = [(56.0, 170.0, 170.0, 170.0), (56.0, 196.0, 170.0, 196.0), (56.0, 170.0, 56.0, 196.0),
              (170.0, 170.0, 170.0, 196.0)]  # a box around the first date only
    page = render(Sheet(tables=[table], texts=[(60, 120, "表3：组织开展的人才培训活动清单", 12)], strokes=scraps),
                  tmp_path)
    page.role = "appendix2_table3"
    assert len(find_tables(page, keyed_rows=True).tables) == 1  # the scraps' box
    trainings = extract_appendix([page], SETTINGS).value.trainings
    assert [(t.name, t.participants) for t in trainings] == [
        ("工业数据安全专题讲座", 106), ("精益生产与数字化管理培训", 189), ("智能制造高级研修班", 250)]


def test_a_header_wrapped_over_two_text_lines_is_one_header(tmp_path: Path) -> None:
    """No rules: a row per text line, and the header's labels wrap (日期（年/月/ · 日）): the two lines are
    the header, and neither is a record."""
    rows = [["日期（年/月/", "", "", "合同金额（万"], ["日）", "合同编号", "服务企业名称", "元）"],
            ["2024.01.17", "NE-FW-2024031", "杭州云安液压有限公司", "311.60"],
            ["2024.04.03", "NE-FW-2024034", "杭州隆启智能装备有限公司", "190.20"]]
    table = STable.simple(60, 150, [90, 110, 170, 90], rows, row_height=16, rules="none")
    page = render(Sheet(tables=[table], texts=[(60, 120, "表2：已开展数字化改造的服务合同清单", 12)]), tmp_path)
    page.role = "appendix2_table2"
    contracts = extract_appendix([page], SETTINGS).value.contracts
    assert [(c.contract_no, c.amount) for c in contracts] == [("NE-FW-2024031", 311.6), ("NE-FW-2024034", 190.2)]


def test_a_short_ruled_table_with_its_header_stays_the_pages_table(tmp_path: Path) -> None:
    """A table of two rows under long titles and notes holds under half the page's text, but its header
    names the columns: it is the page's table, not scraps."""
    rows = [["序号", "服务商名称", "主要服务行业（3个以内）", "核心能力（50字以内）"], ["1", "杭州数智", "机械", "工业软件"]]
    texts = [(60, 60 + 18 * k, "注：申报单位（联合体牵头单位及涉及单位）加盖公章，此处为说明文字。", 12) for k in range(4)]
    page = render(Sheet(tables=[STable.simple(50, 200, [40, 170, 130, 150], rows)], texts=texts), tmp_path)
    page.role = "appendix3_table2"
    tables = page_tables(page, None, SETTINGS)
    assert len(tables) == 1 and tables[0].ruled and tables[0].texts() == rows


def test_a_header_whose_unit_the_reading_garbled_reads_its_amounts_in_the_templates_unit(tmp_path: Path) -> None:
    """'投融资金额（万元）' read '投融资金额（方元）': a character no unit before 元 is a misread 万, not 元, so
    the amounts are not made 10,000 times too small (1706.00 read 0.1706 万元)."""
    rows = [["序号", "投资机构名称", "被投企业名称", "投融资金额（方元）"],
            ["1", "绍兴云易股权投资基金", "绍兴安德电子有限公司", "1706.00"],
            ["2", "浦发银行绍兴分行", "绍兴博智电子元件有限公司", "312.46"]]
    page = render(Sheet(tables=[STable.simple(50, 150, [40, 160, 170, 110], rows)],
                        texts=[(50, 120, "表3：对接成功投融资清单及金额", 12)]), tmp_path)
    page.role = "appendix3_table3"
    financings = extract_appendix([page], SETTINGS).value.financings
    assert [f.amount for f in financings] == [1706.0, 312.46]
    assert header_unit("投融资金额（元）") == "投融资金额（元）" and header_unit("投融资金额（方元）") is None
    assert header_unit("合同金额(.\n元)") is None and header_unit("合同金额（万\n元）") == "合同金额（万\n元）"
    assert header_unit("投融资金额\n(厉元)\n2,162.9") is None  # a header cell the first row's amount ran into


def test_a_header_read_as_its_unit_alone_reads_its_amounts_in_the_templates_unit() -> None:
    """dev42 a10's financings: '投融资金额（万' · '元）', the first line lost under a seal's ring, read '元)': the end
    of the header, not its unit (the amounts were made 10,000 times too small). A header naming its column
    before a bracketed 元 is still 元."""
    assert header_unit("元)") is None and header_unit("(元)") is None and header_unit("元") is None
    assert header_unit("合同金额(元)") == "合同金额(元)" and header_unit("金额") == "金额"


def test_a_text_gap_beside_a_broken_column_rule_is_that_rule_not_a_second_column() -> None:
    """A fax kept only the tops of two column rules; the rows' text gaps give the columns, but a gap's
    middle (259) lies beside the rule piece standing in the same gap (268): one boundary, at the rule, not
    a sliver column between the two that no text fills."""
    words = [Word("日期", (90, 118, 120, 130)), Word("合同编号", (190, 118, 240, 130)),
             Word("服务企业名称", (300, 118, 380, 130))]
    for k in range(6):
        y = 141 + 20 * k
        words += [Word(f"2024.0{k + 1}.1{k}", (86, y, 150, y + 11)), Word(f"DH-FW-202401{k}", (176, y, 245, y + 11)),
                  Word("大连旭兴涂料有限公司", (273, y, 380, y + 11))]
    group = [Rule("h", 114, 81, 430), Rule("h", 260, 81, 430), Rule("v", 81, 114, 260), Rule("v", 430, 114, 260),
             Rule("v", 171, 113, 150), Rule("v", 268, 113, 160)]
    table = table_from_group(Page(number=1, width=595, height=842, kind="scan"), group, Frame(), words,
                             keyed_rows=True)
    assert table is not None and [round(x) for x in table.grid.xs] == [81, 171, 268, 430]


# A header's labels wrapped into a grid row of their own: on a fax whose header the reading garbled (合同编母,
# 合金翻), '日期（年/月/' · '日）' and '合同金额（万' · '元）'; on a phone photo '服务企业名称' read in the row under
# its garbled first line, beside '（年/月/日）' and '元）' (every text part of a label, none holding a digit).
WRAPPED_HEADERS = [
    [["日期（年/月/", "合同编母", "服务企业名称", "合金翻（万"], ["日）", "", "", "元）"]],
    [["日期", "合同编号", "bo th.", "合同金额（万"], ["（年/月/日）", "", "服务企业名称", "元）"]],
]


@pytest.mark.parametrize("header", WRAPPED_HEADERS, ids=["labels-wrapped", "label-under-a-garbled-line"])
def test_a_headers_labels_wrapped_into_a_row_of_their_own_are_no_record(tmp_path: Path, header: list[list[str]]) -> None:
    rows = [*header, ["2024.01.17", "NE-FW-2024031", "杭州云安液压有限公司", "311.60"],
            ["2024.04.03", "NE-FW-2024034", "杭州隆启智能装备有限公司", "190.20"]]
    page = render(Sheet(tables=[STable.simple(60, 150, [90, 110, 170, 90], rows)],
                        texts=[(60, 120, "表2：已开展数字化改造的服务合同清单", 12)]), tmp_path)
    page.role = "appendix2_table2"
    contracts = extract_appendix([page], SETTINGS).value.contracts
    assert [(c.contract_no, c.amount) for c in contracts] == [("NE-FW-2024031", 311.6), ("NE-FW-2024034", 190.2)]


def test_a_gap_that_most_lines_of_a_column_run_over_is_no_hidden_column() -> None:
    """Industries wrapped in their column: long lines fill it, their wrapped tails ('造', '药') stand at its
    left, short lines centred right of them. The long lines, wider than half the column, leave a clear gap
    between the tails and the short lines, but they run over it: one column, not two."""
    rules = [Rule("h", 100, 250, 354), Rule("h", 350, 250, 354), Rule("v", 251, 100, 350), Rule("v", 353, 100, 350)]
    grid = build_grid(rules)
    assert grid is not None
    words = []
    for k, (text, x0, x1) in enumerate([("纺织服装电子信息制", 258, 341), ("造", 255, 267), ("电力装备食品钢铁", 259, 336),
                                        ("电力装备", 286, 322), ("钢铁", 295, 311), ("船舶纺织服装生物医", 258, 343),
                                        ("药", 255, 268), ("生物医药", 286, 321), ("建材汽车行业装备制", 258, 345),
                                        ("造", 255, 267), ("钢铁", 294, 313)]):
        words.append(Word(text, (x0, 110 + 20 * k, x1, 122 + 20 * k)))
    assert hidden_columns(grid, words) == []
    # The same tails and short lines without the long lines over the gap, side by side row by row: two columns
    # a faint rule parted (texts standing each on a line of its own are one column aligned two ways).
    short = [w for w in words if w.bbox[2] - w.bbox[0] < 50]
    tails, rest = [w for w in short if w.bbox[2] < 280], [w for w in short if w.bbox[0] > 280]
    level = [*tails, *(Word(w.text, (w.bbox[0], tails[k % len(tails)].bbox[1], w.bbox[2], tails[k % len(tails)].bbox[3]))
                       for k, w in enumerate(rest))]
    assert len(hidden_columns(grid, level)) == 1
    assert hidden_columns(grid, short) == []


def _spanned_table(first_below: str) -> Table:
    """A sliver row 2 above a record's row 3: the name cell spans both, 序号 is in row 3 (`first_below`)."""
    xs, ys = [50.0, 90.0, 300.0], [100.0, 120.0, 127.0, 147.0]
    def text_cell(row: int, col: int, span: int, text: str) -> CellText:
        box = (xs[col], ys[row], xs[col + 1], ys[row + span])
        return CellText(Cell(row, col, span, 1, box), box, (), text)
    cells = [text_cell(0, 0, 1, "序号"), text_cell(0, 1, 1, "服务商名称"), text_cell(1, 0, 1, ""),
             text_cell(1, 1, 2, "德阳顺安网络科技股份有限公司"), text_cell(2, 0, 1, first_below)]
    grid = Grid(xs=xs, ys=ys, cells=[c.cell for c in cells], rules=[], virtual=[])
    return Table(page=1, grid=grid, frame=Frame(), cells=cells)


def test_a_sliver_row_whose_text_all_goes_on_below_is_no_record_of_its_own() -> None:
    """dev13 a09 (phone): a piece of rule cut a sliver off a provider's row; the name cell spans the sliver
    and the row whose 序号 is 1: read in both rows, the provider stood twice."""
    table = _spanned_table("1")
    assert _goes_on_below(table, table.row(1), 1)
    # With nothing of its own below, the spanning cells are this row's record.
    table = _spanned_table("")
    assert not _goes_on_below(table, table.row(1), 1)


def test_a_column_whose_rule_was_lost_in_every_row_is_cut_clear_of_the_long_names() -> None:
    """A curl lost the rule between investee and amount in every row: the names, wider than half the column,
    end inside the gap the header's two labels leave. The cut stands where no word runs over it, so the
    names count on the left of it, not as crossing it."""
    rules = [Rule("h", 115, 270, 512), Rule("h", 176, 270, 512), Rule("v", 271, 115, 176), Rule("v", 511, 115, 176)]
    grid = build_grid(rules)
    assert grid is not None
    words = [Word("被投企业名称", (321, 119, 384, 135)), Word("投融资金额（万", (434, 113, 507, 128)),
             Word("元)", (460, 128, 478, 139)), Word("上海云兴调味品股份有限公司", (281, 141, 416, 156)),
             Word("758.1", (456, 141, 485, 156)), Word("上海中天钢管集团有限公司", (279, 159, 403, 174)),
             Word("40.22", (465, 159, 492, 174))]
    cuts = hidden_columns(grid, words)
    assert len(cuts) == 1 and 416 < cuts[0] < 434


def _row_of(texts: list[str]) -> list[CellText]:
    return [CellText(Cell(9, col, 1, 1, (col * 100.0, 300.0, col * 100.0 + 100, 320.0)),
                     (col * 100.0, 300.0, col * 100.0 + 100, 320.0), text=text) for col, text in enumerate(texts)]


def test_the_note_under_a_table_read_garbled_ends_its_records() -> None:
    """A fax read the note's 注 as 主 and its 加 as 日: a piece of its wording in a row without a digit is still
    the note, not an eighth financing."""
    from pipeline.tables.appendix import _is_note
    assert _is_note(_row_of(["主：申报", "自位(联合体牵头单位及涉及单位)", "日盖公章。", ""]))
    assert _is_note(_row_of(["注：申报单位", "", "", ""]))
    # A record glued to the note's words keeps its number: not the note.
    assert not _is_note(_row_of(["8", "东莞恒远产业投资基金", "日盖公章。", "280.00"]))
    assert not _is_note(_row_of(["7", "东莞恒远产业投资基金", "东莞新泰电力设备有限公司", "2,800.00万元"]))


def test_a_blank_the_reader_kept_inside_each_code_is_no_hidden_column() -> None:
    """Codes whose font sets their first letter apart (H WG20240033), read as one word with a blank in every
    row: the blank is inside each cell's text, not a lost rule; cut there, every code would lose its 'H'.
    The same letters and codes read as words of their own (a rule lost between two columns) are parted."""
    rules = [Rule("h", 100, 160, 330), Rule("h", 350, 160, 330), Rule("v", 161, 100, 350), Rule("v", 329, 100, 350)]
    grid = build_grid(rules)
    assert grid is not None
    codes = [Word(f"H   WG2024{k:04d}", (171.4, 110 + 20 * k, 254.4, 123 + 20 * k)) for k in range(8)]
    assert hidden_columns(grid, codes) == []
    apart = [piece for k in range(8) for piece in (Word("H", (171.4, 110 + 20 * k, 178.6, 123 + 20 * k)),
                                                   Word(f"WG2024{k:04d}", (190.0, 110 + 20 * k, 254.4, 123 + 20 * k)))]
    assert len(hidden_columns(grid, apart)) == 1


PRODUCTS_TITLE = "表1：契合行业的产品、解决方案、数据集等清单（截至2025年底累计）"


def _headed_table(header: list[str], record: list[str], xs: list[float], title: str) -> Table:
    cells = [_cell(row, c, t, xs[c], xs[c + 1]) for row, texts in enumerate((header, record)) for c, t in enumerate(texts)]
    grid = Grid(xs=xs, ys=[100.0, 120.0, 140.0], cells=[c.cell for c in cells], rules=[], virtual=[])
    return Table(page=1, grid=grid, frame=Frame(), cells=cells, title=title)


def test_a_header_with_two_labels_misread_is_placed_where_the_title_and_page_name_the_table() -> None:
    """A dithered photo read 类别 昊别 and 名称 名物: one label of three is too few by the labels' share, but
    the title and the page name 附2表1, the table fills its three columns, the row holds no digit, and 序号
    is in its place: it is the header, not a first record of header words."""
    xs, record = [50.0, 150.0, 200.0, 530.0], ["数字化产品", "1", "供应链协同平台"]
    header = find_header(_headed_table(["昊别", "序号", "名物"], record, xs, PRODUCTS_TITLE), "appendix2_table1")
    assert header is not None and header.spec.key == "products" and header.row == 0
    assert header.columns == {"category": (0,), "seq": (1,), "name": (2,)}
    # 序号 lost too: the label named still places the row.
    lost = find_header(_headed_table(["负别", "", "名称"], record, xs, PRODUCTS_TITLE), "appendix2_table1")
    assert lost is not None and lost.row == 0 and lost.columns == header.columns
    # A record holds a digit; without the title the labels decide alone; the label named must be in its place.
    assert find_header(_headed_table(record, record, xs, PRODUCTS_TITLE), "appendix2_table1") is None
    assert find_header(_headed_table(["昊别", "序号", "名物"], record, xs, ""), "appendix2_table1") is None
    assert find_header(_headed_table(["序号", "昊别", "名物"], record, xs, PRODUCTS_TITLE), "appendix2_table1") is None


# --- a record a page break cut in two --------------------------------------------------------------------


def test_a_records_end_a_page_break_cut_off_joins_the_record_above(tmp_path: Path) -> None:
    """Word lets a row break across pages: the date's '26日' and the name's '司' open the next page's table.
    They end the record above (its date read whole, its name too), and make no record of their own."""
    first = [["日期（年/月/日）", "合同编号", "服务企业名称", "合同金额（万元）"],
             ["2025年10月\n10日", "HT-2025-097", "台州旭宏海工装备集团有限公司", "221.1"],
             ["2025年10月", "HT-2025-102", "贵阳华瑞海工装备股份有限公", "122.93"]]
    second = [["26日", "", "司", ""], ["2025年11月\n7日", "HT-2025-108", "佛山弘德海工装备有限公司", "174.9"]]
    widths = [90, 110, 190, 90]
    title = (60, 120, "表2：已开展数字化改造实施服务的企业及项目清单", 12)
    pages = [render(Sheet(tables=[_table_of(first, widths)], texts=[title]), tmp_path / "a", number=1),
             render(Sheet(tables=[_table_of(second, widths)]), tmp_path / "b", number=2)]
    for page in pages:
        page.role = "appendix2_table2"
    contracts = extract_appendix(pages, SETTINGS).value.contracts
    assert [(str(c.date), c.enterprise) for c in contracts] == [
        ("2025-10-10", "台州旭宏海工装备集团有限公司"), ("2025-10-26", "贵阳华瑞海工装备股份有限公司"),
        ("2025-11-07", "佛山弘德海工装备有限公司")]


def test_a_short_name_whose_key_was_lost_is_no_tail() -> None:
    """A record whose 序号 was lost keeps its own row: a name is longer than a tail ('天津大学')."""
    from pipeline.tables.appendix import is_tail

    spec = SPEC_BY_KEY["institutions"]
    origin = Provenance(page=2, bbox=(0, 0, 10, 10), confidence=0.99)
    row = {"category": FieldValue(None, "", origin), "seq": FieldValue(None, "", origin),
           "name": FieldValue("天津大学", "天津大学", origin)}
    assert not is_tail(row, spec)
    assert is_tail({**row, "name": FieldValue("司", "司", origin)}, spec)
    assert not is_tail({**row, "seq": FieldValue(3, "3", origin), "name": FieldValue("司", "司", origin)}, spec)


def _table_of(rows: list[list[str]], widths: list[float]) -> STable:
    table = STable.simple(60, 150, widths, rows)  # type: ignore[arg-type]
    table.row_heights = [26.0] + [12.0 + 14.5 * max(cell.count("\n") + 1 for cell in row) for row in rows[1:]]
    return table


def test_a_row_without_its_key_where_no_column_gave_a_value_is_no_record() -> None:
    """dev30 a12 (a phone photo from afar): the header was not found and its '(万元)' read '(月' stood in the
    amount column of the first row: a financing of four nulls. A row whose key was read, or whose text names
    something, stays a record."""
    from pipeline.tables.appendix import _nothing_read
    spec = SPEC_BY_KEY["financings"]
    where = Provenance(page=13, bbox=(65.0, 100.0, 530.0, 125.0), confidence=0.5, source="ocr")
    def row(seq: str, investor: str, amount: str, amount_value: object) -> dict[str, FieldValue]:
        return {"seq": FieldValue(int(seq) if seq else None, seq, where),
                "investor": FieldValue(investor or None, investor, where),
                "investee": FieldValue(None, "", where), "amount": FieldValue(amount_value, amount, where)}
    assert _nothing_read(row("", "", "(月", None), spec)
    assert not _nothing_read(row("1", "", "(月", None), spec)  # numbered: a record whose cells were lost
    assert not _nothing_read(row("", "中国银行南京分行", "", None), spec)
    assert not _nothing_read(row("", "", "78.70", 78.7), spec)


def test_a_codes_head_misread_among_codes_of_one_scheme_takes_the_columns_head() -> None:
    """dev32 a02 (a phone photo): 'HT-2024-061' read 'IT-2024-061', 'HT-2024-052' read 'T-2024-052' among
    sixteen codes opening HT-; dev30 a12: 'SZZx2024031' among SZZX codes. A second scheme several rows
    hold stays, as does a code whose rest is written otherwise."""
    from pipeline.tables.values import codes_in_column
    where = Provenance(page=9, bbox=(160.0, 120.0, 290.0, 140.0), confidence=0.9, source="ocr")
    def column(codes: list[str]) -> list[str]:
        return [str(v.value) for v in codes_in_column([FieldValue(code, code, where) for code in codes])]
    main = [f"HT-2024-{k:03d}" for k in range(10, 22)]
    assert column([*main, "IT-2024-061", "T-2024-052", "HT-2024-0x"])[-3:] == ["HT-2024-061", "HT-2024-052", "HT-2024-0x"]
    assert column(["SZZX2024001", "SZZX2024002", "SZZX2024003", "SZZx2024031"])[-1] == "SZZX2024031"
    # Two schemes, the second held by four rows: both stay.
    second = [f"WT-2025-{k:03d}" for k in range(4)]
    assert column([*main, *second])[-4:] == second
    # A code whose rest is no code of the column's shape keeps its head.
    assert column([*main, "IT-2024-0610"])[-1] == "IT-2024-0610"


def test_whole_numbers_a_hundredfold_above_a_column_written_to_the_cent_lost_their_points() -> None:
    """dev32 a11 (a blurred scan, a seal's ring beside the amounts): '1551.52万元' and '2803.12万元' read 155152
    and 280312 beside '972.09万元' and '213.90万元': both points lost, which a total alone cannot put back
    (it settles one figure). A whole number written among cents near their size stays."""
    from pipeline.tables.values import COLUMN_CENTS, points_in_column
    where = Provenance(page=14, bbox=(433.0, 130.0, 520.0, 158.0), confidence=0.96, source="ocr")
    def column(raws: list[tuple[str, float]]) -> list[FieldValue]:
        return points_in_column([FieldValue(value, raw, where) for raw, value in raws])
    read = column([("972.09万元", 972.09), ("213.90万元", 213.9), ("155152万元", 155152.0), ("280312万元", 280312.0)])
    assert [v.value for v in read] == [972.09, 213.9, 1551.52, 2803.12]
    assert read[2].provenance.resolved_by == COLUMN_CENTS and read[2].provenance.alternatives == [155152.0]
    assert [v.value for v in column([("972.09", 972.09), ("213.90", 213.9), ("1500", 1500.0)])][-1] == 1500.0
    # A column written otherwise (tenths, whole numbers) says nothing of a point.
    assert column([("80.4", 80.4), ("179", 179.0), ("40.23", 40.23), ("24400", 24400.0)])[-1].value == 24400.0


def test_a_characters_outer_stroke_with_its_ink_beside_is_no_rule_but_a_rule_between_two_texts_is() -> None:
    """dev30 a07: the right strokes of 湖 (芜湖…, row under row) lie a tenth of a character from its edge, where
    the character test alone keeps them; the word's ink close beside them tells them from a rule in the blank
    between two cells' texts read as one word (`ink_beside`)."""
    from pipeline.tables.finder import ink_beside

    scale = 2.0
    ink = np.zeros((400, 1200), np.uint8)
    words = [Word("芜湖博海船舶配套集团有限公司", (300.0, 100.0 + 15 * i, 468.0, 112.0 + 15 * i)) for i in range(5)]
    stroke = Rule("v", 322.4, 100.0, 172.0)  # 湖 spans 312–324: 0.87 of its width in
    for i in range(5):  # the word's strokes either side of it, a point or two away
        top, bottom = round((100 + 15 * i) * scale), round((112 + 15 * i) * scale)
        ink[top:bottom, round(319.5 * scale)] = 255
        ink[top:bottom, round(326.0 * scale)] = 255
    assert drop_text_strokes([stroke], words, Frame()) == [stroke]  # the character test alone keeps it
    assert drop_text_strokes([stroke], words, Frame(), ink_beside(ink, scale)) == []
    # The same vertical with blank on both sides (two cells' texts joined, a padding either side) stays.
    assert drop_text_strokes([stroke], words, Frame(), ink_beside(np.zeros_like(ink), scale)) == [stroke]


def test_of_two_faint_looks_holding_as_many_words_whole_the_one_not_split_side_by_side_is_taken() -> None:
    """dev26 a07's financings: the ridges broke the table in two side by side, the bands kept it whole; both held
    every word whole, and the first look (ridges) won the tie."""
    from pipeline.tables.finder import TableFinding, best_look

    def table(x0: float, x1: float) -> Table:
        box = (x0, 100.0, x1, 140.0)
        grid = Grid(xs=[x0, x1], ys=[100.0, 140.0], cells=[Cell(0, 0, 1, 1, box)], rules=[], virtual=[])
        return Table(page=1, grid=grid, frame=Frame(), cells=[CellText(Cell(0, 0, 1, 1, box), box, (), "")])

    words = [Word("福州正智产业投资基金", (110.0, 110.0, 200.0, 122.0)), Word("502.5", (260.0, 110.0, 290.0, 122.0))]
    split = TableFinding(page=1, tables=[table(100.0, 240.0), table(240.0, 300.0)])
    whole = TableFinding(page=1, tables=[table(100.0, 300.0)])
    assert best_look([split, whole], words) is whole
    assert best_look([whole, split], words) is whole
    fewer = TableFinding(page=1, tables=[table(100.0, 240.0)])  # holds one word only: the split look holds more
    assert best_look([split, fewer], words) is split


def test_rules_found_in_a_dithered_shade_are_dropped_but_a_solid_rule_through_it_stays() -> None:
    """dev32 a03: a 1-bit scan turned its dark edge into dots, and the rule masks made rules of them that framed
    the trainings; a black rule printed across the shade is ink all along and stays, as do pieces on clean paper."""
    from pipeline.tables.pixels import dithered_pieces, speckle_zone

    dpi, scale = 150.0, 150.0 / 72.0
    rng = np.random.default_rng(7)
    ink = np.zeros((600, 600), np.uint8)
    dots = rng.random((150, 150)) < 0.8  # every other pixel, each alone: 3,600 dots a square inch
    ink[0:300:2, 0:300:2][dots[:150, :150]] = 255
    ink[300, :] = 255  # a printed rule, through the shade and on
    ink[201, 0:300:2][rng.random(150) < 0.6] = 255  # a grey rule, dithered itself: its line denser than the shade's
    ink[201, 1:300:2][rng.random(150) < 0.6] = 255
    zone = speckle_zone(ink, dpi)
    assert zone[0, 0] and not zone[-1, -1]
    in_dots = Rule("h", 150 / scale, 0.0, 280 / scale)
    printed = Rule("h", 300 / scale, 0.0, 599 / scale)
    grey = Rule("h", 201 / scale, 0.0, 280 / scale)
    clean = Rule("v", 450 / scale, 320 / scale, 580 / scale)  # on clean paper: not looked at, whatever its ink
    assert dithered_pieces([in_dots, printed, grey, clean], ink, scale, dpi) == [in_dots]
    # A page with no shade (text's few specks) has no zone at all.
    assert not speckle_zone(ink[300:, 300:], dpi).any()


def test_a_header_read_by_one_label_does_not_keep_a_table_of_strokes_from_the_text_rows(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """dev26 a09, a fax with no rules left: the date strokes made a table whose header read 日期 alone, the
    name and participants columns given by their place to empty cells; it held little of the page, yet kept
    the text's own rows from reading the list. A header must read two of its columns' names."""
    from pipeline.tables import appendix
    from pipeline.tables.headers import Header

    spec = SPEC_BY_KEY["trainings"]
    texts = {"date": "日期（年/月/日)", "name": "", "participants": ""}
    header = Header(spec=spec, row=0, columns={field: (col,) for col, field in enumerate(texts)},
                    cells={field: _cell(0, col, text, 80.0 + 100 * col, 180.0 + 100 * col)
                           for col, (field, text) in enumerate(texts.items())}, score=1.0)
    table = Table(page=1, grid=Grid(xs=[80.0, 180.0], ys=[100.0, 120.0], cells=[], rules=[], virtual=[]),
                  frame=Frame(), cells=[])
    monkeypatch.setattr(appendix, "find_header", lambda *args, **kwargs: header)
    assert not appendix._names_its_columns(table, "appendix2_table3")
    header.cells["name"] = _cell(0, 1, "培训或活动名称", 180.0, 280.0)
    assert appendix._names_its_columns(table, "appendix2_table3")


def test_scraps_of_a_lost_frame_over_the_names_give_way_to_the_texts_rows(tmp_path: Path,
                                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """dev50 a06's institutions, a fax: the frame lost but for a ring's and the dots' remains, the scraps made a
    grid over the names holding three names a cell, no header among them. They hold most of the page's text,
    but the text's own rows name the columns the scraps do not: the text's rows read the list."""
    from pipeline.tables import appendix
    from pipeline.tables.cells import fill_cells
    from pipeline.tables.finder import TableFinding

    rows = [["类别", "序号", "名称"], ["投融资机构", "1", "中国工商银行贵阳分行"], ["投融资机构", "2", "宁波银行贵阳分行"],
            ["投融资机构", "3", "贵阳捷华产业投资基金"], ["高校科研院所", "1", "西安交通大学"]]
    page = render(Sheet(tables=[STable.simple(60, 150, [110, 60, 220], rows, rules="none")]), tmp_path)
    page.role = "appendix3_table1"
    ys = [165.0, 230.0, 262.0]  # under the header, two names and more a cell
    grid = build_grid([Rule("h", y, 228.0, 452.0) for y in ys] + [Rule("v", x, ys[0], ys[-1]) for x in (228.0, 452.0)])
    assert grid is not None
    scraps = Table(page=page.number, grid=grid, frame=Frame(), cells=fill_cells(grid, Frame(), page.words))
    monkeypatch.setattr(appendix, "find_tables", lambda *args, **kwargs: TableFinding(page=page.number, tables=[scraps]))
    tables = page_tables(page, None, SETTINGS)
    assert len(tables) == 1 and not tables[0].ruled
    institutions = extract_appendix([page], SETTINGS).value.institutions
    assert [(row.seq, row.name) for row in institutions] == [(int(r[1]), r[2]) for r in rows[1:]]
