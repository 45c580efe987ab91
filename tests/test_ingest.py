"""Ingest: file sniffing, text layers (words, rules, placed images), page kinds, images, bad input."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import numpy as np
import pdfplumber
import pytest
from PIL import Image
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from pipeline.ingest import InputError, fit_dpi, ingest, render_page, sniff

pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))


def text_pdf(path: Path, *, seal: Path | None = None, background: Path | None = None, invisible: bool = False) -> Path:
    """One A4 page: a title, a two-cell ruled table, optional seal image / full-page image."""
    pdf = canvas.Canvas(str(path), pagesize=A4)
    if background is not None:
        pdf.drawImage(str(background), 0, 0, width=A4[0], height=A4[1])
    text = pdf.beginText(72, 780)
    text.setFont("STSong-Light", 12)
    if invisible:
        text.setTextRenderMode(3)
    text.textLine("附1 真实性承诺 ABC Co., Ltd")
    pdf.drawText(text)
    if not invisible:
        pdf.setFont("STSong-Light", 10)
        pdf.rect(72, 600, 300, 24)
        pdf.line(172, 600, 172, 624)
        pdf.drawString(76, 608, "牵头单位名称")
        pdf.drawString(176, 608, "杭州数智科技有限公司")
    if seal is not None:
        pdf.drawImage(str(seal), 400, 560, width=100, height=100, mask="auto")
    pdf.showPage()
    pdf.save()
    return path


def red_disc(path: Path) -> Path:
    image = Image.new("RGBA", (200, 200), (0, 0, 0, 0))
    from PIL import ImageDraw

    ImageDraw.Draw(image).ellipse((10, 10, 190, 190), outline=(220, 30, 30, 255), width=12)
    image.save(path)
    return path


def test_sniff_goes_by_content_not_name(tmp_path: Path) -> None:
    fake = tmp_path / "application.pdf"
    fake.write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    with pytest.raises(InputError, match=r"not a PDF or image \(starts with b'PK\\x03\\x04'\)"):
        sniff(fake)
    png = tmp_path / "scan.pdf"
    Image.new("L", (10, 10), 255).save(png, format="PNG")
    assert sniff(png) == "image"


def test_empty_file(tmp_path: Path) -> None:
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    with pytest.raises(InputError, match="empty file"):
        sniff(empty)


def test_text_layer_words_rules_and_seal_image(tmp_path: Path) -> None:
    path = text_pdf(tmp_path / "text.pdf", seal=red_disc(tmp_path / "seal.png"))
    (page_in,) = ingest(path, 200, 100, tmp_path)
    page = page_in.page
    assert page.kind == "text" and not page_in.needs_ocr
    texts = [w.text for w in page.words]
    assert texts[0] == "附1真实性承诺ABC Co., Ltd"
    # The two table cells are separate words although their gap is small: a rule runs between.
    assert "牵头单位名称" in texts and "杭州数智科技有限公司" in texts
    assert all(w.source == "text" and w.confidence == 1.0 for w in page.words)
    cell = next(w for w in page.words if w.text == "牵头单位名称")
    assert cell.bbox[0] == pytest.approx(76, abs=1) and cell.bbox[3] == pytest.approx(842 - 608, abs=3)
    verticals = sorted(line.x0 for line in page.lines if line.x0 == line.x1)
    horizontals = sorted(line.top for line in page.lines if line.top == line.bottom)
    assert verticals == pytest.approx([72, 172, 372], abs=0.5)
    assert horizontals == pytest.approx([842 - 624, 842 - 600], abs=0.5)
    (image,) = page.images
    assert image.bbox == pytest.approx((400, 842 - 660, 500, 842 - 560), abs=0.5)
    assert image.path is not None and image.path.exists()


def test_text_layer_agrees_with_pdfplumber(tmp_path: Path) -> None:
    """Our pdfium reading gives the same characters as pdfplumber (the reference reader)."""
    path = text_pdf(tmp_path / "text.pdf")
    (page_in,) = ingest(path, 200, 100, tmp_path)
    with pdfplumber.open(path) as pdf:
        reference = "".join(c["text"] for c in pdf.pages[0].chars if not c["text"].isspace())
    ours = "".join(w.text for w in page_in.page.words).replace(" ", "")
    assert sorted(ours) == sorted(reference)


def test_full_page_image_with_text_is_mixed_and_invisible_text_is_a_scan(tmp_path: Path) -> None:
    background = tmp_path / "bg.png"
    Image.new("RGB", (400, 560), (240, 240, 240)).save(background)
    (mixed,) = ingest(text_pdf(tmp_path / "mixed.pdf", background=background), 100, 100, tmp_path)
    assert mixed.page.kind == "mixed" and mixed.needs_ocr and mixed.page.words
    (hidden,) = ingest(text_pdf(tmp_path / "hidden.pdf", background=background, invisible=True), 100, 100, tmp_path)
    assert hidden.page.kind == "scan" and hidden.needs_ocr and not hidden.page.words


def test_encrypted_pdf(tmp_path: Path) -> None:
    path = tmp_path / "locked.pdf"
    pdf = canvas.Canvas(str(path), pagesize=A4, encrypt="secret")
    pdf.drawString(72, 700, "locked")
    pdf.save()
    with pytest.raises(InputError, match="encrypted PDF") as raised:
        ingest(path, 100, 100, tmp_path)
    assert raised.value.reason == "encrypted"


def test_corrupt_and_zero_page_pdfs(tmp_path: Path) -> None:
    corrupt = tmp_path / "corrupt.pdf"
    corrupt.write_bytes(b"%PDF-1.4\n" + bytes(range(256)) * 4)
    with pytest.raises(InputError, match=r"corrupt PDF|no pages"):
        ingest(corrupt, 100, 100, tmp_path)
    zero = tmp_path / "zero.pdf"
    zero.write_bytes(
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
        b"trailer<</Root 1 0 R>>\n%%EOF\n"
    )
    with pytest.raises(InputError, match=r"no pages|corrupt"):
        ingest(zero, 100, 100, tmp_path)


def png_header(width: int, height: int) -> bytes:
    """A PNG that claims a size and holds almost no pixel data: a decompression bomb's header."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + chunk(b"IEND", b"")


