"""Reading a seal's name and deciding whose seal it is.

The unwrapped strip is one line of text, so it goes straight to a line
recogniser (the seal engine of `pipeline.ocr`: RapidOCR's recogniser without
its detector, which would upsample a thin strip to 736 px and take seconds).
The recogniser's per-frame character probabilities (`OcrEngine.line_posteriors`)
are kept, so each unit that may have stamped is scored against them directly
(`spotting`); where they are not available (Tesseract, the fallback where
RapidOCR cannot load) the read text is matched instead: the share of a unit's
characters found in order in it decides.
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
from rapidfuzz.distance import LCSseq, Levenshtein

from pipeline.ocr.base import LinePosteriors, OcrEngine, OcrError
from pipeline.seals.authority import AUTHORITY_SUFFIXES, another_city
from pipeline.seals.spotting import align, best_path, deficits, spot, spot_many

log = logging.getLogger(__name__)

# "other": an organisation named somewhere in the document but not a unit of the package (a partner
# in a table, the authority on a licence): its seal is read by name, and it fills no unit's slot.
Owner = Literal["lead", "member", "recommender", "other"]
# A reading matches a unit when this share of the unit's (core) characters
# appear in order, and clearly better than the runner-up.
MIN_MATCH = 0.6
MIN_MARGIN = 0.15
# Spotting: per-character probability ratio a name needs, and its lead over the next name.
MIN_SPOT = 0.02
# ...and how many times better than the best other name (a ratio: spotting scores are per-character
# probability ratios, so a wrong name lands orders of magnitude lower).
MIN_SPOT_RATIO = 5.0
# A unit spotted this well needs no second reading (spotting scores are per-character probability
# ratios: a clean read of the right name scores near 1; on the sample corpus the best wrong name
# of any hypothesis stayed under 0.08, most under 0.01).
SURE_SPOT = 0.1
# A name spotted less surely is taken only where the reading itself holds one of its characters: a seal
# whose lettering is gone (a fax's stipple) reads as stray marks ('##的#我，###'), in which a short name's
# few characters spot about as well as anywhere.
MIN_READ_CHARACTERS = 1
# An organisation's place and trade name lead its name (杭州 汇易 数据技术 股份有限公司): of these first characters the
# reading must hold one for a weak spot of an organisation outside the package (`_best_clear`).
NAME_HEAD_CHARS = 4
# Reading accepted as the seal's text on its own (no unit matched) only when
# the recogniser is this sure and it reads as a name.
MIN_READ_CONFIDENCE = 0.9
# A name found in the text whose distinctive part is this much a unit's is that unit misread or cut off.
VARIANT_SHARE = 0.6
# Characters a name found in the text may have lost off a unit's name (`variant_of`).
MAX_CUT = 6
# Characters two spellings of one long name may differ by (`spelling_of`).
MAX_SLIPS = 2
MIN_NAME_CHARS = 5
# A long name (this many characters) whose seals agree on a sure spelling this share of its characters
# apart from the text's, beyond `MAX_SLIPS`, is the text's misreading (`slipped_spelling`).
MIN_SLIPPED_CHARS = 10
SLIPPED_SHARE = 0.25
# A character read before a name belongs to it when it stands within this many of the name's character
# pitches of the next (the ring's gap before the name's start is wider).
LEAD_IN_PITCHES = 1.6

_CJK = re.compile(r"[\u4e00-\u9fff]")
# Legal-form words every company shares; matching on them alone says nothing about whose seal it is.
_GENERIC = ("股份有限公司", "有限责任公司", "有限公司", "集团", "公司")
_DEPARTMENT = re.compile(r"(省|市|自治区).{0,8}(工业和信息化|经济和信息化|经济信息化|工信|经信).{0,4}(厅|局|委员会|委)")


# A name is aligned to a strip's posteriors only when this share of its characters reach
# `LIKELY_PROBABILITY` on some frame (a name scoring the lowest accepted spot, 0.02 per character,
# has most of them far above that).
PLAUSIBLE_SHARE = 0.25
LIKELY_PROBABILITY = 0.002


@dataclass(frozen=True)
class Reading:
    """What the recogniser made of a strip: its text and, when available, how it could be read."""

    text: str
    confidence: float
    # Per-frame class probabilities (frames x classes, class 0 = CTC blank) and the classes' characters.
    posteriors: np.ndarray | None = field(default=None, repr=False, compare=False)
    alphabet: dict[str, int] | None = field(default=None, repr=False, compare=False)
    # The text is the end of a longer name the document names, its head lost (`find._head_lost`): no whole name.
    head_lost: bool = False
    # Each character of `text` with the recogniser's probability for it (decoded from posteriors; empty otherwise).
    characters: tuple[tuple[str, float], ...] = field(default=(), repr=False, compare=False)

    def spot(self, name: str) -> float | None:
        """How well `name` explains the strip (0..1), or None without posteriors."""
        if self.posteriors is None or self.alphabet is None:
            return None
        labels = [self.alphabet[c] for c in cjk(name) if c in self.alphabet]
        if not labels or not self._plausible(labels):
            return 0.0
        return spot(self.posteriors, labels, self._deficit)

    def spot_all(self, names: Sequence[str]) -> list[float | None]:
        """`spot` of each name (all None without posteriors), the plausible names aligned together."""
        if self.posteriors is None or self.alphabet is None:
            return [None] * len(names)
        alphabet = self.alphabet
        labels = [[alphabet[c] for c in cjk(name) if c in alphabet] for name in names]
        aligned = [each if each and self._plausible(each) else [] for each in labels]
        return list(spot_many(self.posteriors, aligned, self._deficit))

    @functools.cached_property
    def _deficit(self) -> np.ndarray | None:
        return deficits(self.posteriors) if self.posteriors is not None else None

    def _plausible(self, labels: list[int]) -> bool:
        """Whether enough of a name's characters are among the recogniser's guesses anywhere in the
        strip to be worth aligning (a cheap filter: a document can name dozens of organisations)."""
        return sum(label in self._likely for label in labels) >= PLAUSIBLE_SHARE * len(labels)

    @functools.cached_property
    def _likely(self) -> frozenset[int]:
        if self.posteriors is None:
            return frozenset()
        return frozenset(int(k) for k in np.unique(np.nonzero(self.posteriors >= LIKELY_PROBABILITY)[1]))



@dataclass(frozen=True)
class Match:
    """The unit a seal reading belongs to, with the similarity that decided it."""

    name: str
    owner: Owner
    score: float
    # The document prints this spelling of an organisation's name alike in two places or more (or in its text
    # layer; `SealUnits.printed_alike`): the seal's reading does not respell it (`spelt_as_stamped`).
    as_printed: bool = False


def cjk(text: str) -> str:
    return "".join(_CJK.findall(text))


def core(name: str) -> str:
    """A unit name without its legal-form suffix: the part that tells two companies apart."""
    stripped = cjk(name)
    for suffix in _GENERIC:
        if stripped.endswith(suffix) and len(stripped) > len(suffix) + 1:
            return stripped[: -len(suffix)]
    return stripped


def similarity(name: str, reading: str) -> float:
    """Share of the name's characters found, in order, in the reading (0..1), core weighted double.

    In-order recall tolerates what seal OCR adds (ring fragments, a bottom line
    such as 合同专用章, a code) and what it drops (characters under print).
    """
    read = cjk(reading)
    full, distinctive = cjk(name), core(name)
    if not read or not full:
        return 0.0
    recall_full = LCSseq.similarity(full, read) / len(full)
    recall_core = LCSseq.similarity(distinctive, read) / len(distinctive) if distinctive else recall_full
    return (recall_full + 2 * recall_core) / 3


def core_similarity(name: str, reading: str) -> float:
    """Share of the name's distinctive part (without 有限公司 etc.) found, in order, in the reading."""
    distinctive, read = core(name), cjk(reading)
    return LCSseq.similarity(distinctive, read) / len(distinctive) if distinctive and read else 0.0


