"""The one way dtpc runs an external program: a time limit, one thread, and its whole tree ended.

Tesseract (OCR and orientation), LibreOffice (the Word sample producer) and the benchmarks'
baselines all go through `run_program`. Each program runs in its own session, so a timeout
ends it and everything it started (LibreOffice's launcher starts `soffice.bin`); OpenMP and
BLAS pools are limited to one thread, since dtpc runs one such program per core and their own
thread pools only fight the other workers. The limits go into the child's environment, never
into this process's.
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from pipeline.errors import ProgramError

log = logging.getLogger(__name__)

# What keeps a program to one core: OpenMP (Tesseract), OpenBLAS, MKL and numexpr pools.
ONE_THREAD: Mapping[str, str] = {
    "OMP_THREAD_LIMIT": "1",
    "OMP_NUM_THREADS": "1",
    "OPENBLAS_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "NUMEXPR_NUM_THREADS": "1",
}


@dataclass(frozen=True)
class Finished:
    """A program that ran to its end (whatever its exit code, when `check` was off)."""

    returncode: int
    stdout: bytes
    stderr: bytes

    @property
    def text(self) -> str:
        """Standard output as UTF-8; raises UnicodeDecodeError on anything else."""
        return self.stdout.decode("utf-8")


def run_program(
    command: Sequence[str | Path],
    *,
    timeout_s: float,
    env: Mapping[str, str] | None = None,
    replace_env: bool = False,
    cwd: Path | None = None,
    check: bool = True,
) -> Finished:
    """Run `command` to its end within `timeout_s` seconds, one thread per pool.

    `env` is added to this process's environment (or, with `replace_env`, is the whole of it);
    the one-thread limits are set either way. Raises ProgramError: `missing` when the program
    cannot be started, `timeout` (its process group killed), `failed` on a non-zero exit when
    `check`.
    """
    args = [str(part) for part in command]
    program = Path(args[0]).name
    environment = {**({} if replace_env else os.environ), **(env or {}), **ONE_THREAD}
    try:
        process = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                   env=environment, cwd=cwd, start_new_session=True)
    except OSError as error:
        raise ProgramError("missing", program, f"cannot start ({error.strerror or error})") from error
    try:
        stdout, stderr = process.communicate(timeout=timeout_s)
    except subprocess.TimeoutExpired as error:
        _end_group(process)
        raise ProgramError("timeout", program, f"no result within {timeout_s:g} s") from error
    except BaseException:  # interrupted (Ctrl-C, a killed worker's signal): leave no program behind
        _end_group(process)
        raise
    if check and process.returncode != 0:
        message = (stderr or stdout).decode("utf-8", "replace").strip()[-400:]
        raise ProgramError("failed", program, f"exit code {process.returncode}: {message}")
    return Finished(process.returncode, stdout, stderr)


def _end_group(process: subprocess.Popen[bytes]) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    except PermissionError:
        log.warning("cannot end the process group of %s (pid %d)", process.args, process.pid)
        process.kill()
    process.communicate()
