"""The stand-in speaks the Bot API wire protocol: shapes, validation errors, polling semantics, faults.

Raw HTTP checks the wire (JSON shapes, encodings); python-telegram-bot v22's own ``Bot`` checks that
what the stand-in sends parses into the objects and exceptions a real Telegram would produce.
"""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest
from telegram import (
    Bot,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InputTextMessageContent,
    Message,
    MessageEntity,
    Update,
)
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut

from tests.e2e.fake_bot_api import BLOCKED_BY_USER, QUERY_TOO_OLD, FakeBotApi, FakeChat, FakeUser, Fault
from tests.e2e.telegram_html import HtmlParseError, parse_html

TOKEN = "123456:TEST-TOKEN"
USER = FakeUser(5, "ليلى")
CHAT = FakeChat(5)


@pytest.fixture
def api() -> Iterator[FakeBotApi]:
    with FakeBotApi(TOKEN) as server:
        server.send_text(CHAT, USER, "مرحبا")  # makes the chat known, like a user writing first
        yield server


def call(
    api: FakeBotApi,
    method: str,
    *,
    json_body: dict[str, Any] | None = None,
    form: dict[str, Any] | None = None,
    token: str = TOKEN,
) -> httpx.Response:
    url = f"{api.base_url}{token}/{method}"
    if json_body is not None:
        return httpx.post(url, json=json_body, timeout=10)
    data = {k: json.dumps(v) if isinstance(v, dict | list) else str(v) for k, v in (form or {}).items()}
    return httpx.post(url, data=data, timeout=10)


def test_get_me_and_error_shapes(api: FakeBotApi) -> None:
    me = call(api, "getMe").json()
    assert me["ok"] is True and me["result"]["is_bot"] is True and me["result"]["id"] == 123456
    assert call(api, "getMe", token="123456:WRONG").json() == {
        "ok": False,
        "error_code": 401,
        "description": "Unauthorized",
    }
    assert call(api, "noSuchMethod").status_code == 404


@pytest.mark.parametrize("encoding", ["json", "form"])
def test_send_message_accepts_json_and_form_bodies_and_parses_html(api: FakeBotApi, encoding: str) -> None:
    params = {
        "chat_id": CHAT.id,
        "text": "<b>عاجل</b> &amp; <a href='https://x.test'>رابط</a>",
        "parse_mode": "HTML",
        "reply_parameters": {"message_id": 1},
        "reply_markup": {"inline_keyboard": [[{"text": "المزيد", "callback_data": "more:1"}]]},
    }
    response = (
        call(api, "sendMessage", json_body=params)
        if encoding == "json"
        else call(api, "sendMessage", form=params)
    )
    message = response.json()["result"]
    assert message["text"] == "عاجل & رابط"
    assert [e["type"] for e in message["entities"]] == ["bold", "text_link"]
    assert message["reply_to_message"]["message_id"] == 1
    assert api.sent()[0].reply_markup == params["reply_markup"]


@pytest.mark.parametrize(
    ("params", "description"),
    [
        (
            {"text": "<b>x", "parse_mode": "HTML"},
            "Bad Request: can't parse entities: Can't find end tag corresponding to start tag \"b\"",
        ),
        (
            {"text": "<div>x</div>", "parse_mode": "HTML"},
            'Bad Request: can\'t parse entities: Unsupported start tag "div" at byte offset 0',
        ),
        ({"text": "x" * 4097}, "Bad Request: message is too long"),
        ({"text": "  "}, "Bad Request: message text is empty"),
        (
            {"text": "x", "reply_parameters": {"message_id": 999}},
            "Bad Request: message to be replied not found",
        ),
        (
            {"text": "x", "reply_markup": {"inline_keyboard": [[{"text": "b", "callback_data": "x" * 65}]]}},
            "Bad Request: BUTTON_DATA_INVALID",
        ),
    ],
    ids=["unclosed-tag", "unsupported-tag", "too-long", "empty", "reply-missing", "callback-data-too-long"],
)
def test_send_message_rejects_what_telegram_rejects(
    api: FakeBotApi, params: dict[str, Any], description: str
) -> None:
    response = call(api, "sendMessage", json_body={"chat_id": CHAT.id, **params})
    assert response.status_code == 400
    assert response.json() == {"ok": False, "error_code": 400, "description": description}
    assert api.sent() == []


