"""Rows where the rules between them are faint, broken or missing: found from the key column and the text's gaps."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from models.page import Word
from pipeline.tables import find_tables
from pipeline.tables.finder import text_table
from pipeline.tables.geometry import Frame, Grid, Rule, build_grid
from pipeline.tables.rows import (
    PageInk,
    TextLine,
    consecutive_keys,
    free_gaps,
    least_cut,
    row_cuts,
    stacked_keys_apart,
)
from tests.fixtures.tables.synth import Defects, Sheet, STable, render

# Wrapped cells (several lines in one cell) that must stay one row, between single-line rows.
PROVIDERS = [["序号", "服务商名称", "主要服务行业（3个以内）", "核心能力（50字以内）"],
             ["1", "杭州数智科技有限公司", "机械、汽车", "工业软件与\n数据治理服务"],
             ["2", "宁波云联信息技术有限公司", "纺织", "设备联网"],
             ["3", "温州精工", "电子信息制造", "质量追溯\n与预测维护\n平台"],
             ["4", "台州智造服务有限公司", "汽车零部件", "产线改造"]]
TRAININGS = [["日期", "培训或活动名称", "参训人数"],
             ["2024/3/15", "数字化转型\n专题培训", "45"],
             ["2024/5/20", "智能制造现场会", "120"],
             ["2024/9/8", "工业互联网\n平台应用\n研讨会", "60"]]


def _table(rows: list[list[str]], widths: list[float], rules: str = "all") -> STable:
    heights = [26.0] + [12.0 + 14.5 * max(cell.count("\n") + 1 for cell in row) for row in rows[1:]]
    table = STable.simple(50, 150, widths, rows, rules=rules)  # type: ignore[arg-type]
    table.row_heights = heights
    return table


def _only(page):
    finding = find_tables(page, keyed_rows=True)
    assert len(finding.tables) == 1, finding.groups
    return finding.tables[0]


@pytest.mark.parametrize("row_rules", ["drawn", "faint", "broken", "missing"])
@pytest.mark.parametrize("dpi", [150, 300])
def test_provider_rows_from_the_seq_column(tmp_path: Path, dpi: int, row_rules: str) -> None:
    page = render(Sheet(tables=[_table(PROVIDERS, [40, 170, 130, 150])]), tmp_path, dpi=dpi,
                  defects=Defects(row_rules=row_rules))  # type: ignore[arg-type]
    assert _only(page).texts() == PROVIDERS


@pytest.mark.parametrize("row_rules", ["faint", "broken", "missing"])
def test_training_rows_from_the_date_column(tmp_path: Path, row_rules: str) -> None:
    page = render(Sheet(tables=[_table(TRAININGS, [90, 200, 80])]), tmp_path, dpi=200,
                  defects=Defects(row_rules=row_rules))  # type: ignore[arg-type]
    assert _only(page).texts() == TRAININGS


def test_rows_from_text_alone_keep_wrapped_cells(tmp_path: Path) -> None:
    """No rules at all: a row per 序号, not a row per text line."""
    page = render(Sheet(tables=[_table(PROVIDERS, [40, 170, 130, 150], rules="none")]), tmp_path)
    table = text_table(page)
    assert table is not None and table.texts() == PROVIDERS


def test_wrapped_cells_without_a_key_column_are_not_split(tmp_path: Path) -> None:
    """A table whose first column holds names, not keys: the missing rules are not guessed."""
    rows = [["名称", "说明"], ["甲公司", "第一行\n第二行"], ["乙公司", "一行"]]
    page = render(Sheet(tables=[_table(rows, [120, 200])]), tmp_path, defects=Defects(row_rules="missing"))
    assert len(_only(page).texts()) == 2  # header + the two data rows read as one


def test_faint_rule_beats_the_widest_gap() -> None:
    """A faint rule the finder missed sits near the top of the gap: the cut goes there, not mid-gap."""
    image = np.full((200, 400), 255, np.uint8)
    image[60, 20:380] = 240
    ink = PageInk(image, 1.0)
    assert ink.faint_rule(Frame(), 10.0, 390.0, 50.0, 90.0) == pytest.approx(60.0, abs=1.0)
    noisy = np.clip(255 - np.abs(np.random.default_rng(1).normal(0, 8, image.shape)), 0, 255).astype(np.uint8)
    assert PageInk(noisy, 1.0).faint_rule(Frame(), 10.0, 390.0, 50.0, 90.0) is None


def test_free_gaps_and_keys() -> None:
    assert free_gaps([(10, 20), (18, 30), (40, 50)], 0, 60) == [(0, 10), (30, 40), (50, 60)]
    assert TextLine("12", 0, 1).is_key and TextLine("2024年3月5日", 0, 1).is_key
    assert not TextLine("2024.3.1-", 0, 1).is_key and not TextLine("MES系统", 0, 1).is_key


def test_wobbly_words_do_not_make_a_row(tmp_path: Path) -> None:
    """OCR boxes of one line at slightly different heights are still one line of one row."""
    page = render(Sheet(tables=[_table(PROVIDERS, [40, 170, 130, 150])]), tmp_path,
                  defects=Defects(row_rules="missing"))
    page.words = [Word(w.text, (w.bbox[0], w.bbox[1] + (0.8 if i % 2 else -0.8), w.bbox[2],
                                w.bbox[3] + (0.8 if i % 2 else -0.8)), w.confidence, w.source)
                  for i, w in enumerate(page.words)]
    assert _only(page).texts() == PROVIDERS


def _lost_key_table(draw_one: bool, one_wide: float = 3.0) -> tuple[Grid, list[Word], PageInk]:
    """序号 | 名称 with no rule between its two records, names filling their cells (no short line ends
    to part them), the first record's 1 printed but not read; 1 pixel per point."""
    image = np.full((120, 210), 255, np.uint8)
    if draw_one:
        image[36:46, 17:round(17 + one_wide)] = 0
    words = [Word("序号", (8, 5, 32, 17)), Word("名称", (100, 5, 124, 17)),
             Word("杭州数智科技有限公司工业软件与数据治理服务", (42, 35, 198, 47)),
             Word("宁波云联信息技术有限公司设备联网与数据服务", (42, 60, 198, 72)), Word("2", (15, 60, 22, 72)),
             Word("温州精工智能装备有限公司质量追溯与预测维护", (42, 85, 198, 97)), Word("3", (15, 85, 22, 97))]
    rules = [Rule("h", y, 0, 200) for y in (0, 30, 110)] + [Rule("v", x, 0, 110) for x in (0, 40, 200)]
    grid = build_grid(rules)
    assert grid is not None
    return grid, words, PageInk(image, 1.0)


