"""The cover (封面): applicant, recommender, contact and fill date, read by their labels."""

from __future__ import annotations

import re
from collections.abc import Sequence

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from models import (
    Cover,
    Provenance,
)
from models.page import Page, Word
from pipeline import normalise
from pipeline.checks.form import is_phone
from pipeline.config import Settings
from pipeline.fields.common import READ_IN_DOUBT, Sink
from pipeline.ink import is_blank
from pipeline.ocr import OcrEngine
from pipeline.result import Extracted
from pipeline.tables.appendix import ocr_engine
from pipeline.tables.cells import CellText, chars_of, confidence_of, lines_of
from pipeline.tables.finder import REREAD_BELOW, cell_reader
from pipeline.tables.geometry import Cell, Frame
from pipeline.tables.labels import label_end, label_score
from pipeline.tables.values import (
    FieldValue,
    round_box,
)

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
        size = _note_tail(value, note)
        if size:
            value = _without_open_bracket(value[:-size], note_slips(note) + 1).rstrip(" " + _BRACKETS)
            break
    # What is left of a note whose start was misread ('（省织工信息化' of （省级工业和信息化主管部门盖章）).
    value = _cut_misread_bracketed_note(value).rstrip(" " + _BRACKETS)
    return value[:len(value) - _note_opening(value)].rstrip(" " + _BRACKETS)


def note_slips(note: str) -> int:
    """OCR slips (characters misread, lost or added) a note may carry and still be the note: none in a short
    one ('盖章' is in names' reach), one from four characters, two from six ('翔盖单公章' for 加盖单位公章)."""
    return 0 if len(note) < 4 else 1 if len(note) < 6 else 2


# Marks OCR reads into a note's strokes or a bracket's place ('加盖单(..章）'): not characters of the note.
_NOTE_NOISE = re.compile(r"[.,。，、·:：;；'\"()（）\[\]【】〔〕\s_-]")


def _note_tail(value: str, note: str) -> int:
    """How many characters at the end of `value` are `note` read with at most `note_slips` slips (0: none);
    two characters of the value at least stay before it. Stray marks inside the tail ('加盖单(..章' of
    加盖单位公章: a bracket and points read in the place of two characters) are no characters of it."""
    allowed = note_slips(note)
    sizes = range(1, len(value) - 1)
    fits = [(Levenshtein.distance(core, note), abs(len(core) - len(note)), size) for size in sizes
            if abs(len(core := _NOTE_NOISE.sub("", value[-size:])) - len(note)) <= allowed]
    fits = [fit for fit in fits if fit[0] <= allowed and not _NOTE_NOISE.match(value[-fit[2]])]
    return min(fits)[2] if fits else 0


# A note as the template prints it whole, whose opening two characters name it: '加盖' and '省级' open no unit's
# or department's name ('浙江省工业和信息化厅' holds 省工业, not 省级).
_OPENING_NOTES = ("加盖单位公章", "省级工业和信息化主管部门盖章")
MIN_OPENING = 4  # characters of a note's opening, read, that are taken for it


def _note_opening(value: str) -> int:
    """How many characters at the end of `value` are the opening of a template note cut off by the line's end or
    the next word ('…信息化厅省级工业离息化' of 省级工业和信息化主管部门盖章): its first two characters as printed,
    the rest within `note_slips` of the note's start; two characters of the value at least stay before it."""
    for start in range(2, len(value) - MIN_OPENING + 1):
        tail = value[start:]
        for note in _OPENING_NOTES:
            if tail[:2] != note[:2]:
                continue
            allowed = note_slips(tail)
            if any(Levenshtein.distance(tail, note[:size]) <= allowed
                   for size in range(max(2, len(tail) - allowed), min(len(note), len(tail) + allowed) + 1)):
                return len(tail)
    return 0


def _without_open_bracket(value: str, most: int) -> str:
    """`value` cut at an open bracket with at most `most` characters after it: the start of the note just
    cut, misread beyond its slips ('…厅（省织' before '工信息化主管部门盖章')."""
    start = max(value.rfind("（"), value.rfind("("))
    after = value[start + 1:]
    return value[:start] if start > 0 and len(after) <= most and not any(close in after for close in "）)") else value


MIN_NOTE_PIECE = 3  # characters of a bracketed note's start, misread, that are still the note
NOTE_LIKENESS = 60  # rapidfuzz ratio of a misread note's start to the note's (a unit's own bracket: far less)


