"""Checks on hand-made records: each rule of CHECKS.md fires on its defect, and only there.

Every code in the catalogue has a case that triggers it (code, severity, where, a message naming
the figures, evidence) and a clean case just inside its limit that does not.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from pydantic import ValidationError

import models
from pipeline.checks import CheckContext, run_batch_checks, run_checks
from pipeline.checks.batch import batch_summary, match_application, name_key
from pipeline.checks.catalogue import BATCH_CODES, CODES, RUNNER_CODES
from pipeline.checks.registry import registered_for
from pipeline.config import CheckSettings, Settings

ALL_ROLES = ["cover", "basic_info", "plan", "commitment", "appendix2_table1", "appendix2_table2", "appendix2_table3",
             "appendix3_table1", "appendix3_table2", "appendix3_table3"]
PAGE_OF = {role: number for number, role in enumerate(ALL_ROLES, start=1)}


def _box(row: int) -> list[float]:
    return [60.0, 100.0 + 20 * row, 500.0, 115.0 + 20 * row]


def clean_application(file: str = "a.pdf") -> models.ApplicationRecord:
    """A record that passes every check, with provenance for the fields and cells the figures compare."""
    contracts = [
        models.ContractRow(date=dt.date(2024, 3, 5), contract_no="HT-1", enterprise="甲公司", amount=100.0),
        models.ContractRow(date=dt.date(2024, 5, 1), contract_no="HT-2", enterprise="甲公司", amount=20.5),
        models.ContractRow(date=dt.date(2025, 1, 9), contract_no="HT-3", enterprise="乙公司", amount=300.0),
    ]
    record = models.ApplicationRecord(
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
    prov = record.provenance
    for index, name in enumerate(("contract_amount", "enterprises", "trainees")):
        for year in (0, 1):
            prov[f"basic_info.service[{year}].{name}"] = models.Provenance(page=2, bbox=_box(10 + 2 * index + year))
    for year in (0, 1):
        for index, name in enumerate(("investors", "financing", "universities", "providers")):
            prov[f"basic_info.resources[{year}].{name}"] = models.Provenance(page=2, bbox=_box(20 + 4 * year + index))
    for path, page in (("basic_info.lead_unit.credit_code", 2), ("basic_info.head.mobile", 2),
                       ("basic_info.head.email", 2), ("cover.phone", 1), ("cover.fill_date", 1),
                       ("basic_info.lead_unit.established", 2), ("basic_info.lead_unit.main_industries", 2)):
        prov[path] = models.Provenance(page=page, bbox=_box(1))
    for table, rows in (("contracts", 3), ("trainings", 1), ("institutions", 2), ("providers", 1), ("financings", 1)):
        role = models.APPENDIX_TABLE_ROLES[table]
        for index in range(rows):
            for cell in ("date", "contract_no", "enterprise", "amount", "participants", "name", "capability",
                         "industries"):
                prov[f"appendix.{table}[{index}].{cell}"] = models.Provenance(page=PAGE_OF[role], bbox=_box(index))
    return record


def run(record: models.ApplicationRecord | models.RecommendationRecord, agreement: bool | None = None,
        settings: Settings | None = None) -> list[models.Check]:
    return run_checks(CheckContext(record=record, settings=settings or Settings(), has_consortium_agreement=agreement))


def codes(record: models.ApplicationRecord | models.RecommendationRecord, agreement: bool | None = None,
          settings: Settings | None = None) -> set[tuple[str, str]]:
    return {(c.code, c.where) for c in run(record, agreement, settings)}


def recommendation(province: str, names: list[str], **seals: bool) -> models.RecommendationRecord:
    return models.RecommendationRecord(
        source=models.Source(file=f"{province}.pdf", sha256="1" * 64, page_count=2,
                             pages=[models.SourcePage(page=1, kind="scan", role="recommendation_letter"),
                                    models.SourcePage(page=2, kind="scan", role="recommendation_table")]),
        recommendation=models.Recommendation(province=province, date=dt.date(2026, 6, 28), letter_names=list(names),
                                             recommended=[models.Recommended(rank=i + 1, name=n) for i, n in enumerate(names)]),
        seal_slots=models.RecommendationSealSlots(**{"recommendation_letter": True, "recommendation_table": True, **seals}),
    )


# ------------------------------------------------------------------ one case per code, and its near miss

Mutate = Callable[[models.ApplicationRecord], object]


@dataclass(frozen=True)
class Case:
    code: str
    where: str
    mutate: Mutate
    mentions: tuple[str, ...]  # figures (or names) the message must name: both sides of a comparison
    agreement: bool | None = None


def _set(path: str, value: object) -> Mutate:
    def mutate(record: models.ApplicationRecord) -> None:
        *parents, leaf = path.split(".")
        target: object = record
        for part in parents:
            name, _, index = part.partition("[")
            target = getattr(target, name)
            if index:
                target = target[int(index.rstrip("]"))]  # type: ignore[index]
        setattr(target, leaf, value)
        origin = record.provenance.get(path)
        if value in (None, [], "") and origin is not None:
            # Nulling a read value here means the applicant left its place blank (measured so by the reader).
            record.provenance[path] = origin.model_copy(update={"blank": True})
    return mutate


def _then(*steps: Mutate) -> Mutate:
    def mutate(record: models.ApplicationRecord) -> None:
        for step in steps:
            step(record)
    return mutate


def _add_contract(row: models.ContractRow) -> Mutate:
    return lambda r: r.appendix.contracts.append(row)


def _add_provider(**fields: object) -> Mutate:
    return _then(_set("basic_info.resources[1].providers", 2),
                 lambda r: r.appendix.providers.append(
                     models.ProviderRow(**{"seq": 2, "name": "某服务商二", "capability": "工业软件", **fields})))


def _drop_page(role: str) -> Mutate:
    def mutate(record: models.ApplicationRecord) -> None:
        record.source.pages = [p for p in record.source.pages if p.role != role]
    return mutate


def _seal(slot: str, text: str) -> Mutate:
    return lambda r: r.seals.append(models.Seal(page=PAGE_OF.get(slot, 1), bbox=[400, 700, 480, 780], text=text,
                                                slot=slot))


SEVEN = [models.Member(name=f"成员单位{i}") for i in range(7)]
LONG = "工业互联网平台建设与运营" * 4 + "数字化转型服务"  # 55 字

TRIGGERS = [
    Case("CONTRACT_TOTAL_MISMATCH", "2025", _set("basic_info.service[1].contract_amount", 310.0), ("300", "310")),
    Case("ENTERPRISE_COUNT_MISMATCH", "2024", _set("basic_info.service[0].enterprises", 2), ("1 家", "2 家")),
    Case("TRAINEE_TOTAL_MISMATCH", "2024", _set("basic_info.service[0].trainees", 31), ("30", "31")),
    Case("INVESTOR_COUNT_MISMATCH", "", _set("basic_info.resources[1].investors", 2), ("1 家", "2 家")),
    Case("UNIVERSITY_COUNT_MISMATCH", "", _set("basic_info.resources[1].universities", 2), ("1 家", "2 家")),
    Case("PROVIDER_COUNT_MISMATCH", "", _set("basic_info.resources[1].providers", 3), ("1 家", "3 家")),
    Case("FINANCING_TOTAL_MISMATCH", "", _set("basic_info.resources[1].financing", 400.0), ("500", "400")),
    Case("CUMULATIVE_DECREASE", "universities", _set("basic_info.resources[0].universities", 2), ("1", "2")),
    Case("CONTRACT_DATE_OUT_OF_RANGE", "HT-9", _then(
        _add_contract(models.ContractRow(date=dt.date(2023, 12, 31), contract_no="HT-9", enterprise="甲公司", amount=0.0))),
        ("2023-12-31", "2024-01-01")),
    Case("TRAINING_DATE_OUT_OF_RANGE", "2", lambda r: r.appendix.trainings.append(
        models.TrainingRow(date=dt.date(2026, 1, 2), name="x", participants=0)), ("2026-01-02", "2025-12-31")),
    Case("DUPLICATE_CONTRACT_NO", "HT-1", _add_contract(
        models.ContractRow(date=dt.date(2025, 2, 1), contract_no="HT-1", enterprise="乙公司", amount=0.0)),
        ("HT-1", "2 次")),
    Case("INVALID_CREDIT_CODE", "", _set("basic_info.lead_unit.credit_code", "91350100M000100Y44"),
         ("91350100M000100Y44", "“3”")),
    Case("NOT_LEGAL_PERSON", "", _set("basic_info.lead_unit.is_legal_person", False), ("否",)),
    Case("TOO_MANY_INDUSTRIES", "", _set("basic_info.lead_unit.main_industries", ["机械", "汽车", "钢铁", "纺织"]),
         ("4 个", "3 个")),
    Case("UNKNOWN_INDUSTRY", "元宇宙", _set("basic_info.lead_unit.main_industries", ["机械", "元宇宙"]),
         ("元宇宙", "14 个")),
    Case("TOO_MANY_MEMBERS", "", _set("basic_info.members", SEVEN), ("7 家", "6 家"), agreement=True),
    Case("INSUFFICIENT_EXPERIENCE", "", _set("basic_info.lead_unit.established", dt.date(2024, 5, 28)),
         ("2024-05-28", "2026-05-27")),
    Case("WORD_LIMIT_EXCEEDED", "goals", _set("plan.sections[1].chars", 501), ("501", "500")),
    Case("SECTION_MISSING", "content", _then(lambda r: r.plan.sections.pop(2), _set("plan.content_areas", [])),
         ("建设内容",)),
    Case("TOO_FEW_CONTENT_AREAS", "", _set("plan.content_areas", ["评估咨询", "数据共享"]), ("2 个", "3 个")),
    Case("GOALS_NOT_BY_YEAR", "", _set("plan.goal_years", [2026, 2028]), ("2027", "2026、2028")),
    Case("PROVIDER_TOO_MANY_INDUSTRIES", "2", _add_provider(industries=["机械", "汽车", "钢铁", "纺织"]), ("4 个", "3 个")),
    Case("PROVIDER_CAPABILITY_TOO_LONG", "2", _add_provider(capability=LONG), ("55 字", "50 字")),
    Case("INVALID_PHONE", "basic_info.head.mobile", _set("basic_info.head.mobile", "2380000000"), ("2380000000",)),
    Case("INVALID_EMAIL", "", _set("basic_info.head.email", "a.b.cn"), ("a.b.cn",)),
    Case("FILL_DATE_OUT_OF_WINDOW", "", _set("cover.fill_date", dt.date(2026, 6, 21)), ("2026-06-21", "2026-06-20")),
    Case("SEAL_MISSING", "appendix3_table2", _set("seal_slots.appendix3_table2", False), ("附3 表2",)),
    Case("SEAL_NAME_MISMATCH", "commitment", _seal("commitment", "另一家无关单位有限公司"),
         ("另一家无关单位有限公司", "某某科技有限公司")),
    Case("SIGNATURE_MISSING", "commitment_legal_rep", _set("signatures.commitment_legal_rep", False), ("法定代表人",)),
    Case("ATTACHMENT_MISSING", "appendix2_table1", _then(_drop_page("appendix2_table1"),
                                                         _set("seal_slots.appendix2_table1", True)), ("附2 表1",)),
    Case("CONSORTIUM_AGREEMENT_MISSING", "", _set("basic_info.members", [models.Member(name="某大学")]),
         ("1 家", "某大学"), agreement=False),
    Case("FIELD_MISSING", "basic_info.resources[0].financing", _set("basic_info.resources[0].financing", None),
         ("2024", "basic_info.resources[0].financing")),
    Case("LOW_CONFIDENCE", "basic_info.head.mobile",
         lambda r: r.provenance.__setitem__("basic_info.head.mobile", models.Provenance(page=2, bbox=_box(1), confidence=0.3)),
         ("0.30", "0.60")),
]

# Just inside each limit: nothing is flagged.
NEAR_MISSES = [
    ("CONTRACT_TOTAL_MISMATCH", _set("basic_info.service[0].contract_amount", 120.51)),
    ("ENTERPRISE_COUNT_MISMATCH", _add_contract(
        models.ContractRow(date=dt.date(2025, 4, 1), contract_no="HT-8", enterprise="乙 公司", amount=0.0))),
    ("TRAINEE_TOTAL_MISMATCH", lambda r: r.appendix.trainings.append(
        models.TrainingRow(date=dt.date(2025, 12, 31), name="y", participants=0))),
    ("INVESTOR_COUNT_MISMATCH", _then(_set("basic_info.resources[1].investors", 2), lambda r: r.appendix.institutions.append(
        models.InstitutionRow(category="投融资机构", seq=2, name="某基金二")))),
    ("UNIVERSITY_COUNT_MISMATCH", _then(_set("basic_info.resources[1].universities", 0),
                                        lambda r: r.appendix.institutions.pop(1),
                                        _set("basic_info.resources[0].universities", 0))),
    ("PROVIDER_COUNT_MISMATCH", _add_provider()),
    ("FINANCING_TOTAL_MISMATCH", _set("basic_info.resources[1].financing", 499.99)),
    ("CUMULATIVE_DECREASE", _set("basic_info.resources[0].universities", 1)),
    ("CONTRACT_DATE_OUT_OF_RANGE", _set("appendix.contracts[0].date", dt.date(2024, 1, 1))),
    ("TRAINING_DATE_OUT_OF_RANGE", _set("appendix.trainings[0].date", dt.date(2024, 1, 1))),
    ("DUPLICATE_CONTRACT_NO", _add_contract(
        models.ContractRow(date=dt.date(2025, 2, 1), contract_no="HT-1A", enterprise="乙公司", amount=0.0))),
    ("INVALID_CREDIT_CODE", _set("basic_info.lead_unit.credit_code", "91110000600037341L")),
    ("NOT_LEGAL_PERSON", _set("basic_info.lead_unit.is_legal_person", True)),
    ("TOO_MANY_INDUSTRIES", _set("basic_info.lead_unit.main_industries", ["机械", "汽车", "钢铁"])),
    ("UNKNOWN_INDUSTRY", lambda r: setattr(r.basic_info, "lead_unit", models.LeadUnit.model_validate(
        {**r.basic_info.lead_unit.model_dump(), "main_industries": ["电子信息", "生物医药行业"]}))),  # aliases
    ("TOO_MANY_MEMBERS", _set("basic_info.members", SEVEN[:6])),
    ("INSUFFICIENT_EXPERIENCE", _set("basic_info.lead_unit.established", dt.date(2024, 5, 27))),
    ("WORD_LIMIT_EXCEEDED", _set("plan.sections[1].chars", 500)),
    ("SECTION_MISSING", _set("plan.sections[0].chars", 0)),
    ("TOO_FEW_CONTENT_AREAS", _set("plan.content_areas", ["评估咨询", "数据共享", "人才培养"])),
    ("GOALS_NOT_BY_YEAR", _set("plan.goal_years", [2025, 2026, 2027, 2028])),
    ("PROVIDER_TOO_MANY_INDUSTRIES", _add_provider(industries=["机械", "汽车", "钢铁"])),
    ("PROVIDER_CAPABILITY_TOO_LONG", _add_provider(capability=LONG[:50])),
    ("INVALID_PHONE", _then(_set("basic_info.head.mobile", "138 0000 0000"), _set("cover.phone", "13800000000"))),
    ("INVALID_EMAIL", _set("basic_info.head.email", "li.si@szzx-tech.com.cn")),
    ("FILL_DATE_OUT_OF_WINDOW", _set("cover.fill_date", dt.date(2026, 6, 20))),
    ("SEAL_MISSING", _set("seal_slots.appendix3_table2", True)),
    ("SEAL_NAME_MISMATCH", _then(_seal("commitment", "某某科技有限责任公司"), _seal("appendix2_table1", ""))),
    ("SIGNATURE_MISSING", _set("signatures.commitment_legal_rep", True)),
    ("ATTACHMENT_MISSING", lambda r: r.source.pages.append(models.SourcePage(page=11, kind="scan", role="other"))),
    ("CONSORTIUM_AGREEMENT_MISSING", _set("basic_info.members", [])),
    ("FIELD_MISSING", _set("basic_info.lead_unit.unit_type_other", None)),  # only needed for 其它
    ("LOW_CONFIDENCE", lambda r: r.provenance.__setitem__("basic_info.head.mobile",
                                                          models.Provenance(page=2, confidence=0.6))),
]


def test_every_code_has_a_trigger_and_a_near_miss() -> None:
    covered = ({case.code for case in TRIGGERS} | {code for code, _ in NEAR_MISSES} | RUNNER_CODES | BATCH_CODES
               | {"RECOMMENDATION_QUOTA_EXCEEDED", "RECOMMENDER_NOT_ELIGIBLE"})
    assert covered == set(CODES)
    assert {case.code for case in TRIGGERS} == {code for code, _ in NEAR_MISSES}
    assert registered_for("application") == {case.code for case in TRIGGERS}
    assert registered_for("recommendation") == {"RECOMMENDATION_QUOTA_EXCEEDED", "RECOMMENDER_NOT_ELIGIBLE",
                                                "SEAL_MISSING", "FIELD_MISSING", "LOW_CONFIDENCE"}


def test_catalogue_matches_checks_md() -> None:
    spec = Path("/work/shared/spec/CHECKS.md")
    if not spec.exists():
        pytest.skip("spec not mounted")
    rows = [line.split("|") for line in spec.read_text(encoding="utf-8").splitlines() if line.startswith("| ")]
    table = {cells[1].strip(): cells[2].strip() for cells in rows if cells[1].strip().isupper()}
    assert set(table) == set(CODES) - {"STAGE_FAILED"}
    assert all(CODES[code].severity == severity for code, severity in table.items())


def test_clean_record_has_no_findings() -> None:
    assert codes(clean_application()) == set()


@pytest.mark.parametrize("case", TRIGGERS, ids=lambda case: case.code)
def test_rule_fires_alone(case: Case) -> None:
    record = clean_application()
    case.mutate(record)
    found = run(record, case.agreement)
    assert {(c.code, c.where) for c in found} == {(case.code, case.where)}
    [check] = found
    assert check.severity == CODES[case.code].severity
    for figure in case.mentions:
        assert figure in check.message, (figure, check.message)
    if case.code != "ATTACHMENT_MISSING":  # no page to point at
        assert check.evidence, "a finding shows where to look"


@pytest.mark.parametrize(("code", "mutate"), NEAR_MISSES, ids=[code for code, _ in NEAR_MISSES])
def test_rule_quiet_just_inside_its_limit(code: str, mutate: Mutate) -> None:
    record = clean_application()
    mutate(record)
    assert codes(record, agreement=True) == set()


def test_comparison_evidence_shows_both_sides() -> None:
    record = clean_application()
    record.basic_info.service[1].contract_amount = 3560.5
    [check] = run(record)
    assert check.message == "附2表2 2025年合同金额合计 300 万元（1 行），与基本情况表填报的 3,560.5 万元不符"
    assert (check.expected, check.found) == (3560.5, 300.0)
    declared, rows = check.evidence
    assert declared.page == 2 and declared.bbox == _box(11)  # basic_info.service[1].contract_amount
    assert rows.page == PAGE_OF["appendix2_table2"] and rows.bbox == _box(2)  # the 2025 row's amount


def test_rows_behind_a_total_are_one_box_per_page() -> None:
    record = clean_application()
    record.basic_info.service[0].contract_amount = 1.0
    [check] = run(record)
    assert [e.page for e in check.evidence] == [2, PAGE_OF["appendix2_table2"]]
    assert check.evidence[1].bbox == [60.0, 100.0, 500.0, 135.0]  # rows 0 and 1 united


def test_amount_tolerance_edge() -> None:
    record = clean_application()
    record.basic_info.service[0].contract_amount = 120.51  # 0.01 off: agrees
    assert codes(record) == set()
    record.basic_info.service[0].contract_amount = 120.52  # 0.02 off: does not
    assert codes(record) == {("CONTRACT_TOTAL_MISMATCH", "2024")}
    record.basic_info.service[0].contract_amount = 120.5
    record.basic_info.resources[1].financing = 500.02
    assert codes(record) == {("FINANCING_TOTAL_MISMATCH", "")}


def test_contract_dates_decide_the_year() -> None:
    record = clean_application()
    record.appendix.contracts[1].date = dt.date(2025, 1, 1)  # 20.5 moves from 2024 to 2025
    assert codes(record) == {("CONTRACT_TOTAL_MISMATCH", "2024"), ("CONTRACT_TOTAL_MISMATCH", "2025"),
                             ("ENTERPRISE_COUNT_MISMATCH", "2025")}


# ------------------------------------------------------------------ one cause, one finding

def test_missing_table_page_gives_one_cause_not_a_cascade() -> None:
    record = clean_application()
    record.source.pages = [p for p in record.source.pages if p.role != "appendix2_table2"]
    record.appendix.contracts = []
    record.seal_slots.appendix2_table2 = False
    assert codes(record) == {("ATTACHMENT_MISSING", "appendix2_table2"), ("SEAL_MISSING", "appendix2_table2")}


@pytest.mark.parametrize("role", ["appendix2_table2", "appendix2_table3", "appendix3_table1", "appendix3_table2",
                                  "appendix3_table3"])
def test_rows_without_their_page_are_not_compared(role: str) -> None:
    """Rows read from a page whose role was not found: the page is missing, nothing is compared."""
    record = clean_application()
    record.source.pages = [p for p in record.source.pages if p.role != role]
    record.basic_info.service[0].contract_amount = 1.0
    record.basic_info.service[0].trainees = 1
    record.basic_info.resources[1].investors = 9
    record.basic_info.resources[1].providers = 9
    record.basic_info.resources[1].financing = 9.0
    record.appendix.providers[0].capability = LONG
    found = {code for code, _ in codes(record)}
    table = next(t for t, r in models.APPENDIX_TABLE_ROLES.items() if r == role)
    assert "ATTACHMENT_MISSING" in found
    blocked = {"contracts": "CONTRACT_TOTAL_MISMATCH", "trainings": "TRAINEE_TOTAL_MISMATCH",
               "institutions": "INVESTOR_COUNT_MISMATCH", "providers": "PROVIDER_COUNT_MISMATCH",
               "financings": "FINANCING_TOTAL_MISMATCH"}[table]
    assert blocked not in found
    if table == "providers":
        assert "PROVIDER_CAPABILITY_TOO_LONG" not in found


def test_missing_commitment_page() -> None:
    record = clean_application()
    record.source.pages = [p for p in record.source.pages if p.role != "commitment"]
    record.seal_slots.commitment = False
    record.signatures.commitment_legal_rep = False
    found = run(record)
    assert {(c.code, c.where) for c in found} == {("ATTACHMENT_MISSING", "commitment"), ("SEAL_MISSING", "commitment"),
                                                  ("SIGNATURE_MISSING", "commitment_legal_rep")}
    assert "缺少真实性承诺页" in next(c.message for c in found if c.code == "SIGNATURE_MISSING")


def test_missing_section_skips_its_own_checks() -> None:
    record = clean_application()
    record.plan.sections = [s for s in record.plan.sections if s.key not in ("content", "goals")]
    record.plan.content_areas = []
    record.plan.goal_years = []
    assert codes(record) == {("SECTION_MISSING", "content"), ("SECTION_MISSING", "goals")}


def test_unreadable_cells_are_low_confidence_not_a_silent_pass() -> None:
    record = clean_application()
    record.appendix.contracts[0].amount = None  # a 2024 row: 2024 cannot be decided, 2025 still can
    record.basic_info.service[0].contract_amount = 500.0  # over the read 20.5: the unread row may make it up
    record.basic_info.service[1].contract_amount = 1.0
    found = codes(record)
    assert ("LOW_CONFIDENCE", "appendix.contracts[0].amount") in found
    assert ("CONTRACT_TOTAL_MISMATCH", "2024") not in found
    assert ("CONTRACT_TOTAL_MISMATCH", "2025") in found


@pytest.mark.parametrize(("mutate", "cell"), [
    (_set("appendix.contracts[2].date", None), "appendix.contracts[2].date"),
    (_set("appendix.contracts[2].enterprise", None), "appendix.contracts[2].enterprise"),
    (_set("appendix.trainings[0].participants", None), "appendix.trainings[0].participants"),
    (_set("appendix.institutions[0].category", None), "appendix.institutions[0].category"),
    (_set("appendix.financings[0].amount", None), "appendix.financings[0].amount"),
    (_set("appendix.providers[0].capability", None), "appendix.providers[0].capability"),
    (_set("appendix.contracts[1].contract_no", None), "appendix.contracts[1].contract_no"),
])
def test_each_unreadable_cell_is_flagged(mutate: Mutate, cell: str) -> None:
    record = clean_application()
    mutate(record)
    found = run(record)
    assert [(c.code, c.where, c.severity) for c in found] == [("LOW_CONFIDENCE", cell, "info")]
    assert found[0].evidence and found[0].message


def test_blank_declared_figure_is_field_missing_and_no_comparison() -> None:
    record = clean_application()
    _set("basic_info.service[1].contract_amount", None)(record)
    _set("basic_info.resources[1].financing", None)(record)
    assert codes(record) == {("FIELD_MISSING", "basic_info.service[1].contract_amount"),
                             ("FIELD_MISSING", "basic_info.resources[1].financing")}


@pytest.mark.parametrize("path", [
    "cover.applicant", "cover.recommender", "cover.contact", "cover.phone", "cover.fill_date",
    "basic_info.lead_unit.name", "basic_info.lead_unit.credit_code", "basic_info.lead_unit.established",
    "basic_info.lead_unit.is_legal_person", "basic_info.lead_unit.registered_capital",
    "basic_info.lead_unit.registered_address", "basic_info.lead_unit.unit_type",
    "basic_info.head.name", "basic_info.head.title", "basic_info.head.mobile", "basic_info.head.email",
    "basic_info.finance[1].revenue", "basic_info.service[0].trainees", "basic_info.resources[0].providers",
])
def test_every_required_field(path: str) -> None:
    record = clean_application()
    _set(path, None)(record)
    assert ("FIELD_MISSING", path) in codes(record)


def test_required_field_rules() -> None:
    record = clean_application()
    _set("basic_info.lead_unit.main_industries", [])(record)
    assert codes(record) == {("FIELD_MISSING", "basic_info.lead_unit.main_industries")}
    record = clean_application()
    record.basic_info.lead_unit.unit_type = "其它"
    assert codes(record) == {("FIELD_MISSING", "basic_info.lead_unit.unit_type_other")}
    record.basic_info.lead_unit.unit_type_other = "行业协会"
    assert codes(record) == set()


def test_invalid_phone_cover_and_landlines() -> None:
    record = clean_application()
    record.cover.phone = "057188"
    assert codes(record) == {("INVALID_PHONE", "cover.phone")}
    for good in ("0571-88886666", "010 12345678", "13912345678", "(0574)87654321"):
        record.cover.phone = good
        assert codes(record) == set(), good


@pytest.mark.parametrize("code", ["91350100M000100Y4", "91350100M000100YI3", "91350100M000100Y44"])
def test_credit_code_problems_are_named(code: str) -> None:
    record = clean_application()
    record.basic_info.lead_unit.credit_code = code
    [check] = run(record)
    assert check.code == "INVALID_CREDIT_CODE" and code in check.message


def test_consortium_agreement_needs_a_reading() -> None:
    record = clean_application()
    record.basic_info.members = [models.Member(name="某大学", type="高校")]
    assert codes(record, agreement=False) == {("CONSORTIUM_AGREEMENT_MISSING", "")}
    assert codes(record, agreement=True) == set()
    assert codes(record, agreement=None) == set()  # the reader could not tell: not decided


def test_stage_findings_come_first_and_are_not_repeated() -> None:
    record = clean_application()
    _set("basic_info.head.mobile", None)(record)
    stage = models.Check(code="LOW_CONFIDENCE", severity="info", where="appendix.contracts[0].amount", message="stage")
    record.appendix.contracts[0].amount = None
    found = run_checks(CheckContext(record=record), [stage])
    assert found[0] is stage
    assert [c.where for c in found if c.code == "LOW_CONFIDENCE"] == ["appendix.contracts[0].amount"]


# ------------------------------------------------------------------ recommendation letters

@pytest.mark.parametrize(("province", "count", "expected"), [
    ("浙江省", 3, set()), ("浙江省", 4, {("RECOMMENDATION_QUOTA_EXCEEDED", "浙江省")}),
    ("河北省", 3, set()), ("山西省", 2, set()), ("山西省", 3, {("RECOMMENDATION_QUOTA_EXCEEDED", "山西省")}),
    ("宁波市", 1, {("RECOMMENDER_NOT_ELIGIBLE", "宁波市")}),
    ("深圳市", 3, {("RECOMMENDER_NOT_ELIGIBLE", "深圳市"), ("RECOMMENDATION_QUOTA_EXCEEDED", "深圳市")}),
    ("广东省", 3, set()), ("辽宁省", 2, set()),
])
def test_recommendation_quota_and_eligibility(province: str, count: int, expected: set[tuple[str, str]]) -> None:
    found = run(recommendation(province, [f"单位{i}" for i in range(count)]))
    assert {(c.code, c.where) for c in found} == expected
    for check in found:
        assert check.severity == "error" and province in check.message and check.evidence
        if check.code == "RECOMMENDATION_QUOTA_EXCEEDED":
            assert f"{count} 家" in check.message and (check.found, check.expected) == (count, count - 1)


def test_recommendation_quota_counts_the_letter_when_the_table_is_short() -> None:
    letter = recommendation("山西省", ["甲", "乙"])
    letter.recommendation.letter_names = ["甲", "乙", "丙"]
    assert codes(letter) == {("RECOMMENDATION_QUOTA_EXCEEDED", "山西省")}


def test_recommendation_seals_and_missing_fields() -> None:
    assert codes(recommendation("浙江省", ["甲"], recommendation_table=False)) == {
        ("SEAL_MISSING", "recommendation_table")}
    assert codes(recommendation("浙江省", ["甲"])) == set()
    blank = recommendation("浙江省", [])
    blank.recommendation.province = None
    # The pages print both always: not found, they were not read (no FIELD_MISSING error for a reading failed).
    # (the two doubts of one part fold into one LOW_CONFIDENCE for it)
    assert codes(blank) == {("LOW_CONFIDENCE", "recommendation")}
    assert all(check.severity == "info" for check in run(blank))


def test_a_recommendation_table_not_found_where_nothing_read_is_a_doubt_not_a_missing_seal() -> None:
    """dev30 r14: a photographed one-page recommendation read too poorly for any unit or its table's title."""
    unread = recommendation("浙江省", [], recommendation_table=False)
    unread.source.pages = unread.source.pages[:1]  # the letter's page only
    found = run(unread)
    assert ("SEAL_MISSING", "recommendation_table") not in {(c.code, c.where) for c in found}
    assert all(check.severity != "error" for check in found)
    # Units read, the table's page not found: the table is missing, and so is its stamp.
    read = recommendation("浙江省", ["甲"], recommendation_table=False)
    read.source.pages = read.source.pages[:1]
    assert ("SEAL_MISSING", "recommendation_table") in codes(read)


