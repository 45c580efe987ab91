"""flags15: a count of names the form's figure settles where one name was read unsurely beside a surer look-alike."""

from __future__ import annotations

import datetime as dt

import models
from pipeline.checks import CheckContext, run_checks
from pipeline.config import Settings
from pipeline.reconcile import reconcile
from tests.test_checks import _set, clean_application

SETTINGS = Settings()


def _found(record: models.ApplicationRecord) -> dict[tuple[str, str], models.Check]:
    reconcile(record, SETTINGS)
    return {(c.code, c.where): c for c in run_checks(CheckContext(record=record, settings=SETTINGS))}


def _with_2025_names(first: str, second: str, confidence: float, declared: int) -> models.ApplicationRecord:
    """2025's contracts: 乙公司 and two more names, the last one read at `confidence`."""
    record = clean_application()
    for index, (name, sure) in enumerate(((first, 0.98), (second, confidence)), start=3):
        record.appendix.contracts.append(models.ContractRow(date=dt.date(2025, 6, index), contract_no=f"HT-{index + 1}",
                                                            enterprise=name, amount=10.0))
        for cell in ("date", "contract_no", "enterprise", "amount"):
            origin = record.provenance["appendix.contracts[2].amount"]
            record.provenance[f"appendix.contracts[{index}].{cell}"] = origin.model_copy(
                update={"confidence": sure if cell == "enterprise" else 0.99})
    _set("basic_info.service[1].contract_amount", 320.0)(record)
    _set("basic_info.service[1].enterprises", declared)(record)
    return record


SURE = "泉州捷华金属制品股份有限公司"
SLIPPED = "泉州捷华金属制品股潮晨公司"  # three characters from SURE (a phone photo's reading)


def test_a_name_read_unsurely_beside_a_surer_look_alike_is_that_name_when_the_form_says_so() -> None:
    # 乙公司 and one enterprise read twice: the form's 2 agrees once the unsure reading is taken for its look-alike.
    assert ("ENTERPRISE_COUNT_MISMATCH", "2025") not in _found(_with_2025_names(SURE, SLIPPED, 0.87, 2))


def test_the_same_names_read_surely_are_two_enterprises() -> None:
    check = _found(_with_2025_names(SURE, SLIPPED, 0.99, 2))[("ENTERPRISE_COUNT_MISMATCH", "2025")]
    assert check.severity == "warning" and check.found == "3"  # a few characters apart: a doubt, as before


def test_folding_the_unsure_name_does_not_hide_a_count_the_form_gets_wrong() -> None:
    # Folded or not, three or two enterprises: the form's 5 is short either way (a true defect).
    assert ("ENTERPRISE_COUNT_MISMATCH", "2025") in _found(_with_2025_names(SURE, SLIPPED, 0.87, 5))


def test_an_unsure_name_far_from_every_other_is_not_folded() -> None:
    found = _found(_with_2025_names(SURE, "无锡宏海陶瓷有限公司", 0.87, 2))
    check = found[("ENTERPRISE_COUNT_MISMATCH", "2025")]
    assert check.severity == "error" and check.found == 3  # three names read, none a look-alike: the form is short


def _financings(amounts: list[float], declared: float, doubtful: dict[int, float]) -> models.ApplicationRecord:
    """附3表3 with `amounts`; the rows in `doubtful` read at that confidence and read twice without agreeing."""
    record = clean_application()
    record.appendix.financings = [models.FinancingRow(seq=index + 1, investor="某基金", investee=f"丙{index}公司",
                                                      amount=amount) for index, amount in enumerate(amounts)]
    origin = record.provenance["appendix.financings[0].amount"]
    for index in range(len(amounts)):
        sure = doubtful.get(index)
        record.provenance[f"appendix.financings[{index}].amount"] = origin.model_copy(
            update={"source": "ocr", "confidence": 0.99} if sure is None else
            {"source": "ocr", "confidence": sure, "confirmed_by": []})
    _set("basic_info.resources[1].financing", declared)(record)
    return record


