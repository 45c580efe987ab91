"""Pure normalisers: the text of one cell or blank in, one typed value (or None) out.

Every function here is total: any string gives a value or None, never an exception,
and None means "could not be read", never "guessed".  OCR confusions (O for 0, l for
1 …) are repaired only inside something that is otherwise clearly a number, so a word
is never turned into digits.  Amounts come back in 万元, percentages in percent.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz.distance import Hamming, LCSseq, Levenshtein

from models.codes import (
    CANONICAL_INDUSTRIES,
    CREDIT_CODE_ALPHABET,
    INDUSTRY_ALIASES,
    canonical_industry,
    credit_code_check_char,
    is_valid_credit_code,
    normalise_credit_code,
)
from pipeline.text.chars import is_cjk

# Full-width punctuation that names keep as printed (NFKC would make it ASCII).
CJK_PUNCTUATION = frozenset("，。、；：？！“”‘’（）《》【】〔〕「」『』—…·～")
# Characters OCR reads in place of a digit; applied only inside numbers.
DIGIT_LOOKALIKES = {
    "O": "0", "o": "0", "D": "0", "Q": "0", "〇": "0",
    "l": "1", "I": "1", "|": "1", "i": "1", "!": "1",
    "Z": "2", "z": "2", "S": "5", "s": "5", "B": "8", "b": "6", "g": "9",
}
# The lookalikes common enough to join a number on their own ("1 O" is 10).
_STRONG_LOOKALIKES = frozenset("OolI|")
_LOOKALIKE_CLASS = re.escape("".join(DIGIT_LOOKALIKES))
# Blank-line fillers of the template ("____万元") and stray marks around a value.
_FILLERS = re.compile(r"[_＿‗﹍﹎﹏]+")
_DASHES = str.maketrans({"−": "-", "–": "-", "—": "-", "‐": "-", "－": "-"})


def _is_cjk(char: str) -> bool:
    code = ord(char)
    return (
        0x3400 <= code <= 0x9FFF or 0xF900 <= code <= 0xFAFF or 0x20000 <= code <= 0x2FFFF
        or char in CJK_PUNCTUATION or char == "〇"
    )


def nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def nfkc_keep_cjk_punctuation(text: str) -> str:
    """NFKC for every character except full-width Chinese punctuation."""
    return "".join(char if char in CJK_PUNCTUATION else nfkc(char) for char in text)


def collapse_spaces(text: str) -> str:
    """Remove spaces next to a Chinese character (OCR spacing); single spaces elsewhere."""
    text = re.sub(r"\s+", " ", text).strip()
    out: list[str] = []
    for index, char in enumerate(text):
        if char == " ":
            before, after = text[index - 1], text[index + 1]
            if _is_cjk(before) or _is_cjk(after):
                continue
        out.append(char)
    return "".join(out)


# A bar between two Chinese characters: a rule or a speck read as a glyph ('四川|大学'); no name is written so.
_BAR_IN_NAME = re.compile(r"(?<=[\u4e00-\u9fff])\s*[|｜]\s*(?=[\u4e00-\u9fff])")


def clean_name(text: str | None) -> str | None:
    """A name or free text as printed: NFKC but Chinese punctuation, OCR spaces removed, stripped."""
    if text is None:
        return None
    cleaned = collapse_spaces(nfkc_keep_cjk_punctuation(_BAR_IN_NAME.sub("", _FILLERS.sub(" ", text))))
    return cleaned or None


# A Latin capital OCR reads for a Chinese character whose hook an underline or a blur took (丁 read T).
_NAME_LOOKALIKES = {"T": "丁"}


def chinese_name(name: str | None) -> str | None:
    """A person's name in Chinese characters with the one Latin letter read among them that is a Chinese
    character's lookalike made that character ('T平' → '丁平'): a Chinese name holds no Latin letter. A name
    with any other Latin letter, or none of Chinese characters, is returned as read."""
    if not name or not any(_is_cjk(char) for char in name):
        return name
    latin = [char for char in name if char.isascii() and char.isalpha()]
    if len(latin) != 1 or latin[0] not in _NAME_LOOKALIKES:
        return name
    return name.replace(latin[0], _NAME_LOOKALIKES[latin[0]])


# --- numbers -------------------------------------------------------------------------

# A bar standing apart from the figures at either end of a value: a cell's vertical rule read as text
# ('2015/9/28 |'), no digit (a digit misread as a bar is printed against its neighbours).
_RULE_APART = re.compile(r"^\s*[|丨]+\s+|\s+[|丨]+\s*$")

_NUMBER_TOKEN = re.compile(rf"[0-9{_LOOKALIKE_CLASS},.·。]+")


def _decimal_from_run(run: str) -> float | None:
    """'1,250.5' / '1250,5' (a comma OCR read for a point) → float; None if not one number."""
    body = run.replace("·", ".").replace("。", ".").strip(".,")
    if not body:
        return None
    if "." not in body and body.count(",") == 1 and not re.fullmatch(r"\d{1,3},\d{3}", body):
        body = body.replace(",", ".")  # "1250,5": a decimal comma, not thousands
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+,\d{1,2}", body):
        body = body.replace(".", "").replace(",", ".")  # "8.802,00": each separator read as the other
    groups = body.split(",")
    if "." not in body and len(groups) > 2 and all(len(g) == 3 for g in groups[1:-1]) \
            and 1 <= len(groups[0]) <= 3 and len(groups[-1]) < 3:
        body = "".join(groups[:-1]) + "." + groups[-1]  # "31,831,50": the point read as a comma
    body = body.replace(",", "")
    groups = body.split(".")
    if len(groups) > 2 and all(len(g) == 3 for g in groups[1:-1]) and 1 <= len(groups[0]) <= 3:
        body = "".join(groups[:-1]) + "." + groups[-1]  # "2.879.1": OCR read the thousands commas as points
    if not re.fullmatch(r"\d+(?:\.\d+)?", body):
        return None
    return float(body)


def first_number(text: str | None) -> float | None:
    """The first number written in `text` (ASCII or full-width digits, OCR lookalikes inside).

    A token counts only if it holds a real digit, so a word is never read as a number;
    tokens separated by nothing but spaces are one number split by OCR ("1 250.5").
    """
    if not text:
        return None
    # A bar apart from the figures at an end is the cell's rule, not a '1' ('| 1,258.6万元' is 1,258.6).
    prepared = _FILLERS.sub(" ", _RULE_APART.sub(" ", nfkc(text)).translate(_DASHES))
    for start, run in _number_groups(prepared):
        value = _decimal_from_run("".join(DIGIT_LOOKALIKES.get(char, char) for char in run))
        if value is not None:
            return -value if prepared[:start].rstrip().endswith("-") else value
    return None


def _number_groups(text: str) -> list[tuple[int, str]]:
    """(start, run) of each number: tokens joined across spaces, each holding a digit or a strong lookalike."""
    groups: list[tuple[int, int, str]] = []  # start, end, run
    for token in _NUMBER_TOKEN.finditer(text):
        piece = token.group(0)
        if not (any(char.isdigit() for char in piece) or set(piece) <= _STRONG_LOOKALIKES):
            continue
        if groups and not text[groups[-1][1]:token.start()].strip():
            start, _, run = groups[-1]
            groups[-1] = (start, token.end(), run + piece)
        else:
            groups.append((token.start(), token.end(), piece))
    return [(start, run) for start, _, run in groups if any(char.isdigit() for char in run)]



def _round(value: float) -> float:
    # Float noise from unit conversion (÷10000) must not show in the record.
    return round(value, 6) + 0.0


def round_value(value: float) -> float:
    """A computed amount without float noise."""
    return _round(value)


YUAN = 1e-4  # 万元 per 元


def lost_wan(value: float) -> float:
    """The figure in 万元 a reading `value` stands for where its 万 was lost and it was taken in 元
    ('776.56万元' read '776.56元' is 0.077656): the reading 10^4 times larger, without float noise."""
    return round_value(float(value) / YUAN)


def amount_unit_factor(text: str | None) -> float | None:
    """万元 per unit written in `text` (a value or a column header): 元 → 1e-4, 万元 → 1, 亿元 → 1e4."""
    if not text:
        return None
    squeezed = re.sub(r"\s+", "", nfkc(text))
    if "亿" in squeezed:
        return 1e4
    if "万" in squeezed:
        return 1.0
    if "元" in squeezed or "圆" in squeezed:
        return YUAN
    return None


_DAXIE_DIGITS = {
    "零": 0, "〇": 0, "○": 0, "壹": 1, "一": 1, "贰": 2, "貳": 2, "二": 2, "两": 2, "叁": 3, "參": 3, "三": 3,
    "肆": 4, "四": 4, "伍": 5, "五": 5, "陆": 6, "陸": 6, "六": 6, "柒": 7, "七": 7, "捌": 8, "八": 8,
    "玖": 9, "九": 9,
}
_DAXIE_UNITS = {"拾": 10, "十": 10, "佰": 100, "百": 100, "仟": 1000, "千": 1000}
_DAXIE_CHARS = set(_DAXIE_DIGITS) | set(_DAXIE_UNITS) | set("万亿萬億元圆圓角分整正人民币幣")


def chinese_integer(text: str) -> int | None:
    """二十八 / 壹佰贰拾万 / 一千零五 → int; None when `text` is not such a numeral."""
    if not text or any(char not in _DAXIE_DIGITS and char not in _DAXIE_UNITS and char not in "万亿萬億"
                       for char in text):
        return None
    if text[0] in "万亿萬億":
        return None
    total, section, number = 0, 0, 0
    for char in text:
        if char in _DAXIE_DIGITS:
            number = _DAXIE_DIGITS[char]
        elif char in _DAXIE_UNITS:
            section += (number or 1) * _DAXIE_UNITS[char]
            number = 0
        elif char in "万萬":
            total += (section + number) * 10_000
            section = number = 0
        else:  # 亿
            total = (total + section + number) * 100_000_000
            section = number = 0
    return total + section + number


def parse_daxie_amount(text: str | None, header_unit: str | None = "万元") -> float | None:
    """A Chinese capital amount (壹佰贰拾万元整, 贰拾万伍仟元) → 万元.

    With 元/角/分 written the numeral is in 元; without, it is in the header's unit.
    """
    if not text:
        return None
    squeezed = re.sub(r"[\s:：]+", "", text).removeprefix("人民币").removeprefix("人民幣").rstrip("整正")
    if not squeezed or any(char not in _DAXIE_CHARS for char in squeezed):
        return None
    match = re.fullmatch(r"(?P<int>[^元圆圓角分]*)(?P<yuan>[元圆圓])?(?:(?P<jiao>[^角分])角)?(?:(?P<fen>[^角分])分)?",
                         squeezed)
    if match is None:
        return None
    integer = chinese_integer(match.group("int")) if match.group("int") else 0
    if integer is None or squeezed in "元圆圓":
        return None
    cents = 0
    for key, weight in (("jiao", 10), ("fen", 1)):
        digit = match.group(key)
        if digit is not None:
            if digit not in _DAXIE_DIGITS:
                return None
            cents += _DAXIE_DIGITS[digit] * weight
    if match.group("yuan") or cents:
        return _round((integer + cents / 100) / 10_000)
    return _round(integer * (amount_unit_factor(header_unit) or 1.0))


# A number, then one CJK character that is no unit, then 元: OCR's reading of 万元 or 亿元.
_GARBLED_UNIT = re.compile(r"\d\s*[\u4e00-\u9fff](?<![万亿千百仟佰拾])\s*[元圆]")
# Characters OCR reads for 万 before 元 (their shapes hold its strokes: 力 is 万 without its top stroke); no unit
# of an amount is written so.
_WAN_LOOKALIKE = re.compile(r"(?<=\d)(\s*)[方迈历厉丏力](?=\s*[元圆])")


def parse_amount(text: str | None, header_unit: str | None = "万元") -> float | None:
    """An amount → 万元.  The unit written in the value wins over the column header's."""
    if not text:
        return None
    number = first_number(text)
    if number is None:
        return parse_daxie_amount(text, header_unit)
    text = _WAN_LOOKALIKE.sub(r"\1万", nfkc(text))
    if _GARBLED_UNIT.search(text):
        return None  # "2.553方元": the unit (万? 亿?) is misread, and with it the value's scale
    factor = amount_unit_factor(text) or amount_unit_factor(header_unit) or 1.0
    return _round(number * factor)


