"""Output names: `OUT/<relative input path>.json`, safe whatever the input is called.

Each part of the input's path below the batch folder is kept as it is when it is harmless.
A part that is changed (control characters, a leading dot or dash, a reserved name) or cut
(too long) gets `~<hash of the original part>` before its suffix, so two different inputs
can never map to the same output, and no output can land outside OUT.
"""

from __future__ import annotations

import contextlib
import hashlib
import os.path
import unicodedata
from pathlib import Path

INPUT_SUFFIXES = frozenset({".pdf", ".jpg", ".jpeg", ".png", ".tif", ".tiff"})
# Leaves room for ".json", ".evidence" and a temp-file prefix under the usual 255-byte name limit.
MAX_PART_BYTES = 160
HASH_CHARS = 12
# Folder names a batch writes into OUT itself, or that would clash with an output's own companions.
RESERVED_FOLDERS = frozenset({"report", "parquet", "tables", "evidence"})
RESERVED_FOLDER_SUFFIXES = (".json", ".evidence")
_FORBIDDEN = frozenset('/\\\x00')


def find_inputs(folder: Path, exclude: Path | None = None) -> list[Path]:
    """Every PDF/JPG/PNG/TIFF under `folder` (not under `exclude`, the output folder), in a stable order."""
    skip = exclude.resolve() if exclude is not None else None
    found = []
    for path in folder.rglob("*"):
        if path.suffix.lower() not in INPUT_SUFFIXES or not path.is_file():
            continue
        if skip is not None and path.resolve().is_relative_to(skip):
            continue
        found.append(path)
    return sorted(found)


def display(name: str) -> str:
    """`name` as valid UTF-8 text (file names may hold bytes that are not)."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _digest(name: str) -> str:
    return hashlib.sha256(name.encode("utf-8", "surrogateescape")).hexdigest()[:HASH_CHARS]


def _unsafe(char: str) -> bool:
    return char in _FORBIDDEN or unicodedata.category(char)[0] == "C" or unicodedata.category(char) in {"Zl", "Zp"}


def _cut(text: str, limit: int) -> str:
    """The longest prefix of `text` that is at most `limit` UTF-8 bytes."""
    data = text.encode("utf-8")[:limit]
    return data.decode("utf-8", "ignore")


def safe_part(name: str, folder: bool = False) -> str:
    """One path part, safe as a file or folder name; unchanged when already safe."""
    clean = "".join("_" if _unsafe(char) else char for char in name)
    if clean[:1] in {".", "-", ""}:
        clean = "_" + clean[1:]
    reserved = folder and (clean.lower() in RESERVED_FOLDERS or clean.lower().endswith(RESERVED_FOLDER_SUFFIXES))
    if clean == name and not reserved and len(name.encode("utf-8")) <= MAX_PART_BYTES:
        return name
    suffix = "" if folder else Path(clean).suffix
    if len(suffix.encode("utf-8")) > 16:
        suffix = ""
    stem = clean[: len(clean) - len(suffix)] if suffix else clean
    tag = f"~{_digest(name)}"
    room = MAX_PART_BYTES - len(tag.encode()) - len(suffix.encode("utf-8"))
    return f"{_cut(stem, room)}{tag}{suffix}"


def output_path(path: Path, out_dir: Path, root: Path | None = None) -> Path:
    """Where `path`'s record goes: its path relative to `root` (or its name alone), made safe, plus `.json`."""
    parts: tuple[str, ...] = (path.name,)
    if root is not None:
        # Lexically (abspath, not resolve): a symlink keeps the place it has in the input folder.
        with contextlib.suppress(ValueError):
            parts = Path(os.path.abspath(path)).relative_to(os.path.abspath(root)).parts or parts
    folders = [safe_part(part, folder=True) for part in parts[:-1]]
    return out_dir.joinpath(*folders, f"{safe_part(parts[-1])}.json")


def common_root(paths: list[Path]) -> Path | None:
    """The deepest folder holding all `paths` (None for none)."""
    if not paths:
        return None
    parents = [os.path.dirname(os.path.abspath(path)) for path in paths]
    return Path(os.path.commonpath(parents))
