"""The one subprocess wrapper: time limit over the whole process tree, one thread, typed failures."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import pytest

from pipeline.errors import ProgramError
from pipeline.programs import ONE_THREAD, run_program


def test_output_and_one_thread_limits_reach_the_program() -> None:
    script = "import os, sys; sys.stdout.write(os.environ['OMP_THREAD_LIMIT'] + os.environ['OPENBLAS_NUM_THREADS'])"
    done = run_program([sys.executable, "-c", script], timeout_s=30)
    assert done.returncode == 0 and done.text == "11"
    assert set(ONE_THREAD) <= {"OMP_THREAD_LIMIT", "OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS",
                               "NUMEXPR_NUM_THREADS"}


def test_a_replaced_environment_holds_only_what_was_given_and_the_limits() -> None:
    script = "import os, sys; sys.stdout.write(','.join(sorted(k for k in os.environ if not k.startswith('LC_'))))"
    done = run_program([sys.executable, "-c", script], timeout_s=30, env={"HOME": "/tmp"}, replace_env=True)
    assert set(done.text.split(",")) == {"HOME", *ONE_THREAD}


def test_a_timeout_ends_the_program_and_everything_it_started(tmp_path: Path) -> None:
    pidfile = tmp_path / "grandchild.pid"
    # The program starts a grandchild that would outlive it, then hangs.
    script = (f"import subprocess, sys, time; p = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(600)']);"
              f"open({str(pidfile)!r}, 'w').write(str(p.pid)); time.sleep(600)")
    started = time.monotonic()
    with pytest.raises(ProgramError) as raised:
        run_program([sys.executable, "-c", script], timeout_s=2)
    assert raised.value.reason == "timeout"
    assert time.monotonic() - started < 30
    grandchild = int(pidfile.read_text())
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and _alive(grandchild):
        time.sleep(0.1)
    assert not _alive(grandchild)


def test_a_missing_program_and_a_failing_one_are_told_apart() -> None:
    with pytest.raises(ProgramError) as missing:
        run_program(["/nonexistent/dtpc-no-such-program"], timeout_s=5)
    assert missing.value.reason == "missing"
    with pytest.raises(ProgramError) as failed:
        run_program([sys.executable, "-c", "import sys; sys.stderr.write('broken'); sys.exit(4)"], timeout_s=30)
    assert failed.value.reason == "failed" and "exit code 4" in str(failed.value) and "broken" in str(failed.value)
    unchecked = run_program([sys.executable, "-c", "import sys; sys.exit(4)"], timeout_s=30, check=False)
    assert unchecked.returncode == 4


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie (killed, not yet reaped by init) is not running
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            return stat.read().split()[2] != "Z"
    except OSError:
        return False