_POINT_THOUSANDS = re.compile(r"(?<![\d.,])(\d{1,3})\.(\d{3})(?![\d.,])")


def as_thousands(text: str | None) -> str | None:
    """The text read with its one point before exactly three digits taken as a thousands comma.

    OCR confuses ',' and '.', so '10.488' may be 10.488 or 10,488: a reader keeps both (the value
    read, and this text's value as an alternative) and the form's own redundancy decides
    (`pipeline.reconcile`). None when the text holds another separator or more than one number.
    """
    if not text:
        return None
    flat = re.sub(r"\s+", "", nfkc(text))
    if len(_NUMBER_TOKEN.findall(flat)) != 1:
        return None
    match = _POINT_THOUSANDS.search(flat)
    return None if match is None else flat[:match.start()] + match.group(1) + match.group(2) + flat[match.end():]


def parse_percent(text: str | None) -> float | None:
    """'12.5%' / '12.5 ％' / '12.5' → 12.5 (percent)."""
    number = first_number(text)
    return None if number is None else _round(number)


_LOST_THOUSANDS = re.compile(r"\s*[.,]+\s*\d{3}(?!\d)")


def parse_int(text: str | None) -> int | None:
    """A count ('1,200人次', '12O') → int; a fraction is not a count, so None; nor is a count whose leading
    digits were lost before its thousands separator (',026人次'), which is not guessed."""
    if text and _LOST_THOUSANDS.match(nfkc(text)):
        return None
    number = first_number(text)
    if number is None:
        return chinese_integer(re.sub(r"\s+", "", text).rstrip("家个人次名项")) if text else None
    if not math.isfinite(number):
        return None
    if number != int(number):
        # A count holds no fraction: '1.200人次' is 1,200 with its comma read as a point.
        match = _POINT_THOUSANDS.search(re.sub(r"\s+", "", nfkc(text or "")))
        return int(match.group(1) + match.group(2)) if match else None
    return int(number)


