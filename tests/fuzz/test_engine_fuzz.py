"""The engine on arbitrary questions: never an exception, every quote verbatim from its article."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from retrieval import Answer, AnswerEngine, Article, Citation, EmptyCorpusError
from tests.fuzz.corpus import hostile_engine
from tests.fuzz.profiles import secondary
from tests.fuzz.strategies import ARABIC_WORDS, hostile_text, large_texts, piece

ENGINE = hostile_engine()
questions = st.one_of(
    hostile_text(max_pieces=20),
    st.lists(st.sampled_from(ARABIC_WORDS), min_size=1, max_size=8).map(" ".join),  # likely answered
)


def check_citation(engine: AnswerEngine, citation: Citation) -> None:
    article = engine.article(citation.article.id)
    assert citation.article == article
    assert 0 <= citation.start < citation.end <= len(article.text)
    assert citation.text == article.text[citation.start : citation.end]
    assert citation.text in article.text
    assert citation.first_sentence <= citation.last_sentence
    for sentence in engine.context(article.id, citation.first_sentence, citation.last_sentence):
        assert sentence.text == article.text[sentence.start : sentence.end]


def check_answer(engine: AnswerEngine, answer: Answer, top_k: int) -> None:
    assert answer.answered == bool(answer.quotes)
    assert len(answer.quotes) <= top_k
    for quote in answer.quotes:
        check_citation(engine, quote.citation)
        for other in quote.also_in:
            check_citation(engine, other)
        for start, end in quote.highlights:
            assert 0 <= start < end <= len(quote.text)


@given(questions, st.integers(min_value=1, max_value=10), st.integers(min_value=0, max_value=12))
def test_answers_quote_their_articles_verbatim(question: str, top_k: int, offset: int) -> None:
    check_answer(ENGINE, ENGINE.answer(question, top_k=top_k, offset=offset), top_k)


@pytest.mark.parametrize("question", large_texts(), ids=range(len(large_texts())))
def test_large_questions(question: str) -> None:
    check_answer(ENGINE, ENGINE.answer(question, top_k=3), 3)


article_texts = st.lists(st.one_of(piece, st.sampled_from(ARABIC_WORDS)), min_size=1, max_size=60).map(
    " ".join
)


@secondary()
@given(st.lists(article_texts, min_size=1, max_size=3), questions)
def test_any_articles_can_be_indexed_and_asked(texts: list[str], question: str) -> None:
    """Engines built from arbitrary article texts (small ones: this builds an engine per example)."""
    articles = [Article(id=f"a{number}", title="t", text=text) for number, text in enumerate(texts)]
    try:
        engine = AnswerEngine.from_articles(articles)
    except EmptyCorpusError:  # the one expected refusal: no sentence with a letter or digit
        return
    check_answer(engine, engine.answer(question, top_k=3), 3)
