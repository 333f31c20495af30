"""End to end: /follow, then alerts after /add (the same path as a feed refresh), /unfollow, blocking."""

from __future__ import annotations

from pathlib import Path

from bot import texts
from bot.app import build_application
from bot.follows import FollowStore
from bot.library import NewsLibrary, default_corpus_path
from config.storage import StorageSettings
from retrieval import AnswerEngine
from retrieval.ingest import ArticleStore
from tests.e2e import test_live_news
from tests.e2e.conftest import ALICE, ALICE_CHAT, BOB, BOB_CHAT, bot_settings, polling
from tests.e2e.fake_bot_api import BotMessage, FakeBotApi
from tests.e2e.test_live_news import plain, say
from tests.e2e.test_polling_bot import PAGED_QUESTION, quotes_of, settle
from tests.ingest_server import RSS, NewsServer, Route, rss_feed, standard_routes

# The running bot over the seeds plus a store, the local news site, the storage settings.
live_bot = test_live_news.live_bot
news = test_live_news.news
storage = test_live_news.storage

BOOK_FAIR = "كم زائرا استقبل معرض الكتاب في الرباط؟"
TRAIN = "ما زمن رحلة القطار السريع بين تونس وسوسة؟"
ALERT_MARK = "🔔"


def alerts_in(api: FakeBotApi, chat_id: int) -> list[BotMessage]:
    return [message for message in api.sent(chat_id) if message.text.lstrip("\u200f").startswith(ALERT_MARK)]


async def test_a_follow_is_alerted_once_for_a_matching_article_never_for_others_nor_after_unfollow(
    live_bot: FakeBotApi, news: NewsServer
) -> None:
    api = live_bot
    assert "سأرسل إليك" in plain(await say(api, BOB_CHAT, BOB, f"/follow {BOOK_FAIR}"))
    assert "سأرسل إليك" in plain(await say(api, BOB_CHAT, BOB, f"/follow {TRAIN}"))
    assert plain(await say(api, BOB_CHAT, BOB, f"/follow {TRAIN}")) == texts.FOLLOW_ALREADY
    listing = await say(api, BOB_CHAT, BOB, "/following")
    assert plain(listing).index("معرض الكتاب") < plain(listing).index("القطار السريع")
    assert [label for label, _ in listing.buttons] == ["إيقاف ١", "إيقاف ٢"]

    # Olives in Nablus answer neither question: no alert.
    assert "أُضيف: ١" in plain(await say(api, ALICE_CHAT, ALICE, f"/add {news.url('/olives')}"))
    # The book fair answers the first one: one alert, with the quote and its source.
    assert "أُضيف: ١" in plain(await say(api, ALICE_CHAT, ALICE, f"/add {news.url('/article')}"))
    await api.wait_until(lambda: len(alerts_in(api, BOB_CHAT.id)) == 1)
    [alert] = alerts_in(api, BOB_CHAT.id)
    assert "معرض الكتاب في الرباط" in plain(alert).split("\n")[0]
    assert any("أكثر من مئة ألف زائر" in quote for quote in quotes_of(alert.html))
    assert "مهرجان الكتاب في الرباط يستقبل مئة ألف زائر" in plain(alert)

    # Bob stops following the train (number 2); Alice follows it, so her alert marks the delivery done.
    assert "أوقفت متابعة" in plain(await say(api, BOB_CHAT, BOB, "/unfollow ٢"))
    await say(api, ALICE_CHAT, ALICE, f"/follow {TRAIN}")
    api.send_text(ALICE_CHAT, ALICE, f"/add {news.url('/train')}")
    await api.wait_until(lambda: len(alerts_in(api, ALICE_CHAT.id)) == 1)
    assert "ساعة وعشر دقائق" in "".join(quotes_of(alerts_in(api, ALICE_CHAT.id)[0].html))
    # Bob's book-fair alert came once, and nothing for the train he no longer follows.
    assert len(alerts_in(api, BOB_CHAT.id)) == 1


async def test_the_unfollow_button_stops_a_follow(live_bot: FakeBotApi) -> None:
    api = live_bot
    await say(api, BOB_CHAT, BOB, f"/follow {BOOK_FAIR}")
    listing = await say(api, BOB_CHAT, BOB, "/following")
    seen = len(api.sent(BOB_CHAT.id))
    api.press_button(listing, listing.button("إيقاف ١"), BOB)
    await api.wait_until(lambda: len(api.sent(BOB_CHAT.id)) > seen)
    assert "أوقفت متابعة" in plain(api.sent(BOB_CHAT.id)[seen])
    assert plain(await say(api, BOB_CHAT, BOB, "/following")) == texts.FOLLOWING_NONE


async def test_a_chat_that_blocked_the_bot_loses_its_follows(
    live_bot: FakeBotApi, news: NewsServer, storage: StorageSettings
) -> None:
    api = live_bot
    await say(api, BOB_CHAT, BOB, f"/follow {BOOK_FAIR}")
    await say(api, ALICE_CHAT, ALICE, f"/follow {BOOK_FAIR}")
    api.block_bot(BOB_CHAT, BOB)
    await say(api, ALICE_CHAT, ALICE, f"/add {news.url('/article')}")
    await api.wait_until(lambda: len(alerts_in(api, ALICE_CHAT.id)) == 1)
    assert follows_of(storage.db, BOB_CHAT.id) == [] and len(follows_of(storage.db, ALICE_CHAT.id)) == 1


