"""Connected components of a mask, labelled in the narrowest integer type their count allows.

OpenCV labels into a 32-bit image by default; on a page-sized mask writing that image costs
more than finding the components (8.7 MB at 150 dpi, freshly allocated every call). Sixteen
bits hold the labels of any mask with fewer than 65 536 pieces, which rule masks, seal-ink
masks and print masks nearly always have; OpenCV refuses a count that does not fit, and
then the mask is labelled again in 32 bits. The labels and stats are the same either way.
"""

from __future__ import annotations

import cv2
import numpy as np


def components(mask: np.ndarray, connectivity: int = 8) -> tuple[int, np.ndarray, np.ndarray]:
    """`cv2.connectedComponentsWithStats(mask, connectivity)` without its centroids: (count, labels, stats)."""
    count, labels, stats, _ = components_with_centres(mask, connectivity)
    return count, labels, stats


def components_with_centres(mask: np.ndarray, connectivity: int = 8) -> tuple[int, np.ndarray, np.ndarray, np.ndarray]:
    """`cv2.connectedComponentsWithStats(mask, connectivity)`: (count, labels, stats, centroids), the labels in 16
    bits where the count fits (the stats and centroids are the same either way: OpenCV sums each piece's pixels
    alike whatever type it writes their labels in)."""
    try:
        count, labels, stats, centres = cv2.connectedComponentsWithStats(mask, connectivity=connectivity,
                                                                         ltype=cv2.CV_16U)
    except cv2.error:  # 65 536 pieces or more: 16 bits cannot number them
        count, labels, stats, centres = cv2.connectedComponentsWithStats(mask, connectivity=connectivity,
                                                                         ltype=cv2.CV_32S)
    return count, labels, stats, centres


def component_boxes(mask: np.ndarray) -> np.ndarray:
    """The bounding boxes (x, y, w, h; int32, one row each) of the mask's 8-connected pieces, in the order
    `components` numbers them: `components(mask, 8)[2][1:, :4]`, without labelling the page.

    A sparse mask (a page's rule masks) is traced round its pieces' outer borders (`cv2.findContours`) in a
    fraction of the time labelling every pixel takes. OpenCV labels 8-connected pieces block by block (2 × 2
    pixels, block rows top to bottom, each left to right) and numbers them by the first block holding one of
    their pixels; all pixels of a block touch, so no two pieces share that block. A piece's first block is
    found on its outer border: the leftmost pixel of its top block row has paper to its left all along the row.
    """
    contours, hierarchy = cv2.findContours(mask, cv2.RETR_CCOMP, cv2.CHAIN_APPROX_NONE)
    if not contours:
        return np.zeros((0, 4), np.int32)
    outer = [contour for contour, links in zip(contours, hierarchy[0], strict=True) if links[3] < 0]
    sizes = np.array([len(contour) for contour in outer])
    starts = np.concatenate(([0], np.cumsum(sizes)[:-1]))
    points = np.concatenate(outer).reshape(-1, 2)
    xs, ys = points[:, 0], points[:, 1]
    left, top = np.minimum.reduceat(xs, starts), np.minimum.reduceat(ys, starts)
    right, bottom = np.maximum.reduceat(xs, starts), np.maximum.reduceat(ys, starts)
    boxes = np.stack([left, top, right - left + 1, bottom - top + 1], axis=1).astype(np.int32)
    block_rows = top // 2
    in_first_row = ys // 2 == np.repeat(block_rows, sizes)
    block_cols = np.minimum.reduceat(np.where(in_first_row, xs, mask.shape[1]), starts) // 2
    return boxes[np.lexsort((block_cols, block_rows))]
