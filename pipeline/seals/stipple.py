"""Ink on a 1-bit page that may be a seal no ring test confirms: a seal-sized cluster of stipple.

A 1-bit capture (fax, threshold) turns a seal's red ink into scattered dots, and a faded or lightly
inked seal keeps only a few of them: its ring too broken for any ring test, its star and lettering
gone. Print keeps solid strokes, so a dot standing alone, clear of print, is seal ink (or scanner
noise, which is thinly spread). Many such dots gathered in a seal's disc with few round it are
a seal's place as far as the pixels can tell: not a seal found, but no place to call empty either
(`pipeline.checks.completeness`: a doubt for a reviewer, not SEAL_MISSING).

A seal faded further keeps only a handful of dots, too few for a place anywhere on the page; but
where they lie beside the label the seal belongs to (`stipple_trace`), and the rest of the page is
clean, they are that seal's trace all the same: still a doubt, never a seal found.
"""

from __future__ import annotations

import cv2
import numpy as np

from pipeline.components import components_with_centres
from pipeline.seals.geometry import Outline

MM_PER_INCH = 25.4
# A dot: an ink component of at most this area (a dither dot or a few run together), clear of print by
# STIPPLE_CLEAR_MM (a character's own dots and a stroke's ragged edge lie closer).
STIPPLE_DOT_MM2 = 0.25
STIPPLE_CLEAR_MM = 0.5
# Ink, on the page's grey: anything clearly darker than paper (a resampled dot is grey, not black).
STIPPLE_INK_LEVEL = 200
# A seal's disc (radius, mm: official seals are 38-45 mm across, ovals 40-45 x 30 mm) and the ring round
# it that must stay nearly clear of dots: dots spread over a table (a dithered rule, a grey picture)
# go on past any disc.
SEAL_RADIUS_MM = 22.0
SURROUND_RADIUS_MM = 50.0
# Dots in a straight level or upright run this long (mm), each within RULE_GAP_MM of the next, are a dithered
# rule's: a seal's ring bends away from any chord that long (a 40 mm ring by ~4 mm over 25 mm).
RULE_RUN_MM = 25.0
RULE_GAP_MM = 5.0
# Dots a seal's place holds: about one per 4-5 mm of a 40 mm seal's ring (noise leaves a few a page),
# and at most this share of them again in the surround.
MIN_STIPPLE_DOTS = 30
MAX_SURROUND_SHARE = 0.5
# Seal-sized discs of stipple looked at per page, densest first (a page holds at most a handful of seals).
DISCS_LOOKED_AT = 12
# Dots inside a found seal (grown by this) are that seal's.
FOUND_SEAL_MARGIN = 1.1


def stipple_dots(grey: np.ndarray, px_per_mm: float, found: list[Outline], least: int = 0) -> np.ndarray:
    """Centres (n x 2, px) of the dots standing alone on the page, clear of print and of found seals.

    `least`: a caller that has no use for fewer dots (`stipple_seal`: a seal's place needs MIN_STIPPLE_DOTS) gets
    none where fewer than that stand clear of print; the rules' and found seals' dots are then not looked for
    (they would only take more away). The dotted-rule search is a third of a 1-bit page's stipple search, and
    half of 121 fax pages (dev13, dev22, dev26, dev30, dev33) have fewer than 30 dots clear of print.
    """
    ink = (grey < STIPPLE_INK_LEVEL).astype(np.uint8)
    count, labels, stats, centres = components_with_centres(ink, 8)  # 16-bit labels where the count fits
    dot = np.zeros(count, bool)
    dot[1:] = stats[1:, cv2.CC_STAT_AREA] <= STIPPLE_DOT_MM2 * px_per_mm**2
    solid = (~dot).astype(np.uint8)
    solid[0] = 0
    reach = max(3, round(2 * STIPPLE_CLEAR_MM * px_per_mm)) | 1
    near_print = cv2.dilate(solid[labels], cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (reach, reach)))
    points = centres[np.flatnonzero(dot)]
    xs, ys = points[:, 0].astype(int), points[:, 1].astype(int)
    alone = near_print[ys, xs] == 0
    points = points[alone]
    if len(points) < least:
        return points[:0]
    points = points[~_on_rules(points, grey.shape, px_per_mm)]
    for outline in found:
        points = points[[not outline.contains(x, y, FOUND_SEAL_MARGIN) for x, y in points]]
    return points


