"""Comparisons that failed on misread numbers: a digits-only reading of each number's cleaned line joins
its alternatives, and the form's redundancy picks the one combination that holds (`pipeline.verify`,
`pipeline.reconcile`, `pipeline.ocr.number_line`).

Each case is a misreading that gave a false (doubtful) warning on the dev sets, with the true defect
beside it still an error.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import cv2
import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

import models
from models.page import Page
from pipeline import verify
from pipeline.checks import CheckContext, run_checks
from pipeline.config import Settings
from pipeline.ocr import get_number_engine
from pipeline.ocr.number_line import BINARISATIONS, line_span, number_line
from tests.test_checks import _set, clean_application
from tests.test_verify import SETTINGS, SONG, FakeReader, _checked, _finding

CONTRACT_2025 = "appendix.contracts[2].amount"
DECLARED_2024 = "basic_info.service[0].contract_amount"
DECLARED_2025 = "basic_info.service[1].contract_amount"
DATES = {f"appendix.contracts[{i}].date": [("rapidocr", day)]
         for i, day in enumerate(("2024-03-05", "2024.5.1", "2025年1月9日"))}
SURE_2024 = {"appendix.contracts[0].amount": [("tesseract", "100"), ("rapidocr", "100.00")],
             "appendix.contracts[1].amount": [("tesseract", "20.5"), ("rapidocr", "20.50")],
             DECLARED_2024: [("tesseract", "999万元"), ("rapidocr", "999")]}


def _in_doubt(record: models.ApplicationRecord, path: str, value: float, *others: float) -> None:
    """`path` read as `value` unsurely, with the page reader's other readings."""
    _set(path, value)(record)
    record.provenance[path] = record.provenance[path].model_copy(
        update={"confidence": 0.7, "alternatives": list(others)})


def _true_defect_2024(record: models.ApplicationRecord) -> None:
    """2024's contracts add up to 120.5 万元 while 999 is declared: a real defect, read surely twice."""
    _set(DECLARED_2024, 999.0)(record)


def test_a_leading_digit_dropped_is_read_on_the_cleaned_line_and_the_total_picks_it() -> None:
    record = clean_application()
    _set(DECLARED_2025, 148.0)(record)
    _in_doubt(record, CONTRACT_2025, 48.0, 18.0)  # printed 148, its '1' under a seal's stroke
    _true_defect_2024(record)
    reader = FakeReader(record, {**DATES, **SURE_2024}, digits={CONTRACT_2025: ["148万元", "1,48万元"]})
    checks = _checked(record, reader)
    assert _finding(checks, "CONTRACT_TOTAL_MISMATCH", "2025") is None
    assert record.appendix.contracts[2].amount == 148.0
    origin = record.provenance[CONTRACT_2025]
    assert origin.resolved_by == "CONTRACT_TOTAL_2025" and set(origin.alternatives) == {48.0, 18.0}
    assert origin.confirmed_by == []  # no engine read the page's 48 again
    defect = _finding(checks, "CONTRACT_TOTAL_MISMATCH", "2024")
    assert defect is not None and defect.severity == "error"


def test_a_declared_figure_with_its_separators_misread_is_read_again_and_the_total_picks_it() -> None:
    record = clean_application()
    _set("appendix.contracts[2].amount", 1057.05)(record)
    _set(DECLARED_2025, 1.05705)(record)  # '1,057.05' read surely as 1.05705: the comma a point, the point lost
    _true_defect_2024(record)
    reader = FakeReader(record, {**DATES, **SURE_2024, DECLARED_2025: [("tesseract", "1.0S7O5万")],
                                 CONTRACT_2025: [("tesseract", "1,057.05"), ("rapidocr", "1057.05")]},
                        digits={DECLARED_2025: ["1,057.05万", "1,057.05万,"]})
    checks = _checked(record, reader)
    assert _finding(checks, "CONTRACT_TOTAL_MISMATCH", "2025") is None
    assert record.basic_info.service[1].contract_amount == 1057.05
    # The form writes cents: 1.05705's five decimals are no reading of the figure its crop read as 1,057.05
    # (`pipeline.precision`), so that reading is the one left, and the total holds with it.
    assert record.provenance[DECLARED_2025].resolved_by == "COLUMN_PRECISION"
    assert _finding(checks, "CONTRACT_TOTAL_MISMATCH", "2024").severity == "error"  # type: ignore[union-attr]