def test_a_doubtful_amount_without_a_point_above_the_whole_total_is_a_doubt_of_that_amount() -> None:
    # '930.11' read 93,011 and '210.5' read 21.5 on a fax: the sum is far over 1,240.61, on readings that say nothing.
    found = _found(_financings([93011.0, 21.5, 100.0], 1240.61, {0: 0.7, 1: 0.7}))
    assert ("FINANCING_TOTAL_MISMATCH", "") not in found
    doubt = found[("LOW_CONFIDENCE", "appendix.financings[0].amount")]
    assert "合计未核对" in doubt.message and doubt.severity != "error"


def test_such_an_amount_not_yet_read_twice_keeps_the_warning_for_the_second_reading() -> None:
    record = _financings([93011.0, 21.5, 100.0], 1240.61, {0: 0.7, 1: 0.7})
    record.provenance["appendix.financings[0].amount"] = record.provenance[
        "appendix.financings[0].amount"].model_copy(update={"confirmed_by": None})
    assert _found(record)[("FINANCING_TOTAL_MISMATCH", "")].severity == "warning"


def test_an_amount_with_its_point_or_under_the_total_stays_a_doubtful_mismatch() -> None:
    for amounts in ([930.5, 21.5, 100.0], [930.0, 21.5, 100.0]):  # a point read, or a whole number under the total
        check = _found(_financings(amounts, 1240.61, {0: 0.7, 1: 0.7}))[("FINANCING_TOTAL_MISMATCH", "")]
        assert check.severity == "warning"


def test_the_mismatch_stays_where_the_other_amounts_alone_exceed_the_total() -> None:
    check = _found(_financings([93011.0, 1500.0, 100.0], 1240.61, {0: 0.7}))[("FINANCING_TOTAL_MISMATCH", "")]
    # 1,600 without the doubtful amount is over 1,240.61 already: no reading of it closes the gap, so the
    # mismatch does not rest on its doubt (flags21) and is an error.
    assert check.severity == "error"


def test_a_sure_amount_above_the_total_stays_an_error() -> None:
    check = _found(_financings([93011.0, 21.5, 100.0], 1240.61, {}))[("FINANCING_TOTAL_MISMATCH", "")]
    assert check.severity == "error"


def test_a_years_contract_amount_without_a_point_above_its_total_is_a_doubt_too() -> None:
    record = clean_application()
    record.appendix.contracts[2].amount = 30011.0  # 2025's one contract, '300.11' read without its point
    record.provenance["appendix.contracts[2].amount"] = record.provenance["appendix.contracts[2].amount"].model_copy(
        update={"source": "ocr", "confidence": 0.7, "confirmed_by": []})
    found = _found(record)
    assert ("CONTRACT_TOTAL_MISMATCH", "2025") not in found
    assert ("LOW_CONFIDENCE", "appendix.contracts[2].amount") in found


def _numbered(numbers: list[str]) -> models.ApplicationRecord:
    record = clean_application()
    record.appendix.contracts = [models.ContractRow(date=dt.date(2024, 3, 1 + index), contract_no=number,
                                                    enterprise="甲公司", amount=0.0)
                                 for index, number in enumerate(numbers)]
    origin = record.provenance["appendix.contracts[0].amount"]
    for index in range(len(numbers)):
        for cell in ("date", "contract_no", "enterprise", "amount"):
            # Each row in its own place: numbers alike read from one place are one cell (`figures.one_place`).
            record.provenance[f"appendix.contracts[{index}].{cell}"] = origin.model_copy(
                update={"source": "ocr", "confidence": 0.99, "bbox": [60.0, 100.0 + 20 * index, 500.0, 115.0 + 20 * index]})
    return record


def test_a_duplicate_number_read_off_the_tables_scheme_is_a_warning_naming_the_numbers() -> None:
    # dev23 a10 (drawn scan): 'RAS-FW-2024012' twice, read 'RAS-PW-…' both times: a duplicate, its number misread.
    numbers = ["RAS-FW-2024007", "RAS-PW-2024012", "RAS-PW-2024012", "RAS-FW-2024024", "RAS-FW-2025031"]
    check = _found(_numbered(numbers))[("DUPLICATE_CONTRACT_NO", "RAS-PW-2024012")]
    assert check.severity == "warning" and "appendix.contracts[1].contract_no" in check.doubts
    assert "格式不同" in check.message


