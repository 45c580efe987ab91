"""Page orientation (0/90/180/270): our own detector (Tesseract's OSD, for comparison, is
`TesseractEngine.orientation`).

Ours works in two steps, both cheap:
1. Horizontal or vertical text?  Close the binary page along x and along y with a gap of
   about half a character; text lines become long thin blobs only in their own direction.
   (A plain projection profile fails on Chinese: monospaced characters also line up in
   columns.)
2. Upright or upside down?  The PP-OCR direction classifier that ships in the
   rapidocr-onnxruntime wheel votes on short chunks of the longest text lines.

`rotation` is the clockwise angle by which the stored page is turned from upright.
"""

from __future__ import annotations

import functools
import itertools
import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from pipeline.components import components

WORK_SIDE = 1100  # long side (px) of the working copy: about 95 dpi for A4, plenty for layout
MAX_CHUNKS = 24
MIN_EVIDENCE = 0.02  # confidence below which the page is taken as stored
UPSIDE_DOWN_SIGMAS = 3.0  # standard errors below 0 the lines' mean vote must lie to turn a page over
CHUNKS_PER_LINE = 3  # pieces of one line voted on: enough to outvote a smudge, few enough for many lines
RULE_CHARS = 3.0  # a straight ink run longer than this many characters is a rule, not a stroke
DOUBTFUL_MARGIN = 0.5  # below this share of line length in favour, the direction is asked of the classifier
# The classifier overrides the line lengths when one direction's lines read this much more clearly: an
# upright tight list reads 1.00 across and 0.78-0.85 down (its characters' columns turned).
LEGIBILITY_MARGIN = 0.1
# The vote every line of a page with one or two lines must lie below to turn it over: no spread to weigh,
# so only a line the classifier reads clearly upside down both ways (dev9 a01's last form row: -0.999).
FEW_LINES_VOTE = 0.9


@dataclass(frozen=True)
class Orientation:
    rotation: int  # 0, 90, 180, 270 clockwise from upright
    confidence: float  # 0..1; 0 when the page had too little text to tell


def shrink(grey: np.ndarray, long_side: int = WORK_SIDE) -> tuple[np.ndarray, float]:
    """A downscaled copy and its scale factor (working size / original size)."""
    factor = min(1.0, long_side / max(grey.shape[:2]))
    if factor >= 1.0:
        return grey, 1.0
    size = (max(1, round(grey.shape[1] * factor)), max(1, round(grey.shape[0] * factor)))
    return cv2.resize(grey, size, interpolation=cv2.INTER_AREA), factor


def ink_mask(grey: np.ndarray) -> np.ndarray:
    """Binary ink (255) by Otsu on a grey page already flattened of shadows."""
    _, binary = cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    return binary


def char_size(binary: np.ndarray) -> float:
    """Median size of character-like components (px); 0 when there are too few to tell."""
    count, _, stats = components(binary, 8)
    width, height, area = stats[1:count, 2], stats[1:count, 3], stats[1:count, 4]
    longer, shorter = np.maximum(width, height), np.minimum(width, height)
    sizes = longer[(longer >= 3) & (longer <= binary.shape[0] / 15) & (area >= 6) & (longer < 4 * shorter + 4)]
    return float(np.median(sizes)) if len(sizes) >= 12 else 0.0


def line_blobs(binary: np.ndarray, size: float, horizontal: bool) -> list[tuple[int, int, int, int]]:
    """Boxes (x, y, w, h) of text lines running in one direction, after closing the gaps along it."""
    gap = max(2, round(0.7 * size))
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (gap, 1) if horizontal else (1, gap))
    closed = cv2.morphologyEx(binary, cv2.MORPH_CLOSE, kernel)
    count, _, stats = components(closed, 8)
    blobs = []
    for x, y, w, h, _ in stats[1:count]:
        length, thickness = (w, h) if horizontal else (h, w)
        # A line of text: several characters long, about one character thick (rules are thinner).
        if length >= 4 * size and 0.5 * size <= thickness <= 1.8 * size:
            blobs.append((int(x), int(y), int(w), int(h)))
    return blobs


