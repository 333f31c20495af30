"""Places a question names (CLDR's Arabic names) and the rule: a place no article mentions is not answered."""

from __future__ import annotations

import pytest

from retrieval import AnswerEngine, ArabicAnalyzer, Article
from retrieval.places import PlaceNames, unmentioned
from retrieval.search import SearchWeights, SentenceIndex

analyzer = ArabicAnalyzer()
places = PlaceNames.cldr(analyzer)


def named(question: str) -> list[str]:
    return [place.name for place in places.named_in(analyzer.analyze_question(question))]


def test_the_names_are_cldrs_countries_and_cities_not_its_regions() -> None:
    assert len(places) > 500
    assert named("ماذا قالت روسيا والولايات المتحدة عن القاهرة؟") == ["روسيا", "الولايات المتحدة", "القاهرة"]
    assert named("ما أخبار العالم وأوروبا؟") == []


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("من هو رئيس وزراء اليابان؟", ["اليابان"]),
        ("ما علاقة روسيا باليابان؟", ["روسيا", "اليابان"]),
        ("هل سافر الوزير لليابان؟", ["اليابان"]),
        ("هل زار ماكرون مالي؟", ["مالي"]),
        # «المالي» (financial) is not the country «مالي»: the article must match too.
        ("ما الوضع المالي للشركة؟", []),
    ],
)
def test_a_place_is_found_with_its_clitics_and_its_article(question: str, expected: list[str]) -> None:
    assert named(question) == expected


NEWS = [
    Article(id="visit", title="زيارة", text="وصل الرئيس إلى كازاخستان أمس. ناقش مع نظيره صفقة القطارات."),
    Article(
        id="tokyo", title="قمة", text="استقبل رئيس الوزراء الياباني الوفد في العاصمة. وقع الجانبان اتفاقا."
    ),
    Article(id="cabinet", title="حكومة", text="عيّن رئيس الوزراء عشرة وزراء جددا. أدى الوزراء اليمين."),
]


def index() -> SentenceIndex:
    return SentenceIndex.build(NEWS, analyzer, SearchWeights())


def test_a_place_counts_as_mentioned_by_its_word_or_its_stem() -> None:
    asked = places.named_in(analyzer.analyze_question("ماذا فعل رئيس وزراء اليابان في كازاخستان؟"))
    # «الياباني» shares «اليابان»'s stem; «كازاخستان» is there as written.
    assert unmentioned(asked, index()) == []
    assert unmentioned(places.named_in(analyzer.analyze_question("من هو رئيس وزراء كندا؟")), index()) == [
        "كندا"
    ]


def test_a_left_out_article_does_not_mention_its_places() -> None:
    asked = places.named_in(analyzer.analyze_question("متى وصل الرئيس إلى كازاخستان؟"))
    assert unmentioned(asked, index(), excluded_article=0) == ["كازاخستان"]
    assert unmentioned(asked, index(), excluded_article=1) == []


def test_the_engine_does_not_quote_for_a_place_no_article_mentions() -> None:
    engine = AnswerEngine.from_articles(NEWS)
    answer = engine.answer("من هو رئيس وزراء كندا؟")
    assert not answer.answered
    assert answer.abstain_reason == "unknown_place" and answer.unknown_places == ("كندا",)
    # The same words about a place the news mention are answered.
    assert engine.answer("متى وصل الرئيس إلى كازاخستان؟").answered
    assert engine.answer("متى وصل الرئيس إلى كازاخستان؟", excluded_article="visit").abstain_reason == (
        "unknown_place"
    )
