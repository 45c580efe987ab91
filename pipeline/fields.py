"""The cover, the basic-info form (一、基本情况) and the province's recommendation, read into records.

Each extractor finds its pages by role and by its own evidence (the labels it expects),
reads values by their printed labels (fuzzy, see `tables.labels`), types them with
`normalise`, and hands back provenance for every value and LOW_CONFIDENCE checks for
weak readings.  A value that cannot be read stays None: the checks stage reports it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from models import (
    YEARS,
    BasicInfo,
    Check,
    Cover,
    FinanceYear,
    Head,
    LeadUnit,
    Member,
    Provenance,
    Recommendation,
    Recommended,
    ResourceYear,
    ServiceYear,
)
from models.codes import is_valid_credit_code
from models.page import Page, Word
from pipeline import normalise
from pipeline.checkboxes import CheckboxReading, read_checkboxes
from pipeline.config import Settings
from pipeline.ink import is_blank
from pipeline.ocr import OcrEngine
from pipeline.record_paths import get_path, set_path
from pipeline.result import Extracted
from pipeline.tables.appendix import Layout, iter_rows, ocr_engine, second_reader
from pipeline.tables.cells import CellText, chars_of, confidence_of, lines_of
from pipeline.tables.finder import REREAD_BELOW, cell_reader, find_tables
from pipeline.tables.form import FormRow, Found, Labels, Value, find_labels, form_rows, value_right_of
from pipeline.tables.geometry import Cell, Frame
from pipeline.tables.headers import SEQ, Column, TableSpec, find_header
from pipeline.tables.labels import label_end, label_score, squeeze
from pipeline.tables.values import (
    FieldValue,
    implausible_dropped,
    provenance_of,
    round_box,
    second_opinion,
    separator_alternative,
    thousands_first,
    written_to_cents,
)

# --- the basic-info form ----------------------------------------------------------------

FORM = Labels({
    "name": ("牵头单位名称",), "credit_code": ("统一社会信用代码", "社会信用代码"),
    "established": ("成立时间", "成立日期"), "is_legal_person": ("是否注册法人",),
    "registered_capital": ("注册资本",), "registered_address": ("注册地（具体到区县）", "注册地"),
    "main_industries": ("服务的主要行业", "主要服务行业"), "unit_type": ("牵头单位类型",),
    "members": ("联合体其他成员单位名称与类型", "联合体其他成员单位"), "head": ("单位负责人",),
    "head.name": ("姓名",), "head.mobile": ("手机",), "head.title": ("职务",), "head.email": ("电子邮箱", "邮箱"),
    "finance": ("近两年财务经营情况",), "service": ("服务能力",), "resources": ("资源条件",),
    "finance.revenue": ("主营业务收入",), "finance.net_margin": ("主营业务净利润率", "净利润率"),
    "finance.debt_ratio": ("资产负债率",),
    "service.enterprises": ("服务数字化转型改造实施企业数量",),
    "service.contract_amount": ("开展的数字化改造实施服务项目合同金额", "项目合同金额"),
    "service.trainees": ("组织人才培养人次", "人才培养人次"),
    "resources.investors": ("汇聚投融资机构数量", "投融资机构数量"),
    "resources.financing": ("对接成功的企业融资金额", "企业融资金额"),
    "resources.universities": ("汇聚高校、科研院所数量", "科研院所数量"),
    "resources.providers": ("汇聚制造业数字化转型服务商数量", "转型服务商数量"),
})
# Labels specific enough that two of them on a page make it the form, whatever its role says.
FORM_EVIDENCE = ("牵头单位名称", "统一社会信用代码", "是否注册法人", "牵头单位类型", "主营业务净利润率",
                 "资产负债率", "汇聚投融资机构数量", "联合体其他成员单位")
LEAD_TEXT = {"name", "registered_address"}
YEAR_KINDS = {
    "revenue": "amount", "net_margin": "percent", "debt_ratio": "percent", "enterprises": "int",
    "contract_amount": "amount", "trainees": "int", "investors": "int", "financing": "amount",
    "universities": "int", "providers": "int",
}
UNIT_TYPE_OPTIONS = ("制造业企业", "服务商", "其它")
_YEAR_CELL = re.compile(r"^(20\d\d)年?(度)?$")
_PLACEHOLDER = re.compile(r"[（(]\s*(名称|类型)\s*[)）]")


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


def _typed(text: str, kind: str, unit: str = "万元") -> object:
    flat = text.replace("\n", "")
    parse = {"amount": lambda t: normalise.parse_amount(t, unit), "percent": normalise.parse_percent,
             "int": normalise.parse_int, "date": normalise.parse_date, "phone": normalise.parse_phone,
             "email": normalise.parse_email, "industries": normalise.parse_industries}.get(kind)
    return parse(flat) if parse else normalise.clean_name(text.replace("\n", " "))


def _field(value: Value, kind: str) -> FieldValue | None:
    if not value.cells:
        return None
    field = FieldValue(_typed(value.text, kind), value.text, provenance_of(value.cells, value.page))
    return separator_alternative(field) if kind == "amount" else field


# The start of a label printed beside the lead unit's text values (the yearly figures' labels never
# are): five characters of it, or the whole of a four-character label (four characters of a long
# label could begin a unit's own name).
_LABEL_STARTS = sorted({label[:k] for key, labels in FORM.by_key.items() if "." not in key for label in labels
                        if len(label) >= 4 for k in range(min(5, len(label)), len(label) + 1)},
                       key=len, reverse=True)


_LABEL_TEXTS = (*(squeeze(label) for labels in FORM.by_key.values() for label in labels),
                squeeze("联合体其他成员单位名称与类型（不超过6家）"))


def is_label_text(text: str) -> bool:
    """The text is the form's own print (a label, or a piece of one a lost rule split off), not a value."""
    squeezed = squeeze(text)
    return bool(squeezed) and (any(squeezed in label for label in _LABEL_TEXTS) or FORM.match(text)[0] is not None)


