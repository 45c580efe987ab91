"""Seconds per stage for one file: where a batch's time goes.

Page stages (ingest, clean-up, OCR) run in page workers side by side; their seconds
are summed over the file's pages (worker time), so with two page workers they can add
up to more than the file's wall time.  The stages after page reading run one after
another in the file's process (wall time); the seal stage's detection runs in the page
workers (`pipeline.seals.scan`), so its seconds are worker time plus the file's; and where a
file has a second core, the tables run beside fields, text and seals (`pipeline.runner`),
so those stages' seconds overlap.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Literal, get_args

Stage = Literal["ingest", "cleanup", "ocr", "layout", "fields", "tables", "text", "seals", "checks", "verify",
                "evidence", "sinks"]
STAGES: tuple[Stage, ...] = get_args(Stage)
# The stages that read pages; everything after them is the work "after OCR".
PAGE_STAGES: frozenset[Stage] = frozenset({"ingest", "cleanup", "ocr", "layout"})


@dataclass
class StageTimes:
    """Seconds spent in each stage (a stage not run is absent)."""

    seconds: dict[Stage, float] = field(default_factory=dict)

    def add(self, stage: Stage, seconds: float) -> None:
        self.seconds[stage] = self.seconds.get(stage, 0.0) + max(0.0, seconds)

    @contextmanager
    def measure(self, stage: Stage) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            self.add(stage, time.perf_counter() - started)

    def update(self, other: StageTimes) -> None:
        for stage, seconds in other.seconds.items():
            self.add(stage, seconds)

    @property
    def after_ocr(self) -> float:
        """Seconds in the stages after page reading."""
        return sum(seconds for stage, seconds in self.seconds.items() if stage not in PAGE_STAGES)

    def rounded(self) -> dict[str, float]:
        """Seconds per stage in pipeline order, to the millisecond (the form batch.json holds)."""
        return {stage: round(self.seconds[stage], 3) for stage in STAGES if stage in self.seconds}

    def to_json(self) -> str:
        return json.dumps(self.rounded())

    @classmethod
    def from_json(cls, text: str) -> StageTimes:
        """Parsed from `to_json`'s form; unknown stages and non-numbers are left out."""
        raw = json.loads(text)
        times = cls()
        if isinstance(raw, dict):
            for stage in STAGES:
                value = raw.get(stage)
                if isinstance(value, int | float):
                    times.add(stage, float(value))
        return times

    @classmethod
    def total(cls, many: Iterable[StageTimes]) -> StageTimes:
        summed = cls()
        for times in many:
            summed.update(times)
        return summed

    def describe(self) -> str:
        """"OCR 12.3 s, tables 1.2 s, …": the stages in pipeline order, for a closing line."""
        names = {"cleanup": "clean-up", "ocr": "OCR"}
        return ", ".join(f"{names.get(stage, stage)} {seconds:.1f} s" for stage, seconds in self.rounded().items())
