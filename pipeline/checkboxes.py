"""Tick boxes: 是否注册法人 ☐是 ☐否 and 牵头单位类型 ☐制造业企业 ☐服务商 ☐其它.

On a text layer the mark is the glyph before the option: ☑ ■ ✓ ☒ … for
ticked, ☐ □ for not.  On a scan the decision is made from pixels, never from OCR of
the glyph (OCR reads ☐ as 口, ☑ as 团 or nothing): the box is found as a small square
of short horizontal and vertical strokes just left of the option's text, and it is
ticked when its inside holds ink (filled ■, ☑, ✓, ✗, a hand-drawn tick or cross).
A mark drawn instead of a box (√是) counts as ticked when no box is there but ink is.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import cv2
import numpy as np

from models.page import Box, Page, Word
from pipeline.tables.cells import chars_of

TICKED_GLYPHS = frozenset("☑☒■▣◼◾●◉✓✔✗✘√×\uf0fe\uf0fd\uf0fc\uf052\uf053\uf06e")
EMPTY_GLYPHS = frozenset("☐□▢◻◽○\uf0a8\uf06f\uf071\uf0a3\uf072")
FILL_TICKED = 0.10  # ink share inside a box above which it is ticked
FILL_EMPTY = 0.035  # below this it is empty; in between, only a clear winner among the options counts
OVERSHOOT_TICKED = 0.03  # ink share around a box (left, above, below) that only a pen tick leaves
MARK_INK = 0.03  # ink share of the space before an option with no box: a mark written instead of a box

State = Literal["ticked", "empty", "unknown"]


@dataclass(frozen=True)
class OptionMark:
    """One option's box (points) and what it holds; `fill` is the ink share inside (1/0 for glyphs)."""

    option: str
    state: State
    box: Box | None = None
    fill: float = 0.0
    source: Literal["text", "pixels"] = "pixels"


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
    def problem(self) -> str | None:
        if len(self.ticked) == 1:
            return None
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


# --- pixels -------------------------------------------------------------------------------


def _ink(grey: np.ndarray) -> np.ndarray:
    # The print layer is flattened (paper at 255): thin box outlines print light, so the cut is high.
    return (grey < 190).astype(np.uint8)


