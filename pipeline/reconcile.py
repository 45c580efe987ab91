"""Reconciliation: the form's own redundancy picks among a reading's alternatives, before any check.

A value read as '10.488' may be 10.488 or 10,488 (`provenance.alternatives`). The basic-info
form declares totals the appendix tables must add up to, and 累计 figures that cannot fall; a
mobile number, a phone number and an e-mail address have a form of their own: where
exactly one combination of the doubtful readings makes such a rule hold, that combination is the
reading, and provenance records which rule picked it (`resolved_by`) and what the other readings
were. Where none or several do, the values stay in doubt and the checks say so (a warning, never
an error, resting on them).
"""

from __future__ import annotations

import functools
import itertools
import logging
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from models import APPENDIX_TABLE_ROLES, INVESTORS, UNIVERSITIES, YEARS, ApplicationRecord, Check, Provenance
from pipeline.checks.figures import distinct_names, period_year
from pipeline.checks.form import EMAIL, is_mobile, is_phone
from pipeline.config import Settings
from pipeline.normalise import is_valid_credit_code
from pipeline.precision import (
    CENTS,
    amount_groups,
    carries_decimals,
    decimals,
    point_read_as_digit,
    point_readings,
    settle_by_precision,
)
from pipeline.record_paths import get_path, set_path
from pipeline.text.chars import is_cjk

log = logging.getLogger(__name__)

Reading = float | int | str
# Above this many doubtful readings in one rule, trying every combination is not worth it.
MAX_DOUBTFUL = 10
# Sums of figures of a few decimals differ by float rounding alone below this (万元).
CLOSEST_SLACK = 1e-6


@dataclass(frozen=True)
class Rule:
    """A relation between values of the record that the form says must hold."""

    name: str
    paths: tuple[str, ...]
    holds: Callable[[Sequence[Reading]], bool]
    # Only among readings of the place itself (first and second readings), never to settle what a
    # repair of one reading proposed: a value's form alone cannot tell a misread from a slip.
    read_twice: bool = False
    # A declared total (the first path) against the sum of the others.
    summed: bool = False


def in_doubt(origin: Provenance | None) -> bool:
    """The reader had other readings for this value and no rule has picked among them yet."""
    return origin is not None and origin.unsettled


def _numbers(values: Sequence[Reading]) -> list[float]:
    return [float(value) for value in values if not isinstance(value, str)]


def _not_decreasing(values: Sequence[Reading]) -> bool:
    earlier, later = _numbers(values)
    return earlier <= later


def _sum_rule(name: str, declared: str, parts: list[str], tolerance: float) -> Rule:
    def holds(values: Sequence[Reading]) -> bool:
        total, *summed = _numbers(values)
        return abs(sum(summed) - total) <= tolerance + 1e-9
    return Rule(name, (declared, *parts), holds, summed=True)


def _count_rule(name: str, declared: str, count: int, unfolded: int | None = None) -> Rule:
    """A declared count against the rows of its table: only the declared figure's readings are chosen among.
    With `unfolded` (names a character apart counted apart, `count` folding them), any count between holds."""
    low, high = sorted((count, count if unfolded is None else unfolded))
    return Rule(name, (declared,), lambda values: all(low <= value <= high for value in _numbers(values)))


def _count_rules(record: ApplicationRecord, settings: Settings) -> Iterator[Rule]:
    """Declared counts against their tables' rows: 服务企业数量 (distinct enterprises of the year's
    contracts), 投融资机构 and 高校科研院所 (institutions by category), 服务商 (providers)."""
    appendix, rules = record.appendix, settings.checks
    if _table_present(record, "contracts") and all(row.date for row in appendix.contracts):
        for position, year in enumerate(YEARS):
            dated = [row for row in appendix.contracts if row.date and row.date.year == year]
            if not all(row.enterprise for row in dated):
                continue  # a name not read holds back its own year's count only
            names = [row.enterprise or "" for row in dated]
            yield _count_rule(f"ENTERPRISE_COUNT_{year}", f"basic_info.service[{position}].enterprises",
                              distinct_names(names, rules.same_name_min_length, rules.same_name_max_edits),
                              distinct_names(names, max_edits=0))
    if _table_present(record, "institutions") and all(row.category for row in appendix.institutions):
        for field, category in (("investors", INVESTORS), ("universities", UNIVERSITIES)):
            yield _count_rule(f"{field.upper()}_COUNT", f"basic_info.resources[1].{field}",
                              sum(row.category == category for row in appendix.institutions))
    if _table_present(record, "providers"):
        yield _count_rule("PROVIDERS_COUNT", "basic_info.resources[1].providers", len(appendix.providers))


