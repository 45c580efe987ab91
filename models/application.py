"""The application record (附件1, `doc_type: "application"`)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field, field_validator, model_validator

from models.codes import normalise_credit_code
from models.common import Check, Provenance, Record, Seal, Source

YEARS = (2024, 2025)


class Cover(Record):
    applicant: str | None = None
    recommender: str | None = None
    contact: str | None = None
    phone: str | None = None
    fill_date: dt.date | None = None


class LeadUnit(Record):
    name: str | None = None
    credit_code: str | None = None
    established: dt.date | None = None
    is_legal_person: bool | None = None
    registered_capital: float | None = None
    registered_address: str | None = None
    main_industries: list[str] = Field(default_factory=list)
    unit_type: Literal["制造业企业", "服务商", "其它"] | None = None
    unit_type_other: str | None = None

    @field_validator("credit_code")
    @classmethod
    def _normalise_code(cls, value: str | None) -> str | None:
        # Stored as read (normalised); validity is a check, not a parse error,
        # so a wrong code still reaches the reviewer.
        return None if value is None else normalise_credit_code(value) or None


class Member(Record):
    name: str
    type: str | None = None


class Head(Record):
    name: str | None = None
    title: str | None = None
    mobile: str | None = None
    email: str | None = None


class FinanceYear(Record):
    year: int
    revenue: float | None = None
    net_margin: float | None = None
    debt_ratio: float | None = None


class ServiceYear(Record):
    year: int
    enterprises: int | None = None
    contract_amount: float | None = None
    trainees: int | None = None


class ResourceYear(Record):
    year: int
    investors: int | None = None
    financing: float | None = None
    universities: int | None = None
    providers: int | None = None


def _one_per_year(rows: list[FinanceYear] | list[ServiceYear] | list[ResourceYear]) -> None:
    years = tuple(row.year for row in rows)
    if years != YEARS:
        raise ValueError(f"expected one entry per year {YEARS}, got {years}")


class BasicInfo(Record):
    lead_unit: LeadUnit = Field(default_factory=LeadUnit)
    members: list[Member] = Field(default_factory=list)
    head: Head = Field(default_factory=Head)
    finance: list[FinanceYear] = Field(default_factory=lambda: [FinanceYear(year=y) for y in YEARS])
    service: list[ServiceYear] = Field(default_factory=lambda: [ServiceYear(year=y) for y in YEARS])
    resources: list[ResourceYear] = Field(default_factory=lambda: [ResourceYear(year=y) for y in YEARS])

    @model_validator(mode="after")
    def _years_in_order(self) -> BasicInfo:
        for rows in (self.finance, self.service, self.resources):
            _one_per_year(rows)
        return self


SectionKey = Literal["foundation", "goals", "content", "guarantee"]
CONTENT_AREAS: tuple[str, ...] = (
    "评估咨询", "方案开发", "项目实施", "供需对接", "设施联通", "数据共享", "人才培养", "政策宣贯",
)


class PlanSection(Record):
    key: SectionKey
    title: str
    limit: int
    chars: int = Field(ge=0)
    text: str = ""


class PlanMention(Record):
    """Something the plan's text names, for the reviewer report: an organisation, amount, date,
    a content-area phrase that counted, or a target year; `offset` is its position in the section's text."""

    section: SectionKey
    kind: Literal["organisation", "amount", "date", "content_area", "goal_year"]
    text: str
    # organisation: the name; amount: 万元; date: ISO to the precision written; content_area: the area; goal_year: the year.
    value: str | float | int | None = None
    offset: int = Field(default=0, ge=0)


