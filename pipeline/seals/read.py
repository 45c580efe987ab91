"""Reading a detected seal's name: its ink separated from the page in several ways, each unrolled
and recognised, and the reading that names a known unit most clearly kept.

One separation does not suit every page. On a colour scan the seal's red can be taken from
the darkness of its strokes (sharp, but gated by the blurred red chroma) or from the chroma
alone (print under the seal has none). On a grey scan only the seal's tone tells it from
black print, and print's anti-aliased edges share that tone: how wide a margin round the
print to give up decides whether a faint seal over a line of text reads at all. A 1-bit
(dithered) scan has no tones until it is blurred. And a ring pushed out of round by print
crossing it (the detector fits an oval) unrolls into slanted, clipped characters.

So the seal is read from a short list of ink maps and outlines, cheapest and most often
right first, and the list stops as soon as one reading spots a unit of the package with a
clear score (`SURE_SPOT`); otherwise the best-spotted reading wins. The units' names decide
which hypothesis was right, not the sample: a wrong separation spots every name badly.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace

import cv2
import numpy as np

from pipeline.seals.detect import Candidate, ring_tone
from pipeline.seals.geometry import Outline, radial_profile, shifted_profiles, snap_oval
from pipeline.seals.ink import (
    MIN_RED_CHROMA,
    colour_seal_ink,
    dedither,
    dithered,
    grey_seal_ink,
    is_one_bit,
    paper_level,
    paper_tint,
    red_mask,
    red_strength,
)
from pipeline.seals.text import (
    MIN_SPOT_RATIO,
    SURE_SPOT,
    LineReader,
    Match,
    Reading,
    cjk,
    looks_like_name,
    spelt_as_stamped,
    whole_as_stamped,
)
from pipeline.seals.unwrap import BAND_INNER, unwrap

# The unrolled ring runs on this share past a full turn, so a name is whole in it wherever it starts.
WRAP = 0.7
# Margin given up round black print on grey pages (`ink.grey_seal_ink`): one pixel (anti-aliasing),
# then this much for a faint seal over print, whose strokes' blurred edges reach further.
WIDE_PRINT_MARGIN_MM = 0.45
# A refitted circle replaces the detected outline only when its ring is inked this much more completely.
REFIT_GAIN = 0.05
# Radii searched for the ring, as shares of the detected one: a detector that fitted the name's
# lettering instead of a broken ring is short by a character's height (~0.25).
REFIT_SCALES = (0.85, 1.3)
# Page cut out round a seal, as a share of its size on each side: room for a ring the detector missed.
PATCH_MARGIN = 0.2

# Straight runs of ink this long (share of the seal's smaller radius) are rules, not the seal's.
RULE_SPAN = 1.5
# Ink on a grey page: this much darker than its paper.
INK_BELOW_PAPER = 40
# A seal whose ring is this dark on a grey page is black to the capture, as its print is (`black_as_print`): the
# fax seals of dev13 a13 and dev34 a10 (ring tones 1-61 where the lettering survives) against 185-200 on grey scans.
BLACK_RING_TONE = 64
# Breaks in a black seal's strokes closed over this span (`black_ink`): a 3-pixel square at 150 dpi.
CLOSE_BREAKS_MM = 0.4
# A blurred colour seal's detail raised (`sharpened`): what differs from its blur over this span, this many times.
SHARPEN_MM = 0.3
SHARPEN_AMOUNT = 1.5
# A faint seal's lettering is lighter than its ring on a grey scan (thin strokes blur further into the paper than
# the ring's line, and the ring's tone is measured where it is darkest, `ring_tone`): the last grey map weighs ink
# by a tone this share of the way from the ring's tone to the paper.
LETTERING_TONE_SHARE = 0.4

# Where the unrolled band stops inside (share of the radius): the usual band holds names of any
# lettering size; the narrow one suits large lettering, which then fills the strip (the recogniser
# reads small characters in a tall strip badly) and leaves out a star or bottom line reaching in.
BANDS = (BAND_INNER, 0.6)

# Whose seal a reading is: among the package's units, or (True) among every organisation the
# document names (dozens of names to spot: asked once per seal, of its best reading).
Identify = Callable[[Reading, bool], Match | None]
# Whose seal a reading is where the seal stands in a slot only the lead stamps (`find._lead_slot_match`): asked of
# every reading of a seal that named no one, since the slots are known only once every seal is read.
InLeadSlot = Callable[[Reading], Match | None]


@dataclass(frozen=True)
class Hypothesis:
    """One way to read a seal: an ink map, the outline to unroll it by, and the band's inner edge."""

    ink: np.ndarray
    outline: Outline
    band_inner: float = BAND_INNER


