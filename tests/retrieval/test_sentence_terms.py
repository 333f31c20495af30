"""The forward index of sentences' content words: kept at build, grown by adds, saved and loaded."""

from pathlib import Path

import numpy as np
import pytest

from retrieval import ArabicAnalyzer, Article, SearchWeights
from retrieval.analyzer import Fields
from retrieval.errors import IndexFormatError
from retrieval.search import SentenceIndex
from retrieval.segments import TermIds
from retrieval.sentence_terms import SentenceTerms, TermNames, TitleTerms, gather

ARTICLES = [
    Article(id="a", title="t", text="وصل الرئيس إلى أستانا. ثم عاد الرئيس ـــ إلى موسكو في المساء."),
    Article(id="b", title="t", text="من في على. ارتفعت أسعار النفط."),
]


def analysed(text: str) -> tuple[list[tuple[str, ...]], list[int]]:
    """What the index should keep for ``text``: its content words' terms and ordinals."""
    pairs = list(ArabicAnalyzer().content_words(text))
    return [tuple(terms) for _, terms in pairs], [ordinal for ordinal, _ in pairs]


def test_each_sentence_keeps_its_content_words_terms_and_ordinals() -> None:
    index = SentenceIndex.build(ARTICLES, ArabicAnalyzer(), SearchWeights())
    positions = [p for number in range(len(ARTICLES)) for p in index.sentences_of(number)]
    assert len(positions) == 4
    for position in positions:
        assert index.content_words(position) == analysed(index.sentence(position).text)
    # «ـــ» normalizes away and is no word; «إلى» and «في» are stopwords and count.
    assert index.content_words(positions[1])[1] == [1, 2, 4, 6]
    assert index.content_words(positions[2]) == ([], [])


def test_added_articles_sentences_follow_and_a_saved_index_reads_them_back(tmp_path: Path) -> None:
    index = SentenceIndex.build(ARTICLES[:1], ArabicAnalyzer(), SearchWeights()).added(ARTICLES[1:])
    index.removed([0]).save(tmp_path / "index")
    loaded = SentenceIndex.load(tmp_path / "index", None, ArabicAnalyzer(), SearchWeights())
    for grown in (index, loaded):
        assert grown.content_words(3) == analysed("ارتفعت أسعار النفط.")
        assert grown.content_words(0) == analysed("وصل الرئيس إلى أستانا.")


def test_an_index_whose_sentence_terms_do_not_match_its_sentences_is_refused(tmp_path: Path) -> None:
    SentenceIndex.build(ARTICLES, ArabicAnalyzer(), SearchWeights()).save(tmp_path / "index")
    np.save(tmp_path / "index" / "ordinals.npy", np.zeros(1, dtype=np.uint16))
    with pytest.raises(IndexFormatError):
        SentenceIndex.load(tmp_path / "index", None, ArabicAnalyzer(), SearchWeights())


def test_gather_concatenates_the_words_of_the_asked_sentences_in_order() -> None:
    terms = SentenceTerms(
        stem_terms=np.array([10, 11, 12, 13], dtype=np.int32),
        word_terms=np.array([20, 21, 22, 23], dtype=np.int32),
        root_terms=np.array([40, 41, 42, 43], dtype=np.int32),
        ordinals=np.array([0, 2, 0, 1], dtype=np.uint16),
        titles=TitleTerms.empty(),
    )
    skeleton = np.array([30, 31, 32, 33], dtype=np.int32)
    bounds = np.array([0, 2, 2, 4], dtype=np.int64)  # sentence 1 has no content word
    found = gather(terms, skeleton, bounds, np.array([2, 1, 0], dtype=np.int64))
    assert found.starts.tolist() == [0, 2, 2, 4]
    assert found.terms.stem.tolist() == [12, 13, 10, 11]
    assert found.terms.skeleton.tolist() == [32, 33, 30, 31]
    assert found.ordinals.tolist() == [0, 1, 0, 2]


def test_titles_keep_their_content_words_through_adds_and_a_reload(tmp_path: Path) -> None:
    titled = [Article(id="c", title="الرئيس يصل إلى أستانا", text="وصل الرئيس."), *ARTICLES]
    index = SentenceIndex.build(titled[:1], ArabicAnalyzer(), SearchWeights()).added(titled[1:])
    index.save(tmp_path / "index")
    loaded = SentenceIndex.load(tmp_path / "index", None, ArabicAnalyzer(), SearchWeights())
    for served in (index, loaded):
        stems, words, starts = served.title_term_ids(np.array([0, 1], dtype=np.int64))
        assert starts.tolist() == [0, 3, 4]  # «إلى» is a stopword; the second title is «t»
        expected = [terms for _, terms in ArabicAnalyzer().content_words("الرئيس يصل إلى أستانا")]
        assert [served.title_term_id(0, terms.stem) for terms in expected] == stems[:3].tolist()
        assert [served.title_term_id(1, terms.word) for terms in expected] == words[:3].tolist()
        assert served.title_term_id(0, "موسكو") is None


def test_term_names_follow_a_table_that_grows() -> None:
    tables = Fields(TermIds(), TermIds(), TermIds(), TermIds())
    names = TermNames(tables)
    ids = [tables.stem[term] for term in ("وصل", "رييس")]
    assert names.of(0, ids) == ["وصل", "رييس"]
    later = tables.stem["استان"]
    assert names.of(0, [later, ids[0]]) == ["استان", "وصل"]
