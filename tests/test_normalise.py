"""Property tests for the normalisers: what is written in any accepted form reads back as the value."""

from __future__ import annotations

import datetime as dt
import random
import unicodedata

import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from models.codes import CANONICAL_INDUSTRIES, CREDIT_CODE_ALPHABET, credit_code_check_char, is_valid_credit_code
from pipeline.normalise import (
    KNOWN_MAIL_DOMAINS,
    CreditCodeReading,
    clean_name,
    find_phone,
    parse_amount,
    parse_credit_code,
    parse_date,
    parse_daxie_amount,
    parse_email,
    parse_industries,
    parse_int,
    parse_percent,
    parse_phone,
    repair_department,
    repair_email,
)

FULL_WIDTH = str.maketrans("0123456789.,%", "０１２３４５６７８９．，％")
any_text = st.text(max_size=40)


def thousands(integer: int) -> str:
    return f"{integer:,}"


def ocr_spaces(text: str, rng: random.Random) -> str:
    """Insert a space at one random place: OCR splits numbers and dates like that."""
    if len(text) < 2:
        return text
    cut = rng.randrange(1, len(text))
    return text[:cut] + " " + text[cut:]


@st.composite
def written_amounts(draw: st.DrawFn) -> tuple[str, float]:
    """(text as an applicant or OCR might give it, value in 万元)."""
    cents = draw(st.integers(min_value=0, max_value=10**10))
    value = cents / 100
    integer, fraction = divmod(cents, 100)
    body = thousands(integer) if draw(st.booleans()) else str(integer)
    if fraction:
        body += f".{fraction:02d}".rstrip("0") if draw(st.booleans()) else f".{fraction:02d}"
    if draw(st.booleans()):
        body = body.translate(FULL_WIDTH)
    unit = draw(st.sampled_from(["", "万元", " 万元", "万"]))
    filler = draw(st.sampled_from(["", "____", "＿＿"]))
    return f"{filler}{body}{filler}{unit}", value


@given(written_amounts())
def test_amount_round_trip(case: tuple[str, float]) -> None:
    text, value = case
    assert parse_amount(text) == pytest.approx(value)


@given(st.integers(min_value=0, max_value=10**9), st.sampled_from(["元", "", "(元)"]))
def test_amount_in_yuan_becomes_wan(yuan: int, header: str) -> None:
    text = str(yuan) + ("元" if header == "" else "")
    assert parse_amount(text, header_unit=header or "万元") == pytest.approx(yuan / 10_000)


@given(st.integers(min_value=0, max_value=10**7), st.randoms(use_true_random=False))
def test_amount_survives_ocr(integer: int, rng: random.Random) -> None:
    text = ocr_spaces(str(integer), rng)
    # O for 0 and l for 1 are the classic confusions; only repaired inside a number.
    text = text.replace("0", "O", 1) if rng.random() < 0.5 else text.replace("1", "l", 1)
    assume(any(char.isdigit() for char in text))
    assert parse_amount(text + "万元") == pytest.approx(integer)


@given(any_text)
def test_numbers_are_total(text: str) -> None:
    for parse in (parse_amount, parse_percent, parse_int, parse_date, parse_phone, parse_email, clean_name):
        parse(text)  # never raises
    parse_industries(text)
    parse_credit_code(text)


def test_a_decimal_point_read_as_a_comma_after_thousands_groups_is_a_point() -> None:
    assert parse_amount("31,831,50万") == 31831.5  # not 3,183,150
    assert parse_amount("1,234,567") == 1234567.0  # thousands groups throughout
    assert parse_amount("8.802,00") == 8802.0  # each separator read as the other
    assert parse_amount("1.234.567,5") == 1234567.5


def test_words_are_not_numbers() -> None:
    assert parse_amount("暂无") is None
    assert parse_int("is") is None
    assert parse_amount("____万元") is None
    assert parse_int("12.5家") is None


@given(st.integers(min_value=-9999, max_value=99999), st.sampled_from(["%", "％", " %", ""]))
def test_percent_round_trip(tenths: int, sign: str) -> None:
    value = tenths / 10
    assert parse_percent(f"{value}{sign}") == pytest.approx(value)


@given(st.integers(min_value=0, max_value=10**8), st.sampled_from(["", "家", "人次", "个", " 人"]),
       st.booleans(), st.booleans())
