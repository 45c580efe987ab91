"""One table cell (or form blank) → a typed value with its provenance and, if needed, its check."""

from __future__ import annotations

import logging
import re
import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from rapidfuzz.distance import Levenshtein

from models import Check, Provenance
from models.page import Box
from pipeline import normalise
from pipeline.ocr.digits import DigitReadings
from pipeline.tables.cells import CellText, char_width, join_line, lines_of
from pipeline.tables.headers import Column, TableSpec
from pipeline.tables.labels import closest_label, label_end, squeeze
from pipeline.tables.reread import shape
from pipeline.text.chars import is_cjk

log = logging.getLogger(__name__)


def round_box(box: Box) -> list[float]:
    return [round(value, 1) for value in box]


@dataclass(frozen=True)
class FieldValue:
    """A value as read: the typed value, the raw text, where it was and how sure the reading is."""

    value: object
    raw: str
    provenance: Provenance
    ink_width: float | None = None  # points: how wide the cell's line of ink is (numbers on scans)
    others: OtherReadings | None = None  # what the recogniser's posteriors read on the crop (numbers on scans)
    ringed: bool = False  # a seal's ring crosses the figure's line (`rings.under_ring`): no reading sees under it

    @property
    def unreadable(self) -> bool:
        """Text was there but did not parse: a reviewer must look (the value stays None, never guessed)."""
        return self.value in (None, []) and self.raw.strip() not in ("", "-", "—", "/", "无")

    def check(self, path: str, threshold: float) -> Check | None:
        """LOW_CONFIDENCE for a weak reading or text that would not parse; None when the value is sound."""
        confidence = self.provenance.confidence
        if self.unreadable:
            message = f"“{self.raw}”无法识别为有效值，请人工核对"
        elif self.value in (None, []) and self.provenance.blank is False:
            message = "有字迹但无法识别，请人工核对"
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
    """The text of a field's cells.  A field over several grid columns (a column a hidden or broken rule
    cut in two) is read line by line across them: a name wrapped onto a second line must not have that
    line put between the halves of its first."""
    distinct = {(c.cell.row, c.cell.col): c for c in cells if c.text}
    if len(distinct) > 1 and len({c.cell.row for c in distinct.values()}) == 1 \
            and all(c.words for c in distinct.values()):
        words = [word for cell in distinct.values() for word in cell.words]
        return "\n".join(join_line(line) for line in lines_of(words)).strip()
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
        return None if lost_leading_digits(flat) else normalise.parse_amount(flat, header_unit=unit or "万元")
    if kind in ("int", "seq"):
        return normalise.parse_int(flat)
    if kind == "percent":
        return normalise.parse_percent(flat)
    if kind == "industries":
        return normalise.parse_industries(raw)
    if kind == "code":
        # A rule's remains ("|") or dust ("。") at either end is not part of a number.
        return re.sub(r"\s+", "", normalise.nfkc(flat)).strip(_SPECKS + "|") or None
    if kind == "category":
        name = normalise.clean_name(raw.replace("\n", ""))
        if name and categories:
            index = closest_label(name, categories)
            if index >= 0:
                return categories[index]
        return name
    return normalise.clean_name(_SEAL_STARS.sub("", raw).replace("\n", " "))


# A seal's star read as a glyph (★ before 小程序…, ☆ before 绍兴…): no table's text prints one.
_SEAL_STARS = re.compile("[★☆✩✪✫✬✭✮✯⭐]")


def read_value(cells: Sequence[CellText], column: Column, page: int, unit: str | None,
               spec: TableSpec) -> FieldValue:
    raw = without_own_label(_text(cells), column)
    value = typed(raw, column.kind, unit, spec.categories)
    if column.kind == "industries" and isinstance(value, list):
        value = [item for item in value if not _own_label(item, column)]
    return implausible_dropped(FieldValue(value=value, raw=raw, provenance=provenance_of(cells, page)), column.kind)


# A column label this long is no value's opening words; shorter ones ('政策', '行业') may be.
OWN_LABEL_MIN = 6
OWN_LABEL_MATCH = 0.8  # how alike a list item must be to the label to be it ('所服务的主要行业')
_NOTE_IN_BRACKETS = re.compile(r"\s*[（(][^（()）]{0,30}[)）]")


def _long_labels(column: Column) -> list[str]:
    return sorted((label for label in column.labels if len(squeeze(label)) >= OWN_LABEL_MIN), key=len, reverse=True)


