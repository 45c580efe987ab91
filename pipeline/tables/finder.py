"""Find the tables of one page: rules (PDF paths or pixels) → grids → cells with their text.

`find_tables` keeps every intermediate in a `TableFinding` (rule pieces, merged rules,
groups, masks) so a wrong table can be looked at with `debug.draw_finding`.

Where a page has no vertical rules inside a table (tables ruled only between rows),
columns come from vertical gaps in the text; where it has no rule above the header,
the header line just above the first rule is taken into the table.
"""

from __future__ import annotations

import itertools
import math
import re
import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Literal

import cv2
import numpy as np

from models.page import Box, Page, Word
from pipeline import preprocess
from pipeline.ocr import OcrEngine
from pipeline.tables import ghosts, pixels, rings
from pipeline.tables.cells import Table, char_width, fill_cells, lines_of
from pipeline.tables.geometry import (
    Cell,
    Frame,
    Grid,
    Rule,
    Tolerances,
    bridge_gaps,
    broken_rows_joined,
    build_grid,
    crossing,
    drop_sliver_rows,
    extent,
    group_rules,
    merge_rules,
)
from pipeline.tables.reread import CellReader
from pipeline.tables.rows import (
    PageInk,
    TextLine,
    cell_lines,
    free_gaps,
    key_column,
    least_cut,
    row_cuts,
    stacked_keys_apart,
    starts_row,
)

MIN_COLUMN_GAP = 7.0  # points of clear space between two text columns (about half a character)
TITLE_REACH = 70.0  # points above a table searched for its title
REREAD_BELOW = 0.92  # cells the page OCR read less surely than this are read again on their own crops
# A scanned page whose tables hold less than this share of its words is looked at again with the
# faint rules too (a pale hairline grid found only in part makes small tables, or none).
FAINT_RULES_HELD = 0.5


@dataclass
class TableFinding:
    """Everything `find_tables` saw on a page, for inspection and drawing."""

    page: int
    frame: Frame = field(default_factory=Frame)
    pieces: list[Rule] = field(default_factory=list)
    rules: list[Rule] = field(default_factory=list)
    groups: list[list[Rule]] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    masks: pixels.RuleMasks | None = None


def rules_from_lines(page: Page) -> list[Rule]:
    """The PDF's own ruling lines (text-layer pages) as rules; thick boxes are not rules."""
    rules = []
    for line in page.lines:
        width, height = line.x1 - line.x0, line.bottom - line.top
        if height <= 2.0 and width > height:
            rules.append(Rule("h", (line.top + line.bottom) / 2, line.x0, line.x1))
        elif width <= 2.0 and height > width:
            rules.append(Rule("v", (line.x0 + line.x1) / 2, line.top, line.bottom))
    return rules


Layers = tuple[np.ndarray | None, np.ndarray | None]  # a page's print layer and seal mask, as stored


def stored_layers(page: Page) -> Layers:
    """The page's print layer (its image where it has none) and its seal mask, grey; None for what is missing.

    Decoded once per page and handed to every step that needs them (rules, ghosts, cell crops).
    """
    path = page.print_path or page.image_path
    grey = pixels.load_grey(path) if path is not None and page.dpi else None
    if grey is None:
        return None, None
    return grey, pixels.load_grey(page.seal_path) if page.seal_path is not None else None


def faint_layer(page: Page, layers: Layers) -> np.ndarray | None:
    """The page's print layer made again from its stored colour image without whitening its palest levels
    (`preprocess.print_layer` with white = 1.0), where faint rules survive; the print layer itself when
    the page has no readable image of the same size."""
    grey, seal = layers
    image = cv2.imread(str(page.image_path), cv2.IMREAD_COLOR) if page.image_path is not None else None
    if image is None or grey is None or image.shape[:2] != grey.shape[:2]:
        return grey
    rgb = cv2.cvtColor(image, cv2.COLOR_BGR2RGB)
    colour = seal is not None and bool(seal.any())
    return preprocess.print_layer(rgb if colour else None, preprocess.to_grey(rgb), seal if colour else None, white=1.0)


FaintKind = Literal["ridges", "bands"]
# The second looks for faint rules, in the order a tie between their findings is settled: ridges of the
# print layer (a scan's pale hairlines), bands of the layer keeping the paper's palest levels (a photo's).
FAINT_LOOKS: tuple[FaintKind, ...] = ("ridges", "bands")


def _faint_look(page: Page, layers: Layers, kind: FaintKind) -> pixels.FaintLook | None:
    grey = layers[0]
    if grey is None:
        return None
    if kind == "ridges":
        return pixels.FaintLook(grey, pixels.ridge_masks)
    layer = faint_layer(page, layers)
    return None if layer is None else pixels.FaintLook(layer, pixels.band_masks)


def _page_rules(page: Page, finding: TableFinding, sealed: np.ndarray | None = None,
                layers: Layers | None = None, faint: FaintKind | None = None,
                binary: pixels.Binarised | None = None) -> None:
    """Fill the finding's pieces, frame and merged rules from the page's best source of rules
    (with `faint`, pixel rules include the faint ones that look finds, see `pixels.FaintLook`; `binary`: the
    print layer binarised, shared by the page's looks)."""
    grey, seal = None, None
    if page.kind != "text" or not page.lines:
        layers = layers if layers is not None else stored_layers(page)
        grey, seal = layers
    if grey is None or layers is None:
        finding.pieces = rules_from_lines(page)
        finding.rules = merge_rules(finding.pieces)
        return
    look = _faint_look(page, layers, faint) if faint is not None else None
    binary = binary if binary is not None and binary.grey is grey else None
    finding.pieces, finding.masks = pixels.rules_from_image(grey, page.dpi, look, binary)
    finding.frame = finding.masks.frame
    scale = finding.masks.scale
    if seal is not None:
        strokes = pixels.seal_strokes(finding.pieces, seal, finding.frame, scale)
    else:  # a grey scan: where the seal detector found seals
        strokes = pixels.strokes_in_area(finding.pieces, sealed, finding.frame, scale)
    # A ring's arc no piece outside the ring continues (a rule crossing the seal goes on beyond it).
    strokes += pixels.not_continued(rings.ring_arcs(finding.pieces, page.seal_marks, finding.frame, scale),
                                    finding.pieces)
    dots = pixels.dithered_pieces(finding.pieces, finding.masks.ink, scale, page.dpi)
    finding.pieces = [piece for piece in finding.pieces if piece not in strokes and piece not in dots]
    hidden = pixels.sealed_gap_test(seal, finding.frame, scale)
    lines = pixels.onto_rule_lines(finding.pieces, finding.masks.ink, scale, page.dpi)
    finding.rules = bridge_gaps(merge_rules(lines), hidden)


PAGE_EDGE = 3.0  # points: a rule this close to the page's edge, along it, is the picture's edge


def along_page_edge(rule: Rule, page: Page, frame: Frame) -> bool:
    """The rule runs along the page's own edge: a phone photo's or a scan's border (the paper's edge, the
    glass's shadow), never a table's, since a form keeps its margins. Kept, it joins every table of the page
    into one box the page's size (dev24 a09: the trainings' records read as one cell). Lists only
    (`keyed_rows`): the forms' readers, tuned on the grids they found, are left as they were."""
    if rule.orient == "h":
        ends = [frame.box_to_page((x, rule.pos, x, rule.pos))[:2] for x in (rule.start, rule.end)]
        return all(y <= PAGE_EDGE for _, y in ends) or all(y >= page.height - PAGE_EDGE for _, y in ends)
    ends = [frame.box_to_page((rule.pos, y, rule.pos, y))[:2] for y in (rule.start, rule.end)]
    return all(x <= PAGE_EDGE for x, _ in ends) or all(x >= page.width - PAGE_EDGE for x, _ in ends)


