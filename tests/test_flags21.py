"""Round 21's flags (flags21): a doubt excuses only a mismatch it could explain; a figure a total implies over a
reading itself in doubt is one of several."""

from __future__ import annotations

import datetime as dt

import models
from pipeline.slips import slipped_from
from tests.test_checks import _set, clean_application, run
from tests.test_verify import FakeReader, _checked, _finding

CONTRACT_2025 = "appendix.contracts[2].amount"
DECLARED_2025 = "basic_info.service[1].contract_amount"


def _ringed(record: models.ApplicationRecord, path: str, value: float) -> None:
    """`path` read `value`, held at 0.7 (a seal's ring crosses its line: `tables.rings`), no other reading."""
    _set(path, value)(record)
    record.provenance[path] = record.provenance[path].model_copy(update={"confidence": 0.7})


def test_slips_of_reading() -> None:
    assert slipped_from(54.8, 154.8, 2) and slipped_from(2829.0, 2329.0) and slipped_from(8.0, 154.8, 2)
    assert not slipped_from(266.0, 139.4, 2) and not slipped_from(300.0, 412.5, 2)


def test_a_true_mismatch_beside_a_ring_no_slip_of_its_figure_explains_is_an_error() -> None:
    # samples a03: a 2025 contract read 266 (truly 266) under a ring; the form declares 126.6 less than the sum.
    record = clean_application()
    _ringed(record, CONTRACT_2025, 300.0)
    _set(DECLARED_2025, 187.5)(record)  # 112.5 short: 300 would have to be 187.5, no slip of '300'
    found = _finding(run(record), "CONTRACT_TOTAL_MISMATCH", "2025")
    assert found is not None and found.severity == "error" and found.doubts == []


def test_a_mismatch_a_slip_of_the_ringed_figure_explains_stays_a_doubt() -> None:
    record = clean_application()
    _ringed(record, CONTRACT_2025, 30.0)  # the ring took a 0: 300 read 30
    found = _finding(run(record), "CONTRACT_TOTAL_MISMATCH", "2025")
    assert found is not None and found.severity == "warning" and found.doubts == [CONTRACT_2025]
    record = clean_application()
    _ringed(record, CONTRACT_2025, 800.0)  # the ring changed a digit: 300 read 800
    found = _finding(run(record), "CONTRACT_TOTAL_MISMATCH", "2025")
    assert found is not None and found.severity == "warning"


def test_a_mismatch_over_two_doubtful_figures_stays_a_doubt() -> None:
    # Two figures in doubt may each have slipped: their doubts are not weighed one by one.
    record = clean_application()
    _ringed(record, "appendix.contracts[0].amount", 100.0)
    _ringed(record, "appendix.contracts[1].amount", 20.5)
    _set("basic_info.service[0].contract_amount", 555.55)(record)
    found = _finding(run(record), "CONTRACT_TOTAL_MISMATCH", "2024")
    assert found is not None and found.severity == "warning"


def test_a_declared_total_in_doubt_that_no_slip_makes_the_sum_is_an_error() -> None:
    record = clean_application()
    _ringed(record, "basic_info.service[0].contract_amount", 412.5)  # the sum is 120.5
    found = _finding(run(record), "CONTRACT_TOTAL_MISMATCH", "2024")
    assert found is not None and found.severity == "error"
    record = clean_application()
    _ringed(record, "basic_info.service[0].contract_amount", 20.5)  # 120.5 with its 1 lost
    found = _finding(run(record), "CONTRACT_TOTAL_MISMATCH", "2024")
    assert found is not None and found.severity == "warning"


def _two_misread_in_2025() -> models.ApplicationRecord:
    """dev34 a07: 2025's contracts 300, 26.81 and 114.7, declared 441.51; 26.81 read 1.81 on the page and 2.81 on
    its crop, 114.7 read 112.7 on the page and 114.7 on its crop, both under a seal's ring."""
    record = clean_application()
    record.appendix.contracts += [
        models.ContractRow(date=dt.date(2025, 9, 9), contract_no="HT-4", enterprise="乙公司", amount=1.81),
        models.ContractRow(date=dt.date(2025, 11, 22), contract_no="HT-5", enterprise="乙公司", amount=112.7)]
    for index, others in ((3, [2.81]), (4, [114.7])):
        record.provenance[f"appendix.contracts[{index}].amount"] = models.Provenance(
            page=15, bbox=[0, 0, 1, 1], confidence=0.7, source="ocr", alternatives=others, confirmed_by=[])
    _set(DECLARED_2025, 441.51)(record)
    return record


