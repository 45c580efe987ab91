"""The basic-info figures against the appendix tables that should prove them.

A comparison is made only when both sides can be read: a table whose page is absent is
ATTACHMENT_MISSING (comparisons needing it are not made), a declared figure that is blank is
FIELD_MISSING (from `fields`), and a table cell the comparison needs but could not be read is
LOW_CONFIDENCE for that cell (a reviewer should look) with that year's comparison not made.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
import re
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from rapidfuzz.distance import Levenshtein

from models import (
    APPENDIX_TABLE_ROLES,
    INSTITUTION_CATEGORIES,
    INVESTORS,
    UNIVERSITIES,
    YEARS,
    ApplicationRecord,
    Check,
    CheckedRecord,
    Evidence,
)
from pipeline.checks.registry import DOUBT_NOTE, TABLE_LABELS, CheckContext, finding, open_figures, register, show_value
from pipeline.record_paths import get_path

CELL_LABELS = {"date": "日期", "amount": "金额", "enterprise": "服务企业名称", "participants": "参加人数",
               "category": "类别", "contract_no": "合同编号", "capability": "核心能力"}
CUMULATIVE_FIELDS = {"investors": "汇聚投融资机构数量", "financing": "对接成功的企业融资金额",
                     "universities": "汇聚高校、科研院所数量", "providers": "汇聚服务商数量"}
CUMULATIVE_UNITS = {"investors": "家", "financing": "万元", "universities": "家", "providers": "家"}


def wan(amount: float) -> str:
    """An amount in 万元 as a reviewer writes it: thousands separated, no trailing zeros (3,410.5)."""
    return f"{amount:,.2f}".rstrip("0").rstrip(".")


def _application(ctx: CheckContext) -> ApplicationRecord:
    assert isinstance(ctx.record, ApplicationRecord)
    return ctx.record


def table_present(ctx: CheckContext, table: str) -> bool:
    """A table whose page is absent is ATTACHMENT_MISSING; its comparisons are not made."""
    return APPENDIX_TABLE_ROLES[table] in ctx.roles


def unreadable_cell(ctx: CheckContext, table: str, index: int, name: str, what: str) -> Check:
    """LOW_CONFIDENCE for a table cell a check needs but that holds no readable value."""
    path = f"appendix.{table}[{index}].{name}"
    return finding("LOW_CONFIDENCE", path,
                   f"{TABLE_LABELS[table]} 第 {index + 1} 行“{CELL_LABELS.get(name, name)}”为空或无法识别，"
                   f"{what}未核对，请人工核对", evidence=ctx.evidence(path, roles=[APPENDIX_TABLE_ROLES[table]]))


# The cells that say which contract, training or financing a row is.
IDENTITY_CELLS = {"contracts": ("contract_no", "enterprise"), "trainings": ("name",),
                  "financings": ("seq", "investor", "investee")}


def stray(table: str, row: object, measured: str) -> bool:
    """A line read as a row that names nothing and holds no value (a seal's text, a note under the
    table): it cannot change a total, so it does not stop the comparison (its cell is still flagged)."""
    return getattr(row, measured) is None and all(getattr(row, cell) in (None, "") for cell in IDENTITY_CELLS[table])


def stray_row(ctx: CheckContext, table: str, index: int, cell: str) -> Check:
    path = f"appendix.{table}[{index}].{cell}"
    return finding("LOW_CONFIDENCE", path,
                   f"{TABLE_LABELS[table]} 第 {index + 1} 行未识别到任何内容（可能是印章或备注文字），未计入合计，请人工核对",
                   evidence=ctx.evidence(path, roles=[APPENDIX_TABLE_ROLES[table]]))


def distinct_names(names: Sequence[str], min_length: int = 8, max_edits: int = 1) -> int:
    """How many different names, treating a small OCR slip in a long name as the same name.

    Names at least `min_length` long that differ in at most `max_edits` characters are one
    enterprise read twice, not two enterprises: counting them apart would raise a false mismatch.
    """
    kept: list[str] = []
    for name in ("".join(n.split()) for n in names):
        if not any(name == other or (max_edits > 0 and min(len(name), len(other)) >= min_length
                                     and (Levenshtein.distance(name, other) <= max_edits or _ends_apart(name, other)))
                   for other in kept):
            kept.append(name)
    return len(kept)


LEGAL_FORM_START = "有限"  # where a company's legal form (有限公司, 有限责任公司, 股份有限公司…) has begun


def _ends_apart(name: str, other: str) -> bool:
    """Two names alike up to and into their legal form, apart only after it ('…集团有限公司' and '…集团有限司化研':
    a seal's characters run in, a character lost): one enterprise whose ending was misread. Names apart before
    it (…集团有限公司, …股份有限公司) are two."""
    apart = next((at for at, (mine, theirs) in enumerate(zip(name, other, strict=False)) if mine != theirs), min(len(name), len(other)))
    return LEGAL_FORM_START in name[:apart]


def _differs(found: float, expected: float, tolerance: float) -> bool:
    return abs(found - expected) > tolerance + 1e-9


@dataclass(frozen=True)
class YearlyRule:
    """A 当期 figure of `service` against a measure of that year's rows of an appendix table."""

    code: str
    table: str
    cell: str  # the cell measured (besides the date)
    declared: str
    what: str  # what is compared, for messages
    unit: str
    amount: bool  # compared within the amount tolerance, else counts must be equal
    measure: Callable[[CheckContext, list[Any]], float]
    # Where the measure folds rows that may be one thing read twice (names a character apart): the
    # measure with none folded. A declared figure between the two agrees with one reading of the rows.
    unfolded: Callable[[CheckContext, list[Any]], float] | None = None

    def show(self, value: float) -> str:
        return wan(value) if self.amount else f"{value:g}"


YEARLY_RULES = (
    YearlyRule("CONTRACT_TOTAL_MISMATCH", "contracts", "amount", "contract_amount", "合同金额合计", "万元", True,
               lambda ctx, rows: round(sum(row.amount for row in rows), 4)),
    YearlyRule("ENTERPRISE_COUNT_MISMATCH", "contracts", "enterprise", "enterprises", "服务企业数量（去重）", "家", False,
               lambda ctx, rows: distinct_names([row.enterprise for row in rows], ctx.rules.same_name_min_length,
                                                ctx.rules.same_name_max_edits),
               lambda ctx, rows: distinct_names([row.enterprise for row in rows], max_edits=0)),
    YearlyRule("TRAINEE_TOTAL_MISMATCH", "trainings", "participants", "trainees", "参加培训人数合计", "人次", False,
               lambda ctx, rows: sum(row.participants for row in rows)),
)


# The yearly measures that are sums of their cells (the enterprise count is not).
SUMMED_CELLS = frozenset({"amount", "participants"})


def _yearly(ctx: CheckContext, rule: YearlyRule) -> Iterator[Check]:
    record = _application(ctx)
    if not table_present(ctx, rule.table):
        return
    rows = getattr(record.appendix, rule.table)
    label = TABLE_LABELS[rule.table]
    for index, row in enumerate(rows):
        if stray(rule.table, row, rule.cell):
            yield stray_row(ctx, rule.table, index, rule.cell)
    indexed = [(index, row) for index, row in enumerate(getattr(record.appendix, rule.table))
               if not stray(rule.table, row, rule.cell)]
    undated = [index for index, row in indexed if row.date is None]
    for index in undated:
        yield unreadable_cell(ctx, rule.table, index, "date", f"该行所属年度无法确定，{rule.what}")
    for position, year in enumerate(YEARS):
        declared = getattr(record.basic_info.service[position], rule.declared)
        in_year = [(index, row) for index, row in indexed if _year_of(ctx, rule.table, index, row.date) == year]
        misread_years = [f"appendix.{rule.table}[{index}].date" for index, row in in_year if row.date.year != year]
        gaps = [index for index, row in in_year if getattr(row, rule.cell) in (None, "")]
        for index in gaps:
            yield unreadable_cell(ctx, rule.table, index, rule.cell, f"{year}年{rule.what}")
        if declared is None:
            continue  # blank declared figure: FIELD_MISSING
        if gaps or undated:  # unreadable rows: LOW_CONFIDENCE above, and only a sum already over is a finding
            yield from _over_without_unread(ctx, rule, position, in_year, gaps, undated, declared)
            continue
        found = rule.measure(ctx, [row for _, row in in_year])
        tolerance = ctx.rules.amount_tolerance if rule.amount else 0
        if _differs(found, declared, tolerance) and not _between_readings(ctx, rule, in_year, found, declared):
            declared_path = f"basic_info.service[{position}].{rule.declared}"
            cells = [f"appendix.{rule.table}[{index}].{rule.cell}" for index, _ in in_year]
            dates = [f"appendix.{rule.table}[{index}].date" for index, _ in indexed]
            check = finding(
                rule.code, str(year),
                f"{label} {year}年{rule.what} {rule.show(found)} {rule.unit}（{len(in_year)} 行），"
                f"与基本情况表填报的 {rule.show(declared)} {rule.unit}不符",
                expected=declared, found=found,
                evidence=[*_declared_evidence(ctx, declared_path),
                          *ctx.rows_evidence(cells, APPENDIX_TABLE_ROLES[rule.table])],
            )
            judged = ctx.judged(check, [*cells, *dates], declared=declared_path, summed=cells,
                                structure=ctx.rows_in_doubt(rule.table, rows, within=[row for _, row in in_year]),
                                tolerance=tolerance if rule.cell in SUMMED_CELLS else None,
                                alike=[*_names_nearly_alike(ctx, rule, in_year), *misread_years])
            if rule.amount:
                judged = beyond_its_total(ctx, judged, cells, declared, declared_path)
            if rule.cell in SUMMED_CELLS:
                judged = short_of_a_fuller_reading(ctx, judged, cells, declared, declared_path, tolerance)
            yield judged


def _over_without_unread(ctx: CheckContext, rule: YearlyRule, position: int, in_year: list[tuple[int, Any]],
                         gaps: list[int], undated: list[int], declared: float) -> Iterator[Check]:
    """A year's measure over its read rows alone already above the declared figure: its unread cells (no
    value, or no date to place the row in a year) can only add to a sum or a count of names, never take
    from it, so the form's figure is short whatever they hold. The comparison the unread rows held back
    is made where its outcome does not depend on them (dev17 a03: 2025's contracts 1,368.8 万元 over five
    read amounts, one under a seal unread, against 603.8 declared). Short of the figure, it says nothing."""
    year = YEARS[position]
    read = [(index, row) for index, row in in_year if index not in gaps]
    if not read or rule.cell not in SUMMED_CELLS:
        return  # a count of names rests on names read right, and one misread more is one more: sums only
    found = rule.measure(ctx, [row for _, row in read])
    tolerance = ctx.rules.amount_tolerance if rule.amount else 0
    cells = [f"appendix.{rule.table}[{index}].{rule.cell}" for index, _ in read]
    if least_sum(ctx, cells) <= declared + tolerance + 1e-9:
        return
    declared_path = f"basic_info.service[{position}].{rule.declared}"
    dates = [f"appendix.{rule.table}[{index}].date" for index, _ in read]
    unread = len(gaps) + len(undated)
    check = finding(
        rule.code, str(year),
        f"{TABLE_LABELS[rule.table]} {year}年{rule.what}仅已识读的 {len(read)} 行即达 {rule.show(found)} {rule.unit}"
        f"（另有 {unread} 行无法识读，未计入），已超过基本情况表填报的 {rule.show(declared)} {rule.unit}",
        expected=declared, found=found,
        evidence=[*_declared_evidence(ctx, declared_path), *ctx.rows_evidence(cells, APPENDIX_TABLE_ROLES[rule.table])],
    )
    rows = getattr(_application(ctx).appendix, rule.table)
    yield ctx.judged(check, [*cells, *dates], declared=declared_path, summed=cells,
                     structure=ctx.rows_in_doubt(rule.table, rows, within=[row for _, row in in_year]),
                     alike=_names_nearly_alike(ctx, rule, read))


def least_sum(ctx: CheckContext, cells: Sequence[str]) -> float:
    """The sum of `cells` each at its smallest reading (its value or an alternative the reader kept): a sum over
    unread cells is over its total only if it is under every reading of the read ones (dev13 a09: '237.6' read
    23,760 beside 237.6 put the year 25,137 over 1,657.65; at 237.6 it is not)."""
    total = 0.0
    for path in cells:
        value = get_path(ctx.record, path)
        origin = ctx.record.provenance.get(path)
        readings = [value, *(origin.alternatives if origin is not None else [])]
        total += min(float(r) for r in readings if isinstance(r, int | float) and not isinstance(r, bool))
    return total


def beyond_its_total(ctx: CheckContext, check: Check, summed: Sequence[str], declared: float,
                     declared_path: str) -> Check:
    """A doubtful sum mismatch over an amount read without a point and above the whole declared total it is a
    part of, read twice already: LOW_CONFIDENCE for that amount, the sum unchecked. The form's total covers
    each of its amounts, so either the form is short by more than that amount, or the reading lost its point
    or gained a seal's stroke for a digit ('93.01' read 93,011 on a fax, '162.60' read 162,601 beside a ring,
    '1,297.00' read 129,700) and another amount of the sum, misread too, keeps its point readings from
    settling it. The mismatch is not established. Where the other amounts alone, at their smallest
    readings, already exceed the total, it holds whatever this one is, and the warning stays."""
    if check.code == "LOW_CONFIDENCE" or not check.doubts:
        return check  # an error rests on sure readings only; a reading to confirm is a doubt already
    tolerance = ctx.rules.amount_tolerance
    if _total_below_each(ctx, check, summed, declared + tolerance, declared_path):
        return check.model_copy(update={"doubts": [declared_path]})
    for path in summed:
        origin = ctx.record.provenance.get(path)
        value = get_path(ctx.record, path)
        if path not in check.doubts or origin is None or origin.confirmed_by is None \
                or not _without_point_over(value, declared + tolerance):
            continue
        if least_sum(ctx, [other for other in summed if other != path]) > declared + tolerance + 1e-9:
            return check
        return finding("LOW_CONFIDENCE", path,
                       f"{ctx.describe_doubt(path)}：未见小数点，单独一项即超过填报合计 {wan(declared)} 万元，"
                       f"多半漏读了小数点或多读了数字，合计未核对，请人工核对：{check.message.split(DOUBT_NOTE)[0]}",
                       confidence=check.confidence, doubts=[path], rests_on=check.rests_on,
                       evidence=check.evidence)
    return check


def short_of_a_fuller_reading(ctx: CheckContext, check: Check, summed: Sequence[str], declared: float,
                              declared_path: str, tolerance: float) -> Check:
    """A doubtful sum mismatch that digits lost from one figure would explain, as a second reading of that figure
    that saw more of its digits says they may be: LOW_CONFIDENCE for that figure, the sum unchecked.

    A second reading of the crop with more whole digits than the reading summed ('1,987' beside the '1' of a
    phone photo, dev30 a11; '258' beside '5', dev30 a02) says the cell may hold more than was summed. With digits
    lost, the figure is of the next order of magnitude at least (10 and more for a '5') and, as far as any reading
    saw, at most its fullest reading: where a figure so, the others anywhere between their smallest and largest
    readings, reaches the declared total, the mismatch may be those lost digits, and no mismatch is found. Where it
    does not, the lost digits do not explain it, and the warning stays: a total beyond even the fullest reading
    (dev34 a03: '15' beside '315', a true shortfall of 20 at 315), or below the figure at its next order of
    magnitude (dev34 a08: '1,974' beside '11,974', the total 5,128 short of any five-digit figure). A shorter second
    reading ('4' beside '48') saw less and opens nothing (as `implied._reading_that_lost` holds)."""
    if check.code == "LOW_CONFIDENCE" or not check.doubts:
        return check  # an error rests on sure readings only; a reading to confirm is a doubt already
    if any((origin := ctx.record.provenance.get(path)) is not None and origin.source == "ocr"
           and origin.confirmed_by is None for path in summed if path in check.doubts):
        # Not before the doubtful figures were read again on their crops: the failed comparison is what has them
        # read again, and the total then implies what the readings lost (`implied`); only what that leaves open is
        # left unchecked (dev32 a10: '1.08' beside '1,050.2' put right to 1,002.08 by its total once read again).
        return check
    totals = [declared, *_open_readings(ctx, declared_path)] if declared_path in check.doubts else [declared]
    spans = {path: _span(ctx, path) for path in summed}
    fuller = [path for path in summed if path in check.doubts and (lost := _lost_digits(ctx, path)) is not None
              and _reaches(spans, path, lost, totals, tolerance)]
    if not fuller:
        return check
    path, doubts = fuller[0], list(dict.fromkeys([*fuller, *check.doubts]))
    # The figure's own doubt and the others the comparison rests on, named here once (`one_finding_per_doubt`).
    note = "；".join(ctx.describe_doubt(doubt) for doubt in doubts)
    return finding("LOW_CONFIDENCE", path,
                   f"{check.message.split(DOUBT_NOTE)[0]}，但 {path} 的另一读数 "
                   f"{show_value(_fuller_reading(ctx, path))} 的整数位多于所用读数，该数可能漏读了数字，"
                   f"按漏读计合计可以相符，未判定为不符。所依据的读数存疑，请人工核对：{note}",
                   confidence=check.confidence, doubts=doubts, rests_on=check.rests_on, evidence=check.evidence)


def _reaches(spans: dict[str, tuple[float, float]], path: str, lost: tuple[float, float], totals: Sequence[float],
             tolerance: float) -> bool:
    """Some total of `totals` lies within the sum's reach with the figure at `path` in `lost` and every other figure
    within its span."""
    low = lost[0] + sum(span[0] for other, span in spans.items() if other != path)
    high = lost[1] + sum(span[1] for other, span in spans.items() if other != path)
    return any(low - tolerance - 1e-9 <= total <= high + tolerance + 1e-9 for total in totals)


def _span(ctx: CheckContext, path: str) -> tuple[float, float]:
    """A figure's smallest and largest reading (its value and its open alternatives)."""
    value = get_path(ctx.record, path)
    readings = [*([float(value)] if isinstance(value, int | float) and not isinstance(value, bool) else []),
                *_open_readings(ctx, path)]
    return (min(readings), max(readings)) if readings else (0.0, 0.0)


def _lost_digits(ctx: CheckContext, path: str) -> tuple[float, float] | None:
    """What the figure at `path` is if its reading lost digits a fuller reading saw: from the reading's next order
    of magnitude up to the fullest reading; None without a fuller reading."""
    value, fuller = get_path(ctx.record, path), _fuller_reading(ctx, path)
    if fuller is None or not isinstance(value, int | float) or isinstance(value, bool):
        return None
    return float(10 ** whole_digits(float(value))), fuller


def whole_digits(value: float) -> int:
    """How many digits a figure has before its point (none below 1)."""
    return len(str(int(abs(value)))) if abs(value) >= 1 else 0


def _open_readings(ctx: CheckContext, path: str) -> list[float]:
    """A figure's alternatives no rule settled, as floats."""
    return [float(other) for other in open_figures(ctx.record, path)]


def _fuller_reading(ctx: CheckContext, path: str) -> float | None:
    """The figure's largest open alternative with more whole digits than the reading summed, that is
    not the reading with its point moved (10.488 | 10,488: a separator read two ways, the same digits seen)."""
    value = get_path(ctx.record, path)
    if not isinstance(value, int | float) or isinstance(value, bool):
        return None
    longer = [other for other in _open_readings(ctx, path)
              if whole_digits(other) > whole_digits(float(value)) and not _point_moved(float(value), other)]
    return max(longer, default=None)


def _point_moved(value: float, other: float) -> bool:
    """`other` is `value` times a power of ten."""
    return value != 0 and any(math.isclose(other, value * 10 ** shift) for shift in range(1, 9))


def _total_below_each(ctx: CheckContext, check: Check, summed: Sequence[str], limit: float, declared_path: str) -> bool:
    """The declared total, read in doubt, is below every one of two or more figures of its sum, each at its
    smallest reading: the total, not each figure, lost characters (dev25 a05: 2025's 累计 financing '2,292' read
    2.29 beside financings of 1,087 and 1,205), so the mismatch rests on that one reading whatever the figures'
    own doubts, and where the not-decreasing rule fails on it too the two are one doubt about it
    (`registry.one_finding_per_reading`). A form whose every listed figure exceeds its total is no applicant's
    slip seen on any dev set (its true total mismatches all have figures below the total)."""
    return (declared_path in check.doubts and len(summed) >= 2
            and all(_smallest_open_reading(ctx, path) > limit + 1e-9 for path in summed))


def _smallest_open_reading(ctx: CheckContext, path: str) -> float:
    """A figure's smallest reading among its value and the alternatives no rule settled (a rule's rejected
    reading, a thousands comma read as a point the column's commas ruled out, is no reading of it)."""
    origin = ctx.record.provenance.get(path)
    others = origin.alternatives if origin is not None and origin.unsettled else []
    readings = [get_path(ctx.record, path), *others]
    return min((float(r) for r in readings if isinstance(r, int | float) and not isinstance(r, bool)),
               default=math.inf)


def _without_point_over(value: object, limit: float) -> bool:
    """An amount read as a whole number above `limit`."""
    return isinstance(value, int | float) and not isinstance(value, bool) and value == int(value) and value > limit


# Names a few characters further apart than one enterprise read twice may be one name misread more: a phone's
# '泉州捷华金属制品股潮晨公司' beside its own '…股份有限公司' (three slips), read at 0.87.
NEARLY_ALIKE_EDITS = 2


def _names_nearly_alike(ctx: CheckContext, rule: YearlyRule, in_year: list[tuple[int, Any]]) -> list[str]:
    """The cells of a count of distinct names (`rule.unfolded`) whose names stand apart by a few characters more
    than `distinct_names` folds: whether they are two enterprises or one misread, the reading does not say, and a
    count resting on them is in doubt (a warning naming them, never an error)."""
    if rule.unfolded is None:
        return []
    most, shortest = ctx.rules.same_name_max_edits, ctx.rules.same_name_min_length
    names = [(index, "".join(str(getattr(row, rule.cell) or "").split())) for index, row in in_year]
    alike = {index for (index, name), (other_index, other) in itertools.combinations(names, 2)
             if min(len(name), len(other)) >= shortest
             and most < Levenshtein.distance(name, other) <= most + NEARLY_ALIKE_EDITS
             for index in (index, other_index)}
    return [f"appendix.{rule.table}[{index}].{rule.cell}" for index in sorted(alike)]


def _between_readings(ctx: CheckContext, rule: YearlyRule, in_year: list[tuple[int, Any]], found: float,
                      declared: float) -> bool:
    """The declared figure lies between the measure and its unfolded form: '杭州航中船用设备有限公司' and
    '杭州航远船用设备有限公司' are two enterprises or one read twice, and the form says which. Its low end
    also folds a name read unsurely into a surer look-alike (`_folding_unsure`)."""
    if rule.unfolded is None:
        return False
    unfolded = rule.unfolded(ctx, [row for _, row in in_year])
    folded = _folding_unsure(ctx, rule, in_year)
    cores = distinct_names([_core(str(getattr(row, rule.cell) or "")) for _, row in in_year], CORE_MIN_LENGTH,
                           ctx.rules.same_name_max_edits)
    return min(found, unfolded, folded, cores) <= declared <= max(found, unfolded)


# A name's core (`_core`) this long at least is a place, a name and a trade: cores a slip apart are one enterprise's.
CORE_MIN_LENGTH = 6
LEGAL_FORMS = ("股份", "有限")


def _core(name: str) -> str:
    """The name before its legal form (股份有限公司, 有限公司…): a phone photo garbles the form's characters in one
    row and not the next ('东莞晟拓乳业股份有P', '东莞晟拓乳业股有限公司', dev44 a06), and the names then stand more
    slips apart than one enterprise read twice, while their cores ('东莞晟拓乳业', '…乳业股') stand one apart. The
    low end of a count the form's figure may settle, never the count itself: '…钢铁有限公司' and '…钢铁股份有限公司'
    may be two enterprises."""
    text = "".join(name.split())
    cut = min((at for form in LEGAL_FORMS if (at := text.find(form)) > 0), default=len(text))
    return text[:cut]


def _folding_unsure(ctx: CheckContext, rule: YearlyRule, in_year: list[tuple[int, Any]]) -> float:
    """The count of names with each name read under `rules.name_sure` taken for a surer name of the year
    that stands a few characters from it (`NEARLY_ALIKE_EDITS` more than one name read twice): a phone's
    '泉州捷华金属制品股潮晨公司' (0.87) beside its own '…股份有限公司' (0.98), a fax's '绍兴秦智有色金丽集团'
    (0.89) beside '绍兴素智有色金属集团' (0.95). Names read surely stay apart however alike: '洛阳盛华水泥' and
    '洛阳星顺水泥', each read at 1.0, are two enterprises."""
    most, shortest = ctx.rules.same_name_max_edits, ctx.rules.same_name_min_length
    named = [(_name_confidence(ctx, rule, index), "".join(str(getattr(row, rule.cell) or "").split()))
             for index, row in in_year]
    kept: list[str] = []
    for confidence, name in sorted(named, key=lambda pair: -pair[0]):  # surest first: they are the look-alikes
        if confidence < ctx.rules.name_sure and any(
                min(len(name), len(other)) >= shortest
                and Levenshtein.distance(name, other) <= most + NEARLY_ALIKE_EDITS for other in kept):
            continue
        kept.append(name)
    return distinct_names(kept, shortest, most)


def _name_confidence(ctx: CheckContext, rule: YearlyRule, index: int) -> float:
    """How surely a row's name was read (1.0 without provenance: a text layer's, a hand-made record's)."""
    origin = ctx.record.provenance.get(f"appendix.{rule.table}[{index}].{rule.cell}")
    return 1.0 if origin is None or origin.confidence is None else origin.confidence


def _register_yearly(rule: YearlyRule) -> None:
    register(rule.code, "error")(lambda ctx: _yearly(ctx, rule))


for _rule in YEARLY_RULES:
    _register_yearly(_rule)


def _declared_evidence(ctx: CheckContext, path: str) -> list[Evidence]:
    return ctx.evidence(path) or ctx.evidence(roles=["basic_info"])


def _count_check(ctx: CheckContext, code: str, field: str, table: str, indexes: list[int], what: str) -> Iterator[Check]:
    declared = getattr(_application(ctx).basic_info.resources[1], field)
    found = len(indexes)
    if declared is not None and found != declared:
        names = [f"appendix.{table}[{i}].name" for i in indexes]
        check = finding(
            code, "", f"{TABLE_LABELS[table]} {what}共 {found} 家，与基本情况表 2025 年（累计）填报的 {declared} 家不符",
            expected=declared, found=found,
            evidence=[*_declared_evidence(ctx, f"basic_info.resources[1].{field}"),
                      *ctx.rows_evidence(names, APPENDIX_TABLE_ROLES[table])],
        )
        rows = getattr(_application(ctx).appendix, table)
        structure = ctx.rows_in_doubt(table, rows, "category" if table == "institutions" else None)
        if table == "institutions" and found < declared <= found + rows_below(ctx, table, indexes, "category"):
            structure = [f"appendix.{table}"]  # the rows its category's cell runs on past may be the rest
        yield ctx.judged(check, [*names, *(f"appendix.{table}[{i}].category" for i in indexes)],
                         declared=f"basic_info.resources[1].{field}", structure=structure)


# Of a row's height, how far a group's cell must run on past its last read row to hold another row.
ROW_LEFT_OVER = 0.5


def rows_below(ctx: CheckContext, table: str, indexes: Sequence[int], group: str) -> int:
    """How many rows the merged `group` cell of rows `indexes` (read from pixels) runs on below the last of them:
    a category cell is one cell down all its rows, so where it reaches a row's height and more past the last row
    read beside it, rows were lost there (dev40 a06, a fax: 高校科研院所's cell two rows tall beside one read row,
    之江实验室 under the seal unread; dev37 a08's 湖南大学 under a black seal). Rows lost above the first are not
    counted: a header's 类别 may run into the cell. 0 where the cells were not read from pixels."""
    placed: list[tuple[int, list[float], list[float]]] = []  # each row's page, its group cell's and name's boxes
    for index in indexes:
        cell = ctx.record.provenance.get(f"appendix.{table}[{index}].{group}")
        name = ctx.record.provenance.get(f"appendix.{table}[{index}].name")
        if cell is None or cell.bbox is None or cell.source != "ocr" or name is None or name.bbox is None \
                or cell.page != name.page:
            return 0
        placed.append((name.page, list(cell.bbox), list(name.bbox)))
    if not placed:
        return 0
    page, cell_box, name_box = max(placed, key=lambda row: (row[0], row[2][3]))
    heights = sorted(box[3] - box[1] for on, _, box in placed if on == page)
    height = heights[len(heights) // 2]
    if height <= 0:
        return 0
    return max(0, math.floor((cell_box[3] - name_box[3]) / height + 1 - ROW_LEFT_OVER))


def _institutions(ctx: CheckContext, category: str, field: str, code: str) -> Iterator[Check]:
    if not table_present(ctx, "institutions"):
        return
    rows = _application(ctx).appendix.institutions
    # A category read as neither (the header's 类别 carried into the first row, a seal's text) is unread:
    # counting by it would hold the row for neither category.
    unknown = [index for index, row in enumerate(rows) if row.category not in INSTITUTION_CATEGORIES]
    for index in unknown:
        yield unreadable_cell(ctx, "institutions", index, "category", "机构类别计数")
    if not unknown:
        indexes = [index for index, row in enumerate(rows) if row.category == category]
        yield from _count_check(ctx, code, field, "institutions", indexes, category)


@register("INVESTOR_COUNT_MISMATCH", "error")
def investor_count(ctx: CheckContext) -> Iterator[Check]:
    yield from _institutions(ctx, INVESTORS, "investors", "INVESTOR_COUNT_MISMATCH")


@register("UNIVERSITY_COUNT_MISMATCH", "error")
def university_count(ctx: CheckContext) -> Iterator[Check]:
    yield from _institutions(ctx, UNIVERSITIES, "universities", "UNIVERSITY_COUNT_MISMATCH")


@register("PROVIDER_COUNT_MISMATCH", "error")
def provider_count(ctx: CheckContext) -> Iterator[Check]:
    if table_present(ctx, "providers"):
        indexes = list(range(len(_application(ctx).appendix.providers)))
        yield from _count_check(ctx, "PROVIDER_COUNT_MISMATCH", "providers", "providers", indexes, "数字化转型服务商")


@register("FINANCING_TOTAL_MISMATCH", "error")
def financing_total(ctx: CheckContext) -> Iterator[Check]:
    record = _application(ctx)
    if not table_present(ctx, "financings"):
        return
    indexed = list(enumerate(record.appendix.financings))
    for index, row in indexed:
        if stray("financings", row, "amount"):
            yield stray_row(ctx, "financings", index, "amount")
    indexed = [(index, row) for index, row in indexed if not stray("financings", row, "amount")]
    rows = [row for _, row in indexed]
    gaps = [index for index, row in indexed if row.amount is None]
    for index in gaps:
        yield unreadable_cell(ctx, "financings", index, "amount", "融资金额合计")
    declared = record.basic_info.resources[1].financing
    if declared is None:
        return
    total = round(sum(row.amount or 0.0 for row in rows), 4)
    if gaps:  # unread amounts only add to the sum: a sum already over is short whatever they hold
        yield from _financing_over_without_unread(ctx, indexed, gaps, total, declared)
        return
    if _differs(total, declared, ctx.rules.amount_tolerance):
        cells = [f"appendix.financings[{i}].amount" for i, _ in indexed]
        check = finding(
            "FINANCING_TOTAL_MISMATCH", "",
            f"附3表3 对接成功融资金额合计 {wan(total)} 万元（{len(rows)} 行），"
            f"与基本情况表 2025 年（累计）填报的 {wan(declared)} 万元不符",
            expected=declared, found=total,
            evidence=[*_declared_evidence(ctx, "basic_info.resources[1].financing"),
                      *ctx.rows_evidence(cells, "appendix3_table3")],
        )
        judged = ctx.judged(check, (), declared="basic_info.resources[1].financing", summed=cells,
                            structure=ctx.rows_in_doubt("financings", rows), tolerance=ctx.rules.amount_tolerance)
        judged = beyond_its_total(ctx, judged, cells, declared, "basic_info.resources[1].financing")
        yield short_of_a_fuller_reading(ctx, judged, cells, declared, "basic_info.resources[1].financing",
                                        ctx.rules.amount_tolerance)


def _financing_over_without_unread(ctx: CheckContext, indexed: list[tuple[int, Any]], gaps: list[int], total: float,
                                   declared: float) -> Iterator[Check]:
    """The read financing amounts alone already above the declared cumulative figure (`_over_without_unread`)."""
    read = [index for index, _ in indexed if index not in gaps]
    cells = [f"appendix.financings[{i}].amount" for i in read]
    if least_sum(ctx, cells) <= declared + ctx.rules.amount_tolerance + 1e-9:
        return
    check = finding(
        "FINANCING_TOTAL_MISMATCH", "",
        f"附3表3 对接成功融资金额仅已识读的 {len(read)} 行即达 {wan(total)} 万元（另有 {len(gaps)} 行无法识读，未计入），"
        f"已超过基本情况表 2025 年（累计）填报的 {wan(declared)} 万元",
        expected=declared, found=total,
        evidence=[*_declared_evidence(ctx, "basic_info.resources[1].financing"),
                  *ctx.rows_evidence(cells, "appendix3_table3")],
    )
    rows = [row for _, row in indexed]
    yield ctx.judged(check, (), declared="basic_info.resources[1].financing", summed=cells,
                     structure=ctx.rows_in_doubt("financings", rows))


@register("CUMULATIVE_DECREASE", "error")
def cumulative_decrease(ctx: CheckContext) -> Iterator[Check]:
    first, second = _application(ctx).basic_info.resources
    for field, label in CUMULATIVE_FIELDS.items():
        before, after = getattr(first, field), getattr(second, field)
        if before is not None and after is not None and after < before:
            unit = CUMULATIVE_UNITS[field]
            show = wan if unit == "万元" else str
            paths = (f"basic_info.resources[0].{field}", f"basic_info.resources[1].{field}")
            check = finding(
                "CUMULATIVE_DECREASE", field,
                f"“{label}”为累计数，2025 年填报 {show(after)} {unit}，低于 2024 年的 {show(before)} {unit}",
                expected=before, found=after,
                evidence=ctx.evidence(*paths) or ctx.evidence(roles=["basic_info"]),
            )
            yield ctx.judged(check, paths)


def _in_period(ctx: CheckContext, date: dt.date) -> bool:
    return ctx.rules.period_start <= date <= ctx.rules.period_end


def _period(ctx: CheckContext) -> str:
    return f"{ctx.rules.period_start.isoformat()}—{ctx.rules.period_end.isoformat()}"


# Years this far outside the period are no slip of a date just before or after it ('2023-12-28' for a
# contract of the period's first week): read from pixels, one digit off a year of the period, a misreading.
FAR_YEARS = 2


def _year_of(ctx: CheckContext, table: str, index: int, date: dt.date | None) -> int | None:
    return period_year(ctx.record, f"appendix.{table}[{index}].date", date,
                       range(ctx.rules.period_start.year, ctx.rules.period_end.year + 1))


def period_year(record: CheckedRecord, path: str, date: dt.date | None, years: Sequence[int] = YEARS) -> int | None:
    """The year a dated row counts in: its date's, or for a date read from pixels far outside the period the
    one period year its year is a digit away from (`_near_years`: '3025-04-03' is a 2025 row misread, dev13
    a11, and left out of 2025's sum it made a false total mismatch). Its LOW_CONFIDENCE still asks a reviewer."""
    if date is None:
        return None
    near = _near_years(record, path, date, years)
    return near[0] if len(near) == 1 else date.year


def _near_years(record: CheckedRecord, path: str, date: dt.date, years: Sequence[int]) -> list[int]:
    """The period `years` a date read from pixels more than `FAR_YEARS` outside them becomes with one digit
    changed (3025 or 2004 for 2025 and 2024)."""
    origin = record.provenance.get(path)
    if origin is None or origin.source != "ocr" or years[0] - FAR_YEARS <= date.year <= years[-1] + FAR_YEARS:
        return []
    read = str(date.year)
    return [year for year in years
            if len(str(year)) == len(read) and sum(a != b for a, b in zip(str(year), read, strict=True)) == 1]


def _misread_year(ctx: CheckContext, path: str, date: dt.date) -> Check | None:
    """LOW_CONFIDENCE for a date whose year is a period year misread (`_near_years`)."""
    near = _near_years(ctx.record, path, date, range(ctx.rules.period_start.year, ctx.rules.period_end.year + 1))
    if not near:
        return None
    return finding("LOW_CONFIDENCE", path,
                   f"{path} 读作 {date.isoformat()}，年份与期间内的 {near[0]} 年仅差一位数字，可能是误读，请人工核对",
                   found=date.isoformat(), confidence=0.5, evidence=ctx.evidence(path))


@register("CONTRACT_DATE_OUT_OF_RANGE", "warning")
def contract_dates(ctx: CheckContext) -> Iterator[Check]:
    if not table_present(ctx, "contracts"):
        return
    for index, row in enumerate(_application(ctx).appendix.contracts):
        if row.date is not None and not _in_period(ctx, row.date):
            if (doubt := _misread_year(ctx, f"appendix.contracts[{index}].date", row.date)) is not None:
                yield doubt
                continue
            number = row.contract_no or str(index + 1)
            yield ctx.judged(finding(
                "CONTRACT_DATE_OUT_OF_RANGE", number,
                f"附2表2 合同 {number} 签订日期 {row.date.isoformat()}，不在 {_period(ctx)} 期间内",
                expected=_period(ctx), found=row.date.isoformat(),
                evidence=ctx.evidence(f"appendix.contracts[{index}].date", f"appendix.contracts[{index}].contract_no")
                or ctx.evidence(roles=["appendix2_table2"]),
            ), [f"appendix.contracts[{index}].date"])


@register("TRAINING_DATE_OUT_OF_RANGE", "warning")
def training_dates(ctx: CheckContext) -> Iterator[Check]:
    if not table_present(ctx, "trainings"):
        return
    for index, row in enumerate(_application(ctx).appendix.trainings):
        if row.date is not None and not _in_period(ctx, row.date):
            if (doubt := _misread_year(ctx, f"appendix.trainings[{index}].date", row.date)) is not None:
                yield doubt
                continue
            yield ctx.judged(finding(
                "TRAINING_DATE_OUT_OF_RANGE", str(index + 1),
                f"附2表3 第 {index + 1} 行培训日期 {row.date.isoformat()}，不在 {_period(ctx)} 期间内",
                expected=_period(ctx), found=row.date.isoformat(),
                evidence=ctx.evidence(f"appendix.trainings[{index}].date") or ctx.evidence(roles=["appendix2_table3"]),
            ), [f"appendix.trainings[{index}].date", f"appendix.trainings[{index}].name"])


@register("DUPLICATE_CONTRACT_NO", "error")
def duplicate_contract_numbers(ctx: CheckContext) -> Iterator[Check]:
    if not table_present(ctx, "contracts"):
        return
    contracts = _application(ctx).appendix.contracts
    for index, row in enumerate(contracts):
        if not row.contract_no:
            yield unreadable_cell(ctx, "contracts", index, "contract_no", "合同编号重复")
    counts = Counter(row.contract_no for row in contracts if row.contract_no)
    for number, count in counts.items():
        if count > 1:
            indexes = [i for i, row in enumerate(contracts) if row.contract_no == number]
            rows = "、".join(f"第 {i + 1} 行" for i in indexes)
            cells = [f"appendix.contracts[{i}].contract_no" for i in indexes]
            check = finding(
                "DUPLICATE_CONTRACT_NO", number, f"附2表2 合同编号 {number} 出现 {count} 次（{rows}），应各不相同",
                found=count, expected=1,
                evidence=ctx.evidence(*cells) or ctx.evidence(roles=["appendix2_table2"]),
            )
            if one_place(ctx, cells):
                # One cell of the page given to two rows (the rule between them lost in that column): the number
                # was read once, so no duplicate is seen; the table's rows are in doubt.
                note = "（这些行的合同编号读自页面上同一个单元格，可能是行线未识别、两行被合并）"
                yield ctx.judged(check.model_copy(update={"message": f"{check.message}{note}"}), cells,
                                 structure=["appendix.contracts"])
                continue
            off = off_scheme([row.contract_no for row in contracts], indexes)
            if not off:
                yield check
                continue
            note = f"（该编号的字母与本表其他编号的格式不同，可能是误读：{number} 未必是所印编号）"
            yield ctx.judged(check.model_copy(update={"message": f"{check.message}{note}"}), cells,
                             alike=[f"appendix.contracts[{i}].contract_no" for i in off])


def one_place(ctx: CheckContext, cells: Sequence[str]) -> bool:
    """The cells were read from pixels at one and the same place of one page: a single cell the table reader gave
    to two rows or more (dev32 a03: '2024.01.15 SZZX2024021' and the next row's date and number, one cell over
    the date and number columns of two rows whose rules a drawn scan lost, read into both rows; a false
    DUPLICATE_CONTRACT_NO error). Two printed numbers alike stand in two places."""
    places = set()
    for path in cells:
        origin = ctx.record.provenance.get(path)
        if origin is None or origin.source != "ocr" or origin.bbox is None:
            return False
        places.add((origin.page, tuple(origin.bbox)))
    return len(cells) > 1 and len(places) == 1


def off_scheme(numbers: Sequence[str | None], indexes: Sequence[int]) -> list[int]:
    """Those of `indexes` whose number departs from the scheme the table's other numbers share: a run of
    letters (a code like 'FW') where two or more of the others agree on another and none has this one.
    An applicant numbers its contracts in one scheme; a photo or a drawn scan that reads 'RAS-FW-2024012'
    as 'RAS-PW-2024012' twice makes a duplicate whose number is misread (dev23 a10), so the finding's
    number is in doubt, however surely each was read."""
    others = [_letter_runs(number) for at, number in enumerate(numbers) if at not in indexes and number]
    off = []
    for at in indexes:
        runs = _letter_runs(numbers[at] or "")
        for place, run in enumerate(runs):
            beside = Counter(other[place] for other in others if len(other) > place)
            common, agreeing = beside.most_common(1)[0] if beside else (run, 0)
            if common != run and agreeing >= SCHEME_AGREEING and run not in beside:
                off.append(at)
                break
    return off


SCHEME_AGREEING = 2  # other numbers that must share a run of letters for it to be the table's scheme


def _letter_runs(number: str) -> list[str]:
    """The runs of letters of a contract number ('RAS-FW-2024012' → RAS, FW), its digits left out."""
    return re.findall(r"[^\W\d_]+", number)
