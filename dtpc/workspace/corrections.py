"""A reviewer's correction applied to a record, and every check run again over the corrected record.

`apply_correction` sets one value by its path (`basic_info.lead_unit.is_legal_person`,
`appendix.contracts[3].amount`) and validates the whole record again (pydantic), so a correction can
never make a record the contract refuses. `recheck` runs `pipeline.checks` over it: the registered
checks are recomputed; findings the reading stages made (a cell read at low confidence, a page that
could not be read) are kept, except those about a value a reviewer has now corrected.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any

from pydantic import ValidationError

from models import ApplicationRecord, Check, OutputRecord, RecommendationRecord, parse_record
from pipeline.checks import CheckContext, run_checks
from pipeline.config import Settings
from pipeline.reconcile import reconcile

# Parts of a record a reviewer may correct: what was read, never the source, checks or provenance.
EDITABLE = frozenset({"cover", "basic_info", "plan", "appendix", "seal_slots", "signatures", "recommendation"})
_STEP = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)((?:\[\d+\])*)$")


class CorrectionError(ValueError):
    """A correction that cannot be applied: an unknown path, or a value the record's model refuses."""


# `resolved_by` of a value a reviewer set: no reading is in doubt there any more.
REVIEWER = "reviewer"


def parse_path(path: str) -> list[str | int]:
    """`appendix.contracts[3].amount` → ["appendix", "contracts", 3, "amount"]."""
    steps: list[str | int] = []
    for part in path.split("."):
        match = _STEP.match(part)
        if match is None:
            raise CorrectionError(f"not a field path: {path!r}")
        steps.append(match.group(1))
        steps.extend(int(index) for index in re.findall(r"\[(\d+)\]", match.group(2)))
    if not steps or steps[0] not in EDITABLE:
        raise CorrectionError(f"only values read from the form can be corrected ({', '.join(sorted(EDITABLE))})")
    return steps


def _container(data: Any, steps: list[str | int], path: str) -> Any:
    """The dict or list holding the last step, checking every step exists."""
    for step in steps[:-1]:
        data = _step(data, step, path)
    _step(data, steps[-1], path)
    return data


def _step(data: Any, step: str | int, path: str) -> Any:
    if isinstance(step, int) and isinstance(data, list) and 0 <= step < len(data):
        return data[step]
    if isinstance(step, str) and isinstance(data, dict) and step in data:
        return data[step]
    raise CorrectionError(f"no such field in this record: {path}")


def value_at(record: OutputRecord, path: str) -> Any:
    data: Any = record.model_dump(mode="json")
    for step in parse_path(path):
        data = _step(data, step, path)
    return data


def apply_correction(record: OutputRecord, path: str, value: Any) -> tuple[OutputRecord, Any]:
    """(the record with `path` set to `value`, validated; the value it had before)."""
    if not isinstance(record, ApplicationRecord | RecommendationRecord):
        raise CorrectionError("an unreadable file has no values to correct")
    steps = parse_path(path)
    data = record.model_dump(mode="json")
    holder = _container(data, steps, path)
    last = steps[-1]
    original = holder[last]
    holder[last] = value
    origin = data["provenance"].get(path)
    if origin is not None:  # the place it was read stays; the confidence is now a reviewer's
        origin.update(confidence=None, repaired_from=json.dumps(original, ensure_ascii=False),
                      alternatives=[], resolved_by=REVIEWER, blank=True if value in (None, "", []) else None)
    try:
        corrected = parse_record(data)
    except ValidationError as error:
        problems = "; ".join(f"{'.'.join(str(p) for p in item['loc'][1:])}: {item['msg']}" for item in error.errors())
        raise CorrectionError(f"{path}: {problems}") from error
    return corrected, original


def consortium_agreement(record: OutputRecord) -> bool | None:
    """What the reading found about a consortium agreement page, from its record (the check needs it):
    its CONSORTIUM_AGREEMENT_MISSING says there is none; a consortium without that finding had one."""
    if any(check.code == "CONSORTIUM_AGREEMENT_MISSING" for check in record.checks):
        return False
    if isinstance(record, ApplicationRecord) and record.basic_info.members:
        return True
    return None


def stage_findings(record: ApplicationRecord | RecommendationRecord, settings: Settings) -> list[Check]:
    """The findings of `record` that its registered checks do not make: the reading stages' own."""
    context = CheckContext(record=record.model_copy(update={"checks": []}), settings=settings,
                           has_consortium_agreement=consortium_agreement(record))
    made = {(check.code, check.where) for check in run_checks(context)}
    return [check for check in record.checks if (check.code, check.where) not in made]


def _about(where: str, paths: Iterable[str]) -> bool:
    return any(where == path or where.startswith((f"{path}.", f"{path}[")) for path in paths)


def recheck(original: OutputRecord, corrected: OutputRecord, corrected_paths: Iterable[str],
            settings: Settings) -> list[Check]:
    """Every check over `corrected`, with the reading's own findings kept unless about a corrected path."""
    if not isinstance(original, ApplicationRecord | RecommendationRecord):
        return list(corrected.checks)
    assert isinstance(corrected, ApplicationRecord | RecommendationRecord)
    paths = list(corrected_paths)
    kept = [check for check in stage_findings(original, settings) if not _about(check.where, paths)]
    if isinstance(corrected, ApplicationRecord):
        reconcile(corrected, settings)  # a corrected cell may settle another reading's doubt
    context = CheckContext(record=corrected, settings=settings, has_consortium_agreement=consortium_agreement(original))
    return run_checks(context, kept)


def corrected_record(original: OutputRecord, corrections: Iterable[tuple[str, Any]], settings: Settings) -> OutputRecord:
    """`original` with each (path, value) applied in order and every check run again."""
    record, paths = original, []
    for path, value in corrections:
        record, _ = apply_correction(record, path, value)
        paths.append(path)
    if not paths:
        return original
    record.checks = recheck(original, record, paths, settings)
    return record
