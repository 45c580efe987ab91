"""Printed labels the seals and signatures belong to (申报单位, 推荐单位, 法定代表人 …), found in a page's words.

A reader's "word" is a run of characters on one line, so a label is usually
part of a longer word ("申报单位：杭州某某有限公司（加盖单位公章）"). The label's
own box is cut out of the word's box by character position: Chinese print is
monospaced, so character i of n spans the i-th n-th of the box.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from models.page import Box, Word


@dataclass(frozen=True)
class Anchor:
    """Where a label was found: its own box (points) and the box of the whole word holding it."""

    label: str
    box: Box
    word: Word

    @property
    def centre(self) -> tuple[float, float]:
        return (self.box[0] + self.box[2]) / 2, (self.box[1] + self.box[3]) / 2

    @property
    def height(self) -> float:
        return self.box[3] - self.box[1]


def char_box(word: Word, start: int, end: int, max_width: float | None = None) -> Box:
    """The box of characters [start, end) of a word, assuming equal character widths.

    An OCR word may run a printed label into handwriting or a seal's strokes
    read as characters; its box is then wider than its characters. `max_width`
    (about the page's character pitch) caps the width.
    """
    n = max(1, len(_compact(word.text)))
    x0, top, x1, bottom = word.bbox
    step = (x1 - x0) / n
    if max_width is not None and word.source != "text":
        step = min(step, max_width)
    return x0 + start * step, top, x0 + end * step, bottom


def char_pitch(words: Iterable[Word]) -> float | None:
    """The page's typical character width, or None without words to tell.

    The median of width / characters over words of three or more characters:
    OCR word boxes are often taller than the print (line padding, strokes
    running into them) but their pitch along the line is the font's.
    """
    pitches = sorted((w.bbox[2] - w.bbox[0]) / n for w in words
                     if (n := len(_compact(w.text))) >= 3 and w.bbox[2] > w.bbox[0])
    return pitches[len(pitches) // 2] if pitches else None


def _fuzzy_find(text: str, label: str) -> int:
    """Index of `label` in `text`, allowing one misread character for labels of 4+ characters; -1 if absent."""
    exact = text.find(label)
    if exact >= 0 or len(label) < 4:
        return exact
    for i in range(len(text) - len(label) + 1):
        if sum(a != b for a, b in zip(text[i : i + len(label)], label, strict=True)) <= 1:
            return i
    return -1


def find_anchors(words: Iterable[Word], labels: Sequence[str]) -> list[Anchor]:
    """Every occurrence of any of `labels` (first label that fits per word), top to bottom."""
    words = list(words)
    pitch = char_pitch(words)
    cap = 1.15 * pitch if pitch else None
    found = []
    for word in words:
        text = _compact(word.text)
        for label in labels:
            index = _fuzzy_find(text, label)
            if index >= 0:
                found.append(Anchor(label, char_box(word, index, index + len(label), cap), word))
                break
    return sorted(found, key=lambda a: (round(a.box[1] / 6), a.box[0]))


def _compact(text: str) -> str:
    """Text without the spaces some OCR engines put between Chinese characters."""
    return "".join(text.split())


def distance(box: Box, x: float, y: float) -> float:
    """Distance from a point to a box (0 inside)."""
    dx = max(box[0] - x, 0.0, x - box[2])
    dy = max(box[1] - y, 0.0, y - box[3])
    return float((dx * dx + dy * dy) ** 0.5)
