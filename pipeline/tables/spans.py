"""Cells that span grid rows because a rule between those rows was lost, given back to their rows.

On grey, dithered or faint scans a row rule is often found in some columns and not in
others: the grid has the row, but in the columns where the rule broke one cell spans
two or three rows and holds all their text — the header's label over the first data
row ("服务商名称 / 宁波顺弘… / 贵阳和祥…"), or two amounts stacked in one cell.  Read
as a merged cell, its text would go to every row it spans.

A data column (every column but 类别) has no merged cells in these forms, so such a
cell is cut back into its rows when its text lines fall cleanly inside them (no line
across a row boundary) and each row it gives text to holds a value of its own in
another column (a record of its own, not a wrapped line of one cell): a row the cell
gives no line is then an empty cell, which a second reading may fill.  Lines in header
rows stay with the header.  A cell that cannot be cut (a line across the boundary) over
rows that are records of their own is left whole but marked unsure (`UNSURE`):
its value goes to rows it cannot all belong to.

The 类别 column does merge cells: one category spans the rows of its group, its name
centred in the span.  When the rules between groups are lost, one cell holds every
category name.  Its text lines are grouped into names by the gaps between them, and the
rows are shared out in order, one group per name: where the 序号 restart at 1 (the form
may number each category from 1), the groups they begin; else the sharing that puts
each name nearest the middle of its rows.  Unless the 序号 and the names' places agree on
one sharing clearly (`MARGIN`), the category cells are marked unsure (`UNSURE`):
the counts per category rest on them.
"""

from __future__ import annotations

import itertools
import math
import re
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, replace

from rapidfuzz import fuzz

from models.page import Word
from pipeline.tables.cells import CellText, Table, cell_text, lines_of
from pipeline.tables.geometry import Cell, VerticalExtent
from pipeline.tables.labels import squeeze
from pipeline.tables.values import UNSURE

LINE_SLACK = 0.25  # share of a line's height it may reach over a row boundary (OCR box padding)
BLOCK_GAP = 0.6  # a gap between two lines wider than this share of their height starts a new name
MARGIN = 0.5  # rows by which the best sharing must fit the names' positions better than the next
TALL_LINE = 1.6  # a cell line this many times the table's median line height is no line of its print
MAX_SHARINGS = 20000  # ways to share rows among names tried at most (else the cell is left whole)
_SEQ = re.compile(r"\d{1,3}")


@dataclass(frozen=True)
class Line(VerticalExtent):
    """One text line of a cell: its words (page frame) and its extent (table frame)."""

    words: tuple[Word, ...]
    top: float
    bottom: float


def cell_lines(table: Table, cell: CellText) -> list[Line]:
    out = []
    for words in lines_of(cell.words):
        boxes = [table.frame.box_to_table(word.bbox) for word in words]
        out.append(Line(tuple(words), min(b[1] for b in boxes), max(b[3] for b in boxes)))
    return sorted(out, key=lambda line: line.top)


def row_of(table: Table, y: float) -> int:
    ys = table.grid.ys
    return max(0, min(table.grid.n_rows - 1, next((r for r in range(len(ys) - 1) if y < ys[r + 1]), len(ys) - 2)))


def crosses(table: Table, line: Line, first: int, last: int) -> bool:
    """The line runs over a row boundary inside rows first..last by more than OCR's slack."""
    slack = LINE_SLACK * line.height
    return any(line.top + slack < y < line.bottom - slack for y in table.grid.ys[first + 1:last + 1])


def part(table: Table, cell: CellText, row: int, span: int, words: Sequence[Word],
         confidence: float | None = None) -> CellText:
    """The piece of `cell` over rows row..row+span-1 holding `words`."""
    ys = table.grid.ys
    box = (cell.cell.bbox[0], ys[row], cell.cell.bbox[2], ys[row + span])
    piece = cell_text(Cell(row, cell.cell.col, span, cell.cell.col_span, box), table.frame, words)
    piece = replace(piece, reread=cell.reread)
    if confidence is not None:
        piece = replace(piece, confidence=min(piece.confidence, confidence))
    return piece


def _own_values(table: Table, col: int) -> set[int]:
    """Rows where a column other than `col` has a single-row cell with text."""
    return {c.cell.row for c in table.cells if c.cell.row_span == 1 and c.text and c.cell.col != col}


def split_data_cell(table: Table, cell: CellText, first_row: int) -> list[CellText] | None:
    """A data column's cell spanning rows, cut into one cell per row; None when it must stay whole."""
    start, end = cell.cell.row, cell.cell.row + cell.cell.row_span - 1
    lines = cell_lines(table, cell)
    if not lines or any(crosses(table, line, start, end) for line in lines):
        return None
    rows = {id(line): row_of(table, line.centre) for line in lines}
    used = set(rows.values())
    spanned = set(range(max(start, first_row), end + 1))
    if not (len(used) >= 2 or len(spanned) >= 2):
        return None
    if not spanned <= _own_values(table, cell.cell.col):
        return None  # a row with nothing else is a wrapped value's line, not a row of its own
    pieces = []
    header_end = min(first_row, end + 1)
    if start < header_end:
        words = [w for line in lines if rows[id(line)] < header_end for w in line.words]
        pieces.append(part(table, cell, start, header_end - start, words))
    for row in range(max(start, first_row), end + 1):
        words = [w for line in lines if rows[id(line)] == row for w in line.words]
        pieces.append(part(table, cell, row, 1, words))
    return pieces


