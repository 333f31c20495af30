"""End to end: the real python-telegram-bot Application polls the Bot API stand-in over HTTP."""

from __future__ import annotations

import asyncio
import contextlib
import html
import re
import time
from collections.abc import AsyncIterator, Callable

import pytest

from bot import texts
from bot.app import build_application
from bot.layout import RLM
from retrieval import AnswerEngine
from tests.bot import fakes
from tests.e2e.conftest import ALICE, ALICE_CHAT, BOB, BOB_CHAT, GROUP, TOKEN, bot_settings, polling
from tests.e2e.fake_bot_api import BotMessage, FakeBotApi, FakeChat

QUESTION = "متى وصل بوتين إلى كازاخستان؟"
OTHER_QUESTION = "لماذا طردت موسكو الصحافيين الألمان؟"
# More quotes about it than one page holds on the seeds: for the paging buttons.
PAGED_QUESTION = "ماذا حدث في زيارة بوتين إلى كازاخستان؟"
OFF_TOPIC = "كيف أطبخ الأرز بالحليب؟"
# The seeds never mention Brazil: the reply says so by name.
UNKNOWN_PLACE = "ما هي عاصمة البرازيل؟"


def quotes_of(message_html: str) -> list[str]:
    """The plain text of every blockquote in a message, as a reader would copy it."""
    quotes = []
    for body in re.findall(r"<blockquote>(.*?)</blockquote>", message_html, flags=re.DOTALL):
        quotes.append(html.unescape(re.sub(r"<[^>]+>", "", body)).replace(RLM, ""))
    return quotes


def bold_words(message_html: str) -> list[str]:
    return [html.unescape(word) for word in re.findall(r"<b>(.*?)</b>", message_html)]


async def reply_to(api: FakeBotApi, chat: FakeChat, message_id: int, count: int = 1) -> list[BotMessage]:
    await api.wait_until(lambda: len(api.replies_to(chat.id, message_id)) >= count)
    return api.replies_to(chat.id, message_id)


async def settle(api: FakeBotApi, seconds: float = 0.3) -> None:
    """Give the bot time to (wrongly) react, for tests that assert nothing happens."""
    await asyncio.sleep(seconds)


def no_rejections(api: FakeBotApi) -> list[tuple[str, int]]:
    """Bot API calls the stand-in refused as invalid (bad HTML, too long, unknown message…)."""
    return [(r.method, r.status) for r in api.requests if r.status == 400]


@contextlib.asynccontextmanager
async def bot_on(api: FakeBotApi, engine: AnswerEngine) -> AsyncIterator[FakeBotApi]:
    settings = bot_settings(api)
    async with polling(build_application(settings, engine), settings):
        yield api


# ----------------------------------------------------------------------- conversation


async def test_start_welcomes_and_registers_the_arabic_command_menu(running_bot: FakeBotApi) -> None:
    api = running_bot
    start = api.send_text(ALICE_CHAT, ALICE, "/start")
    await api.wait_until(lambda: len(api.sent(ALICE_CHAT.id)) == 1)
    welcome = api.sent(ALICE_CHAT.id)[0].text
    assert "أهلًا" in welcome and texts.EXAMPLE_QUESTION in welcome
    assert start["message_id"] > 0
    assert [command["command"] for command in api.commands] == [
        "start",
        "ask",
        "latest",
        "follow",
        "following",
        "sources",
        "help",
    ]
    assert all(re.search("[\u0600-\u06ff]", command["description"]) for command in api.commands)


async def test_question_gets_a_reply_with_verbatim_quotes_bold_matches_and_sources(
    running_bot: FakeBotApi, seeds_engine: AnswerEngine
) -> None:
    api = running_bot
    question = api.send_text(ALICE_CHAT, ALICE, QUESTION)
    [answer] = await reply_to(api, ALICE_CHAT, question["message_id"])
    article_texts = [article.text for article in seeds_engine.articles]
    quotes = quotes_of(answer.html)
    assert quotes, answer.html
    assert all(any(quote in text for text in article_texts) for quote in quotes)
    assert {"بوتين", "كازاخستان"} <= set(bold_words(answer.html))
    assert "الأربعاء ٢٧ نوفمبر ٢٠٢٤" in answer.text and "📰" in answer.text
    # Two outlets report the arrival: the answer says so and cites both articles.
    assert texts.ALSO_REPORTED_ONE in answer.text
    titles = [article.title for article in seeds_engine.articles]
    assert all(title in answer.text for title in titles)
    assert ("sendChatAction", 200) in [(r.method, r.status) for r in api.requests]
    action_at = api.calls("sendChatAction")[0].at
    assert action_at <= answer.sent_at
    assert no_rejections(api) == []


