"""A failed comparison reads its numbers again before it stands as an error (`pipeline.verify`).

The misreadings that gave false errors on Word-made scans: a dropped digit (2,571.2 read as 251.2),
a lost '1,' (1,195.56 read as 195.56). A second engine on the value's own crop either reads it the
same (the error stands), reads what looks like a misreading of it (an alternative the form's
redundancy may pick), or cannot read it the same (a doubt: a warning, never an error).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

import cv2
import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

import models
from models.page import Box, Page
from pipeline import verify
from pipeline.checks import CheckContext, run_checks
from pipeline.config import Settings
from pipeline.reconcile import reconcile, rules_for
from tests.test_checks import _set, clean_application

SETTINGS = Settings()
SONG = "/usr/share/fonts/truetype/arphic/uming.ttc"  # the samples' print font (make system installs it)
FINANCING = "appendix.financings[0].amount"
DECLARED = "basic_info.resources[1].financing"


class FakeReader:
    """What each engine reads on the crop of each path's place (by the place's page and box)."""

    def __init__(self, record: models.ApplicationRecord, texts: dict[str, list[tuple[str, str]]],
                 digits: dict[str, list[str]] | None = None,
                 explains: dict[str, list[dict[str, float]]] | None = None,
                 offsets: dict[str, tuple[float, float]] | None = None) -> None:
        """`texts`: what the engines read on each path's crop; `digits`: what the digits-only reading
        read on each number's cleaned line (one text per binarisation); `explains`: per rendering of a
        number's crop, how well each written number explains it (unlisted: 0); `offsets`: how far right of
        its place's centre a number's line of ink (7 pt tall) lies, and how wide it is, in digits' advances."""
        self.by_place: dict[tuple[int, Box], list[tuple[str, str]]] = {}
        self.digits_by_place: dict[tuple[int, Box], list[tuple[str, str]]] = {}
        self.explains_by_place: dict[tuple[int, Box], list[dict[str, float]]] = {}
        self.lines_by_place: dict[tuple[int, Box], tuple[float, float, float]] = {}
        digits, explains, offsets = digits or {}, explains or {}, offsets or {}
        for index, path in enumerate(dict.fromkeys([*texts, *digits, *explains, *offsets])):  # a place each
            box: Box = (10.0 * index, 700.0, 10.0 * index + 8, 712.0)
            record.provenance[path] = record.provenance[path].model_copy(update={"bbox": box})
            place = (record.provenance[path].page, box)
            self.by_place[place] = texts.get(path, [])
            self.digits_by_place[place] = [("tesseract-digits", text) for text in digits.get(path, [])]
            self.explains_by_place[place] = explains.get(path, [])
            if path in offsets:
                advance = verify.implied.ADVANCE * 7.0
                centre, half = box[0] + 4 + offsets[path][0] * advance, offsets[path][1] * advance / 2
                self.lines_by_place[place] = (centre - half, centre + half, 7.0)
        self.asked: list[tuple[int, Box]] = []
        self.asked_numbers: list[tuple[int, Box]] = []

    def read_all(self, places: Sequence[tuple[int, Box]]) -> list[list[tuple[str, str]]]:
        self.asked.extend(places)
        return [self.by_place.get((page_number, box), []) for page_number, box in places]

    def read_numbers(self, places: Sequence[tuple[int, Box]]) -> list[list[tuple[str, str]]]:
        self.asked_numbers.extend(places)
        return [self.digits_by_place.get((page_number, box), []) for page_number, box in places]

    def explain(self, place: tuple[int, Box], numbers: Sequence[str]) -> list[list[float]]:
        return [[rendering.get(number, 0.0) for number in numbers] for rendering in self.explains_by_place.get(place, [])]

    def explain_under_seal(self, place: tuple[int, Box], numbers: Sequence[str]) -> list[list[float]]:
        return []

    def line_of(self, place: tuple[int, Box]) -> tuple[float, float, float] | None:
        return self.lines_by_place.get(place)


def _checked(record: models.ApplicationRecord, reader: FakeReader | None = None) -> list[models.Check]:
    """The runner's order: reconcile, check; second readings of failed errors; reconcile and check again."""
    reconcile(record, SETTINGS)
    context = CheckContext(record=record, settings=SETTINGS)
    checks = run_checks(context)
    if reader is None:
        return checks
    read_again = verify.unread_figures(record, lambda: reader, SETTINGS)
    if verify.second_readings(record, checks, lambda: reader, SETTINGS) or read_again:
        reconcile(record, SETTINGS)
        checks = run_checks(context)
    return checks


def _finding(checks: list[models.Check], code: str, where: str = "") -> models.Check | None:
    return next((c for c in checks if c.code == code and c.where == where), None)


def _misread_total(record: models.ApplicationRecord) -> None:
    """The table's one financing is 2,571.2 万元 (as declared), read with confidence as 251.2."""
    _set(DECLARED, 2571.2)(record)
    _set("basic_info.resources[0].financing", 100.0)(record)
    _set(FINANCING, 251.2)(record)
    record.provenance[DECLARED] = record.provenance[DECLARED].model_copy(update={"bbox": (300, 20, 360, 34)})


def test_a_misreading_looks_like_one_and_a_bad_crop_does_not() -> None:
    assert verify.misread_of(251.2, 2571.2) and verify.misread_of(195.56, 1195.56)
    assert verify.misread_of(3348.63, 3351.63) and verify.misread_of(206, 208)
    assert not verify.misread_of(3351.63, 0.0567)  # a unit misread: the scale, not a digit
    assert not verify.misread_of(557.13, 57138.0)  # the point moved
    assert not verify.misread_of(1325.43, 1325.43)
    assert not verify.misread_of(2571.2, 71.2 * 1000)


def test_a_date_misread_by_a_digit_makes_its_range_check_a_doubt() -> None:
    record = clean_application()
    path = "appendix.trainings[0].date"
    _set(path, dt.date(2023, 7, 1))(record)  # printed 2025-07-01, read with confidence as 2023
    assert verify.misread_of(dt.date(2023, 7, 1), dt.date(2025, 7, 1))
    assert not verify.misread_of(dt.date(2023, 7, 1), 2025.0701)
    reader = FakeReader(record, {path: [("tesseract", "2025年7月1日"), ("rapidocr", "2023.7.1")]})
    found = _finding(_checked(record, reader), "TRAINING_DATE_OUT_OF_RANGE", "1")
    assert found is not None and found.severity == "warning" and found.doubts == [path]
    assert record.provenance[path].alternatives == ["2025-07-01"]
    assert record.provenance[path].confirmed_by == ["rapidocr"]


def test_a_crop_reading_counts_only_when_it_is_written_as_a_number_of_the_kind() -> None:
    assert verify.reading_of("2,571.20万元", 251.2) == 2571.2
    assert verify.reading_of("2让.20万元", 251.2) is None
    assert verify.reading_of("13个", 9) == 13
    assert verify.reading_of("13.5", 9) is None
    assert verify.reading_of("262\n36", 26236) is None  # two values in one cell: rows merged, not a number


