"""``newsbot sources``: the articles answers come from, one per line or as JSON."""

from __future__ import annotations

import argparse
import json
from typing import Any, TextIO

from bot.cli.formats import article_to_json, terminal_source
from bot.cli.options import add_corpus_option, add_db_option, library, load_articles
from config import Settings


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("sources", help="list the articles of the corpus")
    add_corpus_option(parser)
    add_db_option(
        parser, help="article store to list besides the seeds (default: $NEWSBOT_DB or the data dir)"
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object per article")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace, settings: Settings, out: TextIO) -> int:
    for article in load_articles(library(args, settings)):
        if args.json:
            out.write(json.dumps(article_to_json(article), ensure_ascii=False) + "\n")
        else:
            out.write(f"{article.id}\t{terminal_source(article)}\n")
    return 0
