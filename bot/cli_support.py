"""Pieces shared by the ``newsbot`` subcommands: argument types, engine loading, JSON shapes."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, NoReturn

from bot.corpus import load_served_articles
from config.storage import StorageSettings
from retrieval import Answer, AnswerEngine, Article, RetrievalError, StoreError


class CommandError(Exception):
    """A user error: printed as one line, exit status 2."""


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        # One clear line instead of argparse's usage dump.
        self.exit(2, f"{self.prog}: error: {message} (see --help)\n")


def add_corpus_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--corpus",
        type=Path,
        default=None,
        help="directory of article files or a .jsonl file (default: the bundled seeds/ plus the article store)",
    )
    parser.add_argument(
        "--db",
        type=Path,
        default=None,
        metavar="PATH",
        help="article store to answer from besides the seeds (default: $NEWSBOT_DB or the data dir)",
    )


def load_cli_articles(corpus: Path | None, db: Path | None = None) -> tuple[Article, ...]:
    """``corpus`` alone if named, else the seeds plus the article store; failures become ``CommandError``."""
    try:
        return load_served_articles(corpus, db=db if db is not None else StorageSettings().db)
    except (RetrievalError, StoreError) as error:
        raise CommandError(str(error)) from error


def build_engine(corpus: Path | None, db: Path | None = None) -> AnswerEngine:
    """Load the corpus (or seeds plus store) and index it; every failure becomes a ``CommandError``."""
    try:
        articles = load_cli_articles(corpus, db)
        return AnswerEngine.from_articles(articles, cache_dir=StorageSettings().index_cache)
    except RetrievalError as error:
        raise CommandError(str(error)) from error


def positive_int(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {value!r}") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"expected a number >= 1, got {number}")
    return number


def answer_to_json(answer: Answer) -> dict[str, Any]:
    return {
        "question": answer.question,
        "answered": answer.answered,
        "quotes": [
            {
                "text": quote.text,
                **article_to_json(quote.article),
                "score": round(quote.score, 6),
                "also_reported_by": [
                    {"text": other.text, **article_to_json(other.article)} for other in quote.also_in
                ],
            }
            for quote in answer.quotes
        ],
    }


def article_to_json(article: Article) -> dict[str, str | None]:
    return {
        "article_id": article.id,
        "title": article.title,
        "source": article.source,
        "url": article.url,
        "published": article.published,
    }
