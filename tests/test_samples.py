"""The sample corpus: truth files honour the contract, generation is deterministic, defects show up."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from models import ApplicationTruth, RecommendationTruth, parse_truth
from samples.charcount import count_chars

CORPUS = Path(__file__).resolve().parent.parent / "samples" / "corpus"
TRUTHS = sorted(CORPUS.glob("*.truth.json"))


def test_corpus_present_and_small() -> None:
    assert len(TRUTHS) >= 12
    size = sum(p.stat().st_size for p in CORPUS.iterdir() if p.is_file())
    assert size < 40 * 1024 * 1024, f"corpus is {size / 1e6:.1f} MB"


@pytest.mark.parametrize("path", TRUTHS, ids=lambda p: p.name)
def test_truth_round_trips(path: Path) -> None:
    raw = path.read_text(encoding="utf-8")
    record = parse_truth(raw)
    again = parse_truth(json.dumps(record.model_dump(mode="json"), ensure_ascii=False))
    assert again == record
    # The truth describes the file beside it.
    doc = path.with_name(record.source.file)
    assert doc.exists()
    assert hashlib.sha256(doc.read_bytes()).hexdigest() == record.source.sha256
    assert record.source.page_count == len(record.source.pages) == len(record.page_text)


def test_corpus_composition() -> None:
    records = [parse_truth(p.read_text(encoding="utf-8")) for p in TRUTHS]
    kinds = [r.generator["kind"] for r in records]
    assert kinds.count("scan") >= 5 and kinds.count("digital") >= 3 and kinds.count("mixed") >= 2
    assert kinds.count("image") >= 1
    assert sum(isinstance(r, RecommendationTruth) for r in records) >= 2
    scans = [r for r in records if r.generator["kind"] == "scan"]
    assert any(r.generator["colour"] == "grey" for r in scans)
    assert any(p.rotation for r in scans for p in r.source.pages)


def test_section_chars_follow_the_rule() -> None:
    assert count_chars("2025年服务企业120家，合同额3,560.5万元。") == 16
    for path in TRUTHS:
        record = parse_truth(path.read_text(encoding="utf-8"))
        if isinstance(record, ApplicationTruth):
            for section in record.plan.sections:
                assert section.chars == count_chars(section.text)


def test_injected_defects_are_expected() -> None:
    """Every defect the generator says it injected shows up as its check in the same truth file."""
    codes = {
        "contract_total": "CONTRACT_TOTAL_MISMATCH", "enterprise_count": "ENTERPRISE_COUNT_MISMATCH",
        "trainee_total": "TRAINEE_TOTAL_MISMATCH", "investor_count": "INVESTOR_COUNT_MISMATCH",
        "university_count": "UNIVERSITY_COUNT_MISMATCH", "provider_count": "PROVIDER_COUNT_MISMATCH",
        "financing_total": "FINANCING_TOTAL_MISMATCH", "cumulative_decrease": "CUMULATIVE_DECREASE",
        "contract_date": "CONTRACT_DATE_OUT_OF_RANGE", "training_date": "TRAINING_DATE_OUT_OF_RANGE",
        "duplicate_contract_no": "DUPLICATE_CONTRACT_NO", "invalid_credit_code": "INVALID_CREDIT_CODE",
        "not_legal_person": "NOT_LEGAL_PERSON", "too_many_industries": "TOO_MANY_INDUSTRIES",
        "unknown_industry": "UNKNOWN_INDUSTRY", "too_many_members": "TOO_MANY_MEMBERS",
        "insufficient_experience": "INSUFFICIENT_EXPERIENCE", "word_limit": "WORD_LIMIT_EXCEEDED",
        "section_missing": "SECTION_MISSING", "few_areas": "TOO_FEW_CONTENT_AREAS",
        "goals_not_by_year": "GOALS_NOT_BY_YEAR", "provider_industries": "PROVIDER_TOO_MANY_INDUSTRIES",
        "provider_capability": "PROVIDER_CAPABILITY_TOO_LONG", "invalid_phone": "INVALID_PHONE",
        "invalid_email": "INVALID_EMAIL", "fill_date_late": "FILL_DATE_OUT_OF_WINDOW", "seal_missing": "SEAL_MISSING",
        "signature_missing": "SIGNATURE_MISSING", "seal_name_mismatch": "SEAL_NAME_MISMATCH", "attachment_missing": "ATTACHMENT_MISSING",
        "agreement_missing": "CONSORTIUM_AGREEMENT_MISSING", "blank_field": "FIELD_MISSING",
        "quota_exceeded": "RECOMMENDATION_QUOTA_EXCEEDED", "plan_city": "RECOMMENDER_NOT_ELIGIBLE",
        "batch:duplicate_applicant": "DUPLICATE_APPLICANT", "batch:shared_contract": "SHARED_CONTRACT",
    }
    seen: set[str] = set()
    for path in TRUTHS:
        record = parse_truth(path.read_text(encoding="utf-8"))
        found = {check.code for check in record.expected_checks}
        for defect in record.generator["defects"]:
            # A defect whose table or section was later removed by another defect is masked by design.
            if defect in codes and codes[defect] not in found:
                assert _masked(record, defect), f"{path.name}: {defect} injected but {codes[defect]} not expected"
            seen.add(defect)
    assert {"contract_total", "seal_missing", "word_limit", "invalid_credit_code"} <= seen


def _masked(record: ApplicationTruth | RecommendationTruth, defect: str) -> bool:
    codes = {c.code for c in record.expected_checks}
    return bool(codes & {"ATTACHMENT_MISSING", "SECTION_MISSING", "FIELD_MISSING", "TOO_MANY_MEMBERS"})


def test_clean_application_expects_nothing() -> None:
    records = [parse_truth(p.read_text(encoding="utf-8")) for p in TRUTHS]
    clean = [r for r in records if isinstance(r, ApplicationTruth) and not r.generator["defects"]]
    assert clean
    batch_codes = {"CONSORTIUM_QUOTA_EXCEEDED", "DUPLICATE_APPLICANT", "SHARED_CONTRACT"}
    assert any({c.code for c in r.expected_checks} <= batch_codes for r in clean)


def test_generator_is_deterministic(tmp_path: Path) -> None:
    from samples.generate import generate_corpus

    first = generate_corpus(tmp_path / "a", count=2, seed=7, max_dpi=60)
    second = generate_corpus(tmp_path / "b", count=2, seed=7, max_dpi=60)
    assert [p.name for p in first] == [p.name for p in second]
    for a, b in zip(first, second, strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name
        ta, tb = (p.with_name(p.stem + ".truth.json").read_text(encoding="utf-8") for p in (a, b))
        assert ta == tb
        parse_truth(ta)


def test_defect_rule_fires() -> None:
    """Defects injected on a fresh application add exactly their checks to what the rules expect."""
    import random

    from samples import content, defects, rules
    from samples.layout import Page
    from samples.truth import PlacedPage, application_truth

    def codes(app: content.Application) -> set[tuple[str, str]]:
        roles = ["cover", "basic_info", "plan", "commitment", *rules.TABLE_ROLES]
        record = application_truth(app, "x.pdf", b"", [PlacedPage(Page(role=r), "text") for r in roles], {})
        return {(c.code, c.where) for c in rules.application_checks(record, has_agreement=app.agreement_page)}

    app = content.make_application(random.Random(3), "x", "浙江省", scanned=False, members=0)
    before = codes(app)
    defects.inject(random.Random(4), app, ["invalid_email", "not_legal_person", "fill_date_late"])
    added = codes(app) - before
    assert added == {("INVALID_EMAIL", ""), ("NOT_LEGAL_PERSON", ""), ("FILL_DATE_OUT_OF_WINDOW", "")}
    defects.inject(random.Random(5), app, ["cumulative_decrease"])
    assert {code for code, _ in codes(app) - before} == {
        "INVALID_EMAIL", "NOT_LEGAL_PERSON", "FILL_DATE_OUT_OF_WINDOW", "CUMULATIVE_DECREASE"}


def check_scores(truths: list[ApplicationTruth | RecommendationTruth]) -> tuple[int, int, int, list[str]]:
    """Run every check and the batch checks on the truth records themselves (a perfect reading) and
    compare with their `expected_checks` on (code, where), LOW_CONFIDENCE aside as dtpc eval does:
    (true positives, false positives, false negatives, the differences)."""
    from pipeline.checks import CheckContext, run_batch_checks, run_checks
    from pipeline.evaluation import READING_QUALITY_CODES

    predictions = []
    for truth in truths:
        record = truth.model_copy(deep=True)
        # A truth record holds no pages to read: the generator says whether it drew an agreement page.
        agreement = truth.generator.get("agreement_page") if isinstance(truth, ApplicationTruth) else None
        record.checks = run_checks(CheckContext(record=record, has_consortium_agreement=agreement))
        predictions.append(record)
    run_batch_checks(predictions)
    tp = fp = fn = 0
    differences = []
    for truth, record in zip(truths, predictions, strict=True):
        expected = {(c.code, c.where) for c in truth.expected_checks if c.code not in READING_QUALITY_CODES}
        found = {(c.code, c.where) for c in record.checks if c.code not in READING_QUALITY_CODES}
        tp, fp, fn = tp + len(expected & found), fp + len(found - expected), fn + len(expected - found)
        if expected != found:
            differences.append(f"{truth.source.file}: extra {sorted(found - expected)}, missed {sorted(expected - found)}")
    return tp, fp, fn, differences


def test_checks_on_truth_records_have_precision_and_recall_one() -> None:
    """The target: on a perfect reading every injected defect is found and nothing else is flagged."""
    tp, fp, fn, differences = check_scores([parse_truth(p.read_text(encoding="utf-8")) for p in TRUTHS])
    assert not differences, "\n".join(differences)
    assert tp >= 40 and fp == fn == 0
