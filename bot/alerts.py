"""Alerts for followed questions: after new articles arrive, each follow gets the best new quote.

Only the newly added articles are searched, with the engine's own abstention, so an alert is a
quote that answers the followed question, never the nearest noise; at most one message per follow
per refresh or /add. Messages go out one after another through the application's rate limiter
(``bot.transport.MessageRateLimiter``), which keeps under Telegram's ~30 messages/s overall and
per-chat limits. A chat that blocked the bot (Forbidden) loses its follows. The allow-list is read
again at each delivery: a follow whose chat and follower are no longer on it gets nothing (and is
kept, should they be allowed again).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from telegram.error import Forbidden, TelegramError

from bot import render, texts
from bot.follows import Added, Follow, FollowStore
from bot.layout import MAX_MESSAGE, isolate, rtl, telegram_length
from retrieval import Answer

if TYPE_CHECKING:
    from telegram.ext import Application

    from bot.state import BotData

logger = logging.getLogger(__name__)
T = TypeVar("T")

PER_CHAT_SECONDS = 1.0


def in_rounds(matches: Sequence[tuple[Follow, Answer]]) -> list[list[tuple[Follow, Answer]]]:
    """Matches in rounds of at most one per chat, each chat's in follow order, chats in first-match order.

    Sent round by round, no chat gets two messages in one round, so a chat with many matches waits
    about a second between them while every other chat is served in between.
    """
    by_chat: dict[int, list[tuple[Follow, Answer]]] = {}
    for match in matches:
        by_chat.setdefault(match[0].chat_id, []).append(match)
    depth = max((len(queue) for queue in by_chat.values()), default=0)
    return [[queue[number] for queue in by_chat.values() if number < len(queue)] for number in range(depth)]


def render_alert(follow: Follow, answer: Answer) -> str:
    """The alert: which followed question it answers, then the quote with its source."""
    header = rtl(texts.ALERT_HEADER.format(question=isolate(follow.question)))
    limit = MAX_MESSAGE - telegram_length(header) - 1
    return header + "\n" + render.render_quote(answer.quotes[0], limit=limit)


@dataclass(slots=True)
class Alerts:
    """Follows kept in the SQLite file at ``db``, delivered through ``application``'s bot."""

    db: Path
    application: Application[Any, Any, Any, Any, Any, Any]

    def announce(self, added_ids: Sequence[str]) -> None:
        """Deliver alerts for the articles ``added_ids`` in the background: an /add reply does not wait."""
        if added_ids:
            self.application.create_task(self.deliver(tuple(added_ids)), name="follow-alerts")

    async def deliver(self, added_ids: Sequence[str]) -> int:
        """Send each follow the best quote from ``added_ids`` that answers it; the number of alerts sent."""
        data: BotData = self.application.bot_data
        follows = await self._in_store(FollowStore.all)
        allowed = [follow for follow in follows if data.access.allows_ids(follow.ids)]
        if len(allowed) < len(follows):
            logger.info(
                "follow alerts: %d follows skipped (not in the allow-list)", len(follows) - len(allowed)
            )
        matches = await self._matches(allowed, added_ids)
        blocked: set[int] = set()
        sent = 0
        loop = asyncio.get_running_loop()
        round_started = loop.time()
        for number, batch in enumerate(in_rounds(matches)):
            if number:
                # Telegram allows about one message a second per chat; a round has one per chat.
                await asyncio.sleep(max(0.0, PER_CHAT_SECONDS - (loop.time() - round_started)))
                round_started = loop.time()
            for follow, answer in batch:
                if follow.chat_id not in blocked:
                    sent += await self._send(follow, answer, blocked)
        logger.info(
            "follow alerts: %d sent for %d new articles and %d follows", sent, len(added_ids), len(allowed)
        )
        return sent

    async def _matches(
        self, follows: Sequence[Follow], added_ids: Sequence[str]
    ) -> list[tuple[Follow, Answer]]:
        """The follows the new articles answer, each with its answer (one quote)."""
        data: BotData = self.application.bot_data
        answers: dict[str, Answer] = {}  # chats following the same question share one search
        matches = []
        for follow in follows:
            if follow.question not in answers:
                answers[follow.question] = await asyncio.to_thread(
                    data.engine.answer, follow.question, top_k=1, today=data.today(), article_ids=added_ids
                )
            if answers[follow.question].answered:
                matches.append((follow, answers[follow.question]))
        return matches

    async def _send(self, follow: Follow, answer: Answer, blocked: set[int]) -> int:
        """Send one alert through the rate limiter; 1 if it went out, 0 if not (a blocked chat is dropped)."""
        try:
            await self.application.bot.send_message(follow.chat_id, render_alert(follow, answer))
        except Forbidden:
            blocked.add(follow.chat_id)
            dropped = await self._drop_chat(follow.chat_id)
            logger.info("chat %s blocked the bot: dropped its %d follows", follow.chat_id, dropped)
            return 0
        except TelegramError as error:
            logger.warning("could not send a follow alert to chat %s: %s", follow.chat_id, error)
            return 0
        return 1

    # The follows table, each operation in a worker thread: SQLite may wait on ingestion's write lock.

    async def follow(self, chat_id: int, question: str, *, user_id: int | None = None) -> Added:
        return await self._in_store(lambda store: store.add(chat_id, question, user_id=user_id))

    async def following(self, chat_id: int) -> tuple[Follow, ...]:
        return await self._in_store(lambda store: store.of_chat(chat_id))

    async def unfollow(self, chat_id: int, follow_id: int) -> Follow | None:
        return await self._in_store(lambda store: store.remove(chat_id, follow_id))

    async def _drop_chat(self, chat_id: int) -> int:
        return await self._in_store(lambda store: store.drop_chat(chat_id))

    async def _in_store(self, operation: Callable[[FollowStore], T]) -> T:
        def run() -> T:
            with FollowStore.open(self.db) as store:
                return operation(store)

        return await asyncio.to_thread(run)
