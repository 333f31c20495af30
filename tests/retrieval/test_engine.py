"""AnswerEngine: verbatim quotes, cross-outlet spellings, one quote per fact, and abstention."""

from pathlib import Path

import pytest

import retrieval.engine as engine_module
from retrieval import (
    MAX_QUESTION_CHARS,
    AliasTable,
    AnswerEngine,
    AnswerPolicy,
    ArabicAnalyzer,
    Article,
    EmptyCorpusError,
    SearchWeights,
    load_corpus,
    normalize_arabic,
)
from retrieval.analyzer import _Word
from retrieval.engine import analyse_question
from retrieval.search import SentenceIndex

SEEDS = Path(__file__).parents[2] / "seeds"
FIRST, SECOND = "000_284772c995d02f14", "002_198c771e8c7c9f80"


@pytest.fixture(scope="module")
def engine() -> AnswerEngine:
    return AnswerEngine.from_articles(load_corpus(SEEDS).articles)


def cited_ids(engine: AnswerEngine, question: str) -> set[str]:
    answer = engine.answer(question)
    return {q.article.id for q in answer.quotes} | {c.article.id for q in answer.quotes for c in q.also_in}


def test_arrival_question_quotes_the_arrival_sentence(engine: AnswerEngine) -> None:
    answer = engine.answer("متى وصل بوتين إلى كازاخستان؟")
    assert answer.answered
    best = normalize_arabic(answer.quotes[0].text)
    assert "وصل الرييس الروسي" in best


def test_arrival_question_quotes_the_outlet_that_gives_the_date(engine: AnswerEngine) -> None:
    # An end-to-end example of the rule specified in test_compose.py (the quote that answers).
    best = engine.answer("متى وصل بوتين إلى كازاخستان؟").quotes[0]
    assert "الأربعاء 27 نوفمبر 2024" in best.text
    assert [c.article.id for c in best.also_in] == [SECOND]


@pytest.mark.parametrize(
    ("question", "spelling"),
    [("ما هو دور Rosatom في كازاخستان؟", "روساتوم"), ("لماذا رفضت كازاخستان الانضمام إلى BRICS؟", "بريكس")],
)
def test_a_latin_name_is_found_in_its_arabic_spelling(
    engine: AnswerEngine, question: str, spelling: str
) -> None:
    # An end-to-end example of the rules specified in test_aliases.py.
    answer = engine.answer(question)
    assert answer.answered
    assert spelling in answer.quotes[0].text


@pytest.mark.parametrize(
    "question",
    [
        "متى وصل بوتين إلى كازاخستان؟",
        "متى وصل بوتن إلى كازاخستان؟",
        "ماذا نشرت صحيفة إزفستيا؟",
        "ماذا نشرت صحيفة إزفيستيا؟",
    ],
)
def test_either_spelling_finds_both_outlets(engine: AnswerEngine, question: str) -> None:
    assert cited_ids(engine, question) == {FIRST, SECOND}


def test_same_fact_from_two_outlets_is_one_quote_citing_both(engine: AnswerEngine) -> None:
    answer = engine.answer("كم تبلغ حصة كازاخستان من إنتاج اليورانيوم في العالم؟")
    best = answer.quotes[0]
    assert "43" in best.text
    assert [c.article.id for c in best.also_in] == [SECOND if best.article.id == FIRST else FIRST]
    assert "43" in best.also_in[0].text
    # The twin is not quoted a second time.
    assert sum("43" in q.text for q in answer.quotes) == 1


def test_every_quote_is_a_verbatim_span_of_its_article(engine: AnswerEngine) -> None:
    for question in [
        "ماذا قال توكاييف عن الحرب؟",
        "لماذا طردت روسيا الصحافيين الألمان؟",
        "ما هي مجموعة بريكس؟",
    ]:
        answer = engine.answer(question, top_k=5)
        assert answer.answered
        for quote in answer.quotes:
            for citation in (quote.citation, *quote.also_in):
                assert citation.article.text[citation.start : citation.end] == citation.text
                assert citation.text == citation.text.strip()


