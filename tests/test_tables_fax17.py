"""A fax's frame kept in part (tables17): a last column whose right rule it lost, records under its last rule
keyed beside their middle line, and a row rule kept only part of the way across between two keys."""

from __future__ import annotations

import pytest

from models.page import Page, Word
from pipeline.config import Settings
from pipeline.tables.cells import Table, fill_cells
from pipeline.tables.finder import TableFinding, _with_lost_column, rows_below
from pipeline.tables.geometry import Frame, Rule, build_grid

XS = [81.0, 109.0, 254.0, 349.0]  # 序号 | 服务商名称 | 主要服务行业 | 核心能力, the last column's right rule lost
YS = [117.0, 132.0, 163.0, 193.0, 208.0, 270.0]


def _frame(right: float) -> list[Rule]:
    return [Rule("h", y, XS[0], right) for y in YS] + [Rule("v", x, YS[0], YS[-1]) for x in XS[:-1]]


def _capabilities(end: float) -> list[Word]:
    return [Word("核心能力（50字以内）", (382.0, 118.0, 485.0, 130.0))] + [
        Word("工业设备联网与数据采集支持", (355.0, top, end, top + 13.0)) for top in (140.0, 172.0, 196.0, 230.0)]


def test_a_last_column_whose_lines_run_out_across_a_made_up_edge_is_whole() -> None:
    """The row rules stop inside the last column (no rule draws its right side): the grid's made-up edge
    cut every capability line; most rows' lines run out across it, and the column reaches their end."""
    frame = _frame(438.0)
    grid = build_grid(_with_lost_column(frame, _capabilities(500.0)))
    assert grid is not None and grid.n_cols == 3 and grid.xs[-1] > 500.0
    assert _with_lost_column(frame, _capabilities(500.0)[:3]) == frame  # two rows only: a seal's text, a note
    drawn = [*frame, Rule("v", 438.0, YS[0], YS[-1])]  # a drawn right rule the lines cross is no lost edge
    assert _with_lost_column(drawn, _capabilities(500.0)) == drawn


def _fax_page(words: list[Word]) -> Page:
    return Page(number=13, width=595.0, height=842.0, kind="text", words=words, role="appendix3_table2")


def _ruled_table(words: list[Word], ys: list[float], xs: list[float]) -> Table:
    grid = build_grid([Rule("h", y, xs[0], xs[-1]) for y in ys] + [Rule("v", x, ys[0], ys[-1]) for x in xs])
    assert grid is not None
    return Table(page=13, grid=grid, frame=Frame(), cells=fill_cells(grid, Frame(), words))


XS5 = [81.0, 109.0, 254.0, 349.0, 520.0]
HEADER = [Word("序号", (84.0, 118.0, 101.0, 130.0)), Word("服务商名称", (158.0, 118.0, 210.0, 130.0)),
          Word("主要服务行业", (270.0, 118.0, 335.0, 130.0)), Word("核心能力", (400.0, 118.0, 445.0, 130.0)),
          Word("1", (87.0, 140.0, 97.0, 152.0)), Word("杭州数智科技有限公司", (119.0, 140.0, 243.0, 152.0)),
          Word("机械", (270.0, 140.0, 300.0, 152.0)), Word("工业软件", (355.0, 140.0, 420.0, 152.0))]


def _centred_records() -> list[Word]:
    """Records 2 and 3 under the frame's last rule (160), each name on two lines and its 序号 beside the
    middle of them, its other cells on one line there too, then the note."""
    words: list[Word] = []
    for seq, top in ((2, 163.0), (3, 193.0)):
        words += [Word(f"重庆嘉宏智能制造技术股份{seq}", (119.0, top, 243.0, top + 13.0)),
                  Word(str(seq), (88.0, top + 8.0, 97.0, top + 21.0)),
                  Word("钢铁电力装备", (270.0, top + 7.0, 334.0, top + 21.0)),
                  Word(f"工业网络安全评估与防护{seq}", (356.0, top + 7.0, 469.0, top + 20.0)),
                  Word("有限公司", (119.0, top + 14.0, 160.0, top + 29.0))]
    return [*words, Word("注：申报单位（联合体牵头单位及涉及单位）加盖公章。", (74.0, 235.0, 293.0, 248.0))]


