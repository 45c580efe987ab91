"""A doubtful reading is never an error: each misreading that once gave a false error now gives the doubt
(or the right reading, picked by the form's own redundancy), and the true defect beside it stays an error."""

from __future__ import annotations

import datetime as dt

import pytest

import models
from models.application import PlanMention
from pipeline import normalise
from pipeline.checks import CheckContext, plan, run_checks
from pipeline.checks.figures import distinct_names
from pipeline.config import Settings
from pipeline.reconcile import reconcile
from pipeline.tables.values import (
    COLUMN_COMMAS,
    COLUMN_UNIT,
    FieldValue,
    OtherReadings,
    numbers_in_column,
    thousands_in_column,
    typed,
    units_in_column,
    well_formed,
    written_to_cents,
)
from tests.test_checks import _seal, _set, clean_application

SETTINGS = Settings()


def _checks(record: models.ApplicationRecord) -> list[models.Check]:
    reconcile(record, SETTINGS)
    return run_checks(CheckContext(record=record, settings=SETTINGS))


def _by_code(checks: list[models.Check]) -> dict[tuple[str, str], models.Check]:
    return {(c.code, c.where): c for c in checks}


def _doubt(record: models.ApplicationRecord, path: str, value: float, *alternatives: float,
           confidence: float | None = None) -> None:
    """`path` read as `value`, with the reader's other readings (and, optionally, its confidence)."""
    _set(path, value)(record)
    origin = record.provenance[path]
    record.provenance[path] = origin.model_copy(update={"alternatives": list(alternatives),
                                                        **({"confidence": confidence} if confidence else {})})


# --------------------------------------------------------------- separators kept ambiguous

def test_a_point_before_three_digits_reads_both_ways() -> None:
    assert normalise.as_thousands("10.488") == "10488"
    assert normalise.as_thousands("10.488 万元") == "10488万元"
    assert normalise.as_thousands("1,250.5") is None  # a comma and a point: no doubt which is which
    assert normalise.as_thousands("3.5") is None and normalise.as_thousands("3.25") is None
    assert normalise.parse_int("1.200人次") == 1200  # a count has no fraction: the point was a comma
    assert normalise.parse_int("1.5") is None


def _cell(raw: str) -> FieldValue:
    return FieldValue(normalise.parse_amount(raw), raw, models.Provenance(page=1, confidence=0.99))


def test_an_amount_column_keeps_the_other_reading_unless_its_commas_decide() -> None:
    alone = thousands_in_column([_cell("10.488"), _cell("237.99")])
    assert alone[0].value == 10.488 and alone[0].provenance.alternatives == [10488.0]
    assert alone[0].provenance.resolved_by is None and not alone[1].provenance.alternatives
    to_cents = thousands_in_column([_cell("6.672"), _cell("237.99"), _cell("1013.00")])
    # The column writes cents: three decimals break its precision, so 6,672 comes first, still in doubt.
    assert to_cents[0].value == 6672.0 and to_cents[0].provenance.alternatives == [6.672]
    assert to_cents[0].provenance.resolved_by is None
    with_commas = thousands_in_column([_cell("1.743"), _cell("2,892.99")])
    assert with_commas[0].value == 1743.0 and with_commas[0].provenance.alternatives == [1.743]
    assert with_commas[0].provenance.resolved_by == COLUMN_COMMAS


def test_a_thousands_point_before_a_decimal_one_shows_the_column_writes_separators() -> None:
    """'3.700.7' is 3,700.7 with its comma read as a point: evidence enough that '1.743' is 1,743."""
    column = thousands_in_column([_cell("1.743"), _cell("3.700.7"), _cell("784.2")])
    assert column[0].value == 1743.0 and column[0].provenance.resolved_by == COLUMN_COMMAS
    assert written_to_cents(["3.700.7", "1.644.76", "784.2"])  # no third decimal among them


def test_an_amount_opening_on_a_separator_lost_its_leading_digits_and_is_no_reading() -> None:
    """A seal's stroke over '999.65 万元' left '.65万元', and '1,002' left '.002': no amount is written so,
    the digits before the separator were lost (null, in doubt), where dust before a whole amount is dust."""
    for raw in (".65万元", ".002万元", ",793.40", "· .65"):
        assert typed(raw, "amount", "万元") is None and not well_formed(raw, "amount")
    assert typed("。1,234.5万元", "amount", "万元") == 1234.5 and well_formed("。1,234.5万元", "amount")
    assert typed("128.00万元.", "amount", "万元") == 128.0


def test_an_amount_that_lost_its_leading_digits_takes_its_crops_whole_reading_or_stays_null() -> None:
    """',259.2' (2,259.2 under a seal) is no reading; the recogniser's posteriors on its crop read the same
    ink again: a whole reading is the value (in doubt), readings one digit away only the alternatives."""
    origin = models.Provenance(page=1, confidence=0.88)
    whole = FieldValue(None, ",259.2", origin, others=OtherReadings(crop=2259.2, nearby=(2259.7,)))
    lost = FieldValue(None, ",259.2", origin, others=OtherReadings(crop=None, nearby=(2259.2,)))
    read = numbers_in_column([whole, lost], confident=0.9)
    assert read[0].value == 2259.2 and (read[0].provenance.confidence or 1.0) <= 0.7
    assert 2259.7 in read[0].provenance.alternatives
    assert read[1].value is None and read[1].provenance.alternatives == [2259.2] and read[1].unreadable


def test_an_amount_in_yuan_where_its_column_writes_wan_yuan_lost_its_wan() -> None:
    """'280 万元' under a seal read '280 元' (0.028 万元): its column writes every other amount in 万元."""
    column = [_cell(raw) for raw in ("153.3万元", "246万元", "118.6万元", "280 元", "2q 元")]
    read = units_in_column(column, "合同金额(万元)")
    assert read[3].value == 280.0 and read[3].provenance.alternatives == [0.028]
    assert read[3].provenance.resolved_by == COLUMN_UNIT and (read[3].provenance.confidence or 1.0) <= 0.7
    assert read[4].value is None and read[4].unreadable  # digits not well formed either: no reading
    assert [v.value for v in read[:3]] == [153.3, 246.0, 118.6]
    few = [_cell(raw) for raw in ("246万元", "280 元")]
    assert units_in_column(few, "合同金额(万元)")[1].value == 0.028  # one amount in 万元 says nothing of a column


def test_the_forms_registered_capital_read_with_a_point_is_thousands_where_the_form_writes_separators() -> None:
    from pipeline.fields.basic_info import FORM_AMOUNTS, _form_precision
    from pipeline.fields.common import Sink
    from pipeline.tables.values import FORM_COMMAS

    info = models.BasicInfo.model_validate({"lead_unit": {"registered_capital": 3.0}})
    sink = Sink(Settings())
    path = FORM_AMOUNTS[0]
    sink.raw[path] = "3.000万元"
    sink.provenance[path] = models.Provenance(page=2, alternatives=[3000.0])
    sink.raw[FORM_AMOUNTS[1]] = "12,285万元"
    _form_precision(info, sink)
    assert info.lead_unit.registered_capital == 3000.0
    assert (sink.provenance[path].resolved_by, sink.provenance[path].alternatives) == (FORM_COMMAS, [3.0])


# --------------------------------------------------------------- FINANCING_TOTAL_MISMATCH ×4 (10,488 read 10.488)

def _without_precision(record: models.ApplicationRecord) -> None:
    """The form's other amounts unread: no column precision says where a separator is (`pipeline.precision`),
    so only the form's totals can choose between '10.488' and 10,488."""
    for path in ("basic_info.lead_unit.registered_capital", "basic_info.finance[0].revenue",
                 "basic_info.finance[1].revenue", "basic_info.service[0].contract_amount"):
        _set(path, None)(record)


