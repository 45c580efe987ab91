"""Rules the notice sets on the basic-info form and cover."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator

from rapidfuzz.distance import Hamming

from models import ApplicationRecord, Check, Evidence
from models.codes import (
    CREDIT_CODE_ALPHABET,
    INDUSTRY_ALIASES,
    canonical_industry,
    credit_code_check_char,
    is_valid_credit_code,
)
from pipeline.checks.figures import table_present, unreadable_cell
from pipeline.checks.registry import CheckContext, finding, register, two_names
from pipeline.text.chars import count_chars
from pipeline.text.words import holds_a_word

MOBILE = re.compile(r"1\d{10}")
LANDLINE = re.compile(r"0\d{2,3}\d{7,8}(?:转\d{1,6})?")
EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}")


def _application(ctx: CheckContext) -> ApplicationRecord:
    assert isinstance(ctx.record, ApplicationRecord)
    return ctx.record


def experience_cutoff(reference: dt.date, years: int) -> dt.date:
    """"两年以上服务经验": the latest founding date `years` before `reference` (29 Feb → 28 Feb)."""
    try:
        return reference.replace(year=reference.year - years)
    except ValueError:
        return reference.replace(year=reference.year - years, day=28)


def _digits_only(phone: str) -> str:
    """Drop what people put between digits (spaces, dashes, brackets) and a +86 prefix."""
    compact = re.sub(r"[\s\-()（）—－]", "", phone)
    return compact.removeprefix("+86").removeprefix("86") if len(compact) > 11 else compact


def is_mobile(phone: str) -> bool:
    return MOBILE.fullmatch(_digits_only(phone)) is not None


# A landline read with its area code's head lost: one to three digits, no leading 0, then a separator and
# a whole local number (7-8 digits, never starting 0 or 1): '78-67734570' of '0578-67734570'.
_CUT_AREA_CODE = re.compile(r"[1-9]\d{0,2}\s*[-－—]\s*[2-9]\d{6,7}")


def area_code_cut(phone: str) -> bool:
    """Whether `phone` is a landline whose area code lost its first characters (its 0 at least)."""
    return _CUT_AREA_CODE.fullmatch(phone.strip()) is not None


def is_phone(phone: str) -> bool:
    digits = _digits_only(phone)
    return MOBILE.fullmatch(digits) is not None or LANDLINE.fullmatch(digits) is not None


@register("INVALID_CREDIT_CODE", "error")
def invalid_credit_code(ctx: CheckContext) -> Iterator[Check]:
    code = _application(ctx).basic_info.lead_unit.credit_code
    if code is not None and not is_valid_credit_code(code):
        check = finding("INVALID_CREDIT_CODE", "", f"统一社会信用代码“{code}”不符合 GB 32100-2015：{credit_code_problem(code)}",
                        found=code, evidence=ctx.evidence("basic_info.lead_unit.credit_code"))
        yield ctx.judged(check, ["basic_info.lead_unit.credit_code"])


def credit_code_problem(code: str) -> str:
    """What is wrong with a credit code, in words a reviewer can check against the licence."""
    if len(code) != 18:
        return f"应为 18 位，实为 {len(code)} 位"
    bad = [char for char in code if char not in CREDIT_CODE_ALPHABET]
    if bad:
        return f"含有不允许的字符“{''.join(dict.fromkeys(bad))}”（不使用 I、O、Z、S、V）"
    return f"校验位应为“{credit_code_check_char(code[:17])}”，实为“{code[17]}”"


@register("NOT_LEGAL_PERSON", "error")
def not_legal_person(ctx: CheckContext) -> Iterator[Check]:
    if _application(ctx).basic_info.lead_unit.is_legal_person is False:
        check = finding("NOT_LEGAL_PERSON", "", "“是否注册法人”勾选为“否”，申报对象应为独立法人单位",
                        evidence=ctx.evidence("basic_info.lead_unit.is_legal_person"))
        yield ctx.judged(check, ["basic_info.lead_unit.is_legal_person"])


@register("TOO_MANY_INDUSTRIES", "error")
def too_many_industries(ctx: CheckContext) -> Iterator[Check]:
    industries = _application(ctx).basic_info.lead_unit.main_industries
    limit = ctx.rules.max_industries
    if len(industries) > limit and len(industries) - len(unknown_industries(ctx, industries)) <= limit:
        yield unread_industries(ctx, "basic_info.lead_unit.main_industries", industries, limit)
    elif len(industries) > limit:
        check = finding("TOO_MANY_INDUSTRIES", "",
                        f"服务的主要行业填报 {len(industries)} 个（{'、'.join(industries)}），超过 {limit} 个上限",
                        expected=limit, found=len(industries),
                        evidence=ctx.evidence("basic_info.lead_unit.main_industries"))
        yield ctx.judged(check, ["basic_info.lead_unit.main_industries"])


def _read_from_pixels(ctx: CheckContext, path: str) -> bool:
    origin = ctx.record.provenance.get(path)
    return origin is not None and origin.source == "ocr"


MISREAD_MIN_CHARS = 3  # shorter names one character off a known one may be other words (化纤 beside 化工)


def misread_industry(ctx: CheckContext, name: str) -> str | None:
    """The one industry of the notice whose name or alias `name` is one character off ('坊织服装' for 纺织服装),
    as OCR misreads a character of a longer name; None if none or several are."""
    if len(name) < MISREAD_MIN_CHARS:
        return None
    spellings = {known: known for known in ctx.rules.industries} | {
        alias: canonical for alias, canonical in INDUSTRY_ALIASES.items() if canonical in ctx.rules.industries}
    near = {canonical for spelling, canonical in spellings.items()
            if len(spelling) == len(name) and Hamming.distance(spelling, name) == 1}
    return near.pop() if len(near) == 1 else None


@register("UNKNOWN_INDUSTRY", "warning")
def unknown_industry(ctx: CheckContext) -> Iterator[Check]:
    known = ctx.rules.industries
    path = "basic_info.lead_unit.main_industries"
    # An industry listed twice is one name to look up (the limit counts both items: TOO_MANY_INDUSTRIES).
    for name in dict.fromkeys(unknown_industries(ctx, _application(ctx).basic_info.lead_unit.main_industries)):
        if (likely := misread_industry(ctx, name)) is not None:
            yield finding("LOW_CONFIDENCE", path, f"{path} 中“{name}”与通知所列行业“{likely}”仅差一字，可能是其误读，"
                          f"请人工核对", found=name, expected=likely, evidence=ctx.evidence(path))
            continue
        if _read_from_pixels(ctx, path) and not holds_a_word(name):
            yield finding("LOW_CONFIDENCE", path, f"{path} 中“{name}”不成词，不像填报的行业名称，可能是误读，请人工核对",
                          found=name, confidence=0.5, evidence=ctx.evidence(path))
            continue
        yield finding("UNKNOWN_INDUSTRY", name,
                      f"服务的主要行业“{name}”不在通知列出的 {len(known)} 个行业（{'、'.join(known)}）之内",
                      found=name, evidence=ctx.evidence("basic_info.lead_unit.main_industries"))


@register("TOO_MANY_MEMBERS", "error")
def too_many_members(ctx: CheckContext) -> Iterator[Check]:
    members = _application(ctx).basic_info.members
    limit = ctx.rules.max_members
    if len(members) > limit:
        paths = [f"basic_info.members[{i}]" for i in range(len(members))]
        check = finding("TOO_MANY_MEMBERS", "", f"联合体成员单位填报 {len(members)} 家，超过 {limit} 家上限",
                        expected=limit, found=len(members),
                        evidence=ctx.evidence(*paths) or ctx.evidence(roles=["basic_info"]))
        yield ctx.judged(check, paths)


@register("INSUFFICIENT_EXPERIENCE", "warning")
def insufficient_experience(ctx: CheckContext) -> Iterator[Check]:
    established = _application(ctx).basic_info.lead_unit.established
    reference, years = ctx.rules.experience_reference, ctx.rules.experience_years
    cutoff = experience_cutoff(reference, years)
    if established is not None and established > cutoff:
        yield finding("INSUFFICIENT_EXPERIENCE", "",
                      f"牵头单位成立时间 {established.isoformat()}，距 {reference.isoformat()} 不足 {years} 年"
                      f"（应不晚于 {cutoff.isoformat()}），不满足{years}年以上服务经验要求",
                      expected=cutoff.isoformat(), found=established.isoformat(),
                      evidence=ctx.evidence("basic_info.lead_unit.established"))


@register("INVALID_PHONE", "warning")
def invalid_phone(ctx: CheckContext) -> Iterator[Check]:
    record = _application(ctx)
    mobile = record.basic_info.head.mobile
    if mobile is not None and not is_mobile(mobile):
        check = finding("INVALID_PHONE", "basic_info.head.mobile", f"单位负责人手机号“{mobile}”不是以1开头的11位号码",
                        found=mobile, evidence=ctx.evidence("basic_info.head.mobile"))
        yield well_formed_reading(ctx, check, "basic_info.head.mobile", is_mobile) \
            or ctx.judged(check, ["basic_info.head.mobile"])
    phone = record.cover.phone
    if phone is None or is_phone(phone):
        return
    check = finding("INVALID_PHONE", "cover.phone", f"封面联系电话“{phone}”既不是手机号也不是固定电话", found=phone,
                    evidence=ctx.evidence("cover.phone"))
    if (doubt := well_formed_reading(ctx, check, "cover.phone", is_phone)) is not None:
        yield doubt
    elif _read_from_pixels(ctx, "cover.phone") and area_code_cut(phone):
        yield finding("LOW_CONFIDENCE", "cover.phone", f"封面联系电话读作“{phone}”：区号不完整而号码完整，可能是区号开头"
                      f"的字符（0）未识读出，请人工核对", found=phone, confidence=0.5, evidence=ctx.evidence("cover.phone"))
    else:
        yield ctx.judged(check, ["cover.phone"])


@register("INVALID_EMAIL", "warning")
def invalid_email(ctx: CheckContext) -> Iterator[Check]:
    email = _application(ctx).basic_info.head.email
    if email is not None and not is_email(email):
        check = finding("INVALID_EMAIL", "", f"电子邮箱“{email}”格式不正确", found=email,
                        evidence=ctx.evidence("basic_info.head.email"))
        yield well_formed_reading(ctx, check, "basic_info.head.email", is_email) \
            or ctx.judged(check, ["basic_info.head.email"])


def is_email(text: str) -> bool:
    return EMAIL.fullmatch(text.strip()) is not None


def well_formed_reading(ctx: CheckContext, check: Check, path: str, valid: Callable[[str], bool]) -> Check | None:
    """LOW_CONFIDENCE in place of a form check that fails on a value the reader also read otherwise, where one of
    those other readings (`alternatives` no rule settled) has the form: the pixels do not say the applicant wrote
    it wrong (dev13 a03's photo: 'qx×740@qq.com' beside 'qx740@qq.com' and 'qx740@aq.com', two well-formed readings
    the address's form cannot choose between). An address written without its '@' (the applicant's slip) reads
    without it every way. None where no other reading has the form."""
    origin = ctx.record.provenance.get(path)
    if origin is None or not origin.unsettled:
        return None
    formed = [alt for alt in origin.alternatives if isinstance(alt, str) and valid(alt)]
    if not formed:
        return None
    return finding("LOW_CONFIDENCE", path,
                   f"{check.message}，但另有读数（{' 或 '.join(formed)}）格式正确，未判定为格式错误。"
                   f"请人工核对：{ctx.describe_doubt(path)}",
                   found=check.found, confidence=min(ctx.confidence_of([path]), ctx.rules.confident),
                   doubts=[path], rests_on=[path], evidence=check.evidence)


@register("FILL_DATE_OUT_OF_WINDOW", "warning")
def fill_date_out_of_window(ctx: CheckContext) -> Iterator[Check]:
    fill_date = _application(ctx).cover.fill_date
    deadline = ctx.rules.fill_date_deadline
    if fill_date is not None and fill_date > deadline:
        yield finding("FILL_DATE_OUT_OF_WINDOW", "", f"封面填报日期 {fill_date.isoformat()} 晚于申报截止日 {deadline.isoformat()}",
                      expected=deadline.isoformat(), found=fill_date.isoformat(),
                      evidence=ctx.evidence("cover.fill_date"))


def _provider_where(seq: int | None, index: int) -> str:
    return str(seq if seq is not None else index + 1)


@register("PROVIDER_TOO_MANY_INDUSTRIES", "warning")
def provider_too_many_industries(ctx: CheckContext) -> Iterator[Check]:
    if not table_present(ctx, "providers"):
        return
    limit = ctx.rules.max_provider_industries
    for index, row in enumerate(_application(ctx).appendix.providers):
        if len(row.industries) <= limit:
            continue
        path = f"appendix.providers[{index}].industries"
        if (why := merged_why(ctx, index, "industries")) is not None:
            yield merged_row(index, "industries", why, "主要服务行业个数", ctx.evidence(path))
            continue
        uncounted = [name for name in unknown_industries(ctx, row.industries)
                     if name not in whole_misreadings(ctx, row.industries)]
        if len(row.industries) - len(uncounted) <= limit:
            yield unread_industries(ctx, path, row.industries, limit)
            continue
        yield finding("PROVIDER_TOO_MANY_INDUSTRIES", _provider_where(row.seq, index),
                      f"附3表2 序号 {_provider_where(row.seq, index)} 服务商“{row.name or '（名称未识别）'}”"
                      f"主要服务行业 {len(row.industries)} 个（{'、'.join(row.industries)}），超过 {limit} 个",
                      expected=limit, found=len(row.industries), evidence=ctx.evidence(path))


def shared_cell(ctx: CheckContext, index: int, cell: str) -> list[int]:
    """The other rows of 附3表2 whose `cell` was read as the very same content as row `index`'s (1-based, for a
    message): one cell the table reader laid over several rows gave each of them its content (dev27 a12, a
    photographed table: three rows each given one 29-industry list and one 203-字 capability). Two providers'
    own cells alike that hold too much are no applicant's writing but the reader's."""
    rows = _application(ctx).appendix.providers
    value = getattr(rows[index], cell)
    if not value:
        return []
    return [other + 1 for other, row in enumerate(rows) if other != index and getattr(row, cell) == value]


def merged_why(ctx: CheckContext, index: int, cell: str) -> str | None:
    """Why row `index` of 附3表2 is several rows read as one, for a message, or None: two units' names in its name
    (`two_names`), its `cell` read as the very same content as another row's (`shared_cell`), or its industries
    listing one twice (`listed_twice`)."""
    row = _application(ctx).appendix.providers[index]
    name = row.name or "（名称未识别）"
    if two_names(row.name):
        return f"服务商名称读作“{row.name}”，含两家单位的名称，可能是两行被识别为一行"
    if (twice := listed_twice(row.industries) if cell == "industries" else None) is not None:
        return f"服务商“{name}”的主要服务行业中“{twice}”出现两次，可能是多行被识别为一格"
    if shared := shared_cell(ctx, index, cell):
        others = "、".join(f"第 {other} 行" for other in shared)
        return f"服务商“{name}”的该格内容与{others}完全相同，可能是多行被识别为一格"
    return None


def merged_row(index: int, cell: str, why: str, what: str, evidence: list[Evidence]) -> Check:
    """LOW_CONFIDENCE for a per-row limit exceeded on a row that is several rows read as one (`merged_why`): its
    cells hold several rows' items, so the limit says nothing of either provider."""
    return finding("LOW_CONFIDENCE", f"appendix.providers[{index}].{cell}",
                   f"附3表2 第 {index + 1} 行{why}，{what}未核对，请人工核对", evidence=evidence)


