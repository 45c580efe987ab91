"""The 建设方案 sections against the template's rules: presence, 字 limits, content areas, yearly goals."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

from rapidfuzz.distance import Levenshtein

from models import ApplicationRecord, Check, Evidence, Plan
from pipeline.checks.pages import pages_of, plan_pages_in_doubt
from pipeline.checks.registry import CheckContext, finding, register
from pipeline.text.chars import is_cjk
from pipeline.text.language import numbered_parts
from pipeline.text.sections import name_read_in_part
from pipeline.text.words import READABLE_SHARE, word_share

SECTION_TITLES = {"foundation": "（一）基础条件", "goals": "（二）建设目标", "content": "（三）建设内容", "guarantee": "（四）组织保障"}

READABLE_MIN_CHARS = 200  # fewer characters say too little (a 建设内容 of the template runs to 1,000 and more)


def _first_heading_low(record: ApplicationRecord) -> tuple[str, int] | None:
    """The first section found (its key and page) where its heading lies in the lower half of the plan's first
    page: the plan opens at the top of its first page with （一）, so half a page above the first heading found is
    text whose heading was not read (dev36 a01, a phone photo: （二）建设目标 at 588 pt, the 基础条件 above it
    unread), not a section left out (dev27 a11's plan opens with （二）, read at 100 pt). The page's extent is
    taken from the record's lowest box on any page (a page of the form is as tall as any other)."""
    plan_pages = pages_of(record, "plan")
    origin = record.provenance.get("plan.sections[0].text")
    if not record.plan.sections or not plan_pages or origin is None or origin.bbox is None \
            or origin.page != min(plan_pages):
        return None
    bottom = max((box.bbox[3] for box in record.provenance.values() if box.bbox is not None), default=0.0)
    return (record.plan.sections[0].key, origin.page) if origin.bbox[1] > bottom / 2 else None


def _record(ctx: CheckContext) -> ApplicationRecord:
    assert isinstance(ctx.record, ApplicationRecord)
    return ctx.record


def _plan(ctx: CheckContext) -> Plan:
    return _record(ctx).plan


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


def _plan_share(plan: Plan) -> float | None:
    """How much of the sections' text read makes words (`word_share`); None for too little text."""
    return word_share("\n".join(section.text or "" for section in plan.sections), READABLE_MIN_CHARS)


def _headings_in_doubt(record: ApplicationRecord) -> dict[str, str]:
    """Each section not found whose heading may be on the page, misread: key → why (for the message).
    A line in its place with its heading's shape; or plan text so scrambled (a phone photo's) that a
    heading in it would be lost too — the sections around then read long, holding the lost ones; or a page
    among or beside the plan's whose role is in doubt (`pipeline.checks.pages`), which may hold them."""
    plan = record.plan
    missing = [key for key in SECTION_TITLES if key not in _present(plan)]
    share = _plan_share(plan) if missing else None  # segmenting the plan's text is the cost: only when needed
    scrambled = share is not None and share < READABLE_SHARE
    pages = plan_pages_in_doubt(record) if missing else []
    below = _first_heading_low(record) if missing else None
    doubts: dict[str, str] = {}
    for key in missing:
        if (shaped := plan.heading_doubts.get(key)) is not None:
            doubts[key] = f"其位置有一行“{shaped}”形如该标题（可能误读）"
        elif (lost := plan.heading_unread.get(key)) is not None:
            doubts[key] = f"其位置所在的部分超出字数限制，且{lost}，该标题可能在其中而未读出"
        elif scrambled:
            doubts[key] = f"建设方案识读出的文字仅 {share:.0%} 成词，多半未能正确识读，该标题可能在页面上而未读出"
        elif below is not None and list(SECTION_TITLES).index(key) < list(SECTION_TITLES).index(below[0]):
            doubts[key] = (f"识别出的第一个部分“{SECTION_TITLES[below[0]]}”的标题位于建设方案首页（第 {below[1]} 页）"
                           "下半页，其上的内容未识别出标题，该部分可能在其中而标题未读出")
        elif pages:
            # A plan page read as something else holds what is not found as well as any page read: the
            # section is unread there, not absent (one LOW_CONFIDENCE with the scrambled plan's).
            doubts[key] = f"{'；'.join(pages)}，该页可能是建设方案的一页而未能识读"
    return doubts


@register("SECTION_MISSING", "error")
def section_missing(ctx: CheckContext) -> Iterator[Check]:
    plan = _plan(ctx)
    present = _present(plan)
    in_doubt = _headings_in_doubt(_record(ctx))
    # Lost in a plan read scrambled, or misread by a character where it stands ('（四）组织保降（500字）').
    unread = [key for key in in_doubt if key not in plan.heading_doubts or _heading_misread(key, plan.heading_doubts[key])]
    if unread:
        yield _unread_headings(ctx, plan, unread, in_doubt[unread[0]])
    for key, title in SECTION_TITLES.items():
        if key not in present and key not in unread:
            found = "、".join(title for key, title in SECTION_TITLES.items() if key in present) or "无"
            check = finding("SECTION_MISSING", key, f"建设方案缺少“{title}”部分（已识别的部分：{found}）",
                            expected=title, evidence=ctx.evidence(roles=["plan"]))
            if key in in_doubt:
                check = check.model_copy(update={
                    "severity": "warning", "found": plan.heading_doubts.get(key), "confidence": 0.5,
                    "doubts": [f"plan.{key}"], "message": f"{check.message}。但{in_doubt[key]}，请人工核对"})
            yield check


# A limit note after a heading's title ('（500字）'), as the template prints it.
_LIMIT_NOTE = re.compile(r"[（(]\s*\d+\s*字\s*[）)]\s*$")


def _heading_misread(key: str, line: str) -> bool:
    """Whether a line of a heading's shape in its place is that heading read with one character wrong: its numeral
    and title within one character of the template's ('（四）组织保降' for （四）组织保障), or its numeral and the
    name's own characters in order with some lost ('（三）建内8' for （三）建设内容, dev47 a03's phone photo). The
    section is there, its heading misread, not missing: a doubt for a reviewer, not a finding (dev30 a12's phone
    photo). A line of other words in that shape ('（四）人员安排') may be a heading of the applicant's own."""
    text = _LIMIT_NOTE.sub("", "".join(unicodedata.normalize("NFKC", line).split()))
    title = unicodedata.normalize("NFKC", SECTION_TITLES[key])
    numeral, name = title[:3], title[3:]
    return Levenshtein.distance(text, title) <= 1 or (
        text.startswith(numeral) and name_read_in_part("".join(filter(is_cjk, text[3:])), name))


def _unread_headings(ctx: CheckContext, plan: Plan, keys: list[str], why: str) -> Check:
    """One LOW_CONFIDENCE for the plan whose text did not read as language, naming the headings not found in
    it: they were not read, not found absent, and one cause (the plan's pages read scrambled, a phone photo's
    lines cut and joined) is one thing for a reviewer to look at, not a finding per heading (dev25 a05: three
    false SECTION_MISSING warnings beside （二）建设目标's 52% words). A heading with a line of its shape in its
    place is still its own warning, naming that line."""
    titles = "、".join(f"“{SECTION_TITLES[key]}”" for key in keys)
    found = "、".join(title for key, title in SECTION_TITLES.items() if key in _present(plan)) or "无"
    return finding("LOW_CONFIDENCE", "plan.sections",
                   f"SECTION_MISSING 未能核对：建设方案未识别出 {titles} 部分（已识别的部分：{found}），但{why}，请人工核对",
                   confidence=0.3, doubts=[f"plan.{key}" for key in keys], expected="、".join(SECTION_TITLES[k] for k in keys),
                   evidence=ctx.evidence(roles=["plan"])).model_copy(update={"severity": "warning"})


def _holds_a_lost_section(key: str, in_doubt: dict[str, str]) -> bool:
    """Whether the section after `key` (in the template's order) is one of `in_doubt`, not found and maybe
    misread: the text counted for `key` then runs on through it, and its length is not `key`'s own."""
    keys = list(SECTION_TITLES)
    following = keys[keys.index(key) + 1:] if key in keys else []
    return bool(following) and following[0] in in_doubt


@register("WORD_LIMIT_EXCEEDED", "warning")
def word_limit_exceeded(ctx: CheckContext) -> Iterator[Check]:
    plan = _plan(ctx)
    in_doubt = _headings_in_doubt(_record(ctx))
    for section in plan.sections:
        limit = ctx.rules.word_limits.get(section.key, section.limit)
        if section.chars > limit and not _holds_a_lost_section(section.key, in_doubt):
            yield finding("WORD_LIMIT_EXCEEDED", section.key,
                          f"建设方案“{section.title}”共 {section.chars} 字，超过 {limit} 字的限制（多 {section.chars - limit} 字）",
                          expected=limit, found=section.chars, evidence=_plan_evidence(ctx, section.key))


@register("TOO_FEW_CONTENT_AREAS", "error")
def too_few_content_areas(ctx: CheckContext) -> Iterator[Check]:
    plan = _plan(ctx)
    least = ctx.rules.min_content_areas
    if "content" in _present(plan) and len(plan.content_areas) < least:
        covered = "、".join(plan.content_areas) or "无"
        check = finding("TOO_FEW_CONTENT_AREAS", "",
                        f"建设内容仅涉及 {len(plan.content_areas)} 个方面（{covered}），应至少覆盖八个方面中的 {least} 个",
                        expected=least, found=len(plan.content_areas), evidence=_plan_evidence(ctx, "content"))
        touched = mentioned_only(plan)
        text = _section_text(plan, "content")
        share = word_share(text, READABLE_MIN_CHARS)
        if share is not None and share < READABLE_SHARE:
            yield _unreadable_content(check, share)
            return
        parts = numbered_parts(text)
        reasons = []
        if len(plan.content_areas) + len(touched) >= least:
            reasons.append(f"建设内容亦提及 {'、'.join(touched)}（未达判定标准）")
        if parts >= least:
            # Parts the lexicon found no area in are unread, not absent: each may treat an area in words
            # the notice does not use. With enough of them the count is undecided, as a sum over an
            # unread figure is: one LOW_CONFIDENCE asking a reviewer to read the parts, not a finding.
            yield finding("LOW_CONFIDENCE", "plan.content_areas",
                          f"TOO_FEW_CONTENT_AREAS 未能核对：{check.message}，但建设内容分为 {parts} 个编号部分，"
                          f"其中未识别出方面的部分可能以通知以外的说法写成，是否覆盖至少 {least} 个方面请人工核对",
                          confidence=0.5, doubts=["plan.content_areas"], expected=least, found=len(plan.content_areas),
                          evidence=check.evidence).model_copy(update={"severity": "warning"})
            return
        if reasons:
            # Whether the text covers enough is then a judgement of wording the lexicon cannot make surely
            # (applicants name the areas in words of their own): a reviewer makes it.
            check = check.model_copy(update={
                "severity": "warning", "confidence": 0.5, "doubts": ["plan.content_areas"],
                "message": f"{check.message}。但{'；'.join(reasons)}，是否覆盖请人工核对"})
        yield check



def _unreadable_content(check: Check, share: float) -> Check:
    """LOW_CONFIDENCE for too few content areas counted in a 建设内容 the reader scrambled: the areas its
    parts treat are in text that does not read, unread rather than absent (a sum over an unread figure)."""
    return check.model_copy(update={
        "code": "LOW_CONFIDENCE", "severity": "warning", "where": "plan.content_areas", "confidence": 0.3,
        "doubts": ["plan.content_areas"],
        "message": f"TOO_FEW_CONTENT_AREAS 未能核对：{check.message}，但建设内容识读出的文字仅 {share:.0%} 成词，"
                   "多半未能正确识读（页面文字错乱），是否覆盖请人工核对"})


def _section_text(plan: Plan, key: str) -> str:
    return next((section.text or "" for section in plan.sections if section.key == key), "")


def mentioned_only(plan: Plan) -> list[str]:
    """The content areas the 建设内容 text mentions (a phrase counted) without covering them."""
    named = {str(m.value) for m in plan.mentions if m.kind == "content_area" and m.section == "content"}
    return sorted(named - set(plan.content_areas))


@register("GOALS_NOT_BY_YEAR", "warning")
def goals_not_by_year(ctx: CheckContext) -> Iterator[Check]:
    plan = _plan(ctx)
    wanted = ctx.rules.goal_years
    missing = [year for year in wanted if year not in plan.goal_years]
    if "goals" in _present(plan) and missing:
        years = "、".join(str(year) for year in missing)
        found = "、".join(map(str, plan.goal_years)) or "无"
        yield finding("GOALS_NOT_BY_YEAR", "", f"建设目标未设定 {years} 年的目标（已分年度的：{found}），应逐年设定",
                      expected="、".join(map(str, wanted)), found=found,
                      evidence=_plan_evidence(ctx, "goals"))
