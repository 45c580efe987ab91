"""Which seal fills which place the notice asks for a seal (`seal_slots`), and whose seal it is.

A page's role says which slot its seals fill; the cover has two slots, told
apart by the seal's text when it was read (the province's department or the
applicant) and otherwise by which label (申报单位 / 推荐单位) the seal is
nearer to. A slot whose page is absent stays false.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from models import ApplicationSealSlots, Check, Evidence, RecommendationSealSlots
from models.page import Box, Page
from pipeline.layout import ROLE_CUES, cue_score, normalise
from pipeline.seals.anchors import Anchor, find_anchors
from pipeline.seals.text import Match, Owner, Reading, cjk, core_similarity, looks_like_name, readable_name

APPLICATION_SLOTS: tuple[str, ...] = tuple(ApplicationSealSlots.model_fields)
RECOMMENDATION_SLOTS: tuple[str, ...] = tuple(RecommendationSealSlots.model_fields)
TABLE_ROLES: tuple[str, ...] = tuple(s for s in APPLICATION_SLOTS if s.startswith("appendix"))

# Whose seal each slot wants.
EXPECTED_OWNER: dict[str, Owner] = {
    "cover_applicant": "lead", "cover_recommender": "recommender", "commitment": "lead",
    **{slot: "lead" for slot in TABLE_ROLES},
    "recommendation_letter": "recommender", "recommendation_table": "recommender",
}
SLOT_LABELS: dict[str, str] = {
    "cover_applicant": "封面申报单位", "cover_recommender": "封面推荐单位", "commitment": "真实性承诺",
    "appendix2_table1": "附2表1", "appendix2_table2": "附2表2", "appendix2_table3": "附2表3",
    "appendix3_table1": "附3表1", "appendix3_table2": "附3表2", "appendix3_table3": "附3表3",
    "recommendation_letter": "推荐函", "recommendation_table": "推荐表",
}
# A confidently read (FOREIGN_CONFIDENCE) organisation's name is someone else's seal when under
# FOREIGN_BELOW of the expected unit's distinctive name is in it.
FOREIGN_BELOW = 0.5
FOREIGN_CONFIDENCE = 0.85
# ...and the expected unit's name spotted in the strip's posteriors under this (a badly read seal of
# the right unit still spots its name at 0.01-0.03; another unit's seal far lower).
FOREIGN_SPOT = 0.005


@dataclass
class PageSeal:
    """A seal found on a page, with what was read from it; `slot` is filled in here."""

    page: int
    bbox: Box  # points
    shape: str
    confidence: float
    reading: Reading | None = None
    match: Match | None = None
    slot: str | None = None
    crop: str | None = None
    # Of a seal named no one, its reading that names the lead best were it in a lead's slot (`read.SealText`).
    in_lead_slot: Reading | None = None

    @property
    def centre(self) -> tuple[float, float]:
        return (self.bbox[0] + self.bbox[2]) / 2, (self.bbox[1] + self.bbox[3]) / 2

    @property
    def owner(self) -> Owner | None:
        return self.match.owner if self.match else None

    @property
    def text(self) -> str | None:
        if self.match is not None:
            return self.match.name
        return readable_name(self.reading) if self.reading is not None else None


def slot_names(doc_type: str) -> tuple[str, ...]:
    return APPLICATION_SLOTS if doc_type == "application" else RECOMMENDATION_SLOTS


def assign_slots(seals: Sequence[PageSeal], pages: Iterable[Page], doc_type: str) -> None:
    """Set each seal's `slot` from its page's role (and, on the cover, from its text or position)."""
    names = slot_names(doc_type)
    pages = list(pages)
    by_page: dict[int, list[PageSeal]] = {}
    for seal in seals:
        by_page.setdefault(seal.page, []).append(seal)
    covers = cover_pages(pages) if "cover_applicant" in names else set()
    for page in pages:
        items = by_page.get(page.number, [])
        if not items:
            continue
        if page.number in covers:
            _assign_cover(page, items)
        elif page.role == "commitment" and "commitment" in names:
            _assign_commitment(page, items)
        elif page.role in names:
            for seal in items:
                seal.slot = page.role


COVER_MARKERS = ("申报单位", "推荐单位", "建设方案", "联系人及联系电话", "填报日期")


def cover_pages(pages: list[Page]) -> set[int]:
    """Pages whose seals fill the cover slots: the cover by role, or else — when no page was
    classed as the cover — the first unclassed page reading like one (three of the cover's
    labels; seals over them garble some, but not all)."""
    by_role = {p.number for p in pages if p.role == "cover"}
    if by_role:
        return by_role
    for page in pages:
        if page.role in (None, "other", "plan", "basic_info", "attachments_list"):
            text = "".join(page.text.split())
            if sum(marker in text for marker in COVER_MARKERS) >= 3:
                return {page.number}
    return set()


def slot_values(seals: Iterable[PageSeal], doc_type: str, pages: Iterable[Page] = ()) -> dict[str, bool]:
    """Each slot of the doc type: true when a seal fills it.

    A recommendation short enough to carry its 推荐表 on the letter's page has
    one seal for both: the letter's seal then fills the table's slot too, and where
    that page was taken for the table, the table's seal fills the letter's.
    """
    values = dict.fromkeys(slot_names(doc_type), False)
    for seal in seals:
        if seal.slot in values:
            values[seal.slot] = True
    pages = list(pages)
    if doc_type == "recommendation" and not any(p.role == "recommendation_table" for p in pages):
        # The table itself, not a mention of it: its title and its 申报对象名称 column.
        letters = {p.number for p in pages if p.role == "recommendation_letter"
                   and "推荐表" in (text := "".join(p.text.split())) and _holds_head(text, TABLE_NAME_HEAD)}
        values["recommendation_table"] = any(s.page in letters and s.slot == "recommendation_letter" for s in seals)
    if doc_type == "recommendation" and not any(p.role == "recommendation_letter" for p in pages):
        # The same page taken for the table (its table read better than its letter): the letter is there where
        # its own body reads (dev31 r14, a photo), as the classifier reads cues, a character in eight wrong
        # ('工业和信息化藤规划司', '近三年无失售情况': dev42 r14, a photo).
        tables = {p.number for p in pages if p.role == "recommendation_table"
                  and sum(cue_score(cue, normalise(p.text)) > 0 for cue in LETTER_BODY) >= 2}
        values["recommendation_letter"] |= any(s.page in tables and s.slot == "recommendation_table" for s in seals)
    return values


# A letter's own words (layout's cues for its body): two of them on a page are the letter, not a mention of it.
LETTER_BODY = ROLE_CUES["recommendation_letter"].body
# The recommendation table's name column (申报对象名称); a photographed page reads one of its characters wrong
# often enough (中报对象, dev30 r14) that one is allowed.
TABLE_NAME_HEAD = "申报对象"
HEAD_ONE_MISREAD = 75.0  # rapidfuzz partial_ratio of a four-character head with one character wrong


def _holds_head(text: str, head: str) -> bool:
    """`head` in `text`, one character of it read wrong at most."""
    return head in text or fuzz.partial_ratio(head, text) >= HEAD_ONE_MISREAD


def _assign_commitment(page: Page, items: list[PageSeal]) -> None:
    """The commitment slot is the seal at 申报单位（加盖公章）; consortium members stamp the same page
    under their own label (联合体成员单位（加盖公章）) and fill no slot.

    Position decides, not the seal's text: a member's seal stamped where the
    applicant's belongs fills the slot and is flagged SEAL_NAME_MISMATCH.
    """
    members_label = find_anchors(page.words, ("联合体成员", "成员单位"))
    if members_label:
        boundary = members_label[0].centre[1]
        for seal in items:
            seal.slot = "commitment" if seal.centre[1] < boundary else None
        return
    # No members' label read: the seal read as the lead's, else the one nearest the applicant's
    # label, else the topmost, is the applicant's; any others are members'.
    lead_label = find_anchors(page.words, ("申报单位",))

    def rank(seal: PageSeal) -> tuple[bool, float]:
        return seal.owner != "lead", _line_distance(seal, lead_label) if lead_label else seal.centre[1]

    chosen = min(items, key=rank)
    for seal in items:
        seal.slot = "commitment" if seal is chosen else None


def _assign_cover(page: Page, items: list[PageSeal]) -> None:
    applicant = find_anchors(page.words, ("申报单位",))
    recommender = find_anchors(page.words, ("推荐单位",))
    unread = []
    for seal in items:
        if seal.owner == "recommender":
            seal.slot = "cover_recommender"
        elif seal.owner in ("lead", "member"):
            seal.slot = "cover_applicant"
        else:
            unread.append(seal)
    if not unread:
        return
    if applicant or recommender:
        for seal in unread:
            seal.slot = _nearer(seal, applicant, recommender)
        _spread_pair(unread, applicant, recommender, items)
    else:
        # No label found (OCR failed on the cover): the applicant's line comes first on the form.
        taken = {s.slot for s in items if s.slot}
        for seal in sorted(unread, key=lambda s: s.centre[1]):
            seal.slot = "cover_applicant" if "cover_applicant" not in taken else "cover_recommender"
            taken.add(seal.slot)


def _line_distance(seal: PageSeal, anchors: list[Anchor]) -> float:
    """Vertical distance from the seal's centre to the nearest label line (the name runs along it)."""
    if not anchors:
        return float("inf")
    cy = seal.centre[1]
    return min(abs(cy - a.centre[1]) for a in anchors)


