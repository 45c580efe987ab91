"""The reviewer's report: every flag with its evidence, as one HTML page for a batch.

`save_evidence` runs while the page images still exist (inside the worker) and
stores a crop for each piece of evidence; `write_report` only assembles HTML.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Sequence
from pathlib import Path

import cv2
import numpy as np

from models import ApplicationRecord, Check, CheckedRecord, Evidence, OutputRecord, RecommendationRecord
from models.page import Document, Page

log = logging.getLogger(__name__)
EVIDENCE_DPI = 100
CROP_MARGIN_PT = 36.0
THUMBNAIL_WIDTH_PX = 420


def _page_image(doc: Document, page: Page) -> np.ndarray | None:
    if page.image_path is not None and page.image_path.exists():
        return cv2.imread(str(page.image_path), cv2.IMREAD_COLOR)
    from pipeline.ingest import render_page  # text pages have no stored image; render on demand

    try:
        return render_page(doc.path, page.number, EVIDENCE_DPI)
    except Exception as error:
        log.warning("cannot render page %s of %s: %s", page.number, doc.path.name, error)
        return None


def _crop(image: np.ndarray, page: Page, bbox: Sequence[float] | None) -> np.ndarray:
    scale = image.shape[1] / page.width
    if bbox is None:
        factor = THUMBNAIL_WIDTH_PX / image.shape[1]
        return cv2.resize(image, None, fx=factor, fy=factor, interpolation=cv2.INTER_AREA)
    x0, top, x1, bottom = (value * scale for value in bbox)
    margin = CROP_MARGIN_PT * scale
    left, upper = max(0, int(x0 - margin)), max(0, int(top - margin))
    right, lower = min(image.shape[1], int(x1 + margin)), min(image.shape[0], int(bottom + margin))
    crop = image[upper:lower, left:right].copy()
    cv2.rectangle(crop, (int(x0) - left, int(top) - upper), (int(x1) - left, int(bottom) - upper), (0, 0, 255), 2)
    return crop


def save_evidence(record: CheckedRecord, doc: Document, folder: Path) -> None:
    """Write a PNG for each check's evidence and point `evidence.image` at it (relative to the JSON)."""
    pages = {page.number: page for page in doc.pages}
    images: dict[int, np.ndarray | None] = {}
    for index, check in enumerate(record.checks):
        for number, evidence in enumerate(check.evidence):
            page = pages.get(evidence.page)
            if page is None or page.width <= 0:
                continue
            if evidence.page not in images:
                images[evidence.page] = _page_image(doc, page)
            image = images[evidence.page]
            if image is None:
                continue
            folder.mkdir(parents=True, exist_ok=True)
            target = folder / f"check{index:03d}-{check.code.lower()}-{number}.png"
            cv2.imwrite(str(target), _crop(image, page, evidence.bbox))
            evidence.image = f"{folder.name}/{target.name}"


STYLE = """
body{font-family:'Noto Sans CJK SC','WenQuanYi Micro Hei',sans-serif;margin:2em;color:#222}
table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:4px 8px;vertical-align:top}
.error{color:#b00020;font-weight:bold}.warning{color:#b36b00}.info{color:#555}
img{max-width:420px;border:1px solid #999;margin:2px}section{border-top:2px solid #444;margin-top:2em}
"""


def _evidence_html(evidence: Sequence[Evidence]) -> str:
    parts = []
    for item in evidence:
        label = f"第{item.page}页"
        if item.image:
            parts.append(f'<figure><img src="{html.escape(item.image)}" alt="{label}"><figcaption>{label}'
                         "</figcaption></figure>")
        else:
            parts.append(label)
    return " ".join(parts)


def _check_row(check: Check) -> str:
    sides = ""
    if check.expected is not None or check.found is not None:
        sides = f"应为 {html.escape(str(check.expected))}，实际 {html.escape(str(check.found))}"
    return (f'<tr><td class="{check.severity}">{check.severity}</td><td>{html.escape(check.code)}</td>'
            f"<td>{html.escape(check.where)}</td><td>{html.escape(check.message)}<br>{sides}</td>"
            f"<td>{_evidence_html(check.evidence)}</td></tr>")


def _title(record: OutputRecord) -> str:
    if isinstance(record, ApplicationRecord):
        return record.basic_info.lead_unit.name or record.cover.applicant or "（未识别申报单位）"
    if isinstance(record, RecommendationRecord):
        return f"{record.recommendation.province or '（未识别省份）'} 推荐意见"
    return "无法读取的文件"


def _seal_html(record: OutputRecord) -> str:
    rows = [f"<tr><td>第{seal.page}页</td><td>{html.escape(seal.slot or '—')}</td>"
            f"<td>{html.escape(seal.text or '（未识别）')}</td><td>{seal.confidence:.2f}</td>"
            f"<td>{f'<img src={chr(34)}{html.escape(seal.crop)}{chr(34)}>' if seal.crop else ''}</td></tr>"
            for seal in record.seals]
    if not rows:
        return "<p>未发现印章。</p>"
    return "<table><tr><th>页</th><th>位置</th><th>印章文字</th><th>置信度</th><th>截图</th></tr>" + "".join(rows) + "</table>"


def _document_html(record: OutputRecord) -> str:
    source = record.source
    checks = sorted(record.checks, key=lambda c: ("error", "warning", "info").index(c.severity))
    body = "".join(_check_row(check) for check in checks) or '<tr><td colspan="5">无问题</td></tr>'
    return (f'<section id="{html.escape(source.file)}"><h2>{html.escape(_title(record))}</h2>'
            f"<p>文件 {html.escape(source.file)} · {source.page_count} 页 · 类型 {record.doc_type}</p>"
            "<h3>发现的问题</h3><table><tr><th>级别</th><th>代码</th><th>位置</th><th>说明</th><th>证据</th></tr>"
            f"{body}</table><h3>印章</h3>{_seal_html(record)}</section>")


def write_report(records: Sequence[OutputRecord], batch_checks: Sequence[Check], out_dir: Path) -> Path:
    """`out_dir/report.html`: a summary line per file, then each file's flags with their evidence."""
    summary = "".join(
        f'<tr><td><a href="#{html.escape(r.source.file)}">{html.escape(r.source.file)}</a></td>'
        f"<td>{html.escape(_title(r))}</td><td>{r.doc_type}</td>"
        f'<td class="error">{sum(c.severity == "error" for c in r.checks)}</td>'
        f'<td class="warning">{sum(c.severity == "warning" for c in r.checks)}</td></tr>'
        for r in records
    )
    batch = "".join(_check_row(check) for check in batch_checks) or '<tr><td colspan="5">无</td></tr>'
    page = (f"<!doctype html><html lang=zh><meta charset=utf-8><title>dtpc 审核报告</title><style>{STYLE}</style>"
            f"<h1>制造业数字化转型促进中心申报材料审核报告</h1><p>共 {len(records)} 份文件。</p>"
            "<table><tr><th>文件</th><th>单位</th><th>类型</th><th>错误</th><th>警告</th></tr>"
            f"{summary}</table><h2>批次核对</h2><table>{batch}</table>"
            + "".join(_document_html(record) for record in records) + "</html>")
    target = out_dir / "report.html"
    target.write_text(page, encoding="utf-8")
    return target
