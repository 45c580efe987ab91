"""Round 19's flags (flags19)."""

from __future__ import annotations

import models
from tests.test_checks import run
from tests.test_flags18 import _financings_read


def _with_second_reading(record: models.ApplicationRecord, index: int, value: float, others: list[float]) -> None:
    """Financing `index` read `value` at 0.7, its crop's second reading(s) `others` kept unsettled."""
    record.appendix.financings[index].amount = value
    path = f"appendix.financings[{index}].amount"
    record.provenance[path] = record.provenance[path].model_copy(update={
        "confidence": 0.7, "alternatives": others, "confirmed_by": []})


def _finding(checks: list[models.Check], code: str, where: str = "") -> models.Check | None:
    return next((check for check in checks if check.code == code and check.where == where), None)


def test_a_total_within_reach_of_a_figure_a_fuller_reading_saw_more_of_is_no_mismatch_found() -> None:
    # dev30 a11 (phone photo): 1,985.7 read '1' beside a second reading '1,987'; the sum falls 1,985 short of the
    # declared 11,476, within what that figure may be (under 10,000): a figure to confirm, no mismatch.
    record = _financings_read([2795.5, 2848.0, 1161.1, 1985.7, 1501.4, 1184.3], 11476.0)
    _with_second_reading(record, 3, 1.0, [1987.0, 1.9])
    checks = run(record)
    assert _finding(checks, "FINANCING_TOTAL_MISMATCH") is None
    doubt = _finding(checks, "LOW_CONFIDENCE", "appendix.financings[3].amount")
    assert doubt is not None and "1,987" in doubt.message and "FINANCING_TOTAL_MISMATCH" not in doubt.message


def test_a_total_beyond_the_reach_of_a_fuller_reading_stays_a_mismatch() -> None:
    # A true defect beside the same misreading: the form declares 31,476, more than the sum can reach with the
    # figure under 10,000. The mismatch stands (a warning: it rests on the doubtful figure).
    record = _financings_read([2795.5, 2848.0, 1161.1, 1985.7, 1501.4, 1184.3], 31476.0)
    _with_second_reading(record, 3, 1.0, [1987.0, 1.9])
    found = _finding(run(record), "FINANCING_TOTAL_MISMATCH")
    assert found is not None and found.severity == "warning"
    assert "appendix.financings[3].amount" in found.doubts


def test_a_shorter_second_reading_opens_no_reach() -> None:
    # dev31 a03: '48' beside a crop's '4' saw less, not more. A sum of 1,048 (1,004 at the other reading) against
    # a declared 988 is a mismatch under every reading, and no fuller reading opens a reach: the warning stays.
    record = _financings_read([1000.0, 48.0], 988.0)
    _with_second_reading(record, 1, 48.0, [4.0])
    found = _finding(run(record), "FINANCING_TOTAL_MISMATCH")
    # No reading of the doubtful figure, nor any slip of one, closes the gap (1,000 alone is over 988): an error.
    assert found is not None and found.severity == "error"


def test_a_sure_sum_with_a_true_defect_stays_an_error() -> None:
    # No reading in doubt: a fuller reading plays no part, the mismatch is an error.
    record = _financings_read([2795.5, 2848.0], 9999.0)
    found = _finding(run(record), "FINANCING_TOTAL_MISMATCH")
    assert found is not None and found.severity == "error"


def test_a_sum_left_unchecked_on_its_doubts_is_one_finding_for_them() -> None:
    # dev26 a06: the declared 5,638.18 read with a second reading 50,638.18 beside a figure a fuller reading saw
    # more of: one LOW_CONFIDENCE names both readings and the sum; the declared figure raises none of its own.
    from pipeline.checks.registry import one_finding_per_doubt

    declared = "basic_info.resources[1].financing"
    reader = models.Check(code="LOW_CONFIDENCE", severity="info", where=declared, message="读数有多种可能",
                          doubts=[declared])
    unchecked = models.Check(code="LOW_CONFIDENCE", severity="info", where="appendix.financings[3].amount",
                             message="未判定为不符", doubts=["appendix.financings[3].amount", declared],
                             rests_on=[declared, "appendix.financings[3].amount"])
    alone = models.Check(code="LOW_CONFIDENCE", severity="info", where="cover.phone", message="识别置信度 0.50")
    assert one_finding_per_doubt([reader, unchecked, alone]) == [unchecked, alone]
    # A reader's doubt (no comparison behind it) folds nothing.
    assert one_finding_per_doubt([reader, alone]) == [reader, alone]


