"""Ruled-table geometry, words into cells, and the appendix tables across pages (drawn pages, no OCR)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from models import Provenance
from models.page import Word
from pipeline.config import Settings
from pipeline.tables import extract_appendix, find_tables
from pipeline.tables.cells import drop_double_reads, split_word
from pipeline.tables.debug import draw_finding
from pipeline.tables.finder import text_table
from pipeline.tables.geometry import Rule, bridge_gaps, build_grid, drop_sliver_rows, merge_rules
from pipeline.tables.values import FieldValue, second_opinion, typed, well_formed
from tests.fixtures.tables.synth import SEAL_TEXT, Defects, SCell, Sheet, STable, render
from tests.fixtures.tables.textpdf import make_pdf, page_from_pdf

SETTINGS = Settings(cache_dir=None)


@pytest.fixture(autouse=True)
def no_ocr_engine(monkeypatch: pytest.MonkeyPatch) -> None:
    """Drawn pages come with exact words; tests that re-read cells pass their own engine."""
    monkeypatch.setattr("pipeline.tables.appendix.ocr_engine", lambda pages, settings: None)
    monkeypatch.setattr("pipeline.tables.appendix.second_reader", lambda settings: lambda page: None)
    monkeypatch.setattr("pipeline.tables.appendix.second_readers", lambda settings: lambda page: None)


def product_table(y: float = 120.0) -> STable:
    """附2表1 with 类别 merged over its rows and a two-line name."""
    table = STable(60, y, [90, 50, 300], [26, 26, 40, 26, 26, 26], [
        SCell(0, 0, "类别"), SCell(0, 1, "序号"), SCell(0, 2, "名称"),
        SCell(1, 0, "数字化产品", row_span=3), SCell(1, 1, "1"), SCell(1, 2, "工业互联网平台"),
        SCell(2, 1, "2"), SCell(2, 2, "设备管理系统\n（二期）"), SCell(3, 1, "3"), SCell(3, 2, "MES系统"),
        SCell(4, 0, "解决方案", row_span=2), SCell(4, 1, "1"), SCell(4, 2, "智能工厂方案"),
        SCell(5, 1, "2"), SCell(5, 2, "质量追溯"),
    ])
    return table


EXPECTED_PRODUCT_TEXT = [
    ["类别", "序号", "名称"], ["数字化产品", "1", "工业互联网平台"], ["", "2", "设备管理系统\n（二期）"],
    ["", "3", "MES系统"], ["解决方案", "1", "智能工厂方案"], ["", "2", "质量追溯"],
]


def only_table(page):
    finding = find_tables(page)
    assert len(finding.tables) == 1, finding.groups
    return finding.tables[0]


# --- pure geometry ------------------------------------------------------------------------


def test_merge_joins_collinear_pieces_and_snaps_positions() -> None:
    pieces = [Rule("h", 100.0, 10, 60), Rule("h", 101.2, 62, 120), Rule("h", 100.4, 200, 250), Rule("v", 10, 90, 140)]
    merged = merge_rules(pieces)
    horizontals = sorted((r for r in merged if r.orient == "h"), key=lambda r: r.start)
    assert [(r.start, r.end) for r in horizontals] == [(10, 120), (200, 250)]
    assert 100.0 <= horizontals[0].pos <= 101.2


def test_gap_bridged_only_where_hidden() -> None:
    rules = [Rule("h", 50, 0, 100), Rule("h", 50, 160, 300), Rule("h", 80, 0, 100), Rule("h", 80, 160, 300)]
    bridged = bridge_gaps(rules, lambda rule, start, end: rule.pos == 50)
    assert sorted((r.pos, r.start, r.end) for r in bridged) == [(50, 0, 300), (80, 0, 100), (80, 160, 300)]


def test_spans_from_missing_rules() -> None:
    # 3x3 grid; the rule between rows 1 and 2 is missing in column 0 (a merged 类别 cell).
    rules = [Rule("v", x, 0, 90) for x in (0, 50, 100, 150)]
    rules += [Rule("h", 0, 0, 150), Rule("h", 30, 0, 150), Rule("h", 60, 50, 150), Rule("h", 90, 0, 150)]
    grid = build_grid(rules)
    assert grid is not None and (grid.n_rows, grid.n_cols) == (3, 3)
    merged = grid.cell_at(2, 0)
    assert merged is not None and (merged.row, merged.row_span, merged.col_span) == (1, 2, 1)
    assert grid.cell_at(1, 1) is not grid.cell_at(2, 1)


def test_missing_outer_rules_are_virtual() -> None:
    rules = [Rule("h", y, 0, 300) for y in (20, 50, 80)] + [Rule("v", x, 20, 80) for x in (100, 200)]
    grid = build_grid(rules)
    assert grid is not None and grid.n_cols == 3 and grid.xs[0] == 0 and grid.xs[-1] == 300
    assert {r.orient for r in grid.virtual} == {"v"}


def test_sliver_below_the_last_rule_is_not_a_row() -> None:
    """A stroke running 9 pt past the bottom rule (a seal's star) moves the extent: no row for the sliver."""
    rules = [Rule("v", x, 0, 100) for x in (0, 100, 200)] + [Rule("v", 150, 0, 109)]
    rules += [Rule("h", y, 0, 200) for y in (0, 25, 50, 75, 100)]
    grid = build_grid(rules)
    assert grid is not None and grid.n_rows == 5  # the sliver as built
    trimmed = drop_sliver_rows(grid)
    assert trimmed.n_rows == 4 and trimmed.ys[-1] == pytest.approx(100)
    assert all(cell.bbox[3] <= 100 + 1e-6 for cell in trimmed.cells)


def test_a_rule_found_as_two_pieces_a_few_points_apart_is_one_row_boundary() -> None:
    """dev12 a12 (phone): a row rule photographed askew was found as a full piece at 50 and, in three of
    five columns, one 3.1 pt lower. No line of print fits between them: one boundary, not a sliver row
    whose merged cells put the record on two rows."""
    rules = [Rule("v", x, 0, 100) for x in (0, 50, 100, 150, 200, 250)]
    rules += [Rule("h", y, 0, 250) for y in (0, 25, 50, 75, 100)]
    rules += [Rule("h", 53.1, 50, 150), Rule("h", 53.1, 200, 250)]
    grid = build_grid(rules)
    assert grid is not None and grid.n_rows == 4 and grid.ys[2] == pytest.approx(50)  # the full rule's height
    assert all(cell.row_span == 1 for cell in grid.cells)


def test_a_double_rule_drawn_across_keeps_both_boundaries() -> None:
    rules = [Rule("v", x, 0, 100) for x in (0, 100, 200)] + [Rule("h", y, 0, 200) for y in (0, 25, 50, 54, 75, 100)]
    grid = build_grid(rules)
    assert grid is not None and grid.n_rows == 5


def test_thin_last_row_closed_by_a_rule_stays() -> None:
    rules = [Rule("v", x, 0, 110) for x in (0, 100, 200)] + [Rule("h", y, 0, 200) for y in (0, 25, 50, 75, 100, 110)]
    grid = build_grid(rules)
    assert grid is not None and drop_sliver_rows(grid).n_rows == 5


def test_a_glyph_read_twice_is_kept_once() -> None:
    """A re-read of the last character, boxed over the end of the word that already holds it, is dropped."""
    name = Word("某某有限公", (160.0, 106.0, 289.0, 119.0))
    again = Word("公", (286.0, 104.0, 292.0, 118.0))
    last = Word("司", (220.0, 120.0, 230.0, 131.0))
    beside = Word("公", (300.0, 106.0, 310.0, 119.0))  # a character of its own next to the word stays
    assert drop_double_reads([name, again, last, beside]) == [name, last, beside]


def test_word_across_a_cell_edge_is_cut() -> None:
    word = Word("甲乙丙丁", (0.0, 0.0, 40.0, 10.0))
    pieces = split_word(word, [20.0])
    assert [p.text for p in pieces] == ["甲乙", "丙丁"]
    assert pieces[0].bbox[2] == pytest.approx(20.0)


def test_digit_and_cjk_across_a_cell_edge_are_cut_by_width() -> None:
    """A 序号 digit read together with its name: the digit is half as wide as a CJK character."""
    # "3" is ~5.5 pt wide, each CJK character 10 pt: the column edge sits after the digit.
    word = Word("3台州锐星", (0.0, 0.0, 45.5, 10.0))
    assert [p.text for p in split_word(word, [7.0])] == ["3", "台州锐星"]


def test_a_word_box_overshooting_an_edge_by_under_a_character_is_not_cut() -> None:
    """OCR pads a line's box: a name's first character must not be cut off into the column before."""
    word = Word("绿色低碳数字化", (248.5, 0.0, 329.5, 18.0))  # ~11.6 pt a character
    assert [p.text for p in split_word(word, [257.6])] == ["绿色低碳数字化"]


# --- drawn scans --------------------------------------------------------------------------


@pytest.mark.parametrize("dpi", [150, 300])
def test_merged_cells_and_multiline_cell(tmp_path: Path, dpi: int) -> None:
    page = render(Sheet(tables=[product_table()]), tmp_path, dpi=dpi)
    table = only_table(page)
    assert table.texts() == EXPECTED_PRODUCT_TEXT
    category = table.grid.cell_at(2, 0)
    assert category is not None and category.row_span == 3
    assert draw_finding(page, find_tables(page)).shape[:2] == (round(842 * dpi / 72), round(595 * dpi / 72))


def test_rule_broken_by_a_seal(tmp_path: Path) -> None:
    """The print layer lost the rule under the seal's ink: the seal mask says the gap is hidden, not absent."""
    page = render(Sheet(tables=[product_table()]), tmp_path, defects=Defects(seal_at=(200, 175), seal_erases_rules=True))
    assert page.seal_path is not None
    assert only_table(page).texts() == EXPECTED_PRODUCT_TEXT


SEALED_ROWS = [["日期（年/月/日）", "合同编号", "服务企业名称", "合同金额(万元)"]] + [
    [f"2024/{m}/{m + 2}", f"HT-2024-{m:03d}", f"某某{m}号公司", f"{m * 1000 + 234.5:,.1f}"] for m in range(1, 5)]
# The ring's left and right sides run down the name and amount columns, its right side over the last
# amount's first digit; its text sits in the last row; ring and text leave a grey ghost in the print layer.
SEALED = Defects(seal_at=(387, 258), seal_ghost=150, seal_read=True)


def test_seal_over_the_last_rows_leaves_the_cells_alone(tmp_path: Path) -> None:
    """No seal text in the cells, no column or row from the seal's ring, black print under the seal kept."""
    page = render(Sheet(tables=[STable.simple(50, 150, [100, 120, 170, 100], SEALED_ROWS)]), tmp_path, defects=SEALED)
    assert SEAL_TEXT in page.text  # the page OCR read the seal's text
    assert only_table(page).texts() == SEALED_ROWS


def test_seal_text_glued_to_a_cell_word_is_trimmed(tmp_path: Path) -> None:
    page = render(Sheet(tables=[STable.simple(50, 150, [100, 120, 170, 100], SEALED_ROWS)]), tmp_path, defects=SEALED)
    name = next(w for w in page.words if w.text == "某某4号公司")
    seal = next(w for w in page.words if w.text == SEAL_TEXT)
    glued = Word(name.text + seal.text, (name.bbox[0], min(name.bbox[1], seal.bbox[1]), seal.bbox[2],
                                         max(name.bbox[3], seal.bbox[3])), 0.9)
    page.words = [w for w in page.words if w not in (name, seal)] + [glued]
    assert only_table(page).texts()[4] == SEALED_ROWS[4]


def test_text_below_a_table_past_a_stroke_is_not_a_row(tmp_path: Path) -> None:
    """An inner column rule running on 9 pt past the bottom rule, 用章 under the table: no extra row."""
    table = STable.simple(50, 150, [100, 120, 170, 100], SEALED_ROWS)
    bottom = table.ys()[-1]
    sheet = Sheet(tables=[table], strokes=[(440, bottom, 440, bottom + 9)], texts=[(300, bottom + 1, "用章", 7)])
    found = only_table(render(sheet, tmp_path))
    assert found.texts() == SEALED_ROWS


def test_faint_broken_rules(tmp_path: Path) -> None:
    page = render(Sheet(tables=[product_table()]), tmp_path, dpi=200, defects=Defects(faint=True, dashed=True))
    assert only_table(page).texts() == EXPECTED_PRODUCT_TEXT


@pytest.mark.parametrize("grey", [246, 250])
def test_hairline_rules_a_few_grey_levels_below_white(tmp_path: Path, grey: int) -> None:
    page = render(Sheet(tables=[product_table()]), tmp_path, defects=Defects(hairline_grey=grey))
    assert only_table(page).texts() == EXPECTED_PRODUCT_TEXT


def test_skew_residue(tmp_path: Path) -> None:
    page = render(Sheet(tables=[product_table()]), tmp_path, defects=Defects(skew_deg=0.7))
    finding = find_tables(page)
    assert finding.frame.angle_deg == pytest.approx(-0.7, abs=0.15)
    assert finding.tables[0].texts() == EXPECTED_PRODUCT_TEXT


PROVIDER_ROWS = [["序号", "服务商名称", "主要服务行业（3个以内）", "核心能力（50字以内）"],
                 ["1", "杭州数智科技有限公司", "机械、汽车", "工业软件"],
                 ["2", "宁波云联信息技术有限公司", "纺织", "数据治理与分析服务"]]


@pytest.mark.parametrize("style", ["no_outer", "rows_only"])
def test_open_tables(tmp_path: Path, style: str) -> None:
    table = STable.simple(50, 150, [40, 170, 130, 150], PROVIDER_ROWS, rules=style)  # type: ignore[arg-type]
    page = render(Sheet(tables=[table]), tmp_path, dpi=200)
    assert only_table(page).texts() == PROVIDER_ROWS


def test_rules_only_between_rows_without_top_rule(tmp_path: Path) -> None:
    """Header above the first rule, columns from the text's gaps."""
    rows = [*PROVIDER_ROWS, ["3", "温州精工", "电子信息制造", "设备联网"]]
    table = STable.simple(50, 150, [40, 170, 130, 150], rows, rules="between_rows")
    page = render(Sheet(tables=[table]), tmp_path, dpi=200)
    texts = only_table(page).texts()
    assert texts[0] == PROVIDER_ROWS[0] and texts[1:3] == PROVIDER_ROWS[1:]


def test_table_from_text_alone(tmp_path: Path) -> None:
    page = render(Sheet(tables=[STable.simple(50, 150, [40, 170, 130, 150], PROVIDER_ROWS, rules="none")]), tmp_path)
    table = text_table(page)
    assert table is not None and table.texts() == PROVIDER_ROWS


# --- appendix tables across pages ----------------------------------------------------------

CONTRACT_HEADER = ["日期（年/月/日）", "合同编号", "服务企业名称", "合同金额(万元)"]
CONTRACTS = [[f"2024/{m}/{m + 2}", f"HT-2024-{m:03d}", f"浙江某某{m}号机械有限公司", f"{m * 10.5:,.1f}"]
             for m in range(1, 13)]
TITLE = "表2：已开展数字化改造实施服务的企业及项目清单（2024年、2025年）"


def contract_pages(tmp_path: Path, repeat_header: bool, kind: str = "scan") -> list:
    chunks = [CONTRACTS[:5], [["", "", "", ""], *CONTRACTS[5:9]], CONTRACTS[9:]]
    pages = []
    sheets = []
    for index, chunk in enumerate(chunks):
        rows = ([CONTRACT_HEADER] if index == 0 or repeat_header else []) + chunk
        if index == 2:
            rows = [*rows, ["注：1.申报单位（联合体牵头单位及涉及单位）加盖公章。", "", "", ""]]
        texts = [(50, 110, TITLE, 12)] if index == 0 else []
        sheets.append(Sheet(tables=[STable.simple(50, 150, [100, 120, 170, 100], rows)], texts=texts))
    if kind == "scan":
        for index, sheet in enumerate(sheets):
            page = render(sheet, tmp_path, name=f"p{index}", number=index + 1)
            page.role = "appendix2_table2" if index == 0 else None
            pages.append(page)
        return pages

    def drawer(sheet: Sheet):
        def draw(canvas) -> None:
            for table in sheet.tables:
                canvas.table(table)
            for x, y, text, size in sheet.texts:
                canvas.text(x, y, text, size)
        return draw

    path = make_pdf(tmp_path / "contracts.pdf", [drawer(s) for s in sheets])
    return [page_from_pdf(path, n, "appendix2_table2") for n in (1, 2, 3)]


@pytest.mark.parametrize("repeat_header", [False, True])
@pytest.mark.parametrize("kind", ["scan", "text"])
def test_table_over_three_pages(tmp_path: Path, repeat_header: bool, kind: str) -> None:
    pages = contract_pages(tmp_path, repeat_header, kind)
    result = extract_appendix(pages, SETTINGS)
    contracts = result.value.contracts
    assert [c.contract_no for c in contracts] == [row[1] for row in CONTRACTS]
    assert contracts[3].amount == pytest.approx(42.0) and contracts[11].amount == pytest.approx(126.0)
    assert str(contracts[0].date) == "2024-01-03"
    prov = result.provenance["appendix.contracts[6].enterprise"]
    assert prov.page == 2 and prov.bbox is not None and 150 < prov.bbox[1] < 300
    assert prov.source == ("text" if kind == "text" else "ocr")
    assert not result.value.products and not result.value.trainings


def test_category_carried_across_a_page_break(tmp_path: Path) -> None:
    first = product_table()
    second = STable(60, 120, [90, 50, 300], [26, 26], [SCell(0, 0, "", row_span=2), SCell(0, 1, "3"),
                                                       SCell(0, 2, "质量大模型"), SCell(1, 1, "4"), SCell(1, 2, "")])
    pages = [render(Sheet(tables=[first], texts=[(60, 90, "表1：契合行业的产品、解决方案、数据集等清单", 12)]), tmp_path,
                    name="a", number=1),
             render(Sheet(tables=[second]), tmp_path, name="b", number=2)]
    for page in pages:
        page.role = "appendix2_table1"
    products = extract_appendix(pages, SETTINGS).value.products
    assert [(p.category, p.seq, p.name) for p in products] == [
        ("数字化产品", 1, "工业互联网平台"), ("数字化产品", 2, "设备管理系统（二期）"), ("数字化产品", 3, "MES系统"),
        ("解决方案", 1, "智能工厂方案"), ("解决方案", 2, "质量追溯"), ("解决方案", 3, "质量大模型"),
    ]


def test_lookalike_tables_told_apart_by_content(tmp_path: Path) -> None:
    """附3表1 has 附2表1's header; its categories (and title) say which it is, whatever the role says."""
    rows = [["类别", "序号", "名称"], ["投融资机构", "1", "浙江某创投基金"], ["高校科研院所", "1", "某某大学"],
            ["", "2", ""]]
    table = STable.simple(60, 150, [90, 50, 300], rows)
    page = render(Sheet(tables=[table], texts=[(60, 120, "表1：汇聚的投融资机构、高校科研院所清单", 12)]), tmp_path)
    page.role = "appendix2_table1"
    appendix = extract_appendix([page], SETTINGS).value
    assert not appendix.products
    assert [(r.category, r.seq, r.name) for r in appendix.institutions] == [
        ("投融资机构", 1, "浙江某创投基金"), ("高校科研院所", 1, "某某大学")]


class FakeEngine:
    """An OCR engine that reads each band of ink in the image it gets as one word: a clean crop's reading."""

    def __init__(self, text: str, confidence: float) -> None:
        self.text, self.confidence, self.calls = text, confidence, 0

    def read_region(self, image, box_px=None, *, dpi: float = 72.0, separators=()) -> list[Word]:
        self.calls += 1
        rows = np.flatnonzero((image < 128).any(axis=1))
        bands = np.split(rows, np.flatnonzero(np.diff(rows) > 1) + 1) if rows.size else []
        scale = 72.0 / dpi
        return [Word(self.text, (30 * scale, band[0] * scale, 60 * scale, (band[-1] + 1) * scale), self.confidence)
                for band in bands]


def test_low_confidence_cells_are_flagged(tmp_path: Path) -> None:
    table = STable.simple(50, 150, [100, 120, 170, 100], [CONTRACT_HEADER, CONTRACTS[0]])
    page = render(Sheet(tables=[table]), tmp_path, defects=Defects(confidence=0.4))
    result = extract_appendix([page], SETTINGS)
    wheres = {c.where for c in result.checks if c.code == "LOW_CONFIDENCE"}
    assert "appendix.contracts[0].amount" in wheres and all(c.severity == "info" for c in result.checks)
    assert result.provenance["appendix.contracts[0].amount"].confidence == pytest.approx(0.4)


def test_weak_cells_are_reread_on_their_crops_in_one_call(tmp_path: Path) -> None:
    table = STable.simple(50, 150, [100, 120, 170, 100], [CONTRACT_HEADER, CONTRACTS[0]])
    page = render(Sheet(tables=[table]), tmp_path, defects=Defects(confidence=0.4))
    engine = FakeEngine("88.5", 0.93)
    found = find_tables(page, engine, low_confidence=0.6).tables[0]
    assert engine.calls == 1  # every cell had text read at 0.4: all of them in one stacked image
    assert all(cell.reread and cell.confidence == pytest.approx(0.93) for cell in found.cells)
    assert found.texts()[1][3] == "88.5"
    assert all(cell.cell.bbox[0] <= word.bbox[0] <= cell.cell.bbox[2] for cell in found.cells for word in cell.words)


def test_sure_cells_are_not_reread(tmp_path: Path) -> None:
    table = STable.simple(50, 150, [100, 120, 170, 100], [CONTRACT_HEADER, CONTRACTS[0], ["", "", "", ""]])
    page = render(Sheet(tables=[table]), tmp_path, defects=Defects(confidence=0.99))
    engine = FakeEngine("x", 0.99)
    find_tables(page, engine, low_confidence=0.6)
    assert engine.calls == 0  # sure readings, and the empty cells hold no ink


def test_crop_reading_differing_only_in_digits_does_not_replace_a_sure_page_reading(tmp_path: Path) -> None:
    """Two engines disagree on a digit: a sure page reading stays (a wrong digit read surely would replace it)."""
    table = STable.simple(50, 150, [100, 120, 170, 100], [CONTRACT_HEADER, ["2024/1/3", "HT-2024-001", "某公司", "13805716666"]])
    page = render(Sheet(tables=[table]), tmp_path, defects=Defects(confidence=0.95))
    found = find_tables(page, FakeEngine("13805718665", 0.99), low_confidence=0.6, reread_below=0.97).tables[0]
    assert found.texts()[1][3] == "13805716666"


def test_crop_reading_replaces_a_garbled_page_reading(tmp_path: Path) -> None:
    table = STable.simple(50, 150, [100, 120, 170, 100], [CONTRACT_HEADER, ["2024/1/3", "HT-2024-001", "某公司", "88.5"]])
    page = render(Sheet(tables=[table]), tmp_path, defects=Defects(confidence=0.95))
    page.words = [replace(w, text="8B.5") if w.text == "88.5" else w for w in page.words]
    found = find_tables(page, FakeEngine("88.5", 0.99), low_confidence=0.6, reread_below=0.97).tables[0]
    assert found.texts()[1][3] == "88.5"


# --- a second engine for values that do not validate ----------------------------------------


def _value(raw: str, kind: str, confidence: float = 0.95) -> FieldValue:
    provenance = Provenance(page=1, bbox=[0.0, 0.0, 50.0, 20.0], confidence=confidence, source="ocr")
    return FieldValue(value=typed(raw, kind, "万元"), raw=raw, provenance=provenance)


def test_second_engine_fills_an_empty_or_garbled_number() -> None:
    def read(box: object) -> list[tuple[str, float]]:
        return [("1.282.7发元", 0.80), ("1.282.7万元", 0.86)]

    fixed = second_opinion(_value("122.元", "amount", 0.65), "amount", "万元", read)
    assert fixed.value == pytest.approx(1282.7) and fixed.provenance.confidence == pytest.approx(0.86)
    # A count the page missed, read with dust around it.
    filled = second_opinion(_value("", "int", 1.0), "int", None, lambda box: [(".96.", 0.9)])
    assert filled.value == 96


def test_second_engine_never_replaces_with_what_does_not_validate() -> None:
    weak = [("2.33", 0.4), ("计中坦单位", 0.9)]
    assert second_opinion(_value("", "int", 1.0), "int", None, lambda box: weak).value is None
    sure = _value("242", "int", 0.99)
    assert second_opinion(sure, "int", None, lambda box: [("243", 0.999)]) is sure  # not doubtful: not read again
    assert well_formed("2024年3月5日", "date") and not well_formed("2024年12月24日2", "date")


def test_amount_read_with_a_point_for_a_comma_is_read_again() -> None:
    ambiguous = _value("2.680万元", "amount", 0.99)
    assert second_opinion(ambiguous, "amount", "万元", lambda box: [("2,680万元", 0.97)]).value == 2680.0
    assert second_opinion(_value("141,61", "amount", 0.99), "amount", "万元",
                          lambda box: [("1471.63万元", 0.99)]).value == pytest.approx(1471.63)


# --- an amount column read as a whole: '1.743' under a column of '2,892.99' ------------------

from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from pipeline.tables.values import thousands_in_column  # noqa: E402


def _amount(raw: str) -> FieldValue:
    value = typed(raw, "amount", "投融资金额（万元）")
    return FieldValue(value, raw, Provenance(page=1, bbox=[0, 0, 10, 10], confidence=0.99, source="ocr"))


@given(st.integers(min_value=1000, max_value=999_999), st.lists(st.integers(min_value=1000, max_value=999_999),
                                                                min_size=1, max_size=5))
def test_point_for_comma_repaired_where_the_column_writes_commas(thousands: int, others: list[int]) -> None:
    misread = f"{thousands:,}".replace(",", ".", 1)
    if misread.count(".") != 1 or "," in misread:
        return  # only 4–6 digit amounts have a single separator
    column = [_amount(f"{value:,}万元") for value in others] + [_amount(misread + "万元")]
    repaired = thousands_in_column(column)
    assert repaired[-1].value == thousands and repaired[-1].provenance.repaired_from == misread + "万元"
    assert [v.value for v in repaired[:-1]] == others


@given(st.integers(min_value=1, max_value=999), st.integers(min_value=0, max_value=999),
       st.lists(st.sampled_from(["1013.00", "2553", "185.4", "12.50万元"]), max_size=4))
def test_real_three_decimal_amount_kept_without_comma_evidence(whole: int, fraction: int, others: list[str]) -> None:
    """No other amount in the column is written with a thousands comma: '2.553' stays ambiguous, both readings
    kept and no rule named; the column's precision decides which comes first (cents written: 2,553)."""
    raw = f"{whole}.{fraction:03d}"
    column = [_amount(text) for text in others] + [_amount(raw)]
    read = thousands_in_column(column)[-1]
    assert read.provenance.repaired_from is None and read.provenance.resolved_by is None
    readings = sorted([read.value, *read.provenance.alternatives])
    assert readings == pytest.approx(sorted([float(raw), float(raw) * 1000]))
    assert read.value == pytest.approx(float(raw) * 1000 if len(others) >= 2 else float(raw))


def test_point_for_comma_under_seal_dust() -> None:
    """A seal character read in front of the amount ('业1.743万元') does not hide the misread comma."""
    column = [_amount("1,369万元"), _amount("2,8 92.99万元"), _amount("业1.743万元"), _amount("185.4万元")]
    assert [v.value for v in thousands_in_column(column)] == [1369.0, 2892.99, 1743.0, 185.4]


def test_a_count_beyond_anything_plausible_is_no_reading() -> None:
    """Rows run together read '30720725819026235392' as a participant count: no reading (and no database overflow)."""
    from pipeline.tables.values import implausible_dropped

    huge = implausible_dropped(FieldValue(30720725819026235392, "30720725819026235392", Provenance(page=3)), "int")
    assert huge.value is None and huge.unreadable
    assert implausible_dropped(FieldValue(45, "45", Provenance(page=3)), "int").value == 45


@pytest.mark.parametrize(("role", "searched_again"), [("plan", False), ("attachments_list", False),
                                                      ("appendix2_table3", True), ("other", True)])
def test_a_page_of_prose_is_not_searched_again_for_faint_rules(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                               role: str, searched_again: bool) -> None:
    """The search for rules too faint to binarise costs a page's rule finding again: an appendix page
    (or an unknown one) may need it, a page of the plan holds no appendix table to lose."""
    import pipeline.tables.finder as finder
    from pipeline.tables.appendix import page_tables

    page = render(Sheet(texts=[(60, 100 + 20 * i, "围绕行业中小企业数字化转型需求开展服务。", 11) for i in range(12)]),
                  tmp_path, name="prose", number=3, defects=Defects())
    page.role = role
    ridges: list[bool] = []
    original = finder._finding

    def spy(*args: object, **kwargs: object) -> finder.TableFinding:
        ridges.append(bool(kwargs.get("faint")))
        return original(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(finder, "_finding", spy)
    page_tables(page, None, Settings())
    assert any(ridges) is searched_again


FINANCING_ROWS = [["序号", "投资机构名称", "被投企业名称", "投融资金额（万元）"], ["1", "兴业银行深圳分行", "深圳博宏塑业有限公司", "82.45"],
                  ["2", "深圳新智产业投资基金", "深圳联弘塑业有限公司", "541.97"],
                  ["3", "深圳达辰科技融资担保有限公司", "深圳拓宏塑业有限公司", "2684.00"]]


def test_a_table_cut_short_by_its_pale_frame_is_looked_at_again_for_faint_rules(tmp_path: Path) -> None:
    """A grey scan kept the rules of a table's first columns dark enough to binarise and left its last
    column's only as a pale hairline: the binarised frame ends before the amounts, which stand level with its
    rows. Its tables still hold most of the page's words, so only the words beside them say the frame is
    short; looked at again with the faint rules, the table has all four columns."""
    table = STable.simple(60, 150, [40, 150, 150, 110], FINANCING_ROWS, row_height=26)
    page = render(Sheet(tables=[table]), tmp_path, defects=Defects(hairline_grey=246))
    xs, ys, scale = table.xs(), table.ys(), page.scale
    assert page.print_path is not None
    grey = np.asarray(Image.open(page.print_path)).copy()
    dark = [round(v * scale) for v in (xs[0], ys[0], xs[3], ys[-1])]
    for y in ys:  # the first three columns' rules printed dark: found by binarisation alone
        grey[round(y * scale), dark[0]:dark[2] + 1] = 0
    for x in xs[:4]:
        grey[dark[1]:dark[3] + 1, round(x * scale)] = 0
    Image.fromarray(grey).save(page.print_path)
    assert only_table(page).texts() == FINANCING_ROWS


def _strokes_dropped_word_by_word(rules: list[Rule], words: list[Word]) -> list[Rule]:
    """`drop_text_strokes` in the page frame as it was written before, one word at a time."""
    from pipeline.tables.finder import STROKES_SHARE, _strokes_of_a_tilted_line, _through_character

    kept = []
    for rule in rules:
        inside = touched = 0.0
        for word in words:
            x0, top, x1, bottom = word.bbox
            (low, high), (start, end) = ((top, bottom), (x0, x1)) if rule.orient == "h" else ((x0, x1), (top, bottom))
            overlap = min(rule.end, end) - max(rule.start, start)
            if overlap <= 0 or not low < rule.pos < high:
                continue
            touched += overlap
            margin = 0.2 * (high - low)
            if low + margin < rule.pos < high - margin or (rule.orient == "v" and _through_character(word, rule.pos)):
                inside += overlap
        if inside < STROKES_SHARE * rule.length and not _strokes_of_a_tilted_line(rule, inside, touched):
            kept.append(rule)
    return kept


def test_text_strokes_are_dropped_as_the_word_by_word_loop_dropped_them() -> None:
    """The words a rule crosses found for all words at once keep and drop the very rules the loop did."""
    from pipeline.tables.finder import drop_text_strokes
    from pipeline.tables.geometry import Frame

    rng = np.random.default_rng(5)
    for _ in range(150):
        words = []
        for _ in range(int(rng.integers(0, 80))):
            x0, top = float(rng.uniform(0, 500)), float(rng.uniform(0, 700))
            width, height = float(rng.choice([rng.uniform(5, 120), 10.0])), float(rng.choice([rng.uniform(6, 14), 10.0]))
            words.append(Word(str(rng.choice(["常州市", "12.5", "a b", ""])), (x0, top, x0 + width, top + height), 0.9))
        rules = []
        for _ in range(int(rng.integers(0, 40))):
            orient = "h" if rng.random() < 0.5 else "v"
            start, length = float(rng.uniform(0, 500)), float(rng.uniform(10, 400))
            if words and rng.random() < 0.4:  # through the middle of a word, where the rule is a stroke
                box = words[int(rng.integers(len(words)))].bbox
                pos = (box[1] + box[3]) / 2 if orient == "h" else (box[0] + box[2]) / 2
            else:
                pos = float(rng.uniform(0, 700))
            rules.append(Rule(orient, pos, start, start + length))
        assert drop_text_strokes(rules, words, Frame()) == _strokes_dropped_word_by_word(rules, words)