def drop_text_strokes(rules: Sequence[Rule], words: Sequence[Word], frame: Frame,
                      beside: InkBeside | None = None) -> list[Rule]:
    """Rules that run through the middle of words are character strokes joined up, not rules.

    Closing small gaps (for broken rules) also joins the horizontal strokes of adjacent
    characters; a real rule never passes through the middle of a line of text.  Nor through the
    middle of a character: names that all begin alike (常州…) stack the same vertical strokes row
    under row, and a rule-long run of them is no rule (a rule may pass between two characters OCR
    joined into one word, 1 and the name after it).  With `beside` (the page's ink, `ink_beside`), a
    vertical near a character's edge crosses it too where the word's own strokes stand close beside the
    vertical: the outer strokes of 州 or 湖, stacked row under row (a rule between two cells' texts read as one
    word has a cell's padding, blank, on both sides).
    """
    turned = _turned(words, frame)
    boxes = np.array([word.bbox for word in turned], dtype=np.float64).reshape(-1, 4)
    # Per orientation, each word's extent across a rule (low, high) and along it (start, end).
    spans = {"h": (boxes[:, 1], boxes[:, 3], boxes[:, 0], boxes[:, 2]),
             "v": (boxes[:, 0], boxes[:, 2], boxes[:, 1], boxes[:, 3])}
    kept = []
    for rule in rules:
        low, high, start, end = spans[rule.orient]
        # The words the rule runs along and across, found for all words at once; their overlaps are then
        # summed word by word in the words' order, as one loop over every word summed them.
        overlaps = np.minimum(rule.end, end) - np.maximum(rule.start, start)
        crossed = np.flatnonzero((overlaps > 0) & (low < rule.pos) & (rule.pos < high))
        inside = touched = 0.0
        for index in crossed.tolist():
            overlap, word_low, word_high = float(overlaps[index]), float(low[index]), float(high[index])
            touched += overlap
            margin = 0.2 * (word_high - word_low)
            if word_low + margin < rule.pos < word_high - margin \
                    or (rule.orient == "v" and _crosses_character(turned[index], rule.pos, beside)):
                inside += overlap
        if inside < STROKES_SHARE * rule.length and not _strokes_of_a_tilted_line(rule, inside, touched):
            kept.append(rule)
    return kept


STROKES_SHARE = 0.5  # of a rule's length running through the middle of words: character strokes joined up
TILTED_SHARE = 0.25  # ... or this much, where it runs through no word but at their edges or middles


def _strokes_of_a_tilted_line(rule: Rule, inside: float, touched: float) -> bool:
    """A horizontal run of character strokes along a line of text that is not level across the table (a
    curled page's residual bow): it runs through the middle of the words on one side and only grazes the
    tops or bottoms of those on the other, so under half its length is inside words; but a rule between
    rows never runs through the middle of a word, and here most of the words it touches it runs through."""
    return rule.orient == "h" and inside >= TILTED_SHARE * rule.length and inside > 0.5 * touched


INSIDE_CHAR = 0.25  # a vertical this far into a character (share of its width) from both its edges crosses it
# ... or anywhere inside the word, where the word's own ink stands close beside it (`InkBeside`), but this far
# into its first or last character at least (a loose box may hold the rule just before a cell's text)
WORD_END_CHAR = 0.15
SIDE_GAP = 1.2  # points beside a vertical left to its own width and the scan's blur
SIDE_REACH = 3.5  # points beside a vertical within which a word's own strokes stand; a cell's padding is wider
SIDE_INK = 0.15  # share of the word's pixel rows inked within that reach, on one side at least

# Does a word (box, table frame) hold ink of its own close beside the vertical at x?
InkBeside = Callable[[Box, float], bool]


def ink_beside(ink: np.ndarray, scale: float) -> InkBeside:
    """The test of `InkBeside` on a page's binarised ink (table frame, `scale` pixels per point)."""

    def share(top: int, bottom: int, a: float, b: float) -> float:
        strip = ink[top:bottom, max(0, round(a * scale)):max(0, round(b * scale))]
        return float((strip > 0).any(axis=1).mean()) if strip.size else 0.0

    def beside(box: Box, x: float) -> bool:
        top, bottom = max(0, round(box[1] * scale)), round(box[3] * scale)
        return max(share(top, bottom, x - SIDE_REACH, x - SIDE_GAP),
                   share(top, bottom, x + SIDE_GAP, x + SIDE_REACH)) >= SIDE_INK

    return beside


def _crosses_character(word: Word, x: float, beside: InkBeside | None) -> bool:
    """The vertical at `x` crosses one of the word's characters: well inside it, or anywhere inside the word
    (clear of its ends) with the word's strokes close beside it: a character's outer stroke, or one at the
    edge of the next character where the shares of character widths drift, not a rule in the blank between
    two texts."""
    if _through_character(word, x):
        return True
    if beside is None or not word.text:
        return False
    x0, _, x1, _ = word.bbox
    widths = [char_width(char) for char in word.text]
    unit = (x1 - x0) / sum(widths)
    return x0 + WORD_END_CHAR * widths[0] * unit < x < x1 - WORD_END_CHAR * widths[-1] * unit and beside(word.bbox, x)


def _through_character(word: Word, x: float) -> bool:
    """`x` falls well inside one of the word's characters (boxes shared out by character widths)."""
    x0, _, x1, _ = word.bbox
    if not x0 < x < x1 or not word.text:
        return False
    widths = [char_width(char) for char in word.text]
    unit = (x1 - x0) / sum(widths)
    left = x0
    for char, width in zip(word.text, widths, strict=True):
        right = left + width * unit
        if left <= x < right:
            edge = INSIDE_CHAR * (right - left)
            return not char.isspace() and left + edge < x < right - edge
        left = right
    return False


def _turned(words: Sequence[Word], frame: Frame) -> list[Word]:
    return [Word(w.text, frame.box_to_table(w.bbox), w.confidence, w.source) for w in words]


def _inside(box: Box, region: Box, slack: float = 2.0) -> bool:
    cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    return region[0] - slack <= cx <= region[2] + slack and region[1] - slack <= cy <= region[3] + slack


def text_columns(words: Sequence[Word], region: Box, min_gap: float = MIN_COLUMN_GAP) -> list[float]:
    """Column boundaries (x) at clear vertical gaps in the words of a region (table frame).

    Words wider than half the region (a note or a title run) are left out: they would
    close every gap they pass over.
    """
    width = region[2] - region[0]
    spans = sorted((w.bbox[0], w.bbox[2]) for w in words
                   if _inside(w.bbox, region) and w.bbox[2] - w.bbox[0] < 0.5 * width)
    cuts: list[float] = []
    reach = None
    for start, end in spans:
        if reach is not None and start - reach >= min_gap:
            cuts.append((reach + start) / 2)
        reach = end if reach is None else max(reach, end)
    return cuts


CROSSING_LINES = 0.1  # share of a table's text lines that may reach over a column gap (headings, notes)


