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
