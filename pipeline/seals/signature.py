"""Is the legal representative's signature there, beside 法定代表人（签名：） on the commitment page?

What is in the signing space once the printed label, ruled lines and seal ink
are taken out is the handwriting, if any. Handwriting is then told from print
left behind (a label the OCR missed, a sliver of a glyph) by how it looks: pen
blue, characters much larger than the print, strokes running above or below
the printed line. On a text-layer page a pasted signature image counts.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from models.page import Box, EmbeddedImage, Page
from pipeline.components import components
from pipeline.seals.anchors import Anchor, char_box, char_pitch, find_anchors
from pipeline.seals.detect import ring_tone
from pipeline.seals.geometry import Outline
from pipeline.seals.ink import blue_fraction, is_grey, is_one_bit, load_colour, pen_mask, red_mask

LABELS = ("法定代表人", "法人代表")
# Not 签字: the form's note (联合体涉及所有单位均需盖章并签字) has it on a line of its own.
FALLBACK_LABELS = ("代表人", "签名")
# Characters of the printed form around the signing space: blanked (in OCR
# words) before looking for handwriting. No digits: OCR reads signatures as them.
PRINT_CHARS = frozenset("法定代表人签名字章（）()：:盖单位申报日期年月负责人—_-.、，。 ")
MM = 72.0 / 25.4
# The signing space: from the end of 法定代表人 this far right, this many label heights up and down.
SPACE_WIDTH_PT = 80 * MM
SPACE_HALF_HEIGHT = 2.2
# Handwriting evidence thresholds, in label heights (h) and h².
MIN_INK = 0.2
MIN_BLUE_INK = 0.08
BIG_BLOB = 1.35
OUTSIDE_LINE = 0.25


@dataclass(frozen=True)
class SignatureFinding:
    present: bool
    page: int
    box: Box  # points: the signing space looked at (or the pasted image)
    confidence: float
    image: np.ndarray | None = None  # colour crop of `box` for the evidence file


def find_signature(pages: Sequence[Page], seals: dict[int, list[Outline]],
                   load: Callable[[Page], np.ndarray | None] = lambda p: None,
                   seal_pictures: frozenset[tuple[int, Box]] = frozenset()) -> SignatureFinding | None:
    """The signature verdict from the commitment page(s); None when there is no commitment page.

    `seals` are the seal outlines found per page (page pixels), so seal ink over
    the signing space is not mistaken for pen ink on grey scans; `load` gives a
    page's image (BGR), shared with the seal detection; `seal_pictures` the
    (page, box) of embedded pictures already found to be seals, which are
    never taken for a pasted signature (rendered as shown, they carry the
    print under them).
    """
    findings = [_on_page(page, seals.get(page.number, []), load, seal_pictures)
                for page in pages if page.role == "commitment"]
    if not findings:
        return None
    signed = [f for f in findings if f.present]
    return max(signed or findings, key=lambda f: f.confidence)


def signing_space(page: Page) -> tuple[Box, Anchor | None]:
    """The box (points) where the lead's legal representative signs, and the label it hangs off.

    With a consortium several units sign; the lead's label is the first in
    reading order. A signature written over the label often garbles its OCR;
    then the label is the line under 申报单位（加盖公章）, which the form
    always puts right above it.
    """
    anchor = _label(page)
    if anchor is None:
        # Label unreadable and nothing to place it by: the signing lines are in the lower half.
        return (0.08 * page.width, 0.5 * page.height, 0.92 * page.width, 0.92 * page.height), None
    # The print's size, not the label's box: OCR boxes swell with the handwriting run into them.
    h = min(max(char_pitch(page.words) or anchor.height, 8.0), 24.0)
    cy = anchor.centre[1]
    x0 = anchor.box[2]
    x1 = min(page.width - 18.0, x0 + SPACE_WIDTH_PT)
    return (x0, cy - SPACE_HALF_HEIGHT * h, x1, cy + SPACE_HALF_HEIGHT * h), anchor


def _label(page: Page) -> Anchor | None:
    anchors = find_anchors(page.words, LABELS) or find_anchors(page.words, FALLBACK_LABELS)
    if anchors:
        return anchors[0]
    # 申报单位（加盖公章）: the seal often hides its tail, so any short line starting with 申报单位 will do,
    # preferring one whose 盖章 survived; body text mentioning 申报单位 runs the full line width.
    lines = [a for a in find_anchors(page.words, ("申报单位",))
             if "成员" not in a.word.text and len("".join(a.word.text.split())) <= 24]
    if not lines:
        return None
    above = next((a for a in lines if "章" in a.word.text), lines[-1])
    # Boxes of words with a seal or signature over them are inflated; the print's pitch is not.
    h = char_pitch(page.words) or above.height
    below = sorted((w for w in page.words
                    if above.box[3] + 0.3 * h < w.bbox[1] < above.box[3] + 5 * h
                    and abs(w.bbox[0] - above.box[0]) < 4 * h),
                   key=lambda w: w.bbox[1])
    if below:
        # The garbled word starts where 法定代表人 does: the label is five characters from there.
        word = below[0]
        top = min((word.bbox[1] + word.bbox[3]) / 2 - h / 2, word.bbox[1] + 0.2 * h)
        return Anchor("法定代表人", (word.bbox[0], top, word.bbox[0] + 5 * h, top + h), word)
    # Nothing read on the next line at all: place the label one line below, where the form has it.
    top = above.box[3] + 1.5 * h
    return Anchor("法定代表人", (above.box[0], top, above.box[0] + 5 * h, top + h), above.word)


def _on_page(page: Page, seals: list[Outline], load: Callable[[Page], np.ndarray | None],
             seal_pictures: frozenset[tuple[int, Box]]) -> SignatureFinding:
    space, anchor = signing_space(page)
    pictures = [image for image in page.images if (page.number, image.bbox) not in seal_pictures]
    pasted = _pasted_image(page.number, pictures, space)
    if pasted is not None:
        return pasted
    if page.image_path is None or page.scale <= 0:
        # A text-layer page with no picture in the signing space: nothing was signed there.
        return SignatureFinding(False, page.number, space, 0.8 if page.kind == "text" else 0.3)
    bgr = load(page)
    if bgr is None:
        return SignatureFinding(False, page.number, space, 0.0)
    x0, y0, x1, y1 = (round(v * page.scale) for v in space)
    x0, y0 = max(0, x0), max(0, y0)
    x1, y1 = min(bgr.shape[1], x1), min(bgr.shape[0], y1)
    crop = bgr[y0:y1, x0:x1]
    if crop.size == 0:
        return SignatureFinding(False, page.number, space, 0.0)
    h_px = (char_pitch(page.words) or (anchor.height if anchor else 12.0)) * page.scale
    ink = _handwriting_candidates(page, bgr, (x0, y0, x1, y1), seals)
    present, confidence = judge(crop, ink, h_px, anchor_cy_px=(anchor.centre[1] * page.scale - y0) if anchor else None)
    if anchor is None:
        confidence *= 0.6
    return SignatureFinding(present, page.number, space, confidence, crop.copy())


def _pasted_image(number: int, pictures: list[EmbeddedImage], space: Box) -> SignatureFinding | None:
    """A non-red picture overlapping the signing space (an electronic signature)."""
    for image in pictures:
        if _overlap(image.bbox, space) <= 0.2 * _area(image.bbox):
            continue
        pixels = _image_pixels(image)
        if pixels is None:
            # Unreadable picture in the signing space: most likely the signature, but say so.
            return SignatureFinding(True, number, image.bbox, 0.5)
        ink = pen_mask(pixels, red_mask(pixels))
        if np.count_nonzero(ink) > 0.005 * ink.size:
            return SignatureFinding(True, number, image.bbox, 0.9, pixels)
    return None


def _image_pixels(image: EmbeddedImage) -> np.ndarray | None:
    return load_colour(image.path) if image.path is not None and Path(image.path).exists() else None


def _handwriting_candidates(page: Page, bgr: np.ndarray, box: tuple[int, int, int, int],
                            seals: list[Outline]) -> np.ndarray:
    """Pen-ink mask of the signing space with print, rules and seal ink removed."""
    x0, y0, x1, y1 = box
    crop = bgr[y0:y1, x0:x1]
    grey_page = is_grey(crop)
    ink = pen_mask(crop, None if grey_page else red_mask(crop))
    if grey_page:
        _drop_grey_seal_ink(crop, ink, [s.scaled(1.0, -x0, -y0) for s in seals],
                            lambda index: _letters_faded(page, bgr, seals[index], box))
    _blank_print(page, ink, (x0, y0))
    ink = _drop_rules(ink)
    if grey_page:
        _drop_ring_arcs(ink, [s.scaled(1.0, -x0, -y0) for s in seals])
    return ink


def _drop_grey_seal_ink(crop: np.ndarray, ink: np.ndarray, seals: list[Outline],
                        faded: Callable[[int], bool]) -> None:
    """In a grey scan red seal ink is mid-grey: inside a seal keep only ink clearly darker than the seal's.

    The seal's tone is the median ink level on its ring (`detect.ring_tone`: nothing but seal ink runs
    along it), or, where the signing space holds too little of the ring, inside its outline; pen and print
    are near black. Inside the outline a black signature over the seal would set the tone itself, and the
    seal would pass for one as dark as print. Where the two cannot be told apart by tone (a very dark seal,
    a 1-bit page) the seal's area is dropped whole: a missed signature under a seal is better than a seal
    taken for a signature. Only a seal whose lettering has faded away (`faded(i)` for `seals[i]`, judged
    outside the signing space, and asked only of a seal tone cannot tell from the pen) leaves nothing of
    its own there but its ring and star, and only they are dropped.
    """
    if not seals:
        return
    grey = cv2.cvtColor(crop, cv2.COLOR_BGR2GRAY)
    one_bit = is_one_bit(grey)
    for index, seal in enumerate(seals):
        inside = np.zeros(ink.shape, np.uint8)
        cv2.fillPoly(inside, [seal.points(1.06, 96).round().astype(np.int32)], 255)
        region = (inside > 0) & (ink > 0)
        if not region.any():
            continue
        tone = _ring_level(grey, ink, seal, one_bit) if _ring_in_view(ink.shape, seal) else float(np.median(grey[region]))
        black = float(np.percentile(grey[ink > 0], 3))
        if tone - black < 30 and faded(index):
            ink[_ring_and_star(ink.shape, seal)] = 0
            continue
        limit = (tone + black) / 2 if tone - black >= 30 else -1.0
        dark = ((inside > 0) & (ink > 0) & (grey <= limit)).astype(np.uint8)
        # A pen stroke's lighter edge belongs to its dark core: only ink away from any core is the seal's.
        near_dark = cv2.dilate(dark, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (STROKE_EDGE, STROKE_EDGE))) > 0
        ink[(inside > 0) & (grey > limit) & ~near_dark] = 0


def _drop_ring_arcs(ink: np.ndarray, seals: list[Outline]) -> None:
    """Drop pieces of ink lying along a seal's ring (`RING_BAND`): on a grey page the ring's dark edge can be as
    dark as a pen and pass the tone test, and its lower arc, crossing the signing line, was taken for a signature
    (dev41 a10, dev42 a10: an unsigned commitment read as signed). A signature crossing the ring runs off the band
    and is kept whole; only a piece `RING_ARC_SHARE` of whose ink is on the band is the ring's."""
    if not seals:
        return
    band = np.zeros(ink.shape, bool)
    for seal in seals:
        band |= _annulus(ink.shape, seal, RING_BAND)
    count, labels, _ = components(ink, 8)
    if count <= 1:
        return
    on_band = np.bincount(labels[band & (ink > 0)], minlength=count)
    total = np.bincount(labels[ink > 0], minlength=count)
    arcs = on_band >= RING_ARC_SHARE * np.maximum(total, 1)
    arcs[0] = False
    ink[arcs[labels]] = 0