def line_columns(lines: Sequence[Sequence[Word]], region: Box, min_gap: float = MIN_COLUMN_GAP) -> list[float]:
    """Column boundaries (x) where almost no text line has ink: the middles of clear stretches at least
    `min_gap` wide that at most `CROSSING_LINES` of the lines reach over.

    A heading above the table (附2 服务能力证明材料) or a note under it runs over the gaps between columns;
    in a table without rules it is one line among many, where `text_columns` would let it close them.
    """
    x0, x1 = math.floor(region[0]), math.ceil(region[2])
    width = region[2] - region[0]
    counts = np.zeros(max(1, x1 - x0), np.int32)
    for line in lines:
        covered = np.zeros_like(counts, dtype=bool)
        for word in line:
            if _inside(word.bbox, region) and word.bbox[2] - word.bbox[0] < 0.5 * width:
                covered[max(0, math.floor(word.bbox[0]) - x0):max(0, math.ceil(word.bbox[2]) - x0)] = True
        counts += covered
    allowed = max(1, int(CROSSING_LINES * len(lines))) if len(lines) >= 4 else 0
    clear = counts <= allowed
    cuts, start = [], None
    inked = np.flatnonzero(~clear)
    if inked.size == 0:
        return []
    for x in range(int(inked[0]), int(inked[-1]) + 1):
        if clear[x] and start is None:
            start = x
        elif not clear[x] and start is not None:
            if x - start >= min_gap:
                cuts.append(x0 + _least_crossed(counts[start:x]) + start)
            start = None
    return cuts


def _least_crossed(counts: np.ndarray) -> float:
    """The middle of the widest run of a gap's least-crossed columns (the gap a heading crosses is cut where
    it does not, beside it)."""
    low = counts.min()
    best, run_start, best_span = 0.0, None, -1
    for x, value in enumerate([*counts.tolist(), low + 1]):
        if value == low and run_start is None:
            run_start = x
        elif value != low and run_start is not None:
            if x - run_start > best_span:
                best, best_span = (run_start + x) / 2, x - run_start
            run_start = None
    return best


HIDDEN_COLUMN_LINES = 3  # text lines needed on each side of a gap inside a ruled column to split it
BROKEN_COLUMN_LINES = 2  # the same beside a boundary a piece of rule was found on (the rule is evidence too)


def spaced_pieces(word: Word) -> list[Word]:
    """A word the OCR ran over a blank ("类别  序号", two cells' text on one line) as its runs of text,
    each with its share of the box (by character widths)."""
    text = word.text.strip()
    if " " not in text:
        return [word]
    x0, top, x1, bottom = word.bbox
    unit = (x1 - x0) / max(sum(char_width(char) for char in word.text), 1e-6)
    out, x = [], x0
    for run in re.split(r"( +)", word.text):
        width = sum(char_width(char) for char in run) * unit
        if run.strip():
            out.append(Word(run, (x, top, x + width, bottom), word.confidence, word.source))
        x += width
    return out


def hidden_columns(grid: Grid, words: Sequence[Word]) -> list[float]:
    """Column boundaries inside ruled columns, where a faint vertical rule was not found (table frame).

    A grid column whose words leave a clear vertical gap all the way down, with several lines
    of text on either side of it, holds two columns of the table: a list's cells never do
    (a name or a date is one run of text, left-aligned or centred in its cell), unless as many of its lines
    run over the gap as stand on one side of it (industries wrapped below longer lines).  The same
    holds for a boundary the grid has where cells span across it (`broken_columns`).
    """
    top, bottom = grid.ys[0], grid.ys[-1]
    cuts: list[float] = []
    pieces = [piece for word in words for piece in spaced_pieces(word)]
    for x0, x1 in itertools.pairwise(grid.xs):
        inside = [w for w in pieces if _inside(w.bbox, (x0, top, x1, bottom))]
        read_whole = [w for w in words if _inside(w.bbox, (x0, top, x1, bottom))]
        for gap_cut in text_columns(inside, (x0, top, x1, bottom)):
            cut = _clear_of_wide_words(gap_cut, inside)
            left = lines_of([w for w in inside if w.bbox[2] <= cut])
            right = lines_of([w for w in inside if w.bbox[0] >= cut])
            # Lines running over the cut (`text_columns` leaves out words wider than half the column) are
            # one cell's text: as many of them as stand on one side of it make it no column of its own.
            crossing = lines_of([w for w in inside if w.bbox[0] < cut < w.bbox[2]])
            fewer = min(len(left), len(right))
            if fewer >= max(HIDDEN_COLUMN_LINES, len(crossing) + 1) and not _one_run(cut, read_whole, fewer) \
                    and 2 * _level_pairs(left, right) >= fewer:
                cuts.append(cut)
    return cuts


def _level_pairs(left: Sequence[Sequence[Word]], right: Sequence[Sequence[Word]]) -> int:
    """How many lines on one side of a gap stand level with a line on the other side. A list's two columns
    hold one record's texts side by side, row after row; a column whose texts are aligned two ways (names
    left-aligned in some rows, centred in others: dev70 a06's products) leaves a gap down it too, but each
    row's text stands on one side of it only."""
    def span(line: Sequence[Word]) -> tuple[float, float]:
        return min(w.bbox[1] for w in line), max(w.bbox[3] for w in line)

    def level(a: tuple[float, float], b: tuple[float, float]) -> bool:
        return min(a[1], b[1]) - max(a[0], b[0]) > 0.5 * min(a[1] - a[0], b[1] - b[0])

    fewer, more = sorted(([span(line) for line in left], [span(line) for line in right]), key=len)
    return sum(any(level(a, b) for b in more) for a in fewer)


def _one_run(cut: float, words: Sequence[Word], lines: int) -> bool:
    """Whether the reader took the text on both sides of `cut` for one run with a blank in it, in at least
    half the `lines` of the side with fewer: a code's letter set apart by its font's spacing (H WG20240033,
    'H' and 'WG…' in every row) is a blank inside each cell's text, not a lost rule between two columns
    (the letter cut off as a column of its own, every code read WG…).  A word the reader ran over a
    lost rule's blank ('类别  序号') does so on a line or two, not down the column."""
    one_word = lines_of([w for w in words if w.bbox[0] < cut < w.bbox[2] and " " in w.text.strip()])
    return 2 * len(one_word) >= lines


def _clear_of_wide_words(cut: float, words: Sequence[Word]) -> float:
    """`cut` moved to the middle of the widest stretch of its gap that no word at all runs over.

    `text_columns` leaves out words wider than half the column, so its gap's middle may fall inside a long
    name that ends in the gap (a curl's investee name beside an amount whose rule was lost in every row):
    that name would then count as crossing the cut. Where the gap holds a stretch clear of every word the
    cut moves there; otherwise it stays (the crossing words then count against it as before)."""
    narrow_left = max((w.bbox[2] for w in words if w.bbox[2] <= cut), default=cut)
    narrow_right = min((w.bbox[0] for w in words if w.bbox[0] >= cut), default=cut)
    spans = sorted((max(w.bbox[0], narrow_left), min(w.bbox[2], narrow_right)) for w in words
                   if w.bbox[0] < narrow_right and w.bbox[2] > narrow_left)
    best, reach = (0.0, cut), narrow_left
    for start, end in [*spans, (narrow_right, narrow_right)]:
        if start - reach > best[0]:
            best = (start - reach, (reach + start) / 2)
        reach = max(reach, end)
    return best[1] if best[0] > 0 else cut


def _onto_a_rule(cut: float, group: Sequence[Rule], words: Sequence[Word]) -> float:
    """A text gap's middle moved onto a vertical rule of the table standing in the same gap (no text between
    them): the gap's column boundary is the rule, whose pieces were too broken to make a grid line of their
    own; left at the gap's middle beside them, the boundary would make a column no text can fill."""
    box = extent(group)
    for rule in group:
        if rule.orient != "v" or not box[0] + 3 < rule.pos < box[2] - 3:
            continue
        low, high = sorted((cut, rule.pos))
        if not any(_inside(w.bbox, box) and w.bbox[0] < high and w.bbox[2] > low for w in words):
            return rule.pos
    return cut


