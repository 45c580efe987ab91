"""The check registry and what every check receives."""

from __future__ import annotations

import itertools
import math
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal

from models import APPENDIX_TABLE_ROLES, Check, CheckedRecord, Evidence, Provenance, Severity
from pipeline.checks.catalogue import CODES
from pipeline.checks.unit_names import garbled_ring_reading_of
from pipeline.config import CheckSettings, Settings
from pipeline.normalise import garbled_department
from pipeline.record_paths import PathError, get_path
from pipeline.slips import slipped_from

DOUBT_NOTE = "。但所依据的读数存疑，请人工核对："  # where a doubtful comparison's message names its doubts
# Above this many combinations of a sum's doubtful readings, they are not tried (`_holding_reading`).
MAX_COMBINATIONS = 4096

DocType = Literal["application", "recommendation"]


def open_figures(record: CheckedRecord, path: str) -> list[int | float]:
    """The figure's other readings no rule has settled, the numbers among them."""
    origin = record.provenance.get(path)
    others = origin.alternatives if origin is not None and origin.unsettled else []
    return [other for other in others if isinstance(other, int | float) and not isinstance(other, bool)]


def reading_in_doubt(origin: Provenance | None, rules: CheckSettings) -> bool:
    """A reading in doubt as the checks see it: alternatives no rule settled, read again on its crop and not
    confirmed there, or confidence under `rules.confident`. No provenance (a truth or hand-made record):
    taken as read."""
    return origin is not None and (origin.unsettled or origin.unconfirmed or (
        origin.confidence is not None and origin.confidence < rules.confident))


