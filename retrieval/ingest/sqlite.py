"""Opening the project's SQLite file: one place for the connection settings every table relies on."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from retrieval.errors import StoreError

__all__ = ["open_database"]

# A second process (the CLI while the bot runs) may hold the write lock for a moment.
BUSY_TIMEOUT_SECONDS = 10.0


def open_database(path: Path, *, what: str) -> sqlite3.Connection:
    """Connect to ``path`` (creating its folder), in WAL mode and with explicit transactions.

    ``isolation_level=None`` because callers issue BEGIN/COMMIT themselves (one transaction per
    article); WAL so readers never block the writer. ``what`` names the file in errors ("article
    database"). Raises :class:`StoreError` when the file cannot be opened or is not a database.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(path, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None)
    except (OSError, sqlite3.Error) as error:
        raise StoreError(f"cannot open the {what} {path}: {error}") from error
    try:
        connection.execute("PRAGMA journal_mode=WAL")
    except sqlite3.Error as error:
        connection.close()
        raise StoreError(f"{path} is not a usable {what}: {error}") from error
    return connection
