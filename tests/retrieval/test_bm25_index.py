"""BM25Index must give rank-bm25 0.2.2 BM25Okapi's scores and ranking, fast and persistably."""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from rank_bm25 import BM25Okapi

from retrieval import BM25Index, IndexFormatError
from retrieval.bm25_index import BM25Params

Corpus = list[list[str]]


def random_corpus(rng: random.Random, *, docs: int, vocabulary: int, common: int) -> Corpus:
    """Zipf-like words plus ``common`` words that each appear in most documents (negative idf)."""
    words = [f"w{i}" for i in range(vocabulary)]
    weights = [1 / (rank + 1) for rank in range(vocabulary)]
    corpus = []
    for _ in range(docs):
        doc = rng.choices(words, weights, k=rng.randint(0, 12))
        doc += [f"c{j}" for j in range(common) if rng.random() < 0.8] * rng.randint(1, 2)
        rng.shuffle(doc)
        corpus.append(doc)
    if not any(corpus):
        corpus[0] = ["w0"]  # rank-bm25 divides by zero on a corpus without tokens
    return corpus


def random_query(rng: random.Random, corpus: Corpus) -> list[str]:
    known = sorted({term for doc in corpus for term in doc})
    query = [rng.choice(known) for _ in range(rng.randint(0, 6))]
    query += ["unseen"] * rng.randint(0, 1)
    if query and rng.random() < 0.3:
        query.append(query[0])  # repeated terms count twice
    rng.shuffle(query)
    return query


def expected_scores(reference: BM25Okapi, corpus: Corpus, query: list[str]) -> np.ndarray:
    """rank-bm25's scores, with the one documented divergence: where it computes 0/0 for an
    empty document that lacks a query term (b == 1) the index adds 0."""
    with np.errstate(invalid="ignore", divide="ignore"):
        scores = reference.get_scores(query)
    undefined = np.isnan(scores)
    assert all(len(corpus[i]) == 0 for i in np.flatnonzero(undefined))
    return np.where(undefined, 0.0, scores)


def stable_top(scores: np.ndarray, k: int) -> np.ndarray:
    return np.argsort(-scores, kind="stable")[:k]


def assert_same_scores(got: np.ndarray, expected: np.ndarray) -> None:
    assert got.dtype == np.float64 and got.shape == expected.shape
    np.testing.assert_allclose(got, expected, rtol=1e-9, atol=0)


@pytest.mark.parametrize("seed", range(30))
def test_random_corpora_match_rank_bm25(seed: int) -> None:
    rng = random.Random(seed)
    corpus = random_corpus(
        rng, docs=rng.choice([1, 2, 3, 10, 60, 400]), vocabulary=rng.randint(3, 80), common=rng.randint(0, 3)
    )
    params = {"k1": rng.choice([1.5, 1.2, 0.9]), "b": rng.choice([0.75, 0.3, 1.0]), "epsilon": 0.25}
    reference = BM25Okapi(corpus, **params)
    index = BM25Index.build(iter(corpus), **params)  # a generator: the build streams

    assert index.doc_count == reference.corpus_size
    assert index.avgdl == reference.avgdl
    for term, idf in reference.idf.items():
        assert index.idf(term) == pytest.approx(idf, rel=1e-12)
    for _ in range(25):
        query = random_query(rng, corpus)
        expected = expected_scores(reference, corpus, query)
        assert_same_scores(index.scores(query), expected)
        for k in (1, 3, 10, len(corpus) + 5):
            ids, scores = index.top_k(query, k)
            np.testing.assert_array_equal(ids, stable_top(expected, k))
            np.testing.assert_allclose(scores, expected[ids], rtol=1e-9, atol=0)


def test_larger_corpus_top_k_exercises_pruning_and_stays_exact(monkeypatch: pytest.MonkeyPatch) -> None:
    """Frequent query terms trigger MaxScore pruning; it must not change a single rank."""
    rng = random.Random(99)
    corpus = random_corpus(rng, docs=3000, vocabulary=3000, common=0)
    for doc in corpus:  # stopword-like terms in a third and a fifth of the documents
        doc += ["fa"] * (rng.random() < 0.35) + ["fi"] * (rng.random() < 0.2)
    reference = BM25Okapi(corpus)
    index = BM25Index.build(corpus)
    pruned_answers = 0
    original = BM25Index._top_k_pruned

    def counting(self: BM25Index, *args: object) -> object:
        nonlocal pruned_answers
        result = original(self, *args)  # type: ignore[arg-type]
        pruned_answers += result is not None
        return result

    monkeypatch.setattr(BM25Index, "_top_k_pruned", counting)
    for _ in range(150):
        query = [*random_query(rng, corpus), "fa", "fi"][: rng.randint(2, 8)]
        expected = reference.get_scores(query)
        assert_same_scores(index.scores(query), expected)
        ids, _ = index.top_k(query, 10)
        np.testing.assert_array_equal(ids, stable_top(expected, 10))
    assert pruned_answers > 0


