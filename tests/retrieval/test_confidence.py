"""What surrounds a question's best candidate, each signal specified on small hand-made articles."""

import numpy as np
import pytest

from retrieval import ArabicAnalyzer, Article, SearchWeights
from retrieval.confidence import CONTEXT_FEATURES, context_features
from retrieval.features import FeatureExtractor
from retrieval.search import SentenceIndex

FILLER = [
    Article(id="rain", title="طقس", text="هطلت أمطار غزيرة على الساحل الشمالي."),
    Article(id="match", title="رياضة", text="فاز الفريق بالمباراة النهائية أمام جمهوره."),
    Article(id="bridge", title="مدن", text="افتتح المحافظ الجسر الجديد فوق النهر."),
    Article(id="school", title="تعليم", text="بدأ العام الدراسي في المدارس الحكومية."),
]


def signals(
    question: str, *articles: Article, scores: list[float] | None = None, title: frozenset[str] = frozenset()
) -> dict[str, float]:
    """``CONTEXT_FEATURES`` with the candidates scored ``scores`` (default: the search's order)."""
    index = SentenceIndex.build([*articles, *FILLER], ArabicAnalyzer(), SearchWeights())
    extractor = FeatureExtractor(index)
    analysed = index.analyzer.analyze_question(question)
    words = extractor.question_words(analysed)
    hits = index.search(analysed, limit=10)
    given = -np.arange(len(hits), dtype=np.float64) if scores is None else np.array(scores[: len(hits)])
    return dict(zip(CONTEXT_FEATURES, context_features(index, words, hits, given, title), strict=True))


TWO_SENTENCES = Article(
    id="visit",
    title="زيارة",
    text="وصل الرئيس إلى أستانا صباح الأربعاء. وقع الرئيس اتفاقية الغاز مع نظيره.",
)


def test_words_held_by_other_sentences_of_the_best_article_count_as_its_coverage() -> None:
    found = signals("متى وقع الرئيس اتفاقية الغاز في أستانا؟", TWO_SENTENCES)
    assert found["article_coverage"] == pytest.approx(1.0)
    assert found["missing_in_article"] == 0.0


def test_the_rarest_word_the_best_article_never_holds_is_measured_on_the_corpus_scale() -> None:
    missing = signals("متى وصل الرئيس إلى طشقند؟", TWO_SENTENCES)
    assert missing["article_coverage"] < 1.0
    assert 0.0 < missing["missing_in_article"] <= 1.5
    held = signals("متى وصل الرئيس إلى أستانا؟", TWO_SENTENCES)
    assert held["missing_in_article"] == 0.0


def test_title_words_name_the_topic_and_leave_the_specific_coverage() -> None:
    analyzer = ArabicAnalyzer()
    (president,) = analyzer.analyze_question("الرئيس").tokens
    title = frozenset({president.terms[0], president.terms[1]})
    found = signals("متى وصل الرئيس إلى طشقند؟", TWO_SENTENCES, title=title)
    plain = signals("متى وصل الرئيس إلى طشقند؟", TWO_SENTENCES)
    assert found["article_specific_coverage"] < plain["article_specific_coverage"]


def test_the_margin_is_the_gap_between_the_best_and_the_runner_up() -> None:
    found = signals("متى وقع الرئيس اتفاقية الغاز؟", TWO_SENTENCES, scores=[1.0, 3.0, 0.5, 0.0, 0.0, 0.0])
    assert found["score_margin"] == pytest.approx(2.0)
    assert found["search_agrees"] == 0.0  # the re-ranker's best is the search's second
    assert signals("متى وقع الرئيس اتفاقية الغاز؟", TWO_SENTENCES)["search_agrees"] == 1.0


def test_candidates_spread_over_many_articles_raise_articles_in_top() -> None:
    one = signals("متى وقع الرئيس اتفاقية الغاز في أستانا؟", TWO_SENTENCES)
    spread = signals("ما الجديد في الساحل والفريق والجسر والمدارس؟", TWO_SENTENCES)
    assert spread["articles_in_top"] > one["articles_in_top"]
