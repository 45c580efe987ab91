"""The runner's stages after OCR on one core or two: the same record either way."""

from __future__ import annotations

import contextvars
import multiprocessing
from pathlib import Path

import pytest

from pipeline.config import Settings
from pipeline.core_loan import CoreLoan
from pipeline.page_pool import PagePool
from pipeline.reading import read_document
from pipeline.runner import _beside, build_record, second_core

CORPUS = Path(__file__).resolve().parent.parent / "samples" / "corpus"
WHO: contextvars.ContextVar[str] = contextvars.ContextVar("who", default="nobody")


def test_a_stage_beside_hands_back_its_result_in_the_callers_context() -> None:
    WHO.set("a01-scan.pdf")
    assert _beside(lambda: WHO.get(), "test")() == "a01-scan.pdf", "the thread's logs name the caller's file"

    def broken() -> str:
        raise ValueError("stage bug")

    result = _beside(broken, "test")
    with pytest.raises(ValueError, match="stage bug"):
        result()


def test_a_second_core_is_the_files_own_or_one_the_batch_lends() -> None:
    with second_core(Settings(workers=2)) as two:
        assert two, "a file read by two page workers has their two cores once its pages are read"
    loan = CoreLoan(multiprocessing.get_context("forkserver"))
    try:
        PagePool.lend(loan)
        with second_core(Settings(workers=1)) as two:
            assert not two, "nothing lent: the stages run in turn"
        loan.give_back()
        with second_core(Settings(workers=1)) as two:
            assert two and not loan.borrow(), "the lent core is held while the stages run"
        assert loan.borrow() and not loan.borrow(), "and given back once, after"
    finally:
        PagePool.lend(None)


def test_the_record_is_the_same_on_one_core_and_on_two(tmp_path: Path) -> None:
    records = []
    for workers in (1, 2):
        settings = Settings(workers=workers, cache_dir=tmp_path / "cache")
        document = read_document(CORPUS / "a07-digital.pdf", settings, tmp_path / f"work{workers}")
        record = build_record(document, settings, tmp_path / f"out{workers}")
        records.append(record.model_dump_json().replace(f"out{workers}", "out"))
    assert records[0] == records[1]
