"""The ministry's Word template, filled in the way applicants fill it: a python-docx document.

Written from the form (FORM.md) and the document data (`samples.content`), independently of
`samples.layout` / `samples.form_pages`: Word's table model (merged cells, table borders, repeated
header rows, text wrapping in cells), Word's checkbox glyphs (☐ ☑ ☒ in a symbol font), numbers
with thousands separators, CJK fonts named the way Word documents name them.

The result is a `BuiltDocx`: the document and, in order, the sections whose first line starts a
page (`SectionStart`), which is how the pages of the converted PDF are given their roles.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.table import CT_Row
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Cm, Pt
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from samples import content as c

# Installed CJK families (fonts-noto-cjk, fonts-wqy-*, fonts-arphic-*, fonts-lxgw-wenkai), plus the Windows names
# Word documents usually carry, which LibreOffice substitutes through fontconfig.
BODY_FONTS = ("AR PL UMing CN", "AR PL SungtiL GB", "Noto Serif CJK SC", "Noto Sans CJK SC", "WenQuanYi Micro Hei",
              "LXGW WenKai", "宋体", "仿宋_GB2312")
TITLE_FONTS = ("Noto Sans CJK SC", "WenQuanYi Zen Hei", "AR PL KaitiM GB", "Noto Serif CJK SC", "黑体", "方正小标宋简体")
CHECKBOX_FONTS = ("MS Gothic", "Segoe UI Symbol", "Wingdings 2", "DejaVu Sans")
# (checked, unchecked) as Word prints them: content-control checkboxes (☒/☑ over ☐) or a typed square.
WORD_CHECKBOXES = {"☒": ("☒", "☐"), "☑": ("☑", "☐"), "■": ("■", "□"), "hand": ("☐", "☐")}
NOTE = "注：申报单位（联合体牵头单位及涉及单位）加盖公章。"
COMMITMENT = (
    "本单位自愿申报第二批制造业数字化转型促进中心，提交的所有申报材料（含佐证材料）均真实、准确、完整。"
    "本单位近三年无不良信用记录，无较大及以上安全、环保等事故，且无其他违法违规行为。",
    "以上如有不实，本单位愿意承担由此产生的一切后果。",
)
ATTACHMENTS = ("1.申报对象法人证书或营业执照副本，2024年和2025年财务报表。", "2.联合体合作协议（所有涉及单位均需盖章）。",
               "3.真实性承诺（见附1）。", "4.申报对象服务能力证明材料（见附2）。", "5.建设主体资源条件证明材料（见附3）。",
               "6.其他说明或证明材料。")


@dataclass(frozen=True)
class SectionStart:
    """A part of the document that begins on a new page; `marker` starts one of its first lines."""

    role: str
    marker: str


@dataclass
class WordStyle:
    """How one applicant's copy of the template looks."""

    body_font: str
    title_font: str
    checkbox_font: str
    size: float  # body text, pt
    cell_size: float
    line_spacing: float
    margin_cm: float
    rule_pt: float  # border width
    rule_colour: str  # hex; light greys are the faint rules of a worn template
    inner_rules: str  # all | no_inner_h (Word's "no inside horizontal borders") | faint
    repeat_header: bool
    cover_note: str  # same_line | next_line | dropped
    thousands: bool  # 5,180 rather than 5180
    row_cm: float  # the template's minimum row height

    @staticmethod
    def draw(rng: random.Random) -> WordStyle:
        return WordStyle(
            body_font=rng.choice(BODY_FONTS), title_font=rng.choice(TITLE_FONTS),
            checkbox_font=rng.choice(CHECKBOX_FONTS), size=rng.choice((10.5, 11.0, 12.0, 12.0, 14.0)),
            cell_size=rng.choice((9.0, 10.0, 10.5, 10.5, 12.0)), line_spacing=rng.choice((1.0, 1.15, 1.25, 1.5)),
            margin_cm=rng.uniform(2.0, 3.0), rule_pt=rng.choice((0.25, 0.5, 0.5, 0.75)),
            rule_colour=rng.choice(("000000", "000000", "404040", "808080", "A6A6A6")),
            inner_rules=rng.choices(("all", "no_inner_h", "faint"), (6, 1, 2))[0],
            repeat_header=rng.random() < 0.55, cover_note=rng.choices(("same_line", "next_line", "dropped"), (5, 3, 2))[0],
            thousands=rng.random() < 0.55, row_cm=rng.uniform(0.5, 0.95))


