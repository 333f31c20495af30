"""The compiled scatter adds numpy's Okapi weights, lists each touched position once, and the
gather hands back and clears exactly what was touched."""

from __future__ import annotations

import tempfile

import numpy as np
import pytest

from retrieval import kernels
from retrieval.kernels import Postings, add_weights, okapi_weights, scatter, take_and_clear

K1_PLUS_1 = 2.2
# One term in documents 0, 2 and 3 (tf 1, 3, 2), another in documents 2 and 4 (tf 1, 5).
DOC_IDS = np.array([0, 2, 3, 2, 4], dtype=np.int32)
FREQS = np.array([1, 3, 2, 1, 5], dtype=np.uint8)
NORMS = np.array([1.0, 0.5, 0.8, 1.3, 0.9])
IDFS = np.array([0.7, 1.9])


def okapi(tf: float, norm: float, idf: float) -> float:
    return tf * K1_PLUS_1 / (tf + norm) * idf


def run(
    live: np.ndarray | None = None, scale: float = 1.0, doc_end: int = 5, cursors: list[int] | None = None
) -> tuple[np.ndarray, np.ndarray, list[int], np.ndarray]:
    sums, seen, touched = np.zeros(8), np.zeros(8, dtype=np.bool_), np.full(8, -1, dtype=np.int64)
    at = np.array([0, 3] if cursors is None else cursors, dtype=np.int64)
    count = scatter(
        Postings(DOC_IDS, FREQS, NORMS, live), at, np.array([3, 5]), IDFS, doc_end, 3, K1_PLUS_1, scale, sums, seen,
        touched, 0,
    )  # fmt: skip
    return sums, seen, touched[:count].tolist(), at


def test_each_posting_adds_its_okapi_weight_at_the_segment_offset_terms_in_order() -> None:
    sums, seen, touched, cursors = run()
    expected = np.zeros(8)
    expected[3] = okapi(1, 1.0, 0.7)
    expected[5] = okapi(3, 0.8, 0.7) + okapi(1, 0.8, 1.9)  # the first term's weight first
    expected[6] = okapi(2, 1.3, 0.7)
    expected[7] = okapi(5, 0.9, 1.9)
    assert sums.tolist() == expected.tolist()
    assert touched == [3, 5, 6, 7]  # each once, in the order first touched
    assert seen.tolist() == [False] * 3 + [True, False, True, True, True]
    assert cursors.tolist() == [3, 5]


def test_a_scale_multiplies_each_weight_before_it_is_added() -> None:
    sums = run(scale=0.3)[0]
    assert sums[7] == okapi(5, 0.9, 1.9) * 0.3
    assert sums[5] == okapi(3, 0.8, 0.7) * 0.3 + okapi(1, 0.8, 1.9) * 0.3


def test_deleted_documents_add_nothing_and_are_not_listed() -> None:
    live = np.array([True, True, False, True, True])
    sums, seen, touched, _ = run(live=live)
    assert touched == [3, 6, 7] and sums[5] == 0.0 and not seen[5]


def test_only_documents_below_the_end_are_added_and_the_cursors_stop_there() -> None:
    _, _, touched, cursors = run(doc_end=3)
    assert touched == [3, 5] and cursors.tolist() == [2, 4]
    resumed = run(doc_end=5, cursors=cursors.tolist())
    assert resumed[2] == [6, 7]


def test_postings_beyond_a_block_of_documents_are_added_in_term_order_too() -> None:
    far = kernels._BLOCK_DOCUMENTS * 2 + 5  # three blocks: the scatter walks them one by one
    doc_ids = np.array([1, far, 1, far], dtype=np.int32)
    norms = np.linspace(0.5, 1.5, far + 1)
    sums, seen, touched = np.zeros(far + 1), np.zeros(far + 1, dtype=np.bool_), np.zeros(4, dtype=np.int64)
    count = scatter(
        Postings(doc_ids, np.array([1, 2, 3, 4], dtype=np.uint16), norms, None), np.array([0, 2]), np.array([2, 4]),
        IDFS, far + 1, 0, K1_PLUS_1, 1.0, sums, seen, touched, 0,
    )  # fmt: skip
    assert touched[:count].tolist() == [1, far]
    assert sums[far] == okapi(2, norms[far], 0.7) + okapi(4, norms[far], 1.9)