def cut_at_label(text: str) -> str:
    """A text value without the start of a following label run into it ('…研究院统一社会信' → '…研究院').

    When the form's rules are lost its cells run together and a wrapped label ('统一社会信 / 用代码')
    reads as part of the value beside it; five characters of a label's start are no unit's name.
    """
    cuts = [position for start in _LABEL_STARTS if (position := text.find(start)) > 0]
    return text[:min(cuts)].rstrip(" :：") if cuts else text


def with_blank(field: FieldValue, page: Page | None) -> FieldValue:
    """A value that could not be read, marked blank (no ink at its place) or not (ink the reader failed on)."""
    if field.value not in (None, []):
        return field
    blank = is_blank(page, field.provenance.bbox, field.raw)
    return FieldValue(field.value, field.raw, field.provenance.model_copy(update={"blank": blank}))


def _email_field(value: Value, field: FieldValue) -> FieldValue:
    """An address whose '@' (or a letter of a known mail domain) OCR misread, repaired when only one repair fits."""
    reading = normalise.repair_email(value.text.replace("\n", "")) if field.provenance.source == "ocr" else None
    if reading is None or reading.repaired_from is None:
        return field
    provenance = field.provenance.model_copy(update={"repaired_from": reading.repaired_from})
    return FieldValue(reading.value, value.text, provenance)


def is_form_page(page: Page) -> bool:
    if page.role == "basic_info":
        return True
    text = page.text
    return page.role not in ("cover", "plan") and sum(label_score(text, label) >= 1.0 for label in FORM_EVIDENCE) >= 2


