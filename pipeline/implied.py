"""Figures a declared total implies: characters a reading lost, given back by the form's redundancy.

A seal's ring across a cell, or a faint digit, makes the reader keep only some of a number's
characters ('154.8' read as 8, '124' as 24), and no second reading of the crop gets more: the total
it belongs to then fails on a figure no reading holds. Only then: where some combination of the
readings already makes the total hold, reconciliation chooses among them and nothing is implied. The declared total, read surely, and the
other figures of its sum say what that one figure must be. Taken alone that would make every total
hold, so the implied figure only becomes another reading of the cell (`Provenance.alternatives`,
for `pipeline.reconcile` to pick when it is the one combination that makes the total hold) where
the cell bears it out (with two figures misread and nothing borne out over the others as read, the
total implies one for each reading of the others: over a crop's right reading of the second, it says
what the first must be):

- the reading's digits are the implied figure's with some left out, in order (characters lost:
  8 of 154.8, not 138 of 139.7), the figure written as its column prints it (70 of 358.70: the ring
  took '358.' and left the printed 0), or so another reading of the cell as full as the first (the crop's
  139 beside the page's 138, `_reading_that_lost`); or one digit of it read as another in its place, or one digit
  more (a stroke read as a digit: 2,829 of 2,329, 2281 of 228; `changed_from`), and then some
  rendering of the crop must explain the implied figure at least as well as the reading;
- the recogniser's own posteriors on the cell's crop are not sure of the reading: on some rendering
  of the crop (as scanned, cleaned, binarised) the reading is not what the frames say
  (`READ_SURE`). Where every rendering reads it alike, its ink holds no lost character: a true
  mismatch over '96' stays a finding, whatever '196' a total 100 too high would imply.
"""

from __future__ import annotations

import itertools
import logging
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace

from models import ApplicationRecord, Provenance
from pipeline.checks.registry import open_figures, reading_in_doubt
from pipeline.config import Settings
from pipeline.precision import amount_groups, column_decimals
from pipeline.reconcile import Rule, can_hold, rules_for, sum_groups
from pipeline.record_paths import PathError, get_path, set_path
from pipeline.slips import (
    DIGITS,
    Figure,
    changed_and_lost,
    changed_from,
    figure_digits,
    lost_from,
    printed,
    written,
)

log = logging.getLogger(__name__)

Place = tuple[int, tuple[float, float, float, float]]  # a page and a box on it (points)
# A reading the recogniser's frames explain this well (per character, against their best path) on every
# rendering of its crop is what the ink says: nothing was lost.
READ_SURE = 0.9
# ...and the implied figure must explain the ink at least this well on some rendering: characters a
# seal's stroke blurred, not characters the ink has no trace of.
IMPLIED_MIN = 0.1
# A digit read as another is given back only where some rendering explains the implied figure this well.
CHANGED_MIN = 0.5

Span = tuple[float, float, float]  # a number's line of glyphs on its page: left and right edges, height (points)
Locate = Callable[[Place], Span | None]
# Where a figure's line of ink sits in its cell, in digits' advances: a digit advances about 0.7 of the
# line's height (0.5 em on digits 0.7 em tall); a point or comma about half a digit (less in most fonts).
ADVANCE = 0.7
POINT_ADVANCE = 0.5
CENTRED = 0.25  # a figure of a centred column sits this near its cell's centre
CENTRED_MIN = 3  # figures of the column seen so centred, at least, and three in four of those seen
SHIFT_MIN = 0.35  # a line this far off its cell's centre (most of half a digit: one character lost) ...
SHIFT_SLACK = 0.25  # ... and as far as the implied figure's lost characters would put it, this closely
# The column's figures stand alone in their cells (no unit beside them): their ink's width per character of
# their readings agrees within this share, and the line's width is its reading's within this many digits: a
# seal's character beside a figure, left on the print layer, is no lost character.
PLAIN_SPREAD = 0.15
WIDTH_SLACK = 0.3


@dataclass(frozen=True)
class Implied:
    """One doubtful figure of a failed total and the figure the total implies for it."""

    rule: str
    path: str
    read: Figure
    implied: Figure
    places: int = 0  # decimals the figure's column prints
    changed: bool = False  # a digit of the reading read as another (or one more), not only characters lost


MAX_COMBINATIONS = 64  # readings of a total's other figures tried together, at most


