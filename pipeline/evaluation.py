"""Accuracy of predicted records against ground truth.

`evaluate(truth_dir, pred_dir)` pairs every `<id>.truth.json` under `truth_dir`
with its prediction `<source file name>.json` (or `<id>.json`) in `pred_dir` and
scores fields, appendix tables, seals, signatures, plan counts, checks, page
roles and recommendations. A missing or unparsable prediction scores as all
wrong. `format_report` renders the report; its last line is the one-line summary.

Equality rules: `None` equals only `None`; numbers are equal within 0.01; strings
after NFKC and whitespace removal; dates by ISO string; lists (industries) as sets.
"""

from __future__ import annotations

import datetime as dt
import sys
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, computed_field

from models import (
    ApplicationRecord,
    Check,
    ContractRow,
    ExpectedCheck,
    FinancingRow,
    InstitutionRow,
    Plan,
    ProductRow,
    ProviderRow,
    RecommendationRecord,
    Seal,
    Source,
    TrainingRow,
    parse_record,
    parse_truth,
)
from models.codes import canonical_industry
from models.record import ApplicationTruth, RecommendationTruth

FLOAT_TOLERANCE = 0.01
CHARS_TOLERANCE = 0.02
_EPS = 1e-9
TRUTH_SUFFIX = ".truth.json"
WEAKEST_FIELDS = 10
SEAL_IOU = 0.5  # a predicted seal's box over a truth seal's: the same stamp

TABLE_COLUMNS: dict[str, tuple[str, ...]] = {
    name: tuple(model.model_fields)
    for name, model in (
        ("products", ProductRow), ("contracts", ContractRow), ("trainings", TrainingRow),
        ("institutions", InstitutionRow), ("providers", ProviderRow), ("financings", FinancingRow),
    )
}


class _Missing:
    """The value of a field in a prediction that does not exist: equal to nothing."""

    def __repr__(self) -> str:
        return "<absent>"


MISSING: Any = _Missing()
Truth = ApplicationTruth | RecommendationTruth
Prediction = ApplicationRecord | RecommendationRecord
Row = tuple[Any, ...]
Leaf = tuple[str, Any, Any]  # field name, truth value, predicted value


# ---------------------------------------------------------------- equality


def norm_text(text: str) -> str:
    """NFKC with all whitespace removed: the form strings are compared in."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def canon(value: Any) -> Any:
    """The comparable form of a value (idempotent)."""
    if isinstance(value, str):
        return norm_text(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple | set | frozenset):
        return frozenset(canon(item) for item in value)
    return value


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _equal(a: Any, b: Any) -> bool:
    """Equality of two canonical values."""
    if a is MISSING or b is MISSING:
        return False
    if _is_number(a) and _is_number(b):
        return bool(abs(a - b) <= FLOAT_TOLERANCE + _EPS)
    return type(a) is type(b) and a == b


def same(a: Any, b: Any) -> bool:
    """Whether a predicted value counts as equal to the truth under the evaluation's rules."""
    return _equal(canon(a), canon(b))


# ---------------------------------------------------------------- report models


class Rate(BaseModel):
    """`correct` out of `total`; `value` is None when there is nothing to score."""

    correct: int = 0
    total: int = 0

    @computed_field  # type: ignore[prop-decorator]
    @property
    def value(self) -> float | None:
        return self.correct / self.total if self.total else None

    def add(self, ok: bool) -> None:
        self.correct += int(ok)
        self.total += 1

    def __add__(self, other: Rate) -> Rate:
        return Rate(correct=self.correct + other.correct, total=self.total + other.total)


