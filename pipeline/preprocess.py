"""Clean-up of a scanned page: upright, deskewed, flattened, red seal ink split off.

Input is the page as stored (RGB or grey pixels).  Output `Cleaned` holds
- `colour`: upright and deskewed, otherwise untouched (what a person would look at);
- `print_layer`: grey, shadows and grey paper flattened, red ink removed (what OCR reads);
- `seal_mask`: red ink (255) for the seal stage, or None for a grey scan;
- the measured `rotation` (clockwise, as stored) and `skew_deg` (counter-clockwise positive).
All later boxes are in the frame of these corrected images.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import cv2
import numpy as np

from models.page import Line
from pipeline.components import components
from pipeline.ocr.orient import Orientation, char_size, detect_orientation, ink_mask, shrink

MAX_SKEW = 5.0
BLANK_INK = 0.0015  # a page with less ink than this fraction (after speck removal) is blank
# ... unless its ink gathers into a line of print: a box at least LINE_WIDTH_IN wide, inked at LINE_DENSITY
# or more, clear of the page's edges by EDGE_MARGIN of its size (a table's last row run over to a page
# of its own is print; a scanner's edge shadow or a speck of dust is not).
LINE_WIDTH_IN = 1.0
LINE_DENSITY = 0.08
EDGE_MARGIN = 0.03
# Levels at or above this share of the paper's brightness become white in the print layer: a scan's paper
# noise and show-through go, and so do the palest inks (a phone photo's faint rules, see `print_layer`).
PAPER_WHITE = 0.92
# The thickest rule of a photographed page, in points: a table's heaviest border (2.25 pt) blurred by a
# point or so; a band thicker than this is print run together (a line of text is 7 pt and more).
RULE_MAX_PT = 3.5
# A rule's flanks, FLANK_PX deep a pixel beyond it (half-size copy), are paper but where text or a crossing
# rule touches them; a run whose flanks are both inked for more than FLANK_INK of its length is print.
FLANK_PX = 2
FLANK_INK = 0.35
# A photographed seal (`photo_seal_lifted`): its redness (red over green and blue) from which a pixel is
# wholly seal ink, as `red_ink` takes it; the paper it is measured against lies in a ring this many px out
# from the ink, beyond this gap.
SEAL_PINK = 45.0
SEAL_RING_PX = 25
SEAL_GAP_PX = 9


@dataclass
class Cleaned:
    colour: np.ndarray
    print_layer: np.ndarray
    seal_mask: np.ndarray | None
    rotation: int
    skew_deg: float
    is_colour: bool
    is_blank: bool
    orientation_confidence: float = 0.0
    rules_px: list[Line] = field(default_factory=list)
    ocr_layer: np.ndarray | None = None  # print layer without its ruling lines: what OCR reads
    content_box_px: tuple[int, int, int, int] | None = None


def to_grey(image: np.ndarray) -> np.ndarray:
    return cv2.cvtColor(image, cv2.COLOR_RGB2GRAY) if image.ndim == 3 else image


def red_ink(rgb: np.ndarray) -> np.ndarray:
    """Mask (255) of red or pink seal ink: red well above both green and blue, not too dark.

    Black text under a seal stays out of the mask because all its channels are low.
    (Saturating uint8 OpenCV arithmetic: several times quicker than numpy int16 here.)
    """
    red, green, blue = cv2.split(rgb)
    redness = cv2.subtract(red, cv2.max(green, blue))
    mask = cv2.bitwise_and(
        cv2.threshold(redness, 45, 255, cv2.THRESH_BINARY)[1], cv2.threshold(red, 110, 255, cv2.THRESH_BINARY)[1]
    )
    return cv2.morphologyEx(mask, cv2.MORPH_OPEN, np.ones((2, 2), np.uint8))


def is_colour_page(rgb: np.ndarray) -> bool:
    """True when a noticeable number of pixels are clearly coloured (a grey scan saved as RGB is not)."""
    sample = cv2.resize(rgb, None, fx=0.25, fy=0.25, interpolation=cv2.INTER_NEAREST)  # a sparse sample will do
    # OpenCV's channel max and min: NumPy's reductions over the channel axis took ten times as long.
    red, green, blue = cv2.split(sample)
    spread = cv2.subtract(cv2.max(cv2.max(red, green), blue), cv2.min(cv2.min(red, green), blue))
    return int(np.count_nonzero(spread > 60)) / spread.size > 0.0005


def rotate_upright(image: np.ndarray, rotation: int) -> np.ndarray:
    """Undo a clockwise storage turn of `rotation` degrees."""
    turns = {90: cv2.ROTATE_90_COUNTERCLOCKWISE, 180: cv2.ROTATE_180, 270: cv2.ROTATE_90_CLOCKWISE}
    return cv2.rotate(image, turns[rotation]) if rotation in turns else image


def estimate_skew(grey: np.ndarray) -> float:
    """Residual skew in degrees (counter-clockwise positive) of an upright page, within ±5°.

    Maximises the sharpness of the row profile of the ink over candidate angles: text lines
    give the sharpest profile when level.  The ink pixels' coordinates are projected rather
    than the image turned, which makes a candidate angle cost one bincount.  Coarse 0.5°
    steps, then 0.05° around the best.
    """
    small, _ = shrink(grey, 1000)
    ys, xs = np.nonzero(ink_mask(small))
    if len(ys) < 200 or len(ys) > 0.4 * small.size:
        return 0.0
    step = max(1, len(ys) // 60000)
    xs = xs[::step].astype(np.float64) - small.shape[1] / 2
    ys = ys[::step].astype(np.float64) - small.shape[0] / 2
    span = int(np.hypot(*small.shape)) + 2

    def sharpness(angle: float) -> float:
        # Row of each ink pixel once the page is turned counter-clockwise by `angle`.
        theta = np.deg2rad(angle)
        rows = np.round(ys * np.cos(theta) - xs * np.sin(theta)).astype(np.int64) + span // 2
        profile = np.bincount(rows, minlength=span).astype(np.float64)
        return float(np.square(np.diff(profile)).sum())

    coarse = np.arange(-MAX_SKEW, MAX_SKEW + 0.01, 0.5)
    best = max(coarse, key=sharpness)
    fine = np.arange(best - 0.5, best + 0.501, 0.05)
    best = max(fine, key=sharpness)
    # Turning by `best` levels the lines, so the page itself is skewed by the opposite angle.
    return round(-float(best), 2)


def deskew(image: np.ndarray, skew_deg: float) -> np.ndarray:
    """Turn the page clockwise by `skew_deg` (its counter-clockwise skew)."""
    if abs(skew_deg) < 0.05:
        return image
    height, width = image.shape[:2]
    matrix = cv2.getRotationMatrix2D((width / 2, height / 2), -skew_deg, 1.0)
    # Replicated borders, not white: a white wedge on grey paper would read as a shadow edge.
    return cv2.warpAffine(image, matrix, (width, height), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)


def flatten(grey: np.ndarray, white: float = PAPER_WHITE) -> np.ndarray:
    """Divide by the estimated paper brightness (`paper_divided`), then stretch the levels so `white` of
    the paper's brightness is white and the darkest ink black (one lookup table): removes fold shadows and
    grey paper."""
    return stretched(paper_divided(grey), white)


def stretched(flat: np.ndarray, white: float = PAPER_WHITE) -> np.ndarray:
    """`flatten`'s levels stretch of a page already divided by its paper (`paper_divided`)."""
    # The darkest 0.5% is ink on a written page; on a blank page it is noise or a shadow's
    # remains, which must not be stretched into black: nothing above 45% of paper is ink.
    ink_level = min(float(np.percentile(flat[::3, ::3], 0.5)) / 255.0, 0.45)
    levels = (np.arange(256, dtype=np.float32) / 255.0 - ink_level) / max(1e-3, white - ink_level)
    return cv2.LUT(flat, np.clip(levels * 255.0, 0, 255).astype(np.uint8))


