"""Text second: words into grid cells by their boxes, the cell's text, and re-reading weak cells.

A word is placed by its centre.  A word that runs across a cell edge (an OCR line
that ignored a faint rule) is cut at the edge in proportion to its characters, since
CJK characters are about equally wide.  Lines inside a cell are kept apart with
"\\n" so a multi-line cell stays one cell and callers decide how to join.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from models.page import Box, Word
from pipeline.ocr.hanzi import simplified_words
from pipeline.tables.geometry import Cell, Frame, Grid


@dataclass(frozen=True)
class CellText:
    """A cell with its words (page frame), text and confidence; `bbox` is in the page frame."""

    cell: Cell
    bbox: Box
    words: tuple[Word, ...] = ()
    text: str = ""
    confidence: float = 1.0
    reread: bool = False

    @property
    def source(self) -> str:
        return "ocr" if any(word.source == "ocr" for word in self.words) else "text"

    @property
    def flat(self) -> str:
        """The text on one line (line breaks dropped): what most fields want."""
        return self.text.replace("\n", "")


@dataclass
class Table:
    """One table on one page: its grid (table frame), the frame, and the text of every cell."""

    page: int
    grid: Grid
    frame: Frame
    cells: list[CellText] = field(default_factory=list)
    title: str = ""
    ruled: bool = True  # False when columns came from text gaps

    @property
    def bbox(self) -> Box:
        return self.frame.box_to_page(self.grid.bbox)

    def row(self, index: int) -> list[CellText]:
        """The cells covering grid row `index`, left to right (a spanning cell appears in each row it spans)."""
        found = [c for c in self.cells if c.cell.row <= index < c.cell.row + c.cell.row_span]
        return sorted(found, key=lambda c: c.cell.col)

    def rows(self) -> list[list[CellText]]:
        return [self.row(index) for index in range(self.grid.n_rows)]

    def texts(self) -> list[list[str]]:
        """Row-major text, one entry per column (a spanning cell's text under its first column only)."""
        out = []
        for index in range(self.grid.n_rows):
            line = [""] * self.grid.n_cols
            for cell in self.row(index):
                if cell.cell.row == index:
                    line[cell.cell.col] = cell.text
            out.append(line)
        return out


def _centre(box: Box) -> tuple[float, float]:
    return (box[0] + box[2]) / 2, (box[1] + box[3]) / 2


def char_width(char: str) -> float:
    """A character's width relative to a CJK character: Latin letters, digits and ASCII marks are about half."""
    if char.isspace():
        return 0.3
    return 0.55 if ord(char) < 0x2E80 else 1.0


def split_word(word: Word, cuts: Sequence[float]) -> list[Word]:
    """Cut a word (table-frame box) at x positions inside it, in proportion to its characters' widths."""
    text = word.text
    x0, top, x1, bottom = word.bbox
    if len(text) < 2 or x1 <= x0:
        return [word]
    widths = [char_width(char) for char in text]
    unit = (x1 - x0) / sum(widths)
    edges = [x0]  # left edge of each character, then the word's right edge
    for width in widths:
        edges.append(edges[-1] + width * unit)
    # Where Latin/digits meet CJK near the cut, cut there: OCR joins a 序号 and its name into one word
    # with the blank between them inside its box, which throws a proportional cut off by a character.
    boundaries = [i for i in range(1, len(text)) if (widths[i - 1] == 1.0) != (widths[i] == 1.0)
                  and not text[i - 1].isspace() and not text[i].isspace()]
    boundaries += [i for i in range(1, len(text)) if text[i - 1].isspace() != text[i].isspace()]
    pieces: list[Word] = []
    start = 0
    for cut in sorted(cuts):
        index = min(range(len(edges)), key=lambda i: abs(edges[i] - cut))
        near = [i for i in boundaries if abs(edges[i] - cut) <= 1.5 * unit]
        if near:
            index = min(near, key=lambda i: abs(edges[i] - cut))
        elif (index - start == 1 and widths[start] == 1.0) or (len(text) - index == 1 and widths[-1] == 1.0):
            # One CJK character cut off the end of a word: the word's box overshoots its ink (OCR pads
            # line boxes), so a name's first or last character would land in the next column.
            continue
        if start < index < len(text):
            pieces.append(replace(word, text=text[start:index], bbox=(edges[start], top, edges[index], bottom)))
            start = index
    pieces.append(replace(word, text=text[start:], bbox=(edges[start], top, x1, bottom)))
    return [piece for piece in pieces if piece.text.strip()]


def _cuts(word_box: Box, grid: Grid, row: int) -> list[float]:
    """Column edges inside the word's box, where the row's cells really have an edge."""
    edges = [cell.bbox[2] for cell in grid.cells if cell.row <= row < cell.row + cell.row_span]
    margin = 0.25 * (word_box[3] - word_box[1])  # a quarter character either side is OCR box slack
    return [x for x in edges if word_box[0] + margin < x < word_box[2] - margin]


def _row_of(grid: Grid, y: float) -> int | None:
    for index in range(grid.n_rows):
        if grid.ys[index] <= y < grid.ys[index + 1]:
            return index
    return None


def _overlap(a: tuple[float, float], b: tuple[float, float]) -> float:
    return max(0.0, min(a[1], b[1]) - max(a[0], b[0]))


def drop_double_reads(words: Sequence[Word]) -> list[Word]:
    """Words without second readings of a glyph another word already holds.

    Two readings of the page (a first engine and a re-read of an unsure word) can both
    keep a character: a short word lying half or more inside a longer word's box, whose
    text that word's end (or start) already holds, is the same ink read twice.
    Printed words never overlap.
    """
    dropped: set[int] = set()
    for i, short in enumerate(words):
        if short.source != "ocr" or not short.text.strip():
            continue
        width, height = short.bbox[2] - short.bbox[0], short.bbox[3] - short.bbox[1]
        if width <= 0 or height <= 0:
            continue
        for j, long in enumerate(words):
            if j == i or j in dropped or len(long.text) <= len(short.text):
                continue
            if (_overlap((short.bbox[0], short.bbox[2]), (long.bbox[0], long.bbox[2])) >= 0.5 * width
                    and _overlap((short.bbox[1], short.bbox[3]), (long.bbox[1], long.bbox[3])) >= 0.5 * height):
                reach = len(short.text) + 1
                if short.text in long.text[-reach:] or short.text in long.text[:reach]:
                    dropped.add(i)
                    break
    return [word for index, word in enumerate(words) if index not in dropped]


def assign_words(words: Sequence[Word], grid: Grid, frame: Frame) -> dict[tuple[int, int], list[Word]]:
    """Words (page frame) grouped by the (row, col) of the cell holding their centre; boxes stay in the page frame."""
    placed: dict[tuple[int, int], list[Word]] = {}
    for word in words:
        turned = replace(word, bbox=frame.box_to_table(word.bbox))
        cx, cy = _centre(turned.bbox)
        row = _row_of(grid, cy)
        if row is None or not grid.xs[0] <= cx <= grid.xs[-1]:
            continue
        for piece in split_word(turned, _cuts(turned.bbox, grid, row)):
            px, _ = _centre(piece.bbox)
            col = next((c for c in range(grid.n_cols) if grid.xs[c] <= px <= grid.xs[c + 1]), None)
            cell = grid.cell_at(row, col) if col is not None else None
            if cell is not None:
                placed.setdefault((cell.row, cell.col), []).append(replace(piece, bbox=frame.box_to_page(piece.bbox)))
    return placed


def lines_of(words: Sequence[Word]) -> list[list[Word]]:
    """Words grouped into text lines (vertical centres within half a height), each sorted by x."""
    lines: list[list[Word]] = []
    for word in sorted(words, key=lambda w: _centre(w.bbox)[1]):
        height = word.bbox[3] - word.bbox[1]
        if lines:
            last = lines[-1]
            last_centre = statistics.fmean(_centre(w.bbox)[1] for w in last)
            last_height = statistics.fmean(w.bbox[3] - w.bbox[1] for w in last)
            if abs(_centre(word.bbox)[1] - last_centre) < 0.5 * min(height, last_height):
                last.append(word)
                continue
        lines.append([word])
    return [sorted(line, key=lambda w: w.bbox[0]) for line in lines]


def join_line(line: Sequence[Word]) -> str:
    """Words of one line joined; a visible gap becomes a space (normalisers drop it next to Chinese)."""
    text = ""
    for index, word in enumerate(line):
        if index:
            previous = line[index - 1]
            gap = word.bbox[0] - previous.bbox[2]
            height = max(word.bbox[3] - word.bbox[1], previous.bbox[3] - previous.bbox[1])
            if gap > 0.25 * height:
                text += " "
        text += word.text
    return text


def confidence_of(words: Sequence[Word]) -> float:
    """Character-weighted mean confidence (an empty cell is certain: there is nothing to misread)."""
    weights = [max(1, len(w.text.strip())) for w in words]
    if not words:
        return 1.0
    return sum(w.confidence * n for w, n in zip(words, weights, strict=True)) / sum(weights)


def cell_text(cell: Cell, frame: Frame, words: Sequence[Word]) -> CellText:
    """The cell with its words; OCR's traditional-only characters read as their simplified twins (`hanzi`)."""
    words = simplified_words(words)
    text = "\n".join(join_line(line) for line in lines_of(words))
    return CellText(cell=cell, bbox=frame.box_to_page(cell.bbox), words=tuple(words), text=text.strip(),
                    confidence=round(confidence_of(words), 4))


def fill_cells(grid: Grid, frame: Frame, words: Sequence[Word]) -> list[CellText]:
    placed = assign_words(drop_double_reads(words), grid, frame)
    return [cell_text(cell, frame, placed.get((cell.row, cell.col), [])) for cell in grid.cells]


def char_boxes(word: Word) -> list[Box]:
    """Each character's box, the word's width shared equally (CJK characters are about equally wide)."""
    x0, top, x1, bottom = word.bbox
    step = (x1 - x0) / max(1, len(word.text))
    return [(x0 + i * step, top, x0 + (i + 1) * step, bottom) for i in range(len(word.text))]


def chars_of(words: Sequence[Word]) -> list[tuple[str, Box, Word]]:
    """Characters in reading order with their boxes and words: to map a text position back to the page."""
    return [(char, box, word) for line in lines_of(words) for word in line
            for char, box in zip(word.text, char_boxes(word), strict=True)]
