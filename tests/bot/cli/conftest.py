"""Every CLI test runs in its own directory with its own empty store, never the developer's."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.ingest_server import NewsServer

PROXY_VARIABLES = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy")


@pytest.fixture(autouse=True)
def _environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)  # no stray .env
    monkeypatch.setenv("NEWSBOT_DB", str(tmp_path / "articles.sqlite3"))
    monkeypatch.setenv("NEWSBOT_FETCH_TIMEOUT_SECONDS", "0.5")
    monkeypatch.setenv("NEWSBOT_FETCH_ALLOW_PRIVATE", "true")  # the test server is on 127.0.0.1
    for name in PROXY_VARIABLES:  # requests go to 127.0.0.1 directly, never through a proxy
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def server() -> Iterator[NewsServer]:
    with NewsServer() as news_server:
        yield news_server
