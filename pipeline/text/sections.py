"""Find 二、建设方案 and its four sections in a package's pages and cut out each section's body.

The pages become one stream of lines (duplicates dropped, page furniture
stripped, out-of-order pages put back by their printed numbers); headings are
matched fuzzily (OCR noise, either bracket width, a lost bracket, a heading
broken over two lines or over a page break); the best in-order choice of
headings wins; each body runs to the next heading or to where the next part of
the package begins (三、有关说明, 附1, a commitment or appendix page).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from rapidfuzz import fuzz

from models.page import Page
from pipeline.layout import is_consortium_agreement
from pipeline.text.chars import count_chars, is_cjk
from pipeline.text.lines import (
    Margins,
    PageLines,
    TextLine,
    is_prose_page,
    page_lines,
    page_margins,
    paragraphs,
    strip_furniture,
)
from pipeline.text.words import READABLE_SHARE, word_share


@dataclass(frozen=True)
class SectionSpec:
    key: str
    name: str  # the heading's words
    numeral: str
    limit: int

    @property
    def title(self) -> str:
        return f"（{self.numeral}）{self.name}"


SECTIONS: tuple[SectionSpec, ...] = (
    SectionSpec("foundation", "基础条件", "一", 1000),
    SectionSpec("goals", "建设目标", "二", 500),
    SectionSpec("content", "建设内容", "三", 2500),
    SectionSpec("guarantee", "组织保障", "四", 500),
)
SECTION_BY_KEY = {spec.key: spec for spec in SECTIONS}

# Pages that belong to another part of the package: a plan section never runs into them.
TERMINAL_ROLES = frozenset({
    "cover", "basic_info", "attachments_list", "commitment", "recommendation_letter", "recommendation_table",
    "appendix2_table1", "appendix2_table2", "appendix2_table3",
    "appendix3_table1", "appendix3_table2", "appendix3_table3",
})

# What OCR reads for each numeral, besides the numeral itself.
_NUMERAL_LOOKALIKES = {"一": "-—–_－~1lI|", "二": "=＝2ニ", "三": "≡=3", "四": "4"}
_PREFIX_CHARS = set("()[]【】〔〕（）〈〉<>《》「」{}﹙﹚、.．,，:：;；-—–_=＝~|·'\"`0123456789lIニ≡ 一二三四五六第部分章节")
_NUMERALS = frozenset("一二三四五六七八九十")
HEADING_RATIO = 74  # a line's name this like a section's (rapidfuzz ratio) reads as its heading, numbered
_BRACKETS = set("()[]【】〔〕〈〉<>《》「」{}﹙﹚、")
# The limit after a heading, as the template prints it, as applicants rewrite it, and as OCR
# reads it: "（1000字）", "(限1000字)", "（1000字以内）", "（不超过500字）", "《1000字）", "，1000宇，".
# The brackets may come back as any mark and 字 as any one character, and a stray stroke before the opening
# bracket as a digit-like mark ("组织保障1(500字)": a blurred scan's edge of ink).
_LIMIT = re.compile(r"^(?:[1lI|](?=[^\u4e00-\u9fff\d]))?[^\u4e00-\u9fff\d]{0,2}(?:限|不超过|不多于|约)?"
                    r"([0-9OoIl]{3,5})[\u4e00-\u9fff]?(?:以内|以下|左右)?")
# Lines that open the next part of the package (after 二、建设方案).
_PART_STARTS = (
    re.compile(r"^附件?[1-9一二三四五六七八九]$"),
    re.compile(r"^附件[1-9一二三四五六七八九][:：、.．]"),
    re.compile(r"^附件?[1-3一二三]?[:：]?(?:真实性承诺|服务能力证明材料|资源条件证明材料)"),
    re.compile(r"^(?:真实性承诺|服务能力证明材料|资源条件证明材料)(?:[(（]模板[)）])?$"),
    # The appendix tables by their titles: a plan may hold its own "表1：2026—2028年目标分解".
    re.compile(r"^表[1-3][:：]?.{0,4}(?:契合行业|已开展数字化改造|人才培训活动|投融资机构|服务商清单|对接成功)"),
    re.compile(r"推荐意见(?:[(（]模板[)）])?$|推荐表$"),
)


@dataclass(frozen=True)
class Heading:
    """A heading found in the stream: which section (or "start"/"end"), where, how many lines, how sure."""

    key: str
    pos: int
    lines: int
    score: float
    rest: str = ""  # body text after an inline heading ("（一）基础条件：公司成立于…")


def _best_alignment(name: str, key: str) -> tuple[float, int, int]:
    """The best fuzzy place of `name` near the start of `key`: (ratio, start, end).

    Lengths one shorter or longer than the name let OCR drop or add a character.
    """
    best = (0.0, 0, 0)
    for start in range(min(6, len(key))):
        for length in (len(name) - 1, len(name), len(name) + 1):
            end = start + length
            if end > len(key):
                continue
            score = fuzz.ratio(name, key[start:end])
            if score > best[0]:
                best = (score, start, end)
    return best


def _whole_name(name: str, key: str, ratio: float, start: int, end: int) -> tuple[float, int, int]:
    """The alignment (`_best_alignment`) widened over the characters of a name it stops short of: a name whose
    last character is misread aligns best without it ('组织保' of '（四）组织保摩', dev47 a02), and the misread
    character, left after it, reads as body text. Widened only where the line's characters end within one more
    than the name's length: a body line runs on. Likewise a name whose first character is misread ('织保障' of
    '(S）维织保障', dev60 a02: the character left before it reads as a stray in the numeral's place), widened
    back to the bracket where the widened name still reads as the heading."""
    run = end
    while run < len(key) and is_cjk(key[run]):
        run += 1
    if run != end and run - start <= len(name) + 1:
        return fuzz.ratio(name, key[start:run]), start, run
    back = start
    while back > 0 and is_cjk(key[back - 1]) and key[back - 1] not in _NUMERALS:
        back -= 1
    if back < start and end - start < len(name) and end - back <= len(name) + 1:
        widened = fuzz.ratio(name, key[back:end])
        if widened >= HEADING_RATIO:
            return widened, back, end
    return ratio, start, end


EXACT_NUMERAL = 15.0


def _numeral_bonus(prefix: str, numeral: str) -> float:
    if numeral in prefix:
        return EXACT_NUMERAL
    if any(char in prefix for char in _NUMERAL_LOOKALIKES.get(numeral, "")):
        return 8.0
    return 0.0


def _limit_in(suffix: str) -> tuple[int, int] | None:
    """The 字 limit stated at the start of `suffix` and the length of that statement, or None."""
    match = _LIMIT.match(suffix)
    if not match:
        return None
    return int(match.group(1).translate(str.maketrans("OoIl", "0011"))), len(match.group(0))


def _same_limit(found: int, limit: int) -> bool:
    """The stated limit is this section's, allowing a bracket read as a leading digit ("42500字")."""
    return found == limit or str(found)[1:] == str(limit)


