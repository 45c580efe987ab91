"""Open an uploaded file and decide, page by page, where its words will come from.

PDF pages with a real text layer are read here directly (characters, ruling lines, placed
images such as an electronic seal); every other page gets a `PageSource` from which a
worker renders pixels for clean-up and OCR.  Files are recognised by their first bytes,
never by their name, and image sizes are checked from the header before any decoding.

The PDF layer is read with pypdfium2 rather than pdfplumber: on our pages pdfplumber
spends ~150 ms a page building its object model, pdfium ~5 ms (docs/reading.md), and the
text-layer target is 20 pages/s.
"""

from __future__ import annotations

import ctypes
import re
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from PIL import Image, ImageOps

from models.page import Box, EmbeddedImage, Line, Page
from pipeline.errors import InputError
from pipeline.ocr.join import Glyph, group_by_baseline, join_line, sort_words

Format = Literal["pdf", "image"]
MIN_TEXT_CHARS = 8  # fewer readable characters than this is not a text layer
MIN_IMAGE_PT = 18.0  # smaller placed images are bullets and logos' dust
BACKGROUND_SHARE = 0.5  # an image covering this share of the page makes it a scan (or mixed)
RULE_MIN_PT = 4.0
SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"II*\x00", "tiff"),
    (b"MM\x00*", "tiff"),
)


@dataclass(frozen=True)
class PageSource:
    """Where one page's pixels come from; small and picklable for worker processes."""

    path: Path
    format: Format
    index: int  # 0-based page (PDF) or frame (TIFF)
    dpi: float  # PDF: render dpi; image: the dpi its pixels will be used at


@dataclass
class Ingested:
    page: Page
    source: PageSource | None  # None when the page cannot be rendered at all
    needs_ocr: bool


def sniff(path: Path) -> Format:
    """'pdf' or 'image' from the first bytes; InputError naming what the file starts with."""
    try:
        with path.open("rb") as handle:
            head = handle.read(1024)
    except OSError as error:
        raise InputError("unopenable", f"cannot open file: {error.strerror or error}") from error
    if not head:
        raise InputError("empty", "empty file (0 bytes)")
    if b"%PDF-" in head:  # the header may follow a few bytes of junk, as readers allow
        return "pdf"
    if any(head.startswith(magic) for magic, _ in SIGNATURES):
        return "image"
    raise InputError("unsupported", f"not a PDF or image (starts with {head[:4]!r})")


def ingest(path: Path, dpi: int, max_megapixels: float, workdir: Path) -> list[Ingested]:
    """Every page of the file, in order; InputError when the file as a whole is unreadable."""
    if sniff(path) == "pdf":
        return list(_pdf_pages(path, dpi, max_megapixels, workdir))
    return list(_image_pages(path, dpi, max_megapixels))


# --- PDF -----------------------------------------------------------------------------


def open_pdf(path: Path) -> pdfium.PdfDocument:
    try:
        document = pdfium.PdfDocument(path)
    except pdfium.PdfiumError as error:
        message = str(error)
        if "password" in message.lower() or "security" in message.lower():
            raise InputError("encrypted", "encrypted PDF (password required)") from error
        raise InputError("corrupt", f"corrupt PDF ({message})") from error
    if len(document) == 0:
        document.close()
        raise InputError("empty", "PDF has no pages")
    return document


def _pdf_pages(path: Path, dpi: int, max_megapixels: float, workdir: Path) -> Iterator[Ingested]:
    document = open_pdf(path)
    try:
        for index in range(len(document)):
            try:
                yield _pdf_page(document, path, index, dpi, max_megapixels, workdir)
            except (pdfium.PdfiumError, OSError, ValueError) as error:
                page = Page(number=index + 1, width=0.0, height=0.0, kind="scan", error=f"page unreadable: {error}")
                yield Ingested(page, None, needs_ocr=False)
    finally:
        document.close()


