"""``newsbot remove ID|URL…``: take articles out of the store for good (a takedown request)."""

from __future__ import annotations

from typing import Any

from bot.cli.ingesting import ingest_runner
from bot.cli.options import add_db_option


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "remove",
        help="remove stored articles; feeds and add never store them again",
        description="Remove articles from the store by id (see `newsbot sources`) or URL. A tombstone "
        "keeps them out: refreshing their feed, adding their URL or restoring a backup does not store them "
        "again. The bundled seed articles are not in the store.",
    )
    parser.add_argument(
        "keys", nargs="+", metavar="ID|URL", help="an article id or the URL it was stored from"
    )
    add_db_option(parser)
    parser.set_defaults(func=ingest_runner(lambda ingestor, args: ingestor.remove(args.keys)))