def test_a_seq_the_ocr_lost_still_parts_its_record_by_its_ink() -> None:
    """OCR drops a lone 1 more than any other text; its ink stays, and the record it opens stays apart."""
    grid, words, ink = _lost_key_table(draw_one=True)
    without = sorted(cut.pos for cut in row_cuts(grid, Frame(), words, None))
    assert len(without) == 1 and 72 <= without[0] <= 85  # the text alone parts 2 from 3 only
    cuts = sorted(cut.pos for cut in row_cuts(grid, Frame(), words, ink))
    assert len(cuts) == 2 and 47 <= cuts[0] <= 60 and cuts[1] == without[0]


def test_a_seq_read_as_marks_alone_still_parts_its_record_by_its_ink() -> None:
    """A blurred photo's 1 read as '=€' under a read 4 (dev36 a02's institutions: 4 and the next category's 1
    one record): marks without a letter or digit cover the key's ink with no key, and the ink is looked at
    as a lost key's."""
    grid, words, _ = _lost_key_table(draw_one=False)
    image = np.full((120, 210), 255, np.uint8)
    image[61:71, 17:20] = 0  # the key read as marks
    words = [w for w in words if w.text != "2"] + [Word("1", (15, 35, 22, 47)), Word("=€", (16, 60, 21, 72), 0.56)]
    cuts = sorted(cut.pos for cut in row_cuts(grid, Frame(), words, PageInk(image, 1.0)))
    assert len(cuts) == 2 and 47 <= cuts[0] <= 60 and 72 <= cuts[1] <= 85


@pytest.mark.parametrize("draw_one, wide", [(False, 3.0), (True, 20.0)])
def test_no_ink_or_ink_wider_than_a_seq_is_no_lost_key(draw_one: bool, wide: float) -> None:
    grid, words, ink = _lost_key_table(draw_one, wide)
    assert len(row_cuts(grid, Frame(), words, ink)) == 1


