"""A corpus from both producers: `python -m samples.word --count N --seed S -o DIR --mix dev|holdout`.

The batch (documents, defects, batch links between them, recommendations) is planned by
`samples.generate.build`, exactly as for the committed corpus; then each document is made either by
the Word/LibreOffice producer (`samples.word.package`) with one capture from the mix, or by the old
layout producer (`samples.generate.render`). A mix is a share of Word-made documents and the list of
captures they cycle through; dev and hold-out use different mixes and different seeds.
"""

from __future__ import annotations

import random
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from models import ApplicationTruth, RecommendationTruth
from samples import content as c
from samples import generate
from samples.render import stable_seed
from samples.word.package import Capture, produce


@dataclass(frozen=True)
class Mix:
    word_share: float
    captures: tuple[Capture, ...]  # for applications, handed out in this order (after a seeded shuffle)
    rec_captures: tuple[Capture, ...]  # for recommendations


MIXES: dict[str, Mix] = {
    # Dev: most scanner kinds once, one book-scanner curl, one phone photo; the rest by the old producer.
    "dev": Mix(0.65, (Capture("digital"), Capture("adf-colour-200"), Capture("mfp-grey-150", "tif"),
                      Capture("mfp-dither-300"), Capture("book-grey-240"), Capture("phone"),
                      Capture("fax-bw-200"), Capture("mixed:adf-grey-240"), Capture("flatbed-colour-300")),
               (Capture("adf-grey-240"),)),
    # Hold-out: more Word, greyer, two phone photos (one of a text-layer package), different profiles first.
    "holdout": Mix(0.8, (Capture("phone-digital"), Capture("adf-grey-240"), Capture("copier-grey-200"),
                         Capture("fax-bw-200"), Capture("book-colour-200"),
                         Capture("digital"), Capture("mfp-grey-150"), Capture("mixed:mfp-grey-150"),
                         Capture("mfp-dither-300"), Capture("adf-colour-200"), Capture("flatbed-colour-300")),
                   (Capture("phone", "jpg"), Capture("digital"))),
    # Stress: Word only, weighted to the captures that read worst (phone photos of text-layer packages, mixed
    # Word PDFs, fax and copier greys, curls); a dev set to find failures on, never a hold-out.
    "stress": Mix(1.0, (Capture("phone-digital"), Capture("mixed:mfp-grey-150"), Capture("fax-bw-200"),
                        Capture("copier-grey-200"), Capture("book-colour-200"), Capture("mixed:adf-grey-240"),
                        Capture("phone-digital"), Capture("fax-bw-200", "tif"), Capture("book-grey-240")),
                  (Capture("fax-bw-200"), Capture("phone", "jpg"), Capture("copier-grey-200"))),
    # Drawn: every scan through a scanner profile drawn for its package (resolution, tone, blur, JPEG, skew,
    # curl, and faults: glass streaks, show-through, lamp shading, colour cast) and phone photos with drawn
    # settings: capture settings no code was tuned on, as the other producer's scanners are. Hold-outs.
    "drawn": Mix(0.85, (Capture("drawn"), Capture("phone-drawn"), Capture("drawn"), Capture("mixed:drawn"),
                        Capture("drawn", "tif"), Capture("digital"), Capture("drawn"), Capture("phone-digital")),
                 (Capture("drawn"), Capture("phone-drawn", "jpg"))),
    # Phone photos only: of text-layer packages, of printed and stamped ones, and with drawn settings (tilt,
    # light, resolution); photos are where fields and tables lose most on unseen packages.
    "phone": Mix(1.0, (Capture("phone-digital"), Capture("phone-drawn"), Capture("phone"), Capture("phone-drawn"),
                       Capture("phone-digital", "jpg"), Capture("phone-drawn", "jpg")),
                 (Capture("phone-drawn", "jpg"), Capture("phone"))),
    # Word only, every capture once (quick looks and tests).
    "word": Mix(1.0, (Capture("digital"), Capture("adf-colour-200"), Capture("mfp-grey-150"),
                      Capture("book-grey-240"), Capture("phone"), Capture("fax-bw-200"), Capture("mfp-dither-300"),
                      Capture("mixed:adf-grey-240"), Capture("phone-digital"), Capture("copier-grey-200")),
                (Capture("phone"), Capture("digital"), Capture("fax-bw-200"))),
}


def assign(plans: list[generate.DocPlan], mix: Mix, seed: int) -> dict[int, Capture]:
    """Which documents the Word producer makes, and how each is captured."""
    rng = random.Random(stable_seed("mix", seed))
    n_word = round(len(plans) * mix.word_share)
    recs = [p.index for p in plans if p.doc_type == "recommendation"]
    apps = [p.index for p in plans if p.doc_type == "application"]
    rng.shuffle(recs)
    rng.shuffle(apps)
    # At least one recommendation goes through Word when there is one; the rest of the share is applications.
    n_rec = min(len(recs), max(1 if recs else 0, round(len(recs) * mix.word_share)))
    apps = sorted(apps[: max(0, n_word - n_rec)])
    recs = sorted(recs[:n_rec])
    rng.shuffle(apps)
    out = {index: mix.captures[k % len(mix.captures)] for k, index in enumerate(apps)}
    out.update({index: mix.rec_captures[k % len(mix.rec_captures)] for k, index in enumerate(recs)})
    return out


def word_doc_id(plan: generate.DocPlan, how: Capture) -> str:
    return f"{'a' if plan.doc_type == 'application' else 'r'}{plan.index + 1:02d}-word-{how.short}"


def generate_corpus(out_dir: Path, count: int, seed: int, mix: str, *, only: set[int] | None = None,
                    log: bool = True) -> list[Path]:
    """Write the corpus; `only` limits which document indexes are written (the batch is planned in full)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    plans, docs = generate.build(count, seed)
    captures = assign(plans, MIXES[mix], seed)
    paths: list[Path] = []
    records: list[ApplicationTruth | RecommendationTruth] = []
    for plan in plans:
        if only is not None and plan.index not in only:
            continue
        start = time.monotonic()
        doc = docs[plan.index]
        how = captures.get(plan.index)
        if how is None:
            path, payload, placed, facts = generate.render(plan, doc, seed, out_dir)
            facts["producer"] = "layout"
        else:
            doc_id = word_doc_id(plan, how)
            doc.doc_id = doc_id
            if isinstance(doc, c.Recommendation):
                doc.single_page = how.container == "jpg"
            name, payload, placed, word_facts = produce(doc, how, seed, plan.index, doc_id)
            path = out_dir / name
            facts = {"kind": f"word-{how.short}", "seed": seed, "index": plan.index, "rotated_pages": [],
                     "defects": list(doc.defects), **word_facts}
            if isinstance(doc, c.Application):
                facts.update(date_style=doc.fmt.date_style, amount_style=doc.fmt.amount_style,
                             members=len(doc.members), agreement_page=doc.agreement_page,
                             other_pages=list(doc.other_pages), blank_fields=list(doc.blank_paths))
        path.write_bytes(payload)
        paths.append(path)
        records.append(generate.truth_record(doc, path, payload, placed, facts))
        if log:
            print(f"{path.name}: {len(placed)} pages, {len(payload) / 1e6:.1f} MB, {time.monotonic() - start:.0f} s",
                  file=sys.stderr, flush=True)
    generate.write_truths(paths, records)
    return paths
