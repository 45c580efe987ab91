"""The top-level record union, the unreadable-input record and the ground-truth wrapper."""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

from pydantic import Field, TypeAdapter

from models.application import ApplicationRecord
from models.common import Check, Provenance, Record, Seal, Source
from models.recommendation import RecommendationRecord


class UnreadableRecord(Record):
    """A file that could not be read: its source and the INPUT_UNREADABLE check, nothing guessed."""

    schema_version: Literal["1"] = "1"
    doc_type: Literal["unknown"] = "unknown"
    source: Source
    seals: list[Seal] = Field(default_factory=list)
    checks: list[Check] = Field(default_factory=list)
    provenance: dict[str, Provenance] = Field(default_factory=dict)


# What dtpc writes for one file; and the two kinds of record the checks read.
OutputRecord = ApplicationRecord | RecommendationRecord | UnreadableRecord
CheckedRecord = ApplicationRecord | RecommendationRecord

AnyRecord = Annotated[
    ApplicationRecord | RecommendationRecord | UnreadableRecord,
    Field(discriminator="doc_type"),
]
RECORD_ADAPTER: TypeAdapter[ApplicationRecord | RecommendationRecord | UnreadableRecord] = TypeAdapter(AnyRecord)


class ExpectedCheck(Record):
    code: str
    where: str = ""


class _Truth(Record):
    expected_checks: list[ExpectedCheck] = Field(default_factory=list)
    # The printed text of each page in reading order, for OCR error rates.
    page_text: list[str] = Field(default_factory=list)
    # How the sample was made (scan/digital, dpi, defects): for slicing the scores.
    generator: dict[str, Any] = Field(default_factory=dict)


class ApplicationTruth(ApplicationRecord, _Truth):
    pass


class RecommendationTruth(RecommendationRecord, _Truth):
    pass


AnyTruth = Annotated[ApplicationTruth | RecommendationTruth, Field(discriminator="doc_type")]
TRUTH_ADAPTER: TypeAdapter[ApplicationTruth | RecommendationTruth] = TypeAdapter(AnyTruth)


def parse_record(data: str | bytes | dict[str, Any]) -> ApplicationRecord | RecommendationRecord | UnreadableRecord:
    if isinstance(data, (str, bytes)):
        return RECORD_ADAPTER.validate_json(data)
    return RECORD_ADAPTER.validate_python(data)


def parse_truth(data: str | bytes | dict[str, Any]) -> ApplicationTruth | RecommendationTruth:
    if isinstance(data, (str, bytes)):
        return TRUTH_ADAPTER.validate_json(data)
    return TRUTH_ADAPTER.validate_python(data)


def record_json(record: Record) -> str:
    """The record as the contract's JSON text (ISO dates, UTF-8, stable key order)."""
    return json.dumps(record.model_dump(mode="json"), ensure_ascii=False, indent=2)


def json_schema() -> dict[str, Any]:
    return RECORD_ADAPTER.json_schema(mode="serialization")