def test_sentence_that_points_back_is_quoted_with_its_predecessor(engine: AnswerEngine) -> None:
    answer = engine.answer("من هو المراسل فرانك أيخمان؟")
    quote = next(q for q in answer.quotes if "أيخمان" in q.text)
    assert "وسمت المراسل فرانك أيخمان" in quote.text
    assert "زاخاروفا" in quote.text  # the sentence that says who "named" them
    assert quote.citation.last_sentence == quote.citation.first_sentence + 1


def test_highlights_mark_the_words_that_matched(engine: AnswerEngine) -> None:
    quote = engine.answer("متى وصل بوتين إلى كازاخستان؟").quotes[0]
    marked = {normalize_arabic(quote.text[s:e]) for s, e in quote.highlights}
    assert {"وصل", "كازاخستان"} <= marked
    assert marked & {"بوتن", "بوتين"}
    assert "الي" not in marked and "الى" not in marked  # stopwords are never marked


@pytest.mark.parametrize(
    "question",
    [
        "ما هي عاصمة فرنسا؟",
        "من فاز بكأس العالم لكرة القدم؟",
        "كيف أطبخ المقلوبة؟",
        "ما سعر الذهب اليوم؟",
        "ما هو؟ ومتى؟ وأين؟",  # only question words
        "When did Putin arrive?",  # Latin only
        "😀🎉 !!! ؟؟",
        "",
    ],
)
def test_off_topic_or_empty_questions_are_abstained(engine: AnswerEngine, question: str) -> None:
    answer = engine.answer(question)
    assert not answer.answered
    assert answer.quotes == ()
    assert answer.abstain_reason


def test_paging_returns_the_next_distinct_quotes(engine: AnswerEngine) -> None:
    question = "ما العلاقات بين روسيا وكازاخستان؟"
    first = engine.answer(question, top_k=2)
    second = engine.answer(question, top_k=2, offset=2)
    assert first.more_available
    assert second.answered
    spans = {(q.article.id, q.citation.start) for q in first.quotes}
    assert not spans & {(q.article.id, q.citation.start) for q in second.quotes}
    assert [q.score for q in first.quotes + second.quotes] == sorted(
        [q.score for q in first.quotes + second.quotes], reverse=True
    )