# --- dates ---------------------------------------------------------------------------

_DATE_PATTERNS = (
    re.compile(r"(\d{4})[年/.\-](\d{1,2})[月/.\-](\d{1,2})(?!\d)"),
    re.compile(r"(?<!\d)(\d{4})(\d{2})(\d{2})(?!\d)"),
    # One separator lost ('2020-0901', '202411-12'): the other says where the year ends, and month and
    # day written with two digits each leave one way to read them ('2024126' has two, and stays None).
    re.compile(r"(?<!\d)(\d{4})[年/.\-](\d{2})(\d{2})(?!\d)"),
    re.compile(r"(?<!\d)(\d{4})(\d{2})[月/.\-](\d{1,2})(?!\d)"),
)
_CN_DIGITS = "〇○零一二三四五六七八九"
_CN_DATE = re.compile(rf"([{_CN_DIGITS}]{{4}})年([一二三四五六七八九十]{{1,3}})月([一二三四五六七八九十]{{1,3}})[日号]")


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def parse_date(text: str | None) -> dt.date | None:
    """2024/3/5, 2024.03.05, 2024年3月5日, 2024-03-05, 20240305, 二〇二四年三月五日 → date."""
    if not text:
        return None
    text = _RULE_APART.sub("", text)
    squeezed = re.sub(r"\s+", "", _FILLERS.sub("", nfkc(text).translate(_DASHES)))
    squeezed = squeezed.replace("。", ".").replace("·", ".").replace(",", ".")
    fixed = re.sub(rf"[{_LOOKALIKE_CLASS}](?=[\d年月日/.\-])|(?<=[\d年月/.\-])[{_LOOKALIKE_CLASS}]",
                   lambda m: DIGIT_LOOKALIKES[m.group(0)], squeezed)
    for pattern in _DATE_PATTERNS:
        match = pattern.search(fixed)
        if match:
            return _safe_date(*(int(group) for group in match.groups()))
    match = _CN_DATE.search(squeezed)
    if match:
        year = int("".join(str(_DAXIE_DIGITS[char]) for char in match.group(1)))
        month, day = chinese_integer(match.group(2)), chinese_integer(match.group(3))
        if month is not None and day is not None:
            return _safe_date(year, month, day)
    return None


# --- codes, phones, e-mail -------------------------------------------------------------

# What OCR reads for a credit-code character that cannot stand where it stands.
_CODE_LOOKALIKES = {"O": "0DQ", "I": "1L", "Z": "2", "S": "5", "V": "UY"}
_CODE_DIGIT_LOOKALIKES = {"D": "0", "Q": "0", "L": "1", "T": "7", "B": "8", "G": "6", "A": "4"}
# A check character and what OCR reads for it: the digit lookalikes above, both ways.
_CHECK_LOOKALIKES = {char: "".join(sorted({*_CODE_DIGIT_LOOKALIKES.get(char, ""),
                                            *(letter for letter, digit in _CODE_DIGIT_LOOKALIKES.items()
                                              if digit == char)}))
                     for char in {*_CODE_DIGIT_LOOKALIKES, *_CODE_DIGIT_LOOKALIKES.values()}}
# Characters 3–8 of a credit code are the administrative division code: digits only.
_CODE_DIGIT_POSITIONS = range(2, 8)


@dataclass(frozen=True)
class CreditCodeReading:
    """A credit code as stored, whether it validates, and the text it was repaired from (if it was)."""

    value: str
    valid: bool
    repaired_from: str | None = None


def _code_alternatives(code: str, position: int) -> str:
    char = code[position]
    if char not in CREDIT_CODE_ALPHABET:
        return _CODE_LOOKALIKES.get(char, "")
    if position in _CODE_DIGIT_POSITIONS and not char.isdigit():
        return _CODE_DIGIT_LOOKALIKES.get(char, "")
    return ""


def _check_character_repaired(code: str) -> CreditCodeReading:
    """A code of possible characters whose check character as read is the lookalike of the one its first 17
    give ('…714' + '8' for '…714' + 'B'): the check character misread, the one valid reading one slip away."""
    check = credit_code_check_char(code[:17])
    if check is not None and check in _CHECK_LOOKALIKES.get(code[17], ""):
        return CreditCodeReading(code[:17] + check, True, repaired_from=code)
    return CreditCodeReading(code, False)


def lookalike_codes(code: str) -> list[str]:
    """The valid codes one lookalike away from an 18-character code that fails its check ('…M496…' for
    …MA96…): each a possible reading of the print, none confirmed (a check character holds for one change
    in 31 at random): a sign the reading is in doubt, not a repair."""
    if len(code) != 18 or is_valid_credit_code(code):
        return []
    found = {code[:index] + alt + code[index + 1:] for index, char in enumerate(code)
             for alt in _CHECK_LOOKALIKES.get(char, "")}
    return sorted(candidate for candidate in found if is_valid_credit_code(candidate))


def valid_codes_in(text: str) -> set[str]:
    """Every 18-character stretch of `text` (letters and digits only) whose GB 32100 check holds."""
    code = re.sub(r"[^0-9A-Z]", "", normalise_credit_code(text))
    return {code[i:i + 18] for i in range(len(code) - 17) if is_valid_credit_code(code[i:i + 18])}


def parse_credit_code(text: str | None, *, repair: bool = True, check_slip: bool = False) -> CreditCodeReading | None:
    """NFKC/upper/no separators; one impossible character is repaired only if the check then validates.

    "Impossible" means outside the GB 32100 alphabet (I O Z S V) or a letter among the
    six digits of the division code.  A wrong but possible code is kept as read: it may
    really be wrong, and INVALID_CREDIT_CODE must then reach the reviewer.  With `check_slip` (a code
    kept only if it validates, found beside no label), a check character misread as its lookalike is
    repaired too.
    """
    if not text:
        return None
    code = re.sub(r"[^0-9A-Z]", "", normalise_credit_code(text))
    if not code:
        return None
    if len(code) > 18 and repair:
        # A neighbouring cell's text run into the code ('…RYYRXD' + '100000' of 注册资本): exactly one
        # valid 18-character stretch is the code.
        inside = valid_codes_in(code)
        if len(inside) == 1:
            return CreditCodeReading(inside.pop(), True, repaired_from=code)
    if len(code) != 18 and repair and "O" in code:
        # No check character to confirm a repair, but an O stands in no code (GB 32100 leaves it out for
        # its likeness to 0): a code of the wrong length, invalid either way, keeps the 0 OCR made an O of.
        return CreditCodeReading(code.replace("O", "0"), False, repaired_from=code)
    if is_valid_credit_code(code) or not repair or len(code) != 18:
        return CreditCodeReading(code, is_valid_credit_code(code))
    suspects = [index for index in range(18) if _code_alternatives(code, index)]
    if not suspects and check_slip:
        return _check_character_repaired(code)
    if len(suspects) != 1:
        return CreditCodeReading(code, False)
    index = suspects[0]
    repaired = (code[:index] + alt + code[index + 1:] for alt in _code_alternatives(code, index))
    candidates = [candidate for candidate in repaired if is_valid_credit_code(candidate)]
    if len(candidates) == 1:
        return CreditCodeReading(candidates[0], True, repaired_from=code)
    return CreditCodeReading(code, False)


