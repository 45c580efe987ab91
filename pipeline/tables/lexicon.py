"""A name's character the recogniser was torn over, chosen by the lexicon.

On drawn and 1-bit scans the recogniser misreads one character of a name for a look-alike (昆明 read
民明, 集团 read 集国, 物流 read 物清) and the crop's second reading often does the same, yet its
posteriors still give the right character a fair share where the misread one stands. The reading is
aligned to the posteriors of its one line of ink; a character that stands in no word of the lexicon's
segmentation (jieba's dictionary, `text.words`) is exchanged for an alternative the recogniser gave a
fair share there when that puts it in a word and more of the text stands in words (of several such,
the one the lexicon finds likelier). An industries cell is read so by the form's own list of industries.
Names made of words nobody else uses (a brand's 航达, 凯启) keep their characters unless an
alternative the ink offers forms a word (航 read beside 腾 would become 腾达): the ink, not the
lexicon, proposes every character.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import replace

import numpy as np
from rapidfuzz.distance import LCSseq

from models.codes import CANONICAL_INDUSTRIES
from models.page import Box
from pipeline.normalise import parse_industries
from pipeline.ocr.base import LinePosteriors
from pipeline.ocr.hanzi import simplified_char
from pipeline.seals.spotting import align, best_path
from pipeline.tables.cells import char_width
from pipeline.tables.unit_names import COMPLETE
from pipeline.tables.values import FieldValue, typed
from pipeline.text.chars import is_cjk
from pipeline.text.words import in_words, lexicon_logprob

# An alternative the recogniser gave this share of the character's frame at least (民 0.44 beside 昆 0.56,
# 流 0.11 beside 清 0.50); below it a stroke's likeness, not a doubt.
ALT_SHARE = 0.1
# The reading must be what the strip says: its alignment's mean per-character probability ratio against
# the strip's best path (a crop of another line, or a reading the crop does not bear out, is left alone).
MIN_MATCH = 0.5


# A line read in part (`read_whole`): its one line of ink is this many characters wider than the reading at
# least; the strip's own reading is this sure over its characters, and over each it adds.
UNREAD_GLYPHS = 1.5
WHOLE_SURE = 0.7
ADDED_SURE = 0.2
# Strokes a rule's remains read as, at a line's ends: never a character the line lost.
STROKES = frozenset("一丨亅乙")


# How a trial spelling does: None where it is no better than the text as it stands, else its score (higher
# is likelier); given the text, the trial and the character exchanged.
Judge = Callable[[str, str, int], float | None]


def respelt(text: str, posteriors: LinePosteriors, judge: Judge | None = None) -> str | None:
    """`text` with each character exchanged for the recogniser's alternative `judge` finds better (by default
    the lexicon: one that puts a character outside every word in one); None when nothing changes or the
    strip does not read as `text`."""
    judge = judge or in_a_word
    index = _classes(posteriors.characters)
    if not text or any(char not in index for char in text):
        return None
    labels = [index[char] for char in text]
    score, frames = align(posteriors.frames, labels)
    if score < MIN_MATCH:
        return None
    current = text
    for position in range(len(text)):
        trials = [current[:position] + alternative + current[position + 1:]
                  for alternative in _alternatives(posteriors, frames, position, labels[position])]
        judged = [(mark, trial) for trial in trials if (mark := judge(current, trial, position)) is not None]
        if judged:
            current = max(judged)[1]
    return None if current == text else current


@functools.lru_cache(maxsize=4)
def _classes(characters: tuple[str, ...]) -> dict[str, int]:
    """Character -> class of a recogniser's alphabet, the blank (class 0) left out: made once per alphabet (its
    thousands of classes cost a millisecond, and every doubtful line of a table asked for them)."""
    return {char: k for k, char in enumerate(characters) if k}


def in_a_word(text: str, trial: str, position: int) -> float | None:
    """The lexicon's judgement: a character in no word of the text's segmentation put in one, with more of
    the text in words; of several such (有色金属 or 有色 · 金马), the text the lexicon finds likelier."""
    before, after = in_words(text), in_words(trial)
    if not is_cjk(text[position]) or before[position] or not after[position] or sum(after) <= sum(before):
        return None
    return lexicon_logprob(trial)


def known_industries(text: str, trial: str, position: int) -> float | None:
    """The industries' judgement: the trial names more of the form's industries (canonical or an alias)
    and no more items than the text (冈铁 for 钢铁, 坊织 for 纺织, 轻I for 轻工)."""
    before, after = parse_industries(text), parse_industries(trial)
    known = sum(item in CANONICAL_INDUSTRIES for item in after)
    if known <= sum(item in CANONICAL_INDUSTRIES for item in before) or len(after) > len(before):
        return None
    return float(known)


def _alternatives(posteriors: LinePosteriors, frames: np.ndarray, position: int, label: int) -> list[str]:
    """Chinese characters other than the reading's the recogniser gave `ALT_SHARE` or more on the frame where
    the reading's character at `position` peaks, the likeliest first."""
    where = np.flatnonzero(frames == position)
    if where.size == 0:
        return []
    peak = int(where[np.argmax(posteriors.frames[where, label])])
    row = posteriors.frames[peak]
    # Only the few classes at ALT_SHARE or more are ordered, not the whole alphabet (thousands) per character.
    offered = np.flatnonzero(row >= ALT_SHARE)
    order = offered[np.argsort(row[offered], kind="stable")[::-1]]
    # A traditional form offered is its simplified twin, as the page's readings are (`ocr.hanzi`).
    return [simplified_char(posteriors.characters[k]) for k in order
            if k not in (0, label) and is_cjk(posteriors.characters[k])]


