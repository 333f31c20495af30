"""Features of a question's candidates, each specified on small hand-made articles."""

import json
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from retrieval import ArabicAnalyzer, Article, SearchWeights, load_corpus
from retrieval.features import (
    CANDIDATE_FEATURES,
    QUESTION_FEATURES,
    FeatureExtractor,
    holds_kind,
    sentence_shape,
)
from retrieval.interrogatives import QuestionKind
from retrieval.search import SentenceIndex
from tests.retrieval.reference_features import ReferenceExtractor, reference_shape, reference_view

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


# The fast path: words from the index, features over all candidates at once -----------------------

# Stopwords, a word that normalizes away («ـــ»), diacritics, digits, Latin words, months and
# numbers after a proclitic, cause words beside punctuation, repeated and shared stems.
TRICKY = [
    Article(
        id="visit",
        title="زيارة الرئيس إلى كازاخستان",
        text=(
            "وصل الرئيسُ إلى أستانا في 12 نوفمبر 2024 ـــ في زيارة رسمية. "
            "وبحث الرئيس مع نظيره اتفاق الغاز والنفط بسبب ارتفاع الأسعار، "
            "وقال إن الاتفاق سيوقع وفي يناير المقبل. Putin met Tokayev at 10am."
        ),
    ),
    Article(
        id="numbers",
        title="أرقام",
        text="بلغ عدد الزوار ثلاثة آلاف وبالمئة منهم أجانب. زار خمسة وزراء المعرض لأن الافتتاح كان عام ١٩٩٨.",
    ),
    Article(id="cause", title="سبب", text="تأجلت المباراة بسبب المطر. بسبب، المطر تأجلت. كي تنجح يجب العمل."),
    Article(id="empty", title="عنوان", text="في من على. إلى عن مع."),
]
TRICKY_QUESTIONS = (
    "متى وصل الرئيس إلى أستانا؟",
    "كم عدد الزوار الأجانب؟",
    "لماذا تأجلت المباراة؟",
    "ما اتفاق الغاز والنفط بين الرئيس ونظيره؟",
    "هل التقى Putin مع Tokayev؟",
    "الرئيس الرئيس اتفاق اتفاق الغاز",
)


def _same_features(index: SentenceIndex, questions: Iterable[str], *, excluded: int | None = None) -> None:
    fast, reference = FeatureExtractor(index), ReferenceExtractor(index)
    for question in questions:
        analysed = index.analyzer.analyze_question(question)
        hits = index.search(analysed, limit=30)
        words = fast.question_words(analysed, excluded_article=excluded)
        assert words == reference.question_words(analysed, excluded_article=excluded)
        rows, known = fast.candidates_and_words(words, analysed, hits)
        np.testing.assert_array_equal(rows, reference.candidates(words, analysed, hits), err_msg=question)
        # The best candidate's words handed on from the candidates, or read again: the same features.
        for scores in (-np.arange(len(hits), dtype=np.float64), np.arange(len(hits), dtype=np.float64)):
            expected = reference.question(words, hits, rows, scores)
            np.testing.assert_array_equal(fast.question(words, hits, rows, scores, known), expected)
            np.testing.assert_array_equal(fast.question(words, hits, rows, scores), expected)


def _same_views(index: SentenceIndex) -> None:
    extractor = FeatureExtractor(index)
    for article_number in range(len(index.numbered)):
        for position in index.sentences_of(article_number):
            assert extractor.sentence_view(position) == reference_view(index, position)


def test_sentence_views_come_from_the_index_exactly_as_from_the_text() -> None:
    index = SentenceIndex.build([*TRICKY, *FILLER], ArabicAnalyzer(), SearchWeights())
    _same_views(index)


def test_candidate_and_question_features_equal_the_text_based_reference() -> None:
    index = SentenceIndex.build([*TRICKY, *FILLER], ArabicAnalyzer(), SearchWeights())
    _same_features(index, TRICKY_QUESTIONS)
    _same_features(index, TRICKY_QUESTIONS, excluded=0)


def test_the_index_keeps_the_words_through_adds_removes_and_a_restart(tmp_path: Path) -> None:
    base = SentenceIndex.build(TRICKY[:2], ArabicAnalyzer(), SearchWeights())
    grown = base.added(TRICKY[2:]).added(FILLER).removed([1])
    _same_views(grown)
    _same_features(grown, TRICKY_QUESTIONS)
    grown.added(FILLER[:1]).save(tmp_path / "index")  # saves merged segments; positions stay
    loaded = SentenceIndex.load(tmp_path / "index", None, ArabicAnalyzer(), SearchWeights())
    _same_views(loaded)
    _same_features(loaded, TRICKY_QUESTIONS)


_PIECES = st.sampled_from(
    [
        *[
            "وصل",
            "الرئيس",
            "إلى",
            "أستانا",
            "في",
            "يوم",
            "الأربعاء",
            "بسبب",
            "المطر",
            "عام",
            "2024",
            "١٩٩٨",
            "ثلاثة",
            "آلاف",
            "وبالمئة",
        ],
        *[
            "لأن",
            "كي",
            "مما",
            "وفي",
            "ويناير",
            "ـــ",
            "الرئيسُ",
            "Putin",
            "27.5",
            "3rd",
            ",",
            "،",
            ".",
            "؟",
            "\n",
        ],
        "الغاز",
        "والنفط",
    ]
)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(_PIECES, min_size=1, max_size=14).map(" ".join), min_size=1, max_size=4))
def test_views_and_features_equal_the_reference_on_random_articles(texts: list[str]) -> None:
    articles = [Article(id=f"a{number}", title=text[:20], text=text) for number, text in enumerate(texts)]
    articles = [article for article in articles if article.text.strip()]
    if not articles:
        return
    index = SentenceIndex.build([*articles, *FILLER], ArabicAnalyzer(), SearchWeights())
    _same_views(index)
    _same_features(index, [*TRICKY_QUESTIONS[:3], "ما " + texts[0]])


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=20).map(" ".join))
def test_a_sentences_shape_is_what_the_whole_text_patterns_find(text: str) -> None:
    assert sentence_shape(text) == reference_shape(text)


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=20).map(" ".join))
def test_the_shape_a_question_asks_for_is_read_alone_as_from_the_whole_shape(text: str) -> None:
    shape = reference_shape(text)
    assert holds_kind(text, QuestionKind.TIME) == shape.has_time
    assert holds_kind(text, QuestionKind.NUMBER) == shape.has_number
    assert holds_kind(text, QuestionKind.REASON) == shape.has_cause


_ARCD = Path(__file__).resolve().parents[3] / "shared" / "eval" / "arcd"


@pytest.mark.skipif(not (_ARCD / "corpus.jsonl").exists(), reason="needs ../shared/eval/arcd")
def test_arcd_questions_get_the_reference_features() -> None:
    articles = load_corpus(_ARCD / "corpus.jsonl").articles
    index = SentenceIndex.build(articles, ArabicAnalyzer(), SearchWeights())
    with (_ARCD / "questions.jsonl").open(encoding="utf-8") as lines:
        questions = [json.loads(line)["question"] for line in lines if line.strip()]
    _same_views(index)
    _same_features(index, questions[::7])
    _same_features(index, questions[1:40:13], excluded=0)