def test_a_dropped_digit_read_by_a_second_engine_is_picked_by_the_total() -> None:
    record = clean_application()
    _misread_total(record)
    before = _checked(record.model_copy(deep=True))
    assert _finding(before, "FINANCING_TOTAL_MISMATCH").severity == "error"  # type: ignore[union-attr]
    reader = FakeReader(record, {FINANCING: [("tesseract", "2,571.20"), ("rapidocr", "251.2")],
                                 DECLARED: [("tesseract", "2571.20万元"), ("rapidocr", "2571.20万元")]})
    checks = _checked(record, reader)
    assert _finding(checks, "FINANCING_TOTAL_MISMATCH") is None
    assert record.appendix.financings[0].amount == 2571.2
    origin = record.provenance[FINANCING]
    assert origin.resolved_by == "FINANCING_TOTAL" and origin.alternatives == [251.2]
    assert origin.confirmed_by == ["rapidocr"]
    assert record.provenance[DECLARED].confirmed_by == ["tesseract", "rapidocr"]
    assert not [c for c in checks if c.severity == "error"]


def test_a_true_mismatch_both_engines_read_the_same_stays_an_error() -> None:
    record = clean_application()
    _set(DECLARED, 900.0)(record)  # declared 900, the table's one row 500: a real defect
    reader = FakeReader(record, {FINANCING: [("tesseract", "500.00"), ("rapidocr", "500")],
                                 DECLARED: [("tesseract", "900万元"), ("rapidocr", "900.00 万元")]})
    checks = _checked(record, reader)
    found = _finding(checks, "FINANCING_TOTAL_MISMATCH")
    assert found is not None and found.severity == "error" and found.confidence == 1.0
    assert set(found.rests_on) >= {FINANCING, DECLARED}
    assert record.provenance[FINANCING].confirmed_by == ["tesseract", "rapidocr"]


def test_a_number_no_engine_can_read_again_makes_the_comparison_a_doubt() -> None:
    record = clean_application()
    _misread_total(record)
    _set("basic_info.service[1].contract_amount", 999.0)(record)  # a true defect beside it, read surely
    reader = FakeReader(record, {FINANCING: [("tesseract", "2让.20万元")],
                                 DECLARED: [("tesseract", "2571.20")],
                                 "appendix.contracts[2].amount": [("tesseract", "300.00")],
                                 "appendix.contracts[0].date": [("rapidocr", "2024-03-05")],
                                 "appendix.contracts[1].date": [("rapidocr", "2024.5.1")],
                                 "appendix.contracts[2].date": [("rapidocr", "2025年1月9日")],
                                 "basic_info.service[1].contract_amount": [("tesseract", "999")]})
    checks = _checked(record, reader)
    # A figure no second reading could confirm stays in doubt: the failed total is a warning naming it.
    doubted = _finding(checks, "FINANCING_TOTAL_MISMATCH")
    assert doubted is not None and doubted.severity == "warning" and FINANCING in doubted.doubts
    assert "单独复核未能读出同一数值" in doubted.message
    assert record.provenance[FINANCING].confirmed_by == []
    assert _finding(checks, "CONTRACT_TOTAL_MISMATCH", "2025").severity == "error"  # type: ignore[union-attr]


def test_the_numbers_of_a_total_doubted_over_an_unsure_figure_are_read_again() -> None:
    record = clean_application()
    _misread_total(record)
    origin = record.provenance[FINANCING]
    record.provenance[FINANCING] = origin.model_copy(update={"confidence": 0.55, "bbox": (300, 40, 360, 54)})
    checks = _checked(record)
    doubted = _finding(checks, "FINANCING_TOTAL_MISMATCH")
    assert doubted is not None and doubted.severity == "warning"
    assert FINANCING in verify.suspects(record, checks)


def test_only_failed_errors_read_again_and_each_number_once() -> None:
    record = clean_application()
    reader = FakeReader(record, {})
    assert not verify.second_readings(record, _checked(record), lambda: reader)
    assert reader.asked == []
    _misread_total(record)
    reader = FakeReader(record, {FINANCING: [("tesseract", "251.2")], DECLARED: [("tesseract", "2571.2")]})
    _checked(record, reader)
    assert len(reader.asked) == 2
    assert not verify.suspects(record, _checked(record))  # read once: their findings are now settled


# --------------------------------------------------------------- a real engine on a real crop

EMAIL = "basic_info.head.email"


def test_an_address_whose_at_was_read_as_a_digit_is_read_again_and_its_form_picks_the_reading() -> None:
    assert verify.misread_of("ep1690163.com", "ep169@163.com") and not verify.misread_of("ep169@163.com", "a@qq.com")
    record = clean_application()
    _set(EMAIL, "ep1690163.com")(record)  # printed ep169@163.com; '@' read with confidence as '0'
    assert _finding(_checked(record.model_copy(deep=True)), "INVALID_EMAIL") is not None
    reader = FakeReader(record, {EMAIL: [("tesseract", "ep169@163.com"), ("rapidocr", "ep1690163.com")]})
    checks = _checked(record, reader)
    assert _finding(checks, "INVALID_EMAIL") is None and record.basic_info.head.email == "ep169@163.com"
    origin = record.provenance[EMAIL]
    assert origin.resolved_by == "EMAIL_FORM" and origin.alternatives == ["ep1690163.com"]


def test_a_repair_of_the_first_reading_alone_is_not_settled_by_the_address_form() -> None:
    record = clean_application()
    _set(EMAIL, "ab12@qq.com")(record)  # a repair of 'ab120qq.com', as likely the applicant's slip
    record.provenance[EMAIL] = record.provenance[EMAIL].model_copy(update={"alternatives": ["ab120qq.com"]})
    reconcile(record, SETTINGS)
    assert record.provenance[EMAIL].unsettled  # not read again: both readings stand


def test_an_address_written_without_its_at_and_read_so_again_stays_a_finding() -> None:
    record = clean_application()
    _set(EMAIL, "we473qq.com")(record)  # the applicant's slip: both engines read it so on the crop
    reader = FakeReader(record, {EMAIL: [("tesseract", "we473qq.com"), ("rapidocr", "we473qq.com")]})
    found = _finding(_checked(record, reader), "INVALID_EMAIL")
    assert found is not None and not found.doubts and found.rests_on == [EMAIL]
    assert record.provenance[EMAIL].confirmed_by == ["tesseract", "rapidocr"]