def _ring_level(grey: np.ndarray, ink: np.ndarray, seal: Outline, one_bit: bool) -> float:
    """The seal's tone on its ring in view: the pen mask's pixels on it (`detect.ring_tone`), unless the mask
    holds little of the ring (under `RING_PEN_SHARE` of its points) on a grey page. The ring is then lighter
    than the mask's cut, and what the mask holds on it is other ink crossing it (a signature written over the
    ring, dev15 a01: its strokes set the tone and the seal passed for one as dark as the pen). Its tone is
    then the ring's own ink, every point of it darker than the paper. A 1-bit page's ring is dots: no share
    of them says the ring is light."""
    tone = ring_tone(grey, ink, seal)
    points = np.concatenate([seal.points(float(scale)).round().astype(int) for scale in np.linspace(0.93, 1.0, 4)])
    seen = ((points[:, 0] >= 0) & (points[:, 0] < grey.shape[1]) & (points[:, 1] >= 0) & (points[:, 1] < grey.shape[0]))
    points = points[seen]
    if one_bit or not len(points) or np.mean(ink[points[:, 1], points[:, 0]] > 0) >= RING_PEN_SHARE:
        return tone
    levels = grey[points[:, 1], points[:, 0]]
    inked = levels[levels < float(np.percentile(grey, 90)) - PAPER_MARGIN]
    return float(np.median(inked)) if inked.size else tone


