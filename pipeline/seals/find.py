"""The seal stage: find every seal, read it, fill the slots, judge the signature, save the evidence.

`find_seals` is what the runner calls. Per page it picks the detector the
page needs (red ink on colour scans, rings on grey scans, embedded pictures on
text-layer pages), keeps one detection per physical seal, reads each seal's
name and matches it to the units of the package.
"""

from __future__ import annotations

import functools
import logging
import math
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal

import cv2
import numpy as np

from models import BasicInfo, Cover, Provenance, Recommendation, Seal
from models.page import Box, EmbeddedImage, Page
from pipeline.config import Settings
from pipeline.names import garbled_reading_of
from pipeline.normalise import valid_codes_in
from pipeline.ocr import get_engine, seal_engine
from pipeline.result import Extracted
from pipeline.seals.anchors import find_anchors
from pipeline.seals.authority import PLACE_CHARS, as_authority, authority_names
from pipeline.seals.detect import MM_PER_INCH, Candidate, detect_grey, detect_image, faint_rings
from pipeline.seals.geometry import Outline
from pipeline.seals.ink import dithered, is_one_bit, load_colour, red_strength
from pipeline.seals.known import red_stamps_on_page, stamps_on_page
from pipeline.seals.pairs import may_be_two_stamps, split_known_stamp
from pipeline.seals.read import SealText, read_ink, read_seal
from pipeline.seals.scan import grey_page, page_candidates
from pipeline.seals.signature import SignatureFinding, find_signature
from pipeline.seals.slots import (
    APPLICATION_SLOTS,
    EXPECTED_OWNER,
    PageSeal,
    assign_slots,
    cover_pages,
    mismatch_checks,
    slot_names,
    slot_values,
)
from pipeline.seals.speckring import SPECK_RING_ARC, SPECK_RING_SURPRISE, find_speck_rings, print_mask, speck_grid
from pipeline.seals.stamped import (
    dropped_put_back,
    lead_spelt_alike,
    named_as_stamped,
    named_with_legal_form,
    respelt_by_vote,
    unread_as_sealed,
)
from pipeline.seals.stipple import seal_in_dots, stipple_dots, trace_in_dots
from pipeline.seals.text import (
    MIN_SPOT_RATIO,
    LineReader,
    Match,
    Owner,
    Reading,
    as_printed,
    as_stated,
    cjk,
    department_misspelt,
    department_names,
    looks_like_department,
    match_unit,
    organisation_names,
    same_unit,
    spelling_of,
    survivors_match,
    variant_of,
    without_run_on,
)

log = logging.getLogger(__name__)

