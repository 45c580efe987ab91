"""Table geometry as a chain of pure steps: rules → merged rules → groups → grid → cells.

Everything here works in points in a *table frame*: the page frame turned by the small
residual skew the rules show (see `Frame`), so rules are axis-aligned.  No step looks
at pixels or text; `pixels.py` finds rules in images and `finder.py` adds the words.

The grid is the product of every distinct rule position; a cell is a union of grid
units whose shared edge has no rule under it, so merged cells (row and column spans)
fall out of the same rule.  Outer rules that are missing are replaced by virtual ones
at the extent of the other rules, so open-sided tables still parse.
"""

from __future__ import annotations

import bisect
import itertools
import math
import statistics
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal, TypeVar

import numpy as np

from models.page import Box

Orientation = Literal["h", "v"]
Coordinate = TypeVar("Coordinate", float, np.ndarray)  # one point's, or many points' as an array


class VerticalExtent:
    """What a line of text spanning `top`..`bottom` (table frame) offers: its centre and its height."""

    top: float
    bottom: float

    @property
    def centre(self) -> float:
        return (self.top + self.bottom) / 2

    @property
    def height(self) -> float:
        return self.bottom - self.top


@dataclass(frozen=True)
class Tolerances:
    """Named tolerances in points (pdfplumber keeps its tolerances the same way)."""

    snap: float = 3.0  # rules this close in position are one rule
    join: float = 4.0  # collinear pieces with a gap up to this are one rule (breaks, faint dots)
    touch: float = 4.5  # a rule end this close to another rule touches it
    coverage: float = 0.45  # an edge with at least this fraction under a rule has that rule
    min_rule: float = 12.0  # shorter pieces are text strokes or noise
    sliver: float = 0.5  # a last row under this share of the typical row height, with no rule under it, is not a row
    # Row boundaries closer than this hold no line of the form's print between them: one of them drawn only
    # partly across is a piece of the other (a rule a phone photographed askew; `_without_partial_slivers`).
    thin_row: float = 6.0


@dataclass(frozen=True)
class Rule:
    """An axis-aligned ruling segment: `pos` is y for horizontal, x for vertical; start < end."""

    orient: Orientation
    pos: float
    start: float
    end: float

    @property
    def length(self) -> float:
        return self.end - self.start


