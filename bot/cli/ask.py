"""``newsbot ask``: answer a question, or one per line of standard input, as text or JSON."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable
from datetime import date
from typing import Any, TextIO

from bot.cli.formats import answer_block, answer_line, answer_to_json
from bot.cli.options import add_corpus_option, add_db_option, add_top_k_option, build_engine, library
from bot.library import recency_preference
from config import Settings


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("ask", help="answer a question (or one per line of standard input)")
    parser.add_argument(
        "question", nargs="?", help="the question; omit to read questions from standard input"
    )
    add_corpus_option(parser)
    add_db_option(
        parser, help="article store to answer from besides the seeds (default: $NEWSBOT_DB or the data dir)"
    )
    add_top_k_option(parser, default=3, help="quotes per answer (default 3)")
    parser.add_argument("--json", action="store_true", help="print JSON (one object per line in batch mode)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace, settings: Settings, out: TextIO) -> int:
    engine = build_engine(library(args, settings))
    recency = recency_preference(settings)
    if args.question is not None:
        questions: Iterable[str] = [args.question]
        batch = False
    else:
        questions = (line.strip() for line in sys.stdin)
        batch = True
    for question in questions:
        if not question:
            continue
        # Time words («أمس») count from the machine's local date, as in the bot.
        answer = engine.answer(question, top_k=args.top_k, today=date.today(), recency=recency)
        if args.json:
            out.write(json.dumps(answer_to_json(answer), ensure_ascii=False) + "\n")
        elif batch:
            out.write(answer_line(answer) + "\n")
        else:
            out.write(answer_block(answer))
        out.flush()
    return 0
