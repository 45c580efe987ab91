"""The ring samples worked out coordinate by coordinate (`geometry._hits_xy`, `ring_scores_at`, `offset_planes`),
a page's Hough circles snapped together (`detect._refine_circles`) and `ring_round`'s candidates made as arrays:
each pinned against the code it replaces, answer for answer."""

from __future__ import annotations

import math

import numpy as np
import pytest

from pipeline.seals import detect
from pipeline.seals.geometry import (
    _RING_AND_OUTSIDE,
    RING_SCALES,
    Outline,
    _hits_at,
    _hits_xy,
    outline_offsets,
    ring_contrast,
    ring_scores,
    shifted_profiles,
)


def _ink(seed: int, shape: tuple[int, int] = (120, 160), share: float = 0.3) -> np.ndarray:
    return (np.random.default_rng(seed).random(shape) < share).astype(np.uint8) * 255


def _ring_ink() -> np.ndarray:
    """Sparse noise with a ring of radius 30 round (80, 60) and an oval beside it: something to snap onto."""
    ink = _ink(3, share=0.05)
    t = np.linspace(0.0, 2.0 * math.pi, 400)
    for x, y in ((80 + 30 * np.cos(t), 60 + 30 * np.sin(t)), (40 + 25 * np.cos(t), 70 + 18 * np.sin(t))):
        ink[np.rint(y).astype(int).clip(0, 119), np.rint(x).astype(int).clip(0, 159)] = 255
    return ink


@pytest.mark.parametrize("low, high", [(0.0, 119.0), (-30.0, 190.0), (-0.5, 119.49)])
def test_samples_given_by_coordinate_are_looked_up_as_the_stacked_points_are(low: float, high: float) -> None:
    ink = _ink(1)
    points = np.random.default_rng(2).uniform(low, high, (4, 6, 50, 2))
    points[0, 0, :4] = [[0.5, 1.5], [2.5, 3.5], [159.5, 10.0], [-0.5, 119.5]]  # ties round to even
    for image in (ink, ink > 0, ink[5:100, 7:150]):  # a window of a page is not contiguous
        assert np.array_equal(_hits_xy(image, points[..., 0], points[..., 1]), _hits_at(image, points))


def test_samples_that_are_not_numbers_go_to_the_stacked_lookup() -> None:
    ink = _ink(4)
    points = np.random.default_rng(5).uniform(0.0, 110.0, (30, 2))
    points[3, 0], points[7, 1], points[9, 0] = np.nan, np.inf, 1e300
    with np.errstate(invalid="ignore"):
        assert np.array_equal(_hits_xy(ink, points[:, 0], points[:, 1]), _hits_at(ink, points))


OUTLINES = [Outline("round", 80.0, 60.0, 30.0, 30.0), Outline("oval", 40.5, 70.25, 25.0, 18.0, 7.0),
            Outline("oval", np.float32(90.5), 20.0, np.float32(45.2), 30.1, 97.3),  # type: ignore[arg-type]
            Outline("square", 60.0, 60.0, 20.0, 12.5, -33.0), Outline("round", 5.0, 5.0, 40.0, 40.0)]


def _ring_scores_stacked(ink: np.ndarray, outlines: list[Outline], count: int) -> np.ndarray:
    """`ring_scores` as it was: the points stacked on a last axis of two."""
    offsets = outline_offsets(outlines, count)
    centres = np.array([[outline.cx, outline.cy] for outline in outlines])
    hit = _hits_at(ink, centres[:, None, None, :] + _RING_AND_OUTSIDE[None, :, None, None] * offsets[:, None, :, :])
    ring = hit[:, : len(RING_SCALES)].any(axis=1).mean(axis=1)
    return ring + (ring - hit[:, len(RING_SCALES):].any(axis=1).mean(axis=1))


@pytest.mark.parametrize("count", [96, 240])
def test_ring_scores_by_coordinate_are_the_stacked_ones_and_each_ring_contrast_s_sum(count: int) -> None:
    for ink in (_ring_ink(), _ink(6)):
        scores = ring_scores(ink, OUTLINES, count)
        assert np.array_equal(scores, _ring_scores_stacked(ink, OUTLINES, count))
        assert scores.tolist() == pytest.approx([sum(ring_contrast(ink, o, count)) for o in OUTLINES], abs=1e-12)


def test_shifted_profiles_by_coordinate_are_the_stacked_ones() -> None:
    ink, shifts, scales = _ring_ink(), [(dx, dy) for dx in (-2, 0, 2) for dy in (-2, 0, 2)], np.linspace(0.9, 1.1, 11)
    for outline in OUTLINES:
        offsets = scales[:, None, None] * outline.offsets()[None]
        centres = np.array([[outline.cx + dx, outline.cy + dy] for dx, dy in shifts])
        expected = _hits_at(ink, centres[:, None, None, :] + offsets[None]).mean(axis=2)
        assert np.array_equal(shifted_profiles(ink, outline, shifts, scales), expected)


