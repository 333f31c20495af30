"""``newsbot feeds add|list|remove``: the RSS/Atom feeds that ``refresh`` (and the running bot) fetch."""

from __future__ import annotations

import argparse
from typing import Any, TextIO

from bot.cli.ingesting import EXIT_ALL_FAILED, EXIT_OK, ingest_runner, open_store, print_line
from bot.cli.options import add_db_option
from config import Settings

NO_FEEDS = "no feeds followed; add one with: newsbot feeds add URL"


def register(subparsers: Any) -> None:
    feeds = subparsers.add_parser("feeds", help="follow RSS/Atom feeds", description="Manage followed feeds.")
    commands = feeds.add_subparsers(dest="feeds_command", required=True, metavar="{add,list,remove}")
    follow = commands.add_parser("add", help="follow a feed (checks that it parses)")
    follow.add_argument("url")
    add_db_option(follow)
    follow.set_defaults(func=ingest_runner(lambda ingestor, args: (ingestor.follow_feed(args.url),)))
    listing = commands.add_parser("list", help="list followed feeds, their errors and back-off")
    add_db_option(listing)
    listing.set_defaults(func=list_feeds)
    remove = commands.add_parser("remove", help="stop following a feed (its articles stay)")
    remove.add_argument("url")
    add_db_option(remove)
    remove.set_defaults(func=remove_feed)


def list_feeds(args: argparse.Namespace, settings: Settings, out: TextIO) -> int:
    with open_store(args, settings) as store:
        feeds = store.feeds()
        if not feeds:
            print_line(out, NO_FEEDS)
        for feed in feeds:
            state = f"refreshed {feed.refreshed_at}" if feed.refreshed_at else "never refreshed"
            if feed.last_error:
                state += f", last error: {feed.last_error}"
            if feed.failures and feed.retry_after:
                state += f", {failures(feed.failures)} in a row, next try after {feed.retry_after}"
            print_line(out, f"{feed.url} — {feed.title or '(untitled)'} ({state})")
            # Entries that keep failing, so a dead link is visible rather than silently retried.
            for entry in store.entry_failures(feed.url):
                print_line(
                    out,
                    f"    failing entry {entry.url} — {failures(entry.failures)} in a row, last error:"
                    f" {entry.last_error}, next try after {entry.retry_after}",
                )
    return EXIT_OK


def failures(count: int) -> str:
    return f"{count} failure" if count == 1 else f"{count} failures"


def remove_feed(args: argparse.Namespace, settings: Settings, out: TextIO) -> int:
    with open_store(args, settings) as store:
        try:
            removed = store.remove_feed(args.url)
        except ValueError:
            removed = False
    print_line(out, f"removed  {args.url}" if removed else f"failed   {args.url} — not a followed feed")
    return EXIT_OK if removed else EXIT_ALL_FAILED