def _letters_faded(page: Page, bgr: np.ndarray, seal: Outline, space: tuple[int, int, int, int]) -> bool:
    """Whether the seal's lettering is gone while its ring is there (a faded seal on a 1-bit page).

    Judged outside the signing space and the page's print (OCR words, grown a little): the ink in the
    lettering's band (`LETTER_BAND` of the outline), but for the ring's own ink straying into it (`_off_ring`),
    is under `FADED_LETTERS` of the ink on the ring (`RING_BAND`), and the ring holds ink enough to be a seal
    seen (`MIN_RING_INK` per pixel of its length).
    """
    x0, y0 = max(0, round(seal.cx - 1.2 * seal.a)), max(0, round(seal.cy - 1.2 * seal.a))
    patch = bgr[y0 : round(seal.cy + 1.2 * seal.a) + 1, x0 : round(seal.cx + 1.2 * seal.a) + 1]
    if patch.size == 0:
        return False
    local = seal.scaled(1.0, -x0, -y0)
    seen = pen_mask(patch, None) > 0
    sx0, sy0, sx1, sy1 = space
    seen[max(0, sy0 - y0) : max(0, sy1 - y0), max(0, sx0 - x0) : max(0, sx1 - x0)] = False
    for word in page.words:
        wx0, wy0, wx1, wy1 = (round(v * page.scale) for v in word.bbox)
        seen[max(0, wy0 - y0 - 2) : max(0, wy1 - y0 + 2), max(0, wx0 - x0 - 2) : max(0, wx1 - x0 + 2)] = False
    ring = np.count_nonzero(seen & _annulus(seen.shape, local, RING_BAND))
    letters = np.count_nonzero(_off_ring(seen, local) & _annulus(seen.shape, local, LETTER_BAND))
    return bool(ring >= MIN_RING_INK * 2 * np.pi * seal.a and letters < FADED_LETTERS * ring)


