"""The language pass over the plan's text: content areas, target years, goal kinds and mentions.

The text is cut by a private `jieba.Tokenizer` that knows the domain's phrases (so "诊断评估" or
"设备联网" is one word in patterns and text alike, and the global jieba is left untouched); a phrase
ruler marks the eight content areas and their synonyms, and a pass marks organisations, amounts and
dates for the reviewer report (`segmented`: spaCy's rules for these, without spaCy).

A content area counts when the 建设内容 section treats it, not when it names it
in passing: the area's own name (or a variant: "咨询与评估") scores 2, an activity
the notice or form ties to it ("改造实施", "人才培训") or a clause holding both
words of its name apart ("人才队伍的培训") scores 1, a word also common elsewhere
("解决方案") 0.5, anything in a sub-heading scores double (so a numbered part titled by one
word of an area's name, "（二）推进设施互联", covers it), and the area is covered
at 2 (see `AreaLexicon`; its words come from the notice and the form only).
Mentions in a negated clause ("暂不开展设施联通"), in a clause that quotes the
template's list of all eight, or in the template's own guidance paragraph left in
by the applicant do not count.
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import jieba
from rapidfuzz import fuzz

from models.application import CONTENT_AREAS
from pipeline.text.chars import compact, is_cjk
from pipeline.text.segmented import Phrase, PhraseRuler, Segmented, Span, segment


@dataclass(frozen=True)
class AreaLexicon:
    """How a plan can say it treats one content area, in the programme's own words.

    `names`: the area's name and its rule variants (weight 2: one mention covers it);
    `activities`: work the notice or the form ties to the area ("改造实施", "人才培训") (weight 1);
    `hints`: words the form uses for the area and elsewhere too ("解决方案", "对接") (weight 0.5);
    `pairs`: two word families that, met in one clause, describe the area in other words
    ("人才…培训", "供给…对接") (weight 1 per clause).
    """

    names: tuple[str, ...]
    activities: tuple[str, ...] = ()
    hints: tuple[str, ...] = ()
    pairs: tuple[tuple[str, ...], tuple[str, ...]] = ((), ())


def _name_variants(name: str) -> tuple[str, ...]:
    """A four-character area name (two words) as written in order, swapped, or joined by 与/和/及."""
    first, second = name[:2], name[2:]
    joined = tuple(f"{a}{link}{b}" for a, b in ((first, second), (second, first)) for link in ("与", "和", "及"))
    return (name, f"{second}{first}", *joined)


def _lexicon(name: str, activities: tuple[str, ...] = (), hints: tuple[str, ...] = (),
             first: tuple[str, ...] = (), second: tuple[str, ...] = ()) -> AreaLexicon:
    """An area's lexicon: its name's variants, and the name's two words as the pair families (with `first`
    and `second` added to them)."""
    return AreaLexicon(_name_variants(name), activities, hints, ((name[:2], *first), (name[2:], *second)))


# Where the words come from: only the ministry's notice (/work/shared/spec/notice.txt: the eight
# names, "数字化产品、解决方案", "“小快轻准”解决方案", "数据集、模型库") and the form it prescribes
# (FORM.md: "数字化改造实施服务项目", "人才培训活动", "对接成功"), and abbreviations of those words
# written out (供需 = 供给 + 需求, 宣贯 = 宣传 + 贯彻). Never from the sample generator's phrases
# (samples/prose.py), so content-area scores on generated packages measure the lexicon, not an
# echo of the generator. A plan that treats an area in other words only is missed: its names
# or words must then come from real applications, not from our own samples.
AREAS: dict[str, AreaLexicon] = {
    "评估咨询": _lexicon("评估咨询"),
    "方案开发": _lexicon("方案开发", activities=("小快轻准",), hints=("解决方案", "数字化产品"),
                     first=("产品",)),
    "项目实施": _lexicon("项目实施", activities=("改造实施", "数字化改造实施"), hints=("数字化改造",),
                     first=("改造",)),
    "供需对接": _lexicon("供需对接", hints=("对接",), first=("供给", "需求")),
    "设施联通": _lexicon("设施联通"),
    "数据共享": _lexicon("数据共享", hints=("数据集", "模型库")),
    "人才培养": _lexicon("人才培养", activities=("人才培训", "培训活动"), hints=("培训",), second=("培训",)),
    "政策宣贯": _lexicon("政策宣贯", activities=("宣贯",), second=("宣传", "贯彻")),
}
WEIGHTS = {"AREA": 2.0, "AREA_CUE": 1.0, "AREA_HINT": 0.5}
COVERED = 2.0
# Words that contain a pair word without meaning it: a development zone, a design institute.
_PAIR_FALSE_FRIENDS = ("开发区", "设计院", "研发中心", "需求侧")

# Phrases the segmenter must keep whole, besides the area terms.
_DOMAIN_WORDS = ("工业和信息化", "经济和信息化", "经济和信息化委员会", "数促中心", "人力资源和社会保障")

# A negated clause: "暂不开展…", "不涉及…", "未纳入…", "…不在本中心服务范围".
_NEGATION = re.compile(
    r"(?:暂不|暂未|尚未|并未|并不|未|不|无需|毋需|没有|并非|无)(?:再|予)?"
    r"(?:开展|涉及|包括|包含|纳入|提供|进行|从事|安排|考虑|列入|覆盖|布局|建设|实施|作为|属于|承担|设置)"
    r"|不在.{0,12}范围|暂缓"
)
_SENTENCE_END = "。；！？\n"
_CLAUSE_END = "，,：:" + _SENTENCE_END

# The template's guidance paragraphs (notice.txt), which an applicant may leave in place.
GUIDANCE: dict[str, str] = {
    "foundation": "简述申报对象服务设施、服务场地、人才结构等基本情况，近两年面向重点行业开展评估咨询、方案开发、"
                  "项目实施、供需对接、设施联通、数据共享、人才培养、政策宣贯等数字化转型服务情况以及对制造业中小微"
                  "企业提供优惠服务情况",
    "goals": "提出数促中心的发展定位和主要目标。其中，发展定位应明确服务的主要行业，主要目标应包括服务成效目标、"
             "经济效益目标、社会效益目标三方面，并按年度分解到2028年。",
    "content": "结合实际，围绕《制造业数字化转型促进中心建设指引》提出的评估咨询、方案开发、项目实施、供需对接、"
               "设施联通、数据共享、人才培养、政策宣贯等八方面建设内容中的至少三项，提出数促中心的建设重点和建设任务。",
    "guarantee": "一是数促中心自身的管理机制、资金管理机制、收益分配机制、任务考核机制、人才团队建设等。二是数促中心"
                 "所在地省(市)级工业和信息化主管部门给予数促中心的资金、政策、场所等支持情况。",
}

GOAL_KINDS: dict[str, re.Pattern[str]] = {
    "服务成效": re.compile(r"服务成效|服务效果目标|服务目标[:：]"),
    "经济效益": re.compile(r"经济效益|经济目标[:：]"),
    "社会效益": re.compile(r"社会效益|社会目标[:：]"),
}
GOAL_YEAR_RANGE = (2026, 2030)

_YEAR = r"20[2-3]\d"
# A year, or a list or range of years, closed by 年: "2026年", "2026—2028年", "2026、2027年", "2026年至2028年".
# 年 may come back from OCR as 午.
_YEARS = re.compile(rf"{_YEAR}(?:\s*[年午]?\s*(?:[-－—–~～]+|至|到|、|和|及|与|，|,)\s*{_YEAR})*\s*[年午]")
_RANGE_OP = re.compile(r"[年午]?\s*(?:[-－—–~～]+|至|到)\s*$")
# Document titles and a plan's period are not targets: 《…（2026—2030年）》, 规划（2026-2030年）, “十五五”（2026—2030年）.
_TITLES = re.compile(
    r"《[^》]{0,60}》(?:[（(][^）)]{0,20}[）)])?"
    r"|(?:规划|纲要|计划)[（(][^）)]{0,20}[）)]"
    r"|[“\"]?十[四五六]五[”\"]?(?:时期|期间)?[（(][^）)]{0,20}[）)]"
)
_CN_DIGITS = str.maketrans("〇○零一二三四五六七八九", "000123456789")

_ORG_SUFFIX = re.compile(
    r"(?:股份有限公司|有限责任公司|有限公司|集团|研究院|研究所|设计院|科学院|大学|学院|协会|学会|联盟|商会|"
    r"工业和信息化厅|工业和信息化局|经济和信息化厅|经济和信息化局|经济和信息化委员会|工信厅|工信局|经信厅|经信局|"
    r"科技厅|科技局|人民政府|管理委员会|银行)"
)
# Words that end an organisation name on its left ("依托浙江大学", "与…有限公司合作").
_ORG_STOP = frozenset((
    "与", "和", "及", "同", "联合", "依托", "携手", "由", "是", "为", "向", "在", "对", "等", "从", "被", "把", "将", "通过", "引进", "引入",
    "合作", "牵头", "包括", "如", "以及", "其中", "了", "的", "协同", "面向", "邀请", "会同", "成立", "发起", "获得", "入选", "荣获", "签约",
    "签订", "共建", "支持", "推动", "并", "还", "已", "均", "各", "该", "本", "我", "其", "作为", "担任", "指导", "给予", "积极", "争取", "获评",
    "建立", "聘请", "汇聚", "依靠", "联手", "对接", "覆盖", "包含", "涵盖", "分别", "主要", "重点", "相关"
))
_ORG_GENERIC = frozenset((
    "行业", "相关", "各类", "重点", "龙头", "优质", "地方", "省级", "国家级", "合作", "服务", "金融", "投资", "科技", "高新技术", "上述", "多家", "知名",
    "有关", "软件", "科技型", "高等", "职业", "产业", "行业龙头", "本地", "当地", "区域", "骨干", "合作银行", "商业"
))
_MONEY = re.compile(r"(\d+(?:[,，]\d{3})*(?:\.\d+)?)\s*(亿元|万元|元)")
_DATE = re.compile(r"((?:19|20)\d{2})\s*(?:年\s*(\d{1,2})\s*月(?:\s*(\d{1,2})\s*日)?|[-/.](\d{1,2})[-/.](\d{1,2}))")


@dataclass(frozen=True)
class Mention:
    """Something the reviewer report lists: where (section, offset), what kind, as written, and its value."""

    section: str
    kind: str  # organisation, amount, date, content_area, goal_year
    text: str
    value: str | float | int | None
    offset: int


def _mark_mentions(doc: Segmented) -> Segmented:
    """Mark organisations, amounts and dates as spans in doc.spans["mentions"] (overlaps allowed)."""
    spans: list[Span] = []
    for start, end, label in [*_org_spans(doc), *_regex_spans(doc.text, _MONEY, "MONEY"),
                              *_regex_spans(doc.text, _DATE, "DATE")]:
        span = doc.char_span(start, end, label=label)
        if span is not None:
            spans.append(span)
    doc.spans["mentions"] = spans
    return doc


def _regex_spans(text: str, pattern: re.Pattern[str], label: str) -> Iterable[tuple[int, int, str]]:
    return ((m.start(), m.end(), label) for m in pattern.finditer(text))


def _org_spans(doc: Segmented) -> Iterable[tuple[int, int, str]]:
    """Organisation names: a known suffix, extended left over name-like tokens up to a stop word or mark."""
    seen: set[int] = set()
    for match in _ORG_SUFFIX.finditer(doc.text):
        last = doc.char_span(match.start(), match.end())
        if last is None or last.end in seen:
            continue
        first = last.start
        while first > 0:
            token = doc[first - 1].text
            if token in _ORG_STOP or not all(is_cjk(c) or c in "（）()" for c in token):
                break
            if doc[last.end - 1].idx + len(doc[last.end - 1].text) - doc[first - 1].idx > 30:
                break
            first -= 1
        start, end = doc[first].idx, match.end()
        core = doc.text[start:match.start()].strip("（）()")
        if sum(map(is_cjk, core)) < 2 or core in _ORG_GENERIC:
            continue
        seen.add(last.end)
        yield start, end, "ORG"


@dataclass(frozen=True)
class Language:
    """The language pass's reader of a text: the domain segmenter, the areas' phrase ruler, the mention marker."""

    segmenter: jieba.Tokenizer
    ruler: PhraseRuler

    def __call__(self, text: str) -> Segmented:
        return _mark_mentions(self.ruler(segment(text, self.segmenter)))


@functools.lru_cache(maxsize=1)
def language() -> Language:
    """The domain segmenter, the area phrase ruler and the mention marker (loaded once)."""
    jieba.setLogLevel(logging.WARNING)
    # A private segmenter seeded from the global one's dictionary (loading it again costs
    # a second or two); the domain words go into the copy only.
    jieba.dt.check_initialized()
    segmenter = jieba.Tokenizer()
    segmenter.FREQ, segmenter.total, segmenter.initialized = dict(jieba.dt.FREQ), jieba.dt.total, True
    words = {term for lexicon in AREAS.values() for term in (*lexicon.names, *lexicon.activities, *lexicon.hints)}
    words |= set(_DOMAIN_WORDS)
    # Longer phrases first and heavier, so "政策培训" stays whole and never yields a bare "培训".
    for word in sorted(words, key=len, reverse=True):
        segmenter.add_word(word, freq=20000 * len(word))
    phrases = [
        Phrase(tuple(word.text for word in segment(term, segmenter).words), label, area)
        for area, lexicon in AREAS.items()
        for label, terms in (("AREA", lexicon.names), ("AREA_CUE", lexicon.activities), ("AREA_HINT", lexicon.hints))
        for term in terms
    ]
    return Language(segmenter, PhraseRuler(phrases))


def _bounds(text: str, index: int, marks: str) -> tuple[int, int]:
    """The span of the sentence (or clause) around `index`, delimited by any of `marks`."""
    start = max((text.rfind(mark, 0, index) for mark in marks), default=-1) + 1
    ends = [pos for mark in marks if (pos := text.find(mark, index)) >= 0]
    return start, min(ends) if ends else len(text)


def _negated(text: str, start: int, end: int, has_area: set[tuple[int, int]]) -> bool:
    """True when the clause holding text[start:end] says the area is not done.

    The negation sits in the mention's own clause ("暂不开展设施联通"), or in the next
    clause of the sentence when that clause names no area itself ("设施联通，本中心暂不涉及").
    """
    clause = _bounds(text, start, _CLAUSE_END)
    if _NEGATION.search(text, clause[0], clause[1]):
        return True
    sentence_end = _bounds(text, start, _SENTENCE_END)[1]
    if clause[1] < sentence_end:
        following = _bounds(text, clause[1] + 1, _CLAUSE_END)
        if following[1] <= sentence_end and following not in has_area:
            return bool(_NEGATION.search(text, *following))
    return False


def guidance_spans(text: str, key: str) -> list[tuple[int, int]]:
    """Paragraphs of `text` that are the template's guidance for section `key`, left in by the applicant."""
    guide = GUIDANCE.get(key)
    spans: list[tuple[int, int]] = []
    offset = 0
    for paragraph in text.split("\n"):
        body = compact(paragraph)
        if guide and len(body) >= 30 and fuzz.partial_ratio(compact(guide), body) >= 85:
            spans.append((offset, offset + len(paragraph)))
        offset += len(paragraph) + 1
    return spans