def heading_score(key: str, name: str, numeral: str, limit: int | None = None) -> float | None:
    """How well one line (its compact key) reads as the heading `（numeral）name（limit字）`; None if it doesn't.

    A heading is short: at most a few bracket/numeral characters before the name and
    the 字 limit (or a little non-Chinese noise) after it; a body line that merely
    starts with the same words has text after them and is refused.
    """
    if not key or len(key) > len(name) + 16:
        return None
    ratio, start, end = _whole_name(name, key, *_best_alignment(name, key))
    prefix, suffix = key[:start], key[end:]
    # One stray character (OCR reads a bracket as a stroke of ink) is let through.
    if sum(char not in _PREFIX_CHARS for char in prefix) > (1 if len(prefix) >= 2 else 0):
        return None
    stated = _limit_in(suffix)
    found_limit, rest = (stated[0], suffix[stated[1]:]) if stated else (None, suffix)
    if len(rest) > 2 or any(is_cjk(char) for char in rest):
        return None
    bonus = _numeral_bonus(prefix, numeral) + (5.0 if set(prefix) & _BRACKETS else 0.0)
    same = limit is not None and found_limit is not None and _same_limit(found_limit, limit)
    if same:
        bonus += 15.0
    elif found_limit is not None:
        bonus += 5.0
    if ratio >= HEADING_RATIO and (bonus > 0 or (ratio == 100 and not prefix and not suffix)):
        return ratio + bonus
    # The words are garbled beyond the ratio but the line still states this section's limit.
    if same and ratio >= 40 and _numeral_bonus(prefix, numeral):
        return 50.0 + bonus
    # No limit stated, half the name read, in the heading's whole shape: its own numeral in brackets, the
    # name's length and nothing after it ("（一）基瑞务件" for （一）基础条件 on a phone photo).
    if (found_limit is None and not rest and ratio >= 50 and end - start == len(name) and numeral in prefix
            and set(prefix) & _BRACKETS):
        return 45.0 + bonus
    return _by_shape(key, name, numeral, limit)