_PHONE_RUN = re.compile(rf"[+(（]?[\d{_LOOKALIKE_CLASS}][\d{_LOOKALIKE_CLASS}()（）\- ]*")
# A hyphen between two digits as OCR misreads it ("0837≠61538498", "0837一61538498"), or a point or
# comma between them, which no phone number holds: a speck read inside it ('172221.30828' for
# 17222130828) or its hyphen misread. One character for one, so spans found in the prepared text are
# spans of the original.
_MISREAD_HYPHEN = re.compile(r"(?<=\d)[≠=~～_一ー><·•.,，。](?=\d)")
_MOBILE = re.compile(r"1\d{10}")


def _phone_candidate(run: str) -> str | None:
    """A phone run → mobile (11 digits) or landline (area-number); otherwise digits and '-' as read."""
    if not any(char.isdigit() for char in run):
        return None
    fixed = "".join(DIGIT_LOOKALIKES.get(char, char) for char in run)
    digits = re.sub(r"\D", "", fixed)
    if len(digits) < 5:
        return None
    if digits.startswith("86") and _MOBILE.fullmatch(digits[2:]) and not _MOBILE.fullmatch(digits):
        digits = digits[2:]
    if _MOBILE.fullmatch(digits):
        return digits
    if digits.startswith("0") and 10 <= len(digits) <= 12:
        # Beijing, Tianjin, Shanghai, Chongqing and the 02x cities have 3-digit area codes.
        area_length = 3 if digits[1] in "12" else 4
        number = digits[area_length:]
        if len(number) in (7, 8):
            return f"{digits[:area_length]}-{number}"
    return re.sub(r"[^\d-]", "", fixed).strip("-") or None


def find_phone(text: str | None) -> tuple[str, int, int] | None:
    """The first phone number in `text`: (normalised number, start, end) of its span."""
    if not text:
        return None
    prepared = _MISREAD_HYPHEN.sub("-", nfkc(text).translate(_DASHES))
    for match in _PHONE_RUN.finditer(prepared):
        candidate = _phone_candidate(match.group(0))
        if candidate is not None:
            run = match.group(0).rstrip(" -")
            return candidate, match.start(), match.start() + len(run)
    return None


def parse_phone(text: str | None) -> str | None:
    """Mobile → 11 digits; landline → 0571-88886666; anything else with digits as read (digits and -)."""
    found = find_phone(text)
    return None if found is None else found[0]


def is_mobile(phone: str | None) -> bool:
    return phone is not None and _MOBILE.fullmatch(phone) is not None


def parse_email(text: str | None) -> str | None:
    """NFKC, no spaces, OCR's '。' / '，' in the domain read as '.'; the domain in lower case."""
    if not text:
        return None
    squeezed = re.sub(r"\s+", "", nfkc(_FILLERS.sub("", text)).replace("。", ".").replace("，", "."))
    squeezed = squeezed.strip(".,;:")
    if not squeezed:
        return None
    local, at, domain = squeezed.partition("@")
    return f"{local}{at}{domain.lower()}" if at else squeezed


# The address form the INVALID_EMAIL check accepts.
EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}")
# Public mail services: a domain one OCR confusion away from one of these is that one.
KNOWN_MAIL_DOMAINS = frozenset({
    "163.com", "126.com", "yeah.net", "qq.com", "vip.qq.com", "foxmail.com", "sina.com", "sina.cn", "vip.sina.com",
    "sohu.com", "aliyun.com", "139.com", "189.cn", "wo.cn", "21cn.com", "tom.com", "gmail.com", "outlook.com",
    "hotmail.com", "live.com", "msn.com", "yahoo.com", "icloud.com",
})
# What OCR makes of '@': symbols nothing else in an address is read as (any valid result will do) ...
# A ring crossed by a stroke ('Φ', 'Ø' and their lower-case and Cyrillic twins) is an '@' blurred.
_AT_SYMBOLS = ("(a)", "(@)", "©", "®", "@", "=", "Φ", "φ", "Ф", "ф", "Ø", "ø")
# ... and letters (or the 0 a photo's blur makes of it), which an address is full of (only a known
# mail domain after it will do).
_AT_LETTERS = "aoecQ0"  # c: the ring with its inner a lost to a fax's or photo's blur
# A blurred photo's '.' is a dash or a comma as often ('126-com', 'sina,com'): only a known domain made whole
# by it is taken.
_DOMAIN_LOOKALIKES = {"1": ("l", "i"), "l": ("1", "i"), "i": ("l", "1"), "0": ("o",), "o": ("0",), "5": ("s",),
                      "rn": ("m",), "vv": ("w",), "-": (".",), ",": (".",)}


@dataclass(frozen=True)
class EmailReading:
    """An address as stored and the text it was repaired from (if it was)."""

    value: str
    repaired_from: str | None = None
    doubtful: bool = False  # the text as read is as likely what was written (`repaired_from` the other reading)


# Glyphs one narrow stroke each: a monospaced face's wide cell round one of them can be read as two
# ('foxmail1.com' for foxmail.com), one beside the other.
_THIN_GLYPHS = frozenset("1liI")
# A mail service's name this long, one character misread anywhere in it, is still told from every other
# ('sinn' is sina and nothing else); a shorter one is not ('tim' may be tom, or a company's own).
SLIP_NAME_MIN = 4
# Two characters off, one of them a lookalike, a name this long is still one service's (foxmail, hotmail and
# outlook are seven letters; fotmai1 is as far from foxmail as from hotmail, and so taken for neither).
SLIP_AND_LOOKALIKE_MIN = 6


def _known_domain(domain: str, slip: bool = False) -> str | None:
    """`domain` if it is a known mail domain, or the one known domain a single OCR lookalike away from it,
    or one thin glyph read twice away ('foxmail1.com'). With `slip` (an address whose '@' was misread too,
    so that it was no address as read), also the one known domain whose name of SLIP_NAME_MIN characters or
    more is one character away from the domain's ('esine.com' after a digit: sina.com), or, for a name of
    SLIP_AND_LOOKALIKE_MIN characters or more, one character and one lookalike away ('efoumai1.com' after a
    digit, a drawn scan's x read u and l read 1: foxmail.com)."""
    if domain in KNOWN_MAIL_DOMAINS:
        return domain
    lookalikes = {
        domain[:index] + good + domain[index + len(bad):]
        for bad, goods in _DOMAIN_LOOKALIKES.items()
        for index in range(len(domain)) if domain.startswith(bad, index)
        for good in goods
    }
    fixes = lookalikes | {
        domain[:index] + domain[index + 1:]
        for index in range(1, len(domain))
        if domain[index] in _THIN_GLYPHS and domain[index - 1] in _THIN_GLYPHS
    }
    if slip:
        fixes |= {known for known in KNOWN_MAIL_DOMAINS if _one_slip_in_name(domain, known)}
        fixes |= {known for known in KNOWN_MAIL_DOMAINS for fix in lookalikes
                  if len(known.partition(".")[0]) >= SLIP_AND_LOOKALIKE_MIN and _one_slip_in_name(fix, known)}
    fixes &= KNOWN_MAIL_DOMAINS
    return fixes.pop() if len(fixes) == 1 else None


