"""The runner's stages after OCR on one core or two: the same record either way."""

from __future__ import annotations

import contextvars
import multiprocessing
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from pipeline.config import Settings
from pipeline.core_loan import CoreLoan
from pipeline.page_pool import PagePool
from pipeline.reading import read_document
from pipeline.runner import _beside, _on_a_lent_core, build_record, second_core

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


@pytest.fixture
def loan() -> Iterator[CoreLoan]:
    lent = CoreLoan(multiprocessing.get_context("forkserver"))
    PagePool.lend(lent)
    try:
        yield lent
    finally:
        PagePool.lend(None)


def test_a_stage_takes_a_core_the_batch_lends_while_the_others_run(loan: CoreLoan) -> None:
    """The last files of a batch: a core lent while a file's stages run in turn takes the waiting stage, in the
    caller's context, and is given back once it is done."""
    WHO.set("a03-scan.pdf")
    ran: list[tuple[str, str]] = []

    def stage() -> str:
        ran.append((threading.current_thread().name, WHO.get()))
        assert not loan.borrow(), "the lent core is held while the stage runs"
        return "tables"

    later = _on_a_lent_core(stage, "dtpc-tables")
    loan.give_back()  # a file ended and none was left to take its core
    for _ in range(200):
        if ran:
            break
        time.sleep(0.01)
    assert later() == "tables" and ran == [("dtpc-tables", "a03-scan.pdf")], "run in its thread, once"
    assert loan.borrow() and not loan.borrow(), "and the core given back once, after"


def test_a_stage_no_core_was_lent_for_runs_in_turn(loan: CoreLoan) -> None:
    ran: list[str] = []

    def stage() -> str:
        ran.append(threading.current_thread().name)
        return "tables"

    later = _on_a_lent_core(stage, "dtpc-tables")
    assert later() == "tables" and ran == [threading.current_thread().name], "run here, when asked for"
    loan.give_back()
    time.sleep(0.2)
    assert ran == [threading.current_thread().name] and loan.borrow(), "a core lent later is left to others"

    def broken() -> str:
        raise ValueError("stage bug")

    for lend in (False, True):
        failing = _on_a_lent_core(broken, "dtpc-tables")
        if lend:
            loan.give_back()
            time.sleep(0.2)
        with pytest.raises(ValueError, match="stage bug"):
            failing()
    assert loan.borrow() and not loan.borrow(), "the core given back after the stage failed in its thread"
    assert _on_a_lent_core(lambda: "alone", "dtpc-tables")() == "alone"


def test_the_record_is_the_same_on_one_core_on_two_and_with_a_core_lent_midway(tmp_path: Path) -> None:
    records = []
    for workers, lent in ((1, False), (2, False), (1, True)):
        settings = Settings(workers=workers, cache_dir=tmp_path / "cache")
        document = read_document(CORPUS / "a07-digital.pdf", settings, tmp_path / f"work{workers}{lent}")
        loan = CoreLoan(multiprocessing.get_context("forkserver"))
        PagePool.lend(loan if lent else None)
        timer = threading.Timer(0.05, loan.give_back)  # lent while the stages run in turn
        timer.start()
        try:
            record = build_record(document, settings, tmp_path / f"out{workers}{lent}")
        finally:
            timer.join()
            PagePool.lend(None)
        records.append(record.model_dump_json().replace(f"out{workers}{lent}", "out"))
    assert records[0] == records[1] == records[2]