def _nearer(seal: PageSeal, applicant: list[Anchor], recommender: list[Anchor]) -> str:
    return ("cover_applicant" if _line_distance(seal, applicant) <= _line_distance(seal, recommender)
            else "cover_recommender")


def _spread_pair(unread: list[PageSeal], applicant: list[Anchor], recommender: list[Anchor],
                 items: list[PageSeal]) -> None:
    """Two unread seals drawn to one label while the other slot is empty: one stamp per line is
    far likelier than two on one line, so the one nearer the other label takes that slot."""
    taken = {s.slot for s in items}
    for slot, other, anchors in (("cover_applicant", "cover_recommender", recommender),
                                 ("cover_recommender", "cover_applicant", applicant)):
        group = [s for s in unread if s.slot == slot]
        if len(group) >= 2 and other not in taken and anchors:
            closest = min(group, key=lambda s: _line_distance(s, anchors))
            closest.slot = other
            taken.add(other)


def mismatch_checks(seals: Sequence[PageSeal], expected: dict[Owner, list[str]]) -> list[Check]:
    """SEAL_NAME_MISMATCH for each slot whose seals clearly belong to someone else.

    "Clearly": the seal was matched to another known unit, or read with high
    confidence as a name unlike the expected unit's. A slot with any seal of
    the right unit is not flagged, nor, but on a table's page, one with any seal that could not be read.
    A table's page is stamped by the applicant alone: a seal there clearly someone else's beside one that
    could not be read (a faint mark, or the reverse page's print showing through taken for a seal: dev42
    a04) is still a mismatch, in doubt (its `doubts` name the slot), since the unread one may be the
    applicant's.
    """
    checks = []
    order = list(SLOT_LABELS)
    slots = sorted({s.slot for s in seals if s.slot}, key=lambda s: order.index(s) if s in order else len(order))
    for slot in slots:
        owner = EXPECTED_OWNER.get(slot)
        if owner is None:
            continue
        names = [n for n in expected.get(owner, []) if n]
        group = [s for s in seals if s.slot == slot]
        verdicts = [_verdict(s, owner, names) for s in group]
        unread = [s for s, verdict in zip(group, verdicts, strict=True) if verdict is None]
        if not names or False in verdicts or True not in verdicts or (unread and slot not in TABLE_ROLES):
            continue
        foreign = next(s for s, verdict in zip(group, verdicts, strict=True) if verdict)
        checks.append(_mismatch(slot, foreign, names[0], unread))
    return checks