def without_own_label(raw: str, column: Column) -> str:
    """The cell's text without its column's own header label run in ahead of it, with the label's note in
    brackets: a header's wrapped line below a rule the scan lost reads into the first record's cell
    ('省市两级给予建设主体的相关政策（含财政资金及金融支持等）省级…' → '省级…')."""
    for label in _long_labels(column):
        end = label_end(raw[: len(label) + 3], label)
        if end is not None:
            note = _NOTE_IN_BRACKETS.match(raw, end)
            log.info("%r opens with its column's label %r: cut", raw, label)
            return raw[note.end() if note else end:].lstrip(" :：,，;；、")
    return raw


def _own_label(item: str, column: Column) -> bool:
    """A list item that is the column's own header label ('所服务的主要行业' among the industries)."""
    labels = _long_labels(column)
    return bool(labels) and closest_label(item, labels, OWN_LABEL_MATCH) >= 0


# Far beyond anything a 促进中心 declares or a table row holds: a reading this large took another
# cell's digits (a phone number in a count's place, rows run together), so it is no reading at all.
PLAUSIBLE_MAX = {"int": 1_000_000, "seq": 10_000, "percent": 1_000.0, "amount": 100_000_000.0}


def implausible_dropped(field: FieldValue, kind: str) -> FieldValue:
    """A figure beyond `PLAUSIBLE_MAX` for its kind made null (its ink then asks a reviewer to look)."""
    limit = PLAUSIBLE_MAX.get(kind)
    if limit is None or isinstance(field.value, bool) or not isinstance(field.value, int | float):
        return field
    if abs(field.value) <= limit:
        return field
    log.info("%r read as %s: beyond any plausible %s, dropped", field.raw, field.value, kind)
    return FieldValue(None, field.raw, field.provenance)


# --- validation, and a second engine's reading where the first does not validate -----------

_WELL_FORMED = {
    # Thousands commas (or points OCR read for them) in threes, or none; "2.680" (a comma read as a point) is ambiguous, see _ambiguous.
    "amount": re.compile(r"(?:\d{1,3}(?:[,.]\d{3})+|\d+)(?:\.\d+)?(?:万元|元|万)?"),
    # A count is not written with a leading 0: "026" is 1,026 whose first digit was lost.
    "int": re.compile(r"(?:0|[1-9]\d*)(?:人次|人|家|个|名|项|次)?"),
    "seq": re.compile(r"\d+"),
    "percent": re.compile(r"\d+(?:\.\d+)?%?"),
    "date": re.compile(r"\d{4}(?:年\d{1,2}月\d{1,2}日?|([/.\-])\d{1,2}\1\d{1,2})"),
}
SECOND_BELOW = 0.95  # a well-formed reading less sure than this is still read again
SECOND_FLOOR = 0.6  # a second reading less sure than this is not taken
_SPECKS = ".,;:'\"`·。，、；：‘’“”"  # dust read as punctuation at either end of a short value


def _squeezed(raw: str, kind: str) -> str:
    flat = re.sub(r"\s+", "", normalise.nfkc(raw))
    # Dust at either end; but an amount opening on a separator lost its leading digits (`lost_leading_digits`).
    if kind == "amount" and lost_leading_digits(flat):
        return flat
    return flat.strip(_SPECKS)


# A separator right before an amount's first digit: no amount is written ".65" or ",793.40", so the
# digits before it were lost (a seal's stroke over them, '999.65' read as '.65'), not dust.
_LEADING_SEPARATOR = re.compile(r"[.,，](?=\d)")


def lost_leading_digits(raw: str) -> bool:
    """The amount read opens on a decimal or thousands separator: digits before it were lost."""
    flat = re.sub(r"\s+", "", normalise.nfkc(raw))
    return bool(_LEADING_SEPARATOR.match(re.sub(r"^[^\d.,，]+", "", flat)))  # marks before it are dust


def well_formed(raw: str, kind: str) -> bool:
    """The text is exactly what a value of `kind` looks like (no stray or misread characters)."""
    pattern = _WELL_FORMED.get(kind)
    return pattern is not None and bool(pattern.fullmatch(_squeezed(raw, kind)))


