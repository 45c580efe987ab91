"""Tick boxes from pixels (each mark style) and from text-layer glyphs; neither or both ticked → no choice."""

from __future__ import annotations

from pathlib import Path

import pytest

from models.page import Page, Word
from pipeline.checkboxes import read_checkboxes, read_glyphs
from tests.fixtures.tables.synth import Defects, Sheet, render

OPTIONS = ("制造业企业", "服务商", "其它")
MARKED = ["check_glyph", "cross_glyph", "filled", "hand_tick", "hand_cross", "tick_only"]


def option_row(style: str, target: int = 1) -> list:
    styles = ["empty"] * 3
    styles[target] = style
    return list(zip(styles, ("制造业企业", "服务商", "其它（请标明）"), strict=True))


@pytest.fixture(scope="module")
def drawn(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[int, bool], Page]:
    """One page per (dpi, OCR-put-the-box-in-the-word) with a row of options for every mark style."""
    pages = {}
    folder = tmp_path_factory.mktemp("checkboxes")
    for dpi in (150, 300):
        for box_in_word in (False, True):
            sheet = Sheet(checkboxes=[(60, 100 + 30 * i, option_row(style)) for i, style in enumerate(MARKED)])
            sheet.checkboxes.append((60, 100 + 30 * len(MARKED), option_row("empty")))
            sheet.checkboxes.append((60, 130 + 30 * len(MARKED), [("hand_tick", "是"), ("filled", "否")]))
            pages[(dpi, box_in_word)] = render(sheet, folder, dpi=dpi, name=f"cb{dpi}{box_in_word}",
                                               defects=Defects(box_in_word=box_in_word))
    return pages


def row_region(index: int) -> tuple[float, float, float, float]:
    top = 100 + 30 * index
    return (0.0, top - 5, 595.0, top + 20)


@pytest.mark.parametrize("box_in_word", [False, True])
@pytest.mark.parametrize("dpi", [150, 300])
@pytest.mark.parametrize("index,style", list(enumerate(MARKED)))
def test_each_mark_style_ticks(drawn: dict, dpi: int, box_in_word: bool, index: int, style: str) -> None:
    reading = read_checkboxes(drawn[(dpi, box_in_word)], OPTIONS, row_region(index))
    assert reading.chosen == "服务商", reading.marks
    assert reading.problem is None


@pytest.mark.parametrize("dpi", [150, 300])
def test_neither_ticked(drawn: dict, dpi: int) -> None:
    reading = read_checkboxes(drawn[(dpi, False)], OPTIONS, row_region(len(MARKED)))
    assert reading.chosen is None and reading.ticked == [] and reading.problem == "均未勾选"


@pytest.mark.parametrize("dpi", [150, 300])
def test_both_ticked(drawn: dict, dpi: int) -> None:
    reading = read_checkboxes(drawn[(dpi, False)], ("是", "否"), row_region(len(MARKED) + 1))
    assert reading.chosen is None and reading.ticked == ["是", "否"] and "同时勾选" in (reading.problem or "")


def test_seal_ink_over_a_box_is_not_a_tick(tmp_path: Path) -> None:
    """The seal stage's red ink is lifted out of the print layer the boxes are read from."""
    sheet = Sheet(checkboxes=[(60, 100, option_row("hand_tick", target=0))])
    page = render(sheet, tmp_path, defects=Defects(seal_at=(170, 105)))
    assert read_checkboxes(page, OPTIONS).chosen == "制造业企业"


def text_words(line: str) -> list[Word]:
    """A text-layer line: one word per space-separated run, 10 pt per character."""
    words, x = [], 50.0
    for piece in line.split(" "):
        words.append(Word(piece, (x, 100.0, x + 10 * len(piece), 110.5), 1.0, "text"))
        x += 10 * len(piece) + 6
    return words


@pytest.mark.parametrize("line,chosen", [
    ("☑是 ☐否", "是"), ("☐是 ■否", "否"), ("□是 √否", "否"), ("☒是 □否", "是"),
    ("\uf0fe是 \uf0a8否", "是"),  # Word's Wingdings boxes land in the private use area
])
def test_text_layer_glyphs(line: str, chosen: str) -> None:
    reading = read_glyphs(text_words(line), ("是", "否"))
    assert reading is not None and reading.chosen == chosen