def test_int_round_trip(count: int, unit: str, separators: bool, wide: bool) -> None:
    text = thousands(count) if separators else str(count)
    text = text.translate(FULL_WIDTH) if wide else text
    assert parse_int(text + unit) == count


DATE_FORMATS = (
    "{y}/{m}/{d}", "{y}.{m:02d}.{d:02d}", "{y}年{m}月{d}日", "{y}-{m:02d}-{d:02d}", "{y}年{m:02d}月{d:02d}日",
    "{y}.{m}.{d}", "{y}{m:02d}{d:02d}",
)


@given(st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2099, 12, 31)), st.sampled_from(DATE_FORMATS),
       st.randoms(use_true_random=False))
def test_date_round_trip(date: dt.date, form: str, rng: random.Random) -> None:
    text = form.format(y=date.year, m=date.month, d=date.day)
    if "{y}{m" not in form:
        text = ocr_spaces(text, rng)
    assert parse_date(text) == date


@given(st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2099, 12, 31)))
def test_chinese_numeral_date(date: dt.date) -> None:
    digits = "〇一二三四五六七八九"

    def small(n: int) -> str:
        tens, ones = divmod(n, 10)
        return ("" if tens == 0 else ("十" if tens == 1 else digits[tens] + "十")) + (digits[ones] if ones else "")

    text = "".join(digits[int(c)] for c in str(date.year)) + f"年{small(date.month)}月{small(date.day)}日"
    assert parse_date(text) == date


def test_a_cells_rule_read_apart_from_a_date_is_no_digit_of_it() -> None:
    assert parse_date("2015/9/28 |") == dt.date(2015, 9, 28)  # the cell's right rule read as a bar
    assert parse_date("丨 2015/9/28") == dt.date(2015, 9, 28)
    assert parse_date("2015/9/2|") == dt.date(2015, 9, 21)  # a bar against the figures: the 1 it looks like


def test_impossible_dates_are_none() -> None:
    assert parse_date("2024年2月30日") is None
    assert parse_date("2024年3月") is None


def test_a_date_with_one_separator_lost_is_read_by_the_other() -> None:
    assert parse_date("2020-0901") == dt.date(2020, 9, 1)
    assert parse_date("202411-12") == dt.date(2024, 11, 12)
    assert parse_date("2024.1231") == dt.date(2024, 12, 31)
    assert parse_date("2024126") is None  # 2024-1-26 or 2024-12-6: not guessed


@st.composite
def credit_codes(draw: st.DrawFn) -> str:
    first17 = "".join(draw(st.lists(st.sampled_from(CREDIT_CODE_ALPHABET), min_size=17, max_size=17)))
    # The division code (characters 3-8) is digits in every real code.
    first17 = first17[:2] + "".join(draw(st.lists(st.sampled_from("0123456789"), min_size=6, max_size=6))) + first17[8:]
    check = credit_code_check_char(first17)
    assert check is not None
    return first17 + check


@given(credit_codes(), st.sampled_from(["", " ", "-"]))
def test_valid_code_kept(code: str, separator: str) -> None:
    written = code[:6] + separator + code[6:].lower()
    reading = parse_credit_code(unicodedata.normalize("NFKC", written))
    assert reading is not None and reading.value == code and reading.valid and reading.repaired_from is None


@given(credit_codes(), st.data())
def test_single_impossible_confusion_repaired(code: str, data: st.DataObject) -> None:
    swaps = {"0": "O", "1": "I", "2": "Z", "5": "S"}
    positions = [i for i, char in enumerate(code) if char in swaps]
    assume(positions)
    position = data.draw(st.sampled_from(positions))
    damaged = code[:position] + swaps[code[position]] + code[position + 1:]
    reading = parse_credit_code(damaged)
    assert reading is not None
    # Repaired to the original, or (if another lookalike also validates) left as read: never a wrong code.
    assert reading.value in (code, damaged)
    if reading.value == code:
        assert reading.repaired_from == damaged and reading.valid


@given(st.text(alphabet=CREDIT_CODE_ALPHABET, min_size=18, max_size=18))
def test_possible_code_never_changed(code: str) -> None:
    """A code made of possible characters outside the division digits is kept as read, valid or not."""
    code = code[:2] + "330100" + code[8:]
    reading = parse_credit_code(code)
    assert reading is not None and reading.value == code and reading.valid == is_valid_credit_code(code)