def test_oversized_image_is_refused_before_decoding(tmp_path: Path) -> None:
    path = tmp_path / "huge.png"
    path.write_bytes(png_header(15000, 12000))
    with pytest.raises(InputError, match="image of 180 megapixels exceeds 100"):
        ingest(path, 200, 100, tmp_path)
    # Far beyond Pillow's own bomb limit too: still our message, not Pillow's error.
    path.write_bytes(png_header(30000, 30000))
    with pytest.raises(InputError, match="image of 900 megapixels exceeds 100"):
        ingest(path, 200, 100, tmp_path)


def test_multi_page_tiff_and_dpi(tmp_path: Path) -> None:
    path = tmp_path / "scan.tif"
    frames = [Image.new("L", (1240, 1754), 255), Image.new("RGB", (1240, 1754), "white")]
    frames[0].save(path, save_all=True, append_images=frames[1:], dpi=(150, 150))
    pages = ingest(path, 200, 100, tmp_path)
    assert [p.page.number for p in pages] == [1, 2]
    assert all(p.page.kind == "scan" and p.needs_ocr for p in pages)
    assert pages[0].page.width == pytest.approx(595.2, abs=0.5)
    assert pages[1].source is not None and pages[1].source.dpi == 150


def test_high_dpi_image_is_used_at_the_configured_dpi(tmp_path: Path) -> None:
    path = tmp_path / "scan.png"
    Image.new("L", (2480, 3508), 255).save(path, dpi=(300, 300))
    (page,) = ingest(path, 200, 100, tmp_path)
    assert page.source is not None and page.source.dpi == 200
    assert render_page(path, 1, 200).shape == (2339, 1653, 3)


def test_render_page_of_pdf(tmp_path: Path) -> None:
    pixels = render_page(text_pdf(tmp_path / "t.pdf"), 1, 72)
    assert abs(pixels.shape[0] - 842) <= 1 and abs(pixels.shape[1] - 595) <= 1 and pixels.shape[2] == 3
    assert pixels.dtype == np.uint8
    assert pixels.min() < 100  # text was drawn


def test_huge_pdf_page_lowers_its_dpi() -> None:
    assert fit_dpi(595, 842, 200, 100) == 200
    assert 72 <= fit_dpi(5000, 5000, 200, 100) < 200
    assert fit_dpi(100000, 100000, 200, 100) == 0.0


def wrapped_cells_pdf(path: Path) -> Path:
    """A form row as Word wraps it: a date cell on two tight lines ("2005年12月8" / "日") beside a label
    centred between them, and a contract number broken after its hyphen ("LMJZ-FW-" / "2024031")."""
    pdf = canvas.Canvas(str(path), pagesize=A4)
    pdf.setFont("STSong-Light", 10)
    pdf.drawString(95, 700, "成立时间")  # centred: its baseline lies between the date's two lines
    pdf.drawString(165, 705, "2005年12月8")
    pdf.drawString(191, 695, "日")
    pdf.drawString(300, 705, "LMJZ-FW-")
    pdf.drawString(300, 695, "2024031")
    pdf.showPage()
    pdf.save()
    return path


def test_wrapped_cell_lines_keep_their_own_order_and_hyphens(tmp_path: Path) -> None:
    page = ingest(wrapped_cells_pdf(tmp_path / "wrapped.pdf"), 150, 100.0, tmp_path)[0].page
    texts = [w.text for w in page.words]
    assert "2005年12月8" in texts and "日" in texts, texts  # two lines, not "2005年日12月8"
    date_line, day = (next(w for w in page.words if w.text == t) for t in ("2005年12月8", "日"))
    assert day.bbox[1] > date_line.bbox[3] - 1.0
    assert "LMJZ-FW-" in texts, texts  # pdfium's line-end hyphen marker (U+0002) read as the hyphen it is
    assert not any("\x02" in t for t in texts)