@pytest.mark.parametrize(
    ("corpus", "query"),
    [
        pytest.param([["a", "b", "a"]], ["a"], id="single-document corpus: negative idf floored"),
        pytest.param([["a", "b"], ["a", "c"], ["a", "d"]], ["a", "c"], id="term in every document"),
        pytest.param([["a", "b"], ["c", "d"]], ["a", "a", "d"], id="repeated query term adds twice"),
        pytest.param([["a"], ["b"], ["c"]], ["zzz", "b"], id="unseen query term adds 0"),
        pytest.param([["a"], ["b"], ["c"]], [], id="empty query"),
        pytest.param([["a", "b"], [], ["b", "b"], ["c"]], ["b"], id="empty document"),
        pytest.param([["x", "y"], ["x"], ["z"], ["x", "z"]], ["x"], id="term in exactly half the documents"),
    ],
)
def test_edge_cases_match_rank_bm25(corpus: Corpus, query: list[str]) -> None:
    expected = BM25Okapi(corpus).get_scores(query)
    index = BM25Index.build(corpus)
    assert_same_scores(index.scores(query), expected)
    for k in range(1, len(corpus) + 2):
        ids, scores = index.top_k(query, k)
        np.testing.assert_array_equal(ids, stable_top(expected, k))
        np.testing.assert_array_equal(scores, expected[ids])  # bit-identical sums


def test_statistics_and_the_epsilon_floor() -> None:
    corpus = [["a", "b"], ["a", "c"], ["a", "b", "d"]]
    reference = BM25Okapi(corpus)
    index = BM25Index.build(corpus)
    assert index.document_frequency("a") == 3 and index.document_frequency("zzz") == 0
    assert index.idf("zzz") == 0.0
    assert reference.idf["a"] == pytest.approx(0.25 * reference.average_idf)  # floored
    assert index.idf("a") == reference.idf["a"]
    assert index.average_idf == reference.average_idf
    assert index.avgdl == pytest.approx(7 / 3)
    assert index.vocabulary_size == 4


@pytest.mark.parametrize("k", [0, -1])
def test_top_k_of_nothing_is_empty(k: int) -> None:
    ids, scores = BM25Index.build([["a"], ["b"]]).top_k(["a"], k)
    assert ids.size == 0 and scores.size == 0


def test_ties_rank_the_lower_document_first() -> None:
    index = BM25Index.build([["b"], ["a", "x"], ["b"], ["a", "x"], ["c"]])
    ids, scores = index.top_k(["a"], 4)
    assert ids.tolist() == [1, 3, 0, 2]  # two equal matches, then zero scores by index
    assert scores[0] == scores[1] > 0 and scores[2] == scores[3] == 0


@pytest.mark.parametrize(
    "docs", [pytest.param([], id="no documents"), pytest.param([[], []], id="only empty documents")]
)
def test_degenerate_corpora_score_zero_where_rank_bm25_divides_by_zero(docs: Corpus) -> None:
    index = BM25Index.build(docs)
    assert index.scores(["a"]).tolist() == [0.0] * len(docs)
    assert index.top_k(["a"], 5)[0].tolist() == list(range(len(docs)))


@pytest.mark.parametrize(
    "params", [{"k1": -1.0}, {"b": 1.5}, {"b": -0.1}, {"epsilon": float("nan")}, {"k1": float("inf")}]
)
def test_invalid_parameters_are_rejected(params: dict[str, float]) -> None:
    with pytest.raises(ValueError):
        BM25Index.build([["a"]], **params)


def test_index_is_immutable() -> None:
    index = BM25Index.build([["a", "b"], ["b"]])
    with pytest.raises(AttributeError):
        index.params = BM25Params()  # type: ignore[misc]
    with pytest.raises(ValueError, match="read-only"):
        index._weights[0] = 1.0  # arrays are shared with every caller