def test_weights_already_computed_are_scaled_added_and_their_new_positions_listed() -> None:
    sums, seen, touched = np.zeros(6), np.zeros(6, dtype=np.bool_), np.zeros(6, dtype=np.int64)
    sums[4], seen[4], touched[0] = 1.5, True, 4  # touched by an earlier term
    count = add_weights(
        np.array([0, 2, 3], dtype=np.int32), np.array([0.5, 0.7, 0.9]), 1, 0.3, sums, seen, touched, 1
    )
    assert touched[:count].tolist() == [4, 1, 3]
    assert sums.tolist() == [0.0, 0.5 * 0.3, 0.0, 0.7 * 0.3, 1.5 + 0.9 * 0.3, 0.0]


def test_take_and_clear_returns_the_columns_and_leaves_the_scratch_zeroed() -> None:
    sums = np.arange(12, dtype=np.float64).reshape(2, 6)
    seen = np.array([False, True, False, True, True, False])
    taken = take_and_clear(sums, seen, np.array([1, 3, 4]))
    assert taken.tolist() == [[1.0, 3.0, 4.0], [7.0, 9.0, 10.0]]
    assert sums.tolist() == [[0.0, 0.0, 2.0, 0.0, 0.0, 5.0], [6.0, 0.0, 8.0, 0.0, 0.0, 11.0]]
    assert not seen.any()


def test_compiled_kernels_go_to_a_temporary_folder_only_when_no_cache_folder_is_writable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("NUMBA_CACHE_DIR", raising=False)
    monkeypatch.setattr("retrieval.kernels.os.access", lambda path, mode: False)
    fallback = kernels._cache_dir()
    assert fallback is not None and fallback.startswith(tempfile.gettempdir())
    monkeypatch.setattr("retrieval.kernels.os.access", lambda path, mode: str(path).endswith(".cache"))
    monkeypatch.setenv("XDG_CACHE_HOME", "/somewhere/.cache")
    assert kernels._cache_dir() is None  # numba's user cache will do
    monkeypatch.setenv("NUMBA_CACHE_DIR", "/chosen")
    monkeypatch.setattr("retrieval.kernels.os.access", lambda path, mode: False)
    assert kernels._cache_dir() is None  # the operator's choice stands


def test_term_frequencies_of_a_wider_type_give_the_same_weights() -> None:
    sums, seen, touched = np.zeros(8), np.zeros(8, dtype=np.bool_), np.zeros(8, dtype=np.int64)
    count = scatter(
        Postings(DOC_IDS, FREQS.astype(np.uint32), NORMS, None), np.array([0, 3]), np.array([3, 5]), IDFS, 5, 3, K1_PLUS_1,
        1.0, sums, seen, touched, 0,
    )  # fmt: skip
    assert count == 4 and sums.tolist() == run()[0].tolist()
    docs, weights = okapi_weights(
        Postings(DOC_IDS, FREQS.astype(np.uint32), NORMS, None), 3, 5, 1.9, K1_PLUS_1
    )
    assert docs.tolist() == [2, 4] and weights.tolist() == [okapi(1, 0.8, 1.9), okapi(5, 0.9, 1.9)]


def test_computed_weights_skip_deleted_documents() -> None:
    live = np.array([True, True, False, True, True])
    docs, weights = okapi_weights(Postings(DOC_IDS, FREQS, NORMS, live), 0, 3, 0.7, K1_PLUS_1)
    assert docs.tolist() == [0, 3] and weights.tolist() == [okapi(1, 1.0, 0.7), okapi(2, 1.3, 0.7)]


