"""Percentiles along an axis of an image from one sort: `np.percentile`'s numbers, bit for bit.

`np.percentile(image, q, axis=...)` partitions every row (or column) round the two ranks it interpolates
between, twice per call; a page's rows of bytes are sorted by NumPy's radix sort in a fraction of that, and
a float image's columns by its vectorised quicksort. The two ranks are then read off the sorted rows and
interpolated by the same operations as NumPy's `linear` method (its `_lerp`, with the weight a plain float
as `percentile` makes it for a scalar `q`), so the result is NumPy's to the last bit (`tests/test_quantiles.py`
holds the two side by side).
"""

from __future__ import annotations

import math

import numpy as np


def percentile_along(values: np.ndarray, q: float, axis: int) -> np.ndarray:
    """`np.percentile(values, q, axis=axis)` for a 2-D array of bytes or floats without NaN, `q` a Python number."""
    count = values.shape[axis]
    if count == 0 or values.ndim != 2:
        return np.asarray(np.percentile(values, q, axis=axis))
    ranked = np.sort(values, axis=axis, kind="stable" if values.dtype.itemsize <= 2 else None)
    virtual = (count - 1) * np.true_divide(q, 100)
    if virtual >= count - 1:
        below = above = count - 1
    else:
        below = math.floor(virtual)
        above = below + 1
    weight = float(virtual - below)
    low, high = np.take(ranked, below, axis=axis), np.take(ranked, above, axis=axis)
    return _lerp(low, high, weight)


def _lerp(low: np.ndarray, high: np.ndarray, weight: float) -> np.ndarray:
    """NumPy's quantile interpolation: from the lower value below half the weight, from the upper above it."""
    step = high - low
    result = np.add(low, step * weight)
    np.subtract(high, step * (1 - weight), out=result, where=weight >= 0.5, casting="unsafe",
                dtype=type(result.dtype))
    return result
