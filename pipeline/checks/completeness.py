"""Seals, the signature, and the pages a package must contain."""

from __future__ import annotations

from collections.abc import Iterator

from models import APPENDIX_TABLE_ROLES, ApplicationRecord, Check, Evidence, Provenance, RecommendationRecord, Seal
from pipeline.checks.pages import part_in_doubt
from pipeline.checks.registry import CheckContext, finding, register
from pipeline.checks.unit_names import name_score
from pipeline.seals.pairs import may_be_two_stamps
from pipeline.seals.text import as_stamped, spelling_of

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
    "cover_applicant": "封面“申报单位（盖章）”处", "cover_recommender": "封面“推荐单位（盖章）”处",
    "commitment": "真实性承诺“申报单位（加盖公章）”处", "recommendation_letter": "推荐函落款处",
    "recommendation_table": "推荐表落款处",
    **{role: f"{label}“申报单位（盖章）”处" for role, label in REQUIRED_ROLES.items() if role != "commitment"},
}
SLOT_PAGE_ROLE: dict[str, str] = {"cover_applicant": "cover", "cover_recommender": "cover"}
# Two names this similar (rapidfuzz ratio) are one unit's name, read or written slightly differently.
SAME_UNIT_SCORE = 90.0


@register("ATTACHMENT_MISSING", "error")
def attachment_missing(ctx: CheckContext) -> Iterator[Check]:
    for role, label in REQUIRED_ROLES.items():
        if role not in ctx.roles:
            message = f"申报材料中未找到“{label}”页面（共 {ctx.record.source.page_count} 页）"
            if why := part_in_doubt(ctx.record, role):
                yield _part_unread(ctx, role, message, why)
            else:
                yield finding("ATTACHMENT_MISSING", role, f"{message}，请补充", expected=role)


def _part_unread(ctx: CheckContext, role: str, message: str, why: list[str]) -> Check:
    """LOW_CONFIDENCE for a part not found where a page whose role is in doubt stands in its place
    (`pipeline.checks.pages`): the part may be that page, misread, so its absence is a reviewer's to see, and
    its slot's seal, on a page not found, is not reported apart (one cause, one finding)."""
    return Check(code="LOW_CONFIDENCE", severity="warning", where=role, doubts=[f"source.pages.{role}"],
                 confidence=UNREAD_PART_CONFIDENCE, expected=role,
                 evidence=ctx.evidence(roles=[r for r in ctx.roles if r in REQUIRED_ROLES][:1]),
                 message=f"ATTACHMENT_MISSING 未能核对：{message}，但{'；'.join(why)}，"
                         "该页可能就是此部分而未能识别（其盖章亦未核对），请人工核对")


# How sure "this part is missing" is where a page whose role is in doubt stands in its place.
UNREAD_PART_CONFIDENCE = 0.3


@register("SEAL_MISSING", "error", "application", "recommendation")
def seal_missing(ctx: CheckContext) -> Iterator[Check]:
    slots = ctx.record.seal_slots.model_dump()
    judged = []
    for slot, stamped in slots.items():
        if not stamped:
            role = SLOT_PAGE_ROLE.get(slot, slot)
            if role not in ctx.roles and _recommendation_unread(ctx):
                judged.append(_table_unread(ctx, slot))
                continue
            if role not in ctx.roles and isinstance(ctx.record, ApplicationRecord) and part_in_doubt(ctx.record, role):
                continue  # the part's own LOW_CONFIDENCE (ATTACHMENT_MISSING's) names its seal too
            absent = "（该页未找到）" if role not in ctx.roles else ""
            check = finding("SEAL_MISSING", slot, f"{SLOT_PLACES.get(slot, slot)}未见公章{absent}",
                            evidence=ctx.evidence(roles=[role]))
            judged.append(_absence_judged(ctx, check, slot, role))
    unsure = [check for check in judged if check.doubts]  # absences on pages without colour, specks or none
    if isinstance(ctx.record, ApplicationRecord) and (len(unsure) + _found_late(ctx, slots)) * 2 > len(slots):
        judged = [_reader_failed(check, len(unsure), len(slots)) if check.code == "SEAL_MISSING" and check.doubts
                  else check for check in judged]
    yield from judged


