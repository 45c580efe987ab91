"""Checks on hand-made records: each rule fires on its defect, and only there."""

from __future__ import annotations

import datetime as dt

import pytest

import models
from pipeline.checks import CheckContext, run_batch_checks, run_checks

ALL_ROLES = ["cover", "basic_info", "plan", "commitment", "appendix2_table1", "appendix2_table2", "appendix2_table3",
             "appendix3_table1", "appendix3_table2", "appendix3_table3"]


def clean_application(file: str = "a.pdf") -> models.ApplicationRecord:
    """A record that passes every check."""
    contracts = [
        models.ContractRow(date=dt.date(2024, 3, 5), contract_no="HT-1", enterprise="甲公司", amount=100.0),
        models.ContractRow(date=dt.date(2024, 5, 1), contract_no="HT-2", enterprise="甲公司", amount=20.5),
        models.ContractRow(date=dt.date(2025, 1, 9), contract_no="HT-3", enterprise="乙公司", amount=300.0),
    ]
    return models.ApplicationRecord(
        source=models.Source(file=file, sha256="0" * 64, page_count=len(ALL_ROLES),
                             pages=[models.SourcePage(page=i + 1, kind="scan", role=role) for i, role in enumerate(ALL_ROLES)]),
        cover=models.Cover(applicant="某某科技有限公司", recommender="浙江省经济和信息化厅", contact="张三",
                           phone="0571-88886666", fill_date=dt.date(2026, 6, 12)),
        basic_info=models.BasicInfo(
            lead_unit=models.LeadUnit(name="某某科技有限公司", credit_code="91350100M000100Y43",
                                      established=dt.date(2016, 3, 18), is_legal_person=True, registered_capital=5000.0,
                                      registered_address="浙江省杭州市滨江区", main_industries=["机械", "汽车"],
                                      unit_type="服务商"),
            head=models.Head(name="李四", title="总经理", mobile="13800000000", email="a@b.cn"),
            finance=[models.FinanceYear(year=2024, revenue=1.0, net_margin=2.0, debt_ratio=3.0),
                     models.FinanceYear(year=2025, revenue=1.0, net_margin=2.0, debt_ratio=3.0)],
            service=[models.ServiceYear(year=2024, enterprises=1, contract_amount=120.5, trainees=30),
                     models.ServiceYear(year=2025, enterprises=1, contract_amount=300.0, trainees=0)],
            resources=[models.ResourceYear(year=2024, investors=1, financing=100.0, universities=1, providers=1),
                       models.ResourceYear(year=2025, investors=1, financing=500.0, universities=1, providers=1)],
        ),
        plan=models.Plan(
            sections=[models.PlanSection(key=k, title=t, limit=lim, chars=10, text="…") for k, t, lim in
                      [("foundation", "（一）基础条件", 1000), ("goals", "（二）建设目标", 500),
                       ("content", "（三）建设内容", 2500), ("guarantee", "（四）组织保障", 500)]],
            content_areas=["评估咨询", "方案开发", "数据共享"], goal_years=[2026, 2027, 2028]),
        appendix=models.Appendix(
            contracts=contracts,
            trainings=[models.TrainingRow(date=dt.date(2024, 7, 1), name="培训", participants=30)],
            institutions=[models.InstitutionRow(category="投融资机构", seq=1, name="某基金"),
                          models.InstitutionRow(category="高校科研院所", seq=1, name="某大学")],
            providers=[models.ProviderRow(seq=1, name="某服务商", industries=["机械"], capability="工业软件")],
            financings=[models.FinancingRow(seq=1, investor="某基金", investee="丙公司", amount=500.0)],
        ),
        seal_slots=models.ApplicationSealSlots(**dict.fromkeys(models.ApplicationSealSlots.model_fields, True)),
        signatures=models.Signatures(commitment_legal_rep=True),
    )


def codes(record: models.ApplicationRecord | models.RecommendationRecord, agreement: bool | None = None) -> set[tuple[str, str]]:
    return {(c.code, c.where) for c in run_checks(CheckContext(record=record, has_consortium_agreement=agreement))}


def test_clean_record_has_no_findings() -> None:
    assert codes(clean_application()) == set()


def test_contract_total_mismatch_by_year() -> None:
    record = clean_application()
    record.basic_info.service[1].contract_amount = 310.0
    found = run_checks(CheckContext(record=record))
    [check] = [c for c in found if c.code == "CONTRACT_TOTAL_MISMATCH"]
    assert (check.where, check.expected, check.found) == ("2025", 310.0, 300.0)


def test_amounts_within_a_hundredth_agree() -> None:
    record = clean_application()
    record.basic_info.service[0].contract_amount = 120.509
    assert codes(record) == set()


