"""Hypothesis profiles: CI runs the property tests reproducibly; a developer's run explores.

`.ci/run` sets HYPOTHESIS_PROFILE=ci: the same examples on every run (a red CI is then
a real regression, reproducible by anyone), and no per-example deadline, since shared
2-core machines make timings noisy. Locally the default profile draws new examples.
"""

from __future__ import annotations

import os

from hypothesis import settings

settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
settings.register_profile("dev", deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))
