"""The root field: derivations of one root meet where stems and words do not."""

import pytest

from retrieval import ArabicAnalyzer, Article, Fields, SearchWeights
from retrieval.morphology import arabic_root
from retrieval.search import SentenceIndex

analyzer = ArabicAnalyzer()


def terms(word: str) -> Fields[str]:
    (token,) = list(analyzer.tokens(word))
    return token.terms


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("صرح", "تصريحات"),  # verb and verbal noun
        ("مصرحا", "التصريحات"),  # participle and plural verbal noun
        ("قطع", "مقاطعة"),
        ("النباتات", "نبت"),
    ],
)
def test_derivations_share_a_root_but_not_a_stem(a: str, b: str) -> None:
    assert terms(a).root == terms(b).root
    assert terms(a).stem != terms(b).stem


@pytest.mark.parametrize("word", ["2024", "Putin", "في"])
def test_numbers_latin_and_short_words_are_their_own_root(word: str) -> None:
    assert arabic_root(word) == word


def test_a_derived_form_finds_its_sentence_through_the_root_field_alone() -> None:
    weights = SearchWeights(
        fields=Fields(stem=0.0, word=0.0, skeleton=0.0, root=1.0), article=0.0, neighbour=0.0
    )
    articles = [
        Article(id="said", title="t", text="أدلى الوزير بتصريحات عن الميزانية."),
        Article(id="bridge", title="t", text="افتتح المحافظ الجسر الجديد."),
        Article(id="rain", title="t", text="هطلت أمطار غزيرة على الساحل."),
        Article(id="match", title="t", text="فاز الفريق بالمباراة النهائية."),
    ]
    index = SentenceIndex.build(articles, analyzer, weights)
    (candidate,) = index.search(analyzer.analyze_question("ماذا صرح الوزير؟"), limit=5)
    assert candidate.article.id == "said"
    assert candidate.bm25.root > 0.0 and candidate.bm25.stem == 0.0
