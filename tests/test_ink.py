"""A place is blank only when its pixels hold no ink: rules, dust and the cell's border do not count."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np

import models
from models.page import Page
from pipeline.ink import blank_beside_seals, is_blank

DPI = 150
SCALE = DPI / 72


def _page(tmp_path: Path, faint: bool = False) -> Page:
    image = np.full((int(300 * SCALE), int(400 * SCALE)), 245, np.uint8)
    for y in (50, 100, 150):  # the table's rules, crossing every box
        cv2.line(image, (0, int(y * SCALE)), (image.shape[1], int(y * SCALE)), 20, 2)
    cv2.line(image, (int(200 * SCALE), 0), (int(200 * SCALE), image.shape[0]), 20, 2)
    colour = 170 if faint else 30
    cv2.putText(image, "12.5", (int(215 * SCALE), int(85 * SCALE)), cv2.FONT_HERSHEY_SIMPLEX, 0.6, colour, 1)
    image[int(125 * SCALE), int(300 * SCALE)] = 0  # a speck of dust in the blank cell
    path = tmp_path / "page.png"
    cv2.imwrite(str(path), image)
    return Page(number=1, width=400, height=300, kind="scan", dpi=DPI, print_path=path)


def test_a_cell_with_writing_is_not_blank_and_an_empty_one_is(tmp_path: Path) -> None:
    page = _page(tmp_path)
    assert is_blank(page, [200, 50, 400, 100], "") is False
    assert is_blank(page, [200, 100, 400, 150], "") is True
    assert is_blank(page, [200, 100, 400, 150], "12") is False  # text was read there


def test_faint_writing_still_counts_as_ink(tmp_path: Path) -> None:
    assert is_blank(_page(tmp_path, faint=True), [200, 50, 400, 100], "") is False


def test_without_an_image_or_a_box_it_cannot_tell(tmp_path: Path) -> None:
    text_page = Page(number=1, width=400, height=300, kind="text")
    assert is_blank(text_page, None, "") is True  # a text layer with no text there is blank
    assert is_blank(_page(tmp_path), None, "") is None
    assert is_blank(None, [0, 0, 10, 10], "") is None


def test_a_seals_ring_across_a_blank_place_is_not_its_ink_but_writing_under_the_seal_is(tmp_path: Path) -> None:
    """On a grey scan a seal's ring is as dark as print: the seal's box (found later) takes its ring out of
    a place read as nothing, and what is written inside the ring still counts."""
    image = np.full((int(300 * SCALE), int(400 * SCALE)), 245, np.uint8)
    centre, radius = (int(120 * SCALE), int(60 * SCALE)), int(45 * SCALE)
    cv2.circle(image, centre, radius, 60, 3)  # the ring, crossing the place below it
    cv2.putText(image, "12", (int(90 * SCALE), int(70 * SCALE)), cv2.FONT_HERSHEY_SIMPLEX, 0.6, 30, 1)
    path = tmp_path / "page.png"
    cv2.imwrite(str(path), image)
    page = Page(number=1, width=400, height=300, kind="scan", dpi=DPI, print_path=path)
    seal = models.Seal(page=1, bbox=(75.0, 15.0, 165.0, 105.0))
    place, written = [60.0, 95.0, 300.0, 115.0], [80.0, 55.0, 140.0, 75.0]
    assert is_blank(page, place, "") is False  # the ring, taken for ink
    assert blank_beside_seals(page, place, [seal]) is True
    assert blank_beside_seals(page, written, [seal]) is False  # inside the ring: the seal leaves it as it is
    assert blank_beside_seals(page, [200.0, 200.0, 300.0, 220.0], [seal]) is False  # no seal across it


def test_the_next_lines_characters_reaching_into_a_tall_box_and_a_dotted_rule_are_not_its_ink(
        tmp_path: Path) -> None:
    """A place drawn a little too tall takes in the tops of the line below, and a 1-bit scan breaks a faint
    cell border into dots: neither is the place's own writing."""
    image = np.full((int(300 * SCALE), int(400 * SCALE)), 245, np.uint8)
    cv2.putText(image, "HEAD", (int(100 * SCALE), int(128 * SCALE)), cv2.FONT_HERSHEY_SIMPLEX, 1.2, 30, 2)
    for y in range(int(50 * SCALE), int(150 * SCALE), 5):  # a dotted vertical rule down the place's left side
        image[y:y + 2, int(108 * SCALE):int(108 * SCALE) + 2] = 30
    path = tmp_path / "page.png"
    cv2.imwrite(str(path), image)
    page = Page(number=1, width=400, height=300, kind="scan", dpi=DPI, print_path=path)
    place = [104.0, 90.0, 300.0, 120.0]  # its bottom 7 points over the tops of the line below
    assert is_blank(page, place, "") is True
    assert is_blank(page, [104.0, 108.0, 300.0, 135.0], "") is False  # the line itself, in its own box


def test_a_hairline_column_rule_faded_in_stretches_is_no_ink(tmp_path: Path) -> None:
    """A grey scan's 1 px column rule between a label and its blank place, faded over a 9 px stretch (dev12
    a06's 注册资本): the pieces are one rule, not the place's writing. A figure written there is still ink."""
    image = np.full((int(300 * SCALE), int(400 * SCALE)), 245, np.uint8)
    x = int(110 * SCALE)
    image[int(97 * SCALE):int(106 * SCALE), x] = 90  # the rule's upper piece...
    image[int(106 * SCALE) + 9:int(118 * SCALE), x] = 90  # ...and its lower one, below the faded stretch
    path = tmp_path / "page.png"
    cv2.imwrite(str(path), image)
    page = Page(number=1, width=400, height=300, kind="scan", dpi=DPI, print_path=path)
    place = [106.0, 92.0, 200.0, 120.0]
    assert is_blank(page, place, "") is True
    cv2.putText(image, "500", (int(130 * SCALE), int(112 * SCALE)), cv2.FONT_HERSHEY_SIMPLEX, 0.5, 30, 1)
    cv2.imwrite(str(path), image)
    from pipeline.ink import _grey
    _grey.cache_clear()
    assert is_blank(page, place, "") is False


def test_the_row_above_a_pale_rule_a_tall_box_reaches_past_is_not_its_ink(tmp_path: Path) -> None:
    """dev44 a05 (grey scan): the box of a blank 注册地 reached past the pale hairline rule above its cell into
    the row above, where the wrapped 日 of a date stood more inside the box than out: read as the place's
    ink, the blank was a doubt. The strip past the rule is the other row's; a value in the cell still counts."""
    image = np.full((int(300 * SCALE), int(400 * SCALE)), 250, np.uint8)
    cv2.line(image, (0, int(100 * SCALE)), (image.shape[1], int(100 * SCALE)), 215, 1)  # a hairline, paler than print
    cv2.putText(image, "H", (int(150 * SCALE), int(98 * SCALE)), cv2.FONT_HERSHEY_SIMPLEX, 0.5, 30, 2)  # the row above
    path = tmp_path / "page.png"
    cv2.imwrite(str(path), image)
    page = Page(number=1, width=400, height=300, kind="scan", dpi=DPI, print_path=path)
    place = [104.0, 92.0, 300.0, 122.0]  # its top 8 points over the row above
    assert is_blank(page, place, "") is True
    cv2.putText(image, "500", (int(150 * SCALE), int(115 * SCALE)), cv2.FONT_HERSHEY_SIMPLEX, 0.5, 30, 1)
    cv2.imwrite(str(path), image)
    from pipeline.ink import _grey
    _grey.cache_clear()
    assert is_blank(page, place, "") is False
