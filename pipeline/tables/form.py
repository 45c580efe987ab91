"""Reading a ruled form by its row labels: the form's rows across pages, label cells, values beside them.

The basic-info form is one table often split over two pages, so its rows are read as
one sequence (`FormRow`s in page order).  A cell is a label cell when a known label
fills most of it or starts it; a value is whatever stands to the right of its label
(in the label's own cell after the label, then in following cells) up to the next
label cell.  Where the columns are ruled but the rows are not (`bands`), rows come from the
text's bands; where no rules were found, each text line becomes a row and each word a cell,
and the same reading applies.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from rapidfuzz.distance import Levenshtein

from models.page import Page, Word
from pipeline.ocr import OcrEngine
from pipeline.tables.bands import banded_rows
from pipeline.tables.cells import CellText, confidence_of, join_line, lines_of
from pipeline.tables.finder import find_tables
from pipeline.tables.geometry import Cell
from pipeline.tables.labels import holds_label, label_end, label_score, squeeze

# A value cell may hold a label as part of its text (杭州某某手机有限公司 holds 手机):
# it is a label cell only when the label starts it or covers this share of it.
LABEL_SHARE = 0.5
ENDING_LABEL = 4  # characters: a label this long ending a cell is that label, whatever stands before it
# A form has few cells and each misread label costs a field: read nearly all of them again.
FORM_REREAD_BELOW = 0.97
_FILLER_CHARS = " ：:_＿\n"
# What may be left of a label's own text after it ("注册地（具体到区县）" read as far as 县).
_LABEL_TAIL = _FILLER_CHARS + "）)】]、，,.。"
# The end of a wrapped label ("县）" of 注册地（具体到区县）) that OCR ran into the value cell.
# Label heights above and below a label where, on lines of text, its value or the next label may stand.
BESIDE = 0.6
SAME_LINE = 0.3  # share of a label's height another label must share with it to stand on its line
_LABEL_SPILL = re.compile(r"^[^\s（(]{0,4}[)）]\s*")


@dataclass(frozen=True)
class FormRow:
    page: int
    cells: tuple[CellText, ...]  # left to right, spanning cells included
    ruled: bool = True  # False: a line of text (no rules were found), its cells the line's words

    @property
    def text(self) -> str:
        return "".join(c.flat for c in self.cells)


MIN_LABEL_SCORE = 0.78
WRAPPED_LABEL_START = 5  # characters: a label's first line this long is that label (no value reads so)
SLIPPED_LABEL_START = 6  # characters: ... and this long with one of them misread
# A whole label this long read with up to BLURRED_EDITS characters misread, dropped or added
# ('学头单位要型' for 牵头单位类型): no value of the form is so near a label.
BLURRED_LABEL = 6
BLURRED_EDITS = 2


@dataclass(frozen=True)
class Labels:
    """Field keys and the labels printed for them (first label is the template's)."""

    by_key: dict[str, tuple[str, ...]]

    def match(self, text: str) -> tuple[str | None, float]:
        """The key whose label this cell is, with its score; (None, 0) for a value cell."""
        best: tuple[str | None, float, int] = (None, 0.0, 0)
        hay = squeeze(text)
        if not hay:
            return None, 0.0
        for key, labels in self.by_key.items():
            for label in labels:
                score = label_score(text, label)
                needle = squeeze(label)
                if score < MIN_LABEL_SCORE:
                    continue
                starts = hay.startswith(needle[: max(2, len(needle) // 2)])
                # A label ending a cell that holds a value before it: the rule between them was lost.
                ends = len(needle) >= ENDING_LABEL and hay.endswith(needle)
                if not starts and not ends and len(needle) < LABEL_SHARE * len(hay):
                    continue
                if (score, len(needle)) > (best[1], best[2]):
                    best = (key, score, len(needle))
        if best[0] is None and len(hay) >= WRAPPED_LABEL_START:
            # A two-line label's first line, a cell of its own on lines of text ('统一社会信' / '用代码'); from
            # SLIPPED_LABEL_START characters on, with one of them misread ('服务的主委行' / '业').
            keys = {key for key, labels in self.by_key.items() for label in labels
                    if len(squeeze(label)) > len(hay) and _starts_with(squeeze(label), hay)}
            if len(keys) == 1:
                return keys.pop(), MIN_LABEL_SCORE
        if best[0] is None and (blurred := self._blurred(hay)) is not None:
            return blurred, MIN_LABEL_SCORE
        return best[0], best[1]

    def _blurred(self, hay: str) -> str | None:
        """The one key with a label of BLURRED_LABEL characters or more that this cell's text is, but for up to
        BLURRED_EDITS characters (and at most one more or fewer); None where none or two keys are so near."""
        keys = {key for key, labels in self.by_key.items() for label in labels
                if len(needle := squeeze(label)) >= BLURRED_LABEL and abs(len(needle) - len(hay)) <= 1
                and Levenshtein.distance(needle, hay, score_cutoff=BLURRED_EDITS) <= BLURRED_EDITS}
        return keys.pop() if len(keys) == 1 else None


def _starts_with(label: str, hay: str) -> bool:
    """`label` starts with `hay`, exactly or, for SLIPPED_LABEL_START characters or more, but for one."""
    start = label[:len(hay)]
    slips = sum(a != b for a, b in zip(start, hay, strict=True))
    return slips == 0 or (slips == 1 and len(hay) >= SLIPPED_LABEL_START)


def word_rows(page: Page) -> list[FormRow]:
    """Rows of a page without rules: each text line a row, each word a cell."""
    rows = []
    for index, line in enumerate(lines_of(page.words)):
        cells = tuple(CellText(cell=Cell(index, col, 1, 1, w.bbox), bbox=w.bbox, words=(w,), text=w.text,
                               confidence=w.confidence) for col, w in enumerate(line))
        rows.append(FormRow(page.number, cells, ruled=False))
    return rows


def joined_label_words(row: FormRow, labels: Labels) -> FormRow:
    """A line of text with each label OCR parted into two words ('统一社会' · '信用代') made one cell again:
    two neighbouring words side by side, neither a label, that together are one, with no more than a
    character's height between them."""
    cells = list(row.cells)
    index = 0
    while index + 1 < len(cells):
        left, right = cells[index], cells[index + 1]
        if _label_parted(left, right, labels):
            cells[index:index + 2] = [_joined(left, right)]
        else:
            index += 1
    return row if len(cells) == len(row.cells) else FormRow(row.page, tuple(cells), ruled=row.ruled)


def _label_parted(left: CellText, right: CellText, labels: Labels) -> bool:
    height = max(left.bbox[3] - left.bbox[1], right.bbox[3] - right.bbox[1])
    shared = min(left.bbox[3], right.bbox[3]) - max(left.bbox[1], right.bbox[1])
    # Side by side on one line: a two-line label's lines stacked ('统一祛会信' over '用代码') are no parted word.
    beside = -SAME_LINE * height <= right.bbox[0] - left.bbox[2] <= height and shared >= 0.5 * height
    return (beside and labels.match(left.text)[0] is None
            and labels.match(right.text)[0] is None and labels.match(left.text + right.text)[0] is not None)


def _joined(left: CellText, right: CellText) -> CellText:
    box = (min(left.bbox[0], right.bbox[0]), min(left.bbox[1], right.bbox[1]),
           max(left.bbox[2], right.bbox[2]), max(left.bbox[3], right.bbox[3]))
    return CellText(cell=Cell(left.cell.row, left.cell.col, 1, 1, box), bbox=box, words=(*left.words, *right.words),
                    text=left.text + right.text, confidence=min(left.confidence, right.confidence))


def form_rows(pages: Sequence[Page], engine: OcrEngine | None = None, low_confidence: float = 0.0,
              labels: Labels | None = None) -> list[FormRow]:
    """The rows of the form on these pages, in order; text lines where a page has no table, or where its
    table's rules were too faint to part the form's labels (one cell holding several of `labels`)."""
    rows: list[FormRow] = []
    for page in pages:
        tables = find_tables(page, engine, low_confidence, reread_below=FORM_REREAD_BELOW).tables
        ruled = [FormRow(page.number, tuple(cells)) for table in tables for cells in figures_parted(table.rows())]
        if not ruled or (labels is not None and collapsed(ruled, labels)):
            # Bands need a text layer's exact boxes: OCR's padded line boxes run neighbouring rows together.
            banded = banded_rows(page) if page.kind == "text" else None
            words = word_rows(page) if labels is None else [joined_label_words(row, labels) for row in word_rows(page)]
            rows.extend(words if banded is None else [FormRow(page.number, tuple(c)) for c in banded])
        else:
            rows.extend(ruled if labels is None else [parted_at_label(row, labels) for row in ruled])
    return rows


MIN_PARTED_FIGURES = 2  # rows of a spanning cell holding figures for its lines to be parted among them


def figures_parted(rows: list[list[CellText]]) -> list[list[CellText]]:
    """A table's rows with each cell that spans several of them only where their rules were lost in its column
    (the 2025 figures of eight rows in one cell, a drawn scan) parted among them: its words go to the row
    whose band (its single cells' top and bottom) holds their middle. Only a cell with figures in
    MIN_PARTED_FIGURES of those rows or more: a label spanning its rows (服务能力) is centred in one of them."""
    bands = [_band(cells) for cells in rows]
    parted = [list(cells) for cells in rows]
    for cell in {id(c): c for cells in rows for c in cells if c.cell.row_span > 1}.values():
        spanned = range(cell.cell.row, min(len(rows), cell.cell.row + cell.cell.row_span))
        groups = {r: (band, [w for w in cell.words if band[0] <= (w.bbox[1] + w.bbox[3]) / 2 < band[1]])
                  for r in spanned if (band := bands[r]) is not None}
        if sum(any(ch.isdigit() for w in group for ch in w.text) for _, group in groups.values()) < MIN_PARTED_FIGURES:
            continue
        for r, (band, group) in groups.items():
            piece = CellText(cell=replace(cell.cell, row=r, row_span=1), bbox=(cell.bbox[0], band[0], cell.bbox[2], band[1]),
                             words=tuple(group), text="\n".join(join_line(line) for line in lines_of(group)),
                             confidence=confidence_of(group))
            parted[r] = [piece if c is cell else c for c in parted[r]]
    return parted


def _band(cells: Sequence[CellText]) -> tuple[float, float] | None:
    single = [c.bbox for c in cells if c.cell.row_span == 1]
    return (min(b[1] for b in single), max(b[3] for b in single)) if single else None


def parted_at_label(row: FormRow, labels: Labels) -> FormRow:
    """A ruled row whose grid lost a column rule, so that a value and the label right of it share one cell
    ('2019年5月12' · '是否注册法人' · '日', the date's 日 wrapped below it): the cell parted where that label's
    word begins, the words left of it one cell, the label's and those right of it the next."""
    cells: list[CellText] = []
    for cell in row.cells:
        cells.extend(_parted_cell(cell, labels))
    return row if len(cells) == len(row.cells) else FormRow(row.page, tuple(cells), ruled=row.ruled)


def _parted_cell(cell: CellText, labels: Labels) -> list[CellText]:
    """The cell, or its two parts where one of its words, not its first, is a whole label of ENDING_LABEL
    characters or more and the words left of it read as no label (a value)."""
    for word in cell.words:
        key = labels.match(word.text)[0]
        needles = [squeeze(label) for label in labels.by_key.get(key, ())] if key else []
        if not any(len(needle) >= ENDING_LABEL and squeeze(word.text).startswith(needle) for needle in needles):
            continue
        left = [w for w in cell.words if (w.bbox[0] + w.bbox[2]) / 2 < word.bbox[0]]
        right = [w for w in cell.words if w not in left]
        if not left or not "".join(w.text for w in left).strip(_FILLER_CHARS):
            continue
        first = _cell_of(cell, left, (cell.bbox[0], cell.bbox[1], word.bbox[0], cell.bbox[3]))
        if labels.match(first.text)[0] is not None:
            continue
        return [first, _cell_of(cell, right, (word.bbox[0], cell.bbox[1], cell.bbox[2], cell.bbox[3]))]
    return [cell]


def _cell_of(cell: CellText, words: Sequence[Word], box: tuple[float, float, float, float]) -> CellText:
    text = "\n".join(join_line(line) for line in lines_of(words))
    return CellText(cell=cell.cell, bbox=box, words=tuple(words), text=text.strip(),
                    confidence=round(confidence_of(words), 4), reread=cell.reread)


def collapsed(rows: Sequence[FormRow], labels: Labels, most: int = 1) -> bool:
    """Some cell holds more than `most` of the form's labels: rules the grid missed ran cells together.
    A label with one character misread counts too: a phone photo's small print that loses the rules also
    blurs the labels ('全头单位名称' · '成立时间' in one cell of a grid found from three stray lines, dev24 a04),
    and counting exact labels only left that grid standing, the form's places read as nothing."""
    for row in rows:
        for cell in row.cells:
            hay = squeeze(cell.text)
            if len(hay) < 8:
                continue
            keys = {key for key, names in labels.by_key.items() if any(holds_label(hay, squeeze(name)) for name in names)}
            if len(keys) > most:
                return True
    return False


@dataclass(frozen=True)
class Found:
    """A label cell: where it is and which key it names."""

    row: int
    col: int  # index into FormRow.cells
    key: str


def _ident(row: FormRow, cell: CellText) -> tuple[int, int, int, int, int]:
    # The box's left too: a cell parted at a label (`parted_at_label`) is two cells of one grid cell.
    return (row.page, cell.cell.row, cell.cell.col, round(cell.bbox[1]), round(cell.bbox[0]))


def find_labels(rows: Sequence[FormRow], labels: Labels) -> list[Found]:
    """Every label cell, in reading order (a spanning label cell is reported once, on its first row)."""
    found: list[Found] = []
    seen: set[tuple[int, int, int, int, int]] = set()
    for r, row in enumerate(rows):
        for c, cell in enumerate(row.cells):
            if _ident(row, cell) in seen:
                continue
            key, _ = labels.match(cell.text)
            stacked = stacked_label_rest(rows, r, c, labels) if key is None else None
            if stacked is not None:
                key, rest = stacked
                seen.add(_ident(rows[r + 1], rest))
            if key is not None:
                seen.add(_ident(row, cell))
                found.append(Found(r, c, key))
    return found


def stacked_label_rest(rows: Sequence[FormRow], r: int, c: int, labels: Labels) -> tuple[str, CellText] | None:
    """A two-line label whose first line is too short to name it alone ('服务的主' · '要行业', '统一社会' ·
    '信用代码'), on lines of text: the cell on the next line under this one (overlapping its columns, no
    more than a line below) whose text completes this cell's into a label this cell's text begins. Returns
    the key and that second line; None where the cell is not such a first line. The second line alone may
    name the same label ('信用代码'), never another."""
    row, cell = rows[r], rows[r].cells[c]
    if row.ruled or r + 1 >= len(rows) or rows[r + 1].page != row.page or len(squeeze(cell.text)) < 2:
        return None
    height = cell.bbox[3] - cell.bbox[1]
    for below in rows[r + 1].cells:
        gap = below.bbox[1] - cell.bbox[3]
        if _overlap(cell.bbox[0], cell.bbox[2], below.bbox[0], below.bbox[2]) <= 0 or not -height / 2 <= gap <= height:
            continue
        key, _ = labels.match(cell.text + below.text)
        alone = labels.match(below.text)[0]
        starts = key is not None and any(squeeze(label).startswith(squeeze(cell.text)) for label in labels.by_key[key])
        if key is not None and starts and alone in (None, key):
            return key, below
    return None


@dataclass(frozen=True)
class Value:
    """The text right of a label and the cells it came from."""

    text: str
    cells: tuple[CellText, ...]
    page: int


def value_right_of(rows: Sequence[FormRow], at: Found, labels: Labels, label_text: str,
                   found: Sequence[Found] = ()) -> Value:
    """The label cell's own text after the label, then following cells of its row up to the next label cell.

    On rows that are lines of text (`found` given: every label cell of the form), the next label may
    stand a line above or below (a two-line label is centred on its cell), and a value beside a two-line
    label may be a line of its own between the label's lines: both are looked for on the lines beside.
    """
    row = rows[at.row]
    own = row.cells[at.col]
    stop = math.inf if row.ruled else next_label_x(rows, at, found)
    parts: list[str] = []
    cells: list[CellText] = []
    end = label_end(own.flat, label_text)
    rest = own.flat[end:] if end is not None else ""
    printed = " ".join(labels.by_key.get(at.key, (label_text,)))
    rest = _strip_label_tail(rest, printed)
    if rest.strip(_FILLER_CHARS):
        parts.append(rest)
        cells.append(own)
    for cell in row.cells[at.col + 1:]:
        if labels.match(cell.text)[0] is not None or _centre_x(cell) >= stop:
            if (before := text_before_label(cell.text, labels)).strip(_FILLER_CHARS):
                parts.append(before)  # this value, then the next label in one cell: a rule lost
                cells.append(cell)
            break
        if not row.ruled and _centre_x(cell) < own.bbox[2]:
            continue  # the label's second line (服务的主要 · 行业), however misread: it stands in the label's column
        text = cell.text
        if not parts:
            text = _without_label_note(text, printed)
        if text.strip(_FILLER_CHARS):
            parts.append(text)
            cells.append(cell)
    if not cells and not row.ruled:
        cells = _value_on_lines_beside(rows, at, labels, stop, found)
        parts = [cell.text for cell in cells]
    text = _LABEL_SPILL.sub("", " ".join(parts).strip(_FILLER_CHARS))
    return Value(text, tuple(cells), row.page)


def text_before_label(text: str, labels: Labels) -> str:
    """The text of a cell before the label that ends it ('2014/11/24' of '2014/11/24 是否注册法人'), or ''.
    On lines of text the label may end the cell with its first line only ('2009/11/2是否注册法' · '人'):
    WRAPPED_LABEL_START characters of its start or more, which no value ends with."""
    key = labels.match(text)[0]
    for label in labels.by_key.get(key, ()) if key else ():
        needle = squeeze(label)
        if len(needle) < ENDING_LABEL:
            continue
        for size in range(len(needle), min(len(needle), WRAPPED_LABEL_START) - 1, -1):
            if size == len(needle) or squeeze(text).endswith(needle[:size]):
                ending = re.search(r"\W*".join(map(re.escape, label[:_printed_length(label, size)])) + r"\W*$", text)
                if ending:
                    return text[:ending.start()]
    return ""


def _printed_length(label: str, size: int) -> int:
    """How many characters of `label` as printed hold its first `size` squeezed characters."""
    count = 0
    for index, char in enumerate(label):
        count += bool(squeeze(char))
        if count == size:
            return index + 1
    return len(label)


def _centre_x(cell: CellText) -> float:
    return (cell.bbox[0] + cell.bbox[2]) / 2


def _beside(rows: Sequence[FormRow], at: Found, reach: float) -> list[int]:
    """The rows of the label's page whose lines lie within `reach` label heights above or below the label."""
    label = rows[at.row].cells[at.col].bbox
    height = label[3] - label[1]
    top, bottom = label[1] - reach * height, label[3] + reach * height
    page = rows[at.row].page
    return [r for r, row in enumerate(rows)
            if row.page == page and not row.ruled and row.cells
            and top < (min(c.bbox[1] for c in row.cells) + max(c.bbox[3] for c in row.cells)) / 2 < bottom]


def _overlap(a: float, b: float, c: float, d: float) -> float:
    return max(0.0, min(b, d) - max(a, c))


def next_label_x(rows: Sequence[FormRow], at: Found, found: Sequence[Found]) -> float:
    """Where the next label to the right begins, on the label's line or on a line overlapping it (the
    first line of a two-line label beside it)."""
    label = rows[at.row].cells[at.col].bbox
    page = rows[at.row].page
    starts = [box[0] for f in found if rows[f.row].page == page
              for box in (rows[f.row].cells[f.col].bbox,)
              if _overlap(box[1], box[3], label[1], label[3]) >= SAME_LINE * (label[3] - label[1])]
    return min((x for x in starts if x > label[2]), default=math.inf)


def _value_on_lines_beside(rows: Sequence[FormRow], at: Found, labels: Labels, stop: float,
                           found: Sequence[Found]) -> list[CellText]:
    """A value printed on a line of its own beside its label (between the lines of a two-line label)."""
    label = rows[at.row].cells[at.col].bbox
    return [cell for cell in cells_beside(rows, at, found, label[2], stop) if labels.match(cell.text)[0] is None]


def cells_beside(rows: Sequence[FormRow], at: Found, found: Sequence[Found], left: float, right: float,
                 reach: float = BESIDE) -> list[CellText]:
    """The cells between `left` and `right` on the lines of text within `reach` label heights of a label's
    line (not on it), top to bottom: a value wrapped or centred off its label's line.

    A line holding a label of its own in this label's column, or between it and the cell, is another
    field's row: its text is that field's value.
    """
    label = rows[at.row].cells[at.col].bbox
    label_edges: dict[int, list[float]] = {}
    for f in found:
        label_edges.setdefault(f.row, []).append(rows[f.row].cells[f.col].bbox[2])

    def owned(r: int, cell: CellText) -> bool:
        return any(label[0] < x1 <= cell.bbox[0] + 1 for x1 in label_edges.get(r, ()))

    cells = [cell for r in _beside(rows, at, reach) if r != at.row for cell in rows[r].cells
             if left < _centre_x(cell) < right and cell.text and not owned(r, cell)]
    return sorted(cells, key=lambda c: (c.bbox[1], c.bbox[0]))


def _strip_label_tail(text: str, labels: str = "") -> str:
    """Drop a bracketed note that belongs to the label ((具体到区县), (请标明)) from the start of a value; a
    note the label's line break cut before its close ('（具体' of 注册地（具体 / 到区县）) goes as far as
    it follows the note printed in the field's `labels`."""
    stripped = text.lstrip(_LABEL_TAIL)
    if stripped[:1] in "（(":
        close = max(stripped.find("）"), stripped.find(")"))
        if 0 < close <= 10:
            return stripped[close + 1:]
        note = re.search(r"[（(]([^）)]+)", labels)
        if close < 0 and note and (rest := _after_unclosed_note(stripped[1:], note.group(1), 1)) is not None:
            return rest
    return stripped


def _after_unclosed_note(body: str, note: str, least: int) -> str | None:
    """What follows a note whose bracket was never closed (`body`, after the bracket): the text past the note's
    first `least` characters or more, read as printed; '' where the body is the note's start misread; None
    where it is neither."""
    shared = _note_shared(body, note)
    if shared >= least:
        return body[shared:].lstrip(_LABEL_TAIL)
    return "" if _misread_note_start(body, note) else None


def _note_shared(text: str, note: str) -> int:
    """How many of `text`'s first characters are the note's first."""
    return next((n for n in range(len(text), 0, -1) if note.startswith(text[:n])), 0)


def _without_label_note(text: str, labels: str) -> str:
    """A value's first cell without the label's bracketed note it opens with, read as a word of its own ('注册地' ·
    '(具体到' · '辽宁省…'): only as far as the note printed in `labels` says, so that a value's own bracket stays."""
    stripped = text.lstrip(_LABEL_TAIL)
    note = re.search(r"[（(]([^）)]+)", labels)
    if note is None or stripped[:1] not in "（(":
        return text
    body = stripped[1:]
    close = next((index for index, char in enumerate(body) if char in "）)"), -1)
    if close < 0:
        rest = _after_unclosed_note(body, note.group(1), 2)
        return text if rest is None else rest
    inside = body[:close]
    if _note_shared(inside, note.group(1)) >= 2 or _misread_note_start(inside, note.group(1)):
        return body[close + 1:].lstrip(_LABEL_TAIL)
    return text


def _misread_note_start(body: str, note: str) -> bool:
    """An unclosed bracket's text no longer than the label's note, half its characters or more those of the
    note's start in their places: the note cut by the label's line break and misread ('（民体到K' of
    （具体到区县）, a phone photo), not a value (a value opens with no bracket)."""
    return 2 <= len(body) <= len(note) and 2 * sum(a == b for a, b in zip(body, note, strict=False)) >= len(body)
