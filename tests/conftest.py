"""Settings every test shares."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def _private_article_store(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Point the article store at an empty temporary file.

    ``ask`` and ``sources`` serve the seeds plus the store at $NEWSBOT_DB (default: the user's data
    directory); without this, a developer's own ingested news would leak into test answers.
    """
    data_home: Path = tmp_path_factory.mktemp("data-home")
    monkeypatch.setenv("XDG_DATA_HOME", str(data_home))
    monkeypatch.setenv("NEWSBOT_DB", str(data_home / "newsbot" / "articles.sqlite3"))