def test_same_digits_with_separators_read_otherwise_are_a_misreading_a_moved_point_among_others_not() -> None:
    assert verify.misread_of(1.05705, 1057.05) and verify.misread_of(59292.0, 5929.2)
    assert not verify.misread_of(3351.63, 33516300.0)  # a unit misread adds zeros: the scale, not the separators
    assert not verify.misread_of(557.13, 57138.0)


def test_a_declared_count_of_thousands_read_without_its_first_digit_is_read_again_and_picked() -> None:
    assert verify.reading_of("1,255", 255) == 1255 and verify.reading_of("1.255人次", 255) == 1255
    assert verify.reading_of("1,25", 255) is None
    record = clean_application()
    _set("appendix.trainings[0].participants", 1255)(record)
    _set("basic_info.service[0].trainees", 255)(record)  # printed '1,255 人次', its '1,' lost, read surely
    reader = FakeReader(record, {"basic_info.service[0].trainees": [("tesseract", "l,Z55人次")],
                                 "appendix.trainings[0].participants": [("rapidocr", "1255")],
                                 "appendix.trainings[0].date": [("rapidocr", "2024-07-01")]},
                        digits={"basic_info.service[0].trainees": ["1,255", "1,255人次"]})
    checks = _checked(record, reader)
    assert _finding(checks, "TRAINEE_TOTAL_MISMATCH", "2024") is None
    assert record.basic_info.service[0].trainees == 1255
    assert record.provenance["basic_info.service[0].trainees"].resolved_by == "TRAINEE_TOTAL_2024"


def test_a_cumulative_figure_with_its_point_lost_is_read_again_and_the_rule_picks_it() -> None:
    record = clean_application()
    for path in ("basic_info.resources[1].financing", "appendix.financings[0].amount"):
        _set(path, 9506.41)(record)
    _set("basic_info.resources[0].financing", 59292.0)(record)  # printed 5,929.2
    earlier = "basic_info.resources[0].financing"
    reader = FakeReader(record, {earlier: [("tesseract", "5,9Z9.2万")],
                                 "basic_info.resources[1].financing": [("rapidocr", "9,506.41")]},
                        digits={earlier: ["5,929.2万", "5,.929.2万"]})
    checks = _checked(record, reader)
    assert _finding(checks, "CUMULATIVE_DECREASE", "financing") is None
    assert record.basic_info.resources[0].financing == 5929.2
    assert record.provenance[earlier].resolved_by == "CUMULATIVE_FINANCING"


def test_a_trainee_count_misread_is_picked_by_the_declared_total_and_a_true_one_stays() -> None:
    record = clean_application()
    _in_doubt(record, "appendix.trainings[0].participants", 3, 36, 30)  # printed 30
    _set("basic_info.service[1].trainees", 5)(record)  # 5 declared for 2025, no 2025 training: a real defect
    checks = _checked(record)
    assert _finding(checks, "TRAINEE_TOTAL_MISMATCH", "2024") is None
    assert record.appendix.trainings[0].participants == 30
    assert record.provenance["appendix.trainings[0].participants"].resolved_by == "TRAINEE_TOTAL_2024"
    assert _finding(checks, "TRAINEE_TOTAL_MISMATCH", "2025").severity == "error"  # type: ignore[union-attr]


def test_a_declared_count_misread_is_picked_by_its_rows_and_a_true_one_stays() -> None:
    record = clean_application()
    _in_doubt(record, "basic_info.resources[1].providers", 7, 1)  # printed 1: the table lists one provider
    _in_doubt(record, "basic_info.resources[0].providers", 1, 7)  # (its 累计 before it was 1 too)
    _set("basic_info.resources[1].investors", 3)(record)  # 3 declared, one investor listed: a real defect
    _set("basic_info.resources[0].investors", 3)(record)
    checks = _checked(record)
    assert _finding(checks, "PROVIDER_COUNT_MISMATCH") is None
    assert record.basic_info.resources[1].providers == 1
    assert record.provenance["basic_info.resources[1].providers"].resolved_by == "PROVIDERS_COUNT"
    assert _finding(checks, "INVESTOR_COUNT_MISMATCH").severity == "error"  # type: ignore[union-attr]


