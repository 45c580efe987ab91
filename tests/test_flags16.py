"""flags16: recommended units the letter names and the table read lost; cover names read with their label's text run on."""

from __future__ import annotations

import pytest

import models
from pipeline.checks import run_batch_checks
from tests.test_checks import _batch, recommendation


@pytest.mark.parametrize(("read", "found"), [
    ("宁波另一家智能装备有限公司（造单位4", True),  # the cover's （盖章） run in after the whole name
    ("宁波另一家智能装备有限公司 (盖章)", True),
    ("宁波另一家（集团）", False),  # the recommended name not there in full
])
def test_a_recommended_unit_is_found_in_an_applicants_name_read_with_its_labels_text_run_on(read: str,
                                                                                          found: bool) -> None:
    _, second, _, _ = _batch()
    second.cover.applicant = read
    second.basic_info.lead_unit.name = None
    second.provenance["cover.applicant"] = models.Provenance(page=1, source="ocr", confidence=0.85)
    letter = recommendation("浙江省", ["宁波另一家智能装备有限公司"])
    codes = {c.code for c in run_batch_checks([second, letter])}
    assert ("RECOMMENDED_NOT_FOUND" not in codes) is found


def test_a_name_the_letter_gives_and_the_table_lost_is_recommended_too() -> None:
    # The table read without its first row (a drawn scan): the letter names 某某科技有限公司, a consortium.
    first, second, resubmitted, letter = _batch()
    letter.recommendation.recommended = letter.recommendation.recommended[1:]
    summary = {(c.code, c.where) for c in run_batch_checks([first, second, resubmitted, letter])}
    assert ("CONSORTIUM_QUOTA_EXCEEDED", "浙江省") in summary
    assert ("CONSORTIUM_QUOTA_EXCEEDED", "浙江省") in {(c.code, c.where) for c in first.checks}
    assert not any(c.code == "RECOMMENDED_NOT_FOUND" for c in letter.checks)


def test_a_letter_naming_no_more_units_than_the_table_read_adds_none() -> None:
    first, second, resubmitted, letter = _batch()
    letter.recommendation.letter_names = ["某某科技有限公司", "宁波另一家智能装备有限公司", "温州第三家"]  # its last name misread
    summary = {(c.code, c.where) for c in run_batch_checks([first, second, resubmitted, letter])}
    assert not any(code == "RECOMMENDED_NOT_FOUND" for code, _ in summary)


def test_a_name_only_the_letter_gives_that_finds_no_application_is_not_reported() -> None:
    first, second, resubmitted, letter = _batch()
    letter.recommendation.recommended = letter.recommendation.recommended[1:]
    letter.recommendation.letter_names[0] = "台州和智工业技术股份有限公司"  # no application of the batch
    summary = {(c.code, c.where) for c in run_batch_checks([first, second, resubmitted, letter])}
    assert not any(code == "RECOMMENDED_NOT_FOUND" for code, _ in summary)
