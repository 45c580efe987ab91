"""`pipeline.quantiles.percentile_along`: NumPy's percentiles along an axis, to the last bit, from one sort."""

from __future__ import annotations

import numpy as np
import pytest

from pipeline.quantiles import byte_counts, median_of_counts, percentile_along, percentile_of_counts


@pytest.mark.parametrize("dtype", [np.uint8, np.float32, np.float64])
def test_bit_for_bit_numpys(dtype: type) -> None:
    rng = np.random.default_rng(3)
    for trial in range(300):
        height, width = (int(v) for v in rng.integers(1, 120, 2))
        values = rng.integers(0, 256, (height, width)) if dtype is np.uint8 else rng.random((height, width)) * 300
        if trial % 4 == 0:
            values = np.round(values)  # ties between ranks
        values = values.astype(dtype)
        for q in (80, 90, 50, 99.9, 0, 100, 12.5):
            for axis in (0, 1):
                want, got = np.percentile(values, q, axis=axis), percentile_along(values, q, axis)
                assert got.dtype == want.dtype and got.shape == want.shape
                assert np.array_equal(got.view(np.uint8), want.view(np.uint8))


def test_interpolates_between_the_two_ranks() -> None:
    rows = np.array([[10, 0, 20, 30, 40], [5, 5, 5, 5, 5]], np.uint8)
    assert percentile_along(rows, 80, 1).tolist() == [32.0, 5.0]  # rank 3.2 of 0, 10, 20, 30, 40
    assert percentile_along(rows.T.astype(np.float32), 80, 0).tolist() == [32.0, 5.0]


def test_percentile_and_median_from_counts_are_numpys() -> None:
    rng = np.random.default_rng(8)
    for _ in range(400):
        size = int(rng.integers(1, 400))
        values = np.clip(rng.normal(rng.integers(0, 256), rng.integers(1, 60), size), 0, 255).astype(np.uint8)
        counts = byte_counts(values)
        for q in (5, 50, 90, 99.9, 0, 100):
            assert percentile_of_counts(counts, q) == float(np.percentile(values, q))
        assert median_of_counts(counts) == float(np.median(values.astype(np.float32)))
    assert median_of_counts(byte_counts(np.array([1, 2, 9, 200], np.uint8))) == 5.5
    assert percentile_of_counts(byte_counts(np.array([0, 10, 20, 30, 40], np.uint8)), 5) == 2.0
