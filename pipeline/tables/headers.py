"""What each appendix table looks like (title words, columns, categories) and how to recognise its header.

The six tables are told apart first by their header row; 附2表1 and 附3表1 share the
header 类别 · 序号 · 名称, so the title above the table, the page role and the
categories in the rows break that tie.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Literal

from models import INSTITUTION_CATEGORIES
from models.page import Word
from pipeline.tables.cells import CellText, Table
from pipeline.tables.labels import MIN_SCORE, closest_label, label_score, squeeze

ValueKind = Literal["text", "code", "seq", "int", "amount", "date", "industries", "category"]
MIN_HEADER = 0.6  # share of a spec's columns a header row must name
TAIL_CHARS = 3  # a header label's tail cut off onto a row of its own is at most this long


@dataclass(frozen=True)
class Column:
    field: str
    labels: tuple[str, ...]
    kind: ValueKind = "text"


@dataclass(frozen=True)
class TableSpec:
    key: str  # the Appendix attribute
    role: str  # the page role of its pages
    titles: tuple[str, ...]  # words of its title
    columns: tuple[Column, ...]
    categories: tuple[str, ...] = ()


CATEGORY = Column("category", ("类别",), "category")
SEQ = Column("seq", ("序号",), "seq")
SPECS: tuple[TableSpec, ...] = (
    TableSpec("products", "appendix2_table1", ("契合行业的产品", "解决方案、数据集", "数据集等清单", "服务能力"),
              (CATEGORY, SEQ, Column("name", ("名称",))),
              ("数字化产品", "解决方案", "数据集", "模型库", "面向中小企业的“小快轻准”解决方案")),
    TableSpec("contracts", "appendix2_table2", ("数字化改造实施服务的企业", "企业及项目清单"),
              (Column("date", ("日期",), "date"), Column("contract_no", ("合同编号",), "code"),
               Column("enterprise", ("服务企业名称", "企业名称"), "text"),
               Column("amount", ("合同金额", "金额"), "amount"))),
    TableSpec("trainings", "appendix2_table3", ("人才培训活动", "培训活动清单"),
              (Column("date", ("日期",), "date"), Column("name", ("培训或活动名称", "活动名称", "培训名称")),
               Column("participants", ("参训人数", "人数"), "int"))),
    TableSpec("institutions", "appendix3_table1", ("投融资机构、高校", "高校科研院所清单", "资源条件"),
              (CATEGORY, SEQ, Column("name", ("名称",))), INSTITUTION_CATEGORIES),
    TableSpec("providers", "appendix3_table2", ("数字化转型服务商清单", "服务商清单"),
              (SEQ, Column("name", ("服务商名称",)), Column("industries", ("主要服务行业", "服务行业"), "industries"),
               Column("capability", ("核心能力",)))),
    TableSpec("financings", "appendix3_table3", ("对接成功投融资", "投融资清单及金额"),
              (SEQ, Column("investor", ("投资机构名称", "投资机构")), Column("investee", ("被投企业名称", "被投企业")),
               Column("amount", ("投融资金额", "金额"), "amount"))),
)
SPEC_BY_KEY = {spec.key: spec for spec in SPECS}
SPEC_BY_ROLE = {spec.role: spec for spec in SPECS}


@dataclass(frozen=True)
class Header:
    """A recognised header: which grid columns hold which field, and the header cells (for units, x-ranges)."""

    spec: TableSpec
    row: int  # last grid row of the header
    columns: dict[str, tuple[int, ...]]  # field → grid columns
    cells: dict[str, CellText]
    score: float


def _column_score(text: str, column: Column) -> float:
    return max(label_score(text, label) for label in column.labels)


def assign_columns(cells: Sequence[CellText], spec: TableSpec) -> dict[str, CellText]:
    """Each column of `spec` to the header cell naming it best (each cell used once, best pairs first)."""
    pairs = sorted(((_column_score(cell.text, column), -len(squeeze(cell.text)), i, column.field)
                    for i, cell in enumerate(cells) if cell.text for column in spec.columns), reverse=True)
    taken: dict[str, CellText] = {}
    used: set[int] = set()
    for score, _, index, field in pairs:
        if score >= MIN_SCORE and field not in taken and index not in used:
            taken[field] = cells[index]
            used.add(index)
    return taken


def header_score(cells: Sequence[CellText], spec: TableSpec) -> tuple[float, dict[str, CellText]]:
    """Share of the spec's columns named, over the larger of its columns and the row's filled cells."""
    filled = [cell for cell in cells if cell.text]
    taken = assign_columns(filled, spec)
    share = len(taken) / max(len(spec.columns), len(filled), 1)
    missing = [c.field for c in spec.columns if c.field not in taken]
    spare = [cell for cell in filled if all(cell is not other for other in taken.values())]
    if share >= MIN_HEADER and len(missing) == 1 and len(spare) == 1:
        # One header cell OCR garbled (类别 read as RH): it is the one column left over.
        taken[missing[0]] = spare[0]
    return share, taken


def _evidence(spec: TableSpec, title: str, role: str | None, categories: Sequence[str]) -> float:
    """Title, page role and category values that agree with `spec` (to break ties between look-alikes)."""
    score = 0.0
    if any(label_score(title, words) >= 0.9 for words in spec.titles):
        score += 1.0
    if role == spec.role:
        score += 0.5
    if spec.categories and categories:
        hits = sum(1 for text in categories if closest_label(text, spec.categories) >= 0)
        score += hits / len(categories)
    return score


def _category_texts(table: Table, after_row: int) -> list[str]:
    return [cells[0].text for index in range(after_row + 1, table.grid.n_rows)
            if (cells := table.row(index)) and cells[0].text]


def find_header(table: Table, role: str | None, specs: Sequence[TableSpec] = SPECS,
                search_rows: int = 3) -> Header | None:
    """The best header among the first rows of a table, or None if no row names enough columns.

    Where no single row does, two rows read as one: a table made from text lines has a row per
    line, and a header whose labels wrap (日期（年/月/ · 日）) spreads over two of them."""
    best = _best_header(table, role, specs, [(index, _row_cells(table, index))
                                             for index in range(min(search_rows, table.grid.n_rows))])
    if best is None:
        best = _best_header(table, role, specs, [(index + 1, _joined_rows(table, index))
                                                 for index in range(min(search_rows, table.grid.n_rows - 1))])
    if best is None:
        best = _header_in_place(table, role, [(index, _row_cells(table, index))
                                              for index in range(min(search_rows, table.grid.n_rows))])
    return best


def _header_in_place(table: Table, role: str | None, candidates: Sequence[tuple[int, list[CellText]]]) -> Header | None:
    """Where the title and the page both name the table and it fills as many columns as the table has, a
    first row without a digit that names one column or more in its own place is the header with the other
    labels misread or lost (a dithered photo's 类别 read 昊别, 名称 read 名物; 类别 read 负别 over a 序号 lost:
    one of three named). Read as a record instead, it made a row of the header's words; a record always
    holds a digit (序号, date)."""
    named = _named_spec(table, role)
    order = sorted({cell.cell.col for cell in table.cells if cell.text.strip()})
    if named is None or len(order) != len(named.columns):
        return None
    place = dict(zip(order, named.columns, strict=True))
    for index, cells in candidates:
        filled = [cell for cell in cells if cell.text.strip()]
        if not filled or any(cell.cell.col not in place or any(char.isdigit() for char in cell.text) for cell in filled):
            continue
        if not any(_column_score(cell.text, place[cell.cell.col]) >= MIN_SCORE for cell in filled):
            continue
        columns: dict[str, tuple[int, ...]] = {column.field: (col,) for col, column in place.items()}
        taken = {place[cell.cell.col].field: cell for cell in filled}
        return Header(spec=named, row=index, score=MIN_HEADER, columns=columns, cells=taken)
    return None


def _row_cells(table: Table, index: int) -> list[CellText]:
    return [c for c in table.row(index) if c.cell.row + c.cell.row_span - 1 == index or c.cell.row == index]


def _joined_rows(table: Table, index: int) -> list[CellText]:
    """Rows `index` and `index + 1` as one: each column's two cells' text joined in the upper cell."""
    upper = {c.cell.col: c for c in _row_cells(table, index)}
    lower = {c.cell.col: c for c in _row_cells(table, index + 1)}
    joined = []
    for col in sorted(upper.keys() | lower.keys()):
        top, bottom = upper.get(col), lower.get(col)
        if top is not None and bottom is not None and top is not bottom:
            joined.append(replace(top, text=top.text + bottom.text, words=top.words + bottom.words))
        elif (only := top if top is not None else bottom) is not None:
            joined.append(only)
    return joined


OTHER_HEADER = 1.0  # share of its columns another table's header must name where the title and page name one


def _named_spec(table: Table, role: str | None) -> TableSpec | None:
    """The spec the table's title names, where the page's role names it too."""
    titled = spec_from_title(table.title)
    return titled if titled is not None and titled.role == role else None


def _least_share(spec: TableSpec, named: TableSpec | None) -> float:
    """How much of `spec`'s header a row must name. Where the title and the page both name another table, a
    header naming part of this one's columns is that table's header misread: a lost rule merged two of its
    cells ('序号 · 服务商名称 主要服务行业' names 序号 and 名称 of 附2表1), so only a whole header counts."""
    return OTHER_HEADER if named is not None and spec is not named else MIN_HEADER


def _best_header(table: Table, role: str | None, specs: Sequence[TableSpec],
                 candidates: Sequence[tuple[int, list[CellText]]]) -> Header | None:
    best: tuple[float, Header] | None = None
    named = _named_spec(table, role)
    for index, cells in candidates:
        for spec in specs:
            share, taken = header_score(cells, spec)
            if share < _least_share(spec, named):
                continue
            evidence = _evidence(spec, table.title, role, _category_texts(table, index))
            columns = {f: tuple(range(c.cell.col, c.cell.col + c.cell.col_span)) for f, c in taken.items()}
            _share_merged_cells(table, spec, taken, columns)
            _fill_last_column(columns, spec, table.grid.n_cols)
            header = Header(spec=spec, row=index, score=share, columns=columns, cells=taken)
            total = 3 * share + evidence
            if best is None or total > best[0]:
                best = (total, header)
    if best is None:
        return None
    return _extend_two_line_header(table, best[1])


def _share_merged_cells(table: Table, spec: TableSpec, taken: dict[str, CellText],
                        columns: dict[str, tuple[int, ...]]) -> None:
    """A header cell over several grid columns holding two fields' labels side by side (the rule between them
    lost in the header row alone: '被投企业名称 投融资金额（万元）' over the columns the data rows part): each
    field the grid columns its label's words stand over, the columns between the two labels parted where
    the first label's words end (in place)."""
    for column in spec.columns:
        if column.field in columns:
            continue
        for owner, cell in taken.items():
            if cell.cell.col_span < 2:
                continue
            owner_column = next(spec_column for spec_column in spec.columns if spec_column.field == owner)
            own = [word for word in cell.words if _column_score(word.text, column) >= MIN_SCORE]
            other = [word for word in cell.words if word not in own and _column_score(word.text, owner_column) >= MIN_SCORE]
            if not own or not other:
                continue
            parted = _parted_columns(table, cell, other, own)
            if parted is not None:
                columns[owner], columns[column.field] = parted
                break


