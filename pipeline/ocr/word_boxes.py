"""Character boxes of a page's recognised lines: RapidOCR's `CalRecBoxes`, with its bookkeeping made cheap.

RapidOCR works out each character's box in the line crop from the recogniser's columns, then maps it back
into the page through the inverse of the crop's perspective transform and puts its four corners in order.
Its version deep-copies every line's boxes twice and orders each box's corners with a dozen NumPy calls on a
4 x 2 array: on a scanned page that bookkeeping cost about a fifth of the OCR (a01 + a03, 31 pages: 3.3 of
17 CPU-s, of which deep copies 1.2 s and corner ordering 1.6 s).

The numbers are RapidOCR's: its own functions compute the boxes in the crop and the direction; each
corner is still mapped with `np.dot` of the inverse transform and a float32 point, and truncated as there,
so every coordinate is bit for bit the same; the copies are plain list copies of the same values, and the
corners are ordered by the same rules on Python ints (`order_corners`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import cv2
import numpy as np
from rapidocr_onnxruntime.cal_rec_boxes import CalRecBoxes

Corner = list[int]
Box = list[list[Any]]


def character_boxes(crops: Sequence[np.ndarray], line_boxes: Sequence[np.ndarray], results: Sequence[Any]) -> list[list[Any]]:
    """`CalRecBoxes()(crops, line_boxes, results)`: per line `[text, score, word_boxes, words, word_scores]`."""
    out = []
    for crop, line_box, result in zip(crops, line_boxes, results, strict=False):
        direction = CalRecBoxes.get_box_direction(line_box)
        text, score, word_info = result[0], result[1], result[2]
        h, w = crop.shape[:2]
        crop_box = np.array([[0, 0], [w, 0], [w, h], [0, h]])
        words, boxes, scores = CalRecBoxes.cal_ocr_word_box(text, crop_box, word_info)
        boxes = CalRecBoxes.adjust_box_overlap([[list(corner) for corner in box] for box in boxes])
        out.append([text, score, to_page(line_box, boxes, direction), words, scores])
    return out


def to_page(line_box: np.ndarray, boxes: list[Box], direction: str = "w") -> list[list[Corner]]:
    """`CalRecBoxes.reverse_rotate_crop_image`: boxes in the line's crop mapped back into the page, corners ordered."""
    corners = np.array(line_box, dtype=np.float32)  # a copy: the caller's box stays as it is
    left = int(np.min(corners[:, 0]))
    top = int(np.min(corners[:, 1]))
    corners[:, 0] = corners[:, 0] - left
    corners[:, 1] = corners[:, 1] - top
    width = int(np.linalg.norm(corners[0] - corners[1]))
    height = int(np.linalg.norm(corners[0] - corners[3]))
    upright = np.array([[0, 0], [width, 0], [width, height], [0, height]]).astype(np.float32)
    _, inverse = cv2.invert(cv2.getPerspectiveTransform(corners, upright))
    mapped = []
    for box in boxes:
        points = []
        for point in box:
            if direction == "h":
                point = CalRecBoxes.s_rotate(math.radians(-90), point[0], point[1], 0, 0)
                point[0] = point[0] + width
            x, y, z = np.dot(inverse, np.array([*point, 1], dtype=np.float32))
            points.append([int(x / z + left), int(y / z + top)])
        mapped.append(order_corners(points))
    return mapped


def order_corners(box: list[Corner]) -> list[Corner]:
    """`CalRecBoxes.order_points` on four integer corners: top-left, top-right, bottom-right, bottom-left.

    The same rules in the same order (a diamond; all on one vertical; two sharing x; otherwise left pair and
    right pair), each picking the first corner that meets them, as RapidOCR's `np.where(...)[:1]` does.
    Anything but four corners is left to RapidOCR's own function.
    """
    if len(box) != 4:
        return list(CalRecBoxes.order_points(box))
    xs, ys = [p[0] for p in box], [p[1] for p in box]
    # NumPy's mean of four ints: their exact sum, divided once (as sum(xs) / 4 is).
    cx, cy = sum(xs) / 4, sum(ys) / 4

    def first(points: list[Corner], key: int, value: float) -> Corner:
        return next(p for p in points if p[key] == value)

    if any(x == cx for x in xs) and any(y == cy for y in ys):  # a diamond
        ordered = [first(box, 0, min(xs)), first(box, 1, min(ys)), first(box, 0, max(xs)), first(box, 1, max(ys))]
    elif all(x == cx for x in xs):  # all on one vertical: by y (equal y are equal corners then)
        ordered = sorted(box, key=lambda p: p[1])
    elif any(x == cx for x in xs) and all(y != cy for y in ys):  # two share x: upper pair, then lower pair
        upper, lower = [p for p in box if p[1] < cy], [p for p in box if p[1] > cy]
        ordered = [first(upper, 0, min(p[0] for p in upper)), first(upper, 0, max(p[0] for p in upper)),
                   first(lower, 0, max(p[0] for p in lower)), first(lower, 0, min(p[0] for p in lower))]
    else:  # no corner on the mean x: the left pair and the right pair, each top first
        left, right = [p for p in box if p[0] < cx], [p for p in box if p[0] > cx]
        ordered = [first(left, 1, min(p[1] for p in left)), first(right, 1, min(p[1] for p in right)),
                   first(right, 1, max(p[1] for p in right)), first(left, 1, max(p[1] for p in left))]
    return [list(corner) for corner in ordered]  # fresh lists, as RapidOCR's `tolist()` gives
