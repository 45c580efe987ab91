"""A number's other readings, from a CTC recogniser's frame posteriors.

A recogniser reading "2571.20" may give the 7 only a little less than the 5 beside it, or
drop it: the page's reading is then sure and wrong.  Its frame posteriors still say what
else the line could be: the best path (greedy CTC) is a reading of its own, made on the
cell's crop rather than the page, and at each character it emits, a digit the frames gave
a fair share of probability (`ALT_MIN`) is another reading with that one digit changed —
or, where the character's run of frames is long enough to hold two glyphs, with that digit
added beside it (a dropped digit).
The caller compares these with the value it read and keeps them as alternatives
(`Provenance.alternatives`) for the form's redundancy to choose among.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from pipeline.ocr.base import LinePosteriors

ALT_MIN = 0.1  # a digit this probable at a character's frames is another reading of that character
MAX_ALTERNATIVES = 6  # other readings kept per line, most probable first
DIGITS = frozenset("0123456789")


@dataclass(frozen=True)
class Emitted:
    """One character of the best path: its frames' first and last index, and its probability."""

    char: str
    first: int
    last: int
    probability: float


@dataclass(frozen=True)
class DigitReadings:
    """The best path's text, its least sure character's probability, and readings one digit away."""

    text: str
    confidence: float
    alternatives: tuple[str, ...]


def best_path(posteriors: LinePosteriors) -> list[Emitted]:
    """Greedy CTC decoding that remembers which frames each character came from."""
    frames = posteriors.frames
    best = frames.argmax(axis=1)
    out: list[Emitted] = []
    previous = 0
    for index, cls in enumerate(best):
        cls = int(cls)
        if cls != 0 and cls == previous and out:
            last = out[-1]
            out[-1] = Emitted(last.char, last.first, index, max(last.probability, float(frames[index, cls])))
        elif cls != 0:
            out.append(Emitted(posteriors.characters[cls], index, index, float(frames[index, cls])))
        previous = cls
    return out


@functools.lru_cache(maxsize=4)
def _digit_classes(characters: tuple[str, ...]) -> tuple[tuple[int, str], ...]:
    """The (class, digit) pairs of a recogniser's alphabet, found once per alphabet (thousands of classes)."""
    return tuple((i, c) for i, c in enumerate(characters) if c in DIGITS)


