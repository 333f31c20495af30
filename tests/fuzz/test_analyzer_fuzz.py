"""The analyzer on arbitrary text: never an exception, and every token is where it says it is."""

from __future__ import annotations

import pytest
from hypothesis import given

from retrieval import ArabicAnalyzer
from tests.fuzz.strategies import hostile_text, large_texts

ANALYZER = ArabicAnalyzer()


def check_tokens(text: str) -> None:
    previous_end = 0
    for token in ANALYZER.tokens(text):
        assert previous_end <= token.start < token.end <= len(text)
        assert text[token.start : token.end] == token.surface
        assert all(isinstance(term, str) for term in token.terms)
        previous_end = token.end


def check_analysis(text: str) -> None:
    terms = ANALYZER.field_terms(text)
    assert len(terms.stem) == len(terms.word) == len(terms.skeleton)
    question = ANALYZER.analyze_question(text)
    assert question.text == text
    assert len(question.terms.stem) == len(set(question.terms.stem))  # each content term once
    assert all(text[token.start : token.end] == token.surface for token in question.tokens)


@given(hostile_text())
def test_tokens_are_verbatim_spans_and_analysis_never_fails(text: str) -> None:
    check_tokens(text)
    check_analysis(text)


@pytest.mark.parametrize("text", large_texts(), ids=range(len(large_texts())))
def test_large_inputs(text: str) -> None:
    check_tokens(text)
    check_analysis(text)
