"""Ingestion orchestration: URLs, files and feeds in, one :class:`Outcome` per item out.

Every item is independent: a failure is reported and the batch goes on, and nothing already stored
is touched. Only :class:`~retrieval.errors.StoreError` (the database itself is unusable) and
bugs escape.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from pathlib import Path
from urllib.parse import urlsplit

import httpx

from retrieval.errors import BadURLError, ItemError
from retrieval.ingest.extract import MIN_ARABIC_RATIO, extract_article
from retrieval.ingest.feeds import parse_feed
from retrieval.ingest.fetch import FEED_CONTENT_TYPES, HTML_CONTENT_TYPES, FetchLimits, decode_html, fetch
from retrieval.ingest.files import read_articles
from retrieval.ingest.store import ArticleStore, FeedRecord, SaveResult
from retrieval.ingest.urls import normalize_url, strip_tracking
from retrieval.records import NewArticle

__all__ = ["Ingestor", "Outcome", "Status", "all_failed"]

logger = logging.getLogger(__name__)


class Status(StrEnum):
    """What became of one item: stored, already there (or not modified), or not usable."""

    ADDED = "added"
    SKIPPED = "skipped"
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class Outcome:
    """What happened to one item (a URL, a file or a line of one, a feed)."""

    status: Status
    item: str
    """The item as the user named it: URL, path, ``path:line``, or feed URL."""
    detail: str = ""
    """Why it was skipped or failed; for an added feed, how many entries it has."""
    article_id: str | None = None
    title: str | None = None
    error: ItemError | None = None
    """For a failure, the error itself, so a caller can say why in its own words (the bot in Arabic)."""


def all_failed(outcomes: Sequence[Outcome]) -> bool:
    """True when there were items and none of them succeeded: the one case that exits non-zero."""
    return bool(outcomes) and all(outcome.status is Status.FAILED for outcome in outcomes)


def _saved(item: str, result: SaveResult) -> Outcome:
    article = result.article
    if result.inserted:
        return Outcome(Status.ADDED, item, article_id=article.id, title=article.title)
    what = "URL" if result.duplicate == "url" else "text"
    return Outcome(
        Status.SKIPPED,
        item,
        f"duplicate: same {what} as {article.id}",
        article_id=article.id,
        title=article.title,
    )


@dataclass(frozen=True, slots=True)
class Ingestor:
    """Adds articles to ``store``, downloading with ``client`` within ``limits``."""

    store: ArticleStore
    client: httpx.Client
    limits: FetchLimits = field(default_factory=FetchLimits)
    min_arabic_ratio: float = MIN_ARABIC_RATIO
    report: Callable[[Outcome], None] | None = None
    """Called with each outcome as soon as it is known (progress output); the batch result is the same."""

    def _report(self, outcome: Outcome) -> Outcome:
        if self.report is not None:
            self.report(outcome)
        return outcome

    def add(self, items: Iterable[str]) -> tuple[Outcome, ...]:
        """Add each item: an http(s) URL, or a path to a .txt/.md/.html/.jsonl file."""
        outcomes: list[Outcome] = []
        for item in items:
            if urlsplit(item).scheme.lower() in ("http", "https"):
                outcomes.append(self.add_url(item))
            else:
                outcomes.extend(self.add_file(Path(item)))
        return tuple(outcomes)

    def add_url(self, url: str, *, published: str | None = None) -> Outcome:
        """Download, extract and store the article at ``url``; ``published`` is a fallback date."""
        return self._report(self._add_url(url, published=published))

    def _add_url(self, url: str, *, published: str | None) -> Outcome:
        try:
            normalize_url(url)
        except BadURLError as error:
            return Outcome(Status.FAILED, url, str(error), error=error)
        stored = self.store.find_url(url)
        if stored is not None:
            return Outcome(
                Status.SKIPPED, url, f"duplicate: same URL as {stored.id}", stored.id, stored.title
            )
        try:
            page = fetch(self.client, url, accept=HTML_CONTENT_TYPES, limits=self.limits)
            html = decode_html(page.body, page.charset).text
            extracted = extract_article(html, url=page.url, min_arabic_ratio=self.min_arabic_ratio)
        except ItemError as error:
            logger.info("not added %s: %s", url, error)
            return Outcome(Status.FAILED, url, str(error), error=error)
        new = replace(extracted, url=strip_tracking(page.url), published=extracted.published or published)
        return _saved(url, self.store.save(new))

    def add_file(self, path: Path) -> tuple[Outcome, ...]:
        """Store the article(s) in a local file; a .jsonl file reports one outcome per line."""
        return tuple(self._report(outcome) for outcome in self._add_file(path))

    def _add_file(self, path: Path) -> Iterator[Outcome]:
        if not path.is_file():
            yield Outcome(Status.FAILED, str(path), "not a URL or an existing file")
            return
        for item in read_articles(path, min_arabic_ratio=self.min_arabic_ratio):
            if item.article is None:
                yield Outcome(Status.FAILED, item.location, str(item.error), error=item.error)
            else:
                # The store names articles by their text; the id a file gave is not kept.
                yield _saved(item.location, self.store.save(NewArticle.from_article(item.article)))

    def follow_feed(self, url: str) -> Outcome:
        """Check that ``url`` serves a feed, then follow it. Its entries are fetched by :meth:`refresh`."""
        return self._report(self._follow_feed(url))

    def _follow_feed(self, url: str) -> Outcome:
        try:
            key = normalize_url(url)
        except BadURLError as error:
            return Outcome(Status.FAILED, url, str(error), error=error)
        if any(feed.url == key for feed in self.store.feeds()):
            return Outcome(Status.SKIPPED, url, "already followed")
        try:
            document = fetch(self.client, url, accept=FEED_CONTENT_TYPES, limits=self.limits)
            feed = parse_feed(document.body, url=document.url, content_type=document.content_type)
        except ItemError as error:
            return Outcome(Status.FAILED, url, str(error), error=error)
        self.store.add_feed(url, title=feed.title)
        return Outcome(Status.ADDED, url, f"{len(feed.entries)} entries", title=feed.title)

    def refresh(self) -> tuple[Outcome, ...]:
        """Fetch every followed feed and store its entries that are not stored yet."""
        outcomes: list[Outcome] = []
        for feed in self.store.feeds():
            outcomes.extend(self.refresh_feed(feed))
        return tuple(outcomes)

    def refresh_feed(self, feed: FeedRecord) -> tuple[Outcome, ...]:
        """One feed: a failed outcome for the feed itself, or one outcome per entry."""
        conditional = {}
        if feed.etag:
            conditional["If-None-Match"] = feed.etag
        if feed.last_modified:
            conditional["If-Modified-Since"] = feed.last_modified
        try:
            document = fetch(
                self.client, feed.url, accept=FEED_CONTENT_TYPES, limits=self.limits, headers=conditional
            )
            if document.not_modified:
                self.store.record_refresh(feed.url, etag=feed.etag, last_modified=feed.last_modified)
                return (
                    self._report(
                        Outcome(Status.SKIPPED, feed.url, "feed not modified since the last refresh")
                    ),
                )
            parsed = parse_feed(document.body, url=document.url, content_type=document.content_type)
        except ItemError as error:
            self.store.record_refresh(feed.url, error=str(error))
            return (self._report(Outcome(Status.FAILED, feed.url, str(error), error=error)),)
        outcomes = tuple(self.add_url(entry.url, published=entry.published) for entry in parsed.entries)
        # Keep the validators only when every entry was dealt with: after a failed entry the next
        # refresh must download the feed again to retry it, not get a 304.
        complete = not any(outcome.status is Status.FAILED for outcome in outcomes)
        self.store.record_refresh(
            feed.url,
            etag=document.etag if complete else None,
            last_modified=document.last_modified if complete else None,
            title=parsed.title,
        )
        return outcomes
