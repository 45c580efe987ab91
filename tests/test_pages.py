"""read_document end to end: bad input never raises, kinds and roles, blank skipping, the pool."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from bench.synth import BASIC_INFO_TABLE, draw_page, scan
from models.page import Document
from pipeline.config import Settings
from pipeline.ingest import PageSource
from pipeline.ocr import Glyph, OcrEngine
from pipeline.ocr.base import Mode
from pipeline.page_pool import PagePool
from pipeline.reading import PageJob, PageResult, read_document

pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))


class CountingEngine(OcrEngine):
    name = "counting"

    def __init__(self) -> None:
        self.calls = 0

    def params(self) -> dict[str, object]:
        return {}

    def recognise(self, image: np.ndarray, mode: Mode, dpi: float) -> list[list[Glyph]]:
        self.calls += 1
        return [[Glyph(c, (100 + 30 * i, 100, 128 + 30 * i, 128), 0.9) for i, c in enumerate("真实性承诺")]]


def settings(tmp_path: Path, **changes: object) -> Settings:
    return Settings(cache_dir=tmp_path / "cache", workers=1, dpi=100, **changes)


def read(path: Path, tmp_path: Path, **changes: object) -> Document:
    return read_document(path, settings(tmp_path, **changes), tmp_path / "work", engine=CountingEngine())


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"PK\x03\x04zipped word file", "not a PDF or image (starts with b'PK\\x03\\x04')"),
        (b"", "empty file"),
        (b"%PDF-1.7\n" + b"\x00garbage" * 50, "corrupt PDF"),
        (b"GIF89a\x01\x00\x01\x00", "not a PDF or image"),
    ],
)
def test_bad_files_set_document_error(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "upload.pdf"
    path.write_bytes(content)
    document = read(path, tmp_path)
    assert document.error is not None and message in document.error
    assert document.pages == []


def test_missing_file_is_an_error_not_an_exception(tmp_path: Path) -> None:
    document = read(tmp_path / "nowhere.pdf", tmp_path)
    assert document.error is not None and "cannot" in document.error


def test_encrypted_pdf(tmp_path: Path) -> None:
    path = tmp_path / "locked.pdf"
    pdf = canvas.Canvas(str(path), pagesize=A4, encrypt="secret")
    pdf.drawString(72, 700, "locked")
    pdf.save()
    assert read(path, tmp_path).error == "encrypted PDF (password required)"


def test_truncated_pdf_never_raises(tmp_path: Path) -> None:
    whole = tmp_path / "whole.pdf"
    pdf = canvas.Canvas(str(whole), pagesize=A4)
    for n in range(3):
        pdf.setFont("STSong-Light", 12)
        pdf.drawString(72, 700, f"第{n + 1}页 制造业数字化转型促进中心建设方案")
        pdf.showPage()
    pdf.save()
    data = whole.read_bytes()
    cut = tmp_path / "cut.pdf"
    cut.write_bytes(data[: len(data) * 2 // 3])
    document = read(cut, tmp_path)
    assert document.error is not None or document.pages, "either the file is refused or its pages are read"


def test_oversized_image(tmp_path: Path) -> None:
    path = tmp_path / "big.png"
    Image.new("L", (3000, 2000), 255).save(path)
    document = read(path, tmp_path, max_megapixels=5.0)
    assert document.error == "image of 6 megapixels exceeds 5"


def test_page_that_fails_to_decode_is_a_page_error(tmp_path: Path) -> None:
    path = tmp_path / "broken.png"
    good = tmp_path / "good.png"
    Image.fromarray(np.random.default_rng(0).integers(0, 255, (800, 600), dtype=np.uint8)).save(good)
    data = good.read_bytes()
    path.write_bytes(data[: len(data) // 3])  # header intact, pixel data cut short
    document = read(path, tmp_path)
    assert document.error is None
    assert document.pages[0].error is not None and "unreadable" in document.pages[0].error


def test_mixed_file_page_by_page_with_blank_skipped(tmp_path: Path) -> None:
    """A PDF of a text page, a scanned page and a blank scanned page: kinds, roles, one OCR call."""
    scanned = scan(draw_page(100, table=BASIC_INFO_TABLE), rotation=180, skew_deg=1.0, seed=1).image
    scanned_path, blank_path = tmp_path / "scan.png", tmp_path / "blank.png"
    scanned.save(scanned_path)
    Image.new("RGB", scanned.size, (235, 235, 230)).save(blank_path)
    path = tmp_path / "package.pdf"
    pdf = canvas.Canvas(str(path), pagesize=A4)
    pdf.setFont("STSong-Light", 12)
    for y, line in enumerate(["附件1", "申报单位：杭州数智科技有限公司", "推荐单位：浙江省经济和信息化厅",
                              "联系人及联系电话：张三/13800000000", "填报日期：2026年6月1日"]):
        pdf.drawString(72, 760 - 30 * y, line)
    pdf.showPage()
    for image in (scanned_path, blank_path):
        pdf.drawImage(str(image), 0, 0, width=A4[0], height=A4[1])
        pdf.showPage()
    pdf.save()
    engine = CountingEngine()
    document = read_document(path, settings(tmp_path), tmp_path / "work", engine=engine)
    assert document.error is None and len(document.sha256) == 64
    assert [p.kind for p in document.pages] == ["text", "scan", "scan"]
    assert engine.calls == 1, "the blank page is not OCRed"
    cover, page, blank = document.pages
    assert cover.role == "cover" and blank.role == "blank"
    assert page.rotation == 180 and page.skew_deg == pytest.approx(1.0, abs=0.2)
    assert page.is_colour and page.image_path and page.print_path and page.image_path.exists()
    assert page.dpi == 100 and page.scale == pytest.approx(100 / 72)
    assert page.words and page.words[0].source == "ocr"
    assert any(line.top == line.bottom for line in page.lines), "ruling lines of the scanned table"


# --- the pool: functions below run in worker processes ------------------------------------


def _job(number: int, tmp_path: Path) -> PageJob:
    return PageJob(number, PageSource(tmp_path / "none.png", "image", 0, 100.0), tmp_path, Settings(cache_dir=None))


def hangs_on_page_two(job: PageJob) -> PageResult:
    if job.number == 2:
        time.sleep(60)
    return PageResult(number=job.number, words=[])


def crashes_on_page_one(job: PageJob) -> PageResult:
    if job.number == 1:
        os._exit(3)
    return PageResult(number=job.number)


def _failed(job: PageJob, reason: str) -> PageResult:
    return PageResult(number=job.number, error=reason)


def test_hung_page_is_killed_and_the_rest_finish(tmp_path: Path) -> None:
    pool = PagePool(2)
    try:
        started = time.monotonic()
        results = pool.run([_job(n, tmp_path) for n in (1, 2, 3, 4)], hangs_on_page_two, 3.0, 60.0, _failed)
        assert time.monotonic() - started < 30
    finally:
        pool.close()
    assert results[2].error == "page took longer than 3 s"
    assert all(results[n].error is None for n in (1, 3, 4))


def parent_of_worker(job: PageJob) -> PageResult:
    return PageResult(number=job.number, error=str(os.getppid()))


@pytest.mark.parametrize("forked_here", [False, True])
def test_workers_come_from_a_fork_server_unless_forked_here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                            forked_here: bool) -> None:
    # A batch's file process holds the page reader and its models: its workers are forked from it.
    monkeypatch.setattr(PagePool, "forked_here", forked_here)
    pool = PagePool(1)
    try:
        results = pool.run([_job(1, tmp_path)], parent_of_worker, 30.0, 60.0, _failed)
    finally:
        pool.close()
    assert (results[1].error == str(os.getpid())) is forked_here


def test_crashed_worker_costs_only_its_page(tmp_path: Path) -> None:
    pool = PagePool(1)
    try:
        results = pool.run([_job(n, tmp_path) for n in (1, 2)], crashes_on_page_one, 30.0, 60.0, _failed)
    finally:
        pool.close()
    assert results[1].error == "page worker died (exit code 3)"
    assert results[2].error is None


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("tesseract") is None, reason="needs tesseract")
def test_scanned_page_through_the_worker_pool(tmp_path: Path) -> None:
    page = scan(draw_page(150), rotation=90, skew_deg=-1.5, seed=2)
    path = tmp_path / "commitment.png"
    page.image.save(path, dpi=(150, 150))
    options = Settings(cache_dir=tmp_path / "cache", workers=1, dpi=150, engine="tesseract", tesseract_lang="chi_sim")
    document = read_document(path, options, tmp_path / "work")
    (read_page,) = document.pages
    assert read_page.error is None and read_page.rotation == 90
    assert read_page.role == "commitment"
    assert "真实性承诺" in read_page.text


class RecordingEngine(CountingEngine):
    """Remembers the images it is given; reads one word at the middle of the image."""

    def __init__(self) -> None:
        super().__init__()
        self.images: list[np.ndarray] = []

    def recognise(self, image: np.ndarray, mode: Mode, dpi: float) -> list[list[Glyph]]:
        self.calls += 1
        self.images.append(image)
        cx, cy = image.shape[1] / 2, image.shape[0] / 2
        return [[Glyph("承诺", (cx - 20, cy - 10, cx + 20, cy + 10), 0.9)]]


def test_skewed_mixed_page_is_read_levelled_in_its_own_frame(tmp_path: Path) -> None:
    from pipeline.preprocess import estimate_skew
    from pipeline.reading import process_page

    path = tmp_path / "skewed.png"
    scan(draw_page(dpi=100, seal=False), skew_deg=2.0).image.save(path, dpi=(100, 100))
    engine = RecordingEngine()
    job = PageJob(1, PageSource(path, "image", 0, 100.0), tmp_path, settings(tmp_path), straighten=False)
    result = process_page(job, engine)
    assert result.error is None and result.rotation == 0 and result.skew_deg == 0.0, "the page keeps its frame"
    assert abs(estimate_skew(engine.images[0])) < 0.3, "OCR read a levelled copy"
    [word] = result.words
    # The middle of the page stays where it is when the page is turned about its middle.
    x0, y0, x1, y1 = word.bbox
    assert (x0 + x1) / 2 == pytest.approx(result.width / 2, abs=1.0)
    assert (y0 + y1) / 2 == pytest.approx(result.height / 2, abs=1.0)
    level = PageJob(2, PageSource(path, "image", 0, 100.0), tmp_path, settings(tmp_path), straighten=True)
    assert process_page(level, RecordingEngine()).skew_deg == pytest.approx(2.0, abs=0.3)


def test_the_page_worker_hands_over_the_seals_it_detected(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Seals are detected where the page is read, once: the same marks the file's process would find,
    and the stages after reading detect nothing again."""
    from models.page import Page
    from pipeline.reading import process_page
    from pipeline.seals import scan as seal_scan

    results = {}
    for name, seal in (("sealed", True), ("plain", False)):
        path = tmp_path / f"{name}.png"
        scan(draw_page(dpi=100, seal=seal), seed=3).image.save(path, dpi=(100, 100))
        job = PageJob(1, PageSource(path, "image", 0, 100.0), tmp_path / name, settings(tmp_path))
        job.workdir.mkdir()
        results[name] = process_page(job, CountingEngine())
    sealed, plain = results["sealed"], results["plain"]
    assert sealed.error is None and sealed.seal_marks and sealed.grey_pixels is False
    assert plain.seal_marks == ()
    assert "seals" in sealed.stages.seconds, "the worker's detection is the seal stage's time"
    fresh = Page(number=1, width=sealed.width, height=sealed.height, kind="scan", dpi=100.0,
                 image_path=sealed.image_path)
    assert tuple(c.mark() for c in seal_scan.page_candidates(fresh)) == sealed.seal_marks

    document = read(tmp_path / "sealed.png", tmp_path)
    (page,) = document.pages
    assert page.seal_marks == sealed.seal_marks and page.grey_pixels is False

    def no_second_detection(*_: object) -> list[object]:
        raise AssertionError("seals detected twice")

    monkeypatch.setattr(seal_scan, "detect_page", no_second_detection)
    seal_scan.scan_pages(document.pages)
    assert len(seal_scan.page_candidates(page)) == len(sealed.seal_marks)