async def test_off_topic_question_gets_the_no_answer_text(running_bot: FakeBotApi) -> None:
    api = running_bot
    question = api.send_text(ALICE_CHAT, ALICE, OFF_TOPIC)
    [answer] = await reply_to(api, ALICE_CHAT, question["message_id"])
    assert "لم أجد" in answer.text and "/sources" in answer.text
    # Nothing to quote, so no context or paging buttons: only «تابِع», for the news that may answer it later.
    assert answer.reply_markup is not None
    [[follow]] = answer.reply_markup["inline_keyboard"]
    assert follow["text"] == "تابِع" and follow["callback_data"].startswith("follow:")


async def test_a_question_about_a_place_the_news_never_mention_is_told_so(running_bot: FakeBotApi) -> None:
    api = running_bot
    question = api.send_text(ALICE_CHAT, ALICE, UNKNOWN_PLACE)
    [answer] = await reply_to(api, ALICE_CHAT, question["message_id"])
    assert "لا تذكر الأخبار التي لديّ «البرازيل»" in answer.text and "/sources" in answer.text


@pytest.mark.parametrize(
    ("question", "quoted"),
    [
        # A Latin name in an Arabic question: searched in the spelling the outlets use.
        ("ما هو دور Rosatom في كازاخستان؟", "روساتوم"),
        # Markup-like characters are just text, not a reason to refuse the question.
        ("<b>x</b> متى وصل بوتين إلى كازاخستان؟", "كازاخستان"),
    ],
    ids=["latin-name", "markup-like"],
)
async def test_mixed_script_questions_are_arabic_questions_and_answered(
    running_bot: FakeBotApi, seeds_engine: AnswerEngine, question: str, quoted: str
) -> None:
    api = running_bot
    sent = api.send_text(ALICE_CHAT, ALICE, question)
    [answer] = await reply_to(api, ALICE_CHAT, sent["message_id"])
    quotes = quotes_of(answer.html)
    assert texts.NOT_ARABIC not in answer.text
    assert quotes and quoted in quotes[0], answer.text
    assert all(any(quote in article.text for article in seeds_engine.articles) for quote in quotes)


async def test_sources_lists_every_article_with_its_date(
    running_bot: FakeBotApi, seeds_engine: AnswerEngine
) -> None:
    api = running_bot
    command = api.send_text(ALICE_CHAT, ALICE, "/sources")
    [listing] = await reply_to(api, ALICE_CHAT, command["message_id"])
    assert all(article.title in listing.text for article in seeds_engine.articles)
    assert "الأربعاء ٢٧ نوفمبر ٢٠٢٤" in listing.text


@pytest.mark.parametrize(
    ("send", "expected"),
    [
        (lambda api: api.send_sticker(ALICE_CHAT, ALICE), texts.NOT_TEXT),
        (lambda api: api.send_photo(ALICE_CHAT, ALICE), texts.NOT_TEXT),
        (lambda api: api.send_voice(ALICE_CHAT, ALICE), texts.NOT_TEXT),
        (
            lambda api: api.send_text(ALICE_CHAT, ALICE, "When did Putin arrive in Kazakhstan?"),
            texts.NOT_ARABIC,
        ),
        (lambda api: api.send_text(ALICE_CHAT, ALICE, "/weather"), texts.UNKNOWN_COMMAND),
    ],
    ids=["sticker", "photo", "voice", "english", "unknown-command"],
)
async def test_what_is_not_an_arabic_question_gets_a_short_arabic_hint(
    running_bot: FakeBotApi, send: Callable[[FakeBotApi], object], expected: str
) -> None:
    api = running_bot
    send(api)
    await api.wait_until(lambda: len(api.sent(ALICE_CHAT.id)) == 1)
    assert api.sent(ALICE_CHAT.id)[0].text == RLM + expected.replace("\n", "\n" + RLM)


async def test_very_long_input_is_cut_and_still_answered(running_bot: FakeBotApi) -> None:
    api = running_bot
    question = api.send_text(ALICE_CHAT, ALICE, QUESTION + " " + "كلمة " * 3000)
    [answer] = await reply_to(api, ALICE_CHAT, question["message_id"])
    assert texts.ERROR not in answer.text
    assert no_rejections(api) == []


