"""AnswerEngine.added / removed: the served articles change without re-indexing the others, and the
result is exactly the engine a full build over the resulting articles would give."""

from __future__ import annotations

import random

import numpy as np
import pytest
from rank_bm25 import BM25Okapi

from retrieval import AnswerEngine, ArabicAnalyzer, Article, EmptyCorpusError, segment_sentences
from retrieval.analyzer import FIELDS

_VOCABULARY = (
    "الوزير زار مصنع الحديد العاصمة الرئيس بوتين كازاخستان الاتفاق النفط الغاز الميناء السفينة "
    "الحكومة البرلمان القانون الانتخابات المدينة الشركة العمال الأسعار السوق المطر الصحراء"
)
WORDS = _VOCABULARY.split(" ")
QUESTIONS = ("من زار مصنع الحديد؟", "ما الاتفاق بين بوتين وكازاخستان؟", "متى ارتفعت أسعار النفط؟")


def make_articles(seed: int, count: int, prefix: str) -> list[Article]:
    rng = random.Random(seed)
    articles = []
    for number in range(count):
        sentences = [
            " ".join(rng.choices(WORDS, k=rng.randint(3, 9))) + "." for _ in range(rng.randint(1, 4))
        ]
        articles.append(Article(id=f"{prefix}{number}", title="خبر", text=" ".join(sentences)))
    return articles


def field_corpora(articles: list[Article]) -> dict[str, list[list[str]]]:
    """Each field's documents as a full build sees them: sentences, and articles for the prior."""
    analyzer = ArabicAnalyzer()
    corpora: dict[str, list[list[str]]] = {name: [] for name in (*FIELDS, "articles")}
    for article in articles:
        article_stems: list[str] = []
        for sentence in segment_sentences(article.text, article.id):
            terms = analyzer.field_terms(sentence.text)
            for name, values in zip(FIELDS, terms, strict=True):
                corpora[name].append(values)
            article_stems += terms.stem
        corpora["articles"].append(article_stems)
    return corpora


def assert_exactly_rank_bm25(engine: AnswerEngine, articles: list[Article]) -> None:
    index = engine._index  # the per-field scores are what this test specifies
    corpora = field_corpora(articles)
    weights = index.weights
    for name, docs in corpora.items():
        k1, b = (1.5, 0.75) if name == "articles" else (weights.k1, weights.b)
        reference = BM25Okapi(docs, k1=k1, b=b)
        query_terms = [*sorted({term for doc in docs[:3] for term in doc})[:5], "غائب"]
        positions, scores = index.field_scores(name, query_terms)
        live = index.live_positions(name)
        got = np.zeros(len(docs))
        got[np.searchsorted(live, positions)] = scores
        np.testing.assert_allclose(got, reference.get_scores(query_terms), rtol=1e-9, atol=0)


def answers(engine: AnswerEngine) -> list[list[tuple[str, str]]]:
    return [
        [(quote.citation.article.id, quote.citation.text) for quote in engine.answer(q, top_k=5).quotes]
        for q in QUESTIONS
    ]


@pytest.mark.parametrize("seed", range(4))
def test_adds_and_removes_equal_a_full_build(seed: int) -> None:
    rng = random.Random(seed)
    served = make_articles(seed, 12, "a")
    engine = AnswerEngine.from_articles(served)
    for step in range(4):
        if rng.random() < 0.6:
            new = make_articles(seed * 100 + step, rng.randint(1, 5), f"n{step}-")
            engine = engine.added(new)
            served += new
        else:
            gone = {article.id for article in rng.sample(served, 3)}
            engine = engine.removed(gone)
            served = [article for article in served if article.id not in gone]
        assert [article.id for article in engine.articles] == [article.id for article in served]
        assert_exactly_rank_bm25(engine, served)
        assert answers(engine) == answers(AnswerEngine.from_articles(served))


def test_a_batch_big_enough_for_a_forked_worker_is_added_exactly() -> None:
    served = make_articles(5, 10, "a")
    new = make_articles(6, 200, "n")  # analysed by forked worker processes
    engine = AnswerEngine.from_articles(served).added(new)
    assert_exactly_rank_bm25(engine, served + new)
    assert answers(engine) == answers(AnswerEngine.from_articles(served + new))


def test_the_engine_added_to_keeps_serving_what_it_served() -> None:
    base = AnswerEngine.from_articles(make_articles(1, 8, "a"))
    before = answers(base)
    grown = base.added([Article(id="new", title="خبر", text="زار الرئيس بوتين مصنع الحديد في كازاخستان.")])
    assert answers(base) == before and len(base.articles) == 8
    assert grown.answer(QUESTIONS[0]).quotes[0].citation.article.id == "new"
    assert grown.article("new").title == "خبر"


def test_an_added_article_with_a_served_id_replaces_it() -> None:
    base = AnswerEngine.from_articles(make_articles(2, 6, "a"))
    replacement = Article(id="a0", title="مصحح", text="وقع الرئيس بوتين الاتفاق في كازاخستان.")
    grown = base.added([replacement])
    assert [a.id for a in grown.articles].count("a0") == 1
    assert grown.article("a0") is replacement
    assert_exactly_rank_bm25(grown, [*(a for a in base.articles if a.id != "a0"), replacement])


def test_removed_articles_are_never_quoted_and_removing_everything_is_refused() -> None:
    articles = make_articles(3, 5, "a")
    engine = AnswerEngine.from_articles(articles)
    kept = engine.removed({"a1", "a2", "unknown"})
    cited = {quote.citation.article.id for q in QUESTIONS for quote in kept.answer(q, top_k=10).quotes}
    assert cited <= {"a0", "a3", "a4"}
    with pytest.raises(KeyError):
        kept.article("a1")
    with pytest.raises(EmptyCorpusError):
        engine.removed({article.id for article in articles})
