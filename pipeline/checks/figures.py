"""The basic-info figures against the appendix tables that should prove them."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from rapidfuzz.distance import Levenshtein

from models import APPENDIX_TABLE_ROLES, YEARS, ApplicationRecord, Check
from pipeline.checks.registry import CheckContext, finding, register

AMOUNT_TOLERANCE = 0.01  # 万元
PERIOD_START = dt.date(2024, 1, 1)
PERIOD_END = dt.date(2025, 12, 31)
CUMULATIVE_FIELDS = {"investors": "汇聚投融资机构数量", "financing": "对接成功的企业融资金额",
                     "universities": "汇聚高校、科研院所数量", "providers": "汇聚服务商数量"}


def _application(ctx: CheckContext) -> ApplicationRecord:
    assert isinstance(ctx.record, ApplicationRecord)
    return ctx.record


def _table_present(ctx: CheckContext, table: str) -> bool:
    """A table whose page is absent is ATTACHMENT_MISSING; its comparisons are not made."""
    return APPENDIX_TABLE_ROLES[table] in ctx.roles


def _unreadable_cells(table: str, rows: Sequence[object], fields: Sequence[str]) -> list[Check]:
    """FIELD_MISSING for each cell a comparison needs but could not be read."""
    return [
        finding("FIELD_MISSING", f"appendix.{table}[{index}].{name}",
                f"附表 {table} 第 {index + 1} 行“{name}”无法识别，相关核对未进行")
        for index, row in enumerate(rows)
        for name in fields
        if getattr(row, name) is None
    ]


# Names this long that differ in one character are one enterprise read twice by OCR,
# not two enterprises: counting them apart would raise a false mismatch.
SAME_NAME_MIN_LENGTH = 8
SAME_NAME_MAX_EDITS = 1


def distinct_names(names: Sequence[str]) -> int:
    """How many different names, treating a one-character OCR slip in a long name as the same name."""
    kept: list[str] = []
    for name in ("".join(n.split()) for n in names):
        if not any(name == other or (min(len(name), len(other)) >= SAME_NAME_MIN_LENGTH
                                     and Levenshtein.distance(name, other) <= SAME_NAME_MAX_EDITS)
                   for other in kept):
            kept.append(name)
    return len(kept)


def _differs(found: float, expected: float, tolerance: float) -> bool:
    return abs(found - expected) > tolerance


@dataclass(frozen=True)
class YearlyRule:
    """A 当期 figure of `service` against a measure of that year's rows of an appendix table."""

    code: str
    table: str
    needed: tuple[str, ...]
    declared: str
    measure: Callable[[list[Any]], float]
    tolerance: float
    describe: Callable[[int, float, float], str]


YEARLY_RULES = (
    YearlyRule("CONTRACT_TOTAL_MISMATCH", "contracts", ("date", "amount"), "contract_amount",
               lambda rows: round(sum(row.amount for row in rows), 4), AMOUNT_TOLERANCE,
               lambda year, found, declared: f"附2表2 {year}年合同金额合计 {found:,.2f} 万元，基本情况表填报 {declared:,.2f} 万元"),
    YearlyRule("ENTERPRISE_COUNT_MISMATCH", "contracts", ("date", "enterprise"), "enterprises",
               lambda rows: distinct_names([row.enterprise for row in rows]), 0,
               lambda year, found, declared: f"附2表2 {year}年服务企业 {found:g} 家（去重），基本情况表填报 {declared:g} 家"),
    YearlyRule("TRAINEE_TOTAL_MISMATCH", "trainings", ("date", "participants"), "trainees",
               lambda rows: sum(row.participants for row in rows), 0,
               lambda year, found, declared: f"附2表3 {year}年参训人数合计 {found:g} 人次，基本情况表填报 {declared:g} 人次"),
)


def _yearly(ctx: CheckContext, rule: YearlyRule) -> Iterator[Check]:
    record = _application(ctx)
    if not _table_present(ctx, rule.table):
        return
    rows = getattr(record.appendix, rule.table)
    gaps = _unreadable_cells(rule.table, rows, rule.needed)
    yield from gaps
    if gaps:
        return
    for index, year in enumerate(YEARS):
        declared = getattr(record.basic_info.service[index], rule.declared)
        if declared is None:
            continue
        found = rule.measure([row for row in rows if row.date.year == year])
        if _differs(found, declared, rule.tolerance):
            yield finding(
                rule.code, str(year), rule.describe(year, found, declared), expected=declared, found=found,
                evidence=ctx.evidence(f"basic_info.service[{index}].{rule.declared}",
                                      roles=[APPENDIX_TABLE_ROLES[rule.table]]),
            )


def _register_yearly(rule: YearlyRule) -> None:
    register(rule.code, "error")(lambda ctx: _yearly(ctx, rule))


for _rule in YEARLY_RULES:
    _register_yearly(_rule)


