"""Keyword spotting: how well a known name explains a recogniser's per-frame character probabilities.

Reading a seal and then fuzzy-matching the reading throws away what the
recogniser almost saw: a stroke-broken 都 read as 夷 still gave 都 a fair
probability. Since the units that may have stamped are known, each name is
scored directly against the frame posteriors of the CTC recogniser: the best
alignment of the name (blanks and repeats as CTC allows) to some stretch of
the strip, frames outside the stretch being free (ring fragments, a bottom
line, a code). The score is the mean, per character of the name, of how far
below the unconstrained best path that alignment falls, returned as a
probability ratio: 1.0 = the name is exactly what the recogniser read.
"""

from __future__ import annotations

import numpy as np

# Floor for probabilities, so one unseen character cannot veto a name.
FLOOR = 1e-6


def spot(posteriors: np.ndarray, labels: list[int], deficit: np.ndarray | None = None) -> float:
    """Per-character probability ratio (0..1] of the best free-standing CTC alignment of `labels`.

    `posteriors` is (frames, classes) with class 0 the CTC blank; `labels` the
    name's class indices (characters missing from the recogniser's alphabet
    already dropped); `deficit` its `deficits`, when the caller spots many names.
    """
    return spot_many(posteriors, [labels], deficit)[0]


def spot_many(posteriors: np.ndarray, names: list[list[int]], deficit: np.ndarray | None = None) -> list[float]:
    """`spot` of each name's labels in one strip: the same numbers, the names aligned side by side.

    The alignment steps frame by frame; one name at a time, each step's few small array operations cost
    more than their arithmetic (a seal is spotted against every unit of its document). Side by side each
    name keeps its own states (a shorter name's are padded with states that nothing reaches, as the
    recursion only moves forward), so each gets the same sums and maxima as alone.
    """
    frames_n = posteriors.shape[0] if posteriors.ndim == 2 else 0
    scores = [0.0] * len(names)
    aligned = [k for k, labels in enumerate(names) if labels]
    if frames_n < 1 or not aligned:
        return scores
    deficit = deficits(posteriors) if deficit is None else deficit
    width = max(2 * len(names[k]) + 1 for k in aligned)
    emit = np.full((frames_n, len(aligned), width), -np.inf)
    skip = np.zeros((len(aligned), width), bool)
    for row, k in enumerate(aligned):
        states = _extended(names[k])
        emit[:, row, : len(states)] = deficit[:, states]
        skip[row, : len(states)] = _skips(names[k])
    ends = np.array([2 * len(names[k]) for k in aligned])
    for row, best in zip(aligned, _best_ends(emit, skip, ends), strict=True):
        scores[row] = float(np.exp(best / len(names[row])))
    return scores


