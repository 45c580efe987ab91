"""A province's 推荐表 (附件2): its packages decided `recommend`, ranked, and the notice's quota rules.

The rules (notice, 三(二)): at most 2 recommended per province, 3 for the ten provinces it names, of which
at most 1 consortium; a 计划单列市 does not recommend on its own. They are checked live from the
decisions as they stand, shown on the page, and written beside the table in the workbook.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import sqlalchemy as sa
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from sqlalchemy.orm import Session as DbSession

from dtpc.workspace.schema import Package, User
from dtpc.workspace.services import NotFound, sees_all
from models import ApplicationRecord, parse_record
from pipeline.checks.recommendation import quota_for, separately_planned_city
from pipeline.config import CheckSettings

CONSORTIUM_LIMIT = 1
HEADERS = ("序号", "申报对象名称", "所服务的主要行业", "省市两级给予建设主体的相关政策（含财政资金及金融支持等）")


@dataclass(frozen=True)
class Recommended:
    rank: int
    sha256: str
    name: str | None
    industries: list[str]
    policies: str
    consortium: bool


@dataclass(frozen=True)
class QuotaRule:
    rule: str
    limit: int
    count: int

    @property
    def ok(self) -> bool:
        return self.count <= self.limit


def recommended(db: DbSession, user: User, province: str) -> list[Recommended]:
    """The province's applications decided `recommend`, in the order given (rank, then when decided)."""
    if not sees_all(user) and user.province != province:
        raise NotFound
    packages = db.scalars(sa.select(Package).where(Package.province == province, Package.decision == "recommend")
                          .order_by(Package.decision_rank.is_(None), Package.decision_rank, Package.decided_at)).all()
    rows: list[Recommended] = []
    for package in packages:
        record = parse_record(package.record) if package.record else None
        if not isinstance(record, ApplicationRecord):
            continue
        rows.append(Recommended(
            rank=len(rows) + 1, sha256=package.sha256,
            name=record.cover.applicant or record.basic_info.lead_unit.name,
            industries=list(record.basic_info.lead_unit.main_industries),
            policies=package.decision_policies or "", consortium=bool(record.basic_info.members)))
    return rows


def quota_rules(province: str, rows: list[Recommended], rules: CheckSettings | None = None) -> list[QuotaRule]:
    rules = rules or CheckSettings()
    city = separately_planned_city(province, rules)
    limit = 0 if city else quota_for(province, rules)
    named = "计划单列市不再单独推荐" if city else (
        f"推荐不超过 {limit} 家" + ("（工业增加值前 10 省份）" if limit == rules.large_quota else ""))
    consortia = sum(row.consortium for row in rows)
    return [QuotaRule(named, limit, len(rows)), QuotaRule(f"其中联合体不超过 {CONSORTIUM_LIMIT} 家", CONSORTIUM_LIMIT, consortia)]


def workbook(province: str, rows: list[Recommended], checks: list[QuotaRule]) -> bytes:
    """附件2's table as an .xlsx: title, header, one row per recommended application, then the quota rules."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "推荐表"
    sheet.append([f"{province}制造业数字化转型促进中心推荐表"])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADERS))
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A1"].alignment = Alignment(horizontal="center")
    sheet.append(list(HEADERS))
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([row.rank, row.name or "", "、".join(row.industries), row.policies])
    sheet.append([])
    sheet.append(["注：1. 推荐表请按优先顺序排序。"])
    sheet.append(["2. 2025年度工业增加值排名前10的工业大省（江苏、广东、山东、浙江、福建、河南、四川、湖北、湖南、河北）可推荐不超过3家。"])
    for column, width in zip("ABCD", (8, 40, 30, 60), strict=True):
        sheet.column_dimensions[column].width = width
    rules = book.create_sheet("限额核对")
    rules.append(["规则", "上限", "当前", "结果"])
    for check in checks:
        rules.append([check.rule, check.limit, check.count, "符合" if check.ok else "超出"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