def _inside(pos: int, spans: Sequence[tuple[int, int]]) -> bool:
    return any(start <= pos < end for start, end in spans)


# Numbering styles of a plan's sub-headings, outermost first as the template nests them. A scan's OCR
# drops one bracket of "（一）" now and then ("一）聚焦…"): one of the two is enough to number a part.
_NUMBERED = (re.compile(r"\s*(?:[（(][一二三四五六七八九十]{1,3}[)）]?|[一二三四五六七八九十]{1,3}[)）])"), re.compile(r"\s*[一二三四五六七八九十]{1,3}、"),
             re.compile(r"\s*\d{1,2}[.、．](?!\d)"), re.compile(r"\s*[（(]\d{1,2}[)）]"))


def numbered_parts(text: str) -> int:
    """How many parts the text is laid out in: its sub-headings ("（一）…", "二、…", "3.…", a short line of
    their own) numbered in the style of the first one (the outermost; parts nested in them not counted)."""
    styles = [next((i for i, style in enumerate(_NUMBERED) if style.match(line)), None)
              for line in text.splitlines() if len(line.strip()) <= 30 and not any(mark in line for mark in "。；")]
    numbered = [style for style in styles if style is not None]
    return numbered.count(numbered[0]) if numbered else 0


def _is_subheading(text: str, pos: int) -> bool:
    """A short line of its own ("（一）开展诊断评估服务", "1.数据共享"): the area is what the part is about."""
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    line = text[start:end if end >= 0 else len(text)]
    return len(line) <= 30 and not any(mark in line for mark in "。；")


