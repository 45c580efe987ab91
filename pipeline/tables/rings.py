"""Figures a seal's ring crosses: a reading that cannot see the digits under the ring.

A round or oval seal stamped over a table's figures lays its ring, a stroke as black as print on a grey
scan, across a number's line. The reader then drops the digit the ring crosses, or the digits beyond
it, or reads the ring as a digit ('1,901' read 901 at 0.99; '2,924.8' read 4.8; '831' read 1431), and
every engine reads the crop alike, since none sees through the ring: a second engine's agreement is no
confirmation there. So a figure whose line the ring crosses, within a digit of its characters, is a
reading in doubt (its confidence held under the checks' `confident`): a comparison resting on it is a
warning that names it, never an error, and the form's totals may still settle it (`reconcile`,
`implied`).

The seal detector's ellipse (`models.page.SealMark`, in the page image's pixels) is fitted to the ring's
ink and lies up to a tenth of its size off it (dev32 a01: 13 px of a 110 px semi-axis), so the ring is
taken as the band `RING_SLACK` either side of the ellipse.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from models.page import Box, SealMark, Word
from pipeline.tables.geometry import Frame, Rule

RING_SLACK = 0.1  # share of its semi-axes the ring's ink may lie inside or outside the detector's ellipse
RINGED = frozenset({"round", "oval"})  # seals with a ring (a square seal's frame is straight: a rule's look)
DIGIT_ADVANCE = 0.6  # a digit's advance in its line's heights: a character lost beside the reading is this far
SAMPLES = 9  # points per side of the grid a box is sampled on


def ring_radius(mark: SealMark, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Per point (image pixels), its distance from the seal's centre in the ellipse's own measure: 1 on
    the ellipse, less inside it, more outside."""
    turn = math.radians(mark.angle)
    dx, dy = x - mark.cx, y - mark.cy
    along = dx * math.cos(turn) + dy * math.sin(turn)
    across = -dx * math.sin(turn) + dy * math.cos(turn)
    return np.asarray(np.hypot(along / max(mark.a, 1e-6), across / max(mark.b, 1e-6)))


def ring_crosses(box: Box, mark: SealMark, scale: float) -> bool:
    """Whether the seal's ring (its ellipse, `RING_SLACK` either side) passes through `box` (points);
    `scale` is the page image's pixels per point."""
    if mark.shape not in RINGED or scale <= 0:
        return False
    xs = np.linspace(box[0], box[2], SAMPLES) * scale
    ys = np.linspace(box[1], box[3], SAMPLES) * scale
    radius = ring_radius(mark, *np.meshgrid(xs, ys))
    return bool(radius.min() <= 1.0 + RING_SLACK and radius.max() >= 1.0 - RING_SLACK)


def figure_line(words: Sequence[Word]) -> Box | None:
    """Where a figure's characters stand, and where characters it lost would: its words' box widened by a
    digit's advance on either side (a digit the ring hid lies just beyond the ink read); None without
    words."""
    if not words:
        return None
    x0, y0 = min(w.bbox[0] for w in words), min(w.bbox[1] for w in words)
    x1, y1 = max(w.bbox[2] for w in words), max(w.bbox[3] for w in words)
    height = min(w.bbox[3] - w.bbox[1] for w in words)
    # Only the line's middle: boxes are padded into the rules above and below, which the ring crosses too.
    margin = DIGIT_ADVANCE * height
    return (x0 - margin, y0 + height / 4, x1 + margin, y1 - height / 4)


def under_ring(words: Sequence[Word], marks: Sequence[SealMark] | None, scale: float) -> bool:
    """Whether a seal's ring crosses the figure made of `words` (`figure_line`)."""
    line = figure_line(words)
    return line is not None and any(ring_crosses(line, mark, scale) for mark in marks or ())


ON_RING = 0.75  # share of a rule piece's length lying along a seal's ring for it to be the ring's arc


def along_ring(rule: Rule, mark: SealMark, frame: Frame, scale: float) -> bool:
    """Whether the rule piece (table frame, points) lies along the seal's ring over `ON_RING` of its length:
    the ring's arc where it runs level or upright (beside the ring's leftmost, rightmost, top or bottom
    point), which a 1-bit or grey scan prints as black as a rule; `scale` is the page image's pixels per
    point."""
    return bool(_along_ring([rule], mark, frame, scale)[0])


def _along_ring(rules: Sequence[Rule], mark: SealMark, frame: Frame, scale: float) -> np.ndarray:
    """`along_ring` of each rule piece at once (True/False per piece). Each piece is sampled at
    `4 * SAMPLES` points along it, turned into the page's frame and measured against the ring as arrays:
    the same arithmetic, element for element, as one point at a time (a page's pieces against its seals
    were 100,000 point turns in Python on a01 + a03)."""
    kept = np.array([mark.shape in RINGED and scale > 0 and rule.length > 0 for rule in rules], dtype=bool)
    if not kept.any():
        return kept
    chosen = [rule for rule, keep in zip(rules, kept, strict=True) if keep]
    along = np.array([np.linspace(rule.start, rule.end, 4 * SAMPLES) for rule in chosen])
    pos = np.array([[rule.pos] for rule in chosen])
    upright = np.array([[rule.orient == "v"] for rule in chosen])
    xs, ys = frame.points_to_page(np.where(upright, pos, along), np.where(upright, along, pos))
    on_ring = np.abs(ring_radius(mark, xs * scale, ys * scale) - 1.0) <= RING_SLACK
    kept[kept] = np.count_nonzero(on_ring, axis=1) / on_ring.shape[1] >= ON_RING
    return kept


def ring_arcs(pieces: Sequence[Rule], marks: Sequence[SealMark] | None, frame: Frame, scale: float) -> list[Rule]:
    """The pieces lying along a seal's ring (`along_ring`): on a short table a ring's upright arc runs the
    table's height and stands as a column rule where the seal hides the true one (dev35 a09's financings:
    the amounts read into the investees' names)."""
    if not pieces or not marks:
        return []
    hit = np.zeros(len(pieces), dtype=bool)
    for mark in marks:
        hit |= _along_ring(pieces, mark, frame, scale)
    return [piece for piece, arc in zip(pieces, hit, strict=True) if arc]


__all__ = ["along_ring", "figure_line", "ring_arcs", "ring_crosses", "ring_radius", "under_ring"]
