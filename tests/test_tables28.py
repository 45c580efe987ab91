"""Appendix tables on word-producer packages, round 28: row rules a dotted scan broke into pieces, a column
aligned two ways, a continuation that lost a column rule."""

from __future__ import annotations

import numpy as np

from models.page import Page, Word
from pipeline.config import Settings
from pipeline.tables.appendix import Collector, Walker
from pipeline.tables.cells import CellText, Table, fill_cells
from pipeline.tables.finder import hidden_columns, table_from_group
from pipeline.tables.geometry import Cell, Frame, Rule, broken_rows_joined, build_grid
from pipeline.tables.reread import CellReader, without_stray_glyphs
from tests.fixtures.ink_bands import ink_bands

# A products list: 类别 (one merged cell over the records), 序号, 名称; its frame and column rules whole.
XS = (58.0, 190.0, 252.0, 537.0)
YS = (114.0, 140.0, 166.0, 192.0, 218.0, 244.0)


def _frame() -> list[Rule]:
    return [Rule("h", YS[0], XS[0], XS[-1]), Rule("h", YS[-1], XS[0], XS[-1]), Rule("h", YS[1], XS[0], XS[-1]),
            *(Rule("v", x, YS[0], YS[-1]) for x in XS)]


def _broken_row(y: float) -> list[Rule]:
    """A dotted row rule across the 序号 and 名称 columns as a 1-bit scan leaves it: pieces with gaps of 25 pt,
    none touching two column rules (the 类别 column's merged cell has none)."""
    return [Rule("h", y, 200.0, 240.0), Rule("h", y, 265.0, 330.0), Rule("h", y, 355.0, 420.0),
            Rule("h", y, 445.0, 530.0)]


NAMES = ("供应链协同平台", "数字孪生车间平台", "质量追溯系统", "设备预测维护平台")


def _words() -> list[Word]:
    words = [Word("类别", (100.0, 120.0, 130.0, 132.0)), Word("序号", (210.0, 120.0, 234.0, 132.0)),
             Word("名称", (380.0, 120.0, 404.0, 132.0)), Word("数字化产品", (95.0, 186.0, 150.0, 198.0))]
    # The 序号 the page's reading lost (faint digits in a dithered scan): the names alone.
    return words + [Word(name, (270.0, y + 7.0, 270.0 + 12.0 * len(name), y + 19.0)) for name, y in zip(NAMES, YS[1:], strict=False)]


def test_a_row_rule_broken_into_pieces_parts_its_rows() -> None:
    """dev70 a04's products and institutions: each row rule a dotted scan broke into pieces none of which
    touches two column rules, some too short to join any group; the rows they part were read as one record."""
    inner = [rule for y in YS[2:-1] for rule in _broken_row(y)]
    own, loose = [rule for rule in inner if rule.start < 250.0], [rule for rule in inner if rule.start > 250.0]
    group = [*_frame(), *own]
    page = Page(number=1, width=595, height=842, kind="scan")
    table = table_from_group(page, group, Frame(), _words(), keyed_rows=True, pieces=[*group, *loose])
    assert table is not None and table.grid.n_rows == 5
    names = [cell.text for cell in table.cells if cell.cell.col == 2 and cell.cell.row > 0]
    assert names == list(NAMES)
    category = next(cell for cell in table.cells if cell.cell.col == 0 and cell.cell.row == 1)
    assert category.cell.row_span == 4  # no pieces across the 类别 column: its merged cell stays whole


def test_pieces_in_one_column_alone_make_no_row_rule() -> None:
    """dev70 a06's institutions: a category's boundary found in the 类别 column alone, the rest of the line lost;
    drawn there, it cut that column's cell off the records the keys part (a record lost with its key's cut)."""
    lone = [Rule("h", 214.8, 87.0, 178.0)]
    grid = build_grid(broken_rows_joined(_frame(), lone))
    assert grid is not None and [round(y) for y in grid.ys] == [114, 140, 244]


def test_pieces_too_sparse_for_a_rule_stay_apart() -> None:
    """Strokes inside a cell (a line of text's, a speck's) cover too little of a column to be its rule."""
    group = _frame()
    strokes = [Rule("h", 205.0, 258.0, 287.0), Rule("h", 205.0, 311.0, 340.0), Rule("h", 205.0, 352.0, 382.0)]
    grid = build_grid(broken_rows_joined(group, strokes))
    assert grid is not None and [round(y) for y in grid.ys] == [114, 140, 244]