@given(st.text(alphabet="0123456789", min_size=10, max_size=10), st.sampled_from(["", " ", "-"]), st.booleans())
def test_mobile_round_trip(rest: str, separator: str, prefix: bool) -> None:
    mobile = "1" + rest
    written = ("+86 " if prefix else "") + mobile[:3] + separator + mobile[3:7] + separator + mobile[7:]
    assert parse_phone(written) == mobile
    found = find_phone("联系人：张三 " + written)
    assert found is not None and found[0] == mobile


@given(st.sampled_from(["010", "021", "0571", "0755"]), st.text(alphabet="123456789", min_size=8, max_size=8),
       st.sampled_from(["{a}-{n}", "({a}){n}", "{a} {n}", "（{a}）{n}"]))
def test_landline_round_trip(area: str, number: str, form: str) -> None:
    assert parse_phone(form.format(a=area, n=number)) == f"{area}-{number}"


@given(st.sampled_from(["0837", "010"]), st.text(alphabet="123456789", min_size=8, max_size=8),
       st.sampled_from(["≠", "=", "一", "~", "_", ">", "·"]))
def test_landline_hyphen_misread_by_ocr(area: str, number: str, hyphen: str) -> None:
    """A hyphen read as '≠' or '一' still joins area and number, and the span covers both
    (so a name written before the number keeps nothing of it)."""
    text = f"田明健{area}{hyphen}{number}"
    found = find_phone(text)
    assert found is not None and found[0] == f"{area}-{number}"
    assert (found[1], found[2]) == (3, len(text))


def test_email_forms() -> None:
    assert parse_email(" zhang.san@ABC.com.cn ") == "zhang.san@abc.com.cn"
    assert parse_email("zhang ＠ abc。com") == "zhang@abc.com"
    assert parse_email("") is None


DAXIE = "零壹贰叁肆伍陆柒捌玖"


def to_daxie(yuan: int) -> str:
    """A reference writer of capital amounts (independent of the parser)."""
    def section(value: int) -> str:
        out, pending_zero = "", False
        for power, unit in ((1000, "仟"), (100, "佰"), (10, "拾"), (1, "")):
            digit = value // power % 10
            if digit == 0:
                pending_zero = bool(out)
                continue
            out += ("零" if pending_zero else "") + DAXIE[digit] + unit
            pending_zero = False
        return out

    if yuan == 0:
        return "零元整"
    yi, rest = divmod(yuan, 10**8)
    wan, ones = divmod(rest, 10**4)
    text = (section(yi) + "亿") if yi else ""
    if wan:
        text += ("零" if text and wan < 1000 else "") + section(wan) + "万"
    if ones:
        text += ("零" if text and ones < 1000 else "") + section(ones)
    return "人民币" + text + "元整"


@given(st.integers(min_value=1, max_value=10**12 - 1))
def test_daxie_round_trip(yuan: int) -> None:
    assert parse_daxie_amount(to_daxie(yuan)) == pytest.approx(yuan / 10_000)
    assert parse_amount(to_daxie(yuan)) == pytest.approx(yuan / 10_000)


def test_daxie_examples() -> None:
    assert parse_amount("壹佰贰拾万元") == 120.0
    assert parse_amount("贰拾万伍仟元") == 20.5


SEPARATORS = ["、", "，", ",", "/", " / ", "；", " "]


@given(st.lists(st.sampled_from(CANONICAL_INDUSTRIES), min_size=1, max_size=4, unique=True),
       st.sampled_from(SEPARATORS))
def test_industries_round_trip(names: list[str], separator: str) -> None:
    assert parse_industries(separator.join(names)) == names


def test_a_bar_between_chinese_characters_is_no_part_of_a_name() -> None:
    assert clean_name("四川|大学") == "四川大学" and clean_name("四川 ｜ 大学") == "四川大学"
    assert clean_name("A|B公司") == "A|B公司"  # between Latin letters a bar may be written


