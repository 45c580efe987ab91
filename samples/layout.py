"""Page layout as a display list: text runs, rules, pictures and marks (seals, signatures, ticks).

Pages are laid out once, in PDF points from the top-left corner. The same
display list is then played into a reportlab canvas (digital pages, with
electronic seal images) or rasterised and degraded (scans, with ink seals
composited in pixels). Every text op is also the page's printed text in
reading order, and every value cell registers its box as provenance.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from PIL import Image
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

PAGE_W, PAGE_H = 595.28, 841.89
FONT_FILES: dict[str, tuple[str, int]] = {
    "song": ("/usr/share/fonts/truetype/arphic/uming.ttc", 0),
    "hei": ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),
    "mhei": ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0),
    "kai": ("/usr/share/fonts/truetype/arphic/ukai.ttc", 0),
    "sym": ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", 0),
}
NO_LINE_START = set("，。、；：？！）》”’」%)")
NO_LINE_END = set("（《“‘「")


@cache
def font(name: str) -> TTFont:
    path, index = FONT_FILES[name]
    face = TTFont(name, path, subfontIndex=index)
    pdfmetrics.registerFont(face)
    return face


def covers(name: str, ch: str) -> bool:
    return ord(ch) in font(name).face.charWidths or ch == " "


@dataclass
class Run:
    text: str
    font: str
    size: float


@dataclass
class Text:
    x: float
    y: float  # baseline, from the top
    runs: list[Run]
    color: tuple[float, float, float] = (0, 0, 0)

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs)

    @property
    def width(self) -> float:
        return sum(pdfmetrics.stringWidth(r.text, r.font, r.size) for r in self.runs)

    @property
    def bbox(self) -> list[float]:
        size = max(r.size for r in self.runs)
        return [round(self.x, 1), round(self.y - size * 0.88, 1), round(self.x + self.width, 1),
                round(self.y + size * 0.14, 1)]


@dataclass
class Rule:
    x0: float
    y0: float
    x1: float
    y1: float
    width: float = 0.6


@dataclass
class Picture:
    bbox: tuple[float, float, float, float]
    image: Image.Image


@dataclass
class Mark:
    """Ink put on the page after printing: a seal, a signature or a hand-drawn tick."""

    kind: str  # seal | signature | tick
    bbox: tuple[float, float, float, float]
    text: str = ""
    slot: str | None = None
    shape: str = "round"
    bottom: str = ""


@dataclass
class Page:
    role: str
    ops: list[Any] = field(default_factory=list)
    marks: list[Mark] = field(default_factory=list)
    provenance: dict[str, list[float]] = field(default_factory=dict)
    numbered: bool = True

    @property
    def text(self) -> str:
        lines: list[str] = []
        last_y: float | None = None
        for op in self.ops:
            if not isinstance(op, Text) or not op.text.strip():
                continue
            if last_y is not None and abs(op.y - last_y) < 2 and lines:
                lines[-1] += " " + op.text.strip()
            else:
                lines.append(op.text.strip())
            last_y = op.y
        return "\n".join(lines)


def runs(text: str, name: str, size: float) -> list[Run]:
    """Split `text` into runs the fonts can draw, falling back to DejaVu for symbols (☑ ☐ ✓)."""
    out: list[Run] = []
    for ch in text:
        face = name if covers(name, ch) else "sym" if covers("sym", ch) else "hei"
        if out and out[-1].font == face:
            out[-1].text += ch
        else:
            out.append(Run(ch, face, size))
    return out


def width(text: str, name: str, size: float) -> float:
    return sum(pdfmetrics.stringWidth(r.text, r.font, r.size) for r in runs(text, name, size))


_TOKEN = re.compile(r"[A-Za-z0-9@._%\-/:,]+|.", re.S)


def wrap(text: str, name: str, size: float, first: float, rest: float | None = None) -> list[str]:
    """Break `text` into lines no wider than `first` (then `rest`), keeping ASCII runs whole."""
    rest = first if rest is None else rest
    lines: list[str] = []
    line = ""
    limit = first
    for token in _TOKEN.findall(text):
        if token == "\n":
            lines.append(line)
            line, limit = "", rest
            continue
        if width(line + token, name, size) <= limit or not line:
            line += token
            continue
        if token[0] in NO_LINE_START and len(line) > 1:
            # Carry the last character down so the line does not start with punctuation.
            carry = line[-1]
            lines.append(line[:-1])
            line = carry + token
        elif line[-1] in NO_LINE_END:
            lines.append(line[:-1])
            line = line[-1] + token
        else:
            lines.append(line)
            line = token
        limit = rest
    if line:
        lines.append(line)
    return lines


@dataclass
class Style:
    body: str = "song"
    title: str = "hei"
    size: float = 12.0
    leading: float = 1.6
    margin_x: float = 80.0
    margin_top: float = 72.0
    margin_bottom: float = 72.0
    cell_size: float = 10.5
    header_text: str = ""
    footer: str = "dash"  # dash | of | plain | none


class Layout:
    """A flowing cursor over pages."""

    def __init__(self, style: Style) -> None:
        self.style = style
        self.pages: list[Page] = []
        self.y = 0.0

    @property
    def page(self) -> Page:
        return self.pages[-1]

    @property
    def left(self) -> float:
        return self.style.margin_x

    @property
    def right(self) -> float:
        return PAGE_W - self.style.margin_x

    @property
    def bottom(self) -> float:
        return PAGE_H - self.style.margin_bottom

    def new_page(self, role: str, numbered: bool = True) -> Page:
        self.pages.append(Page(role=role, numbered=numbered))
        self.y = self.style.margin_top
        return self.page

    def ensure(self, height: float, role: str | None = None) -> bool:
        """Start a new page (same role unless given) when `height` does not fit; True if it did."""
        if self.y + height > self.bottom:
            self.new_page(role or self.page.role)
            return True
        return False

    def text(self, x: float, y: float, text: str, name: str | None = None, size: float | None = None,
             path: str | None = None) -> Text:
        op = Text(x, y, runs(text, name or self.style.body, size or self.style.size))
        self.page.ops.append(op)
        if path:
            self.page.provenance[path] = op.bbox
        return op

    def line(self, text: str, name: str | None = None, size: float | None = None, align: str = "left",
             indent: float = 0.0, gap: float | None = None) -> Text:
        size = size or self.style.size
        name = name or self.style.body
        step = gap if gap is not None else size * self.style.leading
        self.ensure(step)
        self.y += step
        w = width(text, name, size)
        x = {"left": self.left + indent, "center": (PAGE_W - w) / 2, "right": self.right - w - indent}[align]
        return self.text(x, self.y, text, name, size)

    def paragraph(self, text: str, name: str | None = None, size: float | None = None, indent_chars: float = 2) -> None:
        size = size or self.style.size
        name = name or self.style.body
        indent = indent_chars * size
        for i, part in enumerate(wrap(text, name, size, self.right - self.left - indent, self.right - self.left)):
            self.line(part, name, size, indent=indent if i == 0 else 0)

    def finish(self) -> list[Page]:
        """Add running headers and page numbers."""
        total = len(self.pages)
        for number, page in enumerate(self.pages, start=1):
            if not page.numbered:
                continue
            size = 9.0
            if self.style.header_text:
                op = Text(self.left, 48, runs(self.style.header_text, self.style.body, size))
                op.x = self.right - op.width
                page.ops.insert(0, op)
                page.ops.insert(1, Rule(self.left, 52, self.right, 52, 0.5))
            label = {"dash": f"- {number} -", "of": f"第 {number} 页 共 {total} 页", "plain": str(number)}.get(
                self.style.footer)
            if label:
                op = Text(0, PAGE_H - 40, runs(label, self.style.body, size))
                op.x = (PAGE_W - op.width) / 2
                page.ops.append(op)
        return self.pages


@dataclass
class Cell:
    text: str = ""
    span: int = 1
    path: str | None = None
    align: str = "center"
    label: bool = False
    ticks: list[int] = field(default_factory=list)  # character indexes of boxes to tick by hand


def draw_cell(lay: Layout, cell: Cell, x0: float, x1: float, top: float, bottom: float, size: float,
              tick_char: str = "□") -> None:
    """Draw wrapped cell text, vertically centred; register provenance; place hand ticks."""
    if not cell.text:
        return
    name = lay.style.title if cell.label and lay.style.title == "song" else lay.style.body
    pad = 3.0
    lines = wrap(cell.text, name, size, x1 - x0 - 2 * pad)
    lead = size * 1.3
    y = (top + bottom) / 2 - (len(lines) * lead) / 2 + size * 0.95
    boxes: list[list[float]] = []
    consumed = 0
    for part in lines:
        w = width(part, name, size)
        x = x0 + pad if cell.align == "left" else (x0 + x1 - w) / 2
        op = lay.text(x, y, part, name, size)
        boxes.append(op.bbox)
        for index in cell.ticks:
            if consumed <= index < consumed + len(part):
                cx = x + width(part[: index - consumed], name, size)
                box = (cx - 2, y - size * 0.95, cx + size + 6, y + size * 0.35)
                lay.page.marks.append(Mark("tick", box))
        consumed += len(part)
        y += lead
    if cell.path:
        lay.page.provenance[cell.path] = [min(b[0] for b in boxes), boxes[0][1], max(b[2] for b in boxes), boxes[-1][3]]


def row_height(lay: Layout, cells: list[Cell], xs: list[float], size: float, min_h: float) -> float:
    lines = 1
    col = 0
    for cell in cells:
        w = xs[col + cell.span] - xs[col] - 6
        lines = max(lines, len(wrap(cell.text, lay.style.body, size, w)) if cell.text else 1)
        col += cell.span
    return max(min_h, lines * size * 1.3 + 8)


def draw_row(lay: Layout, cells: list[Cell], xs: list[float], top: float, height: float, size: float,
             start_col: int = 0) -> None:
    col = start_col
    for cell in cells:
        x0, x1 = xs[col], xs[col + cell.span]
        lay.page.ops.append(Rule(x0, top, x0, top + height))
        draw_cell(lay, cell, x0, x1, top, top + height, size)
        col += cell.span
    lay.page.ops.append(Rule(xs[start_col], top + height, xs[-1], top + height))
    lay.page.ops.append(Rule(xs[-1], top, xs[-1], top + height))


@dataclass
class Group:
    """Rows sharing a merged first cell (a vertically merged 类别, or a form block label)."""

    label: Cell | None
    rows: list[list[Cell]]


def grid_table(lay: Layout, fractions: list[float], groups: list[Group], header: list[Cell] | None = None,
               repeat_header: bool = True, min_h: float = 20.0, label_cols: int = 1, breakable: bool = True,
               repeat_label: bool = False, reserve: float = 0.0, on_page_end: Any = None) -> None:
    """A ruled table: optional header row, then groups; page breaks between rows (or groups)."""
    size = lay.style.cell_size
    total = sum(fractions)
    xs = [lay.left]
    for f in fractions:
        xs.append(xs[-1] + (lay.right - lay.left) * f / total)

    def start_block() -> None:
        lay.page.ops.append(Rule(xs[0], lay.y, xs[-1], lay.y))
        if header is not None:
            h = row_height(lay, header, xs, size, min_h)
            draw_row(lay, header, xs, lay.y, h, size)
            lay.y += h

    def page_break() -> None:
        if on_page_end:
            on_page_end()
        lay.new_page(lay.page.role)
        if repeat_header:
            start_block()
        else:
            lay.page.ops.append(Rule(xs[0], lay.y, xs[-1], lay.y))

    start_block()
    for group in groups:
        first_col = label_cols if group.label is not None else 0
        heights = [row_height(lay, row, xs[first_col:], size, min_h) for row in group.rows]
        if group.label is not None:
            label_h = row_height(lay, [group.label], xs[: label_cols + 1], size, min_h)
            heights[-1] = max(heights[-1], label_h - sum(heights[:-1]))
        if not breakable and lay.y + sum(heights) > lay.bottom - reserve:
            page_break()
        segment_top = lay.y
        segment_at = len(lay.page.ops)
        segment_rows = 0
        first_segment = True
        for row, h in zip(group.rows, heights, strict=True):
            if lay.y + h > lay.bottom - reserve:
                _close_label(lay, group, xs, label_cols, segment_top, segment_rows, first_segment or repeat_label, size,
                             segment_at)
                page_break()
                segment_top, segment_rows, first_segment = lay.y, 0, False
                segment_at = len(lay.page.ops)
            draw_row(lay, row, xs, lay.y, h, size, start_col=label_cols if group.label is not None else 0)
            lay.y += h
            segment_rows += 1
        _close_label(lay, group, xs, label_cols, segment_top, segment_rows, first_segment or repeat_label, size,
                     segment_at)


def _close_label(lay: Layout, group: Group, xs: list[float], label_cols: int, top: float, rows: int, show: bool,
                 size: float, at: int) -> None:
    """Draw the merged first cell of a group's segment; its text goes before the rows in reading order."""
    if group.label is None or rows == 0:
        return
    bottom = lay.y
    lay.page.ops.append(Rule(xs[0], top, xs[0], bottom))
    lay.page.ops.append(Rule(xs[0], bottom, xs[label_cols], bottom))
    if show:
        start = len(lay.page.ops)
        draw_cell(lay, group.label, xs[0], xs[label_cols], top, bottom, size)
        moved = lay.page.ops[start:]
        del lay.page.ops[start:]
        lay.page.ops[at:at] = moved
