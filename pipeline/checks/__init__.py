"""Checks: each is a small function registered by its code, returning findings as data.

A check module registers its functions with `@register(CODE, doc_type)`; `run_checks`
runs every check for a record's type, then removes repeats so one cause gives one
finding. Importing this package imports every check module, so the registry is full.
"""

from __future__ import annotations

from pipeline.checks import completeness, fields, figures, form, plan, recommendation  # noqa: F401  (registers)
from pipeline.checks.batch import run_batch_checks
from pipeline.checks.registry import CheckContext, registered_codes, run_checks

__all__ = ["CheckContext", "registered_codes", "run_batch_checks", "run_checks"]
