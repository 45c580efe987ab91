"""Page flattening on pages warped with known geometry: a photographed page (homography onto a desk,
uneven light) and a book-scanner curl (cylinder lift with a shadowed spine); clean scans untouched."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from bench.synth import BASIC_INFO_TABLE, book_scan, curl_offset, draw_page, light_gradient, photograph, scan
from models import SourcePage
from models.common import PageFlattening
from pipeline.flatten import flatten_page
from pipeline.flatten.light import light_spread, paper_brightness
from pipeline.flatten.quad import decimated, find_page_quad, masked_median
from pipeline.flatten.streaks import remove_streaks, streak_columns
from pipeline.preprocess import flatten, to_grey

DPI = 100
DESK = (1000, 1300)
CORNERS = np.array([[150.0, 120.0], [860.0, 170.0], [900.0, 1150.0], [110.0, 1100.0]])


@pytest.fixture(scope="module")
def page() -> np.ndarray:
    """An upright A4 page at DPI with text lines, a ruled table down most of the page and a red seal."""
    return np.asarray(draw_page(DPI, table=BASIC_INFO_TABLE * 6).image)


def table_rules(page: np.ndarray) -> tuple[list[int], int, int]:
    """Rows of the upright page's horizontal table rules, and the columns the table spans."""
    ink = flatten(to_grey(page)) < 128
    inked = np.nonzero(ink.mean(axis=1) > 0.5)[0]
    rows = [int(r) for r in inked if r - 1 not in inked]
    columns = np.nonzero(ink[rows[0]])[0]
    return rows, int(columns.min()), int(columns.max())


def rule_bows(image: np.ndarray, page: np.ndarray) -> list[float]:
    """Peak-to-peak bend (px) of each table rule in `image`, traced on its own pixels from the
    table's right end (where the curl has not reached) leftwards, less the straight line through it."""
    ink = flatten(to_grey(image)) < 128
    rows, left, right = table_rules(page)
    bows = []
    for row in rows:
        y, xs, ys = float(row), [], []
        for x in range(right - 3, left + 3, -1):
            top = round(y) - 3
            hits = np.nonzero(ink[top : top + 7, x])[0]
            if len(hits) and len(hits) < 7:  # all ink: a vertical rule crosses here
                y = top + float(hits.mean())
                xs.append(x)
                ys.append(y)
        residual = np.array(ys) - np.polyval(np.polyfit(xs, ys, 1), xs)
        residual = np.convolve(residual, np.ones(15) / 15, mode="valid")  # a 1-px rule's centre is quantised
        bows.append(float(residual.max() - residual.min()))
    return bows


def test_photographed_page_quad_is_found_within_a_few_pixels(page: np.ndarray) -> None:
    photo = photograph(page, CORNERS, DESK)
    found = find_page_quad(photo)
    assert found is not None
    assert np.abs(found - CORNERS).max() < 3.0


def test_a_page_photographed_from_afar_is_still_found(page: np.ndarray) -> None:
    """The paper fills an eighth of the frame (a page photographed from afar, dev36 a01 p10): still found,
    and rectified from it rather than read as the whole desk."""
    size = (2000, 1500)
    far = np.array([[820.0, 480.0], [1230.0, 500.0], [1250.0, 1070.0], [800.0, 1050.0]])
    assert cv2.contourArea(far.astype(np.float32)) / (size[0] * size[1]) < 0.15
    found = find_page_quad(photograph(page, far, size))
    assert found is not None
    assert np.abs(found - far).max() < 4.0


@pytest.mark.parametrize("shape", [(1, 1), (7, 5), (101, 64), (2105, 1550, 3), (1403, 1034)])
def test_decimated_copy_is_the_strided_one(shape: tuple[int, ...]) -> None:
    image = np.random.default_rng(len(shape)).integers(0, 256, shape, dtype=np.uint8)
    for step in (1, 2, 3, 5, 9):
        assert np.array_equal(decimated(image, step), image[::step, ::step])


def test_masked_median_is_numpys() -> None:
    rng = np.random.default_rng(7)
    for size in (1, 2, 5, 6, 999, 1000):
        values = rng.integers(0, 256, (40, 50), dtype=np.uint8)
        mask = np.zeros(values.shape, np.uint8)
        mask.flat[rng.choice(values.size, size, replace=False)] = 255
        assert masked_median(values, mask) == float(np.median(values[mask > 0]))