def _off_ring(seen: np.ndarray, seal: Outline) -> np.ndarray:
    """The ink of `seen` (bool) not joined to the seal's ring: the ring is one loop of ink, and where the
    outline sits a little off it (a few per cent of its radius: dev33 a07-word-fax's commitment seal) the
    ring's arc strays into the lettering's band; it is still the ring, joined to the rest of it. The ring's
    pieces are those holding a good share (`RING_PIECE`) of the ink on the ring's band: a character touching
    the band holds a sliver of it."""
    count, labels, _ = components(seen.astype(np.uint8) * 255, 8)
    on_band = np.bincount(labels[seen & _annulus(seen.shape, seal, RING_BAND)], minlength=count)
    on_ring = on_band >= RING_PIECE * max(1, int(on_band[1:].sum()))
    on_ring[0] = False
    return seen & ~on_ring[labels]


def _ring_and_star(shape: tuple[int, ...], seal: Outline) -> np.ndarray:
    """The pixels of the seal's ring (`RING_BAND`) and star (within `STAR_REACH` of its centre)."""
    star = np.zeros(shape[:2], np.uint8)
    cv2.fillPoly(star, [seal.points(STAR_REACH, 96).round().astype(np.int32)], 255)
    return _annulus(shape, seal, RING_BAND) | (star > 0)


