"""End to end: an admin adds news to the running bot, which answers from it without a restart."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from bot import texts
from bot.app import build_application
from bot.layout import RLM
from bot.library import NewsLibrary
from config.storage import StorageSettings
from retrieval.ingest import ArticleStore
from tests.e2e.conftest import ALICE, ALICE_CHAT, BOB, BOB_CHAT, bot_settings, polling
from tests.e2e.fake_bot_api import BotMessage, FakeBotApi, FakeChat, FakeUser
from tests.e2e.test_polling_bot import quotes_of
from tests.ingest_server import NewsServer, Route, fixture

BOOK_FAIR = "مهرجان الكتاب في الرباط يستقبل مئة ألف زائر"
TRAIN = "تونس تفتتح خطا جديدا للقطار السريع بين العاصمة وسوسة"
OLIVES = "بدء موسم قطف الزيتون في نابلس"


@pytest.fixture
def news() -> Iterator[NewsServer]:
    routes = {
        "/article": Route(fixture("news_1.html")),  # 2024-12-10
        "/train": Route(fixture("news_3.html")),  # 2024-12-12
        "/olives": Route(fixture("atom_1.html")),  # 2024-10-20
        "/slow": Route(fixture("news_1.html"), delay=1.0),
    }
    with NewsServer(routes) as server:
        yield server


@pytest.fixture
def storage(tmp_path: Path) -> StorageSettings:
    return StorageSettings(
        db=tmp_path / "articles.sqlite3",
        index_cache=tmp_path / "index",
        admin_ids=frozenset({ALICE.id}),
        fetch_allow_private=True,  # the news server is on 127.0.0.1
    )


@pytest.fixture
async def live_bot(api: FakeBotApi, storage: StorageSettings) -> AsyncIterator[FakeBotApi]:
    """The real Application serving the seeds plus an empty store, with ALICE as its only admin."""
    settings = bot_settings(api, corpus=None, storage=storage)
    library = NewsLibrary.from_settings(settings)
    application = build_application(settings, library.build_engine(), library=library)
    async with polling(application, settings):
        yield api


async def say(api: FakeBotApi, chat: FakeChat, user: FakeUser, text: str) -> BotMessage:
    """Send ``text`` and return the bot's first message after it (replies are not always quoted)."""
    seen = len(api.sent(chat.id))
    api.send_text(chat, user, text)
    await api.wait_until(lambda: len(api.sent(chat.id)) > seen)
    return api.sent(chat.id)[seen]


def plain(message: BotMessage) -> str:
    """What the reader sees (the stand-in has already parsed the HTML)."""
    return message.text.replace(RLM, "")


async def test_an_admins_add_is_answered_from_at_once_without_restart(
    live_bot: FakeBotApi, news: NewsServer
) -> None:
    api = live_bot
    question = "كم زائرا استقبل معرض الكتاب في الرباط؟"
    before = await say(api, ALICE_CHAT, ALICE, question)
    assert not any("مئة ألف زائر" in quote for quote in quotes_of(before.html))

    summary = await say(api, ALICE_CHAT, ALICE, f"/add {news.url('/article')} {news.url('/missing')}")
    text = plain(summary)
    assert "أُضيف: ١" in text and "فشل: ١" in text and BOOK_FAIR in text and "/missing" in text

    answer = await say(api, ALICE_CHAT, ALICE, question)
    assert any("أكثر من مئة ألف زائر" in quote for quote in quotes_of(answer.html))
    assert BOOK_FAIR in plain(answer)

    again = await say(api, ALICE_CHAT, ALICE, f"/add {news.url('/article')}")
    assert "أُضيف: ٠" in plain(again) and "موجود من قبل: ١" in plain(again)


async def test_a_non_admins_add_is_refused_and_stores_nothing(
    live_bot: FakeBotApi, news: NewsServer, storage: StorageSettings
) -> None:
    api = live_bot
    for command in (f"/add {news.url('/article')}", "/refresh", f"/remove {news.url('/article')}"):
        reply = await say(api, BOB_CHAT, BOB, command)
        assert plain(reply) == texts.ADMIN_ONLY
    assert news.hits["/article"] == 0
    if storage.db.exists():
        with ArticleStore.open(storage.db) as store:
            assert store.count() == 0


async def test_help_lists_admin_commands_only_to_admins(live_bot: FakeBotApi) -> None:
    api = live_bot
    assert "/add" in plain(await say(api, ALICE_CHAT, ALICE, "/help"))
    assert "/add" not in plain(await say(api, BOB_CHAT, BOB, "/help"))
    # The public menu never offers them (test_polling_bot pins the menu itself).
    assert not {"add", "refresh"} & {command["command"] for command in api.commands}


async def test_sources_lists_the_newest_first_and_undated_last(
    live_bot: FakeBotApi, news: NewsServer
) -> None:
    api = live_bot
    urls = " ".join(news.url(path) for path in ("/article", "/olives", "/train"))
    assert "أُضيف: ٣" in plain(await say(api, ALICE_CHAT, ALICE, f"/add {urls}"))
    listing = plain(await say(api, BOB_CHAT, BOB, "/sources"))
    positions = [listing.index(title) for title in (TRAIN, BOOK_FAIR, OLIVES)]
    assert positions == sorted(positions)
    # The seeds (2024-11-27) sit between the December news and the October one.
    seed_date = listing.index("الأربعاء ٢٧ نوفمبر ٢٠٢٤")
    assert positions[1] < seed_date < positions[2]


async def test_refresh_without_feeds_says_how_to_follow_one(live_bot: FakeBotApi) -> None:
    reply = await say(live_bot, ALICE_CHAT, ALICE, "/refresh")
    assert "newsbot feeds add" in plain(reply)


async def test_questions_are_answered_while_an_add_is_still_downloading(
    live_bot: FakeBotApi, news: NewsServer
) -> None:
    api = live_bot
    seen = len(api.sent(ALICE_CHAT.id))
    api.send_text(ALICE_CHAT, ALICE, f"/add {news.url('/slow')}")
    api.send_text(BOB_CHAT, BOB, "متى وصل بوتين إلى كازاخستان؟")
    await api.wait_until(lambda: len(api.sent(BOB_CHAT.id)) == 1)
    assert len(api.sent(ALICE_CHAT.id)) == seen  # the answer did not wait for the download
    await api.wait_until(lambda: len(api.sent(ALICE_CHAT.id)) > seen)
    assert BOOK_FAIR in plain(api.sent(ALICE_CHAT.id)[seen])


async def test_an_admins_remove_takes_the_article_out_of_the_answers_and_keeps_it_out(
    live_bot: FakeBotApi, news: NewsServer
) -> None:
    api = live_bot
    question = "كم زائرا استقبل معرض الكتاب في الرباط؟"
    await say(api, ALICE_CHAT, ALICE, f"/add {news.url('/article')}")
    assert any("مئة ألف زائر" in quote for quote in quotes_of((await say(api, BOB_CHAT, BOB, question)).html))

    reply = plain(await say(api, ALICE_CHAT, ALICE, f"/remove {news.url('/article')} db_0000000000000000"))
    assert texts.REMOVED_HEADER.removeprefix("<b>").removesuffix("</b>") in reply and BOOK_FAIR in reply
    assert "db_0000000000000000" in reply

    answer = await say(api, BOB_CHAT, BOB, question)
    assert not any("مئة ألف زائر" in quote for quote in quotes_of(answer.html))
    again = plain(await say(api, ALICE_CHAT, ALICE, f"/add {news.url('/article')}"))
    assert "أُضيف: ٠" in again
    assert news.hits["/article"] == 1  # known as removed: not downloaded again
