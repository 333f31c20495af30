"""The stand-in speaks the Bot API wire protocol: shapes, validation errors, polling semantics, faults."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.e2e.fake_bot_api import FakeBotApi, FakeChat, FakeUser, Fault
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
    response = call(api, "sendMessage", **({"json_body": params} if encoding == "json" else {"form": params}))
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