def _clauses(text: str) -> Iterable[tuple[int, int]]:
    start = 0
    for match in re.finditer(f"[{re.escape(_CLAUSE_END)}]", text):
        yield start, match.start()
        start = match.end()
    yield start, len(text)


def _without_false_friends(text: str) -> str:
    """`text` with the words that hold a pair word without meaning it blanked (lengths kept)."""
    for false_friend in _PAIR_FALSE_FRIENDS:
        text = text.replace(false_friend, " " * len(false_friend))
    return text


def _pair_hits(text: str, start: int, end: int) -> Iterable[tuple[str, str]]:
    """Areas a clause describes in other words: a word of each of the area's two families in it."""
    clause = _without_false_friends(text[start:end])
    for area, lexicon in AREAS.items():
        first = next((word for word in lexicon.pairs[0] if word in clause), None)
        second = next((word for word in lexicon.pairs[1] if word in clause), None)
        if first and second:
            yield area, f"{first}…{second}"


def _heading_hits(text: str) -> Iterable[tuple[str, str, int]]:
    """Areas a numbered part's heading names by one word of the area's name ("（三）推进设施互联",
    "2.建设数据流通服务体系"): a part is titled by what it is about. Only a heading whose words point at
    exactly one area counts; "开展数据资源开发" is left to the text below it."""
    offset = 0
    for line in text.split("\n"):
        if _is_subheading(text, offset) and any(style.match(line) for style in _NUMBERED):
            title = _without_false_friends(line)
            hits = {area: word for area, lexicon in AREAS.items()
                    for word in (*lexicon.pairs[0], *lexicon.pairs[1]) if word in title}
            if len(hits) == 1:
                (area, word), = hits.items()
                yield area, word, offset + title.index(word)
        offset += len(line) + 1


