"""The simulated Telegram behind the Bot API stand-in: chats, messages, updates and the bot's methods.

Everything here runs on the stand-in's event loop (``FakeBotApi`` guarantees it), so nothing is
locked. Two sides meet in ``TelegramState``:

* users (driven by the test): ``user_message``, ``edit_user_message``, ``press_button``,
  ``inline_query``, ``block``; each makes the update Telegram would, or none (privacy mode in groups,
  update kinds the bot did not ask for in ``allowed_updates``);
* the bot (over HTTP): ``handle(method, params)`` runs ``api_<method>`` with Telegram's validation
  and error texts, and records what the bot did in ``bot_messages`` and friends.

Telegram behaviour reproduced on purpose: ``allowed_updates`` is remembered from the last
getUpdates that sent it and filters updates *created* afterwards (earlier ones are still
delivered); editing to identical content is "message is not modified"; a callback or inline query
is answerable once and only for ``query_timeout`` seconds; a chat that blocked the bot answers
every call with 403; an update carries a snapshot of the message, not a live reference.
"""

from __future__ import annotations

import asyncio
import copy
import itertools
import re
import time
from dataclasses import dataclass, field
from typing import Any

from tests.e2e.bot_api_http import ApiError, bad_request
from tests.e2e.telegram_html import HtmlParseError, parse_html, utf16_length

MAX_TEXT = 4096  # Telegram's limit on message text after entity parsing
MAX_CALLBACK_DATA = 64  # bytes
MAX_CALLBACK_ANSWER = 200  # characters of an answerCallbackQuery notification
MAX_INLINE_RESULTS = 50
MAX_INLINE_OFFSET = 64  # bytes of answerInlineQuery's next_offset
MAX_RESULT_ID = 64  # bytes
QUERY_TIMEOUT = 15.0  # seconds a callback or inline query stays answerable (Telegram: about 10-15)
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
# getUpdates without allowed_updates (or with []) delivers every kind except these.
NOT_DELIVERED_BY_DEFAULT = frozenset({"chat_member", "message_reaction", "message_reaction_count"})

_MENTION = re.compile(r"(?<![\w/@])@[A-Za-z][A-Za-z0-9_]{4,31}\b")

# Telegram's error descriptions, for tests that inject them or assert on them.
MESSAGE_NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup are exactly "
    "the same as a current content and reply markup of the message"
)
QUERY_TOO_OLD = "Bad Request: query is too old and response timeout expired or query ID is invalid"
BLOCKED_BY_USER = "Forbidden: bot was blocked by the user"
KICKED_FROM_GROUP = "Forbidden: bot was kicked from the group chat"
KICKED_FROM_SUPERGROUP = "Forbidden: bot was kicked from the supergroup chat"


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
    """A chat; a private chat's id is its user's id, groups have negative ids (supergroups -100…)."""

    id: int
    type: str = "private"  # private | group | supergroup
    title: str | None = None

    @classmethod
    def private(cls, user: FakeUser) -> FakeChat:
        return cls(user.id)

    def to_json(self, user: FakeUser | None = None) -> dict[str, Any]:
        if self.type == "private":
            data: dict[str, Any] = {"id": self.id, "type": "private", "first_name": "مستخدم"}
            if user is not None:
                data["first_name"] = user.first_name
                if user.username:
                    data["username"] = user.username
            return data
        return {"id": self.id, "type": self.type, "title": self.title or "مجموعة"}


@dataclass(frozen=True)
class MessageVersion:
    """One state of a bot message: as sent (the first version) or after an edit."""

    html: str
    text: str
    entities: list[dict[str, Any]]
    reply_markup: dict[str, Any] | None
    seq: int  # position in the stand-in's event order (compare with ``FakeBotApi.mark()``)
    at: float  # time.perf_counter()