class FormReader:
    """The basic-info form's rows and label cells, and the readers of each part."""

    def __init__(self, pages: Sequence[Page], settings: Settings) -> None:
        self.pages = {page.number: page for page in pages}
        self.rows = form_rows(pages, ocr_engine(pages, settings), settings.low_confidence, FORM)
        self.found = find_labels(self.rows, FORM)
        self.sink = Sink(settings)
        self.second = second_reader(settings)

    def field(self, value: Value, kind: str) -> FieldValue | None:
        """The value typed; on a scan, a number or date that does not validate is read again by the second engine."""
        field = _field(value, kind)
        page = self.pages.get(value.page)
        read = self.second(page) if field is not None and page is not None else None
        field = field if read is None or field is None else second_opinion(field, kind, "万元", read)
        return None if field is None else with_blank(implausible_dropped(field, kind), page)

    def first(self, key: str) -> Found | None:
        return next((f for f in self.found if f.key == key), None)

    def value(self, key: str) -> Value | None:
        at = self.first(key)
        if at is None:
            return None
        label = next(lb for lb in FORM.by_key[key] if label_score(self.rows[at.row].cells[at.col].text, lb) >= 0.78)
        return value_right_of(self.rows, at, FORM, label)

    def lead_unit(self) -> LeadUnit:
        lead = LeadUnit()
        kinds = {"name": "text", "established": "date", "registered_capital": "amount",
                 "registered_address": "text", "main_industries": "industries"}
        for name, kind in kinds.items():
            value = self.value(name)
            if value is not None and name in LEAD_TEXT:
                value = Value(cut_at_label(value.text), value.cells, value.page)
            field = self.field(value, kind) if value else None
            if field is not None:
                setattr(lead, name, self.sink.put(f"basic_info.lead_unit.{name}", field))
        self._credit_code(lead)
        self._legal_person(lead)
        self._unit_type(lead)
        return lead

    def _credit_code(self, lead: LeadUnit) -> None:
        value = self.value("credit_code")
        if value is None or not value.cells:
            self._credit_code_anywhere(lead)
            return
        provenance = provenance_of(value.cells, value.page)
        reading = normalise.parse_credit_code(value.text, repair=provenance.source == "ocr")
        if provenance.source == "ocr" and (reading is None or not is_valid_credit_code(reading.value)):
            reading = self._credit_code_second_reading(value.page, provenance.bbox) or reading
        if reading is not None and reading.repaired_from is not None:
            provenance = provenance.model_copy(update={"repaired_from": reading.repaired_from})
        lead.credit_code = self.sink.put("basic_info.lead_unit.credit_code",
                                         FieldValue(reading.value if reading else None, value.text, provenance))

    def _credit_code_anywhere(self, lead: LeadUnit) -> None:
        """The form's one valid credit code, where its label was not read (wrapped, or run into another cell).

        A credit code checks itself (GB 32100's check character), and the form holds only the lead
        unit's; so a single valid code anywhere on it is that code, read less surely than beside its label.
        """
        found: dict[str, tuple[CellText, int]] = {}
        for row in self.rows:
            for cell in row.cells:
                for code in normalise.valid_codes_in(cell.text):
                    found.setdefault(code, (cell, row.page))
        if len(found) != 1:
            return
        code, (cell, page) = found.popitem()
        provenance = provenance_of((cell,), page)
        provenance = provenance.model_copy(update={"confidence": min(provenance.confidence or 1.0, 0.75)})
        lead.credit_code = self.sink.put("basic_info.lead_unit.credit_code", FieldValue(code, cell.text, provenance))

    def _credit_code_second_reading(self, page_number: int, bbox: Sequence[float] | None) -> Any:
        """A code whose check character fails is read again by the second engine; kept only if that one validates."""
        page = self.pages.get(page_number)
        read = self.second(page) if page is not None and bbox is not None else None
        if read is None or bbox is None:
            return None
        for text, _confidence in read(tuple(bbox)):  # type: ignore[arg-type]
            other = normalise.parse_credit_code(text, repair=True)
            if other is not None and is_valid_credit_code(other.value):
                return other
        return None

    def _checkbox(self, key: str, options: Sequence[str]) -> tuple[CheckboxReading, Value] | None:
        value = self.value(key)
        if value is None or not value.cells:
            return None
        words = [word for cell in value.cells for word in cell.words]
        boxes = [cell.bbox for cell in value.cells]
        region = (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))
        return read_checkboxes(self.pages[value.page], options, region, words=words), value

    def _record_checkbox(self, path: str, label: str, reading: CheckboxReading, value: Value,
                         chosen: object) -> Any:
        source = "text" if all(m.source == "text" for m in reading.marks) else "pixels"
        clear = reading.clear or source == "text"
        box = round_box(reading.box) if reading.box else provenance_of(value.cells, value.page).bbox
        provenance = Provenance(page=value.page, bbox=box, confidence=0.95 if clear else 0.5, source=source)
        if reading.problem:
            # Every box found and clearly empty is a blank (FIELD_MISSING); anything else is a reading
            # in doubt (LOW_CONFIDENCE), never taken for the applicant's omission.
            blank = (not reading.ticked and clear and len(reading.marks) >= 2
                     and all(mark.box is not None for mark in reading.marks))
            self.sink.provenance[path] = provenance.model_copy(update={"blank": blank})
            if not blank:
                self.sink.ambiguous(path, label, reading, value.page)
            return None
        return self.sink.put(path, FieldValue(chosen, value.text, provenance))

    def _legal_person(self, lead: LeadUnit) -> None:
        found = self._checkbox("is_legal_person", ("是", "否"))
        if found is not None:
            reading, value = found
            chosen = None if reading.chosen is None else reading.chosen == "是"
            lead.is_legal_person = self._record_checkbox("basic_info.lead_unit.is_legal_person", "是否注册法人",
                                                         reading, value, chosen)

    def _unit_type(self, lead: LeadUnit) -> None:
        found = self._checkbox("unit_type", UNIT_TYPE_OPTIONS)
        if found is None:
            return
        reading, value = found
        lead.unit_type = self._record_checkbox("basic_info.lead_unit.unit_type", "牵头单位类型", reading, value,
                                               reading.chosen)
        if lead.unit_type == "其它":
            end = label_end(value.text, "其它")
            other = re.sub(r"^[（(]?\s*请标明\s*[)）]?", "", value.text[end:] if end is not None else "")
            other = other.strip(" ：:_＿()（）\n")
            field = FieldValue(normalise.clean_name(other), other, provenance_of(value.cells, value.page))
            lead.unit_type_other = self.sink.put("basic_info.lead_unit.unit_type_other", field)

    def members(self) -> list[Member]:
        start, end = self.first("members"), self.first("head") or self.first("head.name")
        if start is None:
            return []
        stop = end.row if end is not None and end.row > start.row else len(self.rows)
        members: list[Member] = []
        for r in range(start.row, stop):
            cells = [c for c in self.rows[r].cells if FORM.match(c.text)[0] != "members"]
            member = self._member(cells, self.rows[r].page, len(members))
            if member is not None:
                members.append(member)
        return members

    def _member(self, cells: list[CellText], page: int, index: int) -> Member | None:
        if cells and re.fullmatch(r"\d{1,2}[.、]?", cells[0].flat.strip()):
            cells = cells[1:]  # the row's 序号
        texts = [c.flat for c in cells]
        joined = "\u0000".join(texts)
        split = re.search(r"[（(]\s*类型\s*[)）]", joined)
        if split:
            name_part, type_part = joined[:split.start()], joined[split.end():]
        else:
            filled = [t for t in texts if t.strip()]
            name_part, type_part = (filled[0], "\u0000".join(filled[1:])) if filled else ("", "")
        name = normalise.clean_name(_PLACEHOLDER.sub("", name_part).replace("\u0000", " "))
        kind = normalise.clean_name(_PLACEHOLDER.sub("", type_part).replace("\u0000", " "))
        if not name or is_label_text(name):
            return None
        provenance = provenance_of(cells, page)
        path = f"basic_info.members[{index}]"
        self.sink.put(f"{path}.name", FieldValue(name, name_part, provenance))
        self.sink.put(f"{path}.type", FieldValue(kind, type_part, provenance))
        return Member(name=name, type=kind)

    def head(self) -> Head:
        head = Head()
        for name, kind in (("name", "text"), ("mobile", "phone"), ("title", "text"), ("email", "email")):
            value = self.value(f"head.{name}")
            field = _field(value, kind) if value else None
            if field is not None and kind == "email" and value is not None:
                field = _email_field(value, field)
            if field is not None:
                setattr(head, name, self.sink.put(f"basic_info.head.{name}", field))
        return head

    def year_tables(self) -> tuple[list[FinanceYear], list[ServiceYear], list[ResourceYear]]:
        tables: dict[str, list[dict[str, object]]] = {t: [{"year": y} for y in YEARS]
                                                      for t in ("finance", "service", "resources")}
        columns: dict[int, tuple[float, float]] = {}
        label_rows = {f.row: f for f in self.found}
        for r, row in enumerate(self.rows):
            columns = _year_columns(row) or columns
            at = label_rows.get(r)
            if at is None or "." not in at.key or at.key.split(".")[0] not in tables:
                continue
            table, name = at.key.split(".")
            for index, value in enumerate(self._year_values(row, at, columns)):
                field = self.field(value, YEAR_KINDS[name]) if value is not None else None
                if field is not None:
                    tables[table][index][name] = self.sink.put(f"basic_info.{table}[{index}].{name}", field)
        return ([FinanceYear(**v) for v in tables["finance"]],  # type: ignore[arg-type]
                [ServiceYear(**v) for v in tables["service"]],  # type: ignore[arg-type]
                [ResourceYear(**v) for v in tables["resources"]])  # type: ignore[arg-type]

    def _year_values(self, row: FormRow, at: Found, columns: dict[int, tuple[float, float]]) -> list[Value | None]:
        after = list(row.cells[at.col + 1:])
        out: list[Value | None] = []
        for year in YEARS:
            span = columns.get(year)
            cells = [c for c in after if span and span[0] - 3 <= (c.bbox[0] + c.bbox[2]) / 2 <= span[1] + 3]
            out.append(Value(" ".join(c.text for c in cells), tuple(cells), row.page) if cells else None)
        if any(v is not None for v in out):
            return out
        # No year header seen: the values stand in year order (blank cells keep their place).
        candidates = after if len(after) == len(YEARS) else [c for c in after if c.text]
        return [Value(c.text, (c,), row.page) for c in candidates[:len(YEARS)]] + [None] * (len(YEARS) - len(candidates))


