"""附2/附3 → `Appendix`: each table recognised, followed across pages, its rows typed with provenance.

A table with a header starts (or repeats) its spec.  A table without one continues the
table before it when it is the first table on its page and its columns line up with
that table's header (same column count, or header x-ranges over its columns); failing
that, its title or (as weakest evidence) the page role names the spec and columns are
taken by position.  Merged cells give their value to every row they span, and an
empty 类别 continues the one above (a merged cell cut by a page break).
"""

from __future__ import annotations

import logging
import re
import statistics
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace

from models import Appendix, Check, Provenance
from models.page import Box, Page, Word
from pipeline.config import Settings
from pipeline.ocr import OcrEngine, get_engine
from pipeline.result import Extracted
from pipeline.tables.bands import stacked_labels
from pipeline.tables.cells import CellText, Table, cell_text, fill_cells
from pipeline.tables.finder import (
    cell_reader,
    find_tables,
    print_images,
    rows_above,
    rows_below,
    stored_layers,
    text_table,
)
from pipeline.tables.geometry import Cell
from pipeline.tables.ghosts import page_black_level
from pipeline.tables.headers import (
    CATEGORY,
    SPEC_BY_ROLE,
    SPECS,
    Header,
    TableSpec,
    find_header,
    is_header_row,
    spec_from_title,
)
from pipeline.tables.labels import MIN_SCORE, label_score, squeeze
from pipeline.tables.lexicon import read_whole, respelt_cell
from pipeline.tables.reread import SecondReader
from pipeline.tables.rings import under_ring
from pipeline.tables.rows import DATE_TAIL, SEQ_KEY
from pipeline.tables.spans import split_spans
from pipeline.tables.unit_names import ending_repaired
from pipeline.tables.values import (
    NUMBER_KINDS,
    UNSURE,
    FieldValue,
    codes_in_column,
    header_unit,
    held_in_doubt,
    implausible_dropped,
    numbers_in_column,
    other_readings,
    points_in_column,
    read_value,
    round_box,
    second_opinion,
    thousands_in_column,
    typed,
    units_in_column,
)

log = logging.getLogger(__name__)

APPENDIX_ROLES = frozenset(SPEC_BY_ROLE)
SKIP_ROLES = frozenset({"blank", "cover", "commitment", "recommendation_letter"})
# Pages of prose: an appendix table there (a compact document's) is looked for, but not its faint rules.
PROSE_ROLES = frozenset({"plan", "attachments_list"})
# Pages that hold other tables: a headerless table there never continues an appendix table.
FORM_ROLES = frozenset({"basic_info", "plan", "attachments_list", "recommendation_table"})
# Page OCR misreads table cells often enough that every cell is worth its own reading (batched, see reread.py).
APPENDIX_REREAD_BELOW = 0.97
ALIGN_TOLERANCE = 6.0  # points: column edges of a continuation on an unlabelled page
_PLACEHOLDERS = frozenset({"", "...", "…", "……", "-", "—", "/", "／"})


@dataclass(frozen=True)
class Layout:
    """Where a spec's fields sit: grid columns of the table that set it, and their x-ranges on the page."""

    spec: TableSpec
    xs: tuple[float, ...]
    columns: dict[str, tuple[int, ...]]
    spans: dict[str, tuple[float, float]]
    units: dict[str, str] = field(default_factory=dict)  # field → header text (for 万元 / 元)

    @property
    def n_cols(self) -> int:
        return len(self.xs) - 1

    @staticmethod
    def of(table: Table, header: Header) -> Layout:
        spans = {}
        for name, cols in header.columns.items():
            spans[name] = (table.grid.xs[cols[0]], table.grid.xs[cols[-1] + 1])
        units = {name: unit for name, cell in header.cells.items() if (unit := header_unit(cell.text)) is not None}
        return Layout(header.spec, tuple(table.grid.xs), header.columns, spans, units)

    def aligned(self, table: Table) -> bool:
        """The table's column edges are this layout's (a continuation printed from the same template)."""
        xs = table.grid.xs
        return len(xs) == len(self.xs) and all(abs(a - b) <= ALIGN_TOLERANCE for a, b in zip(xs, self.xs, strict=True))

    def fit(self, table: Table) -> Layout | None:
        """This layout applied to a headerless table: by column index if the grids match, else by x-range."""
        if table.grid.n_cols == self.n_cols:
            return Layout(self.spec, tuple(table.grid.xs), self.columns, self.spans, self.units)
        columns: dict[str, tuple[int, ...]] = {}
        for name, (x0, x1) in self.spans.items():
            hits = tuple(c for c in range(table.grid.n_cols)
                         if x0 - 2 <= (table.grid.xs[c] + table.grid.xs[c + 1]) / 2 <= x1 + 2)
            if hits:
                columns[name] = hits
        if len(columns) < max(2, round(0.75 * len(self.spec.columns))):
            return None
        return Layout(self.spec, tuple(table.grid.xs), columns, self.spans, self.units)

    def regridded(self, table: Table) -> Table | None:
        """The table with the column rules it lost where it continues this layout's table: its outer edges are
        this layout's and its inner ones some of this layout's, the others missing (a continuation's one
        record on a page of its own, the rule between its name and its amount lost under a seal's ring: the
        two read as one cell and the amount in no column). A continuation is printed from the same template,
        so every edge of it is drawn in every row: its cells are cut at the missing edges and filled again.
        None where the table is not such a part of this layout's columns."""
        own = table.grid.xs
        if len(own) >= len(self.xs) or any(abs(a - b) > ALIGN_TOLERANCE for a, b in ((own[0], self.xs[0]),
                                                                                      (own[-1], self.xs[-1]))):
            return None
        if not all(any(abs(x - edge) <= ALIGN_TOLERANCE for edge in self.xs) for x in own[1:-1]):
            return None
        missing = [edge for edge in self.xs[1:-1] if not any(abs(edge - x) <= ALIGN_TOLERANCE for x in own)]
        xs = sorted([*own, *missing])
        index = {col: xs.index(x) for col, x in enumerate(own)}
        index[len(own) - 1] = len(xs) - 1
        cells = [Cell(cell.row, col, cell.row_span, 1, (xs[col], cell.bbox[1], xs[col + 1], cell.bbox[3]))
                 for cell in table.grid.cells
                 for col in range(index[cell.col], index[cell.col + cell.col_span])]
        grid = replace(table.grid, xs=xs, cells=cells)
        words = [word for cell in table.cells for word in cell.words]
        return replace(table, grid=grid, cells=fill_cells(grid, table.frame, words))

    @staticmethod
    def by_position(table: Table, spec: TableSpec) -> Layout | None:
        """The spec's columns in the table's order, where it has as many, or as many that any text fills (a
        sliver a broken frame added beside the last column holds none)."""
        order = list(range(table.grid.n_cols))
        if len(order) != len(spec.columns):
            order = sorted({cell.cell.col for cell in table.cells if cell.text.strip()})
        if len(order) != len(spec.columns):
            return None
        columns: dict[str, tuple[int, ...]] = {column.field: (col,) for col, column in zip(order, spec.columns,
                                                                                            strict=True)}
        spans = {name: (table.grid.xs[cols[0]], table.grid.xs[cols[0] + 1]) for name, cols in columns.items()}
        return Layout(spec, tuple(table.grid.xs), columns, spans)


