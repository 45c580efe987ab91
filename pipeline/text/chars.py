"""Character classes, the 字 count of OUTPUT.md, and the repair of OCR text before counting.

`count_chars` is the contract's rule and nothing else: it must give the same
number for a clean text-layer string and for the same words read by OCR, so it
tolerates the two kinds of noise OCR adds without changing meaning (spaces
anywhere, and a space inside a number after its separator, as in "3, 560.5").
Repairs that need to know the text came from OCR (half-width punctuation read
for full-width, O for 0) live in `repair_ocr` and are applied by the line
builder to OCR words only, so a text layer is counted exactly as printed.
"""

from __future__ import annotations

import re
import unicodedata

# The full-width marks OUTPUT.md lists, plus the other CJK brackets and marks
# that Word counts the same way.
FULLWIDTH_PUNCT = frozenset("，。、；：？！“”‘’（）《》【】—…·「」『』〔〕〈〉〖〗﹏～")

# One ASCII "word": letters and digits; inside a number . , - join digit groups
# and % may close it ("3,560.5", "12.5%", "2026-2028"); a letter run may be
# followed by a number ("HT-2024", "ISO9001").
_ASCII_RUN = re.compile(r"[A-Za-z0-9]+(?:[.,\-][0-9]+)*%?(?:[A-Za-z0-9]+(?:[.,\-][0-9]+)*%?)*")

# OCR splits a number after (or before) its separator: "3, 560.5", "3 ,560", "12.5 %".
# A legitimate space between two numbers ("2024 2025") has no separator at the gap.
_SPLIT_NUMBER = re.compile(r"(?<=\d[.,])\s+(?=\d)|(?<=\d)\s+(?=[.,]\d)|(?<=\d)\s+(?=%)")


def is_cjk(char: str) -> bool:
    """A CJK ideograph (the basic block, extension A/B+, compatibility ideographs, and 〇); False for ""."""
    if len(char) != 1:
        return False
    code = ord(char)
    return (
        0x4E00 <= code <= 0x9FFF
        or 0x3400 <= code <= 0x4DBF
        or 0x20000 <= code <= 0x2FA1F
        or 0xF900 <= code <= 0xFAFF
        or code == 0x3007
    )


def is_wide(char: str) -> bool:
    """A character that Chinese typesetting sets without spaces around it: an ideograph or a full-width mark."""
    if len(char) != 1:
        return False
    return is_cjk(char) or char in FULLWIDTH_PUNCT or unicodedata.east_asian_width(char) in ("W", "F")


def is_latin(char: str) -> bool:
    return char.isascii() and char.isalnum()


def close_number_gaps(text: str) -> str:
    """Remove the spaces OCR puts inside a number next to its separator ("3, 560.5" → "3,560.5")."""
    return _SPLIT_NUMBER.sub("", text)


def count_chars(text: str) -> int:
    """The number of 字 in `text` by OUTPUT.md: Word's 字数 for Chinese text.

    Each CJK ideograph and each full-width punctuation mark counts 1; each maximal
    run of ASCII letters and digits (with . , % - inside a number) counts 1;
    spaces and line breaks count 0; any other non-ASCII symbol (①, ℃, full-width
    letters) counts 1 as Word does, and stray half-width punctuation counts 0.
    """
    text = close_number_gaps(text)
    total = 0
    i = 0
    while i < len(text):
        char = text[i]
        if is_latin(char):
            match = _ASCII_RUN.match(text, i)
            assert match is not None  # a Latin character always starts a run
            total += 1
            i = match.end()
            continue
        if not char.isspace() and not char.isascii():
            total += 1
        i += 1
    return total


# Half-width punctuation that OCR emits for the full-width mark it saw; mapped back
# only when an ideograph stands next to it, so "3.5", "ISO 9001:2015" and "(a)" stay.
_TO_FULLWIDTH = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）"}
_DIGIT_LOOKALIKES = {"O": "0", "o": "0", "l": "1", "I": "1"}


def _neighbour(text: str, index: int, step: int) -> str:
    """The nearest non-space character before (step -1) or after (step 1) `index`, or ""."""
    index += step
    while 0 <= index < len(text) and text[index] == " ":
        index += step
    return text[index] if 0 <= index < len(text) else ""


_BRACKET_PAIR = re.compile(r"[(（]([^()（）]{0,40})[)）]")


def _pair_brackets(text: str) -> str:
    """A bracket pair in Chinese context is full-width on both sides: "(1）开展" → "（1）开展".

    Chinese context: either bracket already full-width, an ideograph inside, or one just outside.
    """
    def fix(match: re.Match[str]) -> str:
        whole, inside = match.group(0), match.group(1)
        before = _neighbour(text, match.start(), -1)
        after = _neighbour(text, match.end() - 1, 1)
        chinese = ("（" in whole or "）" in whole or any(map(is_cjk, inside))
                   or is_cjk(before) or is_cjk(after))
        return f"（{inside}）" if chinese else whole

    return _BRACKET_PAIR.sub(fix, text)


def _full_width_marks(text: str) -> str:
    """Half-width marks next to an ideograph (spaces aside) become the full-width mark OCR misread."""
    out: list[str] = []
    quote_open = True
    for i, char in enumerate(text):
        before, after = _neighbour(text, i, -1), _neighbour(text, i, 1)
        if char in _TO_FULLWIDTH and (is_cjk(before) or is_cjk(after)):
            char = _TO_FULLWIDTH[char]
        elif char == "." and is_cjk(before) and (not after or is_wide(after)):
            char = "。"
        elif char == '"' and (is_cjk(before) or is_cjk(after)):
            char = "“" if quote_open else "”"
            quote_open = not quote_open
        elif char in _DIGIT_LOOKALIKES and before.isdigit() and after.isdigit():
            char = _DIGIT_LOOKALIKES[char]
        out.append(char)
    return "".join(out)


def _drop_wide_spaces(text: str) -> str:
    """Spaces next to an ideograph or full-width mark carry nothing (chi_sim separates every character)."""
    return "".join(char for i, char in enumerate(text)
                   if char != " " or not (is_wide(_neighbour(text, i, -1)) or is_wide(_neighbour(text, i, 1))))


def repair_ocr(text: str) -> str:
    """Undo OCR's reading habits in one line of Chinese text without changing what it says.

    Full-width letters and digits become ASCII (but not full-width punctuation,
    which the count distinguishes); half-width punctuation beside an ideograph
    becomes the full-width mark, and a bracket pair in Chinese context becomes
    full-width; O/l read inside a number become 0/1; then spaces next to an
    ideograph or full-width mark go, and a space split inside a number is closed.
    """
    text = "".join(unicodedata.normalize("NFKC", c) if "\uff10" <= c <= "\uff5a" and c.isalnum() else c
                   for c in text)
    text = re.sub(r"[ \t\u3000]+", " ", text).strip()
    text = _full_width_marks(_pair_brackets(text))
    return close_number_gaps(_drop_wide_spaces(text))


def compact(text: str) -> str:
    """Text for matching: NFKC (brackets and digits half-width), no whitespace at all."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))
