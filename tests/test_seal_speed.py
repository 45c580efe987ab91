"""The seal detector's shortcuts give the numbers the long way round gives (speed only, same reading)."""

from __future__ import annotations

import math

import cv2
import numpy as np
import pytest

from pipeline.seals import detect
from pipeline.seals.geometry import Outline, band_fill, interior_density, ring_sharpness, sharpness_mask


def _page_mask(ink: np.ndarray, outline: Outline, scale: float) -> np.ndarray:
    """The outline filled in a mask of the whole image: how the measures were worked out before."""
    mask = np.zeros(ink.shape[:2], np.uint8)
    cv2.fillPoly(mask, [outline.points(scale, 96).round().astype(np.int32)], 255)
    return mask


def _share(ink: np.ndarray, mask: np.ndarray) -> float:
    area = int(np.count_nonzero(mask))
    return float(np.count_nonzero((ink > 0) & (mask > 0))) / area if area else 0.0


OUTLINES = [
    Outline("round", 60.3, 58.7, 30.2, 30.2),
    Outline("oval", 100.5, 40.4, 44.6, 31.3, 17.0),
    Outline("square", 20.0, 110.0, 25.0, 18.0, 8.0),  # partly off the image
    Outline("round", -50.0, -50.0, 10.0, 10.0),  # wholly off it
]


@pytest.mark.parametrize("outline", OUTLINES)
def test_interior_density_and_band_fill_over_the_outlines_window_equal_a_whole_page_mask(outline: Outline) -> None:
    ink = (np.random.default_rng(3).random((150, 170)) < 0.3).astype(np.uint8) * 255
    assert interior_density(ink, outline, 0.75) == _share(ink, _page_mask(ink, outline, 0.75))
    band = _page_mask(ink, outline, 1.03)
    band[_page_mask(ink, outline, 0.9) > 0] = 0
    assert band_fill(ink, outline, 0.9, 1.03) == _share(ink, band)
    assert band_fill(ink, outline, 0.0, 1.03) == _share(ink, _page_mask(ink, outline, 1.03))


def test_ring_sharpness_on_a_mask_grown_once_equals_growing_it_per_ring() -> None:
    ink = np.zeros((200, 200), np.uint8)
    cv2.circle(ink, (100, 100), 60, 255, 2)
    ink[np.random.default_rng(5).random(ink.shape) < 0.05] = 255
    grown = sharpness_mask(ink)
    for r in (50.0, 58.0, 61.0, 70.0):
        outline = Outline("round", 100.0, 100.0, r, r)
        assert ring_sharpness(ink, outline, grown) == ring_sharpness(ink, outline)


