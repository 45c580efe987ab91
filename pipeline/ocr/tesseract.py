"""Tesseract through `pipeline.programs.run_program` (a time limit, one thread): TSV output parsed as data.

Also Tesseract's own orientation detection (OSD, `--psm 0`), for comparison with ours
(`pipeline.ocr.orient`).
"""

from __future__ import annotations

import csv
import functools
import hashlib
import io
import logging
import re
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from pipeline.errors import ProgramError
from pipeline.ocr.base import Mode, OcrEngine, OcrError
from pipeline.ocr.join import Glyph
from pipeline.ocr.orient import Orientation
from pipeline.programs import run_program

log = logging.getLogger(__name__)

# Whole pages are read at this resolution: measured as fast as it gets before accuracy
# drops (at 100 dpi errors double), see docs/reading.md.
PAGE_DPI = 120.0
# Choices measured on the corpus (see the class): no inverted-text pass, no table finder.
CONFIG = ("-c", "tessedit_do_invert=0", "-c", "textord_tabfind_find_tables=0")
VERSION_TIMEOUT_S = 30.0
_OSD_ROTATION = re.compile(r"Orientation in degrees:\s*(\d+)")
_OSD_CONFIDENCE = re.compile(r"Orientation confidence:\s*([\d.]+)")


@dataclass(frozen=True)
class TsvRow:
    level: int
    block: int
    par: int
    line: int
    word: int
    left: int
    top: int
    width: int
    height: int
    conf: float
    text: str


def parse_tsv(tsv: str) -> list[TsvRow]:
    """Rows of Tesseract's TSV (header skipped); tolerant of blank and short lines."""
    rows: list[TsvRow] = []
    reader = csv.reader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE)
    for fields in reader:
        if len(fields) < 11 or fields[0] == "level":
            continue
        try:
            numbers = [int(value) for value in fields[:10]]
            conf = float(fields[10])
        except ValueError:
            continue
        text = fields[11] if len(fields) > 11 else ""
        # level, page_num (dropped: one image is one page), block, par, line, word, left, top, width, height
        level, _, block, par, line, word, left, top, width, height = numbers
        rows.append(TsvRow(level, block, par, line, word, left, top, width, height, conf, text))
    return rows


def tsv_to_lines(rows: list[TsvRow]) -> list[list[Glyph]]:
    """Word rows (level 5) grouped by Tesseract's own block/paragraph/line ids.

    Tesseract's line structure is kept because it follows skewed baselines better than a
    re-grouping would; the words inside a line are re-joined by geometry later.
    """
    lines: dict[tuple[int, int, int], list[Glyph]] = {}
    for row in rows:
        if row.level != 5 or row.conf < 0 or not row.text.strip():
            continue
        box = (float(row.left), float(row.top), float(row.left + row.width), float(row.top + row.height))
        lines.setdefault((row.block, row.par, row.line), []).append(Glyph(row.text.strip(), box, row.conf / 100.0))
    return list(lines.values())