@pytest.mark.parametrize("line,problem", [("☐是 ☐否", "均未勾选"), ("☑是 ☑否", "同时勾选了是、否")])
def test_text_layer_ambiguous(line: str, problem: str) -> None:
    reading = read_glyphs(text_words(line), ("是", "否"))
    assert reading is not None and reading.chosen is None and reading.problem == problem


def test_text_page_reads_glyphs_not_pixels() -> None:
    page = Page(number=1, width=595, height=842, kind="text", words=text_words("☐制造业企业 ☑服务商 ☐其它（请标明）"))
    reading = read_checkboxes(page, OPTIONS)
    assert reading.chosen == "服务商" and all(mark.source == "text" for mark in reading.marks)


@pytest.mark.parametrize("style", ["hand_tick", "filled", "tick_only", "check_glyph"])
def test_boxes_read_without_ocr_of_the_labels(tmp_path: Path, style: str) -> None:
    """OCR garbled the whole row ("ae oF"): the options are told apart by the space between them."""
    page = render(Sheet(checkboxes=[(60, 100, option_row(style))]), tmp_path, dpi=200)
    row = [w for w in page.words]
    box = (min(w.bbox[0] for w in row), min(w.bbox[1] for w in row), max(w.bbox[2] for w in row),
           max(w.bbox[3] for w in row))
    garbage = [Word("口制造业企业”e服务商”5其它", box, 0.5, "ocr")]
    region = (40.0, 90.0, 400.0, 125.0)
    reading = read_checkboxes(page, OPTIONS, region, words=garbage)
    assert reading.chosen == "服务商", reading.marks


# --- drawn rows: every mark style at several scales, blurs and skews ------------------------------
#
# Drawn like the forms: a box glyph from a font (small □ of a CJK font, or a full-size ☐),
# the label after it, and pen marks over the box as a hand fills them in: a tick that
# starts left of the box and overshoots up into the label, a cross, a faint pencil tick,
# a tick drawn over the glyph rather than inside it, and a tick whose long arm runs
# into the neighbouring option's box.

import cv2  # noqa: E402
import numpy as np  # noqa: E402
from PIL import Image, ImageDraw, ImageFont  # noqa: E402

from pipeline.checkboxes import read_pixels  # noqa: E402
from tests.fixtures.tables.synth import FONT_PATH, SYMBOL_FONT_PATH  # noqa: E402

PEN_STYLES = ("hand_tick", "hand_cross", "faint_tick", "tick_over_glyph", "tick_under_box", "tick_into_next")
GLYPHS = {"empty": "□", "filled": "■", "check_glyph": "☑", "cross_glyph": "☒", "tick_only": "√"}
BOX_FONTS = {"small": (FONT_PATH, "□"), "large": (SYMBOL_FONT_PATH, "☐")}


def _pen(draw: ImageDraw.ImageDraw, style: str, box: tuple[int, int, int, int], next_box: tuple[int, int, int, int] | None,
         px: float) -> None:
    """A pen mark over the box glyph `box` (pixels), drawn as a hand would."""
    x0, y0, x1, y1 = box
    w, h = x1 - x0, y1 - y0
    width = max(2, round(1.3 * px))
    if style in ("hand_tick", "faint_tick"):
        colour = 140 if style == "faint_tick" else 25
        width = max(2, round(0.9 * px)) if style == "faint_tick" else width
        draw.line([(x0 - 0.2 * w, y0 + 0.45 * h), (x0 + 0.35 * w, y1 + 0.1 * h), (x1 + 0.9 * w, y0 - 0.5 * h)],
                  fill=colour, width=width, joint="curve")
    elif style == "tick_over_glyph":  # big, mostly over and left of the box, barely inside it
        draw.line([(x0 - 0.9 * w, y0 + 0.3 * h), (x0 - 0.1 * w, y1 + 0.3 * h), (x1 + 0.4 * w, y0 - 0.6 * h)],
                  fill=25, width=width + 1, joint="curve")
    elif style == "tick_under_box":  # dev53 a03: small, from the box's lower corner under it and up into its label
        draw.line([(x0 - 0.1 * w, y1 - 0.15 * h), (x0 + 0.5 * w, y1 + 0.6 * h), (x1 + 1.2 * w, y0 + 0.2 * h)],
                  fill=25, width=width, joint="curve")
    elif style == "hand_cross":
        draw.line([(x0 - 0.1 * w, y0 - 0.1 * h), (x1 + 0.2 * w, y1 + 0.15 * h)], fill=25, width=width)
        draw.line([(x1 + 0.15 * w, y0 - 0.15 * h), (x0 - 0.1 * w, y1 + 0.1 * h)], fill=25, width=width)
    elif style == "tick_into_next" and next_box is not None:
        # A wide, flat tick: its long arm runs over the label and its tip into the next option's box.
        nw, nh = next_box[2] - next_box[0], next_box[3] - next_box[1]
        draw.line([(x0 - 0.1 * w, y0 + 0.35 * h), (x0 + 0.4 * w, y1 + 0.15 * h),
                   (next_box[0] + 0.2 * nw, next_box[1] + 0.35 * nh)], fill=25, width=width, joint="curve")