def _by_shape(key: str, name: str, numeral: str, limit: int | None) -> float | None:
    """A line whose every word is misread but which has the heading's shape: its own numeral in
    brackets, as many characters as the name (one more or less), this section's limit and nothing
    else ("（一）美瑞务件（1000字）" for （一）基础条件（1000字））."""
    if limit is None:
        return None
    opening = _opening(key, numeral)
    prefix = key[:opening]
    if numeral not in prefix or not set(prefix) & _BRACKETS:
        return None
    for length in (len(name), len(name) - 1, len(name) + 1):
        middle, suffix = key[opening:opening + length], key[opening + length:]
        stated = _limit_in(suffix)
        if (len(middle) == length and all(is_cjk(char) for char in middle) and stated is not None
                and _same_limit(stated[0], limit) and len(suffix) - stated[1] <= 2
                and not any(is_cjk(char) for char in suffix[stated[1]:])):
            return 40.0 + EXACT_NUMERAL + 15.0
    return None


def _opening(key: str, numerals: str) -> int:
    """How many characters open `key` before a name: brackets, strokes and the numerals (any of `numerals`),
    no character of a name."""
    opening = 0
    while opening < len(key) and (key[opening] in numerals
                                  or (key[opening] in _PREFIX_CHARS and not is_cjk(key[opening]))):
        opening += 1
    return opening


def heading_shaped(key: str, spec: SectionSpec) -> bool:
    """Whether a line has the shape of `spec`'s heading whatever its words read: its numeral (or a
    look-alike) in brackets, as many characters as the name (one more or less), perhaps the limit, and
    nothing else ("(-)美瑞务件" for （一）基础条件 on a phone photo)."""
    marks = spec.numeral + _NUMERAL_LOOKALIKES.get(spec.numeral, "")
    opening = _opening(key, marks)
    prefix = key[:opening]
    if not set(prefix) & set(marks) or not set(prefix) & _BRACKETS:
        return False
    name = key[opening:]
    length = 0
    while length < len(name) and is_cjk(name[length]):
        length += 1
    stated = _limit_in(name[length:])
    rest = name[length + (stated[1] if stated else 0):]
    if len(rest) > 2 or any(is_cjk(char) for char in rest):
        return False
    # A mark read where a character stood counts as one, where the characters read are the name's own in its
    # order ('（三）建内8' for （三）建设内容 on a phone photo, 设 lost and 容 read 8).
    marked = bool(rest) and stated is None and name_read_in_part(name[:length], spec.name)
    return abs(length - len(spec.name)) <= 1 or (marked and abs(length + 1 - len(spec.name)) <= 1)


def name_read_in_part(chars: str, name: str) -> bool:
    """Whether `chars` are `name`'s own characters in its order, at least half of them, the rest lost ('建内' of
    建设内容): a heading read with characters lost, not other words."""
    if not chars or len(chars) * 2 < len(name):
        return False
    remaining = iter(name)
    return all(char in remaining for char in chars)


def _end_score(key: str) -> float | None:
    """How surely a line opens the part after the plan (三、有关说明或证明材料, 附1, …)."""
    score = heading_score(key, "有关说明或证明材料", "三")
    for short in ("有关说明", "证明材料", "附件"):
        if score is None and len(key) <= 10:
            score = heading_score(key, short, "三")
    if score is not None:
        return score
    if len(key) <= 20 and any(pattern.search(key) for pattern in _PART_STARTS):
        return 80.0
    return None