@dataclass(frozen=True)
class SealText:
    """What a seal was read as and whose it is (both None when it could not be read)."""

    reading: Reading | None
    match: Match | None
    # Of a seal named no one: the reading of it that names the lead best were the seal in a slot only the lead
    # stamps (`InLeadSlot`), when one does; kept for the slots to settle (`find._lead_in_its_slot`).
    in_lead_slot: Reading | None = None


def read_seal(bgr: np.ndarray, grey: np.ndarray | None, cand: Candidate, reader: LineReader,
              identify: Identify, px_per_mm: float, lead_slot: InLeadSlot | None = None) -> SealText:
    """Read the seal `cand` (page pixels) of a colour page (`grey` None) or a grey one (`grey` its pixels); with
    `lead_slot`, an unnamed seal keeps the reading of it that names the lead best in a lead's slot."""
    if cand.shape == "unknown":
        return SealText(None, None)
    patch, outline, box = _patch(bgr, cand.outline)
    grey_patch = grey[box[1] : box[3], box[0] : box[2]] if grey is not None else None
    if outline.shape == "oval":
        outline = snap_to_ring(_ring_ink(patch, grey_patch), outline)
    if grey_patch is None:
        found = read_hypotheses(_hypotheses(_colour_inks(patch, outline), outline), reader, identify, lead_slot=lead_slot)
        if found.match is not None:
            return found
        # Named no one: a phone photo's blur may have run the lettering's strokes together (`sharpened`).
        sharp = sharpened(patch, px_per_mm)
        sharp_ink = colour_seal_ink(sharp, ring_tone(cv2.cvtColor(sharp, cv2.COLOR_BGR2GRAY), red_mask(sharp), outline))
        sharp_found = read_hypotheses(_hypotheses(iter([sharp_ink]), outline), reader, identify, lead_slot=lead_slot)
        return replace(_more_lettered(found, sharp_found),
                       in_lead_slot=_best_in_lead_slot([found.in_lead_slot, sharp_found.in_lead_slot], lead_slot))
    one_bit = is_one_bit(grey_patch) or dithered(grey_patch)
    inks = _grey_inks(grey_patch, outline, px_per_mm, one_bit)
    found = read_hypotheses(_hypotheses(inks, outline), reader, identify, first_map_decides=True, lead_slot=lead_slot)
    if not black_as_print(dedither(grey_patch, px_per_mm) if one_bit else grey_patch, outline):
        return found
    # Black as its print, the seal's lettering is told from the print under it by no tone: a reading naming no unit
    # of the package may be that print's (dev27 a06-word-drawn p14: a fax seal whose lettering was lost read as the
    # table's 大连理工大学 beneath it, then flagged as a foreign seal). Only a unit's name is taken, from any map.
    return _unit_named(found) or _unit_named(read_hypotheses(
        _hypotheses(iter([black_ink(grey_patch, outline, px_per_mm)]), outline), reader, identify)) \
        or SealText(None, None)


