"""The notice's rules on a province's recommendation (附件2)."""

from __future__ import annotations

from collections.abc import Iterator

from models import Check, RecommendationRecord
from pipeline.checks.registry import CheckContext, finding, register
from pipeline.checks.unit_names import name_score
from pipeline.config import CheckSettings


def quota_for(province: str, rules: CheckSettings | None = None) -> int:
    """3 for the ten provinces of the notice (2025年度工业增加值排名前10), 2 for every other."""
    rules = rules or CheckSettings()
    large = any(province.startswith(name) for name in rules.large_provinces)
    return rules.large_quota if large else rules.default_quota


def separately_planned_city(recommender: str, rules: CheckSettings | None = None) -> str | None:
    """The city as printed (e.g. 宁波市) when the recommender is a 计划单列市."""
    for city in (rules or CheckSettings()).separately_planned_cities:
        index = recommender.find(city)
        if index >= 0:
            with_suffix = recommender[index : index + len(city) + 1]
            return with_suffix if with_suffix.endswith("市") else city
    return None


def recommended_names(record: RecommendationRecord, threshold: float = 85.0) -> list[str]:
    """The names recommended: the 推荐表's rows in rank order, else the letter's 现推荐 names. The letter and the
    table list the same units: where the table was read with fewer rows than the letter names, the letter's
    names that no row matches (`name_score` under `threshold`) are the rows it lost (dev24 r13, a drawn scan
    whose first row was not read: its consortium went uncounted in the province's quota)."""
    rows = [entry.name for entry in sorted(record.recommendation.recommended, key=lambda e: e.rank) if entry.name]
    letter = list(dict.fromkeys(record.recommendation.letter_names))
    if not rows:
        return letter
    lost = [name for name in letter if all(name_score(name, row) < threshold for row in rows)]
    return [*rows, *lost[:max(0, len(letter) - len(rows))]]


def _recommendation(ctx: CheckContext) -> RecommendationRecord:
    assert isinstance(ctx.record, RecommendationRecord)
    return ctx.record


@register("RECOMMENDATION_QUOTA_EXCEEDED", "error", "recommendation")
def quota_exceeded(ctx: CheckContext) -> Iterator[Check]:
    body = _recommendation(ctx).recommendation
    if body.province is None:
        return
    quota = quota_for(body.province, ctx.rules)
    # The table and the letter each list the names; either listing too many is over the quota. A unit
    # listed twice is one unit recommended (a row read twice under a seal is no second applicant).
    table = [entry.name or f"#{entry.rank}" for entry in body.recommended]
    count = max(len({"".join(name.split()) for name in table}), len({"".join(n.split()) for n in body.letter_names}))
    if count > quota:
        names = "、".join(recommended_names(_recommendation(ctx)))
        yield finding("RECOMMENDATION_QUOTA_EXCEEDED", body.province,
                      f"{body.province}推荐 {count} 家（{names}），超过该地区 {quota} 家的推荐限额",
                      expected=quota, found=count,
                      evidence=ctx.evidence(*(f"recommendation.recommended[{i}].name" for i in range(len(body.recommended))),
                                            roles=["recommendation_table", "recommendation_letter"]))


@register("RECOMMENDER_NOT_ELIGIBLE", "error", "recommendation")
def recommender_not_eligible(ctx: CheckContext) -> Iterator[Check]:
    province = _recommendation(ctx).recommendation.province
    city = separately_planned_city(province, ctx.rules) if province else None
    if city is not None:
        yield finding("RECOMMENDER_NOT_ELIGIBLE", city,
                      f"推荐单位“{province}”为计划单列市，通知规定计划单列市不单独推荐，应由所在省推荐",
                      found=province, evidence=ctx.evidence("recommendation.province", roles=["recommendation_letter"]))


@register("FIELD_MISSING", "error", "recommendation")
def recommendation_fields_missing(ctx: CheckContext) -> Iterator[Check]:
    """The province and the names recommended not read: a LOW_CONFIDENCE, not FIELD_MISSING. A recommendation's
    pages always print both (the title names the province, the letter and the table the units), so where they
    were not found the reading failed (dev30 r14: a phone photo at 85 dpi), not the province."""
    body = _recommendation(ctx).recommendation
    roles = ["recommendation_table", "recommendation_letter"]
    if body.province is None:
        yield finding("LOW_CONFIDENCE", "recommendation.province",
                      "推荐函或推荐表标题中的推荐省份未能识别，推荐限额未核对，请人工核对", evidence=ctx.evidence(roles=roles))
    if not body.recommended and not body.letter_names:
        yield finding("LOW_CONFIDENCE", "recommendation.recommended",
                      "推荐表和推荐函中的推荐对象均未能识别，推荐限额未核对，请人工核对", evidence=ctx.evidence(roles=roles))
