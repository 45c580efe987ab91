"""The seal stage: find every seal, read it, fill the slots, judge the signature, save the evidence.

`find_seals` is what the runner calls. Per page it picks the detector the
page needs (red ink on colour scans, rings on grey scans, embedded pictures on
text-layer pages), keeps one detection per physical seal, reads each seal's
name and matches it to the units of the package.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal

import cv2
import numpy as np

from models import BasicInfo, Cover, Provenance, Recommendation, Seal
from models.page import Box, EmbeddedImage, Page
from pipeline.config import Settings
from pipeline.result import Extracted
from pipeline.seals.detect import Candidate, detect_image, ring_tone
from pipeline.seals.geometry import Outline
from pipeline.seals.ink import is_grey, load_colour, paper_level, red_mask, red_strength
from pipeline.seals.scan import page_candidates
from pipeline.seals.signature import SignatureFinding, find_signature
from pipeline.seals.slots import PageSeal, assign_slots, mismatch_checks, slot_names, slot_values
from pipeline.seals.text import (
    LineReader,
    Match,
    Owner,
    Reading,
    cjk,
    department_names,
    looks_like_department,
    match_unit,
)
from pipeline.seals.unwrap import unwrap

log = logging.getLogger(__name__)

DocType = Literal["application", "recommendation"]
CROP_MARGIN = 0.08  # of the seal's size, around its box in the evidence crop
# The unrolled ring runs on this share past a full turn, so a name is whole in it wherever it starts.
WRAP = 0.7
# A department's seal named by its reading alone (no department named anywhere in the document).
DEPARTMENT_READ_CONFIDENCE = 0.8


@dataclass(frozen=True)
class SealUnits:
    """The units whose seals may appear: who should have stamped where, and who else might have."""

    lead: str | None = None
    members: tuple[str, ...] = ()
    recommender: str | None = None  # the recommending department (cover, or the letter's sender)
    applicant: str | None = None  # the applicant as named on the cover (normally the lead unit)
    province: str | None = None

    @classmethod
    def for_application(cls, cover: Cover, basic: BasicInfo) -> SealUnits:
        return cls(lead=basic.lead_unit.name, members=tuple(m.name for m in basic.members if m.name),
                   recommender=cover.recommender, applicant=cover.applicant)

    @classmethod
    def for_recommendation(cls, body: Recommendation) -> SealUnits:
        return cls(province=body.province)

    # Industry departments named anywhere in the document (the cover's 推荐单位, a letter's sender):
    # the recommender's seal is spotted against these too, as the extracted recommender may be misread.
    departments: tuple[str, ...] = ()

    def with_departments(self, names: list[str]) -> SealUnits:
        return replace(self, departments=tuple(n for n in names if n not in self.departments))

    def candidates(self) -> list[tuple[str, Owner]]:
        named: list[tuple[str | None, Owner]] = [(self.lead, "lead"), (self.applicant, "lead"),
                                                 (self.recommender, "recommender")]
        named += [(m, "member") for m in self.members]
        named += [(d, "recommender") for d in self.departments]
        seen: set[str] = set()
        unique = []
        for name, owner in named:
            if name and cjk(name) and name not in seen:
                seen.add(name)
                unique.append((name, owner))
        return unique

    def expected(self) -> dict[Owner, list[str]]:
        """Names each owner's seal may carry, best first."""
        return {"lead": [n for n in (self.lead, self.applicant) if n],
                "recommender": [n for n in (self.recommender, *self.departments) if n],
                "member": list(self.members)}


@dataclass
class SealFindings:
    seals: list[Seal] = field(default_factory=list)
    slots: dict[str, bool] = field(default_factory=dict)
    signature: bool | None = None
    signature_crop: str | None = None

    @classmethod
    def empty(cls, doc_type: DocType) -> SealFindings:
        return cls(slots=dict.fromkeys(slot_names(doc_type), False))


class _PageImages:
    """Page images loaded once for detection, reading and the signature (PNG decoding is not free)."""

    def __init__(self) -> None:
        self._cache: dict[int, np.ndarray | None] = {}

    def load(self, page: Page) -> np.ndarray | None:
        if page.number not in self._cache:
            self._cache[page.number] = load_colour(page.image_path) if page.image_path is not None else None
        return self._cache[page.number]


