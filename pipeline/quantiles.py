"""Percentiles along an axis of an image from one partition: `np.percentile`'s numbers, bit for bit.

`np.percentile(image, q, axis=...)` partitions every row (or column) round the two ranks it interpolates
between, with its own bookkeeping round them; here each row (or column) is partitioned once round both ranks
(`np.partition` with the two ranks: each lands where a full sort would put it), quicker than sorting them whole
(a 150 dpi page at the seal detectors' resolution: its rows of bytes 2.8-3.2 -> 1.4-2.3 ms, its float
columns 7.2-7.3 -> 4.5-4.6 ms; `detect.flatten` 14.9 -> 13.6 ms a page over 181 pages, the same bytes). The
two ranks are then read off and interpolated by the same operations as NumPy's `linear` method (its `_lerp`,
with the weight a plain float as `percentile` makes it for a scalar `q`), so the result is NumPy's to the last
bit (`tests/test_quantiles.py` holds the two side by side).
"""

from __future__ import annotations

import math

import numpy as np


def percentile_along(values: np.ndarray, q: float, axis: int) -> np.ndarray:
    """`np.percentile(values, q, axis=axis)` for a 2-D array of bytes or floats without NaN, `q` a Python number."""
    count = values.shape[axis]
    if count == 0 or values.ndim != 2:
        return np.asarray(np.percentile(values, q, axis=axis))
    virtual = (count - 1) * np.true_divide(q, 100)
    if virtual >= count - 1:
        below = above = count - 1
    else:
        below = math.floor(virtual)
        above = below + 1
    ranked = np.partition(values, sorted({below, above}), axis=axis)
    weight = float(virtual - below)
    low, high = np.take(ranked, below, axis=axis), np.take(ranked, above, axis=axis)
    return _lerp(low, high, weight)


def _lerp(low: np.ndarray, high: np.ndarray, weight: float) -> np.ndarray:
    """NumPy's quantile interpolation: from the lower value below half the weight, from the upper above it."""
    step = high - low
    result = np.add(low, step * weight, out=...)  # an array even for 0-d inputs, as NumPy has it
    np.subtract(high, step * (1 - weight), out=result, where=weight >= 0.5, casting="unsafe",
                dtype=type(result.dtype))
    return result


def byte_counts(image: np.ndarray) -> np.ndarray:
    """How many pixels of a uint8 image hold each of the 256 levels (int64)."""
    return np.bincount(image.reshape(-1), minlength=256)


def _ranked(counts: np.ndarray, ranks: list[int]) -> list[int]:
    """The values at these 0-based ranks of the sorted values that `counts` counts (value = index)."""
    ends = np.cumsum(counts)
    return [int(np.searchsorted(ends, rank, side="right")) for rank in ranks]


def percentile_of_counts(counts: np.ndarray, q: float) -> float:
    """`float(np.percentile(values, q))` of the bytes `counts` counts (at least one), a Python `q`."""
    count = int(counts.sum())
    virtual = (count - 1) * np.true_divide(q, 100)
    below = count - 1 if virtual >= count - 1 else math.floor(virtual)
    above = below if virtual >= count - 1 else below + 1
    low, high = _ranked(counts, [below, above])
    weight = float(virtual - below)
    return float(_lerp(np.array(low, np.uint8), np.array(high, np.uint8), weight)[()])


def median_of_counts(counts: np.ndarray) -> float:
    """`float(np.median(values.astype(np.float32)))` of the whole numbers 0..255 `counts` counts (at least one):
    the middle value, or the mean of the two middle ones (exact in float32 for such numbers)."""
    count = int(counts.sum())
    low, high = _ranked(counts, [(count - 1) // 2, count // 2])
    return (low + high) / 2