DocType = Literal["application", "recommendation"]
CROP_MARGIN = 0.08  # of the seal's size, around its box in the evidence crop
# A department's seal named by its reading alone (no department named anywhere in the document).
DEPARTMENT_READ_CONFIDENCE = 0.8
# A lead's stamp found by its size (`_known_stamp_seals`) and read as the lead's: as sure as a seal the
# detectors found (its ring is judged less strictly, its reading more).
KNOWN_STAMP_CONFIDENCE = 0.8
# Whose stamp fills a document's slots off the cover, page after page: the applicant's (the lead) on an
# application, the recommending department's on a recommendation (its letter and its table).
STAMPING_UNIT: dict[DocType, Owner] = {"application": "lead", "recommendation": "recommender"}
# A unit's name this long or longer, printed in a text layer, is its exact spelling (a shorter run of
# characters is printed inside many other words).
MIN_EXACT_CHARS = 4
# Copies of a name alike in the pages' text that make it the document's own spelling (`SealUnits.printed_alike`).
PRINTED_ALIKE = 2


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
        members = tuple(name for m in basic.members if (name := seal_name(m.name)))
        return cls(lead=seal_name(basic.lead_unit.name), members=members,
                   recommender=seal_name(cover.recommender), applicant=seal_name(cover.applicant))

    @classmethod
    def for_recommendation(cls, body: Recommendation) -> SealUnits:
        return cls(province=body.province)

    # Industry departments named anywhere in the document (the cover's 推荐单位, a letter's sender):
    # the recommender's seal is spotted against these too, as the extracted recommender may be misread.
    departments: tuple[str, ...] = ()

    def stated_recommender(self) -> tuple[str | None, ...]:
        """The recommender's name as the package states it: the cover's 推荐单位, or where there is none (a
        recommendation) the departments named in the document under the province it states (a letter's
        sender, its heading), whose seal bears the province whole however faint its first characters."""
        if self.recommender or not self.province:
            return (self.recommender,)
        province = cjk(self.province)
        return tuple(name for name in self.departments if cjk(name).startswith(province))

    def with_departments(self, names: list[str]) -> SealUnits:
        return replace(self, departments=tuple(n for n in names if n not in self.departments))

    # Other organisations named in the document (partners in tables, licence authorities): their seals
    # are read by name too, as "other" (no unit's slot).
    others: tuple[str, ...] = ()

    def with_others(self, names: list[str]) -> SealUnits:
        return replace(self, others=tuple(n for n in names if n not in self.others))

    # Registration authorities put together from the document's cities (`authority.authority_names`): a
    # licence's seal is read by one of these though the licence's own copy of the name was misread or lost.
    authorities: tuple[str, ...] = ()

    def with_authorities(self, names: list[str]) -> SealUnits:
        return replace(self, authorities=tuple(n for n in names if n not in self.authorities))

    # The pages' text layer (a page exported from Word), its characters only: names printed in it are spelt
    # exactly as the package spells them, so another spelling of one found in OCR'd text is a misreading.
    text_layer: str = ""

    def with_text_layer(self, text: str) -> SealUnits:
        return replace(self, text_layer=cjk(text))

    # Every page's text (OCR'd or a text layer), its characters only: a name printed alike in two places.
    page_text: str = ""

    def with_page_text(self, text: str) -> SealUnits:
        return replace(self, page_text=cjk(text))

    def printed_alike(self, name: str) -> bool:
        """Whether the document spells `name` so itself: printed whole in its text layer, alike in two places of
        its pages' text (the page OCR slips on one copy of a name, rarely on two the same way), or a registration
        authority put together from the cities the document names (`authority.authority_names`)."""
        text = cjk(name)
        if len(text) < MIN_EXACT_CHARS:
            return False
        return self.in_text_layer(name) or self.page_text.count(text) >= PRINTED_ALIKE or name in self.authorities

    def in_text_layer(self, name: str) -> bool:
        """Whether the text layer prints `name` whole (`MIN_EXACT_CHARS` or longer): its exact spelling."""
        text = cjk(name)
        return len(text) >= MIN_EXACT_CHARS and text in self.text_layer

    @property
    def exact(self) -> tuple[str, ...]:
        """The units' names the text layer prints whole."""
        units = (self.lead, self.applicant, self.recommender, *self.members)
        return tuple(n for n in units if n and len(cjk(n)) >= MIN_EXACT_CHARS and cjk(n) in self.text_layer)

    def candidates(self) -> list[tuple[str, Owner]]:
        """Every name a seal may carry with whose it is: the units first, then other names in the text."""
        return list(_candidates(self))

    def lead_slot_names(self) -> tuple[tuple[tuple[str, Owner], ...], tuple[str, ...]]:
        """The names a seal in a lead's slot is weighed among (the lead's and the recommender's) and the members'
        set aside (`_lead_slot_match`), worked out once per set of units: every unnamed seal's readings ask."""
        return _lead_slot_names(self)

    def _named(self) -> list[tuple[str, Owner]]:
        named: list[tuple[str | None, Owner]] = [(self.lead, "lead"), (self.applicant, "lead"),
                                                 (self.recommender, "recommender")]
        named += [(m, "member") for m in self.members]
        named += [(d, "recommender") for d in self.departments]
        seen: set[str] = set()
        unique = []
        for name, owner in named:
            if name and cjk(name) and name not in seen and not self._misspelt(name, owner):
                seen.add(name)
                unique.append((name, owner))
        return unique + self._other_candidates(unique)

    def _misspelt(self, name: str, owner: Owner | None = None) -> bool:
        """Whether `name`, printed nowhere in the text layer, is another spelling of a unit's name it prints
        (`exact`); for a unit the form states (`owner`), of that same unit's (the lead's, a member's).

        A seal's recogniser confuses the same look-alike characters the page's OCR does (数字化 read 数学化
        on a scanned cover and on some of the lead's seals): left as a candidate, such a spelling wins
        those seals from the name the package prints. A name the text layer prints is no misreading, however
        near a unit's (唐山瑞远自动化 and 唐山弘天自动化: two members two characters apart). A member the form
        lists is no misreading of the lead's name, however near (台州联宏工业互联网 beside the lead 台州瑞锐工业互联网:
        dropped, its own seals read clearly as itself were named the lead's)."""
        if not self.text_layer or cjk(name) in self.text_layer:
            return False
        exact = self.exact if owner is None else self._exact_of(owner)
        return any(name != other and spelling_of(name, other) for other in exact)

    def _exact_of(self, owner: Owner) -> tuple[str, ...]:
        """The names the text layer prints whole of the units the form states for `owner`."""
        stated = {"lead": (self.lead, self.applicant), "recommender": (self.recommender,),
                  "member": self.members}.get(owner, ())
        return tuple(name for name in self.exact if name in stated)

    def _other_candidates(self, units: list[tuple[str, Owner]]) -> list[tuple[str, Owner]]:
        """Names found in the text: another spelling of a unit's name (one of the two misread) is that
        unit's, spotting picks the spelling the seal bears, unless it misspells a department's fixed suffix
        (`text.department_misspelt`); a unit's name cut off is dropped (spotting favours a shorter name); the rest
        are other organisations."""
        found: list[tuple[str, Owner]] = []
        known = {name for name, _ in units}
        for name in self.others:
            name = self._authority_as_printed(name)
            if name in known or self._misspelt(name) or any(name == other for other, _ in found):
                continue
            spelt = next(((unit, owner) for unit, owner in units if spelling_of(name, unit)), None)
            if spelt is not None:
                found += [] if department_misspelt(name, spelt[0]) else [(name, spelt[1])]
            elif not any(variant_of(name, unit) for unit in known):
                found.append((name, "other"))
        named = {cjk(name) for name, _ in found} | {cjk(name) for name in known}
        # A city read by its last two characters (家庄 of 石家庄) builds the tail of a name the text prints whole.
        return found + [(name, "other") for name in self.authorities
                        if cjk(name) not in named and not any(other.endswith(cjk(name)) for other in named)]

    def _authority_as_printed(self, name: str) -> str:
        """A registration authority's name found in the text with its fixed suffix spelt right, and in the
        spelling of the authority the document's cities give where the two are one name misread or cut
        off (当州市… printed once, 兰州 all over the document), never in a shorter one (家庄市…, built from
        石家庄's last two characters); any other name as found."""
        authority = as_authority(name)
        if authority is None or authority in self.authorities:
            return authority or name
        for built in self.authorities:
            # Characters read before a built authority's city ("口台州市…": the label's 关 read 口) are the city's
            # only where the document prints that longer place elsewhere too (石家庄 before 家庄市…).
            lead_in = authority[: len(authority) - len(built)] if authority.endswith(built) else ""
            if lead_in and self.page_text.count(lead_in + built[:PLACE_CHARS]) < PRINTED_ALIKE:
                return built
        return next((built for built in self.authorities if built != authority and len(built) >= len(authority)
                     and same_unit(built, authority)), authority)

    def stated_apart(self, a: str, b: str) -> bool:
        """Whether the form states `a` and `b` as two units (two rows of its members, or the lead and a member),
        however alike their names: 长春云拓智能制造技术有限公司 and 长春正昌智能制造技术有限公司, two characters apart."""
        stated = {name for name in (self.lead, self.applicant, *self.members) if name}
        return a != b and a in stated and b in stated and not {a, b} <= {self.lead, self.applicant}

    def expected(self) -> dict[Owner, list[str]]:
        """Names each owner's seal may carry, best first."""
        return {"lead": [n for n in (self.lead, self.applicant) if n],
                "recommender": [n for n in (self.recommender, *self.departments) if n],
                "member": list(self.members)}