@dataclass
class _Found:
    """A detection with what the later steps need: where its pixels are and what was read."""

    seal: PageSeal
    outline_px: Outline | None  # in page pixels (None for a picture on a page with no image)
    pixels: np.ndarray | None  # the image the outline below refers to, for reading and cropping
    outline: Outline  # in `pixels`
    picture: Box | None = None  # the embedded picture's box (points), for seals that are pictures


def find_seals(pages: list[Page], units: SealUnits, doc_type: DocType, crops_dir: Path,
               settings: Settings) -> Extracted[SealFindings]:
    """Every seal in the document, the slots they fill, the signature verdict, with evidence crops."""
    reader = LineReader()
    images = _PageImages()
    units = units.with_departments(department_names([w.text for page in pages for w in page.words]))
    found: list[_Found] = []
    for page in pages:
        # Blank pages are looked at too: a page holding nothing but a faint grey seal can pass for blank.
        if page.error is not None:
            continue
        try:
            found.extend(_page_seals(page, units, reader, images.load(page)))
        except (cv2.error, OSError, ValueError) as error:
            # One bad page image costs that page's seals, not the document's.
            log.warning("seal detection failed on page %s: %s", page.number, error)
    page_seals = [f.seal for f in found]
    assign_slots(page_seals, pages, doc_type)
    checks = mismatch_checks(page_seals, units.expected())
    signature = None
    if doc_type == "application":
        outlines: dict[int, list[Outline]] = {}
        for f in found:
            if f.outline_px is not None:
                outlines.setdefault(f.seal.page, []).append(f.outline_px)
        pictures = frozenset((f.seal.page, f.picture) for f in found if f.picture is not None)
        signature = find_signature(pages, outlines, images.load, pictures)
    if settings.save_crops:
        for index, item in enumerate(found):
            item.seal.crop = _save_seal_crop(item, index, crops_dir)
    findings = SealFindings(
        seals=[_to_model(f.seal) for f in found],
        slots=slot_values(page_seals, doc_type, pages),
        signature=None if signature is None else signature.present,
        signature_crop=_save_signature_crop(signature, crops_dir) if settings.save_crops else None,
    )
    provenance = {f"seals[{i}]": Provenance(page=s.page, bbox=s.bbox, confidence=s.confidence, source="pixels")
                  for i, s in enumerate(findings.seals)}
    if signature is not None:
        provenance["signatures.commitment_legal_rep"] = Provenance(
            page=signature.page, bbox=[round(v, 1) for v in signature.box], confidence=signature.confidence,
            source="pixels")
    return Extracted(findings, provenance, checks)


def _page_seals(page: Page, units: SealUnits, reader: LineReader, bgr: np.ndarray | None) -> list[_Found]:
    found = [f for f in (_image_seal(page, image, units, reader) for image in page.images) if f is not None]
    if bgr is None or page.scale <= 0:
        return found
    # Trust the pixels over the reader's flag: a colour scan of a grey page is grey to us.
    grey = cv2.cvtColor(bgr, cv2.COLOR_BGR2GRAY) if is_grey(bgr) else None
    for cand in page_candidates(page, bgr):
        bbox = _to_points(cand.outline.box(), page.scale)
        # A picture already counted (an electronic seal drawn into the page image) is not a second seal.
        if any(_same_place(bbox, f.seal.bbox) for f in found):
            continue
        reading = _read(_seal_patch(bgr, grey, cand), reader)
        seal = PageSeal(page.number, bbox, cand.shape, cand.confidence, reading, _identify(reading, units))
        found.append(_Found(seal, cand.outline, bgr, cand.outline))
    return found