def paper_divided(grey: np.ndarray) -> np.ndarray:
    """The page divided by its paper's brightness (paper ~255, saturating uint8).

    The background is the page with its ink closed away (a grey closing wider than a
    character, which keeps wider valleys such as a fold shadow), estimated on a small
    copy because shadows vary slowly.
    """
    small, _ = shrink(grey, 600)
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (11, 11))
    background = cv2.morphologyEx(small, cv2.MORPH_CLOSE, kernel)
    background = cv2.medianBlur(background, 5)
    background = cv2.resize(background, grey.shape[::-1], interpolation=cv2.INTER_LINEAR)
    return cv2.divide(grey, np.maximum(background, 1), scale=255)


def print_layer(rgb: np.ndarray | None, grey: np.ndarray, seal: np.ndarray | None,
                white: float = PAPER_WHITE) -> np.ndarray:
    """Grey page for OCR with red ink lifted out (`seal_lifted`), flattened.

    With `white` = 1.0 nothing paler than the paper's own level is whitened: a phone photo's
    0.75 pt rules, 5-15% below the paper, stay for the faint-rule finder (`tables.pixels`).
    """
    return flatten(seal_lifted(rgb, grey, seal), white)


def seal_lifted(rgb: np.ndarray | None, grey: np.ndarray, seal: np.ndarray | None) -> np.ndarray:
    """The grey page with the red channel in place of grey under the (slightly grown) seal mask: red ink
    is bright in red, black print is dark in every channel, so print under a seal survives."""
    if rgb is None or seal is None or not seal.any():
        return grey
    grown = cv2.dilate(seal, np.ones((3, 3), np.uint8))
    base = grey.copy()
    cv2.copyTo(np.ascontiguousarray(rgb[..., 0]), grown, base)
    return base


