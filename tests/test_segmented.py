"""The language pass's words, phrases and character spans (`pipeline.text.segmented`): spaCy's rules without spaCy."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import jieba

from pipeline.text.language import content_areas, language, mentions
from pipeline.text.segmented import Phrase, PhraseRuler, Segmented, Word, segment


class _Cut:
    """A segmenter that cuts as told (whitespace included, as jieba yields it)."""

    def __init__(self, *words: str) -> None:
        self.words = words

    def cut(self, text: str, cut_all: bool = False) -> list[str]:
        assert "".join(self.words) == text
        return list(self.words)


def _words(doc: Segmented) -> list[tuple[str, int, bool]]:
    return [(word.text, word.idx, word.space) for word in doc.words]


def test_one_space_after_a_word_is_its_trailing_space_and_other_whitespace_a_word() -> None:
    doc = segment("数据 共享  平台\n", _Cut("数据", " ", "共享", " ", " ", "平台", "\n"))  # type: ignore[arg-type]
    assert _words(doc) == [("数据", 0, True), ("共享", 3, True), (" ", 6, False), ("平台", 7, False), ("\n", 9, False)]


def test_expanded_character_spans_take_every_word_touched_and_skip_a_trailing_space() -> None:
    doc = segment("数据 共享平台", _Cut("数据", " ", "共享", "平台"))  # type: ignore[arg-type]
    span = doc.char_span(1, 4)
    assert span is not None and (span.start, span.end, span.text) == (0, 2, "数据 共享")
    on_space = doc.char_span(2, 6)  # starts on 数据's trailing space: begins at 共享
    assert on_space is not None and (on_space.start, on_space.end, on_space.start_char) == (1, 3, 3)
    assert doc.char_span(0, 10) is None


def test_the_longest_phrase_wins_then_the_earliest_and_none_overlap() -> None:
    doc = segment("甲乙丙丁", _Cut("甲", "乙", "丙", "丁"))  # type: ignore[arg-type]
    ruler = PhraseRuler([Phrase(("甲", "乙"), "A", "x"), Phrase(("乙", "丙", "丁"), "B", "y"),
                         Phrase(("甲",), "C", "z"), Phrase(("丙",), "C", "z"), Phrase(("丁",), "C", "w")])
    found = [(span.label_, span.ent_id_, span.start, span.end) for span in ruler(doc).ents]
    assert found == [("C", "z", 0, 1), ("B", "y", 1, 4)]
    tie = PhraseRuler([Phrase(("乙", "丙"), "B", "y"), Phrase(("甲", "乙"), "A", "x")])(
        segment("甲乙丙", _Cut("甲", "乙", "丙")))  # type: ignore[arg-type]
    assert [(span.start, span.end) for span in tie.ents] == [(0, 2)]


def test_the_language_pass_needs_no_spacy() -> None:
    areas, counted = content_areas("（一）开展评估咨询服务\n数促中心将开展设施联通和数据共享工作。")
    assert areas == ["评估咨询", "设施联通", "数据共享"] and counted
    found = mentions("与浙江大学合作，投入 1,200万元，2026年3月启动。", "content")
    assert [(m.kind, m.value) for m in found] == [("organisation", "浙江大学"), ("amount", 1200.0),
                                                  ("date", "2026-03")]
    assert "spacy" not in sys.modules
    assert isinstance(language().segmenter, jieba.Tokenizer) and Word("a", 0, False).text == "a"


def test_jieba_is_imported_without_pkg_resources() -> None:
    # jieba's `_compat` opens its own files where pkg_resources is missing: the same data, ~0.1 CPU-s less a process.
    code = ("import sys, pipeline.text, jieba; print('pkg_resources' in sys.modules, "
            "jieba.lcut('数字化转型促进中心', HMM=True) == jieba.lcut('数字化转型促进中心'))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                            cwd=Path(__file__).resolve().parents[1])
    assert result.stdout.split() == ["False", "True"]
