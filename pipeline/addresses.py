"""A registered address (注册地，具体到区县) read with one character of a division's name misread, made whole.

The form asks for the address down to the district, and the divisions are a closed list (the national
administrative division codes, shipped as data in the `cpca` package): a province, its city and the city's
district, each read in turn. A name one character from exactly one division of its level under the one before
('温州市题海区' for 瓯海区, '辽宁露' for 辽宁省) is that division; where two are as near, or the address leaves the
list (a development zone, a street before the district), the text stays as read.
"""

from __future__ import annotations

import csv
import importlib.resources
from collections import defaultdict
from dataclasses import dataclass
from functools import cache

from rapidfuzz.distance import Hamming

_ZEROS = "0" * 12


@dataclass(frozen=True)
class Divisions:
    """Division names by level: provinces by code, cities by province code, districts by city code."""

    provinces: dict[str, str]
    cities: dict[str, dict[str, str]]
    districts: dict[str, list[str]]


@cache
def divisions() -> Divisions:
    provinces: dict[str, str] = {}
    cities: dict[str, dict[str, str]] = defaultdict(dict)
    districts: dict[str, list[str]] = defaultdict(list)
    source = importlib.resources.files("cpca.resources").joinpath("adcodes.csv")
    with source.open(encoding="utf-8") as rows:
        for row in csv.DictReader(rows):
            code, name = row["adcode"], row["name"]
            if code[2:] == _ZEROS[2:]:
                provinces[code[:2]] = name
            elif code[4:] == _ZEROS[4:]:
                cities[code[:2]][code[:4]] = name  # a municipality's 市辖区 too: its districts lie under it
            elif code[6:] == _ZEROS[6:]:
                districts[code[:4]].append(name)
    return Divisions(provinces, dict(cities), dict(districts))


def _one_of(text: str, names: dict[str, str]) -> tuple[str, str, bool] | None:
    """The (code, name, repaired) of the one name `text` starts with, exactly or with one character misread."""
    exact = [(code, name) for code, name in names.items() if text.startswith(name)]
    if exact:
        code, name = max(exact, key=lambda item: len(item[1]))
        return code, name, False
    near = [(code, name) for code, name in names.items()
            if len(name) >= 3 and len(text) >= len(name) and Hamming.distance(text[:len(name)], name) == 1]
    return (near[0][0], near[0][1], True) if len(near) == 1 else None


def repaired_address(text: str | None) -> str | None:
    """`text` with a misread character of its province's, city's or district's name put right (each only where one
    division of its level is that near), or None where nothing was put right."""
    if not text:
        return None
    table = divisions()
    province = _one_of(text, table.provinces)
    if province is None:
        return None
    code, name, repaired = province
    out, rest = name, text[len(name):]
    city = _one_of(rest, {c: n for c, n in table.cities.get(code, {}).items() if n != "市辖区"})
    city_codes = [city[0]] if city is not None else [c for c, n in table.cities.get(code, {}).items() if n == "市辖区"]
    if city is not None:
        out, rest, repaired = out + city[1], rest[len(city[1]):], repaired or city[2]
    if len(city_codes) == 1:
        district = _one_of(rest, {str(i): n for i, n in enumerate(table.districts.get(city_codes[0], []))})
        if district is not None:
            out, rest, repaired = out + district[1], rest[len(district[1]):], repaired or district[2]
    return out + rest if repaired else None