class PRF(BaseModel):
    """Counts of true/false positives and false negatives with precision, recall and F1."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @computed_field  # type: ignore[prop-decorator]
    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @computed_field  # type: ignore[prop-decorator]
    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    @computed_field  # type: ignore[prop-decorator]
    @property
    def f1(self) -> float | None:
        denominator = 2 * self.tp + self.fp + self.fn
        return 2 * self.tp / denominator if denominator else None

    def __add__(self, other: PRF) -> PRF:
        return PRF(tp=self.tp + other.tp, fp=self.fp + other.fp, fn=self.fn + other.fn)


class FieldError(BaseModel):
    field: str
    truth: str | None
    pred: str | None


class TableScore(BaseModel):
    truth_rows: int
    pred_rows: int | None  # None: no prediction
    cells: PRF
    columns: dict[str, Rate]  # per column: truth cells matched in the aligned row

    @computed_field  # type: ignore[prop-decorator]
    @property
    def row_count_ok(self) -> bool:
        return self.pred_rows == self.truth_rows


class SectionChars(BaseModel):
    key: str
    truth: int
    pred: int | None
    rel_error: float | None  # |pred - truth| / max(truth, 1); None when the section was not predicted

    @computed_field  # type: ignore[prop-decorator]
    @property
    def within(self) -> bool:
        return self.rel_error is not None and self.rel_error <= CHARS_TOLERANCE + _EPS


Status = Literal["ok", "missing", "unparsable", "mismatched"]


class DocResult(BaseModel):
    """The scores of one document; aggregates are sums of these."""

    id: str
    file: str
    doc_type: str
    kind: str | None = None
    status: Status = "ok"
    reason: str = ""
    fields: dict[str, Rate] = {}
    recommendation: dict[str, Rate] = {}
    field_errors: list[FieldError] = []
    tables: dict[str, TableScore] = {}
    seal_slots: dict[str, bool] = {}
    # Truth seals read exactly: a predicted seal on the same page over it carries the truth's unit name.
    seal_text: Rate = Rate()
    signature: bool | None = None
    chars: list[SectionChars] = []
    content_areas: PRF = PRF()
    goal_years: PRF = PRF()
    checks: dict[str, PRF] = {}
    page_roles: Rate = Rate()
    page_count_ok: bool = False
    # Findings a reviewer must weigh: errors no truth lists (false alarms at the top severity),
    # reading doubts (LOW_CONFIDENCE) and comparisons reported as doubtful warnings.
    false_errors: int = 0
    low_confidence: int = 0
    doubtful: int = 0
    expects_no_check: bool = False
    errors: int = 0


class MissingPrediction(BaseModel):
    id: str
    file: str
    reason: str


class TableSummary(BaseModel):
    row_count: Rate
    cells: PRF
    columns: dict[str, Rate]


class CharsSummary(BaseModel):
    within: Rate
    mean_rel_error: float | None


class Summary(BaseModel):
    docs: int
    fields: Rate
    per_field: dict[str, Rate]
    weakest_fields: list[str]
    tables: dict[str, TableSummary]
    table_cells: PRF
    seals: Rate
    seal_slots: dict[str, Rate]
    seal_text: Rate = Rate()
    signatures: Rate
    chars_within2pct: Rate
    chars_sections: dict[str, CharsSummary]
    content_areas: PRF
    goal_years: PRF
    checks: PRF
    check_codes: dict[str, PRF]
    page_roles: Rate
    page_count: Rate
    recommendation: Rate
    recommendation_fields: dict[str, Rate]
    false_errors: int = 0
    low_confidence_per_doc: float | None = None
    doubtful_per_doc: float | None = None
    clean_docs: int = 0
    clean_docs_with_errors: int = 0


class EvalReport(BaseModel):
    truth_dir: str
    pred_dir: str
    docs: int
    missing: list[MissingPrediction]
    truth_errors: list[str]
    summary: Summary
    by_kind: dict[str, Summary]
    documents: list[DocResult]


# ---------------------------------------------------------------- alignment


def _row_score(truth: Row, pred: Row) -> int:
    return sum(_equal(a, b) for a, b in zip(truth, pred, strict=True))


def align_rows(truth: Sequence[Row], pred: Sequence[Row]) -> list[tuple[int | None, int | None]]:
    """Order-keeping alignment maximising matched cells; unpaired rows pair with None.

    A weighted longest-common-subsequence: a dropped or inserted row shifts nothing else.
    """
    n, m = len(truth), len(pred)
    score = [[_row_score(t, p) for p in pred] for t in truth]
    best = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            best[i][j] = max(best[i + 1][j], best[i][j + 1], best[i + 1][j + 1] + score[i][j])
    pairs: list[tuple[int | None, int | None]] = []
    i = j = 0
    while i < n and j < m:
        if score[i][j] and best[i][j] == best[i + 1][j + 1] + score[i][j]:
            pairs.append((i, j))
            i, j = i + 1, j + 1
        elif best[i][j] == best[i + 1][j]:
            pairs.append((i, None))
            i += 1
        else:
            pairs.append((None, j))
            j += 1
    return pairs + [(k, None) for k in range(i, n)] + [(None, k) for k in range(j, m)]


def _cells(item: BaseModel, columns: Sequence[str]) -> Row:
    return tuple(canon(getattr(item, column)) for column in columns)


# ---------------------------------------------------------------- per-document scores


def _model_leaves(prefix: str, truth: BaseModel, pred: BaseModel | None, skip: tuple[str, ...] = ()) -> list[Leaf]:
    return [
        (f"{prefix}.{name}", getattr(truth, name), MISSING if pred is None else getattr(pred, name))
        for name in type(truth).model_fields
        if name not in skip
    ]


def _list_leaves(prefix: str, columns: Sequence[str], truth: Sequence[BaseModel],
                 pred: Sequence[BaseModel] | None) -> list[Leaf]:
    """Leaves of a list of items aligned by content; an extra predicted item adds wrong leaves."""
    t_rows = [_cells(item, columns) for item in truth]
    p_rows = [_cells(item, columns) for item in pred or []]
    leaves: list[Leaf] = []
    for i, j in align_rows(t_rows, p_rows):
        for k, column in enumerate(columns):
            t_value = MISSING if i is None else t_rows[i][k]
            p_value = MISSING if j is None else p_rows[j][k]
            leaves.append((f"{prefix}[].{column}", t_value, p_value))
    return leaves


def _application_leaves(truth: ApplicationRecord, pred: ApplicationRecord | None) -> list[Leaf]:
    t, p = truth.basic_info, pred.basic_info if pred else None
    leaves = _model_leaves("cover", truth.cover, pred.cover if pred else None)
    leaves += _model_leaves("basic_info.lead_unit", t.lead_unit, p.lead_unit if p else None)
    leaves += _list_leaves("basic_info.members", ("name", "type"), t.members, p.members if p else None)
    leaves += _model_leaves("basic_info.head", t.head, p.head if p else None)
    for table in ("finance", "service", "resources"):
        # Both sides hold one row per year, 2024 then 2025 (the model enforces it).
        for index, t_row in enumerate(getattr(t, table)):
            p_row = getattr(p, table)[index] if p else None
            leaves += _model_leaves(f"basic_info.{table}[{index}]", t_row, p_row, skip=("year",))
    return leaves


def _recommendation_leaves(truth: RecommendationRecord, pred: RecommendationRecord | None) -> list[Leaf]:
    t, p = truth.recommendation, pred.recommendation if pred else None
    leaves = _model_leaves("recommendation", t, p, skip=("recommended", "letter_names"))
    return leaves + _list_leaves("recommendation.recommended", ("rank", "name", "industries", "policies"), t.recommended,
                                 p.recommended if p else None)


def _show(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, frozenset | list):
        return ",".join(sorted(str(item) for item in value))
    return str(canon(value)) if isinstance(value, dt.date) else str(value)


def _tally(leaves: list[Leaf], errors: list[FieldError] | None) -> dict[str, Rate]:
    """Per-field rates; mismatches are appended to `errors` when given."""
    rates: dict[str, Rate] = defaultdict(Rate)
    for name, t_value, p_value in leaves:
        ok = same(t_value, p_value)
        rates[name].add(ok)
        if not ok and errors is not None:
            errors.append(FieldError(field=name, truth=_show(t_value), pred=_show(p_value)))
    return dict(rates)


def _table_score(columns: Sequence[str], truth: Sequence[BaseModel], pred: Sequence[BaseModel] | None) -> TableScore:
    t_rows = [_cells(row, columns) for row in truth]
    p_rows = [_cells(row, columns) for row in pred or []]
    rates = {column: Rate() for column in columns}
    tp = 0
    for i, j in align_rows(t_rows, p_rows):
        if i is None:
            continue
        for k, column in enumerate(columns):
            ok = j is not None and _equal(t_rows[i][k], p_rows[j][k])
            rates[column].add(ok)
            tp += ok
    width = len(columns)
    return TableScore(truth_rows=len(t_rows), pred_rows=None if pred is None else len(p_rows),
                      cells=PRF(tp=tp, fp=len(p_rows) * width - tp, fn=len(t_rows) * width - tp), columns=rates)


def _tables(truth: ApplicationRecord, pred: ApplicationRecord | None) -> dict[str, TableScore]:
    return {
        name: _table_score(columns, getattr(truth.appendix, name), getattr(pred.appendix, name) if pred else None)
        for name, columns in TABLE_COLUMNS.items()
    }


def relative_error(truth: int, pred: int | None) -> float | None:
    """|pred - truth| / max(truth, 1), or None when there is no prediction."""
    return None if pred is None else abs(pred - truth) / max(truth, 1)


def _chars(truth: Plan, pred: Plan | None) -> list[SectionChars]:
    predicted = {section.key: section.chars for section in pred.sections} if pred else {}
    return [
        SectionChars(key=s.key, truth=s.chars, pred=predicted.get(s.key),
                     rel_error=relative_error(s.chars, predicted.get(s.key)))
        for s in truth.sections
    ]


def set_prf(truth: Iterable[Any], pred: Iterable[Any] | None) -> PRF:
    t, p = set(truth), set(pred or ())
    return PRF(tp=len(t & p), fp=len(p - t), fn=len(t - p))


# Findings about the reading, not the document: a reviewer's prompt to look, which no
# ground truth can list, so they are neither rewarded nor punished here.
READING_QUALITY_CODES = frozenset({"LOW_CONFIDENCE"})


def check_prf(truth: Sequence[ExpectedCheck], pred: Sequence[Check] | None) -> dict[str, PRF]:
    """Per-code counts on the multiset of (code, where) pairs (reading-quality codes left out)."""
    t = Counter((c.code.strip(), norm_text(c.where)) for c in truth if c.code not in READING_QUALITY_CODES)
    p = Counter((c.code.strip(), norm_text(c.where)) for c in pred or () if c.code not in READING_QUALITY_CODES)
    both = t & p
    by_code: dict[str, PRF] = defaultdict(PRF)
    for key in t | p:
        by_code[key[0]] += PRF(tp=both[key], fp=p[key] - both[key], fn=t[key] - both[key])
    return dict(sorted(by_code.items()))


def _flag_burden(result: DocResult, truth: Sequence[ExpectedCheck], pred: Sequence[Check]) -> None:
    """What the findings cost a reviewer: false errors, doubts raised, errors on a clean package."""
    expected = Counter((c.code.strip(), norm_text(c.where)) for c in truth)
    errors = Counter((c.code.strip(), norm_text(c.where)) for c in pred if c.severity == "error")
    result.false_errors = sum((errors - expected).values())
    result.errors = sum(errors.values())
    result.low_confidence = sum(c.code == "LOW_CONFIDENCE" for c in pred)
    result.doubtful = sum(bool(c.doubts) and c.code != "LOW_CONFIDENCE" for c in pred)
    result.expects_no_check = not truth


def _seal_slots(truth: BaseModel, pred: BaseModel | None) -> dict[str, bool]:
    return {name: pred is not None and getattr(pred, name) == value for name, value in truth}


def box_iou(a: Sequence[float], b: Sequence[float]) -> float:
    """Intersection over union of two (x0, top, x1, bottom) boxes."""
    width = min(a[2], b[2]) - max(a[0], b[0])
    height = min(a[3], b[3]) - max(a[1], b[1])
    if width <= 0 or height <= 0:
        return 0.0
    inter = width * height
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union if union > 0 else 0.0


def seal_text_rate(truth: Sequence[Seal], pred: Sequence[Seal] | None) -> Rate:
    """Truth seals with a name read exactly: a predicted seal on the same page overlapping it
    (IoU >= `SEAL_IOU`) whose text equals the truth's. Each predicted seal counts for one truth seal
    (the best-overlapping one first), so one reading cannot stand for two stamps."""
    rate = Rate()
    used: set[int] = set()
    for seal in truth:
        if not seal.text:
            continue
        matches = [(box_iou(seal.bbox, other.bbox), i) for i, other in enumerate(pred or ())
                   if i not in used and other.page == seal.page and other.text is not None
                   and same(other.text, seal.text)]
        best = max((m for m in matches if m[0] >= SEAL_IOU), default=None)
        if best is not None:
            used.add(best[1])
        rate.add(best is not None)
    return rate


def _page_roles(truth: Source, pred: Source | None) -> Rate:
    predicted = {page.page: page.role for page in pred.pages} if pred else {}
    rate = Rate()
    for page in truth.pages:
        if page.role is not None:
            rate.add(pred is not None and predicted.get(page.page) == page.role)
    return rate


def _named(names: list[str]) -> list[str]:
    return [canonical_industry(name) for name in names]


def industries_named(pred: Prediction) -> Prediction:
    """`pred` with every industry by the contract's name (`canonical_industry`): the prediction only.
    Truth keeps its literal text, so a wrong alias in the table shows as an error instead of being
    made on both sides."""
    if isinstance(pred, ApplicationRecord):
        lead = pred.basic_info.lead_unit.model_copy(update={"main_industries": _named(pred.basic_info.lead_unit.main_industries)})
        providers = [row.model_copy(update={"industries": _named(row.industries)}) for row in pred.appendix.providers]
        return pred.model_copy(update={
            "basic_info": pred.basic_info.model_copy(update={"lead_unit": lead}),
            "appendix": pred.appendix.model_copy(update={"providers": providers})})
    recommended = [row.model_copy(update={"industries": _named(row.industries)})
                   for row in pred.recommendation.recommended]
    return pred.model_copy(update={"recommendation": pred.recommendation.model_copy(update={"recommended": recommended})})


def score_document(doc_id: str, truth: Truth, pred: Prediction | None) -> DocResult:
    """All scores of one document; `pred` None (or of another doc_type) scores as all wrong."""
    pred = industries_named(pred) if pred is not None and pred.doc_type == truth.doc_type else None
    errors: list[FieldError] | None = [] if pred is not None else None
    kind = truth.generator.get("kind")
    result = DocResult(
        id=doc_id, file=Path(truth.source.file).name, doc_type=truth.doc_type,
        kind=None if kind is None else str(kind),
        seal_slots=_seal_slots(truth.seal_slots, pred.seal_slots if pred else None),
        seal_text=seal_text_rate(truth.seals, pred.seals if pred else None),
        checks=check_prf(truth.expected_checks, pred.checks if pred else None),
        page_roles=_page_roles(truth.source, pred.source if pred else None),
        page_count_ok=pred is not None and pred.source.page_count == truth.source.page_count,
    )
    if pred is not None:
        _flag_burden(result, truth.expected_checks, pred.checks)
    if isinstance(truth, ApplicationTruth):
        app = pred if isinstance(pred, ApplicationRecord) else None
        result.fields = _tally(_application_leaves(truth, app), errors)
        result.tables = _tables(truth, app)
        signed = truth.signatures.commitment_legal_rep
        result.signature = app is not None and app.signatures.commitment_legal_rep == signed
        result.chars = _chars(truth.plan, app.plan if app else None)
        result.content_areas = set_prf(truth.plan.content_areas, app.plan.content_areas if app else None)
        result.goal_years = set_prf(truth.plan.goal_years, app.plan.goal_years if app else None)
    else:
        rec = pred if isinstance(pred, RecommendationRecord) else None
        result.recommendation = _tally(_recommendation_leaves(truth, rec), errors)
    result.field_errors = errors or []
    return result


# ---------------------------------------------------------------- aggregation

_Summable = TypeVar("_Summable", Rate, PRF)


def _merge(dicts: Iterable[dict[str, _Summable]], zero: _Summable) -> dict[str, _Summable]:
    merged: dict[str, _Summable] = {}
    for item in dicts:
        for key, value in item.items():
            merged[key] = merged.get(key, zero) + value
    return merged


def _flag_rate(flags: Iterable[bool]) -> Rate:
    rate = Rate()
    for flag in flags:
        rate.add(flag)
    return rate


def _weakest(per_field: dict[str, Rate]) -> list[str]:
    imperfect = [(rate.value, name) for name, rate in per_field.items() if rate.correct < rate.total]
    return [name for _, name in sorted(imperfect)[:WEAKEST_FIELDS]]


def _table_summaries(docs: Sequence[DocResult]) -> dict[str, TableSummary]:
    summaries = {}
    for name in TABLE_COLUMNS:
        scores = [doc.tables[name] for doc in docs if name in doc.tables]
        if scores:
            summaries[name] = TableSummary(
                row_count=_flag_rate(score.row_count_ok for score in scores),
                cells=sum((score.cells for score in scores), PRF()),
                columns=_merge((score.columns for score in scores), Rate()),
            )
    return summaries


def _chars_summaries(sections: Sequence[SectionChars]) -> dict[str, CharsSummary]:
    by_key: dict[str, list[SectionChars]] = defaultdict(list)
    for section in sections:
        by_key[section.key].append(section)
    summaries = {}
    for key, items in by_key.items():
        errors = [s.rel_error for s in items if s.rel_error is not None]
        summaries[key] = CharsSummary(within=_flag_rate(s.within for s in items),
                                      mean_rel_error=sum(errors) / len(errors) if errors else None)
    return summaries


def summarise(docs: Sequence[DocResult]) -> Summary:
    """Micro-averaged scores over the given documents."""
    per_field = _merge((doc.fields for doc in docs), Rate())
    tables = _table_summaries(docs)
    slots = _merge(({k: _flag_rate([v]) for k, v in doc.seal_slots.items()} for doc in docs), Rate())
    sections = [section for doc in docs for section in doc.chars]
    check_codes = _merge((doc.checks for doc in docs), PRF())
    rec_fields = _merge((doc.recommendation for doc in docs), Rate())
    return Summary(
        docs=len(docs),
        fields=sum(per_field.values(), Rate()),
        per_field=dict(sorted(per_field.items())),
        weakest_fields=_weakest(per_field),
        tables=tables,
        table_cells=sum((table.cells for table in tables.values()), PRF()),
        seals=sum(slots.values(), Rate()),
        seal_slots=slots,
        seal_text=sum((doc.seal_text for doc in docs), Rate()),
        signatures=_flag_rate(doc.signature for doc in docs if doc.signature is not None),
        chars_within2pct=_flag_rate(section.within for section in sections),
        chars_sections=_chars_summaries(sections),
        content_areas=sum((doc.content_areas for doc in docs), PRF()),
        goal_years=sum((doc.goal_years for doc in docs), PRF()),
        checks=sum(check_codes.values(), PRF()),
        check_codes=dict(sorted(check_codes.items())),
        page_roles=sum((doc.page_roles for doc in docs), Rate()),
        page_count=_flag_rate(doc.page_count_ok for doc in docs),
        recommendation=sum(rec_fields.values(), Rate()),
        recommendation_fields=rec_fields,
        false_errors=sum(doc.false_errors for doc in docs),
        low_confidence_per_doc=round(sum(doc.low_confidence for doc in docs) / len(docs), 3) if docs else None,
        doubtful_per_doc=round(sum(doc.doubtful for doc in docs) / len(docs), 3) if docs else None,
        clean_docs=sum(doc.expects_no_check for doc in docs),
        clean_docs_with_errors=sum(doc.expects_no_check and doc.errors > 0 for doc in docs),
    )


# ---------------------------------------------------------------- loading


def _first_line(error: Exception, limit: int = 200) -> str:
    lines = str(error).strip().splitlines()
    return f"{type(error).__name__}: {lines[0] if lines else ''}"[:limit]


def _prediction_path(truth_path: Path, truth_dir: Path, pred_dir: Path, doc_id: str, file: str) -> Path | None:
    """`<file>.json`, else `<id>.json`: beside the truth's relative folder first, then at the top of pred_dir."""
    relative = truth_path.parent.relative_to(truth_dir)
    folders = [pred_dir / relative, pred_dir] if relative != Path(".") else [pred_dir]
    for name in (f"{Path(file).name}.json", f"{doc_id}.json"):
        for folder in folders:
            if (folder / name).is_file():
                return folder / name
    return None