def sharpened(patch: np.ndarray, px_per_mm: float) -> np.ndarray:
    """`patch` with its detail over `SHARPEN_MM` raised by `SHARPEN_AMOUNT` (an unsharp mask).

    A phone photo blurs a seal's lettering (its lens, its shake, its JPEG) until the strokes of a character run
    together: on dev36 a01-word-phone-drawn the table stamps read as 'UNU', 'UNHKU', nothing. Raised back, the
    strokes part and the name spots (0.0005 -> 0.10 for the lead). Only a seal the plain maps named no one is
    read so (`_more_lettered`)."""
    level = patch.astype(np.float32)
    blurred = cv2.GaussianBlur(level, (0, 0), max(0.8, SHARPEN_MM * px_per_mm))
    return np.clip(level + SHARPEN_AMOUNT * (level - blurred), 0, 255).astype(np.uint8)


def black_as_print(grey: np.ndarray, outline: Outline) -> bool:
    """Whether a grey page's seal is as black as its print: its ring's tone (`ring_tone`) at most `BLACK_RING_TONE`
    in `grey` as the tone maps see it (a dither scan's dots blurred back into the seal's grey, `_grey_inks`).
    A fax's threshold turns red ink black (or white), and no tone then tells its lettering from print."""
    return ring_tone(grey, dark_ink(grey), outline) <= BLACK_RING_TONE


def black_ink(grey: np.ndarray, outline: Outline, px_per_mm: float) -> np.ndarray:
    """A black seal's ink (0/255): every dark pixel, print and all, its strokes' breaks closed, without rules.

    A fax's global threshold keeps a red seal's strokes black but broken wherever the stamp left them lighter
    (`samples.capture`: the ink's own texture); closing over `CLOSE_BREAKS_MM` joins the pieces of each stroke
    back into a character the recogniser knows, where the pieces alone read as marks. The print crossing the
    seal comes along: it bends into arcs once unrolled, and the reading is kept only where it names a unit."""
    dark = dark_ink(grey)
    size = max(3, 2 * round(CLOSE_BREAKS_MM * px_per_mm / 2) + 1)
    closed = cv2.morphologyEx(dark, cv2.MORPH_CLOSE, np.ones((size, size), np.uint8))
    return without_rules(closed, outline)


def _more_lettered(plain: SealText, sharp: SealText) -> SealText:
    """Of an unnamed seal's plain reading and its sharpened one (`sharpened`), the one naming someone, or else the one
    holding more characters: strokes parted read as characters, and the later steps spot the units in them
    (`find._lead_in_its_slot`), where the blurred strip read as marks ('UNHKU') spots none."""
    if sharp.match is not None or plain.reading is None:
        return sharp
    if sharp.reading is not None and len(cjk(sharp.reading.text)) > len(cjk(plain.reading.text)):
        return sharp
    return plain


def _unit_named(found: SealText) -> SealText | None:
    """`found` where it names a unit of the package (spotted, not a reading standing alone nor another
    organisation: a black map holds print, whose words no seal of the package bears)."""
    return found if found.match is not None and found.match.owner != "other" else None


def read_ink(ink: np.ndarray, outline: Outline, reader: LineReader, identify: Identify) -> SealText:
    """Read a seal from one given ink map (an electronic seal's picture: nothing to separate)."""
    return read_hypotheses(_hypotheses(iter([ink]), outline), reader, identify)


