"""ArticleStore: every ingested article and every followed feed, in one SQLite file.

Besides articles and feeds it remembers what must not come back and what keeps failing: removed
articles (tombstones by URL and text, so a feed never stores a taken-down article again), and feeds
and feed entries that failed, with when to try them next (exponential back-off, decided by
:mod:`retrieval.ingest.pipeline`).

Durability: the database runs in WAL mode and each article is written in its own transaction, so a
process killed mid-batch leaves every earlier article whole and no later one half-written; SQLite
recovers the WAL on the next open. ``synchronous=NORMAL`` keeps that guarantee for process crashes
(only a power cut may drop the last commits, never corrupt the file).

One store (one connection) per thread: open it where it is used.
"""

from __future__ import annotations

import hashlib
import sqlite3
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from retrieval.errors import BadURLError, DecodeError, StoreError
from retrieval.ingest.sqlite import open_database
from retrieval.ingest.urls import normalize_url
from retrieval.records import Article, NewArticle

__all__ = [
    "ArticleStore",
    "EntryFailure",
    "FeedRecord",
    "Removal",
    "SaveResult",
    "StoredArticle",
    "content_hash",
]

SCHEMA_VERSION = 3
_FEED_BACKOFF_COLUMNS = (
    ("failures", "INTEGER NOT NULL DEFAULT 0"),  # refreshes failed in a row
    ("retry_after", "TEXT"),  # ISO 8601, UTC: refresh skips the feed until then
)
_V3_TABLES = """
CREATE TABLE IF NOT EXISTS entry_failures (
    url_key     TEXT PRIMARY KEY,       -- normalize_url(entry url)
    url         TEXT NOT NULL,
    feed_url    TEXT NOT NULL,          -- feeds.url of the feed that lists it
    failures    INTEGER NOT NULL,       -- attempts failed in a row
    last_error  TEXT NOT NULL,
    retry_after TEXT NOT NULL           -- ISO 8601, UTC: refresh skips the entry until then
);
CREATE TABLE IF NOT EXISTS removed (    -- tombstones: never stored again, by URL or by text
    article_id   TEXT PRIMARY KEY,
    url_key      TEXT,
    content_hash TEXT NOT NULL,
    title        TEXT NOT NULL,
    removed_at   TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS removed_by_url ON removed (url_key);
CREATE INDEX IF NOT EXISTS removed_by_text ON removed (content_hash);
"""
_SCHEMA = (
    """
CREATE TABLE IF NOT EXISTS articles (
    id           TEXT PRIMARY KEY,
    url          TEXT,                  -- as fetched (after redirects); NULL for files without one
    url_key      TEXT UNIQUE,           -- normalize_url(url): the identity used for deduplication
    title        TEXT NOT NULL,
    source       TEXT,                  -- the outlet
    published    TEXT,                  -- YYYY-MM-DD when known
    text         TEXT NOT NULL,
    fetched_at   TEXT NOT NULL,         -- ISO 8601, UTC
    content_hash TEXT NOT NULL UNIQUE   -- content_hash(text)
);
CREATE TABLE IF NOT EXISTS feeds (
    url           TEXT PRIMARY KEY,     -- normalize_url(feed url)
    title         TEXT,
    added_at      TEXT NOT NULL,
    refreshed_at  TEXT,
    etag          TEXT,
    last_modified TEXT,
    last_error    TEXT,
    failures      INTEGER NOT NULL DEFAULT 0,
    retry_after   TEXT
);
"""
    + _V3_TABLES
)

# Upgrades from each older schema version to the next one.
_MIGRATIONS = {
    1: "ALTER TABLE articles RENAME COLUMN outlet TO source;",  # one vocabulary with retrieval.Article
    2: "".join(f"ALTER TABLE feeds ADD COLUMN {name} {kind};" for name, kind in _FEED_BACKOFF_COLUMNS)
    + _V3_TABLES,  # removal and back-off
}


def content_hash(text: str) -> str:
    """SHA-256 of the text with Unicode (NFC) and whitespace normalized: the same text, stored once."""
    normalized = " ".join(unicodedata.normalize("NFC", text).split())
    return hashlib.sha256(normalized.encode("utf-8")).hexdigest()


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass(frozen=True, slots=True, kw_only=True)
class StoredArticle(Article):
    """A row of the articles table: an :class:`Article` and when and as what text it was stored."""

    fetched_at: str
    """ISO 8601, UTC."""
    content_hash: str
    """:func:`content_hash` of the text, which a kill mid-write would leave mismatched."""


