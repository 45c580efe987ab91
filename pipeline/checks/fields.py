"""FIELD_MISSING and LOW_CONFIDENCE: gaps and doubtful readings in required fields."""

from __future__ import annotations

from collections.abc import Iterator

from models import YEARS, ApplicationRecord, Check, Provenance
from pipeline.checks.registry import CheckContext, finding, register

COVER_FIELDS = ("applicant", "recommender", "contact", "phone", "fill_date")
LEAD_UNIT_FIELDS = (
    "name", "credit_code", "established", "is_legal_person", "registered_capital",
    "registered_address", "main_industries", "unit_type",
)
HEAD_FIELDS = ("name", "title", "mobile", "email")
YEAR_TABLE_FIELDS = {
    "finance": ("revenue", "net_margin", "debt_ratio"),
    "service": ("enterprises", "contract_amount", "trainees"),
    "resources": ("investors", "financing", "universities", "providers"),
}
FIELD_LABELS = {
    "applicant": "申报单位", "recommender": "推荐单位", "contact": "联系人", "phone": "联系电话",
    "fill_date": "填报日期", "name": "名称/姓名", "credit_code": "统一社会信用代码", "established": "成立时间",
    "is_legal_person": "是否注册法人", "registered_capital": "注册资本", "registered_address": "注册地",
    "main_industries": "服务的主要行业", "unit_type": "牵头单位类型", "unit_type_other": "其它类型说明",
    "title": "职务", "mobile": "手机", "email": "电子邮箱",
    "revenue": "主营业务收入", "net_margin": "主营业务净利润率", "debt_ratio": "资产负债率",
    "enterprises": "服务企业数量", "contract_amount": "合同金额", "trainees": "人才培养人次",
    "investors": "投融资机构数量", "financing": "对接融资金额", "universities": "高校、科研院所数量",
    "providers": "服务商数量",
}


def required_values(record: ApplicationRecord) -> Iterator[tuple[str, object]]:
    """(field path, value) for every field CHECKS.md requires, in form order."""
    for name in COVER_FIELDS:
        yield f"cover.{name}", getattr(record.cover, name)
    lead = record.basic_info.lead_unit
    for name in LEAD_UNIT_FIELDS:
        yield f"basic_info.lead_unit.{name}", getattr(lead, name)
    if lead.unit_type == "其它":
        yield "basic_info.lead_unit.unit_type_other", lead.unit_type_other
    for name in HEAD_FIELDS:
        yield f"basic_info.head.{name}", getattr(record.basic_info.head, name)
    for table, names in YEAR_TABLE_FIELDS.items():
        for index, row in enumerate(getattr(record.basic_info, table)):
            for name in names:
                yield f"basic_info.{table}[{index}].{name}", getattr(row, name)


def _is_blank(value: object) -> bool:
    return value is None or value == "" or value == []


def _place(path: str) -> str:
    """Where on the form the field is: 封面, or 基本情况表 and the year of a yearly figure."""
    if path.startswith("cover."):
        return "封面"
    for table, name in (("finance", "经营情况"), ("service", "服务情况"), ("resources", "资源情况")):
        for index, year in enumerate(YEARS):
            if path.startswith(f"basic_info.{table}[{index}]"):
                return f"基本情况表{name} {year} 年"
    return "基本情况表"


def _label(path: str) -> str:
    leaf = path.rsplit(".", 1)[-1]
    return FIELD_LABELS.get(leaf, leaf)


# The share of the basic-info form's required places that, left unread with none of them seen blank, say the
# reader failed on the form's page (a photo too small to read, a page it did not know) rather than that an
# applicant left the form empty: blank fields an applicant leaves are a few, on a form the reader found.
MIN_UNREAD_SHARE = 0.5


def form_unread(record: ApplicationRecord) -> bool:
    """Whether most of the basic-info form's required places were never found on a page by the reader."""
    if not record.provenance:
        return False  # a record not read from pages (a truth record, a test's) has no reader to fail
    places = [(path, value) for path, value in required_values(record) if path.startswith("basic_info.")]
    unseen = [path for path, value in places if _is_blank(value) and _never_found(record.provenance.get(path))]
    return bool(places) and len(unseen) >= MIN_UNREAD_SHARE * len(places)


def _never_found(origin: Provenance | None) -> bool:
    """No place recorded, or one the reader could not tell blank or inked."""
    return origin is None or origin.blank is None


@register("FIELD_MISSING", "error", "application")
def field_missing(ctx: CheckContext) -> Iterator[Check]:
    assert isinstance(ctx.record, ApplicationRecord)
    unread = form_unread(ctx.record)
    for path, value in required_values(ctx.record):
        if not _is_blank(value):
            continue
        # The reader records every required place it looked at: blank (no ink), ink it could not
        # read, or a place it could not find. A path it never looked at (a truth record) is blank,
        # unless the reader failed on the whole form: then it is one of many places it never found.
        origin = ctx.record.provenance.get(path)
        if unread and path.startswith("basic_info.") and _never_found(origin):
            yield finding("LOW_CONFIDENCE", path, f"{_place(path)}未能识读，必填项“{_label(path)}”是否填写无法判断"
                          f"（{path}），请人工核对", confidence=0.3, evidence=ctx.evidence(path))
        elif origin is None or origin.blank:
            yield finding("FIELD_MISSING", path, f"{_place(path)}必填项“{_label(path)}”未填写（{path}），请补充",
                          evidence=ctx.evidence(path))
        else:
            # Ink the reader failed on, or a place it could not find: a reviewer must look, but the
            # applicant is not told a field is missing on a doubtful reading.
            why = "有字迹但无法识别" if origin.blank is False else "未能在页面上定位或判断是否填写"
            yield finding("LOW_CONFIDENCE", path, f"{_place(path)}必填项“{_label(path)}”{why}（{path}），请人工核对",
                          confidence=0.5, evidence=ctx.evidence(path))


@register("LOW_CONFIDENCE", "info", "application", "recommendation")
def low_confidence(ctx: CheckContext) -> Iterator[Check]:
    threshold = ctx.settings.low_confidence
    for path, origin in ctx.record.provenance.items():
        if origin.resolved_by is not None:
            continue  # the form's own redundancy picked this reading (`pipeline.reconcile`): it agrees, whatever its score
        if origin.confidence is not None and origin.confidence < threshold:
            yield finding(
                "LOW_CONFIDENCE", path,
                f"“{path}”识别置信度 {origin.confidence:.2f} 低于阈值 {threshold:.2f}，请人工核对",
                found=round(origin.confidence, 3), expected=threshold, confidence=origin.confidence,
                evidence=ctx.evidence(path),
            )
        elif origin.unsettled:
            yield finding(
                "LOW_CONFIDENCE", path,
                f"“{path}”的读数有多种可能（{ctx.describe_doubt(path)}），表内外数据无法确定是哪一个，请人工核对",
                confidence=0.5, evidence=ctx.evidence(path),
            )
