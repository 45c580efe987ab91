"""The reviewer site: `OUT/report/index.html` over every submission, and one page per submission.

Everything is static HTML made from Jinja2 templates (autoescaped) with inline CSS and a little
inline JavaScript for sorting and filtering the index, so the site works when opened from disk.
Crops stay where the workers wrote them (next to each record's JSON) and are linked with relative,
percent-encoded paths.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup
from pydantic import BaseModel, ValidationError

from models import (
    CONTENT_AREAS,
    ApplicationRecord,
    Check,
    OutputRecord,
    Provenance,
    RecommendationRecord,
    UnreadableRecord,
)
from pipeline.outputs import load_records

log = logging.getLogger(__name__)

SITE_DIR = "report"
SEVERITIES = ("error", "warning", "info")
SEVERITY_LABELS = {"error": "错误", "warning": "警告", "info": "提示"}
DOC_TYPE_LABELS = {"application": "申报书", "recommendation": "推荐意见", "unknown": "无法读取"}
NULL_MARK = Markup('<span class="null">未读出</span>')
LOW_CONFIDENCE = 0.8

ROLE_LABELS = {
    "cover": "封面", "basic_info": "基本情况表", "plan": "建设方案", "attachments_list": "附件清单",
    "commitment": "承诺书", "appendix2_table1": "附2表1", "appendix2_table2": "附2表2",
    "appendix2_table3": "附2表3", "appendix3_table1": "附3表1", "appendix3_table2": "附3表2",
    "appendix3_table3": "附3表3", "recommendation_letter": "推荐函", "recommendation_table": "推荐表",
    "other": "其他", "blank": "空白页",
}
KIND_LABELS = {"scan": "扫描", "text": "文字", "mixed": "混合"}
SLOT_LABELS = {
    "cover_applicant": "封面 申报单位盖章", "cover_recommender": "封面 推荐单位盖章", "commitment": "承诺书 盖章",
    "appendix2_table1": "附2表1 盖章", "appendix2_table2": "附2表2 盖章", "appendix2_table3": "附2表3 盖章",
    "appendix3_table1": "附3表1 盖章", "appendix3_table2": "附3表2 盖章", "appendix3_table3": "附3表3 盖章",
    "recommendation_letter": "推荐函 盖章", "recommendation_table": "推荐表 盖章",
}

COVER_FIELDS = (("applicant", "申报单位"), ("recommender", "推荐单位"), ("contact", "联系人"),
                ("phone", "联系电话"), ("fill_date", "填报日期"))
LEAD_UNIT_FIELDS = (("name", "单位名称"), ("credit_code", "统一社会信用代码"), ("established", "成立时间"),
                    ("is_legal_person", "是否独立法人"), ("registered_capital", "注册资本（万元）"),
                    ("registered_address", "注册地址"), ("main_industries", "主要服务行业"),
                    ("unit_type", "单位类型"), ("unit_type_other", "其它类型说明"))
HEAD_FIELDS = (("name", "姓名"), ("title", "职务"), ("mobile", "手机"), ("email", "邮箱"))
YEAR_FIELDS = (
    ("finance", "经营情况", (("revenue", "营业收入（万元）"), ("net_margin", "净利润率（%）"),
                           ("debt_ratio", "资产负债率（%）"))),
    ("service", "服务情况", (("enterprises", "服务企业数（家）"), ("contract_amount", "合同金额（万元）"),
                           ("trainees", "培训人次"))),
    ("resources", "资源情况", (("investors", "投融资机构数"), ("financing", "投融资金额（万元）"),
                             ("universities", "高校科研院所数"), ("providers", "服务商数"))),
)
APPENDIX_TABLES = (
    ("products", "附2表1 数字化产品和服务", (("category", "类别"), ("seq", "序号"), ("name", "名称"))),
    ("contracts", "附2表2 服务合同", (("date", "日期"), ("contract_no", "合同编号"), ("enterprise", "服务企业"),
                                   ("amount", "金额（万元）"))),
    ("trainings", "附2表3 培训活动", (("date", "日期"), ("name", "名称"), ("participants", "参训人数"))),
    ("institutions", "附3表1 合作机构", (("category", "类别"), ("seq", "序号"), ("name", "名称"))),
    ("providers", "附3表2 服务商", (("seq", "序号"), ("name", "名称"), ("industries", "服务行业"),
                                  ("capability", "能力"))),
    ("financings", "附3表3 投融资", (("seq", "序号"), ("investor", "投资方"), ("investee", "被投资方"),
                                  ("amount", "金额（万元）"))),
)
RECOMMENDED_FIELDS = (("rank", "排序"), ("name", "名称"), ("industries", "服务行业"), ("policies", "支持政策"))
MENTION_LABELS = {"organisation": "机构", "amount": "金额", "date": "日期", "content_area": "建设内容",
                  "goal_year": "目标年份"}
_PROVINCE = re.compile(r"^(.{2,8}?(?:自治区|特别行政区|省|市))")
_LEADING_NOISE = re.compile(r"^[^\u4e00-\u9fff]+")  # OCR specks before the first ideograph


# ---------------------------------------------------------------- values


def show(value: Any) -> Markup | str:
    """A value as a reviewer reads it: `None` as a visible 未读出 marker, lists joined, numbers plain."""
    if value is None:
        return NULL_MARK
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        return format(value, ",.4f").rstrip("0").rstrip(".")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return "、".join(str(item) for item in value) if value else Markup('<span class="empty">（无）</span>')
    return str(value)


def side(value: Any) -> Markup | str:
    """One side of a comparison: absent is a dash, not the 未读出 marker."""
    return Markup('<span class="muted">—</span>') if value is None else show(value)


def province_of(record: OutputRecord) -> str | None:
    """The recommending province: the letter's for a recommendation, else read off the cover's recommender."""
    if isinstance(record, RecommendationRecord):
        return record.recommendation.province
    if isinstance(record, ApplicationRecord):
        for text in (record.cover.recommender, record.basic_info.lead_unit.registered_address):
            match = _PROVINCE.match(_LEADING_NOISE.sub("", text or ""))
            if match:
                return match.group(1)
    return None


def applicant_of(record: OutputRecord) -> str | None:
    if isinstance(record, ApplicationRecord):
        return record.cover.applicant or record.basic_info.lead_unit.name
    if isinstance(record, RecommendationRecord):
        province = record.recommendation.province
        return f"{province}（推荐意见）" if province else None
    return None


def counts(checks: Iterable[Check]) -> dict[str, int]:
    tally = dict.fromkeys(SEVERITIES, 0)
    for check in checks:
        tally[check.severity] += 1
    return tally


def ordered(checks: Iterable[Check]) -> list[Check]:
    """Errors, then warnings, then info; the surest first within each, then the pipeline's order."""
    return sorted(checks, key=lambda check: (SEVERITIES.index(check.severity), -check.confidence))