def test_a_pale_seq_the_ocr_lost_broken_in_two_strokes_still_parts_its_record() -> None:
    """A phone photo's grey print: the read keys' strokes are mid-grey, the lost 7 paler still and broken
    into its bar and its stem, each shorter than a key; halfway between the paper and the read keys'
    strokes is its ink, and the two strokes a small gap apart are one glyph."""
    grid, words, _ = _lost_key_table(draw_one=False)
    image = np.full((120, 210), 255, np.uint8)
    for x0, y0 in ((15, 60), (15, 85)):  # the read 2 and 3: strokes over a third of their boxes, grey 150
        image[y0 + 1:y0 + 11, x0 + 1:x0 + 4] = 150
    image[36:39, 15:23] = 185  # the lost key's bar ...
    image[41:45, 19:22] = 185  # ... and its stem, two pixel rows below
    without = sorted(cut.pos for cut in row_cuts(grid, Frame(), words, None))
    cuts = sorted(cut.pos for cut in row_cuts(grid, Frame(), words, PageInk(image, 1.0)))
    assert len(without) == 1 and len(cuts) == 2 and 45 <= cuts[0] <= 60 and cuts[1] == without[0]


def test_a_cut_with_no_gap_between_lines_cuts_them_least() -> None:
    """A two-line cell centred on its row reaches above the row's key: the cut is where the lines touch."""
    spans = [(123.8, 137.3), (136.8, 149.3), (149.3, 161.8)]
    assert least_cut(spans, 132.0, 145.4) == pytest.approx(137.0, abs=0.5)


def test_a_tall_box_over_a_seal_is_cut_by_its_share() -> None:
    """A wrapped tail (公司) and an amount whose box OCR stretched over a seal's star: the cut goes under
    the tail, through the tall box's top (a small share of it), not through the tail's middle."""
    spans = [(195.4, 210.7), (202.1, 230.9)]
    assert 209.0 <= least_cut(spans, 202.1, 213.1) <= 211.0


def _stacked_key_table(key: str, second_name: bool = True) -> tuple[Grid, list[Word]]:
    """序号 | 名称, the rule between records 2 and 3 lost and the OCR's one box over the keys 2 and 3
    stacked (`key`, two keys tall); 1 point a pixel."""
    words = [Word("序号", (8, 5, 32, 17)), Word("名称", (100, 5, 124, 17)),
             Word("1", (15, 33, 22, 45)), Word("北京银行深圳分行", (42, 33, 160, 45)),
             Word(key, (14, 50, 23, 74)), Word("招商银行深圳分行", (42, 50, 160, 62)),
             Word("4", (15, 80, 22, 92)), Word("深圳启科科技融资担保有限公司", (42, 80, 198, 92))]
    if second_name:
        words.append(Word("深圳创汇创业投资有限公司", (42, 63, 190, 75)))
    rules = [Rule("h", y, 0, 200) for y in (0, 30, 47, 77, 95)] + [Rule("v", x, 0, 95) for x in (0, 40, 200)]
    grid = build_grid(rules)
    assert grid is not None
    return grid, words


def test_keys_stacked_in_one_ocr_box_are_cut_apart() -> None:
    """'2' over '3' read as one word '23' two keys tall, two names beside it: two records, cut between."""
    grid, words = _stacked_key_table("23")
    apart = stacked_keys_apart(grid, Frame(), words)
    keys = [word for word in apart if word.bbox[0] < 40 and word.bbox[1] > 20]
    assert [word.text for word in keys] == ["1", "2", "3", "4"]
    assert keys[1].bbox[3] <= keys[2].bbox[1] + 0.01
    cuts = [cut.pos for cut in row_cuts(grid, Frame(), apart)]
    assert any(62 <= y <= 63 for y in cuts)
    assert not any(47 < y < 77 for y in (cut.pos for cut in row_cuts(grid, Frame(), words)))


@pytest.mark.parametrize("key, second_name", [("24", True), ("23", False)])
def test_a_tall_key_that_is_no_run_or_has_one_line_beside_stays(key: str, second_name: bool) -> None:
    grid, words = _stacked_key_table(key, second_name)
    assert stacked_keys_apart(grid, Frame(), words) == words


