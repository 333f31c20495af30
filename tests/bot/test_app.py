"""Wiring: the file URL, polling options, start-up errors, and the shared state handlers get."""

from __future__ import annotations

import io

import pytest

from bot import app
from bot.access import AccessPolicy
from bot.library import default_corpus_path
from bot.state import BotData
from config import Settings
from config.storage import StorageSettings
from tests.bot import fakes
from tests.bot.offline import RecordingRequest


@pytest.mark.parametrize(
    ("api_url", "file_url"),
    [
        ("https://api.telegram.org/bot", "https://api.telegram.org/file/bot"),
        ("http://127.0.0.1:8081/bot", "http://127.0.0.1:8081/file/bot"),
    ],
)
def test_file_url_follows_the_api_url(api_url: str, file_url: str) -> None:
    assert app.file_url(api_url) == file_url


def test_polling_keeps_pending_updates_and_asks_only_for_what_it_handles() -> None:
    options = app.polling_options(Settings(poll_timeout=12))
    assert options["drop_pending_updates"] is False
    assert options["timeout"] == 12
    assert sorted(options["allowed_updates"]) == [
        "callback_query",
        "edited_message",
        "inline_query",
        "message",
    ]


def test_run_without_a_token_exits_2_with_botfather_hint(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(app, "configure_logging", lambda *args, **kwargs: None)  # keep pytest's handlers
    err = io.StringIO()
    assert app.run(Settings(telegram_token=None), err=err) == 2
    assert "@BotFather" in err.getvalue()


def test_the_application_shares_typed_state_built_from_the_settings() -> None:
    engine = fakes.StubEngine(articles=(fakes.article("a1", "خبر."), fakes.article("a2", "خبر آخر.")))
    settings = Settings(
        telegram_token="1:offline",
        top_k=4,
        allowed_ids=frozenset({5}),
        storage=StorageSettings(admin_ids=frozenset({9})),
        corpus=default_corpus_path(),
    )
    application = app.build_application(settings, engine, request=RecordingRequest())
    data = application.bot_data
    assert isinstance(data, BotData)
    assert data.engine is engine and data.top_k == 4
    assert data.access == AccessPolicy(allowed_ids=frozenset({5}), admin_ids=frozenset({9}))
    assert data.live is None  # a named corpus is fixed


def test_followups_last_as_long_as_the_setting_says() -> None:
    application = app.build_application(
        Settings(telegram_token="1:offline", followup_minutes=0.5), fakes.StubEngine(articles=())
    )
    assert application.bot_data.last_questions.ttl_seconds == 30