@dataclass
class BuiltDocx:
    document: DocxDocument
    sections: list[SectionStart]
    style: WordStyle
    checkbox: str
    notes: dict[str, str] = field(default_factory=dict)


# ---------------------------------------------------------------- docx primitives


def _fonts(run_or_style: object, name: str) -> None:
    """Set a run's (or style's) Latin and East Asian font: Word keeps them apart."""
    font = run_or_style.font  # type: ignore[attr-defined]
    font.name = name
    element = run_or_style.element if hasattr(run_or_style, "element") else run_or_style._element  # type: ignore[attr-defined]
    rpr = element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        rfonts.set(qn(attr), name)


def _border_element(tag: str, val: str, size_eighths: int, colour: str) -> BaseOxmlElement:
    el = OxmlElement(f"w:{tag}")
    el.set(qn("w:val"), val)
    el.set(qn("w:sz"), str(size_eighths))
    el.set(qn("w:space"), "0")
    el.set(qn("w:color"), colour)
    return el


def _table_borders(table: Table, style: WordStyle) -> None:
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    size = max(2, round(style.rule_pt * 8))
    inner_colour = "BFBFBF" if style.inner_rules == "faint" else style.rule_colour
    for tag in ("top", "left", "bottom", "right"):
        borders.append(_border_element(tag, "single", size, style.rule_colour))
    inner_h = "nil" if style.inner_rules == "no_inner_h" else "single"
    borders.append(_border_element("insideH", inner_h, max(2, size - 2) if style.inner_rules == "faint" else size,
                                   inner_colour))
    borders.append(_border_element("insideV", "single", size, inner_colour))
    tbl_pr.append(borders)


def _repeat_header(row_element: CT_Row) -> None:
    tr_pr = row_element.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)


