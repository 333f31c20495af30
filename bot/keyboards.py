"""Inline keyboards under answers and the callback data their buttons carry.

Callback data is a short string (Telegram allows 64 bytes), so it survives restarts:
``more:<question key>:<offset>:<version>`` (a page of quotes, forward or back) and
``ctx:<article position>:<first>:<last>:<id check>`` and ``follow:<question key>`` (alerts for the
question, offered only when new articles can arrive). The version counts the rewrites of one answer,
so a button on a newer page never repeats the data of one pressed moments ago on an older page
(``guard.drop_repeated_press`` drops a press of the same data on the same message within seconds).
The question itself is too long for callback data; it is kept under its key in a small
in-memory store (and, as a fallback after a restart, read back from the replied-to message).
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot import texts
from bot.numbers import arabic_number
from retrieval import Quote

MORE = "more"
CONTEXT = "ctx"
FOLLOW = "follow"
_BUTTONS_PER_ROW = 3


@dataclass(frozen=True, slots=True)
class MoreRequest:
    """The "more" and "back" buttons: the page of a question's quotes that starts at ``offset``."""

    key: str
    offset: int
    version: int = 0


@dataclass(frozen=True, slots=True)
class ContextRequest:
    """The "context" button: sentences around ``first``..``last`` of the article at ``position``."""

    position: int
    first: int
    last: int
    check: str


@dataclass(frozen=True, slots=True)
class FollowRequest:
    """The "follow" button: alerts for the question kept under ``key``."""

    key: str


def question_key(question: str) -> str:
    """A short stable key for a question (the same question gives the same key after a restart)."""
    return hashlib.sha1(question.encode()).hexdigest()[:12]


def article_check(article_id: str) -> str:
    """Four hex digits of the article id: a stale button after a corpus change is detected, not misread."""
    return hashlib.sha1(article_id.encode()).hexdigest()[:4]


class QuestionStore:
    """The most recent questions by key, bounded so memory stays flat on a busy bot."""

    def __init__(self, capacity: int = 2048) -> None:
        self._capacity = capacity
        self._questions: OrderedDict[str, str] = OrderedDict()

    def remember(self, question: str) -> str:
        key = question_key(question)
        self._questions[key] = question
        self._questions.move_to_end(key)
        while len(self._questions) > self._capacity:
            self._questions.popitem(last=False)
        return key

    def recall(self, key: str) -> str | None:
        return self._questions.get(key)


def more_data(key: str, offset: int, version: int = 0) -> str:
    """Data of a «المزيد»/«السابق» button; the version wraps at 1000 to stay within
    ``InlineKeyboardButtonLimit.MAX_CALLBACK_DATA``."""
    return f"{MORE}:{key}:{offset}:{version % 1000}"


def follow_data(key: str) -> str:
    """Data of the «تابِع» button for the question kept under ``key``."""
    return f"{FOLLOW}:{key}"


def context_data(position: int, quote: Quote) -> str:
    """Data of a «السياق» button: the article's position, the quoted sentences and the id check."""
    citation = quote.citation
    return (
        f"{CONTEXT}:{position}:{citation.first_sentence}:{citation.last_sentence}:"
        f"{article_check(citation.article.id)}"
    )


def parse(data: str) -> MoreRequest | ContextRequest | FollowRequest | None:
    """The request a button carries, or None for data this bot did not make."""
    kind, _, rest = data.partition(":")
    fields = rest.split(":")
    try:
        if kind == MORE and len(fields) == 2:
            return MoreRequest(fields[0], int(fields[1]))  # buttons sent before versions existed
        if kind == MORE and len(fields) == 3:
            return MoreRequest(fields[0], int(fields[1]), int(fields[2]))
        if kind == FOLLOW and len(fields) == 1 and fields[0]:
            return FollowRequest(fields[0])
        if kind == CONTEXT and len(fields) == 4:
            return ContextRequest(int(fields[0]), int(fields[1]), int(fields[2]), fields[3])
    except ValueError:
        return None
    return None


def answer_keyboard(
    quotes: Sequence[tuple[int, Quote]],
    *,
    first_number: int,
    more: str | None,
    back: str | None = None,
    follow: str | None = None,
) -> InlineKeyboardMarkup | None:
    """Context buttons numbered like the quotes, then "back" (earlier quotes), "more" and "follow" on one row.

    ``quotes`` pairs each quote with its article's position in the engine's article list.
    """
    buttons = [
        InlineKeyboardButton(
            texts.BUTTON_CONTEXT.format(number=arabic_number(first_number + index)),
            callback_data=context_data(position, quote),
        )
        for index, (position, quote) in enumerate(quotes)
    ]
    rows = [buttons[i : i + _BUTTONS_PER_ROW] for i in range(0, len(buttons), _BUTTONS_PER_ROW)]
    paging = [
        InlineKeyboardButton(label, callback_data=data)
        for label, data in (
            (texts.BUTTON_BACK, back),
            (texts.BUTTON_MORE, more),
            (texts.BUTTON_FOLLOW, follow),
        )
        if data is not None
    ]
    if paging:
        rows.append(paging)
    return InlineKeyboardMarkup(rows) if rows else None
