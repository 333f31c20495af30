"""Read RSS/Atom feeds from bytes we downloaded ourselves.

feedparser can open URLs and files on its own; it is always handed a byte stream here, so every
download goes through :mod:`retrieval.ingest.fetch` and its limits.
"""

from __future__ import annotations

import io
import logging
import time
from dataclasses import dataclass
from typing import Any

import feedparser

from retrieval.errors import FeedError

__all__ = ["FeedEntry", "ParsedFeed", "parse_feed"]

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class FeedEntry:
    """One item of a feed: the page it links to and what the feed says about it."""

    url: str
    title: str | None = None
    published: str | None = None


@dataclass(frozen=True, slots=True)
class ParsedFeed:
    """A feed's title and its entries that link to a page, in feed order."""

    url: str
    title: str | None
    format: str
    """feedparser's version string, e.g. "rss20", "atom10"."""
    entries: tuple[FeedEntry, ...]


def parse_feed(body: bytes, *, url: str, content_type: str | None = None) -> ParsedFeed:
    """Parse RSS/Atom ``body`` fetched from ``url``; raise :class:`FeedError` if it is not a usable feed.

    feedparser's lenient parser recovers from small errors (an unescaped ``&``, a wrong declared
    encoding); those feeds are accepted. A document that is not a feed at all, or a broken one from
    which no entry could be read, is refused, so a broken feed never changes the store.
    """
    headers = {"content-location": url}
    if content_type:
        headers["content-type"] = content_type
    parsed: Any = feedparser.parse(io.BytesIO(body), response_headers=headers, sanitize_html=False)
    version = parsed.get("version") or ""
    if parsed.get("bozo") and not parsed.entries:
        problem = parsed.get("bozo_exception")
        raise FeedError(f"malformed feed at {url}: {_describe(problem)}")
    if not version:
        raise FeedError(f"not an RSS or Atom feed: {url}")
    if parsed.get("bozo"):
        logger.info("feed %s parsed leniently: %s", url, _describe(parsed.get("bozo_exception")))
    entries = []
    for entry in parsed.entries:
        link = entry.get("link")
        if not link:
            continue
        entries.append(FeedEntry(url=link, title=entry.get("title") or None, published=_entry_date(entry)))
    return ParsedFeed(url=url, title=parsed.feed.get("title") or None, format=version, entries=tuple(entries))


def _entry_date(entry: Any) -> str | None:
    for key in ("published_parsed", "updated_parsed"):
        value = entry.get(key)
        if value:
            return time.strftime("%Y-%m-%d", value)
    return None


def _describe(problem: object) -> str:
    if problem is None:
        return "unreadable"
    text = str(problem).strip().splitlines()
    return text[0] if text else type(problem).__name__