def _two_2025_contracts_in_doubt() -> models.ApplicationRecord:
    """2025's contracts read 48 (or 148) and 200 (or 300) against 348 declared: two readings make it hold."""
    record = clean_application()
    record.appendix.contracts.append(models.ContractRow(date=dt.date(2025, 3, 1), contract_no="HT-4",
                                                        enterprise="乙公司", amount=200.0))
    for cell in ("date", "contract_no", "enterprise", "amount"):
        record.provenance[f"appendix.contracts[3].{cell}"] = models.Provenance(page=record.provenance[
            f"appendix.contracts[2].{cell}"].page, bbox=(1.0, 1.0, 2.0, 2.0))
    _set(DECLARED_2025, 348.0)(record)
    _in_doubt(record, CONTRACT_2025, 48.0)
    _in_doubt(record, "appendix.contracts[3].amount", 200.0, 250.0)
    return record


def test_two_combinations_that_both_hold_are_readings_to_confirm_not_a_mismatch() -> None:
    record = _two_2025_contracts_in_doubt()
    # Read again: 148 + 200 and 48 + 300 both make 348.
    # The declared figure reads alike on its crop: the doubt is only which combination of the cells.
    reader = FakeReader(record, {**DATES, DECLARED_2025: [("tesseract", "348")]},
                        digits={CONTRACT_2025: ["148万元"], "appendix.contracts[3].amount": ["300"]})
    checks = _checked(record, reader)
    # Some reading makes the total hold: no mismatch is established, the readings are the reviewer's to confirm.
    assert _finding(checks, "CONTRACT_TOTAL_MISMATCH", "2025") is None
    # One finding for the two readings: the reading to confirm names both, and the cells raise none of their own.
    doubts = [check for check in checks if check.code == "LOW_CONFIDENCE"
              and {CONTRACT_2025, "appendix.contracts[3].amount"} & ({check.where, *check.doubts})]
    assert len(doubts) == 1 and {CONTRACT_2025, "appendix.contracts[3].amount"} <= set(doubts[0].doubts)
    assert record.appendix.contracts[2].amount == 48.0 and record.provenance[CONTRACT_2025].resolved_by is None


def test_a_sum_that_holds_under_another_reading_is_the_comparison_until_its_figures_are_read_twice() -> None:
    """Before its figures are read again the failed sum stays a comparison in doubt, so that the second
    reading is made (and may settle it); after, a reading that makes it hold leaves only the doubt."""
    record = _two_2025_contracts_in_doubt()
    _in_doubt(record, CONTRACT_2025, 48.0, 148.0)
    _in_doubt(record, "appendix.contracts[3].amount", 200.0, 300.0)
    first = _finding(run_checks(CheckContext(record=record, settings=SETTINGS)), "CONTRACT_TOTAL_MISMATCH", "2025")
    assert first is not None and first.severity == "warning"
    for path in (CONTRACT_2025, "appendix.contracts[3].amount"):
        record.provenance[path] = record.provenance[path].model_copy(update={"confirmed_by": []})
    checks = run_checks(CheckContext(record=record, settings=SETTINGS))
    assert _finding(checks, "CONTRACT_TOTAL_MISMATCH", "2025") is None
    # The reading to confirm alone (the cells' own doubts folded into it, `one_finding_per_doubt`).
    doubt = next((check for check in checks if check.code == "LOW_CONFIDENCE" and "两者相符" in check.message), None)
    assert doubt is not None and "148" in doubt.message
    assert not any(check.code == "LOW_CONFIDENCE" and check is not doubt and check.where in doubt.doubts
                   for check in checks)


