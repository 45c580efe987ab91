"""Second readings of the numbers a failed comparison rests on, before it stands as an error.

When the form's figures disagree (a declared total against its table's sum, a count against
its list), the cause is most often one number misread with confidence: a dropped digit
('2,571.2' read as 251.2), a lost '1,' ('1,195.56' read as 195.56). An engine's confidence
cannot see its own misreading; other engines reading the same place on its own crop can.

So before a failed comparison is reported as an error, every number it rests on that was read
from pixels is read again on its crop by each configured engine. A reading that differs becomes
one of the value's `alternatives`: then the form's own redundancy may pick it
(`pipeline.reconcile`), or the comparison is reported as a doubt, a warning. Engines that read
the same value are recorded in `confirmed_by`. Only failed comparisons pay for this: a few
crops per package at most. The form warnings INVALID_EMAIL and INVALID_PHONE rest on one
written value the same way ('ep1690163.com': an address without its '@', or its '@' misread),
so their value is read again too, and its own form may pick among the readings
(`pipeline.reconcile.FORM_RULES`).

A comparison that failed on readings already in doubt (a warning) has its numbers read again as
well: reconciliation may then settle it rather than leave a reviewer the doubt. Every number is
also read on a line made of its crop (`pipeline.ocr.number_line`: enlarged, binarised two ways,
rules and a seal's strokes taken out) by a Tesseract that may read only digits, separators and
units (`tesseract-digits`): a reading independent of the page's, which sees a digit the page
reading lost under a seal's edge or a rule ('148' read as 48, '1,255' as 255).
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

import cv2
import numpy as np
from rapidfuzz.distance import Levenshtein

from models import ApplicationRecord, Check, Provenance
from models.page import Box, Page, Word
from pipeline import implied, normalise
from pipeline.config import Settings
from pipeline.ocr import NUMBER_ENGINE
from pipeline.ocr.base import Mode, OcrEngine, OcrError
from pipeline.ocr.cache import read_ahead
from pipeline.ocr.digits import numbers_explain
from pipeline.ocr.number_line import BINARISATIONS, line_span, number_line
from pipeline.record_paths import PathError, get_path
from pipeline.tables.cells import lines_of
from pipeline.tables.finder import print_images, stored_layers
from pipeline.tables.reread import crop_box, ink_box
from pipeline.tables.values import well_formed

log = logging.getLogger(__name__)

Reading = int | float | dt.date | str  # what a second reading can check: amounts, counts, dates, contacts
MARGIN_PT = 3.0  # a word box may be tight on its glyphs: read a little around it
PAD_PX = 12  # white around the stacked crops: engines need a margin to find a line
GAP_PX = 32  # white between two crops, so no engine joins them into one line
TARGET_DPI = 300.0  # crops from coarser scans are enlarged to this resolution before reading
ENGINES: tuple[str, ...] = ("tesseract", "rapidocr")
MAX_EDITS = 2  # digits a misreading drops, adds or changes in one number
READ_FLOOR = 0.6  # a crop reading less sure than this is no second opinion
# Told to read only a number's characters, Tesseract reports far lower confidences for readings as
# right as the others' (a clean '62.8万元' at 0.16): its floor is lower, and the form's redundancy,
# not its confidence, decides among the readings.
DIGITS_FLOOR = 0.3
# A count of thousands written with its separator ('1,255 人次'; a count has no decimals, so a point is one too).
COUNT_IN_THOUSANDS = re.compile(r"[1-9]\d{0,2}(?:[,.]\d{3})+(?:人次|人|家|个|名|项|次)?")
UNIT_CHARS = str.maketrans("", "", "万元人次家个名项")  # what the digits-only reading may read after a number
# Warnings resting on one reading's form (an address without its '@', a number a digit short): a
# misread character is as likely a cause as the applicant's slip, so they are read again too.
FORM_CHECKS = frozenset({"INVALID_EMAIL", "INVALID_PHONE"})
# Comparisons of the form's figures: one that fails on readings already in doubt is a warning, and its
# numbers are read again too (a digits-only reading among them), so that the form's redundancy can
# pick the reading that makes it hold instead of leaving a reviewer a doubt to settle.
COMPARISONS = frozenset({
    "CONTRACT_TOTAL_MISMATCH", "FINANCING_TOTAL_MISMATCH", "TRAINEE_TOTAL_MISMATCH", "CUMULATIVE_DECREASE",
    "ENTERPRISE_COUNT_MISMATCH", "INVESTOR_COUNT_MISMATCH", "UNIVERSITY_COUNT_MISMATCH", "PROVIDER_COUNT_MISMATCH",
})


def _email(text: str) -> str | None:
    reading = normalise.repair_email(text)
    return None if reading is None else reading.value


def _credit_code(text: str) -> str | None:
    reading = normalise.parse_credit_code(text)
    return None if reading is None or len(reading.value) != CREDIT_CODE_LENGTH else reading.value


CREDIT_CODE_LENGTH = 18
EMAIL_PATH = "basic_info.head.email"
# The written values read again as text, each with how its crop's text is read.
TEXT_READINGS: dict[str, Callable[[str], str | None]] = {
    EMAIL_PATH: _email, "basic_info.head.mobile": normalise.parse_phone, "cover.phone": normalise.parse_phone,
    "basic_info.lead_unit.credit_code": _credit_code,
}


def suspects(record: ApplicationRecord, checks: Iterable[Check]) -> list[str]:
    """The values read from pixels that the failed errors (and form warnings) rest on, and the numbers
    of the failed comparisons in doubt, not yet read twice."""
    paths: list[str] = []
    for check in checks:
        doubted_comparison = check.code in COMPARISONS and bool(check.doubts)
        if check.severity != "error" and check.code not in FORM_CHECKS and not doubted_comparison:
            continue
        for path in check.rests_on:
            origin = record.provenance.get(path)
            value = _reading_at(record, path)
            if (origin is not None and origin.source == "ocr" and origin.bbox is not None
                    and origin.confirmed_by is None and value is not None
                    and (check.severity == "error" or check.code in FORM_CHECKS or _number(value))):
                paths.append(path)
    return list(dict.fromkeys(paths))


def _reading_at(record: ApplicationRecord, path: str) -> Reading | None:
    try:
        value = get_path(record, path)
    except PathError:
        return None
    if isinstance(value, str):
        return value if path in TEXT_READINGS else None
    return value if isinstance(value, int | float | dt.date) and not isinstance(value, bool) else None


def _number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def reading_of(text: str, like: Reading, path: str = "") -> Reading | None:
    """What a crop's text means, written as a value of the kind it is checked against (an amount in
    万元, a count, a date, an address or phone number at `path`) on one line and nothing else; None
    for text that is not such a value."""
    if "\n" in text.strip():
        return None
    if isinstance(like, str):
        return TEXT_READINGS[path](text.strip()) if path in TEXT_READINGS else None
    kind = "date" if isinstance(like, dt.date) else "int" if isinstance(like, int) else "amount"
    if not (well_formed(text, kind) or (kind == "int" and COUNT_IN_THOUSANDS.fullmatch(re.sub(r"\s+", "", text)))):
        return None
    if kind == "date":
        return normalise.parse_date(text)
    return normalise.parse_int(text) if kind == "int" else normalise.parse_amount(text, "万元")


def _digits(value: Reading) -> tuple[str, str]:
    if isinstance(value, dt.date):
        return value.strftime("%Y%m%d"), ""
    whole, _, fraction = f"{float(value):.6f}".rstrip("0").partition(".")
    return whole.lstrip("-"), fraction


def misread_of(value: Reading, other: Reading, most: int = MAX_EDITS) -> bool:
    """`other` differs from `value` as one reading of a written value differs from another: a few
    digits dropped, added or changed, the decimal point in its place; or the very same digits with
    their separators read otherwise ('1,057.05' read as 1.05705: the comma taken for the point, the
    point lost). Not a change of scale or a point moved among other digits, which is what a crop cut
    badly or a unit misread gives."""
    if other == value or isinstance(other, dt.date) != isinstance(value, dt.date):
        return False
    if isinstance(value, str) or isinstance(other, str):
        return isinstance(value, str) and isinstance(other, str) and Levenshtein.distance(value, other) <= most
    (whole_a, frac_a), (whole_b, frac_b) = _digits(value), _digits(other)
    if not isinstance(value, dt.date) and whole_a + frac_a == whole_b + frac_b:
        return True
    return Levenshtein.distance(whole_a, whole_b) + Levenshtein.distance(frac_a, frac_b) <= most


# How a stack of crops is read, the same whether read ahead (`read_ahead`) or when asked for: a read ahead
# under other parameters would be keyed apart and wasted.
STACK_MODE: Mode = "block"
NUMBER_CANVAS_DPI = 72.0  # the digits engine's canvas: its pixels are the words' points


def _whole(canvas: np.ndarray) -> tuple[int, int, int, int]:
    return (0, 0, canvas.shape[1], canvas.shape[0])


@dataclass
class CropReader:
    """Reads places of a document's scanned pages with several engines (print layer, seal ink lifted).

    A page's crops are stacked one under another on white and read in one call per engine, so a
    failed comparison costs one OCR call per page and engine, not one per value.
    """

    pages: dict[int, Page]
    engines: Sequence[OcrEngine]
    numbers: OcrEngine | None = None  # reads a number's cleaned line, digits only (`read_numbers`)
    _images: dict[int, np.ndarray | None] = field(default_factory=dict)
    _layers: dict[int, np.ndarray | None] = field(default_factory=dict)  # print layers, seal ghosts kept
    _reds: dict[int, np.ndarray | None] = field(default_factory=dict)  # red channels of pages with red seal ink

    def read_all(self, places: Sequence[tuple[int, Box]]) -> list[list[tuple[str, str]]]:
        """For each (page, box): (engine name, text) for every engine that read it surely enough."""
        out: list[list[tuple[str, str]]] = [[] for _ in places]
        by_page: dict[int, list[int]] = {}
        for index, (page_number, _) in enumerate(places):
            by_page.setdefault(page_number, []).append(index)
        stacks: list[tuple[int, list[tuple[int, np.ndarray]], np.ndarray, list[tuple[int, int]], float]] = []
        for page_number, indexes in by_page.items():
            crops = [(index, self._crop(page_number, places[index][1])) for index in indexes]
            found = [(index, crop) for index, crop in crops if crop is not None]
            if not found:
                continue
            page = self.pages[page_number]
            zoom = max(1.0, TARGET_DPI / page.dpi)
            canvas, tops = _stacked([crop for _, crop in found], zoom)
            stacks.append((page_number, found, canvas, tops, page.dpi * zoom))
        for engine in self.engines:  # every page's stack at once where the engine reads faster so (Tesseract)
            read_ahead(engine, [(canvas, _whole(canvas), dpi, STACK_MODE)
                                for _, _, canvas, _, dpi in stacks])
        for page_number, found, canvas, tops, dpi in stacks:
            for engine in self.engines:
                for (index, _), text in zip(found, self._read(engine, canvas, tops, dpi, page_number), strict=True):
                    if text is not None:
                        out[index].append((engine.name, text))
        return out

    def read_numbers(self, places: Sequence[tuple[int, Box]]) -> list[list[tuple[str, str]]]:
        """For each (page, box) holding a number: its line of ink cleaned and binarised each way
        (`pipeline.ocr.number_line`), read by the digits-only engine, one reading per binarisation.
        A page's lines are stacked and read in one call per binarisation."""
        out: list[list[tuple[str, str]]] = [[] for _ in places]
        if self.numbers is None:
            return out
        by_page: dict[int, list[int]] = {}
        for index, (page_number, _) in enumerate(places):
            by_page.setdefault(page_number, []).append(index)
        stacks: list[tuple[int, list[tuple[int, np.ndarray]], np.ndarray, list[tuple[int, int]]]] = []
        for page_number, indexes in by_page.items():
            page = self.pages.get(page_number)
            if page is None:
                continue
            crops = [(index, self._number_crop(page_number, places[index][1])) for index in indexes]
            for binarisation in BINARISATIONS:
                lines = [(index, line) for index, crop in crops if crop is not None
                         and (line := number_line(crop, page.scale, binarisation)) is not None]
                if lines:
                    stacks.append((page_number, lines, *_stacked([line for _, line in lines], 1.0)))
        # Every page's stacks (each binarisation's) in one run of the digits engine (`read_ahead`).
        read_ahead(self.numbers, [(canvas, None, NUMBER_CANVAS_DPI, STACK_MODE) for _, _, canvas, _ in stacks])
        for page_number, lines, canvas, tops in stacks:
            for (index, _), text in zip(lines, self._read_lines(canvas, tops, page_number), strict=True):
                if text is not None:
                    out[index].append((self.numbers.name, text))
        return out

    def explain(self, place: tuple[int, Box], numbers: Sequence[str]) -> list[list[float]]:
        """How well each of `numbers` (written out) explains the number's ink at `place`
        (`pipeline.ocr.digits.number_explains`): one list per rendering of its crop (as scanned, and
        its cleaned lines); none without a recogniser that gives its posteriors."""
        page = self.pages.get(place[0])
        crop = self._number_crop(place[0], place[1]) if page is not None else None
        return self._explained(place[0], crop, numbers, with_crop=True)

    def explain_under_seal(self, place: tuple[int, Box], numbers: Sequence[str]) -> list[list[float]]:
        """As `explain`, on the cleaned lines of the page's red channel (`_red_crop`), where the page has red
        seal ink; none elsewhere."""
        return self._explained(place[0], self._red_crop(place[0], place[1]), numbers, with_crop=False)

    def line_of(self, place: tuple[int, Box]) -> tuple[float, float, float] | None:
        """The number's line of glyphs at `place` on the print layer: its left and right edges on the page
        and its height, in points; None where no glyph-sized mark is there."""
        page = self.pages.get(place[0])
        window = self._number_window(place[0], place[1]) if page is not None else None
        if page is None or window is None:
            return None
        crop, left = window
        inside = (place[1][0] * page.scale - left, place[1][2] * page.scale - left)
        span = line_span(crop, page.scale, inside)
        return None if span is None else ((left + span[0]) / page.scale, (left + span[1]) / page.scale, span[2] / page.scale)

    def _explained(self, page_number: int, crop: np.ndarray | None, numbers: Sequence[str],
                   with_crop: bool) -> list[list[float]]:
        page = self.pages.get(page_number)
        engine = next((engine for engine in self.engines if engine.name == "rapidocr"), None)
        if page is None or crop is None or engine is None:
            return []
        lines = [line for binarisation in BINARISATIONS
                 if (line := number_line(crop, page.scale, binarisation)) is not None]
        out = []
        for strip in [crop, *lines] if with_crop else lines:
            try:
                posteriors = engine.line_posteriors(strip)
            except (OcrError, OSError) as error:  # that strip says nothing; the others may
                log.warning("posteriors of a number on page %d failed: %s", page_number, error)
                continue
            if posteriors is not None:
                out.append(numbers_explain(posteriors, numbers))
        return out

    def _red_crop(self, page_number: int, box: Box) -> np.ndarray | None:
        """`box` with a margin on the page's red channel as scanned, where the page has red seal ink: red ink
        is as bright as the paper there and print under it dark. The print layer takes that channel under the
        seal's mask too, but its levels are then stretched to the paper's, and print that a seal's ink
        overlays, lighter than bare print, goes white with them ('136' under a ring read 1, dev6 a03's photo)."""
        page = self.pages.get(page_number)
        if page is None or not page.dpi or page.seal_path is None or page.image_path is None:
            return None
        if page_number not in self._reds:
            colour = cv2.imread(str(page.image_path), cv2.IMREAD_COLOR)
            self._reds[page_number] = None if colour is None else np.ascontiguousarray(colour[..., 2])
        image = self._reds[page_number]
        crop = crop_box(box, page.scale, image.shape, inset=-MARGIN_PT) if image is not None else None
        return None if image is None or crop is None else image[crop[1]:crop[3], crop[0]:crop[2]]

    def _read_lines(self, canvas: np.ndarray, tops: list[tuple[int, int]], page_number: int) -> list[str | None]:
        """The digits engine's text of each band of `canvas`, None where its digits were read unsurely.
        Told to read only a number's characters, it gives a unit it cannot tell apart a confidence of
        nothing: only the words holding digits say how sure the reading is."""
        assert self.numbers is not None
        try:  # at 72 dpi the words' points are the canvas's pixels
            words = self.numbers.read_region(canvas, None, dpi=NUMBER_CANVAS_DPI, mode=STACK_MODE)
        except (OcrError, OSError) as error:  # no digits reading here: the other engines' readings stand
            log.warning("digit readings on page %d failed: %s", page_number, error)
            return [None] * len(tops)
        texts: list[str | None] = []
        for top, bottom in tops:
            inside = [word for word in words if top - PAD_PX <= (word.bbox[1] + word.bbox[3]) / 2 < bottom + PAD_PX]
            # The unit is the column's: a whitelist reading drops or swaps its characters ('万元' read '元')
            # far more often than the digits', so it is no evidence of the scale.
            text = "".join(word.text for word in sorted(inside, key=lambda word: word.bbox[0]))
            text = text.translate(UNIT_CHARS).strip()
            sure = min((word.confidence for word in inside if any(char.isdigit() for char in word.text)),
                       default=0.0)
            log.debug("page %d: %s read %r (%.2f)", page_number, self.numbers.name, text, sure)
            texts.append(text if sure >= DIGITS_FLOOR else None)
        return texts

    def _read(self, engine: OcrEngine, canvas: np.ndarray, tops: list[tuple[int, int]], dpi: float,
              page_number: int) -> list[str | None]:
        """The text of each band of `canvas` that `engine` read surely enough (None for the others)."""
        try:
            words = engine.read_region(canvas, _whole(canvas), dpi=dpi, mode=STACK_MODE)
        except (OcrError, OSError) as error:  # that engine gives no second opinion; the others still do
            log.warning("second readings on page %d failed (%s): %s", page_number, engine.name, error)
            return [None] * len(tops)
        bands: list[list[Word]] = [[] for _ in tops]
        scale = dpi / 72.0
        for word in words:
            centre = (word.bbox[1] + word.bbox[3]) / 2 * scale
            band = next((k for k, (top, bottom) in enumerate(tops) if top - PAD_PX <= centre < bottom + PAD_PX), None)
            if band is not None:
                bands[band].append(word)
        texts: list[str | None] = []
        for band_words in bands:
            # Lines apart: "262" over "36" in one cell is two values (rows merged), never 26236.
            text = "\n".join("".join(word.text for word in line) for line in lines_of(band_words)).strip()
            sure = min((word.confidence for word in band_words), default=0.0)
            log.debug("page %d: %s read %r (%.2f)", page_number, engine.name, text, sure)
            texts.append(text if text and sure >= READ_FLOOR else None)
        return texts

    def _crop(self, page_number: int, box: Box) -> np.ndarray | None:
        """The inked part of `box` on the page's print layer (rules along its edges trimmed); None when blank."""
        page = self.pages.get(page_number)
        if page is None or not page.dpi:
            return None
        if page_number not in self._images:
            self._images[page_number] = print_images(page, area=False)[0]
        image = self._images[page_number]
        if image is None:
            return None
        crop = crop_box(box, page.scale, image.shape, inset=-MARGIN_PT)
        inked = ink_box(image, crop) if crop is not None else None
        return None if inked is None else image[inked[1]:inked[3], inked[0]:inked[2]]

    def _number_crop(self, page_number: int, box: Box) -> np.ndarray | None:
        """`box` with a margin on the page's print layer as cleaned, its seal's ghost not whitened: a
        faint digit under a seal is lighter than the ghost level and would go with it (`number_line`
        makes its own line of the crop)."""
        window = self._number_window(page_number, box)
        return None if window is None else window[0]

    def _number_window(self, page_number: int, box: Box) -> tuple[np.ndarray, int] | None:
        """`_number_crop`'s crop and its left edge on the page (pixels)."""
        page = self.pages.get(page_number)
        if page is None or not page.dpi:
            return None
        if page_number not in self._layers:
            self._layers[page_number] = stored_layers(page)[0]
        image = self._layers[page_number]
        crop = crop_box(box, page.scale, image.shape, inset=-MARGIN_PT) if image is not None else None
        return None if image is None or crop is None else (image[crop[1]:crop[3], crop[0]:crop[2]], crop[0])