@dataclass(frozen=True, slots=True)
class Removal:
    """A tombstone: an article that was removed and is not stored again (by URL or by text)."""

    article_id: str
    title: str
    removed_at: str
    """ISO 8601, UTC."""


@dataclass(frozen=True, slots=True)
class SaveResult:
    """What :meth:`ArticleStore.save` did: stored the article, found it already there, or refused it as removed."""

    article: StoredArticle | None
    """The new row, or the existing row it duplicates; None when it was removed earlier."""
    duplicate: Literal["url", "text"] | None = None
    removed: Removal | None = None

    @property
    def inserted(self) -> bool:
        return self.duplicate is None and self.removed is None


@dataclass(frozen=True, slots=True)
class FeedRecord:
    """A followed feed and the state of its last refresh."""

    url: str
    title: str | None
    added_at: str
    refreshed_at: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    last_error: str | None = None
    failures: int = 0
    """Refreshes failed in a row."""
    retry_after: str | None = None
    """ISO 8601, UTC: refresh skips the feed until then (back-off after failures)."""


@dataclass(frozen=True, slots=True)
class EntryFailure:
    """A feed entry whose page could not be stored, and when to try it next."""

    url: str
    feed_url: str
    failures: int
    last_error: str
    retry_after: str
    """ISO 8601, UTC."""


_ARTICLE_COLUMNS = "id, title, text, source, url, published"
_STORED_COLUMNS = f"{_ARTICLE_COLUMNS}, fetched_at, content_hash"
_FEED_COLUMNS = "url, title, added_at, refreshed_at, etag, last_modified, last_error, failures, retry_after"
_ENTRY_FAILURE_COLUMNS = "url, feed_url, failures, last_error, retry_after"
_REMOVAL_COLUMNS = "article_id, title, removed_at"


