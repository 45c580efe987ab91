"""Generate a sample corpus: `python -m samples.generate --count N --seed S -o DIR`.

For each document `<id>.pdf` (or `.tif`) a `<id>.truth.json` that validates with
`models.parse_truth`. Same seed, same bytes.
"""

from __future__ import annotations

import argparse
import io
import json
import random
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PIL import Image

from models import ApplicationTruth, ExpectedCheck, RecommendationTruth
from samples import content as c
from samples import data, defects, rules
from samples.form_pages import AppWriter, make_style, recommendation_pages
from samples.layout import PAGE_H, PAGE_W, Page, Picture, Style, Text, runs
from samples.render import FinalPage, clean_pdf, final_pdf, rasterise, stable_seed
from samples.scan import ScanOptions, blank_page, degrade, ink_image
from samples.truth import PlacedPage, application_truth, recommendation_truth

APP_KINDS = ("scan", "digital", "scan", "mixed", "scan", "image", "digital", "scan", "mixed", "scan")
REC_KINDS = ("digital", "image", "scan", "mixed")
# Defects in the order they are handed out; each application with defects takes a few.
APP_DEFECTS = (
    "contract_total", "invalid_credit_code", "seal_missing", "word_limit", "investor_count",
    "enterprise_count", "not_legal_person", "signature_missing", "goals_not_by_year", "provider_capability",
    "trainee_total", "too_many_industries", "attachment_missing", "few_areas", "invalid_phone",
    "university_count", "unknown_industry", "agreement_missing", "section_missing", "fill_date_late",
    "provider_count", "insufficient_experience", "blank_field", "contract_date", "invalid_email",
    "financing_total", "too_many_members", "duplicate_contract_no", "provider_industries", "cumulative_decrease",
    "training_date", "seal_name_mismatch", "seal_missing", "blank_field",
)
# Plan rewrites first (they regenerate all four sections), page-level ones last.
ORDER = ("word_limit", "few_areas", "goals_not_by_year", "section_missing")


@dataclass
class DocPlan:
    index: int
    doc_type: str
    kind: str
    doc_id: str = ""
    grey: bool = False
    rotated: bool = False
    dpi: int = 200
    quality: int = 60
    blank: bool = False  # insert a blank sheet after the attachments list
    defects: list[str] = field(default_factory=list)


def plan_corpus(count: int, seed: int, max_dpi: int | None = None) -> list[DocPlan]:
    rng = random.Random(stable_seed("plan", seed))
    n_rec = 0 if count < 2 else 1 if count < 6 else round(count / 6)
    n_app = count - n_rec
    plans = [DocPlan(i, "application", APP_KINDS[i % len(APP_KINDS)]) for i in range(n_app)]
    plans += [DocPlan(n_app + j, "recommendation", REC_KINDS[j % len(REC_KINDS)]) for j in range(n_rec)]
    scans = [p for p in plans if p.kind in ("scan", "image")]
    for k, p in enumerate(scans):
        # Multi-page TIFFs hold RGB JPEG without chroma subsampling: keep those grey.
        p.grey = k == 1 or rng.random() < 0.2 or (p.kind == "image" and p.doc_type == "application")
        p.rotated = k == 0 or rng.random() < 0.25
        p.blank = k == 2 and p.doc_type == "application"
    for p in plans:
        p.dpi = rng.choice((150, 150, 180, 200)) if p.kind not in ("digital", "image") else 150
        p.dpi = min(p.dpi, max_dpi or p.dpi)
        p.quality = rng.randint(38, 58)
        p.doc_id = f"{'a' if p.doc_type == 'application' else 'r'}{p.index + 1:02d}-{p.kind}"
    pool = list(APP_DEFECTS)
    carriers = [p for p in plans if p.doc_type == "application"][2:] or [p for p in plans if p.doc_type == "application"]
    if len([p for p in plans if p.doc_type == "application"]) <= 2:
        carriers = carriers[1:]
    cap = 5
    for i, name in enumerate(pool):
        if carriers and len(carriers[i % len(carriers)].defects) < cap:
            carriers[i % len(carriers)].defects.append(name)
    return plans