def _pdf_page(
    document: pdfium.PdfDocument, path: Path, index: int, dpi: int, max_megapixels: float, workdir: Path
) -> Ingested:
    pdf_page = document[index]
    try:
        frame = PageFrame.of(pdf_page)
        glyphs, baselines, readable = _text_glyphs(pdf_page, frame)
        lines, placed = _paths_and_images(pdf_page, frame)
        background = any(_area(b) >= BACKGROUND_SHARE * frame.width * frame.height for b in placed)
        has_text = readable >= MIN_TEXT_CHARS
        seals = [b for b in placed if _area(b) < BACKGROUND_SHARE * frame.width * frame.height] if has_text else []
        images = _crop_images(pdf_page, frame, index + 1, seals, workdir)
    finally:
        pdf_page.close()
    number = index + 1
    kind: Literal["scan", "text", "mixed"] = "mixed" if has_text and background else "text" if has_text else "scan"
    page = Page(number=number, width=frame.width, height=frame.height, kind=kind, lines=lines)
    page_dpi = fit_dpi(frame.width, frame.height, dpi, max_megapixels)
    source = PageSource(path, "pdf", index, page_dpi) if page_dpi else None
    if has_text:
        verticals = [line for line in lines if line.x0 == line.x1]
        page.words = sort_words(
            word
            for line in group_by_baseline(glyphs, baselines)
            for word in join_line(line, source="text", separators=verticals)
        )
        page.images = images
    if not page_dpi:
        page.error = f"page of {frame.width:.0f}x{frame.height:.0f} pt exceeds {max_megapixels:g} megapixels even at 72 dpi"
    return Ingested(page, source, needs_ocr=kind != "text" and source is not None)


def fit_dpi(width_pt: float, height_pt: float, dpi: int, max_megapixels: float) -> float:
    """`dpi`, lowered so the rendered page stays within the megapixel limit; 0 if even 72 dpi won't."""
    megapixels = width_pt * height_pt * (dpi / 72.0) ** 2 / 1e6
    if megapixels <= max_megapixels:
        return float(dpi)
    lowered = dpi * (max_megapixels / megapixels) ** 0.5
    return float(int(lowered)) if lowered >= 72 else 0.0


@dataclass(frozen=True)
class PageFrame:
    """Maps PDF user space to the displayed page: points from the top-left after /Rotate."""

    left: float
    bottom: float
    right: float
    top: float
    rotation: int

    @classmethod
    def of(cls, page: pdfium.PdfPage) -> PageFrame:
        left, bottom, right, top = page.get_cropbox()
        return cls(left, bottom, right, top, page.get_rotation() % 360)

    @property
    def width(self) -> float:
        span = self.right - self.left
        return self.top - self.bottom if self.rotation in (90, 270) else span

    @property
    def height(self) -> float:
        span = self.top - self.bottom
        return self.right - self.left if self.rotation in (90, 270) else span

    def point(self, x: float, y: float) -> tuple[float, float]:
        if self.rotation == 90:
            return y - self.bottom, x - self.left
        if self.rotation == 180:
            return self.right - x, y - self.bottom
        if self.rotation == 270:
            return self.top - y, self.right - x
        return x - self.left, self.top - y

    def box(self, left: float, bottom: float, right: float, top: float) -> Box:
        (ax, ay), (bx, by) = self.point(left, bottom), self.point(right, top)
        return (min(ax, bx), min(ay, by), max(ax, bx), max(ay, by))


def _readable(char: str) -> bool:
    code = ord(char)
    return char.isprintable() and code != 0xFFFD and not 0xE000 <= code <= 0xF8FF


