"""The notice's rules on a province's recommendation (附件2)."""

from __future__ import annotations

from collections.abc import Iterator

from models import Check, RecommendationRecord
from pipeline.checks.registry import CheckContext, finding, register

# 2025年度工业增加值排名前10的工业大省 may recommend 3; every other province 2.
LARGE_PROVINCES = ("江苏", "广东", "山东", "浙江", "福建", "河南", "四川", "湖北", "湖南", "河北")
DEFAULT_QUOTA, LARGE_QUOTA = 2, 3
# 计划单列市 may not recommend on their own.
SEPARATELY_PLANNED_CITIES = ("大连", "青岛", "宁波", "厦门", "深圳")


def quota_for(province: str) -> int:
    return LARGE_QUOTA if any(province.startswith(name) for name in LARGE_PROVINCES) else DEFAULT_QUOTA


def separately_planned_city(recommender: str) -> str | None:
    """The city as printed (e.g. 宁波市) when the recommender is a 计划单列市."""
    for city in SEPARATELY_PLANNED_CITIES:
        index = recommender.find(city)
        if index >= 0:
            with_suffix = recommender[index : index + len(city) + 1]
            return with_suffix if with_suffix.endswith("市") else city
    return None


def _recommendation(ctx: CheckContext) -> RecommendationRecord:
    assert isinstance(ctx.record, RecommendationRecord)
    return ctx.record


@register("RECOMMENDATION_QUOTA_EXCEEDED", "error", "recommendation")
def quota_exceeded(ctx: CheckContext) -> Iterator[Check]:
    recommendation = _recommendation(ctx).recommendation
    if recommendation.province is None:
        return
    quota = quota_for(recommendation.province)
    count = len(recommendation.recommended)
    if count > quota:
        yield finding("RECOMMENDATION_QUOTA_EXCEEDED", recommendation.province,
                      f"{recommendation.province}推荐 {count} 家，超过限额 {quota} 家", expected=quota, found=count,
                      evidence=ctx.evidence(roles=["recommendation_table"]))


@register("RECOMMENDER_NOT_ELIGIBLE", "error", "recommendation")
def recommender_not_eligible(ctx: CheckContext) -> Iterator[Check]:
    province = _recommendation(ctx).recommendation.province
    city = separately_planned_city(province) if province else None
    if city is not None:
        yield finding("RECOMMENDER_NOT_ELIGIBLE", city, f"{city}为计划单列市，不再单独推荐", found=city,
                      evidence=ctx.evidence("recommendation.province", roles=["recommendation_letter"]))


@register("FIELD_MISSING", "error", "recommendation")
def recommendation_fields_missing(ctx: CheckContext) -> Iterator[Check]:
    recommendation = _recommendation(ctx).recommendation
    if recommendation.province is None:
        yield finding("FIELD_MISSING", "recommendation.province", "未能识别推荐省份（推荐表标题）")
    if not recommendation.recommended:
        yield finding("FIELD_MISSING", "recommendation.recommended", "推荐表中未识别到任何推荐对象")