def photo_seal_lifted(rgb: np.ndarray | None, grey: np.ndarray, seal: np.ndarray | None) -> np.ndarray:
    """`seal_lifted` for a photographed page: on a photo the seal's red ink is darker in red than the paper
    is in grey (the camera's light and white balance: red ~205 on paper ~240, dev32 a02), and its blurred,
    chroma-subsampled edges are pink short of the mask's redness. Copied as it is, the red channel leaves the
    seal a grey ring over the print (the applicant's name under its seal read '绍兴新委值息技本看限公司').
    So the red channel is scaled by the paper's grey over the seal ink's red (never darkened), and blended in
    by each pixel's redness (wholly within the grown mask, partly on the pink edges beyond it)."""
    if rgb is None or seal is None or not seal.any():
        return grey
    red = rgb[..., 0]
    redness = cv2.subtract(red, cv2.max(rgb[..., 1], rgb[..., 2]))
    grown = cv2.dilate(seal, np.ones((3, 3), np.uint8))
    # The paper just beyond the seal (a ring a few pixels out, not reddish) against the seal ink's red.
    ring = cv2.dilate(seal, np.ones((SEAL_RING_PX, SEAL_RING_PX), np.uint8))
    ring[cv2.dilate(seal, np.ones((SEAL_GAP_PX, SEAL_GAP_PX), np.uint8)) > 0] = 0
    ring[redness >= SEAL_PINK / 2] = 0
    paper = float(np.percentile(grey[ring > 0], 75)) if cv2.countNonZero(ring) >= 50 else 255.0
    ink = float(np.median(red[seal > 0]))  # the ink as laid: its blurred edges are paler
    gain = max(1.0, paper / max(ink, 1.0))
    weight = redness.astype(np.float32)
    np.minimum(np.divide(weight, SEAL_PINK, out=weight), 1.0, out=weight)
    weight[grown > 0] = 1.0
    # Not only near the mask: a blurred seal's lettering may be pink short of the mask's redness all over; a
    # yellowish paper's slight redness lightens only paper, which the division by the paper evens again.
    # (1 - weight) * grey + weight * min(red * gain, 255), rounded: each float32 operation as written, worked
    # in place in two page-sized arrays instead of a fresh one per operation.
    lifted = np.subtract(1.0, weight)
    np.multiply(lifted, grey, out=lifted)
    scaled = red.astype(np.float32)
    np.minimum(np.multiply(scaled, gain, out=scaled), 255.0, out=scaled)
    np.add(lifted, np.multiply(weight, scaled, out=scaled), out=lifted)
    return np.clip(np.add(lifted, 0.5, out=lifted), 0, 255, out=lifted).astype(np.uint8)