def test_photographed_page_is_rectified_to_a4_with_even_light(page: np.ndarray) -> None:
    photo = photograph(page, CORNERS, DESK, light=0.45)
    flat = flatten_page(photo, DPI)
    assert flat.record.quad is not None and flat.record.illumination
    assert flat.image.shape[:2] == (round(11.69 * DPI), round(8.27 * DPI))
    # The rectified page lies on the original: their ink agrees pixel for pixel, give or take blur.
    original, rectified = (cv2.GaussianBlur(flatten(to_grey(i)), (0, 0), 2).astype(np.float32) for i in (page, flat.image))
    assert np.corrcoef(original.ravel(), rectified.ravel())[0, 1] > 0.9
    assert light_spread(paper_brightness(to_grey(flat.image))) < 0.5 * light_spread(paper_brightness(to_grey(photo)))
    # Red seal ink stays red for the red-ink split that follows.
    red, green, blue = (flat.image[..., c].astype(int) for c in range(3))
    assert ((red - np.maximum(green, blue)) > 60).sum() > 500


def test_curled_page_lines_are_straightened(page: np.ndarray) -> None:
    curled = book_scan(page, depth_px=30)
    before = rule_bows(curled, page)
    flat = flatten_page(curled, DPI)
    after = rule_bows(flat.image, page)
    assert max(before) > 8.0
    assert flat.record.dewarped and flat.record.quad is None
    assert max(after) < 0.25 * max(before)
    # The recorded curl is the bend the page's lines had, from the known lift (bend less tilt, as measured).
    offset = curl_offset(page.shape[1], page.shape[0], 30)
    _, left, right = table_rules(page)
    columns = np.arange(left, right)
    true_bows = [np.ptp(row - np.polyval(np.polyfit(columns, row, 1), columns)) for row in offset[300:1000:50, left:right]]
    assert 0.4 * max(true_bows) <= flat.record.curl <= 1.2 * max(true_bows)  # type: ignore[operator]


def test_form_curled_only_near_the_spine_is_straightened() -> None:
    """A form whose cells near the spine hold short values: each is only tilted, so the curl shows
    in how the tilts change across the page (and in the rows), not in any one line's own bend."""
    form = [[f"{r * 3737 + 1000:,}.50万元", "汇聚高校科研院所数量"] for r in range(24)]
    page = np.asarray(draw_page(DPI, body="", table=form, seal=False).image)
    curled = book_scan(page, depth_px=40, spine_share=0.3)
    before = rule_bows(curled, page)
    flat = flatten_page(curled, DPI)
    assert max(before) > 8.0
    assert flat.record.dewarped
    assert max(rule_bows(flat.image, page)) < 0.35 * max(before)


def test_curled_page_stored_sideways_is_straightened(page: np.ndarray) -> None:
    sideways = np.ascontiguousarray(np.rot90(book_scan(page, depth_px=30)))
    flat = flatten_page(sideways, DPI)
    assert flat.record.dewarped
    assert max(rule_bows(np.rot90(flat.image, -1), page)) < 3.0


def test_spine_shadow_is_not_ink(page: np.ndarray) -> None:
    """The print layer of a curled page shows no dark band where the spine's shadow was."""
    flat = flatten_page(book_scan(page, depth_px=30, shadow=0.7), DPI)
    layer = flatten(to_grey(flat.image))
    assert (layer[:, :15] < 128).mean() < 0.01


@pytest.mark.parametrize("kind", ["clean", "skewed grey noisy", "turned", "blank"])
def test_a_scan_is_returned_untouched(page: np.ndarray, kind: str) -> None:
    if kind == "clean":
        image = page
    elif kind == "blank":
        image = np.full_like(page, 238)
    else:
        synth = draw_page(DPI, table=BASIC_INFO_TABLE * 6)
        turned = kind == "turned"
        image = np.asarray(scan(synth, rotation=90 if turned else 0, skew_deg=1.5, grey_paper=not turned, noise=6, seed=3).image)
    flat = flatten_page(image, DPI)
    assert flat.image is image
    assert flat.record == PageFlattening(curl=flat.record.curl)
    assert not flat.record.dewarped


def test_evenly_lit_photo_without_desk_only_gets_its_light_evened(page: np.ndarray) -> None:
    shaded = light_gradient(page, 0.5)
    flat = flatten_page(shaded, DPI)
    assert flat.record.quad is None and flat.record.illumination and not flat.record.dewarped
    assert flat.image.shape == page.shape


def test_flattening_is_recorded_on_the_source_page(tmp_path: Path, page: np.ndarray) -> None:
    from PIL import Image

    from pipeline.config import Settings
    from pipeline.reading import read_document
    from pipeline.runner import _source
    from tests.test_pages import CountingEngine

    path = tmp_path / "photo.jpg"
    Image.fromarray(photograph(page, CORNERS, DESK)).save(path, quality=90)
    options = Settings(cache_dir=tmp_path / "cache", workers=1, dpi=DPI)
    document = read_document(path, options, tmp_path / "work", engine=CountingEngine())
    source: SourcePage = _source(document).pages[0]
    assert source.flattening is not None and source.flattening.quad is not None
    assert document.pages[0].width == pytest.approx(8.27 * 72, abs=1) and document.pages[0].height == pytest.approx(11.69 * 72, abs=1)
    off = read_document(path, options.model_copy(update={"flatten_pages": False}), tmp_path / "off", engine=CountingEngine())
    assert off.pages[0].flattening is None


