"""Callback data: compact, parseable, within Telegram's 64 bytes, and stale buttons detected."""

from __future__ import annotations

import pytest
from telegram.constants import InlineKeyboardButtonLimit

from bot import keyboards
from tests.bot import fakes

ARTICLE = fakes.article("000_284772c995d02f14" * 2, "جملة أولى. جملة ثانية.")
QUOTE = fakes.quote(ARTICLE, "جملة ثانية.", sentence=1)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("more:abcdef012345:3", keyboards.MoreRequest("abcdef012345", 3)),
        ("more:abcdef012345:3:7", keyboards.MoreRequest("abcdef012345", 3, 7)),
        ("ctx:12:4:6:beef", keyboards.ContextRequest(12, 4, 6, "beef")),
        ("follow:abcdef012345", keyboards.FollowRequest("abcdef012345")),
        ("follow:", None),
        ("follow:abc:1", None),
        ("more:abc", None),
        ("more:abc:x", None),
        ("ctx:1:2:3", None),
        ("other:1", None),
        ("", None),
    ],
)
def test_callback_data_parses_into_its_request_and_anything_else_is_none(data: str, expected: object) -> None:
    assert keyboards.parse(data) == expected


def test_every_button_data_round_trips_within_telegrams_size_limit() -> None:
    key = keyboards.question_key("سؤال طويل جدًا " * 50)
    more = keyboards.more_data(key, 9_999, version=12_345)
    context = keyboards.context_data(100_000, QUOTE)
    follow = keyboards.follow_data(key)
    assert keyboards.parse(follow) == keyboards.FollowRequest(key)
    for data in (more, context, follow):
        assert len(data.encode()) <= InlineKeyboardButtonLimit.MAX_CALLBACK_DATA
    assert keyboards.parse(more) == keyboards.MoreRequest(key, 9_999, 345)  # the version wraps at 1000
    assert keyboards.parse(context) == keyboards.ContextRequest(
        100_000, 1, 1, keyboards.article_check(ARTICLE.id)
    )


def test_keyboard_numbers_context_buttons_like_the_quotes_and_puts_more_last() -> None:
    markup = keyboards.answer_keyboard([(0, QUOTE)] * 4, first_number=4, more="more:k:7")
    assert markup is not None
    rows = markup.inline_keyboard
    assert [b.text for b in rows[0]] == ["السياق ٤", "السياق ٥", "السياق ٦"]
    assert [b.text for b in rows[1]] == ["السياق ٧"]
    assert rows[-1][0].callback_data == "more:k:7"


def test_question_store_is_bounded_and_keys_are_stable() -> None:
    store = keyboards.QuestionStore(capacity=2)
    first = store.remember("سؤال أول")
    store.remember("سؤال ثان")
    store.remember("سؤال ثالث")
    assert store.recall(first) is None
    assert store.recall(keyboards.question_key("سؤال ثالث")) == "سؤال ثالث"
    assert first == keyboards.question_key("سؤال أول")