def digit_readings(posteriors: LinePosteriors, alt_min: float = ALT_MIN,
                   limit: int = MAX_ALTERNATIVES) -> DigitReadings:
    """The line's best reading and those with one digit replaced by another its frames found likely."""
    emitted = best_path(posteriors)
    text = "".join(e.char for e in emitted)
    confidence = min((e.probability for e in emitted), default=0.0)
    digit_classes = _digit_classes(posteriors.characters)
    options: list[tuple[float, str]] = []
    for position, item in enumerate(emitted):
        if item.char not in DIGITS:
            continue
        span = posteriors.frames[item.first:item.last + 1]
        for cls, digit in digit_classes:
            if digit == item.char:
                continue
            probability = float(np.max(span[:, cls]))
            if probability >= alt_min:
                options.append((probability, text[:position] + digit + text[position + 1:]))
            if len(span) >= 2:
                # Two glyphs read as one run of frames (a 7 and a 1 side by side read as one 1): the other
                # digit, where its frames lean, is a character the best path dropped.
                first_half = float(np.max(span[:(len(span) + 1) // 2, cls]))
                second_half = float(np.max(span[(len(span) + 1) // 2:, cls]))
                if first_half >= alt_min:
                    options.append((first_half, text[:position] + digit + text[position:]))
                if second_half >= alt_min:
                    options.append((second_half, text[:position + 1] + digit + text[position + 1:]))
    ranked = [other for _, other in sorted(options, key=lambda option: -option[0])]
    return DigitReadings(text, round(confidence, 4), tuple(dict.fromkeys(ranked))[:limit])


def merge_readings(readings: Sequence[DigitReadings]) -> DigitReadings:
    """Several readings of one line (the crop as scanned, as ink on white) as one: the surest best path,
    the others' best paths and every reading one digit away as alternatives."""
    ranked = sorted(readings, key=lambda r: -r.confidence)
    first = ranked[0]
    others = [r.text for r in ranked[1:]] + [alt for r in ranked for alt in r.alternatives]
    return DigitReadings(first.text, first.confidence,
                         tuple(other for other in dict.fromkeys(others) if other != first.text))


NUMBER_CHARS = frozenset("0123456789,.")


def number_explains(posteriors: LinePosteriors, text: str) -> float:
    """How well the number `text` explains a line's frames (0..1): the per-character probability ratio
    of its best CTC alignment against the unconstrained best path, frames outside it (a unit, the
    margins) read as anything but a digit or separator.

    Unlike a word spotted anywhere in a strip, a number must account for every digit in the line:
    '8' does not explain a line whose frames also saw '154.', but '154.8' does, even where the frames
    gave its first digits little probability (a seal's stroke across them)."""
    return numbers_explain(posteriors, [text])[0]


def numbers_explain(posteriors: LinePosteriors, texts: Sequence[str]) -> list[float]:
    """`number_explains` of each of `texts` in one line: what depends on the frames alone (the log deficits of
    thousands of classes a frame, the best class outside the numbers' characters) is worked out once for all
    of them, and the alphabet's look-ups once per recogniser; each number's alignment is as alone."""
    index = _class_index(posteriors.characters)
    frames: tuple[np.ndarray, np.ndarray] | None = None
    out: list[float] = []
    for text in texts:
        if not text or any(char not in index for char in text):
            out.append(0.0)
            continue
        if frames is None:
            frames = _number_frames(posteriors)
        out.append(_explains(*frames, [index[char] for char in text]))
    return out


@functools.lru_cache(maxsize=4)
def _class_index(characters: tuple[str, ...]) -> dict[str, int]:
    """Character -> class of a recogniser's alphabet (the last class of a character listed twice)."""
    return {char: cls for cls, char in enumerate(characters)}


@functools.lru_cache(maxsize=4)
def _number_classes(characters: tuple[str, ...]) -> list[int]:
    """The classes of a number's digits and separators (`NUMBER_CHARS`), in class order."""
    return [cls for cls, char in enumerate(characters) if char in NUMBER_CHARS]


def _number_frames(posteriors: LinePosteriors) -> tuple[np.ndarray, np.ndarray]:
    """Each class's log deficit against its frame's best, and each frame's best deficit outside the
    numbers' classes (a frame left to the unit or the margin)."""
    logp = np.log(np.maximum(posteriors.frames, 1e-6))
    deficit = logp - logp.max(axis=1, keepdims=True)
    outside = deficit.copy()
    outside[:, _number_classes(posteriors.characters)] = -np.inf
    return deficit, outside.max(axis=1)


def _explains(deficit: np.ndarray, free: np.ndarray, labels: list[int]) -> float:
    """The number of classes `labels`: its best CTC alignment, frames outside it free (`number_explains`)."""
    states = np.zeros(2 * len(labels) + 1, dtype=np.int64)
    states[1::2] = labels
    skip = np.zeros(len(states), bool)
    skip[2:] = (states[2:] != 0) & (states[2:] != states[:-2])
    emit = deficit[:, states]
    neg = -np.inf
    before, path, after = 0.0, np.full(len(states), neg), neg
    for frame, row in enumerate(emit):
        entered = np.full(len(states), neg)
        entered[:2] = before
        stepped = np.maximum.reduce([path, np.r_[neg, path[:-1]], np.where(skip, np.r_[neg, neg, path[:-2]], neg),
                                     entered])
        after = max(after, path[-1], path[-2]) + free[frame]
        path = stepped + row
        before += free[frame]
    best = max(after, path[-1], path[-2])
    return float(np.exp(best / len(labels))) if np.isfinite(best) else 0.0
