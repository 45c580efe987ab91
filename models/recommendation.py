"""The province's recommendation record (附件2, `doc_type: "recommendation"`)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field

from models.common import Check, Provenance, Record, Seal, Source


class Recommended(Record):
    rank: int = Field(ge=1)
    name: str | None = None
    industries: list[str] = Field(default_factory=list)
    policies: str | None = None


class Recommendation(Record):
    province: str | None = None
    date: dt.date | None = None
    recommended: list[Recommended] = Field(default_factory=list)
    # Names in the letter's 现推荐 sentence, as printed.
    letter_names: list[str] = Field(default_factory=list)


class RecommendationSealSlots(Record):
    recommendation_letter: bool = False
    recommendation_table: bool = False


class RecommendationRecord(Record):
    schema_version: Literal["1"] = "1"
    doc_type: Literal["recommendation"] = "recommendation"
    source: Source
    recommendation: Recommendation = Field(default_factory=Recommendation)
    seals: list[Seal] = Field(default_factory=list)
    seal_slots: RecommendationSealSlots = Field(default_factory=RecommendationSealSlots)
    checks: list[Check] = Field(default_factory=list)
    provenance: dict[str, Provenance] = Field(default_factory=dict)