def _fit(text: str, names: Sequence[str]) -> float:
    """How well `text` reads as one of `names` (0..1, whole strings compared)."""
    hay = squeeze(text)
    return max((fuzz.ratio(hay, squeeze(name)) / 100.0 for name in names), default=0.0) if hay else 0.0


def _text(lines: Sequence[Line]) -> str:
    return "".join(word.text for line in lines for word in line.words)


def name_blocks(lines: Sequence[Line], names: Sequence[str] = ()) -> list[list[Line]]:
    """Lines grouped into names: a line continues the name above it when close below it (within
    `BLOCK_GAP` of a line's height) and, given the form's `names`, the two read as a name better than
    the name above alone and at least as well as the line alone (面向中小企业的“小快轻准” / 解决方案,
    where 解决方案 is a name too; not 数据集 / 模型库 in rows packed tight)."""
    blocks: list[list[Line]] = []
    for line in lines:
        if blocks:
            last = blocks[-1][-1]
            close = line.top - last.bottom <= BLOCK_GAP * min(line.height, last.height)
            joined = _fit(_text([*blocks[-1], line]), names) if names else 0.0
            if close and (not names or (joined > _fit(_text(blocks[-1]), names)
                                        and joined >= _fit(_text([line]), names))):
                blocks[-1].append(line)
                continue
        blocks.append([line])
    return blocks


def seq_of(table: Table, row: int, col: int | None) -> int | None:
    if col is None:
        return None
    cell = next((c for c in table.cells if c.cell.row == row and c.cell.col == col and c.cell.row_span == 1), None)
    flat = re.sub(r"\s+", "", cell.text) if cell is not None else ""
    return int(flat) if _SEQ.fullmatch(flat) else None


@dataclass(frozen=True)
class Sharing:
    """Rows shared among names: each group's first row, the 序号 breaks and how far names sit off centre."""

    starts: tuple[int, ...]
    seq_breaks: int
    off_centre: float


def share_rows(table: Table, rows: Sequence[int], blocks: Sequence[list[Line]],
               seqs: Sequence[int | None] | None) -> list[Sharing]:
    """Every way to cut `rows` into len(blocks) runs in order, scored (序号 breaks, then names off
    centre, in rows); best first.  Without `seqs` (one 序号 run over all groups) only the position counts."""
    ys = table.grid.ys
    pitch = statistics.fmean(ys[r + 1] - ys[r] for r in rows)
    by_row = dict(zip(rows, seqs, strict=True)) if seqs is not None else {}
    centres = [(block[0].top + block[-1].bottom) / 2 for block in blocks]
    out = []
    for cuts in itertools.combinations(rows[1:], len(blocks) - 1):
        starts = (rows[0], *cuts)
        ends = (*cuts, rows[-1] + 1)
        breaks = sum(1 for row in rows if by_row.get(row) is not None and (by_row[row] == 1) != (row in starts))
        off = sum(abs((ys[a] + ys[b]) / 2 - centre) for a, b, centre in zip(starts, ends, centres, strict=True))
        out.append(Sharing(starts, breaks, off / pitch))
    return sorted(out, key=lambda s: (s.seq_breaks, s.off_centre))


def split_category_cell(table: Table, cell: CellText, first_row: int, seq_col: int | None,
                        names: Sequence[str] = ()) -> list[CellText] | None:
    """A 类别 cell holding several names, cut into one cell per name over its rows; None to keep it whole."""
    start, end = cell.cell.row, cell.cell.row + cell.cell.row_span - 1
    lines = cell_lines(table, cell)
    header_lines = [line for line in lines if line.centre < table.grid.ys[first_row]] if start < first_row else []
    blocks = name_blocks([line for line in lines if line not in header_lines], names)
    rows = list(range(max(start, first_row), end + 1))
    if len(blocks) < 2 or len(blocks) > len(rows) or math.comb(len(rows) - 1, len(blocks) - 1) > MAX_SHARINGS:
        return None
    seqs = [seq_of(table, row, seq_col) for row in rows]
    restarts = any(seq == 1 for seq in seqs[1:])  # the form numbers each category from 1: the 序号 tell groups
    sharings = share_rows(table, rows, blocks, seqs if restarts else None)
    best = sharings[0]
    rival = next((s for s in sharings[1:] if s.seq_breaks == best.seq_breaks), None)
    placed = min(s.off_centre for s in sharings)  # the names' places alone
    sure = (best.seq_breaks == 0 and (rival is None or rival.off_centre - best.off_centre >= MARGIN)
            and best.off_centre - placed < MARGIN)
    confidence = None if sure else UNSURE
    pieces = []
    if header_lines:
        pieces.append(part(table, cell, start, first_row - start, [w for line in header_lines for w in line.words]))
    ends = (*best.starts[1:], rows[-1] + 1)
    for block, first, stop in zip(blocks, best.starts, ends, strict=True):
        pieces.append(part(table, cell, first, stop - first, [w for line in block for w in line.words], confidence))
    return pieces


