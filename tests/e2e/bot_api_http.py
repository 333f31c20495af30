"""The HTTP side of the Bot API stand-in: requests in, Telegram-shaped replies (or faults) out.

An HTTP/1.1 server with keep-alive on 127.0.0.1, knowing nothing of Telegram's state. It reads a
request (Content-Length or chunked body), decodes its parameters the way the Bot API does (query
string, form-encoded, JSON or multipart; JSON-serialised objects inside form fields), hands them to
a dispatch coroutine and writes what that returns: a reply, nothing at all (the connection is
closed, as when a proxy drops it), or a reply held back for some seconds (a slow API: the client's
read timeout fires first, though the call took effect). The error shapes of the Bot API live here
too: ``{"ok": false, "error_code": 400, "description": "Bad Request: ..."}`` and nginx's 502 page.
"""

from __future__ import annotations

import asyncio
import contextlib
import email.parser
import email.policy
import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs

# Parameters the Bot API takes as JSON-serialised objects inside form fields.
JSON_PARAMS = frozenset(
    {
        "reply_markup",
        "reply_parameters",
        "results",
        "commands",
        "allowed_updates",
        "entities",
        "caption_entities",
        "link_preview_options",
        "scope",
        "button",
        "message_ids",
    }
)
NGINX_502 = (
    b"<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
    b"<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx/1.18.0</center>\r\n"
    b"</body>\r\n</html>\r\n"
)
REASONS = {
    200: "OK",
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    409: "Conflict",
    429: "Too Many Requests",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
}


class ApiError(Exception):
    """A Bot API error reply; ``description`` is Telegram's text, e.g. ``"Bad Request: ..."``."""

    def __init__(self, code: int, description: str, parameters: dict[str, Any] | None = None) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.parameters = parameters


def bad_request(description: str) -> ApiError:
    return ApiError(400, f"Bad Request: {description}")


@dataclass(frozen=True)
class Reply:
    """What the server writes back; ``drop`` closes the connection instead, ``delay`` holds it."""

    status: int
    body: bytes = b""
    content_type: str = "application/json"
    drop: bool = False
    delay: float = 0.0

    @classmethod
    def result(cls, result: Any) -> Reply:
        return cls(200, json.dumps({"ok": True, "result": result}, ensure_ascii=False).encode())

    @classmethod
    def error(cls, error: ApiError) -> Reply:
        body: dict[str, Any] = {"ok": False, "error_code": error.code, "description": error.description}
        if error.parameters:
            body["parameters"] = error.parameters
        return cls(error.code, json.dumps(body, ensure_ascii=False).encode())

    @classmethod
    def nothing(cls) -> Reply:
        return cls(0, drop=True)


@dataclass(frozen=True)
class Request:
    verb: str
    target: str
    headers: dict[str, str]
    body: bytes


Dispatch = Callable[[Request], Awaitable[Reply]]


class HttpServer:
    """Serves ``dispatch`` on 127.0.0.1; must be started and closed on the loop it runs on."""

    def __init__(self, dispatch: Dispatch) -> None:
        self._dispatch = dispatch
        self._server: asyncio.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()
        self._closing = asyncio.Event()
        self.port = 0

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._serve_connection, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]

    def is_serving(self) -> bool:
        return self._server is not None and self._server.is_serving()

    async def close(self) -> None:
        self._closing.set()
        if self._server is not None:
            self._server.close()
        for writer in list(self._writers):
            writer.close()

    async def _serve_connection(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._writers.add(writer)
        try:
            while True:
                request = await read_request(reader)
                if request is None:
                    break
                reply = await self._dispatch(request)
                if reply.drop:
                    writer.transport.abort()
                    break
                if reply.delay > 0 and not await self._hold(reader, reply.delay):
                    break  # the client gave up waiting and closed the connection
                head = (
                    f"HTTP/1.1 {reply.status} {REASONS.get(reply.status, 'Error')}\r\n"
                    f"Server: nginx/1.18.0\r\nContent-Type: {reply.content_type}\r\n"
                    f"Content-Length: {len(reply.body)}\r\nConnection: keep-alive\r\n\r\n"
                )
                writer.write(head.encode("ascii") + reply.body)
                await writer.drain()
                if request.headers.get("connection", "").lower() == "close":
                    break
        except (ConnectionError, asyncio.IncompleteReadError, asyncio.LimitOverrunError):
            pass
        finally:
            self._writers.discard(writer)
            writer.close()

    async def _hold(self, reader: asyncio.StreamReader, seconds: float) -> bool:
        """Wait ``seconds`` before answering; False if the client closed the connection meanwhile.

        Watching for the client's close ends a slow-reply test as soon as the client timed out,
        not after the full delay. Bot API clients (httpx) never pipeline requests, so a byte
        arriving while a reply is pending is a protocol error and the connection is dropped.
        """
        client_gone = asyncio.ensure_future(reader.read(1))
        closing = asyncio.ensure_future(self._closing.wait())
        try:
            await asyncio.wait({client_gone, closing}, timeout=seconds, return_when=asyncio.FIRST_COMPLETED)
            return not (client_gone.done() or closing.done())
        finally:
            for task in (client_gone, closing):
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError, ConnectionError):
                    await task


async def read_request(reader: asyncio.StreamReader) -> Request | None:
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
    return Request(verb, target, headers, body)


def parse_parameters(query: str, content_type: str, body: bytes) -> dict[str, Any]:
    """Parameters from the query string and the body, JSON-typed fields decoded; ValueError if bad."""
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
    for key in JSON_PARAMS & params.keys():
        if isinstance(params[key], str):
            try:
                params[key] = json.loads(params[key])
            except json.JSONDecodeError:
                raise ValueError(f"can't parse {key} JSON object") from None
    return params
