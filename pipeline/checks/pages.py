"""Pages whose role may be misread, and the missing parts whose place they stand in.

A part not found is absent only where no page could be it: a package whose pages were all recognised and
hold no page where the part belongs has left it out. A page whose role reading is itself in doubt standing
where the missing part belongs (between the parts printed before and after it in the template's order) may
be that part, misread: then "missing" is a doubt for a reviewer, not an error. Two signs say a page's role is
in doubt, both read from the record: a second page of a part the template prints on one page (two 真实性承诺
pages: one of them is another part read as it, dev36 a01's photographed 附2表1), and, in a package of
photographs, a page on which no paper was found that then read as blank (a photographed blank sheet shows
its paper against the desk as well as any; no paper found is a capture the reader failed on, dev36 a09's
last plan page).
"""

from __future__ import annotations

from collections import Counter

from models import CheckedRecord, SourcePage

# The parts of an application in the template's order (FORM.md): where a missing one belongs.
PART_ORDER: tuple[str, ...] = (
    "cover", "basic_info", "plan", "attachments_list", "commitment",
    "appendix2_table1", "appendix2_table2", "appendix2_table3",
    "appendix3_table1", "appendix3_table2", "appendix3_table3",
)
# Parts the template prints on one page: a second page of one is another part read as it.
ONE_PAGE_PARTS: frozenset[str] = frozenset({"attachments_list", "commitment"})
PART_LABELS = {"attachments_list": "附件清单", "commitment": "真实性承诺"}


def _photographed(pages: list[SourcePage]) -> bool:
    """Most of the package's pages are photographs: the flattening stage found their paper against a desk."""
    found = sum(1 for page in pages if page.flattening is not None and page.flattening.quad)
    return 2 * found > len(pages)


def doubtful_pages(record: CheckedRecord) -> dict[int, str]:
    """Page number → why its role may be misread (for a message), for the pages whose role is in doubt."""
    pages = record.source.pages
    counts = Counter(page.role for page in pages)
    photographed = _photographed(pages)
    doubts: dict[int, str] = {}
    for page in pages:
        if page.role in ONE_PAGE_PARTS and counts[page.role] > 1:
            doubts[page.page] = (f"第 {page.page} 页识读为“{PART_LABELS[page.role]}”，而该部分只有一页，"
                                 "另有一页也识读为此")
        elif (page.role == "blank" and photographed and page.kind != "text"
              and (page.flattening is None or not page.flattening.quad)):
            doubts[page.page] = f"第 {page.page} 页为拍照页但未能找到纸张边缘，识读为空白页，可能未能识读"
    return doubts


def pages_of(record: CheckedRecord, role: str) -> list[int]:
    return [page.page for page in record.source.pages if page.role == role]


def part_in_doubt(record: CheckedRecord, role: str) -> list[str]:
    """Why the part `role`, not found, may be on a page whose role was misread: the doubtful pages standing
    where it belongs, from the last page of the nearest part found before it (in `PART_ORDER`) to the first
    page of the nearest found after it, both ends included (the doubtful page may be one of theirs)."""
    doubts = doubtful_pages(record)
    if not doubts or role not in PART_ORDER:
        return []
    index = PART_ORDER.index(role)
    before = next((pages for part in reversed(PART_ORDER[:index]) if (pages := pages_of(record, part))), [])
    after = next((pages for part in PART_ORDER[index + 1:] if (pages := pages_of(record, part))), [])
    low = max(before) if before else 1
    high = min(after) if after else max((page.page for page in record.source.pages), default=1)
    return [why for page, why in sorted(doubts.items()) if low <= page <= high]


def plan_pages_in_doubt(record: CheckedRecord) -> list[str]:
    """Why a plan section not found may be on a page whose role was misread: the doubtful pages among the
    plan's pages or next to them (the plan's first or last page read as something else)."""
    doubts = doubtful_pages(record)
    plan = pages_of(record, "plan")
    if not doubts or not plan:
        return []
    return [why for page, why in sorted(doubts.items()) if min(plan) - 1 <= page <= max(plan) + 1]