def read_hypotheses(hypotheses: Iterator[Hypothesis], reader: LineReader, identify: Identify,
                    first_map_decides: bool = False, lead_slot: InLeadSlot | None = None) -> SealText:
    """Read each hypothesis in turn until one spots a unit surely; the best of those read otherwise,
    and when none names a unit, the best reading spotted against every organisation in the document
    (and with `lead_slot`, the reading that names the lead best in a lead's slot, `_best_in_lead_slot`).

    With `first_map_decides` (a grey page's tone maps), a seal none of whose readings of the first ink map
    (each outline, each band) holds a character or spots a unit is not read in the other maps (`_unlettered`)."""
    tried: list[SealText] = []
    first_ink: np.ndarray | None = None
    for hypothesis in hypotheses:
        if first_ink is None:
            first_ink = hypothesis.ink
        elif first_map_decides and hypothesis.ink is not first_ink and _unlettered(tried):
            break
        reading = _read_one(hypothesis, reader)
        if reading is None:
            continue
        found = SealText(reading, identify(reading, False))
        if found.match is not None and found.match.score >= SURE_SPOT:
            return found
        tried.append(found)
    best = best_reading(tried)
    if best.match is None and best.reading is not None:
        named = _other_named(best.reading, tried, identify)
        return named if named.match is not None else \
            replace(named, in_lead_slot=_best_in_lead_slot([t.reading for t in tried], lead_slot))
    if best.match is not None and best.match.score < SURE_SPOT:
        return _clearly_another(tried, best, identify) or best
    return best


def _other_named(kept: Reading, tried: list[SealText], identify: Identify) -> SealText:
    """A seal that named no unit, as an organisation the document names: by its kept reading (`best_reading`), or
    failing that by its surest one, where that names one surely (`SURE_SPOT`).

    The kept reading is a later one shaped like a name where the first is not: dev44 a02-word-bw p7, a licence's
    black seal, kept '3生中商安A台官理厂' (ending in 厂, at 0.40) over '州市市场监督管理' (0.99, its 局 under the
    ring's join), which names 台州市市场监督管理局."""
    named = SealText(kept, _named_other(kept, identify(kept, True)))
    surest = max((t.reading for t in tried if t.reading is not None), key=lambda r: r.confidence, default=kept)
    if named.match is not None or surest is kept:
        return named
    match = identify(surest, True)
    return SealText(surest, _named_other(surest, match)) if match is not None and match.score >= SURE_SPOT else named


def _best_in_lead_slot(readings: list[Reading | None], lead_slot: InLeadSlot | None) -> Reading | None:
    """Of an unnamed seal's readings, the one `lead_slot` names the lead by best (None where none does).

    The reading a seal keeps is the one its separations agreed on best, not the one the lead's name fits best: on a
    grey scan's table page (dev44 a08-word-mixed p10) the kept strip '胜用有限司' spotted the lead at 0.012, under
    `MIN_SPOT`, while the wide map's '上国联民有限司' spotted it at 0.038, the recommender at 0.002 and no member
    clearly better; the seal's place, known only once every seal is read, decides between them."""
    if lead_slot is None:
        return None
    named = [(match.score, reading) for reading in readings
             if reading is not None and (match := lead_slot(reading)) is not None]
    return max(named, key=lambda each: each[0])[1] if named else None


def _unlettered(tried: list[SealText]) -> bool:
    """Whether a grey page's seal's readings so far (its first tone map's) hold no character and spot no unit:
    its lettering is not there for the recogniser (a fax's stipple, a seal too faint or too dark to tell from
    print), and the other tone maps, which give up more or less of the print round it, read no more of it.
    On the 30 documents of dev12 and dev13 with seals (387 seals, 1,001 strips read), the 34 seals whose first map read no
    character took 280 of the strips, and none read a name or spotted a unit in the other maps: their text
    was the first reading's all the same (`best_reading`). Not so on a colour page, whose first map is the
    red-gated darkness: a pale seal's thin strokes fail that gate and read in the red chroma alone (samples
    a09-mixed's recommender seal)."""
    return bool(tried) and all(t.match is None and t.reading is not None and not cjk(t.reading.text) for t in tried)


def _named_other(reading: Reading, match: Match | None) -> Match | None:
    """An organisation outside the package as its seal spells it (`spelt_as_stamped`, `whole_as_stamped`)."""
    if match is None or match.owner != "other":
        return match
    return whole_as_stamped(reading, spelt_as_stamped(reading, match))