def test_limit_counts_text_after_parsing_not_markup(api: FakeBotApi) -> None:
    text = "<b>" + "ب" * 4096 + "</b>"
    assert (
        call(
            api, "sendMessage", json_body={"chat_id": CHAT.id, "text": text, "parse_mode": "HTML"}
        ).status_code
        == 200
    )


def test_edit_message_text_and_not_modified(api: FakeBotApi) -> None:
    sent = call(api, "sendMessage", json_body={"chat_id": CHAT.id, "text": "أ"}).json()["result"]
    edit = {"chat_id": CHAT.id, "message_id": sent["message_id"], "text": "ب"}
    assert call(api, "editMessageText", json_body=edit).json()["result"]["text"] == "ب"
    again = call(api, "editMessageText", json_body=edit).json()
    assert again["error_code"] == 400 and again["description"].startswith(
        "Bad Request: message is not modified"
    )
    assert call(api, "editMessageText", json_body={**edit, "message_id": 1}).json()["description"] == (
        "Bad Request: message can't be edited"
    )


def test_get_updates_offsets_confirm_and_long_poll_waits(api: FakeBotApi) -> None:
    first = call(api, "getUpdates", json_body={"timeout": 0}).json()["result"]
    assert len(first) == 1 and "message" in first[0]
    again = call(api, "getUpdates", json_body={"timeout": 0}).json()["result"]
    assert again == first  # not confirmed yet
    timer = threading.Timer(0.2, lambda: api.send_text(CHAT, USER, "سؤال"))
    timer.start()
    waited = call(api, "getUpdates", json_body={"offset": first[0]["update_id"] + 1, "timeout": 5}).json()[
        "result"
    ]
    assert [u["message"]["text"] for u in waited] == ["سؤال"]
    assert api.pending_updates() == 1


def test_a_second_poller_gets_the_first_one_a_409(api: FakeBotApi) -> None:
    call(api, "getUpdates", json_body={"offset": 2})  # confirm the greeting
    results: list[httpx.Response] = []
    first = threading.Thread(
        target=lambda: results.append(call(api, "getUpdates", json_body={"offset": 2, "timeout": 5}))
    )
    first.start()
    api.wait_until_sync(api.is_polling)
    call(api, "getUpdates", json_body={"offset": 2, "timeout": 0})
    first.join(5)
    assert results[0].status_code == 409
    assert results[0].json()["description"].startswith("Conflict: terminated by other getUpdates request")


def test_injected_faults_have_telegrams_shapes(api: FakeBotApi) -> None:
    api.inject(Fault("sendMessage", 429, retry_after=3))
    api.inject(Fault("sendMessage", 502))
    flood = call(api, "sendMessage", json_body={"chat_id": CHAT.id, "text": "x"})
    assert flood.status_code == 429 and flood.json()["parameters"] == {"retry_after": 3}
    gateway = call(api, "sendMessage", json_body={"chat_id": CHAT.id, "text": "x"})
    assert gateway.status_code == 502 and b"502 Bad Gateway" in gateway.content
    assert call(api, "sendMessage", json_body={"chat_id": CHAT.id, "text": "x"}).status_code == 200


def test_privacy_mode_delivers_only_addressed_group_messages() -> None:
    group = FakeChat(-1, "supergroup")
    with FakeBotApi(TOKEN) as api:
        api.send_text(group, USER, "دردشة")
        api.send_text(group, USER, f"@{api.username} سؤال")
        api.send_text(group, USER, "/ask@other_bot سؤال")
        api.send_text(group, USER, f"/ask@{api.username} سؤال")
        assert api.pending_updates() == 1


@pytest.mark.parametrize(
    "text",
    [
        "<b>x</i>",
        "</b>",
        "<span>x</span>",
        "<blockquote><blockquote>x</blockquote></blockquote>",
        "<a href='x'>x",
    ],
)
def test_html_parser_rejects_malformed_markup(text: str) -> None:
    with pytest.raises(HtmlParseError):
        parse_html(text)