@dataclass
class Collector:
    """Rows gathered per spec, with provenance and checks, in document order."""

    settings: Settings
    rows: dict[str, list[dict[str, FieldValue]]] = field(default_factory=lambda: {s.key: [] for s in SPECS})
    last_category: dict[str, FieldValue] = field(default_factory=dict)
    # Per table, where its rows are in doubt (`appendix.<table>` in the record's provenance).
    doubted: dict[str, Provenance] = field(default_factory=dict)
    # Per table, each field's header text as printed (its unit: 万元 or 元), from the header that set it.
    units: dict[str, dict[str, str]] = field(default_factory=dict)

    def add_row(self, spec: TableSpec, values: dict[str, FieldValue]) -> None:
        if "category" in values or any(c.field == "category" for c in spec.columns):
            category = values.get("category")
            if category is None or category.value is None:
                if spec.key in self.last_category:
                    values["category"] = self.last_category[spec.key]
            else:
                self.last_category[spec.key] = category
        self.rows[spec.key].append(values)

    def with_tail(self, spec: TableSpec, tail: dict[str, FieldValue], units: dict[str, str]) -> bool:
        """The last record of `spec` with the tail a page break cut off it (`is_tail`) read on after its lines
        ('2025年10月' · '26日', '…股份有限公' · '司'); False where there is no record to join it to."""
        rows = self.rows[spec.key]
        if not rows:
            return False
        last = dict(rows[-1])
        for column in spec.columns:
            part, before = tail.get(column.field), last.get(column.field)
            if part is None or before is None or not part.raw.strip():
                continue
            if column.kind in NUMBER_KINDS and before.value is not None:
                continue  # a record prints its figure once: what the tail holds there is a speck (`is_tail`)
            raw = f"{before.raw}\n{part.raw}"
            sureness = [c for c in (before.provenance.confidence, part.provenance.confidence) if c is not None]
            origin = before.provenance.model_copy(update={"confidence": min(sureness) if sureness else None})
            value = typed(raw, column.kind, units.get(column.field), spec.categories)
            last[column.field] = implausible_dropped(replace(before, value=value, raw=raw, provenance=origin), column.kind)
        rows[-1] = ending_repaired(spec.key, last)
        return True

    def rows_in_doubt(self, spec: TableSpec, table: Table) -> None:
        """Rows of `spec` on this table may be merged or lost: a cell over two records, a line a row
        boundary cuts, categories shared unsurely (`spans.split_spans`)."""
        if spec.key not in self.doubted:
            box = table.bbox
            self.doubted[spec.key] = Provenance(page=table.page, bbox=round_box(box), confidence=UNSURE)

    def _number_columns(self) -> None:
        """Each number column read as a whole: a '1.743' where the column writes '2,892.99' is 1,743, and
        a number narrower than its ink (by the column's print) lost characters; each code column too
        (`codes_in_column`: a head misread among codes of one scheme)."""
        for spec in SPECS:
            for column in spec.columns:
                if column.kind == "code":
                    rows = [row for row in self.rows[spec.key] if column.field in row]
                    for row, value in zip(rows, codes_in_column([row[column.field] for row in rows]), strict=True):
                        row[column.field] = value
                    continue
                if column.kind not in NUMBER_KINDS:
                    continue
                rows = [row for row in self.rows[spec.key] if column.field in row]
                values = numbers_in_column([row[column.field] for row in rows], self.settings.checks.confident)
                if column.kind == "amount":
                    values = points_in_column(thousands_in_column(values))
                    # The unit an amount is read in when it writes none (`values.typed`).
                    unit = self.units.get(spec.key, {}).get(column.field) or "万元"
                    values = units_in_column(values, unit)
                for row, value in zip(rows, values, strict=True):
                    row[column.field] = held_in_doubt(value) if value.ringed else value

    def _seq_runs(self) -> None:
        """A 序号 the reader lost (pale print, a seal over it) taken from the run it stands in: where the
        rows' other 序号 (within one 类别, where the table has them, or through the whole table, as a
        table numbered through its 类别 does) are exactly 1, 2, 3 … by position, the missing ones are
        their positions too (provenance: derived, `resolved_by` seq_run)."""
        for spec in SPECS:
            if not any(column.field == "seq" for column in spec.columns):
                continue
            rows = self.rows[spec.key]
            _misread_in_run(rows)
            groups = [rows] if _numbered_run(rows) else _category_groups(rows)
            for group in groups:
                if not _numbered_run(group):
                    continue
                for index, row in enumerate(group):
                    if "seq" in row and row["seq"].value is None:
                        origin = row["seq"].provenance
                        row["seq"] = replace(row["seq"], value=index + 1, provenance=origin.model_copy(
                            update={"source": "derived", "resolved_by": "seq_run", "confidence": origin.confidence}))

    def result(self) -> Extracted[Appendix]:
        provenance: dict[str, Provenance] = {}
        checks: list[Check] = []
        tables: dict[str, list[dict[str, object]]] = {}
        self._seq_runs()
        self._number_columns()
        for key, origin in self.doubted.items():
            provenance[f"appendix.{key}"] = origin
        for key, rows in self.rows.items():
            tables[key] = []
            for index, row in enumerate(rows):
                tables[key].append({name: value.value for name, value in row.items()})
                for name, value in row.items():
                    path = f"appendix.{key}[{index}].{name}"
                    provenance[path] = value.provenance
                    check = value.check(path, self.settings.low_confidence)
                    if check is not None:
                        checks.append(check)
        return Extracted(Appendix.model_validate(tables), provenance, checks)


SEQ_RUN_KNOWN = 2  # 序号 read in a group before its run fills the ones lost


def _numbered_run(rows: list[dict[str, FieldValue]]) -> bool:
    """The rows' 序号 read (at least `SEQ_RUN_KNOWN`) are exactly their positions, 1, 2, 3 …"""
    known = [(index, row["seq"].value) for index, row in enumerate(rows) if "seq" in row and row["seq"].value is not None]
    return len(known) >= SEQ_RUN_KNOWN and all(value == index + 1 for index, value in known)