def _on_rules(points: np.ndarray, shape: tuple[int, ...], px_per_mm: float) -> np.ndarray:
    """Which dots lie in a straight level or upright run (a grey table rule dithered to a row of dots):
    joined along the run, they hold a straight segment of RULE_RUN_MM, which no seal's arc does."""
    dots = np.zeros(shape[:2], np.uint8)
    xs, ys = points[:, 0].astype(int), points[:, 1].astype(int)
    dots[ys, xs] = 255
    gap = max(3, round(RULE_GAP_MM * px_per_mm)) | 1
    run = max(gap + 2, round(RULE_RUN_MM * px_per_mm))
    ruled: np.ndarray = np.zeros_like(dots)
    for join, line in (((gap, 3), (run, 1)), ((3, gap), (1, run))):
        joined = cv2.dilate(dots, cv2.getStructuringElement(cv2.MORPH_RECT, join))
        ruled = cv2.bitwise_or(ruled, cv2.morphologyEx(joined, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, line)))
    return ruled[ys, xs] > 0


def stipple_seal(grey: np.ndarray, dpi: float, found: list[Outline]) -> tuple[float, float, float, float] | None:
    """The box (px) of a seal's disc that the page's lone dots gather in, outside the `found` seals, or None.

    The discs are looked at densest first (`DISCS_LOOKED_AT`), each moved onto its dots' mean: a row of
    faded member seals stamped side by side holds the page's densest stipple but fails the surround test
    (each seal is the next one's surround), and the applicant's faded seal above them is still a place.
    """
    px_per_mm = dpi / MM_PER_INCH
    return seal_in_dots(stipple_dots(grey, px_per_mm, found, MIN_STIPPLE_DOTS), grey.shape, px_per_mm)


def seal_in_dots(points: np.ndarray, shape: tuple[int, ...], px_per_mm: float) -> tuple[float, float, float, float] | None:
    """`stipple_seal` over a page's lone dots already found (`stipple_dots`)."""
    if len(points) < MIN_STIPPLE_DOTS:
        return None
    radius, surround = SEAL_RADIUS_MM * px_per_mm, SURROUND_RADIUS_MM * px_per_mm
    for cx, cy in _dense_discs(points, shape, px_per_mm):
        near = np.hypot(points[:, 0] - cx, points[:, 1] - cy) <= radius
        cx, cy = points[near].mean(axis=0)
        distance = np.hypot(points[:, 0] - cx, points[:, 1] - cy)
        inside = int(np.count_nonzero(distance <= radius))
        around = int(np.count_nonzero((distance > radius) & (distance <= surround)))
        if inside >= MIN_STIPPLE_DOTS and around <= MAX_SURROUND_SHARE * inside:
            return float(cx - radius), float(cy - radius), float(cx + radius), float(cy + radius)
    return None


# A slot's place round its label (mm): the stamp goes over the label's line and the name after it, from a
# little left of the label to the page's right edge, the ring reaching a seal's radius above and below.
TRACE_LEFT_MM = 10.0
TRACE_REACH_MM = 25.0
# A trace: at least this many lone dots in one seal's disc at the slot's place (a few dots survive of a
# seal faded past any ring), and at least this share of all the page's lone dots (noise, a dithered rule
# or a grey table leaves dots all over the page; a seal's trace is where they gather).
MIN_TRACE_DOTS = 4
TRACE_SHARE = 0.5
# More dots than this at a slot's place are stipple enough for `stipple_seal` to judge, not a trace.
MAX_TRACE_DOTS = 400
# Centres of the trace's disc are tried this far apart (mm).
TRACE_STEP_MM = 2.0


