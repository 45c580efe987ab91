"""A name's character the recogniser was torn over, chosen by the lexicon (`tables.lexicon`, round 22).

Synthetic posteriors: each character of a line on two frames, a blank between characters; where the
recogniser was torn, its frames share their probability between two characters.
"""

from __future__ import annotations

import numpy as np

from models import Provenance
from models.page import Box
from pipeline.ocr.base import LinePosteriors
from pipeline.ocr.hanzi import simplified_char
from pipeline.tables.lexicon import (
    ALT_SHARE,
    _alternatives,
    in_a_word,
    read_whole,
    respelt,
    respelt_cell,
    whole_reading,
)
from pipeline.tables.values import FieldValue
from pipeline.text.chars import is_cjk

ALPHABET = ("", *"昆民明航达铝业股份有限公司集团團國国温台州盛腾装备色金属馬局纺坊织船舶钢冈铁、轻工I产品质量缺陷图像数据集款一")


def strip(line: list[dict[str, float]]) -> LinePosteriors:
    """Posteriors of a line: per character its classes' probabilities (the rest of the frame blank)."""
    index = {char: k for k, char in enumerate(ALPHABET)}
    rows: list[np.ndarray] = []
    for shares in line:
        frame = np.full(len(ALPHABET), 1e-4)
        for char, share in shares.items():
            frame[index[char]] = share
        blank = np.full(len(ALPHABET), 1e-4)
        blank[0] = 1.0
        rows += [frame, frame, blank]
    return LinePosteriors(np.stack(rows), ALPHABET)


def sure(text: str) -> list[dict[str, float]]:
    return [{char: 0.99} for char in text]


def test_place_the_recogniser_was_torn_over_is_the_lexicon_s() -> None:
    # 民 read at 0.55, 昆 at 0.44: 民明 is no word, 昆明 is.
    line = [{"民": 0.55, "昆": 0.44}, *sure("明航达铝业股份有限公司")]
    assert respelt("民明航达铝业股份有限公司", strip(line)) == "昆明航达铝业股份有限公司"


def test_word_read_whole_keeps_its_characters() -> None:
    # 台州 is a word as read: a fair share of 温 on 台 changes nothing.
    line = [{"台": 0.55, "温": 0.44}, *sure("州盛腾装")]
    assert respelt("台州盛腾装", strip(line)) is None


def test_brand_without_a_word_keeps_its_characters() -> None:
    # 航达 is no word and the alternative 盛 makes none (盛达): the reading stays; only an alternative that
    # makes a word is taken.
    line = [*sure("昆明"), {"航": 0.6, "盛": 0.39}, *sure("达铝业")]
    assert respelt("昆明航达铝业", strip(line)) is None


def test_alternative_below_its_share_is_a_likeness_not_a_doubt() -> None:
    # 国有 is a word too, but the segmentation reads 集 · 国 · 有限公司: 国 stands in none.
    line = [*sure("集"), {"国": 0.95, "团": 0.04}, *sure("有限公司")]
    assert respelt("集国有限公司", strip(line)) is None
    line = [*sure("集"), {"国": 0.80, "团": 0.19}, *sure("有限公司")]
    assert respelt("集国有限公司", strip(line)) == "集团有限公司"


def test_strip_of_another_line_is_left_alone() -> None:
    assert respelt("民明航达", strip(sure("温州盛腾装备"))) is None


def test_value_respelt_keeps_the_reading_and_asks_the_ink_only_where_needed() -> None:
    asked: list[Box] = []
    line = [{"民": 0.55, "昆": 0.44}, *sure("明航达铝业股份有限公司")]

    def posteriors(box: Box) -> list[LinePosteriors | None]:
        asked.append(box)
        return [strip(line)]

    origin = Provenance(page=3, bbox=(10, 20, 200, 40), confidence=0.97)
    value = respelt_cell(FieldValue("民明航达铝业股份有限公司", "民明航达铝业股份有限公司", origin), "text", posteriors)
    assert value.value == "昆明航达铝业股份有限公司"
    assert value.provenance.repaired_from == "民明航达铝业股份有限公司"
    words = FieldValue("股份有限公司", "股份有限公司", origin)
    assert respelt_cell(words, "text", posteriors) is words
    assert len(asked) == 1


def test_wrapped_name_is_read_line_by_line() -> None:
    lines = [[*sure("昆明航达铝业股份有")], [*sure("限"), {"公": 0.6, "民": 0.1}, *sure("司")],
             [*sure("集"), {"国": 0.7, "团": 0.29}]]
    origin = Provenance(page=3, bbox=(10, 20, 60, 80), confidence=0.97)
    value = FieldValue("昆明航达铝业股份有限公司集国", "昆明航达铝业股份有\n限公司\n集国", origin)
    assert respelt_cell(value, "text", lambda box: [strip(each) for each in lines]).value == "昆明航达铝业股份有限公司集团"
    # Lines of ink other than the reading's: left alone.
    assert respelt_cell(value, "text", lambda box: [strip(lines[0])]) is value


def test_traditional_alternative_is_its_simplified_twin() -> None:
    line = [*sure("集"), {"国": 0.6, "團": 0.39}, *sure("有限公司")]
    assert respelt("集国有限公司", strip(line)) == "集团有限公司"


