"""Synthetic sample corpus: filled-in 附件1/附件2 packages with ground truth (see samples/README.md).

`generate_corpus(out_dir, count, seed)` lives in `samples.generate`; it is re-exported here lazily so
importing the package stays cheap.
"""

from __future__ import annotations

from typing import Any

__all__ = ["generate_corpus"]


def __getattr__(name: str) -> Any:
    if name == "generate_corpus":
        from samples.generate import generate_corpus

        return generate_corpus
    raise AttributeError(name)
