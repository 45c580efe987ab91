"""Rows of a ruled form that has column rules but no rules between its rows.

Word's "no inside horizontal borders" (and rules too faint to survive a photo) leaves a form
whose columns are ruled and whose rows are not: the grid then holds one tall row, every
label in one cell.  Its rows are still plain to see in the text:
- Outside the label column, a row is a band of text: the boxes of one row's cells overlap
  vertically (a wrapped value's lines are spanned by its neighbours, which are centred on
  the row), and two rows leave a gap between them.
- The label column's labels are centred on the rows they name (Word's merged cells centre
  their text): a label block (its wrapped lines) spans the rows its text overlaps, widened
  to the free rows around it that centre it best ("联合体其他成员单位名称与类型" over six
  member rows, "单位负责人" between its two).
Cells in a band are parted by the column rules that cross it.
"""

from __future__ import annotations

import itertools
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from models.page import Box, Line, Page, Word
from pipeline.tables.cells import CellText, confidence_of, join_line, lines_of
from pipeline.tables.geometry import Cell, VerticalExtent
from pipeline.tables.labels import label_score

MIN_RULE_PT = 15.0  # a vertical shorter than this is not a column rule
SAME_RULE_PT = 2.0  # verticals this close in x are one column edge
MIN_COLUMNS = 3  # column edges a form needs (left border, label column, right border)
WRAP_GAP = 0.5  # label lines closer than this share of their height are one wrapped label (unless each has its row)
WRAP_TIGHT = 0.2  # ... and closer than this share always (a wrapped line's boxes all but touch)
FULL_LINE = 0.8  # a line this share of its column's width may have wrapped onto the next
CROSSING = 0.5  # a column rule parts a band when it covers this share of the band's height
CENTRED = 0.3  # a label is centred on rows when its centre is within this share of a row's pitch of theirs


@dataclass(frozen=True)
class _Band(VerticalExtent):
    top: float
    bottom: float


def banded_rows(page: Page) -> list[list[CellText]] | None:
    """The page's rows (cells left to right, a spanning label cell in each row it spans), in reading
    order, with text outside the form as rows of their own; None when the page has too few column rules."""
    verticals = [ln for ln in page.lines if ln.x0 == ln.x1 and ln.bottom - ln.top >= MIN_RULE_PT]
    edges = _column_edges(verticals)
    if len(edges) < MIN_COLUMNS:
        return None
    top, bottom = min(ln.top for ln in verticals), max(ln.bottom for ln in verticals)
    inside = [w for w in page.words if edges[0] <= _cx(w) <= edges[-1] and top - 2 <= _cy(w) <= bottom + 2]
    outside = [w for w in page.words if w not in inside]
    labels = [w for w in inside if _cx(w) <= edges[1]]
    values = [w for w in inside if _cx(w) > edges[1]]
    bands = _bands(values)
    rows: list[tuple[float, list[CellText]]] = []
    for index, band in enumerate(bands):
        words = [w for w in values if band.top <= _cy(w) <= band.bottom]
        rows.append((band.top, _band_cells(index, band, words, verticals, edges)))
    for block, (first, last) in _label_spans(_label_blocks(labels, bands, edges[1] - edges[0]), bands):
        if first > last:  # a label beside no row: a row of its own
            rows.append((block[0].bbox[1], [_cell(Cell(len(rows), 0, 1, 1, _box(block)), block)]))
            continue
        cell = _cell(Cell(first, 0, last - first + 1, 1, _box(block)), block)
        for index in range(first, last + 1):
            rows[index][1].insert(0, cell)
    for line in lines_of(outside):
        rows.append((line[0].bbox[1], [_cell(Cell(len(rows), col, 1, 1, w.bbox), [w]) for col, w in enumerate(line)]))
    return [cells for _, cells in sorted(rows, key=lambda row: row[0])]


def stacked_labels(words: Sequence[Word], rows: Sequence[tuple[float, float]],
                   width: float, known: Sequence[str] = ()) -> list[list[Word]] | None:
    """A merged cell `width` wide over `rows` (top, bottom) that holds several labels stacked without rules between
    them (a 类别 column whose rules were left out or lost): each row's label words, every label given the
    rows it is centred on; None when the cell holds one label (it names every row it spans).  `known`: the
    form's labels for the column (a label wrapped over two lines is one of them, its halves are not)."""
    bands = [_Band(top, bottom) for top, bottom in rows]
    blocks = _label_blocks(words, bands, width, known)
    if len(blocks) < 2:
        return None
    parts: list[list[Word]] = [[] for _ in rows]
    for block, (first, last) in _label_spans(blocks, bands):
        for index in range(first, last + 1):
            parts[index] = list(block)
    return parts


