"""Logging where the work runs: every process (CLI, file process, page worker) logs with its file and page.

The CLI configures its own process; a file's process and a page worker are fresh interpreters
(forkserver), so each configures itself from `Settings.log_level` and says which file and page
it is on with `working_on`, so that `-v` reaches the work and every line names its place.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from contextvars import ContextVar

_FILE: ContextVar[str] = ContextVar("dtpc_file", default="-")
_PAGE: ContextVar[str] = ContextVar("dtpc_page", default="-")
FORMAT = "%(levelname)s %(processName)s %(name)s [%(dtpc_file)s p%(dtpc_page)s]: %(message)s"


class _PlaceFilter(logging.Filter):
    """Adds the file and page being worked on to every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.dtpc_file = _FILE.get()
        record.dtpc_page = _PAGE.get()
        return True


def configure(level: str | int = "WARNING") -> None:
    """This process's logging: one stderr handler naming file and page (idempotent; a second call sets the level)."""
    root = logging.getLogger()
    root.setLevel(level)
    if any(getattr(handler, "dtpc", False) for handler in root.handlers):
        return
    handler = logging.StreamHandler()
    handler.dtpc = True  # type: ignore[attr-defined]
    handler.setFormatter(logging.Formatter(FORMAT))
    handler.addFilter(_PlaceFilter())
    root.addHandler(handler)
    logging.getLogger("jieba").setLevel(max(logging.WARNING, root.level))


@contextlib.contextmanager
def working_on(file: str | None = None, page: int | None = None) -> Iterator[None]:
    """Log lines inside name this file (and page)."""
    tokens = []
    if file is not None:
        tokens.append((_FILE, _FILE.set(file)))
    if page is not None:
        tokens.append((_PAGE, _PAGE.set(str(page))))
    try:
        yield
    finally:
        for variable, token in reversed(tokens):
            variable.reset(token)