def candidates(record: ApplicationRecord, rule: Rule, settings: Settings, over_others: bool = False,
               confirmed_once: bool = False, sure: bool = False) -> list[Implied]:
    """For a sum `rule` that no reading of its figures makes hold, its declared total read surely: each
    doubtful figure (with `confirmed_once`, each one engine only confirmed too: `_confirmed_once`; with
    `sure`, each figure read from pixels, for characters lost only) whose reading lost characters of the
    one the total implies (`lost_from`) or changed one (`changed_from`), the other figures as read; with
    `over_others`, over each combination of their other readings too."""
    values = [_figure(record, path) for path in rule.paths]
    numbers = [value for value in values if value is not None]
    if len(numbers) != len(values) or can_hold(record, rule):
        return []  # a reading of each figure makes the total hold: reconciliation has its way already
    if not total_to_go_by(record.provenance.get(rule.paths[0]), settings, values[0]):
        return []
    declared, *parts = numbers
    readings = [_readings(record, path, value) if over_others else [value]
                for path, value in zip(rule.paths[1:], parts, strict=True)]
    return _implied_by(record, rule, settings, declared, readings, confirmed_once, sure)


def total_to_go_by(origin: Provenance | None, settings: Settings, value: Figure | None = None) -> bool:
    """A declared total sure enough to imply its figures: not in doubt, or read surely on the page (`READ_SURE`)
    and in doubt only because its crop, read again, gave no reading at all (no engine's, not even another
    figure: no alternative). An empty second reading says nothing against the page's: the form's 785 read at
    0.99 on a phone photo whose crop the engines read empty (dev13 a11) is as good a total as a confirmed one.
    A second reading of another figure (alternatives) keeps it in doubt, unless each such reading is the total
    `value` with characters lost (`lost_from`: '7' beside 799 read at 0.9999 on the page and alike by the digits
    engine, dev32 a02): a crop's reading that saw fewer of its characters says nothing the page's fuller reading
    does not (as `_reading_that_lost` holds for a figure's other readings)."""
    if not reading_in_doubt(origin, settings.checks):
        return True
    if origin is None or origin.confidence is None or origin.confidence < READ_SURE:
        return False
    if not origin.alternatives:
        return origin.unconfirmed
    return value is not None and all(
        isinstance(other, int | float) and not isinstance(other, bool) and lost_from(other, value)
        for other in origin.alternatives)


def _implied_by(record: ApplicationRecord, rule: Rule, settings: Settings, declared: Figure,
                readings: list[list[Figure]], confirmed_once: bool = False, sure: bool = False) -> list[Implied]:
    """What the declared total implies for each doubtful figure (read as its first reading) over each
    combination of the other figures' `readings`."""
    found: list[Implied] = []
    for position, path in enumerate(rule.paths[1:]):
        read = readings[position][0]
        origin = record.provenance.get(path)
        if origin is None or origin.bbox is None or origin.source != "ocr" or not (
                sure or reading_in_doubt(origin, settings.checks) or (confirmed_once and _confirmed_once(origin))):
            continue
        places = _column_places(record, path, read)
        for rest in _sums_of(readings[:position] + readings[position + 1:]):
            implied: Figure = declared - rest
            implied = round(implied) if isinstance(read, int) else round(float(implied), 2)
            kept = _reading_that_lost(read, origin, implied, places)
            if (implied > 0 and implied not in origin.alternatives
                    and (kept is not None or (not sure and (changed_from(read, implied, places)
                                                            or changed_and_lost(read, implied, places))))
                    and all(other.path != path or other.implied != implied for other in found)):
                found.append(Implied(rule.name, path, read if kept is None else kept, implied, places,
                                     changed=kept is None))
    return found


def _reading_that_lost(read: Figure, origin: Provenance, implied: Figure, places: int) -> Figure | None:
    """The figure's first reading, or else one of its other readings (a second engine's on its crop), whose
    characters are the implied figure's with some lost (`lost_from`): '138' of 139.7 is no such reading, the
    crop's '139' beside it is (dev a12: the '.7' under a seal's character, the 9 crossed by its ring). Only
    another reading as full as the first: one that saw fewer characters than the first did ('303' beside
    303.6) says nothing the first does not, and would give the total one more way to hold. The cell's ink
    must still bear the implied figure out over that reading (`borne_out`)."""
    others = [other for other in origin.alternatives if isinstance(other, int | float) and not isinstance(other, bool)
              and len(figure_digits(other)) >= len(figure_digits(read))]
    return next((reading for reading in (read, *others) if lost_from(reading, implied, places)), None)


