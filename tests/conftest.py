"""Settings every test shares."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest


@pytest.fixture(scope="session", autouse=True)
def _private_index_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Point the index cache at a temporary directory for the whole session.

    Session-scoped so that session fixtures building an engine (tests/e2e) never write to the
    developer's ~/.cache either.
    """
    cache_home: Path = tmp_path_factory.mktemp("cache-home")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", str(cache_home))
        patch.setenv("NEWSBOT_INDEX_CACHE", str(cache_home / "newsbot" / "index"))
        yield


@pytest.fixture(autouse=True)
def _private_article_store(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Point the article store at an empty temporary file.

    ``ask`` and ``sources`` serve the seeds plus the store at $NEWSBOT_DB (default: the user's data
    directory); without this, a developer's own ingested news would leak into test answers.
    """
    data_home: Path = tmp_path_factory.mktemp("data-home")
    monkeypatch.setenv("XDG_DATA_HOME", str(data_home))
    monkeypatch.setenv("NEWSBOT_DB", str(data_home / "newsbot" / "articles.sqlite3"))
