"""dtpc's own errors: types a caller matches on, never message text.

`InputError.reason` is also the `reason` key of the INPUT_UNREADABLE finding, so tests, the
database and users can tell an encrypted file from a corrupt one without reading Chinese prose.
"""

from __future__ import annotations

from models.common import InputReason


class DtpcError(Exception):
    """Base of every error dtpc raises on purpose."""


class InputError(DtpcError):
    """The file as a whole cannot be read; `reason` says why in one word, the message in words."""

    def __init__(self, reason: InputReason, message: str) -> None:
        super().__init__(message)
        self.reason: InputReason = reason