SEQ_RUN_AROUND = 3  # 序号 read as their positions around the one that repeats an earlier one


def _misread_in_run(rows: list[dict[str, FieldValue]]) -> None:
    """A 序号 read as one the table already numbered, where every other 序号 read (at least `SEQ_RUN_AROUND`)
    is its position: a number is not given twice, so its position is another reading of it, for the run
    (reconciliation's SEQ_RUN) to pick where that alone makes it hold (dev39 a12: 附3表2's 4 read as 1, its
    PROVIDER_CAPABILITY_TOO_LONG reported at 序号 1)."""
    known = [(index, row["seq"]) for index, row in enumerate(rows) if "seq" in row and row["seq"].value is not None]
    off = [(index, seq) for index, seq in known if seq.value != index + 1]
    if len(off) != 1 or len(known) - 1 < SEQ_RUN_AROUND:
        return
    index, seq = off[0]
    if not isinstance(seq.value, int) or not 1 <= seq.value < index + 1 or _opens_category(rows, index):
        return
    origin = seq.provenance
    rows[index]["seq"] = replace(seq, provenance=origin.model_copy(
        update={"alternatives": [*origin.alternatives, index + 1]}))


def _opens_category(rows: list[dict[str, FieldValue]], index: int) -> bool:
    """Row `index` begins another 类别 than the row before's: a table numbered afresh in each group starts
    its 序号 again there."""
    if index == 0 or "category" not in rows[index]:
        return False
    return rows[index]["category"].value != rows[index - 1].get("category", rows[index]["category"]).value


def _category_groups(rows: list[dict[str, FieldValue]]) -> list[list[dict[str, FieldValue]]]:
    """Consecutive rows of one 类别 (the whole table where it has none): each numbers its rows from 1."""
    groups: list[list[dict[str, FieldValue]]] = []
    previous: object = object()
    for row in rows:
        category = row["category"].value if "category" in row else None
        if not groups or category != previous:
            groups.append([])
        groups[-1].append(row)
        previous = category
    return groups


# Pieces of the form's note under each appendix table (注：申报单位（联合体牵头单位及涉及单位）加盖公章。), any
# one of which a fax's reading keeps where it garbles the rest ('主：申报', '日盖公章').
NOTE_PIECES = ("盖公章", "牵头单位及涉及单位")


def _is_note(cells: Sequence[CellText]) -> bool:
    """The note under the table: it ends the records. Read garbled, a piece of its wording in a row holding no
    digit (a record has a 序号, a date or an amount) still names it."""
    text = "".join(c.flat for c in cells).strip()
    if text.startswith(("注", "备注")) or ("加盖公章" in text and "申报单位" in text):
        return True
    return any(piece in text for piece in NOTE_PIECES) and not any(ch.isdigit() for ch in text)


def _is_total(cells: Sequence[CellText]) -> bool:
    first = next((c.flat.replace(" ", "") for c in cells if c.text), "")
    return first in ("合计", "总计", "小计", "合 计")


def _continues_above(cells: Sequence[CellText], index: int) -> bool:
    """A grid row whose text all belongs to cells begun above it (a wrapped line a rule cut off): no record."""
    filled = [c for c in cells if c.text]
    return bool(filled) and all(c.cell.row < index for c in filled)


def _goes_on_below(table: Table, cells: Sequence[CellText], index: int) -> bool:
    """A grid row whose text all belongs to cells that go on into the row below, its own cells empty, where the
    row below holds text of its own (a sliver a stray piece of rule cut off the top of a record, its 序号 in the
    row below): the record is the row below's, which reads those cells again; read here too, it would stand
    twice. Without text of its own below, the spanning cells are this row's record (a blank row under it)."""
    filled = [c for c in cells if c.text]
    if not filled or any(c.cell.row + c.cell.row_span - 1 <= index for c in filled) or index + 1 >= table.grid.n_rows:
        return False
    return any(c.text.strip() and c.cell.row == index + 1 for c in table.row(index + 1))


HEADER_NAMED = 2  # header cells OCR left readable enough to name their own column (the rest garbled)


def _names_columns(cells: Sequence[CellText], layout: Layout) -> bool:
    """A header row read too poorly to be recognised as one (a fax's 合同编号 as 合閥縮學): two or more cells
    name the column they stand in, and no cell holds a digit (every data row has a 序号, date or amount)."""
    if any(ch.isdigit() for cell in cells for ch in cell.text):
        return False
    named = 0
    for column in layout.spec.columns:
        cols = layout.columns.get(column.field, ())
        texts = [c.text for c in cells if c.text and any(c.cell.col <= col < c.cell.col + c.cell.col_span for col in cols)]
        named += any(label_score(text, label) >= MIN_SCORE for text in texts for label in column.labels)
    return named >= HEADER_NAMED


def _label_part(cell: CellText, layout: Layout) -> bool:
    """The text is part of a header label: it closes a bracket it does not open ('日）', '元）'), is a
    bracket alone ('（年/月/日）'), or names the column it stands in ('服务企业名称')."""
    text = "".join(cell.flat.split())
    opened, closed = sum(text.count(mark) for mark in "(（"), sum(text.count(mark) for mark in ")）")
    if closed > opened or (text[:1] in "(（" and text[-1:] in ")）"):
        return True
    return any(label_score(text, label) >= MIN_SCORE for column in layout.spec.columns
               if any(cell.cell.col <= col < cell.cell.col + cell.cell.col_span for col in layout.columns.get(column.field, ()))
               for label in column.labels)


def _header_remains(cells: Sequence[CellText], layout: Layout) -> bool:
    """A header's labels wrapped below a rule the header's row kept ('日期（年/月/' · '日）', '合同金额（万' ·
    '元）', a label under its column's other label): every text of the row is part of a label, and none holds
    a digit (every data row has a 序号, a date or an amount)."""
    filled = [c for c in cells if c.text.strip()]
    return bool(filled) and not any(ch.isdigit() for c in filled for ch in c.text) \
        and all(_label_part(c, layout) for c in filled)


SPECK_CHARS = 2  # a row's only text this short, without a Chinese character, is dust or a seal's remains


