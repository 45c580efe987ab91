"""The pages of 附件1 and 附件2, laid out from the document data with `samples.layout`."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from models.codes import CANONICAL_INDUSTRIES
from samples import content as c
from samples import data
from samples.layout import PAGE_H, PAGE_W, Cell, Group, Layout, Mark, Page, Rule, Style, grid_table, width

NOTE = "注：申报单位（联合体牵头单位及涉及单位）加盖公章。"
COMMITMENT = (
    "本单位自愿申报第二批制造业数字化转型促进中心，提交的所有申报材料（含佐证材料）均真实、准确、完整。"
    "本单位近三年无不良信用记录，无较大及以上安全、环保等事故，且无其他违法违规行为。",
    "以上如有不实，本单位愿意承担由此产生的一切后果。",
)


def make_style(rng: random.Random) -> Style:
    body = rng.choice(("song", "song", "song", "hei", "mhei", "kai"))
    return Style(body=body, title=rng.choice(("hei", "mhei", "song")), size=rng.choice((10.5, 11.0, 12.0, 12.0, 13.0)),
                 leading=rng.uniform(1.45, 1.85), margin_x=rng.uniform(66, 92), margin_top=rng.uniform(62, 82),
                 margin_bottom=rng.uniform(60, 80), cell_size=rng.choice((9.5, 10.0, 10.5, 11.0)),
                 header_text=rng.choice(("", "", "制造业数字化转型促进中心建设方案")),
                 footer=rng.choice(("dash", "of", "plain", "none")))


def seal_mark(rng: random.Random, cx: float, cy: float, text: str, slot: str | None, oval: bool = False) -> Mark:
    d = rng.uniform(104, 120)
    w, h = (d * 1.12, d * 0.78) if oval else (d, d)
    cx += rng.uniform(-12, 12)
    cy += rng.uniform(-10, 10)
    bottom = rng.choice(("", "", "", "业务专用章", "合同专用章")) if slot and slot.startswith("appendix") else ""
    return Mark("seal", (cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2), text=text, slot=slot,
                shape="oval" if oval else "round", bottom=bottom)


class AppWriter:
    """Lays out one application package page by page."""

    def __init__(self, rng: random.Random, app: c.Application, style: Style) -> None:
        self.rng, self.app, self.lay = rng, app, Layout(style)
        self.fmt = app.fmt
        self.oval = rng.random() < 0.15

    def seal(self, cx: float, cy: float, slot: str | None, text: str | None = None) -> None:
        if slot is not None and slot in self.app.unsealed_slots:
            return
        text = self.app.seal_override.get(slot or "", text or self.app.cover.applicant or self.app.lead.name or "")
        self.lay.page.marks.append(seal_mark(self.rng, cx, cy, text, slot, self.oval))

    # ------------------------------------------------------------ cover
    def cover(self) -> None:
        lay, app, rng = self.lay, self.app, self.rng
        lay.new_page("cover", numbered=False)
        lay.line("附件1", lay.style.title, 14, gap=4)
        lay.y += rng.uniform(110, 170)
        lay.line("制造业数字化转型促进中心", lay.style.title, 24, align="center", gap=0)
        lay.line("建设方案", lay.style.title, 24, align="center", gap=40)
        lay.y += rng.uniform(120, 190)
        x = lay.left + rng.uniform(10, 40)
        date = app.cover.fill_date
        date_text = "" if date is None else (f"{date.year} 年 {date.month} 月 {date.day} 日" if rng.random() < 0.6
                                             else c.fmt_date(date, app.fmt))
        keep_notes = rng.random() < 0.7
        phone_sep = rng.choice((" ", "，", "/", "  "))
        contact = " ".join(p for p in (app.cover.contact, app.cover.phone) if p) if phone_sep == " " else phone_sep.join(
            p for p in (app.cover.contact, app.cover.phone) if p)
        fields = [("申报单位：", app.cover.applicant or "", "（加盖单位公章）" if keep_notes else "", "cover.applicant"),
                  ("推荐单位：", app.cover.recommender or "", "（省级工业和信息化主管部门盖章）" if keep_notes else "",
                   "cover.recommender"),
                  ("联系人及联系电话：", contact, "", "cover.contact"),
                  ("填报日期：", date_text, "", "cover.fill_date")]
        size = 15.0
        for label, value, note, path in fields:
            lay.y += 44
            op = lay.text(x, lay.y, label, lay.style.body, size)
            vx = x + op.width
            val = lay.text(vx + 4, lay.y, value, lay.style.body, size)
            if value:
                lay.page.provenance[path] = val.bbox
                if path == "cover.contact" and app.cover.phone and app.cover.contact:
                    lay.page.provenance["cover.contact"] = [val.bbox[0], val.bbox[1],
                                                            val.bbox[0] + width(app.cover.contact, lay.style.body, size),
                                                            val.bbox[3]]
                    lay.page.provenance["cover.phone"] = [val.bbox[2] - width(app.cover.phone, lay.style.body, size),
                                                          val.bbox[1], val.bbox[2], val.bbox[3]]
            end = max(val.bbox[2], vx + 220)
            lay.page.ops.append(Rule(vx, lay.y + 4, min(end + 6, lay.right + 30), lay.y + 4, 0.5))
            if note:
                lay.y += 22
                lay.text(vx + 20, lay.y, note, lay.style.body, 11)
            if path == "cover.applicant":
                self.seal(min(val.bbox[2] - 30, lay.right - 50), lay.y - 10, "cover_applicant")
            if path == "cover.recommender":
                self.seal(min(val.bbox[2] - 20, lay.right - 60), lay.y - 8, "cover_recommender", app.department)

    # ------------------------------------------------------------ 一、基本情况
    def basic_info(self) -> None:
        lay, app, rng, fmt = self.lay, self.app, self.rng, self.fmt
        lay.new_page("basic_info")
        lay.line("一、基本情况（根据牵头单位情况填写）", lay.style.title, 14, gap=24)
        lay.y += 10
        lead = app.lead

        def amount(v: float | None) -> str:
            return "" if v is None else c.fmt_amount(v, fmt) + ("万元" if not fmt.space_before_unit else " 万元")

        def pct(v: float | None) -> str:
            return "" if v is None else f"{v:g}%"

        def count(v: int | None, unit: str) -> str:
            return "" if v is None else f"{v}{unit}"

        est = "" if lead.established is None else c.fmt_date(lead.established, fmt)
        box_t, box_f = self._boxes()
        legal = f"{box_t if lead.is_legal_person else box_f}是  {box_f if lead.is_legal_person else box_t}否"
        ticks_legal = [0 if lead.is_legal_person else 4] if fmt.checkbox == "hand" else []
        types = ["制造业企业", "服务商", "其它（请标明）"]
        type_text, type_ticks = "", []
        for t in types:
            chosen = lead.unit_type is not None and t.startswith(lead.unit_type)
            if chosen and fmt.checkbox == "hand":
                type_ticks.append(len(type_text))
            type_text += (box_t if chosen else box_f) + t
            if t.startswith("其它") and lead.unit_type == "其它" and lead.unit_type_other:
                type_text = type_text[:-1] + "：" + lead.unit_type_other + "）"
            type_text += "    "
        inds = rng.choice(("、", "，", " ")).join(app.industries_written)
        cap = "" if lead.registered_capital is None else (c.fmt_amount(lead.registered_capital, fmt) + "万元")
        g: list[Group] = [
            Group(None, [[Cell("牵头单位名称", 2, label=True), Cell(lead.name or "", 4, "basic_info.lead_unit.name"),
                          Cell("统一社会信用代码", 2, label=True),
                          Cell(lead.credit_code or "", 4, "basic_info.lead_unit.credit_code")]]),
            Group(None, [[Cell("成立时间", 2, label=True), Cell(est, 2, "basic_info.lead_unit.established"),
                          Cell("是否注册法人", 2, label=True),
                          Cell(legal, 2, "basic_info.lead_unit.is_legal_person", ticks=ticks_legal),
                          Cell("注册资本", 2, label=True), Cell(cap, 2, "basic_info.lead_unit.registered_capital")]]),
            Group(None, [[Cell("注册地（具体到区县）", 2, label=True),
                          Cell(lead.registered_address or "", 4, "basic_info.lead_unit.registered_address"),
                          Cell("服务的主要行业", 2, label=True), Cell(inds, 4, "basic_info.lead_unit.main_industries")]]),
            Group(None, [[Cell("牵头单位类型", 2, label=True),
                          Cell(type_text.strip(), 10, "basic_info.lead_unit.unit_type", align="left", ticks=type_ticks)]]),
        ]
        member_rows = []
        for i in range(max(6, len(app.members))):
            m = app.members[i] if i < len(app.members) else None
            member_rows.append([Cell(str(i + 1), 1), Cell(m.name if m else "", 6, f"basic_info.members[{i}].name" if m else None),
                                Cell((m.type or "") if m else "", 3, f"basic_info.members[{i}].type" if m else None)])
        g.append(Group(Cell("联合体其他成员单位名称与类型（不超过6家）", 2, label=True), member_rows))
        head = app.head
        g.append(Group(Cell("单位负责人", 2, label=True), [
            [Cell("姓名", 2, label=True), Cell(head.name or "", 3, "basic_info.head.name"), Cell("手机", 2, label=True),
             Cell(head.mobile or "", 3, "basic_info.head.mobile")],
            [Cell("职务", 2, label=True), Cell(head.title or "", 3, "basic_info.head.title"),
             Cell("电子邮箱", 2, label=True), Cell(head.email or "", 3, "basic_info.head.email")]]))

        def block(label: str, table: str, items: list[tuple[str, str, Any]]) -> Group:
            rows = [[Cell("", 4), Cell("2024年", 3, label=True), Cell("2025年", 3, label=True)]]
            for text, attr, render in items:
                rows.append([Cell(text, 4, label=True)] + [
                    Cell(render(getattr(getattr(app, table)[i], attr)), 3, f"basic_info.{table}[{i}].{attr}")
                    for i in (0, 1)])
            return Group(Cell(label, 2, label=True), rows)

        g.append(block("近两年财务经营情况", "finance", [("主营业务收入", "revenue", amount),
                                                  ("主营业务净利润率", "net_margin", pct), ("资产负债率", "debt_ratio", pct)]))
        g.append(block("服务能力", "service", [
            ("服务数字化转型改造实施企业数量（当期）", "enterprises", lambda v: count(v, "家")),
            ("开展的数字化改造实施服务项目合同金额（当期）", "contract_amount", amount),
            ("组织人才培养人次（当期）", "trainees", lambda v: count(v, "人次"))]))
        g.append(block("资源条件", "resources", [
            ("汇聚投融资机构数量（累计）", "investors", lambda v: count(v, "个")),
            ("对接成功的企业融资金额（累计）", "financing", amount),
            ("汇聚高校、科研院所数量（累计）", "universities", lambda v: count(v, "个")),
            ("汇聚制造业数字化转型服务商数量（累计）", "providers", lambda v: count(v, "个"))]))
        fractions = [rng.uniform(0.9, 1.2) for _ in range(12)]
        grid_table(lay, fractions, g, min_h=rng.uniform(24, 34), label_cols=2, breakable=False)

    def _boxes(self) -> tuple[str, str]:
        return {"☑": ("☑", "☐"), "■": ("■", "□"), "√": ("√", "□"), "hand": ("□", "□")}[self.fmt.checkbox]

    # ------------------------------------------------------------ 二、建设方案
    def plan(self, keep_limits: bool) -> None:
        lay = self.lay
        lay.new_page("plan")
        lay.line("二、建设方案", lay.style.title, 14, gap=24)
        for key, (title, limit) in c.SECTION_TITLES.items():
            paragraphs = self.app.sections.get(key)
            if paragraphs is None:
                continue
            lay.y += 6
            lay.line(f"{title}（{limit}字）" if keep_limits else title, lay.style.title, lay.style.size + 1)
            for p in paragraphs:
                lay.paragraph(p)

    def attachments_list(self) -> None:
        lay = self.lay
        if lay.y > lay.bottom - 300 or self.rng.random() < 0.6:
            lay.new_page("attachments_list")
        else:
            lay.y += 20
            lay.page.role = lay.page.role  # stays a plan page with the list at its end
        lay.line("三、有关说明或证明材料", lay.style.title, 14)
        items = ("1.申报对象法人证书或营业执照副本，2024年和2025年财务报表。", "2.联合体合作协议（所有涉及单位均需盖章）。",
                 "3.真实性承诺（见附1）。", "4.申报对象服务能力证明材料（见附2）。", "5.建设主体资源条件证明材料（见附3）。",
                 "6.其他说明或证明材料。")
        for item in items:
            lay.paragraph(item)

    # ------------------------------------------------------------ 附1
    def commitment(self) -> None:
        lay, app, rng = self.lay, self.app, self.rng
        lay.new_page("commitment")
        lay.line("附1", lay.style.title, 14, gap=20)
        lay.line("真实性承诺", lay.style.title, 20, align="center", gap=50)
        lay.y += 16
        for p in COMMITMENT:
            lay.paragraph(p)
        lay.y += rng.uniform(40, 80)
        x = lay.left + rng.uniform(120, 200)
        op = lay.line("申报单位（加盖公章）：", indent=x - lay.left)
        self.seal(op.bbox[2] + 40, op.y - 8, "commitment")
        lay.y += 30
        op = lay.line("法定代表人（签名：              ）", indent=x - lay.left)
        if not app.signature_missing:
            sx = op.x + width("法定代表人（签名：", lay.style.body, lay.style.size)
            lay.page.marks.append(Mark("signature", (sx, op.y - 30, sx + 90, op.y + 8), text=app.legal_rep))
        date = app.cover.fill_date
        if date is not None:
            lay.y += 30
            lay.line(f"{date.year}年{date.month}月{date.day}日", indent=x - lay.left + 40)
        lay.y += 20
        lay.line("（联合体涉及所有单位均需盖章并签字）", size=lay.style.size - 1, indent=x - lay.left - 40)
        if app.members:
            lay.y += 20
            lay.line("联合体成员单位（加盖公章）：", indent=0)
            step = (lay.right - lay.left) / 4
            for i, m in enumerate(app.members):
                cx = lay.left + step * (i % 4 + 0.5)
                cy = lay.y + 60 + (i // 4) * 105
                if cy < PAGE_H - 70:
                    lay.page.marks.append(seal_mark(rng, cx, cy, m.name, None))

    # ------------------------------------------------------------ 附2 / 附3 tables
    def table(self, role: str, heading: str | None, title: str, columns: list[tuple[str, float]],
              groups: list[Group]) -> None:
        lay, rng = self.lay, self.rng
        lay.new_page(role)
        if heading:
            lay.line(heading, lay.style.title, 14, gap=20)
        lay.paragraph(title, lay.style.title, lay.style.size, indent_chars=0)
        lay.y += 8
        header = [Cell(name, 1, label=True) for name, _ in columns]
        reserve = 60.0

        def note() -> None:
            lay.y += 18
            lay.line(NOTE, size=lay.style.size - 1.5, gap=0)
            if role == "appendix2_table2":
                lay.y += 16
                lay.line("2.可附主要合同扫描件。", size=lay.style.size - 1.5, gap=0, indent=24)
            self.seal(lay.right - rng.uniform(60, 120), lay.y - rng.uniform(10, 40), role)

        grid_table(lay, [w for _, w in columns], groups, header=header, repeat_header=self.repeat_header,
                   min_h=rng.uniform(20, 28), reserve=reserve, on_page_end=note, repeat_label=rng.random() < 0.3)
        note()

    def appendix(self) -> None:
        app, fmt = self.app, self.fmt
        self.repeat_header = self.rng.random() < 0.6

        def d(v: dt.date | None) -> str:
            return "" if v is None else c.fmt_date(v, fmt)

        def money(v: float | None) -> str:
            return "" if v is None else c.fmt_amount(v, fmt, unit=fmt.amount_unit)

        tables: list[tuple[str, str | None, str, list[tuple[str, float]], list[Group]]] = []
        groups: list[Group] = []
        for cat in dict.fromkeys(r.category for r in app.products):
            members = [(i, r) for i, r in enumerate(app.products) if r.category == cat]
            groups.append(Group(Cell(cat or "", 1, f"appendix.products[{members[0][0]}].category", label=True),
                                [[Cell(str(r.seq), 1, f"appendix.products[{i}].seq"),
                                  Cell(r.name or "", 1, f"appendix.products[{i}].name", align="left")]
                                 for i, r in members]))
        tables.append(("appendix2_table1", "附2　服务能力证明材料", "表1：契合行业的产品、解决方案、数据集等清单（截至2025年底累计）",
                       [("类别", 1.3), ("序号", 0.5), ("名称", 2.6)], groups))
        rows = [[Cell(d(r.date), 1, f"appendix.contracts[{i}].date"), Cell(r.contract_no or "", 1, f"appendix.contracts[{i}].contract_no"),
                 Cell(r.enterprise or "", 1, f"appendix.contracts[{i}].enterprise", align="left"),
                 Cell(money(r.amount), 1, f"appendix.contracts[{i}].amount")] for i, r in enumerate(app.contracts)]
        tables.append(("appendix2_table2", None, "表2：已开展数字化改造实施服务的企业及项目清单（2024年、2025年）",
                       [("日期（年/月/日）", 1.1), ("合同编号", 1.2), ("服务企业名称", 2.2), ("合同金额(万元)", 0.9)],
                       [Group(None, [row]) for row in rows]))
        rows = [[Cell(d(r.date), 1, f"appendix.trainings[{i}].date"), Cell(r.name or "", 1, f"appendix.trainings[{i}].name", align="left"),
                 Cell(str(r.participants or ""), 1, f"appendix.trainings[{i}].participants")] for i, r in enumerate(app.trainings)]
        tables.append(("appendix2_table3", None, "表3：组织开展的人才培训活动清单（2024年和2025年）",
                       [("日期（年/月/日）", 1.0), ("培训或活动名称", 2.6), ("参训人数", 0.8)], [Group(None, [r]) for r in rows]))
        groups = []
        for cat in ("投融资机构", "高校科研院所"):
            rows2 = [(i, r) for i, r in enumerate(app.institutions) if r.category == cat]
            if rows2:
                groups.append(Group(Cell(cat, 1, f"appendix.institutions[{rows2[0][0]}].category", label=True),
                                    [[Cell(str(r.seq), 1, f"appendix.institutions[{i}].seq"),
                                      Cell(r.name or "", 1, f"appendix.institutions[{i}].name", align="left")] for i, r in rows2]))
        tables.append(("appendix3_table1", "附3　资源条件证明材料", "表1：汇聚的投融资机构、高校科研院所清单（截至2025年底累计）",
                       [("类别", 1.2), ("序号", 0.5), ("名称", 2.7)], groups))
        sep = self.rng.choice(("、", "，", " "))
        rows = [[Cell(str(r.seq), 1, f"appendix.providers[{i}].seq"), Cell(r.name or "", 1, f"appendix.providers[{i}].name", align="left"),
                 Cell(sep.join(app.provider_industries_written[i]), 1, f"appendix.providers[{i}].industries"),
                 Cell(r.capability or "", 1, f"appendix.providers[{i}].capability", align="left")] for i, r in enumerate(app.providers)]
        tables.append(("appendix3_table2", None, "表2：汇聚的数字化转型服务商清单（截至2025年底累计）",
                       [("序号", 0.45), ("服务商名称", 1.7), ("主要服务行业（3个以内）", 1.1), ("核心能力（50字以内）", 2.1)],
                       [Group(None, [r]) for r in rows]))
        rows = [[Cell(str(r.seq), 1, f"appendix.financings[{i}].seq"), Cell(r.investor or "", 1, f"appendix.financings[{i}].investor", align="left"),
                 Cell(r.investee or "", 1, f"appendix.financings[{i}].investee", align="left"),
                 Cell(money(r.amount), 1, f"appendix.financings[{i}].amount")] for i, r in enumerate(app.financings)]
        tables.append(("appendix3_table3", None, "表3：对接成功投融资清单及金额（截至2025年底累计）",
                       [("序号", 0.45), ("投资机构名称", 1.9), ("被投企业名称", 1.9), ("投融资金额（万元）", 1.0)],
                       [Group(None, [r]) for r in rows]))
        for role, heading, title, columns, grps in tables:
            if role in app.missing_roles:
                continue
            self.table(role, heading, title, columns, grps)

    # ------------------------------------------------------------ interleaved pages
    def licence(self) -> None:
        lay, app = self.lay, self.app
        lay.new_page("other", numbered=False)
        lay.page.ops.append(Rule(50, 60, PAGE_W - 50, 60, 2.5))
        lay.page.ops.append(Rule(50, PAGE_H - 60, PAGE_W - 50, PAGE_H - 60, 2.5))
        lay.page.ops.append(Rule(50, 60, 50, PAGE_H - 60, 2.5))
        lay.page.ops.append(Rule(PAGE_W - 50, 60, PAGE_W - 50, PAGE_H - 60, 2.5))
        lay.y = 120
        lay.line("营 业 执 照", lay.style.title, 30, align="center", gap=40)
        lay.line("（副  本）", lay.style.body, 14, align="center", gap=26)
        lay.y += 20
        lead = app.lead
        fields = [("统一社会信用代码", lead.credit_code or ""), ("名称", lead.name or ""),
                  ("类型", "有限责任公司（自然人投资或控股）"), ("法定代表人", app.legal_rep),
                  ("注册资本", f"{(lead.registered_capital or 1000):g}万元整"),
                  ("成立日期", "" if lead.established is None else c.fmt_date(lead.established, c.Fmt(date_style="cn"))),
                  ("住所", f"{lead.registered_address or app.city}{self.rng.randint(1, 999)}号")]
        for label, value in fields:
            lay.line(f"{label}　{value}", size=12, indent=20, gap=28)
        lay.y += 10
        lay.line("经营范围", size=12, indent=20, gap=28)
        lay.paragraph(self.rng.choice(data.BUSINESS_SCOPES), size=11)
        lay.y = PAGE_H - 170
        lay.line(f"登记机关　{app.city}市场监督管理局", size=12, align="right", indent=30, gap=0)
        lay.page.marks.append(seal_mark(self.rng, PAGE_W - 150, PAGE_H - 175, f"{app.city}市场监督管理局", None))

    def finance_page(self) -> None:
        lay, app, rng = self.lay, self.app, self.rng
        lay.new_page("other", numbered=False)
        lay.line("资产负债表", lay.style.title, 18, align="center", gap=30)
        lay.line(f"编制单位：{app.lead.name}　　2025年12月31日　　单位：元", size=9.5, gap=24)
        lay.y += 6
        items = ("货币资金", "应收账款", "存货", "流动资产合计", "固定资产", "无形资产", "资产总计", "短期借款",
                 "应付账款", "负债合计", "实收资本", "未分配利润", "所有者权益合计")
        groups = [Group(None, [[Cell(i, 1, align="left"), Cell(str(n + 1)),
                                Cell(f"{rng.uniform(1e5, 9e7):,.2f}"), Cell(f"{rng.uniform(1e5, 9e7):,.2f}")]])
                  for n, i in enumerate(items)]
        grid_table(lay, [2.0, 0.5, 1.5, 1.5], groups, header=[Cell("项目"), Cell("行次"), Cell("期末余额"), Cell("上年年末余额")],
                   min_h=22)

    def agreement(self) -> None:
        lay, app, rng = self.lay, self.app, self.rng
        lay.new_page("other", numbered=False)
        lay.line("联合体合作协议", lay.style.title, 20, align="center", gap=40)
        lay.y += 10
        lay.paragraph(f"甲方（牵头单位）：{app.lead.name}", indent_chars=0)
        for i, m in enumerate(app.members):
            lay.paragraph(f"成员单位{i + 1}：{m.name}", indent_chars=0)
        for clause in ("为共同申报建设制造业数字化转型促进中心，经各方友好协商，就组建联合体事宜达成如下协议。",
                       "一、甲方为联合体牵头单位，负责数促中心的整体规划、组织协调和申报工作。",
                       "二、各成员单位按照分工承担相应的数字化转型服务任务，并共同履行服务承诺。",
                       "三、各方按照投入比例和任务完成情况分配收益，具体比例另行约定。",
                       "四、本协议自各方盖章之日起生效，有效期至数促中心建设期满。"):
            lay.paragraph(clause)
        lay.y += 20
        units = [app.lead.name or "", *(m.name for m in app.members)]
        step = (lay.right - lay.left) / 4
        for i, name in enumerate(units):
            cx, cy = lay.left + step * (i % 4 + 0.5), lay.y + 60 + (i // 4) * 105
            if cy < PAGE_H - 70:
                lay.page.marks.append(seal_mark(rng, cx, cy, name, None))

    def write(self) -> list[Page]:
        app, rng = self.app, self.rng
        self.cover()
        self.basic_info()
        self.plan(keep_limits=rng.random() < 0.75)
        self.attachments_list()
        others = {"licence": self.licence, "finance": self.finance_page}
        for kind in app.other_pages:
            others[kind]()
        if app.agreement_page:
            self.agreement()
        if "commitment" not in app.missing_roles:
            self.commitment()
        self.appendix()
        return self.lay.finish()


# ------------------------------------------------------------ 附件2


def recommendation_pages(rng: random.Random, rec: c.Recommendation, style: Style) -> list[Page]:
    lay = Layout(style)
    lay.new_page("recommendation_letter", numbered=False)
    lay.line("附件2", lay.style.title, 14, gap=4)
    lay.y += 30
    lay.line(f"{rec.department}", lay.style.title, 18, align="center", gap=30)
    lay.line("制造业数字化转型促进中心推荐意见", lay.style.title, 18, align="center", gap=30)
    lay.y += 20
    lay.line("工业和信息化部规划司：", gap=30)
    names = "、".join(e.name for e in rec.entries)
    lay.paragraph(f"现推荐{names}建设制造业数字化转型促进中心，详细情况见附表。")
    lay.paragraph("经我单位审核，数促中心申报对象（联合体含牵头单位和所有成员单位）近三年无失信情况，且无较大以上安全、环保等事故，"
                  "所有申报材料均真实、准确、完整。")
    lay.paragraph(f"联系人及联系电话：{rec.contact}")
    lay.paragraph(f"附：{rec.province}制造业数字化转型促进中心推荐表")
    lay.y += 20 if rec.single_page else 50
    op = lay.line(rec.department, align="right", indent=20)
    lay.y += 10
    date = lay.line(f"{rec.date.year}年{rec.date.month}月{rec.date.day}日", align="right", indent=40)
    lay.page.provenance["recommendation.date"] = date.bbox
    if "recommendation_letter" not in rec.unsealed_slots:
        lay.page.marks.append(seal_mark(rng, (op.bbox[0] + op.bbox[2]) / 2, op.y, rec.department, "recommendation_letter"))
    if not rec.single_page:
        lay.new_page("recommendation_table", numbered=False)
        lay.line("附", lay.style.title, 14, gap=4)
    else:
        lay.y += 24
    lay.line(f"{rec.province}制造业数字化转型促进中心推荐表", lay.style.title, 16, align="center", gap=40)
    lay.page.provenance["recommendation.province"] = lay.page.ops[-1].bbox
    lay.y += 12
    header = [Cell("序号", label=True), Cell("申报对象名称", label=True), Cell("所服务的主要行业", label=True),
              Cell("省市两级给予建设主体的相关政策（含财政资金及金融支持等）", label=True)]
    rows = [Group(None, [[Cell(str(i + 1), 1, f"recommendation.recommended[{i}].rank"),
                          Cell(e.name, 1, f"recommendation.recommended[{i}].name", align="left"),
                          Cell("、".join(e.industries_written), 1, f"recommendation.recommended[{i}].industries"),
                          Cell(e.policies, 1, f"recommendation.recommended[{i}].policies", align="left")]])
            for i, e in enumerate(rec.entries)]
    grid_table(lay, [0.45, 1.8, 1.1, 2.6], rows, header=header, min_h=30 if rec.single_page else 40)
    lay.y += 16
    lay.paragraph("注：1.推荐表请按优先顺序排序。", size=10, indent_chars=0)
    lay.paragraph("2.2025年度工业增加值排名前10的工业大省（江苏、广东、山东、浙江、福建、河南、四川、湖北、湖南、河北）"
                  "可推荐不超过3家。", size=10, indent_chars=1)
    if not rec.single_page and "recommendation_table" not in rec.unsealed_slots:
        lay.page.marks.append(seal_mark(rng, lay.right - 90, lay.y - 40, rec.department, "recommendation_table"))
    return lay.finish()


def canonical(names: list[str]) -> list[str]:
    return [n for n in names if n in CANONICAL_INDUSTRIES]
