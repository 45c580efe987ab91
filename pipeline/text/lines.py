"""Words → text lines → paragraphs, and the page furniture (running headers, footers, page numbers) to drop.

Everything here works on geometry in PDF points, so text-layer pages and OCR'd
scans go through the same code. Page furniture is found two ways: text repeated
at the same place on other pages (a running header, with its page number masked),
and a lone page-number pattern ("- 3 -", "第3页", "3/17") in the top or bottom band.
"""

from __future__ import annotations

import itertools
import re
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from models.page import Box, Page, Word
from pipeline.text.chars import compact, is_cjk, is_latin, is_wide, repair_ocr

# Page furniture lives in the top and bottom bands of a page (A4 margins are ~10%).
BAND = 0.11
# Same place on two pages: centres within this fraction of the page height (scans drift).
SAME_PLACE = 0.03
# Same text: rapidfuzz ratio of the digit-masked texts.
SAME_TEXT = 86

_PAGE_NUMBER = re.compile(
    r"^(?:"
    r"[-—–－~～_·•.一]*\(?\d{1,3}\)?[-—–－~～_·•.一]*"  # 3, - 3 -, —3—, (3); OCR reads a dash as 一
    r"|第\d{1,3}页(?:[,，/]?共\d{1,3}页)?"  # 第3页, 第3页共17页
    r"|\d{1,3}/\d{1,3}"  # 3/17
    r"|(?:page|p\.?)\d{1,3}(?:(?:of|/)\d{1,3})?"  # Page 3 of 17
    r")$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class TextLine:
    """One printed line: its text (OCR-repaired), box, page and reading facts."""

    page: int  # Page.number
    text: str
    bbox: Box
    height: float  # median word height: the font size, near enough
    confidence: float
    source: str  # "text" when every word came from a text layer, else "ocr"

    @property
    def key(self) -> str:
        """The text for matching: NFKC, no spaces."""
        return compact(self.text)

    @property
    def centre(self) -> float:
        return (self.bbox[1] + self.bbox[3]) / 2


@dataclass
class PageLines:
    """The lines of one page in reading order, and what the page's furniture told us."""

    page: Page
    lines: list[TextLine] = field(default_factory=list)
    printed_number: int | None = None  # the page number printed on it, if one was found


def _separator(left: Word, right: Word, height: float) -> str:
    """What goes between two words on a line: a space only between Latin runs with a real gap."""
    a, b = left.text.rstrip(), right.text.lstrip()
    if not a or not b or not (is_latin(a[-1]) or a[-1] in ".,%") or not is_latin(b[0]):
        return ""
    gap = right.bbox[0] - left.bbox[2]
    # A text layer's words are split at real spaces; OCR boxes are noisy, so ask for a wider gap.
    factor = 0.1 if left.source == "text" and right.source == "text" else 0.3
    return " " if gap > factor * height else ""


def _make_line(page: Page, words: list[Word]) -> TextLine:
    words = sorted(words, key=lambda w: w.bbox[0])
    height = statistics.median(w.bbox[3] - w.bbox[1] for w in words)
    text = words[0].text
    for left, right in itertools.pairwise(words):
        text += _separator(left, right, height) + right.text
    ocr = any(w.source != "text" for w in words)
    text = repair_ocr(text) if ocr else re.sub(r"\s+", " ", text).strip()
    weights = [max(1, len(w.text)) for w in words]
    confidence = sum(w.confidence * n for w, n in zip(words, weights, strict=True)) / sum(weights)
    box = (min(w.bbox[0] for w in words), min(w.bbox[1] for w in words),
           max(w.bbox[2] for w in words), max(w.bbox[3] for w in words))
    return TextLine(page.number, text, box, height, confidence, "ocr" if ocr else "text")


def page_lines(page: Page) -> list[TextLine]:
    """Group a page's words into lines (by vertical overlap), top to bottom.

    A word joins the line whose band overlaps it by more than half the smaller
    height and whose centre is within about half a line of its own (an OCR box that
    grew over two lines must not pull them into one); pages arrive deskewed, so a
    band is a good model of a line.
    """
    bands: list[tuple[float, float, list[Word]]] = []
    for word in sorted((w for w in page.words if w.text.strip()), key=lambda w: (w.bbox[1] + w.bbox[3]) / 2):
        top, bottom = word.bbox[1], word.bbox[3]
        for band_top, band_bottom, members in bands:
            overlap = min(bottom, band_bottom) - max(top, band_top)
            smaller = min(bottom - top, band_bottom - band_top)
            if overlap > 0.5 * smaller and abs(top + bottom - band_top - band_bottom) / 2 < 0.55 * smaller:
                # The band keeps its first extent: growing it would let a tall word swallow two lines.
                members.append(word)
                break
        else:
            bands.append((top, bottom, [word]))
    lines = [_make_line(page, members) for _, _, members in bands]
    lines = [line for line in lines if line.text]
    return sorted(lines, key=lambda line: (line.bbox[1], line.bbox[0]))


def _in_band(line: TextLine, height: float) -> bool:
    return height > 0 and (line.centre < BAND * height or line.centre > (1 - BAND) * height)


def page_number_of(text: str) -> int | None:
    """The page number a furniture line states ("- 3 -" → 3, "第3页共17页" → 3), or None."""
    key = compact(text)
    if not _PAGE_NUMBER.match(key):
        return None
    digits = re.findall(r"\d+", key)
    return int(digits[0]) if digits else None


def _mask(text: str) -> str:
    return re.sub(r"\d+", "#", compact(text))


def _detached(lines: Sequence[TextLine], i: int, height: float) -> bool:
    """True when line `i` stands apart from the text block: short, or set off by more than a line gap.

    Running headers and footers sit in the margin; the first and last body lines of a
    page are in the bands too, but they are full width and at the usual line pitch.
    """
    margins = page_margins(lines)
    line = lines[i]
    if line.bbox[2] - line.bbox[0] < 0.6 * max(1.0, margins.right - margins.left):
        return True
    top = line.centre < height / 2
    neighbour = lines[i + 1] if top and i + 1 < len(lines) else lines[i - 1] if not top and i > 0 else None
    if neighbour is None:
        return True
    gap = neighbour.bbox[1] - line.bbox[3] if top else line.bbox[1] - neighbour.bbox[3]
    return gap > 1.5 * margins.pitch + 0.5 * line.height


def strip_furniture(pages: Sequence[PageLines], keep: set[tuple[int, int]] | None = None) -> None:
    """Drop running headers/footers and page numbers from every page, in place.

    A lone page number in a band goes (and is remembered as the page's printed number).
    Other band lines go when they stand apart from the body and recur at the same place
    on other pages: on two others in a package of five pages or more, so that two body
    lines that merely look alike (templated prose) are not mistaken for a header.
    `keep` holds (page index, line index) pairs never to drop (the section headings:
    "（二）建设目标（500字）" at the top of two pages must not read as a running header).
    """
    keep = keep or set()
    candidates: list[tuple[int, int, float, str]] = []  # page index, line index, relative centre, masked text
    drop: set[tuple[int, int]] = set()
    for p, page in enumerate(pages):
        height = page.page.height
        for i, line in enumerate(page.lines):
            if not _in_band(line, height) or (p, i) in keep:
                continue
            number = page_number_of(line.text)
            if number is not None:
                drop.add((p, i))
                page.printed_number = page.printed_number or number
            elif len(_mask(line.text)) >= 2 and _detached(page.lines, i, height):
                candidates.append((p, i, line.centre / height, _mask(line.text)))
    needed = 2 if sum(1 for page in pages if page.lines) >= 5 else 1
    for p, i, where, masked in candidates:
        pages_alike = {q for q, _, other, text in candidates
                       if q != p and abs(where - other) <= SAME_PLACE and fuzz.ratio(masked, text) >= SAME_TEXT}
        if len(pages_alike) < needed:
            continue
        drop.add((p, i))
        # A header or footer may carry the page number: "XX建设方案 - 7 -".
        key = compact(pages[p].lines[i].text)
        tail = re.search(r"(?:第|-|—)?(\d{1,3})(?:页|-|—)?$", key)
        if tail and pages[p].printed_number is None and len(tail.group(0)) < len(key):
            pages[p].printed_number = int(tail.group(1))
    for p, page in enumerate(pages):
        page.lines = [line for i, line in enumerate(page.lines) if (p, i) not in drop]


def is_prose_page(lines: Sequence[TextLine]) -> bool:
    """True for a page of running Chinese prose (a plan page), false for forms, tables, licences.

    Prose: most lines are long runs of ideographs and the text carries Chinese punctuation.
    """
    if len(lines) < 3:
        return False
    long_lines = [line for line in lines if sum(map(is_cjk, line.text)) >= 12]
    text = "".join(line.text for line in lines)
    ideographs = sum(map(is_cjk, text))
    marks = sum(text.count(mark) for mark in "，。；、：")
    return len(long_lines) >= 3 and len(long_lines) >= 0.5 * len(lines) and marks * 40 >= ideographs


@dataclass(frozen=True)
class Margins:
    """A page's text block: where full lines start and end, and the line pitch."""

    left: float
    right: float
    pitch: float


def page_margins(lines: Sequence[TextLine]) -> Margins:
    """The left/right edges of the text block and the usual gap between lines, from the lines themselves."""
    if not lines:
        return Margins(0.0, 0.0, 0.0)
    lefts = sorted(line.bbox[0] for line in lines)
    rights = sorted(line.bbox[2] for line in lines)
    # Most lines start at the margin (first lines are indented), the longest end at it.
    left = lefts[len(lefts) // 4] if len(lefts) >= 4 else lefts[0]
    right = rights[int(len(rights) * 0.9)] if len(rights) >= 4 else rights[-1]
    gaps = [b.bbox[1] - a.bbox[3] for a, b in itertools.pairwise(lines) if b.bbox[1] > a.bbox[3]]
    pitch = statistics.median(gaps) if gaps else 0.0
    return Margins(left, right, pitch)


def _first_token_width(line: TextLine) -> float:
    """Roughly how wide the line's first unbreakable piece is (a Latin run, or one ideograph)."""
    match = re.match(r"[A-Za-z0-9.,%\-]+", line.text)
    chars = len(match.group(0)) if match else 1
    advance = (line.bbox[2] - line.bbox[0]) / max(1, len(line.text))
    return chars * advance


def _starts_paragraph(prev: TextLine, line: TextLine, margins: dict[int, Margins]) -> bool:
    """A new paragraph: the line is indented, the previous one stopped short, or a wide gap.

    "Stopped short" means the room left at the end of the previous line would have
    held this line's first piece: a number like "1400万元" that did not fit wraps whole
    and leaves a wide gap without ending the paragraph.
    """
    unit = max(line.height, prev.height, 1.0)
    here, there = margins[line.page], margins[prev.page]
    if line.bbox[0] - here.left > 1.2 * unit:
        return True
    if there.right - prev.bbox[2] > max(2.0 * unit, _first_token_width(line) + unit):
        return True
    if line.page == prev.page:
        gap = line.bbox[1] - prev.bbox[3]
        return gap > here.pitch + 0.8 * unit
    return False


def join_pair(left: str, right: str) -> str:
    """Join two pieces of one paragraph: no space unless both sides are Latin (a wrap at a space)."""
    if left and right and is_latin(left[-1]) and is_latin(right[0]):
        return f"{left} {right}"
    if left and right and (is_wide(left[-1]) or is_wide(right[0])):
        return left.rstrip() + right.lstrip()
    return left + right


def paragraphs(lines: Sequence[TextLine], margins: dict[int, Margins]) -> list[str]:
    """The lines as paragraphs (joined across line and page breaks), in order."""
    result: list[str] = []
    prev: TextLine | None = None
    for line in lines:
        if prev is None or _starts_paragraph(prev, line, margins):
            result.append(line.text)
        else:
            result[-1] = join_pair(result[-1], line.text)
        prev = line
    return result
