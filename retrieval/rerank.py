"""Learned re-ranking of the top candidates and calibrated abstention, from one shipped model file.

Both models read ``retrieval.features`` and ship as JSON, evaluated with numpy or plain Python
(scikit-learn is needed only to train them):

* the re-ranker is a pairwise logistic regression (RankNet-style with a linear scorer, as in
  Joachims' RankSVM): trained on differences between a sentence that holds the answer and one
  that does not, for the same question;
* the abstention model averages a logistic regression and a small ensemble of gradient-boosted
  regression trees over ``QUESTION_FEATURES`` (``TreeEnsemble``: trained offline with
  scikit-learn, walked here in plain Python), or is a logistic regression alone, trained to tell a question asked of the corpus holding its
  answer from the same question asked with that article left out, and from questions in other
  domains. It answers when its probability reaches ``threshold``, which training chooses for a
  stated target (``target``, e.g. 95% of answerable questions answered);
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
class RegressionTree:
    """One tree as flat arrays indexed by node, node 0 the root.

    An inner node sends a row to ``left`` when its ``feature`` is at most ``threshold``, else to
    ``right``; a leaf has feature -1 and holds ``value``. Children always come after their
    parent, so a walk ends.
    """

    feature: tuple[int, ...]
    threshold: tuple[float, ...]
    left: tuple[int, ...]
    right: tuple[int, ...]
    value: tuple[float, ...]

    def leaf_value(self, row: list[float]) -> float:
        node = 0
        feature = self.feature[0]
        while feature >= 0:
            node = self.left[node] if row[feature] <= self.threshold[node] else self.right[node]
            feature = self.feature[node]
        return self.value[node]

    def to_json(self, names: tuple[str, ...]) -> dict[str, Any]:
        return {
            "feature": [names[f] if f >= 0 else None for f in self.feature],
            "threshold": list(self.threshold),
            "left": list(self.left),
            "right": list(self.right),
            "value": list(self.value),
        }

    @classmethod
    def from_json(cls, data: Any, names: tuple[str, ...]) -> RegressionTree:
        """Read a tree whose nodes split on features named in ``names`` (a leaf's feature is null)."""
        feature = [-1 if f is None else names.index(str(f)) for f in data["feature"]]
        threshold = [float(t) for t in data["threshold"]]
        left = [int(n) for n in data["left"]]
        right = [int(n) for n in data["right"]]
        value = [float(v) for v in data["value"]]
        size = len(feature)
        if size == 0 or any(len(part) != size for part in (threshold, left, right, value)):
            raise ModelFormatError("a tree's node arrays are empty or of different lengths")
        for node in range(size):
            if feature[node] >= 0 and not (node < left[node] < size and node < right[node] < size):
                raise ModelFormatError(f"node {node}'s children are not later nodes of its tree")
            if not (math.isfinite(threshold[node]) and math.isfinite(value[node])):
                raise ModelFormatError(f"node {node} holds a number that is not finite")
        return cls(tuple(feature), tuple(threshold), tuple(left), tuple(right), tuple(value))


@dataclass(frozen=True, slots=True)
class TreeEnsemble:
    """Log-odds as ``bias + features @ weights`` plus each regression tree's leaf value.

    Training averages a logistic regression and gradient-boosted trees, which is this sum with
    both halved: the trees catch interactions, and the linear part keeps the score moving
    where ARCD left the trees flat (a corpus of another size or kind). A few dozen shallow
    trees: walking them in Python for the one row a question has costs tens of microseconds.
    """

    names: tuple[str, ...]
    trees: tuple[RegressionTree, ...]
    weights: tuple[float, ...]
    bias: float = 0.0

    def score(self, features: FloatArray) -> FloatArray:
        linear = features @ np.asarray(self.weights, dtype=np.float64) + self.bias
        rows: list[list[float]] = features.tolist()
        result: FloatArray = linear + np.array(
            [sum(tree.leaf_value(row) for tree in self.trees) for row in rows], dtype=np.float64
        )
        return result

    def to_json(self) -> dict[str, Any]:
        return {
            "bias": self.bias,
            "weights": dict(zip(self.names, self.weights, strict=True)),
            "trees": [tree.to_json(self.names) for tree in self.trees],
        }

    @classmethod
    def from_json(cls, data: Any, names: tuple[str, ...]) -> TreeEnsemble:
        """Read an ensemble with a weight for exactly the features ``names``, whose trees split on them."""
        linear = LinearModel.from_json(data, names)
        try:
            trees = tuple(RegressionTree.from_json(tree, names) for tree in data["trees"])
        except (KeyError, TypeError, ValueError) as error:
            raise ModelFormatError(f"malformed tree ensemble: {error!r}") from error
        return cls(names=names, trees=trees, weights=linear.weights, bias=linear.bias)


@dataclass(frozen=True, slots=True)
class RankingModel:
    """The shipped re-ranker and abstention model, with the abstention threshold and its target."""

    ranker: LinearModel
    abstainer: LinearModel | TreeEnsemble
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
                abstainer=(
                    TreeEnsemble.from_json(data["abstainer"], QUESTION_FEATURES)
                    if "trees" in data["abstainer"]
                    else LinearModel.from_json(data["abstainer"], QUESTION_FEATURES)
                ),
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
