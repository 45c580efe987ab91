"""Whether a reading holds a word: jieba's dictionary, shipped inside its package, as the lexicon."""

from __future__ import annotations

import logging

import jieba

from pipeline.text.chars import is_cjk


def holds_a_word(text: str) -> bool:
    """Some two or more characters of `text`, in a row, are a word of jieba's dictionary: '新材料' holds 材料,
    '模具' is one; '互化' or '金耦' (readings of 医药 on a fax) hold none, and no one writes such a name."""
    frequencies = _dictionary().FREQ
    return any(frequencies.get(text[start:end], 0) > 0
               for start in range(len(text)) for end in range(start + 2, len(text) + 1))


# Below this share of its characters in dictionary words (`word_share`) a text was not read as language: a
# 建设内容 read as written reads 0.79 and more on every dev set (B14), the three the reader scrambled 0.30, 0.57
# and 0.59 (dev18 a13's fax, dev4 a03's 1-bit scan, dev18 a01's phone photo).
READABLE_SHARE = 0.7


def word_share(text: str, least: int = 1) -> float | None:
    """The share of `text`'s Chinese characters that stand in words of two or more characters of jieba's
    dictionary (its segmentation without guessing new words): prose reads 0.8 and more, a page the reader
    scrambled (a photo's lines cut and joined out of order) far less. None for fewer than `least` Chinese
    characters (a few short lines of headings and verbs read 0.6 as written: too few to say)."""
    han = sum(is_cjk(char) for char in text)
    if han < max(least, 1):
        return None
    return sum(in_words(text)) / han


def in_words(text: str) -> list[bool]:
    """Per character of `text`, whether jieba's segmentation by its dictionary (without guessing new words)
    puts it in a word of two or more Chinese characters (民明航达铝业: 铝业 only; 昆明航达铝业: 昆明 and 铝业;
    集国有限公司: 有限公司, for 国有 loses to it)."""
    covered: list[bool] = []
    for word in _dictionary().lcut(text, HMM=False):
        whole = len(word) >= 2 and all(is_cjk(char) for char in word)
        covered += [whole] * len(word)
    return covered


def lexicon_logprob(text: str) -> float:
    """The log probability of `text` under jieba's dictionary along its likeliest segmentation (its
    unigram model: 有色金属 as one word far above 有色 · 金马)."""
    if not text:
        return 0.0
    dictionary = _dictionary()
    route: dict[int, tuple[float, int]] = {}
    dictionary.calc(text, dictionary.get_DAG(text), route)
    return route[0][0]


def _dictionary() -> jieba.Tokenizer:
    """jieba's default tokenizer with its dictionary loaded (once; quietly)."""
    jieba.setLogLevel(logging.WARNING)
    jieba.dt.check_initialized()
    return jieba.dt