def _cut_misread_bracketed_note(text: str) -> str:
    """The value without an open bracket at its end whose text reads as a note's start misread or cut
    short ('…信息化厅（省织工信息化' for （省级工业和信息化主管部门盖章）)."""
    start = max(text.rfind("（"), text.rfind("("))
    tail = text[start + 1:].strip()
    if start <= 0 or len(tail) < MIN_NOTE_PIECE or any(close in tail for close in "）)"):
        return text
    alike = max(fuzz.ratio(tail, note[:size]) for note in FORM_NOTES
                for size in range(len(tail), min(len(note), len(tail) + 3) + 1))
    return text[:start] if alike >= NOTE_LIKENESS else text


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


OTHER_LABEL = 0.75  # a head this like another field's label (three of 推荐单位's four characters) is that label misread


def _head_is_other_label(head: str, key: str) -> bool:
    """The text before a line's colon reads as another cover field's label, misread ('惟荐单位' for 推荐单位),
    more than as `key`'s own: that line is the other field's, never this one's value."""
    def score(labels: Sequence[str]) -> float:
        return max(label_score(head, label) for label in labels)

    own = score(COVER_LABELS[key])
    return any(other != key and (found := score(labels)) >= OTHER_LABEL and found > own
               for other, labels in COVER_LABELS.items())


def _unlabelled_line(lines: Sequence[Sequence[Word]], after: int, before: int, near_after: bool,
                     key: str) -> CoverLine | None:
    """A cover line whose label OCR lost (a seal over 推荐单位): a line between its neighbours' lines that is
    not a bracketed note and has a colon near its start, read after the colon; the one nearest the known side.
    A line whose head reads as another field's label misread is that field's (`_head_is_other_label`)."""
    order = range(after + 1, before) if near_after else range(before - 1, after, -1)
    for index in order:
        chars = chars_of(lines[index])
        text = "".join(c for c, _, _ in chars)
        colon = _COLON.search(text[:10])
        if not text.strip() or text.lstrip()[:1] in "（(〈<" or colon is None:
            continue
        if _head_is_other_label(text[:colon.start()], key):
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
                                    near_after=bool(before), key=key)
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


def labelled_value(text: str, words: Sequence[Word], page: int) -> tuple[str, Provenance]:
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
            raw, provenance = labelled_value(text, words, page.number)
            if not raw:
                place = _after_label(page, lines[index])
                provenance = _measured(page, provenance, place)
            if key in ("applicant", "recommender"):
                name = normalise.clean_name(strip_form_notes(raw).strip(" ：:;；_＿，。、,."))
                if key == "recommender" and provenance.source == "ocr":
                    name, provenance = _department(name, provenance)
                setattr(cover, key, sink.put(f"cover.{key}", FieldValue(name, raw, provenance)))
            elif key == "fill_date":
                cover.fill_date = sink.put("cover.fill_date", FieldValue(normalise.parse_date(raw), raw, provenance))
            else:
                _contact(cover, raw, provenance, sink, _blank_after(page, words, provenance),
                         _blank_before(page, lines[index], words, provenance))
                _phone_read_again(cover, page, lines[index], engine, sink)
        break
    return Extracted(cover, sink.provenance, sink.checks)


def _phone_read_again(cover: Cover, page: Page, line: Sequence[Word], engine: OcrEngine | None, sink: Sink) -> None:
    """A number the page read as no phone ('69101749': the area code '0513-' lost under a seal's edge) read
    again on its line's crop, however surely the page read it; a crop reading that is a phone is taken in
    doubt (its digits may be misread too), with the page's reading as the alternative. No INVALID_PHONE on
    trust of a number whose characters the page lost."""
    origin = sink.provenance.get("cover.phone")
    if cover.phone is None or origin is None or origin.source != "ocr" or is_phone(cover.phone) or not line:
        return
    reader = cell_reader(page, engine)
    if reader is None:
        return
    box = (min(w.bbox[0] for w in line) - 3, min(w.bbox[1] for w in line) - 3,
           max(w.bbox[2] for w in line) + 3, max(w.bbox[3] for w in line) + 3)
    cell = CellText(Cell(0, 0, 1, 1, box), box, tuple(line), "".join(w.text for w in line), confidence_of(line))
    # Every reading of the crop is looked at (threshold above any confidence), and it need not be surer.
    (again,) = reader.reread([cell], Frame(), 1.01, 0.0, slack=1.0)
    found = normalise.find_phone(again.text) if again.reread else None
    if found is None or not is_phone(found[0]):
        return
    read = cover.phone
    cover.phone = found[0]
    sink.raw["cover.phone"] = again.text[found[1]:found[2]]
    sink.provenance["cover.phone"] = origin.model_copy(update={
        "confidence": min(origin.confidence or 1.0, READ_IN_DOUBT), "repaired_from": read, "alternatives": [read]})