def doubtful(value: FieldValue, kind: str, unit: str | None = None) -> bool:
    """A value of a checkable kind that did not parse, is oddly written, or was read unsurely."""
    if kind not in _WELL_FORMED:
        return False
    confidence = value.provenance.confidence
    return (value.value is None or not well_formed(value.raw, kind)
            or (confidence is not None and confidence < SECOND_BELOW)
            or (kind == "amount" and (_unit_conflict(value.raw, unit) or _ambiguous(value.raw))))


def _ambiguous(raw: str) -> bool:
    """'2.680': one point before exactly three digits reads as well as 2,680 (OCR confuses , and .)."""
    return bool(re.fullmatch(r"\d{1,3}\.\d{3}\D*", _squeezed(raw, "amount")))


def _unit_conflict(raw: str, unit: str | None) -> bool:
    """An amount written in 元 under a 万元 header: most often a 万 the OCR lost."""
    written, header = normalise.amount_unit_factor(raw), normalise.amount_unit_factor(unit)
    return written is not None and header is not None and written != header


# Signs printed after a figure that a recogniser, looking at the figure's crop alone, takes for a digit.
_SIGNS = "%"


def sign_read_as_digit(first: str, second: str) -> bool:
    """`second` is `first` with the sign it ends on read as one more digit ('11.9%' read again as 11.99):
    a misreading of the sign, never a better reading of the figure."""
    before, after = _squeezed(first, "percent"), _squeezed(second, "percent")
    return (len(before) > 1 and before[-1] in _SIGNS and after[-1:].isdigit()
            and after[:-1] == before[:-1])


def second_opinion(value: FieldValue, kind: str, unit: str | None,
                   read: Callable[[Box], Sequence[tuple[str, float]]]) -> FieldValue:
    """A doubtful cell read again by `read` (another engine).  Its most confident well-formed reading
    wins when the first reading is not well-formed, or is but less sure.  Nothing that does not
    validate replaces a value, and a value that cannot be read stays None."""
    if not doubtful(value, kind, unit) or value.provenance.bbox is None:
        return value
    box = value.provenance.bbox
    candidates = []
    for text, confidence in read((box[0], box[1], box[2], box[3])):
        if (confidence < SECOND_FLOOR or not well_formed(text, kind) or sign_read_as_digit(value.raw, text)
                or _figure_split(text)):
            continue
        parsed = typed(_squeezed(text, kind), kind, unit)
        if parsed is not None:
            conflict = kind == "amount" and _unit_conflict(text, unit)
            if conflict and not value.raw.strip():
                # Where the page saw nothing, a figure in another unit than its column's ('53元' under
                # 万元) is a seal's or a rule's specks read on the crop, not the cell's figure.
                continue
            odd = conflict or (kind == "amount" and _ambiguous(text))
            candidates.append((odd, confidence, text, parsed))
    if not candidates:
        return value
    _, confidence, text, parsed = min(candidates, key=lambda c: (c[0], -c[1]))
    first_ok = (value.value is not None and well_formed(value.raw, kind)
                and not (kind == "amount" and (_unit_conflict(value.raw, unit) or _ambiguous(value.raw))))
    if first_ok and confidence < (value.provenance.confidence or 0.0):
        return value
    if _other_figure_less_sure(value, kind, unit, parsed, confidence):
        return value
    if first_ok and _engines_differ_on_a_digit(value, text):
        return _kept_with_other_reading(value, parsed)
    provenance = value.provenance.model_copy(update={"confidence": round(min(1.0, max(0.0, confidence)), 4),
                                                     "source": "ocr", "alternatives": []})
    second = FieldValue(value=parsed, raw=text, provenance=provenance)
    return separator_alternative(second) if kind == "amount" else second


def _other_figure_less_sure(value: FieldValue, kind: str, unit: str | None, parsed: object, confidence: float) -> bool:
    """The first reading is well formed but for its separator's meaning ('37.848': 37.848 or 37,848), and the
    second engine reads, less surely, a figure that is neither of its readings ('542', a blurred crop): that
    reading settles nothing, and the first stays with its readings for the form's own rules to choose."""
    if kind != "amount" or value.value is None or not well_formed(value.raw, kind) or _unit_conflict(value.raw, unit):
        return False
    readings = {value.value, *separator_alternative(value).provenance.alternatives}
    return parsed not in readings and confidence < (value.provenance.confidence or 0.0)


_SPLIT_FIGURE = re.compile(r"[\d,.，．]\s*\n\s*[\d,.，．]")


def _figure_split(text: str) -> bool:
    """A reading whose figure runs over a line break ('4\n78.95万元'): print writes a figure on one line (its
    unit may wrap), so the crop's other line is a seal's or a neighbour's ink read as digits."""
    return bool(_SPLIT_FIGURE.search(text))