def _stacked(crops: Sequence[np.ndarray], zoom: float) -> tuple[np.ndarray, list[tuple[int, int]]]:
    """The crops enlarged by `zoom`, one under another on white with GAP_PX between; each one's rows."""
    scaled = [cv2.resize(crop, None, fx=zoom, fy=zoom, interpolation=cv2.INTER_CUBIC) if zoom > 1.0 else crop
              for crop in crops]
    width = max(crop.shape[1] for crop in scaled) + 2 * PAD_PX
    height = sum(crop.shape[0] + GAP_PX for crop in scaled) - GAP_PX + 2 * PAD_PX
    canvas = np.full((height, width), 255, np.uint8)
    tops, top = [], PAD_PX
    for crop in scaled:
        canvas[top:top + crop.shape[0], PAD_PX:PAD_PX + crop.shape[1]] = crop
        tops.append((top, top + crop.shape[0]))
        top += crop.shape[0] + GAP_PX
    return canvas, tops


def read_again(record: ApplicationRecord, paths: Sequence[str], reader: PlaceReader, sure_from: float) -> None:
    """Each path's place read by the reader's engines: the engines that read the same value go into
    `confirmed_by`, other readings that look like a misreading of it into `alternatives`. A page reading
    at least `sure_from` sure outvotes a digits-only dissent its crop's full engine does not share."""
    wanted = [(path, value, origin) for path in paths
              if (value := _reading_at(record, path)) is not None and (origin := record.provenance[path]).bbox]
    places = [(origin.page, _box(origin.bbox)) for _, _, origin in wanted]
    everything = reader.read_all(places)
    # The digits-only reading breaks ties; where every engine that read the place read a surely read value,
    # there is none to break (and its dissent would be outvoted), so it is not asked.
    numbers = [index for index, (path, value, origin) in enumerate(wanted)
               if _number(value) and not (_sure(origin, sure_from) and _all_read_alike(everything[index], value, path))]
    for index, readings in zip(numbers, reader.read_numbers([places[index] for index in numbers]), strict=True):
        everything[index] = [*everything[index], *readings]
    for (path, value, origin), readings in zip(wanted, everything, strict=True):
        confirmed: list[str] = []
        misread: dict[Reading, set[str]] = {}
        for engine, text in readings:
            reading = reading_of(text, value, path)
            if reading == value:
                confirmed.append(engine)
            elif reading is not None and misread_of(value, reading):
                misread.setdefault(reading, set()).add(engine)
        others = [reading for reading, engines in misread.items()
                  if not _outvoted(engines, set(confirmed), _sure(origin, sure_from))]
        if path == EMAIL_PATH and isinstance(value, str) and not confirmed:
            others.extend(filter(None, [normalise.at_read_apart([value, *(text for _, text in readings)])]))
        record.provenance[path] = _with_second_readings(origin, value, confirmed, others)
        if others or not confirmed:
            log.info("%s: %s read %s on the page; on its crop %s, confirmed by %s", record.source.file, path,
                     value, others or "nothing else", confirmed or "no engine")


