"""Re-reading table cells on their own crops, many cells in one OCR call.

Page-level OCR stumbles on tables: layout analysis merges cells, rules become "|" or
"一", a seal's remains become letters.  A cell read alone reads far better.  One
engine call per cell costs a process start each, so the crops are stacked into one
image, each on its own band with white space around it, read once, and every word is
mapped back to its cell by the band its centre falls in.
"""

from __future__ import annotations

import itertools
import logging
import re
import statistics
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
from rapidfuzz.distance import LCSseq

from models.page import Box, Word
from pipeline.ocr.base import LinePosteriors, OcrEngine, OcrError
from pipeline.ocr.digits import DigitReadings, digit_readings, merge_readings
from pipeline.tables.cells import CellText, cell_text, lines_of
from pipeline.tables.geometry import Frame
from pipeline.tables.ghosts import InkTest, drop_ghosts

log = logging.getLogger(__name__)

INSET_PT = 2.0  # keep the cell's own rules out of its crop
OVER_RULE_PT = 2.0  # how far past its top and bottom rules an empty cell's last crop reaches (`over_rules`)
# A reading of that crop is taken this sure or surer: the crop takes in a rule's stroke and the neighbours'
# edges, whose specks an engine reads as marks ('"', 'tt') less surely than print.
OVER_RULE_FLOOR = 0.9
PAD_PX = 24  # white around each crop: tesseract needs a margin to see a line
INK_LEVEL = 128  # print-layer pixels darker than this are ink
EMPTY_INK = 0.004  # an empty cell with more ink than this share has text the page OCR missed
STACK_MAX_PX = 12000  # tallest stacked image per call; more cells go in another call
SURE = 0.9  # a page reading this sure keeps its digits against a crop reading of the same shape



@dataclass(frozen=True)
class Band:
    cell: CellText
    crop: tuple[int, int, int, int]  # x0, y0, x1, y1 in page pixels
    top: int  # y of the crop in the stacked image


def crop_box(box: Box, scale: float, shape: tuple[int, ...], inset: float = INSET_PT) -> tuple[int, int, int, int] | None:
    """`box` (points) in the pixels of an image of `shape`, `inset` points in from each side (out, when
    negative), clamped to the image; None when less than 4 px remain either way."""
    x0, y0 = max(0, round((box[0] + inset) * scale)), max(0, round((box[1] + inset) * scale))
    x1, y1 = min(shape[1], round((box[2] - inset) * scale)), min(shape[0], round((box[3] - inset) * scale))
    return (x0, y0, x1, y1) if x1 - x0 >= 4 and y1 - y0 >= 4 else None


def ink_share(image: np.ndarray, crop: tuple[int, int, int, int], level: int = INK_LEVEL) -> float:
    x0, y0, x1, y1 = crop
    region = image[y0:y1, x0:x1]
    return float((region < level).mean()) if region.size else 0.0


def stack(image: np.ndarray, bands: Sequence[tuple[CellText, tuple[int, int, int, int]]]) -> tuple[np.ndarray, list[Band]]:
    """The crops one under another on white, each with PAD_PX around it."""
    width = max(c[2] - c[0] for _, c in bands) + 2 * PAD_PX
    height = sum(c[3] - c[1] + PAD_PX for _, c in bands) + PAD_PX
    canvas = np.full((height, width), 255, np.uint8)
    placed = []
    top = PAD_PX
    for cell, (x0, y0, x1, y1) in bands:
        canvas[top:top + y1 - y0, PAD_PX:PAD_PX + x1 - x0] = image[y0:y1, x0:x1]
        placed.append(Band(cell, (x0, y0, x1, y1), top))
        top += y1 - y0 + PAD_PX
    return canvas, placed


def _back_to_page(word: Word, band: Band, scale: float) -> Word:
    """A word of the stacked image (points of that image) moved to its place on the page (points)."""
    dx = band.crop[0] - PAD_PX
    dy = band.crop[1] - band.top
    x0, y0, x1, y1 = (v * scale for v in word.bbox)
    return replace(word, bbox=((x0 + dx) / scale, (y0 + dy) / scale, (x1 + dx) / scale, (y1 + dy) / scale))


def shape(text: str) -> str:
    """The text with every digit as 9 and blanks dropped: two readings of one number share it."""
    return re.sub(r"\d", "9", re.sub(r"\s+", "", text))


