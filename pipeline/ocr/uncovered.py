"""Print the page reading missed: lines of ink no word covers, read again as blocks.

On a photographed page the detector (which reads a copy reduced to `DET_LIMIT` px) misses print two ways:
small print of a page photographed from afar is lost outright (dev7 a03 p3: the form's counts '2个', '8个'
beside their labels), and two lines of a wrapped label set tightly are taken as one tall box, whose
recognition is garbage and is dropped (the member label '联合体其他成员单' · '位名称与类型（不': the
consortium's members lost with it). A block read of such a region alone enlarges it for the detector and
finds its lines. Only ink shaped like print counts: at least a character and a half long, between about
half a line and four lines tall, not a thin rule's dashes; what it reads is kept only where it reads surely.
"""

from __future__ import annotations

from collections.abc import Sequence

import cv2
import numpy as np

from models.page import Word
from pipeline.components import components
from pipeline.ocr.base import OcrEngine

INK_LEVEL = 200  # grey level below which a pixel of the print layer (paper stretched to 255) is ink: a photo's small print is pale
GLYPH_SHARE = 0.6  # a character's height in a word box's: the recogniser's boxes hold the line's leading
MIN_WORDS = 2  # words needed to know the page's character height
MIN_LENGTH_CHARS = 1.5  # a region shorter than this (a lone stroke, a word's cut-off edge) is not read
MIN_HEIGHT_CHARS, MAX_HEIGHT_CHARS = 0.6, 4.0  # print, from half a line to a wrapped label of four lines
MIN_FILL, MAX_FILL = 0.06, 0.6  # ink share of a region's box: dashes are sparser, blotches denser
THIN_CHARS = 0.3  # an ink piece thinner than this share of a character and twice as long is a rule's
FRAME_CHARS = 1.5  # an ink piece wider and taller than this, and sparse, is rules round cells, not print
MAX_REGIONS = 8  # regions read again per page, longest first: each costs a block read
MIN_CONFIDENCE = 0.8  # a block reading kept: the region may be a stroke, a signature or a seal's letters


def read_uncovered(engine: OcrEngine, image: np.ndarray, words: Sequence[Word], dpi: float,
                   seal_mask: np.ndarray | None = None) -> list[Word]:
    """Words read from the regions of `image` (grey print layer, paper white) that look like print and
    that none of `words` (boxes in points) covers; none where the page has too few words to size print.

    Regions a seal's ink (`seal_mask`, white = ink) touches are left alone: print under a seal that the page
    could not read is read short on its own too ('794.1' under a ring read '79'), and the table stage reads
    such cells with what it knows of seals."""
    scale = dpi / 72.0
    heights = sorted((w.bbox[3] - w.bbox[1]) * scale for w in words if w.text.strip())
    if len(heights) < MIN_WORDS:
        return []
    char = GLYPH_SHARE * heights[len(heights) // 2]
    found: list[Word] = []
    for box in uncovered_regions(image, words, scale, char):
        if seal_mask is not None and seal_mask[box[1]:box[3], box[0]:box[2]].any():
            continue
        found += [w for w in engine.read_region(image, box, dpi=dpi, mode="block")
                  if w.confidence >= MIN_CONFIDENCE and w.text.strip() and not _covered(w, [*words, *found])
                  and not _beside_a_word(w, words)]
    return found


def uncovered_regions(image: np.ndarray, words: Sequence[Word], scale: float,
                      char: float) -> list[tuple[int, int, int, int]]:
    """Boxes (px, padded) of print-shaped ink no word covers, longest first, at most MAX_REGIONS."""
    ink = (image < INK_LEVEL).astype(np.uint8)
    pad = max(1, round(0.2 * char))
    for word in words:
        x0, y0, x1, y1 = (round(v * scale) for v in word.bbox)
        ink[max(0, y0 - pad):y1 + pad, max(0, x0 - pad):x1 + pad] = 0
    ink = _without_strokes_of_rules(ink, char)
    # Characters of a line join along it; the lines of one label join down it.
    joined = cv2.morphologyEx(ink, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (round(0.8 * char), 1)))
    joined = cv2.morphologyEx(joined, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (1, round(0.6 * char))))
    count, _, stats = components(joined, 8)
    regions = []
    for x, y, w, h, _ in stats[1:count]:
        if w < MIN_LENGTH_CHARS * char or not MIN_HEIGHT_CHARS * char <= h <= MAX_HEIGHT_CHARS * char:
            continue
        fill = float(ink[y:y + h, x:x + w].mean())
        if MIN_FILL <= fill <= MAX_FILL:
            regions.append((int(w), int(x), int(y), int(h)))
    height, width = image.shape[:2]
    margin = round(char)  # the detector wants some paper round the print
    return [(max(0, x - margin), max(0, y - margin), min(width, x + w + margin), min(height, y + h + margin))
            for w, x, y, h in sorted(regions, reverse=True)[:MAX_REGIONS]]


def _without_strokes_of_rules(ink: np.ndarray, char: float) -> np.ndarray:
    """`ink` without its thin pieces and frames: the dashes a photographed rule breaks into, rules the clean-up
    did not lift, and a grid of such rules run together (any of them would join a form's cells into one
    region). A character's thin strokes go too (一, 1):
    the rest of its line still makes the region."""
    _, labels, stats = components(ink, 8)
    thickness = np.minimum(stats[:, cv2.CC_STAT_WIDTH], stats[:, cv2.CC_STAT_HEIGHT])
    length = np.maximum(stats[:, cv2.CC_STAT_WIDTH], stats[:, cv2.CC_STAT_HEIGHT])
    fill = stats[:, cv2.CC_STAT_AREA] / np.maximum(1, stats[:, cv2.CC_STAT_WIDTH] * stats[:, cv2.CC_STAT_HEIGHT])
    stroke = (thickness <= THIN_CHARS * char) & (length >= 2 * thickness)
    frame = (thickness > FRAME_CHARS * char) & (fill < MIN_FILL)  # rules joined into a grid round cells
    keep = ~stroke & ~frame
    keep[0] = False
    return keep[labels].astype(np.uint8)


def _beside_a_word(word: Word, words: Sequence[Word]) -> bool:
    """The word stands on a word's line, less than a character from its end: a piece the page's reading cut
    off that word ('电' of '电子邮箱' read '子邮箱'), whose cell was read already; added, it joins the
    neighbouring cell's value."""
    x0, y0, x1, y1 = word.bbox
    gap = y1 - y0
    for other in words:
        overlap = min(y1, other.bbox[3]) - max(y0, other.bbox[1])
        if overlap > 0.5 * min(gap, other.bbox[3] - other.bbox[1]) and max(other.bbox[0] - x1, x0 - other.bbox[2]) < gap:
            return True
    return False


def _covered(word: Word, words: Sequence[Word]) -> bool:
    """The word's centre lies in a word already read (the block read also found what the page had)."""
    cx, cy = (word.bbox[0] + word.bbox[2]) / 2, (word.bbox[1] + word.bbox[3]) / 2
    return any(w.bbox[0] <= cx <= w.bbox[2] and w.bbox[1] <= cy <= w.bbox[3] for w in words)


__all__ = ["read_uncovered", "uncovered_regions"]