# ----------------------------------------------------------------------- groups


async def test_group_answers_ask_and_replies_to_the_bot_but_never_chatter(seeds_engine: AnswerEngine) -> None:
    # Privacy mode off, so the stand-in delivers all chatter: the bot itself must ignore it.
    with FakeBotApi(TOKEN, privacy_mode=False) as api:
        async with bot_on(api, seeds_engine):
            api.send_text(GROUP, ALICE, "صباح الخير يا جماعة، هل قرأتم عن زيارة بوتين؟")
            api.send_text(GROUP, BOB, f"@{api.username} {QUESTION}")
            api.send_text(GROUP, BOB, f"/ask@other_bot {QUESTION}")
            await settle(api)
            assert api.sent(GROUP.id) == []

            ask = api.send_text(GROUP, ALICE, f"/ask@{api.username} {QUESTION}")
            [answer] = await reply_to(api, GROUP, ask["message_id"])
            assert quotes_of(answer.html)

            follow_up = api.send_text(GROUP, BOB, OTHER_QUESTION, reply_to=answer.message_id)
            [second] = await reply_to(api, GROUP, follow_up["message_id"])
            assert quotes_of(second.html)

            plain_ask = api.send_text(GROUP, BOB, "/ask")
            [usage] = await reply_to(api, GROUP, plain_ask["message_id"])
            assert "/ask" in usage.text
            await settle(api)
            assert len(api.sent(GROUP.id)) == 3


async def test_group_with_privacy_mode_on_answers_addressed_questions(running_bot: FakeBotApi) -> None:
    api = running_bot
    api.send_text(GROUP, ALICE, "كلام عادي بين الأعضاء")  # not delivered by Telegram at all
    ask = api.send_text(GROUP, ALICE, f"/ask {QUESTION}")
    [answer] = await reply_to(api, GROUP, ask["message_id"])
    assert quotes_of(answer.html)


# ----------------------------------------------------------------------- buttons


async def test_more_button_edits_the_answer_to_show_the_next_quotes(running_bot: FakeBotApi) -> None:
    api = running_bot
    question = api.send_text(ALICE_CHAT, ALICE, PAGED_QUESTION)
    [answer] = await reply_to(api, ALICE_CHAT, question["message_id"])
    first_quotes = quotes_of(answer.html)
    more = _button(answer, "more:")
    api.press_button(answer, more, ALICE)
    await api.wait_until(lambda: bool(api.sent(ALICE_CHAT.id)[0].edits))
    edited = api.sent(ALICE_CHAT.id)[0]
    assert "نتائج إضافية" in edited.text
    assert quotes_of(edited.html) and not set(quotes_of(edited.html)) & set(first_quotes)
    assert "٤." in edited.text  # numbering continues after the first page
    await api.wait_until(lambda: len(api.callback_answers) == 1)
    assert no_rejections(api) == []


async def test_context_button_replies_with_the_surrounding_sentences(
    running_bot: FakeBotApi, seeds_engine: AnswerEngine
) -> None:
    api = running_bot
    question = api.send_text(ALICE_CHAT, ALICE, QUESTION)
    [answer] = await reply_to(api, ALICE_CHAT, question["message_id"])
    quoted = quotes_of(answer.html)[0]
    api.press_button(answer, _button(answer, "ctx:"), ALICE)
    [context] = await reply_to(api, ALICE_CHAT, answer.message_id)
    [passage] = quotes_of(context.html)
    assert quoted in passage and len(passage) > len(quoted)
    assert any(passage in article.text for article in seeds_engine.articles)
    assert quoted in "".join(bold_words(context.html)) or quoted.split()[0] in bold_words(context.html)[0]


async def test_stale_or_foreign_button_data_is_answered_not_crashed(running_bot: FakeBotApi) -> None:
    api = running_bot
    question = api.send_text(ALICE_CHAT, ALICE, QUESTION)
    [answer] = await reply_to(api, ALICE_CHAT, question["message_id"])
    api.press_button(answer, "ctx:99:0:0:ffff", ALICE)
    api.press_button(answer, "something-else", ALICE)
    await api.wait_until(lambda: len(api.callback_answers) == 2)
    assert texts.ERROR not in " ".join(message.text for message in api.sent())


def _button(message: BotMessage, prefix: str) -> str:
    assert message.reply_markup is not None
    for row in message.reply_markup["inline_keyboard"]:
        for button in row:
            if button["callback_data"].startswith(prefix):
                return str(button["callback_data"])
    raise AssertionError(f"no {prefix} button")


