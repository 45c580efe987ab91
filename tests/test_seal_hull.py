"""The seal fits' hull made from each pixel row's first and last ink only (`geometry.hull_candidates`), and the
size judged before the ellipse fit (`detect._single_seal`), pinned against the code they replace."""

from __future__ import annotations

import math

import cv2
import numpy as np
import pytest

from pipeline.seals import detect
from pipeline.seals.geometry import Outline, _densify, fit_outline, hull_candidates


def _old_fit_outline(points: np.ndarray) -> tuple[Outline, Outline, float] | None:
    """`fit_outline` as it was: the hull of every point."""
    if len(points) < 5:
        return None
    hull = cv2.convexHull(points.astype(np.float32).reshape(-1, 1, 2))
    (rcx, rcy), (rw, rh), rangle = cv2.minAreaRect(hull)
    if rw < 2 or rh < 2:
        return None
    dense = _densify(hull.reshape(-1, 2))
    if len(dense) < 5:
        return None
    (ecx, ecy), (ew, eh), eangle = cv2.fitEllipse(dense.astype(np.float32))
    a, b, angle = (ew / 2, eh / 2, eangle) if ew >= eh else (eh / 2, ew / 2, eangle + 90.0)
    ellipse = Outline("oval", ecx, ecy, a, b, angle % 180.0)
    square = Outline("square", rcx, rcy, rw / 2, rh / 2, rangle)
    fill = float(cv2.contourArea(hull)) / (rw * rh)
    return ellipse, square, fill


def _masks() -> list[np.ndarray]:
    """Ink of many shapes: rings, discs, squares (flat rows and columns along the hull), ovals at angles,
    thin lines, a single row or column, specks, noise, and several pieces at once."""
    rng = np.random.default_rng(7)
    masks = []
    for k in range(60):
        mask = np.zeros((160, 200), np.uint8)
        cx, cy = int(rng.integers(60, 140)), int(rng.integers(50, 110))
        kind = k % 10
        if kind == 0:
            cv2.circle(mask, (cx, cy), int(rng.integers(10, 45)), 255, int(rng.integers(1, 6)))
        elif kind == 1:
            cv2.circle(mask, (cx, cy), int(rng.integers(5, 45)), 255, -1)
        elif kind == 2:
            cv2.rectangle(mask, (cx - 30, cy - 20), (cx + int(rng.integers(0, 40)), cy + 25), 255, -1)
        elif kind == 3:
            cv2.ellipse(mask, (cx, cy), (int(rng.integers(15, 55)), int(rng.integers(8, 40))),
                        float(rng.uniform(0, 180)), 0, 360, 255, int(rng.integers(1, 5)))
        elif kind == 4:
            cv2.line(mask, (cx - 50, cy), (cx + 40, cy + int(rng.integers(-30, 30))), 255, int(rng.integers(1, 4)))
        elif kind == 5:
            mask[cy, cx - 40:cx + 40] = 255  # one row
            mask[cy - 30:cy + 30, cx] = 255 if k % 20 == 5 else 0  # and a column, or not
        elif kind == 6:
            mask = (rng.random((160, 200)) < 0.02).astype(np.uint8) * 255
        elif kind == 7:
            mask = (rng.random((160, 200)) < 0.4).astype(np.uint8) * 255
        elif kind == 8:
            box = cv2.boxPoints(((float(cx), float(cy)), (60.0, 35.0), float(rng.uniform(0, 90))))
            cv2.fillPoly(mask, [box.round().astype(np.int32)], 255)
        else:
            for _ in range(int(rng.integers(2, 6))):
                cv2.circle(mask, (int(rng.integers(10, 190)), int(rng.integers(10, 150))),
                           int(rng.integers(2, 30)), 255, int(rng.choice([-1, 1, 3])))
        masks.append(mask)
    return masks


@pytest.mark.parametrize("index", range(60))
def test_hull_of_row_ends_is_the_hull_of_all(index: int) -> None:
    points = cv2.findNonZero(_masks()[index])
    if points is None:
        return
    points = points.reshape(-1, 2)
    full = cv2.convexHull(points.astype(np.float32).reshape(-1, 1, 2))
    ends = cv2.convexHull(hull_candidates(points).astype(np.float32).reshape(-1, 1, 2))
    assert full.shape == ends.shape and np.array_equal(full, ends)
    old, new = _old_fit_outline(points), fit_outline(points)
    assert (old is None) == (new is None)
    if old is not None and new is not None:
        assert old[0] == new[0] and old[1] == new[1]
        assert old[2] == new[2] or (math.isnan(old[2]) and math.isnan(new[2]))


def test_points_not_row_by_row_are_all_kept() -> None:
    points = np.array([[5, 1], [1, 1], [3, 2], [0, 0], [9, 3], [4, 4]])
    assert np.array_equal(hull_candidates(points), points)
    rows = np.array([[1, 0], [2, 0], [3, 0], [0, 1], [5, 1], [2, 2]])
    assert hull_candidates(rows).tolist() == [[1, 0], [3, 0], [0, 1], [5, 1], [2, 2]]


def test_seal_judged_small_before_its_ellipse_is_the_same() -> None:
    """`_single_seal` with the size tested before the ellipse fit gives what it gave with the fit first."""
    px_per_mm = 3.0  # seal size from 42 px: some of the shapes are, some are not
    judged = {True: 0, False: 0}
    for mask in _masks():
        old_fit = detect.fit_hull
        calls: list[int] = []

        def counted(hulled, old_fit=old_fit, calls=calls):  # type: ignore[no-untyped-def]
            calls.append(1)
            return old_fit(hulled)

        detect.fit_hull = counted
        try:
            found = detect._single_seal(mask, mask, px_per_mm)
        finally:
            detect.fit_hull = old_fit
        points = cv2.findNonZero(mask)
        fits = None if points is None else _old_fit_outline(points.reshape(-1, 2))
        small = fits is not None and min(fits[1].a, fits[1].b) * 2 / px_per_mm < detect.MIN_SEAL_MM
        if fits is None or small:
            assert found is None
        if small:
            assert not calls  # judged without the fit
        if fits is not None:
            judged[small] += 1
    assert judged[True] and judged[False]