def stipple_trace(grey: np.ndarray, dpi: float, found: list[Outline], labels: list[tuple[float, float, float, float]]
                  ) -> tuple[float, float, float, float] | None:
    """The box (px) of a seal's disc at one of the slot's `labels` (boxes, px) holding a trace of a seal
    too faded for `stipple_seal`: most of the page's lone dots, gathered there, or None."""
    px_per_mm = dpi / MM_PER_INCH
    return trace_in_dots(stipple_dots(grey, px_per_mm, found), grey.shape, px_per_mm, labels)


def trace_in_dots(points: np.ndarray, shape: tuple[int, ...], px_per_mm: float,
                  labels: list[tuple[float, float, float, float]]) -> tuple[float, float, float, float] | None:
    """`stipple_trace` over a page's lone dots already found (`stipple_dots`)."""
    if len(points) < MIN_TRACE_DOTS:
        return None
    radius = SEAL_RADIUS_MM * px_per_mm
    for label in labels:
        near = points[_in_place(points, label, shape[1], px_per_mm)]
        if len(near) < max(MIN_TRACE_DOTS, TRACE_SHARE * len(points)) or len(near) > MAX_TRACE_DOTS:
            continue
        (cx, cy), inside = _densest_disc(near, radius, TRACE_STEP_MM * px_per_mm)
        if inside >= MIN_TRACE_DOTS and inside >= TRACE_SHARE * len(points):
            return float(cx - radius), float(cy - radius), float(cx + radius), float(cy + radius)
    return None


def _in_place(points: np.ndarray, label: tuple[float, float, float, float], width: int, px_per_mm: float
              ) -> np.ndarray:
    """Which points lie in the slot's place round `label` (px): `TRACE_LEFT_MM` left of it to the page's
    right edge, `TRACE_REACH_MM` above and below its line."""
    cy = (label[1] + label[3]) / 2
    left, reach = label[0] - TRACE_LEFT_MM * px_per_mm, TRACE_REACH_MM * px_per_mm
    return (points[:, 0] >= left) & (points[:, 0] <= width) & (np.abs(points[:, 1] - cy) <= reach)


def _densest_disc(points: np.ndarray, radius: float, step: float) -> tuple[tuple[float, float], int]:
    """The disc of `radius` holding the most of the (non-empty) `points`, its centre tried every `step`
    over their extent: the mean of the points it holds, and how many (a ring's dots lie a radius from
    its centre, round none of them)."""
    xs = np.arange(points[:, 0].min(), points[:, 0].max() + step, step)
    ys = np.arange(points[:, 1].min(), points[:, 1].max() + step, step)
    centres = np.stack(np.meshgrid(xs, ys), axis=-1).reshape(-1, 2)
    held = np.hypot(centres[:, None, 0] - points[None, :, 0], centres[:, None, 1] - points[None, :, 1]) <= radius
    best = int(np.argmax(held.sum(axis=1)))
    cx, cy = points[held[best]].mean(axis=0)
    return (float(cx), float(cy)), int(np.count_nonzero(held[best]))


def _dense_discs(points: np.ndarray, shape: tuple[int, ...], px_per_mm: float) -> list[tuple[float, float]]:
    """Centres (px) of the seal-sized discs holding most of `points` (counted on a 1 mm grid), densest
    first, each at least `MIN_STIPPLE_DOTS` and a seal's width from the ones before it."""
    height, width = (int(shape[0] / px_per_mm) + 1, int(shape[1] / px_per_mm) + 1)
    counts = np.zeros((height, width), np.float32)
    np.add.at(counts, ((points[:, 1] / px_per_mm).astype(int), (points[:, 0] / px_per_mm).astype(int)), 1.0)
    size = 2 * round(SEAL_RADIUS_MM) + 1
    disc = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (size, size)).astype(np.float32)
    density = cv2.filter2D(counts, -1, disc, borderType=cv2.BORDER_CONSTANT)
    centres: list[tuple[float, float]] = []
    while len(centres) < DISCS_LOOKED_AT:
        row, column = np.unravel_index(int(np.argmax(density)), density.shape)
        if density[row, column] < MIN_STIPPLE_DOTS:
            break
        centres.append(((column + 0.5) * px_per_mm, (row + 0.5) * px_per_mm))
        cv2.circle(density, (int(column), int(row)), round(2 * SEAL_RADIUS_MM), 0.0, -1)
    return centres
