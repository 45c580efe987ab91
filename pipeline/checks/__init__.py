"""Checks: each is a small function registered by its code, returning findings as data.

A check module registers its functions with `@register(CODE, severity, doc_type)`; `run_checks`
runs every check for a record's type, then removes repeats so one cause gives one finding, and
applies the configured severities (`Settings.checks.severity`). `catalogue.CODES` lists every code
dtpc emits, the runner's included. Importing this package imports every check module, so the
registry is full. `run_batch_checks` and `batch_summary` are the checks across a batch.
"""

from __future__ import annotations

from pipeline.checks import completeness, fields, figures, form, plan, recommendation  # noqa: F401  (registers)
from pipeline.checks.batch import batch_summary, run_batch_checks
from pipeline.checks.catalogue import CODES
from pipeline.checks.registry import CheckContext, apply_severity, registered_codes, run_checks

__all__ = ["CODES", "CheckContext", "apply_severity", "batch_summary", "registered_codes", "run_batch_checks",
           "run_checks"]
