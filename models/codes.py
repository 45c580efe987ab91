"""Code tables the form defines: the credit-code alphabet and the 14 industries.

Pure data and pure functions only, so both the models' validators and the
pipeline's normalisers can share one definition.
"""

from __future__ import annotations

import unicodedata

# GB 32100-2015: 31 characters, no I, O, Z, S, V.
CREDIT_CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)

CANONICAL_INDUSTRIES: tuple[str, ...] = (
    "石化化工", "钢铁", "有色", "建材", "机械", "航空", "船舶",
    "汽车", "电力装备", "轻工", "纺织", "食品", "医药", "电子信息制造",
)

# Aliases applicants write for a canonical industry; only unambiguous ones.
INDUSTRY_ALIASES: dict[str, str] = {
    "石化": "石化化工", "化工": "石化化工", "石油化工": "石化化工", "石化化工行业": "石化化工",
    "钢铁冶金": "钢铁", "有色金属": "有色", "建筑材料": "建材",
    "机械装备": "机械", "装备制造": "机械", "机械制造": "机械", "通用机械": "机械",
    "航空航天": "航空", "航空装备": "航空", "船舶制造": "船舶", "船舶工业": "船舶",
    "汽车制造": "汽车", "汽车零部件": "汽车", "电力设备": "电力装备", "电气装备": "电力装备",
    "轻工业": "轻工", "纺织服装": "纺织", "纺织业": "纺织", "食品加工": "食品", "食品饮料": "食品",
    "医药制造": "医药", "生物医药": "医药", "电子信息": "电子信息制造", "电子": "电子信息制造",
    "电子制造": "电子信息制造", "电子信息制造业": "电子信息制造",
}

UNIT_TYPES: tuple[str, ...] = ("制造业企业", "服务商", "其它")


def credit_code_check_char(first17: str) -> str | None:
    """The GB 32100-2015 check character for the first 17 characters, or None if any is invalid."""
    total = 0
    for char, weight in zip(first17, CREDIT_CODE_WEIGHTS, strict=True):
        index = CREDIT_CODE_ALPHABET.find(char)
        if index < 0:
            return None
        total += index * weight
    return CREDIT_CODE_ALPHABET[(31 - total % 31) % 31]


def is_valid_credit_code(code: str | None) -> bool:
    """True when `code` is 18 characters of the alphabet and its check character is right."""
    if code is None or len(code) != 18:
        return False
    return credit_code_check_char(code[:17]) == code[17]


def normalise_credit_code(raw: str) -> str:
    """NFKC, upper case, no spaces: the form a credit code is stored in (validity not implied)."""
    return "".join(unicodedata.normalize("NFKC", raw).upper().split())


def canonical_industry(name: str) -> str:
    """Map an industry to its canonical name where unambiguous; otherwise keep it as written."""
    cleaned = unicodedata.normalize("NFKC", name).strip()
    if cleaned in CANONICAL_INDUSTRIES:
        return cleaned
    stripped = cleaned.removesuffix("行业") if cleaned.endswith("行业") else cleaned
    if stripped in CANONICAL_INDUSTRIES:
        return stripped
    return INDUSTRY_ALIASES.get(cleaned, INDUSTRY_ALIASES.get(stripped, cleaned))