class Writer:
    """Fills one document; keeps the style and the list of page-starting sections."""

    def __init__(self, rng: random.Random, style: WordStyle, checkbox: str) -> None:
        self.rng, self.style, self.checkbox = rng, style, checkbox
        self.doc = Document()
        self.sections: list[SectionStart] = []
        self._setup()

    def _setup(self) -> None:
        section = self.doc.sections[0]
        section.page_width, section.page_height = Cm(21.0), Cm(29.7)
        margin = Cm(self.style.margin_cm)
        section.left_margin = section.right_margin = margin
        section.top_margin = section.bottom_margin = Cm(self.style.margin_cm + 0.3)
        normal = self.doc.styles["Normal"]
        _fonts(normal, self.style.body_font)
        normal.font.size = Pt(self.style.size)  # type: ignore[attr-defined]
        normal.paragraph_format.line_spacing = self.style.line_spacing  # type: ignore[attr-defined]
        normal.paragraph_format.space_after = Pt(0)  # type: ignore[attr-defined]

    @property
    def text_width_cm(self) -> float:
        return 21.0 - 2 * self.style.margin_cm

    # ------------------------------------------------------------ paragraphs
    def para(self, text: str = "", *, size: float | None = None, bold: bool = False, title: bool = False,
             align: WD_ALIGN_PARAGRAPH | None = None, indent_chars: float = 0.0, left_cm: float = 0.0,
             before: float = 0.0, after: float = 0.0, page_break: bool = False) -> Paragraph:
        p = self.doc.add_paragraph()
        fmt = p.paragraph_format
        if align is not None:
            p.alignment = align
        size = size or self.style.size
        if indent_chars:
            fmt.first_line_indent = Pt(size * indent_chars)
        if left_cm:
            fmt.left_indent = Cm(left_cm)
        fmt.space_before, fmt.space_after = Pt(before), Pt(after)
        fmt.page_break_before = page_break
        if text:
            self.run(p, text, size=size, bold=bold, title=title)
        return p

    def run(self, p: Paragraph, text: str, *, size: float | None = None, bold: bool = False, title: bool = False,
            underline: bool = False) -> None:
        """Text into `p`, checkbox glyphs in the checkbox font (as a Word content control prints them)."""
        chunk, boxy = "", False
        for ch in text + "\0":
            is_box = ch in "☐☑☒■□"
            if ch == "\0" or is_box != boxy:
                if chunk:
                    r = p.add_run(chunk)
                    _fonts(r, self.style.checkbox_font if boxy else (self.style.title_font if title else self.style.body_font))
                    r.font.size = Pt(size or self.style.size)
                    r.font.bold = bold or None
                    r.font.underline = underline or None
                chunk, boxy = "", is_box
            if ch != "\0":
                chunk += ch

    def start(self, role: str, marker: str) -> None:
        self.sections.append(SectionStart(role, marker))

    def page_break(self) -> None:
        self.doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    # ------------------------------------------------------------ tables
    def table(self, widths: list[float], rows: int) -> Table:
        table = self.doc.add_table(rows=rows, cols=len(widths))
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        _table_borders(table, self.style)
        scale = self.text_width_cm / sum(widths)
        height = Cm(self.style.row_cm)
        for row in table.rows:
            row.height, row.height_rule = height, WD_ROW_HEIGHT_RULE.AT_LEAST
        for col, w in zip(table.columns, widths, strict=True):
            col.width = Cm(w * scale)
            for cell in col.cells:
                cell.width = Cm(w * scale)
        return table

    def cell(self, cell: _Cell, text: str, *, bold: bool = False, align: str = "center", size: float | None = None) -> None:
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        p = cell.paragraphs[0]
        p.alignment = {"center": WD_ALIGN_PARAGRAPH.CENTER, "left": WD_ALIGN_PARAGRAPH.LEFT,
                       "justify": WD_ALIGN_PARAGRAPH.JUSTIFY}[align]
        p.paragraph_format.line_spacing = 1.0
        if text:
            self.run(p, text, size=size or self.style.cell_size, bold=bold)

    def header_row(self, table: Table, names: list[str]) -> None:
        for cell, name in zip(table.rows[0].cells, names, strict=True):
            self.cell(cell, name, bold=True)
        if self.style.repeat_header:
            _repeat_header(table.rows[0]._tr)


# ---------------------------------------------------------------- printing values


def amount(value: float | None, style: WordStyle, fmt: c.Fmt) -> str:
    if value is None:
        return ""
    if style.thousands:
        text = f"{value:,.2f}".rstrip("0").rstrip(".") if fmt.amount_style != "fixed2" else f"{value:,.2f}"
    else:
        text = c.fmt_amount(value, fmt)
    return text


def count(value: int | None, unit: str, style: WordStyle) -> str:
    if value is None:
        return ""
    return (f"{value:,}" if style.thousands else str(value)) + unit


def date(value: dt.date | None, fmt: c.Fmt) -> str:
    return "" if value is None else c.fmt_date(value, fmt)


# ---------------------------------------------------------------- the application


def application_docx(app: c.Application, rng: random.Random, *, handwritten_ticks: bool) -> BuiltDocx:
    """附件1 as an applicant's Word file. `handwritten_ticks`: the copy is printed and ticked by hand."""
    style = WordStyle.draw(rng)
    options = ["☒", "☑", "☑", "■"] + (["hand", "hand"] if handwritten_ticks else [])
    checkbox = rng.choice(options)
    w = Writer(rng, style, checkbox)
    notes: dict[str, str] = {}
    _cover(w, app, notes)
    _basic_info(w, app)
    _plan(w, app, keep_limits=rng.random() < 0.75)
    _attachments(w, own_page=rng.random() < 0.6)
    for kind in app.other_pages:
        (_licence if kind == "licence" else _finance_page)(w, app)
    if app.agreement_page:
        _agreement(w, app)
    if "commitment" not in app.missing_roles:
        _commitment(w, app)
    _appendix(w, app)
    return BuiltDocx(w.doc, w.sections, style, checkbox, notes)