def _sides_drawn(strokes: np.ndarray, box: tuple[int, int, int, int], share: float = 0.7) -> bool:
    """All four sides of `box` are drawn: a box (or ■), not a character whose outline happens to be square."""
    x0, y0, x1, y1 = box
    part = strokes[y0:y1, x0:x1] > 0
    band = max(1, min(3, (x1 - x0) // 4, (y1 - y0) // 4))
    sides = (part[:band].any(axis=0), part[-band:].any(axis=0), part[:, :band].any(axis=1), part[:, -band:].any(axis=1))
    return all(side.mean() >= share for side in sides)


def find_boxes(ink: np.ndarray, side: float) -> list[tuple[int, int, int, int]]:
    """Boxes (x0, y0, x1, y1 px) from about a quarter to 1.6 character heights `side`, in reading order.

    A short opening along each axis keeps straight strokes and drops a tick's diagonal
    ones, so a box with a tick through it is still a box; `_sides_drawn` then tells a
    box from a character.
    """
    strokes = _strokes(ink, side)
    count, _, stats, _ = cv2.connectedComponentsWithStats(strokes, connectivity=8)
    boxes = []
    for x, y, w, h, _ in stats[1:count]:
        # A box printed tight against its label joins the label's strokes: trim to the drawn sides first.
        box = _refine(strokes, (int(x), int(y), int(x + w), int(y + h)))
        w, h = box[2] - box[0], box[3] - box[1]
        if (0.22 * side <= w <= 1.6 * side and 0.22 * side <= h <= 1.6 * side and 0.7 <= w / h <= 1.45
                and _sides_drawn(strokes, box)):
            boxes.append(box)
    return sorted(boxes, key=lambda b: (round(b[1] / max(1.0, side)), b[0]))


def find_box(ink: np.ndarray, side: float) -> tuple[int, int, int, int] | None:
    """The box in a window closest to the expected size, or None."""
    boxes = find_boxes(ink, side)
    return min(boxes, key=lambda b: abs(b[2] - b[0] - side) + abs(b[3] - b[1] - side)) if boxes else None


def inner_fill(ink: np.ndarray, box: tuple[int, int, int, int]) -> float:
    """Ink share inside a box, its border (and a margin for a thick pen) left out."""
    x0, y0, x1, y1 = box
    margin_x, margin_y = max(2, round(0.18 * (x1 - x0))), max(2, round(0.18 * (y1 - y0)))
    inside = ink[y0 + margin_y:y1 - margin_y, x0 + margin_x:x1 - margin_x]
    return float(inside.mean()) if inside.size else 0.0


def overshoot(ink: np.ndarray, box: tuple[int, int, int, int]) -> float:
    """Ink share just left of, above and below a box: a pen tick crosses the box and runs out of it.

    The right side is left out: the option's label starts there.
    """
    x0, y0, x1, y1 = box
    reach = max(2, round(0.4 * (y1 - y0)))
    around = ink[max(0, y0 - reach):y1 + reach, max(0, x0 - reach):x1].astype(bool).copy()
    oy, ox = y0 - max(0, y0 - reach), x0 - max(0, x0 - reach)
    around[max(0, oy - 1):oy + (y1 - y0) + 1, max(0, ox - 1):] = False  # the box itself and its border
    return float(around.mean()) if around.size else 0.0


def _box_state(ink: np.ndarray, box: tuple[int, int, int, int]) -> tuple[State, float]:
    fill = inner_fill(ink, box)
    if fill >= FILL_TICKED or overshoot(ink, box) >= OVERSHOOT_TICKED:
        return "ticked", max(fill, FILL_TICKED)
    return ("empty" if fill <= FILL_EMPTY else "unknown"), fill


def _window(located: Located, scale: float, shape: tuple[int, ...]) -> tuple[int, int, int, int]:
    """Pixels left of the option's first character where its box is printed."""
    x0, top, _, bottom = located.box
    height = bottom - top
    cy = (top + bottom) / 2
    wx0, wx1 = x0 - 2.3 * height, x0 + 0.15 * height
    wy0, wy1 = cy - 0.95 * height, cy + 0.95 * height
    return (max(0, round(wx0 * scale)), max(0, round(wy0 * scale)),
            min(shape[1], round(wx1 * scale)), min(shape[0], round(wy1 * scale)))


def mark_at(ink: np.ndarray, located: Located, scale: float) -> OptionMark:
    """The option's mark judged from the pixels before its text."""
    wx0, wy0, wx1, wy1 = _window(located, scale, ink.shape)
    window = ink[wy0:wy1, wx0:wx1]
    side = (located.box[3] - located.box[1]) * scale
    if window.size == 0:
        return OptionMark(located.option, "unknown")
    box = find_box(window, side)
    if box is None:
        return _mark_without_box(ink, located, scale)
    state, fill = _box_state(window, box)
    page_box = (box[0] + wx0, box[1] + wy0, box[2] + wx0, box[3] + wy0)
    return OptionMark(located.option, state, _to_points(page_box, scale), fill)


def _mark_without_box(ink: np.ndarray, located: Located, scale: float) -> OptionMark:
    """No box before the option: a mark written in its place (√是) is ticked, a box we failed to see is not.

    Only the space of about one character before the option is looked at, so the
    previous option's text stays out.  The ink's own bounding box must have ink inside
    it: a box outline that escaped `find_box` is empty inside.
    """
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
    fill = inner_fill(window, own)
    state: State = "ticked" if fill > FILL_EMPTY else "empty"
    page_box = (own[0] + area[0], own[1] + area[1], own[2] + area[0], own[3] + area[1])
    return OptionMark(located.option, state, _to_points(page_box, scale), fill)


def _to_points(box: tuple[int, int, int, int], scale: float) -> Box:
    return (box[0] / scale, box[1] / scale, box[2] / scale, box[3] / scale)


def _settle(marks: list[OptionMark]) -> list[OptionMark]:
    """Undecided boxes: ticked only if clearly fuller than every other option, else empty."""
    decided = []
    for mark in marks:
        if mark.state == "unknown":
            others = [m.fill for m in marks if m is not mark]
            clear = mark.fill >= 0.06 and all(mark.fill >= 2.5 * max(o, 0.01) for o in others)
            state: State = "ticked" if clear else "empty"
            mark = OptionMark(mark.option, state, mark.box, mark.fill, mark.source)
        decided.append(mark)
    return decided


def read_pixels(grey: np.ndarray, scale: float, words: Sequence[Word], options: Sequence[str],
                region: Box | None = None) -> CheckboxReading:
    """Marks from the print layer (red seal ink already removed) at `scale` pixels per point.

    When the region holds exactly one box per option, they are the options in reading
    order (OCR of the labels is not needed); otherwise each box is looked for just
    before its option's text.
    """
    ink = _ink(grey)
    by_order = _marks_in_order(ink, scale, region, words, options) if region is not None else None
    if by_order is not None:
        return CheckboxReading(tuple(_settle(by_order)))
    located = locate_options(words, options)
    marks = [mark_at(ink, located[o], scale) if o in located else OptionMark(o, "unknown") for o in options]
    return CheckboxReading(tuple(_settle(marks)))


def _refine(strokes: np.ndarray, box: tuple[int, int, int, int]) -> tuple[int, int, int, int]:
    """Trim a box to its drawn sides (a neighbouring character's stroke may have joined it)."""
    x0, y0, x1, y1 = box
    part = strokes[y0:y1, x0:x1] > 0
    cols = np.flatnonzero(part.mean(axis=0) >= 0.7)
    rows = np.flatnonzero(part.mean(axis=1) >= 0.7)
    if cols.size >= 2 and rows.size >= 2 and cols[-1] - cols[0] >= 3 and rows[-1] - rows[0] >= 3:
        return x0 + int(cols[0]), y0 + int(rows[0]), x0 + int(cols[-1]) + 1, y0 + int(rows[-1]) + 1
    return box


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
        strokes = head  # fill is measured on the raw ink inside the trimmed box
        box = boxes[0]
        state, fill = _box_state(strokes, box)
        return OptionMark(option, state, (box[0] + span[0], box[1], box[2] + span[0], box[3]), fill)
    share = float(head[:, :max(1, round(side))].mean()) if head.size else 0.0
    return OptionMark(option, "unknown", (span[0], 0, span[0] + round(side), window.shape[0]), share)


def _strokes(ink: np.ndarray, side: float) -> np.ndarray:
    length = max(4, round(0.12 * side))
    strokes = np.zeros_like(ink)
    for size in ((length, 1), (1, length)):
        strokes |= cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, size))
    return strokes