@dataclass(frozen=True)
class Frame:
    """The table frame: the page frame turned by `angle_deg` (counter-clockwise) about (cx, cy)."""

    angle_deg: float = 0.0
    cx: float = 0.0
    cy: float = 0.0

    def _turn(self, x: Coordinate, y: Coordinate, sign: float) -> tuple[Coordinate, Coordinate]:
        """(x, y) turned about the centre; as arrays, each point by the same arithmetic as one alone."""
        if not self.angle_deg:
            return x, y
        theta = math.radians(self.angle_deg) * sign
        dx, dy = x - self.cx, y - self.cy
        # y grows downwards, so a counter-clockwise turn on screen is clockwise in maths.
        return (self.cx + dx * math.cos(theta) + dy * math.sin(theta),
                self.cy - dx * math.sin(theta) + dy * math.cos(theta))

    def to_table(self, x: float, y: float) -> tuple[float, float]:
        return self._turn(x, y, 1.0)

    def points_to_page(self, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Points of the table frame (arrays of x and y) in the page's frame: `box_to_page` of each point."""
        return self._turn(x, y, -1.0)

    def box_to_table(self, box: Box) -> Box:
        return self._envelope(box, 1.0)

    def box_to_page(self, box: Box) -> Box:
        return self._envelope(box, -1.0)

    def _envelope(self, box: Box, sign: float) -> Box:
        if not self.angle_deg:
            return box
        corners = [self._turn(x, y, sign) for x in (box[0], box[2]) for y in (box[1], box[3])]
        xs, ys = [c[0] for c in corners], [c[1] for c in corners]
        return (min(xs), min(ys), max(xs), max(ys))


@dataclass(frozen=True)
class Cell:
    """A grid cell: its first row/column, its spans and its box (table frame)."""

    row: int
    col: int
    row_span: int
    col_span: int
    bbox: Box

    def covers(self, row: int, col: int) -> bool:
        return self.row <= row < self.row + self.row_span and self.col <= col < self.col + self.col_span


@dataclass
class Grid:
    """Row boundaries `ys`, column boundaries `xs`, the cells, and what they were made from."""

    xs: list[float]
    ys: list[float]
    cells: list[Cell]
    rules: list[Rule] = field(default_factory=list)
    virtual: list[Rule] = field(default_factory=list)  # outer rules the page lacked

    @property
    def bbox(self) -> Box:
        return (self.xs[0], self.ys[0], self.xs[-1], self.ys[-1])

    @property
    def n_rows(self) -> int:
        return len(self.ys) - 1

    @property
    def n_cols(self) -> int:
        return len(self.xs) - 1

    def cell_at(self, row: int, col: int) -> Cell | None:
        return next((cell for cell in self.cells if cell.covers(row, col)), None)

    def intersections(self) -> list[tuple[float, float]]:
        """Points where a horizontal and a vertical rule cross (for inspection and drawing)."""
        return edges_to_intersections(self.rules + self.virtual)


# --- step 1: merge pieces into rules ------------------------------------------------------


def _cluster(values: Sequence[float], tol: float) -> list[list[float]]:
    groups: list[list[float]] = []
    for value in sorted(values):
        if groups and value - groups[-1][-1] <= tol:
            groups[-1].append(value)
        else:
            groups.append([value])
    return groups


def line_bands(rules: Iterable[Rule], orient: Orientation, snap: float) -> list[list[Rule]]:
    """Rules of one orientation grouped by position (each band is one line of the page)."""
    bands: list[list[Rule]] = []
    for rule in sorted((r for r in rules if r.orient == orient), key=lambda r: r.pos):
        if bands and rule.pos - bands[-1][-1].pos <= snap:
            bands[-1].append(rule)
        else:
            bands.append([rule])
    return bands


def merge_rules(pieces: Iterable[Rule], tol: Tolerances = Tolerances()) -> list[Rule]:
    """Snap pieces of one orientation at nearby positions together, then join collinear overlaps/small gaps."""
    pieces = list(pieces)
    return [rule for orient in ("h", "v") for band in line_bands(pieces, orient, tol.snap)
            for rule in _join_band(band, orient, tol)]


def _join_band(band: list[Rule], orient: Orientation, tol: Tolerances) -> list[Rule]:
    runs: list[list[Rule]] = []
    for piece in sorted(band, key=lambda p: p.start):
        if runs and piece.start - max(p.end for p in runs[-1]) <= tol.join:
            runs[-1].append(piece)
        else:
            runs.append([piece])
    out = []
    for run in runs:
        weight = sum(max(p.length, 0.1) for p in run)
        pos = sum(p.pos * max(p.length, 0.1) for p in run) / weight
        out.append(Rule(orient, pos, min(p.start for p in run), max(p.end for p in run)))
    return out


# Does the gap (start, end) along `rule`'s line hide a rule (under a seal, say)?
GapTest = Callable[["Rule", float, float], bool]


def bridge_gaps(rules: Sequence[Rule], hidden: GapTest, tol: Tolerances = Tolerances()) -> list[Rule]:
    """Join collinear rules across gaps that `hidden` explains; other gaps stay (they may be merged cells)."""
    out: list[Rule] = []
    for orient in ("h", "v"):
        for band in line_bands(rules, orient, tol.snap):
            joined: list[Rule] = []
            for rule in sorted(band, key=lambda r: r.start):
                last = joined[-1] if joined else None
                if last is not None and rule.start > last.end and hidden(last, last.end, rule.start):
                    joined[-1] = Rule(orient, last.pos, last.start, max(last.end, rule.end))
                else:
                    joined.append(rule)
            out.extend(joined)
    return out


def edges_to_intersections(rules: Sequence[Rule], tol: float = Tolerances.touch) -> list[tuple[float, float]]:
    horizontals = [r for r in rules if r.orient == "h"]
    verticals = [r for r in rules if r.orient == "v"]
    return [
        (v.pos, h.pos)
        for h in horizontals for v in verticals
        if h.start - tol <= v.pos <= h.end + tol and v.start - tol <= h.pos <= v.end + tol
    ]


# --- step 2: group rules into tables ----------------------------------------------------


def _touches(h: Rule, v: Rule, tol: float) -> bool:
    return h.start - tol <= v.pos <= h.end + tol and v.start - tol <= h.pos <= v.end + tol


def group_rules(rules: Sequence[Rule], tol: Tolerances = Tolerances()) -> list[list[Rule]]:
    """Rules that touch (directly or through others) form one table; isolated short rules are dropped.

    Horizontal rules with no vertical partner (tables ruled only between rows) join a
    group when they overlap it by most of their length and lie within a few rows of it.
    """
    rules = [r for r in rules if r.length >= tol.min_rule]
    parent = list(range(len(rules)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, a in enumerate(rules):
        for j in range(i + 1, len(rules)):
            b = rules[j]
            if a.orient != b.orient:
                h, v = (a, b) if a.orient == "h" else (b, a)
                if _touches(h, v, tol.touch):
                    parent[find(i)] = find(j)
    groups: dict[int, list[Rule]] = {}
    for index, rule in enumerate(rules):
        groups.setdefault(find(index), []).append(rule)
    pieces = [g[0] for g in groups.values() if len(g) == 1 and g[0].orient == "h"]
    joined = _join_continued([g for g in groups.values() if len(g) > 1], pieces, tol)
    tables = _merge_overlapping([g for g in joined if _is_ruled_table(g)])
    loose = sorted((g[0] for g in groups.values() if len(g) == 1 and g[0].orient == "h"), key=lambda r: r.pos)
    return _attach_loose_rows(tables, loose)


CONTINUE_GAP = 20.0  # points: gaps of a faint rule broken into pieces (a grey scan's 0.25 pt rule)


def _bridged(left: Rule, right: Rule, pieces: Sequence[Rule], tol: Tolerances) -> bool:
    """`right` takes up where `left` stops on the same line, across gaps of at most `CONTINUE_GAP` between
    the pieces of that line lying in between."""
    if abs(left.pos - right.pos) > tol.snap or right.start < left.end - tol.join:
        return False
    reach = left.end
    for piece in sorted((p for p in pieces if abs(p.pos - left.pos) <= tol.snap and left.end < p.start < right.start),
                        key=lambda p: p.start):
        if piece.start - reach > CONTINUE_GAP:
            return False
        reach = max(reach, piece.end)
    return right.start - reach <= CONTINUE_GAP


BROKEN_ROW_COVER = 0.5  # share of a column's width a row rule's pieces cover for the rule to be drawn there
# Columns a row rule's pieces must be found across: a rule runs across the table, and pieces in one column
# alone part no record there (the keys' cuts do), while they would cut that column's cell apart from the rest.
BROKEN_ROW_COLUMNS = 2


def broken_rows_joined(group: Sequence[Rule], pieces: Sequence[Rule], text: Sequence[Box] = (),
                       tol: Tolerances = Tolerances()) -> list[Rule]:
    """The group with each row rule a dotted or faint scan broke into pieces drawn whole column by column:
    where the horizontal pieces of one line inside the group's box (its own, and loose `pieces` that touched
    no rule and so joined no group) cover `BROKEN_ROW_COVER` of a column's width between two of the
    group's column rules, a rule runs across that column from rule to rule. Apart, no piece touches two
    column rules nor runs half the table's width, and `_significant` drops each: the rows the rule parts read
    as one (a list's records two by two, a category's names in one cell). A column the pieces leave mostly
    bare keeps no rule there: a merged cell's. A piece running along a line of `text` (word boxes, table
    frame), inside its height, is its characters' strokes (the feet of 石化化工 under a wrapped line) and
    counts for no rule."""
    verticals = [rule for rule in group if rule.orient == "v"]
    if len(verticals) < 2:
        return list(group)
    left, top, right, bottom = extent(group)
    own = {id(rule) for rule in group}
    loose = [rule for rule in pieces if rule.orient == "h" and id(rule) not in own and rule.length >= tol.min_rule
             and top + tol.snap < rule.pos < bottom - tol.snap and rule.start >= left - tol.touch
             and rule.end <= right + tol.touch]
    out = list(group)
    horizontals = [rule for rule in (*(r for r in group if r.orient == "h"), *loose) if not _along_text(rule, text)]
    for band in line_bands(horizontals, "h", tol.snap):
        # At the height of the group's own longest piece on the line, where it has one: the grid's boundary
        # stays where the group's rules put it.
        drawn = [rule for rule in band if id(rule) in own]
        pos = max(drawn, key=lambda rule: rule.length).pos if drawn else sum(rule.pos for rule in band) / len(band)
        if not top + tol.snap < pos < bottom - tol.snap:
            continue
        xs = [sum(g) / len(g) for g in _cluster([left, right, *(v.pos for v in verticals
                                                             if v.start - tol.touch <= pos <= v.end + tol.touch)],
                                                tol.snap)]
        flat = [Rule("h", pos, rule.start, rule.end) for rule in band]
        drawn_across = [Rule("h", pos, a, b) for a, b in itertools.pairwise(xs)
                        if _covered(flat, "h", pos, a, b, tol) >= BROKEN_ROW_COVER]
        if len(drawn_across) >= BROKEN_ROW_COLUMNS:
            out.extend(drawn_across)
    return out


TEXT_MARGIN = 0.15  # share of a word's height at its top and bottom where a rule may graze its box (padding)


def _along_text(rule: Rule, text: Sequence[Box]) -> bool:
    """The horizontal piece lies inside a word's height, along half its own length or more."""
    for x0, top, x1, bottom in text:
        margin = TEXT_MARGIN * (bottom - top)
        if top + margin < rule.pos < bottom - margin and min(rule.end, x1) - max(rule.start, x0) >= 0.5 * rule.length:
            return True
    return False


def _continued_lines(a: Sequence[Rule], b: Sequence[Rule], pieces: Sequence[Rule], tol: Tolerances) -> set[float]:
    """The heights at which a horizontal rule of `b` continues one of `a` (or the other way)."""
    heights = set()
    for ra in (r for r in a if r.orient == "h"):
        for rb in (r for r in b if r.orient == "h"):
            if _bridged(ra, rb, pieces, tol) or _bridged(rb, ra, pieces, tol):
                heights.add(ra.pos)
    return heights


def _continues(a: Sequence[Rule], b: Sequence[Rule], pieces: Sequence[Rule], tol: Tolerances) -> bool:
    """`b` is the rest of `a`'s table: the top and bottom rules of the shorter one both continue rules of the
    other (a faint frame broken up leaves groups side by side, each without the other's rules)."""
    box_a, box_b = extent(a), extent(b)
    if min(box_a[2], box_b[2]) - max(box_a[0], box_b[0]) > tol.join:
        return False  # crossing groups are `_merge_overlapping`'s
    heights = _continued_lines(a, b, pieces, tol)
    top, bottom = max(box_a[1], box_b[1]), min(box_a[3], box_b[3])
    return bottom - top > 0 and all(any(abs(h - y) <= tol.snap for h in heights) for y in (top, bottom))


def _join_continued(groups: list[list[Rule]], pieces: Sequence[Rule], tol: Tolerances) -> list[list[Rule]]:
    """Groups whose rules continue each other's at the top and bottom of the shorter one, as one table
    (the loose `pieces` of the broken rules join it too)."""
    merged = [list(group) for group in groups]
    changed = True
    while changed:
        changed = False
        for i, j in itertools.combinations(range(len(merged)), 2):
            if (_is_ruled_table(merged[i]) or _is_ruled_table(merged[j])) and _continues(merged[i], merged[j], pieces, tol):
                merged[i] += merged.pop(j)
                changed = True
                break
    return merged


OVERLAP_MERGE = 0.5  # two groups whose boxes cross, sharing this much of the shorter one's height, are one table


def _merge_overlapping(groups: list[list[Rule]]) -> list[list[Rule]]:
    """Groups whose boxes cross side by side, or one over the other on the same column rules, as one: tables
    do not lie over each other, but a table whose rules broke apart (dotted, faint) falls into pieces that do."""
    merged = [list(group) for group in groups]
    changed = True
    while changed:
        changed = False
        for i, j in itertools.combinations(range(len(merged)), 2):
            if _side_by_side(extent(merged[i]), extent(merged[j])) or _one_over_the_other(merged[i], merged[j]):
                merged[i] += merged.pop(j)
                changed = True
                break
    return merged


def crossing(a: Box, b: Box) -> tuple[float, float]:
    """The width and height two boxes share (negative where they lie apart)."""
    return min(a[2], b[2]) - max(a[0], b[0]), min(a[3], b[3]) - max(a[1], b[1])


def _side_by_side(a: Box, b: Box) -> bool:
    """The boxes cross, and share most of the shorter one's height."""
    width, height = crossing(a, b)
    return width > 0 and height >= OVERLAP_MERGE * min(a[3] - a[1], b[3] - b[1])


STACKED_OVERLAP = 10.0  # points two pieces of one frame reach into each other's height, past an edge they share
SHARED_COLUMNS = 2  # column rules two such pieces both draw


def _one_over_the_other(a: Sequence[Rule], b: Sequence[Rule], tol: Tolerances = Tolerances()) -> bool:
    """Two pieces of one faint frame, one over the other: their boxes reach `STACKED_OVERLAP` into each other's
    height (two tables stacked share an edge at most) and both draw `SHARED_COLUMNS` of the same column rules
    (dev48 a06 p11: a drawn scan's contracts broke into records 1-6 and 5-12, read as two tables, records 5
    and 6 twice)."""
    if crossing(extent(a), extent(b))[1] < STACKED_OVERLAP:
        return False
    xs_a = [r.pos for r in a if r.orient == "v"]
    xs_b = [r.pos for r in b if r.orient == "v"]
    shared = sum(1 for x in _cluster(xs_a, tol.snap) if any(abs(sum(x) / len(x) - other) <= tol.snap for other in xs_b))
    return shared >= SHARED_COLUMNS


def _is_ruled_table(group: list[Rule]) -> bool:
    h = sum(1 for r in group if r.orient == "h")
    v = sum(1 for r in group if r.orient == "v")
    return (h >= 2 and v >= 2) or (h >= 1 and v >= 3) or (h >= 3 and v >= 1)


def extent(rules: Sequence[Rule]) -> Box:
    """The box the rules span."""
    horizontals = [r for r in rules if r.orient == "h"]
    verticals = [r for r in rules if r.orient == "v"]
    return (min([r.start for r in horizontals] + [r.pos for r in verticals]),
            min([r.pos for r in horizontals] + [r.start for r in verticals]),
            max([r.end for r in horizontals] + [r.pos for r in verticals]),
            max([r.pos for r in horizontals] + [r.end for r in verticals]))


def _lines_up(rule: Rule, box: Box, max_gap: float) -> bool:
    overlap = max(0.0, min(rule.end, box[2]) - max(rule.start, box[0]))
    return overlap >= 0.8 * min(rule.length, box[2] - box[0]) and box[1] - max_gap <= rule.pos <= box[3] + max_gap


def _attach_loose_rows(tables: list[list[Rule]], loose: list[Rule], max_gap: float = 60.0,
                       min_length: float = 60.0) -> list[list[Rule]]:
    """Long horizontal rules touching no vertical: extend a table they line up with, or chain into one.

    Shorter loose rules are underline blanks (____万元), not row separators.
    """
    chains: list[list[Rule]] = []
    for rule in loose:
        if rule.length < min_length:
            continue
        host = next((table for table in tables if _lines_up(rule, extent(table), max_gap)), None)
        if host is not None:
            host.append(rule)
        elif chains and _lines_up(rule, extent(chains[-1]), max_gap):
            chains[-1].append(rule)
        else:
            chains.append([rule])
    return tables + [chain for chain in chains if len(chain) >= 2]


# --- step 3: grid and cells ---------------------------------------------------------------


def _boundaries(rules: Sequence[Rule], orient: Orientation, tol: Tolerances) -> list[float]:
    positions = [r.pos for r in rules if r.orient == orient]
    return [sum(group) / len(group) for group in _cluster(positions, tol.snap)]


def _significant(rules: list[Rule], tol: Tolerances) -> list[Rule]:
    """Drop stubs: a rule must touch two rules across it, or run most of the table's extent."""
    horizontals = [r for r in rules if r.orient == "h"]
    verticals = [r for r in rules if r.orient == "v"]
    width = max((r.end for r in horizontals), default=0) - min((r.start for r in horizontals), default=0)
    height = max((r.end for r in verticals), default=0) - min((r.start for r in verticals), default=0)
    kept = []
    for rule in rules:
        across = verticals if rule.orient == "h" else horizontals
        extent = width if rule.orient == "h" else height
        hits = sum(1 for other in across if _touches(*((rule, other) if rule.orient == "h" else (other, rule)),
                                                       tol.touch))
        if hits >= 2 or (extent and rule.length >= 0.5 * extent) or not across:
            kept.append(rule)
    return kept


def _virtual_outer(rules: list[Rule], tol: Tolerances) -> list[Rule]:
    """Outer rules the table lacks, at the extent of the rules it has."""
    left, top, right, bottom = extent(rules)
    virtual = []
    for x in (left, right):
        if not any(v.orient == "v" and abs(v.pos - x) <= tol.snap and v.length >= 0.5 * (bottom - top) for v in rules):
            virtual.append(Rule("v", x, top, bottom))
    for y in (top, bottom):
        if not any(h.orient == "h" and abs(h.pos - y) <= tol.snap and h.length >= 0.5 * (right - left) for h in rules):
            virtual.append(Rule("h", y, left, right))
    return virtual


def _covered(rules: Sequence[Rule], orient: Orientation, pos: float, a: float, b: float, tol: Tolerances) -> float:
    """Fraction of the edge [a, b] at `pos` that lies under rules of that orientation."""
    pieces = sorted((max(a, r.start), min(b, r.end)) for r in rules
                    if r.orient == orient and abs(r.pos - pos) <= tol.snap and r.end > a and r.start < b)
    covered, reach = 0.0, a
    for start, end in pieces:
        if end > reach:
            covered += end - max(start, reach)
            reach = end
    return covered / (b - a) if b > a else 1.0


def _along(rules: Sequence[Rule], orient: Orientation, positions: Sequence[float], tol: Tolerances) -> list[list[Rule]]:
    """For each of `positions`, the rules of that orientation lying there (the ones `_covered` measures an edge
    there with), in their order: looked up among the rules sorted by position, then held to `_covered`'s test."""
    ranked = sorted((rule.pos, index) for index, rule in enumerate(rules) if rule.orient == orient)
    keys = [pos for pos, _ in ranked]
    reach = tol.snap * (1 + 1e-9) + 1e-9  # a little wider than the test: the test decides
    picked = []
    for pos in positions:
        near = ranked[bisect.bisect_left(keys, pos - reach):bisect.bisect_right(keys, pos + reach)]
        picked.append([rules[index] for _, index in sorted(near, key=lambda item: item[1])
                       if abs(rules[index].pos - pos) <= tol.snap])
    return picked


def build_grid(rules: Sequence[Rule], tol: Tolerances = Tolerances(),
               extra_xs: Sequence[float] = (), extra_ys: Sequence[float] = ()) -> Grid | None:
    """The grid of one table's rules; `extra_xs`/`extra_ys` are boundaries found from text instead.

    Extra boundaries count as present on every edge: they come from columns (or rows)
    of text where the page has no rule at all, so they cannot express spans.
    """
    real = _significant(list(rules), tol)
    if not real:
        return None
    virtual = _virtual_outer(real, tol)
    every = real + virtual
    xs = sorted(_boundaries(every, "v", tol) + [x for x in extra_xs])
    ys = sorted(_boundaries(every, "h", tol) + [y for y in extra_ys])
    xs = [sum(g) / len(g) for g in _cluster(xs, tol.snap)]
    ys = [sum(g) / len(g) for g in _cluster(ys, tol.snap)]
    if len(xs) < 2 or len(ys) < 2:
        return None
    present_v = every + [Rule("v", x, ys[0], ys[-1]) for x in extra_xs]
    present_h = every + [Rule("h", y, xs[0], xs[-1]) for y in extra_ys]
    ys = _without_partial_slivers(ys, present_h, xs[0], xs[-1], tol)
    drawn_h = [rule for rule in present_h if rule not in virtual]
    ys = _without_overshoot(ys, xs, drawn_h, present_v, tol)
    virtual = [rule for rule in virtual if rule.orient == "v" or rule.pos <= ys[-1] + tol.snap]
    cells = units_to_cells(xs, ys, present_h, present_v, tol)
    return Grid(xs=xs, ys=ys, cells=cells, rules=real, virtual=virtual)


FULL_RULE = 0.9  # a row boundary with this share of the table's width under rules is drawn across it


def _without_partial_slivers(ys: list[float], rules: Sequence[Rule], left: float, right: float,
                             tol: Tolerances) -> list[float]:
    """`ys` without one of two boundaries closer than `tol.thin_row` where one of them is drawn only partly
    across the table: a rule a phone photographed askew, found whole at one height and in some columns a few
    points lower. Between them no line of print fits; as two boundaries they make a sliver row whose cells in
    the other columns span the record's, which then stands on two rows. The boundary drawn further across
    stays. Two boundaries both drawn across (a double rule) are left as they are: their sliver is empty."""
    kept = list(ys)
    index = 0
    while index + 1 < len(kept):
        upper, lower = kept[index], kept[index + 1]
        if lower - upper < tol.thin_row:
            covers = [_covered(rules, "h", y, left, right, tol) for y in (upper, lower)]
            if min(covers) < FULL_RULE:
                del kept[index + (1 if covers[0] >= covers[1] else 0)]
                continue
        index += 1
    return kept


OVERSHOOT_ROW = 0.8  # of the typical row's height: a last row this thin may be a border's overshoot, not a row


def _without_overshoot(ys: list[float], xs: Sequence[float], horizontals: Sequence[Rule],
                       verticals: Sequence[Rule], tol: Tolerances) -> list[float]:
    """`ys` without a last row that only a border overshooting the table's bottom rule makes.

    A seal's ring or a curl's shadow continuing one border past the bottom rule makes the extent, and so a
    virtual bottom, a few points lower. The thin row under the bottom rule then has no column boundary of
    its own, so its units join across the whole width and, with them, every cell above that lacks a rule on
    one side (a whole category's block became one cell). A row clearly thinner than the typical row, not
    closed by a rule and crossed by fewer than half of the inner column rules (one may reach down under a
    seal's ring), is no row: a real last row whose bottom rule was lost still has its columns drawn down
    through it."""
    heights = [b - a for a, b in itertools.pairwise(ys)]
    if len(heights) < 3:
        return ys
    top, bottom = ys[-2], ys[-1]
    thin = heights[-1] < OVERSHOOT_ROW * statistics.median(heights[:-1])
    closed = _covered(horizontals, "h", bottom, xs[0], xs[-1], tol) >= 0.5
    drawn = sum(_covered(verticals, "v", x, top, bottom, tol) >= tol.coverage for x in xs[1:-1])
    return ys[:-1] if thin and not closed and 2 * drawn < len(xs) - 2 else ys


def units_to_cells(xs: Sequence[float], ys: Sequence[float], horizontals: Sequence[Rule],
                   verticals: Sequence[Rule], tol: Tolerances = Tolerances()) -> list[Cell]:
    """Union grid units across edges without a rule; each union's bounding rectangle is a cell."""
    n_rows, n_cols = len(ys) - 1, len(xs) - 1
    parent = list(range(n_rows * n_cols))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    # Each inner boundary's rules, picked once (`_covered` picks the same ones again, in the same order).
    on_column, on_row = _along(verticals, "v", xs[1:-1], tol), _along(horizontals, "h", ys[1:-1], tol)
    for r in range(n_rows):
        for c in range(n_cols):
            if c + 1 < n_cols and _covered(on_column[c], "v", xs[c + 1], ys[r], ys[r + 1], tol) < tol.coverage:
                parent[find(r * n_cols + c)] = find(r * n_cols + c + 1)
            if r + 1 < n_rows and _covered(on_row[r], "h", ys[r + 1], xs[c], xs[c + 1], tol) < tol.coverage:
                parent[find(r * n_cols + c)] = find((r + 1) * n_cols + c)
    spans: dict[int, list[int]] = {}
    for index in range(n_rows * n_cols):
        root = find(index)
        r, c = divmod(index, n_cols)
        box = spans.setdefault(root, [r, c, r, c])
        box[0], box[1], box[2], box[3] = min(box[0], r), min(box[1], c), max(box[2], r), max(box[3], c)
    cells = [
        Cell(row=r0, col=c0, row_span=r1 - r0 + 1, col_span=c1 - c0 + 1, bbox=(xs[c0], ys[r0], xs[c1 + 1], ys[r1 + 1]))
        for r0, c0, r1, c1 in spans.values()
    ]
    return _resolve_overlaps(sorted(cells, key=lambda cell: (cell.row, cell.col)))


def _resolve_overlaps(cells: list[Cell]) -> list[Cell]:
    """A non-rectangular union (a rule missing in an L shape) becomes a rectangle; later overlaps are dropped."""
    kept: list[Cell] = []
    for cell in cells:
        if not any(_cells_overlap(cell, other) for other in kept):
            kept.append(cell)
    return kept


def _cells_overlap(a: Cell, b: Cell) -> bool:
    return (a.row < b.row + b.row_span and b.row < a.row + a.row_span
            and a.col < b.col + b.col_span and b.col < a.col + a.col_span)


# --- step 4: a sliver below the last rule -----------------------------------------------------


def drop_sliver_rows(grid: Grid, tol: Tolerances = Tolerances()) -> Grid:
    """The grid without thin last rows that no rule closes.

    A stroke below the table (a seal's ring or star, a signature) reaching past the last
    rule makes the extent, and so a virtual bottom rule, a few points lower: a sliver row
    holding whatever text lies under the table.  A real last row is closed by a rule and
    about as tall as the others.
    """
    while grid.n_rows >= 3:
        heights = [b - a for a, b in zip(grid.ys, grid.ys[1:], strict=False)]
        bottom = grid.ys[-1]
        closed = _covered(grid.rules, "h", bottom, grid.xs[0], grid.xs[-1], tol) >= 0.5
        if closed or heights[-1] >= tol.sliver * statistics.median(heights):
            return grid
        grid = _without_last_row(grid)
    return grid


def _without_last_row(grid: Grid) -> Grid:
    last = grid.n_rows - 1
    ys = grid.ys[:-1]
    cells = []
    for cell in grid.cells:
        if cell.row >= last:
            continue
        if cell.row + cell.row_span > last:
            span = last - cell.row
            cell = Cell(cell.row, cell.col, span, cell.col_span, (cell.bbox[0], cell.bbox[1], cell.bbox[2], ys[-1]))
        cells.append(cell)
    virtual = [r for r in grid.virtual if not (r.orient == "h" and abs(r.pos - grid.ys[-1]) < 1e-6)]
    virtual.append(Rule("h", ys[-1], grid.xs[0], grid.xs[-1]))
    return Grid(xs=list(grid.xs), ys=ys, cells=cells, rules=list(grid.rules), virtual=virtual)
