"""The sample corpus as measurement material: files, page truth, scanned-page images, CER."""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
from rapidfuzz.distance import Levenshtein

from pipeline.ingest import PageSource, load_pixels, sniff

CORPUS = Path(__file__).resolve().parent.parent / "samples" / "corpus"


@dataclass(frozen=True)
class TruthPage:
    file: Path
    number: int  # 1-based
    kind: str
    role: str
    rotation: int
    skew_deg: float
    text: str


def truth_files(corpus: Path = CORPUS) -> list[Path]:
    return sorted(corpus.glob("*.truth.json"))


def document_for(truth_path: Path) -> Path:
    name = json.loads(truth_path.read_text(encoding="utf-8"))["source"]["file"]
    return truth_path.parent / name


def truth_pages(corpus: Path = CORPUS) -> Iterator[TruthPage]:
    for truth_path in truth_files(corpus):
        truth = json.loads(truth_path.read_text(encoding="utf-8"))
        texts = truth.get("page_text") or []
        for index, page in enumerate(truth["source"]["pages"]):
            yield TruthPage(
                file=truth_path.parent / truth["source"]["file"],
                number=int(page["page"]),
                kind=str(page.get("kind", "")),
                role=str(page.get("role", "")),
                rotation=int(page.get("rotation", 0)),
                skew_deg=float(page.get("skew_deg", 0.0)),
                text=texts[index] if index < len(texts) else "",
            )


def scanned_pages(corpus: Path = CORPUS, limit: int | None = None) -> list[TruthPage]:
    """Scanned, non-blank pages, spread over the files when limited (every k-th page)."""
    pages = [p for p in truth_pages(corpus) if p.kind == "scan" and p.role != "blank" and p.text.strip()]
    if limit and len(pages) > limit:
        step = len(pages) / limit
        pages = [pages[int(i * step)] for i in range(limit)]
    return pages


def page_source(page: TruthPage, dpi: float) -> PageSource:
    return PageSource(page.file, sniff(page.file), page.number - 1, float(dpi))


def write_page_image(page: TruthPage, dpi: float, directory: Path) -> Path:
    """The stored page rendered to a PNG (what a bare OCR baseline is given)."""
    pixels = load_pixels(page_source(page, dpi))
    target = directory / f"{page.file.stem}-p{page.number:03d}-{int(dpi)}.png"
    image = pixels if pixels.ndim == 2 else cv2.cvtColor(pixels, cv2.COLOR_RGB2BGR)
    cv2.imwrite(str(target), image, [cv2.IMWRITE_PNG_COMPRESSION, 1])
    return target


def comparable(text: str) -> str:
    """Text as compared for CER: NFKC, no whitespace (OCR spacing is not an error)."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def cer(predicted: str, truth: str) -> float:
    """Character error rate: edit distance over the truth length."""
    expected = comparable(truth)
    return Levenshtein.distance(comparable(predicted), expected) / max(1, len(expected))


def bag_error(predicted: str, truth: str) -> float:
    """Order-free error: truth characters not read (multiset), plus extra characters, over truth length.

    Tables read cell by cell in the truth and row by row by an engine differ in order only;
    this counts what was misread or missed regardless of that.
    """
    expected, got = Counter(comparable(truth)), Counter(comparable(predicted))
    missed = sum((expected - got).values())
    extra = sum((got - expected).values())
    return max(missed, extra) / max(1, sum(expected.values()))


def median(values: list[float]) -> float:
    return float(np.median(values)) if values else float("nan")
