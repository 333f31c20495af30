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
    listing = commands.add_parser("list", help="list followed feeds")
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
        print_line(out, f"{feed.url} — {feed.title or '(untitled)'} ({state})")
    return EXIT_OK


def remove_feed(args: argparse.Namespace, settings: Settings, out: TextIO) -> int:
    with open_store(args, settings) as store:
        try:
            removed = store.remove_feed(args.url)
        except ValueError:
            removed = False
    print_line(out, f"removed  {args.url}" if removed else f"failed   {args.url} — not a followed feed")
    return EXIT_OK if removed else EXIT_ALL_FAILED
