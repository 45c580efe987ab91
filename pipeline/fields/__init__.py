"""The cover, the basic-info form (一、基本情况) and the province's recommendation, read into records.

Each extractor finds its pages by role and by its own evidence (the labels it expects),
reads values by their printed labels (fuzzy, see `tables.labels`), types them with
`normalise`, and hands back provenance for every value and LOW_CONFIDENCE checks for
weak readings.  A value that cannot be read stays None: the checks stage reports it.
"""

from pipeline.fields.basic_info import FORM, cut_at_label, extract_basic_info, is_form_page, is_label_text
from pipeline.fields.cover import extract_cover, is_cover_page, strip_form_notes
from pipeline.fields.recommendation import extract_recommendation, letter_names, province_of
from pipeline.fields.unit_name import agree_members_with_seals, agree_unit_name, agree_with_seals, agree_with_text

__all__ = [
    "FORM",
    "agree_members_with_seals",
    "agree_unit_name",
    "agree_with_seals",
    "agree_with_text",
    "cut_at_label",
    "extract_basic_info",
    "extract_cover",
    "extract_recommendation",
    "is_cover_page",
    "is_form_page",
    "is_label_text",
    "letter_names",
    "province_of",
    "strip_form_notes",
]