def test_a_page_s_seal_ink_is_rid_of_specks_once_for_every_search(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []
    real = detect.drop_specks

    def counted(mask: np.ndarray, area: int) -> np.ndarray:
        calls.append(1)
        return real(mask, area)

    monkeypatch.setattr(detect, "drop_specks", counted)
    # The pale-red search round red no found seal holds looks at a mask of its own (`pale_seals`).
    monkeypatch.setattr(detect, "pale_seals", lambda *args: [])
    page = np.full((600, 420, 3), 250, np.uint8)
    cv2.circle(page, (200, 300), 90, (40, 40, 220), 4)  # a red ring
    detect.detect_red(page, 150.0)
    assert len(calls) == 1
    calls.clear()
    grey = np.full((600, 420), 250, np.uint8)
    cv2.circle(grey, (200, 300), 90, 150, 4)  # a seal-grey ring
    detect.detect_grey(grey, 150.0)
    assert len(calls) == 1


def test_flatten_takes_the_rows_levels_from_the_page_s_bytes() -> None:
    grey = np.clip(np.random.default_rng(11).normal(200, 40, (300, 220)), 0, 255).astype(np.uint8)
    grey[:, :40] //= 2  # a shadow along the fold
    expected = grey.astype(np.float32)
    window = max(3, round(4 * 4.0)) | 1
    for axis in (1, 0):
        raw = np.percentile(expected, 80, axis=axis).clip(0, 255).astype(np.uint8).reshape(-1, 1)
        level = cv2.medianBlur(raw, window).astype(np.float32).ravel()
        gain = (float(np.percentile(level, 90)) / np.maximum(level, 1.0)).astype(np.float32)
        expected = (expected * (gain[:, None] if axis == 1 else gain[None, :])).astype(np.float32)
    assert np.array_equal(detect.flatten(grey, 4.0), np.clip(expected, 0, 255).astype(np.uint8))


def test_ink_looked_up_in_one_gather_equals_looking_up_only_the_samples_on_the_image() -> None:
    from pipeline.seals.geometry import _hits_at

    ink = (np.random.default_rng(9).random((60, 80)) < 0.4).astype(np.uint8) * 255
    for points in (np.random.default_rng(1).uniform(-20.0, 100.0, (7, 50, 2)),  # some off the image
                   np.random.default_rng(2).uniform(0.0, 59.0, (3, 40, 2)),  # all on it
                   np.array([[0.5, 1.5], [2.5, 3.5], [79.4, 59.4], [79.5, 59.5]])):  # ties round to even
        expected = np.zeros(points.shape[:-1], bool)
        pts = points.round().astype(np.intp)
        on = (pts[..., 0] >= 0) & (pts[..., 0] < 80) & (pts[..., 1] >= 0) & (pts[..., 1] < 60)
        expected[on] = ink[pts[..., 1][on], pts[..., 0][on]] > 0
        assert np.array_equal(_hits_at(ink, points), expected)


def test_offsets_of_many_outlines_at_once_are_each_outline_s_own_bit_for_bit() -> None:
    from pipeline.seals.geometry import outline_offsets

    outlines = [*OUTLINES, Outline("oval", np.float32(10.5), 20.0, np.float32(30.2), 20.1, 97.3),
                Outline("square", 5.0, 6.0, 12.5, 7.25, -33.0)]
    for count in (96, 240):
        together = outline_offsets(outlines, count)
        assert together.dtype == np.float64
        assert np.array_equal(together, np.stack([o.offsets(count) for o in outlines]))
        assert together.tobytes() == np.stack([o.offsets(count) for o in outlines]).tobytes()  # -0.0 too


def test_ink_gathered_by_flat_index_equals_by_row_and_column_also_in_a_window_of_a_page() -> None:
    from pipeline.seals.geometry import _hits_at

    page = (np.random.default_rng(4).random((90, 120)) < 0.4).astype(np.uint8) * 255
    window = page[10:70, 25:105]  # a view: not contiguous, gathered by row and column
    points = np.random.default_rng(6).uniform(0.0, 59.0, (5, 30, 2))
    for ink in (window, np.ascontiguousarray(window), window > 0):
        pts = np.rint(points).astype(np.intp)
        assert np.array_equal(_hits_at(ink, points), np.asarray(ink)[pts[..., 1], pts[..., 0]] > 0)


def _densified_edge_by_edge(polygon: np.ndarray, step: float = 2.0) -> np.ndarray:
    """Points along a closed polygon worked out edge by edge with `np.linspace`: how `_densify` made them before."""
    out = []
    for start, end in zip(polygon, np.roll(polygon, -1, axis=0), strict=True):
        n = max(1, int(np.hypot(*(end - start)) / step))
        t = np.linspace(0.0, 1.0, n, endpoint=False)[:, None]
        out.append(start + t * (end - start))
    return np.concatenate(out) if out else polygon


def test_densify_makes_the_points_linspace_makes_edge_by_edge() -> None:
    """All edges at once, the same float64 points (hulls of random ink, and edges whose length over the step is
    a whole number, where a hypot one bit off would change the count)."""
    from pipeline.seals.geometry import _densify

    rng = np.random.default_rng(11)
    polygons = [np.array([[0, 0], [6, 8], [6, 20], [0, 20]], np.float32),  # lengths 10, 12, 6, 20: whole steps
                np.array([[3.5, 1.25]], np.float32), np.zeros((0, 2), np.float32)]
    for size in (20, 200, 900):
        for _ in range(60):
            points = (rng.random((int(rng.integers(3, 120)), 2)) * size).astype(np.float32)
            polygons.append(cv2.convexHull(points.reshape(-1, 1, 2)).reshape(-1, 2))
    for polygon in polygons:
        expected = _densified_edge_by_edge(polygon)
        found = _densify(polygon)
        assert found.dtype == expected.dtype and np.array_equal(found, expected)


def test_ransac_stops_drawing_once_nothing_can_score_more(monkeypatch: pytest.MonkeyPatch) -> None:
    from pipeline.seals import geometry

    fits: list[int] = []
    real = cv2.fitEllipse

    def counted(points: np.ndarray) -> tuple[tuple[float, float], tuple[float, float], float]:
        fits.append(1)
        return real(points)

    monkeypatch.setattr(geometry.cv2, "fitEllipse", counted)
    ink = np.zeros((240, 240), np.uint8)
    cv2.circle(ink, (120, 120), 80, 255, 4)
    perfect = Outline("oval", 120.0, 120.0, 81.0, 81.0, 0.0)
    assert sum(geometry.ring_contrast(ink, perfect)) == geometry.BEST_RING_SCORE
    assert geometry.ransac_ellipse(ink, ink, perfect, (30.0, 150.0)) == (perfect, geometry.BEST_RING_SCORE)
    assert not fits
    # A guess off the ring still has its candidates drawn and scored, and one of them found.
    off = Outline("oval", 112.0, 126.0, 70.0, 66.0, 0.0)
    best, score = geometry.ransac_ellipse(ink, ink, off, (30.0, 150.0))
    assert fits and score > sum(geometry.ring_contrast(ink, off))
    assert abs(best.cx - 120.0) < 3.0 and abs(best.cy - 120.0) < 3.0


def test_a_dark_ring_s_dearer_tests_run_only_once_its_ring_is_inked_round(monkeypatch: pytest.MonkeyPatch) -> None:
    sharpness: list[int] = []
    real = detect.ring_sharpness

    def counted(ink: np.ndarray, outline: Outline, grown: np.ndarray | None = None) -> float:
        sharpness.append(1)
        return real(ink, outline, grown)

    monkeypatch.setattr(detect, "ring_sharpness", counted)
    small = np.full((200, 200), 250, np.uint8)
    cv2.circle(small, (100, 100), 60, 40, 4)
    cv2.putText(small, "AB", (70, 110), cv2.FONT_HERSHEY_SIMPLEX, 1.0, 40, 2)
    ink = (small < 210).astype(np.uint8) * 255
    grown = sharpness_mask(ink)
    # Off the ring: no coverage, so neither sharpness nor the interior is measured.
    assert detect._dark_ring(small, ink, grown, Outline("round", 40.0, 40.0, 30.0, 30.0), 40.0, 4.0) is None
    assert not sharpness
    ring = detect._dark_ring(small, ink, grown, Outline("round", 100.0, 100.0, 62.0, 62.0), 40.0, 4.0)
    assert sharpness and ring is not None and ring.coverage >= detect.MIN_GREY_RING


def test_a_circle_passed_by_beside_a_seal_could_not_have_been_snapped_into_a_second_stamp_s_place() -> None:
    rng = np.random.default_rng(11)
    first = Outline("round", 200.0, 200.0, 80.0, 80.0)
    skipped = 0
    for _ in range(3000):
        cx, cy, r = rng.uniform(0, 400), rng.uniform(0, 400), rng.uniform(30, 140)
        circle = Outline("round", float(cx), float(cy), float(r), float(r))
        if detect._could_be_beside(circle, first):
            continue
        skipped += 1
        for dx in (-2, 0, 2):
            for dy in (-2, 0, 2):
                for scale in detect.REFINE_SCALES:
                    apart = math.hypot(circle.cx + dx - first.cx, circle.cy + dy - first.cy)
                    size = circle.a * float(scale) / first.a
                    assert not (first.a <= apart <= detect.BESIDE_REACH * first.a
                                and detect.OVERLAP_RADII[0] <= size <= detect.OVERLAP_RADII[1])
    assert skipped > 500