def content_areas(text: str, section: str = "content") -> tuple[list[str], list[Mention]]:
    """The areas the 建设内容 text covers (in the notice's order) and the mentions that count."""
    doc = language()(text)
    skip = guidance_spans(text, "content")
    mentions = [ent for ent in doc.ents if ent.label_ in WEIGHTS and not _inside(ent.start_char, skip)]
    # A clause listing (nearly) all eight areas quotes the template's list, not the plan.
    quoted: list[tuple[int, int]] = []
    for ent in mentions:
        clause = _bounds(text, ent.start_char, _CLAUSE_END)
        names = {m.ent_id_ for m in mentions if m.label_ == "AREA" and clause[0] <= m.start_char < clause[1]}
        if len(names) >= 7:
            quoted.append(clause)
    skip = [*skip, *quoted]
    has_area = {_bounds(text, ent.start_char, _CLAUSE_END) for ent in mentions}
    scores = dict.fromkeys(CONTENT_AREAS, 0.0)
    counted: list[Mention] = []

    def count(area: str, weight: float, written: str, start: int, end: int) -> None:
        if _inside(start, skip) or _negated(text, start, end, has_area):
            return
        scores[area] += weight * (2.0 if _is_subheading(text, start) else 1.0)
        counted.append(Mention(section, "content_area", written, area, start))

    for ent in mentions:
        count(ent.ent_id_, WEIGHTS[ent.label_], ent.text, ent.start_char, ent.end_char)
    for start, end in _clauses(text):
        named = {ent.ent_id_ for ent in mentions if start <= ent.start_char < end and WEIGHTS[ent.label_] >= 1}
        for area, written in _pair_hits(text, start, end):
            # Other words for the area only: a clause that names it (a hint aside) has been counted already.
            if area not in named:
                count(area, 1.0, written, start, end)
    for area, word, start in _heading_hits(text):
        heading = _bounds(text, start, "\n")
        if not any(m.value == area and heading[0] <= m.offset < heading[1] for m in counted):
            count(area, 1.0, word, start, start + len(word))
    return [area for area in CONTENT_AREAS if scores[area] >= COVERED], counted