def broken_columns(grid: Grid, words: Sequence[Word]) -> list[float]:
    """Column boundaries the grid has (a piece of rule was found) but cells span across, their rule lost
    further down, where no text crosses them and text lies on both sides: present all the way down.

    Text in no cell at all counts as spanning every boundary: where rules broke in an L the grid's
    cells overlap, and the region that gave way holds no cell (`geometry.units_to_cells`)."""
    pieces = [piece for word in words for piece in spaced_pieces(word)]
    box = (grid.xs[0], grid.ys[0], grid.xs[-1], grid.ys[-1])
    homeless = [w for w in pieces if _inside(w.bbox, box) and not any(_holds_centre(cell.bbox, w.bbox) for cell in grid.cells)]
    cuts = []
    for index, x in enumerate(grid.xs[1:-1], start=1):
        spanning = [cell for cell in grid.cells if cell.col < index < cell.col + cell.col_span]
        inside = [w for w in pieces if any(_inside(w.bbox, cell.bbox) for cell in spanning)] + homeless
        if not inside or any(w.bbox[0] < x - 1 and w.bbox[2] > x + 1 for w in inside):
            continue
        left = lines_of([w for w in inside if w.bbox[2] <= x])
        right = lines_of([w for w in inside if w.bbox[0] >= x])
        needed = 1 if _drawn_in_most_rows(grid, spanning) else BROKEN_COLUMN_LINES
        if len(left) >= needed and len(right) >= needed:
            cuts.append(x)
    return cuts


DRAWN_ROWS = 0.75  # share of a list's rows a column rule is found in for it to run through the rest


def _drawn_in_most_rows(grid: Grid, spanning: Sequence[Cell]) -> bool:
    """The boundary's rule is drawn in most of the grid's rows (`DRAWN_ROWS`), the cells spanning it
    covering few rows: a list's column runs the table's height, and where a photo or a fax lost its rule
    by a row or two (a faint rule's end), one line of text on either side of it in those rows is enough."""
    spanned = {row for cell in spanning for row in range(cell.row, cell.row + cell.row_span)}
    return grid.n_rows >= LOST_COLUMN_MIN_ROWS and len(spanned) <= (1 - DRAWN_ROWS) * grid.n_rows


def _holds_centre(box: Box, word: Box) -> bool:
    x, y = (word[0] + word[2]) / 2, (word[1] + word[3]) / 2
    return box[0] <= x <= box[2] and box[1] <= y <= box[3]


def _has_inner_verticals(group: Sequence[Rule]) -> bool:
    box = extent(group)
    return any(r.orient == "v" and box[0] + 3 < r.pos < box[2] - 3 for r in group)


def _header_above(group: Sequence[Rule], words: Sequence[Word]) -> float | None:
    """Top of a header line sitting just above a table that has no rule over it, or None."""
    box = extent(group)
    ys = sorted({round(r.pos, 1) for r in group if r.orient == "h"})
    row_height = statistics.median([b - a for a, b in itertools.pairwise(ys)]) if len(ys) > 1 else 20.0
    above = [w for w in words if box[0] - 2 <= (w.bbox[0] + w.bbox[2]) / 2 <= box[2] + 2
             and box[1] - 1.2 * row_height <= w.bbox[1] and w.bbox[3] <= box[1] + 1]
    lines = lines_of(above)
    # A lone line that fills the width is a title, not a header of separate cells.
    if len(lines) == 1 and len(lines[0]) >= 2:
        return min(w.bbox[1] for w in lines[0]) - 2.0
    return None


STRAY_HEIGHT = 0.5  # share of the table's height a vertical piece must reach to be a column rule regardless
STRAY_WORDS = 2  # words its column line would cut through the middle of a character, elsewhere in the table


def _without_stray_verticals(group: Sequence[Rule], words: Sequence[Word]) -> list[Rule]:
    """The group without short vertical pieces that are no column rule: a seal's stroke or a ring's arc
    standing on the bottom rule, alone on its line, whose line carried up the table would cut words in
    the other rows through their characters (a column rule is passed by the text, or crossed at a blank;
    a broken one leaves other pieces on its line), nor scanner streaks (`_streak`)."""
    group = [rule for rule in group if not _streak(rule, group, words)]  # the box the table's own rules span
    box = extent(group)
    height = box[3] - box[1]
    kept = []
    for rule in group:
        alone = not any(other is not rule and other.orient == "v" and abs(other.pos - rule.pos) <= 3.0 for other in group)
        if rule.orient == "v" and alone and rule.length < STRAY_HEIGHT * height and box[0] + 3 < rule.pos < box[2] - 3:
            crossed = [w for w in words if _inside(w.bbox, box) and not rule.start <= (w.bbox[1] + w.bbox[3]) / 2 <= rule.end
                       and _through_character(w, rule.pos)]
            if len(crossed) >= STRAY_WORDS:
                continue
        kept.append(rule)
    return kept


STREAK_REACH = 40.0  # points a vertical runs on past both the table's top and bottom rules: more than a lost frame's row
STREAK_SLANT = 4.0  # points apart the pieces of one streak may lie across a table (the page straightened, the streak not)


def _streak(rule: Rule, group: Sequence[Rule], words: Sequence[Word]) -> bool:
    """A scanner's streak down the page through the table (one `flatten.streaks` left, broken or askew): a
    vertical whose pieces on its line run on far past both the table's top and its bottom rule, through the characters of
    words inside the table (dev47 a02's providers: a line from the page's top to its bottom cut every
    capability in two). A column rule ends at the frame, and is passed by the text or crossed at a blank."""
    ys = [r.pos for r in group if r.orient == "h"]
    if rule.orient != "v" or len(ys) < 2:
        return False
    line = [r for r in group if r.orient == "v" and abs(r.pos - rule.pos) <= STREAK_SLANT]  # its pieces, a little askew
    if not min(r.start for r in line) < min(ys) - STREAK_REACH or not max(r.end for r in line) > max(ys) + STREAK_REACH:
        return False
    crossed = [w for w in words if min(ys) < (w.bbox[1] + w.bbox[3]) / 2 < max(ys) and _through_character(w, rule.pos)]
    return len(crossed) >= STRAY_WORDS


LOST_COLUMN_REACH = 72.0  # points right of a list's frame within which its rows' last column may stand
LOST_COLUMN_ROWS = 0.75  # share of the rows with text there for the column to be the table's
LOST_COLUMN_MIN_ROWS = 3
LOST_COLUMN_PAD = 4.0  # points between the column's text and the rule it is given


def _with_lost_column(group: Sequence[Rule], words: Sequence[Word]) -> list[Rule]:
    """The group with its last column where the frame lost it: on a fax or a faint scan a list's right
    column may keep no rule long enough to join the rest, leaving its text outside the grid the rules
    make.  When most of the grid's rows hold text just right of it, that text is a column of the table:
    the rows' rules run on past it and a rule closes it."""
    rules = list(group)
    grid = build_grid(rules)
    if grid is None or grid.n_rows < LOST_COLUMN_MIN_ROWS:
        return rules
    right = grid.xs[-1]
    beyond = [w for w in words if right - 1.0 <= w.bbox[0] <= right + LOST_COLUMN_REACH
              and grid.ys[0] < (w.bbox[1] + w.bbox[3]) / 2 < grid.ys[-1]]
    if not _held_by_most_rows(grid, beyond):
        return _with_last_column_whole(rules, grid, words)
    closing = max(w.bbox[2] for w in beyond) + LOST_COLUMN_PAD
    kept = [r for r in rules if r.orient == "v" or r.start < closing]  # pieces past the new edge: specks
    return [*kept, *(Rule("h", y, right, closing) for y in grid.ys), Rule("v", closing, grid.ys[0], grid.ys[-1])]


