"""Round 22's flags: rows a category's cell runs on past, lost (`checks.figures.rows_below`)."""

from __future__ import annotations

import models
from tests.test_checks import _set, clean_application
from tests.test_doubt import _by_code, _checks, _seal

ROW = 22.0  # a row's height on the page


def _institutions_read(universities_cell_rows: int) -> models.ApplicationRecord:
    """附3表1 read from a fax: one investor and one university row read, the university category's merged cell
    `universities_cell_rows` rows tall (dev40 a06: 之江实验室 under the seal, lost)."""
    record = clean_application()
    top = 100.0
    spans = [(top, top + ROW), (top + ROW, top + ROW * (1 + universities_cell_rows))]
    for index, (cell_top, cell_bottom) in enumerate(spans):
        row_top = top + ROW * index
        record.provenance[f"appendix.institutions[{index}].category"] = models.Provenance(
            page=11, bbox=[57, cell_top, 190, cell_bottom], confidence=1.0, source="ocr")
        record.provenance[f"appendix.institutions[{index}].name"] = models.Provenance(
            page=11, bbox=[252, row_top, 538, row_top + ROW], confidence=0.99, source="ocr")
    return record


def test_a_count_short_by_rows_its_category_cell_runs_on_past_is_a_doubt_of_the_table() -> None:
    record = _institutions_read(universities_cell_rows=2)
    _set("basic_info.resources[1].universities", 2)(record)
    _set("basic_info.resources[0].universities", 2)(record)
    found = _by_code(_checks(record))
    assert ("UNIVERSITY_COUNT_MISMATCH", "") not in found
    assert ("LOW_CONFIDENCE", "appendix.institutions") in found


def test_a_count_beyond_what_the_lost_rows_could_hold_stays_an_error() -> None:
    # dev37 a08: four universities read, the cell five rows tall, seven declared: short whatever the lost row.
    record = _institutions_read(universities_cell_rows=2)
    _set("basic_info.resources[1].universities", 4)(record)
    _set("basic_info.resources[0].universities", 4)(record)
    assert _by_code(_checks(record))[("UNIVERSITY_COUNT_MISMATCH", "")].severity == "error"
    # A cell as tall as the rows read beside it: the count is as read.
    record = _institutions_read(universities_cell_rows=1)
    _set("basic_info.resources[1].universities", 2)(record)
    _set("basic_info.resources[0].universities", 2)(record)
    assert _by_code(_checks(record))[("UNIVERSITY_COUNT_MISMATCH", "")].severity == "error"


def test_a_seal_read_from_another_point_of_its_ring_is_a_doubt_not_another_units_seal() -> None:
    # dev40 a03: the cover's seal of 台州卓正数字科技集团有限公司 read '有限公司直州集团' (begun at its legal form).
    record = clean_application()
    record.cover.applicant = record.basic_info.lead_unit.name = "台州卓正数字科技集团有限公司"
    _seal("appendix2_table1", "有限公司直州集团")(record)
    _seal("appendix3_table3", "有限公司宁波星嘉")(record)  # another unit's, whichever point it is read from
    found = _by_code(_checks(record))
    assert ("SEAL_NAME_MISMATCH", "appendix2_table1") not in found
    assert ("LOW_CONFIDENCE", "seal_slots.appendix2_table1") in found
    assert ("SEAL_NAME_MISMATCH", "appendix3_table3") in found