def _sure(origin: Provenance, sure_from: float) -> bool:
    """Whether the page read the place surely enough to outvote a digits-only dissent."""
    return origin.confidence is None or origin.confidence >= sure_from


def _all_read_alike(readings: Sequence[tuple[str, str]], value: Reading, path: str) -> bool:
    """At least one engine read the place, and every one that did read `value`."""
    return bool(readings) and all(reading_of(text, value, path) == value for _, text in readings)


def _outvoted(engines: set[str], confirming: set[str], sure: bool) -> bool:
    """A reading of fewer engines than the several that read the value itself: one engine's slip on the
    crop (a digit dropped by one binarisation), not another reading of the place. The digits-only
    reading breaks ties but does not dissent from a sure page reading a full engine read alike: told to
    see only digits, it makes one of a seal's stroke or a rule's remains. Against an unsure page reading
    it stays an alternative, for the form's redundancy to weigh ('4个' read 1 at 0.89 on a phone photo,
    4 by the digits: the count of the table's rows and the year before say which)."""
    if engines == {NUMBER_ENGINE} and confirming - {NUMBER_ENGINE} and sure:
        return True
    return len(confirming) >= 2 and len(engines) < len(confirming)


def _box(bbox: Sequence[float] | None) -> Box:
    assert bbox is not None
    return (bbox[0], bbox[1], bbox[2], bbox[3])


