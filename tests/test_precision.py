"""The decimals a column writes decide where an amount's separators are (`pipeline.precision`)."""

from __future__ import annotations

import datetime as dt

import models
from pipeline.checks import CheckContext, run_checks
from pipeline.config import Settings
from pipeline.precision import (
    COLUMN_PRECISION,
    by_precision,
    point_read_as_digit,
    point_readings,
    settle_by_precision,
    thousands_reading,
    thousands_readings,
    yuan_reading,
)
from pipeline.reconcile import reconcile
from tests.test_checks import _set, clean_application
from tests.test_doubt import _doubt

SETTINGS = Settings()
FIRST_YEAR = "basic_info.resources[0].financing"


def _found(record: models.ApplicationRecord) -> set[tuple[str, str]]:
    reconcile(record, SETTINGS)
    return {(check.code, check.where) for check in run_checks(CheckContext(record=record, settings=SETTINGS))}


def test_a_thousands_reading_is_the_point_taken_for_a_comma_and_a_point_lost() -> None:
    assert thousands_reading(1.2093, 2) == 1209.3  # '1,209.3' read as 1.2093
    assert thousands_reading(10.798, 2) == 10798  # '10,798' read as 10.798
    assert thousands_reading(2.55713, 1) is None  # two decimals left: more than the column writes
    assert thousands_reading(1.25, 2) is None  # no three digits after the point to be thousands
    assert thousands_reading(0.12807, 2) is None  # no amount is written '0,128'


def test_readings_with_more_decimals_than_the_column_go_only_beside_their_own_digits() -> None:
    assert by_precision([10.798, 10798.0], 2) == [10798.0]
    assert by_precision([10.798, 10.79], 2) == [10.798, 10.79]  # other digits: not a separator misread
    assert by_precision([45.5, 455.0], 1) == [45.5, 455.0]  # both within the column's precision


def test_cumulative_figure_read_with_a_third_decimal_is_the_thousands_reading() -> None:
    # dev6 a06: '10,798万元' read as 10.798 beside a 2025 figure of 8,304.58; the 累计 rule alone took
    # 10.798 (the one reading that does not fall) and hid a true decrease. The form writes cents.
    record = clean_application()
    _set("basic_info.service[0].contract_amount", 1248.43)(record)
    _doubt(record, FIRST_YEAR, 10.798, 10798.0)
    _set("basic_info.resources[1].financing", 8304.58)(record)
    found = _found(record)
    assert record.basic_info.resources[0].financing == 10798.0
    assert record.provenance[FIRST_YEAR].resolved_by == COLUMN_PRECISION
    assert record.provenance[FIRST_YEAR].alternatives == [10.798]
    assert ("CUMULATIVE_DECREASE", "financing") in found


def _two_financings(first: float, second: float) -> models.ApplicationRecord:
    """A clean application whose 附3表3 holds two financings of these amounts, read from pixels surely."""
    record = clean_application()
    record.appendix.financings = [
        models.FinancingRow(seq=1, investor="某基金", investee="丙公司", amount=first),
        models.FinancingRow(seq=2, investor="某基金", investee="丁公司", amount=second)]
    for index in range(2):
        record.provenance[f"appendix.financings[{index}].amount"] = models.Provenance(
            page=15, bbox=[0, 0, 1, 1], confidence=0.99, source="ocr")
    return record


def test_an_amount_with_four_decimals_gains_its_thousands_reading_and_the_total_picks() -> None:
    # dev6 a14: '1,209.3' under a seal's arc read surely as 1.2093, '856' as 85 (856 kept as another reading).
    record = _two_financings(1.2093, 85.0)
    _doubt(record, "appendix.financings[1].amount", 85.0, 856.0, confidence=0.8)
    _set("basic_info.resources[1].financing", 2065.3)(record)
    found = _found(record)
    assert [row.amount for row in record.appendix.financings] == [1209.3, 856.0]
    assert record.provenance["appendix.financings[0].amount"].confidence <= 0.7  # a repair stays a doubt
    assert ("FINANCING_TOTAL_MISMATCH", "") not in found


def test_a_thousands_reading_may_also_take_a_digit_for_the_point() -> None:
    assert thousands_readings(1.50124, 2) == [1501.24, 1501.4]  # '1,501.4': comma as a point, point as a 2
    assert thousands_readings(1.2093, 2) == [1209.3]  # one digit after the group: it is a decimal
    assert thousands_readings(1.25, 2) == []


def test_an_amount_whose_point_read_as_a_digit_is_picked_by_its_total() -> None:
    # dev30 a11: '1,501.4' on a phone photo read 1.50124 (the comma as a point, the point as a 2); its thousands
    # reading 1,501.24 alone left the 2025 financing total 0.16 short, a false warning. The total picks 1,501.4.
    record = clean_application()
    amounts = [2795.5, 2848.0, 1161.1, 1985.7, 1.50124, 1184.3]
    record.appendix.financings = [models.FinancingRow(seq=index + 1, investor="某基金", investee="丙公司", amount=amount)
                                  for index, amount in enumerate(amounts)]
    for index in range(len(amounts)):
        record.provenance[f"appendix.financings[{index}].amount"] = models.Provenance(
            page=15, bbox=[0, 0, 1, 1], confidence=0.99, source="ocr")
    _set("basic_info.resources[1].financing", 11476.0)(record)
    found = _found(record)
    assert record.appendix.financings[4].amount == 1501.4
    assert ("FINANCING_TOTAL_MISMATCH", "") not in found