def _better(old: CellText, new: CellText, floor: float, slack: float) -> bool:
    """The crop's reading wins unless less sure by more than `slack`; for a cell the page read as empty,
    at `floor` or above.

    Where both readings have one shape (the same digits' places, the same other characters)
    and differ only in digits, the engines disagree on a digit with nothing to tell who is
    right: a page reading of `SURE` or better stays (a second engine that is sure of a wrong
    digit would otherwise replace a right one).
    """
    if not new.text:
        return False
    if not old.text:
        return new.confidence >= floor
    # Characters the crop left out of a line of print; not of a page word that a seal's glyphs glued on made
    # taller than the crop's reading of the line.
    printed = _height(old.words) <= PRINT_HEIGHT * _height(new.words) if old.words and new.words else True
    if printed and crop_left_out_print(old.text, new.text, [word.text for word in old.words]):
        return False
    if (old.confidence >= SURE and shape(old.text) == shape(new.text)
            and re.sub(r"\s+", "", old.text) != re.sub(r"\s+", "", new.text)):
        return False
    if old.confidence >= SURE and thin_glyph_slip(old.text, new.text):
        return False
    return new.confidence >= old.confidence - slack


# Glyphs of one stroke a face may draw alike (a monospaced 1 and l differ by a flag and a pixel of height).
THIN_GLYPHS = frozenset("1lI|")


def thin_glyph_slip(old: str, new: str) -> bool:
    """Two readings that differ only where one reads a thin glyph as another ('ycrn1494' · 'ycrnl494'), or
    where the second reads one thin glyph as two ('lld1150' · 'Illd1150': a wide monospaced cell round it):
    nothing tells which engine is right, so a sure first reading stays."""
    a, b = re.sub(r"\s+", "", old), re.sub(r"\s+", "", new)
    if a == b:
        return False
    if len(a) == len(b):
        return all(x == y or (x in THIN_GLYPHS and y in THIN_GLYPHS) for x, y in zip(a, b, strict=True))
    if len(b) != len(a) + 1:
        return False
    return any(b[:k] + b[k + 1:] == a and b[k] in THIN_GLYPHS
               and any(b[j] in THIN_GLYPHS for j in (k - 1, k + 1) if 0 <= j < len(b)) for k in range(len(b)))


def _height(words: Sequence[Word]) -> float:
    return max(word.bbox[3] - word.bbox[1] for word in words)


def crop_left_out_print(old: str, new: str, words: Sequence[str] = ()) -> bool:
    """The crop's reading is the page's with Chinese characters left out of its words (河北工业 for
    河北工业大学): a seal's ring over the cell's end made the recogniser drop them.  The page's words reach
    the cells with a seal's characters trimmed off their ends (`ghosts`), so what the crop left out of a
    word is print.  A whole word of the page's (`words`) left out is not: a seal's character read alone
    (女 above a name) is what the crop rightly leaves out."""
    old, new = re.sub(r"\s+", "", old), re.sub(r"\s+", "", new)
    if len(new) >= len(old):
        return False
    rest = iter(old)
    if not all(char in rest for char in new):  # not a subsequence of the page's reading
        return False
    dropped = list(old)
    for char in new:
        dropped.remove(char)
    for word in (re.sub(r"\s+", "", word) for word in words):
        if word and all(dropped.count(char) >= word.count(char) for char in set(word)):
            return False
    return any("\u4e00" <= char <= "\u9fff" for char in dropped)


BESIDE_SHARE = 0.8  # room past a line's end, in line heights, that can hold a character
GLYPH_COLUMNS = 0.6  # a character inks this share of the pixel columns of its box ...
GLYPH_INK = 0.08  # ... and this share of its pixels (a seal's ring crossing the box, far less)
CARRIED_ON = 0.75  # a crop reading carrying a cut-short line on wins from this sureness
HELD_SHARE = 0.5  # a crop's word lying this much inside a word of another cell is that word's ink read again
PAIRS = {"“": "”", "‘": "’", "（": "）", "(": ")", "《": "》", "「": "」", "【": "】"}  # opening mark: its closing one
MARKS = frozenset(PAIRS) | frozenset(PAIRS.values())


def unpaired(text: str) -> bool:
    """Whether a quotation mark or bracket of the text lacks its partner (智改数转”政策宣讲会): the reading lost
    a small mark at a line's end, or took one for the other; the print holds them in pairs."""
    waiting: list[str] = []
    for char in unicodedata.normalize("NFKC", text):
        if char in PAIRS:
            waiting.append(PAIRS[char])
        elif char in MARKS and (not waiting or waiting.pop() != char):
            return True
    return bool(waiting)


def _without_marks(text: str) -> str:
    return "".join(char for char in re.sub(r"\s+", "", text) if char not in MARKS)