def _seq_rules(record: ApplicationRecord) -> Iterator[Rule]:
    """Each appendix table's 序号 against the rows' positions: the applicant numbers its rows 1, 2, 3 … (the
    institutions through the table or afresh in each 类别), so of a 序号 read two ways ('7' or '1' for the
    financings' first row, dev32 a05) the one its place in the run calls for is the reading. Only tables whose
    every row's 序号 was read: a row without one says nothing of the run."""
    for table in APPENDIX_TABLE_ROLES:
        rows = getattr(record.appendix, table, None)
        if not rows or "seq" not in type(rows[0]).model_fields or not _table_present(record, table) \
                or any(row.seq is None for row in rows):
            continue
        groups = [str(getattr(row, "category", "")) for row in rows]
        yield Rule(f"SEQ_RUN_{table.upper()}", tuple(f"appendix.{table}[{index}].seq" for index in range(len(rows))),
                   functools.partial(_numbered, groups=groups))


def _numbered(values: Sequence[Reading], groups: Sequence[str]) -> bool:
    """The 序号 run 1 … n by position, or afresh within each group (1 … k, 1 … m)."""
    numbers = _numbers(values)
    if numbers == [float(index) for index in range(1, len(numbers) + 1)]:
        return True
    seen: dict[str, int] = {}
    for number, group in zip(numbers, groups, strict=True):
        seen[group] = seen.get(group, 0) + 1
        if number != seen[group]:
            return False
    return len(seen) > 1


def _table_present(record: ApplicationRecord, table: str) -> bool:
    return any(page.role == APPENDIX_TABLE_ROLES[table] for page in record.source.pages)


@dataclass(frozen=True)
class SumGroup:
    """A declared total of the basic-info form and the table figures that must add up to it."""

    name: str
    declared: str
    parts: tuple[str, ...]
    # The figures are counts (人次), which must add up exactly; amounts (万元) agree within the tolerance.
    counts: bool = False


def sum_groups(record: ApplicationRecord) -> Iterator[SumGroup]:
    """Every declared total and its figures, read or not: 对接成功融资金额 against the financings' amounts,
    and per year 合同金额 and 参加培训人数 against the amounts and participants of the rows dated in it (a year
    misread far out of the period by one digit counted in its period year, `period_year`). A
    dated table with a row whose date was not read has no year groups: that row could belong to either."""
    appendix = record.appendix
    if _table_present(record, "financings"):
        yield SumGroup("FINANCING_TOTAL", "basic_info.resources[1].financing",
                       tuple(f"appendix.financings[{i}].amount" for i in range(len(appendix.financings))))
    for name, table, column, declared in (("CONTRACT_TOTAL", "contracts", "amount", "contract_amount"),
                                          ("TRAINEE_TOTAL", "trainings", "participants", "trainees")):
        rows = getattr(appendix, table)
        if not _table_present(record, table) or any(row.date is None for row in rows):
            continue
        for position, year in enumerate(YEARS):
            dated = [i for i, row in enumerate(rows) if period_year(record, f"appendix.{table}[{i}].date", row.date) == year]
            yield SumGroup(f"{name}_{year}", f"basic_info.service[{position}].{declared}",
                           tuple(f"appendix.{table}[{i}].{column}" for i in dated), counts=table == "trainings")


def rules_for(record: ApplicationRecord, settings: Settings) -> Iterator[Rule]:
    """The record's redundancy: declared totals against table sums (amounts within the tolerance, 人次
    exactly) where every figure of the sum was read (a figure not read holds back its own total only: a
    2024 cell left blank says nothing of 2025's), declared counts against their tables' rows, 累计 figures
    not decreasing, and the contact fields' own forms."""
    for group in sum_groups(record):
        if all(get_path(record, path) is not None for path in group.parts):
            tolerance = 0.0 if group.counts else settings.checks.amount_tolerance
            yield _sum_rule(group.name, group.declared, list(group.parts), tolerance)
    yield from _count_rules(record, settings)
    yield from _seq_rules(record)
    for name in ("financing", "investors", "universities", "providers"):
        yield Rule(f"CUMULATIVE_{name.upper()}",
                   (f"basic_info.resources[0].{name}", f"basic_info.resources[1].{name}"),
                   _not_decreasing)
    yield from FORM_RULES


