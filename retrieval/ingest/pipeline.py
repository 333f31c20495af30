"""Ingestion orchestration: URLs, files and feeds in, one :class:`Outcome` per item out.

Every item is independent: a failure is reported and the batch goes on, and nothing already stored
is touched. Only :class:`~retrieval.errors.StoreError` (the database itself is unusable) and
bugs escape.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from enum import StrEnum
from pathlib import Path
from urllib.parse import urlsplit

import httpx

from retrieval.errors import BadURLError, ItemError
from retrieval.ingest.addresses import Resolver, system_resolver
from retrieval.ingest.bounds import RefreshLimits, utc_now
from retrieval.ingest.extract import MIN_ARABIC_RATIO, extract_article
from retrieval.ingest.feeds import FeedEntry, parse_feed
from retrieval.ingest.fetch import FEED_CONTENT_TYPES, HTML_CONTENT_TYPES, FetchLimits, decode_html, fetch
from retrieval.ingest.files import read_articles
from retrieval.ingest.store import ArticleStore, EntryFailure, FeedRecord, Removal, SaveResult
from retrieval.ingest.urls import normalize_url, strip_tracking
from retrieval.records import NewArticle

__all__ = ["Ingestor", "Outcome", "Status", "all_failed"]

logger = logging.getLogger(__name__)


class Status(StrEnum):
    """What became of one item: stored, already there (or not modified, or left for later), not
    usable, or (for a removal) taken out of the store."""

    ADDED = "added"
    SKIPPED = "skipped"
    FAILED = "failed"
    REMOVED = "removed"


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


def _removed(item: str, removal: Removal) -> Outcome:
    return Outcome(
        Status.SKIPPED,
        item,
        f"removed on {removal.removed_at[:10]} ({removal.article_id}); not stored again",
        article_id=removal.article_id,
        title=removal.title,
    )


def _saved(item: str, result: SaveResult) -> Outcome:
    if result.removed is not None:
        return _removed(item, result.removed)
    article = result.article
    assert article is not None  # stored or a duplicate
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
    resolver: Resolver = system_resolver
    """Host name to addresses, for the public-address check (tests pass a table instead of DNS)."""
    refresh_limits: RefreshLimits = field(default_factory=RefreshLimits)
    clock: Callable[[], datetime] = utc_now
    """Now, in UTC: for back-off and the refresh time budget (tests pass a clock they move)."""
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

    def _add_url(self, url: str, *, published: str | None, limits: FetchLimits | None = None) -> Outcome:
        try:
            normalize_url(url)
        except BadURLError as error:
            return Outcome(Status.FAILED, url, str(error), error=error)
        stored = self.store.find_url(url)
        if stored is not None:
            return Outcome(
                Status.SKIPPED, url, f"duplicate: same URL as {stored.id}", stored.id, stored.title
            )
        removal = self.store.removal(url)
        if removal is not None:
            return _removed(url, removal)
        try:
            page = fetch(
                self.client,
                url,
                accept=HTML_CONTENT_TYPES,
                limits=limits or self.limits,
                resolver=self.resolver,
            )
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
                continue
            try:
                # The store names articles by their text; the id a file gave is not kept.
                result = self.store.save(NewArticle.from_article(item.article))
            except ItemError as error:  # a URL that is not http(s), text that is not valid Unicode
                yield Outcome(Status.FAILED, item.location, str(error), error=error)
                continue
            yield _saved(item.location, result)

    def remove(self, keys: Iterable[str]) -> tuple[Outcome, ...]:
        """Remove stored articles by id or URL. Each leaves a tombstone: no feed, ``add`` or restore
        stores it again (a takedown stays taken down)."""
        outcomes = []
        for key in keys:
            article = self.store.remove(key)
            if article is None:
                outcome = Outcome(Status.FAILED, key, "no stored article has this id or URL")
            else:
                logger.info("removed %s (%s)", article.id, article.url or "no URL")
                outcome = Outcome(Status.REMOVED, key, article_id=article.id, title=article.title)
            outcomes.append(self._report(outcome))
        return tuple(outcomes)

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
            document = fetch(
                self.client, url, accept=FEED_CONTENT_TYPES, limits=self.limits, resolver=self.resolver
            )
            feed = parse_feed(document.body, url=document.url, content_type=document.content_type)
        except ItemError as error:
            return Outcome(Status.FAILED, url, str(error), error=error)
        self.store.add_feed(url, title=feed.title)
        return Outcome(Status.ADDED, url, f"{len(feed.entries)} entries", title=feed.title)

    def refresh(self) -> tuple[Outcome, ...]:
        """Fetch the followed feeds and store their new entries, within ``refresh_limits``.

        Feeds refreshed least recently go first, so when the time budget runs out the ones left
        over are the first next time.
        """
        deadline = self.clock() + timedelta(seconds=self.refresh_limits.budget_seconds)
        feeds = sorted(self.store.feeds(), key=lambda feed: feed.refreshed_at or "")
        outcomes: list[Outcome] = []
        for done, feed in enumerate(feeds):
            if self.clock() >= deadline:
                left = len(feeds) - done
                outcomes.append(self._report(self._out_of_time("refresh", f"{_count(left, 'feed')} left")))
                break
            outcomes.extend(self.refresh_feed(feed, deadline=deadline))
        return tuple(outcomes)

    def refresh_feed(self, feed: FeedRecord, *, deadline: datetime | None = None) -> tuple[Outcome, ...]:
        """One feed: a failed or skipped outcome for the feed itself, or one outcome per entry.

        Entries are taken in feed order (newest first in practice): at most
        ``refresh_limits.max_new_entries`` new ones, none that back off after failures, none after
        ``deadline``. The feed's validators (ETag, Last-Modified) are kept only when no entry was
        left over, so that the next refresh downloads the feed again instead of getting a 304.
        """
        now = self.clock()
        deadline = deadline or now + timedelta(seconds=self.refresh_limits.budget_seconds)
        if feed.retry_after and now < datetime.fromisoformat(feed.retry_after):
            detail = _backing_off(feed.failures, feed.last_error, feed.retry_after)
            return (self._report(Outcome(Status.SKIPPED, feed.url, detail)),)
        conditional = {}
        if feed.etag:
            conditional["If-None-Match"] = feed.etag
        if feed.last_modified:
            conditional["If-Modified-Since"] = feed.last_modified
        try:
            document = fetch(
                self.client,
                feed.url,
                accept=FEED_CONTENT_TYPES,
                limits=self._limits_until(deadline),
                headers=conditional,
                resolver=self.resolver,
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
            retry_after = self.refresh_limits.retry_after(feed.failures + 1, self.clock())
            self.store.record_refresh(feed.url, error=str(error), retry_after=_iso(retry_after))
            return (self._report(Outcome(Status.FAILED, feed.url, str(error), error=error)),)
        outcomes, complete = self._refresh_entries(feed, parsed.entries, deadline)
        self.store.record_refresh(
            feed.url,
            etag=document.etag if complete else None,
            last_modified=document.last_modified if complete else None,
            title=parsed.title,
        )
        return outcomes

    def _refresh_entries(
        self, feed: FeedRecord, entries: Sequence[FeedEntry], deadline: datetime
    ) -> tuple[tuple[Outcome, ...], bool]:
        """The outcomes of ``feed``'s entries, and whether every entry was dealt with."""
        outcomes: list[Outcome] = []
        complete = True
        fetched = 0
        left_over = 0
        for position, entry in enumerate(entries):
            now = self.clock()
            if now >= deadline:
                left = len(entries) - position
                outcomes.append(self._report(self._out_of_time(feed.url, f"{_count(left, 'entry')} left")))
                return tuple(outcomes), False
            try:
                normalize_url(entry.url)
            except BadURLError as error:
                # Not a page we could ever fetch (mailto:, ftp:...): reported, never retried or backed off.
                outcomes.append(self._report(Outcome(Status.FAILED, entry.url, str(error), error=error)))
                continue
            if self._known(entry.url):
                outcomes.append(self.add_url(entry.url, published=entry.published))  # skipped, says why
                continue
            failure = self.store.entry_failure(entry.url)
            if failure is not None and now < datetime.fromisoformat(failure.retry_after):
                detail = _backing_off(failure.failures, failure.last_error, failure.retry_after)
                outcomes.append(self._report(Outcome(Status.SKIPPED, entry.url, detail)))
                complete = False
                continue
            if fetched >= self.refresh_limits.max_new_entries:
                left_over += 1
                continue
            fetched += 1
            outcome = self._report(
                self._add_url(entry.url, published=entry.published, limits=self._limits_until(deadline))
            )
            outcomes.append(outcome)
            if outcome.status is Status.FAILED:
                complete = False
                failures = (failure.failures if failure else 0) + 1
                retry_after = self.refresh_limits.retry_after(failures, self.clock())
                self.store.record_entry_failure(
                    EntryFailure(entry.url, feed.url, failures, outcome.detail, _iso(retry_after))
                )
            elif failure is not None:
                self.store.clear_entry_failure(entry.url)
        if left_over:
            cap = self.refresh_limits.max_new_entries
            detail = (
                f"{left_over} more new entries left for the next refresh (at most {cap} per feed per refresh)"
            )
            outcomes.append(self._report(Outcome(Status.SKIPPED, feed.url, detail)))
            complete = False
        return tuple(outcomes), complete

    def _known(self, url: str) -> bool:
        """Whether ``url`` is already stored or was removed: no download, and not a new entry."""
        return self.store.find_url(url) is not None or self.store.removal(url) is not None

    def _limits_until(self, deadline: datetime) -> FetchLimits:
        """The fetch limits, shortened so that one download cannot overrun the refresh's time budget."""
        remaining = max((deadline - self.clock()).total_seconds(), 0.1)
        if remaining >= self.limits.total_timeout:
            return self.limits
        return replace(self.limits, timeout=min(self.limits.timeout, remaining), total_timeout=remaining)

    def _out_of_time(self, item: str, left: str) -> Outcome:
        budget = self.refresh_limits.budget_seconds
        return Outcome(
            Status.SKIPPED, item, f"refresh time budget of {budget:g} s used up; {left} for the next refresh"
        )


def _backing_off(failures: int, last_error: str | None, retry_after: str) -> str:
    return (
        f"backing off after {_count(failures, 'failure')} in a row (last: {last_error});"
        f" next try after {retry_after}"
    )


def _count(number: int, noun: str) -> str:
    plural = noun[:-1] + "ies" if noun.endswith("y") else noun + "s"
    return f"{number} {noun if number == 1 else plural}"


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")