def held_elsewhere(box: Box, held: Sequence[Box]) -> bool:
    """Whether a word read on an empty cell's crop lies mostly inside a word another cell holds: a word
    reaching over its cell's side (a stroke taken for a rule cut a sliver column off a name, 大|连…) is
    read again on the empty neighbour's crop and would be written twice (大大连…)."""
    area = (box[2] - box[0]) * (box[3] - box[1])
    if area <= 0:
        return False
    for other in held:
        width = min(box[2], other[2]) - max(box[0], other[0])
        height = min(box[3], other[3]) - max(box[1], other[1])
        if width > 0 and height > 0 and width * height >= HELD_SHARE * area:
            return True
    return False


OVERHANG = 0.25  # share of its height a word of the cell may reach over the cell's top or bottom (box padding)
PRINT_HEIGHT = 1.3  # a word taller than this many of the table's usual word heights is no line of print


def reach(cell: CellText, line_height: float | None = None, empty: Sequence[Box] = ()) -> Box:
    """The cell's box, taller where a word of print it holds reaches well over its top or bottom: a rule
    found through a line of text (a doubled rule, a wrapped header's first line) would cut the line in
    half in the crop, and the cell would be read as its other line alone.  A word taller than
    `line_height` allows (a seal's character over the rule) leaves the box as it is.  Wider where a word
    reaches well into one of the `empty` cells beside it (`_sideways`)."""
    x0, top, x1, bottom = cell.bbox
    for word in cell.words:
        height = word.bbox[3] - word.bbox[1]
        if line_height is None or height > PRINT_HEIGHT * line_height:
            continue
        if word.bbox[1] < top - OVERHANG * height:
            top = word.bbox[1] - INSET_PT
        if word.bbox[3] > bottom + OVERHANG * height:
            bottom = word.bbox[3] + INSET_PT
        x0, x1 = _sideways(word, x0, x1, empty)
    return (x0, top, x1, bottom)


def _sideways(word: Word, x0: float, x1: float, empty: Sequence[Box]) -> tuple[float, float]:
    """The crop's sides moved out to a word's ends lying well inside an empty cell beside it: a stroke
    taken for a column rule cut a sliver column through the word's first or last character, and the
    crop would cut that character in two (大连 read 主).  Where the neighbour holds text (the other
    piece of a word split at a true rule), the side stays."""
    margin = OVERHANG * (word.bbox[3] - word.bbox[1])
    middle = (word.bbox[1] + word.bbox[3]) / 2

    def in_empty(x: float) -> bool:
        return any(box[0] <= x <= box[2] and box[1] <= middle <= box[3] for box in empty)

    if word.bbox[0] < x0 - margin and in_empty(word.bbox[0]):
        x0 = word.bbox[0] - INSET_PT
    if word.bbox[2] > x1 + margin and in_empty(word.bbox[2]):
        x1 = word.bbox[2] + INSET_PT
    return x0, x1