def takes_a_while(job: PageJob) -> PageResult:
    """A page that takes 0.4 s and says which worker read it (in its error field, for the test)."""
    time.sleep(0.4)
    return PageResult(number=job.number, error=str(os.getpid()))


def test_a_core_the_batch_lends_is_borrowed_while_pages_wait_and_given_back(tmp_path: Path) -> None:
    import multiprocessing

    from pipeline.core_loan import CoreLoan

    loan = CoreLoan(multiprocessing.get_context("forkserver"))
    pool = PagePool(1)
    try:
        PagePool.lend(loan)
        alone = pool.run([_job(n, tmp_path) for n in (1, 2, 3, 4)], takes_a_while, 30.0, 60.0, _failed)
        assert len({r.error for r in alone.values()}) == 1, "nothing lent: one worker"
        loan.give_back()  # a file of the batch ended and no file is left to take its core
        lent = pool.run([_job(n, tmp_path) for n in range(1, 9)], takes_a_while, 30.0, 60.0, _failed)
        assert len({r.error for r in lent.values()}) == 2, "the lent core read pages too"
        assert len(pool.workers) == 1, "the extra worker stopped once the pages were read"
        assert loan.borrow() and not loan.borrow(), "the core was given back, once"
    finally:
        PagePool.lend(None)
        pool.close()


class TraditionalEngine(CountingEngine):
    """Reads one word at the middle of the image, a simplified character taken for its traditional twin."""

    def recognise(self, image: np.ndarray, mode: Mode, dpi: float) -> list[list[Glyph]]:
        self.calls += 1
        cx, cy = image.shape[1] / 2, image.shape[0] / 2
        return [[Glyph("马晶澤", (cx - 30, cy - 10, cx + 30, cy + 10), 0.9)]]


def test_a_pages_ocr_words_reach_every_stage_in_simplified_characters(tmp_path: Path) -> None:
    from pipeline.reading import process_page

    path = tmp_path / "page.png"
    scan(draw_page(dpi=100, seal=False)).image.save(path, dpi=(100, 100))
    job = PageJob(1, PageSource(path, "image", 0, 100.0), tmp_path, settings(tmp_path))
    assert [word.text for word in process_page(job, TraditionalEngine()).words] == ["马晶泽"]