@functools.lru_cache(maxsize=8)
def _candidates(units: SealUnits) -> tuple[tuple[str, Owner], ...]:
    """`SealUnits.candidates`, worked out once per set of units: every seal of a document is matched
    against the same names, and telling the text's names from the units' spellings is not cheap."""
    return tuple(units._named())


@functools.lru_cache(maxsize=8)
def _lead_slot_names(units: SealUnits) -> tuple[tuple[tuple[str, Owner], ...], tuple[str, ...]]:
    """`SealUnits.lead_slot_names`, once per set of units."""
    candidates = units.candidates()
    return (tuple((name, owner) for name, owner in candidates if owner in ("lead", "recommender")),
            tuple(name for name, owner in candidates if owner == "member"))


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
    reader = LineReader(seal_engine(settings), fallback=get_engine(settings, "tesseract"))
    images = _PageImages()
    texts = [w.text for page in pages for w in page.words]
    units = units.with_departments(department_names(texts)).with_others(organisation_names(texts))
    units = units.with_text_layer("".join(page.text for page in pages if page.kind == "text"))
    units = units.with_page_text("\n".join(page.text for page in pages if page.error is None))
    unit_names = _unit_names(units)
    units = units.with_authorities(authority_names(texts, [*units.others, *unit_names], unit_names))
    found: list[_Found] = []
    for page in pages:
        # Blank pages are looked at too: a page holding nothing but a faint grey seal can pass for blank.
        if page.error is not None:
            continue
        try:
            found.extend(_page_seals(page, units, reader, images))
        except (cv2.error, OSError, ValueError) as error:
            # One bad page image costs that page's seals, not the document's.
            log.warning("seal detection failed on page %s: %s", page.number, error)
    found = _split_merged_stamps(found, pages, units, reader, images)
    page_seals = [f.seal for f in found]
    assign_slots(page_seals, pages, doc_type)
    known = _known_stamp_seals(found, slot_values(page_seals, doc_type, pages), pages, units, reader, images,
                               STAMPING_UNIT[doc_type])
    if known.late or known.refitted:
        found = [f for f in found if all(f is not m for m in known.misfitted)] + known.late + known.refitted
        page_seals = [f.seal for f in found]
        for seal in page_seals:
            seal.slot = None  # assigned again with the stamps found by their size
        assign_slots(page_seals, pages, doc_type)
    found += _dedithered_seals(found, slot_values(page_seals, doc_type, pages), pages, units, reader, images)
    page_seals = [f.seal for f in found]
    in_specks = _speck_ring_seals(found, slot_values(page_seals, doc_type, pages), pages, units, reader, images)
    found += in_specks
    page_seals = [f.seal for f in found]
    for seal in page_seals:
        seal.slot = None  # assigned again with the rings found in specks beside them
    one_unit_per_overlap(page_seals, units)
    named_as_stamped(page_seals)
    dropped_put_back(page_seals, units.in_text_layer)
    respelt_by_vote(page_seals, units.in_text_layer, units.candidates())
    named_with_legal_form(page_seals)
    lead_spelt_alike(page_seals)
    assign_slots(page_seals, pages, doc_type)
    if doc_type == "application":
        _lead_in_its_slot(page_seals, units)
        lead_spelt_alike(page_seals)  # the seals named by their slot take the spelling the lead's seals agree on
    _head_lost(page_seals, units)
    if doc_type == "application" and unread_as_sealed(page_seals, units.applicant or units.lead,
                                                      functools.partial(_identify_as_sealed, units=units)):
        for seal in page_seals:
            seal.slot = None  # assigned again with the seals now named
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
    # A ring found only in its specks leaves the stipple it was found in a place of doubt for a slot still empty
    # beside it (the cover's other stamp, as faded, crossing it): the place is judged as before it was found.
    provenance.update(_known_stamp_places(known.late))
    provenance.update({path: place for path, place in known.unread.items() if not findings.slots.get(path[len("seal_slots."):])})
    provenance.update(_unconfirmed_seals(pages, findings.slots, [f for f in found if all(f is not g for g in in_specks)], images))
    if signature is not None:
        provenance["signatures.commitment_legal_rep"] = Provenance(
            page=signature.page, bbox=[round(v, 1) for v in signature.box], confidence=signature.confidence,
            source="pixels")
    return Extracted(findings, provenance, checks)


# The slots only the lead stamps, off the cover (whose slots follow the seals' owners): the commitment's applicant
# line and the appendix tables.
LEAD_SLOTS = frozenset(slot for slot in APPLICATION_SLOTS if not slot.startswith("cover_"))


def _lead_in_its_slot(seals: list[PageSeal], units: SealUnits) -> None:
    """A seal named no one in a slot only the lead stamps, named the lead's where its reading spots the lead
    clearly once the package's members are set aside (`_lead_slot_match`), or failing that the reading of it
    that does so best (`PageSeal.in_lead_slot`), which it then keeps.

    The lead and a member are rivals however alike their names (`text.two_units`); a strip that reads neither's
    distinctive characters (国台州工亚互联网有限公, beside 台州瑞锐 and 台州联宏) spots both alike and names neither.
    Where it stands says whose it is: members stamp the commitment's members' line and their own pages, never
    the lead's slots; a seal there that spots a member clearly better (`MIN_SPOT_RATIO`) is left unnamed."""
    for seal in seals:
        if seal.match is None and seal.reading is not None and seal.slot in LEAD_SLOTS:
            seal.match = _lead_slot_match(seal.reading, units)
            if seal.match is None and seal.in_lead_slot is not None:
                seal.match = _lead_slot_match(seal.in_lead_slot, units)
                seal.reading = seal.in_lead_slot if seal.match is not None else seal.reading


def _lead_slot_match(reading: Reading, units: SealUnits) -> Match | None:
    """The lead, where `reading` spots it clearly among the lead and the recommender and no member clearly better:
    whose a seal is in a slot only the lead stamps (`_lead_in_its_slot`)."""
    candidates, members = units.lead_slot_names()
    match = match_unit(reading, candidates)
    # The place settles a strip the two units spot alike, never one that spots a member clearly better.
    member = max((score or 0.0 for score in reading.spot_all(members)), default=0.0)
    return match if match is not None and match.owner == "lead" and match.score * MIN_SPOT_RATIO >= member else None