def _text_glyphs(page: pdfium.PdfPage, frame: PageFrame) -> tuple[list[Glyph], list[float], int]:
    """Visible characters as glyphs in displayed points, their baselines (displayed y), and how
    many of them are readable.

    Invisible text (render mode 3, the OCR layer of a scanner's "searchable PDF") is not
    a text layer we trust: such pages are treated as scans and read again.  pdfium is
    called directly per character (the helper objects cost more than the work here).
    """
    textpage = page.get_textpage()
    try:
        glyphs: list[Glyph] = []
        baselines: list[float] = []
        readable = 0
        space = False
        rect = pdfium_c.FS_RECTF()
        origin_x, origin_y = ctypes.c_double(), ctypes.c_double()
        invisible: dict[int | None, bool] = {}
        for i in range(pdfium_c.FPDFText_CountChars(textpage.raw)):
            char = chr(pdfium_c.FPDFText_GetUnicode(textpage.raw, i))
            if char.isspace() or char == "\x00":
                space = True  # kept as a leading space; `tidy` keeps it only between ASCII words
                continue
            text_object = pdfium_c.FPDFText_GetTextObject(textpage.raw, i)
            key = ctypes.cast(text_object, ctypes.c_void_p).value
            if key not in invisible:
                mode = pdfium_c.FPDFTextObj_GetTextRenderMode(text_object) if key else -1
                invisible[key] = mode == pdfium_c.FPDF_TEXTRENDERMODE_INVISIBLE
            if invisible[key] or not pdfium_c.FPDFText_GetLooseCharBox(textpage.raw, i, rect):
                continue
            if pdfium_c.FPDFText_IsHyphen(textpage.raw, i):
                char = "-"  # pdfium marks a hyphen ending a line as U+0002; in a code ("LMJZ-FW-2024031") it is real
            box = frame.box(rect.left, rect.bottom, rect.right, rect.top)
            glyphs.append(Glyph((" " if space else "") + char, box, 1.0))
            if pdfium_c.FPDFText_GetCharOrigin(textpage.raw, i, origin_x, origin_y):
                baselines.append(frame.point(origin_x.value, origin_y.value)[1])
            else:
                baselines.append(box[3])
            space = False
            readable += _readable(char)
        return glyphs, baselines, readable
    finally:
        textpage.close()


def _paths_and_images(page: pdfium.PdfPage, frame: PageFrame) -> tuple[list[Line], list[Box]]:
    """Axis-aligned segments of path objects (ruling lines, cell borders) and placed image boxes."""
    segments: list[Line] = []
    images: list[Box] = []
    wanted = [pdfium_c.FPDF_PAGEOBJ_PATH, pdfium_c.FPDF_PAGEOBJ_IMAGE]
    for obj in page.get_objects(filter=wanted, max_depth=2):
        if obj.type == pdfium_c.FPDF_PAGEOBJ_IMAGE:
            box = frame.box(*obj.get_bounds())
            if box[2] - box[0] >= MIN_IMAGE_PT and box[3] - box[1] >= MIN_IMAGE_PT:
                images.append(box)
        else:
            segments.extend(_path_segments(obj, frame))
    return merge_rules(segments), images


def _path_segments(obj: pdfium.PdfObject, frame: PageFrame) -> Iterator[Line]:
    fill, stroke = ctypes.c_int(), ctypes.c_int()
    pdfium_c.FPDFPath_GetDrawMode(obj.raw, fill, stroke)
    if not fill.value and not stroke.value:
        return
    matrix = obj.get_matrix()
    x, y = ctypes.c_float(), ctypes.c_float()
    start = previous = None
    for i in range(pdfium_c.FPDFPath_CountSegments(obj.raw)):
        segment = pdfium_c.FPDFPath_GetPathSegment(obj.raw, i)
        pdfium_c.FPDFPathSegment_GetPoint(segment, x, y)
        point = frame.point(*matrix.on_point(x.value, y.value))
        kind = pdfium_c.FPDFPathSegment_GetType(segment)
        if kind == pdfium_c.FPDF_SEGMENT_MOVETO:
            start = point
        elif kind == pdfium_c.FPDF_SEGMENT_LINETO and previous is not None:
            yield from _axis_line(previous, point)
        if pdfium_c.FPDFPathSegment_GetClose(segment) and start is not None:
            yield from _axis_line(point, start)
        previous = point