def draw_options(styles: list[str], labels: list[str], *, dpi: float = 150, box_font: str = "large",
                 blur: float = 0.0, skew: float = 0.0) -> tuple[np.ndarray, float, list[Word], tuple]:
    """A grey print layer of one option row, the scale, the label words (points) and the row's region."""
    scale = dpi / 72
    size = 10.5
    image = Image.new("L", (round(480 * scale), round(40 * scale)), 255)
    draw = ImageDraw.Draw(image)
    label_font = ImageFont.truetype(FONT_PATH, round(size * scale))
    font_path, empty_glyph = BOX_FONTS[box_font]
    box_font_obj = ImageFont.truetype(font_path, round(size * scale * 1.1))
    cursor, top = 20 * scale, 12 * scale
    glyph_boxes, words = [], []
    for style, label in zip(styles, labels, strict=True):
        glyph = GLYPHS.get(style, empty_glyph)
        if glyph == "□" and box_font == "large":
            glyph = "☐"
        if style == "filled" and box_font == "large":
            glyph = "■"
        draw.text((cursor, top), glyph, fill=0, font=box_font_obj)
        gbox = draw.textbbox((cursor, top), glyph, font=box_font_obj)
        glyph_boxes.append(gbox)
        cursor = gbox[2] + 1.5 * scale
        draw.text((cursor, top), label, fill=0, font=label_font)
        lbox = draw.textbbox((cursor, top), label, font=label_font)
        # OCR's word box is a little taller than the ink.
        words.append(Word(label, (lbox[0] / scale, lbox[1] / scale - 1.5, lbox[2] / scale, lbox[3] / scale + 1.5),
                          0.9, "ocr"))
        cursor = lbox[2] + 2.2 * size * scale
    for index, style in enumerate(styles):
        if style in PEN_STYLES:
            following = glyph_boxes[index + 1] if index + 1 < len(glyph_boxes) else None
            _pen(draw, style, glyph_boxes[index], following, scale)
    grey = np.asarray(image)
    if skew:
        grey = np.asarray(image.rotate(skew, resample=Image.Resampling.BILINEAR, fillcolor=255))
    if blur:
        grey = cv2.GaussianBlur(grey, (0, 0), blur * scale / 2.08)
    region = (5.0, 2.0, 475.0, 38.0)
    return grey.copy(), scale, words, region


ONE_TICKED = ["filled", "check_glyph", "cross_glyph", "tick_only", *PEN_STYLES[:-1]]
SCANS = [(150, 0.0, 0.0), (150, 0.8, 0.4), (200, 0.6, -0.3), (300, 1.0, 0.25)]


@pytest.mark.parametrize("box_font", ["small", "large"])
@pytest.mark.parametrize("dpi,blur,skew", SCANS)
@pytest.mark.parametrize("style", ONE_TICKED)
def test_drawn_styles(style: str, dpi: int, blur: float, skew: float, box_font: str) -> None:
    target = 1
    styles = ["empty"] * 3
    styles[target] = style
    grey, scale, words, region = draw_options(styles, ["制造业企业", "服务商", "其它（请标明）"], dpi=dpi,
                                              box_font=box_font, blur=blur, skew=skew)
    reading = read_pixels(grey, scale, words, OPTIONS, region)
    assert reading.chosen == OPTIONS[target], reading.marks


@pytest.mark.parametrize("box_font", ["small", "large"])
@pytest.mark.parametrize("dpi,blur,skew", SCANS)
@pytest.mark.parametrize("first,second", [("hand_tick", "hand_tick"), ("hand_tick", "filled"),
                                          ("check_glyph", "filled"), ("hand_cross", "tick_over_glyph")])
