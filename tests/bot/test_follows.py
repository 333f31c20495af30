"""FollowStore: a chat's followed questions in the article database, surviving restarts."""

import sqlite3
from pathlib import Path

from bot.follows import MAX_FOLLOWS_PER_CHAT, Added, FollowStore
from retrieval.ingest import ArticleStore
from retrieval.records import NewArticle


def test_follows_are_per_chat_unique_and_numbered_in_order(tmp_path: Path) -> None:
    with FollowStore.open(tmp_path / "db.sqlite3") as store:
        assert store.add(1, "متى وصل بوتين؟") is Added.ADDED
        assert store.add(1, "ما سعر الذهب؟") is Added.ADDED
        assert store.add(1, "متى وصل بوتين؟") is Added.ALREADY
        assert store.add(2, "متى وصل بوتين؟") is Added.ADDED
        assert [f.question for f in store.of_chat(1)] == ["متى وصل بوتين؟", "ما سعر الذهب؟"]
        assert [(f.chat_id, f.question) for f in store.all()] == [
            (1, "متى وصل بوتين؟"),
            (1, "ما سعر الذهب؟"),
            (2, "متى وصل بوتين؟"),
        ]


def test_follows_survive_reopening_the_file(tmp_path: Path) -> None:
    db = tmp_path / "db.sqlite3"
    with FollowStore.open(db) as store:
        store.add(7, "ما سعر الذهب؟")
    with FollowStore.open(db) as store:
        assert [f.question for f in store.of_chat(7)] == ["ما سعر الذهب؟"]


def test_remove_takes_only_the_chats_own_follow(tmp_path: Path) -> None:
    with FollowStore.open(tmp_path / "db.sqlite3") as store:
        store.add(1, "سؤال أول")
        (mine,) = store.of_chat(1)
        assert store.remove(2, mine.id) is None  # another chat cannot stop it
        removed = store.remove(1, mine.id)
        assert removed is not None and removed.question == "سؤال أول"
        assert store.of_chat(1) == () and store.remove(1, mine.id) is None


def test_a_blocked_chat_is_dropped_whole(tmp_path: Path) -> None:
    with FollowStore.open(tmp_path / "db.sqlite3") as store:
        store.add(1, "سؤال أول")
        store.add(1, "سؤال ثان")
        store.add(2, "سؤال أول")
        assert store.drop_chat(1) == 2
        assert store.of_chat(1) == () and len(store.of_chat(2)) == 1


def test_a_chat_follows_at_most_the_limit(tmp_path: Path) -> None:
    with FollowStore.open(tmp_path / "db.sqlite3") as store:
        for number in range(MAX_FOLLOWS_PER_CHAT):
            assert store.add(1, f"سؤال {number}") is Added.ADDED
        assert store.add(1, "سؤال آخر") is Added.FULL
        assert store.add(1, "سؤال 0") is Added.ALREADY
        assert len(store.of_chat(1)) == MAX_FOLLOWS_PER_CHAT


def test_the_follows_table_shares_the_file_with_the_articles(tmp_path: Path) -> None:
    db = tmp_path / "db.sqlite3"
    with FollowStore.open(db) as follows:
        follows.add(1, "سؤال")
    with ArticleStore.open(db) as articles:
        articles.save(NewArticle(title="عنوان", text="نص الخبر."))
        assert articles.count() == 1
    with FollowStore.open(db) as follows:
        assert len(follows.of_chat(1)) == 1


def test_the_follower_is_kept_and_a_table_from_before_gains_the_column(tmp_path: Path) -> None:
    db = tmp_path / "db.sqlite3"
    with sqlite3.connect(db) as old:  # the table as it was made before followers were kept
        old.execute(
            "CREATE TABLE follows (id INTEGER PRIMARY KEY AUTOINCREMENT, chat_id INTEGER NOT NULL, "
            "question TEXT NOT NULL, created_at TEXT NOT NULL, UNIQUE (chat_id, question))"
        )
        old.execute("INSERT INTO follows (chat_id, question, created_at) VALUES (-100, 'سؤال قديم', 'x')")
    old.close()
    with FollowStore.open(db) as store:
        assert store.add(-100, "سؤال جديد", user_id=7) is Added.ADDED
        earlier, later = store.of_chat(-100)
    assert (earlier.user_id, earlier.ids) == (None, frozenset({-100}))
    assert (later.user_id, later.ids) == (7, frozenset({-100, 7}))