def test_an_at_every_engine_reads_as_another_character_is_the_at() -> None:
    from pipeline.normalise import at_read_apart

    assert at_read_apart(["rama522=163.com", "cqma5220163.com"]) == "cqma522@163.com"
    assert at_read_apart(["we473qq.com", "we473qq.com"]) is None  # written without '@': read alike
    assert at_read_apart(["ep1690163.com"]) is None  # one reading tells nothing
    assert at_read_apart(["li0163.com", "li8126.com"]) is None  # not one domain
    record = clean_application()
    _set(EMAIL, "rama522=163.com")(record)
    reader = FakeReader(record, {EMAIL: [("rapidocr", "cqma5220163.com")]})
    checks = _checked(record, reader)
    assert _finding(checks, "INVALID_EMAIL") is None and record.basic_info.head.email == "cqma522@163.com"


def test_a_phone_number_misread_by_a_digit_is_picked_by_its_form() -> None:
    record = clean_application()
    _set("basic_info.head.mobile", "1391234567")(record)  # a digit dropped on the page
    reader = FakeReader(record, {"basic_info.head.mobile": [("rapidocr", "13912345678")]})
    checks = _checked(record, reader)
    assert _finding(checks, "INVALID_PHONE", "basic_info.head.mobile") is None
    assert record.basic_info.head.mobile == "13912345678"


def _page_with(text: str, box_pt: Box, tmp_path: Path, dpi: float = 200.0) -> Page:
    scale = dpi / 72.0
    image = np.full((round(842 * scale), round(595 * scale)), 255, np.uint8)
    x0, y0, x1, y1 = (round(v * scale) for v in box_pt)
    cv2.rectangle(image, (x0 - 6, y0 - 6), (x1 + 6, y1 + 6), 0, 2)  # the cell's rules
    canvas = Image.fromarray(image)
    font = ImageFont.truetype(SONG, size=round(11 * scale))  # 11 pt, the form's print
    ImageDraw.Draw(canvas).multiline_text((x0 + 4, y0 + 2), text, fill=0, font=font, spacing=round(4 * scale))
    path = tmp_path / "page.png"
    canvas.save(path)
    return Page(number=16, width=595, height=842, kind="scan", dpi=dpi, image_path=path, print_path=path)


@pytest.mark.slow
def test_the_engines_read_a_cell_crop_again(tmp_path: Path) -> None:
    """The crop (rules trimmed, white margin, enlarged) is one that both real engines read."""
    box = (400.0, 200.0, 520.0, 225.0)
    page = _page_with("2,571.20", box, tmp_path, dpi=300.0)
    reader = verify.CropReader({16: page}, verify.engines_for(Settings(cache_dir=None)))
    read, blank, again = reader.read_all([(16, box), (16, (100.0, 600.0, 200.0, 620.0)), (16, box)])
    assert {engine for engine, _ in read} == {"tesseract", "rapidocr"}
    assert all(verify.reading_of(text, 251.2) == 2571.2 for _, text in read)
    assert blank == []  # a blank place: nothing to read
    assert again == read  # two crops stacked in one call each read on their own
    two = (400.0, 300.0, 520.0, 340.0)
    merged = _page_with("262\n36", two, tmp_path, dpi=300.0)
    [lines] = verify.CropReader({16: merged}, reader.engines).read_all([(16, two)])
    assert lines and all(verify.reading_of(text, 26236) is None for _, text in lines)


def test_without_an_engine_nothing_is_read_again_and_nothing_changes() -> None:
    record = clean_application()
    _misread_total(record)
    checks = _checked(record)
    assert not verify.second_readings(record, checks, lambda: None)
    assert record.provenance[FINANCING].confirmed_by is None
    assert _finding(_checked(record), "FINANCING_TOTAL_MISMATCH").severity == "error"  # type: ignore[union-attr]


CODE = "basic_info.lead_unit.credit_code"


def test_a_credit_code_misread_by_a_character_is_read_again_and_its_check_picks_the_reading() -> None:
    from models.codes import is_valid_credit_code

    record = clean_application()
    valid = record.basic_info.lead_unit.credit_code
    assert valid is not None and is_valid_credit_code(valid)
    misread = valid[:-1] + ("8" if valid[-1] != "8" else "7")  # the check character read as another
    _set(CODE, misread)(record)
    assert _finding(_checked(record.model_copy(deep=True)), "INVALID_CREDIT_CODE") is not None
    reader = FakeReader(record, {CODE: [("rapidocr", valid)]})
    checks = _checked(record, reader)
    assert _finding(checks, "INVALID_CREDIT_CODE") is None and record.basic_info.lead_unit.credit_code == valid
    assert record.provenance[CODE].resolved_by == "CREDIT_CODE_CHECK"


def test_a_wrong_credit_code_read_alike_again_stays_an_error() -> None:
    record = clean_application()
    valid = record.basic_info.lead_unit.credit_code
    assert valid is not None
    wrong = valid[:-1] + ("8" if valid[-1] != "8" else "7")
    _set(CODE, wrong)(record)
    reader = FakeReader(record, {CODE: [("tesseract", wrong), ("rapidocr", wrong)]})
    found = _finding(_checked(record, reader), "INVALID_CREDIT_CODE")
    assert found is not None and CONTRACT_2025 not in found.doubts  # (the fake reader leaves the dates unconfirmed)


# --------------------------------------------------------------- characters a reading lost, given back by its total

CONTRACT_2025 = "appendix.contracts[2].amount"
DECLARED_2025 = "basic_info.service[1].contract_amount"


def _lost_under_a_seal(record: models.ApplicationRecord, read: float, printed: float) -> None:
    """The 2025 contract printed `printed` 万元 (as declared) read unsurely as `read` (a seal's ring across it)."""
    _set(DECLARED_2025, printed)(record)
    _set(CONTRACT_2025, read)(record)
    record.provenance[CONTRACT_2025] = record.provenance[CONTRACT_2025].model_copy(update={"confidence": 0.7})


def test_characters_a_seal_took_from_a_figure_are_given_back_by_its_total() -> None:
    assert verify.implied.lost_from(8.0, 154.8) and verify.implied.lost_from(24, 124)
    assert not verify.implied.lost_from(138.0, 139.7) and not verify.implied.lost_from(154.8, 154.8)
    record = clean_application()
    _lost_under_a_seal(record, 8.0, 154.8)
    _set(DECLARED, 900.0)(record)  # a true defect beside it: the financings' one row is 500, read surely
    reader = FakeReader(record, {CONTRACT_2025: [("tesseract", "8万元")], DECLARED_2025: [("rapidocr", "154.8")],
                                 FINANCING: [("tesseract", "500"), ("rapidocr", "500.00")],
                                 DECLARED: [("tesseract", "900"), ("rapidocr", "900万元")]},
                        explains={CONTRACT_2025: [{"8": 0.93, "154.8": 0.03}, {"8": 0.4, "154.8": 0.4}]})
    checks = _checked(record, reader)
    assert _finding(checks, "CONTRACT_TOTAL_MISMATCH", "2025") is None
    assert record.appendix.contracts[2].amount == 154.8
    origin = record.provenance[CONTRACT_2025]
    assert origin.resolved_by == "CONTRACT_TOTAL_2025" and origin.alternatives == [8.0]
    assert _finding(checks, "FINANCING_TOTAL_MISMATCH").severity == "error"  # type: ignore[union-attr]