class Plan(Record):
    sections: list[PlanSection] = Field(default_factory=list)
    content_areas: list[str] = Field(default_factory=list)
    goal_years: list[int] = Field(default_factory=list)
    # Which of 服务成效/经济效益/社会效益 targets the 建设目标 section states.
    goal_kinds: list[str] = Field(default_factory=list)
    # What the sections' text names (optional, for the reviewer report; not compared by eval).
    mentions: list[PlanMention] = Field(default_factory=list)
    # A section not found whose place holds a line shaped like its heading: section key → that line as read
    # (a heading misread past knowing; SECTION_MISSING is then a doubt, not an error).
    heading_doubts: dict[str, str] = Field(default_factory=dict)
    # A section not found where the found section around its place runs over its own limit and holds a run of
    # lines the reader did not read (unsure and not words): section key → where and how they read. Its heading
    # may be among them, unread (SECTION_MISSING is then a doubt, not an error).
    heading_unread: dict[str, str] = Field(default_factory=dict)

    @field_validator("content_areas")
    @classmethod
    def _known_areas_in_order(cls, value: list[str]) -> list[str]:
        unknown = set(value) - set(CONTENT_AREAS)
        if unknown:
            raise ValueError(f"unknown content areas {sorted(unknown)}")
        return [area for area in CONTENT_AREAS if area in value]


class ProductRow(Record):
    category: str | None = None
    seq: int | None = None
    name: str | None = None


class ContractRow(Record):
    date: dt.date | None = None
    contract_no: str | None = None
    enterprise: str | None = None
    amount: float | None = None


class TrainingRow(Record):
    date: dt.date | None = None
    name: str | None = None
    participants: int | None = None


class InstitutionRow(Record):
    category: str | None = None
    seq: int | None = None
    name: str | None = None


class ProviderRow(Record):
    seq: int | None = None
    name: str | None = None
    industries: list[str] = Field(default_factory=list)
    capability: str | None = None



class FinancingRow(Record):
    seq: int | None = None
    investor: str | None = None
    investee: str | None = None
    amount: float | None = None


class Appendix(Record):
    products: list[ProductRow] = Field(default_factory=list)
    contracts: list[ContractRow] = Field(default_factory=list)
    trainings: list[TrainingRow] = Field(default_factory=list)
    institutions: list[InstitutionRow] = Field(default_factory=list)
    providers: list[ProviderRow] = Field(default_factory=list)
    financings: list[FinancingRow] = Field(default_factory=list)


# The two categories of 附3表1's merged 类别 column.
INVESTORS, UNIVERSITIES = "投融资机构", "高校科研院所"
INSTITUTION_CATEGORIES = (INVESTORS, UNIVERSITIES)

APPENDIX_TABLE_ROLES: dict[str, str] = {
    "products": "appendix2_table1", "contracts": "appendix2_table2", "trainings": "appendix2_table3",
    "institutions": "appendix3_table1", "providers": "appendix3_table2", "financings": "appendix3_table3",
}


class ApplicationSealSlots(Record):
    cover_applicant: bool = False
    cover_recommender: bool = False
    commitment: bool = False
    appendix2_table1: bool = False
    appendix2_table2: bool = False
    appendix2_table3: bool = False
    appendix3_table1: bool = False
    appendix3_table2: bool = False
    appendix3_table3: bool = False


class Signatures(Record):
    commitment_legal_rep: bool = False
    # Path of the evidence crop, relative to the JSON file.
    commitment_legal_rep_crop: str | None = None


class ApplicationRecord(Record):
    schema_version: Literal["1"] = "1"
    doc_type: Literal["application"] = "application"
    source: Source
    cover: Cover = Field(default_factory=Cover)
    basic_info: BasicInfo = Field(default_factory=BasicInfo)
    plan: Plan = Field(default_factory=Plan)
    appendix: Appendix = Field(default_factory=Appendix)
    seals: list[Seal] = Field(default_factory=list)
    seal_slots: ApplicationSealSlots = Field(default_factory=ApplicationSealSlots)
    signatures: Signatures = Field(default_factory=Signatures)
    checks: list[Check] = Field(default_factory=list)
    provenance: dict[str, Provenance] = Field(default_factory=dict)