@dataclass
class CellReader:
    """Re-reads cells of one page: the page's print layer, its scale and an OCR engine."""

    image: np.ndarray
    scale: float
    dpi: float
    engine: OcrEngine
    ink: InkTest | None = None  # the seal-text test of the page's words, for words read on crops

    @property
    def level(self) -> int:
        """Below this grey a pixel is ink: the page's own black level where its print is faint (`InkTest`,
        raised on a faint photo). A grey scan's lowered level tells a seal's grey ghost from print in a word;
        a cell's ink is measured at `INK_LEVEL` there, as before."""
        return max(INK_LEVEL, self.ink.level) if self.ink is not None else INK_LEVEL

    def wanted(self, cell: CellText, threshold: float, line_height: float | None = None,
               empty: Sequence[Box] = ()) -> tuple[int, int, int, int] | None:
        """The crop to read the cell on again, or None: an unsure cell, a sure one whose line the page's
        reading cut short (`print_beside`), an empty one holding ink."""
        crop = crop_box(reach(cell, line_height, empty), self.scale, self.image.shape)
        if crop is None:
            return None
        if cell.text:
            return crop if cell.confidence < threshold or self.print_beside(cell) else None
        return crop if ink_share(self.image, crop, self.level) > EMPTY_INK else None

    def over_rules(self, cell: CellText, line_height: float | None = None,
                   empty: Sequence[Box] = ()) -> tuple[int, int, int, int] | None:
        """The crop of an empty cell holding ink, reaching `OVER_RULE_PT` past its top and bottom rules
        instead of `INSET_PT` inside them, where its ink runs over the inside crop's top or bottom; None
        otherwise. A line printed low in its row runs over the row's rule (dev47 a02's '171', the rule
        through the digits' feet): the crop inside the rules cuts it, and it reads as nothing."""
        inside = self.wanted(cell, 1.0, line_height, empty)
        if inside is None or cell.text or not self._runs_over_edge(inside):
            return None
        x0, top, x1, bottom = reach(cell, line_height, empty)
        return crop_box((x0 + INSET_PT, top - OVER_RULE_PT, x1 - INSET_PT, bottom + OVER_RULE_PT), self.scale,
                        self.image.shape, inset=0.0)

    def _runs_over_edge(self, crop: tuple[int, int, int, int]) -> bool:
        """Whether ink reaches the crop's top or bottom row (and is no rule along it): print cut by the crop's
        edge. Ink clear of both was inside the crop whole, and a crop past the rules reads it no better."""
        x0, y0, x1, y1 = crop
        rows = (self.image[y0:y1, x0:x1] < self.level).mean(axis=1)
        return any(0.0 < share <= RULE_SHARE for share in (rows[0], rows[-1]))

    def print_beside(self, cell: CellText) -> bool:
        """Whether a line of the cell has a character's worth of print just past either end, inside the
        cell, that none of its words covers: the page's reading stopped short of its line (a seal's
        ring over 工大学 of 武汉理工大学 and the detector's box ended at 理), however sure it is of the
        characters it kept."""
        x_in, _, x_out, _ = cell.bbox
        for line in lines_of(cell.words):
            top, bottom = min(w.bbox[1] for w in line), max(w.bbox[3] for w in line)
            height = bottom - top
            start, end = line[0].bbox[0], line[-1].bbox[2]
            sides = ((max(x_in + INSET_PT, start - height), start), (end, min(x_out - INSET_PT, end + height)))
            # The line's middle half: boxes are padded into the lines above and below (a wrapped cell's
            # longer first line over its short second).
            middle = (top + height / 4, bottom - height / 4)
            if any(right - left >= BESIDE_SHARE * height and self._glyph(left, middle[0], right, middle[1])
                   for left, right in sides):
                return True
            if self._skipped_inside(line, middle):
                return True
        return False

    def _skipped_inside(self, line: Sequence[Word], middle: tuple[float, float]) -> bool:
        """Whether a gap between two words of a line, a character wide or more, holds a character's ink:
        the page's detector left part of a line of print out (a dithered scan's 设备联网轻量化方案 read as 设 and
        量化方案, 备联网轻 in no word's box), however sure it is of the characters it kept."""
        height = middle[1] - middle[0]  # the line's middle half
        for before, after in itertools.pairwise(line):
            left, right = before.bbox[2], after.bbox[0]
            if right - left >= 2 * BESIDE_SHARE * height and self._glyph(left, middle[0], right, middle[1]):
                return True
        return False

    def _carried_on(self, old: CellText, new: CellText) -> bool:
        """Whether the crop read on a line the page's reading stopped short of (`print_beside`): the
        page's text whole inside the crop's, Chinese characters around it, read fairly surely.  The page's
        sureness was of the characters it kept, so it is no bar (西安 at 1.0, the crop 西安交通大学 at 0.79).
        Digits or marks added are not carried on: a figure's stray stroke ('1 171'), a seal's remains ('，科');
        nor is a unit's name past its whole legal form (…有限公司 read on as …有限公司电股份 under a seal)."""
        page, crop = re.sub(r"\s+", "", old.text), re.sub(r"\s+", "", new.text)
        if not page or page not in crop or len(crop) == len(page) or new.confidence < CARRIED_ON:
            return False
        # unit_names reaches values, which imports this module: imported here.
        from pipeline.tables.unit_names import COMPLETE

        before, after = crop.split(page, 1)
        if after and page.endswith(COMPLETE):  # a name ends whole: what the crop reads after it is a seal's
            return False
        return all("\u4e00" <= char <= "\u9fff" for char in before + after) and self.print_beside(old)

    def _filled_in(self, old: CellText, new: CellText) -> bool:
        """Whether the crop read the whole of a line the page's reading left characters of out, before, inside
        or after its words (`print_beside`): every character of the page's is the crop's, in order (设 · 量化方案
        of 设备联网轻量化方案), what the crop adds is Chinese characters, read fairly surely. The page's sureness was
        of the characters it kept, so it is no bar; a character it kept that the crop reads otherwise (数字孪生 ·
        数字李生建) is, and the page's reading stays. A unit's name past its whole legal form is not filled in (a
        seal's characters after 有限公司)."""
        page, crop = re.sub(r"\s+", "", old.text), re.sub(r"\s+", "", new.text)
        if not page or len(crop) <= len(page) or new.confidence < CARRIED_ON or "\n" in old.text.strip():
            return False
        if LCSseq.similarity(page, crop) < len(page):
            return False
        # unit_names reaches values, which imports this module: imported here.
        from pipeline.tables.unit_names import COMPLETE

        if page.endswith(COMPLETE) and not crop.endswith(COMPLETE):
            return False
        added = [crop[op.dest_pos] for op in LCSseq.editops(page, crop) if op.tag == "insert"]
        return all("\u4e00" <= char <= "\u9fff" for char in added) and self.print_beside(old)

    @staticmethod
    def _paired(old: CellText, new: CellText) -> bool:
        """Whether the crop read the marks of a line the page's reading left unpaired (`unpaired`), and
        nothing else otherwise: the same text once the marks are set aside, every mark with its partner,
        read fairly surely.  A mark the crop did not read is never put in."""
        return (unpaired(old.text) and not unpaired(new.text) and new.confidence >= CARRIED_ON
                and _without_marks(old.text) == _without_marks(new.text))

    def _glyph(self, x0: float, y0: float, x1: float, y1: float) -> bool:
        """Whether the box (points) holds a glyph's ink: most of its pixel columns inked, and enough ink."""
        box = crop_box((x0, y0, x1, y1), self.scale, self.image.shape, inset=0.0)
        if box is None:
            return False
        ink = self.image[box[1]:box[3], box[0]:box[2]] < self.level
        return bool(ink.any(axis=0).mean() >= GLYPH_COLUMNS and ink.mean() >= GLYPH_INK)

    def reread(self, cells: Sequence[CellText], frame: Frame, threshold: float, floor: float,
               slack: float = 0.05) -> list[CellText]:
        """Cells read below `threshold` (and empty cells holding ink) read again on their crops.

        A cell read alone is usually read better than on the page, so by default the crop's
        reading wins even when a little less sure (`slack`).
        """
        heights = [word.bbox[3] - word.bbox[1] for cell in cells for word in cell.words]
        line_height = statistics.median(heights) if heights else None
        held = [word.bbox for cell in cells for word in cell.words]
        empty = [cell.bbox for cell in cells if not cell.words]
        chosen = [(i, cell, crop) for i, cell in enumerate(cells)
                  if (crop := self.wanted(cell, threshold, line_height, empty))]
        # Sure cells read again only to carry a line on are stacked apart: a stack's make-up (its width, its
        # height) changes how the engine reads every crop in it, and the others' readings stay as they were.
        sure = [item for item in chosen if item[1].text and item[1].confidence >= threshold]
        out = list(cells)
        for batch in _batches([item for item in chosen if item not in sure]) + _batches(sure):
            for position, cell, new in self._read_batch(batch, frame, held):
                # A sure cell was read again only for print past its words: the crop may carry its line
                # on, never replace what the page read surely.
                unsure = not cell.text or cell.confidence < threshold
                if (unsure and _better(cell, new, floor, slack)) or self._carried_on(cell, new) \
                        or self._filled_in(cell, new):
                    out[position] = replace(new, reread=True)
        # Cells still empty that hold ink, read once more on crops reaching past their top and bottom rules
        # (`over_rules`), in stacks of their own (the others' readings stay as they were), taken when sure.
        left_out = [(i, cell, crop) for i, cell in enumerate(out) if not cell.text
                    and (crop := self.over_rules(cell, line_height, empty))]
        for batch in _batches(left_out):
            for position, cell, new in self._read_batch(batch, frame, held):
                new = _centred_inside(new, cell, frame)
                if _better(cell, new, max(floor, OVER_RULE_FLOOR), slack):
                    out[position] = replace(new, reread=True)
        # Cells whose marks still lack their partners, read once more in a stack of their own (stacked with
        # others the engine left the small mark out again), only to pair them (`_paired`); the stacks above
        # stay as they were, and so do every other cell's readings.
        unpaired_cells = [(i, cell, crop) for i, cell in enumerate(out) if cell.text and unpaired(cell.text)
                          and (crop := crop_box(reach(cell, line_height, empty), self.scale, self.image.shape))]
        for batch in _batches(unpaired_cells):
            for position, cell, new in self._read_batch(batch, frame, held):
                if self._paired(cell, new):
                    out[position] = replace(new, reread=True)
        return out

    def _read_batch(self, batch: list[tuple[int, CellText, tuple[int, int, int, int]]], frame: Frame,
                    held: Sequence[Box]) -> list[tuple[int, CellText, CellText]]:
        """The cells of `batch` read on their crops stacked in one image: (position, cell, crop's reading)."""
        canvas, bands = stack(self.image, [(cell, crop) for _, cell, crop in batch])
        by_band: dict[int, list[Word]] = {}
        for word in self._read(canvas):
            centre = (word.bbox[1] + word.bbox[3]) / 2 * self.scale
            index = next((k for k, band in enumerate(bands)
                          if band.top - PAD_PX / 2 <= centre < band.top + band.crop[3] - band.crop[1] + PAD_PX / 2),
                         None)
            if index is not None:
                by_band.setdefault(index, []).append(_back_to_page(word, bands[index], self.scale))
        read: list[tuple[int, CellText, CellText]] = []
        for k, (position, cell, _) in enumerate(batch):
            found = by_band.get(k, [])
            if not cell.text:
                found = [word for word in found if not held_elsewhere(word.bbox, held)]
            read.append((position, cell, cell_text(cell.cell, frame, without_stray_glyphs(drop_ghosts(found, self.ink)))))
        return read

    def _read(self, canvas: np.ndarray) -> list[Word]:
        try:
            # The whole canvas as one block (psm 6): each band a few lines of it, no page layout analysis.
            box = (0, 0, canvas.shape[1], canvas.shape[0])
            return list(self.engine.read_region(canvas, box, dpi=self.dpi))
        except (OcrError, OSError) as error:  # the engine failed (or its cache): cells keep their first reading
            log.warning("cell re-read failed, cells keep their first reading: %s: %s", type(error).__name__, error)
            return []


