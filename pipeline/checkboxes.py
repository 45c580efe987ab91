"""Tick boxes: 是否注册法人 ☐是 ☐否 and 牵头单位类型 ☐制造业企业 ☐服务商 ☐其它.

On a text layer the mark is the glyph before the option: ☑ ■ ✓ ☒ … for
ticked, ☐ □ for not.  On a scan the decision is made from pixels, never from OCR of
the glyph (OCR reads ☐ as 口, ☑ as 团 or nothing): the box is found as a small square
of short horizontal and vertical strokes just left of the option's text, and it is
ticked when its inside holds ink (filled ■, ☑, ✓, ✗, a hand-drawn tick or cross).
A mark drawn instead of a box (√是) counts as ticked when no box is there but ink is.

A box is located as the square whose four sides are drawn and whose surroundings are
not (so a tick through it, a label tight against it or a thick outline do not move it),
and its fill is measured strictly inside: the outline's own thickness plus a pixel of
blur is eroded away, so a small box's blurred border is not read as a mark.  The
options are then compared with each other: a pen tick that runs out of its box leaves
a stroke's tip in the neighbouring box, far less ink than in the box it ticks.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from itertools import pairwise
from typing import Literal

import cv2
import numpy as np

from models.page import Box, Page, Word
from pipeline.components import components
from pipeline.tables.cells import chars_of

# Symbol fonts (Wingdings, Wingdings 2) put their boxes in the private use area (U+F000 + the font's
# code): Wingdings ☑ 0xFE, ☒ 0xFD, ✓ 0xFC, ✗ 0xFB, ⌧ 0x78, ■ 0x6E, ☐ 0xA8, □ 0x6F, ❑ 0x71, ❒ 0x72;
# Wingdings 2 ☑ 'R', ☒ 'S' 'T', ✓ 'P', ✗ 'O', ☐ 0xA3 0xA2.
TICKED_GLYPHS = frozenset("☑☒■▣◼◾▪⬛●◉✓✔✗✘√×⊠⌧☓✕✖🗹🗷🗸"
                          "\uf0fe\uf0fd\uf0fc\uf0fb\uf078\uf06e\uf052\uf053\uf054\uf050\uf04f")
EMPTY_GLYPHS = frozenset("☐□▢◻◽⬜❏❑❒○\uf0a8\uf06f\uf071\uf072\uf0a3\uf0a2")
DARK = 190  # grey below which a pixel is mark ink (paper is flattened to 255)
LIGHT = 225  # grey below which a pixel may be a box outline: thin outlines print light and break up under blur
FILL_TICKED = 0.12  # ink share inside a box's interior (outline eroded away) above which it is ticked
FILL_EMPTY = 0.01  # mark ink below this is empty (an empty box holds none); in between, a faint mark
OVERSHOOT_TICKED = 0.03  # ink share around a box (left, above, below) that only a pen tick leaves
MARK_INK = 0.03  # ink share of the space before an option with no box: a mark written instead of a box
BINARY_SHARE = 0.995  # share of pure black or white pixels above which a scan is 1-bit
DESCREEN_SIGMA = 1.0  # pixels: the blur that turns a 1-bit scan's dither back into grey
MARK_MIN_HEIGHT = 0.15  # a blob lower than this share of the text's height (or MARK_MIN_PX) is a speck, not a mark
MARK_MIN_PX = 3
HOLE_SPAN = 0.3  # an empty box's hole spans at least this share of the box each way
SAME_SIZE = 1.35  # marks differing in height or width by more than this factor are not one template's glyphs
SHAPE_FILL = (FILL_EMPTY + FILL_TICKED) / 2  # the fill a reading by shape reports: neither clearly empty nor inked
PINHOLE = 0.03  # holes smaller than this share of the mark's box are gaps in its outline's ink
HOLE_INK = 0.02  # ... and holds no more ink than this share inside its bounds
SMALL_BOX = 12  # pixels: a printed box this small is judged by the hole it encloses
REGION_MARGIN = 3.0  # points around the value's cells: OCR's word box may end inside the glyph before it
BOX_HEIGHT = (0.4, 1.2)  # a printed box's height against the character height of the text around it
BOX_ASPECT = 1.33  # ... and its width against its height, either way
SIDE_COVER = 0.85  # share of each side of a printed box that is ink ...
CORNER = 0.15  # ... not counting this share of its length at either end
PEN_REACH = 0.35  # a blob reaching this share of the character height out of the text's line is a pen's stroke
PEN_SIZE = 0.8  # ... and is at least this share of it high
SPACE_BEFORE = 0.3  # character heights of paper before a printed box (the options are spaced apart) ...
SPECK = 0.03  # ... holding no more ink than this share
BOX_REACH = 1.3  # character heights left of the value's first word that a box before it may stand
LINE_SHAPE = 0.2  # a blob thinner than this share of its length is a rule or a stroke, not a character

State = Literal["ticked", "empty", "unknown"]


@dataclass(frozen=True)
class OptionMark:
    """One option's box (points) and what it holds; `fill` is the ink share inside (1/0 for glyphs)."""

    option: str
    state: State
    box: Box | None = None
    fill: float = 0.0
    source: Literal["text", "pixels", "ocr"] = "pixels"
    boxed: bool = True  # `box` is a printed box (its fill measured inside the outline), not just where ink was


@dataclass(frozen=True)
class CheckboxReading:
    marks: tuple[OptionMark, ...]

    @property
    def ticked(self) -> list[str]:
        return [m.option for m in self.marks if m.state == "ticked"]

    @property
    def chosen(self) -> str | None:
        """The one ticked option; None when none or several are ticked."""
        return self.ticked[0] if len(self.ticked) == 1 else None

    @property
    def clear(self) -> bool:
        """Every option read without doubt: a clearly inked box or an empty one (no faint mark)."""
        return all(m.fill >= FILL_TICKED if m.state == "ticked" else m.fill <= FILL_EMPTY for m in self.marks)

    @property
    def problem(self) -> str | None:
        if len(self.ticked) == 1:
            return None
        if not self.ticked and any(m.state == "unknown" for m in self.marks):
            return "无法辨认勾选状态"
        return "均未勾选" if not self.ticked else f"同时勾选了{'、'.join(self.ticked)}"

    @property
    def box(self) -> Box | None:
        boxes = [m.box for m in self.marks if m.box is not None]
        if not boxes:
            return None
        return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))


@dataclass(frozen=True)
class Located:
    """An option's text found among the words: its character box (points) and neighbours' text."""

    option: str
    box: Box
    before: str  # the character just before the option (skipping spaces), or ""


def locate_options(words: Sequence[Word], options: Sequence[str]) -> dict[str, Located]:
    """Where each option's text stands in reading order (first occurrence after the previous option)."""
    chars = chars_of(words)
    text = "".join(c for c, _, _ in chars)
    found: dict[str, Located] = {}
    cursor = 0
    for option in options:
        index = text.find(option, cursor)
        if index < 0:
            index = text.find(option)
        if index < 0:
            continue
        cursor = index + len(option)
        boxes = [b for _, b, _ in chars[index:cursor]]
        box = (boxes[0][0], min(b[1] for b in boxes), boxes[-1][2], max(b[3] for b in boxes))
        found[option] = Located(option, box, text[:index].rstrip()[-1:])
    return found