def test_document_type_is_decided_from_content_not_the_file_name() -> None:
    from models.page import Document, Page, Word
    from pipeline import layout
    from pipeline.runner import doc_type_of

    def document(truth: str, name: str) -> Document:
        record = models.parse_truth((Path(__file__).parent.parent / "samples" / "corpus" / truth).read_text("utf-8"))
        pages = []
        for number, text in enumerate(record.page_text, start=1):
            lines = [line for line in text.splitlines() if line.strip()]
            words = [Word(text=line, bbox=(50.0, 40.0 + 18 * i, 50.0 + 12 * len(line), 54.0 + 18 * i))
                     for i, line in enumerate(lines)]
            pages.append(Page(number=number, width=595.0, height=842.0, kind="text", words=words))
        layout.assign_roles(pages)
        return Document(path=Path(name), sha256="0" * 64, pages=pages)

    assert doc_type_of(document("r11-digital.truth.json", "application-a01.pdf")) == "recommendation"
    assert doc_type_of(document("a07-digital.truth.json", "recommendation-r1.pdf")) == "application"


# ------------------------------------------------------------------ any input (emitted by the runner)

def test_input_unreadable(tmp_path: Path) -> None:
    from pipeline.runner import unreadable

    bad = tmp_path / "x.pdf"
    bad.write_bytes(b"not a pdf")
    record = unreadable(bad, "不是 PDF 或图片")
    assert [(c.code, c.severity, c.where) for c in record.checks] == [("INPUT_UNREADABLE", "error", "")]
    assert "不是 PDF" in record.checks[0].message and record.source.file == "x.pdf"


