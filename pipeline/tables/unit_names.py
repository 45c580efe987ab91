"""A unit's name in a table cell ends as a unit's name does: its legal form (有限公司) or, for a university, 大学.

The appendix's last rows lie under the applicant's seal, at the right where the names end: the
seal's ring hides a name's last character or two ("…集团有限公", "…有限司") or the seal's own
characters are read onto it ("…有限公司员", "…有限公技司", "…大学:M").  A name never ends in part of
its legal form, so an ending one or two characters from the form is the form: the name is given it,
and its provenance keeps the reading (`repaired_from`).  Names ending in another complete form
(有限责任公司, 有限合伙) or unlike any form are left as read.
"""

from __future__ import annotations

from dataclasses import replace

from rapidfuzz.distance import Levenshtein

from models import UNIVERSITIES
from pipeline.tables.values import FieldValue

COMPANY = "有限公司"
UNIVERSITY = "大学"
# Complete endings that are not the form looked for but share its first characters.
COMPLETE = ("有限公司", "有限责任公司", "有限合伙", "有限合伙）", "有限合伙)", "大学")
MAX_EDITS = 2  # characters lost, added or misread at the name's end
MIN_STEM = 2  # characters before the form: a place name at least
# OCR's readings of 大 at the start of 大学 (天学, 太学).
_FIRST_CHARS = {UNIVERSITY: ("大", "天", "太"), COMPANY: ("有",)}


def with_form(name: str, form: str) -> str | None:
    """`name` with its misread or cut ending made `form`, or None when it ends as read (or unlike `form`)."""
    if not name or name.endswith(COMPLETE):
        return None
    reach = len(form) + MAX_EDITS
    for start in range(max(MIN_STEM, len(name) - reach), len(name)):
        tail = name[start:]
        if tail[0] not in _FIRST_CHARS[form] or (tail[0] != form[0] and tail[1:2] != form[1:2]):
            continue
        tail = form[0] + tail[1:]
        # The form with a seal's characters or marks read after it, or the form a character or two off.
        if (tail.startswith(form) and len(tail) - len(form) <= MAX_EDITS) \
                or Levenshtein.distance(tail, form) <= min(MAX_EDITS, len(form) - 1):
            return name[:start] + form
    return None


# Table columns that hold a unit's name, by table (appendix spec key).
UNIT_NAME_FIELDS = {"contracts": ("enterprise",), "institutions": ("name",), "providers": ("name",),
                    "financings": ("investor", "investee")}


def ending_repaired(table: str, values: dict[str, FieldValue]) -> dict[str, FieldValue]:
    """A row's unit names with their endings made whole (`with_form`); provenance keeps the reading."""
    out = dict(values)
    category = values["category"].value if "category" in values else None
    # Among universities 大学 is tried first: a seal's 有限 read after 中南大学 is no company's form cut short,
    # though 中南大学有限 lies as near 有限公司 as 大学 (two characters either way).
    forms = (UNIVERSITY, COMPANY) if category == UNIVERSITIES else (COMPANY,)
    for name in UNIT_NAME_FIELDS.get(table, ()):
        value = values.get(name)
        if value is None or not isinstance(value.value, str):
            continue
        repaired = next((whole for form in forms if (whole := with_form(value.value, form)) is not None), None)
        if repaired is not None:
            origin = value.provenance.model_copy(update={"repaired_from": value.value})
            out[name] = replace(value, value=repaired, provenance=origin)
    return out