def test_a_figure_its_ink_reads_surely_is_not_completed_by_a_total() -> None:
    record = clean_application()
    _lost_under_a_seal(record, 54.8, 154.8)  # declared 100 too high: a true defect over a figure read right
    explains = {"54.8": 0.95, "154.8": 0.66}
    reader = FakeReader(record, {CONTRACT_2025: [("tesseract", "54.8万元")], DECLARED_2025: [("rapidocr", "154.8")]},
                        explains={CONTRACT_2025: [explains, explains]})
    checks = _checked(record, reader)
    assert record.appendix.contracts[2].amount == 54.8
    assert _finding(checks, "CONTRACT_TOTAL_MISMATCH", "2025") is not None
    without_posteriors = clean_application()
    _lost_under_a_seal(without_posteriors, 8.0, 154.8)
    reader = FakeReader(without_posteriors, {CONTRACT_2025: [("tesseract", "8万元")],
                                             DECLARED_2025: [("rapidocr", "154.8")]})
    assert _finding(_checked(without_posteriors, reader), "CONTRACT_TOTAL_MISMATCH", "2025") is not None


def test_nothing_is_implied_where_the_readings_already_make_the_total_hold() -> None:
    """dev4 a10: the crop's 1508.84 for a 1508.81 made the total hold; an implied 2689.43 for the 2689.4
    beside it made a second way, and the total was left failing. 2024's 100 read 18 (or 100) and 20.5
    read 2.5 (or 20.5): the readings hold, so the 118 the total would imply for the 18 is not proposed."""
    record = clean_application()
    for path, read, other in (("appendix.contracts[0].amount", 18.0, 100.0), ("appendix.contracts[1].amount", 2.5, 20.5)):
        _set(path, read)(record)
        record.provenance[path] = record.provenance[path].model_copy(update={"confidence": 0.7, "alternatives": [other]})
    rule = next(rule for rule in rules_for(record, SETTINGS) if rule.name == "CONTRACT_TOTAL_2024")
    assert verify.implied.lost_from(18.0, 118.0) and verify.implied.candidates(record, rule, SETTINGS) == []


def test_a_figure_read_with_its_printed_zero_is_given_back_by_its_total() -> None:
    """dev7 a01: '358.70' under a seal's ring read 70 (the ring took '358.', the printed 0 stayed). Its
    digits are not 358.7's with some left out, but they are those of 358.70, as the column prints it."""
    assert verify.implied.lost_from(70.0, 358.7, 2) and not verify.implied.lost_from(70.0, 358.7)
    assert verify.implied.printed(358.7, 2) == ["358.7", "358.70"]
    record = clean_application()
    _lost_under_a_seal(record, 70.0, 358.7)
    reader = FakeReader(record, {CONTRACT_2025: [("rapidocr", "70")], DECLARED_2025: [("rapidocr", "358.7")]},
                        explains={CONTRACT_2025: [{"70": 0.33, "358.7": 0.09, "358.70": 0.23}]})
    checks = _checked(record, reader)
    assert record.appendix.contracts[2].amount == 358.7
    assert _finding(checks, "CONTRACT_TOTAL_MISMATCH", "2025") is None


def test_with_two_figures_misread_the_other_ones_reading_lets_the_total_imply_the_first() -> None:
    """dev7 a11: two financings misread, 2,116.23 as 116.23 and 389.10 as 38910 (389.1 among its readings).
    Over 38910 the total implies nothing for the first; over its other reading 389.1 it implies 2,116.23."""
    record = clean_application()
    record.appendix.financings += [models.FinancingRow(seq=2, investor="某基金", investee="丁公司", amount=116.23),
                                   models.FinancingRow(seq=3, investor="某基金", investee="戊公司", amount=38910.0)]
    for index, others in ((1, []), (2, [389.1])):
        record.provenance[f"appendix.financings[{index}].amount"] = models.Provenance(
            page=15, bbox=[0, 0, 1, 1], confidence=0.7, source="ocr", alternatives=others)
    _set(DECLARED, 3005.33)(record)  # 500 + 2,116.23 + 389.1
    first = "appendix.financings[1].amount"
    reader = FakeReader(record, {DECLARED: [("rapidocr", "3,005.33")]},
                        explains={first: [{"116.23": 0.4, "2116.23": 0.5, "2,116.23": 0.45}]})
    checks = _checked(record, reader)
    assert record.appendix.financings[1].amount == 2116.23 and record.appendix.financings[2].amount == 389.1
    assert _finding(checks, "FINANCING_TOTAL_MISMATCH") is None


def test_a_reading_is_judged_as_its_column_prints_it_before_a_total_completes_it() -> None:
    """dev6 a12 (fax): '98.00' read 98, a total 300 short. As written, '98' explains none of the ink's
    '.00' and looked unsure; as the column prints it, 98.00 is what the frames say."""
    record = clean_application()
    _lost_under_a_seal(record, 98.0, 398.0)  # declared 300 too high: a true defect over a figure read right
    explains = {"98": 0.0, "98.00": 0.95, "398": 0.0, "398.00": 0.52}
    reader = FakeReader(record, {CONTRACT_2025: [("rapidocr", "98.00")], DECLARED_2025: [("rapidocr", "398")]},
                        explains={CONTRACT_2025: [explains, explains]})
    checks = _checked(record, reader)
    assert record.appendix.contracts[2].amount == 98.0
    assert _finding(checks, "CONTRACT_TOTAL_MISMATCH", "2025") is not None


def test_a_digit_a_seal_changed_is_given_back_by_its_total_where_the_ink_favours_it() -> None:
    """dev8 a06: '2,578.95' under a seal's star read 2,278.95; dev9 a12 (fax): '228' with a ring's stroke
    read 2281. One digit read as another (or one more) is given back by the total only where some
    rendering of the crop explains the implied figure at least as well as the reading."""
    assert verify.implied.changed_from(2278.95, 2578.95, 2) and verify.implied.changed_from(2281, 228)
    assert verify.implied.changed_from(2829.0, 2329.0) and not verify.implied.changed_from(138.0, 139.7, 2)
    assert not verify.implied.changed_from(2557.1, 2557.03, 2) and not verify.implied.changed_from(154.8, 154.8)
    assert not verify.implied.changed_from(1420.0, 142.2, 2)
    record = clean_application()
    _lost_under_a_seal(record, 278.95, 578.95)
    reader = FakeReader(record, {CONTRACT_2025: [("rapidocr", "278.95")], DECLARED_2025: [("rapidocr", "578.95")]},
                        explains={CONTRACT_2025: [{"278.95": 0.05, "578.95": 0.06}, {"278.95": 0.54, "578.95": 0.65}]})
    checks = _checked(record, reader)
    assert record.appendix.contracts[2].amount == 578.95
    assert _finding(checks, "CONTRACT_TOTAL_MISMATCH", "2025") is None