SURE_FIRST = 0.9  # a first reading this sure is not replaced by another engine's over a digit alone


def _engines_differ_on_a_digit(value: FieldValue, text: str) -> bool:
    """The first reading is sure and the second has its very shape (the same digits' places, the same
    other characters) with other digits: two engines disagree on a digit with nothing to tell who is
    right (a faint '4' read '1' on its crop, a crop's cut '8' read '3')."""
    first, second = re.sub(r"\s+", "", value.raw), re.sub(r"\s+", "", text)
    return (value.provenance.confidence or 0.0) >= SURE_FIRST and first != second and shape(first) == shape(second)


def _kept_with_other_reading(value: FieldValue, other: object) -> FieldValue:
    """The first reading stays, in doubt, with the other engine's as an alternative for the form's
    totals to choose (`pipeline.reconcile`), or for a reviewer."""
    if not isinstance(other, int | float) or isinstance(other, bool) or other == value.value:
        return value
    alternatives = [*value.provenance.alternatives, other]
    confidence = min(value.provenance.confidence or 1.0, UNSURE)
    provenance = value.provenance.model_copy(update={"confidence": confidence, "alternatives": alternatives})
    return replace(value, provenance=provenance)


# --- other readings from the recogniser's posteriors ---------------------------------------

NUMBER_KINDS = frozenset({"amount", "int"})
# A reading the reader has a reason to doubt (characters lost, a row boundary through it): under the
# checks' `confident` (a comparison on it is a warning), above `low_confidence` (not flagged alone).
UNSURE = 0.7
DOUBT_BELOW = 0.9  # a page reading less sure than this takes the posteriors' other readings


_EDGE_MARKS = re.compile(r"^[^\d]+|[^\d万元人次家个名项]+$")


@dataclass(frozen=True)
class OtherReadings:
    """What the recogniser's posteriors read on a number's crop: its best path and readings one digit
    away, typed as the column's kind (None or left out where they do not parse)."""

    crop: float | int | None
    nearby: tuple[float | int, ...]


def other_readings(readings: DigitReadings | None, kind: str, unit: str | None) -> OtherReadings | None:
    if readings is None or kind not in NUMBER_KINDS:
        return None

    def parsed(text: str) -> float | int | None:
        if kind == "amount" and lost_leading_digits(text):  # no reading of the amount (",259.2" for 2,259.2)
            return None
        # The crop's edges hold a rule's or a seal's remains read as marks ("2794.5万元】"): not the number.
        text = _EDGE_MARKS.sub("", normalise.nfkc(text))
        # A unit the crop lost or misread ("154.80元" under 万元) is no reading of the amount.
        if not well_formed(text, kind) or (kind == "amount" and _unit_conflict(text, unit)):
            return None
        value = typed(_squeezed(text, kind), kind, unit)
        return value if isinstance(value, int | float) and not isinstance(value, bool) else None

    nearby = tuple(dict.fromkeys(v for text in readings.alternatives if (v := parsed(text)) is not None))
    return OtherReadings(parsed(readings.text), nearby)


def with_digit_alternatives(value: FieldValue, confident: float, doubted: bool = False) -> FieldValue:
    """A number kept with the other readings of its crop, where there is reason to doubt it.

    Reason is the crop's best path reading another number, the page's reading being less sure than
    `DOUBT_BELOW`, or `doubted` (its ink wider than its reading, `lost_characters`).  The page's
    reading stays the value; the crop's reading and those one digit away go into
    `provenance.alternatives` (the form's totals choose among them, `reconcile`), and the confidence
    is at most `confident`: as sure as a reading the reader had others for can be.  Where nothing
    gives reason, readings one digit away are the recogniser's ordinary hesitation and are not kept.
    """
    others = value.others
    if others is None or not isinstance(value.value, int | float):
        return value
    disagrees = others.crop is not None and others.crop != value.value
    unsure = value.provenance.confidence is not None and value.provenance.confidence < DOUBT_BELOW
    if not (disagrees or unsure or doubted):
        return value
    # A count has no total of the form's to choose among readings one digit away (only the amounts
    # have, `reconcile`): they would stay unsettled for a reviewer on the width of the ink alone.
    nearby = others.nearby if isinstance(value.value, float) or disagrees or unsure else ()
    found = [v for v in (others.crop, *nearby) if v is not None and v != value.value]
    if not found:
        return value
    known = [alt for alt in value.provenance.alternatives if alt not in found]
    confidence = min(value.provenance.confidence if value.provenance.confidence is not None else 1.0, confident)
    provenance = value.provenance.model_copy(update={"alternatives": [*known, *dict.fromkeys(found)],
                                                     "confidence": confidence})
    return replace(value, provenance=provenance)


