"""`reading.stored_colour`: a grey page's image stored in one channel reads as the three-channel JPEG did."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np

from pipeline.reading import stored_colour
from pipeline.seals.ink import load_colour
from pipeline.seals.scan import marks_in_image

DPI = 150.0


def _grey_page() -> np.ndarray:
    """A grey scan of a page with a line of print and a seal's ring (mid grey), as RGB with like channels."""
    rng = np.random.default_rng(4)
    page = np.full((900, 700), 235, np.uint8)
    page = np.clip(page.astype(int) + rng.integers(-6, 7, page.shape), 0, 255).astype(np.uint8)
    cv2.putText(page, "2024 12 345.6", (60, 200), cv2.FONT_HERSHEY_SIMPLEX, 1.4, 30, 3)
    cv2.circle(page, (350, 500), 120, 150, 7)
    cv2.putText(page, "SEAL", (280, 510), cv2.FONT_HERSHEY_SIMPLEX, 1.2, 150, 4)
    return np.dstack([page, page, page])


def _write(path: Path, image: np.ndarray) -> Path:
    assert cv2.imwrite(str(path), image, [cv2.IMWRITE_JPEG_QUALITY, 92])
    return path


def test_one_channel_where_the_three_are_alike(tmp_path: Path) -> None:
    rgb = _grey_page()
    assert stored_colour(rgb).ndim == 2
    tinted = rgb.copy()
    tinted[10, 10, 0] += 1  # one pixel off grey: kept in colour
    assert stored_colour(tinted).shape == rgb.shape
    assert np.array_equal(stored_colour(tinted), cv2.cvtColor(tinted, cv2.COLOR_RGB2BGR))


def test_every_reader_gets_the_pixels_of_the_three_channel_jpeg(tmp_path: Path) -> None:
    rgb = _grey_page()
    three = _write(tmp_path / "three.jpg", cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR))
    one = _write(tmp_path / "one.jpg", stored_colour(rgb))
    for flag in (cv2.IMREAD_COLOR, cv2.IMREAD_GRAYSCALE):
        assert np.array_equal(cv2.imread(str(one), flag), cv2.imread(str(three), flag))
    assert np.array_equal(load_colour(one), load_colour(three))
    marks, grey = marks_in_image(one, DPI)
    assert (marks, grey) == marks_in_image(three, DPI)
    assert grey and len(marks) == 1
