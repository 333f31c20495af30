"""Keeping the running bot's news current: ingest (feeds on a schedule, /add, /refresh) or remove
(/remove), swap engines, alert.

Ingestion and indexing are blocking (SQLite, httpx, BM25), so they run in a worker thread while the
event loop keeps answering with the old engine; the new engine (the old one plus the new articles,
which alone are analysed) replaces it in one assignment, and is then saved to the index cache.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from telegram.ext import Application

from bot.heap import keep_served
from bot.library import NewsLibrary
from bot.state import BotData, Context, NewsEngine
from retrieval import AnswerEngine
from retrieval.ingest import ArticleStore, FetchLimits, Ingestor, Outcome, RefreshLimits, Status, make_client

logger = logging.getLogger(__name__)

# The first feed refresh waits a little, so start-up (getMe, the command menu) is not slowed down.
FIRST_REFRESH_SECONDS = 10.0
REFRESH_JOB_NAME = "refresh-feeds"

IngestAction = Callable[[Ingestor], Sequence[Outcome]]


@dataclass(slots=True)
class LiveNews:
    """Where new articles go and how the served engine grows; present only when the library grows."""

    library: NewsLibrary
    limits: FetchLimits
    refresh_limits: RefreshLimits = field(default_factory=RefreshLimits)
    # One ingestion at a time: two refreshes racing would each rebuild, and the slower one would win.
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)


@dataclass(frozen=True, slots=True)
class IngestResult:
    """What one ingestion did: an outcome per item, and the new engine if anything was added."""

    outcomes: tuple[Outcome, ...]
    engine: AnswerEngine | None


def added_ids(outcomes: Sequence[Outcome]) -> list[str]:
    """The ids of the articles an ingestion stored (feeds followed are outcomes without an id)."""
    return [o.article_id for o in outcomes if o.status is Status.ADDED and o.article_id]


def ingest(live: LiveNews, action: IngestAction, engine: NewsEngine) -> IngestResult:
    """Run ``action`` on a fresh store and client, then grow or shrink ``engine`` if the news changed.

    Any article ``engine`` answers from that was removed from the store,
    by ``action`` (/remove) or meanwhile from a terminal (``newsbot remove``), leaves the index too.
    Blocking; called in a worker thread. The store and client are opened here because a SQLite
    connection belongs to the thread that opened it.
    """
    with ArticleStore.open(live.library.db) as store, make_client(live.limits) as client:
        ingestor = Ingestor(
            store=store, client=client, limits=live.limits, refresh_limits=live.refresh_limits
        )
        outcomes = tuple(action(ingestor))
        served_ids = set(engine.article_ids)
        gone = [removal.article_id for removal in store.removals() if removal.article_id in served_ids]
    new_ids = added_ids(outcomes)
    if not gone and not new_ids:
        return IngestResult(outcomes, None)
    if not isinstance(engine, AnswerEngine):  # a stand-in engine cannot grow: build a real one
        return IngestResult(outcomes, live.library.build_engine())
    if gone:
        engine = live.library.without_articles(engine, gone)
    if new_ids:
        engine = live.library.with_new_articles(engine, new_ids)
    return IngestResult(outcomes, engine)


async def update_news(data: BotData, action: IngestAction) -> tuple[Outcome, ...]:
    """Ingest off the event loop and, when articles were added, serve them from now on and alert followers.

    Raises what ingestion raises (``StoreError``, a retrieval error, a bug); the old engine then
    keeps serving. ``data.live`` must be set.
    """
    live = data.live
    if live is None:
        raise RuntimeError("the bot serves a fixed corpus; there is no live news to update")
    async with live.lock:
        result = await asyncio.to_thread(ingest, live, action, data.engine)
        if result.engine is not None:
            data.engine = result.engine
            keep_served(collect_first=False)
            logger.info("now serving %d articles", len(result.engine.articles))
            if data.alerts is not None:
                data.alerts.announce(added_ids(result.outcomes))
            # After the swap: answers already come from the new articles while the cache is written.
            await asyncio.to_thread(live.library.remember, result.engine)
    return result.outcomes


def refresh_feeds(ingestor: Ingestor) -> Sequence[Outcome]:
    return ingestor.refresh()


def remove_articles(keys: Sequence[str]) -> IngestAction:
    """The action that removes the stored articles ``keys`` (ids or URLs) for good."""

    def remove(ingestor: Ingestor) -> Sequence[Outcome]:
        return ingestor.remove(keys)

    return remove


def count(outcomes: Sequence[Outcome], status: Status) -> int:
    return sum(1 for outcome in outcomes if outcome.status is status)


async def refresh_job(context: Context) -> None:
    """The scheduled feed refresh; a failure is logged and the current engine keeps serving."""
    try:
        outcomes = await update_news(context.bot_data, refresh_feeds)
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


def schedule_refresh(application: Application[Any, Any, Any, Any, Any, Any], *, minutes: int) -> None:
    """Refresh followed feeds every ``minutes`` (NEWSBOT_FEEDS_REFRESH_MINUTES), the first time shortly after start."""
    if application.job_queue is None:
        raise RuntimeError("python-telegram-bot was installed without the job-queue extra")
    application.job_queue.run_repeating(
        refresh_job, interval=minutes * 60, first=FIRST_REFRESH_SECONDS, name=REFRESH_JOB_NAME
    )
