"""``newsbot run``: start the Telegram bot in polling mode (same as ``python -m bot``)."""

from __future__ import annotations

import argparse
from typing import Any, TextIO

from bot.cli.options import add_corpus_option, add_top_k_option
from config import Settings

# The options that override settings (NEWSBOT_CORPUS, NEWSBOT_TOP_K) when given; read by ``bot.cli.main``.
SETTINGS_OVERRIDES = ("corpus", "top_k")


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "run",
        help="run the Telegram bot (polling); needs NEWSBOT_TELEGRAM_TOKEN",
        description="Run the Telegram bot in polling mode. Settings come from NEWSBOT_* variables and .env; "
        "the options below override them.",
    )
    add_corpus_option(parser, help="articles to answer from (NEWSBOT_CORPUS)")
    add_top_k_option(parser, default=None, help="quotes per answer (NEWSBOT_TOP_K)")
    parser.set_defaults(func=run, settings_overrides=SETTINGS_OVERRIDES)


def run(args: argparse.Namespace, settings: Settings, out: TextIO) -> int:
    # Imported here so that `newsbot ask` does not pay for importing python-telegram-bot.
    from bot.app import run as run_bot

    return run_bot(settings)