def test_reconciliation_picks_the_reading_the_total_agrees_with() -> None:
    record = clean_application()
    _without_precision(record)
    _set("appendix.financings[0].amount", 10488.0)(record)
    _doubt(record, "basic_info.resources[1].financing", 10.488, 10488.0)
    _set("basic_info.service[1].contract_amount", 999.0)(record)  # a true defect beside it, read surely
    found = _by_code(_checks(record))
    assert record.basic_info.resources[1].financing == 10488.0
    origin = record.provenance["basic_info.resources[1].financing"]
    assert origin.resolved_by == "FINANCING_TOTAL" and origin.alternatives == [10.488]
    assert ("FINANCING_TOTAL_MISMATCH", "") not in found
    assert not [key for key in found if key[0] == "LOW_CONFIDENCE"]
    assert found[("CONTRACT_TOTAL_MISMATCH", "2025")].severity == "error"
    assert found[("CONTRACT_TOTAL_MISMATCH", "2025")].confidence == 1.0


def test_a_comparison_no_reading_satisfies_is_one_warning_naming_the_doubt() -> None:
    record = clean_application()
    _without_precision(record)
    # The financings add up to 10,480: the 10,488 reading a digit off may be that figure misread (a slip of
    # reading: `pipeline.slips`), so the mismatch rests on the doubt.
    _set("appendix.financings[0].amount", 10480.0)(record)
    _set("basic_info.resources[0].financing", 5.0)(record)  # both readings stay above 2024's 累计 figure
    _doubt(record, "basic_info.resources[1].financing", 10.488, 10488.0)
    checks = _checks(record)
    found = _by_code(checks)
    mismatch = found[("FINANCING_TOTAL_MISMATCH", "")]
    assert mismatch.severity == "warning" and mismatch.confidence < 1.0
    assert mismatch.doubts == ["basic_info.resources[1].financing"]
    assert mismatch.expected == "10.488 | 10,488" and mismatch.found == 10480.0
    assert "存疑" in mismatch.message and "10,488" in mismatch.message
    # One cause, one finding: no LOW_CONFIDENCE for the reading the warning already names.
    assert ("LOW_CONFIDENCE", "basic_info.resources[1].financing") not in found


def test_a_true_mismatch_read_surely_is_still_an_error() -> None:
    record = clean_application()
    _set("appendix.financings[0].amount", 9000.0)(record)
    found = _by_code(_checks(record))
    assert found[("FINANCING_TOTAL_MISMATCH", "")].severity == "error"


def test_several_consistent_readings_settle_nothing() -> None:
    record = clean_application()
    _doubt(record, "basic_info.resources[0].financing", 1.2, 1200.0)
    _set("basic_info.resources[1].financing", 5000.0)(record)
    _set("appendix.financings[0].amount", 5000.0)(record)
    reconcile(record, SETTINGS)
    # 1.2 and 1,200 both stay under 5,000: the 累计 rule cannot pick, the reading stays in doubt.
    assert record.provenance["basic_info.resources[0].financing"].resolved_by is None
    found = _by_code(run_checks(CheckContext(record=record, settings=SETTINGS)))
    assert found[("LOW_CONFIDENCE", "basic_info.resources[0].financing")].severity == "info"


def test_cumulative_rule_picks_the_only_non_decreasing_reading() -> None:
    record = clean_application()
    _doubt(record, "basic_info.resources[0].financing", 1.2, 1200.0)
    _set("basic_info.resources[1].financing", 500.0)(record)
    found = _by_code(_checks(record))
    assert record.basic_info.resources[0].financing == 1.2
    assert record.provenance["basic_info.resources[0].financing"].resolved_by == "CUMULATIVE_FINANCING"
    assert ("CUMULATIVE_DECREASE", "financing") not in found


# --------------------------------------------------------------- TRAINEE_TOTAL_MISMATCH ×4, dates ×3 (merged rows)

def test_a_sum_over_an_unsure_cell_is_a_warning_and_the_sure_one_an_error() -> None:
    record = clean_application()
    _doubt(record, "appendix.trainings[0].participants", 45, 30, confidence=0.55)  # 45 or 30 (read twice)
    _set("basic_info.service[0].trainees", 60)(record)  # neither reading adds up: the total fails either way
    found = _by_code(_checks(record))
    assert found[("TRAINEE_TOTAL_MISMATCH", "2024")].severity == "warning"
    assert found[("TRAINEE_TOTAL_MISMATCH", "2024")].doubts == ["appendix.trainings[0].participants"]
    assert found[("TRAINEE_TOTAL_MISMATCH", "2024")].found == "45 | 30"
    assert ("LOW_CONFIDENCE", "appendix.trainings[0].participants") not in found
    record = clean_application()
    _set("appendix.trainings[0].participants", 45)(record)
    assert _by_code(_checks(record))[("TRAINEE_TOTAL_MISMATCH", "2024")].severity == "error"


def test_a_sum_over_a_figure_read_unsurely_with_no_other_reading_is_a_warning_naming_it() -> None:
    # A scan's "1,468.1" read as "8.1" (its leading digits lost) at confidence 0.70: the total over it fails,
    # but rests on a doubtful reading: one warning naming it (never an error), the sure defect beside it an error.
    record = clean_application()
    path = "appendix.financings[0].amount"
    _doubt(record, path, 8.1, confidence=0.7)
    _set("basic_info.resources[1].financing", 1468.1)(record)
    _set("basic_info.service[1].contract_amount", 250.0)(record)  # a true defect beside it, read surely
    found = _by_code(_checks(record))
    mismatch = found[("FINANCING_TOTAL_MISMATCH", "")]
    assert mismatch.severity == "warning" and mismatch.doubts == [path] and "8.1" in mismatch.message
    assert ("LOW_CONFIDENCE", path) not in found  # one cause, one finding
    assert found[("CONTRACT_TOTAL_MISMATCH", "2025")].severity == "error"


def test_a_date_out_of_range_read_unsurely_is_doubted() -> None:
    record = clean_application()
    _set("appendix.trainings[0].date", dt.date(2023, 7, 1))(record)
    origin = record.provenance["appendix.trainings[0].date"]
    record.provenance["appendix.trainings[0].date"] = origin.model_copy(update={"confidence": 0.5})
    check = _by_code(_checks(record))[("TRAINING_DATE_OUT_OF_RANGE", "1")]
    assert check.doubts == ["appendix.trainings[0].date"] and check.confidence <= SETTINGS.checks.confident


@pytest.mark.parametrize(("date", "code"), [
    (dt.date(3025, 11, 2), "LOW_CONFIDENCE"),  # 2025 with its 2 read as 3: no training is held in 3025
    (dt.date(2004, 12, 16), "LOW_CONFIDENCE"),  # 2024 with its 2 read as 0
    (dt.date(2023, 10, 14), "TRAINING_DATE_OUT_OF_RANGE"),  # just before the period: a date to flag
    (dt.date(1985, 3, 1), "TRAINING_DATE_OUT_OF_RANGE"),  # far, but no digit away from the period's years
])
def test_a_date_read_far_outside_the_period_one_digit_off_its_years_is_a_misreading(date: dt.date, code: str) -> None:
    record = clean_application()
    _set("appendix.trainings[0].date", date)(record)
    checks = _checks(record)
    found = {c.code for c in checks if c.where in ("1", "appendix.trainings[0].date")}
    if code == "LOW_CONFIDENCE":
        # The row counts in the period year its year misreads (flags14): where that year's total then fails, the
        # warning names the date among its doubts and stands for its LOW_CONFIDENCE (one reading, one finding).
        named = any("appendix.trainings[0].date" in c.doubts for c in checks if c.code == "TRAINEE_TOTAL_MISMATCH")
        assert found == {code} or (not found and named)
        return
    assert found == {code}


