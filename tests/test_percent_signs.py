"""A share's '%' read as a digit: a second reading that took it so is not taken, and a share read without
its sign and with a decimal more than the form's others is read without that digit."""

from __future__ import annotations

import models
from pipeline.config import Settings


def test_a_second_reading_that_took_the_percent_sign_for_a_digit_is_not_taken() -> None:
    # dev6 a09: the page read '11.9%' (0.948); the second engine read the crop as 11.99, surer.
    from pipeline.tables.values import FieldValue, second_opinion, sign_read_as_digit

    assert sign_read_as_digit("11.9%", "11.99") and sign_read_as_digit("43.1 ％", "43.19")
    assert not sign_read_as_digit("11.9%", "11.9") and not sign_read_as_digit("11.9", "11.99")
    value = FieldValue(11.9, "11.9%", models.Provenance(page=2, bbox=[0, 0, 1, 1], confidence=0.948, source="ocr"))
    assert second_opinion(value, "percent", "万元", lambda box: [("11.99", 0.99)]).value == 11.9
    # Another digit, surer, from the other engine: neither wins, the first stays in doubt with it beside.
    other = second_opinion(value, "percent", "万元", lambda box: [("17.9%", 0.99)])
    assert other.value == 11.9 and other.provenance.alternatives == [17.9]
    assert second_opinion(value, "percent", "万元", lambda box: [("117.9%", 0.99)]).value == 117.9


def test_a_share_read_without_its_sign_and_a_decimal_more_than_the_others_lost_the_sign() -> None:
    # dev7 a11: '9.1%' read as 9.18 beside shares read with their '%' and one decimal.
    from pipeline.fields.basic_info import FORM_PERCENTS, PERCENT_SIGN, _percent_signs
    from pipeline.fields.common import Sink

    info = models.BasicInfo.model_validate({"finance": [{"year": 2024, "net_margin": 9.18, "debt_ratio": 53.4},
                                                        {"year": 2025, "net_margin": 6.1, "debt_ratio": 35.8}]})
    sink = Sink(Settings())
    for path, raw in zip(FORM_PERCENTS, ("9.18", "53.4%", "6.1%", "35.8%"), strict=True):
        sink.raw[path], sink.provenance[path] = raw, models.Provenance(page=2, confidence=0.98)
    _percent_signs(info, sink)
    assert info.finance[0].net_margin == 9.1 and info.finance[1].net_margin == 6.1
    origin = sink.provenance[FORM_PERCENTS[0]]
    assert (origin.resolved_by, origin.alternatives, origin.repaired_from) == (PERCENT_SIGN, [9.18], "9.18")
    # Only one other share read with its sign: no evidence of how the form writes its shares.
    info.finance[0].net_margin = 9.18
    for path, raw in zip(FORM_PERCENTS, ("9.18", "53.4", "6.1", "35.8%"), strict=True):
        sink.raw[path], sink.provenance[path] = raw, models.Provenance(page=2, confidence=0.98)
    _percent_signs(info, sink)
    assert info.finance[0].net_margin == 9.18
