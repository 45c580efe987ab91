"""Content-area detection (`pipeline.text.language.content_areas`) measured apart from reading.

Two measures, both micro-averaged set precision/recall/F1 over (package, area) pairs:

* `records`: the 建设内容 text of each predicted record in PRED (as the pipeline read it)
  scored against its truth in TRUTH, with today's lexicon: what a lexicon change does to
  `dtpc eval`'s content_areas without a new batch run;
* `fresh`: the generator's 建设内容 prose (`samples.prose.content`) for N random area choices,
  with and without synonyms: does the lexicon know the areas, or only the generator's phrases?

    python -m bench.areas --truth samples/corpus --pred OUT [--fresh 300]
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path

from models.application import CONTENT_AREAS
from pipeline.evaluation import PRF, TRUTH_SUFFIX, set_prf
from pipeline.text.language import content_areas


def records(truth_dir: Path, pred_dir: Path) -> PRF:
    total = PRF()
    for truth_path in sorted(truth_dir.rglob(f"*{TRUTH_SUFFIX}")):
        truth = json.loads(truth_path.read_text(encoding="utf-8"))
        if truth.get("doc_type") != "application":
            continue
        pred_path = pred_dir / f"{truth['source']['file']}.json"
        if not pred_path.is_file():
            continue
        plan = json.loads(pred_path.read_text(encoding="utf-8")).get("plan") or {}
        text = next((s.get("text") or "" for s in plan.get("sections") or [] if s.get("key") == "content"), "")
        total = total + set_prf(truth["plan"]["content_areas"], content_areas(text)[0] if text else [])
    return total


def fresh(count: int, seed: int = 7) -> dict[str, PRF]:
    from samples import prose

    rng = random.Random(seed)
    context = prose.Context(name="示例数字科技有限公司", short="公司", province="浙江省", city="杭州市", district="滨江区",
                            industries=["机械", "汽车"], founded_year=2015, capital=2000, enterprises=120,
                            contract_amount=3500, trainees=900, products=12, providers=20, universities=5, investors=4,
                            department="浙江省经济和信息化厅")
    scores = {"names": PRF(), "synonyms": PRF()}
    for index in range(count):
        chosen = sorted(rng.sample(list(CONTENT_AREAS), rng.randint(3, 6)), key=CONTENT_AREAS.index)
        synonyms = bool(index % 2)
        text = "\n".join(prose.content(rng, context, chosen, synonyms, rng.randint(1500, 2300)))
        key = "synonyms" if synonyms else "names"
        scores[key] = scores[key] + set_prf(chosen, content_areas(text)[0])
    return scores


def _line(name: str, prf: PRF) -> str:
    def fmt(value: float | None) -> str:
        return "-" if value is None else f"{value:.3f}"

    return f"{name:<28} P {fmt(prf.precision)}  R {fmt(prf.recall)}  F1 {fmt(prf.f1)}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--truth", type=Path)
    parser.add_argument("--pred", type=Path)
    parser.add_argument("--fresh", type=int, default=300, help="generated 建设内容 texts to score (0: none)")
    args = parser.parse_args()
    if args.truth and args.pred:
        print(_line("records (pred text)", records(args.truth, args.pred)))
    if args.fresh:
        for name, prf in fresh(args.fresh).items():
            print(_line(f"fresh prose ({name})", prf))


if __name__ == "__main__":
    main()
