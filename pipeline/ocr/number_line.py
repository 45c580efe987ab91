"""A number's place on a scan made into one clean line of ink, for a digits-only reading.

A second reading of a number is only independent of the first when it sees the place differently:
the page reading took the cell with its rules, the remains of a seal and a neighbour's text. Here
the cell's crop is enlarged to a fixed glyph height, binarised (two ways: one global Otsu
threshold, and a local one that keeps faint digits on an uneven background), the table's rules
are taken out (runs of ink far longer than a glyph), and only the band of rows holding glyph-sized
marks is kept. The result is read as one line by an engine told to expect digits, separators and
a unit (`pipeline.ocr.get_number_engine`).
"""

from __future__ import annotations

from typing import Literal

import cv2
import numpy as np

Binarisation = Literal["otsu", "local"]
BINARISATIONS: tuple[Binarisation, ...] = ("otsu", "local")
GLYPH_PT = 7.0  # a digit of the form's print (10.5-12 pt type) stands about this tall
GLYPH_PX = 30  # glyph height a line recogniser reads best at; smaller crops are enlarged to it
RULE_GLYPHS = 3.0  # a horizontal run of ink this many glyph heights long is a rule, not a character
TALL_GLYPHS = 1.8  # a vertical run this many glyph heights long is a rule (or a seal's edge)
GLYPH_MIN, GLYPH_MAX = 0.3, 1.7  # a mark this tall (in glyph heights) can be a character of the line
WIDE_GLYPHS = 2.5  # a mark wider than this many glyph heights is no single character
LINE_SHARE = 0.15  # a row with less of the glyphs' ink than this share of the fullest row: a stroke, not text
MARGIN_GLYPHS = 0.6  # kept beside the outermost glyphs: a digit joined to a seal's stroke stays in
LOCAL_OFFSET = 25  # how much darker than its neighbourhood a pixel must be to be ink (local threshold)
PAD_PX = (12, 16)  # white above/below and left/right of the line: engines need a margin


def number_line(grey: np.ndarray, px_per_pt: float, binarisation: Binarisation) -> np.ndarray | None:
    """`grey` (a number's crop, uint8) as black glyphs on white, one line high; None when no mark
    of a glyph's size is in it."""
    found = _glyph_line(grey, px_per_pt, binarisation)
    if found is None:
        return None
    ink, _, (left, top, right, bottom), glyph, _ = found
    margin = int(MARGIN_GLYPHS * glyph)
    left, right = max(0, left - margin), right + margin
    line = np.where(ink[top:bottom, left:right] > 0, 0, 255).astype(np.uint8)
    (pad_y, pad_x) = PAD_PX
    return cv2.copyMakeBorder(line, pad_y, pad_y, pad_x, pad_x, cv2.BORDER_CONSTANT, value=255)


def line_span(grey: np.ndarray, px_per_pt: float, inside: tuple[float, float],
              binarisation: Binarisation = "otsu") -> tuple[float, float, float] | None:
    """Where the number's line of glyphs lies in `grey` (its crop): the left and right edges of its
    glyph-sized marks wholly `inside` (a span of the crop's columns: its cell, not the margin where a rule's
    or a seal's remains lie) and the line's height, in the crop's pixels; None without such a mark."""
    found = _glyph_line(grey, px_per_pt, binarisation)
    if found is None:
        return None
    _, glyphs, (_, top, _, bottom), _, zoom = found
    count, _, stats, _ = cv2.connectedComponentsWithStats(glyphs[top:bottom], connectivity=8)
    lefts, rights = stats[1:, cv2.CC_STAT_LEFT], stats[1:, cv2.CC_STAT_LEFT] + stats[1:, cv2.CC_STAT_WIDTH]
    kept = (lefts >= inside[0] * zoom) & (rights <= inside[1] * zoom)
    if count < 2 or not kept.any():
        return None
    return float(lefts[kept].min()) / zoom, float(rights[kept].max()) / zoom, (bottom - top) / zoom


