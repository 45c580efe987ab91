"""A spelling of the recommending department found in the text that misspells the suffix every industry department's
name ends in is a misreading, not a spelling its seal may take (`text.department_misspelt`, in
`SealUnits._other_candidates`)."""

from __future__ import annotations

from pipeline.seals.find import SealUnits
from pipeline.seals.text import department_misspelt

STATED = "四川省经济和信息化厅"


def test_a_department_spelt_without_its_suffix_whole_is_a_misreading() -> None:
    assert department_misspelt("四川省经济和信化厅", STATED)
    assert not department_misspelt("四州省经济和信息化厅", STATED)  # its province misread: a spelling all the same
    assert not department_misspelt("台州博展工业互联网有限公", "台州博展工业互联网有限公司")  # no department


def test_the_misspelt_suffix_is_no_candidate_the_province_slip_is_the_recommenders() -> None:
    units = SealUnits(lead="德阳安正有色金属股份有限公司", recommender=STATED).with_others(
        ["四川省经济和信化厅", "四州省经济和信息化厅"])
    names = dict(units.candidates())
    assert "四川省经济和信化厅" not in names
    assert names["四州省经济和信息化厅"] == "recommender"
