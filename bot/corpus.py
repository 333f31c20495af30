"""Where the bot's articles come from: the bundled seeds plus the article store, unless another corpus is named."""

from __future__ import annotations

import logging
from pathlib import Path

from retrieval import Article, CorpusError, load_corpus
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


def load_served_articles(corpus: Path | None = None, *, db: Path | None = None) -> tuple[Article, ...]:
    """The articles to answer from: ``corpus`` alone when one is named, else the seeds plus the store at ``db``.

    A store that does not exist yet is not created just to be read (``ask`` before any ``add``).
    Raises ``CorpusError`` (seeds unusable) or ``retrieval.ingest.StoreError`` (database unusable).
    """
    if corpus is not None:
        return load_articles(corpus)
    seeds = load_articles(default_corpus_path())
    if db is None or not db.exists():
        return seeds
    with ArticleStore.open(db) as store:
        stored = store.records()
    logger.info("serving %d seed and %d stored articles", len(seeds), len(stored))
    return seeds + stored
