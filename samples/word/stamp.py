"""Where the ink goes on the converted PDF: seals, the legal representative's signature, hand ticks.

Anchors are found in the PDF's text layer (`samples.word.textlayer`): the seal over the applicant's
name on the cover, right of 申报单位（加盖公章）： on the commitment, by the 注 note (or at the foot of
a continued table page) on every appendix page, over the department's name under the letter.
The ink itself is drawn by `samples.seals` (through `samples.scan.ink_image`); `electronic_pdf`
pastes flat electronic seals onto the LibreOffice PDF, keeping its text layer.
"""

from __future__ import annotations

import io
import random

import pypdfium2 as pdfium
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from samples import content as c
from samples.layout import Mark
from samples.scan import ink_image
from samples.word.textlayer import Box, PdfPage

SEAL_BOTTOMS = ("", "", "", "业务专用章", "合同专用章")


def _seal(rng: random.Random, cx: float, cy: float, text: str, slot: str | None, oval: bool,
          page: PdfPage) -> Mark:
    d = rng.uniform(106, 120)  # a 4 cm 公章
    w, h = (d * 1.12, d * 0.78) if oval else (d, d)
    cx = min(max(cx + rng.uniform(-10, 10), w / 2 + 20), page.width - w / 2 - 20)
    cy = min(max(cy + rng.uniform(-8, 8), h / 2 + 20), page.height - h / 2 - 20)
    bottom = rng.choice(SEAL_BOTTOMS) if slot and slot.startswith("appendix") else ""
    return Mark("seal", (cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2), text=text, slot=slot,
                shape="oval" if oval else "round", bottom=bottom)


def _mid(box: Box) -> tuple[float, float]:
    return (box[0] + box[2]) / 2, (box[1] + box[3]) / 2


