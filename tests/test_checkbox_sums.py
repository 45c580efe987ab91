"""`checkboxes._square_scores` from running counts made once per window (`_SideSums`), against the per-size
gathering it replaced."""

from __future__ import annotations

import numpy as np

from pipeline.checkboxes import GAP, _SideSums, _square_scores, find_boxes


def _gathered(loose: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
    """The scores as worked out before: every table made for the size, every corner gathered by index."""
    pad = GAP + 1
    mask = np.pad(loose.astype(bool), pad)
    near_h = mask.copy()
    near_h[1:] |= mask[:-1]
    near_h[:-1] |= mask[1:]
    near_v = mask.copy()
    near_v[:, 1:] |= mask[:, :-1]
    near_v[:, :-1] |= mask[:, 1:]
    rows_near = np.pad(np.cumsum(near_h, axis=1, dtype=np.int32), ((0, 0), (1, 0)))
    cols_near = np.pad(np.cumsum(near_v, axis=0, dtype=np.int32), ((1, 0), (0, 0)))
    rows_raw = np.pad(np.cumsum(mask, axis=1, dtype=np.int32), ((0, 0), (1, 0)))
    cols_raw = np.pad(np.cumsum(mask, axis=0, dtype=np.int32), ((1, 0), (0, 0)))
    height, width = loose.shape
    ys = np.arange(height - size + 1)[:, None] + pad
    xs = np.arange(width - size + 1)[None, :] + pad

    def row(table: np.ndarray, y: np.ndarray, x: np.ndarray) -> np.ndarray:
        return (table[y, x + size] - table[y, x]) / size

    def col(table: np.ndarray, y: np.ndarray, x: np.ndarray) -> np.ndarray:
        return (table[y + size, x] - table[y, x]) / size

    sides = np.minimum(np.minimum(row(rows_near, ys, xs), row(rows_near, ys + size - 1, xs)),
                       np.minimum(col(cols_near, ys, xs), col(cols_near, ys, xs + size - 1)))
    outside = (row(rows_raw, ys - GAP, xs) + row(rows_raw, ys + size - 1 + GAP, xs)
               + col(cols_raw, ys, xs - GAP) + col(cols_raw, ys, xs + size - 1 + GAP)) / 4
    return sides, outside


def test_square_scores_as_gathered() -> None:
    rng = np.random.default_rng(13)
    for shape in ((9, 14), (17, 40), (33, 21)):
        loose = rng.random(shape) < 0.3
        loose[2:8, 3] = loose[2:8, 12] = True  # a drawn square's sides among the noise
        sums = _SideSums.of(loose)
        for size in range(5, min(shape) + 1):
            sides, outside = _square_scores(sums, size)
            want_sides, want_outside = _gathered(loose, size)
            assert np.array_equal(sides, want_sides) and np.array_equal(outside, want_outside)


def test_find_boxes_finds_a_drawn_box() -> None:
    levels = np.zeros((30, 60), np.uint8)
    levels[8, 10:22] = levels[19, 10:22] = 2  # a 12 px box
    levels[8:20, 10] = levels[8:20, 21] = 2
    assert find_boxes(levels, 12.0) == [(10, 8, 22, 20)]
