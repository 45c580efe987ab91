"""`bench.same_records`: two batch outputs compared record by record, times left out."""

from __future__ import annotations

import json
from pathlib import Path

from bench.same_records import compare, differences


def test_differences_name_the_paths_and_leave_times_out() -> None:
    before = {"cover": {"name": "甲", "phone": None}, "seals": [1, 2], "stages": {"ocr": 1.0}}
    after = {"cover": {"name": "乙", "phone": None}, "seals": [1], "stages": {"ocr": 2.0}}
    assert list(differences(before, after)) == [("/cover/name", "甲", "乙"), ("/seals[len]", 2, 1)]
    assert list(differences({"x": 1}, {"x": 1.0})) == [("/x", 1, 1.0)]


def test_folders_compared_without_the_batch_summary(tmp_path: Path) -> None:
    one, other = tmp_path / "a", tmp_path / "b"
    for folder, value in ((one, 1), (other, 1)):
        folder.mkdir()
        (folder / "x.pdf.json").write_text(json.dumps({"v": value}), encoding="utf-8")
        (folder / "batch.json").write_text(json.dumps({"seconds": value * 3.0 if folder == one else 9}), encoding="utf-8")
    assert compare(one, other) == []
    (other / "y.pdf.json").write_text("{}", encoding="utf-8")
    assert compare(one, other) == [("y.pdf.json", "", False, True)]
