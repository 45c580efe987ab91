"""`labels._one_substitution` by one regular expression against the place-by-place comparison it replaced."""

from __future__ import annotations

import random

from pipeline.tables.labels import _one_substitution, holds_label, label_score, squeeze


def _by_places(needle: str, hay: str) -> bool:
    """The comparison at every start, as `_one_substitution` did it before."""
    if len(needle) < 4:
        return False
    return any(sum(a != b for a, b in zip(needle, hay[start:start + len(needle)], strict=True)) == 1
               for start in range(len(hay) - len(needle) + 1))


def test_one_substitution_as_compared_place_by_place() -> None:
    rng = random.Random(13)
    alphabet = "合同编号间名称.*(?[]\\|+a"  # regular-expression metacharacters among the characters
    for _ in range(3000):
        needle = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 7)))
        hay = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
        if rng.random() < 0.5 and len(needle) <= len(hay):  # plant the needle, maybe with one slip
            at = rng.randint(0, len(hay) - len(needle))
            planted = list(needle)
            if rng.random() < 0.7:
                planted[rng.randrange(len(planted))] = rng.choice(alphabet)
            hay = hay[:at] + "".join(planted) + hay[at + len(needle):]
        assert _one_substitution(needle, hay) == _by_places(needle, hay), (needle, hay)


def test_one_substitution_cases() -> None:
    assert _one_substitution("合同编号", "甲方合间编号乙方")
    assert not _one_substitution("合同编号", "甲方合同编号乙方")  # no slip at all: not one substitution
    assert not _one_substitution("合同编号", "合间编丐")  # two slips
    assert not _one_substitution("合同编", "合间编")  # under SUBSTITUTION_MIN
    assert label_score("甲方合间编号乙方：", "合同编号") >= 0.78


def test_squeeze_kept_answers_as_computed() -> None:
    text = "注册地（具体到区县）\n 名 称"
    assert squeeze(text) == squeeze(text) == "注册地具体到区县名称"


def test_a_label_held_exactly_or_with_one_slip() -> None:
    assert holds_label("甲方合同编号乙方", "合同编号")
    assert holds_label("甲方合间编号乙方", "合同编号")
    assert not holds_label("甲方合间编丐乙方", "合同编号")  # two slips
    assert not holds_label("注册地址", "注册地")  # under SUBSTITUTION_MIN: exact or nothing, and here not counted