def _with_last_column_whole(rules: list[Rule], grid: Grid, words: Sequence[Word]) -> list[Rule]:
    """The rules with the last column whole where the frame lost its right side: a fax can keep the row
    rules only part of the way across, and the grid they make ends at a made-up edge inside the last
    column, cutting its lines (工业软件二次开发|与系统集成).  When no rule draws that edge and most of the
    grid's rows hold a line running out across it, the table reaches the lines' end: its rows' rules run on
    to a rule that closes the column (the mirror of `_with_lost_first_column`)."""
    right = grid.xs[-1]
    if not any(v.orient == "v" and abs(v.pos - right) <= Tolerances().snap for v in grid.virtual):
        return rules  # a drawn right rule the text crosses is no lost edge (a seal's text, a slant)
    across = [w for w in words if grid.xs[-2] < w.bbox[0] < right - 1.0 and right + 1.0 < w.bbox[2]
              <= right + LOST_COLUMN_REACH and grid.ys[0] < (w.bbox[1] + w.bbox[3]) / 2 < grid.ys[-1]]
    if not _held_by_most_rows(grid, across):
        return rules
    closing = max(w.bbox[2] for w in across) + LOST_COLUMN_PAD
    kept = [r for r in rules if r.orient == "v" or r.start < closing]  # pieces past the new edge: specks
    return [*kept, *(Rule("h", y, right, closing) for y in grid.ys), Rule("v", closing, grid.ys[0], grid.ys[-1])]


def _held_by_most_rows(grid: Grid, words: Sequence[Word]) -> bool:
    """Most of the grid's rows (`LOST_COLUMN_ROWS`, at least `LOST_COLUMN_MIN_ROWS`) hold one of `words`."""
    held = sum(any(top < (w.bbox[1] + w.bbox[3]) / 2 < bottom for w in words)
               for top, bottom in itertools.pairwise(grid.ys))
    return held >= max(LOST_COLUMN_MIN_ROWS, LOST_COLUMN_ROWS * grid.n_rows)


def _with_lost_first_column(group: Sequence[Rule], words: Sequence[Word]) -> list[Rule]:
    """The group with its first column whole where the frame lost its left side: by a book's spine a
    curled page's rules fade before they reach the table's left edge, and the grid the rules make starts
    inside the first column, its made-up edge cutting every line there in two (2024.02|.16).  When most of
    the grid's rows hold text reaching out past a left edge no rule draws (or standing wholly left of a
    drawn one), the table reaches that text: its rows' rules run on to a rule that closes it."""
    rules = list(group)
    grid = build_grid(rules)
    if grid is None or grid.n_rows < LOST_COLUMN_MIN_ROWS:
        return rules
    left = grid.xs[0]
    drawn = not any(v.orient == "v" and abs(v.pos - left) <= Tolerances().snap for v in grid.virtual)
    beyond = [w for w in words if w.bbox[0] < left - 1.0 and w.bbox[2] >= left - LOST_COLUMN_REACH
              and (w.bbox[2] <= left + 1.0 or not drawn)
              and grid.ys[0] < (w.bbox[1] + w.bbox[3]) / 2 < grid.ys[-1]]
    if not _held_by_most_rows(grid, beyond):
        return rules
    closing = min(w.bbox[0] for w in beyond) - LOST_COLUMN_PAD
    kept = [r for r in rules if r.orient == "v" or r.end > closing]  # pieces past the new edge: specks
    return [*kept, *(Rule("h", y, closing, left) for y in grid.ys), Rule("v", closing, grid.ys[0], grid.ys[-1])]


def table_from_group(page: Page, group: Sequence[Rule], frame: Frame, words: Sequence[Word],
                     tol: Tolerances | None = None, ink: PageInk | None = None,
                     keyed_rows: bool = False, pieces: Sequence[Rule] = ()) -> Table | None:
    """The table one group of rules describes, with text-derived columns where rules are missing.

    With `keyed_rows`, rows the rules leave joined (a faint, broken or missing rule) are cut
    where the key column's entries and the text's line gaps say (see `rows.row_cuts`), and row rules
    broken into pieces are made whole from the group's pieces and the page's loose `pieces` on their line
    (`geometry.broken_rows_joined`).
    """
    turned = _turned(words, frame)
    ruled = _has_inner_verticals(group)
    if keyed_rows:  # a list's columns run the table's height; a form's cells part differently row by row
        group = broken_rows_joined(group, pieces, [word.bbox for word in turned], tol or Tolerances())
        group = _with_lost_first_column(_with_lost_column(_without_stray_verticals(group, turned), turned), turned)
    extra_xs: list[float] = []
    extra_ys: list[float] = []
    if not ruled and not any(r.orient == "v" and r.length > 0.5 * (extent(group)[3] - extent(group)[1])
                             for r in group):
        header_top = _header_above(group, turned)
        if header_top is not None:
            extra_ys.append(header_top)
    box = extent(group)
    if extra_ys:
        box = (box[0], min(extra_ys), box[2], box[3])
    if not ruled:
        extra_xs = text_columns(turned, box)
    grid = build_grid(list(group), tol or Tolerances(), extra_xs=extra_xs, extra_ys=extra_ys)
    if grid is None or grid.n_rows < 1 or grid.n_cols < 1:
        return None
    if keyed_rows and ruled:
        extra_xs = [*extra_xs, *(_onto_a_rule(cut, group, turned) for cut in hidden_columns(grid, turned))]
    if keyed_rows:
        words = stacked_keys_apart(grid, frame, words)
    grid = _keyed_grid(group, frame, words, extra_xs, extra_ys, tol or Tolerances(), ink, keyed_rows) or grid
    broken = broken_columns(grid, turned) if keyed_rows and ruled else []
    if broken:
        # A short piece of rule held two columns apart until the rows were cut finer: keep them apart,
        # and cut the rows again with the columns right.
        grid = _keyed_grid(group, frame, words, [*extra_xs, *broken], extra_ys, tol or Tolerances(), ink,
                           keyed_rows) or grid
    cells = fill_cells(grid, frame, words)
    return Table(page=page.number, grid=grid, frame=frame, cells=cells, ruled=ruled)


def _keyed_grid(group: Sequence[Rule], frame: Frame, words: Sequence[Word], extra_xs: Sequence[float],
                extra_ys: Sequence[float], tol: Tolerances, ink: PageInk | None, keyed_rows: bool) -> Grid | None:
    """The grid of the rules and text boundaries, with the rows `rows.row_cuts` finds cut (`keyed_rows`)."""
    grid = build_grid(list(group), tol, extra_xs=extra_xs, extra_ys=extra_ys)
    if grid is None:
        return None
    grid = drop_sliver_rows(grid, tol)
    cuts = row_cuts(grid, frame, words, ink) if keyed_rows else []
    if not cuts:
        return grid
    cut = build_grid([*group, *cuts], tol, extra_xs=extra_xs, extra_ys=extra_ys)
    return drop_sliver_rows(cut, tol) if cut is not None else grid


def title_above(table: Table, words: Sequence[Word], reach: float = TITLE_REACH) -> str:
    """Text lines just above a table (its title, such as 表2：…), nearest last."""
    x0, top, x1, _ = table.bbox
    above = [w for w in words if w.bbox[3] <= top + 2 and w.bbox[1] >= top - reach
             and w.bbox[2] >= x0 - 40 and w.bbox[0] <= x1 + 40]
    return "\n".join("".join(w.text for w in line) for line in lines_of(above))


def print_images(page: Page, area: bool = True, layers: Layers | None = None) -> tuple[np.ndarray | None, np.ndarray | None]:
    """The page's print layer (grey, seal ink lifted out) with the seal's grey ghost whitened where the
    page has a seal mask, and where seals lie on it (see `ghosts.seal_area`); Nones for a text page.
    `layers`: the page's `stored_layers` when already loaded."""
    if page.kind == "text" or not page.dpi:
        return None, None
    image, seal = layers if layers is not None else stored_layers(page)
    if image is None:
        return None, None
    clean = ghosts.without_seal_ghost(image, seal, page.scale)
    return clean, ghosts.seal_area(seal, image, page) if area else None


