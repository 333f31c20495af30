"""SentenceIndex.search: how a sentence's score is made, one signal at a time, on hand-made articles.

Each test switches off the signals it does not state (weight 0), so the rule it names is the
only difference between the sentences it compares.
"""

import dataclasses

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from retrieval import ArabicAnalyzer, Article, Fields, SearchWeights
from retrieval.search import Candidate, SentenceIndex, _clear, _touched

analyzer = ArabicAnalyzer()
# Unrelated sentences, so that a word held by two sentences still has a positive IDF.
FILLER = Article(
    id="filler",
    title="طقس",
    text="هطلت أمطار غزيرة على الساحل. انخفضت درجات الحرارة ليلا. نصحت الأرصاد السائقين بالحذر. "
    "أغلقت المدارس أبوابها يوما واحدا.",
)
ONLY_OWN = SearchWeights(article=0.0, neighbour=0.0, number_answer=0.0)


def search(
    articles: list[Article], question: str, weights: SearchWeights, limit: int = 20
) -> list[Candidate]:
    index = SentenceIndex.build([*articles, FILLER], analyzer, weights)
    return index.search(analyzer.analyze_question(question), limit=limit)


def by_text(candidates: list[Candidate], article_id: str, text: str) -> Candidate:
    return next(c for c in candidates if c.article.id == article_id and c.sentence.text == text)


def test_a_candidate_carries_its_sentence_article_words_and_signals() -> None:
    article = Article(id="a", title="t", text="زار الوزير مصنع الحديد. ثم عاد إلى العاصمة.")
    (candidate,) = search([article], "من زار مصنع الحديد؟", SearchWeights(), limit=1)
    assert candidate.article is article
    assert candidate.sentence.text == "زار الوزير مصنع الحديد."
    assert article.text[candidate.sentence.start : candidate.sentence.end] == candidate.sentence.text
    assert [t.surface for t in candidate.tokens] == ["زار", "الوزير", "مصنع", "الحديد"]
    assert all(candidate.sentence.text[t.start : t.end] == t.surface for t in candidate.tokens)
    assert (
        candidate.score
        == candidate.own + candidate.neighbour + candidate.article_prior + candidate.number_bonus
    )
    assert candidate.own == 1.0  # the best sentence's own score is the unit
    assert isinstance(candidate.bm25, Fields) and candidate.bm25.stem > 0.0


def test_a_rescored_candidate_differs_only_in_its_score() -> None:
    article = Article(id="a", title="t", text="زار الوزير مصنع الحديد. ثم عاد إلى العاصمة.")
    (candidate,) = search([article], "من زار مصنع الحديد؟", SearchWeights(), limit=1)
    assert candidate.rescored(0.25) == dataclasses.replace(candidate, score=0.25)
    assert candidate.rescored(0.25).score == 0.25


def test_only_sentences_holding_a_question_word_are_candidates() -> None:
    article = Article(id="a", title="t", text="زار الوزير مصنع الحديد. ثم عاد إلى العاصمة.")
    candidates = search([article], "من زار مصنع الحديد؟", SearchWeights())
    assert [c.sentence.text for c in candidates] == ["زار الوزير مصنع الحديد."]


def test_a_share_of_the_better_neighbour_is_added() -> None:
    weights = SearchWeights(article=0.0, number_answer=0.0, neighbour=0.1)
    sentence = "زار الوزير مصنع الحديد."
    with_help = Article(id="helped", title="t", text=f"{sentence} رافقه المحافظ سالم في الجولة.")
    alone = Article(id="alone", title="t", text=f"{sentence} انقطعت الكهرباء عن الحي.")
    candidates = search([alone, with_help], "هل رافق المحافظ سالم الوزير إلى مصنع الحديد؟", weights)
    helped, lone = by_text(candidates, "helped", sentence), by_text(candidates, "alone", sentence)
    neighbour = by_text(candidates, "helped", "رافقه المحافظ سالم في الجولة.")
    assert helped.own == lone.own
    assert lone.neighbour == 0.0
    assert helped.neighbour == pytest.approx(0.1 * neighbour.own)
    assert candidates.index(helped) < candidates.index(lone)