def listed_twice(industries: list[str]) -> str | None:
    """An industry a cell lists twice (by its canonical name): no applicant lists one industry twice in a row;
    several rows' cells read as one hold it twice (dev47 a12's photographed 附3表2 read as one row: 有色 from rows
    1 and 3, 13 items in all)."""
    seen: set[str] = set()
    for item in industries:
        name = canonical_industry(item)
        if name in seen:
            return item
        seen.add(name)
    return None


def unknown_industries(ctx: CheckContext, industries: list[str]) -> list[str]:
    """Those of `industries` that are none of the notice's, by their canonical names (a record corrected
    by hand may hold an alias)."""
    return [name for name in industries if canonical_industry(name) not in ctx.rules.industries]


def whole_misreadings(ctx: CheckContext, industries: list[str]) -> set[str]:
    """Items of `industries` that are an industry of the notice with one character misread ('《品' for 食品 on a
    photographed 附3表2, dev37 a11) and no piece of one: joined to the item before or after, they are no industry
    one character off ('石化、花工' is 石化化工 cut in two). Such an item is one the applicant wrote, and counts."""
    known = ctx.rules.industries

    def near(text: str) -> bool:
        return any(len(name) == len(text) and Hamming.distance(name, text) <= 1 for name in known)

    found = set()
    for position, item in enumerate(industries):
        joined = [*([industries[position - 1] + item] if position else []),
                  *([item + industries[position + 1]] if position + 1 < len(industries) else [])]
        if item not in known and near(item) and not any(near(text) for text in joined):
            found.add(item)
    return found


