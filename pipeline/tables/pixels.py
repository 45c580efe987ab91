"""Ruling lines from pixels: binarise, open with long thin kernels, fit the pieces.

Only geometry comes out of here (rules in points, in the table frame of `Frame`); the
steps stay separate so each can be looked at (`RuleMasks`) and tested on drawn images.

Faint rules survive because binarisation is local (a rule only has to be darker than
its neighbourhood); broken rules because a short closing along the rule bridges
pixel gaps and `geometry.merge_rules` bridges the rest; residual skew because it is
measured on the long rules and undone before the rules are read off.  Rules too faint
for the binarisation are found in a second look (`FaintLook`): a pale grey hairline that
the print layer's levels leave a few grey levels below white as ridges, pixels darker than
the paper a rule's width above and below them that fill most of a rule-long window
(`ridge_masks`); a phone photo's blurred rule, which those levels whiten in part, as bands
of a layer that keeps the paper's palest levels, averaged along a rule-long window, that
stand darker than the paper on both sides (`band_masks`).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from pipeline.components import component_boxes, components, components_with_centres
from pipeline.tables.geometry import Frame, GapTest, Rule, Tolerances, line_bands

MIN_RULE_INCH = 0.3  # kernel length: longer than any stroke of 10-14 pt text
GAP_INCH = 0.035  # pixel gaps in a rule closed before opening (scanner dropouts, dotted rules)
SKEW_MIN_DEG = 0.08  # below this the drift over a page is under a pixel or two: not worth a rotation
SEALED_GAP_INK = 0.25  # a gap whose strip holds this much seal ink is a rule hidden by the seal
SEAL_STROKE = 0.5  # a rule piece lying on seal ink over this share of its length is a seal stroke
CONTINUE_GAP_PT = 10.0  # a seal-stroke candidate this close to a collinear rule piece continues that rule
SEAL_GROW_PT = 1.2  # the seal mask grown by this much: a seal's remains are wider than its red core
RIDGE_REACH_PT = 1.5  # a rule pixel is compared with the paper this far above and below it (rules up to ~1.5 pt)
RIDGE_CONTRAST = 2  # grey levels darker than both sides: the print layer's paper is flattened to a noise-free white
RIDGE_SHARE = 0.55  # share of a rule-long window that must be ridge (a faint hairline's pixels are not all darker)
BAND_REACH_PT = 2.0  # a band's paper is looked for this far to either side (a photo blurs a rule over ~2 pt)
BAND_CONTRAST = 3.0  # mean grey levels a band stands darker than the paper found on each side of it
# The paper beside a band holds at most this share of the band's darkness (text does not): across a row
# rule it may hold the blurred edge of a line of text close above or below (a photo of a dense list),
# beside a column rule only a cell's padding; strokes stacked down a column of dates need the stricter test.
BAND_CLEAR = {0: 0.8, 1: 0.5}
# Rule lengths a band must run: a column's stacked strokes (年 above 年 where the dates line up) make a
# vertical band only as long as a row or two stay aligned, where a faint column rule runs the table's height.
BAND_RUN = {0: 1, 1: 2}
DOTTED_SHARE = 0.06  # share of a rule-long window a dotted rule inks (a fax or 1-bit scan leaves a hairline as dots)
DOTTED_CLEAR = 0.03  # the most ink a rule-long window may hold a rule's width above or below a dotted rule


@dataclass
class RuleMasks:
    """The intermediates: ink, horizontal and vertical rule masks (in the table frame) and the frame."""

    ink: np.ndarray
    horizontal: np.ndarray
    vertical: np.ndarray
    frame: Frame
    scale: float  # pixels per point


MaskFinder = Callable[[np.ndarray, float], tuple[np.ndarray, np.ndarray]]  # grey, dpi -> horizontal, vertical


@dataclass(frozen=True)
class FaintLook:
    """How a second look finds rules too faint to binarise: `find` (`ridge_masks`, `band_masks`) run on
    `layer` (the print layer, or a layer keeping the paper's palest levels), same size as the page."""

    layer: np.ndarray
    find: MaskFinder


def load_grey(path: Path) -> np.ndarray | None:
    image = cv2.imread(str(path), cv2.IMREAD_GRAYSCALE)
    return image if image is not None and image.size else None


def binarise(grey: np.ndarray) -> np.ndarray:
    """Ink = 255: darker than the local mean by a margin (faint rules on white paper still count)."""
    block = max(15, (min(grey.shape[:2]) // 50) | 1)
    return cv2.adaptiveThreshold(grey, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, block, 12)


def line_masks(ink: np.ndarray, dpi: float) -> tuple[np.ndarray, np.ndarray]:
    """Horizontal and vertical rule masks by closing small gaps then opening with long kernels."""
    length = max(15, round(MIN_RULE_INCH * dpi))
    gap = max(3, round(GAP_INCH * dpi))
    masks = []
    for size_close, size_open in (((gap, 1), (length, 1)), ((1, gap), (1, length))):
        closed = cv2.morphologyEx(ink, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, size_close))
        masks.append(cv2.morphologyEx(closed, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, size_open)))
    return masks[0], masks[1]


def _shifted(image: np.ndarray, by: int, axis: int) -> np.ndarray:
    """`image` moved `by` pixels along `axis` (edge rows repeated)."""
    index = np.clip(np.arange(image.shape[axis]) - by, 0, image.shape[axis] - 1)
    return np.take(image, index, axis=axis)


def ridge_masks(grey: np.ndarray, dpi: float) -> tuple[np.ndarray, np.ndarray]:
    """Horizontal and vertical masks of rules found as thin dark ridges filling most of a rule-long window.

    A faint rule is darker than the paper just above and below it along most of its length; a
    character's stroke is as short as the character, so it fills a rule-long window only where
    strokes of neighbouring characters line up (removed later by `drop_text_strokes`, like the
    strokes the binarised masks let through).
    """
    dark = cv2.bitwise_not(grey)
    reach = max(2, round(RIDGE_REACH_PT * dpi / 72.0))
    length = max(15, round(MIN_RULE_INCH * dpi))
    gap = max(3, round(GAP_INCH * dpi))
    masks: list[np.ndarray] = []
    for axis in (0, 1):
        sides = cv2.max(_shifted(dark, reach, axis), _shifted(dark, -reach, axis))
        ridge = (cv2.subtract(dark, sides) >= RIDGE_CONTRAST).astype(np.float32)
        window = (length, 1) if axis == 0 else (1, length)
        share = cv2.blur(ridge, window, borderType=cv2.BORDER_CONSTANT)
        found = ((share >= RIDGE_SHARE) & (ridge > 0)).astype(np.uint8) * 255
        # Gaps of a pixel or two between the ridge pixels of a faint rule, closed along it.
        closing = cv2.getStructuringElement(cv2.MORPH_RECT, (gap, 1) if axis == 0 else (1, gap))
        masks.append(cv2.morphologyEx(found, cv2.MORPH_CLOSE, closing))
    return masks[0], masks[1]


def _lightest_beside(mean: np.ndarray, reach: int, axis: int, side: int) -> np.ndarray:
    """Per pixel, the smallest of the values 1..`reach` pixels to one `side` (+1 / -1) of it along `axis`
    (edge values repeated).

    The page moved one pixel to that side, then eroded over `reach` pixels reaching the same way (the
    erosion's anchor at the kernel's near end): a minimum of the very same values, without a moved copy of
    the page per step.
    """
    nearest = _shifted(mean, side, axis)
    if reach < 2:
        return nearest
    kernel = np.ones((reach, 1) if axis == 0 else (1, reach), np.uint8)
    end = reach - 1 if side > 0 else 0
    anchor = (0, end) if axis == 0 else (end, 0)  # OpenCV's anchor is (x, y)
    return cv2.erode(nearest, kernel, anchor=anchor, borderType=cv2.BORDER_REPLICATE)


def band_masks(grey: np.ndarray, dpi: float) -> tuple[np.ndarray, np.ndarray]:
    """Horizontal and vertical masks of faint rules: where the page, averaged along a rule-long window,
    is a thin band darker than the paper found within a photo's blur on both sides of it.

    Averaging along the line first bridges the dashes a faint or blurred rule breaks into (a phone photo's
    0.75 pt rule at 5-15% below the paper, broken where the paper's light varies) and the steps of a rule
    that wavers by a pixel; across it, the band must be clear of the paper beside it: a line of text,
    averaged the same way, is as dark a band but for its height, so the darkest point inside it has no
    paper within a blur's reach on both sides.  Character strokes stacked down a column (年 above 年) make
    a vertical band where dates line up; `finder.drop_text_strokes` drops those, as it does the strokes
    the binarised masks let through.
    """
    dark = cv2.bitwise_not(grey).astype(np.float32)
    reach = max(2, round(BAND_REACH_PT * dpi / 72.0))
    length = max(15, round(MIN_RULE_INCH * dpi))
    masks: list[np.ndarray] = []
    for axis in (0, 1):
        window = (length, 1) if axis == 0 else (1, length)
        mean = cv2.blur(dark, window, borderType=cv2.BORDER_CONSTANT)
        paper = np.maximum(_lightest_beside(mean, reach, axis, 1), _lightest_beside(mean, reach, axis, -1))
        band = ((mean - paper >= BAND_CONTRAST) & (paper <= BAND_CLEAR[axis] * mean)).astype(np.uint8) * 255
        # A photographed rule wavers by a pixel across its line: its crest is kept a rule long with a pixel's
        # play either side before the window-long opening.
        across = cv2.getStructuringElement(cv2.MORPH_RECT, (1, 3) if axis == 0 else (3, 1))
        wide = cv2.dilate(band, across)
        run = (BAND_RUN[axis] * length, 1) if axis == 0 else (1, BAND_RUN[axis] * length)
        masks.append(cv2.morphologyEx(wide, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, run)))
    return masks[0], masks[1]


