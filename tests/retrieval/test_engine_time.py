"""AnswerEngine.answer with dates: time words restrict the search, newer articles win near-ties."""

from dataclasses import replace
from datetime import date

import numpy as np
import pytest

from retrieval import AnswerEngine, Article, DateRange, RecencyPreference

TODAY = date(2024, 11, 28)
FACT = "افتتح الوزير محطة تحلية المياه الجديدة في المدينة الساحلية."


def dated(article_id: str, published: str | None, text: str = FACT) -> Article:
    return Article(
        id=article_id,
        title=f"خبر {article_id}",
        text=text,
        source=f"وكالة {article_id}",
        published=published,
    )


# Unrelated sentences, so that the words the dated articles share keep a positive IDF.
FILLER = [
    Article(id="weather", title="طقس", text="هطلت أمطار غزيرة على الساحل. انخفضت درجات الحرارة ليلا."),
    Article(
        id="school", title="تعليم", text="أغلقت المدارس أبوابها يوما واحدا. نصحت الأرصاد السائقين بالحذر."
    ),
    Article(
        id="sport", title="رياضة", text="فاز الفريق الأول بالمباراة النهائية. احتفل المشجعون في الشوارع."
    ),
    Article(id="market", title="أسواق", text="ارتفعت أسعار الذهب في السوق. تراجع سعر صرف العملة قليلا."),
    Article(id="health", title="صحة", text="أطلقت الوزارة حملة تطعيم للأطفال. تستمر الحملة أسبوعين."),
]
QUESTION = "من افتتح محطة تحلية المياه؟"


def engine_of(*articles: Article) -> AnswerEngine:
    return AnswerEngine.from_articles([*articles, *FILLER])


def quoted_ids(engine: AnswerEngine, question: str, **options: object) -> list[str]:
    """The articles cited, in order: each quote's own, then those reporting the same fact."""
    answer = engine.answer(question, top_k=5, **options)  # type: ignore[arg-type]
    return [citation.article.id for quote in answer.quotes for citation in (quote.citation, *quote.also_in)]


@pytest.fixture(scope="module")
def three_days() -> AnswerEngine:
    # The same fact from four outlets: one quote, the others listed as reporting it too.
    return engine_of(
        dated("yesterday", "2024-11-27", "افتتح الوزير محطة تحلية المياه في مدينة صور."),
        dated("today", "2024-11-28", "افتتح الوزير محطة تحلية المياه في مدينة صيدا."),
        dated("lastweek", "2024-11-18", "افتتح الوزير محطة تحلية المياه في مدينة جبيل."),
        dated("undated", None, "افتتح الوزير محطة تحلية المياه في مدينة البترون."),
    )


def test_yesterday_restricts_the_search_to_articles_published_yesterday(three_days: AnswerEngine) -> None:
    answer = three_days.answer("من افتتح محطة تحلية المياه أمس؟", today=TODAY)
    assert [quote.article.id for quote in answer.quotes] == ["yesterday"]
    assert not answer.quotes[0].also_in
    assert answer.published == DateRange.day(date(2024, 11, 27))
    assert answer.question == "من افتتح محطة تحلية المياه أمس؟"  # as asked, so paging re-asks the same


def test_last_week_and_an_explicit_range_restrict_alike(three_days: AnswerEngine) -> None:
    assert quoted_ids(three_days, "من افتتح محطة تحلية المياه الأسبوع الماضي؟", today=TODAY) == ["lastweek"]
    week = DateRange(date(2024, 11, 16), date(2024, 11, 22))
    assert quoted_ids(three_days, QUESTION, published=week) == ["lastweek"]


def test_undated_articles_never_answer_a_time_restricted_question(three_days: AnswerEngine) -> None:
    everything = DateRange(date(2000, 1, 1), date(2030, 12, 31))
    ids = quoted_ids(three_days, QUESTION, published=everything)
    assert sorted(ids) == ["lastweek", "today", "yesterday"]
    assert "undated" in quoted_ids(three_days, QUESTION)


def test_a_range_with_no_article_abstains(three_days: AnswerEngine) -> None:
    answer = three_days.answer("من افتتح محطة تحلية المياه في مارس 2021؟", today=TODAY)
    assert not answer.answered and answer.abstain_reason == "no_match"


def test_without_today_time_words_are_just_words(three_days: AnswerEngine) -> None:
    assert len(quoted_ids(three_days, "من افتتح محطة تحلية المياه أمس؟")) == 4


def test_article_ids_restrict_the_search_to_those_articles(three_days: AnswerEngine) -> None:
    assert quoted_ids(three_days, QUESTION, article_ids={"today", "missing"}) == ["today"]
    assert not three_days.answer("أمطار غزيرة على الساحل", article_ids={"today"}).answered


def test_among_equally_relevant_quotes_the_newer_comes_first(three_days: AnswerEngine) -> None:
    newest_first = quoted_ids(three_days, QUESTION, today=TODAY, recency=RecencyPreference())
    assert newest_first == ["today", "yesterday", "lastweek", "undated"]


def test_recency_never_outweighs_relevance_by_default() -> None:
    # The old article answers the question fully; the new one, another fact, shares only part of
    # it (worded apart enough not to count as the same fact, whose best wording would be quoted).
    engine = engine_of(
        dated("old", "2023-01-05", "افتتح الوزير محطة تحلية المياه في المدينة الساحلية."),
        dated("new", "2024-11-28", "افتتح الوزير محطة الكهرباء الجديدة شمال البلاد أمس."),
    )
    plain = quoted_ids(engine, QUESTION)
    preferred = quoted_ids(engine, QUESTION, today=TODAY, recency=RecencyPreference())
    assert plain[0] == "old" and preferred == plain
    # A weight far above the default does let recency win: the preference is a real signal.
    assert quoted_ids(engine, QUESTION, today=TODAY, recency=RecencyPreference(weight=5.0))[0] == "new"


def test_recency_counts_from_the_day_each_question_is_asked() -> None:
    # One engine asked again and again (a batch, the bot): each question's day sets the ages. Ten
    # years on, both articles are old alike and relevance decides again.
    engine = engine_of(
        dated("old", "2023-01-05", "افتتح الوزير محطة تحلية المياه في المدينة الساحلية."),
        dated("new", "2024-11-28", "افتتح الوزير محطة الكهرباء الجديدة شمال البلاد أمس."),
    )
    strong = RecencyPreference(weight=5.0)
    later = date(2034, 11, 28)
    firsts = [quoted_ids(engine, QUESTION, today=day, recency=strong)[0] for day in (TODAY, later, TODAY)]
    assert firsts == ["new", "old", "new"]


def test_the_recency_bonus_halves_every_scale_and_undated_gets_none() -> None:
    bonus = RecencyPreference(weight=0.04, scale_days=7.0).bonus(np.array([0.0, 7.0, 14.0, -3.0, np.nan]))
    assert bonus.tolist() == pytest.approx([0.04, 0.02, 0.01, 0.04, 0.0])
    with pytest.raises(ValueError):
        RecencyPreference(decay=1.0)


def test_an_undated_corpus_answers_identically_with_a_recency_preference() -> None:
    undated = [replace(dated(name, None), text=text) for name, text in (("a", FACT), ("b", FACT + " وقال"))]
    engine = engine_of(*undated)
    plain = engine.answer(QUESTION)
    assert engine.answer(QUESTION, today=TODAY, recency=RecencyPreference()) == plain
