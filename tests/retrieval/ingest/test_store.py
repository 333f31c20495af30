from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from retrieval import Article, StoreError
from retrieval.ingest import ArticleStore, NewArticle, StoredArticle, content_hash, open_database
from retrieval.ingest.store import SCHEMA_VERSION

TEXT = "أعلنت وزارة الصحة عن افتتاح مستشفى جديد في مدينة صفاقس بطاقة مئتي سرير."


def _article(text: str = TEXT, url: str | None = "https://a.example/n/1", **kw: str) -> NewArticle:
    return NewArticle(
        title=kw.get("title", "مستشفى جديد"),
        text=text,
        url=url,
        source=kw.get("source", "أ"),
        published=kw.get("published"),
    )


def test_saves_and_reads_back(store: ArticleStore) -> None:
    result = store.save(_article(published="2024-12-01"))
    assert result.inserted and result.article is not None
    stored = store.get(result.article.id)
    assert stored == result.article
    assert stored is not None
    assert stored.content_hash == content_hash(TEXT)
    assert isinstance(stored, StoredArticle)
    assert store.records() == (
        Article(
            id=stored.id,
            title="مستشفى جديد",
            text=TEXT,
            source="أ",
            url="https://a.example/n/1",
            published="2024-12-01",
        ),
    )


@pytest.mark.parametrize(
    ("second", "duplicate"),
    [
        (_article(url="https://A.example:443/n/1?utm_source=x#c", text=TEXT + " نص مختلف"), "url"),
        (_article(url="https://b.example/other", text="  " + TEXT.replace(" ", "\n  ") + "\n"), "text"),
        (_article(url=None), "text"),
    ],
)
def test_same_url_or_same_text_is_stored_once(
    store: ArticleStore, second: NewArticle, duplicate: str
) -> None:
    first = store.save(_article())
    result = store.save(second)
    assert result.duplicate == duplicate
    assert result.article is not None and first.article is not None
    assert result.article.id == first.article.id
    assert store.count() == 1


def test_the_same_story_from_two_outlets_is_two_articles(store: ArticleStore) -> None:
    store.save(_article(source="وكالة أ"))
    other = "افتتحت وزارة الصحة مستشفى جديدا في صفاقس يضم مئتي سرير."
    assert store.save(_article(text=other, url="https://b.example/story", source="صحيفة ب")).inserted
    assert store.count() == 2


def test_articles_newest_first(store: ArticleStore) -> None:
    for day in ("2024-01-02", "2024-03-01", "2024-02-10"):
        store.save(_article(text=f"{TEXT} {day}", url=f"https://a.example/{day}", published=day))
    assert [a.published for a in store.articles()] == ["2024-03-01", "2024-02-10", "2024-01-02"]


def test_survives_reopening(tmp_path: Path) -> None:
    path = tmp_path / "nested" / "dir" / "articles.sqlite3"
    with ArticleStore.open(path) as first:
        saved = first.save(_article()).article
        first.add_feed("https://a.example/rss?utm_source=x")
    with ArticleStore.open(path) as second:
        assert second.articles() == (saved,)
        assert [feed.url for feed in second.feeds()] == ["https://a.example/rss"]
        assert second._db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_feeds_add_list_remove(store: ArticleStore) -> None:
    assert store.add_feed("https://a.example/rss", title="أ")
    assert not store.add_feed("HTTPS://a.example/rss#x")
    store.record_refresh("https://a.example/rss", etag='"v1"', last_modified=None, title="أخبار أ")
    (feed,) = store.feeds()
    assert (feed.title, feed.etag, feed.last_error) == ("أخبار أ", '"v1"', None)
    store.record_refresh("https://a.example/rss", error="HTTP 500")
    assert store.feeds()[0].last_error == "HTTP 500"
    assert store.remove_feed("https://a.example/rss")
    assert not store.remove_feed("https://a.example/rss")
    assert not store.remove_feed("not a URL")  # nothing but http(s) is ever followed
    assert store.feeds() == ()


def test_refuses_a_file_that_is_not_a_database(tmp_path: Path) -> None:
    path = tmp_path / "notes.sqlite3"
    path.write_text("ملاحظات شخصية" * 100, encoding="utf-8")
    with pytest.raises(StoreError, match="not a usable article database"):
        ArticleStore.open(path)
    assert path.read_text(encoding="utf-8").startswith("ملاحظات")  # left untouched


def test_refuses_a_database_from_a_newer_version(tmp_path: Path) -> None:
    path = tmp_path / "articles.sqlite3"
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA user_version = 99")
    with pytest.raises(StoreError, match="newer"):
        ArticleStore.open(path)


def test_records_keep_their_positions_as_articles_arrive(store: ArticleStore) -> None:
    store.save(_article(text=f"{TEXT} 1", url="https://a.example/1", published="2024-05-01"))
    before = store.records()
    store.save(_article(text=f"{TEXT} 2", url="https://a.example/2", published="2024-06-01"))  # newer
    after = store.records()
    assert after[: len(before)] == before
    assert [a.published for a in store.articles()] == ["2024-06-01", "2024-05-01"]  # display order


