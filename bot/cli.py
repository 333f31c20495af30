"""The ``newsbot`` command: ask the corpus from a terminal, list sources, score a QA set, run the bot."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TextIO

from bot.cli_ingest import register as register_ingest
from bot.cli_support import (
    CommandError,
    Parser,
    add_corpus_argument,
    answer_to_json,
    article_to_json,
    build_engine,
    load_cli_articles,
    positive_int,
)
from bot.eval_cli import register as register_eval
from bot.run_cli import register as register_run
from retrieval import Answer, Article, Citation

NO_ANSWER_TEXT = "لم أجد في المقالات المتاحة ما يجيب عن هذا السؤال."


# ask -------------------------------------------------------------------------------------


def _register_ask(subparsers: Any) -> None:
    parser = subparsers.add_parser("ask", help="answer a question (or one per line of standard input)")
    parser.add_argument(
        "question", nargs="?", help="the question; omit to read questions from standard input"
    )
    add_corpus_argument(parser)
    parser.add_argument("--top-k", type=positive_int, default=3, help="quotes per answer (default 3)")
    parser.add_argument("--json", action="store_true", help="print JSON (one object per line in batch mode)")
    parser.set_defaults(func=_run_ask)


def _run_ask(args: argparse.Namespace, out: TextIO) -> int:
    engine = build_engine(args.corpus, args.db)
    if args.question is not None:
        questions: Iterable[str] = [args.question]
        batch = False
    else:
        questions = (line.strip() for line in sys.stdin)
        batch = True
    for question in questions:
        if not question:
            continue
        answer = engine.answer(question, top_k=args.top_k)
        if args.json:
            out.write(json.dumps(answer_to_json(answer), ensure_ascii=False) + "\n")
        elif batch:
            out.write(_answer_line(answer) + "\n")
        else:
            out.write(_answer_block(answer))
        out.flush()
    return 0


def _source_line(citation: Citation | Article) -> str:
    article = citation if isinstance(citation, Article) else citation.article
    parts = [article.title, article.source, article.published, article.url]
    return " · ".join(part for part in parts if part)


def _answer_block(answer: Answer) -> str:
    if not answer.answered:
        return NO_ANSWER_TEXT + "\n"
    lines = []
    for number, quote in enumerate(answer.quotes, start=1):
        lines.append(f"{number}. «{_one_line(quote.text)}»")
        lines.append(f"   — {_source_line(quote.citation)}")
        for other in quote.also_in:
            lines.append(f"   — {_source_line(other)}  (بصياغة أخرى: «{_one_line(other.text)}»)")
        lines.append("")
    return "\n".join(lines)


def _answer_line(answer: Answer) -> str:
    if not answer.answered:
        return f"{answer.question}\t{NO_ANSWER_TEXT}"
    best = answer.quotes[0]
    return f"{answer.question}\t«{_one_line(best.text)}» — {_source_line(best.citation)}"


def _one_line(text: str) -> str:
    return " ".join(text.split())


# sources ---------------------------------------------------------------------------------


def _register_sources(subparsers: Any) -> None:
    parser = subparsers.add_parser("sources", help="list the articles of the corpus")
    add_corpus_argument(parser)
    parser.add_argument("--json", action="store_true", help="print one JSON object per article")
    parser.set_defaults(func=_run_sources)


def _run_sources(args: argparse.Namespace, out: TextIO) -> int:
    articles = load_cli_articles(args.corpus, args.db)
    for article in articles:
        if args.json:
            out.write(json.dumps(article_to_json(article), ensure_ascii=False) + "\n")
        else:
            out.write(f"{article.id}\t{_source_line(article)}\n")
    return 0


# wiring ----------------------------------------------------------------------------------

Registration = Callable[[Any], None]
# Each command module contributes a register(subparsers) function; order is the --help order.
_REGISTRATIONS: list[Registration] = [
    _register_ask,
    _register_sources,
    register_eval,
    register_ingest,
    register_run,
]


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="newsbot",
        description="Arabic news question answering: quotes source sentences verbatim, with their sources.",
    )
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND", parser_class=Parser)
    for register in _REGISTRATIONS:
        register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        status: int = args.func(args, out or sys.stdout)
    except CommandError as error:
        print(f"newsbot: error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    return status


if __name__ == "__main__":
    sys.exit(main())