def cell_reader(page: Page, engine: OcrEngine | None, image: np.ndarray | None = None,
                ink: ghosts.InkTest | None = None) -> CellReader | None:
    """A re-reader of this page's cells with `engine`, or None (text layer, no image, no engine).

    Crops are cut from the print layer with the seal's ghost whitened (`print_image`), and
    with `ink` the words the crops yield are held to the same test as the page's words.
    """
    if engine is None or page.kind == "text" or not page.dpi:
        return None
    image = image if image is not None else print_images(page, area=False)[0]
    return None if image is None else CellReader(image, page.scale, page.dpi, engine, ink)


def find_tables(page: Page, engine: OcrEngine | None = None, low_confidence: float = 0.0,
                reread_below: float = REREAD_BELOW, keyed_rows: bool = False, faint_rules: bool = True) -> TableFinding:
    """All tables on a page, top to bottom, with cell text.

    With an `engine`, cells read below `reread_below` (and empty cells holding ink) are
    read again on their own crops; a cell the page read as empty takes the new reading
    only at `low_confidence` or better.  With `keyed_rows` (list tables such as the
    appendix's, every row opening with a 序号 or date), rows the rules left joined are cut
    by `rows.row_cuts`; a form's label cells wrap and span rows, so forms do without. Without
    `faint_rules`, a page whose rules hold little of its text is not searched again for rules too faint
    to binarise (a page of prose holds no table to lose).
    """
    finding = TableFinding(page=page.number)
    if page.error or (not page.words and not page.lines and page.image_path is None):
        return finding
    layers = stored_layers(page) if page.dpi and (page.kind != "text" or not page.lines) else None
    image, sealed = print_images(page, layers=layers)
    # A page with a seal mask had its seal's ink lifted out of the print layer (`print_images`).
    lifted = layers is not None and layers[1] is not None and bool(layers[1].any())
    ink = ghosts.InkTest.of(page.words, image, page.scale, sealed, lifted)
    words = ghosts.drop_ghosts(page.words, ink)
    page_ink = PageInk(image, page.scale) if image is not None else None
    binary = pixels.Binarised(layers[0], page.dpi) if layers is not None and layers[0] is not None else None
    finding = _finding(page, words, sealed, page_ink, keyed_rows, layers, binary=binary)
    held = _words_held(finding, words)
    split = _side_by_side(finding)
    if faint_rules and page.kind != "text" and (held < FAINT_RULES_HELD * len(words)
                                                or _cut_short(finding, words) or split):
        # The rules found hold too little of the page's text, stop short of a table's text, or break one
        # table into two side by side: its rules may be too faint to binarise. Of the looks, the one whose
        # cells hold most words whole: rules found where there are none (a photo's character strokes taken
        # for faint rules) cut words that the right grid leaves whole.
        looks = [_finding(page, words, sealed, page_ink, keyed_rows, layers, faint=kind, binary=binary)
                 for kind in FAINT_LOOKS]
        faint = best_look(looks, words)
        if _faint_look_taken(faint, words, held, split):
            finding = faint
    reader = cell_reader(page, engine, image, ink)
    for table in finding.tables:
        if reader is not None:
            table.cells = reader.reread(table.cells, finding.frame, reread_below, low_confidence)
        table.title = title_above(table, words)
    finding.tables.sort(key=lambda t: t.bbox[1])
    return finding


def _finding(page: Page, words: Sequence[Word], sealed: np.ndarray | None, page_ink: PageInk | None,
             keyed_rows: bool, layers: Layers | None, faint: FaintKind | None = None,
             binary: pixels.Binarised | None = None) -> TableFinding:
    """The page's rules, their groups and the tables they make (cells not yet read again; `binary`: see
    `_page_rules`)."""
    finding = TableFinding(page=page.number)
    _page_rules(page, finding, sealed, layers, faint, binary)
    if keyed_rows:
        finding.rules = [rule for rule in finding.rules if not along_page_edge(rule, page, finding.frame)]
    beside = ink_beside(finding.masks.ink, finding.masks.scale) if finding.masks is not None else None
    rules = drop_text_strokes(finding.rules, page.words, finding.frame, beside)
    finding.groups = group_rules(rules)

    def build(group: list[Rule]) -> Table | None:
        return table_from_group(page, group, finding.frame, words, ink=page_ink, keyed_rows=keyed_rows,
                                pieces=rules)

    built = [(group, build(group)) for group in finding.groups]
    if keyed_rows:
        built = _one_table_per_region(built, build)
    finding.tables = [table for _, table in built if table is not None]
    return finding


REGION_SHARED = 0.5  # share of the smaller table's box two tables' boxes share for them to be one region's


def _one_table_per_region(built: list[tuple[list[Rule], Table | None]],
                          rebuild: Callable[[list[Rule]], Table | None]) -> list[tuple[list[Rule], Table | None]]:
    """One table for each ruled region: two groups of rules a phone photo's blur parted (dev48 a05's
    providers, the rules lost between the names and the industries) each reach over the other's columns
    once their lost first or last column is put back, and their tables lie over each other, reading every
    record twice. Such groups are one table's rules, built again as one (the one holding more cells where
    the two together make none)."""
    out = list(built)
    changed = True
    while changed:
        changed = False
        for i, j in itertools.combinations(range(len(out)), 2):
            (group_a, table_a), (group_b, table_b) = out[i], out[j]
            if table_a is None or table_b is None or not (_same_region(table_a.bbox, table_b.bbox)
                                                          or _rows_in_common(table_a, table_b)):
                continue
            group = [*group_a, *group_b]
            table = rebuild(group) or max(table_a, table_b, key=lambda t: len(t.cells))
            out[i] = (group, table)
            del out[j]
            changed = True
            break
    return out


ROWS_IN_COMMON = 0.75  # share of the shorter table's inner row boundaries the other table draws too
ROW_MATCH = 2.0  # points between two tables' row boundaries taken for one rule's


def _rows_in_common(a: Table, b: Table) -> bool:
    """Two tables side by side whose boxes reach into each other's columns and whose rows are one table's
    rows: most inner row boundaries of the one with fewer are drawn by the other at the same height (a
    phone photo's row rules lost across the middle of a wide column: dev49 a08's products, the names' column
    cut in two, both parts read as tables of their own and every name cut short). The form prints no tables
    side by side; two that stand level but each with its own rows are left apart."""
    if not _side_by_side_pair(a, b) or crossing(a.bbox, b.bbox)[0] <= 0:
        return False
    inner_a, inner_b = a.grid.ys[1:-1], b.grid.ys[1:-1]
    fewer, more = sorted((inner_a, inner_b), key=len)
    if len(fewer) < 2:
        return False
    matched = sum(any(abs(y - other) <= ROW_MATCH for other in more) for y in fewer)
    return matched >= ROWS_IN_COMMON * len(fewer)


def _same_region(a: Box, b: Box) -> bool:
    width, height = crossing(a, b)
    smaller = min((a[2] - a[0]) * (a[3] - a[1]), (b[2] - b[0]) * (b[3] - b[1]))
    return width > 0 and height > 0 and width * height >= REGION_SHARED * smaller


def best_look(looks: Sequence[TableFinding], words: Sequence[Word]) -> TableFinding:
    """Of the faint looks, the one whose cells hold most words whole; of two holding as many whole, the one
    that does not break a table into two side by side (the form prints none: dev26 a07's financings, whose
    ridges lost the rows' rules across one column while the bands kept them), then the first."""
    return max(looks, key=lambda look: (_words_whole(look, words), not _side_by_side(look)))