def test_industry_aliases_and_unknown() -> None:
    assert parse_industries("装备制造、电子 信息制造，新能源等") == ["机械", "电子信息制造", "新能源"]
    assert parse_industries("机械和汽车行业") == ["机械", "汽车"]
    assert parse_industries("") == []
    # OCR's 丶 for 、, and a lone character strayed in from the next cell
    assert parse_industries("钢铁丶电力装备") == ["钢铁", "电力装备"]
    assert parse_industries("纺织、有色\n司") == ["纺织", "有色"]
    # a point OCR read inside a name (dev6 a13: 船舶工业 read '船舶工.业'), or for a 、 between two names
    assert parse_industries("船舶工.业，有色，医药") == ["船舶", "有色", "医药"]
    assert parse_industries("船舶.有色、模具") == ["船舶", "有色", "模具"]
    assert parse_industries("新能源。汽车") == ["新能源", "汽车"]
    # two known names a space apart, together one character from an alias (食品加工)
    assert parse_industries("食品 轻工") == ["食品", "轻工"]


cjk = st.characters(min_codepoint=0x4E00, max_codepoint=0x4FFF)


@given(st.lists(st.one_of(cjk, st.sampled_from(" （）ABC12"), cjk), min_size=1, max_size=30).map("".join))
def test_clean_name_properties(text: str) -> None:
    cleaned = clean_name(text)
    if cleaned is None:
        assert not text.strip()
        return
    assert cleaned == cleaned.strip() and cleaned == clean_name(cleaned)
    for index, char in enumerate(cleaned):
        if char == " ":
            assert not ("\u4e00" <= cleaned[index - 1] <= "\u9fff" or "\u4e00" <= cleaned[index + 1] <= "\u9fff")
    assert "（" not in text or "（" in cleaned  # Chinese punctuation is kept


@settings(max_examples=50)
@given(st.text(alphabet="０１２３ＡＢＣ　杭州", max_size=12))
def test_clean_name_nfkc(text: str) -> None:
    cleaned = clean_name(text) or ""
    assert not any("\uff10" <= char <= "\uff5a" for char in cleaned)


def test_amount_with_a_misread_unit_is_not_guessed() -> None:
    assert parse_amount("2.553坊元") is None and parse_amount("2.553人元") is None
    # 万's lookalikes before 元 are 万 (no unit is written so; 亿 looks like none of them)
    assert parse_amount("2.553方元") == 2.553 and parse_amount("1,200 迈 元") == 1200
    assert parse_amount("44.180.1力\n元.") == 44180.1  # a fax (dev59 a02): 万's top stroke lost
    assert parse_amount("1,282.7 万元") == 1282.7 and parse_amount("500元") == 0.05


# --- e-mail repair: '@' misread, one repair only --------------------------------------------

users = st.from_regex(r"[a-z]{2,5}[0-9]{1,4}", fullmatch=True)
known_domains = st.sampled_from(sorted(KNOWN_MAIL_DOMAINS))


@example("at0", "126.com", "©")  # a user name starting with "at" is not "name at host"
@example("hdnp1383", "126.com", "Φ")  # a scan's blurred '@' (dev17 a06)
@given(users, known_domains, st.sampled_from(["©", "®", "(a)", "＠", " ", "Φ", "ф", "Ø"]))
def test_at_read_as_a_symbol_is_repaired(user: str, domain: str, misread: str) -> None:
    reading = repair_email(f"{user}{misread}{domain}")
    assert reading is not None and reading.value == f"{user}@{domain}"
    assert reading.repaired_from is not None or misread == "＠"  # NFKC already makes ＠ an @


@given(users, known_domains, st.sampled_from("oaeQ"))
def test_at_read_as_a_letter_after_digits_is_repaired(user: str, domain: str, letter: str) -> None:
    reading = repair_email(f"{user}{letter}{domain}")
    assert reading is not None and reading.value == f"{user}@{domain}" and reading.repaired_from


@given(users, known_domains, st.sampled_from(["", "#", " at ", "[at]"]))
@example("aa001", "126.com", "")  # a 0 as '@' would also need the domain's extra 1 put right
def test_at_left_out_or_written_otherwise_is_kept(user: str, domain: str, written: str) -> None:
    """The form's own mistakes ('@' missing, '#', ' at ') stay as written: INVALID_EMAIL must reach the reviewer."""
    text = f"{user}{written}{domain}"
    reading = repair_email(text)
    assert reading is not None
    if written == "" and user.endswith("0") and user[-2:-1].isdigit():
        # "…90163.com" is as likely '@' photographed as 0: repaired, with the text as read kept as the doubt.
        assert reading.doubtful and reading.repaired_from == text and reading.value == f"{user[:-1]}@{domain}"
        return
    assert reading.repaired_from is None and "@" not in reading.value