def _clearly_another(tried: list[SealText], unsure: SealText, identify: Identify) -> SealText | None:
    """The seal as an organisation the document names, where its surest reading spots that name far better
    (`MIN_SPOT_RATIO`) than a poorer separation spotted a unit (`unsure`, under `SURE_SPOT`).

    A unit's spotting ends the list only when sure; otherwise any unit spotted beats an unmatched reading,
    and a member seal whose member the package's fields lost (not among the units) was claimed by the
    lead, spotted at 0.02 in a muddied hypothesis, though its first reading was its own name at 0.998.
    """
    clean = [t for t in tried if t.match is None and t.reading is not None and looks_like_name(t.reading.text)]
    surest = max(clean, key=lambda t: t.reading.confidence if t.reading else 0.0, default=None)
    if surest is None or surest.reading is None or unsure.match is None:
        return None
    other = identify(surest.reading, True)
    if other is None or other.owner != "other" or other.score < MIN_SPOT_RATIO * unsure.match.score:
        return None
    return SealText(surest.reading, _named_other(surest.reading, other))


def best_reading(tried: list[SealText]) -> SealText:
    """The reading that spots a unit best; failing that the first, unless a later one reads as a name
    and is surer (a separation that left the name whole)."""
    if not tried:
        return SealText(None, None)
    matched = [t for t in tried if t.match is not None]
    if matched:
        return max(matched, key=lambda t: t.match.score if t.match else 0.0)
    first = tried[0]
    named = [t for t in tried if t.reading is not None and looks_like_name(t.reading.text)]
    best = max(named, key=lambda t: t.reading.confidence if t.reading else 0.0, default=None)
    if best is not None and best.reading is not None and first.reading is not None \
            and (not looks_like_name(first.reading.text) or best.reading.confidence > first.reading.confidence):
        return best
    return first


def _read_one(hypothesis: Hypothesis, reader: LineReader) -> Reading | None:
    outline = hypothesis.outline
    local = seal_only(hypothesis.ink, outline)
    if outline.shape == "square":
        if hypothesis.band_inner != BAND_INNER:
            return None  # read flat: no band
        x0, y0, x1, y1 = (round(v) for v in outline.box())
        flat = local[max(0, y0) : y1, max(0, x0) : x1]
        return reader.read(255 - flat) if flat.size else None
    return reader.read(unwrap(local, outline, WRAP, hypothesis.band_inner), 1.0 / (1.0 + WRAP))


def seal_only(ink: np.ndarray, outline: Outline) -> np.ndarray:
    """The ink inside this seal's outline only, so a neighbouring seal's text is not read with it."""
    inside = np.zeros(ink.shape[:2], np.uint8)
    cv2.fillPoly(inside, [outline.points(1.04, 180).round().astype(np.int32)], 255)
    return cv2.bitwise_and(ink, inside)


def _patch(bgr: np.ndarray, outline: Outline) -> tuple[np.ndarray, Outline, tuple[int, int, int, int]]:
    """The page cut out round the seal (`PATCH_MARGIN` spare), the outline in the cut-out, and its box."""
    x0, y0, x1, y1 = outline.box()
    pad = PATCH_MARGIN * max(x1 - x0, y1 - y0)
    left, top = max(0, int(x0 - pad)), max(0, int(y0 - pad))
    right, bottom = min(bgr.shape[1], int(x1 + pad) + 1), min(bgr.shape[0], int(y1 + pad) + 1)
    return bgr[top:bottom, left:right], outline.scaled(1.0, -left, -top), (left, top, right, bottom)


def snap_to_ring(ring_ink: np.ndarray, outline: Outline) -> Outline:
    """The detected outline moved onto the ring `ring_ink` (0/255) shows, for unrolling the lettering by:
    an oval's five parameters leave its detector more room to be off than a circle's three (a circle
    pushed off its ring is refitted per ink map, `refit_circle`)."""
    if outline.shape == "oval":
        return snap_oval(ring_ink, outline)
    return outline