def _cover(w: Writer, app: c.Application, notes: dict[str, str]) -> None:
    rng, style = w.rng, w.style
    w.start("cover", "附件1")
    w.para("附件1", size=16, title=True)
    for _ in range(rng.randint(3, 6)):
        w.para()
    w.para("制造业数字化转型促进中心", size=rng.choice((22.0, 24.0, 26.0)), title=True, bold=True,
           align=WD_ALIGN_PARAGRAPH.CENTER)
    w.para("建设方案", size=rng.choice((22.0, 24.0, 26.0)), title=True, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER,
           before=12)
    for _ in range(rng.randint(4, 8)):
        w.para()
    left = rng.uniform(0.5, 2.5)
    day = app.cover.fill_date
    day_text = "" if day is None else (f"{day.year}年{day.month}月{day.day}日" if rng.random() < 0.5 else
                                        f"{day.year} 年 {day.month} 月 {day.day} 日" if rng.random() < 0.5 else
                                        c.fmt_date(day, app.fmt))
    sep = rng.choice((" ", "  ", "，", "/"))
    contact = sep.join(v for v in (app.cover.contact, app.cover.phone) if v)
    fields = [("申报单位：", app.cover.applicant or "", "（加盖单位公章）"),
              ("推荐单位：", app.cover.recommender or "", "（省级工业和信息化主管部门盖章）"),
              ("联系人及联系电话：", contact, ""), ("填报日期：", day_text, "")]
    size = rng.choice((14.0, 15.0, 16.0))
    notes["cover_note"] = style.cover_note
    for label, value, note in fields:
        p = w.para(left_cm=left, before=rng.choice((10.0, 14.0, 18.0)), size=size)
        w.run(p, label, size=size)
        w.run(p, value or "　" * 8, size=size, underline=True)
        if note and style.cover_note == "same_line":
            w.run(p, note, size=size - 3)
        elif note and style.cover_note == "next_line":
            w.para(note, size=size - 3, left_cm=left + 3.0)


def _boxes(w: Writer) -> tuple[str, str]:
    return WORD_CHECKBOXES[w.checkbox]


