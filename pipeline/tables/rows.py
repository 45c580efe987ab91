"""Rows the rules failed to separate, found from the text: the key column's entries and the gaps between lines.

A faint, broken or missing rule between two data rows leaves one grid row (or one
cell spanning two) holding both rows' text: two 序号 in one cell, three training
dates stacked over three names.  Every data row of the appendix tables opens with a
key in one column — a 序号 (1, 2, 3 …) or a date — printed on a single line, while a
long name wraps onto several lines of one cell.  So the column whose lines are keys
is found from the table's own text, and each key line (and each line there without
digits above them: a header run into the first row) starts a row of its own; a cell with one
key and wrapped text elsewhere stays one row.

Where two rows meet is decided from the page: inside the band between the two keys,
a faint rule the rule finder missed (a pixel row light-grey across the table) if
there is one, else the widest gap between the lines of text there.  The cuts come
back as horizontal rules from the key column to the table's right edge (a 类别
merged over rows to its left keeps its span), to be built into the grid with the
page's own rules.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from models.page import Word
from pipeline.tables.cells import assign_words, join_line, lines_of
from pipeline.tables.geometry import Frame, Grid, Rule, VerticalExtent

SEQ_KEY = re.compile(r"\d{1,3}[.、]?")
DATE_KEY = re.compile(r"(?:19|20)\d{2}\s*[年./\-]\s*\d{1,2}(?:\s*[月./\-]\s*\d{1,2}\s*日?)?")
KEY_SHARE = 2.0  # a key column holds at least this many key lines per other line with digits
FAINT_CONTRAST = 6.0  # grey levels a pixel row must be darker than its band (per segment) to be a rule there
FAINT_SEGMENTS = 8  # the table's width is judged in this many segments
FAINT_ACROSS = 0.75  # share of the segments a rule darkens
EDGE_INSET = 2.0  # points kept off the table's sides when looking for a faint rule (the outer rules)


@dataclass(frozen=True)
class TextLine(VerticalExtent):
    """One line of a cell's text (table frame)."""

    text: str
    top: float
    bottom: float

    @property
    def is_key(self) -> bool:
        flat = self.text.replace(" ", "")
        return bool(SEQ_KEY.fullmatch(flat) or DATE_KEY.fullmatch(flat))

    @property
    def has_digits(self) -> bool:
        return any(char.isdigit() for char in self.text)


@dataclass(frozen=True)
class PageInk:
    """The print layer (paper 255) at `scale` pixels per point, for faint rules between rows."""

    image: np.ndarray
    scale: float

    def faint_rule(self, frame: Frame, x0: float, x1: float, y0: float, y1: float) -> float | None:
        """The y (table frame) between `y0` and `y1` where a pixel row runs darker all across the table, or None.

        The width is cut into segments and each pixel row's mean darkness in a segment is
        compared with that segment's median over the band: a rule, however light, darkens
        its row in nearly every segment, while the scan's noise averages out, a vertical
        rule darkens every row alike and a stray glyph's edge darkens only its own segment.
        """
        step = 1.0 / self.scale
        xs = np.arange(x0 + EDGE_INSET, x1 - EDGE_INSET, step)
        ys = np.arange(y0, y1, step)
        if xs.size < FAINT_SEGMENTS * 2 or ys.size < 3:
            return None
        darkness = np.array([self._darkness(frame, xs, float(y)) for y in ys])  # rows × points
        segments = np.array_split(darkness, FAINT_SEGMENTS, axis=1)
        profile = np.column_stack([segment.mean(axis=1) for segment in segments])  # rows × segments
        raised = (profile - np.median(profile, axis=0)) >= FAINT_CONTRAST
        share = raised.mean(axis=1)
        peak = int(np.argmax(share + 1e-3 * profile.mean(axis=1)))
        return float(ys[peak]) if share[peak] >= FAINT_ACROSS else None

    def _darkness(self, frame: Frame, xs: np.ndarray, y: float) -> np.ndarray:
        """Darkness (255 - grey) at the points (xs, y), table frame; paper outside the image."""
        corners = [frame.box_to_page((float(x), y, float(x), y)) for x in (xs[0], xs[-1])]
        (px0, py0), (px1, py1) = ((c[0] * self.scale, c[1] * self.scale) for c in corners)
        columns = np.round(np.linspace(px0, px1, xs.size)).astype(int)
        rows = np.round(np.linspace(py0, py1, xs.size)).astype(int)
        height, width = self.image.shape[:2]
        inside = (columns >= 0) & (columns < width) & (rows >= 0) & (rows < height)
        out = np.zeros(xs.size)
        out[inside] = 255.0 - self.image[rows[inside], columns[inside]].astype(float)
        return out


