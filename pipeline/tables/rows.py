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
from pipeline.tables.geometry import Cell, Frame, Grid, Rule, VerticalExtent
from pipeline.tables.unit_names import COMPLETE

SEQ_KEY = re.compile(r"\d{1,3}[.、]?")
# A date, or the head of one a narrow column wrapped ('2024年10月' · '11日', '2024年' · '5月28日'): the year opens it.
DATE_KEY = re.compile(r"(?:19|20)\d{2}\s*(?:年|[./\-])(?:\s*\d{1,2}(?:\s*(?:月|[./\-])(?:\s*\d{1,2}\s*日?)?)?)?")
# The tail of a wrapped date ('日', '11日', '5月28日'): part of the key above it, neither a key nor another figure.
DATE_TAIL = re.compile(r"(?:\d{1,2}\s*月)?\s*(?:\d{1,2}\s*)?日")
KEY_SHARE = 2.0  # a key column holds at least this many key lines per other line with digits
FAINT_CONTRAST = 6.0  # grey levels a pixel row must be darker than its band (per segment) to be a rule there
FAINT_SEGMENTS = 8  # the table's width is judged in this many segments
FAINT_ACROSS = 0.75  # share of the segments a rule darkens
EDGE_INSET = 2.0  # points kept off the table's sides when looking for a faint rule (the outer rules)
KEY_INK = 160  # print-layer pixels darker than this are ink of a key the OCR lost
RULE_SHARE = 0.5  # a pixel row or column of a key cell inked over this share is a rule's remains
COVER_PAD = 1.0  # points around a word's box that its glyphs' edges may reach
KEY_TALL = (0.4, 1.5)  # an unread key's ink is this tall, in the read keys' heights (OCR boxes pad the ink)
KEY_WIDE = 1.7  # ... and at most this wide for its own height (a 序号 of up to three digits; 序号 itself is wider)
KEY_MIN_PX = 12  # fewer inked pixels are specks
STROKE_PERCENTILE = 5  # of a read key's box: its strokes' grey (a digit inks a tenth or more of its box)
PAPER_MARGIN = 30  # grey levels below the paper that a key's ink is at least
KEY_BREAK = 0.25  # of a key's height: a gap between rows of ink that one pale glyph's strokes leave
TOUCH_GAP = 2.0  # points: ink this close to a read word on its line is that word's