# --- characters the reading lost, from the width of the ink --------------------------------

CALIBRATION_MIN = 4  # numbers of a column needed to learn its print's width per character
MISSING_DIGITS = 0.7  # ink wider than the reading by this many digits' widths: characters were lost


def _width_units(raw: str) -> float:
    """The reading's printed width in CJK characters (a digit or point about half of one)."""
    return sum(char_width(char) for char in re.sub(r"\s+", "", normalise.nfkc(raw)))


def lost_characters(values: Sequence[FieldValue]) -> set[int]:
    """Positions of the numbers whose ink is wider than their reading by most of a digit or more.

    A seal's stroke or a faint digit makes the recogniser drop characters while it stays sure
    of those it kept ("999.65" read as 65).  A column's numbers are printed in one font, so
    their ink width per character (the median over the column) says how wide each reading
    should be; a reading that leaves that much of its ink unexplained lost something.
    """
    ratios = [v.ink_width / units for v in values
              if v.ink_width and v.value is not None and (units := _width_units(v.raw)) > 0]
    if len(ratios) < CALIBRATION_MIN:
        return set()
    per_unit = statistics.median(ratios)
    digit = char_width("0") * per_unit
    lost = set()
    for index, value in enumerate(values):
        if (value.ink_width and value.value is not None
                and value.ink_width - _width_units(value.raw) * per_unit >= MISSING_DIGITS * digit):
            log.info("%r is narrower than its ink (%.1f pt for %.1f): characters lost", value.raw,
                     value.ink_width, _width_units(value.raw) * per_unit)
            lost.add(index)
    return lost


def numbers_in_column(values: Sequence[FieldValue], confident: float) -> list[FieldValue]:
    """A number column's doubts: readings that lost characters made unsure (at most `UNSURE`), and the
    posteriors' other readings kept where there is reason to doubt a value."""
    values = [crop_reading_for_lost_digits(value) for value in values]
    lost = lost_characters(values)
    out = []
    for index, value in enumerate(values):
        if index in lost:
            confidence = min(value.provenance.confidence if value.provenance.confidence is not None else 1.0, UNSURE)
            value = replace(value, provenance=value.provenance.model_copy(update={"confidence": confidence}))
        out.append(with_digit_alternatives(value, confident, doubted=index in lost))
    return out


def held_in_doubt(value: FieldValue) -> FieldValue:
    """A figure a seal's ring crosses (`FieldValue.ringed`), its confidence held at `UNSURE` at most: every
    engine reads the crop alike (none sees the digit under the ring), so neither the page's sureness nor a
    second engine's agreement says the figure is whole ('1,901' read 901 at 0.99 and confirmed). A check
    resting on it is a warning naming it; its readings and alternatives stay as they were."""
    confidence = value.provenance.confidence
    if confidence is not None and confidence <= UNSURE:
        return value
    return replace(value, provenance=value.provenance.model_copy(update={"confidence": UNSURE}))


def crop_reading_for_lost_digits(value: FieldValue) -> FieldValue:
    """An amount whose reading lost its leading digits (`lost_leading_digits`, no value) takes the reading
    of its crop by the recogniser's posteriors where that one is whole: the same ink read again, not a
    guess, in doubt (at most `UNSURE`) with the crop's readings one digit away as its alternatives.
    Without one it stays null, the readings one digit away kept for a reviewer (`provenance.alternatives`)."""
    others = value.others
    if value.value is not None or others is None or not lost_leading_digits(value.raw):
        return value
    confidence = min(value.provenance.confidence if value.provenance.confidence is not None else 1.0, UNSURE)
    alternatives = [alt for alt in others.nearby if alt != others.crop]
    provenance = value.provenance.model_copy(update={"confidence": confidence, "alternatives": alternatives})
    return replace(value, value=others.crop, provenance=provenance)


# --- an amount column read as a whole ------------------------------------------------------

