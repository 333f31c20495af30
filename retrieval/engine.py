"""The answer engine: question in, verbatim quotes with their sources out."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path

import numpy as np

from retrieval.analyzer import ArabicAnalyzer
from retrieval.compose import AnswerPolicy, compose_answer
from retrieval.errors import EmptyCorpusError
from retrieval.features import FeatureExtractor
from retrieval.index_cache import content_key, load_or_build
from retrieval.records import Answer, Article, Sentence
from retrieval.rerank import RankingModel
from retrieval.search import Hit, Query, SearchWeights, SentenceIndex

# Longer input is cut: questions are short, and BM25 over a pasted article is slow and meaningless.
MAX_QUESTION_CHARS = 1000
_MIN_CANDIDATES = 50
# The learned model re-orders this many of the search's best sentences; below them the order
# is the search's. Features are computed for these only, whatever the corpus size.
RERANK_DEPTH = 30
# Re-ranked hits score exp((score - best) / temperature): 1 for the best, and the policy's
# relative floor keeps further quotes within about ten log-odds of it (as many on ARCD as the
# search's own scores kept).
_RANK_TEMPERATURE = 10.0
# Bump when analysis or segmentation changes, so persisted indexes are rebuilt.
INDEX_VERSION = "sentence-index-2"


def _cache_key(articles: list[Article], weights: SearchWeights) -> str:
    def parts() -> Iterator[str]:
        yield INDEX_VERSION
        yield repr(weights)
        for article in articles:
            yield article.id
            yield article.text

    return content_key(parts())


class AnswerEngine:
    """Answers Arabic questions from a fixed set of articles. Build once, ask many times."""

    def __init__(self, index: SentenceIndex, policy: AnswerPolicy, model: RankingModel | None = None) -> None:
        self._index = index
        self._policy = policy
        self._model = model
        self._features = FeatureExtractor(index)
        self._by_id = {article.id: number for number, article in enumerate(index.articles)}

    @classmethod
    def from_articles(
        cls,
        articles: Iterable[Article],
        *,
        weights: SearchWeights | None = None,
        policy: AnswerPolicy | None = None,
        cache_dir: Path | None = None,
        model: RankingModel | None = None,
        learned: bool = True,
    ) -> AnswerEngine:
        """Index ``articles``; raises ``EmptyCorpusError`` when none has text to index.

        With ``cache_dir``, the index is saved there and loaded instead of rebuilt as long as
        the articles' ids and texts (and the analysis settings) are unchanged. The learned
        re-ranker and abstention (``model``, default the shipped one) decide the order of the
        best sentences and whether to answer; ``learned=False`` keeps the search's order and
        the policy's coverage rule instead.
        """
        usable = [article for article in articles if article.text.strip()]
        if not usable:
            raise EmptyCorpusError("the corpus holds no article with text")
        weights = weights or SearchWeights()
        analyzer = ArabicAnalyzer()
        if cache_dir is None:
            index = SentenceIndex.build(usable, analyzer, weights)
        else:
            index = load_or_build(
                cache_dir,
                _cache_key(usable, weights),
                build=lambda: SentenceIndex.build(usable, analyzer, weights),
                load=lambda directory: SentenceIndex.load(directory, usable, analyzer, weights),
            )
        if index.sentence_count == 0:
            raise EmptyCorpusError("the corpus holds no sentence to index")
        if learned and model is None:
            model = RankingModel.shipped()
        return cls(index, policy or AnswerPolicy(), model if learned else None)

    @property
    def articles(self) -> tuple[Article, ...]:
        return self._index.articles

    @property
    def sentence_count(self) -> int:
        return self._index.sentence_count

    def article(self, article_id: str) -> Article:
        """The article with this id; raises ``KeyError`` when there is none."""
        return self._index.articles[self._by_id[article_id]]

    def answer(
        self, question: str, *, top_k: int = 3, offset: int = 0, excluded_article: str | None = None
    ) -> Answer:
        """The best ``top_k`` quotes after the first ``offset`` ones, or an abstention.

        ``excluded_article`` (an article id) answers as if that article were not in the corpus:
        the leave-article-out evaluation of abstention.
        """
        if top_k < 1 or offset < 0:
            raise ValueError("top_k must be >= 1 and offset >= 0")
        query = self._index.analyse(question[:MAX_QUESTION_CHARS])
        excluded = None if excluded_article is None else self._by_id[excluded_article]
        hits = self._index.search(
            query, limit=max(_MIN_CANDIDATES, 5 * (offset + top_k)), excluded_article=excluded
        )
        if self._model is None or not hits or not query.has_arabic:
            return compose_answer(self._index, query, hits, self._policy, top_k=top_k, offset=offset)
        ranked, confidence = self._rerank(self._model, query, hits, excluded)
        if confidence < self._model.threshold:
            return Answer(question=query.text, abstain_reason="weak_match", confidence=confidence)
        answer = compose_answer(
            self._index, query, ranked, self._policy, top_k=top_k, offset=offset, screened=True
        )
        return replace(answer, confidence=confidence)

    def _rerank(
        self, model: RankingModel, query: Query, hits: list[Hit], excluded: int | None
    ) -> tuple[list[Hit], float]:
        """The hits in the model's order (scores relative to the best) and the answer probability."""
        top = hits[:RERANK_DEPTH]
        words = self._features.question_words(query, excluded_article=excluded)
        features = self._features.candidates(words, query, top)
        scores = model.ranker.score(features)
        confidence = model.answer_probability(self._features.question(words, top, features, scores))
        order = np.argsort(-scores, kind="stable")
        best = float(scores[order[0]])
        ranked = [replace(top[i], score=float(np.exp((scores[i] - best) / _RANK_TEMPERATURE))) for i in order]
        return ranked + [replace(hit, score=0.0) for hit in hits[RERANK_DEPTH:]], confidence

    def context(
        self, article_id: str, first_sentence: int, last_sentence: int, *, window: int = 2
    ) -> tuple[Sentence, ...]:
        """The sentences ``first..last`` of an article with ``window`` more on each side."""
        article_number = self._by_id[article_id]
        positions = self._index.sentences_of(article_number)
        low = max(0, first_sentence - window)
        high = min(len(positions) - 1, last_sentence + window)
        return tuple(self._index.sentence(positions[i]) for i in range(low, high + 1))