def _parted_columns(table: Table, cell: CellText, first: Sequence[Word],
                    second: Sequence[Word]) -> tuple[tuple[int, ...], tuple[int, ...]] | None:
    """The grid columns of `cell` under `first`'s words and under `second`'s, parted between the two groups
    of words (one wholly left of the other); None where the words overlap or leave a side no column."""
    spans = [(min(box[0] for box in boxes), max(box[2] for box in boxes))
             for boxes in ([table.frame.box_to_table(word.bbox) for word in group] for group in (first, second))]
    first_left = spans[0][0] < spans[1][0]
    (_, left_end), (right_start, _) = spans if first_left else spans[::-1]
    if left_end > right_start:
        return None
    cut, xs = (left_end + right_start) / 2, table.grid.xs
    spanned = range(cell.cell.col, cell.cell.col + cell.cell.col_span)
    before = tuple(col for col in spanned if (xs[col] + xs[col + 1]) / 2 < cut)
    after = tuple(col for col in spanned if (xs[col] + xs[col + 1]) / 2 >= cut)
    if not before or not after:
        return None
    return (before, after) if first_left else (after, before)


def _fill_last_column(columns: dict[str, tuple[int, ...]], spec: TableSpec, n_cols: int) -> None:
    """One field without a header cell and one grid column without a field (or a run of adjacent ones: a
    rule found inside the header cut its label in two, 主要 | 务行业): they belong together.  The free
    columns looked at are those where the spec's order puts the field, between the columns of the fields
    printed before and after it: a phone photo's frame adds empty slivers at the table's sides, and a
    label lost between two named ones (序号 between 类别 and 名称) is still the column between them."""
    missing = [c.field for c in spec.columns if c.field not in columns]
    if len(missing) != 1:
        return
    low, high = _order_bounds(columns, spec, missing[0], n_cols)
    free = sorted(set(range(low, high)) - {col for cols in columns.values() for col in cols})
    if free and free[-1] - free[0] == len(free) - 1:
        columns[missing[0]] = tuple(free)