def _one_slip_in_name(domain: str, known: str) -> bool:
    """The two domains differ in one character of their first label, SLIP_NAME_MIN characters or longer."""
    name, _, rest = domain.partition(".")
    known_name, _, known_rest = known.partition(".")
    return (rest == known_rest and len(name) == len(known_name) >= SLIP_NAME_MIN
            and sum(a != b for a, b in zip(name, known_name, strict=True)) == 1)


def _glued_to_known_domain(address: str) -> bool:
    """The domain is a known mail domain with characters glued before it ('mp1941foxmail.com'): the
    address's '@' belongs before that domain and nothing stands there, so it was left out, not misread."""
    domain = address.rpartition("@")[2].lower()
    return any(domain != known and domain.endswith(known) and domain[-len(known) - 1].isalnum()
               for known in KNOWN_MAIL_DOMAINS)


def _with_known_domain(address: str) -> str:
    local, _, domain = address.rpartition("@")
    known = _known_domain(domain)
    return f"{local}@{known}" if known else address


def _capital_i_as_l(address: str) -> str:
    """An address written in lower case but for a capital I ('Ik397@qq.com'): in a sans face I and l are one
    glyph, and a writer of lower case writes l (an i has its dot). An I between two digits may be a 1 and is
    left; so is any I in an address holding another capital."""
    if "I" not in address or any(char.isupper() and char != "I" for char in address):
        return address
    return re.sub(r"I(?!(?<=\dI)\d)", "l", address)


def _thin_glyphs_by_neighbours(address: str) -> str:
    """A user part's 1 between two letters read as l, and its l among digits read as 1 ('r1kn504' · 'cc141l'):
    the two are one stroke at a scan's resolution, and a user name runs letters and digits in blocks, so
    the glyph is what both its neighbours are (the '@' closing a block of digits counts as one). One beside a
    letter and a digit ('hqfal188'), or opening the user part, is left as read;
    so is an address holding a capital (its writer mixes cases, and no block rule holds)."""
    user, at, domain = address.partition("@")
    if not at or any(char.isupper() for char in user):
        return address

    def kind(index: int) -> str:
        if index == len(user):
            return "edge"  # the '@' ends a block; a user's start says nothing ('l1ang' may be liang)
        if index < 0:
            return "start"
        char = user[index]
        return "digit" if char.isdigit() else "letter" if char.isascii() and char.isalpha() and char != "l" else "other"

    chars = list(user)
    for index, char in enumerate(user):
        sides = {kind(index - 1), kind(index + 1)}
        if char == "1" and sides == {"letter"}:
            chars[index] = "l"
        elif char == "l" and "digit" in sides and sides <= {"digit", "edge"}:
            chars[index] = "1"
    return f"{''.join(chars)}@{domain}"


def repair_email(text: str | None) -> EmailReading | None:
    """`parse_email`, then one OCR misreading repaired when exactly one repair makes a valid address.

    - '@' read as a symbol ('©', '®', '(a)', a space between the user and the domain):
      each place is tried; kept when exactly one place gives a valid address.
    - '@' read as a letter ('o', 'a', 'e', 'c', 'Q'): only right after a digit and when the
      domain after it is a known mail service, as an address holds many letters.
    - a known mail domain with one lookalike in it ('foxmai1.com'): that domain.

    A missing '@' (nothing in its place) or one written as something else ('#', ' at ')
    is not guessed: the address stays as read, and INVALID_EMAIL tells the reviewer.
    """
    value = parse_email(text)
    if value is None or text is None:
        return None
    if EMAIL.fullmatch(value):
        fixed = _with_known_domain(_thin_glyphs_by_neighbours(_capital_i_as_l(value)))
        return EmailReading(fixed, value if fixed != value else None)
    if "@" in value:
        # No address as read: a known mail domain one lookalike away ('163-com') is the only one it can be.
        fixed = _with_known_domain(value)
        return EmailReading(fixed, value) if EMAIL.fullmatch(fixed) else EmailReading(value)
    flat = nfkc(_FILLERS.sub("", text)).strip()
    # "at" as a word of its own ("li at 163.com"), not the start of a user name ("at0©126.com").
    if re.search(r"(?i)(?<![a-z0-9])at(?![a-z0-9])|[\[(（]at[\])）]", flat):
        return EmailReading(value)  # "name at host": written out on purpose, not misread
    candidates: set[str] = set()
    spaced = re.sub(r"\s+", " ", flat.replace("。", ".").replace("，", "."))
    for symbol in (*_AT_SYMBOLS, " "):
        source = spaced if symbol == " " else value
        start = source.find(symbol)
        while start >= 0:
            repaired = parse_email(source[:start] + "@" + source[start + len(symbol):])
            if repaired is not None and EMAIL.fullmatch(repaired) and not _glued_to_known_domain(repaired):
                candidates.add(_with_known_domain(repaired))
            start = source.find(symbol, start + 1)
    candidates |= _foreign_at(value)
    if len(candidates) == 1:
        return EmailReading(candidates.pop(), value)
    lettered: dict[str, bool] = {}  # repaired address -> whether it stays in doubt
    for index, char in enumerate(value):
        # A letter between a digit and a known domain ("pf1036osina.com"): a name-like user
        # ending in that letter with the '@' left out ("lihuaqq.com") is not touched.
        # A thin glyph after a digit ('xqrr4lo126.com') is as likely a 1 OCR read as a letter, with the '@'
        # misread after it: the repair is taken, in doubt (which of 1 and l it was is not known either).
        thin_digit = index > 1 and value[index - 1] in _THIN_GLYPHS and value[index - 2].isdigit()
        if char in _AT_LETTERS and index > 0 and (value[index - 1].isdigit() or thin_digit):
            repaired = value[:index] + "@" + value[index + 1:].lower()
            known = _known_domain(repaired[index + 1:], slip=True)
            if known is not None and EMAIL.fullmatch(f"{repaired[:index]}@{known}"):
                # A 0 is as likely the user's own last digit with the '@' left out; a domain one slip from
                # the known one is a second character put right on no other evidence: both stay in doubt.
                slipped = _known_domain(repaired[index + 1:]) is None
                if char == "0" and len(known) != len(repaired) - index - 1:
                    # A 0 as '@' with a character dropped from the domain ('aa001126.com': 1126 as 126) is two
                    # guesses where '@' left out after the user's own digits reads it whole: not repaired.
                    continue
                lettered[f"{repaired[:index]}@{known}"] = char == "0" or slipped or thin_digit
    if not candidates and len(lettered) == 1:
        address, doubtful = lettered.popitem()
        return EmailReading(address, value, doubtful=doubtful)
    return EmailReading(value)