def test_neighbours_in_another_article_do_not_count() -> None:
    weights = SearchWeights(article=0.0, number_answer=0.0, neighbour=0.1)
    first = Article(id="first", title="t", text="انقطعت الكهرباء عن الحي. زار الوزير مصنع الحديد.")
    second = Article(id="second", title="t", text="رافقه المحافظ سالم في الجولة. انتهت الزيارة مساء.")
    candidates = search([first, second], "هل رافق المحافظ سالم الوزير إلى مصنع الحديد؟", weights)
    assert by_text(candidates, "first", "زار الوزير مصنع الحديد.").neighbour == 0.0


def test_a_sentence_in_an_article_about_the_question_ranks_higher() -> None:
    weights = SearchWeights(article=2.0, neighbour=0.0, number_answer=0.0)
    sentence = "بلغت الكلفة عشرة ملايين."
    about = Article(
        id="about", title="t", text=f"بدأ العمل في الجسر الجديد. {sentence} سيربط الجسر ضفتي النهر."
    )
    aside = Article(id="aside", title="t", text=f"تحدث التقرير عن الطرق. {sentence} ناقش النواب الميزانية.")
    candidates = search([aside, about], "ما كلفة الجسر؟", weights)
    in_about, in_aside = by_text(candidates, "about", sentence), by_text(candidates, "aside", sentence)
    assert in_about.own == in_aside.own
    assert in_about.article_prior == 2.0  # the best article gets the whole weight
    assert 0.0 <= in_aside.article_prior < in_about.article_prior
    assert candidates.index(in_about) < candidates.index(in_aside)


@pytest.mark.parametrize(
    ("question", "wants_number"),
    [
        ("متى افتتح المتحف الوطني؟", True),
        ("في أي عام افتتح المتحف الوطني؟", True),
        ("كم مرة افتتح المتحف الوطني؟", True),
        ("من افتتح المتحف الوطني؟", False),
        ("لماذا افتتح المتحف الوطني؟", False),
        ("كيف افتتح المتحف الوطني؟", False),
    ],
)
def test_a_sentence_with_a_number_or_a_month_gets_a_bonus_when_asked_when_or_how_many(
    question: str, wants_number: bool
) -> None:
    weights = SearchWeights(article=0.0, neighbour=0.0, number_answer=0.2)
    dated = Article(id="dated", title="t", text="افتتح المتحف الوطني في مايو.")
    undated = Article(id="undated", title="t", text="افتتح المتحف الوطني في الصباح.")
    candidates = search([undated, dated], question, weights)
    with_month = by_text(candidates, "dated", dated.text)
    without = by_text(candidates, "undated", undated.text)
    assert with_month.own == without.own
    assert without.number_bonus == 0.0
    assert with_month.number_bonus == (0.2 if wants_number else 0.0)
    if wants_number:
        assert candidates.index(with_month) < candidates.index(without)


def test_digits_count_as_a_number() -> None:
    weights = SearchWeights(article=0.0, neighbour=0.0, number_answer=0.2)
    dated = Article(id="dated", title="t", text="افتتح المتحف الوطني سنة ١٩٩٨.")
    (candidate,) = search([dated], "متى افتتح المتحف الوطني؟", weights)
    assert candidate.number_bonus == 0.2


def test_field_weights_are_named_and_a_zero_weight_field_is_not_scored() -> None:
    weights = SearchWeights(
        fields=Fields(stem=0.0, word=1.0, skeleton=0.0, root=0.0), article=0.0, neighbour=0.0
    )
    article = Article(id="a", title="t", text="وصل بوتين إلى أستانا.")
    (candidate,) = search([article], "متى وصل بوتين؟", weights)
    assert candidate.bm25.stem == 0.0 and candidate.bm25.skeleton == 0.0
    assert candidate.bm25.word > 0.0


