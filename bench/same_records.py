"""Whether two batch outputs hold the same records: the guard of a change meant to leave every reading alone.

    python -m bench.same_records BEFORE/ AFTER/ [--evidence]

Every `<input>.json` record of one folder is compared with its namesake in the other, key by key (the
batch's own `batch.json`, `profile.tsv` and the reviewer site hold times and are left out); a key whose
name says it is a time (`seconds`, `elapsed`, `timing`, ...) is left out at any depth. With `--evidence`,
the evidence crops are compared byte for byte too. Prints each difference (file, path, both values) and
exits 1 when there is any.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from pathlib import Path

SKIPPED_FILES = frozenset({"batch.json"})
TIME_KEYS = frozenset({"seconds", "elapsed", "elapsed_s", "timing", "timings", "stages", "duration", "profile"})
Json = object


def differences(before: Json, after: Json, path: str = "") -> Iterator[tuple[str, Json, Json]]:
    """(path, before, after) for every place the two JSON values differ, time keys left out."""
    if isinstance(before, dict) and isinstance(after, dict):
        for key in sorted(set(before) | set(after)):
            if key in TIME_KEYS:
                continue
            if key not in before or key not in after:
                yield f"{path}/{key}", before.get(key, "<absent>"), after.get(key, "<absent>")
            else:
                yield from differences(before[key], after[key], f"{path}/{key}")
    elif isinstance(before, list) and isinstance(after, list):
        if len(before) != len(after):
            yield f"{path}[len]", len(before), len(after)
        for index, (one, other) in enumerate(zip(before, after, strict=False)):
            yield from differences(one, other, f"{path}[{index}]")
    elif before != after or type(before) is not type(after):
        yield path, before, after


def records(folder: Path) -> dict[str, Path]:
    return {path.name: path for path in sorted(folder.glob("*.json")) if path.name not in SKIPPED_FILES}


def evidence_differences(before: Path, after: Path) -> Iterator[tuple[str, Json, Json]]:
    """Evidence crops present in one folder only, or not the same bytes."""
    one = {p.relative_to(before): p for p in before.glob("*.evidence/*")}
    other = {p.relative_to(after): p for p in after.glob("*.evidence/*")}
    for name in sorted(set(one) | set(other)):
        if name not in one or name not in other:
            yield str(name), name in one, name in other
        elif one[name].read_bytes() != other[name].read_bytes():
            yield str(name), "bytes", "differ"


def compare(before: Path, after: Path, evidence: bool = False) -> list[tuple[str, str, Json, Json]]:
    """Every difference between the two folders' records: (file, path, before, after)."""
    found: list[tuple[str, str, Json, Json]] = []
    old, new = records(before), records(after)
    for name in sorted(set(old) | set(new)):
        if name not in old or name not in new:
            found.append((name, "", name in old, name in new))
            continue
        left = json.loads(old[name].read_text(encoding="utf-8"))
        right = json.loads(new[name].read_text(encoding="utf-8"))
        found.extend((name, path, one, other) for path, one, other in differences(left, right))
    if evidence:
        found.extend(("evidence", path, one, other) for path, one, other in evidence_differences(before, after))
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("before", type=Path)
    parser.add_argument("after", type=Path)
    parser.add_argument("--evidence", action="store_true", help="compare the evidence crops byte for byte too")
    args = parser.parse_args(argv)
    found = compare(args.before, args.after, args.evidence)
    for name, path, one, other in found:
        print(f"{name} {path}: {str(one)[:120]!r} -> {str(other)[:120]!r}")
    count = len(records(args.after))
    print(f"{len(found)} differences over {count} records ({args.before} -> {args.after})")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