def _with_second_readings(origin: Provenance, value: Reading, confirmed: list[str],
                          others: list[Reading]) -> Provenance:
    update: dict[str, object] = {"confirmed_by": list(dict.fromkeys(confirmed))}
    if others:
        # A rule that settled the value earlier chose among the first readings only: open it again.
        written = [other.isoformat() if isinstance(other, dt.date) else other for other in others]
        update["alternatives"] = [alt for alt in dict.fromkeys([*origin.alternatives, *written]) if alt != value]
        update["resolved_by"] = None
    return origin.model_copy(update=update)


def engines_for(settings: Settings) -> list[OcrEngine]:
    """Every engine this machine has, each with the settings' models and the OCR cache."""
    from pipeline.ocr import get_engine

    engines = []
    for name in ENGINES:
        try:
            engines.append(get_engine(settings, name))
        except (OcrError, OSError, ImportError) as error:  # that engine is missing here: the others read
            log.warning("no %s for second readings: %s", name, error)
    return engines


class PlaceReader(Protocol):
    def read_all(self, places: Sequence[tuple[int, Box]]) -> list[list[tuple[str, str]]]:
        """For each (page, box): (engine name, text) for every engine that read it surely enough."""

    def read_numbers(self, places: Sequence[tuple[int, Box]]) -> list[list[tuple[str, str]]]:
        """For each (page, box) holding a number: (reader name, text) for each digits-only reading."""

    def explain(self, place: tuple[int, Box], numbers: Sequence[str]) -> list[list[float]]:
        """How well each of `numbers` (written out) explains the number's ink at `place` (0..1), per
        rendering of its crop."""

    def explain_under_seal(self, place: tuple[int, Box], numbers: Sequence[str]) -> list[list[float]]:
        """As `explain`, on renderings that show print a seal's ink overlays (none where no seal's ink is)."""

    def line_of(self, place: tuple[int, Box]) -> tuple[float, float, float] | None:
        """The number's line of glyphs at `place`: its left and right edges and its height (points)."""


