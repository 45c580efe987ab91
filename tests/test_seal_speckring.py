"""A seal's ring on a 1-bit page found as an annulus of raised speck density (`pipeline.seals.speckring`)."""

from __future__ import annotations

import math

import cv2
import numpy as np

from pipeline.seals.geometry import Outline
from pipeline.seals.speckring import (
    SPECK_RING_ARC,
    SPECK_RING_SURPRISE,
    arc_share,
    binomial_surprise,
    find_speck_rings,
    print_mask,
    speck_grid,
    without_band,
)

DPI = 150.0
PX_PER_MM = DPI / 25.4
ROUND = [(19.5 * PX_PER_MM, 19.5 * PX_PER_MM)]


def _printed_page(seed: int = 0) -> tuple[np.ndarray, list[tuple[float, float, float, float]]]:
    """A white A4 page at 150 dpi with lines of solid print (as a fax keeps it), its word boxes, and thin
    scanner noise all over."""
    page = np.full((1754, 1240), 255, np.uint8)
    words = []
    for row in range(200, 1500, 60):
        for column in range(150, 1050, 180):
            for char in range(column, column + 150, 30):
                cv2.rectangle(page, (char, row), (char + 24, row + 24), 0, 3)
            words.append((float(column), float(row), float(column + 150), float(row + 26)))
    rng = np.random.default_rng(seed)
    page[rng.integers(0, 1754, 150), rng.integers(0, 1240, 150)] = 0
    return page, words


def _dithered_ring(page: np.ndarray, cx: float, cy: float, radius_mm: float, share: float,
                   arcs: tuple[tuple[float, float], ...] = ((0.0, 2 * math.pi),), seed: int = 1) -> None:
    """A seal's ring faxed: sparse dither dots (`share` of the ring's pixels) along the given arcs, crossing
    the print, and a handful in the star."""
    rng = np.random.default_rng(seed)
    radius = radius_mm * PX_PER_MM
    for start, end in arcs:
        steps = int((end - start) * radius * 1.2 * 3)
        for angle in np.linspace(start, end, steps):
            if rng.random() < share:
                r = radius + rng.uniform(-1.2, 1.2) * PX_PER_MM / 2
                page[int(cy + r * math.sin(angle)), int(cx + r * math.cos(angle))] = 0
    for _ in range(15):
        page[int(cy + rng.normal(0, 10)), int(cx + rng.normal(0, 10))] = 0


def _rings(page: np.ndarray, words: list[tuple[float, float, float, float]], count: int = 2,
           avoid: list[Outline] | None = None) -> list[Outline]:
    grid = speck_grid(page, PX_PER_MM, print_mask(page.shape, words, PX_PER_MM))
    found = find_speck_rings(grid, ROUND, count, SPECK_RING_SURPRISE, SPECK_RING_ARC, avoid or [])
    return [ring.outline for ring in found]


def _near(outline: Outline, x: float, y: float) -> bool:
    return math.hypot(outline.cx - x, outline.cy - y) < 3 * PX_PER_MM


def test_a_sparse_dithered_ring_crossing_print_is_found_where_it_is() -> None:
    page, words = _printed_page()
    _dithered_ring(page, 620, 700, 19.5, share=0.25)
    rings = _rings(page, words)
    assert len(rings) == 1 and _near(rings[0], 620, 700)
    assert abs(rings[0].a / PX_PER_MM - 19.5) < 2.0


def test_a_ring_kept_only_in_partial_arcs_is_still_a_ring() -> None:
    page, words = _printed_page()
    _dithered_ring(page, 620, 700, 19.5, share=0.3, arcs=((0.2, 2.4), (3.3, 5.2)))
    rings = _rings(page, words)
    assert len(rings) == 1 and _near(rings[0], 620, 700)


def test_a_clean_place_of_print_and_noise_holds_no_ring() -> None:
    page, words = _printed_page()
    assert _rings(page, words) == []


def test_a_clump_of_specks_is_no_ring() -> None:
    """Surprising ink in one place (a smudge, a picture) raises a few sectors of any ring through it."""
    page, words = _printed_page()
    rng = np.random.default_rng(5)
    page[(700 + rng.normal(0, 25, 600)).astype(int), (620 + rng.normal(0, 25, 600)).astype(int)] = 0
    assert _rings(page, words) == []


def test_a_dithered_table_grid_is_set_aside_as_rules_and_holds_no_ring() -> None:
    """Grey table rules thresholded to rows and columns of dots: straight runs, set aside as rules."""
    page, words = _printed_page()
    page[1500:, :] = 255
    for y in range(1520, 1740, 45):
        page[y, 100:1150:5] = 0
    for x in range(100, 1150, 150):
        page[1520:1740:5, x] = 0
    grid = speck_grid(page, PX_PER_MM, print_mask(page.shape, words, PX_PER_MM))
    below = int(1500 / grid.px_per_cell) + 1
    assert grid.occupied[below:].sum() <= 5
    assert _rings(page, words) == []