def test_drawn_both_ticked_is_no_choice(first: str, second: str, dpi: int, blur: float, skew: float,
                                        box_font: str) -> None:
    grey, scale, words, region = draw_options([first, second], ["是", "否"], dpi=dpi, box_font=box_font,
                                              blur=blur, skew=skew)
    reading = read_pixels(grey, scale, words, ("是", "否"), region)
    assert reading.chosen is None and reading.ticked == ["是", "否"], reading.marks


@pytest.mark.parametrize("box_font", ["small", "large"])
@pytest.mark.parametrize("dpi,blur,skew", SCANS)
def test_drawn_none_ticked_is_no_choice(dpi: int, blur: float, skew: float, box_font: str) -> None:
    grey, scale, words, region = draw_options(["empty"] * 3, ["制造业企业", "服务商", "其它（请标明）"], dpi=dpi,
                                              box_font=box_font, blur=blur, skew=skew)
    reading = read_pixels(grey, scale, words, OPTIONS, region)
    assert reading.ticked == [] and reading.problem == "均未勾选", reading.marks


@pytest.mark.parametrize("box_font", ["small"])
@pytest.mark.parametrize("dpi,blur,skew", SCANS)
def test_drawn_legal_person_tick_overflowing_towards_no(dpi: int, blur: float, skew: float, box_font: str) -> None:
    """是否注册法人: a hand tick on 是 whose arm runs over 是 into 否's box still chooses 是.

    (With a full-size ☐ the arm's tip can put more ink inside 否's box than the tick
    leaves in 是's, and a stroke bridging the two options hides the gap between them:
    not handled, the reading then has no choice rather than a wrong one, at best.)
    """
    grey, scale, words, region = draw_options(["tick_into_next", "empty"], ["是", "否"], dpi=dpi, box_font=box_font,
                                              blur=blur, skew=skew)
    reading = read_pixels(grey, scale, words, ("是", "否"), region)
    assert reading.chosen == "是", reading.marks


def test_options_ocr_read_as_empty_boxes_are_not_taken_as_ticked_where_no_box_was_seen() -> None:
    """A photo's blurred boxes: no outline seen, ink measured before every option, 服务商 and 其它 both taken
    as ticked; OCR read '□制造业企业2服务商□其它' (its ☑ read '2'): 其它's '□' is its box seen empty, and 服务商
    is the one ticked. A box seen (boxed) is not overruled, nor is anything where the glyphs leave no one."""
    from pipeline.checkboxes import CheckboxReading, OptionMark, _empty_as_read

    words = [Word("□制造业企业2服务商□其它（请标明）", (168.0, 182.0, 336.0, 197.0), 0.9, "ocr")]
    unseen = CheckboxReading((OptionMark("制造业企业", "empty", None, 0.0, boxed=False),
                              OptionMark("服务商", "ticked", None, 0.07, boxed=False),
                              OptionMark("其它", "ticked", None, 0.07, boxed=False)))
    assert _empty_as_read(unseen, words, OPTIONS).chosen == "服务商"
    seen = CheckboxReading((*unseen.marks[:2], OptionMark("其它", "ticked", None, 0.3, boxed=True)))
    assert _empty_as_read(seen, words, OPTIONS).ticked == ["服务商", "其它"]
    all_boxes = [Word("□制造业企业□服务商□其它（请标明）", (168.0, 182.0, 336.0, 197.0), 0.9, "ocr")]
    assert _empty_as_read(unseen, all_boxes, OPTIONS).ticked == ["服务商", "其它"]


@pytest.mark.parametrize(("read", "options", "chosen"), [
    ("国生口内", ("是", "否"), "是"),  # a phone photo (dev60 a02): ■是□否, the options' own characters misread too
    ("口制造业企业区服务商口其它(请标明）", ("制造业企业", "服务商", "其它"), "服务商"),  # ☒ read 区 (dev70 a04)
    ("因是口否", ("是", "否"), "是"),
    ("□制造业企业 服务商□其它", ("制造业企业", "服务商", "其它"), None),  # a box lost: the text cannot say
    ("区是区否", ("是", "否"), None),  # two marked: in doubt, as the pixels were
])
def test_boxes_the_pixels_leave_in_doubt_are_told_by_what_ocr_read_for_them(read: str, options: tuple[str, ...],
                                                                         chosen: str | None) -> None:
    from pipeline.checkboxes import read_ocr_glyphs

    reading = read_ocr_glyphs([Word(read, (0, 0, 80, 12), 0.9, "ocr")], options)
    assert (reading.chosen if reading is not None else None) == chosen