def _well_formed(valid: Callable[[str], bool]) -> Callable[[Sequence[Reading]], bool]:
    return lambda values: isinstance(values[0], str) and valid(values[0])


# A written value's own form: of an address read as 'ep1690163.com' and as 'ep169@163.com' on its
# crop, the one that is an address is the reading.
FORM_RULES = (
    Rule("EMAIL_FORM", ("basic_info.head.email",), _well_formed(lambda text: EMAIL.fullmatch(text) is not None), True),
    Rule("MOBILE_FORM", ("basic_info.head.mobile",), _well_formed(is_mobile), True),
    Rule("PHONE_FORM", ("cover.phone",), _well_formed(is_phone), True),
    # A credit code's check character holds for one reading of it: a misread character rarely keeps it.
    Rule("CREDIT_CODE_CHECK", ("basic_info.lead_unit.credit_code",), _well_formed(is_valid_credit_code), True),
)


def _options(record: ApplicationRecord, path: str, origin: Provenance | None) -> list[Reading] | None:
    value = get_path(record, path)
    if not isinstance(value, int | float | str) or isinstance(value, bool):
        return None
    kind = str if isinstance(value, str) else int | float
    others = [alt for alt in (origin.alternatives if in_doubt(origin) and origin else [])
              if isinstance(alt, kind) and not isinstance(alt, bool)]
    return [value, *others]


def can_hold(record: ApplicationRecord, rule: Rule) -> bool:
    """Some combination of the readings `rule` rests on (each value's and its alternatives no rule has
    settled) makes it hold; False too when a value it needs is missing."""
    options = [_options(record, path, record.provenance.get(path)) for path in rule.paths]
    if any(readings is None for readings in options):
        return False
    return any(rule.holds(combo) for combo in itertools.product(*(readings or [] for readings in options)))


def _apply(record: ApplicationRecord, rule: Rule, options: list[list[Reading]],
           chosen: Sequence[Reading | None]) -> None:
    """Each path its `chosen` reading (None: left as it is, in doubt)."""
    for path, readings, value in zip(rule.paths, options, chosen, strict=True):
        origin = record.provenance.get(path)
        if len(readings) < 2 or origin is None or value is None:
            continue
        if value != readings[0]:
            log.info("%s: %s read as %s, not %s (%s holds only so)", record.source.file, path, value,
                     readings[0], rule.name)
        set_path(record, path, value)
        record.provenance[path] = origin.model_copy(update={
            "alternatives": [other for other in readings if other != value], "resolved_by": rule.name})


def resolve(record: ApplicationRecord, rule: Rule) -> bool:
    """Pick the doubtful readings of `rule` when exactly one combination makes it hold; where several do
    (two readings of one figure a cent apart, both within the tolerance), the readings every one of them
    takes alike are picked and the others stay in doubt."""
    origins = [record.provenance.get(path) for path in rule.paths]
    if not any(in_doubt(origin) for origin in origins):
        return False
    if rule.read_twice and any(origin is None or origin.confirmed_by is None for origin in origins):
        return False
    options = []
    for path, origin in zip(rule.paths, origins, strict=True):
        readings = _options(record, path, origin)
        if readings is None:
            return False  # a value the rule needs is missing: nothing to reconcile
        options.append(readings)
    if sum(len(readings) > 1 for readings in options) > MAX_DOUBTFUL:
        return False
    consistent = _closest(rule, [combo for combo in itertools.product(*options) if rule.holds(combo)])
    if not consistent:
        return False
    agreed = [combo_values[0] if len(set(combo_values)) == 1 and len(readings) > 1 else None
              for readings, combo_values in zip(options, zip(*consistent, strict=True), strict=True)]
    if all(value is None for value in agreed):
        return False
    _apply(record, rule, options, agreed)
    return True


