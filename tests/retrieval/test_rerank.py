"""The learned re-ranker and abstention: the model file's contract and how the engine applies it."""

import json

import pytest

from retrieval import AnswerEngine, Article, ModelFormatError, RankingModel
from retrieval.features import CANDIDATE_FEATURES, QUESTION_FEATURES
from retrieval.rerank import LinearModel

SHORT = "ناقش الوزير صفقة القطارات."
LONG = "ناقش الوزير مطولا مع نظيره وفريقه الفني تفاصيل صفقة القطارات السريعة وجدول تسليمها وتمويلها."
ARTICLES = [
    Article(id="short", title="t", text=SHORT),
    Article(id="long", title="t", text=LONG),
    Article(id="rain", title="t", text="هطلت أمطار غزيرة على الساحل الشمالي."),
    Article(id="match", title="t", text="فاز الفريق بالمباراة النهائية أمام جمهوره."),
    Article(id="bridge", title="t", text="افتتح المحافظ الجسر الجديد فوق النهر."),
    Article(id="school", title="t", text="بدأ العام الدراسي في المدارس الحكومية."),
    Article(id="market", title="t", text="ارتفعت أسعار الخضار في الأسواق المحلية."),
    Article(id="museum", title="t", text="استقبل المتحف الوطني آلاف الزوار في العطلة."),
]


def model(*, length: float = 0.0, bias: float = 10.0, max_unknown_share: float = 1.0) -> RankingModel:
    ranker = {name: 0.0 for name in CANDIDATE_FEATURES} | {"length": length}
    return RankingModel(
        ranker=LinearModel(names=CANDIDATE_FEATURES, weights=tuple(ranker.values())),
        abstainer=LinearModel(names=QUESTION_FEATURES, weights=(0.0,) * len(QUESTION_FEATURES), bias=bias),
        threshold=0.5,
        max_unknown_share=max_unknown_share,
    )


@pytest.mark.parametrize(("length", "first"), [(10.0, LONG), (-10.0, SHORT)])
def test_the_engine_quotes_in_the_models_order(length: float, first: str) -> None:
    engine = AnswerEngine.from_articles(ARTICLES, model=model(length=length))
    assert engine.answer("ما صفقة القطارات؟", top_k=2).quotes[0].text == first


def test_below_the_threshold_the_engine_abstains_and_says_how_sure_it_was() -> None:
    answer = AnswerEngine.from_articles(ARTICLES, model=model(bias=-10.0)).answer("ما صفقة القطارات؟")
    assert not answer.answered and answer.abstain_reason == "weak_match"
    assert answer.confidence is not None and answer.confidence < 0.5
    sure = AnswerEngine.from_articles(ARTICLES, model=model(bias=10.0)).answer("ما صفقة القطارات؟")
    assert sure.answered and sure.confidence is not None and sure.confidence > 0.5


def test_a_question_about_what_the_corpus_never_mentions_is_abstained_whatever_the_model() -> None:
    engine = AnswerEngine.from_articles(ARTICLES, model=model(bias=10.0, max_unknown_share=0.5))
    assert not engine.answer("ما صفقة طائرات بوينغ؟").answered  # بوينغ and طائرات: nowhere
    assert engine.answer("ما صفقة القطارات؟").answered


def test_a_left_out_article_is_never_quoted() -> None:
    engine = AnswerEngine.from_articles(ARTICLES, model=model())
    answer = engine.answer("ما صفقة القطارات؟", top_k=5, excluded_article="short")
    assert [quote.article.id for quote in answer.quotes] == ["long"]


def test_the_model_file_round_trips_and_rejects_other_features() -> None:
    shipped = RankingModel.shipped()
    assert RankingModel.from_json(json.loads(json.dumps(shipped.to_json()))) == shipped
    data = shipped.to_json()
    data["ranker"]["weights"]["no_such_feature"] = 1.0
    with pytest.raises(ModelFormatError):
        RankingModel.from_json(data)
    with pytest.raises(ModelFormatError):
        RankingModel.from_json({"ranker": {}})
