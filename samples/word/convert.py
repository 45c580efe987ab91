"""Word document → PDF with LibreOffice headless (Debian: libreoffice-writer-nogui), as applicants export it.

A generator-only dependency: `make run` never needs it. Each conversion runs `soffice` in a
subprocess with its own throw-away user profile (parallel or stale instances cannot lock it) and a
timeout.
"""

from __future__ import annotations

import io
import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from docx.document import Document as DocxDocument

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
        # Its own session: on timeout the whole tree (oosplash, soffice.bin) is ended, not just the launcher.
        proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
                                env={"HOME": tmp, "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"})
        try:
            stdout, stderr = proc.communicate(timeout=timeout_s)
        except subprocess.TimeoutExpired as error:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            raise ConversionError(f"soffice timed out after {timeout_s:.0f} s") from error
        target = work / "package.pdf"
        if proc.returncode != 0 or not target.exists():
            message = (stderr or stdout).decode("utf-8", "replace").strip()[-400:]
            raise ConversionError(f"soffice exited {proc.returncode}: {message}")
        return target.read_bytes()
