"""Settings: names, defaults, aliases, validation messages, and the token kept secret."""

from __future__ import annotations

from pathlib import Path

import pytest

from config import DEFAULT_API_URL, Settings, SettingsError, load_settings

TOKEN = "123456:SECRET-TOKEN-VALUE"


def test_defaults_need_nothing() -> None:
    settings = load_settings()
    assert settings.telegram_token is None
    assert settings.telegram_api_url == DEFAULT_API_URL == "https://api.telegram.org/bot"
    assert settings.corpus is None and settings.top_k == 3 and settings.allowed_ids == frozenset()
    assert settings.log_level == "INFO"
    assert settings.followup_minutes == 10


@pytest.mark.parametrize("variable", ["NEWSBOT_TELEGRAM_TOKEN", "TELEGRAM_BOT_TOKEN"])
def test_token_from_either_variable(monkeypatch: pytest.MonkeyPatch, variable: str) -> None:
    monkeypatch.setenv(variable, TOKEN)
    settings = load_settings()
    assert settings.telegram_token is not None and settings.telegram_token.get_secret_value() == TOKEN


def test_newsbot_token_wins_over_the_common_name(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "1:other")
    monkeypatch.setenv("NEWSBOT_TELEGRAM_TOKEN", TOKEN)
    token = load_settings().telegram_token
    assert token is not None and token.get_secret_value() == TOKEN


def test_dotenv_is_read_and_unknown_keys_ignored(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text(
        f"NEWSBOT_TELEGRAM_TOKEN={TOKEN}\nNEWSBOT_TOP_K=5\nNEWSBOT_SOMETHING_ELSE=1\nUNRELATED=x\n",
        encoding="utf-8",
    )
    settings = load_settings()
    assert settings.top_k == 5 and settings.telegram_token is not None


def test_environment_values_are_parsed(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("NEWSBOT_ALLOWED_IDS", "12, -100500 7")
    monkeypatch.setenv("NEWSBOT_LOG_LEVEL", "debug")
    monkeypatch.setenv("NEWSBOT_CORPUS", str(tmp_path))
    monkeypatch.setenv("NEWSBOT_TELEGRAM_API_URL", "http://127.0.0.1:8081/")
    settings = load_settings()
    assert settings.allowed_ids == frozenset({12, -100500, 7})
    assert settings.log_level == "DEBUG"
    assert settings.corpus == tmp_path
    assert settings.telegram_api_url == "http://127.0.0.1:8081/bot"


@pytest.mark.parametrize(
    ("variable", "value", "fragment"),
    [
        ("NEWSBOT_TOP_K", "0", "greater than or equal to 1"),
        ("NEWSBOT_TOP_K", "three", "valid integer"),
        ("NEWSBOT_TELEGRAM_API_URL", "ftp://example.org", "http(s) URL"),
        ("NEWSBOT_CORPUS", "/definitely/not/here", "no such file"),
        ("NEWSBOT_ALLOWED_IDS", "alice", "numeric"),
        ("NEWSBOT_LOG_LEVEL", "LOUD", "DEBUG"),
        ("NEWSBOT_POLL_TIMEOUT", "-1", "greater than or equal to 0"),
        ("NEWSBOT_RECENCY_WEIGHT", "-0.1", "greater than or equal to 0"),
        ("NEWSBOT_RECENCY_HALF_LIFE_DAYS", "0", "greater than 0"),
        ("NEWSBOT_FOLLOWUP_MINUTES", "0", "greater than 0"),
        ("NEWSBOT_QUESTIONS_PER_MINUTE", "-5", "greater than or equal to 0"),
    ],
)
def test_invalid_values_are_one_line_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str, fragment: str
) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(SettingsError) as caught:
        load_settings()
    message = str(caught.value)
    assert message.startswith(f"{variable}: ") and fragment in message and "\n" not in message


@pytest.mark.parametrize(
    ("value", "expected"), [(None, 20), ("5", 5), ("0", 0)], ids=["default", "set", "off"]
)
def test_questions_per_minute(monkeypatch: pytest.MonkeyPatch, value: str | None, expected: int) -> None:
    if value is not None:
        monkeypatch.setenv("NEWSBOT_QUESTIONS_PER_MINUTE", value)
    assert load_settings().questions_per_minute == expected


def test_the_token_never_shows_in_repr_str_or_errors(monkeypatch: pytest.MonkeyPatch) -> None:
    settings = Settings(telegram_token=TOKEN)
    assert TOKEN not in repr(settings) and TOKEN not in str(settings)
    monkeypatch.setenv("NEWSBOT_TELEGRAM_TOKEN", TOKEN)
    monkeypatch.setenv("NEWSBOT_TOP_K", "-5")
    with pytest.raises(SettingsError) as caught:
        load_settings()
    assert TOKEN not in str(caught.value)


def test_keyword_arguments_override_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSBOT_TOP_K", "4")
    assert load_settings(top_k=7).top_k == 7
    assert Settings(telegram_token="  ").telegram_token is None


def test_the_storage_part_is_read_with_the_rest(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("NEWSBOT_DB", str(tmp_path / "news.sqlite3"))
    monkeypatch.setenv("NEWSBOT_ADMIN_IDS", "5, 6")
    settings = load_settings()
    assert settings.storage.db == tmp_path / "news.sqlite3"
    assert settings.storage.admin_ids == frozenset({5, 6})


@pytest.mark.parametrize(
    ("variable", "value"),
    [("NEWSBOT_FEEDS_REFRESH_MINUTES", "0"), ("NEWSBOT_ADMIN_IDS", "alice"), ("NEWSBOT_MAX_PAGE_BYTES", "x")],
)
def test_a_bad_storage_value_is_one_line_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str
) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(SettingsError) as caught:
        load_settings()
    message = str(caught.value)
    assert message.startswith(f"{variable}: ") and "\n" not in message
