"""The basic-info form (一、基本情况): read by its printed labels into `BasicInfo`."""

from __future__ import annotations

import datetime as dt
import itertools
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

import cv2
from rapidfuzz import fuzz
from rapidfuzz.distance import Hamming, Levenshtein

from models import (
    YEARS,
    BasicInfo,
    FinanceYear,
    Head,
    LeadUnit,
    Member,
    Provenance,
    ResourceYear,
    ServiceYear,
)
from models.codes import is_valid_credit_code, normalise_credit_code
from models.page import Box, Page
from pipeline import normalise
from pipeline.checkboxes import CheckboxReading, read_checkboxes
from pipeline.config import Settings
from pipeline.fields.common import READ_IN_DOUBT, Sink, form_field, wan_alternative, with_blank
from pipeline.fields.unit_name import ENDS_AS_UNIT
from pipeline.ink import is_blank
from pipeline.record_paths import get_path, set_path
from pipeline.result import Extracted
from pipeline.tables.appendix import ocr_engine, second_readers
from pipeline.tables.cells import CellText
from pipeline.tables.form import (
    BESIDE,
    MIN_LABEL_SCORE,
    FormRow,
    Found,
    Labels,
    Value,
    cells_beside,
    find_labels,
    form_rows,
    next_label_x,
    value_right_of,
)
from pipeline.tables.labels import MIN_SCORE, label_end, label_score, squeeze
from pipeline.tables.reread import SecondReader, crop_box
from pipeline.tables.unit_names import COMPANY, with_form
from pipeline.tables.values import (
    FORM_COMMAS,
    FieldValue,
    implausible_dropped,
    provenance_of,
    round_box,
    second_opinion,
    thousands_first,
    writes_thousands,
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
WRAPPING_KINDS = frozenset({"text", "industries"})  # values a cell wraps over lines, read whole only with them
YEAR_KINDS = {
    "revenue": "amount", "net_margin": "percent", "debt_ratio": "percent", "enterprises": "int",
    "contract_amount": "amount", "trainees": "int", "investors": "int", "financing": "amount",
    "universities": "int", "providers": "int",
}
SECOND_READ_CONFIDENCE = 0.8  # a figure only the second engine read, on its crop (`FormReader._read_again`)
OCR_GLYPH_CONFIDENCE = 0.7  # a checkbox group told by the characters OCR read for its boxes (`read_ocr_glyphs`)
DOUBTFUL_REPAIR = 0.5  # the confidence of a repair the text as read may equally be (below LOW_CONFIDENCE's bar)
UNIT_TYPE_OPTIONS = ("制造业企业", "服务商", "其它")
_YEAR_CELL = re.compile(r"^(20\d\d)年?(度)?$")
_DIGIT = re.compile(r"\d")
# Label heights above and below a figure's label where, on lines of text, the figure may stand: the
# figure's line is centred on its row, the label may be one or two lines.
YEAR_BESIDE = 0.8
# The unit of a yearly amount or share, and the digits its cell wrapped onto the unit's line with it
# ('2,288.1' · '9万元': a cell wraps at its edge, so a few digits at most). Counts ('11家') are too short
# to wrap, and a count's line below is as likely the next row's figure.
_UNITS = {"amount": "万元", "percent": "%"}
# A unit alone on the line below adds nothing to the number: only digits with it are a wrapped tail.
_WRAPPED_TAILS = {unit: re.compile(rf"^\d{{1,2}}\s*{re.escape(unit)}$") for unit in _UNITS.values()}
BLANK_REACH = 0.4  # label heights above and below its line where a figure's place is measured for ink
_CJK = re.compile(r"[\u4e00-\u9fff]")
LEAD_KEYS = frozenset({"name", "credit_code", "established", "is_legal_person", "registered_capital",
                       "registered_address", "main_industries", "unit_type"})
HEAD_KEYS = frozenset({"head", "head.name", "head.mobile", "head.title", "head.email"})
_PLACEHOLDER = re.compile(r"[（(]\s*(名称|类型)\s*[)）]")
# An open bracket and a letter or few before a name's first character, never closed: the member label's note
# ('（不超过6家）') run in and misread ('(se河南科技大学'); a name's own bracket closes ('（中国）').
_LABEL_SCRAP = re.compile(r"^[（(][A-Za-z|]{1,3}(?=[\u4e00-\u9fff])(?![^)）]*[)）])")


# The start of a label printed beside the lead unit's text values (the yearly figures' labels never
# are): five characters of it, or the whole of a four-character label (four characters of a long
# label could begin a unit's own name).
_LABEL_STARTS = sorted({label[:k] for key, labels in FORM.by_key.items() if "." not in key for label in labels
                        if len(label) >= 4 for k in range(min(5, len(label)), len(label) + 1)},
                       key=len, reverse=True)


_MEMBERS_LABEL = squeeze("联合体其他成员单位名称与类型（不超过6家）")  # the member label as printed, whole
_LABEL_TEXTS = (*(squeeze(label) for labels in FORM.by_key.values() for label in labels), _MEMBERS_LABEL)


CODE_LENGTH = 18  # characters of a unified social credit code (GB 32100)
WRAP_SLACK = 3.0  # points: a wrapped value's second line starts under its first, give or take
OWNER_REACH = 2.0  # label heights above and below a cell where the labels that may own it stand
WRAP_DROP = 0.3  # of a line's height: the centre of a wrapped value's next line lies at least this far below
MISREAD_SHARE = 3  # a piece of print read with up to one character in this many wrong is still that print


def is_label_text(text: str) -> bool:
    """The text is the form's own print (a label, or a piece of one a lost rule split off, perhaps
    misread by a character or two: '单位名称写美型' for 单位名称与类型), not a value."""
    squeezed = squeeze(text)
    return bool(squeezed) and (any(squeezed in label for label in _LABEL_TEXTS) or FORM.match(text)[0] is not None
                               or _misread_label_piece(squeezed))


def _misread_label_piece(squeezed: str, labels: Sequence[str] = _LABEL_TEXTS) -> bool:
    """`squeezed` is a piece of one of `labels` with up to one character in MISREAD_SHARE misread."""
    size = len(squeezed)
    if size < 2 * MISREAD_SHARE:  # too short to tell a misread label from a name
        return False
    return any(Levenshtein.distance(squeezed, label[start:start + size]) <= size // MISREAD_SHARE
               for label in labels for start in range(len(label) - size + 1))


# A unit's name or address holds no run of code characters: a credit code (18) run in from the next cell.
_CODE_RUN = re.compile(r"[0-9A-Z]{12,}")
# Labels long enough to be told, misread, inside a value ('统一祛会信用代码' run into the name).
_LONG_LABELS = tuple(label for key, labels in FORM.by_key.items() if "." not in key for label in labels if len(label) >= 6)


def cut_at_label(text: str) -> str:
    """A text value without the start of a following label run into it ('…研究院统一社会信' → '…研究院').

    When the form's rules are lost its cells run together and a wrapped label ('统一社会信 / 用代码')
    reads as part of the value beside it; five characters of a label's start are no unit's name, nor is
    a whole label misread in a character or two, nor a run of a code's characters.
    """
    # Lines of text come as words: the label may be split across them ('统一社会 码 信用代').
    compact = "".join(text.split())
    value = compact
    # Cut again after each cut: a code's run cut off may leave the misread label before it at the end.
    while cuts := _label_cuts(value):
        value = value[:min(cuts)]
    return value.rstrip(" :：") if value != compact else text


def _label_cuts(text: str) -> list[int]:
    cuts = [position for start in _LABEL_STARTS if (position := text.find(start)) > 0]
    cuts += [match.start() for match in _CODE_RUN.finditer(text) if match.start() > 0]
    for label in _LONG_LABELS:
        alignment = fuzz.partial_ratio_alignment(label, text)
        if alignment is not None and alignment.score / 100.0 >= MIN_SCORE and alignment.dest_start > 0:
            cuts.append(alignment.dest_start)
    return cuts + _misread_label_start(text)


def _misread_label_start(text: str) -> list[int]:
    """Where the text ends in a label's start misread by a character in three ('…创新中心统一花会份用' for
    统一社会信用): the wrapped label's first line run into the value beside it."""
    cuts = []
    for start in range(1, len(text) - 2 * MISREAD_SHARE + 1):
        tail = text[start:]
        # Characters misread in place, not dropped or added: a shifted match would cut into the value.
        if any(len(label) >= len(tail) and Hamming.distance(tail, label[:len(tail)]) <= len(tail) // MISREAD_SHARE
               for label in _LONG_LABELS):
            cuts.append(start)
    return cuts


def _misread_label_end(text: str, label: str) -> bool:
    """`text` is the label's last characters, two or more, with one of them misread in its place ('行亚' of
    服务的主要行业): a wrapped label's rest on the line below."""
    piece = squeeze(text)
    return 2 <= len(piece) < len(label) and Hamming.distance(piece, label[-len(piece):]) <= 1


def _cells_box(cells: Sequence[CellText]) -> tuple[float, float, float, float]:
    """The box around the cells."""
    return (min(c.bbox[0] for c in cells), min(c.bbox[1] for c in cells),
            max(c.bbox[2] for c in cells), max(c.bbox[3] for c in cells))


def _line_gap(cells: Sequence[CellText]) -> float:
    """A line's height of the cells' text: a centre more than half of it below the cells' is on another line."""
    return max(c.bbox[3] - c.bbox[1] for c in cells)


def _title_field(field: FieldValue) -> FieldValue:
    """A head's title OCR misread by one character, where that points to one known title (`repair_title`)."""
    if field.provenance.source != "ocr" or not isinstance(field.value, str):
        return field
    title = normalise.repair_title(field.value)
    if title == field.value:
        return field
    return FieldValue(title, field.raw, field.provenance.model_copy(update={"repaired_from": field.value}))


def _email_field(value: Value, field: FieldValue) -> FieldValue:
    """An address whose '@' (or a letter of a known mail domain) OCR misread, repaired when only one repair fits."""
    reading = normalise.repair_email(value.text.replace("\n", "")) if field.provenance.source == "ocr" else None
    if reading is None or reading.repaired_from is None:
        return field
    update: dict[str, object] = {"repaired_from": reading.repaired_from}
    if reading.doubtful:
        # Both readings stand until a reviewer looks: no INVALID_EMAIL on a misread, no valid address taken on trust.
        update |= {"alternatives": [reading.repaired_from],
                   "confidence": min(field.provenance.confidence or 1.0, DOUBTFUL_REPAIR)}
    return FieldValue(reading.value, value.text, field.provenance.model_copy(update=update))


def is_form_page(page: Page) -> bool:
    if page.role == "basic_info":
        return True
    text = page.text
    return page.role not in ("cover", "plan") and sum(label_score(text, label) >= 1.0 for label in FORM_EVIDENCE) >= 2


def _centre_y(box: Sequence[float]) -> float:
    return (box[1] + box[3]) / 2


def is_year_label(text: str) -> bool:
    """The text is a year column's header ('2024年', '2025年度'): on lines of text the next group's header
    stands a line below a blank figure's place (dev4 a05: '2024年' read as 2024 trainees), and is no figure."""
    match = _YEAR_CELL.match(normalise.nfkc(text).replace(" ", ""))
    return match is not None and "年" in text and int(match.group(1)) in YEARS


def without_year_label(text: str, year: int) -> str:
    """A year column's figure without the column's own year label read into its place ('2024年 7家': the
    header's '2024年' above a rule a scan lost). No figure of the form is written 'YYYY年': where the label is
    all the digits a blank place took in ('元 2024年': the wrapped unit of the amount above and the next
    block's year header, dev4 a05's phone photo), nothing is left to read as a figure, not a count of 2024."""
    return re.sub(rf"(?<![\d.,]){year}\s*年度?\s*", "", text).strip()


# A date that ends in a one-digit day, with nothing after it, where its month is written with two digits
# ('2016.09.2' · '5': a writer who pads the month pads the day too) or in words without the 日 that
# closes it ('2016年9月2' · '5日'): its cell wrapped the day's last digit onto the next line.
_DAY_CUT = re.compile(r"(?:\d{4}\s*[./\-]\s*0\d\s*[./\-]|\d{4}\s*年\s*\d{1,2}\s*月)\s*\d$")


def day_cut_short(text: str) -> bool:
    """The date as read stops one digit into a day its own writing says has two (`_DAY_CUT`)."""
    return _DAY_CUT.search(normalise.nfkc(text).strip()) is not None


# A date whose month has two digits of its own (10–12: no sign of padding either way) and whose day ends
# after one ('2009/11/2'): the writing says nothing of the day's length, so only a lone digit on the line
# below in its column, the one thing a cell's wrap leaves there ('2009/11/2' · '8'), completes it.
_DAY_MAYBE_CUT = re.compile(r"\d{4}\s*[./\-]\s*1[0-2]\s*[./\-]\s*\d$")


def day_maybe_cut(text: str) -> bool:
    """The date as read ends one digit into a day, its month 10–12 (`_DAY_MAYBE_CUT`)."""
    return _DAY_MAYBE_CUT.search(normalise.nfkc(text).strip()) is not None


def one_digit_more(as_read: str) -> Callable[[str], bool]:
    """Whether a text is `as_read` and one digit more that make another date (the day's wrapped last digit)."""
    before = normalise.parse_date(as_read)
    return lambda text: (re.fullmatch(r"\d", text[len(as_read):].strip()) is not None
                         and normalise.parse_date(text) not in (None, before))


def at_known_domain(text: str) -> bool:
    """The text reads as an address at a known mail domain (OCR's lookalikes in it undone): an address its
    cell wrapped ('pryw1176@foxmail.co' · 'm') is whole only with its rest."""
    reading = normalise.repair_email(text.replace("\n", ""))
    return reading is not None and reading.value.rpartition("@")[2] in normalise.KNOWN_MAIL_DOMAINS


def another_date(as_read: dt.date | None) -> Callable[[str], bool]:
    """Whether a text parses as a date other than `as_read` (a date joined with its wrapped rest)."""
    return lambda text: normalise.parse_date(text) not in (None, as_read)


def code_shaped(text: str) -> bool:
    """Text that reads as a credit code, whether or not its check holds: 17 to 19 letters and digits (one
    lost or one extra), opening with a digit, mostly digits (a code's division and organisation parts)."""
    code = re.sub(r"[^0-9A-Z]", "", normalise_credit_code(text))
    return (CODE_LENGTH - 1 <= len(code) <= CODE_LENGTH + 1 and code[0].isdigit()
            and len(_DIGIT.findall(code)) >= CODE_LENGTH // 2 and len(code) * 2 > len(squeeze(text)))


def _checks_as_code(text: str) -> bool:
    reading = normalise.parse_credit_code(text, repair=True)
    return reading is not None and is_valid_credit_code(reading.value)


class FormReader:
    """The basic-info form's rows and label cells, and the readers of each part."""

    def __init__(self, pages: Sequence[Page], settings: Settings) -> None:
        self.pages = {page.number: page for page in pages}
        self.rows = form_rows(pages, ocr_engine(pages, settings), settings.low_confidence, FORM)
        self.found = labels_by_order(self.rows, find_labels(self.rows, FORM))
        self.sink = Sink(settings)
        self.readers = second_readers(settings)

    def second(self, page: Page) -> Callable[[Box], Sequence[tuple[str, float]]] | None:
        """The page's reader of single cells by the second engine, one per page for every use (`second_readers`)."""
        reader = self.readers(page)
        return None if reader is None else reader.read

    def field(self, value: Value, kind: str) -> FieldValue | None:
        """The value typed; on a scan, a number or date that does not validate is read again by the second engine."""
        field = form_field(value, kind)
        page = self.pages.get(value.page)
        read = self.second(page) if field is not None and page is not None else None
        field = field if read is None or field is None else second_opinion(field, kind, "万元", read)
        field = wan_alternative(field) if field is not None and kind == "amount" else field
        return None if field is None else with_blank(implausible_dropped(field, kind), page)

    def label_of(self, key: str) -> Found | None:
        return best_label(self.rows, self.found, key)

    def value(self, key: str) -> Value | None:
        at = self.label_of(key)
        if at is None:
            return None
        text = self.rows[at.row].cells[at.col].text
        # The template's label first ('注册地（具体到区县）' over '注册地', so the cell's whole label is cut
        # off); a wrapped label's first line alone matches none, and takes the closest.
        label = next((lb for lb in FORM.by_key[key] if label_score(text, lb) >= MIN_LABEL_SCORE),
                     max(FORM.by_key[key], key=lambda candidate: label_score(text, candidate)))
        value = value_right_of(self.rows, at, FORM, label, self.found)
        rest = self._label_rest_below(at) if not value.cells else None
        if rest is not None:
            return value_right_of(self.rows, rest, FORM, FORM.by_key[key][0], self.found)
        return self._with_split_row(at, value) if key in LEAD_KEYS else value

    def _with_split_row(self, at: Found, value: Value) -> Value:
        """A ruled row the grid split in two where no rule parts it (a cell spanning both, the row's label
        '牵头单位名称', says the two are one row): the value's wrapped rest in the second ('潍坊…集团' · '有限公司',
        '…9RQ0' · '4'), the cells there between the label's end and the next label on the first row."""
        row = self.rows[at.row]
        if not row.ruled or not value.cells or at.row + 1 >= len(self.rows):
            return value
        below = self.rows[at.row + 1]
        # The row's own label (its first cell, holding print) spans both: an empty sliver of a margin that
        # spans every row (a rule found at the page's edge) says nothing.
        if (below.page != row.page or not below.ruled or not row.cells or not below.cells
                or below.cells[0] != row.cells[0] or not row.cells[0].text.strip()):
            return value
        left = row.cells[at.col].bbox[2]
        stop = min((row.cells[f.col].bbox[0] for f in self.found if f.row == at.row and f.col > at.col),
                   default=float("inf"))
        rest = [cell for cell in below.cells if cell not in row.cells and cell.text.strip()
                and left <= (cell.bbox[0] + cell.bbox[2]) / 2 < stop and FORM.match(cell.text)[0] is None]
        if not rest:
            return value
        return Value(value.text + "".join(cell.text for cell in rest), (*value.cells, *rest), value.page)

    def _label_rest_below(self, at: Found) -> Found | None:
        """Where a label's row holds nothing after it and the next row opens, in the label's column, with the
        rest of that label ('注册地（具体' · '到区县）': a two-line label parted by the text's bands), that cell:
        the value stands beside the label's last line."""
        row = self.rows[at.row]
        if at.row + 1 >= len(self.rows) or self.rows[at.row + 1].page != row.page:
            return None
        own = row.cells[at.col].bbox
        below = self.rows[at.row + 1]
        for col, cell in enumerate(below.cells):
            if cell.bbox[2] <= own[0] or cell.bbox[0] >= own[2]:
                continue
            first, joined = squeeze(row.cells[at.col].text), squeeze(row.cells[at.col].text + cell.text)
            whole = any(squeeze(label) in joined and squeeze(label) not in first for label in FORM.by_key[at.key])
            return Found(at.row + 1, col, at.key) if whole and FORM.match(cell.text)[0] is None else None
        return None

    def lead_unit(self) -> LeadUnit:
        lead = LeadUnit()
        kinds = {"name": "text", "established": "date", "registered_capital": "amount",
                 "registered_address": "text", "main_industries": "industries"}
        read: dict[str, Value | None] = {}
        for name, kind in kinds.items():
            value = self.value(name)
            if value is not None and kind in WRAPPING_KINDS:
                value = self._with_wrapped_lines(name, value)
            if value is not None and name in LEAD_TEXT:
                value = Value(cut_at_label(value.text), value.cells, value.page)
            if value is not None and name == "registered_address":
                value = Value(normalise.address_from_place(value.text) or "", value.cells, value.page)
            field = self.field(value, kind) if value else None
            if value is not None and kind == "date" and (field is None or field.value is None
                                                          or day_cut_short(value.text)):
                # The rest must make another date: a cut day is completed, not read again as it was.
                wrapped = self._wrapped(name, value, another_date(normalise.parse_date(value.text)))
                field = self.field(wrapped, kind) if wrapped is not None else field
            elif value is not None and kind == "date" and day_maybe_cut(value.text):
                wrapped = self._wrapped(name, value, one_digit_more(value.text))
                field = self.field(wrapped, kind) if wrapped is not None else field
            if field is not None:
                setattr(lead, name, self.sink.put(f"basic_info.lead_unit.{name}", field))
                read[name] = value
            elif value is not None and not value.cells:
                self._measure_value_blank(f"basic_info.lead_unit.{name}", name)
        self._credit_code(lead)
        self._without_code_tails(lead, read)
        self._legal_person(lead)
        self._unit_type(lead)
        return lead

    def _credit_code(self, lead: LeadUnit) -> None:
        value = self.value("credit_code")
        if value is None or not value.cells:
            self._credit_code_anywhere(lead)
            return
        reading = normalise.parse_credit_code(value.text, repair=provenance_of(value.cells, value.page).source == "ocr")
        if reading is not None and len(reading.value) < CODE_LENGTH:
            wrapped = self._wrapped("credit_code", value, _checks_as_code)
            if wrapped is not None:
                value, reading = wrapped, normalise.parse_credit_code(wrapped.text, repair=True)
        provenance = provenance_of(value.cells, value.page)
        if provenance.source == "ocr" and (reading is None or not is_valid_credit_code(reading.value)):
            reading = self._credit_code_second_reading(value.page, provenance.bbox) or reading
        if reading is not None and reading.repaired_from is not None:
            provenance = provenance.model_copy(update={"repaired_from": reading.repaired_from})
        # Characters lost or split off in the reading ('91830603MA/N80E D R'), or a code failing its check one
        # lookalike from a valid one ('…M496…' for …MA96…): the misreading as likely as an applicant's wrong code,
        # so a finding on it names the doubt, no error on trust. The valid code is not offered as an alternative:
        # reconciliation would take it, and a wrong code's check holds one lookalike away often enough (one change
        # in 31) to hide a real error.
        if provenance.source == "ocr" and reading is not None and (
                len(reading.value) != CODE_LENGTH or normalise.lookalike_codes(reading.value)):
            provenance = provenance.model_copy(update={"confidence": min(provenance.confidence or 1.0, READ_IN_DOUBT)})
        lead.credit_code = self.sink.put("basic_info.lead_unit.credit_code",
                                         FieldValue(reading.value if reading else None, value.text, provenance))

    def _without_code_tails(self, lead: LeadUnit, read: dict[str, Value | None]) -> None:
        """A value that is the credit code's wrapped last characters ('91500112MA8B0DPN' · '4B', the code's
        cell spanning the line of 注册资本's blank figure) is no value of its own: dropped, and its own place
        measured for ink (a blank there is the applicant's omission)."""
        path = "basic_info.lead_unit.credit_code"
        origin, code = self.sink.provenance.get(path), squeeze(self.sink.raw.get(path, ""))
        if origin is None or origin.bbox is None or not code:
            return
        x0, y0, x1, y1 = origin.bbox
        for name, value in read.items():
            if value is None or not value.cells:
                continue
            tail = squeeze(value.text)
            box = _cells_box(value.cells)
            inside = x0 <= (box[0] + box[2]) / 2 <= x1 and y0 <= _centre_y(box) <= y1
            if inside and tail and len(tail) < len(code) and code.endswith(tail):
                setattr(lead, name, None)
                self._measure_value_blank(f"basic_info.lead_unit.{name}", name)

    def _with_wrapped_lines(self, key: str, value: Value) -> Value:
        """A name or text its cell wrapped over lines of text ('董事长兼总经' · '理', centred on the label's
        line): the lines beside the label's line, over the value's own span, that belong to no other label
        (`_owner`), joined in reading order."""
        at = self.label_of(key)
        if at is None or self.rows[at.row].ruled or not value.cells:
            return value  # a ruled cell's text holds all its lines already
        left, right = min(c.bbox[0] for c in value.cells), max(c.bbox[2] for c in value.cells)
        lines = [cell for cell in cells_beside(self.rows, at, self.found, left - WRAP_SLACK, right + WRAP_SLACK)
                 if cell not in value.cells and FORM.match(cell.text)[0] is None
                 and self._free_line(at, cell) and self._owns(at, value, cell)]
        if not lines:
            return value
        cells = sorted((*value.cells, *lines), key=lambda c: (round(_centre_y(c.bbox)), c.bbox[0]))
        return Value("".join(c.text for c in cells), tuple(cells), value.page)

    def _owns(self, at: Found, value: Value, cell: CellText) -> bool:
        """The label at `at` owns a line of text beside it (`_owner`), or the line lies under the label's own
        value and the label `_owner` names stands above the value's line ('…，轻' · '工' under 注册资本 a
        line above): a cell wraps onto the line below its own, so another label's value cannot have skipped the
        value's line to reach it."""
        owner = self._owner(at, cell)
        if owner == at:
            return True
        value_y = _centre_y(_cells_box(value.cells))
        label_y = _centre_y(self.rows[owner.row].cells[owner.col].bbox) if owner is not None else value_y
        return owner is not None and label_y < value_y < _centre_y(cell.bbox) - _line_gap(value.cells) / 2

    def _free_line(self, at: Found, cell: CellText) -> bool:
        """The cell's line holds nothing in the label's column but the label's own wrapped words (read exactly,
        or its last characters with one misread: '行亚' of 服务的主要行业): a line with print of its own there
        (a member's 序号 above the head's name) is another part of the form."""
        label = self.rows[at.row].cells[at.col].bbox
        line = next((row for row in self.rows if cell in row.cells), None)
        return line is not None and all(
            other.bbox[2] <= label[0] or other.bbox[0] >= label[2] or not other.text
            or max(label_score(text, other.text) for text in FORM.by_key[at.key]) >= MIN_LABEL_SCORE
            or any(_misread_label_end(other.text, text) for text in FORM.by_key[at.key])
            for other in line.cells)

    def _owner(self, at: Found, cell: CellText) -> Found | None:
        """The label a cell off every label's line belongs to: of the labels left of it and a line or two
        from it, those in the nearest column (a group label such as 单位负责人 stands further left), and of
        them the one whose line is nearest. A label over the cell's own start (注册资本 a line above a wrapped
        '纺织，船舶' centred in the next value's column) stands above it, not left of it."""
        page = self.rows[at.row].page
        centre = (cell.bbox[0] + cell.bbox[2]) / 2
        label = self.rows[at.row].cells[at.col].bbox
        reach = OWNER_REACH * (label[3] - label[1])
        left = [(f, box) for f in self.found if self.rows[f.row].page == page
                and (box := self.rows[f.row].cells[f.col].bbox)[2] <= min(centre, cell.bbox[0] + WRAP_SLACK)
                and abs(_centre_y(box) - _centre_y(cell.bbox)) <= reach]
        if not left:
            return None
        nearest = max(left, key=lambda item: item[1][2])[1]
        column = [(f, box) for f, box in left if box[0] < nearest[2] and box[2] > nearest[0]]
        return min(column, key=lambda item: abs(_centre_y(item[1]) - _centre_y(cell.bbox)))[0]

    def _wrapped(self, key: str, value: Value, reads: Callable[[str], bool]) -> Value | None:
        """A value its cell wrapped onto the next line of text ('2015.06.0' · '2', '91110108MAH1XRN3' · '3L'):
        its rest on a line below, in the value's column, taken only when the joined text `reads` (a date that
        parses, a code whose check character holds)."""
        at = self.label_of(key)
        if at is None or self.rows[at.row].ruled or not value.cells:
            return None  # a ruled cell's text holds all its lines already
        left, right = min(c.bbox[0] for c in value.cells), max(c.bbox[2] for c in value.cells)
        top, bottom = min(c.bbox[1] for c in value.cells), max(c.bbox[3] for c in value.cells)
        below = (top + bottom) / 2 + WRAP_DROP * (bottom - top)
        cell = self._line_below(at, (left - WRAP_SLACK, right + WRAP_SLACK), BESIDE, below,
                                lambda cell: reads(value.text + cell.text))
        return None if cell is None else Value(value.text + cell.text, (*value.cells, cell), value.page)

    def _line_below(self, at: Found, span: tuple[float, float], reach: float, below: float,
                    fits: Callable[[CellText], bool]) -> CellText | None:
        """The first cell over `span` on the lines of text within `reach` label heights of the label's
        line whose centre lies below `below` and that `fits`: where a value's cell wrapped its rest."""
        return next((cell for cell in cells_beside(self.rows, at, self.found, span[0], span[1], reach)
                     if _centre_y(cell.bbox) > below and fits(cell)), None)

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
            self._credit_code_beside_name(lead)
            return
        code, (cell, page) = found.popitem()
        provenance = provenance_of((cell,), page)
        provenance = provenance.model_copy(update={"confidence": min(provenance.confidence or 1.0, 0.75)})
        lead.credit_code = self.sink.put("basic_info.lead_unit.credit_code", FieldValue(code, cell.text, provenance))

    def _credit_code_beside_name(self, lead: LeadUnit) -> None:
        """A code its label's misreading hid ('统一共翁作信用'): the form prints 统一社会信用代码 on the lead
        unit's name row, so the one code-shaped cell after the name there is the code, kept only where it
        validates as read, repaired or read again (a misread code beside no label is no finding to report)."""
        at = self.label_of("name")
        if at is None:
            return
        row = self.rows[at.row]
        shaped = [cell for cell in row.cells[at.col + 1:] if code_shaped(cell.text)]
        if len(shaped) != 1:
            return
        cell = shaped[0]
        provenance = provenance_of((cell,), row.page)
        ocr = provenance.source == "ocr"
        reading = normalise.parse_credit_code(cell.text, repair=ocr, check_slip=ocr)
        if ocr and (reading is None or not is_valid_credit_code(reading.value)):
            reading = self._credit_code_second_reading(row.page, provenance.bbox) or reading
        if reading is None or not is_valid_credit_code(reading.value):
            return
        provenance = provenance.model_copy(update={"confidence": min(provenance.confidence or 1.0, 0.75)})
        if reading.repaired_from is not None:
            provenance = provenance.model_copy(update={"repaired_from": reading.repaired_from})
        lead.credit_code = self.sink.put("basic_info.lead_unit.credit_code",
                                         FieldValue(reading.value, cell.text, provenance))

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
        if value is not None and not value.cells:
            value = self._empty_cell_after(key)
        if value is None or not value.cells:
            return None
        words = [word for cell in value.cells for word in cell.words]
        boxes = [cell.bbox for cell in value.cells]
        region = (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))
        return read_checkboxes(self.pages[value.page], options, region, words=words), value

    def _empty_cell_after(self, key: str) -> Value | None:
        """On a ruled row, the empty cell right after `key`'s label: a checkbox group whose print OCR read as nothing
        still has its boxes' pixels there."""
        at = self.label_of(key)
        row = self.rows[at.row] if at is not None else None
        if at is None or row is None or not row.ruled or at.col + 1 >= len(row.cells):
            return None
        after = row.cells[at.col + 1]
        return None if after.text.strip() else Value("", (after,), row.page)

    def _record_checkbox(self, path: str, label: str, reading: CheckboxReading, value: Value,
                         chosen: object) -> Any:
        source = "text" if all(m.source == "text" for m in reading.marks) else "pixels"
        clear = reading.clear or source == "text"
        box = round_box(reading.box) if reading.box else provenance_of(value.cells, value.page).bbox
        # Told by the characters OCR read for the boxes (their pixels in doubt): a reading, not a certainty.
        confidence = OCR_GLYPH_CONFIDENCE if any(m.source == "ocr" for m in reading.marks) else 0.95 if clear else 0.5
        provenance = Provenance(page=value.page, bbox=box, confidence=confidence, source=source)
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
            other = other_fill_in(value.text)
            field = FieldValue(normalise.clean_name(other), other, provenance_of(value.cells, value.page))
            lead.unit_type_other = self.sink.put("basic_info.lead_unit.unit_type_other", field)

    def members(self) -> list[Member]:
        members: list[Member] = []
        for page, cells in member_rows(self.rows, self.found):
            stacked = stacked_members([cell.text for cell in cells])
            if stacked is not None:
                provenance = provenance_of(cells, page)
                for name, kind in stacked:
                    path = f"basic_info.members[{len(members)}]"
                    self.sink.put(f"{path}.name", FieldValue(name, name, provenance))
                    self.sink.put(f"{path}.type", FieldValue(kind, kind, provenance))
                    members.append(Member(name=name, type=kind))
                continue
            member = self._member(cells, page, len(members))
            if member is not None:
                members.append(member)
        return members

    def _member(self, cells: list[CellText], page: int, index: int) -> Member | None:
        texts = [c.flat for c in cells]
        joined = "\u0000".join(texts)
        split = re.search(r"[（(]\s*类型\s*[)）]", joined)
        if split:
            name_part, type_part = joined[:split.start()], joined[split.end():]
        else:
            filled = [t for t in texts if t.strip()]
            parts = _name_cells(filled)
            name_part, type_part = ("\u0000".join(filled[:parts]), "\u0000".join(filled[parts:])) if filled else ("", "")
        name = member_name(name_part)
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
            if value is not None and kind in WRAPPING_KINDS:
                value = self._with_wrapped_lines(f"head.{name}", value)
            if value is not None and kind == "email" and not at_known_domain(value.text):
                value = self._wrapped("head.email", value, at_known_domain) or value
            field = form_field(value, kind) if value else None
            if field is not None and kind == "email" and value is not None:
                field = _email_field(value, field)
            if field is not None and name == "title":
                field = _title_field(field)
            if field is not None:
                setattr(head, name, self.sink.put(f"basic_info.head.{name}", field))
            elif value is not None and not value.cells:
                self._measure_value_blank(f"basic_info.head.{name}", f"head.{name}")
        return head

    def year_tables(self) -> tuple[list[FinanceYear], list[ServiceYear], list[ResourceYear]]:
        tables: dict[str, list[dict[str, object]]] = {t: [{"year": y} for y in YEARS]
                                                      for t in ("finance", "service", "resources")}
        columns: dict[int, tuple[float, float]] = {}
        header: FormRow | None = None
        label_rows = {f.row: f for f in self.found}
        read: dict[str, YearRead] = {}
        for r, row in enumerate(self.rows):
            if (found_columns := _year_columns(row)) is not None:
                columns, header = found_columns, row
            at = label_rows.get(r)
            if at is None or "." not in at.key or at.key.split(".")[0] not in tables:
                continue
            read[at.key] = YearRead(at, columns, header, self._year_values(row, at, columns))
        for group in YEAR_ROWS:
            in_form_order(self.rows, group, read)
        for key, year_read in read.items():
            table, name = key.split(".")
            row, at, columns = self.rows[year_read.at.row], year_read.at, year_read.columns
            for index, value in enumerate(year_read.values):
                path = f"basic_info.{table}[{index}].{name}"
                field = self.field(value, YEAR_KINDS[name]) if value is not None else None
                if value is not None and (field is None or field.value is None):
                    field = self._read_again(value, YEAR_KINDS[name]) or field
                if field is not None:
                    tables[table][index][name] = self.sink.put(path, field)
                elif (span := columns.get(YEARS[index])) is not None:
                    self._measure_blank(path, row, at, span)
        return ([FinanceYear(**v) for v in tables["finance"]],  # type: ignore[arg-type]
                [ServiceYear(**v) for v in tables["service"]],  # type: ignore[arg-type]
                [ResourceYear(**v) for v in tables["resources"]])  # type: ignore[arg-type]

    def _read_again(self, value: Value, kind: str) -> FieldValue | None:
        """A figure's cell that holds ink but nothing the page's reading kept (a phone photo's small print,
        '8个' read as nothing and by Tesseract on its crop as '3'), read by the second engine on its crop; the
        first reading that types is taken, no surer than SECOND_READ_CONFIDENCE."""
        page = self.pages.get(value.page)
        reader = self.readers(page) if page is not None and value.cells else None
        if reader is None or any(cell.text.strip() for cell in value.cells):
            return None
        box = _cells_box(value.cells)
        for text, confidence in reader.read(box) or _at_its_own_level(reader, box).read(box):
            field = form_field(Value(text, value.cells, value.page), kind)
            if field is not None:
                update = {"confidence": min(confidence, SECOND_READ_CONFIDENCE), "bbox": round_box(box), "source": "ocr"}
                return FieldValue(field.value, text, field.provenance.model_copy(update=update))
        return None

    def _measure_value_blank(self, path: str, key: str) -> None:
        """A lead-unit or head value with nothing read beside its label: its place (the empty cell after the label;
        on a line of text, up to the next label or the form's right edge) measured for ink."""
        at = self.label_of(key)
        if at is None:
            return
        row = self.rows[at.row]
        if row.ruled:
            # The value's own cell, empty: the one after the label, unless that is the next label.
            after = row.cells[at.col + 1:at.col + 2]
            if after and FORM.match(after[0].text)[0] is None:
                self._measure_place(path, row.page, round_box(after[0].bbox))
            elif not after:
                # The row's cells end at the label: a rule the grid lost ran the value's cell into the row
                # above's (电子邮箱 under 手机's number). The place is the rest of the label's line.
                self._measure_line_rest(path, row, at, math.inf)
            return
        self._measure_line_rest(path, row, at, next_label_x(self.rows, at, self.found))

    def _measure_line_rest(self, path: str, row: FormRow, at: Found, stop: float) -> None:
        """The label's line right of it, up to `stop` or the form's right edge, measured for ink."""
        left = row.cells[at.col].bbox[2]
        right = min(stop, max(cell.bbox[2] for other in self.rows if other.page == row.page for cell in other.cells))
        if right > left:
            self._measure_blank(path, row, at, (left, right))

    def _measure_blank(self, path: str, row: FormRow, at: Found, span: tuple[float, float]) -> None:
        """A value with nothing read in its place (lines of text have no empty cells): its place, `span`
        across on the label's line, measured for ink, so a blank is told from ink not read."""
        label = row.cells[at.col].bbox
        # Half a line up and down: a figure standing off the label's line, not read, is still ink there.
        reach = BLANK_REACH * (label[3] - label[1])
        self._measure_place(path, row.page, round_box((span[0], label[1] - reach, span[1], label[3] + reach)))

    def _measure_place(self, path: str, page: int, place: list[float]) -> None:
        self.sink.provenance[path] = Provenance(page=page, bbox=place, confidence=None,
                                                blank=is_blank(self.pages.get(page), place, ""))

    def _year_values(self, row: FormRow, at: Found, columns: dict[int, tuple[float, float]]) -> list[Value | None]:
        after = list(row.cells[at.col + 1:])
        unit = _UNITS.get(YEAR_KINDS[at.key.split(".")[1]])
        out: list[Value | None] = []
        for year in YEARS:
            span = columns.get(year)
            cells = [c for c in after if span and span[0] - 3 <= (c.bbox[0] + c.bbox[2]) / 2 <= span[1] + 3]
            if span and not row.ruled and not any(_DIGIT.search(c.text) for c in cells):
                # On lines of text a figure wrapped in its cell ('11,558.30 / 万元') or centred on a two-line
                # label stands on a line beside the label's.
                beside = [cell for cell in cells_beside(self.rows, at, self.found, span[0] - 3, span[1] + 3, YEAR_BESIDE)
                          if not is_year_label(cell.text)]
                # Lines beside without a digit hold no figure: a unit the figure above wrapped ('元') is its.
                beside = beside if any(_DIGIT.search(c.text) for c in beside) else []
                cells = sorted([*cells, *beside], key=lambda c: (c.bbox[1], c.bbox[0]))
            read = " ".join(c.text for c in cells)
            text = without_year_label(read, year)
            # Digits that were all the year's label: nothing of a figure was read, the place is measured for ink.
            label_only = bool(_DIGIT.search(read)) and not _DIGIT.search(text)
            value = Value(text, tuple(cells), row.page) if cells and not label_only else None
            out.append(self._with_wrapped_tail(row, at, span, value, unit) if span and value and unit else value)
        if any(v is not None for v in out):
            return out
        # No year header seen: the values stand in year order (blank cells keep their place).
        candidates = after if len(after) == len(YEARS) else [c for c in after if c.text]
        return [Value(c.text, (c,), row.page) for c in candidates[:len(YEARS)]] + [None] * (len(YEARS) - len(candidates))

    def _with_wrapped_tail(self, row: FormRow, at: Found, span: tuple[float, float], value: Value, unit: str
                           ) -> Value:
        """On lines of text, an amount or share read without its unit whose cell wrapped its last digits and
        unit onto the line below ('2,288.1' · '9万元'): that line's text, joined on (the digits continue the
        number)."""
        text = normalise.nfkc_keep_cjk_punctuation(value.text).strip()
        if row.ruled or not _DIGIT.search(text) or text.endswith(unit):
            return value
        height = max(c.bbox[3] - c.bbox[1] for c in value.cells)
        below = max(_centre_y(c.bbox) for c in value.cells) + WRAP_DROP * height

        def is_tail(cell: CellText) -> bool:
            read = normalise.nfkc_keep_cjk_punctuation(cell.text).strip()
            return cell not in value.cells and _WRAPPED_TAILS[unit].match(read) is not None

        tail = self._line_below(at, (span[0] - 3, span[1] + 3), YEAR_BESIDE, below, is_tail)
        return value if tail is None else Value(value.text.rstrip() + tail.text.strip(), (*value.cells, tail), value.page)


FAINT_PRINT = 230  # grey: a cell whose darkest print is lighter than its reader's ink level but darker than this


def _at_its_own_level(reader: SecondReader, box: Box) -> SecondReader:
    """The reader with the cell's own ink level (Otsu's, on its crop) where all its print is fainter than the
    page's (a phone photo's small print blurred to grey 160 and lighter, under the print layer's ink level of 128);
    as it was elsewhere."""
    crop = crop_box(box, reader.scale, reader.image.shape)
    if crop is None:
        return reader
    region = reader.image[crop[1]:crop[3], crop[0]:crop[2]]
    if not region.size or not reader.level <= int(region.min()) < FAINT_PRINT:
        return reader
    level, _ = cv2.threshold(region, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    return replace(reader, level=int(level))


def best_label(rows: Sequence[FormRow], found: Sequence[Found], key: str) -> Found | None:
    """The cell found for `key` that reads most like its label, the first of those alike: a text that only ends
    with part of a label (the form's title '基本情况（根据牵头单位…' for 牵头单位名称) reads less like it than the
    label's own cell, even misread ('牵头举位名称'), wherever each stands."""
    def likeness(at: Found) -> float:
        return max(label_score(rows[at.row].cells[at.col].text, label) for label in FORM.by_key[at.key])

    return max((at for at in found if at.key == key), key=likeness, default=None)


def member_name(text: str) -> str | None:
    """A member's name as read in its cells (joined by NUL): the template's placeholder and a scrap of the label's
    note run in before it left out, and a company's legal form cut short at the cell's edge made whole ('…基金管理
    有限公', its 司 wrapped onto a line lost: `unit_names.with_form`)."""
    name = normalise.clean_name(_LABEL_SCRAP.sub("", _PLACEHOLDER.sub("", text).replace("\u0000", " ").strip()))
    return name and (with_form(name, COMPANY) or name)


def member_rows(rows: Sequence[FormRow], found: Sequence[Found]) -> list[tuple[int, list[CellText]]]:
    """The consortium's member rows (page, cells after the 序号): every row between the lead unit's rows
    and the head's, right of the member label's column.

    The label spans the six member rows and is printed centred on them, so where the rows come from
    lines of text (no rules found) its first line stands beside the third member, not the first.
    """
    label = _members_label(rows, found)
    if label is None:
        return []
    label_row, label_right = label
    lead_rows = [f.row for f in found if f.key in LEAD_KEYS and f.row < label_row]
    start = max(lead_rows) + 1 if lead_rows else label_row
    ends = [f.row for f in found if f.key in HEAD_KEYS and f.row > start]
    numbered = []
    for r in range(start, min(ends) if ends else len(rows)):
        cells = [c for c in rows[r].cells if (c.bbox[0] + c.bbox[2]) / 2 > label_right and not _members_label_piece(c.text)]
        numbered.append((rows[r].page, *_numbered(cells)))
    # The template numbers its member rows: where it does, an unnumbered line is the lead unit's text
    # run over (其它's fill-in) or a stray, not a member.
    if any(number is not None for _, number, _ in numbered):
        numbered = [row for index, row in enumerate(numbered)
                    if row[1] is not None or _number_lost(numbered, index)]
    return [(page, cells) for page, _, cells in numbered]


def _number_lost(numbered: Sequence[tuple[int, int | None, list[CellText]]], index: int) -> bool:
    """An unnumbered line that stands where a number the template prints is missing: right before the line
    numbered n, right after the one numbered n − 2 (or first, for n = 2), holding print. A lone '1' is the
    glyph a detector most often loses (dev12 a03's fax: its first member '南京航空航天大学' unnumbered)."""
    after = numbered[index + 1][1] if index + 1 < len(numbered) else None
    before = numbered[index - 1][1] if index > 0 else 0
    return (after is not None and before is not None and after - before == 2
            and any(_CJK.search(cell.flat) for cell in numbered[index][2]))


def _members_label_piece(text: str) -> bool:
    """The text is the member label or a line of it (wrapped onto lines of text, each its own cell),
    perhaps misread by a character in three ('联合体基他成员'), or lines of it with a line lost between
    them: a phone photo's tight label cell read '体其他成员单' · '超过6家' (dev7 a03, its members lost)."""
    squeezed = squeeze(text)
    if _members_label_line(squeezed):
        return True
    lines = [line for line in (squeeze(part) for part in text.splitlines()) if line]
    return len(lines) > 1 and (all(_members_label_line(line) for line in lines)
                               or _label_lines_in_order(lines, _MEMBERS_LABEL))


def _label_lines_in_order(lines: Sequence[str], label: str) -> bool:
    """`lines` are pieces of `label` in its order, with lines of it lost between them and up to one character
    in MISREAD_SHARE misread over them all: a cell's wrapped lines each too short to be told alone (a phone
    photo's tight label cell read '体其他疲员' · '6家)', dev13 a11, its six members lost), told together by the
    order they keep. Each line is matched where it differs least after the one before it."""
    size = sum(len(line) for line in lines)
    if size < 2 * MISREAD_SHARE or any(len(line) < 2 for line in lines):
        return False
    start, misread = 0, 0
    for line in lines:
        ends = range(start, len(label) - len(line) + 1)
        if not ends:
            return False
        at = min(ends, key=lambda where: Levenshtein.distance(line, label[where:where + len(line)]))
        misread += Levenshtein.distance(line, label[at:at + len(line)])
        start = at + len(line)
    return misread <= size // MISREAD_SHARE


def _members_label_line(squeezed: str) -> bool:
    """One line of the member label, whole or misread by a character in three."""
    if FORM.match(squeezed)[0] == "members" or (len(squeezed) >= 3 and squeezed in _MEMBERS_LABEL):
        return True
    return _misread_label_piece(squeezed, (_MEMBERS_LABEL,))


def _members_label(rows: Sequence[FormRow], found: Sequence[Found]) -> tuple[int, float] | None:
    """The member label's row and its right edge: the label cell found, else the first cell of a line
    of the label misread too far to match it whole; the edge past the label's other lines beside it."""
    at = next((f for f in found if f.key == "members"), None)
    if at is not None:
        spots = [(at.row, at.col)]
    else:
        after_lead = max((f.row for f in found if f.key in LEAD_KEYS), default=-1)
        spots = [(r, c) for r in range(after_lead + 1, len(rows)) for c, cell in enumerate(rows[r].cells)
                 if _members_label_piece(cell.text) and len(squeeze(cell.text)) >= 2 * MISREAD_SHARE]
    if not spots:
        return _members_by_numbers(rows, found)
    row, col = spots[0]
    cells = rows[row].cells
    last = col
    while last + 1 < len(cells) and _members_label_piece(cells[last + 1].text):
        last += 1
    return row, cells[last].bbox[2]


MIN_NUMBERED_MEMBERS = 2  # member rows numbered 1, 2, … in order that place the block without its label


def _members_by_numbers(rows: Sequence[FormRow], found: Sequence[Found]) -> tuple[int, float] | None:
    """The member block placed by its 序号 where its label was read too far off to be told ('成员' · '名' · '类'):
    between the lead unit's rows and the head's the template numbers its member rows 1 to 6, so rows there
    opening with 1, 2, … in order, each with print after its number, are the block; the label's right edge is
    taken just left of the numbers."""
    after_lead = max((f.row for f in found if f.key in LEAD_KEYS), default=None)
    heads = [f.row for f in found if f.key in HEAD_KEYS and after_lead is not None and f.row > after_lead]
    if after_lead is None or not heads:
        return None
    numbers: list[tuple[int, CellText]] = []
    for r in range(after_lead + 1, min(heads)):
        cell = next((c for c in rows[r].cells if re.fullmatch(r"\d{1,2}[.、]?", c.flat.strip())), None)
        if cell is not None:
            numbers.append((r, cell))
    filled = [(r, cell) for r, cell in numbers
              if any(_CJK.search(c.flat) for c in rows[r].cells if c.bbox[0] >= cell.bbox[2])]
    opening = [int(re.sub(r"\D", "", cell.flat)) for _, cell in filled[:MIN_NUMBERED_MEMBERS]]
    if opening != list(range(1, MIN_NUMBERED_MEMBERS + 1)):
        return None
    return filled[0][0], min(cell.bbox[0] for _, cell in numbers) - 1.0


# 其它's printed note before its fill-in: 请标明, or one of its characters misread ('请示明') where a colon
# still closes it (the fill-in itself never opens with 请…明 and a colon).
_OTHER_NOTE = re.compile(r"^[（(\s]*(?:请标明[\s:：)）]*|请\s*(?:\S\s*明|标\s*\S)\s*[:：][\s)）]*)")


def other_fill_in(text: str) -> str:
    """What the unit type's row writes after 其它 and its note (请标明); the option's word may be misread
    ('□用' for ☑其它), and its note still opens the fill-in; a note one character misread ('请示明：') is
    no part of it."""
    end = label_end(text, "其它")
    if end is None and (note := re.search(r"[（(]\s*请标明", text)) is not None:
        end = note.start()
    other = _OTHER_NOTE.sub("", text[end:] if end is not None else "")
    return other.strip(" ：:_＿()（）\n")


def stacked_members(texts: Sequence[str]) -> list[tuple[str, str]] | None:
    """Two members or more in one ruled row, the rule between them lost (a fax's): a name cell and a type cell
    whose lines say so. The type cell holds k short lines and the name cell's lines join, in order, into
    exactly k names each ending as a unit's name ('南昌宏远数字科技有限公司' · '中国科学院宁波材料技术与工程研究' · '所'
    beside '服务商' · '科研院所'). A name wrapped over two lines beside a type wrapped too ('制造业' · '企业') joins
    into one name, and is left to `_member`. None where the row is not so."""
    filled = [text for text in texts if text.strip()]
    if len(filled) != 2:
        return None
    kinds = [line.strip() for line in filled[1].split("\n") if line.strip()]
    if len(kinds) < 2 or any(len(kind) > MEMBER_TYPE_MAX or not _CJK.search(kind) for kind in kinds):
        return None
    names: list[str] = []
    pending = ""
    for line in (line.strip() for line in filled[0].split("\n")):
        pending += line
        if pending and ENDS_AS_UNIT.search(pending):
            names.append(pending)
            pending = ""
    if pending or len(names) != len(kinds):
        return None
    return list(zip(names, kinds, strict=True))


def _name_cells(filled: Sequence[str]) -> int:
    """How many of a member row's filled cells hold its name: one, or, where the first does not end as a
    unit's name and the first few together do, before a cell of type ('襄阳越安资本' · '管理有限公司' · '投融资机构':
    a curled page's column rule found through the name)."""
    if not filled or ENDS_AS_UNIT.search(filled[0].strip()):
        return 1
    for count in range(2, len(filled)):
        if ENDS_AS_UNIT.search("".join(filled[:count]).strip()):
            return count
    return 1


def _numbered(cells: list[CellText]) -> tuple[int | None, list[CellText]]:
    """A member row's 序号 and the cells after it; specks a stray rule split off before the name are dropped."""
    number = None
    # A speck read as a letter or bar before the number ('i5') is no part of it: no 序号 holds a letter.
    if cells and (match := re.fullmatch(r"[A-Za-z|!]?(\d{1,2})[.、]?", cells[0].flat.strip())):
        number, cells = int(match.group(1)), cells[1:]
    while cells and not _CJK.search(cells[0].flat) and len(cells[0].flat.strip()) <= 2:
        cells = cells[1:]
    return number, cells


MEMBER_TYPE_MAX = 6  # characters of a member's type on one line (制造业企业, 科研院所, 投融资机构)


# The yearly groups' rows, in the template's order (FORM.md): a row between two of a group's labels, or
# after its last one found, can only be the next of them.
YEAR_ROWS = (("finance.revenue", "finance.net_margin", "finance.debt_ratio"),
             ("service.enterprises", "service.contract_amount", "service.trainees"),
             ("resources.investors", "resources.financing", "resources.universities", "resources.providers"))
_YEAR_GROUPS = frozenset(group[0].split(".")[0] for group in YEAR_ROWS)
ORDER_LIKENESS = 0.5  # of a misread label to the one its place in the order names: half its characters


def labels_by_order(rows: Sequence[FormRow], found: list[Found]) -> list[Found]:
    """`found`, with the label of a yearly row read too far off to match ('资产负价事' for 资产负债率 on a blurred
    photo) named by its place: the row right after the group's previous label's, holding figures, its first
    cell of Chinese print like the label its place names by half its characters, on no row of another label."""
    keys = {f.key for f in found}
    # A group's own label ('资源条件') spans its rows, and may be read on each: it labels no row of figures.
    labelled = {f.row for f in found if f.key not in _YEAR_GROUPS}
    added = []
    for group in YEAR_ROWS:
        for before, key in itertools.pairwise(group):
            at = next((f for f in found if f.key == before), None)
            if key in keys or at is None:
                continue
            row = _next_figures_row(rows, at.row, labelled)
            cell = _misread_label_cell(rows[row], key) if row is not None else None
            if row is not None and cell is not None:
                added.append(Found(row, cell, key))
                keys.add(key)
                labelled.add(row)
    return sorted([*found, *added, *_spilled_rows(rows, found)], key=lambda f: (f.row, f.col))


def _spilled_rows(rows: Sequence[FormRow], found: Sequence[Found]) -> list[Found]:
    """The form's last row run onto the next page with its label unread (`_spilled_figures_row`), named by its
    place: after the last row of the group's label before it, where the group's last label was not found."""
    keys = {f.key for f in found}
    labelled = {f.row for f in found if f.key not in _YEAR_GROUPS}
    group = YEAR_ROWS[-1]
    before, last = group[-2], group[-1]
    at = max((f.row for f in found if f.key == before), default=None)
    if last in keys or at is None:
        return []
    row = _spilled_figures_row(rows, at, labelled)
    cell = _unread_label_cell(rows[row]) if row is not None else None
    return [Found(row, cell, last)] if row is not None and cell is not None else []


def _next_figures_row(rows: Sequence[FormRow], after: int, labelled: set[int]) -> int | None:
    """The first row holding a digit within two after `after`, on its page, before any labelled row (a line
    between them holds the figure above's wrapped unit, '元')."""
    for r in range(after + 1, min(after + 3, len(rows))):
        if r in labelled or rows[r].page != rows[after].page:
            return None
        if _DIGIT.search(rows[r].text):
            return r
    return None


def _spilled_figures_row(rows: Sequence[FormRow], after: int, labelled: set[int]) -> int | None:
    """The form run over a page break, its row's label unread: the first row holding a digit after `after`,
    where `after` is its page's last row of print and the row opens the next page's print, a ruled row in
    which nothing but a figure's unit reads as Chinese (dev39 a03 p3: '4个' · '5个' read
    under a dither's gradient, 汇聚制造业数字化转型服务商数量 not, the providers counts lost)."""
    page = rows[after].page
    for r in range(after + 1, len(rows)):
        row = rows[r]
        if r in labelled or row.page not in (page, page + 1) or _CJK.search(_uncounted(row.text)):
            return None
        if _DIGIT.search(row.text):
            return r if row.page == page + 1 and row.ruled else None
    return None


def _uncounted(text: str) -> str:
    """A row's print less the units a figure carries ('4个', '12家', '951.03万元'): the rest would be a label."""
    return re.sub(r"\d\s*(个|家|人次|万元|元|%)", "", text)


def _unread_label_cell(row: FormRow) -> int | None:
    """The cell before a row's first figure, holding no print: where its label stands unread."""
    first = next((col for col, cell in enumerate(row.cells) if _DIGIT.search(cell.text)), None)
    if not first or row.cells[first - 1].text.strip():
        return None
    return first - 1


def _misread_label_cell(row: FormRow, key: str) -> int | None:
    """The first cell of the row holding Chinese print like `key`'s label by ORDER_LIKENESS. Not only the
    row's first Chinese cell: that is the group's own label where it spans the group's rows ('资源条件' beside
    a photo's '汇聚制造业致字化转型服务裔致量（累计)', dev36 a07, its providers lost)."""
    labels = [squeeze(label) for label in FORM.by_key[key]]
    for col, cell in enumerate(row.cells):
        text = squeeze(cell.text)
        if _CJK.search(text) and max(fuzz.ratio(text, label) / 100.0 for label in labels) >= ORDER_LIKENESS:
            return col
    return None


def _year_columns(row: FormRow) -> dict[int, tuple[float, float]] | None:
    found = {}
    for cell in row.cells:
        match = _YEAR_CELL.match(cell.flat.replace(" ", ""))
        if match and int(match.group(1)) in YEARS:
            found[int(match.group(1))] = (cell.bbox[0], cell.bbox[2])
    return found if len(found) == len(YEARS) else None


@dataclass
class YearRead:
    """A yearly row's figures as read beside its label, with the year columns and header row above it."""

    at: Found
    columns: dict[int, tuple[float, float]]
    header: FormRow | None
    values: list[Value | None]


def in_form_order(rows: Sequence[FormRow], group: Sequence[str], read: dict[str, YearRead]) -> None:
    """A yearly group's figures on lines of text given to its labels in the form's order, where the lines
    gave one label another's figure.

    The form prints each label's figure in its row, so down a year's column, from the year's header to the
    group's last label, the figures stand in the labels' order. A bent or skewed page's lines of text can
    run a figure onto the next label's line (dev13 a13's fax: 高校 took the 服务商 count and the other way
    round). Where a column holds exactly one figure per label and some label's reading is no figure or is
    not its own place's, the column's figures are the group's, in order (`read` updated in place)."""
    ats = [read[key] for key in group if key in read]
    if len(ats) != len(group) or len({(id(r.header), rows[r.at.row].page) for r in ats}) != 1:
        return
    first = ats[0]
    if first.header is None or first.header.ruled or any(rows[r.at.row].ruled for r in ats):
        return
    labels = [rows[r.at.row].cells[r.at.col].bbox for r in ats]
    bottom = labels[-1][3] + 0.5 * (labels[-1][3] - labels[-1][1])
    for index, year in enumerate(YEARS):
        head = _year_cell(first.header, year)
        span = first.columns.get(year)
        if head is None or span is None:
            continue
        blocks = figure_blocks(rows, rows[first.at.row].page, span, head.bbox[3], bottom)
        if len(blocks) != len(ats):
            continue
        if all(_own_place(r.values[index], block) for r, block in zip(ats, blocks, strict=True)):
            continue
        for year_read, block in zip(ats, blocks, strict=True):
            year_read.values[index] = Value(_block_text(block), block, rows[first.at.row].page)


def _year_cell(row: FormRow, year: int) -> CellText | None:
    return next((c for c in row.cells if (m := _YEAR_CELL.match(c.flat.replace(" ", ""))) and int(m.group(1)) == year),
                None)


def figure_blocks(rows: Sequence[FormRow], page: int, span: tuple[float, float], top: float, bottom: float
                  ) -> list[tuple[CellText, ...]]:
    """The figures down a year's column between `top` and `bottom` on lines of text, top to bottom: each a
    line holding a digit, with the lines without one below it (its wrapped unit, '元') and the pieces beside
    it on its line. Empty where a line without a digit comes first (no figure to give it to)."""
    cells = sorted((c for row in rows if row.page == page and not row.ruled for c in row.cells
                    if span[0] - 3 <= (c.bbox[0] + c.bbox[2]) / 2 <= span[1] + 3
                    and top < _centre_y(c.bbox) < bottom and c.text.strip() and not is_year_label(c.text)),
                   key=lambda c: _centre_y(c.bbox))
    blocks: list[list[CellText]] = []
    for cell in cells:
        if blocks and (not _DIGIT.search(cell.text) or _same_line(blocks[-1][-1], cell)):
            blocks[-1].append(cell)
        elif _DIGIT.search(cell.text):
            blocks.append([cell])
        else:
            return []
    return [tuple(block) for block in blocks]


def _same_line(above: CellText, cell: CellText) -> bool:
    height = min(above.bbox[3] - above.bbox[1], cell.bbox[3] - cell.bbox[1])
    return abs(_centre_y(above.bbox) - _centre_y(cell.bbox)) < 0.5 * height


def _own_place(value: Value | None, block: Sequence[CellText]) -> bool:
    """The value read holds a figure, and its figure's cells are all of its own place's block."""
    figures = [c for c in value.cells if _DIGIT.search(c.text)] if value is not None else []
    return bool(figures) and all(any(c is b for b in block) for c in figures)


def _block_text(block: Sequence[CellText]) -> str:
    """A block's text: pieces on one line parted by a space, a wrapped unit joined on ('11,105.48万' · '元')."""
    text = block[0].text
    for above, cell in itertools.pairwise(block):
        text += (" " if _same_line(above, cell) else "") + cell.text
    return text


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
    _percent_signs(info, reader.sink)
    _count_units(reader.sink)
    return Extracted(info, reader.sink.provenance, reader.sink.checks)


FORM_AMOUNTS = ("basic_info.lead_unit.registered_capital",
                *(f"basic_info.{table}[{index}].{name}" for index in range(len(YEARS))
                  for table, name in (("finance", "revenue"), ("service", "contract_amount"), ("resources", "financing"))))


def _form_precision(info: BasicInfo, sink: Sink) -> None:
    """An ambiguous amount ('6.672') read as thousands first where the form writes its amounts to cents,
    and settled so where the form writes its other amounts with thousands separators ('12,285')."""
    raws = [sink.raw.get(path, "") for path in FORM_AMOUNTS]
    separators = writes_thousands(raws)
    if not separators and not written_to_cents(raws):
        return
    for path in FORM_AMOUNTS:
        origin = sink.provenance.get(path)
        if origin is None or not origin.unsettled:
            continue
        swapped = thousands_first(FieldValue(get_path(info, path.removeprefix("basic_info.")), sink.raw[path], origin))
        provenance = swapped.provenance
        if separators and swapped.value != get_path(info, path.removeprefix("basic_info.")):
            provenance = provenance.model_copy(update={"repaired_from": sink.raw[path], "resolved_by": FORM_COMMAS})
        set_path(info, path.removeprefix("basic_info."), swapped.value)
        sink.provenance[path] = provenance


FORM_PERCENTS = tuple(f"basic_info.finance[{index}].{name}" for index in range(len(YEARS))
                      for name in ("net_margin", "debt_ratio"))
PERCENT_SIGN = "form_writes_percent_signs"
_PERCENT = re.compile(r"(\d+)(?:\.(\d+))?(%?)")


# What a '%' read as digits leaves: one digit or two ('3.3%' as 3.390: its two rings as 9 and 0).
SIGN_DIGITS = 2


FORM_COUNTS = tuple(f"basic_info.{table}[{{}}].{name}" for table, name in (
    ("service", "enterprises"), ("service", "trainees"), ("resources", "investors"), ("resources", "universities"),
    ("resources", "providers")))
_WITH_UNIT = re.compile(r"\d+[\u4e00-\u9fff]+")  # '5个', '10家', '169人次': a count as the form prints it


def _count_units(sink: Sink) -> None:
    """A count read as digits alone ending in 1, in a row whose other year's count was read with the unit the form
    prints after it, kept with the reading without that 1 as another reading: the unit's stroke read as a digit
    ('5个' read '51' beside 2024's '5个', '11个' read '111': dev47 a03's phone photo, a false UNIVERSITY_COUNT_MISMATCH).
    The form's counts (`pipeline.reconcile`) choose."""
    for row in FORM_COUNTS:
        paths = [row.format(index) for index in range(len(YEARS))]
        raws = [re.sub(r"\s+", "", normalise.nfkc(sink.raw.get(path, ""))) for path in paths]
        if not any(_WITH_UNIT.fullmatch(raw) for raw in raws):
            continue
        for path, raw in zip(paths, raws, strict=True):
            origin = sink.provenance.get(path)
            if origin is None or not re.fullmatch(r"\d+1", raw) or int(raw[:-1]) in origin.alternatives:
                continue
            sink.provenance[path] = origin.model_copy(update={"alternatives": [*origin.alternatives, int(raw[:-1])]})


def _percent_signs(info: BasicInfo, sink: Sink) -> None:
    """A share read with more decimals than any of the form's other shares, each read with its '%', is read
    without those last digits: the '%' read as digits. Read without its own '%', one or two
    digits more ('45.1%' as 45.18, '3.3%' as 3.390); read with it, one digit more and only where every other
    share agrees ('48.2%' as 48.29%: a sign's ring read as a digit beside the sign). The reading as read is
    kept as the alternative (`resolved_by` PERCENT_SIGN)."""
    written = {path: _PERCENT.fullmatch(re.sub(r"\s+", "", normalise.nfkc(sink.raw.get(path, ""))))
               for path in FORM_PERCENTS}
    for path, match in written.items():
        origin = sink.provenance.get(path)
        if match is None or origin is None:
            continue
        others = [other for key, other in written.items() if key != path]
        signed = [len(other.group(2) or "") for other in others if other is not None and other.group(3)]
        # A writer drops a share's trailing zero ('50%' beside '61.7%'): the form's precision is its most decimals.
        if len(signed) < 2:
            continue
        places, decimals = max(signed), len(match.group(2) or "")
        extra = decimals - places
        # With its own sign read, only one digit more, and only where every other share carries its sign.
        fits = (extra == 1 and len(signed) == len(others)) if match.group(3) else 1 <= extra <= SIGN_DIGITS
        if not fits:
            continue
        read = get_path(info, path.removeprefix("basic_info."))
        number = match.group(1) + (f".{match.group(2)[:places]}" if places else "")
        value = normalise.parse_percent(number)
        set_path(info, path.removeprefix("basic_info."), value)
        sink.provenance[path] = origin.model_copy(update={
            "repaired_from": sink.raw[path], "resolved_by": PERCENT_SIGN,
            "alternatives": [read] if isinstance(read, int | float) else []})