def _head_lost(seals: list[PageSeal], units: SealUnits) -> None:
    """Mark the readings of seals named no one that are the end of a longer name the document names
    (`Reading.head_lost`): "技术有限公司" of a cover stamp whose place and trade name did not read is no one's
    name, though it reads as one, and was taken as the seal's text and flagged as a foreign seal's."""
    names = {cjk(name) for name, _ in units.candidates()}
    for seal in seals:
        reading = seal.reading
        text = cjk(reading.text) if reading is not None else ""
        if seal.match is None and reading is not None and text \
                and any(len(name) > len(text) and name.endswith(text) for name in names):
            seal.reading = replace(reading, head_lost=True)


@dataclass
class _KnownStamps:
    """What the search for the stamping unit's stamp by its size found (`_known_stamp_seals`)."""

    late: list[_Found] = field(default_factory=list)  # stamps read as the unit's in slots no seal filled
    refitted: list[_Found] = field(default_factory=list)  # stamps read as the unit's over a seal fitted at another size
    misfitted: list[_Found] = field(default_factory=list)  # those seals, the same stamps fitted wrongly
    unread: dict[str, Provenance] = field(default_factory=dict)  # `seal_slots.<slot>` of stamp-sized rings read as no one's


def _known_stamp_seals(found: list[_Found], slots: dict[str, bool], pages: list[Page], units: SealUnits,
                       reader: LineReader, images: _PageImages, owner: Owner = "lead") -> _KnownStamps:
    """The stamping unit's stamp (`owner`: the lead's on an application, the recommender's on a recommendation,
    `STAMPING_UNIT`), of the size it has on its other pages, looked for on the pages of its slots (the cover's
    applicant line, the commitment, the appendix tables, the recommendation's table; `known.stamps_on_page` on
    grey pages, `known.red_stamps_on_page` on colour ones) and kept where its reading names that unit: over a
    table's print the detectors' ring tests miss it, and no unit's name is read in a table's cells (its print is
    no seal ink). Looked for where its slot is empty, and off the cover where the slot holds only seals read as no
    one's at another size (the stamp's ring broken by print and fitted as a smaller seal inside it, which the
    stamp then stands for). A ring of that size read as no one's is no seal: on a phone photo's table page truly
    without a seal (dev4 a05 p13) such a ring was found. On a flatbed colour scan a ring of red ink of exactly the
    stamp's size is a stamp, whoever's: its empty slot's place is recorded as a doubt (`unread`), not an absence."""
    by_number = {page.number: page for page in pages}
    stamp = _stamp_mm(found, by_number, owner)
    result = _KnownStamps()
    if stamp is None:
        return result
    covers = cover_pages(pages)
    for slot, filled in slots.items():
        if EXPECTED_OWNER.get(slot) != owner or (filled and slot.startswith("cover_")):
            continue
        misfits = [f for f in found if f.seal.slot == slot] if filled else []
        if filled and not _misfitted(misfits, stamp, by_number):
            continue
        for page in pages:
            if not (page.number in covers if slot.startswith("cover_") else page.role == slot):
                continue
            if filled and all(f.seal.page != page.number for f in misfits):
                continue
            avoid = [f.outline_px for f in found if f.seal.page == page.number and f.outline_px is not None
                     and all(f is not m for m in misfits)]
            for item, ring in _page_known_stamps(page, stamp, avoid, units, reader, images, owner):
                if item is not None and not filled:
                    result.late.append(item)
                elif item is not None:
                    over = [m for m in misfits if m.seal.page == page.number and m.outline_px is not None
                            and ring.contains(m.outline_px.cx, m.outline_px.cy)]
                    result.refitted.append(item)
                    result.misfitted.extend(over)
                elif not filled and _flatbed_colour(page, images):
                    box = _to_points(ring.box(), page.scale)
                    result.unread[f"seal_slots.{slot}"] = Provenance(page=page.number, bbox=list(box), source="pixels")
    return result


# A seal is of the stamp's size within these shares of its semi-axes (a stamp's print varies a few per cent from
# page to page, `known.SCALES`; one fitted round its lettering or an arc of its ring is far smaller).
STAMP_SIZE_SHARES = (0.85, 1.15)


def _misfitted(seals: list[_Found], stamp: tuple[float, float], pages: dict[int, Page]) -> bool:
    """Whether a slot's seals are all read as no one's and none is of the stamp's size (semi-axes, mm)."""
    def stamp_sized(item: _Found) -> bool:
        outline, mm = item.outline_px, pages[item.seal.page].dpi / MM_PER_INCH
        return outline is not None and mm > 0 and all(
            STAMP_SIZE_SHARES[0] <= size / mm / known <= STAMP_SIZE_SHARES[1]
            for size, known in zip((outline.a, outline.b), stamp, strict=True))
    return bool(seals) and all(f.seal.match is None and f.picture is None and not stamp_sized(f) for f in seals)


def _flatbed_colour(page: Page, images: _PageImages) -> bool:
    """A colour page scanned flat (no paper edges found against a desk, `PageFlattening.quad`): its red is the
    ink's own, where a phone photo's tinted light and JPEG colour blocks make red rings of paper and print."""
    bgr = images.load(page) if page.image_path is not None else None
    flat = page.flattening is None or page.flattening.quad is None
    return flat and bgr is not None and not grey_page(page, bgr)