def _count_check(ctx: CheckContext, code: str, field: str, found: int, table: str, what: str) -> Iterator[Check]:
    declared = getattr(_application(ctx).basic_info.resources[1], field)
    if declared is not None and found != declared:
        yield finding(
            code, "", f"{what}清单 {found} 条，基本情况表 2025 年（累计）填报 {declared}",
            expected=declared, found=found,
            evidence=ctx.evidence(f"basic_info.resources[1].{field}", roles=[APPENDIX_TABLE_ROLES[table]]),
        )


def _institution_counts(ctx: CheckContext) -> Counter[str]:
    return Counter(row.category or "" for row in _application(ctx).appendix.institutions)


@register("INVESTOR_COUNT_MISMATCH", "error")
def investor_count(ctx: CheckContext) -> Iterator[Check]:
    if _table_present(ctx, "institutions"):
        found = _institution_counts(ctx)["投融资机构"]
        yield from _count_check(ctx, "INVESTOR_COUNT_MISMATCH", "investors", found, "institutions", "附3表1 投融资机构")


@register("UNIVERSITY_COUNT_MISMATCH", "error")
def university_count(ctx: CheckContext) -> Iterator[Check]:
    if _table_present(ctx, "institutions"):
        found = _institution_counts(ctx)["高校科研院所"]
        yield from _count_check(ctx, "UNIVERSITY_COUNT_MISMATCH", "universities", found, "institutions",
                                "附3表1 高校科研院所")


@register("PROVIDER_COUNT_MISMATCH", "error")
def provider_count(ctx: CheckContext) -> Iterator[Check]:
    if _table_present(ctx, "providers"):
        found = len(_application(ctx).appendix.providers)
        yield from _count_check(ctx, "PROVIDER_COUNT_MISMATCH", "providers", found, "providers", "附3表2 服务商")


@register("FINANCING_TOTAL_MISMATCH", "error")
def financing_total(ctx: CheckContext) -> Iterator[Check]:
    record = _application(ctx)
    if not _table_present(ctx, "financings"):
        return
    rows = record.appendix.financings
    gaps = _unreadable_cells("financings", rows, ("amount",))
    yield from gaps
    declared = record.basic_info.resources[1].financing
    if gaps or declared is None:
        return
    total = round(sum(row.amount or 0.0 for row in rows), 4)
    if _differs(total, declared, AMOUNT_TOLERANCE):
        yield finding(
            "FINANCING_TOTAL_MISMATCH", "", f"附3表3 投融资金额合计 {total:,.2f} 万元，基本情况表 2025 年（累计）填报 {declared:,.2f} 万元",
            expected=declared, found=total,
            evidence=ctx.evidence("basic_info.resources[1].financing", roles=["appendix3_table3"]),
        )


@register("CUMULATIVE_DECREASE", "error")
def cumulative_decrease(ctx: CheckContext) -> Iterator[Check]:
    first, second = _application(ctx).basic_info.resources
    for field, label in CUMULATIVE_FIELDS.items():
        before, after = getattr(first, field), getattr(second, field)
        if before is not None and after is not None and after < before:
            yield finding(
                "CUMULATIVE_DECREASE", field, f"“{label}”为累计数，2025 年 {after} 低于 2024 年 {before}",
                expected=before, found=after,
                evidence=ctx.evidence(f"basic_info.resources[0].{field}", f"basic_info.resources[1].{field}"),
            )


@register("CONTRACT_DATE_OUT_OF_RANGE", "warning")
def contract_dates(ctx: CheckContext) -> Iterator[Check]:
    for index, row in enumerate(_application(ctx).appendix.contracts):
        if row.date is not None and not PERIOD_START <= row.date <= PERIOD_END:
            yield finding(
                "CONTRACT_DATE_OUT_OF_RANGE", row.contract_no or str(index + 1),
                f"合同 {row.contract_no or index + 1} 日期 {row.date.isoformat()} 不在 2024—2025 年内",
                found=row.date.isoformat(), evidence=ctx.evidence(f"appendix.contracts[{index}].date"),
            )


@register("TRAINING_DATE_OUT_OF_RANGE", "warning")
def training_dates(ctx: CheckContext) -> Iterator[Check]:
    for index, row in enumerate(_application(ctx).appendix.trainings):
        if row.date is not None and not PERIOD_START <= row.date <= PERIOD_END:
            yield finding(
                "TRAINING_DATE_OUT_OF_RANGE", str(index + 1),
                f"附2表3 第 {index + 1} 行培训日期 {row.date.isoformat()} 不在 2024—2025 年内",
                found=row.date.isoformat(), evidence=ctx.evidence(f"appendix.trainings[{index}].date"),
            )


@register("DUPLICATE_CONTRACT_NO", "error")
def duplicate_contract_numbers(ctx: CheckContext) -> Iterator[Check]:
    contracts = _application(ctx).appendix.contracts
    counts = Counter(row.contract_no for row in contracts if row.contract_no)
    for number, count in counts.items():
        if count > 1:
            indexes = [i for i, row in enumerate(contracts) if row.contract_no == number]
            yield finding(
                "DUPLICATE_CONTRACT_NO", number, f"合同编号 {number} 在附2表2 中出现 {count} 次",
                found=count, expected=1,
                evidence=ctx.evidence(*(f"appendix.contracts[{i}].contract_no" for i in indexes)),
            )