def _year_columns(row: FormRow) -> dict[int, tuple[float, float]] | None:
    found = {}
    for cell in row.cells:
        match = _YEAR_CELL.match(cell.flat.replace(" ", ""))
        if match and int(match.group(1)) in YEARS:
            found[int(match.group(1))] = (cell.bbox[0], cell.bbox[2])
    return found if len(found) == len(YEARS) else None


def extract_basic_info(pages: list[Page], settings: Settings) -> Extracted[BasicInfo]:
    """一、基本情况: the lead unit, members, head, and the 2024/2025 figures, each with provenance."""
    form_pages = [p for p in pages if not p.error and is_form_page(p)]
    if not form_pages:
        return Extracted(BasicInfo())
    reader = FormReader(form_pages, settings)
    finance, service, resources = reader.year_tables()
    info = BasicInfo(lead_unit=reader.lead_unit(), members=reader.members(), head=reader.head(),
                     finance=finance, service=service, resources=resources)
    _form_precision(info, reader.sink)
    return Extracted(info, reader.sink.provenance, reader.sink.checks)


FORM_AMOUNTS = ("basic_info.lead_unit.registered_capital",
                *(f"basic_info.{table}[{index}].{name}" for index in range(len(YEARS))
                  for table, name in (("finance", "revenue"), ("service", "contract_amount"), ("resources", "financing"))))