def dotted_masks(ink: np.ndarray, dpi: float) -> tuple[np.ndarray, np.ndarray]:
    """Horizontal and vertical masks of rules printed as sparse dots (a hairline a fax-like or dithered
    scan kept one pixel in several of): a thin band where a rule-long window holds some ink, with clear
    paper a rule's width to either side.

    A line of text inks its windows as much, but for its height, so the paper beside it is not clear;
    the edge of a text line has text on one side.  Runs shorter than a rule are dropped.
    """
    reach = max(2, round(RIDGE_REACH_PT * dpi / 72.0))
    length = max(15, round(MIN_RULE_INCH * dpi))
    near = max(3, 2 * round(GAP_INCH * dpi) - 1)
    inked = np.where(ink > 0, 255, 0).astype(np.uint8)
    masks: list[np.ndarray] = []
    for axis in (0, 1):
        window = (length, 1) if axis == 0 else (1, length)
        share = cv2.blur(inked, window, borderType=cv2.BORDER_CONSTANT)  # the window's ink share, 0..255
        sides = _either_side(share, reach, axis)
        band = ((share >= DOTTED_SHARE * 255) & (sides <= DOTTED_CLEAR * 255)).astype(np.uint8) * 255
        # The window's share runs on past the rule's last dot: keep what lies near a dot (a gap's length
        # along the rule, a pixel across it), then join the dots.
        touch = (near, 3) if axis == 0 else (3, near)
        dots = cv2.bitwise_and(band, cv2.dilate(ink, cv2.getStructuringElement(cv2.MORPH_RECT, touch)))
        joined = cv2.morphologyEx(dots, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, window),
                                  borderType=cv2.BORDER_CONSTANT, borderValue=0)  # paper past the page's edge
        # Two rule lengths: a period or a stroke's end shares a window with the dots of a rule near it.
        run = (2 * length, 1) if axis == 0 else (1, 2 * length)
        masks.append(cv2.morphologyEx(joined, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, run)))
    return masks[0], masks[1]