def _province_slots(plans: list[DocPlan], rng: random.Random) -> tuple[dict[int, str | None], dict[int, tuple[str, list[int]]]]:
    """Which province each application comes from, and which applications each recommendation lists."""
    apps = [p.index for p in plans if p.doc_type == "application"]
    recs = [p.index for p in plans if p.doc_type == "recommendation"]
    where: dict[int, str | None] = {i: None for i in apps}
    listing: dict[int, tuple[str, list[int]]] = {}
    cursor = 0
    choices = [p for p in sorted(data.DEPARTMENTS) if p not in ("浙江省",)]
    for j, r in enumerate(recs):
        if j % 3 == 1:
            province = "宁波市"
        elif j % 3 == 0:
            province = "浙江省" if j == 0 else rng.choice([p for p in data.BIG_PROVINCES if p != "浙江省"])
        else:
            province = rng.choice(choices)
        take = apps[cursor: cursor + (3 if province in data.BIG_PROVINCES else 2)]
        cursor += len(take)
        for i in take:
            where[i] = "浙江省" if province == "宁波市" else province
        listing[r] = (province, take)
    return where, listing


def build(count: int, seed: int, max_dpi: int | None = None) -> tuple[list[DocPlan], dict[int, Any]]:
    plans = plan_corpus(count, seed, max_dpi)
    rng = random.Random(stable_seed("batch", seed))
    where, listing = _province_slots(plans, rng)
    docs: dict[int, Any] = {}
    consortium_recs = {r for j, r in enumerate(sorted(listing)) if j % 3 == 0}
    forced_members = {i for r in consortium_recs for i in listing[r][1][:2]}
    ningbo = {i for province, listed in listing.values() if province == "宁波市" for i in listed}
    for p in plans:
        if p.doc_type != "application":
            continue
        drng = random.Random(stable_seed(seed, p.index))
        app = c.make_application(drng, p.doc_id, where[p.index], scanned=p.kind in ("scan", "image"),
                                 members=drng.randint(1, 4) if p.index in forced_members else None)
        if p.index in ningbo:
            city = next(x for x in data.PLACES if x[1] == "宁波市")
            app.city, app.district = city[1], city[2]
            app.lead.registered_address = f"{city[0]}{city[1]}{city[2]}"
        if p.kind == "digital" and not any(q.kind == "digital" for q in plans[: p.index]):
            app.other_pages = ["licence", "finance"]  # pasted-in scans: pages of kind "mixed"
        names = sorted(p.defects, key=lambda n: ORDER.index(n) if n in ORDER else len(ORDER))
        defects.inject(drng, app, names)
        docs[p.index] = app
    apps = [docs[p.index] for p in plans if p.doc_type == "application"]
    if len(apps) >= 6:
        # Batch defects: one applicant's credit code reused, one contract claimed twice.
        source = next(a for a in apps[1:] if "invalid_credit_code" not in a.defects)
        apps[-1].lead.credit_code = source.lead.credit_code
        apps[-1].defects.append("batch:duplicate_applicant")
        _share_contract(apps[2], apps[-2])
    for p in plans:
        if p.doc_type != "recommendation":
            continue
        drng = random.Random(stable_seed(seed, p.index))
        province, listed = listing[p.index]
        rec = c.make_recommendation(drng, p.doc_id, province, [docs[i] for i in listed], scanned=p.kind == "scan")
        j = sorted(listing).index(p.index)
        if j % 3 == 0:
            defects.rec_seal_missing(drng, rec)
        if j % 3 == 1:
            rec.defects.append("plan_city")
            defects.rec_quota(drng, rec, [c.company(drng, "宁波市") for _ in range(3)])
        if j % 3 == 2:
            defects.rec_quota(drng, rec, [c.company(drng, "合肥市") for _ in range(3)])
        rec.single_page = p.kind == "image"
        docs[p.index] = rec
    return plans, docs


def _share_contract(source: c.Application, target: c.Application) -> None:
    row = next((r for r in source.contracts if r.date and r.date.year in (2024, 2025)), None)
    if row is None or "appendix2_table2" in target.missing_roles:
        return
    target.contracts.append(row.model_copy())
    target.contracts.sort(key=lambda r: r.date.isoformat() if r.date else "")
    year = target.service[0 if row.date and row.date.year == 2024 else 1]
    if year.contract_amount is not None and "contract_total" not in target.defects:
        year.contract_amount = round(year.contract_amount + (row.amount or 0), 2)
    if year.enterprises is not None and "enterprise_count" not in target.defects:
        year.enterprises += 1
    target.defects.append("batch:shared_contract")


# ---------------------------------------------------------------- rendering one document


def _order(pages: list[Page], rng: random.Random, shuffle: bool) -> list[Page]:
    if not shuffle:
        return pages
    blocks: list[list[Page]] = []
    for page in pages:
        if blocks and blocks[-1][0].role == page.role:
            blocks[-1].append(page)
        else:
            blocks.append([page])
    movable = [i for i, b in enumerate(blocks) if b[0].role.startswith("appendix") or b[0].role == "other"]
    if len(movable) >= 2:
        i, j = sorted(rng.sample(movable, 2))
        blocks[i], blocks[j] = blocks[j], blocks[i]
    return [p for b in blocks for p in b]