STRAY_SURE = 0.8  # a lone glyph read less surely than this, apart from its line, is no print of the cell's


def without_stray_glyphs(words: Sequence[Word]) -> list[Word]:
    """A crop's words without lone glyphs standing apart on a line of print: one character read unsurely
    (below `STRAY_SURE`), more than a line's height away from the nearest word level with it, is a seal's
    remains or a rule's edge the crop took in (dev58 a09's '…观摩活动 A' and '…诊断师培训 I', a grey seal's
    ring beside the names; dev47 a11's '…培训班 1.'), not a character of the cell's line. A glyph alone on its
    line is kept."""
    kept = []
    for word in words:
        height = word.bbox[3] - word.bbox[1]
        level = [other for other in words if other is not word
                 and min(other.bbox[3], word.bbox[3]) - max(other.bbox[1], word.bbox[1]) > 0.5 * height]
        gaps = [max(other.bbox[0] - word.bbox[2], word.bbox[0] - other.bbox[2]) for other in level]
        stray = _lone_glyph(word.text) and word.confidence < STRAY_SURE and bool(gaps) \
            and min(gaps) > max(height, *(other.bbox[3] - other.bbox[1] for other in level))
        if not stray:
            kept.append(word)
    return kept


def _lone_glyph(text: str) -> bool:
    """One character, with a mark at most ('I', '1.')."""
    squeezed = re.sub(r"\s+", "", text)
    return 0 < len(squeezed) <= 2 and len(re.sub(r"[\W_]", "", squeezed)) <= 1