def _foreign_at(value: str) -> set[str]:
    """The addresses made by reading as '@' a character no address holds (outside ASCII and not a Chinese
    one: 'nqjd685φ163.com', a drawn scan's '@') standing right before a known mail domain."""
    found = set()
    for index, char in enumerate(value):
        if index and not char.isascii() and not is_cjk(char):
            known = _known_domain(value[index + 1:].lower())
            if known is not None and EMAIL.fullmatch(address := f"{value[:index]}@{known}"):
                found.add(address)
    return found


_DOMAINS_LONGEST_FIRST = sorted(KNOWN_MAIL_DOMAINS, key=len, reverse=True)  # vip.qq.com before qq.com


def at_read_apart(readings: Sequence[str]) -> str | None:
    """The address several readings of one place agree on but for the character before a known mail
    domain, which each read as something else ('cqma522=163.com', 'cqma5220163.com'): a glyph every
    engine takes for a different one is the '@' none of them reads at this resolution. An address
    written without its '@' reads the same every time, and is left alone. The user part is the last
    reading's (the readings come in order of trust)."""
    parts: list[tuple[str, str, str]] = []  # user, the character in the '@' place, domain
    for reading in readings:
        value = parse_email(reading)
        if value is None or "@" in value:
            continue
        for domain in _DOMAINS_LONGEST_FIRST:
            if value.lower().endswith(domain) and len(value) > len(domain) + 1:
                head = value[:-len(domain)]
                parts.append((head[:-1], head[-1], domain))
                break
    if len(parts) < 2 or len({char for _, char, _ in parts}) < 2 or len({domain for *_, domain in parts}) > 1:
        return None
    user, _, domain = parts[-1]
    address = f"{user}@{domain}"
    return address if EMAIL.fullmatch(address) else None


# --- industries ----------------------------------------------------------------------

_INDUSTRY_SEPARATORS = re.compile(r"[、丶，,/／;；]+")  # 丶 is how OCR often reads 、
_INDUSTRY_CONJUNCTIONS = re.compile(r"[和及与]")
# A point between two characters of a name: a speck OCR read there, or a 、 misread ('船舶工.业' for 船舶工业).
# No industry's name holds one; known names written together are split again by `_segment`.
_POINT_IN_NAME = re.compile(r"(?<=[\u4e00-\u9fff])\s*[.．·。]\s*(?=[\u4e00-\u9fff])")
# One Latin letter wedged between two characters of a name: a stroke or speck read as a letter ('集成电路设i计',
# dev44 a09). No industry's name mixes one letter into its characters.
_LETTER_IN_NAME = re.compile(r"(?<=[\u4e00-\u9fff])\s*[A-Za-z]\s*(?=[\u4e00-\u9fff])")


# Every name the notice's industries are written by: the 14 and their aliases.
_INDUSTRY_NAMES = (*CANONICAL_INDUSTRIES, *INDUSTRY_ALIASES)


def _known_industry(name: str) -> bool:
    return canonical_industry(name) in CANONICAL_INDUSTRIES


def _names_industry(piece: str) -> bool:
    """A known name, or one with a character misread ('电子信惠制造' in '…建材行业电子信惠制造医药')."""
    return _known_industry(piece) or one_slip_industry(piece) is not None


def _segment(run: str) -> list[str] | None:
    """Known names written without separators (机械汽车, 装备制造建材行业船舱) split out; None if there are none.

    The split covers as much of the run with known names as it can; what is left
    between them stays as written (an unknown name, or one OCR misread).
    """
    # best[i]: (characters covered by known names, pieces) for run[:i]
    start_state: tuple[int, list[str]] = (0, [])
    unreached: tuple[int, list[str]] = (-1, [])
    best = [start_state] + [unreached] * len(run)
    for end in range(1, len(run) + 1):
        for start in range(max(0, end - 8), end):
            covered, pieces = best[start]
            piece = run[start:end]
            if _names_industry(piece):
                # A name read with one character other covers that character less: an exact name wins a tie.
                candidate = (covered + len(piece) - (not _known_industry(piece)), [*pieces, piece])
            elif pieces and not _names_industry(pieces[-1]):
                candidate = (covered, [*pieces[:-1], pieces[-1] + piece])
            else:
                candidate = (covered, [*pieces, piece])
            if candidate[0] > best[end][0] or (candidate[0] == best[end][0] and len(candidate[1]) < len(best[end][1])):
                best[end] = candidate
    covered, pieces = best[len(run)]
    return pieces if covered and len(pieces) > 1 else None


def _split_on_spaces(chunk: str) -> list[str]:
    """Spaces separate industries only where the pieces are known names; OCR spaces are joined back."""
    tokens = chunk.split()
    names: list[str] = []
    unknown: list[str] = []
    index = 0
    while index < len(tokens):
        for end in range(len(tokens), index, -1):
            candidate = "".join(tokens[index:end])
            if _known_industry(candidate):
                if unknown:
                    names.append(collapse_spaces(" ".join(unknown)))
                    unknown = []
                names.append(candidate)
                index = end
                break
        else:
            unknown.append(tokens[index])
            index += 1
    if unknown:
        names.append(collapse_spaces(" ".join(unknown)))
    return [part for name in names for part in (_segment(name) or [name])]


def _strip_industry(name: str) -> str:
    name = name.strip(" 。.:：等")
    name = re.sub(r"等(?:行业|领域)?$", "", name)
    return name.strip()


def parse_industries(text: str | None) -> list[str]:
    """'机械、汽车 / 电子信息' → canonical names in order, unknown kept as written.

    A line break is not a separator: a cell wraps 电子信息\n制造 in the middle of a name. An industry
    written twice ('建材行业、建材') is two of the items the applicant listed, and the notice limits the
    items: both are kept, as written.
    """
    if not text:
        return []
    names: list[str] = []
    joined = re.sub(r"(?<=[\u4e00-\u9fff])\s*\n\s*(?=[\u4e00-\u9fff])", "", text).replace("\n", " ")
    joined = _LETTER_IN_NAME.sub("", _POINT_IN_NAME.sub("", joined))
    for chunk in _INDUSTRY_SEPARATORS.split(nfkc_keep_cjk_punctuation(_FILLERS.sub(" ", joined))):
        chunk = _strip_industry(chunk)
        if not chunk:
            continue
        parts = _INDUSTRY_CONJUNCTIONS.split(chunk)
        words = chunk.split()
        if (len(words) > 1 and not _known_industry(chunk.replace(" ", ""))
                and all(_known_industry(_strip_industry(word)) for word in words)):
            # known names a space apart are names, not one name slipped ('食品 轻工' is no misread 食品加工)
            pieces = words
        elif (slipped := one_slip_industry(chunk.replace(" ", ""))) is not None:
            pieces = [slipped]  # before splitting: a misread character must not part a name ('电子信息制适')
        elif len(parts) > 1 and all(_known_industry(_strip_industry(part.replace(" ", ""))) for part in parts):
            pieces = [_strip_industry(part.replace(" ", "")) for part in parts]
        else:
            pieces = _split_on_spaces(chunk)
        for piece in pieces:
            piece = _strip_industry(piece)
            if len(piece) == 1 and not _known_industry(piece):
                continue  # no industry is one character: a stray from the next cell or a misread mark
            if piece:
                names.append(one_slip_industry(piece) or canonical_industry(piece))
    return names


