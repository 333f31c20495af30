"""A segmented field index gives rank-bm25's BM25Okapi scores over its live documents, whatever
sequence of batches added and documents removed led to them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rank_bm25 import BM25Okapi

from retrieval import segments
from retrieval.bm25_index import BM25Params
from retrieval.segments import FieldIndex, Segment, StoredTermIds, TermIds
from tests.retrieval import reference_scores as numpy_scores

Doc = list[str]
WORDS = [f"w{i}" for i in range(12)]

docs = st.lists(st.sampled_from(WORDS), min_size=0, max_size=8)
# An operation: ("add", documents) or ("remove", fractions of the live documents to delete).
# The values are documents for "add" and fractions (floats) for "remove".
Step = tuple[str, list[Any]]
operations = st.lists(
    st.one_of(
        st.tuples(st.just("add"), st.lists(docs, min_size=1, max_size=6)),
        st.tuples(st.just("remove"), st.lists(st.floats(0, 1, exclude_max=True), min_size=1, max_size=3)),
    ),
    min_size=1,
    max_size=8,
)
params = st.sampled_from([BM25Params(), BM25Params(k1=1.2, b=0.3), BM25Params(k1=0.9, b=1.0, epsilon=0.5)])


def add_batch(index: FieldIndex, batch: list[Doc]) -> FieldIndex:
    ids = np.array([index.terms[term] for doc in batch for term in doc], dtype=np.int32)
    lengths = np.array([len(doc) for doc in batch], dtype=np.int32)
    return index.with_segment(Segment.from_tokens(ids, lengths, len(index.terms)))


def assert_scores_are_rank_bm25s(index: FieldIndex, live: list[Doc]) -> None:
    assert index.doc_count == len(live)
    if not any(live):
        return  # rank-bm25 divides by zero on a corpus without tokens
    reference = BM25Okapi(live, k1=index.params.k1, b=index.params.b, epsilon=index.params.epsilon)
    for query in (["w0"], ["w1", "w2", "w1"], WORDS[3:9], ["w11", "unseen", "w5"]):
        with np.errstate(invalid="ignore", divide="ignore"):
            expected = np.nan_to_num(reference.get_scores(query), nan=0.0)  # 0/0: empty doc, b == 1
        got = index.dense_scores(query)
        np.testing.assert_allclose(got, expected, rtol=1e-9, atol=1e-12)
        assert_looked_up_weights_are_the_scanned_ones(index, query)


def assert_looked_up_weights_are_the_scanned_ones(index: FieldIndex, query: list[str]) -> None:
    """``weights_at`` (binary search, any subset of documents, deleted ones included) adds exactly
    the floats ``add_scores`` (a scan of the postings) adds, and ``add_weighted`` their multiples."""
    total = index.document_total
    scanned, seen = np.zeros(total), np.zeros(total, dtype=np.bool_)
    numpy_scores.add_scores(index, query, scanned, seen)
    for numbers in (np.arange(total), np.arange(0, total, 2), np.arange(total)[seen]):
        looked_up = np.zeros(len(numbers))
        for term_id in index.term_ids(query):
            numpy_scores.weights_at(index, term_id, numbers.astype(np.int64), looked_up)
        assert looked_up.tolist() == scanned[numbers].tolist()
        # The compiled look-up of every term at once: the same floats, terms added in the same order.
        assert index.bm25_at(index.term_ids(query), numbers.astype(np.int64)).tolist() == looked_up.tolist()
    scaled = np.zeros(total)
    numpy_scores.add_weighted(index, index.term_ids(query), 0.5, scaled)
    np.testing.assert_allclose(scaled, 0.5 * scanned, rtol=1e-12)
    assert (scaled > 0).tolist() == (seen & (scanned > 0)).tolist()


@settings(max_examples=150, deadline=None)
@given(first=st.lists(docs, min_size=1, max_size=10), steps=operations, params=params, merge=st.booleans())
def test_any_adds_and_removes_keep_rank_bm25_scores(
    first: list[Doc], steps: list[Step], params: BM25Params, merge: bool
) -> None:
    index = add_batch(FieldIndex.empty(params), first)
    numbered = list(first)  # every document ever added, by number
    alive = [True] * len(first)
    for kind, values in steps:
        if kind == "add":
            index = add_batch(index, values)
            numbered += values
            alive += [True] * len(values)
        else:
            live_numbers = [n for n, keep in enumerate(alive) if keep]
            doomed = {live_numbers[int(f * len(live_numbers))] for f in values} if live_numbers else set()
            index = index.without(doomed)
            for number in doomed:
                alive[number] = False
        if merge and len(index.segments) > 1:
            index = index.merged(0, len(index.segments) - 1)
        assert_scores_are_rank_bm25s(index, [doc for doc, keep in zip(numbered, alive, strict=True) if keep])


def test_versions_share_segments_and_leave_earlier_versions_unchanged() -> None:
    base = add_batch(FieldIndex.empty(BM25Params()), [["w0", "w1"], ["w1"], ["w2"]])
    before = base.dense_scores(["w1"])
    grown = add_batch(base, [["w1", "w3"]])
    other = add_batch(base, [["w4"]])  # a second branch from the same base shares the term table
    shrunk = grown.without([0])
    assert grown.segments[0] is base.segments[0] and shrunk.segments == grown.segments
    np.testing.assert_array_equal(base.dense_scores(["w1"]), before)
    assert other.document_frequency("w3") == 0 and grown.document_frequency("w3") == 1
    assert shrunk.document_frequency("w0") == 0 and shrunk.term_idf("w0") is None


def test_terms_first_seen_in_another_branch_are_unknown_here() -> None:
    terms = TermIds()
    base = add_batch(FieldIndex.empty(BM25Params(), terms), [["w0"]])
    add_batch(base, [["w7"]])
    assert "w7" in terms and base.scores(["w7"])[0].size == 0


@pytest.mark.parametrize("removed", [[], [1], [0, 2]])
def test_save_and_load_keep_scores_and_deletions(tmp_path: Path, removed: list[int]) -> None:
    index = add_batch(add_batch(FieldIndex.empty(BM25Params()), [["w0", "w1"], ["w1"]]), [["w1", "w2"]])
    index = index.without(removed)
    index.save(tmp_path / "field")
    loaded = FieldIndex.load(tmp_path / "field")
    assert loaded.doc_count == index.doc_count
    np.testing.assert_array_equal(loaded.dense_scores(["w1", "w2"]), index.dense_scores(["w1", "w2"]))


@settings(max_examples=60, deadline=None)
@given(batch=st.lists(docs, min_size=1, max_size=30), run=st.integers(1, 12))
def test_a_segment_counted_in_runs_of_documents_holds_the_same_postings(batch: list[Doc], run: int) -> None:
    terms = TermIds()
    ids = np.array([terms[term] for doc in batch for term in doc], dtype=np.int32)
    lengths = np.array([len(doc) for doc in batch], dtype=np.int32)
    whole = Segment.from_tokens(ids, lengths, len(terms))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(segments, "_TOKENS_PER_RUN", run)
        in_runs = Segment.from_tokens(ids, lengths, len(terms))
    for name in ("indptr", "doc_ids", "term_freqs", "doc_lengths"):
        np.testing.assert_array_equal(getattr(in_runs, name), getattr(whole, name), err_msg=name)


def test_runs_are_let_go_as_they_are_copied_into_one_segment() -> None:
    # The build's runs are held only in the list being joined: each is dropped once copied, so
    # they never all sit beside the joined segment.
    runs = [
        Segment.from_tokens(np.array(ids, dtype=np.int32), np.array([len(ids)], dtype=np.int32), 3)
        for ids in ([0, 1], [2, 2], [1])
    ]
    expected = Segment.concatenate(runs)
    joined = Segment._concatenated(runs)
    assert runs == []
    for name in ("indptr", "doc_ids", "term_freqs", "doc_lengths"):
        np.testing.assert_array_equal(getattr(joined, name), getattr(expected, name), err_msg=name)
    assert expected.doc_ids.tolist() == [0, 0, 2, 1]


def test_term_frequencies_are_kept_in_the_smallest_unsigned_type() -> None:
    small = Segment.from_tokens(np.zeros(3, dtype=np.int32), np.array([3], dtype=np.int32), 1)
    big = Segment.from_tokens(np.zeros(300, dtype=np.int32), np.array([300], dtype=np.int32), 1)
    assert (small.term_freqs.dtype, big.term_freqs.dtype) == (np.dtype(np.uint8), np.dtype(np.uint16))
    assert Segment.concatenate([small, big]).term_freqs.tolist() == [3, 300]


class _AllCollide(StoredTermIds):
    """Every term hashes alike: look-ups must still tell terms apart by their text."""

    _key = staticmethod(lambda term: 7)


SAVED_TERMS = ["رييس", "وصل", "w1", "", "استان", "نفط"]  # "" stands for a term of no letters


@pytest.mark.parametrize("table_class", [StoredTermIds, _AllCollide])
def test_a_stored_term_table_gives_the_saved_ids_and_names(table_class: type[StoredTermIds]) -> None:
    saved = TermIds()
    for term in SAVED_TERMS:
        saved[term]
    table = table_class("\n".join(saved).encode("utf-8"))
    assert len(table) == len(SAVED_TERMS)
    assert list(table) == SAVED_TERMS
    assert [table.get(term) for term in SAVED_TERMS] == list(range(len(SAVED_TERMS)))
    assert [table[term] for term in reversed(SAVED_TERMS)] == list(reversed(range(len(SAVED_TERMS))))
    assert table.names([4, 0, 4]) == ["استان", "رييس", "استان"]
    assert table.get("رييسي") is None and "رييسي" not in table and "نفط" in table
    assert len(table) == len(SAVED_TERMS)  # looking up adds nothing


@pytest.mark.parametrize("table_class", [StoredTermIds, _AllCollide])
def test_terms_added_to_a_stored_table_are_numbered_after_the_saved_ones(
    table_class: type[StoredTermIds],
) -> None:
    table = table_class("\n".join(SAVED_TERMS).encode("utf-8"))
    assert table["جديد"] == len(SAVED_TERMS)
    assert table["جديد"] == table.get("جديد") == len(SAVED_TERMS)
    assert table["w1"] == 2
    assert len(table) == len(SAVED_TERMS) + 1
    assert list(table) == [*SAVED_TERMS, "جديد"]
    assert table.names([len(SAVED_TERMS), 1]) == ["جديد", "وصل"]


def _table(kind: str) -> TermIds:
    if kind == "dict":
        table = TermIds()
        for term in SAVED_TERMS:
            table[term]
        return table
    return (StoredTermIds if kind == "stored" else _AllCollide)("\n".join(SAVED_TERMS).encode("utf-8"))


@settings(max_examples=80, deadline=None)
@given(
    kind=st.sampled_from(["dict", "stored", "colliding"]),
    added=st.lists(st.sampled_from(["جديد", "آخر"]), max_size=2),
    terms=st.lists(
        st.one_of(st.none(), st.sampled_from([*SAVED_TERMS, "جديد", "آخر", "ثالث", "w9"])), max_size=12
    ),
)
def test_numbering_many_terms_at_once_gives_the_ids_one_at_a_time_would(
    kind: str, added: list[str], terms: list[str | None]
) -> None:
    one_by_one, at_once = _table(kind), _table(kind)
    for table in (one_by_one, at_once):
        for term in added:  # terms added after loading sit in the dict, numbered after the saved ones
            table[term]
    expected = [-1 if term is None else one_by_one[term] for term in terms]
    assert at_once.numbered(terms).tolist() == expected
    assert list(at_once) == list(one_by_one) and len(at_once) == len(one_by_one)


def test_an_empty_stored_table_knows_no_term() -> None:
    table = StoredTermIds(b"")
    assert len(table) == 0 and list(table) == [] and table.get("w0") is None
    assert table["w0"] == 0 and list(table) == ["w0"]


def test_a_loaded_field_serves_its_terms_from_a_stored_table(tmp_path: Path) -> None:
    index = add_batch(FieldIndex.empty(BM25Params()), [["w0", "w1"], ["w1", "w2"]])
    index.save(tmp_path / "field")
    loaded = FieldIndex.load(tmp_path / "field")
    assert isinstance(loaded.terms, StoredTermIds)
    assert loaded.term_ids(["w2", "w9", "w0"]) == [index.terms["w2"], index.terms["w0"]]
    grown = add_batch(loaded, [["w9", "w0"]])
    np.testing.assert_array_equal(
        grown.dense_scores(["w9"]), add_batch(index, [["w9", "w0"]]).dense_scores(["w9"])
    )


def test_kept_weights_give_the_same_scores_and_stay_with_their_version(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("retrieval.segments._CACHED_FROM_POSTINGS", 1)  # keep every term's weights
    first = [["w0", "w1"], ["w1", "w1", "w2"], ["w2"]]
    base = add_batch(FieldIndex.empty(BM25Params()), first)
    for _ in range(2):  # computed, then read from what was kept
        assert_scores_are_rank_bm25s(base, first)
    grown = add_batch(base, [["w1", "w3"], ["w0"]])
    assert_scores_are_rank_bm25s(grown, [*first, ["w1", "w3"], ["w0"]])
    shrunk = grown.without([1])
    assert_scores_are_rank_bm25s(shrunk, [first[0], first[2], ["w1", "w3"], ["w0"]])
    assert_scores_are_rank_bm25s(base, first)  # the base's weights were not replaced by later versions'


def test_kept_weights_are_read_only_bounded_and_the_least_recently_used_go_first(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("retrieval.segments._CACHED_FROM_POSTINGS", 2)
    monkeypatch.setattr("retrieval.segments._CACHED_POSTINGS", 6)
    index = add_batch(
        FieldIndex.empty(BM25Params()), [["w0", "w1", "w2"], ["w0", "w1", "w2"], ["w0", "w1", "w3"]]
    )
    sums, seen = np.zeros(3), np.zeros(3, dtype=np.bool_)
    for term in ("w0", "w2", "w0", "w1", "w3"):  # 3, 2, 3, 3 and 1 postings
        numpy_scores.add_scores(index, [term], sums, seen)
    kept = index._kept
    assert kept.postings <= 6
    # w1 needed room: w2 (used before w0's second use) went, w0 stayed; w3 is too rare to keep.
    assert [index.terms[term] in kept for term in ("w0", "w1", "w2", "w3")] == [True, True, False, False]
    for term in ("w0", "w1"):
        for _, docs, weights in index._weight_pieces(index.terms[term]):
            assert not docs.flags.writeable and not weights.flags.writeable


@settings(max_examples=100, deadline=None)
@given(
    first=st.lists(docs, min_size=1, max_size=10),
    steps=operations,
    scale=st.sampled_from([1.0, 0.3]),
    kept_from=st.sampled_from([1, 3, 10**9]),  # every term's weights read from those kept, some, none
)
def test_accumulating_adds_the_scanned_weights_and_lists_what_it_touched(
    first: list[Doc], steps: list[Step], scale: float, kept_from: int
) -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(segments, "_CACHED_FROM_POSTINGS", kept_from)
        check_accumulated(first, steps, scale)


def check_accumulated(first: list[Doc], steps: list[Step], scale: float) -> None:
    index = add_batch(FieldIndex.empty(BM25Params(k1=1.2, b=0.3)), first)
    for kind, values in steps:
        if kind == "add":
            index = add_batch(index, values)
        else:
            live = index.live_numbers()
            index = index.without({int(live[int(f * len(live))]) for f in values} if len(live) else set())
    total = index.document_total
    for query in (["w0"], ["w1", "w2", "w1"], WORDS[3:9]):
        scanned, scanned_seen = np.zeros(total), np.zeros(total, dtype=np.bool_)
        numpy_scores.add_scores(index, query, scanned, scanned_seen)
        sums, seen = np.zeros(total), np.zeros(total, dtype=np.bool_)
        touched = np.zeros(total + 1, dtype=np.int64)
        touched[0] = -1  # a position listed before: kept, the new ones follow it
        count = index.accumulate(index.term_ids(query), scale, sums, seen, touched, 1)
        weighted = np.zeros(total)
        numpy_scores.add_weighted(index, index.term_ids(query), scale, weighted)
        assert sums.tolist() == weighted.tolist()  # bit for bit; with scale 1.0, add_scores' floats
        assert scale != 1.0 or sums.tolist() == scanned.tolist()
        assert seen.tolist() == scanned_seen.tolist()
        assert touched[0] == -1 and sorted(touched[1:count].tolist()) == np.flatnonzero(seen).tolist()
        # Cut in two ranges of numbers (as two threads add them), each listed from its own first slot:
        # the same sums bit for bit, each range's numbers listed once.
        cut = total // 3
        ids = index.term_ids(query)
        common = index.common_pieces(ids)
        halves, halves_seen = np.zeros(total), np.zeros(total, dtype=np.bool_)
        listed = np.full(total, -1, dtype=np.int64)
        low = index.accumulate(ids, scale, halves, halves_seen, listed, 0, (0, cut), common)
        high = index.accumulate(ids, scale, halves, halves_seen, listed, cut, (cut, total), common)
        assert halves.tolist() == sums.tolist() and halves_seen.tolist() == seen.tolist()
        assert sorted(listed[:low].tolist()) == np.flatnonzero(seen[:cut]).tolist()
        assert sorted(listed[cut:high].tolist()) == (np.flatnonzero(seen[cut:]) + cut).tolist()
