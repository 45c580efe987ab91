"""The ground-truth record of a generated document, built from what was actually put on the pages."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from models import (
    Appendix,
    ApplicationTruth,
    BasicInfo,
    Plan,
    PlanSection,
    Provenance,
    Recommendation,
    RecommendationTruth,
    Recommended,
    Seal,
    Source,
    SourcePage,
)
from samples import content as c
from samples.charcount import count_chars
from samples.data import industry_meant
from samples.layout import Page

TABLES = {"products": "appendix2_table1", "contracts": "appendix2_table2", "trainings": "appendix2_table3",
          "institutions": "appendix3_table1", "providers": "appendix3_table2", "financings": "appendix3_table3"}


@dataclass
class PlacedPage:
    """A page as stored in the output file."""

    page: Page | None  # None for an inserted blank sheet
    kind: str  # scan | text | mixed
    rotation: int = 0
    skew: float = 0.0
    text: str = ""
    seals: list[tuple[list[float], str, str, str | None]] = field(default_factory=list)  # bbox, shape, text, slot

    @property
    def role(self) -> str:
        return "blank" if self.page is None else self.page.role


def _meant(written: list[str]) -> list[str]:
    return [industry_meant(name) for name in written]


def _source(name: str, data: bytes, placed: list[PlacedPage]) -> Source:
    return Source(file=name, sha256=hashlib.sha256(data).hexdigest(), page_count=len(placed),
                  pages=[SourcePage(page=i, kind=p.kind, rotation=p.rotation, skew_deg=round(p.skew, 2),  # type: ignore[arg-type]
                                    role=p.role) for i, p in enumerate(placed, start=1)])  # type: ignore[arg-type]


def _seals(placed: list[PlacedPage]) -> list[Seal]:
    out = []
    for i, p in enumerate(placed, start=1):
        for bbox, shape, text, slot in p.seals:
            out.append(Seal(page=i, bbox=[round(v, 1) for v in bbox], shape=shape, text=text, slot=slot,  # type: ignore[arg-type]
                            confidence=1.0))
    return out


def _provenance(placed: list[PlacedPage]) -> dict[str, Provenance]:
    out: dict[str, Provenance] = {}
    for i, p in enumerate(placed, start=1):
        if p.page is None:
            continue
        for path, bbox in p.page.provenance.items():
            out.setdefault(path, Provenance(page=i, bbox=[round(v, 1) for v in bbox], confidence=1.0,
                                            source="text" if p.kind == "text" else "ocr"))
    return out


def application_truth(app: c.Application, name: str, data: bytes, placed: list[PlacedPage],
                      generator: dict[str, Any]) -> ApplicationTruth:
    roles = {p.role for p in placed}
    sections = []
    for key, (title, limit) in c.SECTION_TITLES.items():
        paragraphs = app.sections.get(key)
        if paragraphs is not None:
            text = "\n".join(paragraphs)
            sections.append(PlanSection(key=key, title=title, limit=limit, chars=count_chars(text), text=text))  # type: ignore[arg-type]
    has_content = app.sections.get("content") is not None
    has_goals = app.sections.get("goals") is not None
    plan = Plan(sections=sections, content_areas=app.content_areas if has_content else [],
                goal_years=app.goal_years if has_goals else [], goal_kinds=app.goal_kinds if has_goals else [])
    tables: dict[str, Any] = {key: getattr(app, key) if role in roles else [] for key, role in TABLES.items()}
    tables["providers"] = [row.model_copy(update={"industries": _meant(row.industries)}) for row in tables["providers"]]
    slots = {slot: False for slot in ("cover_applicant", "cover_recommender", "commitment", *TABLES.values())}
    for p in placed:
        for _, _, _, slot in p.seals:
            if slot in slots and (p.role == slot or (slot.startswith("cover") and p.role == "cover")):
                slots[slot] = True
    signed = any(m.kind == "signature" for p in placed if p.page is not None and p.role == "commitment"
                 for m in p.page.marks)
    # Industries as the generator meant them (its own table), the names the output contract asks for.
    basic = BasicInfo(lead_unit=app.lead.model_copy(update={"main_industries": _meant(app.industries_written)}),
                      members=app.members, head=app.head, finance=app.finance, service=app.service,
                      resources=app.resources)
    record = ApplicationTruth(
        source=_source(name, data, placed), cover=app.cover, basic_info=basic, plan=plan,
        appendix=Appendix(**tables), seals=_seals(placed), seal_slots=slots, signatures={"commitment_legal_rep": signed},
        provenance=_provenance(placed), page_text=[p.text for p in placed], generator=generator)
    # Through JSON and back: the record holds exactly what its file will say.
    return ApplicationTruth.model_validate_json(record.model_dump_json())


def recommendation_truth(rec: c.Recommendation, name: str, data: bytes, placed: list[PlacedPage],
                         generator: dict[str, Any]) -> RecommendationTruth:
    roles = {p.role for p in placed}
    has_table = "recommendation_table" in roles or rec.single_page
    recommended = [Recommended(rank=i + 1, name=e.name, industries=_meant(e.industries_written), policies=e.policies)
                   for i, e in enumerate(rec.entries)] if has_table else []
    slots = {"recommendation_letter": False, "recommendation_table": False}
    for p in placed:
        for _, _, _, slot in p.seals:
            if slot == "recommendation_letter" and p.role == "recommendation_letter":
                slots[slot] = True
                if rec.single_page:
                    slots["recommendation_table"] = True
            if slot == "recommendation_table" and p.role == "recommendation_table":
                slots[slot] = True
    record = RecommendationTruth(
        source=_source(name, data, placed),
        recommendation=Recommendation(province=rec.province, date=rec.date, recommended=recommended,
                                      letter_names=[e.name for e in rec.entries]),
        seals=_seals(placed), seal_slots=slots, provenance=_provenance(placed),  # type: ignore[arg-type]
        page_text=[p.text for p in placed], generator=generator)
    return RecommendationTruth.model_validate_json(record.model_dump_json())