# Characters (without 行业): in a shorter name one character misread is a third of the evidence or more.
MIN_SLIPPED_INDUSTRY = 4


def one_slip_industry(name: str) -> str | None:
    """The canonical industry an unknown name is one misread character from ('坊织服装' for 纺织服装), where
    the industries' names and aliases that near (same length, one character other; 行业 set aside, as it
    would make any two-character names near) all name one; None where none or two do."""
    bare = name.removesuffix("行业")
    if _known_industry(name) or len(bare) < MIN_SLIPPED_INDUSTRY:
        return None
    near = {canonical_industry(known) for known in _INDUSTRY_NAMES
            if len(known) == len(bare) and Hamming.distance(bare, known) == 1}
    return near.pop() if len(near) == 1 else None


# --- addresses --------------------------------------------------------------------------

# China's province-level divisions (public fact), with which a registered address written in full opens.
PROVINCE_LEVEL = ("北京市", "天津市", "上海市", "重庆市", "河北省", "山西省", "辽宁省", "吉林省", "黑龙江省", "江苏省",
                  "浙江省", "安徽省", "福建省", "江西省", "山东省", "河南省", "湖北省", "湖南省", "广东省", "海南省",
                  "四川省", "贵州省", "云南省", "陕西省", "甘肃省", "青海省", "台湾省", "内蒙古自治区", "广西壮族自治区",
                  "西藏自治区", "宁夏回族自治区", "新疆维吾尔自治区", "香港特别行政区", "澳门特别行政区")


def address_from_place(text: str | None) -> str | None:
    """An address without one stray character read before the province that opens it ('人浙江省宁波市鄞州区':
    a neighbouring label's last character run in); no address opens with one character and then a province."""
    if not text or len(text.strip()) < 2 or text.lstrip().startswith(PROVINCE_LEVEL):
        return text
    head, rest = text.lstrip()[0], text.lstrip()[1:].lstrip()  # the stray may stand on a line of its own
    if rest.startswith(PROVINCE_LEVEL) and _is_cjk(head):
        return rest
    return _after_label_note(_after_dates_rest(text))


_ADDRESS_NOTE = "具体到区县"  # the label's note, 注册地（具体到区县）, whose words a wrapped label puts beside the value


def _after_label_note(text: str) -> str:
    """An address without the label's note's words run in before its province ('本到福建省福州市闽侯县': 体到 of
    （具体到区县）, one character misread): two or more characters, each the note's in its place but one."""
    starts = [index for place in PROVINCE_LEVEL if (index := text.find(place)) > 0]
    if not starts:
        return text
    head = re.sub(r"[\s（）()]", "", text[:min(starts)])
    pieces = [_ADDRESS_NOTE[i:i + len(head)] for i in range(len(_ADDRESS_NOTE) - len(head) + 1)]
    near = len(head) >= 2 and any(Hamming.distance(head, piece) <= 1 for piece in pieces)
    return text[min(starts):] if near else text


def _after_dates_rest(text: str) -> str:
    """An address without a date's wrapped rest run in before its province ('月16日浙江省绍兴市柯桥区': the cell
    above's last line, on lines of text), one character after it or not: no address writes figures before its
    province."""
    starts = [index for place in PROVINCE_LEVEL if (index := text.find(place)) > 0]
    if not starts:
        return text
    head = text[:min(starts)]
    dated = re.search(r"\d", head) and re.search(r"[年月日]", head)  # a date's part, not a lone figure ('1浙江省…')
    # The date's rest may carry one character of the next line run on ('月16日人福建省…').
    return text[min(starts):] if dated and re.fullmatch(r"[\d\s年月日号./\-]+(?:[\u4e00-\u9fff]\s*)?", head) else text


# --- the recommending department ----------------------------------------------------

# The notice goes to each province's 工业和信息化主管部门: a place, then 工业和信息化 or 经济和信息化,
# then 厅, 局 or 委员会. The head and the suffix are few, so an OCR slip in them can be undone.
_DEPARTMENT = re.compile(r"^(?P<place>.+?(?:省|市|自治区|兵团))(?P<kind>..)和信息化(?P<suffix>委员会|..?)$")
_DEPARTMENT_KINDS = ("工业", "经济")
_DEPARTMENT_SUFFIXES = ("厅", "局", "委员会", "委")
# Characters OCR reads for 厅 and 局 (no department name ends in them).
_SUFFIX_LOOKALIKES = {"斤": "厅", "庁": "厅", "厉": "厅", "厂": "厅", "广": "厅", "亍": "厅", "居": "局", "扃": "局"}


# The fixed part of a department's name after its place, as the notice's addressees are named.
_DEPARTMENT_TAILS = tuple(f"{kind}和信息化{suffix}" for kind in _DEPARTMENT_KINDS for suffix in ("厅", "局", "委员会"))
_PLACE = re.compile(r"^.+?(?:省|市|自治区|兵团)")
MAX_TAIL_EDITS = 2  # characters of the fixed part OCR may have dropped, added or changed


# The departments the notice goes to, as each province-level government and plan city names its own
# (public fact): the fixed part after the place. Ties between fixed parts are settled by it, and a name
# read with its end cut off (a wrapped 委员会) is completed by it.
_DEPARTMENT_OF_PLACE = {
    **dict.fromkeys(("浙江省", "安徽省", "湖北省", "四川省", "西藏自治区"), "经济和信息化厅"),
    **dict.fromkeys(("北京市", "宁波市"), "经济和信息化局"),
    **dict.fromkeys(("上海市", "重庆市"), "经济和信息化委员会"),
    **dict.fromkeys(("河北省", "山西省", "内蒙古自治区", "辽宁省", "吉林省", "黑龙江省", "江苏省", "福建省", "江西省",
                     "山东省", "河南省", "湖南省", "广东省", "广西壮族自治区", "海南省", "贵州省", "云南省", "陕西省",
                     "甘肃省", "青海省", "宁夏回族自治区", "新疆维吾尔自治区"), "工业和信息化厅"),
    **dict.fromkeys(("天津市", "新疆生产建设兵团", "大连市", "青岛市", "厦门市", "深圳市"), "工业和信息化局"),
}
# The places whose departments the notice goes to: province-level divisions, plan cities, 兵团.
NOTICE_PLACES = tuple(_DEPARTMENT_OF_PLACE)
# A tail read this far into a place's own fixed part (经济和信息化 of 经济和信息化委员会) and cut there is it.
MIN_CUT_TAIL = 6
# A tail this long, read as the start of the place's own fixed part with one OCR slip and cut there (a seal
# over the name's end: '浙江省经济和信意', '北京市经济权信'), is it too: no other fixed part is that near.
MIN_SLIPPED_CUT_TAIL = 4
# Every department the notice goes to, named in full (place and fixed part).
_KNOWN_DEPARTMENTS = tuple(f"{place}{tail}" for place, tail in _DEPARTMENT_OF_PLACE.items())