def without_rules(binary: np.ndarray, size: float) -> np.ndarray:
    """`binary` without ruling lines (ink runs longer than RULE_CHARS characters along x or y).

    A table's rule touching the text above it closes into one blob with that text, as long as
    the table and about as thick as a line: the longest "line" on a contract page was then a
    rule with specks above it, and the direction model's votes on such crops are noise.
    """
    length = max(3, round(RULE_CHARS * size))
    rules = cv2.bitwise_or(
        cv2.morphologyEx(binary, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (length, 1))),
        cv2.morphologyEx(binary, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, length))),
    )
    return cv2.subtract(binary, rules)


def _is_sideways(binary: np.ndarray, size: float) -> tuple[bool, float, list[tuple[int, int, int, int]]]:
    across = line_blobs(binary, size, horizontal=True)
    down = line_blobs(binary, size, horizontal=False)
    across_len = sum(w for _, _, w, _ in across)
    down_len = sum(h for _, _, _, h in down)
    total = across_len + down_len
    margin = abs(across_len - down_len) / total if total else 0.0
    return down_len > across_len, margin, (down if down_len > across_len else across)


def legibility(votes: list[float]) -> float:
    """How clearly the classifier reads lines either way up: the mean size of their (debiased) votes.
    Text shown along its own direction scores near 1 whichever way up; characters of lines running the
    other way, cut into pieces across them, scatter near 0."""
    return float(np.mean(np.abs(votes))) if votes else 0.0


def _sideways_read_better(small: np.ndarray, binary: np.ndarray, size: float) -> bool | None:
    """Whether the lines running down the page read clearly better (turned across) than the lines running
    across it (True), clearly worse (False), or neither, or one direction has no lines to read (None).

    Blob lengths alone call a short list of tightly spaced lines sideways: a phone photo blurs the lines
    into each other, so across the page no blob is one line thick, while the monospaced characters' columns
    down it are (dev a04-word-phone's attachment list, turned 90 degrees). Where the lengths leave doubt,
    the direction needs the classifier's agreement: text shown along its own direction reads, the other
    way it reads less well. Short columns of characters may read as well as the lines (dev a06-word-scan's
    commitment, both directions 1.00): the lengths then decide, as before.
    """
    across = line_blobs(binary, size, horizontal=True)
    down = line_blobs(cv2.rotate(binary, cv2.ROTATE_90_COUNTERCLOCKWISE), size, horizontal=True)
    if not across or not down:
        return None
    turned = cv2.rotate(small, cv2.ROTATE_90_COUNTERCLOCKWISE)
    gain = legibility(line_votes(turned, down, debiased=True)) - legibility(line_votes(small, across, debiased=True))
    return None if abs(gain) < LEGIBILITY_MARGIN else gain > 0


@functools.cache
def _direction_model() -> Any:
    import rapidocr_onnxruntime
    from rapidocr_onnxruntime.ch_ppocr_cls import TextClassifier

    package = Path(str(rapidocr_onnxruntime.__file__)).parent
    return TextClassifier(
        {
            "intra_op_num_threads": 1,
            "inter_op_num_threads": 1,
            "use_cuda": False,
            "use_dml": False,
            "model_path": str(package / "models" / "ch_ppocr_mobile_v2.0_cls_infer.onnx"),
            "cls_image_shape": [3, 48, 192],
            "cls_batch_num": MAX_CHUNKS,
            "cls_thresh": 0.9,
            "label_list": ["0", "180"],
        }
    )


def load_direction_model() -> None:
    """Load the direction classifier now (before a fork, so the page workers forked after share it)."""
    _direction_model()