def test_a_sum_no_reading_makes_hold_stays_a_warning_after_its_figures_are_read_twice() -> None:
    record = _two_2025_contracts_in_doubt()
    _in_doubt(record, CONTRACT_2025, 48.0, 58.0)
    for path in (CONTRACT_2025, "appendix.contracts[3].amount"):
        record.provenance[path] = record.provenance[path].model_copy(update={"confirmed_by": []})
    found = _finding(run_checks(CheckContext(record=record, settings=SETTINGS)), "CONTRACT_TOTAL_MISMATCH", "2025")
    assert found is not None and found.severity == "warning"


def test_a_lone_reading_against_a_value_two_engines_read_is_not_an_alternative() -> None:
    record = clean_application()
    _set(DECLARED_2025, 999.0)(record)  # a real defect: the row reads 300 every way
    reader = FakeReader(record, {**DATES, CONTRACT_2025: [("tesseract", "300"), ("rapidocr", "300.00")],
                                 DECLARED_2025: [("tesseract", "999"), ("rapidocr", "999万元")]},
                        digits={CONTRACT_2025: ["30万元", "300万元"]})
    found = _finding(_checked(record, reader), "CONTRACT_TOTAL_MISMATCH", "2025")
    assert found is not None and found.severity == "error"
    assert record.provenance[CONTRACT_2025].alternatives == []
    assert record.provenance[CONTRACT_2025].confirmed_by == ["tesseract", "rapidocr"]
    # Both engines read the value alike: the digits-only reading has no tie to break and is not asked.
    assert tuple(record.provenance[CONTRACT_2025].bbox or ()) not in {tuple(box) for _, box in reader.asked_numbers}


def test_the_digits_only_reading_breaks_a_tie_between_the_engines() -> None:
    record = clean_application()
    _set(DECLARED_2025, 999.0)(record)
    reader = FakeReader(record, {**DATES, CONTRACT_2025: [("tesseract", "300"), ("rapidocr", "30")],
                                 DECLARED_2025: [("tesseract", "999"), ("rapidocr", "999万元")]},
                        digits={CONTRACT_2025: ["300万元"]})
    _checked(record, reader)
    assert tuple(record.provenance[CONTRACT_2025].bbox or ()) in {tuple(box) for _, box in reader.asked_numbers}
    assert "tesseract-digits" in (record.provenance[CONTRACT_2025].confirmed_by or [])


def test_a_comparison_already_in_doubt_reads_only_its_numbers_again() -> None:
    record = clean_application()
    _in_doubt(record, CONTRACT_2025, 48.0, 18.0)
    _set(DECLARED_2025, 148.0)(record)
    reader = FakeReader(record, {**DATES, DECLARED_2025: [("tesseract", "148")]}, digits={CONTRACT_2025: ["48万元"]})
    doubt = _finding(_checked(record, reader), "CONTRACT_TOTAL_MISMATCH", "2025")
    assert doubt is not None and doubt.severity == "warning"
    asked = {tuple(box) for _, box in reader.asked}
    assert {tuple(record.provenance[path].bbox or ()) for path in (CONTRACT_2025, DECLARED_2025)} <= asked
    assert not {tuple(record.provenance[path].bbox or ()) for path in DATES} & asked  # its dates are not read again


# --------------------------------------------------------------- the cleaned line, and a real engine on it

def _cell(text: str, dpi: float = 200.0, seal: bool = False) -> np.ndarray:
    """A table cell at `dpi` as a scan shows it: the number, its rules, and maybe a seal's arc through it."""
    scale = dpi / 72.0
    image = Image.new("L", (round(120 * scale), round(34 * scale)), 255)
    draw = ImageDraw.Draw(image)
    draw.text((round(14 * scale), round(10 * scale)), text, fill=0, font=ImageFont.truetype(SONG, round(11 * scale)))
    draw.line([(0, round(3 * scale)), (image.width, round(3 * scale))], fill=0, width=3)
    draw.line([(0, round(30 * scale)), (image.width, round(30 * scale))], fill=0, width=3)
    draw.line([(round(4 * scale), 0), (round(4 * scale), image.height)], fill=0, width=3)
    if seal:
        draw.arc([round(-60 * scale), round(-40 * scale), round(20 * scale), round(60 * scale)], -60, 60, fill=0,
                 width=4)
    return np.asarray(image)


