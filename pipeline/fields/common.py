"""What the three field extractors share: a sink for values, provenance and checks, and typing a form value."""

from __future__ import annotations

from typing import Any

from models import (
    Check,
    Provenance,
)
from models.page import Page
from pipeline import normalise
from pipeline.checkboxes import CheckboxReading
from pipeline.config import Settings
from pipeline.ink import is_blank
from pipeline.tables.form import Value
from pipeline.tables.values import (
    FieldValue,
    provenance_of,
    round_box,
    separator_alternative,
)

# The confidence of a reading the reader itself doubts (a credit code of another length, a phone only a crop
# read): below the checks' `confident` bar, so a finding on it names the doubt, and above LOW_CONFIDENCE's.
READ_IN_DOUBT = 0.75


class Sink:
    """Collects values, provenance and checks under dotted paths."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.provenance: dict[str, Provenance] = {}
        self.raw: dict[str, str] = {}  # the text each value was read from
        self.checks: list[Check] = []

    def put(self, path: str, value: FieldValue) -> Any:  # the parser's type; models validate it
        self.raw[path] = value.raw
        self.provenance[path] = value.provenance
        check = value.check(path, self.settings.low_confidence)
        if check is not None:
            self.checks.append(check)
        return value.value

    def ambiguous(self, path: str, label: str, reading: CheckboxReading, page: int) -> None:
        evidence = [{"page": page, "bbox": round_box(reading.box)}] if reading.box else [{"page": page}]
        self.checks.append(Check.model_validate({
            "code": "LOW_CONFIDENCE", "severity": "info", "where": path, "confidence": 0.5,
            "message": f"“{label}”复选框{reading.problem}，无法确定所选项，请人工核对", "evidence": evidence}))


def typed_text(text: str, kind: str, unit: str = "万元") -> object:
    flat = text.replace("\n", "")
    parse = {"amount": lambda t: normalise.parse_amount(t, unit), "percent": normalise.parse_percent,
             "int": normalise.parse_int, "date": normalise.parse_date, "phone": normalise.parse_phone,
             "email": normalise.parse_email, "industries": normalise.parse_industries}.get(kind)
    return parse(flat) if parse else normalise.clean_name(text.replace("\n", " "))


def form_field(value: Value, kind: str) -> FieldValue | None:
    if not value.cells:
        return None
    field = FieldValue(typed_text(value.text, kind), value.text, provenance_of(value.cells, value.page))
    return separator_alternative(field) if kind == "amount" else field


def wan_alternative(field: FieldValue) -> FieldValue:
    """An amount whose own text names 元 alone, kept with its figure in 万元 as another reading, in doubt: the form
    prints every amount's unit 万元, and a reader that loses the 万 ('1,818.58万元' read '1,818.58元', dev47 a01)
    makes the figure 10^4 times too small. An applicant may write 元 too; the form's totals decide
    (`pipeline.reconcile`)."""
    if not isinstance(field.value, int | float) or normalise.amount_unit_factor(field.raw) != normalise.YUAN:
        return field
    other = normalise.lost_wan(field.value)
    known = [alt for alt in field.provenance.alternatives if alt != other]
    return FieldValue(value=field.value, raw=field.raw,
                      provenance=field.provenance.model_copy(update={"alternatives": [*known, other]}))


def with_blank(field: FieldValue, page: Page | None) -> FieldValue:
    """A value that could not be read, marked blank (no ink at its place) or not (ink the reader failed on)."""
    if field.value not in (None, []):
        return field
    blank = is_blank(page, field.provenance.bbox, field.raw)
    return FieldValue(field.value, field.raw, field.provenance.model_copy(update={"blank": blank}))
