"""The one place that turns "seeds + store" (or a named corpus) into an answer engine.

The CLI, the bot's start-up and the live refresh all go through ``NewsLibrary``: it knows where the
served articles come from and how they become an engine. ``with_new_articles`` grows a served engine
by the articles just stored, analysing only those (``AnswerEngine.added``); ``without_articles`` shrinks
it after a removal (``AnswerEngine.removed``), without re-indexing the rest.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from config import Settings
from retrieval import AnswerEngine, Article, CorpusError, RecencyPreference, load_corpus
from retrieval.ingest import ArticleStore

logger = logging.getLogger(__name__)

_REPO_ROOT = Path(__file__).resolve().parent.parent


def default_corpus_path() -> Path:
    """The bundled seed articles (``seeds/`` at the top of the repository)."""
    return _REPO_ROOT / "seeds"


def load_articles(path: Path) -> tuple[Article, ...]:
    """Load a corpus, logging every skipped file or line by name; raises ``CorpusError`` if unusable."""
    loaded = load_corpus(path)
    for problem in loaded.problems:
        logger.warning("skipped %s", problem)
    if not loaded.articles:
        raise CorpusError(f"no usable article in {path}")
    return loaded.articles


def recency_preference(settings: Settings) -> RecencyPreference | None:
    """How answers prefer newer articles (NEWSBOT_RECENCY_*), or None when the weight is 0."""
    if settings.recency_weight <= 0:
        return None
    return RecencyPreference(weight=settings.recency_weight, scale_days=settings.recency_half_life_days)


@dataclass(frozen=True, slots=True)
class NewsLibrary:
    """The served articles: ``corpus`` alone when one is named, else the seeds plus the store at ``db``."""

    db: Path
    corpus: Path | None = None
    index_cache: Path | None = None

    @classmethod
    def from_settings(cls, settings: Settings) -> NewsLibrary:
        """The library the bot serves: NEWSBOT_CORPUS, or the seeds plus NEWSBOT_DB."""
        return cls(db=settings.storage.db, corpus=settings.corpus, index_cache=settings.storage.index_cache)

    @property
    def grows(self) -> bool:
        """True when new articles can join (seeds plus store); a named corpus is fixed."""
        return self.corpus is None

    def articles(self) -> tuple[Article, ...]:
        """The articles to answer from, in stored order (seeds, then the store in insertion order).

        A store that does not exist yet is not created just to be read (``ask`` before any ``add``).
        Raises ``CorpusError`` (corpus or seeds unusable) or ``retrieval.StoreError``.
        """
        if self.corpus is not None:
            return load_articles(self.corpus)
        seeds = load_articles(default_corpus_path())
        if not self.db.exists():
            return seeds
        with ArticleStore.open(self.db) as store:
            stored = store.records()
        logger.info("serving %d seed and %d stored articles", len(seeds), len(stored))
        return seeds + stored

    def build_engine(self) -> AnswerEngine:
        """Index the articles, or load the index from the cache while they are unchanged."""
        engine = AnswerEngine.from_articles(self.articles(), cache_dir=self.index_cache)
        logger.info(
            "indexed %d articles from %s", len(engine.articles), self.corpus or "the seeds and the store"
        )
        return engine

    def with_new_articles(self, engine: AnswerEngine, added_ids: Sequence[str]) -> AnswerEngine:
        """The engine to serve once the articles ``added_ids`` are in the store: ``engine`` plus them.

        Only the new articles are read and analysed; ``engine`` keeps serving meanwhile, unchanged.
        """
        with ArticleStore.open(self.db) as store:
            stored = [store.get(article_id) for article_id in added_ids]
        new = [Article(a.id, a.title, a.text, a.source, a.url, a.published) for a in stored if a is not None]
        logger.info("indexing %d new articles", len(new))
        return engine.added(new)

    def without_articles(self, engine: AnswerEngine, removed_ids: Sequence[str]) -> AnswerEngine:
        """The engine to serve once the articles ``removed_ids`` have left the store: ``engine`` minus them."""
        logger.info("dropping %d removed articles from the index", len(removed_ids))
        return engine.removed(removed_ids)

    def remember(self, engine: AnswerEngine) -> None:
        """Save ``engine``'s index to the index cache, so a restart loads it instead of rebuilding."""
        if self.index_cache is not None and not engine.save_cache(self.index_cache):
            logger.info("not caching an engine with removed articles; the next start rebuilds")
