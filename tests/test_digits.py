"""A number's other readings from the recogniser's posteriors, kept so the form's totals can choose."""

from __future__ import annotations

import numpy as np
import pytest

import models
from pipeline.checks import CheckContext, run_checks
from pipeline.config import Settings
from pipeline.ocr.base import LinePosteriors
from pipeline.ocr.digits import digit_readings, merge_readings
from pipeline.reconcile import reconcile
from pipeline.tables.reread import text_line
from pipeline.tables.values import (
    FieldValue,
    lost_characters,
    numbers_in_column,
    other_readings,
    thousands_in_column,
    with_digit_alternatives,
)
from tests.test_checks import _set, clean_application

CHARACTERS = ("", *"0123456789.万元")
SETTINGS = Settings()


def _posteriors(frames: list[dict[str, float]]) -> LinePosteriors:
    """Frames given as {character: probability}; the blank ("_") takes what is left."""
    table = np.zeros((len(frames), len(CHARACTERS)), np.float32)
    for index, frame in enumerate(frames):
        for char, probability in frame.items():
            table[index, CHARACTERS.index(char)] = probability
        table[index, 0] = max(0.0, 1.0 - sum(frame.values()))
    return LinePosteriors(table, CHARACTERS)


def _blank() -> dict[str, float]:
    return {}


# "2571.20万元" as the recogniser saw it beside a seal's stroke: the 7 and the 1 one run of "1" frames.
DROPPED_SEVEN = [{"2": 1.0}, _blank(), {"5": 1.0}, _blank(), {"1": 0.78, "7": 0.22}, {"1": 0.92}, {"1": 0.9},
                 {".": 1.0}, {"2": 1.0}, _blank(), {"0": 1.0}, _blank(), {"万": 1.0}, _blank(), {"元": 1.0}]


def test_a_digit_merged_into_its_neighbours_frames_is_another_reading() -> None:
    readings = digit_readings(_posteriors(DROPPED_SEVEN))
    assert readings.text == "251.20万元"
    assert "2571.20万元" in readings.alternatives and "257.20万元" in readings.alternatives
    assert readings.confidence == pytest.approx(0.92, abs=1e-3)


def test_a_clear_line_has_no_other_reading() -> None:
    clear = [{"1": 1.0}, _blank(), {"3": 1.0}, _blank(), {"0": 0.99}, {"5": 1.0}, {".": 1.0}, {"0": 1.0},
             _blank(), {"0": 1.0}, {"万": 1.0}, {"元": 1.0}]
    readings = digit_readings(_posteriors(clear))
    assert readings.text == "1305.00万元" and readings.alternatives == ()


def test_two_readings_of_one_crop_are_merged_surest_first() -> None:
    first = digit_readings(_posteriors(DROPPED_SEVEN))
    other = digit_readings(_posteriors([{"2": 1.0}, _blank(), {"5": 1.0}, _blank(), {"7": 0.99}, _blank(),
                                        {"1": 1.0}, {".": 1.0}, {"2": 1.0}, _blank(), {"0": 1.0}]))
    merged = merge_readings([first, other])
    assert merged.text == "2571.20" and "251.20万元" in merged.alternatives


def _amount(value: float, raw: str, confidence: float = 0.98, frames: list[dict[str, float]] | None = None,
            ink_width: float | None = None) -> FieldValue:
    others = other_readings(digit_readings(_posteriors(frames)), "amount", "万元") if frames else None
    return FieldValue(value, raw, models.Provenance(page=16, bbox=[0.0, 0.0, 10.0, 10.0], confidence=confidence),
                      ink_width=ink_width, others=others)


def test_a_cell_the_crop_reads_otherwise_keeps_both_readings_in_doubt() -> None:
    crop_reads_more = [{"2": 1.0}, _blank(), {"5": 1.0}, _blank(), {"7": 0.99}, _blank(), {"1": 1.0}, {".": 1.0},
                       {"2": 1.0}, _blank(), {"0": 1.0}]
    read = with_digit_alternatives(_amount(251.2, "251.20万元", frames=crop_reads_more), confident=0.8)
    assert read.value == 251.2 and read.provenance.alternatives[0] == 2571.2 and read.provenance.unsettled
    assert read.provenance.confidence == 0.8
    # No separator in doubt ("251.20"): reading the column as a whole leaves the digits' readings as they are.
    (column,) = thousands_in_column([read])
    assert column.value == 251.2 and column.provenance.alternatives == read.provenance.alternatives


def test_a_sure_reading_the_crop_agrees_with_keeps_no_hesitation_as_alternatives() -> None:
    """The crop reads what the page read: readings one digit away are the recogniser's ordinary
    hesitation, kept only when something else says the value is in doubt."""
    value = _amount(251.2, "251.20万元", frames=DROPPED_SEVEN)
    assert with_digit_alternatives(value, confident=0.8) is value
    doubted = with_digit_alternatives(value, confident=0.8, doubted=True)
    assert 2571.2 in doubted.provenance.alternatives and doubted.provenance.unsettled
    assert with_digit_alternatives(_amount(88.0, "88.0万元"), confident=0.8).provenance.alternatives == []


