"""Page roles: which part of the package each page is, from its words and layout.

Each role has title cues (looked for near the top of the page) and body cues (column
headers and fixed phrases of the notice's templates), matched fuzzily so OCR noise
("真实性承讲", "合同编亏") still counts.  A page without a clear match continues the
page before it: a ruled page after a table is more of that table, a prose page after the
plan is more plan.  Everything else is `other` (licences, financial statements, the
consortium agreement, contract scans) or `blank`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from models import APPENDIX_TABLE_ROLES
from models.page import Page, Word

TITLE_WEIGHT = 2.0
MIN_SCORE = 0.7  # below this a page is a continuation, `other` or `blank`
FUZZY_CUTOFF = 80.0  # rapidfuzz partial_ratio needed for a cue of EXACT_BELOW+ characters
EXACT_BELOW = 8  # shorter cues must occur exactly: one wrong character in "二、建设方案" is "建设方案"
FORM_LABEL_SCORE = 6 / 7  # a form row label read this well, alone on a page after the form, continues it
HEAD_SHARE = 0.4  # title cues count in the top 40% of the page ...
HEAD_CHARS = 220  # ... and within its first characters in reading order
PROSE_RUN = 15  # a word (run on one line) this long is a line of a paragraph, not a table cell


@dataclass(frozen=True)
class Cues:
    titles: tuple[str, ...] = ()
    body: tuple[str, ...] = ()
    body_needed: int = 4  # body cues matched for a full body score
    needs_title: bool = False  # body cues alone may not decide (their words recur elsewhere)


ROLE_CUES: dict[str, Cues] = {
    # The cover's title is also many packages' running header, so the cover rests on its fields.
    # Body cues that recur in other parts (plan prose names 数据集/模型库, the basic-info form
    # names 投融资机构) only count together with the title: untitled pages are continuations.
    "cover": Cues(body=("申报单位", "推荐单位", "联系人及联系电话", "填报日期", "加盖单位公章", "省级工业和信息化主管部门盖章"),
                  body_needed=3),
    "basic_info": Cues(
        titles=("一、基本情况", "根据牵头单位情况填写"),
        body=("牵头单位名称", "统一社会信用代码", "是否注册法人", "注册地（具体到区县）", "牵头单位类型", "联合体其他成员单位",
              "单位负责人", "近两年财务经营情况", "主营业务收入", "资产负债率", "服务数字化转型改造实施企业数量",
              "组织人才培养人次", "汇聚投融资机构数量", "对接成功的企业融资金额", "汇聚高校、科研院所数量",
              "汇聚制造业数字化转型服务商数量"),
    ),
    # Any of the four numbered section headings makes a plan page; untitled prose continues it.
    "plan": Cues(titles=("二、建设方案",), body=("（一）基础条件", "（二）建设目标", "（三）建设内容", "（四）组织保障"), body_needed=1),
    "attachments_list": Cues(
        titles=("三、有关说明或证明材料",),
        body=("法人证书或营业执照副本", "联合体合作协议", "服务能力证明材料", "资源条件证明材料", "其他说明或证明材料"),
        needs_title=True,
    ),
    "commitment": Cues(
        titles=("真实性承诺",),
        body=("本单位自愿申报", "均真实、准确、完整", "以上如有不实", "愿意承担由此产生的一切后果", "法定代表人（签名"),
        body_needed=3,
    ),
    "appendix2_table1": Cues(titles=("契合行业的产品、解决方案、数据集等清单", "服务能力证明材料"),
                             body=("数字化产品", "数据集", "模型库", "小快轻准"), body_needed=3, needs_title=True),
    "appendix2_table2": Cues(titles=("已开展数字化改造实施服务的企业及项目清单",),
                             body=("合同编号", "服务企业名称", "合同金额", "可附主要合同扫描件"), body_needed=3),
    "appendix2_table3": Cues(titles=("组织开展的人才培训活动清单",), body=("培训或活动名称", "参训人数"), body_needed=2),
    "appendix3_table1": Cues(titles=("汇聚的投融资机构、高校科研院所清单", "资源条件证明材料"),
                             body=("投融资机构", "高校科研院所"), body_needed=2, needs_title=True),
    "appendix3_table2": Cues(titles=("汇聚的数字化转型服务商清单",),
                             body=("服务商名称", "主要服务行业", "核心能力"), body_needed=2),
    "appendix3_table3": Cues(titles=("对接成功投融资清单及金额",),
                             body=("投资机构名称", "被投企业名称", "投融资金额"), body_needed=2),
    "recommendation_letter": Cues(
        # The whole title as well: read fuzzily, it survives a misread character ('推荐息见' on a phone photo).
        titles=("推荐意见", "数字化转型促进中心推荐意见"),
        body=("工业和信息化部规划司", "现推荐", "详细情况见附表", "推荐单位盖章", "近三年无失信情况"),
        body_needed=3,
    ),
    "recommendation_table": Cues(titles=("促进中心推荐表", "数字化转型促进中心推荐表"),
                                 body=("申报对象名称", "所服务的", "省市两级给予建设主体的相关政策", "推荐表请按优先顺序排序"),
                                 body_needed=2),
    "other": Cues(
        titles=("营业执照", "资产负债表", "利润表", "现金流量表", "联合体合作协议", "联合体协议", "合作协议书"),
        body=("经营范围", "登记机关", "资产总计", "负债合计", "所有者权益", "营业收入", "甲方", "乙方", "本协议"),
        body_needed=3,
        needs_title=True,
    ),
}
TABLE_ROLES = frozenset(
    {"basic_info", "recommendation_table"} | {f"appendix{a}_table{t}" for a in (2, 3) for t in (1, 2, 3)}
)
# One-page parts whose end (the table's notes, members' seals) may spill onto an untitled page.
SPILLING_ROLES = frozenset({"commitment", "recommendation_letter", "recommendation_table"})
# The parts a package must hold (ATTACHMENT_MISSING's), which a page without cues of its own may be claimed for.
CLAIMABLE_ROLES = frozenset({"commitment", *APPENDIX_TABLE_ROLES.values()})
# A head resembling a missing part's title this much (a title misread in a third of its characters), and this
# much more than any other part's, names the page.
WEAK_TITLE_SCORE = 0.55
WEAK_TITLE_MARGIN = 0.15
# The note under every appendix table (注：申报单位（联合体牵头单位及涉及单位）加盖公章), and a record's key: a date
# (2025-08-18, 2025.08.18, 2025年8月18日) or a 序号.
TABLE_NOTE = "联合体牵头单位及涉及单位"
RECORD_KEY = re.compile(r"(?:19|20)\d{2}(?:[-./]\d{1,2}[-./]\d{1,2}|年\d{1,2}月\d{1,2}日)|\d{1,3}")
AGREEMENT_TITLES = ("联合体合作协议", "联合体协议", "联合申报协议", "合作协议书")
AGREEMENT_BODY = ("甲方", "乙方", "各方", "联合体", "牵头单位", "成员单位", "本协议", "权利", "义务", "签订")


def normalise(text: str) -> str:
    """NFKC (full-width digits and brackets to one form) without any whitespace."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def cue_score(cue: str, text: str, exact_below: int = EXACT_BELOW) -> float:
    """0..1: how well `cue` occurs in `text`; cues shorter than `exact_below` must occur exactly."""
    cue = normalise(cue)
    if not text:
        return 0.0
    if cue in text:
        return 1.0
    if len(cue) < exact_below:
        return 0.0
    ratio = _resemblance(cue, text)
    return ratio if ratio >= FUZZY_CUTOFF / 100.0 else 0.0


