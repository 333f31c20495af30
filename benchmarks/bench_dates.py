"""Benchmark the date features of AnswerEngine.answer: time restriction, recency, alerts' article mask.

ARCD articles carry no dates, so each gets a synthetic one (one of the last 60 days, by position);
the figures are milliseconds per question for the same questions answered four ways:

    python benchmarks/bench_dates.py                          # ARCD from ../shared/eval/arcd
    python benchmarks/bench_dates.py --questions 500

"alerts" is what one follow costs after a refresh: the question answered from five new articles only.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from retrieval import AnswerEngine, DateRange, RecencyPreference, load_corpus  # noqa: E402

ARCD = ROOT.parent / "shared" / "eval" / "arcd"
TODAY = date(2024, 11, 28)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--corpus", type=Path, default=ARCD / "corpus.jsonl")
    parser.add_argument("--questions-file", type=Path, default=ARCD / "questions.jsonl")
    parser.add_argument("--questions", type=int, default=300)
    args = parser.parse_args()

    articles = [
        replace(article, published=(TODAY - timedelta(days=number % 60)).isoformat())
        for number, article in enumerate(load_corpus(args.corpus).articles)
    ]
    engine = AnswerEngine.from_articles(articles)
    with args.questions_file.open(encoding="utf-8") as lines:
        questions = [
            json.loads(line)["question"] for line, _ in zip(lines, range(args.questions), strict=False)
        ]
    newest = [article.id for article in articles[:5]]
    week = DateRange(TODAY - timedelta(days=6), TODAY)
    ways = {
        "plain": {},
        "recency": {"today": TODAY, "recency": RecencyPreference()},
        "last 7 days": {"published": week},
        "alerts (5 new articles)": {"article_ids": newest, "top_k": 1},
    }
    print(f"{len(articles)} articles, {engine.sentence_count} sentences, {len(questions)} questions")
    for name, options in ways.items():
        timings = []
        for question in questions:
            started = time.perf_counter()
            engine.answer(question, **options)  # type: ignore[arg-type]
            timings.append((time.perf_counter() - started) * 1000)
        print(
            f"{name:<24} mean {statistics.fmean(timings):6.2f} ms   "
            f"p95 {sorted(timings)[int(0.95 * len(timings))]:6.2f} ms"
        )


if __name__ == "__main__":
    main()