@dataclass(frozen=True)
class CheckContext:
    """The record being checked and the facts about its pages that the record itself does not hold."""

    record: CheckedRecord
    settings: Settings = field(default_factory=Settings)
    # None when the reader could not tell (then the check is not made).
    has_consortium_agreement: bool | None = None

    @property
    def rules(self) -> CheckSettings:
        """The checks' thresholds and lists (`Settings.checks`)."""
        return self.settings.checks

    @property
    def roles(self) -> frozenset[str]:
        return frozenset(page.role for page in self.record.source.pages if page.role)

    def pages_with_role(self, role: str) -> list[int]:
        return [page.page for page in self.record.source.pages if page.role == role]

    def evidence(self, *paths: str, roles: Iterable[str] = ()) -> list[Evidence]:
        """Where the values at `paths` were read, plus the first page of each of `roles`.

        A path without provenance (a hand-made or truth record, a value never read) points at
        the first page of the part it belongs to instead, so a finding still shows its page.
        """
        found: list[Evidence] = []
        fallback: list[str] = []
        for path in paths:
            origin = self.record.provenance.get(path)
            if origin is not None:
                found.append(Evidence(page=origin.page, bbox=origin.bbox))
            elif (role := role_of(path)) is not None:
                fallback.append(role)
        for role in dict.fromkeys([*roles, *fallback]):
            for page in self.pages_with_role(role)[:1]:
                if all(item.page != page or item.bbox is not None for item in found):
                    found.append(Evidence(page=page))
        return found

    def rows_evidence(self, paths: Iterable[str], role: str | None = None) -> list[Evidence]:
        """The cells at `paths` as one box per page (the union of their boxes), in page order.

        The many rows behind a total are one piece of evidence per page, not one per row. When
        no cell has provenance (a hand-made or truth record), the first page of `role` instead.
        """
        boxes: dict[int, list[float] | None] = {}
        for path in paths:
            origin = self.record.provenance.get(path)
            if origin is None:
                continue
            if origin.page not in boxes:
                boxes[origin.page] = list(origin.bbox) if origin.bbox else None
            elif origin.bbox is not None:
                box = boxes[origin.page]
                boxes[origin.page] = list(origin.bbox) if box is None else [
                    min(box[0], origin.bbox[0]), min(box[1], origin.bbox[1]),
                    max(box[2], origin.bbox[2]), max(box[3], origin.bbox[3])]
        if not boxes:
            return self.evidence(roles=[role]) if role else []
        return [Evidence(page=page, bbox=box) for page, box in sorted(boxes.items())]


    def doubtful(self, paths: Iterable[str]) -> list[str]:
        """Those of `paths` whose reading is in doubt: alternatives no rule settled, read again on its crop
        and not confirmed there, or confidence under `rules.confident`. A path without provenance (a truth
        or hand-made record) is taken as read."""
        return [path for path in paths if reading_in_doubt(self.record.provenance.get(path), self.rules)]

    def confidence_of(self, paths: Iterable[str]) -> float:
        """How sure a finding resting on `paths` is: its least sure reading (1.0 without provenance)."""
        scores = [1.0]
        for path in paths:
            origin = self.record.provenance.get(path)
            if origin is not None and origin.confidence is not None:
                scores.append(0.5 * origin.confidence if origin.unsettled else origin.confidence)
        return round(min(scores), 4)

    def describe_doubt(self, path: str) -> str:
        """'appendix.financings[2].amount 读作 10.488（亦可读作 10488，置信度 0.93）' for a message."""
        origin = self.record.provenance.get(path)
        value = _reading(self.record, path)
        parts = []
        if origin is not None and origin.unsettled:
            parts.append("亦可读作 " + " 或 ".join(show_value(alt) for alt in origin.alternatives))
        elif origin is not None and origin.unconfirmed:
            parts.append("单独复核未能读出同一数值")
        if origin is not None and origin.confidence is not None:
            parts.append(f"识别置信度 {origin.confidence:.2f}")
        return f"{path} 读作 {show_value(value)}（{'，'.join(parts)}）"

    def judged(self, check: Check, paths: Iterable[str], declared: str | None = None,
               summed: Iterable[str] = (), structure: Iterable[str] = (), tolerance: float | None = None,
               alike: Iterable[str] = ()) -> Check:
        """A failed comparison as it should be reported: an error only when every reading it rests on is
        sure; otherwise a warning that names the readings in doubt (code and `where` unchanged).

        With `declared` (the form's figure, the check's `expected`) and `summed` (the cells behind its
        `found`), `expected`/`found` list what each side would be under the other readings ("10.488 | 10488").
        With `tolerance` too, a sum that holds under some other reading of its doubtful figures, read twice
        already, is no mismatch found but a reading to confirm (`_holding_reading`). `alike`: readings
        in doubt for the comparison itself, however surely read (names a few characters apart, counted apart).
        """
        summed = list(summed)
        paths = [*([declared] if declared else []), *summed, *paths]
        tables = list(structure)  # tables whose rows are in doubt as a whole (序号 not a run)
        doubts = list(dict.fromkeys([*self.doubtful(paths), *tables, *alike]))
        confidence = self.confidence_of(paths)
        rests_on = list(dict.fromkeys([*paths, *tables]))
        if declared and tolerance is not None and doubts and not self._doubt_explains(declared, summed, doubts, tolerance):
            # The one doubtful figure could not be the figure the sum needs by any slip of its reading: the
            # mismatch does not rest on its doubt, and keeps its severity.
            sure = [path for path in paths if path not in doubts]
            return check.model_copy(update={"confidence": self.confidence_of(sure), "rests_on": rests_on})
        if not doubts:
            return check.model_copy(update={"confidence": confidence, "rests_on": rests_on})
        if declared and tolerance is not None and not tables:
            holding = self._holding_reading(declared, summed, doubts, tolerance)
            if holding is not None:
                return self._reading_to_confirm(check, holding, doubts, rests_on, confidence)
        note = "；".join(f"{path} 的行可能被合并或遗漏（未识别到行、序号不连续，或盖章处以上的行未读出）" if path in tables
                        else self.describe_doubt(path) for path in doubts)
        severity = "warning" if check.severity == "error" else check.severity
        update: dict[str, object] = {
            "severity": severity, "confidence": min(confidence, self.rules.confident),
            "doubts": doubts, "rests_on": rests_on, "message": f"{check.message}{DOUBT_NOTE}{note}"}
        if declared in doubts and isinstance(check.expected, int | float):
            update["expected"] = " | ".join(show_value(v) for v in self._readings(declared))
        summed_doubts = [path for path in summed if path in doubts]
        if summed_doubts and isinstance(check.found, int | float):
            totals = [check.found]
            for path in summed_doubts:
                value, *others = self._readings(path)
                if isinstance(value, int | float):
                    totals += [check.found - value + other for other in others if isinstance(other, int | float)]
            update["found"] = " | ".join(show_value(round(total, 4)) for total in dict.fromkeys(totals))
        return check.model_copy(update=update)

    def _doubt_explains(self, declared: str, summed: list[str], doubts: list[str], tolerance: float) -> bool:
        """Whether the doubt a failed sum rests on could be its cause: False only where exactly one figure of
        the sum (or its declared total) is in doubt, nothing else is, and the figure the comparison needs there
        is no slip of any of its readings (`pipeline.slips`: characters lost, one digit read as another or one
        more, both). A seal's ring across a digit changes that digit or takes it; a gap of 126.6 under '266'
        (samples a03) is no such change, and the true mismatch beside the ring is not the ring's doing."""
        if len(doubts) != 1 or doubts[0] not in (declared, *summed):
            return True
        doubted = doubts[0]
        values = [_reading(self.record, path) for path in (declared, *summed)]
        if not all(isinstance(value, int | float) and not isinstance(value, bool) for value in values):
            return True
        numbers = [float(value) for value in values if isinstance(value, int | float)]
        total, *parts = numbers
        read = numbers[[declared, *summed].index(doubted)]
        # What the doubtful figure would have to be for the sum to hold, the others as read.
        needed = sum(parts) if doubted == declared else total - (sum(parts) - read)
        places = 0 if tolerance == 0 and all(number.is_integer() for number in numbers) else 2
        needed = round(needed, places) if places else round(needed)
        if needed <= 0:
            return False  # no reading of a figure is below nothing
        readings = [value for value in self._readings(doubted) if isinstance(value, int | float) and not isinstance(value, bool)]
        return any(abs(float(value) - needed) <= tolerance + 1e-9 or slipped_from(value, needed, places)
                   for value in readings)

    def _holding_reading(self, declared: str, summed: list[str], doubts: list[str],
                         tolerance: float) -> dict[str, float] | None:
        """A reading of the sum's doubtful figures (each its value or one of its unsettled alternatives)
        under which the declared figure equals the sum, or None. Only once every doubtful figure has been
        read twice (the second reading may still settle it), and only where the combinations are few."""
        places = [declared, *summed]
        options: list[list[float]] = []
        for path in places:
            readings = [float(value) for value in (self._readings(path) if path in doubts else [_reading(self.record, path)])
                        if isinstance(value, int | float) and not isinstance(value, bool)]
            origin = self.record.provenance.get(path)
            if not readings or (path in doubts and origin is not None and origin.confirmed_by is None):
                return None
            options.append(readings)
        if math.prod(len(readings) for readings in options) > MAX_COMBINATIONS:
            return None
        for combination in itertools.product(*options):
            total, *parts = combination
            if abs(sum(parts) - total) <= tolerance + 1e-9:
                return {path: value for path, value, readings in zip(places, combination, options, strict=True)
                        if value != readings[0]}
        return None

    def _reading_to_confirm(self, check: Check, holding: dict[str, float], doubts: list[str], rests_on: list[str],
                            confidence: float) -> Check:
        """LOW_CONFIDENCE in place of a failed sum that another reading of its doubtful figures makes hold:
        the pixels do not say which reading is true, so no mismatch is established; the reviewer confirms
        the readings (named, with the one under which the sum holds)."""
        note = "；".join(self.describe_doubt(path) for path in doubts)
        other = "，".join(f"{path} 读作 {show_value(value)}" for path, value in holding.items())
        where = next(iter(holding), doubts[0])
        return Check(code="LOW_CONFIDENCE", severity="info", where=where, doubts=doubts, rests_on=rests_on,
                     confidence=min(confidence, self.rules.confident), evidence=check.evidence,
                     message=f"{check.message}，但按另一读数（{other}）两者相符，未判定为不符。"
                             f"所依据的读数存疑，请人工核对：{note}")

    def rows_in_doubt(self, table: str, rows: Sequence[object], group: str | None = None,
                      within: Sequence[object] | None = None) -> list[str]:
        """[`appendix.<table>`] when the table's 序号 are not the run 1, 2, 3 … (in each `group` value):
        rows were merged, split or lost where the rules failed, so counts and sums over it are in doubt.

        Also when the table reader said so (provenance `appendix.<table>` below `rules.confident`: a value
        left over two records, categories shared unsurely). Only rows read from pixels are in doubt so: a
        text layer gives the applicant's own rows, gaps in their numbering included, and a record without
        provenance (truth, hand-made) is as given.

        Also when a row holds two units' names in one cell (`_holds_two_units`): two rows read as one. A measure
        of one year's rows passes them as `within`: a merged row of another year leaves this year's alone.
        """
        if not self.record.provenance:
            return []
        if not rows:  # its page is there (the caller checked) and not one row was read
            return [f"appendix.{table}"]
        whole = self.record.provenance.get(f"appendix.{table}")  # the table reader's own doubt about its rows
        if whole is not None and whole.confidence is not None and whole.confidence < self.rules.confident:
            return [f"appendix.{table}"]
        if not self._read_from_pixels(table):
            return []
        if self._stamped_below(table) or any(_holds_two_units(row) for row in (rows if within is None else within)):
            return [f"appendix.{table}"]
        if "seq" not in type(rows[0]).model_fields:  # type: ignore[attr-defined]
            return []
        runs: dict[object, list[int | None]] = defaultdict(list)
        for row in rows:
            runs[getattr(row, group) if group else None].append(getattr(row, "seq", None))
        # A grouped table is numbered either through (1 … n) or afresh in each group (1 … k, 1 … m).
        through = [getattr(row, "seq", None) for row in rows] == list(range(1, len(rows) + 1))
        by_group = all(seqs == list(range(1, len(seqs) + 1)) for seqs in runs.values())
        return [] if through or by_group else [f"appendix.{table}"]

    def _stamped_below(self, table: str) -> bool:
        """The table's stamp lies wholly below its last read row, on that row's page: the applicant stamps a
        table where it ends (over its last rows, by the note under it), so rows read up to well above the
        stamp ended early, the rest lost where a faint fax's rules gave out (dev26 a12: rows 6-8 of 附3表2
        under the stamp, a count over five rows). The seal's top under the row's bottom, not its centre: a
        stamp over the last rows reaches above their bottom."""
        role = APPENDIX_TABLE_ROLES.get(table)
        cells = [(int(match.group(2)), origin) for path, origin in self.record.provenance.items()
                 if (match := _TABLE_CELL.match(path)) and match.group(1) == f"appendix.{table}"
                 and origin.bbox is not None and origin.source == "ocr"]
        if role is None or not cells:
            return False
        last = max(index for index, _ in cells)
        page = max(origin.page for index, origin in cells if index == last)
        bottom = max(origin.bbox[3] for index, origin in cells
                      if index == last and origin.page == page and origin.bbox is not None)
        stamps = [seal for seal in self.record.seals if seal.slot == role and seal.page == page]
        return bool(stamps) and all(seal.bbox[1] > bottom for seal in stamps)

    def _read_from_pixels(self, table: str) -> bool:
        prefix = f"appendix.{table}["
        return any(path.startswith(prefix) and origin.source == "ocr" for path, origin in self.record.provenance.items())

    def _readings(self, path: str) -> list[object]:
        """The value read at `path`, then its alternatives no rule settled."""
        origin = self.record.provenance.get(path)
        others = origin.alternatives if origin is not None and origin.unsettled else []
        return [_reading(self.record, path), *others]