def _ring_ink(patch: np.ndarray, grey: np.ndarray | None) -> np.ndarray:
    """What a seal's ring may be drawn in round it (0/255): red on a colour page, any ink on a grey one
    (the seal's tone map gives up the ring wherever it is as dark as print)."""
    if grey is None:
        return red_mask(patch)
    return dark_ink(grey)


def dark_ink(grey: np.ndarray) -> np.ndarray:
    """Ink on a grey page (0/255): every pixel `INK_BELOW_PAPER` darker than its paper."""
    return (grey < paper_level(grey) - INK_BELOW_PAPER).astype(np.uint8) * 255


def _colour_inks(patch: np.ndarray, outline: Outline) -> Iterator[np.ndarray]:
    """Colour page: stroke darkness gated by red (sharp strokes) first, then red chroma alone, then the
    darkness in the seal's tone without the red gate; on a tinted paper (`paper_tint`) last the stroke
    darkness gated by red above the paper's own tint.

    Scanners keep colour at a fraction of the brightness's resolution, so a pale seal's thin strokes
    carry too little blurred chroma to pass the gate, while their darkness still shows them whole;
    black print is told from them by its tone, as on a grey page. A phone photo's pinkish paper passes
    the gate everywhere and its print reads with the lettering: the tint's map reads those seals. It
    comes last, not in the first map's place: where the first maps read a seal as before, a tinted
    map's reading that spots a unit a little better must not replace theirs (on dev22 a01 it spotted the
    form's garbled name and the seals no longer agreed on the spelling they bear).
    """
    grey = cv2.cvtColor(patch, cv2.COLOR_BGR2GRAY)
    tone = ring_tone(grey, red_mask(patch), outline)
    yield colour_seal_ink(patch, tone)
    yield red_strength(patch)
    yield without_rules(grey_seal_ink(grey, tone), outline)
    tint = paper_tint(patch)
    if tint > 0:
        # The ring's tone from ink redder than the paper: a tinted paper's pixels passed the plain red test.
        yield colour_seal_ink(patch, ring_tone(grey, red_mask(patch, MIN_RED_CHROMA + round(tint)), outline), tint)


def _grey_inks(grey: np.ndarray, outline: Outline, px_per_mm: float, one_bit: bool | None = None
               ) -> Iterator[np.ndarray]:
    """Grey page: the seal's tone with a narrow, then a wide, margin given up round print; a 1-bit scan
    blurred into tones first.

    A 1-bit scan is known by its patch's pixels being nearly all black or white (`is_one_bit`, when
    `one_bit` is None), or as the caller says (`read_seal`: also its paper sown with dither dots, `ink.dithered`):
    a dither scan deskewed or resampled to the reading's dpi spreads every dot over grey neighbours, so the patch
    is no longer bilevel while its lettering is still dots: read undithered, every strip of dev30 a06's member
    seals was empty."""
    if is_one_bit(grey) if one_bit is None else one_bit:
        grey = dedither(grey, px_per_mm)
    drawn = dark_ink(grey)
    tone = ring_tone(grey, drawn, outline)
    for margin in sorted({1, max(1, round(WIDE_PRINT_MARGIN_MM * px_per_mm))}):
        yield without_rules(grey_seal_ink(grey, tone, print_margin_px=margin), outline)
    # Black rules: their anti-aliased edges share the seal's tone beside the core the margin gave up.
    yield without_rules(grey_seal_ink(grey, tone), outline, drawn)
    yield without_rules(grey_seal_ink(grey, lettering_tone(grey, tone)), outline)


def lettering_tone(grey: np.ndarray, ring: float) -> float:
    """The tone a faint seal's lettering scans at, from its ring's (`LETTERING_TONE_SHARE` towards the paper).

    On a 150 dpi grey scan a pale seal's ring reads at 170-200 over paper at 245-250 and its lettering's thin
    strokes lighter still: weighed by the ring's tone, the strokes fall under the map's floor and the strips read
    one character or none (dev33 a10's table stamps: '电', '有', nothing); weighed by a tone 0.4 of the way to the
    paper, '电力设备', '昆明航电力设备股备有限公司'."""
    if ring <= 0:
        return ring
    return ring + LETTERING_TONE_SHARE * (float(paper_level(grey)) - ring)


