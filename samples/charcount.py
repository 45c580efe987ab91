"""The 字 count of OUTPUT.md (Word's 字数 for Chinese text), written independently of the pipeline.

Each CJK ideograph counts 1; each full-width punctuation mark counts 1; each
maximal run of ASCII letters and digits (with . , % - inside a number) counts 1;
spaces and line breaks count 0.
"""

from __future__ import annotations

import re

FULLWIDTH_PUNCT = set("，。、；：？！“”‘’（）《》【】—…·「」『』〔〕〈〉﹏～")

# A run of ASCII letters/digits; inside a number the joiners . , % - may appear
# between digits, and % may close it.
_ASCII_RUN = re.compile(r"[A-Za-z0-9]+(?:[.,\-][0-9]+)*%?(?:[A-Za-z0-9]+(?:[.,\-][0-9]+)*%?)*")


def _is_cjk(ch: str) -> bool:
    code = ord(ch)
    return (
        0x4E00 <= code <= 0x9FFF
        or 0x3400 <= code <= 0x4DBF
        or 0x20000 <= code <= 0x2FA1F
        or 0xF900 <= code <= 0xFAFF
    )


def count_chars(text: str) -> int:
    """The number of 字 in `text` by the OUTPUT.md rule."""
    total = 0
    i = 0
    n = len(text)
    while i < n:
        ch = text[i]
        if ch.isascii() and ch.isalnum():
            match = _ASCII_RUN.match(text, i)
            assert match is not None
            total += 1
            i = match.end()
            continue
        if _is_cjk(ch) or ch in FULLWIDTH_PUNCT:
            total += 1
        elif not ch.isspace() and not ch.isascii():
            # Other non-ASCII symbols (①, ℃, full-width letters) count one each, as Word does.
            total += 1
        i += 1
    return total
