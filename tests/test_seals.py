"""Seal detection, reading, slots and signatures on synthetic pages (no sample corpus needed).

Pages are drawn with `tests.fixtures.seals.synth`; seal ink is multiplied onto the
print as real ink is. OCR is replaced by a stub except in the `slow` tests.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from pathlib import Path

import cv2
import numpy as np
import pytest
from PIL import Image, ImageDraw

from models.page import EmbeddedImage, Page, Word
from pipeline.config import Settings
from pipeline.seals import SealFindings, SealUnits, find_seals
from pipeline.seals import find as find_module
from pipeline.seals.detect import detect_grey, detect_red
from pipeline.seals.geometry import Outline
from pipeline.seals.signature import _drop_grey_seal_ink, _drop_ring_arcs, _letters_faded, judge
from pipeline.seals.slots import PageSeal, assign_slots, mismatch_checks, slot_values
from pipeline.seals.text import Match, Owner, Reading, match_unit, similarity
from pipeline.seals.unwrap import unwrap
from tests.fixtures.seals.synth import (
    DPI,
    SynthPage,
    fade,
    font,
    mm,
    round_seal,
    signature,
)

LEAD = "杭州智造数字科技有限公司"
MEMBER = "浙江大学"
DEPARTMENT = "浙江省经济和信息化厅"
UNITS = SealUnits(lead=LEAD, members=(MEMBER,), recommender=DEPARTMENT, applicant=LEAD)
PARAGRAPH = "本单位郑重承诺，所提交的申报材料内容真实、准确、完整，不存在虚假记载、误导性陈述。"


class StubReader:
    """Stands in for the OCR line reader: reads nothing, so slots rest on position alone."""

    def __init__(self, *engines: object, **named: object) -> None:
        pass

    def read(self, strip: np.ndarray, text_share: float = 1.0) -> Reading:
        return Reading("", 0.0)


@pytest.fixture
def no_ocr(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(find_module, "LineReader", StubReader)


def settings() -> Settings:
    return Settings(cache_dir=None, workers=1)


def body_text(page: SynthPage, top_mm: float, lines: int) -> None:
    for i in range(lines):
        page.text(PARAGRAPH, 25, top_mm + i * 8.5, 12)


def circle_box(cx_mm: float, cy_mm: float, diameter_mm: float) -> tuple[float, float, float, float]:
    """Box in points of a round seal drawn centred at (cx, cy) (a rotated tile's box is larger)."""
    k = 72.0 / 25.4
    r = diameter_mm / 2
    return ((cx_mm - r) * k, (cy_mm - r) * k, (cx_mm + r) * k, (cy_mm + r) * k)


def box_iou(a: tuple[float, ...] | list[float], b: tuple[float, ...] | list[float]) -> float:
    x0, y0, x1, y1 = max(a[0], b[0]), max(a[1], b[1]), min(a[2], b[2]), min(a[3], b[3])
    inter = max(0.0, x1 - x0) * max(0.0, y1 - y0)
    return inter / ((a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter)


def commitment_page(members: bool = False,
                    signed: str | None = "blue") -> tuple[SynthPage, list[tuple[float, float, float, float]]]:
    page = SynthPage()
    page.text("附1", 25, 25, 14)
    page.text("真实性承诺", 85, 40, 20)
    body_text(page, 60, 6)
    page.text("申报单位（加盖公章）：", 70, 130, 12)
    boxes = [page.stamp(round_seal(LEAD), 135, 128)]
    page.text("法定代表人（签名：              ）", 70, 150, 12)
    if signed:
        colour = (30, 40, 140) if signed == "blue" else (25, 25, 25)
        page.stamp(signature("王建国", colour=colour), 130, 151)
    if members:
        page.text("联合体成员单位（加盖公章）：", 25, 185, 12)
        boxes.append(page.stamp(round_seal(MEMBER), 60, 215))
    return page, boxes


# --- detection ------------------------------------------------------------------------


def test_seal_over_printed_text_is_one_round_seal(tmp_path: Path) -> None:
    page = SynthPage()
    body_text(page, 40, 20)
    page.stamp(round_seal(LEAD, rotation=17), 120, 100)
    truth = circle_box(120, 100, 42)
    found = detect_red(np.asarray(page.image)[..., ::-1].copy(), DPI)
    assert len(found) == 1
    assert found[0].shape == "round"
    box = tuple(v / page.scale for v in found[0].outline.box())
    assert box_iou(box, truth) > 0.8


def test_faded_pink_seal_is_found(tmp_path: Path) -> None:
    page = SynthPage()
    body_text(page, 40, 12)
    truth = page.stamp(fade(round_seal(LEAD, colour=(236, 110, 150)), 0.55), 100, 90)
    found = detect_red(np.asarray(page.image)[..., ::-1].copy(), DPI)
    assert len(found) == 1
    assert box_iou(tuple(v / page.scale for v in found[0].outline.box()), truth) > 0.75


def test_dark_red_oval_seal_is_oval() -> None:
    page = SynthPage()
    truth = page.stamp(round_seal(LEAD, 40, stretch=1.45, colour=(140, 20, 30), bottom="合同专用章"), 100, 100)
    found = detect_red(np.asarray(page.image)[..., ::-1].copy(), DPI)
    assert [c.shape for c in found] == ["oval"]
    assert box_iou(tuple(v / page.scale for v in found[0].outline.box()), truth) > 0.8


def test_red_heading_rule_and_red_text_are_not_seals() -> None:
    page = SynthPage()
    red = (215, 25, 30)
    page.text("浙江省经济和信息化厅文件", 22, 20, 34, colour=red)
    page.rule(15, 45, 195, width_px=6, colour=red)
    page.text("（特急）", 150, 60, 16, colour=red)
    page.text("推荐", 30, 60, 40, colour=red)  # two big red characters: compact, but no border
    body_text(page, 80, 10)
    page.rule(25, 170, 120, width_px=3, colour=red)  # a red underline
    assert detect_red(np.asarray(page.image)[..., ::-1].copy(), DPI) == []


def test_two_overlapping_consortium_seals_are_two() -> None:
    page = SynthPage()
    body_text(page, 40, 8)
    a = page.stamp(round_seal(LEAD), 80, 120)
    b = page.stamp(round_seal(MEMBER, 40), 112, 124)
    found = detect_red(np.asarray(page.image)[..., ::-1].copy(), DPI)
    assert len(found) == 2
    boxes = sorted(tuple(v / page.scale for v in c.outline.box()) for c in found)
    assert box_iou(boxes[0], a) > 0.75 and box_iou(boxes[1], b) > 0.75


def test_grey_scan_seal_found_and_plain_grey_page_has_none() -> None:
    page = SynthPage()
    body_text(page, 30, 25)
    for y in range(240, 280, 8):  # a ruled table: long lines, rectangles, no rings
        page.rule(20, y, 190, width_px=2)
    plain = np.asarray(page.image.convert("L"))
    assert detect_grey(plain, DPI) == []
    truth = page.stamp(fade(round_seal(LEAD), 0.25), 110, 80)
    grey = np.asarray(page.image.convert("L"))
    noisy = np.clip(grey + np.random.default_rng(1).normal(0, 6, grey.shape), 0, 255).astype(np.uint8)
    found = detect_grey(noisy, DPI)
    assert len(found) == 1
    assert box_iou(tuple(v / page.scale for v in found[0].outline.box()), truth) > 0.75


# --- the stage end to end (no OCR) ----------------------------------------------------


def cover_page(tmp_path: Path, grey: bool = False) -> Page:
    page = SynthPage()
    page.text("制造业数字化转型促进中心", 45, 70, 24)
    page.text(f"申报单位：{LEAD}（加盖单位公章）", 30, 170, 14)
    page.text(f"推荐单位：{DEPARTMENT}（省级工业和信息化主管部门盖章）", 30, 192, 14)
    page.stamp(round_seal(LEAD), 115, 168)
    page.stamp(round_seal(DEPARTMENT, 44), 100, 200)  # overlaps the applicant's seal
    return page.save(tmp_path / f"cover{int(grey)}.png", role="cover", grey=grey, number=1)


@pytest.mark.parametrize("grey", [False, True])
def test_cover_slots_follow_the_labels(tmp_path: Path, no_ocr: None, grey: bool) -> None:
    result = find_seals([cover_page(tmp_path, grey)], UNITS, "application", tmp_path / "a.evidence", settings())
    slots = sorted(s.slot or "" for s in result.value.seals)
    assert slots == ["cover_applicant", "cover_recommender"]
    assert result.value.slots["cover_applicant"] and result.value.slots["cover_recommender"]
    # Pages absent from the package: their slots are false, not guessed.
    assert not any(result.value.slots[k] for k in ("commitment", "appendix2_table1", "appendix3_table3"))
    assert result.value.signature is None  # no commitment page


def test_consortium_commitment_lead_fills_slot_member_does_not(tmp_path: Path, no_ocr: None) -> None:
    synth, boxes = commitment_page(members=True)
    page = synth.save(tmp_path / "c.png", role="commitment", number=3)
    result = find_seals([page], UNITS, "application", tmp_path / "a.evidence", settings())
    seals = sorted(result.value.seals, key=lambda s: s.bbox[1])
    assert len(seals) == 2
    assert box_iou(seals[0].bbox, boxes[0]) > 0.75 and seals[0].slot == "commitment"
    assert box_iou(seals[1].bbox, boxes[1]) > 0.75 and seals[1].slot is None
    assert result.value.slots["commitment"]
    assert result.value.signature is True


@pytest.mark.parametrize(("signed", "grey"), [("blue", False), ("black", True), (None, False), (None, True)])
def test_signature_present_or_missing(tmp_path: Path, no_ocr: None, signed: str | None, grey: bool) -> None:
    synth, _ = commitment_page(signed=signed)
    page = synth.save(tmp_path / "c.png", role="commitment", number=2, grey=grey, noise=3.0)
    result = find_seals([page], UNITS, "application", tmp_path / "a.evidence", settings())
    assert result.value.signature is (signed is not None)
    assert result.value.slots["commitment"]
    crop = result.value.signature_crop
    assert crop is not None and (tmp_path / crop).exists()
    assert "signatures.commitment_legal_rep" in result.provenance


def test_electronic_seal_image_counts_once(tmp_path: Path, no_ocr: None) -> None:
    """A text-layer page with a seal picture, whose rendered image shows the same seal: one seal."""
    synth = SynthPage()
    table_note = synth.text("注：申报单位须在本页加盖公章。", 25, 200, 11)
    box = synth.stamp(round_seal(LEAD), 150, 205)
    x0, y0, x1, y1 = (round(v * synth.scale) for v in box)
    picture = tmp_path / "seal.png"
    synth.image.crop((x0, y0, x1, y1)).save(picture)  # rendered as shown, text under it included
    page = synth.save(tmp_path / "t.png", role="appendix2_table3", number=7, kind="mixed",
                      images=[EmbeddedImage(bbox=box, path=picture)])
    page.words = [Word(table_note.text, table_note.bbox, 1.0, "text")]
    result = find_seals([page], UNITS, "application", tmp_path / "a.evidence", settings())
    assert len(result.value.seals) == 1
    seal = result.value.seals[0]
    assert seal.slot == "appendix2_table3" and seal.shape == "round"
    assert box_iou(seal.bbox, box) > 0.8
    assert result.value.slots["appendix2_table3"]


def test_text_page_seal_and_pasted_signature_images(tmp_path: Path, no_ocr: None) -> None:
    """A Word export: no page image at all, only the text layer and the pasted pictures."""
    seal_png, sign_png = tmp_path / "seal.png", tmp_path / "sign.png"
    flat = Image.new("RGB", round_seal(LEAD).size, "white")
    # Pictures are rendered as the page shows them: the print under the seal comes with it.
    ImageDraw.Draw(flat).text((10, flat.height - 60), "（签名：）法定代表人", fill=(20, 20, 20),
                              font=font(36))
    flat.paste(round_seal(LEAD), mask=round_seal(LEAD))
    flat.save(seal_png)
    sig = signature("王建国")
    paper = Image.new("RGB", sig.size, "white")
    paper.paste(sig, mask=sig)
    paper.save(sign_png)
    words = [Word("申报单位（加盖公章）：", (200.0, 400.0, 330.0, 412.0), 1.0, "text"),
             Word("法定代表人（签名：）", (200.0, 460.0, 320.0, 472.0), 1.0, "text")]
    seal_box = (300.0, 360.0, 420.0, 480.0)  # over the signing space
    sign_box = (300.0, 440.0, 380.0, 478.0)

    def page(with_signature: bool) -> Page:
        images = [EmbeddedImage(seal_box, seal_png)] + ([EmbeddedImage(sign_box, sign_png)] if with_signature else [])
        return Page(number=9, width=595.3, height=841.9, kind="text", words=words, images=images, role="commitment")

    signed = find_seals([page(True)], UNITS, "application", tmp_path / "a.evidence", settings()).value
    assert [s.slot for s in signed.seals] == ["commitment"]
    assert signed.signature is True and signed.signature_crop is not None
    unsigned = find_seals([page(False)], UNITS, "application", tmp_path / "b.evidence", settings()).value
    assert unsigned.signature is False
    assert unsigned.slots["commitment"]


def test_crops_are_saved_relative_to_the_json_folder(tmp_path: Path, no_ocr: None) -> None:
    crops = tmp_path / "out" / "doc.pdf.evidence"
    result = find_seals([cover_page(tmp_path)], UNITS, "application", crops, settings())
    for seal in result.value.seals:
        assert seal.crop is not None and seal.crop.startswith("doc.pdf.evidence/")
        image = cv2.imread(str(tmp_path / "out" / seal.crop))
        assert image is not None and image.shape[0] > 100
    no_crops = Settings(cache_dir=None, save_crops=False)
    assert all(s.crop is None for s in find_seals([cover_page(tmp_path)], UNITS, "application", crops,
                                                  no_crops).value.seals)


def test_recommendation_slots_and_empty_findings(tmp_path: Path, no_ocr: None) -> None:
    synth = SynthPage()
    synth.text("关于推荐制造业数字化转型促进中心的函", 30, 40, 16)
    body_text(synth, 60, 5)
    synth.stamp(round_seal(DEPARTMENT, 44), 140, 140)
    letter = synth.save(tmp_path / "l.png", role="recommendation_letter", number=1)
    value = find_seals([letter], SealUnits(province="浙江省"), "recommendation", tmp_path / "e", settings()).value
    assert value.slots == {"recommendation_letter": True, "recommendation_table": False}
    assert value.signature is None
    assert SealFindings.empty("recommendation").slots == {"recommendation_letter": False,
                                                          "recommendation_table": False}


# --- unwrap, reading, matching, slots -------------------------------------------------


def ticks_seal(rotation: float) -> tuple[np.ndarray, Outline]:
    """A ring with 8 radial bars along the top arc, growing longer in reading (clockwise) order."""
    size, r = 400, 180.0
    image = Image.new("L", (size, size), 0)
    draw = ImageDraw.Draw(image)
    c = size / 2
    draw.ellipse((c - r, c - r, c + r, c + r), outline=255, width=6)
    for i in range(8):
        # Reading order runs clockwise on screen from lower left over the top: math angle 210 -> -30.
        phi = np.radians(210 - 240 * (i + 0.5) / 8 - rotation)
        outer, inner = r - 14, r - 14 - (10 + 8 * i)
        draw.line([(c + outer * np.cos(phi), c - outer * np.sin(phi)),
                   (c + inner * np.cos(phi), c - inner * np.sin(phi))], fill=255, width=9)
    return np.asarray(image), Outline("round", c, c, r + 3, r + 3)


@pytest.mark.parametrize("rotation", [0.0, 75.0, 180.0])
def test_polar_unwrap_puts_the_arc_in_reading_order(rotation: float) -> None:
    ink, outline = ticks_seal(rotation)
    strip = unwrap(ink, outline) < 128  # dark text on white
    count, _, stats, centroids = cv2.connectedComponentsWithStats(strip.astype(np.uint8), connectivity=8)
    bars = sorted((centroids[i][0], stats[i, cv2.CC_STAT_HEIGHT]) for i in range(1, count)
                  if stats[i, cv2.CC_STAT_AREA] > 20)
    assert len(bars) == 8
    heights = [h for _, h in bars]
    assert heights == sorted(heights)  # left to right = clockwise = longer bars
    # Upright: bars hang from the rim, which is the top of the strip.
    tops = [stats[i, cv2.CC_STAT_TOP] for i in range(1, count) if stats[i, cv2.CC_STAT_AREA] > 20]
    assert max(tops) - min(tops) <= 6


def test_match_unit_tolerates_seal_ocr_noise() -> None:
    candidates: list[tuple[str, Owner]] = [(LEAD, "lead"), (MEMBER, "member"), (DEPARTMENT, "recommender"),
                                           ("杭州智造数据服务有限公司", "member")]
    match = match_unit("，杭州智造数字科技有限公司司", candidates)
    assert match is not None and (match.name, match.owner) == (LEAD, "lead")
    assert match_unit("浙汇省纬和信息代厅", candidates).owner == "recommender"  # type: ignore[union-attr]
    assert match_unit("杭州智造", candidates) is None  # fits two companies equally: not clear
    assert match_unit("合同专用章", candidates) is None
    assert similarity(LEAD, "棱州智赣煞学村技有有限公司") > similarity("杭州智造数据服务有限公司", "棱州智赣煞学村技有有限公司")


def test_name_mismatch_only_when_clearly_someone_else() -> None:
    def seal(slot: str, match: Match | None, reading: Reading | None = None) -> PageSeal:
        return PageSeal(12, (300.0, 500.0, 420.0, 620.0), "round", 0.9, reading, match, slot)

    expected = UNITS.expected()
    wrong = seal("appendix2_table2", Match(DEPARTMENT, "recommender", 0.9))
    checks = mismatch_checks([wrong], expected)
    assert [(c.code, c.severity, c.where) for c in checks] == [("SEAL_NAME_MISMATCH", "warning", "appendix2_table2")]
    assert checks[0].expected == LEAD and checks[0].found == DEPARTMENT
    stranger = seal("appendix3_table1", None, Reading("宁波港城机电设备有限公司", 0.97))
    assert [c.where for c in mismatch_checks([stranger], expected)] == ["appendix3_table1"]
    unreadable = seal("appendix3_table1", None, Reading("宁波港城机", 0.4))
    right = seal("commitment", Match(LEAD, "lead", 0.95))
    member_beside = seal("commitment", Match(MEMBER, "member", 0.9))
    assert mismatch_checks([unreadable, right, member_beside], expected) == []


def test_cover_without_labels_falls_back_to_text_then_order() -> None:
    cover = Page(number=1, width=595.3, height=841.9, kind="scan", role="cover")
    top = PageSeal(1, (300.0, 400.0, 420.0, 520.0), "round", 0.9, None, Match(DEPARTMENT, "recommender", 0.9))
    low = PageSeal(1, (280.0, 480.0, 400.0, 600.0), "round", 0.9)
    assign_slots([top, low], [cover], "application")
    assert (top.slot, low.slot) == ("cover_recommender", "cover_applicant")
    first = PageSeal(1, (300.0, 400.0, 420.0, 520.0), "round", 0.9)
    second = PageSeal(1, (280.0, 480.0, 400.0, 600.0), "round", 0.9)
    assign_slots([second, first], [cover], "application")
    assert (first.slot, second.slot) == ("cover_applicant", "cover_recommender")
    assert slot_values([first], "application")["cover_applicant"]


# --- real OCR ---------------------------------------------------------------------------


@pytest.mark.slow
def test_seal_text_is_read_and_matched(tmp_path: Path) -> None:
    synth = SynthPage()
    body_text(synth, 150, 6)
    synth.text("注：申报单位须在本页加盖公章。", 25, 210, 11)
    synth.stamp(round_seal(LEAD, rotation=-25), 150, 205)
    synth.stamp(round_seal(MEMBER, 40), 60, 160)
    page = synth.save(tmp_path / "p.png", role="appendix3_table2", number=4)
    sister = SynthPage()
    sister.text("注：申报单位须在本页加盖公章。", 25, 210, 11)
    sister.stamp(round_seal("杭州恒远自动化设备有限公司", rotation=40), 150, 205)
    other = sister.save(tmp_path / "q.png", role="appendix3_table3", number=5)
    result = find_seals([page, other], UNITS, "application", tmp_path / "e", settings())
    assert sorted(s.text or "" for s in result.value.seals if s.page == 4) == sorted([LEAD, MEMBER])
    # The member's seal beside the lead's on the lead's table is not a wrong seal there;
    # a sister company's seal alone on a table is.
    assert [(c.code, c.where) for c in result.checks] == [("SEAL_NAME_MISMATCH", "appendix3_table3")]
    assert result.value.slots["appendix3_table3"]


@pytest.mark.slow
def test_unwrapped_strip_reads_as_the_name() -> None:
    from pipeline.seals.ink import red_mask
    from pipeline.seals.text import LineReader

    seal = round_seal(DEPARTMENT, 44, rotation=140)
    paper = Image.new("RGB", seal.size, "white")
    paper.paste(seal, mask=seal)
    bgr = np.asarray(paper)[..., ::-1].copy()
    found = detect_red(bgr, DPI)
    assert len(found) == 1
    from pipeline.ocr import seal_engine

    reading = LineReader(seal_engine(settings())).read(unwrap(red_mask(bgr), found[0].outline))
    assert similarity(DEPARTMENT, reading.text) >= 0.8, reading
    assert mm(44) > 0


def test_spotting_scores_a_name_in_ctc_posteriors() -> None:
    """Frames for "x 甲乙 y" (blank-separated): 甲乙 spots at 1.0 inside the extra text, 甲丙 does not,
    and the alignment puts 甲 and 乙 on their own frames."""
    from pipeline.seals.spotting import align, greedy_decode, spot

    alphabet = ["blank", "x", "甲", "乙", "丙", "y"]
    path = [1, 0, 2, 2, 0, 3, 0, 5]
    posteriors = np.full((len(path), len(alphabet)), 0.02, np.float32)
    for t, k in enumerate(path):
        posteriors[t, k] = 0.9
    assert greedy_decode(posteriors, alphabet)[0] == "x甲乙y"
    assert spot(posteriors, [2, 3]) == pytest.approx(1.0)
    assert spot(posteriors, [2, 4]) < 0.2
    _, frames = align(posteriors, [2, 3])
    assert frames.tolist() == [-1, -1, 0, 0, -1, 1, -1, -1]


def _posteriors(text: str, alphabet: list[str], frames_per_char: int = 4) -> np.ndarray:
    """A confident CTC frame sequence for `text`: each character on one frame, blanks between."""
    rows = []
    for char in text:
        for frame in range(frames_per_char):
            row = np.full(len(alphabet), 0.001, np.float32)
            row[alphabet.index(char) if frame == 1 else 0] = 0.9
            rows.append(row)
    return np.array(rows)


def test_a_ring_read_from_the_wrong_gap_is_turned_to_end_with_the_name() -> None:
    from pipeline.seals.text import _turn_ending_in_a_name

    read = "自动化有限公司无锡监云"
    alphabet = ["blank", *sorted(set(read))]
    posteriors = _posteriors(read, alphabet)
    path = _turn_ending_in_a_name(posteriors, alphabet, len(posteriors)) or []
    assert "".join(c for c, _ in path) == "无锡监云自动化有限公司"
    assert all(p == pytest.approx(0.9, abs=0.01) for _, p in path)
    whole = "无锡监云自动化有限公司"
    assert _turn_ending_in_a_name(_posteriors(whole, alphabet), alphabet, 4 * len(whole)) is None
    no_name = "无锡监云自动化"  # nothing to end on: left as read
    assert _turn_ending_in_a_name(_posteriors(no_name, alphabet), alphabet, 4 * len(no_name)) is None



def test_a_ring_read_from_inside_the_name_after_its_legal_form_is_turned() -> None:
    from pipeline.ocr.base import LinePosteriors
    from pipeline.seals.text import looks_like_name, posterior_reading

    # Read from the wrong gap the turn begins with the legal form, and so ends as a name would ("…集团"):
    # no one's name begins 有限公司, so the ring is turned to end at 公司.
    read = "有限公司直州集团"
    assert not looks_like_name(read) and not looks_like_name("股份有限公司台州集团")
    assert looks_like_name("直州集团有限公司")
    alphabet = ["blank", *sorted(set(read))]
    frames = np.concatenate([_posteriors(read, alphabet)] * 2)  # the strip's wrapped repeat
    reading = posterior_reading(LinePosteriors(frames, tuple(alphabet)), text_share=0.5)
    assert reading.text == "直州集团有限公司"

# --- reading hard seals: document names, misread rivals, hypotheses ---------------------------


def test_organisations_named_in_the_document_are_found_whole() -> None:
    from pipeline.seals.text import organisation_names

    texts = ["甲方：台州瑞隆数据技术股份有限公司（盖章）", "北京启华工业技术集团有限公司", "注：申报单位须在本页加盖公章。",
             "联合体成员单位：国家工业信息安全发展研究中心、台州卓睿制药有限公司", "台州瑞隆数据技术股份有限公司",
             "登记机关杭州市市场监督管理局"]
    assert organisation_names(texts) == ["台州瑞隆数据技术股份有限公司", "北京启华工业技术集团有限公司",
                                         "国家工业信息安全发展研究中心", "台州卓睿制药有限公司", "杭州市市场监督管理局"]


def _spotting_reading(read: str, names: list[str]) -> Reading:
    """A reading whose posteriors say `read`, confidently, over an alphabet covering `names`."""
    alphabet = ["blank", *sorted(set(read).union(*names))]
    return Reading(read, 0.9, _posteriors(read, alphabet), {c: i for i, c in enumerate(alphabet) if i})


def test_a_misread_copy_of_a_unit_s_name_is_no_rival_to_it() -> None:
    """The cover's recommender read as 浙江省经济和信息化斤 and the letter's 浙江省经济和信息化厅 name one
    department: the seal's clear 厅 picks the right spelling instead of leaving the seal unread."""
    misread = "浙江省经济和信息化斤"
    units = SealUnits(lead=LEAD, recommender=misread, applicant=LEAD).with_departments([DEPARTMENT])
    reading = _spotting_reading(DEPARTMENT, [LEAD, misread])
    match = match_unit(reading, units.candidates())
    assert match is not None and (match.name, match.owner) == (DEPARTMENT, "recommender")


def test_other_organisations_in_the_document_are_read_after_the_units() -> None:
    partner = "台州卓睿制药有限公司"
    units = SealUnits(lead=LEAD, members=(MEMBER,), applicant=LEAD).with_others(
        [partner, "州智造数字科技有限公司"])  # the second: the lead's name cut off in OCR text
    assert [name for name, owner in units.candidates() if owner == "other"] == [partner]
    match = match_unit(_spotting_reading(partner, [LEAD, MEMBER]), units.candidates())
    assert match is not None and (match.name, match.owner) == (partner, "other")
    lead = match_unit(_spotting_reading(LEAD, [partner, MEMBER]), units.candidates())
    assert lead is not None and lead.owner == "lead"


def test_a_table_row_read_as_the_lead_s_name_hides_no_member() -> None:
    """basic_info's lead "name" swallowed the whole table (members included): the members named in
    the text are still spotted, not dropped as pieces of that "name"."""
    row = f"{LEAD}统一社会信用代码成立时间2012-03-08牵头单位类型服务商1台州卓睿制药有限公司制造业企业2{MEMBER}"
    units = SealUnits(lead=row, applicant=LEAD).with_others([LEAD, "台州卓睿制药有限公司"])
    assert ("台州卓睿制药有限公司", "other") in units.candidates()


def test_a_unit_s_name_spelt_right_elsewhere_in_the_document_is_read_as_that_unit() -> None:
    """The members' table was read with 卓 as 草; the consortium agreement spells it right. The seal
    says 卓: it is the member's seal, under the spelling it bears."""
    member = "台州卓睿制药有限公司"
    units = SealUnits(lead=LEAD, members=("台州草睿制药有限公司",), applicant=LEAD).with_others([member])
    assert (member, "member") in units.candidates()
    match = match_unit(_spotting_reading(member, [LEAD, "台州草睿制药有限公司"]), units.candidates())
    assert match is not None and (match.name, match.owner) == (member, "member")


def test_a_unit_s_name_printed_in_a_text_layer_has_no_misread_rival() -> None:
    """The lead's name is printed in the basic-info page's text layer; the scanned cover's OCR read 字 as 学.
    A seal read with the same slip is still the lead's seal under the name the text layer prints, and
    without a text layer the two spellings stay candidates (the seal picks)."""
    lead = "杭州产业数字化研究院"
    misread = "杭州产业数学化研究院"
    scanned = SealUnits(lead=lead, applicant=lead).with_others([misread])
    assert (misread, "lead") in scanned.candidates()
    printed = scanned.with_text_layer(f"牵头单位名称{lead}统一社会信用代码")
    assert [name for name, _ in printed.candidates()] == [lead]
    match = match_unit(_spotting_reading(misread, [lead]), printed.candidates())
    assert match is not None and (match.name, match.owner) == (lead, "lead")
    other = SealUnits(lead=lead, applicant=misread).with_text_layer(lead)
    assert [name for name, _ in other.candidates()] == [lead], "a stated name misread is dropped too"
    member = "杭州产业数据化研究院"  # another unit two characters off the lead's name, printed too
    both = SealUnits(lead=lead, members=(member,), applicant=lead).with_text_layer(f"{lead}成员单位{member}")
    assert (member, "member") in both.candidates()


class _FixedSpots(Reading):
    """A reading whose names spot at given scores (as a strip of stray marks spots a short name)."""

    def spot_all(self, names: Sequence[str]) -> list[float | None]:
        return [0.04 if name == "大连理工大学" else 0.003 for name in names]


def test_a_weak_spot_the_reading_holds_nothing_of_names_no_one() -> None:
    """A fax's seal whose lettering is gone reads as stray marks; the member 大连理工大学 (six characters)
    spots in them at 0.04, eight times any other unit, and the applicant's slot was flagged as that member's
    seal. A weak spot needs the reading to hold some of the name; a sure one, or one the reading supports, stands."""
    units = [(LEAD, "lead"), ("大连理工大学", "member")]
    assert match_unit(_FixedSpots("##的#我，###，我，", 0.29), units) is None
    for reading in ("大连理学", "真安育上理息心民"):  # a weak spot stands where the reading holds a character of it
        supported = match_unit(_FixedSpots(reading, 0.4), units)
        assert supported is not None and supported.name == "大连理工大学"


def test_a_ring_pushed_off_its_circle_is_refitted() -> None:
    from pipeline.seals.read import refit_circle

    ink = np.zeros((300, 300), np.uint8)
    cv2.circle(ink, (150, 150), 110, 255, 5)
    detected = Outline("oval", 142.0, 156.0, 128.0, 100.0)  # pulled into an oval by print crossing the ring
    circle = refit_circle(ink, detected)
    assert circle is not None and circle.shape == "round"
    assert abs(circle.cx - 150) <= 3 and abs(circle.cy - 150) <= 3 and 108 <= circle.a <= 118
    assert refit_circle(ink, Outline("round", 150.0, 150.0, 113.0, 113.0)) is None, "a good fit is kept"


def test_a_dithered_scan_is_told_apart_and_gets_its_tones_back() -> None:
    from pipeline.seals.ink import dedither, is_bilevel

    grey = np.full((200, 200), 250, np.uint8)
    cv2.circle(grey, (100, 100), 70, 140, 6)  # a mid-grey ring: seal ink on a grey scan
    rng = np.random.default_rng(3)
    dithered = np.where(rng.uniform(0, 255, grey.shape) < grey, 255, 0).astype(np.uint8)
    assert is_bilevel(dithered) and not is_bilevel(grey)
    smooth = dedither(dithered, DPI / 25.4)
    assert 90 <= int(smooth[100, 30]) <= 190 and int(smooth[100, 100]) >= 230


def _hard_page(name: str, dpi: float, rotation: float, *, faded: float, colour: tuple[int, int, int],
               rules: bool = False) -> SynthPage:
    """A seal stamped over a block of 12 pt print (with ruled lines under it when `rules`)."""
    page = SynthPage(dpi=dpi)
    for i in range(14):
        page.text(PARAGRAPH, 20, 160 + i * 7.0, 12)
        if rules:
            page.rule(20, 160 + i * 7.0 + 6.2, 190)
    seal = round_seal(name, rotation=rotation, dpi=dpi, colour=colour)
    page.stamp(fade(seal, faded) if faded else seal, 110, 190)
    return page


def _dither(path: Path) -> None:
    Image.open(path).convert("L").convert("1").convert("L").save(path)


@pytest.mark.slow
@pytest.mark.parametrize("case", ["grey-150-over-ruled-print", "dithered-300", "pale-colour-150"])
def test_hard_seals_are_read(tmp_path: Path, case: str) -> None:
    """Seals the first reading misses: a faded seal over ruled print on a 150 dpi grey scan, a 1-bit
    dithered 300 dpi scan, pale ink on a 150 dpi colour scan. Read through the other hypotheses."""
    names = ["杭州智造数字科技有限公司", "宁波甬江智能装备股份有限公司", "温州瓯海精密机械有限公司", "嘉兴南湖新材料研究院"]
    units = SealUnits(lead=names[0], members=tuple(names[1:]), recommender=DEPARTMENT, applicant=names[0])
    if case == "grey-150-over-ruled-print":
        name, page = names[2], _hard_page(names[2], 150, 160.0, faded=0.4, colour=(225, 90, 90), rules=True)
        saved = page.save(tmp_path / "p.png", grey=True, noise=3)
    elif case == "dithered-300":
        name, page = names[0], _hard_page(names[0], 300, -20.0, faded=0.0, colour=(205, 32, 40))
        saved = page.save(tmp_path / "p.png", grey=True)
        _dither(tmp_path / "p.png")
    else:
        name, page = names[1], _hard_page(names[1], 150, 35.0, faded=0.65, colour=(230, 110, 120))
        saved = page.save(tmp_path / "p.png", noise=4)
    result = find_seals([saved], units, "application", tmp_path / "e", settings())
    assert [s.text for s in result.value.seals] == [name]


# --- detected once, and cheap where there is nothing to find ----------------------------------


def test_seals_are_detected_once_per_page_for_tables_and_the_seal_stage(
        tmp_path: Path, no_ocr: None, monkeypatch: pytest.MonkeyPatch) -> None:
    from pipeline.seals import scan
    from pipeline.tables import ghosts

    page = cover_page(tmp_path, grey=True)
    calls: list[int] = []
    detect = scan.detect_page

    def counted(bgr: np.ndarray, dpi: float, grey: bool | None = None) -> list:
        calls.append(1)
        return detect(bgr, dpi, grey)

    monkeypatch.setattr(scan, "detect_page", counted)
    grey = np.asarray(Image.open(page.image_path).convert("L"))
    area = ghosts.seal_area(None, grey, page)  # the tables ask first ...
    assert area is not None and area.any()
    result = find_seals([page], UNITS, "application", tmp_path / "a.evidence", settings())  # ... the seals reuse it
    assert calls == [1]
    assert page.seal_marks is not None and len(page.seal_marks) == len(result.value.seals) == 2


def test_a_page_without_seal_ink_skips_the_ring_search(monkeypatch: pytest.MonkeyPatch) -> None:
    from pipeline.seals import detect

    page = SynthPage()
    body_text(page, 30, 25)  # black print only: no red at all
    searched: list[int] = []
    monkeypatch.setattr(detect, "find_rings", lambda *args, **kwargs: searched.append(1) or [])
    monkeypatch.setattr(detect, "classify_region", lambda *args, **kwargs: searched.append(1) or [])
    assert detect_red(np.asarray(page.image)[..., ::-1].copy(), DPI) == []
    assert searched == []
    blank = np.full((mm(297), mm(210)), 250, np.uint8)
    monkeypatch.setattr(detect, "_hough", lambda *args, **kwargs: searched.append(1))
    assert detect_grey(blank, DPI) == [] and searched == []


def test_the_ring_pre_filter_never_drops_the_faintest_ring_it_must_pass() -> None:
    from pipeline.seals.detect import MIN_RING_COVERAGE, MIN_SEAL_MM, WORK_PX_PER_MM, could_hold_ring

    # The smallest seal at the working resolution, a one-pixel ring inked on just the coverage it needs.
    ring = np.zeros((120, 120), np.uint8)
    radius = MIN_SEAL_MM / 2 * WORK_PX_PER_MM
    angles = np.linspace(0, 2 * np.pi * MIN_RING_COVERAGE, 400)
    ring[(60 + radius * np.sin(angles)).astype(int), (60 + radius * np.cos(angles)).astype(int)] = 255
    assert could_hold_ring(ring, MIN_RING_COVERAGE, WORK_PX_PER_MM)
    assert not could_hold_ring(np.zeros_like(ring), MIN_RING_COVERAGE, WORK_PX_PER_MM)
    # The ring's own pixels, as few as a ring of that coverage can have, pass at any resolution.
    for px_per_mm in (0.5, 1.0, 2.0, 4.0):
        small = np.zeros((200, 200), np.uint8)
        r = max(4.0, MIN_SEAL_MM / 2 * px_per_mm)
        cv2.ellipse(small, (100, 100), (round(r), round(r)), 0, 0, 360 * MIN_RING_COVERAGE, 255, 1)
        assert could_hold_ring(small, MIN_RING_COVERAGE, px_per_mm)


def test_ring_scores_in_one_pass_equal_the_scores_one_by_one() -> None:
    from pipeline.seals.geometry import ring_contrast, ring_scores

    rng = np.random.default_rng(7)
    ink = (rng.random((200, 260)) < 0.08).astype(np.uint8) * 255
    cv2.circle(ink, (120, 100), 60, 255, 3)
    outlines = [Outline("oval", float(rng.uniform(40, 220)), float(rng.uniform(30, 170)), float(rng.uniform(20, 90)),
                        float(rng.uniform(15, 60)), float(rng.uniform(0, 180))) for _ in range(60)]
    outlines.append(Outline("round", 120.0, 100.0, 61.0, 61.0))
    expected = [sum(ring_contrast(ink, outline, 96)) for outline in outlines]
    assert ring_scores(ink, outlines, 96).tolist() == expected


# --- seals stamped over each other, 1-bit scans ----------------------------------------


def cover_stamps(grey: bool) -> tuple[np.ndarray, list[tuple[float, float, float, float]]]:
    """The cover's two stamps on neighbouring lines: centres 9 mm apart, each well inside the other."""
    page = SynthPage()
    page.text("申报单位：杭州智造数字科技有限公司（加盖单位公章）", 25, 120, 12)
    page.text("推荐单位：浙江省经济和信息化厅（省级工业和信息化主管部门盖章）", 25, 132, 12)
    boxes = [page.stamp(round_seal(LEAD), 150, 118), page.stamp(fade(round_seal(DEPARTMENT), 0.3), 144, 125)]
    if grey:
        return np.asarray(page.image.convert("L")).copy(), boxes
    return np.asarray(page.image)[..., ::-1].copy(), boxes


@pytest.mark.parametrize("grey", [False, True])
def test_two_stamps_over_each_other_are_two_seals(grey: bool) -> None:
    pixels, truth = cover_stamps(grey)
    found = detect_grey(pixels, DPI) if grey else detect_red(pixels, DPI)
    boxes = [tuple(v * 72.0 / DPI for v in c.outline.box()) for c in found]
    assert len(found) == 2, boxes
    for box in truth:
        assert max(box_iou(box, other) for other in boxes) > 0.7


def test_the_covers_second_oval_stamp_beside_the_first_is_found() -> None:
    """Two oval stamps on the cover's lines of print, the second turned a little and crossing the first and
    the print, on a thresholded (1-bit) capture: as a circle neither is round, and the second's ring joins
    the first's and the print's ink; searched beside the first, of its shape, it is found."""
    page = SynthPage()
    lines = ["申报单位：杭州智造数字科技有限公司", "（加盖单位公章）", "推荐单位：浙江省经济和信息化厅",
             "（省级工业和信息化主管部门盖章）", "联系人及电话：王明 13800000000"]
    for i, line in enumerate(lines):
        page.text(line, 25, 112 + 9 * i, 12)
    truth = [page.stamp(round_seal(LEAD, 33, stretch=1.42), 120, 118),
             page.stamp(round_seal(DEPARTMENT, 29, stretch=1.42, rotation=6), 110, 133)]
    pixels = np.where(np.asarray(page.image.convert("L")) < 160, 0, 255).astype(np.uint8)
    found = detect_grey(pixels, DPI)
    boxes = [tuple(v * 72.0 / DPI for v in c.outline.box()) for c in found]
    assert len(found) == 2, boxes
    for box in truth:
        assert max(box_iou(box, other) for other in boxes) > 0.7


def test_a_second_oval_stamp_on_a_1_bit_page_must_stand_out_like_any_ring_there() -> None:
    """A ring beside the first oval, inked all round, with ink just outside it in half its directions (a dense
    table's blurred print rings so, contrast ~0.4): a second stamp by the grey page's `MIN_CONTRAST`, none by the
    1-bit page's `MIN_GREY_CONTRAST`."""
    from pipeline.seals.detect import MIN_CONTRAST, MIN_GREY_CONTRAST, second_oval

    ink = np.zeros((400, 600), np.uint8)
    first = Outline("oval", 200, 200, 92, 64, 0.0)
    second = Outline("oval", 330, 250, 90, 62, 0.0)
    for outline in (first, second):
        cv2.ellipse(ink, (round(outline.cx), round(outline.cy)), (round(outline.a), round(outline.b)), 0, 0, 360, 255, 3)
        cv2.circle(ink, (round(outline.cx), round(outline.cy)), 14, 255, -1)  # the star
    # Print just outside the second ring, in about half its directions.
    cv2.ellipse(ink, (330, 250), (round(90 * 1.15), round(62 * 1.15)), 0, 0, 200, 255, 3)
    assert second_oval(ink, second, first, 4.0, MIN_CONTRAST) is not None
    assert second_oval(ink, second, first, 4.0, MIN_GREY_CONTRAST) is None


def test_one_seal_is_not_split_in_two_by_print_across_it() -> None:
    page = SynthPage()
    body_text(page, 100, 6)
    for y in (104, 112, 120):
        page.rule(20, y, 190, width_px=3)
    page.stamp(round_seal(LEAD), 110, 112)
    assert len(detect_red(np.asarray(page.image)[..., ::-1].copy(), DPI)) == 1
    assert len(detect_grey(np.asarray(page.image.convert("L")).copy(), DPI)) == 1


def test_an_oval_fitted_round_two_rings_is_neither() -> None:
    from pipeline.seals.detect import Candidate, suppress

    left, right = Outline("round", 100, 100, 80, 80), Outline("round", 130, 110, 80, 80)
    union = Outline("oval", 115, 105, 96, 85, 20.0)
    kept = suppress([Candidate(union, 1.0, "red", 0.98), Candidate(left, 0.95, "red", 1.0),
                     Candidate(right, 0.9, "red", 0.95)])
    assert sorted(c.outline.cx for c in kept) == [100, 130]
    # The same two outlines with a broken ring are one seal fitted twice: the better one stays.
    twice = suppress([Candidate(left, 0.95, "red", 1.0), Candidate(right, 0.9, "red", 0.6)])
    assert [c.outline.cx for c in twice] == [100]


def fax(grey: np.ndarray, seal_tone_share: float, seed: int = 5) -> np.ndarray:
    """A fax-like 1-bit capture: each pixel black with the probability of its darkness, so black print
    stays solid and a red seal (light grey) keeps only scattered dots."""
    darkness = 1.0 - grey.astype(np.float32) / 255.0
    darkness = np.where(darkness > 0.6, 1.0, darkness * seal_tone_share)
    dots = np.random.default_rng(seed).random(grey.shape) < darkness
    return np.where(dots, 0, 255).astype(np.uint8)


def test_a_seal_left_as_scattered_dots_on_a_fax_is_found() -> None:
    page = SynthPage()
    body_text(page, 40, 12)
    plain = fax(np.asarray(page.image.convert("L")), 1.0)
    assert detect_grey(plain, DPI) == []
    truth = page.stamp(round_seal(LEAD), 120, 90)
    found = detect_grey(fax(np.asarray(page.image.convert("L")), 1.0), DPI)
    assert len(found) == 1
    assert box_iou(tuple(v * 72.0 / DPI for v in found[0].outline.box()), truth) > 0.7


def test_a_credit_code_read_into_a_units_name_is_not_part_of_its_seals_name() -> None:
    from models import BasicInfo, Cover
    from pipeline.seals.find import seal_name

    code = "91330106MA2H0L0Q2T"
    assert seal_name(f"{LEAD}{code}") == LEAD
    assert seal_name(f"{LEAD} {code}") == LEAD
    assert seal_name(f"{LEAD}91330106MA2H0L0Q2X") == f"{LEAD}91330106MA2H0L0Q2X"  # no valid code: kept as read
    basic = BasicInfo.model_validate({"lead_unit": {"name": f"{LEAD}{code}"}, "members": [{"name": MEMBER}]})
    units = SealUnits.for_application(Cover(applicant=LEAD), basic)
    assert units.lead == LEAD and units.members == (MEMBER,)


def test_stamps_over_each_other_read_as_one_unit_are_told_apart() -> None:
    from pipeline.seals.find import one_unit_per_overlap

    applicant = PageSeal(1, (300, 300, 420, 420), "round", 1.0, Reading(LEAD, 0.95), Match(LEAD, "lead", 0.9))
    # The department's seal, read through the applicant's lettering: the lead's name scores, weakly.
    through = Reading("浙江省经济和信息化厅杭州智造", 0.7)
    department = PageSeal(1, (280, 330, 400, 450), "round", 1.0, through, Match(LEAD, "lead", 0.5))
    elsewhere = PageSeal(2, (280, 330, 400, 450), "round", 1.0, Reading(LEAD, 0.9), Match(LEAD, "lead", 0.4))
    apart = PageSeal(1, (100, 600, 220, 720), "round", 1.0, Reading(LEAD, 0.9), Match(LEAD, "lead", 0.3))
    one_unit_per_overlap([applicant, department, elsewhere, apart], UNITS)
    assert applicant.match is not None and applicant.match.owner == "lead"
    assert department.match is not None and department.match.name == DEPARTMENT
    assert elsewhere.match is not None and elsewhere.match.owner == "lead"  # another page
    assert apart.match is not None and apart.match.owner == "lead"  # not over the applicant's seal


def test_two_stamps_of_one_unit_side_by_side_are_both_its_seals() -> None:
    from pipeline.seals.find import one_unit_per_overlap, stamped_over

    # Two members of one name stamp side by side: the boxes touch (4 pt), the lettering does not.
    left = PageSeal(10, (179, 456, 291, 568), "round", 1.0, Reading(MEMBER, 0.95), Match(MEMBER, "member", 1.0))
    right = PageSeal(10, (287, 455, 402, 570), "round", 1.0, Reading(MEMBER, 0.96), Match(MEMBER, "member", 0.76))
    one_unit_per_overlap([left, right], UNITS)
    assert right.match is not None and right.match.name == MEMBER
    # The cover's two stamps on neighbouring lines: centres half a radius apart.
    assert stamped_over((252, 330, 360, 438), (249, 381, 360, 492))
    # Two ovals one above the other, overlapping by a few points: judged by their short axes.
    assert not stamped_over((300, 300, 424, 386), (300, 380, 424, 466))
    assert stamped_over((300, 300, 424, 386), (300, 340, 424, 426))


class SpottedReading(Reading):
    """A reading whose posteriors spot every name at one fixed score."""

    def spot(self, name: str) -> float | None:
        return 0.01 if name == LEAD else 0.0


def test_a_seal_whose_posteriors_still_hold_the_units_name_is_not_someone_elses() -> None:
    foreign_text = "宁波星创工业技术有限公司"
    clear = PageSeal(1, (0, 0, 100, 100), "round", 1.0, Reading(foreign_text, 0.95), slot="appendix2_table1")
    assert [c.code for c in mismatch_checks([clear], {"lead": [LEAD]})] == ["SEAL_NAME_MISMATCH"]
    doubtful = PageSeal(1, (0, 0, 100, 100), "round", 1.0, SpottedReading(foreign_text, 0.95),
                        slot="appendix2_table1")
    assert mismatch_checks([doubtful], {"lead": [LEAD]}) == []
    # A legal form with no name before it is no one's name.
    bare = PageSeal(1, (0, 0, 100, 100), "round", 1.0, Reading("有限公司理", 0.95), slot="appendix2_table1")
    assert mismatch_checks([bare], {"lead": [LEAD]}) == []


def test_shifted_profiles_equal_the_profiles_of_each_moved_outline() -> None:
    from pipeline.seals.geometry import radial_profile, shifted_profiles

    rng = np.random.default_rng(11)
    ink = (rng.random((220, 240)) < 0.06).astype(np.uint8) * 255
    cv2.circle(ink, (118, 104), 70, 255, 2)
    scales = np.linspace(0.85, 1.3, 23)
    for outline in (Outline("round", 117.3, 105.8, 68.0, 68.0), Outline("oval", 120.0, 100.0, 80.0, 60.0, 35.0)):
        shifts = [(float(dx), float(dy)) for dx in np.linspace(-7, 7, 5) for dy in (-2.5, 0.0, 190.0)]
        expected = [radial_profile(ink, Outline(outline.shape, outline.cx + dx, outline.cy + dy, outline.a,
                                                outline.b, outline.angle), scales).tolist() for dx, dy in shifts]
        assert shifted_profiles(ink, outline, shifts, scales).tolist() == expected


def test_a_grey_scan_of_a_mostly_white_page_is_not_taken_for_a_one_bit_capture() -> None:
    from pipeline.seals.ink import is_bilevel, is_one_bit

    page = SynthPage()
    page.text("申报单位：杭州智造数字科技有限公司（加盖单位公章）", 25, 120, 12)  # a cover: paper and a little print
    rng = np.random.default_rng(3)
    drawn = np.asarray(page.image.convert("L")).astype(np.float32)
    scanned = cv2.GaussianBlur(80 + drawn * (232 - 80) / 255, (0, 0), 1.0)  # paper 232, print a scan's grey 80
    grey = np.clip(scanned + rng.normal(0, 4, drawn.shape), 0, 255).astype(np.uint8)
    assert is_bilevel(grey)  # nearly every pixel paper-white or black: the coarse test alone is fooled
    assert not is_one_bit(grey)
    assert is_one_bit(np.where(grey < 128, 0, 255).astype(np.uint8))


def test_the_lead_s_names_are_one_unit_and_its_seal_is_named_whole() -> None:
    """basic_info's lead name was cut off ("…集团有") while the cover's applicant is whole: both are the
    lead unit, so they are no rivals for its seal, and the seal is named by the whole name."""
    whole, cut = "北京启华工业技术集团有限公司", "北京启华工业技术集团有"
    units = SealUnits(lead=cut, applicant=whole, members=(MEMBER,))
    # The recogniser misread a character of the legal form: the cut-off name spots better than the whole.
    match = match_unit(_spotting_reading("北京启华工业技术集团有很公司", [whole, MEMBER]), units.candidates())
    assert match is not None and (match.name, match.owner) == (whole, "lead")
    # A member's names are not merged so: two members spotted alike leave the seal unnamed.
    twins = SealUnits(lead=LEAD, members=("北京启华工业技术有限公司", "北京启华工业技术集团有限公司"))
    assert match_unit(_spotting_reading("北京启华工业技术", [LEAD, *twins.members]), twins.candidates()) is None


def test_a_legal_form_alone_is_no_organisation() -> None:
    from pipeline.seals.text import organisation_names

    texts = ["大连鼎和网络科技", "股份有限公司", "有限责任公司", "合作方：大连启华软件有限公司"]
    assert organisation_names(texts) == ["大连启华软件有限公司"]


def test_a_university_named_by_its_city_alone_is_an_organisation() -> None:
    from pipeline.seals.text import organisation_names

    assert organisation_names(["合作单位：郑州大学、北京理工大学", "大学生就业"]) == ["郑州大学", "北京理工大学"]


def test_laboratories_and_funds_are_organisations() -> None:
    from pipeline.seals.text import looks_like_name, organisation_names

    assert organisation_names(["投资方：南京航致产业投资基金；合作：之江实验室"]) == ["南京航致产业投资基金", "之江实验室"]
    assert looks_like_name("之江实验室") and looks_like_name("南京航致产业投资基金")


def faxed_seal(star: bool) -> tuple[np.ndarray, tuple[float, float, float, float]]:
    """A 1-bit page with a seal as a fax leaves it: its ring solid on one side and a sparse stipple on the
    other, its lettering gone, its star (if any) solid; print above and beside it, a bold heading on top."""
    page = SynthPage()
    page.text("真实性承诺", 70, 20, 22)
    body_text(page, 40, 4)
    page.text("申报单位（加盖公章）", 40, 88, 12)
    pixels = np.asarray(page.image.convert("L")).copy()
    cx, cy, radius = mm(120), mm(90), mm(21)
    rng = np.random.default_rng(3)
    ring = np.zeros_like(pixels)
    cv2.circle(ring, (cx, cy), radius - mm(0.6), 255, mm(1.2))
    left = np.zeros_like(pixels, bool)
    left[:, : cx - radius // 3] = True
    stipple = rng.random(pixels.shape) < 0.12
    pixels[(ring > 0) & (left | stipple)] = 0
    if star:
        r_out, r_in = mm(6.5), mm(6.5) * 0.4
        points = [(cx + (r_out if k % 2 == 0 else r_in) * np.cos(np.pi / 2 + k * np.pi / 5),
                   cy - (r_out if k % 2 == 0 else r_in) * np.sin(np.pi / 2 + k * np.pi / 5)) for k in range(10)]
        cv2.fillPoly(pixels, [np.array(points).round().astype(np.int32)], 0)
    one_bit = np.where(pixels < 128, 0, 255).astype(np.uint8)
    box = tuple(v * 72.0 / DPI for v in (cx - radius, cy - radius, cx + radius, cy + radius))
    return one_bit, box  # type: ignore[return-value]


def test_a_fax_seal_whose_ring_is_mostly_lost_is_found_by_its_star() -> None:
    from pipeline.seals.detect import star_centres

    pixels, truth = faxed_seal(star=True)
    found = detect_grey(pixels, DPI)
    assert len(found) == 1
    assert box_iou(tuple(v * 72.0 / DPI for v in found[0].outline.box()), truth) > 0.7
    # Without its star the same broken ring is not enough to call a seal on a page of print.
    assert detect_grey(faxed_seal(star=False)[0], DPI) == []
    # The bold heading and the print are no stars.
    small = cv2.resize(faxed_seal(star=False)[0], None, fx=4.0 / (DPI / 25.4), fy=4.0 / (DPI / 25.4),
                       interpolation=cv2.INTER_AREA)
    assert star_centres((small < 128).astype(np.uint8) * 255, 4.0) == []


def test_an_electronic_seal_picture_is_read_by_its_frame_not_its_neighbours() -> None:
    """Stamps placed close together and exported as one picture each: the neighbours' rings reach into
    this picture and pull a fit of all its red ink off; the ellipse inscribed in the picture is the seal."""
    from pipeline.seals.detect import detect_image

    h, w = 242, 348
    pixels = np.full((h, w, 3), 255, np.uint8)
    red = (30, 20, 225)
    cv2.ellipse(pixels, (w // 2, h // 2), (w // 2 - 3, h // 2 - 3), 0, 0, 360, red, 6)
    cv2.ellipse(pixels, (w // 2, h // 2), (w // 2 - 14, h // 2 - 14), 0, 0, 360, red, 2)
    for dx in (-0.84 * w, 0.8 * w):  # the neighbours' rings, cut by the picture's edge
        cv2.ellipse(pixels, (round(w / 2 + dx), h // 2 + 6), (w // 2 - 3, h // 2 - 3), 0, 0, 360, red, 6)
    cand = detect_image(pixels, w * 72 / 200, h * 72 / 200)
    assert cand is not None and cand.shape == "oval"
    assert abs(cand.outline.cx - w / 2) < 3 and abs(cand.outline.cy - h / 2) < 3
    assert abs(cand.outline.a - w / 2) < 0.06 * w and abs(cand.outline.b - h / 2) < 0.06 * h


def test_a_grey_scan_s_mostly_white_seal_patch_is_not_taken_for_a_1_bit_one() -> None:
    """Round a thin mid-grey seal on white nearly every pixel is paper, as on a 1-bit scan; but what is
    inked is mid-grey, so the patch is read as it is, not blurred as a dithered one would be."""
    from pipeline.seals.detect import ring_tone
    from pipeline.seals.ink import grey_seal_ink, is_bilevel, paper_level
    from pipeline.seals.read import _grey_inks

    patch = np.full((400, 400), 250, np.uint8)
    cv2.circle(patch, (200, 200), 110, 150, 2)
    cv2.putText(patch, "SEAL", (150, 210), cv2.FONT_HERSHEY_SIMPLEX, 1.0, 150, 1)
    assert is_bilevel(patch)
    outline = Outline("round", 200.0, 200.0, 111.0, 111.0)
    tone = ring_tone(patch, (patch < paper_level(patch) - 40).astype(np.uint8), outline)
    first = next(_grey_inks(patch, outline, DPI / 25.4))
    assert np.array_equal(first, grey_seal_ink(patch, tone, print_margin_px=1))


def test_large_circles_found_on_the_half_size_copy_land_on_the_ring() -> None:
    """`_hough` looks for seal-sized circles on a half-size copy; its circles are in full-size pixels,
    close enough for `_refine_circle` to snap onto the ring."""
    from pipeline.seals.detect import HOUGH_HALF_MIN_RADIUS, Outline, _hough, _refine_circle

    page = np.full((700, 600), 255, np.uint8)
    cv2.circle(page, (310, 340), 84, 90, 4)  # a 42 mm seal at 4 px/mm, seal-grey
    for y in range(40, 680, 24):  # print lines around and under it
        cv2.line(page, (30, y), (570, y), 20, 2)
    r_min = 28
    assert r_min >= 2 * HOUGH_HALF_MIN_RADIUS
    circles = _hough(cv2.GaussianBlur(page, (0, 0), 1.2), r_min, 150)
    assert circles is not None
    cx, cy, r = min(circles[0], key=lambda c: math.hypot(c[0] - 310, c[1] - 340))
    assert math.hypot(cx - 310, cy - 340) <= 4 and abs(r - 84) <= 6
    ink = (page < 150).astype(np.uint8) * 255
    snapped = _refine_circle(ink, Outline("round", float(cx), float(cy), float(r), float(r)))
    assert math.hypot(snapped.cx - 310, snapped.cy - 340) <= 3 and abs(snapped.a - 86) <= 4


def table_page() -> SynthPage:
    """A table as 附2/附3's lists are: light grey rules (the seal's own tone once scanned) joining every
    cell, names in the first column, figures in the last: print the stamp is put over."""
    page = SynthPage()
    for y in range(60, 150, 9):
        page.rule(20, y, 190, width_px=2, colour=(175, 175, 175))
        page.text("杭州数字科技有限公司", 25, y + 2, 11)
        page.text("25.6", 150, y + 2, 11)
    return page


def stamped_oval(text: str, seed: int) -> Image.Image:
    """A 42 x 30 mm oval seal as the Word producer stamps it: a double border, uneven ink."""
    from samples.seals import seal_image

    return seal_image(text, mm(42), mm(30), random.Random(seed), electronic=False, ink="red")


def scanned_grey(page: SynthPage) -> np.ndarray:
    return cv2.GaussianBlur(np.asarray(page.image.convert("L")), (0, 0), 0.8)


@pytest.mark.parametrize("seed", [1, 2])
def test_an_oval_seal_over_a_table_on_a_grey_scan_is_found(seed: int) -> None:
    page = table_page()
    truth = page.stamp(stamped_oval(LEAD, seed), 92, 118)  # its left side over the names, rules across it
    found = detect_grey(scanned_grey(page), DPI)
    assert len(found) == 1, [c.outline for c in found]
    assert found[0].shape == "oval"
    assert box_iou(tuple(v / page.scale for v in found[0].outline.box()), truth) > 0.8


def test_a_round_seal_on_a_grey_scan_gets_no_oval_inside_it() -> None:
    page = table_page()
    truth = page.stamp(fade(round_seal(LEAD), 0.35), 100, 120)
    found = detect_grey(np.asarray(page.image.convert("L")).copy(), DPI)
    assert [c.shape for c in found] == ["round"]
    assert box_iou(tuple(v / page.scale for v in found[0].outline.box()), truth) > 0.8


def test_two_oval_stamps_over_each_other_on_a_grey_scan_are_two() -> None:
    page = SynthPage()
    page.text("申报单位：杭州智造数字科技有限公司（加盖单位公章）", 25, 120, 12)
    page.text("推荐单位：浙江省经济和信息化厅（省级工业和信息化主管部门盖章）", 25, 132, 12)
    truth = [page.stamp(stamped_oval(LEAD, 3), 150, 116), page.stamp(stamped_oval(DEPARTMENT, 4), 142, 130)]
    found = detect_grey(scanned_grey(page), DPI)
    boxes = [tuple(v / page.scale for v in c.outline.box()) for c in found]
    assert len(found) == 2, boxes
    for box in truth:
        assert max(box_iou(box, other) for other in boxes) > 0.75


def test_an_oval_inside_a_found_seal_s_complete_ring_is_an_arc_of_it() -> None:
    from pipeline.seals.detect import Candidate, _has_border

    ring = Candidate(Outline("round", 300, 300, 80, 80), 0.98, "grey", 1.0, 1.0)
    broken = Candidate(Outline("round", 300, 300, 80, 80), 0.7, "grey", 0.7, 0.5)
    lower_half = Candidate(Outline("oval", 300, 335, 76, 48), 0.97, "grey", 0.93, 0.69)
    elsewhere = Candidate(Outline("oval", 520, 300, 76, 52), 0.97, "grey", 0.93, 0.69)
    assert _has_border(lower_half, [ring])
    assert not _has_border(lower_half, [broken])  # a broken ring is no proof of the seal's border
    assert not _has_border(elsewhere, [ring])


def test_a_complete_oval_ring_over_dense_print_is_a_seal_but_not_a_solid_blob() -> None:
    from pipeline.seals.detect import _complete_ring

    oval = Outline("oval", 200, 150, 120, 80)
    ink = np.zeros((300, 400), np.uint8)
    cv2.ellipse(ink, (200, 150), (118, 78), 0, 0, 360, 255, 4)
    for y in range(90, 215, 12):  # rows of print right across the interior
        ink[y : y + 5, 100:300] = 255
    assert _complete_ring(ink, oval, 1.0, 0.65)
    assert not _complete_ring(ink, oval, 1.0, 0.5)  # as much ink just outside: no border
    assert not _complete_ring(ink, oval, 0.8, 0.65)  # broken: the sparse-interior test decides
    cv2.ellipse(ink, (200, 150), (118, 78), 0, 0, 360, 255, -1)
    assert not _complete_ring(ink, oval, 1.0, 0.65)  # a filled blob


def test_print_alone_squeezed_across_makes_no_oval() -> None:
    from pipeline.seals.detect import find_ovals, seal_tone_mask

    page = table_page()
    body_text(page, 160, 20)
    grey = cv2.resize(np.asarray(page.image.convert("L")), None, fx=4 / (DPI / 25.4), fy=4 / (DPI / 25.4),
                      interpolation=cv2.INTER_AREA)
    mask, _ = seal_tone_mask(grey, 250)
    assert find_ovals(mask, 4.0) == []


# --- oval seals: unrolled along the ring, the outline snapped onto it ------------------------------


def double_ring_oval(angle: float) -> tuple[np.ndarray, Outline]:
    """An oval seal's border as ink: a thick outer ring and a thin inner one 12 px inside it, turned by
    `angle` degrees; and the outer ring's outline."""
    size = 420
    ink = np.zeros((size, size), np.uint8)
    centre, axes = (size // 2, size // 2), (180, 124)
    cv2.ellipse(ink, centre, axes, angle, 0, 360, 255, 6)
    cv2.ellipse(ink, centre, (axes[0] - 14, axes[1] - 14), angle, 0, 360, 255, 2)
    return ink, Outline("oval", size / 2, size / 2, axes[0] + 3, axes[1] + 3, angle)


@pytest.mark.parametrize("angle", [0.0, 25.0])
def test_an_oval_s_inner_ring_unrolls_straight(angle: float) -> None:
    """Unrolled along the oval's normals, a ring at a constant depth inside the border is one straight
    line across the strip (squeezed into a circle, it waved through the band)."""
    from pipeline.seals.unwrap import oval_polar

    ink, outline = double_ring_oval(angle)
    unrolled = oval_polar(ink, outline)
    outer = round(0.8 * unrolled.shape[1])
    inked = unrolled[:, outer:] > 128
    assert inked.any(axis=1).all()
    innermost = [int(np.flatnonzero(row)[0]) for row in inked]  # the inner ring's inner edge
    assert max(innermost) - min(innermost) <= 2


def test_an_oval_detected_off_its_ring_is_snapped_onto_it() -> None:
    """A detected oval a few pixels off, too large and turned, with print crossing the ring, is moved
    onto the ring; a good fit stays where it is."""
    from pipeline.seals.geometry import snap_oval

    ink, truth = double_ring_oval(15.0)
    for y in (90, 170, 250, 330):  # a table's rules across the seal
        cv2.line(ink, (0, y), (419, y), 255, 2)
    cv2.line(ink, (150, 0), (150, 419), 255, 2)
    snapped = snap_oval(ink, Outline("oval", truth.cx + 6, truth.cy - 5, truth.a * 1.04, truth.b * 0.96, 24.0))
    assert abs(snapped.cx - truth.cx) <= 3 and abs(snapped.cy - truth.cy) <= 3
    assert abs(snapped.a - truth.a) <= 0.03 * truth.a and abs(snapped.b - truth.b) <= 0.03 * truth.b
    assert abs((snapped.angle - truth.angle + 90) % 180 - 90) <= 3
    kept = snap_oval(ink, truth)
    assert abs(kept.cx - truth.cx) <= 2 and abs(kept.a - truth.a) <= 0.02 * truth.a


def test_the_name_band_starts_inside_an_oval_s_inner_ring() -> None:
    """The band read for the name starts inside the second ring, not between the two."""
    from pipeline.seals.unwrap import BAND_INNER, oval_polar, text_band

    ink, outline = double_ring_oval(10.0)
    unrolled = oval_polar(ink, outline)
    lo, hi = text_band(unrolled, BAND_INNER)
    assert not (unrolled[:, lo : hi + 1] > 128).mean(axis=0).max() > 0.5


def test_rules_across_a_seal_are_dropped_from_its_ink_and_its_ring_is_kept() -> None:
    """A table's thin rules share a faint seal's tone on a grey scan; they are taken out of its ink map,
    while the ring (an oval's flattest arc included) and the lettering's strokes stay."""
    from pipeline.seals.read import without_rules

    ink, outline = double_ring_oval(0.0)
    strokes = np.zeros_like(ink)
    for x in range(90, 330, 30):  # lettering: short strokes both ways
        cv2.line(strokes, (x, 120), (x + 18, 120), 255, 2)
        cv2.line(strokes, (x, 110), (x, 135), 255, 2)
    rules = np.zeros_like(ink)
    cv2.line(rules, (0, 180), (419, 181), 255, 1)  # a rule a pixel off the horizontal
    cv2.line(rules, (260, 0), (260, 419), 255, 2)
    kept = without_rules(ink | strokes | rules, outline)
    only_rules = (rules > 0) & (ink == 0) & (strokes == 0)
    assert not kept[only_rules].any()
    assert (kept[ink > 0] > 0).mean() > 0.97
    near_rules = cv2.dilate(rules, np.ones((5, 5), np.uint8)) > 0
    assert (kept[(strokes > 0) & ~near_rules] > 0).all()


def test_an_organisation_misspelt_in_the_text_is_named_as_its_seal_spells_it() -> None:
    """The licence's authority OCR'd with a character dropped (宁波市场…) or misread (北京行…): the seal's
    sure characters name it. A seal misread where it is unsure, or missing a character, keeps the text's."""
    from pipeline.seals.text import spelt_as_stamped

    def named(read: str, found: str, sure: float = 0.95) -> str:
        reading = _spotting_reading(read, [found])
        assert reading.posteriors is not None
        reading.posteriors[reading.posteriors == np.float32(0.9)] = sure
        return spelt_as_stamped(reading, Match(found, "other", 0.3)).name

    assert named("宁波市市场监督管理局", "宁波市场监督管理局") == "宁波市市场监督管理局"
    assert named("北京市市场监督管理局", "北京行市场监督管理局") == "北京市市场监督管理局"
    assert named("北京市市场监督管理局", "北京行市场监督管理局", sure=0.6) == "北京行市场监督管理局"
    assert named("宁波市场监督管理局", "宁波市市场监督管理局") == "宁波市市场监督管理局"  # the seal's slip
    assert named("台州市场监察管理局", "宁波市场监督管理局") == "宁波市场监督管理局"  # no spelling of it
    assert named("有限公司宁波市市场监督管理局公", "宁波市场监督管理局") == "宁波市市场监督管理局"  # around it


def test_pale_seal_whose_lettering_is_paler_than_its_ring_is_found() -> None:
    # A lightly inked seal keeps a clear red ring while its thin lettering and star stay under the red
    # threshold: with nothing inside its ring it was taken for no seal (pale red near clear red counts).
    page = SynthPage()
    body_text(page, 40, 12)
    truth = page.stamp(round_seal(LEAD, colour=(190, 166, 170)), 100, 90)
    ring = Image.new("RGBA", (mm(44), mm(44)), (0, 0, 0, 0))
    ImageDraw.Draw(ring).ellipse((mm(1), mm(1), mm(43), mm(43)), outline=(200, 120, 140, 255), width=mm(1.0))
    page.stamp(ring, 100, 90)
    found = detect_red(np.asarray(page.image)[..., ::-1].copy(), DPI)
    assert len(found) == 1
    assert box_iou(tuple(v / page.scale for v in found[0].outline.box()), truth) > 0.75


def test_a_seal_on_a_scanner_profiles_pink_paper_is_found() -> None:
    # A colour profile left the paper pink (255, 222, 220: red chroma 33, over the fixed seal-red test): the
    # whole page was one red blob and no ring was found in it (dev39 a09's two appendix stamps, two false
    # SEAL_MISSING errors). The red tests rise by the paper's tint; a neutral paper's are unchanged.
    from pipeline.seals.ink import paper_lift

    page = SynthPage()
    body_text(page, 40, 12)
    truth = page.stamp(round_seal(LEAD), 100, 90)
    neutral = np.asarray(page.image)[..., ::-1].copy()
    assert paper_lift(neutral) == 0
    pink = (neutral.astype(np.float32) * np.array([220 / 255, 222 / 255, 1.0], np.float32)).round().astype(np.uint8)
    assert paper_lift(pink) >= 30
    found = detect_red(pink, DPI)
    assert len(found) == 1
    assert box_iou(tuple(v / page.scale for v in found[0].outline.box()), truth) > 0.75

def test_pale_red_away_from_any_seal_is_no_seal() -> None:
    # Pale red only counts near clear seal red: a page of pale red print alone holds no seal.
    from pipeline.seals.ink import seal_red_mask

    page = SynthPage()
    body_text(page, 40, 6)
    page.text("推荐", 30, 160, 40, colour=(190, 166, 170))
    bgr = np.asarray(page.image)[..., ::-1].copy()
    assert cv2.countNonZero(seal_red_mask(bgr, DPI / 25.4)) == 0


def test_two_stamps_fitted_as_one_oval_are_two_rings() -> None:
    # Two round stamps overlapping (the cover's two seals on neighbouring lines) join into one ring-like
    # piece of ink whose fitted oval rounds both, and only one ring is found besides. The second ring,
    # found under the first, replaces that oval rather than being taken for the same place.
    from pipeline.seals.detect import MIN_GREY_CONTRAST, detect_in_mask, with_overlapping

    ink = np.zeros((400, 400), np.uint8)
    for cx, cy, r in ((200, 190, 76), (183, 210, 72)):
        cv2.circle(ink, (cx, cy), r, 255, 4)
        for k in range(14):  # lettering along the inside of the ring, a star in the middle
            t = math.pi * (0.9 + 1.2 * k / 14)
            x, y = round(cx + 0.75 * r * math.cos(t)), round(cy + 0.75 * r * math.sin(t))
            cv2.rectangle(ink, (x - 4, y - 4), (x + 4, y + 4), 255, 2)
        cv2.circle(ink, (cx, cy), 9, 255, -1)
    found = detect_in_mask(ink, 4.0, MIN_GREY_CONTRAST)
    assert any(c.shape == "oval" for c in found)  # the joint fit this mechanism undoes
    both = with_overlapping(ink, found, 4.0)
    centres = sorted((round(c.outline.cx), round(c.outline.cy)) for c in both)
    assert [c.shape for c in both] == ["round", "round"]
    assert abs(centres[0][0] - 183) <= 4 and abs(centres[0][1] - 210) <= 4
    assert abs(centres[1][0] - 200) <= 4 and abs(centres[1][1] - 190) <= 4


def test_seal_on_paper_tinted_pale_red_keeps_its_clear_ring() -> None:
    # A phone capture's JPEG colour blocks tint the paper round a seal pale red. Pale red is looked at only
    # round clear red that no found seal holds, so a seal found in clear red is not swamped by the tint.
    page = SynthPage()
    body_text(page, 40, 12)
    tint = Image.new("RGBA", (mm(70), mm(70)), (0, 0, 0, 0))
    draw = ImageDraw.Draw(tint)
    for i in range(0, 70, 4):
        for j in range(0, 70, 4):
            if (i + j) % 8 == 0:
                draw.rectangle((mm(i), mm(j), mm(i + 4), mm(j + 4)), fill=(196, 168, 172, 255))
    page.stamp(tint, 100, 90)
    truth = page.stamp(round_seal(LEAD), 100, 90)
    found = detect_red(np.asarray(page.image)[..., ::-1].copy(), DPI)
    assert len(found) == 1
    assert box_iou(tuple(v / page.scale for v in found[0].outline.box()), truth) > 0.8


def test_rings_half_a_radius_apart_are_two_seals() -> None:
    # Two stamps on neighbouring lines of a 1-bit cover: each ring inked most of the way round with
    # paper outside it, centres 0.7 radius apart. One ring fitted twice never lies that far off itself,
    # so they are two seals though neither ring is inked all round; close centres stay one seal, and a
    # small ring beside a seal is no second seal by this rule.
    from pipeline.seals.detect import Candidate, distinct_rings, suppress

    def ring(cx: float, cy: float, coverage: float, r: float = 50.0) -> Candidate:
        return Candidate(Outline("round", cx, cy, r, r), 0.7, "grey", coverage, 1.0)

    upper, lower = ring(100, 100, 0.93), ring(100, 135, 0.88)
    assert distinct_rings(upper, lower)
    assert len(suppress([upper, lower])) == 2
    assert not distinct_rings(upper, ring(100, 108, 0.88))  # one ring fitted twice
    assert not distinct_rings(upper, ring(100, 135, 0.6))  # too little of a ring
    assert not distinct_rings(upper, ring(100, 130, 0.88, r=22.0))  # not a seal's size


def test_the_refitted_circle_is_searched_for_only_after_the_first_reading_was_not_sure(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The refit costs as much as a reading: a seal spotted surely on its detected outline never pays it,
    and when it is asked for, the hypotheses come in the same order as before."""
    from pipeline.seals import read

    ink = np.zeros((300, 300), np.uint8)
    cv2.circle(ink, (150, 150), 110, 255, 5)
    detected = Outline("oval", 142.0, 156.0, 128.0, 100.0)
    refits: list[Outline] = []
    real_refit = read.refit_circle

    def counted_refit(ink: np.ndarray, outline: Outline) -> Outline | None:
        refits.append(outline)
        return real_refit(ink, outline)

    monkeypatch.setattr(read, "refit_circle", counted_refit)
    hypotheses = read._hypotheses(iter([ink]), detected)
    first = next(hypotheses)
    assert (first.outline, first.band_inner) == (detected, read.BANDS[0]) and not refits
    rest = list(hypotheses)
    assert len(refits) == 1
    circle = real_refit(ink, detected)
    assert circle is not None
    assert [(h.outline, h.band_inner) for h in rest] == [
        (circle, read.BANDS[0]), (detected, read.BANDS[1]), (circle, read.BANDS[1])]


def test_names_spotted_side_by_side_score_exactly_as_one_by_one() -> None:
    """A seal is spotted against every unit of its document at once: each name's score is the one it
    gets alone (names of any length, repeated labels, a name with no label the recogniser knows)."""
    from pipeline.seals.spotting import deficits, spot, spot_many

    rng = np.random.default_rng(3)
    posteriors = rng.dirichlet(np.full(30, 0.2), size=120).astype(np.float32)
    names = [[5], [2, 3], [7, 7, 7], [], [4, 9, 4, 9, 1, 12, 20, 29, 3, 3, 8, 17], [11, 0 + 13]]
    alone = [spot(posteriors, labels) if labels else 0.0 for labels in names]
    assert spot_many(posteriors, names) == alone
    assert spot_many(posteriors, names, deficits(posteriors)) == alone
    assert spot_many(posteriors[:0], names) == [0.0] * len(names)
    reading = Reading("x", 0.5, posteriors, {chr(0x4E00 + k): k for k in range(1, 30)})
    texts = ["".join(chr(0x4E00 + k) for k in labels) or "abc" for labels in names]
    assert reading.spot_all(texts) == [reading.spot(text) for text in texts]


def test_a_black_signature_over_most_of_a_grey_seal_is_kept_apart_from_the_seal_by_its_ring_tone() -> None:
    """On a grey scan a signature written across the seal can fill most of its inked inside, and the inside's
    median ink level is then the pen's: the seal's own tone is read on its ring, which only seal ink follows."""
    crop = np.full((200, 300, 3), 245, np.uint8)
    seal = Outline("round", 150.0, 100.0, 80.0, 80.0)
    cv2.circle(crop, (150, 100), 77, (90, 90, 90), 6)  # the ring, mid-grey
    cv2.rectangle(crop, (95, 60), (205, 140), (10, 10, 10), -1)  # pen strokes over most of the inside
    ink = (cv2.cvtColor(crop, cv2.COLOR_BGR2GRAY) < 160).astype(np.uint8) * 255
    _drop_grey_seal_ink(crop, ink, [seal], lambda _: False)
    assert ink[100, 150] == 255  # the pen is darker than the seal: kept
    assert ink[100, 150 + 77] == 0  # the ring is seal ink: dropped


def test_a_pen_strokes_light_edges_stay_with_its_core_and_seal_ink_away_from_it_is_dropped() -> None:
    """A grey scan's pen stroke is dark in its core and as light as the seal at its edges: cutting at a tone
    between the two would leave the signature in fragments; ink near a dark core is the stroke's."""
    crop = np.full((200, 300, 3), 245, np.uint8)
    seal = Outline("round", 150.0, 100.0, 80.0, 80.0)
    cv2.circle(crop, (150, 100), 77, (150, 150, 150), 6)  # the ring, light grey
    cv2.putText(crop, "x", (200, 80), cv2.FONT_HERSHEY_SIMPLEX, 1.0, (150, 150, 150), 3)  # seal lettering
    cv2.line(crop, (110, 100), (190, 100), (150, 150, 150), 9)  # the stroke's light edge...
    cv2.line(crop, (110, 100), (190, 100), (20, 20, 20), 3)  # ...around its dark core
    ink = (cv2.cvtColor(crop, cv2.COLOR_BGR2GRAY) < 200).astype(np.uint8) * 255
    _drop_grey_seal_ink(crop, ink, [seal], lambda _: False)
    assert ink[100, 150] == 255 and ink[97, 150] == 255  # the core and its light edge: kept
    assert ink[100, 150 + 77] == 0  # the ring: dropped
    assert not ink[60:85, 195:225].any()  # seal lettering away from any stroke: dropped


def _one_bit_commitment(letters: bool) -> tuple[np.ndarray, Outline]:
    """A 1-bit page's seal (black ring and star, lettering in black or faded away) with a black signature
    written over its lower half on the signing line."""
    page = np.full((400, 500, 3), 255, np.uint8)
    seal = Outline("round", 250.0, 180.0, 100.0, 100.0)
    cv2.circle(page, (250, 180), 98, (0, 0, 0), 5)  # the ring
    cv2.drawMarker(page, (250, 180), (0, 0, 0), cv2.MARKER_STAR, 40, 8)  # the star
    if letters:
        for k in range(9):  # the name round the top, characters ~ a fifth of the seal
            angle = np.deg2rad(200 + 17.5 * k)
            x, y = round(250 + 70 * np.cos(angle)), round(180 + 70 * np.sin(angle))
            cv2.rectangle(page, (x - 8, y - 8), (x + 8, y + 8), (0, 0, 0), 3)
    for x in (190, 240, 290):  # three characters signed across the seal, below its star
        cv2.line(page, (x, 215), (x + 35, 255), (0, 0, 0), 5)
        cv2.line(page, (x + 35, 215), (x, 255), (0, 0, 0), 5)
    return page, seal


@pytest.mark.parametrize("letters", [False, True])
def test_a_signature_over_a_1_bit_seal_whose_lettering_faded_is_kept(letters: bool) -> None:
    """On a 1-bit page a seal is as black as the pen. Its lettering faded away, all it leaves in the
    signing space is ring and star, which its outline places: the rest is the pen's. A seal with its
    lettering keeps its whole area dropped (its characters cannot be told from handwriting)."""
    bgr, seal = _one_bit_commitment(letters)
    page = _one_bit_page()
    space = (140, 170, 480, 270)  # the signing line, pixels: the seal's lower half and its star's foot
    assert _letters_faded(page, bgr, seal, space) is not letters
    x0, y0, x1, y1 = space
    crop = bgr[y0:y1, x0:x1]
    ink = (cv2.cvtColor(crop, cv2.COLOR_BGR2GRAY) < 128).astype(np.uint8) * 255
    _drop_grey_seal_ink(crop, ink, [seal.scaled(1.0, -x0, -y0)], lambda _: not letters)
    signed = np.count_nonzero(ink[45:86, 50:186])  # the signature
    assert (signed > 0.5 * np.count_nonzero(crop[45:86, 50:186, 0] < 128)) == (not letters)
    assert not ink[0:30, 90:131].any()  # the star: dropped either way
    assert not ink[57:62, 192:199].any()  # the ring, at 30 degrees below the right: dropped either way


def _one_bit_page() -> Page:
    return Page(number=1, width=240.0, height=192.0, kind="scan", dpi=150.0)


@pytest.mark.parametrize("letters", [False, True])
def test_a_ring_straying_off_its_outline_is_no_lettering(letters: bool) -> None:
    """The detector's outline sits some per cent of the radius off a 1-bit seal's ring (dev33 a07-word-fax):
    much of the ring then lies in the lettering's band. It is still the ring (one loop of ink joined to
    the rest of it), so a seal whose lettering faded is known as one; a seal with lettering still is not."""
    bgr, seal = _one_bit_commitment(letters)
    off = Outline("round", seal.cx + 4.0, seal.cy, 1.12 * seal.a, 1.12 * seal.b)  # fitted round the ring's outside
    assert _letters_faded(_one_bit_page(), bgr, off, (140, 170, 480, 270)) is not letters


def test_a_seal_too_faint_to_show_its_ring_is_no_evidence_of_faded_lettering() -> None:
    """A ring barely seen (a few specks) tells nothing of the lettering: the seal's area stays dropped."""
    bgr = np.full((400, 500, 3), 255, np.uint8)
    seal = Outline("round", 250.0, 180.0, 100.0, 100.0)
    for angle in range(0, 360, 30):
        x, y = round(250 + 98 * np.cos(np.deg2rad(angle))), round(180 + 98 * np.sin(np.deg2rad(angle)))
        cv2.circle(bgr, (x, y), 1, (0, 0, 0), -1)
    page = _one_bit_page()
    assert not _letters_faded(page, bgr, seal, (140, 200, 480, 270))


def test_an_organisation_cut_off_in_the_text_is_named_whole_as_its_seal_reads() -> None:
    """A licence's authority whose first characters the seal over it took from the text (场监督管理局): the
    seal's sure characters just before the name put them back; unsure ones, ones across the ring's gap,
    and another name's tail (…有限公司) do not."""
    from pipeline.seals.text import whole_as_stamped

    def named(read: str, found: str, sure: float = 0.95, gap_before: int = 0) -> str:
        reading = _spotting_reading(read, [found])
        assert reading.posteriors is not None
        reading.posteriors[reading.posteriors == np.float32(0.9)] = sure
        if gap_before:
            start = 4 * read.index(found)
            blank = np.zeros((gap_before, reading.posteriors.shape[1]), np.float32)
            blank[:, 0] = 0.99
            posteriors = np.concatenate([reading.posteriors[:start], blank, reading.posteriors[start:]])
            reading = Reading(read, reading.confidence, posteriors, reading.alphabet)
        return whole_as_stamped(reading, Match(found, "other", 0.3)).name

    assert named("贵阳市市场监督管理局", "场监督管理局") == "贵阳市市场监督管理局"
    assert named("贵阳市市场监督管理局", "场监督管理局", sure=0.6) == "场监督管理局"
    assert named("贵阳市市场监督管理局", "场监督管理局", gap_before=12) == "场监督管理局"
    assert named("有限公司市场监督管理局", "市场监督管理局") == "市场监督管理局"
    assert named("宁波市市场监督管理局", "宁波市市场监督管理局") == "宁波市市场监督管理局"


def test_a_department_read_with_its_province_faint_is_named_as_the_cover_states_it() -> None:
    """广西壮族 faint on a curled page: the prefix 自治区工业和信息化厅 (one of `department_names`' variants)
    spots better per character, but the seal bears the cover's whole 推荐单位; a stated name the seal
    does not bear (another province) is not taken."""
    from pipeline.seals.text import as_stated

    whole, cut = "广西壮族自治区工业和信息化厅", "自治区工业和信息化厅"
    reading = _spotting_reading(whole, [whole, "浙江省工业和信息化厅"])
    assert reading.posteriors is not None and reading.alphabet is not None
    for k in range(4):  # the province's characters faint: their frames hardly above the blank
        frame = 4 * k + 1
        reading.posteriors[frame, reading.alphabet[whole[k]]] = 0.05
        reading.posteriors[frame, 0] = 0.9
    won = Match(cut, "recommender", reading.spot(cut) or 0.0)
    assert (reading.spot(whole) or 0.0) < won.score
    assert as_stated(reading, won, [whole]).name == whole
    assert as_stated(reading, won, ["浙江省工业和信息化厅"]).name == cut


def test_a_recommendation_s_department_is_named_as_its_province_states_it() -> None:
    """A recommendation has no cover 推荐单位: the names it states for its department are those named in
    it under the province it states (宁夏回族自治区), of the variants `department_names` offers, and the
    faint province's seal is named whole; another province's department, or no province stated, none."""
    from pipeline.seals.find import _identify

    whole, cut = "宁夏回族自治区工业和信息化厅", "自治区工业和信息化厅"
    named = [cut, "回族自治区工业和信息化厅", whole, "山西省工业和信息化厅"]
    units = SealUnits(province="宁夏回族自治区").with_departments(named)
    assert units.stated_recommender() == (whole,)
    assert SealUnits().with_departments(named).stated_recommender() == (None,)
    assert SealUnits(recommender="山西省工业和信息化厅", province="宁夏回族自治区").stated_recommender() == (
        "山西省工业和信息化厅",)
    reading = _spotting_reading(whole, [*named])
    assert reading.posteriors is not None and reading.alphabet is not None
    for k in range(5):  # the province's characters faint
        frame = 4 * k + 1
        reading.posteriors[frame, reading.alphabet[whole[k]]] = 0.05
        reading.posteriors[frame, 0] = 0.9
    assert (reading.spot(whole) or 0.0) < (reading.spot(cut) or 0.0)
    match = _identify(reading, False, units)
    assert match is not None and (match.name, match.owner) == (whole, "recommender")
    unstated = _identify(reading, False, SealUnits().with_departments(named))
    assert unstated is not None and unstated.name != whole


def test_the_seal_toned_edges_of_a_black_rule_leave_a_grey_seal_s_ink() -> None:
    """A black table rule across a grey seal: its core is print (out of the seal's ink map), its
    anti-aliased edges share the seal's tone, broken where the seal's strokes and the paper's grain
    cross them, so no run of them alone is long enough to be a rule. Found in all the ink drawn there,
    the rule takes its edges with it; the seal's strokes away from it stay."""
    from pipeline.seals.read import without_rules

    outline = Outline("round", 210, 210, 200, 200)
    ink = np.zeros((420, 420), np.uint8)
    cv2.circle(ink, (210, 210), 190, 255, 6)
    strokes = np.zeros_like(ink)
    for x in range(60, 360, 40):
        cv2.line(strokes, (x, 120), (x + 18, 120), 255, 2)
    drawn = np.zeros_like(ink)
    cv2.line(drawn, (0, 250), (419, 250), 255, 3)  # the rule's black core
    edges = np.zeros_like(ink)
    for y in (247, 253):
        for x in range(0, 420, 12):
            cv2.line(edges, (x, y), (x + 8, y), 255, 1)  # its edges, seal-toned, in pieces
    seal = ink | strokes | edges
    assert (without_rules(seal, outline)[edges > 0] > 0).mean() > 0.5  # pieces: no rule by themselves
    kept = without_rules(seal, outline, drawn)
    assert not kept[(edges > 0) & (ink == 0)].any()
    assert (kept[strokes > 0] > 0).all()


def test_the_cover_s_second_stamp_is_found_beside_the_first_through_the_print_round_it() -> None:
    """Two stamps on neighbouring lines of a grey cover: the second's ring is inked all round, but the
    lines of print running out of it (seal-toned edges left in the mask) take its contrast below what a
    lone ring needs. Of the first stamp's size and overlapping it, it is the second stamp; a ring as
    complete but far from any seal, or of another size, is not judged so."""
    from pipeline.seals.detect import MIN_GREY_CONTRAST, MIN_RING_COVERAGE, _judged_rings, second_stamp

    ink = np.zeros((600, 600), np.uint8)
    rng = np.random.default_rng(0)
    ink[270:560, 100:500] = (rng.random((290, 400)) < 0.3).astype(np.uint8) * 255
    cv2.circle(ink, (250, 230), 80, 255, 4)
    cv2.circle(ink, (300, 330), 80, 255, 4)
    first, second = Outline("round", 250, 230, 82, 82), Outline("round", 300, 330, 82, 82)
    assert not _judged_rings(ink, np.array([[300, 330, 82]], np.float32), 4.0, MIN_RING_COVERAGE,
                             MIN_GREY_CONTRAST, "grey")
    assert second_stamp(ink, second, first, 4.0) is not None
    assert second_stamp(ink, second, Outline("round", 60, 60, 82, 82), 4.0) is None  # no seal beside it
    assert second_stamp(ink, second, Outline("round", 250, 230, 40, 40), 4.0) is None  # not the stamp's size


def test_a_seal_read_cleanly_as_a_named_organisation_is_not_a_unit_a_poorer_reading_spotted() -> None:
    """A member seal whose member the fields lost: its first reading is its own name, sure, spotting no
    unit; a muddied later separation spots the lead weakly. The organisation the document names, spotted
    far better in the clean reading, is the seal's; spotted no better than the unit, the unit stays."""
    from pipeline.seals.read import Hypothesis, read_hypotheses

    member, lead = "台州恒联自动化有限公司", "台州祥恒动化在公司"
    clean, muddied = Reading(member, 0.998), Reading("台州限代直信有限公司", 0.42)

    class Reader:
        def __init__(self) -> None:
            self.readings = iter([clean, muddied])

        def read(self, strip: np.ndarray, text_share: float = 1.0) -> Reading:
            return next(self.readings)

    def named(other_score: float) -> Match | None:
        def identify(reading: Reading, others: bool) -> Match | None:
            if reading is muddied and not others:
                return Match(lead, "lead", 0.08)
            return Match(member, "other", other_score) if reading is clean and others else None

        outline = Outline("round", 60, 60, 50, 50)
        ink = np.zeros((120, 120), np.uint8)
        hypotheses = iter([Hypothesis(ink, outline), Hypothesis(ink, outline)])
        return read_hypotheses(hypotheses, Reader(), identify).match  # type: ignore[arg-type]

    assert named(1.0) == Match(member, "other", 1.0)
    assert named(0.2) == Match(lead, "lead", 0.08)


def test_a_grey_seal_whose_first_tone_map_reads_no_character_is_not_read_in_the_others() -> None:
    """Every reading of a grey page's first tone map (each outline, each band) without a character and spotting
    no unit: the other maps are not read. A character read, or a unit spotted however weakly, and they are."""
    from pipeline.seals.read import Hypothesis, read_hypotheses

    outline = Outline("round", 60, 60, 50, 50)
    first, second = np.zeros((120, 120), np.uint8), np.ones((120, 120), np.uint8)

    class Reader:
        def __init__(self, texts: list[str]) -> None:
            self.texts, self.calls = iter(texts), 0

        def read(self, strip: np.ndarray, text_share: float = 1.0) -> Reading:
            self.calls += 1
            return Reading(next(self.texts), 0.5)

    def read(texts: list[str], weak_unit: bool = False, grey: bool = True) -> tuple[int, str | None]:
        def identify(reading: Reading, others: bool) -> Match | None:
            return Match("台州恒联自动化有限公司", "lead", 0.05) if weak_unit and not others else None

        reader = Reader(texts)
        hypotheses = iter([Hypothesis(first, outline), Hypothesis(first, outline, 0.6),
                           Hypothesis(second, outline), Hypothesis(second, outline, 0.6)])
        found = read_hypotheses(hypotheses, reader, identify, first_map_decides=grey)
        return reader.calls, found.reading.text if found.reading else None

    assert read(["", "·，.", "台州恒联", "x"]) == (2, ""), "nothing lettered in the first map: the second is not read"
    assert read(["", "台", "台州恒联", "x"])[0] == 4, "a character read: the other map is read"
    assert read(["", "", "台州恒联", "x"], weak_unit=True)[0] == 4, "a unit spotted: the other map is read"
    # A colour page's first map is the red-gated darkness, which a pale seal's thin strokes fail.
    assert read(["", "·，.", "台州恒联", "x"], grey=False)[0] == 4, "on a colour page every map is read"


@pytest.mark.parametrize(("ring", "kept"), [(185, True), (100, False)])
def test_a_signature_over_a_ring_lighter_than_the_pen_cut_is_kept(ring: int, kept: bool) -> None:
    """A grey scan whose seal is lighter than the pen mask's cut (dev15 a01): the mask holds the ring only
    where the signature crosses it, and those crossings, read as the ring's tone, made the seal pass for one
    as dark as the pen, and the signature went with it. The ring's own ink sets the tone: the pen stays.
    A ring as dark as the pen is still the seal's, and the signature inside it is not told from it."""
    crop = np.full((200, 300, 3), 243, np.uint8)
    seal = Outline("round", 150.0, 100.0, 80.0, 80.0)
    cv2.circle(crop, (150, 100), 77, (ring, ring, ring), 4)  # the ring
    cv2.line(crop, (120, 140), (200, 185), (95, 95, 95), 4)  # the pen stroke, crossing the ring's bottom
    cv2.line(crop, (130, 120), (170, 120), (95, 95, 95), 4)  # and inside it
    ink = (cv2.cvtColor(crop, cv2.COLOR_BGR2GRAY) < 150).astype(np.uint8) * 255
    _drop_grey_seal_ink(crop, ink, [seal], lambda _: False)
    assert bool(ink[120, 150] == 255) == kept


def test_a_dither_scan_deskewed_passes_for_grey_and_its_seal_is_found_dedithered() -> None:
    """A 1-bit dither scan deskewed to the reading's dpi spreads each dot over grey neighbours: the page is
    no longer 1-bit to its levels (`is_one_bit`), but its paper is still sown with dots (`dithered`). Looked
    at by tone, its seal is dots no mask joins into a ring (dev30 r13's recommendation table); looked at as
    a 1-bit page (dedithered first) it is found where it was stamped."""
    from pipeline.seals.ink import dithered, is_one_bit

    dpi = 150
    page = SynthPage(dpi=dpi)
    for i in range(14):
        page.text(PARAGRAPH, 20, 160 + i * 7.0, 12)
    page.stamp(round_seal("杭州智造数字科技有限公司", rotation=10.0, dpi=dpi, colour=(225, 110, 110)), 110, 190)
    grey = np.asarray(page.image.convert("L").convert("1").convert("L"))
    h, w = grey.shape
    turn = cv2.getRotationMatrix2D((w / 2, h / 2), 0.4, 1.0)  # the deskew
    grey = cv2.warpAffine(grey, turn, (w, h), flags=cv2.INTER_LINEAR, borderValue=255)
    assert not is_one_bit(grey, whole_page=True) and dithered(grey)
    mm = dpi / 25.4
    found = [(c.outline.cx / mm, c.outline.cy / mm, c.outline.a / mm) for c in detect_grey(grey, dpi, one_bit=True)]
    assert any(abs(x - 110) < 3 and abs(y - 190) < 3 and 17 < a < 24 for x, y, a in found), found


@pytest.mark.parametrize(("ring", "contrast", "kept"), [(1.0, 0.45, True), (0.85, 0.45, False), (1.0, 0.3, False),
                                                        (0.7, 0.55, True)])
def test_a_ring_inked_all_round_a_star_is_a_seal_with_print_beside_it(
        monkeypatch: pytest.MonkeyPatch, ring: float, contrast: float, kept: bool) -> None:
    """On a fax a seal's ring round its star is kept when inked most of the way round with paper outside it,
    or inked all round with print running on outside it (dev26 r13-word-fax's recommendation table: its
    table's text beside the ring); an outline round a star-sized blob of print is inked in fewer directions."""
    from pipeline.seals import detect

    monkeypatch.setattr(detect, "star_centres", lambda dark, px_per_mm: [(100.0, 100.0, 40.0)])
    monkeypatch.setattr(detect, "ring_round", lambda ink, cx, cy, star, px_per_mm: (
        Outline("round", cx, cy, 80.0, 80.0), ring, contrast))
    page = np.full((200, 200), 255, np.uint8)
    assert bool(detect.starred_seals(page, page, 255, 4.0)) is kept


def test_a_seal_ring_s_arc_across_the_signing_line_is_no_signature_and_a_pen_across_it_stays() -> None:
    """A grey page's seal drawn with a dark-edged ring (dev41 a10, dev42 a10): the edge passes the tone test
    as pen ink, and the ring's lower arc, crossing the signing line, was read as a signature. Ink lying along
    the ring is the ring's; a stroke crossing the ring runs off its band and is kept whole."""
    seal = Outline("oval", 200.0, -20.0, 150.0, 90.0)
    arc = np.zeros((100, 400), np.uint8)
    cv2.ellipse(arc, (200, -20), (150, 90), 0, 40, 140, 255, 3)  # the ring's bottom, in the signing space
    h_px = 20.0
    assert judge(cv2.cvtColor(255 - arc, cv2.COLOR_GRAY2BGR), arc.copy(), h_px, 60.0)[0], "the arc alone passes"
    ink = arc.copy()
    _drop_ring_arcs(ink, [seal])
    assert not ink.any()
    signed = arc.copy()
    cv2.line(signed, (150, 40), (230, 95), 255, 3)  # a pen stroke across the arc
    _drop_ring_arcs(signed, [seal])
    assert signed[90, 223] == 255 and signed[70, 200] == 255


def test_a_foreign_seal_beside_an_unread_one_on_a_table_page_is_a_mismatch_in_doubt() -> None:
    """A table's page is stamped by the applicant alone (dev42 a04: a member's seal on 附2表2, and the reverse
    page's print showing through taken for a second, unread seal): the foreign seal is still reported, as a
    doubt naming the slot. On the commitment page members sign too: an unread seal there still says nothing."""
    def seal(slot: str, match: Match | None, reading: Reading | None = None) -> PageSeal:
        return PageSeal(12, (300.0, 500.0, 420.0, 620.0), "round", 0.9, reading, match, slot)

    expected = UNITS.expected()
    member = seal("appendix2_table2", Match(MEMBER, "member", 0.9))
    unread = seal("appendix2_table2", None, None)
    checks = mismatch_checks([member, unread], expected)
    assert [(c.code, c.where, c.doubts) for c in checks] == [
        ("SEAL_NAME_MISMATCH", "appendix2_table2", ["seal_slots.appendix2_table2"])]
    assert checks[0].found == MEMBER and checks[0].confidence < 1.0
    right = seal("appendix2_table2", Match(LEAD, "lead", 0.9))
    assert mismatch_checks([member, unread, right], expected) == []
    assert mismatch_checks([seal("commitment", Match(MEMBER, "member", 0.9)), seal("commitment", None)], expected) == []
