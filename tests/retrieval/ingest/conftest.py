from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from retrieval.ingest import ArticleStore, FetchLimits, Ingestor
from tests.ingest_server import NewsServer

# Short limits keep the slow-server cases fast; the fixtures are far below max_bytes. The test server
# is on 127.0.0.1, so private addresses are allowed (tests/retrieval/ingest/test_addresses.py turns
# that off).
FAST_LIMITS = FetchLimits(
    timeout=0.5, total_timeout=1.0, max_bytes=200_000, max_redirects=3, allow_private=True
)


@pytest.fixture
def server() -> Iterator[NewsServer]:
    with NewsServer() as news_server:
        yield news_server


@pytest.fixture
def client() -> Iterator[httpx.Client]:
    # trust_env=False: a proxy configured in the environment must not see requests to 127.0.0.1.
    with httpx.Client(trust_env=False, follow_redirects=False) as http_client:
        yield http_client


@pytest.fixture
def store(tmp_path: Path) -> Iterator[ArticleStore]:
    with ArticleStore.open(tmp_path / "articles.sqlite3") as article_store:
        yield article_store


@pytest.fixture
def ingestor(store: ArticleStore, client: httpx.Client, clock: FakeClock) -> Ingestor:
    return Ingestor(store=store, client=client, limits=FAST_LIMITS, clock=clock)


class FakeClock:
    """A UTC clock that moves only when told: back-off and time budgets without waiting."""

    def __init__(self, start: datetime = datetime(2026, 1, 1, 8, 0, tzinfo=UTC)) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()