@dataclass
class BotMessage:
    """A message the bot sent, as the stand-in stored it; ``html``/``text`` are the current version."""

    chat_id: int
    message_id: int
    html: str
    text: str
    entities: list[dict[str, Any]]
    reply_to_message_id: int | None
    reply_markup: dict[str, Any] | None
    sent_at: float
    edits: list[str] = field(default_factory=list)  # the HTML of each edit, oldest first
    versions: list[MessageVersion] = field(default_factory=list)  # as sent, then each edit
    deleted: bool = False

    @property
    def texts(self) -> list[str]:
        """The plain text of every version, as sent first: "edited in place" is ``len(texts) > 1``."""
        return [version.text for version in self.versions]

    @property
    def buttons(self) -> list[tuple[str, str]]:
        """(label, callback_data) of the current inline keyboard, row by row."""
        rows = (self.reply_markup or {}).get("inline_keyboard", [])
        return [(b["text"], str(b.get("callback_data", ""))) for row in rows for b in row]

    def button(self, label: str | None = None, *, data_prefix: str | None = None) -> str:
        """The callback data of the button with ``label`` or whose data starts with ``data_prefix``."""
        for text, data in self.buttons:
            if (label is None or text == label) and (data_prefix is None or data.startswith(data_prefix)):
                return data
        raise LookupError(f"no button {label or data_prefix!r} under message {self.message_id}")


@dataclass
class _Poll:
    """An outstanding getUpdates call."""

    wake: asyncio.Event = field(default_factory=asyncio.Event)
    conflicted: bool = False


