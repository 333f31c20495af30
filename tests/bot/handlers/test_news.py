"""What's new: /latest and «آخر الأخبار» list the newest articles with their lead; «الأقدم» pages in place."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from bot import latest, texts
from bot.app import build_application
from config import Settings
from tests.bot import fakes
from tests.bot.handlers.harness import Harness, bot_message, callback_update, message_update
from tests.bot.offline import RecordingRequest

# Seven articles, one a day: the newest is the seventh; a page holds five.
ARTICLES = tuple(
    fakes.article(
        f"n{day}",
        f"افتتح الوزير المعرض رقم {day}. وحضر الافتتاح جمهور كبير.",
        title=f"خبر اليوم {day}",
        published=f"2024-11-0{day}",
    )
    for day in range(1, 8)
)


@pytest.fixture
async def news() -> AsyncIterator[Harness]:
    request = RecordingRequest()
    engine = fakes.StubEngine(articles=ARTICLES)
    app = build_application(Settings(telegram_token="1:offline"), engine, request=request)
    async with app:
        yield Harness(app, request, engine)


def titles(text: str) -> list[str]:
    return [article.title for article in ARTICLES if article.title in text]


def buttons(params: dict[str, Any]) -> dict[str, str]:
    markup = params.get("reply_markup") or {"inline_keyboard": []}
    return {b["text"]: b["callback_data"] for row in markup["inline_keyboard"] for b in row}


async def test_latest_lists_the_newest_page_with_leads_and_an_older_button(news: Harness) -> None:
    await news.feed(message_update("/latest"))
    [listing] = news.request.sent()
    text = str(listing["text"])
    assert set(titles(text)) == {f"خبر اليوم {day}" for day in range(3, 8)}
    assert text.index("خبر اليوم 7") < text.index("خبر اليوم 3")  # newest first
    assert "افتتح الوزير المعرض رقم 7" in text  # the lead sentence, verbatim
    assert buttons(listing) == {texts.BUTTON_OLDER: latest.page_data(latest.PAGE_SIZE, None)}
    assert news.engine.calls == []  # a listing asks the engine no question


async def test_asking_for_the_news_in_words_lists_them_too(news: Harness) -> None:
    await news.feed(message_update("آخر الأخبار من فضلك"))
    [listing] = await news.replies_after(1)
    assert "خبر اليوم 7" in listing and news.engine.calls == []


async def test_older_edits_the_listing_into_the_next_page(news: Harness) -> None:
    await news.feed(callback_update(latest.page_data(latest.PAGE_SIZE, None), bot_message(500)))
    [edit] = news.request.sent("editMessageText")
    assert edit["message_id"] == 500
    assert set(titles(str(edit["text"]))) == {"خبر اليوم 2", "خبر اليوم 1"}
    assert "٦" in str(edit["text"])  # numbered on from the first page
    assert buttons(edit) == {texts.BUTTON_NEWER: latest.page_data(0, None)}


async def test_a_page_button_this_module_did_not_make_is_acknowledged_and_ignored(news: Harness) -> None:
    await news.feed(callback_update(f"{latest.CALLBACK_PREFIX}:-5", bot_message(501)))
    assert news.request.sent("answerCallbackQuery")
    assert news.request.sent("editMessageText") == []
