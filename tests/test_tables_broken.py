"""Tables whose rules broke on unseen packages: a faint frame in pieces side by side, a region of the grid
that gave way (rules lost in an L), a rule found through a line of text, a stray cut inside one record, a last
column outside the frame; rows that are no records (a seal's ring), records whose cells could not be read."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from models.page import Word
from pipeline.config import Settings
from pipeline.tables import extract_appendix
from pipeline.tables.appendix import Layout, iter_rows
from pipeline.tables.cells import CellText, Table
from pipeline.tables.finder import broken_columns
from pipeline.tables.geometry import Cell, Frame, Grid, Rule, build_grid, group_rules
from pipeline.tables.headers import SPEC_BY_KEY
from pipeline.tables.reread import reach
from tests.fixtures.tables.synth import Defects, Sheet, STable, render


def test_a_frame_broken_into_pieces_side_by_side_is_one_table() -> None:
    """A grey scan's faint frame: the left columns' rules hold together, the right column's top and bottom
    rules are pieces with gaps; neither the right part alone nor the pieces make a table of their own."""
    left = [Rule("h", 135.8, 74.9, 127.2), Rule("h", 255.8, 74.9, 367.7),
            Rule("v", 75.4, 134.9, 256.3), Rule("v", 194.0, 134.9, 256.3), Rule("v", 369.8, 229.0, 252.5)]
    pieces = [Rule("h", 135.8, 145.9, 218.4), Rule("h", 135.8, 235.7, 379.7)]
    right = [Rule("h", 136.1, 397.9, 521.3), Rule("h", 256.1, 385.9, 521.3), Rule("v", 520.6, 135.4, 256.8)]
    groups = group_rules(left + pieces + right)
    assert len(groups) == 1
    box = (min(r.start if r.orient == "h" else r.pos for r in groups[0]),
           max(r.end if r.orient == "h" else r.pos for r in groups[0]))
    assert box == (74.9, 521.3)


def test_parts_apart_by_more_than_a_broken_rules_gaps_stay_two_tables() -> None:
    """Two tables side by side at one height, a column's width apart, are not one table's pieces."""
    def table(x0: float, x1: float) -> list[Rule]:
        return [Rule("h", 100.0, x0, x1), Rule("h", 200.0, x0, x1), Rule("v", x0, 100.0, 200.0), Rule("v", x1, 100.0, 200.0)]
    assert len(group_rules(table(50.0, 250.0) + table(300.0, 500.0))) == 2


def test_a_boundary_is_kept_all_the_way_down_where_the_grid_lost_its_cells() -> None:
    """Rules lost in an L: the cells of the last rows overlap kept ones and are dropped, so their words lie
    in no cell; the column rule found above them still parts their names from their industries."""
    xs, ys = [68.0, 109.0, 254.0, 349.0, 527.0], [94.0, 119.0, 159.0, 244.0]
    rules = [Rule("h", y, xs[0], xs[-1]) for y in ys[:3]] + [Rule("h", 244.0, xs[0], xs[-1])]
    rules += [Rule("v", xs[0], 94.0, 244.0), Rule("v", xs[-1], 94.0, 244.0), Rule("v", 109.0, 94.0, 180.0),
              Rule("v", 254.0, 94.0, 159.0), Rule("v", 349.0, 94.0, 159.0), Rule("v", 349.0, 159.0, 244.0)]
    grid = build_grid(rules)
    assert grid is not None
    words = [Word(name, (115.0, y, 240.0, y + 12.0)) for name, y in (("芜湖弘隆智能制造技术公司", 165.0),
                                                                        ("襄阳兴昌数据技术有限公司", 190.0),
                                                                        ("沈阳腾嘉数据技术有限公司", 215.0))]
    words += [Word(text, (270.0, y, 330.0, y + 12.0)) for text, y in (("机械", 165.0), ("电力装备", 190.0), ("纺织", 215.0))]
    for cell in grid.cells:  # the region the lost rules opened, as `units_to_cells` leaves it: no cell
        assert not (cell.row == 2 and cell.col < 3) or cell.col_span > 1
    gone = Grid(xs=grid.xs, ys=grid.ys, cells=[c for c in grid.cells if c.row < 2 or c.col == 3], rules=grid.rules,
                virtual=grid.virtual)
    assert 254.0 in broken_columns(gone, words)
    assert broken_columns(gone, words[:3]) == []  # names alone: nothing on the boundary's other side


def _cell(row: int, col: int, text: str, box: tuple[float, float, float, float], words: tuple[Word, ...] = (),
          span: int = 1) -> CellText:
    return CellText(Cell(row, col, span, 1, box), box, words, text)


def test_a_cell_is_read_again_with_the_whole_line_a_rule_cut_through() -> None:
    """A doubled top rule cut the header's first line 合同金额(万 in half: the crop takes the line whole;
    a seal's character hanging into the cell from above (taller than print) leaves the crop alone."""
    print_line = Word("合同金额(万", (454.0, 105.0, 506.0, 122.0))
    header = _cell(1, 4, "元)", (443.0, 112.0, 508.0, 133.0), (print_line, Word("元)", (476.0, 118.6, 491.5, 133.4))))
    assert reach(header, line_height=14.0)[1] < 105.0
    seal_char = Word("女", (404.0, 543.0, 426.0, 565.0))
    name = _cell(22, 2, "女合肥锐诚钢管有限公司", (252.0, 551.0, 442.0, 573.0),
                 (seal_char, Word("合肥锐诚钢管有限公司", (270.0, 555.0, 376.0, 571.0))))
    assert reach(name, line_height=14.0) == name.bbox


