"""Round 20's flags (flags20): a part not found where a page whose role is in doubt stands in its place."""

from __future__ import annotations

import models
from pipeline.checks.pages import doubtful_pages, part_in_doubt
from tests.test_checks import clean_application, codes, run

QUAD = [[10.0, 10.0], [900.0, 12.0], [905.0, 1300.0], [8.0, 1290.0]]


def _photographed(record: models.ApplicationRecord) -> None:
    for page in record.source.pages:
        page.flattening = models.PageFlattening(quad=QUAD)


def _table1_read_as_commitment() -> models.ApplicationRecord:
    """dev36 a01: 附2表1's photographed page read as a second 真实性承诺 page, its seal slot so unfilled."""
    record = clean_application()
    page = next(p for p in record.source.pages if p.role == "appendix2_table1")
    page.role = "commitment"
    record.seal_slots.appendix2_table1 = False
    record.appendix.products = []
    return record


def test_a_part_whose_place_holds_a_second_page_of_a_one_page_part_is_a_doubt_not_missing() -> None:
    record = _table1_read_as_commitment()
    found = run(record)
    keys = {(c.code, c.where) for c in found}
    assert ("ATTACHMENT_MISSING", "appendix2_table1") not in keys
    assert ("SEAL_MISSING", "appendix2_table1") not in keys  # one cause, one finding
    doubt = next(c for c in found if c.code == "LOW_CONFIDENCE" and c.where == "appendix2_table1")
    assert doubt.severity != "error" and "第 5 页" in doubt.message


def test_a_true_missing_part_beside_the_doubtful_page_is_still_an_error() -> None:
    # The same misread page, and 附3表2 left out: its place (between 附3表1 and 附3表3) holds no doubtful page.
    record = _table1_read_as_commitment()
    record.source.pages = [p for p in record.source.pages if p.role != "appendix3_table2"]
    record.appendix.providers = []
    record.seal_slots.appendix3_table2 = False
    found = run(record)
    missing = next(c for c in found if (c.code, c.where) == ("ATTACHMENT_MISSING", "appendix3_table2"))
    assert missing.severity == "error"
    assert ("SEAL_MISSING", "appendix3_table2") in {(c.code, c.where) for c in found}


def test_a_missing_part_with_every_page_recognised_is_an_error() -> None:
    record = clean_application()
    record.source.pages = [p for p in record.source.pages if p.role != "appendix2_table1"]
    record.seal_slots.appendix2_table1 = False
    assert part_in_doubt(record, "appendix2_table1") == []
    assert {("ATTACHMENT_MISSING", "appendix2_table1"), ("SEAL_MISSING", "appendix2_table1")} <= codes(record)


def _plan_end_read_blank(photographed: bool) -> models.ApplicationRecord:
    """dev36 a09: the plan's last page, photographed, where no paper was found: read as a blank page."""
    record = clean_application()
    record.plan.sections = [s for s in record.plan.sections if s.key != "guarantee"]
    if photographed:
        _photographed(record)
    pages = record.source.pages
    plan = next(p.page for p in pages if p.role == "plan")
    for page in pages:
        if page.page > plan:
            page.page += 1
    pages.insert(plan, models.SourcePage(page=plan + 1, kind="scan", role="blank",
                                         flattening=models.PageFlattening(quad=None, illumination=True)))
    record.source.page_count = len(pages)
    return record


def test_a_section_not_found_beside_a_photo_read_blank_without_its_paper_is_a_doubt() -> None:
    record = _plan_end_read_blank(photographed=True)
    assert list(doubtful_pages(record)) == [4]
    found = run(record)
    assert ("SECTION_MISSING", "guarantee") not in {(c.code, c.where) for c in found}
    doubt = next(c for c in found if c.code == "LOW_CONFIDENCE" and c.where == "plan.sections")
    assert "（四）组织保障" in doubt.message and "第 4 页" in doubt.message


def test_a_blank_page_of_a_scanned_package_is_blank_and_a_missing_section_an_error() -> None:
    # A scanner's blank sheet beside the plan (dev33 a11) says nothing of a section left out.
    record = _plan_end_read_blank(photographed=False)
    assert doubtful_pages(record) == {}
    missing = next(c for c in run(record) if (c.code, c.where) == ("SECTION_MISSING", "guarantee"))
    assert missing.severity == "error"
