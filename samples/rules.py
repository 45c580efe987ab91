"""Expected checks, computed from a truth record by this module's own reading of CHECKS.md.

Independent of the pipeline on purpose: if both agree, both are probably right.
Record-level rules take the truth record; batch rules take all records of a corpus.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict

from models import ApplicationTruth, ExpectedCheck, RecommendationTruth
from models.codes import CANONICAL_INDUSTRIES, is_valid_credit_code
from samples.charcount import count_chars
from samples.data import BIG_PROVINCES, PLAN_CITIES

TABLE_ROLES = ("appendix2_table1", "appendix2_table2", "appendix2_table3",
               "appendix3_table1", "appendix3_table2", "appendix3_table3")
SECTION_KEYS = ("foundation", "goals", "content", "guarantee")
OPENING = dt.date(2026, 5, 27)
DEADLINE = dt.date(2026, 6, 20)
MOBILE = re.compile(r"^1\d{10}$")
LANDLINE = re.compile(r"^0\d{2,3}-?\d{7,8}$")
EMAIL = re.compile(r"^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")


def _check(out: list[ExpectedCheck], code: str, where: str = "") -> None:
    item = ExpectedCheck(code=code, where=where)
    if item not in out:
        out.append(item)


def _missing_fields(t: ApplicationTruth, out: list[ExpectedCheck]) -> None:
    for name in ("applicant", "recommender", "contact", "phone", "fill_date"):
        if getattr(t.cover, name) is None:
            _check(out, "FIELD_MISSING", f"cover.{name}")
    lead = t.basic_info.lead_unit
    for name in ("name", "credit_code", "established", "is_legal_person", "registered_capital",
                 "registered_address", "unit_type"):
        if getattr(lead, name) is None:
            _check(out, "FIELD_MISSING", f"basic_info.lead_unit.{name}")
    if not lead.main_industries:
        _check(out, "FIELD_MISSING", "basic_info.lead_unit.main_industries")
    if lead.unit_type == "其它" and not lead.unit_type_other:
        _check(out, "FIELD_MISSING", "basic_info.lead_unit.unit_type_other")
    for name in ("name", "title", "mobile", "email"):
        if getattr(t.basic_info.head, name) is None:
            _check(out, "FIELD_MISSING", f"basic_info.head.{name}")
    for table, fields in (("finance", ("revenue", "net_margin", "debt_ratio")),
                          ("service", ("enterprises", "contract_amount", "trainees")),
                          ("resources", ("investors", "financing", "universities", "providers"))):
        for i, row in enumerate(getattr(t.basic_info, table)):
            for name in fields:
                if getattr(row, name) is None:
                    _check(out, "FIELD_MISSING", f"basic_info.{table}[{i}].{name}")


def _figures(t: ApplicationTruth, roles: set[str | None], out: list[ExpectedCheck]) -> None:
    app = t.appendix
    service = {row.year: row for row in t.basic_info.service}
    if "appendix2_table2" in roles:
        for year in (2024, 2025):
            rows = [r for r in app.contracts if r.date is not None and r.date.year == year]
            declared = service[year].contract_amount
            if declared is not None and abs(sum(r.amount or 0 for r in rows) - declared) > 0.01 + 1e-9:
                _check(out, "CONTRACT_TOTAL_MISMATCH", str(year))
            if service[year].enterprises is not None and len({r.enterprise for r in rows}) != service[year].enterprises:
                _check(out, "ENTERPRISE_COUNT_MISMATCH", str(year))
        seen: set[str] = set()
        for r in app.contracts:
            if r.date is not None and not dt.date(2024, 1, 1) <= r.date <= dt.date(2025, 12, 31):
                _check(out, "CONTRACT_DATE_OUT_OF_RANGE", r.contract_no or "")
            if r.contract_no in seen:
                _check(out, "DUPLICATE_CONTRACT_NO", r.contract_no or "")
            seen.add(r.contract_no or "")
    if "appendix2_table3" in roles:
        for year in (2024, 2025):
            declared_trainees = service[year].trainees
            total = sum(r.participants or 0 for r in app.trainings if r.date is not None and r.date.year == year)
            if declared_trainees is not None and total != declared_trainees:
                _check(out, "TRAINEE_TOTAL_MISMATCH", str(year))
        for i, training in enumerate(app.trainings, start=1):
            if training.date is not None and training.date.year not in (2024, 2025):
                _check(out, "TRAINING_DATE_OUT_OF_RANGE", str(i))
    r24, r25 = t.basic_info.resources
    if "appendix3_table1" in roles:
        investors = sum(1 for r in app.institutions if r.category == "投融资机构")
        universities = sum(1 for r in app.institutions if r.category == "高校科研院所")
        if r25.investors is not None and investors != r25.investors:
            _check(out, "INVESTOR_COUNT_MISMATCH")
        if r25.universities is not None and universities != r25.universities:
            _check(out, "UNIVERSITY_COUNT_MISMATCH")
    if "appendix3_table2" in roles and r25.providers is not None and len(app.providers) != r25.providers:
        _check(out, "PROVIDER_COUNT_MISMATCH")
    if ("appendix3_table3" in roles and r25.financing is not None
            and abs(sum(r.amount or 0 for r in app.financings) - r25.financing) > 0.01 + 1e-9):
        _check(out, "FINANCING_TOTAL_MISMATCH")
    for name in ("investors", "financing", "universities", "providers"):
        a, b = getattr(r24, name), getattr(r25, name)
        if a is not None and b is not None and b < a:
            _check(out, "CUMULATIVE_DECREASE", name)


def _form(t: ApplicationTruth, roles: set[str | None], out: list[ExpectedCheck]) -> None:
    lead = t.basic_info.lead_unit
    if lead.credit_code is not None and not is_valid_credit_code(lead.credit_code):
        _check(out, "INVALID_CREDIT_CODE")
    if lead.is_legal_person is False:
        _check(out, "NOT_LEGAL_PERSON")
    if len(lead.main_industries) > 3:
        _check(out, "TOO_MANY_INDUSTRIES")
    for name in lead.main_industries:
        if name not in CANONICAL_INDUSTRIES:
            _check(out, "UNKNOWN_INDUSTRY", name)
    if len(t.basic_info.members) > 6:
        _check(out, "TOO_MANY_MEMBERS")
    if lead.established is not None and lead.established > OPENING.replace(year=OPENING.year - 2):
        _check(out, "INSUFFICIENT_EXPERIENCE")
    present = {s.key: s for s in t.plan.sections}
    for key in SECTION_KEYS:
        if key not in present:
            _check(out, "SECTION_MISSING", key)
        elif present[key].chars > present[key].limit:
            _check(out, "WORD_LIMIT_EXCEEDED", key)
    if "content" in present and len(t.plan.content_areas) < 3:
        _check(out, "TOO_FEW_CONTENT_AREAS")
    if "goals" in present and not {2026, 2027, 2028} <= set(t.plan.goal_years):
        _check(out, "GOALS_NOT_BY_YEAR")
    if "appendix3_table2" in roles:
        for row in t.appendix.providers:
            if len(row.industries) > 3:
                _check(out, "PROVIDER_TOO_MANY_INDUSTRIES", str(row.seq))
            if row.capability is not None and count_chars(row.capability) > 50:
                _check(out, "PROVIDER_CAPABILITY_TOO_LONG", str(row.seq))
    mobile = t.basic_info.head.mobile
    if mobile is not None and not MOBILE.match(mobile):
        _check(out, "INVALID_PHONE", "basic_info.head.mobile")
    phone = t.cover.phone
    if phone is not None and not (MOBILE.match(phone) or LANDLINE.match(phone)):
        _check(out, "INVALID_PHONE", "cover.phone")
    email = t.basic_info.head.email
    if email is not None and not EMAIL.match(email):
        _check(out, "INVALID_EMAIL")
    if t.cover.fill_date is not None and t.cover.fill_date > DEADLINE:
        _check(out, "FILL_DATE_OUT_OF_WINDOW")


def application_checks(t: ApplicationTruth, has_agreement: bool) -> list[ExpectedCheck]:
    """The checks CHECKS.md asks for on this application alone."""
    out: list[ExpectedCheck] = []
    roles: set[str | None] = {p.role for p in t.source.pages if p.role}
    _missing_fields(t, out)
    _figures(t, roles, out)
    _form(t, roles, out)
    for role in ("commitment", *TABLE_ROLES):
        if role not in roles:
            _check(out, "ATTACHMENT_MISSING", role)
    for slot, present in t.seal_slots.model_dump().items():
        if not present:
            _check(out, "SEAL_MISSING", slot)
    owners = {slot: t.cover.applicant or t.basic_info.lead_unit.name for slot in ("cover_applicant", "commitment",
                                                                                   *TABLE_ROLES)}
    owners["cover_recommender"] = t.cover.recommender
    for seal in t.seals:
        if seal.slot in owners and seal.text and owners[seal.slot] and seal.text != owners[seal.slot]:
            _check(out, "SEAL_NAME_MISMATCH", seal.slot)
    if not t.signatures.commitment_legal_rep:
        _check(out, "SIGNATURE_MISSING", "commitment_legal_rep")
    if t.basic_info.members and not has_agreement:
        _check(out, "CONSORTIUM_AGREEMENT_MISSING")
    return out


def recommendation_checks(t: RecommendationTruth) -> list[ExpectedCheck]:
    out: list[ExpectedCheck] = []
    rec = t.recommendation
    province = rec.province or ""
    count = max(len(rec.recommended), len(rec.letter_names))
    if count > (3 if province in BIG_PROVINCES else 2):
        _check(out, "RECOMMENDATION_QUOTA_EXCEEDED", province)
    if province in PLAN_CITIES:
        _check(out, "RECOMMENDER_NOT_ELIGIBLE", province)
    for slot, present in t.seal_slots.model_dump().items():
        if not present:
            _check(out, "SEAL_MISSING", slot)
    return out


def batch_checks(records: list[ApplicationTruth | RecommendationTruth]) -> dict[int, list[ExpectedCheck]]:
    """Checks across the corpus, keyed by the index of each record involved."""
    out: dict[int, list[ExpectedCheck]] = defaultdict(list)
    apps = [(i, r) for i, r in enumerate(records) if isinstance(r, ApplicationTruth)]
    by_code: dict[str, list[int]] = defaultdict(list)
    for i, r in apps:
        if r.basic_info.lead_unit.credit_code:
            by_code[r.basic_info.lead_unit.credit_code].append(i)
    for code, same in by_code.items():
        if len(same) > 1:
            for i in same:
                _check(out[i], "DUPLICATE_APPLICANT", code)
    claims: dict[tuple[str, str], set[int]] = defaultdict(set)
    for i, r in apps:
        for row in r.appendix.contracts:
            if row.contract_no and row.enterprise:
                claims[(row.contract_no, row.enterprise)].add(i)
    for (no, _), claimants in claims.items():
        if len(claimants) > 1:
            for i in sorted(claimants):
                _check(out[i], "SHARED_CONTRACT", no)
    names: dict[str, int] = {}
    for i, r in apps:
        for name in (r.cover.applicant, r.basic_info.lead_unit.name):
            if name:
                names[name] = i
    for j, rec in enumerate(records):
        if not isinstance(rec, RecommendationTruth):
            continue
        listed = [e.name for e in rec.recommendation.recommended if e.name] or rec.recommendation.letter_names
        consortia: list[int] = []
        for name in listed:
            if name not in names:
                _check(out[j], "RECOMMENDED_NOT_FOUND", name)
            elif records[names[name]].basic_info.members:  # type: ignore[union-attr]
                consortia.append(names[name])
        if len(consortia) > 1:
            province = rec.recommendation.province or ""
            for i in [j, *consortia]:
                _check(out[i], "CONSORTIUM_QUOTA_EXCEEDED", province)
    return dict(out)
