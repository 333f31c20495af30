"""Sentence segmentation on arbitrary text: verbatim, ordered, trimmed, within the length cap."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from retrieval import segment_sentences
from tests.fuzz.strategies import hostile_text, large_texts


def check_sentences(text: str, max_chars: int) -> None:
    sentences = segment_sentences(text, "a", max_chars=max_chars)
    previous_end = 0
    for number, sentence in enumerate(sentences):
        assert sentence.index == number and sentence.article_id == "a"
        assert previous_end <= sentence.start < sentence.end <= len(text)
        assert sentence.text == text[sentence.start : sentence.end]
        assert sentence.text == sentence.text.strip()
        assert sentence.end - sentence.start <= max_chars
        previous_end = sentence.end


@given(hostile_text(max_pieces=60), st.integers(min_value=20, max_value=400))
def test_sentences_are_verbatim_ordered_spans_within_the_cap(text: str, max_chars: int) -> None:
    check_sentences(text, max_chars)


@pytest.mark.parametrize("text", large_texts(), ids=range(len(large_texts())))
def test_large_inputs(text: str) -> None:
    check_sentences(text, 400)