@dataclass(frozen=True)
class TextLine(VerticalExtent):
    """One line of a cell's text (table frame)."""

    text: str
    top: float
    bottom: float
    unread: bool = False  # ink of a key the OCR did not read (`PageInk.unread_keys`)

    @property
    def is_key(self) -> bool:
        flat = self.text.replace(" ", "")
        return self.unread or bool(SEQ_KEY.fullmatch(flat) or DATE_KEY.fullmatch(flat))

    @property
    def is_date_tail(self) -> bool:
        return bool(DATE_TAIL.fullmatch(self.text.replace(" ", "")))

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

    def unread_keys(self, frame: Frame, box: tuple[float, float, float, float], read: Sequence[TextLine],
                    covered: Sequence[tuple[float, float, float, float]], stroke: float | None = None) -> list[TextLine]:
        """Keys the OCR lost in a key cell (table frame `box`): lines of ink no word covers (`covered`: the
        words' boxes, page frame), as tall as the column's read keys (`read`) and no wider than a 序号 of
        three digits. `stroke`: the grey of the print's strokes where no word was read in the cell.

        OCR drops a lone narrow glyph (a 序号 1 above all) more than any other text, and a
        lost key leaves its row joined to the one above.  Its ink is still on the page.
        """
        heights = [line.bottom - line.top for line in read]
        if not heights:
            return []
        height = float(np.median(heights))
        x0, y0, x1, y1 = frame.box_to_page((box[0] + EDGE_INSET, box[1] + EDGE_INSET,
                                            box[2] - EDGE_INSET, box[3] - EDGE_INSET))
        px0, py0 = max(0, round(x0 * self.scale)), max(0, round(y0 * self.scale))
        px1, py1 = min(self.image.shape[1], round(x1 * self.scale)), min(self.image.shape[0], round(y1 * self.scale))
        if px1 - px0 < 2 or py1 - py0 < 2:
            return []
        crop = self.image[py0:py1, px0:px1]
        ink = crop < self._ink_level(crop, [(round(w[0] * self.scale) - px0, round(w[1] * self.scale) - py0,
                                             round(w[2] * self.scale) - px0, round(w[3] * self.scale) - py0)
                                            for w in covered], stroke)
        ink[ink.mean(axis=1) > RULE_SHARE, :] = False  # a rule's remains along the cell's edges
        ink[:, ink.mean(axis=0) > RULE_SHARE] = False
        pad = COVER_PAD * self.scale
        for word in covered:
            wx0, wy0, wx1, wy1 = word
            ink[max(0, round(wy0 * self.scale - pad) - py0):max(0, round(wy1 * self.scale + pad) - py0),
                max(0, round(wx0 * self.scale - pad) - px0):max(0, round(wx1 * self.scale + pad) - px0)] = False
        found = []
        # A pale glyph's strokes break apart (a 7's bar above its stem): rows of ink a small gap apart are one glyph.
        for top, bottom in _joined(_runs(np.asarray(ink.any(axis=1))), KEY_BREAK * height * self.scale):
            cols = np.flatnonzero(ink[top:bottom].any(axis=0))
            tall, wide = (bottom - top) / self.scale, (cols[-1] - cols[0] + 1) / self.scale
            blob = ((px0 + cols[0]) / self.scale, (py0 + top) / self.scale,
                    (px0 + cols[-1] + 1) / self.scale, (py0 + bottom) / self.scale)
            if KEY_TALL[0] * height <= tall <= KEY_TALL[1] * height and wide <= KEY_WIDE * tall \
                    and int(ink[top:bottom].sum()) >= KEY_MIN_PX and not any(_touches(blob, w) for w in covered):
                _, ty0, _, ty1 = frame.box_to_table((x0, blob[1], x1, blob[3]))
                found.append(TextLine("", ty0, ty1, unread=True))
        return found

    @staticmethod
    def _ink_level(crop: np.ndarray, read: Sequence[tuple[int, int, int, int]], stroke: float | None = None) -> float:
        """Grey levels darker than this are a key's ink in `crop`: `KEY_INK`, or halfway between the paper and
        the strokes of the words read there (`read`: their boxes, crop pixels; else the `stroke` given) where
        the print is paler (a phone photo's grey digits, whose strokes barely reach `KEY_INK`), never within
        `PAPER_MARGIN` of the paper."""
        boxes = [crop[max(0, y0):max(0, y1), max(0, x0):max(0, x1)] for x0, y0, x1, y1 in read]
        strokes = [float(np.percentile(box, STROKE_PERCENTILE)) for box in boxes if box.size]
        if not strokes and stroke is None:
            return KEY_INK
        paper = float(np.median(crop))
        stroke = float(np.median(strokes)) if strokes else stroke  # the typical read word's, not the boldest
        assert stroke is not None
        return max(KEY_INK, min((paper + stroke) / 2, paper - PAPER_MARGIN))

    def stroke_grey(self, boxes: Sequence[tuple[float, float, float, float]]) -> float | None:
        """The typical grey of the strokes of the words in `boxes` (page frame), or None."""
        found = [self.image[max(0, round(y0 * self.scale)):max(0, round(y1 * self.scale)),
                            max(0, round(x0 * self.scale)):max(0, round(x1 * self.scale))] for x0, y0, x1, y1 in boxes]
        strokes = [float(np.percentile(box, STROKE_PERCENTILE)) for box in found if box.size]
        return float(np.median(strokes)) if strokes else None

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