def test_a_digit_the_ink_still_reads_is_not_changed_by_a_total() -> None:
    """A true mismatch of 300 over a figure read unsurely: 278.95 changed to 578.95 would make it hold, but
    no rendering of the crop explains 578.95 as well as what was read: the mismatch stands."""
    record = clean_application()
    _lost_under_a_seal(record, 278.95, 578.95)
    explains = {"278.95": 0.62, "578.95": 0.3}
    reader = FakeReader(record, {CONTRACT_2025: [("rapidocr", "278.95")], DECLARED_2025: [("rapidocr", "578.95")]},
                        explains={CONTRACT_2025: [explains, {"278.95": 0.2, "578.95": 0.03}]})
    checks = _checked(record, reader)
    assert record.appendix.contracts[2].amount == 278.95
    assert _finding(checks, "CONTRACT_TOTAL_MISMATCH", "2025") is not None


def test_a_digit_changed_beside_characters_lost_is_given_back_where_the_ink_favours_it() -> None:
    """dev8 a06 (image): '45.9' under a seal's ring read 3 (the '4' and '.' lost, the 5 read 3). Neither
    characters lost alone nor one digit changed alone; both together are held to a changed digit's bar:
    some rendering must explain the implied figure at least as well as the reading, and fairly."""
    assert verify.implied.changed_and_lost(3.0, 45.9, 2) and verify.implied.changed_and_lost(42.0, 45.1, 2)
    assert verify.implied.changed_and_lost(2557.1, 2557.03, 2)
    assert not verify.implied.changed_and_lost(45.9, 45.9) and not verify.implied.changed_and_lost(1281, 1261)
    assert not verify.implied.changed_and_lost(77, 45)
    record = clean_application()
    _lost_under_a_seal(record, 3.0, 45.9)
    reader = FakeReader(record, {CONTRACT_2025: [("rapidocr", "3")], DECLARED_2025: [("rapidocr", "45.9")]},
                        explains={CONTRACT_2025: [{"3": 0.004, "45.9": 0.75}, {"3": 0.0, "45.9": 0.4}]})
    checks = _checked(record, reader)
    assert record.appendix.contracts[2].amount == 45.9
    assert _finding(checks, "CONTRACT_TOTAL_MISMATCH", "2025") is None


def test_a_digit_changed_beside_characters_lost_the_ink_does_not_favour_stays_a_mismatch() -> None:
    """A true mismatch over a figure read unsurely as '42': the total implies 45.1, one digit changed and
    '.1' lost, but no rendering explains 45.1 as well as 42: the mismatch stands (dev9 a11's fax star)."""
    record = clean_application()
    _lost_under_a_seal(record, 42.0, 45.1)
    reader = FakeReader(record, {CONTRACT_2025: [("rapidocr", "42")], DECLARED_2025: [("rapidocr", "45.1")]},
                        explains={CONTRACT_2025: [{"42": 0.38, "45.1": 0.02}, {"42": 0.0, "45.1": 0.0}]})
    checks = _checked(record, reader)
    assert record.appendix.contracts[2].amount == 42.0
    assert _finding(checks, "CONTRACT_TOTAL_MISMATCH", "2025") is not None


def test_a_sure_reading_placed_but_the_implied_figure_barely_explained_stays_a_mismatch() -> None:
    """The ink sits as a lost leading digit would leave it, but no rendering explains 112 fairly (0.3): a
    sure reading is not set aside for a figure the ink barely allows."""
    record = clean_application()
    _centred_column(record, 12.0, 112.0)
    offsets = _line(0.5, 0.0, 0.1, -0.1)
    reader = FakeReader(record, {CONTRACT_2025: [("rapidocr", "12"), ("tesseract", "12")],
                                 DECLARED_2025: [("rapidocr", "162")]},
                        explains={CONTRACT_2025: [{"12": 1.0, "112": 0.3}]}, offsets=offsets)
    checks = _checked(record, reader)
    assert record.appendix.contracts[2].amount == 12.0
    assert _finding(checks, "CONTRACT_TOTAL_MISMATCH", "2025") is not None


def _centred_column(record: models.ApplicationRecord, read: float, printed: float) -> None:
    """The 2025 contract printed `printed` 万元 read surely as `read` by both engines (an opaque seal ring over
    its first digit), beside a fourth contract (50 万元, 2025): four figures in the amount column."""
    record.appendix.contracts.append(models.ContractRow(date=dt.date(2025, 2, 1), contract_no="HT-4",
                                                        enterprise="丙公司", amount=50.0))
    for name in ("date", "contract_no", "enterprise", "amount"):
        record.provenance[f"appendix.contracts[3].{name}"] = record.provenance[f"appendix.contracts[2].{name}"]
    _set(DECLARED_2025, printed + 50.0)(record)
    _set(CONTRACT_2025, read)(record)
    record.provenance[CONTRACT_2025] = record.provenance[CONTRACT_2025].model_copy(update={"confidence": 1.0})


COLUMN = ("appendix.contracts[0].amount", "appendix.contracts[1].amount", "appendix.contracts[3].amount")


def _line(here: float, *others: float, wider: float = 0.0) -> dict[str, tuple[float, float]]:
    """Lines of ink of the 2025 contract read '12' (`wider` digits more than its two) and of the column's
    other figures '100', '20.5' and '50', each off its cell's centre by so many digits' advances."""
    return {CONTRACT_2025: (here, 2.0 + wider), **{path: (offset, width) for path, offset, width
                                                     in zip(COLUMN, others, (3.0, 3.5, 2.0), strict=True)}}


def test_a_sure_reading_off_its_centred_column_by_a_lost_digit_is_completed_by_its_total() -> None:
    """dev9 a03 (phone): '112' participants whose 1 an opaque seal ring hides, read 12 surely by both engines
    and on every rendering. Its column's figures sit centred in their cells; its ink sits half a digit right
    of its cell's centre, as a 1 lost before '12' would leave it: the total's 112 is another reading."""
    assert verify.implied.shifts(12, 112) == [0.5] and verify.implied.shifts(12.0, 112.0, 2) == [0.5]
    assert verify.implied.shifts(8.0, 154.8) == [1.75] and verify.implied.shifts(13, 131) == [-0.5]
    record = clean_application()
    _centred_column(record, 12.0, 112.0)
    offsets = _line(0.5, 0.0, 0.1, -0.1)
    reader = FakeReader(record, {CONTRACT_2025: [("rapidocr", "12"), ("tesseract", "12")],
                                 DECLARED_2025: [("rapidocr", "162")]},
                        explains={CONTRACT_2025: [{"12": 1.0, "112": 0.6}, {"12": 1.0, "112": 0.01}]}, offsets=offsets)
    checks = _checked(record, reader)
    assert record.appendix.contracts[2].amount == 112.0
    assert _finding(checks, "CONTRACT_TOTAL_MISMATCH", "2025") is None


