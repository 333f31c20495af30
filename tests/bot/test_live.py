"""Live news: who is an admin, and how an ingestion swaps (or keeps) the engine the bot answers from."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Sequence
from pathlib import Path
from types import SimpleNamespace
from typing import Any, cast

import pytest
from telegram.ext import ContextTypes

from bot import app, live
from bot.corpus import default_corpus_path
from bot.keyboards import QuestionStore
from bot.services import SERVICES_KEY, Services
from config import Settings
from config.storage import StorageSettings
from retrieval import AnswerEngine, Article
from retrieval.ingest import Ingestor, Outcome, Status

FIXTURES = Path(__file__).parent.parent / "fixtures" / "ingest"
TREE_QUESTION = "كم شجرة ستزرع الحملة الوطنية؟"


@pytest.mark.parametrize(
    ("user_id", "admin_ids", "expected"),
    [
        (7, frozenset({7, 8}), True),
        (9, frozenset({7, 8}), False),
        (7, frozenset(), False),  # nobody is an admin by default
        (None, frozenset({7}), False),  # channel posts and anonymous admins have no user
    ],
)
def test_only_listed_users_are_admins(user_id: int | None, admin_ids: frozenset[int], expected: bool) -> None:
    assert live.is_admin(user_id, admin_ids) is expected


@pytest.fixture
def storage(tmp_path: Path) -> StorageSettings:
    return StorageSettings(db=tmp_path / "articles.sqlite3", index_cache=tmp_path / "index")


@pytest.fixture
def bot_data() -> dict[Any, Any]:
    engine = AnswerEngine.from_articles(
        [Article("old", "خبر قديم", "افتتح وزير النقل المحطة الجديدة للقطارات في العاصمة.")]
    )
    return {SERVICES_KEY: Services(engine=engine, top_k=2, questions=QuestionStore())}


def add_tree_article(ingestor: Ingestor) -> Sequence[Outcome]:
    return ingestor.add([str(FIXTURES / "article.txt")])


async def test_added_articles_are_served_by_a_new_engine_that_keeps_the_question_store(
    storage: StorageSettings, bot_data: dict[Any, Any]
) -> None:
    old: Services = bot_data[SERVICES_KEY]
    key = old.questions.remember("سؤال سابق")
    outcomes = await live.update_news(bot_data, live.LiveNews(storage), add_tree_article)
    assert [outcome.status for outcome in outcomes] == [Status.ADDED]
    new: Services = bot_data[SERVICES_KEY]
    assert new is not old and new.top_k == 2
    assert new.questions is old.questions and new.questions.recall(key) == "سؤال سابق"
    answer = new.engine.answer(TREE_QUESTION)
    assert answer.answered and "مليون شجرة" in answer.quotes[0].text
    assert any(entry.name.startswith("bm25-") for entry in storage.index_cache.iterdir())


async def test_nothing_added_means_nothing_rebuilt(
    storage: StorageSettings, bot_data: dict[Any, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    await live.update_news(bot_data, live.LiveNews(storage), add_tree_article)
    before = bot_data[SERVICES_KEY]

    def no_rebuild(storage: StorageSettings) -> AnswerEngine:
        raise AssertionError("rebuilt although nothing was added")

    monkeypatch.setattr(live, "build_served_engine", no_rebuild)
    outcomes = await live.update_news(bot_data, live.LiveNews(storage), add_tree_article)
    assert [outcome.status for outcome in outcomes] == [Status.SKIPPED]  # the same article again
    assert bot_data[SERVICES_KEY] is before


def job_context(bot_data: dict[Any, Any]) -> ContextTypes.DEFAULT_TYPE:
    return cast(ContextTypes.DEFAULT_TYPE, SimpleNamespace(bot_data=bot_data))


async def test_a_failed_refresh_is_logged_and_the_old_engine_keeps_serving(
    tmp_path: Path, bot_data: dict[Any, Any], caplog: pytest.LogCaptureFixture
) -> None:
    unusable = StorageSettings(db=tmp_path, index_cache=tmp_path / "index")  # a directory, not a database
    bot_data[live.LIVE_KEY] = live.LiveNews(unusable)
    before = bot_data[SERVICES_KEY]
    with caplog.at_level(logging.ERROR, logger="bot.live"):
        await live.refresh_job(job_context(bot_data))
    assert bot_data[SERVICES_KEY] is before
    [record] = [r for r in caplog.records if r.name == "bot.live"]
    assert "feed refresh failed" in record.getMessage() and record.exc_info is not None


async def test_the_refresh_job_with_no_feeds_keeps_the_engine(
    storage: StorageSettings, bot_data: dict[Any, Any], caplog: pytest.LogCaptureFixture
) -> None:
    bot_data[live.LIVE_KEY] = live.LiveNews(storage)
    before = bot_data[SERVICES_KEY]
    with caplog.at_level(logging.INFO, logger="bot.live"):
        await live.refresh_job(job_context(bot_data))
    assert bot_data[SERVICES_KEY] is before
    assert "feed refresh: 0 added, 0 skipped, 0 failed" in caplog.text


async def test_two_ingestions_never_overlap(storage: StorageSettings, bot_data: dict[Any, Any]) -> None:
    news = live.LiveNews(storage)
    running: list[int] = []
    overlaps: list[int] = []

    def slow(ingestor: Ingestor) -> Sequence[Outcome]:
        running.append(1)
        if len(running) > 1:
            overlaps.append(len(running))
        time.sleep(0.1)
        running.pop()
        return ()

    await asyncio.gather(*(live.update_news(bot_data, news, slow) for _ in range(3)))
    assert overlaps == []


@pytest.mark.parametrize(("corpus", "scheduled"), [(None, True), (default_corpus_path(), False)])
def test_feeds_are_refreshed_on_a_schedule_only_for_the_default_corpus(
    storage: StorageSettings, corpus: Path | None, scheduled: bool
) -> None:
    engine = AnswerEngine.from_articles(app.load_articles(default_corpus_path()))
    settings = Settings(telegram_token="123:abc", corpus=corpus)
    storage = storage.model_copy(update={"feeds_refresh_minutes": 15})
    application = app.build_application(settings, engine, storage=storage)
    assert application.job_queue is not None
    jobs = application.job_queue.jobs()
    assert [job.name for job in jobs] == ([live.REFRESH_JOB_NAME] if scheduled else [])
    assert (live.LIVE_KEY in application.bot_data) is scheduled
    if scheduled:
        trigger: Any = jobs[0].job.trigger
        assert trigger.interval.total_seconds() == 15 * 60
