"""Store and ingestion settings: XDG defaults, id lists, positive limits, and the fetch limits they derive."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from config.storage import StorageSettings


def test_defaults_under_the_user_data_directory(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    settings = StorageSettings()
    assert settings.db == tmp_path / "data" / "newsbot" / "articles.sqlite3"
    assert settings.feeds_refresh_minutes == 60
    assert settings.admin_ids == frozenset()


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"XDG_CACHE_HOME": "cache"}, Path("cache/newsbot/index")),
        ({"XDG_CACHE_HOME": "cache", "NEWSBOT_INDEX_CACHE": "elsewhere"}, Path("elsewhere")),
        ({}, Path.home() / ".cache" / "newsbot" / "index"),
    ],
)
def test_index_cache_location(monkeypatch: pytest.MonkeyPatch, env: dict[str, str], expected: Path) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert StorageSettings().index_cache == expected


def test_admin_ids_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    # The list's syntax is config.ids' (tests/config/test_ids.py); here only that it is read.
    monkeypatch.setenv("NEWSBOT_ADMIN_IDS", "7 8,9")
    assert StorageSettings().admin_ids == {7, 8, 9}


def test_environment_and_keywords(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("NEWSBOT_DB", str(tmp_path / "x.sqlite3"))
    monkeypatch.setenv("NEWSBOT_FEEDS_REFRESH_MINUTES", "15")
    settings = StorageSettings()
    assert (settings.db, settings.feeds_refresh_minutes) == (tmp_path / "x.sqlite3", 15)
    assert StorageSettings(admin_ids=[5]).admin_ids == {5}


@pytest.mark.parametrize(
    "field",
    [
        "feeds_refresh_minutes",
        "max_page_bytes",
        "fetch_timeout_seconds",
        "feed_max_new_entries",
        "refresh_budget_seconds",
    ],
)
def test_limits_must_be_positive(field: str) -> None:
    limits: dict[str, Any] = {field: 0}
    with pytest.raises(ValidationError):
        StorageSettings(**limits)


def test_fetch_limits_follow_the_settings() -> None:
    limits = StorageSettings(fetch_timeout_seconds=4, max_page_bytes=1000).fetch_limits()
    assert (limits.timeout, limits.total_timeout, limits.max_bytes) == (4, 8, 1000)


@pytest.mark.parametrize(("env", "expected"), [(None, False), ("true", True), ("false", False)])
def test_private_addresses_are_refused_unless_allowed(
    monkeypatch: pytest.MonkeyPatch, env: str | None, expected: bool
) -> None:
    if env is not None:
        monkeypatch.setenv("NEWSBOT_FETCH_ALLOW_PRIVATE", env)
    assert StorageSettings().fetch_limits().allow_private is expected


def test_refresh_limits_follow_the_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    assert (
        StorageSettings().refresh_limits().max_new_entries,
        StorageSettings().refresh_limits().budget_seconds,
    ) == (
        50,
        300,
    )
    monkeypatch.setenv("NEWSBOT_FEED_MAX_NEW_ENTRIES", "7")
    monkeypatch.setenv("NEWSBOT_REFRESH_BUDGET_SECONDS", "90")
    limits = StorageSettings().refresh_limits()
    assert (limits.max_new_entries, limits.budget_seconds) == (7, 90)