@pytest.mark.parametrize(("read", "value", "doubtful"), [
    ("ep1690163.com", "ep169@163.com", True),  # '@' photographed as 0: repaired, in doubt
    ("rama522=163.com", "rama522@163.com", False),  # '=' is in no address
    ("jqw1483qq.com", "jqw1483qq.com", False),  # left out: kept for INVALID_EMAIL
])
def test_at_read_as_zero_or_equals(read: str, value: str, doubtful: bool) -> None:
    reading = repair_email(read)
    assert reading is not None and reading.value == value and reading.doubtful is doubtful


@pytest.mark.parametrize(("read", "value"), [
    ("yn mp1941foxmail.com", "ynmp1941foxmail.com"),  # a gap inside the user: the '@' before foxmail left out
    ("ep169 163.com", "ep169@163.com"),  # a gap just before the domain: the '@' faded to nothing
])
def test_a_gap_is_an_at_only_where_the_known_domain_begins(read: str, value: str) -> None:
    reading = repair_email(read)
    assert reading is not None and reading.value == value


@given(st.from_regex(r"[a-z]{2,6}", fullmatch=True), known_domains, st.sampled_from("oae"))
def test_name_like_user_without_at_is_not_guessed(name: str, domain: str, letter: str) -> None:
    """'lihuaqq.com': the '@' left out after a name ending in a lookalike letter is not put back."""
    reading = repair_email(f"{name}{letter}{domain}")
    assert reading is not None and "@" not in reading.value


@given(users, st.sampled_from(["foxmai1.com", "l63.com", "l26.com", "gmai1.com", "s1na.com", "hotrnail.com"]))
def test_known_domain_with_one_lookalike(user: str, domain: str) -> None:
    reading = repair_email(f"{user}@{domain}")
    assert reading is not None and reading.repaired_from == f"{user}@{domain}"
    assert reading.value.split("@")[1] in KNOWN_MAIL_DOMAINS


@given(users, st.from_regex(r"[a-z]{3,8}\.(com|cn|com\.cn|net)", fullmatch=True))
def test_valid_address_is_kept(user: str, domain: str) -> None:
    assume(domain not in KNOWN_MAIL_DOMAINS)
    reading = repair_email(f"{user}@{domain}")
    assert reading is not None
    assert reading.value == f"{user}@{domain}" or reading.value.split("@")[1] in KNOWN_MAIL_DOMAINS  # 'grnail.com'



@pytest.mark.parametrize(("read", "value"), [
    ("qpws1880@foxmail1.com", "qpws1880@foxmail.com"),  # a monospaced l read as two thin glyphs
    ("ab12@gmaill.com", "ab12@gmail.com"),
    ("ab12@firm1l.com", "ab12@firm1l.com"),  # no known domain once one is dropped: kept
])
def test_a_thin_glyph_read_twice_in_a_known_domain(read: str, value: str) -> None:
    reading = repair_email(read)
    assert reading is not None and reading.value == value


@pytest.mark.parametrize(("read", "value"), [
    ("nged1162esine.com", "nged1162@sina.com"),  # '@' read e, sina's a read e: both misread on a blurred photo
    ("ea17120sinn.com", "ea1712@sina.com"),  # '@' read 0 (in doubt), sina's a read n
    ("ab12esinn.cn", "ab12@sina.cn"),  # the domain's rest (.cn) chooses among sina's
    ("ab12etim.com", "ab12etim.com"),  # a three-letter name one slip from tom: too short to tell
    ("ab12@sinn.com", "ab12@sinn.com"),  # an address as read: its domain may be a company's own
])
def test_a_known_domain_one_slip_away_only_where_the_at_was_misread_too(read: str, value: str) -> None:
    reading = repair_email(read)
    assert reading is not None and reading.value == value


@pytest.mark.parametrize(("read", "value", "doubtful"), [
    ("yd7490126-com", "yd749@126.com", True),  # a blurred photo: '@' read 0 (in doubt), the '.' a dash
    ("yd749@126-com", "yd749@126.com", False),  # no address as read: the known domain is the only one
    ("ab-cd@my-co.com", "ab-cd@my-co.com", False),  # an address as read keeps its dashes
    ("ab@firm-com", "ab@firm-com", False),  # no known domain a dash away: left for INVALID_EMAIL
    ("nf220esina,com", "nf220@sina.com", False),  # a phone photo (dev60 a05): '@' read e, the '.' a comma
    ("jmxk1079c163.com", "jmxk1079@163.com", False),  # a fax (dev59 a11): '@' read c
    ("abc1079163.com", "abc1079163.com", False),  # the '@' left out, no letter in its place: not guessed
    ("ab@firm,com", "ab@firm,com", False),  # ... a comma before no known domain stays for INVALID_EMAIL
])
def test_a_known_domains_point_read_as_a_dash(read: str, value: str, doubtful: bool) -> None:
    reading = repair_email(read)
    assert reading is not None and (reading.value, reading.doubtful) == (value, doubtful)