def _touches(blob: tuple[float, float, float, float], box: tuple[float, float, float, float]) -> bool:
    """The ink is a glyph's edge sticking out of a read word's box (OCR boxes do not always hold all
    the ink): on the word's line and within `TOUCH_GAP` of it."""
    overlap = min(blob[3], box[3]) - max(blob[1], box[1])
    gap = max(box[0] - blob[2], blob[0] - box[2])
    return overlap > 0.5 * (blob[3] - blob[1]) and gap <= TOUCH_GAP


def _joined(runs: list[tuple[int, int]], gap: float) -> list[tuple[int, int]]:
    """Runs (sorted) with those less than `gap` apart joined into one."""
    out: list[tuple[int, int]] = []
    for start, end in runs:
        if out and start - out[-1][1] < gap:
            out[-1] = (out[-1][0], end)
        else:
            out.append((start, end))
    return out


def _runs(flags: np.ndarray) -> list[tuple[int, int]]:
    """[start, end) of each run of True."""
    edges = np.flatnonzero(np.diff(np.concatenate(([0], flags.astype(np.int8), [0]))))
    return [(int(a), int(b)) for a, b in zip(edges[::2], edges[1::2], strict=True)]


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
    """The leftmost column whose lines are keys (序号 or dates): at least two, and few other lines with digits.

    A column no cell of its own holds text in, only cells spanning on into the next (a margin a scan's noise
    ruled off beside the table: the rows whose rule to the real border broke read their keys as its), hands
    the keys to the next column where that one holds them: its cells are the records' (dev32 a03's contracts,
    two dates in one cell of the next column while the margin's column was taken for the keys')."""
    for col in range(grid.n_cols):
        if _keyed(lines, col):
            return col + 1 if not _own_text(grid, lines, col) and _keyed(lines, col + 1) else col
    return None


def _keyed(lines: dict[tuple[int, int], list[TextLine]], col: int) -> bool:
    column = [line for (_, c), cell in lines.items() if c == col for line in cell]
    keys = sum(line.is_key for line in column)
    others = sum(line.has_digits and not line.is_key and not line.is_date_tail for line in column)
    return keys >= 2 and keys >= KEY_SHARE * others


