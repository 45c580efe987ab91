"""`spotting.align`'s recursion worked in place (`_best_alignment`): the same best score, end and moves as the
array-building loop it replaces (kept here as the reference); the backtracking after it is unchanged."""

from __future__ import annotations

import numpy as np

from pipeline.seals.spotting import _best_alignment, _extended, _skips, align, deficits


def _recursion_as_before(emit: np.ndarray, skip: np.ndarray) -> tuple[float, tuple[int, int], np.ndarray]:
    """`align`'s loop as written before round 26: each frame's four ways built by `np.r_`, `np.where` and
    `np.stack`."""
    frames_n, n_states = emit.shape
    neg = -np.inf
    back = np.zeros((frames_n, n_states), np.int8)
    prev = np.full(n_states, neg)
    best_end, end_at = neg, (0, 0)
    for t in range(frames_n):
        cand = np.stack([prev, np.r_[neg, prev[:-1]], np.where(skip, np.r_[neg, neg, prev[:-2]], neg),
                         np.r_[0.0, 0.0, np.full(n_states - 2, neg)]])
        back[t] = cand.argmax(axis=0)
        cur = cand.max(axis=0) + emit[t]
        for j in (n_states - 1, n_states - 2):
            if cur[j] > best_end:
                best_end, end_at = float(cur[j]), (t, j)
        prev = cur
    return best_end, end_at, back


def test_align_in_place_gives_the_scores_ends_and_moves_of_the_array_building_loop() -> None:
    rng = np.random.default_rng(26)
    names = [[5], [2, 3], [7, 7, 7], [4, 9, 4, 9, 1, 12, 20, 29, 3, 3, 8, 17], [11, 13], [1, 1], [0, 3]]
    strips = [rng.dirichlet(np.full(30, alpha), size=frames).astype(dtype)
              for alpha, frames, dtype in ((0.2, 120, np.float32), (0.05, 40, np.float32), (1.0, 7, np.float64),
                                           (0.2, 2, np.float32), (0.1, 1, np.float32))]
    flat = np.full((30, 30), 1 / 30, np.float32)  # every class tied in every frame: argmax's first-best order
    sparse = np.zeros((25, 30), np.float32)  # zeros floored alike, one class a frame
    sparse[np.arange(25), rng.integers(0, 30, 25)] = 1.0
    for posteriors in (*strips, flat, sparse):
        deficit = deficits(posteriors)
        for labels in names:
            emit, skip = deficit[:, _extended(labels)], _skips(labels)
            best, end, back = _best_alignment(emit, skip)
            old_best, old_end, old_back = _recursion_as_before(emit, skip)
            assert (best, end) == (old_best, old_end)
            assert np.array_equal(back, old_back)
            score, frames = align(posteriors, labels)
            given_score, given_frames = align(posteriors, labels, deficit)
            assert score == given_score and np.array_equal(frames, given_frames)
    assert align(strips[0][:0], [3])[0] == 0.0
    assert align(strips[0], [])[0] == 0.0