def read_glyphs(words: Sequence[Word], options: Sequence[str]) -> CheckboxReading | None:
    """Marks from the text layer; None when no option has a box glyph next to it (nothing to read here)."""
    located = locate_options(words, options)
    marks = []
    for option in options:
        spot = located.get(option)
        state: State = "unknown"
        if spot is not None:
            if spot.before in TICKED_GLYPHS:
                state = "ticked"
            elif spot.before in EMPTY_GLYPHS:
                state = "empty"
        marks.append(OptionMark(option, state, spot.box if spot else None, 1.0 if state == "ticked" else 0.0, "text"))
    if all(m.state == "unknown" for m in marks):
        return None
    return CheckboxReading(tuple(m if m.state != "unknown" else OptionMark(m.option, "empty", m.box, 0.0, "text")
                                 for m in marks))


# What a recogniser reads for a printed box: an empty box is 口; a box holding a tick or a cross is a character
# drawn as an enclosure with strokes inside (☒ read 区, ☑ read 因 or 国).
OCR_EMPTY = frozenset("口□") | EMPTY_GLYPHS
OCR_TICKED = frozenset("区因团困囚回国图固园围凶四") | TICKED_GLYPHS


def read_ocr_glyphs(words: Sequence[Word], options: Sequence[str]) -> CheckboxReading | None:
    """Marks from what the recogniser read for the boxes: as many box characters in the value's text as there are
    options, the n-th the n-th option's (the options' own text may be misread: '国生口内' for ■是□否), exactly one
    of them a box with a mark inside. None where the text says less (a box lost, two marked, a box-like
    character in an option's own name)."""
    if any(char in OCR_EMPTY | OCR_TICKED for option in options for char in option):
        return None
    boxes = [char for word in words for char in word.text if char in OCR_EMPTY | OCR_TICKED]
    if len(boxes) != len(options) or sum(char in OCR_TICKED for char in boxes) != 1:
        return None
    return CheckboxReading(tuple(OptionMark(option, "ticked" if char in OCR_TICKED else "empty", None,
                                            1.0 if char in OCR_TICKED else 0.0, "ocr")
                                 for option, char in zip(options, boxes, strict=True)))


# --- pixels -------------------------------------------------------------------------------


def _levels(grey: np.ndarray) -> np.ndarray:
    """0 paper, 1 light ink (a thin box outline), 2 dark ink (print, pen)."""
    return (grey < LIGHT).astype(np.uint8) + (grey < DARK).astype(np.uint8)


def _dark(levels: np.ndarray) -> np.ndarray:
    return (levels >= 2).astype(np.uint8)