def _axis_line(a: tuple[float, float], b: tuple[float, float]) -> Iterator[Line]:
    if abs(a[1] - b[1]) < 0.5 and abs(a[0] - b[0]) >= RULE_MIN_PT:
        y = round((a[1] + b[1]) / 2, 2)
        yield Line(round(min(a[0], b[0]), 2), y, round(max(a[0], b[0]), 2), y)
    elif abs(a[0] - b[0]) < 0.5 and abs(a[1] - b[1]) >= RULE_MIN_PT:
        x = round((a[0] + b[0]) / 2, 2)
        yield Line(x, round(min(a[1], b[1]), 2), x, round(max(a[1], b[1]), 2))


def merge_rules(lines: list[Line], tolerance: float = 1.5) -> list[Line]:
    """Merge collinear overlapping rules (a thin filled rectangle gives two, 0.5 pt apart)."""
    merged: list[Line] = []
    for horizontal in (True, False):
        key = (lambda ln: (ln.top, ln.x0)) if horizontal else (lambda ln: (ln.x0, ln.top))
        group = sorted((ln for ln in lines if (ln.top == ln.bottom) == horizontal), key=key)
        current: list[float] | None = None  # [position, start, end]
        for line in group:
            position, start, end = (line.top, line.x0, line.x1) if horizontal else (line.x0, line.top, line.bottom)
            if current and abs(position - current[0]) <= tolerance and start <= current[2] + tolerance:
                current[2] = max(current[2], end)
                continue
            if current:
                merged.append(_rule(current, horizontal))
            current = [position, start, end]
        if current:
            merged.append(_rule(current, horizontal))
    return merged


def _rule(span: list[float], horizontal: bool) -> Line:
    position, start, end = span
    return Line(start, position, end, position) if horizontal else Line(position, start, position, end)


def _area(box: Box) -> float:
    return max(0.0, box[2] - box[0]) * max(0.0, box[3] - box[1])


def _crop_images(
    page: pdfium.PdfPage, frame: PageFrame, number: int, boxes: list[Box], workdir: Path, dpi: int = 200
) -> list[EmbeddedImage]:
    """Each placed image rendered as the page shows it (with any text over it) into a PNG."""
    found: list[EmbeddedImage] = []
    for k, box in enumerate(boxes):
        # pdfium crops the displayed page: amounts cut from its left, bottom, right and top.
        crop = (max(0.0, box[0]), max(0.0, frame.height - box[3]), max(0.0, frame.width - box[2]), max(0.0, box[1]))
        target = workdir / f"page-{number:03d}-image-{k + 1}.png"
        try:
            page.render(scale=dpi / 72.0, crop=crop).to_pil().save(target, compress_level=1)
            found.append(EmbeddedImage(bbox=box, path=target))
        except (pdfium.PdfiumError, OSError, ValueError):
            found.append(EmbeddedImage(bbox=box, path=None))
    return found


# --- images --------------------------------------------------------------------------


def _image_pages(path: Path, dpi: int, max_megapixels: float) -> Iterator[Ingested]:
    """One page per frame (multi-page TIFF); sizes checked from headers before decoding."""
    try:
        with warnings.catch_warnings():
            # Pillow's bomb warning is replaced by our own limit, checked on every frame below.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(path)
    except Image.DecompressionBombError as error:
        raise InputError("too_large", _bomb_message(str(error), max_megapixels)) from error
    except (OSError, ValueError, SyntaxError) as error:
        raise InputError("corrupt", f"unreadable image ({error})") from error
    try:
        with image:
            frames = getattr(image, "n_frames", 1)
            for frame in range(frames):
                image.seek(frame)
                yield _image_page(path, image, frame, dpi, max_megapixels)
    except (OSError, ValueError, SyntaxError, EOFError) as error:
        raise InputError("corrupt", f"unreadable image ({error})") from error


