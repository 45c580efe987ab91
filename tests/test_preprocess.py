"""Clean-up on synthetic scans: orientation, skew, shadows, red seal ink, blank pages, rules."""

from __future__ import annotations

import shutil
from functools import cache

import cv2
import numpy as np
import pytest

from bench.synth import BASIC_INFO_TABLE, SynthPage, draw_page, scan
from pipeline.ocr import TesseractEngine
from pipeline.ocr.orient import detect_orientation
from pipeline.preprocess import clean_page, deskew, estimate_skew, flatten, gathers_into_a_line, red_ink, to_grey

DPI = 150  # enough for layout work and quick to draw


@cache
def upright() -> SynthPage:
    return draw_page(DPI, table=BASIC_INFO_TABLE)


@pytest.mark.parametrize("rotation", [0, 90, 180, 270])
def test_orientation_is_recovered(rotation: int) -> None:
    page = scan(upright(), rotation=rotation, skew_deg=1.5, noise=4, seed=rotation)
    found = detect_orientation(to_grey(np.asarray(page.image)))
    assert found.rotation == rotation
    assert found.confidence > 0.3


@pytest.mark.parametrize("skew", [-4.2, -1.0, 0.6, 3.0])
def test_skew_is_measured_counter_clockwise_positive(skew: float) -> None:
    page = scan(upright(), skew_deg=skew, seed=7)
    assert estimate_skew(to_grey(np.asarray(page.image))) == pytest.approx(skew, abs=0.15)


def test_clean_page_turns_and_straightens_and_reports_both() -> None:
    page = scan(upright(), rotation=90, skew_deg=-2.0, grey_paper=True, fold_shadow=True, noise=5, seed=3)
    cleaned = clean_page(np.asarray(page.image), DPI)
    assert (cleaned.rotation, cleaned.skew_deg) == (90, pytest.approx(-2.0, abs=0.15))
    height, width = cleaned.print_layer.shape
    assert height > width, "an upright A4 page is taller than wide"
    assert cleaned.colour.shape[:2] == (height, width)
    # Straightened: the table's top rule is level again (one row of the rule mask, not a slope).
    horizontals = [line for line in cleaned.rules_px if line.top == line.bottom and line.x1 - line.x0 > width / 3]
    assert horizontals, "table rules are found on the straightened page"


def test_deskew_is_the_inverse_of_the_scanner_skew() -> None:
    page = scan(upright(), skew_deg=2.5, seed=1)
    grey = to_grey(np.asarray(page.image))
    straight = deskew(grey, 2.5)
    assert abs(estimate_skew(straight)) <= 0.1


def test_flatten_removes_fold_shadow_and_grey_paper() -> None:
    page = scan(draw_page(DPI, seal=False), grey_paper=True, fold_shadow=True, seed=2)
    grey = to_grey(np.asarray(page.image))
    flat = flatten(grey)
    height, width = grey.shape
    band = (slice(int(height * 0.85), int(height * 0.95)), slice(int(width * 0.4), int(width * 0.6)))  # empty paper
    assert grey[band].min() < 150, "the synthetic shadow is dark"
    assert flat[band].min() > 235 and flat[band].mean() > 250
    ink = flat < 128
    assert 0.001 < ink.mean() < 0.2, "text survives flattening"


def test_red_ink_mask_finds_the_seal_and_not_black_text() -> None:
    page = upright()
    rgb = np.asarray(page.image)
    mask = red_ink(rgb) > 0
    assert page.seal_box_px is not None
    x0, y0, x1, y1 = page.seal_box_px
    inside = mask[y0:y1, x0:x1].mean()
    outside = np.delete(mask, np.s_[y0:y1], axis=0).mean()
    assert inside > 0.03 and outside < 0.0005


