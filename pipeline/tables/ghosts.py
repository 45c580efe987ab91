"""Seal text read as words: dropped before words go into cells.

A red seal stamped over a table leaves a grey ghost of its ring and characters in the
print layer (red ink lifted out; on a grey scan the seal is grey to begin with), and
OCR reads the ghost's characters (技术集, 台业, a trailing 3) as words or glues them to
a cell's own text.  Print is black, a seal's ghost grey: a word in a seal's area whose
box holds far less black ink, or far less black for its grey, than the page's words
typically do is seal text; a word whose black ink stops a character or more short of
one end of its box had seal characters glued to that end.  Text printed under a seal is
black, so it stays.  Words away from seals and words from a text layer are never
touched, and every test is relative to the page's own words, so a faint scan keeps its text.
"""

from __future__ import annotations

import logging
import re
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, replace

import cv2
import numpy as np

from models.page import Box, Page, Word
from pipeline.seals.scan import page_candidates
from pipeline.tables.cells import char_boxes, char_width

INK_LEVEL = 128  # print-layer pixels darker than this are black ink
GREY_LEVEL = 224  # ... darker than this are ink of any kind (a seal's grey ghost included)
GHOST_DARK = 0.2  # a word with less black ink than this share of the page's typical word is a ghost
GHOST_BLACK = 0.6  # ... or whose ink is black for less than this share of the page's typical ratio
RULE_SHARE = 0.5  # a pixel row or column of a box this black is a rule running through it
MIN_INK_PX = 6  # fewer black pixels than this in a word's box are specks, not print
MIN_WORDS = 5  # fewer OCR words than this on a page: no typical ink to compare with
GHOST_LEVEL = 96  # under a seal's red mask, print-layer pixels lighter than this are the seal's ghost
SEAL_GROW_PT = 1.0  # the seal mask grown by this much: the ghost is wider than the red core
SEAL_AREA_PT = 6.0  # around a seal's ink this far, a word may be the seal's text
UNDER_SEAL = 0.3  # a box this much inside the seal's area is tested as a whole
SEAL_MARGIN = 30  # a seal whose ink is this much lighter than INK_LEVEL is told from print by INK_LEVEL
SEAL_CONTRAST = 40  # grey levels a seal's ink must be lighter than the print's to be told from it by level
MIN_SEAL_PX = 200  # fewer inked pixels than this in a seal's area: no seal ink to measure
PRINT_MARGIN = 40  # grey levels past a faint page's typical print ink that are still its black
GHOST_CHAR_DARK = 0.25  # a Chinese character at a kept word's end with less black ink than this share is a seal's
CONTINUE_DARK = 0.5  # a word carrying on a line of print keeps when it has this share of the typical black ink
BESIDE_GAP = 1.2  # character pitches between two words of one line of print
LINE_OVERLAP = 0.7  # share of the lower word's height two words of one line overlap by
LINE_HEIGHTS = (0.7, 1.45)  # ratios of height two words of one line (a box over a seal's ink grows) stay within

LETTERING_CHARS = 3  # a seal's ring read as words comes in runs of a few characters
LETTERING_SIZE = 1.45  # ... in boxes this many times as tall as their line's print and as wide per character (above `LINE_HEIGHTS`)

log = logging.getLogger(__name__)


def _rule_pixels(image: np.ndarray, x0: int, y0: int, x1: int, y1: int, level: int = INK_LEVEL) -> np.ndarray:
    """Pixels of the box (pixels) on rules crossing it: a pixel row (column) black along most of the box
    widened by its height on both sides (a character's stroke ends inside, a rule runs on)."""
    reach = y1 - y0
    wide = image[y0:y1, max(0, x0 - reach):x1 + reach] < level
    tall = image[max(0, y0 - reach):y1 + reach, x0:x1] < level
    rules = np.zeros((y1 - y0, x1 - x0), bool)
    if wide.size:
        rules[wide.mean(axis=1) > RULE_SHARE, :] = True
    if tall.size:
        rules[:, tall.mean(axis=0) > RULE_SHARE] = True
    return rules


