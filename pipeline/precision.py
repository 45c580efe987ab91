"""The decimals a column writes, as evidence of where an amount's separators are.

OCR confuses ',' and '.', and loses a point under a seal's stroke: '10,798' reads as 10.798,
'1,209.3' as 1.2093. A reading alone cannot say which it was, but the form writes each column
(and the basic-info form all its amounts) to one precision: where the other amounts of the column
carry at most two decimals, a reading with three or four is its digits with their separators
misread. So, before the form's totals choose among a value's readings (`pipeline.reconcile`):

* a reading with more decimals than its column carries, whose digits another reading of the same
  place carries with no more, is no reading of it ('10.798' beside 10,798 where the form writes
  cents): it is dropped, and a value left with one reading is settled (`resolved_by`
  `COLUMN_PRECISION`, the dropped readings kept in `alternatives`);
* a reading with more decimals than its column carries gains the reading of its first separator as
  a thousands one and a lost point after it ('1.2093' → 1,209.3), where that leaves the column's
  decimals, and, for a table's amount where two or more digits follow the thousands group, the reading
  with the first of them taken for the point ('1.50124' → 1,501.24 or 1,501.4: the point read as a digit);
* a doubtful amount of a table read without a point, larger than every settled amount of its
  column (which writes points), keeps
  its readings with the point put back before its last digits, as many as the column writes
  ('27131' as 2,713.1 or 271.31: a point lost in a fax's dither), and with the digit in the point's
  place taken for it ('389110' as 389.10: a seal's stroke through the point), as alternatives for the form's
  totals to pick among; nothing is chosen on the precision alone. Not the form's own amounts: the
  累计 rule they also answer to holds for any smaller reading, so more readings only keep it from
  choosing ('59292' read again as 5,929.2 would have 592.92 beside it).

Where a reading is dropped or repaired, the value is a doubt (confidence at most `UNSURE`): a
comparison over it is a warning, never an error, since a precision says where separators are
likelier, not what was written.

Without that evidence (fewer than `MEASURED_MIN` settled amounts in the column, the form's counted
with a short one) nothing changes.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence

from models import ApplicationRecord, Provenance
from pipeline.checks.registry import reading_in_doubt
from pipeline.config import CheckSettings
from pipeline.fields.basic_info import FORM_AMOUNTS
from pipeline.normalise import lost_wan
from pipeline.record_paths import get_path, set_path
from pipeline.tables.values import UNSURE

log = logging.getLogger(__name__)

COLUMN_PRECISION = "COLUMN_PRECISION"
MEASURED_MIN = 3  # settled amounts needed to say how many decimals a column writes
CENTS = 2  # an amount in 万元 is written to two decimals at most (100 元)
AMOUNT_COLUMNS = ("contracts", "financings")
THOUSANDS = 3  # digits a thousands separator stands before


def decimals(value: float) -> int:
    """How many decimals `value` is written with (without float noise)."""
    return len(f"{float(value):.6f}".rstrip("0").partition(".")[2])


def digits(value: float) -> str:
    """The digits of `value` as written, separators left out ('1,209.3' and 1.2093 alike: 12093)."""
    whole, _, fraction = f"{abs(float(value)):.6f}".rstrip("0").partition(".")
    return (whole + fraction).lstrip("0")


def _amount(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def amount_groups(record: ApplicationRecord) -> Iterator[list[str]]:
    """Paths of amounts written to one precision: the basic-info form's, and each amount column's."""
    yield list(FORM_AMOUNTS)
    for table in AMOUNT_COLUMNS:
        yield [f"appendix.{table}[{index}].amount" for index in range(len(getattr(record.appendix, table)))]


def column_decimals(record: ApplicationRecord, paths: Sequence[str], but: str) -> int | None:
    """`CENTS` where the settled amounts at `paths` (all but `but`) carry no more decimals, as amounts in
    万元 are written (a column whose amounts happen to carry one decimal may still write another's cents);
    a column too short to say (fewer than `MEASURED_MIN`) is measured with the basic-info form's amounts,
    all in 万元 as its own. None where they carry more, or do not say."""
    measured = _settled_decimals(record, paths, but)
    if len(measured) < MEASURED_MIN and list(paths) != list(FORM_AMOUNTS):
        measured += _settled_decimals(record, FORM_AMOUNTS, but)
    return CENTS if len(measured) >= MEASURED_MIN and max(measured) <= CENTS else None


def carries_decimals(record: ApplicationRecord, paths: Sequence[str], but: str) -> bool:
    """Some settled amount at `paths` (all but `but`) is written with a point: the column has points to lose."""
    return any(places > 0 for places in _settled_decimals(record, paths, but))


def _settled_decimals(record: ApplicationRecord, paths: Sequence[str], but: str) -> list[int]:
    measured = []
    for path in paths:
        origin = record.provenance.get(path)
        value = get_path(record, path)
        if path == but or not _amount(value) or (origin is not None and origin.unsettled):
            continue
        measured.append(decimals(value))
    return measured


def thousands_reading(value: float, most: int) -> float | None:
    """`value`'s digits read with its point as a thousands separator and a point lost three digits on
    ('1.2093' as 1,209.3); None where that leaves more than `most` decimals, or none at all."""
    whole, _, fraction = f"{float(value):.6f}".rstrip("0").partition(".")
    if not whole.lstrip("-").strip("0") or len(fraction) < THOUSANDS:
        return None
    moved = len(fraction) - THOUSANDS
    if moved > most:
        return None
    return round(float(f"{whole}{fraction[:THOUSANDS]}.{fraction[THOUSANDS:] or 0}"), moved)


def thousands_readings(value: float, most: int) -> list[float]:
    """`value`'s thousands reading (`thousands_reading`) and, where digits follow the thousands group, the one
    with the first of them taken for the point ('1,501.4' read as 1.50124: the comma read as a point and the
    point as a 2, as `point_read_as_digit` takes it in a reading without one); the form's totals choose."""
    moved = thousands_reading(value, most)
    if moved is None:
        return []
    whole, _, fraction = f"{float(value):.6f}".rstrip("0").partition(".")
    rest = fraction[THOUSANDS:]
    if len(rest) < 2:
        return [moved]
    return [moved, round(float(f"{whole}{fraction[:THOUSANDS]}.{rest[1:]}"), len(rest) - 1)]


def yuan_reading(value: float, most: int) -> float | None:
    """`value` as the figure in 万元 it is where its unit was read 元, its 万 lost ('776.56万元' read '776.56元',
    taken as 0.077656: dev49 a12's financing; dev47 a01's 合同金额): where that leaves at most `most` decimals
    and its point is no thousands comma (`thousands_reading`: '10.798' is 10,798, not 107,980 in 元)."""
    scaled = lost_wan(value)
    fits = decimals(scaled) <= most < decimals(value) and thousands_reading(value, most) is None
    return scaled if fits else None


def by_precision(readings: Sequence[float], most: int) -> list[float]:
    """The readings without those carrying more than `most` decimals whose digits a reading with no
    more carries too (the same number, its separators misread)."""
    fitting = {digits(reading) for reading in readings if decimals(reading) <= most}
    return [reading for reading in readings if decimals(reading) <= most or digits(reading) not in fitting]


def point_readings(value: float, most: int) -> list[float]:
    """`value`, read without a point, with its point put back before its last 1..`most` digits ('27131'
    as 2,713.1 or 271.31): a point lost in a fax's dither or under a seal's stroke."""
    if decimals(value) or most < 1 or value != int(value):
        return []
    whole = str(int(value))
    return [round(int(whole) / 10**places, places) for places in range(1, most + 1) if len(whole) > places]


def point_read_as_digit(value: float, most: int) -> list[float]:
    """`value`, read without a point, with the digit where its point would stand (before its last
    1..`most` digits) taken for the point ('389110' as 389.10): a seal's stroke through a point reads
    as a one-stroke digit."""
    if decimals(value) or most < 1 or value != int(value):
        return []
    whole = str(int(value))
    return [round(float(f"{whole[:-places - 1]}.{whole[-places:]}"), places) for places in range(1, most + 1)
            if len(whole) > places + 1]


def settle_by_precision(record: ApplicationRecord, rules: CheckSettings) -> None:
    """Each amount's readings judged by the decimals its column writes (in place)."""
    for paths in amount_groups(record):
        for path in paths:
            origin = record.provenance.get(path)
            value = get_path(record, path)
            most = column_decimals(record, paths, path) if _amount(value) and origin is not None else None
            if most is None or origin is None or (origin.resolved_by not in (None, COLUMN_PRECISION)
                                                  and not origin.unsettled):
                continue  # a rule of the form's picked this reading: stronger evidence than a precision
            if path.startswith("appendix.") and reading_in_doubt(origin, rules) \
                    and carries_decimals(record, paths, path) and _beyond_column(record, paths, path, value):
                origin = _with_point_readings(value, origin, most)
                record.provenance[path] = origin
            updated = _judged(value, origin, most, path.startswith("appendix."))
            if updated is not None:
                new_value, provenance = updated
                log.info("%s: %s read %s, the column writes %d decimals: %s", record.source.file, path, value,
                         most, new_value)
                set_path(record, path, new_value)
                record.provenance[path] = provenance


def _beyond_column(record: ApplicationRecord, paths: Sequence[str], path: str, value: float) -> bool:
    """`value` is larger than every settled amount of its column (as a reading that lost its point is); a
    column too short to say is measured with the basic-info form's amounts too, its totals among them (a
    financing of 389,110 万元 beside a declared total of 3,165.93)."""
    settled = _settled_amounts(record, paths, path)
    if len(settled) < MEASURED_MIN and list(paths) != list(FORM_AMOUNTS):
        settled += _settled_amounts(record, FORM_AMOUNTS, path)
    return len(settled) >= MEASURED_MIN and value > max(settled)


def _settled_amounts(record: ApplicationRecord, paths: Sequence[str], but: str) -> list[float]:
    return [float(other) for other_path in paths if other_path != but and _amount(other := get_path(record, other_path))
            and not _unsettled(record.provenance.get(other_path))]


def _unsettled(origin: Provenance | None) -> bool:
    return origin is not None and origin.unsettled


def _with_point_readings(value: float, origin: Provenance, most: int) -> Provenance:
    """A doubtful amount without a point, beyond its column, kept with its readings with the point put back
    (`point_readings`) or taken for a digit (`point_read_as_digit`) as alternatives: the form's totals may pick one (`pipeline.reconcile`)."""
    readings = [*point_readings(value, most), *point_read_as_digit(value, most)]
    found = [reading for reading in dict.fromkeys(readings) if reading not in origin.alternatives and reading != value]
    if not found:
        return origin
    return origin.model_copy(update={"alternatives": [*origin.alternatives, *found], "resolved_by": None})


def _judged(value: float, origin: Provenance, most: int, in_table: bool) -> tuple[float, Provenance] | None:
    """`value` and its provenance once readings with too many decimals are dropped or repaired; None
    when nothing changes. A table's amount keeps each of its thousands readings (`thousands_readings`) for its
    total to pick; the form's own amounts only the first, as more readings only keep their 累计 rule, which holds
    for any smaller one, from choosing."""
    # The figure in 万元 of a unit read 元 is a guess at a lost character, not the same digits with their
    # separators misread: a total may pick it (`pipeline.reconcile`), the column's decimals alone never do
    # (dev51 a08: '497.83' read 0.4978, taken as 4,978, hid the true FINANCING_TOTAL_MISMATCH).
    yuan = yuan_reading(value, most) if decimals(value) > most else None
    others = [alt for alt in origin.alternatives if _amount(alt) and alt != yuan] if origin.unsettled else []
    readings = [float(value), *(float(alt) for alt in others)]
    repairs = (thousands_readings(value, most) if in_table else [thousands_reading(value, most)]) \
        if decimals(value) > most else []
    readings.extend(repair for repair in repairs if repair is not None and repair not in readings)
    offered = [yuan] if yuan is not None and yuan not in readings else []
    kept = by_precision(readings, most)
    if kept == readings and (not offered or (origin.unsettled and yuan in origin.alternatives)):
        return None
    dropped = [reading for reading in readings if reading not in kept]
    chosen = kept[0]
    update: dict[str, object] = {"alternatives": [*kept[1:], *offered], "resolved_by": None}
    if len(kept) == 1 and not offered:
        update = {"alternatives": dropped, "resolved_by": COLUMN_PRECISION}
    # A precision is evidence, not a reading: a comparison over the value stays a doubt (a warning).
    update["confidence"] = min(origin.confidence if origin.confidence is not None else 1.0, UNSURE)
    return chosen, origin.model_copy(update=update)