def test_consecutive_keys() -> None:
    assert consecutive_keys("23", 2) == ["2", "3"]
    assert consecutive_keys("910", 2) == ["9", "10"]
    assert consecutive_keys("111213", 3) == ["11", "12", "13"]
    assert consecutive_keys("24", 2) is None and consecutive_keys("2", 1) is None and consecutive_keys("2a", 2) is None


def test_keys_stacked_in_one_box_read_bottom_up_are_cut_apart_top_down() -> None:
    """dev45 a01's financings: '2' over '3' in one box two keys tall read '32' (a box two lines tall read as
    one line takes its characters in no fixed order): keys 2 and 3, 2 above, and the two records part."""
    assert consecutive_keys("32", 2) == ["2", "3"] and consecutive_keys("109", 2) == ["9", "10"]
    grid, words = _stacked_key_table("32")
    apart = stacked_keys_apart(grid, Frame(), words)
    keys = [word.text for word in sorted(apart, key=lambda word: word.bbox[1]) if word.bbox[0] < 40 and word.bbox[1] > 20]
    assert keys == ["1", "2", "3", "4"]
    assert any(62 <= y <= 63 for y in (cut.pos for cut in row_cuts(grid, Frame(), apart)))


# Dates a narrow column wrapped: the head opens the record, the tail ('11日', '日') is part of its key.
CONTRACTS = [["日期", "合同编号", "服务企业名称", "金额"],
             ["2024年1月16\n日", "HT20240007", "绍兴祥博船用设备有限公司", "125.4"],
             ["2024年2月4日", "HT20240011", "绍兴祥博船用设备有限公司", "54.6"],
             ["2024年10月\n11日", "HT20240036", "绍兴易宇医疗器械有限公司", "9.36"],
             ["2024年11月\n13日", "HT20240040", "昆明易弘制药有限公司", "83"],
             ["2024年11月\n28日", "HT20240043", "绍兴中海制药集团有限公司", "192.68"],
             ["2025年\n1月2日", "HT20250054", "台州卓腾船舶配套有限公司", "25.46"]]


@pytest.mark.parametrize("row_rules", ["faint", "missing"])
def test_contract_rows_from_dates_a_narrow_column_wrapped(tmp_path: Path, row_rules: str) -> None:
    page = render(Sheet(tables=[_table(CONTRACTS, [75, 100, 170, 60])]), tmp_path, dpi=200,
                  defects=Defects(row_rules=row_rules))  # type: ignore[arg-type]
    assert _only(page).texts() == CONTRACTS


def test_a_wrapped_dates_head_is_a_key_and_its_tail_no_other_figure() -> None:
    assert all(TextLine(head, 0, 1).is_key for head in ("2024年10月", "2024年", "2024年1月16", "2024.10"))
    assert all(TextLine(tail, 0, 1).is_date_tail for tail in ("日", "11日", "5月28日"))
    assert not any(TextLine(text, 0, 1).is_date_tail for text in ("11", "2024年1月1日", "工作日志"))
    assert not TextLine("2024", 0, 1).is_key and not TextLine("20245", 0, 1).is_key


def test_a_border_along_the_pages_edge_joins_no_table(tmp_path: Path) -> None:
    """A photo's or a scan's border drawn round the whole page is no table: the table inside it is found
    with its own rows, not as one cell of a page-sized box."""
    width, height = 595.0, 842.0
    border = [(0.5, 0.5, width - 0.5, 0.5), (0.5, height - 0.5, width - 0.5, height - 0.5),
              (0.5, 0.5, 0.5, height - 0.5), (width - 0.5, 0.5, width - 0.5, height - 0.5)]
    page = render(Sheet(tables=[_table(TRAININGS, [90, 200, 80])], strokes=border), tmp_path, dpi=150)
    assert _only(page).texts() == TRAININGS


