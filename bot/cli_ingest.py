"""`newsbot add`, `newsbot feeds add|list|remove` and `newsbot refresh`: put news into the article store.

Each command prints one line per item (added, skipped or failed, with the reason) as it happens and
exits non-zero only when every item failed, so a cron job notices a dead source without failing
on one bad link.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TextIO

from bot.cli_support import CommandError
from config.storage import StorageSettings
from retrieval import StoreError
from retrieval.ingest import (
    ArticleStore,
    FetchLimits,
    Ingestor,
    Outcome,
    Status,
    all_failed,
    make_client,
)

EXIT_OK = 0
EXIT_ALL_FAILED = 1

Command = Callable[[Ingestor, argparse.Namespace], Sequence[Outcome]]


def register(subparsers: Any) -> None:
    """Add the ingestion subcommands to the `newsbot` parser's subparsers."""
    add = subparsers.add_parser(
        "add",
        help="store articles from web pages or files",
        description="Download and store Arabic news articles. Files: .txt, .md, .html, .jsonl.",
    )
    add.add_argument("sources", nargs="+", metavar="URL|FILE", help="a page URL or a local file")
    _add_db_flag(add)
    add.set_defaults(func=_runner(lambda ingestor, args: ingestor.add(args.sources)))

    feeds = subparsers.add_parser("feeds", help="follow RSS/Atom feeds", description="Manage followed feeds.")
    feeds_commands = feeds.add_subparsers(dest="feeds_command", required=True, metavar="{add,list,remove}")
    feed_add = feeds_commands.add_parser("add", help="follow a feed (checks that it parses)")
    feed_add.add_argument("url")
    _add_db_flag(feed_add)
    feed_add.set_defaults(func=_runner(lambda ingestor, args: (ingestor.follow_feed(args.url),)))
    feed_list = feeds_commands.add_parser("list", help="list followed feeds")
    _add_db_flag(feed_list)
    feed_list.set_defaults(func=_list_feeds)
    feed_remove = feeds_commands.add_parser("remove", help="stop following a feed (its articles stay)")
    feed_remove.add_argument("url")
    _add_db_flag(feed_remove)
    feed_remove.set_defaults(func=_remove_feed)

    refresh = subparsers.add_parser(
        "refresh",
        help="fetch new articles from followed feeds",
        description="Store the new entries of every feed.",
    )
    _add_db_flag(refresh)
    refresh.set_defaults(func=_runner(_refresh))


def _add_db_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db",
        type=Path,
        default=None,
        metavar="PATH",
        help="article database (default: $NEWSBOT_DB or the data dir)",
    )


def _db_path(args: argparse.Namespace, settings: StorageSettings) -> Path:
    return args.db if args.db is not None else settings.db


def _runner(command: Command) -> Callable[[argparse.Namespace, TextIO], int]:
    """Wrap an ingest command: open the store and client, print outcomes as they come, summarise."""

    def run(args: argparse.Namespace, out: TextIO) -> int:
        settings = StorageSettings()
        limits = FetchLimits(
            timeout=settings.fetch_timeout_seconds,
            total_timeout=2 * settings.fetch_timeout_seconds,
            max_bytes=settings.max_page_bytes,
        )
        try:
            with ArticleStore.open(_db_path(args, settings)) as store, make_client(limits) as client:
                ingestor = Ingestor(
                    store=store,
                    client=client,
                    limits=limits,
                    report=lambda outcome: _print(out, format_outcome(outcome)),
                )
                outcomes = command(ingestor, args)
                total = store.count()
        except StoreError as exc:
            raise CommandError(str(exc)) from exc
        _print(out, _summary(outcomes, total, store.path))
        return EXIT_ALL_FAILED if all_failed(outcomes) else EXIT_OK

    return run


def _refresh(ingestor: Ingestor, args: argparse.Namespace) -> Sequence[Outcome]:
    if not ingestor.store.feeds():
        if ingestor.report is not None:
            ingestor.report(
                Outcome(Status.SKIPPED, "refresh", "no feeds followed; add one with: newsbot feeds add URL")
            )
        return ()
    return ingestor.refresh()


def format_outcome(outcome: Outcome) -> str:
    """One line per item: status, source, then the title (added) or the reason."""
    if outcome.status is Status.ADDED:
        note = outcome.title or ""
        if outcome.article_id:
            note = f"{note} [{outcome.article_id}]"
        elif outcome.detail:  # a feed: how many entries `refresh` will look at
            note = f"{note} ({outcome.detail})".strip()
    else:
        note = outcome.detail
    return f"{outcome.status.value:<8} {outcome.item}" + (f" — {note}" if note else "")


def _print(out: TextIO, line: str) -> None:
    out.write(line + "\n")
    out.flush()  # progress, not a report at the end: refreshing many feeds takes a while


def _summary(outcomes: Sequence[Outcome], total: int, path: Path) -> str:
    counts = {status: sum(1 for o in outcomes if o.status is status) for status in Status}
    return (
        f"{counts[Status.ADDED]} added, {counts[Status.SKIPPED]} skipped, {counts[Status.FAILED]} failed;"
        f" {total} articles in {path}"
    )


def _open_store(args: argparse.Namespace) -> ArticleStore:
    try:
        return ArticleStore.open(_db_path(args, StorageSettings()))
    except StoreError as exc:
        raise CommandError(str(exc)) from exc


def _list_feeds(args: argparse.Namespace, out: TextIO) -> int:
    with _open_store(args) as store:
        feeds = store.feeds()
    if not feeds:
        _print(out, "no feeds followed; add one with: newsbot feeds add URL")
    for feed in feeds:
        state = f"refreshed {feed.refreshed_at}" if feed.refreshed_at else "never refreshed"
        if feed.last_error:
            state += f", last error: {feed.last_error}"
        _print(out, f"{feed.url} — {feed.title or '(untitled)'} ({state})")
    return EXIT_OK


def _remove_feed(args: argparse.Namespace, out: TextIO) -> int:
    with _open_store(args) as store:
        try:
            removed = store.remove_feed(args.url)
        except ValueError:
            removed = False
    _print(out, f"removed  {args.url}" if removed else f"failed   {args.url} — not a followed feed")
    return EXIT_OK if removed else EXIT_ALL_FAILED
