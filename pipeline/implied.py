"""Figures a declared total implies: characters a reading lost, given back by the form's redundancy.

A seal's ring across a cell, or a faint digit, makes the reader keep only some of a number's
characters ('154.8' read as 8, '124' as 24), and no second reading of the crop gets more: the total
it belongs to then fails on a figure no reading holds. Only then: where some combination of the
readings already makes the total hold, reconciliation chooses among them and nothing is implied. The declared total, read surely, and the
other figures of its sum say what that one figure must be. Taken alone that would make every total
hold, so the implied figure only becomes another reading of the cell (`Provenance.alternatives`,
for `pipeline.reconcile` to pick when it is the one combination that makes the total hold) where
the cell bears it out:

- the reading's digits are the implied figure's with some left out, in order (characters lost,
  none changed: 8 of 154.8, not 138 of 139.7);
- the recogniser's own posteriors on the cell's crop are not sure of the reading: on some rendering
  of the crop (as scanned, cleaned, binarised) the reading is not what the frames say
  (`READ_SURE`). Where every rendering reads it alike, its ink holds no lost character: a true
  mismatch over '96' stays a finding, whatever '196' a total 100 too high would imply.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from models import ApplicationRecord
from pipeline.checks.registry import reading_in_doubt
from pipeline.config import Settings
from pipeline.reconcile import Rule, can_hold, rules_for
from pipeline.record_paths import PathError, get_path

log = logging.getLogger(__name__)

Figure = int | float
Place = tuple[int, tuple[float, float, float, float]]  # a page and a box on it (points)
# A reading the recogniser's frames explain this well (per character, against their best path) on every
# rendering of its crop is what the ink says: nothing was lost.
READ_SURE = 0.9
# ...and the implied figure must explain the ink at least this well on some rendering: characters a
# seal's stroke blurred, not characters the ink has no trace of.
IMPLIED_MIN = 0.1


@dataclass(frozen=True)
class Implied:
    """One doubtful figure of a failed total and the figure the total implies for it."""

    rule: str
    path: str
    read: Figure
    implied: Figure


def lost_from(read: Figure, implied: Figure) -> bool:
    """The digits of `read` are those of `implied` with at least one left out, in order."""
    kept, whole = _digits(read), _digits(implied)
    rest = iter(whole)
    return len(kept) < len(whole) and all(char in rest for char in kept)


def _digits(value: Figure) -> str:
    return written(value).replace(".", "").replace(",", "").lstrip("-")


def written(value: Figure, grouped: bool = False) -> str:
    """A figure as the form prints it: '1002.5', or with `grouped` '1,002.5'."""
    if isinstance(value, int):
        return f"{value:,}" if grouped else str(value)
    text = f"{value:,.4f}" if grouped else f"{value:.4f}"
    return text.rstrip("0").rstrip(".")


def candidates(record: ApplicationRecord, rule: Rule, settings: Settings) -> list[Implied]:
    """For a sum `rule` that no reading of its figures makes hold, its declared total read surely: each
    doubtful figure whose reading lost characters of the one the total implies (`lost_from`)."""
    values = [_figure(record, path) for path in rule.paths]
    numbers = [value for value in values if value is not None]
    if len(numbers) != len(values) or can_hold(record, rule):
        return []  # a reading of each figure makes the total hold: reconciliation has its way already
    if reading_in_doubt(record.provenance.get(rule.paths[0]), settings.checks):
        return []
    declared, *parts = numbers
    total = sum(parts)
    found = []
    for path, read in zip(rule.paths[1:], parts, strict=True):
        origin = record.provenance.get(path)
        if origin is None or origin.bbox is None or origin.source != "ocr" or not reading_in_doubt(origin, settings.checks):
            continue
        implied: Figure = declared - (total - read)
        implied = round(implied) if isinstance(read, int) else round(float(implied), 2)
        if implied > 0 and implied not in origin.alternatives and lost_from(read, implied):
            found.append(Implied(rule.name, path, read, implied))
    return found


def _figure(record: ApplicationRecord, path: str) -> Figure | None:
    try:
        value = get_path(record, path)
    except PathError:
        return None
    return value if isinstance(value, int | float) and not isinstance(value, bool) else None


def borne_out(found: Implied, scores: Sequence[Sequence[float]]) -> bool:
    """Per rendering of the crop, how well the reading (as written, then grouped) and the implied figure
    (likewise) explain it: the reading is not sure on one at least, the implied figure fair on one."""
    if not scores:
        return False
    read_sure = all(max(rendering[:2]) >= READ_SURE for rendering in scores)
    return not read_sure and max(max(rendering[2:]) for rendering in scores) >= IMPLIED_MIN


def implied_readings(record: ApplicationRecord, settings: Settings,
                     explain: Callable[[Place, Sequence[str]], list[list[float]]]) -> list[Implied]:
    """Each failed total's implied figures that their cells bear out, added to the cells' alternatives."""
    added = []
    for rule in rules_for(record, settings):
        if not rule.summed:
            continue
        for found in candidates(record, rule, settings):
            origin = record.provenance[found.path]
            assert origin.bbox is not None
            x0, y0, x1, y1 = origin.bbox
            texts = [written(figure, grouped) for figure in (found.read, found.implied) for grouped in (False, True)]
            scores = explain((origin.page, (x0, y0, x1, y1)), texts)
            kept = borne_out(found, scores)
            log.info("%s: %s read %s; %s implies %s (explained per rendering: %s): %s", record.source.file,
                     found.path, found.read, found.rule, found.implied,
                     [[round(score, 3) for score in rendering] for rendering in scores],
                     "another reading" if kept else "not borne out")
            if kept:
                record.provenance[found.path] = origin.model_copy(update={
                    "alternatives": [*origin.alternatives, found.implied], "resolved_by": None})
                added.append(found)
    return added