def test_a_version_1_database_is_upgraded_in_place(tmp_path: Path) -> None:
    # Version 1 named the outlet column "outlet"; version 2 says "source", like Article.
    path = tmp_path / "articles.sqlite3"
    with sqlite3.connect(path) as db:
        db.executescript(
            "CREATE TABLE articles (id TEXT PRIMARY KEY, url TEXT, url_key TEXT UNIQUE, title TEXT NOT NULL,"
            " outlet TEXT, published TEXT, text TEXT NOT NULL, fetched_at TEXT NOT NULL,"
            " content_hash TEXT NOT NULL UNIQUE);"
            "CREATE TABLE feeds (url TEXT PRIMARY KEY, title TEXT, added_at TEXT NOT NULL, refreshed_at TEXT,"
            " etag TEXT, last_modified TEXT, last_error TEXT);"
            "PRAGMA user_version = 1;"
        )
        db.execute(
            "INSERT INTO articles VALUES ('db_1', NULL, NULL, 'عنوان', 'وكالة', NULL, ?, '2024-01-01', ?)",
            (TEXT, content_hash(TEXT)),
        )
    with ArticleStore.open(path) as store:
        assert store.records() == (Article(id="db_1", title="عنوان", text=TEXT, source="وكالة"),)
        saved = store.save(_article(text=TEXT + " ثان", source="صحيفة")).article
        assert saved is not None and saved.source == "صحيفة"
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)
    with ArticleStore.open(path) as store:
        assert store.removals() == () and store.entry_failures("https://f.example/rss") == ()


def test_new_article_is_article_without_its_id() -> None:
    # One vocabulary: the record before the store names it has Article's fields, minus the id.
    article = Article(id="a", title="t", text="x", source="s", url="u", published="2024-01-01")
    assert NewArticle.from_article(article) == NewArticle(
        title="t", text="x", source="s", url="u", published="2024-01-01"
    )
    assert NewArticle.from_article(article).with_id("a") == article


def test_a_removed_article_leaves_and_is_never_stored_again(store: ArticleStore) -> None:
    first = store.save(_article()).article
    other = store.save(_article(text=TEXT + " وأضافت الوزارة تفاصيل.", url="https://a.example/n/2")).article
    assert first is not None and other is not None
    removed = store.remove(first.id)
    assert removed == first
    assert store.get(first.id) is None and store.records() == (Article(*_fields(other)),)
    (tombstone,) = store.removals()
    assert (tombstone.article_id, tombstone.title) == (first.id, first.title)
    # Not again: neither by URL (spelled differently) nor by the same text at another URL.
    again = store.save(_article(url="https://A.example/n/1?utm_source=x"))
    moved = store.save(_article(url="https://mirror.example/copy"))
    assert (again.inserted, again.removed, moved.removed) == (False, tombstone, tombstone)
    assert store.removal("https://a.example/n/1#top") == tombstone
    assert store.count() == 1


def test_remove_by_url_and_unknown_keys(store: ArticleStore) -> None:
    stored = store.save(_article()).article
    assert stored is not None
    assert store.remove("db_nothing") is None
    assert store.remove("not a url") is None
    assert store.remove("https://a.example/n/1?utm_medium=feed") == stored
    assert store.remove(stored.id) is None  # already gone
    assert len(store.removals()) == 1


def _fields(article: StoredArticle) -> tuple[str, str, str, str | None, str | None, str | None]:
    return (article.id, article.title, article.text, article.source, article.url, article.published)


def test_a_version_2_database_gains_removal_and_back_off(tmp_path: Path) -> None:
    path = tmp_path / "articles.sqlite3"
    with sqlite3.connect(path) as db:
        db.executescript(
            "CREATE TABLE articles (id TEXT PRIMARY KEY, url TEXT, url_key TEXT UNIQUE, title TEXT NOT NULL,"
            " source TEXT, published TEXT, text TEXT NOT NULL, fetched_at TEXT NOT NULL,"
            " content_hash TEXT NOT NULL UNIQUE);"
            "CREATE TABLE feeds (url TEXT PRIMARY KEY, title TEXT, added_at TEXT NOT NULL, refreshed_at TEXT,"
            " etag TEXT, last_modified TEXT, last_error TEXT);"
            "INSERT INTO feeds (url, added_at, last_error) VALUES ('https://f.example/rss', '2024-01-01', 'HTTP 500');"
            "PRAGMA user_version = 2;"
        )
    with ArticleStore.open(path) as store:
        (feed,) = store.feeds()
        assert (feed.last_error, feed.failures, feed.retry_after) == ("HTTP 500", 0, None)
        store.record_refresh(feed.url, error="HTTP 503", retry_after="2026-01-01T09:00:00+00:00")
        (feed,) = store.feeds()
        assert (feed.last_error, feed.failures, feed.retry_after) == (
            "HTTP 503",
            1,
            "2026-01-01T09:00:00+00:00",
        )
        store.record_refresh(feed.url)
        (feed,) = store.feeds()
        assert (feed.last_error, feed.failures, feed.retry_after) == (None, 0, None)


def test_open_database_names_the_file_it_cannot_use(tmp_path: Path) -> None:
    not_a_database = tmp_path / "notes.sqlite3"
    not_a_database.write_bytes(b"this is not SQLite" * 100)
    with pytest.raises(StoreError, match=r"notes\.sqlite3 is not a usable follows database"):
        open_database(not_a_database, what="follows database")


def test_open_database_creates_the_folder_and_uses_wal(tmp_path: Path) -> None:
    connection = open_database(tmp_path / "new" / "db.sqlite3", what="article database")
    try:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        connection.close()