def _form_precision(info: BasicInfo, sink: Sink) -> None:
    """An ambiguous amount ('6.672') read as thousands first where the form writes its amounts to cents."""
    if not written_to_cents([sink.raw.get(path, "") for path in FORM_AMOUNTS]):
        return
    for path in FORM_AMOUNTS:
        origin = sink.provenance.get(path)
        if origin is None or not origin.unsettled:
            continue
        swapped = thousands_first(FieldValue(get_path(info, path.removeprefix("basic_info.")), sink.raw[path], origin))
        set_path(info, path.removeprefix("basic_info."), swapped.value)
        sink.provenance[path] = swapped.provenance


# --- the cover --------------------------------------------------------------------------

COVER_LABELS = {
    "applicant": ("申报单位",), "recommender": ("推荐单位",),
    "contact": ("联系人及联系电话", "联系人及电话", "联系人"), "fill_date": ("填报日期", "填表日期"),
}
_STAMP_NOTE = re.compile(r"[（(]\s*(加盖|省级|盖章).*$")
# The template's own instructions printed beside a blank (FORM.md): when the brackets are lost in
# print or OCR, they are still not part of the value.
FORM_NOTES = ("加盖单位公章", "省级工业和信息化主管部门盖章", "工业和信息化主管部门盖章", "主管部门盖章",
              "单位公章", "盖章")
_BRACKETS = "（）()[]【】〔〕"


