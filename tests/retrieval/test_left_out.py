"""Document frequencies as if one article had never been indexed equal those of an index built without it."""

from __future__ import annotations

import pytest

from retrieval import ArabicAnalyzer, Article
from retrieval.analyzer import FIELDS
from retrieval.left_out import LeftOut
from retrieval.search import SearchWeights, SentenceIndex

analyzer = ArabicAnalyzer()
NEWS = [
    Article(
        id="visit", title="زيارة", text="وصل الرئيس إلى كازاخستان أمس. ناقش الرئيس مع نظيره صفقة القطارات."
    ),
    Article(
        id="trains", title="قطارات", text="افتتح وزير النقل محطة القطارات الجديدة. وصل القطار الأول ظهرا."
    ),
    Article(id="oil", title="نفط", text="ارتفعت أسعار النفط في الأسواق. قال الوزير إن الصادرات زادت."),
]


def build(articles: list[Article]) -> SentenceIndex:
    return SentenceIndex.build(articles, analyzer, SearchWeights())


def every_term(index: SentenceIndex) -> set[tuple[int, str]]:
    return {
        (field, term)
        for position in range(index.sentence_count)
        for terms in index.content_words(position)[0]
        for field, term in enumerate(terms)
    }


@pytest.mark.parametrize("left", range(len(NEWS)))
def test_left_out_frequencies_are_those_of_an_index_built_without_the_article(left: int) -> None:
    full = build(NEWS)
    without = build([article for number, article in enumerate(NEWS) if number != left])
    left_out = LeftOut(full, left)
    for field, term in every_term(full):
        expected = without.document_frequency(field, term)
        assert left_out.document_frequency(field, term) == expected, (FIELDS[field], term)
        assert left_out.holds(field, term) is (expected > 0)


def test_nothing_left_out_is_the_index_as_built() -> None:
    full = build(NEWS)
    left_out = LeftOut(full, None)
    assert all(
        left_out.document_frequency(field, term) == full.document_frequency(field, term)
        and not left_out.held(field, term)
        for field, term in every_term(full)
    )
    stem = analyzer.analyze_question("كازاخستان").tokens[0].terms.stem
    assert LeftOut(full, 0).held(0, stem) == 1 and not LeftOut(full, 0).holds(0, stem)