def test_page_unreadable_and_stage_failed() -> None:
    from models.page import Document, Page
    from pipeline.result import Extracted
    from pipeline.runner import _page_checks, _stage
    from pipeline.timing import StageTimes

    pages = [Page(number=1, width=595, height=842, kind="scan"),
             Page(number=2, width=595, height=842, kind="scan", error="decode error")]
    checks = _page_checks(Document(path=Path("a.pdf"), sha256="0" * 64, pages=pages))
    assert [(c.code, c.severity, c.where) for c in checks] == [("PAGE_UNREADABLE", "warning", "2")]
    assert _page_checks(Document(path=Path("a.pdf"), sha256="0" * 64, pages=pages[:1])) == []

    failures: list[models.Check] = []

    def broken() -> Extracted[int]:
        raise RuntimeError("boom")

    assert _stage("tables", broken, 0, failures, StageTimes()).value == 0
    assert [(c.code, c.severity, c.where) for c in failures] == [("STAGE_FAILED", "error", "tables")]
    failures.clear()
    assert _stage("tables", lambda: Extracted(1), 0, failures, StageTimes()).value == 1 and failures == []


# ------------------------------------------------------------------ across a batch

def _batch() -> tuple[models.ApplicationRecord, models.ApplicationRecord, models.ApplicationRecord,
                      models.RecommendationRecord]:
    first, second, resubmitted = (clean_application(name) for name in ("a.pdf", "b.pdf", "c.pdf"))
    second.basic_info.lead_unit.name = second.cover.applicant = "宁波另一家智能装备有限责任公司"
    second.basic_info.lead_unit.credit_code = "91110000600037341L"
    second.appendix.contracts = second.appendix.contracts[:1]
    resubmitted.basic_info.lead_unit.credit_code = "91330108MA5AHLYA3T"
    resubmitted.appendix.contracts = []
    resubmitted.basic_info.lead_unit.name = resubmitted.cover.applicant = "温州第三家数字科技有限公司"
    for record in (first, second):
        record.basic_info.members = [models.Member(name="成员")]
    letter = recommendation("浙江省", ["某某科技有限公司", "宁波另一家智能装备有限公司", "温州第三家数字科技有限公司"])
    return first, second, resubmitted, letter


