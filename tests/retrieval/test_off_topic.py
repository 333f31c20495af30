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
