"""A local stand-in for the Telegram Bot API, speaking its wire protocol on 127.0.0.1.

It serves ``/bot<token>/<method>`` over HTTP/1.1 with keep-alive, takes parameters from the
query string, form-encoded, JSON or multipart bodies, and answers with Telegram's JSON shapes:
``{"ok": true, "result": ...}`` or ``{"ok": false, "error_code": 400, "description": "Bad Request: ..."}``.
It validates what Telegram validates for the methods a news bot uses (HTML entities, the
4096-character limit, reply targets, callback data, inline results) and can inject faults:
429 with ``parameters.retry_after``, 5xx, a dropped long poll, and a second poller (409).

The server runs on its own event loop in a thread, so a test may drive it from any loop or
thread, and a bot in another process can poll it. Test-side methods are thread-safe: they run
on the server's loop. Users, chats and updates are simulated by the test (``send_text``,
``press_button``, ``inline_query``); everything the bot did is recorded for assertions.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import email.parser
import email.policy
import itertools
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar
from urllib.parse import parse_qs, urlsplit

from tests.e2e.telegram_html import HtmlParseError, parse_html, utf16_length

T = TypeVar("T")

MAX_TEXT = 4096  # Telegram's limit on message text after entity parsing
MAX_CALLBACK_DATA = 64  # bytes
CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)
# Parameters the Bot API takes as JSON-serialised objects inside form fields.
_JSON_PARAMS = frozenset(
    {
        "reply_markup",
        "reply_parameters",
        "results",
        "commands",
        "allowed_updates",
        "entities",
        "link_preview_options",
        "scope",
        "button",
    }
)
_NGINX_502 = (
    b"<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
    b"<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx/1.18.0</center>\r\n"
    b"</body>\r\n</html>\r\n"
)
_REASONS = {
    200: "OK",
    400: "Bad Request",
    401: "Unauthorized",
    404: "Not Found",
    409: "Conflict",
    429: "Too Many Requests",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
}


class ApiError(Exception):
    """A Bot API error reply."""

    def __init__(self, code: int, description: str, parameters: dict[str, Any] | None = None) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.parameters = parameters


def bad_request(description: str) -> ApiError:
    return ApiError(400, f"Bad Request: {description}")


@dataclass(frozen=True)
class FakeUser:
    id: int
    first_name: str = "مستخدم"
    username: str | None = None
    language_code: str = "ar"

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": self.id,
            "is_bot": False,
            "first_name": self.first_name,
            "language_code": self.language_code,
        }
        if self.username:
            data["username"] = self.username
        return data


@dataclass(frozen=True)
class FakeChat:
    id: int
    type: str = "private"  # private | group | supergroup
    title: str | None = None

    def to_json(self, user: FakeUser | None = None) -> dict[str, Any]:
        if self.type == "private" and user is not None:
            return {"id": self.id, "type": "private", "first_name": user.first_name}
        return {"id": self.id, "type": self.type, "title": self.title or "مجموعة"}


@dataclass
class Fault:
    """An injected failure for the next ``count`` calls of ``method`` (None: any method)."""

    method: str | None
    status: int
    count: int = 1
    retry_after: int | None = None
    drop: bool = False  # close the connection without an answer
    json_body: bool = False  # 5xx with a JSON body instead of nginx's HTML page


@dataclass
class BotMessage:
    """A message the bot sent, as the stand-in stored it."""

    chat_id: int
    message_id: int
    html: str
    text: str
    entities: list[dict[str, Any]]
    reply_to_message_id: int | None
    reply_markup: dict[str, Any] | None
    sent_at: float
    edits: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class RequestRecord:
    method: str
    params: dict[str, Any]
    status: int
    at: float


@dataclass
class _Poll:
    """An outstanding getUpdates call."""

    wake: asyncio.Event = field(default_factory=asyncio.Event)
    conflicted: bool = False


class FakeBotApi:
    """The stand-in server; use as a context manager or call ``start()``/``stop()``."""

    def __init__(
        self,
        token: str = "123456:TEST-TOKEN",
        *,
        username: str = "arabic_news_test_bot",
        privacy_mode: bool = True,
    ) -> None:
        self.token = token
        self.bot_id = int(token.split(":", 1)[0])
        self.username = username
        self.privacy_mode = privacy_mode
        self.port = 0
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._server: asyncio.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()
        # State below is touched only on the server loop.
        self._updates: list[dict[str, Any]] = []
        self._update_ids = itertools.count(1)
        self._message_ids: dict[int, itertools.count[int]] = {}
        self._messages: dict[tuple[int, int], dict[str, Any]] = {}
        self._chats: dict[int, FakeChat] = {}
        self._poll: _Poll | None = None
        self._new_update: asyncio.Event | None = None
        self._faults: list[Fault] = []
        self._query_ids = itertools.count(1)
        self._open_callback_queries: set[str] = set()
        self._open_inline_queries: set[str] = set()
        self.bot_messages: list[BotMessage] = []
        self.requests: list[RequestRecord] = []
        self.chat_actions: list[tuple[int, str]] = []
        self.callback_answers: list[dict[str, Any]] = []
        self.inline_answers: list[dict[str, Any]] = []
        self.commands: list[dict[str, Any]] = []
        self.update_created_at: dict[int, float] = {}
        self.message_created_at: dict[tuple[int, int], float] = {}
        self.webhook_url = ""
        # Notified whenever the bot does something, so blocking waits need not spin.
        self._activity = threading.Condition()
        self._activity_count = 0

    # ----------------------------------------------------------------- lifecycle

    @property
    def base_url(self) -> str:
        """The base URL in python-telegram-bot's form (the token is appended)."""
        return f"http://127.0.0.1:{self.port}/bot"

    def start(self) -> FakeBotApi:
        ready = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(ready,), name="fake-bot-api", daemon=True)
        self._thread.start()
        if not ready.wait(10):
            raise RuntimeError("the Bot API stand-in did not start")
        return self

    def stop(self) -> None:
        if self._loop is None or self._thread is None:
            return
        asyncio.run_coroutine_threadsafe(self._shutdown(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)
        self._loop = None

    def __enter__(self) -> FakeBotApi:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def _run(self, ready: threading.Event) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        asyncio.set_event_loop(loop)
        self._new_update = asyncio.Event()
        self._server = loop.run_until_complete(asyncio.start_server(self._serve_connection, "127.0.0.1", 0))
        self.port = self._server.sockets[0].getsockname()[1]
        ready.set()
        loop.run_forever()
        loop.close()

    async def _shutdown(self) -> None:
        if self._server is not None:
            self._server.close()
        for writer in list(self._writers):
            writer.close()
        if self._poll is not None:
            self._poll.wake.set()

    def call(self, function: Callable[[], T]) -> T:
        """Run ``function`` on the server loop and return its result (thread-safe state access)."""
        assert self._loop is not None, "stand-in not started"
        if threading.current_thread() is self._thread:
            return function()
        future: concurrent.futures.Future[T] = concurrent.futures.Future()

        def run() -> None:
            try:
                future.set_result(function())
            except BaseException as exc:  # handed to the caller's thread
                future.set_exception(exc)

        self._loop.call_soon_threadsafe(run)
        return future.result(10)

    # ------------------------------------------------------- simulated users

    def send_text(
        self, chat: FakeChat, user: FakeUser, text: str, *, reply_to: int | None = None
    ) -> dict[str, Any]:
        """A user writes ``text`` in ``chat``; returns the Telegram message object."""
        return self.call(lambda: self._user_message(chat, user, {"text": text}, reply_to))

    def send_sticker(self, chat: FakeChat, user: FakeUser) -> dict[str, Any]:
        sticker = {
            "file_id": "CAACAgIAAxkBAAEBsticker",
            "file_unique_id": "AgADsticker",
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            "emoji": "😀",
        }
        return self.call(lambda: self._user_message(chat, user, {"sticker": sticker}, None))

    def send_photo(self, chat: FakeChat, user: FakeUser) -> dict[str, Any]:
        photo = [{"file_id": "AgACAgphoto", "file_unique_id": "AQADphoto", "width": 90, "height": 90}]
        return self.call(lambda: self._user_message(chat, user, {"photo": photo}, None))

    def send_voice(self, chat: FakeChat, user: FakeUser) -> dict[str, Any]:
        voice = {"file_id": "AwACAgvoice", "file_unique_id": "AgADvoice", "duration": 3}
        return self.call(lambda: self._user_message(chat, user, {"voice": voice}, None))

    def press_button(self, message: BotMessage, data: str, user: FakeUser) -> str:
        """A user presses an inline button with ``data`` under the bot's ``message``; returns the query id."""

        def press() -> str:
            query_id = f"cbq{next(self._query_ids)}"
            self._open_callback_queries.add(query_id)
            stored = self._messages[(message.chat_id, message.message_id)]
            self._enqueue(
                {
                    "callback_query": {
                        "id": query_id,
                        "from": user.to_json(),
                        "message": stored,
                        "chat_instance": f"ci{message.chat_id}",
                        "data": data,
                    }
                }
            )
            return query_id

        return self.call(press)

    def inline_query(self, user: FakeUser, query: str, *, chat_type: str = "private") -> str:
        """A user types ``@bot query`` in some chat; returns the inline query id."""

        def ask() -> str:
            query_id = f"iq{next(self._query_ids)}"
            self._open_inline_queries.add(query_id)
            self._enqueue(
                {
                    "inline_query": {
                        "id": query_id,
                        "from": user.to_json(),
                        "query": query,
                        "offset": "",
                        "chat_type": chat_type,
                    }
                }
            )
            return query_id

        return self.call(ask)

    # ------------------------------------------------------------ faults

    def inject(self, fault: Fault) -> None:
        self.call(lambda: self._faults.append(fault))

    def fail_next(
        self, method: str | None, status: int, *, count: int = 1, retry_after: int | None = None
    ) -> None:
        self.inject(Fault(method, status, count=count, retry_after=retry_after))

    def drop_next_poll(self, count: int = 1) -> None:
        """Close the next getUpdates connection(s) without an answer, once updates are waiting."""
        self.inject(Fault("getUpdates", 0, count=count, drop=True))

    def pending_faults(self) -> int:
        return self.call(lambda: sum(fault.count for fault in self._faults))

    def competing_poll(self) -> None:
        """Make the bot's outstanding getUpdates fail with 409, as a second instance would."""

        def compete() -> None:
            if self._poll is not None:
                self._poll.conflicted = True
                self._poll.wake.set()

        self.call(compete)

    # ---------------------------------------------------------- observation

    def sent(self, chat_id: int | None = None) -> list[BotMessage]:
        return self.call(lambda: [m for m in self.bot_messages if chat_id is None or m.chat_id == chat_id])

    def replies_to(self, chat_id: int, message_id: int) -> list[BotMessage]:
        return self.call(
            lambda: [
                m for m in self.bot_messages if m.chat_id == chat_id and m.reply_to_message_id == message_id
            ]
        )

    def calls(self, method: str) -> list[RequestRecord]:
        return self.call(lambda: [r for r in self.requests if r.method == method])

    def is_polling(self) -> bool:
        """True while a getUpdates long poll is waiting on the server."""
        return self.call(lambda: self._poll is not None)

    def pending_updates(self) -> int:
        return self.call(lambda: len(self._updates))

    async def wait_until(self, predicate: Callable[[], bool], *, timeout: float = 10.0) -> None:
        """Wait on the caller's loop (letting a bot on that loop run) until ``predicate`` holds."""
        deadline = time.monotonic() + timeout
        while not self.call(predicate):
            if time.monotonic() > deadline:
                raise TimeoutError("condition not met in time")
            await asyncio.sleep(0.01)

    def wait_until_sync(self, predicate: Callable[[], bool], *, timeout: float = 10.0) -> None:
        """Blocking variant for a bot that runs in another process; wakes on the bot's requests."""
        deadline = time.monotonic() + timeout
        while True:
            with self._activity:
                seen = self._activity_count
            # The predicate runs on the server loop: never while holding the lock it notifies under.
            if self.call(predicate):
                return
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError("condition not met in time")
            with self._activity:
                if self._activity_count == seen:
                    self._activity.wait(min(remaining, 0.05))

    # ------------------------------------------------------- state helpers

    def _bot_user(self) -> dict[str, Any]:
        return {"id": self.bot_id, "is_bot": True, "first_name": "أخبار", "username": self.username}

    def _next_message_id(self, chat_id: int) -> int:
        return next(self._message_ids.setdefault(chat_id, itertools.count(1)))

    def _user_message(
        self, chat: FakeChat, user: FakeUser, content: dict[str, Any], reply_to: int | None
    ) -> dict[str, Any]:
        self._chats[chat.id] = chat
        message: dict[str, Any] = {
            "message_id": self._next_message_id(chat.id),
            "from": user.to_json(),
            "chat": chat.to_json(user),
            "date": int(time.time()),
            **content,
        }
        text = content.get("text", "")
        if text.startswith("/"):
            command = text.split()[0]
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": utf16_length(command)}]
        if reply_to is not None:
            message["reply_to_message"] = self._stored(chat.id, reply_to)
        self._messages[(chat.id, message["message_id"])] = message
        self.message_created_at[(chat.id, message["message_id"])] = time.perf_counter()
        if self._delivered(chat, message):
            self._enqueue({"message": message})
        return message

    def _stored(self, chat_id: int, message_id: int) -> dict[str, Any]:
        stored = self._messages.get((chat_id, message_id))
        if stored is None:
            raise KeyError(f"no message {message_id} in chat {chat_id}")
        # Telegram nests the replied-to message one level deep only.
        return {key: value for key, value in stored.items() if key != "reply_to_message"}

    def _delivered(self, chat: FakeChat, message: dict[str, Any]) -> bool:
        """Privacy mode: in groups a bot only sees commands and replies to its own messages."""
        if chat.type == "private" or not self.privacy_mode:
            return True
        text = message.get("text", "")
        if text.startswith("/"):
            command = text.split()[0]
            return "@" not in command or command.split("@", 1)[1].lower() == self.username.lower()
        replied = message.get("reply_to_message")
        return bool(replied and replied.get("from", {}).get("id") == self.bot_id)

    def _enqueue(self, body: dict[str, Any]) -> None:
        update = {"update_id": next(self._update_ids), **body}
        self.update_created_at[update["update_id"]] = time.perf_counter()
        self._updates.append(update)
        assert self._new_update is not None
        self._new_update.set()

    # ------------------------------------------------------------ HTTP layer

    async def _serve_connection(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._writers.add(writer)
        try:
            while True:
                request = await _read_request(reader)
                if request is None:
                    break
                verb, target, headers, body = request
                status, payload, content_type = await self._respond(verb, target, headers, body)
                if status == 0:  # dropped: no answer at all
                    transport = writer.transport
                    transport.abort()
                    break
                head = (
                    f"HTTP/1.1 {status} {_REASONS.get(status, 'Error')}\r\n"
                    f"Server: nginx/1.18.0\r\nContent-Type: {content_type}\r\n"
                    f"Content-Length: {len(payload)}\r\nConnection: keep-alive\r\n\r\n"
                )
                writer.write(head.encode("ascii") + payload)
                await writer.drain()
                if headers.get("connection", "").lower() == "close":
                    break
        except (ConnectionError, asyncio.IncompleteReadError, asyncio.LimitOverrunError):
            pass
        finally:
            self._writers.discard(writer)
            writer.close()

    async def _respond(
        self, verb: str, target: str, headers: dict[str, str], body: bytes
    ) -> tuple[int, bytes, str]:
        parts = urlsplit(target)
        segments = parts.path.strip("/").split("/")
        if len(segments) != 2 or not segments[0].startswith("bot"):
            return _error(ApiError(404, "Not Found"))
        token, method = segments[0][3:], segments[1]
        if token != self.token:
            return _error(ApiError(401, "Unauthorized"))
        try:
            params = _parameters(parts.query, headers.get("content-type", ""), body)
        except ValueError as exc:
            return _error(bad_request(str(exc)))
        fault = self._take_fault(method)
        if fault is not None:
            if fault.drop:
                # The request reached the server (its offset confirms updates); the answer is lost.
                self._confirm(_int(params.get("offset"), 0))
                await self._wait_for_updates(timeout=float(params.get("timeout") or 0))
                self._record(method, params, 0)
                return 0, b"", ""
            self._record(method, params, fault.status)
            if fault.status == 429:
                retry = fault.retry_after or 1
                return _error(
                    ApiError(429, f"Too Many Requests: retry after {retry}", {"retry_after": retry})
                )
            if fault.json_body or fault.status < 500:
                return _error(ApiError(fault.status, _REASONS.get(fault.status, "Error")))
            return fault.status, _NGINX_502, "text/html"
        handler = getattr(self, f"_api_{method.lower()}", None)
        if handler is None:
            self._record(method, params, 404)
            return _error(ApiError(404, "Not Found"))
        try:
            result = await handler(params)
        except ApiError as exc:
            self._record(method, params, exc.code)
            return _error(exc)
        self._record(method, params, 200)
        return (
            200,
            json.dumps({"ok": True, "result": result}, ensure_ascii=False).encode(),
            "application/json",
        )

    def _take_fault(self, method: str) -> Fault | None:
        for fault in self._faults:
            if fault.method is None or fault.method.lower() == method.lower():
                fault.count -= 1
                if fault.count <= 0:
                    self._faults.remove(fault)
                return fault
        return None

    def _record(self, method: str, params: dict[str, Any], status: int) -> None:
        self.requests.append(RequestRecord(method, params, status, time.perf_counter()))
        with self._activity:
            self._activity_count += 1
            self._activity.notify_all()

    # ------------------------------------------------------------ methods

    async def _api_getme(self, params: dict[str, Any]) -> dict[str, Any]:
        return {
            **self._bot_user(),
            "can_join_groups": True,
            "can_read_all_group_messages": not self.privacy_mode,
            "supports_inline_queries": True,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    async def _api_logout(self, params: dict[str, Any]) -> bool:
        return True

    async def _api_close(self, params: dict[str, Any]) -> bool:
        return True

    async def _api_deletewebhook(self, params: dict[str, Any]) -> bool:
        self.webhook_url = ""
        if _bool(params.get("drop_pending_updates")):
            self._updates.clear()
        return True

    async def _api_getwebhookinfo(self, params: dict[str, Any]) -> dict[str, Any]:
        return {
            "url": self.webhook_url,
            "has_custom_certificate": False,
            "pending_update_count": len(self._updates),
        }

    async def _api_getupdates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        if self.webhook_url:
            raise ApiError(
                409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook"
            )
        offset = _int(params.get("offset"), 0)
        limit = min(max(_int(params.get("limit"), 100), 1), 100)
        timeout = max(float(params.get("timeout") or 0), 0.0)
        allowed = params.get("allowed_updates") or None
        self._confirm(offset)
        if self._poll is not None:
            # Telegram lets one getUpdates run per token: the older one loses.
            self._poll.conflicted = True
            self._poll.wake.set()
        poll = _Poll()
        self._poll = poll
        try:
            ready = self._selected(allowed)
            if not ready and timeout > 0:
                await self._wait_for_updates(timeout=timeout, poll=poll)
                ready = self._selected(allowed)
            if poll.conflicted:
                raise ApiError(
                    409,
                    "Conflict: terminated by other getUpdates request; "
                    "make sure that only one bot instance is running",
                )
            return ready[:limit]
        finally:
            if self._poll is poll:
                self._poll = None

    def _confirm(self, offset: int) -> None:
        """Updates below a positive offset are confirmed and gone for good; -N keeps the last N."""
        if offset > 0:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
        elif offset < 0:
            self._updates = self._updates[offset:]

    def _selected(self, allowed: list[str] | None) -> list[dict[str, Any]]:
        if not allowed:
            return list(self._updates)
        return [u for u in self._updates if any(kind in u for kind in allowed)]

    async def _wait_for_updates(self, *, timeout: float, poll: _Poll | None = None) -> None:
        assert self._new_update is not None
        deadline = time.monotonic() + timeout
        while (
            not self._updates
            and not (poll and poll.conflicted)
            and self._server
            and self._server.is_serving()
        ):
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return
            self._new_update.clear()
            waiters = [asyncio.ensure_future(self._new_update.wait())]
            if poll is not None:
                waiters.append(asyncio.ensure_future(poll.wake.wait()))
            _done, pending = await asyncio.wait(
                waiters, timeout=remaining, return_when=asyncio.FIRST_COMPLETED
            )
            for task in pending:
                task.cancel()

    async def _api_sendmessage(self, params: dict[str, Any]) -> dict[str, Any]:
        chat = self._chat(params)
        html_text, text, entities = _message_text(params)
        reply_to = self._reply_target(chat.id, params)
        markup = _reply_markup(params.get("reply_markup"))
        message: dict[str, Any] = {
            "message_id": self._next_message_id(chat.id),
            "from": self._bot_user(),
            "chat": chat.to_json(),
            "date": int(time.time()),
            "text": text,
        }
        if entities:
            message["entities"] = entities
        if reply_to is not None:
            message["reply_to_message"] = self._stored(chat.id, reply_to)
        if markup:
            message["reply_markup"] = markup
        self._messages[(chat.id, message["message_id"])] = message
        self.bot_messages.append(
            BotMessage(
                chat_id=chat.id,
                message_id=message["message_id"],
                html=html_text,
                text=text,
                entities=entities,
                reply_to_message_id=reply_to,
                reply_markup=markup,
                sent_at=time.perf_counter(),
            )
        )
        return message

    async def _api_editmessagetext(self, params: dict[str, Any]) -> dict[str, Any] | bool:
        html_text, text, entities = _message_text(params)
        markup = _reply_markup(params.get("reply_markup"))
        if params.get("inline_message_id"):
            return True
        chat = self._chat(params)
        key = (chat.id, _int(params.get("message_id"), 0))
        stored = self._messages.get(key)
        if stored is None:
            raise bad_request("message to edit not found")
        if stored["from"]["id"] != self.bot_id:
            raise bad_request("message can't be edited")
        if (
            stored.get("text") == text
            and stored.get("entities", []) == entities
            and stored.get("reply_markup") == markup
        ):
            raise bad_request(
                "message is not modified: specified new message content and reply markup are exactly "
                "the same as a current content and reply markup of the message"
            )
        stored.update(text=text, edit_date=int(time.time()))
        stored.pop("entities", None)
        stored.pop("reply_markup", None)
        if entities:
            stored["entities"] = entities
        if markup:
            stored["reply_markup"] = markup
        for record in self.bot_messages:
            if (record.chat_id, record.message_id) == key:
                record.edits.append(html_text)
                record.html, record.text, record.entities, record.reply_markup = (
                    html_text,
                    text,
                    entities,
                    markup,
                )
        return stored

    async def _api_sendchataction(self, params: dict[str, Any]) -> bool:
        chat = self._chat(params)
        action = params.get("action")
        if action not in CHAT_ACTIONS:
            raise bad_request("wrong parameter action in request")
        self.chat_actions.append((chat.id, action))
        return True

    async def _api_setmycommands(self, params: dict[str, Any]) -> bool:
        commands = params.get("commands")
        if not isinstance(commands, list) or len(commands) > 100:
            raise bad_request('parameter "commands" must be an array of at most 100 BotCommand')
        for command in commands:
            name = str(command.get("command", ""))
            if not (1 <= len(name) <= 32) or not all(c.isascii() and (c.isalnum() or c == "_") for c in name):
                raise bad_request("BOT_COMMAND_INVALID")
            if name != name.lower():
                raise bad_request("BOT_COMMAND_INVALID")
            if not (1 <= len(str(command.get("description", ""))) <= 256):
                raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
        self.commands = commands
        return True

    async def _api_getmycommands(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        return self.commands

    async def _api_answercallbackquery(self, params: dict[str, Any]) -> bool:
        query_id = str(params.get("callback_query_id", ""))
        if query_id not in self._open_callback_queries:
            raise bad_request("query is too old and response timeout expired or query ID is invalid")
        if len(str(params.get("text") or "")) > 200:
            raise bad_request("MESSAGE_TOO_LONG")
        self._open_callback_queries.discard(query_id)
        self.callback_answers.append(params)
        return True

    async def _api_answerinlinequery(self, params: dict[str, Any]) -> bool:
        query_id = str(params.get("inline_query_id", ""))
        if query_id not in self._open_inline_queries:
            raise bad_request("query is too old and response timeout expired or query ID is invalid")
        results = params.get("results")
        if not isinstance(results, list) or len(results) > 50:
            raise bad_request("RESULTS_TOO_MUCH")
        ids = [str(result.get("id", "")) for result in results]
        if len(set(ids)) != len(ids):
            raise bad_request("RESULT_ID_DUPLICATE")
        for result in results:
            if not (1 <= len(str(result.get("id", "")).encode()) <= 64):
                raise bad_request("RESULT_ID_INVALID")
            if result.get("type") == "article":
                if not result.get("title"):
                    raise bad_request("RESULT_TITLE_EMPTY")
                content = result.get("input_message_content") or {}
                _message_text({"text": content.get("message_text"), "parse_mode": content.get("parse_mode")})
            _reply_markup(result.get("reply_markup"))
        self._open_inline_queries.discard(query_id)
        self.inline_answers.append({"inline_query_id": query_id, "results": results, **params})
        return True

    def _chat(self, params: dict[str, Any]) -> FakeChat:
        chat_id = _int(params.get("chat_id"), 0)
        chat = self._chats.get(chat_id)
        if chat is None:
            raise bad_request("chat not found")
        return chat

    def _reply_target(self, chat_id: int, params: dict[str, Any]) -> int | None:
        reply = params.get("reply_parameters")
        if isinstance(reply, dict):
            message_id = _int(reply.get("message_id"), 0)
            allow = _bool(reply.get("allow_sending_without_reply"))
        elif params.get("reply_to_message_id") is not None:
            message_id = _int(params.get("reply_to_message_id"), 0)
            allow = _bool(params.get("allow_sending_without_reply"))
        else:
            return None
        if (chat_id, message_id) in self._messages:
            return message_id
        if allow:
            return None
        raise bad_request("message to be replied not found")


# ----------------------------------------------------------------- helpers


def _error(error: ApiError) -> tuple[int, bytes, str]:
    body: dict[str, Any] = {"ok": False, "error_code": error.code, "description": error.description}
    if error.parameters:
        body["parameters"] = error.parameters
    return error.code, json.dumps(body, ensure_ascii=False).encode(), "application/json"


def _int(value: Any, default: int) -> int:
    if value is None or value == "":
        return default
    try:
        return int(value)
    except (TypeError, ValueError):
        raise bad_request(f"invalid integer value {value!r}") from None


def _bool(value: Any) -> bool:
    return value is True or (isinstance(value, str) and value.lower() in ("true", "1"))


def _message_text(params: dict[str, Any]) -> tuple[str, str, list[dict[str, Any]]]:
    """Validate the text of a message as Telegram does; return (html, plain text, entities)."""
    raw = params.get("text")
    if raw is None or raw == "":
        raise bad_request("message text is empty")
    raw = str(raw)
    mode = (params.get("parse_mode") or "").lower()
    if mode == "html":
        try:
            text, entities = parse_html(raw)
        except HtmlParseError as exc:
            raise bad_request(f"can't parse entities: {exc}") from None
    elif mode == "":
        text, entities = raw, list(params.get("entities") or [])
    else:
        raise bad_request(f"unsupported parse_mode {mode!r} in this stand-in")
    if not text.strip():
        raise bad_request("message text is empty")
    if utf16_length(text) > MAX_TEXT:
        raise bad_request("message is too long")
    return raw, text, entities


def _reply_markup(markup: Any) -> dict[str, Any] | None:
    if not markup:
        return None
    if not isinstance(markup, dict):
        raise bad_request("can't parse reply keyboard markup JSON object")
    for row in markup.get("inline_keyboard", []):
        for button in row:
            if not button.get("text"):
                raise bad_request("BUTTON_TEXT_EMPTY")
            data = button.get("callback_data")
            if data is not None and not (1 <= len(str(data).encode()) <= MAX_CALLBACK_DATA):
                raise bad_request("BUTTON_DATA_INVALID")
    return markup


def _parameters(query: str, content_type: str, body: bytes) -> dict[str, Any]:
    """Parameters from the query string and the body, JSON-typed fields decoded."""
    params: dict[str, Any] = {key: values[-1] for key, values in parse_qs(query).items()}
    kind = content_type.split(";")[0].strip().lower()
    if body and kind == "application/json":
        decoded = json.loads(body)
        if not isinstance(decoded, dict):
            raise ValueError("expected a JSON object")
        params.update(decoded)
    elif body and kind == "application/x-www-form-urlencoded":
        params.update(
            {key: values[-1] for key, values in parse_qs(body.decode(), keep_blank_values=True).items()}
        )
    elif body and kind == "multipart/form-data":
        message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
            f"Content-Type: {content_type}\r\n\r\n".encode() + body
        )
        for part in message.iter_parts():
            name = part.get_param("name", header="content-disposition")
            if name and not part.get_filename():
                params[str(name)] = part.get_content()
    for key in _JSON_PARAMS & params.keys():
        if isinstance(params[key], str):
            try:
                params[key] = json.loads(params[key])
            except json.JSONDecodeError:
                raise ValueError(f"can't parse {key} JSON object") from None
    return params


async def _read_request(reader: asyncio.StreamReader) -> tuple[str, str, dict[str, str], bytes] | None:
    line = await reader.readline()
    if not line.strip():
        return None
    verb, target, _version = line.decode("latin-1").split(" ", 2)
    headers: dict[str, str] = {}
    while True:
        header = await reader.readline()
        if header in (b"\r\n", b"\n", b""):
            break
        name, _, value = header.decode("latin-1").partition(":")
        headers[name.strip().lower()] = value.strip()
    if headers.get("transfer-encoding", "").lower() == "chunked":
        chunks = []
        while True:
            size = int((await reader.readline()).split(b";")[0], 16)
            if size == 0:
                await reader.readline()
                break
            chunks.append(await reader.readexactly(size))
            await reader.readline()
        body = b"".join(chunks)
    else:
        body = await reader.readexactly(int(headers.get("content-length", "0")))
    return verb, target, headers, body