def _centred_records(centred: bool) -> tuple[Grid, list[Word]]:
    """序号 | 名称 | 核心能力, the rule between records 6 and 7 lost; record 6's capability five lines, record 7's
    name two: each cell's lines centred on its key (Word's centred cells), boxes padded over the lost rule so
    that no blank runs between the records across the table (dev13 a12's providers); or, not `centred`, the
    capability's lines starting level with the key. 1 point a pixel."""
    first = 12.0 if centred else 36.0  # the capability's first line: centred on the key at 42, or level with it
    capability = [Word(text, (150, first + 12 * index - 6, 290, first + 12 * index + 7))
                  for index, text in enumerate(["具备工业互联网平台、边缘计算网关、", "数据中台和工业APP的自主研发能",
                                                "力，可为纺织印染企业提供生产全流程", "数字化管控、能耗优化与质量追溯一体",
                                                "化解决方案"])]
    words = [Word("6", (15, 36, 22, 48)), Word("贵阳云鼎工业技术有限公司", (42, 36, 140, 48)), *capability,
             Word("7", (15, 72, 22, 84)), Word("福州致星智能科技股份有限公", (42, 65, 140, 78)),
             Word("司", (42, 77, 54, 90)), Word("工业网络安全评估与防护", (150, 72, 280, 84))]
    rules = [Rule("h", y, 0, 300) for y in (0, 100)] + [Rule("v", x, 0, 100) for x in (0, 40, 145, 300)]
    grid = build_grid(rules)
    assert grid is not None
    return grid, words


def test_records_centred_on_their_keys_part_after_the_long_cell() -> None:
    """No blank parts the records across the table, and the lines are cut least just under key 6: but each
    line of the long cell has its mirror image about key 6's middle, and the two-line name its own about
    key 7's, so the records part under the capability's last line (above the name of 7)."""
    grid, words = _centred_records(centred=True)
    cuts = [cut.pos for cut in row_cuts(grid, Frame(), words, None)]
    spans = [(w.bbox[1], w.bbox[3]) for w in words]
    assert least_cut(spans, 48.0, 72.0) < 56.0  # what the lines alone said: two capability lines went to 7
    assert len(cuts) == 1 and 65.0 <= cuts[0] <= 67.0


def test_records_not_centred_part_as_before() -> None:
    """Lines that start level with their key mirror nothing about it: the lines' least cut stands."""
    grid, words = _centred_records(centred=False)
    spans = [(w.bbox[1], w.bbox[3]) for w in words]
    cuts = [cut.pos for cut in row_cuts(grid, Frame(), words, None)]
    assert cuts == [pytest.approx(least_cut(spans, 48.0, 72.0))]


def test_a_wrapped_tail_under_a_key_on_its_first_line_stays_with_its_record() -> None:
    """dev26 a10's fax: keys on their records' first lines, each name wrapped ('…有限公' · '司'). The upper
    record's 司 mirrors the lower record's 司 about the lower key's middle, and nothing about its own key (no line
    of its record above the key): the upper record is not shown centred, and the lines' least cut stands."""
    words = [Word("2024年3月24", (10, 180.5, 60, 200.2)), Word("石家庄鼎达电力设备股份有限公", (70, 181.4, 200, 199.2)),
             Word("司", (70, 197.3, 82, 211.2)), Word("2024年8月4", (10, 210.2, 60, 226.6)),
             Word("石家庄鼎达电力设备股份有限公", (70, 209.3, 200, 226.6)), Word("司", (70, 225.1, 82, 241.0))]
    rules = [Rule("h", y, 0, 210) for y in (170, 250)] + [Rule("v", x, 170, 250) for x in (0, 65, 210)]
    grid = build_grid(rules)
    assert grid is not None
    cuts = [cut.pos for cut in row_cuts(grid, Frame(), words, None)]
    assert len(cuts) == 1 and 209.0 <= cuts[0] <= 211.2


def test_keys_of_a_column_beside_a_margin_the_scan_ruled_off_are_its_records() -> None:
    """dev32 a03's contracts: a scan's noise ruled a margin off left of the table (x 0-20), and the rows whose
    border to it broke read their dates as the margin's (cells spanning both columns). Two dates in one cell
    of the real date column (its rule between them lost) are still two records: the margin, holding no text
    of its own, is no key column."""
    words = [Word("日期", (25, 5, 60, 15)), Word("名称", (100, 5, 130, 15)),
             Word("2024.01.15", (25, 25, 70, 35)), Word("杭州致智电子股份有限公司", (85, 25, 190, 35)),
             Word("2024.01.17", (25, 45, 70, 55)), Word("济南兴正光电有限公司", (85, 45, 190, 55)),
             Word("2025.07.21", (25, 63, 70, 75)), Word("杭州锐兴智能终端集团有限公司", (85, 63, 190, 75)),
             Word("2025.09.16", (25, 85, 70, 97)), Word("杭州德辰电子元件集团有限公司", (85, 85, 190, 97))]
    rules = [Rule("h", y, 0, 200) for y in (0, 20, 40, 60, 100)] + \
        [Rule("v", x, 0, 100) for x in (0, 80, 200)] + [Rule("v", 20, 0, 20), Rule("v", 20, 60, 100)]
    grid = build_grid(rules)
    assert grid is not None and any(cell.col == 0 and cell.col_span == 2 for cell in grid.cells)
    cuts = [cut.pos for cut in row_cuts(grid, Frame(), words, None)]
    assert any(75 <= y <= 85 for y in cuts)