def _load_prediction(path: Path | None, truth: Truth) -> tuple[Prediction | None, Status, str]:
    if path is None:
        return None, "missing", "no prediction file"
    try:
        record = parse_record(path.read_bytes())
    except (OSError, ValueError) as error:
        return None, "unparsable", f"{path.name}: {_first_line(error)}"
    if record.doc_type != truth.doc_type or not isinstance(record, ApplicationRecord | RecommendationRecord):
        return None, "mismatched", f"{path.name}: doc_type {record.doc_type!r}, expected {truth.doc_type!r}"
    return record, "ok", ""


def evaluate(truth_dir: Path, pred_dir: Path) -> EvalReport:
    """Score every truth file under `truth_dir` (recursively) against its prediction in `pred_dir`."""
    documents: list[DocResult] = []
    truth_errors: list[str] = []
    for truth_path in sorted(truth_dir.rglob(f"*{TRUTH_SUFFIX}")):
        doc_id = truth_path.name.removesuffix(TRUTH_SUFFIX)
        try:
            truth = parse_truth(truth_path.read_bytes())
        except (OSError, ValueError) as error:
            truth_errors.append(f"{truth_path}: {_first_line(error)}")
            continue
        path = _prediction_path(truth_path, truth_dir, pred_dir, doc_id, truth.source.file)
        pred, status, reason = _load_prediction(path, truth)
        result = score_document(doc_id, truth, pred)
        result.status, result.reason = status, reason
        documents.append(result)
    kinds = sorted({doc.kind for doc in documents if doc.kind is not None})
    return EvalReport(
        truth_dir=str(truth_dir), pred_dir=str(pred_dir), docs=len(documents),
        missing=[MissingPrediction(id=d.id, file=d.file, reason=d.reason) for d in documents if d.status != "ok"],
        truth_errors=truth_errors,
        summary=summarise(documents),
        by_kind={kind: summarise([d for d in documents if d.kind == kind]) for kind in kinds},
        documents=documents,
    )