# The mark of a company's legal form (有限公司, 有限责任公司, 股份有限公司): written once in one unit's name.
LEGAL_FORM_MARK = "有限"


def two_names(text: object) -> bool:
    """A cell holding two units' names ('…股份有限公1 2东莞联样软件有限公司', dev18 a01; dev7 a01, dev12 a03): two
    rows the table reader read as one, their cells' contents joined."""
    return isinstance(text, str) and text.count(LEGAL_FORM_MARK) >= 2


def _holds_two_units(row: object) -> bool:
    """A row one of whose text cells holds two units' names (`two_names`: '杭州锐兴智能终端集团有限公司杭州德辰电子
    元件集团有限公司', dev32 a03's drawn scan, its contract number two numbers run together too): the table's
    rows are not the applicant's, and counts and sums over them are in doubt."""
    return any(two_names(value) for value in getattr(row, "__dict__", {}).values())


def _reading(record: CheckedRecord, path: str) -> object:
    try:
        return get_path(record, path)
    except PathError:
        return None


def show_value(value: object) -> str:
    if isinstance(value, float):
        return f"{value:,.4f}".rstrip("0").rstrip(".")
    return "空" if value is None else str(value)


def role_of(path: str) -> str | None:
    """The page role a field path is read from (`appendix.contracts[3].amount` → appendix2_table2)."""
    head = path.split(".", 1)[0]
    if head == "appendix":
        table = path.split(".", 2)[1].split("[", 1)[0]
        return APPENDIX_TABLE_ROLES.get(table)
    if head == "recommendation":
        return "recommendation_table" if ".recommended" in path else "recommendation_letter"
    return head if head in ("cover", "basic_info", "plan") else None