def _column_edges(verticals: Sequence[Line]) -> list[float]:
    edges: list[float] = []
    for x in sorted(ln.x0 for ln in verticals):
        if not edges or x - edges[-1] > SAME_RULE_PT:
            edges.append(x)
    return edges


def _bands(words: Sequence[Word]) -> list[_Band]:
    """Vertical extents of the words merged wherever they overlap or touch: the rows."""
    bands: list[_Band] = []
    for word in sorted(words, key=lambda w: w.bbox[1]):
        if bands and word.bbox[1] <= bands[-1].bottom:
            bands[-1] = _Band(bands[-1].top, max(bands[-1].bottom, word.bbox[3]))
        else:
            bands.append(_Band(word.bbox[1], word.bbox[3]))
    return bands


def _band_cells(row: int, band: _Band, words: Sequence[Word], verticals: Sequence[Line],
                edges: Sequence[float]) -> list[CellText]:
    """The band's words parted into cells by the column rules crossing it (and the label column's edge)."""
    height = band.bottom - band.top
    crossing = [ln.x0 for ln in verticals
                if min(ln.bottom, band.bottom) - max(ln.top, band.top) >= CROSSING * height]
    cuts = _column_edges([Line(x, 0.0, x, 1.0) for x in [*crossing, edges[1], edges[-1]]])
    cells = []
    for col, (left, right) in enumerate(itertools.pairwise(cuts)):
        inside = [w for w in words if left <= _cx(w) < right]
        if inside:
            cells.append(_cell(Cell(row, col + 1, 1, 1, (left, band.top, right, band.bottom)), inside))
    return cells


def _label_blocks(words: Sequence[Word], bands: Sequence[_Band], width: float,
                  known: Sequence[str] = ()) -> list[list[Word]]:
    """The label column's lines (`width` wide), wrapped lines of one label joined.

    Lines closer than half a line are one label when the first fills the column (text wraps only
    there) or when the two do not each sit centred in a row of their own (two one-line labels of
    consecutive tight rows); lines all but touching are always one label; lines within a line of each
    other are one label when together they are one of the `known` labels and the first alone is none."""
    blocks: list[list[Word]] = []
    previous: Sequence[Word] = ()
    for line in lines_of(words):
        height = max(w.bbox[3] - w.bbox[1] for w in line)
        gap = min(w.bbox[1] for w in line) - _box(blocks[-1])[3] if blocks else height
        wrapped = gap < WRAP_GAP * height and (
            _box(previous)[2] - _box(previous)[0] >= FULL_LINE * width or not _own_rows(blocks[-1], line, bands))
        if blocks and gap < height and not wrapped and known:
            wrapped = _one_known_label(blocks[-1], line, known)
        if blocks and (gap < WRAP_TIGHT * height or wrapped):
            blocks[-1].extend(line)
        else:
            blocks.append(list(line))
        previous = line
    return blocks


ONE_LABEL = 0.9  # how well two lines read together must match a known label to be that label wrapped


def _one_known_label(block: Sequence[Word], line: Sequence[Word], known: Sequence[str]) -> bool:
    """`block` and the `line` under it read together as one of the `known` labels, which neither the last
    line of `block` nor `line` reads as alone (面向中小企业的“小快轻 / 准”解决方案; not 模型库 / 解决方案)."""
    upper = "".join(w.text for w in lines_of(block)[-1])
    lower = "".join(w.text for w in line)
    together = upper + lower
    return any(label_score(together, label) >= ONE_LABEL and label_score(upper, label) < ONE_LABEL
               and label_score(lower, label) < ONE_LABEL for label in known)


def _own_rows(block: Sequence[Word], line: Sequence[Word], bands: Sequence[_Band]) -> bool:
    """True when `block` lies centred on the rows it overlaps and `line` inside a later row."""
    under, nxt = _rows_under(block, bands), _row_within(line, bands)
    if not under or nxt is None or nxt <= under[-1]:
        return False
    _, top, _, bottom = _box(block)
    first, last = bands[under[0]], bands[under[-1]]
    return abs((top + bottom) / 2 - (first.top + last.bottom) / 2) <= CENTRED * (last.bottom - last.top)


