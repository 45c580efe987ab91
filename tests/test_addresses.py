"""A registered address's division names put right where one division is a character away."""

from __future__ import annotations

import pytest

from pipeline.addresses import repaired_address


@pytest.mark.parametrize(("read", "whole"), [
    ("浙江省温州市题海区", "浙江省温州市瓯海区"),  # a phone photo (dev60 a02)
    ("浙江省宁波市郸州区", "浙江省宁波市鄞州区"),  # a drawn scan (dev70 a04)
    ("湖南省长沙市岳龙区", "湖南省长沙市岳麓区"),  # dev47 a11
    ("辽宁露大连市甘井子区", "辽宁省大连市甘井子区"),  # the province's 省 misread (dev60 a07)
    ("北京市朝杨区", "北京市朝阳区"),  # a municipality: its districts under it directly
    ("浙江省宁波市鄞州区", None),  # as printed
    ("天津市滨海新区", None),
    ("浙江省宁波市高新区", None),  # no district: a development zone stays as written
    ("湖比省武汉市洪山区", None),  # 湖北省 and 湖南省 alike near: neither taken
    ("宁波市鄞州区", None),  # no province written: not guessed
    ("", None),
])
def test_a_division_read_one_character_off_is_that_division(read: str, whole: str | None) -> None:
    assert repaired_address(read) == whole
