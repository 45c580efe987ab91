"""A text cut into jieba's words, with the phrase matches and character spans the language pass needs.

What the language pass used of spaCy (a blank `zh` pipeline with a jieba segmenter, an EntityRuler of
phrase patterns, `Doc.char_span(..., alignment_mode="expand")`), done the same way on the segmenter's
words: spaCy's import alone cost every batch ~0.75 CPU-s before its first page was read (its command
line's modules come with `import spacy`), for a tokenizer that is jieba's and a phrase matcher that is a
dictionary look-up. The rules are spaCy's (3.8), so the mentions are the same:
- words: jieba's cut (HMM on), whitespace re-aligned as spaCy's `util.get_words_and_spaces` does (one
  space after a word is that word's trailing space; other whitespace is a word of its own);
- phrases: every run of words equal to a pattern's words (the pattern cut by the same segmenter); the
  longest kept first, of equal length the earliest, none overlapping one kept (`EntityRuler`);
- character spans, "expand": every word the characters touch; a start on a word's trailing space begins
  at the next word (`Doc.char_span`).
"""

from __future__ import annotations

import bisect
import functools
from collections.abc import Iterable
from dataclasses import dataclass, field

import jieba


@dataclass(frozen=True)
class Word:
    """One word of the text: as written, where it starts, and whether one space follows it."""

    text: str
    idx: int
    space: bool


@dataclass(frozen=True)
class Span:
    """Words start..end (end exclusive) of a segmented text, with a label and an id (a phrase's area)."""

    doc: Segmented
    start: int
    end: int
    label_: str = ""
    ent_id_: str = ""

    @property
    def start_char(self) -> int:
        return self.doc[self.start].idx if self.start < self.end else self._empty_at()

    @property
    def end_char(self) -> int:
        if self.start >= self.end:
            return self._empty_at()
        last = self.doc[self.end - 1]
        return last.idx + len(last.text)

    @property
    def text(self) -> str:
        return self.doc.text[self.start_char:self.end_char]

    def _empty_at(self) -> int:
        # spaCy places an empty span at the start of the word it stands before (or the text's end).
        return self.doc[self.start].idx if self.start < len(self.doc) else len(self.doc.text)


@dataclass
class Segmented:
    """`text` in words; `ents`: the phrases found in it, in text order; `spans`: named groups of spans."""

    text: str
    words: list[Word]
    ents: list[Span] = field(default_factory=list)
    spans: dict[str, list[Span]] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.words)

    def __getitem__(self, index: int) -> Word:
        return self.words[index]

    def char_span(self, start: int, end: int, label: str = "") -> Span | None:
        """The words `text[start:end]` touches (spaCy's "expand"); None where a bound falls outside every word."""
        first, last = self._word_at(start), self._word_at(end - 1)
        if first < 0 or last < 0:
            return None
        word = self.words[first]
        if start == word.idx + len(word.text):  # on the word's trailing space: not part of that word
            first += 1
        return Span(self, first, last + 1, label)

    def _word_at(self, char: int) -> int:
        """The word whose characters or trailing space hold `char`, else -1."""
        index = bisect.bisect_right(self._starts, char) - 1
        if index < 0:
            return -1
        word = self.words[index]
        return index if char < word.idx + len(word.text) + word.space else -1

    @functools.cached_property
    def _starts(self) -> list[int]:
        return [word.idx for word in self.words]


def segment(text: str, segmenter: jieba.Tokenizer) -> Segmented:
    """`text` cut by `segmenter`, its whitespace aligned as spaCy's Chinese tokenizer aligns it."""
    words: list[Word] = []
    pos = 0

    def add(piece: str) -> None:
        nonlocal pos
        words.append(Word(piece, pos, False))
        pos += len(piece)

    for piece in (word for word in segmenter.cut(text, cut_all=False) if word and not word.isspace()):
        skipped = text.index(piece, pos) - pos
        if skipped > 0:
            add(text[pos:pos + skipped])
        add(piece)
        if pos < len(text) and text[pos] == " ":
            words[-1] = Word(piece, words[-1].idx, True)
            pos += 1
    if pos < len(text):
        add(text[pos:])
    return Segmented(text, words)


@dataclass(frozen=True)
class Phrase:
    """A pattern: the words it is cut into, the label its matches get and its id."""

    words: tuple[str, ...]
    label: str
    id: str


class PhraseRuler:
    """Marks a segmented text's runs of words that equal a phrase's words as its `ents` (spaCy's
    EntityRuler on phrase patterns: the longest first, of equal length the earliest, no overlaps)."""

    def __init__(self, phrases: Iterable[Phrase]) -> None:
        self._by_first: dict[str, list[Phrase]] = {}
        for phrase in phrases:
            if phrase.words:
                self._by_first.setdefault(phrase.words[0], []).append(phrase)

    def __call__(self, doc: Segmented) -> Segmented:
        texts = [word.text for word in doc.words]
        found = {(phrase.label, phrase.id, start, start + len(phrase.words))
                 for start, first in enumerate(texts) for phrase in self._by_first.get(first, ())
                 if tuple(texts[start:start + len(phrase.words)]) == phrase.words}
        taken: set[int] = set()
        kept: list[Span] = []
        for label, area, start, end in sorted(found, key=lambda m: (m[3] - m[2], -m[2]), reverse=True):
            if start not in taken and end - 1 not in taken:
                kept.append(Span(doc, start, end, label, area))
                taken.update(range(start, end))
        doc.ents = sorted(kept, key=lambda span: span.start)
        return doc