def strip_form_notes(text: str) -> str:
    """The value without a template note at its end ('…有限公司加盖单位公章' → '…有限公司').

    A note matches exactly or with one OCR slip, with or without its brackets; the longest note
    that matches is removed, so '盖章' never cuts into '加盖单位公章'.
    """
    value = _STAMP_NOTE.sub("", text).rstrip(" " + _BRACKETS)
    for note in sorted(FORM_NOTES, key=len, reverse=True):
        tail = value[-len(note):]
        slips = sum(a != b for a, b in zip(tail, note, strict=True)) if len(tail) == len(note) else len(note)
        if len(value) > len(note) + 1 and (slips == 0 or (len(note) >= 4 and slips <= 1)):
            return value[:-len(note)].rstrip(" " + _BRACKETS)
    return value


def is_cover_page(page: Page) -> bool:
    """The cover by role, or by two of its labels (a recommendation letter also names 推荐单位 and 联系人)."""
    if page.role == "cover":
        return True
    text = page.text
    if page.role in ("recommendation_letter", "recommendation_table") or "现推荐" in text or "推荐意见" in text:
        return False
    labels = ("申报单位", "推荐单位", "联系人及联系电话", "填报日期")
    return sum(label_score(text, label) >= 0.78 for label in labels) >= 2


CoverLine = tuple[int, str, list[Word]]  # line index, text after the label, its words
_COLON = re.compile(r"[:：;；]")


def _label_line(lines: Sequence[Sequence[Word]], labels: Sequence[str]) -> CoverLine | None:
    """The first line holding one of `labels`, with the text after the label and the words it came from."""
    for index, line in enumerate(lines):
        chars = chars_of(line)
        text = "".join(c for c, _, _ in chars)
        for label in labels:
            if label_score(text, label) < 0.85:
                continue
            end = label_end(text, label)
            if end is None:
                continue
            rest = chars[end:]
            return index, "".join(c for c, _, _ in rest), list(dict.fromkeys(w for _, _, w in rest))
    return None


def _unlabelled_line(lines: Sequence[Sequence[Word]], after: int, before: int, near_after: bool) -> CoverLine | None:
    """A cover line whose label OCR lost (a seal over 推荐单位): a line between its neighbours' lines that is
    not a bracketed note and has a colon near its start, read after the colon; the one nearest the known side."""
    order = range(after + 1, before) if near_after else range(before - 1, after, -1)
    for index in order:
        chars = chars_of(lines[index])
        text = "".join(c for c, _, _ in chars)
        colon = _COLON.search(text[:10])
        if not text.strip() or text.lstrip()[:1] in "（(〈<" or colon is None:
            continue
        return index, text[colon.end():], list(dict.fromkeys(w for _, _, w in chars[colon.end():]))
    return None


def _cover_lines(lines: Sequence[Sequence[Word]]) -> dict[str, CoverLine]:
    found = {key: line for key, labels in COVER_LABELS.items() if (line := _label_line(lines, labels))}
    keys = list(COVER_LABELS)
    for position, key in enumerate(keys):
        if key in found:
            continue
        before = [found[k][0] for k in keys[:position] if k in found]
        after = [found[k][0] for k in keys[position + 1:] if k in found]
        if before or after:
            line = _unlabelled_line(lines, before[-1] if before else -1, after[0] if after else len(lines),
                                    near_after=bool(before))
            if line is not None and all(line[0] != other[0] for other in found.values()):
                found[key] = line
    return found


def _reread_lines(page: Page, lines: list[list[Word]], engine: OcrEngine | None, settings: Settings) -> list[list[Word]]:
    """Weakly read lines of a scanned cover read again on their own crops (a seal over a line trips page OCR)."""
    reader = cell_reader(page, engine)
    if reader is None:
        return lines
    cells = []
    for index, line in enumerate(lines):
        box = (min(w.bbox[0] for w in line) - 3, min(w.bbox[1] for w in line) - 3,
               max(w.bbox[2] for w in line) + 3, max(w.bbox[3] for w in line) + 3)
        cells.append(CellText(Cell(index, 0, 1, 1, box), box, tuple(line), "".join(w.text for w in line),
                              confidence_of(line)))
    # A cover line is long and mostly read well on the page: its crop must do strictly better.
    read = reader.reread(cells, Frame(), REREAD_BELOW, settings.low_confidence, slack=-0.01)
    return [list(cell.words) if cell.reread else line for cell, line in zip(read, lines, strict=True)]


