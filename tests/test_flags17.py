"""Round 17's flags (flags17): a count over a table whose rows ended well above its stamp is the table's doubt."""

from __future__ import annotations

import models
from tests.test_checks import PAGE_OF, _set, clean_application, run


def _stamped(record: models.ApplicationRecord, top: float) -> models.ApplicationRecord:
    """附3表2 read as one row (its cells' boxes from `_box(0)`), its stamp's top at `top` on the same page, and
    the form's 2025 providers declared 3."""
    role = models.APPENDIX_TABLE_ROLES["providers"]
    record.seals.append(models.Seal(page=PAGE_OF[role], bbox=[400, top, 480, top + 80], slot=role))
    _set("basic_info.resources[1].providers", 3)(record)
    return record


def _bottom_of_last_row(record: models.ApplicationRecord) -> float:
    origin = record.provenance["appendix.providers[0].name"]
    assert origin.bbox is not None
    return origin.bbox[3]


def test_a_count_over_rows_that_end_well_above_the_tables_stamp_is_the_tables_doubt() -> None:
    record = clean_application()
    found = {(c.code, c.where): c for c in run(_stamped(record, _bottom_of_last_row(record) + 40))}
    assert ("PROVIDER_COUNT_MISMATCH", "") not in found
    doubt = found[("LOW_CONFIDENCE", "appendix.providers")]
    assert doubt.doubts == ["appendix.providers"] and "PROVIDER_COUNT_MISMATCH" in doubt.message


def test_a_stamp_over_the_last_row_leaves_the_count_an_error() -> None:
    record = clean_application()
    found = {(c.code, c.where): c for c in run(_stamped(record, _bottom_of_last_row(record) - 20))}
    assert found[("PROVIDER_COUNT_MISMATCH", "")].severity == "error"


def test_a_stamp_on_another_page_leaves_the_count_an_error() -> None:
    record = clean_application()
    _stamped(record, _bottom_of_last_row(record) + 40).seals[-1].page += 1
    found = {(c.code, c.where): c for c in run(record)}
    assert found[("PROVIDER_COUNT_MISMATCH", "")].severity == "error"


def test_a_total_read_surely_whose_crop_read_nothing_implies_its_figures() -> None:
    from pipeline.config import Settings
    from pipeline.implied import total_to_go_by

    settings = Settings()
    page = models.Provenance(page=2, bbox=[0, 0, 10, 10], confidence=0.99)
    assert total_to_go_by(page, settings)  # not read again: as sure as the page reads it
    assert total_to_go_by(page.model_copy(update={"confirmed_by": []}), settings)  # the crop read nothing
    assert not total_to_go_by(page.model_copy(update={"confirmed_by": [], "alternatives": [65]}), settings)
    assert not total_to_go_by(page.model_copy(update={"confirmed_by": [], "confidence": 0.85}), settings)
    assert not total_to_go_by(page.model_copy(update={"alternatives": [65, 365]}), settings)  # unsettled


def _financings_over(declared: float, amounts: tuple[float, ...]) -> dict[tuple[str, str], models.Check]:
    """附3表3 read as `amounts` and the form's 2025 累计 financing as `declared`, all unsurely (2024's 1,711.1
    sure): the total mismatch rests on every one of them."""
    record = clean_application()
    record.appendix.financings = [models.FinancingRow(seq=i + 1, investor="某基金", investee="丙公司", amount=amount)
                                  for i, amount in enumerate(amounts)]
    role = models.APPENDIX_TABLE_ROLES["financings"]
    for index in range(len(amounts)):
        record.provenance[f"appendix.financings[{index}].amount"] = models.Provenance(
            page=PAGE_OF[role], bbox=[60.0, 100.0 + 20 * index, 500.0, 115.0 + 20 * index], confidence=0.7)
    _set("basic_info.resources[0].financing", 1711.1)(record)
    _set("basic_info.resources[1].financing", declared)(record)
    path = "basic_info.resources[1].financing"
    record.provenance[path] = record.provenance[path].model_copy(update={"confidence": 0.7})
    return {(c.code, c.where): c for c in run(record)}


def test_a_declared_total_below_each_of_its_figures_is_one_doubt_about_that_total() -> None:
    # dev25 a05: 2025's 累计 financing '2,292' read 2.29 beside 1,087 and 1,205: the total and the
    # not-decreasing rule fail together on that one reading.
    found = _financings_over(2.29, (1087.0, 1205.0))
    assert ("FINANCING_TOTAL_MISMATCH", "") not in found and ("CUMULATIVE_DECREASE", "financing") not in found
    doubt = found[("LOW_CONFIDENCE", "basic_info.resources[1].financing")]
    assert "FINANCING_TOTAL_MISMATCH" in doubt.message and "CUMULATIVE_DECREASE" in doubt.message


def test_a_declared_total_above_one_of_its_figures_leaves_both_findings() -> None:
    found = _financings_over(500.0, (1087.0, 205.0))  # 205 below the total: nothing says which reading is off
    assert found[("FINANCING_TOTAL_MISMATCH", "")].severity == "warning"
    assert found[("CUMULATIVE_DECREASE", "financing")].severity == "warning"