def _row_within(words: Sequence[Word], bands: Sequence[_Band], slack: float = 1.0) -> int | None:
    _, top, _, bottom = _box(words)
    return next((i for i, b in enumerate(bands) if b.top - slack <= top and bottom <= b.bottom + slack), None)


def _label_spans(blocks: Sequence[list[Word]], bands: Sequence[_Band]) -> list[tuple[list[Word], tuple[int, int]]]:
    """Each label block with the first and last row it names (first > last: beside no row)."""
    spans = []
    taken = -1  # last row named by the blocks above
    for k, block in enumerate(blocks):
        top, bottom = _box(block)[1], _box(block)[3]
        centre = (top + bottom) / 2
        overlapped = [i for i in _rows_under(block, bands) if i > taken]
        limit = _first_row_of(blocks[k + 1], bands) - 1 if k + 1 < len(blocks) else len(bands) - 1
        if overlapped:
            low, high = overlapped[0], overlapped[-1]
        else:  # between two rows: the rows either side are the candidates
            low = next((i for i, b in enumerate(bands) if b.top > centre and i > taken), len(bands))
            high = low - 1
            if low > limit or high <= taken:
                spans.append((block, (1, 0)))
                continue
        candidates = [(first, last) for first in range(taken + 1, low + 1) for last in range(max(high, first), limit + 1)]
        if not candidates:
            spans.append((block, (1, 0)))
            continue
        first, last = _most_centred(candidates, _row_extents(bands), centre)
        spans.append((block, (first, last)))
        taken = last
    return spans


def _row_extents(bands: Sequence[_Band]) -> list[tuple[float, float]]:
    """Each row from halfway to the row above to halfway to the row below: a row's place, not its ink."""
    extents = []
    for i, band in enumerate(bands):
        top = (bands[i - 1].bottom + band.top) / 2 if i else band.top
        bottom = (band.bottom + bands[i + 1].top) / 2 if i + 1 < len(bands) else band.bottom
        extents.append((top, bottom))
    return extents


def _most_centred(candidates: Sequence[tuple[int, int]], extents: Sequence[tuple[float, float]],
                  centre: float) -> tuple[int, int]:
    """The widest run of rows the label is centred on (every symmetric run shares a centre), else the
    best-centred run."""
    pitch = statistics.median(bottom - top for top, bottom in extents)

    def offset(run: tuple[int, int]) -> float:
        return abs((extents[run[0]][0] + extents[run[1]][1]) / 2 - centre)

    centred = [run for run in candidates if offset(run) <= CENTRED * pitch]
    if centred:
        return max(centred, key=lambda run: (run[1] - run[0], -offset(run)))
    return min(candidates, key=lambda run: (offset(run), run[1] - run[0]))


def _rows_under(block: Sequence[Word], bands: Sequence[_Band]) -> list[int]:
    _, top, _, bottom = _box(block)
    return [i for i, b in enumerate(bands) if min(b.bottom, bottom) > max(b.top, top)]


def _first_row_of(block: Sequence[Word], bands: Sequence[_Band]) -> int:
    """The first row a label block overlaps, or (beside no row) the first row below its centre."""
    under = _rows_under(block, bands)
    if under:
        return under[0]
    centre = (_box(block)[1] + _box(block)[3]) / 2
    return next((i for i, b in enumerate(bands) if b.top > centre), len(bands))


def _cell(cell: Cell, words: Sequence[Word]) -> CellText:
    text = "\n".join(join_line(line) for line in lines_of(words))
    return CellText(cell=cell, bbox=_box(words) if words else cell.bbox, words=tuple(words), text=text.strip(),
                    confidence=round(confidence_of(words), 4))


def _box(words: Sequence[Word]) -> Box:
    return (min(w.bbox[0] for w in words), min(w.bbox[1] for w in words),
            max(w.bbox[2] for w in words), max(w.bbox[3] for w in words))


def _cx(word: Word) -> float:
    return (word.bbox[0] + word.bbox[2]) / 2


def _cy(word: Word) -> float:
    return (word.bbox[1] + word.bbox[3]) / 2