def test_a_column_aligned_two_ways_is_not_two_columns() -> None:
    """dev70 a06's products: names left-aligned in some rows, centred in others, leave a clear gap down the
    名称 column, three lines and more on either side; each row's name stands on one side only, so the gap is
    no lost rule. Two texts side by side in most rows are two columns whose rule was lost."""
    ys = [140.0 + 17.0 * k for k in range(9)]
    rules = [Rule("h", y, 73.0, 522.0) for y in ys] + [Rule("v", x, ys[0], ys[-1]) for x in (73.0, 190.0, 250.0, 522.0)]
    grid = build_grid(rules)
    assert grid is not None
    left = {1, 3, 6}  # rows whose names are left-aligned
    words = [Word("精益生产数字化方案" if row in left else "工艺参数数据集",
                  (255.0, y + 3.0, 345.0, y + 14.0) if row in left else (362.0, y + 3.0, 423.0, y + 14.0))
             for row, y in enumerate(ys[:-1])]
    assert hidden_columns(grid, words) == []
    both = [Word("台州卓晟科技", (255.0, y + 3.0, 320.0, y + 14.0)) for y in ys[:-1]]
    both += [Word("机械、汽车", (380.0, y + 3.0, 430.0, y + 14.0)) for y in ys[:-1]]
    assert len(hidden_columns(grid, both)) == 1


def _ruled_table(page: int, xs: list[float], ys: list[float], words: list[Word]) -> Table:
    grid = build_grid([Rule("h", y, xs[0], xs[-1]) for y in ys] + [Rule("v", x, ys[0], ys[-1]) for x in xs])
    assert grid is not None
    return Table(page=page, grid=grid, frame=Frame(), cells=fill_cells(grid, Frame(), words))


def test_a_continuation_that_lost_a_column_rule_is_read_on_its_tables_columns() -> None:
    """dev70 a03's contracts: the last record alone on a page of its own (no title, role 'other'), the rule
    between its enterprise and its amount lost under the seal's ring: three columns where the table has four.
    Read on the table's columns, the record is the table's last, its amount its own."""
    xs, ys = [87.0, 185.0, 258.0, 436.0, 508.0], [70.0, 96.0, 120.0]
    header = [Word(text, (x + 4.0, 76.0, x + 4.0 + 12.0 * len(text), 88.0), 0.99)
              for x, text in zip(xs, ("日期", "合同编号", "服务企业名称", "合同金额（万元）"), strict=False)]
    first = [Word(text, (x + 4.0, 102.0, x + 4.0 + 6.0 * len(text), 114.0), 0.99)
             for x, text in zip(xs, ("2025-12-17", "HT-2025-114", "杭州腾旭海工装备集团有限公司", "147"), strict=False)]
    walker = Walker(Collector(Settings()))
    walker.table(_ruled_table(11, xs, ys, header + first), Page(number=11, width=595, height=842, kind="scan",
                                                                  role="appendix2_table2"), first_on_page=True)
    last = [Word("2025-12-18", (91.0, 74.0, 150.0, 86.0), 0.99), Word("HT-2025-115", (190.0, 74.0, 250.0, 86.0), 0.99),
            Word("重庆诚达家纺有限公司", (262.0, 74.0, 370.0, 86.0), 0.99), Word("23万元", (470.0, 74.0, 500.0, 86.0), 0.99)]
    walker.table(_ruled_table(12, [87.0, 185.0, 258.0, 508.0], [68.0, 92.0], last),
                 Page(number=12, width=595, height=842, kind="scan", role="other"), first_on_page=True)
    rows = walker.collector.rows["contracts"]
    assert [(row["enterprise"].value, row["amount"].value) for row in rows] == [
        ("杭州腾旭海工装备集团有限公司", 147), ("重庆诚达家纺有限公司", 23)]


class _WholeGlyphEngine:
    """Reads a band of ink as '171' where it is a whole line's height (the digits with their feet), else nothing."""

    def __init__(self) -> None:
        self.calls = 0

    def read_region(self, image: np.ndarray, box_px: object = None, *, dpi: float = 72.0,
                    separators: object = ()) -> list[Word]:
        self.calls += 1
        return [Word("171", (float(x0), float(y0), float(x1), float(y1)), 0.97)
                for x0, y0, x1, y1 in ink_bands(image) if y1 - y0 >= 16]