def _seal_patch(bgr: np.ndarray, grey: np.ndarray | None, cand: Candidate) -> tuple[np.ndarray, Candidate]:
    """The seal's ink mask cut out around it, and the candidate in the cut-out's pixels."""
    x0, y0, x1, y1 = cand.outline.box()
    pad = 0.1 * max(x1 - x0, y1 - y0)
    left, top = max(0, int(x0 - pad)), max(0, int(y0 - pad))
    right, bottom = min(bgr.shape[1], int(x1 + pad) + 1), min(bgr.shape[0], int(y1 + pad) + 1)
    local = Candidate(cand.outline.scaled(1.0, -left, -top), cand.confidence, cand.source, cand.coverage)
    patch = bgr[top:bottom, left:right]
    if grey is None:
        return _colour_seal_ink(patch, local.outline), local
    return _grey_seal_ink(grey[top:bottom, left:right], local.outline), local


def _image_seal(page: Page, image: EmbeddedImage, units: SealUnits, reader: LineReader) -> _Found | None:
    """An embedded picture that is a seal, placed in page points."""
    pixels = load_colour(image.path) if image.path is not None else None
    x0, top, x1, bottom = image.bbox
    if pixels is None:
        return None
    cand = detect_image(pixels, x1 - x0, bottom - top)
    if cand is None:
        return None
    sx, sy = (x1 - x0) / pixels.shape[1], (bottom - top) / pixels.shape[0]
    px0, py0, px1, py1 = cand.outline.box()
    bbox = (x0 + px0 * sx, top + py0 * sy, x0 + px1 * sx, top + py1 * sy)
    reading = _read((red_strength(pixels), cand), reader) if cand.shape in ("round", "oval") else None
    seal = PageSeal(page.number, _round_box(bbox), cand.shape, cand.confidence, reading, _identify(reading, units))
    outline_px = None
    if page.scale > 0:
        factor = page.scale * (sx + sy) / 2
        outline_px = cand.outline.scaled(factor, x0 * page.scale, top * page.scale)
    return _Found(seal, outline_px, pixels, cand.outline, image.bbox)


def _colour_seal_ink(bgr: np.ndarray, outline: Outline) -> np.ndarray:
    """Seal ink strength (0..255) around one seal of a colour page, for reading its characters.

    Scanners and JPEG keep colour at half the resolution of brightness, so a
    thin stroke's redness is smeared and weak while its darkness is sharp.
    So the stroke shape comes from the darkness, in the seal's own tone band
    (which also drops black print crossing the seal), wherever the blurred
    chroma says the area is red.
    """
    b, g, r = (bgr[..., i].astype(np.float32) for i in range(3))
    chroma = cv2.GaussianBlur(np.clip(r - np.maximum(g, b), 0.0, None), (0, 0), 2.0)
    gate = np.clip((chroma - 4.0) / 12.0, 0.0, 1.0)
    tone_ink = _grey_seal_ink(cv2.cvtColor(bgr, cv2.COLOR_BGR2GRAY), outline, red_mask(bgr))
    return (tone_ink.astype(np.float32) * gate).astype(np.uint8)


def _grey_seal_ink(grey: np.ndarray, outline: Outline, ring_ink: np.ndarray | None = None) -> np.ndarray:
    """Seal ink strength (0..255) of a grey page around one seal: the ring's grey tone, not print's black.

    Red ink scans mid-grey and black print near black, so ink is weighted by
    how close it is to the ring's own tone. Print is dropped with a pixel of
    margin, because its anti-aliased edges share the seal's tone; the paper's
    grain (a weak response) is dropped too.
    """
    paper = float(paper_level(grey))
    ink = ring_ink if ring_ink is not None else (grey < paper - 40).astype(np.uint8)
    tone = ring_tone(grey, ink, outline)
    if tone <= 0:
        tone = paper - 80.0
    level = grey.astype(np.float32)
    depth = max(20.0, paper - tone)
    # 0 at paper, 1 at the seal's tone, back to 0 for ink much darker than the seal (print).
    strength = np.clip((paper - level) / depth, 0.0, 1.0)
    darker = np.clip((tone - level) / max(20.0, 0.6 * tone), 0.0, 1.0)
    strength *= 1.0 - darker
    print_core = (level < tone - max(25.0, 0.35 * depth)).astype(np.uint8)
    strength[cv2.dilate(print_core, np.ones((3, 3), np.uint8)) > 0] = 0.0
    strength[strength < 0.25] = 0.0
    return (strength * 255).astype(np.uint8)