def _own_text(grid: Grid, lines: dict[tuple[int, int], list[TextLine]], col: int) -> bool:
    """Whether a cell of column `col` alone (spanning no column beyond it) holds text."""
    return any(lines.get((cell.row, cell.col)) for cell in grid.cells if cell.col == col and cell.col_span == 1)


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
    between lines if the page shows one, else in the middle of the widest gap; with no gap (a cell
    of two lines centred on its row reaches above the row's key), where the lines are cut least."""
    gaps = free_gaps(spans, low, high)
    if not gaps:
        return least_cut(spans, low, high)
    if ink is not None:
        for top, bottom in gaps:
            faint = ink.faint_rule(frame, across[0], across[1], top, bottom)
            if faint is not None:
                return faint
    top, bottom = max(gaps, key=lambda gap: gap[1] - gap[0])
    return (top + bottom) / 2


def least_cut(spans: Sequence[tuple[float, float]], low: float, high: float, step: float = 0.25) -> float:
    """The y in [low, high] that cuts the lines (vertical spans) least deep, each by the share of its
    height: a line cut near its top or bottom edge loses the slack of its box, one cut through its
    middle half its characters (a box OCR stretched over a seal's ink is tall, and shallow for its height)."""
    ys = np.arange(low, high + step / 2, step)
    if ys.size == 0:
        return (low + high) / 2
    depth = np.zeros(ys.size)
    for top, bottom in spans:
        inside = (ys > top) & (ys < bottom)
        depth[inside] += np.minimum(ys[inside] - top, bottom - ys[inside]) / (bottom - top)
    return float(ys[int(np.argmin(depth))])


def row_cuts(grid: Grid, frame: Frame, words: Sequence[Word], ink: PageInk | None = None) -> list[Rule]:
    """Horizontal rules (table frame) between data rows that the grid holds in one row or one cell.

    Existing boundaries between a row holding a key and one starting with a key are returned too:
    a cell to the right spanning both (its rule broken there) is split at them.
    """
    lines = cell_lines(grid, frame, words)
    col = key_column(grid, lines)
    breaks = unwrapped_breaks(grid, frame, words)
    if col is None and ink is not None:
        col, lines = _keys_all_lost(grid, frame, words, lines, ink)
    if col is None:
        return [Rule("h", y, grid.xs[first], grid.xs[-1]) for y, first in breaks]
    left, right = grid.xs[col], grid.xs[-1]
    spans = [(w.bbox[1], w.bbox[3]) for w in (replace(w, bbox=frame.box_to_table(w.bbox)) for w in words)
             if left <= (w.bbox[0] + w.bbox[2]) / 2 <= right]
    cuts: list[float] = []
    # A cell spanning into the key column from the left (the margin's column above) holds its row's key.
    key_cells = sorted((cell for cell in grid.cells if cell.covers(cell.row, col)), key=lambda cell: cell.row)
    if ink is not None:
        lines = with_unread_keys(grid, frame, words, lines, col, ink)
    for cell in key_cells:
        cell_text = sorted(lines.get((cell.row, cell.col), []), key=lambda line: line.top)
        if len(cell_text) < 2 or not any(line.is_key for line in cell_text):
            continue
        # Below the first key a line without digits is a wrapped key's tail (2024年12月11 / 日), not a row.
        first_key = next(index for index, line in enumerate(cell_text) if line.is_key)
        # Marks alone are a glyph not read (its ink looked at as a lost key's), no header line.
        starts = [line for index, line in enumerate(cell_text)
                  if line.is_key or (index < first_key and starts_row(line) and not marks_only(line.text))]
        beside = _lines_by_column(lines, cell, col)
        for upper, lower in itertools.pairwise(starts):
            between = [line for line in cell_text if upper.bottom <= line.top and line.bottom <= lower.top]
            low = max([upper.bottom, *(line.bottom for line in between)])
            centred = None if free_gaps(spans, low, lower.top) else centred_parting(spans, upper, lower, beside)
            cuts.append(centred if centred is not None
                        else _cut_between(spans, low, lower.top, frame, (left, right), ink))
    for above, below in itertools.pairwise(key_cells):
        # The cell above may open with the header's line where no rule parts the header from the first records
        # (a faint frame's pieces put together): its last record ends at the boundary all the same.
        if _holds_key(lines, above.row, above.col) and _opens_with_key(lines, below.row, below.col):
            cuts.append(grid.ys[below.row])
    rules = [Rule("h", y, left, right) for y in cuts]
    # Rows whose keys the OCR lost (pale print): the lines of their other cells still part them, where
    # no key's cut lies in the same gap between lines (no word wholly between the two: one boundary,
    # the key's, however the two were placed on a curled page).
    return rules + [Rule("h", y, min(left, grid.xs[first]), right) for y, first in breaks
                    if all(_word_between(spans, y, cut) for cut in cuts)]


def _lines_by_column(lines: dict[tuple[int, int], list[TextLine]], cell: Cell, col: int) -> list[list[TextLine]]:
    """The lines of each column right of the key column level with the key cell's rows, top to bottom."""
    columns: dict[int, list[TextLine]] = {}
    for (row, c), found in lines.items():
        if c > col and cell.row <= row < cell.row + cell.row_span:
            columns.setdefault(c, []).extend(found)
    return [sorted(found, key=lambda line: line.top) for _, found in sorted(columns.items())]


MIRROR_NEAR = 0.5  # of a line's height: a line this close to where another's mirror image falls stands there
PARTING_SLACK = 0.5  # of a line's height: the last line of one record and the first of the next may overlap so
# much (boxes padded over the lost rule) and still part where they are cut least


def centred_parting(spans: Sequence[tuple[float, float]], upper: TextLine, lower: TextLine,
                    columns: Sequence[Sequence[TextLine]]) -> float | None:
    """Where two records part whose cells' lines stand centred on their keys (Word's centred cells), when no
    blank runs between them all across: None where the lines say nothing of it.

    A record of five lines beside a one-line record leaves no blank between the two across the table when
    their boxes are padded over the lost rule (the name of the record below, two lines centred on its key,
    begins level with the last line of the long cell above), and the lines are cut least just under the
    upper key: the long cell's last two lines went to the record below. In a centred cell each line has its
    mirror image about the key's middle among the cell's lines: a line between the two keys mirrored about
    the upper key's middle alone is the upper record's, about the lower's alone the lower record's. The
    records part below the upper record's lines and above the lower's, where the lines are cut least; None
    unless a line of the upper record is told (a key standing on its record's first line has no line of its
    record above it to mirror one below; a name's wrapped tail under it mirrors the next record's tail about
    the next key: dev26 a10's fax), or where the lines told cross."""
    ends: list[TextLine] = []
    starts: list[TextLine] = []
    for column in columns:
        for line in column:
            if not upper.centre + MIRROR_NEAR * line.height < line.centre < lower.centre - MIRROR_NEAR * line.height:
                continue
            up, down = _mirrored(column, line, upper.centre), _mirrored(column, line, lower.centre)
            if up and not down:
                ends.append(line)
            elif down and not up:
                starts.append(line)
    if not ends:  # the upper record not shown centred: a key on its record's first line (a name's tail under it)
        return None
    low = max([upper.bottom, *(line.bottom for line in ends)])
    high = min([lower.top, *(line.top for line in starts)])
    slack = PARTING_SLACK * min(line.height for line in [*ends, *starts])
    if low > high + slack:
        return None
    return least_cut(spans, min(low, high), max(low, high))


def _mirrored(column: Sequence[TextLine], line: TextLine, pivot: float) -> bool:
    """Another line of the column stands where `line`'s mirror image about `pivot` falls."""
    image = 2 * pivot - line.centre
    return any(other is not line and abs(other.centre - image) <= MIRROR_NEAR * line.height for other in column)


def with_unread_keys(grid: Grid, frame: Frame, words: Sequence[Word], lines: dict[tuple[int, int], list[TextLine]],
                     col: int, ink: PageInk, reference: Sequence[TextLine] = ()) -> dict[tuple[int, int], list[TextLine]]:
    """`lines` with the 序号 the OCR lost added to the key column's cells (`PageInk.unread_keys`), where
    the key column numbers its rows and a line of another cell of the row stands beside the lost key.
    Where the column read too few keys to be known by them, the `reference` lines (the table's text) give a
    key's height and the table's words the print's grey."""
    column = [line for (_, c), cell in lines.items() if c == col for line in cell]
    keys = [line for line in column if line.is_key]
    stroke = None
    if reference:
        keys = list(reference)
        stroke = ink.stroke_grey([w.bbox for w in words if not marks_only(w.text)])
    elif not keys or sum(bool(SEQ_KEY.fullmatch(line.text.replace(" ", ""))) for line in keys) < SEQ_SHARE * len(keys):
        return lines
    # A key read as marks alone ('1' read '=€' on a blurred photo) covers its ink with no key: its ink is
    # looked at as a key the OCR lost.
    boxes = [(frame.box_to_table(w.bbox), w.bbox) for w in words if not marks_only(w.text)]
    out = dict(lines)
    for cell in (cell for cell in grid.cells if cell.col == col):
        x0, y0, x1, y1 = cell.bbox
        covered = [page for b, page in boxes if b[0] < x1 and b[2] > x0 and b[1] < y1 and b[3] > y0]
        # With no key read, the rules between records were lost with them: a line beside the key may stand in a
        # cell spanning down from a record above.
        beside = [line for (row, c), cell_lines_ in lines.items() if c > col
                  and (cell.row <= row < cell.row + cell.row_span or stroke is not None) for line in cell_lines_]
        found = [line for line in ink.unread_keys(frame, cell.bbox, keys, covered, stroke)
                 if any(_overlap(line, other) >= BESIDE * (line.bottom - line.top) for other in beside)]
        if found:
            out[(cell.row, cell.col)] = sorted([*lines.get((cell.row, cell.col), []), *found], key=lambda line: line.top)
    return out


SEQ_HEADER = "序号"
HEADER_ROWS = 2  # the header's cells stand in the grid's first rows
LOST_KEYS = 2  # keys the ink must show in a column no text showed keys in
DIGIT_HEIGHT = 0.7  # a digit's box, in the heights of the boxes of lines of characters (a digit is shorter)


def numbered_column(grid: Grid, lines: dict[tuple[int, int], list[TextLine]]) -> int | None:
    """The column a header cell reading 序号 stands over (the first of those it spans, 序号 printed first)."""
    for cell in sorted(grid.cells, key=lambda cell: (cell.row, cell.col)):
        found = sorted(lines.get((cell.row, cell.col), []), key=lambda line: line.top)
        if cell.row < HEADER_ROWS and found and found[0].text.replace(" ", "").startswith(SEQ_HEADER):
            return cell.col
    return None


def _keys_all_lost(grid: Grid, frame: Frame, words: Sequence[Word], lines: dict[tuple[int, int], list[TextLine]],
                   ink: PageInk) -> tuple[int | None, dict[tuple[int, int], list[TextLine]]]:
    """The 序号 column and its lines with the keys the OCR lost, where its text showed fewer than two keys (no
    key column) but its ink shows `LOST_KEYS` or more: a phone photo's pale digits the page's reading lost all but one of
    (dev32 a02's providers, dev36 a09's products), the records the rules left joined then one. (None, `lines`)
    where no header names 序号 or its column's ink shows no lost keys."""
    col = numbered_column(grid, lines)
    if col is None:
        return None, lines
    # A digit stands shorter than a character: its box against the boxes of the lines of characters.
    reference = [replace(line, bottom=line.top + DIGIT_HEIGHT * line.height)
                 for (_, c), cell in lines.items() if c != col for line in cell]
    found = with_unread_keys(grid, frame, words, lines, col, ink, reference)
    lost = sum(line.unread for (_, c), cell in found.items() if c == col for line in cell)
    return (col, found) if lost >= LOST_KEYS else (None, lines)


def marks_only(text: str) -> bool:
    """Text without a letter, digit or character: what the OCR makes of a glyph it cannot read ('=€', '·')."""
    return not any(char.isalnum() for char in text)


SEQ_SHARE = 0.5  # share of a key column's read keys that must be 序号 for a lost one to be looked for
BESIDE = 0.5  # share of a lost key's height a line of another cell must overlap


def _overlap(a: TextLine, b: TextLine) -> float:
    return max(0.0, min(a.bottom, b.bottom) - max(a.top, b.top))


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
    its cell's edge, or ends a unit's name whole (`_ends_a_name`), followed by another that is more than a
    wrapped name's tail, ends an entry.  Where two cells or more of one grid row
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
            if entry and (cell.bbox[2] - max(w.bbox[2] for w in upper) > UNFILLED * height or _ends_a_name(upper)):
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


def _ends_a_name(line: Sequence[Word]) -> bool:
    """The line ends as a unit's name is complete (…有限公司, …大学): a name wrapped onto the next line breaks
    before its legal form's end, never after it, however full the line ('杭州宏正食品股份有限公司' filling its
    cell above '杭州顺易机床集团有限公司' is two entries)."""
    return "".join(w.text for w in line).replace(" ", "").endswith(COMPLETE)


def _holds_key(lines: dict[tuple[int, int], list[TextLine]], row: int, col: int) -> bool:
    return any(line.is_key for line in lines.get((row, col), []))


def _opens_with_key(lines: dict[tuple[int, int], list[TextLine]], row: int, col: int) -> bool:
    cell = sorted(lines.get((row, col), []), key=lambda line: line.top)
    return bool(cell) and cell[0].is_key


STACKED = 1.6  # a key word this many read keys tall may hold keys stacked on lines of their own
MAX_STACKED = 4  # keys one OCR box is taken to hold at most


def stacked_keys_apart(grid: Grid, frame: Frame, words: Sequence[Word]) -> list[Word]:
    """`words` with each box the OCR drew over 序号 stacked on lines of their own cut into one word per key.

    The detector may take two short keys one above the other for one tall word ('2' over '3' read
    '23', its box two keys high): the row boundary between them is then never cut and two records
    become one. A key-column word of digits that is about n read keys tall, whose digits are n numbers
    each one more than the one before, with n lines or more beside it in another column, is those n keys.
    """
    lines = cell_lines(grid, frame, words)
    col = key_column(grid, lines)
    if col is None:
        return list(words)
    left, right = grid.xs[col], grid.xs[col + 1]
    turned = [frame.box_to_table(word.bbox) for word in words]
    in_column = [left <= (box[0] + box[2]) / 2 <= right for box in turned]
    heights = [box[3] - box[1] for word, box, inside in zip(words, turned, in_column, strict=True)
               if inside and SEQ_KEY.fullmatch(word.text.replace(" ", ""))]
    if len(heights) < 2:
        return list(words)
    height = float(np.median(heights))
    out: list[Word] = []
    for word, box, inside in zip(words, turned, in_column, strict=True):
        count = round((box[3] - box[1]) / height) if height > 0 else 0
        keys = consecutive_keys(word.text.replace(" ", ""), count) if inside and box[3] - box[1] >= STACKED * height \
            else None
        if keys is None or _lines_beside(grid, words, turned, box, col) < len(keys):
            out.append(word)
            continue
        x0, y0, x1, y1 = word.bbox
        step = (y1 - y0) / len(keys)
        out.extend(replace(word, text=key, bbox=(x0, y0 + index * step, x1, y0 + (index + 1) * step))
                   for index, key in enumerate(keys))
    return out


def consecutive_keys(digits: str, count: int) -> list[str] | None:
    """`digits` cut into `count` numbers (1-3 digits, no leading zero) each one more than the one before
    ('23' → 2, 3; '910' → 9, 10), when exactly one such cut exists; else those read from the bottom key up,
    each one less than the one before, top to bottom ('32' → 2, 3: a box two lines tall read as one line
    takes its characters in no fixed order, dev45 a01's financings); else None."""
    if not 2 <= count <= MAX_STACKED or not digits.isdigit():
        return None
    for step in (1, -1):
        found = []
        for cuts in itertools.combinations(range(1, len(digits)), count - 1):
            parts = [digits[a:b] for a, b in itertools.pairwise((0, *cuts, len(digits)))]
            if all(len(part) <= 3 and not part.startswith("0") for part in parts) \
                    and all(int(b) == int(a) + step for a, b in itertools.pairwise(parts)):
                found.append(parts)
        if len(found) == 1:
            return found[0] if step == 1 else found[0][::-1]
        if found:
            return None
    return None


def _lines_beside(grid: Grid, words: Sequence[Word], turned: Sequence[tuple[float, float, float, float]],
                  box: tuple[float, float, float, float], col: int) -> int:
    """The most text lines one column right of the key column holds level with `box` (table frame)."""
    most = 0
    for other in range(col + 1, grid.n_cols):
        left, right = grid.xs[other], grid.xs[other + 1]
        level = [replace(word, bbox=turn) for word, turn in zip(words, turned, strict=True)
                 if left <= (turn[0] + turn[2]) / 2 <= right and box[1] <= (turn[1] + turn[3]) / 2 <= box[3]]
        most = max(most, len(lines_of(level)))
    return most