def crop_reader(pages: Sequence[Page], settings: Settings) -> CropReader | None:
    """A reader of the document's scanned pages with every engine this machine has, and the digits-only
    Tesseract for numbers (whose failure to run is logged, as any engine's)."""
    from pipeline.ocr import get_number_engine

    engines = engines_for(settings)
    scanned = {page.number: page for page in pages if page.kind != "text"}
    return CropReader(scanned, engines, get_number_engine(settings))


def unread_figures(record: ApplicationRecord, reader: Callable[[], PlaceReader | None],
                   settings: Settings | None = None) -> bool:
    """The one figure of a sum no reading could make out, where the total and the sum's other figures were
    read surely and the cell's ink explains the figure they imply (`implied.fill_unread`); True when any
    was so read (then reconciliation and the checks must run again). `reader` is made only when there is
    such a figure."""
    found = implied.unread_candidates(record, settings or Settings())
    place_reader = _made(reader, record, len(found), "unread figures") if found else None
    return place_reader is not None and bool(implied.fill_unread(record, found, place_reader.explain))


def _made(reader: Callable[[], PlaceReader | None], record: ApplicationRecord, wanted: int,
          what: str) -> PlaceReader | None:
    """The place reader, made now that `wanted` places need it; None (logged) where no engine is here."""
    place_reader = reader()
    if place_reader is None:
        log.warning("%s: no OCR engine for second readings; %d %s not read again", record.source.file, wanted, what)
    return place_reader


def second_readings(record: ApplicationRecord, checks: Sequence[Check],
                    reader: Callable[[], PlaceReader | None], settings: Settings | None = None) -> bool:
    """Read again the values the failed errors in `checks` rest on, and the numbers of the failed
    comparisons in doubt; True when any was (then reconciliation and the checks must run again, on
    what the second readings say). `reader` is made only when there is something to read; without
    one (no engine here) nothing changes."""
    paths = suspects(record, checks)
    place_reader = _made(reader, record, len(paths), "values") if paths else None
    if place_reader is None:
        return False
    settings = settings or Settings()
    # The page reading's own re-read threshold: what it would not read again is sure enough.
    read_again(record, paths, place_reader, settings.reread_below)
    # What no reading of a cell holds, a failed total may still imply: characters the reading lost.
    implied.implied_readings(record, settings, place_reader.explain, place_reader.explain_under_seal,
                             place_reader.line_of)
    return True