def test_quad_is_found_where_the_light_falls_off_to_desk_grey(page: np.ndarray) -> None:
    """A pale grey desk and strong fall-off: the far corner of the paper is darker than the lit
    desk, so one brightness threshold cuts it away; the paper's edge (a step all round) still
    places every corner."""
    height, width = page.shape[:2]
    source = np.array([[0, 0], [width - 1, 0], [width - 1, height - 1], [0, height - 1]], dtype=np.float32)
    matrix = cv2.getPerspectiveTransform(source, CORNERS.astype(np.float32))
    inside = cv2.warpPerspective(np.full((height, width), 255, np.uint8), matrix, DESK) > 127
    noise = np.random.default_rng(5).normal(0, 4, (DESK[1], DESK[0], 1))
    photo = np.clip(np.full((DESK[1], DESK[0], 3), 170.0) + noise, 0, 255).astype(np.uint8)
    photo[inside] = cv2.warpPerspective(page, matrix, DESK, flags=cv2.INTER_AREA)[inside]
    found = find_page_quad(cv2.GaussianBlur(light_gradient(photo, 0.5), (3, 3), 0.6))
    assert found is not None
    assert np.abs(found - CORNERS).max() < 4.0


def _streaked(page: np.ndarray, columns: list[tuple[int, int]], tone: float) -> np.ndarray:
    """`page` with whole-height lines at `columns`, as dust on a feeder's glass draws them."""
    out = page.astype(np.float32)
    for x0, x1 in columns:
        out[:, x0:x1] *= tone
    return np.clip(out, 0, 255).astype(np.uint8)


@pytest.mark.parametrize("tone", [0.5, 0.85])
def test_feeder_streaks_are_found_and_filled_in_and_print_is_not(page: np.ndarray, tone: float) -> None:
    grey = to_grey(page)
    rows, left, right = table_rules(page)
    # One streak through the table (a false column rule), one through the text lines, one on open paper.
    columns = [(left + 37, left + 39), (right - 120, right - 117), (right + 20, right + 21)]
    streaked = _streaked(grey, columns, tone)
    assert streak_columns(grey) == []  # a page's own rules and border are no streaks
    assert streak_columns(streaked) == columns
    flat = flatten_page(streaked, DPI)
    assert flat.record.streaks == [list(run) for run in columns]
    # Filled in from the columns beside: the paper is paper again, the table's rules still cross there.
    x = columns[0][0]
    plain = flatten_page(grey, DPI).image
    paper = (plain[:, x - 4:x + 6] > 200).all(axis=1)
    assert paper.mean() > 0.5 and (flat.image[paper, x] > 200).all()
    assert all(flat.image[row, x] < 128 for row in rows)


def test_a_column_rule_down_most_of_the_page_is_no_streak() -> None:
    page = np.full((1200, 800), 245, np.uint8)
    page[60:1140, 100:102] = 20  # a page border: it stops in the margins
    page[:, 400:402] = 30  # a streak: top edge to bottom edge
    page[300:700, 380:420] = 25  # print across the streak does not hide it
    assert streak_columns(page) == [(400, 402)]
    assert streak_columns(np.full((1200, 800), 245, np.uint8)) == []
    untouched = np.full((1200, 800), 245, np.uint8)
    assert flatten_page(untouched, 100).image is untouched


def _lettered_page() -> np.ndarray:
    """Paper with rows of glyph-like marks: bars across a column, and a stem standing in it."""
    page = np.full((1200, 800), 238, np.uint8)
    for top in range(80, 1120, 60):
        page[top:top + 4, 360:440] = 35  # a stroke across the columns the streak will dim
        page[top + 10:top + 30, 395:398] = 35  # a stem inside them
        page[top + 10:top + 30, 300:303] = 35  # and the same stem elsewhere (the neighbours see print too)
        page[top + 10:top + 30, 500:503] = 35
    noise = np.random.default_rng(3).normal(0.0, 2.0, page.shape)  # a grey scan's noise: tones, not two levels
    return np.clip(page + noise, 0, 255).astype(np.uint8)


@pytest.mark.parametrize("tone", [0.45, 0.7, 0.85])
def test_a_streak_is_mapped_back_to_the_tones_beside_it_over_paper_and_print(tone: float) -> None:
    page = _lettered_page()
    streaked = _streaked(page, [(394, 399)], tone)
    restored, runs = remove_streaks(streaked)
    assert runs == [(394, 399)]
    gap = np.abs(restored[:, 393:400].astype(int) - page[:, 393:400].astype(int))
    assert np.percentile(gap, 99) <= 12  # paper is paper again and every stroke is still there
    assert (restored[90:110, 395:398] < 100).all()  # the stem inside the streak is not interpolated away


