"""A conversation with the real Application over the Bot API stand-in, on a hand-made five-article corpus.

Follow-ups completed and shown, small talk, edited questions re-answered in place, captions
answered, paging back and forth, inline paging and the newest headlines.
"""

from __future__ import annotations

import contextlib
import html
import random
import re
from collections.abc import AsyncIterator
from typing import Any

import pytest

from bot import texts
from bot.app import build_application
from bot.layout import RLM
from retrieval import AnswerEngine, Article
from tests.e2e.conftest import ALICE, ALICE_CHAT, GROUP, bot_settings, polling
from tests.e2e.fake_bot_api import BotMessage, FakeBotApi

ARTICLES = (
    Article(
        id="visit-east",
        title="رئيس الوزراء الماليزي يصل إلى القاهرة",
        text=(
            "وصل رئيس الوزراء الماليزي إلى القاهرة صباح الأحد في زيارة رسمية تستمر يومين. "
            "وبحث رئيس الوزراء الماليزي مع الرئيس المصري توسيع التجارة بين البلدين. "
            "ووقّع رئيس الوزراء الماليزي في القاهرة اتفاقًا لتصدير زيت النخيل إلى مصر. "
            "وقال مسؤول مصري إن الاتفاق يشمل أيضًا التعاون في الطاقة الشمسية."
        ),
        source="وكالة الشرق",
        published="2024-12-01",
    ),
    Article(
        id="visit-nahar",
        title="زيارة ماليزية إلى مصر",
        text=(
            "استقبل الرئيس المصري رئيس الوزراء الماليزي في القاهرة يوم الأحد. "
            "وتناولت المحادثات الاستثمار الماليزي في قناة السويس. "
            "وأعلن الجانبان خطة لزيادة الرحلات الجوية بين كوالالمبور والقاهرة."
        ),
        source="صحيفة النهار",
        published="2024-12-02",
    ),
    # Palm oil in another story: without the previous topic, «وماذا عن زيت النخيل؟» lands here.
    Article(
        id="palm-prices",
        title="أسعار زيت النخيل ترتفع في إندونيسيا",
        text=(
            "ارتفعت أسعار زيت النخيل في إندونيسيا بنسبة عشرة في المئة هذا الشهر. "
            "وعزا التجار ارتفاع زيت النخيل إلى تراجع المحصول بسبب الأمطار. "
            "ويتوقع المحللون أن تستقر الأسعار في الربيع."
        ),
        source="نشرة الأسواق",
        published="2024-11-28",
    ),
    Article(
        id="derby",
        title="الزمالك يفوز على الأهلي",
        text=(
            "فاز نادي الزمالك على نادي الأهلي بهدفين مقابل هدف في مباراة القمة مساء السبت. "
            "وسجّل مهاجم الزمالك الهدف الثاني في الدقيقة الأخيرة. "
            "وقال مدرب الأهلي إن فريقه سيعود أقوى في مباراة الإياب."
        ),
        source="الملاعب اليوم",
        published="2024-11-30",
    ),
    Article(
        id="floods",
        title="فيضانات في شمال المغرب",
        text=(
            "اجتاحت الفيضانات مدنًا في شمال المغرب بعد أمطار غزيرة يوم الجمعة. "
            "وأجلت السلطات المغربية مئات الأسر من الأحياء المنخفضة بسبب الفيضانات. "
            "وتسببت الفيضانات في قطع طرق رئيسية بين طنجة وتطوان. "
            "وأعلنت الحكومة المغربية صندوقًا لتعويض المتضررين من الفيضانات. "
            "وتوقعت الأرصاد استمرار الأمطار في شمال المغرب حتى الثلاثاء."
        ),
        source="وكالة المغرب العربي",
        published="2024-11-29",
    ),
)
ARRIVAL = "متى وصل رئيس الوزراء الماليزي إلى القاهرة؟"
PALM_OIL_FOLLOWUP = "وماذا عن زيت النخيل؟"
EGYPT_PALM_OIL = "ووقّع رئيس الوزراء الماليزي في القاهرة اتفاقًا لتصدير زيت النخيل إلى مصر."
INDONESIA_PALM_OIL = "ارتفعت أسعار زيت النخيل في إندونيسيا بنسبة عشرة في المئة هذا الشهر."
DERBY = "من فاز في مباراة الزمالك والأهلي؟"
FLOODS = "ماذا حدث بسبب الفيضانات في المغرب؟"
# Two quotes a page, so five flood sentences make three pages.
PAGE = 2


