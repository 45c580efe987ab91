"""A file's sha256: what records, the OCR cache and the batch's resume all key on.

Kept apart from the reading stages so the batch's parent process can use it without
importing OpenCV or the OCR engines.
"""

from __future__ import annotations

import hashlib
from pathlib import Path


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
