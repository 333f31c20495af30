"""Answer or abstain: the trade-off curve of the shipped abstention model on ARCD, and off-domain questions.

    python benchmarks/abstention_curve.py

* answerable: each ARCD question asked of the full corpus;
* left out: the same question with its own article left out (``excluded_article``), so that only
  other articles can answer it (some do: ARCD holds about three paragraphs per Wikipedia page, and
  37% of its questions have their gold answer in another article); "nowhere else" are the left-out
  questions whose gold answer (the scorer's normalisation) no other article holds;
* off-domain: ``tests/fixtures/off_domain_questions.txt`` (sports results, recipes, health,
  programming, gossip, weather, shopping...), asked of ARCD and of the bundled seeds. Written for
  reporting only: no weight or threshold was ever chosen on them;
* off-domain training: ``benchmarks/data/off_domain_training.txt``, the other topics the model
  was trained on (in-sample: shown to compare with the report set, not as a result).

For each threshold on the engine's answer probability (``Answer.confidence``), the share of
answerable questions answered and of left-out ones abstained on, for each half of the articles
(the split used by ``train_ranker.py``) and in all; the shipped threshold is marked.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from train_ranker import (  # noqa: E402
    OFF_DOMAIN_TRAINING,
    SHARED,
    article_halves,
    load_arcd,
    load_scorer,
    read_questions,
)

from retrieval import AnswerEngine, Article, RankingModel, load_corpus  # noqa: E402

OFF_DOMAIN = ROOT / "tests" / "fixtures" / "off_domain_questions.txt"
THRESHOLDS = (0.0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6, 0.7)


def confidence(engine: AnswerEngine, question: str, excluded: str | None = None) -> float:
    answer = engine.answer(question, top_k=1, excluded_article=excluded)
    # No candidate at all (nothing matched) is an abstention at any threshold.
    return -1.0 if answer.confidence is None else answer.confidence


def normalised_texts(scorer: Any, articles: Sequence[Article]) -> dict[str, str]:
    """Each article's text normalised as the scorer's ``is_hit`` does, by id: once, as ``is_hit``
    would normalise every article again for every question."""
    return {article.id: scorer.normalize(scorer.collapse_ws(article.text)) for article in articles}


def gold_answers(scorer: Any, question: dict[str, Any]) -> list[str]:
    """The question's gold answers, normalised as the scorer compares them (empty ones dropped)."""
    return [a for a in (scorer.normalize(x) for x in question["answers"]) if a]


def answer_elsewhere(scorer: Any, texts: dict[str, str], question: dict[str, Any]) -> bool:
    """Whether an article other than the question's own holds one of its gold answers (``texts``
    from ``normalised_texts``)."""
    answers = gold_answers(scorer, question)
    return bool(answers) and any(
        scorer.is_hit(text, answers)
        for article_id, text in texts.items()
        if article_id != question["article_id"]
    )


def main() -> int:
    started = time.perf_counter()
    articles, questions = load_arcd(SHARED / "arcd")
    halves = article_halves(articles)
    engine = AnswerEngine.from_articles(articles)
    seeds = AnswerEngine.from_articles(load_corpus(ROOT / "seeds").articles)
    shipped = RankingModel.shipped().threshold
    half = np.array([halves[q["article_id"]] for q in questions])
    answerable = np.array([confidence(engine, q["question"]) for q in questions])
    left_out = np.array([confidence(engine, q["question"], q["article_id"]) for q in questions])
    scorer = load_scorer(SHARED / "score.py")
    texts = normalised_texts(scorer, articles)
    nowhere_else = np.array([not answer_elsewhere(scorer, texts, q) for q in questions])
    off_domain = read_questions(OFF_DOMAIN)
    off_training = np.array([confidence(engine, q) for q in read_questions(OFF_DOMAIN_TRAINING)])
    off_arcd = np.array([confidence(engine, q) for q in off_domain])
    off_seeds = np.array([confidence(seeds, q) for q in off_domain])
    print(
        f"{len(questions)} ARCD questions (answerable and left out), {len(off_domain)} off-domain questions; "
        f"{time.perf_counter() - started:.0f}s\n"
    )
    print(
        "| threshold | answered, half 0 / half 1 / all | left out abstained, half 0 / half 1 / all "
        "| left out, nowhere else | off-domain abstained, ARCD / seeds | off-domain training, ARCD (in-sample) |"
    )
    print("| --- | --- | --- | --- | --- | --- |")
    for threshold in sorted({*THRESHOLDS, round(shipped, 4)}):
        answered = [np.mean(answerable[h] >= threshold) for h in (half == 0, half == 1, half >= 0)]
        abstained = [np.mean(left_out[h] < threshold) for h in (half == 0, half == 1, half >= 0)]
        mark = " (shipped)" if threshold == round(shipped, 4) else ""
        print(
            f"| {threshold:.4g}{mark} | "
            + " / ".join(f"{x:.1%}" for x in answered)
            + " | "
            + " / ".join(f"{x:.1%}" for x in abstained)
            + f" | {np.mean(left_out[nowhere_else] < threshold):.1%}"
            + f" | {np.mean(off_arcd < threshold):.1%} / "
            f"{np.mean(off_seeds < threshold):.1%} | {np.mean(off_training < threshold):.1%} |"
        )
    print("\noff-domain questions answered on ARCD at the shipped threshold:")
    for question, value in zip(off_domain, off_arcd, strict=True):
        if value >= shipped:
            print(f"  {value:.3f}  {question}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