def test_print_layer_keeps_black_text_under_the_seal() -> None:
    page = upright()
    cleaned = clean_page(np.asarray(page.image), DPI)
    assert cleaned.is_colour and cleaned.seal_mask is not None
    x0, y0, x1, y1 = page.seal_box_px or (0, 0, 0, 0)
    under = cleaned.print_layer[y0:y1, x0:x1]
    seal_only = (cleaned.seal_mask[y0:y1, x0:x1] > 0) & (under > 200)
    assert seal_only.sum() > 0.8 * (cleaned.seal_mask[y0:y1, x0:x1] > 0).sum() * 0.5, "red ink is lifted to paper"
    assert (under < 100).mean() > 0.02, "black print under the seal is still black"


def test_blank_page_is_recognised_even_when_grey_and_noisy() -> None:
    blank = SynthPage(image=draw_page(DPI, title="", body="", seal=False).image)
    page = scan(blank, grey_paper=True, fold_shadow=True, noise=6, seed=4)
    cleaned = clean_page(np.asarray(page.image), DPI)
    assert cleaned.is_blank and not cleaned.rules_px


def test_a_page_holding_one_line_of_print_is_not_blank() -> None:
    """A table's last row run over to a page of its own has less ink than BLANK_INK, gathered in one line."""
    image = np.full((1650, 1275), 255, np.uint8)
    cv2.putText(image, "2024-11-12  Training  120", (200, 300), cv2.FONT_HERSHEY_SIMPLEX, 1.2, 0, 3)
    cleaned = clean_page(image, 150)
    assert not cleaned.is_blank


def test_ink_at_the_edge_or_scattered_is_no_line() -> None:
    shape, dpi = (825, 638), 75.0
    assert gathers_into_a_line(0.001, (100, 150, 300, 170), shape, dpi)
    assert not gathers_into_a_line(0.001, (2, 150, 300, 170), shape, dpi)  # an edge shadow
    assert not gathers_into_a_line(0.001, (100, 150, 140, 170), shape, dpi)  # narrower than an inch: a speck
    assert not gathers_into_a_line(0.001, (100, 100, 500, 700), shape, dpi)  # dust spread over the page
    assert not gathers_into_a_line(0.0, None, shape, dpi)


def test_grey_scan_has_no_seal_layer() -> None:
    page = scan(upright(), seed=5)
    cleaned = clean_page(to_grey(np.asarray(page.image)), DPI)
    assert not cleaned.is_colour and cleaned.seal_mask is None
    assert cleaned.print_layer.ndim == 2


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("tesseract") is None, reason="needs tesseract")
def test_text_under_a_seal_reads_after_red_ink_removal() -> None:
    """The line the synthetic seal covers is read right from the print layer, not from the raw scan."""
    page = draw_page(200)
    cleaned = clean_page(np.asarray(page.image), 200)
    x0, _, x1, _ = page.seal_box_px or (0, 0, 0, 0)
    # The body line that runs through the middle of the seal, right half (under the seal).
    line_top = 72 * 200 // 72 + int(40 * 200 / 72) + 3 * int(22 * 200 / 72)
    box = (x0 - 40, line_top - 8, x1, line_top + int(20 * 200 / 72))
    engine = TesseractEngine(lang="chi_sim")
    words = engine.read_region(cleaned.print_layer, box, dpi=200)
    text = "".join(w.text for w in words)
    expected = page.lines[4][-9:]  # the characters of that line under and beside the seal
    hits = sum(char in text for char in expected)
    assert hits >= len(expected) - 1, f"read {text!r}, expected most of {expected!r}"
    raw = cv2.cvtColor(np.asarray(page.image), cv2.COLOR_RGB2GRAY)
    raw_text = "".join(w.text for w in engine.read_region(raw, box, dpi=200))
    assert hits >= sum(char in raw_text for char in expected)


