"""The answer engine: question in, verbatim quotes with their sources out."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from retrieval.analyzer import ArabicAnalyzer
from retrieval.compose import AnswerPolicy, compose_answer
from retrieval.errors import EmptyCorpusError
from retrieval.index_cache import content_key, load_or_build
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
        self._by_id = {article.id: number for number, article in enumerate(index.articles)}

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
        return compose_answer(self._index, query, hits, self._policy, top_k=top_k, offset=offset)

    def context(
        self, article_id: str, first_sentence: int, last_sentence: int, *, window: int = 2
    ) -> tuple[Sentence, ...]:
        """The sentences ``first..last`` of an article with ``window`` more on each side."""
        article_number = self._by_id[article_id]
        positions = self._index.sentences_of(article_number)
        low = max(0, first_sentence - window)
        high = min(len(positions) - 1, last_sentence + window)
        return tuple(self._index.sentence(positions[i]) for i in range(low, high + 1))
