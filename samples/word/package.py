"""One package the way applicants make it: Word template filled → LibreOffice PDF → printed, stamped,
signed → scanned or photographed (or kept as a text-layer PDF with electronic seals).

`produce` returns the file name, its bytes, the placed pages and the generator facts, in the shape
`samples.generate.truth_record` turns into a truth file — so both producers share the data model
(`samples.content`), the defects (`samples.defects`), the expected checks (`samples.rules`) and
the truth conventions (`samples.truth`).
"""

from __future__ import annotations

import dataclasses
import io
import random
from dataclasses import dataclass
from typing import Any

import numpy as np
import pypdfium2 as pdfium
from PIL import Image

from samples import capture
from samples import content as c
from samples.layout import Mark, Page
from samples.render import FinalPage, final_pdf, rasterise, stable_seed
from samples.scan import ink_image, multiply
from samples.truth import PlacedPage
from samples.word import convert, stamp, template, textlayer

# What happens to the converted PDF: kept digital, scanned on a profile, mixed, or photographed.
PHONE = "phone"
PHONE_OF_DIGITAL = "phone-digital"
PHONE_DRAWN = "phone-drawn"  # a printed, stamped package photographed with drawn settings (`capture.draw_phone`)
DIGITAL = "digital"
MIXED_PREFIX = "mixed:"
DRAWN = "drawn"  # a scanner whose profile is drawn for each package (`capture.draw_scanner`)
PHONE_DPI = 200  # the page is printed and photographed from a 200 dpi rendering
UPSIDE_DOWN = 0.04  # share of sheets a feeder scans upside down


@dataclass(frozen=True)
class Capture:
    """How one package is captured: `how` is digital | phone | phone-digital | phone-drawn | a scanner name |
    drawn | mixed:<scanner or drawn>."""

    how: str
    container: str = "pdf"  # pdf | tif | jpg (one-page recommendations only)

    @property
    def scanner(self) -> capture.ScannerProfile | None:
        name = self.how.removeprefix(MIXED_PREFIX)
        return capture.SCANNERS.get(name)

    @property
    def drawn(self) -> bool:
        return self.how.removeprefix(MIXED_PREFIX) == DRAWN

    def profile(self, rng: np.random.Generator) -> capture.ScannerProfile | None:
        """The scanner's profile: the named one, or one drawn from `rng` for a drawn capture."""
        return capture.draw_scanner(rng) if self.drawn else self.scanner

    @property
    def short(self) -> str:
        if self.how.startswith(MIXED_PREFIX):
            return "mixed"
        if self.drawn:
            return DRAWN  # the drawn mode is in the truth's facts; the kind says the profile was drawn
        profile = self.scanner
        if profile is None:
            return self.how
        if profile.curl:
            return "curl"
        return {"dither": "bw", "fax": "fax"}.get(profile.mode, "scan")


@dataclass
class Built:
    pdf: bytes  # LibreOffice's output, no ink
    pages: list[textlayer.PdfPage]
    roles: list[str]
    marks: list[list[Mark]]
    facts: dict[str, Any]


def build(doc: c.Application | c.Recommendation, rng: random.Random, *, printed: bool) -> Built:
    """The docx, its PDF and the ink each page will carry."""
    if isinstance(doc, c.Application):
        built = template.application_docx(doc, rng, handwritten_ticks=printed)
    else:
        built = template.recommendation_docx(doc, rng)
    pdf = convert.docx_to_pdf(built.document)
    pages = textlayer.read_pdf(pdf)
    roles = textlayer.assign_roles(pages, built.sections)
    marks: list[list[Mark]] = []
    if isinstance(doc, c.Application):
        stamper = stamp.ApplicationStamper(rng, doc, built.checkbox)
        seen: set[str] = set()
        for page, role in zip(pages, roles, strict=True):
            marks.append(stamper.marks(page, role, role not in seen))
            seen.add(role)
    else:
        marks = [stamp.recommendation_marks(rng, doc, page, role) for page, role in zip(pages, roles, strict=True)]
    s = built.style
    facts = {"body_font": s.body_font, "title_font": s.title_font, "checkbox_font": s.checkbox_font,
             "checkbox": built.checkbox, "thousands": s.thousands, "rules": s.inner_rules,
             "rule_colour": s.rule_colour, "rule_pt": s.rule_pt, "repeat_header": s.repeat_header,
             "cover_note": s.cover_note}
    return Built(pdf, pages, roles, marks, facts)


def _printed(img: Image.Image, marks: list[Mark], dpi: int, rng: random.Random, nrng: np.random.Generator,
             ink: str, pen: str) -> np.ndarray:
    """The page printed on paper, then stamped, signed and ticked by hand (float RGB 0..1)."""
    base = capture.print_page(np.asarray(img, dtype=np.float32) / 255.0, nrng)
    scale = dpi / 72
    for mark in marks:
        multiply(base, ink_image(mark, scale, rng, electronic=False, ink=ink, pen=pen),
                 round(mark.bbox[0] * scale), round(mark.bbox[1] * scale))
    return base


