"""Ink separation: which pixels are seal red, which are pen ink, and what the paper is.

Thresholds are in terms of chroma (how far red stands above the other two
channels) and hue rather than raw RGB, so the same rule holds for bright,
faded-pink and dark-red ink and for scanners with different white points.
"""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np

# Hue (OpenCV 0..180) of seal ink: magenta-pink through red to vermilion.
# 0..16 is 0..32 degrees (vermilion 朱红 seal paste, orange when faded), 160..180 is
# 320..360 degrees (crimson, pink). Yellowed paper and brown shadows have a similar
# hue but too little chroma.
RED_HUE_LOW = 16
RED_HUE_HIGH = 160
# Chroma R - max(G, B) a seal pixel needs: low enough for faded pink ink, high
# enough that scanner colour fringes round black print and a warm paper tint
# (both well under 20) stay out.
MIN_RED_CHROMA = 26
MIN_RED_SATURATION = 0.1
# Blue pen: hue 100..135 degrees*2 in OpenCV terms, with some saturation.
BLUE_HUE = (95, 135)


def load_colour(path: Path) -> np.ndarray | None:
    """The page as BGR uint8 (grey pages come back with three equal channels), None if unreadable."""
    image = cv2.imread(str(path), cv2.IMREAD_UNCHANGED)
    return None if image is None else as_bgr(image)


def as_bgr(image: np.ndarray) -> np.ndarray:
    """An image as read (`cv2.IMREAD_UNCHANGED`: grey, BGR or BGRA) as BGR uint8."""
    if image.ndim == 2:
        return cv2.cvtColor(image, cv2.COLOR_GRAY2BGR)
    if image.shape[2] == 4:
        return _flatten_alpha(image)
    return image


def _flatten_alpha(bgra: np.ndarray) -> np.ndarray:
    """Composite an image with transparency onto white paper (electronic seals are PNGs with alpha)."""
    alpha = bgra[..., 3:4].astype(np.float32) / 255.0
    bgr = bgra[..., :3].astype(np.float32)
    return (bgr * alpha + 255.0 * (1.0 - alpha)).round().astype(np.uint8)


GREY_SPREAD = 18.0  # channel spread (99.9th percentile, quarter size) below which a page carries no colour


