"""Features of a question's candidates, each specified on small hand-made articles."""

import numpy as np
import pytest

from retrieval import ArabicAnalyzer, Article, SearchWeights
from retrieval.features import CANDIDATE_FEATURES, QUESTION_FEATURES, FeatureExtractor
from retrieval.search import SentenceIndex

FILLER = [
    Article(id="rain", title="طقس", text="هطلت أمطار غزيرة على الساحل الشمالي."),
    Article(id="match", title="رياضة", text="فاز الفريق بالمباراة النهائية أمام جمهوره."),
    Article(id="bridge", title="مدن", text="افتتح المحافظ الجسر الجديد فوق النهر."),
]


def features(question: str, *articles: Article, excluded: int | None = None) -> dict[str, dict[str, float]]:
    """Candidate features by article id (the best sentence of each article)."""
    index = SentenceIndex.build([*articles, *FILLER], ArabicAnalyzer(), SearchWeights())
    extractor = FeatureExtractor(index)
    analysed = index.analyzer.analyze_question(question)
    mask = None
    if excluded is not None:
        mask = np.ones(len(index.articles), dtype=np.bool_)
        mask[excluded] = False
    candidates = index.search(analysed, limit=10, article_mask=mask)
    words = extractor.question_words(analysed, excluded_article=excluded)
    rows = extractor.candidates(words, analysed, candidates)
    by_article: dict[str, dict[str, float]] = {}
    for candidate, row in zip(candidates, rows, strict=True):
        by_article.setdefault(candidate.article.id, dict(zip(CANDIDATE_FEATURES, row, strict=True)))
    return by_article


def question_features(question: str, *articles: Article, excluded: int | None = None) -> dict[str, float]:
    index = SentenceIndex.build([*articles, *FILLER], ArabicAnalyzer(), SearchWeights())
    extractor = FeatureExtractor(index)
    analysed = index.analyzer.analyze_question(question)
    words = extractor.question_words(analysed, excluded_article=excluded)
    candidates = index.search(analysed, limit=10)
    rows = extractor.candidates(words, analysed, candidates)
    scores = -np.arange(len(candidates), dtype=np.float64)  # the search's order
    return dict(zip(QUESTION_FEATURES, extractor.question(words, candidates, rows, scores), strict=True))


def test_coverage_is_the_weighted_share_of_question_words_held() -> None:
    full = Article(id="full", title="t", text="وصل الرئيس إلى أستانا صباح الأربعاء.")
    part = Article(id="part", title="t", text="غادر الرئيس العاصمة مساء الخميس.")
    found = features("متى وصل الرئيس إلى أستانا؟", full, part)
    assert found["full"]["coverage_strong"] == pytest.approx(1.0)
    assert 0.0 < found["part"]["coverage_strong"] < 0.5
    assert found["full"]["matched_share"] == 1.0


def test_words_close_together_score_higher_proximity() -> None:
    close = Article(id="close", title="t", text="وقع الوزير الاتفاق التجاري في الرياض.")
    far = Article(
        id="far",
        title="t",
        text="وقع المسؤولون بعد اجتماعات طويلة ونقاشات كثيرة حضرها الوزير وفريقه على الاتفاق.",
    )
    found = features("هل وقع الوزير الاتفاق؟", close, far)
    assert found["close"]["proximity"] > found["far"]["proximity"] > 0.0
    assert found["close"]["bigrams"] > found["far"]["bigrams"]


def test_a_time_question_marks_sentences_with_and_without_a_date() -> None:
    dated = Article(id="dated", title="t", text="افتتح المتحف الوطني عام 1998 في العاصمة.")
    undated = Article(id="undated", title="t", text="افتتح المتحف الوطني أبوابه للزوار في العاصمة.")
    found = features("متى افتتح المتحف الوطني؟", dated, undated)
    assert (found["dated"]["kind_holds"], found["dated"]["kind_lacks"]) == (1.0, 0.0)
    assert (found["undated"]["kind_holds"], found["undated"]["kind_lacks"]) == (0.0, 1.0)
    other = features("ما المتحف الوطني؟", dated, undated)
    assert other["dated"]["kind_holds"] == other["dated"]["kind_lacks"] == 0.0


def test_a_question_word_in_the_articles_title_counts_as_title_coverage() -> None:
    titled = Article(id="titled", title="كازاخستان", text="يبلغ عدد سكان البلاد عشرين مليونا.")
    found = features("كم عدد سكان كازاخستان؟", titled)
    assert found["titled"]["title_coverage"] > 0.0


def test_a_word_the_corpus_never_holds_in_any_field_is_unknown() -> None:
    article = Article(id="a", title="t", text="أعلنت الحكومة العاصمة الجديدة للبلاد.")
    assert question_features("ما هي عاصمة فرنسا؟", article)["unknown_share"] == pytest.approx(0.5, abs=0.1)
    assert question_features("ما هي عاصمة البلاد؟", article)["unknown_share"] == 0.0


def test_words_only_in_a_left_out_article_become_unknown() -> None:
    only_here = Article(id="only", title="t", text="زار الوفد مدينة تركستان التاريخية.")
    assert question_features("متى زار الوفد تركستان؟", only_here)["unknown_share"] == 0.0
    assert question_features("متى زار الوفد تركستان؟", only_here, excluded=0)["unknown_share"] > 0.0