def line_chunks(grey: np.ndarray, blobs: list[tuple[int, int, int, int]]) -> list[list[np.ndarray]]:
    """Per line (longest first), crops of it cut into pieces of aspect ~4 (what the classifier
    expects): at most CHUNKS_PER_LINE from one line, MAX_CHUNKS in all."""
    lines: list[list[np.ndarray]] = []
    total = 0
    for x, y, w, h in sorted(blobs, key=lambda b: -b[2]):
        pad = max(1, h // 6)
        line = grey[max(0, y - pad) : y + h + pad, x : x + w]
        step = 4 * line.shape[0]
        starts = list(range(0, max(1, w - step // 2), step))[: min(CHUNKS_PER_LINE, MAX_CHUNKS - total)]
        lines.append([cv2.cvtColor(line[:, start : start + step], cv2.COLOR_GRAY2BGR) for start in starts])
        total += len(starts)
        if total >= MAX_CHUNKS:
            break
    return [chunks for chunks in lines if chunks]


# Whether a vote anywhere in [low, high] gives one and the same answer (`detect_orientation`'s decision).
Settled = Callable[[float, float], bool]


def upside_down_vote(grey: np.ndarray, blobs: list[tuple[int, int, int, int]], settled: Settled | None = None) -> float:
    """Score in -1..1: positive when the lines read upright, negative when upside down (see `line_votes`)."""
    votes = line_votes(grey, blobs, settled, debiased=True)
    return float(np.mean(votes)) if votes else 0.0


def line_votes(grey: np.ndarray, blobs: list[tuple[int, int, int, int]], settled: Settled | None = None,
               debiased: bool = False) -> list[float]:
    """Each line's vote in -1..1: positive when it reads upright, negative when upside down (`debiased`:
    each piece also scored turned over, see `_line_votes`).

    One line, one vote (the mean of its pieces' votes): a single long line the classifier misjudges
    (a title run into a table's rules, print under a seal) must not outvote the page's other lines.

    With `settled`, a little over half the lines are classified first: a line's vote lies in -1..1, so the
    page's vote can then only end in a range that those lines' votes bound, and where `settled` says any
    vote in that range decides alike, the other lines are not classified (the classifier is most of the
    detector's time); only the lines classified are returned. The classifier scores each piece alike
    whatever else it is given with.
    """
    lines = line_chunks(grey, blobs)
    if not lines:
        return []
    first = len(lines) if settled is None else len(lines) // 2 + 1
    means = _line_votes(lines[:first], debiased)
    rest = len(lines) - first
    if rest and settled is not None:
        low, high = (sum(means) - rest) / len(lines), (sum(means) + rest) / len(lines)
        if not settled(low, high):
            means += _line_votes(lines[first:], debiased)
    return means


def clearly_upside_down(votes: list[float]) -> bool:
    """The lines' votes lie below 0 by more than UPSIDE_DOWN_SIGMAS standard errors of their mean.

    A page is stored upright far more often than not, so turning one over needs lines that agree: a page
    truly upside down votes near -1 on every line, while small print the classifier cannot make out (a
    phone photo's table at 10 px a character) scatters around 0 and may end a little below it.
    With one line there is no spread to weigh: its vote decides, as before.
    """
    if len(votes) < 2:
        return bool(votes) and votes[0] < 0
    error = float(np.std(votes, ddof=1)) / math.sqrt(len(votes))
    return float(np.mean(votes)) < -UPSIDE_DOWN_SIGMAS * error


def _line_votes(lines: list[list[np.ndarray]], debiased: bool) -> list[float]:
    """Each line's vote: the mean of its pieces'.

    A piece's vote is the classifier's score for it (negative for upside down); `debiased`, half that less
    half its score for the piece turned over: a piece it calls upside down whichever way up it is shown
    (blurred small print of a photographed table, a row of cells and rules) says nothing about the page,
    where the score alone outvoted the lines that read clearly (dev7 a03's providers list: five of eight
    lines called upside down both ways, the page turned over)."""
    pieces = [chunk for chunks in lines for chunk in chunks]
    turned = [cv2.rotate(piece, cv2.ROTATE_180) for piece in pieces] if debiased else []
    _, results, _ = _direction_model()(pieces + turned)
    scores = [float(score) if label == "0" else -float(score) for label, score in results]
    votes = scores if not debiased else [
        (shown - over) / 2 for shown, over in zip(scores[:len(pieces)], scores[len(pieces):], strict=True)]
    bounds = np.cumsum([0, *(len(chunks) for chunks in lines)])
    return [float(np.mean(votes[start:end])) for start, end in itertools.pairwise(bounds)]


def _few_lines(small: np.ndarray, blobs: list[tuple[int, int, int, int]], sideways: bool) -> Orientation:
    """A page of one or two lines across (a form's last row alone on its page): upside down only when every
    line reads so clearly, each piece weighed against itself turned over; otherwise as stored."""
    votes = [] if sideways or not blobs else line_votes(small, blobs, debiased=True)
    if votes and max(votes) < -FEW_LINES_VOTE:
        return Orientation(180, round(-max(votes), 3))
    return Orientation(0, 0.0)


def detect_orientation(grey: np.ndarray) -> Orientation:
    """Our detector on a grey page (flattened of shadows); see the module docstring."""
    small, _ = shrink(grey)
    binary = ink_mask(small)
    size = char_size(binary)
    if not size:
        return Orientation(0, 0.0)
    binary = without_rules(binary, size)
    sideways, margin, blobs = _is_sideways(binary, size)
    if len(blobs) < 3:  # a few specks or one or two lines: too little to weigh, but a line may be clear
        return _few_lines(small, blobs, sideways)
    # Pages stored sideways are few: every sideways call is asked, an across call only where it is doubtful.
    asked = sideways or margin < DOUBTFUL_MARGIN
    if asked and (reads_sideways := _sideways_read_better(small, binary, size)) is not None:
        sideways = reads_sideways
        blobs = line_blobs(binary, size, horizontal=not sideways)
    if sideways:
        # Turn the page so its lines run across, then ask upright-or-not as for any page.
        small = cv2.rotate(small, cv2.ROTATE_90_COUNTERCLOCKWISE)
        blobs = line_blobs(cv2.rotate(binary, cv2.ROTATE_90_COUNTERCLOCKWISE), size, horizontal=True)
    base = 90 if sideways else 0

    def decided(vote: float) -> Orientation:
        rotation = (base + (180 if vote < 0 else 0)) % 360
        confidence = round(min(1.0, margin) * abs(vote), 3)
        # No evidence either way (a fax's broken lines, a page of short cells): the page as stored, which
        # is upright far more often than not, rather than a coin's toss.
        return Orientation(rotation if confidence >= MIN_EVIDENCE else 0, confidence)

    def settled(low: float, high: float) -> bool:
        # The rotation is the same at both ends and, as it changes at most twice (180 + base, 0, base) as
        # the vote grows, between them too; the ends are kept clear of 0 so rounding cannot tip them.
        # Turning an across-running page over weighs every line's vote (`clearly_upside_down`), so only an
        # upright answer stops such a page's vote early.
        return (low > 0 or (high < 0 and sideways)) and decided(low).rotation == decided(high).rotation
    votes = line_votes(small, blobs, settled)
    found = decided(float(np.mean(votes)) if votes else 0.0)
    if found.rotation != base:
        # Turning the page needs more than the page as stored: every line, each piece weighed against itself
        # turned over (the classifier's bias on print it cannot read cancels). Most pages are upright and
        # pay for one look only.
        votes = line_votes(small, blobs, debiased=True)
        found = decided(float(np.mean(votes)) if votes else 0.0)
    if found.rotation == 180 and not clearly_upside_down(votes):
        return Orientation(0, found.confidence)
    return found