def unread_industries(ctx: CheckContext, path: str, industries: list[str], limit: int) -> Check:
    """Too many industries only by counting items that are no industry of the notice ('41', '花工'):
    most often a misread or a neighbouring cell's text, so the cell is a doubt, not a breach."""
    unknown = unknown_industries(ctx, industries)
    return finding("LOW_CONFIDENCE", path,
                   f"{path} 读作 {'、'.join(industries)}：超过 {limit} 个只因其中 {'、'.join(unknown)} "
                   f"不是通知所列行业（可能误读），请人工核对", evidence=ctx.evidence(path))


@register("PROVIDER_CAPABILITY_TOO_LONG", "warning")
def provider_capability_too_long(ctx: CheckContext) -> Iterator[Check]:
    if not table_present(ctx, "providers"):
        return
    limit = ctx.rules.max_capability_chars
    for index, row in enumerate(_application(ctx).appendix.providers):
        if not row.capability:
            yield unreadable_cell(ctx, "providers", index, "capability", "核心能力字数")
            continue
        length = count_chars(row.capability)
        why = merged_why(ctx, index, "capability") if length > limit else None
        if why is not None:
            yield merged_row(index, "capability", why, "核心能力字数",
                             ctx.evidence(f"appendix.providers[{index}].capability"))
        elif length > limit:
            yield finding("PROVIDER_CAPABILITY_TOO_LONG", _provider_where(row.seq, index),
                          f"附3表2 序号 {_provider_where(row.seq, index)} 服务商“{row.name or '（名称未识别）'}”"
                          f"核心能力 {length} 字，超过 {limit} 字",
                          expected=limit, found=length,
                          evidence=ctx.evidence(f"appendix.providers[{index}].capability"))