def _after_label(page: Page, line: Sequence[Word]) -> list[float] | None:
    """Where a cover value stands when none was read: right of its label's line, to the page's text margin."""
    if not line:
        return None
    right = max(w.bbox[2] for w in line)
    top, bottom = min(w.bbox[1] for w in line), max(w.bbox[3] for w in line)
    margin = page.width * 0.1
    if right >= page.width - margin - 10:
        return None
    return round_box((right + 2, top - 2, page.width - margin, bottom + 2))


def _cover_field(text: str, words: Sequence[Word], page: int) -> tuple[str, Provenance]:
    boxes = [w.bbox for w in words] or [(0.0, 0.0, 0.0, 0.0)]
    box = (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))
    weights = [max(1, len(w.text)) for w in words]
    confidence = sum(w.confidence * n for w, n in zip(words, weights, strict=True)) / sum(weights) if words else 1.0
    source = "ocr" if any(w.source == "ocr" for w in words) else "text"
    cleaned = text.strip(" ：:;；_＿\t")
    return cleaned, Provenance(page=page, bbox=round_box(box), confidence=round(confidence, 4), source=source)


def extract_cover(pages: list[Page], settings: Settings) -> Extracted[Cover]:
    """申报单位, 推荐单位, 联系人及联系电话, 填报日期 from the cover page."""
    candidates = sorted((p for p in pages if not p.error and is_cover_page(p)), key=lambda p: p.role != "cover")
    sink = Sink(settings)
    cover = Cover()
    engine = ocr_engine(candidates, settings)
    for page in candidates:
        lines = _reread_lines(page, lines_of(page.words), engine, settings)
        values = _cover_lines(lines)
        if not values:
            continue
        for key, (index, text, words) in values.items():
            raw, provenance = _cover_field(text, words, page.number)
            if not raw:
                place = _after_label(page, lines[index])
                provenance = provenance.model_copy(update={"blank": is_blank(page, place, ""), "bbox": place})
            if key in ("applicant", "recommender"):
                name = normalise.clean_name(strip_form_notes(raw).strip(" ：:;；_＿，。、,."))
                if key == "recommender" and provenance.source == "ocr":
                    repaired = normalise.repair_department(name)
                    if repaired != name:
                        provenance = provenance.model_copy(update={"repaired_from": name})
                    name = repaired
                setattr(cover, key, sink.put(f"cover.{key}", FieldValue(name, raw, provenance)))
            elif key == "fill_date":
                cover.fill_date = sink.put("cover.fill_date", FieldValue(normalise.parse_date(raw), raw, provenance))
            else:
                _contact(cover, raw, provenance, sink)
        break
    return Extracted(cover, sink.provenance, sink.checks)


def _contact(cover: Cover, raw: str, provenance: Provenance, sink: Sink) -> None:
    """联系人及联系电话: the person before the number, the number normalised."""
    phone = normalise.find_phone(raw)
    person = raw[:phone[1]] if phone else raw
    person = re.sub(r"(电话|手机|联系电话)[:：]?\s*$", "", person).strip(" ,，、/：:;；_＿")
    cover.contact = sink.put("cover.contact", FieldValue(normalise.clean_name(person), person, provenance))
    cover.phone = sink.put("cover.phone", FieldValue(phone[0] if phone else None, raw[phone[1]:phone[2]]
                                                     if phone else "", provenance))


# --- the recommendation (附件2) -----------------------------------------------------------

RECOMMENDED = TableSpec(
    "recommended", "recommendation_table", ("制造业数字化转型促进中心推荐表",),
    (SEQ, Column("name", ("申报对象名称", "对象名称")),
     Column("industries", ("所服务的主要行业", "所服务的行业", "服务的主要行业", "行业"), "industries"),
     Column("policies", ("省市两级给予建设主体的相关政策", "相关政策", "政策"))),
)
_TABLE_TITLE = re.compile(r"([\u4e00-\u9fff]{2,12}?)(?:[（(]区[、,，]?市[)）])?制造业数字化转型促进中心推荐表")
_LETTER_NAMES = re.compile(r"现推荐(.+?)(?:[（(]数促中心申报对象名称[)）])?(?:建设|作为|申报)")
_NAME_SEPARATORS = re.compile(r"[、，,；;]|(?<=[司院心所校])和|(?<=[司院心所校])及")