def match_unit(reading: Reading | str, candidates: Sequence[tuple[str, Owner]]) -> Match | None:
    """The candidate unit the reading names, or None when none matches clearly.

    With the recogniser's posteriors, names are spotted in them; otherwise the
    read text is compared. Either way the best name must be good enough on its
    own and clearly better than the best different name. The package's units
    are tried first on their own; other organisations named in the document
    only when none of them matches, and then against the units as rivals (a
    seal is far likelier a unit's, and every extra name is one more chance
    for a poor reading to fit something).
    """
    if isinstance(reading, str):
        reading = Reading(reading, 1.0)
    # An authority of a city the seal reads none of is no candidate, nor a rival (`authority.another_city`).
    names = [(name, owner) for name, owner in candidates if cjk(name) and not another_city(reading.text, name)]
    units: list[tuple[str, Owner]] = [(name, owner) for name, owner in names if owner != "other"]
    match = _best_clear(reading, units)
    if match is None and len(units) < len(names):
        match = _best_clear(reading, names)
    return match


def _best_clear(reading: Reading, names: list[tuple[str, Owner]]) -> Match | None:
    scores = reading.spot_all([name for name, _ in names])
    spotted = [(score, name, owner) for score, (name, owner) in zip(scores, names, strict=True)]
    by_spotting = bool(spotted) and all(score is not None for score, _, _ in spotted)
    if by_spotting:
        scored = sorted(((float(score or 0.0), name, owner) for score, name, owner in spotted), reverse=True)
    else:
        scored = sorted(((similarity(name, reading.text), name, owner) for name, owner in names), reverse=True)
    if not scored or scored[0][0] < (MIN_SPOT if by_spotting else MIN_MATCH):
        return None
    best, name, owner = scored[0]
    if by_spotting and best < SURE_SPOT and LCSseq.similarity(cjk(name), cjk(reading.text)) < MIN_READ_CHARACTERS:
        return None
    # Of an organisation outside the package (one of dozens the document names), a weak spot needs the reading
    # to hold some of what tells it from the rest: its place and trade name, the name's first characters. A
    # reading of its industry and legal form alone ('技术有限公司', '海城数字科技有限') fits every such name, and
    # a cover's poorly read stamp was named after a provider in a table, then flagged as a foreign seal.
    if by_spotting and owner == "other" and best < SURE_SPOT \
            and LCSseq.similarity(cjk(name)[:NAME_HEAD_CHARS], cjk(reading.text)) < MIN_READ_CHARACTERS:
        return None
    # Candidates naming one unit (a department found with and without a stray leading character, or
    # with one character misread) are not rivals; nor are the lead's names, however far apart their
    # spellings: the cover's applicant and the basic-info table's lead unit are one unit, one of them
    # perhaps cut off or misread where it was read. The lead and a member are two units however alike their
    # names (台州瑞锐工业互联网 and 台州联宏工业互联网, two characters apart): rivals always.
    rival = max((score for score, other, other_owner in scored[1:]
                 if (not same_unit(name, other) or two_units(owner, other_owner)) and not one_unit(owner, other_owner)),
                default=0.0)
    clear = best >= MIN_SPOT_RATIO * rival if by_spotting else best - rival >= MIN_MARGIN
    if not clear:
        return None
    whole = _whole_name(scored, name, owner, best / MIN_SPOT_RATIO if by_spotting else best - MIN_MARGIN)
    return Match(whole[1], owner, round(best, 3)) if whole else Match(name, owner, round(best, 3))


def _whole_name(scored: list[tuple[float, str, Owner]], name: str, owner: Owner,
                floor: float) -> tuple[float, str, Owner] | None:
    """The best-scoring whole name of the same unit when the winning one is cut off (a field read as
    "…集团有" spots as well as "…集团有限公司": the seal bears the whole name). None when `name` is
    whole or no whole spelling of its unit scores above `floor` (not clearly worse)."""
    if looks_like_name(name, run_on=0):
        return None
    return next((entry for entry in scored if entry[0] >= floor and looks_like_name(entry[1], run_on=0)
                 and (same_unit(name, entry[1]) or one_unit(owner, entry[2]))), None)