@pytest.mark.parametrize("offsets", [
    _line(0.0, 0.0, 0.1, -0.1),  # centred as the others: nothing lost
    _line(1.2, 0.0, 0.1, -0.1),  # off by more than one digit lost
    _line(0.5, 0.6, -0.5, 0.4),  # a column not printed centred
    _line(0.5, 0.0, 0.1, -0.1, wider=1.0),  # ink beside the reading's (a seal's character): not its own
])
def test_a_sure_reading_its_ink_does_not_place_stays_a_mismatch(offsets: dict[str, tuple[float, float]]) -> None:
    """A true mismatch of 100 over a '12' read surely: the total implies 112, and only where the ink sits
    as a lost leading digit would leave it, in a centred column, is that another reading."""
    record = clean_application()
    _centred_column(record, 12.0, 112.0)
    reader = FakeReader(record, {CONTRACT_2025: [("rapidocr", "12"), ("tesseract", "12")],
                                 DECLARED_2025: [("rapidocr", "162")]},
                        explains={CONTRACT_2025: [{"12": 1.0, "112": 0.6}]}, offsets=offsets)
    checks = _checked(record, reader)
    assert record.appendix.contracts[2].amount == 12.0
    assert _finding(checks, "CONTRACT_TOTAL_MISMATCH", "2025") is not None


def _read_surely(record: models.ApplicationRecord, read: float, printed: float) -> None:
    """The 2025 contract printed `printed` 万元 (as declared) read surely as `read` (a seal's stroke took a digit)."""
    _set(DECLARED_2025, printed)(record)
    _set(CONTRACT_2025, read)(record)
    record.provenance[CONTRACT_2025] = record.provenance[CONTRACT_2025].model_copy(update={"confidence": 1.0})


def test_a_figure_one_engine_read_alike_on_its_crop_may_still_be_completed_by_its_total() -> None:
    """dev6 a03 (phone): '286' under a seal's ring read 281, and read 281 again on its crop by the same
    recogniser: one engine's agreement is no independent reading, and the ink favours 286."""
    record = clean_application()
    _read_surely(record, 81.0, 86.0)
    reader = FakeReader(record, {CONTRACT_2025: [("rapidocr", "81")], DECLARED_2025: [("rapidocr", "86")]},
                        explains={CONTRACT_2025: [{"81": 0.7, "86": 0.75}]})
    checks = _checked(record, reader)
    assert record.provenance[CONTRACT_2025].confirmed_by == ["rapidocr"]
    assert record.appendix.contracts[2].amount == 86.0
    assert _finding(checks, "CONTRACT_TOTAL_MISMATCH", "2025") is None


def test_a_figure_two_engines_read_alike_on_its_crop_is_not_completed_by_its_total() -> None:
    record = clean_application()
    _read_surely(record, 81.0, 86.0)
    reader = FakeReader(record, {CONTRACT_2025: [("rapidocr", "81"), ("tesseract", "81万元")],
                                 DECLARED_2025: [("rapidocr", "86")]},
                        explains={CONTRACT_2025: [{"81": 0.7, "86": 0.75}]})
    checks = _checked(record, reader)
    assert record.appendix.contracts[2].amount == 81.0
    assert _finding(checks, "CONTRACT_TOTAL_MISMATCH", "2025") is not None


def test_a_figure_in_doubt_is_completed_before_one_an_engine_confirmed() -> None:
    """dev6 a08: '124' read 24 (in doubt) and '61' read alike once on its crop; the total 100 short is
    implied for the figure in doubt only, not also as 161 for the other, which would leave two ways."""
    record = clean_application()
    doubtful, once = "appendix.contracts[0].amount", "appendix.contracts[1].amount"
    _set(doubtful, 24.0)(record)  # printed 124; 120.5 + 100 declared: 124 + 96.5 would be the 2024 sum
    _set(once, 96.5)(record)
    _set("basic_info.service[0].contract_amount", 220.5)(record)
    record.provenance[doubtful] = record.provenance[doubtful].model_copy(update={"confidence": 0.7})
    record.provenance[once] = record.provenance[once].model_copy(update={"confidence": 1.0})
    reader = FakeReader(record, {doubtful: [("tesseract", "24")], once: [("rapidocr", "96.5")],
                                 "basic_info.service[0].contract_amount": [("rapidocr", "220.5")]},
                        explains={doubtful: [{"24": 0.5, "124": 0.4}], once: [{"96.5": 0.5, "196.5": 0.4}]})
    checks = _checked(record, reader)
    assert record.appendix.contracts[0].amount == 124.0 and record.appendix.contracts[1].amount == 96.5
    assert record.provenance[once].alternatives == []
    assert _finding(checks, "CONTRACT_TOTAL_MISMATCH", "2024") is None


def test_a_changed_digit_the_ink_explains_poorly_is_not_given_by_a_total() -> None:
    """dev4 a03 (bw scan): a true trainee mismatch 20 over, '74' read unsurely; 94 explains the crop a little
    better than 74 (0.15 against 0.07), but neither explains it: the mismatch stands."""
    record = clean_application()
    _lost_under_a_seal(record, 74.0, 94.0)
    reader = FakeReader(record, {CONTRACT_2025: [("rapidocr", "74")], DECLARED_2025: [("rapidocr", "94")]},
                        explains={CONTRACT_2025: [{"74": 0.04, "94": 0.11}, {"74": 0.07, "94": 0.15}]})
    checks = _checked(record, reader)
    assert record.appendix.contracts[2].amount == 74.0
    assert _finding(checks, "CONTRACT_TOTAL_MISMATCH", "2025") is not None


def test_characters_lost_from_a_second_reading_as_full_as_the_first_are_given_back_by_the_total() -> None:
    """dev a12 (grey scan): '139.7' under a seal's character read 138 (the 9 crossed by its ring, '.7' lost),
    and 139 on its crop: 138 is no reading of 139.7 with characters lost, the crop's 139 is, and the ink
    explains 139.7 over it. A crop reading shorter than the first ('13') is no such reading: it saw less."""
    record = clean_application()
    _lost_under_a_seal(record, 138.0, 139.7)
    explains = {CONTRACT_2025: [{"138": 0.6, "139": 0.69, "139.7": 0.54}, {"139": 0.14, "139.7": 0.1}]}
    reader = FakeReader(record, {CONTRACT_2025: [("rapidocr", "139")], DECLARED_2025: [("rapidocr", "139.7")]},
                        explains=explains)
    checks = _checked(record, reader)
    assert record.appendix.contracts[2].amount == 139.7
    assert _finding(checks, "CONTRACT_TOTAL_MISMATCH", "2025") is None
    shorter = clean_application()
    _lost_under_a_seal(shorter, 138.0, 139.7)
    reader = FakeReader(shorter, {CONTRACT_2025: [("rapidocr", "13")], DECLARED_2025: [("rapidocr", "139.7")]},
                        explains=explains)
    assert _finding(_checked(shorter, reader), "CONTRACT_TOTAL_MISMATCH", "2025") is not None
    assert shorter.appendix.contracts[2].amount == 138.0