def _cut_short(finding: TableFinding, words: Sequence[Word]) -> bool:
    """A table of the finding ends short of its own rows: a word no cell holds stands level with the table's
    body, wholly beside it (a pale frame found only in part makes a table of its first columns), or inside
    it, in a hole of its grid (a 1-bit scan's last rule broken across two columns: dev54 a08's contracts, the
    last record's code and enterprise in no cell)."""
    boxes = [cell.bbox for table in finding.tables for cell in table.cells]
    loose = [word for word in words if not any(_inside(word.bbox, box) for box in boxes)]
    for table in finding.tables:
        x0, y0, x1, y1 = table.bbox
        if any(y0 < (w.bbox[1] + w.bbox[3]) / 2 < y1 and (w.bbox[0] >= x1 or w.bbox[2] <= x0 or _inside(w.bbox, table.bbox, 0.0))
               for w in loose):
            return True
    return False


SIDE_BY_SIDE_ROWS = 0.5  # share of the shorter table's height two tables side by side stand level over
SIDE_BY_SIDE_GAP = 6.0  # points between them (or overlapping) at most
WHOLE_HELD = 0.9  # share of the words a faint look's grid holds that it must hold whole to replace a split finding


def _faint_look_taken(faint: TableFinding, words: Sequence[Word], held: int, split: bool) -> bool:
    """The faint look replaces the first, which held `held` words (`split`: in tables side by side), where it
    holds more; or, the first being split, where it is not, holds as many, and holds `WHOLE_HELD` of them whole."""
    faint_held = _words_held(faint, words)
    if faint_held > held:
        return True
    return split and faint_held == held and not _side_by_side(faint) \
        and _words_whole(faint, words) >= WHOLE_HELD * faint_held


def _side_by_side(finding: TableFinding) -> bool:
    """Two of the finding's tables stand level with each other, next to or over one another: one table whose
    rules broke apart between two of its columns (a faint rule lost beside its text where the binarised
    rules' local threshold sank, so the two parts share no rule). The form prints no tables side by side."""
    return any(_side_by_side_pair(a, b) for a, b in itertools.combinations(finding.tables, 2))


def _side_by_side_pair(a: Table, b: Table) -> bool:
    level = min(a.bbox[3], b.bbox[3]) - max(a.bbox[1], b.bbox[1])
    shorter = min(a.bbox[3] - a.bbox[1], b.bbox[3] - b.bbox[1])
    gap = max(a.bbox[0], b.bbox[0]) - min(a.bbox[2], b.bbox[2])
    return shorter > 0 and level >= SIDE_BY_SIDE_ROWS * shorter and gap <= SIDE_BY_SIDE_GAP


def _words_held(finding: TableFinding, words: Sequence[Word]) -> int:
    """How many of the words lie in a cell of one of the finding's tables."""
    boxes = [cell.bbox for table in finding.tables for cell in table.cells]
    return sum(any(_inside(word.bbox, box) for box in boxes) for word in words)


WHOLE_SLACK = 0.3  # share of a word's height its box may reach past its cell and still lie whole in it (loose OCR boxes)


def _words_whole(finding: TableFinding, words: Sequence[Word]) -> int:
    """How many of the words lie whole in one cell of the finding's tables (no rule of the grid cuts them)."""
    boxes = [cell.bbox for table in finding.tables for cell in table.cells]

    def whole(word: Word) -> bool:
        x0, top, x1, bottom = word.bbox
        slack = WHOLE_SLACK * (bottom - top)
        return any(box[0] - slack <= x0 and x1 <= box[2] + slack and box[1] - slack <= top and bottom <= box[3] + slack
                   for box in boxes)

    return sum(whole(word) for word in words)


def text_table(page: Page, region: Box | None = None) -> Table | None:
    """A table with no rules at all: rows are text lines, columns the text's vertical gaps.

    The last resort for a page that should hold a table but shows no rules (too faint
    to find, or printed without): better a rough grid than nothing.
    """
    read = [w for w in page.words if region is None or _inside(w.bbox, region)]
    # A word OCR ran over the blank between two columns (数字化产品  2) is its runs of text for finding the
    # columns; the cells take the words as read (cut at a column edge, a word is cut at its blank).
    words = [piece for w in read for piece in spaced_pieces(w)]
    lines = lines_of(words)
    if len(lines) < 2:
        return None
    box = (min(w.bbox[0] for w in words) - 1, min(w.bbox[1] for w in words) - 1,
           max(w.bbox[2] for w in words) + 1, max(w.bbox[3] for w in words) + 1)
    ys = [box[1]] + [(max(w.bbox[3] for w in a) + min(w.bbox[1] for w in b)) / 2
                     for a, b in itertools.pairwise(lines)] + [box[3]]
    xs = [box[0], *line_columns(above_note(lines), box), box[2]]
    verticals = [Rule("v", x, box[1], box[3]) for x in xs]
    grid = build_grid([Rule("h", y, box[0], box[2]) for y in ys] + verticals)
    if grid is None or grid.n_cols < 2:
        return None
    grid = _rows_by_key(grid, words, verticals) or grid
    return Table(page=page.number, grid=grid, frame=Frame(), cells=fill_cells(grid, Frame(), read), ruled=False)


NOTE_MARKS = ("注", "备注")


def above_note(lines: Sequence[Sequence[Word]]) -> Sequence[Sequence[Word]]:
    """The text lines above the note under a table (注：申报单位…加盖公章。 and its numbered lines after it): the
    note runs over the gaps between the columns, and its two lines are more than the few lines a gap may
    have reach over it (`CROSSING_LINES`: dev26 a12, a fax's contracts whose date and code columns stayed one).
    All the lines where no note follows a line of the table, or where the lines above the note are no table's
    rows: fewer than two of them hold two words or more (a seal's lettering read over a page holding only the
    note, '智能制' · '海' · '波', dev33 a02: one word a line gives no column gap, and the note keeps them from
    making a table)."""
    for index, line in enumerate(lines):
        if index >= 2 and "".join(word.text for word in line).lstrip().startswith(NOTE_MARKS):
            above = lines[:index]
            return above if sum(1 for row in above if len(row) >= 2) >= 2 else lines
    return lines
ROWS_BELOW_REACH = 2.0  # row pitches: a line further below the last row is no row of the table


def rows_below(page: Page, table: Table) -> Table | None:
    """The records a ruled table's frame left out under it, as a table of text lines on its columns.

    A faint frame that a fax broke up can end a few rows early: the records below its last rule are lines
    opening with a key (序号 or date) in its first column, with words in two of its columns at least, each
    at most `ROWS_BELOW_REACH` row pitches below the line before, down to a note (注：) or anything else.
    A line without a key continues the record above (a wrapped name). None when no such line follows.
    Lines without a key right under the last rule (at most `CENTRED_LEAD`) are the upper half of a record
    whose key stands centred on its lines (a two-line name, 6 beside its middle): the records are then
    parted between their keys (`_centred_records`).
    """
    xs, (x0, _, x1, bottom) = table.grid.xs, table.bbox
    if not table.ruled or table.grid.n_rows < 2 or table.grid.n_cols < 2:
        return None
    pitch = statistics.median(b - a for a, b in itertools.pairwise(table.grid.ys))
    below = [w for w in page.words if w.bbox[1] >= bottom - 2 and x0 - 2 <= (w.bbox[0] + w.bbox[2]) / 2 <= x1 + 2]
    records: list[list[Word]] = []
    lead: list[Word] = []  # lines without a key before the first keyed one
    keys: list[tuple[float, float]] = []  # each record's key: its top and bottom
    reach = bottom
    for line in lines_of(below):
        top = min(w.bbox[1] for w in line)
        first = [w for w in line if _column_of(xs, (w.bbox[0] + w.bbox[2]) / 2) == 0]
        keyed = bool(first) and TextLine("".join(w.text for w in first), top, top).is_key
        columns = {_column_of(xs, (w.bbox[0] + w.bbox[2]) / 2) for w in line}
        if top - reach > ROWS_BELOW_REACH * pitch or "".join(w.text for w in line).startswith(NOTE_MARKS) \
                or (keyed and len(columns) < 2) or (not keyed and not records and len(lines_of(lead)) >= CENTRED_LEAD):
            break
        reach = max(w.bbox[3] for w in line)
        if not keyed and not records:
            lead += line
            continue
        if keyed:
            records.append([])
            keys.append((min(w.bbox[1] for w in first), max(w.bbox[3] for w in first)))
        records[-1] += line
    if not records:
        return None
    if lead:
        return _table_of_lines(page, xs, *_centred_records(bottom, lead, records, keys))
    tops = [min(w.bbox[1] for w in record) for record in records]
    lows = [max(w.bbox[3] for w in record) for record in records]
    ys = [bottom, *((low + top) / 2 for low, top in zip(lows, tops[1:], strict=False)), lows[-1] + 1]
    return _table_of_lines(page, xs, ys, records)


