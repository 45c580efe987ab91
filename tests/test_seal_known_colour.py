"""The lead's stamp looked for by its known size on colour pages (`known.red_stamps_on_page`,
`find._known_stamp_seals`): a pale oval over a table's print that the detectors fitted as a smaller seal, or
missed, is found at the size the lead's stamp has on its other pages; a ring of that size read as no one's on a
flatbed colour scan is a doubt for its slot (`checks.completeness`), not an absence."""

from __future__ import annotations

import numpy as np
import pytest

import models
from models.page import Page
from pipeline.checks import CheckContext, run_checks
from pipeline.config import Settings
from pipeline.reconcile import reconcile
from pipeline.seals.detect import MM_PER_INCH
from pipeline.seals.find import _Found, _misfitted, _stamp_mm
from pipeline.seals.geometry import Outline
from pipeline.seals.known import red_stamps_on_page
from pipeline.seals.slots import PageSeal
from pipeline.seals.text import Match
from tests.fixtures.seals.synth import DPI, SynthPage, round_seal
from tests.test_checks import clean_application
from tests.test_seals import LEAD, body_text

PX_PER_MM = DPI / MM_PER_INCH
STAMP_MM = (43.5 / 2, 15.0)  # a 30 mm oval stretched 1.45: semi-axes
PALE_RED = (226, 120, 120)  # a lightly inked stamp: its ring just clear red, its lettering paler


def _table_page(stamped: bool) -> tuple[np.ndarray, SynthPage]:
    """A table's print with the lead's pale oval stamp over it (centred at 100, 130 mm)."""
    page = SynthPage()
    body_text(page, 100, 8)
    if stamped:
        page.stamp(round_seal(LEAD, 30.0, stretch=1.45, colour=PALE_RED), 100.0, 130.0)
    return np.asarray(page.image)[..., ::-1].copy(), page


def test_a_pale_stamp_over_print_is_found_at_the_stamps_size_on_a_colour_page() -> None:
    bgr, _ = _table_page(stamped=True)
    found = red_stamps_on_page(bgr, PX_PER_MM, STAMP_MM, 1, [])
    assert len(found) == 1
    assert abs(found[0].cx / PX_PER_MM - 100.0) <= 1.5 and abs(found[0].cy / PX_PER_MM - 130.0) <= 1.5
    assert abs(found[0].a / PX_PER_MM - STAMP_MM[0]) <= 0.1 * STAMP_MM[0]


def test_a_colour_page_without_the_stamp_or_without_red_holds_none() -> None:
    bgr, _ = _table_page(stamped=False)
    assert red_stamps_on_page(bgr, PX_PER_MM, STAMP_MM, 1, []) == []
    stamped, _ = _table_page(stamped=True)
    assert red_stamps_on_page(stamped, PX_PER_MM, (0.7 * STAMP_MM[0], 0.7 * STAMP_MM[1]), 1, []) == []


def _found(a_mm: float, b_mm: float, named: bool = False) -> _Found:
    outline = Outline("round" if a_mm == b_mm else "oval", 800.0, 1000.0, a_mm * PX_PER_MM, b_mm * PX_PER_MM)
    seal = PageSeal(12, (0.0, 0.0, 1.0, 1.0), outline.shape, 0.5, match=Match(LEAD, "lead", 0.5) if named else None)
    return _Found(seal, outline, None, outline)


def test_a_slot_holding_only_an_unread_seal_of_another_size_is_misfitted() -> None:
    pages = {12: Page(number=12, width=595.3, height=841.9, kind="scan", dpi=DPI)}
    # dev60 a09 p13: the stamp's broken ring fitted as a 13 mm round seal inside it, read as no one's.
    assert _misfitted([_found(13.0, 13.0)], STAMP_MM, pages)
    assert not _misfitted([_found(*STAMP_MM)], STAMP_MM, pages)  # the stamp itself, unread: nothing to refit
    assert not _misfitted([_found(13.0, 13.0, named=True)], STAMP_MM, pages)  # read as the lead's: a seal
    assert not _misfitted([], STAMP_MM, pages)


SETTINGS = Settings()


def _checks(record: models.ApplicationRecord) -> dict[tuple[str, str], models.Check]:
    reconcile(record, SETTINGS)
    return {(c.code, c.where): c for c in run_checks(CheckContext(record=record, settings=SETTINGS))}