def _read(patch: tuple[np.ndarray, Candidate], reader: LineReader) -> Reading | None:
    """The seal's name as read from its unrolled ring (round and oval seals; square ones are read flat)."""
    ink, cand = patch
    if cand.shape == "unknown":
        return None
    local = _seal_only(ink, cand.outline)
    if cand.shape == "square":
        x0, y0, x1, y1 = (round(v) for v in cand.outline.box())
        flat = local[max(0, y0) : y1, max(0, x0) : x1]
        return reader.read(255 - flat) if flat.size else None
    return reader.read(unwrap(local, cand.outline, WRAP), 1.0 / (1.0 + WRAP))


def _seal_only(ink: np.ndarray, outline: Outline) -> np.ndarray:
    """The ink inside this seal's outline only, so a neighbouring seal's text is not read with it."""
    inside = np.zeros(ink.shape[:2], np.uint8)
    cv2.fillPoly(inside, [outline.points(1.04, 180).round().astype(np.int32)], 255)
    return cv2.bitwise_and(ink, inside)


def _identify(reading: Reading | None, units: SealUnits) -> Match | None:
    """Whose seal: a unit of the package, or (unnamed in the package) a provincial department."""
    if reading is None or not reading.text:
        return None
    match = match_unit(reading, units.candidates())
    if match is None and units.recommender is None and reading.confidence >= DEPARTMENT_READ_CONFIDENCE \
            and looks_like_department(reading.text) and (units.province is None or units.province[:2] in reading.text):
        match = Match(cjk(reading.text), "recommender", round(reading.confidence, 3))
    return match


def _to_points(box: tuple[float, float, float, float], scale: float) -> Box:
    return _round_box(tuple(v / scale for v in box))  # type: ignore[arg-type]


def _round_box(box: tuple[float, ...]) -> Box:
    return (round(box[0], 1), round(box[1], 1), round(box[2], 1), round(box[3], 1))


def _same_place(a: Box, b: Box) -> bool:
    """Two boxes are one seal when either's centre lies in the other's middle."""
    def inside(p: Box, q: Box) -> bool:
        cx, cy = (p[0] + p[2]) / 2, (p[1] + p[3]) / 2
        mx, my = (q[2] - q[0]) * 0.25, (q[3] - q[1]) * 0.25
        return q[0] + mx <= cx <= q[2] - mx and q[1] + my <= cy <= q[3] - my
    return inside(a, b) or inside(b, a)


def _to_model(seal: PageSeal) -> Seal:
    return Seal(page=seal.page, bbox=list(seal.bbox), shape=seal.shape, text=seal.text,  # type: ignore[arg-type]
                slot=seal.slot, confidence=round(min(1.0, max(0.0, seal.confidence)), 3), crop=seal.crop)


def _save_seal_crop(item: _Found, index: int, crops_dir: Path) -> str | None:
    if item.pixels is None:
        return None
    x0, y0, x1, y1 = item.outline.box()
    margin = CROP_MARGIN * max(x1 - x0, y1 - y0)
    h, w = item.pixels.shape[:2]
    crop = item.pixels[max(0, int(y0 - margin)) : min(h, int(y1 + margin)),
                       max(0, int(x0 - margin)) : min(w, int(x1 + margin))]
    return _write(crop, crops_dir, f"seal-p{item.seal.page:03d}-{index + 1:02d}.png")


def _save_signature_crop(finding: SignatureFinding | None, crops_dir: Path) -> str | None:
    if finding is None or finding.image is None:
        return None
    return _write(finding.image, crops_dir, f"signature-p{finding.page:03d}.png")


def _write(image: np.ndarray, crops_dir: Path, name: str) -> str | None:
    """Write a PNG; the path returned is relative to the JSON output folder (crops_dir's parent)."""
    if image.size == 0:
        return None
    try:
        crops_dir.mkdir(parents=True, exist_ok=True)
        if not cv2.imwrite(str(crops_dir / name), image):
            return None
    except (OSError, cv2.error) as error:
        log.warning("cannot write evidence crop %s: %s", name, error)
        return None
    return f"{crops_dir.name}/{name}"
