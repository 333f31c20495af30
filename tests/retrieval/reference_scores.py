"""The numpy forms of ``FieldIndex``'s score paths, which compiled kernels replaced in the
product (``FieldIndex.accumulate`` and ``bm25_at``, ``retrieval/kernels.py``): the reference their
floats must equal bit for bit, kept beside the tests that compare them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from retrieval.segments import FieldIndex

Float64Array = NDArray[np.float64]
Int64Array = NDArray[np.int64]
BoolArray = NDArray[np.bool_]


def add_scores(index: FieldIndex, query: Sequence[str], sums: Float64Array, seen: BoolArray) -> None:
    """Add each live document's score to ``sums[number]`` and set ``seen[number]``.

    Touches only the query terms' postings: ``sums`` is a caller's zeroed scratch array over
    all document numbers, reset by the caller at the documents ``seen`` flags. Terms are
    added in query order, each document's sum growing as rank-bm25's does.
    """
    for term_id in index.term_ids(query):
        for first, docs, weights in index._weight_pieces(term_id):
            sums_of_segment = sums[first:]
            sums_of_segment[docs] += weights
            seen[first:][docs] = True


def add_weighted(index: FieldIndex, term_ids: Sequence[int], scale: float, sums: Float64Array) -> None:
    """Add ``scale`` times each term's weight to ``sums[number]`` of each live document holding
    it, terms in the order given (one scattered add per posting and no flag array: with every
    idf positive, a document holds one of the terms exactly where its sum is above 0)."""
    for term_id in term_ids:
        for first, docs, weights in index._weight_pieces(term_id):
            sums[first:][docs] += weights * scale


def weights_at(index: FieldIndex, term_id: int, numbers: Int64Array, into: Float64Array) -> None:
    """Add the term's weight in each of the documents ``numbers`` (ascending) to ``into`` (one
    slot per number; nothing where the document lacks the term or is deleted).

    The floats are those ``add_scores`` adds (the same operations on the same values), found by
    binary search in the postings: a few documents cost the same whatever the term's frequency.
    """
    idf = index.idf[term_id]
    k1_plus_1 = index.params.k1 + 1
    for segment, mask, norms, first, end in zip(
        index.segments, index.live, index.norms, index.offsets[:-1].tolist(), index.offsets[1:].tolist(),
        strict=False,
    ):  # fmt: skip
        if term_id >= segment.term_count:
            continue
        start, stop = int(segment.indptr[term_id]), int(segment.indptr[term_id + 1])
        if start == stop:
            continue
        low, high = (
            (0, len(numbers)) if len(index.segments) == 1 else np.searchsorted(numbers, (first, end)).tolist()
        )
        if low == high:
            continue
        local = numbers[low:high] - first
        docs = segment.doc_ids[start:stop]
        if len(docs) < len(local):  # search the shorter list in the longer one
            slot = np.searchsorted(local, docs)
            np.minimum(slot, len(local) - 1, out=slot)
            where = np.flatnonzero(local[slot] == docs)
            at = slot[where]
        else:
            where = np.searchsorted(docs, local)
            np.minimum(where, len(docs) - 1, out=where)
            at = np.flatnonzero(docs[where] == local)
            where = where[at]
        if mask is not None:
            alive = mask[local[at]]
            at, where = at[alive], where[alive]
        if len(at) == 0:
            continue
        into[low + at] += _okapi_weights(
            segment.term_freqs[start:stop][where], norms[local[at]], idf, k1_plus_1
        )


def _okapi_weights(
    term_freqs: NDArray[Any], norms: Float64Array, idf: float | np.float64, k1_plus_1: float
) -> Float64Array:
    """``idf * (tf * (k1 + 1) / (tf + K(d)))`` per posting, in rank-bm25's operations (products
    commute exactly): the one formula both a scan and a look-up use, so their floats are equal."""
    tf = term_freqs.astype(np.float64)
    denominator = tf + norms
    tf *= k1_plus_1
    tf /= denominator
    tf *= idf
    return tf