# --------------------------------------------------------------- count mismatches ×3 (rows lost)

def test_a_count_over_unsure_rows_is_a_warning() -> None:
    record = clean_application()
    _set("basic_info.resources[1].providers", 2)(record)
    origin = record.provenance["appendix.providers[0].name"]
    record.provenance["appendix.providers[0].name"] = origin.model_copy(update={"confidence": 0.4})
    found = _by_code(_checks(record))
    assert found[("PROVIDER_COUNT_MISMATCH", "")].severity == "warning"
    record = clean_application()
    _set("basic_info.resources[1].providers", 2)(record)
    assert _by_code(_checks(record))[("PROVIDER_COUNT_MISMATCH", "")].severity == "error"


# --------------------------------------------------------------- FIELD_MISSING ×11 (unread, not blank)

def test_ink_that_could_not_be_read_is_a_doubt_not_a_missing_field() -> None:
    record = clean_application()
    _set("basic_info.service[0].trainees", None)(record)  # measured blank: the applicant left it empty
    path = "basic_info.lead_unit.unit_type"
    record.basic_info.lead_unit.unit_type = None
    record.provenance[path] = models.Provenance(page=2, bbox=[60, 100, 500, 115], blank=False)
    found = _by_code(_checks(record))
    assert found[("FIELD_MISSING", "basic_info.service[0].trainees")].severity == "error"
    assert (("FIELD_MISSING", path) not in found
            and found[("LOW_CONFIDENCE", path)].evidence[0].bbox == [60, 100, 500, 115])


def test_a_place_the_reader_could_not_find_is_a_doubt() -> None:
    record = clean_application()
    path = "basic_info.lead_unit.is_legal_person"
    record.basic_info.lead_unit.is_legal_person = None
    record.provenance[path] = models.Provenance(page=2, source="derived")  # looked for, not found
    found = _by_code(_checks(record))
    assert ("FIELD_MISSING", path) not in found and ("LOW_CONFIDENCE", path) in found


def test_a_seal_read_as_its_units_name_with_characters_lost_is_a_doubt_not_another_units_seal() -> None:
    record = clean_application()
    record.cover.applicant = record.basic_info.lead_unit.name = "常州旭嘉网络科技股份有限公司"
    _seal("appendix2_table1", "常事网络科技股份有限公司")(record)  # "州旭嘉" read as "事"
    _seal("appendix3_table3", "无锡盛云自动化有限公司")(record)  # another unit's seal: a true defect
    found = _by_code(_checks(record))
    assert ("SEAL_NAME_MISMATCH", "appendix2_table1") not in found
    assert "常事网络科技股份有限公司" in found[("LOW_CONFIDENCE", "seal_slots.appendix2_table1")].message
    assert found[("SEAL_NAME_MISMATCH", "appendix3_table3")].found == "无锡盛云自动化有限公司"


def test_a_recommender_read_garbled_beside_its_departments_seal_is_a_doubt_of_the_field() -> None:
    # dev7 a06 (phone photo): the cover's recommender read '山西省二业和化斤'; the seal reads the department.
    record = clean_application()
    record.cover.recommender = "山西省二业和化斤"
    _seal("cover_recommender", "山西省工业和信息化厅")(record)
    found = _by_code(_checks(record))
    assert ("SEAL_NAME_MISMATCH", "cover_recommender") not in found
    assert found[("LOW_CONFIDENCE", "cover.recommender")].expected == "山西省工业和信息化厅"


@pytest.mark.parametrize("field, seal", [("山西省财政厅", "山西省工业和信息化厅"),  # another body of the place
                                         ("浙江省经济和信息化厅", "山西省工业和信息化厅")])  # another place's
def test_a_recommender_beside_another_bodys_seal_is_still_a_mismatch(field: str, seal: str) -> None:
    record = clean_application()
    record.cover.recommender = field
    _seal("cover_recommender", seal)(record)
    assert _by_code(_checks(record))[("SEAL_NAME_MISMATCH", "cover_recommender")].found == seal


def test_a_landline_read_from_pixels_with_its_area_codes_head_lost_is_a_doubt() -> None:
    # dev7 a06 (phone photo): '0578-67734570' read '78-67734570'.
    record = clean_application()
    record.cover.phone = "78-67734570"
    record.provenance["cover.phone"] = models.Provenance(page=1, bbox=[150, 450, 460, 470], confidence=0.95, source="ocr")
    found = _by_code(_checks(record))
    assert ("INVALID_PHONE", "cover.phone") not in found and ("LOW_CONFIDENCE", "cover.phone") in found


@pytest.mark.parametrize("phone, source", [("057867", "ocr"),  # cut short: no whole local number after it
                                           ("78-67734570", "text")])  # so written in the text layer
def test_a_phone_cut_short_or_typed_so_is_still_invalid(phone: str, source: str) -> None:
    record = clean_application()
    record.cover.phone = phone
    record.provenance["cover.phone"] = models.Provenance(page=1, confidence=1.0, source=source)
    assert ("INVALID_PHONE", "cover.phone") in _by_code(_checks(record))


# --------------------------------------------------------------- one table's weak cells: one finding

def test_a_tables_weak_cells_are_one_finding_that_names_each() -> None:
    record = clean_application()
    _set("appendix.contracts[0].enterprise", None)(record)
    _set("appendix.contracts[2].enterprise", None)(record)
    doubts = [c for c in _checks(record) if c.code == "LOW_CONFIDENCE"]
    assert [c.where for c in doubts] == ["appendix.contracts"]
    assert doubts[0].doubts == ["appendix.contracts[0].enterprise", "appendix.contracts[2].enterprise"]
    assert "附2表2 有 2 处" in doubts[0].message and len(doubts[0].evidence) == 2


# --------------------------------------------------------------- CONTRACT_TOTAL_MISMATCH ×2 (a cell's comma read as a point)

def test_a_contract_amount_read_with_a_point_is_settled_by_its_years_total() -> None:
    record = clean_application()
    # 2024: 100 + 20.5 declared 120.5; the first contract was really 1,000 → declared 1,020.5.
    _set("basic_info.service[0].contract_amount", 1020.5)(record)
    _doubt(record, "appendix.contracts[0].amount", 1.0, 1000.0)  # read "1.000"
    _set("basic_info.service[1].contract_amount", 250.0)(record)  # a true defect in 2025, read surely
    found = _by_code(_checks(record))
    assert record.appendix.contracts[0].amount == 1000.0
    assert record.provenance["appendix.contracts[0].amount"].resolved_by == "CONTRACT_TOTAL_2024"
    assert ("CONTRACT_TOTAL_MISMATCH", "2024") not in found
    assert found[("CONTRACT_TOTAL_MISMATCH", "2025")].severity == "error"


@pytest.mark.parametrize("alternative", [100.01, 99.99])
def test_of_readings_a_cent_apart_the_one_the_total_adds_up_to_exactly_is_picked(alternative: float) -> None:
    record = clean_application()
    # 2024: read 100 (or a cent off) + 20.5, declared 120.5: both within the tolerance, one exactly.
    _doubt(record, "appendix.contracts[0].amount", 100.0, alternative)
    found = _by_code(_checks(record))
    origin = record.provenance["appendix.contracts[0].amount"]
    assert record.appendix.contracts[0].amount == 100.0
    assert origin.resolved_by == "CONTRACT_TOTAL_2024" and origin.alternatives == [alternative]
    assert ("LOW_CONFIDENCE", "appendix.contracts[0].amount") not in found