def line_headings(key: str) -> list[tuple[str, float]]:
    """Every reading of one line (or two joined lines) as a heading: (section key / "start" / "end", score)."""
    found: list[tuple[str, float]] = []
    for spec in SECTIONS:
        score = heading_score(key, spec.name, spec.numeral, spec.limit)
        if score is not None:
            found.append((spec.key, score))
    # 二、建设方案 needs its numeral: the document's title and running header end in 建设方案 too.
    start = heading_score(key, "建设方案", "二")
    if start is not None and len(key) <= 10 and _numeral_bonus(key[:2], "二"):
        found.append(("start", start))
    end = _end_score(key)
    if end is not None:
        found.append(("end", end))
    return found


_NUMBERED_NAME = r"^(?P<head>[^\u4e00-\u9fff]{0,2}[一二三四][^\u4e00-\u9fff]{1,2}(?P<name>[\u4e00-\u9fff]{4})"
_INLINE = re.compile(_NUMBERED_NAME + r"(?:[(（][^)）]{0,8}[)）])?\s*[：:])\s*(?P<rest>\S.*)$")
# The heading as the template prints it, its 字 limit in brackets, run into the body's first line without a colon.
_INLINE_LIMITED = re.compile(_NUMBERED_NAME + r"[(（](?P<limit>[^)）]{1,8})[)）])\s*(?P<rest>\S.*)$")


def inline_heading(text: str) -> tuple[str, str] | None:
    """A heading that runs into its body on one line ("（一）基础条件：公司成立于…"): (section key, body).

    Stricter than a heading line: the numeral, a bracket, the exact words and a colon — or, in place of the colon,
    the section's own 字 limit in brackets: a curled page's heading read into one line with the body's first
    ('（三）建设内容（2500字）绕机械行业…', dev55 a07), which no body line says.
    """
    stripped = text.strip()
    match = _INLINE.match(stripped)
    limited = match is None
    match = match or _INLINE_LIMITED.match(stripped)
    if not match:
        return None
    spec = next((spec for spec in SECTIONS if spec.name == match.group("name")), None)
    if spec is None or spec.numeral not in match.group("head"):
        return None
    if limited and ((stated := _limit_in(match.group("limit"))) is None or not _same_limit(stated[0], spec.limit)):
        return None
    return spec.key, match.group("rest")


def find_headings(stream: Sequence[TextLine]) -> list[Heading]:
    """All heading readings in the stream; a heading broken over two lines is read from the pair."""
    found: list[Heading] = []
    readings = [line_headings(line.key) for line in stream]
    for pos, line in enumerate(stream):
        found.extend(Heading(name, pos, 1, score) for name, score in readings[pos])
        inline = None if readings[pos] else inline_heading(line.text)
        if inline:
            found.append(Heading(inline[0], pos, 1, 90.0, rest=inline[1]))
        if pos + 1 < len(stream) and len(line.key) <= 12 and any(is_cjk(char) for char in line.key):
            # Only a heading that neither line makes alone: "（三）建设" + "内容（2500字）".
            alone = {name for name, _ in readings[pos]} | {name for name, _ in readings[pos + 1]}
            found.extend(Heading(name, pos, 2, score) for name, score in line_headings(line.key + stream[pos + 1].key)
                         if name not in alone and name != "start")
    return found


def choose_headings(candidates: Sequence[Heading]) -> list[Heading]:
    """The in-order subset of section headings with the most headings, then the best scores.

    A simple longest-path over candidates in stream order: each section at most once,
    sections in the template's order, headings not overlapping.
    """
    order = {spec.key: i for i, spec in enumerate(SECTIONS)}
    cands = sorted((c for c in candidates if c.key in order), key=lambda c: (c.pos, order[c.key]))
    best: list[tuple[float, list[Heading]]] = []
    for i, cand in enumerate(cands):
        value, chain = 1000.0 + cand.score, [cand]
        for j in range(i):
            prev = cands[j]
            if order[prev.key] < order[cand.key] and prev.pos + prev.lines <= cand.pos:
                total = best[j][0] + 1000.0 + cand.score
                if total > value:
                    value, chain = total, [*best[j][1], cand]
        best.append((value, chain))
    return max(best, key=lambda item: item[0])[1] if best else []


def _drop_duplicates(pages: list[PageLines]) -> list[PageLines]:
    """Drop a page whose text repeats an earlier page (a page scanned twice)."""
    kept: list[PageLines] = []
    texts: list[str] = []
    for page in pages:
        text = "".join(line.key for line in page.lines)
        if len(text) >= 40 and any(abs(len(text) - len(other)) <= 0.15 * len(text) and fuzz.ratio(text, other) >= 92
                                   for other in texts):
            continue
        kept.append(page)
        texts.append(text)
    return kept


