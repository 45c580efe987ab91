"""Traditional characters OCR puts in simplified print, read back as the simplified ones.

Applied to every OCR word of a page (`reading.process_page`) and to the words of cells read again on
their crops (`tables.cells.cell_text`), so no stage sees them.

The forms are printed in simplified Chinese, but the recogniser's character set holds
traditional forms too, and on a fax or a 1-bit scan it now and then takes a simplified
character for its traditional twin (腾 read as 騰, 数 as 數, 顺 as 順).  A character outside
GB 2312 (the simplified character set every form font covers) whose traditional-to-simplified
mapping (OpenCC's dictionary) is a single GB 2312 character is that character misread;
everything else stays as read: a rare character of a name (堃) has no simplified twin, and a
character that is in GB 2312 already (乾, 後) may be meant.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from functools import cache

import opencc

from models.page import Word


@cache
def _converter() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def _in_gb2312(char: str) -> bool:
    try:
        char.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


@cache
def simplified_char(char: str) -> str:
    """`char`, or its simplified twin when it is a traditional form outside GB 2312."""
    if ord(char) < 0x3400 or _in_gb2312(char):
        return char
    twin = _converter().convert(char)
    return twin if len(twin) == 1 and twin != char and _in_gb2312(twin) else char


def simplified(text: str) -> str:
    """The text with every traditional-only character read as its simplified twin (same length)."""
    return "".join(simplified_char(char) for char in text)


def simplified_words(words: Sequence[Word]) -> list[Word]:
    """OCR's words read as simplified print; a text layer's words stay as the PDF holds them."""
    return [replace(word, text=simplified(word.text)) if word.source == "ocr" else word for word in words]


__all__ = ["simplified", "simplified_char", "simplified_words"]
