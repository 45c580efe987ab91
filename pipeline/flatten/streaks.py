"""Scanner streaks: thin lines down the whole page that dust on a document feeder's glass draws.

A feeder moves the paper past a fixed sensor line, so a speck on the glass marks the same column of
every row: a line from the image's top edge to its bottom, through print and blank paper alike. Left in,
it is taken for a table's column rule (a date column cut in two: '2|024' read as '(24') and cuts the
glyphs it crosses. No printed line does that: a table's rules end at its frame, and a page border stops
in the margins. So a column darker (or paler) than the columns beside it in nearly every row of the
image is a streak, and its pixels are filled in from the columns beside it.
"""

from __future__ import annotations

import numpy as np

# A streak is off the paper's tone beside it in at least this share of the rows with paper beside it.
# Print never is: a page border stops in the margins (≤ 90% of the height), a table rule at its frame.
MIN_ROWS_SHARE = 0.97
MIN_TOLD_SHARE = 0.6  # of rows with paper beside the column on at least one side
LIGHT_SHARE = 0.75  # of the paper's level: a neighbour this light is paper, not print
MIN_CLEAR_SHARE = 0.5  # and off both neighbours' tone in at least this share (open paper on both sides)
MIN_STEP = 12  # levels (0..255) between the streak's column and the paper beside it
MAX_WIDTH_PX = 6  # wider than this is no speck's line (at 150–300 dpi a speck draws 1–4 px)
NEIGHBOUR_PX = MAX_WIDTH_PX + 2  # the columns compared with lie this far to each side
ROW_STEP = 4  # rows sampled: a streak marks every row, so every fourth tells


def _grey(image: np.ndarray) -> np.ndarray:
    return image if image.ndim == 2 else image.mean(axis=2)


def _columns_grey(image: np.ndarray, x0: int, x1: int) -> np.ndarray:
    """Columns [x0, x1) of `image` as grey levels (float32, rows × columns)."""
    return _grey(image[:, x0:x1]).astype(np.float32)


def streak_columns(image: np.ndarray) -> list[tuple[int, int]]:
    """The runs of columns [x0, x1) of `image` (RGB or grey) that a streak covers."""
    grey = _grey(image[::ROW_STEP]).astype(np.int16)
    height, width = grey.shape
    if width <= 2 * NEIGHBOUR_PX or height < 50:
        return []
    pad = np.pad(grey, ((0, 0), (NEIGHBOUR_PX, NEIGHBOUR_PX)), mode="edge")
    left, right = pad[:, :width], pad[:, 2 * NEIGHBOUR_PX:]
    lighter, darker = np.maximum(left, right), np.minimum(left, right)
    paper = float(np.percentile(grey, 90))
    # A row tells only where paper lies on at least one side: where print covers both, a streak may look
    # like print. Such rows must be few, and in the rest the streak is off the paper's tone every time.
    tells = lighter >= LIGHT_SHARE * paper
    told = tells.mean(axis=0)
    dark = ((grey <= lighter - MIN_STEP) & tells).sum(axis=0) / np.maximum(tells.sum(axis=0), 1)
    pale = (grey >= darker + MIN_STEP).mean(axis=0)
    # On open paper a streak is off both sides' tone: a column inside a dark area is off neither.
    clear = np.maximum((grey <= darker - MIN_STEP).mean(axis=0), (grey >= lighter + MIN_STEP).mean(axis=0))
    marked = (told >= MIN_TOLD_SHARE) & (np.maximum(dark, pale) >= MIN_ROWS_SHARE) & (clear >= MIN_CLEAR_SHARE)
    runs: list[tuple[int, int]] = []
    x = 0
    while x < width:
        if not marked[x]:
            x += 1
            continue
        start = x
        while x < width and marked[x]:
            x += 1
        if x - start <= MAX_WIDTH_PX and start > 0 and x < width:
            runs.append((start, x))
    return runs


def _widened(run: tuple[int, int], width: int) -> tuple[int, int]:
    """The run with one column more each side: the streak's soft edge (optics blur) goes too."""
    return max(1, run[0] - 1), min(width - 1, run[1] + 1)


def remove_streaks(image: np.ndarray) -> tuple[np.ndarray, list[tuple[int, int]]]:
    """`image` with its streaks filled in from the columns either side of each; and the runs.

    A dark streak is filled only in the rows where paper lies on both sides of it: where it crosses print
    its pixels may be the glyph's own strokes, and a glyph with a line through it reads better than one
    with its strokes interpolated away. What is left of it there is print-high pieces, no rule. A pale
    streak (a lamp's bright line) is filled everywhere: it cut the strokes it crossed. The same array comes
    back when there is no streak."""
    runs = streak_columns(image)
    if not runs:
        return image, []
    out = image.copy()
    light = LIGHT_SHARE * float(np.percentile(_grey(image[::ROW_STEP]).astype(np.float32), 90))
    width = image.shape[1]
    for run in runs:
        x0, x1 = _widened(run, width)
        before, after = out[:, x0 - 1].astype(np.float32), out[:, x1].astype(np.float32)
        # Only the run's columns and the two beside it are looked at: no grey copy of the whole page.
        sides = np.minimum(_columns_grey(image, x0 - 1, x0)[:, 0], _columns_grey(image, x1, x1 + 1)[:, 0])
        dark = _columns_grey(image, *run).mean() < sides.mean()
        rows = sides >= light if dark else np.ones(len(sides), bool)
        for k, x in enumerate(range(x0, x1), start=1):
            t = k / (x1 - x0 + 1)
            out[rows, x] = np.round(before[rows] * (1 - t) + after[rows] * t).astype(image.dtype)
    return out, runs


__all__ = ["remove_streaks", "streak_columns"]