def _contract_table_page(dpi: int = DPI) -> np.ndarray:
    """A page that is one ruled table of codes and dates, each row's text resting on its lower
    rule (as a scanned contract list prints): rules touch the text they underline."""
    from PIL import Image, ImageDraw

    from bench.synth import cjk_font

    width, height = round(8.27 * dpi), round(11.69 * dpi)
    page = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(page)
    font = cjk_font(round(10 * dpi / 72))
    left, right, top, row = round(0.8 * dpi), width - round(0.8 * dpi), round(1.2 * dpi), round(0.26 * dpi)
    for k in range(24):
        y = top + k * row
        draw.line((left, y + row, right, y + row), fill=0, width=1)
        cells = (f"2024/{k % 12 + 1}/{k + 3}", f"TBKH-FW-20240{k + 22}", "唐山瑞远汽配集团有限公司", f"{k * 7.3 + 9:.1f}")
        for c, text in enumerate(cells):
            x = left + round(c * (right - left) / 4) + 6
            box = draw.textbbox((x, 0), text, font=font)
            draw.text((x, y + row - box[3]), text, font=font, fill=0)  # ink down to the rule
    for c in range(5):
        x = left + round(c * (right - left) / 4)
        draw.line((x, top, x, top + 24 * row), fill=0, width=1)
    return cv2.GaussianBlur(np.asarray(page), (3, 3), 0)


@pytest.mark.parametrize("rotation", [0, 180])
def test_orientation_of_a_ruled_table_is_read_from_its_text_not_its_rules(rotation: int) -> None:
    page = _contract_table_page()
    turned = page if rotation == 0 else cv2.rotate(page, cv2.ROTATE_180)
    assert detect_orientation(turned).rotation == rotation


class _ClassifierByTone:
    """A direction classifier that calls dark chunks upside down whichever way up they are (print it cannot
    read), and others upright when their top half is darker than their bottom half (a line's heads)."""

    def __call__(self, chunks: list[np.ndarray]) -> tuple[None, list[tuple[str, float]], None]:
        return None, [self._judged(chunk) for chunk in chunks], None

    @staticmethod
    def _judged(chunk: np.ndarray) -> tuple[str, float]:
        if float(chunk.mean()) < 64:
            return "180", 0.8
        half = chunk.shape[0] // 2
        return ("0", 1.0) if float(chunk[:half].mean()) < float(chunk[half:].mean()) else ("180", 1.0)


