"""Tune the bar a further quote must pass (``AnswerPolicy.min_further_words/_coverage``) on ARCD.

Prints, for each setting of a small grid, Hit@1/3/10 and MRR@10 over every question, then a
five-fold cross-validation over articles: each fold's setting is the one with the best MRR on
the other folds, scored on the fold's own questions. Hit@1 cannot move (the first quote is
chosen before the bar applies); the bar only decides which later quotes are shown.

    .venv/bin/python benchmarks/tune_further_quotes.py [--eval ../shared/eval]
"""

from __future__ import annotations

import argparse
import dataclasses
import itertools
import json
import sys
from pathlib import Path

from retrieval import AnswerEngine, AnswerPolicy, Article

WORDS = (1, 2)
COVERAGES = (0.0, 0.1, 0.15, 0.2, 0.25)
FOLDS = 5
TOP_K = 10


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--eval", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "eval")
    args = parser.parse_args()
    sys.path.insert(0, str(args.eval))
    import score  # the shared scorer's normalization and hit test, not a copy of them

    articles = [
        Article(id=row["id"], title=row["title"], text=row["text"])
        for row in map(
            json.loads, (args.eval / "arcd" / "corpus.jsonl").read_text(encoding="utf-8").splitlines()
        )
    ]
    questions = [
        json.loads(line) for line in (args.eval / "arcd" / "questions.jsonl").read_text("utf-8").splitlines()
    ]
    engine = AnswerEngine.from_articles(articles)
    settings = list(itertools.product(WORDS, COVERAGES))
    # ranks[setting][question id]: 1-based rank of the first hitting quote, 0 for none.
    ranks: dict[tuple[int, float], dict[str, int]] = {}
    for words, coverage in settings:
        policy = dataclasses.replace(AnswerPolicy(), min_further_words=words, min_further_coverage=coverage)
        tuned = engine.with_policy(policy)
        ranks[(words, coverage)] = {
            question["id"]: _first_hit(score, tuned, question) for question in questions
        }
    print(f"{'words':>5} {'coverage':>8}  Hit@1  Hit@3  Hit@10  MRR@10")
    for setting in settings:
        print(f"{setting[0]:>5} {setting[1]:>8.2f}  " + _figures(list(ranks[setting].values())))
    fold_of = {article.id: number % FOLDS for number, article in enumerate(articles)}
    held_out: list[int] = []
    for fold in range(FOLDS):
        train = [q["id"] for q in questions if fold_of[q["article_id"]] != fold]
        test = [q["id"] for q in questions if fold_of[q["article_id"]] == fold]
        chosen = max(settings, key=lambda setting: _mrr([ranks[setting][q] for q in train]))
        print(f"fold {fold}: chose words={chosen[0]} coverage={chosen[1]:.2f}")
        held_out += [ranks[chosen][q] for q in test]
    print("held-out       " + _figures(held_out))


def _first_hit(score: object, engine: AnswerEngine, question: dict[str, object]) -> int:
    answer = engine.answer(str(question["question"]), top_k=TOP_K)
    gold = [norm for a in question["answers"] if (norm := score.normalize(str(a)))]  # type: ignore[attr-defined]
    for rank, quote in enumerate(answer.quotes, start=1):
        if score.is_hit(score.collapse_ws(quote.text), gold):  # type: ignore[attr-defined]
            return rank
    return 0


def _mrr(ranks: list[int]) -> float:
    return sum(1 / rank for rank in ranks if rank) / len(ranks)


def _figures(ranks: list[int]) -> str:
    def hit(k: int) -> float:
        return sum(1 for rank in ranks if 0 < rank <= k) / len(ranks)

    return f"{hit(1):.3f}  {hit(3):.3f}  {hit(10):.3f}  {_mrr(ranks):.3f}"


if __name__ == "__main__":
    main()