def _basic_info(w: Writer, app: c.Application) -> None:
    rng, style, fmt = w.rng, w.style, app.fmt
    w.start("basic_info", "一、基本情况")
    w.para("一、基本情况（根据牵头单位情况填写）", size=style.size + 2, title=True, bold=True, page_break=True, after=8)
    lead = app.lead
    on, off = _boxes(w)
    legal = f"{on if lead.is_legal_person else off}是  {off if lead.is_legal_person else on}否"
    if lead.is_legal_person is None:
        legal = f"{off}是  {off}否"
    types = []
    for t in ("制造业企业", "服务商", "其它"):
        chosen = lead.unit_type == t
        label = t
        if t == "其它":
            label = f"其它（请标明：{lead.unit_type_other}）" if chosen and lead.unit_type_other else "其它（请标明）"
        types.append((on if chosen else off) + label)
    cap = amount(lead.registered_capital, style, fmt)
    cap = f"{cap}{' ' if fmt.space_before_unit else ''}万元" if cap else ""
    inds = rng.choice(("、", "，", " ")).join(app.industries_written)
    members = max(6, len(app.members))
    n_rows = 4 + members + 2 + 4 + 4 + 5
    table = w.table([2.4, 2.0, 2.1, 2.0, 1.7, 2.1], n_rows)
    rows = table.rows

    def put(r: int, c0: int, c1: int, text: str, *, align: str = "center") -> None:
        cell = rows[r].cells[c0] if c0 == c1 else rows[r].cells[c0].merge(rows[r].cells[c1])
        w.cell(cell, text, align=align)

    put(0, 0, 0, "牵头单位名称")
    put(0, 1, 2, lead.name or "")
    put(0, 3, 3, "统一社会信用代码")
    put(0, 4, 5, lead.credit_code or "")
    put(1, 0, 0, "成立时间")
    put(1, 1, 1, date(lead.established, fmt))
    put(1, 2, 2, "是否注册法人")
    put(1, 3, 3, legal)
    put(1, 4, 4, "注册资本")
    put(1, 5, 5, cap)
    put(2, 0, 0, "注册地（具体到区县）")
    put(2, 1, 2, lead.registered_address or "")
    put(2, 3, 3, "服务的主要行业")
    put(2, 4, 5, inds)
    put(3, 0, 0, "牵头单位类型")
    put(3, 1, 5, "  ".join(types), align="left")
    r = 4
    label_cell = rows[r].cells[0].merge(rows[r + members - 1].cells[0])
    w.cell(label_cell, "联合体其他成员单位名称与类型（不超过6家）")
    for i in range(members):
        m = app.members[i] if i < len(app.members) else None
        put(r + i, 1, 1, str(i + 1))
        put(r + i, 2, 4, (m.name or "") if m else "", align="left")
        put(r + i, 5, 5, (m.type or "") if m else "")
    r += members
    head = app.head
    w.cell(rows[r].cells[0].merge(rows[r + 1].cells[0]), "单位负责人")
    put(r, 1, 1, "姓名")
    put(r, 2, 2, head.name or "")
    put(r, 3, 3, "手机")
    put(r, 4, 5, head.mobile or "")
    put(r + 1, 1, 1, "职务")
    put(r + 1, 2, 2, head.title or "")
    put(r + 1, 3, 3, "电子邮箱")
    put(r + 1, 4, 5, head.email or "")
    r += 2

    def money(v: float | None) -> str:
        text = amount(v, style, fmt)
        return f"{text}{' ' if fmt.space_before_unit else ''}万元" if text else ""

    def pct(v: float | None) -> str:
        return "" if v is None else f"{v:g}%"

    blocks = [
        ("近两年财务经营情况", "finance", [("主营业务收入", "revenue", money), ("主营业务净利润率", "net_margin", pct),
                                   ("资产负债率", "debt_ratio", pct)]),
        ("服务能力", "service", [("服务数字化转型改造实施企业数量（当期）", "enterprises", lambda v: count(v, "家", style)),
                             ("开展的数字化改造实施服务项目合同金额（当期）", "contract_amount", money),
                             ("组织人才培养人次（当期）", "trainees", lambda v: count(v, "人次", style))]),
        ("资源条件", "resources", [("汇聚投融资机构数量（累计）", "investors", lambda v: count(v, "个", style)),
                               ("对接成功的企业融资金额（累计）", "financing", money),
                               ("汇聚高校、科研院所数量（累计）", "universities", lambda v: count(v, "个", style)),
                               ("汇聚制造业数字化转型服务商数量（累计）", "providers", lambda v: count(v, "个", style))]),
    ]
    for label, attr, items in blocks:
        w.cell(rows[r].cells[0].merge(rows[r + len(items)].cells[0]), label)
        put(r, 1, 3, "")
        put(r, 4, 4, "2024年")
        put(r, 5, 5, "2025年")
        for k, (text, key, render) in enumerate(items, start=1):
            put(r + k, 1, 3, text, align="left")
            for col, year in ((4, 0), (5, 1)):
                put(r + k, col, col, render(getattr(getattr(app, attr)[year], key)))
        r += len(items) + 1
    # Unused rows at the end of the pre-sized table are removed, as a user deletes spare rows.
    for row in list(rows)[r:]:
        row._tr.getparent().remove(row._tr)