def test_of_two_alternatives_making_words_the_lexicon_s_likelier() -> None:
    # 金局 read; the ink offers 馬 (金马, a word) before 属 (有色金属, the likelier text).
    line = [*sure("有色金"), {"局": 0.4, "馬": 0.33, "属": 0.26}, *sure("有限公司")]
    assert respelt("有色金局有限公司", strip(line)) == "有色金属有限公司"


def test_industry_misread_is_the_one_the_ink_offers_from_the_form_s_list() -> None:
    line = [*sure("纺织、船舶、"), {"冈": 0.7, "钢": 0.29}, *sure("铁")]
    origin = Provenance(page=3, bbox=(10, 20, 200, 40), confidence=0.97)
    value = FieldValue(["纺织", "船舶", "冈铁"], "纺织、船舶、冈铁", origin)
    respelt_industries = respelt_cell(value, "industries", lambda box: [strip(line)])
    assert respelt_industries.value == ["纺织", "船舶", "钢铁"]
    assert respelt_industries.provenance.repaired_from == "纺织、船舶、冈铁"
    # Without the ink's alternative the item stays as read (no guess from the list alone).
    line = [*sure("纺织、船舶、"), {"冈": 0.95, "钢": 0.04}, *sure("铁")]
    assert respelt_cell(value, "industries", lambda box: [strip(line)]) is value


def test_industry_latin_misread_is_the_ink_s_alternative_from_the_form_s_list() -> None:
    origin = Provenance(page=3, bbox=(10, 20, 60, 80), confidence=0.97)
    value = FieldValue(["纺织", "轻I"], "纺织、\n轻I", origin)
    lines = [sure("纺织、"), [*sure("轻"), {"I": 0.6, "工": 0.3}]]
    assert respelt_cell(value, "industries", lambda box: [strip(each) for each in lines]).value == ["纺织", "轻工"]


def test_latin_letters_of_a_name_stay() -> None:
    # The lexicon judges Chinese characters only: a name's ERP or APS is no misread word.
    assert in_a_word("ERP与财务一体化", "ER与与财务一体化", 2) is None
    assert in_a_word("数据来集", "数据采集", 2) is not None


def test_alternatives_are_the_classes_at_their_share_likeliest_first_as_a_sort_of_the_whole_frame_gives() -> None:
    # Ordering only the classes at ALT_SHARE or more (not the alphabet) offers the same characters in the same order.
    rng = np.random.default_rng(7)
    for _ in range(50):
        frames = rng.dirichlet(np.full(len(ALPHABET), 0.2), size=3)
        posteriors = LinePosteriors(frames, ALPHABET)
        label = int(np.argmax(frames[1]))
        row = frames[int(np.argmax(frames[:, label]))]
        whole = [simplified_char(ALPHABET[k]) for k in np.argsort(row)[::-1]
                 if row[k] >= ALT_SHARE and k not in (0, label) and is_cjk(ALPHABET[k])]
        assert _alternatives(posteriors, np.zeros(3, int), 0, label) == whole


def _read_whole(value: str, glyphs: float, line: list[dict[str, float]]) -> tuple[FieldValue, list[Box]]:
    asked: list[Box] = []

    def posteriors(box: Box) -> list[LinePosteriors | None]:
        asked.append(box)
        return [strip(line)]

    origin = Provenance(page=7, bbox=(258, 252, 536, 275), confidence=0.9)
    return read_whole(FieldValue(value, value, origin), "text", lambda box: glyphs, posteriors), asked


def test_a_line_read_in_part_is_read_whole_on_its_strip() -> None:
    """dev30 a06's products: a dithered scan's 产品质量缺陷图像数据集, the page's detector missing the line and
    the crop reading 款据集 of it; its one line of ink is eleven characters wide, and the strip reads it whole
    (陷 faint), holding 据集 in order."""
    line = [*sure("产品质量缺"), {"陷": 0.3, "款": 0.1}, *sure("图像数据集")]
    value, asked = _read_whole("款据集", 11.0, line)
    assert value.value == "产品质量缺陷图像数据集" and value.provenance.repaired_from == "款据集" and asked


def test_a_line_read_whole_is_not_read_again() -> None:
    """Ink as wide as the reading: the strip is not asked."""
    value, asked = _read_whole("产品质量缺陷图像数据集", 11.4, sure("产品质量缺陷图像数据集"))
    assert value.value == "产品质量缺陷图像数据集" and value.provenance.repaired_from is None and not asked


def test_a_strip_that_adds_a_rule_s_stroke_or_goes_on_past_a_name_s_end_is_not_taken() -> None:
    assert whole_reading("产品质量缺陷图像", strip(sure("产品质量缺陷图像一"))) is None
    assert whole_reading("温州盛腾装备有限公司", strip(sure("温州盛腾装备有限公司集团"))) is None
    # Unsure over its characters (a seal's strokes read as characters) or another line altogether.
    assert whole_reading("数据集", strip([{char: 0.4} for char in "产品质量缺陷图像数据集"])) is None
    assert whole_reading("款据集", strip(sure("温州盛腾装备有限公司"))) is None