def test_two_possible_repairs_keep_the_reading() -> None:
    reading = repair_email("ab12©cd©qq.com")
    assert reading is not None and reading.repaired_from is None


@pytest.mark.parametrize(("read", "name"), [
    ("浙江省经济和信息化斤", "浙江省经济和信息化厅"),
    ("北京市经避和信息化局", "北京市经济和信息化局"),
    ("上海市经济和信息化委员会", "上海市经济和信息化委员会"),
    ("广西壮族自治区工业和信息化广", "广西壮族自治区工业和信息化厅"),
    ("山东省工业和信息化厅", "山东省工业和信息化厅"),
    ("宁波市经济和信息化局", "宁波市经济和信息化局"),
    ("浙江省发展和改革委员会", "浙江省发展和改革委员会"),  # not a 信息化 department: as read
    ("浙江省经营和信息化厅", "浙江省经济和信息化厅"),  # one slip from 经济 only
    ("江苏省工业和信比厅", "江苏省工业和信息化厅"),  # 息化 read as one character
    ("福建省工业和信真化厅", "福建省工业和信息化厅"),
    ("浙江省经济和信意", "浙江省经济和信息化厅"),  # cut short after a slip: the start of Zhejiang's own fixed part
    ("北京市经济权信", "北京市经济和信息化局"),  # four characters of Beijing's, one misread, cut by a seal
    ("北京市经济", "北京市经济"),  # two characters: too little of a fixed part to complete
    ("四川首经济和信息化厅", "四川省经济和信息化厅"),  # the place's 省 misread: one slip from Sichuan's department
    ("湖南省工业和信息化厅", "湖南省工业和信息化厅"),  # a known department as read, one slip from Henan's: as read
    ("泃南省工业和信息化厅", "泃南省工业和信息化厅"),  # one slip from Hunan's and from Henan's: as read
    ("江苏省企和信息化厅", "江苏省工业和信息化厅"),  # 工业 and 经济 as near: Jiangsu's is 工业和信息化厅
    ("浙江省企和信息化厅", "浙江省经济和信息化厅"),
    ("江苏省工业和信息化丘", "江苏省工业和信息化厅"),  # a suffix misread as no look-alike: Jiangsu's is 厅
    ("浙江省经济和信息化r", "浙江省经济和信息化厅"),
    ("苏州市工业和信息化丘", "苏州市工业和信息化丘"),  # no department known for the place: 厅 or 局, as read
    ("重庆市经济和信息化", "重庆市经济和信息化委员会"),  # 委员会 wrapped away: the place's own department
    ("浙江省经济和信息", "浙江省经济和信息化厅"),  # two characters short: 厅 and 局 as near, Zhejiang's is 厅
])
def test_a_recommending_departments_fixed_parts_are_repaired(read: str, name: str) -> None:
    assert repair_department(read) == name


def test_an_o_in_a_code_of_the_wrong_length_is_the_0_it_stands_for() -> None:
    reading = parse_credit_code("91331003MAXWOKCJ2")  # 17 characters: no check to confirm, O stands in no code
    assert reading == CreditCodeReading("91331003MAXW0KCJ2", False, repaired_from="91331003MAXWOKCJ2")
    assert parse_credit_code("91331003MAXWOKCJ2", repair=False).value == "91331003MAXWOKCJ2"  # a text layer's: as written
    assert parse_credit_code("91331003MAXWEKCJ2").value == "91331003MAXWEKCJ2"  # a possible letter: as read


def test_a_credit_code_with_a_neighbours_digits_run_in_keeps_its_one_valid_stretch() -> None:
    reading = parse_credit_code("12441900MAWURYYRXD100000")  # 注册资本 1000.00 read into the code's cell
    assert reading is not None and reading.value == "12441900MAWURYYRXD" and reading.valid
    assert reading.repaired_from == "12441900MAWURYYRXD100000"
    assert not parse_credit_code("12441900MAWURYYRXA100000").valid  # no valid stretch: kept as read


