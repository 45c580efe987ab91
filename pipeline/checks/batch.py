"""Checks across a batch: quotas and duplicates that no single record can show.

Each finding goes on every record involved and into the batch summary.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Sequence

from rapidfuzz import fuzz

from models import ApplicationRecord, Check, CheckedRecord, RecommendationRecord

NAME_MATCH_THRESHOLD = 90.0
MAX_CONSORTIA_PER_PROVINCE = 1


def _name_key(name: str) -> str:
    return re.sub(r"[\s()（）]", "", unicodedata.normalize("NFKC", name))


def _applicant_names(record: ApplicationRecord) -> list[str]:
    return [name for name in (record.basic_info.lead_unit.name, record.cover.applicant) if name]


def match_application(name: str, applications: Sequence[ApplicationRecord]) -> ApplicationRecord | None:
    """The application whose lead unit (or cover applicant) best matches `name`, if close enough."""
    best: tuple[float, ApplicationRecord | None] = (0.0, None)
    for record in applications:
        for candidate in _applicant_names(record):
            score = fuzz.ratio(_name_key(name), _name_key(candidate))
            if score > best[0]:
                best = (score, record)
    return best[1] if best[0] >= NAME_MATCH_THRESHOLD else None


def _add(check: Check, records: Sequence[CheckedRecord], summary: list[Check]) -> None:
    summary.append(check)
    for record in records:
        if all((c.code, c.where) != (check.code, check.where) for c in record.checks):
            record.checks.append(check)


def _recommendation_checks(recommendations: Sequence[RecommendationRecord],
                           applications: Sequence[ApplicationRecord], summary: list[Check]) -> None:
    for recommendation in recommendations:
        province = recommendation.recommendation.province or ""
        consortia: list[ApplicationRecord] = []
        for entry in recommendation.recommendation.recommended:
            if not entry.name:
                continue
            match = match_application(entry.name, applications)
            if match is None:
                _add(Check(code="RECOMMENDED_NOT_FOUND", severity="warning", where=entry.name,
                           message=f"推荐对象“{entry.name}”在本批申报材料中未找到"), [recommendation], summary)
            elif match.basic_info.members:
                consortia.append(match)
        if len(consortia) > MAX_CONSORTIA_PER_PROVINCE:
            names = "、".join(_applicant_names(record)[0] for record in consortia)
            _add(Check(code="CONSORTIUM_QUOTA_EXCEEDED", severity="error", where=province,
                       message=f"{province}推荐联合体 {len(consortia)} 家（{names}），超过 1 家上限",
                       expected=MAX_CONSORTIA_PER_PROVINCE, found=len(consortia)),
                 [recommendation, *consortia], summary)


def _duplicate_applicants(applications: Sequence[ApplicationRecord], summary: list[Check]) -> None:
    by_code: dict[str, list[ApplicationRecord]] = defaultdict(list)
    for record in applications:
        code = record.basic_info.lead_unit.credit_code
        if code:
            by_code[code].append(record)
    for code, records in by_code.items():
        if len(records) > 1:
            files = "、".join(record.source.file for record in records)
            _add(Check(code="DUPLICATE_APPLICANT", severity="error", where=code,
                       message=f"统一社会信用代码 {code} 在 {len(records)} 份申报中重复出现（{files}）"), records, summary)


def _shared_contracts(applications: Sequence[ApplicationRecord], summary: list[Check]) -> None:
    claims: dict[tuple[str, str], list[ApplicationRecord]] = defaultdict(list)
    for record in applications:
        seen: set[tuple[str, str]] = set()
        for row in record.appendix.contracts:
            if row.contract_no and row.enterprise:
                key = (row.contract_no, _name_key(row.enterprise))
                if key not in seen:
                    seen.add(key)
                    claims[key].append(record)
    for (number, _), records in claims.items():
        applicants = {record.basic_info.lead_unit.credit_code or record.source.file for record in records}
        if len(applicants) > 1:
            files = "、".join(record.source.file for record in records)
            _add(Check(code="SHARED_CONTRACT", severity="warning", where=number,
                       message=f"合同 {number} 被多个申报单位同时填报（{files}）"), records, summary)


def run_batch_checks(records: Sequence[object]) -> list[Check]:
    """Add batch findings to the records involved; return them all for the batch summary."""
    applications = [record for record in records if isinstance(record, ApplicationRecord)]
    recommendations = [record for record in records if isinstance(record, RecommendationRecord)]
    summary: list[Check] = []
    _recommendation_checks(recommendations, applications, summary)
    _duplicate_applicants(applications, summary)
    _shared_contracts(applications, summary)
    return summary
