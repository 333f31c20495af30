"""What every ``newsbot`` subcommand shares: the parser, one-line errors, and the common options.

``--corpus``, ``--db`` and ``--top-k`` are defined here once; a command picks its default and help.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import NoReturn, TextIO

from bot.library import NewsLibrary
from config import Settings
from retrieval import AnswerEngine, Article, RetrievalError

# What a subcommand runs: parsed arguments and the settings (read once, in ``bot.cli.main``) in,
# exit status out.
Command = Callable[[argparse.Namespace, Settings, TextIO], int]

CORPUS_HELP = (
    "directory of article files or a .jsonl file (default: the bundled seeds/ plus the article store)"
)
DB_HELP = "article store (default: $NEWSBOT_DB or the data dir)"


class CommandError(Exception):
    """A user error: printed as one line, exit status 2."""


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        # One clear line instead of argparse's usage dump.
        self.exit(2, f"{self.prog}: error: {message} (see --help)\n")


def positive_int(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {value!r}") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"expected a number >= 1, got {number}")
    return number


def add_corpus_option(
    parser: argparse.ArgumentParser, *, default: Path | None = None, help: str = CORPUS_HELP
) -> None:
    parser.add_argument("--corpus", type=Path, default=default, help=help)


def add_db_option(parser: argparse.ArgumentParser, *, help: str = DB_HELP) -> None:
    parser.add_argument("--db", type=Path, default=None, metavar="PATH", help=help)


def add_top_k_option(parser: argparse.ArgumentParser, *, default: int | None, help: str) -> None:
    parser.add_argument("--top-k", type=positive_int, default=default, help=help)


def db_path(args: argparse.Namespace, settings: Settings) -> Path:
    """``--db`` when given, else NEWSBOT_DB."""
    db: Path | None = getattr(args, "db", None)
    return db if db is not None else settings.storage.db


def library(args: argparse.Namespace, settings: Settings) -> NewsLibrary:
    """``--corpus`` alone when named, else the seeds plus the store (``--db``)."""
    return NewsLibrary(
        db=db_path(args, settings), corpus=args.corpus, index_cache=settings.storage.index_cache
    )


def load_articles(source: NewsLibrary) -> tuple[Article, ...]:
    """The library's articles; a corpus or store failure becomes a ``CommandError``."""
    try:
        return source.articles()
    except RetrievalError as error:
        raise CommandError(str(error)) from error


def build_engine(source: NewsLibrary) -> AnswerEngine:
    """The library's engine; every corpus, store or indexing failure becomes a ``CommandError``."""
    try:
        return source.build_engine()
    except RetrievalError as error:
        raise CommandError(str(error)) from error
