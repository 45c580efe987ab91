"""Playing display lists into PDFs: clean pages for rasterising, and the final file.

All PDFs are written with reportlab's invariant mode, so the same input gives
the same bytes. Scanned pages go in as their JPEG bytes (DCT, not re-encoded).
"""

from __future__ import annotations

import io
import zlib
from collections.abc import Iterator
from dataclasses import dataclass

import pypdfium2 as pdfium
from PIL import Image
from reportlab import rl_config
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from samples.layout import PAGE_H, PAGE_W, Mark, Page, Picture, Rule, Text, font

# Binary streams: JPEG pages are embedded as they are, not ASCII85-inflated by a quarter.
rl_config.useA85 = 0


def _canvas(buf: io.BytesIO) -> Canvas:
    canvas = Canvas(buf, pagesize=(PAGE_W, PAGE_H), invariant=1, pageCompression=1)
    canvas.setCreator("dtpc samples")
    return canvas


def play(canvas: Canvas, page: Page) -> None:
    """Draw one page's printed content (no ink marks)."""
    for op in page.ops:
        if isinstance(op, Text):
            x = op.x
            canvas.setFillColorRGB(*op.color)
            for run in op.runs:
                font(run.font)
                canvas.setFont(run.font, run.size)
                canvas.drawString(x, PAGE_H - op.y, run.text)
                x += canvas.stringWidth(run.text, run.font, run.size)
        elif isinstance(op, Rule):
            canvas.setLineWidth(op.width)
            canvas.line(op.x0, PAGE_H - op.y0, op.x1, PAGE_H - op.y1)
        elif isinstance(op, Picture):
            x0, y0, x1, y1 = op.bbox
            canvas.drawImage(ImageReader(op.image), x0, PAGE_H - y1, x1 - x0, y1 - y0)


def clean_pdf(pages: list[Page]) -> bytes:
    buf = io.BytesIO()
    canvas = _canvas(buf)
    for page in pages:
        play(canvas, page)
        canvas.showPage()
    canvas.save()
    return buf.getvalue()


def rasterise(pdf: bytes, dpi: int) -> Iterator[Image.Image]:
    """The pages of `pdf` as RGB images, one at a time (a page at 200 dpi is 11 MB)."""
    doc = pdfium.PdfDocument(pdf)
    try:
        for i in range(len(doc)):
            page = doc[i]
            yield page.render(scale=dpi / 72).to_pil().convert("RGB")
            page.close()
    finally:
        doc.close()


@dataclass
class FinalPage:
    """A page of the output file: a text page (display list + ink images) or a scanned JPEG."""

    page: Page | None = None
    ink: list[tuple[Mark, Image.Image]] | None = None
    jpeg: bytes | None = None
    size: tuple[float, float] = (PAGE_W, PAGE_H)


def final_pdf(pages: list[FinalPage]) -> bytes:
    buf = io.BytesIO()
    canvas = _canvas(buf)
    for fp in pages:
        canvas.setPageSize(fp.size)
        if fp.jpeg is not None:
            canvas.drawImage(ImageReader(io.BytesIO(fp.jpeg)), 0, 0, fp.size[0], fp.size[1])
        elif fp.page is not None:
            play(canvas, fp.page)
            for mark, image in fp.ink or []:
                x0, y0, x1, y1 = mark.bbox
                canvas.drawImage(ImageReader(image), x0, PAGE_H - y1, x1 - x0, y1 - y0, mask="auto")
        canvas.showPage()
    canvas.save()
    return buf.getvalue()


def stable_seed(*parts: object) -> int:
    return zlib.crc32("|".join(map(str, parts)).encode("utf-8"))
