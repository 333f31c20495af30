"""Sending answers: parts in order (an uncertain part is not sent twice nor stops the rest); rewriting in
place: edits, extra messages sent, surplus deleted, a deleted message replaced."""

from __future__ import annotations

import itertools
import logging
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest, NetworkError, TimedOut

from bot.sending import rewrite, send_chunks

MARKUP = InlineKeyboardMarkup([[InlineKeyboardButton("المزيد", callback_data="more:k:3")]])


@dataclass
class RecordingBot:
    """The three Bot methods ``rewrite`` uses; ``gone`` messages fail to edit as Telegram's do."""

    gone: set[int] = field(default_factory=set)
    unchanged: set[int] = field(default_factory=set)
    calls: list[tuple[Any, ...]] = field(default_factory=list)
    ids: Any = field(default_factory=lambda: itertools.count(100))

    async def edit_message_text(self, text: str, *, chat_id: int, message_id: int, reply_markup: Any) -> None:
        if message_id in self.gone:
            raise BadRequest("Message to edit not found")
        if message_id in self.unchanged:
            raise BadRequest("Message is not modified: specified new message content is the same")
        self.calls.append(("edit", message_id, text, reply_markup is not None))

    async def send_message(self, chat_id: int, text: str, *, reply_parameters: Any, reply_markup: Any) -> Any:
        message_id = next(self.ids)
        self.calls.append(("send", message_id, text, reply_markup is not None))
        return type("Sent", (), {"message_id": message_id})()

    async def delete_message(self, chat_id: int, message_id: int) -> None:
        self.calls.append(("delete", message_id))


@pytest.mark.parametrize(
    ("old", "chunks", "calls", "shown"),
    [
        ([1, 2], ["a", "b"], [("edit", 1, "a", False), ("edit", 2, "b", True)], [1, 2]),
        ([1, 2], ["a"], [("edit", 1, "a", True), ("delete", 2)], [1]),
        ([1], ["a", "b"], [("edit", 1, "a", False), ("send", 100, "b", True)], [1, 100]),
    ],
    ids=["same-count", "fewer", "more"],
)
async def test_rewrite_edits_sends_and_deletes_with_buttons_on_the_last(
    old: list[int], chunks: list[str], calls: list[tuple[Any, ...]], shown: list[int]
) -> None:
    bot = RecordingBot()
    assert await rewrite(bot, 7, old, chunks, MARKUP, reply_to=5) == shown  # type: ignore[arg-type]
    assert bot.calls == calls


async def test_a_message_the_user_deleted_is_sent_anew_and_an_unchanged_one_kept() -> None:
    bot = RecordingBot(gone={1}, unchanged={2})
    assert await rewrite(bot, 7, [1, 2], ["a", "b"], MARKUP, reply_to=5) == [100, 2]  # type: ignore[arg-type]
    assert bot.calls == [("send", 100, "a", False)]


async def test_other_edit_failures_are_raised() -> None:
    class Refusing(RecordingBot):
        async def edit_message_text(self, text: str, **kwargs: Any) -> None:
            raise BadRequest("Can't parse entities")

    with pytest.raises(BadRequest):
        await rewrite(Refusing(), 7, [1], ["a"], None, reply_to=5)  # type: ignore[arg-type]


def lost_answer() -> NetworkError:
    """A send whose request was written but whose answer never came (it may have been delivered)."""
    error = TimedOut()
    error.__cause__ = httpx.ReadTimeout("timed out")
    return error


def never_sent() -> NetworkError:
    error = NetworkError("httpx.ConnectError")
    error.__cause__ = httpx.ConnectError("refused")
    return error


@dataclass
class FlakyBot(RecordingBot):
    """Sends fail with ``failures[n]`` on the n-th send (0-based), after being recorded."""

    failures: dict[int, NetworkError] = field(default_factory=dict)
    sends: int = 0

    async def send_message(self, chat_id: int, text: str, *, reply_parameters: Any, reply_markup: Any) -> Any:
        number, self.sends = self.sends, self.sends + 1
        reply = await super().send_message(
            chat_id, text, reply_parameters=reply_parameters, reply_markup=reply_markup
        )
        if number in self.failures:
            raise self.failures[number]
        return reply


class Chat:
    """The message an answer replies to: its chat and the bot that sends there."""

    def __init__(self, bot: RecordingBot) -> None:
        self.chat_id, self._bot = 7, bot

    def get_bot(self) -> RecordingBot:
        return self._bot


async def test_parts_after_one_that_may_have_been_delivered_are_still_sent_once(
    caplog: pytest.LogCaptureFixture,
) -> None:
    bot = FlakyBot(failures={0: lost_answer()})
    ids = await send_chunks(Chat(bot), ["a", "b", "c"], MARKUP, reply_to=5)  # type: ignore[arg-type]
    assert [call[2] for call in bot.calls] == ["a", "b", "c"]  # each once: "a" is not sent again
    assert ids == [101, 102]  # the uncertain part's id is unknown
    assert bot.calls[-1][3] is True  # the buttons still come with the last part
    [warning] = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert "part 1 of 3" in warning.getMessage() and "may have been delivered" in warning.getMessage()


async def test_a_part_that_never_left_stops_the_answer_for_the_error_handler() -> None:
    bot = FlakyBot(failures={1: never_sent()})
    with pytest.raises(NetworkError):
        await send_chunks(Chat(bot), ["a", "b", "c"], MARKUP, reply_to=5)  # type: ignore[arg-type]
    assert [call[2] for call in bot.calls] == ["a", "b"]