class ArticleStore:
    """Articles and feeds in a SQLite file; see the module docstring for the durability contract."""

    def __init__(self, connection: sqlite3.Connection, path: Path) -> None:
        self._db = connection
        self.path = path

    @classmethod
    def open(cls, path: Path) -> ArticleStore:
        """Open (creating if needed) the store at ``path``; raise :class:`StoreError` if it is not ours."""
        connection = open_database(path, what="article database")
        connection.row_factory = sqlite3.Row  # rows by column name: the columns are the fields' names
        try:
            connection.execute("PRAGMA synchronous=NORMAL")
            version = connection.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise StoreError(f"{path} was written by a newer newsbot (schema {version})")
            if version == 0:
                connection.executescript(f"BEGIN; {_SCHEMA} PRAGMA user_version = {SCHEMA_VERSION}; COMMIT;")
            for old in range(version or SCHEMA_VERSION, SCHEMA_VERSION):
                connection.executescript(
                    f"BEGIN; {_MIGRATIONS[old]} PRAGMA user_version = {old + 1}; COMMIT;"
                )
        except sqlite3.Error as error:
            connection.close()
            raise StoreError(f"{path} is not a usable article database: {error}") from error
        except StoreError:
            connection.close()
            raise
        return cls(connection, path)

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> ArticleStore:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        # IMMEDIATE takes the write lock up front, so the duplicate check and the insert cannot
        # interleave with another process (the bot refreshing while the CLI adds).
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield self._db
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    # Articles

    def save(self, new: NewArticle) -> SaveResult:
        """Store ``new`` in one transaction unless its URL or its text is already stored, or it was removed.

        Raises :class:`BadURLError` for a URL that is not http(s) and :class:`DecodeError` for a field
        SQLite cannot store (a lone surrogate, which a JSON ``"\\ud800"`` escape decodes to).
        """
        _require_unicode(new)
        digest = content_hash(new.text)
        url_key = normalize_url(new.url) if new.url else None
        with self._transaction() as db:
            removal = _removal(db, url_key, digest)
            if removal is not None:
                return SaveResult(None, removed=removal)
            if url_key is not None:
                row = db.execute(
                    f"SELECT {_STORED_COLUMNS} FROM articles WHERE url_key = ?", (url_key,)
                ).fetchone()
                if row is not None:
                    return SaveResult(StoredArticle(**row), duplicate="url")
            row = db.execute(
                f"SELECT {_STORED_COLUMNS} FROM articles WHERE content_hash = ?", (digest,)
            ).fetchone()
            if row is not None:
                return SaveResult(StoredArticle(**row), duplicate="text")
            stored = StoredArticle(
                id=f"db_{digest[:16]}", **asdict(new), fetched_at=_now(), content_hash=digest
            )
            values = {**asdict(stored), "url_key": url_key}
            columns = ", ".join(values)
            db.execute(f"INSERT INTO articles ({columns}) VALUES (:{columns.replace(', ', ', :')})", values)
        return SaveResult(stored)

    def find_url(self, url: str) -> StoredArticle | None:
        """The article stored under ``url`` (compared after normalization), if any."""
        row = self._db.execute(
            f"SELECT {_STORED_COLUMNS} FROM articles WHERE url_key = ?", (normalize_url(url),)
        ).fetchone()
        return StoredArticle(**row) if row else None

    def removal(self, url: str) -> Removal | None:
        """The tombstone of the article once stored under ``url`` (after normalization), if it was removed."""
        return _removal(self._db, normalize_url(url), None)

    def remove(self, key: str) -> StoredArticle | None:
        """Remove the article whose id or URL is ``key`` and keep a tombstone so it is never stored again.

        Returns the removed article, or None when no stored article has that id or URL.
        """
        with self._transaction() as db:
            row = db.execute(
                f"SELECT {_STORED_COLUMNS}, url_key FROM articles WHERE id = ?", (key,)
            ).fetchone()
            if row is None:
                try:
                    url_key = normalize_url(key)
                except BadURLError:
                    return None
                row = db.execute(
                    f"SELECT {_STORED_COLUMNS}, url_key FROM articles WHERE url_key = ?", (url_key,)
                ).fetchone()
            if row is None:
                return None
            db.execute("DELETE FROM articles WHERE id = ?", (row["id"],))
            db.execute(
                "INSERT OR REPLACE INTO removed (article_id, url_key, content_hash, title, removed_at)"
                " VALUES (?, ?, ?, ?, ?)",
                (row["id"], row["url_key"], row["content_hash"], row["title"], _now()),
            )
        fields = dict(row)
        del fields["url_key"]
        return StoredArticle(**fields)

    def removals(self) -> tuple[Removal, ...]:
        """Every tombstone, oldest first."""
        rows = self._db.execute(f"SELECT {_REMOVAL_COLUMNS} FROM removed ORDER BY removed_at, article_id")
        return tuple(Removal(*row) for row in rows.fetchall())

    def get(self, article_id: str) -> StoredArticle | None:
        row = self._db.execute(
            f"SELECT {_STORED_COLUMNS} FROM articles WHERE id = ?", (article_id,)
        ).fetchone()
        return StoredArticle(**row) if row else None

    def articles(self) -> tuple[StoredArticle, ...]:
        """Every stored article, newest first (publication date, else fetch time)."""
        rows = self._db.execute(
            f"SELECT {_STORED_COLUMNS} FROM articles"
            " ORDER BY COALESCE(published, substr(fetched_at, 1, 10)) DESC, fetched_at DESC, id"
        ).fetchall()
        return tuple(StoredArticle(**row) for row in rows)

    def records(self) -> tuple[Article, ...]:
        """Every stored article as a plain :class:`~retrieval.records.Article`, in the order stored.

        Insertion order, not date order: new articles are appended, so an article keeps its
        position when newer ones arrive, and positions held elsewhere (button callback data built
        from ``engine.articles``) stay valid across an engine rebuild. A removal shifts the later
        ones; those buttons carry an id check and answer "expired".
        """
        rows = self._db.execute(f"SELECT {_ARTICLE_COLUMNS} FROM articles ORDER BY rowid").fetchall()
        return tuple(Article(*row) for row in rows)

    def ids(self) -> tuple[str, ...]:
        """The stored articles' ids in the order ``records`` gives them (reads no text).

        An id is derived from the article's text and a row is never rewritten, so the ids stamp
        the stored articles: the index cache is keyed by them.
        """
        return tuple(row[0] for row in self._db.execute("SELECT id FROM articles ORDER BY rowid"))

    def count(self) -> int:
        return int(self._db.execute("SELECT COUNT(*) FROM articles").fetchone()[0])

    # Feeds

    def add_feed(self, url: str, *, title: str | None = None) -> bool:
        """Follow the feed at ``url``; False if it was already followed."""
        with self._transaction() as db:
            cursor = db.execute(
                "INSERT OR IGNORE INTO feeds (url, title, added_at) VALUES (?, ?, ?)",
                (normalize_url(url), title, _now()),
            )
        return cursor.rowcount == 1

    def remove_feed(self, url: str) -> bool:
        """Stop following the feed at ``url``; False if it was not followed. Its articles stay."""
        try:
            key = normalize_url(url)
        except BadURLError:
            return False  # only http(s) feeds are ever followed
        with self._transaction() as db:
            cursor = db.execute("DELETE FROM feeds WHERE url = ?", (key,))
            db.execute("DELETE FROM entry_failures WHERE feed_url = ?", (key,))
        return cursor.rowcount == 1

    def feeds(self) -> tuple[FeedRecord, ...]:
        rows = self._db.execute(f"SELECT {_FEED_COLUMNS} FROM feeds ORDER BY added_at, url").fetchall()
        return tuple(FeedRecord(*row) for row in rows)

    def record_refresh(
        self,
        url: str,
        *,
        error: str | None = None,
        retry_after: str | None = None,
        etag: str | None = None,
        last_modified: str | None = None,
        title: str | None = None,
    ) -> None:
        """Note a refresh of the feed at ``url``: its validators on success (which ends any back-off),
        or the reason on failure, one more failure in a row, and when to try again (``retry_after``)."""
        with self._transaction() as db:
            if error is None:
                db.execute(
                    "UPDATE feeds SET refreshed_at = ?, etag = ?, last_modified = ?, last_error = NULL,"
                    " failures = 0, retry_after = NULL, title = COALESCE(?, title) WHERE url = ?",
                    (_now(), etag, last_modified, title, normalize_url(url)),
                )
            else:
                db.execute(
                    "UPDATE feeds SET refreshed_at = ?, last_error = ?, failures = failures + 1,"
                    " retry_after = ? WHERE url = ?",
                    (_now(), error, retry_after, normalize_url(url)),
                )

    # Feed entries that keep failing

    def entry_failure(self, url: str) -> EntryFailure | None:
        """The failures of the feed entry at ``url`` so far, if its last attempt failed."""
        row = self._db.execute(
            f"SELECT {_ENTRY_FAILURE_COLUMNS} FROM entry_failures WHERE url_key = ?", (normalize_url(url),)
        ).fetchone()
        return EntryFailure(*row) if row else None

    def record_entry_failure(self, failure: EntryFailure) -> None:
        """Remember that the entry at ``failure.url`` failed (again) and when to try it next."""
        with self._transaction() as db:
            db.execute(
                "INSERT OR REPLACE INTO entry_failures (url_key, url, feed_url, failures, last_error, retry_after)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (
                    normalize_url(failure.url),
                    failure.url,
                    normalize_url(failure.feed_url),
                    failure.failures,
                    failure.last_error,
                    failure.retry_after,
                ),
            )

    def clear_entry_failure(self, url: str) -> None:
        """Forget the failures of the entry at ``url`` (it was stored, or found stored)."""
        with self._transaction() as db:
            db.execute("DELETE FROM entry_failures WHERE url_key = ?", (normalize_url(url),))

    def entry_failures(self, feed_url: str) -> tuple[EntryFailure, ...]:
        """The failing entries of the feed at ``feed_url``, the next to be retried first."""
        rows = self._db.execute(
            f"SELECT {_ENTRY_FAILURE_COLUMNS} FROM entry_failures WHERE feed_url = ? ORDER BY retry_after, url",
            (normalize_url(feed_url),),
        ).fetchall()
        return tuple(EntryFailure(*row) for row in rows)


def _require_unicode(new: NewArticle) -> None:
    for name, value in asdict(new).items():
        if value is None:
            continue
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as error:
            raise DecodeError(
                f"the {name} is not valid Unicode (a lone surrogate at character {error.start})"
            ) from error


def _removal(db: sqlite3.Connection, url_key: str | None, digest: str | None) -> Removal | None:
    row = db.execute(
        f"SELECT {_REMOVAL_COLUMNS} FROM removed WHERE url_key = ? OR content_hash = ? LIMIT 1",
        (url_key, digest),
    ).fetchone()
    return Removal(*row) if row else None