def _embedded(page: Page, opts: ScanOptions, rng: random.Random) -> tuple[Page, list[tuple[list[float], str, str, str | None]]]:
    """A text page carrying a scanned picture of `page` (a licence or statement pasted into Word)."""
    img = next(rasterise(clean_pdf([page]), 110))
    jpeg = degrade(img, page.marks, ScanOptions(dpi=110, quality=55, noise=3, blur=0.3, ink=opts.ink), rng, 0, 0.0)
    k = 0.8
    x0, y0 = (PAGE_W * (1 - k)) / 2, 90.0
    out = Page(role=page.role, numbered=False)
    caption = "营业执照副本（复印件）" if "营 业 执 照" in page.text else "2025年度财务报表（节选）"
    out.ops.append(Text(x0, 70, runs(caption, "hei", 12)))
    out.ops.append(Picture((x0, y0, x0 + PAGE_W * k, y0 + PAGE_H * k), Image.open(io.BytesIO(jpeg))))
    seals = [([x0 + m.bbox[0] * k, y0 + m.bbox[1] * k, x0 + m.bbox[2] * k, y0 + m.bbox[3] * k], m.shape, m.text, m.slot)
             for m in page.marks if m.kind == "seal"]
    return out, seals


def render(plan: DocPlan, doc: Any, seed: int, out_dir: Path) -> tuple[Path, bytes, list[PlacedPage], dict[str, Any]]:
    rng = random.Random(stable_seed("render", seed, plan.index))
    style: Style = make_style(rng)
    if isinstance(doc, c.Application):
        pages = _order(AppWriter(rng, doc, style).write(), rng, doc.shuffle)
    else:
        pages = recommendation_pages(rng, doc, style)
    opts = ScanOptions(dpi=plan.dpi, grey=plan.grey, quality=plan.quality,
                       ink=rng.choice(("red", "red", "faded", "pink", "dark")),
                       pen=rng.choice(("blue", "blue", "black", "blueblack")), noise=rng.uniform(1.5, 4.0),
                       blur=rng.uniform(0.2, 0.8), fold=rng.random() < 0.35, skew_max=rng.choice((0.6, 1.2, 2.0)))
    scanned = [plan.kind in ("scan", "image") or (plan.kind == "mixed" and bool(p.marks)) for p in pages]
    raster_iter = rasterise(clean_pdf([p for p, s in zip(pages, scanned, strict=True) if s]), plan.dpi) if any(
        scanned) else iter([])
    placed: list[PlacedPage] = []
    finals: list[FinalPage] = []
    images: list[bytes] = []
    rotated_pages: list[int] = []
    for page, is_scan in zip(pages, scanned, strict=True):
        seals = [(list(m.bbox), m.shape, m.text, m.slot) for m in page.marks if m.kind == "seal"]
        if is_scan:
            rotation = 0
            if plan.rotated and (rng.random() < 0.08 or (not rotated_pages and page.role == "basic_info")):
                rotation = rng.choice((90, 180, 270))
                rotated_pages.append(len(placed) + 1)
            skew = round(rng.uniform(-opts.skew_max, opts.skew_max), 2)
            jpeg = degrade(next(raster_iter), page.marks, opts, rng, rotation, skew)
            w, h = (PAGE_H, PAGE_W) if rotation in (90, 270) else (PAGE_W, PAGE_H)
            finals.append(FinalPage(jpeg=jpeg, size=(w, h)))
            images.append(jpeg)
            placed.append(PlacedPage(page, "scan", rotation, skew, page.text, seals))
        elif page.role == "other" and "联合体合作协议" not in page.text:
            # A licence or statement in a Word-made file is a pasted-in scan: a page of kind "mixed".
            inner_text = page.text
            emb, seals = _embedded(page, opts, rng)
            finals.append(FinalPage(page=emb))
            placed.append(PlacedPage(emb, "mixed", 0, 0.0, emb.text + "\n" + inner_text, seals))
        else:
            scale = 3.0
            ink = [(m, ink_image(m, scale, rng, electronic=True, ink="red", pen=opts.pen)) for m in page.marks
                   if m.kind != "tick"]
            finals.append(FinalPage(page=page, ink=ink))
            placed.append(PlacedPage(page, "text", 0, 0.0, page.text, seals))
        if (plan.kind in ("scan", "image") and isinstance(doc, c.Application) and page.role != "cover"
                and (rng.random() < 0.03 or (plan.blank and page.role == "attachments_list"))):
            jpeg = blank_page(opts, rng)
            finals.append(FinalPage(jpeg=jpeg))
            images.append(jpeg)
            placed.append(PlacedPage(None, "scan", 0, 0.0, ""))
    if plan.kind == "image" and len(images) == 1:
        path = out_dir / f"{plan.doc_id}.jpg"
        payload = images[0]
    elif plan.kind == "image":
        path = out_dir / f"{plan.doc_id}.tif"
        frames = [Image.open(io.BytesIO(j)) for j in images]
        buf = io.BytesIO()
        frames[0].save(buf, "TIFF", save_all=True, append_images=frames[1:], compression="jpeg", quality=plan.quality,
                       dpi=(plan.dpi, plan.dpi))
        payload = buf.getvalue()
    else:
        path = out_dir / f"{plan.doc_id}.pdf"
        payload = final_pdf(finals)
    generator = {
        "kind": plan.kind, "dpi": plan.dpi if plan.kind != "digital" else None,
        "colour": "grey" if plan.grey else "colour", "font": style.body, "title_font": style.title,
        "jpeg_quality": plan.quality if plan.kind != "digital" else None, "seed": seed, "index": plan.index,
        "rotated_pages": rotated_pages, "ink": opts.ink, "pen": opts.pen,
        "format": path.suffix.lstrip("."), "defects": list(doc.defects),
    }
    if isinstance(doc, c.Application):
        generator.update(checkbox=doc.fmt.checkbox, amount_style=doc.fmt.amount_style, date_style=doc.fmt.date_style,
                         members=len(doc.members), agreement_page=doc.agreement_page, shuffled=doc.shuffle,
                         other_pages=list(doc.other_pages), blank_fields=list(doc.blank_paths))
    return path, payload, placed, generator


