"""Stage timings: measured, summed, carried between processes as JSON."""

from __future__ import annotations

import pytest

from pipeline.timing import STAGES, StageTimes


def test_stages_add_up_and_keep_pipeline_order() -> None:
    times = StageTimes()
    times.add("seals", 2.0)
    times.add("ocr", 3.0)
    times.add("seals", 0.5)
    with times.measure("tables"):
        pass
    assert list(times.rounded()) == ["ocr", "tables", "seals"]
    assert times.seconds["seals"] == pytest.approx(2.5)
    assert times.after_ocr == pytest.approx(2.5, abs=0.01)  # ocr is page reading, not after it
    assert times.describe().startswith("OCR 3.0 s, tables 0.0 s, seals 2.5 s")


def test_a_stage_that_raises_is_still_timed() -> None:
    times = StageTimes()
    with pytest.raises(ZeroDivisionError), times.measure("fields"):
        _ = 1 / 0
    assert "fields" in times.seconds


def test_timings_survive_json_and_unknown_stages_are_dropped() -> None:
    times = StageTimes({"ingest": 0.25, "sinks": 0.01})
    assert StageTimes.from_json(times.to_json()).rounded() == {"ingest": 0.25, "sinks": 0.01}
    assert StageTimes.from_json('{"ocr": 1, "nonsense": 5, "seals": "x"}').rounded() == {"ocr": 1.0}
    total = StageTimes.total([times, StageTimes({"ingest": 1.0})])
    assert total.rounded() == {"ingest": 1.25, "sinks": 0.01}
    assert set(STAGES) >= set(total.seconds)
