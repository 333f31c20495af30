from __future__ import annotations

import pytest

from retrieval import FeedError
from retrieval.ingest import parse_feed
from tests.ingest_server import fixture, rss_feed

BASE = "http://127.0.0.1:9"


def test_parses_arabic_rss() -> None:
    feed = parse_feed(rss_feed().replace(b"{{BASE}}", BASE.encode()), url=f"{BASE}/feed.rss")
    assert feed.title == "أخبار العالم العربي"
    assert feed.format == "rss20"
    assert [entry.url for entry in feed.entries] == [
        f"{BASE}/news/1?utm_source=rss&utm_medium=feed",
        f"{BASE}/news/2",
    ]
    assert [entry.published for entry in feed.entries] == ["2024-12-10", "2024-12-11"]
    assert feed.entries[0].title == "مهرجان الكتاب في الرباط يستقبل مئة ألف زائر"


def test_parses_atom() -> None:
    feed = parse_feed(fixture("feed.atom.xml").replace(b"{{BASE}}", BASE.encode()), url=f"{BASE}/feed.atom")
    assert feed.format == "atom10"
    assert [(entry.url, entry.published) for entry in feed.entries] == [(f"{BASE}/atom/1", "2024-10-20")]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (fixture("broken_feed.xml"), "malformed feed"),
        (fixture("article_utf8.html"), "feed"),
        (b"", "feed"),
        (b"\x00\x01\x02 binary", "feed"),
    ],
)
def test_refuses_what_is_not_a_feed(body: bytes, message: str) -> None:
    with pytest.raises(FeedError, match=message):
        parse_feed(body, url=f"{BASE}/feed")


def test_a_feed_that_names_a_local_file_is_not_opened() -> None:
    # feedparser opens paths and URLs given as strings; we only ever hand it bytes.
    with pytest.raises(FeedError):
        parse_feed(b"/etc/hostname", url=f"{BASE}/feed")