def _restore_order(pages: list[PageLines]) -> list[PageLines]:
    """Put pages back in the order of their printed page numbers, leaving unnumbered pages where they are.

    Only when the printed numbers are distinct and consecutive: a misread number
    (a duplicate, or a gap) must not shuffle a package that was in order.
    """
    slots = [i for i, page in enumerate(pages) if page.printed_number is not None]
    numbers = [page.printed_number for page in pages if page.printed_number is not None]
    if len(slots) < 2 or numbers == sorted(numbers) or sorted(numbers) != list(range(min(numbers), max(numbers) + 1)):
        return pages
    ordered = sorted((pages[i] for i in slots), key=lambda page: page.printed_number or 0)
    result = list(pages)
    for slot, page in zip(slots, ordered, strict=True):
        result[slot] = page
    return result


@dataclass
class SectionText:
    """One section as found: its spec, heading line, body lines and paragraphs."""

    spec: SectionSpec
    heading: TextLine
    lines: list[TextLine]
    paragraphs: list[str]

    @property
    def text(self) -> str:
        return "\n".join(self.paragraphs)


def _body(stream: Sequence[TextLine], start: int, stop: int, heading_page: int, open_end: bool,
          eligible: dict[int, bool], terminal: dict[int, bool], marked: set[int]) -> list[TextLine]:
    """The body lines of one section between stream positions `start` and `stop`.

    Lines on pages that belong elsewhere (an interleaved licence or table scan) are
    skipped; a section with no heading after it stops at the first page of another part.
    """
    body: list[TextLine] = []
    for line in stream[start:stop]:
        page = line.page
        if page != heading_page and page not in marked:
            if open_end and terminal[page]:
                break
            if not eligible[page]:
                continue
        body.append(line)
    return body


@dataclass
class PlanSections:
    """The plan's sections as found, and for a section not found, a line in its place shaped like its
    heading (section key → the line as read): a heading misread past knowing, or a sub-heading."""

    sections: list[SectionText]
    heading_doubts: dict[str, str]
    heading_unread: dict[str, str]


def find_sections(pages: Sequence[Page]) -> PlanSections:
    """The plan sections present in `pages` (all pages of a package, in file order)."""
    # Duplicates go first: a page scanned twice would make its own first and last lines look
    # like running headers and footers.
    per_page = _drop_duplicates([PageLines(page, page_lines(page)) for page in pages])
    keep = {(p, i) for p, page in enumerate(per_page) for i, line in enumerate(page.lines)
            if any(name != "end" for name, _ in line_headings(line.key))}
    strip_furniture(per_page, keep)
    per_page = _restore_order(per_page)

    stream = [line for page in per_page for line in page.lines]
    roles = {page.page.number: page.page.role for page in per_page}
    margins: dict[int, Margins] = {page.page.number: page_margins(page.lines) for page in per_page}
    eligible = {page.page.number: page.page.role in (None, "plan") or is_prose_page(page.lines)
                for page in per_page}
    # A 联合体 agreement after the plan (its role 'other': the template names no part for it) is no more the
    # plan's than the parts are: its prose ran into 组织保障 (dev39 a12: 615 characters counted, 373 written).
    terminal = {page.page.number: roles[page.page.number] in TERMINAL_ROLES or is_consortium_agreement(page.page)
                for page in per_page}

    candidates = find_headings(stream)
    chosen = choose_headings(candidates)
    ends = sorted(c.pos for c in candidates if c.key == "end")
    marked = {stream[c.pos].page for c in chosen} | {stream[pos].page for pos in ends}

    sections: list[SectionText] = []
    for index, heading in enumerate(chosen):
        start = heading.pos + heading.lines
        following = chosen[index + 1].pos if index + 1 < len(chosen) else len(stream)
        stop = min([following, *(pos for pos in ends if pos >= start)])
        open_end = index + 1 == len(chosen) or stop < following
        line = stream[heading.pos]
        body = _body(stream, start, stop, line.page, open_end, eligible, terminal, marked)
        if heading.rest:
            # The inline heading's own line carries the first words of the body.
            body.insert(0, replace(line, text=heading.rest))
        spec = SECTION_BY_KEY[heading.key]
        text = paragraphs(body, margins)
        # A heading with nothing under it gives no section: the applicant did not write it.
        if any(text):
            sections.append(SectionText(spec, line, body, text))
    doubts = _heading_doubts(stream, chosen)
    return PlanSections(sections, doubts, _heading_unread(stream, chosen, doubts))