def _closest(rule: Rule, consistent: list[tuple[Reading, ...]]) -> list[tuple[Reading, ...]]:
    """Of the combinations a declared total holds for within its tolerance, those that come closest to it.

    The tolerance lets a total the applicant rounded agree; it does not make a reading a cent off as good
    as one that adds up exactly ('86.7' against '86.71' for a column of two-decimal figures whose declared
    total is their exact sum)."""
    if not rule.summed or len(consistent) < 2:
        return consistent
    gaps = [abs(sum(_numbers(combo[1:])) - float(combo[0])) for combo in consistent]
    least = min(gaps)
    return [combo for combo, gap in zip(consistent, gaps, strict=True) if gap <= least + CLOSEST_SLACK]


def reconcile(record: ApplicationRecord, settings: Settings) -> ApplicationRecord:
    """The record with every doubtful reading that one of its rules can settle, settled (in place)."""
    # A whole column read in 元 first: each of its amounts then has more decimals than the column writes, and
    # read one by one (`precision.yuan_reading`) the column's own figures would say nothing of its unit.
    for table in AMOUNT_TABLES:
        settle_column_unit(record, settings, table)
    settle_by_precision(record, settings.checks)
    settle_lost_points(record, settings)
    for rule in rules_for(record, settings):
        resolve(record, rule)
    settle_unit_type(record, settings)
    return record


def settled_doubts(record: ApplicationRecord, settings: Settings, checks: Sequence[Check]) -> list[Check]:
    """The readers' LOW_CONFIDENCE findings, less those for a value the form's redundancy has since picked
    (`resolved_by` one of this module's rules: a total, a count, a 累计 figure, a form of its own, a unit
    type's fill-in). The reader judged its reading alone; the rule that picked it judged it against the rest
    of the form, and a reviewer is not asked to confirm what the form already agrees with (as
    `checks.fields.low_confidence` skips such a value). A reader's own choice (a column's commas or unit, a
    precision: a likelier reading, not a proven one) stays a doubt."""
    rules = {rule.name for rule in rules_for(record, settings)} | {UNIT_TYPE_OTHER}
    return [check for check in checks if not (
        check.code == "LOW_CONFIDENCE" and (origin := record.provenance.get(check.where)) is not None
        and origin.resolved_by is not None and not origin.unsettled and origin.resolved_by.split(":")[0] in rules)]


UNIT_TYPE_OTHER = "UNIT_TYPE_OTHER"  # `resolved_by` of a 其它 tick its own fill-in bears out
OTHER_TYPE = "其它"
# A fill-in this long, of Chinese characters, is the applicant's words (事业单位, 产业园区运营单位), not a
# stroke of the note's brackets or underline read as a character.
FILL_IN_MIN = 2


def settle_unit_type(record: ApplicationRecord, settings: Settings) -> bool:
    """A 其它 unit type read unsurely (a faint or blotted tick) whose fill-in (请标明：…) was read: the form asks
    for the fill-in only beside 其它, and an applicant who ticks another type leaves it empty, so words
    written there say the tick is 其它 (`resolved_by` UNIT_TYPE_OTHER). With nothing read there the tick stays
    in doubt: dev30 a02's 制造业企业 read as 其它 at 0.5 has no fill-in."""
    lead = record.basic_info.lead_unit
    path = "basic_info.lead_unit.unit_type"
    origin = record.provenance.get(path)
    other = "".join(char for char in (lead.unit_type_other or "") if is_cjk(char))
    if lead.unit_type != OTHER_TYPE or origin is None or origin.resolved_by is not None or len(other) < FILL_IN_MIN \
            or origin.confidence is None or origin.confidence >= settings.checks.confident:
        return False
    log.info("%s: %s read %s at %.2f, its fill-in %r bears it out", record.source.file, path, lead.unit_type,
             origin.confidence, lead.unit_type_other)
    record.provenance[path] = origin.model_copy(update={"resolved_by": UNIT_TYPE_OTHER})
    return True


# The tables whose amounts the form's declared totals sum (`rules_for`): every amount in 万元.
AMOUNT_TABLES = ("contracts", "financings")
# The form writes every amount in 万元; a column header whose 万 the reader lost ('(万' wrapped onto a
# line of its own) makes each figure of the column read in 元, this many times too small.
UNIT_SCALE = 10_000