def _odd_one_out(marks: list[OptionMark]) -> list[OptionMark]:
    """Options whose box could not be seen while every other option's box was: a mark covers it (or replaced it).

    The template prints a box before every option, so a missing box with ink in its
    place is a tick drawn over it or a √ written instead.
    """
    boxed = [m for m in marks if m.state != "unknown"]
    out = []
    for mark in marks:
        if mark.state == "unknown" and len(boxed) == len(marks) - 1 and mark.fill >= MARK_INK:
            mark = OptionMark(mark.option, "ticked", mark.box, mark.fill, mark.source)
        out.append(mark)
    return out


def _marks_in_order(ink: np.ndarray, scale: float, region: Box, words: Sequence[Word],
                    options: Sequence[str]) -> list[OptionMark] | None:
    """The options of a row told apart by the white space between them, each judged at its head."""
    heights = sorted(w.bbox[3] - w.bbox[1] for w in words)
    side = min(heights[len(heights) // 2] if heights else 10.5, 14.0) * scale
    inset = 2.0  # points: the cell's own rules are not boxes
    x0, y0 = max(0, round((region[0] + inset) * scale)), max(0, round((region[1] + inset) * scale))
    x1, y1 = min(ink.shape[1], round((region[2] - inset) * scale)), min(ink.shape[0], round((region[3] - inset) * scale))
    window = ink[y0:y1, x0:x1]
    if window.size == 0:
        return None
    spans = option_groups(window, side, len(options))
    if len(spans) != len(options):
        return None
    marks = _odd_one_out([_head_mark(window, span, side, option) for span, option in zip(spans, options, strict=True)])
    return [OptionMark(m.option, m.state, _shift(m.box, x0, y0, scale) if m.box else None, m.fill) for m in marks]


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
    from_text = any(w.source == "text" for w in words)
    grey = None if from_text or path is None or not page.dpi else cv2.imread(str(path), cv2.IMREAD_GRAYSCALE)
    if grey is not None:
        return read_pixels(grey, page.scale, words, options, region)
    # A text layer (or no image): the glyphs are the marks.
    glyphs = read_glyphs(words, options)
    return glyphs or CheckboxReading(tuple(OptionMark(o, "empty", None, 0.0, "text") for o in options))


def _inside(box: Box, region: Box) -> bool:
    cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    return region[0] - 1 <= cx <= region[2] + 1 and region[1] - 1 <= cy <= region[3] + 1
