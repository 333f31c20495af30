"""Where the bot's articles come from: the bundled seeds unless another corpus is named."""

from __future__ import annotations

import logging
from pathlib import Path

from retrieval import Article, CorpusError, load_corpus

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
