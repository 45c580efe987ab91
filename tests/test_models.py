"""The output contract: schema in sync, validators, round trips."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

import models
from models.codes import (
    CREDIT_CODE_ALPHABET,
    canonical_industry,
    credit_code_check_char,
    is_valid_credit_code,
    normalise_credit_code,
)

ROOT = Path(__file__).resolve().parents[1]
# Published examples of valid unified social credit codes.
VALID_CODES = ["91350100M000100Y43", "91110000600037341L", "91440300708461136T"]


def test_committed_schema_matches_models() -> None:
    committed = json.loads((ROOT / "models" / "schema.json").read_text(encoding="utf-8"))
    assert committed == models.json_schema(), "run `dtpc schema > models/schema.json`"


@pytest.mark.parametrize("code", VALID_CODES)
def test_valid_credit_codes(code: str) -> None:
    assert is_valid_credit_code(code)


@pytest.mark.parametrize("code", VALID_CODES)
def test_every_single_substitution_is_caught(code: str) -> None:
    for position in range(18):
        for char in CREDIT_CODE_ALPHABET:
            if char != code[position]:
                corrupted = code[:position] + char + code[position + 1:]
                assert not is_valid_credit_code(corrupted), corrupted


@pytest.mark.parametrize("code", ["", "9135010", "91350100M000100Y4", "91350100M000100Y433", "91350100M0001O0Y43",
                                  "91350100I000100Y43", None])
def test_malformed_credit_codes(code: str | None) -> None:
    assert not is_valid_credit_code(code)


@given(st.text(alphabet=CREDIT_CODE_ALPHABET, min_size=17, max_size=17))
def test_check_char_completes_any_body(body: str) -> None:
    check = credit_code_check_char(body)
    assert check is not None and is_valid_credit_code(body + check)


def test_credit_code_normalised_on_the_record() -> None:
    lead = models.LeadUnit(credit_code=" 9135 0100m000100y43 ")
    assert lead.credit_code == "91350100M000100Y43"
    assert normalise_credit_code("９１３５") == "9135"


def test_invalid_credit_code_is_kept_for_the_reviewer() -> None:
    assert models.LeadUnit(credit_code="91350100M000100Y44").credit_code == "91350100M000100Y44"


@pytest.mark.parametrize(("written", "canonical"), [("电子信息", "电子信息制造"), ("机械行业", "机械"), ("汽车", "汽车"),
                                                    ("生物医药", "医药"), ("人工智能", "人工智能")])
def test_industries_map_to_canonical_names_but_records_keep_what_they_are_given(written: str, canonical: str) -> None:
    assert canonical_industry(written) == canonical
    # No alias table in the models: a truth file keeps its literal text, so an alias mistake cannot
    # be made on truth and prediction alike (the pipeline names industries when it reads them).
    assert models.LeadUnit(main_industries=[written]).main_industries == [written]
    assert models.Recommended(rank=1, industries=[written]).industries == [written]


def test_dates_must_be_real_iso_dates() -> None:
    assert models.Cover(fill_date="2026-06-12").fill_date is not None
    with pytest.raises(ValidationError):
        models.Cover(fill_date="2026-02-30")


def test_year_tables_hold_2024_then_2025() -> None:
    with pytest.raises(ValidationError):
        models.BasicInfo(finance=[models.FinanceYear(year=2025), models.FinanceYear(year=2024)])


def test_unknown_keys_are_refused() -> None:
    with pytest.raises(ValidationError):
        models.Cover.model_validate({"applicant": "x", "applicnat": "y"})


def test_content_areas_kept_in_notice_order() -> None:
    assert models.Plan(content_areas=["数据共享", "评估咨询"]).content_areas == ["评估咨询", "数据共享"]


def test_record_round_trip_through_json() -> None:
    record = models.ApplicationRecord(
        source=models.Source(file="a.pdf", sha256="0" * 64, page_count=1,
                             pages=[models.SourcePage(page=1, kind="scan", role="cover")]),
        cover=models.Cover(applicant="某某科技有限公司", fill_date="2026-06-12"),
        checks=[models.Check(code="FIELD_MISSING", severity="error", where="cover.phone")],
    )
    again = models.parse_record(models.record_json(record))
    assert again == record


def test_unreadable_record_parses() -> None:
    record = models.UnreadableRecord(source=models.Source(file="x.pdf", sha256="", page_count=0))
    assert models.parse_record(models.record_json(record)).doc_type == "unknown"