def test_extend_equals_build_on_the_concatenation_and_leaves_the_original() -> None:
    rng = random.Random(7)
    first = random_corpus(rng, docs=120, vocabulary=50, common=1)
    second = random_corpus(rng, docs=80, vocabulary=90, common=2)  # brings new terms
    original = BM25Index.build(first)
    before = original.scores(["w1", "c0"]).copy()
    extended = original.extend(iter(second))
    rebuilt = BM25Index.build(first + second)
    for name, values in rebuilt._arrays().items():
        np.testing.assert_array_equal(extended._arrays()[name], values, err_msg=name)
    assert extended._vocabulary == rebuilt._vocabulary
    reference = BM25Okapi(first + second)
    for query in (["w1", "c0"], ["w85", "w2", "w2"], ["c1"]):
        assert_same_scores(extended.scores(query), reference.get_scores(query))
    np.testing.assert_array_equal(original.scores(["w1", "c0"]), before)
    assert original.doc_count == 120 and original.document_frequency("w85") == 0
    assert original.extend([]).doc_count == 120


@pytest.mark.parametrize("mmap", [True, False])
def test_save_and_load_round_trip(tmp_path: Path, mmap: bool) -> None:
    rng = random.Random(3)
    corpus = random_corpus(rng, docs=300, vocabulary=60, common=1)
    corpus[5] += ["كلمة", "عربية"]
    index = BM25Index.build(corpus, k1=1.2, b=0.6, epsilon=0.3)
    index.save(tmp_path / "index")
    loaded = BM25Index.load(tmp_path / "index", mmap=mmap)
    assert loaded.params == BM25Params(k1=1.2, b=0.6, epsilon=0.3)
    assert loaded.doc_count == index.doc_count
    assert (loaded.avgdl, loaded.average_idf) == (index.avgdl, index.average_idf)
    assert loaded.document_frequency("كلمة") == 1
    for _ in range(30):
        query = random_query(rng, corpus)
        np.testing.assert_array_equal(loaded.scores(query), index.scores(query))
        for got, expected in zip(loaded.top_k(query, 7), index.top_k(query, 7), strict=True):
            np.testing.assert_array_equal(got, expected)
    assert loaded.extend([["كلمة"]]).document_frequency("كلمة") == 2


def test_save_replaces_an_existing_index_and_leaves_no_staging(tmp_path: Path) -> None:
    target = tmp_path / "index"
    BM25Index.build([["old"]]).save(target)
    BM25Index.build([["new"], ["new", "x"]]).save(target)
    assert BM25Index.load(target).document_frequency("new") == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["index"]


def test_a_crash_while_saving_keeps_the_previous_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "index"
    BM25Index.build([["old"]]).save(target)
    calls = 0
    real_save = np.save

    def failing_save(*args: Any, **kwargs: Any) -> None:
        nonlocal calls
        calls += 1
        if calls == 3:
            raise OSError("disk full")
        real_save(*args, **kwargs)

    monkeypatch.setattr(np, "save", failing_save)
    with pytest.raises(OSError, match="disk full"):
        BM25Index.build([["new"]]).save(target)
    assert BM25Index.load(target).document_frequency("old") == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["index"]


def _truncate(directory: Path) -> None:
    path = directory / "weights.npy"
    path.write_bytes(path.read_bytes()[:-8])


def _drop_meta(directory: Path) -> None:
    (directory / "meta.json").unlink()


def _future_version(directory: Path) -> None:
    meta = json.loads((directory / "meta.json").read_text())
    (directory / "meta.json").write_text(json.dumps({**meta, "version": 99}))


def _garbage_meta(directory: Path) -> None:
    (directory / "meta.json").write_text("{not json")


def _meta_not_an_object(directory: Path) -> None:
    (directory / "meta.json").write_text("[1, 2]")


def _short_vocabulary(directory: Path) -> None:
    (directory / "vocabulary.json").write_text('["a"]')


@pytest.mark.parametrize(
    "damage",
    [_truncate, _drop_meta, _future_version, _garbage_meta, _meta_not_an_object, _short_vocabulary],
)
@pytest.mark.parametrize("mmap", [True, False])
def test_damaged_directories_raise_index_format_error(
    tmp_path: Path, damage: Callable[[Path], None], mmap: bool
) -> None:
    BM25Index.build([["a", "b"], ["b", "c"]]).save(tmp_path / "index")
    damage(tmp_path / "index")
    with pytest.raises(IndexFormatError):
        BM25Index.load(tmp_path / "index", mmap=mmap)


def test_build_accepts_any_sequence_of_tokens() -> None:
    docs: list[Sequence[str]] = [("a", "b"), ["b"]]
    assert BM25Index.build(docs).scores(["b"]).shape == (2,)
