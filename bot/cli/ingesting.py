"""What ``newsbot add``, ``feeds`` and ``refresh`` share: open the store and client, print each outcome.

Each command prints one line per item (added, skipped or failed, with the reason) as it happens and
exits non-zero only when every item failed, so a cron job notices a dead source without failing
on one bad link.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TextIO

from bot.cli.options import Command, CommandError, db_path
from config import Settings
from retrieval import StoreError
from retrieval.ingest import ArticleStore, Ingestor, Outcome, Status, all_failed, make_client

EXIT_OK = 0
EXIT_ALL_FAILED = 1

IngestCommand = Callable[[Ingestor, argparse.Namespace], Sequence[Outcome]]


def ingest_runner(command: IngestCommand) -> Command:
    """Wrap an ingest command: open the store and client, print outcomes as they come, summarise."""

    def run(args: argparse.Namespace, settings: Settings, out: TextIO) -> int:
        limits = settings.storage.fetch_limits()
        try:
            with ArticleStore.open(db_path(args, settings)) as store, make_client(limits) as client:
                ingestor = Ingestor(
                    store=store,
                    client=client,
                    limits=limits,
                    refresh_limits=settings.storage.refresh_limits(),
                    report=lambda outcome: print_line(out, format_outcome(outcome)),
                )
                outcomes = command(ingestor, args)
                total = store.count()
        except StoreError as error:
            raise CommandError(str(error)) from error
        print_line(out, summary(outcomes, total, store.path))
        return EXIT_ALL_FAILED if all_failed(outcomes) else EXIT_OK

    return run


def open_store(args: argparse.Namespace, settings: Settings) -> ArticleStore:
    """The store at ``--db`` (or NEWSBOT_DB); an unusable one is a ``CommandError``."""
    try:
        return ArticleStore.open(db_path(args, settings))
    except StoreError as error:
        raise CommandError(str(error)) from error


def format_outcome(outcome: Outcome) -> str:
    """One line per item: status, source, then the title (added) or the reason."""
    if outcome.status in (Status.ADDED, Status.REMOVED):
        note = outcome.title or ""
        if outcome.article_id:
            note = f"{note} [{outcome.article_id}]"
        elif outcome.detail:  # a feed: how many entries `refresh` will look at
            note = f"{note} ({outcome.detail})".strip()
    else:
        note = outcome.detail
    return f"{outcome.status.value:<8} {outcome.item}" + (f" — {note}" if note else "")


def print_line(out: TextIO, line: str) -> None:
    out.write(line + "\n")
    out.flush()  # progress, not a report at the end: refreshing many feeds takes a while


def summary(outcomes: Sequence[Outcome], total: int, path: Path) -> str:
    counts = {status: sum(1 for o in outcomes if o.status is status) for status in Status}
    removed = f"{counts[Status.REMOVED]} removed, " if counts[Status.REMOVED] else ""
    return (
        f"{removed}{counts[Status.ADDED]} added, {counts[Status.SKIPPED]} skipped,"
        f" {counts[Status.FAILED]} failed; {total} articles in {path}"
    )
