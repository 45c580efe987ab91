"""Imported once by the file fork server, so each file's process starts with the pipeline loaded.

Forking from a warm server costs milliseconds; a fresh interpreter would spend seconds per
file importing the pipeline and loading the language model. Failures here are not fatal:
a child then imports what it needs itself (and reports any error as its file's failure).
"""

from __future__ import annotations

import contextlib
import logging

with contextlib.suppress(Exception):
    import pipeline.runner  # noqa: F401
    from pipeline.text.language import language

    logging.getLogger("jieba").setLevel(logging.WARNING)
    language()