def _department(name: str | None, provenance: Provenance) -> tuple[str | None, Provenance]:
    """A recommending department's name with its slips repaired (`normalise.repair_department`), or, garbled
    beyond repair, named by its place (`normalise.department_of_garbled`: the notice goes to one department
    per place, so that is the one name the reading can be); the reading kept as `repaired_from`."""
    named = normalise.repair_department(name)
    if named == name:
        named = normalise.department_of_garbled(name) or name
    return named, provenance if named == name else provenance.model_copy(update={"repaired_from": name})


def _measured(page: Page, provenance: Provenance, place: list[float] | None) -> Provenance:
    """The value's provenance at `place`, with whether its pixels there hold ink (`ink.is_blank`)."""
    return provenance.model_copy(update={"blank": is_blank(page, place, ""), "bbox": place})


def _blank_after(page: Page, words: Sequence[Word], provenance: Provenance) -> Provenance:
    """Where a value left out after what was read would stand (a number after the contact's name), and
    whether that place is blank: the pixels tell a number never written from one that could not be read."""
    place = _after_label(page, words)
    if place is None:
        return provenance
    return _measured(page, provenance, place)


def _blank_before(page: Page, line: Sequence[Word], words: Sequence[Word], provenance: Provenance) -> Provenance:
    """Where a name left out before the first word read after the label would stand (between the label's
    end and that word), and whether that place is blank; as read when there is no such gap."""
    if not words:
        return provenance
    first = min(w.bbox[0] for w in words)
    label = [w for w in line if w.bbox[2] <= first + 1 and all(w is not v for v in words)]
    if not label:
        # The label and what follows it read as one word ('联系人及联系电话：17906712890'): the reader joins
        # only what stands close, so nothing was written between them.
        opening = min(words, key=lambda w: w.bbox[0]).text
        joined = any(part in opening for part in ("联系人", "电话")) and (provenance.confidence or 0.0) >= JOINED_SURE
        return provenance.model_copy(update={"blank": True}) if joined else provenance
    left = max(w.bbox[2] for w in label)
    if first - left < MIN_NAME_GAP_PT:
        return provenance
    top, bottom = min(w.bbox[1] for w in line), max(w.bbox[3] for w in line)
    place = round_box((left + 2, top - 2, first - 2, bottom + 2))
    return _measured(page, provenance, place)


MIN_NAME_GAP_PT = 12.0  # room for a name's two characters at the cover's size, at least
JOINED_SURE = 0.9  # a reading of label and number as one word this sure left out no name between them


def _contact(cover: Cover, raw: str, provenance: Provenance, sink: Sink, after_person: Provenance,
             before_number: Provenance | None = None) -> None:
    """联系人及联系电话: the person before the number, the number normalised; no number read, the place
    after the person says whether it was left blank, and no person read before a number, the place
    before the number."""
    phone = normalise.find_phone(raw)
    person = raw[:phone[1]] if phone else raw
    # A point OCR found between the name and the number, or a dash the writer put there, is no part of the
    # name ('姜秀鹏.', '姚凯娟-13292088517').
    person = re.sub(r"(电话|手机|联系电话)[:：]?\s*$", "", person).strip(" ,，、/：:;；_＿.。-－—–~～")
    origin = before_number if phone and not person and before_number is not None else provenance
    name = normalise.clean_name(person)
    if origin.source == "ocr" and (named := normalise.chinese_name(name)) != name:
        name, origin = named, origin.model_copy(update={"repaired_from": name})
    cover.contact = sink.put("cover.contact", FieldValue(name, person, origin))
    if phone or not raw:
        origin = provenance
    elif re.search(r"\d{3}", raw):  # digits that are no number: written, misread
        origin = provenance.model_copy(update={"blank": False})
    else:
        origin = after_person
    cover.phone = sink.put("cover.phone", FieldValue(phone[0] if phone else None,
                                                     raw[phone[1]:phone[2]] if phone else "", origin))
