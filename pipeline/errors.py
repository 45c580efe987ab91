"""dtpc's own errors: types a caller matches on, never message text.

`InputError.reason` is also the `reason` key of the INPUT_UNREADABLE finding, so tests, the
database and users can tell an encrypted file from a corrupt one without reading Chinese prose.
"""

from __future__ import annotations

from typing import Literal

from models.common import InputReason

ProgramFailure = Literal["missing", "timeout", "failed"]


class DtpcError(Exception):
    """Base of every error dtpc raises on purpose."""


class InputError(DtpcError):
    """The file as a whole cannot be read; `reason` says why in one word, the message in words."""

    def __init__(self, reason: InputReason, message: str) -> None:
        super().__init__(message)
        self.reason: InputReason = reason


class ProgramError(DtpcError):
    """An external program (Tesseract, LibreOffice) could not do its job: `reason` says how."""

    def __init__(self, reason: ProgramFailure, program: str, message: str) -> None:
        super().__init__(f"{program} ({reason}): {message}")
        self.reason: ProgramFailure = reason
        self.program = program