def test_a_crop_reading_that_left_out_chinese_characters_of_the_pages_does_not_replace_it() -> None:
    """A seal's ring over the end of 河北工业大学: the crop read 河北工业, surer than the page's whole reading."""
    from pipeline.tables.reread import _better
    box = (245.0, 269.0, 532.0, 290.0)
    page = CellText(Cell(7, 2, 1, 1, box), box, (), "河北工业大学", 0.91)
    crop = CellText(Cell(7, 2, 1, 1, box), box, (), "河北工业", 0.996)
    assert not _better(page, crop, floor=0.6, slack=0.05)
    specks = CellText(Cell(7, 2, 1, 1, box), box, (), "|河北工业大学", 0.91)
    assert _better(specks, replace(crop, text="河北工业大学"), floor=0.6, slack=0.05)  # a rule's remains left out
    misread = CellText(Cell(7, 2, 1, 1, box), box, (), "河北工亚大学", 0.91)
    assert _better(misread, replace(crop, text="河北工业大学"), floor=0.6, slack=0.05)
    # A seal's character read as a word of its own above the name: the crop rightly leaves it out.
    words = (Word("女", (404.0, 543.0, 426.0, 565.0)), Word("合肥锐诚钢管有限公司", (270.0, 555.0, 376.0, 571.0)))
    sealed = CellText(Cell(7, 2, 1, 1, box), box, words, "女合肥锐诚钢管有限公司", 0.9)
    assert _better(sealed, replace(crop, text="合肥锐诚钢管有限公司"), floor=0.6, slack=0.05)
    # A seal's glyphs glued onto the page's word made it taller than the crop's reading of the line.
    glued = CellText(Cell(7, 2, 1, 1, box), box, (Word("产品质量缺陷图像数据集：科技", (267.0, 323.0, 430.0, 352.0)),),
                     "产品质量缺陷图像数据集：科技", 0.94)
    line = CellText(Cell(7, 2, 1, 1, box), box, (Word("产品质量缺陷图像数据集", (267.0, 330.0, 400.0, 346.0)),),
                    "产品质量缺陷图像数据集", 0.99)
    assert _better(glued, line, floor=0.6, slack=0.05)


def _records(cells: list[CellText], xs: list[float], ys: list[float], key: str) -> list[dict]:
    """The records a table of `cells` on the grid `xs` × `ys` gives, its columns placed by the `key` table's spec."""
    grid = Grid(xs=xs, ys=ys, cells=[c.cell for c in cells], rules=[], virtual=[])
    table = Table(page=1, grid=grid, frame=Frame(), cells=cells)
    layout = Layout.by_position(table, SPEC_BY_KEY[key])
    assert layout is not None
    return list(iter_rows(table, layout, 1))


def _providers(cut_in: tuple[int, ...], upper: dict[int, str]) -> list[dict]:
    """Providers: record 4's cells span grid rows 1-2 except in the columns `cut_in`, where a rule parts
    them; the upper part holds `upper`'s text (by column), the lower part the record's."""
    xs, ys = [76.0, 115.0, 255.0, 349.0, 521.0], [100.0, 120.0, 130.0, 144.0]
    texts = [["序号", "服务商名称", "主要服务行业", "核心能力"],
             ["4", "重庆越创智能科技股份有限公司", "建材，轻工", "智能仓储物流系统规划与集成"]]
    cells = [_cell(0, c, texts[0][c], (xs[c], ys[0], xs[c + 1], ys[1])) for c in range(4)]
    for c in range(4):
        if c in cut_in:
            cells.append(_cell(1, c, upper.get(c, ""), (xs[c], ys[1], xs[c + 1], ys[2])))
            cells.append(_cell(2, c, texts[1][c], (xs[c], ys[2], xs[c + 1], ys[3])))
        else:
            cells.append(_cell(1, c, texts[1][c], (xs[c], ys[1], xs[c + 1], ys[3]), span=2))
    return _records(cells, xs, ys, "providers")


def test_a_cut_inside_one_record_where_its_key_cell_spans_leaves_one_record() -> None:
    """A stroke over the capability cell read as a rule: an empty sliver above the record's line."""
    records = _providers(cut_in=(3,), upper={})
    assert len(records) == 1 and records[0]["seq"].value == 4
    assert records[0]["capability"].value == "智能仓储物流系统规划与集成"


def test_rows_cut_in_most_columns_under_one_key_cell_stay_apart() -> None:
    """The key column lost its rule (and the second key): the other columns' cuts say two records."""
    upper = {1: "杭州凯顺软件有限公司", 2: "电子信息", 3: "ERP与财务业务一体化实施"}
    records = _providers(cut_in=(1, 2, 3), upper=upper)
    assert [record["name"].value for record in records] == ["杭州凯顺软件有限公司", "重庆越创智能科技股份有限公司"]


def test_an_empty_sliver_cut_above_a_record_under_its_date_cell_leaves_one_record() -> None:
    """A stroke read as a rule cut every column but the date's above the record's line: the cells above
    the cut hold nothing, so they part no record (an empty row beside the date made a record of a date alone)."""
    xs, ys = [56.0, 163.0, 266.0, 449.0, 528.0], [100.0, 120.0, 126.0, 145.0]
    texts = [["日期", "合同编号", "服务企业名称", "合同金额（万元）"],
             ["2024.04.08", "HT-2024-038", "北京旭元汽车零部件集团有限公司", "273.88万元"]]
    cells = [_cell(0, c, texts[0][c], (xs[c], ys[0], xs[c + 1], ys[1])) for c in range(4)]
    cells.append(_cell(1, 0, texts[1][0], (xs[0], ys[1], xs[1], ys[3]), span=2))
    for c in range(1, 4):
        cells.append(_cell(1, c, "", (xs[c], ys[1], xs[c + 1], ys[2])))
        cells.append(_cell(2, c, texts[1][c], (xs[c], ys[2], xs[c + 1], ys[3])))
    grid = Grid(xs=xs, ys=ys, cells=[c.cell for c in cells], rules=[], virtual=[])
    table = Table(page=1, grid=grid, frame=Frame(), cells=cells)
    layout = Layout.by_position(table, SPEC_BY_KEY["contracts"])
    assert layout is not None
    records = list(iter_rows(table, layout, 1))
    assert [(str(r["date"].value), r["contract_no"].value) for r in records] == [("2024-04-08", "HT-2024-038")]


