"""A preference for newer articles that orders near-ties and never outweighs relevance by default.

Modelled on Elasticsearch's ``function_score`` exponential decay: an article published ``age`` days
before the origin (today, or the newest article) adds ``weight * decay ** (age / scale_days)`` to
the score of each of its sentences; an undated article adds nothing. Sentence scores run from about
1 (the best sentence) up to about 3.3 with the article prior, so the default weight only reorders
quotes whose relevance differs by less than a few hundredths.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class RecencyPreference:
    """How much newer articles are preferred: at most ``weight``, halved every ``scale_days`` by default."""

    weight: float = 0.05
    scale_days: float = 7.0
    decay: float = 0.5

    def __post_init__(self) -> None:
        if self.weight < 0 or self.scale_days <= 0 or not 0 < self.decay < 1:
            raise ValueError("recency needs weight >= 0, scale_days > 0 and 0 < decay < 1")

    def bonus(self, age_days: FloatArray) -> FloatArray:
        """The bonus per article for ages in days (NaN: undated, no bonus; future dates count as today)."""
        ages = np.maximum(np.nan_to_num(age_days, nan=np.inf), 0.0)
        result: FloatArray = self.weight * np.power(self.decay, ages / self.scale_days)
        return result
