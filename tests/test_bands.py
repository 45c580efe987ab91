"""Rows without rules between them: labels stacked in one merged cell, each naming the rows it is centred on."""

from __future__ import annotations

from models.page import Word
from pipeline.tables.appendix import own_label
from pipeline.tables.bands import stacked_labels
from pipeline.tables.cells import CellText, Table
from pipeline.tables.geometry import Cell, Frame, Grid

ROW = 12.0  # pt: tight single-line rows, as Word sets them
ROWS = [(100 + i * ROW, 100 + (i + 1) * ROW) for i in range(7)]
WIDTH = 80.0  # pt: the 类别 column


def label(text: str, first: int, last: int, lines: int = 1, pitch: float = 10.1) -> list[Word]:
    """A label centred on rows first..last, wrapped onto `lines` lines (`pitch` apart: all but touching)."""
    centre = (ROWS[first][0] + ROWS[last][1]) / 2
    height = 9.3
    top = centre - (pitch * (lines - 1) + height) / 2
    size = -(-len(text) // lines)
    words = []
    for k in range(lines):
        part = text[k * size:(k + 1) * size]
        width = min(len(part) * height, WIDTH - 6)  # CJK characters are square; text is centred in its cell
        x0 = 10 + (WIDTH - width) / 2
        words.append(Word(part, (x0, top + k * pitch, x0 + width, top + k * pitch + height), 1.0, "text"))
    return words


LABELS = (label("数字化产品", 0, 1) + label("数据集", 2, 2)
          + label("面向中小企业的小快轻准解决方案", 3, 6, lines=2))


def test_stacked_labels_each_name_the_rows_they_are_centred_on() -> None:
    parts = stacked_labels(LABELS, ROWS, WIDTH)
    assert parts is not None
    assert ["".join(w.text for w in part) for part in parts] == (
        ["数字化产品"] * 2 + ["数据集"] + ["面向中小企业的小快轻准解决方案"] * 4)


def test_one_label_over_its_rows_is_left_whole() -> None:
    assert stacked_labels(label("投融资机构", 0, 4, lines=1), ROWS[:5], WIDTH) is None


def test_an_appendix_row_takes_its_own_category_from_a_merged_cell() -> None:
    grid_cell = Cell(0, 0, len(ROWS), 1, (10.0, ROWS[0][0], 90.0, ROWS[-1][1]))
    merged = CellText(grid_cell, grid_cell.bbox, tuple(LABELS), "…")
    grid = Grid(xs=[10.0, 90.0], ys=[top for top, _ in ROWS] + [ROWS[-1][1]], cells=[grid_cell])
    table = Table(page=1, grid=grid, frame=Frame(), cells=[merged])
    assert [own_label(merged, row, table).flat for row in (0, 2, 5)] == ["数字化产品", "数据集", "面向中小企业的小快轻准解决方案"]


def test_a_label_wrapped_over_two_tight_rows_stays_one_label() -> None:
    """Each of its two lines sits centred in a row, as two one-line labels would: but its first line
    fills the column, and text wraps only there."""
    first, second = label("面向中小企业的小快轻准解决方案", 0, 1, lines=2, pitch=ROW)
    one = [Word("面向中小企业的小快轻准", first.bbox),
           Word("解决方案", (10 + (WIDTH - 37.2) / 2, second.bbox[1], 10 + (WIDTH + 37.2) / 2, second.bbox[3]))]
    two = label("数据集", 0, 0) + label("模型库", 1, 1)
    wrapped = stacked_labels(one + label("数据集", 2, 2), ROWS[:3], WIDTH)
    assert wrapped is not None
    assert ["".join(w.text for w in part) for part in wrapped] == ["面向中小企业的小快轻准解决方案"] * 2 + ["数据集"]
    apart = stacked_labels(two, ROWS[:2], WIDTH)
    assert apart is not None and ["".join(w.text for w in part) for part in apart] == ["数据集", "模型库"]


def test_the_columns_own_header_in_a_merged_cell_names_no_record() -> None:
    # dev52 a07: the rule under the header lost in the 类别 column joined '类别' (low in its tall header row) to the
    # cell below; stacked with 投融资机构 it named the first record, whose category then read '类别' (and the last
    # none): the institutions' count was left unchecked.
    rows = [(100.0, 124.0)] + [(124.0 + i * ROW, 136.0 + i * ROW) for i in range(4)]
    words = [Word("类别", (40.0, 111.35, 59.0, 120.65), 1.0, "ocr"),
             Word("投融资机构", (26.0, 143.35, 73.0, 152.65), 1.0, "ocr")]
    grid_cell = Cell(0, 0, 5, 1, (10.0, rows[0][0], 90.0, rows[-1][1]))
    merged = CellText(grid_cell, grid_cell.bbox, tuple(words), "…")
    grid = Grid(xs=[10.0, 90.0], ys=[top for top, _ in rows] + [rows[-1][1]], cells=[grid_cell])
    table = Table(page=1, grid=grid, frame=Frame(), cells=[merged])
    assert [own_label(merged, row, table).flat for row in (1, 2, 3, 4)] == ["投融资机构"] * 4