def test_a_rendering_under_a_seal_bears_lost_characters_out_but_never_unsettles_a_sure_reading() -> None:
    """dev6 a03 (photo): '136' under a red ring read 1; the print layer's renderings are unsure (1.0, 0.01, 0.1)
    and explain 136 at 0.09 at best, the red channel at 0.16: characters lost, borne out. samples a05 (scan):
    '96' read surely on every rendering of the print layer; the red channel's local line took a ring's edge for a
    '1' (196 at 0.998, 96 at 0.87): a sure reading stays, and a changed digit is never given by that channel."""
    lost = verify.implied.Implied("TRAINEE_TOTAL_2024", "appendix.trainings[3].participants", 1, 136)
    print_layer = [[1.0, 0.089], [0.007, 0.037], [0.101, 0.066]]
    assert not verify.implied.borne_out(lost, print_layer, 1)
    assert verify.implied.borne_out(lost, print_layer, 1, [[0.101, 0.159]])
    sure = verify.implied.Implied("TRAINEE_TOTAL_2025", "appendix.trainings[11].participants", 96, 196)
    assert not verify.implied.borne_out(sure, [[1.0, 0.339], [1.0, 0.065], [1.0, 0.658]], 1, [[0.87, 0.998]])
    changed = verify.implied.Implied("FINANCING_TOTAL", "appendix.financings[2].amount", 1281, 1261, changed=True)
    assert not verify.implied.borne_out(changed, [[0.6, 0.3]], 1, [[0.1, 0.9]])


# --------------------------------------------------------------- a figure a seal's ring left unread

UNREAD_2025 = "appendix.contracts[3].amount"


def _unread_under_a_seal(record: models.ApplicationRecord, declared: float, blank: bool | None = None) -> None:
    """A second 2025 contract whose amount (printed 154.8 万元) no reading made out: its cell holds ink (a
    seal's ring through the digits of the table's last row), or with `blank`, none. 2025 declared `declared`."""
    record.appendix.contracts.append(models.ContractRow(date=dt.date(2025, 6, 1), contract_no="HT-4",
                                                        enterprise="乙公司", amount=None))
    record.provenance[UNREAD_2025] = record.provenance[CONTRACT_2025].model_copy(update={"blank": blank})
    _set(DECLARED_2025, declared)(record)


def test_a_figure_no_reading_made_out_is_the_one_its_total_implies_where_its_ink_bears_it_out() -> None:
    record = clean_application()
    _unread_under_a_seal(record, 454.8)
    # As scanned, the ring's stroke hides the 1; both cleaned lines read 154.8 (one as the column prints it).
    renderings = [{"154.8": 0.2, "54.8": 0.9}, {"154.8": 0.97}, {"154.80": 0.9}]
    reader = FakeReader(record, {}, explains={UNREAD_2025: renderings})
    checks = _checked(record, reader)
    assert record.appendix.contracts[3].amount == 154.8
    origin = record.provenance[UNREAD_2025]
    assert origin.resolved_by == "CONTRACT_TOTAL_2025" and origin.confidence == 0.97 and origin.blank is False
    assert _finding(checks, "CONTRACT_TOTAL_MISMATCH", "2025") is None
    assert _finding(checks, "LOW_CONFIDENCE", UNREAD_2025) is None


def test_an_unread_figure_whose_ink_does_not_bear_its_total_out_stays_unread() -> None:
    record = clean_application()
    _unread_under_a_seal(record, 554.8)  # a true defect: the total implies 254.8, the ink says 154.8
    reader = FakeReader(record, {}, explains={UNREAD_2025: [{"154.8": 0.97, "254.8": 0.02}]})
    checks = _checked(record, reader)
    assert record.appendix.contracts[3].amount is None
    low = _finding(checks, "LOW_CONFIDENCE", UNREAD_2025)
    assert low is not None and "合计未核对" in low.message
    assert _finding(checks, "CONTRACT_TOTAL_MISMATCH", "2025") is None


def test_an_implied_figure_the_ink_explains_fairly_but_a_figure_a_digit_away_better_is_not_taken() -> None:
    """The ink says 54.8; a total 100 too high implies 154.8, which a '54.8' explains fairly (its digits
    are there, one more put in) but not as well as 54.8 itself: a true defect, left unread and unchecked."""
    record = clean_application()
    _unread_under_a_seal(record, 454.8)
    reader = FakeReader(record, {}, explains={UNREAD_2025: [{"154.8": 0.65, "54.8": 0.98}]})
    _checked(record, reader)
    assert record.appendix.contracts[3].amount is None
    # One rendering reads the ring's stroke as a 1: most still read 54.8.
    fooled = [{"154.8": 0.95, "54.8": 0.3}, {"154.8": 0.65, "54.8": 0.98}, {"154.8": 0.5, "54.8": 0.9}]
    record = clean_application()
    _unread_under_a_seal(record, 454.8)
    _checked(record, FakeReader(record, {}, explains={UNREAD_2025: fooled}))
    assert record.appendix.contracts[3].amount is None
    dropped_or_changed = verify.implied.digit_dropped_or_changed("154.8")
    assert "54.8" in dropped_or_changed and "154.9" in dropped_or_changed and "054.8" not in dropped_or_changed
    assert "1154.8" in verify.implied.digit_put_in("154.8") and "1154.8" not in dropped_or_changed


def test_an_implied_figure_one_rendering_reads_stands_unless_two_read_another() -> None:
    """dev9 a05: as scanned the crop reads 233 surely; both cleaned lines read the ring's stroke after it as a 1."""
    record = clean_application()
    path = "appendix.trainings[1].participants"
    record.appendix.trainings.append(models.TrainingRow(date=dt.date(2025, 4, 7), name="培训", participants=None))
    record.provenance[path] = record.provenance["appendix.trainings[0].participants"]
    _set("basic_info.service[1].trainees", 233)(record)
    renderings = [{"233": 1.0}, {"233": 0.4, "2331": 0.65}, {"233": 0.65, "2331": 1.0}]
    _checked(record, FakeReader(record, {}, explains={path: renderings}))
    assert record.appendix.trainings[1].participants == 233
    record.appendix.trainings[1].participants = None  # another figure two renderings read is what the ink says
    renderings = [{"233": 1.0}, {"233": 0.4, "253": 0.95}, {"233": 0.65, "253": 1.0}]
    _checked(record, FakeReader(record, {}, explains={path: renderings}))
    assert record.appendix.trainings[1].participants is None


