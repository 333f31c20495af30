"""Learned re-ranking of the top candidates and calibrated abstention, from one shipped model file.

Both models are linear over ``retrieval.features``, so the model file is a few JSON numbers and
scoring is one dot product per candidate:

* the re-ranker is a pairwise logistic regression (RankNet-style with a linear scorer, as in
  Joachims' RankSVM): trained on differences between a sentence that holds the answer and one
  that does not, for the same question;
* the abstention model is a logistic regression over ``QUESTION_FEATURES``, trained to tell a
  question asked of the corpus holding its answer from the same question asked with that
  article left out. It answers when its probability reaches ``threshold``, which training
  chooses for a stated target (``target``, e.g. 95% of answerable questions answered).
* one rule stands beside it: a question whose words the corpus never holds in any field (not
  even their root) for ``max_unknown_share`` of its weight, and whose best sentence holds at most
  half of its words, is about something the corpus never mentions («ما هي عاصمة فرنسا؟» asked of
  news that never name France). ARCD cannot teach this: there a word unknown to the corpus is
  most often a typo, so the model learns to ignore it.

``benchmarks/train_ranker.py`` retrains both on ARCD and rewrites ``models/ranker.json``.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from importlib import resources
from typing import Any

import numpy as np

from retrieval.errors import ModelFormatError
from retrieval.features import CANDIDATE_FEATURES, QUESTION_FEATURES
from retrieval.search import FloatArray

MODEL_RESOURCE = "ranker.json"
_UNKNOWN_SHARE = QUESTION_FEATURES.index("unknown_share")
_MATCHED_SHARE = QUESTION_FEATURES.index("matched_share")


def _about_the_unknown(question_features: FloatArray, max_unknown_share: float) -> bool:
    return bool(
        question_features[_UNKNOWN_SHARE] >= max_unknown_share and question_features[_MATCHED_SHARE] <= 0.5
    )


@dataclass(frozen=True, slots=True)
class LinearModel:
    """``bias + features @ weights``, with weights named after the features they multiply."""

    names: tuple[str, ...]
    weights: tuple[float, ...]
    bias: float = 0.0

    def score(self, features: FloatArray) -> FloatArray:
        result: FloatArray = features @ np.asarray(self.weights, dtype=np.float64) + self.bias
        return result

    def to_json(self) -> dict[str, Any]:
        return {"bias": self.bias, "weights": dict(zip(self.names, self.weights, strict=True))}

    @classmethod
    def from_json(cls, data: Any, names: tuple[str, ...]) -> LinearModel:
        """Read a model for exactly the features ``names``, in that order."""
        try:
            weights = data["weights"]
            if set(weights) != set(names):
                raise ModelFormatError(f"model features {sorted(weights)} differ from {sorted(names)}")
            return cls(names=names, weights=tuple(float(weights[n]) for n in names), bias=float(data["bias"]))
        except (KeyError, TypeError, ValueError) as error:
            raise ModelFormatError(f"malformed linear model: {error!r}") from error


@dataclass(frozen=True, slots=True)
class RankingModel:
    """The shipped re-ranker and abstention model, with the abstention threshold and its target."""

    ranker: LinearModel
    abstainer: LinearModel
    threshold: float
    target: str = ""
    max_unknown_share: float = 1.0

    def answer_probability(self, question_features: FloatArray) -> float:
        """The probability that the corpus answers the question (0 when the unknown-word rule says no)."""
        if _about_the_unknown(question_features, self.max_unknown_share):
            return 0.0
        logit = float(self.abstainer.score(question_features[np.newaxis, :])[0])
        return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, logit))))

    def answers(self, question_features: FloatArray) -> bool:
        return self.answer_probability(question_features) >= self.threshold

    def to_json(self) -> dict[str, Any]:
        return {
            "ranker": self.ranker.to_json(),
            "abstainer": self.abstainer.to_json(),
            "threshold": self.threshold,
            "target": self.target,
            "max_unknown_share": self.max_unknown_share,
        }

    @classmethod
    def from_json(cls, data: Any) -> RankingModel:
        try:
            return cls(
                ranker=LinearModel.from_json(data["ranker"], CANDIDATE_FEATURES),
                abstainer=LinearModel.from_json(data["abstainer"], QUESTION_FEATURES),
                threshold=float(data["threshold"]),
                target=str(data.get("target", "")),
                max_unknown_share=float(data.get("max_unknown_share", 1.0)),
            )
        except (KeyError, TypeError, ValueError) as error:
            raise ModelFormatError(f"malformed ranking model: {error!r}") from error

    @classmethod
    def shipped(cls) -> RankingModel:
        """The model trained on ARCD that ships with the package."""
        text = resources.files("retrieval.models").joinpath(MODEL_RESOURCE).read_text(encoding="utf-8")
        try:
            return cls.from_json(json.loads(text))
        except json.JSONDecodeError as error:
            raise ModelFormatError(f"shipped model is not JSON: {error}") from error