CheckFn = Callable[[CheckContext], Iterable[Check]]


@dataclass(frozen=True)
class RegisteredCheck:
    code: str
    severity: Severity
    doc_types: tuple[DocType, ...]
    run: CheckFn


# One entry per (code, document type): FIELD_MISSING, say, has its own rule for each type.
_REGISTRY: dict[tuple[str, DocType], RegisteredCheck] = {}
_SEVERITY: dict[str, Severity] = {}


def register(code: str, severity: Severity, *doc_types: DocType) -> Callable[[CheckFn], CheckFn]:
    """Register `fn` as the check that emits `code` for the given document types (default: application)."""
    types: tuple[DocType, ...] = doc_types or ("application",)
    if code not in CODES or CODES[code].severity != severity:
        raise ValueError(f"check {code} is not in the catalogue with severity {severity}")
    _SEVERITY.setdefault(code, severity)

    def decorate(fn: CheckFn) -> CheckFn:
        for doc_type in types:
            if (code, doc_type) in _REGISTRY:
                raise ValueError(f"check {code} registered twice for {doc_type}")
            _REGISTRY[(code, doc_type)] = RegisteredCheck(code, severity, types, fn)
        return fn

    return decorate


def registered_codes() -> dict[str, Severity]:
    return dict(_SEVERITY)


