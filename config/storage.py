"""Settings for the article store and ingestion, read from the environment (prefix NEWSBOT_) and .env.

Kept apart from the bot's token and limits so each concern's settings live beside each other; it is
read once, as the ``storage`` part of ``config.Settings`` (``config.load_settings``).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Any

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from config.ids import split_id_list
from retrieval.ingest import FetchLimits, RefreshLimits


def default_db_path() -> Path:
    """$XDG_DATA_HOME/newsbot/articles.sqlite3, with XDG's default of ~/.local/share."""
    data_home = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(data_home) / "newsbot" / "articles.sqlite3"


def default_index_cache() -> Path:
    """$XDG_CACHE_HOME/newsbot/index, with XDG's default of ~/.cache."""
    cache_home = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(cache_home) / "newsbot" / "index"


class StorageSettings(BaseSettings):
    """Where articles are stored, how feeds are refreshed, and who may add news through the bot."""

    model_config = SettingsConfigDict(env_prefix="NEWSBOT_", env_file=".env", extra="ignore")

    db: Path = Field(default_factory=default_db_path)
    """NEWSBOT_DB: the SQLite article store."""
    index_cache: Path = Field(default_factory=default_index_cache)
    """NEWSBOT_INDEX_CACHE: where the search index is saved, so a restart with unchanged news skips indexing."""
    feeds_refresh_minutes: int = Field(default=60, gt=0)
    """NEWSBOT_FEEDS_REFRESH_MINUTES: how often the running bot refreshes followed feeds."""
    admin_ids: Annotated[frozenset[int], NoDecode] = frozenset()
    """NEWSBOT_ADMIN_IDS: Telegram user ids allowed to /add and /refresh, comma-separated."""
    fetch_timeout_seconds: float = Field(default=15.0, gt=0)
    """NEWSBOT_FETCH_TIMEOUT_SECONDS: connect/read timeout per request; a whole download gets twice that."""
    max_page_bytes: int = Field(default=5_000_000, gt=0)
    """NEWSBOT_MAX_PAGE_BYTES: pages or feeds larger than this are refused."""

    fetch_allow_private: bool = False
    """NEWSBOT_FETCH_ALLOW_PRIVATE: also fetch from loopback, private and link-local addresses (tests, intranets)."""

    feed_max_new_entries: int = Field(default=50, gt=0)
    """NEWSBOT_FEED_MAX_NEW_ENTRIES: new pages fetched per feed per refresh; the rest wait for the next one."""
    refresh_budget_seconds: float = Field(default=300.0, gt=0)
    """NEWSBOT_REFRESH_BUDGET_SECONDS: wall time for one refresh of all feeds; what is left waits."""

    @field_validator("admin_ids", mode="before")
    @classmethod
    def _split_ids(cls, value: Any) -> Any:
        return split_id_list(value)

    def fetch_limits(self) -> FetchLimits:
        """Ingestion's limits: the per-request timeout, twice that for a whole download, the page size
        cap, and whether private addresses may be fetched."""
        return FetchLimits(
            timeout=self.fetch_timeout_seconds,
            total_timeout=2 * self.fetch_timeout_seconds,
            max_bytes=self.max_page_bytes,
            allow_private=self.fetch_allow_private,
        )

    def refresh_limits(self) -> RefreshLimits:
        """The bounds of one feed refresh: new entries per feed and the time budget (back-off: defaults)."""
        return RefreshLimits(
            max_new_entries=self.feed_max_new_entries, budget_seconds=self.refresh_budget_seconds
        )