def test_without_a_measured_precision_nothing_changes() -> None:
    record = clean_application()
    for path in ("basic_info.lead_unit.registered_capital", "basic_info.finance[0].revenue",
                 "basic_info.finance[1].revenue", "basic_info.service[0].contract_amount",
                 "basic_info.service[1].contract_amount", "basic_info.resources[1].financing"):
        _set(path, None)(record)
    _doubt(record, FIRST_YEAR, 10.798, 10798.0)
    settle_by_precision(record, SETTINGS.checks)
    assert record.basic_info.resources[0].financing == 10.798
    assert record.provenance[FIRST_YEAR].unsettled


def _contract_read_without_its_point(amount: float, confidence: float) -> models.ApplicationRecord:
    """2025's contracts: 300 and 271.31 (declared 571.31), the second read as `amount`."""
    record = clean_application()
    record.appendix.contracts[1].amount = 20.55  # the column writes cents
    record.appendix.contracts.append(models.ContractRow(date=dt.date(2025, 6, 1), contract_no="HT-4",
                                                        enterprise="丙公司", amount=amount))
    for cell in ("date", "contract_no", "enterprise", "amount"):
        record.provenance[f"appendix.contracts[3].{cell}"] = models.Provenance(
            page=9, bbox=[0, 0, 1, 1], confidence=confidence if cell == "amount" else 1.0, source="ocr")
    _set("basic_info.service[0].contract_amount", 120.55)(record)
    _set("basic_info.service[1].contract_amount", 571.31)(record)
    _set("basic_info.service[1].enterprises", 2)(record)
    return record


def test_a_doubtful_amount_beyond_its_column_is_also_read_with_its_point_put_back() -> None:
    # dev7 a14: '271.31' read without its point as 27131 (0.7), far above the column's other amounts.
    assert point_readings(27131.0, 2) == [2713.1, 271.31]
    assert point_readings(271.3, 2) == []
    record = _contract_read_without_its_point(27131.0, 0.7)
    found = _found(record)
    assert record.appendix.contracts[3].amount == 271.31
    assert record.provenance["appendix.contracts[3].amount"].resolved_by == "CONTRACT_TOTAL_2025"
    assert ("CONTRACT_TOTAL_MISMATCH", "2025") not in found


def test_an_amount_read_surely_without_its_point_is_put_right_by_a_total_holding_to_the_cent() -> None:
    # dev12 a03 (fax): '797.89' read 79789 surely, and so again on its crop by the same engine; put back,
    # its point makes the declared total hold to the cent, which no chance does.
    record = _contract_read_without_its_point(27131.0, 0.99)
    found = _found(record)
    assert record.appendix.contracts[3].amount == 271.31
    origin = record.provenance["appendix.contracts[3].amount"]
    assert origin.resolved_by == "CONTRACT_TOTAL_2025:POINT_LOST" and origin.alternatives == [27131.0]
    assert ("CONTRACT_TOTAL_MISMATCH", "2025") not in found


def test_an_amount_read_surely_keeps_its_reading_and_the_mismatch_its_point_does_not_explain() -> None:
    record = _contract_read_without_its_point(27131.0, 0.99)
    _set("basic_info.service[1].contract_amount", 570.31)(record)  # 300 + 271.31 is 1 off: a true defect
    found = [check for check in run_checks(CheckContext(record=reconcile(record, SETTINGS), settings=SETTINGS))
             if check.code == "CONTRACT_TOTAL_MISMATCH"]
    assert record.appendix.contracts[3].amount == 27131.0
    assert [(check.where, check.severity) for check in found] == [("2025", "error")]


def test_two_figures_whose_points_would_each_make_the_total_hold_are_left_as_read() -> None:
    record = _contract_read_without_its_point(27131.0, 0.99)
    record.appendix.contracts[2].amount = 27131.0  # the other 2025 contract (300) read 27131 too: which one?
    _set("basic_info.service[1].contract_amount", 27131.0 + 271.31)(record)
    _found(record)
    assert record.appendix.contracts[2].amount == 27131.0 and record.appendix.contracts[3].amount == 27131.0


def test_a_column_of_one_decimal_amounts_still_writes_cents() -> None:
    # samples a05: 237.99 read as 23799 (its point lost) among amounts with one decimal: 237.99 stays a reading.
    assert by_precision([23799.0, 237.99, 2379.9], 2) == [23799.0, 237.99, 2379.9]
    record = _contract_read_without_its_point(27131.0, 0.7)
    record.appendix.contracts[1].amount = 20.5  # the column's other amounts carry one decimal at most
    _found(record)
    assert record.appendix.contracts[3].amount == 271.31


