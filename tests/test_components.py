"""`pipeline.components`: OpenCV's connected components, labelled in 16 bits where the count fits."""

from __future__ import annotations

import cv2
import numpy as np

from pipeline.components import components


def _reference(mask: np.ndarray, connectivity: int) -> tuple[int, np.ndarray, np.ndarray]:
    count, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=connectivity)
    return count, labels, stats


def test_labels_and_stats_are_opencvs() -> None:
    rng = np.random.default_rng(7)
    mask = (rng.random((300, 400)) > 0.7).astype(np.uint8) * 255
    for connectivity in (4, 8):
        count, labels, stats = components(mask, connectivity)
        want_count, want_labels, want_stats = _reference(mask, connectivity)
        assert count == want_count and labels.dtype == np.uint16
        assert np.array_equal(labels, want_labels) and np.array_equal(stats, want_stats)


def test_more_pieces_than_sixteen_bits_hold_are_labelled_in_32_bits() -> None:
    mask = np.zeros((600, 600), np.uint8)
    mask[::2, ::2] = 255  # 90 000 separate dots
    count, labels, stats = components(mask, 8)
    assert count == 90_001 and labels.dtype == np.int32 and int(labels.max()) == 90_000
    assert int(stats[1:, cv2.CC_STAT_AREA].sum()) == 90_000