def _either_side(share: np.ndarray, reach: int, axis: int) -> np.ndarray:
    """The larger of the values `reach` pixels before and after each pixel along `axis` (0 past the edges)."""
    out = np.zeros_like(share)
    if axis == 0:
        out[reach:] = share[:-reach]
        np.maximum(out[:-reach], share[reach:], out=out[:-reach])
    else:
        out[:, reach:] = share[:, :-reach]
        np.maximum(out[:, :-reach], share[:, reach:], out=out[:, :-reach])
    return out


def measure_skew(horizontal: np.ndarray) -> float:
    """Counter-clockwise skew (degrees) of the long horizontal rules, length-weighted median; 0 if none."""
    min_width = horizontal.shape[1] * 0.2
    angles: list[tuple[float, float]] = []
    # Only the long pieces are fitted: each is labelled within its own box (`_piece_pixels`), not the page.
    for x, y, w, h in component_boxes(horizontal):
        if w < min_width:
            continue
        ys, xs = _piece_pixels(horizontal[y:y + h, x:x + w])
        angles.append((line_angle(xs, ys), float(w)))
    return weighted_median(angles)


def line_angle(xs: np.ndarray, ys: np.ndarray) -> float:
    """Counter-clockwise angle (degrees) of the line fitted through the pixels (`xs`, `ys`)."""
    vx, vy, _, _ = cv2.fitLine(np.column_stack([xs, ys]).astype(np.float32), cv2.DIST_L2, 0, 0.01, 0.01).ravel()
    if vx < 0:  # fitLine may point either way along the line
        vx, vy = -vx, -vy
    return -math.degrees(math.atan2(float(vy), float(vx)))


