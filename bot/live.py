"""Keeping the running bot's news current: ingest (feeds on a schedule, /add, /refresh), then swap engines.

Ingestion and indexing are blocking (SQLite, httpx, BM25), so they run in a worker thread while the
event loop keeps answering with the old engine; the new engine replaces it in one assignment.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from typing import Any

from telegram.ext import Application, ContextTypes

from bot.corpus import load_served_articles
from bot.services import SERVICES_KEY, Services
from config.storage import StorageSettings
from retrieval import AnswerEngine
from retrieval.ingest import ArticleStore, FetchLimits, Ingestor, Outcome, Status, make_client

logger = logging.getLogger(__name__)

LIVE_KEY = "live_news"
ADMIN_IDS_KEY = "admin_ids"
# The first feed refresh waits a little, so start-up (getMe, the command menu) is not slowed down.
FIRST_REFRESH_SECONDS = 10.0
REFRESH_JOB_NAME = "refresh-feeds"

IngestAction = Callable[[Ingestor], Sequence[Outcome]]


@dataclass(slots=True)
class LiveNews:
    """Where new articles go and how the engine is rebuilt; present only when the bot serves the store."""

    storage: StorageSettings
    # One ingestion at a time: two refreshes racing would each rebuild, and the slower one would win.
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)


@dataclass(frozen=True, slots=True)
class IngestResult:
    """What one ingestion did: an outcome per item, and the new engine if anything was added."""

    outcomes: tuple[Outcome, ...]
    engine: AnswerEngine | None


def is_admin(user_id: int | None, admin_ids: Collection[int]) -> bool:
    """True when ``user_id`` is one of NEWSBOT_ADMIN_IDS (none are by default)."""
    return user_id is not None and user_id in admin_ids


def fetch_limits(storage: StorageSettings) -> FetchLimits:
    return FetchLimits(
        timeout=storage.fetch_timeout_seconds,
        total_timeout=2 * storage.fetch_timeout_seconds,
        max_bytes=storage.max_page_bytes,
    )


def build_served_engine(storage: StorageSettings) -> AnswerEngine:
    """The seeds plus the store, indexed (or loaded from the index cache when unchanged)."""
    articles = load_served_articles(None, db=storage.db)
    return AnswerEngine.from_articles(articles, cache_dir=storage.index_cache)


def ingest(storage: StorageSettings, action: IngestAction) -> IngestResult:
    """Run ``action`` on a fresh store and client, then rebuild the engine if it added anything.

    Blocking; called in a worker thread. The store and client are opened here because a SQLite
    connection belongs to the thread that opened it.
    """
    limits = fetch_limits(storage)
    with ArticleStore.open(storage.db) as store, make_client(limits) as client:
        outcomes = tuple(action(Ingestor(store=store, client=client, limits=limits)))
    if not any(outcome.status is Status.ADDED and outcome.article_id for outcome in outcomes):
        return IngestResult(outcomes, None)
    return IngestResult(outcomes, build_served_engine(storage))


async def update_news(bot_data: dict[Any, Any], live: LiveNews, action: IngestAction) -> tuple[Outcome, ...]:
    """Ingest off the event loop and, when articles were added, serve them from now on.

    Raises what ingestion raises (``StoreError``, a retrieval error, a bug); the old engine then
    keeps serving.
    """
    async with live.lock:
        result = await asyncio.to_thread(ingest, live.storage, action)
        if result.engine is not None:
            old: Services = bot_data[SERVICES_KEY]
            # The question store carries over so "more" buttons under earlier answers keep working.
            bot_data[SERVICES_KEY] = Services(engine=result.engine, top_k=old.top_k, questions=old.questions)
            logger.info("now serving %d articles", len(result.engine.articles))
    return result.outcomes


def refresh_feeds(ingestor: Ingestor) -> Sequence[Outcome]:
    return ingestor.refresh()


def count(outcomes: Sequence[Outcome], status: Status) -> int:
    return sum(1 for outcome in outcomes if outcome.status is status)


async def refresh_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    """The scheduled feed refresh; a failure is logged and the current engine keeps serving."""
    live: LiveNews = context.bot_data[LIVE_KEY]
    try:
        outcomes = await update_news(context.bot_data, live, refresh_feeds)
    except Exception:
        # A job's exception would only reach the error handler without an update; log it here
        # with the traceback and try again at the next interval.
        logger.exception("feed refresh failed; still serving the previous articles")
        return
    logger.info(
        "feed refresh: %d added, %d skipped, %d failed",
        count(outcomes, Status.ADDED),
        count(outcomes, Status.SKIPPED),
        count(outcomes, Status.FAILED),
    )


def schedule_refresh(application: Application[Any, Any, Any, Any, Any, Any], live: LiveNews) -> None:
    """Refresh followed feeds every NEWSBOT_FEEDS_REFRESH_MINUTES, the first time shortly after start."""
    application.bot_data[LIVE_KEY] = live
    if application.job_queue is None:
        raise RuntimeError("python-telegram-bot was installed without the job-queue extra")
    application.job_queue.run_repeating(
        refresh_job,
        interval=live.storage.feeds_refresh_minutes * 60,
        first=FIRST_REFRESH_SECONDS,
        name=REFRESH_JOB_NAME,
    )
