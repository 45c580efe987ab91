"""The output contract (OUTPUT.md) as pydantic models: records only, no behaviour beyond validation."""

from models.application import (
    APPENDIX_TABLE_ROLES,
    CONTENT_AREAS,
    YEARS,
    Appendix,
    ApplicationRecord,
    ApplicationSealSlots,
    BasicInfo,
    ContractRow,
    Cover,
    FinanceYear,
    FinancingRow,
    Head,
    InstitutionRow,
    LeadUnit,
    Member,
    Plan,
    PlanSection,
    ProductRow,
    ProviderRow,
    ResourceYear,
    ServiceYear,
    Signatures,
    TrainingRow,
)
from models.common import (
    PAGE_ROLES,
    BBox,
    Check,
    Evidence,
    PageKind,
    PageRole,
    Provenance,
    Seal,
    Severity,
    Source,
    SourcePage,
)
from models.recommendation import Recommendation, RecommendationRecord, RecommendationSealSlots, Recommended
from models.record import (
    AnyRecord,
    ApplicationTruth,
    ExpectedCheck,
    RecommendationTruth,
    UnreadableRecord,
    json_schema,
    parse_record,
    parse_truth,
    record_json,
)

__all__ = [
    "APPENDIX_TABLE_ROLES", "CONTENT_AREAS", "PAGE_ROLES", "YEARS",
    "AnyRecord", "Appendix", "ApplicationRecord", "ApplicationSealSlots", "ApplicationTruth", "BBox",
    "BasicInfo", "Check", "ContractRow", "Cover", "Evidence", "ExpectedCheck", "FinanceYear",
    "FinancingRow", "Head", "InstitutionRow", "LeadUnit", "Member", "PageKind", "PageRole", "Plan",
    "PlanSection", "ProductRow", "Provenance", "ProviderRow", "Recommendation", "RecommendationRecord",
    "RecommendationSealSlots", "RecommendationTruth", "Recommended", "ResourceYear", "Seal", "ServiceYear",
    "Severity", "Signatures", "Source", "SourcePage", "TrainingRow", "UnreadableRecord",
    "json_schema", "parse_record", "parse_truth", "record_json",
]