def _years_of(run: str) -> list[int]:
    """The years a run like "2026—2028年" or "2026、2027年" names, a range expanded."""
    years: list[int] = []
    pieces = re.split(rf"({_YEAR})", run)
    for i in range(1, len(pieces), 2):
        year = int(pieces[i])
        if years and _RANGE_OP.search(pieces[i - 1]) and years[-1] < year <= years[-1] + 10:
            years.extend(range(years[-1] + 1, year + 1))
        else:
            years.append(year)
    return years


def goal_years(text: str, section: str = "goals") -> tuple[list[int], list[Mention]]:
    """The years 2026–2030 the 建设目标 text sets targets for, with where each is named."""
    skip = guidance_spans(text, "goals")
    # Years written in Chinese numerals ("二〇二六年") read as digits; lengths are kept so offsets hold.
    readable = re.sub(r"[二][〇○零][一二三][〇○零一二三四五六七八九]年",
                      lambda m: m.group(0).translate(_CN_DIGITS), text)
    readable = _TITLES.sub(lambda m: " " * len(m.group(0)), readable)
    found: set[int] = set()
    mentions: list[Mention] = []
    for match in _YEARS.finditer(readable):
        if _inside(match.start(), skip):
            continue
        for year in _years_of(match.group(0)):
            if GOAL_YEAR_RANGE[0] <= year <= GOAL_YEAR_RANGE[1]:
                found.add(year)
                mentions.append(Mention(section, "goal_year", text[match.start():match.end()], year, match.start()))
    return sorted(found), mentions


