"""Loads the Hypothesis profile (``tests/fuzz/profiles.py``) before any fuzz test is collected."""

import tests.fuzz.profiles  # noqa: F401  (registers and loads the profile on import)
