"""Scanner streaks: thin lines down the whole page that dust on a document feeder's glass draws.

A feeder moves the paper past a fixed sensor line, so a speck on the glass marks the same column of
every row: a line from the image's top edge to its bottom, through print and blank paper alike. Left in,
it is taken for a table's column rule (a date column cut in two: '2|024' read as '(24') and cuts the
glyphs it crosses. No printed line does that: a table's rules end at its frame, and a page border stops
in the margins. So a column darker (or paler) than the columns beside it in nearly every row of the
image is a streak, and its pixels are mapped back to the tones of the columns beside it.
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
# Scans of print hold 1–10% mid greys (48..208), dithered ones too after rendering; a phone photo 40%.
MAX_MID_GREY_SHARE = 0.25
DITHER_ROWS = 8  # rows averaged for a dithered streak (half its pixels black: one mean in 250 without any)


def _grey(image: np.ndarray) -> np.ndarray:
    """The image's grey levels: a grey image itself, a colour one's channels' mean (float64).

    The channels are added as 16-bit integers (exact, as NumPy's float sum of a few bytes is) and divided once:
    the same floats as `image.mean(axis=2)`, which reduces over the short last axis element by element (eight
    times as long on a page)."""
    if image.ndim == 2:
        return image
    total = image[..., 0].astype(np.uint16)
    for channel in range(1, image.shape[2]):
        total += image[..., channel]
    return total / image.shape[2]


def _rows(mask: np.ndarray, like: np.ndarray) -> np.ndarray:
    """A per-row mask shaped to select whole rows of `like` (a column of rows, or rows × channels)."""
    return mask if like.ndim == 1 else mask[:, None]


def _column_grey(column: np.ndarray) -> np.ndarray:
    """A column's grey levels (a column is rows, or rows × channels)."""
    return column if column.ndim == 1 else column.mean(axis=1)


def _row_sampled(image: np.ndarray) -> np.ndarray:
    """Every `ROW_STEP`th row of `image`, grey."""
    return _grey(image[::ROW_STEP]).astype(np.int16)


def _row_means(image: np.ndarray) -> np.ndarray:
    """The mean of each `DITHER_ROWS` rows of `image`, grey: where a dithered streak shows its tone, as it
    blackens only some of its pixels in any one row (half, in a mid grey)."""
    rows = image.shape[0] // DITHER_ROWS * DITHER_ROWS
    # Summed as integers (eight rows of three channels fit 16 bits): a tenth of the float means' time.
    total = image[:rows].reshape(-1, DITHER_ROWS, *image.shape[1:]).sum(axis=1, dtype=np.uint16)
    count = DITHER_ROWS
    if total.ndim == 3:
        total, count = total.sum(axis=2, dtype=np.uint16), count * image.shape[2]
    return np.round(total.astype(np.float32) / count).astype(np.int16)


def _paper_and_print(image: np.ndarray) -> bool:
    """Whether `image` is paper and print only, few mid greys: a scan (dithered or not), not a photo, whose
    desk, shading and texture are mid greys the means of rows smooth into lines of their own."""
    grey = _grey(image[::4, ::4])
    return float(((grey >= 48) & (grey <= 208)).mean()) <= MAX_MID_GREY_SHARE


def streak_columns(image: np.ndarray) -> list[tuple[int, int]]:
    """The runs of columns [x0, x1) of `image` (RGB or grey) that a streak covers: looked for row by row,
    and on a scan where that finds none, in the means of rows (a dithered scan's streak)."""
    runs = _streak_runs(_row_sampled(image))
    if runs or not _paper_and_print(image):
        return runs
    return _streak_runs(_row_means(image))


def _streak_runs(grey: np.ndarray) -> list[tuple[int, int]]:
    """The runs of columns [x0, x1) of `grey` (rows sampled or averaged) that a streak covers."""
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
        # Not in the image's outermost columns: a scan's own edge (a shadow, the glass's border) runs top to
        # bottom there too, and no print lies so close to be cut.
        if x - start <= MAX_WIDTH_PX and start >= NEIGHBOUR_PX and x <= width - NEIGHBOUR_PX:
            runs.append((start, x))
    return runs


def _widened(run: tuple[int, int], width: int) -> tuple[int, int]:
    """The run with one column more each side: the streak's soft edge (optics blur) goes too."""
    return max(1, run[0] - 1), min(width - 1, run[1] + 1)


def remove_streaks(image: np.ndarray) -> tuple[np.ndarray, list[tuple[int, int]]]:
    """`image` with its streaks' columns restored; and the runs. The same array comes back when there is none.

    Dust on the glass dims (or a lamp's fault brightens) one column of every row through one response, so
    each of the streak's columns is mapped back through it (`_restored`): paper becomes paper and a glyph's
    stroke stays a stroke, also a stem standing inside the streak, so a line through print no longer cuts the
    glyphs it crosses ('RAS-F|W' read as 'RAS-PW'). A dark column with no tone left to map (a 1-bit page's,
    an opaque speck's) is filled in from the columns beside it where paper lies on both sides, and left as
    scanned across print (there its pixels may be a glyph's stroke, and nothing tells); a pale one (a lamp's
    line at full white) is filled in everywhere, as it cut the strokes it crossed.
    """
    runs = streak_columns(image)
    if not runs:
        return image, []
    out = image.copy()
    width = image.shape[1]
    light = LIGHT_SHARE * float(np.percentile(_grey(image[::ROW_STEP]), 90))
    for run in runs:
        x0, x1 = _widened(run, width)
        before, after = image[:, x0 - 1].astype(np.float32), image[:, x1].astype(np.float32)
        paper = np.minimum(_column_grey(before), _column_grey(after)) >= light  # rows with paper on both sides
        for k, x in enumerate(range(x0, x1), start=1):
            t = k / (x1 - x0 + 1)
            filled = before * (1 - t) + after * t
            column = image[:, x].astype(np.float32)
            mapped = _restored(column, filled, paper)
            if mapped is None:
                # A pale line cut the strokes it crossed: filled everywhere. A dark one only between paper.
                pale = _column_grey(column).mean() > _column_grey(filled).mean()
                mapped = filled if pale else np.where(_rows(paper, filled), filled, column)
            out[:, x] = np.clip(np.round(mapped), 0, 255).astype(image.dtype)
    return out, runs


# The share of the tonal range beside it (darkest ink to paper) a column must keep for its response to be
# worked out; and the rows with paper on both sides it takes to work out the paper's end of it.
MIN_SPREAD_SHARE = 0.25
MIN_PAPER_ROWS = 20
INK_PERCENTILE = 1.0  # the darkest ink: print crosses every column of a page of text somewhere


def _restored(column: np.ndarray, beside: np.ndarray, paper: np.ndarray) -> np.ndarray | None:
    """`column` (rows, or rows × channels) through the inverse of its streak's response, channel by channel:
    a straight line through two levels, its paper (rows with paper on both sides, against `beside`, the
    columns beside it blended) and its darkest ink (against the darkest ink beside). The ends, not the whole
    distribution, as a stroke standing inside the streak makes the column darker than its neighbours.
    None when the column has no tone left to map."""
    if column.ndim == 2:
        channels = [_restored(column[:, c], beside[:, c], paper) for c in range(column.shape[1])]
        kept = [channel for channel in channels if channel is not None]
        return np.stack(kept, axis=1) if len(kept) == len(channels) else None
    if int(paper.sum()) < MIN_PAPER_ROWS or len(np.unique(column)) <= 2:
        return None  # black or white only (a 1-bit page), or no paper to tell its level by
    own_paper, own_ink = float(np.median(column[paper])), float(np.percentile(column, INK_PERCENTILE))
    paper_level, ink_level = float(np.median(beside[paper])), float(np.percentile(beside, INK_PERCENTILE))
    if own_paper - own_ink < MIN_SPREAD_SHARE * max(paper_level - ink_level, 1.0):
        return None
    return ink_level + (column - own_ink) * (paper_level - ink_level) / (own_paper - own_ink)


__all__ = ["remove_streaks", "streak_columns"]