def as_stated(reading: Reading, match: Match, stated: Sequence[str]) -> Match:
    """The unit's name as the package states it (the cover's 推荐单位, the lead unit) in place of a shorter
    form of it that won, when the stated name spots not clearly worse (within `MIN_SPOT_RATIO`).

    Spotting scores per character, so where a seal's first characters are faint (广西壮族 on a curled
    page) a name cut there ("自治区工业和信息化厅", one of the prefixes `department_names` offers) explains
    the strip better per character than the whole name; the seal bears the whole name all the same.
    """
    name = cjk(match.name)
    for whole in stated:
        if len(cjk(whole)) <= len(name) or not cjk(whole).endswith(name):
            continue
        score = reading.spot(whole)
        if score is not None and score >= match.score / MIN_SPOT_RATIO:
            return Match(whole, match.owner, match.score)  # the score that decided whose seal it is
    return match


def as_printed(reading: Reading, match: Match, stated: Sequence[str], printed_alike: Callable[[str], bool]) -> Match:
    """The unit's name as the package states it and prints alike in two places (`printed_alike`: the document's
    own spelling) in place of another spelling of it found once in the text that won, when the reading holds
    none of the characters that spelling has of its own and the stated name spots not clearly worse (within
    `MIN_SPOT_RATIO`): a spelling printed once is a misreading of the unit's name or another organisation's,
    and the seal's ink must tell it from the unit's to be named so.

    dev32 a01 p11: the member 杭州锐隆资本管理有限公司 (printed twice) and a financier printed once in its
    table, 杭州宇锐资本管理有限公司, two characters apart, offered as the member's spelling. The member's seal
    read '…贸本官理…公司', neither 宇 nor 隆, and the financier's spelling won by 0.0805 to 0.0803: a wrong
    name, at 1.0."""
    if reading.posteriors is None or printed_alike(match.name):
        return match  # a text compared, not spotted: the spelling it is nearest stands
    for name in stated:
        if name == match.name or not spelling_of(match.name, name) or not printed_alike(name):
            continue
        if set(cjk(match.name)) - set(cjk(name)) & set(cjk(reading.text)):
            return match  # the ink reads what tells that spelling from the unit's
        score = reading.spot(name)
        if score is not None and score >= match.score / MIN_SPOT_RATIO:
            return Match(name, match.owner, match.score)  # the score that decided whose seal it is
    return match


def one_unit(owner: Owner, other: Owner) -> bool:
    """Whether two names' owners are one unit whatever the names say: a package has one lead unit."""
    return owner == other == "lead"


def two_units(owner: Owner, other: Owner) -> bool:
    """Whether two names' owners are two units whatever the names say: the lead and a member."""
    return {owner, other} == {"lead", "member"}


def variant_of(name: str, unit: str) -> bool:
    """Whether `name` (found in OCR text) is most likely a misread or cut-off form of `unit`:
    most of its distinctive part is in the unit's, in order, and the unit's is not much longer
    (a unit "name" that is a whole table row read as one cell holds every name, and is none)."""
    distinctive, unit_core = core(name), core(unit)
    if not distinctive or len(unit_core) > len(distinctive) + MAX_CUT:
        return False
    return LCSseq.similarity(distinctive, unit_core) >= VARIANT_SHARE * len(distinctive)


_DEPARTMENT_SUFFIX = re.compile(r"(工业和信息化|经济和信息化|经济信息化)(厅|局|委员会)")


def department_misspelt(name: str, unit: str) -> bool:
    """Whether `name`, a spelling of the department `unit` found in the text, misspells the suffix every industry
    department's name ends in (`_DEPARTMENT_SUFFIX`), which `unit` spells right: dev55 a09's '四川省经济和信化厅'
    beside the cover's 四川省经济和信息化厅. Offered as the recommender's spelling, it won the cover's seal, whose
    strip lost 信息 too ('—四川省经济机化厅': 0.49 against 0.20), and was taken as the seal's name."""
    return _DEPARTMENT_SUFFIX.search(cjk(unit)) is not None and _DEPARTMENT_SUFFIX.search(cjk(name)) is None


def department_names(texts: list[str], limit: int = 12) -> list[str]:
    """Provincial or city industry departments named in the document, in each plausible length.

    "…推荐单位：浙江省经济和信息化厅…" gives 浙江省经济和信息化厅; where the
    place name's start is unclear (现推荐宁波市…) every prefix ending in 省, 市
    or 区 is kept, and spotting picks the variant the seal actually carries.
    """
    found: list[str] = []
    for text in texts:
        line = cjk(text)
        for hit in _DEPARTMENT_SUFFIX.finditer(line):
            for k in range(3, 9):  # 宁波市 … 新疆维吾尔自治区
                start = hit.start() - k
                prefix = line[max(0, start) : hit.start()]
                if start >= 0 and prefix[-1] in "省市区" and prefix + hit.group() not in found:
                    found.append(prefix + hit.group())
            if len(found) >= limit:
                return found
    return found


# Greedy: "…集团有限公司" is one name, not "…集团" and a remainder.
_ORGANISATION_NAME = re.compile(
    r"[\u4e00-\u9fff]{2,26}(?:股份有限公司|有限责任公司|有限公司|集团|研究院|研究所|实验室|中心|大学|学院|协会|联合会|商会|基金|"
    r"管理局|委员会|厅|局)")
# Characters that end a name's run in running text: the name is what follows them.
_NAME_BREAK = re.compile(r"[^\u4e00-\u9fff]+|(?:甲方|乙方|单位名称|名称|单位|牵头|成员|盖章|公章|印章|机关)(?=[\u4e00-\u9fff]{4})")


# A university may be named by its city alone (郑州大学): four characters are a whole name there.
_UNIVERSITY = re.compile(r"[\u4e00-\u9fff]{2}(?:大学|学院)")


