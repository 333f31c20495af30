"""``newsbot refresh``: store the new entries of every followed feed."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import Any

from bot.cli.feeds import NO_FEEDS
from bot.cli.ingesting import ingest_runner
from bot.cli.options import add_db_option
from retrieval.ingest import Ingestor, Outcome, Status


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "refresh",
        help="fetch new articles from followed feeds",
        description="Store the new entries of every feed.",
    )
    add_db_option(parser)
    parser.set_defaults(func=ingest_runner(refresh))


def refresh(ingestor: Ingestor, args: argparse.Namespace) -> Sequence[Outcome]:
    if not ingestor.store.feeds():
        if ingestor.report is not None:
            ingestor.report(Outcome(Status.SKIPPED, "refresh", NO_FEEDS))
        return ()
    return ingestor.refresh()