def test_batch_clean() -> None:
    first, second, resubmitted, letter = _batch()
    second.basic_info.members = []
    second.appendix.contracts[0].contract_no = "HT-B1"
    assert run_batch_checks([first, second, resubmitted, letter]) == []
    assert all(not r.checks for r in (first, second, resubmitted, letter))


def test_batch_checks_mark_every_record_involved() -> None:
    first, second, resubmitted, letter = _batch()
    resubmitted.basic_info.lead_unit.credit_code = first.basic_info.lead_unit.credit_code
    letter.recommendation.recommended.append(models.Recommended(rank=4, name="不存在的单位"))
    summary = run_batch_checks([first, second, resubmitted, letter])
    assert {(c.code, c.where, c.severity) for c in summary} == {
        ("CONSORTIUM_QUOTA_EXCEEDED", "浙江省", "error"), ("RECOMMENDED_NOT_FOUND", "不存在的单位", "warning"),
        ("DUPLICATE_APPLICANT", "91350100M000100Y43", "error"), ("SHARED_CONTRACT", "HT-1", "warning")}
    on = {name: {(c.code, c.where) for c in r.checks} for name, r in
          (("first", first), ("second", second), ("resubmitted", resubmitted), ("letter", letter))}
    assert on["first"] == {("CONSORTIUM_QUOTA_EXCEEDED", "浙江省"), ("DUPLICATE_APPLICANT", "91350100M000100Y43"),
                           ("SHARED_CONTRACT", "HT-1")}
    assert on["second"] == {("CONSORTIUM_QUOTA_EXCEEDED", "浙江省"), ("SHARED_CONTRACT", "HT-1")}
    assert on["resubmitted"] == {("DUPLICATE_APPLICANT", "91350100M000100Y43")}
    assert on["letter"] == {("CONSORTIUM_QUOTA_EXCEEDED", "浙江省"), ("RECOMMENDED_NOT_FOUND", "不存在的单位")}
    messages = {c.code: c.message for c in summary}
    assert "a.pdf" in messages["DUPLICATE_APPLICANT"] and "c.pdf" in messages["DUPLICATE_APPLICANT"]
    assert "a.pdf" in messages["SHARED_CONTRACT"] and "b.pdf" in messages["SHARED_CONTRACT"]
    assert "2 个联合体" in messages["CONSORTIUM_QUOTA_EXCEEDED"]
    # Each record carries its own evidence: the credit code's box on its own pages.
    [duplicate] = [c for c in first.checks if c.code == "DUPLICATE_APPLICANT"]
    assert duplicate.evidence and duplicate.evidence[0].page == 2
    assert all(c.evidence for r in (first, second, resubmitted) for c in r.checks)  # the page, without provenance

    report = batch_summary([first, second, resubmitted, letter], summary)
    by_code = {item["code"]: item for item in report["batch_findings"]}
    assert by_code["SHARED_CONTRACT"]["files"] == ["a.pdf", "b.pdf"]
    assert by_code["CONSORTIUM_QUOTA_EXCEEDED"]["files"] == ["a.pdf", "b.pdf", "浙江省.pdf"]
    assert report["files"] == 4 and report["totals"]["error"] == 5