def _pixels(image: np.ndarray, box: Box, scale: float) -> tuple[int, int, int, int]:
    x0, y0 = max(0, round(box[0] * scale)), max(0, round(box[1] * scale))
    x1, y1 = min(image.shape[1], round(box[2] * scale)), min(image.shape[0], round(box[3] * scale))
    return x0, y0, max(x0, x1), max(y0, y1)


def _counts(image: np.ndarray, box: Box, scale: float, level: int = INK_LEVEL) -> tuple[int, int, int]:
    """Black pixels (darker than `level`), inked pixels (any grey) and all pixels of the box (points),
    rules crossing it left out."""
    x0, y0, x1, y1 = _pixels(image, box, scale)
    region = image[y0:y1, x0:x1]
    if not region.size:
        return 0, 0, 0
    rules = _rule_pixels(image, x0, y0, x1, y1, level)
    return int(((region < level) & ~rules).sum()), int(((region < GREY_LEVEL) & ~rules).sum()), int(region.size)


def black_level(image: np.ndarray, words: Sequence[Word], scale: float, sealed: np.ndarray) -> int:
    """The grey below which ink is print rather than seal on this page.

    A seal lifted out of a colour scan leaves a light ghost, and `INK_LEVEL` tells it from
    print.  On a grey scan the seal was never red: its ink can be as dark as `INK_LEVEL`
    or darker, only lighter than the page's print.  Then the level is set halfway between
    the print's ink (words away from seals) and the seal's (inked pixels in the seal's
    area outside the words), when the two clearly differ.
    """
    return _between_print_and_seal(image, words, scale, sealed, print_level(image, words, scale, sealed))


def _between_print_and_seal(image: np.ndarray, words: Sequence[Word], scale: float, sealed: np.ndarray,
                            printed: float | None) -> int:
    """`black_level` with the page's print ink (`print_level`) already measured."""
    boxes = np.zeros(image.shape[:2], bool)
    for word in words:
        x0, y0, x1, y1 = _pixels(image, word.bbox, scale)
        boxes[y0:y1, x0:x1] = True
    seal_ink = image[sealed & ~boxes]
    seal_ink = seal_ink[seal_ink < GREY_LEVEL]
    if printed is None or seal_ink.size < MIN_SEAL_PX:
        return INK_LEVEL
    seal = float(np.median(seal_ink))
    if seal >= INK_LEVEL + SEAL_MARGIN or seal - printed < SEAL_CONTRAST:
        return INK_LEVEL
    return round((printed + seal) / 2)


def print_level(image: np.ndarray, words: Sequence[Word], scale: float, sealed: np.ndarray) -> float | None:
    """The page's print ink: over its words away from seals, the median of each word's darker quarter of
    inked pixels; None with fewer than `MIN_WORDS` such words."""
    levels = []
    for word in words:
        x0, y0, x1, y1 = _pixels(image, word.bbox, scale)
        region = image[y0:y1, x0:x1]
        inked = region[region < GREY_LEVEL]
        if inked.size >= MIN_INK_PX and not sealed[y0:y1, x0:x1].any():
            levels.append(float(np.percentile(inked, 25)))
    return statistics.median(levels) if len(levels) >= MIN_WORDS else None


def lifted_level(printed: float | None) -> int:
    """The black level of a page whose seal ink was lifted out (a colour page: the seal's ghost whitened
    under its red mask, so what ink is left around a seal is print). A phone photo's print layer can be
    grey throughout ('2,620' at levels 130-190): `INK_LEVEL` then finds no black in a figure's first digits,
    and the ghost test trims them off as a seal's ('2,620' read 620) or drops the figure ('130', '33').
    The level is then the print's own, `PRINT_MARGIN` past its typical ink (at most halfway to paper's
    grey); a page printed black keeps `INK_LEVEL`."""
    if printed is None:
        return INK_LEVEL
    return max(INK_LEVEL, round(min(printed + PRINT_MARGIN, (printed + GREY_LEVEL) / 2)))


def _fit(widths: Sequence[float], room: float) -> int:
    """How many characters from the start fit in `room` CJK characters' width."""
    total, count = 0.0, 0
    for width in widths:
        total += width
        if total > room:
            break
        count += 1
    return count