def test_readings_equally_close_to_a_total_they_both_miss_by_a_cent_stay_in_doubt() -> None:
    record = clean_application()
    _doubt(record, "appendix.contracts[0].amount", 99.99, 100.01)  # 100 itself was never read
    found = _by_code(_checks(record))
    assert record.provenance["appendix.contracts[0].amount"].resolved_by is None
    assert found[("LOW_CONFIDENCE", "appendix.contracts[0].amount")].severity == "info"


def _trainings_of_2025_read_as_14(declared: int) -> models.ApplicationRecord:
    """2025's one training row read "14" (or 4, 41, 94) against `declared`; 2024's cell not read at all."""
    record = clean_application()
    record.appendix.trainings.append(models.TrainingRow(date=dt.date(2025, 4, 7), name="培训", participants=14))
    record.provenance["appendix.trainings[1].participants"] = record.provenance["appendix.trainings[0].participants"]
    _set("basic_info.service[1].trainees", declared)(record)
    _doubt(record, "appendix.trainings[1].participants", 14, 4, 41, 94)  # a scan's "94" read as "14"
    _set("appendix.trainings[0].participants", None)(record)
    return record


def test_a_figure_not_read_in_one_year_leaves_the_other_years_total_to_settle_its_doubts() -> None:
    record = _trainings_of_2025_read_as_14(94)
    found = _by_code(_checks(record))
    assert record.appendix.trainings[1].participants == 94
    assert record.provenance["appendix.trainings[1].participants"].resolved_by == "TRAINEE_TOTAL_2025"
    assert ("TRAINEE_TOTAL_MISMATCH", "2025") not in found
    assert ("LOW_CONFIDENCE", "appendix.trainings[0].participants") in found  # 2024 still asks a reviewer
    record = _trainings_of_2025_read_as_14(200)  # a true defect: no reading adds up to it
    check = _by_code(_checks(record))[("TRAINEE_TOTAL_MISMATCH", "2025")]
    assert check.severity == "warning" and check.doubts == ["appendix.trainings[1].participants"]


def test_a_reading_the_forms_total_picked_is_no_longer_a_doubt_whatever_its_score() -> None:
    record = _trainings_of_2025_read_as_14(94)
    path = "appendix.trainings[1].participants"
    record.provenance[path] = record.provenance[path].model_copy(update={"confidence": 0.55})
    found = _by_code(_checks(record))
    assert record.provenance[path].resolved_by == "TRAINEE_TOTAL_2025"
    assert ("LOW_CONFIDENCE", path) not in found and ("LOW_CONFIDENCE", "appendix.trainings") not in found
    record = _trainings_of_2025_read_as_14(200)  # no reading adds up: the weak reading is still named
    record.provenance[path] = record.provenance[path].model_copy(update={"confidence": 0.55})
    assert path in _by_code(_checks(record))[("TRAINEE_TOTAL_MISMATCH", "2025")].doubts


def test_an_unsettled_contract_amount_makes_its_years_total_a_warning_with_both_sums() -> None:
    record = clean_application()
    _set("basic_info.service[0].contract_amount", 500.0)(record)  # neither reading adds up to it
    _doubt(record, "appendix.contracts[0].amount", 1.0, 1000.0)
    check = _by_code(_checks(record))[("CONTRACT_TOTAL_MISMATCH", "2024")]
    assert check.severity == "warning" and check.found == "21.5 | 1,020.5" and check.expected == 500.0


# --------------------------------------------------------------- SEAL_MISSING on a page without colour

def test_a_seal_not_found_on_a_grey_scan_is_a_doubt_and_on_a_colour_scan_an_error() -> None:
    record = clean_application()
    record.seal_slots.appendix2_table1 = False
    record.seal_slots.commitment = False
    for page in record.source.pages:
        page.colour = page.role != "appendix2_table1"  # that page was scanned in grey
    found = _by_code(_checks(record))
    grey = found[("SEAL_MISSING", "appendix2_table1")]
    assert grey.severity == "warning" and grey.doubts == ["seal_slots.appendix2_table1"] and "灰度" in grey.message
    assert found[("SEAL_MISSING", "commitment")].severity == "error"


def _stamped(record: models.ApplicationRecord, slot: str, page: int, side: float) -> None:
    record.seals.append(models.Seal(page=page, bbox=[300, 300, 300 + side, 300 + side], slot=slot))


@pytest.mark.parametrize(("cover_side", "severity"), [(140.0, "warning"), (121.0, "error")])
def test_a_cover_slot_beside_a_stamp_large_enough_to_be_two_is_a_doubt(cover_side: float, severity: str) -> None:
    record = clean_application()
    record.seal_slots.cover_recommender = False
    for slot, page in (("commitment", 9), ("appendix2_table1", 10), ("appendix2_table2", 11)):
        _stamped(record, slot, page, 115.0)
    _stamped(record, "cover_applicant", 1, cover_side)  # 1.22 or 1.05 times the applicant's other stamps
    check = _by_code(_checks(record))[("SEAL_MISSING", "cover_recommender")]
    assert check.severity == severity
    if severity == "warning":
        assert check.doubts == ["seal_slots.cover_recommender"] and "重叠" in check.message and "22%" in check.message
    record.seal_slots.commitment = False
    assert _by_code(_checks(record))[("SEAL_MISSING", "commitment")].severity == "error"  # not a cover slot


@pytest.mark.parametrize(("centre", "severity"), [(472.0, "warning"), (450.0, "error"), (496.0, "error")])
def test_a_cover_slot_beside_the_one_stamp_standing_between_both_lines_is_a_doubt(centre: float, severity: str) -> None:
    """dev41 a01: the recommender's stamp nearly under the applicant's, found as one seal no larger than one,
    centred between 申报单位 (452) and 推荐单位 (494): the absence is a doubt. A stamp on either line is one."""
    record = clean_application()
    record.seal_slots.cover_recommender = False
    cover = next(page.page for page in record.source.pages if page.role == "cover")
    record.provenance["cover.applicant"] = models.Provenance(page=cover, bbox=[87, 442, 316, 462], confidence=0.95)
    record.provenance["cover.recommender"] = models.Provenance(page=cover, bbox=[86, 482, 300, 506], confidence=0.95)
    record.seals = [seal for seal in record.seals if seal.slot not in ("cover_applicant", "cover_recommender")]
    record.seals.append(models.Seal(page=cover, bbox=[217, centre - 60, 352, centre + 60], slot="cover_applicant"))
    check = _by_code(_checks(record))[("SEAL_MISSING", "cover_recommender")]
    assert check.severity == severity
    if severity == "warning":
        assert check.doubts == ["seal_slots.cover_recommender"] and "两行之间" in check.message


def test_a_slot_whose_bw_page_holds_unconfirmed_seal_ink_is_one_doubt_and_an_inkless_one_stays_missing() -> None:
    record = clean_application()
    for slot in ("cover_applicant", "cover_recommender", "appendix2_table1"):
        setattr(record.seal_slots, slot, False)
    for page in record.source.pages:
        page.colour = False
    cover = next(page.page for page in record.source.pages if page.role == "cover")
    for slot in ("cover_applicant", "cover_recommender"):  # the seal stage saw stipple where the cover's seals go
        record.provenance[f"seal_slots.{slot}"] = models.Provenance(page=cover, bbox=[300, 400, 420, 520], source="pixels")
    found = _by_code(_checks(record))
    assert ("SEAL_MISSING", "cover_applicant") not in found and ("SEAL_MISSING", "cover_recommender") not in found
    doubt = found[("LOW_CONFIDENCE", "seal_slots")]  # both slots' doubts, one finding
    assert doubt.severity == "info" and set(doubt.doubts) == {"seal_slots.cover_applicant", "seal_slots.cover_recommender"}
    assert doubt.evidence[0].bbox == [300, 400, 420, 520]
    assert found[("SEAL_MISSING", "appendix2_table1")].severity == "warning"  # no ink there: still missing