class TelegramState:
    """Telegram as one bot sees it. Not thread-safe: used only on the stand-in's loop."""

    def __init__(self, *, bot_id: int, username: str, privacy_mode: bool) -> None:
        self.bot_id = bot_id
        self.username = username
        self.privacy_mode = privacy_mode
        self.query_timeout = QUERY_TIMEOUT
        self._seq = itertools.count(1)
        self._updates: list[dict[str, Any]] = []
        self._update_ids = itertools.count(1)
        self._message_ids: dict[int, itertools.count[int]] = {}
        self._messages: dict[tuple[int, int], dict[str, Any]] = {}
        self._chats: dict[int, FakeChat] = {}
        self._private_users: dict[int, FakeUser] = {}
        self._blocked: set[int] = set()
        self._poll: _Poll | None = None
        self._new_update = asyncio.Event()
        self._stopping = False
        self._allowed_updates: frozenset[str] | None = None  # None: Telegram's default
        self._query_ids = itertools.count(1)
        self._open_queries: dict[str, float] = {}  # callback and inline query id -> monotonic creation
        self.bot_messages: list[BotMessage] = []
        self.chat_actions: list[tuple[int, str]] = []
        self.callback_answers: list[dict[str, Any]] = []
        self.inline_answers: list[dict[str, Any]] = []
        self.commands: list[dict[str, Any]] = []
        self.update_created_at: dict[int, float] = {}
        self.message_created_at: dict[tuple[int, int], float] = {}
        self.filtered_updates: list[dict[str, Any]] = []  # not delivered: kind not in allowed_updates
        self.webhook_url = ""

    def next_seq(self) -> int:
        return next(self._seq)

    def stop(self) -> None:
        """Release a waiting long poll so the server can close."""
        self._stopping = True
        self._new_update.set()
        if self._poll is not None:
            self._poll.wake.set()

    # ------------------------------------------------------------ users

    def add_chat(self, chat: FakeChat, user: FakeUser | None) -> None:
        """The bot knows ``chat`` (the user wrote to it before the stand-in started)."""
        self._chats[chat.id] = chat
        if chat.type == "private" and user is not None:
            self._private_users[chat.id] = user

    def user_message(
        self, chat: FakeChat, user: FakeUser, content: dict[str, Any], reply_to: int | None
    ) -> dict[str, Any]:
        """``user`` posts ``content`` (text, photo+caption...) in ``chat``; returns the message object."""
        self.add_chat(chat, user)
        message: dict[str, Any] = {
            "message_id": self._next_message_id(chat.id),
            "from": user.to_json(),
            "chat": chat.to_json(user),
            "date": int(time.time()),
            **content,
        }
        message.update(_user_entities(message))
        if reply_to is not None:
            message["reply_to_message"] = self._replied(chat.id, reply_to)
        key = (chat.id, message["message_id"])
        self._messages[key] = message
        self.message_created_at[key] = time.perf_counter()
        if self._delivered(chat, message):
            self._enqueue({"message": copy.deepcopy(message)})
        return copy.deepcopy(message)

    def edit_user_message(self, chat_id: int, message_id: int, new_text: str) -> dict[str, Any]:
        """The author edits the text (or, for a photo or document, the caption) of their message."""
        stored = self._messages.get((chat_id, message_id))
        if stored is None or stored["from"]["id"] == self.bot_id:
            raise LookupError(f"no user message {message_id} in chat {chat_id}")
        edited = {k: v for k, v in stored.items() if k not in ("entities", "caption_entities")}
        edited["text" if "text" in stored else "caption"] = new_text  # media: a caption is added
        edited["edit_date"] = max(int(time.time()), stored["date"])
        edited.update(_user_entities(edited))
        self._messages[(chat_id, message_id)] = edited
        if self._delivered(self._chats[chat_id], edited):
            self._enqueue({"edited_message": copy.deepcopy(edited)})
        return copy.deepcopy(edited)

    def press_button(self, chat_id: int, message_id: int, data: str, user: FakeUser) -> str:
        stored = self._messages.get((chat_id, message_id))
        if stored is None:
            raise LookupError(f"no message {message_id} in chat {chat_id} (deleted?)")
        query_id = self._open_query("cbq")
        self._enqueue(
            {
                "callback_query": {
                    "id": query_id,
                    "from": user.to_json(),
                    "message": copy.deepcopy(stored),
                    "chat_instance": f"ci{chat_id}",
                    "data": data,
                }
            }
        )
        return query_id

    def inline_query(self, user: FakeUser, query: str, *, offset: str, chat_type: str) -> str:
        query_id = self._open_query("iq")
        self._enqueue(
            {
                "inline_query": {
                    "id": query_id,
                    "from": user.to_json(),
                    "query": query,
                    "offset": offset,
                    "chat_type": chat_type,
                }
            }
        )
        return query_id

    def expire_queries(self) -> None:
        """Every open callback and inline query becomes too old to answer."""
        for query_id in self._open_queries:
            self._open_queries[query_id] = float("-inf")

    def block(self, chat: FakeChat, user: FakeUser | None) -> None:
        """The user blocks the bot (or the group removes it): Telegram says so in my_chat_member."""
        self._chats.setdefault(chat.id, chat)
        if chat.id in self._blocked:
            return
        self._blocked.add(chat.id)
        actor = user or self._private_users.get(chat.id) or FakeUser(chat.id)
        bot = {"user": self._bot_user(), "status": "member"}
        self._enqueue(
            {
                "my_chat_member": {
                    "chat": chat.to_json(actor),
                    "from": actor.to_json(),
                    "date": int(time.time()),
                    "old_chat_member": bot,
                    "new_chat_member": {
                        "user": self._bot_user(),
                        "status": "kicked",
                        "until_date": 0,
                    },
                }
            }
        )

    def unblock(self, chat_id: int) -> None:
        self._blocked.discard(chat_id)

    # ------------------------------------------------------------ updates

    def _enqueue(self, body: dict[str, Any]) -> None:
        update = {"update_id": next(self._update_ids), **body}
        kind = next(key for key in body)
        allowed = self._allowed_updates
        if (kind in NOT_DELIVERED_BY_DEFAULT) if allowed is None else (kind not in allowed):
            self.filtered_updates.append(update)
            return
        self.update_created_at[update["update_id"]] = time.perf_counter()
        self._updates.append(update)
        self._new_update.set()

    def pending_updates(self) -> int:
        return len(self._updates)

    def is_polling(self) -> bool:
        return self._poll is not None

    def compete(self) -> None:
        """A second instance polls: the outstanding getUpdates loses with 409."""
        if self._poll is not None:
            self._poll.conflicted = True
            self._poll.wake.set()

    def confirm(self, offset: int) -> None:
        """Updates below a positive offset are confirmed and gone for good; -N keeps the last N."""
        if offset > 0:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
        elif offset < 0:
            self._updates = self._updates[offset:]

    async def wait_for_updates(self, *, timeout: float, poll: _Poll | None = None) -> None:
        deadline = time.monotonic() + timeout
        while not self._updates and not (poll and poll.conflicted) and not self._stopping:
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

    # ------------------------------------------------------------ the bot's calls

    def knows(self, method: str) -> bool:
        return hasattr(self, f"api_{method.lower()}")

    async def handle(self, method: str, params: dict[str, Any]) -> Any:
        """Run the Bot API ``method`` (one that ``knows``); raise ApiError as Telegram would answer."""
        handler = getattr(self, f"api_{method.lower()}")
        chat_id = params.get("chat_id")
        if chat_id is not None and str(chat_id).lstrip("-").isdigit() and int(chat_id) in self._blocked:
            raise ApiError(403, self._blocked_description(int(chat_id)))
        return await handler(params)

    async def api_getme(self, params: dict[str, Any]) -> dict[str, Any]:
        return {
            **self._bot_user(),
            "can_join_groups": True,
            "can_read_all_group_messages": not self.privacy_mode,
            "supports_inline_queries": True,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    async def api_logout(self, params: dict[str, Any]) -> bool:
        return True

    async def api_close(self, params: dict[str, Any]) -> bool:
        return True

    async def api_deletewebhook(self, params: dict[str, Any]) -> bool:
        self.webhook_url = ""
        if _bool(params.get("drop_pending_updates")):
            self._updates.clear()
        return True

    async def api_getwebhookinfo(self, params: dict[str, Any]) -> dict[str, Any]:
        return {
            "url": self.webhook_url,
            "has_custom_certificate": False,
            "pending_update_count": len(self._updates),
        }

    async def api_getupdates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        if self.webhook_url:
            raise ApiError(
                409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook"
            )
        offset = _int(params.get("offset"), 0)
        limit = min(max(_int(params.get("limit"), 100), 1), 100)
        timeout = max(float(params.get("timeout") or 0), 0.0)
        allowed = params.get("allowed_updates")
        if isinstance(allowed, list):
            # Remembered until the next call that sends it; [] restores the default.
            self._allowed_updates = frozenset(allowed) if allowed else None
        self.confirm(offset)
        if self._poll is not None:
            # Telegram lets one getUpdates run per token: the older one loses.
            self._poll.conflicted = True
            self._poll.wake.set()
        poll = _Poll()
        self._poll = poll
        try:
            if not self._updates and timeout > 0:
                await self.wait_for_updates(timeout=timeout, poll=poll)
            if poll.conflicted:
                raise ApiError(
                    409,
                    "Conflict: terminated by other getUpdates request; "
                    "make sure that only one bot instance is running",
                )
            return self._updates[:limit]
        finally:
            if self._poll is poll:
                self._poll = None

    async def api_sendmessage(self, params: dict[str, Any]) -> dict[str, Any]:
        chat = self._chat(params)
        html_text, text, entities = _message_text(params)
        reply_to = self._reply_target(chat.id, params)
        markup = _reply_markup(params.get("reply_markup"))
        message: dict[str, Any] = {
            "message_id": self._next_message_id(chat.id),
            "from": self._bot_user(),
            "chat": chat.to_json(self._private_users.get(chat.id)),
            "date": int(time.time()),
            "text": text,
        }
        if entities:
            message["entities"] = entities
        if reply_to is not None:
            message["reply_to_message"] = self._replied(chat.id, reply_to)
        if markup:
            message["reply_markup"] = markup
        self._messages[(chat.id, message["message_id"])] = message
        now = time.perf_counter()
        self.bot_messages.append(
            BotMessage(
                chat_id=chat.id,
                message_id=message["message_id"],
                html=html_text,
                text=text,
                entities=entities,
                reply_to_message_id=reply_to,
                reply_markup=markup,
                sent_at=now,
                versions=[MessageVersion(html_text, text, entities, markup, self.next_seq(), now)],
            )
        )
        return message

    async def api_editmessagetext(self, params: dict[str, Any]) -> dict[str, Any] | bool:
        html_text, text, entities = _message_text(params)
        markup = _reply_markup(params.get("reply_markup"))
        if params.get("inline_message_id"):
            return True
        key, stored = self._editable(params)
        if (
            stored.get("text") == text
            and stored.get("entities", []) == entities
            and stored.get("reply_markup") == markup
        ):
            raise ApiError(400, MESSAGE_NOT_MODIFIED)
        return self._edit(key, stored, html_text, text, entities, markup)

    async def api_editmessagereplymarkup(self, params: dict[str, Any]) -> dict[str, Any] | bool:
        markup = _reply_markup(params.get("reply_markup"))
        if params.get("inline_message_id"):
            return True
        key, stored = self._editable(params)
        if stored.get("reply_markup") == markup:
            raise ApiError(400, MESSAGE_NOT_MODIFIED)
        record = self._record_of(key)
        html_text = record.html if record else stored.get("text", "")
        return self._edit(key, stored, html_text, stored.get("text", ""), stored.get("entities", []), markup)

    async def api_deletemessage(self, params: dict[str, Any]) -> bool:
        chat = self._chat(params)
        key = (chat.id, _int(params.get("message_id"), 0))
        stored = self._messages.get(key)
        if stored is None:
            raise bad_request("message to delete not found")
        if stored["from"]["id"] != self.bot_id and chat.type != "private":
            raise bad_request("message can't be deleted for everyone")
        del self._messages[key]
        record = self._record_of(key)
        if record is not None:
            record.deleted = True
        return True

    async def api_sendchataction(self, params: dict[str, Any]) -> bool:
        chat = self._chat(params)
        action = params.get("action")
        if action not in CHAT_ACTIONS:
            raise bad_request("wrong parameter action in request")
        self.chat_actions.append((chat.id, action))
        return True

    async def api_setmycommands(self, params: dict[str, Any]) -> bool:
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

    async def api_getmycommands(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        return self.commands

    async def api_answercallbackquery(self, params: dict[str, Any]) -> bool:
        query_id = self._answerable(params.get("callback_query_id"))
        if len(str(params.get("text") or "")) > MAX_CALLBACK_ANSWER:
            raise bad_request("MESSAGE_TOO_LONG")
        del self._open_queries[query_id]
        self.callback_answers.append(params)
        return True

    async def api_answerinlinequery(self, params: dict[str, Any]) -> bool:
        query_id = self._answerable(params.get("inline_query_id"))
        results = params.get("results")
        if not isinstance(results, list) or len(results) > MAX_INLINE_RESULTS:
            raise bad_request("RESULTS_TOO_MUCH")
        next_offset = str(params.get("next_offset") or "")
        if len(next_offset.encode()) > MAX_INLINE_OFFSET:
            raise bad_request("NEXT_OFFSET_INVALID")
        ids = [str(result.get("id", "")) for result in results]
        if len(set(ids)) != len(ids):
            raise bad_request("RESULT_ID_DUPLICATE")
        for result in results:
            _inline_result(result)
        del self._open_queries[query_id]
        self.inline_answers.append(
            {"inline_query_id": query_id, "results": results, **params, "next_offset": next_offset}
        )
        return True

    # ------------------------------------------------------------ helpers

    def _bot_user(self) -> dict[str, Any]:
        return {"id": self.bot_id, "is_bot": True, "first_name": "أخبار", "username": self.username}

    def _next_message_id(self, chat_id: int) -> int:
        return next(self._message_ids.setdefault(chat_id, itertools.count(1)))

    def _open_query(self, prefix: str) -> str:
        query_id = f"{prefix}{next(self._query_ids)}"
        self._open_queries[query_id] = time.monotonic()
        return query_id

    def _answerable(self, value: Any) -> str:
        query_id = str(value or "")
        created = self._open_queries.get(query_id)
        if created is None or time.monotonic() - created > self.query_timeout:
            raise ApiError(400, QUERY_TOO_OLD)
        return query_id

    def _blocked_description(self, chat_id: int) -> str:
        kind = self._chats[chat_id].type
        return {"group": KICKED_FROM_GROUP, "supergroup": KICKED_FROM_SUPERGROUP}.get(kind, BLOCKED_BY_USER)

    def _replied(self, chat_id: int, message_id: int) -> dict[str, Any]:
        stored = self._messages.get((chat_id, message_id))
        if stored is None:
            raise LookupError(f"no message {message_id} in chat {chat_id}")
        # Telegram nests the replied-to message one level deep only.
        return copy.deepcopy({key: value for key, value in stored.items() if key != "reply_to_message"})

    def _delivered(self, chat: FakeChat, message: dict[str, Any]) -> bool:
        """Privacy mode: in groups a bot only sees commands and replies to its own messages."""
        if chat.type == "private" or not self.privacy_mode:
            return True
        text = message.get("text", message.get("caption", ""))
        if text.startswith("/"):
            command = text.split()[0]
            return "@" not in command or command.split("@", 1)[1].lower() == self.username.lower()
        replied = message.get("reply_to_message")
        return bool(replied and replied.get("from", {}).get("id") == self.bot_id)

    def _chat(self, params: dict[str, Any]) -> FakeChat:
        chat = self._chats.get(_int(params.get("chat_id"), 0))
        if chat is None:
            raise bad_request("chat not found")
        return chat

    def _editable(self, params: dict[str, Any]) -> tuple[tuple[int, int], dict[str, Any]]:
        chat = self._chat(params)
        key = (chat.id, _int(params.get("message_id"), 0))
        stored = self._messages.get(key)
        if stored is None:
            raise bad_request("message to edit not found")
        if stored["from"]["id"] != self.bot_id:
            raise bad_request("message can't be edited")
        return key, stored

    def _edit(
        self,
        key: tuple[int, int],
        stored: dict[str, Any],
        html_text: str,
        text: str,
        entities: list[dict[str, Any]],
        markup: dict[str, Any] | None,
    ) -> dict[str, Any]:
        # A new dict, never a mutation: updates already queued keep the message as it was.
        edited = {k: v for k, v in stored.items() if k not in ("entities", "reply_markup")}
        edited.update(text=text, edit_date=int(time.time()))
        if entities:
            edited["entities"] = entities
        if markup:
            edited["reply_markup"] = markup
        self._messages[key] = edited
        record = self._record_of(key)
        if record is not None:
            now = time.perf_counter()
            record.edits.append(html_text)
            record.versions.append(MessageVersion(html_text, text, entities, markup, self.next_seq(), now))
            record.html, record.text, record.entities, record.reply_markup = html_text, text, entities, markup
        return edited

    def _record_of(self, key: tuple[int, int]) -> BotMessage | None:
        for record in reversed(self.bot_messages):
            if (record.chat_id, record.message_id) == key:
                return record
        return None

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


# ----------------------------------------------------------------- validation


def _int(value: Any, default: int) -> int:
    if value is None or value == "":
        return default
    try:
        return int(value)
    except (TypeError, ValueError):
        raise bad_request(f"invalid integer value {value!r}") from None


def _bool(value: Any) -> bool:
    return value is True or (isinstance(value, str) and value.lower() in ("true", "1"))


def _user_entities(message: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """The entities Telegram marks in what a user typed: a leading command and @username mentions."""
    key, entities_key = ("text", "entities") if "text" in message else ("caption", "caption_entities")
    text = message.get(key)
    if not isinstance(text, str):
        return {}
    entities = []
    if text.startswith("/") and text.split():
        command = text.split()[0]
        entities.append({"type": "bot_command", "offset": 0, "length": utf16_length(command)})
    for match in _MENTION.finditer(text):
        entities.append(
            {"type": "mention", "offset": utf16_length(text[: match.start()]), "length": len(match.group())}
        )
    return {entities_key: entities} if entities else {}


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
        except HtmlParseError as error:
            raise bad_request(f"can't parse entities: {error}") from None
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


def _inline_result(result: Any) -> None:
    """One InlineQueryResult as answerInlineQuery checks it."""
    if not isinstance(result, dict):
        raise bad_request("can't parse inline query result JSON object")
    if not (1 <= len(str(result.get("id", "")).encode()) <= MAX_RESULT_ID):
        raise bad_request("RESULT_ID_INVALID")
    if result.get("type") == "article":
        if not result.get("title"):
            raise bad_request("RESULT_TITLE_EMPTY")
        content = result.get("input_message_content")
        if not isinstance(content, dict) or not content.get("message_text"):
            raise bad_request("MESSAGE_EMPTY")
        _message_text(
            {
                "text": content.get("message_text"),
                "parse_mode": content.get("parse_mode"),
                "entities": content.get("entities"),
            }
        )
    _reply_markup(result.get("reply_markup"))
