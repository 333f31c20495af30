from __future__ import annotations

import socket
import time

import httpx
import pytest

from retrieval import (
    BadStatusError,
    FetchTimeoutError,
    ItemError,
    TooLargeError,
    TooManyRedirectsError,
    UnreachableError,
    UnsupportedContentError,
)
from retrieval.ingest import decode_html, fetch
from retrieval.ingest.fetch import HTML_CONTENT_TYPES
from tests.ingest_server import CP1256_META, NewsServer, fixture
from tests.retrieval.ingest.conftest import FAST_LIMITS

CP1256_TITLE = "ارتفاع صادرات التمور المصرية إلى أوروبا"


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_follows_a_redirect_chain_to_the_final_url(server: NewsServer, client: httpx.Client) -> None:
    document = fetch(client, server.url("/redirect/1"), accept=HTML_CONTENT_TYPES, limits=FAST_LIMITS)
    assert document.url == server.url("/redirect/target")
    assert document.requested_url == server.url("/redirect/1")
    assert document.body == fixture("news_2.html")


@pytest.mark.parametrize(
    ("path", "error", "message"),
    [
        ("/missing", BadStatusError, "HTTP 404"),
        ("/error", BadStatusError, "HTTP 500"),
        ("/image.png", UnsupportedContentError, "image/png"),
        ("/redirect/loop", TooManyRedirectsError, "more than 3 redirects"),
        ("/huge", TooLargeError, "limit"),
        ("/huge-stream", TooLargeError, "limit"),
        ("/slow", FetchTimeoutError, "timed out"),
        ("/trickle", FetchTimeoutError, "took over"),
    ],
)
def test_refuses_what_it_should_not_keep(
    server: NewsServer, client: httpx.Client, path: str, error: type[ItemError], message: str
) -> None:
    started = time.monotonic()
    with pytest.raises(error, match=message):
        fetch(client, server.url(path), accept=HTML_CONTENT_TYPES, limits=FAST_LIMITS)
    # Every limit must cut the download short, not just label it afterwards.
    assert time.monotonic() - started < FAST_LIMITS.total_timeout + 1.0


def test_unreachable_host(client: httpx.Client) -> None:
    with pytest.raises(UnreachableError, match=r"cannot reach 127\.0\.0\.1"):
        fetch(client, f"http://127.0.0.1:{_closed_port()}/x", accept=HTML_CONTENT_TYPES, limits=FAST_LIMITS)


def test_only_http_urls_are_fetched(client: httpx.Client) -> None:
    with pytest.raises(UnsupportedContentError, match="only http"):
        fetch(client, "file:///etc/passwd", accept=HTML_CONTENT_TYPES, limits=FAST_LIMITS)


@pytest.mark.parametrize(
    ("path", "source"),
    [
        ("/article/cp1256-header", "header"),
        ("/article/cp1256-meta", "meta"),
        ("/article/cp1256-detect", "detected"),
        ("/article/cp1256-mislabelled", "meta"),  # header says utf-8, the bytes disagree
        ("/article/utf8", "header"),
    ],
)
def test_decodes_windows_1256_however_it_is_declared(
    server: NewsServer, client: httpx.Client, path: str, source: str
) -> None:
    document = fetch(client, server.url(path), accept=HTML_CONTENT_TYPES, limits=FAST_LIMITS)
    decoded = decode_html(document.body, document.charset)
    assert decoded.source == source
    assert "\ufffd" not in decoded.text
    if path != "/article/utf8":
        assert decoded.encoding == "cp1256"
        assert CP1256_TITLE in decoded.text


@pytest.mark.parametrize(
    ("body", "header", "expected", "source"),
    [
        ("\ufeffنص".encode(), None, "نص", "bom"),
        ("<p>نص عربي</p>".encode("cp1256"), "windows-1256", "<p>نص عربي</p>", "header"),
        (CP1256_META + "<p>نص</p>".encode("cp1256"), "no-such-charset", "<p>نص</p>", "meta"),
        ("<p>نص</p>".encode(), None, "<p>نص</p>", "detected"),
    ],
)
def test_decode_order(body: bytes, header: str | None, expected: str, source: str) -> None:
    decoded = decode_html(body, header)
    assert decoded.text.endswith(expected)
    assert decoded.source == source