@pytest.mark.parametrize("grey", [True, False])
def test_a_signature_not_found_on_a_grey_commitment_page_is_a_doubt(grey: bool) -> None:
    record = clean_application()
    record.signatures.commitment_legal_rep = False
    for page in record.source.pages:
        page.colour = not (grey and page.role == "commitment")
    check = _by_code(_checks(record))[("SIGNATURE_MISSING", "commitment_legal_rep")]
    if grey:
        assert check.severity == "warning" and check.doubts == ["signatures.commitment_legal_rep"] and "灰度" in check.message
    else:
        assert check.severity == "error" and not check.doubts


def test_a_count_over_a_table_whose_numbering_breaks_is_the_tables_one_doubt() -> None:
    record = clean_application()
    record.appendix.providers.append(models.ProviderRow(seq=3, name="某服务商二", industries=["机械"], capability="x"))
    _set("basic_info.resources[1].providers", 3)(record)  # 2 rows read, numbered 1, 3: a row was lost
    found = _by_code(_checks(record))
    assert ("PROVIDER_COUNT_MISMATCH", "") not in found
    doubt = found[("LOW_CONFIDENCE", "appendix.providers")]
    assert doubt.severity == "warning" and doubt.doubts == ["appendix.providers"]
    assert "序号不连续" in doubt.message and "PROVIDER_COUNT_MISMATCH" in doubt.message and "3 家" in doubt.message


def test_institutions_numbered_through_or_afresh_per_category_are_both_a_run() -> None:
    record = clean_application()
    institutions = record.appendix.institutions
    institutions[1].seq = 2  # 投融资机构 1, 高校科研院所 2: numbered through the table
    _set("basic_info.resources[1].universities", 3)(record)
    found = _by_code(_checks(record))
    assert found[("UNIVERSITY_COUNT_MISMATCH", "")].severity == "error"
    institutions[1].seq = 3  # numbered neither way: a row lost or merged where the rules failed
    found = _by_code(_checks(record))
    assert ("UNIVERSITY_COUNT_MISMATCH", "") not in found and ("LOW_CONFIDENCE", "appendix.institutions") in found


def test_rows_read_from_a_text_layer_keep_the_applicants_own_numbering() -> None:
    record = clean_application()
    record.appendix.providers.append(models.ProviderRow(seq=3, name="某服务商二", industries=["机械"], capability="x"))
    _set("basic_info.resources[1].providers", 3)(record)  # numbered 1, 3 in the applicant's own Word file
    for path, origin in list(record.provenance.items()):
        if path.startswith("appendix.providers["):
            record.provenance[path] = origin.model_copy(update={"source": "text"})
    assert _by_code(_checks(record))[("PROVIDER_COUNT_MISMATCH", "")].severity == "error"


def test_the_comparisons_over_a_table_page_where_no_row_was_read_are_one_finding() -> None:
    record = clean_application()
    record.appendix.contracts = []  # the 附2表2 page is there; its rows were not read (a fax, say)
    _set("basic_info.resources[1].universities", 3)(record)  # a true defect elsewhere, read surely
    checks = _checks(record)
    assert not [c for c in checks if c.code in ("CONTRACT_TOTAL_MISMATCH", "ENTERPRISE_COUNT_MISMATCH")]
    [doubt] = [c for c in checks if c.where == "appendix.contracts"]
    assert doubt.code == "LOW_CONFIDENCE" and doubt.severity == "warning"
    assert "CONTRACT_TOTAL_MISMATCH（2024）" in doubt.message and "ENTERPRISE_COUNT_MISMATCH（2025）" in doubt.message
    assert "appendix.contracts" not in doubt.message.split("请人工核对该表：")[1]  # each comparison said once, plainly
    assert _by_code(checks)[("UNIVERSITY_COUNT_MISMATCH", "")].severity == "error"


def test_a_unit_listed_twice_in_the_recommendation_table_is_one_unit_recommended() -> None:
    from tests.test_checks import recommendation

    record = recommendation("浙江省", ["甲公司", "乙公司", "乙公司", "丙公司"])  # a row read twice under a seal
    assert ("RECOMMENDATION_QUOTA_EXCEEDED", "浙江省") not in _by_code(run_checks(CheckContext(record=record)))
    record = recommendation("浙江省", ["甲公司", "乙公司", "丙公司", "丁公司"])
    assert ("RECOMMENDATION_QUOTA_EXCEEDED", "浙江省") in _by_code(run_checks(CheckContext(record=record)))


def test_a_form_read_badly_is_one_finding_naming_each_field() -> None:
    record = clean_application()
    for path in ("basic_info.lead_unit.name", "basic_info.head.mobile", "basic_info.finance[0].revenue"):
        _set(path, None)(record)
        record.provenance[path] = models.Provenance(page=2, source="derived")  # looked for, not found
    doubts = [c for c in _checks(record) if c.code == "LOW_CONFIDENCE"]
    assert [c.where for c in doubts] == ["basic_info"] and len(doubts[0].doubts) == 3
    assert "基本情况表 有 3 处" in doubts[0].message


# --------------------------------------------------------------- TOO_FEW_CONTENT_AREAS on a lexicon's judgement

def test_too_few_areas_is_a_doubt_when_the_text_mentions_others_below_the_bar() -> None:
    record = clean_application()
    record.plan.content_areas = ["评估咨询", "数据共享"]
    found = _by_code(_checks(record))
    assert found[("TOO_FEW_CONTENT_AREAS", "")].severity == "error"  # nothing else spoken of: sure
    record.plan.mentions.append(PlanMention(section="content", kind="content_area", text="人员培训",
                                                   value="人才培养", offset=12))
    check = _by_code(_checks(record))[("TOO_FEW_CONTENT_AREAS", "")]
    assert check.severity == "warning" and check.doubts == ["plan.content_areas"] and "人才培养" in check.message


def test_too_few_areas_is_a_doubt_when_the_content_is_laid_out_in_enough_numbered_parts() -> None:
    record = clean_application()
    record.plan.content_areas = ["评估咨询", "数据共享"]
    content = next(section for section in record.plan.sections if section.key == "content")
    content.text = "（一）诊断评估\n为企业开展诊断。\n（二）数据平台\n建设平台。\n1.接入\n2.治理\n"
    assert _by_code(_checks(record))[("TOO_FEW_CONTENT_AREAS", "")].severity == "error"  # two parts: sure
    content.text += "（三）队伍建设\n组建服务团队，开展实训。\n"
    # A part whose words name no area is unread, not absent: the count is undecided, one LOW_CONFIDENCE.
    found = _by_code(_checks(record))
    assert ("TOO_FEW_CONTENT_AREAS", "") not in found
    doubt = found[("LOW_CONFIDENCE", "plan.content_areas")]
    assert "3 个编号部分" in doubt.message and "TOO_FEW_CONTENT_AREAS" in doubt.message


