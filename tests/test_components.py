"""`pipeline.components`: OpenCV's connected components, labelled in 16 bits where the count fits."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from pipeline.components import component_boxes, components, components_with_centres
from pipeline.tables.pixels import line_angle, measure_skew, speckle_zone, weighted_median


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


def test_centres_are_opencvs_in_16_and_32_bits() -> None:
    """The centroids (float sums of each piece's pixels) do not depend on the type the labels are written in."""
    rng = np.random.default_rng(5)
    dots = np.zeros((600, 600), np.uint8)
    dots[::2, ::2] = 255  # too many pieces for 16 bits: labelled again in 32
    for mask in [(rng.random((300, 400)) > 0.7).astype(np.uint8) * 255, dots]:
        for connectivity in (4, 8):
            count, labels, stats, centres = components_with_centres(mask, connectivity)
            want = cv2.connectedComponentsWithStats(mask, connectivity=connectivity)
            assert count == want[0] and np.array_equal(labels, want[1]) and np.array_equal(stats, want[2])
            assert np.array_equal(centres, want[3])


def _speckle_zone_in_32_bits(ink: np.ndarray, dpi: float) -> np.ndarray:
    """`speckle_zone` as it was: the page labelled in 32 bits."""
    from pipeline.tables.pixels import SPECKLE_CELL_INCH, SPECKLE_DENSITY, SPECKLE_DOT_INCH

    cell = max(1, round(SPECKLE_CELL_INCH * dpi))
    rows, cols = ink.shape[0] // cell + 1, ink.shape[1] // cell + 1
    count, _, stats, centres = cv2.connectedComponentsWithStats((ink > 0).astype(np.uint8), connectivity=8)
    side = max(1, round(SPECKLE_DOT_INCH * dpi))
    dots = (stats[1:, cv2.CC_STAT_WIDTH] <= side) & (stats[1:, cv2.CC_STAT_HEIGHT] <= side)
    counts = np.zeros((rows, cols), np.float64)
    if count > 1 and dots.any():
        where = centres[1:][dots]
        np.add.at(counts, (where[:, 1].astype(int) // cell, where[:, 0].astype(int) // cell), 1.0)
    return counts / (SPECKLE_CELL_INCH ** 2) >= SPECKLE_DENSITY


def test_speckle_zone_is_as_labelled_in_32_bits() -> None:
    rng = np.random.default_rng(3)
    page = np.zeros((500, 700), np.uint8)
    page[40:200, 30:400] = (rng.random((160, 370)) < 0.25).astype(np.uint8) * 255  # a dithered shade
    page[300:310, 50:650] = 255  # a rule
    cv2.putText(page, "1234.56", (60, 420), cv2.FONT_HERSHEY_SIMPLEX, 2.0, 255, 3)
    dense = np.zeros((600, 600), np.uint8)
    dense[::2, ::2] = 255  # more dots than 16 bits can number
    for ink, dpi in [(page, 150.0), (page, 300.0), (dense, 150.0), (np.zeros((50, 60), np.uint8), 150.0)]:
        zone = speckle_zone(ink, dpi)
        assert np.array_equal(zone, _speckle_zone_in_32_bits(ink, dpi))
    assert speckle_zone(page, 150.0).any() and speckle_zone(dense, 150.0).any()


def _masks() -> list[np.ndarray]:
    """Pieces of every kind: specks, bars, rings round other pieces, pieces at the edges, one block shared by
    pieces of one row only (the order OpenCV numbers pieces in goes by 2 x 2 blocks, not by their first pixel)."""
    rng = np.random.default_rng(11)
    masks = []
    for trial in range(400):
        height, width = (int(v) for v in rng.integers(1, 90, 2))
        mask = (rng.random((height, width)) < rng.choice([0.02, 0.1, 0.3, 0.5, 0.7])).astype(np.uint8) * 255
        if trial % 3 == 1:
            mask = cv2.dilate(mask, np.ones((1, 7), np.uint8))
        if trial % 3 == 2:
            mask = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, np.ones((3, 3), np.uint8))
        masks.append(mask)
    ring = np.zeros((40, 40), np.uint8)
    cv2.rectangle(ring, (2, 2), (37, 37), 255, 2)
    ring[18:21, 18:21] = 255  # a piece inside another's hole
    ring[3, 30] = 0
    masks.append(ring)
    offset = np.zeros((6, 12), np.uint8)
    offset[3, 2:4] = 255  # first pixel on row 3, left
    offset[2:4, 8] = 255  # first pixel on row 2, right: OpenCV numbers the left piece first
    masks.append(offset)
    return masks


def test_boxes_are_opencvs_stats_in_its_order() -> None:
    for mask in _masks():
        assert np.array_equal(component_boxes(mask), components(mask, 8)[2][1:, :4])
    assert component_boxes(np.zeros((5, 5), np.uint8)).shape == (0, 4)


def _skew_by_labelling_the_page(horizontal: np.ndarray) -> float:
    """`measure_skew` as it was: every piece labelled on the page (then fitted and weighed as it is)."""
    count, labels, stats = components(horizontal, 8)
    angles = []
    for index in range(1, count):
        x, y, w, h, _ = stats[index]
        if w < horizontal.shape[1] * 0.2:
            continue
        ys, xs = np.nonzero(labels[y:y + h, x:x + w] == index)
        angles.append((line_angle(xs, ys), float(w)))
    return weighted_median(angles)


def test_skew_of_long_pieces_labelled_in_their_boxes_is_as_on_the_page() -> None:
    page = np.zeros((300, 400), np.uint8)
    for row, (tilt, start) in enumerate(((0.02, 10), (-0.01, 30), (0.015, 0), (0.03, 50))):
        for x in range(start, 390):
            page[40 + 60 * row + round(tilt * x), x] = 255
    page[45:47, 100:200] = 255  # a short bar crossing a long rule's box, apart from it
    page[150:152, 300:330] = 255
    assert measure_skew(page) == _skew_by_labelling_the_page(page) != 0.0


def test_the_stars_and_lone_dots_are_found_alike_in_16_and_32_bit_labels(monkeypatch: pytest.MonkeyPatch) -> None:
    """`detect.star_centres` and `stipple.stipple_dots` label through `components_with_centres`: on a 1-bit page of
    print, stars and dots, the same centres as with OpenCV's 32-bit labels (the labels are only compared with a
    piece's number or used as an index)."""
    from pipeline.seals import detect, stipple

    rng = np.random.default_rng(11)
    page = np.full((900, 700), 255, np.uint8)
    for row in range(60, 820, 45):
        for column in range(40, 640, 30):
            cv2.rectangle(page, (column, row), (column + 20, row + 20), 0, 2)
    for cx, cy in ((200, 300), (500, 650)):  # two stars
        points = [(cx + (26 if k % 2 == 0 else 10) * np.cos(np.pi / 2 + k * np.pi / 5),
                   cy - (26 if k % 2 == 0 else 10) * np.sin(np.pi / 2 + k * np.pi / 5)) for k in range(10)]
        cv2.fillPoly(page, [np.array(points).round().astype(np.int32)], 0)
    ys, xs = rng.integers(0, 900, 400), rng.integers(0, 700, 400)
    page[ys, xs] = 0  # lone dots
    dark = (page < 128).astype(np.uint8) * 255
    stars = detect.star_centres(dark, 4.0)
    dots = stipple.stipple_dots(page, 4.0, [])
    assert len(stars) == 2 and len(dots) > 50

    def in_32_bits(mask: np.ndarray, connectivity: int = 8) -> tuple[int, np.ndarray, np.ndarray, np.ndarray]:
        count, labels, stats, centres = cv2.connectedComponentsWithStats(mask, connectivity=connectivity)
        return count, labels, stats, centres

    monkeypatch.setattr(detect, "components_with_centres", in_32_bits)
    monkeypatch.setattr(stipple, "components_with_centres", in_32_bits)
    assert detect.star_centres(dark, 4.0) == stars
    assert np.array_equal(stipple.stipple_dots(page, 4.0, []), dots)