@pytest.mark.parametrize(("mutate", "expected"), [
    (lambda r: setattr(r.basic_info.service[0], "enterprises", 2), ("ENTERPRISE_COUNT_MISMATCH", "2024")),
    (lambda r: setattr(r.basic_info.service[0], "trainees", 31), ("TRAINEE_TOTAL_MISMATCH", "2024")),
    (lambda r: setattr(r.basic_info.resources[1], "investors", 2), ("INVESTOR_COUNT_MISMATCH", "")),
    (lambda r: setattr(r.basic_info.resources[1], "universities", 2), ("UNIVERSITY_COUNT_MISMATCH", "")),
    (lambda r: setattr(r.basic_info.resources[1], "providers", 3), ("PROVIDER_COUNT_MISMATCH", "")),
    (lambda r: setattr(r.basic_info.resources[1], "financing", 400.0), ("FINANCING_TOTAL_MISMATCH", "")),
    (lambda r: setattr(r.basic_info.resources[0], "universities", 2), ("CUMULATIVE_DECREASE", "universities")),
    (lambda r: setattr(r.basic_info.lead_unit, "credit_code", "91350100M000100Y44"), ("INVALID_CREDIT_CODE", "")),
    (lambda r: setattr(r.basic_info.lead_unit, "is_legal_person", False), ("NOT_LEGAL_PERSON", "")),
    (lambda r: setattr(r.basic_info.lead_unit, "main_industries", ["机械", "汽车", "钢铁", "纺织"]), ("TOO_MANY_INDUSTRIES", "")),
    (lambda r: setattr(r.basic_info.lead_unit, "main_industries", ["机械", "元宇宙"]), ("UNKNOWN_INDUSTRY", "元宇宙")),
    (lambda r: setattr(r.basic_info, "members", [models.Member(name=f"成员{i}") for i in range(7)]), ("TOO_MANY_MEMBERS", "")),
    (lambda r: setattr(r.basic_info.lead_unit, "established", dt.date(2024, 6, 1)), ("INSUFFICIENT_EXPERIENCE", "")),
    (lambda r: setattr(r.basic_info.head, "mobile", "2380000000"), ("INVALID_PHONE", "basic_info.head.mobile")),
    (lambda r: setattr(r.cover, "phone", "12345"), ("INVALID_PHONE", "cover.phone")),
    (lambda r: setattr(r.basic_info.head, "email", "a.b.cn"), ("INVALID_EMAIL", "")),
    (lambda r: setattr(r.cover, "fill_date", dt.date(2026, 6, 21)), ("FILL_DATE_OUT_OF_WINDOW", "")),
    (lambda r: setattr(r.plan.sections[1], "chars", 501), ("WORD_LIMIT_EXCEEDED", "goals")),
    (lambda r: setattr(r.plan, "content_areas", ["评估咨询", "数据共享"]), ("TOO_FEW_CONTENT_AREAS", "")),
    (lambda r: setattr(r.plan, "goal_years", [2026, 2028]), ("GOALS_NOT_BY_YEAR", "")),
    (lambda r: setattr(r.seal_slots, "appendix3_table2", False), ("SEAL_MISSING", "appendix3_table2")),
    (lambda r: setattr(r.signatures, "commitment_legal_rep", False), ("SIGNATURE_MISSING", "commitment_legal_rep")),
    (lambda r: setattr(r.cover, "contact", None), ("FIELD_MISSING", "cover.contact")),
    (lambda r: setattr(r.basic_info.resources[0], "financing", None), ("FIELD_MISSING", "basic_info.resources[0].financing")),
    (lambda r: setattr(r.basic_info.lead_unit, "unit_type", "其它"), ("FIELD_MISSING", "basic_info.lead_unit.unit_type_other")),
])
def test_each_rule_fires_alone(mutate, expected: tuple[str, str]) -> None:  # type: ignore[no-untyped-def]
    record = clean_application()
    mutate(record)
    assert codes(record) == {expected}


def test_out_of_range_and_duplicate_contracts() -> None:
    record = clean_application()
    record.appendix.contracts.append(models.ContractRow(date=dt.date(2023, 12, 31), contract_no="HT-1",
                                                        enterprise="甲公司", amount=0.0))
    record.appendix.trainings.append(models.TrainingRow(date=dt.date(2026, 1, 2), name="x", participants=0))
    assert codes(record) == {("CONTRACT_DATE_OUT_OF_RANGE", "HT-1"), ("DUPLICATE_CONTRACT_NO", "HT-1"),
                             ("TRAINING_DATE_OUT_OF_RANGE", "2")}


def test_missing_table_page_gives_one_cause_not_a_cascade() -> None:
    record = clean_application()
    record.source.pages = [p for p in record.source.pages if p.role != "appendix2_table2"]
    record.appendix.contracts = []
    record.seal_slots.appendix2_table2 = False
    assert codes(record) == {("ATTACHMENT_MISSING", "appendix2_table2"), ("SEAL_MISSING", "appendix2_table2")}