def test_html_entities_offsets_are_utf16() -> None:
    text, entities = parse_html("😀 <b>نص</b>")
    assert text == "😀 نص" and entities == [{"type": "bold", "offset": 3, "length": 2}]


# --------------------------------------------------------------------------------------------------
# Through python-telegram-bot v22 itself: what the bot's library sends and parses is what Telegram's.

GROUP = FakeChat(-100777, "supergroup", "نقاش")
BASIC_GROUP = FakeChat(-4242, "group", "أصدقاء")
OTHER = FakeUser(6, "سامي", "sami_reader")
EVERYTHING = ["message", "edited_message", "callback_query", "inline_query", "my_chat_member"]


@pytest.fixture
async def bot(api: FakeBotApi) -> AsyncIterator[Bot]:
    """A python-telegram-bot ``Bot`` on the stand-in, the greeting update already confirmed."""
    async with Bot(TOKEN, base_url=api.base_url) as client:
        await client.get_updates(offset=-1, timeout=0)
        greeting = await client.get_updates(timeout=0)
        await client.get_updates(offset=greeting[-1].update_id + 1, timeout=0, allowed_updates=EVERYTHING)
        yield client


async def next_updates(bot: Bot, allowed: list[str] | None = None) -> list[Update]:
    """The updates waiting now, confirmed so the next call sees only newer ones."""
    updates = await bot.get_updates(timeout=0, allowed_updates=allowed)
    if updates:
        await bot.get_updates(offset=updates[-1].update_id + 1, timeout=0, allowed_updates=allowed)
    return list(updates)


async def test_edited_message_reaches_a_bot_that_asks_for_edits(api: FakeBotApi, bot: Bot) -> None:
    question = api.send_text(CHAT, USER, "متى وصل بوتين؟")
    edited = api.edit_text(question, "متى وصل بوتين إلى كازاخستان؟")
    [new, edit] = await next_updates(bot, EVERYTHING)
    assert new.message is not None and new.message.text == "متى وصل بوتين؟"  # the update kept its snapshot
    assert edit.edited_message is not None and edit.message is None
    assert edit.edited_message.message_id == question["message_id"] == edited["message_id"]
    assert edit.edited_message.text == "متى وصل بوتين إلى كازاخستان؟"
    assert edit.edited_message.edit_date is not None and edit.effective_message is edit.edited_message


async def test_edits_are_not_queued_for_a_bot_that_did_not_ask_for_them(api: FakeBotApi, bot: Bot) -> None:
    question = api.send_text(CHAT, USER, "سؤال")
    await next_updates(bot, ["message", "callback_query"])  # remembered, as Telegram does
    api.edit_text(question, "سؤال آخر")
    assert await next_updates(bot) == []
    assert [next(iter(u.keys() - {"update_id"})) for u in api.filtered_updates()] == ["edited_message"]
    assert api.pending_updates() == 0  # not left in the queue to wake every long poll


async def test_captioned_photo_and_document_are_ptb_messages_with_captions(api: FakeBotApi, bot: Bot) -> None:
    photo = api.send_photo(CHAT, USER, caption="ما هذه الصورة؟")
    document = api.send_document(GROUP, USER, caption=f"/ask@{api.username} ما في التقرير؟", reply_to=None)
    bare = api.send_photo(CHAT, USER)
    api.edit_text(photo, "أين التقطت الصورة؟")
    updates = await next_updates(bot, EVERYTHING)
    first, second, third, fourth = (u.effective_message for u in updates)
    assert first is not None and first.caption == "ما هذه الصورة؟" and first.text is None
    assert first.photo and first.photo[-1].width > first.photo[0].width
    assert second is not None and second.document is not None and second.document.file_name is not None
    assert second.document.file_name.endswith(".pdf")
    assert second.chat.type == "supergroup" and second.caption_entities[0].type == "bot_command"
    assert third is not None and third.caption is None and third.message_id == bare["message_id"]
    assert fourth is not None and updates[3].edited_message is not None
    assert fourth.caption == "أين التقطت الصورة؟" and fourth.photo
    assert document["caption_entities"][0]["length"] == len(f"/ask@{api.username}")
    captioned = api.edit_text(bare, "سؤال لاحق")
    assert captioned["caption"] == "سؤال لاحق" and "text" not in captioned