async def test_follow_needs_a_question(live_bot: FakeBotApi) -> None:
    assert "/follow" in plain(await say(live_bot, BOB_CHAT, BOB, "/follow"))


def follows_of(db: Path, chat_id: int) -> list[str]:
    with FollowStore.open(db) as store:
        return [follow.question for follow in store.of_chat(chat_id)]


async def test_with_a_fixed_corpus_nothing_new_arrives_so_nothing_can_be_followed(
    api: FakeBotApi, seeds_engine: AnswerEngine
) -> None:
    settings = bot_settings(api, corpus=default_corpus_path())
    async with polling(build_application(settings, seeds_engine), settings):
        for command in (f"/follow {BOOK_FAIR}", "/following", "/unfollow 1"):
            assert plain(await say(api, BOB_CHAT, BOB, command)) == texts.FOLLOW_FIXED
        answer = await say(api, BOB_CHAT, BOB, PAGED_QUESTION)
        assert quotes_of(answer.html) and texts.BUTTON_MORE in [label for label, _ in answer.buttons]
        assert texts.BUTTON_FOLLOW not in [label for label, _ in answer.buttons]


async def test_the_follow_button_under_an_answer_follows_its_question_in_that_chat(
    live_bot: FakeBotApi, news: NewsServer, storage: StorageSettings
) -> None:
    api = live_bot
    await say(api, ALICE_CHAT, ALICE, f"/add {news.url('/train')}")
    answer = await say(api, BOB_CHAT, BOB, TRAIN)
    assert any("ساعة وعشر دقائق" in quote for quote in quotes_of(answer.html))
    query_id = api.press_button(answer, answer.button(texts.BUTTON_FOLLOW), BOB)
    await api.wait_until(lambda: api.callback_answer(query_id) is not None)
    added = api.callback_answer(query_id)
    assert added is not None and added["text"] == texts.FOLLOW_BUTTON_ADDED
    listing = await say(api, BOB_CHAT, BOB, "/following")
    assert TRAIN in plain(listing) and [label for label, _ in listing.buttons] == ["إيقاف ١"]
    # The same rules as /follow: a second press (after the double-press window) is "already".
    await say(api, BOB_CHAT, BOB, TRAIN)
    again = api.sent(BOB_CHAT.id)[-1]
    query_id = api.press_button(again, again.button(texts.BUTTON_FOLLOW), BOB)
    await api.wait_until(lambda: api.callback_answer(query_id) is not None)
    already = api.callback_answer(query_id)
    assert already is not None and already["text"] == texts.FOLLOW_ALREADY
    assert follows_of(storage.db, BOB_CHAT.id) == [TRAIN]


async def test_a_follower_no_longer_in_the_allow_list_gets_no_alert(
    api: FakeBotApi, news: NewsServer, storage: StorageSettings
) -> None:
    # Both followed while everyone was allowed; the bot now runs with Alice alone on the list.
    with FollowStore.open(storage.db) as store:
        store.add(BOB_CHAT.id, BOOK_FAIR, user_id=BOB.id)
        store.add(ALICE_CHAT.id, BOOK_FAIR, user_id=ALICE.id)
    settings = bot_settings(api, corpus=None, storage=storage, allowed_ids=frozenset({ALICE.id}))
    library = NewsLibrary.from_settings(settings)
    async with polling(build_application(settings, library.build_engine(), library=library), settings):
        await say(api, ALICE_CHAT, ALICE, f"/add {news.url('/article')}")
        await api.wait_until(lambda: len(alerts_in(api, ALICE_CHAT.id)) == 1)
        await settle(api)
    assert api.sent(BOB_CHAT.id) == []
    assert follows_of(storage.db, BOB_CHAT.id) == [BOOK_FAIR]  # kept, should Bob be allowed again


async def test_a_feed_refresh_alerts_for_the_new_item_that_answers_a_follow(
    live_bot: FakeBotApi, storage: StorageSettings
) -> None:
    api = live_bot
    with NewsServer(standard_routes()) as site:
        with ArticleStore.open(storage.db) as store:
            store.add_feed(site.url("/feed.rss"))
        await say(api, BOB_CHAT, BOB, f"/follow {TRAIN}")
        # The feed's two items (the book fair, a satellite) do not answer it.
        assert "أُضيف: ٢" in plain(await say(api, ALICE_CHAT, ALICE, "/refresh"))
        site.routes["/feed.rss"] = Route(rss_feed(extra=True), content_type=RSS)
        assert "أُضيف: ١" in plain(await say(api, ALICE_CHAT, ALICE, "/refresh"))
        await api.wait_until(lambda: len(alerts_in(api, BOB_CHAT.id)) == 1)
        assert "ساعة وعشر دقائق" in "".join(quotes_of(alerts_in(api, BOB_CHAT.id)[0].html))