def _order_bounds(columns: dict[str, tuple[int, ...]], spec: TableSpec, field: str, n_cols: int) -> tuple[int, int]:
    """The grid columns [low, high) the spec's order leaves `field`: past the last column of the fields
    before it, short of the first column of the fields after it (the whole table where they are not
    in order, a header read out of order is no guide)."""
    names = [c.field for c in spec.columns]
    at = names.index(field)
    before = [col for name in names[:at] if name in columns for col in columns[name]]
    after = [col for name in names[at + 1:] if name in columns for col in columns[name]]
    low, high = max(before, default=-1) + 1, min(after, default=n_cols)
    return (low, high) if low < high else (0, n_cols)


def label_tail(cells: Sequence[CellText]) -> bool:
    """A row of a header label's last characters (日） · 元）), cut off by a rule found inside the header.

    Every data row holds a number (序号, date, amount) or a name longer than this; OCR's noise
    from the rule ("V") is short and has no digits too.
    """
    texts = [squeeze(c.text) for c in cells if c.text]
    return bool(texts) and all(len(text) <= TAIL_CHARS and not any(ch.isdigit() for ch in text) for text in texts)


def _extend_two_line_header(table: Table, header: Header) -> Header:
    """A header printed over two grid rows (所服务的 / 主要行业) ends at its last row naming a column."""
    row = header.row
    while row + 1 < table.grid.n_rows:
        cells = [c for c in table.row(row + 1) if c.text and c.cell.row == row + 1]
        if not cells or not (label_tail(cells) or all(
                any(_column_score(c.text, col) >= MIN_SCORE or label_score(c.text, "序号") >= 1
                    for col in header.spec.columns) for c in cells)):
            break
        row += 1
    return Header(header.spec, row, header.columns, header.cells, header.score)


def is_header_row(cells: Sequence[CellText], spec: TableSpec) -> bool:
    """A repeated header (on a continuation page, or printed again mid-table)."""
    return header_score(cells, spec)[0] >= MIN_HEADER


def spec_from_title(title: str) -> TableSpec | None:
    """The spec a title names (表2：已开展数字化改造…), when exactly one matches well."""
    matches = [spec for spec in SPECS if any(label_score(title, words) >= 0.9 for words in spec.titles)]
    return matches[0] if len(matches) == 1 else None
