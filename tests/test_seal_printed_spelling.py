"""A unit's seal named as the package prints the unit's name, not as a near namesake printed once, unless the
seal's ink tells them apart (`text.as_printed`, asked by `find._identify`)."""

from __future__ import annotations

from pipeline.seals.find import SealUnits, _identify
from pipeline.seals.text import Match, Reading, as_printed
from tests.test_seal_names20 import _reading as _strip

MEMBER = "杭州锐隆资本管理有限公司"  # printed twice: the members table and the commitment
FINANCIER = "杭州宇锐资本管理有限公司"  # printed once, in the financings table: two characters apart
LEAD = "杭州智能制造研究院"


def _reading(read: str) -> Reading:
    """Posteriors saying `read` surely, over the names' characters (`test_seal_names20._reading`)."""
    return _strip(read, [MEMBER, FINANCIER, LEAD])


def _alike(name: str) -> bool:
    return name == MEMBER


def test_a_reading_that_tells_neither_spelling_takes_the_printed_one() -> None:
    reading = _reading("州资本管理有限公司")
    assert reading.spot(FINANCIER) == reading.spot(MEMBER)
    match = as_printed(reading, Match(FINANCIER, "member", 0.08), [MEMBER], _alike)
    assert match.name == MEMBER


def test_a_reading_of_the_other_spelling_keeps_it() -> None:
    reading = _reading(FINANCIER)
    score = reading.spot(FINANCIER)
    assert score is not None
    assert as_printed(reading, Match(FINANCIER, "member", score), [MEMBER], _alike).name == FINANCIER


def test_a_spelling_printed_alike_itself_is_kept() -> None:
    reading = _reading("州资本管理有限公司")
    match = as_printed(reading, Match(FINANCIER, "member", 0.08), [MEMBER], lambda name: True)
    assert match.name == FINANCIER


def test_identify_names_the_member_as_printed() -> None:
    text = f"成员单位{MEMBER}承诺书{MEMBER}投融资{FINANCIER}"
    units = SealUnits(lead=LEAD, members=(MEMBER,)).with_others([FINANCIER]).with_page_text(text)
    match = _identify(_reading("州资本管理有限公司"), True, units)
    assert match is not None and match.name == MEMBER


def test_two_members_the_form_lists_apart_are_two_units_where_their_seals_overlap() -> None:
    """dev46 a09 p7: 云拓's seal (its 限公司 under the next stamp, spotted at 0.19) overlapped 正昌's (0.38); the
    names two characters apart were taken for one unit read twice, and 云拓's seal was left unnamed."""
    from pipeline.seals.find import one_unit_per_overlap
    from pipeline.seals.slots import PageSeal

    yun, zheng = "长春云拓智能制造技术有限公司", "长春正昌智能制造技术有限公司"
    units = SealUnits(lead="长春易旭智能科技有限公司", members=(yun, zheng))
    first = PageSeal(7, (188.0, 571.0, 313.0, 658.0), "oval", 1.0, Reading("长春云拓智能制造技术有", 0.99),
                     Match(yun, "member", 0.191))
    second = PageSeal(7, (283.0, 580.0, 407.0, 667.0), "oval", 1.0, Reading("长券智能制造技术有限公司", 0.9),
                      Match(zheng, "member", 0.376))
    one_unit_per_overlap([first, second], units)
    assert first.match is not None and first.match.name == yun
    assert second.match is not None and second.match.name == zheng
    assert units.stated_apart(yun, zheng) and not units.stated_apart(yun, yun)