def test_a_found_seal_s_ring_is_no_evidence_for_another() -> None:
    """The cover's second stamp crossing a found one is judged without the found one's ink."""
    page, words = _printed_page()
    _dithered_ring(page, 560, 700, 19.5, share=0.8, seed=2)
    _dithered_ring(page, 600, 800, 19.5, share=0.2, seed=3)
    first = Outline("round", 560, 700, 19.5 * PX_PER_MM, 19.5 * PX_PER_MM)
    grid = speck_grid(page, PX_PER_MM, print_mask(page.shape, words, PX_PER_MM))
    left = without_band(grid, first)
    # the first ring's left side at y = 650, on paper between two lines of print
    row = int(650 / grid.px_per_cell)
    column = int((560 - math.sqrt((19.5 * PX_PER_MM) ** 2 - 50**2)) / grid.px_per_cell)
    window = (slice(row - 1, row + 2), slice(column - 1, column + 2))
    ring_cells = grid.occupied[window] > 0
    assert ring_cells.any()
    assert not (left.occupied[window] > 0).any() and not (left.usable[window][ring_cells] > 0).any()
    rings = _rings(page, words, count=1, avoid=[first])
    assert len(rings) == 1 and _near(rings[0], 600, 800)


def test_arc_share_counts_only_sectors_not_under_print() -> None:
    page = np.full((600, 600), 255, np.uint8)
    _dithered_ring(page, 300, 300, 19.5, share=0.5, arcs=((-math.pi / 2, math.pi / 2),))
    printed = np.zeros(page.shape, np.uint8)
    printed[:, :300] = 1  # the ring's left half under print: nothing to judge there
    grid = speck_grid(page, PX_PER_MM, printed)
    cx, cy = 300 / grid.px_per_cell, 300 / grid.px_per_cell
    assert arc_share(grid, cx, cy, 19.5, 19.5, 0.001) > 0.8


def test_binomial_surprise_grows_with_the_excess_and_is_zero_at_or_below_the_background() -> None:
    cells = np.array([100.0, 100.0, 100.0, 100.0])
    surprise = binomial_surprise(np.array([1.0, 5.0, 20.0, 40.0]), cells, 0.05)
    assert surprise[0] == 0.0 and surprise[1] == 0.0
    assert 0 < surprise[2] < surprise[3]


def test_the_package_s_seal_size_is_its_found_seals_median_per_shape_else_the_official_one() -> None:
    from models.page import Page
    from pipeline.seals.find import DEFAULT_SEAL_SIZES_MM, _Found, _package_seal_sizes
    from pipeline.seals.slots import PageSeal

    page = Page(number=1, width=595.0, height=842.0, kind="scan", dpi=DPI)

    def found(shape: str, a_mm: float, b_mm: float) -> _Found:
        outline = Outline(shape, 300, 300, a_mm * PX_PER_MM, b_mm * PX_PER_MM)  # type: ignore[arg-type]
        return _Found(PageSeal(1, (0, 0, 1, 1), shape, 1.0), outline, None, outline)

    sizes = _package_seal_sizes([found("oval", 23, 15.5), found("oval", 22, 15), found("oval", 30, 20),
                                 found("round", 19, 19)], [page])
    assert sorted(sizes) == [(19.0, 19.0), (23.0, 15.5)]
    assert _package_seal_sizes([], [page]) == list(DEFAULT_SEAL_SIZES_MM)
    # dev7 a11 (fax): only the company's ovals were found; the department's round seal on the cover is
    # still looked for, at the official size.
    assert _package_seal_sizes([found("oval", 23, 15.5)], [page]) == [DEFAULT_SEAL_SIZES_MM[0], (23.0, 15.5)]


def test_rings_are_looked_for_per_empty_slot_and_beside_the_members_on_the_commitment_page() -> None:
    from models.page import Page
    from pipeline.seals.find import seals_wanted

    pages = [Page(number=1, width=595.0, height=842.0, kind="scan", role="cover"),
             Page(number=2, width=595.0, height=842.0, kind="scan", role="commitment"),
             Page(number=3, width=595.0, height=842.0, kind="scan", role="appendix2_table1"),
             Page(number=4, width=595.0, height=842.0, kind="scan", role="appendix2_table2")]
    slots = {"cover_applicant": False, "cover_recommender": False, "commitment": False,
             "appendix2_table1": True, "appendix2_table2": False}
    assert seals_wanted(slots, pages, members=3) == {1: 2, 2: 4, 4: 1}
    assert seals_wanted({**slots, "commitment": True}, pages, members=3) == {1: 2, 4: 1}