# ---------------------------------------------------------------- formatting


def _fmt(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def _rate(rate: Rate) -> str:
    return f"{_fmt(rate.value)} ({rate.correct}/{rate.total})"


def _prf(prf: PRF) -> str:
    return f"P={_fmt(prf.precision)} R={_fmt(prf.recall)} F1={_fmt(prf.f1)} (tp={prf.tp} fp={prf.fp} fn={prf.fn})"


def overall_line(summary: Summary) -> str:
    """The closing one-line summary."""
    return (f"overall fields={_fmt(summary.fields.value)} tables_f1={_fmt(summary.table_cells.f1)} "
            f"seals={_fmt(summary.seals.value)} checks_f1={_fmt(summary.checks.f1)} "
            f"chars_within2pct={_fmt(summary.chars_within2pct.value)} docs={summary.docs}")


def _section_docs(report: EvalReport) -> list[str]:
    types = Counter(doc.doc_type for doc in report.documents)
    lines = [f"== dtpc eval: {report.docs} documents ({', '.join(f'{n} {t}' for t, n in sorted(types.items()))})"]
    if report.missing:
        lines.append(f"missing or unusable predictions ({len(report.missing)}), scored as all wrong:")
        lines += [f"  {m.id} ({m.file}): {m.reason}" for m in report.missing]
    lines += [f"truth file skipped: {error}" for error in report.truth_errors]
    return lines


def _section_fields(s: Summary) -> list[str]:
    lines = ["", f"== fields (cover + basic_info): {_rate(s.fields)}"]
    if s.weakest_fields:
        lines.append("  weakest:")
        lines += [f"    {name:<48} {_rate(s.per_field[name])}" for name in s.weakest_fields]
    return lines


def _section_tables(s: Summary) -> list[str]:
    lines = ["", f"== appendix tables (cells): {_prf(s.table_cells)}"]
    for name, table in s.tables.items():
        weak = sorted((rate.value or 0.0, col) for col, rate in table.columns.items() if rate.correct < rate.total)
        worst = ", ".join(f"{column}={value:.3f}" for value, column in weak[:3])
        lines.append(f"  {name:<13} rows_exact={_fmt(table.row_count.value)} P={_fmt(table.cells.precision)} "
                     f"R={_fmt(table.cells.recall)} F1={_fmt(table.cells.f1)}" + (f"  weak: {worst}" if worst else ""))
    return lines


def _section_seals(s: Summary) -> list[str]:
    lines = ["", f"== seal slots: {_rate(s.seals)}   seal text exact: {_rate(s.seal_text)}   "
                 f"signatures: {_rate(s.signatures)}"]
    return lines + [f"  {slot:<22} {_rate(rate)}" for slot, rate in s.seal_slots.items()]


def _section_plan(s: Summary) -> list[str]:
    lines = ["", f"== plan chars within 2%: {_rate(s.chars_within2pct)}"]
    lines += [f"  {key:<10} within={_rate(c.within)} mean_rel_error={_fmt(c.mean_rel_error)}"
              for key, c in s.chars_sections.items()]
    return [*lines, f"  content_areas {_prf(s.content_areas)}", f"  goal_years    {_prf(s.goal_years)}"]


def _section_checks(s: Summary) -> list[str]:
    lines = ["", f"== checks (code, where): {_prf(s.checks)}",
             f"  false errors {s.false_errors} ({_fmt(s.false_errors * 10 / s.docs if s.docs else None)} per 10 docs); "
             f"LOW_CONFIDENCE per doc {_fmt(s.low_confidence_per_doc)}; doubtful warnings per doc "
             f"{_fmt(s.doubtful_per_doc)}; clean docs with an error {s.clean_docs_with_errors}/{s.clean_docs}",
             f"  {'code':<30} {'truth':>5} {'pred':>5} {'tp':>4} {'P':>6} {'R':>6}"]
    return lines + [f"  {code:<30} {c.tp + c.fn:>5} {c.tp + c.fp:>5} {c.tp:>4} {_fmt(c.precision):>6} "
                    f"{_fmt(c.recall):>6}" for code, c in s.check_codes.items()]


def _section_pages(s: Summary) -> list[str]:
    lines = ["", f"== pages: roles {_rate(s.page_roles)}   page count exact {_rate(s.page_count)}"]
    if s.recommendation_fields:
        lines.append(f"== recommendation fields: {_rate(s.recommendation)}")
        lines += [f"  {name:<40} {_rate(rate)}" for name, rate in s.recommendation_fields.items()]
    return lines


def _section_kinds(report: EvalReport) -> list[str]:
    if not report.by_kind:
        return []
    lines = ["", "== by document kind"]
    for kind, s in report.by_kind.items():
        lines.append(f"  {kind:<10} docs={s.docs} fields={_fmt(s.fields.value)} tables_f1={_fmt(s.table_cells.f1)} "
                     f"seals={_fmt(s.seals.value)} checks_f1={_fmt(s.checks.f1)} "
                     f"chars_within2pct={_fmt(s.chars_within2pct.value)}")
    return lines


def format_report(report: EvalReport) -> str:
    """Readable sections, ending with the single `overall ...` line."""
    s = report.summary
    lines = [*_section_docs(report), *_section_fields(s), *_section_tables(s), *_section_seals(s),
             *_section_plan(s), *_section_checks(s), *_section_pages(s), *_section_kinds(report), ""]
    return "\n".join([*lines, overall_line(s)])


# The measures a gate can set bounds on (`dtpc eval --min …/--max …`), read off the summary.
MEASURES: dict[str, Callable[[Summary], float | None]] = {
    "fields": lambda s: s.fields.value,
    "tables_f1": lambda s: s.table_cells.f1,
    "seals": lambda s: s.seals.value,
    "checks_f1": lambda s: s.checks.f1,
    "checks_precision": lambda s: s.checks.precision,
    "checks_recall": lambda s: s.checks.recall,
    "chars_within2pct": lambda s: s.chars_within2pct.value,
    "page_roles": lambda s: s.page_roles.value,
    "rows_exact": lambda s: sum((t.row_count for t in s.tables.values()), Rate()).value,
    "false_errors_per_10": lambda s: s.false_errors * 10 / s.docs if s.docs else None,
    "low_confidence_per_doc": lambda s: s.low_confidence_per_doc,
}


class BoundError(ValueError):
    """A `--min`/`--max` bound that names no measure or holds no number."""


def parse_bounds(text: str | None) -> dict[str, float]:
    """'fields=0.98,tables_f1=0.97' → {'fields': 0.98, 'tables_f1': 0.97}."""
    bounds: dict[str, float] = {}
    for item in filter(None, (part.strip() for part in (text or "").split(","))):
        name, _, value = item.partition("=")
        if name.strip() not in MEASURES:
            raise BoundError(f"unknown measure {name.strip()!r} (known: {', '.join(MEASURES)})")
        try:
            bounds[name.strip()] = float(value)
        except ValueError as error:
            raise BoundError(f"{item!r}: the bound is not a number") from error
    return bounds


def failed_bounds(summary: Summary, minimum: dict[str, float], maximum: dict[str, float]) -> list[str]:
    """Each bound the summary breaks, in words; a measure that cannot be computed breaks its bound."""
    failures = []
    for name, bound in minimum.items():
        value = MEASURES[name](summary)
        if value is None or value < bound - _EPS:
            failures.append(f"{name}={_fmt(value)} < {bound}")
    for name, bound in maximum.items():
        value = MEASURES[name](summary)
        if value is None or value > bound + _EPS:
            failures.append(f"{name}={_fmt(value)} > {bound}")
    return failures


def main(truth: Path, pred: Path, as_json: bool = False, minimum: str | None = None,
         maximum: str | None = None) -> int:
    """Print the report (text, or JSON with `as_json`); 2 when there is no truth to score or a bound
    is malformed, 1 when a score breaks a `minimum`/`maximum` bound ('fields=0.98,checks_f1=0.95')."""
    try:
        low, high = parse_bounds(minimum), parse_bounds(maximum)
    except BoundError as error:
        print(f"dtpc eval: {error}", file=sys.stderr)
        return 2
    if not truth.is_dir():
        print(f"dtpc eval: truth directory not found: {truth}", file=sys.stderr)
        return 2
    report = evaluate(truth, pred)
    if not report.docs and not report.truth_errors:
        print(f"dtpc eval: no *{TRUTH_SUFFIX} files under {truth}", file=sys.stderr)
        return 2
    if not pred.is_dir():
        print(f"dtpc eval: prediction directory not found: {pred} (every prediction counts as missing)",
              file=sys.stderr)
    print(report.model_dump_json(indent=2) if as_json else format_report(report))
    failures = failed_bounds(report.summary, low, high)
    for failure in failures:
        print(f"dtpc eval: below the gate: {failure}", file=sys.stderr)
    return 1 if failures else 0