def _financings_read(*amounts: float, declared: float) -> models.ApplicationRecord:
    """The financings table (a short column) with `amounts`, the last read unsurely; `declared` the total."""
    record = clean_application()
    record.appendix.financings = [models.FinancingRow(seq=i + 1, investor="某基金", investee="丙公司", amount=amount)
                                  for i, amount in enumerate(amounts)]
    for i in range(len(amounts)):
        record.provenance[f"appendix.financings[{i}].amount"] = models.Provenance(
            page=9, bbox=[0, 0, 1, 1], confidence=0.7 if i == len(amounts) - 1 else 1.0, source="ocr")
    _set("basic_info.resources[1].financing", declared)(record)
    return record


def test_a_point_a_seal_stroke_crossed_and_read_as_a_digit_is_put_back() -> None:
    # dev7 a11 (fax): '389.10' under a seal's ring read 389110, in a financings column of three rows: beyond
    # every amount of the form too (its declared total 1,049.7), so read with the digit in its point's place
    # taken for the point, and the total picks that reading.
    assert point_read_as_digit(389110.0, 2) == [3891.0, 389.1]
    assert point_read_as_digit(389.1, 2) == [] and point_read_as_digit(10.0, 2) == []
    record = _financings_read(170.0, 490.6, 389110.0, declared=1049.7)
    found = _found(record)
    assert record.appendix.financings[2].amount == 389.1
    assert record.provenance["appendix.financings[2].amount"].resolved_by == "FINANCING_TOTAL"
    assert ("FINANCING_TOTAL_MISMATCH", "") not in found


def test_a_short_column_beyond_the_forms_amounts_only_is_not_read_with_a_point() -> None:
    # 3,891 万元 is no larger than the form's largest amount (its capital, 5,000): the precision proposes
    # nothing. Only the declared total, holding to the cent with its point put back, does.
    record = _financings_read(170.0, 490.6, 3891.0, declared=1049.7)
    settle_by_precision(record, SETTINGS.checks)
    assert record.appendix.financings[2].amount == 3891.0
    assert 389.1 not in record.provenance["appendix.financings[2].amount"].alternatives
    _found(record)
    assert record.appendix.financings[2].amount == 389.1


def test_of_two_readings_of_a_lost_point_within_the_tolerance_the_one_holding_to_the_cent_is_taken() -> None:
    # dev12 a03 (fax): 79789 as 797.89 makes the declared 2,553.77 exactly; as 797.9 (its 8 taken for the
    # point) a cent off, within the tolerance too.
    record = _financings_read(331.68, 79789.0, 1424.2, declared=2553.77)
    record.provenance["appendix.financings[2].amount"] = record.provenance["appendix.financings[2].amount"].model_copy(
        update={"confidence": 1.0})
    assert ("FINANCING_TOTAL_MISMATCH", "") not in _found(record)
    assert record.appendix.financings[1].amount == 797.89
    assert record.provenance["appendix.financings[1].amount"].resolved_by == "FINANCING_TOTAL:POINT_LOST"


def test_an_amount_read_in_yuan_gains_its_figure_in_wan_and_the_total_picks() -> None:
    # dev49 a12: '776.56万元' read '776.56元', taken as 0.077656 万元 (four decimals more than the column writes):
    # a false FINANCING_TOTAL_MISMATCH warning.
    assert yuan_reading(0.077656, 2) == 776.56
    assert yuan_reading(0.181858, 2) == 1818.58
    assert yuan_reading(1.2093, 2) is None  # a point before three digits: 1,209.3 (`thousands_reading`)
    assert yuan_reading(776.56, 2) is None  # within the column's precision: nothing to repair
    record = _two_financings(2724.2, 0.077656)
    _set("basic_info.resources[1].financing", 3500.76)(record)
    found = _found(record)
    assert [row.amount for row in record.appendix.financings] == [2724.2, 776.56]
    assert ("FINANCING_TOTAL_MISMATCH", "") not in found


def test_an_amount_read_in_yuan_no_total_bears_out_keeps_its_reading_and_the_mismatch_stands() -> None:
    # dev51 a08: '497.83' read 0.4978; taken as 4,978 万元 on the column's decimals alone, it exceeded the
    # declared total by itself, was judged a lost point (a LOW_CONFIDENCE) and hid the true mismatch.
    record = clean_application()
    record.appendix.financings = [
        models.FinancingRow(seq=1, investor="某基金", investee="丙公司", amount=0.4978),
        models.FinancingRow(seq=2, investor="某基金", investee="丁公司", amount=2313.59)]
    for index in range(2):
        record.provenance[f"appendix.financings[{index}].amount"] = models.Provenance(
            page=15, bbox=[0, 0, 1, 1], confidence=0.99, source="ocr")
    _set("basic_info.resources[1].financing", 4170.8)(record)
    reconcile(record, SETTINGS)  # a batch settles its records again: the second time must not take 4,978
    found = _found(record)
    assert record.appendix.financings[0].amount == 0.4978
    assert 4978 in record.provenance["appendix.financings[0].amount"].alternatives
    assert ("FINANCING_TOTAL_MISMATCH", "") in found