def _heading_doubts(stream: Sequence[TextLine], chosen: Sequence[Heading]) -> dict[str, str]:
    """For each section with no heading chosen: the first line shaped like its heading between the chosen
    headings of the sections around it (on the next one's page or the page before, for the first section;
    on the last one's page or the page after, for the last)."""
    order = {spec.key: i for i, spec in enumerate(SECTIONS)}
    doubts: dict[str, str] = {}
    for spec in SECTIONS:
        if any(heading.key == spec.key for heading in chosen):
            continue  # a heading with no text under it: the applicant wrote none, no doubt of the reading
        earlier = [h.pos + h.lines for h in chosen if order[h.key] < order[spec.key]]
        later = [h.pos for h in chosen if order[h.key] > order[spec.key]]
        if not earlier and not later:
            continue
        lo, hi = max(earlier, default=0), min(later, default=len(stream))
        near = ({stream[hi].page, stream[hi].page - 1} if not earlier else
                {stream[lo - 1].page, stream[lo - 1].page + 1} if not later else None)
        line = next((line for line in stream[lo:hi]
                     if (near is None or line.page in near) and heading_shaped(line.key, spec)), None)
        if line is not None:
            doubts[spec.key] = line.text
    return doubts


# A line read below this confidence is unsure: a phone photo's lines read as written stand at 0.8 and more, a
# stretch the reader garbled (dev47 a03's 建设目标) at 0.5–0.65.
UNSURE_LINE = 0.7
UNREAD_LINES = 3  # so many unsure lines in a row that do not read as words may hide a heading among them


def _heading_unread(stream: Sequence[TextLine], chosen: Sequence[Heading], shaped: dict[str, str]) -> dict[str, str]:
    """For each section not found, with no line shaped like its heading, whose place lies between two found
    headings: where the found section before it runs over its own limit (it holds more than itself) and holds a
    run of lines the reader did not read (`_unread_run`), where and how they read. The heading may be among
    them, unread. A section left out leaves the section before it within its limit, or read as words."""
    order = {spec.key: i for i, spec in enumerate(SECTIONS)}
    found: dict[str, str] = {}
    for spec in SECTIONS:
        if spec.key in shaped or any(heading.key == spec.key for heading in chosen):
            continue
        earlier = [h for h in chosen if order[h.key] < order[spec.key]]
        later = [h.pos for h in chosen if order[h.key] > order[spec.key]]
        if not earlier or not later:
            continue
        holder = max(earlier, key=lambda h: h.pos)
        stretch = stream[holder.pos + holder.lines:min(later)]
        if count_chars("".join(line.text for line in stretch)) <= SECTION_BY_KEY[holder.key].limit:
            continue
        run, share = _unread_run(stretch)
        if run:
            found[spec.key] = (f"第 {run[0].page} 页有 {len(run)} 行文字未能识读（识别置信度 "
                               f"{min(line.confidence for line in run):.2f}–{max(line.confidence for line in run):.2f}，"
                               f"仅 {share:.0%} 成词）")
    return found


def _unread_run(lines: Sequence[TextLine]) -> tuple[list[TextLine], float]:
    """The longest run of lines read from pixels below `UNSURE_LINE` whose text together is not words
    (`READABLE_SHARE`), if it has `UNREAD_LINES` lines, with its share of words (none: `[]`, 0.0)."""
    best: tuple[list[TextLine], float] = ([], 0.0)
    run: list[TextLine] = []
    for line in [*lines, None]:
        if line is not None and line.source != "text" and line.confidence < UNSURE_LINE:
            run.append(line)
            continue
        if len(run) >= max(UNREAD_LINES, len(best[0]) + 1):
            share = word_share("".join(item.text for item in run))
            best = (run, share) if share is not None and share < READABLE_SHARE else best
        run = []
    return best