def _mismatch(slot: str, foreign: PageSeal, name: str, unread: list[PageSeal]) -> Check:
    found = foreign.text or (cjk(foreign.reading.text) if foreign.reading else "") or "（无法识读）"
    label = SLOT_LABELS.get(slot, slot)
    doubt = f"；该处另有 {len(unread)} 枚印章未能识读，可能是申报单位的印章，请人工核对" if unread else ""
    return Check(
        code="SEAL_NAME_MISMATCH", severity="warning", where=slot,
        message=f"{label}处印章为“{found}”，应为“{name}”的印章{doubt}",
        expected=name, found=found, confidence=0.5 if unread else 1.0,
        doubts=[f"seal_slots.{slot}"] if unread else [],
        evidence=[Evidence(page=seal.page, bbox=[round(v, 1) for v in seal.bbox]) for seal in (foreign, *unread)],
    )


def _verdict(seal: PageSeal, owner: Owner, names: list[str]) -> bool | None:
    """True when the seal is clearly someone else's, False when it is the right unit's, None when unsure."""
    if seal.match is not None:
        return seal.match.owner != owner
    if seal.reading is None or not names:
        return None
    return _foreign_reading(seal.reading, names)


def _foreign_reading(reading: Reading, names: list[str]) -> bool | None:
    """A clear reading of a name unlike every name the slot expects (a unit outside the package).

    Clear: the recogniser sure of it, and it reads as a whole organisation's
    name (ending in 公司, 研究院, 大学 …) with little of the expected unit's
    distinctive name in it. A badly printed seal of the right unit reads
    unsurely or as fragments, and is not flagged.
    """
    if reading.confidence < FOREIGN_CONFIDENCE or not looks_like_name(reading.text) or reading.head_lost:
        return None
    if max(core_similarity(name, reading.text) for name in names) >= FOREIGN_BELOW:
        return None  # much of the expected name is there: a misreading, or a sister company; not clear
    if max((reading.spot(name) or 0.0) for name in names) >= FOREIGN_SPOT:
        return None  # the recogniser's posteriors still hold the expected name: a poor reading of it
    return True
