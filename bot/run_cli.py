"""``newsbot run``: start the Telegram bot in polling mode (same as ``python -m bot``)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, TextIO

from bot.cli_support import positive_int


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "run",
        help="run the Telegram bot (polling); needs NEWSBOT_TELEGRAM_TOKEN",
        description="Run the Telegram bot in polling mode. Settings come from NEWSBOT_* variables and .env; "
        "the options below override them.",
    )
    parser.add_argument("--corpus", type=Path, default=None, help="articles to answer from (NEWSBOT_CORPUS)")
    parser.add_argument("--top-k", type=positive_int, default=None, help="quotes per answer (NEWSBOT_TOP_K)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace, out: TextIO) -> int:
    # Imported here so that `newsbot ask` does not pay for importing python-telegram-bot.
    from bot.app import main

    overrides = {"corpus": args.corpus, "top_k": args.top_k}
    return main(overrides={name: value for name, value in overrides.items() if value is not None})
