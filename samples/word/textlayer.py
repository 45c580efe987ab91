"""What LibreOffice put where: the converted PDF's text layer, page by page (pdfplumber).

The producer does not lay pages out itself, so everything page-bound — which page has which role,
where a seal or signature goes, each page's printed text for the truth file — is read back from the
PDF that LibreOffice wrote. Coordinates are PDF points from the top-left corner (pdfplumber's `top`).
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import pdfplumber

from samples.word.template import SectionStart

Box = tuple[float, float, float, float]


@dataclass
class Line:
    text: str  # the characters as drawn, without inferred spaces
    chars: list[Box]  # one box per character of `text`

    @property
    def bbox(self) -> Box:
        return (min(b[0] for b in self.chars), min(b[1] for b in self.chars), max(b[2] for b in self.chars),
                max(b[3] for b in self.chars))

    def span(self, start: int, end: int) -> Box:
        boxes = self.chars[start:end]
        return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))


@dataclass
class PdfPage:
    number: int  # 1-based
    width: float
    height: float
    text: str  # printed text in reading order, one line per text line
    lines: list[Line]

    def find(self, needle: str) -> list[tuple[Line, Box]]:
        """Every occurrence of `needle` (spaces ignored) with the box of its characters."""
        compact = needle.replace(" ", "")
        found = []
        for line in self.lines:
            start = line.text.find(compact)
            while start >= 0:
                found.append((line, line.span(start, start + len(compact))))
                start = line.text.find(compact, start + 1)
        return found

    def first(self, needle: str) -> Box | None:
        hits = self.find(needle)
        return hits[0][1] if hits else None

    def last(self, needle: str) -> Box | None:
        hits = self.find(needle)
        return hits[-1][1] if hits else None

    def lowest_text(self) -> float:
        return max((line.bbox[3] for line in self.lines), default=self.height * 0.5)

    def starts_with(self, marker: str) -> bool:
        compact = marker.replace(" ", "")
        return any(line.text.startswith(compact) for line in self.lines)


def read_pdf(pdf: bytes) -> list[PdfPage]:
    pages = []
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        for number, page in enumerate(doc.pages, start=1):
            lines = []
            for raw in page.extract_text_lines(return_chars=True, strip=True):
                chars = [ch for ch in raw["chars"] if ch["text"].strip()]
                if chars:
                    lines.append(Line("".join(ch["text"] for ch in chars),
                                      [(ch["x0"], ch["top"], ch["x1"], ch["bottom"]) for ch in chars]))
            text = "\n".join(t.strip() for t in (page.extract_text() or "").splitlines() if t.strip())
            pages.append(PdfPage(number, float(page.width), float(page.height), text, lines))
    return pages


class RoleError(ValueError):
    """A section that should start a page was not found in the converted PDF."""


def assign_roles(pages: list[PdfPage], sections: list[SectionStart]) -> list[str]:
    """Each page's role: every section starts a page, so a page is the section whose marker it starts with
    or the continuation of the page before. Markers are matched in document order only."""
    roles: list[str] = []
    k = 0
    for page in pages:
        if k < len(sections) and page.starts_with(sections[k].marker):
            roles.append(sections[k].role)
            k += 1
        elif roles:
            roles.append(roles[-1])
        else:
            raise RoleError(f"page {page.number} does not start with {sections[0].marker!r}")
    if k != len(sections):
        raise RoleError(f"section {sections[k].role} ({sections[k].marker!r}) not found in the PDF")
    return roles