def truth_record(doc: Any, path: Path, payload: bytes, placed: list[PlacedPage],
                 generator: dict[str, Any]) -> ApplicationTruth | RecommendationTruth:
    """The truth of one written document, with its own expected checks (batch ones come later)."""
    if isinstance(doc, c.Application):
        record: ApplicationTruth | RecommendationTruth = application_truth(doc, path.name, payload, placed, generator)
        record.expected_checks = rules.application_checks(record, has_agreement=doc.agreement_page)  # type: ignore[arg-type]
    else:
        record = recommendation_truth(doc, path.name, payload, placed, generator)
        record.expected_checks = rules.recommendation_checks(record)  # type: ignore[arg-type]
    return record


def write_truths(paths: list[Path], records: list[ApplicationTruth | RecommendationTruth]) -> None:
    """Add the batch-level checks to every record involved, then write `<id>.truth.json` beside each document."""
    for i, extra in rules.batch_checks(records).items():
        for item in extra:
            if item not in records[i].expected_checks:
                records[i].expected_checks.append(item)
    for path, record in zip(paths, records, strict=True):
        text = json.dumps(record.model_dump(mode="json"), ensure_ascii=False, indent=2)
        path.with_name(path.stem + ".truth.json").write_text(text + "\n", encoding="utf-8")


def generate_corpus(out_dir: Path, count: int, seed: int, *, max_dpi: int | None = None) -> list[Path]:
    """Write `count` documents and their truth files into `out_dir`; returns the document paths.

    `max_dpi` caps the scan resolution (quick tests); the committed corpus leaves it unset.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    plans, docs = build(count, seed, max_dpi)
    records: list[ApplicationTruth | RecommendationTruth] = []
    paths: list[Path] = []
    for plan in plans:
        doc = docs[plan.index]
        path, payload, placed, generator = render(plan, doc, seed, out_dir)
        path.write_bytes(payload)
        paths.append(path)
        records.append(truth_record(doc, path, payload, placed, generator))
    write_truths(paths, records)
    return paths


def expected(record: ApplicationTruth | RecommendationTruth) -> list[ExpectedCheck]:
    return list(record.expected_checks)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m samples.generate", description=__doc__)
    parser.add_argument("--count", type=int, default=12)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("-o", "--out", type=Path, default=Path("samples/corpus"))
    args = parser.parse_args(argv)
    start = time.monotonic()
    paths = generate_corpus(args.out, args.count, args.seed)
    size = sum(p.stat().st_size for p in args.out.iterdir() if p.is_file())
    print(f"{len(paths)} documents in {args.out} ({size / 1e6:.1f} MB) in {time.monotonic() - start:.0f} s",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
