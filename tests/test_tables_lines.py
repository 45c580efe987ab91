"""A line of print the page's reading left characters of out, read whole on its crop (`tables/reread.py`)."""

from __future__ import annotations

import numpy as np

from models.page import Word
from pipeline.tables.cells import CellText
from pipeline.tables.geometry import Cell
from pipeline.tables.reread import CellReader

SCALE = 2.0  # pixels per point
CHAR = 12.0  # a character's size in points


def _page(chars: int) -> np.ndarray:
    """White, with a line of `chars` character-sized blots of ink from x = 20 pt, y 104-116 pt."""
    image = np.full((round(200 * SCALE), round(400 * SCALE)), 255, np.uint8)
    for k in range(chars):
        x0 = round((20.0 + k * CHAR + 1.0) * SCALE)
        image[round(104 * SCALE):round(116 * SCALE), x0:x0 + round((CHAR - 2.0) * SCALE)] = 0
    return image


def _reader(image: np.ndarray) -> CellReader:
    return CellReader(image, SCALE, 144.0, engine=None)  # type: ignore[arg-type]


def _cell(words: list[tuple[str, int, int]], confidence: float = 0.99) -> CellText:
    """A cell 10-300 pt wide on the line, its words (text, first and last character index)."""
    box = (10.0, 100.0, 300.0, 120.0)
    placed = tuple(Word(text, (20.0 + a * CHAR, 104.0, 20.0 + (b + 1) * CHAR, 116.0), confidence)
                   for text, a, b in words)
    return CellText(Cell(0, 0, 1, 1, box), box, placed, "".join(text for text, _, _ in words), confidence)


def test_ink_between_two_words_of_a_line_is_print_the_reading_left_out() -> None:
    reader = _reader(_page(9))
    skipped = _cell([("设", 0, 0), ("量化方案", 5, 8)])  # 备联网轻 (characters 1-4) in no word's box
    assert reader.print_beside(skipped)
    whole = _cell([("设备联网", 0, 3), ("轻量化方案", 4, 8)])
    assert not reader.print_beside(whole)
    # The same gap over blank paper: two words of one line apart, nothing left out.
    apart = _reader(_page(1))
    image = apart.image
    image[round(104 * SCALE):round(116 * SCALE), round((20 + 5 * CHAR) * SCALE):round((20 + 9 * CHAR) * SCALE)] = 0
    assert not apart.print_beside(skipped)


def test_the_crop_reading_that_fills_a_line_in_wins_and_one_adding_figures_or_changing_it_does_not() -> None:
    reader = _reader(_page(9))
    skipped = _cell([("设", 0, 0), ("量化方案", 5, 8)])
    crop = _cell([("设备联网轻量化方案", 0, 8)], 0.9)
    assert reader._filled_in(skipped, crop)
    # A character the page kept that the crop reads otherwise: the page's reading stays.
    assert not reader._filled_in(_cell([("数字孪生", 0, 3)]), _cell([("数字李生建", 0, 8)], 0.99))
    assert not reader._filled_in(skipped, _cell([("设备联网轻量化方案", 0, 8)], 0.6))  # read too unsurely
    assert not reader._filled_in(skipped, _cell([("设1171量化方案", 0, 8)], 0.9))  # a stroke read as figures
    assert not reader._filled_in(skipped, _cell([("投备联网轻里化方客", 0, 8)], 0.9))  # another reading
    # A reading whose words cover the whole line left nothing out: a longer crop reading adds what is not there.
    covered = _cell([("设备联网", 0, 3), ("量化方案", 4, 8)])
    assert not reader._filled_in(covered, _cell([("设备联网轻量化方案", 0, 8)], 0.9))


