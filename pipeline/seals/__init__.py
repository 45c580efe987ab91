"""Seals and signatures: find every seal, read whose it is, fill the seal slots, judge the signature.

Modules: `ink` (colour separation), `geometry` (seal outlines, ring coverage),
`detect` (red, grey and embedded-image detectors), `unwrap` (polar unrolling of
the name band), `text` (reading and matching unit names), `anchors` (printed
labels), `slots` (slot assignment, SEAL_NAME_MISMATCH), `signature`,
`scan` (seals detected once per page, before the stages that need them) and
`find` (the stage the runner calls).
"""

from pipeline.seals.find import DocType, SealFindings, SealUnits, find_seals
from pipeline.seals.scan import scan_pages

__all__ = ["DocType", "SealFindings", "SealUnits", "find_seals", "scan_pages"]