@pytest.mark.parametrize("chat", [CHAT, GROUP, BASIC_GROUP], ids=["private", "supergroup", "group"])
async def test_a_user_replies_to_one_of_the_bots_messages(api: FakeBotApi, bot: Bot, chat: FakeChat) -> None:
    api.send_text(chat, OTHER, "/start")  # the bot learns the chat
    await next_updates(bot, EVERYTHING)
    first = await bot.send_message(chat.id, "الجواب الأول")
    await bot.send_message(chat.id, "الجواب الثاني")
    api.send_text(chat, USER, "كلام بين الأعضاء")
    api.send_text(chat, USER, "وماذا عن اليورانيوم؟", reply_to=api.message(chat.id, first.message_id))
    updates = await next_updates(bot, EVERYTHING)
    reply = updates[-1].message
    assert reply is not None and reply.reply_to_message is not None
    assert reply.reply_to_message.message_id == first.message_id
    assert reply.reply_to_message.from_user is not None and reply.reply_to_message.from_user.id == bot.id
    assert reply.reply_to_message.text == "الجواب الأول"
    assert reply.from_user is not None and reply.from_user.id == USER.id and reply.chat.type == chat.type
    # Privacy mode: in groups the chatter never reaches the bot, the reply to it does.
    assert len(updates) == (2 if chat.type == "private" else 1)


async def test_blocked_chat_answers_403_until_unblocked(api: FakeBotApi, bot: Bot) -> None:
    api.send_text(GROUP, OTHER, "/start")
    api.block_bot(CHAT)
    for attempt in (bot.send_message(CHAT.id, "تنبيه"), bot.send_chat_action(CHAT.id, "typing")):
        with pytest.raises(Forbidden, match=r"^Forbidden: bot was blocked by the user$"):
            await attempt
    await bot.send_message(GROUP.id, "للمجموعة")  # other chats are unaffected
    [_start, blocked] = await next_updates(bot, EVERYTHING)
    assert blocked.my_chat_member is not None
    assert blocked.my_chat_member.new_chat_member.status == "kicked"
    assert blocked.my_chat_member.chat.id == CHAT.id
    assert [r.status for r in api.calls("sendMessage", chat_id=CHAT.id)] == [403]
    api.unblock_bot(CHAT)
    await bot.send_message(CHAT.id, "عدت")
    assert api.sent_count(CHAT.id) == 1


def test_blocked_chat_error_is_telegrams_json(api: FakeBotApi) -> None:
    api.block_bot(CHAT)
    response = call(api, "sendMessage", json_body={"chat_id": CHAT.id, "text": "x"})
    assert response.status_code == 403
    assert response.json() == {"ok": False, "error_code": 403, "description": BLOCKED_BY_USER}


async def test_a_chat_known_from_before_can_be_written_to(api: FakeBotApi, bot: Bot) -> None:
    follower = FakeUser(77, "منى")
    with pytest.raises(BadRequest, match=r"^Chat not found$"):
        await bot.send_message(follower.id, "تنبيه")
    api.add_chat(FakeChat.private(follower), follower)
    alert = await bot.send_message(follower.id, "تنبيه")
    assert alert.chat.first_name == "منى" and api.sent_count(follower.id) == 1
    assert await next_updates(bot, EVERYTHING) == []


async def test_in_groups_only_edits_the_bot_may_see_are_delivered(api: FakeBotApi, bot: Bot) -> None:
    api.send_text(GROUP, OTHER, "/start")
    answer = await bot.send_message(GROUP.id, "جواب")
    chatter = api.send_text(GROUP, USER, "كلام")
    reply = api.send_text(GROUP, USER, "سؤال", reply_to=answer.message_id)
    await next_updates(bot, EVERYTHING)
    api.edit_text(chatter, "كلام معدل")
    api.edit_text(reply, "سؤال معدل")
    [edit] = await next_updates(bot, EVERYTHING)
    assert edit.edited_message is not None and edit.edited_message.text == "سؤال معدل"
    assert edit.edited_message.reply_to_message is not None


