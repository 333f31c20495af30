"""Tune the bar a further quote must pass (``AnswerPolicy.min_further_*``) on ARCD.

Prints, for each setting of a small grid, Hit@1/3/10 and MRR@10 over every question, then a
five-fold cross-validation over articles: each fold's setting is the one with the best MRR on
the other folds, scored on the fold's own questions. Hit@1 cannot move with the bar (the first
quote is chosen before it applies); the bar only decides which later quotes are shown. Each
question is searched once and composed under every setting.

    .venv/bin/python benchmarks/tune_further_quotes.py [--eval ../shared/eval]
"""

from __future__ import annotations

import argparse
import dataclasses
import itertools
import json
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

from retrieval import AliasTable, AnswerPolicy, ArabicAnalyzer, Article, SearchWeights
from retrieval.aliases import respell_latin_words
from retrieval.compose import compose_answer
from retrieval.engine import MAX_QUESTION_CHARS
from retrieval.search import SentenceIndex

WORDS = (1, 2)
COVERAGES = (0.0, 0.1, 0.15, 0.175, 0.2, 0.25)
FOLDS = 5
TOP_K = 10
CANDIDATES = 50

Setting = tuple[int, float]


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--eval", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "eval")
    args = parser.parse_args()
    sys.path.insert(0, str(args.eval))
    import score  # the shared scorer's normalization and hit test, not a copy of them

    articles = [
        Article(id=row["id"], title=row["title"], text=row["text"])
        for row in map(json.loads, _lines(args.eval / "arcd" / "corpus.jsonl"))
    ]
    questions = [json.loads(line) for line in _lines(args.eval / "arcd" / "questions.jsonl")]
    analyzer = ArabicAnalyzer()
    index = SentenceIndex.build(articles, analyzer, SearchWeights())
    aliases = AliasTable.bundled()
    settings: list[Setting] = list(itertools.product(WORDS, COVERAGES))
    policies = {
        setting: dataclasses.replace(
            AnswerPolicy(),
            min_further_words=setting[0],
            min_further_coverage=setting[1],
        )
        for setting in settings
    }
    # ranks[setting][question id]: 1-based rank of the first hitting quote, 0 for none.
    ranks: dict[Setting, dict[str, int]] = {setting: {} for setting in settings}
    for question in questions:
        analysed = respell_latin_words(
            analyzer.analyze_question(question["question"][:MAX_QUESTION_CHARS]), aliases, analyzer, index
        )
        candidates = index.search(analysed, limit=CANDIDATES)
        gold = [norm for answer in question["answers"] if (norm := score.normalize(answer))]
        for setting, policy in policies.items():
            answer = compose_answer(index, analysed, candidates, policy, top_k=TOP_K, offset=0)
            ranks[setting][question["id"]] = _first_hit(score, [quote.text for quote in answer.quotes], gold)
    print(f"{'words':>5} {'coverage':>8}  Hit@1  Hit@3  Hit@10  MRR@10")
    for setting in settings:
        print(f"{setting[0]:>5} {setting[1]:>8.3f}  " + _figures(list(ranks[setting].values())))
    fold_of = {article.id: number % FOLDS for number, article in enumerate(articles)}
    held_out: list[int] = []
    for fold in range(FOLDS):
        train = [q["id"] for q in questions if fold_of[q["article_id"]] != fold]
        test = [q["id"] for q in questions if fold_of[q["article_id"]] == fold]
        chosen = max(settings, key=lambda setting: _mrr([ranks[setting][q] for q in train]))
        print(f"fold {fold}: chose words={chosen[0]} coverage={chosen[1]:.3f}")
        held_out += [ranks[chosen][q] for q in test]
    print("held-out          " + _figures(held_out))


def _lines(path: Path) -> list[str]:
    return [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _first_hit(score: ModuleType, texts: list[str], gold: list[Any]) -> int:
    for rank, text in enumerate(texts, start=1):
        if score.is_hit(score.collapse_ws(text), gold):
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