def test_too_few_areas_counts_a_part_whose_heading_lost_a_bracket_to_ocr() -> None:
    record = clean_application()
    record.plan.content_areas = ["项目实施"]
    content = next(section for section in record.plan.sections if section.key == "content")
    # A phone photo's OCR dropped the opening bracket of two headings: still four numbered parts.
    content.text = "一）聚焦工具研制\n研制工具。\n二）做实产线升级\n改造产线。\n（三）牵线搭桥\n组织活动。\n四）技能提升\n开设课程。\n"
    found = _by_code(_checks(record))
    assert ("TOO_FEW_CONTENT_AREAS", "") not in found and "4 个编号部分" in found[("LOW_CONFIDENCE", "plan.content_areas")].message
    content.text = "一）聚焦工具研制\n研制工具。\n（二）做实产线升级\n改造产线。\n"  # two parts: a true defect
    assert _by_code(_checks(record))[("TOO_FEW_CONTENT_AREAS", "")].severity == "error"


def test_too_many_industries_only_by_counting_misread_items_is_a_doubt_of_the_cell() -> None:
    record = clean_application()
    record.appendix.providers[0].industries = ["41", "石化化工", "医药", "纺织"]  # a row number read into the cell
    found = _by_code(_checks(record))
    assert ("PROVIDER_TOO_MANY_INDUSTRIES", "1") not in found
    assert "41" in found[("LOW_CONFIDENCE", "appendix.providers[0].industries")].message
    record.appendix.providers[0].industries = ["机械", "汽车", "船舶", "纺织"]
    assert _by_code(_checks(record))[("PROVIDER_TOO_MANY_INDUSTRIES", "1")].severity == "warning"


def _amounts_read_in_yuan(record: models.ApplicationRecord, table: str) -> None:
    """Every amount of `table` read 10^4 times too small: its header's '(万' read apart, the column taken
    for 元 (dev6 a14: 303.2 万元 read as 0.03032)."""
    for row in getattr(record.appendix, table):
        row.amount = round(row.amount / 10_000, 8)


def test_a_column_read_in_yuan_is_read_in_wan_where_the_declared_totals_hold_only_so() -> None:
    record = clean_application()
    _amounts_read_in_yuan(record, "contracts")
    _amounts_read_in_yuan(record, "financings")
    found = _by_code(_checks(record))
    assert not [key for key in found if key[0].endswith("TOTAL_MISMATCH")]
    assert [row.amount for row in record.appendix.contracts] == [100.0, 20.5, 300.0]
    assert record.appendix.financings[0].amount == 500.0
    origin = record.provenance["appendix.contracts[1].amount"]
    assert origin.alternatives == [0.00205] and origin.resolved_by == "CONTRACT_TOTAL_2024:万元"


def test_a_column_read_in_yuan_keeps_a_true_mismatch_of_another_year() -> None:
    record = clean_application()
    _set("basic_info.service[1].contract_amount", 412.0)(record)  # 2025 declared 112 too high: a true defect
    _amounts_read_in_yuan(record, "contracts")
    found = _by_code(_checks(record))
    assert record.appendix.contracts[2].amount == 300.0  # 2024 holds only in 万元: the column's unit
    assert ("CONTRACT_TOTAL_MISMATCH", "2024") not in found
    assert found[("CONTRACT_TOTAL_MISMATCH", "2025")].severity == "error"


def test_a_true_mismatch_is_not_taken_for_a_misread_unit() -> None:
    record = clean_application()
    _set("basic_info.resources[1].financing", 650.0)(record)  # declared 150 too high
    found = _by_code(_checks(record))
    assert record.appendix.financings[0].amount == 500.0
    assert found[("FINANCING_TOTAL_MISMATCH", "")].severity == "error"


def test_readings_every_combination_that_makes_a_total_hold_takes_alike_are_picked() -> None:
    """dev4 a01: 35.2 read as 32 (35.2 another reading), beside 86.7 also read 86.71: two combinations hold
    within the cent of tolerance, and both take 35.2; the one that adds up exactly takes 86.7."""
    record = clean_application()
    _set("appendix.contracts[0].amount", 10.0)(record)  # printed 100
    record.provenance["appendix.contracts[0].amount"] = record.provenance["appendix.contracts[0].amount"].model_copy(
        update={"alternatives": [1.0, 100.0]})
    record.provenance["appendix.contracts[1].amount"] = record.provenance["appendix.contracts[1].amount"].model_copy(
        update={"alternatives": [20.51]})
    found = _by_code(_checks(record))
    assert ("CONTRACT_TOTAL_MISMATCH", "2024") not in found
    assert record.appendix.contracts[0].amount == 100.0
    assert record.provenance["appendix.contracts[0].amount"].resolved_by == "CONTRACT_TOTAL_2024"
    assert record.appendix.contracts[1].amount == 20.5
    assert record.provenance["appendix.contracts[1].amount"].resolved_by == "CONTRACT_TOTAL_2024"
    record = clean_application()  # a true defect: no reading makes the total hold, nothing is picked
    _set("basic_info.service[0].contract_amount", 200.0)(record)
    record.provenance["appendix.contracts[1].amount"] = record.provenance["appendix.contracts[1].amount"].model_copy(
        update={"alternatives": [20.51]})
    assert ("CONTRACT_TOTAL_MISMATCH", "2024") in _by_code(_checks(record))
    assert record.provenance["appendix.contracts[1].amount"].unsettled


def test_comparisons_failing_together_on_one_doubtful_reading_are_one_finding_for_that_reading() -> None:
    """dev12 a07 (curl): the 2025 累计 financing read 9 (its crop read otherwise) fails the financings' total and
    the not-decreasing rule: one LOW_CONFIDENCE for the reading, naming both, not two findings."""
    record = clean_application()
    path = "basic_info.resources[1].financing"
    _set(path, 9.0)(record)
    record.provenance[path] = record.provenance[path].model_copy(update={"confirmed_by": []})
    checks = _checks(record)
    codes = {(check.code, check.where) for check in checks}
    assert ("FINANCING_TOTAL_MISMATCH", "") not in codes and ("CUMULATIVE_DECREASE", "financing") not in codes
    doubt = next(check for check in checks if check.code == "LOW_CONFIDENCE" and path in check.doubts)
    assert "FINANCING_TOTAL_MISMATCH" in doubt.message and "CUMULATIVE_DECREASE" in doubt.message


def test_comparisons_failing_on_one_sure_reading_stay_each_an_error() -> None:
    record = clean_application()
    _set("basic_info.resources[1].financing", 9.0)(record)  # read surely: the applicant wrote 9
    found = {(check.code, check.where, check.severity) for check in _checks(record)}
    assert {("FINANCING_TOTAL_MISMATCH", "", "error"), ("CUMULATIVE_DECREASE", "financing", "error")} <= found


def _two_2025_contracts_named(first: str, second: str, confidence: float = 0.87) -> models.ApplicationRecord:
    """2025's one contract (乙公司, 300) replaced by two, named `first` and `second`; one enterprise declared."""
    record = clean_application()
    record.appendix.contracts[2].enterprise = first
    record.appendix.contracts.append(models.ContractRow(date=dt.date(2025, 3, 1), contract_no="HT-4",
                                                        enterprise=second, amount=0.0))
    for cell in ("date", "contract_no", "enterprise", "amount"):
        record.provenance[f"appendix.contracts[3].{cell}"] = models.Provenance(page=9, bbox=[0, 0, 1, 1],
                                                                               confidence=confidence, source="ocr")
    _set("basic_info.service[1].enterprises", 1)(record)
    return record


