"""Per-chat conversation memory, in process: the last question of each chat and the bot's answers.

Two bounded stores, both lost on restart (a follow-up after a restart is read as a new question,
and an edited question gets a fresh answer instead of an edit):

* ``LastQuestions``: the last question each chat asked (as the bot understood it), expiring
  after ``NEWSBOT_FOLLOWUP_MINUTES``, so «وماذا عن…» can lean on it.
* ``AnswerLog``: which messages hold the answer to which question, so an edited question is
  answered by editing those messages, and paging can rewrite every message of an answer.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field

Clock = Callable[[], float]
ChatMessage = tuple[int, int]  # (chat id, message id)


@dataclass(frozen=True, slots=True)
class Asked:
    """A question as the bot answered it: ``question`` is the completed text sent to the engine."""

    question: str
    message_id: int
    at: float


class LastQuestions:
    """The last question per chat, forgotten ``ttl_seconds`` after it was asked."""

    def __init__(self, ttl_seconds: float, *, capacity: int = 4096, clock: Clock = time.monotonic) -> None:
        self._ttl = ttl_seconds
        self._capacity = capacity
        self._clock = clock
        self._last: OrderedDict[int, Asked] = OrderedDict()

    @property
    def ttl_seconds(self) -> float:
        return self._ttl

    def remember(self, chat_id: int, message_id: int, question: str) -> None:
        self._last[chat_id] = Asked(question, message_id, self._clock())
        self._last.move_to_end(chat_id)
        while len(self._last) > self._capacity:
            self._last.popitem(last=False)

    def recall(self, chat_id: int, *, before: int | None = None) -> str | None:
        """The chat's last question if it is recent enough, else None.

        ``before``: the message being answered; its own earlier version (an edit) is not "previous".
        """
        asked = self._last.get(chat_id)
        if asked is None or asked.message_id == before:
            return None
        if self._clock() - asked.at > self._ttl:
            del self._last[chat_id]
            return None
        return asked.question


@dataclass(slots=True)
class SentAnswer:
    """The messages holding one answer, in order; the last one carries the buttons.

    ``question`` is what the engine was asked and ``understood`` the follow-up reading shown
    above it (None for a question taken as written). ``offset`` is the page on show and
    ``version`` counts how often the messages were rewritten (its buttons carry it).
    """

    chat_id: int
    question_id: int
    question: str
    understood: str | None = None
    message_ids: list[int] = field(default_factory=list)
    offset: int = 0
    version: int = 0


class AnswerLog:
    """Answers by question message and by any of their own messages, bounded (oldest dropped)."""

    def __init__(self, capacity: int = 2048) -> None:
        self._capacity = capacity
        self._by_question: OrderedDict[ChatMessage, SentAnswer] = OrderedDict()
        self._by_message: dict[ChatMessage, SentAnswer] = {}

    def record(self, answer: SentAnswer) -> None:
        """Remember a new answer (an earlier answer to the same question message is replaced)."""
        key = (answer.chat_id, answer.question_id)
        previous = self._by_question.pop(key, None)
        if previous is not None and previous is not answer:
            self._forget_messages(previous)
        self._by_question[key] = answer
        self._index_messages(answer)
        while len(self._by_question) > self._capacity:
            _, dropped = self._by_question.popitem(last=False)
            self._forget_messages(dropped)

    def move(self, answer: SentAnswer, message_ids: list[int]) -> None:
        """The answer now lives in ``message_ids`` (a page or an edit used more or fewer messages)."""
        self._forget_messages(answer)
        answer.message_ids = list(message_ids)
        self._index_messages(answer)

    def for_question(self, chat_id: int, question_id: int) -> SentAnswer | None:
        return self._by_question.get((chat_id, question_id))

    def for_message(self, chat_id: int, message_id: int) -> SentAnswer | None:
        """The answer that ``message_id`` (one of the bot's messages) belongs to."""
        return self._by_message.get((chat_id, message_id))

    def _index_messages(self, answer: SentAnswer) -> None:
        for message_id in answer.message_ids:
            self._by_message[(answer.chat_id, message_id)] = answer

    def _forget_messages(self, answer: SentAnswer) -> None:
        for message_id in answer.message_ids:
            if self._by_message.get((answer.chat_id, message_id)) is answer:
                del self._by_message[(answer.chat_id, message_id)]
