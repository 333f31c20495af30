"""The renderer on arbitrary answers and metadata: valid Telegram HTML, UTF-8, at most 4096 characters.

Answers come two ways: from the hostile engine for arbitrary questions, and built directly from
arbitrary articles, spans and highlights, so every interpolated field (title, outlet, URL, date,
quote, ingestion reasons) meets markup, direction controls and lone surrogates.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot import render
from retrieval import Answer, Article, Citation, Quote
from retrieval.ingest import Outcome, Status
from tests.e2e.telegram_html import parse_html, utf16_length
from tests.fuzz.corpus import hostile_engine
from tests.fuzz.profiles import secondary
from tests.fuzz.strategies import ARABIC_WORDS, hostile_text, large_texts

ENGINE = hostile_engine()
MAX_TEXT = 4096


def check_messages(messages: list[str]) -> None:
    assert messages
    for message in messages:
        message.encode("utf-8")  # the Bot API takes UTF-8: a lone surrogate cannot be sent
        text, _entities = parse_html(message)  # raises like Telegram on invalid HTML
        assert 0 < utf16_length(text) <= MAX_TEXT


# Small examples keep 2,000 of each affordable; test_large_articles_and_metadata covers size.
metadata = st.one_of(st.none(), hostile_text(max_pieces=4))
url_prefixes = st.sampled_from(
    ["http://", "https://", "http://[", "https://[::1", "javascript:", "ftp://", "//"]
)
urls = st.one_of(metadata, st.builds("{}{}".format, url_prefixes, hostile_text(max_pieces=5)))


@st.composite
def articles(draw: st.DrawFn, *, max_pieces: int = 12) -> Article:
    text = draw(hostile_text(max_pieces=max_pieces)) or "ن"  # a citation needs at least one character
    return Article(
        id=draw(st.text(max_size=3)),
        title=draw(hostile_text(max_pieces=4)),
        text=text,
        source=draw(metadata),
        url=draw(st.one_of(urls, st.just("https://example.com/a?b=<c>&d='e'"))),
        published=draw(metadata),
    )


@st.composite
def citations(draw: st.DrawFn) -> Citation:
    article = draw(articles())
    start = draw(st.integers(min_value=0, max_value=len(article.text) - 1))
    end = draw(st.integers(min_value=start + 1, max_value=len(article.text)))
    return Citation(article, start, end, first_sentence=0, last_sentence=0)


@st.composite
def quotes(draw: st.DrawFn) -> Quote:
    citation = draw(citations())
    length = citation.end - citation.start
    spans = draw(st.lists(st.tuples(st.integers(0, length), st.integers(0, length)), max_size=4))
    highlights = tuple(sorted((min(a, b), max(a, b)) for a, b in spans if a != b))
    also_in = tuple(draw(st.lists(citations(), max_size=1)))
    return Quote(citation, score=1.0, highlights=highlights, also_in=also_in)


@given(st.lists(quotes(), min_size=1, max_size=2), st.integers(min_value=0, max_value=20))
def test_any_answer_renders_as_valid_messages(answer_quotes: list[Quote], offset: int) -> None:
    answer = Answer(question="س", quotes=tuple(answer_quotes))
    check_messages(render.render_answer(answer, offset=offset))
    check_messages([render.render_quote(answer_quotes[0])])


@secondary()
@given(
    st.one_of(hostile_text(max_pieces=20), st.lists(st.sampled_from(ARABIC_WORDS), min_size=1).map(" ".join))
)
def test_engine_answers_and_their_context_render_as_valid_messages(question: str) -> None:
    answer = ENGINE.answer(question, top_k=3)
    check_messages(render.render_answer(answer))
    check_messages(render.render_answer(answer, understood=question))  # a follow-up, as read
    for quote in answer.quotes:
        citation = quote.citation
        sentences = ENGINE.context(citation.article.id, citation.first_sentence, citation.last_sentence)
        check_messages(
            render.render_context(
                citation.article, sentences, first=citation.first_sentence, last=citation.last_sentence
            )
        )


@secondary()
@given(st.lists(articles(max_pieces=1), max_size=4))
def test_any_sources_list_renders_as_valid_messages(listed: list[Article]) -> None:
    check_messages(render.render_sources(listed))
    check_messages(render.render_small_talk("أهلًا", listed))
    for article in listed:
        check_messages([render.render_headline(article)])


outcomes = st.builds(
    Outcome,
    status=st.sampled_from(Status),
    item=hostile_text(max_pieces=5),
    detail=hostile_text(max_pieces=5),
    article_id=st.one_of(st.none(), st.text(max_size=3)),
    title=metadata,
)


@secondary()
@given(st.lists(outcomes, min_size=1, max_size=6))
def test_any_ingestion_or_removal_report_renders_as_valid_messages(reported: list[Outcome]) -> None:
    check_messages(render.render_ingest(reported))
    check_messages(render.render_removal(reported))


@pytest.mark.parametrize("text", large_texts(), ids=range(len(large_texts())))
def test_large_articles_and_metadata(text: str) -> None:
    article = Article(id="big", title=text, text=text, source=text[:5000], url=None, published=text[:100])
    quote = Quote(Citation(article, 0, len(text), 0, 0), 1.0, highlights=((0, 10), (50_000, 50_100)))
    check_messages(render.render_answer(Answer("س", (quote,))))
    check_messages(render.render_sources([article] * 3))
    check_messages([render.render_headline(article)])
    check_messages(render.render_small_talk("أهلًا", [article] * 3))
    check_messages(render.render_answer(Answer("س", (quote,)), understood=text))
    check_messages(render.render_ingest([Outcome(Status.FAILED, text, text)] * 3))