def is_grey(bgr: np.ndarray) -> bool:
    """True when the image carries no usable colour (a greyscale scan saved as RGB)."""
    if _spread(bgr).max(initial=0) <= GREY_SPREAD - 2:
        # Quartered, each channel is a weighted mean of its pixels, rounded: two channels' means differ by
        # at most the pixels' largest difference, and rounding adds less than one. No quartered pixel then
        # reaches GREY_SPREAD, whatever the percentile: the same answer without the quartering.
        return True
    small = cv2.resize(bgr, (max(1, bgr.shape[1] // 4), max(1, bgr.shape[0] // 4)), interpolation=cv2.INTER_AREA)
    # A colour scan has at least some strongly coloured pixels (seal, logo, pen);
    # a grey one only noise-level channel differences.
    return float(np.percentile(_spread(small), 99.9)) < GREY_SPREAD


def _spread(bgr: np.ndarray) -> np.ndarray:
    """Each pixel's largest channel minus its smallest (uint8)."""
    b, g, r = cv2.split(bgr)  # OpenCV's channel max and min: NumPy's reductions over 3 channels took as long again
    return cv2.subtract(cv2.max(cv2.max(b, g), r), cv2.min(cv2.min(b, g), r))


def red_mask(bgr: np.ndarray, min_chroma: int = MIN_RED_CHROMA) -> np.ndarray:
    """Seal-red pixels as a 0/255 mask: red hue, some saturation and a red chroma of `min_chroma`."""
    hue, sat, _ = cv2.split(cv2.cvtColor(bgr, cv2.COLOR_BGR2HSV))
    b, g, r = cv2.split(bgr)
    # R - max(G, B) in bytes, negatives held at 0 (OpenCV's saturating subtraction): the same test for a
    # positive `min_chroma`, without widening every channel to 16 bits.
    chroma = cv2.subtract(r, cv2.max(g, b)) if min_chroma > 0 else r.astype(np.int16) - np.maximum(g, b)
    red_hue = (hue <= RED_HUE_LOW) | (hue >= RED_HUE_HIGH)
    mask = red_hue & (chroma >= min_chroma) & (sat >= MIN_RED_SATURATION * 255)
    return mask.astype(np.uint8) * 255


# Pale seal ink: half `MIN_RED_CHROMA`, kept only within SEAL_REACH_MM of clear seal red (`seal_red_mask`).
PALE_RED_CHROMA = MIN_RED_CHROMA // 2
SEAL_REACH_MM = 12.0


def seal_red_mask(bgr: np.ndarray, px_per_mm: float, clear: np.ndarray | None = None, lift: int = 0) -> np.ndarray:
    """Seal-red pixels (0/255): clear red (`clear`, else `red_mask`), and pale red near it.

    A pale (faded or lightly inked) seal keeps its ring above `MIN_RED_CHROMA` but its thin
    lettering falls below it, and a ring with nothing inside is not taken for a seal. Its lettering is
    still red at half that chroma. So is a colour fringe round black print, but such fringes are
    scattered over every page of print, not gathered round a ring: pale red counts only within a
    seal's reach of clear red (hysteresis). `lift` (`paper_lift`) raises both tests above a tinted paper.
    """
    clear = red_mask(bgr, MIN_RED_CHROMA + lift) if clear is None else clear
    if not cv2.countNonZero(clear):
        return clear
    reach = max(3, round(SEAL_REACH_MM * px_per_mm)) | 1
    near = cv2.dilate(clear, cv2.getStructuringElement(cv2.MORPH_RECT, (reach, reach)))
    return cv2.bitwise_or(clear, cv2.bitwise_and(red_mask(bgr, PALE_RED_CHROMA + lift), near))


def red_strength(bgr: np.ndarray) -> np.ndarray:
    """How strongly each pixel shows seal red, 0..255 (continuous, for reading the seal's text).

    A binary mask loses the thin, anti-aliased strokes of seal characters; the
    red chroma keeps them, and black print crossing the seal has no chroma, so
    it drops out. Scaled so the seal's strong ink (its 90th percentile) is 255.
    """
    b, g, r = (bgr[..., i].astype(np.float32) for i in range(3))
    chroma = np.clip(r - np.maximum(g, b), 0.0, None)
    hsv = cv2.cvtColor(bgr, cv2.COLOR_BGR2HSV)
    chroma[(hsv[..., 0] > RED_HUE_LOW + 5) & (hsv[..., 0] < RED_HUE_HIGH - 5)] = 0.0  # orange, green, blue
    strong = chroma[chroma >= MIN_RED_CHROMA]
    top = float(np.percentile(strong, 90)) if strong.size else 255.0
    return np.clip(chroma * (255.0 / max(top, MIN_RED_CHROMA)), 0, 255).astype(np.uint8)


def pen_mask(bgr: np.ndarray, red: np.ndarray | None = None) -> np.ndarray:
    """Pen-ink pixels (dark or blue, not seal red) as a 0/255 mask.

    Black print is included too: telling a signature from print is the
    caller's job (by where the pixels are and how the strokes look).
    """
    grey = cv2.cvtColor(bgr, cv2.COLOR_BGR2GRAY)
    paper = paper_level(grey)
    dark = grey < paper - max(60, (paper - 40) // 2)
    hsv = cv2.cvtColor(bgr, cv2.COLOR_BGR2HSV)
    b, g, r = (bgr[..., i].astype(np.int16) for i in range(3))
    blue = (hsv[..., 0] >= BLUE_HUE[0]) & (hsv[..., 0] <= BLUE_HUE[1]) & (b - np.maximum(r, g) >= 25)
    mask = (dark | blue).astype(np.uint8) * 255
    if red is not None:
        # Seal ink over a signature stays out; the black pen under it shows as dark anyway.
        mask[cv2.dilate(red, np.ones((3, 3), np.uint8)) > 0] = 0
    return mask


def blue_fraction(bgr: np.ndarray, mask: np.ndarray) -> float:
    """Share of the masked pixels whose colour is pen blue (print is never blue on this form)."""
    count = int(np.count_nonzero(mask))
    if count == 0:
        return 0.0
    hsv = cv2.cvtColor(bgr, cv2.COLOR_BGR2HSV)
    b, g, r = (bgr[..., i].astype(np.int16) for i in range(3))
    blue = (hsv[..., 0] >= BLUE_HUE[0]) & (hsv[..., 0] <= BLUE_HUE[1]) & (b - np.maximum(r, g) >= 20)
    return float(np.count_nonzero(blue & (mask > 0))) / count


def paper_level(grey: np.ndarray) -> int:
    """The paper's grey level: a high percentile, robust to print density and to dark margins."""
    return int(np.percentile(grey[:: 4, :: 4], 90))


# Paper pixels for its tint: this close to the paper's grey level.
PAPER_TINT_BAND = 15


def paper_tint(bgr: np.ndarray) -> float:
    """The red chroma (R - max(G, B)) of the paper itself round a seal: 0 on a neutral scan, 10-25 where a
    phone photo's white balance or a scanner profile left the paper pinkish or beige. Such a paper is no
    seal ink, yet it passes any fixed chroma test, so the seal's ink maps count red above it only."""
    grey = cv2.cvtColor(bgr, cv2.COLOR_BGR2GRAY)
    paper = grey >= paper_level(grey) - PAPER_TINT_BAND
    if not paper.any():
        return 0.0
    b, g, r = cv2.split(bgr)
    return float(np.median(cv2.subtract(r, cv2.max(g, b))[paper]))


def paper_lift(bgr: np.ndarray) -> int:
    """How far the seal-red tests must rise above this image's paper: its tint (`paper_tint`) where the
    paper itself passes the clear red test, else 0. A scanner profile's pink paper (tint 30 and more) is
    seal red to every fixed test, and the whole page one red blob no ring is found in. A phone photo's
    warm white balance (tint 10-25) keeps the fixed tests: its paper fails the clear test, and pale red
    counts only near clear red; raised there, its faded seals' rings were lost (dev36's seal text 0.925 ->
    0.896 with the lift from the pale test's level)."""
    tint = paper_tint(bgr)
    return round(tint) if tint >= MIN_RED_CHROMA else 0


def colour_seal_ink(bgr: np.ndarray, tone: float, tint: float = 0.0) -> np.ndarray:
    """Seal ink strength (0..255) round one seal of a colour page, for reading its characters.

    Scanners and JPEG keep colour at half the resolution of brightness, so a
    thin stroke's redness is smeared and weak while its darkness is sharp.
    So the stroke shape comes from the darkness, in the seal's own tone band
    (`tone`: its ring's grey level; this also drops black print crossing the
    seal), wherever the blurred chroma says the area is red: redder than the
    paper's own `tint` (`paper_tint`; on a tinted photo the gate otherwise stood
    open over the whole patch, and print in the seal's tone read with it).
    """
    b, g, r = (bgr[..., i].astype(np.float32) for i in range(3))
    chroma = cv2.GaussianBlur(np.clip(r - np.maximum(g, b), 0.0, None), (0, 0), 2.0)
    gate = np.clip((chroma - tint - 4.0) / 12.0, 0.0, 1.0)
    tone_ink = grey_seal_ink(cv2.cvtColor(bgr, cv2.COLOR_BGR2GRAY), tone)
    return (tone_ink.astype(np.float32) * gate).astype(np.uint8)


def grey_seal_ink(grey: np.ndarray, tone: float, print_margin_px: int = 1) -> np.ndarray:
    """Seal ink strength (0..255) of a grey page round one seal: the ring's grey `tone`, not print's black.

    Red ink scans mid-grey and black print near black, so ink is weighted by
    how close it is to the seal's tone. Print is dropped with `print_margin_px`
    of margin, because its anti-aliased edges share the seal's tone (a faint
    seal over a line of text needs a wider margin than a strong one: the
    caller tries both); the paper's grain (a weak response) is dropped too.
    """
    paper = float(paper_level(grey))
    if tone <= 0:
        tone = paper - 80.0
    level = grey.astype(np.float32)
    depth = max(20.0, paper - tone)
    # 0 at paper, 1 at the seal's tone, back to 0 for ink much darker than the seal (print).
    strength = np.clip((paper - level) / depth, 0.0, 1.0)
    darker = np.clip((tone - level) / max(20.0, 0.6 * tone), 0.0, 1.0)
    strength *= 1.0 - darker
    print_core = (level < tone - max(25.0, 0.35 * depth)).astype(np.uint8)
    reach = 2 * max(1, print_margin_px) + 1
    strength[cv2.dilate(print_core, np.ones((reach, reach), np.uint8)) > 0] = 0.0
    strength[strength < 0.25] = 0.0
    return (strength * 255).astype(np.uint8)


# A 1-bit scan: nearly every pixel black or white (a grey scan's anti-aliasing leaves many between).
BILEVEL_SHARE = 0.97


def is_bilevel(grey: np.ndarray) -> bool:
    """True for a black-and-white (dithered or thresholded) image: no tones to tell seal from print by."""
    sample = grey[::2, ::2]
    extreme = np.count_nonzero((sample <= 40) | (sample >= 215))
    return bool(extreme >= BILEVEL_SHARE * sample.size)


# Of the pixels darker than paper, at most this share mid-grey on a 1-bit capture (its edges only,
# resampled): a grey scan's are nearly all mid-grey (paper noise, anti-aliasing, a seal's tone).
ONE_BIT_MID_SHARE = 0.8


# A page dense with print, captured in 1 bit and resampled, has grey edges round every stroke: fewer than
# BILEVEL_SHARE of its pixels are extreme, but its ink is still mostly black (a fax's plan and table pages:
# at most ~0.65 mid-grey), where a grey scan's dense print is mostly mid-grey (0.8 and more). And its
# mid-grey is those edges alone, a pixel wide: at most DENSE_ONE_BIT_MID_CORE of it has mid-grey all round
# (a fax's pages ~0.03 at most), where a grey scan's anti-aliased strokes and seal tones have areas of it
# (0.05 and more, even on a grey page of crisp black print).
DENSE_ONE_BIT_MID_SHARE = 0.7
DENSE_ONE_BIT_MID_CORE = 0.035


def is_one_bit(grey: np.ndarray, whole_page: bool = False) -> bool:
    """A 1-bit capture (fax, threshold, dither), told apart from a grey scan of a mostly white page, which
    `is_bilevel` alone takes for one: on a 1-bit page what is not paper is mostly black.

    `whole_page`: `grey` is a page, which may also be a 1-bit page dense with print (`DENSE_ONE_BIT_MID_SHARE`);
    those shares were measured on whole pages, and a patch round a seal is mostly the seal's own ink."""
    sample = grey[::2, ::2]
    inked = sample < 215
    mid = int(np.count_nonzero(inked & (sample > 40))) / max(1, int(np.count_nonzero(inked)))
    if is_bilevel(grey):
        return mid <= ONE_BIT_MID_SHARE
    return whole_page and mid <= DENSE_ONE_BIT_MID_SHARE and _mid_grey_core(grey) <= DENSE_ONE_BIT_MID_CORE


# A dithered capture's paper: dark dots per paper pixel round a seal (`dithered`). Measured round the seals of the dev
# sets' pages, deskewed and stored as the reading stores them (JPEG): 0.006-0.030 on dither scans, 0.0007-0.0024 on
# fax (thresholded) ones, at most 0.0006 on grey scans and the samples' grey pages (their noise never dark).
DITHER_PAPER_DOTS = 0.0025
# Paper, for `dithered`: its 3-pixel blur this close to the paper's level; a dot: this much darker than paper.
DITHER_PAPER_BAND = 25
DITHER_DOT_DEPTH = 80


def dithered(grey: np.ndarray) -> bool:
    """Whether a patch was dithered to 1 bit: the paper itself, light grey to a dither scanner, is sown with
    lone dark dots, where a grey scan's paper noise is never dark. A dither scan deskewed or resampled to the
    reading's dpi spreads every dot over grey neighbours, and then neither `is_bilevel` (8% of a seal's patch at
    100-150 on dev30 a06, a 150 dpi dither scan) nor the page's mid-grey share (0.81 once deskewed) says it is
    1-bit, though its lettering is still dots to be blurred back into strokes (`dedither`)."""
    level = grey.astype(np.float32)
    paper = float(paper_level(grey))
    light = cv2.GaussianBlur(level, (0, 0), 3.0) > paper - DITHER_PAPER_BAND
    count = int(np.count_nonzero(light))
    if not count:
        return False
    return int(np.count_nonzero(light & (level < paper - DITHER_DOT_DEPTH))) >= DITHER_PAPER_DOTS * count


def _mid_grey_core(grey: np.ndarray) -> float:
    """The share of a page's mid-grey pixels (between print and paper) with mid-grey all round them."""
    mid = ((grey > 40) & (grey < 215)).astype(np.uint8)
    count = cv2.countNonZero(mid)
    return cv2.countNonZero(cv2.erode(mid, np.ones((3, 3), np.uint8))) / count if count else 0.0


# Blur (sigma, mm) that turns a dithered seal's dots into tones: enough to read its characters by; a
# detector looking for the ring of a fax's broken stipple wants twice as much (DETECT_DEDITHER_MM).
READ_DEDITHER_MM = 0.17
DETECT_DEDITHER_MM = 0.35


def dedither(grey: np.ndarray, px_per_mm: float, sigma_mm: float = READ_DEDITHER_MM) -> np.ndarray:
    """A 1-bit scan's tones back: a blur over a fraction of a millimetre turns a dithered seal's dots
    into its grey, while print (solid black strokes) stays dark."""
    sigma = max(0.8, sigma_mm * px_per_mm)
    return cv2.GaussianBlur(grey, (0, 0), sigma)