@dataclass(frozen=True)
class InkTest:
    """The page's print layer, where seals lie on it, and how black and how wide its words typically are."""

    image: np.ndarray
    scale: float
    sealed: np.ndarray  # bool, page pixels: under or around a seal (only there can a word be seal text)
    dark: float  # median share of black pixels in a word's box
    black: float  # median share of a word's inked pixels that are black
    pitch: float  # median width of a CJK character in the page's words (points)
    level: int = INK_LEVEL  # pixels darker than this are print (see `black_level`)
    height: float = 0.0  # median height of the page's OCR words (points); 0: not known

    @staticmethod
    def of(words: Sequence[Word], image: np.ndarray | None, scale: float,
           sealed: np.ndarray | None, lifted: bool = False) -> InkTest | None:
        """The test for a page, or None (no image, no seal, too few OCR words, words with no black ink).
        `lifted`: the seal's ink was lifted out of `image` (its ghost whitened, `without_seal_ghost`)."""
        if image is None or not scale or sealed is None or sealed.shape[:2] != image.shape[:2] or not sealed.any():
            return None
        ocr = [word for word in words if word.source == "ocr" and word.text.strip()]
        pitches = [(word.bbox[2] - word.bbox[0]) / sum(char_width(char) for char in word.text)
                   for word in ocr if len(word.text) >= 2]
        printed = print_level(image, words, scale, sealed)
        level = _between_print_and_seal(image, words, scale, sealed, printed)
        if lifted and level == INK_LEVEL:
            level = lifted_level(printed)
        counts = [_counts(image, word.bbox, scale, level) for word in ocr]
        darks = [black / size for black, grey, size in counts if size and grey]
        blacks = [black / grey for black, grey, size in counts if size and grey]
        if len(darks) < MIN_WORDS or statistics.median(darks) <= 0 or not pitches:
            return None
        return InkTest(image, scale, sealed, statistics.median(darks), statistics.median(blacks),
                       statistics.median(pitches), level, statistics.median(w.bbox[3] - w.bbox[1] for w in ocr))

    def _under_seal(self, box: Box) -> bool:
        x0, y0, x1, y1 = _pixels(self.image, box, self.scale)
        region = self.sealed[y0:y1, x0:x1]
        return bool(region.size) and float(region.mean()) >= UNDER_SEAL

    def _touches_seal(self, box: Box) -> bool:
        x0, y0, x1, y1 = _pixels(self.image, box, self.scale)
        return bool(self.sealed[y0:y1, x0:x1].any())

    def printed(self, box: Box) -> bool:
        """The box holds print: enough black ink, and black for its grey like the page's words."""
        black, grey, size = _counts(self.image, box, self.scale, self.level)
        if not size or not grey:
            return False
        return black / size >= GHOST_DARK * self.dark and black / grey >= GHOST_BLACK * self.black

    def trim(self, word: Word) -> Word | None:
        """The word without the characters read off a seal's ghost at one of its ends; None when it holds no print.

        The word's black ink (rules left out) spans part of its box; where at least a
        character's width of the box at one end holds none, as many characters as the
        inked span holds at the page's character pitch are kept from the other end.
        """
        columns = self._ink_columns(word.bbox)
        if columns is None:
            return None
        first, last = columns
        x0, top, x1, bottom = word.bbox
        text = word.text
        widths = [char_width(char) for char in text]
        room = (last - first) / self.pitch + 0.5  # CJK characters' worth of inked span, with slack
        if x1 - last >= self.pitch and first - x0 < 0.5 * self.pitch:
            keep = _fit(widths, room)
            return replace(word, text=text[:keep], bbox=(x0, top, last, bottom)) if keep else None
        if first - x0 >= self.pitch and x1 - last < 0.5 * self.pitch:
            keep = _fit(widths[::-1], room)
            return replace(word, text=text[len(text) - keep:], bbox=(first, top, x1, bottom)) if keep else None
        return word

    def _ink_columns(self, box: Box) -> tuple[float, float] | None:
        """The first and last x (points) of the box's black ink, rules left out; None when it has none."""
        x0, y0, x1, y1 = _pixels(self.image, box, self.scale)
        black = self.image[y0:y1, x0:x1] < self.level
        if not black.size:
            return None
        black &= ~_rule_pixels(self.image, x0, y0, x1, y1, self.level)
        inked = np.flatnonzero(black.any(axis=0))
        if inked.size == 0 or int(black.sum()) < MIN_INK_PX:
            return None
        return (x0 + int(inked[0])) / self.scale, (x0 + int(inked[-1]) + 1) / self.scale

    def keep(self, words: Sequence[Word]) -> list[Word]:
        """Words (page frame) without seal text: ghost words dropped, ghost characters trimmed off their ends.

        Only words reaching into a seal are looked at: print elsewhere may be grey (a light
        header) without being a seal's.
        """
        kept: list[Word] = []
        doubted: list[tuple[int, Word]] = []
        for word in words:
            if word.source != "ocr" or not word.text.strip() or not self._touches_seal(word.bbox):
                kept.append(word)
                continue
            if self.seal_lettering(word, words):
                continue
            # Judged after trimming: a cell's word with a seal's characters glued on is print once they are off.
            trimmed = self.trim(word)
            if trimmed is not None and (self.printed(trimmed.bbox) or not self._under_seal(trimmed.bbox)):
                kept.append(trimmed)
            elif trimmed is not None:
                doubted.append((len(kept), trimmed))
        # A word that carries on a line of print is print when it is black enough: the seal's ink under it
        # lowers its black for its grey, not its black.
        print_words = list(kept)
        for position, word in reversed(doubted):
            if written_figure(word.text):
                kept.insert(position, word)  # a seal's lettering is a name and a code, never a written figure
            elif self.continues_print(word, print_words):
                stripped = self.strip_ghost_ends(word)
                if stripped is not None:
                    kept.insert(position, stripped)
        return kept

    def seal_lettering(self, word: Word, words: Sequence[Word]) -> bool:
        """A word of one to `LETTERING_CHARS` Chinese characters under a seal, its box `LETTERING_SIZE` times
        as tall as the print beside it or taller and its characters as many times as wide as the page's:
        characters of the seal's ring, which are larger than print and stand turned along it, so the reader's
        box round them grows both ways ('能', '智', '制族' beside a list's cells on a drawn grey scan, where the
        ring's ink is as black as print and the ink tests keep them). The print beside it is the words clear of
        seals whose middles lie level with the word (its line); without any, the page's words. Print under a
        seal keeps its pitch, however much the seal's ink enlarges its box's height (dev30 a03: '西南交通大学'
        read '博南' in a box half again as tall as its line, the row's only text)."""
        text = "".join(word.text.split())
        if not self.height or not 0 < len(text) <= LETTERING_CHARS or not all(_is_cjk(char) for char in text) \
                or not self._under_seal(word.bbox):
            return False
        level = [other.bbox[3] - other.bbox[1] for other in words
                 if other is not word and other.source == "ocr" and other.text.strip()
                 and word.bbox[1] <= (other.bbox[1] + other.bbox[3]) / 2 <= word.bbox[3]
                 and not self._touches_seal(other.bbox)]
        height = statistics.median(level) if level else self.height
        pitch = (word.bbox[2] - word.bbox[0]) / len(text)
        return word.bbox[3] - word.bbox[1] >= LETTERING_SIZE * height and pitch >= LETTERING_SIZE * self.pitch

    def strip_ghost_ends(self, word: Word) -> Word | None:
        """The word without Chinese characters at its ends whose share of the box holds almost no black
        ink (`GHOST_CHAR_DARK` of the page's typical): a seal's character read with the print before it."""
        boxes = char_boxes(word)
        faint = [_is_cjk(char) and self._dark(box) < GHOST_CHAR_DARK * self.dark
                 for char, box in zip(word.text, boxes, strict=True)]
        start, end = 0, len(word.text)
        while start < end and faint[start]:
            start += 1
        while end > start and faint[end - 1]:
            end -= 1
        if start == end:
            return None
        if (start, end) == (0, len(word.text)):
            return word
        return replace(word, text=word.text[start:end], bbox=(boxes[start][0], word.bbox[1], boxes[end - 1][2], word.bbox[3]))

    def _dark(self, box: Box) -> float:
        black, _grey, size = _counts(self.image, box, self.scale, self.level)
        return black / size if size else 0.0

    def continues_print(self, word: Word, others: Sequence[Word]) -> bool:
        """The word stands on a line of print (a word beside it, within a character's pitch, of about its
        height and on its line) and holds at least `CONTINUE_DARK` of the page's typical black ink."""
        if self._dark(word.bbox) < CONTINUE_DARK * self.dark:
            return False
        return any(_beside(word.bbox, other.bbox, self.pitch) for other in others if other.text.strip())