def _annulus(shape: tuple[int, ...], seal: Outline, band: tuple[float, float]) -> np.ndarray:
    mask = np.zeros(shape[:2], np.uint8)
    cv2.fillPoly(mask, [seal.points(band[1], 96).round().astype(np.int32)], 255)
    cv2.fillPoly(mask, [seal.points(band[0], 96).round().astype(np.int32)], 0)
    return mask > 0


# A seal's ring and its lettering, as shares of its outline (the outline follows the ring).
RING_BAND = (0.88, 1.1)
LETTER_BAND = (0.5, 0.86)
# The ring's ink seen (pixels per pixel of ring length, a stroke ~3 px wide at 150 dpi): a seal seen at all.
MIN_RING_INK = 0.5
# Lettering faded: its band holds under this share of the ring's ink (a seal's name in print holds more).
FADED_LETTERS = 0.25
# A piece of ink holding this share of the ink on a seal's ring band is the ring's (`_off_ring`).
RING_PIECE = 0.1
# A piece of ink with this share of its pixels on a seal's ring band is an arc of the ring (`_drop_ring_arcs`).
RING_ARC_SHARE = 0.9
# The star's reach from the seal's centre (of its outline).
STAR_REACH = 0.4
# Pixels (a 5 px disc) around a stroke's dark core that are still the stroke, however light: its edge.
STROKE_EDGE = 5
# The share of a seal's ring the signing space must hold for the ring's tone to be the seal's.
RING_IN_VIEW = 0.25
# Of a seal's ring points in view: with fewer of them in the pen mask, the ring is lighter than pen ink.
RING_PEN_SHARE = 0.3
PAPER_MARGIN = 25  # grey levels under the paper's where a ring's point holds ink


def _ring_in_view(shape: tuple[int, ...], seal: Outline) -> bool:
    points = seal.points(0.97)
    inside = (points[:, 0] >= 0) & (points[:, 0] < shape[1]) & (points[:, 1] >= 0) & (points[:, 1] < shape[0])
    return bool(inside.mean() >= RING_IN_VIEW)


def _blank_print(page: Page, ink: np.ndarray, offset: tuple[int, int]) -> None:
    """Blank printed characters: every character of a text-layer word; of OCR words only the form's
    own characters, because OCR runs a label into the signature beside it (法定代表人(签名：张伟)),
    and the signature, read as characters or not, must stay."""
    grow = 0.12
    pitch = char_pitch(page.words)
    cap = 1.15 * pitch if pitch else None
    for word in page.words:
        text = "".join(word.text.split())
        for i, char in enumerate(text):
            if word.source != "text" and char not in PRINT_CHARS:
                continue
            bx0, by0, bx1, by1 = char_box(word, i, i + 1, cap)
            pad = grow * (by1 - by0)
            left = round((bx0 - pad) * page.scale) - offset[0]
            top = round((by0 - pad) * page.scale) - offset[1]
            right = round((bx1 + pad) * page.scale) - offset[0]
            bottom = round((by1 + pad) * page.scale) - offset[1]
            if right <= 0 or bottom <= 0 or left >= ink.shape[1] or top >= ink.shape[0]:
                continue
            ink[max(0, top) : max(0, bottom), max(0, left) : max(0, right)] = 0


