"""Every check code dtpc emits, with its default severity and what its `where` holds.

The codes and severities of CHECKS.md, plus STAGE_FAILED (a stage's bug, from the runner).
Most are emitted by registered checks; INPUT_UNREADABLE, PAGE_UNREADABLE and STAGE_FAILED by
`pipeline.runner`, SEAL_NAME_MISMATCH by the seals stage as well as by a check. They are all
here so a severity override (`[checks.severity]`) can name any of them.
"""

from __future__ import annotations

from dataclasses import dataclass

from models import Severity


@dataclass(frozen=True)
class Code:
    severity: Severity
    where: str  # what `where` holds, as CHECKS.md says ("" when always empty)
    scope: str  # "input", "application", "recommendation", "batch"


def _c(severity: Severity, where: str, scope: str) -> Code:
    return Code(severity, where, scope)


CODES: dict[str, Code] = {
    # Any input
    "INPUT_UNREADABLE": _c("error", "", "input"),
    "PAGE_UNREADABLE": _c("warning", "page number", "input"),
    "STAGE_FAILED": _c("error", "stage name", "input"),
    # Application: figures against the appendix tables
    "CONTRACT_TOTAL_MISMATCH": _c("error", "year", "application"),
    "ENTERPRISE_COUNT_MISMATCH": _c("error", "year", "application"),
    "TRAINEE_TOTAL_MISMATCH": _c("error", "year", "application"),
    "INVESTOR_COUNT_MISMATCH": _c("error", "", "application"),
    "UNIVERSITY_COUNT_MISMATCH": _c("error", "", "application"),
    "PROVIDER_COUNT_MISMATCH": _c("error", "", "application"),
    "FINANCING_TOTAL_MISMATCH": _c("error", "", "application"),
    "CUMULATIVE_DECREASE": _c("error", "field name", "application"),
    "CONTRACT_DATE_OUT_OF_RANGE": _c("warning", "contract_no", "application"),
    "TRAINING_DATE_OUT_OF_RANGE": _c("warning", "row position", "application"),
    "DUPLICATE_CONTRACT_NO": _c("error", "contract_no", "application"),
    # Application: form rules from the notice
    "INVALID_CREDIT_CODE": _c("error", "", "application"),
    "NOT_LEGAL_PERSON": _c("error", "", "application"),
    "TOO_MANY_INDUSTRIES": _c("error", "", "application"),
    "UNKNOWN_INDUSTRY": _c("warning", "industry name", "application"),
    "TOO_MANY_MEMBERS": _c("error", "", "application"),
    "INSUFFICIENT_EXPERIENCE": _c("warning", "", "application"),
    "WORD_LIMIT_EXCEEDED": _c("warning", "section key", "application"),
    "SECTION_MISSING": _c("error", "section key", "application"),
    "TOO_FEW_CONTENT_AREAS": _c("error", "", "application"),
    "GOALS_NOT_BY_YEAR": _c("warning", "", "application"),
    "PROVIDER_TOO_MANY_INDUSTRIES": _c("warning", "row seq", "application"),
    "PROVIDER_CAPABILITY_TOO_LONG": _c("warning", "row seq", "application"),
    "INVALID_PHONE": _c("warning", "field path", "application"),
    "INVALID_EMAIL": _c("warning", "", "application"),
    "FILL_DATE_OUT_OF_WINDOW": _c("warning", "", "application"),
    # Application: seals, signatures, completeness
    "SEAL_MISSING": _c("error", "slot name", "application"),
    "SEAL_NAME_MISMATCH": _c("warning", "slot name", "application"),
    "SIGNATURE_MISSING": _c("error", "commitment_legal_rep", "application"),
    "ATTACHMENT_MISSING": _c("error", "page role", "application"),
    "CONSORTIUM_AGREEMENT_MISSING": _c("warning", "", "application"),
    "FIELD_MISSING": _c("error", "field path", "application"),
    "LOW_CONFIDENCE": _c("info", "field path", "application"),
    # Recommendation (SEAL_MISSING, FIELD_MISSING, LOW_CONFIDENCE as above)
    "RECOMMENDATION_QUOTA_EXCEEDED": _c("error", "province", "recommendation"),
    "RECOMMENDER_NOT_ELIGIBLE": _c("error", "city", "recommendation"),
    # Across a batch
    "CONSORTIUM_QUOTA_EXCEEDED": _c("error", "province", "batch"),
    "RECOMMENDED_NOT_FOUND": _c("warning", "name", "batch"),
    "DUPLICATE_APPLICANT": _c("error", "credit code", "batch"),
    "SHARED_CONTRACT": _c("warning", "contract_no", "batch"),
}

# Emitted outside the registry (by the runner); everything else is a registered check.
RUNNER_CODES = frozenset({"INPUT_UNREADABLE", "PAGE_UNREADABLE", "STAGE_FAILED"})
BATCH_CODES = frozenset(code for code, item in CODES.items() if item.scope == "batch")


def default_severity(code: str) -> Severity:
    return CODES[code].severity