async def test_blocked_group_is_kicked_not_blocked(api: FakeBotApi, bot: Bot) -> None:
    api.send_text(GROUP, OTHER, "/start")
    api.block_bot(GROUP, OTHER)
    with pytest.raises(Forbidden, match="bot was kicked from the supergroup chat"):
        await bot.send_message(GROUP.id, "x")


async def test_slow_answer_times_the_client_out_but_the_message_is_delivered(
    api: FakeBotApi, bot: Bot
) -> None:
    api.delay_next("sendMessage", 30, chat_id=CHAT.id)
    with pytest.raises(TimedOut):
        await bot.send_message(CHAT.id, "جواب بطيء", read_timeout=0.2)
    assert [m.text for m in api.sent(CHAT.id)] == ["جواب بطيء"]
    [record] = api.calls("sendMessage")
    assert record.executed and record.delay == 30 and record.status == 200
    # The client closed the connection; the server let go of it, and the next call is answered.
    assert (await bot.send_message(CHAT.id, "التالي")).text == "التالي"


async def test_a_delay_shorter_than_the_read_timeout_is_just_a_late_answer(api: FakeBotApi, bot: Bot) -> None:
    api.delay_next("sendMessage", 0.05)
    assert (await bot.send_message(CHAT.id, "متأخر قليلًا")).text == "متأخر قليلًا"
    assert [(r.status, r.delay) for r in api.calls("sendMessage")] == [(200, 0.05)]


async def test_connection_dropped_after_the_message_was_delivered(api: FakeBotApi, bot: Bot) -> None:
    api.drop_after("sendMessage")
    with pytest.raises(NetworkError) as raised:
        await bot.send_message(CHAT.id, "وصل ولم يصل الرد")
    assert not isinstance(raised.value, TimedOut)
    assert [m.text for m in api.sent(CHAT.id)] == ["وصل ولم يصل الرد"]
    [record] = api.calls("sendMessage")
    assert record.status == 0 and record.executed


async def test_dropped_before_acting_delivers_nothing(api: FakeBotApi, bot: Bot) -> None:
    api.inject(Fault("sendMessage", drop=True))
    with pytest.raises(NetworkError):
        await bot.send_message(CHAT.id, "لم يصل")
    assert api.sent() == [] and not api.calls("sendMessage")[0].executed


async def test_a_fault_can_target_one_chat(api: FakeBotApi, bot: Bot) -> None:
    api.send_text(GROUP, OTHER, "/start")
    api.fail_next("sendMessage", 429, retry_after=7, chat_id=GROUP.id)
    await bot.send_message(CHAT.id, "للخاص")
    with pytest.raises(RetryAfter):
        await bot.send_message(GROUP.id, "للمجموعة")
    assert [(r.chat_id, r.status) for r in api.calls("sendMessage")] == [(CHAT.id, 200), (GROUP.id, 429)]
    assert api.pending_faults() == 0


async def test_edits_of_any_message_are_kept_as_versions_and_identical_edits_refused(
    api: FakeBotApi, bot: Bot
) -> None:
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("التالي", callback_data="page:1")]])
    first = await bot.send_message(CHAT.id, "<b>الصفحة ١</b>", parse_mode="HTML", reply_markup=keyboard)
    last = await bot.send_message(CHAT.id, "الأخيرة")
    back = InlineKeyboardMarkup([[InlineKeyboardButton("السابق", callback_data="page:0")]])
    await bot.edit_message_text("الصفحة ٢", CHAT.id, first.message_id, reply_markup=back)
    await bot.edit_message_text(
        "<b>الصفحة ١</b>", CHAT.id, first.message_id, parse_mode="HTML", reply_markup=keyboard
    )
    with pytest.raises(BadRequest, match=r"^Message is not modified"):
        await bot.edit_message_text(
            "الصفحة ١",
            CHAT.id,
            first.message_id,
            reply_markup=keyboard,
            entities=[MessageEntity("bold", 0, len("الصفحة ١"))],
        )
    with pytest.raises(BadRequest, match=r"^Message is not modified"):
        await bot.edit_message_reply_markup(CHAT.id, first.message_id, reply_markup=keyboard)
    await bot.edit_message_reply_markup(CHAT.id, first.message_id, reply_markup=None)
    paged = api.message(CHAT.id, first.message_id)
    assert paged.texts == ["الصفحة ١", "الصفحة ٢", "الصفحة ١", "الصفحة ١"]
    assert [v.reply_markup is not None for v in paged.versions] == [True, True, True, False]
    assert paged.edits[1] == "<b>الصفحة ١</b>" and paged.versions[2].entities[0]["type"] == "bold"
    assert (
        api.text_of(CHAT.id, last.message_id) == "الأخيرة"
        and len(api.message(CHAT.id, last.message_id).versions) == 1
    )
    with pytest.raises(BadRequest, match=r"^Message can't be edited"):
        await bot.edit_message_text("x", CHAT.id, 1)  # the user's greeting


