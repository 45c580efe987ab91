"""Seals, the signature, and the pages a package must contain."""

from __future__ import annotations

from collections.abc import Iterator

from models import APPENDIX_TABLE_ROLES, ApplicationRecord, Check
from pipeline.checks.registry import CheckContext, finding, register

REQUIRED_ROLES: dict[str, str] = {
    "commitment": "附1 真实性承诺",
    "appendix2_table1": "附2 表1 产品、解决方案、数据集等清单",
    "appendix2_table2": "附2 表2 数字化改造实施服务企业及项目清单",
    "appendix2_table3": "附2 表3 人才培训活动清单",
    "appendix3_table1": "附3 表1 投融资机构、高校科研院所清单",
    "appendix3_table2": "附3 表2 数字化转型服务商清单",
    "appendix3_table3": "附3 表3 对接成功投融资清单",
}
assert set(APPENDIX_TABLE_ROLES.values()) <= set(REQUIRED_ROLES)

SLOT_PLACES: dict[str, str] = {
    "cover_applicant": "封面申报单位处", "cover_recommender": "封面推荐单位处",
    "commitment": "真实性承诺申报单位处", "recommendation_letter": "推荐意见落款处",
    "recommendation_table": "推荐表", **{role: label for role, label in REQUIRED_ROLES.items() if role != "commitment"},
}


@register("ATTACHMENT_MISSING", "error")
def attachment_missing(ctx: CheckContext) -> Iterator[Check]:
    for role, label in REQUIRED_ROLES.items():
        if role not in ctx.roles:
            yield finding("ATTACHMENT_MISSING", role, f"未找到“{label}”页面")


@register("SEAL_MISSING", "error", "application", "recommendation")
def seal_missing(ctx: CheckContext) -> Iterator[Check]:
    for slot, stamped in ctx.record.seal_slots.model_dump().items():
        if not stamped:
            page_role = slot if slot in REQUIRED_ROLES or slot.startswith("recommendation") else "cover"
            yield finding("SEAL_MISSING", slot, f"{SLOT_PLACES.get(slot, slot)}未见公章",
                          evidence=ctx.evidence(roles=[page_role]))


@register("SIGNATURE_MISSING", "error")
def signature_missing(ctx: CheckContext) -> Iterator[Check]:
    assert isinstance(ctx.record, ApplicationRecord)
    if not ctx.record.signatures.commitment_legal_rep:
        reason = "未见法定代表人签名" if "commitment" in ctx.roles else "缺少真实性承诺页，无法核对法定代表人签名"
        yield finding("SIGNATURE_MISSING", "commitment_legal_rep", reason, evidence=ctx.evidence(roles=["commitment"]))


@register("CONSORTIUM_AGREEMENT_MISSING", "warning")
def consortium_agreement_missing(ctx: CheckContext) -> Iterator[Check]:
    assert isinstance(ctx.record, ApplicationRecord)
    members = ctx.record.basic_info.members
    if members and ctx.has_consortium_agreement is False:
        yield finding("CONSORTIUM_AGREEMENT_MISSING", "",
                      f"填报联合体成员 {len(members)} 家，但未找到联合体合作协议页面", found=len(members))
