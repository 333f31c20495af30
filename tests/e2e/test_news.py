"""End to end: what's new and when, on a hand-made dated corpus, with today fixed on a Thursday."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path

import pytest

from bot import texts
from bot.app import build_application
from bot.library import NewsLibrary
from tests.e2e.conftest import ALICE, ALICE_CHAT, bot_settings, polling
from tests.e2e.fake_bot_api import BotMessage, FakeBotApi
from tests.e2e.test_live_news import plain, say
from tests.e2e.test_polling_bot import quotes_of

TODAY = date(2024, 11, 28)  # a Thursday
# (id, published, title, text): seven articles, so /latest has two pages of five.
ARTICLES = [
    (
        "desal_old",
        "2024-11-20",
        "محطة تحلية في صور",
        "افتتح وزير الطاقة محطة تحلية المياه في مدينة صور الساحلية. وتنتج المحطة عشرة آلاف متر مكعب يوميا.",
    ),
    (
        "desal_new",
        "2024-11-27",
        "محطة تحلية في صيدا",
        "افتتح وزير الطاقة محطة تحلية المياه الثانية في مدينة صيدا. وقال الوزير إن المحطة تخدم مئتي ألف نسمة.",
    ),
    (
        "gold",
        "2024-11-28",
        "الذهب يرتفع",
        "ارتفعت أسعار الذهب في الأسواق المحلية صباح اليوم. وعزا التجار الارتفاع إلى الطلب على الحلي.",
    ),
    (
        "match",
        "2024-11-27",
        "الفريق يفوز بالكأس",
        "فاز الفريق الوطني بكأس البطولة بعد مباراة مثيرة. واحتفل المشجعون في الشوارع حتى الفجر.",
    ),
    (
        "rain",
        "2024-11-25",
        "أمطار غزيرة",
        "هطلت أمطار غزيرة على المناطق الشمالية. وأغلقت المدارس أبوابها يوما واحدا.",
    ),
    (
        "museum",
        "2024-11-10",
        "متحف جديد",
        "افتتحت البلدية متحفا جديدا للتراث الشعبي. ويضم المتحف ثلاثة آلاف قطعة أثرية.",
    ),
    (
        "undated",
        None,
        "مقال بلا تاريخ",
        "نشرت الجمعية تقريرا عن حماية الشواطئ. ودعا التقرير إلى الحد من البناء.",
    ),
]
NEWEST_FIRST = ["الذهب يرتفع", "الفريق يفوز بالكأس", "محطة تحلية في صيدا", "أمطار غزيرة", "محطة تحلية في صور"]


@pytest.fixture
async def dated_bot(api: FakeBotApi, tmp_path: Path) -> AsyncIterator[FakeBotApi]:
    corpus = tmp_path / "dated.jsonl"
    lines = [
        {"id": id_, "published": published, "title": title, "text": text, "source": "وكالة الأخبار"}
        for id_, published, title, text in ARTICLES
    ]
    corpus.write_text("\n".join(json.dumps(line, ensure_ascii=False) for line in lines), encoding="utf-8")
    settings = bot_settings(api, corpus=corpus)
    library = NewsLibrary.from_settings(settings)
    application = build_application(settings, library.build_engine(), library=library, today=lambda: TODAY)
    async with polling(application, settings):
        yield api


def titles_in_order(message: BotMessage) -> list[str]:
    text = plain(message)
    found = [(text.index(title), title) for _, _, title, _ in ARTICLES if title in text]
    return [title for _, title in sorted(found)]


async def test_latest_lists_the_newest_first_with_outlet_date_and_lead_and_pages_back_and_forth(
    dated_bot: FakeBotApi,
) -> None:
    api = dated_bot
    listing = await say(api, ALICE_CHAT, ALICE, "/latest")
    assert titles_in_order(listing) == NEWEST_FIRST
    text = plain(listing)
    assert "الخميس ٢٨ نوفمبر ٢٠٢٤" in text and "وكالة الأخبار" in text
    # The lead is the article's first sentence, verbatim.
    assert quotes_of(listing.html)[0] == "ارتفعت أسعار الذهب في الأسواق المحلية صباح اليوم."
    assert [label for label, _ in listing.buttons] == [texts.BUTTON_OLDER]

    api.press_button(listing, listing.button(texts.BUTTON_OLDER), ALICE)
    await api.wait_for_edit(listing)
    assert titles_in_order(listing) == ["متحف جديد", "مقال بلا تاريخ"]  # undated last
    assert [label for label, _ in listing.buttons] == [texts.BUTTON_NEWER]

    api.press_button(listing, listing.button(texts.BUTTON_NEWER), ALICE)
    await api.wait_for_edit(listing, edits=2)
    assert titles_in_order(listing) == NEWEST_FIRST


@pytest.mark.parametrize("request_text", ["آخر الأخبار", "ما هي آخر الأخبار؟", "ما الجديد؟"])
async def test_asking_for_the_news_in_words_lists_the_newest(
    dated_bot: FakeBotApi, request_text: str
) -> None:
    listing = await say(dated_bot, ALICE_CHAT, ALICE, request_text)
    assert titles_in_order(listing) == NEWEST_FIRST


async def test_news_of_yesterday_lists_only_yesterdays_articles(dated_bot: FakeBotApi) -> None:
    listing = await say(dated_bot, ALICE_CHAT, ALICE, "أخبار أمس")
    assert titles_in_order(listing) == ["الفريق يفوز بالكأس", "محطة تحلية في صيدا"]
    assert "يوم الأربعاء ٢٧ نوفمبر ٢٠٢٤" in plain(listing)
    today = await say(dated_bot, ALICE_CHAT, ALICE, "أخبار اليوم")
    assert titles_in_order(today) == ["الذهب يرتفع"]


def unisolated(message: BotMessage) -> str:
    """What the reader sees, without the direction isolates around dates and titles."""
    return plain(message).replace("\u2068", "").replace("\u2069", "")


async def test_yesterday_in_a_question_restricts_the_quotes_to_yesterdays_articles(
    dated_bot: FakeBotApi,
) -> None:
    api = dated_bot
    anytime = await say(api, ALICE_CHAT, ALICE, "من افتتح محطة تحلية المياه؟")
    assert "صور" in plain(anytime)  # quoted, or cited as reporting the same fact
    assert "من أخبار" not in plain(anytime)  # no period named, none claimed

    yesterday = await say(api, ALICE_CHAT, ALICE, "من افتتح محطة تحلية المياه أمس؟")
    quotes = quotes_of(yesterday.html)
    assert quotes and all("صيدا" in quote or "المحطة" in quote for quote in quotes)
    assert "صور" not in plain(yesterday)
    # One short line says which day the quotes are restricted to.
    assert "من أخبار يوم الأربعاء ٢٧ نوفمبر ٢٠٢٤" in unisolated(yesterday)

    last_month = await say(api, ALICE_CHAT, ALICE, "من افتتح محطة تحلية المياه في أكتوبر 2024؟")
    assert not quotes_of(last_month.html)
    # Nothing published about it *then*, not "nothing in the news at all".
    assert "لم يُنشر في الأخبار التي لديّ من ١ أكتوبر ٢٠٢٤ إلى ٣١ أكتوبر ٢٠٢٤" in unisolated(last_month)


async def test_a_news_request_that_names_a_topic_is_answered_as_a_question(dated_bot: FakeBotApi) -> None:
    answer = await say(dated_bot, ALICE_CHAT, ALICE, "آخر أخبار محطة تحلية المياه")
    assert any("افتتح وزير الطاقة محطة تحلية المياه" in quote for quote in quotes_of(answer.html))
