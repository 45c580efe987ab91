"""One table cell (or form blank) → a typed value with its provenance and, if needed, its check."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from models import Check, Provenance
from models.page import Box
from pipeline import normalise
from pipeline.tables.cells import CellText
from pipeline.tables.headers import Column, TableSpec
from pipeline.tables.labels import closest_label


def round_box(box: Box) -> list[float]:
    return [round(value, 1) for value in box]


@dataclass(frozen=True)
class FieldValue:
    """A value as read: the typed value, the raw text, where it was and how sure the reading is."""

    value: object
    raw: str
    provenance: Provenance

    @property
    def unreadable(self) -> bool:
        """Text was there but did not parse: a reviewer must look (the value stays None, never guessed)."""
        return self.value in (None, []) and self.raw.strip() not in ("", "-", "—", "/", "无")

    def check(self, path: str, threshold: float) -> Check | None:
        """LOW_CONFIDENCE for a weak reading or text that would not parse; None when the value is sound."""
        confidence = self.provenance.confidence
        if self.unreadable:
            message = f"“{self.raw}”无法识别为有效值，请人工核对"
        elif self.raw and confidence is not None and confidence < threshold:
            message = f"识别置信度 {confidence:.2f} 低于 {threshold:.2f}，请人工核对“{self.raw}”"
        else:
            return None
        evidence = [{"page": self.provenance.page, "bbox": self.provenance.bbox}]
        return Check.model_validate({"code": "LOW_CONFIDENCE", "severity": "info", "where": path,
                                     "message": message, "found": self.raw or None, "evidence": evidence})


def provenance_of(cells: Sequence[CellText], page: int) -> Provenance:
    """The cells' union box, the weakest confidence among cells with text, and their source."""
    boxes = [c.bbox for c in cells]
    box = (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))
    with_text = [c for c in cells if c.text]
    confidence = min((c.confidence for c in with_text), default=1.0)
    source = "ocr" if any(c.source == "ocr" for c in with_text) else "text"
    return Provenance(page=page, bbox=round_box(box), confidence=round(min(1.0, max(0.0, confidence)), 4),
                      source=source)


def _text(cells: Sequence[CellText]) -> str:
    seen: list[str] = []
    for cell in sorted(cells, key=lambda c: c.cell.col):
        if cell.text and cell.text not in seen:
            seen.append(cell.text)
    return "\n".join(seen)


def typed(raw: str, kind: str, unit: str | None = None, categories: Sequence[str] = ()) -> object:
    """The raw text of a cell read as the column's kind (None or [] when it does not parse)."""
    flat = raw.replace("\n", "")
    if kind == "date":
        return normalise.parse_date(flat)
    if kind == "amount":
        return normalise.parse_amount(flat, header_unit=unit or "万元")
    if kind in ("int", "seq"):
        return normalise.parse_int(flat)
    if kind == "industries":
        return normalise.parse_industries(raw)
    if kind == "code":
        return re.sub(r"\s+", "", normalise.nfkc(flat)) or None
    if kind == "category":
        name = normalise.clean_name(raw.replace("\n", ""))
        if name and categories:
            index = closest_label(name, categories)
            if index >= 0:
                return categories[index]
        return name
    return normalise.clean_name(raw.replace("\n", " "))


def read_value(cells: Sequence[CellText], column: Column, page: int, unit: str | None,
               spec: TableSpec) -> FieldValue:
    raw = _text(cells)
    value = typed(raw, column.kind, unit, spec.categories)
    return FieldValue(value=value, raw=raw, provenance=provenance_of(cells, page))
