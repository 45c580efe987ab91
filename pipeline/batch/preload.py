"""Imported once by the file fork server, so each file's process starts with the pipeline loaded.

Forking from a warm server costs milliseconds; a fresh interpreter would spend seconds per
file importing the pipeline and loading the language model, and the seal reader's
recogniser took about 2 s in every file's process before it was loaded here, and so did the
page engine's detector and recogniser the tables re-read cells with (the batch's model loading
must not grow with the number of files). Failures here are not fatal: a
child then loads what it needs itself (and reports any error as its file's failure).
"""

from __future__ import annotations

import logging

try:
    import numpy as np

    import pipeline.runner  # noqa: F401
    from pipeline.config import Settings
    from pipeline.ocr import get_engine, seal_engine
    from pipeline.ocr.orient import load_direction_model
    from pipeline.seals.text import LineReader
    from pipeline.text.language import language

    logging.getLogger("jieba").setLevel(logging.WARNING)
    language()
    # One blank strip read: loads the recogniser (one thread, so it survives the fork) and warms it.
    LineReader(seal_engine(Settings(), cached=False)).read(np.full((48, 320, 3), 255, np.uint8))
    # The page engine's models too: the tables re-read doubtful cells with them in the file's process,
    # and the file's page workers, forked from that process (`PagePool.fork_here`), read pages with them.
    get_engine(Settings(), cached=False).read_region(np.full((48, 320), 255, np.uint8), mode="line")
    load_direction_model()  # the page workers' orientation classifier
    # Tesseract's version is part of its readings' cache keys (the second readings'): asked once here, not by
    # starting `tesseract --version` in every file's process.
    from pipeline.ocr.tesseract import _version

    _version()
except Exception:  # not fatal (see above), but never silent: the traceback says what a child will meet again
    logging.getLogger(__name__).exception("preloading the pipeline failed; each file's process loads it itself")
