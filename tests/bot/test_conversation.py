"""Conversation memory: the last question per chat expires; answers are found by question and by message."""

from __future__ import annotations

from bot.conversation import AnswerLog, LastQuestions, SentAnswer


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_the_last_question_is_recalled_until_it_expires() -> None:
    clock = Clock()
    memory = LastQuestions(600, clock=clock)
    memory.remember(1, 10, "متى وصل بوتين؟")
    clock.now += 599
    assert memory.recall(1) == "متى وصل بوتين؟"
    assert memory.recall(2) is None
    clock.now += 2
    assert memory.recall(1) is None


def test_an_edited_question_is_not_its_own_previous_question() -> None:
    memory = LastQuestions(600)
    memory.remember(1, 10, "متى وصل بوتين؟")
    assert memory.recall(1, before=10) is None
    assert memory.recall(1, before=11) == "متى وصل بوتين؟"


def test_memory_is_bounded_oldest_chat_first() -> None:
    memory = LastQuestions(600, capacity=2)
    for chat in (1, 2, 3):
        memory.remember(chat, 10, f"سؤال {chat}")
    assert [memory.recall(chat) for chat in (1, 2, 3)] == [None, "سؤال 2", "سؤال 3"]


def test_answers_are_found_by_question_and_by_each_of_their_messages() -> None:
    log = AnswerLog()
    answer = SentAnswer(1, 10, "سؤال", message_ids=[11, 12])
    log.record(answer)
    assert log.for_question(1, 10) is answer
    assert log.for_message(1, 11) is answer and log.for_message(1, 12) is answer
    assert log.for_message(2, 11) is None


def test_a_moved_answer_forgets_the_messages_it_left() -> None:
    log = AnswerLog()
    answer = SentAnswer(1, 10, "سؤال", message_ids=[11, 12])
    log.record(answer)
    log.move(answer, [11, 13])
    assert log.for_message(1, 12) is None and log.for_message(1, 13) is answer
    assert answer.message_ids == [11, 13]


def test_the_log_is_bounded_and_forgets_the_oldest_answers_messages() -> None:
    log = AnswerLog(capacity=1)
    log.record(SentAnswer(1, 10, "أول", message_ids=[11]))
    log.record(SentAnswer(1, 20, "ثان", message_ids=[21]))
    assert log.for_question(1, 10) is None and log.for_message(1, 11) is None
    assert log.for_message(1, 21) is not None