def doubtful(check: Check) -> bool:
    """A finding that rests on a reading in doubt, or is itself a prompt to check a reading."""
    return bool(check.doubts) or check.code == "LOW_CONFIDENCE"


# ---------------------------------------------------------------- view models


@dataclass
class Cell:
    value: Any
    provenance: Provenance | None = None

    @property
    def low(self) -> bool:
        confidence = None if self.provenance is None else self.provenance.confidence
        return confidence is not None and confidence < LOW_CONFIDENCE


@dataclass
class Table:
    title: str
    headers: list[str]
    rows: list[list[Cell]]
    key: str = ""
    counted: bool = True  # show the number of rows in the title
    inline: bool = False  # where each value was read, printed next to it (else only as a tooltip)


@dataclass
class Image:
    src: str
    exists: bool
    caption: str


@dataclass
class Flag:
    check: Check
    images: list[tuple[Image | None, str]]  # (crop, caption) per piece of evidence

    @property
    def severity_label(self) -> str:
        return SEVERITY_LABELS[self.check.severity]

    @property
    def doubtful(self) -> bool:
        return doubtful(self.check)


@dataclass
class Entry:
    """One submission: its record, where its JSON lives and the page the site gives it."""

    record: OutputRecord
    base: Path  # the folder the record's relative crop paths start from
    json_path: Path | None = None
    page: str = ""
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def file(self) -> str:
        return self.record.source.file

    @property
    def applicant(self) -> str | None:
        return applicant_of(self.record)

    @property
    def province(self) -> str | None:
        return province_of(self.record)

    @property
    def doc_type_label(self) -> str:
        return DOC_TYPE_LABELS[self.record.doc_type]

    @property
    def codes(self) -> list[str]:
        return sorted({check.code for check in self.record.checks})


class _Links:
    """Relative, percent-encoded links from the site folder to files under OUT."""

    def __init__(self, site: Path) -> None:
        self.site = site.resolve()

    def to(self, target: Path) -> str:
        relative = os.path.relpath(target.resolve(), self.site)
        return quote(relative.replace(os.sep, "/"), safe="/")

    def image(self, base: Path, path: str | None, caption: str) -> Image | None:
        if not path:
            return None
        target = base / path
        return Image(src=self.to(target), exists=target.is_file(), caption=caption)


