"""Live news: how an ingestion swaps (or keeps) the engine the bot answers from, and the refresh schedule."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Sequence
from pathlib import Path
from types import SimpleNamespace
from typing import Any, cast

import pytest

from bot import app, live
from bot.library import NewsLibrary, default_corpus_path, load_articles
from bot.state import BotData, Context
from config import Settings
from config.storage import StorageSettings
from retrieval import AnswerEngine, Article
from retrieval.ingest import ArticleStore, Ingestor, Outcome, Status

FIXTURES = Path(__file__).parent.parent / "fixtures" / "ingest"
TREE_QUESTION = "كم شجرة ستزرع الحملة الوطنية؟"


@pytest.fixture
def storage(tmp_path: Path) -> StorageSettings:
    return StorageSettings(
        db=tmp_path / "articles.sqlite3", index_cache=tmp_path / "index", fetch_allow_private=True
    )


def live_news(storage: StorageSettings) -> live.LiveNews:
    library = NewsLibrary(db=storage.db, index_cache=storage.index_cache)
    return live.LiveNews(library, storage.fetch_limits())


@pytest.fixture
def bot_data(storage: StorageSettings) -> BotData:
    data = BotData()
    data.engine = AnswerEngine.from_articles(
        [Article("old", "خبر قديم", "افتتح وزير النقل المحطة الجديدة للقطارات في العاصمة.")]
    )
    data.live = live_news(storage)
    return data


def add_tree_article(ingestor: Ingestor) -> Sequence[Outcome]:
    return ingestor.add([str(FIXTURES / "article.txt")])


async def test_added_articles_are_served_by_a_new_engine_that_keeps_the_question_store(
    storage: StorageSettings, bot_data: BotData
) -> None:
    old = bot_data.engine
    key = bot_data.questions.remember("سؤال سابق")
    outcomes = await live.update_news(bot_data, add_tree_article)
    assert [outcome.status for outcome in outcomes] == [Status.ADDED]
    assert bot_data.engine is not old
    assert bot_data.questions.recall(key) == "سؤال سابق"
    answer = bot_data.engine.answer(TREE_QUESTION)
    assert answer.answered and "مليون شجرة" in answer.quotes[0].text
    # Positions for callback data follow the new engine's article list.
    assert bot_data.article_at(bot_data.position(answer.quotes[0].article.id)) == answer.quotes[0].article
    assert any(entry.name.startswith("bm25-") for entry in storage.index_cache.iterdir())


async def test_nothing_added_means_nothing_rebuilt(
    bot_data: BotData, monkeypatch: pytest.MonkeyPatch
) -> None:
    await live.update_news(bot_data, add_tree_article)
    before = bot_data.engine

    def no_rebuild(self: NewsLibrary, engine: AnswerEngine, added_ids: Sequence[str]) -> AnswerEngine:
        raise AssertionError("rebuilt although nothing was added")

    monkeypatch.setattr(NewsLibrary, "with_new_articles", no_rebuild)
    outcomes = await live.update_news(bot_data, add_tree_article)
    assert [outcome.status for outcome in outcomes] == [Status.SKIPPED]  # the same article again
    assert bot_data.engine is before


def job_context(bot_data: BotData) -> Context:
    return cast(Context, SimpleNamespace(bot_data=bot_data))


async def test_a_failed_refresh_is_logged_and_the_old_engine_keeps_serving(
    tmp_path: Path, bot_data: BotData, caplog: pytest.LogCaptureFixture
) -> None:
    unusable = StorageSettings(db=tmp_path, index_cache=tmp_path / "index")  # a directory, not a database
    bot_data.live = live_news(unusable)
    before = bot_data.engine
    with caplog.at_level(logging.ERROR, logger="bot.live"):
        await live.refresh_job(job_context(bot_data))
    assert bot_data.engine is before
    [record] = [r for r in caplog.records if r.name == "bot.live"]
    assert "feed refresh failed" in record.getMessage() and record.exc_info is not None


async def test_the_refresh_job_with_no_feeds_keeps_the_engine(
    bot_data: BotData, caplog: pytest.LogCaptureFixture
) -> None:
    before = bot_data.engine
    with caplog.at_level(logging.INFO, logger="bot.live"):
        await live.refresh_job(job_context(bot_data))
    assert bot_data.engine is before
    assert "feed refresh: 0 added, 0 skipped, 0 failed" in caplog.text


async def test_two_ingestions_never_overlap(bot_data: BotData) -> None:
    running: list[int] = []
    overlaps: list[int] = []

    def slow(ingestor: Ingestor) -> Sequence[Outcome]:
        running.append(1)
        if len(running) > 1:
            overlaps.append(len(running))
        time.sleep(0.1)
        running.pop()
        return ()

    await asyncio.gather(*(live.update_news(bot_data, slow) for _ in range(3)))
    assert overlaps == []


@pytest.mark.parametrize(("corpus", "scheduled"), [(None, True), (default_corpus_path(), False)])
def test_feeds_are_refreshed_on_a_schedule_only_for_the_default_corpus(
    storage: StorageSettings, corpus: Path | None, scheduled: bool
) -> None:
    engine = AnswerEngine.from_articles(load_articles(default_corpus_path()))
    storage = storage.model_copy(update={"feeds_refresh_minutes": 15})
    settings = Settings(telegram_token="123:abc", corpus=corpus, storage=storage)
    application = app.build_application(settings, engine)
    assert application.job_queue is not None
    jobs = application.job_queue.jobs()
    assert [job.name for job in jobs] == ([live.REFRESH_JOB_NAME] if scheduled else [])
    assert (application.bot_data.live is not None) is scheduled
    if scheduled:
        trigger: Any = jobs[0].job.trigger
        assert trigger.interval.total_seconds() == 15 * 60


async def test_an_admins_add_of_a_private_address_is_refused_with_the_reason(
    storage: StorageSettings, bot_data: BotData
) -> None:
    bot_data.live = live_news(storage.model_copy(update={"fetch_allow_private": False}))
    before = bot_data.engine
    outcomes = await live.update_news(bot_data, lambda ingestor: (ingestor.add_url("http://10.0.0.1/news"),))
    assert [(o.status, o.detail) for o in outcomes] == [
        (Status.FAILED, "address is private: 10.0.0.1; only public addresses are fetched")
    ]
    assert bot_data.engine is before


async def test_a_removed_article_leaves_the_served_engine(bot_data: BotData) -> None:
    (added,) = await live.update_news(bot_data, add_tree_article)
    assert bot_data.engine.answer(TREE_QUESTION).quotes[0].article.id == added.article_id
    before = bot_data.engine
    (removed,) = await live.update_news(bot_data, live.remove_articles([added.article_id or ""]))
    assert (removed.status, removed.article_id) == (Status.REMOVED, added.article_id)
    assert bot_data.engine is not before
    assert added.article_id not in [article.id for article in bot_data.engine.articles]
    assert all(quote.article.id != added.article_id for quote in bot_data.engine.answer(TREE_QUESTION).quotes)


async def test_a_removal_from_the_terminal_leaves_the_engine_at_the_next_refresh(
    storage: StorageSettings, bot_data: BotData
) -> None:
    (added,) = await live.update_news(bot_data, add_tree_article)
    with ArticleStore.open(storage.db) as store:  # `newsbot remove` while the bot runs
        assert store.remove(added.article_id or "") is not None
    assert added.article_id in [article.id for article in bot_data.engine.articles]
    await live.refresh_job(job_context(bot_data))
    assert added.article_id not in [article.id for article in bot_data.engine.articles]
