"""A picture of what the table finder saw: rule pieces, merged rules, intersections, cells, text."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np

from models.page import Page
from pipeline.tables.finder import TableFinding
from pipeline.tables.geometry import Frame, Rule

PIECE = (200, 200, 0)  # BGR: cyan-ish for raw pieces
RULE = (255, 0, 0)  # blue for merged rules
VIRTUAL = (255, 0, 255)  # magenta for outer rules the page lacked
CROSS = (0, 0, 255)  # red dots at intersections
CELL = (0, 160, 0)  # green cell boxes


def _page_pixels(page: Page, scale: float) -> np.ndarray:
    path = page.image_path or page.print_path
    image = cv2.imread(str(path)) if path is not None else None
    if image is None:
        height, width = round(page.height * scale), round(page.width * scale)
        image = np.full((max(1, height), max(1, width), 3), 255, np.uint8)
    return image


def _draw_rule(image: np.ndarray, rule: Rule, frame: Frame, scale: float, colour: tuple[int, int, int],
               thickness: int) -> None:
    if rule.orient == "h":
        a, b = frame.box_to_page((rule.start, rule.pos, rule.start, rule.pos)), \
            frame.box_to_page((rule.end, rule.pos, rule.end, rule.pos))
    else:
        a, b = frame.box_to_page((rule.pos, rule.start, rule.pos, rule.start)), \
            frame.box_to_page((rule.pos, rule.end, rule.pos, rule.end))
    cv2.line(image, (round(a[0] * scale), round(a[1] * scale)), (round(b[0] * scale), round(b[1] * scale)),
             colour, thickness)


def draw_finding(page: Page, finding: TableFinding, scale: float | None = None) -> np.ndarray:
    """The page (or a white sheet) with the finding drawn over it, BGR, at `scale` pixels per point."""
    scale = scale or page.scale or 2.0
    image = _page_pixels(page, scale)
    for piece in finding.pieces:
        _draw_rule(image, piece, finding.frame, scale, PIECE, 1)
    for rule in finding.rules:
        _draw_rule(image, rule, finding.frame, scale, RULE, 2)
    for table in finding.tables:
        for rule in table.grid.virtual:
            _draw_rule(image, rule, finding.frame, scale, VIRTUAL, 1)
        for x, y in table.grid.intersections():
            px = finding.frame.box_to_page((x, y, x, y))
            cv2.circle(image, (round(px[0] * scale), round(px[1] * scale)), 4, CROSS, -1)
        for cell in table.cells:
            x0, y0, x1, y1 = (round(v * scale) for v in cell.bbox)
            cv2.rectangle(image, (x0 + 3, y0 + 3), (x1 - 3, y1 - 3), CELL, 1)
            label = f"{cell.cell.row},{cell.cell.col}" + (f" {cell.cell.row_span}x{cell.cell.col_span}"
                                                          if cell.cell.row_span > 1 or cell.cell.col_span > 1 else "")
            cv2.putText(image, label, (x0 + 5, y0 + 14), cv2.FONT_HERSHEY_SIMPLEX, 0.4, CELL, 1)
    return image


def save_finding(page: Page, finding: TableFinding, path: Path) -> Path:
    cv2.imwrite(str(path), draw_finding(page, finding))
    return path
