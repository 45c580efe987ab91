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