def _drop_rules(ink: np.ndarray) -> np.ndarray:
    """Remove ruled lines (the signing line, table rules): long straight runs of ink."""
    h, w = ink.shape
    out = ink.copy()
    for size in ((1, max(15, w // 6)), (max(15, h // 2), 1)):
        if size[0] > h or size[1] > w:
            continue
        kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (size[1], size[0]))
        lines = cv2.morphologyEx(ink, cv2.MORPH_OPEN, kernel)
        out[cv2.dilate(lines, np.ones((3, 3), np.uint8)) > 0] = 0
    return out


def judge(crop: np.ndarray, ink: np.ndarray, h_px: float, anchor_cy_px: float | None) -> tuple[bool, float]:
    """Whether the remaining ink is handwriting, with a confidence.

    Print left behind is small glyphs on the label's line; a signature is
    either pen blue, or written larger than the print, or runs off the line.
    """
    h_px = max(h_px, 6.0)
    # Specks and glyph slivers smaller than a stroke's worth are not evidence.
    count, labels, stats = components(ink, 8)
    keep = np.zeros(count, bool)
    keep[1:] = stats[1:, cv2.CC_STAT_AREA] >= max(6, (0.08 * h_px) ** 2 * 4)
    clean = (keep[labels]).astype(np.uint8) * 255
    area = np.count_nonzero(clean) / h_px**2
    if area < MIN_BLUE_INK:
        return False, _certainty(MIN_BLUE_INK - area, MIN_BLUE_INK)
    blue = blue_fraction(crop, clean) if crop.ndim == 3 else 0.0
    # Characters, not strokes: join strokes closer than a stroke gap, then size the blobs.
    reach = max(3, round(0.18 * h_px)) | 1
    blobs = cv2.dilate(clean, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (reach, reach)))
    n, _, blob_stats = components(blobs, 8)
    largest = max((max(blob_stats[i, cv2.CC_STAT_WIDTH], blob_stats[i, cv2.CC_STAT_HEIGHT]) - reach
                   for i in range(1, n)), default=0) / h_px
    off_line = _off_line_share(clean, anchor_cy_px, h_px)
    evidence = [
        blue >= 0.3 and area >= MIN_BLUE_INK,
        area >= MIN_INK and largest >= BIG_BLOB,
        area >= MIN_INK and off_line >= OUTSIDE_LINE,
    ]
    if any(evidence):
        strength = max(blue, min(1.0, largest / (2 * BIG_BLOB)), off_line, min(1.0, area / (4 * MIN_INK)))
        return True, round(0.6 + 0.4 * strength, 3)
    return False, round(0.55 + 0.4 * (1.0 - min(1.0, area / MIN_INK)) * 0.8, 3)


def _off_line_share(ink: np.ndarray, cy: float | None, h_px: float) -> float:
    """Share of the ink outside the printed line's band (handwriting rises above and drops below it)."""
    total = np.count_nonzero(ink)
    if cy is None or total == 0:
        return 0.0
    top, bottom = max(0, round(cy - 0.65 * h_px)), max(0, round(cy + 0.65 * h_px))
    return 1.0 - np.count_nonzero(ink[top:bottom]) / total


def _certainty(margin: float, scale: float) -> float:
    return round(0.6 + 0.4 * min(1.0, margin / max(scale, 1e-6)), 3)


def _overlap(a: Box, b: Box) -> float:
    return max(0.0, min(a[2], b[2]) - max(a[0], b[0])) * max(0.0, min(a[3], b[3]) - max(a[1], b[1]))


def _area(box: Box) -> float:
    return max(0.0, box[2] - box[0]) * max(0.0, box[3] - box[1])


__all__ = ["SignatureFinding", "find_signature", "judge", "signing_space"]
