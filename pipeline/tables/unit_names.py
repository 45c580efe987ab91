"""A unit's name in a table cell ends as a unit's name does: its legal form (有限公司) or, for a university, 大学.

The appendix's last rows lie under the applicant's seal, at the right where the names end: the
seal's ring hides a name's last character or two ("…集团有限公", "…有限司") or the seal's own
characters are read onto it ("…有限公司员", "…有限公技司", "…大学:M").  A name never ends in part of
its legal form, so an ending one or two characters from the form is the form: the name is given it,
and its provenance keeps the reading (`repaired_from`).  Names ending in another complete form
(有限责任公司, 有限合伙) or unlike any form are left as read.

A name opens with its place (温州, 柳州, 北京), and a package's units share a few places: where the recogniser
misread one of its characters (drawn and photographed glyphs: 温州 read 沮州, 柳州 read 卯州) the opening is
no word, while other names of the package open with a word one character from it (`openings_repaired`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import replace

from rapidfuzz.distance import Levenshtein

from models import UNIVERSITIES
from pipeline.tables.values import FieldValue
from pipeline.text.chars import is_cjk
from pipeline.text.words import in_words

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


OPENING = 2  # characters a name opens with that name its place (温州, 北京)
OPENING_NAMES = 2  # other names of the package opening with a word, for a misread opening one character off to be it
# Of two such words (温州 and 郑州 beside 沮州), the one this many times as many names open with: the package's
# own place; nearer in count, neither (the ink, not the count, would have to choose).
OPENING_LEAD = 3


def _opening(text: str) -> str | None:
    opening = text[:OPENING]
    return opening if len(opening) == OPENING and all(is_cjk(char) for char in opening) else None


def openings_repaired(rows: Mapping[str, list[dict[str, FieldValue]]]) -> None:
    """Each unit name (of every table's rows, by spec key) whose opening is no word made the opening that
    `OPENING_NAMES` other names of the package open with, a word one character from it (in place; provenance
    keeps the reading). Of two such openings the one `OPENING_LEAD` times as common, else neither; an opening
    that is a word is left as read (常州 beside 沧州: both places)."""
    names = [(row, name) for key, table in rows.items() for row in table for name in UNIT_NAME_FIELDS.get(key, ())
             if name in row and isinstance(row[name].value, str)]
    openings = Counter(opening for row, name in names if (opening := _opening(str(row[name].value))) is not None
                       and all(in_words(opening)))
    for row, name in names:
        value = row[name]
        text = str(value.value)
        opening = _opening(text)
        if opening is None or any(in_words(opening)):
            continue
        near = sorted((count, other) for other, count in openings.items() if count >= OPENING_NAMES
                      and sum(a != b for a, b in zip(other, opening, strict=True)) == 1)
        if near and (len(near) == 1 or near[-1][0] >= OPENING_LEAD * near[-2][0]):
            origin = value.provenance.model_copy(update={"repaired_from": value.provenance.repaired_from or text})
            row[name] = replace(value, value=near[-1][1] + text[OPENING:], provenance=origin)