def test_shared_contract_tolerates_enterprise_variants_but_not_other_enterprises() -> None:
    first, second, _, _ = _batch()
    second.appendix.contracts[0].enterprise = "甲 公司"
    assert {c.code for c in run_batch_checks([first, second])} == {"SHARED_CONTRACT"}
    first, second, _, _ = _batch()
    second.appendix.contracts[0].enterprise = "完全不同的企业有限公司"
    assert run_batch_checks([first, second]) == []


@pytest.mark.parametrize(("written", "found"), [
    ("宁波另一家智能装备有限责任公司", True), ("宁波另一家智能装备有限公司", True),
    ("宁波另一家智能装各有限公司", True),  # one OCR slip
    ("宁波 另一家智能装备（有限公司）", True),
    ("杭州完全不同科技有限公司", False), ("宁波", False),
])
def test_recommended_names_match_fuzzily(written: str, found: bool) -> None:
    _, second, _, _ = _batch()
    assert (match_application(written, [second]) is second) is found
    assert name_key("某某有限责任公司") == name_key("某某有限公司")


def test_one_application_is_not_claimed_by_two_names() -> None:
    _, second, _, _ = _batch()
    letter = recommendation("浙江省", ["宁波另一家智能装备有限公司", "宁波另一家智能设备有限公司"])
    assert {(c.code, c.where) for c in run_batch_checks([second, letter])} == {
        ("RECOMMENDED_NOT_FOUND", "宁波另一家智能设备有限公司")}