@pytest.mark.parametrize(("text", "count"), [
    (".,026人次", None), (",008人次", None),  # the digits before the separator lost: not 26, not 8
    ("1,026人次", 1026), ("0人次", 0), ("26人次", 26),
])
def test_a_count_that_lost_its_leading_digits_is_not_read(text: str, count: int | None) -> None:
    assert parse_int(text) == count


def test_a_count_with_a_leading_zero_is_not_well_formed() -> None:
    from pipeline.tables.values import well_formed

    assert not well_formed(".,026人次", "int") and well_formed("1,026人次".replace(",", ""), "int")
    assert well_formed("0", "int")


def test_an_industry_written_twice_is_two_items() -> None:
    """'建材行业、建材': the applicant listed four items; the notice's limit counts what was listed."""
    assert parse_industries("食品行业、钢铁行业、建\n材行业、建材") == ["食品", "钢铁", "建材", "建材"]


@pytest.mark.parametrize(("read", "names"), [
    ("坊织服装", ["纺织"]),  # 纺织服装 (an alias of 纺织) with one character misread
    ("汽车行业.坊织服装", ["汽车", "纺织"]),
    ("电子信息制适", ["电子信息制造"]),  # repaired before splitting: not 电子信息 + 制适
    ("坊织服装行业", ["纺织"]),
    ("互化", ["互化"]),  # two characters, one misread: too little left to tell
    ("纺职业", ["纺职业"]),  # three characters (纺织业 misread): kept as written
    ("纺织服装", ["纺织"]),
    # Run together without separators: a name with one character misread still covers its run.
    ("有色金耦建材行业电子信惠制造医药", ["有色", "建材", "电子信息制造", "医药"]),
    ("装备制造建材行业船舱", ["机械", "建材", "船舱"]),  # an exact split stays as it was
])
def test_an_industry_one_misread_character_from_one_known_name_is_that_industry(read: str, names: list[str]) -> None:
    assert parse_industries(read) == names


def test_a_check_character_read_as_its_lookalike_is_repaired_only_when_asked() -> None:
    assert parse_credit_code("913310034355267148", check_slip=True) == CreditCodeReading(
        "91331003435526714B", True, repaired_from="913310034355267148")
    as_read = parse_credit_code("913310034355267148")  # beside its label: as read
    assert as_read is not None and as_read.value == "913310034355267148"
    other = parse_credit_code("913310034355267147", check_slip=True)  # 7 is no lookalike of B
    assert other is not None and not other.valid


# --- fields12 -------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("read", "value"), [
    ("Ik397@qq.com", "lk397@qq.com"),  # a sans I for l in a lower-case address
    ("ab1I2c@qq.com", "ab1I2c@qq.com"),  # between digits it may be a 1: left
    ("AbIc@qq.com", "AbIc@qq.com"),  # an address with capitals of its own: left
    ("ycrn1494@sina.com", "ycrn1494@sina.com"),
])
def test_a_capital_i_in_a_lower_case_address_is_l(read: str, value: str) -> None:
    from pipeline.normalise import repair_email

    reading = repair_email(read)
    assert reading is not None and reading.value == value


def test_a_speck_read_as_a_mark_inside_a_departments_name_is_dropped() -> None:
    from pipeline.normalise import repair_department

    assert repair_department("湖北.省经济和信息化斤") == "湖北省经济和信息化厅"


@pytest.mark.parametrize(("read", "named"), [
    ("山西省二业和化斤", "山西省工业和信息化厅"),  # the fixed part garbled beyond two edits, its place read whole
    ("广西壮族自治区广业和作。化厅", "广西壮族自治区工业和信息化厅"),
    ("山西省财政厅", None),  # another body's name: nothing of the department's fixed part in it
    ("山西省和化", None),  # too little read to name it
    ("江苏省二…和1化！", None),  # three characters read amid marks: too little to name it as well
    ("山西省工业和信息化厅", None),  # read whole
])
def test_a_department_garbled_beyond_repair_is_named_by_its_place(read: str, named: str | None) -> None:
    from pipeline.normalise import department_of_garbled

    assert department_of_garbled(read) == named