# A figure as a form's cell writes it: digits with a separator, a decimal point or a unit ('2,091.4万元',
# '36.6%', '2025-03-01', '2025年3月1日'). A seal carries its unit's name and a plain run of code digits, never one of these.
_WRITTEN_FIGURE = re.compile(r"[\d][\d,.，．\-/]*(?:[,.，．\-/%]|万元|万|元|人次|家|年|月|日)[\d,.，．\-/%万元人次家年月日]*")


def written_figure(text: str) -> bool:
    """`text` is a written figure: an amount, a share, a count with its unit or a date, not seal lettering."""
    return _WRITTEN_FIGURE.fullmatch("".join(text.split())) is not None


def _is_cjk(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff"


def _beside(box: Box, other: Box, pitch: float) -> bool:
    """Two boxes on one text line, end to end within `BESIDE_GAP` pitches, of about one height."""
    height, other_height = box[3] - box[1], other[3] - other[1]
    if height <= 0 or other_height <= 0 or not LINE_HEIGHTS[0] <= height / other_height <= LINE_HEIGHTS[1]:
        return False
    overlap = min(box[3], other[3]) - max(box[1], other[1])
    gap = max(other[0] - box[2], box[0] - other[2])
    return overlap >= LINE_OVERLAP * min(height, other_height) and gap <= BESIDE_GAP * pitch


def page_black_level(words: Sequence[Word], image: np.ndarray, seal_mask: np.ndarray | None, page: Page) -> int:
    """The grey below which the print layer `image` is ink, for readers of its crops: on a page whose seal ink
    was lifted out (`seal_mask`) the print's own level where it is faint (`lifted_level`), else `INK_LEVEL`."""
    if seal_mask is None or seal_mask.shape[:2] != image.shape[:2] or not seal_mask.any():
        return INK_LEVEL
    sealed = seal_area(seal_mask, image, page)
    return INK_LEVEL if sealed is None else lifted_level(print_level(image, words, page.scale, sealed))


def drop_ghosts(words: Sequence[Word], test: InkTest | None) -> list[Word]:
    return list(words) if test is None else test.keep(words)


def without_seal_ghost(image: np.ndarray, seal_mask: np.ndarray | None, scale: float) -> np.ndarray:
    """The print layer with the seal's grey ghost whitened (black print under the seal kept)."""
    if seal_mask is None or seal_mask.shape[:2] != image.shape[:2] or not seal_mask.any():
        return image
    grow = 2 * max(1, round(SEAL_GROW_PT * scale)) + 1
    under = cv2.dilate((seal_mask > 0).astype(np.uint8), np.ones((grow, grow), np.uint8)) > 0
    clean = image.copy()
    clean[under & (image >= GHOST_LEVEL)] = 255
    return clean


def seal_area(page_seal_mask: np.ndarray | None, grey: np.ndarray, page: Page) -> np.ndarray | None:
    """Where seals lie on the page (bool, page pixels): the red mask grown, or on a grey scan the
    seals the seal detector finds there (once per page, shared with the seal stage), filled; None
    without any."""
    scale = page.dpi / 72.0
    if page_seal_mask is not None and page_seal_mask.shape[:2] == grey.shape[:2] and page_seal_mask.any():
        grow = 2 * max(1, round(SEAL_AREA_PT * scale)) + 1
        return cv2.dilate((page_seal_mask > 0).astype(np.uint8), np.ones((grow, grow), np.uint8)) > 0
    try:
        found = page_candidates(page)
    except (cv2.error, ValueError, OSError) as error:  # the seal stage meets it again and reports it
        log.warning("page %s: seal detection for the tables failed (%s: %s); seal text stays in cells",
                    page.number, type(error).__name__, error)
        return None
    if not found:
        return None
    area = np.zeros(grey.shape[:2], np.uint8)
    for candidate in found:
        points = candidate.outline.points(1.05).round().astype(np.int32)
        cv2.fillPoly(area, [points], 1)
    return area > 0