def _page_text(page: Page) -> str:
    return "\n".join("".join(w.text for w in line) for line in lines_of(page.words))


def province_of(text: str) -> str | None:
    """The recommending province (or city) named in the 推荐表 title: 浙江省, 宁波市 …"""
    match = _TABLE_TITLE.search(re.sub(r"\s+", "", normalise.nfkc_keep_cjk_punctuation(text)))
    if match is None:
        return None
    name = re.sub(r"^(附表?[:：]?|附件\d*[:：]?)", "", match.group(1))
    return name or None


def letter_names(text: str) -> list[str]:
    """Names in the letter's 现推荐 A、B 建设… sentence, as printed."""
    match = _LETTER_NAMES.search(re.sub(r"\s+", "", text))
    if match is None:
        return []
    names = (normalise.clean_name(part) for part in _NAME_SEPARATORS.split(match.group(1)))
    return [name.removesuffix("等") for name in names if name and name != "XX"]


def _letter_date(page: Page) -> tuple[object, Provenance] | None:
    """The last date on the letter (the one under the seal), with where it is."""
    for line in reversed(lines_of(page.words)):
        text = "".join(w.text for w in line)
        date = normalise.parse_date(text)
        if date is not None:
            _, provenance = _cover_field(text, line, page.number)
            return date, provenance
    return None


def _recommended_rows(pages: Sequence[Page], engine: OcrEngine | None, sink: Sink, settings: Settings) -> list[Recommended]:
    rows: list[Recommended] = []
    layout: Layout | None = None
    for page in pages:
        for table in find_tables(page, engine, settings.low_confidence).tables:
            header = find_header(table, page.role, (RECOMMENDED,))
            start = 0
            if header is not None:
                layout, start = Layout.of(table, header), header.row + 1
            elif layout is None or layout.fit(table) is None:
                continue
            fitted = layout if header is not None else layout.fit(table)
            assert fitted is not None
            for values in iter_rows(table, fitted, start):
                name = values.get("name")
                if name is None or not name.value:
                    continue
                index = len(rows)
                path = f"recommendation.recommended[{index}]"
                seq = values.get("seq")
                rank = seq.value if seq is not None and isinstance(seq.value, int) and seq.value > 0 else index + 1
                for key, value in values.items():
                    sink.put(f"{path}.{'rank' if key == 'seq' else key}", value)
                policies, industries = values.get("policies"), values.get("industries")
                rows.append(Recommended(rank=rank, name=str(name.value),
                                        industries=industries.value if industries and industries.value else [],
                                        policies=str(policies.value) if policies and policies.value else None))
    return rows


def extract_recommendation(pages: list[Page], settings: Settings) -> Extracted[Recommendation]:
    """附件2: province, date, the 推荐表 rows in priority order, and the names the letter recommends."""
    sink = Sink(settings)
    readable = [p for p in pages if not p.error]
    letters = [p for p in readable if p.role == "recommendation_letter" or "现推荐" in p.text]
    # A one-page scan holds the letter and the 推荐表 under it: a letter page is searched for the table too.
    tables = [p for p in readable if p.role == "recommendation_table" or "推荐表" in p.text]
    recommendation = Recommendation()
    for page in [*tables, *(p for p in letters if p not in tables)]:
        province = province_of(_page_text(page))
        if province:
            recommendation.province = province
            sink.provenance["recommendation.province"] = Provenance(page=page.number, source=_source(page))
            break
    for page in letters:
        names = letter_names(_page_text(page))
        if names and not recommendation.letter_names:
            recommendation.letter_names = names
        dated = _letter_date(page)
        if dated is not None and recommendation.date is None:
            recommendation.date = sink.put("recommendation.date", FieldValue(dated[0], "", dated[1]))  # type: ignore[assignment]
    recommendation.recommended = _recommended_rows(tables, ocr_engine(tables, settings), sink, settings)
    return Extracted(recommendation, sink.provenance, sink.checks)


def _source(page: Page) -> str:
    return "text" if page.kind == "text" else "ocr"