@pytest.mark.parametrize("binarisation", BINARISATIONS)
def test_the_cleaned_line_keeps_the_number_and_drops_the_rules_and_the_seal(binarisation: str) -> None:
    dpi = 200.0
    line = number_line(_cell("1,057.05万元", dpi, seal=True), dpi / 72.0, binarisation)  # type: ignore[arg-type]
    assert line is not None
    ink = line < 128
    assert not ink[:, : 12].any() and not ink[: 8].any() and not ink[-8:].any()  # a white margin
    assert ink.mean(axis=1).max() < 0.6  # no rule left: no row mostly ink
    assert 20 <= line.shape[0] - 24 <= 60  # one line of glyphs, enlarged to a readable height
    assert number_line(np.full((60, 200), 255, np.uint8), dpi / 72.0, binarisation) is None  # type: ignore[arg-type]


@pytest.mark.parametrize("binarisation", BINARISATIONS)
def test_the_cleaned_line_is_the_numbers_not_the_cut_off_line_above(binarisation: str) -> None:
    """dev9 a12's fax: a crop with a margin took in the bottoms of the line above ('(万元)' cut at the crop's
    top); a seal's stroke had joined the number's digits into one mark too large for a glyph, and the cut
    marks, more ink than the digits left, were kept as the line. A mark the crop cuts is no glyph of it."""
    dpi = 200.0
    scale = dpi / 72.0
    image = Image.new("L", (round(120 * scale), round(34 * scale)), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(SONG, round(11 * scale))
    draw.text((round(10 * scale), round(-6 * scale)), "8888888888", fill=0, font=font)  # cut by the crop's top
    draw.text((round(40 * scale), round(14 * scale)), "1.8", fill=0, font=font)
    grey = np.asarray(image)
    line = number_line(grey, scale, binarisation)  # type: ignore[arg-type]
    assert line is not None
    columns = np.flatnonzero((line < 128).any(axis=0))
    width = (columns[-1] - columns[0]) / line.shape[1]
    assert width < 0.6  # the short number's line, not the ten cut-off digits across the crop


def _page(image: np.ndarray, tmp_path: Path, dpi: float) -> Page:
    path = tmp_path / "cell.png"
    cv2.imwrite(str(path), image)
    height, width = image.shape
    return Page(number=12, width=width * 72.0 / dpi, height=height * 72.0 / dpi, kind="scan", dpi=dpi,
                image_path=path, print_path=path)


@pytest.mark.slow
def test_the_digits_only_engine_reads_a_ruled_cell_on_its_cleaned_line(tmp_path: Path) -> None:
    dpi = 200.0
    image = _cell("1,057.05万元", dpi)
    page = _page(image, tmp_path, dpi)
    box = (0.0, 0.0, page.width, page.height)
    reader = verify.CropReader({12: page}, [], get_number_engine(Settings(cache_dir=None), cached=False))
    [readings] = reader.read_numbers([(12, box)])
    assert readings and {engine for engine, _ in readings} == {"tesseract-digits"}
    assert any(verify.reading_of(text, 1.05705) == 1057.05 for _, text in readings)


def test_two_enterprises_a_character_apart_count_as_the_form_declares_and_a_count_beyond_both_is_an_error() -> None:
    record = clean_application()
    record.appendix.contracts[2].enterprise = "杭州航中船用设备有限公司"
    record.appendix.contracts.append(models.ContractRow(date=dt.date(2025, 3, 1), contract_no="HT-4",
                                                        enterprise="杭州航远船用设备有限公司", amount=0.0))
    for declared in (1, 2):  # one enterprise read twice, or two enterprises: both are readings of the rows
        _set("basic_info.service[1].enterprises", declared)(record)
        assert _finding(_checked(record), "ENTERPRISE_COUNT_MISMATCH", "2025") is None
    _set("basic_info.service[1].enterprises", 3)(record)
    found = _finding(_checked(record), "ENTERPRISE_COUNT_MISMATCH", "2025")
    assert found is not None and found.severity == "error"


def test_the_digits_only_engine_has_its_own_cache_key_and_the_page_engine_keeps_its_own() -> None:
    from pipeline.ocr.tesseract import TesseractEngine

    plain, digits = TesseractEngine(), TesseractEngine(whitelist="0123456789", name="tesseract-digits")
    assert "whitelist" not in plain.params()  # every cached page reading stays a hit
    assert digits.params()["whitelist"] == "0123456789" and digits.name == "tesseract-digits"
    assert get_number_engine(Settings(cache_dir=None)).name == "tesseract-digits"


def test_a_digits_only_reading_against_a_value_another_engine_read_alike_is_not_an_alternative() -> None:
    record = clean_application()
    _set(DECLARED_2025, 999.0)(record)  # a real defect: the row reads 300 on the page and on its crop
    reader = FakeReader(record, {**DATES, CONTRACT_2025: [("rapidocr", "300")],
                                 DECLARED_2025: [("tesseract", "999"), ("rapidocr", "999万元")]},
                        digits={CONTRACT_2025: ["1,300", "1,300万元"]})  # a rule's remains read as '1,'
    found = _finding(_checked(record, reader), "CONTRACT_TOTAL_MISMATCH", "2025")
    assert found is not None and found.severity == "error"
    assert record.provenance[CONTRACT_2025].alternatives == []


def test_a_number_under_red_seal_ink_is_also_explained_on_the_red_channel(tmp_path: Path) -> None:
    """dev6 a03's photo: print a red ring overlays is lighter than bare print, and the print layer's stretch to
    the paper whitened it ('136' read 1). On the page's red channel as scanned the ring is as light as the
    paper and the print under it stays dark; a page without red seal ink has no such rendering."""
    dpi = 200.0
    grey = _cell("136", dpi)
    colour = cv2.cvtColor(grey, cv2.COLOR_GRAY2BGR)
    ring = np.zeros_like(grey)
    cv2.circle(ring, (round(20 * dpi / 72), round(17 * dpi / 72)), round(12 * dpi / 72), 255, 6)
    red = np.array([40, 40, 220], np.uint8)  # BGR: red ink
    colour[ring > 0] = np.minimum(colour[ring > 0], red)  # multiplied over the print
    image_path, seal_path = tmp_path / "page.png", tmp_path / "seal.png"
    cv2.imwrite(str(image_path), colour)
    cv2.imwrite(str(seal_path), ring)
    page = _page(grey, tmp_path, dpi)
    sealed = dataclasses.replace(page, image_path=image_path, seal_path=seal_path)
    box = (0.0, 0.0, page.width, page.height)
    crop = verify.CropReader({12: sealed}, [])._red_crop(12, box)
    assert crop is not None
    assert crop[(ring > 0) & (grey > 128)].min() >= 200  # the ring alone: as light as the paper
    assert crop[(ring > 0) & (grey < 64)].max() < 64  # print under the ring: dark
    assert verify.CropReader({12: page}, [])._red_crop(12, box) is None  # no red ink on the page


def test_a_numbers_line_is_found_where_its_glyphs_are_and_marks_outside_its_cell_are_left_out() -> None:
    """`line_span`: '12' drawn right of a cell's centre (a lost '1' before it) is found where it is drawn, its
    height a glyph's; a mark in the crop's margin past the cell (a rule's or a seal's remains) is no part of it,
    though it would be inside the crop."""
    scale = 300 / 72
    image = Image.new("L", (round(80 * scale), round(22 * scale)), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(SONG, round(11 * scale))
    draw.text((round(40 * scale), round(5 * scale)), "12", fill=0, font=font)
    drawn = np.flatnonzero((np.asarray(image) < 128).any(axis=0))  # the glyphs' ink columns
    left, right = int(drawn[0]), int(drawn[-1]) + 1
    draw.rectangle((round(75 * scale), round(7 * scale), round(77 * scale), round(14 * scale)), fill=0)  # in the margin
    grey = np.asarray(image)
    span = line_span(grey, scale, (0.0, 74 * scale))
    assert span is not None
    assert abs(span[0] - left) <= 2 and abs(span[1] - right) <= 2
    assert 5 * scale <= span[2] <= 10 * scale
    whole = line_span(grey, scale, (0.0, 80 * scale))
    assert whole is not None and whole[1] > 75 * scale
    assert line_span(np.full_like(grey, 255), scale, (0.0, 80 * scale)) is None