def cell_lines(grid: Grid, frame: Frame, words: Sequence[Word]) -> dict[tuple[int, int], list[TextLine]]:
    """Each cell's text lines (table frame), keyed by the cell's (row, col)."""
    placed = assign_words(words, grid, frame)
    out = {}
    for key, cell_words in placed.items():
        turned = [replace(w, bbox=frame.box_to_table(w.bbox)) for w in cell_words]
        out[key] = [TextLine(join_line(line), min(w.bbox[1] for w in line), max(w.bbox[3] for w in line))
                    for line in lines_of(turned)]
    return out


def key_column(grid: Grid, lines: dict[tuple[int, int], list[TextLine]]) -> int | None:
    """The leftmost column whose lines are keys (序号 or dates): at least two, and few other lines with digits."""
    for col in range(grid.n_cols):
        column = [line for (_, c), cell in lines.items() if c == col for line in cell]
        keys = sum(line.is_key for line in column)
        others = sum(line.has_digits and not line.is_key for line in column)
        if keys >= 2 and keys >= KEY_SHARE * others:
            return col
    return None


def starts_row(line: TextLine) -> bool:
    """A key, or a line without digits (a header run into the first row): either opens a row."""
    return line.is_key or not line.has_digits


def free_gaps(spans: Sequence[tuple[float, float]], low: float, high: float) -> list[tuple[float, float]]:
    """The stretches of [low, high] that no word's vertical span covers."""
    gaps, reach = [], low
    for top, bottom in sorted(spans):
        if bottom <= reach or top >= high:
            continue
        if top > reach:
            gaps.append((reach, top))
        reach = max(reach, bottom)
    if high > reach:
        gaps.append((reach, high))
    return gaps


def _cut_between(spans: Sequence[tuple[float, float]], low: float, high: float, frame: Frame,
                 across: tuple[float, float], ink: PageInk | None) -> float:
    """Where one row ends and the next begins between `low` and `high`: on a faint rule in a gap
    between lines if the page shows one, else in the middle of the widest gap."""
    gaps = free_gaps(spans, low, high) or [(low, high)]
    if ink is not None:
        for top, bottom in gaps:
            faint = ink.faint_rule(frame, across[0], across[1], top, bottom)
            if faint is not None:
                return faint
    top, bottom = max(gaps, key=lambda gap: gap[1] - gap[0])
    return (top + bottom) / 2