def _keys_all_lost_table(header: str) -> tuple[Grid, list[Word], PageInk]:
    """`header` | 名称 over three records, no rule between them (one name cell), none of the three keys read:
    their pale grey ink printed (each a bar and a base a small gap apart, as a phone photo leaves a 2);
    1 point a pixel."""
    image = np.full((140, 210), 255, np.uint8)
    words = [Word(header, (8, 5, 32, 17)), Word("名称", (100, 5, 124, 17)),
             Word("杭州数智科技工业软件数据治理", (42, 38, 198, 52)),
             Word("宁波云联信息技术设备联网服务", (42, 68, 198, 82)),
             Word("温州精工智能装备质量追溯维护", (42, 98, 198, 112))]
    for word in words:
        x0, y0, x1, y1 = word.bbox
        image[round(y0) + 3:round(y1) - 3, round(x0) + 2:round(x1) - 2:3] = 110  # the read print's strokes
    for top in (40, 70, 100):
        image[top:top + 4, 17:21] = 170  # a lost key's upper stroke ...
        image[top + 6:top + 9, 16:22] = 170  # ... and its base, a small gap below
    rules = [Rule("h", y, 0, 200) for y in (0, 30, 125)] + [Rule("v", x, 0, 125) for x in (0, 40, 200)]
    grid = build_grid(rules)
    assert grid is not None
    return grid, words, PageInk(image, 1.0)


def test_records_whose_keys_the_ocr_all_lost_part_by_the_ink_under_a_seq_header() -> None:
    """dev32 a02's providers, a phone photo: the page's reading lost every pale 序号, no key column was found
    and four records whose rules were lost were one (their names run together in one cell). The column the
    header names 序号 is looked at for keys' ink, a key's height taken from the table's lines."""
    grid, words, ink = _keys_all_lost_table("序号")
    assert row_cuts(grid, Frame(), words, None) == []
    cuts = sorted(cut.pos for cut in row_cuts(grid, Frame(), words, ink))
    assert len(cuts) == 2 and 52 <= cuts[0] <= 68 and 82 <= cuts[1] <= 98


def test_ink_in_a_column_no_header_names_seq_parts_nothing() -> None:
    grid, words, ink = _keys_all_lost_table("类别")
    assert row_cuts(grid, Frame(), words, ink) == []


def test_a_key_cell_opening_with_the_header_still_parts_its_last_record_from_the_next() -> None:
    """dev48 a06 p11: no rule parts the header from the first records in the date column, so its cell opens
    with '日期' over three dates; the rule under it (drawn in the date column only) still parts the third record
    from the fourth across the names' column, whose cell the broken rule left spanning both."""
    words = [Word("日期", (10, 5, 40, 17)), Word("名称", (100, 5, 130, 17)),
             Word("2024年2月3日", (5, 35, 75, 47)), Word("甲公司", (90, 35, 140, 47)),
             Word("2024年3月19日", (5, 62, 75, 74)), Word("乙公司", (90, 62, 140, 74)),
             Word("2024年5月1日", (5, 89, 75, 101)), Word("丙公司", (90, 89, 140, 101)),
             Word("2024年7月1日", (5, 116, 75, 128)), Word("丁公司", (90, 116, 140, 128))]
    rules = [Rule("h", 0, 0, 200), Rule("h", 110, 0, 80), Rule("h", 137, 0, 200)]
    rules += [Rule("v", x, 0, 137) for x in (0, 80, 200)]
    grid = build_grid(rules)
    assert grid is not None
    cuts = sorted(round(cut.pos) for cut in row_cuts(grid, Frame(), words))
    assert 110 in cuts