def goal_kinds(text: str) -> list[str]:
    """Which of 服务成效/经济效益/社会效益 targets the 建设目标 text states (the template's guidance aside)."""
    skip = guidance_spans(text, "goals")
    return [kind for kind, pattern in GOAL_KINDS.items()
            if any(not _inside(m.start(), skip) for m in pattern.finditer(text))]


def _amount(number: str, unit: str) -> float:
    value = float(number.replace(",", "").replace("，", ""))
    return round(value * {"亿元": 10000.0, "万元": 1.0, "元": 0.0001}[unit], 6)


def _date(match: re.Match[str]) -> str | None:
    year, month, day = match.group(1), match.group(2) or match.group(4), match.group(3) or match.group(5)
    if not month or not 1 <= int(month) <= 12 or (day and not 1 <= int(day) <= 31):
        return None
    return f"{year}-{int(month):02d}" + (f"-{int(day):02d}" if day else "")


def mentions(text: str, section: str) -> list[Mention]:
    """Organisations, amounts (in 万元) and dates (ISO, to the precision written) named in a section."""
    doc = language()(text)
    found: list[Mention] = []
    seen: set[tuple[str, str]] = set()
    for span in doc.spans["mentions"]:
        written = text[span.start_char:span.end_char]
        value: str | float | None = None
        if span.label_ == "ORG":
            kind, value = "organisation", written
        elif span.label_ == "MONEY" and (match := _MONEY.search(written)):
            kind, value = "amount", _amount(match.group(1), match.group(2))
        elif span.label_ == "DATE" and (match := _DATE.search(written)):
            kind, value = "date", _date(match)
        else:
            continue
        if value is None or (kind, written) in seen:
            continue
        seen.add((kind, written))
        found.append(Mention(section, kind, written, value, span.start_char))
    return found
