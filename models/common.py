"""Pieces shared by every record: boxes, provenance, checks, seals, the source."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

# [x0, top, x1, bottom] in PDF points from the top-left of the page as displayed
# after rotation correction.
BBox = Annotated[list[float], Field(min_length=4, max_length=4)]

Severity = Literal["error", "warning", "info"]
PageKind = Literal["scan", "text", "mixed"]
PageRole = Literal[
    "cover", "basic_info", "plan", "attachments_list", "commitment",
    "appendix2_table1", "appendix2_table2", "appendix2_table3",
    "appendix3_table1", "appendix3_table2", "appendix3_table3",
    "recommendation_letter", "recommendation_table", "other", "blank",
]
PAGE_ROLES: tuple[str, ...] = PageRole.__args__  # type: ignore[attr-defined]
ValueSource = Literal["text", "ocr", "pixels", "derived"]
# Why a whole file could not be read (the INPUT_UNREADABLE finding's `reason`).
InputReason = Literal[
    "encrypted",     # a PDF that needs a password
    "corrupt",       # a PDF or image whose bytes do not parse
    "empty",         # 0 bytes, or a PDF without pages
    "too_large",     # over the pixel or size limit
    "unsupported",   # neither PDF nor an image format dtpc reads
    "unopenable",    # the file system refused it
    "timeout",       # over the per-file time limit
    "memory",        # over the per-file memory cap
    "crashed",       # its worker process died or wrote no valid record
    "internal",      # a bug in dtpc (logged with its traceback)
]


class Record(BaseModel):
    """Base for every record: unknown keys are refused so a typo never passes silently."""

    model_config = ConfigDict(extra="forbid")


class Evidence(Record):
    page: int = Field(ge=1)
    bbox: BBox | None = None
    # Path of a crop showing the place, relative to the JSON file (for the reviewer report).
    image: str | None = None


class Check(Record):
    code: str
    severity: Severity
    where: str = ""
    message: str = ""
    expected: float | int | str | bool | None = None
    found: float | int | str | bool | None = None
    evidence: list[Evidence] = Field(default_factory=list)
    # How sure the finding is: 1.0 when every reading it rests on is sure; lower when it rests on a
    # doubtful reading (then a comparison that fails is a warning, never an error).
    confidence: float = Field(default=1.0, ge=0.0, le=1.0)
    # The field paths of the readings in doubt that this finding rests on (their alternatives, or
    # their low confidence, are in `message`); a LOW_CONFIDENCE for one of them would be a second
    # finding for the same cause, so it is not raised.
    doubts: list[str] = Field(default_factory=list)
    # For a comparison: the field paths of every reading it rests on (declared figure, summed cells,
    # counted rows), so a reviewer, and the second reading of a failed comparison, know where to look.
    rests_on: list[str] = Field(default_factory=list)
    # For INPUT_UNREADABLE: why the file could not be read, in one word (encrypted, corrupt, empty,
    # too_large, unsupported, unopenable, timeout, memory, crashed, internal), to match on.
    reason: InputReason | None = None


class Provenance(Record):
    page: int = Field(ge=1)
    bbox: BBox | None = None
    confidence: float | None = Field(default=None, ge=0.0, le=1.0)
    source: ValueSource = "ocr"
    # The text as read, when one OCR confusion in it was repaired (a credit code whose check then held).
    repaired_from: str | None = None
    # Other readings the reader had for this place ("5.18" vs 5,180): the value is one of them, and
    # it is in doubt until a reconciliation rule picks it (`resolved_by`).
    alternatives: list[float | int | str | bool] = Field(default_factory=list)
    # The rule of the form's own redundancy that picked the value among `alternatives`.
    resolved_by: str | None = None
    # For a value that is null: True when its place holds no ink (left blank), False when it holds
    # ink that could not be read; None when the reader could not tell.
    blank: bool | None = None
    # Set when the value was read again on its own crop because a failed comparison rests on it
    # (`pipeline.verify`): the engines that read the same value there; [] when none did, and then the
    # value is in doubt. None when it was not read again.
    confirmed_by: list[str] | None = None

    @property
    def unconfirmed(self) -> bool:
        """Read again on its crop, and no engine read the same value there."""
        return self.confirmed_by is not None and not self.confirmed_by

    @property
    def unsettled(self) -> bool:
        """The reader had other readings for this value and no rule has picked among them."""
        return bool(self.alternatives) and self.resolved_by is None


class PageFlattening(Record):
    """What page flattening found and undid on a page without a text layer, before it was read."""

    # Corners of the paper found against the desk in the page as stored (px at the page's dpi,
    # top-left, top-right, bottom-right, bottom-left); null when the page filled the image.
    quad: list[Annotated[list[float], Field(min_length=2, max_length=2)]] | None = None
    # Largest bow of a text line (px at the page's dpi) before straightening; null when too few lines to tell.
    curl: float | None = None
    dewarped: bool = False  # the text lines were straightened
    illumination: bool = False  # uneven light was evened
    # Column runs [x0, x1) (px at the page's dpi) of scanner streaks filled in; null when there were none.
    streaks: list[Annotated[list[int], Field(min_length=2, max_length=2)]] | None = None


class SourcePage(Record):
    page: int = Field(ge=1)
    kind: PageKind
    # Whether the page image holds colour (red seal ink can be told from print); None for a text layer.
    colour: bool | None = None
    rotation: Literal[0, 90, 180, 270] = 0
    skew_deg: float = 0.0
    role: PageRole | None = None
    flattening: PageFlattening | None = None


class Source(Record):
    file: str
    sha256: str
    page_count: int = Field(ge=0)
    pages: list[SourcePage] = Field(default_factory=list)
    # The dtpc version that wrote the record: a batch re-run skips a file whose output has the
    # same sha256 and pipeline version.
    pipeline_version: str | None = None


class Seal(Record):
    page: int = Field(ge=1)
    bbox: BBox
    shape: Literal["round", "oval", "square", "unknown"] = "round"
    text: str | None = None
    slot: str | None = None
    confidence: float = Field(default=1.0, ge=0.0, le=1.0)
    # Path of the evidence crop, relative to the JSON file.
    crop: str | None = None