def organisation_names(texts: list[str], limit: int = 200) -> list[str]:
    """Organisations named in the document (table cells, letters, licences), each once, in order.

    Seals on a package are mostly its units', but partners in the appendix tables and the
    authorities on attached licences stamp too; spotted against these names they read as
    themselves rather than as nothing. A run of text is cut at punctuation and at a few
    labels that commonly lead into a name (甲方, 单位名称, a licence's 登记机关 …), and each
    piece's organisation names are kept: names of someone (`looks_like_name`), not a legal form
    alone ("股份有限公司" split off a cell's name by a line break: a seal whose reading held little
    but its legal form was named so, and flagged as another's).
    """
    found: list[str] = []
    seen: set[str] = set()
    for text in texts:
        for piece in _NAME_BREAK.split(text):
            for hit in _ORGANISATION_NAME.finditer(piece):
                name = hit.group()
                if (looks_like_name(name, run_on=0) or _UNIVERSITY.fullmatch(name)) and name not in seen:
                    seen.add(name)
                    found.append(name)
                    if len(found) >= limit:
                        return found
    return found


def same_unit(a: str, b: str) -> bool:
    """One unit named twice: the same characters, one name ending the other (a stray leading
    character), or spelt apart by an OCR slip where the name was read (`spelling_of`)."""
    a, b = cjk(a), cjk(b)
    if a == b:
        return True
    if min(len(a), len(b)) < 6:
        return False
    return a.endswith(b) or b.endswith(a) or spelling_of(a, b)


def spelling_of(name: str, unit: str) -> bool:
    """Whether `name` is `unit` spelt differently: a long name with one or two characters misread,
    dropped or added (the page OCR slips on one copy of a name, rarely on all)."""
    a, b = cjk(name), cjk(unit)
    if min(len(a), len(b)) < 6 or abs(len(a) - len(b)) > 1 or Levenshtein.distance(a, b) > MAX_SLIPS:
        return False
    # A character dropped or added at either end is a name cut off or run on, not misspelt.
    return len(a) == len(b) or (a[0] == b[0] and a[-1] == b[-1])


# Words of a legal form (…股份有限公司, 有限责任公司) that name no one, and how many characters a name
# needs besides them and its ending.
_LEGAL_FORM = re.compile(r"股份|有限|责任")
MIN_OWN_CHARS = 2
_ORGANISATION = re.compile(r"(公司|集团|研究院|研究所|研究中心|实验室|大学|学院|协会|联合会|商会|中心|基金|厅|局|委员会|办公室|所|院|社|厂)$")
# No one's name begins with its legal form: a reading that does is a ring read from inside the name
# ("有限公司台州…集团"), to be turned, not a name.
_BEGINS_AS_LEGAL_FORM = re.compile(r"股份|有限|责任|公司")
# Anywhere in the characters read before a name: another name's ending or legal form, not this name's start.
_NAME_END_IN_LEAD_IN = re.compile(_ORGANISATION.pattern.rstrip("$") + "|" + _LEGAL_FORM.pattern)


def looks_like_name(reading: str, run_on: int = 1) -> bool:
    """A whole organisation's name: enough characters, ending the way such names end, with a name of
    its own before the legal form (有限公司 alone is no one's name). A seal's strip may run on into its
    bottom line or a stray fragment: `run_on` characters after the ending are allowed."""
    text = cjk(reading)
    if len(text) < MIN_NAME_CHARS or _BEGINS_AS_LEGAL_FORM.match(text):
        return False
    for k in range(run_on + 1):
        ending = _ORGANISATION.search(text[: len(text) - k])
        if ending is not None and len(_LEGAL_FORM.sub("", text[: ending.start()])) >= MIN_OWN_CHARS:
            return True
    return False


def without_run_on(name: str) -> str:
    """A unit's name cut at its organisation's ending where the text read on past it into the form's next words
    ("杭州昌云建材有限公司（盖章单位）" read "…有限公司（造单位4", "…研究院加单.章", "…有限公司统一共翁作信用":
    the label after the field): a seal bears the name alone, and spotting the run-on characters in its strip
    finds nothing. Only a name that does not itself end as a name is cut, at its longest beginning that does,
    and not where the rest begins a legal form (a name cut off inside it, "…集团有限", keeps what was read)."""
    text = cjk(name)
    if looks_like_name(text, run_on=0):
        return name
    for end in range(len(text) - 1, MIN_NAME_CHARS - 1, -1):
        head, rest = text[:end], text[end:]
        if looks_like_name(head, run_on=0):
            return name if any(form.startswith(rest[:2]) for form in (*_GENERIC, "有限")) else head
    return name


def spelt_as_stamped(reading: Reading, match: Match) -> Match:
    """An organisation found in the document's text, named as its seal spells it where the two spellings
    differ by a slip or two (`spelling_of`) and the seal's own characters there are sure.

    Such a name (a licence's registration authority, a partner in a table) is printed once, and the
    page's OCR may have dropped or misread a character of it ("宁波市场…" for "宁波市市场…"); the
    seal, read where the name aligns to its strip, shows the characters the print lost. Only characters
    the recogniser is sure of (`MIN_READ_CONFIDENCE`) replace or add to the text's; a character missing
    from the seal's reading is taken for a recogniser's slip and the text's spelling kept. A name the document
    prints alike in two places (`Match.as_printed`) is its spelling (the page OCR slips on one copy of a name,
    rarely on two alike), and a registration authority's fixed suffix is never respelt.
    """
    if match.as_printed:
        return match
    read = stamped_spelling(reading, match.name, spelling_of)
    if read is None:
        return match
    # A registration authority's suffix is set nationally (市场监督管理局): a seal read otherwise there surely
    # misread it (监管管理局, 管瑶局), however sure the recogniser was.
    suffix = next((ending for ending in AUTHORITY_SUFFIXES if cjk(match.name).endswith(ending)), None)
    if suffix is not None and not read.endswith(suffix):
        return match
    return Match(read, match.owner, match.score)


