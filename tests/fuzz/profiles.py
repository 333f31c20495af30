"""Hypothesis profiles for the fuzz suite, chosen with HYPOTHESIS_PROFILE (default "ci").

"ci" runs 2,000 examples for the main property of each target (analyzer, segmenter, engine,
renderer), the bar issue 11 sets, with no per-example deadline (a loaded 2-core machine would make
timings flaky; speed lives in benchmarks). Secondary properties (``secondary``) run a quarter of
that, which keeps the suite within its time budget. "dev" is a quick pass while editing; "deep" is
for a long hunt before a release.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings


def _register(name: str, max_examples: int) -> None:
    settings.register_profile(
        name,
        max_examples=max_examples,
        deadline=None,
        suppress_health_check=(HealthCheck.too_slow, HealthCheck.data_too_large),
        print_blob=True,  # a failure prints the @reproduce_failure line to replay it exactly
    )


_register("ci", 2000)
_register("dev", 200)
_register("deep", 50_000)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


def secondary() -> settings:
    """Settings for a secondary property: a quarter of the profile's examples."""
    current = settings.default
    assert current is not None  # a profile was loaded above
    return settings(max_examples=max(current.max_examples // 4, 25))