def _page_known_stamps(page: Page, stamp: tuple[float, float], avoid: list[Outline], units: SealUnits,
                       reader: LineReader, images: _PageImages, owner: Owner = "lead"
                       ) -> list[tuple[_Found | None, Outline]]:
    """The rings of the stamp's size found on `page` (clear of `avoid`), each with the seal it is where its
    reading names `owner` (else None)."""
    bgr = images.load(page) if page.image_path is not None and page.scale > 0 and page.dpi > 0 else None
    if bgr is None:
        return []
    px_per_mm = page.dpi / MM_PER_INCH
    grey = cv2.cvtColor(bgr, cv2.COLOR_BGR2GRAY) if grey_page(page, bgr) else None
    if grey is not None and is_one_bit(grey, whole_page=True):
        return []  # a 1-bit page's rings are looked for in its specks (`_speck_ring_seals`)
    rings = red_stamps_on_page(bgr, px_per_mm, stamp, 1, avoid) if grey is None else \
        stamps_on_page(grey, px_per_mm, stamp, 1, avoid)
    out: list[tuple[_Found | None, Outline]] = []
    for outline in rings:
        cand = Candidate(outline, KNOWN_STAMP_CONFIDENCE, "red" if grey is None else "grey")
        read = read_seal(bgr, grey, cand, reader, functools.partial(_identify, units=units), px_per_mm)
        if read.match is None or read.match.owner != owner:
            log.info("page %s: a ring of the %s's stamp's size not read as the %s's: no seal", page.number, owner, owner)
            out.append((None, outline))
            continue
        seal = PageSeal(page.number, _to_points(outline.box(), page.scale), outline.shape, cand.confidence,
                        read.reading, read.match)
        out.append((_Found(seal, outline, bgr, outline), outline))
        log.info("page %s: the %s's stamp found by its size", page.number, owner)
    return out


def _known_stamp_places(known: list[_Found]) -> dict[str, Provenance]:
    """`seal_slots.<slot>` places of the slots only the search by the stamp's size filled: the detectors missed
    their seals, a sign they fail on the package's pages (`checks.completeness.seal_missing`)."""
    return {f"seal_slots.{f.seal.slot}": Provenance(page=f.seal.page, bbox=list(f.seal.bbox), source="pixels")
            for f in known if f.seal.slot is not None}


def _dedithered_seals(found: list[_Found], slots: dict[str, bool], pages: list[Page], units: SealUnits,
                      reader: LineReader, images: _PageImages) -> list[_Found]:
    """Seals found again on the grey pages of the slots no seal fills: with a dithered page (`ink.dithered`)
    seen as 1-bit (`detect.detect_grey` with `one_bit`: dedithered first), and on another grey scan as faint
    rings over print (`detect.faint_rings`). A dither scan deskewed to the reading's dpi
    spreads its dots over grey neighbours, so the page passes for grey and its seals were looked for by tone,
    in which a dithered seal is dots no mask joins into a ring (dev30 r13's recommendation table). The 1-bit
    search costs seconds a page (dev32 a03: 2.3-3.1 s against 0.5-0.9 s), so it is made only where a slot
    is in doubt, and it keeps only seals where none was found."""
    wanted = seals_wanted(slots, pages, len(units.members))
    out: list[_Found] = []
    for page in pages:
        if page.number in wanted:
            out.extend(_page_dedithered_seals(page, wanted[page.number], found, units, reader, images))
    return out


def _page_dedithered_seals(page: Page, count: int, found: list[_Found], units: SealUnits, reader: LineReader,
                           images: _PageImages) -> list[_Found]:
    bgr = images.load(page) if page.image_path is not None and page.scale > 0 and page.dpi > 0 else None
    if bgr is None or not grey_page(page, bgr):
        return []
    grey = cv2.cvtColor(bgr, cv2.COLOR_BGR2GRAY)
    if is_one_bit(grey, whole_page=True):
        return []  # a 1-bit page was searched as one
    # A grey scan's tones hold its seals, a faint one over print judged by its ring alone.
    # (the faint rings: at most as many as the page's empty slots ask for, the best inked first).
    again = detect_grey(grey, page.dpi, one_bit=True) if dithered(grey) else \
        sorted(faint_rings(grey, page.dpi), key=lambda c: -c.confidence)[:count]
    px_per_mm = page.dpi / MM_PER_INCH
    there = [f.outline_px for f in found if f.seal.page == page.number and f.outline_px is not None]
    out = []
    for cand in again:
        outline = cand.outline
        if any(seal.contains(outline.cx, outline.cy) or outline.contains(seal.cx, seal.cy) for seal in there):
            continue
        read = read_seal(bgr, grey, cand, reader, functools.partial(_identify, units=units), px_per_mm,
                         functools.partial(_lead_slot_match, units=units))
        seal = PageSeal(page.number, _to_points(outline.box(), page.scale), cand.shape, cand.confidence,
                        read.reading, read.match, in_lead_slot=read.in_lead_slot)
        out.append(_Found(seal, outline, bgr, outline))
        there.append(outline)
        log.info("page %s: a seal found again on a grey page whose slot none filled", page.number)
    return out


def _speck_ring_seals(found: list[_Found], slots: dict[str, bool], pages: list[Page], units: SealUnits,
                      reader: LineReader, images: _PageImages) -> list[_Found]:
    """Seals found as rings of raised speck density (`speckring`) on the 1-bit pages of the slots no seal
    fills: a fax keeps a faded seal's ring only as sparse dither no ring test confirms. Only there: the
    slot's place is in doubt, and elsewhere a seal missed costs nothing the checks ask for."""
    wanted = seals_wanted(slots, pages, len(units.members))
    if not wanted:
        return []
    sizes = _package_seal_sizes(found, pages)
    out: list[_Found] = []
    for page in pages:
        if page.number in wanted:
            out.extend(_page_speck_rings(page, wanted[page.number], sizes, found, units, reader, images))
    return out


def seals_wanted(slots: dict[str, bool], pages: list[Page], members: int) -> dict[int, int]:
    """How many rings to look for on each page of a slot no seal fills (page number -> count): one per empty
    slot, and on the commitment page one more per consortium member, whose seals stand there too (beneath
    their own label) and may be the clearer rings: the applicant's is then found beside them."""
    covers = cover_pages(pages)
    wanted: dict[int, int] = {}
    for slot in (name for name, filled in slots.items() if not filled):
        for page in pages:
            if page.number in covers if slot.startswith("cover_") else page.role == slot:
                extra = members if slot == "commitment" else 0
                wanted[page.number] = wanted.get(page.number, 0) + 1 + extra
    return wanted


# The package's seal size when none of its seals was found (semi-axes, mm): official round seals are
# 38-42 mm across, ovals about 45 x 30 mm.
DEFAULT_SEAL_SIZES_MM = ((19.5, 19.5), (22.5, 15.5))