def test_a_count_over_names_a_few_characters_apart_is_a_warning_naming_them() -> None:
    """dev13 a03 (phone): '泉州捷华金属制品股潮晨公司' beside the same enterprise's own name, three slips apart:
    two enterprises or one misread, the reading does not say. (Read at 0.87, under `name_sure`, the form's
    count settles it: tests/test_flags15.py.)"""
    record = _two_2025_contracts_named("泉州捷华金属制品股份有限公司", "泉州捷华金属制品股潮晨公司", 0.95)
    found = _by_code(_checks(record))[("ENTERPRISE_COUNT_MISMATCH", "2025")]
    assert found.severity == "warning" and "appendix.contracts[3].enterprise" in found.doubts


def test_a_count_over_names_far_apart_stays_an_error() -> None:
    record = _two_2025_contracts_named("泉州捷华金属制品股份有限公司", "杭州宇昌特钢股份有限公司")
    assert _by_code(_checks(record))[("ENTERPRISE_COUNT_MISMATCH", "2025")].severity == "error"


def test_names_alike_into_their_legal_form_are_one_enterprise() -> None:
    """dev12 a02 (mixed): '杭州凯华变压器集团有限公司' read once as '…有限司化研' (公 lost, a seal's 化研 run in):
    one enterprise; names apart before their legal form (…集团有限公司, …股份有限公司) stay two."""
    assert distinct_names(["杭州凯华变压器集团有限公司", "杭州凯华变压器集团有限司化研"]) == 1
    assert distinct_names(["杭州卓天钢铁集团有限公司", "杭州卓天钢铁股份有限公司"]) == 2
    assert distinct_names(["杭州凯华变压器集团有限公司", "杭州凯华变压器集团有限司化研"], max_edits=0) == 2


def _blank_form(record: models.ApplicationRecord) -> list[str]:
    """Every required basic-info value of `record` emptied and its provenance dropped, as when the reader
    never found the form's page; the paths emptied."""
    from pipeline.checks.fields import required_values

    paths = [path for path, _ in required_values(record) if path.startswith("basic_info.")]
    for path in paths:
        value = None if not path.endswith("main_industries") else []
        _set(path, value)(record)
        record.provenance.pop(path, None)
    return paths


def test_a_form_the_reader_never_found_is_one_doubt_not_a_missing_field_each() -> None:
    # dev24 a04 (a landscape phone photo of the form at ~95 dpi): 26 false FIELD_MISSING errors.
    record = clean_application()
    paths = _blank_form(record)
    assert record.provenance  # the cover was read from the pages
    checks = _checks(record)
    assert not [c for c in checks if c.code == "FIELD_MISSING" and c.where.startswith("basic_info.")]
    doubt = _by_code(checks)[("LOW_CONFIDENCE", "basic_info")]
    assert doubt.severity != "error" and set(paths) <= set(doubt.doubts)


def test_a_few_blank_places_on_a_form_the_reader_found_stay_missing_fields() -> None:
    record = clean_application()
    paths = _blank_form(record)
    for path in paths[3:]:  # the rest read back as the applicant wrote them
        record.provenance[path] = models.Provenance(page=2, bbox=[60, 100, 500, 115], confidence=0.99)
    restored = clean_application()
    for path in paths[3:]:
        _set(path, _value(restored, path))(record)
    found = _by_code(_checks(record))
    assert all(found[("FIELD_MISSING", path)].severity == "error" for path in paths[:3])


def test_a_form_read_from_a_page_of_another_role_has_its_places_not_found_in_doubt() -> None:
    """The basic-info reader takes a page by its labels; a phone photo's misread title left the form's page
    `other` (dev24 a04). Places it did not find there are as unlocated as on a page of its role: a doubt,
    not eleven FIELD_MISSING errors."""
    from pipeline.runner import mark_unlocated

    record = clean_application()
    paths = _blank_form(record)
    for page in record.source.pages:
        if page.role == "basic_info":
            page.role = "other"
    for path in paths[3:]:  # read back from page 2 as written
        record.provenance[path] = models.Provenance(page=2, bbox=[60, 100, 500, 115], confidence=0.99)
    restored = clean_application()
    for path in paths[3:]:
        _set(path, _value(restored, path))(record)
    mark_unlocated(record)
    found = _by_code(_checks(record))
    assert all(("FIELD_MISSING", path) not in found for path in paths[:3])
    assert all(record.provenance[path].page == 2 and record.provenance[path].blank is None for path in paths[:3])


def test_a_record_not_read_from_pages_has_every_blank_place_missing() -> None:
    record = clean_application()
    paths = _blank_form(record)
    record.provenance.clear()  # a truth record: no reader to fail
    found = _by_code(_checks(record))
    assert all(("FIELD_MISSING", path) in found for path in paths)


def _value(record: models.ApplicationRecord, path: str) -> object:
    from pipeline.checks.fields import required_values

    return dict(required_values(record))[path]


def test_a_missing_section_whose_place_holds_a_heading_shaped_line_is_a_doubt() -> None:
    # dev24 a04/a09 (phone photos): '（一）基础条件' read '(-)美瑞务件', a false SECTION_MISSING error.
    record = clean_application()
    record.plan.sections = [s for s in record.plan.sections if s.key not in ("foundation", "guarantee")]
    record.plan.heading_doubts = {"foundation": "（-）美瑞务件"}
    found = _by_code(_checks(record))
    assert found[("SECTION_MISSING", "foundation")].severity == "warning"
    assert "美瑞务件" in found[("SECTION_MISSING", "foundation")].message
    assert found[("SECTION_MISSING", "guarantee")].severity == "error"  # a true gap beside it


def _scrambled(length: int) -> str:
    """Chinese characters in no dictionary order (a phone photo's lines cut and joined)."""
    return "".join(chr(0x4E00 + (i * 7919) % 20000) for i in range(length))


def test_sections_missing_from_a_plan_read_scrambled_are_doubts_and_its_lengths_unjudged() -> None:
    # dev25 a05 (phone photo): only （二）建设目标 found, its text 52% words; the three other headings
    # lost in it gave three false SECTION_MISSING errors and a WORD_LIMIT_EXCEEDED on 1,080 characters.
    record = clean_application()
    goals = next(s for s in record.plan.sections if s.key == "goals")
    record.plan.sections = [goals.model_copy(update={"text": _scrambled(1080), "chars": 1080})]
    found = _by_code(_checks(record))
    doubt = found[("LOW_CONFIDENCE", "plan.sections")]  # one doubt for the plan read scrambled (flags17)
    assert doubt.doubts == ["plan.foundation", "plan.content", "plan.guarantee"] and "成词" in doubt.message
    assert not any(code == "SECTION_MISSING" for code, _ in found)
    assert ("WORD_LIMIT_EXCEEDED", "goals") not in found


def test_a_heading_shaped_line_in_a_plan_read_scrambled_stays_its_own_warning() -> None:
    record = clean_application()
    goals = next(s for s in record.plan.sections if s.key == "goals")
    record.plan.sections = [goals.model_copy(update={"text": _scrambled(1080), "chars": 1080})]
    record.plan.heading_doubts = {"foundation": "（-）美瑞务件"}
    found = _by_code(_checks(record))
    assert found[("SECTION_MISSING", "foundation")].severity == "warning"
    assert found[("LOW_CONFIDENCE", "plan.sections")].doubts == ["plan.content", "plan.guarantee"]


def test_sections_missing_from_a_plan_read_as_language_stay_errors() -> None:
    record = clean_application()
    record.plan.sections = [s for s in record.plan.sections if s.key != "content"]
    goals = next(s for s in record.plan.sections if s.key == "goals")
    goals.text = "本中心围绕制造业数字化转型，面向中小企业提供诊断咨询、改造实施和人才培训服务，建立服务标准和工作规范。" * 6
    goals.chars = 1080
    assert (plan._plan_share(record.plan) or 0) > plan.READABLE_SHARE  # read as language
    found = _by_code(_checks(record))
    assert found[("SECTION_MISSING", "content")].severity == "error"
    assert ("WORD_LIMIT_EXCEEDED", "goals") in found