@dataclass(frozen=True)
class PageView:
    """What classification needs of a page: its whole text, its top text, its shape."""

    text: str
    head: str
    verticals: int
    has_marks: bool
    prose_share: float  # share of the text in long runs (paragraph lines, not table cells)

    @classmethod
    def of(cls, page: Page) -> PageView:
        lengths = [len(normalise(w.text)) for w in page.words]
        total = sum(lengths)
        return cls(
            text=normalise(page.text),
            head=normalise(head_text(page.words, page.height)),
            verticals=len({round(line.x0 / 6) for line in page.lines if line.x0 == line.x1}),
            has_marks=bool(page.images or page.seal_path),
            prose_share=sum(n for n in lengths if n >= PROSE_RUN) / total if total else 0.0,
        )


def head_text(words: Sequence[Word], page_height: float) -> str:
    """Text of the words in the top part of the page, in reading order, cut to HEAD_CHARS."""
    if not words:
        return ""
    top = min(w.bbox[1] for w in words)
    bottom = max(w.bbox[3] for w in words)
    limit = top + HEAD_SHARE * max(bottom - top, 0.25 * page_height)
    return "".join(w.text for w in words if w.bbox[1] <= limit)[:HEAD_CHARS]


def role_scores(view: PageView) -> dict[str, float]:
    scores: dict[str, float] = {}
    for role, cues in ROLE_CUES.items():
        title = max((cue_score(t, view.head) for t in cues.titles), default=0.0)
        body = min(1.0, sum(cue_score(b, view.text) for b in cues.body) / cues.body_needed) if cues.body else 0.0
        if cues.needs_title and title == 0.0:
            body = 0.0
        scores[role] = TITLE_WEIGHT * title + body
    return scores