def _cells(model: BaseModel, fields: Sequence[tuple[str, str]], prefix: str,
           provenance: dict[str, Provenance]) -> list[Cell]:
    return [Cell(getattr(model, name), provenance.get(f"{prefix}.{name}")) for name, _ in fields]


def _definition(model: BaseModel, fields: Sequence[tuple[str, str]], prefix: str, title: str,
                provenance: dict[str, Provenance]) -> Table:
    """A two-column label/value table (one row per field)."""
    cells = _cells(model, fields, prefix, provenance)
    return Table(title=title, headers=["项目", "内容"], inline=True,
                 rows=[[Cell(label), cell] for (_, label), cell in zip(fields, cells, strict=True)])


def _rows(title: str, key: str, items: Sequence[BaseModel], fields: Sequence[tuple[str, str]],
          prefix: str, provenance: dict[str, Provenance]) -> Table:
    return Table(title=title, key=key, headers=[label for _, label in fields],
                 rows=[_cells(item, fields, f"{prefix}[{index}]", provenance) for index, item in enumerate(items)])


def _years(record: ApplicationRecord) -> list[Table]:
    info, provenance = record.basic_info, record.provenance
    tables = []
    for key, title, fields in YEAR_FIELDS:
        entries: list[Any] = getattr(info, key)
        rows = [[Cell(label)] + [Cell(getattr(entry, name), provenance.get(f"basic_info.{key}[{index}].{name}"))
                                 for index, entry in enumerate(entries)] for name, label in fields]
        tables.append(Table(title=title, key=key, headers=["项目"] + [f"{entry.year} 年" for entry in entries],
                            rows=rows, counted=False))
    return tables


def _application(record: ApplicationRecord) -> dict[str, Any]:
    provenance = record.provenance
    info = record.basic_info
    plan = record.plan
    mentions: dict[str, list[Any]] = {}
    lead_fields: Sequence[tuple[str, str]] = LEAD_UNIT_FIELDS
    if info.lead_unit.unit_type not in (None, "其它") and info.lead_unit.unit_type_other is None:
        lead_fields = tuple(item for item in LEAD_UNIT_FIELDS if item[0] != "unit_type_other")  # not asked for
    for mention in plan.mentions:
        mentions.setdefault(mention.section, []).append(mention)
    return {
        "cover": _definition(record.cover, COVER_FIELDS, "cover", "封面", provenance),
        "lead_unit": _definition(info.lead_unit, lead_fields, "basic_info.lead_unit", "牵头单位", provenance),
        "head": _definition(info.head, HEAD_FIELDS, "basic_info.head", "负责人", provenance),
        "members": _rows("联合体成员单位", "members", info.members, (("name", "名称"), ("type", "类型")),
                         "basic_info.members", provenance),
        "years": _years(record),
        "appendix": [_rows(title, key, getattr(record.appendix, key), fields, f"appendix.{key}", provenance)
                     for key, title, fields in APPENDIX_TABLES],
        "sections": plan.sections,
        "mentions": mentions,
        "areas": [(area, area in plan.content_areas) for area in CONTENT_AREAS],
        "goal_years": plan.goal_years,
        "goal_kinds": plan.goal_kinds,
        "slots": [(SLOT_LABELS.get(name, name), value) for name, value in record.seal_slots.model_dump().items()],
    }


def _recommendation(record: RecommendationRecord) -> dict[str, Any]:
    letter = record.recommendation
    provenance = record.provenance
    return {
        "letter": Table(title="推荐意见", headers=["项目", "内容"], inline=True, rows=[
            [Cell("省份（推荐单位）"), Cell(letter.province, provenance.get("recommendation.province"))],
            [Cell("推荐日期"), Cell(letter.date, provenance.get("recommendation.date"))],
            [Cell("推荐函所列名称"), Cell(letter.letter_names)],
        ]),
        "recommended": _rows("推荐名单", "recommended", letter.recommended, RECOMMENDED_FIELDS,
                             "recommendation.recommended", provenance),
        "slots": [(SLOT_LABELS.get(name, name), value) for name, value in record.seal_slots.model_dump().items()],
    }


def record_view(record: OutputRecord) -> dict[str, Any]:
    """The view models the submission page shows a record with (`application` or `recommendation`), for other sites."""
    if isinstance(record, ApplicationRecord):
        return {"application": _application(record)}
    if isinstance(record, RecommendationRecord):
        return {"recommendation": _recommendation(record)}
    return {}


def _flags(entry: Entry, links: _Links) -> list[Flag]:
    flags = []
    for check in ordered(entry.record.checks):
        images = []
        for evidence in check.evidence:
            caption = f"第 {evidence.page} 页"
            images.append((links.image(entry.base, evidence.image, caption), caption))
        flags.append(Flag(check=check, images=images))
    return flags