def without_rules(ink: np.ndarray, outline: Outline, drawn: np.ndarray | None = None) -> np.ndarray:
    """`ink` without the ruled lines crossing the seal: a thin or grey rule shares the seal's tone, and
    unrolled it bends into an arc through the name. A rule runs straight further than any stroke of
    the seal does (`RULE_SPAN` of the seal's smaller radius: its ring's arc strays from a straight line
    over that span by more than its thickness)."""
    inked = (ink > 0).astype(np.uint8)
    lines = inked if drawn is None else inked | (drawn > 0).astype(np.uint8)
    span = max(3, round(RULE_SPAN * min(outline.a, outline.b)))
    rules = np.zeros(ink.shape[:2], bool)
    for kernel, step in (((span, 1), (1, 3)), ((1, span), (3, 1))):
        # Grown across first, so a rule a pixel off the axis still runs unbroken.
        grown = cv2.dilate(lines, np.ones(step[::-1], np.uint8))
        rules |= cv2.morphologyEx(grown, cv2.MORPH_OPEN, np.ones(kernel[::-1], np.uint8)) > 0
    if drawn is not None:
        # A black rule's seal-toned edges lie beside its core, which the seal's ink map left out.
        rules = cv2.dilate(rules.astype(np.uint8), np.ones((3, 3), np.uint8)) > 0
    out = ink.copy()
    out[rules & (inked > 0)] = 0
    return out


def _hypotheses(inks: Iterator[np.ndarray], outline: Outline) -> Iterator[Hypothesis]:
    """Each ink map with the detected outline, and with the circle its ring really follows where that
    differs; each unrolled over the usual band, then over the narrow one.

    The circle is searched for only once the detected outline's first reading has been asked for more
    (`read_hypotheses` stops at a sure one): the search costs as much as a reading, and most seals are
    spotted surely at the first. The order of the hypotheses is the same either way.
    """
    for ink in inks:
        yield Hypothesis(ink, outline, BANDS[0])
        circle = refit_circle(ink, outline) if outline.shape in ("round", "oval") else None
        outlines = [outline] if circle is None else [outline, circle]
        later = [(fitted, band_inner) for band_inner in BANDS for fitted in outlines][1:]
        for fitted, band_inner in later:
            yield Hypothesis(ink, fitted, band_inner)


def refit_circle(ink: np.ndarray, outline: Outline) -> Outline | None:
    """The circle the seal's ring follows in `ink`, when it fits clearly better than `outline`.

    Print crossing a ring pulls the detector's fit into an oval or off centre; unrolled, such an
    outline slants and clips the characters. The ring is the one circle inked all round, so
    centre and radius are searched near the outline for the single radius inked most completely.
    """
    r = math.sqrt(outline.a * outline.b)
    base = _ring_fill(ink, outline)
    best, best_fill = None, base + REFIT_GAIN
    steps = np.linspace(-0.1, 0.1, 11) * r
    scales = np.linspace(*REFIT_SCALES, 23)
    shifts = [(float(dx), float(dy)) for dx in steps for dy in steps]
    centred = Outline("round", outline.cx, outline.cy, r, r)
    for (dx, dy), profile in zip(shifts, shifted_profiles(ink > 64, centred, shifts, scales), strict=True):
        k = int(np.argmax(profile))
        if profile[k] > best_fill:
            best_fill = float(profile[k])
            # The single best radius runs along the ring's middle; the outline is its outer edge.
            radius = r * (float(scales[k]) + 0.03)
            best = Outline("round", outline.cx + dx, outline.cy + dy, radius, radius)
    return best


def _ring_fill(ink: np.ndarray, outline: Outline) -> float:
    return float(radial_profile(ink > 64, outline, np.linspace(0.9, 1.1, 21)).max())