# ----------------------------------------------------------------------- inline mode


async def test_inline_mode_offers_quotes_as_articles(
    running_bot: FakeBotApi, seeds_engine: AnswerEngine
) -> None:
    api = running_bot
    api.inline_query(BOB, QUESTION, chat_type="group")
    api.inline_query(BOB, "hello there")
    await api.wait_until(lambda: len(api.inline_answers) == 2)
    offered, empty = api.inline_answers
    assert offered["results"] and empty["results"] == []
    for result in offered["results"]:
        assert result["type"] == "article" and result["title"]
        content = result["input_message_content"]
        assert content["parse_mode"] == "HTML"
        assert all(
            any(quote in article.text for article in seeds_engine.articles)
            for quote in quotes_of(content["message_text"])
        )
    assert no_rejections(api) == []


# ----------------------------------------------------------------------- faults


async def test_flood_control_429_is_waited_out_and_the_answer_delivered_once(running_bot: FakeBotApi) -> None:
    api = running_bot
    api.fail_next("sendMessage", 429, retry_after=1)
    started = time.monotonic()
    question = api.send_text(ALICE_CHAT, ALICE, QUESTION)
    await reply_to(api, ALICE_CHAT, question["message_id"])
    assert time.monotonic() - started >= 1.0
    await settle(api)
    assert len(api.replies_to(ALICE_CHAT.id, question["message_id"])) == 1
    assert [r.status for r in api.calls("sendMessage")] == [429, 200]


async def test_flood_control_on_polling_delays_but_loses_nothing(running_bot: FakeBotApi) -> None:
    api = running_bot
    await api.wait_until(api.is_polling)
    api.fail_next("getUpdates", 429, retry_after=1)  # hits the poll after the current one
    first = api.send_text(ALICE_CHAT, ALICE, QUESTION)
    await reply_to(api, ALICE_CHAT, first["message_id"])
    second = api.send_text(ALICE_CHAT, ALICE, OTHER_QUESTION)
    await reply_to(api, ALICE_CHAT, second["message_id"])
    await settle(api)
    assert 429 in [r.status for r in api.calls("getUpdates")]
    assert [len(api.replies_to(ALICE_CHAT.id, q["message_id"])) for q in (first, second)] == [1, 1]


async def test_flood_control_on_the_typing_action_does_not_hold_up_the_answer(
    running_bot: FakeBotApi,
) -> None:
    api = running_bot
    api.fail_next("sendChatAction", 429, retry_after=5)
    started = time.monotonic()
    question = api.send_text(ALICE_CHAT, ALICE, QUESTION)
    await reply_to(api, ALICE_CHAT, question["message_id"])
    assert time.monotonic() - started < 2


@pytest.mark.parametrize("method", ["sendMessage", "getUpdates", "sendChatAction"])
async def test_bad_gateway_is_retried_without_losing_or_doubling(
    running_bot: FakeBotApi, method: str
) -> None:
    api = running_bot
    api.fail_next(method, 502, count=2)
    question = api.send_text(ALICE_CHAT, ALICE, QUESTION)
    await reply_to(api, ALICE_CHAT, question["message_id"])
    await settle(api)
    assert len(api.replies_to(ALICE_CHAT.id, question["message_id"])) == 1
    assert [r.status for r in api.calls(method)][:2] == [502, 502]
    assert texts.ERROR not in " ".join(message.text for message in api.sent())


async def test_dropped_long_poll_loses_no_update(running_bot: FakeBotApi) -> None:
    api = running_bot
    await api.wait_until(api.is_polling)
    api.drop_next_poll()
    # Wait until the poll that will be dropped is the one waiting, so it is the one the updates
    # arrive on (the poll in flight when the fault was injected would otherwise carry them).
    await api.wait_until(lambda: api.pending_faults() == 0)
    questions = [api.send_text(ALICE_CHAT, ALICE, text) for text in (QUESTION, OTHER_QUESTION, OFF_TOPIC)]
    await api.wait_until(lambda: 0 in [r.status for r in api.calls("getUpdates")])  # the dropped one
    for question in questions:
        await reply_to(api, ALICE_CHAT, question["message_id"])
    await settle(api)
    assert [len(api.replies_to(ALICE_CHAT.id, q["message_id"])) for q in questions] == [1, 1, 1]


