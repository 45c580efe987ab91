"""The plan's text: 二、建设方案 sections from the pages, their 字 counts, and the language pass.

Public API:
- `extract_plan(pages) -> Extracted[Plan]`: sections, content areas, goal years/kinds, mentions.
- `count_chars(text) -> int`: the 字 count of OUTPUT.md.
"""

import sys

from pipeline.text.chars import count_chars


def _import_jieba() -> None:
    """jieba, imported before any module of this package needs it, without `pkg_resources`: jieba's
    `_compat` imports that (deprecated, ~0.1 CPU-s in every process that segments, the fork server's
    preload among them) only to open its own data files, and opens the same files directly where it is
    missing. Another module's later `import pkg_resources` is left to work as before."""
    if "jieba" in sys.modules or "pkg_resources" in sys.modules:
        return
    sys.modules["pkg_resources"] = None  # type: ignore[assignment]  # import fails: jieba opens its files itself
    try:
        import jieba  # noqa: F401
    finally:
        del sys.modules["pkg_resources"]


_import_jieba()

from pipeline.text.plan import extract_plan  # noqa: E402  (after jieba: plan's modules import it)

__all__ = ["count_chars", "extract_plan"]