_COMMA_THOUSANDS = re.compile(r"\d,\d{3}(?!\d)")
# A separator before three digits that another separator follows ('3.700.7', '1,644.76'): whatever
# OCR made of the first, it can only be a thousands separator.
_SEPARATOR_THEN_DECIMAL = re.compile(r"\d[,.]\d{3}[,.]\d")
COLUMN_COMMAS = "column_writes_thousands_commas"
FORM_COMMAS = "form_writes_thousands_separators"


def writes_thousands(raws: Sequence[str]) -> bool:
    """Some amount among `raws` (not itself ambiguous) is written with a thousands separator."""
    squeezed = [_squeezed(raw, "amount") for raw in raws if raw and normalise.as_thousands(raw) is None]
    return any(_COMMA_THOUSANDS.search(raw) or _SEPARATOR_THEN_DECIMAL.search(raw) for raw in squeezed)


def separator_alternative(value: FieldValue) -> FieldValue:
    """An amount like '10.488' kept with its other reading (10,488) as an alternative, in doubt.

    OCR reads a thousands comma as a point often enough that such a reading alone cannot say
    which it is; the value read stays, the other reading goes into `provenance.alternatives`,
    and the form's own redundancy decides later (`pipeline.reconcile`).
    """
    if not isinstance(value.value, int | float) or normalise.as_thousands(value.raw) is None:
        return value
    other = normalise.round_value(value.value * 1000)  # the written unit's scale is unchanged
    known = [alt for alt in value.provenance.alternatives if alt != other]
    provenance = value.provenance.model_copy(update={"alternatives": [other, *known]})
    return FieldValue(value=value.value, raw=value.raw, provenance=provenance)


_DECIMALS = re.compile(r"\d\.(\d+)")


def _thousands_dropped(match: re.Match[str]) -> str:
    """'3.700.7' as '3700.7': the first separator a thousands one, the second the decimal point."""
    text = match.group(0)
    return f"{text[0]}{text[2:5]}.{text[6]}"


def written_to_cents(raws: Sequence[str]) -> bool:
    """The form's other amounts (at least two, none ambiguous) are written to at most two decimals.

    Then a reading like '6.672' (three decimals) breaks the form's own precision: it is far more
    likely 6,672 with its comma read as a point, so that reading comes first (still in doubt).
    """
    plain = [_squeezed(raw, "amount") for raw in raws if raw and normalise.as_thousands(raw) is None]
    # A thousands separator before a decimal one ('3.700.7') is no third decimal.
    plain = [_SEPARATOR_THEN_DECIMAL.sub(_thousands_dropped, raw) for raw in plain if re.search(r"\d", raw)]
    return len(plain) >= 2 and all(len(match) <= 2 for raw in plain for match in _DECIMALS.findall(raw))


def thousands_first(value: FieldValue) -> FieldValue:
    """An ambiguous amount with its thousands reading as the value and its decimal reading the alternative."""
    if (not value.provenance.unsettled or not isinstance(value.value, int | float)
            or normalise.as_thousands(value.raw) is None):  # other readings, but no separator in doubt
        return value
    thousands, *known = value.provenance.alternatives
    provenance = value.provenance.model_copy(update={"alternatives": [value.value, *known]})
    return FieldValue(value=thousands, raw=value.raw, provenance=provenance)


def thousands_in_column(values: Sequence[FieldValue]) -> list[FieldValue]:
    """Amounts like '1.743' read as 1,743 where the column writes its thousands with commas.

    OCR often reads a thousands comma as a point, most of all under a seal.  A reading with
    one point before exactly three digits and no other separator ('1.743 万元') is ambiguous on
    its own.  Where another amount of the same column is written with a thousands comma
    ('2,892.99') — the form writes a column consistently — it is 1,743 (recorded in
    `repaired_from` and `resolved_by`, with 1.743 kept as the alternative).  Elsewhere the value
    read stays, with 1,743 as its alternative, in doubt until reconciliation picks one.
    """
    uses_commas = writes_thousands([v.raw for v in values if v.value is not None])
    to_cents = not uses_commas and written_to_cents([v.raw for v in values])
    out = []
    for value in values:
        value = separator_alternative(value)
        if to_cents:
            value = thousands_first(value)
        elif uses_commas and value.provenance.unsettled and normalise.as_thousands(value.raw) is not None:
            value = thousands_first(value)
            provenance = value.provenance.model_copy(update={"repaired_from": value.raw, "resolved_by": COLUMN_COMMAS})
            value = FieldValue(value=value.value, raw=value.raw, provenance=provenance)
        out.append(value)
    return out


