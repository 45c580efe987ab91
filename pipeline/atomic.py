"""Writing files so that a crash leaves the old file or the new one, never half of either."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

TEMP_SUFFIX = ".dtpc-tmp"


def _file_mode() -> int:
    """The mode a plainly created file gets (0666 less the umask); mkstemp's own 0600 would hide outputs."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


FILE_MODE = _file_mode()


def temp_prefix(target: Path) -> str:
    """The prefix of every temporary file that will become `target` (hidden, short)."""
    return f".{target.name[:40]}."


def atomic_write_text(target: Path, text: str) -> Path:
    """Write `text` to a temporary file beside `target`, flush it to disk, then rename it over `target`."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(dir=target.parent, prefix=temp_prefix(target), suffix=TEMP_SUFFIX)
    try:
        os.fchmod(handle, FILE_MODE)
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    return target


def remove_temps(folder: Path, prefix: str = ".") -> int:
    """Delete temporary files left in `folder` (only those starting with `prefix`); how many."""
    removed = 0
    with contextlib.suppress(OSError):
        for entry in os.scandir(folder):
            if entry.name.startswith(prefix) and entry.name.endswith(TEMP_SUFFIX) and entry.is_file():
                with contextlib.suppress(OSError):
                    os.unlink(entry.path)
                    removed += 1
    return removed


def remove_temps_below(out_dir: Path) -> int:
    """Delete every temporary file under `out_dir` (left by a killed writer); how many."""
    if not out_dir.is_dir():
        return 0
    return sum(remove_temps(Path(folder)) for folder, _, _ in os.walk(out_dir))