async def test_deleted_message_is_gone_for_edits_and_replies(api: FakeBotApi, bot: Bot) -> None:
    sent = await bot.send_message(CHAT.id, "مؤقت")
    assert await bot.delete_message(CHAT.id, sent.message_id) is True
    assert api.message(CHAT.id, sent.message_id).deleted
    with pytest.raises(BadRequest, match=r"^Message to edit not found"):
        await bot.edit_message_text("x", CHAT.id, sent.message_id)
    with pytest.raises(BadRequest, match=r"^Message to delete not found"):
        await bot.delete_message(CHAT.id, sent.message_id)
    with pytest.raises(BadRequest, match=r"^Message to be replied not found"):
        await bot.send_message(CHAT.id, "رد", reply_to_message_id=sent.message_id)
    chatter = api.send_text(GROUP, OTHER, "/start")
    with pytest.raises(BadRequest, match=r"^Message can't be deleted for everyone"):
        await bot.delete_message(GROUP.id, chatter["message_id"])


async def test_two_quick_presses_are_two_callback_queries_each_answerable_once(
    api: FakeBotApi, bot: Bot
) -> None:
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("السياق", callback_data="ctx:1")]])
    sent = await bot.send_message(CHAT.id, "جواب", reply_markup=keyboard)
    message = api.message(CHAT.id, sent.message_id)
    assert message.buttons == [("السياق", "ctx:1")] and message.button("السياق") == "ctx:1"
    ids = [api.press_button(message, message.button(data_prefix="ctx:"), USER) for _ in range(2)]
    await bot.edit_message_text("جواب معدل", CHAT.id, sent.message_id)
    [first, second] = await next_updates(bot, EVERYTHING)
    assert first.callback_query is not None and second.callback_query is not None
    assert [first.callback_query.id, second.callback_query.id] == ids and ids[0] != ids[1]
    assert first.callback_query.data == second.callback_query.data == "ctx:1"
    assert (
        isinstance(first.callback_query.message, Message) and first.callback_query.message.text == "جواب"
    )  # as pressed
    assert await first.callback_query.answer() is True
    with pytest.raises(BadRequest, match=r"^Query is too old and response timeout expired"):
        await first.callback_query.answer()
    assert await second.callback_query.answer("تم") is True
    assert api.callback_answer(ids[1]) == {"callback_query_id": ids[1], "text": "تم"}


@pytest.mark.parametrize("how", ["timeout", "expire", "inject"])
async def test_callback_query_too_old(api: FakeBotApi, bot: Bot, how: str) -> None:
    sent = await bot.send_message(CHAT.id, "جواب")
    query_id = api.press_button(api.message(CHAT.id, sent.message_id), "more:1", USER)
    if how == "timeout":
        api.query_timeout = 0.0
    elif how == "expire":
        api.expire_queries()
    else:
        api.fail_next("answerCallbackQuery", 400, description=QUERY_TOO_OLD)
    with pytest.raises(BadRequest, match=r"^Query is too old"):
        await bot.answer_callback_query(query_id)
    assert api.callback_answer(query_id) is None


def articles(count: int, *, start: int = 0, text: str = "نص الخبر") -> list[InlineQueryResultArticle]:
    return [
        InlineQueryResultArticle(f"a{n}", f"خبر {n}", InputTextMessageContent(f"{text} {n}"))
        for n in range(start, start + count)
    ]


