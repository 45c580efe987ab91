"""The plan's text: 二、建设方案 sections from the pages, their 字 counts, and the language pass.

Public API:
- `extract_plan(pages) -> Extracted[Plan]`: sections, content areas, goal years/kinds, mentions.
- `count_chars(text) -> int`: the 字 count of OUTPUT.md.
"""

from pipeline.text.chars import count_chars
from pipeline.text.plan import extract_plan

__all__ = ["count_chars", "extract_plan"]