def _plan(w: Writer, app: c.Application, keep_limits: bool) -> None:
    style = w.style
    w.start("plan", "二、建设方案")
    w.para("二、建设方案", size=style.size + 2, title=True, bold=True, page_break=True, after=6)
    for key, (title, limit) in c.SECTION_TITLES.items():
        paragraphs = app.sections.get(key)
        if paragraphs is None:
            continue
        w.para(f"{title}（{limit}字）" if keep_limits else title, size=style.size + 1, title=True, bold=True, before=6,
               indent_chars=2 if w.rng.random() < 0.5 else 0)
        for p in paragraphs:
            w.para(p, indent_chars=2, align=WD_ALIGN_PARAGRAPH.JUSTIFY)


def _attachments(w: Writer, own_page: bool) -> None:
    if own_page:
        w.start("attachments_list", "三、有关说明或证明材料")
    w.para("三、有关说明或证明材料", size=w.style.size + 2, title=True, bold=True, page_break=own_page, before=12,
           after=6)
    for item in ATTACHMENTS:
        w.para(item, indent_chars=2)


def _licence(w: Writer, app: c.Application) -> None:
    lead = app.lead
    w.start("other", "营业执照")
    w.para("营业执照", size=26, title=True, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, page_break=True, after=6)
    w.para("（副本）", size=14, align=WD_ALIGN_PARAGRAPH.CENTER, after=18)
    fields = [("统一社会信用代码", lead.credit_code or ""), ("名称", lead.name or ""),
              ("类型", "有限责任公司（自然人投资或控股）"), ("法定代表人", app.legal_rep),
              ("注册资本", f"{(lead.registered_capital or 1000):g}万元整"),
              ("成立日期", date(lead.established, c.Fmt(date_style="cn"))),
              ("住所", f"{lead.registered_address or app.city}{w.rng.randint(1, 999)}号")]
    for label, value in fields:
        w.para(f"{label}　　{value}", size=12, left_cm=1.0, before=8)
    w.para(f"登记机关　　{app.city}市场监督管理局", size=12, align=WD_ALIGN_PARAGRAPH.RIGHT, before=60)


def _finance_page(w: Writer, app: c.Application) -> None:
    rng = w.rng
    w.start("other", "资产负债表")
    w.para("资产负债表", size=18, title=True, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, page_break=True, after=12)
    w.para(f"编制单位：{app.lead.name}　　2025年12月31日　　单位：元", size=9.5, after=6)
    items = ("货币资金", "应收账款", "存货", "流动资产合计", "固定资产", "无形资产", "资产总计", "短期借款",
             "应付账款", "负债合计", "实收资本", "未分配利润", "所有者权益合计")
    table = w.table([2.0, 0.6, 1.5, 1.5], len(items) + 1)
    w.header_row(table, ["项目", "行次", "期末余额", "上年年末余额"])
    for k, item in enumerate(items, start=1):
        cells = table.rows[k].cells
        w.cell(cells[0], item, align="left")
        w.cell(cells[1], str(k))
        w.cell(cells[2], f"{rng.uniform(1e5, 9e7):,.2f}")
        w.cell(cells[3], f"{rng.uniform(1e5, 9e7):,.2f}")


def _agreement(w: Writer, app: c.Application) -> None:
    w.start("other", "联合体合作协议")
    w.para("联合体合作协议", size=20, title=True, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, page_break=True, after=18)
    w.para(f"甲方（牵头单位）：{app.lead.name}")
    for i, m in enumerate(app.members):
        w.para(f"成员单位{i + 1}：{m.name}")
    for clause in ("为共同申报建设制造业数字化转型促进中心，经各方友好协商，就组建联合体事宜达成如下协议。",
                   "一、甲方为联合体牵头单位，负责数促中心的整体规划、组织协调和申报工作。",
                   "二、各成员单位按照分工承担相应的数字化转型服务任务，并共同履行服务承诺。",
                   "三、各方按照投入比例和任务完成情况分配收益，具体比例另行约定。",
                   "四、本协议自各方盖章之日起生效，有效期至数促中心建设期满。"):
        w.para(clause, indent_chars=2, before=4)
    w.para("各方（盖章）：", before=18)