def settle_column_unit(record: ApplicationRecord, settings: Settings, table: str) -> bool:
    """A table's amounts read in the wrong unit, read in 万元: where none of its declared totals holds
    as read and one holds with every amount of the column 10^4 times larger, the column's unit was
    misread and all its amounts are scaled (`resolved_by` names the total, the reading as read kept in
    `alternatives`). A total that fails at both scales is left to the checks."""
    prefix = f"appendix.{table}["
    rules = [rule for rule in rules_for(record, settings)
             if rule.summed and len(rule.paths) > 1 and all(path.startswith(prefix) for path in rule.paths[1:])]
    readings = [[get_path(record, path) for path in rule.paths] for rule in rules]
    rules, readings = _complete(rules, readings)
    if not rules or any(rule.holds(values) for rule, values in zip(rules, readings, strict=True)):
        return False
    scaled = [[values[0], *(value * UNIT_SCALE for value in values[1:])] for values in readings]
    holding = [rule.name for rule, values in zip(rules, scaled, strict=True) if rule.holds(values)]
    if not holding:
        return False
    for index, row in enumerate(getattr(record.appendix, table)):
        if isinstance(row.amount, int | float):
            path = f"{prefix}{index}].amount"
            _rescale(record, path, float(row.amount), f"{holding[0]}:万元")
    log.info("%s: the %s column's amounts read in 元 are in 万元 (%s holds only so)", record.source.file,
             table, ", ".join(holding))
    return True


POINT_LOST = "POINT_LOST"  # `resolved_by` suffix of an amount whose lost point a total put back


def settle_lost_points(record: ApplicationRecord, settings: Settings) -> list[str]:
    """Amounts read without their point, however surely, put right where a declared total then holds.

    A fax's dither or a seal's stroke takes a point and leaves every digit ('797.89' read 79789, confirmed on
    its crop by the same engine): the reading is sure and wrong, and its sum fails by a hundredfold. Where a
    total fails on every reading, and exactly one of its figures read as a whole number, in a column that
    writes points, makes it hold once its point is put back (or the digit in the point's place taken for
    it: `precision.point_readings`, `precision.point_read_as_digit`), that is the reading: a total holding to
    the cent on a moved point is no chance. `resolved_by` names the total, the reading as read is kept in
    `alternatives`. The paths settled are returned."""
    settled = []
    for rule in rules_for(record, settings):
        if not rule.summed or len(rule.paths) < 2 or not rule.paths[1].startswith(_AMOUNT_PREFIXES) \
                or can_hold(record, rule):
            continue
        found = _nearest_holding(record, rule, _restored_points(record, rule))
        pairs = [] if found else _restored_pairs(record, rule)
        if len(found) == 1:
            chosen = [found[0]]
        elif not found and len(pairs) == 1:
            chosen = list(pairs[0])
        else:
            continue
        for path, value in chosen:
            origin = record.provenance[path]
            log.info("%s: %s read %s, %s with its point put back (%s holds only so)", record.source.file, path,
                     get_path(record, path), value, rule.name)
            record.provenance[path] = origin.model_copy(update={
                "alternatives": [get_path(record, path)], "resolved_by": f"{rule.name}:{POINT_LOST}"})
            set_path(record, path, value)
            settled.append(path)
    return settled


def _restored_pairs(record: ApplicationRecord, rule: Rule) -> list[tuple[tuple[str, float], tuple[str, float]]]:
    """Each two figures of `rule`'s sum read without their points under whose points put back together (each
    as `_restored_points` offers it) the total holds, the other values as read: a drawn scan's dither that
    took one amount's point takes its neighbours' (dev32 a11: '1,551.52' and '2,803.12' read 155152 and
    280312, confirmed on their crops; 972.09 + 213.9 + 1,551.52 + 2,803.12 is the declared 5,540.63 to the
    cent). Two points put back at once make one total hold to the cent by chance far too rarely to doubt; so
    few pairs are tried (whole-number figures of a column that writes points) that the search is small. Of the
    pairs that hold, those nearest the total (`_closest`); the caller takes them only when one is left."""
    values = [get_path(record, path) for path in rule.paths]
    if not all(isinstance(value, int | float) and not isinstance(value, bool) for value in values):
        return []
    numbers = [float(value) for value in values if isinstance(value, int | float)]
    options = {position: _point_options(record, path, numbers[position])
               for position, path in enumerate(rule.paths[1:], start=1)}
    options = {position: readings for position, readings in options.items() if readings}
    found: list[tuple[tuple[str, float], tuple[str, float]]] = []
    gaps: list[float] = []
    for first, second in itertools.combinations(sorted(options), 2):
        for one, other in itertools.product(options[first], options[second]):
            trial = list(numbers)
            trial[first], trial[second] = one, other
            if rule.holds(trial):
                found.append(((rule.paths[first], one), (rule.paths[second], other)))
                gaps.append(abs(sum(trial[1:]) - trial[0]))
    return [pair for pair, gap in zip(found, gaps, strict=True) if gap <= min(gaps, default=0.0) + CLOSEST_SLACK]