COLUMN_CENTS = "column_writes_cents"
CENTS_OUT = 50.0  # times the column's largest other amount a whole number must stand above to have lost its point
CENTS_MIN_ROWS = 2  # other amounts of the column, all written to the cent, needed to read its precision


def _cents(raw: str) -> bool:
    """The amount is written with exactly two decimals ('972.09万元', '2,803.12')."""
    squeezed = _squeezed(raw, "amount")
    return re.search(r"\d\.\d{2}(?!\d)", squeezed) is not None and len(re.findall(r"\.", squeezed)) == 1


def points_in_column(values: Sequence[FieldValue]) -> list[FieldValue]:
    """Amounts read as whole numbers that lost their decimal point, where the column writes cents.

    A blurred scan's or a seal's stroke takes a point and leaves every digit ('1551.52万元' read 155152). Where
    the column's other amounts are written to the cent (at least `CENTS_MIN_ROWS`; the rest read with no
    separator at all), an amount read with no separator that stands `CENTS_OUT` times above the largest of
    those, and with its point put back two digits from its end lies among them, is that amount (`resolved_by`
    column_writes_cents, the reading as read kept in `alternatives` and `repaired_from`). A whole number the
    applicant wrote among cents ('1500') stands near the column's amounts, not a hundredfold above them, and
    stays. Two figures of one total can lose their point together, which the total alone does not settle."""
    amounts = [v for v in values if isinstance(v.value, int | float) and v.value > 0]
    cents = [float(v.value) for v in amounts if _cents(v.raw)]  # type: ignore[arg-type]
    plain = [v for v in amounts if not re.search(r"[.,，．]", _squeezed(v.raw, "amount"))]
    if len(cents) < CENTS_MIN_ROWS or len(cents) + len(plain) < len(amounts):
        return list(values)
    low, high = min(cents), max(cents)
    out = []
    for value in values:
        if any(value is other for other in plain) and len(re.sub(r"\D", "", value.raw)) >= 4 \
                and float(value.value) >= CENTS_OUT * high:  # type: ignore[arg-type]
            restored = normalise.round_value(float(value.value) / 100)  # type: ignore[arg-type]
            if low / 10 <= restored <= high * 10:
                provenance = value.provenance.model_copy(update={
                    "alternatives": [value.value, *value.provenance.alternatives], "resolved_by": COLUMN_CENTS,
                    "repaired_from": value.raw})
                value = replace(value, value=restored, provenance=provenance)
        out.append(value)
    return out


# --- the unit an amount column writes --------------------------------------------------------

COLUMN_UNIT = "column_writes_its_unit"
UNIT_RUN = 3  # amounts of a column written in its header's unit before an odd unit is taken for a misreading


# A bracket of a header, closed or not: where its unit is written ('合同金额（万元）').
_HEADER_BRACKET = re.compile(r"[(（]([^()（）]*)[)）]?")
# Where a header's unit begins: a bracket, or the unit's own character where the bracket was not read.
_UNIT_START = re.compile(r"[(（)）元圆万亿]")


def header_unit(text: str) -> str | None:
    """The header's text as the unit its column's amounts are read in; None where the reading garbled the
    unit, which would make every amount of the column 10,000 times too small: a bracket holding 元 after
    anything but 万 or 亿 ('投融资金额（方元）', '合同金额(.元)' whose wrapped 万 was lost) is a misread unit,
    not 元. The column is then read as one whose header writes no unit (the template's 万元, `typed`). So is a
    header read as its unit alone, no word naming the column before it ('元)' of '投融资金额（万' · '元）', its
    first line lost under a seal's ring): what was read is the end of the header, not its unit."""
    flat = re.sub(r"\s+", "", normalise.nfkc(text))
    if any(mark in flat for mark in "元圆") and not any(map(is_cjk, re.split(_UNIT_START, flat, maxsplit=1)[0])):
        return None
    units = [inside for inside in _HEADER_BRACKET.findall(flat) if any(mark in inside for mark in "元圆万亿")]
    if not units:
        return text
    inside = units[-1]
    garbled = any(mark in inside for mark in "元圆") and not any(mark in inside for mark in "万亿") \
        and inside not in ("元", "圆")
    return None if garbled else text