def test_a_number_narrower_than_its_ink_lost_characters() -> None:
    """Four amounts of one column printed at 21 pt per character: 65万元 with ink for 999.65万元 lost digits."""
    per_unit = 21.0
    cells = [_amount(1305.0, "1305.00万元", ink_width=5.85 * per_unit), _amount(1748.26, "1748.26万元", ink_width=5.85 * per_unit),
             _amount(193.1, "193.10万元", ink_width=5.3 * per_unit + 1.0), _amount(378.3, "378.30万元", ink_width=5.3 * per_unit),
             _amount(65.0, "65万元", ink_width=5.3 * per_unit), _amount(251.2, "251.20万元", ink_width=5.85 * per_unit,
                                                                    frames=DROPPED_SEVEN)]
    assert lost_characters(cells) == {4, 5}
    read = numbers_in_column(cells, confident=0.8)
    assert [v.provenance.confidence for v in read] == [0.98, 0.98, 0.98, 0.98, 0.7, 0.7]
    assert 2571.2 in read[5].provenance.alternatives and not read[0].provenance.alternatives


def _checked_with_dropped_seven(record: models.ApplicationRecord) -> dict[tuple[str, str], models.Check]:
    """The findings once the first financing's cell carries the alternatives of a 7 dropped from 251.20."""
    cell = with_digit_alternatives(_amount(251.2, "251.20万元", frames=DROPPED_SEVEN), SETTINGS.checks.confident,
                                   doubted=True)
    record.provenance["appendix.financings[0].amount"] = cell.provenance
    reconcile(record, SETTINGS)
    return {(c.code, c.where): c for c in run_checks(CheckContext(record=record, settings=SETTINGS))}


def test_the_declared_total_picks_the_dropped_digit_and_a_true_defect_stays_an_error() -> None:
    """a03's 2,571.20 read surely as 251.20: the financing total picks the reading it agrees with; a
    contract total that really differs, read surely beside it, is still an error."""
    record = clean_application()
    _set("appendix.financings[0].amount", 251.2)(record)
    _set("basic_info.resources[1].financing", 2571.2)(record)
    _set("basic_info.service[1].contract_amount", 999.0)(record)
    found = _checked_with_dropped_seven(record)
    assert record.appendix.financings[0].amount == pytest.approx(2571.2)
    assert record.provenance["appendix.financings[0].amount"].resolved_by == "FINANCING_TOTAL"
    assert ("FINANCING_TOTAL_MISMATCH", "") not in found
    assert found[("CONTRACT_TOTAL_MISMATCH", "2025")].severity == "error"


def test_an_unsettled_dropped_digit_makes_the_total_a_warning() -> None:
    record = clean_application()
    _set("appendix.financings[0].amount", 251.2)(record)
    _set("basic_info.resources[1].financing", 2579.2)(record)  # the 2,571.2 reading a digit off: may be the cause
    found = _checked_with_dropped_seven(record)
    assert found[("FINANCING_TOTAL_MISMATCH", "")].severity == "warning"


def test_the_line_of_a_cell_leaves_a_seals_specks_out_and_refuses_two_lines() -> None:
    image = np.full((60, 120), 255, np.uint8)
    image[5:8, 10:30] = 90  # a seal's stroke above the number
    image[20:34, 10:100] = 0  # the number
    assert text_line(image, (0, 0, 120, 60)) == (10, 20, 100, 34)
    image[40:54, 10:90] = 0  # a second line as heavy
    assert text_line(image, (0, 0, 120, 60)) is None


def test_the_column_reading_keeps_a_separator_doubt_beside_the_digits() -> None:
    cell = FieldValue(10.488, "10.488", models.Provenance(page=1, confidence=0.8, alternatives=[10.438]))
    (read,) = thousands_in_column([cell])
    assert read.value == 10.488 and read.provenance.alternatives == [10488.0, 10.438]


def test_a_count_wider_than_its_ink_keeps_no_hesitation_for_a_reviewer() -> None:
    """No total of the form chooses among a count's readings one digit away: the width alone makes it
    unsure, without alternatives that would stay unsettled."""
    frames = [{"1": 1.0}, _blank(), {"5": 0.8, "4": 0.2}, _blank(), {"4": 1.0}]
    count = FieldValue(154, "154", models.Provenance(page=12, confidence=1.0),
                       others=other_readings(digit_readings(_posteriors(frames)), "int", None))
    read = with_digit_alternatives(count, confident=0.8, doubted=True)
    assert read.provenance.alternatives == []


def test_a_number_explains_a_line_only_with_every_digit_its_frames_saw() -> None:
    from pipeline.ocr.base import LinePosteriors
    from pipeline.ocr.digits import number_explains

    characters = ("", *"0123456789,.万元")

    def frames(seen: str) -> np.ndarray:  # '_' a blank frame; each frame sure of its character
        rows = np.full((len(seen), len(characters)), 0.001)
        for frame, char in enumerate(seen):
            rows[frame, 0 if char == "_" else characters.index(char)] = 1.0
        return rows / rows.sum(axis=1, keepdims=True)

    line = LinePosteriors(frames("_1_5_4_._8_万_元_"), characters)
    assert number_explains(line, "154.8") > 0.99
    assert number_explains(line, "8") < 1e-6  # the frames saw '154.' before it
    assert 0.01 < number_explains(line, "154.9") < 0.5 and number_explains(line, "15x") == 0.0
