"""A batch analysed by forked worker processes is the batch one process makes: same term ids in
the same order, same sentences, and the serving analyzer knows the corpus words afterwards."""

from __future__ import annotations

import numpy as np
import pytest

from retrieval import sentence_batch
from retrieval.analyzer import ArabicAnalyzer, Fields
from retrieval.records import Article
from retrieval.segments import TermIds
from retrieval.sentence_batch import AnalysedBatch, analyse_articles

TEXTS = (
    "زار الوزير مصنع الحديد في العاصمة. وقال إن الإنتاج ارتفع 20 بالمئة في مارس.",
    "التقى الرئيس بوتين نظيره الكازاخستاني. ووقع الطرفان اتفاقا للنفط والغاز.",
    "",
    "ارتفعت أسعار النفط في السوق العالمية.\nوقالت الشركة إن العمال عادوا إلى المصنع.",
    "هطل المطر على المدينة. وأعلنت الحكومة عن خطة للطرق.",
)


@pytest.fixture(autouse=True)
def small_pieces(monkeypatch: pytest.MonkeyPatch) -> None:
    """The serving process's work in pieces of a word or two (between which answers may run)."""
    monkeypatch.setattr(sentence_batch, "_WORDS_PER_PIECE", 2)
    monkeypatch.setattr(sentence_batch, "_ARTICLES_PER_PIECE", 1)


def articles() -> list[Article]:
    return [Article(id=f"a{number}", title="خبر", text=text) for number, text in enumerate(TEXTS * 3)]


def analysed(workers: int, *, known: str = "") -> tuple[AnalysedBatch, Fields[TermIds], ArabicAnalyzer]:
    """The batch of ``articles()``, into term tables that already hold the terms of ``known`` (a
    served index growing: workers find those ids themselves)."""
    analyzer = ArabicAnalyzer()
    tables = Fields(*(TermIds() for _ in Fields._fields))
    for table, terms in zip(tables, analyzer.field_terms(known), strict=True):
        for term in terms:
            table[term]
    batch = analyse_articles(articles(), analyzer, tables, max_chars=400, first_article=4, workers=workers)
    return batch, tables, analyzer


@pytest.mark.skipif(not sentence_batch._can_fork(), reason="needs fork")
@pytest.mark.parametrize("workers", [1, 2])
@pytest.mark.parametrize("known", ["", "أعلنت الحكومة خطة للنفط. زار الرئيس المصنع الجديد في المدينة."])
def test_workers_give_the_batch_and_term_tables_one_process_gives(
    workers: int, known: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sentence_batch, "_WORDS_PER_TASK", 3)  # many analysis tasks, in any order
    one, one_tables, _ = analysed(workers=0, known=known)
    forked, forked_tables, _ = analysed(workers=workers, known=known)
    assert not known or len(one_tables.stem) > len(analysed(workers=0)[1].stem) > 0
    assert [list(table.items()) for table in forked_tables] == [list(table.items()) for table in one_tables]
    for name in AnalysedBatch.__slots__:
        mine, theirs = getattr(forked, name), getattr(one, name)
        for got, expected in zip(mine, theirs, strict=True) if name == "terms" else [(mine, theirs)]:
            np.testing.assert_array_equal(got, expected, err_msg=name)


def test_a_batch_holds_each_sentences_content_terms_in_order() -> None:
    batch, tables, analyzer = analysed(workers=0)
    first = articles()[0]
    stems = analyzer.field_terms(first.text).stem
    by_id = {term_id: term for term, term_id in tables.stem.items()}
    assert [by_id[i] for i in batch.terms.stem[: len(stems)].tolist()] == stems
    assert batch.owner[0] == 4  # numbered from first_article
    assert batch.first_sentence[3] - batch.first_sentence[2] == 0  # the empty article has no sentence
    assert int(batch.article_lengths.sum()) == int(batch.sentence_lengths.sum()) == len(batch.terms.stem)


@pytest.mark.skipif(not sentence_batch._can_fork(), reason="needs fork")
def test_the_analyzer_remembers_the_words_workers_analysed() -> None:
    _, _, analyzer = analysed(workers=2)
    assert "مصنع" in dict(analyzer.known_words())
