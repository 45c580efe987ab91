"""OCR results cached on disk, keyed by image content + engine + parameters + region.

A second run over the same files does no OCR.  The key hashes the pixels actually sent
to the engine (after clean-up), so a change in preprocessing naturally misses the cache.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import logging
import os
import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from models.page import Line, Word
from pipeline.ocr.base import BoxPx, LinePosteriors, Mode, OcrEngine, OcrError, crop_region, guess_mode
from pipeline.ocr.join import Glyph
from pipeline.ocr.orient import Orientation

log = logging.getLogger(__name__)

CACHE_VERSION = 1
# Posteriors below this are stored as 0: word spotting floors probabilities here anyway
# (`pipeline.seals.spotting.FLOOR`), so a cached strip scores as a fresh one.
POSTERIOR_FLOOR = 1e-6


def _code_digest(*modules: str) -> str:
    """A digest of the source of the modules that turn an engine's glyphs into the cached words.

    A change in joining (`pipeline.ocr.join`) or in how a region is read (`pipeline.ocr.base`)
    changes the words for the same pixels, so it must miss the cache without anyone remembering
    to bump a version.
    """
    digest = hashlib.blake2b(digest_size=12)
    for name in modules:
        spec = importlib.util.find_spec(name)
        origin = spec.origin if spec is not None else None
        digest.update(Path(origin).read_bytes() if origin else name.encode())
    return digest.hexdigest()


WORDS_CODE = _code_digest("pipeline.ocr.join", "pipeline.ocr.base")


def image_digest(image: np.ndarray) -> str:
    digest = hashlib.blake2b(digest_size=20)
    digest.update(repr((image.shape, str(image.dtype))).encode())
    digest.update(np.ascontiguousarray(image).data)
    return digest.hexdigest()


class CachedEngine(OcrEngine):
    """Wraps an engine; `calls` counts the reads that reached the real engine."""

    def __init__(self, engine: OcrEngine, cache_dir: Path) -> None:
        self.engine = engine
        self.name = engine.name
        self.directory = cache_dir / "ocr"
        self.calls = 0

    def params(self) -> dict[str, object]:
        return self.engine.params()

    def recognise(self, image: np.ndarray, mode: Mode, dpi: float) -> list[list[Glyph]]:
        self.calls += 1
        return self.engine.recognise(image, mode, dpi)

    def key(
        self, image: np.ndarray, box_px: BoxPx | None, dpi: float, separators: Sequence[Line], mode: Mode | None
    ) -> str:
        params = self.params()
        # What decides reads of this mode only (the crop detector's scale): keys of other reads unchanged.
        mode_params = getattr(self.engine, "mode_params", None)
        if mode_params is not None:
            params.update(mode_params(mode or guess_mode(crop_region(image, box_px)[0], box_px, dpi)))
        recipe = json.dumps(
            [CACHE_VERSION, WORDS_CODE, self.name, params, box_px, dpi, mode,
             [list(vars(s).values()) for s in separators]],
            sort_keys=True,
            default=str,
        )
        return hashlib.blake2b((image_digest(image) + recipe).encode(), digest_size=20).hexdigest()

    def orientation(self, grey: np.ndarray) -> Orientation | None:
        return self.engine.orientation(grey)  # one call per page, when asked for: not worth caching

    def line_posteriors(self, strip: np.ndarray) -> LinePosteriors | None:
        """The wrapped engine's posteriors, kept on disk sparse (only classes above `POSTERIOR_FLOOR`)."""
        recipe = json.dumps([CACHE_VERSION, self.name, self.params(), "posteriors"], sort_keys=True, default=str)
        key = hashlib.blake2b((image_digest(strip) + recipe).encode(), digest_size=20).hexdigest()
        path = self.directory / key[:2] / f"{key}.npz"
        alphabet_path = self.directory / f"alphabet-{hashlib.blake2b(recipe.encode(), digest_size=10).hexdigest()}.json"
        cached = _load_posteriors(path, alphabet_path)
        if cached is not None:
            return cached
        self.calls += 1
        posteriors = self.engine.line_posteriors(strip)
        if posteriors is not None:
            _store_posteriors(path, alphabet_path, posteriors)
        return posteriors

    def read_ahead(self, requests: Sequence[tuple[np.ndarray, BoxPx | None, float, Mode | None]]) -> None:
        """Let the wrapped engine read ahead (`read_ahead`, where it can) the regions `read_region(image,
        box_px, dpi=dpi, mode=mode)` will be asked for and the cache does not hold yet."""
        ahead = getattr(self.engine, "read_ahead", None)
        if ahead is None:
            return
        wanted: list[tuple[np.ndarray, Mode, float]] = []
        for image, box_px, dpi, mode in requests:
            key = self.key(image, box_px, dpi, (), mode)
            if (self.directory / key[:2] / f"{key}.json").exists():
                continue
            crop, _ = crop_region(image, box_px)
            if crop.size:
                wanted.append((crop, mode or guess_mode(crop, box_px, dpi), dpi))
        ahead(wanted)

    def read_region(
        self,
        image: np.ndarray,
        box_px: BoxPx | None = None,
        *,
        dpi: float = 72.0,
        separators: Sequence[Line] = (),
        mode: Mode | None = None,
    ) -> list[Word]:
        key = self.key(image, box_px, dpi, separators, mode)
        path = self.directory / key[:2] / f"{key}.json"
        cached = _load(path)
        if cached is not None:
            return cached
        words = super().read_region(image, box_px, dpi=dpi, separators=separators, mode=mode)
        _store(path, words)
        return words


