"""The 建设方案 sections against the template's rules: presence, 字 limits, content areas, yearly goals."""

from __future__ import annotations

from collections.abc import Iterator

from models import ApplicationRecord, Check, Evidence, Plan
from pipeline.checks.registry import CheckContext, finding, register

SECTION_TITLES = {"foundation": "（一）基础条件", "goals": "（二）建设目标", "content": "（三）建设内容", "guarantee": "（四）组织保障"}
MIN_CONTENT_AREAS = 3
GOAL_YEARS = (2026, 2027, 2028)


def _plan(ctx: CheckContext) -> Plan:
    assert isinstance(ctx.record, ApplicationRecord)
    return ctx.record.plan


def _present(plan: Plan) -> set[str]:
    return {section.key for section in plan.sections}


def _plan_evidence(ctx: CheckContext, key: str | None = None) -> list[Evidence]:
    """The section's heading where the text stage recorded it, else the first plan page."""
    for index, section in enumerate(_plan(ctx).sections):
        if section.key == key:
            found = ctx.evidence(f"plan.sections[{index}].text")
            if found:
                return found
    return ctx.evidence(roles=["plan"])


@register("SECTION_MISSING", "error")
def section_missing(ctx: CheckContext) -> Iterator[Check]:
    present = _present(_plan(ctx))
    for key, title in SECTION_TITLES.items():
        if key not in present:
            yield finding("SECTION_MISSING", key, f"建设方案缺少“{title}”部分")


@register("WORD_LIMIT_EXCEEDED", "warning")
def word_limit_exceeded(ctx: CheckContext) -> Iterator[Check]:
    for section in _plan(ctx).sections:
        if section.chars > section.limit:
            yield finding("WORD_LIMIT_EXCEEDED", section.key,
                          f"“{section.title}”共 {section.chars} 字，超过 {section.limit} 字限制",
                          expected=section.limit, found=section.chars, evidence=_plan_evidence(ctx, section.key))


@register("TOO_FEW_CONTENT_AREAS", "error")
def too_few_content_areas(ctx: CheckContext) -> Iterator[Check]:
    plan = _plan(ctx)
    if "content" in _present(plan) and len(plan.content_areas) < MIN_CONTENT_AREAS:
        covered = "、".join(plan.content_areas) or "无"
        yield finding("TOO_FEW_CONTENT_AREAS", "",
                      f"建设内容仅涉及 {len(plan.content_areas)} 项（{covered}），应至少覆盖八方面中的三项",
                      expected=MIN_CONTENT_AREAS, found=len(plan.content_areas), evidence=_plan_evidence(ctx, "content"))


@register("GOALS_NOT_BY_YEAR", "warning")
def goals_not_by_year(ctx: CheckContext) -> Iterator[Check]:
    plan = _plan(ctx)
    missing = [year for year in GOAL_YEARS if year not in plan.goal_years]
    if "goals" in _present(plan) and missing:
        years = "、".join(str(year) for year in missing)
        yield finding("GOALS_NOT_BY_YEAR", "", f"建设目标未按年度分解到 {years} 年",
                      expected="2026、2027、2028", found="、".join(map(str, plan.goal_years)) or "无",
                      evidence=_plan_evidence(ctx, "goals"))