def _package_seal_sizes(found: list[_Found], pages: list[Page]) -> list[tuple[float, float]]:
    """The package's stamps' sizes (semi-axes, mm): the median of its round seals and of its ovals as found
    in the pages' pixels (a unit stamps every page with one seal); a shape none of its found seals has at
    its official size (a company's ovals found do not say the department's round seal on the cover is absent)."""
    by_number = {page.number: page for page in pages}
    sizes: dict[str, list[tuple[float, float]]] = {}
    for item in found:
        outline, page = item.outline_px, by_number.get(item.seal.page)
        if item.picture is None and outline is not None and outline.shape in ("round", "oval") and page and page.dpi > 0:
            mm = page.dpi / MM_PER_INCH
            sizes.setdefault(outline.shape, []).append((outline.a / mm, outline.b / mm))
    return [(float(np.median([a for a, _ in sizes[shape]])), float(np.median([b for _, b in sizes[shape]])))
            if shape in sizes else official for shape, official in zip(("round", "oval"), DEFAULT_SEAL_SIZES_MM, strict=True)]


def _page_speck_rings(page: Page, count: int, sizes_mm: list[tuple[float, float]], found: list[_Found],
                      units: SealUnits, reader: LineReader, images: _PageImages) -> list[_Found]:
    bgr = images.load(page) if page.image_path is not None and page.scale > 0 else None
    if bgr is None:
        return []
    grey = cv2.cvtColor(bgr, cv2.COLOR_BGR2GRAY)
    if not is_one_bit(grey, whole_page=True):
        return []
    px_per_mm = page.dpi / MM_PER_INCH
    scale = page.scale
    printed = [tuple(v * scale for v in word.bbox) for word in page.words]
    printed += [(line.x0 * scale, line.top * scale, line.x1 * scale, line.bottom * scale) for line in page.lines]
    grid = speck_grid(grey, px_per_mm, print_mask(grey.shape, printed, px_per_mm))  # type: ignore[arg-type]
    avoid = [f.outline_px for f in found if f.seal.page == page.number and f.outline_px is not None]
    rings = find_speck_rings(grid, [(a * px_per_mm, b * px_per_mm) for a, b in sizes_mm], count,
                             SPECK_RING_SURPRISE, SPECK_RING_ARC, avoid)
    out = []
    for ring in rings:
        cand = Candidate(ring.outline, ring.arc, "grey")
        read = read_seal(bgr, grey, cand, reader, functools.partial(_identify, units=units), px_per_mm)
        seal = PageSeal(page.number, _to_points(ring.outline.box(), scale), cand.shape, cand.confidence,
                        read.reading, read.match)
        out.append(_Found(seal, ring.outline, bgr, ring.outline))
        log.info("page %s: a seal's ring found in its specks (surprise %.0f, arc %.2f)", page.number,
                 ring.surprise, ring.arc)
    return out


def _unconfirmed_seals(pages: list[Page], slots: dict[str, bool], found: list[_Found],
                       images: _PageImages) -> dict[str, Provenance]:
    """For each empty slot, the place on its 1-bit page where stipple gathers like a seal no ring test
    confirmed (`seal_slots.<slot>`): the checks then ask a reviewer to look there instead of calling
    the slot empty."""
    covers = cover_pages(pages)
    places: dict[str, Provenance] = {}
    # The cover's two slots share their page: its dots and its stipple are looked for once (seconds on a
    # dense 1-bit page).
    page_dots: dict[int, tuple[np.ndarray, tuple[int, ...]] | None] = {}
    page_places: dict[int, Provenance | None] = {}
    for slot in (name for name, filled in slots.items() if not filled):
        for page in pages:
            if not (page.number in covers if slot.startswith("cover_") else page.role == slot):
                continue
            if page.number not in page_dots:
                page_dots[page.number] = _lone_dots(page, found, images)
                page_places[page.number] = _stipple_place(page, page_dots[page.number])
            place = page_places[page.number] or _trace_place(page, slot, page_dots[page.number])
            if place is not None:
                places[f"seal_slots.{slot}"] = place
                break
    return places


# The printed label each slot's stamp goes over (on an appendix table, the note under it: 注：申报单位…加盖公章).
TRACE_LABELS: dict[str, tuple[str, ...]] = {
    "cover_applicant": ("申报单位",), "cover_recommender": ("推荐单位",), "commitment": ("申报单位",),
    **{role: ("申报单位",) for role in APPLICATION_SLOTS if role.startswith("appendix")},
}


def _trace_place(page: Page, slot: str, dots: tuple[np.ndarray, tuple[int, ...]] | None) -> Provenance | None:
    """Where a seal too faded for `stipple_seal` left a trace beside the slot's label on a 1-bit page
    (`stipple.stipple_trace`), as a place to look at; None elsewhere."""
    labels = find_anchors(page.words, TRACE_LABELS.get(slot, ()))
    if dots is None or not labels:
        return None
    points, shape = dots
    box = trace_in_dots(points, shape, page.dpi / MM_PER_INCH, [_to_pixels(label.box, page.scale) for label in labels])
    if box is None:
        return None
    log.info("page %s: a faded seal's trace beside the label of %s", page.number, slot)
    return Provenance(page=page.number, bbox=list(_to_points(box, page.scale)), source="pixels")


def _to_pixels(box: Box, scale: float) -> tuple[float, float, float, float]:
    return box[0] * scale, box[1] * scale, box[2] * scale, box[3] * scale


def _lone_dots(page: Page, found: list[_Found], images: _PageImages) -> tuple[np.ndarray, tuple[int, ...]] | None:
    """A 1-bit page's lone dots, clear of print and of the seals found on it (`stipple.stipple_dots`), with the
    page's shape (px); None on a page that is not 1-bit (a fax, a dithered scan)."""
    bgr = images.load(page) if page.image_path is not None and page.scale > 0 else None
    if bgr is None:
        return None
    grey = cv2.cvtColor(bgr, cv2.COLOR_BGR2GRAY)
    if not is_one_bit(grey, whole_page=True):
        return None
    outlines = [f.outline_px for f in found if f.seal.page == page.number and f.outline_px is not None]
    return stipple_dots(grey, page.dpi / MM_PER_INCH, outlines), grey.shape