@pytest.mark.parametrize(("read", "address"), [
    ("月16日浙江省绍兴市柯桥区", "浙江省绍兴市柯桥区"),  # a date's wrapped rest run in before the province
    ("人浙江省宁波市鄞州区", "浙江省宁波市鄞州区"),
    ("中国浙江省杭州市", "中国浙江省杭州市"),  # words, no figures: left as written
    ("月16日人福建省泉州市晋江市", "福建省泉州市晋江市"),  # one character of the next line after the date's rest
    ("月16日人\n福建省泉州市晋江市", "福建省泉州市晋江市"),  # the province on a line of its own
    ("本到福建省福州市闽侯县", "福建省福州市闽侯县"),  # the label's note （具体到区县）, one character misread
    ("（具体到区县）浙江省宁波市", "浙江省宁波市"),
    ("月1日中国浙江省", "月1日中国浙江省"),  # two words after the date: left as written
])
def test_an_address_opens_at_its_province_after_a_dates_rest(read: str, address: str) -> None:
    from pipeline.normalise import address_from_place

    assert address_from_place(read) == address


@pytest.mark.parametrize(("read", "name"), [
    ("T平", "丁平"),  # 丁 under the underline, its hook lost
    ("王T", "王丁"),
    ("Tom", "Tom"),  # a Latin name
    ("王TK", "王TK"),  # more Latin than one lookalike: left
    ("干建飞", "干建飞"),
])
def test_a_latin_lookalike_in_a_chinese_name_is_its_character(read: str, name: str) -> None:
    from pipeline.normalise import chinese_name

    assert chinese_name(read) == name


# --- flags14 ---------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("read", "value"), [
    ("nged1162esine.com", "nged1162@sina.com"),  # '@' read 'e', sina's 'a' read 'e' (a phone photo)
    ("ea17120sinn.com", "ea1712@sina.com"),  # '@' read '0', sina's 'a' read 'n'
    ("ab12ofoxmaul.com", "ab12@foxmail.com"),
    ("tamd1944efoumai1.com", "tamd1944@foxmail.com"),  # a drawn scan: '@' read e, foxmail's x read u and l read 1
])
def test_at_and_one_domain_letter_misread_is_a_doubtful_repair(read: str, value: str) -> None:
    """Both readings stand: the repaired address is the value, the text as read its doubt (no INVALID_EMAIL)."""
    reading = repair_email(read)
    assert reading is not None and reading.value == value and reading.repaired_from == read and reading.doubtful


@pytest.mark.parametrize("read", [
    "jqw1483qq.com",  # '@' left out before a domain read as printed: the applicant's slip
    "yfx122sina.com",
    "lihuaesine.com",  # no digit before the letter: a name-like user, not guessed
    "ab12esxne.org",  # two characters off any known domain
    "ab12efotmai1.com",  # a lookalike and a slip from foxmail and from hotmail alike
    "ab12esinx1.com",  # a lookalike and a slip from sina: a name too short to tell so
    "ab12e.sina.com",  # the dot is no letter misread
])
def test_at_and_domain_misread_needs_a_digit_a_letter_and_one_character(read: str) -> None:
    reading = repair_email(read)
    assert reading is not None and reading.repaired_from is None and "@" not in reading.value


@pytest.mark.parametrize(("read", "title"), [
    ("执行盖事", "执行董事"),  # one character misread in a four-character title (dev a05)
    ("董事长糖总经理", "董事长兼总经理"),  # the pair's 兼 misread
    ("重事长兼总经理", "董事长兼总经理"),
    ("副总经埋", "副总经理"),
    ("得事长", "得事长"),  # three characters: one from 理事长 and 董事长 alike, stays as read
    ("董事长兼总经", "董事长兼总经"),  # cut short by its cell: near no title of its length
    ("技术总监", "技术总监"),  # a title not listed stays as written
    ("董事长", "董事长"),
])
def test_a_heads_title_misread_by_one_character_is_the_one_title_it_is_near(read: str, title: str) -> None:
    from pipeline.normalise import repair_title

    assert repair_title(read) == title


def test_a_letter_read_between_two_characters_of_an_industry_is_a_speck() -> None:
    # dev44 a09: 集成电路设计 read '集成电路设i计' (a stroke read as a letter): the name as written, reported as such.
    assert parse_industries("集成电路设i计、钢铁") == ["集成电路设计", "钢铁"]
    assert parse_industries("5G通信、钢铁") == ["5G通信", "钢铁"]