def _commitment(w: Writer, app: c.Application) -> None:
    rng = w.rng
    w.start("commitment", "附1")
    w.para("附1", size=w.style.size + 2, title=True, bold=True, page_break=True)
    w.para("真实性承诺", size=20, title=True, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, before=18, after=24)
    for p in COMMITMENT:
        w.para(p, indent_chars=2, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    left = rng.uniform(4.5, 7.5)
    w.para("申报单位（加盖公章）：", left_cm=left, before=rng.choice((36.0, 48.0, 60.0)))
    w.para("法定代表人（签名：　　　　　　）", left_cm=left, before=24)
    day = app.cover.fill_date
    if day is not None:
        w.para(f"{day.year}年{day.month}月{day.day}日", left_cm=left + 1.5, before=18)
    w.para("（联合体涉及所有单位均需盖章并签字）", size=w.style.size - 1, left_cm=left - 1.5, before=12)
    if app.members:
        w.para("联合体成员单位（加盖公章）：", before=18)


def _appendix(w: Writer, app: c.Application) -> None:
    fmt, style = app.fmt, w.style

    def money(v: float | None) -> str:
        text = amount(v, style, fmt)
        return f"{text}{' ' if fmt.space_before_unit else ''}万元" if text and fmt.amount_unit else text

    def grouped(categories: list[str], rows: list[tuple[str | None, int | None, str | None]]) -> list[list[str]]:
        del categories
        return [[cat or "", "" if seq is None else str(seq), name or ""] for cat, seq, name in rows]

    sep = w.rng.choice(("、", "，", " "))
    tables: list[tuple[str, str | None, str, list[str], list[float], list[list[str]], bool]] = [
        ("appendix2_table1", "附2　服务能力证明材料", "表1：契合行业的产品、解决方案、数据集等清单（截至2025年底累计）",
         ["类别", "序号", "名称"], [1.4, 0.6, 2.8],
         grouped([], [(r.category, r.seq, r.name) for r in app.products]), True),
        ("appendix2_table2", None, "表2：已开展数字化改造实施服务的企业及项目清单（2024年、2025年）",
         ["日期（年/月/日）", "合同编号", "服务企业名称", "合同金额(万元)"], [1.2, 1.3, 2.3, 1.0],
         [[date(r.date, fmt), r.contract_no or "", r.enterprise or "", money(r.amount)] for r in app.contracts], False),
        ("appendix2_table3", None, "表3：组织开展的人才培训活动清单（2024年和2025年）",
         ["日期（年/月/日）", "培训或活动名称", "参训人数"], [1.1, 2.7, 0.8],
         [[date(r.date, fmt), r.name or "", count(r.participants, "", style)] for r in app.trainings], False),
        ("appendix3_table1", "附3　资源条件证明材料", "表1：汇聚的投融资机构、高校科研院所清单（截至2025年底累计）",
         ["类别", "序号", "名称"], [1.3, 0.6, 2.8],
         grouped([], [(r.category, r.seq, r.name) for r in app.institutions]), True),
        ("appendix3_table2", None, "表2：汇聚的数字化转型服务商清单（截至2025年底累计）",
         ["序号", "服务商名称", "主要服务行业（3个以内）", "核心能力（50字以内）"], [0.5, 1.8, 1.2, 2.2],
         [[str(r.seq or ""), r.name or "", sep.join(app.provider_industries_written[i]), r.capability or ""]
          for i, r in enumerate(app.providers)], False),
        ("appendix3_table3", None, "表3：对接成功投融资清单及金额（截至2025年底累计）",
         ["序号", "投资机构名称", "被投企业名称", "投融资金额（万元）"], [0.5, 2.0, 2.0, 1.1],
         [[str(r.seq or ""), r.investor or "", r.investee or "", money(r.amount)] for r in app.financings], False),
    ]
    for role, heading, title, header, widths, rows, merged in tables:
        if role in app.missing_roles:
            continue
        w.start(role, title[:8])
        if heading:
            w.para(heading, size=style.size + 2, title=True, bold=True, page_break=True, after=6)
            w.para(title, title=True, after=6)
        else:
            w.para(title, title=True, page_break=True, after=6)
        table = w.table(widths, len(rows) + 1)
        w.header_row(table, header)
        for k, values in enumerate(rows, start=1):
            for col, value in enumerate(values):
                if merged and col == 0:
                    continue
                w.cell(table.rows[k].cells[col], value, align="left" if len(value) > 8 else "center")
        if merged:
            _merge_categories(w, table, [r[0] for r in rows])
        w.para(NOTE, size=style.size - 1.5, before=8)
        if role == "appendix2_table2":
            w.para("2.可附主要合同扫描件。", size=style.size - 1.5, left_cm=0.8)


def _merge_categories(w: Writer, table: Table, categories: list[str]) -> None:
    """The 类别 column: one merged cell per category, as the template has it."""
    start = 0
    for k in range(1, len(categories) + 1):
        if k == len(categories) or categories[k] != categories[start]:
            first, last = table.rows[start + 1].cells[0], table.rows[k].cells[0]
            cell = first if first is last else first.merge(last)
            w.cell(cell, categories[start])
            start = k


# ---------------------------------------------------------------- the recommendation


def recommendation_docx(rec: c.Recommendation, rng: random.Random) -> BuiltDocx:
    """附件2: the department's letter and the 推荐表 (on the letter's page when `single_page`)."""
    style = WordStyle.draw(rng)
    w = Writer(rng, style, "☑")
    w.start("recommendation_letter", "附件2")
    w.para("附件2", size=16, title=True)
    w.para(rec.department, size=18, title=True, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, before=18)
    w.para("制造业数字化转型促进中心推荐意见", size=18, title=True, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER,
           after=18)
    w.para("工业和信息化部规划司：", before=6)
    names = "、".join(e.name for e in rec.entries)
    w.para(f"现推荐{names}建设制造业数字化转型促进中心，详细情况见附表。", indent_chars=2)
    w.para("经我单位审核，数促中心申报对象（联合体含牵头单位和所有成员单位）近三年无失信情况，且无较大以上安全、环保等事故，"
           "所有申报材料均真实、准确、完整。", indent_chars=2)
    w.para(f"联系人及联系电话：{rec.contact}", indent_chars=2)
    w.para(f"附：{rec.province}制造业数字化转型促进中心推荐表", indent_chars=2)
    w.para(rec.department, align=WD_ALIGN_PARAGRAPH.RIGHT, before=24 if rec.single_page else 48)
    w.para(f"{rec.date.year}年{rec.date.month}月{rec.date.day}日", align=WD_ALIGN_PARAGRAPH.RIGHT, before=6)
    if not rec.single_page:
        w.start("recommendation_table", f"{rec.province}制造业")
        w.para("附", size=14, title=True, page_break=True)
    w.para(f"{rec.province}制造业数字化转型促进中心推荐表", size=16, title=True, bold=True,
           align=WD_ALIGN_PARAGRAPH.CENTER, before=12, after=12)
    table = w.table([0.5, 1.8, 1.2, 2.6], len(rec.entries) + 1)
    w.header_row(table, ["序号", "申报对象名称", "所服务的主要行业", "省市两级给予建设主体的相关政策（含财政资金及金融支持等）"])
    for k, e in enumerate(rec.entries, start=1):
        cells = table.rows[k].cells
        w.cell(cells[0], str(k))
        w.cell(cells[1], e.name, align="left")
        w.cell(cells[2], "、".join(e.industries_written))
        w.cell(cells[3], e.policies, align="left")
    w.para("注：1.推荐表请按优先顺序排序。", size=10, before=8)
    w.para("2.2025年度工业增加值排名前10的工业大省（江苏、广东、山东、浙江、福建、河南、四川、湖北、湖南、河北）"
           "可推荐不超过3家。", size=10, indent_chars=1)
    return BuiltDocx(w.doc, w.sections, style, "☑")
