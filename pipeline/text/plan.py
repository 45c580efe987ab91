"""`extract_plan`: the pages of a package → the checked 二、建设方案 record (sections, areas, years, mentions)."""

from __future__ import annotations

from collections.abc import Sequence

from models import Plan, PlanSection, Provenance
from models.application import PlanMention
from models.page import Page
from pipeline.result import Extracted
from pipeline.text.chars import count_chars
from pipeline.text.language import content_areas, goal_kinds, goal_years, mentions
from pipeline.text.sections import SectionText, find_sections


def _provenance(section: SectionText) -> Provenance:
    """Where a section was read: its heading's page and box, and how sure the reading of its body is."""
    lines = [section.heading, *section.lines]
    weights = [max(1, len(line.text)) for line in lines]
    confidence = sum(line.confidence * n for line, n in zip(lines, weights, strict=True)) / sum(weights)
    source = "text" if all(line.source == "text" for line in lines) else "ocr"
    return Provenance(page=section.heading.page, bbox=[round(v, 1) for v in section.heading.bbox],
                      confidence=round(min(1.0, max(0.0, confidence)), 4), source=source)


def extract_plan(pages: list[Page]) -> Extracted[Plan]:
    """Read 二、建设方案 from all pages of a package (file order; roles help but are not required).

    Sections not found are absent from `plan.sections`; the section checks
    (pipeline/checks/plan.py) are left to the checks stage, so no findings are returned here.
    """
    read = find_sections(pages)
    found = read.sections
    sections: list[PlanSection] = []
    provenance: dict[str, Provenance] = {}
    by_key: dict[str, str] = {}
    for index, section in enumerate(found):
        text = section.text
        sections.append(PlanSection(key=section.spec.key, title=section.spec.title,  # type: ignore[arg-type]
                                    limit=section.spec.limit, chars=count_chars(text), text=text))
        provenance[f"plan.sections[{index}].text"] = _provenance(section)
        by_key[section.spec.key] = text
    plan = analyse(sections, by_key)
    plan.heading_doubts = read.heading_doubts
    plan.heading_unread = read.heading_unread
    return Extracted(value=plan, provenance=provenance)


def analyse(sections: Sequence[PlanSection], texts: dict[str, str]) -> Plan:
    """The language pass: areas from 建设内容, years and kinds from 建设目标, mentions from every section."""
    areas: list[str] = []
    years: list[int] = []
    kinds: list[str] = []
    found: list[PlanMention] = []
    if "content" in texts:
        areas, area_mentions = content_areas(texts["content"])
        found.extend(PlanMention(**vars(m)) for m in area_mentions)
    if "goals" in texts:
        years, year_mentions = goal_years(texts["goals"])
        kinds = goal_kinds(texts["goals"])
        found.extend(PlanMention(**vars(m)) for m in year_mentions)
    for key, text in texts.items():
        found.extend(PlanMention(**vars(m)) for m in mentions(text, key))
    return Plan(sections=list(sections), content_areas=areas, goal_years=years, goal_kinds=kinds, mentions=found)
