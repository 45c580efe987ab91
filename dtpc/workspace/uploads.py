"""Uploads: the kind sniffed from the content, a size cap, stored as `<sha256>.<kind>` (never the client's name)."""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from pipeline.ingest import SIGNATURES

CHUNK = 1 << 20
SNIFF_BYTES = 16
# Magic numbers of the kinds the pipeline reads (`pipeline.ingest`'s), with the suffix stored under.
_SUFFIXES = {"png": "png", "jpeg": "jpg", "tiff": "tif"}
MAGIC: tuple[tuple[bytes, str], ...] = ((b"%PDF-", "pdf"), *((magic, _SUFFIXES[kind]) for magic, kind in SIGNATURES))
_UNSAFE = re.compile(r"[\x00-\x1f\x7f/\\]+")


class UploadRejected(Exception):
    """An upload refused; `status` is the HTTP status that says why (413 too large, 415 wrong kind)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True)
class StoredUpload:
    sha256: str
    kind: str
    size: int
    path: Path


def sniff(head: bytes) -> str | None:
    """The file kind (pdf, tif, png, jpg) its first bytes show, else None."""
    return next((kind for magic, kind in MAGIC if head.startswith(magic)), None)


def display_name(client_name: str | None) -> str:
    """The client's file name for display only: its last part, no control characters, at most 200 characters."""
    name = (client_name or "").replace("\\", "/").rsplit("/", 1)[-1]
    return _UNSAFE.sub("_", name).strip()[:200] or "upload"


def store(source: BinaryIO, folder: Path, max_bytes: int) -> StoredUpload:
    """Copy `source` into `folder` as `<sha256>.<kind>`, refusing other kinds (415) and more than `max_bytes` (413)."""
    folder.mkdir(parents=True, exist_ok=True)
    head = source.read(SNIFF_BYTES)
    kind = sniff(head)
    if kind is None:
        raise UploadRejected(415, "只接受 PDF、TIFF、PNG 或 JPEG 文件（按文件内容判断，不看扩展名）；"
                                  "this file is not a PDF, TIFF, PNG or JPEG")
    hasher, size = hashlib.sha256(), 0
    handle, temp_name = tempfile.mkstemp(dir=folder, prefix=".upload-", suffix=".part")
    temp = Path(temp_name)
    try:
        with os.fdopen(handle, "wb") as out:
            chunk = head
            while chunk:
                size += len(chunk)
                if size > max_bytes:
                    raise UploadRejected(413, f"文件超过 {max_bytes >> 20} MB 上限；the file is larger than "
                                              f"{max_bytes >> 20} MB")
                hasher.update(chunk)
                out.write(chunk)
                chunk = source.read(CHUNK)
        sha256 = hasher.hexdigest()
        target = folder / f"{sha256}.{kind}"
        if target.exists():
            temp.unlink()
        else:
            os.replace(temp, target)
        return StoredUpload(sha256, kind, size, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            temp.unlink()
        raise