def gathers_into_a_line(ink: float, box: tuple[int, int, int, int] | None, shape: tuple[int, ...],
                        dpi: float) -> bool:
    """Whether a page's little ink (`ink_stats` of an image of `shape` at `dpi`) is a line of print."""
    if box is None or ink <= 0:
        return False
    x0, y0, x1, y1 = box
    height, width = shape[:2]
    if x1 - x0 < LINE_WIDTH_IN * dpi:
        return False
    if min(x0, width - x1) < EDGE_MARGIN * width or min(y0, height - y1) < EDGE_MARGIN * height:
        return False
    return ink * height * width / max(1, (x1 - x0) * (y1 - y0)) >= LINE_DENSITY


def ink_stats(flat: np.ndarray) -> tuple[float, tuple[int, int, int, int] | None]:
    """Ink fraction after removing specks, and the bounding box of the remaining ink."""
    binary = (flat < 128).astype(np.uint8)
    count, _, stats = components(binary, 8)
    min_area = max(4, round(flat.shape[0] * flat.shape[1] * 2e-6))
    keep = [s for s in stats[1:count] if s[4] >= min_area]
    if not keep:
        return 0.0, None
    area = sum(int(s[4]) for s in keep)
    x0 = min(int(s[0]) for s in keep)
    y0 = min(int(s[1]) for s in keep)
    x1 = max(int(s[0] + s[2]) for s in keep)
    y1 = max(int(s[1] + s[3]) for s in keep)
    return area / binary.size, (x0, y0, x1, y1)


def find_rules(flat: np.ndarray, dpi: float, max_thickness_px: float | None = None) -> tuple[np.ndarray, list[Line]]:
    """Rule pixels (255) and rules (px) longer than half an inch, by morphological opening.

    Horizontal and vertical rules are opened separately, so a table grid gives one line
    per stretch of border rather than one blob.  Shorter limits catch the borders of
    single-line rows but also the long strokes of 24 pt titles (measured: worse OCR).

    With `max_thickness_px`, a run thicker than that is no rule but print blurred into a band (a photo's
    line of text at ~75 dpi effective runs together over half an inch): left out of the rules and the mask.
    """
    binary = cv2.threshold(flat, 159, 255, cv2.THRESH_BINARY_INV)[1]
    mask = np.zeros_like(binary)
    found: list[Line] = []
    length = max(8, round(0.5 * dpi))
    for horizontal in (True, False):
        kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (length, 1) if horizontal else (1, length))
        opened = cv2.morphologyEx(binary, cv2.MORPH_OPEN, kernel)
        count, labels, stats = components(opened, 8)
        if max_thickness_px is not None:
            thick = [i for i in range(1, count) if stats[i][3 if horizontal else 2] > max_thickness_px
                     or _inked_both_sides(binary, stats[i], horizontal)]
            if thick:
                opened[np.isin(labels, thick)] = 0
                keep = np.ones(count, dtype=bool)
                keep[thick] = False
                stats = stats[keep]
                count = len(stats)
        mask = cv2.bitwise_or(mask, opened)
        for x, y, w, h, _ in stats[1:count]:
            if horizontal:
                found.append(Line(float(x), float(y + h / 2), float(x + w), float(y + h / 2)))
            else:
                found.append(Line(float(x + w / 2), float(y), float(x + w / 2), float(y + h)))
    return mask, found


def _inked_both_sides(binary: np.ndarray, stat: np.ndarray, horizontal: bool) -> bool:
    """The run has ink along both its flanks (a pixel beyond it, two deep): it lies inside print, the
    strokes of a bold heading's characters blurred into one long line (dev36 a01's photographed
    '（一）基础条件' lost to a rule's mask), not a rule with paper on at least one side of it."""
    x, y, w, h = (int(v) for v in stat[:4])
    if not horizontal:
        return _inked_both_sides(binary.T, np.array([y, x, h, w]), True)
    before = binary[max(0, y - 1 - FLANK_PX):max(0, y - 1), x:x + w]
    after = binary[y + h + 1:y + h + 1 + FLANK_PX, x:x + w]
    if before.size == 0 or after.size == 0:
        return False
    return min(float(np.count_nonzero(before)) / before.size, float(np.count_nonzero(after)) / after.size) > FLANK_INK


def min_pool(image: np.ndarray) -> np.ndarray:
    """Half-size copy keeping the darkest of each 2x2 block: thin rules and specks survive."""
    return cv2.erode(image, np.ones((2, 2), np.uint8))[::2, ::2]