def _stipple_place(page: Page, dots: tuple[np.ndarray, tuple[int, ...]] | None) -> Provenance | None:
    box = seal_in_dots(dots[0], dots[1], page.dpi / MM_PER_INCH) if dots is not None else None
    if box is None:
        return None
    # No confidence: the place is no reading (one would be flagged as a weak one, `checks.fields.low_confidence`).
    return Provenance(page=page.number, bbox=list(_to_points(box, page.scale)), source="pixels")


def _page_seals(page: Page, units: SealUnits, reader: LineReader, images: _PageImages) -> list[_Found]:
    found = [f for f in (_image_seal(page, image, units, reader) for image in page.images) if f is not None]
    if page.image_path is None or page.scale <= 0 or page.seal_marks == ():
        return found  # nothing detected in the pixels (`scan_pages`): no need to load them
    bgr = images.load(page)
    if bgr is None:
        return found
    candidates = page_candidates(page, bgr)
    # Trust the pixels over the reader's flag: a colour scan of a grey page is grey to us.
    grey = cv2.cvtColor(bgr, cv2.COLOR_BGR2GRAY) if candidates and grey_page(page, bgr) else None
    for cand in candidates:
        bbox = _to_points(cand.outline.box(), page.scale)
        # A picture already counted (an electronic seal drawn into the page image) is not a second seal.
        if any(_same_place(bbox, f.seal.bbox) for f in found if f.picture is not None):
            continue
        read = read_seal(bgr, grey, cand, reader, functools.partial(_identify, units=units),
                         page.dpi / MM_PER_INCH, functools.partial(_lead_slot_match, units=units))
        seal = PageSeal(page.number, bbox, cand.shape, cand.confidence, read.reading, read.match,
                        in_lead_slot=read.in_lead_slot)
        found.append(_Found(seal, cand.outline, bgr, cand.outline))
    return found


def _split_merged_stamps(found: list[_Found], pages: list[Page], units: SealUnits, reader: LineReader,
                         images: _PageImages) -> list[_Found]:
    """Seals clearly larger than the lead unit's stamp on its other pages, split into that stamp and the seal
    stamped over it where the ink bears it out (`pairs.split_known_stamp`): the cover's two stamps on
    neighbouring lines, fitted as one."""
    by_number = {page.number: page for page in pages}
    stamp = _stamp_mm(found, by_number, "lead")
    if stamp is None:
        return found
    out: list[_Found] = []
    for item in found:
        page = by_number[item.seal.page]
        pair = _split_one(item, page, stamp, images)
        if pair is None:
            out.append(item)
            continue
        bgr = images.load(page)
        assert bgr is not None  # `_split_one` found the pair in it
        grey = cv2.cvtColor(bgr, cv2.COLOR_BGR2GRAY) if grey_page(page, bgr) else None
        for outline in pair:
            cand = Candidate(outline, item.seal.confidence, "red" if grey is None else "grey")
            read = read_seal(bgr, grey, cand, reader, functools.partial(_identify, units=units),
                             page.dpi / MM_PER_INCH)
            seal = PageSeal(page.number, _to_points(outline.box(), page.scale), outline.shape,
                            item.seal.confidence, read.reading, read.match)
            out.append(_Found(seal, outline, bgr, outline))
        log.info("page %s: one seal taken for two stamps, split", page.number)
    return out


def _split_one(item: _Found, page: Page, stamp: tuple[float, float], images: _PageImages
               ) -> tuple[Outline, Outline] | None:
    """The two stamps `item` is, when it is a scanned seal clearly larger than `stamp` (mm) on either axis
    (`pairs.may_be_two_stamps`); not on a 1-bit page, whose dots keep too little of a ring for the known stamp's
    to be told apart."""
    outline = item.outline_px
    if item.picture is not None or outline is None or outline.shape not in ("round", "oval") or page.dpi <= 0:
        return None
    px_per_mm = page.dpi / MM_PER_INCH
    if not may_be_two_stamps((outline.a / px_per_mm, outline.b / px_per_mm), stamp):
        return None
    bgr = images.load(page)
    if bgr is None:
        return None
    grey = grey_page(page, bgr)
    if grey and is_one_bit(cv2.cvtColor(bgr, cv2.COLOR_BGR2GRAY), whole_page=True):
        return None
    return split_known_stamp(bgr, outline, stamp, px_per_mm, grey)


def _stamp_mm(found: list[_Found], pages: dict[int, Page], owner: Owner) -> tuple[float, float] | None:
    """A unit's stamp as its seals off the cover show it (median semi-axes, mm): those read as its; failing any, on
    the pages only it stamps (`_stamping_pages`) those read as no one's, whose place says whose they are (on a grey
    package most are named only once their slots are known, `_lead_in_its_slot`; a seal there fitted round part of
    its ring is no size of the stamp's, so they count only where no reading names one). The cover's seals count only
    where no other page shows the stamp: there two stamps overlap, and one outline fitted round both, read as the
    lead's, was taken for the stamp's size (dev53 a09-word-scan: 25.9 x 21.4 mm against 21.8 x 15.3 elsewhere),
    which no outline was then larger than."""
    listed = list(pages.values())
    own, covers = _stamping_pages(listed, owner), cover_pages(listed)
    tiers: list[list[tuple[float, float]]] = [[], [], []]  # read as its off the cover; placed on its pages; cover
    for f in found:
        page = pages[f.seal.page]
        mm = page.dpi / MM_PER_INCH
        if f.picture is not None or f.outline_px is None or mm <= 0:
            continue
        size = (f.outline_px.a / mm, f.outline_px.b / mm)
        if page.number in covers:
            tiers[2].extend([size] if f.seal.owner == owner else [])
        elif f.seal.owner == owner:
            tiers[0].append(size)
        elif f.seal.match is None and page.number in own:
            tiers[1].append(size)
    chosen = next((tier for tier in tiers if tier), None)
    if chosen is None:
        return None
    return float(np.median([a for a, _ in chosen])), float(np.median([b for _, b in chosen]))