CENTRED_LEAD = 3  # lines a key centred on its record may stand below the record's first


def _centred_records(bottom: float, lead: list[Word], records: list[list[Word]],
                     keys: list[tuple[float, float]]) -> tuple[list[float], list[list[Word]]]:
    """Row boundaries and records of lines whose keys stand centred on their records: between two keys the
    records part where the lines are cut least (a blank between them if there is one), so that the lines
    under a key down to that point are its record's and the lines over the next key the next record's."""
    words = lead + [w for record in records for w in record]
    spans = [(w.bbox[1], w.bbox[3]) for w in words]
    cuts = [_parting(spans, upper[1], lower[0]) for upper, lower in itertools.pairwise(keys)]
    ys = [bottom, *cuts, max(w.bbox[3] for w in words) + 1]
    parted: list[list[Word]] = [[] for _ in keys]
    for word in words:
        centre = (word.bbox[1] + word.bbox[3]) / 2
        parted[sum(1 for cut in cuts if centre >= cut)].append(word)
    return ys, parted


def _parting(spans: Sequence[tuple[float, float]], low: float, high: float) -> float:
    """Where one record ends and the next begins between `low` and `high`: the middle of the widest blank
    between lines, or where the lines are cut least when they overlap (a fax's tall boxes)."""
    gaps = free_gaps(spans, low, high)
    if not gaps:
        return least_cut(spans, low, high)
    top, end = max(gaps, key=lambda gap: gap[1] - gap[0])
    return (top + end) / 2


def rows_above(page: Page, table: Table) -> Table | None:
    """The records a ruled table's frame left out over it, as a table of text lines on its columns.

    A fax's dashed rules can lose a table's first rows with its header (their pieces too short to join):
    the frame found begins at a later record's rule, its 序号 3.  The lines over it are its records 2 and 1
    when each opens with the next lower 序号 in the key column, has words in two columns at least and lies at
    most `ROWS_BELOW_REACH` row pitches over the line below.  Only one-line records are taken (a line
    without its key, a wrapped name's, or the header, ends them), and only a run counting down to the
    table's own first 序号: numbers that run on into the table are its records, nothing else is.
    """
    xs, (x0, top, x1, _) = table.grid.xs, table.bbox
    if not table.ruled or table.grid.n_rows < 2 or table.grid.n_cols < 2:
        return None
    first = _first_seq(table)
    if first is None or first[1] < 2:
        return None
    col, seq = first
    pitch = statistics.median(b - a for a, b in itertools.pairwise(table.grid.ys))
    above = [w for w in page.words if w.bbox[3] <= top + 2 and x0 - 2 <= (w.bbox[0] + w.bbox[2]) / 2 <= x1 + 2]
    records: list[list[Word]] = []
    reach = top
    for line in reversed(lines_of(above)):
        key = "".join(w.text for w in line if _column_of(xs, (w.bbox[0] + w.bbox[2]) / 2) == col).replace(" ", "")
        columns = {_column_of(xs, (w.bbox[0] + w.bbox[2]) / 2) for w in line}
        if reach - max(w.bbox[3] for w in line) > ROWS_BELOW_REACH * pitch or key != str(seq - 1) \
                or len(columns) < 2:
            break
        records.insert(0, line)
        seq -= 1
        reach = min(w.bbox[1] for w in line)
        if seq == 1:
            break
    if not records:
        return None
    tops = [min(w.bbox[1] for w in record) for record in records]
    lows = [max(w.bbox[3] for w in record) for record in records]
    ys = [tops[0] - 1, *((low + next_top) / 2 for low, next_top in zip(lows, tops[1:], strict=False)), top]
    return _table_of_lines(page, xs, ys, records)


def _table_of_lines(page: Page, xs: Sequence[float], ys: Sequence[float], records: list[list[Word]]) -> Table | None:
    """An unruled table of one-line `records` on the columns `xs`, its row boundaries at `ys`."""
    rules = [Rule("h", y, xs[0], xs[-1]) for y in ys] + [Rule("v", x, ys[0], ys[-1]) for x in xs]
    grid = build_grid(rules)
    if grid is None:
        return None
    words = [w for record in records for w in record]
    return Table(page=page.number, grid=grid, frame=Frame(), cells=fill_cells(grid, Frame(), words), ruled=False)


def _first_seq(table: Table) -> tuple[int, int] | None:
    """The key column and 序号 of the table's first grid row: the first of its two first columns holding a
    whole number alone (a products table's 序号 stands second, after its 类别)."""
    for cell in table.row(0):
        if cell.cell.col > 1:
            break
        text = cell.text.replace(" ", "")
        if text.isdigit() and cell.cell.col_span == 1:
            return cell.cell.col, int(text)
    return None


def _column_of(xs: Sequence[float], x: float) -> int:
    """The column of `xs` (its edges) that x falls in, clamped to the first and last."""
    return max(0, min(len(xs) - 2, sum(1 for edge in xs[1:-1] if x >= edge)))




def _opens_note(lines: dict[tuple[int, int], list[TextLine]], row: int) -> bool:
    """Grid row `row` (one text line) begins with a note mark in its first filled cell."""
    cells = sorted((col, cell) for (r, col), cell in lines.items() if r == row and cell)
    return bool(cells) and cells[0][1][0].text.replace(" ", "").startswith(NOTE_MARKS)


def _rows_by_key(grid: Grid, words: Sequence[Word], verticals: list[Rule]) -> Grid | None:
    """A line-per-row grid whose body is regrouped into rows by its key column (a wrapped name stays one row).

    The lines above the key column's first entry (a title) keep a row each; from there on,
    rows start where `rows.row_cuts` finds them.  None when the text has no key column.
    """
    lines = cell_lines(grid, Frame(), words)
    col = key_column(grid, lines)
    if col is None:
        return None
    # The header (no digits in the key column) opens the body: the lines above it (a title) keep a row each.
    first = next((row for row in range(grid.n_rows) if any(starts_row(line) for line in lines.get((row, col), []))),
                 None)
    if first is None:
        return None
    left, right = grid.xs[0], grid.xs[-1]
    # A note under the table (注：…) is no part of the last row: it keeps its own.
    notes = [grid.ys[row] for row in range(first + 1, grid.n_rows) if _opens_note(lines, row)]
    horizontals = [Rule("h", y, left, right) for y in [*grid.ys[:first + 1], *notes[:1], grid.ys[-1]]]
    body = build_grid(horizontals + verticals)
    if body is None:
        return None
    cuts = [Rule("h", cut.pos, left, right) for cut in row_cuts(body, Frame(), words)]
    return build_grid(horizontals + cuts + verticals)