def units_in_column(values: Sequence[FieldValue], unit: str | None) -> list[FieldValue]:
    """Amounts read in 元 in a column that writes every other amount in its header's 万元: a 万 the reading lost.

    A seal's stroke over '280 万元' leaves '280 元', which the header's unit alone makes 0.028 万元.
    Where at least `UNIT_RUN` of the column's amounts are written in 万元 (the header's unit) and
    none in another, an amount written in 元 is read in 万元 (recorded in `repaired_from` and
    `resolved_by`, the 元 reading kept as the alternative, the value in doubt); one whose digits
    are not well formed either is no reading (null, in doubt).
    """
    header = normalise.amount_unit_factor(unit) or 1.0  # as `normalise.parse_amount` reads a header without one
    written = [normalise.amount_unit_factor(v.raw) if v.value is not None else None for v in values]
    odd = [f for f in written if f is not None and f != header]
    if header != 1.0 or sum(f == header for f in written) < UNIT_RUN or any(f != YUAN for f in odd):
        return list(values)
    out = []
    for value, factor in zip(values, written, strict=True):
        if factor == YUAN and isinstance(value.value, int | float) and not isinstance(value.value, bool):
            value = _in_column_unit(value)
        out.append(value)
    return out


def _in_column_unit(value: FieldValue) -> FieldValue:
    """An amount written in 元 read in its column's 万元; digits read with stray marks beside the misread
    unit ('2q 元') are no reading of the amount at all (null, in doubt)."""
    confidence = min(value.provenance.confidence if value.provenance.confidence is not None else 1.0, UNSURE)
    if not well_formed(value.raw, "amount") or not isinstance(value.value, int | float):
        return replace(value, value=None, provenance=value.provenance.model_copy(update={"confidence": confidence}))
    alternatives = [value.value, *(alt for alt in value.provenance.alternatives if alt != value.value)]
    provenance = value.provenance.model_copy(update={
        "repaired_from": value.raw, "resolved_by": COLUMN_UNIT, "confidence": confidence, "alternatives": alternatives})
    return replace(value, value=normalise.round_value(value.value / YUAN), provenance=provenance)


YUAN = 1e-4  # 万元 per 元


# A code's head: what stands before its first digit ('HT-' of HT-2024-034, 'SZZX' of SZZX2024031).
_CODE_HEAD = re.compile(r"\D*")
CODE_MAJORITY = 0.6  # share of a column's codes one head must open for it to be the column's numbering
CODE_MIN_ROWS = 3  # ... and at least this many
CODE_VARIANT = 0.25  # a variant head held by at most this share of the heads the numbering's opens is a misreading


def _code_shape(rest: str) -> str:
    return re.sub(r"\d", "9", rest)


def codes_in_column(values: Sequence[FieldValue]) -> list[FieldValue]:
    """A column of codes read as a whole: a list numbers its records in one scheme ('HT-2024-034',
    'HT-2024-048' …), and where most codes open with one head, a code whose head is that head in the other
    case ('SZZx2024031') or one character other ('IT-2024-061', 'T-2024-052': a phone photo's 'H' read as 'I'
    or lost), with the rest written as the column's codes write theirs, was written with the column's head.
    A second scheme held by several rows is no misreading and stays (its head is held by more than
    `CODE_VARIANT` of the rows the first holds, or lies further from it). The reading stays as
    `repaired_from`."""
    codes = [value.value if isinstance(value.value, str) else None for value in values]
    heads = [_CODE_HEAD.match(code).group() if code else None for code in codes]  # type: ignore[union-attr]
    counts: dict[str, int] = {}
    for head in heads:
        if head is not None:
            counts[head] = counts.get(head, 0) + 1
    if not counts:
        return list(values)
    main, held = max(counts.items(), key=lambda item: item[1])
    known = sum(counts.values())
    if len(main) < 2 or held < CODE_MIN_ROWS or held < CODE_MAJORITY * known:
        return list(values)
    shapes = {_code_shape(code[len(main):]) for code, head in zip(codes, heads, strict=True) if code and head == main}
    out = []
    for value, code, head in zip(values, codes, heads, strict=True):
        if code is not None and head is not None and head != main and _code_shape(code[len(head):]) in shapes \
                and (head.upper() == main.upper()
                     or (Levenshtein.distance(head, main) == 1 and counts[head] <= CODE_VARIANT * held)):
            origin = value.provenance.model_copy(update={"repaired_from": value.provenance.repaired_from or code})
            value = replace(value, value=main + code[len(head):], provenance=origin)
        out.append(value)
    return out