def _point_options(record: ApplicationRecord, path: str, value: float) -> list[float]:
    """A whole-number amount read from pixels in a column that writes points, with its point put back (or the
    digit in its place taken for it); nothing for any other figure."""
    origin = record.provenance.get(path)
    column = next((group for group in amount_groups(record) if path in group), [])
    if origin is None or origin.source != "ocr" or decimals(value) or not carries_decimals(record, column, path):
        return []
    return list(dict.fromkeys([*point_readings(value, CENTS), *point_read_as_digit(value, CENTS)]))


_AMOUNT_PREFIXES = tuple(f"appendix.{table}[" for table in AMOUNT_TABLES)


def _nearest_holding(record: ApplicationRecord, rule: Rule,
                     found: list[tuple[str, float]]) -> list[tuple[str, float]]:
    """Of the readings under which `rule`'s total holds within its tolerance, those that make it hold most
    nearly (as `_closest`: 797.89 over 797.9 where the declared total is to the cent the sum with 797.89)."""
    values = {path: float(value) for path in rule.paths if isinstance(value := get_path(record, path), int | float)}
    declared, parts = values.get(rule.paths[0]), sum(values.get(path, 0.0) for path in rule.paths[1:])
    if declared is None or len(found) < 2:
        return found
    gaps = [abs(parts - values[path] + reading - declared) for path, reading in found]
    return [item for item, gap in zip(found, gaps, strict=True) if gap <= min(gaps) + CLOSEST_SLACK]


def _restored_points(record: ApplicationRecord, rule: Rule) -> list[tuple[str, float]]:
    """Each (figure, reading with its point put back) of `rule`'s sum under which it holds, the other values
    as read: only whole-number figures read from pixels, in a column some other figure of which has a point."""
    values = [get_path(record, path) for path in rule.paths]
    if not all(isinstance(value, int | float) and not isinstance(value, bool) for value in values):
        return []
    found = []
    for position, path in enumerate(rule.paths[1:], start=1):
        for reading in _point_options(record, path, float(values[position])):
            if rule.holds([*values[:position], reading, *values[position + 1:]]):
                found.append((path, reading))
    return found


def _complete(rules: list[Rule], readings: list[list[object]]) -> tuple[list[Rule], list[list[float]]]:
    """The rules whose every value was read as a number, with their values."""
    kept = [(rule, [float(value) for value in values if isinstance(value, int | float)])
            for rule, values in zip(rules, readings, strict=True)
            if all(isinstance(value, int | float) and not isinstance(value, bool) for value in values)]
    return [rule for rule, _ in kept], [values for _, values in kept]


def _rescale(record: ApplicationRecord, path: str, value: float, rule_name: str) -> None:
    """The amount at `path` in 万元. A reading still in doubt among other readings keeps its doubt (all
    its readings scaled): the unit settles the scale, not which digits were written."""
    set_path(record, path, _in_wan(value))
    origin = record.provenance.get(path)
    if origin is None:
        return
    if origin.unsettled:
        others = [_in_wan(alt) if isinstance(alt, int | float) and not isinstance(alt, bool) else alt
                  for alt in origin.alternatives]
        record.provenance[path] = origin.model_copy(update={"alternatives": others})
    else:
        record.provenance[path] = origin.model_copy(update={"alternatives": [value], "resolved_by": rule_name})


def _in_wan(value: float) -> float:
    return round(value * UNIT_SCALE, 4)
