"""Whether a reading holds a word: jieba's dictionary, shipped inside its package, as the lexicon."""

from __future__ import annotations

import logging

import jieba


def holds_a_word(text: str) -> bool:
    """Some two or more characters of `text`, in a row, are a word of jieba's dictionary: '新材料' holds 材料,
    '模具' is one; '互化' or '金耦' (readings of 医药 on a fax) hold none, and no one writes such a name."""
    jieba.setLogLevel(logging.WARNING)
    jieba.dt.check_initialized()
    frequencies = jieba.dt.FREQ
    return any(frequencies.get(text[start:end], 0) > 0
               for start in range(len(text)) for end in range(start + 2, len(text) + 1))