def _nearest_department(name: str) -> str:
    """A name whose fixed part OCR garbled beyond the pattern ('…工业和信比厅', '…企和信息化厅') or cut short
    ('重庆市经济和信息化'): the one fixed part within two edits of what was read, and nearer than any other,
    or, tied or cut, the one the place's department is named by; as read otherwise."""
    place = _PLACE.match(name)
    if place is None:
        return name
    tail = name[place.end():]
    own = _DEPARTMENT_OF_PLACE.get(place.group())
    if own is not None and len(tail) >= MIN_CUT_TAIL and own.startswith(tail):
        return f"{place.group()}{own}"
    if own is not None and len(tail) >= MIN_SLIPPED_CUT_TAIL and Levenshtein.distance(tail, own[:len(tail)]) <= 1:
        return f"{place.group()}{own}"
    distances = sorted((Levenshtein.distance(tail, known), known) for known in _DEPARTMENT_TAILS)
    best = distances[0][0]
    nearest = [known for distance, known in distances if distance == best]
    if len(nearest) > 1:
        nearest = [known for known in nearest if known == own]
    return f"{place.group()}{nearest[0]}" if best <= MAX_TAIL_EDITS and len(nearest) == 1 else name


# Of a department name's fixed part, the share a reading's own must keep, in order, to be a garbled reading
# of it ('二业和化斤' keeps 业和化 of 工业和信息化厅) rather than another body's name ('财政厅').
GARBLED_TAIL_SHARE = 0.5


def garbled_department(reading: str, department: str) -> bool:
    """Whether `reading` is `department`, a recommending department's name in the notice's form (a place,
    then a fixed part), read with its fixed part garbled beyond repair: the same place, a fixed part that
    is no department's, keeping at least half its characters in the department's order."""
    place = _PLACE.match(department)
    if place is None or department[place.end():] not in _DEPARTMENT_TAILS or not reading.startswith(place.group()):
        return False
    tail, own = reading[place.end():], department[place.end():]
    # A mark or digit read in it ('江苏省二…和1化！') is noise, no character of any department's name: the
    # share is of the characters read.
    read = _han_only(tail)
    return bool(read) and tail not in _DEPARTMENT_TAILS and LCSseq.similarity(read, own) >= GARBLED_TAIL_SHARE * len(read)


def _han_only(text: str) -> str:
    return "".join(char for char in text if "\u4e00" <= char <= "\u9fff")


MIN_GARBLED_TAIL = 4  # characters (marks and digits aside) of a fixed part read garbled: fewer are too little to name it


def department_of_garbled(name: str | None) -> str | None:
    """The department the notice names for the place `name` opens with, where the rest is that department's
    fixed part garbled beyond repair (`garbled_department`: '山西省二业和化斤', '广西壮族自治区广业和作。化厅'): the notice
    goes to one department per place, so it is the one name the reading can be. None otherwise."""
    if not name or (place := _PLACE.match(name)) is None or place.group() not in _DEPARTMENT_OF_PLACE:
        return None
    department = f"{place.group()}{_DEPARTMENT_OF_PLACE[place.group()]}"
    tail = name[place.end():]
    if len(_han_only(tail)) < MIN_GARBLED_TAIL or name == department or not garbled_department(name, department):
        return None
    return department


def _one_slip_from_a_known_department(name: str) -> str | None:
    """The one department the notice goes to whose full name is a single OCR slip from `name`, anywhere in
    it ('四川首经济和信息化厅': 省 under a seal's ring read 首); None where none is, or two are as near."""
    near = [known for known in _KNOWN_DEPARTMENTS if Levenshtein.distance(name, known, score_cutoff=1) <= 1]
    return near[0] if len(near) == 1 else None


# A speck read as a Latin mark between two Chinese characters ('湖北.省…'): a department's name is Chinese
# characters only.
_STRAY_MARK = re.compile(r"(?<=[\u4e00-\u9fff])[.,·'`:;]+(?=[\u4e00-\u9fff])")


def repair_department(name: str | None) -> str | None:
    """A recommending department's name with one OCR slip in its fixed parts undone.

    '浙江省经济和信息化斤' → '浙江省经济和信息化厅', '北京市经避和信息化局' → '北京市经济和信息化局'.
    The place is changed only where the whole name is one slip from a known department's ('四川首…'); a name
    that does not follow the pattern is returned as read.
    """
    if not name:
        return name
    name = _STRAY_MARK.sub("", name)
    if (known := _one_slip_from_a_known_department(name)) is not None:
        return known
    match = _DEPARTMENT.match(name)
    if match is None:
        return _nearest_department(name)
    kind, suffix = match.group("kind"), match.group("suffix")
    if kind not in _DEPARTMENT_KINDS:
        close = [k for k in _DEPARTMENT_KINDS if sum(a != b for a, b in zip(k, kind, strict=True)) == 1]
        if len(close) != 1:
            return name
        kind = close[0]
    if suffix not in _DEPARTMENT_SUFFIXES:
        own = _DEPARTMENT_OF_PLACE.get(match.group("place"), "")
        if suffix in _SUFFIX_LOOKALIKES:
            suffix = _SUFFIX_LOOKALIKES[suffix]
        elif len(suffix) == 1 and own.startswith(f"{kind}和信息化") and len(own) == len(f"{kind}和信息化") + 1:
            suffix = own[-1]  # one character misread where the place's department has its one-character suffix
        else:
            return name
    return f"{match.group('place')}{kind}和信息化{suffix}"



# Titles of a unit's head as Chinese companies, institutes and associations write them (not the notice's: the
# form leaves the title free), and a company's usual pairs of them.
_HEAD_TITLES = ("董事长", "副董事长", "董事", "执行董事", "总经理", "副总经理", "总裁", "副总裁", "经理", "厂长",
                "院长", "副院长", "所长", "副所长", "主任", "副主任", "理事长", "副理事长", "会长", "副会长",
                "秘书长", "校长", "副校长", "党委书记", "总工程师", "首席执行官", "法定代表人", "负责人")
HEAD_TITLES = frozenset((*_HEAD_TITLES, *(f"{one}兼总经理" for one in ("董事长", "执行董事", "董事"))))
MIN_REPAIRED_TITLE = 4  # characters a title needs before one misread in it points to one title only


def repair_title(title: str | None) -> str | None:
    """A head's title with one character misread in its place undone ('执行盖事' → 执行董事, '董事长糖总经理' →
    董事长兼总经理), where exactly one known title (`HEAD_TITLES`) is that one character away and has four
    characters or more; a shorter title is one character from several ('得事长': 理事长, 董事长) and stays as read,
    as does any title no known one is near. A title its cell cut short ('董事长兼总经') is one character from no
    title of its length (a pair with 总裁 would be: no such pair is listed)."""
    if not title or title in HEAD_TITLES or len(title) < MIN_REPAIRED_TITLE:
        return title
    near = [known for known in HEAD_TITLES if len(known) == len(title) and Hamming.distance(known, title) == 1]
    return near[0] if len(near) == 1 else title
