"""`digits.numbers_explain`: several numbers scored against one line's frames, the frames' share worked out
once (the second readings score every value a failed sum implies against each rendering of a cell), gives
each number the score `number_explains` gave it alone before (the code it replaced is kept here)."""

from __future__ import annotations

import numpy as np

from pipeline.ocr.base import LinePosteriors
from pipeline.ocr.digits import NUMBER_CHARS, number_explains, numbers_explain


def _old_number_explains(posteriors: LinePosteriors, text: str) -> float:
    """`number_explains` as it was (round 17)."""
    index = {char: cls for cls, char in enumerate(posteriors.characters)}
    if not text or any(char not in index for char in text):
        return 0.0
    logp = np.log(np.maximum(posteriors.frames, 1e-6))
    deficit = logp - logp.max(axis=1, keepdims=True)
    number_classes = [cls for cls, char in enumerate(posteriors.characters) if char in NUMBER_CHARS]
    outside = deficit.copy()
    outside[:, number_classes] = -np.inf
    free = outside.max(axis=1)
    states = np.zeros(2 * len(text) + 1, dtype=np.int64)
    states[1::2] = [index[char] for char in text]
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
    return float(np.exp(best / len(text))) if np.isfinite(best) else 0.0


def _line(rng: np.random.Generator, characters: tuple[str, ...], text: str, frames: int) -> LinePosteriors:
    """Frames that read `text` (each character a few frames, blanks between) with noise, or pure noise."""
    index = {char: cls for cls, char in enumerate(characters)}
    logits = rng.normal(0.0, 1.0, (frames, len(characters))).astype(np.float32)
    at = int(rng.integers(0, 4))
    for char in text:
        if at >= frames:
            break
        logits[at:at + 2, index[char]] += rng.uniform(2.0, 9.0)
        at += int(rng.integers(2, 5))
    logits[:, 0] += rng.uniform(0.0, 4.0, frames).astype(np.float32)
    exp = np.exp(logits - logits.max(axis=1, keepdims=True))
    probabilities = (exp / exp.sum(axis=1, keepdims=True)).astype(np.float32)
    probabilities[rng.random(probabilities.shape) < 0.2] = 0.0  # floored at 1e-6 as a cached strip's are
    return LinePosteriors(probabilities, characters)


def test_numbers_explain_gives_each_number_its_old_score() -> None:
    rng = np.random.default_rng(15)
    small = ("", *"0123456789.,万元人次abc甲乙", "5")  # a character listed twice: its last class
    rare = tuple(chr(0x4E00 + k) for k in range(3000))
    large = ("", *"0123456789.,", *rare, *"万元")
    checked = 0
    for characters in (small, large, small[:5]):
        alphabet = "".join(char for char in characters if char)
        for _ in range(40):
            truth = "".join(rng.choice(list("0123456789.,"), int(rng.integers(0, 9))))
            line = _line(rng, characters, "".join(char for char in truth if char in alphabet), int(rng.integers(1, 90)))
            numbers = [truth, truth[:-1], truth + "7", "", "8", "154.8", "1x2", truth.replace("1", "7"),
                       "".join(rng.choice(list(alphabet), int(rng.integers(1, 6))))]
            expected = [_old_number_explains(line, number) for number in numbers]
            assert numbers_explain(line, numbers) == expected
            assert [number_explains(line, number) for number in numbers] == expected
            checked += sum(value > 0.0 for value in expected)
    assert checked > 100  # most numbers were aligned, not refused
