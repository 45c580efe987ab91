"""`python -m samples.word --count N --seed S -o DIR --mix dev|holdout|drawn|stress|phone|word`."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from samples.word.corpus import MIXES, generate_corpus


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m samples.word", description=__doc__)
    parser.add_argument("--count", type=int, default=14)
    parser.add_argument("--seed", type=int, default=101)
    parser.add_argument("--mix", choices=sorted(MIXES), default="dev")
    parser.add_argument("--only", type=int, nargs="*", help="write only these document indexes (0-based)")
    parser.add_argument("-o", "--out", type=Path, required=True)
    args = parser.parse_args(argv)
    start = time.monotonic()
    paths = generate_corpus(args.out, args.count, args.seed, args.mix, only=set(args.only) if args.only else None)
    print(f"{len(paths)} documents in {args.out} in {time.monotonic() - start:.0f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
