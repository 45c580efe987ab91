"""Round 18's flags (flags18)."""

from __future__ import annotations

import models
from pipeline.config import Settings
from pipeline.reconcile import UNIT_TYPE_OTHER, reconcile, settled_doubts
from tests.test_checks import clean_application

UNIT_TYPE = "basic_info.lead_unit.unit_type"


def _unit_type_read_unsurely(other: str | None) -> tuple[models.ApplicationRecord, list[models.Check]]:
    """The lead unit's type read 其它 at 0.5 (a faint tick), its fill-in read as `other`, and the reader's
    LOW_CONFIDENCE for the tick."""
    record = clean_application()
    record.basic_info.lead_unit.unit_type = "其它"
    record.basic_info.lead_unit.unit_type_other = other
    record.provenance[UNIT_TYPE] = models.Provenance(page=2, bbox=[150.0, 210.0, 300.0, 222.0], confidence=0.5,
                                                     source="pixels")
    doubt = models.Check(code="LOW_CONFIDENCE", severity="info", where=UNIT_TYPE,
                         message="识别置信度 0.50 低于 0.60，请人工核对")
    return record, [doubt]


def test_a_fill_in_read_beside_an_unsure_other_tick_settles_it() -> None:
    # dev30 a01, a06: 其它 read at 0.5 with 产业园区运营单位 / 事业单位 written after 请标明.
    settings = Settings()
    record, stage = _unit_type_read_unsurely("事业单位")
    reconcile(record, settings)
    assert record.provenance[UNIT_TYPE].resolved_by == UNIT_TYPE_OTHER
    assert settled_doubts(record, settings, stage) == []


def test_an_unsure_other_tick_without_a_fill_in_stays_a_doubt() -> None:
    # dev30 a02: 制造业企业 read as 其它 at 0.5, nothing after 请标明; a stroke read as one character is no fill-in.
    settings = Settings()
    for other in (None, "", "一", "__)"):
        record, stage = _unit_type_read_unsurely(other)
        reconcile(record, settings)
        assert record.provenance[UNIT_TYPE].resolved_by is None
        assert settled_doubts(record, settings, stage) == stage


def test_a_readers_own_choice_stays_a_doubt() -> None:
    # A column's precision picked a reading as likelier, not proven by the form: its doubt stays.
    settings = Settings()
    record = clean_application()
    path = "appendix.contracts[0].amount"
    record.provenance[path] = record.provenance[path].model_copy(update={"resolved_by": "COLUMN_PRECISION",
                                                                         "confidence": 0.55})
    stage = [models.Check(code="LOW_CONFIDENCE", severity="info", where=path, message="识别置信度 0.55")]
    assert settled_doubts(record, settings, stage) == stage
    record.provenance[path] = record.provenance[path].model_copy(update={"resolved_by": "CONTRACT_TOTAL_2024"})
    assert settled_doubts(record, settings, stage) == []


def test_a_total_whose_other_readings_only_lost_its_characters_implies_its_figures() -> None:
    # dev32 a02: 2025's trainees 799 read at 0.9999 on the page and alike by the digits engine, a second engine's
    # '7' on its crop kept as an alternative: that reading saw fewer of its characters, and says nothing against it.
    from pipeline.implied import total_to_go_by

    settings = Settings()
    page = models.Provenance(page=2, bbox=[0, 0, 10, 10], confidence=0.9999, confirmed_by=["tesseract-digits"],
                             alternatives=[7])
    assert total_to_go_by(page, settings, 799)
    assert total_to_go_by(page.model_copy(update={"alternatives": [79, 99]}), settings, 799)
    assert not total_to_go_by(page, settings)  # the value not given: as before, in doubt
    assert not total_to_go_by(page.model_copy(update={"alternatives": [7, 788]}), settings, 799)  # a rival reading
    assert not total_to_go_by(page.model_copy(update={"alternatives": [1799]}), settings, 799)  # a fuller one
    assert not total_to_go_by(page.model_copy(update={"confidence": 0.85}), settings, 799)  # unsure on the page


def _contract_numbers_alike(same_place: bool) -> dict[tuple[str, str], models.Check]:
    """附2表2's first two rows read with one contract number, from one place of the page or from two."""
    from tests.test_checks import PAGE_OF, run

    record = clean_application()
    page = PAGE_OF[models.APPENDIX_TABLE_ROLES["contracts"]]
    for index in (0, 1):
        record.appendix.contracts[index].contract_no = "HT-1"
        top = 100.0 if same_place else 100.0 + 20 * index
        record.provenance[f"appendix.contracts[{index}].contract_no"] = models.Provenance(
            page=page, bbox=[80.0, top, 260.0, top + (40.0 if same_place else 18.0)], confidence=0.99, source="ocr")
    return {(c.code, c.where): c for c in run(record)}