def _recommendation_unread(ctx: CheckContext) -> bool:
    """A recommendation of which no unit recommended was read, in its table or its letter: its pages did not read
    (their LOW_CONFIDENCE says so), and a table page not found may be on the letter's page unrecognised."""
    record = ctx.record
    return isinstance(record, RecommendationRecord) and not record.recommendation.recommended \
        and not record.recommendation.letter_names


def _table_unread(ctx: CheckContext, slot: str) -> Check:
    """LOW_CONFIDENCE for the stamp of a recommendation's table no page was found for, where nothing of the
    recommendation's units read (dev30 r14: letter and table on one photographed page at 85 dpi): the table's page
    was not recognised rather than left out, so whether it is stamped is a reviewer's to see."""
    return Check(code="LOW_CONFIDENCE", severity="info", where=f"seal_slots.{slot}", doubts=[f"seal_slots.{slot}"],
                 confidence=GREY_ABSENCE_CONFIDENCE / 2, evidence=ctx.evidence(roles=["recommendation_letter"]),
                 message=f"{SLOT_PLACES.get(slot, slot)}：未识别出推荐表页面，推荐对象也均未读出，"
                         "推荐表可能与推荐函同页而未能识别，其盖章无法核对，请人工核对")


def _found_late(ctx: CheckContext, slots: dict[str, bool]) -> int:
    """Slots stamped whose seal the detectors missed and only the search for the lead's known stamp found
    (`pipeline.seals.find._known_stamp_places`: a place from the pixels for a filled slot): as much a sign the
    reader fails on the package's pages as an unsure absence."""
    return sum(1 for slot, stamped in slots.items() if stamped
               and (place := ctx.record.provenance.get(f"seal_slots.{slot}")) is not None and place.source == "pixels")


def _reader_failed(check: Check, unsure: int, slots: int) -> Check:
    """LOW_CONFIDENCE for an unsure absence (a page without colour) where most of a package's slots came out
    so: a reader that sees no seal in most of the places a package is stamped has more likely failed on its
    pages (a light grey oval over a table's last rows, dev17 a03's black-and-white scan: six slots) than the
    applicant left most of them unstamped. Each slot is named for a reviewer to look at; none is a finding."""
    return Check(code="LOW_CONFIDENCE", severity="info", where=f"seal_slots.{check.where}", doubts=check.doubts,
                 confidence=GREY_ABSENCE_CONFIDENCE / 2, evidence=check.evidence,
                 message=f"{SLOT_PLACES.get(check.where, check.where)}未见公章，但本申报书 {slots} 处盖章位置中有 "
                         f"{unsure} 处在灰度或黑白页上未见印章，多半是印章未能识别而非漏盖，请人工核对")


# How sure "no seal here" is on a page without colour: red ink cannot be told from print, and a
# faint or dithered ring is easily missed, so the absence is a reviewer's to confirm.
GREY_ABSENCE_CONFIDENCE = 0.6
# How sure scattered seal-like ink at a slot's place is its seal (`pipeline.seals.stipple`): a place to look at.
UNCONFIRMED_SEAL_CONFIDENCE = 0.3




def _absence_judged(ctx: CheckContext, check: Check, slot: str, role: str) -> Check:
    """SEAL_MISSING where the absence is not sure is a warning that says why it may be wrong: a page without
    colour (and where the seal stage found ink there that may be a seal it could not confirm, a doubt to look
    at instead), or a cover stamp large enough to be two. On a colour scan where the seal stage found a ring of
    the stamp's size it could not read, it is a doubt to look at, not an absence."""
    if _without_colour(ctx, role):
        place = ctx.record.provenance.get(f"seal_slots.{slot}")
        if place is not None and place.source == "pixels":
            return _unconfirmed_seal(check, slot, place)
        reason = "该页为灰度或黑白扫描，红色印章无法与文字区分，未见印章可能是漏检"
    elif (place := ctx.record.provenance.get(f"seal_slots.{slot}")) is not None and place.source == "pixels":
        return _unread_stamp(check, slot, place)
    elif (ratio := _oversized_cover_stamp(ctx, slot)) is not None:
        reason = (f"封面另一处的印章比本申报书其他页的印章大 {ratio - 1:.0%}，"
                  "可能是两枚相互重叠的印章被识别成了一枚")
    elif _stamp_between_cover_lines(ctx, slot):
        reason = "封面唯一的印章位于申报单位与推荐单位两行之间，可能是两枚几乎重合的印章被识别成了一枚"
    else:
        return check
    return check.model_copy(update={
        "severity": "warning", "confidence": GREY_ABSENCE_CONFIDENCE, "doubts": [f"seal_slots.{slot}"],
        "message": f"{check.message}。{reason}，请人工核对"})