def _glyph_line(grey: np.ndarray, px_per_pt: float,
                binarisation: Binarisation) -> tuple[np.ndarray, np.ndarray, tuple[int, int, int, int], float, float] | None:
    """The crop's ink (enlarged to a glyph's reading height, rules out), its glyph-sized marks, the box of its
    line's marks, a glyph's height there and the enlargement (pixels of the ink per pixel of `grey`)."""
    if grey.ndim != 2 or min(grey.shape) < 2:
        return None
    zoom = max(1.0, GLYPH_PX / (GLYPH_PT * px_per_pt))
    if zoom > 1.05:
        grey = cv2.resize(grey, None, fx=zoom, fy=zoom, interpolation=cv2.INTER_CUBIC)
    glyph = GLYPH_PT * px_per_pt * zoom
    ink = _without_rules(_ink(grey, glyph, binarisation), glyph)
    glyphs = _glyph_sized(ink, glyph)
    band = _heaviest_band(glyphs.sum(axis=1))
    if band is None:
        return None
    top, bottom = band
    columns = np.flatnonzero(glyphs[top:bottom].any(axis=0))
    return ink, glyphs, (int(columns[0]), top, int(columns[-1]) + 1, bottom), glyph, zoom if zoom > 1.05 else 1.0


def _ink(grey: np.ndarray, glyph: float, binarisation: Binarisation) -> np.ndarray:
    if binarisation == "otsu":
        _, binary = cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
    else:
        block = max(3, int(2 * glyph) | 1)
        binary = cv2.adaptiveThreshold(grey, 255, cv2.ADAPTIVE_THRESH_GAUSSIAN_C, cv2.THRESH_BINARY, block,
                                       LOCAL_OFFSET)
    return (binary == 0).astype(np.uint8)


def _without_rules(ink: np.ndarray, glyph: float) -> np.ndarray:
    across = cv2.getStructuringElement(cv2.MORPH_RECT, (max(3, int(RULE_GLYPHS * glyph)), 1))
    down = cv2.getStructuringElement(cv2.MORPH_RECT, (1, max(3, int(TALL_GLYPHS * glyph))))
    rules = np.maximum(cv2.morphologyEx(ink, cv2.MORPH_OPEN, across), cv2.morphologyEx(ink, cv2.MORPH_OPEN, down))
    return np.where(rules > 0, 0, ink).astype(np.uint8)


def _glyph_sized(ink: np.ndarray, glyph: float) -> np.ndarray:
    """The marks that can be characters of the line (a seal's arc, a neighbour's descender left out)."""
    count, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    heights, widths = stats[:, cv2.CC_STAT_HEIGHT], stats[:, cv2.CC_STAT_WIDTH]
    tops, bottoms = stats[:, cv2.CC_STAT_TOP], stats[:, cv2.CC_STAT_TOP] + heights
    keep = (heights >= GLYPH_MIN * glyph) & (heights <= GLYPH_MAX * glyph) & (widths <= WIDE_GLYPHS * glyph)
    # A mark the crop cuts at its top or bottom is the line above's or below's, not the number's: the crop
    # holds its box with a margin. Kept, a row's cut-off digits outweighed a number a seal's stroke had
    # joined into one mark too large for a glyph (dev9 a12's fax: '(万元)' read for 1,793.8).
    keep &= (tops > 0) & (bottoms < ink.shape[0])
    keep[0] = False  # the background
    return np.asarray(keep[labels], dtype=np.uint8) if count > 1 else np.zeros_like(ink)


def _heaviest_band(per_row: np.ndarray) -> tuple[int, int] | None:
    """The run of rows of text holding the most ink: the number's line (a wrapped unit's below it is
    lighter; a seal's stroke across the rules, above and below, is too thin to count as text)."""
    inked = (per_row >= max(1.0, LINE_SHARE * float(per_row.max(initial=0)))).astype(np.int8)
    edges = np.flatnonzero(np.diff(np.concatenate([[0], inked, [0]])))
    bands = [(int(a), int(b)) for a, b in zip(edges[::2], edges[1::2], strict=True)]
    return max(bands, key=lambda band: int(per_row[band[0]:band[1]].sum())) if bands else None