def classify(page: Page) -> tuple[str | None, float]:
    """The page's own role and score, or (None, best score) when it must be read in context."""
    view = PageView.of(page)
    if len(view.text) < 3:
        return ("blank", 1.0) if not view.has_marks else ("other", 0.5)
    scores = role_scores(view)
    role, score = max(scores.items(), key=lambda item: item[1])
    return (role, score) if score >= MIN_SCORE else (None, score)


def continuation(page: Page, previous: str | None) -> str:
    """Role of a page without a title of its own, from the page before it."""
    view = PageView.of(page)
    if previous == "plan" and view.prose_share >= 0.6:
        return "plan"
    if previous in TABLE_ROLES and view.verticals >= 2:
        return previous
    if previous is not None and previous in APPENDIX_TABLE_ROLES.values() and _closes_a_table(page, view, previous):
        return previous
    if previous == "basic_info" and (_carries_form_row_label(view) or _opens_with_a_form_row(page)):
        return previous
    if previous in SPILLING_ROLES:
        return previous
    return "other"


def _closes_a_table(page: Page, view: PageView, role: str) -> bool:
    """The page holds the last records of the appendix table before it, its rules too faint to count (a grey
    scan's shadowed page, dev41 a08's last three contracts): records' keys (dates or 序号) opening two lines or
    more, above the table's note or one of its cues (a note alone is no continuation: its stray row is read
    as what follows the table)."""
    keys = sum(bool(RECORD_KEY.fullmatch(normalise(word.text))) for word in page.words)
    noted = cue_score(TABLE_NOTE, view.text) > 0 or any(cue_score(cue, view.text) > 0 for cue in ROLE_CUES[role].body)
    return keys >= 2 and noted


def _carries_form_row_label(view: PageView) -> bool:
    """The page holds one of the basic-info form's row labels, whole or misread by at most one character in
    seven: the form run over a page break may leave a single row on the next page, too short for its rules to
    count as a table's, and a phone photo's small print reads '汇聚制治业数字化转型服务商数量' (dev7 a03 p3:
    the providers and universities counts lost with the page). (The appendix tables' cues are headers and
    notes, which a page holding only a table's note also carries.)"""
    return any(cue_score(cue, view.text) >= FORM_LABEL_SCORE for cue in ROLE_CUES["basic_info"].body
               if len(normalise(cue)) >= EXACT_BELOW)


# The basic-info form's yearly rows: a label noting its period, then a figure per year with its unit.
_ROW_PERIOD = re.compile(r"累计|当期")
_YEAR_FIGURE = re.compile(r"^\d[\d,.]*\s*(?:个|家|人次|万元|万|%)?$")
MIN_YEAR_FIGURES = 2


def _opens_with_a_form_row(page: Page) -> bool:
    """The page's first line is a yearly row of the basic-info form, its label too misread to be told ('江言首造业
    教字化特型农分言数量（累计）' · '1个' · '4个', dev47 a01 p3): the form run over a page break by its last row."""
    if not page.words:
        return False
    top = min(page.words, key=lambda w: (w.bbox[1] + w.bbox[3]) / 2)
    middle, height = (top.bbox[1] + top.bbox[3]) / 2, top.bbox[3] - top.bbox[1]
    line = [w for w in page.words if abs((w.bbox[1] + w.bbox[3]) / 2 - middle) <= height / 2]
    figures = sum(bool(_YEAR_FIGURE.match(normalise(w.text))) for w in line)
    return any(_ROW_PERIOD.search(w.text) for w in line) and figures >= MIN_YEAR_FIGURES


