"""The run, in order: read pages → classify → extract → seals → checks → evidence.

`build_record` turns one read `Document` into its record; `process_file` does one
file in this process; `pipeline.batch` isolates files from each other.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import logging
import tempfile
import traceback
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TypeVar, cast

from models import (
    Appendix,
    ApplicationRecord,
    ApplicationSealSlots,
    BasicInfo,
    Check,
    Cover,
    OutputRecord,
    Plan,
    Provenance,
    Recommendation,
    RecommendationRecord,
    RecommendationSealSlots,
    Signatures,
    Source,
    SourcePage,
    UnreadableRecord,
)
from models.page import Document
from pipeline import fields, ink, layout, seals, tables, text, verify
from pipeline.checks import CheckContext, apply_severity, run_checks
from pipeline.checks.fields import required_values
from pipeline.checks.registry import role_of
from pipeline.config import Settings
from pipeline.digest import file_sha256
from pipeline.errors import InputReason
from pipeline.page_pool import PagePool
from pipeline.reading import read_document
from pipeline.reconcile import reconcile, settled_doubts
from pipeline.record_paths import PathError, get_path
from pipeline.report import save_evidence
from pipeline.result import Extracted
from pipeline.timing import Stage, StageTimes

log = logging.getLogger(__name__)
T = TypeVar("T")

RECOMMENDATION_ROLES = frozenset({"recommendation_letter", "recommendation_table"})


def unreadable(path: Path, message: str, sha256: str | None = None,
               settings: Settings | None = None, reason: InputReason = "corrupt") -> UnreadableRecord:
    """The record for a file that could not be read: its source and INPUT_UNREADABLE, nothing guessed.

    With `settings`, the configured severity for INPUT_UNREADABLE applies (it never passes `run_checks`).
    """
    if sha256 is None:
        try:
            sha256 = file_sha256(path)
        except OSError:
            sha256 = ""
    checks = [Check(code="INPUT_UNREADABLE", severity="error", where="", message=f"文件无法读取：{message}",
                    reason=reason)]
    return UnreadableRecord(source=Source(file=path.name, sha256=sha256, page_count=0),
                            checks=apply_severity(checks, settings) if settings else checks)


def _source(doc: Document) -> Source:
    pages = [
        SourcePage(page=page.number, kind=page.kind, rotation=page.rotation,
                   skew_deg=round(page.skew_deg, 2), role=page.role,  # type: ignore[arg-type]
                   flattening=page.flattening, colour=None if page.kind == "text" else page.is_colour)
        for page in doc.pages
    ]
    return Source(file=doc.path.name, sha256=doc.sha256, page_count=len(doc.pages), pages=pages)


def _page_checks(doc: Document) -> list[Check]:
    return [
        Check(code="PAGE_UNREADABLE", severity="warning", where=str(page.number),
              message=f"第 {page.number} 页无法读取：{page.error}")
        for page in doc.pages if page.error
    ]


def _stage(name: str, run: Callable[[], Extracted[T]], fallback: T, failures: list[Check],
           times: StageTimes | None = None) -> Extracted[T]:
    """Run one stage (timed under the part of `name` before any "."); a bug in it costs that stage's values
    (null + a check), not the record."""
    try:
        with (times or StageTimes()).measure(cast(Stage, name.split(".")[0])):
            return run()
    except Exception as error:
        log.error("stage %s failed: %s\n%s", name, error, traceback.format_exc())
        failures.append(Check(code="STAGE_FAILED", severity="error", where=name,
                              message=f"处理阶段 {name} 出错（{type(error).__name__}: {error}），相关字段置空"))
        return Extracted(fallback)


def doc_type_of(doc: Document) -> str:
    roles = {page.role for page in doc.pages}
    application_roles = roles - RECOMMENDATION_ROLES - {"other", "blank", None}
    return "recommendation" if roles & RECOMMENDATION_ROLES and not application_roles else "application"


def _beside(run: Callable[[], T], name: str) -> Callable[[], T]:
    """`run` started now in a thread of its own, beside the stages that follow; the call returned waits for
    its result (and raises what it raised). The thread keeps this context, so its logs name the file."""
    executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix=name)
    future = executor.submit(contextvars.copy_context().run, run)
    executor.shutdown(wait=False)  # the thread ends with `run`; nothing else is ever submitted
    return future.result


@contextlib.contextmanager
def second_core(settings: Settings) -> Iterator[bool]:
    """Whether this file has a second core for its stages after OCR: its own page workers' (idle once its
    pages are read), or one the batch lends (`PagePool.loan`, given back after)."""
    if settings.workers >= 2:
        yield True
        return
    loan = PagePool.loan
    if loan is None or not loan.borrow():
        yield False
        return
    try:
        yield True
    finally:
        loan.give_back()


def _application(doc: Document, settings: Settings, crops: Path, times: StageTimes) -> ApplicationRecord:
    with second_core(settings) as two_cores:
        return _application_on(doc, settings, crops, times, two_cores)


def _application_on(doc: Document, settings: Settings, crops: Path, times: StageTimes,
                    two_cores: bool) -> ApplicationRecord:
    # The tables need nothing the other stages make: on two cores they run in a thread beside fields, text
    # and seals (OpenCV, NumPy and ONNX Runtime release the GIL for their work). On one core they run in
    # turn, as threads would only contend. Each part keeps its failures apart, so the record lists them in
    # stage order whichever part ended first.
    early: list[Check] = []
    beside: list[Check] = []
    late: list[Check] = []
    pages = doc.pages

    def appendix_stage() -> Extracted[Appendix]:
        return _stage("tables", lambda: tables.extract_appendix(pages, settings), Appendix(), beside, times)

    appendix_beside = _beside(appendix_stage, "dtpc-tables") if two_cores else None
    cover = _stage("fields.cover", lambda: fields.extract_cover(pages, settings), Cover(), early, times)
    basic = _stage("fields.basic_info", lambda: fields.extract_basic_info(pages, settings), BasicInfo(), early,
                   times)
    fields.agree_unit_name(cover, basic)
    fields.agree_with_text(cover, basic, [page.text for page in pages if not page.error])
    appendix_in_turn = appendix_stage() if appendix_beside is None else None
    plan = _stage("text", lambda: text.extract_plan(pages), Plan(), late, times)
    units = seals.SealUnits.for_application(cover.value, basic.value)
    found = _stage("seals", lambda: seals.find_seals(pages, units, "application", crops, settings),
                   seals.SealFindings.empty("application"), late, times)
    appendix = appendix_beside() if appendix_beside is not None else appendix_in_turn
    assert appendix is not None
    fields.agree_with_seals(cover, basic, found.value.seals)
    fields.agree_members_with_seals(basic, found.value.seals)
    failures = [*early, *beside, *late]
    record = ApplicationRecord(
        source=_source(doc), cover=cover.value, basic_info=basic.value, plan=plan.value, appendix=appendix.value,
        seals=found.value.seals, seal_slots=ApplicationSealSlots(**found.value.slots),
        signatures=Signatures(commitment_legal_rep=bool(found.value.signature),
                              commitment_legal_rep_crop=found.value.signature_crop),
        provenance={**cover.provenance, **basic.provenance, **appendix.provenance, **plan.provenance,
                    **_slot_places(found)},
    )
    stage_checks = [*_page_checks(doc), *failures]
    for part in (cover, basic, appendix, plan, found):
        stage_checks.extend(part.checks)
    with times.measure("checks"):
        blank = mark_blank_beside_seals(record, doc)
        # The reader's "ink it could not read" there was the ring: FIELD_MISSING decides now.
        stage_checks = [check for check in stage_checks if not (check.code == "LOW_CONFIDENCE" and check.where in blank)]
        mark_unlocated(record)
        reconcile(record, settings)
        stage_checks = settled_doubts(record, settings, stage_checks)
        context = CheckContext(record=record, settings=settings,
                               has_consortium_agreement=any(layout.is_consortium_agreement(page) for page in pages))
        checks = run_checks(context, stage_checks)
    with times.measure("verify"):
        reader = functools.cache(lambda: verify.crop_reader(pages, settings))
        read_again = verify.unread_figures(record, reader, settings)
        if verify.second_readings(record, checks, reader, settings) or read_again:
            reconcile(record, settings)
            checks = run_checks(context, settled_doubts(record, settings, stage_checks))
    record.checks = checks
    return record


def _slot_places(found: Extracted[seals.SealFindings]) -> dict[str, Provenance]:
    """Where the seal stage saw ink that may be an empty slot's seal (`seal_slots.<slot>`), for the checks;
    the seals' own provenance stays out of the record (their confidence is no reading's)."""
    return {path: origin for path, origin in found.provenance.items() if path.startswith("seal_slots.")}


def mark_blank_beside_seals(record: ApplicationRecord, doc: Document) -> set[str]:
    """A value read as nothing whose place held ink only where a seal found later runs its ring across it
    is blank: the fields are read before the seals are found, and on a grey scan a ring is as dark as print.
    Returns the paths found blank so."""
    pages = {page.number: page for page in doc.pages}
    blank: set[str] = set()
    for path, origin in list(record.provenance.items()):
        if origin.blank is not False or origin.bbox is None or origin.page not in pages:
            continue
        try:
            value = get_path(record, path)
        except PathError:
            continue
        if value in (None, "") and ink.blank_beside_seals(pages[origin.page], origin.bbox, record.seals):
            log.info("%s: %s: the ink at its place is a seal's ring: blank", record.source.file, path)
            record.provenance[path] = origin.model_copy(update={"blank": True})
            blank.add(path)
    return blank


def mark_unlocated(record: ApplicationRecord) -> None:
    """Provenance for each required value the readers looked for on its page and did not find.

    Such a value is null because the reading failed, not because the applicant left it blank
    (`blank` stays None): the checks then ask a reviewer to look instead of reporting it missing.
    """
    for path, value in required_values(record):
        if value not in (None, "", []) or path in record.provenance:
            continue
        role = role_of(path)
        pages = [page.page for page in record.source.pages if page.role == role] or read_from(record, role)
        if pages:
            record.provenance[path] = Provenance(page=pages[0], source="derived", confidence=None)


def read_from(record: ApplicationRecord, role: str | None) -> list[int]:
    """The pages the values of a part were read from, in page order: the basic-info reader takes a page by its
    labels whatever role the page was given, and a phone photo's misread title and cues leave the form's page
    `other` (dev24 a04) while most of its places are read there. Its places not found are then as unlocated as
    on a page of its role."""
    return sorted({origin.page for path, origin in record.provenance.items()
                   if origin.source != "derived" and role_of(path) == role})


def _recommendation(doc: Document, settings: Settings, crops: Path, times: StageTimes) -> RecommendationRecord:
    failures: list[Check] = []
    pages = doc.pages
    body = _stage("fields.recommendation", lambda: fields.extract_recommendation(pages, settings),
                  Recommendation(), failures, times)
    units = seals.SealUnits.for_recommendation(body.value)
    found = _stage("seals", lambda: seals.find_seals(pages, units, "recommendation", crops, settings),
                   seals.SealFindings.empty("recommendation"), failures, times)
    record = RecommendationRecord(
        source=_source(doc), recommendation=body.value, seals=found.value.seals,
        seal_slots=RecommendationSealSlots(**found.value.slots), provenance={**body.provenance, **_slot_places(found)},
    )
    stage_checks = [*_page_checks(doc), *failures, *body.checks, *found.checks]
    with times.measure("checks"):
        record.checks = run_checks(CheckContext(record=record, settings=settings), stage_checks)
    return record


def build_record(doc: Document, settings: Settings, out_dir: Path, times: StageTimes | None = None) -> OutputRecord:
    """The record for one read document; evidence crops go to `out_dir/<file>.evidence/`.

    `times` gets the seconds of each stage (fields, tables, text, seals, checks, evidence).
    """
    if doc.error is not None:
        return unreadable(doc.path, doc.error, doc.sha256, settings, reason=doc.error_reason or "corrupt")
    times = times if times is not None else StageTimes()
    with times.measure("seals"):  # once per page, for the tables and the seal stage alike (what the workers left)
        seals.scan_pages(doc.pages)
    crops = out_dir / f"{doc.path.name}.evidence"
    if doc_type_of(doc) == "recommendation":
        record: ApplicationRecord | RecommendationRecord = _recommendation(doc, settings, crops, times)
    else:
        record = _application(doc, settings, crops, times)
    if settings.save_crops:
        with times.measure("evidence"):
            save_evidence(record, doc, crops)
    return record


def process_file(path: Path, out_dir: Path, settings: Settings, times: StageTimes | None = None) -> OutputRecord:
    """Read and check one file in this process (`times` gets each stage's seconds). Never raises for bad input."""
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="dtpc-") as work:
        try:
            doc = read_document(path, settings, Path(work), times=times)
        except Exception as error:
            log.exception("reading %s failed", path)
            return unreadable(path, f"{type(error).__name__}: {error}", settings=settings, reason="internal")
        return build_record(doc, settings, out_dir, times)