def stamped_spelling(reading: Reading, name: str, apart: Callable[[str, str], bool]) -> str | None:
    """The name as the seal's strip spells it where `name` aligns to it (the recogniser's best path over those
    frames), when that spelling differs from `name` as `apart` allows and every character it has in place of
    or beside the name's is sure (`MIN_READ_CONFIDENCE`); None otherwise, or where the strip lacks a
    character of `name` (a recogniser's slip, not the name's)."""
    name = cjk(name)
    stamped = read_where_aligned(reading, name)
    read = "".join(c for c, _ in stamped or ())
    if stamped is None or read == name or not apart(read, name):
        return None
    for op in Levenshtein.opcodes(name, read):
        if op.tag == "delete" or (op.tag != "equal" and any(p < MIN_READ_CONFIDENCE
                                                            for _, p in stamped[op.dest_start : op.dest_end])):
            return None
    return read


def read_where_aligned(reading: Reading, name: str) -> list[tuple[str, float]] | None:
    """The characters the strip's best path reads over the frames `name` aligns to, each with its probability;
    None without posteriors, where the recogniser lacks a character of the name, or where nothing aligns."""
    name = cjk(name)
    if reading.posteriors is None or reading.alphabet is None or any(c not in reading.alphabet for c in name):
        return None
    _, placed = align(reading.posteriors, [reading.alphabet[c] for c in name], reading._deficit)
    frames = np.flatnonzero(placed >= 0)
    if frames.size == 0:
        return None
    return [(c, p) for c, _, p in best_path(reading.posteriors[frames[0] : frames[-1] + 1],
                                            _characters(reading.alphabet)) if cjk(c)]


def added_in_print(reading: Reading, name: str) -> str | None:
    """The unit's name without a character the page's OCR added inside it, as one seal's strip reads it: where the
    name aligns, the strip reads every character of the name but one inside it, and the two either side of that one
    stand a character's pitch apart (`LEAD_IN_PITCHES` of the name's own), with no room between them for a character
    the stamp might have left faint. The members table's 杭州顺引弘精密机械… for the seals' 杭州顺弘…: the spelling a
    seal offers; only offered, the unit's seals vote (`stamped.respelt_by_vote`). None otherwise, and for a character
    of the name's legal form (`core`), which is spelt one way: a seal's '有限司' lost its 公.

    A character read otherwise is not offered: the seal's recogniser has look-alikes of its own it misreads on every
    seal of a unit alike (睿 read 春 on all nine of dev47 a08's), as the page's OCR has (样 for 祥)."""
    name = cjk(name)
    stamped = read_where_aligned(reading, name)
    if stamped is None or len(name) < MIN_SLIPPED_CHARS or reading.posteriors is None or reading.alphabet is None:
        return None
    read = "".join(c for c, _ in stamped)
    ops = [op for op in Levenshtein.opcodes(name, read) if op.tag != "equal"]
    if len(ops) != 1 or ops[0].tag != "delete" or ops[0].src_end - ops[0].src_start != 1 \
            or not 0 < ops[0].src_start < len(core(name)):
        return None
    _, placed = align(reading.posteriors, [reading.alphabet[c] for c in read], reading._deficit)
    spaced = _name_pitch(placed, len(read))
    at = ops[0].dest_start  # the read's character just after the one the print added
    if spaced is None or not (placed == at - 1).any() or not (placed == at).any():
        return None
    gap = int(np.flatnonzero(placed == at)[0]) - int(np.flatnonzero(placed == at - 1)[0])
    return read if gap <= LEAD_IN_PITCHES * spaced[1] else None


# The legal forms a name read short may lack the end of ("…软件集团" for "…软件集团有限公司": the field's line wrapped
# before it, or the page's OCR lost it), longest first.
_LEGAL_ENDINGS = ("股份有限公司", "有限责任公司", "有限公司", "公司")


def stamped_legal_form(reading: Reading, name: str) -> str | None:
    """`name` with the legal form its seal's strip reads right after it, where the name as found lacks it.

    A company's seal bears its whole registered name, legal form and all; the form's copy of it can stop
    short ("株洲凯捷软件集团" where the cover's field wrapped before 有限公司), and spotting, per character,
    finds that shorter name in the strip as well as the whole one. The characters the strip holds just after
    where the name aligns, each sure (`MIN_READ_CONFIDENCE`) and within `LEAD_IN_PITCHES` of the name's
    character pitch of the one before, are the name's when they complete one of the legal forms
    (`_LEGAL_ENDINGS`): the longest such completion is returned, None where the name already ends in 公司 or
    the strip reads no legal form after it (a bottom line such as 合同专用章 is none)."""
    read = cjk(name)
    name = _without_bare_form(read)
    if name.endswith("公司") or reading.posteriors is None or reading.alphabet is None or len(name) < MIN_NAME_CHARS \
            or any(c not in reading.alphabet for c in name):
        return None
    _, placed = align(reading.posteriors, [reading.alphabet[c] for c in name], reading._deficit)
    spaced = _name_pitch(placed, len(name))
    if spaced is None or not (placed == len(name) - 1).any():
        return None
    pitch = spaced[1]
    previous = int(np.flatnonzero(placed == len(name) - 1)[-1])
    tail: list[str] = []
    for character, frame, probability in best_path(reading.posteriors, _characters(reading.alphabet)):
        if frame <= previous:
            continue
        if len(tail) >= len(_LEGAL_ENDINGS[0]) or not cjk(character) or probability < MIN_READ_CONFIDENCE \
                or frame - previous > LEAD_IN_PITCHES * pitch:
            break
        tail.append(character)
        previous = frame
    for end in range(len(tail), 0, -1):
        whole = name + "".join(tail[:end])
        if any(whole.endswith(form) and len(form) >= end for form in _LEGAL_ENDINGS):
            return whole if whole != read else None
    return None