def test_a_stamp_sized_ring_read_as_no_ones_on_a_colour_scan_is_a_doubt_not_a_missing_seal() -> None:
    record = clean_application()
    for page in record.source.pages:
        page.colour = True
    record.seal_slots.appendix3_table2 = False
    assert _checks(record.model_copy(deep=True))[("SEAL_MISSING", "appendix3_table2")].severity == "error"
    record.provenance["seal_slots.appendix3_table2"] = models.Provenance(page=13, bbox=[384, 365, 508, 452],
                                                                         source="pixels")
    found = _checks(record)
    assert ("SEAL_MISSING", "appendix3_table2") not in found
    assert found[("LOW_CONFIDENCE", "seal_slots.appendix3_table2")].doubts == ["seal_slots.appendix3_table2"]


def _cover_stamp_over_another(cover_box: list[float]) -> dict[tuple[str, str], models.Check]:
    """A colour package whose cover holds one seal (`cover_box`), its recommender's slot empty, beside the lead's
    oval stamps (124 x 86 pt) on its other pages."""
    record = clean_application()
    for page in record.source.pages:
        page.colour = True
    record.seal_slots.cover_recommender = False
    record.seals = [models.Seal(page=1, bbox=cover_box, shape="oval", slot="cover_applicant")]
    record.seals += [models.Seal(page=number, bbox=[380, 300, 504, 386], shape="oval", slot=slot)
                     for number, slot in ((8, "commitment"), (9, "appendix2_table1"), (10, "appendix2_table2"))]
    return _checks(record)


def test_a_cover_stamp_as_long_as_the_others_but_far_taller_leaves_the_other_slot_in_doubt() -> None:
    # dev60 a09-word-phone: two ovals one over the other fitted as one 129 x 122 pt outline round both.
    assert _cover_stamp_over_another([298, 320, 427, 442])[("SEAL_MISSING", "cover_recommender")].severity == "warning"
    # One stamp of the lead's size on the cover: the recommender's slot is surely empty.
    assert _cover_stamp_over_another([298, 320, 422, 406])[("SEAL_MISSING", "cover_recommender")].severity == "error"


FAINT_RED = (225, 200, 200)  # a faint stamp: red under the clear test all round, pale red still


def test_a_faint_stamp_under_the_clear_red_test_is_found_in_pale_red() -> None:
    # dev53 a10-scan's cover: the applicant's stamp clear red a third of the way round, pale red 0.8.
    page = SynthPage()
    body_text(page, 100, 8)
    page.stamp(round_seal(LEAD, 30.0, stretch=1.45, colour=FAINT_RED), 100.0, 130.0)
    bgr = np.asarray(page.image)[..., ::-1].copy()
    found = red_stamps_on_page(bgr, PX_PER_MM, STAMP_MM, 1, [])
    assert len(found) == 1
    assert abs(found[0].cx / PX_PER_MM - 100.0) <= 1.5 and abs(found[0].cy / PX_PER_MM - 130.0) <= 1.5


def test_the_stamps_size_is_taken_off_the_cover_where_other_pages_show_it() -> None:
    # dev53 a09-word-scan: the cover's two stamps fitted as one 25.9 x 21.4 mm outline read as the lead's, the
    # tables' stamps (21-22.7 x 13.5-15.8 mm) read only later by their slot: the stamp was taken for the union.
    pages = {1: Page(number=1, width=595.3, height=841.9, kind="scan", dpi=DPI, role="cover")}
    pages |= {n: Page(number=n, width=595.3, height=841.9, kind="scan", dpi=DPI, role=role)
              for n, role in ((9, "appendix2_table1"), (10, "appendix2_table2"), (11, "appendix2_table3"))}
    union = _found(25.9, 21.4, named=True)
    tables = [_found(21.8, 15.3), _found(22.4, 14.6), _found(21.0, 15.8)]
    for number, item in zip((9, 10, 11), tables, strict=True):
        item.seal.page = number
    union.seal.page = 1
    stamp = _stamp_mm([union, *tables], pages, "lead")
    assert stamp is not None and abs(stamp[0] - 21.8) < 0.05 and abs(stamp[1] - 15.3) < 0.05
    assert _stamp_mm([union], pages, "lead") == (25.9, 21.4)  # the cover alone: the only stamp there is
    # dev60 a09-word-phone: where seals off the cover read as the lead's, a table's unread seal fitted round part
    # of the stamp's ring (13 mm round) says nothing of its size.
    read = [_found(21.8, 15.3, named=True), _found(22.4, 14.6, named=True), _found(13.0, 13.0)]
    for number, item in zip((9, 10, 11), read, strict=True):
        item.seal.page = number
    assert _stamp_mm(read, pages, "lead") == pytest.approx((22.1, 14.95))
