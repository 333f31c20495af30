"""Answer or abstain when the question's whole Wikipedia page is left out (not a test).

    python benchmarks/leave_page_out.py

ARCD's articles are SQuAD paragraphs, about three per Wikipedia page (they share the page's title).
Leaving out only the question's own paragraph (``abstention_curve.py``) keeps its sibling paragraphs,
which share the page's topic and, for 37% of the questions, hold the gold answer: many of those
"unanswerable" questions are answerable. Here every paragraph of the page is left out: the engine
is rebuilt from the other pages (so the IDFs are those of a corpus that never held the page) and the
page's questions are asked of it. Figures, at the shipped threshold and along the curve:

* answered: each question asked of the full corpus (as ``newsbot eval``);
* page left out, abstained: the same question asked of the corpus without its page; "nowhere else":
  those whose gold answer (the scorer's normalisation) no remaining article holds.

Nothing here is tuned: the shipped model and threshold are measured as they are.
"""

from __future__ import annotations

import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from abstention_curve import THRESHOLDS, confidence, gold_answers, normalised_texts  # noqa: E402
from train_ranker import SHARED, load_arcd, load_scorer  # noqa: E402

from retrieval import AnswerEngine, RankingModel  # noqa: E402


def main() -> int:
    started = time.perf_counter()
    directory = SHARED / "arcd"
    articles, questions = load_arcd(directory)
    scorer = load_scorer(SHARED / "score.py")
    threshold = RankingModel.shipped().threshold
    pages: dict[str, list[str]] = defaultdict(list)
    for article in articles:
        pages[article.title].append(article.id)
    page_of = {article.id: article.title for article in articles}
    by_page: dict[str, list[dict[str, object]]] = defaultdict(list)
    for question in questions:
        by_page[page_of[question["article_id"]]].append(question)
    texts = normalised_texts(scorer, articles)

    full = AnswerEngine.from_articles(articles)
    answerable = [confidence(full, str(q["question"])) for q in questions]
    left_out: list[float] = []
    nowhere_else: list[bool] = []
    for title, asked in by_page.items():
        kept = [article for article in articles if article.title != title]
        engine = AnswerEngine.from_articles(kept)
        for question in asked:
            left_out.append(confidence(engine, str(question["question"])))
            answers = gold_answers(scorer, question)
            nowhere_else.append(
                not any(scorer.is_hit(texts[article.id], answers) for article in kept) if answers else True
            )

    def share(values: list[float], at: float, *, above: bool) -> float:
        hits = sum(1 for v in values if (v >= at) == above)
        return 100.0 * hits / max(1, len(values))

    nowhere = [v for v, alone in zip(left_out, nowhere_else, strict=True) if alone]
    print(
        f"{len(questions)} ARCD questions, {len(pages)} pages ({len(articles)} paragraphs); "
        f"{len(nowhere)} left-out questions whose answer no other page holds; {time.perf_counter() - started:.0f}s\n"
    )
    print(
        "| threshold | answered (full corpus) | page left out, abstained | page left out, nowhere else, abstained |"
    )
    print("| --- | --- | --- | --- |")
    for at in sorted({*THRESHOLDS, threshold}):
        label = f"{at:.4g} (shipped)" if at == threshold else f"{at:g}"
        print(
            f"| {label} | {share(answerable, at, above=True):.1f}% | {share(left_out, at, above=False):.1f}% "
            f"| {share(nowhere, at, above=False):.1f}% |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