def _name_pitch(placed: np.ndarray, size: int) -> tuple[list[int], float] | None:
    """The first frame of each of a `size`-character name's characters the alignment placed, and the name's
    character pitch (their median spacing, in frames); None where fewer than two were placed."""
    starts = [int(np.flatnonzero(placed == k)[0]) for k in range(size) if (placed == k).any()]
    return (starts, float(np.median(np.diff(starts)))) if len(starts) >= 2 else None


def _without_bare_form(name: str) -> str:
    """`name` without a bare 公司 ending (one not part of a longer legal form): a form's copy that lost 有限 from
    its legal form ("株洲凯捷软件集团公司" read off a phone photo) is completed from its seals as a cut one is.
    Where the unit is truly a 公司, its seals read 公司 after the stem and nothing changes."""
    bare = name.endswith("公司") and not any(name.endswith(form) for form in _LEGAL_ENDINGS if form != "公司")
    return name[:-2] if bare else name


def slipped_spelling(read: str, name: str) -> bool:
    """Whether `read` is the long name `name` with more slips than `spelling_of` allows, up to
    `SLIPPED_SHARE` of its characters, inside it (both ends kept, the lengths within `MAX_SLIPS`, characters
    misread or added but none lost): the
    spelling a phone photo's OCR garbles a stretch of ("台州和智业技术股纷自限公司" for
    "台州和智工业技术股份有限公司"). Two units of a package differ by more: their distinctive words."""
    a, b = cjk(read), cjk(name)
    if min(len(a), len(b)) < MIN_SLIPPED_CHARS or abs(len(a) - len(b)) > MAX_SLIPS or a[0] != b[0] or a[-1] != b[-1]:
        return False
    # Every character of the name has one in `read` (none dropped): a seal's reading that lost characters
    # ("常事网络…" for "常州旭嘉网络…") is the seal misread, not the name spelt as stamped (`stamped_spelling`).
    if any(op.tag == "delete" for op in Levenshtein.opcodes(b, a)):
        return False
    return MAX_SLIPS < Levenshtein.distance(a, b) <= SLIPPED_SHARE * len(b)


# A character the strip reads at least this surely between two of a name's is offered as one the text dropped
# (`put_back`); only offered: the unit's seals' spots decide (`stamped.dropped_put_back`).
PUT_BACK_READ = 0.5


def put_back(reading: Reading, name: str) -> set[str]:
    """`name` with a character put back that the strip reads (`PUT_BACK_READ`) between two of the name's
    neighbouring characters where the name aligns to it (`dropped_in_print`): the spellings a seal offers for a
    character the page's OCR dropped from the name. A seal whose strip read the name's other characters poorly
    (its best path "泉州市智能制励" round one turn) still shows the lost 制 between 能 and 造 on the next."""
    name = cjk(name)
    if reading.posteriors is None or reading.alphabet is None or any(c not in reading.alphabet for c in name):
        return set()
    _, placed = align(reading.posteriors, [reading.alphabet[c] for c in name], reading._deficit)
    found: set[str] = set()
    for char, frame, p in best_path(reading.posteriors, _characters(reading.alphabet)):
        before, after = placed[:frame][placed[:frame] >= 0], placed[frame + 1 :][placed[frame + 1 :] >= 0]
        if p < PUT_BACK_READ or not cjk(char) or placed[frame] >= 0 or not before.size or not after.size:
            continue
        at = int(before[-1]) + 1
        if at == int(after[0]):  # between two neighbouring characters of the name, not over one
            found.add(name[:at] + char + name[at:])
    return {spelling for spelling in found if dropped_in_print(spelling, name)}


def dropped_in_print(read: str, name: str) -> bool:
    """Whether `read` is `name` with a character the page's OCR dropped put back inside it (`spelling_of`'s one
    character more, both ends kept, none of the name's misread or lost): "泉州市智能造协会" read in a dithered
    members table for the "泉州市智能制造协会" its seals bear. A look-alike misread in the seal's strip changes a
    character (数学化 for 数字化) and is no such spelling; a character read between two of the name's is ink there."""
    a, b = cjk(read), cjk(name)
    return len(a) == len(b) + 1 and spelling_of(a, b) \
        and all(op.tag in ("equal", "insert") for op in Levenshtein.opcodes(b, a))


def as_stamped(seal_text: str, name: str) -> bool:
    """Whether a seal's text is the unit `name` as the seal stage names its seals: the name without the words
    read on past it (`without_run_on`), spelt as the unit's seals agree in spelling it (`slipped_spelling`), or
    completed with the legal form they read after it (`with_legal_form`)."""
    text = cjk(seal_text)
    return text == cjk(without_run_on(name)) != cjk(name) or slipped_spelling(text, name) or with_legal_form(text, name)


def with_legal_form(text: str, name: str) -> bool:
    """Whether `text` is `name` completed with the legal form its seals read after it (`stamped_legal_form`)."""
    text, read = cjk(text), cjk(name)
    name = _without_bare_form(read)
    return (len(name) >= MIN_NAME_CHARS and not name.endswith("公司") and text.startswith(name) and text != read
            and any(text.endswith(form) and len(text) - len(name) <= len(form) for form in _LEGAL_ENDINGS))


def whole_as_stamped(reading: Reading, match: Match) -> Match:
    """An organisation found in the text cut off at its start, named whole as its seal reads it.

    The text's copy (a licence's authority under the seal that stamps it) can lose its first characters
    to the seal's ink or a line's wrap: "场监督管理局" for "贵阳市市场监督管理局", while the seal's ring
    reads them clearly. The characters the strip holds just before where the name aligns, run on at the
    name's own character pitch and each sure (`MIN_READ_CONFIDENCE`), are put back in front of it, up to
    `MAX_CUT` of them; another name's tail (a legal form or an organisation's ending read before it) ends
    the run, and the result must still read as a name.
    """
    name = cjk(match.name)
    if reading.posteriors is None or reading.alphabet is None or len(name) < 2 \
            or any(c not in reading.alphabet for c in name):
        return match
    _, placed = align(reading.posteriors, [reading.alphabet[c] for c in name], reading._deficit)
    spaced = _name_pitch(placed, len(name))
    if spaced is None:
        return match
    starts, pitch = spaced
    lead_in = _sure_lead_in(best_path(reading.posteriors, _characters(reading.alphabet)), starts[0], pitch)
    whole = lead_in + name
    if not lead_in or not looks_like_name(whole, run_on=0):
        return match
    return Match(whole, match.owner, match.score)