def assign_roles(pages: Sequence[Page]) -> None:
    """Set `role` on every page, in file order (continuations need the page before)."""
    previous: str | None = None
    untitled: list[int] = []  # pages that took "other" for want of a title and a continuation cue
    guessed: list[int] = []  # pages whose role is not read from their own cues (continuations, untitled)
    for index, page in enumerate(pages):
        if page.error and not page.words:
            page.role = "other"
            continue
        role, _ = classify(page)
        page.role = role or continuation(page, previous)
        if role is None and page.role == "other":
            untitled.append(index)
        if role is None:
            guessed.append(index)
        if page.role != "blank":
            previous = page.role
    _fill_sandwiched(pages, untitled)
    _claim_missing_parts(pages, guessed)


def _claim_missing_parts(pages: Sequence[Page], guessed: Sequence[int]) -> None:
    """A part the package must hold that no page's cues named is the page without cues of its own whose
    head reads as a misreading of that part's title, clearly more than of any other's ('表3:组兴票的人才增调
    活动清单' on a 1-bit scan, taken for the contracts' continuation): the part was printed, its title read
    too badly to name it, and calling it missing would be a false ATTACHMENT_MISSING."""
    missing = set(CLAIMABLE_ROLES) - {page.role for page in pages}
    for index in guessed:
        if not missing:
            return
        if pages[index].role not in CLAIMABLE_ROLES | {"other"}:
            continue  # the form's or the plan's run-on page, named by its own row labels or prose
        resemblance = title_resemblance(PageView.of(pages[index]).head)
        ranked = sorted(resemblance.values(), reverse=True)
        best = max(resemblance, key=lambda role: resemblance[role])
        if best in missing and ranked[0] >= WEAK_TITLE_SCORE and ranked[0] - ranked[1] >= WEAK_TITLE_MARGIN:
            _claim(pages, index, best, guessed)
            missing.discard(best)


def _claim(pages: Sequence[Page], index: int, role: str, guessed: Sequence[int]) -> None:
    """`role` for the page at `index` and for the pages after it that continued its old role (a table's)."""
    old = pages[index].role
    pages[index].role = role
    for later in range(index + 1, len(pages) if old in TABLE_ROLES else index + 1):
        if later not in guessed or pages[later].role not in (old, "blank"):
            return
        if pages[later].role == old:
            pages[later].role = role


def title_resemblance(head: str) -> dict[str, float]:
    """0..1 per role: how closely `head` holds one of the role's long titles (`FUZZY_CUTOFF` not applied;
    short titles, which must be read exactly, are left out)."""
    return {role: max(_resemblance(normalise(title), head) for title in long_titles)
            for role, cues in ROLE_CUES.items()
            if (long_titles := [title for title in cues.titles if len(normalise(title)) >= EXACT_BELOW])}


def _resemblance(cue: str, text: str) -> float:
    """rapidfuzz's partial ratio (0..1) of `cue` in `text`, counting a window cut short by the text's edge as
    a whole one whose missing characters were misread: the part of a cue the edge leaves ('…促进中心' ending a
    page's head) is no match for the whole ('促进中心推荐意见'). (A whole window's ratio is unchanged.)"""
    if not text:
        return 0.0
    match = fuzz.partial_ratio_alignment(cue, text)
    if match is None:
        return 0.0
    window = match.dest_end - match.dest_start
    matched = match.score / 100.0 * (len(cue) + window) / 2  # characters in common (the ratio is 2M / both lengths)
    return min(1.0, matched / len(cue))


def _fill_sandwiched(pages: Sequence[Page], untitled: Sequence[int]) -> None:
    """An untitled page between two pages of one part is that part's: a part's pages are printed
    together, and a page whose reading was too broken to show its part's cues (a dithered scan reads
    as short pieces, not prose) must not cut the part in two."""
    for index in untitled:
        before = next((p.role for p in reversed(pages[:index]) if p.role != "blank"), None)
        after = next((p.role for p in pages[index + 1:] if p.role != "blank"), None)
        if before is not None and before == after and before not in ("other", "cover"):
            pages[index].role = before


def is_consortium_agreement(page: Page) -> bool:
    """True when the page reads as a 联合体 agreement: its title near the top and agreement wording."""
    view = PageView.of(page)
    # Lenient on the title (one wrong character allowed): the agreement wording must agree too.
    titled = max(cue_score(t, view.head, exact_below=5) for t in AGREEMENT_TITLES) > 0
    wording = sum(cue_score(cue, view.text) > 0 for cue in AGREEMENT_BODY)
    return titled and wording >= 3
