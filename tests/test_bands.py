"""Rows without rules between them: labels stacked in one merged cell, each naming the rows it is centred on."""

from __future__ import annotations

from models.page import Word
from pipeline.tables.appendix import own_label
from pipeline.tables.bands import stacked_labels
from pipeline.tables.cells import CellText, Table
from pipeline.tables.geometry import Cell, Frame, Grid

ROW = 12.0  # pt: tight single-line rows, as Word sets them
ROWS = [(100 + i * ROW, 100 + (i + 1) * ROW) for i in range(7)]


def label(text: str, first: int, last: int, lines: int = 1) -> list[Word]:
    """A label centred on rows first..last, wrapped onto `lines` lines that all but touch."""
    centre = (ROWS[first][0] + ROWS[last][1]) / 2
    height, pitch = 9.3, 10.1
    top = centre - (pitch * (lines - 1) + height) / 2
    size = max(1, len(text) // lines)
    return [Word(text[k * size:(k + 1) * size] if k < lines - 1 else text[k * size:],
                 (20.0, top + k * pitch, 80.0, top + k * pitch + height), 1.0, "text") for k in range(lines)]


LABELS = (label("数字化产品", 0, 1) + label("数据集", 2, 2)
          + label("面向中小企业的小快轻准解决方案", 3, 6, lines=2))


def test_stacked_labels_each_name_the_rows_they_are_centred_on() -> None:
    parts = stacked_labels(LABELS, ROWS)
    assert parts is not None
    assert ["".join(w.text for w in part) for part in parts] == (
        ["数字化产品"] * 2 + ["数据集"] + ["面向中小企业的小快轻准解决方案"] * 4)


def test_one_label_over_its_rows_is_left_whole() -> None:
    assert stacked_labels(label("投融资机构", 0, 4, lines=1), ROWS[:5]) is None


def test_an_appendix_row_takes_its_own_category_from_a_merged_cell() -> None:
    grid_cell = Cell(0, 0, len(ROWS), 1, (10.0, ROWS[0][0], 90.0, ROWS[-1][1]))
    merged = CellText(grid_cell, grid_cell.bbox, tuple(LABELS), "…")
    grid = Grid(xs=[10.0, 90.0], ys=[top for top, _ in ROWS] + [ROWS[-1][1]], cells=[grid_cell])
    table = Table(page=1, grid=grid, frame=Frame(), cells=[merged])
    assert [own_label(merged, row, table).flat for row in (0, 2, 5)] == ["数字化产品", "数据集", "面向中小企业的小快轻准解决方案"]