def read_ahead(engine: OcrEngine, requests: Sequence[tuple[np.ndarray, BoxPx | None, float, Mode | None]]) -> None:
    """Tell `engine` (cached or not) the regions it is about to be asked to read (`read_region(image, box_px,
    dpi=dpi, mode=mode)`, no separators): one that reads faster several at a time (Tesseract) reads them now,
    and each `read_region` then gives what it would have given alone. Others ignore it. Reading ahead only saves
    time: where it fails (a temporary file, the program), each region is read alone when asked for, as before."""
    try:
        if isinstance(engine, CachedEngine):
            engine.read_ahead(requests)
            return
        ahead = getattr(engine, "read_ahead", None)
        if ahead is not None:
            wanted = [(crop, mode or guess_mode(crop, box_px, dpi), dpi)
                      for image, box_px, dpi, mode in requests if (crop := crop_region(image, box_px)[0]).size]
            ahead(wanted)
    except (OcrError, OSError) as error:
        log.warning("%s could not read %d regions ahead, each is read alone: %s", engine.name, len(requests), error)


def _writer() -> str:
    """This process and thread, for a temporary file's name: two stages of a file's process (threads) may
    write the same entry at once, as two page workers may."""
    return f"{os.getpid()}-{threading.get_ident()}"


def _load(path: Path) -> list[Word] | None:
    try:
        rows = json.loads(path.read_text(encoding="utf-8"))
        return [Word(r["text"], tuple(r["bbox"]), r["confidence"], r["source"]) for r in rows]
    except (OSError, ValueError, KeyError, TypeError):
        return None  # absent or damaged entry: read again


def _store(path: Path, words: list[Word]) -> None:
    """Write atomically (temp file + rename) so parallel workers never see half a file."""
    rows = [{"text": w.text, "bbox": list(w.bbox), "confidence": w.confidence, "source": w.source} for w in words]
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temp = path.with_suffix(f".{_writer()}.tmp")
        temp.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
        temp.replace(path)
    except OSError:
        pass  # a read-only or full cache directory must not fail the page


# The alphabets this process has read, by file: one is written once under its recipe's digest and never
# changed, and every strip a warm cache hands back names it (reading and parsing its 6,906 characters took
# about a millisecond a strip; one tuple also lets each alphabet's look-ups find it by identity).
_ALPHABETS: dict[Path, tuple[str, ...]] = {}


def _alphabet(path: Path) -> tuple[str, ...]:
    if path not in _ALPHABETS:
        _ALPHABETS[path] = tuple(json.loads(path.read_text(encoding="utf-8")))
    return _ALPHABETS[path]


def _load_posteriors(path: Path, alphabet_path: Path) -> LinePosteriors | None:
    try:
        characters = _alphabet(alphabet_path)
        with np.load(path) as stored:
            frames = np.zeros((int(stored["frames"]), len(characters)), np.float32)
            frames[stored["rows"], stored["classes"]] = stored["values"]
        return LinePosteriors(frames, characters)
    except (OSError, ValueError, KeyError, TypeError, IndexError, OcrError):
        return None  # absent or damaged entry: read again


def _store_posteriors(path: Path, alphabet_path: Path, posteriors: LinePosteriors) -> None:
    rows, classes, values = sparse_posteriors(posteriors.frames)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if not alphabet_path.exists():
            _atomic_write(alphabet_path, json.dumps(list(posteriors.characters), ensure_ascii=False).encode())
        temp = path.with_suffix(f".{_writer()}.tmp.npz")
        # Not compressed: the sparse arrays shrink by only about a third, and zlib took as long as the strip's
        # recognition (a cold run writes one file per seal strip and doubtful cell).
        np.savez(temp, frames=len(posteriors.frames), rows=rows.astype(np.uint16),
                            classes=classes.astype(np.uint16), values=values)
        temp.replace(path)
    except OSError:
        pass  # a read-only or full cache directory must not fail the page


def sparse_posteriors(frames: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The (row, class) of every posterior at `POSTERIOR_FLOOR` or above, in row-major order, and its value:
    `np.nonzero` of the 2-D test and `frames[rows, classes]`, by flat index (the same arrays; a strip's
    frames hold thousands of classes each, and 2-D `nonzero` took ten times as long over them as 1-D)."""
    flat = np.ravel(frames)
    where = np.flatnonzero(flat >= POSTERIOR_FLOOR)
    rows, classes = np.divmod(where, max(1, frames.shape[1]))  # frames: (time, classes)
    return rows, classes, flat[where]


def _atomic_write(path: Path, data: bytes) -> None:
    temp = path.with_suffix(f".{_writer()}.tmp")
    temp.write_bytes(data)
    temp.replace(path)