def test_a_name_listed_twice_is_one_unit_found() -> None:
    _, second, _, _ = _batch()
    letter = recommendation("浙江省", ["宁波另一家智能装备有限公司", "宁波另一家智能装备有限公司"])
    assert run_batch_checks([second, letter]) == []


def test_consortium_quota_counts_a_provinces_letters_together() -> None:
    first, second, _, _ = _batch()
    second.appendix.contracts[0].contract_no = "HT-B1"
    letters = [recommendation("浙江省", ["某某科技有限公司"]), recommendation("浙江省", ["宁波另一家智能装备有限公司"])]
    assert {(c.code, c.where) for c in run_batch_checks([first, second, *letters])} == {
        ("CONSORTIUM_QUOTA_EXCEEDED", "浙江省")}
    assert all(("CONSORTIUM_QUOTA_EXCEEDED", "浙江省") in {(c.code, c.where) for c in r.checks} for r in letters)


# ------------------------------------------------------------------ settings: severity and thresholds

def _toml(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "dtpc.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_severity_override_from_toml(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _toml(tmp_path, '[checks.severity]\nUNKNOWN_INDUSTRY = "info"\nSHARED_CONTRACT = "error"\n'
                           'LOW_CONFIDENCE = "warning"\n')
    settings = Settings.from_toml(path)
    record = clean_application()
    record.basic_info.lead_unit.main_industries = ["元宇宙"]
    record.provenance["cover.phone"] = models.Provenance(page=1, confidence=0.1)
    stage = models.Check(code="PAGE_UNREADABLE", severity="warning", where="3")
    found = {c.code: c.severity for c in run_checks(CheckContext(record=record, settings=settings), [stage])}
    assert found == {"UNKNOWN_INDUSTRY": "info", "LOW_CONFIDENCE": "warning", "PAGE_UNREADABLE": "warning"}
    first, second, _, _ = _batch()
    assert {c.severity for c in run_batch_checks([first, second], settings)} == {"error"}
    assert {c.severity for c in first.checks if c.code == "SHARED_CONTRACT"} == {"error"}
    monkeypatch.setenv("DTPC_CONFIG", str(path))
    loaded = Settings.load(workers=1)
    assert loaded.checks.severity["UNKNOWN_INDUSTRY"] == "info" and loaded.workers == 1
    monkeypatch.delenv("DTPC_CONFIG")
    assert Settings.load().checks == CheckSettings()