def test_a_transliteration_meets_through_the_skeleton_field() -> None:
    weights = SearchWeights(
        fields=Fields(stem=0.0, word=0.0, skeleton=1.0, root=0.0), article=0.0, neighbour=0.0
    )
    article = Article(id="a", title="t", text="وصل بوتين إلى أستانا.")
    (candidate,) = search([article], "متى وصل بوتن؟", weights)
    assert candidate.bm25.skeleton > 0.0


def test_limit_caps_the_candidates_best_first() -> None:
    article = Article(
        id="a",
        title="t",
        text="زار الوزير مصنع الحديد. زار الوزير المصنع. زار المحافظ الميناء.",
    )
    candidates = search([article], "هل زار الوزير مصنع الحديد؟", ONLY_OWN, limit=2)
    assert len(candidates) == 2
    assert [c.score for c in candidates] == sorted((c.score for c in candidates), reverse=True)
    assert candidates[0].sentence.text == "زار الوزير مصنع الحديد."


def test_the_index_says_which_terms_the_corpus_holds_per_field() -> None:
    index = SentenceIndex.build(
        [Article(id="a", title="t", text="وصل بوتين إلى أستانا."), FILLER], analyzer, ONLY_OWN
    )
    assert index.holds_term("word", "بوتين") and index.holds_term("skeleton", "بتن")
    assert not index.holds_term("word", "بتن")  # a skeleton is not a word
    assert not index.holds_term("skeleton", "رستم")


WORDS = ["وزير", "مصنع", "حديد", "ميناء", "زار", "افتتح", "مدينة", "نفط", "عام", "2019", "مارس", "رئيس"]
sentences = st.lists(st.sampled_from(WORDS), min_size=1, max_size=6).map(lambda words: " ".join(words) + ".")
corpora = st.lists(st.lists(sentences, min_size=1, max_size=5), min_size=1, max_size=8)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    corpus=corpora,
    question=st.lists(st.sampled_from([*WORDS, "متى", "كم"]), min_size=1, max_size=5),
    limit=st.integers(1, 6),
    masked=st.booleans(),
    bonus=st.lists(st.floats(-0.5, 0.5), min_size=9, max_size=9) | st.none(),
)
def test_fusing_only_the_articles_that_can_reach_the_best_changes_no_candidate(
    monkeypatch: pytest.MonkeyPatch,
    corpus: list[list[str]],
    question: list[str],
    limit: int,
    masked: bool,
    bonus: list[float] | None,
) -> None:
    articles = [Article(id=f"a{n}", title="t", text=" ".join(text)) for n, text in enumerate(corpus)]
    index = SentenceIndex.build([*articles, FILLER], analyzer, SearchWeights())
    analysed = analyzer.analyze_question(" ".join(question) + "؟")
    count = len(index.numbered)
    options = {
        "article_mask": np.arange(count) % 2 == 0 if masked else None,
        "article_bonus": None if bonus is None else np.array(bonus[:count]),
    }

    def signals(candidates: list[Candidate]) -> list[tuple[object, ...]]:
        return [
            (
                c.position,
                c.score,
                c.bm25,
                c.own,
                c.neighbour,
                c.article_prior,
                c.number_bonus,
                c.article_bonus,
            )
            for c in candidates
        ]

    monkeypatch.setattr("retrieval.search._NARROWED_FROM", 10**9)
    every_article = signals(index.search(analysed, limit=limit, **options))
    monkeypatch.setattr("retrieval.search._NARROWED_FROM", 0)
    assert signals(index.search(analysed, limit=limit, **options)) == every_article
    # The positions added in two halves by two threads: the same floats.
    monkeypatch.setattr("retrieval.search._SPLIT_FROM_POSTINGS", 0)
    monkeypatch.setattr("retrieval.search._SPLIT_FROM_SENTENCES", 0)
    assert signals(index.search(analysed, limit=limit, **options)) == every_article
    # Every term common: their weights computed by the two threads, then read as kept.
    monkeypatch.setattr("retrieval.segments._CACHED_FROM_POSTINGS", 1)
    assert signals(index.search(analysed, limit=limit, **options)) == every_article
    assert signals(index.search(analysed, limit=limit, **options)) == every_article


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    corpus=corpora,
    question=st.lists(st.sampled_from(WORDS), min_size=1, max_size=5),
    removed=st.booleans(),
    summed=st.booleans(),
    split=st.booleans(),
)
def test_each_candidates_bm25_is_its_fields_rank_bm25_score_and_own_their_weighted_sum(
    monkeypatch: pytest.MonkeyPatch,
    corpus: list[list[str]],
    question: list[str],
    removed: bool,
    summed: bool,
    split: bool,
) -> None:
    # Summed: the fields added, weighted, into one buffer (a question with many postings), the
    # candidates' BM25 per field looked up; otherwise a buffer per field. Split: two halves of the
    # positions added by two threads.
    monkeypatch.setattr("retrieval.search._SUMMED_FROM_POSTINGS", 0 if summed else 10**9)
    monkeypatch.setattr("retrieval.search._SPLIT_FROM_POSTINGS", 0 if split else 10**9)
    monkeypatch.setattr("retrieval.search._SPLIT_FROM_SENTENCES", 0)
    articles = [Article(id=f"a{n}", title="t", text=" ".join(text)) for n, text in enumerate(corpus)]
    weights = SearchWeights()
    index = SentenceIndex.build([*articles, FILLER], analyzer, weights)
    if removed:
        index = index.removed([0])
    analysed = analyzer.analyze_question(" ".join(question) + "؟")
    found = index.search(analysed, limit=50)
    per_field = {}
    for name, terms in zip(("stem", "word", "skeleton", "root"), analysed.terms, strict=True):
        positions, scores = index.field_scores(name, terms)
        per_field[name] = dict(zip(positions.tolist(), scores.tolist(), strict=True))
    owns = {}
    for candidate in found:
        expected = Fields(*(per_field[name].get(candidate.position, 0.0) for name in per_field))
        # The same weights; summed in another order by ``field_scores`` (reduceat), so to the last bits.
        assert tuple(candidate.bm25) == pytest.approx(tuple(expected), rel=1e-12, abs=1e-15)
        owns[candidate.position] = sum(w * v for w, v in zip(weights.fields, expected, strict=True))
    if found and max(owns.values()) > 0:
        best = max(owns.values())
        for candidate in found:
            assert candidate.own == pytest.approx(owns[candidate.position] / best, rel=1e-12, abs=1e-15)