def _oversized_cover_stamp(ctx: CheckContext, slot: str) -> float | None:
    """How much larger than the package's other stamps the seal in the other cover slot is, when it holds such a
    stamp and is `MERGED_SIZE_RATIO` larger on either side (`pairs.may_be_two_stamps`; None otherwise, and for a
    slot not on the cover): the cover's two stamps fitted as one outline, which the seal stage could not split
    (`pipeline.seals.pairs`): side by side longer, one over the other (two ovals) taller."""
    if SLOT_PAGE_ROLE.get(slot) != "cover":
        return None
    seals = ctx.record.seals
    cover = [_sides(s) for s in seals if s.slot in SLOT_PAGE_ROLE and s.slot != slot]
    others = [_sides(s) for s in seals if s.slot is not None and s.slot not in SLOT_PAGE_ROLE]
    if not cover or not others:
        return None
    stamp = tuple(sorted(side[k] for side in others)[len(others) // 2] for k in (0, 1))
    union = max(cover)
    if not may_be_two_stamps(union, (stamp[0], stamp[1])):
        return None
    return max(u / s for u, s in zip(union, stamp, strict=True) if s > 0)


# Where a single cover stamp's centre stands between the 申报单位 line (0) and the 推荐单位 line (1): each unit
# stamps over its own line (dev sets: -0.25 to 0.0 and 1.0 to 1.1), two stamps one over the other fitted as
# one outline stand between them (0.37, 0.48, 0.70).
BETWEEN_LINES = (0.3, 0.75)


def _stamp_between_cover_lines(ctx: CheckContext, slot: str) -> bool:
    """The cover's one stamp found stands between the two units' lines rather than on either: two stamps
    nearly one over the other, fitted as one (dev41 a01: the recommender's stamp under the applicant's, a
    false SEAL_MISSING error), too close for the outline to be larger (`_oversized_cover_stamp`)."""
    if SLOT_PAGE_ROLE.get(slot) != "cover":
        return False
    lines = [ctx.record.provenance.get(f"cover.{name}") for name in ("applicant", "recommender")]
    stamps = [seal for seal in ctx.record.seals if seal.slot in SLOT_PAGE_ROLE]
    if len(stamps) != 1 or any(line is None or line.bbox is None or line.page != stamps[0].page for line in lines):
        return False
    applicant, recommender = ((line.bbox[1] + line.bbox[3]) / 2 for line in lines if line and line.bbox)
    if recommender <= applicant:
        return False
    where = ((stamps[0].bbox[1] + stamps[0].bbox[3]) / 2 - applicant) / (recommender - applicant)
    return BETWEEN_LINES[0] <= where <= BETWEEN_LINES[1]


def _sides(seal: Seal) -> tuple[float, float]:
    """The seal's box's sides, longer first."""
    x0, y0, x1, y1 = seal.bbox
    return max(x1 - x0, y1 - y0), min(x1 - x0, y1 - y0)


def _unconfirmed_seal(check: Check, slot: str, place: Provenance) -> Check:
    """LOW_CONFIDENCE for a slot whose page holds scattered seal-like ink (a faded seal on a 1-bit scan) that
    no ring test confirmed: neither a seal found nor an empty place, so a reviewer looks at the crop."""
    return Check(code="LOW_CONFIDENCE", severity="info", where=f"seal_slots.{slot}", doubts=[f"seal_slots.{slot}"],
                 confidence=UNCONFIRMED_SEAL_CONFIDENCE,
                 evidence=[Evidence(page=place.page, bbox=place.bbox)],
                 message=f"{SLOT_PLACES.get(slot, slot)}在黑白扫描中有疑似印章的散点墨迹，但无法确认印章，请人工核对")


def _unread_stamp(check: Check, slot: str, place: Provenance) -> Check:
    """LOW_CONFIDENCE for a slot on a colour scan where the seal stage found a red ring of the applicant's stamp's
    size that it could not read (`pipeline.seals.find._known_stamp_seals`): a stamp is there, whose is in doubt,
    so "no seal" would be a false error."""
    return Check(code="LOW_CONFIDENCE", severity="info", where=f"seal_slots.{slot}", doubts=[f"seal_slots.{slot}"],
                 confidence=UNCONFIRMED_SEAL_CONFIDENCE, evidence=[Evidence(page=place.page, bbox=place.bbox)],
                 message=f"{SLOT_PLACES.get(slot, slot)}有与本申报书其他页印章同样大小的红色印章，但印文未能识读，"
                         "无法确认是否为申报单位的印章，请人工核对")


def _without_colour(ctx: CheckContext, role: str) -> bool:
    """Every page of `role` is a scan without colour (grey or 1-bit): ink colours cannot be told apart."""
    pages = [page for page in ctx.record.source.pages if page.role == role]
    return bool(pages) and all(page.kind != "text" and page.colour is False for page in pages)


def _signature_absence_judged(ctx: CheckContext, check: Check) -> Check:
    """SIGNATURE_MISSING on a commitment page without colour is a warning that says why it may be wrong:
    pen ink is print-dark there, and a dithered scan breaks a signature's strokes into specks."""
    if "commitment" not in ctx.roles or not _without_colour(ctx, "commitment"):
        return check
    return check.model_copy(update={
        "severity": "warning", "confidence": GREY_ABSENCE_CONFIDENCE, "doubts": ["signatures.commitment_legal_rep"],
        "message": f"{check.message}。该页为灰度或黑白扫描，签名笔迹无法按颜色与文字区分，未见签名可能是漏检，请人工核对"})


@register("SIGNATURE_MISSING", "error")
def signature_missing(ctx: CheckContext) -> Iterator[Check]:
    assert isinstance(ctx.record, ApplicationRecord)
    if not ctx.record.signatures.commitment_legal_rep:
        reason = ("真实性承诺“法定代表人（签名：）”处未见签名" if "commitment" in ctx.roles
                  else "缺少真实性承诺页，无法核对法定代表人签名")
        check = finding("SIGNATURE_MISSING", "commitment_legal_rep", reason, evidence=ctx.evidence(roles=["commitment"]))
        yield _signature_absence_judged(ctx, check)


@register("CONSORTIUM_AGREEMENT_MISSING", "warning")
def consortium_agreement_missing(ctx: CheckContext) -> Iterator[Check]:
    assert isinstance(ctx.record, ApplicationRecord)
    members = ctx.record.basic_info.members
    if members and ctx.has_consortium_agreement is False:
        names = "、".join(member.name for member in members)
        yield finding("CONSORTIUM_AGREEMENT_MISSING", "",
                      f"基本情况表填报联合体成员 {len(members)} 家（{names}），但材料中未找到联合体合作协议页面",
                      found=len(members), evidence=ctx.evidence(roles=["basic_info"]))


def _same_unit(seal: str, name: str) -> bool:
    """One unit's name: alike, or spelt apart by an OCR slip or two (in the field or on the seal), which
    leaves the name in doubt rather than the seal someone else's; or the field's name as the seal stage names
    the unit's seals (`as_stamped`: the form's next words read on past it, or a stretch of it garbled where
    the unit's seals agree in spelling it surely)."""
    return name_score(seal, name) >= SAME_UNIT_SCORE or spelling_of(seal, name) or as_stamped(seal, name)


@register("SEAL_NAME_MISMATCH", "warning")
def seal_name_mismatch(ctx: CheckContext) -> Iterator[Check]:
    """A slot whose every seal was read as another unit's name (the seals stage flags from pixels too)."""
    record = ctx.record
    assert isinstance(record, ApplicationRecord)
    lead = [name for name in (record.cover.applicant, record.basic_info.lead_unit.name) if name]
    owners = {"cover_recommender": [record.cover.recommender] if record.cover.recommender else []}
    for slot in record.seal_slots.model_dump():
        names = owners.get(slot, lead)
        group = [seal for seal in record.seals if seal.slot == slot]
        if not names or not group or any(not seal.text for seal in group):
            continue
        if all(not any(_same_unit(seal.text or "", name) for name in names) for seal in group):
            found = group[0].text or ""
            yield finding("SEAL_NAME_MISMATCH", slot,
                          f"{SLOT_PLACES.get(slot, slot)}印章为“{found}”，应为“{names[0]}”的印章",
                          expected=names[0], found=found,
                          evidence=[Evidence(page=seal.page, bbox=seal.bbox) for seal in group])