def _sure_lead_in(path: list[tuple[str, int, float]], start: int, pitch: float) -> str:
    """The sure characters `path` holds just before frame `start`, each within `LEAD_IN_PITCHES` of
    `pitch` of the next, at most `MAX_CUT`; cut after the last ending of another name among them."""
    before = [(c, frame, p) for c, frame, p in path if frame < start]
    taken: list[str] = []
    following = start
    for character, frame, probability in reversed(before):
        if len(taken) >= MAX_CUT or not cjk(character) or probability < MIN_READ_CONFIDENCE \
                or following - frame > LEAD_IN_PITCHES * pitch:
            break
        taken.append(character)
        following = frame
    lead_in = "".join(reversed(taken))
    endings = list(_NAME_END_IN_LEAD_IN.finditer(lead_in))
    return lead_in[endings[-1].end():] if endings else lead_in


def _characters(alphabet: dict[str, int]) -> list[str]:
    """The recogniser's classes as characters by index (the blank and unknown indices empty)."""
    characters = [""] * (max(alphabet.values(), default=0) + 1)
    for character, index in alphabet.items():
        characters[index] = character
    return characters


def looks_like_department(reading: str) -> bool:
    """A provincial industry department's name (the recommender's seal), whatever the province."""
    return _DEPARTMENT.search(cjk(reading)) is not None


def readable_name(reading: Reading) -> str | None:
    """The reading itself when it is confident and long enough to stand as a seal's text, or the whole name it
    holds surely among a few stray marks (`name_among_marks`)."""
    if reading.head_lost:
        return None
    text = cjk(reading.text)
    if reading.confidence >= MIN_READ_CONFIDENCE and len(text) >= MIN_NAME_CHARS:
        return text
    return name_among_marks(reading)


# Stray marks a reading may hold before and after a name it reads whole (`name_among_marks`): a ring's fragment
# read 'ut', the seal's own number strip read '6s' after its name.
MAX_STRAY_MARKS = 3
# How sure the recogniser must be of such a name's own characters: as sure as of a department's name read alone
# (`find.DEPARTMENT_READ_CONFIDENCE`); the name's structure (`name_among_marks`) is the rest of the evidence.
NAME_AMONG_MARKS_CONFIDENCE = 0.8
# ...and none of them a guess among look-alikes or a mark's reading (two stray characters read before the name).
GUESSED_CHARACTER = 0.3


def name_among_marks(reading: Reading) -> str | None:
    """A whole company's name read surely with a few stray marks round it: the seal's number strip ('…有限公司6s':
    9899416548239 under the star), a fragment of the ring ('ut宁波…'), a character of the bottom line after it.

    The mean over the whole reading, marks and all, fell under `MIN_READ_CONFIDENCE` and the name, clear to the
    eye, was not taken. The name must begin the reading's characters (only marks that are no Chinese before it:
    a name whose head is lost reads as its tail, "技术有限公司"), run unbroken to an organisation's ending, hold
    a place and trade name before its legal form (`NAME_HEAD_CHARS` characters), and be sure on its own; at most
    `MAX_STRAY_MARKS` marks before and after it. Only a seal no unit or organisation of the document was spotted in
    is named so (`PageSeal.text`): a foreign seal in a unit's slot, whose name the document never prints."""
    read = reading.characters
    start = next((k for k, (c, _) in enumerate(read) if cjk(c)), len(read))
    if start > MAX_STRAY_MARKS:
        return None
    for end in range(len(read), start + MIN_NAME_CHARS - 1, -1):
        if len(read) - end > MAX_STRAY_MARKS:
            break
        stretch = read[start:end]
        name = "".join(c for c, _ in stretch)
        if cjk(name) != name:
            continue
        ending = _ORGANISATION_END.search(name)
        if ending is None or not name.endswith(ending.group()) \
                or len(_LEGAL_FORM.sub("", name[: len(name) - len(ending.group())])) < NAME_HEAD_CHARS:
            continue
        sureness = [p for _, p in stretch]
        if float(np.mean(sureness)) >= NAME_AMONG_MARKS_CONFIDENCE and min(sureness) >= GUESSED_CHARACTER:
            return name
    return None


class LineReader:
    """Recognises one line of text in a strip through an OCR engine (`pipeline.ocr.seal_engine`).

    With the engine's frame posteriors the reading keeps them for spotting; an engine without
    them (Tesseract) gives its text alone. When the posterior engine fails to load or run, the
    `fallback` engine reads the strips instead (logged once).
    """

    def __init__(self, engine: OcrEngine, fallback: OcrEngine | None = None) -> None:
        self.engine = engine
        self.fallback = fallback
        self._broken = False

    def read(self, strip: np.ndarray, text_share: float = 1.0) -> Reading:
        """Read `strip`; the text is decoded from its first `text_share` (the rest is a wrapped repeat),
        the posteriors cover it all."""
        if not self._broken:
            try:
                posteriors = self.engine.line_posteriors(strip)
            except OcrError as error:
                log.warning("seal strip recognition failed (%s engine): %s", self.engine.name, error)
                self._broken = self.fallback is not None
                posteriors = None
            if posteriors is not None:
                return posterior_reading(posteriors, text_share)
        return self._text_only(self.fallback if self._broken and self.fallback else self.engine, strip)

    @staticmethod
    def _text_only(engine: OcrEngine, strip: np.ndarray) -> Reading:
        try:
            words = engine.read_region(strip, mode="line")
        except OcrError as error:
            log.warning("%s failed on a seal strip: %s", engine.name, error)
            return Reading("", 0.0)
        if not words:
            return Reading("", 0.0)
        return Reading("".join(w.text for w in words), float(np.mean([w.confidence for w in words])))