def _specks_only(values: dict[str, FieldValue], spec: TableSpec) -> bool:
    """A row without its key (序号 or date) whose text is a speck or two (I · 。 · a seal stroke read as 1),
    or holds neither a Chinese character nor a digit (a seal's ring under the last rule read as 'IL .L';
    every record names something in Chinese or counts something): no record."""
    key = "seq" if any(c.field == "seq" for c in spec.columns) else "date"
    if not any(_is_hanzi(ch) or ch.isdigit() for name, v in values.items() if name != "category" for ch in v.raw):
        return True
    if key in values and values[key].raw.strip():
        return False
    texts = [squeeze(v.raw) for name, v in values.items() if name not in ("category", key) and v.raw.strip()]
    return all(len(text) <= SPECK_CHARS and not any(_is_hanzi(ch) for ch in text) for text in texts)


def _nothing_read(values: dict[str, FieldValue], spec: TableSpec) -> bool:
    """A row without its key (序号 or date) in which no column gave a value: its only text is marks no
    column reads ('(月' of a header's '(万元)' a phone photo garbled, over a table whose header was not
    found). Every record names or counts something; a numbered record whose cells were lost keeps its key
    and is no such row (`_unread`)."""
    key = "seq" if any(c.field == "seq" for c in spec.columns) else "date"
    if key in values and values[key].raw.strip():
        return False
    return all(v.value in (None, []) for name, v in values.items() if name != "category")


