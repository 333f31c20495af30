from __future__ import annotations

import pytest

from retrieval import BadURLError
from retrieval.ingest import normalize_url
from retrieval.ingest.urls import strip_tracking


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("HTTPS://WWW.Example.COM/news", "https://www.example.com/news"),
        ("https://example.com:443/a", "https://example.com/a"),
        ("http://example.com:80/a", "http://example.com/a"),
        ("http://example.com:8080/a", "http://example.com:8080/a"),
        ("https://example.com", "https://example.com/"),
        ("https://example.com/a#comments", "https://example.com/a"),
        ("https://example.com/a?utm_source=tw&utm_medium=social&id=7", "https://example.com/a?id=7"),
        ("https://example.com/a?fbclid=XYZ", "https://example.com/a"),
        ("https://example.com/a?gclid=1&b=2&a=1", "https://example.com/a?a=1&b=2"),
        ("https://example.com/a?b=2&a=1", "https://example.com/a?a=1&b=2"),
        ("https://example.com/a?UTM_Campaign=x&page=", "https://example.com/a?page="),
        ("https://example.com/أخبار/1", "https://example.com/%D8%A3%D8%AE%D8%A8%D8%A7%D8%B1/1"),
        (
            "https://example.com/%d8%a3%d8%ae%d8%a8%d8%a7%d8%b1/1",
            "https://example.com/%D8%A3%D8%AE%D8%A8%D8%A7%D8%B1/1",
        ),
        ("  https://example.com./a  ", "https://example.com/a"),
    ],
)
def test_normalize_url(url: str, expected: str) -> None:
    assert normalize_url(url) == expected


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("https://site.example/n/1?utm_source=rss", "https://SITE.example:443/n/1#top"),
        ("https://site.example/n?b=1&a=2", "https://site.example/n?a=2&b=1&fbclid=abc"),
    ],
)
def test_spellings_of_one_page_normalize_equal(first: str, second: str) -> None:
    assert normalize_url(first) == normalize_url(second)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("https://site.example/n/1", "https://site.example/n/2"),
        ("https://site.example/n?id=1", "https://site.example/n?id=2"),
        ("http://site.example/n", "http://other.example/n"),
    ],
)
def test_different_pages_stay_different(first: str, second: str) -> None:
    assert normalize_url(first) != normalize_url(second)


@pytest.mark.parametrize(
    "url", ["ftp://example.com/a", "/relative/path", "example.com/a", "file:///etc/passwd", ""]
)
def test_rejects_non_http_urls(url: str) -> None:
    with pytest.raises(BadURLError):
        normalize_url(url)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://Site.example/أخبار/1?utm_source=rss&id=2#c", "https://Site.example/أخبار/1?id=2"),
        ("https://site.example/n?b=2&a=1", "https://site.example/n?b=2&a=1"),
        ("https://site.example/n?fbclid=1", "https://site.example/n"),
    ],
)
def test_strip_tracking_keeps_the_link_as_written(url: str, expected: str) -> None:
    assert strip_tracking(url) == expected