def registered_for(doc_type: DocType) -> set[str]:
    return {code for code, registered_type in _REGISTRY if registered_type == doc_type}


def finding(code: str, where: str = "", message: str = "", **extra: object) -> Check:
    """A Check with its code's default severity (CHECKS.md); `run_checks` applies the configured one."""
    return Check(code=code, severity=CODES[code].severity, where=where, message=message, **extra)  # type: ignore[arg-type]


def apply_severity(checks: Iterable[Check], settings: Settings) -> list[Check]:
    """The checks with the severity `settings.checks.severity` sets for their code, where it sets one.

    `run_checks` and `run_batch_checks` apply it; a caller building checks elsewhere (the runner's
    INPUT_UNREADABLE record) can too.
    """
    overrides = settings.checks.severity
    return [check.model_copy(update={"severity": _configured(check, overrides[check.code])})
            if check.code in overrides and overrides[check.code] != check.severity else check
            for check in checks]


def _configured(check: Check, severity: Severity) -> Severity:
    # A finding resting on a doubtful reading is never an error, whatever its code's severity.
    return "warning" if check.doubts and severity == "error" else severity


def run_checks(ctx: CheckContext, stage_checks: Iterable[Check] = ()) -> list[Check]:
    """Every registered check for the record's type, after the stages' own findings, without repeats."""
    results: list[Check] = list(stage_checks)
    for (_, doc_type), registered in _REGISTRY.items():
        if doc_type == ctx.record.doc_type:
            results.extend(registered.run(ctx))
    return apply_severity(doubts_per_part(one_finding_per_doubt(table_doubts_folded(
        one_finding_per_reading(ctx, misread_seal_names(deduplicate(results)))))), ctx.settings)


def one_finding_per_reading(ctx: CheckContext, checks: list[Check]) -> list[Check]:
    """Comparisons that fail together on one figure read in doubt, and on no other, as one LOW_CONFIDENCE for
    that reading naming each of them: a 2025 累计 financing read 9 under a curl fails its total and its
    not-decreasing rule alike, and a reviewer should look at one figure, not at two findings."""
    by_reading: dict[str, list[Check]] = defaultdict(list)
    for check in checks:
        if check.code != "LOW_CONFIDENCE" and len(check.doubts) == 1 and not _TABLE.fullmatch(check.doubts[0]):
            by_reading[check.doubts[0]].append(check)
    # A figure's only: a date read out of its period is a finding of its own (its row then also leaves a
    # year's sum), and stays one.
    shared = {path: items for path, items in by_reading.items()
              if len(items) > 1 and _figure_at(ctx.record, path)}
    if not shared:
        return checks
    folded = {id(check) for items in shared.values() for check in items}
    return [*(check for check in checks if id(check) not in folded),
            *(_reading_doubt(ctx, path, items) for path, items in shared.items())]