def _is_hanzi(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff"


def _key_cell_end(cells: Sequence[CellText], index: int, layout: Layout) -> int:
    """The last grid row of the record grid row `index` opens: where its key cell (序号, else the date)
    begins here and spans further rows holding one key at most, a rule found inside one record (a
    character's stroke, a faint rule's ghost) cut its other cells, for a key column never merges two
    records' cells (`spans.split_spans` parts a key cell holding two keys).  `index` itself otherwise."""
    key = "seq" if "seq" in layout.columns else "date"
    cols = layout.columns.get(key, ())
    if len(cols) != 1:
        return index
    cell = next((c for c in cells if c.cell.col <= cols[0] < c.cell.col + c.cell.col_span), None)
    if cell is None or cell.cell.row != index or cell.cell.row_span < 2 or cell.cell.col_span > 1:
        return index
    # A date wrapped in a narrow column ('2024年5月28' · '日', '2024年' · '5月28日') is one key: a line counts
    # as one when it opens a key (a 序号, or a date's year).
    keys = [line for line in cell.text.splitlines() if _opens_key(line.replace(" ", ""))]
    last = cell.cell.row + cell.cell.row_span - 1
    others = [c for c in cells if c is not cell and c.cell.col not in layout.columns.get("category", ())]
    # Where most other cells are cut at the same rows too, the key column lost a rule (and a key): two records.
    # A cut cell holding nothing parts no record (a stroke read as a rule left an empty sliver above one).
    cut = [c for c in others if c.cell.row + c.cell.row_span - 1 < last and c.text.strip()]
    return last if len(keys) <= 1 and 2 * len(cut) < len(others) else index


def _upper_part_of_next(table: Table, cells: Sequence[CellText], index: int, layout: Layout) -> bool:
    """Grid row `index` holds text but no key, and is the upper part of the record the next row keys: a
    stroke read as a rule cut that record between its lines (绍兴和昌网络科技股份有限 | 1 公司).  In every
    column where this row has text, the next row's text there sits below its key's middle (a second line),
    and the two rows' text together stands centred on the key, as a record's cells do.  A record whose key
    was lost is no such part: the next record's cells stand centred on their own key, or, where keys stand
    on a record's first line, the two rows' text together lies far above it."""
    key = "seq" if "seq" in layout.columns else "date"
    cols = layout.columns.get(key, ())
    if len(cols) != 1 or index + 1 >= table.grid.n_rows:
        return False
    own = _key_cell(cells, cols[0], index)
    below = table.row(index + 1)
    next_key = _key_cell(below, cols[0], index + 1)
    if own is None or own.text.strip() or next_key is None or not next_key.words \
            or not _opens_key(next_key.flat.replace(" ", "")):
        return False
    middle = _middle(next_key.words)
    height = statistics.fmean(w.bbox[3] - w.bbox[1] for w in next_key.words)
    upper = [c for c in cells if c.cell.row == index and c.words and c.text.strip()]
    return bool(upper) and all(_goes_on_centred(cell, below, middle, height, index + 1) for cell in upper)


def _goes_on_centred(cell: CellText, below: Sequence[CellText], middle: float, height: float, row: int) -> bool:
    """`cell`'s column goes on in grid row `row` with text below the key's `middle` (a quarter of its height or
    more), which with `cell`'s text stands nearer the key's middle than alone."""
    lower = next((c for c in below if c.cell.row == row and c.cell.col == cell.cell.col and c.words), None)
    if lower is None:
        return False
    alone = _middle(lower.words)
    joined = (min(w.bbox[1] for w in cell.words) + max(w.bbox[3] for w in lower.words)) / 2
    return alone - middle >= 0.25 * height and abs(joined - middle) < abs(alone - middle)


def _middle(words: Sequence[Word]) -> float:
    return (min(w.bbox[1] for w in words) + max(w.bbox[3] for w in words)) / 2


def _key_cell(cells: Sequence[CellText], col: int, row: int) -> CellText | None:
    """The key column's cell of grid row `row`, where it is that row's own (one row, one column)."""
    cell = next((c for c in cells if c.cell.col <= col < c.cell.col + c.cell.col_span), None)
    if cell is None or cell.cell.row != row or cell.cell.row_span != 1 or cell.cell.col_span != 1:
        return None
    return cell


YEAR = re.compile(r"(?:19|20)\d{2}")


def _opens_key(line: str) -> bool:
    """A cell line that begins a key of its own: a 序号, or a date (its year)."""
    return bool(SEQ_KEY.fullmatch(line) or YEAR.match(line))


def own_columns(table: Table, cell: CellText, cols: Sequence[int], layout: Layout) -> CellText:
    """The part of `cell` over a number field's own columns `cols`, where the cell runs on into another
    field's (a rule between them lost under a seal's stroke or a photo's blur) and its words lie each on
    one side of the lost rule: only the words there are the number's. The whole cell would give the
    number the other field's digits ('2025年…讲座' beside its 111 read as 2025 participants). A word read
    across the lost rule ('…诊断师培训286'), or other words without a digit, leave the cell whole: its
    reading is the number's, and cut out, the number would be read again on a crop of its own, not more
    surely ('286' as 281). A cell over the field's columns alone is kept as it is."""
    spanned = range(cell.cell.col, cell.cell.col + cell.cell.col_span)
    others = {col for field, columns in layout.columns.items() for col in columns if col not in cols}
    if not others.intersection(spanned):
        return cell
    boxes = _boxes_inside(table, cell, cols)
    if boxes is None:
        return cell
    left, right = table.grid.xs[cols[0]], table.grid.xs[cols[-1] + 1]
    words = [word for word, box in zip(cell.words, boxes, strict=True) if left <= _centre_x(box) < right]
    if not any(char.isdigit() for word in cell.words if word not in words for char in word.text):
        return cell  # the other field's words hold no digit to give the number: the cell's reading stands
    return _piece(table, cell, cols, words)


def own_words(table: Table, cell: CellText, cols: Sequence[int], layout: Layout) -> CellText:
    """A code's or a name's part of a cell run on over another field's columns (the rule between them lost in
    one row, dev45 a04's 'SZZX2024038' and '温州嘉恒…有限公司' one cell, both given to both fields): the words
    over the field's own columns `cols`, where no word reaches over both the field's columns and another
    field's, and both hold words. A word read across, or words on one side only, leave the cell whole."""
    spanned = range(cell.cell.col, cell.cell.col + cell.cell.col_span)
    others = [col for columns in layout.columns.values() for col in columns if col not in cols and col in spanned]
    if not others:
        return cell
    xs = table.grid.xs
    own = (xs[cols[0]], xs[cols[-1] + 1])
    spans = [(xs[col], xs[col + 1]) for col in others]
    boxes = [table.frame.box_to_table(word.bbox) for word in cell.words]
    if any(_reaches(box, own) and any(_reaches(box, span) for span in spans) for box in boxes):
        return cell
    words = [word for word, box in zip(cell.words, boxes, strict=True) if _reaches(box, own)]
    if not words or len(words) == len(cell.words) or not any(_reaches(box, span) for box in boxes for span in spans):
        return cell
    return _piece(table, cell, cols, words)


def _reaches(box: Box, span: tuple[float, float]) -> bool:
    """The box lies in part between the xs of `span`."""
    return box[0] < span[1] and box[2] > span[0]


def without_figures_beside(table: Table, cell: CellText, cols: Sequence[int], layout: Layout) -> CellText:
    """A text field's cell without the figures of a number field it runs on into (the rule between them lost
    under a seal's ring): '绍兴联宇…有限公司' and, beyond the lost rule, '54.60万元', the amount `own_columns`
    gives the amount field, would be the company's name with its contract's amount.  Words wholly over the
    number's columns and holding a digit go; a word read across the lost rule leaves the cell whole."""
    spanned = range(cell.cell.col, cell.cell.col + cell.cell.col_span)
    numbers = {col for column in layout.spec.columns if column.kind in NUMBER_KINDS
               for col in layout.columns.get(column.field, ()) if col not in cols and col in spanned}
    if not numbers:
        return cell
    boxes = _boxes_inside(table, cell, cols)
    if boxes is None:
        return cell
    xs = table.grid.xs
    figures = [word for word, box in zip(cell.words, boxes, strict=True)
               if any(char.isdigit() for char in word.text)
               and any(xs[col] <= _centre_x(box) < xs[col + 1] for col in numbers)]
    if not figures:
        return cell
    return _piece(table, cell, cols, [word for word in cell.words if word not in figures])


def _boxes_inside(table: Table, cell: CellText, cols: Sequence[int]) -> list[Box] | None:
    """The cell's word boxes in the table's frame, or None when a word is read across an edge of the field's
    columns `cols` (the lost rule's place): then the cell cannot be parted there."""
    left, right = table.grid.xs[cols[0]], table.grid.xs[cols[-1] + 1]
    boxes = [table.frame.box_to_table(word.bbox) for word in cell.words]
    return None if any(box[0] < edge < box[2] for box in boxes for edge in (left, right)) else boxes


def _piece(table: Table, cell: CellText, cols: Sequence[int], words: list[Word]) -> CellText:
    """The field's part of a cell run on over other fields' columns: `words` over the columns `cols`."""
    box = (table.grid.xs[cols[0]], cell.cell.bbox[1], table.grid.xs[cols[-1] + 1], cell.cell.bbox[3])
    piece = cell_text(Cell(cell.cell.row, cols[0], cell.cell.row_span, len(cols), box), table.frame, words)
    return replace(piece, reread=cell.reread)


def _centre_x(box: Box) -> float:
    return (box[0] + box[2]) / 2


def _record_cells(table: Table, first: int, last: int) -> list[CellText]:
    """The distinct cells of grid rows first..last, in row order (a cell spanning several appears once)."""
    seen: dict[tuple[int, int], CellText] = {}
    for row in range(first, last + 1):
        for cell in table.row(row):
            seen.setdefault((cell.cell.row, cell.cell.col), cell)
    return sorted(seen.values(), key=lambda c: (c.cell.row, c.cell.col))


def iter_rows(table: Table, layout: Layout, start: int,
              read: Callable[[Box], Sequence[tuple[str, float]]] | None = None,
              reader: SecondReader | None = None,
              labels: dict[int, CellText] | None = None,
              ringed: Callable[[Sequence[Word]], bool] | None = None) -> Iterator[dict[str, FieldValue]]:
    """Data rows (field → value) from grid row `start` on, until a note row ends the table.

    `labels` (grid row → its 类别) replaces the 类别 cells of a table without rules (`centred_labels`).

    With `read` (a second engine on the page), a number or date that does not validate is read again;
    with `reader` (the page's cell reader), every number keeps the other readings the recogniser's
    posteriors give its crop, and the width of its ink (`values.numbers_in_column`), and a name's character
    the lexicon cannot place is exchanged for one the posteriors hold that it can, as is an industry's the
    form's list of industries does not hold (`lexicon.respelt_cell`).

    With `ringed` (whether a seal's ring crosses a figure's words, `rings.under_ring`), a number so crossed
    is marked (`FieldValue.ringed`): its reading is in doubt however sure (`Collector._number_columns`).
    """
    spec = layout.spec
    joined_to = -1  # grid rows up to here belong to a record read with the row its key cell opens
    unread: list[dict[str, FieldValue]] = []  # numbered rows without a reading, until a filled row follows
    previous: tuple[object, object] = (None, None)  # the 类别 and 序号 of the last record
    for index in range(start, table.grid.n_rows):
        if index <= joined_to:
            continue
        cells = table.row(index)
        if _is_note(cells):
            break
        last = _key_cell_end(cells, index, layout)
        if last == index and _upper_part_of_next(table, cells, index, layout):
            last = index + 1
        if last > index:
            cells = _record_cells(table, index, last)
            joined_to = last
        if _is_total(cells) or is_header_row(cells, spec) or _continues_above(cells, index) \
                or (last == index and _goes_on_below(table, cells, index)) \
                or _names_columns(cells, layout) or _header_remains(cells, layout):
            continue
        values: dict[str, FieldValue] = {}
        for column in spec.columns:
            cols = layout.columns.get(column.field)
            if cols is None:
                continue
            hits = [c for c in cells if any(c.cell.col <= col < c.cell.col + c.cell.col_span for col in cols)]
            if column.kind in NUMBER_KINDS:
                hits = [own_columns(table, c, cols, layout) for c in hits]
            elif column.kind == "text":
                hits = [without_figures_beside(table, own_words(table, c, cols, layout), cols, layout) for c in hits]
            elif column.kind == "code":
                hits = [own_words(table, c, cols, layout) for c in hits]
            if column.field == "category":
                hits = [labels[index]] if labels is not None and index in labels \
                    else [own_label(c, index, table, spec.categories) for c in hits]
            if hits:
                unit = layout.units.get(column.field)
                value = read_value(hits, column, table.page, unit, spec)
                if read is not None:
                    value = second_opinion(value, column.kind, unit, read)
                if reader is not None:
                    value = read_whole(value, column.kind, reader.ink_glyphs, reader.line_posteriors)
                    value = respelt_cell(value, column.kind, reader.line_posteriors)
                if reader is not None and column.kind in NUMBER_KINDS and value.provenance.bbox is not None:
                    value = replace(value, ink_width=reader.ink_width(_box(value)),
                                    others=other_readings(reader.digits(_box(value)), column.kind, unit))
                if ringed is not None and column.kind in NUMBER_KINDS and isinstance(value.value, int | float) \
                        and ringed([word for cell in hits for word in cell.words if word.source == "ocr"]):
                    value = replace(value, ringed=True)
                values[column.field] = value
        content = [v for name, v in values.items() if name not in ("category", "seq")]
        if all(v.raw.strip() in _PLACEHOLDERS for v in content):
            # A blank template row (its 序号 or 类别 may be printed), unless records follow it: a 序号 of its
            # own between filled rows numbers a record whose cells could not be read (a seal over them).
            if _own_seq(cells, index, layout) and "seq" in values and values["seq"].value is not None:
                unread.append(_unread(values))
            continue
        if _specks_only(values, spec) or _nothing_read(values, spec):
            continue
        values = ending_repaired(spec.key, values)
        following = _numbering(values)
        yield from (row for row in unread if _numbered_between(_numbering(row), previous, following))
        unread.clear()
        previous = following
        yield values
    if reader is not None:
        yield from _last_unread(unread, previous, reader)


def _last_unread(unread: Sequence[dict[str, FieldValue]], previous: tuple[object, object],
                 reader: SecondReader) -> Iterator[dict[str, FieldValue]]:
    """The numbered rows after the last record whose cells could not be read: records where they go on
    with the run of 序号 one by one and a cell of theirs holds ink the reader sees (the table's last
    name under the applicant's seal on a 1-bit scan, its print as black as the seal); a blank row of the
    template otherwise (its print only the 序号; a red seal over it is whitened from the reader's image)."""
    for row in unread:
        category, number = _numbering(row)
        if previous[0] != category or not isinstance(previous[1], int) or number != previous[1] + 1 \
                or not any(reader.holds_ink(_box(value)) for name, value in row.items()
                           if name not in ("category", "seq") and value.provenance.bbox is not None):
            return
        previous = (category, number)
        yield row


def _numbering(values: dict[str, FieldValue]) -> tuple[object, object]:
    """A record's 类别 (None in tables without) and 序号: the run its number stands in."""
    return (values["category"].value if "category" in values else None,
            values["seq"].value if "seq" in values else None)


def _numbered_between(seq: tuple[object, object], previous: tuple[object, object],
                      following: tuple[object, object]) -> bool:
    """A 序号 that stands in the run between the records around it, within its 类别 (a row cut off a
    record's line by a doubled rule repeats the record's own number)."""
    category, number = seq
    if not isinstance(number, int):
        return False
    before, after = (other if isinstance(other, int) and other_category == category else None
                     for other_category, other in (previous, following))
    return (before is None or before < number) and (after is None or number < after)


def _unread(values: dict[str, FieldValue]) -> dict[str, FieldValue]:
    """A numbered record's values with its empty cells marked as ink not read (null, a doubt, never blank)."""
    return {name: value if name in ("category", "seq") or value.value not in (None, []) else
            replace(value, provenance=value.provenance.model_copy(update={"confidence": 0.0, "blank": False}))
            for name, value in values.items()}


def _own_seq(cells: Sequence[CellText], index: int, layout: Layout) -> bool:
    """Grid row `index` holds a 序号 cell of its own (not one spanning from the rows above)."""
    cols = layout.columns.get("seq", ())
    return any(c.cell.row == index and c.text.strip() for c in cells
               if any(c.cell.col <= col < c.cell.col + c.cell.col_span for col in cols))


def centred_labels(table: Table, start: int, col: int, known: Sequence[str] = ()) -> dict[int, CellText] | None:
    """Each body row's 类别 in a table without rules (text lines for rows): a merged 类别 cell prints its
    label centred on its rows, so the label lies on the group's middle row (or wraps over two) and the
    rows above it have none.  The column's labels are given the rows they are centred on, as in a merged
    cell (`bands.stacked_labels`); None when the first body row has its own label (labels printed at the
    top of their group continue downwards as they are)."""
    end = next((row for row in range(start, table.grid.n_rows) if _is_note(table.row(row))), table.grid.n_rows)
    cells = [c for c in table.cells if c.cell.col == col and start <= c.cell.row < end]
    if end - start < 2 or any(c.text for c in cells if c.cell.row == start):
        return None
    words = [word for c in cells for word in c.words]
    turned = [replace(word, bbox=table.frame.box_to_table(word.bbox)) for word in words]
    rows = [(table.grid.ys[r], table.grid.ys[r + 1]) for r in range(start, end)]
    parts = stacked_labels(turned, rows, table.grid.xs[col + 1] - table.grid.xs[col], known)
    if parts is None:
        return None
    by_row = {c.cell.row: c for c in cells}
    out: dict[int, CellText] = {}
    for offset, part in enumerate(parts):
        row = start + offset
        own = {id(word) for word in part}
        if row in by_row:
            cell = by_row[row]
            out[row] = cell_text(cell.cell, table.frame, [w for w, t in zip(words, turned, strict=True) if id(t) in own])
    return out


def own_label(cell: CellText, row: int, table: Table, known: Sequence[str] = ()) -> CellText:
    """The part of a merged 类别 cell that names grid row `row`: the whole cell, unless it holds several
    labels stacked without rules between them (`bands.stacked_labels`). The column's own header ('类别') in the
    cell is no record's label: the rule under the header lost in that column joined it to the cell below (dev52
    a07's institutions: the first record's category read '类别', its count left unchecked)."""
    if cell.cell.row_span < 2 or len(cell.words) < 2:
        return cell
    without_header = [word for word in cell.words if squeeze(word.text) not in CATEGORY.labels]
    if without_header and len(without_header) < len(cell.words):
        cell = cell_text(cell.cell, table.frame, without_header)
    turned = [replace(word, bbox=table.frame.box_to_table(word.bbox)) for word in cell.words]
    spanned = range(cell.cell.row, cell.cell.row + cell.cell.row_span)
    width = cell.cell.bbox[2] - cell.cell.bbox[0]
    parts = stacked_labels(turned, [(table.grid.ys[r], table.grid.ys[r + 1]) for r in spanned], width, known)
    if parts is None:
        return cell
    own = {id(word) for word in parts[row - cell.cell.row]}
    words = [word for word, turn in zip(cell.words, turned, strict=True) if id(turn) in own]
    return cell_text(cell.cell, table.frame, words)


def _box(value: FieldValue) -> Box:
    box = value.provenance.bbox or [0.0, 0.0, 0.0, 0.0]
    return (box[0], box[1], box[2], box[3])


# A text's end a page break cut off is this short at most ('司', '公司'): shorter than any name, so a record
# whose 序号 was lost ('天津大学') is not taken for one.
TAIL_CHARS = 2


def is_tail(values: dict[str, FieldValue], spec: TableSpec, last: dict[str, FieldValue] | None = None) -> bool:
    """A row holding no record of its own but the end of the record above, which a page break cut in two
    (Word lets a row break across pages): no key (a record opens with its 序号 or its date's year), no figure,
    every text a wrapped line's short end ('26日' of a date, '司' of a name).

    With `last` (the record above): a code that record left open, ending in its separator ('XQ-FW-' over
    '2025090-B', dev27 a06), goes on in the row's code, digits and all; and where that record has its
    figures, a figure in the row is no record's (a seal's speck read '1' beside the code's end)."""
    texts = {name: "".join(value.raw.split()) for name, value in values.items()}
    if not any(texts.values()):
        return False
    for column in spec.columns:
        text = texts.get(column.field, "")
        if column.kind == "date" and text and not DATE_TAIL.fullmatch(text):
            return False
        if column.kind == "code" and text and _code_goes_on(last, column.field):
            continue
        if column.kind in NUMBER_KINDS and text and _code_left_open(last, spec) and _has_figure(last, column.field):
            continue
        if column.kind != "date" and (len(text) > TAIL_CHARS or any(char.isdigit() for char in text)):
            return False
    return True


CODE_SEPARATORS = ("-", "_", "/", "—")  # a code never ends with its separator: one that does wrapped there


def _code_goes_on(last: dict[str, FieldValue] | None, field: str) -> bool:
    """The record above left its code open: read ending in a separator ('XQ-FW-')."""
    value = last.get(field) if last is not None else None
    return value is not None and isinstance(value.value, str) and value.value.endswith(CODE_SEPARATORS)


def _code_left_open(last: dict[str, FieldValue] | None, spec: TableSpec) -> bool:
    return any(column.kind == "code" and _code_goes_on(last, column.field) for column in spec.columns)


def _has_figure(last: dict[str, FieldValue] | None, field: str) -> bool:
    value = last.get(field) if last is not None else None
    return value is not None and isinstance(value.value, int | float) and not isinstance(value.value, bool)


@dataclass
class Walker:
    """Walks tables in document order, remembering the table in progress."""

    collector: Collector
    second: Callable[[Page], SecondReader | None] = lambda page: None
    current: Layout | None = None
    learned: dict[str, Layout] = field(default_factory=dict)

    def table(self, table: Table, page: Page, first_on_page: bool) -> None:
        # A table built from text alone starts with the page's title lines: look further down for its header.
        header = find_header(table, page.role, search_rows=3 if table.ruled else 8)
        if header is not None:
            layout = Layout.of(table, header)
            self.learned[layout.spec.key] = layout
            self.current = layout
            self._read(table, page, layout, header.row + 1, first_on_page)
            return
        continued = self._headerless(table, page, first_on_page)
        template = self.current
        whole = template.regridded(table) if template is not None and first_on_page else None
        if template is not None and whole is not None:
            # A continuation that lost a column rule of its table's: read on the table's own columns, where
            # it still continues that table with them.
            on_columns = self._headerless(whole, page, first_on_page)
            if on_columns is not None and on_columns.spec == template.spec \
                    and (continued is None or continued.spec == on_columns.spec):
                table, continued = whole, on_columns
        if continued is not None:
            self.current = continued
            self._read(table, page, continued, 0)

    def _read(self, table: Table, page: Page, layout: Layout, start: int, first_on_page: bool = False) -> None:
        categories = layout.columns.get("category", ())
        seq = layout.columns.get("seq", ())
        spans = split_spans(table, start, categories, seq[0] if len(seq) == 1 else None, layout.spec.categories)
        table = spans.table
        if spans.unsure_rows:
            self.collector.rows_in_doubt(layout.spec, table)
        self.collector.units.setdefault(layout.spec.key, {}).update(layout.units)
        reader = self.second(page)
        labels = centred_labels(table, start, categories[0], layout.spec.categories) \
            if not table.ruled and len(categories) == 1 else None
        marks, scale = page.seal_marks, page.scale
        rows = iter_rows(table, layout, start, reader.read if reader else None, reader, labels,
                         (lambda words: under_ring(words, marks, scale)) if marks and page.kind != "text" else None)
        # A continuation's first row may be the last record's tail a page break cut off: no record. So may the
        # first row under a header Word repeated on the next page (dev27 a06), where the table's records began
        # on a page before.
        continued = start == 0 or (first_on_page and bool(self.collector.rows[layout.spec.key]))
        for index, values in enumerate(rows):
            last = self.collector.rows[layout.spec.key][-1] if self.collector.rows[layout.spec.key] else None
            if continued and index == 0 and is_tail(values, layout.spec, last) \
                    and self.collector.with_tail(layout.spec, values, layout.units):
                continue
            self.collector.add_row(layout.spec, values)

    def _headerless(self, table: Table, page: Page, first_on_page: bool) -> Layout | None:
        # A form's page is no title's evidence: the basic-info form's own labels are the appendix titles'
        # words (服务能力, 资源条件), and a block of its grid the rules cut off (dev35 a02) read as products.
        titled = spec_from_title(table.title) if page.role not in FORM_ROLES - PROSE_ROLES else None
        if titled is not None:
            known = self.learned.get(titled.key)
            return (known.fit(table) if known else None) or Layout.by_position(table, titled)
        role_spec = SPEC_BY_ROLE.get(page.role or "")
        if first_on_page and self.current is not None and page.role not in FORM_ROLES:
            if role_spec == self.current.spec:
                fitted = self.current.fit(table)
                if fitted is not None:
                    return fitted
            elif role_spec is None and self.current.aligned(table):
                # An unlabelled page: only a table printed on the very same columns continues.
                return self.current.fit(table)
        if role_spec is not None:
            known = self.learned.get(role_spec.key)
            return (known.fit(table) if known else None) or Layout.by_position(table, role_spec)
        return None


def ocr_engine(pages: Sequence[Page], settings: Settings) -> OcrEngine | None:
    """The OCR engine for re-reading weak cells, when any page is a scan (None without one)."""
    if not any(page.kind != "text" and page.image_path is not None for page in pages):
        return None
    return get_engine(settings)


def second_reader(settings: Settings) -> Callable[[Page], Callable[[Box], Sequence[tuple[str, float]]] | None]:
    """Per page, a reader of single cells with the second engine (RapidOCR), for scanned pages only."""
    readers = second_readers(settings)

    def for_page(page: Page) -> Callable[[Box], Sequence[tuple[str, float]]] | None:
        reader = readers(page)
        return None if reader is None else reader.read

    return for_page


def second_readers(settings: Settings) -> Callable[[Page], SecondReader | None]:
    """Per page, the second engine's reader of single cells (RapidOCR), for scanned pages only."""
    readers: dict[int, SecondReader | None] = {}

    def for_page(page: Page) -> SecondReader | None:
        if page.kind == "text" or not page.dpi or settings.reread_engine == "none":
            return None
        if page.number not in readers:
            layers = stored_layers(page)
            image, _ = print_images(page, area=False, layers=layers)  # the seal's ghost whitened, as for the first re-read
            engine = get_engine(settings, name=settings.reread_engine)
            readers[page.number] = None if image is None else SecondReader(
                image, page.scale, page.dpi, engine, page_black_level(page.words, image, layers[1], page))
        return readers[page.number]

    return for_page


def page_tables(page: Page, engine: OcrEngine | None, settings: Settings) -> list[Table]:
    """The page's tables; on an appendix page with no rules at all, a table made from text alone."""
    tables = find_tables(page, engine, settings.low_confidence, reread_below=APPENDIX_REREAD_BELOW,
                         keyed_rows=True, faint_rules=page.role not in PROSE_ROLES).tables
    if page.role in APPENDIX_ROLES and not any(_names_its_columns(table, page.role) for table in tables):
        # No rules, or only scraps of a faint frame (a fax's dotted rules that broke up, no header among
        # them): the text's own rows, where the scraps hold little of the text or the text's rows name the
        # columns the scraps do not (dev50 a06's institutions: a fax's frame lost but for a ring's and the
        # dots' remains, two grids over the keys and the names, each name cell holding six names).
        fallback = text_table(page)
        if fallback is not None and (_holds_little(tables, page.words) or _names_its_columns(fallback, page.role)):
            # Its cells read again on their crops as a ruled table's are: a line the page's reading lost
            # (under a seal's remains) is ink in an empty cell.
            reader = cell_reader(page, engine)
            if reader is not None:
                fallback.cells = reader.reread(fallback.cells, fallback.frame, APPENDIX_REREAD_BELOW,
                                               settings.low_confidence)
            tables = [fallback]
    return _with_rows_beside(page, tables, engine, settings)


HEADER_NAMED = 2  # header cells a table's header must read to stand for its table where the table holds little


def _names_its_columns(table: Table, role: str | None) -> bool:
    """A header is found on the table and reads the names of two of its columns at least: a table of a fax's
    character strokes (dev26 a09's dates cut into '2024年5月24' | '日') can take a list's header by its one
    label, the others given by their place alone, to empty cells; the text's own rows then read the list."""
    header = find_header(table, role, search_rows=3 if table.ruled else 8)
    return header is not None and sum(1 for cell in header.cells.values() if cell.text.strip()) >= HEADER_NAMED


def _with_rows_beside(page: Page, tables: list[Table], engine: OcrEngine | None, settings: Settings) -> list[Table]:
    """Each ruled table preceded by the records its frame left out over it (`finder.rows_above`) and followed
    by those it left out under it (`finder.rows_below`), where no other table of the page holds them; their
    cells read again on their crops as the table's were."""
    out: list[Table] = []
    for table in tables:
        above = rows_above(page, table)
        if above is not None and not any(_overlap(above.bbox, other.bbox) for other in tables if other is not table):
            out.append(_reread(above, page, engine, settings))
        out.append(table)
        below = rows_below(page, table)
        if below is None or any(_overlap(below.bbox, other.bbox) for other in tables if other is not table):
            continue
        out.append(_reread(below, page, engine, settings))
    return out


def _reread(table: Table, page: Page, engine: OcrEngine | None, settings: Settings) -> Table:
    """A table of text lines with its cells read again on their crops, as a ruled table's are."""
    reader = cell_reader(page, engine)
    if reader is not None:
        table.cells = reader.reread(table.cells, table.frame, APPENDIX_REREAD_BELOW, settings.low_confidence)
    return table


def _overlap(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


TEXT_HELD = 0.5  # share of an appendix page's characters its ruled tables hold, unless one has a header


def _holds_little(tables: Sequence[Table], words: Sequence[Word]) -> bool:
    """The tables hold less than `TEXT_HELD` of the page's characters (none at all without tables)."""
    total = sum(len(word.text.strip()) for word in words)
    held = sum(len(word.text.strip()) for word in words
               if any(_inside_box((word.bbox[0] + word.bbox[2]) / 2, (word.bbox[1] + word.bbox[3]) / 2, t.bbox)
                      for t in tables))
    return held < TEXT_HELD * total if total else not tables


def _inside_box(x: float, y: float, box: Box) -> bool:
    return box[0] <= x <= box[2] and box[1] <= y <= box[3]


def extract_appendix(pages: list[Page], settings: Settings) -> Extracted[Appendix]:
    """The six appendix tables of an application, rows in document order, every cell with provenance."""
    engine = ocr_engine(pages, settings)
    walker = Walker(Collector(settings), second_readers(settings))
    for page in pages:
        if page.error or page.role in SKIP_ROLES:
            continue
        for index, table in enumerate(page_tables(page, engine, settings)):
            walker.table(table, page, first_on_page=index == 0)
    return walker.collector.result()


__all__ = ["Layout", "extract_appendix", "iter_rows", "ocr_engine"]
