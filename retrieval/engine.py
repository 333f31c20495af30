"""The answer engine: question in, verbatim quotes with their sources out."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator
from pathlib import Path

from retrieval.analyzer import ArabicAnalyzer
from retrieval.compose import AnswerPolicy, compose_answer
from retrieval.errors import EmptyCorpusError
from retrieval.index_cache import content_key, load_or_build, store
from retrieval.records import Answer, Article, Sentence
from retrieval.search import SearchWeights, SentenceIndex

# Longer input is cut: questions are short, and BM25 over a pasted article is slow and meaningless.
MAX_QUESTION_CHARS = 1000
_MIN_CANDIDATES = 50
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

    def __init__(self, index: SentenceIndex, policy: AnswerPolicy) -> None:
        self._index = index
        self._policy = policy
        live = set(index.articles) if len(index.articles) != len(index.numbered) else None
        self._by_id = {
            article.id: number
            for number, article in enumerate(index.numbered)
            if live is None or article in live
        }

    @classmethod
    def from_articles(
        cls,
        articles: Iterable[Article],
        *,
        weights: SearchWeights | None = None,
        policy: AnswerPolicy | None = None,
        cache_dir: Path | None = None,
    ) -> AnswerEngine:
        """Index ``articles``; raises ``EmptyCorpusError`` when none has text to index.

        With ``cache_dir``, the index is saved there and loaded instead of rebuilt as long as
        the articles' ids and texts (and the analysis settings) are unchanged.
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
        return cls(index, policy or AnswerPolicy())

    def added(self, articles: Iterable[Article]) -> AnswerEngine:
        """A new engine that also answers from ``articles``; this one is unchanged and keeps serving.

        Only the new articles are analysed; the indexed ones are shared, and every field's BM25
        stays exactly what a full build over the resulting articles would give. An article whose id
        is already served replaces it; articles without text are skipped.
        """
        new = list({article.id: article for article in articles if article.text.strip()}.values())
        if not new:
            return self
        index = self._index
        replaced = [self._by_id[article.id] for article in new if article.id in self._by_id]
        if replaced:
            index = index.removed(replaced)
        return AnswerEngine(index.added(new), self._policy)

    def removed(self, article_ids: Collection[str]) -> AnswerEngine:
        """A new engine without the articles ``article_ids`` (unknown ids are ignored); no re-analysis.

        Raises ``EmptyCorpusError`` when no sentence would be left.
        """
        numbers = [self._by_id[article_id] for article_id in article_ids if article_id in self._by_id]
        if not numbers:
            return self
        index = self._index.removed(numbers)
        if index.sentence_count == 0:
            raise EmptyCorpusError("removing these articles would leave no sentence to answer from")
        return AnswerEngine(index, self._policy)

    def save_cache(self, cache_dir: Path) -> bool:
        """Save the index where ``from_articles(self.articles, cache_dir=...)`` will load it.

        So a restart after ``added`` loads instead of rebuilding. An engine that has removed
        articles is not saved (its index still numbers them; the next build leaves them out), and
        False is returned.
        """
        if len(self._index.articles) != len(self._index.numbered):
            return False
        store(cache_dir, _cache_key(list(self._index.articles), self._index.weights), self._index)
        return True

    @property
    def articles(self) -> tuple[Article, ...]:
        return self._index.articles

    @property
    def sentence_count(self) -> int:
        return self._index.sentence_count

    def article(self, article_id: str) -> Article:
        """The article with this id; raises ``KeyError`` when there is none."""
        return self._index.numbered[self._by_id[article_id]]

    def answer(self, question: str, *, top_k: int = 3, offset: int = 0) -> Answer:
        """The best ``top_k`` quotes after the first ``offset`` ones, or an abstention."""
        if top_k < 1 or offset < 0:
            raise ValueError("top_k must be >= 1 and offset >= 0")
        analysed = self._index.analyzer.analyze_question(question[:MAX_QUESTION_CHARS])
        candidates = self._index.search(analysed, limit=max(_MIN_CANDIDATES, 5 * (offset + top_k)))
        return compose_answer(self._index, analysed, candidates, self._policy, top_k=top_k, offset=offset)

    def context(
        self, article_id: str, first_sentence: int, last_sentence: int, *, window: int = 2
    ) -> tuple[Sentence, ...]:
        """The sentences ``first..last`` of an article with ``window`` more on each side."""
        article_number = self._by_id[article_id]
        positions = self._index.sentences_of(article_number)
        low = max(0, first_sentence - window)
        high = min(len(positions) - 1, last_sentence + window)
        return tuple(self._index.sentence(positions[i]) for i in range(low, high + 1))