async def test_inline_query_pages_with_offset_and_next_offset(api: FakeBotApi, bot: Bot) -> None:
    first_id = api.inline_query(USER, "بوتين")
    second_id = api.inline_query(USER, "بوتين", offset="50", chat_type="supergroup")
    [first, second] = await next_updates(bot, EVERYTHING)
    assert first.inline_query is not None and first.inline_query.offset == ""
    assert second.inline_query is not None and second.inline_query.offset == "50"
    assert second.inline_query.chat_type == "supergroup" and second.inline_query.id == second_id
    await first.inline_query.answer(articles(50), next_offset="50")
    await second.inline_query.answer(articles(3, start=50))
    answer = api.inline_answer(first_id)
    assert answer is not None and answer["next_offset"] == "50" and len(answer["results"]) == 50
    last = api.inline_answer(second_id)
    assert (
        last is not None
        and last["next_offset"] == ""
        and [r["id"] for r in last["results"]] == ["a50", "a51", "a52"]
    )


@pytest.mark.parametrize(
    ("results", "next_offset", "error"),
    [
        (articles(51), "", "Results_too_much"),
        (articles(2) + articles(1), "", "Result_id_duplicate"),
        (articles(1), "x" * 65, "Next_offset_invalid"),
        (articles(1, text="ب" * 4096), "", "Message is too long"),
        ([InlineQueryResultArticle("x" * 65, "t", InputTextMessageContent("n"))], "", "Result_id_invalid"),
        (
            [InlineQueryResultArticle("a", "t", InputTextMessageContent("<b>x", parse_mode="HTML"))],
            "",
            "Can't parse",
        ),
    ],
    ids=["51-results", "duplicate-ids", "long-offset", "long-text", "long-id", "bad-html"],
)
async def test_inline_answers_are_validated_as_telegram_does(
    api: FakeBotApi, bot: Bot, results: list[InlineQueryResultArticle], next_offset: str, error: str
) -> None:
    query_id = api.inline_query(USER, "سؤال")
    with pytest.raises(BadRequest, match=f"^{error}"):
        await bot.answer_inline_query(query_id, results, next_offset=next_offset)
    assert api.inline_answer(query_id) is None


async def test_marks_show_what_was_sent_and_edited_since(api: FakeBotApi, bot: Bot) -> None:
    api.send_text(GROUP, OTHER, "/start")
    old = await bot.send_message(CHAT.id, "قديم")
    mark = api.mark()
    await bot.send_message(GROUP.id, "للمجموعة")
    new = await bot.send_message(CHAT.id, "جديد")
    await bot.edit_message_text("قديم معدل", CHAT.id, old.message_id)
    assert [m.text for m in api.sent_since(mark)] == ["للمجموعة", "جديد"]
    assert [m.message_id for m in api.sent_since(mark, CHAT.id)] == [new.message_id]
    assert [m.message_id for m in api.edited_since(mark, CHAT.id)] == [old.message_id]
    assert (api.sent_count(CHAT.id), api.sent_count(CHAT.id, since=mark), api.sent_count(GROUP.id)) == (
        2,
        1,
        1,
    )
    assert (
        len(api.calls("sendMessage", since=mark)) == 2 and len(api.calls("sendMessage", chat_id=CHAT.id)) == 2
    )
    assert api.text_of(CHAT.id, old.message_id) == "قديم معدل"


async def test_waits_return_once_the_bot_acted(api: FakeBotApi, bot: Bot) -> None:
    mark = api.mark()
    sending = asyncio.ensure_future(bot.send_message(CHAT.id, "أ"))
    [message] = await api.wait_for_messages(CHAT.id, since=mark)
    await sending
    editing = asyncio.ensure_future(bot.edit_message_text("ب", CHAT.id, message.message_id))
    assert (await api.wait_for_edit(message)).text == "ب"
    await editing
    with pytest.raises(TimeoutError):
        await api.wait_for_messages(CHAT.id, 2, since=mark, timeout=0.05)


def test_a_fault_that_would_do_nothing_is_refused() -> None:
    with pytest.raises(ValueError, match="needs an error status"):
        Fault("sendMessage")
