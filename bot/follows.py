"""Followed questions («/follow سؤال»), kept in the article database so they survive restarts.

A follow belongs to a chat: the alert goes where /follow was sent (a private chat or a group).
The table lives beside the articles in the same SQLite file (NEWSBOT_DB), created on first use; it
does not touch the article schema's version. One store (one connection) per thread, like
``ArticleStore``: open it where it is used.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import Enum
from pathlib import Path

from retrieval import StoreError
from retrieval.ingest import open_database

# Enough for a reader's interests; bounds the work one chat adds to every refresh.
MAX_FOLLOWS_PER_CHAT = 20

_SCHEMA = """
CREATE TABLE IF NOT EXISTS follows (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    chat_id    INTEGER NOT NULL,
    question   TEXT NOT NULL,
    created_at TEXT NOT NULL,          -- ISO 8601, UTC
    user_id    INTEGER,                -- who followed it (NULL: unknown, a follow made before it was kept)
    UNIQUE (chat_id, question)
);
"""
# Tables made before ``user_id`` existed gain it in place; their rows keep NULL.
_ADD_USER_ID = "ALTER TABLE follows ADD COLUMN user_id INTEGER"
_COLUMNS = "id, chat_id, question, created_at, user_id"


@dataclass(frozen=True, slots=True)
class Follow:
    """A question a chat follows."""

    id: int
    chat_id: int
    question: str
    created_at: str
    # The follower: the allow-list is checked again for them (or the chat) before each alert.
    user_id: int | None = None

    @property
    def ids(self) -> frozenset[int]:
        """The ids an alert concerns, as ``AccessPolicy`` reads them: the chat and the follower."""
        return frozenset(value for value in (self.chat_id, self.user_id) if value is not None)


class Added(Enum):
    """What :meth:`FollowStore.add` did."""

    ADDED = "added"
    ALREADY = "already"
    FULL = "full"  # the chat already follows MAX_FOLLOWS_PER_CHAT questions


class FollowStore:
    """The follows table of the SQLite file at ``path``."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self._db = connection

    @classmethod
    def open(cls, path: Path) -> FollowStore:
        """Open (creating if needed) the follows table; raises ``StoreError`` when the file is unusable."""
        connection = open_database(path, what="follows database")
        try:
            connection.executescript(_SCHEMA)
            _add_user_id(connection)
        except sqlite3.Error as error:
            connection.close()
            raise StoreError(f"{path} is not a usable follows database: {error}") from error
        return cls(connection)

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> FollowStore:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def add(self, chat_id: int, question: str, *, user_id: int | None = None) -> Added:
        """Follow ``question`` in ``chat_id`` (for ``user_id``) unless it is followed there already or the chat is full."""
        self._db.execute("BEGIN IMMEDIATE")
        try:
            result = self._add(chat_id, question, user_id)
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")
        return result

    def _add(self, chat_id: int, question: str, user_id: int | None) -> Added:
        if self._db.execute(
            "SELECT 1 FROM follows WHERE chat_id = ? AND question = ?", (chat_id, question)
        ).fetchone():
            return Added.ALREADY
        (count,) = self._db.execute("SELECT COUNT(*) FROM follows WHERE chat_id = ?", (chat_id,)).fetchone()
        if count >= MAX_FOLLOWS_PER_CHAT:
            return Added.FULL
        self._db.execute(
            "INSERT INTO follows (chat_id, question, created_at, user_id) VALUES (?, ?, ?, ?)",
            (chat_id, question, datetime.now(UTC).isoformat(timespec="seconds"), user_id),
        )
        return Added.ADDED

    def of_chat(self, chat_id: int) -> tuple[Follow, ...]:
        """The chat's follows, oldest first (the order /following numbers them in)."""
        rows = self._db.execute(
            f"SELECT {_COLUMNS} FROM follows WHERE chat_id = ? ORDER BY id", (chat_id,)
        ).fetchall()
        return tuple(Follow(*row) for row in rows)

    def all(self) -> tuple[Follow, ...]:
        """Every follow, oldest first (alerts go out in this order)."""
        rows = self._db.execute(f"SELECT {_COLUMNS} FROM follows ORDER BY id").fetchall()
        return tuple(Follow(*row) for row in rows)

    def remove(self, chat_id: int, follow_id: int) -> Follow | None:
        """Stop the follow ``follow_id`` of ``chat_id``; the follow removed, or None if there was none."""
        row = self._db.execute(
            f"DELETE FROM follows WHERE id = ? AND chat_id = ? RETURNING {_COLUMNS}",
            (follow_id, chat_id),
        ).fetchone()
        return Follow(*row) if row else None

    def drop_chat(self, chat_id: int) -> int:
        """Forget every follow of ``chat_id`` (it blocked the bot or is gone); how many there were."""
        return self._db.execute("DELETE FROM follows WHERE chat_id = ?", (chat_id,)).rowcount


def _add_user_id(connection: sqlite3.Connection) -> None:
    columns = {row[1] for row in connection.execute("PRAGMA table_info(follows)")}
    if "user_id" in columns:
        return
    try:
        connection.execute(_ADD_USER_ID)
    except sqlite3.OperationalError as error:
        # Another thread opened the same file a moment earlier and added it first.
        if "duplicate column" not in str(error).lower():
            raise