def _row_of_seals(rng: random.Random, page: PdfPage, names: list[str], top: float, oval: bool) -> list[Mark]:
    """Member units' seals side by side under `top`, four to a row, while the page has room."""
    left, right = 72.0, page.width - 72.0
    step = (right - left) / 4
    marks = []
    for i, name in enumerate(names):
        cx, cy = left + step * (i % 4 + 0.5), top + 62 + (i // 4) * 108
        if cy < page.height - 70:
            marks.append(_seal(rng, cx, cy, name, None, oval, page))
    return marks


class ApplicationStamper:
    """The ink of one application, page by page."""

    def __init__(self, rng: random.Random, app: c.Application, checkbox: str) -> None:
        self.rng, self.app, self.checkbox = rng, app, checkbox
        self.oval = rng.random() < 0.15

    def unit_seal(self, page: PdfPage, cx: float, cy: float, slot: str | None, text: str | None = None) -> list[Mark]:
        app = self.app
        if slot is not None and slot in app.unsealed_slots:
            return []
        name = app.seal_override.get(slot or "", text or app.cover.applicant or app.lead.name or "")
        return [_seal(self.rng, cx, cy, name, slot, self.oval, page)]

    def marks(self, page: PdfPage, role: str, first_of_role: bool) -> list[Mark]:
        del first_of_role
        handler = {"cover": self.cover, "basic_info": self.basic_info, "commitment": self.commitment,
                   "other": self.other}.get(role)
        if handler is not None:
            return handler(page)
        if role.startswith("appendix"):
            return self.appendix(page, role)
        return []

    def cover(self, page: PdfPage) -> list[Mark]:
        marks: list[Mark] = []
        for label, slot, text in (("申报单位：", "cover_applicant", None),
                                  ("推荐单位：", "cover_recommender", self.app.department)):
            hits = page.find(label)
            if not hits:
                continue
            line, box = hits[0]
            end = line.bbox[2]
            cx = min(end - 40, page.width - 110) if end - box[2] > 80 else box[2] + 90
            marks += self.unit_seal(page, cx, _mid(box)[1] - 4, slot, text)
        return marks

    def basic_info(self, page: PdfPage) -> list[Mark]:
        """Hand ticks over the chosen printed boxes, when the copy was ticked by hand."""
        if self.checkbox != "hand":
            return []
        lead, wanted = self.app.lead, []
        if lead.is_legal_person is not None:
            wanted.append("☐是" if lead.is_legal_person else "☐否")
        if lead.unit_type in ("制造业企业", "服务商", "其它"):
            wanted.append("☐" + lead.unit_type)
        marks = []
        for needle in wanted:
            hit = page.first(needle)
            if hit is not None:
                x0, y0, _, y1 = hit
                size = y1 - y0
                marks.append(Mark("tick", (x0 - 1, y0 - size * 0.5, x0 + size * 1.3, y1 + 1)))
        return marks

    def commitment(self, page: PdfPage) -> list[Mark]:
        marks: list[Mark] = []
        box = page.first("申报单位（加盖公章）：")
        if box is not None:
            marks += self.unit_seal(page, box[2] + 45, _mid(box)[1] - 6, "commitment")
        sig = page.first("法定代表人（签名：")
        if sig is not None and not self.app.signature_missing:
            marks.append(Mark("signature", (sig[2] + 2, sig[1] - 22, sig[2] + 92, sig[3] + 8), text=self.app.legal_rep))
        members = page.first("联合体成员单位（加盖公章）：")
        if members is not None and self.app.members:
            marks += _row_of_seals(self.rng, page, [m.name or "" for m in self.app.members], members[3], self.oval)
        return marks

    def other(self, page: PdfPage) -> list[Mark]:
        authority = page.first("登记机关")
        if authority is not None:
            return [_seal(self.rng, page.width - 150, authority[1] - 10, f"{self.app.city}市场监督管理局", None, False,
                          page)]
        parties = page.first("各方（盖章）：")
        if parties is not None:
            names = [self.app.lead.name or "", *(m.name or "" for m in self.app.members)]
            return _row_of_seals(self.rng, page, names, parties[3], self.oval)
        return []

    def appendix(self, page: PdfPage, role: str) -> list[Mark]:
        note = page.first("注：申报单位")
        right = page.width - 72
        if note is not None:
            cy = note[1] - self.rng.uniform(5, 35)
        else:
            # A continued table page: applicants stamp its foot too, often over the last rows.
            cy = min(page.lowest_text() - self.rng.uniform(10, 50), page.height - 80)
        return self.unit_seal(page, right - self.rng.uniform(50, 120), cy, role)


def recommendation_marks(rng: random.Random, rec: c.Recommendation, page: PdfPage, role: str) -> list[Mark]:
    if role == "recommendation_letter" and "recommendation_letter" not in rec.unsealed_slots:
        box = page.last(rec.department)
        if box is not None:
            cx, cy = _mid(box)
            return [_seal(rng, cx, cy - 4, rec.department, "recommendation_letter", False, page)]
    if role == "recommendation_table" and "recommendation_table" not in rec.unsealed_slots:
        note = page.first("注：1.推荐表")
        top = note[1] if note is not None else page.lowest_text()
        return [_seal(rng, page.width - 160, top - 30, rec.department, "recommendation_table", False, page)]
    return []


def electronic_pdf(pdf: bytes, marks: list[list[Mark]], rng: random.Random, pen: str) -> bytes:
    """The LibreOffice PDF with electronic seals (and the signature image) pasted on: text layer kept."""
    overlay = io.BytesIO()
    doc = pdfium.PdfDocument(pdf)
    sizes = [doc[i].get_size() for i in range(len(doc))]
    canvas = Canvas(overlay, invariant=1)
    for (w, h), page_marks in zip(sizes, marks, strict=True):
        canvas.setPageSize((w, h))
        for mark in page_marks:
            if mark.kind == "tick":
                continue
            image = ink_image(mark, 3.0, rng, electronic=True, ink="red", pen=pen)
            x0, y0, x1, y1 = mark.bbox
            canvas.drawImage(ImageReader(image), x0, h - y1, x1 - x0, y1 - y0, mask="auto")
        canvas.showPage()
    canvas.save()
    ink = pdfium.PdfDocument(overlay.getvalue())
    for i in range(len(doc)):
        if not marks[i]:
            continue
        page = doc[i]
        page.insert_obj(ink.page_as_xobject(i, doc).as_pageobject())
        page.gen_content()
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
