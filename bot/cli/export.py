"""``newsbot export [FILE]``: the store as a ``.jsonl`` corpus, a backup that ``newsbot add FILE`` restores.

One ``{"id", "title", "text", "source", "url", "published"}`` object per line, in the order stored,
which is the corpus format the loader and ``add`` read; the store names an article by its text, so
restoring gives every article its id back.
"""

from __future__ import annotations

import argparse
import json
import os
from collections.abc import Iterable
from dataclasses import asdict
from pathlib import Path
from typing import Any, TextIO

from bot.cli.ingesting import EXIT_OK, open_store, print_line
from bot.cli.options import CommandError, add_db_option
from config import Settings
from retrieval import Article


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "export",
        help="write the stored articles as a .jsonl corpus (a backup)",
        description="Write every stored article as one JSON object per line. Restore with: newsbot add FILE",
    )
    parser.add_argument("file", nargs="?", type=Path, metavar="FILE", help="where to write (default: stdout)")
    add_db_option(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace, settings: Settings, out: TextIO) -> int:
    with open_store(args, settings) as store:
        articles = store.records()
    if args.file is None:
        out.writelines(jsonl_lines(articles))
        return EXIT_OK
    write_atomically(args.file, jsonl_lines(articles))
    print_line(out, f"exported {len(articles)} articles to {args.file}")
    return EXIT_OK


def jsonl_lines(articles: Iterable[Article]) -> Iterable[str]:
    for article in articles:
        yield json.dumps(asdict(article), ensure_ascii=False) + "\n"


def write_atomically(path: Path, lines: Iterable[str]) -> None:
    """Write to a temporary file beside ``path``, then rename: an interrupted export never leaves half a backup."""
    partial = path.with_name(f".{path.name}.partial")
    try:
        with partial.open("w", encoding="utf-8", newline="\n") as file:
            file.writelines(lines)
            file.flush()
            os.fsync(file.fileno())
        partial.replace(path)
    except OSError as error:
        partial.unlink(missing_ok=True)
        raise CommandError(f"cannot write {path}: {error.strerror or error}") from error