def test_records_under_a_fax_frame_keyed_beside_their_middle_line_are_read_whole() -> None:
    """The first line under the frame's last rule holds no key: its record's 序号 stands beside the middle of
    its two-line name. It was taken for no record, and the three records below were lost (8 providers
    read 5, a false count error); the records are parted between their keys, each name whole."""
    records = _centred_records()
    page = _fax_page([*HEADER, *records])
    table = _ruled_table(HEADER, [117.0, 132.0, 160.0], XS5)
    below = rows_below(page, table)
    assert below is not None and below.grid.n_rows == 2
    names = [cell.text.replace("\n", "") for cell in below.cells if cell.cell.col == 1]
    assert names == ["重庆嘉宏智能制造技术股份2有限公司", "重庆嘉宏智能制造技术股份3有限公司"]
    keyless = [w for w in records if w.text.startswith("重庆")][:1]  # a line without any key below: no record
    assert rows_below(_fax_page([*HEADER, *keyless]), table) is None


def test_the_providers_keyed_beside_their_middle_line_are_all_read(monkeypatch: pytest.MonkeyPatch) -> None:
    from pipeline.tables.appendix import extract_appendix
    page = _fax_page([*HEADER, *_centred_records()])
    table = _ruled_table(HEADER, [117.0, 132.0, 160.0], XS5)
    monkeypatch.setattr("pipeline.tables.appendix.find_tables", lambda *args, **kwargs: TableFinding(13, tables=[table]))
    providers = extract_appendix([page], Settings(cache_dir=None)).value.providers
    assert [(p.seq, p.name) for p in providers] == [(1, "杭州数智科技有限公司"), (2, "重庆嘉宏智能制造技术股份2有限公司"),
                                                   (3, "重庆嘉宏智能制造技术股份3有限公司")]


def _cut_record(upper_name: str, upper_top: float) -> list[dict]:
    """Providers 1 and 2 under a header; a rule (a stroke) at 140 cut record 1 between its name's lines: the
    grid row above it holds `upper_name` at `upper_top`, the row below the key 1 beside the name's second
    line ('公司') and the capability centred on the record."""
    from pipeline.tables.appendix import Layout, iter_rows
    from pipeline.tables.cells import CellText
    from pipeline.tables.geometry import Cell, Grid
    from pipeline.tables.headers import SPEC_BY_KEY

    xs, ys = [80.0, 116.0, 252.0, 340.0, 508.0], [107.0, 129.0, 140.0, 163.0, 185.0]

    def cell(row: int, col: int, words: tuple[Word, ...]) -> CellText:
        box = (xs[col], ys[row], xs[col + 1], ys[row + 1])
        return CellText(Cell(row, col, 1, 1, box), box, words, "\n".join(w.text for w in words))

    rows: list[list[tuple[Word, ...]]] = [
        [(Word("序号", (85.0, 110.0, 105.0, 124.0)),), (Word("服务商名称", (150.0, 110.0, 210.0, 124.0)),),
         (Word("主要服务行业", (260.0, 110.0, 330.0, 124.0)),), (Word("核心能力", (380.0, 110.0, 430.0, 124.0)),)],
        [(), (Word(upper_name, (120.0, upper_top, 250.0, upper_top + 12.0)),), (), ()],
        [(Word("1", (93.0, 142.3, 99.0, 153.3)),), (Word("公司", (120.0, 146.4, 145.0, 158.0)),), (),
         (Word("5G工业专网建设与运维", (345.0, 141.0, 470.0, 153.0)),)],
        [(Word("2", (93.0, 168.0, 99.0, 180.0)),), (Word("宁波宏隆自动化股份有限公司", (120.0, 168.0, 250.0, 180.0)),), (),
         (Word("工业网络安全评估与防护", (345.0, 168.0, 470.0, 180.0)),)]]
    cells = [cell(r, c, words) for r, row in enumerate(rows) for c, words in enumerate(row)]
    grid = Grid(xs=xs, ys=ys, cells=[c.cell for c in cells], rules=[], virtual=[])
    table = Table(page=1, grid=grid, frame=Frame(), cells=cells)
    layout = Layout.by_position(table, SPEC_BY_KEY["providers"])
    assert layout is not None
    return list(iter_rows(table, layout, 1))


def test_the_upper_part_of_a_record_a_stroke_cut_off_is_read_with_the_record_its_key_is_centred_on() -> None:
    records = _cut_record("绍兴和昌网络科技股份有限", 131.0)
    assert [(r["seq"].value, r["name"].value) for r in records] == [(1, "绍兴和昌网络科技股份有限公司"),
                                                                    (2, "宁波宏隆自动化股份有限公司")]


def test_a_record_whose_key_was_lost_is_not_joined_to_the_next() -> None:
    """The row above holds a name of its own far above the next key: with it the text would stand further
    from the key's middle than without (a record whose 序号 was lost, not a part of the next)."""
    records = _cut_record("杭州数智科技有限公司", 96.0 + 33.0 - 2.0)
    assert len(records) == 3