def _images_file(images: list[Image.Image], dpi: float, quality: int, container: str) -> bytes:
    if images[0].mode == "1":
        return capture.bilevel_pdf(images, int(dpi))
    if container == "jpg" and len(images) == 1:
        return capture.jpeg(images[0], quality)
    if container == "tif":
        buf = io.BytesIO()
        grey = [im.convert("L") for im in images]
        grey[0].save(buf, "TIFF", save_all=True, append_images=grey[1:], compression="jpeg", quality=quality,
                     dpi=(dpi, dpi))
        return buf.getvalue()
    return final_pdf([FinalPage(jpeg=capture.jpeg(im, quality), size=capture.page_size_pt(im, dpi)) for im in images])


def _splice(text_pdf: bytes, scanned_pdf: bytes, scanned: list[bool]) -> bytes:
    """`text_pdf` with its scanned pages replaced, in order, by the pages of `scanned_pdf`: a 'mixed' file.

    The text pages stay in their own document, so its fonts are embedded once, not once per page."""
    out = pdfium.PdfDocument(text_pdf)
    scan_doc = pdfium.PdfDocument(scanned_pdf)
    k = 0
    for i, is_scan in enumerate(scanned):
        if is_scan:
            out.del_page(i)
            out.import_pages(scan_doc, [k], index=i)
            k += 1
    buf = io.BytesIO()
    out.save(buf)
    return buf.getvalue()


def produce(doc: c.Application | c.Recommendation, how: Capture, seed: int, index: int,
            doc_id: str) -> tuple[str, bytes, list[PlacedPage], dict[str, Any]]:
    rng = random.Random(stable_seed("word", seed, index))
    nrng = np.random.default_rng(stable_seed("capture", seed, index))
    printed = how.how not in (DIGITAL, PHONE_OF_DIGITAL)
    built = build(doc, rng, printed=printed)
    ink = rng.choice(("red", "red", "faded", "pink", "dark"))
    pen = rng.choice(("blue", "blue", "black", "blueblack"))
    n = len(built.pages)
    kinds = ["text"] * n
    skews = [0.0] * n
    rotations = [0] * n
    profile = how.profile(nrng)
    suffix = "pdf"
    facts: dict[str, Any] = {"producer": "word", "capture": how.how, "ink": ink, "pen": pen, **built.facts}
    if how.how == DIGITAL:
        payload = stamp.electronic_pdf(built.pdf, built.marks, rng, pen)
    elif how.how in (PHONE, PHONE_OF_DIGITAL, PHONE_DRAWN):
        source = stamp.electronic_pdf(built.pdf, built.marks, rng, pen) if how.how == PHONE_OF_DIGITAL else built.pdf
        phone = capture.draw_phone(nrng) if how.how == PHONE_DRAWN else capture.PhoneProfile(
            long_side=int(nrng.integers(2000, 2600)), quality=int(nrng.integers(68, 86)),
            fill=float(nrng.uniform(0.72, 0.86)), blur=float(nrng.uniform(0.6, 1.3)))
        photos = []
        for i, img in enumerate(rasterise(source, PHONE_DPI)):
            marks = [] if how.how == PHONE_OF_DIGITAL else built.marks[i]
            page = _printed(img, marks, PHONE_DPI, rng, nrng, ink, pen)
            photos.append(capture.phone_photo(page, phone, nrng)[0])
        kinds = ["scan"] * n
        dpi = phone.long_side / (capture.A4_PT[1] / 72) * phone.fill  # the page's own resolution in the photo
        container = how.container if n == 1 else "pdf"
        payload = _images_file(photos, dpi, phone.quality, container)
        suffix = "jpg" if container == "jpg" else "pdf"
        facts.update(dpi=round(dpi), colour="colour", jpeg_quality=phone.quality)
        if how.how == PHONE_DRAWN:
            facts["profile"] = dataclasses.asdict(phone)
    elif profile is not None:
        mixed = how.how.startswith(MIXED_PREFIX)
        scanned = [bool(m) or not mixed for m in built.marks]
        images = []
        for i, img in enumerate(rasterise(built.pdf, profile.dpi)):
            if not scanned[i]:
                continue
            page = _printed(img, built.marks[i], profile.dpi, rng, nrng, ink, pen)
            image, skews[i] = capture.scanner(page, profile, nrng)
            if not profile.curl and nrng.random() < UPSIDE_DOWN:
                image, rotations[i] = image.rotate(180), 180  # a sheet fed the wrong way round
            images.append(image)
            kinds[i] = "scan"
        container = "pdf" if mixed else how.container
        payload = _images_file(images, profile.dpi, profile.quality, container)
        if mixed:
            payload = _splice(built.pdf, payload, scanned)
        suffix = {"tif": "tif", "jpg": "jpg"}.get(container, "pdf") if images[0].mode != "1" else "pdf"
        facts.update(dpi=profile.dpi, colour=profile.mode, jpeg_quality=profile.quality or None,
                      scanner=profile.name)
        if how.drawn:
            facts["profile"] = dataclasses.asdict(profile)
    else:
        raise ValueError(f"unknown capture {how.how!r}")
    placed = []
    for text_page, role, marks, kind, skew, turn in zip(built.pages, built.roles, built.marks, kinds, skews, rotations,
                                                         strict=True):
        seals = [(list(m.bbox), m.shape, m.text, m.slot) for m in marks if m.kind == "seal"]
        placed.append(PlacedPage(Page(role=role, marks=marks), kind, turn, skew, text_page.text, seals))
    facts["rotated_pages"] = [i + 1 for i, turn in enumerate(rotations) if turn]
    facts["format"] = suffix
    return f"{doc_id}.{suffix}", payload, placed, facts