def test_a_streak_without_tone_left_is_filled_in_from_beside_between_paper() -> None:
    page = np.full((1200, 800), 240, np.uint8)
    page[500:540, 380:420] = 30  # a glyph's bold stroke across the streak's column
    dark = page.copy()
    dark[:, 399:401] = 60  # an opaque speck: one level in every row, nothing of the print left under it
    filled, runs = remove_streaks(dark)
    assert runs == [(399, 401)]
    assert (filled[:400, 399:401] > 200).all() and (filled[600:, 399:401] > 200).all()  # paper again
    assert (filled[505:535, 399:401] == 60).all()  # across print: as scanned, nothing tells stroke from speck
    pale = page.copy()
    pale[:, 399:401] = 255  # a lamp's line at full white cut the stroke
    restored, runs = remove_streaks(pale)
    assert runs == [(399, 401)] and (restored[505:535, 399:401] < 60).all()


@pytest.mark.parametrize("channels", [1, 3])
def test_a_streak_on_a_one_bit_page_is_filled_between_paper_and_left_across_print(channels: int) -> None:
    page = np.full((1200, 800), 255, np.uint8)
    page[500:540, 380:420] = 0  # a stroke across the streak's column
    page[:, 399:401] = 0  # the streak: black in every row, as a 1-bit scan keeps it
    image = page if channels == 1 else np.repeat(page[:, :, None], 3, axis=2)
    filled, runs = remove_streaks(image)
    assert runs == [(399, 401)]
    assert (filled[:400, 399:401] == 255).all() and (filled[600:, 399:401] == 255).all()
    assert (filled[505:535, 399:401] == 0).all()


def test_a_dithered_streak_on_a_one_bit_page_is_found_by_its_tone() -> None:
    # dev25 a10 (a dithered 150 dpi scan): the streak blackened half its pixels in any one row, never
    # 97% of rows at once; taken for a column rule, it cut 'NJE' off fourteen contract numbers.
    rng = np.random.default_rng(5)
    page = np.where(rng.random((1200, 800)) < 0.01, 0, 255).astype(np.uint8)  # paper's dither noise
    for top in range(80, 1120, 60):
        page[top:top + 20, 300:500] = np.where(rng.random((20, 200)) < 0.6, 0, 255)  # a line of print
    assert streak_columns(page) == []
    streaked = page.copy()
    streaked[:, 399:402] = np.where(rng.random((1200, 3)) < 0.5, 0, streaked[:, 399:402])
    assert streak_columns(streaked) == [(399, 402)]
    filled, _ = remove_streaks(streaked)
    assert (filled[:60, 399:402] == 255).mean() > 0.95  # paper again above the print


def test_a_line_down_the_image_s_outermost_columns_is_the_scan_s_edge_not_a_streak() -> None:
    page = np.full((1200, 800), 255, np.uint8)
    page[:, 2:3] = 0  # the glass's border: top to bottom, in no column print reaches
    assert streak_columns(page) == []
    page[:, 400:402] = 0
    assert streak_columns(page) == [(400, 402)]


def test_rows_are_not_averaged_into_a_streak_on_a_photo_s_mid_greys() -> None:
    rng = np.random.default_rng(7)
    desk = np.clip(rng.normal(150, 30, (1200, 800)), 0, 255).astype(np.uint8)  # a textured desk: mid greys
    desk[:, 400:403] = np.clip(desk[:, 400:403].astype(int) - 40, 0, 255)  # a line the texture hides row by row
    assert streak_columns(desk) == []


def test_streaks_grey_levels_are_the_channels_float_mean() -> None:
    """`streaks._grey` adds the channels as integers and divides once: the same float64 values as NumPy's mean
    over the channel axis (every byte sum, rows sampled as the streak search samples them), a grey page as it is."""
    from pipeline.flatten import streaks

    rng = np.random.default_rng(9)
    sums = np.arange(256, dtype=np.uint8)
    every = np.stack(np.meshgrid(sums, sums, sums[::15], indexing="ij"), axis=-1).reshape(256, -1, 3)
    for image in (every, rng.integers(0, 256, (301, 205, 3), dtype=np.uint8),
                  rng.integers(0, 256, (40, 30, 4), dtype=np.uint8)):
        for view in (image, image[::streaks.ROW_STEP], image[::4, ::4]):
            got, want = streaks._grey(view), view.mean(axis=2)
            assert got.dtype == want.dtype and np.array_equal(got, want)
            assert np.array_equal(got.astype(np.int16), want.astype(np.int16))
    grey = rng.integers(0, 256, (50, 60), dtype=np.uint8)
    assert streaks._grey(grey) is grey
