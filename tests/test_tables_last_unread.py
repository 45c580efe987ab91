"""The table's last record under a seal, its name unread (`appendix._last_unread`, round 22).

dev37 a08: 湖南大学, the last institution, lies under the applicant's black seal on a 1-bit scan; the reader
reads nothing there and its row, numbered 5 after 4 records, was taken for a blank row of the template.
"""

from __future__ import annotations

import numpy as np

from pipeline.tables.appendix import Layout, iter_rows
from pipeline.tables.cells import CellText, Table
from pipeline.tables.geometry import Cell, Frame, Grid
from pipeline.tables.headers import SPEC_BY_KEY
from pipeline.tables.reread import SecondReader

SCALE = 2.0  # pixels per point (144 dpi)
XS = [77.0, 199.0, 256.0, 519.0]


def _records(rows: list[list[str]], inked: tuple[int, ...]) -> list[dict]:
    """An institutions table (类别 · 序号 · 名称), one grid row per list; the name cells of the grid rows
    `inked` hold a blot of ink the page's reading left unread."""
    texts = [["类别", "序号", "名称"], *rows]
    ys = [100.0 + 18 * r for r in range(len(texts) + 1)]
    cells = [CellText(Cell(r, c, 1, 1, box), box, (), text)
             for r, row in enumerate(texts) for c, text in enumerate(row)
             for box in [(XS[c], ys[r], XS[c + 1], ys[r + 1])]]
    image = np.full((round(ys[-1] * SCALE) + 40, round(XS[-1] * SCALE) + 40), 255, np.uint8)
    for row in inked:
        image[round((ys[row] + 5) * SCALE):round((ys[row] + 13) * SCALE), round(300 * SCALE):round(360 * SCALE)] = 0
    reader = SecondReader(image, SCALE, 144.0, engine=None)  # type: ignore[arg-type]  # only its ink is asked
    grid = Grid(xs=XS, ys=ys, cells=[c.cell for c in cells], rules=[], virtual=[])
    table = Table(page=1, grid=grid, frame=Frame(), cells=cells)
    layout = Layout.by_position(table, SPEC_BY_KEY["institutions"])
    assert layout is not None
    return list(iter_rows(table, layout, 1, reader=reader))


ROWS = [["高校科研院所", "1", "青岛科技大学"], ["高校科研院所", "2", "中南大学"], ["高校科研院所", "3", ""]]


def test_last_numbered_row_holding_ink_is_a_record_whose_name_could_not_be_read() -> None:
    records = _records(ROWS, inked=(3,))
    assert [(record["seq"].value, record["name"].value) for record in records] == [
        (1, "青岛科技大学"), (2, "中南大学"), (3, None)]
    lost = records[2]["name"]
    assert lost.provenance.blank is False and lost.check("appendix.institutions[2].name", 0.6) is not None


def test_last_numbered_row_without_ink_is_a_blank_row_of_the_template() -> None:
    assert [record["seq"].value for record in _records(ROWS, inked=())] == [1, 2]


def test_last_row_off_the_run_is_no_record() -> None:
    rows = [*ROWS[:2], ["高校科研院所", "5", ""]]
    assert [record["seq"].value for record in _records(rows, inked=(3,))] == [1, 2]