@pytest.mark.parametrize(("cores", "build", "batch"), [(2, 2, 1), (4, 4, 3), (1, 1, 1)])
def test_an_added_batch_leaves_a_core_to_the_questions_being_answered(
    monkeypatch: pytest.MonkeyPatch, cores: int, build: int, batch: int
) -> None:
    from retrieval import search as search_module

    monkeypatch.setattr("retrieval.search.os.sched_getaffinity", lambda _: set(range(cores)), raising=False)
    assert search_module._workers(5_000, 2_000) == build
    assert search_module._workers(500, 200, spare=1) == batch
    assert search_module._workers(100, 200, spare=1) == 0  # too few to pay for a fork


def test_touched_positions_are_the_flagged_ones_ascending_whether_sorted_or_scanned() -> None:
    seen = np.zeros(64, dtype=np.bool_)
    seen[[40, 3, 17]] = True
    touched = np.array([40, 3, 17, 99], dtype=np.int64)  # beyond the count: not read
    assert _touched(seen, touched, 3).tolist() == [3, 17, 40]  # few: the list, sorted
    seen[:8] = True
    listed = np.array([40, 3, 17, 0, 1, 2, 4, 5, 6, 7], dtype=np.int64)
    assert _touched(seen, listed, 10).tolist() == [0, 1, 2, 3, 4, 5, 6, 7, 17, 40]  # scanned


def test_clearing_after_a_failed_question_zeroes_every_flagged_position() -> None:
    sums = np.zeros((2, 6))
    sums[0, [1, 4]], sums[1, 4] = (2.0, 3.0), 5.0
    seen = np.array([False, True, False, False, True, False])
    _clear(sums, seen)
    assert not sums.any() and not seen.any()