def _best_ends(emit: np.ndarray, skip: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """`align`'s recursion without its back-pointers, for several names at once: each name's best score of a
    complete alignment. `emit` is (frames, names, states), `ends` each name's last state."""
    n_names, n_states = emit.shape[1:]
    neg = -np.inf
    rows = np.arange(n_names)
    prev = np.full((n_names, n_states), neg)
    cur = np.empty((n_names, n_states))
    shifted = np.empty((n_names, n_states))
    best_end = np.full(n_names, neg)
    for frame in emit:
        np.copyto(cur, prev)
        shifted[:, 0], shifted[:, 1:] = neg, prev[:, :-1]
        np.maximum(cur, shifted, out=cur)
        shifted[:, :2], shifted[:, 2:] = neg, prev[:, :-2]
        np.maximum(cur, np.where(skip, shifted, neg), out=cur)
        np.maximum(cur[:, :2], 0.0, out=cur[:, :2])  # free prefix: the name may start here
        cur += frame
        # Free suffix: it may end at any frame, on its last label or the blank after it.
        np.maximum(best_end, np.maximum(cur[rows, ends], cur[rows, ends - 1]), out=best_end)
        prev, cur = cur, prev
    return best_end


def _skips(labels: list[int]) -> np.ndarray:
    """Per CTC state, whether it may be entered skipping the blank before it (a label that differs
    from the one two back)."""
    states = _extended(labels)
    skip = np.zeros(len(states), bool)
    for j in range(2, len(states)):
        skip[j] = states[j] != 0 and states[j] != states[j - 2]
    return skip


def deficits(posteriors: np.ndarray) -> np.ndarray:
    """Log deficit of each class against its frame's best class: 0 for the best, negative otherwise
    (floored at `FLOOR`). The costly part of spotting, the same for every name spotted in a strip."""
    logp = np.log(np.maximum(posteriors, FLOOR))
    return logp - logp.max(axis=1, keepdims=True)


def align(posteriors: np.ndarray, labels: list[int], deficit: np.ndarray | None = None) -> tuple[float, np.ndarray]:
    """The spotting score and, per frame, which character of the name the best alignment puts
    there (-1 outside the name or on a blank)."""
    frames_n = posteriors.shape[0] if posteriors.ndim == 2 else 0
    none = np.full(frames_n, -1)
    if not labels or frames_n < 1:
        return 0.0, none
    emit = (deficits(posteriors) if deficit is None else deficit)[:, _extended(labels)]  # (frames, states)
    best_end, end_at, back = _best_alignment(emit, _skips(labels))
    frames = none.copy()
    t, j = end_at
    while t >= 0:
        if j % 2 == 1:
            frames[t] = j // 2
        move = int(back[t, j])
        if move == 3:
            break
        j -= (0, 1, 2)[move]
        t -= 1
    return float(np.exp(best_end / len(labels))), frames


def _best_alignment(emit: np.ndarray, skip: np.ndarray) -> tuple[float, tuple[int, int], np.ndarray]:
    """`align`'s recursion: the best score of a complete alignment, the (frame, state) it ends on and each
    step's move into each state (0 stay, 1 step, 2 skip, 3 fresh start). `emit` is (frames, states).

    A state may be entered from itself, its predecessor, or (for a label that differs from the one two back,
    `skip`) skip the blank between them; the first two may also start the name afresh. The four ways are
    rows of one array refilled in place each frame, in that order (argmax keeps the first best): building
    them anew each frame (`np.r_`, `np.stack`, `np.where`) cost several times their arithmetic."""
    frames_n, n_states = emit.shape
    neg = -np.inf
    back = np.zeros((frames_n, n_states), np.int8)
    ways = np.full((4, n_states), neg)
    ways[3, :2] = 0.0  # free prefix: the name may start here
    skips = np.flatnonzero(skip)  # never the first two states: a state not entered by a skip stays -inf
    prev = np.full(n_states, neg)
    cur = np.empty(n_states)
    best_end, end_at = neg, (0, 0)
    for t in range(frames_n):
        ways[0] = prev
        ways[1, 1:] = prev[:-1]
        ways[2, skips] = prev[skips - 2]
        back[t] = ways.argmax(axis=0)
        np.add(ways.max(axis=0), emit[t], out=cur)
        for j in (n_states - 1, n_states - 2):  # free suffix: the name may end at any frame
            if cur[j] > best_end:
                best_end, end_at = float(cur[j]), (t, j)
        prev, cur = cur, prev
    return best_end, end_at, back


def _extended(labels: list[int]) -> np.ndarray:
    """CTC's label sequence with blanks around and between: [0, l1, 0, l2, ..., ln, 0]."""
    states = np.zeros(2 * len(labels) + 1, dtype=np.int64)
    states[1::2] = labels
    return states


def best_path(posteriors: np.ndarray, alphabet: list[str]) -> list[tuple[str, int, float]]:
    """CTC best path: each character with the frame it starts on and its probability there."""
    best = posteriors.argmax(axis=1)
    prob = posteriors.max(axis=1)
    path: list[tuple[str, int, float]] = []
    previous = -1
    for frame, (index, p) in enumerate(zip(best.tolist(), prob.tolist(), strict=True)):
        if index != previous and index != 0 and index < len(alphabet):
            path.append((alphabet[index], frame, p))
        previous = index
    return path


def greedy_decode(posteriors: np.ndarray, alphabet: list[str]) -> tuple[str, float]:
    """CTC best-path text and its mean character probability."""
    path = best_path(posteriors, alphabet)
    return "".join(c for c, _, _ in path), float(np.mean([p for _, _, p in path])) if path else 0.0