def _figure_at(record: CheckedRecord, path: str) -> bool:
    value = _reading(record, path)
    return isinstance(value, int | float) and not isinstance(value, bool)


def _reading_doubt(ctx: CheckContext, path: str, items: list[Check]) -> Check:
    listed = "；".join(f"{item.code}{f'（{item.where}）' if item.where else ''}：{item.message.split(DOUBT_NOTE)[0]}"
                      for item in items)
    return Check(
        code="LOW_CONFIDENCE", severity="warning", where=path, doubts=[path],
        confidence=min(item.confidence for item in items),
        rests_on=list(dict.fromkeys(rested for item in items for rested in item.rests_on)),
        evidence=list({(e.page, tuple(e.bbox or ())): e for item in items for e in item.evidence}.values()),
        message=f"{ctx.describe_doubt(path)}：依据它的 {len(items)} 项核对均不符，可能是该读数有误，请人工核对：{listed}")


def misread_seal_names(checks: list[Check]) -> list[Check]:
    """SEAL_NAME_MISMATCH that rests on a misreading, whichever stage raised it: a seal text that is the
    expected unit's name with characters lost or misread is a doubt of the seal's reading (LOW_CONFIDENCE
    for the slot); a recommender read as its own province's department garbled, beside a seal that reads
    that department's name, is a doubt of the field's reading (LOW_CONFIDENCE for cover.recommender)."""
    return [_misread_seal_name(check) if check.code == "SEAL_NAME_MISMATCH" else check for check in checks]


def _misread_seal_name(check: Check) -> Check:
    if not isinstance(check.found, str) or not isinstance(check.expected, str):
        return check
    if garbled_ring_reading_of(check.found, check.expected):
        return _seal_reading_doubt(check)
    if check.where == "cover_recommender" and garbled_department(check.expected, check.found):
        return _recommender_reading_doubt(check)
    return check


def _recommender_reading_doubt(check: Check) -> Check:
    return Check(code="LOW_CONFIDENCE", severity="info", where="cover.recommender", confidence=0.5,
                 doubts=["cover.recommender"], expected=check.found, found=check.expected, evidence=check.evidence,
                 message=f"封面推荐单位读作“{check.expected}”，该处印章为同一地方的主管部门“{check.found}”，"
                         f"可能是推荐单位名称识读有误，请人工核对")


def _seal_reading_doubt(check: Check) -> Check:
    return Check(code="LOW_CONFIDENCE", severity="info", where=f"seal_slots.{check.where}",
                 confidence=0.5, doubts=[f"seal_slots.{check.where}"], expected=check.expected, found=check.found,
                 evidence=check.evidence,
                 message=f"{check.message.split('印章为')[0]}印章文字读作“{check.found}”，与应盖章单位“{check.expected}”"
                         f"大部分相同，可能是印章文字识读有误，请人工核对印章")


def table_doubts_folded(checks: list[Check]) -> list[Check]:
    """Comparisons over a table whose rows are in doubt (none read, or 序号 not a run) as one
    LOW_CONFIDENCE finding for that table, naming each comparison and what it would give.

    Where the table reader lost or merged rows, every count and sum over the table fails together
    for that one cause: one finding asks the reviewer to look at the table, not one per comparison.
    """
    folded: dict[str, list[Check]] = defaultdict(list)
    out = []
    for check in checks:
        tables = [path for path in check.doubts if _TABLE.fullmatch(path)]
        if tables and check.code != "LOW_CONFIDENCE":
            folded[tables[0]].append(check)
        else:
            out.append(check)
    for table, items in folded.items():
        label = TABLE_LABELS.get(table.removeprefix("appendix."), table)
        listed = "；".join(f"{item.code}{f'（{item.where}）' if item.where else ''}：{item.message.split(DOUBT_NOTE)[0]}"
                          for item in items)
        out.append(Check(
            code="LOW_CONFIDENCE", severity="warning", where=table, doubts=[table],
            confidence=min(item.confidence for item in items),
            rests_on=list(dict.fromkeys(path for item in items for path in item.rests_on)),
            evidence=list({(e.page, tuple(e.bbox or ())): e for item in items for e in item.evidence}.values()),
            message=f"{label} 的行可能被合并或遗漏（未识别到行、序号不连续，或盖章处以上的行未读出），依赖它的 {len(items)} 项核对无法确认，"
                    f"请人工核对该表：{listed}"))
    return out