def test_an_empty_cell_whose_print_runs_over_its_rule_is_read_on_a_crop_past_the_rule() -> None:
    """dev47 a02's contracts: '171' printed low in its row, the row's bottom rule through the digits' feet; the
    crop inside the rules cut the digits and read nothing, the cell was taken for blank. Read once more past
    the rule, the digits are whole."""
    image = np.full((80, 320), 255, np.uint8)
    image[26:43, 200:230] = 0  # the digits, their feet past the rule
    image[40, 10:310] = 0  # the row's bottom rule
    box = (10.0, 10.0, 310.0, 40.0)
    cell = CellText(Cell(0, 0, 1, 1, box), box, (), "")
    engine = _WholeGlyphEngine()
    out = CellReader(image, 1.0, 72.0, engine).reread([cell], Frame(), threshold=0.97, floor=0.6)  # type: ignore[arg-type]
    assert out[0].text == "171" and engine.calls == 2


def test_strokes_along_a_line_of_text_make_no_row_rule() -> None:
    """dev70 a01's providers: the feet of 石化化工、航空、 (a wrapped line over 纺织) found as pieces covering most of
    the industries column, inside the word's height: characters' strokes, no rule between two records."""
    group = _frame()
    feet = [Rule("h", 214.3, 262.0, 303.0), Rule("h", 214.1, 311.0, 335.0), Rule("h", 214.2, 340.0, 420.0),
            Rule("h", 214.2, 196.0, 240.0)]
    words = [(258.2, 202.6, 430.0, 217.0), (194.0, 202.6, 245.0, 217.0)]
    assert [round(y) for y in build_grid(broken_rows_joined(group, feet, words)).ys] == [114, 140, 244]  # type: ignore[union-attr]
    assert [round(y) for y in build_grid(broken_rows_joined(group, feet)).ys] == [114, 140, 214, 244]  # type: ignore[union-attr]


def test_a_lone_unsure_glyph_apart_from_its_line_is_no_print() -> None:
    """dev58 a09's trainings: the crop of '行业数字化转型标杆企业观摩活动' took in a grey seal's ring beside the
    name, read 'A' 80 pt past its end (dev47 a11: '1.'); such a glyph is dropped. A glyph next to its line's
    words, one read surely, or one alone on its line (a 序号) is kept."""
    name = Word("行业数字化转型标杆企业观摩活动", (186.7, 184.8, 320.6, 196.8), 0.98)
    assert without_stray_glyphs([name, Word("A", (401.8, 188.6, 409.4, 198.2), 0.66)]) == [name]
    assert without_stray_glyphs([name, Word("1.", (421.0, 184.0, 427.2, 197.3), 0.69)]) == [name]
    near = Word("5", (200.0, 184.8, 206.0, 196.8), 0.7), Word("万元", (209.0, 184.8, 230.0, 196.8), 0.99)
    assert without_stray_glyphs(near) == list(near)
    sure = Word("A", (401.8, 188.6, 409.4, 198.2), 0.95)
    assert without_stray_glyphs([name, sure]) == [name, sure]
    alone = [Word("1", (215.0, 150.0, 221.0, 162.0), 0.7), Word("台州卓晟科技", (260.0, 170.0, 330.0, 182.0), 0.99)]
    assert without_stray_glyphs(alone) == alone


def test_an_empty_cell_whose_ink_lies_clear_of_its_crops_edges_is_not_read_past_its_rules() -> None:
    """Ink inside the crop whole (the first reading missed it for other reasons) gains nothing from a crop past
    the rules: no second reading (samples a03's '186', left to the second engine as before)."""
    image = np.full((80, 320), 255, np.uint8)
    image[20:31, 200:230] = 0
    image[40, 10:310] = 0
    box = (10.0, 10.0, 310.0, 40.0)
    engine = _WholeGlyphEngine()
    out = CellReader(image, 1.0, 72.0, engine).reread([CellText(Cell(0, 0, 1, 1, box), box, (), "")], Frame(),  # type: ignore[arg-type]
                                                      threshold=0.97, floor=0.6)
    assert out[0].text == "" and engine.calls == 1