def test_weights_at_adds_each_terms_weight_where_the_document_holds_it_terms_in_order() -> None:
    into = np.zeros(4)
    docs = np.array([0, 1, 2, 4], dtype=np.int64)  # document 1 holds neither term, 4 only the second
    kernels.weights_at(
        Postings(DOC_IDS, FREQS, NORMS, None), np.array([0, 3]), np.array([3, 5]), IDFS, docs, K1_PLUS_1, into
    )  # fmt: skip
    second = okapi(1, NORMS[2], IDFS[1])
    assert into.tolist() == [
        okapi(1, NORMS[0], IDFS[0]),
        0.0,
        okapi(3, NORMS[2], IDFS[0]) + second,
        okapi(5, NORMS[4], IDFS[1]),
    ]


def test_weights_at_skips_documents_not_live_and_those_past_every_posting() -> None:
    into = np.zeros(3)
    live = np.array([True, True, False, True, True])
    docs = np.array([2, 3, 7], dtype=np.int64)
    kernels.weights_at(
        Postings(DOC_IDS, FREQS, NORMS, live), np.array([0, 3]), np.array([3, 5]), IDFS, docs, K1_PLUS_1, into
    )  # fmt: skip
    assert into.tolist() == [0.0, okapi(2, NORMS[3], IDFS[0]), 0.0]


def test_article_runs_give_each_articles_first_index_highest_score_and_number() -> None:
    owner = np.array([0, 0, 0, 1, 1, 2, 3, 3], dtype=np.int32)
    positions = np.array([0, 2, 3, 4, 6, 7], dtype=np.int64)  # articles 0, 0, 1, 1, 3, 3
    own = np.array([0.5, 0.2, 0.1, 0.9, 0.3, 0.3])
    starts, highest, articles = kernels.article_runs(owner, positions, own)
    assert starts.tolist() == [0, 2, 4]
    assert highest.tolist() == [0.5, 0.9, 0.3]
    assert articles.tolist() == [0, 1, 3]


@pytest.mark.parametrize("seed", range(5))
def test_article_runs_equal_numpys_flags_and_maximum_reduceat(seed: int) -> None:
    rng = np.random.default_rng(seed)
    owner = np.sort(rng.integers(0, 40, size=300)).astype(np.int32)
    positions = np.sort(rng.choice(300, size=120, replace=False)).astype(np.int64)
    own = rng.choice([0.0, 0.25, 1.5, rng.random()], size=120)
    owners = owner[positions]
    first = np.ones(len(owners), dtype=np.bool_)
    first[1:] = owners[1:] != owners[:-1]
    expected = np.flatnonzero(first)
    starts, highest, articles = kernels.article_runs(owner, positions, own)
    assert starts.tolist() == expected.tolist()
    assert highest.tolist() == np.maximum.reduceat(own, expected).tolist()
    assert articles.tolist() == owners[expected].tolist()


def test_take_flagged_moves_the_flagged_columns_of_a_range_and_clears_them() -> None:
    sums = np.array([[0.0, 1.0, 0.0, 2.0, 3.0, 4.0], [0.0, 5.0, 0.0, 6.0, 7.0, 8.0]])
    seen = np.array([False, True, False, True, True, True])
    positions = np.full(2, -1, dtype=np.int64)
    into = np.full((2, 3), -1.0)
    taken = kernels.take_flagged(sums, seen, 0, 4, positions, into, 1)  # positions 1 and 3
    assert taken == 2 and positions.tolist() == [1, 3]
    assert into.tolist() == [[-1.0, 1.0, 2.0], [-1.0, 5.0, 6.0]]
    assert sums.tolist() == [[0.0, 0.0, 0.0, 0.0, 3.0, 4.0], [0.0, 0.0, 0.0, 0.0, 7.0, 8.0]]
    assert seen.tolist() == [False, False, False, False, True, True]


def test_take_and_clear_into_writes_from_the_offset() -> None:
    sums = np.array([[1.0, 2.0, 3.0]])
    seen = np.array([True, True, True])
    into = np.zeros((1, 3))
    kernels.take_and_clear_into(sums, seen, np.array([0, 2]), into, 1)
    assert into.tolist() == [[0.0, 1.0, 3.0]]
    assert sums.tolist() == [[0.0, 2.0, 0.0]] and seen.tolist() == [False, True, False]