def row_cuts(grid: Grid, frame: Frame, words: Sequence[Word], ink: PageInk | None = None) -> list[Rule]:
    """Horizontal rules (table frame) between data rows that the grid holds in one row or one cell.

    Existing boundaries between two rows that each start with a key are returned too:
    a cell to the right spanning both (its rule broken there) is split at them.
    """
    lines = cell_lines(grid, frame, words)
    col = key_column(grid, lines)
    breaks = unwrapped_breaks(grid, frame, words)
    if col is None:
        return [Rule("h", y, grid.xs[first], grid.xs[-1]) for y, first in breaks]
    left, right = grid.xs[col], grid.xs[-1]
    spans = [(w.bbox[1], w.bbox[3]) for w in (replace(w, bbox=frame.box_to_table(w.bbox)) for w in words)
             if left <= (w.bbox[0] + w.bbox[2]) / 2 <= right]
    cuts: list[float] = []
    key_cells = sorted((cell for cell in grid.cells if cell.col == col), key=lambda cell: cell.row)
    for cell in key_cells:
        cell_text = sorted(lines.get((cell.row, cell.col), []), key=lambda line: line.top)
        if len(cell_text) < 2 or not any(line.is_key for line in cell_text):
            continue
        # Below the first key a line without digits is a wrapped key's tail (2024年12月11 / 日), not a row.
        first_key = next(index for index, line in enumerate(cell_text) if line.is_key)
        starts = [line for index, line in enumerate(cell_text)
                  if line.is_key or (index < first_key and starts_row(line))]
        for upper, lower in itertools.pairwise(starts):
            between = [line for line in cell_text if upper.bottom <= line.top and line.bottom <= lower.top]
            low = max([upper.bottom, *(line.bottom for line in between)])
            cuts.append(_cut_between(spans, low, lower.top, frame, (left, right), ink))
    for above, below in itertools.pairwise(key_cells):
        if _opens_with_key(lines, above.row, col) and _opens_with_key(lines, below.row, col):
            cuts.append(grid.ys[below.row])
    rules = [Rule("h", y, left, right) for y in cuts]
    # Rows whose keys the OCR lost (pale print): the lines of their other cells still part them, where
    # no key's cut lies in the same gap between lines (no word wholly between the two: one boundary,
    # the key's, however the two were placed on a curled page).
    return rules + [Rule("h", y, min(left, grid.xs[first]), right) for y, first in breaks
                    if all(_word_between(spans, y, cut) for cut in cuts)]


def _word_between(spans: Sequence[tuple[float, float]], a: float, b: float) -> bool:
    low, high = min(a, b), max(a, b)
    return any(low <= top and bottom <= high for top, bottom in spans)


UNFILLED = 2.0  # a line ending this many of its heights short of its cell's right edge did not wrap
ENTRY_CHARS = 3  # a line this long or longer can open an entry; a shorter one is a wrapped name's tail (公司)
BREAK_CELLS = 2  # cells of one row that must end an entry at the same height for a row boundary
BREAK_NEAR = 0.5  # line heights: entry ends this close are at the same height


def unwrapped_breaks(grid: Grid, frame: Frame, words: Sequence[Word]) -> list[tuple[float, int]]:
    """Row boundaries inside grid rows where no key shows them: (y, first column) in the table frame.

    Text wraps onto a cell's next line only when the line is full; a line that ends well short of
    its cell's edge, followed by another that is more than a wrapped name's tail, ends an entry.  Where two cells or more of one grid row
    end an entry at the same height (the middles of the gaps after them within half a line), two
    records share the row: its rule was not found and its 序号 not read.
    """
    placed = assign_words(words, grid, frame)
    ends: dict[int, list[tuple[float, float, int]]] = {}  # grid row → (gap middle, line height, column)
    for (row, col), cell_words in placed.items():
        cell = grid.cell_at(row, col)
        if cell is None:
            continue
        turned = lines_of([replace(w, bbox=frame.box_to_table(w.bbox)) for w in cell_words])
        for upper, lower in itertools.pairwise(turned):
            height = max(w.bbox[3] - w.bbox[1] for w in upper)
            entry = len("".join(w.text for w in lower).replace(" ", "")) >= ENTRY_CHARS
            if entry and cell.bbox[2] - max(w.bbox[2] for w in upper) > UNFILLED * height:
                middle = (max(w.bbox[3] for w in upper) + min(w.bbox[1] for w in lower)) / 2
                ends.setdefault(row, []).append((middle, height, col))
    out: list[tuple[float, int]] = []
    for found in ends.values():
        for middle, height, _ in sorted(found):
            near = [end for end in found if abs(end[0] - middle) <= BREAK_NEAR * height]
            if len({end[2] for end in near}) < BREAK_CELLS:
                continue
            y = sum(end[0] for end in near) / len(near)
            if all(abs(y - other) > BREAK_NEAR * height for other, _ in out):
                out.append((y, min(end[2] for end in near)))
    return out


def _opens_with_key(lines: dict[tuple[int, int], list[TextLine]], row: int, col: int) -> bool:
    cell = sorted(lines.get((row, col), []), key=lambda line: line.top)
    return bool(cell) and cell[0].is_key