def test_a_true_defect_beside_a_sum_left_unchecked_is_still_an_error() -> None:
    # The financings' sum left to confirm (a fuller reading), and the 2024 contract total 100 off on sure readings.
    record = _financings_read([2795.5, 2848.0, 1161.1, 1985.7, 1501.4, 1184.3], 11476.0)
    _with_second_reading(record, 3, 1.0, [1987.0, 1.9])
    record.basic_info.service[0].contract_amount = (record.basic_info.service[0].contract_amount or 0.0) + 100.0
    checks = run(record)
    assert _finding(checks, "FINANCING_TOTAL_MISMATCH") is None
    contract = _finding(checks, "CONTRACT_TOTAL_MISMATCH", "2024")
    assert contract is not None and contract.severity == "error"


def test_lost_digits_that_cannot_explain_the_total_leave_the_mismatch() -> None:
    # dev34 a03 (scan): '15' beside a second reading '315', a true shortfall of 20 even at 315: the lost digits
    # would put the figure between 100 and 315, and the total lies beyond: the warning stays.
    record = _financings_read([255.0, 262.0, 315.0], 852.0)
    _with_second_reading(record, 2, 15.0, [315.0])
    assert _finding(run(record), "FINANCING_TOTAL_MISMATCH") is not None
    # dev34 a08 (scan): '1,974' beside '11,974', the total 5,128 (a true defect): a five-digit figure overshoots it,
    # the reading as read falls short: the warning stays.
    record = _financings_read([1974.0, 1847.1], 5128.0)
    _with_second_reading(record, 0, 1974.0, [11974.0])
    assert _finding(run(record), "FINANCING_TOTAL_MISMATCH") is not None
    # dev34 a10 (fax): '157' beside '1,557' and the total 1,400 more than the sum: the lost digit explains it.
    record = _financings_read([269.71, 1557.0, 1538.8], 3365.51)
    _with_second_reading(record, 1, 157.0, [1557.0, 57.0])
    assert _finding(run(record), "FINANCING_TOTAL_MISMATCH") is None


def test_two_comparisons_left_unchecked_on_one_reading_each_keep_their_doubt() -> None:
    from pipeline.checks.registry import one_finding_per_doubt

    path = "appendix.financings[3].amount"
    failing = models.Check(code="LOW_CONFIDENCE", severity="warning", where=path, message="依据它的 2 项核对均不符",
                           doubts=[path], rests_on=[path, "basic_info.resources[1].financing"])
    unchecked = models.Check(code="LOW_CONFIDENCE", severity="info", where="appendix.financings[4].amount",
                             message="未判定为不符", doubts=["appendix.financings[4].amount", path],
                             rests_on=[path, "appendix.financings[4].amount"])
    assert one_finding_per_doubt([failing, unchecked]) == [failing, unchecked]


def test_a_figure_not_yet_read_again_leaves_its_comparison_failed_for_the_second_reading() -> None:
    # The first pass of the checks: the failed sum is what has its doubtful figures read again (`verify.suspects`)
    # and the total imply what they lost; it is left unchecked only after that (dev32 a10).
    from pipeline import verify

    record = _financings_read([2795.5, 2848.0, 1161.1, 1985.7, 1501.4, 1184.3], 11476.0)
    _with_second_reading(record, 3, 1.0, [1987.0, 1.9])
    path = "appendix.financings[3].amount"
    record.provenance[path] = record.provenance[path].model_copy(update={"confirmed_by": None})
    checks = run(record)
    found = _finding(checks, "FINANCING_TOTAL_MISMATCH")
    assert found is not None and path in verify.suspects(record, checks)