def read_whole(value: FieldValue, kind: str, glyphs: Callable[[Box], float | None],
               posteriors: Callable[[Box], Sequence[LinePosteriors | None]]) -> FieldValue:
    """A text cell whose one line of ink is wider than its reading by `UNREAD_GLYPHS` characters or more (the
    page and the crop read part of the line: a dithered scan's 产品质量缺陷图像数据集 read 款据集), read as the
    recogniser reads the line's strip whole (`whole_reading`). The value as read is kept in `repaired_from`."""
    box = value.provenance.bbox
    if box is None or kind != "text" or not isinstance(value.value, str) or "\n" in value.raw.strip():
        return value
    cell = (box[0], box[1], box[2], box[3])
    wide = glyphs(cell)
    if wide is None or wide < sum(char_width(char) for char in value.value) + UNREAD_GLYPHS:
        return value
    found = posteriors(cell)
    text = whole_reading(value.value, found[0]) if len(found) == 1 and found[0] is not None else None
    return value if text is None else _repaired(value, text)


def whole_reading(text: str, posteriors: LinePosteriors) -> str | None:
    """The strip's best path where it reads `text` whole and more: longer, holding all of `text`'s characters
    in order but one (a character the part's reading misread), sure (`WHOLE_SURE` over its characters,
    `ADDED_SURE` over each added), adding only Chinese characters (no rule's stroke at an end), with as much of it
    in words as of `text` and most of what it adds in words (what a seal's strokes read as stands in
    none), and no unit's name read on past its legal form; else None."""
    path = best_path(posteriors.frames, list(posteriors.characters))
    whole = "".join(simplified_char(char) for char, _, _ in path)
    if len(whole) <= len(text) or LCSseq.similarity(text, whole) < max(1, len(text) - 1):
        return None
    if float(np.mean([p for _, _, p in path])) < WHOLE_SURE or (text.endswith(COMPLETE) and not whole.endswith(COMPLETE)):
        return None
    added = [op.dest_pos for op in LCSseq.editops(text, whole) if op.tag == "insert"]
    if any(not is_cjk(whole[k]) or path[k][2] < ADDED_SURE for k in added) \
            or whole[0] in STROKES or whole[-1] in STROKES:
        return None
    before, after = in_words(text), in_words(whole)
    if sum(after) / len(whole) < sum(before) / len(text) or 2 * sum(after[k] for k in added) < len(added):
        return None
    return whole


def respelt_cell(value: FieldValue, kind: str,
                 posteriors: Callable[[Box], Sequence[LinePosteriors | None]]) -> FieldValue:
    """A text or industries cell read again line by line on the posteriors of its lines of ink, where a
    character of its value stands in no word (text) or an item names no industry of the form (industries):
    `respelt` by the lexicon or the form's industries (`known_industries`). The value as read is kept in
    `repaired_from`; over several lines, a value other steps already changed from its raw reading is left
    as it is (its lines are the raw reading's)."""
    box = value.provenance.bbox
    if box is None or kind not in JUDGES or not _doubtful(value.value):
        return value
    lines = value.raw.split("\n")
    found = posteriors((box[0], box[1], box[2], box[3]))
    if len(found) == 1 and found[0] is not None and isinstance(value.value, str):
        # One line of ink: the value as it stands (a crop's second reading may have replaced the raw one's).
        text = respelt(value.value, found[0], JUDGES[kind])
        return value if text is None else _repaired(value, text)
    if len(found) != len(lines) or value.value != typed(value.raw, kind):
        return value
    raw = "\n".join((respelt(line, each, JUDGES[kind]) if each is not None else None) or line
                    for line, each in zip(lines, found, strict=True))
    return value if raw == value.raw else _repaired(value, typed(raw, kind))


def _repaired(value: FieldValue, new: object) -> FieldValue:
    read = value.value if isinstance(value.value, str) else value.raw
    origin = value.provenance.model_copy(update={"repaired_from": value.provenance.repaired_from or read})
    return replace(value, value=new, provenance=origin)


def _doubtful(value: object) -> bool:
    """A name with a Chinese character in no word, or industries with an item the form does not list."""
    if isinstance(value, str):
        return not all(covered or not is_cjk(char) for char, covered in zip(value, in_words(value), strict=True))
    return isinstance(value, list) and not all(item in CANONICAL_INDUSTRIES for item in value)


JUDGES: dict[str, Judge] = {"text": in_a_word, "industries": known_industries}