def dam_articles() -> list[Article]:
    """Three reports of fifteen long sentences on one subject: an answer of ten quotes needs two messages.

    Each sentence is the subject and seventy random letter-words, so no two are "the same fact"
    and every quote is long.
    """
    rng = random.Random(7)
    letters = "بتثجحخدذرزسشصضطظعغفقكلمنهوي"

    def sentence() -> str:
        words = ("".join(rng.choice(letters) for _ in range(rng.randint(4, 6))) for _ in range(70))
        return "وذكر التقرير أن مشروع السد الكبير يشمل " + " ".join(words) + "."

    return [
        Article(
            id=f"dam{n}",
            title=f"تقرير {n} عن مشروع السد الكبير",
            text=" ".join(sentence() for _ in range(5)),
            source=f"وكالة {n}",
            published=f"2024-11-2{n}",
        )
        for n in range(1, 4)
    ]


def quotes_of(message: BotMessage) -> list[str]:
    """The plain text of every blockquote in the message as it is now."""
    bodies = re.findall(r"<blockquote>(.*?)</blockquote>", message.html, flags=re.DOTALL)
    return [html.unescape(re.sub(r"<[^>]+>", "", body)).replace(RLM, "") for body in bodies]


def button(message: BotMessage, label: str) -> str:
    return next(data for text, data in message.buttons if text == label)


def labels(message: BotMessage) -> list[str]:
    return [text for text, _ in message.buttons]


@pytest.fixture(scope="module")
def engine() -> AnswerEngine:
    return AnswerEngine.from_articles(ARTICLES)


@contextlib.asynccontextmanager
async def talking(api: FakeBotApi, engine: AnswerEngine, *, page: int = PAGE) -> AsyncIterator[FakeBotApi]:
    settings = bot_settings(api, top_k=page)
    async with polling(build_application(settings, engine), settings):
        yield api


async def reply(api: FakeBotApi, question: dict[str, Any]) -> BotMessage:
    chat_id: int = question["chat"]["id"]
    message_id: int = question["message_id"]
    await api.wait_until(lambda: bool(api.replies_to(chat_id, message_id)))
    [answer] = api.replies_to(chat_id, message_id)
    return answer


async def test_a_followup_is_completed_with_the_previous_topic_and_shown(
    api: FakeBotApi, engine: AnswerEngine
) -> None:
    async with talking(api, engine):
        first = await reply(api, api.send_text(ALICE_CHAT, ALICE, ARRIVAL))
        assert "صباح الأحد" in quotes_of(first)[0]
        followup = await reply(api, api.send_text(ALICE_CHAT, ALICE, PALM_OIL_FOLLOWUP))
    shown = followup.text.split("\n")[0].replace(RLM, "")
    assert shown.startswith("سؤالك كما فهمته: ") and "زيت النخيل" in shown and "القاهرة" in shown
    # The Egyptian deal, not the Indonesian prices the words alone would find first.
    assert quotes_of(followup)[0] == EGYPT_PALM_OIL
    assert engine.answer(PALM_OIL_FOLLOWUP, top_k=PAGE).quotes[0].text == INDONESIA_PALM_OIL