def conflicts_reach(api: FakeBotApi, count: int) -> Callable[[], bool]:
    """A predicate: getUpdates has answered 409 (a competing poller) ``count`` times."""
    return lambda: [r.status for r in api.calls("getUpdates")].count(409) == count


async def test_second_poller_409_is_one_clear_log_line_and_polling_recovers(
    running_bot: FakeBotApi, caplog: pytest.LogCaptureFixture
) -> None:
    api = running_bot
    for attempt in range(1, 3):
        await api.wait_until(api.is_polling)
        api.competing_poll()
        await api.wait_until(conflicts_reach(api, attempt))
    conflict_lines = [r for r in caplog.records if r.name.startswith("bot") and "409" in r.getMessage()]
    assert len(conflict_lines) == 1
    assert conflict_lines[0].exc_info is None and "\n" not in conflict_lines[0].getMessage()
    question = api.send_text(ALICE_CHAT, ALICE, QUESTION)
    await reply_to(api, ALICE_CHAT, question["message_id"])


async def test_burst_with_faults_answers_every_question_exactly_once(running_bot: FakeBotApi) -> None:
    api = running_bot
    api.fail_next("sendMessage", 429, retry_after=1)
    api.fail_next("getUpdates", 502)
    api.drop_next_poll()
    questions = []
    for round_number in range(4):
        for chat, user in ((ALICE_CHAT, ALICE), (BOB_CHAT, BOB)):
            text = (QUESTION, OTHER_QUESTION, OFF_TOPIC)[round_number % 3]
            questions.append((chat, api.send_text(chat, user, text)["message_id"]))
        await asyncio.sleep(0.02)
    await api.wait_until(
        lambda: all(api.replies_to(chat.id, message_id) for chat, message_id in questions), timeout=20
    )
    await settle(api)
    assert [len(api.replies_to(chat.id, message_id)) for chat, message_id in questions] == [1] * len(
        questions
    )
    assert api.pending_faults() == 0
    assert no_rejections(api) == []


# ----------------------------------------------------------------------- shutdown


async def test_shutdown_confirms_handled_updates_so_a_restart_answers_nothing_twice(
    api: FakeBotApi, seeds_engine: AnswerEngine
) -> None:
    async with bot_on(api, seeds_engine):
        question = api.send_text(ALICE_CHAT, ALICE, QUESTION)
        await reply_to(api, ALICE_CHAT, question["message_id"])
    assert api.pending_updates() == 0
    async with bot_on(api, seeds_engine):
        second = api.send_text(ALICE_CHAT, ALICE, OTHER_QUESTION)
        await reply_to(api, ALICE_CHAT, second["message_id"])
        await settle(api)
    assert len(api.replies_to(ALICE_CHAT.id, question["message_id"])) == 1


async def test_questions_sent_while_the_bot_was_down_are_answered_on_start(
    api: FakeBotApi, seeds_engine: AnswerEngine
) -> None:
    waiting = api.send_text(ALICE_CHAT, ALICE, QUESTION)
    async with bot_on(api, seeds_engine):
        [answer] = await reply_to(api, ALICE_CHAT, waiting["message_id"])
    assert quotes_of(answer.html)


# ----------------------------------------------------------------------- limits


async def test_long_answers_are_split_into_messages_telegram_accepts(api: FakeBotApi) -> None:
    # The real engine keeps quotes short; a stub with 1,500-character quotes forces the split.
    long_articles = [
        fakes.article(
            f"long{n}", f"بدأت الحكومة خطة الطاقة رقم {n} " * 60 + ".", url=f"https://news.test/{n}?a=1&b=2"
        )
        for n in range(4)
    ]
    quotes = tuple(fakes.quote(a, a.text[:1500], bold=("الطاقة",)) for a in long_articles)
    engine = fakes.StubEngine(articles=tuple(long_articles), quotes=quotes)
    settings = bot_settings(api, top_k=4)
    async with polling(build_application(settings, engine), settings):
        question = api.send_text(ALICE_CHAT, ALICE, "ما هي خطة الحكومة للطاقة؟")
        await api.wait_until(lambda: len(api.sent(ALICE_CHAT.id)) >= 2)
        await settle(api)
    messages = api.replies_to(ALICE_CHAT.id, question["message_id"])
    assert len(messages) >= 2
    assert no_rejections(api) == []
    assert [len(quotes_of(m.html)) for m in messages] and sum(len(quotes_of(m.html)) for m in messages) == 4
    assert messages[-1].reply_markup is not None and all(m.reply_markup is None for m in messages[:-1])