def one_finding_per_doubt(checks: list[Check]) -> list[Check]:
    """No LOW_CONFIDENCE for a reading that a comparison's finding already names as in doubt: its warning, or
    the LOW_CONFIDENCE a comparison left unchecked on its doubts gives in its place (one resting on other
    readings, `rests_on`, such as `_reading_to_confirm`'s), which names the reading and the comparison both."""
    named = {path for check in checks if check.code != "LOW_CONFIDENCE" for path in check.doubts}
    # Only a reader's own doubt (resting on no comparison) gives way so: two comparisons' doubts each say their own.
    unchecked = {path for check in checks if check.code == "LOW_CONFIDENCE" and check.rests_on
                 for path in check.doubts}
    return [check for check in checks if not (check.code == "LOW_CONFIDENCE" and (
        check.where in named or (not check.rests_on and check.where in unchecked)))]


TABLE_LABELS = {"products": "附2表1", "contracts": "附2表2", "trainings": "附2表3",
                "institutions": "附3表1", "providers": "附3表2", "financings": "附3表3"}
_TABLE_CELL = re.compile(r"^(appendix\.[a-z_]+)\[(\d+)\]\.")
_TABLE = re.compile(r"appendix\.[a-z_]+")  # a whole table: its rows are in doubt
PART_LABELS = {"cover": "封面", "basic_info": "基本情况表", "recommendation": "推荐函/推荐表", "seal_slots": "印章"}
MAX_EVIDENCE = 8  # crops shown for one part's doubtful readings


def part_of(path: str) -> str | None:
    """The part of the package a field path lies in: an appendix table, the cover, the basic-info form."""
    match = _TABLE_CELL.match(path)
    if match:
        return match.group(1)
    if _TABLE.fullmatch(path):
        return path
    head = path.split(".", 1)[0]
    return head if head in PART_LABELS and "." in path else None


def doubts_per_part(checks: list[Check]) -> list[Check]:
    """The LOW_CONFIDENCE findings of one part (an appendix table, the basic-info form, the cover) as one
    finding listing each doubtful reading.

    A poor scan of a page makes many weak readings at once: one cause, one finding, with every
    reading named in its message and the first few as evidence (`where` is the part's path).
    """
    by_part: dict[str, list[Check]] = defaultdict(list)
    for check in checks:
        part = part_of(check.where) if check.code == "LOW_CONFIDENCE" else None
        if part:
            by_part[part].append(check)
    grouped = {part: items for part, items in by_part.items() if len(items) > 1}
    out, placed = [], set()
    for check in checks:
        part = part_of(check.where) if check.code == "LOW_CONFIDENCE" else None
        if part not in grouped:
            out.append(check)
        elif part not in placed:
            placed.add(part)
            out.append(_part_doubt(part, grouped[part]))
    return out


def _part_doubt(part: str, items: list[Check]) -> Check:
    listed = "；".join(f"{check.where.removeprefix(part)}：{check.message}" for check in items)
    pieces = [item for check in items for item in check.evidence]
    boxed = [item for item in pieces if item.bbox is not None]  # a page-only pointer adds nothing beside a box
    evidence = list({(e.page, tuple(e.bbox or ())): e for e in boxed or pieces}.values())[:MAX_EVIDENCE]
    label = TABLE_LABELS.get(part.removeprefix("appendix."), PART_LABELS.get(part, part))
    return Check(code="LOW_CONFIDENCE", severity=items[0].severity, where=part,
                 confidence=min(check.confidence for check in items), doubts=[check.where for check in items],
                 message=f"{label} 有 {len(items)} 处读数存疑，请人工核对：{listed}", evidence=evidence)


def deduplicate(checks: Iterable[Check]) -> list[Check]:
    """One finding per (code, where): the first, unless a later one says what the reading rests on (a sum's
    reading to confirm names the other reading under which the sum holds; the plain doubt does not)."""
    unique: dict[tuple[str, str], Check] = {}
    for check in checks:
        key = (check.code, check.where)
        if key not in unique or (check.rests_on and not unique[key].rests_on):
            unique[key] = check
    return list(unique.values())
