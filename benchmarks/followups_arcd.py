"""Follow-ups on ARCD: questions that lean on the previous one, answered as written and as completed.

ARCD's questions come in runs about one article, and some lean on the one before («من رسمها؟»,
«وما خطورته؟»). This takes every question that ``bot.followups`` reads as leaning on the previous
question of the same article, answers it three ways, and scores each with the shared scorer:

* as written (what the bot did before follow-ups),
* completed with the previous question's topic (``expand_followup``),
* as the bot answers it: completed, or as written when the completed reading finds nothing.

    python benchmarks/followups_arcd.py                   # ../shared/eval/arcd
    python benchmarks/followups_arcd.py --eval DIR --scorer ../shared/eval/score.py

Nothing is tuned here; it prints figures.
"""

from __future__ import annotations

import argparse
import itertools
import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.followups import expand_followup, leans_on_previous, read_message  # noqa: E402
from retrieval import Answer, AnswerEngine, ArabicAnalyzer, load_corpus  # noqa: E402


def prediction(question_id: str, answer: Answer) -> dict[str, Any]:
    quotes = [{"text": quote.text, "article_id": quote.article.id} for quote in answer.quotes]
    return {"id": question_id, "answered": answer.answered, "quotes": quotes}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--eval", type=Path, default=ROOT.parent / "shared" / "eval" / "arcd")
    parser.add_argument("--scorer", type=Path, default=ROOT.parent / "shared" / "eval" / "score.py")
    parser.add_argument("--top-k", type=int, default=10)
    args = parser.parse_args()

    corpus = args.eval / "corpus.jsonl"
    questions = [json.loads(line) for line in (args.eval / "questions.jsonl").open(encoding="utf-8")]
    engine = AnswerEngine.from_articles(load_corpus(corpus).articles)
    analyzer = ArabicAnalyzer()

    subset: list[dict[str, Any]] = []
    runs: dict[str, list[dict[str, Any]]] = {"as written": [], "completed": [], "as the bot answers": []}
    for previous, question in itertools.pairwise(questions):
        if previous["article_id"] != question["article_id"]:
            continue
        reading = read_message(question["question"], analyzer)
        if not leans_on_previous(reading):
            continue
        subset.append(question)
        written = engine.answer(question["question"], top_k=args.top_k)
        completed = engine.answer(expand_followup(previous["question"], reading, analyzer), top_k=args.top_k)
        runs["as written"].append(prediction(question["id"], written))
        runs["completed"].append(prediction(question["id"], completed))
        bot = completed if completed.answered or not written.answered else written
        runs["as the bot answers"].append(prediction(question["id"], bot))

    print(f"{len(subset)} of {len(questions)} questions lean on the previous question of their article\n")
    with tempfile.TemporaryDirectory() as work:
        subset_file = Path(work) / "questions.jsonl"
        subset_file.write_text("".join(json.dumps(q, ensure_ascii=False) + "\n" for q in subset), "utf-8")
        for name, predictions in runs.items():
            predictions_file = Path(work) / "predictions.jsonl"
            predictions_file.write_text(
                "".join(json.dumps(p, ensure_ascii=False) + "\n" for p in predictions), "utf-8"
            )
            command = [sys.executable, str(args.scorer), "--corpus", str(corpus)]
            command += ["--questions", str(subset_file), "--predictions", str(predictions_file)]
            report = subprocess.run(
                command,
                capture_output=True,
                text=True,
                check=True,
            ).stdout
            lines = [line for line in report.splitlines() if line.startswith(("answerable", "first quote"))]
            print(f"{name}:\n  " + "\n  ".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