async def test_a_reply_to_the_answer_in_a_group_leans_on_that_answer(
    api: FakeBotApi, engine: AnswerEngine
) -> None:
    async with talking(api, engine):
        first = await reply(api, api.send_text(GROUP, ALICE, f"/ask {ARRIVAL}"))
        followup = await reply(api, api.send_text(GROUP, ALICE, "زيت النخيل؟", reply_to=first))
    assert "سؤالك كما فهمته" in followup.text
    assert quotes_of(followup)[0] == EGYPT_PALM_OIL


async def test_a_new_question_after_an_answer_is_taken_as_written(
    api: FakeBotApi, engine: AnswerEngine
) -> None:
    async with talking(api, engine):
        await reply(api, api.send_text(ALICE_CHAT, ALICE, ARRIVAL))
        derby = await reply(api, api.send_text(ALICE_CHAT, ALICE, DERBY))
    assert "سؤالك كما فهمته" not in derby.text
    assert "بهدفين مقابل هدف" in quotes_of(derby)[0]


@pytest.mark.parametrize(
    ("greeting", "expected"), [("مرحبا", texts.GREETING_REPLY), ("شكراً جزيلاً", texts.THANKS_REPLY)]
)
async def test_small_talk_gets_a_friendly_reply_with_the_newest_headlines(
    api: FakeBotApi, engine: AnswerEngine, greeting: str, expected: str
) -> None:
    async with talking(api, engine):
        answer = await reply(api, api.send_text(ALICE_CHAT, ALICE, greeting))
    lines = [line.replace(RLM, "") for line in answer.text.split("\n")]
    assert lines[0] == html.unescape(re.sub(r"<[^>]+>", "", expected))
    assert lines[1] == texts.ASK_ABOUT
    # The three newest headlines, verbatim: 2 Dec, 1 Dec, 30 Nov.
    assert lines[2:] == [f"• {ARTICLES[i].title}" for i in (1, 0, 3)]
    assert "لم أجد" not in answer.text


async def test_an_edited_question_is_answered_again_in_the_same_message(
    api: FakeBotApi, engine: AnswerEngine
) -> None:
    async with talking(api, engine):
        asked = api.send_text(ALICE_CHAT, ALICE, ARRIVAL)
        answer = await reply(api, asked)
        assert "صباح الأحد" in quotes_of(answer)[0]
        mark = api.mark()
        api.edit_text(asked, DERBY)
        await api.wait_for_edit(answer)
        assert api.sent_since(mark, ALICE_CHAT.id) == []  # edited in place, no second answer
    assert "بهدفين مقابل هدف" in quotes_of(answer)[0]
    assert answer.reply_to_message_id == asked["message_id"]


async def test_a_photo_caption_question_is_answered(api: FakeBotApi, engine: AnswerEngine) -> None:
    async with talking(api, engine):
        answer = await reply(api, api.send_photo(ALICE_CHAT, ALICE, caption=DERBY))
        document = await reply(api, api.send_document(ALICE_CHAT, ALICE, caption=FLOODS))
    assert "بهدفين مقابل هدف" in quotes_of(answer)[0]
    assert "الفيضانات" in quotes_of(document)[0]


async def test_paging_goes_forward_and_back_to_the_first_answer(
    api: FakeBotApi, engine: AnswerEngine
) -> None:
    async with talking(api, engine):
        asked = api.send_text(ALICE_CHAT, ALICE, FLOODS)
        answer = await reply(api, asked)
        first_page = quotes_of(answer)
        assert len(first_page) == PAGE and texts.BUTTON_MORE in labels(answer)
        assert texts.BUTTON_BACK not in labels(answer)
        pages = [first_page]
        for edits in (1, 2):
            api.press_button(answer, button(answer, texts.BUTTON_MORE), ALICE)
            await api.wait_for_edit(answer, edits=edits)
            pages.append(quotes_of(answer))
        assert texts.BUTTON_MORE not in labels(answer) and texts.BUTTON_BACK in labels(answer)
        assert "٥." in answer.text  # numbering continues over the pages
        for edits in (3, 4):
            api.press_button(answer, button(answer, texts.BUTTON_BACK), ALICE)
            await api.wait_for_edit(answer, edits=edits)
        assert quotes_of(answer) == first_page
        assert texts.BUTTON_BACK not in labels(answer)
        assert len(api.sent(ALICE_CHAT.id)) == 1  # every page shown in the one answer
    shown = [quote for page in pages for quote in page]
    assert len(shown) == len(set(shown)) == 5
    assert all("الفيضانات" in quote or "الأمطار" in quote for quote in shown)