def _confirmed_once(origin: Provenance) -> bool:
    """A figure its crop's second reading confirmed with one engine only. The page's own recogniser reading
    its crop again loses the digit a seal's stroke crosses again ('988' read 88 twice): one engine's
    agreement is no independent reading, and the ink's posteriors (`borne_out`) still have to bear an
    implied figure out."""
    return origin.confirmed_by is not None and len(set(origin.confirmed_by)) == 1


def _readings(record: ApplicationRecord, path: str, value: Figure) -> list[Figure]:
    """The figure's reading, then its other readings no rule has settled."""
    return [value, *open_figures(record, path)]


def _sums_of(readings: Sequence[Sequence[Figure]]) -> list[float]:
    """Sums of one reading of each figure, the figures as read first, at most `MAX_COMBINATIONS`."""
    sums = [sum(combination) for combination in itertools.islice(itertools.product(*readings), MAX_COMBINATIONS)]
    return list(dict.fromkeys(sums))


def _column_places(record: ApplicationRecord, path: str, read: Figure) -> int:
    """How many decimals the figure's column prints (its amounts' cents), 0 for a count or unknown."""
    if isinstance(read, int):
        return 0
    group = next((paths for paths in amount_groups(record) if path in paths), None)
    return (column_decimals(record, group, path) or 0) if group is not None else 0


def _figure(record: ApplicationRecord, path: str) -> Figure | None:
    try:
        value = get_path(record, path)
    except PathError:
        return None
    return value if isinstance(value, int | float) and not isinstance(value, bool) else None


def borne_out(found: Implied, scores: Sequence[Sequence[float]], read_forms: int = 2,
              under_seal: Sequence[Sequence[float]] = (), placed: bool = False) -> bool:
    """Per rendering of the crop, how well the reading (its first `read_forms` scores: as written, grouped,
    with its column's decimals) and the implied figure (likewise, the rest) explain it: the reading is not
    sure on one at least, the implied figure fair on one. `under_seal`, renderings that show print a seal's
    ink overlays (the red channel), may bear characters lost out, but neither make the print layer's sure
    reading unsure (a ring's edge there read as a '1': samples a05's '96' made 196) nor change a digit.
    `placed`: where the reading's ink sits in its cell says characters were lost (`placed`), however sure
    the recogniser is of what is left, and then any rendering may bear the implied figure out."""
    if not scores:
        return False
    read_sure = all(max(rendering[:read_forms]) >= READ_SURE for rendering in scores)
    seen = [*scores, *(under_seal if not found.changed else ())]
    # A reading sure on every rendering is set aside on its ink's place alone, and then only for a figure
    # some rendering explains fairly (a seal's red ink seen through), not one it barely allows.
    least = CHANGED_MIN if read_sure else IMPLIED_MIN
    if (read_sure and not placed) or max(max(rendering[read_forms:]) for rendering in seen) < least:
        return False
    # Without its place to go by, the rendering unsure of the reading must itself explain the implied figure
    # fairly: one that explains neither (dev27 a03, a true trainee mismatch of 100: '64' at 0.08 and 164 at 0.02
    # as scanned, 64 read at 1.0 on both cleaned lines, which allow 164 at 0.41 at best) says nothing for a
    # character lost, only that it is a poor rendering of this crop.
    if not placed and not any(max(rendering[:read_forms]) < READ_SURE and max(rendering[read_forms:]) >= least
                              for rendering in seen):
        return False
    # A digit read as another is a stronger claim than a character lost: some rendering of the ink must
    # favour the implied figure over the reading (a true mismatch of 10 is one changed digit of many a
    # cell a seal crosses, and the ink of that cell still says the digit read).
    return not found.changed or any(max(rendering[read_forms:]) >= max(max(rendering[:read_forms]), CHANGED_MIN)
                                    for rendering in scores)


