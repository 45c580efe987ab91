"""A name's character the recogniser was torn over, chosen by the lexicon.

On drawn and 1-bit scans the recogniser misreads one character of a name for a look-alike (昆明 read
民明, 集团 read 集国, 物流 read 物清) and the crop's second reading often does the same, yet its
posteriors still give the right character a fair share where the misread one stands. The reading is
aligned to the posteriors of its one line of ink; a character that stands in no word of the lexicon's
segmentation (jieba's dictionary, `text.words`) is exchanged for an alternative the recogniser gave a
fair share there when that puts it in a word and more of the text stands in words (of several such,
the one the lexicon finds likelier).
Names made of words nobody else uses (a brand's 航达, 凯启) keep their characters unless an
alternative the ink offers forms a word (航 read beside 腾 would become 腾达): the ink, not the
lexicon, proposes every character.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import numpy as np

from models.page import Box
from pipeline.ocr.base import LinePosteriors
from pipeline.ocr.hanzi import simplified_char
from pipeline.seals.spotting import align
from pipeline.tables.values import FieldValue
from pipeline.text.chars import is_cjk
from pipeline.text.words import in_words, lexicon_logprob

# An alternative the recogniser gave this share of the character's frame at least (民 0.44 beside 昆 0.56,
# 流 0.11 beside 清 0.50); below it a stroke's likeness, not a doubt.
ALT_SHARE = 0.1
# The reading must be what the strip says: its alignment's mean per-character probability ratio against
# the strip's best path (a crop of another line, or a reading the crop does not bear out, is left alone).
MIN_MATCH = 0.5


def respelt(text: str, posteriors: LinePosteriors) -> str | None:
    """`text` with each character the lexicon cannot place exchanged for the recogniser's alternative that
    makes it part of a word; None when nothing changes or the strip does not read as `text`."""
    index = {char: k for k, char in enumerate(posteriors.characters) if k}
    if not text or any(char not in index for char in text):
        return None
    labels = [index[char] for char in text]
    score, frames = align(posteriors.frames, labels)
    if score < MIN_MATCH:
        return None
    chars = list(text)
    for position in range(len(chars)):
        covered = in_words("".join(chars))
        if covered[position] or not is_cjk(chars[position]):
            continue
        trials = [[*chars[:position], alternative, *chars[position + 1:]]
                  for alternative in _alternatives(posteriors, frames, position, labels[position])]
        fitting = [trial for trial in trials if _fits(in_words("".join(trial)), covered, position)]
        if fitting:
            # Of two alternatives that both make words (有色金属 or 有色 · 金马), the lexicon's likelier text.
            chars = max(fitting, key=lambda trial: lexicon_logprob("".join(trial)))
    result = "".join(chars)
    return None if result == text else result


def _fits(after: list[bool], before: list[bool], position: int) -> bool:
    """The exchange puts `position` in a word and more of the text stands in words."""
    return after[position] and sum(after) > sum(before)


def _alternatives(posteriors: LinePosteriors, frames: np.ndarray, position: int, label: int) -> list[str]:
    """Chinese characters other than the reading's the recogniser gave `ALT_SHARE` or more on the frame where
    the reading's character at `position` peaks, the likeliest first."""
    where = np.flatnonzero(frames == position)
    if where.size == 0:
        return []
    peak = int(where[np.argmax(posteriors.frames[where, label])])
    row = posteriors.frames[peak]
    order = np.argsort(row)[::-1]
    # A traditional form offered is its simplified twin, as the page's readings are (`ocr.hanzi`).
    return [simplified_char(posteriors.characters[k]) for k in order
            if row[k] >= ALT_SHARE and k not in (0, label) and is_cjk(posteriors.characters[k])]


def respelt_value(value: FieldValue, posteriors: Callable[[Box], LinePosteriors | None]) -> FieldValue:
    """A text cell's value `respelt` on the posteriors of its box's line (read only where a character of it
    stands in no word); the reading kept in `repaired_from`."""
    text, box = value.value, value.provenance.bbox
    if not isinstance(text, str) or box is None \
            or all(covered or not is_cjk(char) for char, covered in zip(text, in_words(text), strict=True)):
        return value
    found = posteriors((box[0], box[1], box[2], box[3]))
    better = respelt(text, found) if found is not None else None
    if better is None:
        return value
    origin = value.provenance.model_copy(update={"repaired_from": value.provenance.repaired_from or text})
    return replace(value, value=better, provenance=origin)