def _stamping_pages(pages: list[Page], owner: Owner) -> set[int]:
    """The pages only `owner` stamps: an application's appendix tables (the commitment's members stamp beside the
    lead), a recommendation's letter and table."""
    return {page.number for page in pages if page.role is not None and page.role != "commitment"
            and not page.role.startswith("cover") and EXPECTED_OWNER.get(page.role) == owner}


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
    read = read_ink(red_strength(pixels), cand.outline, reader, functools.partial(_identify, units=units)) \
        if cand.shape in ("round", "oval") else SealText(None, None)
    seal = PageSeal(page.number, _round_box(bbox), cand.shape, cand.confidence, read.reading, read.match)
    outline_px = None
    if page.scale > 0:
        factor = page.scale * (sx + sy) / 2
        outline_px = cand.outline.scaled(factor, x0 * page.scale, top * page.scale)
    return _Found(seal, outline_px, pixels, cand.outline, image.bbox)


def one_unit_per_overlap(seals: list[PageSeal], units: SealUnits) -> None:
    """Two stamps over each other read as one unit: the weaker reading is the other seal's lettering
    showing through (one unit stamps a place once), so that seal is named again among the package's
    other units, and is left unnamed when none is clearly in it."""
    for seal in sorted(seals, key=lambda s: s.match.score if s.match else 0.0):
        if seal.match is None or seal.reading is None:
            continue
        rivals = [other for other in seals if other is not seal and other.page == seal.page
                  and other.match is not None and same_unit(other.match.name, seal.match.name)
                  and not units.stated_apart(other.match.name, seal.match.name)
                  and other.match.score >= seal.match.score and stamped_over(seal.bbox, other.bbox)]
        if rivals:
            # Only another unit of the package: an outside name found in a reading muddied by the
            # other seal's lettering would claim far more than the reading holds.
            others = [(n, o) for n, o in units.candidates() if o != "other" and not same_unit(n, seal.match.name)]
            seal.match = match_unit(seal.reading, others)


# A seal's lettering reaches this share of its radius out from its centre (the ring beyond it).
LETTERING_REACH = 0.9


def stamped_over(a: Box, b: Box) -> bool:
    """Whether one stamp's lettering reaches into the other's ring (boxes of two seals): only then does
    a reading of one show the other's name through it. Two stamps side by side whose boxes touch (a
    unit stamping twice in a row, or two members of one name) are not over each other.

    Each seal is taken as the ellipse its box holds; the radius towards the other's centre is
    compared, so two ovals one above the other are judged by their short axes."""
    (ax, ay), (bx, by) = _centre(a), _centre(b)
    dx, dy = bx - ax, by - ay
    distance = math.hypot(dx, dy)
    if distance == 0.0:
        return True
    reach = _radius_towards(a, dx, dy) + _radius_towards(b, dx, dy)
    return distance < LETTERING_REACH * reach


def _centre(box: Box) -> tuple[float, float]:
    return (box[0] + box[2]) / 2.0, (box[1] + box[3]) / 2.0


def _radius_towards(box: Box, dx: float, dy: float) -> float:
    """The radius of the ellipse inscribed in `box` in the direction (dx, dy)."""
    a, b = (box[2] - box[0]) / 2.0, (box[3] - box[1]) / 2.0
    norm = math.hypot(dx, dy)
    cos_t, sin_t = dx / norm, dy / norm
    return a * b / max(math.hypot(b * cos_t, a * sin_t), 1e-9)


def _unit_names(units: SealUnits) -> list[str]:
    return [name for name in (units.lead, units.applicant, *units.members) if name]


# A table's rule read into a cell's text as a bar: no seal bears one (dev60 a08: the members table's '四川|大学'
# named that member's seals '四川|大学').
RULE_MARKS = str.maketrans("", "", "|｜¦│")


def seal_name(name: str | None) -> str | None:
    """A unit's name as its seal bears it: without a credit code read into the same cell (a seal's
    name is compared character by character, and the code would be taken for part of it), a rule read as
    a bar, nor the form's next words read on past its ending (`without_run_on`)."""
    if not name:
        return name
    for code in valid_codes_in(name):
        name = name.replace(code, " ")
    return without_run_on(" ".join(name.translate(RULE_MARKS).split())) or None


def _identify(reading: Reading, others: bool, units: SealUnits) -> Match | None:
    """Whose seal: a unit of the package, or (unnamed in the package) a provincial department; with
    `others`, or another organisation the document names."""
    if not reading.text and reading.posteriors is None:
        return None
    candidates = units.candidates()
    match = match_unit(reading, candidates if others else [(n, o) for n, o in candidates if o != "other"])
    if match is not None and match.owner in ("lead", "recommender"):
        stated = (units.lead, units.applicant) if match.owner == "lead" else units.stated_recommender()
        match = as_stated(reading, match, [name for name in stated if name])
    if match is not None and match.owner in ("lead", "recommender", "member"):
        match = as_printed(reading, match, [name for name in units.expected()[match.owner] if name],
                           units.printed_alike)
    if match is not None and match.owner == "other" and units.printed_alike(match.name):
        match = replace(match, as_printed=True)
    if match is None and units.recommender is None and reading.confidence >= DEPARTMENT_READ_CONFIDENCE \
            and looks_like_department(reading.text) and (units.province is None or units.province[:2] in reading.text):
        match = Match(cjk(reading.text), "recommender", round(reading.confidence, 3))
    if match is None and others:
        # Asked last, of a seal's best reading that spotted no one: a ring whose lettering the capture mostly erased.
        match = survivors_match(reading, candidates)
    return match


def _identify_as_sealed(reading: Reading, name: str, units: SealUnits) -> Match | None:
    """`_identify` among the package's units, the applicant (and the lead, where the form read it as the
    applicant or garbled it so) named `name`, as its seals read it (`stamped.unread_as_sealed`)."""
    form = units.applicant or units.lead
    lead = name if units.lead in (None, form) or (units.lead and garbled_reading_of(units.lead, name)) else units.lead
    return _identify(reading, False, replace(units, applicant=name, lead=lead))


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