def _centred_inside(read: CellText, cell: CellText, frame: Frame) -> CellText:
    """The crop's reading of `cell` with only the words whose centres lie inside the cell's rows: a crop
    reaching past the cell's rules takes in the edges of the neighbours' print too."""
    top, bottom = cell.bbox[1], cell.bbox[3]
    words = [word for word in read.words if top <= (word.bbox[1] + word.bbox[3]) / 2 <= bottom]
    return read if len(words) == len(read.words) else cell_text(cell.cell, frame, words)


def _batches(chosen: list[tuple[int, CellText, tuple[int, int, int, int]]]) -> list[list]:
    batches: list[list] = []
    height = 0
    for item in chosen:
        crop = item[2]
        size = crop[3] - crop[1] + PAD_PX
        if not batches or height + size > STACK_MAX_PX:
            batches.append([])
            height = 0
        batches[-1].append(item)
        height += size
    return batches


# --- a second engine for cells whose reading does not validate -----------------------------

RULE_SHARE = 0.5  # a crop row/column inked more than this is a leftover rule, not text
SECOND_PAD_PX = 8
SECOND_LINE_SHARE = 0.3  # a band of ink this heavy beside the heaviest is a second line of text


def ink_box(image: np.ndarray, crop: tuple[int, int, int, int],
            bound: tuple[int, int, int, int] | None = None, level: int = INK_LEVEL) -> tuple[int, int, int, int] | None:
    """The inked part of a crop (page pixels), leftover rules along its edges ignored; None when blank.

    A rule is a pixel row or column inked over most of the crop. In a crop tight on a line of text a
    glyph's stroke is too (the '1' of 1473, the left of a 6): with `bound`, the crop's surroundings, a
    run is a rule only where it goes on past the crop into them, as a rule does and a stroke does not.
    """
    x0, y0, x1, y1 = crop
    ink = image[y0:y1, x0:x1] < level
    if not ink.size:
        return None
    ink = ink.copy()
    rule_rows, rule_cols = ink.mean(axis=1) > RULE_SHARE, ink.mean(axis=0) > RULE_SHARE
    if bound is not None:
        rule_cols &= _runs_on(image, crop, bound, level)
    ink[rule_rows, :] = False
    ink[:, rule_cols] = False
    rows, cols = np.flatnonzero(ink.sum(axis=1) > 0), np.flatnonzero(ink.sum(axis=0) > 0)
    if rows.size == 0 or ink.sum() < 12:  # a few specks are noise, not a character
        return None
    return x0 + int(cols[0]), y0 + int(rows[0]), x0 + int(cols[-1]) + 1, y0 + int(rows[-1]) + 1