def placed(record: ApplicationRecord, found: Implied, locate: Locate) -> bool:
    """The reading's line of ink sits off its cell's centre, in a column whose other figures sit centred
    (the form's template centres them), by as much as the implied figure's lost characters would put it
    (`shifts`): its ink says characters were lost, however surely the recogniser reads what is left ('112'
    whose 1 an opaque seal ring hides, read 12 by both engines and on every rendering). A column not seen
    centred, a line where it belongs or off by another amount, say nothing."""
    here = _place(record, found.path)
    span = locate(here) if here is not None and not found.changed else None
    if here is None or span is None:
        return False
    seen = [(_offset(place, line), _per_character(line, value)) for path in _column(record, found.path)
            if (place := _place(record, path)) is not None and (value := _figure(record, path)) is not None
            and (line := locate(place)) is not None]
    offsets = [offset for offset, _ in seen]
    centred = sum(abs(offset) <= CENTRED for offset in offsets)
    widths = sorted(width for offset, width in seen if abs(offset) <= CENTRED)
    if centred < max(CENTRED_MIN, 0.75 * len(offsets)) or widths[-1] > (1 + PLAIN_SPREAD) * widths[0]:
        return False
    per_character, offset = widths[len(widths) // 2], _offset(here, span)
    log.info("%s: %s sits %.2f digits off its cell's centre (%d of %d in its column centred), %.2f wide per "
             "character (the column %.2f); %s would lose %s", record.source.file, found.path, offset, centred,
             len(offsets), _per_character(span, found.read), per_character, found.implied,
             [round(shift, 2) for shift in shifts(found.read, found.implied, found.places)])
    if abs(_per_character(span, found.read) - per_character) * _advance(written(found.read)) > WIDTH_SLACK * per_character:
        return False  # more ink on the line than the reading's (or less): its place says nothing of lost characters
    return abs(offset) >= SHIFT_MIN and any(abs(offset - shift) <= SHIFT_SLACK
                                            for shift in shifts(found.read, found.implied, found.places))


def shifts(read: Figure, implied: Figure, places: int = 0) -> list[float]:
    """How far (digits' advances, rightwards) the line of `implied` printed centred moves when only `read`
    of it is seen: characters lost before the reading's text move it right by half their width, those lost
    after it left (a '1' lost before '12' of 112: half a digit right)."""
    out = []
    for grouped, shown in dict.fromkeys(itertools.product((False, True), (0, places))):
        whole, text = written(implied, grouped, shown), written(read, grouped, shown)
        at = whole.find(text)
        while at >= 0:
            out.append((_advance(whole[:at]) - _advance(whole[at + len(text):])) / 2)
            at = whole.find(text, at + 1)
    return list(dict.fromkeys(out))


def _advance(text: str) -> float:
    return sum(POINT_ADVANCE if char in ".," else 1.0 for char in text)


def _per_character(span: Span, value: Figure) -> float:
    """The line's width per character of `value` as written, in digits' advances."""
    left, right, height = span
    return (right - left) / (ADVANCE * height) / _advance(written(value)) if height > 0 else 0.0


def _offset(place: Place, span: Span) -> float:
    """How far right of its box's centre a line of ink is centred, in its digits' advances."""
    (_, (x0, _, x1, _)), (left, right, height) = place, span
    return ((left + right) - (x0 + x1)) / 2 / (ADVANCE * height) if height > 0 else 0.0


def _column(record: ApplicationRecord, path: str) -> list[str]:
    """The paths of the other figures of `path`'s table column ('appendix.trainings[5].participants': each
    training's participants but the sixth)."""
    match = re.fullmatch(r"(.+)\[(\d+)\]\.(\w+)", path)
    if match is None:
        return []
    table, row, name = match.group(1), int(match.group(2)), match.group(3)
    return [other for other in record.provenance
            if (seen := re.fullmatch(rf"{re.escape(table)}\[(\d+)\]\.{name}", other)) and int(seen.group(1)) != row]


def _place(record: ApplicationRecord, path: str) -> Place | None:
    """Where the figure at `path` was read from pixels; None for one not so read."""
    origin = record.provenance.get(path)
    return _box_of(origin) if origin is not None and origin.bbox is not None and origin.source == "ocr" else None


def _box_of(origin: Provenance) -> Place:
    """The page and box a value's provenance names (it must name a box)."""
    assert origin.bbox is not None
    x0, y0, x1, y1 = origin.bbox
    return origin.page, (x0, y0, x1, y1)


def implied_readings(record: ApplicationRecord, settings: Settings,
                     explain: Callable[[Place, Sequence[str]], list[list[float]]],
                     under_seal: Callable[[Place, Sequence[str]], list[list[float]]] | None = None,
                     locate: Locate | None = None) -> list[Implied]:
    """Each failed total's implied figures that their cells bear out, added to the cells' alternatives.

    The other figures as read first. Only where that gives nothing the cells bear out (a second figure
    misread beyond any figure: '389.10' read 389110), over their other readings: with one of them right
    (389.1 among that figure's readings) the total says what the first must be. Implied over every
    reading of the others at once, a total with several figures in doubt would gain a way to hold for
    each, and reconciliation could choose none. So too the figures in doubt first, and only where they give
    nothing, the figures one engine only confirmed as well (dev6 a08: '124' read 24, in doubt, is implied;
    a '61' beside it, confirmed once, would make a second way (161) and leave the total unsettled). Last,
    with `locate`, figures read surely whose ink sits where characters lost would leave it (`placed`)."""
    added = []
    for rule in rules_for(record, settings):
        if not rule.summed:
            continue
        kept: list[Implied] = []
        for confirmed_once, over_others in itertools.product((False, True), (False, True)):
            if kept:
                break
            kept = _borne_out(record, candidates(record, rule, settings, over_others, confirmed_once), explain,
                              under_seal, locate)
            if kept and not over_others:
                kept += _over_open_others(record, rule, settings, kept, confirmed_once, explain, under_seal, locate)
        if not kept and locate is not None:
            kept = _borne_out(record, candidates(record, rule, settings, sure=True), explain, under_seal, locate,
                              only_placed=True)
        if not kept:
            kept = _one_pair(record, pair_candidates(record, rule, settings), explain)
        for found in kept:
            origin = record.provenance[found.path]
            record.provenance[found.path] = origin.model_copy(update={
                "alternatives": [*origin.alternatives, found.implied], "resolved_by": None})
        added += kept
    return added


def _over_open_others(record: ApplicationRecord, rule: Rule, settings: Settings, kept: Sequence[Implied],
                      confirmed_once: bool, explain: Callable[[Place, Sequence[str]], list[list[float]]],
                      under_seal: Callable[[Place, Sequence[str]], list[list[float]]] | None,
                      locate: Locate | None) -> list[Implied]:
    """The figures the total implies for the cells of `kept` over the other readings of the sum's other figures,
    where the cells bear them out too. A figure implied over the others as read rests on their readings: where
    one of them is itself read two ways, the total implies a figure for each, and each the ink bears out is as
    much a reading as the first. Taking only the first would let the total hold by the very figure it made
    (dev34 a07: 26.81 read 1.81, 114.7 read 112.7 on the page and 114.7 on its crop; over 112.7 the total
    implied 28.81, and 28.81 + 112.7 made the total hold, both figures wrong). With each added, the total holds
    more than one way and reconciliation picks none: the figures stay in doubt for a reviewer."""
    best = {item.path: _ink_explains(record, item, explain) for item in kept}
    taken = {(item.path, item.implied) for item in kept}
    others = [item for item in candidates(record, rule, settings, True, confirmed_once)
              if item.path in best and (item.path, item.implied) not in taken]
    # Only a figure the ink explains better than the one implied over the others as read says the first may be
    # the total's own making (dev34 a07: 26.81 at 1.0 against 28.81 at 0.24); one it explains no better adds
    # a way for the total to hold that nothing in the ink asks for (dev13 a09's 43 against 43.3, 43.2, 43.06
    # over its neighbours' second readings), and would undo a pick the ink agrees with.
    better = [item for item in others if _ink_explains(record, item, explain) > best[item.path]]
    return _borne_out(record, better, explain, under_seal, locate) if better else []


def _ink_explains(record: ApplicationRecord, item: Implied,
                  explain: Callable[[Place, Sequence[str]], list[list[float]]]) -> float:
    """How well the figure `item` implies explains its cell's ink at best (any rendering, any printed form)."""
    scores = explain(_box_of(record.provenance[item.path]), printed(item.implied, item.places))
    return max((max(rendering) for rendering in scores if rendering), default=0.0)


def _borne_out(record: ApplicationRecord, found: Sequence[Implied],
               explain: Callable[[Place, Sequence[str]], list[list[float]]],
               under_seal: Callable[[Place, Sequence[str]], list[list[float]]] | None = None,
               locate: Locate | None = None, only_placed: bool = False) -> list[Implied]:
    """Those of `found` whose cells bear them out (`borne_out`); with `only_placed`, only where the reading's
    ink sits where the characters lost would leave it (`placed`)."""
    kept = []
    for item in found:
        is_placed = locate is not None and placed(record, item, locate)
        if only_placed and not is_placed:
            continue
        place = _box_of(record.provenance[item.path])
        # Both as the column prints them: a reading '98' of a cell printed '98.00' is only sure as 98.00.
        read, implied = printed(item.read, item.places), printed(item.implied, item.places)
        scores = explain(place, [*read, *implied])
        sealed = under_seal(place, [*read, *implied]) if under_seal is not None and not item.changed else []
        borne = borne_out(item, scores, len(read), sealed, is_placed)
        log.info("%s: %s read %s; %s implies %s (explained per rendering: %s; under a seal: %s; placed: %s): %s",
                 record.source.file, item.path, item.read, item.rule, item.implied,
                 [[round(score, 3) for score in rendering] for rendering in scores],
                 [[round(score, 3) for score in rendering] for rendering in sealed], is_placed,
                 "another reading" if borne else "not borne out")
        if borne:
            kept.append(item)
    return kept


# Pairs of slips a failed total is tried with, at most: each pair's two cells are explained on their ink.
MAX_PAIRS = 64


def pair_candidates(record: ApplicationRecord, rule: Rule, settings: Settings) -> list[tuple[Implied, Implied]]:
    """For a sum `rule` that no reading makes hold and no figure implied alone settles, its declared total read
    surely: for two of its figures in doubt, the pairs of figures, one slip of reading from each (`one_slip`: one
    character lost, or one digit read as another or one more), that make the total hold with the other figures
    as read or over their other readings. A phone photo loses a leading digit of one cell and misreads a digit of another at once
    ('286' read 86 and '103' read 113, dev42 a06): the total fixes only their sum, and one slip each bounds the
    ways to a few that the cells' ink then tells apart (`_one_pair`). None past `MAX_PAIRS`: a total so loosely
    bound says nothing."""
    values = [_figure(record, path) for path in rule.paths]
    numbers = [value for value in values if value is not None]
    if len(numbers) != len(values) or can_hold(record, rule) \
            or not total_to_go_by(record.provenance.get(rule.paths[0]), settings, values[0]):
        return []
    declared, *parts = numbers
    paths = rule.paths[1:]
    doubtful = [k for k, path in enumerate(paths) if (origin := record.provenance.get(path)) is not None
                and origin.bbox is not None and origin.source == "ocr" and reading_in_doubt(origin, settings.checks)]
    pairs: list[tuple[Implied, Implied]] = []
    for first, second in itertools.combinations(doubtful, 2):
        others = [_readings(record, path, value) for k, (path, value) in enumerate(zip(paths, parts, strict=True))
                  if k not in (first, second)]
        places = (_column_places(record, paths[first], parts[first]), _column_places(record, paths[second], parts[second]))
        for rest in _sums_of(others):
            for figure in _one_slip_of(parts[first], places[0]):
                other: Figure = declared - rest - figure
                other = round(other) if isinstance(parts[second], int) else round(float(other), 2)
                kind = one_slip(parts[second], other, places[1]) if other > 0 else None
                if kind is None:
                    continue
                pair = (Implied(rule.name, paths[first], parts[first], figure, places[0],
                                bool(one_slip(parts[first], figure, places[0]))),
                        Implied(rule.name, paths[second], parts[second], other, places[1], kind))
                if pair not in pairs:
                    pairs.append(pair)
    return pairs if len(pairs) <= MAX_PAIRS else []


def one_slip(read: Figure, figure: Figure, places: int = 0) -> bool | None:
    """Whether `read` is `figure` with one slip: False for one character lost (`lost_from`, one digit fewer),
    True for one digit read as another or one more (`changed_from`), None for neither."""
    if figure == read:
        return None
    if lost_from(read, figure, places) and len(figure_digits(figure)) == len(figure_digits(read)) + 1:
        return False
    return True if changed_from(read, figure, places) else None


def _one_slip_of(read: Figure, places: int) -> list[Figure]:
    """Figures of which `read` is one slip (`one_slip`): a digit put in anywhere (the point anywhere its column
    allows), one read as another, one taken out."""
    digits = figure_digits(read)
    if not digits:
        return []
    decimals = range(0, max(places, 0 if isinstance(read, int) else 2) + 1)
    out: list[Figure] = []
    for text in _union([digit_put_in(digits), digit_dropped_or_changed(digits)]):
        if len(text) > 1 and text[0] == "0":
            continue
        for shown in decimals:
            if shown >= len(text):
                continue
            figure: Figure = int(text) if not shown else round(int(text) / 10**shown, shown)
            if isinstance(read, int) and shown:
                continue
            if figure > 0 and one_slip(read, figure, places) is not None:
                out.append(figure)
    return list(dict.fromkeys(out))


def _one_pair(record: ApplicationRecord, pairs: Sequence[tuple[Implied, Implied]],
              explain: Callable[[Place, Sequence[str]], list[list[float]]]) -> list[Implied]:
    """The one pair of `pairs` whose two cells both bear their figures out, as two readings; nothing where none
    or several do: the total then holds no way, or more than one, and says nothing. Each figure is held to a
    changed digit's bar (`borne_out`: some rendering of its crop must favour it over the reading, fairly), lost
    characters too: two figures made up at once are a weaker claim than one. Each cell's crop is explained once,
    for all the figures the pairs give it."""
    if not pairs:
        return []
    figures: dict[str, list[Implied]] = {}
    for pair in pairs:
        for item in pair:
            figures.setdefault(item.path, []).append(replace(item, changed=True))
    borne: set[tuple[str, Figure]] = set()
    for path, items in figures.items():
        read = printed(items[0].read, items[0].places)
        forms = [printed(item.implied, item.places) for item in items]
        scores = explain(_box_of(record.provenance[path]), [*read, *(text for texts in forms for text in texts)])
        start = len(read)
        for item, texts in zip(items, forms, strict=True):
            own = [[*rendering[:len(read)], *rendering[start:start + len(texts)]] for rendering in scores]
            if borne_out(item, own, len(read)):
                borne.add((path, item.implied))
            start += len(texts)
    kept = [pair for pair in pairs if all((item.path, item.implied) in borne for item in pair)]
    log.info("%s: %d pairs of slips make %s hold, %d borne out by their ink", record.source.file, len(pairs),
             pairs[0][0].rule, len(kept))
    return list(kept[0]) if len(kept) == 1 else []


@dataclass(frozen=True)
class Unread:
    """The one figure of a sum that was not read, and the figures its declared total implies for it: one
    for each reading of the sum's other figures."""

    rule: str
    path: str
    implied: tuple[Figure, ...]
    places: int = 0


def unread_candidates(record: ApplicationRecord, settings: Settings) -> list[Unread]:
    """Per declared total read surely, its one figure whose cell holds ink no reading could make out (a
    seal's ring through the digits of the table's last rows): the figures the total implies over the other
    figures' readings. Two figures unread leave only their sum, which says neither."""
    found = []
    for group in sum_groups(record):
        unread = [path for path in group.parts if _figure(record, path) is None]
        declared = _figure(record, group.declared)
        if len(unread) != 1 or declared is None \
                or not total_to_go_by(record.provenance.get(group.declared), settings, declared):
            continue
        origin = record.provenance.get(unread[0])
        if origin is None or origin.bbox is None or origin.blank:
            continue
        others = [_readings(record, path, value) for path in group.parts
                  if path != unread[0] and (value := _figure(record, path)) is not None]
        implied = [figure for rest in _sums_of(others)
                   if (figure := _as_figure(declared - rest, group.counts)) is not None]
        if implied:
            found.append(Unread(group.name, unread[0], tuple(dict.fromkeys(implied)),
                                _column_places(record, unread[0], implied[0])))
    return found


def _as_figure(left: float, count: bool) -> Figure | None:
    """What a total leaves one figure as a figure of its column: a whole count, an amount in cents; None where
    it is no such figure (nothing left, or a fraction of a cent)."""
    figure: Figure = round(left) if count else round(left, 2)
    return figure if figure > 0 and abs(left - figure) < 1e-6 else None


def fill_unread(record: ApplicationRecord, found: Sequence[Unread],
                explain: Callable[[Place, Sequence[str]], list[list[float]]]) -> list[Unread]:
    """Those of `found` whose cell's ink bears out exactly one of the implied figures (`_ink_says`), that
    figure set as the cell's reading: resolved by the total, as sure as the ink explains it. Reconciliation
    then picks among the other figures' readings with it."""
    kept = []
    for item in found:
        origin = record.provenance[item.path]
        place = _box_of(origin)
        borne = [(figure, score) for figure in _fair(place, item, explain)
                 if (score := _ink_says(place, printed(figure, item.places), explain)) is not None]
        log.info("%s: %s not read; %s implies %s: %s", record.source.file, item.path, item.rule,
                 list(item.implied), f"its ink reads {borne[0][0]}" if len(borne) == 1 else
                 "its ink bears out none" if not borne else "its ink bears out several")
        if len(borne) == 1:
            (figure, score), = borne
            set_path(record, item.path, figure)
            record.provenance[item.path] = origin.model_copy(update={
                "source": "ocr", "confidence": round(score, 4), "alternatives": [], "resolved_by": item.rule,
                "blank": False})
            kept.append(item)
    return kept


def _fair(place: Place, item: Unread, explain: Callable[[Place, Sequence[str]], list[list[float]]]) -> list[Figure]:
    """The implied figures some rendering of the crop reads (`READ_SURE`): the only ones worth holding against
    the figures a digit away (some hundred of them each)."""
    forms = [printed(figure, item.places) for figure in item.implied]
    scores = explain(place, [text for texts in forms for text in texts])
    fair, start = [], 0
    for figure, texts in zip(item.implied, forms, strict=True):
        if any(max(rendering[start:start + len(texts)]) >= READ_SURE for rendering in scores):
            fair.append(figure)
        start += len(texts)
    return fair


def _ink_says(place: Place, forms: Sequence[str],
              explain: Callable[[Place, Sequence[str]], list[list[float]]]) -> float | None:
    """How well the ink at `place` explains the figure written as `forms` (its best rendering), where some
    rendering of the crop reads it (explains it `READ_SURE` or better, and better than any figure a digit
    away: one dropped, put in or changed) and no one such figure is read on two renderings; None otherwise.

    Renderings disagree on a seal's ring: as scanned, the ring through a 7 reads 12 where both cleaned lines
    read 72, and a cleaned line reads the ring's stroke after '233' as one more digit. A figure the total
    implies that one rendering reads is not chance; another figure two renderings read is what the ink
    says (a ring read as a leading 1 on one rendering, the printed figure on the others)."""
    rivals = [other for other in _union([*(digit_dropped_or_changed(text) for text in forms),
                                          *(digit_put_in(text) for text in forms)]) if other not in forms]
    scores = explain(place, [*forms, *rivals])
    own = [max(rendering[:len(forms)]) for rendering in scores]
    read_as: Counter[str] = Counter()
    for score, rendering in zip(own, scores, strict=True):
        best = max(range(len(rivals)), key=lambda k: rendering[len(forms) + k], default=None)
        if best is not None and rendering[len(forms) + best] >= max(READ_SURE, score):
            read_as[rivals[best]] += 1
    reads_it = any(score >= READ_SURE and score > max(rendering[len(forms):], default=0.0)
                   for score, rendering in zip(own, scores, strict=True))
    log.debug("ink at %s: %s explained %s; other figures read %s", place, forms[0], [round(s, 3) for s in own],
              dict(read_as))
    return max(own) if reads_it and all(count < 2 for count in read_as.values()) else None


def _union(groups: Iterable[list[str]]) -> list[str]:
    """Every number of the groups once, in the order first met."""
    return list(dict.fromkeys(other for group in groups for other in group))


def digit_dropped_or_changed(text: str) -> list[str]:
    """Numbers written like `text` with one of its digits dropped or read as another (separators kept as
    they stand); none opening on a separator, or on a 0 where `text` does not."""
    out: list[str] = []
    for cut, char in enumerate(text):
        if char.isdigit():
            out.append(text[:cut] + text[cut + 1:])
            out.extend(text[:cut] + digit + text[cut + 1:] for digit in DIGITS if digit != char)
    return _well_opened(out, text)


def digit_put_in(text: str) -> list[str]:
    """Numbers written like `text` with one digit more, anywhere."""
    return _well_opened([text[:cut] + digit + text[cut:] for cut in range(len(text) + 1) for digit in DIGITS], text)


def _well_opened(numbers: Iterable[str], like: str) -> list[str]:
    return [other for other in dict.fromkeys(numbers)
            if other and other != like and other[0].isdigit()
            and (other[0] != "0" or like[0] == "0" or other[:2] == "0.")]