async def test_paging_an_answer_that_spans_two_messages_keeps_every_message_consistent(
    api: FakeBotApi,
) -> None:
    engine = AnswerEngine.from_articles([*ARTICLES, *dam_articles()])
    async with talking(api, engine, page=10):
        asked = api.send_text(ALICE_CHAT, ALICE, "ماذا يشمل مشروع السد الكبير؟")
        await api.wait_until(lambda: len(api.replies_to(ALICE_CHAT.id, asked["message_id"])) == 2)
        top, bottom = api.replies_to(ALICE_CHAT.id, asked["message_id"])
        first_page = quotes_of(top) + quotes_of(bottom)
        assert len(first_page) == 10 and top.buttons == [] and texts.BUTTON_MORE in labels(bottom)
        api.press_button(bottom, button(bottom, texts.BUTTON_MORE), ALICE)
        await api.wait_until(lambda: bottom.deleted)
        # Page two fits one message: the top one shows it with the buttons; the bottom one is gone.
        assert "١١." in top.text and len(quotes_of(top)) == 5 and texts.BUTTON_BACK in labels(top)
        mark = api.mark()
        api.press_button(top, button(top, texts.BUTTON_BACK), ALICE)
        [again] = await api.wait_for_messages(ALICE_CHAT.id, since=mark)
        await api.wait_until(lambda: len(top.versions) == 3)
    # Back on page one: the top message edited back, the rest sent anew under the same question.
    assert quotes_of(top) + quotes_of(again) == first_page
    assert again.reply_to_message_id == asked["message_id"] and texts.BUTTON_MORE in labels(again)
    assert top.buttons == []


async def test_inline_mode_pages_quotes_and_offers_headlines_for_an_empty_query(
    api: FakeBotApi, engine: AnswerEngine
) -> None:
    async with talking(api, engine):
        headlines_id = api.inline_query(ALICE, "")
        await api.wait_until(lambda: api.inline_answer(headlines_id) is not None)
        quotes_id = api.inline_query(ALICE, FLOODS)
        await api.wait_until(lambda: api.inline_answer(quotes_id) is not None)
    headlines = api.inline_answer(headlines_id)
    quotes = api.inline_answer(quotes_id)
    assert headlines is not None and quotes is not None
    assert [r["title"] for r in headlines["results"]] == [ARTICLES[i].title for i in (1, 0, 3, 4, 2)]
    assert not headlines.get("next_offset")
    assert len(quotes["results"]) == 5 and not quotes.get("next_offset")


async def test_inline_quotes_come_a_page_at_a_time_with_next_offset(api: FakeBotApi) -> None:
    engine = AnswerEngine.from_articles([*ARTICLES, *dam_articles()])
    question = "ماذا يشمل مشروع السد الكبير؟"
    async with talking(api, engine):
        first_id = api.inline_query(ALICE, question)
        await api.wait_until(lambda: api.inline_answer(first_id) is not None)
        first = api.inline_answer(first_id)
        assert first is not None and first["next_offset"] == "10"
        second_id = api.inline_query(ALICE, question, offset=first["next_offset"])
        await api.wait_until(lambda: api.inline_answer(second_id) is not None)
    second = api.inline_answer(second_id)
    assert second is not None and not second.get("next_offset")
    ids = [r["id"] for r in first["results"] + second["results"]]
    assert len(first["results"]) == 10 and len(ids) == len(set(ids)) == 15
