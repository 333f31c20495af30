"""``newsbot eval``: run the engine over a QA set in the ../shared/eval format and score it.

The data and the scorer stay in ``../shared/eval``; nothing is copied into the repository.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, TextIO

from bot.cli.options import CommandError, add_corpus_option, add_top_k_option, build_engine
from bot.library import NewsLibrary
from config import Settings

_SHARED_EVAL = Path(__file__).resolve().parents[3] / "shared" / "eval"


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("eval", help="answer a QA set and score it with the shared scorer")
    add_corpus_option(
        parser, default=_SHARED_EVAL / "arcd" / "corpus.jsonl", help="the articles (a .jsonl file)"
    )
    parser.add_argument("--questions", type=Path, default=_SHARED_EVAL / "arcd" / "questions.jsonl")
    parser.add_argument("--out", type=Path, default=Path("eval-out") / "predictions.jsonl")
    parser.add_argument("--scorer", type=Path, default=_SHARED_EVAL / "score.py")
    add_top_k_option(parser, default=10, help="quotes per question (default 10)")
    parser.add_argument("--json", action="store_true", help="print the scorer's JSON report")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace, settings: Settings, out: TextIO) -> int:
    questions = _read_questions(args.questions)
    started = time.perf_counter()
    engine = build_engine(
        NewsLibrary(db=settings.storage.db, corpus=args.corpus, index_cache=settings.storage.index_cache)
    )
    built = time.perf_counter()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("w", encoding="utf-8", newline="\n") as predictions:
        for question in questions:
            answer = engine.answer(question["question"], top_k=args.top_k)
            quotes = [{"text": quote.text, "article_id": quote.article.id} for quote in answer.quotes]
            record = {"id": question["id"], "answered": answer.answered, "quotes": quotes}
            predictions.write(json.dumps(record, ensure_ascii=False) + "\n")
    answered = time.perf_counter()
    print(
        f"indexed {engine.sentence_count} sentences of {len(engine.articles)} articles in {built - started:.1f}s; "
        f"answered {len(questions)} questions in {answered - built:.1f}s",
        file=sys.stderr,
    )
    command = [
        sys.executable,
        str(args.scorer),
        "--corpus",
        str(args.corpus),
        "--questions",
        str(args.questions),
    ]
    command += ["--predictions", str(args.out)] + (["--json"] if args.json else [])
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    out.write(result.stdout)
    sys.stderr.write(result.stderr)
    return result.returncode


def _read_questions(path: Path) -> list[dict[str, Any]]:
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise CommandError(f"cannot read questions {path}: {error}") from error
    questions = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            questions.append({"id": str(record["id"]), "question": str(record["question"])})
        except (json.JSONDecodeError, KeyError, TypeError) as error:
            raise CommandError(f"{path}:{number}: not a question record ({error})") from error
    return questions