def _bomb_message(pillow_message: str, max_megapixels: float) -> str:
    """Pillow refuses far-too-large images at open; say so in our own words and figures."""
    found = re.search(r"\((\d+) pixels\)", pillow_message)
    size = f"{int(found.group(1)) / 1e6:.0f} megapixels" if found else "too many megapixels"
    return f"image of {size} exceeds {max_megapixels:g}"


def _image_page(path: Path, image: Image.Image, frame: int, dpi: int, max_megapixels: float) -> Ingested:
    width_px, height_px = image.size
    megapixels = width_px * height_px / 1e6
    if megapixels > max_megapixels:
        raise InputError("too_large", f"image of {megapixels:.0f} megapixels exceeds {max_megapixels:g}")
    native = image_dpi(image, width_px, height_px)
    used = min(native, float(dpi)) if native > dpi * 1.15 else native
    page = Page(
        number=frame + 1, width=round(width_px * 72.0 / native, 2), height=round(height_px * 72.0 / native, 2), kind="scan"
    )
    return Ingested(page, PageSource(path, "image", frame, used), needs_ocr=True)


def image_dpi(image: Image.Image, width_px: int, height_px: int) -> float:
    """The image's stated dpi when plausible for a scan, else the dpi that makes its long side A4's."""
    stated = image.info.get("dpi")
    if stated:
        try:
            value = float(stated[0])
        except (TypeError, ValueError, IndexError):
            value = 0.0
        if 100 <= value <= 1200:
            return value
    return max(width_px, height_px) / 11.69


# --- pixels for workers --------------------------------------------------------------


def load_pixels(source: PageSource) -> np.ndarray:
    """The page as stored, RGB (or L for grey images), at `source.dpi`."""
    if source.format == "pdf":
        document = pdfium.PdfDocument(source.path)
        try:
            page = document[source.index]
            bitmap = page.render(scale=source.dpi / 72.0, rev_byteorder=True)  # RGB, not BGR
            array = bitmap.to_numpy().copy()
            page.close()
        finally:
            document.close()
        return array
    with Image.open(source.path) as image:
        image.seek(source.index)
        frame = _normalise_mode(ImageOps.exif_transpose(image) or image)
        native = image_dpi(image, *image.size)
        if abs(native - source.dpi) / native > 0.01:
            size = (round(frame.width * source.dpi / native), round(frame.height * source.dpi / native))
            frame = frame.resize(size, Image.Resampling.LANCZOS)
        return np.asarray(frame)


def _normalise_mode(image: Image.Image) -> Image.Image:
    """RGB or L: alpha composited on white, palettes and CMYK expanded, 1-bit and 16-bit to 8-bit grey."""
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(white, rgba).convert("RGB")
    if image.mode in ("1", "I;16", "I;16B", "I", "F"):
        return image.convert("L") if image.mode == "1" else Image.fromarray(_to_8bit(np.asarray(image)))
    if image.mode == "L":
        return image
    return image.convert("RGB")


def _to_8bit(array: np.ndarray) -> np.ndarray:
    array = array.astype(np.float64)
    low, high = float(array.min()), float(array.max())
    return ((array - low) * (255.0 / max(high - low, 1e-9))).astype(np.uint8)


def render_page(path: Path, page_number: int, dpi: int) -> np.ndarray:
    """Pixels (RGB uint8) of page `page_number` (1-based) of a PDF or image file, as stored.

    For stages that need the look of a text-layer page (seals, signatures).
    """
    fmt = sniff(path)
    array = load_pixels(PageSource(path, fmt, page_number - 1, float(dpi)))
    return np.stack([array] * 3, axis=-1) if array.ndim == 2 else array
