"""A local HTTP server for ingestion tests: serves the fixtures in tests/fixtures/ingest on 127.0.0.1.

Routes are data (``Route``), so a test can change what a URL serves between two refreshes.
``{{BASE}}`` in a body is replaced by the server's own base URL, so feeds link back to it.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
HTML = "text/html; charset=utf-8"
RSS = "application/rss+xml; charset=utf-8"
ATOM = "application/atom+xml"
CP1256_META = b'<meta charset="windows-1256">'


@dataclass(frozen=True)
class Route:
    body: bytes = b""
    status: int = 200
    content_type: str | None = HTML
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    """Seconds to wait before answering (a slow server)."""
    trickle: float = 0.0
    """Seconds to wait between 1 KiB chunks of the body (a server that never finishes)."""
    send_length: bool = True


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def rss_feed(*, extra: bool = False) -> bytes:
    """The Arabic RSS fixture: two entries, or three with ``extra``."""
    return fixture("feed.rss.xml").replace(b"{{EXTRA}}", fixture("feed_extra_item.xml") if extra else b"")


def standard_routes() -> dict[str, Route]:
    cp1256 = fixture("article_cp1256.html")
    undeclared = cp1256.replace(CP1256_META, b"")
    return {
        "/article/utf8": Route(fixture("article_utf8.html")),
        "/article/cp1256-header": Route(undeclared, content_type="text/html; charset=windows-1256"),
        "/article/cp1256-meta": Route(cp1256, content_type="text/html"),
        "/article/cp1256-detect": Route(undeclared, content_type="text/html"),
        "/article/cp1256-mislabelled": Route(cp1256, content_type="text/html; charset=utf-8"),
        "/news/1": Route(fixture("news_1.html")),
        "/news/2": Route(fixture("news_2.html")),
        "/news/3": Route(fixture("news_3.html")),
        "/atom/1": Route(fixture("atom_1.html")),
        "/english": Route(fixture("english.html")),
        "/empty": Route(fixture("no_article.html")),
        "/redirect/1": Route(status=302, headers={"Location": "/redirect/2"}),
        "/redirect/2": Route(status=301, headers={"Location": "{{BASE}}/redirect/target"}),
        "/redirect/target": Route(fixture("news_2.html")),
        "/redirect/loop": Route(status=302, headers={"Location": "/redirect/loop"}),
        "/slow": Route(fixture("news_1.html"), delay=3.0),
        "/trickle": Route(fixture("news_1.html") * 4, trickle=0.2, send_length=False),
        "/huge": Route(b"<html><body>" + "خبر ".encode() * 150_000 + b"</body></html>"),
        "/huge-stream": Route(
            b"<html><body>" + "خبر ".encode() * 150_000 + b"</body></html>", send_length=False
        ),
        "/missing": Route(b"not found", status=404, content_type="text/plain"),
        "/error": Route(b"server error", status=500, content_type="text/plain"),
        "/image.png": Route(b"\x89PNG\r\n\x1a\n" + b"\0" * 64, content_type="image/png"),
        "/feed.rss": Route(rss_feed(), content_type=RSS),
        "/feed.atom": Route(fixture("feed.atom.xml"), content_type=ATOM),
        "/feed-broken": Route(fixture("broken_feed.xml"), content_type=RSS),
    }


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False  # do not wait for a handler still sleeping in a slow route


class NewsServer:
    """Serves ``routes`` on 127.0.0.1 at a free port in a background thread; use as a context manager."""

    def __init__(self, routes: dict[str, Route] | None = None) -> None:
        self.routes = standard_routes() if routes is None else routes
        self.hits: Counter[str] = Counter()
        self._server = _Server(("127.0.0.1", 0), self._handler_class())
        self.base = f"http://127.0.0.1:{self._server.server_address[1]}"
        # A short poll interval makes shutdown (every test's teardown) quick.
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True)

    def url(self, path: str) -> str:
        return self.base + path

    def __enter__(self) -> NewsServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                path = urlsplit(self.path).path
                server.hits[path] += 1
                route = server.routes.get(
                    path, Route(b"no such fixture", status=404, content_type="text/plain")
                )
                time.sleep(route.delay)
                body = route.body.replace(b"{{BASE}}", server.base.encode())
                etag = route.headers.get("ETag")
                if etag is not None and self.headers.get("If-None-Match") == etag:
                    self.send_response(304)
                    self.end_headers()
                    return
                self.send_response(route.status)
                if route.content_type:
                    self.send_header("Content-Type", route.content_type)
                for name, value in route.headers.items():
                    self.send_header(name, value.replace("{{BASE}}", server.base))
                if route.send_length:
                    self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                try:
                    if route.trickle:
                        for start in range(0, len(body), 1024):
                            self.wfile.write(body[start : start + 1024])
                            self.wfile.flush()
                            time.sleep(route.trickle)
                    else:
                        self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up, as the size and time limits tell it to

            def log_message(self, format: str, *args: object) -> None:
                pass

        return Handler