def test_columns_placed_by_position_leave_out_a_sliver_column_no_text_fills() -> None:
    """A fax's broken frame added a sliver beside the amounts and the header's labels read garbled (合同绘号,
    two labels in one cell): the table's four filled columns are the spec's four, in order."""
    xs, ys = [64.0, 157.0, 265.0, 451.0, 525.0, 533.0], [98.0, 132.0, 154.0, 178.0]
    texts = [["日期（年/月/日)", "含同绘号", "服务企业名称 含同金额(万元)", "", ""],
             ["2024.01.14", "HT-2024-034", "东莞达易电气有限公司", "239.80万元", ""],
             ["2024.02.20", "HT-2024-035", "东莞海腾石化有限公司", "116.00万元", ""]]
    cells = [_cell(r, c, texts[r][c], (xs[c], ys[r], xs[c + 1], ys[r + 1])) for r in range(3) for c in range(5)]
    records = _records(cells, xs, ys, "contracts")
    assert [(r["contract_no"].value, r["amount"].value) for r in records] == [("HT-2024-034", 239.8),
                                                                               ("HT-2024-035", 116.0)]


def test_records_a_fax_frame_left_out_below_its_last_rule_are_read_from_their_lines(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A faint frame broke up on a fax and ended three records early: the lines under its last rule, keyed by
    their dates and on its columns, are the table's records down to the note; the note is none."""
    from models.page import Page
    from pipeline.tables.appendix import extract_appendix
    from pipeline.tables.cells import fill_cells
    from pipeline.tables.finder import TableFinding

    xs, ys = [64.0, 157.0, 265.0, 451.0, 530.0], [98.0, 132.0, 154.0]
    rows = [["日期（年/月/日）", "合同编号", "服务企业名称", "合同金额（万元）"],
            ["2024.01.14", "HT-2024-034", "东莞达易电气有限公司", "239.80万元"],
            ["2025.09.21", "HT-2025-059", "东莞中祥电缆有限公司", "253.10万元"],
            ["2025.10.16", "HT-2025-060", "东莞中祥电缆有限公司", "264.30万元"]]
    tops = [105.0, 137.0, 162.0, 186.0]
    words = [Word(text, (xs[c] + 6.0, top, xs[c] + 6.0 + 8.0 * len(text), top + 14.0), 0.99)
             for top, row in zip(tops, rows, strict=True) for c, text in enumerate(row)]
    words.append(Word("注：申报单位（联合体牵头单位及涉及单位）加盖公章。", (66.0, 212.0, 300.0, 226.0), 0.99))
    page = Page(number=12, width=595.0, height=842.0, kind="text", words=words, role="appendix2_table2")
    grid = build_grid([Rule("h", y, xs[0], xs[-1]) for y in ys] + [Rule("v", x, ys[0], ys[-1]) for x in xs])
    assert grid is not None
    table = Table(page=12, grid=grid, frame=Frame(), cells=fill_cells(grid, Frame(), words))
    monkeypatch.setattr("pipeline.tables.appendix.find_tables", lambda *args, **kwargs: TableFinding(12, tables=[table]))
    contracts = extract_appendix([page], Settings(cache_dir=None)).value.contracts
    assert [(c.contract_no, c.amount) for c in contracts] == [("HT-2024-034", 239.8), ("HT-2025-059", 253.1),
                                                              ("HT-2025-060", 264.3)]


@pytest.mark.parametrize("date", ["2024年5月28\n日", "2024年\n5月28日"])
def test_an_empty_sliver_beside_a_date_wrapped_in_its_cell_leaves_one_record(date: str) -> None:
    """The same sliver beside a date the narrow column wrapped: the date's two lines are one key."""
    xs, ys = [80.0, 170.0, 268.0, 441.0, 516.0], [100.0, 120.0, 287.5, 290.9, 313.2]
    texts = ["日期（年/月/日）", "合同编号", "服务企业名称", "合同金额（万元）"]
    cells = [_cell(0, c, texts[c], (xs[c], ys[0], xs[c + 1], ys[1])) for c in range(4)]
    cells += [_cell(1, c, text, (xs[c], ys[1], xs[c + 1], ys[2]))
              for c, text in enumerate(["2024年4月6日", "FXJW20240062", "温州隆顺新材料股份有限公司", "82.50"])]
    cells.append(_cell(2, 0, date, (xs[0], ys[2], xs[1], ys[4]), span=2))
    for c, text in enumerate(["FXJW20240068", "昆明卓昌调味品集团有限公司", "102.70"], start=1):
        cells.append(_cell(2, c, "", (xs[c], ys[2], xs[c + 1], ys[3])))
        cells.append(_cell(3, c, text, (xs[c], ys[3], xs[c + 1], ys[4])))
    records = _records(cells, xs, ys, "contracts")
    assert [(str(r["date"].value), r["contract_no"].value) for r in records] == [
        ("2024-04-06", "FXJW20240062"), ("2024-05-28", "FXJW20240068")]


# --- a list's last column outside its frame (fax) -----------------------------------------------------


def test_a_last_column_the_frame_lost_is_the_tables_when_most_rows_hold_text_there() -> None:
    from pipeline.tables.finder import _with_lost_column
    ys = [115.0, 141.0, 166.0, 192.0, 217.0, 243.0]
    frame = [Rule("h", y, 77.0, 441.0) for y in ys] + [Rule("v", x, 115.0, 243.0) for x in (77.0, 183.0, 441.0)]
    counts = [Word(text, (471.0, y + 6.0, 487.0, y + 18.0)) for text, y in zip(["参训人数", "227", "316", "202", "270"], ys, strict=False)]
    extended = _with_lost_column(frame, counts)
    grid = build_grid(extended)
    assert grid is not None and grid.n_cols == 3 and grid.n_rows == 5 and grid.xs[-1] > 487.0
    assert _with_lost_column(frame, counts[:2]) == frame  # text beside two rows only: a note, a seal's text


def test_a_first_column_whose_left_side_the_frame_lost_is_whole() -> None:
    """By a curled book's spine the rules fade before the table's left edge: the grid the rules make
    starts inside the date column, and its made-up edge cut every date in two (2024.02|.16)."""
    from pipeline.tables.finder import _with_lost_first_column
    ys = [100.0, 139.0, 164.0, 189.0, 215.0, 242.0]
    frame = [Rule("h", y, 117.0, 528.0) for y in ys] + [Rule("v", x, 100.0, 242.0) for x in (163.0, 266.0, 528.0)]
    dates = [Word(text, (64.0, y + 4.0, 140.0, y + 20.0))
             for text, y in zip(["日期", "2024.02.16", "2024.02.24", "2024.04.01", "2024.04.08"], ys, strict=False)]
    before = build_grid(frame)
    assert before is not None and before.xs[0] == 117.0  # the made-up edge through the dates
    grid = build_grid(_with_lost_first_column(frame, dates))
    assert grid is not None and grid.n_cols == 3 and grid.n_rows == 5 and grid.xs[0] < 64.0
    assert _with_lost_first_column(frame, dates[:2]) == frame  # text beside two rows only: a note, a margin mark
    drawn = [*frame, Rule("v", 117.0, 100.0, 242.0)]  # a drawn left rule the dates cross is no lost edge
    assert _with_lost_first_column(drawn, dates) == drawn


def test_strokes_along_a_line_of_text_not_level_across_the_table_are_no_rule() -> None:
    """A curled page's residual bow: one line of a row sits lower on the right than on the left, and
    its characters' strokes joined into a 'rule' through the middle of the left words that only grazes
    the tops of the right ones (under half its length inside words), cutting the row's names in two."""
    from pipeline.tables.finder import drop_text_strokes
    words = [Word("7", (81.0, 310.9, 93.0, 326.8)), Word("潍坊宏达数字科技有限公", (114.0, 303.9, 243.2, 320.5)),
             Word("汽车零部件、航", (261.9, 303.8, 344.5, 321.2)),
             Word("PLM产品全生命周期管理实施", (356.5, 309.2, 525.4, 328.7))]
    strokes, rule = Rule("h", 312.7, 75.0, 525.0), Rule("h", 305.5, 75.0, 525.0)
    assert drop_text_strokes([strokes, rule], words, Frame()) == [rule]  # the row's own rule grazes the tops
    level = [Word("北京汇联数字科技有限公", (114.0, 246.8, 246.0, 265.3)), Word("石化化工行业", (266.6, 253.9, 339.1, 270.8)),
             Word("PLM产品全生命周期管理实施", (356.4, 253.5, 525.4, 271.6))]
    through_one = Rule("h", 254.0, 76.0, 522.0)  # through one word's middle, along the others' tops: kept
    assert drop_text_strokes([through_one], level, Frame()) == [through_one]


# --- rows that are no records, records whose cells could not be read -------------------------------------


def _institutions(rows: list[list[str]], merged_last: str | None = None) -> list[dict]:
    """An institutions table (类别 · 序号 · 名称), one grid row per list, and a last row of one cell over all
    columns holding `merged_last`."""
    xs = [77.0, 199.0, 256.0, 519.0]
    texts = [["类别", "序号", "名称"], *rows]
    cells = [_cell(r, c, text, (xs[c], 100.0 + 18 * r, xs[c + 1], 118.0 + 18 * r))
             for r, row in enumerate(texts) for c, text in enumerate(row)]
    ys = [100.0 + 18 * r for r in range(len(texts) + 1)]
    if merged_last is not None:
        box = (xs[0], ys[-1], xs[-1], ys[-1] + 14.0)
        cells.append(CellText(Cell(len(texts), 0, 1, 3, box), box, (), merged_last))
        ys.append(ys[-1] + 14.0)
    return _records(cells, xs, ys, "institutions")


def test_a_row_with_neither_chinese_nor_digits_is_no_record() -> None:
    """A seal's ring under the last rule, read as 'IL .L' in a row of one cell over the whole width."""
    records = _institutions([["高校科研院所", "1", "浙江大学"]], merged_last="IL .L")
    assert [record["name"].value for record in records] == ["浙江大学"]


def test_a_numbered_row_between_records_is_a_record_whose_cells_could_not_be_read() -> None:
    rows = [["高校科研院所", "1", "青岛科技大学"], ["高校科研院所", "2", ""], ["高校科研院所", "3", "中南大学"],
            ["高校科研院所", "4", ""]]
    records = _institutions(rows)
    assert [(record["seq"].value, record["name"].value) for record in records] == [
        (1, "青岛科技大学"), (2, None), (3, "中南大学")]  # 4: a blank row of the template after the last record
    lost = records[1]["name"]
    assert lost.provenance.blank is False and lost.check("appendix.institutions[1].name", 0.6) is not None


def test_a_numbered_row_repeating_the_next_records_number_is_no_record() -> None:
    """A doubled rule cut a sliver off record 6's line: the sliver's 序号 is record 6's own."""
    rows = [["高校科研院所", "5", "四川大学"], ["高校科研院所", "6", ""], ["高校科研院所", "6", "中南大学"]]
    assert [record["seq"].value for record in _institutions(rows)] == [5, 6]


# --- a table of text lines: its cells read again too ------------------------------------------------------


def test_a_line_the_page_lost_in_a_table_of_text_lines_is_read_on_its_crop(tmp_path: Path,
                                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.test_tables import FakeEngine
    rows = [["日期（年/月/日）", "培训或活动名称", "参训人数"], ["2024.03.04", "工业数据安全专题讲座", "106"],
            ["2024.03.17", "精益生产与数字化管理培训", "189"], ["2025.04.04", "智能制造高级研修班", "250"]]
    table = STable.simple(60, 150, [110, 220, 70], rows, rules="none")
    page = render(Sheet(tables=[table], texts=[(60, 120, "表3：组织开展的人才培训活动清单", 12)]), tmp_path,
                  defects=Defects(confidence=0.99))
    page.role = "appendix2_table3"
    page.words = [word for word in page.words if word.text != "189"]  # under a seal's remains, say
    engine = FakeEngine("189", 0.95)
    monkeypatch.setattr("pipeline.tables.appendix.ocr_engine", lambda pages, settings: engine)
    monkeypatch.setattr("pipeline.tables.appendix.second_readers", lambda settings: lambda page: None)
    trainings = extract_appendix([page], Settings(cache_dir=None)).value.trainings
    assert [t.participants for t in trainings] == [106, 189, 250]


# --- names whose endings lie under the seal -----------------------------------------------------------------


@pytest.mark.parametrize(("read", "whole"), [
    ("台州旭昌涂料有限公", "台州旭昌涂料有限公司"),  # 司 under the ring
    ("杭州联启线路板有限司", "杭州联启线路板有限公司"),
    ("北京致晟钢铁有限", "北京致晟钢铁有限公司"),
    ("台州睿云石化有限公司员", "台州睿云石化有限公司"),  # a seal character read after it
    ("北京旭盛汽车零部件有限公技司", "北京旭盛汽车零部件有限公司"),
])
def test_a_company_name_ending_in_part_of_its_legal_form_gets_the_form(read: str, whole: str) -> None:
    from pipeline.tables.unit_names import COMPANY, with_form
    assert with_form(read, COMPANY) == whole


@pytest.mark.parametrize("name", ["杭州科技有限责任公司", "某某创业投资基金（有限合伙）", "中国有色金属", "招商银行温州分行",
                                  "南京泰元玻璃集团有阵少", "浙江大学"])
def test_a_name_that_ends_as_read_or_unlike_a_form_is_kept(name: str) -> None:
    from pipeline.tables.unit_names import COMPANY, UNIVERSITY, with_form
    assert with_form(name, COMPANY) is None and with_form(name, UNIVERSITY) is None


def test_a_university_ending_is_made_whole_only_among_universities() -> None:
    from models import Provenance
    from pipeline.tables.unit_names import ending_repaired
    from pipeline.tables.values import FieldValue

    def row(category: str, name: str) -> dict[str, FieldValue]:
        origin = Provenance(page=1, confidence=0.9)
        return {"category": FieldValue(category, category, origin), "name": FieldValue(name, name, origin)}

    university = ending_repaired("institutions", row("高校科研院所", "青岛科技太学大"))["name"]
    assert university.value == "青岛科技大学" and university.provenance.repaired_from == "青岛科技太学大"
    assert ending_repaired("institutions", row("投融资机构", "浙江大"))["name"].value == "浙江大"
    # A seal's 有限 read after a university's whole name: 大学 is the form, not 有限公司 cut short.
    assert ending_repaired("institutions", row("高校科研院所", "中南大学有限"))["name"].value == "中南大学"
    assert ending_repaired("institutions", row("高校科研院所", "宁波材料研究院有限公"))["name"].value \
        == "宁波材料研究院有限公司"
    assert ending_repaired("institutions", row("投融资机构", "宁波银行有限公"))["name"].value == "宁波银行有限公司"


def _training_with_merged_count(date: str, words: tuple[Word, ...]) -> list[dict]:
    """The records of a trainings table whose one row lost the rule between 培训活动名称 and 参加人数 (the two
    read as one cell holding `words`)."""
    xs, ys = [70.0, 179.0, 447.0, 526.0], [100.0, 120.0, 139.0]
    header = ["培训日期", "培训活动名称", "参加人数"]
    cells = [_cell(0, c, header[c], (xs[c], ys[0], xs[c + 1], ys[1])) for c in range(3)]
    cells.append(_cell(1, 0, date, (xs[0], ys[1], xs[1], ys[2])))
    merged = (xs[1], ys[1], xs[3], ys[2])
    cells.append(CellText(Cell(1, 1, 1, 2, merged), merged, words, " ".join(word.text for word in words)))
    return _records(cells, xs, ys, "trainings")


def test_a_count_whose_rule_to_the_name_was_lost_takes_only_the_words_in_its_own_column() -> None:
    """dev6 a02: a seal's stroke hid the rule between a training's name and its 参加人数 in the last row;
    the merged cell's first number, the year in the name ('2025年…讲座'), was read as 2025 participants."""
    name, count = Word("2025年工业数据安全专题讲座", (185.0, 123.0, 350.0, 136.0)), Word("111", (475.0, 123.0, 495.0, 136.0))
    records = _training_with_merged_count("2025.10.23", (name, count))
    assert [record["participants"].value for record in records] == [111]
    assert records[0]["participants"].provenance.bbox == [447.0, 100.0 + 20.0, 526.0, 139.0]


def test_a_count_read_in_one_word_with_the_name_across_the_lost_rule_keeps_its_digits() -> None:
    """dev6 a03: the name and its 参加人数 read as one word across the lost rule ('…诊断师培训286'): the cell
    stays whole (cut at the rule, the digits were read again on their own crop as 281)."""
    glued = Word("中小企业数字化转型诊断师培训286", (185.0, 123.0, 496.0, 136.0))
    records = _training_with_merged_count("2025.08.17", (glued,))
    assert [record["participants"].value for record in records] == [286]


def test_a_count_beside_a_name_without_digits_keeps_its_merged_cell() -> None:
    """The name's words hold no digit to give the count: the merged cell's reading stands (with its box)."""
    name, count = Word("中小企业数字化转型诊断师培训", (185.0, 123.0, 350.0, 136.0)), Word("286", (475.0, 123.0, 495.0, 136.0))
    records = _training_with_merged_count("2025.08.17", (name, count))
    assert [record["participants"].value for record in records] == [286]
    assert records[0]["participants"].provenance.bbox == [179.0, 120.0, 526.0, 139.0]


def _grid_table(xs: list[float], ys: list[float], words: list[Word]) -> Table:
    from pipeline.tables.cells import fill_cells
    grid = build_grid([Rule("h", y, xs[0], xs[-1]) for y in ys] + [Rule("v", x, ys[0], ys[-1]) for x in xs])
    assert grid is not None
    return Table(page=9, grid=grid, frame=Frame(), cells=fill_cells(grid, Frame(), words))


def _contract_words(ys: list[float]) -> list[Word]:
    rows = [("2024-04-18", "TSG-FW-2024006", "石家庄兴瑞乳业集团有限公司", "134"),
            ("2024-06-05", "TSG-FW-2024008", "绍兴睿卓电力设备股份有限公司", "311.7"),
            ("2025-06-22", "TSG-FW-2025033", "石家庄兴瑞乳业集团有限公司", "145.6")]
    lefts = [70.0, 170.0, 270.0, 460.0]
    return [Word(text, (x, top + 3.0, x + 6.0 * len(text), top + 11.0), 0.99)
            for top, row in zip(ys, rows, strict=False) for x, text in zip(lefts, row, strict=True)]


def test_a_table_broken_into_two_side_by_side_is_read_from_the_faint_look(monkeypatch: pytest.MonkeyPatch) -> None:
    """A grey scan's faint row rules vanish beside the text (the binarised rules' local threshold sinks
    there): the first look holds every word, but in two tables side by side, the date column apart from the
    rest. The look for faint rules, one table holding the words as whole, is taken instead."""
    from models.page import Page
    from pipeline.tables import finder

    ys = [92.0, 106.0, 120.0, 134.0]
    words = _contract_words(ys)
    page = Page(number=9, width=595.0, height=842.0, kind="scan", dpi=200.0, words=words, role="appendix2_table2")
    split = finder.TableFinding(9, tables=[_grid_table([67.0, 165.0], ys, words),
                                           _grid_table([160.0, 266.0, 449.0, 529.0], [92.0, 134.0], words)])
    whole = finder.TableFinding(9, tables=[_grid_table([67.0, 165.0, 266.0, 449.0, 529.0], ys, words)])
    assert finder._side_by_side(split) and not finder._side_by_side(whole)

    def looks(*args: object, faint: str | None = None, **kwargs: object) -> finder.TableFinding:
        return split if faint is None else whole

    monkeypatch.setattr(finder, "stored_layers", lambda page: (None, None))
    monkeypatch.setattr(finder, "_finding", looks)
    found = finder.find_tables(page)
    assert [t.grid.n_cols for t in found.tables] == [4]


def test_tables_one_above_the_other_are_not_side_by_side() -> None:
    from pipeline.tables import finder
    upper = _grid_table([67.0, 165.0, 529.0], [92.0, 106.0, 120.0], [])
    lower = _grid_table([67.0, 165.0, 529.0], [200.0, 214.0, 228.0], [])
    assert not finder._side_by_side(finder.TableFinding(9, tables=[upper, lower]))


@pytest.mark.parametrize(("read", "text"), [("★小程序订单协同工具", "小程序订单协同工具"),
                                            ("☆绍兴中恒钢管集团有限公司", "绍兴中恒钢管集团有限公司"),
                                            ("轻量化能耗管家★", "轻量化能耗管家")])
def test_a_seals_star_read_into_a_cell_is_no_text_of_it(read: str, text: str) -> None:
    from pipeline.tables.values import typed
    assert typed(read, "text") == text


def _providers_frame_from_third_record(keys: tuple[str, str]) -> tuple:
    """A providers table whose fax-dashed frame was found from record 3 down only: its header and the records
    keyed `keys` stand over the frame's top rule as lines of text on its columns."""
    from models.page import Page
    from pipeline.tables.cells import fill_cells

    xs, ys = [65.0, 106.0, 253.0, 350.0, 526.0], [164.0 + 22.0 * k for k in range(6)]
    lines = [(["序号", "服务商名称", "主要服务行业（3个以内）", "核心能力（50字以内）"], 108.0),
             ([keys[0], "唐山华顺网络科技股份有限公司", "食品、医药", "ERP与财务业务一体化实施"], 128.0),
             ([keys[1], "唐山中德数据技术集团有限公司", "石化化工", "PLM产品全生命周期管理实施"], 148.0)]
    lines += [([str(3 + k), f"石家庄卓信网络科技{k}号有限公司", "食品", "能源管理系统与碳足迹核算"], 169.0 + 22.0 * k)
              for k in range(5)]
    words = [Word(text, (xs[c] + 4.0, top, xs[c] + 4.0 + 6.0 * len(text), top + 12.0), 0.99)
             for row, top in lines for c, text in enumerate(row)]
    page = Page(number=14, width=595.0, height=842.0, kind="text", words=words, role="appendix3_table2")
    grid = build_grid([Rule("h", y, xs[0], xs[-1]) for y in ys] + [Rule("v", x, ys[0], ys[-1]) for x in xs])
    assert grid is not None
    return page, Table(page=14, grid=grid, frame=Frame(), cells=fill_cells(grid, Frame(), words))


def test_records_a_fax_frame_left_out_over_its_first_rule_are_read_from_their_lines(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The lines over the frame numbered 2 and 1, counting down to its first 序号 3, are its first records;
    the header line over them is none."""
    from pipeline.tables.appendix import extract_appendix
    from pipeline.tables.finder import TableFinding

    page, table = _providers_frame_from_third_record(("1", "2"))
    monkeypatch.setattr("pipeline.tables.appendix.find_tables", lambda *args, **kwargs: TableFinding(14, tables=[table]))
    providers = extract_appendix([page], Settings(cache_dir=None)).value.providers
    assert [p.seq for p in providers] == [1, 2, 3, 4, 5, 6, 7]
    assert [p.name for p in providers[:3]] == ["唐山华顺网络科技股份有限公司", "唐山中德数据技术集团有限公司",
                                               "石家庄卓信网络科技0号有限公司"]


def test_lines_over_a_frame_not_counting_down_to_its_first_seq_are_no_records_of_it() -> None:
    """Control: numbers that do not run on into the table (8 and 9 over its 3) are not its records."""
    from pipeline.tables.finder import rows_above

    assert rows_above(*_providers_frame_from_third_record(("8", "9"))) is None
    above = rows_above(*_providers_frame_from_third_record(("1", "2")))
    assert above is not None and above.grid.n_rows == 2


def test_a_name_cell_run_on_into_the_amounts_column_keeps_its_figure_out_of_the_name() -> None:
    """A seal's ring took the rule between 服务企业名称 and 合同金额 in one row: the cell over both holds the
    company's name and, beyond the lost rule, its amount.  The amount is the amount's (`own_columns`) and
    no part of the name; a word read across the lost rule would leave the cell whole."""
    xs, ys = [61.7, 159.3, 265.2, 452.2, 533.5], [100.0, 120.0, 140.0]
    header = ["日期（年/月/日）", "合同编号", "服务企业名称", "合同金额（万元）"]
    cells = [_cell(0, c, header[c], (xs[c], ys[0], xs[c + 1], ys[1])) for c in range(4)]
    cells += [_cell(1, c, text, (xs[c], ys[1], xs[c + 1], ys[2]))
              for c, text in enumerate(["2025年1月16日", "QWTG-FW-2025020"])]
    name = Word("绍兴联宇合金材料股份有限公司", (271.2, 122.0, 396.5, 135.0), 0.99)
    amount = Word("54.60万元", (472.3, 122.0, 514.6, 135.0), 0.99)
    box = (xs[2], ys[1], xs[4], ys[2])
    cells.append(CellText(Cell(1, 2, 1, 2, box), box, (name, amount), "绍兴联宇合金材料股份有限公司 54.60万元"))
    records = _records(cells, xs, ys, "contracts")
    assert [(r["enterprise"].value, r["amount"].value) for r in records] == [("绍兴联宇合金材料股份有限公司", 54.6)]


def test_a_crop_reading_that_differs_only_in_thin_glyphs_does_not_replace_a_sure_page_reading() -> None:
    """A monospaced 1 and l drawn alike: the page read 'ycrn1494', the crop 'ycrnl494', surer; and a thin glyph
    the crop read twice ('Illd1150'). Nothing tells which engine is right: the sure page reading stays."""
    from pipeline.tables.reread import _better, thin_glyph_slip
    box = (414.0, 477.0, 522.0, 511.0)
    page = CellText(Cell(11, 4, 1, 1, box), box, (), "ycrn1494@sina.com", 0.9658)
    assert not _better(page, replace(page, text="ycrnl494@sina.com", confidence=0.9765), floor=0.6, slack=0.05)
    doubled = replace(page, text="lld1150@163.com", confidence=0.9609)
    assert not _better(doubled, replace(page, text="Illd1150 @ 163.co m", confidence=0.9378), floor=0.6, slack=0.05)
    # A page reading not sure, or a crop that reads more than a thin glyph otherwise, still gives way.
    assert _better(replace(page, confidence=0.8), replace(page, text="ycrnl494@sina.com", confidence=0.9765),
                   floor=0.6, slack=0.05)
    assert _better(page, replace(page, text="ycrnl494@sina.cn", confidence=0.9765), floor=0.6, slack=0.05)
    assert not thin_glyph_slip("|河北工业大学", "河北工业大学")  # a rule's remains the crop left out
    assert not thin_glyph_slip("河北工业大学", "|河北工业大学")  # a thin glyph beside no other


def test_a_code_cell_run_on_into_the_names_column_gives_each_field_its_own_words() -> None:
    """dev45 a04's contracts: the rule between 合同编号 and 服务企业名称 lost in one row, the cell over both
    holding the code and, beyond the lost rule, the company's name: each field takes the words over its own
    columns (a sliver column no field holds between them goes with neither); a word read across the lost
    rule would leave the cell whole."""
    xs, ys = [61.7, 159.3, 265.2, 282.0, 452.2, 533.5], [100.0, 120.0, 140.0]
    header = ["日期（年/月/日）", "合同编号", "", "服务企业名称", "合同金额（万元）"]
    cells = [_cell(0, c, header[c], (xs[c], ys[0], xs[c + 1], ys[1])) for c in range(5) if header[c]]
    cells += [_cell(1, 0, "2024年12月7日", (xs[0], ys[1], xs[1], ys[2])),
              _cell(1, 4, "69.00万元", (xs[4], ys[1], xs[5], ys[2]))]
    code = Word("SZZX2024038", (166.0, 122.0, 252.0, 135.0), 0.99)
    name = Word("温州嘉恒汽车电子集团有限公司", (270.0, 122.0, 420.0, 135.0), 0.99)
    box = (xs[1], ys[1], xs[4], ys[2])
    cells.append(CellText(Cell(1, 1, 1, 3, box), box, (code, name), "SZZX2024038 温州嘉恒汽车电子集团有限公司"))
    records = _records(cells, xs, ys, "contracts")
    assert [(r["contract_no"].value, r["enterprise"].value) for r in records] == \
        [("SZZX2024038", "温州嘉恒汽车电子集团有限公司")]
    across = Word("SZZX2024038温州嘉恒汽车电子集团有限公司", (166.0, 122.0, 420.0, 135.0), 0.99)
    cells[-1] = CellText(Cell(1, 1, 1, 3, box), box, (across,), across.text)
    records = _records(cells, xs, ys, "contracts")
    assert records[0]["contract_no"].raw == records[0]["enterprise"].raw


def test_a_faint_frame_broken_into_pieces_one_over_the_other_is_one_table() -> None:
    """dev48 a06 p11: a drawn scan's faint contracts frame held together in two pieces, records 1-6 and 5-12,
    on the same column rules: two tables read records 5 and 6 twice (two false DUPLICATE_CONTRACT_NO)."""
    upper = [Rule("h", 104.9, 196.0, 525.6), Rule("h", 158.8, 196.3, 526.1), Rule("h", 266.2, 277.9, 509.3),
             Rule("v", 266.6, 147.4, 197.3), Rule("v", 447.1, 104.6, 176.2), Rule("v", 525.4, 104.6, 304.3)]
    lower = [Rule("h", 239.3, 70.1, 251.0), Rule("h", 346.6, 70.1, 525.6), Rule("h", 454.0, 70.1, 525.6),
             Rule("v", 70.3, 232.3, 454.1), Rule("v", 164.4, 229.4, 444.0), Rule("v", 266.6, 273.1, 392.2),
             Rule("v", 447.1, 343.7, 376.3), Rule("v", 525.4, 343.7, 454.0)]
    assert len(group_rules(upper + lower)) == 1


def test_tables_one_over_the_other_apart_stay_two() -> None:
    """Two tables stacked on the same column rules, a few points apart, stay two: pieces of one frame reach
    into each other's height."""
    def table(y0: float, y1: float, xs: tuple[float, ...]) -> list[Rule]:
        return [Rule("h", y0, xs[0], xs[-1]), Rule("h", y1, xs[0], xs[-1])] + [Rule("v", x, y0, y1) for x in xs]
    assert len(group_rules(table(100.0, 300.0, (70.0, 160.0, 300.0, 525.0))
                           + table(306.0, 500.0, (70.0, 160.0, 300.0, 525.0)))) == 2


def test_a_scanner_streak_down_the_page_through_a_table_is_no_column_rule() -> None:
    """dev47 a02's providers and financings: a line the feeder's glass drew from the page's top to its bottom
    (left by the flattening, broken and askew) ran through every capability, cut in two columns, and made the
    financings' table the page's height; the table's own column rules were then taken for strays."""
    from pipeline.tables.finder import _without_stray_verticals
    ys = [107.0, 143.0, 161.0, 179.0]
    frame = [Rule("h", y, 75.0, 520.0) for y in ys] + [Rule("v", x, 107.0, 179.0) for x in (75.0, 115.0, 274.0, 441.0, 520.0)]
    streak = [Rule("v", 355.2, 164.0, 289.0), Rule("v", 357.8, 30.0, 108.0)]
    names = [Word(text, (286.0, y + 4.0, 436.0, y + 15.0))
             for text, y in zip(["被投企业名称称", "杭州德元船用设备有限公司", "杭州博辰海工装备有限公司"], ys, strict=False)]
    kept = _without_stray_verticals(frame + streak, names)
    assert sorted(r.pos for r in kept if r.orient == "v") == [75.0, 115.0, 274.0, 441.0, 520.0]
    assert _without_stray_verticals(frame + streak, names[:1]) == frame + streak  # through one word: a rule
    ruled = [*frame, Rule("v", 356.0, 60.0, 240.0)]  # a rule reaching a little past the frame, between the words
    apart = [Word(text, (280.0, y + 4.0, 350.0, y + 15.0)) for text, y in zip(["企业", "杭州德元", "杭州博辰"], ys, strict=False)]
    assert _without_stray_verticals(ruled, apart) == ruled


def test_two_tables_over_one_region_are_one_table_built_from_both_groups_rules() -> None:
    """dev48 a05's providers: a phone photo's blur parted the rules between the names and the industries; the
    left group, its lost last column put back, and the right one, its lost first column put back, each made a
    table over the other's columns, and every record was read twice. One table, from both groups' rules."""
    from pipeline.tables.finder import _one_table_per_region

    def table(group: list[Rule]) -> Table | None:
        grid = build_grid(group)
        return None if grid is None else Table(page=1, grid=grid, frame=Frame())

    ys = [99.0, 123.0, 147.0, 171.0, 195.0, 219.0]
    left = [Rule("h", y, 72.0, 260.0) for y in ys] + [Rule("v", x, 99.0, 219.0) for x in (72.0, 112.0, 345.0)]
    right = [Rule("h", y, 114.0, 523.0) for y in ys] + [Rule("v", x, 99.0, 219.0) for x in (114.0, 253.0, 348.0, 523.0)]
    built = _one_table_per_region([(left, table(left)), (right, table(right))], table)
    assert len(built) == 1
    merged = built[0][1]
    assert merged is not None and merged.bbox[0] == 72.0 and merged.bbox[2] == 523.0
    below = [Rule("h", y + 200.0, 114.0, 523.0) for y in ys] + [Rule("v", x, 299.0, 419.0) for x in (114.0, 523.0)]
    assert len(_one_table_per_region([(left, table(left)), (below, table(below))], table)) == 2


def test_two_tables_side_by_side_on_the_same_row_rules_are_one_table() -> None:
    """dev49 a08's products, a phone photo: the row rules were lost across the middle of the names' wide
    column, so the left columns and the names' right part made two groups, side by side, reaching into each
    other by 46 pt (a sixth of the smaller's box, not one region) and every name was cut short. Their row
    rules stand at the same heights: one table's. Two tables level with each other but with rows of their
    own stay apart."""
    from pipeline.tables.finder import _one_table_per_region

    def table(group: list[Rule]) -> Table | None:
        grid = build_grid(group)
        return None if grid is None else Table(page=1, grid=grid, frame=Frame())

    ys = [118.0, 134.0, 147.5, 162.0, 177.0, 192.0, 207.0, 221.0, 236.0]
    left = [Rule("h", y, 65.0, 308.0) for y in ys] + [Rule("v", x, 118.0, 236.0) for x in (65.0, 200.0, 259.0, 308.0)]
    right = [Rule("h", y + 1.0, 262.0, 531.0) for y in ys] + [Rule("v", x, 119.0, 237.0) for x in (262.0, 531.0)]
    built = _one_table_per_region([(left, table(left)), (right, table(right))], table)
    assert len(built) == 1
    merged = built[0][1]
    assert merged is not None and merged.bbox[0] == 65.0 and merged.bbox[2] == 531.0
    own = [Rule("h", y, 262.0, 531.0) for y in (118.0, 141.0, 170.0, 199.0, 236.0)] + \
        [Rule("v", x, 118.0, 236.0) for x in (262.0, 531.0)]
    assert len(_one_table_per_region([(left, table(left)), (own, table(own))], table)) == 2


def test_words_in_a_hole_of_the_grid_send_the_page_to_the_faint_looks() -> None:
    """dev54 a08's contracts, a 1-bit scan: the last rule broke across the code and enterprise columns, the
    grid kept no cells there, and the last record's code and enterprise stood in no cell; the binarised look
    held most of the page's words, so the faint looks (whose rule there is whole) were never tried."""
    from pipeline.tables.finder import TableFinding, _cut_short

    xs, ys = [50.0, 100.0, 150.0, 200.0, 250.0], [100.0, 120.0, 140.0, 160.0]
    cells = [Cell(row, col, 1, 1, (xs[col], ys[row], xs[col + 1], ys[row + 1])) for row in range(3) for col in range(4)
             if row < 2 or col in (0, 3)]
    table = Table(page=1, grid=Grid(xs=xs, ys=ys, cells=cells), frame=Frame(),
                  cells=[CellText(cell, cell.bbox, (), "") for cell in cells])
    finding = TableFinding(page=1, tables=[table])
    held = [Word("2025.12.16", (55.0, 144.0, 95.0, 156.0)), Word("156.8", (210.0, 144.0, 240.0, 156.0))]
    assert not _cut_short(finding, held)
    assert _cut_short(finding, [*held, Word("SZZX2025086", (105.0, 144.0, 145.0, 156.0))])
