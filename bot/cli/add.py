"""``newsbot add URL|FILE…``: download or read articles and store them."""

from __future__ import annotations

from typing import Any

from bot.cli.ingesting import ingest_runner
from bot.cli.options import add_db_option


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "add",
        help="store articles from web pages or files",
        description="Download and store Arabic news articles. Files: .txt, .md, .html, .jsonl.",
    )
    parser.add_argument("sources", nargs="+", metavar="URL|FILE", help="a page URL or a local file")
    add_db_option(parser)
    parser.set_defaults(func=ingest_runner(lambda ingestor, args: ingestor.add(args.sources)))