@dataclass(frozen=True)
class Spans:
    """A table with its row-spanning cells given back to their rows, and the grid rows whose structure
    stays in doubt (a value over two records, a line cut by a row boundary, categories shared unsurely)."""

    table: Table
    unsure_rows: frozenset[int] = frozenset()


def split_spans(table: Table, first_row: int, category_cols: Sequence[int] = (), seq_col: int | None = None,
                categories: Sequence[str] = ()) -> Spans:
    """The table with its row-spanning cells (from `first_row` on) given back to their rows, where they can be
    (`categories`: the names the 类别 column may hold)."""
    cells: list[CellText] = []
    unsure: set[int] = set()
    changed = False
    line_height = median_line_height(table, first_row)
    for cell in table.cells:
        pieces = None
        if cell.cell.row_span > 1 and cell.cell.row + cell.cell.row_span > first_row and cell.text:
            if cell.cell.col in category_cols:
                pieces = split_category_cell(table, cell, first_row, seq_col, categories)
            else:
                pieces = split_data_cell(table, cell, first_row) or _unsure_if_shared(table, cell, first_row)
        elif cell.cell.row >= first_row and cell.text and cell.cell.col not in category_cols:
            pieces = _unsure_if_cut(table, cell, first_row, line_height)
        cells.extend(pieces or [cell])
        changed = changed or pieces is not None
        unsure.update(row for piece in pieces or () if piece.confidence <= UNSURE < cell.confidence
                      for row in range(piece.cell.row, piece.cell.row + piece.cell.row_span))
    return Spans(replace(table, cells=cells) if changed else table, frozenset(unsure))


def _unsure_if_cut(table: Table, cell: CellText, first_row: int, line_height: float) -> list[CellText] | None:
    """A cell whose text runs across its top or bottom boundary between two data rows (a line the
    row boundary cuts): which row it belongs to is a guess, so it is marked unsure.

    Not so a line far taller than the table's lines (`line_height`: a seal's character, no line of
    print), nor a line that joins a line of its cell lying wholly on its larger side of the boundary
    (a wrapped value's first or last line, its OCR box reaching over a rule that bows on a curled page:
    the value is its block's, and the block's row is plain)."""
    inner = table.grid.ys[first_row + 1:-1]  # the header's rule parts no two records
    edges = [y for y in (table.grid.ys[cell.cell.row], table.grid.ys[cell.cell.row + cell.cell.row_span]) if y in inner]
    lines = cell_lines(table, cell)
    for line in lines:
        if line_height and line.height > TALL_LINE * line_height:
            continue
        for y in edges:
            slack = LINE_SLACK * line.height
            if line.top + slack < y < line.bottom - slack and not _held_by_its_block(table, line, lines, y):
                return [replace(cell, confidence=min(cell.confidence, UNSURE))]
    return None


def _held_by_its_block(table: Table, line: Line, lines: Sequence[Line], y: float) -> bool:
    """`line`, cut by the boundary at `y`, joins a line of its cell wholly on the side holding more of it."""
    below = line.bottom - y > y - line.top
    for other in lines:
        if other is line or crosses_any(table, other):
            continue
        if below and other.top >= y and other.top - line.bottom <= BLOCK_GAP * min(line.height, other.height):
            return True
        if not below and other.bottom <= y and line.top - other.bottom <= BLOCK_GAP * min(line.height, other.height):
            return True
    return False


def crosses_any(table: Table, line: Line) -> bool:
    """The line runs over any inner row boundary by more than OCR's slack."""
    return crosses(table, line, 0, table.grid.n_rows - 1)


def median_line_height(table: Table, first_row: int) -> float:
    """The median height of the text lines of the table's cells from `first_row` on (0 without any)."""
    heights = [line.height for cell in table.cells if cell.cell.row >= first_row and cell.text
               for line in cell_lines(table, cell)]
    return statistics.median(heights) if heights else 0.0


def _unsure_if_shared(table: Table, cell: CellText, first_row: int) -> list[CellText] | None:
    """A data cell left whole over rows that are records of their own: its text goes to each of them, and
    belongs to at most one (or holds several rows' values run together), so it is marked unsure."""
    rows = set(range(max(cell.cell.row, first_row), cell.cell.row + cell.cell.row_span))
    if len(rows) < 2 or not rows <= _own_values(table, cell.cell.col):
        return None
    return [replace(cell, confidence=min(cell.confidence, UNSURE))]