# ---------------------------------------------------------------- rendering


def _environment() -> Environment:
    env = Environment(loader=PackageLoader("pipeline.report", "templates"),
                      autoescape=select_autoescape(default=True, default_for_string=True),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["show"] = show
    env.filters["side"] = side
    env.globals.update(severity_labels=SEVERITY_LABELS, role_labels=ROLE_LABELS, kind_labels=KIND_LABELS,
                       doc_type_labels=DOC_TYPE_LABELS, mention_labels=MENTION_LABELS, severities=SEVERITIES,
                       slot_label=lambda slot: SLOT_LABELS.get(slot, slot))
    return env


def _page_names(entries: Sequence[Entry]) -> None:
    taken: set[str] = {"index.html"}
    for entry in entries:
        stem = re.sub(r"[^0-9A-Za-z._-]+", "_", entry.file).strip("._") or "submission"
        name, number = f"{stem}.html", 2
        while name.lower() in taken:
            name, number = f"{stem}-{number}.html", number + 1
        taken.add(name.lower())
        entry.page = name


def _render(entries: list[Entry], batch_checks: Sequence[Check], out_dir: Path) -> Path:
    site = out_dir / SITE_DIR
    site.mkdir(parents=True, exist_ok=True)
    links = _Links(site)
    env = _environment()
    _page_names(entries)
    for entry in entries:
        entry.counts = counts(entry.record.checks)
    generated = dt.datetime.now().strftime("%Y-%m-%d %H:%M")
    batch = [Flag(check=check, images=[]) for check in ordered(batch_checks)]
    totals = counts(check for entry in entries for check in entry.record.checks)
    written = {"index.html"}
    submission = env.get_template("submission.html")
    for index, entry in enumerate(entries):
        record = entry.record
        context: dict[str, Any] = {
            "entry": entry, "record": record, "flags": _flags(entry, links), "generated": generated,
            "previous": entries[index - 1] if index > 0 else None,
            "next": entries[index + 1] if index + 1 < len(entries) else None,
            "json_link": links.to(entry.json_path) if entry.json_path is not None else None,
            "seals": [(seal, links.image(entry.base, seal.crop, f"第 {seal.page} 页")) for seal in record.seals],
            "pages": record.source.pages,
            "application": _application(record) if isinstance(record, ApplicationRecord) else None,
            "recommendation": _recommendation(record) if isinstance(record, RecommendationRecord) else None,
            "unreadable": isinstance(record, UnreadableRecord),
            "signature": None,
        }
        if isinstance(record, ApplicationRecord):
            context["signature"] = (record.signatures.commitment_legal_rep,
                                    links.image(entry.base, record.signatures.commitment_legal_rep_crop, "承诺书签字"))
        (site / entry.page).write_text(submission.render(context), encoding="utf-8")
        written.add(entry.page)
    index_page = site / "index.html"
    index_page.write_text(env.get_template("index.html").render(
        entries=entries, batch=batch, totals=totals, generated=generated,
        doc_types=sorted({entry.record.doc_type for entry in entries}),
    ), encoding="utf-8")
    for stale in site.glob("*.html"):  # pages of submissions no longer in OUT
        if stale.name not in written:
            stale.unlink()
    return index_page


# ---------------------------------------------------------------- entry points


def load_batch_checks(out_dir: Path) -> list[Check]:
    """The batch-level checks: from `OUT/batch.json` if present, else `OUT/batch_summary.json`'s `batch_checks`."""
    for name in ("batch.json", "batch_summary.json"):
        path = out_dir / name
        if not path.is_file():
            continue
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (ValueError, OSError) as error:
            log.warning("cannot read %s: %s", path, error)
            continue
        items = data
        if isinstance(data, dict):
            items = data.get("batch_checks", data.get("checks", []))
        if not isinstance(items, list):
            continue
        checks = []
        for item in items:
            try:
                checks.append(Check.model_validate(item))
            except ValidationError as error:
                log.warning("skipping a batch check in %s: %s", path, error)
        return checks
    return []


def write_report(written: Sequence[tuple[Path, OutputRecord]], batch_checks: Sequence[Check], out_dir: Path) -> Path:
    """The site for records and the JSON files they were written to (under `out_dir`); returns the index page."""
    entries = [Entry(record=record, base=path.parent, json_path=path if path.is_file() else None)
               for path, record in written]
    return _render(entries, batch_checks, out_dir)


def build_site(out_dir: Path) -> Path:
    """The site for whatever records OUT holds (read back from their JSON); returns the index page's path."""
    return write_report(load_records(out_dir), load_batch_checks(out_dir), out_dir)
