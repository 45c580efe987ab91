"""Files whose process misbehaves, for the batch's tests: a `FileReader` injected through
`BatchOptions.reader` (or `run_job`'s `reader`) that acts up for the files named, then reads
as the pipeline does. Module-level functions, so the file's process can unpickle them.

`python -m tests.faults ACTIONS dtpc-arguments…` runs the CLI with such a reader (for the
test that interrupts a real `dtpc batch` process).
"""

from __future__ import annotations

import functools
import json
import os
import sys
import tempfile
import time
from pathlib import Path

from models import OutputRecord
from pipeline.atomic import atomic_write_text
from pipeline.batch import FileReader, read_file
from pipeline.config import Settings
from pipeline.timing import StageTimes

_HOG: list[bytes] = []


def act(action: str) -> None:
    """pidfile:P (write this process's pid to P, then hang), sleep:S, hang, crash, hog:MB (then hang),
    tempdir:P (make a temp folder, write its path to P, then hang), borrow:P (wait up to a minute for a core the batch lends, give it back and write "lent" to P; then read)."""
    kind, _, argument = action.partition(":")
    if kind == "borrow":
        from pipeline.page_pool import PagePool

        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if PagePool.loan is not None and PagePool.loan.borrow():
                PagePool.loan.give_back()
                atomic_write_text(Path(argument), "lent")
                return
            time.sleep(0.1)
    elif kind == "pidfile":
        atomic_write_text(Path(argument), str(os.getpid()))
        time.sleep(3600)
    elif kind == "tempdir":
        atomic_write_text(Path(argument), tempfile.mkdtemp(prefix="dtpc-fault-"))
        time.sleep(3600)
    elif kind == "sleep":
        time.sleep(float(argument))
    elif kind == "hang":
        while True:
            time.sleep(1)
    elif kind == "crash":
        os._exit(3)
    elif kind == "hog":
        _HOG.append(b"\x01" * (int(argument) << 20))  # written, so resident
        time.sleep(3600)
    else:
        raise ValueError(f"unknown fault {action!r}")


def _misbehaving(actions: dict[str, str], path: Path, target: Path, settings: Settings,
                 times: StageTimes) -> OutputRecord:
    if path.name in actions:
        act(actions[path.name])
    return read_file(path, target, settings, times)


def reader(actions: dict[str, str]) -> FileReader:
    """A reader that first does `actions[<input file name>]` (see `act`) in that file's process."""
    return functools.partial(_misbehaving, dict(actions))


def main(argv: list[str]) -> None:
    """The dtpc CLI whose batches read files with `reader(json.loads(argv[0]))`."""
    from dtpc.cli import app
    from pipeline import batch

    batch.BatchOptions = functools.partial(batch.BatchOptions, reader=reader(json.loads(argv[0])))  # type: ignore[misc]
    app(argv[1:], prog_name="dtpc")


if __name__ == "__main__":
    main(sys.argv[1:])