def test_re_ranked_under_a_floor_the_search_picks_only_what_composition_can_quote(
    engine: AnswerEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Below the re-ranked candidates everything scores 0 and a floor cuts it: the search's best
    # thirty are asked for instead of fifty, and every answer and page stays the same.
    limits: list[int] = []
    search = SentenceIndex.search

    def spy(index: SentenceIndex, question: object, *, limit: int, **options: object) -> object:
        limits.append(limit)
        return search(index, question, limit=limit, **options)  # type: ignore[arg-type]

    monkeypatch.setattr(SentenceIndex, "search", spy)
    questions = ["ما العلاقات بين روسيا وكازاخستان؟", "متى وصل بوتين إلى كازاخستان؟", "ما نسبة اليورانيوم؟"]
    pages = [(3, 0), (2, 2), (3, 6)]
    trimmed = [engine.answer(q, top_k=k, offset=o) for q in questions for k, o in pages]
    assert set(limits) == {engine_module.RERANK_DEPTH}
    monkeypatch.setattr(AnswerEngine, "_candidate_limit", lambda self, reranked, wanted: max(50, 5 * wanted))
    assert [engine.answer(q, top_k=k, offset=o) for q in questions for k, o in pages] == trimmed
    limits.clear()
    monkeypatch.undo()
    monkeypatch.setattr(SentenceIndex, "search", spy)
    engine.with_policy(AnswerPolicy(relative_floor=0.0)).answer(questions[0], top_k=3, offset=12)
    assert limits == [75]  # no floor: the candidates below the re-ranked ones may be quoted


def test_context_returns_neighbouring_sentences_in_order(engine: AnswerEngine) -> None:
    quote = engine.answer("ما نسبة إنتاج كازاخستان من اليورانيوم؟").quotes[0]
    c = quote.citation
    around = engine.context(c.article.id, c.first_sentence, c.last_sentence, window=1)
    assert [s.index for s in around] == list(range(c.first_sentence - 1, c.last_sentence + 2))
    assert quote.text in c.article.text[around[0].start : around[-1].end]


def test_long_input_is_cut_to_the_first_characters(engine: AnswerEngine) -> None:
    question = "متى وصل بوتين إلى كازاخستان؟"
    padded = engine.answer(question + " " * MAX_QUESTION_CHARS + "روساتوم اليورانيوم " * 500)
    assert [q.text for q in padded.quotes] == [q.text for q in engine.answer(question).quotes]


@pytest.mark.parametrize("articles", [[], [Article(id="x", title="t", text="   ")]])
def test_empty_corpus_is_a_clear_error(articles: list[Article]) -> None:
    with pytest.raises(EmptyCorpusError):
        AnswerEngine.from_articles(articles)


def test_unknown_article_is_a_key_error(engine: AnswerEngine) -> None:
    with pytest.raises(KeyError):
        engine.article("nope")


def test_persisted_index_is_loaded_instead_of_rebuilt(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from retrieval.search import SentenceIndex

    articles = load_corpus(SEEDS).articles
    question = "متى وصل بوتين إلى كازاخستان؟"
    built = AnswerEngine.from_articles(articles, cache_dir=tmp_path)
    assert any(tmp_path.iterdir())

    def no_rebuild(*_: object) -> None:
        raise AssertionError("the index was rebuilt although the corpus did not change")

    monkeypatch.setattr(SentenceIndex, "build", no_rebuild)
    loaded = AnswerEngine.from_articles(articles, cache_dir=tmp_path)
    assert [(q.text, q.score) for q in loaded.answer(question).quotes] == [
        (q.text, q.score) for q in built.answer(question).quotes
    ]


def test_changed_corpus_or_corrupt_cache_is_rebuilt(tmp_path: Path) -> None:
    articles = load_corpus(SEEDS).articles
    AnswerEngine.from_articles(articles[:1], cache_dir=tmp_path)
    engine = AnswerEngine.from_articles(articles, cache_dir=tmp_path)  # a new article: new key
    # The article added after the first build is searched: not an index of the first corpus alone.
    assert cited_ids(engine, "ما نسبة إنتاج كازاخستان من اليورانيوم؟") == {FIRST, SECOND}
    (entry,) = [p for p in tmp_path.iterdir() if not p.name.startswith(".")]
    (entry / "owner.npy").write_bytes(b"garbage")
    rebuilt = AnswerEngine.from_articles(articles, cache_dir=tmp_path)
    assert rebuilt.answer("متى وصل بوتين إلى كازاخستان؟").answered


def test_an_engine_saved_under_a_source_key_restarts_without_its_articles(tmp_path: Path) -> None:
    articles = load_corpus(SEEDS).articles
    question = "متى وصل بوتين إلى كازاخستان؟"
    assert AnswerEngine.from_cache(tmp_path, "seeds@1") is None  # nothing saved yet
    built = AnswerEngine.from_articles(articles, cache_dir=tmp_path, source_key="seeds@1")
    restarted = AnswerEngine.from_cache(tmp_path, "seeds@1")
    assert restarted is not None
    assert list(restarted.articles) == list(articles)
    assert restarted.article_ids == tuple(article.id for article in articles)
    assert restarted.answer(question) == built.answer(question)
    # Another key (the source changed) never gets the saved index.
    assert AnswerEngine.from_cache(tmp_path, "seeds@2") is None


def test_a_restarted_engine_answers_as_built_without_analysing_the_corpus_words(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from retrieval.analyzer import ArabicAnalyzer

    articles = load_corpus(SEEDS).articles
    question = "متى وصل بوتين إلى كازاخستان؟"
    built = AnswerEngine.from_articles(articles, cache_dir=tmp_path, source_key="seeds@1")
    analysed: list[str] = []
    analyze_word = ArabicAnalyzer._analyze_word

    def counted(self: ArabicAnalyzer, surface: str) -> _Word | None:
        analysed.append(surface)
        return analyze_word(self, surface)

    monkeypatch.setattr(ArabicAnalyzer, "_analyze_word", counted)
    restarted = AnswerEngine.from_cache(tmp_path, "seeds@1")
    assert restarted is not None
    answer = restarted.answer(question)
    analysed_by_restart = set(analysed)
    assert answer == built.answer(question)
    quoted = {token.surface for quote in answer.quotes for token in ArabicAnalyzer().tokens(quote.text)}
    content = {surface for surface in quoted if ArabicAnalyzer().content_terms(surface) is not None}
    assert content and not content & analysed_by_restart


def test_a_restarted_engine_grows_and_is_saved_again_under_the_new_key(tmp_path: Path) -> None:
    articles = load_corpus(SEEDS).articles
    AnswerEngine.from_articles(articles[:-1], cache_dir=tmp_path, source_key="v1")
    restarted = AnswerEngine.from_cache(tmp_path, "v1")
    assert restarted is not None
    grown = restarted.added([articles[-1]])
    assert grown.save_cache(tmp_path, "v2")
    again = AnswerEngine.from_cache(tmp_path, "v2")
    assert again is not None and list(again.articles) == list(articles)
    assert AnswerEngine.from_cache(tmp_path, "v1") is None  # the older entry was dropped
    question = "ما نسبة إنتاج كازاخستان من اليورانيوم؟"
    assert again.answer(question) == AnswerEngine.from_articles(articles).answer(question)


def test_the_question_analysis_shared_with_training_adds_every_other_spelling_the_corpus_holds() -> None:
    # benchmarks/train_ranker.py calls analyse_question, so the models learn from the question the
    # engine searches: a Latin name's Arabic spelling, a news word for an everyday verb and the
    # hamza reading of an «ال» word, each only where the small corpus holds it.
    article = Article(
        id="visit",
        title="زيارة",
        text="وصل وفد حلف الناتو إلى ألمانيا صباح الخميس. ناقش الوفد ملفات الدفاع.",
    )
    index = SentenceIndex.build([article], ArabicAnalyzer(), SearchWeights())
    plain = index.analyzer.analyze_question("امتى راح وفد NATO المانيا؟")
    searched = analyse_question(index, plain.text, AliasTable.parse("NATO\tالناتو\n"))
    added = {
        word.word: {other.word for other in forms[1:]}
        for word, forms in zip(plain.words, searched.spellings(), strict=True)
    }
    assert added["راح"] == {"وصل"}  # the bundled synonym table's news word
    assert added["nato"] == {"ناتو"}  # the alias, as the index spells it
    assert added["مانيا"] == {"المانيا"}  # «المانيا» read as «ألمانيا», a word and not the article
    assert added["وفد"] == set()


def test_the_engine_searches_the_question_analyse_question_gives(
    engine: AnswerEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The one function training calls is the one answering calls: a copy could drift from it.
    asked: list[str] = []
    analyse = engine_module.analyse_question

    def recording(index: object, text: str, aliases: object) -> object:
        asked.append(text)
        return analyse(index, text, aliases)  # type: ignore[arg-type]

    monkeypatch.setattr(engine_module, "analyse_question", recording)
    assert engine.answer("متى وصل بوتين إلى كازاخستان؟").answered
    assert asked == ["متى وصل بوتين إلى كازاخستان؟"]