def _sides_drawn(strokes: np.ndarray, box: tuple[int, int, int, int], share: float = 0.7) -> bool:
    """All four sides of `box` are drawn: a box (or ■), not a character whose outline happens to be square."""
    x0, y0, x1, y1 = box
    part = strokes[y0:y1, x0:x1] > 0
    band = max(1, min(3, (x1 - x0) // 4, (y1 - y0) // 4))
    sides = (part[:band].any(axis=0), part[-band:].any(axis=0), part[:, :band].any(axis=1), part[:, -band:].any(axis=1))
    return all(side.mean() >= share for side in sides)


SIDE_DRAWN = 0.8  # share of each side of a square that must be ink (within a pixel) for it to be a box
GAP = 2  # pixels: the lines this far outside a box's sides are paper, bar a crossing stroke or a close label
OUTSIDE_INKED = 0.4  # mean ink share of those outside lines above which the square is part of something bigger


@dataclass(frozen=True)
class _SideSums:
    """Running ink counts of a window's mask, padded with paper by `GAP` + 1: along rows and down columns,
    of the mask within a pixel of each line (`near`) and of the exact mask (`raw`). They do not depend on the
    square's size, so `find_boxes` makes them once for all the sizes it tries."""

    rows_near: np.ndarray
    cols_near: np.ndarray
    rows_raw: np.ndarray
    cols_raw: np.ndarray
    shape: tuple[int, int]

    @classmethod
    def of(cls, loose: np.ndarray) -> _SideSums:
        mask = np.pad(loose.astype(bool), GAP + 1)
        near_h = mask.copy()
        near_h[1:] |= mask[:-1]
        near_h[:-1] |= mask[1:]
        near_v = mask.copy()
        near_v[:, 1:] |= mask[:, :-1]
        near_v[:, :-1] |= mask[:, 1:]
        return cls(np.pad(np.cumsum(near_h, axis=1, dtype=np.int32), ((0, 0), (1, 0))),
                   np.pad(np.cumsum(near_v, axis=0, dtype=np.int32), ((1, 0), (0, 0))),
                   np.pad(np.cumsum(mask, axis=1, dtype=np.int32), ((0, 0), (1, 0))),
                   np.pad(np.cumsum(mask, axis=0, dtype=np.int32), ((1, 0), (0, 0))),
                   (loose.shape[0], loose.shape[1]))


def _square_scores(sums: _SideSums, size: int) -> tuple[np.ndarray, np.ndarray]:
    """For every top-left corner: the least-drawn side's ink share, and the ink share just outside the sides.

    Sides are looked for within a pixel of their line (a blurred or slightly skewed
    outline); the outside lines are `GAP` pixels off, on the exact mask, padded with paper.
    Each share is a difference of running counts, taken for all corners at once as slices of `sums`.
    """
    pad = GAP + 1
    height, width = sums.shape
    ny, nx = height - size + 1, width - size + 1

    def row_share(table: np.ndarray, dy: int) -> np.ndarray:
        """Ink share of the row `dy` px below each corner, over the square's width."""
        rows = table[pad + dy:pad + dy + ny]
        return (rows[:, pad + size:pad + size + nx] - rows[:, pad:pad + nx]) / size

    def col_share(table: np.ndarray, dx: int) -> np.ndarray:
        """Ink share of the column `dx` px right of each corner, over the square's height."""
        cols = table[:, pad + dx:pad + dx + nx]
        return (cols[pad + size:pad + size + ny] - cols[pad:pad + ny]) / size

    sides = np.minimum(
        np.minimum(row_share(sums.rows_near, 0), row_share(sums.rows_near, size - 1)),
        np.minimum(col_share(sums.cols_near, 0), col_share(sums.cols_near, size - 1)),
    )
    outside = (row_share(sums.rows_raw, -GAP) + row_share(sums.rows_raw, size - 1 + GAP)
               + col_share(sums.cols_raw, -GAP) + col_share(sums.cols_raw, size - 1 + GAP)) / 4
    return sides, outside


def find_boxes(levels: np.ndarray, side: float) -> list[tuple[int, int, int, int]]:
    """Boxes (x0, y0, x1, y1 px) from about a third to 1.5 character heights `side`, in reading order.

    Every square size is tried at every place: a box is a square whose four sides are
    drawn (light ink counts: thin outlines print light) while the lines just outside
    them are mostly paper.  That tells the box from a square inside a ■ or a
    character's strokes, and a tick's diagonal strokes across it neither hide it nor
    move it.  Overlapping candidates keep the best-scoring one.
    """
    loose = levels >= 1
    height, width = loose.shape
    smallest, largest = max(5, round(0.3 * side)), min(height, width, round(1.5 * side))
    candidates: list[tuple[float, int, int, int]] = []
    sums = _SideSums.of(loose)
    for size in range(smallest, largest + 1):
        sides, outside = _square_scores(sums, size)
        score = sides - outside
        ok = (sides >= SIDE_DRAWN) & (outside <= OUTSIDE_INKED)
        for y, x in zip(*np.nonzero(ok), strict=True):
            candidates.append((float(score[y, x]) + 0.002 * size, int(x), int(y), size))
    boxes: list[tuple[int, int, int, int]] = []
    for _, x, y, size in sorted(candidates, reverse=True):
        box = (x, y, x + size, y + size)
        if not any(_overlaps(box, other) for other in boxes):
            boxes.append(box)
    return sorted(boxes, key=lambda b: (round(b[1] / max(1.0, side)), b[0]))


def _overlaps(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def find_box(levels: np.ndarray, side: float) -> tuple[int, int, int, int] | None:
    """The box in a window nearest its right end (the option's text follows it), or None."""
    boxes = find_boxes(levels, side)
    return max(boxes, key=lambda b: b[2]) if boxes else None


def border_width(loose: np.ndarray, box: tuple[int, int, int, int]) -> int:
    """The outline's thickness in pixels: the median run of ink inward from each side (a stroke across it is outvoted)."""
    x0, y0, x1, y1 = box
    part = loose[y0:y1, x0:x1].astype(bool)
    size = min(x1 - x0, y1 - y0)
    cap = max(1, size // 4)
    if size < 4:
        return 1
    inner = slice(1, -1)
    runs = []
    for line in (part[:, inner].T, part[:, inner][::-1].T, part[inner, :], part[inner, ::-1]):
        # `line` holds, per position along one side, the pixels from that side inward.
        for pixels in line:
            gaps = np.flatnonzero(~pixels[:cap + 1])
            runs.append(int(gaps[0]) if gaps.size else cap + 1)
    return max(1, min(cap, int(np.median(runs))))


def interior(levels: np.ndarray, box: tuple[int, int, int, int]) -> tuple[int, int, int, int]:
    """The part of a box strictly inside its outline: the outline's width and a pixel of blur eroded away."""
    x0, y0, x1, y1 = box
    inset = border_width(levels >= 1, box) + 1
    if x1 - x0 <= 2 * inset or y1 - y0 <= 2 * inset:
        cx, cy = (x0 + x1) // 2, (y0 + y1) // 2
        return cx, cy, cx + 1, cy + 1
    return x0 + inset, y0 + inset, x1 - inset, y1 - inset


def inner_fill(levels: np.ndarray, box: tuple[int, int, int, int]) -> float:
    """Dark ink share strictly inside a box.

    Only dark ink counts: a small box's blurred outline and the residue a lifted red
    seal leaves on the print layer are light.
    """
    x0, y0, x1, y1 = interior(levels, box)
    inside = levels[y0:y1, x0:x1] >= 2
    return float(inside.mean()) if inside.size else 0.0


def overshoot(levels: np.ndarray, box: tuple[int, int, int, int]) -> float:
    """Dark ink share just left of, above and below a box: a pen tick crosses the box and runs out of it.

    The right side is left out: the option's label starts there.
    """
    ink = _dark(levels)
    x0, y0, x1, y1 = box
    reach = max(2, round(0.4 * (y1 - y0)))
    around = ink[max(0, y0 - reach):y1 + reach, max(0, x0 - reach):x1].astype(bool).copy()
    oy, ox = y0 - max(0, y0 - reach), x0 - max(0, x0 - reach)
    around[max(0, oy - 1):oy + (y1 - y0) + 1, max(0, ox - 1):] = False  # the box itself and its border
    return float(around.mean()) if around.size else 0.0


def _box_state(levels: np.ndarray, box: tuple[int, int, int, int]) -> tuple[State, float]:
    """A box's state on its own, and how much mark ink it holds (inside, plus what a pen left around it).

    An empty box holds none at all (its outline is eroded away, its label is to its
    right), so any clear amount is a mark: a tick's strokes cross the interior, or, on
    a small box, pass over its outline and run out of it (the overshoot).
    """
    fill, around = inner_fill(levels, box), overshoot(levels, box)
    score = fill + around
    if fill >= FILL_TICKED or around >= OVERSHOOT_TICKED:
        return "ticked", score
    return ("empty" if score <= FILL_EMPTY else "unknown"), score


def _window(located: Located, scale: float, shape: tuple[int, ...]) -> tuple[int, int, int, int]:
    """Pixels left of the option's first character where its box is printed."""
    x0, top, _, bottom = located.box
    height = bottom - top
    cy = (top + bottom) / 2
    wx0, wx1 = x0 - 2.3 * height, x0 + 0.15 * height
    wy0, wy1 = cy - 0.95 * height, cy + 0.95 * height
    return (max(0, round(wx0 * scale)), max(0, round(wy0 * scale)),
            min(shape[1], round(wx1 * scale)), min(shape[0], round(wy1 * scale)))


def mark_at(levels: np.ndarray, located: Located, scale: float) -> OptionMark:
    """The option's mark judged from the pixels before its text."""
    wx0, wy0, wx1, wy1 = _window(located, scale, levels.shape)
    window = levels[wy0:wy1, wx0:wx1]
    side = (located.box[3] - located.box[1]) * scale
    if window.size == 0:
        return OptionMark(located.option, "unknown")
    box = find_box(window, side)
    if box is None:
        return _mark_without_box(levels, located, scale)
    state, fill = _box_state(window, box)
    page_box = (box[0] + wx0, box[1] + wy0, box[2] + wx0, box[3] + wy0)
    return OptionMark(located.option, state, _to_points(page_box, scale), fill)


def _mark_without_box(levels: np.ndarray, located: Located, scale: float) -> OptionMark:
    """No box before the option: a mark written in its place (√是) is ticked, a box we failed to see is not.

    Only the space of about one character before the option is looked at, so the
    previous option's text stays out.  The ink's own bounding box must have ink inside
    it: a box outline that escaped `find_box` is empty inside.
    """
    ink = _dark(levels)
    x0, top, _, bottom = located.box
    height = bottom - top
    cy = (top + bottom) / 2
    area = (max(0, round((x0 - 1.4 * height) * scale)), max(0, round((cy - 0.7 * height) * scale)),
            round((x0 - 0.05 * height) * scale), round((cy + 0.7 * height) * scale))
    window = ink[area[1]:area[3], area[0]:area[2]]
    if window.size == 0 or float(window.mean()) < MARK_INK:
        return OptionMark(located.option, "unknown", None, 0.0)
    ys, xs = np.nonzero(window)
    own = (int(xs.min()), int(ys.min()), int(xs.max()) + 1, int(ys.max()) + 1)
    fill = inner_fill(levels[area[1]:area[3], area[0]:area[2]], own)
    state: State = "ticked" if fill > FILL_EMPTY else "empty"
    page_box = (own[0] + area[0], own[1] + area[1], own[2] + area[0], own[3] + area[1])
    return OptionMark(located.option, state, _to_points(page_box, scale), fill, boxed=False)


def _to_points(box: tuple[int, int, int, int], scale: float) -> Box:
    return (box[0] / scale, box[1] / scale, box[2] / scale, box[3] / scale)


def _settle(marks: list[OptionMark]) -> list[OptionMark]:
    """Faint marks (undecided boxes) compared with the other options.

    A faint mark next to a clearly ticked box is a smudge; the faint marks alone are
    ticked when one is clearly the most inked (three times any other) or when several
    are alike (then no choice is made).
    """
    ticked = any(m.state == "ticked" for m in marks)
    faint = [m for m in marks if m.state == "unknown"]
    decided = []
    for mark in marks:
        if mark.state == "unknown":
            others = [m.fill for m in marks if m is not mark]
            winner = all(mark.fill >= 3 * max(o, 0.005) for o in others)
            alike = len(faint) > 1 and all(m.fill * 2 >= mark.fill for m in faint)
            state: State = "ticked" if not ticked and (winner or alike) else "empty"
            mark = OptionMark(mark.option, state, mark.box, mark.fill, mark.source, mark.boxed)
        decided.append(mark)
    return decided


def _mark_components(part: np.ndarray, labels: np.ndarray, box: tuple[int, int, int, int], boxed: bool) -> set[int]:
    """The dark-ink components of a box's marks (inside its outline, and left of, above and below it).

    Components lying wholly on the box (its own outline, a mark of its own inside it)
    are left out: they are this box's, shared with no other.
    """
    x0, y0, x1, y1 = box
    if not boxed:
        return set(np.unique(labels[y0:y1, x0:x1]).tolist()) - {0}
    outside = labels.copy()
    outside[max(0, y0 - 2):y1 + 2, max(0, x0 - 2):x1 + 2] = 0
    beyond = set(np.unique(outside).tolist())
    reach = max(2, round(0.4 * (y1 - y0)))
    area = np.zeros(labels.shape, dtype=bool)
    area[max(0, y0 - reach):y1 + reach, max(0, x0 - reach):x1] = True
    area[max(0, y0 - 1):y1 + 1, max(0, x0 - 1):x1 + 1] = False  # the box and its outline
    ix0, iy0, ix1, iy1 = interior(part, box)
    area[iy0:iy1, ix0:ix1] = True
    return (set(np.unique(labels[area]).tolist()) & beyond) - {0}


def _drop_strays(levels: np.ndarray, scale: float, marks: list[OptionMark]) -> list[OptionMark]:
    """A ticked box whose ink all belongs to the strokes of a fuller ticked box holds a stray, not a tick.

    A hand tick often runs out of its own box into the neighbouring one (or over the
    label towards it).  Its ink there is connected to the ink in the box it ticks,
    while two real marks (two ticks, a ■ and a tick) are separate strokes: those stay
    ticked, and the reading has no choice.
    """
    ticked = [m for m in marks if m.state == "ticked" and m.box is not None]
    if len(ticked) < 2:
        return marks
    pixel_boxes = {m.option: tuple(round(v * scale) for v in m.box) for m in ticked if m.box is not None}
    margin = max(b[3] - b[1] for b in pixel_boxes.values())  # the strokes joining them may pass outside the boxes
    x0 = max(0, min(b[0] for b in pixel_boxes.values()) - margin)
    y0 = max(0, min(b[1] for b in pixel_boxes.values()) - margin)
    x1 = max(b[2] for b in pixel_boxes.values()) + margin
    y1 = max(b[3] for b in pixel_boxes.values()) + margin
    part = levels[y0:y1, x0:x1]
    _, labels = cv2.connectedComponents(_dark(part), connectivity=8)
    inks: dict[str, set[int]] = {}
    for mark in ticked:
        bx0, by0, bx1, by1 = pixel_boxes[mark.option]
        local = (bx0 - x0, by0 - y0, bx1 - x0, by1 - y0)
        inks[mark.option] = _mark_components(part, labels, local, mark.boxed)  # type: ignore[arg-type]
    strays = {
        b.option for b in ticked
        if inks[b.option] and any(a.fill > b.fill and inks[b.option] <= inks[a.option] for a in ticked if a is not b)
    }
    return [OptionMark(m.option, "empty", m.box, m.fill, m.source, m.boxed) if m.option in strays else m
            for m in marks]


def read_pixels(grey: np.ndarray, scale: float, words: Sequence[Word], options: Sequence[str],
                region: Box | None = None) -> CheckboxReading:
    """Marks from the print layer (red seal ink already removed) at `scale` pixels per point.

    When the region holds exactly one box per option, they are the options in reading
    order (OCR of the labels is not needed); otherwise each box is looked for just
    before its option's text.
    """
    grey = descreened(grey)
    levels = _levels(grey)
    reach = BOX_REACH * _word_height(words)
    printed = _printed_boxes(levels, scale, region, len(options), reach) if region is not None else PrintedBoxes([], None)
    if printed.marks is not None and boxes_fit_labels(printed.marks, locate_options(words, options), options):
        marks = [OptionMark(option, m.state, m.box, m.fill, boxed=m.boxed)
                 for option, m in zip(options, printed.marks, strict=True)]
        return CheckboxReading(tuple(_settle(_drop_strays(levels, scale, marks))))
    beside = printed.contradicting(_read_beside_options(levels, scale, words, options, region))
    if beside.chosen is not None and beside.clear:
        return beside
    # The marks beside the labels made no clear choice: a box its mark hides, among boxes plainly seen, may.
    hidden = box_hidden_by_its_mark(levels, scale, printed.found, locate_options(words, options), options)
    reading = beside if hidden is None else hidden
    return reading if len(reading.ticked) == 1 else _empty_as_read(reading, words, options)


def _empty_as_read(reading: CheckboxReading, words: Sequence[Word], options: Sequence[str]) -> CheckboxReading:
    """Several options ticked where no printed box was found (ink measured where a box should be): those OCR
    read as an empty box glyph ('□') are empty, when that leaves exactly one ticked. A photo's blurred box
    outline fills its small interior with grey and no outline is seen (dev36 a07: '□制造业企业2服务商□其它', its
    ☑ read '2', and the pixels took 服务商 and 其它 both). The recogniser's '□' is the box seen empty whole."""
    located = locate_options(words, options)
    marks = [OptionMark(m.option, "empty", m.box, m.fill, m.source, m.boxed)
             if m.state == "ticked" and not m.boxed and m.option in located
             and located[m.option].before in EMPTY_GLYPHS else m for m in reading.marks]
    settled = CheckboxReading(tuple(marks))
    return settled if len(settled.ticked) == 1 else reading


def box_hidden_by_its_mark(levels: np.ndarray, scale: float, found: Sequence[OptionMark],
                           located: dict[str, Located], options: Sequence[str]) -> CheckboxReading | None:
    """Every option's printed box seen but one, all plainly empty, the boxes placed by the labels OCR read: the
    option without a box, with ink where its box stands, is ticked (a ☒ or ■ that no longer reads as an
    outline, a pen's tick over the box).

    The template prints a box before every option; a box that cannot be seen among boxes plainly seen is
    covered by its mark. The boxes must fit the labels in exactly one way (`boxes_fit_labels`), and every
    label must have been read; otherwise None, and each option's mark is looked for beside its text.
    """
    if len(found) != len(options) - 1 or len(located) != len(options) or any(m.box is None for m in found):
        return None
    fits = []
    for missing in range(len(options)):
        marks = [*found[:missing], OptionMark(options[missing], "unknown"), *found[missing:]]
        if boxes_fit_labels(marks, located, options):
            fits.append((missing, marks))
    if len(fits) != 1:
        return None
    missing, marks = fits[0]
    if any(m.state != "empty" for m in found):
        # A box seen ticked (or faint) beside one unseen: the unseen one may be ticked too (a small ✓ whose
        # ink the place's measure misses), so this reading settles nothing.
        return None
    mark = _mark_without_box(levels, located[options[missing]], scale)
    if mark.state != "ticked":
        return None  # no mark where the box should be: nothing settled here
    mark = OptionMark(options[missing], "ticked", mark.box, max(mark.fill, FILL_TICKED), boxed=False)
    named = [mark if index == missing else OptionMark(option, m.state, m.box, m.fill, boxed=m.boxed)
             for index, (option, m) in enumerate(zip(options, marks, strict=True))]
    return CheckboxReading(tuple(_settle(named)))


def boxes_fit_labels(marks: Sequence[OptionMark], located: dict[str, Located], options: Sequence[str]) -> bool:
    """The boxes taken in reading order stand where OCR read the options' labels: each before its own
    label's end and past the previous label's start, where both are on its line.

    A label's character closed on four sides (请, 明 of 其它's fill-in) passes for a box; with one
    option's box missed the boxes then shift one option along, the tick goes to its neighbour, and
    only the labels' places show it. OCR places the characters of a word by guess, so a label's whole
    width is the slack.
    """
    for index, (option, mark) in enumerate(zip(options, marks, strict=True)):
        spot = located.get(option)
        if mark.box is None or spot is None or not _line_shared(mark.box, spot.box):
            continue
        if mark.box[2] > spot.box[2]:
            return False  # the box stands after its own label's end: another option's
        earlier = located.get(options[index - 1]) if index else None
        if earlier is not None and _line_shared(mark.box, earlier.box) and mark.box[0] < earlier.box[0]:
            return False  # before the previous option's label: that option's box
    return True


def _line_shared(a: Box, b: Box) -> bool:
    """The two boxes share most of the shorter one's height: they stand on one line."""
    return min(a[3], b[3]) - max(a[1], b[1]) > 0.5 * min(a[3] - a[1], b[3] - b[1])


def _read_beside_options(levels: np.ndarray, scale: float, words: Sequence[Word], options: Sequence[str],
                         region: Box | None) -> CheckboxReading:
    """Each option's mark looked for just before its text (the options' boxes were not all found in order)."""
    marks = _marks_in_order(levels, scale, region, words, options) if region is not None else None
    located = locate_options(words, options)
    if marks is None or not boxes_fit_labels(marks, located, options):
        marks = [mark_at(levels, located[o], scale) if o in located else OptionMark(o, "unknown") for o in options]
    reading = CheckboxReading(tuple(_settle(_drop_strays(levels, scale, marks))))
    # Shapes settle only what the ink left open (several options inked); boxes the ink shows clearly
    # empty are a blank group, which must stay one (FIELD_MISSING), not become a doubt.
    if len(reading.ticked) == 1 or len(located) < len(options) or (not reading.ticked and reading.clear):
        return reading
    return _by_shape(levels, scale, [located[o] for o in options]) or reading


def descreened(grey: np.ndarray) -> np.ndarray:
    """A 1-bit (dithered or thresholded) scan smoothed back to grey; other images as they are.

    Dither dots along a small box's blurred outline land inside it and read as a mark;
    smoothed, they are the light grey they stood for.
    """
    sample = grey[::3, ::3]
    if sample.size == 0 or float(np.isin(sample, (0, 255)).mean()) < BINARY_SHARE:
        return grey
    return cv2.GaussianBlur(grey, (0, 0), DESCREEN_SIGMA)


# --- shapes: an empty box is an outline around one clear, square hole -----------------------


def mark_patch(levels: np.ndarray, located: Located, scale: float) -> np.ndarray | None:
    """Ink (light or dark) of the mark just left of an option's text: the blob nearest the text, or None."""
    x0, top, _, bottom = located.box
    height = bottom - top
    cy = (top + bottom) / 2
    wx0, wx1 = max(0, round((x0 - 1.6 * height) * scale)), max(0, round((x0 - 0.05 * height) * scale))
    wy0, wy1 = max(0, round((cy - 0.8 * height) * scale)), max(0, round((cy + 0.8 * height) * scale))
    window = (levels[wy0:wy1, wx0:wx1] >= 1).astype(np.uint8)
    if window.size == 0:
        return None
    count, labels, stats = components(window, 8)
    least = max(MARK_MIN_PX, MARK_MIN_HEIGHT * height * scale)
    blobs = [i for i in range(1, count) if stats[i, cv2.CC_STAT_HEIGHT] >= least]
    if not blobs:
        return None
    nearest = max(blobs, key=lambda i: stats[i, cv2.CC_STAT_LEFT] + stats[i, cv2.CC_STAT_WIDTH])
    x, y, width, height_px = (int(v) for v in stats[nearest, :4])
    # A ☑'s tick may be its own blob inside the outline: every blob within the nearest one's bounds is the mark.
    members = [i for i in range(1, count)
               if stats[i, 0] >= x - 1 and stats[i, 1] >= y - 1 and stats[i, 0] + stats[i, 2] <= x + width + 1
               and stats[i, 1] + stats[i, 3] <= y + height_px + 1]
    return np.isin(labels, members)


def is_empty_box(ink: np.ndarray) -> bool:
    """The mark is an empty box: a squarish outline around exactly one hole that fills most of its inside.

    A ☑ ☒ or a pen tick splits the hole, a ■ has none, a √ ✓ × encloses none.
    """
    ys, xs = np.nonzero(ink)
    part = ink[ys.min():ys.max() + 1, xs.min():xs.max() + 1]
    height, width = part.shape
    if not 0.7 <= width / height <= 1.4:
        return False
    paper = np.pad(~part, 1, constant_values=True).astype(np.uint8)
    outside = np.zeros((paper.shape[0] + 2, paper.shape[1] + 2), np.uint8)
    cv2.floodFill(paper, outside, (0, 0), 2, flags=4)
    holes = (paper == 1).astype(np.uint8)
    count, _, stats = components(holes, 4)
    # Pinholes in a blurred or noisy outline are not the box's inside.
    found = [i for i in range(1, count) if stats[i, cv2.CC_STAT_AREA] >= PINHOLE * height * width]
    if len(found) != 1:
        return False
    hole_x, hole_y, hole_w, hole_h, _ = stats[found[0]]
    if hole_w < HOLE_SPAN * width or hole_h < HOLE_SPAN * height:
        return False
    # The outline is as thick on every side: ink heaped on one side is a pen's stroke past the box.
    margins = (hole_x - 1, hole_y - 1, width - (hole_x - 1 + hole_w), height - (hole_y - 1 + hole_h))
    if max(margins) > 2 * min(margins) + 2:
        return False
    # Nothing inside the hole's own bounds (a pixel in from them, for the outline's blur): a ☑'s tick
    # standing free inside the outline leaves one hole around it, but not a clear one.
    inside = part[hole_y:hole_y + hole_h - 2, hole_x:hole_x + hole_w - 2]  # padded coordinates, one in
    return inside.size > 0 and float(inside.mean()) <= HOLE_INK


def _by_shape(levels: np.ndarray, scale: float, located: list[Located]) -> CheckboxReading | None:
    """The options judged by their marks' shapes, when every option has a mark: the ones that are not
    empty boxes are ticked.  None when a mark is missing (then the reading from the marks' ink stands).

    Asked only when that reading made no single choice: at small sizes and on 1-bit scans a box's
    outline fills its inside and every option looks inked, while the hole an empty box
    encloses still shows.
    """
    patches = [mark_patch(levels, spot, scale) for spot in located]
    if any(patch is None for patch in patches):
        return None
    marks = [patch for patch in patches if patch is not None]
    empty = [is_empty_box(patch) for patch in marks]
    sizes = [np.ptp(np.nonzero(patch), axis=1) + 1 for patch in marks]  # (height, width) of each mark's ink
    boxes = [size for size, e in zip(sizes, empty, strict=True) if e]
    # The template prints one box glyph before every option: the empty ones are alike, and a mark is no
    # bigger than they are (a √ or × written in a box's place may be smaller); anything else is a pen's
    # strokes or a label's ink caught in the window, which the ink reading judges.
    if any(np.any(size > SAME_SIZE * box) for size in sizes for box in boxes):
        return None
    # Fills between the empty and ticked levels: a reading by shape is never `clear`, so it is flagged for a look.
    return CheckboxReading(tuple(
        OptionMark(spot.option, "empty" if e else "ticked", spot.box, SHAPE_FILL, boxed=False)
        for spot, e in zip(located, empty, strict=True)))


def option_groups(ink: np.ndarray, side: float, count: int) -> list[tuple[int, int]]:
    """Column spans of `count` options in a row, split at the `count - 1` widest gaps.

    The gaps between options (a space or two) are wider than those inside one (box to
    label, character to character, the words of 其它's fill-in), whatever the font, so
    the widest gaps are taken rather than gaps over a fixed width.
    """
    columns = ink.sum(axis=0) >= 2  # a speck is not ink
    runs: list[list[int]] = []
    for x, filled in enumerate(columns):
        if filled and runs and runs[-1][1] == x:
            runs[-1][1] = x + 1
        elif filled:
            runs.append([x, x + 1])
    runs = [run for run in runs if run[1] - run[0] >= 0.15 * side]  # scanner specks, stray dots
    if len(runs) < count:
        return []
    gaps = sorted(range(len(runs) - 1), key=lambda i: runs[i + 1][0] - runs[i][1], reverse=True)[:count - 1]
    if any(runs[i + 1][0] - runs[i][1] < 0.25 * side for i in gaps):
        return []
    cuts = sorted(gaps)
    starts = [0, *(i + 1 for i in cuts)]
    ends = [*cuts, len(runs) - 1]
    return [(runs[a][0], runs[b][1]) for a, b in zip(starts, ends, strict=True)]


def _head_mark(window: np.ndarray, span: tuple[int, int], side: float, option: str) -> OptionMark:
    """The mark at the head of one option's span (its box, or what stands in its place), in window pixels."""
    head = window[:, span[0]:min(span[1], span[0] + round(1.6 * side))]
    # The box opens the option: a square further in is part of its label (the 日 of 是).
    boxes = [b for b in find_boxes(head, side) if b[0] <= 0.6 * side]
    if boxes:
        box = min(boxes, key=lambda b: b[0])
        state, fill = _box_state(head, box)
        return OptionMark(option, state, (box[0] + span[0], box[1], box[2] + span[0], box[3]), fill)
    dark = _dark(head)
    share = float(dark[:, :max(1, round(side))].mean()) if head.size else 0.0
    return OptionMark(option, "unknown", (span[0], 0, span[0] + round(side), window.shape[0]), share, boxed=False)


def _odd_one_out(marks: list[OptionMark]) -> list[OptionMark]:
    """Options whose box could not be seen while every other option's box was: a mark covers it (or replaced it).

    The template prints a box before every option, so a missing box with ink in its
    place is a tick drawn over it or a √ written instead.
    """
    boxed = [m for m in marks if m.state != "unknown"]
    out = []
    for mark in marks:
        if mark.state == "unknown" and len(boxed) == len(marks) - 1 and mark.fill >= MARK_INK:
            mark = OptionMark(mark.option, "ticked", mark.box, max(mark.fill, FILL_TICKED), mark.source, mark.boxed)
        out.append(mark)
    return out


def _marks_in_order(levels: np.ndarray, scale: float, region: Box, words: Sequence[Word],
                    options: Sequence[str]) -> list[OptionMark] | None:
    """The options of a row told apart by the white space between them, each judged at its head."""
    heights = sorted(w.bbox[3] - w.bbox[1] for w in words)
    side = min(heights[len(heights) // 2] if heights else 10.5, 14.0) * scale
    inset = 2.0  # points: the cell's own rules are not boxes
    x0, y0 = max(0, round((region[0] + inset) * scale)), max(0, round((region[1] + inset) * scale))
    x1, y1 = (min(levels.shape[1], round((region[2] - inset) * scale)),
              min(levels.shape[0], round((region[3] - inset) * scale)))
    window = levels[y0:y1, x0:x1]
    if window.size == 0:
        return None
    spans = option_groups(_dark(window), side, len(options))
    if len(spans) != len(options):
        return None
    marks = _odd_one_out([_head_mark(window, span, side, option) for span, option in zip(spans, options, strict=True)])
    return [OptionMark(m.option, m.state, _shift(m.box, x0, y0, scale) if m.box else None, m.fill, boxed=m.boxed)
            for m in marks]


def _word_height(words: Sequence[Word]) -> float:
    """The words' median height in points (OCR pads its boxes a little); a 五号 line's when there are none."""
    heights = sorted(w.bbox[3] - w.bbox[1] for w in words)
    return heights[len(heights) // 2] if heights else 10.5


def _character_height(stats: np.ndarray) -> float | None:
    """The text's character height (px) from its ink blobs: most CJK characters are one blob of full height.

    Rules (long thin blobs) and specks are left out; the tall end of the rest is the character height.
    """
    heights = [float(h) for _, _, w, h, area in stats[1:]
               if area >= 5 and h >= MARK_MIN_PX and min(w, h) >= LINE_SHAPE * max(w, h)]
    return float(np.percentile(heights, 90)) if heights else None


def is_printed_box(blob: np.ndarray, character: float) -> bool:
    """The blob is a printed box (☐ ☑ ☒ ■, or a box drawn in the cell): squarish, about a character's size,
    each of its four sides drawn along nearly its whole length.

    No character of the options' labels is closed on four straight sides, and a ☑'s tick inside the box
    or a ☒'s cross joined to its corners leaves the sides as they are.
    """
    height, width = blob.shape
    if not BOX_HEIGHT[0] * character <= height <= BOX_HEIGHT[1] * character:
        return False
    if not 1 / BOX_ASPECT <= width / height <= BOX_ASPECT:
        return False
    band = max(2, round(0.12 * min(height, width)))  # a side may stand a pixel in from a blurred halo
    # Corners round off under blur and low resolution: each side is judged between them.
    cx, cy = max(1, round(CORNER * width)), max(1, round(CORNER * height))
    sides = (blob[:band, cx:-cx].any(axis=0), blob[-band:, cx:-cx].any(axis=0),
             blob[cy:-cy, :band].any(axis=1), blob[cy:-cy, -band:].any(axis=1))
    return all(side.size and float(side.mean()) >= SIDE_COVER for side in sides)


def printed_box_in(blob: np.ndarray, character: float) -> tuple[int, int, int, int] | None:
    """The printed box a blob is, or opens (a box the blur joined to its label's first character), or None.

    A box joined to its label is the blob's left end: the rows its left side spans give its
    height, and its right side is the drawn column nearest a square's width.
    """
    height, width = blob.shape
    if is_printed_box(blob, character):
        return 0, 0, width, height
    if width <= BOX_ASPECT * height:
        return None
    rows = np.flatnonzero(blob[:, :2].any(axis=1))
    if rows.size == 0:
        return None
    top, bottom = int(rows[0]), int(rows[-1]) + 1
    side = bottom - top
    fits = [size for size in range(max(2, round(side / BOX_ASPECT)), min(width, round(side * BOX_ASPECT)) + 1)
            if is_printed_box(blob[top:bottom, :size], character)]
    if not fits:
        return None
    size = min(fits, key=lambda s: abs(s - side))
    return 0, top, size, bottom


def _in_reading_order(boxes: list[tuple[int, int, int, int]], character: float) -> list[tuple[int, int, int, int]]:
    lines: list[list[tuple[int, int, int, int]]] = []
    for box in sorted(boxes, key=lambda b: (b[1] + b[3]) / 2):
        centre = (box[1] + box[3]) / 2
        if lines and abs(centre - (lines[-1][0][1] + lines[-1][0][3]) / 2) <= 0.6 * character:
            lines[-1].append(box)
        else:
            lines.append([box])
    return [box for line in lines for box in sorted(line, key=lambda b: b[0])]


def _without_rules(ink: np.ndarray, character: float) -> np.ndarray:
    """The ink less the cell's rules: runs longer than any character's stroke (a pen tick touching a rule
    stays a mark of its own)."""
    across = cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((1, max(3, round(2.5 * character))), np.uint8)) > 0
    down = cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((max(3, round(1.6 * character)), 1), np.uint8)) > 0
    return ((ink > 0) & ~across & ~down).astype(np.uint8)


@dataclass(frozen=True)
class _Blobs:
    """A window's ink blobs: the printed boxes, and pen marks reaching out of the text's line."""

    boxes: list[tuple[int, int, int, int]]
    pen: list[tuple[int, int, int, int]]


def _blobs(ink: np.ndarray, character: float) -> _Blobs:
    count, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    boxes, others = [], []
    for index in range(1, count):
        bx, by, bw, bh = (int(v) for v in stats[index, :4])
        found = printed_box_in(labels[by:by + bh, bx:bx + bw] == index, character)
        if found is not None:
            boxes.append((bx + found[0], by + found[1], bx + found[2], by + found[3]))
        elif bw >= 0.4 * character and stats[index, cv2.CC_STAT_AREA] >= 5:
            others.append((bx, by, bx + bw, by + bh))
    text = [b for b in others if 0.6 * character <= b[3] - b[1] <= 1.2 * character]
    if not text:
        return _Blobs(boxes, [])
    top, bottom = float(np.median([b[1] for b in text])), float(np.median([b[3] for b in text]))
    reach = PEN_REACH * character
    pen = [b for b in others if (b[1] < top - reach or b[3] > bottom + reach) and b[3] - b[1] >= PEN_SIZE * character]
    return _Blobs(boxes, pen)


@dataclass(frozen=True)
class PrintedBoxes:
    """The printed boxes seen in a value (page points, reading order), and one mark per option when they
    account for every option."""

    found: list[OptionMark]
    marks: list[OptionMark] | None

    def contradicting(self, reading: CheckboxReading) -> CheckboxReading:
        """`reading` with a tick put on a printed box that is plainly empty, or on the label right after it,
        made a doubt: the two readings of the same option disagree, and neither is taken."""
        empty = [m.box for m in self.found if m.state == "empty" and m.box is not None]
        marks = tuple(
            OptionMark(m.option, "unknown", m.box, SHAPE_FILL, m.source, m.boxed)
            if m.state == "ticked" and m.box is not None and any(_on_or_after(m.box, box) for box in empty)
            else m
            for m in reading.marks)
        return CheckboxReading(marks)


def _on_or_after(mark: Box, box: Box) -> bool:
    """The mark lies on the box, or starts within a box's width after it on its line (its label's start)."""
    if _overlap_share(mark, box) > 0.5:
        return True
    same_line = min(mark[3], box[3]) - max(mark[1], box[1]) > 0.5 * (box[3] - box[1])
    return same_line and 0 <= mark[0] - box[2] <= box[2] - box[0]


def _overlap_share(a: Box, b: Box) -> float:
    """The share of the smaller box that the two boxes share."""
    width = min(a[2], b[2]) - max(a[0], b[0])
    height = min(a[3], b[3]) - max(a[1], b[1])
    if width <= 0 or height <= 0:
        return 0.0
    smaller = min((a[2] - a[0]) * (a[3] - a[1]), (b[2] - b[0]) * (b[3] - b[1]))
    return width * height / smaller if smaller > 0 else 0.0


def _printed_boxes(levels: np.ndarray, scale: float, region: Box, count: int, left_reach: float) -> PrintedBoxes:
    """One mark per option from the boxes printed before the options, found as blobs in reading order.

    The template prints a box before every option and nowhere else, so the first `count` boxes
    of the value are the options' in order, whatever OCR made of the labels (a ☑ read as "d", two
    options run into one word, characters placed by guess).  Text after the last option (其它's
    fill-in) may follow.  One box hidden under a pen's tick (the tick joins it to its label and
    reaches out of the line) is that tick's place.  The window reaches `left_reach` points left of
    the value's words: OCR's first word may begin after the first box.  None when the boxes are
    not found, or are not alike (one template's glyphs) or not apart (a label between each two):
    then the boxes are looked for beside each option's text.
    """
    x0 = max(0, round((region[0] - max(left_reach, REGION_MARGIN)) * scale))
    y0 = max(0, round((region[1] - REGION_MARGIN) * scale))
    x1 = min(levels.shape[1], round((region[2] + REGION_MARGIN) * scale))
    y1 = min(levels.shape[0], round((region[3] + REGION_MARGIN) * scale))
    window = levels[y0:y1, x0:x1]
    ink = (window >= 1).astype(np.uint8)
    character = _character_height(cv2.connectedComponentsWithStats(ink, connectivity=8)[2]) if ink.size else None
    if character is None:
        return PrintedBoxes([], None)
    ink = _without_rules(ink, character)
    blobs = _blobs(ink, character)
    boxes = [box for box in _in_reading_order(blobs.boxes, character) if _set_apart(ink, box, character)][:count]
    marks = []
    for box in boxes:
        state, fill = _printed_box_state(window, box)
        marks.append(OptionMark("", state, _shift(box, x0, y0, scale), fill))
    if not boxes or not _alike_and_apart(boxes, character):
        return PrintedBoxes(marks, None)
    if len(boxes) == count:
        return PrintedBoxes(marks, _pen_beside(np.where(ink > 0, window, 0), boxes, marks))
    if len(boxes) < count - 1 or len(blobs.pen) != 1 or any(m.state != "empty" for m in marks):
        return PrintedBoxes(marks, None)
    pen = blobs.pen[0]
    place = sum(box[0] < pen[0] for box in boxes)
    mark = OptionMark("", "ticked", _shift(pen, x0, y0, scale), FILL_TICKED, boxed=False)
    return PrintedBoxes(marks, [*marks[:place], mark, *marks[place:]])


def _pen_beside(levels: np.ndarray, boxes: list[tuple[int, int, int, int]], marks: list[OptionMark]) -> list[OptionMark]:
    """The printed boxes' marks, where every box is empty inside but exactly one has a pen's ink just around it
    (`overshoot`, the cell's rules taken out of `levels`): that one ticked. A small pen tick drawn from a box's
    corner runs below it into its label and never enters it (dev53 a03's scan: '□服务商' ticked so, read as no
    option ticked, a false FIELD_MISSING); an empty box has paper around it. Two boxes so leave the marks as read."""
    if any(mark.state != "empty" for mark in marks):
        return marks
    pen = [k for k, box in enumerate(boxes) if overshoot(levels, box) >= OVERSHOOT_TICKED]
    if len(pen) != 1:
        return marks
    k = pen[0]
    return [*marks[:k], replace(marks[k], state="ticked", fill=FILL_TICKED), *marks[k + 1:]]


def _set_apart(ink: np.ndarray, box: tuple[int, int, int, int], character: float) -> bool:
    """Paper just left of the box: options are spaced apart, while a character closed on four sides at a
    scan's resolution (the 月 of 服, a blurred 商) stands right against the one before it."""
    x0, y0, _, y1 = box
    before = ink[y0:y1, max(0, x0 - round(SPACE_BEFORE * character)):x0]
    return not before.size or float(before.mean()) <= SPECK


def _same_line(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> bool:
    return b[1] < a[3] and a[1] < b[3]


def _alike_and_apart(boxes: list[tuple[int, int, int, int]], character: float) -> bool:
    heights = [b[3] - b[1] for b in boxes]
    if max(heights) > SAME_SIZE * min(heights):
        return False
    return not any(_same_line(a, b) and b[0] - a[2] < character for a, b in pairwise(boxes))


def _outline_depth(box: np.ndarray) -> int:
    """How far a box's outline reaches in from its bounds (px): the median, over the lines across each side,
    of where the first run of ink ends (a broken or dotted edge does not make it look thin)."""
    height, width = box.shape
    cap = max(1, min(height, width) // 4)
    depths = []
    for lines in (box.T, box.T[:, ::-1], box, box[:, ::-1]):  # in from the top, bottom, left, right
        for line in lines[1:-1]:
            ink = np.flatnonzero(line[:cap + 2])
            if ink.size == 0:
                continue
            paper = np.flatnonzero(~line[ink[0]:cap + 1])
            depths.append(int(ink[0] + (paper[0] if paper.size else cap + 1 - ink[0])))
    return max(1, min(cap, int(np.median(depths)))) if depths else 1


def _printed_box_state(levels: np.ndarray, box: tuple[int, int, int, int]) -> tuple[State, float]:
    """A printed box's state from the dark ink strictly inside its outline (a glyph's tick never leaves it).

    The outline's depth is measured line by line from the box's bounds to the end of the first run
    of ink, so a light halo (blur, a 1-bit scan's smoothed dots) neither thins it nor leaves its inner
    edge inside.
    """
    x0, y0, x1, y1 = box
    part = levels[y0:y1, x0:x1]
    inset = _outline_depth(part >= 1) + 1
    small = min(part.shape) <= SMALL_BOX
    if small and (part >= 1).any() and is_empty_box(part >= 1):
        # A box a few pixels wide blurs into its own inside; the hole it still encloses says it is empty.
        return "empty", 0.0
    if min(part.shape) <= 2 * inset:
        return "unknown", SHAPE_FILL
    fill = float((part[inset:-inset, inset:-inset] >= 2).mean())
    if fill >= FILL_TICKED:
        return "ticked", fill
    return ("empty" if fill <= FILL_EMPTY else "unknown"), fill


def _shift(box: Box, dx: int, dy: int, scale: float) -> Box:
    """A box in window pixels to page points."""
    return ((box[0] + dx) / scale, (box[1] + dy) / scale, (box[2] + dx) / scale, (box[3] + dy) / scale)


def read_checkboxes(page: Page, options: Sequence[str], region: Box | None = None,
                    words: Sequence[Word] | None = None) -> CheckboxReading:
    """The options' states: glyphs on a text layer, pixels on a scan.

    `words` are the option words when the caller has them (a table cell's words, already
    cut at the cell's rules); otherwise the page's words inside `region`.
    """
    if words is None:
        words = [w for w in page.words if region is None or _inside(w.bbox, region)]
    path = page.print_path or page.image_path
    if any(w.source == "text" for w in words):
        # A text layer: the glyphs are the marks, when it has them (a box drawn as a shape is not text).
        glyphs = read_glyphs(words, options)
        if glyphs is not None:
            return glyphs
    grey = None if path is None or not page.dpi else cv2.imread(str(path), cv2.IMREAD_GRAYSCALE)
    if grey is not None:
        pixels = read_pixels(grey, page.scale, words, options, region)
        # Boxes the pixels leave in doubt (two marked, none found) may still be told by what OCR read for them.
        told = read_ocr_glyphs(words, options) if pixels.chosen is None else None
        return told if told is not None else pixels
    # Neither glyphs nor pixels: nothing is known about the boxes.
    return CheckboxReading(tuple(OptionMark(o, "unknown", None, 0.0, "text") for o in options))


def _inside(box: Box, region: Box) -> bool:
    cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    return region[0] - 1 <= cx <= region[2] + 1 and region[1] - 1 <= cy <= region[3] + 1
