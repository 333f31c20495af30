"""An offline Bot API for handler tests: a request object that records calls and answers like Telegram."""

from __future__ import annotations

import itertools
import json
from typing import Any

from telegram.request import BaseRequest, RequestData

BOT_ID = 4242
BOT_USER = {"id": BOT_ID, "is_bot": True, "first_name": "أخبار", "username": "offline_news_bot"}


class RecordingRequest(BaseRequest):
    """Answers every method with a plausible result and keeps (method, parameters) in ``calls``."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self._message_ids = itertools.count(500)

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    @property
    def read_timeout(self) -> float | None:
        return 1.0

    async def do_request(
        self, url: str, method: str, request_data: RequestData | None = None, *args: Any, **kwargs: Any
    ) -> tuple[int, bytes]:
        name = url.rsplit("/", 1)[-1]
        params = dict(request_data.parameters) if request_data else {}
        self.calls.append((name, params))
        return 200, json.dumps({"ok": True, "result": self._result(name, params)}).encode()

    def _result(self, name: str, params: dict[str, Any]) -> Any:
        if name == "getMe":
            return {
                **BOT_USER,
                "can_join_groups": True,
                "can_read_all_group_messages": False,
                "supports_inline_queries": True,
            }
        if name in ("sendMessage", "editMessageText"):
            chat_id = int(params["chat_id"])
            return {
                "message_id": int(params.get("message_id") or next(self._message_ids)),
                "from": BOT_USER,
                "chat": {"id": chat_id, "type": "private" if chat_id > 0 else "supergroup"},
                "date": 0,
                "text": params["text"],
            }
        return True

    def sent(self, method: str = "sendMessage") -> list[dict[str, Any]]:
        return [params for name, params in self.calls if name == method]
