"""Wiring: which articles the bot serves, the file URL, and polling options."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from bot import app
from bot.corpus import default_corpus_path
from config import Settings


@pytest.mark.parametrize(
    ("api_url", "file_url"),
    [
        ("https://api.telegram.org/bot", "https://api.telegram.org/file/bot"),
        ("http://127.0.0.1:8081/bot", "http://127.0.0.1:8081/file/bot"),
    ],
)
def test_file_url_follows_the_api_url(api_url: str, file_url: str) -> None:
    assert app.file_url(api_url) == file_url


def test_a_named_corpus_is_served_alone(tmp_path: Path) -> None:
    corpus = tmp_path / "news.jsonl"
    corpus.write_text(
        '{"id": "x1", "title": "خبر", "text": "افتتح الوزير المحطة الجديدة."}\n', encoding="utf-8"
    )
    engine = app.build_engine(Settings(corpus=corpus))
    assert [article.id for article in engine.articles] == ["x1"]


def test_without_a_corpus_the_seeds_are_served_when_the_store_is_empty(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("NEWSBOT_DB", str(tmp_path / "absent.sqlite3"))
    engine = app.build_engine(Settings())
    seeds = sorted(path.stem for path in default_corpus_path().glob("*.txt"))
    assert sorted(article.id for article in engine.articles) == seeds
    assert not (tmp_path / "absent.sqlite3").exists()  # reading never creates the store


def test_polling_keeps_pending_updates_and_asks_only_for_what_it_handles() -> None:
    options = app.polling_options(Settings(poll_timeout=12))
    assert options["drop_pending_updates"] is False
    assert options["timeout"] == 12
    assert sorted(options["allowed_updates"]) == ["callback_query", "inline_query", "message"]


def test_run_without_a_token_exits_2_with_botfather_hint(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(app, "configure_logging", lambda *args, **kwargs: None)  # keep pytest's handlers
    err = io.StringIO()
    assert app.run(Settings(telegram_token=None), err=err) == 2
    assert "@BotFather" in err.getvalue()