def test_thresholds_from_toml(tmp_path: Path) -> None:
    settings = Settings.from_toml(_toml(tmp_path, """
[checks]
amount_tolerance = 1.0
max_members = 8
fill_date_deadline = 2026-06-30
experience_reference = 2027-01-01
large_provinces = ["山西"]
separately_planned_cities = []
word_limits = { goals = 400 }
"""))
    record = clean_application()
    record.basic_info.service[0].contract_amount = 121.5
    record.basic_info.members = [models.Member(name=f"成员{i}") for i in range(8)]
    record.cover.fill_date = dt.date(2026, 6, 30)
    record.basic_info.lead_unit.established = dt.date(2024, 12, 1)
    record.plan.sections[1].chars = 450
    assert codes(record, agreement=True, settings=settings) == {("WORD_LIMIT_EXCEEDED", "goals")}
    assert codes(record, agreement=True) == {("CONTRACT_TOTAL_MISMATCH", "2024"), ("TOO_MANY_MEMBERS", ""),
                                             ("FILL_DATE_OUT_OF_WINDOW", ""), ("INSUFFICIENT_EXPERIENCE", "")}
    assert codes(recommendation("山西省", ["a", "b", "c"]), settings=settings) == set()
    assert codes(recommendation("宁波市", ["a"]), settings=settings) == set()


def test_unknown_code_in_settings_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValidationError):
        Settings.from_toml(_toml(tmp_path, '[checks.severity]\nNO_SUCH_CODE = "info"\n'))
    with pytest.raises(ValidationError):
        Settings.from_toml(_toml(tmp_path, '[checks.severity]\nSEAL_MISSING = "fatal"\n'))


def test_example_config_loads_and_is_the_defaults() -> None:
    example = Path(__file__).resolve().parent.parent / "dtpc.example.toml"
    settings = Settings.from_toml(example)
    assert settings.checks == CheckSettings()
    documented = example.read_text(encoding="utf-8")
    for key in CheckSettings.model_fields:
        assert f"{key} =" in documented or f"[checks.{key}]" in documented, key


# ------------------------------------------------------------------ helpers

def test_distinct_enterprises_forgive_one_ocr_slip_in_a_long_name() -> None:
    from pipeline.checks.figures import distinct_names

    assert distinct_names(["杭州甲乙科技有限公司", "杭州甲已科技有限公司", "杭州 甲乙科技有限公司"]) == 1
    assert distinct_names(["杭州甲乙科技有限公司", "宁波丙丁科技有限公司"]) == 2
    assert distinct_names(["甲公司", "乙公司"]) == 2  # short names: one character is the whole difference
    assert distinct_names(["杭州甲乙科技有限公司", "杭州甲已科技有限公司"], max_edits=0) == 2