def test_a_figure_a_total_implies_over_a_doubtful_reading_is_one_of_its_readings_not_the_pick() -> None:
    record = _two_misread_in_2025()
    first = "appendix.contracts[3].amount"
    reader = FakeReader(record, {DECLARED_2025: [("rapidocr", "441.51")]},
                        explains={first: [{"2.81": 0.64, "28.81": 0.24, "26.81": 1.0}]})
    checks = _checked(record, reader)
    # Over 112.7 the total implies 28.81, over the crop's 114.7 it implies 26.81: both borne out, two ways hold.
    assert {28.81, 26.81} <= set(record.provenance[first].alternatives)
    assert record.provenance[first].resolved_by is None and record.appendix.contracts[3].amount != 28.81
    assert _finding(checks, "CONTRACT_TOTAL_MISMATCH", "2025") is None
    assert any(check.code == "LOW_CONFIDENCE" and first in check.doubts for check in checks)


def test_a_figure_implied_over_another_reading_the_ink_explains_no_better_leaves_the_pick() -> None:
    """dev13 a09, dev38 a04: the figure implied over the others as read is the one the ink explains best; the
    ones implied over the neighbours' second readings add nothing the ink asks for, and the pick stands."""
    record = _two_misread_in_2025()
    first = "appendix.contracts[3].amount"
    reader = FakeReader(record, {DECLARED_2025: [("rapidocr", "441.51")]},
                        explains={first: [{"2.81": 0.64, "28.81": 1.0, "26.81": 0.24}]})
    _checked(record, reader)
    assert 26.81 not in record.provenance[first].alternatives
    assert record.appendix.contracts[3].amount == 28.81
    assert record.provenance[first].resolved_by is not None


def test_a_figure_a_total_implies_over_sure_readings_is_still_picked() -> None:
    record = _two_misread_in_2025()
    record.appendix.contracts[4].amount = 114.7
    record.provenance["appendix.contracts[4].amount"] = models.Provenance(page=15, bbox=[0, 0, 1, 1], confidence=0.99,
                                                                          source="ocr")
    first = "appendix.contracts[3].amount"
    reader = FakeReader(record, {DECLARED_2025: [("rapidocr", "441.51")]},
                        explains={first: [{"2.81": 0.64, "28.81": 0.24, "26.81": 1.0}]})
    checks = _checked(record, reader)
    assert record.appendix.contracts[3].amount == 26.81
    assert _finding(checks, "CONTRACT_TOTAL_MISMATCH", "2025") is None


def _read_two_ways(record: models.ApplicationRecord, path: str, value: str, *others: str) -> None:
    _set(path, value)(record)
    record.provenance[path] = record.provenance[path].model_copy(update={
        "confidence": 0.92, "source": "ocr", "alternatives": list(others), "confirmed_by": []})


def test_an_address_one_of_whose_readings_is_well_formed_is_a_reading_to_confirm() -> None:
    # dev13 a03's photo: 'qx×740@qq.com' beside 'qx740@qq.com' and 'qx740@aq.com', both addresses.
    record = clean_application()
    _read_two_ways(record, "basic_info.head.email", "qx×740@qq.com", "qx740@aq.com", "qx740@qq.com")
    found = run(record)
    assert _finding(found, "INVALID_EMAIL") is None
    doubt = [check for check in found if check.where == "basic_info.head.email"]
    assert [check.code for check in doubt] == ["LOW_CONFIDENCE"] and "qx740@qq.com" in doubt[0].message


def test_an_address_written_without_its_at_every_way_is_still_invalid() -> None:
    record = clean_application()
    _read_two_ways(record, "basic_info.head.email", "qx740qq.com", "qx74Oqq.com")
    assert _finding(run(record), "INVALID_EMAIL") is not None


def test_a_mobile_one_of_whose_readings_is_a_mobile_is_a_reading_to_confirm() -> None:
    record = clean_application()
    _read_two_ways(record, "basic_info.head.mobile", "1380000000", "13800000000")
    found = run(record)
    assert _finding(found, "INVALID_PHONE", "basic_info.head.mobile") is None
    assert _finding(found, "LOW_CONFIDENCE", "basic_info.head.mobile") is not None
    record = clean_application()
    _read_two_ways(record, "basic_info.head.mobile", "1380000000", "1380000001")  # no reading is a mobile
    assert _finding(run(record), "INVALID_PHONE", "basic_info.head.mobile") is not None