def test_missing_section_skips_its_own_checks() -> None:
    record = clean_application()
    record.plan.sections = [s for s in record.plan.sections if s.key != "content"]
    record.plan.content_areas = []
    assert codes(record) == {("SECTION_MISSING", "content")}


def test_unreadable_table_cell_is_field_missing_not_a_silent_pass() -> None:
    record = clean_application()
    record.appendix.contracts[0].amount = None
    assert ("FIELD_MISSING", "appendix.contracts[0].amount") in codes(record)
    assert not any(code == "CONTRACT_TOTAL_MISMATCH" for code, _ in codes(record))


def test_consortium_agreement() -> None:
    record = clean_application()
    record.basic_info.members = [models.Member(name="某大学", type="高校")]
    assert codes(record, agreement=False) == {("CONSORTIUM_AGREEMENT_MISSING", "")}
    assert codes(record, agreement=True) == set()


def test_low_confidence_from_provenance() -> None:
    record = clean_application()
    record.provenance["basic_info.head.mobile"] = models.Provenance(page=2, bbox=[1, 2, 3, 4], confidence=0.3)
    [check] = [c for c in run_checks(CheckContext(record=record)) if c.code == "LOW_CONFIDENCE"]
    assert check.where == "basic_info.head.mobile" and check.severity == "info"
    assert check.evidence[0].page == 2


def recommendation(province: str, names: list[str]) -> models.RecommendationRecord:
    return models.RecommendationRecord(
        source=models.Source(file=f"{province}.pdf", sha256="1" * 64, page_count=2),
        recommendation=models.Recommendation(province=province, date=dt.date(2026, 6, 28),
                                             recommended=[models.Recommended(rank=i + 1, name=n) for i, n in enumerate(names)]),
        seal_slots=models.RecommendationSealSlots(recommendation_letter=True, recommendation_table=True),
    )


def test_recommendation_quota_and_eligibility() -> None:
    assert codes(recommendation("浙江省", ["a", "b", "c"])) == set()
    assert codes(recommendation("山西省", ["a", "b", "c"])) == {("RECOMMENDATION_QUOTA_EXCEEDED", "山西省")}
    assert codes(recommendation("宁波市", ["a"])) == {("RECOMMENDER_NOT_ELIGIBLE", "宁波市")}


def test_batch_checks_mark_every_record_involved() -> None:
    first, second, resubmitted = (clean_application(name) for name in ("a.pdf", "b.pdf", "c.pdf"))
    second.basic_info.lead_unit.name = second.cover.applicant = "另一家公司"
    second.basic_info.lead_unit.credit_code = "91110000600037341L"
    second.appendix.contracts = second.appendix.contracts[:1]
    resubmitted.appendix.contracts = []
    for record in (first, second):
        record.basic_info.members = [models.Member(name="成员")]
    letter = recommendation("浙江省", ["某某科技有限公司", "另一家公司", "不存在的单位"])
    summary = {(c.code, c.where) for c in run_batch_checks([first, second, resubmitted, letter])}
    assert summary == {("CONSORTIUM_QUOTA_EXCEEDED", "浙江省"), ("RECOMMENDED_NOT_FOUND", "不存在的单位"),
                       ("DUPLICATE_APPLICANT", "91350100M000100Y43"), ("SHARED_CONTRACT", "HT-1")}
    assert ("DUPLICATE_APPLICANT", "91350100M000100Y43") in {(c.code, c.where) for c in resubmitted.checks}
    assert ("SHARED_CONTRACT", "HT-1") in {(c.code, c.where) for c in second.checks}
    assert ("CONSORTIUM_QUOTA_EXCEEDED", "浙江省") in {(c.code, c.where) for c in letter.checks}


def test_provider_rules_by_seq() -> None:
    record = clean_application()
    record.basic_info.resources[1].providers = 2
    record.appendix.providers.append(models.ProviderRow(seq=2, name="某服务商二", industries=["机械", "汽车", "钢铁", "纺织"],
                                                        capability="工业互联网平台建设" * 6))
    assert codes(record) == {("PROVIDER_TOO_MANY_INDUSTRIES", "2"), ("PROVIDER_CAPABILITY_TOO_LONG", "2")}


def test_distinct_enterprises_forgive_one_ocr_slip_in_a_long_name() -> None:
    from pipeline.checks.figures import distinct_names

    assert distinct_names(["杭州甲乙科技有限公司", "杭州甲已科技有限公司", "杭州 甲乙科技有限公司"]) == 1
    assert distinct_names(["杭州甲乙科技有限公司", "宁波丙丁科技有限公司"]) == 2
    assert distinct_names(["甲公司", "乙公司"]) == 2  # short names: one character is the whole difference