class TesseractEngine(OcrEngine):
    """`tesseract <pgm> stdout -l LANG --psm N -c … tsv` for a page or a region.

    Choices measured on the corpus (docs/reading.md): the image is binarised here (Otsu on
    an already flattened page, so one global threshold is right); Tesseract's check for
    white-on-black text is off (for every line it doubts it would recognise the inverted
    line too, and forms have no inverted text); its own table finder is off (it splits
    cells oddly, and tables are found from ruling lines by a later stage): faster and
    about a quarter fewer character errors.
    """

    name = "tesseract"

    def __init__(
        self,
        lang: str = "chi_sim",
        page_psm: int = 3,
        timeout_s: float = 60.0,
        binarise: bool = True,
        page_dpi: float = PAGE_DPI,
        whitelist: str | None = None,
        name: str = "tesseract",
    ) -> None:
        self.name = name
        self.lang = lang
        self.page_psm = page_psm
        self.timeout_s = timeout_s
        self.binarise = binarise
        self.page_dpi = page_dpi
        # The only characters it may read (a number's digits, separators and unit): none when unset.
        self.whitelist = whitelist
        # Lines read ahead (`read_ahead`), by (image digest, mode, dpi), each handed out once by `recognise`.
        self._ahead: dict[tuple[str, str, float], list[list[Glyph]]] = {}

    def params(self) -> dict[str, object]:
        return {
            "lang": self.lang,
            "page_psm": self.page_psm,
            "binarise": self.binarise,
            "invert": False,
            "find_tables": False,
            "page_dpi": self.page_dpi,
            "version": str(_version()),
            # Only when set: the cache keys of every other reading stay as they were.
            **({"whitelist": self.whitelist} if self.whitelist is not None else {}),
        }

    def psm_for(self, mode: Mode) -> int:
        return {"page": self.page_psm, "block": 6, "line": 7}[mode]

    def recognise(self, image: np.ndarray, mode: Mode, dpi: float) -> list[list[Glyph]]:
        ahead = self._ahead.pop(_request_key(image, mode, dpi), None)
        if ahead is not None:
            return ahead
        prepared, scale = self._prepared(image, mode, dpi)
        with tempfile.TemporaryDirectory(prefix="dtpc-tess-") as tmp:
            path = Path(tmp) / "in.pgm"
            # Uncompressed PGM: the file only lives for this call, encoding it costs nothing.
            cv2.imwrite(str(path), prepared)
            tsv = self.run_tsv(path, self.psm_for(mode))
        return _lines(parse_tsv(tsv), scale)

    def _prepared(self, image: np.ndarray, mode: Mode, dpi: float) -> tuple[np.ndarray, float]:
        """The pixels Tesseract is given for `image`, and the scale they were shrunk by (1.0: not)."""
        if image.ndim == 3:
            image = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
        if self.binarise and image.size:
            _, image = cv2.threshold(image, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
        # A whole page is read at `page_dpi`: the binary page shrunk with area averaging
        # keeps smooth strokes, and Tesseract's layout and line work shrink with the pixels.
        scale = self.page_dpi / dpi if mode == "page" and dpi > 1.05 * self.page_dpi else 1.0
        if scale < 1.0:
            image = cv2.resize(image, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
        return image, scale

    def read_ahead(self, requests: Sequence[tuple[np.ndarray, Mode, float]]) -> None:
        """Recognise these images (each as `recognise(image, mode, dpi)` would) in one Tesseract run per page
        segmentation mode, and keep each one's lines for the `recognise` call that asks for that image.

        Tesseract spends ~0.2 CPU-s starting and loading its language before reading anything; the second
        readings of a document's values are a few small crops on each of several pages (a stack per page and
        engine), so most of their time was starting. Given a list of images, one Tesseract reads each as a
        page of its own: the LSTM recogniser keeps nothing from one page to the next, and each page's TSV rows
        are those the image read alone gives (`tests/test_tesseract_ahead.py`). A run that fails keeps
        nothing: each image is then read alone, as before, and fails or not on its own.
        """
        by_psm: dict[int, list[tuple[tuple[str, str, float], np.ndarray, float]]] = {}
        for image, mode, dpi in requests:
            key = _request_key(image, mode, dpi)
            if key in self._ahead or image.size == 0:
                continue
            prepared, scale = self._prepared(image, mode, dpi)
            wanted = by_psm.setdefault(self.psm_for(mode), [])
            if all(key != other for other, _, _ in wanted):
                wanted.append((key, prepared, scale))
        for psm, wanted in by_psm.items():
            if len(wanted) < 2:
                continue  # one image: read when asked for, as ever
            with tempfile.TemporaryDirectory(prefix="dtpc-tess-") as tmp:
                paths = [Path(tmp) / f"in-{index:04d}.pgm" for index in range(len(wanted))]
                for path, (_, prepared, _) in zip(paths, wanted, strict=True):
                    cv2.imwrite(str(path), prepared)
                listing = Path(tmp) / "images.txt"
                listing.write_text("".join(f"{path}\n" for path in paths), encoding="utf-8")
                try:
                    tsv = self.run_tsv(listing, psm, timeout_s=self.timeout_s * len(wanted))
                except OcrError as error:
                    log.warning("tesseract on %d images at once failed, each is read alone: %s", len(wanted), error)
                    continue
            pages = _pages(tsv)
            for number, (key, _, scale) in enumerate(wanted, start=1):
                self._ahead[key] = _lines(pages.get(number, []), scale)

    def run_tsv(self, image_path: Path, psm: int, timeout_s: float | None = None) -> str:
        """Raw TSV for an image file (or a file listing images, one a line: each a page of the TSV); a
        timeout or a Tesseract error becomes OcrError."""
        allowed = ("-c", f"tessedit_char_whitelist={self.whitelist}") if self.whitelist is not None else ()
        command: list[str | Path] = ["tesseract", image_path, "stdout", "-l", self.lang, "--psm", str(psm), *CONFIG,
                                     *allowed, "tsv"]
        try:
            return run_program(command, timeout_s=timeout_s or self.timeout_s).text
        except ProgramError as error:
            raise OcrError(f"tesseract failed: {error}") from error
        except UnicodeDecodeError as error:
            raise OcrError("tesseract wrote output that is not UTF-8") from error

    def orientation(self, grey: np.ndarray) -> Orientation:
        """Tesseract OSD (`--psm 0`) on a grey page; a failure reads as 'unknown' (0, 0.0), logged."""
        with tempfile.TemporaryDirectory(prefix="dtpc-osd-") as tmp:
            path = Path(tmp) / "page.png"
            cv2.imwrite(str(path), grey, [cv2.IMWRITE_PNG_COMPRESSION, 1])
            try:
                output = run_program(["tesseract", path, "-", "--psm", "0"], timeout_s=self.timeout_s,
                                     check=False).stdout.decode("utf-8", "replace")
            except ProgramError as error:
                log.warning("orientation unknown: %s", error)
                return Orientation(0, 0.0)
        rotation = _OSD_ROTATION.search(output)
        confidence = _OSD_CONFIDENCE.search(output)
        if not rotation:
            return Orientation(0, 0.0)
        # OSD's "Orientation in degrees" equals our clockwise storage angle (its "Rotate" is the
        # correction, 360 minus that); checked on synthetic pages stored turned 90, 180 and 270.
        return Orientation(int(rotation.group(1)) % 360, float(confidence.group(1)) / 20 if confidence else 0.0)


def _request_key(image: np.ndarray, mode: Mode, dpi: float) -> tuple[str, str, float]:
    """What `recognise`'s result depends on besides the engine: the pixels, the mode and the dpi."""
    digest = hashlib.blake2b(repr((image.shape, str(image.dtype))).encode(), digest_size=20)
    digest.update(np.ascontiguousarray(image).data)
    return digest.hexdigest(), mode, float(dpi)


def _lines(rows: list[TsvRow], scale: float) -> list[list[Glyph]]:
    """An image's glyph lines from its TSV rows, in the frame of the image before it was shrunk by `scale`."""
    lines = tsv_to_lines(rows)
    if scale < 1.0:
        lines = [[_unscaled(g, scale) for g in line] for line in lines]
    return lines


def _pages(tsv: str) -> dict[int, list[TsvRow]]:
    """The rows of a TSV of several images by page number (1 for the first image): each page's lines
    parsed as `parse_tsv` parses one image's TSV."""
    lines: dict[int, list[str]] = {}
    for line in tsv.splitlines():
        fields = line.split("\t", 2)
        if len(fields) > 2 and fields[1].isdigit():
            lines.setdefault(int(fields[1]), []).append(line)
    return {page: parse_tsv("\n".join(rows)) for page, rows in lines.items()}


def _unscaled(glyph: Glyph, scale: float) -> Glyph:
    x0, top, x1, bottom = glyph.box
    return Glyph(glyph.text, (x0 / scale, top / scale, x1 / scale, bottom / scale), glyph.confidence)


@functools.cache
def _version() -> str:
    try:
        first = run_program(["tesseract", "--version"], timeout_s=VERSION_TIMEOUT_S).text.splitlines()
    except (ProgramError, UnicodeDecodeError) as error:
        log.warning("no tesseract version: %s", error)
        return "missing"
    return first[0].removeprefix("tesseract ").strip() if first else "missing"