def posterior_reading(posteriors: LinePosteriors, text_share: float = 1.0) -> Reading:
    """The strip's text (from its first `text_share`) and the posteriors it was decoded from."""
    frames, characters = posteriors.frames, list(posteriors.characters)
    turn = max(1, round(len(frames) * text_share))
    path = [(c, p) for c, _, p in best_path(frames[:turn], characters)]
    if turn < len(frames) and not looks_like_name("".join(c for c, _ in path)):  # a ring's strip (wrapped)
        path = _turn_ending_in_a_name(frames, characters, turn) or path
    text = "".join(c for c, _ in path)
    confidence = float(np.mean([p for _, p in path])) if path else 0.0
    return Reading(text, confidence, frames, _alphabet(posteriors.characters), characters=tuple(path))


# Where a name can be cut to end: the long legal forms only. `_ORGANISATION`'s one-character
# endings (所, 院, 厂 …) also occur inside names, and a cut there would read as a name too.
_ORGANISATION_END = re.compile(r"(有限责任公司|有限公司|公司|集团|研究院|研究所|实验室|大学|学院|协会|中心|基金)")


def _turn_ending_in_a_name(posteriors: np.ndarray, characters: list[str], turn: int) -> list[tuple[str, float]] | None:
    """The strip's first turn read so that it ends where an organisation's name ends.

    The strip starts in the ring's widest gap; when that is not the gap after the name (a
    seal whose lettering is spread evenly) the turn reads "自动化有限公司无锡监云". Cut
    halfway between "司" and the next character instead, and read the turn from there
    round to the same point: the name whole and in order.
    """
    first_turn = posteriors[:turn]
    path = best_path(first_turn, characters)
    text = "".join(c for c, _, _ in path)
    for found in _ORGANISATION_END.finditer(text):
        last = found.end() - 1
        if last + 1 >= len(path):
            return None  # the name already ends the turn
        cut = (path[last][1] + path[last + 1][1] + 1) // 2
        turned = [(c, p) for c, _, p in best_path(np.concatenate([first_turn[cut:], first_turn[:cut]]), characters)]
        if looks_like_name("".join(c for c, _ in turned)):
            return turned
    return None


@functools.lru_cache(maxsize=4)
def _alphabet(characters: tuple[str, ...]) -> dict[str, int]:
    """Character -> class index (blank is 0), built once per recogniser's character list."""
    return {c: i for i, c in enumerate(characters) if i > 0 and len(c) == 1}


# A seal whose lettering the capture mostly erased (a fax's threshold, dev33 a07 and dev30 a09) keeps a few characters
# of its ring, and the recogniser reads them surely ('金材有限公司' of 广州博锐合金材料有限公司) where spotting, which
# weighs every character of a name, finds the whole name too poorly explained. Characters read at `SURVIVOR_READ`
# count as surviving; a unit is named by them only where at least `MIN_SURVIVORS` of its name's characters survive in
# ring order, `MIN_CORE_SURVIVORS` of them before its legal form, at most `MAX_UNEXPLAINED` sure characters are no part
# of it (a foreign seal read whole shows its own trade name), and it fits more of them, and more of its own part, than
# every other organisation the package names (`survivors_match`).
SURVIVOR_READ = 0.5
MIN_SURVIVORS = 3
MIN_CORE_SURVIVORS = 2
MAX_UNEXPLAINED = 1


@dataclass(frozen=True)
class RingFit:
    """How much of a name a seal's surviving characters hold, read round the ring from the best point."""

    whole: int  # of the name's characters, in order
    own: int  # of them, before the legal form (`core`)
    unexplained: int  # surviving characters no part of the name in that order

    def beats(self, other: RingFit) -> bool:
        return self.whole > other.whole and self.own > other.own


def survivors(reading: Reading) -> str:
    """The characters the recogniser read surely in a seal's strip (one turn of its ring, in order)."""
    return "".join(c for c, p in reading.characters if p >= SURVIVOR_READ and _CJK.fullmatch(c))


def ring_fit(name: str, read: str) -> RingFit:
    """`RingFit` of `name` in `read`, a ring's characters: a ring has no first character, so every turn is tried."""
    full, own = cjk(name), core(name)
    best = RingFit(0, 0, len(read))
    for start in range(max(1, len(read))):
        turned = read[start:] + read[:start]
        whole = LCSseq.similarity(full, turned)
        fit = RingFit(whole, LCSseq.similarity(own, turned), len(turned) - whole)
        if (fit.whole, fit.own) > (best.whole, best.own):
            best = fit
    return best


def survivors_match(reading: Reading, candidates: Sequence[tuple[str, Owner]]) -> Match | None:
    """The package's unit the surviving characters of a seal's ring name (`survivors`), or None.

    Only a unit (never an organisation outside the package: its seal is read, not guessed) and only clearly:
    every other name the package gives (`candidates`, the organisations outside it included) fits fewer of the
    characters and fewer of its own part. Names of one unit are no rivals (`same_unit`, `one_unit`)."""
    read = survivors(reading)
    if len(read) < MIN_SURVIVORS:
        return None
    fits = [(ring_fit(name, read), name, owner) for name, owner in candidates if cjk(name)]
    units = [entry for entry in fits if entry[2] != "other"]
    if not units:
        return None
    fit, name, owner = max(units, key=lambda entry: (entry[0].whole, entry[0].own))
    if fit.whole < MIN_SURVIVORS or fit.own < MIN_CORE_SURVIVORS or fit.unexplained > MAX_UNEXPLAINED:
        return None
    rivals = [other for other, other_name, other_owner in fits
              if (not same_unit(name, other_name) or two_units(owner, other_owner)) and not one_unit(owner, other_owner)]
    if not all(fit.beats(other) for other in rivals):
        return None
    return Match(name, owner, round(reading.spot(name) or 0.0, 3))