def test_an_unread_figure_two_readings_of_its_neighbour_imply_alike_well_stays_unread() -> None:
    record = clean_application()
    _unread_under_a_seal(record, 454.8)
    # The other 2025 figure read 300 or 30: the total implies 154.8 or 424.8, and the ink explains both.
    origin = record.provenance[CONTRACT_2025]
    record.provenance[CONTRACT_2025] = origin.model_copy(update={"alternatives": [30.0], "confidence": 0.7})
    reader = FakeReader(record, {}, explains={UNREAD_2025: [{"154.8": 0.95}, {"424.8": 0.95}]})
    _checked(record, reader)
    assert record.appendix.contracts[3].amount is None


def test_a_blank_cell_or_two_unread_figures_imply_nothing() -> None:
    record = clean_application()
    _unread_under_a_seal(record, 454.8, blank=True)  # no ink: the applicant left it blank
    assert verify.implied.unread_candidates(record, SETTINGS) == []
    record = clean_application()
    _unread_under_a_seal(record, 454.8)
    _set(CONTRACT_2025, None)(record)  # two figures unread: their sum says neither
    assert verify.implied.unread_candidates(record, SETTINGS) == []


@pytest.mark.parametrize(("confidence", "settled"), [(0.85, True), (0.99, False)])
def test_the_digits_dissent_from_an_unsure_page_reading_is_an_alternative_the_form_may_pick(
        confidence: float, settled: bool) -> None:
    # dev24 a09 (a phone photo): the form's '4个' read 1 at 0.89 on the page and by Tesseract on its crop,
    # 4 by the digits-only reading alone; two false errors (a count mismatch, a cumulative decrease).
    record = clean_application()
    _set(FINANCING, 2571.2)(record)
    _set(DECLARED, 251.2)(record)
    _set("basic_info.resources[0].financing", 100.0)(record)
    record.provenance[DECLARED] = record.provenance[DECLARED].model_copy(update={"confidence": confidence})
    reader = FakeReader(record, {FINANCING: [("tesseract", "2571.2"), ("rapidocr", "2571.2")],
                                 DECLARED: [("tesseract", "251.2万元")]}, digits={DECLARED: ["2571.2"]})
    found = _finding(_checked(record, reader), "FINANCING_TOTAL_MISMATCH")
    if settled:
        assert found is None and record.basic_info.resources[1].financing == 2571.2
    else:
        assert found is not None and found.severity == "error"  # a sure reading: the digits' slip outvoted


def test_a_rendering_that_explains_neither_figure_bears_no_lost_character_out() -> None:
    """dev27 a03 (scan): a true trainee mismatch of 100 over '64', read at 1.0 and alike on its crop by one
    engine. As scanned the crop explains neither 64 (0.08) nor the total's 164 (0.02); both cleaned lines read
    64 at 1.0 and allow 164 at 0.41 at best. No rendering unsure of 64 explains 164: the mismatch stands, not
    resting on the figure. The same reading with 164 fair where 64 is unsure is still completed."""
    poor = [[0.08, 0.018], [1.0, 0.03], [1.0, 0.409]]
    lost = verify.implied.Implied("CONTRACT_TOTAL_2025", CONTRACT_2025, 64.0, 164.0)
    assert not verify.implied.borne_out(lost, poor, 1)
    assert verify.implied.borne_out(lost, [[0.3, 0.2], [1.0, 0.03]], 1)
    record = clean_application()
    _read_surely(record, 64.0, 164.0)
    reader = FakeReader(record, {CONTRACT_2025: [("rapidocr", "64")], DECLARED_2025: [("rapidocr", "164")]},
                        explains={CONTRACT_2025: [{"64": a, "164": b} for a, b in poor]})
    checks = _checked(record, reader)
    assert record.appendix.contracts[2].amount == 64.0
    found = _finding(checks, "CONTRACT_TOTAL_MISMATCH", "2025")
    assert found is not None and CONTRACT_2025 not in found.doubts  # (the fake reader leaves the dates unconfirmed)


def _two_misread(first_ink: dict[str, float], second_ink: dict[str, float] | None = None,
                 ) -> tuple[models.ApplicationRecord, list[models.Check]]:
    """Two financings misread on a phone photo at once, '286' as 86 (its first digit lost) and '103' as 113 (a
    digit read as another), the form's total 889 (500 + 286 + 103); `first_ink`, `second_ink`: how each cell's
    ink explains each figure."""
    record = clean_application()
    record.appendix.financings += [models.FinancingRow(seq=2, investor="某基金", investee="丁公司", amount=86.0),
                                   models.FinancingRow(seq=3, investor="某基金", investee="戊公司", amount=113.0)]
    for index in (1, 2):
        record.provenance[f"appendix.financings[{index}].amount"] = models.Provenance(
            page=15, bbox=[0, 0, 1, 1], confidence=0.7, source="ocr")
    _set(DECLARED, 889.0)(record)
    reader = FakeReader(record, {DECLARED: [("rapidocr", "889")]},
                        explains={"appendix.financings[1].amount": [first_ink],
                                  "appendix.financings[2].amount": [second_ink or {"113": 0.4, "103": 0.7, "313": 0.1}]})
    return record, _checked(record, reader)


def test_two_figures_misread_at_once_are_given_back_by_the_one_pair_of_slips_their_ink_bears_out() -> None:
    """dev42 a06 (phone photo): the total fixes only the two figures' sum; one slip from each reading makes it
    hold two ways (286 + 103, 76 + 313), and the ink bears out only the first pair."""
    assert verify.implied.one_slip(86, 286) is False and verify.implied.one_slip(113, 103) is True
    assert verify.implied.one_slip(86, 2866) is None and verify.implied.one_slip(86, 86) is None
    record, checks = _two_misread({"86": 0.3, "286": 0.6})
    assert [row.amount for row in record.appendix.financings[1:]] == [286.0, 103.0]
    assert _finding(checks, "FINANCING_TOTAL_MISMATCH") is None


def test_two_figures_misread_whose_ink_bears_two_pairs_or_none_stay_a_doubt() -> None:
    """Where the first cell's ink explains 76 as well (the pair 76 + 313 borne out too), or neither figure, the
    total holds no one way: the figures stay as read and the mismatch a doubt."""
    for first, second in (({"86": 0.3, "286": 0.6, "76": 0.6}, {"113": 0.4, "103": 0.7, "313": 0.7}),
                          ({"86": 0.95}, None)):
        record, checks = _two_misread(first, second)
        assert [row.amount for row in record.appendix.financings[1:]] == [86.0, 113.0]
        finding = _finding(checks, "FINANCING_TOTAL_MISMATCH")
        assert finding is not None and finding.severity == "warning"