def _refined_one_by_one(ink: np.ndarray, circle: Outline) -> Outline:
    """`_refine_circle` as it was: shift by shift, the first best kept."""
    best, best_score = circle, -1.0
    shifts = [(dx, dy) for dx in (-2, 0, 2) for dy in (-2, 0, 2)]
    for (dx, dy), profile in zip(shifts, shifted_profiles(ink, circle, shifts, detect.REFINE_PROFILE), strict=True):
        index = int(np.argmax(profile))
        if profile[index] > best_score:
            scale = float(detect.REFINE_PROFILE[index]) + detect.REFINE_OUTER
            best_score, best = float(profile[index]), Outline("round", circle.cx + dx, circle.cy + dy,
                                                              circle.a * scale, circle.b * scale)
    return best


def test_circles_snapped_together_are_each_snapped_as_alone() -> None:
    rng = np.random.default_rng(7)
    circles = [Outline("round", float(x), float(y), float(r), float(r))
               for x, y, r in zip(rng.uniform(20, 140, 40), rng.uniform(20, 100, 40), rng.uniform(10, 50, 40),
                                  strict=True)]
    circles += [Outline("round", 81.0, 59.0, 28.0, 28.0), Outline("round", 0.0, 0.0, 0.0, 0.0)]  # a ring; a dot
    for ink in (_ring_ink(), _ink(8), np.zeros((120, 160), np.uint8)):  # no ink: every profile ties
        assert detect._refine_circles(ink, circles) == [_refined_one_by_one(ink, c) for c in circles]


def _ring_round_by_outlines(ink: np.ndarray, cx: float, cy: float, star: float, px_per_mm: float,
                            largest: float) -> Outline | None:
    """`ring_round`'s search as it was: every candidate made as an outline and scored by `ring_scores`."""
    sizes = np.arange(max(detect.MIN_SEAL_MM / 2 * px_per_mm, star), largest, px_per_mm)
    coarse = [Outline("round" if ratio == 1.0 else "oval", cx, cy, a, a * ratio, angle)
              for a in sizes for ratio in detect.STAR_RATIOS
              for angle in (detect.STAR_ANGLES if ratio < 1.0 else (0.0,))]
    if not coarse:
        return None
    best = coarse[int(np.argmax(ring_scores(ink, coarse, 96)))]
    step = 0.5 * px_per_mm
    fine = [Outline(best.shape, best.cx + dx, best.cy + dy, best.a + da, (best.a + da) * best.b / best.a, best.angle)
            for dx in (-2 * step, -step, 0.0, step, 2 * step) for dy in (-2 * step, -step, 0.0, step, 2 * step)
            for da in (-step, 0.0, step)]
    return fine[int(np.argmax(ring_scores(ink, fine, 96)))]


@pytest.mark.parametrize("cx, cy, star, px_per_mm, largest", [
    (80.0, 60.0, 10.0, 4.0, 120.0), (40.3, 70.7, 20.0, 1.7, 60.0), (150.0, 5.0, 8.0, 3.3, 90.0),
    (80.0, 60.0, 200.0, 4.0, 120.0)])  # no size between the star and the largest
def test_ring_round_s_candidates_made_as_arrays_find_the_outlines_found_one_by_one(
        cx: float, cy: float, star: float, px_per_mm: float, largest: float) -> None:
    for ink in (_ring_ink(), _ink(9, share=0.1)):
        found, ring, contrast = detect.ring_round(ink, cx, cy, star, px_per_mm, largest)
        expected = _ring_round_by_outlines(ink, cx, cy, star, px_per_mm, largest)
        if expected is None:
            assert (found, ring, contrast) == (Outline("round", cx, cy, star, star), 0.0, 0.0)
            continue
        expected = detect._named_shape(expected) if expected.shape == "oval" else expected
        assert found == expected
        assert (ring, contrast) == ring_contrast(ink, expected)


def test_ransac_s_ovals_scored_as_arrays_score_as_their_outlines() -> None:
    from pipeline.seals.geometry import _oval_scores

    rng = np.random.default_rng(10)
    ovals = [(float(x), float(y), float(a), float(a) * float(r), float(t)) for x, y, a, r, t in
             zip(rng.uniform(0, 160, 50), rng.uniform(0, 120, 50), rng.uniform(5, 60, 50), rng.uniform(0.5, 1, 50),
                 rng.uniform(0, 180, 50), strict=True)]
    for ink in (_ring_ink(), _ink(11)):
        expected = ring_scores(ink, [Outline("oval", *oval) for oval in ovals], 96)
        assert np.array_equal(_oval_scores(ink, ovals), expected)


def test_oval_fills_by_coordinate_are_the_stacked_ones() -> None:
    from pipeline.seals.geometry import SNAP_ANGLES, SNAP_SCALES, oval_fills

    for ink in (_ring_ink(), _ink(12), _ring_ink()[3:110, 2:150] > 0):  # a bool window too
        offsets = np.stack([o.offsets(SNAP_ANGLES) for o in OUTLINES])
        centres = np.array([[o.cx, o.cy] for o in OUTLINES])
        points = centres[:, None, None, :] + SNAP_SCALES[None, :, None, None] * offsets[:, None, :, :]
        assert np.array_equal(oval_fills(ink, OUTLINES), _hits_at(ink, points).mean(axis=2).max(axis=1))
