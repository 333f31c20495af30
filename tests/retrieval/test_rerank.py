"""The learned re-ranker and abstention: the model file's contract and how the engine applies it."""

import json

import numpy as np
import pytest

from retrieval import AnswerEngine, Article, ModelFormatError, RankingModel
from retrieval.features import CANDIDATE_FEATURES, QUESTION_FEATURES
from retrieval.rerank import LinearModel, TreeEnsemble

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


def tree_model(trees: list[dict[str, object]], bias: float = 0.5, **weights: float) -> dict[str, object]:
    return {
        "bias": bias,
        "weights": {name: weights.get(name, 0.0) for name in QUESTION_FEATURES},
        "trees": trees,
    }


# coverage_any <= 0.5: -2, else (matched_share <= 0.25: 0.5, else 1.5)
TREE = {
    "feature": ["coverage_any", None, "matched_share", None, None],
    "threshold": [0.5, 0.0, 0.25, 0.0, 0.0],
    "left": [1, 0, 3, 0, 0],
    "right": [2, 0, 4, 0, 0],
    "value": [0.0, -2.0, 0.0, 0.5, 1.5],
}


def row(**values: float) -> list[float]:
    return [values.get(name, 0.0) for name in QUESTION_FEATURES]


def test_a_tree_ensemble_adds_each_trees_leaf_to_the_bias() -> None:
    ensemble = TreeEnsemble.from_json(tree_model([TREE, TREE]), QUESTION_FEATURES)
    rows = np.array(
        [
            row(coverage_any=0.2),
            row(coverage_any=0.9, matched_share=0.1),
            row(coverage_any=0.9, matched_share=0.8),
        ]
    )
    assert ensemble.score(rows).tolist() == [0.5 - 4.0, 0.5 + 1.0, 0.5 + 3.0]


def test_the_linear_part_adds_to_the_trees() -> None:
    ensemble = TreeEnsemble.from_json(tree_model([TREE], bias=0.0, top_score=2.0), QUESTION_FEATURES)
    assert ensemble.score(np.array([row(top_score=3.0, coverage_any=0.9, matched_share=0.8)])).tolist() == [
        6.0 + 1.5
    ]


def test_an_ensemble_without_a_weight_for_each_feature_is_a_model_format_error() -> None:
    data = tree_model([TREE])
    data["weights"] = {"top_score": 1.0}
    with pytest.raises(ModelFormatError):
        TreeEnsemble.from_json(data, QUESTION_FEATURES)


def test_a_shipped_tree_abstainer_round_trips() -> None:
    data = RankingModel.shipped().to_json() | {"abstainer": tree_model([TREE])}
    model = RankingModel.from_json(data)
    assert isinstance(model.abstainer, TreeEnsemble)
    assert RankingModel.from_json(json.loads(json.dumps(model.to_json()))) == model


@pytest.mark.parametrize(
    "broken",
    [
        TREE | {"left": [1, 0, 1, 0, 0]},  # a child before its parent: the walk could loop
        TREE | {"right": [2, 0, 9, 0, 0]},  # a child past the tree's end
        TREE | {"feature": ["no_such_feature", None, "matched_share", None, None]},
        TREE | {"value": [0.0, -2.0, 0.0]},  # arrays of different lengths
        TREE | {"threshold": [float("nan"), 0.0, 0.25, 0.0, 0.0]},
        {key: value for key, value in TREE.items() if key != "value"},
    ],
)
def test_a_malformed_tree_is_a_model_format_error(broken: dict[str, object]) -> None:
    with pytest.raises(ModelFormatError):
        TreeEnsemble.from_json(tree_model([broken]), QUESTION_FEATURES)
