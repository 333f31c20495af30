"""A local stand-in for the Telegram Bot API, speaking its wire protocol on 127.0.0.1.

The real python-telegram-bot ``Application`` (in-process or ``python -m bot``) polls it as it
would poll api.telegram.org: set the bot's base URL to ``FakeBotApi.base_url``. Three modules:

* ``bot_api_http``: HTTP/1.1 plumbing, parameter decoding, the Bot API's reply and error shapes;
* ``bot_api_state``: the simulated Telegram (chats, messages, updates, the bot's methods with
  Telegram's validation and error texts; ``telegram_html`` parses HTML parse mode);
* this module: ``FakeBotApi``, which runs both on a thread of its own and is what tests use.

The test plays the users and the network. Users: ``send_text``, ``send_photo``/``send_document``
with captions, ``edit_text`` (an ``edited_message`` update), replies (``reply_to=``), group chats
with several users, ``press_button``, ``inline_query`` with an ``offset``, ``block_bot``. The
network: ``fail_next`` (429 with retry_after, 5xx, any 4xx with Telegram's description, per method
and optionally per chat), ``drop_next_poll``, ``drop_after`` (the call takes effect, then the
connection closes without an answer), ``delay_next`` (the call takes effect, the answer comes after
the client's read timeout), ``competing_poll`` (409), ``expire_queries``/``query_timeout``.
Everything the bot did is recorded: ``sent``, ``calls``, each message's ``versions`` (edits in
place), and ``mark()`` with ``sent_since``/``edited_since``/``sent_count`` for "since then" checks.

Test-side methods are thread-safe (they run on the server's loop) and never sleep blindly:
``wait_until`` (async, for a bot on the test's loop), ``wait_until_sync`` (a bot in another
process), ``wait_for_messages`` and ``wait_for_edit`` poll a condition until a deadline.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any, TypeVar
from urllib.parse import urlsplit

from tests.e2e.bot_api_http import (
    NGINX_502,
    REASONS,
    ApiError,
    HttpServer,
    Reply,
    Request,
    bad_request,
    parse_parameters,
)
from tests.e2e.bot_api_state import (
    BLOCKED_BY_USER,
    MAX_TEXT,
    MESSAGE_NOT_MODIFIED,
    QUERY_TOO_OLD,
    BotMessage,
    FakeChat,
    FakeUser,
    MessageVersion,
    TelegramState,
)

__all__ = [
    "BLOCKED_BY_USER",
    "MAX_TEXT",
    "MESSAGE_NOT_MODIFIED",
    "QUERY_TOO_OLD",
    "ApiError",
    "BotMessage",
    "FakeBotApi",
    "FakeChat",
    "FakeUser",
    "Fault",
    "MessageVersion",
    "RequestRecord",
]

T = TypeVar("T")
MessageRef = int | BotMessage | dict[str, Any]  # a message id, a bot message, or a user message object
PHOTO = [
    {
        "file_id": "AgACAgphoto-s",
        "file_unique_id": "AQADphoto-s",
        "width": 90,
        "height": 90,
        "file_size": 1254,
    },
    {
        "file_id": "AgACAgphoto-m",
        "file_unique_id": "AQADphoto-m",
        "width": 320,
        "height": 320,
        "file_size": 18203,
    },
]


@dataclass
class Fault:
    """An injected failure for the next ``count`` calls of ``method`` (None: any method).

    By default the call does not take effect: the answer is ``status`` (429 carries ``retry_after``;
    5xx is nginx's HTML page unless ``json_body``; other codes carry ``description`` or the HTTP
    reason), or with ``drop`` the connection closes without one (a dropped getUpdates first waits
    like a long poll, so the updates it would have carried stay unconfirmed). With ``executed``
    (implied by ``delay``) the call takes effect first, then the connection is dropped or the real
    answer is held for ``delay`` seconds. ``chat_id`` limits the fault to calls for that chat.
    """

    method: str | None
    status: int = 0
    count: int = 1
    retry_after: int | None = None
    drop: bool = False
    json_body: bool = False
    description: str | None = None
    chat_id: int | None = None
    executed: bool = False
    delay: float = 0.0

    def __post_init__(self) -> None:
        if not (self.status or self.drop or self.after_effect):
            raise ValueError("a fault needs an error status, drop=True, executed=True or a delay")

    def matches(self, method: str, params: dict[str, Any]) -> bool:
        if self.method is not None and self.method.lower() != method.lower():
            return False
        return self.chat_id is None or str(params.get("chat_id")) == str(self.chat_id)

    @property
    def after_effect(self) -> bool:
        return self.executed or self.delay > 0

    def reply(self) -> Reply:
        if self.status == 429:
            retry = self.retry_after or 1
            return Reply.error(
                ApiError(429, f"Too Many Requests: retry after {retry}", {"retry_after": retry})
            )
        if self.json_body or self.status < 500:
            return Reply.error(ApiError(self.status, self.description or REASONS.get(self.status, "Error")))
        return Reply(self.status, NGINX_502, "text/html")


@dataclass(frozen=True)
class RequestRecord:
    """One Bot API call as the stand-in saw it.

    ``status`` is what the client was answered (0: nothing, the connection was dropped);
    ``executed`` says whether the call took effect (a message sent, a query answered...), which a
    dropped or delayed answer hides from the client; ``delay`` is how long the answer was held.
    """

    method: str
    params: dict[str, Any]
    status: int
    at: float  # time.perf_counter() when the call was handled
    seq: int = 0  # event order, comparable with ``FakeBotApi.mark()``
    executed: bool = False
    delay: float = 0.0

    @property
    def chat_id(self) -> int | None:
        value = self.params.get("chat_id")
        return int(value) if value is not None and str(value).lstrip("-").isdigit() else None


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
        self._http: HttpServer | None = None
        self._state: TelegramState | None = None
        self._faults: list[Fault] = []
        self.requests: list[RequestRecord] = []
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
        self._state = TelegramState(
            bot_id=self.bot_id, username=self.username, privacy_mode=self.privacy_mode
        )
        self._http = HttpServer(self._dispatch)
        loop.run_until_complete(self._http.start())
        self.port = self._http.port
        ready.set()
        loop.run_forever()
        # Connections still open (a client that never closed) end here, not as "Task destroyed".
        pending = asyncio.all_tasks(loop)
        for task in pending:
            task.cancel()
        loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
        loop.close()

    async def _shutdown(self) -> None:
        assert self._state is not None and self._http is not None
        self._state.stop()
        await self._http.close()

    def call(self, function: Callable[[], T]) -> T:
        """Run ``function`` on the server loop and return its result (thread-safe state access)."""
        assert self._loop is not None, "stand-in not started"
        if threading.current_thread() is self._thread:
            return function()
        future: concurrent.futures.Future[T] = concurrent.futures.Future()

        def run() -> None:
            try:
                future.set_result(function())
            except BaseException as error:  # handed to the caller's thread
                future.set_exception(error)

        self._loop.call_soon_threadsafe(run)
        return future.result(10)

    @property
    def state(self) -> TelegramState:
        """The simulated Telegram; touch it only through ``call`` from another thread."""
        assert self._state is not None, "stand-in not started"
        return self._state

    # ------------------------------------------------------- simulated users

    def send_text(
        self, chat: FakeChat, user: FakeUser, text: str, *, reply_to: MessageRef | None = None
    ) -> dict[str, Any]:
        """``user`` writes ``text`` in ``chat`` (replying to ``reply_to``); returns the message object."""
        return self._send(chat, user, {"text": text}, reply_to)

    def send_photo(
        self,
        chat: FakeChat,
        user: FakeUser,
        *,
        caption: str | None = None,
        reply_to: MessageRef | None = None,
    ) -> dict[str, Any]:
        """A photo, with ``caption`` if given (Telegram puts it in ``caption``/``caption_entities``)."""
        content: dict[str, Any] = {"photo": PHOTO}
        if caption is not None:
            content["caption"] = caption
        return self._send(chat, user, content, reply_to)

    def send_document(
        self,
        chat: FakeChat,
        user: FakeUser,
        *,
        caption: str | None = None,
        file_name: str = "تقرير.pdf",
        mime_type: str = "application/pdf",
        reply_to: MessageRef | None = None,
    ) -> dict[str, Any]:
        document = {
            "file_id": "BQACAgdocument",
            "file_unique_id": "AgADdocument",
            "file_name": file_name,
            "mime_type": mime_type,
            "file_size": 48213,
        }
        content: dict[str, Any] = {"document": document}
        if caption is not None:
            content["caption"] = caption
        return self._send(chat, user, content, reply_to)

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
        return self._send(chat, user, {"sticker": sticker}, None)

    def send_voice(self, chat: FakeChat, user: FakeUser) -> dict[str, Any]:
        voice = {"file_id": "AwACAgvoice", "file_unique_id": "AgADvoice", "duration": 3}
        return self._send(chat, user, {"voice": voice}, None)

    def edit_text(self, message: dict[str, Any], new_text: str) -> dict[str, Any]:
        """The author edits ``message`` (as a ``send_*`` returned it): its text, or its caption.

        Makes an ``edited_message`` update, delivered only if the bot's ``allowed_updates`` has
        "edited_message" (or was never set) and, in a group with privacy mode, the new version is
        a command or a reply to the bot. Returns the edited message object.
        """
        chat_id, message_id = message["chat"]["id"], message["message_id"]
        return self.call(lambda: self.state.edit_user_message(chat_id, message_id, new_text))

    def press_button(self, message: BotMessage, data: str, user: FakeUser) -> str:
        """A user presses an inline button with ``data`` under the bot's ``message``; returns the query id.

        Each press is a new callback_query with its own id (two quick presses: two updates).
        The data is not checked against the keyboard, so stale or forged data can be tested.
        """
        return self.call(lambda: self.state.press_button(message.chat_id, message.message_id, data, user))

    def inline_query(
        self, user: FakeUser, query: str, *, chat_type: str = "private", offset: str = ""
    ) -> str:
        """A user types ``@bot query`` (``offset``: the ``next_offset`` of the previous page); returns its id."""
        return self.call(lambda: self.state.inline_query(user, query, offset=offset, chat_type=chat_type))

    def add_chat(self, chat: FakeChat, user: FakeUser | None = None) -> None:
        """Make ``chat`` known to the bot without an update, as if its user wrote before (e.g. a follower
        restored from the bot's store): sendMessage to an unknown chat is "chat not found"."""
        self.call(lambda: self.state.add_chat(chat, user))

    def block_bot(self, chat: FakeChat, user: FakeUser | None = None) -> None:
        """The user blocks the bot (a group removes it): every call for the chat gets 403 until unblocked.

        Telegram also sends a ``my_chat_member`` update (new status "kicked"), delivered if the bot
        asks for it. Users may still write in the chat: the block is on the bot's side only.
        """
        self.call(lambda: self.state.block(chat, user))

    def unblock_bot(self, chat: FakeChat) -> None:
        self.call(lambda: self.state.unblock(chat.id))

    def _send(
        self, chat: FakeChat, user: FakeUser, content: dict[str, Any], reply_to: MessageRef | None
    ) -> dict[str, Any]:
        reply_id = None if reply_to is None else _message_id(reply_to)
        return self.call(lambda: self.state.user_message(chat, user, content, reply_id))

    # ------------------------------------------------------------ faults

    def inject(self, fault: Fault) -> None:
        self.call(lambda: self._faults.append(fault))

    def fail_next(
        self,
        method: str | None,
        status: int,
        *,
        count: int = 1,
        retry_after: int | None = None,
        description: str | None = None,
        chat_id: int | None = None,
    ) -> None:
        """Answer the next ``count`` calls with ``status`` without acting on them.

        ``description`` is the full Telegram text for 4xx, e.g. ``QUERY_TOO_OLD`` or
        ``MESSAGE_NOT_MODIFIED`` from this module.
        """
        self.inject(
            Fault(
                method, status, count=count, retry_after=retry_after, description=description, chat_id=chat_id
            )
        )

    def drop_next_poll(self, count: int = 1) -> None:
        """Close the next getUpdates connection(s) without an answer, once updates are waiting."""
        self.inject(Fault("getUpdates", 0, count=count, drop=True))

    def drop_after(self, method: str, *, count: int = 1, chat_id: int | None = None) -> None:
        """The next call(s) take effect (the message is delivered), then the connection closes unanswered."""
        self.inject(Fault(method, 0, count=count, drop=True, executed=True, chat_id=chat_id))

    def delay_next(self, method: str, seconds: float, *, count: int = 1, chat_id: int | None = None) -> None:
        """The next call(s) take effect at once, but their answer is held ``seconds`` (past a read timeout).

        A client that times out and closes the connection meanwhile just gets no answer.
        """
        self.inject(Fault(method, 0, count=count, delay=seconds, chat_id=chat_id))

    def pending_faults(self) -> int:
        return self.call(lambda: sum(fault.count for fault in self._faults))

    def clear_faults(self) -> None:
        self.call(self._faults.clear)

    def competing_poll(self) -> None:
        """Make the bot's outstanding getUpdates fail with 409, as a second instance would."""
        self.call(lambda: self.state.compete())

    @property
    def query_timeout(self) -> float:
        """Seconds a callback or inline query stays answerable; later answers get ``QUERY_TOO_OLD``."""
        return self.call(lambda: self.state.query_timeout)

    @query_timeout.setter
    def query_timeout(self, seconds: float) -> None:
        def set_timeout() -> None:
            self.state.query_timeout = seconds

        self.call(set_timeout)

    def expire_queries(self) -> None:
        """Every callback and inline query asked so far becomes too old to answer."""
        self.call(lambda: self.state.expire_queries())

    # ---------------------------------------------------------- observation

    @property
    def bot_messages(self) -> list[BotMessage]:
        """Every message the bot sent, in order (the live list: read it on the server loop)."""
        return self.state.bot_messages

    @property
    def chat_actions(self) -> list[tuple[int, str]]:
        return self.state.chat_actions

    @property
    def callback_answers(self) -> list[dict[str, Any]]:
        """The parameters of each accepted answerCallbackQuery."""
        return self.state.callback_answers

    @property
    def inline_answers(self) -> list[dict[str, Any]]:
        """The parameters of each accepted answerInlineQuery; ``next_offset`` is always present."""
        return self.state.inline_answers

    @property
    def commands(self) -> list[dict[str, Any]]:
        return self.state.commands

    @property
    def update_created_at(self) -> dict[int, float]:
        return self.state.update_created_at

    @property
    def message_created_at(self) -> dict[tuple[int, int], float]:
        return self.state.message_created_at

    @property
    def webhook_url(self) -> str:
        return self.state.webhook_url

    def filtered_updates(self) -> list[dict[str, Any]]:
        """Updates Telegram did not queue because the bot's ``allowed_updates`` left their kind out."""
        return self.call(lambda: list(self.state.filtered_updates))

    def sent(self, chat_id: int | None = None) -> list[BotMessage]:
        return self.call(lambda: [m for m in self.bot_messages if chat_id is None or m.chat_id == chat_id])

    def replies_to(self, chat_id: int, message_id: int) -> list[BotMessage]:
        return self.call(
            lambda: [
                m for m in self.bot_messages if m.chat_id == chat_id and m.reply_to_message_id == message_id
            ]
        )

    def message(self, chat_id: int, message_id: int) -> BotMessage:
        """The bot's message ``message_id`` in ``chat_id``, as it is now (after edits)."""

        def find() -> BotMessage:
            for record in self.bot_messages:
                if (record.chat_id, record.message_id) == (chat_id, message_id):
                    return record
            raise LookupError(f"the bot sent no message {message_id} in chat {chat_id}")

        return self.call(find)

    def text_of(self, chat_id: int, message_id: int) -> str:
        """The current plain text of the bot's message, after every edit."""
        return self.message(chat_id, message_id).text

    def calls(
        self, method: str, *, chat_id: int | None = None, since: int | None = None
    ) -> list[RequestRecord]:
        """Every call of ``method`` (any status), optionally for one chat and after a ``mark()``."""
        return self.call(
            lambda: [
                r
                for r in self.requests
                if r.method.lower() == method.lower()
                and (chat_id is None or r.chat_id == chat_id)
                and (since is None or r.seq > since)
            ]
        )

    def mark(self) -> int:
        """A point in the stand-in's event order: pass it as ``since`` to see only what came after."""
        return self.call(lambda: self.state.next_seq())

    def sent_since(self, mark: int, chat_id: int | None = None) -> list[BotMessage]:
        """Messages the bot sent after ``mark`` (to ``chat_id`` if given), in order."""
        return self.call(
            lambda: [
                m
                for m in self.bot_messages
                if m.versions[0].seq > mark and (chat_id is None or m.chat_id == chat_id)
            ]
        )

    def edited_since(self, mark: int, chat_id: int | None = None) -> list[BotMessage]:
        """The bot's messages (sent at any time) that it edited after ``mark``."""
        return self.call(
            lambda: [
                m
                for m in self.bot_messages
                if any(v.seq > mark for v in m.versions[1:]) and (chat_id is None or m.chat_id == chat_id)
            ]
        )

    def sent_count(self, chat_id: int, *, since: int | None = None) -> int:
        """How many messages the bot sent to ``chat_id`` (successful sendMessage calls)."""
        return len(self.sent_since(0 if since is None else since, chat_id))

    def inline_answer(self, query_id: str) -> dict[str, Any] | None:
        """The accepted answer to inline query ``query_id``, or None."""
        return self.call(
            lambda: next((a for a in self.inline_answers if a["inline_query_id"] == query_id), None)
        )

    def callback_answer(self, query_id: str) -> dict[str, Any] | None:
        """The accepted answer to callback query ``query_id``, or None."""
        return self.call(
            lambda: next((a for a in self.callback_answers if str(a["callback_query_id"]) == query_id), None)
        )

    def is_polling(self) -> bool:
        """True while a getUpdates long poll is waiting on the server."""
        return self.call(lambda: self.state.is_polling())

    def pending_updates(self) -> int:
        return self.call(lambda: self.state.pending_updates())

    async def wait_until(self, predicate: Callable[[], object], *, timeout: float = 10.0) -> None:
        """Wait on the caller's loop (letting a bot on that loop run) until ``predicate`` holds.

        Any truthy result counts, so a predicate may return what it looked for (a list, a message).
        """
        deadline = time.monotonic() + timeout
        while not self.call(predicate):
            if time.monotonic() > deadline:
                raise TimeoutError("condition not met in time")
            await asyncio.sleep(0.01)

    async def wait_for_messages(
        self, chat_id: int, count: int = 1, *, since: int = 0, timeout: float = 10.0
    ) -> list[BotMessage]:
        """Wait until the bot sent at least ``count`` messages to ``chat_id`` after ``since``; return them all."""
        await self.wait_until(lambda: len(self.sent_since(since, chat_id)) >= count, timeout=timeout)
        return self.sent_since(since, chat_id)

    async def wait_for_edit(
        self, message: BotMessage, *, edits: int = 1, timeout: float = 10.0
    ) -> BotMessage:
        """Wait until ``message`` was edited at least ``edits`` times in all; return it."""
        await self.wait_until(lambda: len(message.versions) > edits, timeout=timeout)
        return message

    def wait_until_sync(self, predicate: Callable[[], object], *, timeout: float = 10.0) -> None:
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

    # ------------------------------------------------------------ dispatch

    async def _dispatch(self, request: Request) -> Reply:
        parts = urlsplit(request.target)
        segments = parts.path.strip("/").split("/")
        if len(segments) != 2 or not segments[0].startswith("bot"):
            return Reply.error(ApiError(404, "Not Found"))
        token, method = segments[0][3:], segments[1]
        if token != self.token:
            return Reply.error(ApiError(401, "Unauthorized"))
        try:
            params = parse_parameters(parts.query, request.headers.get("content-type", ""), request.body)
        except ValueError as error:
            return Reply.error(bad_request(str(error)))
        fault = self._take_fault(method, params)
        if fault is not None and not fault.after_effect:
            if fault.drop:
                if method.lower() == "getupdates":
                    # The request reached the server (its offset confirms updates); the answer is lost.
                    self.state.confirm(_offset(params))
                    await self.state.wait_for_updates(timeout=float(params.get("timeout") or 0))
                self._record(method, params, 0)
                return Reply.nothing()
            self._record(method, params, fault.status)
            return fault.reply()
        if not self.state.knows(method):
            self._record(method, params, 404)
            return Reply.error(ApiError(404, "Not Found"))
        try:
            reply = Reply.result(await self.state.handle(method, params))
        except ApiError as error:
            reply = Reply.error(error)
        executed = reply.status == 200
        if fault is None:
            self._record(method, params, reply.status, executed=executed)
            return reply
        if fault.drop:
            self._record(method, params, 0, executed=executed)
            return Reply.nothing()
        self._record(method, params, reply.status, executed=executed, delay=fault.delay)
        return replace(reply, delay=fault.delay)

    def _take_fault(self, method: str, params: dict[str, Any]) -> Fault | None:
        for fault in self._faults:
            if fault.matches(method, params):
                fault.count -= 1
                if fault.count <= 0:
                    self._faults.remove(fault)
                return fault
        return None

    def _record(
        self, method: str, params: dict[str, Any], status: int, *, executed: bool = False, delay: float = 0.0
    ) -> None:
        record = RequestRecord(
            method, params, status, time.perf_counter(), self.state.next_seq(), executed, delay
        )
        self.requests.append(record)
        with self._activity:
            self._activity_count += 1
            self._activity.notify_all()


def _message_id(reference: MessageRef) -> int:
    if isinstance(reference, BotMessage):
        return reference.message_id
    if isinstance(reference, dict):
        return int(reference["message_id"])
    return reference


def _offset(params: dict[str, Any]) -> int:
    try:
        return int(params.get("offset") or 0)
    except (TypeError, ValueError):
        return 0