def _headed(grey: np.ndarray, blob: tuple[int, int, int, int], upright: bool = True) -> None:
    """Ink a line the tone classifier reads: its top half darker (upright) or its bottom half."""
    x, y, w, h = blob
    pad = max(1, h // 6)
    top, bottom = y - pad, y + h + pad
    middle = (top + bottom) // 2
    grey[top:middle, x:x + w], grey[middle:bottom, x:x + w] = (96, 160) if upright else (160, 96)


def test_one_long_line_judged_upside_down_does_not_outvote_the_page(monkeypatch: pytest.MonkeyPatch) -> None:
    from pipeline.ocr import orient

    grey = np.full((400, 2000), 128, np.uint8)
    long_line, short = (10, 10, 1900, 20), [(10, 60 + 40 * i, 300, 20) for i in range(5)]
    _headed(grey, long_line, upright=False)  # the long line the classifier misjudges (a title run into rules)
    for blob in short:
        _headed(grey, blob)
    monkeypatch.setattr(orient, "_direction_model", lambda: _ClassifierByTone())
    # By pieces, the long line's many pieces would outvote the five short lines; by lines, it is one of six.
    assert orient.upside_down_vote(grey, [long_line, *short]) > 0


def test_lines_called_upside_down_either_way_up_do_not_outvote_the_page(monkeypatch: pytest.MonkeyPatch) -> None:
    """Five lines the classifier calls upside down whichever way up they are shown (a photographed table's
    blurred rows) and three it reads: the page is upright (the score alone turned it over)."""
    from pipeline.ocr import orient

    grey = np.full((400, 400), 128, np.uint8)
    blobs = [(10, 10 + 40 * i, 300, 20) for i in range(8)]
    for x, y, w, h in blobs[:5]:
        grey[y - 3:y + h + 3, x:x + w] = 0
    for blob in blobs[5:]:
        _headed(grey, blob)
    monkeypatch.setattr(orient, "_direction_model", lambda: _ClassifierByTone())
    assert orient.upside_down_vote(grey, blobs) > 0
    assert orient.upside_down_vote(cv2.rotate(grey, cv2.ROTATE_180), [(x, 400 - y - h, w, h) for x, y, w, h in blobs]) < 0


def test_no_evidence_either_way_keeps_the_page_as_stored(monkeypatch: pytest.MonkeyPatch) -> None:
    from pipeline.ocr import orient

    monkeypatch.setattr(orient, "line_votes", lambda grey, blobs, settled=None, debiased=False: [-0.01])
    page = scan(upright(), rotation=0, noise=4, seed=11)
    found = orient.detect_orientation(to_grey(np.asarray(page.image)))
    assert found.rotation == 0 and found.confidence < orient.MIN_EVIDENCE


@pytest.mark.parametrize(("votes", "turned"), [
    # A phone photo's small print: the classifier's votes scatter, their mean a little below 0.
    ([-0.2, -0.86, 0.72, -0.76, -0.73, -0.3, 0.97, 0.94], False),
    # A page truly upside down: every line agrees.
    ([-1.0, -0.98, -1.0, -0.91, -1.0, -0.6], True),
])
def test_a_page_is_turned_over_only_when_its_lines_agree(
        monkeypatch: pytest.MonkeyPatch, votes: list[float], turned: bool) -> None:
    from pipeline.ocr import orient

    monkeypatch.setattr(orient, "line_votes", lambda grey, blobs, settled=None, debiased=False: votes)
    page = scan(upright(), rotation=0, noise=4, seed=11)
    found = orient.detect_orientation(to_grey(np.asarray(page.image)))
    assert found.rotation == (180 if turned else 0)
    assert found.confidence >= orient.MIN_EVIDENCE  # the old rule alone would have turned both over


class _CountingClassifier(_ClassifierByTone):
    """`_ClassifierByTone`, counting the chunks it is given."""

    def __init__(self) -> None:
        self.chunks = 0

    def __call__(self, chunks: list[np.ndarray]) -> tuple[None, list[tuple[str, float]], None]:
        self.chunks += len(chunks)
        return super().__call__(chunks)


def _lines_page(dark_lines: int, lines: int = 8) -> tuple[np.ndarray, list[tuple[int, int, int, int]]]:
    """A page of `lines` short lines read upright, but the first `dark_lines` of them (read upside down)."""
    grey = np.full((40 * lines + 40, 400), 128, np.uint8)
    blobs = [(10, 10 + 40 * i, 300, 20) for i in range(lines)]
    for index, blob in enumerate(blobs):
        _headed(grey, blob, upright=index >= dark_lines)
    return grey, blobs


def test_the_vote_stops_classifying_lines_once_the_rest_cannot_change_the_answer(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from pipeline.ocr import orient

    grey, blobs = _lines_page(dark_lines=0)
    counting = _CountingClassifier()
    monkeypatch.setattr(orient, "_direction_model", lambda: counting)
    assert orient.upside_down_vote(grey, blobs) == 1.0
    every_chunk = counting.chunks
    counting.chunks = 0
    # Five upright lines of eight: whatever the other three say, the mean stays above 2/8.
    assert orient.upside_down_vote(grey, blobs, lambda low, high: low > 0) == 1.0
    assert 0 < counting.chunks < every_chunk
    # Lines that disagree leave the answer open after the first half: every line is voted on, as before.
    grey, blobs = _lines_page(dark_lines=3)
    counting.chunks = 0
    full = orient.upside_down_vote(grey, blobs)
    every_chunk = counting.chunks
    counting.chunks = 0
    assert orient.upside_down_vote(grey, blobs, lambda low, high: low > 0 or high < 0) == full
    assert counting.chunks == every_chunk


def test_a_page_is_colour_by_its_share_of_clearly_coloured_pixels() -> None:
    from pipeline.preprocess import is_colour_page

    page = np.full((800, 600, 3), 200, np.uint8)
    page[100:140, 100:140] = (200, 150, 160)  # a grey scan's tint: spread 50, not colour
    assert not is_colour_page(page)
    page[300:330, 300:330] = (200, 139, 150)  # spread 61 in 900 pixels, about 56 of the sample's 30000
    assert is_colour_page(page)
    page[300:330, 300:330] = (200, 140, 150)  # spread 60: not clearly coloured
    assert not is_colour_page(page)


@pytest.mark.parametrize(("first_look", "looks"), [([0.9, 0.8, 1.0], [False]), ([-0.9, -0.8, -1.0], [False, True])])
def test_pieces_are_scored_turned_over_only_when_the_page_would_be_turned(
        monkeypatch: pytest.MonkeyPatch, first_look: list[float], looks: list[bool]) -> None:
    from pipeline.ocr import orient

    asked: list[bool] = []

    def votes(grey: np.ndarray, blobs: list[tuple[int, int, int, int]], settled: object = None,
              debiased: bool = False) -> list[float]:
        asked.append(debiased)
        return first_look

    monkeypatch.setattr(orient, "line_votes", votes)
    orient.detect_orientation(to_grey(np.asarray(scan(upright(), rotation=0, noise=4, seed=11).image)))
    assert asked == looks


def _tight_list_page(line_pitch: float, dpi: int = DPI) -> np.ndarray:
    """A title and a short list whose lines stand `line_pitch` character heights apart, blurred as a phone
    photo blurs them (dev a04-word-phone's attachment list): across the page the lines run into each other."""
    from PIL import Image, ImageDraw

    from bench.synth import cjk_font

    width, height = round(8.27 * dpi), round(11.69 * dpi)
    page = Image.new("L", (width, height), 235)
    draw = ImageDraw.Draw(page)
    size = round(9 * dpi / 72)
    draw.text((dpi, dpi), "三、有关说明或证明材料", font=cjk_font(round(12 * dpi / 72)), fill=20)
    items = ["1.申报对象法人证书或营业执照副本、2024年和2025年财务报表。", "2.联合体合作协议（所有涉及单位均需盖章）。",
             "3.真实性承诺（见附1）。", "4.申报对象服务能力证明材料（见附2）。", "5.建设主体资源条件证明材料（见附3）。",
             "6.其他说明或证明材料。"]
    for k, text in enumerate(items):
        draw.text((round(1.2 * dpi), round(1.3 * dpi + k * size * line_pitch)), text, font=cjk_font(size), fill=40)
    return cv2.GaussianBlur(np.asarray(page), (3, 3), 0)


@pytest.mark.parametrize(("line_pitch", "rotation"), [(1.0, 0), (1.05, 90)])
def test_a_tight_list_is_turned_sideways_only_when_its_lines_read_better_so(line_pitch: float, rotation: int) -> None:
    """Blob lengths call the upright tight list sideways (the characters' columns are one character wide,
    the blurred lines are not one line thick): the classifier reads the lines across, not the columns."""
    page = _tight_list_page(line_pitch)
    turned = page if rotation == 0 else cv2.rotate(page, cv2.ROTATE_90_CLOCKWISE)
    assert detect_orientation(turned).rotation == rotation


def test_lines_that_read_as_well_either_way_leave_the_direction_to_their_lengths(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Short columns of characters may read as clearly as the lines (dev a06-word-scan's commitment: 1.00 both
    ways, the columns a hair ahead): a near tie does not turn an upright page sideways."""
    from pipeline.ocr import orient

    page = _tight_list_page(1.15)  # upright, its lines long enough across for the lengths to call it so
    readings = iter([1.0, 0.99999])  # the columns turned (asked first), then the lines across
    monkeypatch.setattr(orient, "legibility", lambda votes: next(readings))
    assert detect_orientation(page).rotation == 0


def _one_row_page(dpi: int = DPI) -> np.ndarray:
    """A page holding only a form's last row (its label and two figures in ruled cells), as a table split
    over two pages leaves it: one line of text, too few for the lines' spread to be weighed."""
    from PIL import Image, ImageDraw

    from bench.synth import cjk_font

    width, height = round(8.27 * dpi), round(11.69 * dpi)
    page = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(page)
    font = cjk_font(round(10.5 * dpi / 72))
    left, right, top, row = round(0.8 * dpi), width - round(0.8 * dpi), round(1.0 * dpi), round(0.42 * dpi)
    edges = [left, left + round(0.2 * (right - left)), left + round(0.7 * (right - left)),
             left + round(0.85 * (right - left)), right]
    draw.rectangle((left, top, right, top + row), outline=0, width=1)
    for x in edges[1:-1]:
        draw.line((x, top, x, top + row), fill=0, width=1)
    for x, text in zip(edges[1:], ("汇聚制造业数字化转型服务商数量（累计）", "10个", "11个"), strict=False):
        draw.text((x + 8, top + round(0.12 * dpi)), text, font=font, fill=0)
    return cv2.GaussianBlur(np.asarray(page), (3, 3), 0)


@pytest.mark.parametrize("rotation", [0, 180])
def test_a_page_of_one_line_is_turned_over_when_that_line_reads_clearly_upside_down(rotation: int) -> None:
    page = _one_row_page()
    turned = page if rotation == 0 else cv2.rotate(page, cv2.ROTATE_180)
    assert detect_orientation(turned).rotation == rotation


def test_a_photo_s_print_blurred_into_long_runs_is_no_rule() -> None:
    """On a photographed page (a maximum thickness given) a band of print run together and the strokes of a
    bold heading blurred into one long line (ink along both its flanks) are left out of the rules and their
    mask, where a thin rule with paper beside it stays; without the limit (a scan) all three are rules."""
    from pipeline.preprocess import find_rules

    dpi = 75.0
    page = np.full((300, 600), 255, np.uint8)
    page[40:42, 50:550] = 0  # a 2 px rule, paper above and below
    page[100:112, 50:300] = 0  # a line of text blurred into a 12 px band
    for x in range(50, 350, 6):  # a bold heading: vertical strokes crossed by one long horizontal stroke
        page[180:200, x:x + 3] = 0
    page[189:191, 50:350] = 0
    _, scan_rules = find_rules(page, dpi)
    across = [r for r in scan_rules if r.top == r.bottom]
    assert len(across) == 3
    mask, photo_rules = find_rules(page, dpi, max_thickness_px=3.5)
    assert [r for r in photo_rules if r.top == r.bottom] == [r for r in across if r.top == 41.0]
    assert not mask[100:112].any() and not mask[189:191].any()


def test_a_photographed_seal_is_lifted_to_the_paper_and_the_print_under_it_stays() -> None:
    """A photo's seal is darker in red (205) than its paper is in grey (240), its edges blurred pink: the red
    channel copied as it is leaves the ring a grey over the print; scaled by paper over ink and blended by
    redness, the ring and its pink edge come out paper, and black print under the ring stays black."""
    from pipeline.preprocess import photo_seal_lifted, seal_lifted

    rgb = np.full((200, 300, 3), (240, 240, 236), np.uint8)
    cv2.circle(rgb, (150, 100), 60, (205, 70, 70), 6)
    rgb = cv2.GaussianBlur(rgb, (0, 0), 1.5)  # a photo's soft, pink-edged ring
    rgb[97:103, 60:240] = (30, 30, 30)  # a line of print running under the ring
    grey = to_grey(rgb)
    seal = red_ink(rgb)
    ring = np.zeros((200, 300), np.uint8)
    cv2.circle(ring, (150, 100), 60, 255, 10)
    ring[90:110] = 0
    as_copied, lifted = seal_lifted(rgb, grey, seal), photo_seal_lifted(rgb, grey, seal)
    assert np.percentile(as_copied[ring > 0], 10) < 225  # the ring left grey
    assert np.percentile(lifted[ring > 0], 10) >= 232  # the ring as light as the paper, edges too
    assert lifted[97:103, 60:240].max() < 80  # the print under the ring kept
    assert np.abs(lifted[170:].astype(int) - grey[170:]).max() <= 3  # paper away from the seal much as it was


def test_a_photographed_page_s_ocr_layer_is_its_paper_division_worked_out_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """A photographed page's OCR layer is `paper_divided(photo_seal_lifted(...))` (before the rules are lifted
    out of it); without seal ink both liftings are the grey page itself, so the print layer's division is used
    and the page is divided by its paper once, not twice. With a seal the two differ and both are made."""
    import pipeline.preprocess as preprocess

    page = scan(upright(), skew_deg=0.0, grey_paper=True, fold_shadow=True, noise=3, seed=5)
    plain = cv2.cvtColor(to_grey(np.asarray(page.image)), cv2.COLOR_GRAY2RGB)  # the synthetic page's seal gone
    stamped = plain.copy()
    cv2.circle(stamped, (300, 300), 70, (205, 60, 60), 6)
    divisions: list[int] = []
    divide = preprocess.paper_divided

    def counted(grey: np.ndarray) -> np.ndarray:
        divisions.append(grey.size)
        return divide(grey)

    monkeypatch.setattr(preprocess, "paper_divided", counted)
    for image, twice in ((plain, False), (stamped, True)):
        divisions.clear()
        cleaned = clean_page(image, DPI, photographed=True)
        full = [size for size in divisions if size == image.shape[0] * image.shape[1]]
        assert len(full) == (2 if twice else 1)
        # The old way: the OCR layer divided on its own, then the rules lifted out as `clean_page` does.
        straight = deskew(preprocess.rotate_upright(image, cleaned.rotation), cleaned.skew_deg)
        seal = red_ink(straight) if cleaned.is_colour else None
        want = divide(preprocess.photo_seal_lifted(straight if cleaned.is_colour else None, to_grey(straight), seal))
        keep = cleaned.ocr_layer != 255
        assert np.array_equal(cleaned.ocr_layer[keep], want[keep])


def _photo_seal_lifted_as_it_was(rgb: np.ndarray, grey: np.ndarray, seal: np.ndarray) -> np.ndarray:
    """`photo_seal_lifted` as it was written, a fresh array per float32 operation."""
    from pipeline.preprocess import SEAL_GAP_PX, SEAL_PINK, SEAL_RING_PX

    red = rgb[..., 0]
    redness = cv2.subtract(red, cv2.max(rgb[..., 1], rgb[..., 2]))
    grown = cv2.dilate(seal, np.ones((3, 3), np.uint8))
    ring = cv2.dilate(seal, np.ones((SEAL_RING_PX, SEAL_RING_PX), np.uint8))
    ring[cv2.dilate(seal, np.ones((SEAL_GAP_PX, SEAL_GAP_PX), np.uint8)) > 0] = 0
    ring[redness >= SEAL_PINK / 2] = 0
    paper = float(np.percentile(grey[ring > 0], 75)) if cv2.countNonZero(ring) >= 50 else 255.0
    gain = max(1.0, paper / max(float(np.median(red[seal > 0])), 1.0))
    weight = np.minimum(redness.astype(np.float32) / SEAL_PINK, 1.0)
    weight[grown > 0] = 1.0
    lifted = (1.0 - weight) * grey.astype(np.float32) + weight * np.minimum(red.astype(np.float32) * gain, 255.0)
    return np.clip(lifted + 0.5, 0, 255).astype(np.uint8)


def test_a_photographed_seal_is_lifted_byte_for_byte_as_written() -> None:
    """The lifting worked in place gives the bytes the expression gave, operation for operation: pink edges,
    a dark seal (gain above 1), paper and print, every redness and red level on a noisy photo."""
    from pipeline.preprocess import photo_seal_lifted

    rng = np.random.default_rng(21)
    for ink, paper in (((205, 70, 70), (240, 240, 236)), ((150, 40, 50), (230, 225, 215)), ((250, 120, 120), (250, 250, 250))):
        rgb = np.full((240, 320, 3), paper, np.uint8)
        cv2.circle(rgb, (160, 120), 70, ink, 7)
        cv2.putText(rgb, "ABC 123", (40, 125), cv2.FONT_HERSHEY_SIMPLEX, 1.5, (30, 30, 30), 3)
        rgb = cv2.GaussianBlur(rgb, (0, 0), 1.2)
        rgb = np.clip(rgb.astype(np.int16) + rng.integers(-12, 13, rgb.shape), 0, 255).astype(np.uint8)
        grey, seal = to_grey(rgb), red_ink(rgb)
        assert seal.any()
        assert np.array_equal(photo_seal_lifted(rgb, grey, seal), _photo_seal_lifted_as_it_was(rgb, grey, seal))