def _runs_on(image: np.ndarray, crop: tuple[int, int, int, int], bound: tuple[int, int, int, int],
             level: int = INK_LEVEL) -> np.ndarray:
    """Per pixel column of the crop: inked just past both its ends, inside `bound`. Where the crop has no
    room to look past an end, a run counts as going on."""
    x0, y0, x1, y1 = crop
    above, below = image[bound[1]:y0, x0:x1], image[y1:bound[3], x0:x1]
    past_above = (above < level).any(axis=0) if above.size else np.ones(x1 - x0, bool)
    past_below = (below < level).any(axis=0) if below.size else np.ones(x1 - x0, bool)
    return np.asarray(past_above & past_below)


GROW_PT = 2.0  # how far past the box a crop may grow to take in a glyph its edge cut (about half a digit)
GLYPH_EDGE_LEVEL = 192  # a glyph's anti-aliased edge: lighter than ink, darker than paper
# A rule crosses the whole crop; a glyph's stroke may cross most of a box tight on its line.
RULE_RUN = 0.9


def grown_over_cut_ink(image: np.ndarray, crop: tuple[int, int, int, int],
                       bound: tuple[int, int, int, int]) -> tuple[int, int, int, int]:
    """`crop` with its left and right sides moved out, up to `bound`, for as long as the pixel columns just
    inside and just outside them both hold ink (a glyph's grey edge too): a glyph the crop cut through is
    taken in whole, while a side on white stays where it is. Rules (runs across the whole height of
    `bound`) are no glyph. Top and bottom stay: a box is padded above and below its line of text, and
    growing there would reach the cell's rules."""
    bx0, _, bx1, _ = bound
    x0, y0, x1, y1 = crop
    ink = np.asarray(image[bound[1]:bound[3], bx0:bx1] < GLYPH_EDGE_LEVEL).copy()
    if not ink.size:
        return crop
    ink[:, ink.mean(axis=0) >= RULE_RUN] = False
    ink = ink[y0 - bound[1]:y1 - bound[1]]
    left, right = x0 - bx0, x1 - bx0
    while left > 0 and ink[:, left].any() and ink[:, left - 1].any():
        left -= 1
    while right < ink.shape[1] and ink[:, right - 1].any() and ink[:, right].any():
        right += 1
    return left + bx0, y0, right + bx0, y1


def text_line(image: np.ndarray, box: tuple[int, int, int, int], level: int = INK_LEVEL) -> tuple[int, int, int, int] | None:
    """The band of pixel rows holding the box's one line of text (specks of a seal or a rule's remains
    above or below left out); None when a second band holds as much ink (two lines)."""
    lines = text_lines(image, box, level)
    return lines[0] if len(lines) == 1 else None


def text_lines(image: np.ndarray, box: tuple[int, int, int, int], level: int = INK_LEVEL) -> list[tuple[int, int, int, int]]:
    """The bands of pixel rows holding the box's lines of text, top to bottom: each band of ink holding
    `SECOND_LINE_SHARE` of the heaviest's ink or more (lighter bands are specks of a seal or a rule's
    remains)."""
    x0, y0, x1, y1 = box
    ink = np.asarray(image[y0:y1, x0:x1] < level)
    per_row = ink.sum(axis=1)
    inked = per_row > 0
    edges = np.flatnonzero(np.diff(np.concatenate([[0], inked.astype(np.int8), [0]])))
    bands = [(int(a), int(b)) for a, b in zip(edges[::2], edges[1::2], strict=True)]
    if not bands:
        return []
    weights = [int(per_row[a:b].sum()) for a, b in bands]
    heaviest = max(weights)
    lines = []
    for (top, bottom), weight in zip(bands, weights, strict=True):
        if weight < SECOND_LINE_SHARE * heaviest:
            continue
        cols = np.flatnonzero(ink[top:bottom].any(axis=0))
        lines.append((x0 + int(cols[0]), y0 + top, x0 + int(cols[-1]) + 1, y0 + bottom))
    return lines