def test_a_duplicate_number_in_the_tables_scheme_stays_an_error() -> None:
    numbers = ["RAS-FW-2024007", "RAS-FW-2024012", "RAS-FW-2024012", "RAS-FW-2024024", "RAS-FW-2025031"]
    assert _found(_numbered(numbers))[("DUPLICATE_CONTRACT_NO", "RAS-FW-2024012")].severity == "error"
    # Without two other numbers agreeing on a scheme, nothing says a number departs from it.
    numbers = ["RAS-FW-2024007", "RAS-PW-2024012", "RAS-PW-2024012", "HT2024024"]
    assert _found(_numbered(numbers))[("DUPLICATE_CONTRACT_NO", "RAS-PW-2024012")].severity == "error"


def test_a_character_no_address_holds_before_a_known_domain_is_its_at() -> None:
    from pipeline.normalise import repair_email
    # dev23 a08 (a photo of a drawn scan): '@' read as the Greek 'φ'.
    reading = repair_email("nqjd685φ163.com")
    assert reading is not None and reading.value == "nqjd685@163.com" and reading.repaired_from == "nqjd685φ163.com"
    for written in ("dea1298#126.com", "jqw1483qq.com", "ab§company.com", "张三φ163.com"):
        reading = repair_email(written)  # an applicant's '#', a left-out '@', no known domain, a Chinese character
        assert reading is not None and reading.value == written


def _applicant(name: str, code: str, doubtful: bool) -> models.ApplicationRecord:
    record = clean_application()
    record.basic_info.lead_unit.name = name
    record.basic_info.lead_unit.credit_code = code
    path = "basic_info.lead_unit.credit_code"
    record.provenance[path] = record.provenance[path].model_copy(
        update={"source": "ocr", "confidence": 0.97, "confirmed_by": [] if doubtful else ["tesseract"]})
    reconcile(record, SETTINGS)
    record.checks = run_checks(CheckContext(record=record, settings=SETTINGS))
    return record


def test_a_doubtful_code_failing_its_check_a_character_from_another_applicants_is_that_code() -> None:
    from pipeline.checks.batch import run_batch_checks
    # dev23 a12 (a photo of a drawn scan): 'M' of a02's code read 'N', a duplicate applicant missed.
    first = _applicant("台州创捷软件有限公司", "91350100M000100Y43", doubtful=False)
    second = _applicant("泉州产业数字化研究院", "91350100N000100Y43", doubtful=True)
    assert ("INVALID_CREDIT_CODE", "") in {(c.code, c.where) for c in second.checks}
    run_batch_checks([first, second], SETTINGS)
    found = {(c.code, c.where): c for c in second.checks}
    assert found[("DUPLICATE_APPLICANT", "91350100M000100Y43")].severity == "warning"
    assert ("INVALID_CREDIT_CODE", "") not in found  # the duplicate's warning names the reading and its check character
    assert "basic_info.lead_unit.credit_code" in found[("DUPLICATE_APPLICANT", "91350100M000100Y43")].doubts
    assert ("DUPLICATE_APPLICANT", "91350100M000100Y43") in {(c.code, c.where) for c in first.checks}


def test_a_code_read_surely_or_far_from_every_other_stays_invalid() -> None:
    from pipeline.checks.batch import run_batch_checks
    for code, doubtful in (("91350100N000100Y43", False), ("91350100N000200Y43", True)):
        first = _applicant("台州创捷软件有限公司", "91350100M000100Y43", doubtful=False)
        second = _applicant("泉州产业数字化研究院", code, doubtful=doubtful)
        run_batch_checks([first, second], SETTINGS)
        found = {c.code for c in second.checks}
        assert "INVALID_CREDIT_CODE" in found and "DUPLICATE_APPLICANT" not in found
