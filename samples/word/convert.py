"""Word document → PDF with LibreOffice headless (Debian: libreoffice-writer-nogui), as applicants export it.

A generator-only dependency: `make run` never needs it. Each conversion runs `soffice` in a
subprocess with its own throw-away user profile (parallel or stale instances cannot lock it) and a
timeout.
"""

from __future__ import annotations

import io
import shutil
import tempfile
from pathlib import Path

from docx.document import Document as DocxDocument

from pipeline.errors import ProgramError
from pipeline.programs import run_program

DEFAULT_TIMEOUT_S = 120.0


class ConversionError(RuntimeError):
    """LibreOffice did not turn the document into a PDF."""


class SofficeMissing(ConversionError):
    """No `soffice` on PATH: install libreoffice-writer-nogui (`make word-samples-system`)."""


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def docx_bytes(document: DocxDocument) -> bytes:
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def docx_to_pdf(document: DocxDocument | bytes, *, timeout_s: float = DEFAULT_TIMEOUT_S) -> bytes:
    """The PDF LibreOffice's writer_pdf_Export makes of `document`."""
    exe = soffice()
    if exe is None:
        raise SofficeMissing("soffice not found; install libreoffice-writer-nogui")
    payload = document if isinstance(document, bytes) else docx_bytes(document)
    with tempfile.TemporaryDirectory(prefix="dtpc-soffice-") as tmp:
        work = Path(tmp)
        source = work / "package.docx"
        source.write_bytes(payload)
        command = [exe, f"-env:UserInstallation=file://{work / 'profile'}", "--headless", "--norestore",
                   "--convert-to", "pdf:writer_pdf_Export", "--outdir", str(work), str(source)]
        # Its own session (run_program): on timeout the whole tree (oosplash, soffice.bin) is ended.
        try:
            run_program(command, timeout_s=timeout_s, replace_env=True,
                        env={"HOME": tmp, "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"})
        except ProgramError as error:
            raise ConversionError(str(error)) from error
        target = work / "package.pdf"
        if not target.exists():
            raise ConversionError("soffice exited without writing a PDF")
        return target.read_bytes()