@dataclass
class SecondReader:
    """Reads single cells of one page with a second engine (on the inked part of the cell, on white)."""

    image: np.ndarray
    scale: float
    dpi: float
    engine: OcrEngine
    level: int = INK_LEVEL  # below this grey a pixel is ink (the page's own where its print is faint)

    def read(self, box: Box) -> list[tuple[str, float]]:
        """Readings of the cell, each its text and confidence (lines joined with "\\n"); none when blank or unreadable."""
        inked = self._inked(box)
        if inked is None:
            return []
        x0, y0, x1, y1 = inked
        region = self.image[y0:y1, x0:x1]
        # As scanned, then ink only on white (the grey remains of a seal or of the background read as
        # strokes, but binarising adds specks): the caller keeps the reading that validates.
        binary = np.where(region < self.level, 0, 255).astype(np.uint8)
        return [r for r in (self._read(region), self._read(binary)) if r is not None]

    def ink_width(self, box: Box) -> float | None:
        """How wide the cell's one line of ink is, in points; None when blank or on several lines."""
        inked = self._inked(box)
        line = text_line(self.image, inked, self.level) if inked is not None else None
        return None if line is None else (line[2] - line[0]) / self.scale

    def digits(self, box: Box) -> DigitReadings | None:
        """The cell's one line of ink read from the recogniser's posteriors (its best path and the
        readings one digit away); None when blank, on more than one line, or without posteriors."""
        region = self._line(box)
        if region is None:
            return None
        # As scanned and as ink on white (a seal's grey stroke across a digit gone), as for `read`.
        binary = np.where(region < self.level, 0, 255).astype(np.uint8)
        found = [self._posteriors(region), self._posteriors(binary)]
        readings = [digit_readings(r) for r in found if r is not None]
        return merge_readings(readings) if readings else None

    def holds_ink(self, box: Box) -> bool:
        """Whether the box holds ink beyond a few specks and its rules (`ink_box`)."""
        return self._inked(box) is not None

    def ink_glyphs(self, box: Box) -> float | None:
        """How many glyphs wide the cell's one line of ink is (its width over its height: a Chinese
        character is about square); None when blank or on several lines."""
        inked = self._inked(box)
        line = text_line(self.image, inked, self.level) if inked is not None else None
        return None if line is None or line[3] <= line[1] else (line[2] - line[0]) / (line[3] - line[1])

    def line_posteriors(self, box: Box) -> list[LinePosteriors | None]:
        """The recogniser's posteriors of each of the cell's lines of ink as scanned, top to bottom (None for
        a line without them); none when blank."""
        inked = self._inked(box)
        lines = text_lines(self.image, inked, self.level) if inked is not None else []
        return [self._posteriors(self.image[y0:y1, x0:x1]) for x0, y0, x1, y1 in lines]

    def _line(self, box: Box) -> np.ndarray | None:
        inked = self._inked(box)
        line = text_line(self.image, inked, self.level) if inked is not None else None
        if line is None:
            return None
        x0, y0, x1, y1 = line
        return self.image[y0:y1, x0:x1]

    def _inked(self, box: Box) -> tuple[int, int, int, int] | None:
        """The inked part of the box's pixels. The box is inset to keep a cell's rules out, and grown back
        out where that cut a glyph: a value's box may be its words' box, tight on the ink, and a digit with
        its left edge cut off reads surely as another ('62.2%' as 52.2%, '8.3' as 3.3, 1473 as 473)."""
        crop = crop_box(box, self.scale, self.image.shape)
        bound = crop_box(box, self.scale, self.image.shape, inset=-GROW_PT)
        if crop is None or bound is None:
            return None
        return ink_box(self.image, grown_over_cut_ink(self.image, crop, bound), bound, self.level)

    def _posteriors(self, region: np.ndarray) -> LinePosteriors | None:
        pad = SECOND_PAD_PX
        strip = np.full((region.shape[0] + 2 * pad, region.shape[1] + 2 * pad), 255, np.uint8)
        strip[pad:pad + region.shape[0], pad:pad + region.shape[1]] = region
        try:
            posteriors = self.engine.line_posteriors(strip)  # type: ignore[attr-defined]
        except (OcrError, OSError) as error:  # no posteriors: the value keeps its reading
            log.warning("posteriors of a cell failed: %s: %s", type(error).__name__, error)
            return None
        return posteriors

    def _read(self, region: np.ndarray) -> tuple[str, float] | None:
        pad = SECOND_PAD_PX
        canvas = np.full((region.shape[0] + 2 * pad, region.shape[1] + 2 * pad), 255, np.uint8)
        canvas[pad:pad + region.shape[0], pad:pad + region.shape[1]] = region
        try:
            words = list(self.engine.read_region(canvas, (0, 0, canvas.shape[1], canvas.shape[0]),
                                                 dpi=self.dpi))
        except (OcrError, OSError) as error:  # the engine failed (or its cache): no second opinion
            log.warning("second reading of a cell failed: %s: %s", type(error).__name__, error)
            return None
        words = [w for w in words if w.text.strip()]
        if not words:
            return None
        text = "\n".join("".join(w.text for w in line) for line in lines_of(words))
        return text, min(w.confidence for w in words)