def weighted_median(values: list[tuple[float, float]]) -> float:
    """The median of (value, weight) pairs by weight; 0 for none."""
    if not values:
        return 0.0
    ordered = sorted(values)
    half, acc = sum(w for _, w in ordered) / 2, 0.0
    for value, weight in ordered:
        acc += weight
        if acc >= half:
            return value
    return ordered[-1][0]


def _piece_pixels(box: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The rows and columns (`np.nonzero`'s order) of the piece whose bounding box `box` is cut to.

    Every path joining the piece's pixels lies in its box, so within the box they are still one piece; other
    pieces reaching into the box stay apart from it, and none of them spans the box too (touching all four
    sides, two pieces would cross, and crossing 8-connected pieces touch): the piece is the one whose own
    box is the whole box.
    """
    _, labels, stats = components(box, 8)
    height, width = box.shape[:2]
    spans = np.flatnonzero((stats[1:, :4] == (0, 0, width, height)).all(axis=1)) + 1
    ys, xs = np.nonzero(labels == spans[0])
    return ys, xs


def rotate(image: np.ndarray, frame: Frame, scale: float) -> np.ndarray:
    """`image` turned into the table frame (nearest neighbour: masks stay binary)."""
    if not frame.angle_deg:
        return image
    matrix = cv2.getRotationMatrix2D((frame.cx * scale, frame.cy * scale), frame.angle_deg, 1.0)
    return cv2.warpAffine(image, matrix, image.shape[1::-1], flags=cv2.INTER_NEAREST, borderValue=0)


class Binarised:
    """A page's binarised ink and what is made of it alone (rule masks, dotted-rule masks), per table frame:
    worked out once for the page's first look at its rules and handed to the faint looks, which binarise the
    same pixels alike (a page searched for faint rules looked three times, each binarising afresh)."""

    def __init__(self, grey: np.ndarray, dpi: float) -> None:
        self.grey, self.dpi, self.scale = grey, dpi, dpi / 72.0
        self._ink: dict[Frame, np.ndarray] = {}
        self._lines: dict[Frame, tuple[np.ndarray, np.ndarray]] = {}
        self._dots: dict[Frame, tuple[np.ndarray, np.ndarray]] = {}

    def ink(self, frame: Frame) -> np.ndarray:
        """Ink = 255 (`binarise`), turned into `frame`."""
        if frame not in self._ink:
            self._ink[frame] = binarise(self.grey) if not frame.angle_deg else rotate(self.ink(Frame()), frame, self.scale)
        return self._ink[frame]

    def lines(self, frame: Frame) -> tuple[np.ndarray, np.ndarray]:
        """`line_masks` of the ink in `frame`."""
        if frame not in self._lines:
            self._lines[frame] = line_masks(self.ink(frame), self.dpi)
        return self._lines[frame]

    def dots(self, frame: Frame) -> tuple[np.ndarray, np.ndarray]:
        """`dotted_masks` of the ink in `frame`."""
        if frame not in self._dots:
            self._dots[frame] = dotted_masks(self.ink(frame), self.dpi)
        return self._dots[frame]


def rule_masks(grey: np.ndarray, dpi: float, faint: FaintLook | None = None, binary: Binarised | None = None) -> RuleMasks:
    """Binarise, find rule masks (with `faint`, joined by the faint rules it finds), and if the rules are
    skewed redo it in the deskewed frame (`binary`: `grey` binarised, shared with the page's other looks)."""
    binary = binary if binary is not None else Binarised(grey, dpi)
    scale = dpi / 72.0
    frame = Frame()
    horizontal, vertical = binary.lines(frame)
    if faint is not None:
        horizontal, vertical = _with_faint((horizontal, vertical), faint, binary.dots(frame), dpi)
    skew = measure_skew(horizontal)
    if abs(skew) >= SKEW_MIN_DEG:
        height, width = grey.shape[:2]
        frame = Frame(angle_deg=-skew, cx=width / 2 / scale, cy=height / 2 / scale)
        horizontal, vertical = binary.lines(frame)
        if faint is not None:
            turned = FaintLook(rotate_grey(faint.layer, frame, scale), faint.find)
            horizontal, vertical = _with_faint((horizontal, vertical), turned, binary.dots(frame), dpi)
    return RuleMasks(ink=binary.ink(frame), horizontal=horizontal, vertical=vertical, frame=frame, scale=scale)


def _with_faint(masks: tuple[np.ndarray, np.ndarray], faint: FaintLook, dots: tuple[np.ndarray, np.ndarray],
                dpi: float) -> tuple[np.ndarray, np.ndarray]:
    """The binarised rule masks joined by the faint rules `faint` finds and the dotted rules (`dots`, of the ink)."""
    bands = faint.find(faint.layer, dpi)
    return (cv2.bitwise_or(cv2.bitwise_or(masks[0], bands[0]), dots[0]),
            cv2.bitwise_or(cv2.bitwise_or(masks[1], bands[1]), dots[1]))


def rotate_grey(grey: np.ndarray, frame: Frame, scale: float) -> np.ndarray:
    """The grey page turned into the table frame (edges repeated: a dark wedge would show as a rule)."""
    if not frame.angle_deg:
        return grey
    matrix = cv2.getRotationMatrix2D((frame.cx * scale, frame.cy * scale), frame.angle_deg, 1.0)
    return cv2.warpAffine(grey, matrix, grey.shape[1::-1], flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)


def mask_rules(mask: np.ndarray, orient: str, scale: float) -> list[Rule]:
    """Each connected piece of a rule mask as a Rule in points (its centre line)."""
    rules = []
    for x, y, w, h in component_boxes(mask).tolist():
        if orient == "h":
            rules.append(Rule("h", (y + h / 2) / scale, x / scale, (x + w) / scale))
        else:
            rules.append(Rule("v", (x + w / 2) / scale, y / scale, (y + h) / scale))
    return rules


def rules_from_image(grey: np.ndarray, dpi: float, faint: FaintLook | None = None,
                     binary: Binarised | None = None) -> tuple[list[Rule], RuleMasks]:
    """All rule pieces of a page image (points, table frame) and the masks they came from (`faint`, `binary`:
    see `rule_masks`)."""
    masks = rule_masks(grey, dpi, faint, binary)
    pieces = mask_rules(masks.horizontal, "h", masks.scale) + mask_rules(masks.vertical, "v", masks.scale)
    return pieces, masks


def sealed_gap_test(seal_mask: np.ndarray | None, frame: Frame, scale: float) -> GapTest:
    """A predicate telling whether a gap in a rule lies under seal ink (so the rule is hidden, not absent)."""
    if seal_mask is None:
        return lambda rule, start, end: False
    turned = rotate((seal_mask > 0).astype(np.uint8) * 255, frame, scale)
    # Grown a little: the seal's ring is thin and the rule may cross it between strokes.
    turned = cv2.dilate(turned, np.ones((5, 5), np.uint8))

    def hidden(rule: Rule, start: float, end: float) -> bool:
        pos, a, b = round(rule.pos * scale), round(start * scale), round(end * scale)
        strip = turned[max(0, pos - 2):pos + 3, a:b] if rule.orient == "h" else turned[a:b, max(0, pos - 2):pos + 3]
        return strip.size > 0 and float((strip > 0).mean()) >= SEALED_GAP_INK

    return hidden


def seal_strokes(pieces: list[Rule], seal_mask: np.ndarray | None, frame: Frame, scale: float) -> list[Rule]:
    """Pieces that are the remains of a seal's ring, star or text rather than rules.

    The print layer keeps a grey ghost of the seal's red ink, dark enough for the local
    binarisation, so the ring's straight-ish arcs and the text's strokes come out as short
    rules (a column cutting off a number's first digit, a sliver row under the table).  A
    real rule crossing a seal lies on seal ink only where it crosses a stroke; a ghost
    stroke lies on seal ink along most of its length.
    """
    if seal_mask is None or not pieces:
        return []
    turned = rotate((seal_mask > 0).astype(np.uint8) * 255, frame, scale)
    grow = 2 * max(1, round(SEAL_GROW_PT * scale)) + 1
    turned = cv2.dilate(turned, np.ones((grow, grow), np.uint8))
    found = []
    for rule in pieces:
        pos, a, b = round(rule.pos * scale), max(0, round(rule.start * scale)), round(rule.end * scale)
        if _inked_along(_line_ink(turned, rule.orient, pos, a, b)) >= SEAL_STROKE:
            found.append(rule)
    return not_continued(found, pieces)


def not_continued(candidates: list[Rule], pieces: list[Rule], snap: float = 3.0) -> list[Rule]:
    """The candidates that no other piece continues: a rule running through a seal's text lies on seal ink
    along its pieces there, but those pieces line up with the rule's pieces outside the seal."""
    kept = [piece for piece in pieces if piece not in candidates]
    left = list(candidates)
    changed = True
    while changed:
        changed = False
        for rule in list(left):
            if any(other.orient == rule.orient and abs(other.pos - rule.pos) <= snap
                   and other.start - CONTINUE_GAP_PT <= rule.end and rule.start <= other.end + CONTINUE_GAP_PT
                   for other in kept):
                kept.append(rule)
                left.remove(rule)
                changed = True
    return left


def strokes_in_area(pieces: list[Rule], area: np.ndarray | None, frame: Frame, scale: float,
                    snap: float = 3.0) -> list[Rule]:
    """On a grey scan (no red mask), pieces lying wholly in a seal's area (bool, page pixels) with no
    collinear piece outside it: the seal's ring or star, printed as dark as the rules.  A rule crossing
    a seal shows outside it too."""
    if area is None or not pieces:
        return []
    turned = rotate(area.astype(np.uint8) * 255, frame, scale)

    def inside(rule: Rule) -> bool:
        pos, a, b = round(rule.pos * scale), max(0, round(rule.start * scale)), round(rule.end * scale)
        line = turned[min(pos, turned.shape[0] - 1), a:b] if rule.orient == "h" else turned[a:b, min(pos, turned.shape[1] - 1)]
        return bool(line.size) and float((line > 0).mean()) >= 0.9

    return not_continued([rule for rule in pieces if inside(rule)], pieces, snap)


SPECKLE_DOT_INCH = 0.02  # an ink speck this wide and tall at most is a dot of dithering (1-3 px at 150 dpi)
SPECKLE_CELL_INCH = 0.25  # dots are counted per square of this side
# Dots per square inch where a 1-bit scan dithered a shade (dev32 a03's edge shading: 2,000–3,500); a page's text,
# a fax's speckle or a phone photo's noise leave 160 at most.
SPECKLE_DENSITY = 800.0
SOLID_SHARE = 0.85  # share of a rule piece's length its own ink covers, unbroken, for it to stand in dithering


def speckle_zone(ink: np.ndarray, dpi: float) -> np.ndarray:
    """Per square of `SPECKLE_CELL_INCH` (rows, columns of the ink's squares), whether dithering's dots fill it:
    a 1-bit scan that turned a shade (a scanner's dark edge, a fold's shadow) into dots at a table's text's
    density. The rule masks close and open those dots into rules running every way."""
    cell = max(1, round(SPECKLE_CELL_INCH * dpi))
    rows, cols = ink.shape[0] // cell + 1, ink.shape[1] // cell + 1
    count, _, stats, centres = components_with_centres((ink > 0).astype(np.uint8), 8)  # 16-bit labels: a third of the time
    side = max(1, round(SPECKLE_DOT_INCH * dpi))
    dots = (stats[1:, cv2.CC_STAT_WIDTH] <= side) & (stats[1:, cv2.CC_STAT_HEIGHT] <= side)
    counts = np.zeros((rows, cols), np.float64)
    if count > 1 and dots.any():
        where = centres[1:][dots]
        np.add.at(counts, (where[:, 1].astype(int) // cell, where[:, 0].astype(int) // cell), 1.0)
    return counts / (SPECKLE_CELL_INCH ** 2) >= SPECKLE_DENSITY


def dithered_pieces(pieces: list[Rule], ink: np.ndarray, scale: float, dpi: float) -> list[Rule]:
    """Rule pieces made of dithering's dots: lying mostly in a `speckle_zone`, where their own line is no
    more inked than the lines beside it. A rule printed through the shade stays: black, one pixel line of it
    is ink all along; grey, dithered itself, its line holds more dots than the shade's lines beside it."""
    zone = speckle_zone(ink, dpi)
    if not zone.any():
        return []
    cell = max(1, round(SPECKLE_CELL_INCH * dpi))
    beside = max(2, round(DITHER_BESIDE_PT * scale))
    found = []
    for piece in pieces:
        a, b = max(0, round(piece.start * scale)), round(piece.end * scale)
        along = np.arange(a, max(a + 1, b))
        pos = round(piece.pos * scale)
        if piece.orient == "h":
            inside = zone[min(pos // cell, zone.shape[0] - 1), np.minimum(along // cell, zone.shape[1] - 1)]
        else:
            inside = zone[np.minimum(along // cell, zone.shape[0] - 1), min(pos // cell, zone.shape[1] - 1)]
        if float(inside.mean()) < 0.5:
            continue
        line = _line_ink(ink, piece.orient, pos, a, b)
        if line.size and float(line.mean(axis=1).max()) >= SOLID_SHARE:
            continue
        here = _inked_along(line)
        around = [_inked_along(_line_ink(ink, piece.orient, pos + step, a, b)) for step in (-beside, beside)]
        if here - sum(around) / 2 < DITHER_CONTRAST:
            found.append(piece)
    return found


DITHER_BESIDE_PT = 2.0  # the shade's own lines are looked at this far to either side of a piece
DITHER_CONTRAST = 0.15  # share of its length a grey rule's line is inked more than the shade's lines beside it


def _line_ink(ink: np.ndarray, orient: str, pos: int, a: int, b: int) -> np.ndarray:
    """The ink (bool) of the three pixel lines at `pos` (a piece's line and its neighbours) from a to b, one
    row per line."""
    if orient == "h":
        return ink[max(0, pos - 1):max(0, pos + 2), a:b] > 0
    return (ink[a:b, max(0, pos - 1):max(0, pos + 2)] > 0).T


def _inked_along(line: np.ndarray) -> float:
    """Share of the places along a piece where any of its three pixel lines is ink."""
    return float(line.any(axis=0).mean()) if line.size else 0.0


# A band of pieces `merge_rules` snaps into one line spreading wider than this across holds more than one line:
# a rule is 1.5 pt at most, a double rule's two lines 3 pt apart.
STACKED_SPREAD_PT = 6.0
RULE_WIDTH_PT = 1.0  # pieces this close across lie on one line
LINE_EVIDENCE = 0.5  # share of the paper a line runs over that its ink marks, for the line to be a rule
LINE_MARGIN = 0.2  # ... by this much more than any other line of the band
# Share of the band's length the pieces on the chosen line run along: a rule runs along its table, found whole or
# in long pieces; a band of a faint look's character strokes (a phone photo's text read as pieces) has a line
# whose ink is all paper-edged only over a word or two.
LINE_RUNS_ALONG = 0.5


def onto_rule_lines(pieces: list[Rule], ink: np.ndarray, scale: float, dpi: float) -> list[Rule]:
    """The pieces with each band of stacked pieces put onto the one line of the band that the ink shows is a rule.

    A faint look joins a dotted rule's pieces and, a few points below it, the tops of the next record's
    characters (`merge_rules` snaps pieces 3 pt apart, chained): one band, placed at their mean, between the
    rule and the text, where no rule is (dev52 a06 p12: 268.2 for a rule at 262.5, record 7's first line read
    into record 6). What tells them apart is the ink along each line, over the paper beside it: a rule, solid
    or dotted, marks the blank stretches of its cells evenly; the tops of characters mark only where the
    characters stand, and there the paper beside them is not blank (`line_evidence`)."""
    out: list[Rule] = []
    for orient in ("h", "v"):
        for band in line_bands(pieces, orient, Tolerances().snap):
            out.extend(_onto_best_line(band, ink if orient == "h" else ink.T, scale, dpi))
    return out


def _stacked(band: list[Rule]) -> bool:
    """Pieces of the band lie over one another along it, further apart across it than a rule's width
    (a rule bent by a curl or a photo's lens runs on from one piece to the next)."""
    if max(p.pos for p in band) - min(p.pos for p in band) <= STACKED_SPREAD_PT:
        return False
    snap = Tolerances().snap
    return any(abs(a.pos - b.pos) > snap and min(a.end, b.end) > max(a.start, b.start)
               for i, a in enumerate(band) for b in band[i + 1:])


def _onto_best_line(band: list[Rule], ink: np.ndarray, scale: float, dpi: float) -> list[Rule]:
    """`band` put onto its piece line with the most evidence of a rule (rows of `ink` run along the band),
    where that evidence holds; as it was otherwise."""
    if len(band) < 2 or not _stacked(band):
        return band
    a, b = max(0, round(min(p.start for p in band) * scale)), round(max(p.end for p in band) * scale)
    lines = sorted({round(p.pos * scale) for p in band})
    evidence = {y: line_evidence(ink, y, a, b, dpi) for y in lines}
    best = max(lines, key=lambda y: evidence[y])
    apart = round(Tolerances().snap * scale)
    # A second line as plainly a rule further off than the snap (two rules, or a photo's noise as dense as
    # a rule's dots) leaves nothing to choose by.
    rivals = [y for y in lines if abs(y - best) > apart and evidence[y] > evidence[best] - LINE_MARGIN]
    if evidence[best] < LINE_EVIDENCE or rivals or _run_along(band, best / scale) < LINE_RUNS_ALONG:
        return band
    return [Rule(p.orient, best / scale, p.start, p.end) for p in band]


def _run_along(band: list[Rule], pos: float) -> float:
    """Share of the band's length that its pieces on the line at `pos` (within a rule's width) run along."""
    span = max(p.end for p in band) - min(p.start for p in band)
    on_line = sum(p.end - p.start for p in band if abs(p.pos - pos) <= RULE_WIDTH_PT)
    return on_line / span if span > 0 else 0.0


def line_evidence(ink: np.ndarray, y: int, a: int, b: int, dpi: float) -> float:
    """Share of the stretches of paper along row `y` of `ink` (from column a to b) that the row marks: a
    stretch a dotted rule's gap long is paper where the rows a rule's width above and below it hold no ink
    (a line of text's own strokes fill them); it is marked where the row (or one beside it) holds ink."""
    reach = max(2, round(RIDGE_REACH_PT * dpi / 72.0))
    step = max(3, 2 * round(GAP_INCH * dpi) - 1)
    if y - reach - 1 < 0 or y + reach + 2 > ink.shape[0] or b - a < step:
        return 0.0
    count = (b - a) // step
    b = a + count * step

    def inked(top: int, bottom: int) -> np.ndarray:
        along = np.asarray((ink[top:bottom, a:b] > 0).any(axis=0))
        return np.asarray(along.reshape(count, step).any(axis=1))

    paper = ~(inked(y - reach - 1, y - reach + 1) | inked(y + reach, y + reach + 2))
    marked = inked(y - 1, y + 2)
    return float(marked[paper].mean()) if paper.any() else 0.0
