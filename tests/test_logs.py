"""Logs from where the work runs: -v reaches the file processes and page workers, each line naming file and page."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.logs import FORMAT, _PlaceFilter, working_on

ROOT = Path(__file__).resolve().parent.parent


def test_a_line_names_the_file_and_page_being_worked_on() -> None:
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "hello", None, None)
    with working_on(file="a.pdf", page=3):
        _PlaceFilter().filter(record)
    assert logging.Formatter(FORMAT).format(record).endswith("x [a.pdf p3]: hello")
    _PlaceFilter().filter(record)
    assert "[- p-]" in logging.Formatter(FORMAT).format(record)  # outside, the place is reset


@pytest.mark.slow
def test_verbose_reaches_the_page_workers_and_the_file_process(tmp_path: Path) -> None:
    image = ROOT / "samples" / "corpus" / "r12-image.jpg"
    env = {**os.environ, "OMP_THREAD_LIMIT": "1", "DTPC_CACHE": str(tmp_path / "cache")}
    run = subprocess.run([sys.executable, "-m", "dtpc.cli", "-v", "extract", str(image), "-o", str(tmp_path / "out")],
                         cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr[-2000:]
    assert "pipeline.page_pool [r12-image.jpg p1]: read in" in run.stderr
    assert "pipeline.batch.isolate [r12-image.jpg p-]: done: recommendation" in run.stderr
