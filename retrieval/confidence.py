"""Question-level signals of how sure the engine can be that its corpus answers a question.

``FeatureExtractor.question`` describes the best candidate; these describe what surrounds it, the
evidence the abstention model needs beyond the best sentence:

* the competition: how far the re-ranker's best stands above the runner-up and the field, and how
  many articles the ten best candidates come from (an answer stands out in one article; a question
  the corpus cannot answer spreads weak matches over many);
* the best article as a whole: the share of the question's weight held anywhere in it, and the
  weight of the most specific question word it never holds (asked with its own article left out,
  a question's sibling paragraphs share the topic but miss the word the question is about);
* whether the re-ranker's best is also the search's best.
"""

from __future__ import annotations

import math
from collections.abc import Container
from typing import TYPE_CHECKING, Final

import numpy as np

from retrieval.search import Candidate, FloatArray, SentenceIndex

if TYPE_CHECKING:
    from retrieval.features import QuestionWords

CONTEXT_FEATURES: Final = (
    "score_margin",
    "score_spread",
    "articles_in_top",
    "article_coverage",
    "article_specific_coverage",
    "missing_in_article",
    "search_agrees",
)
_TOP: Final = 10
# Sentences of the best article read on each side of the best one: articles of an archive can be
# long, and the words a question is about sit near its answer.
_ARTICLE_REACH: Final = 12


def context_features(
    index: SentenceIndex,
    words: QuestionWords,
    hits: list[Candidate],
    scores: FloatArray,
    title_terms: Container[str],
) -> tuple[float, ...]:
    """``CONTEXT_FEATURES`` of a question whose candidates ``hits`` the re-ranker scored ``scores``.

    ``title_terms`` are the best article's title terms (stems and words): question words among
    them name the topic, not what is asked about it.
    """
    order = np.argsort(-scores, kind="stable")
    top = int(order[0])
    best = float(scores[top])
    runner_up = float(scores[order[1]]) if len(order) > 1 else best - 1.0
    spread = best - float(np.mean(scores[order[:_TOP]]))
    articles = len({index.article_of(hits[int(i)].position) for i in order[:_TOP]})

    position = hits[top].position
    span = index.sentences_of(index.article_of(position))
    start = max(span.start, position - _ARTICLE_REACH)
    stop = min(span.stop, position + _ARTICLE_REACH + 1)
    # The article holds a word when any of its sentences does: one gather of the window's term
    # ids from the index, matched against the question words' ids.
    found = index.content_term_ids(np.arange(start, stop, dtype=np.int64))
    present = [set(ids.tolist()) for ids in found.terms]
    held = [
        any(
            index.term_id(field, term) in ids
            for form in forms
            for field, (term, ids) in enumerate(zip(form, present, strict=False))
        )
        for forms in words.spellings
    ]
    weight_held = sum(w for w, h in zip(words.weights, held, strict=True) if h)
    specific = [
        (w, h)
        for terms, w, h in zip(words.terms, words.weights, held, strict=True)
        if terms[0] not in title_terms and terms[1] not in title_terms
    ]
    specific_total = sum(w for w, _ in specific)
    missing = max((w for w, h in zip(words.weights, held, strict=True) if not h), default=0.0)
    # On the scale of the rarest weight a corpus gives (a word of one sentence), so one model
    # serves corpora of any size.
    rarest_weight = max(math.log((index.sentence_count - 0.5) / 1.5), 1.0)
    return (
        best - runner_up,
        spread,
        articles / _TOP,
        weight_held / words.total,
        sum(w for w, h in specific if h) / specific_total if specific_total else 1.0,
        min(missing / rarest_weight, 1.5),
        float(top == 0),
    )