def _scaled(line: Line, k: float) -> Line:
    return Line(line.x0 * k, line.top * k, line.x1 * k, line.bottom * k)


def clean_page(
    image: np.ndarray, dpi: float, orientation: Orientation | None = None, straighten: bool = True,
    photographed: bool = False,
) -> Cleaned:
    """The whole clean-up for one stored page.

    `orientation` overrides our detector when given.  `straighten=False` keeps the page's
    own frame (no turn, no deskew): a page whose text layer is read too must keep the
    frame of that layer's coordinates.  Decisions (orientation, skew, blank, rules) are
    taken on reduced copies; only the final images are made at full resolution.

    A `photographed` page (rectified from a photo) is read by OCR with its levels as they were, only
    divided by its paper: its print is soft (a few pixels of blur at an effective 80-150 dpi), and the
    print layer's stretch, which whitens what is near the paper's level and amplifies the paper's grain
    with the ink, takes the soft strokes' edges and faint strokes inside characters with it (dev30 r14's
    letter read as nothing; with the paper's own levels the recogniser reads its units). Stretched with
    no whitening (white 1.0) was worse than either: the grain amplified, a member list was lost.
    """
    rgb = image if image.ndim == 3 else None
    colour = rgb is not None and is_colour_page(rgb)
    small = flatten(shrink(to_grey(image), 1100)[0])
    found = Orientation(0, 0.0) if not straighten else orientation or detect_orientation(small)
    skew = estimate_skew(rotate_upright(small, found.rotation)) if straighten else 0.0
    straight = deskew(rotate_upright(image, found.rotation), skew)
    seal = red_ink(straight) if colour and straight.ndim == 3 else None
    grey = to_grey(straight)
    lifted = seal_lifted(straight if colour else None, grey, seal)
    divided = paper_divided(lifted)
    layer = stretched(divided)
    half = min_pool(layer)
    ink, half_box = ink_stats(half)
    box = (2 * half_box[0], 2 * half_box[1], 2 * half_box[2], 2 * half_box[3]) if half_box else None
    blank = (ink < BLANK_INK and (seal is None or not seal.any())
             and not gathers_into_a_line(ink, half_box, half.shape, dpi / 2))
    rules: list[Line] = []
    ocr_layer = _photo_ocr_layer(straight if colour else None, grey, seal, lifted, divided) if photographed else layer
    if not blank:
        # A photo's rule is a line a few points thick at most; its blurred print can run into bands as long.
        thickest = RULE_MAX_PT * dpi / 2 / 72.0 if photographed else None
        half_mask, half_rules = find_rules(half, dpi / 2, thickest)
        rules = [_scaled(line, 2.0) for line in half_rules]
        # Rules are lifted out of what OCR reads: Tesseract reads them as "|" and lets them
        # split or merge its text blocks; the print layer keeps them for the table stage.
        mask = cv2.resize(half_mask, layer.shape[::-1], interpolation=cv2.INTER_NEAREST)
        ocr_layer = ocr_layer.copy()
        ocr_layer[cv2.dilate(mask, np.ones((3, 3), np.uint8)) > 0] = 255
    return Cleaned(
        colour=straight,
        print_layer=layer,
        seal_mask=seal if seal is not None and seal.any() else None,
        rotation=found.rotation,
        skew_deg=skew,
        is_colour=colour,
        is_blank=blank,
        orientation_confidence=found.confidence,
        rules_px=rules,
        content_box_px=box,
        ocr_layer=ocr_layer,
    )


def _photo_ocr_layer(rgb: np.ndarray | None, grey: np.ndarray, seal: np.ndarray | None, lifted: np.ndarray,
                     divided: np.ndarray) -> np.ndarray:
    """What OCR reads of a photographed page: `photo_seal_lifted` divided by its paper. Without seal ink to lift
    both liftings hand back the grey page itself, so the print layer's division (`divided`, of `lifted`) is it:
    not worked out twice."""
    source = photo_seal_lifted(rgb, grey, seal)
    return divided if source is lifted else paper_divided(source)


__all__ = ["Cleaned", "char_size", "clean_page", "deskew", "estimate_skew", "flatten", "red_ink", "rotate_upright"]