def test_an_institution_category_read_as_neither_category_stops_the_counts() -> None:
    # dev26 a02: the header's 类别 carried into the first row's merged category cell; counted as
    # neither, it gave a false INVESTOR_COUNT_MISMATCH error at confidence 0.99.
    record = clean_application()
    record.appendix.institutions[0].category = "类别"
    found = _by_code(_checks(record))
    assert ("INVESTOR_COUNT_MISMATCH", "") not in found
    assert ("LOW_CONFIDENCE", "appendix.institutions[0].category") in found
    record.appendix.institutions[0].category = "投融资机构"
    record.basic_info.resources[1].investors = 2  # a true gap stays an error
    assert _by_code(_checks(record))[("INVESTOR_COUNT_MISMATCH", "")].severity == "error"


def test_an_industry_item_with_one_character_misread_still_counts() -> None:
    # dev37 a11: 食品 read '《品' on a photographed 附3表2; four items, one misread, are four industries.
    record = clean_application()
    record.appendix.providers[0].industries = ["《品", "电力装备", "船舶", "纺织"]
    assert ("PROVIDER_TOO_MANY_INDUSTRIES", "1") in _by_code(_checks(record))
    # A piece of one industry cut off its other piece is no item of its own ('石化、花工' is 石化化工).
    record.appendix.providers[0].industries = ["石化", "花工", "船舶", "纺织"]
    found = _by_code(_checks(record))
    assert ("PROVIDER_TOO_MANY_INDUSTRIES", "1") not in found
    assert ("LOW_CONFIDENCE", "appendix.providers[0].industries") in found


def test_names_whose_cores_stand_a_slip_apart_may_be_one_enterprise_by_the_forms_count() -> None:
    """dev44 a06 (phone): one enterprise's legal form garbled two ways in two rows ('东莞晟拓乳业股份有P',
    '东莞晟拓乳业股有限公司'), four slips apart; their cores before the legal form are one apart, and the form's
    count of one says they are one. Cores apart as far as two enterprises' stay two."""
    record = _two_2025_contracts_named("东莞晟拓乳业股份有P", "东莞晟拓乳业股有限公司", 0.96)
    assert ("ENTERPRISE_COUNT_MISMATCH", "2025") not in _by_code(_checks(record))
    record = _two_2025_contracts_named("东莞晟拓乳业股份有P", "东莞恒远乳业股有限公司", 0.96)
    assert ("ENTERPRISE_COUNT_MISMATCH", "2025") in _by_code(_checks(record))


def test_sections_whose_headings_lie_in_unread_lines_or_lost_characters_are_one_doubt() -> None:
    # dev47 a03 (phone photo): （二）建设目标 lost in ten lines read garbled inside a 基础条件 of 2,709 characters,
    # and （三）建设内容 read '（三）建内8': two false SECTION_MISSING errors and a WORD_LIMIT_EXCEEDED.
    record = clean_application()
    record.plan.sections = [s for s in record.plan.sections if s.key not in ("goals", "content")]
    foundation = next(s for s in record.plan.sections if s.key == "foundation")
    foundation.chars = 2709
    record.plan.heading_doubts = {"content": "（三）建内8"}
    record.plan.heading_unread = {"goals": "第 4 页有 10 行文字未能识读（识别置信度 0.52–0.64，仅 32% 成词）"}
    found = _by_code(_checks(record))
    assert found[("LOW_CONFIDENCE", "plan.sections")].doubts == ["plan.goals", "plan.content"]
    assert not any(code in ("SECTION_MISSING", "WORD_LIMIT_EXCEEDED") for code, _ in found)
    # Without the unread lines the section left out is an error; a line of other words stays its own warning.
    record.plan.heading_unread = {}
    record.plan.heading_doubts = {"content": "（三）平台8"}
    found = _by_code(_checks(record))
    assert found[("SECTION_MISSING", "goals")].severity == "error"
    assert found[("SECTION_MISSING", "content")].severity == "warning"


def test_a_form_amount_read_in_yuan_keeps_its_figure_in_wan_for_the_totals_to_choose() -> None:
    # dev47 a01: the 2025 合同金额 '1,818.58万元' read '1,818.58元', taken as 0.181858 万元: a false
    # CONTRACT_TOTAL_MISMATCH against its 11 contracts' 1,818.58.
    from pipeline.fields.common import wan_alternative

    origin = models.Provenance(page=2, confidence=0.93, source="ocr")
    read = wan_alternative(FieldValue(0.181858, "1,818.58元", origin))
    assert read.value == 0.181858 and read.provenance.alternatives == [1818.58]
    assert wan_alternative(FieldValue(1066.14, "1,066.14万\n元", origin)).provenance.alternatives == []
    record = clean_application()
    _doubt(record, "basic_info.service[1].contract_amount", 0.03, 300.0)  # '300元' with its 万 lost
    found = _by_code(_checks(record))
    assert ("CONTRACT_TOTAL_MISMATCH", "2025") not in found
    assert record.basic_info.service[1].contract_amount == 300.0


def test_too_many_industries_in_a_cell_listing_one_twice_is_a_doubt_of_rows_read_as_one() -> None:
    # dev47 a12 (phone photo): 附3表2 read as one row, its industries cell 13 items with 有色 twice (rows 1 and 3).
    record = clean_application()
    record.appendix.providers[0].industries = ["有色", "航空", "石化化工", "有色", "医药", "汽车"]
    found = _by_code(_checks(record))
    assert ("PROVIDER_TOO_MANY_INDUSTRIES", "1") not in found
    assert "出现两次" in found[("LOW_CONFIDENCE", "appendix.providers[0].industries")].message
    record.appendix.providers[0].industries = ["有色", "航空", "石化化工", "医药"]  # four, each once: a finding
    assert ("PROVIDER_TOO_MANY_INDUSTRIES", "1") in _by_code(_checks(record))


def test_a_count_read_with_its_unit_as_a_trailing_one_keeps_the_reading_without_it() -> None:
    # dev47 a03 (phone photo): 2025's '5个' read '51' beside 2024's '5个': a false UNIVERSITY_COUNT_MISMATCH.
    from pipeline.fields.basic_info import _count_units
    from pipeline.fields.common import Sink

    sink = Sink(SETTINGS)
    for index, raw in enumerate(("5个", "51")):
        path = f"basic_info.resources[{index}].universities"
        sink.raw[path] = raw
        sink.provenance[path] = models.Provenance(page=2, confidence=0.92, source="ocr")
    sink.raw["basic_info.resources[1].investors"] = "41"  # its row's unit read nowhere: nothing to go by
    sink.provenance["basic_info.resources[1].investors"] = models.Provenance(page=2, confidence=0.92, source="ocr")
    _count_units(sink)
    assert sink.provenance["basic_info.resources[1].universities"].alternatives == [5]
    assert sink.provenance["basic_info.resources[0].universities"].alternatives == []
    assert sink.provenance["basic_info.resources[1].investors"].alternatives == []
    record = clean_application()  # its table counts one 高校
    _doubt(record, "basic_info.resources[1].universities", 11, 1)  # '1个' read '11'
    assert ("UNIVERSITY_COUNT_MISMATCH", "") not in _by_code(_checks(record))
    assert record.basic_info.resources[1].universities == 1
