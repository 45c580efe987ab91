"""Reading back what a batch wrote: the record JSON files under an output folder.

The report and the analyst exports both start from OUT as it is on disk (a re-run may
have skipped files, several runs may share OUT), so both read it here.
"""

from __future__ import annotations

import logging
from pathlib import Path

from models import OutputRecord, parse_record

log = logging.getLogger(__name__)
# JSON in OUT that is not a record: the batch summary (and its name before batch.json).
SUMMARY_NAMES = frozenset({"batch.json", "batch_summary.json"})


def load_records(out_dir: Path) -> list[tuple[Path, OutputRecord]]:
    """Every record JSON under `out_dir` (recursively) with its path, in path order; other JSON is skipped."""
    found: list[tuple[Path, OutputRecord]] = []
    for path in sorted(out_dir.rglob("*.json")):
        if path.name in SUMMARY_NAMES or not path.is_file():
            continue
        try:
            found.append((path, parse_record(path.read_bytes())))
        except (ValueError, OSError) as error:  # pydantic's ValidationError is a ValueError
            log.debug("not a record: %s (%s)", path, error)
    return found
