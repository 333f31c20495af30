"""Share of a file's off-domain questions the shipped engine abstains on, asked of ARCD and of the seeds.

    python benchmarks/off_domain_report.py tests/fixtures/off_domain_questions_fresh.txt

Counts only: the questions answered are not printed, so running it does not show the reader which
questions to tune for (a report set stays a report set). A file holds one question a line; lines
starting with «#» and blank lines are skipped.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from train_ranker import SHARED, load_arcd, read_questions  # noqa: E402

from retrieval import AnswerEngine, load_corpus  # noqa: E402


def abstained(engine: AnswerEngine, questions: list[str]) -> int:
    return sum(1 for question in questions if not engine.answer(question).answered)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("questions", type=Path, nargs="+", help="question files")
    args = parser.parse_args()
    arcd = AnswerEngine.from_articles(load_arcd(SHARED / "arcd")[0])
    seeds = AnswerEngine.from_articles(load_corpus(ROOT / "seeds").articles)
    print("| questions | n | abstained, asked of ARCD | abstained, asked of the seeds |")
    print("| --- | --- | --- | --- |")
    for path in args.questions:
        questions = read_questions(path)
        on_arcd, on_seeds = abstained(arcd, questions), abstained(seeds, questions)
        n = len(questions)
        print(f"| `{path.name}` | {n} | {on_arcd} ({on_arcd / n:.1%}) | {on_seeds} ({on_seeds / n:.1%}) |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