def test_a_number_read_once_into_two_rows_is_the_tables_doubt() -> None:
    # dev32 a03: one cell over two rows' dates and numbers (their rule lost on a drawn scan) read into both rows.
    found = _contract_numbers_alike(same_place=True)
    assert ("DUPLICATE_CONTRACT_NO", "HT-1") not in found
    doubt = found[("LOW_CONFIDENCE", "appendix.contracts")]
    assert "DUPLICATE_CONTRACT_NO" in doubt.message


def test_a_number_printed_in_two_rows_stays_a_duplicate() -> None:
    found = _contract_numbers_alike(same_place=False)
    assert found[("DUPLICATE_CONTRACT_NO", "HT-1")].severity == "error"


def _financings_numbered(seqs: list[int], first_alternatives: list[int]) -> models.ApplicationRecord:
    record = clean_application()
    record.appendix.financings = [models.FinancingRow(seq=seq, investor="某基金", investee="丙公司", amount=10.0)
                                  for seq in seqs]
    for index in range(len(seqs)):
        record.provenance[f"appendix.financings[{index}].seq"] = models.Provenance(
            page=14, bbox=[80.0, 100.0 + 20 * index, 118.0, 115.0 + 20 * index], confidence=0.99, source="ocr")
    first = "appendix.financings[0].seq"
    record.provenance[first] = record.provenance[first].model_copy(
        update={"confidence": 0.7, "alternatives": first_alternatives})
    return record


def test_a_seq_read_two_ways_takes_its_place_in_the_run() -> None:
    # dev32 a05: the financings' first 序号 read 7, or 1, beside 2 and 3.
    record = _financings_numbered([7, 2, 3], [1])
    reconcile(record, Settings())
    assert [row.seq for row in record.appendix.financings] == [1, 2, 3]
    assert record.provenance["appendix.financings[0].seq"].resolved_by == "SEQ_RUN_FINANCINGS"


def test_a_seq_no_reading_of_which_makes_the_run_stays_in_doubt() -> None:
    # A row lost above: 2, 3, 4 read (the first read 2 or 7); no reading makes 1, 2, 3, and nothing is picked.
    record = _financings_numbered([2, 3, 4], [7])
    reconcile(record, Settings())
    assert [row.seq for row in record.appendix.financings] == [2, 3, 4]
    assert record.provenance["appendix.financings[0].seq"].unsettled


def _financings_read(amounts: list[float], declared: float) -> models.ApplicationRecord:
    """附3表3 read as `amounts` (from pixels, surely), the form's 2025 累计 financing `declared`."""
    record = clean_application()
    record.appendix.financings = [models.FinancingRow(seq=i + 1, investor="某基金", investee="丙公司", amount=amount)
                                  for i, amount in enumerate(amounts)]
    for index in range(len(amounts)):
        record.provenance[f"appendix.financings[{index}].amount"] = models.Provenance(
            page=14, bbox=[430.0, 100.0 + 25 * index, 520.0, 120.0 + 25 * index], confidence=0.99, source="ocr",
            confirmed_by=["rapidocr"])
    record.basic_info.resources[1].financing = declared
    return record


def test_two_amounts_that_lost_their_points_are_put_right_together() -> None:
    # dev32 a11: '1,551.52' and '2,803.12' read 155152 and 280312 on a drawn scan; the form's 5,540.63 holds
    # to the cent with both points put back, and with neither alone.
    from tests.test_checks import run

    record = _financings_read([972.09, 213.9, 155152.0, 280312.0], 5540.63)
    reconcile(record, Settings())
    assert [row.amount for row in record.appendix.financings] == [972.09, 213.9, 1551.52, 2803.12]
    assert record.provenance["appendix.financings[3].amount"].resolved_by == "FINANCING_TOTAL:POINT_LOST"
    assert not any(c.code == "FINANCING_TOTAL_MISMATCH" for c in run(record))


def test_a_total_no_two_points_put_back_make_hold_stays_a_mismatch() -> None:
    # The applicant's total 100 short: no pair of points holds it; the amounts stay as read and the sum fails.
    from tests.test_checks import run

    record = _financings_read([972.09, 213.9, 155152.0, 280312.0], 5440.63)
    reconcile(record, Settings())
    assert record.appendix.financings[2].amount == 155152.0
    assert any(c.code == "FINANCING_TOTAL_MISMATCH" and c.severity == "error" for c in run(record))
