"""Join glyphs into words by geometry, the same way for every source.

OCR engines and PDF text layers disagree about what a "word" is: chi_sim puts a space
between every Chinese character, RapidOCR returns whole text lines that may run across
table cells, and a PDF text layer gives single characters.  Everything is therefore
reduced to glyphs on lines and re-joined here by one rule: a run of glyphs on a line is
one word, split where the gap is wider than about one character or where a vertical
ruling line passes between two glyphs (so table cells never merge).
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from models.page import Box, Line, Word, WordSource

# A gap wider than this many character heights ends a word (~1 character, see module doc).
GAP_FACTOR = 0.9
# Text-layer characters whose baselines differ by more than this share of their height are on different lines
# (a line's characters share one baseline; the next line of a wrapped cell is a whole line height below).
BASELINE_TOLERANCE = 0.3
# What an OCR engine makes of a vertical table rule.
RULE_GLYPHS = frozenset("|丨｜lI1[]")
# Between two ASCII runs ("Co.," and "Ltd") a gap wider than this many heights reads as a space.
SPACE_FACTOR = 0.18
# Between two digits (or a digit and '.'/','), OCR needs a clearly wider gap: an engine's
# character boxes come from its decoder's columns (16 px at 48 px height for PP-OCRv6), so
# "3560.5" can show a 0.2-height gap inside; a space there would split an amount in two.
NUMBER_SPACE_FACTOR = 0.5
_NUMBER_CHARS = frozenset("0123456789.,")


@dataclass(frozen=True)
class Glyph:
    """One recognised unit (a character, or an engine's word) with its box in any one unit."""

    text: str
    box: Box
    confidence: float = 1.0

    @property
    def height(self) -> float:
        return self.box[3] - self.box[1]


def _is_latin(char: str) -> bool:
    """Letters, digits and ASCII punctuation: between two of these a visible gap is a space."""
    return char.isascii() and not char.isspace()


def _crosses(rule: Line, left: Box, right: Box) -> bool:
    """True when a vertical rule lies in the gap between two boxes and spans their height."""
    mid_top = max(left[1], right[1])
    mid_bottom = min(left[3], right[3])
    centre = (mid_top + mid_bottom) / 2
    return left[2] - 1 <= rule.x0 <= right[0] + 1 and rule.top <= centre <= rule.bottom


def _is_rule(glyph: Glyph, verticals: Sequence[Line]) -> bool:
    """A one-character glyph sitting on a vertical rule is the rule read as text.

    The rule must pass through the glyph itself (x and y): a rule elsewhere in the
    same column of the page says nothing about a "1" in this line.
    """
    if glyph.text.strip() not in RULE_GLYPHS:
        return False
    centre_y = (glyph.box[1] + glyph.box[3]) / 2
    return any(glyph.box[0] - 2 <= rule.x0 <= glyph.box[2] + 2 and rule.top <= centre_y <= rule.bottom
               for rule in verticals)


def group_by_baseline(glyphs: Sequence[Glyph], baselines: Sequence[float]) -> list[list[Glyph]]:
    """Group a text layer's characters into lines by their baselines, each line sorted left to right.

    A PDF character box is its font's ascent to descent, taller than the ink: in a wrapped
    cell of tight line spacing the boxes of two lines overlap, and a cell centred beside it
    sits between them, so grouping by box overlap joined two lines of one cell into one
    ("2005年日12月8").  Characters of one printed line share their baseline exactly; a line
    ends where the next baseline is more than a fraction of a character height below its first.
    """
    order = sorted(range(len(glyphs)), key=lambda i: baselines[i])
    lines: list[list[Glyph]] = []
    anchor = 0.0
    for i in order:
        glyph = glyphs[i]
        if not lines or baselines[i] - anchor > BASELINE_TOLERANCE * max(glyph.height, 1e-6):
            lines.append([])
            anchor = baselines[i]
        lines[-1].append(glyph)
    return [sorted(line, key=lambda g: g.box[0]) for line in lines]


def tidy(text: str) -> str:
    """Keep a single space only between two ASCII characters; drop every other whitespace."""
    out: list[str] = []
    pending_space = False
    for char in text:
        if char.isspace():
            pending_space = bool(out)
            continue
        if pending_space and _is_latin(out[-1]) and _is_latin(char):
            out.append(" ")
        pending_space = False
        out.append(char)
    return "".join(out)


def _space_factor(before: str, after: str, source: WordSource) -> float:
    """The gap, in character heights, that makes a space between two ASCII characters."""
    if source == "ocr" and before in _NUMBER_CHARS and after in _NUMBER_CHARS:
        return NUMBER_SPACE_FACTOR
    return SPACE_FACTOR


def _merge(run: Sequence[Glyph], scale: float, source: WordSource) -> Word:
    text = ""
    for index, glyph in enumerate(run):
        before, after = text.rstrip()[-1:], glyph.text.lstrip()[:1]
        if before and after and _is_latin(before) and _is_latin(after):
            gap = glyph.box[0] - run[index - 1].box[2]
            if gap > _space_factor(before, after, source) * max(glyph.height, run[index - 1].height):
                text += " "
        text += glyph.text
    weights = [max(1, len(g.text.strip())) for g in run]
    confidence = sum(g.confidence * w for g, w in zip(run, weights, strict=True)) / sum(weights)
    box = (
        round(min(g.box[0] for g in run) * scale, 2),
        round(min(g.box[1] for g in run) * scale, 2),
        round(max(g.box[2] for g in run) * scale, 2),
        round(max(g.box[3] for g in run) * scale, 2),
    )
    return Word(text=tidy(text), bbox=box, confidence=round(confidence, 4), source=source)


def join_line(
    line: Sequence[Glyph],
    *,
    scale: float = 1.0,
    source: WordSource = "ocr",
    separators: Sequence[Line] = (),
    gap_factor: float = GAP_FACTOR,
) -> list[Word]:
    """Split one line of glyphs (sorted by x) into words; `scale` converts their unit to points."""
    verticals = [rule for rule in separators if rule.x0 == rule.x1]
    # A text layer's glyphs are real characters; only OCR mistakes a rule for a glyph.
    rule_like = verticals if source == "ocr" else []
    glyphs = [g for g in line if g.text.strip() and not _is_rule(g, rule_like)]
    if not glyphs:
        return []
    unit = statistics.median(g.height for g in glyphs)
    words: list[Word] = []
    run: list[Glyph] = [glyphs[0]]
    for glyph in glyphs[1:]:
        previous = run[-1]
        gap = glyph.box[0] - previous.box[2]
        split = gap > gap_factor * unit or any(_crosses(rule, previous.box, glyph.box) for rule in verticals)
        if split:
            words.append(_merge(run, scale, source))
            run = []
        run.append(glyph)
    words.append(_merge(run, scale, source))
    return [word for word in words if word.text]


def join_lines(
    lines: Iterable[Sequence[Glyph]],
    *,
    scale: float = 1.0,
    source: WordSource = "ocr",
    separators: Sequence[Line] = (),
) -> list[Word]:
    """Words of many lines, in reading order (top to bottom, left to right)."""
    words: list[Word] = []
    for line in lines:
        ordered = sorted(line, key=lambda g: g.box[0])
        words.extend(join_line(ordered, scale=scale, source=source, separators=separators))
    return sort_words(words)


def sort_words(words: Iterable[Word]) -> list[Word]:
    """Reading order: by line (words whose vertical centres are within half a height), then x."""
    ordered = sorted(words, key=lambda w: (w.bbox[1] + w.bbox[3]) / 2)
    rows: list[list[Word]] = []
    for word in ordered:
        centre = (word.bbox[1] + word.bbox[3]) / 2
        if rows:
            last = rows[-1][-1]
            last_centre = (last.bbox[1] + last.bbox[3]) / 2
            if abs(centre - last_centre) < 0.5 * max(1e-6, min(word.bbox[3] - word.bbox[1], last.bbox[3] - last.bbox[1])):
                rows[-1].append(word)
                continue
        rows.append([word])
    return [word for row in rows for word in sorted(row, key=lambda w: w.bbox[0])]