def test_a_stray_line_under_a_table_does_not_stop_the_total() -> None:
    """A seal's text read as a 附3表3 row: no names, no amount. Flagged, not summed, the total still compared."""
    record = clean_application()
    record.appendix.financings.append(models.FinancingRow())
    record.basic_info.resources[1].financing = 400.0
    assert codes(record) == {("LOW_CONFIDENCE", "appendix.financings[1].amount"), ("FINANCING_TOTAL_MISMATCH", "")}
    record.appendix.contracts.append(models.ContractRow(date=dt.date(2025, 3, 1)))
    record.basic_info.service[1].contract_amount = 1.0
    assert ("CONTRACT_TOTAL_MISMATCH", "2025") in codes(record)


def test_batch_checks_run_again_replace_their_findings() -> None:
    first, second, _, _ = _batch()
    run_batch_checks([first, second])
    assert ("SHARED_CONTRACT", "HT-1") in {(c.code, c.where) for c in first.checks}
    second.appendix.contracts = []
    assert run_batch_checks([first, second]) == []
    assert not any(c.code == "SHARED_CONTRACT" for c in first.checks)


def test_a_seal_whose_name_differs_from_the_field_by_an_ocr_slip_is_not_someone_elses() -> None:
    record = clean_application()
    record.cover.recommender = "浙江省经济和信恩厅"  # the cover's field misread: 息化 read as 恩
    _seal("cover_recommender", "浙江省经济和信息化厅")(record)
    assert ("SEAL_NAME_MISMATCH", "cover_recommender") not in codes(record)
    _seal("commitment", "杭州另一家科技有限公司")(record)
    assert ("SEAL_NAME_MISMATCH", "commitment") in codes(record)


def test_a_seal_named_as_its_unit_s_seals_spell_it_is_not_someone_elses() -> None:
    # The form's name garbled in a stretch (three slips) or read on into the next label; the seal stage names
    # the unit's seals as they spell it (`seals.stamped`, `text.without_run_on`): the same unit, no mismatch.
    record = clean_application()
    record.cover.applicant = record.basic_info.lead_unit.name = "台州和智业技术股纷自限公司"
    _seal("commitment", "台州和智工业技术股份有限公司")(record)
    assert ("SEAL_NAME_MISMATCH", "commitment") not in codes(record)
    record.cover.applicant = record.basic_info.lead_unit.name = "杭州昌云建材有限公司（造单位4"
    record.seals = [s for s in record.seals if s.slot != "commitment"]
    _seal("commitment", "杭州昌云建材有限公司")(record)
    assert ("SEAL_NAME_MISMATCH", "commitment") not in codes(record)
    record.seals = [s for s in record.seals if s.slot != "commitment"]
    _seal("commitment", "杭州昌云网络科技有限公司")(record)
    assert ("SEAL_NAME_MISMATCH", "commitment") in codes(record)


@pytest.mark.parametrize(("written", "code"), [
    ("坊织服装", "LOW_CONFIDENCE"),  # one character off 纺织服装 (纺织's alias): a misreading to look at
    ("电子信恩制造", "LOW_CONFIDENCE"),
    ("工业软件", "UNKNOWN_INDUSTRY"),  # a name of its own, no industry of the notice
    ("化纤", "UNKNOWN_INDUSTRY"),  # one character off 化工, but two-character names that close are other words
])
def test_an_industry_one_character_off_a_known_one_is_a_doubt_not_unknown(written: str, code: str) -> None:
    record = clean_application()
    record.basic_info.lead_unit.main_industries = ["机械", written]
    found = [c for c in run(record) if c.code in ("LOW_CONFIDENCE", "UNKNOWN_INDUSTRY")]
    assert [c.code for c in found] == [code]


@pytest.mark.parametrize(("written", "source", "code"), [
    ("互化", "ocr", "LOW_CONFIDENCE"),  # holds no word: a fax's reading of 医药, not a name anyone writes
    ("金耦", "ocr", "LOW_CONFIDENCE"),
    ("互化", "text", "UNKNOWN_INDUSTRY"),  # as the applicant typed it: theirs to explain
    ("模具", "ocr", "UNKNOWN_INDUSTRY"),  # a word: an industry of its own
    ("新材料", "ocr", "UNKNOWN_INDUSTRY"),
])
def test_an_unknown_industry_read_from_pixels_that_holds_no_word_is_a_doubt(written: str, source: str,
                                                                             code: str) -> None:
    record = clean_application()
    record.basic_info.lead_unit.main_industries = ["机械", written]
    path = "basic_info.lead_unit.main_industries"
    record.provenance[path] = models.Provenance(page=2, source=source, confidence=0.9)
    found = [c for c in run(record) if c.code in ("LOW_CONFIDENCE", "UNKNOWN_INDUSTRY")]
    assert [c.code for c in found] == [code]


@pytest.mark.parametrize(("read", "source", "found"), [
    ("宁波另智装有公司", "ocr", True),  # characters lost from a phone photo: the unit, read badly
    ("宁波另智装有公司", "text", False),  # typed so: another name
    ("有限公司", "ocr", False),  # too little of the name read to say whose it is
])
def test_a_recommended_unit_is_found_in_an_applicants_name_read_with_characters_lost(read: str, source: str,
                                                                                       found: bool) -> None:
    _, second, _, _ = _batch()
    second.cover.applicant = second.basic_info.lead_unit.name = read
    for path in ("cover.applicant", "basic_info.lead_unit.name"):
        second.provenance[path] = models.Provenance(page=1, source=source, confidence=0.85)
    letter = recommendation("浙江省", ["宁波另一家智能装备有限公司"])
    codes = {c.code for c in run_batch_checks([second, letter])}
    assert ("RECOMMENDED_NOT_FOUND" not in codes) is found


def test_an_industry_listed_twice_counts_twice_and_is_looked_up_once() -> None:
    record = clean_application()
    record.basic_info.lead_unit.main_industries = ["食品", "钢铁", "建材", "建材"]
    assert {(c.code, c.where) for c in run(record)} == {("TOO_MANY_INDUSTRIES", "")}
    record.basic_info.lead_unit.main_industries = ["机械", "元宇宙", "元宇宙"]
    assert [(c.code, c.where) for c in run(record)] == [("UNKNOWN_INDUSTRY", "元宇宙")]
