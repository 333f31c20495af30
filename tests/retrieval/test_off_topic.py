"""Questions about things the seeds never mention get an abstention, not the nearest noise."""

from pathlib import Path

import pytest

from retrieval import AnswerEngine, load_corpus

ROOT = Path(__file__).parents[2]
OFF_TOPIC = [
    line.strip()
    for line in (ROOT / "tests" / "fixtures" / "off_topic_questions.txt")
    .read_text(encoding="utf-8")
    .splitlines()
    if line.strip()
]


@pytest.fixture(scope="module")
def engine() -> AnswerEngine:
    return AnswerEngine.from_articles(load_corpus(ROOT / "seeds").articles)


@pytest.mark.parametrize("question", OFF_TOPIC)
def test_off_topic_question_is_abstained_on_the_seeds(engine: AnswerEngine, question: str) -> None:
    answer = engine.answer(question)
    assert not answer.answered, answer.quotes[0].text


def questions(path: Path) -> set[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return {line.strip() for line in lines if line.strip() and not line.startswith("#")}


def test_the_off_domain_training_and_report_sets_share_no_question() -> None:
    training = questions(ROOT / "benchmarks" / "data" / "off_domain_training.txt")
    report = questions(ROOT / "tests" / "fixtures" / "off_domain_questions.txt")
    fresh = questions(ROOT / "tests" / "fixtures" / "off_domain_questions_fresh.txt")
    assert len(training) >= 200 and len(report) >= 100 and len(fresh) >= 100
    assert not training & report and not training & fresh and not report & fresh
    assert not training & set(OFF_TOPIC) and not fresh & set(OFF_TOPIC)