def test_a_code_left_open_at_a_page_break_goes_on_in_the_next_pages_first_row() -> None:
    """dev27 a06: the last contract's code wrapped, 'XQ-FW-' on one page and '2025090-B' under the header Word
    repeated on the next, beside a seal's speck read '1' where the amount stands: the record's tail."""
    from models import Provenance
    from pipeline.config import Settings
    from pipeline.tables.appendix import Collector, is_tail
    from pipeline.tables.headers import SPEC_BY_KEY
    from pipeline.tables.values import FieldValue

    spec = SPEC_BY_KEY["contracts"]
    origin = Provenance(page=11, bbox=(0, 0, 10, 10), confidence=0.99)
    last = {"date": FieldValue(None, "2026-02-15", origin), "contract_no": FieldValue("XQ-FW-", "XQ-FW-", origin),
            "enterprise": FieldValue("南京达海数字科技有限公司", "南京达海数字科技有限公司", origin),
            "amount": FieldValue(30.4, "30.4", origin)}
    tail = {"date": FieldValue(None, "", origin), "contract_no": FieldValue("2025090-B", "2025090-B", origin),
            "enterprise": FieldValue(None, "", origin), "amount": FieldValue(1.0, "1", origin)}
    assert is_tail(tail, spec, last)
    assert not is_tail(tail, spec)  # no record above to go on from: digits are a record's
    closed = {**last, "contract_no": FieldValue("XQ-FW-2025089", "XQ-FW-2025089", origin)}
    assert not is_tail(tail, spec, closed)  # a code read whole: the row is a record whose date was lost
    collector = Collector(Settings())
    collector.add_row(spec, last)
    assert collector.with_tail(spec, tail, {})
    joined = collector.rows["contracts"][-1]
    assert joined["contract_no"].value == "XQ-FW-2025090-B" and joined["amount"].value == 30.4


def test_the_note_under_a_table_of_text_lines_does_not_close_its_columns() -> None:
    """dev26 a12, a fax's contracts without rules: the note's two lines run over the gap between the date and
    code columns, more than the lines a gap may have over it; the columns are found above the note."""
    from models.page import Page
    from pipeline.tables.finder import text_table

    words = [Word("日期（年/月/日)", (78.0, 110.0, 155.0, 128.0)), Word("合同编号", (197.0, 110.0, 238.0, 128.0)),
             Word("服务企业名称", (325.0, 110.0, 389.0, 128.0)), Word("合同金额", (457.0, 110.0, 500.0, 128.0))]
    for k in range(6):
        top = 139.0 + 24.0 * k
        words += [Word(f"2024-0{k + 1}-20", (76.0, top, 132.0, top + 17.0)),
                  Word(f"AX-FW-202403{k}", (171.0, top, 247.0, top + 17.0)),
                  Word("重庆元航船用设备有限公司", (274.0, top, 397.0, top + 17.0)), Word("223.5", (468.0, top, 499.0, top + 17.0))]
    words += [Word("注：申报单位（联合体牵头单位及涉及单位）加盖公章。", (75.0, 290.0, 280.0, 304.0)),
              Word("2.可附主要合同扫描件。", (98.0, 305.0, 190.0, 318.0))]
    table = text_table(Page(number=10, width=595, height=842, kind="scan", words=words))
    assert table is not None and table.grid.n_cols == 4
    assert [cell.text for cell in table.row(1)] == ["2024-01-20", "AX-FW-2024030", "重庆元航船用设备有限公司", "223.5"]


def test_the_note_under_a_table_is_left_out_of_its_columns_but_not_under_stray_words() -> None:
    """Rows of several cells above 注 find their columns without the note's lines (dev26 a12's fax); a seal's
    lettering read as one word a line above a page's lone note is no table's rows: the note stays with them."""
    from pipeline.tables.finder import above_note

    def line(y: float, *texts: str) -> list[Word]:
        return [Word(text, (50.0 + 120 * k, y, 100.0 + 120 * k, y + 10), 0.99) for k, text in enumerate(texts)]

    note = [line(200, "注：申报单位（联合体牵头单位及涉及单位）加盖公章。"), line(212, "2.可附主要合同扫描件。")]
    rows = [line(100, "2024.3.5", "HT-001", "杭州云盛电子元件有限公司", "27.5"),
            line(120, "2024.4.1", "HT-002", "杭州越创船用设备有限公司", "31")]
    assert above_note([*rows, *note]) == rows
    seal_bits = [line(20, "智能制"), line(40, "海"), line(55, "波")]
    assert above_note([*seal_bits, *note]) == [*seal_bits, *note]
