"""Exact BM25Okapi (rank-bm25 0.2.2) over a sparse term -> postings index.

rank-bm25 keeps one ``dict`` per document and walks all of them in Python for every query
term, so a query costs O(documents). This index stores, per term, the sorted ids of the
documents that contain it together with the precomputed BM25 weight of that (term, document)
pair, so a query touches only the postings of its own terms.

Scoring is the rank-bm25 0.2.2 ``BM25Okapi`` formula, reproduced operation for operation so
the results are bit-for-bit equal in practice (the tests demand a relative difference
<= 1e-9)::

    idf(t)   = log(N - n_t + 0.5) - log(n_t + 0.5)                        (natural log)
    idf(t)   = epsilon * mean(idf over the vocabulary)   where idf(t) < 0   (mean taken first)
    w(t, d)  = idf(t) * (tf * (k1 + 1) / (tf + k1 * (1 - b + b * |d| / avgdl)))
    score(d) = sum over query terms, repeats included, of w(t, d); unseen terms add 0

with ``avgdl = total tokens / N``. Degenerate corpora where rank-bm25 divides by zero (no
documents, or no tokens at all) give all-zero scores here, and where it would compute 0/0 for
a document that lacks a query term (``k1 == 0``, or ``b == 1`` with an empty document) this
index adds 0, as the formula intends.
"""

from __future__ import annotations

import json
import math
import os
import shutil
import tempfile
import uuid
from array import array
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import numpy as np
from numpy.typing import NDArray

from retrieval.errors import IndexFormatError

FORMAT_NAME: Final = "bm25-index"
FORMAT_VERSION: Final = 1
_META_FILE: Final = "meta.json"
_VOCAB_FILE: Final = "vocabulary.json"
# name -> dtype of every persisted array; the loader checks both.
_ARRAY_DTYPES: Final[Mapping[str, type[np.generic]]] = {
    "indptr": np.int64,
    "doc_ids": np.int32,
    "term_freqs": np.int32,
    "weights": np.float64,
    "doc_lengths": np.int32,
    "idf": np.float64,
    "max_weights": np.float64,
}
_MAX_DOCS: Final = np.iinfo(np.int32).max
_WEIGHT_CHUNK: Final = 1 << 21
# Top-k tries MaxScore pruning only when the query's postings exceed 1/_DENSE_POSTINGS_SHARE
# of the document count; below that one bincount over them is as cheap as anything.
_DENSE_POSTINGS_SHARE: Final = 4
# MaxScore top-k: how many documents of the rarest query term seed the threshold, how many
# candidates are scored by binary search (beyond that, one more bincount is cheaper), and the
# relative slack that absorbs float rounding when partial sums are compared with the cut.
_SEED_DOCS: Final = 1024
_MAX_LOOKUP_CANDIDATES: Final = 4096
_CUT_MARGIN: Final = 1e-9

Int32Array = NDArray[np.int32]
Int64Array = NDArray[np.int64]
Float64Array = NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class BM25Params:
    """BM25Okapi parameters, with rank-bm25's defaults."""

    k1: float = 1.5
    b: float = 0.75
    epsilon: float = 0.25

    def __post_init__(self) -> None:
        if not (math.isfinite(self.k1) and self.k1 >= 0):
            raise ValueError(f"k1 must be a finite number >= 0, got {self.k1!r}")
        if not (math.isfinite(self.b) and 0 <= self.b <= 1):
            raise ValueError(f"b must be within [0, 1], got {self.b!r}")
        if not math.isfinite(self.epsilon):
            raise ValueError(f"epsilon must be finite, got {self.epsilon!r}")


class _GrowingVocabulary(dict[str, int]):
    """Term -> id map that gives an unseen term the next id on lookup.

    ``map(vocabulary.__getitem__, tokens)`` then maps a whole document in C, which is what
    keeps a streaming build of a million sentences within seconds. Ids follow first
    occurrence, the order in which rank-bm25 fills its ``nd`` dict (its idf mean sums in it).
    """

    def __missing__(self, term: str) -> int:
        term_id = len(self)
        self[term] = term_id
        return term_id


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class BM25Index:
    """Immutable BM25Okapi index; build it with :meth:`build`, grow it with :meth:`extend`.

    Postings are stored CSC-style: the postings of term ``t`` are positions
    ``indptr[t]:indptr[t + 1]`` of ``doc_ids`` (ascending), ``term_freqs`` and ``weights``.
    Raw term frequencies and document lengths are kept so :meth:`extend` can recompute every
    weight when a batch changes the collection statistics, without re-tokenising.
    """

    params: BM25Params
    _vocabulary: dict[str, int]
    _indptr: Int64Array
    _doc_ids: Int32Array
    _term_freqs: Int32Array
    _weights: Float64Array
    _doc_lengths: Int32Array
    _idf: Float64Array
    _max_weights: Float64Array
    _total_length: int
    _average_idf: float

    # ------------------------------------------------------------------ construction

    @classmethod
    def build(
        cls,
        docs: Iterable[Sequence[str]],
        *,
        k1: float = 1.5,
        b: float = 0.75,
        epsilon: float = 0.25,
    ) -> BM25Index:
        """Index tokenised documents in one streaming pass (``docs`` may be a generator)."""
        return cls._empty(BM25Params(k1=k1, b=b, epsilon=epsilon)).extend(docs)

    @classmethod
    def _empty(cls, params: BM25Params) -> BM25Index:
        return cls._assemble(
            params,
            {},
            np.zeros(1, dtype=np.int64),
            np.zeros(0, dtype=np.int32),
            np.zeros(0, dtype=np.int32),
            np.zeros(0, dtype=np.int32),
            total_length=0,
        )

    def extend(self, new_docs: Iterable[Sequence[str]]) -> BM25Index:
        """A new index over this corpus followed by ``new_docs`` (streamed); ``self`` is unchanged.

        Equal to :meth:`build` on the concatenation: new documents get the next doc ids, and
        idf, avgdl and so every weight are recomputed, since one batch changes them all.
        """
        vocabulary = _GrowingVocabulary(self._vocabulary)
        token_terms, batch_lengths = _map_documents(new_docs, vocabulary)
        old_docs = self.doc_count
        doc_count = old_docs + len(batch_lengths)
        if doc_count > _MAX_DOCS:
            raise ValueError(f"at most {_MAX_DOCS} documents fit in an index, got {doc_count}")
        batch_terms, batch_docs, batch_freqs = count_postings(token_terms, batch_lengths, old_docs)
        del token_terms  # the largest buffer of a build: free it before the merge
        indptr, doc_ids, term_freqs = _merge_postings(
            self._indptr,
            self._doc_ids,
            self._term_freqs,
            batch_terms,
            batch_docs,
            batch_freqs,
            len(vocabulary),
        )
        return self._assemble(
            self.params,
            dict(vocabulary),
            indptr,
            doc_ids,
            term_freqs,
            np.concatenate([self._doc_lengths, batch_lengths]).astype(np.int32, copy=False),
            total_length=self._total_length + int(batch_lengths.sum(dtype=np.int64)),
        )

    @classmethod
    def _assemble(
        cls,
        params: BM25Params,
        vocabulary: dict[str, int],
        indptr: Int64Array,
        doc_ids: Int32Array,
        term_freqs: Int32Array,
        doc_lengths: Int32Array,
        *,
        total_length: int,
    ) -> BM25Index:
        """Compute idf, weights and per-term weight maxima from raw counts."""
        doc_count = len(doc_lengths)
        doc_freqs = np.diff(indptr)
        idf, average_idf = okapi_idf(doc_freqs, doc_count, params.epsilon)
        if doc_count and total_length:
            avgdl = total_length / doc_count  # Python int division, as rank-bm25 computes it
            weights = np.empty(len(doc_ids), dtype=np.float64)
            # In chunks, so the float64 temporaries stay small at tens of millions of postings.
            for start in range(0, len(doc_ids), _WEIGHT_CHUNK):
                end = min(start + _WEIGHT_CHUNK, len(doc_ids))
                term_of_posting = np.searchsorted(indptr, np.arange(start, end), side="right") - 1
                weights[start:end] = _okapi_weights(
                    idf[term_of_posting],
                    term_freqs[start:end],
                    doc_lengths[doc_ids[start:end]],
                    params,
                    avgdl,
                )
            # Every vocabulary term has >= 1 posting, so no reduceat segment is empty.
            max_weights = np.maximum.reduceat(weights, indptr[:-1])
        else:
            weights = np.zeros(0, dtype=np.float64)
            max_weights = np.zeros(0, dtype=np.float64)
        return cls._frozen(
            params,
            vocabulary,
            indptr,
            doc_ids,
            term_freqs,
            weights,
            doc_lengths,
            idf,
            max_weights,
            total_length=total_length,
            average_idf=average_idf,
        )

    @classmethod
    def _frozen(
        cls,
        params: BM25Params,
        vocabulary: dict[str, int],
        indptr: Int64Array,
        doc_ids: Int32Array,
        term_freqs: Int32Array,
        weights: Float64Array,
        doc_lengths: Int32Array,
        idf: Float64Array,
        max_weights: Float64Array,
        *,
        total_length: int,
        average_idf: float,
    ) -> BM25Index:
        arrays = (indptr, doc_ids, term_freqs, weights, doc_lengths, idf, max_weights)
        for array_ in arrays:
            array_.flags.writeable = False  # shared with every caller: nobody may mutate it
        return cls(
            params,
            vocabulary,
            indptr,
            doc_ids,
            term_freqs,
            weights,
            doc_lengths,
            idf,
            max_weights,
            total_length,
            average_idf,
        )

    # ------------------------------------------------------------------ statistics

    @property
    def doc_count(self) -> int:
        return len(self._doc_lengths)

    @property
    def vocabulary_size(self) -> int:
        return len(self._vocabulary)

    @property
    def avgdl(self) -> float:
        """Mean document length in tokens (0.0 for an empty corpus)."""
        return self._total_length / self.doc_count if self.doc_count else 0.0

    @property
    def average_idf(self) -> float:
        """Mean raw idf over the vocabulary, before the epsilon floor (rank-bm25's ``average_idf``)."""
        return self._average_idf

    def document_frequency(self, term: str) -> int:
        term_id = self._vocabulary.get(term)
        if term_id is None:
            return 0
        return int(self._indptr[term_id + 1] - self._indptr[term_id])

    def idf(self, term: str) -> float:
        """The idf used in scoring (after the epsilon floor); 0.0 for a term not in the corpus."""
        term_id = self._vocabulary.get(term)
        return 0.0 if term_id is None else float(self._idf[term_id])

    def __repr__(self) -> str:
        return (
            f"BM25Index(doc_count={self.doc_count}, vocabulary_size={self.vocabulary_size}, "
            f"postings={len(self._doc_ids)}, params={self.params})"
        )

    # ------------------------------------------------------------------ queries

    def scores(self, query: Sequence[str]) -> Float64Array:
        """BM25 score of every document, equal to ``BM25Okapi(docs).get_scores(query)``."""
        return self._dense_scores(self._query_term_ids(query))

    def top_k(self, query: Sequence[str], k: int) -> tuple[Int64Array, Float64Array]:
        """The ``k`` best documents as (doc indices, scores), best first.

        Exactly the first ``k`` entries of ``scores(query)`` sorted by descending score with
        ties broken by the lower document index (a stable sort), with the same float values.
        That includes zero-score documents when fewer than ``k`` documents match: callers
        that want matches only drop ``scores <= 0``. (In tiny corpora rank-bm25's floored idf
        can be negative, so a match may score below a non-match; the order above still holds.)

        Only the postings of the query terms are read, and those of frequent terms only
        through binary searches for a few candidates (MaxScore, see :meth:`_top_k_pruned`).
        """
        if k <= 0 or self.doc_count == 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64)
        k = min(k, self.doc_count)
        term_ids = self._query_term_ids(query)
        if not term_ids:
            return np.arange(k, dtype=np.int64), np.zeros(k, dtype=np.float64)
        if bool(np.any(self._idf[term_ids] <= 0)):
            # Degenerate tiny corpora (negative floored idf): no bound holds, order everything.
            return _select_dense(self._dense_scores(term_ids), k)
        distinct = sorted(set(term_ids), key=self._doc_freq)
        seed = self._seed(distinct, k)
        if len(seed) < k:  # fewer than k matching documents in the rare terms: few postings
            return _select_dense(self._dense_scores(term_ids), k)
        postings = sum(map(self._doc_freq, term_ids))
        if len(distinct) > 1 and postings > self.doc_count // _DENSE_POSTINGS_SHARE:
            pruned = self._top_k_pruned(term_ids, distinct, seed, k, postings)
            if pruned is not None:
                return pruned
        scores = self._dense_scores(term_ids)
        # The k-th best seed score is reached by k documents, so the top k all reach it: one
        # vectorised comparison leaves a handful of documents to order.
        theta = _kth_largest(scores[seed], k)
        candidates = np.flatnonzero(scores >= theta)
        return _select_top(scores[candidates], candidates, k)

    def _query_term_ids(self, query: Sequence[str]) -> list[int]:
        """Ids of the known query terms in query order, repeats kept (unseen terms add 0)."""
        lookup = self._vocabulary.get
        return [term_id for term_id in map(lookup, query) if term_id is not None]

    def _doc_freq(self, term_id: int) -> int:
        return int(self._indptr[term_id + 1] - self._indptr[term_id])

    def _postings(self, term_id: int) -> tuple[Int32Array, Float64Array]:
        start, end = int(self._indptr[term_id]), int(self._indptr[term_id + 1])
        return self._doc_ids[start:end], self._weights[start:end]

    def _dense_scores(self, term_ids: Sequence[int]) -> Float64Array:
        if not term_ids:
            return np.zeros(self.doc_count, dtype=np.float64)
        postings = [self._postings(term_id) for term_id in term_ids]
        # bincount adds in array order, i.e. query-term order per document, exactly the order
        # in which rank-bm25 accumulates: the sums are bit-identical, not just close.
        doc_ids = np.concatenate([docs for docs, _ in postings])
        weights = np.concatenate([weights for _, weights in postings])
        return np.bincount(doc_ids, weights=weights, minlength=self.doc_count).astype(np.float64, copy=False)

    def _candidate_scores(self, term_ids: Sequence[int], candidates: Int64Array) -> Float64Array:
        """Exact scores of sorted ``candidates``, summed in query-term order like rank-bm25."""
        scores = np.zeros(len(candidates), dtype=np.float64)
        for term_id in term_ids:
            docs, weights = self._postings(term_id)
            positions = np.minimum(np.searchsorted(docs, candidates), len(docs) - 1)
            hits = docs[positions] == candidates
            scores[hits] += weights[positions[hits]]
        return scores

    def _score_bound(self, term_ids: Sequence[int], subset: set[int]) -> float:
        """Most a document can score from the ``subset`` terms (weights are >= 0 here)."""
        bound = 0.0
        for term_id in term_ids:
            if term_id in subset:
                bound += float(self._max_weights[term_id])
        return bound

    def _seed(self, distinct_by_df: Sequence[int], k: int) -> Int64Array:
        """Up to _SEED_DOCS distinct documents likely to score high: those of the rarest terms."""
        rarest = distinct_by_df[0]
        docs, weights = self._postings(rarest)
        if len(docs) > _SEED_DOCS:
            docs = docs[np.sort(np.argpartition(weights, len(weights) - _SEED_DOCS)[-_SEED_DOCS:])]
        if len(docs) >= k:
            return docs.astype(np.int64)
        seed = docs.astype(np.int64)
        for term_id in distinct_by_df[1:]:
            if self._doc_freq(term_id) > _SEED_DOCS:
                break
            seed = np.union1d(seed, self._postings(term_id)[0])
            if len(seed) >= k:
                break
        return seed

    def _top_k_pruned(
        self, term_ids: list[int], distinct: list[int], seed: Int64Array, k: int, postings: int
    ) -> tuple[Int64Array, Float64Array] | None:
        """Exact top-k by MaxScore, or None when it would not save work (then score densely).

        1. ``theta``: the k-th best exact score among the seed documents (those of the
           rarest term), so at least k documents score >= theta.
        2. Non-essential terms: those with the smallest maximum weights, as many as keep
           their summed maxima ``bound`` below theta. A top-k document must then collect at
           least ``theta - bound`` from the essential terms alone.
        3. Accumulate only the essential terms' postings, keep the documents that reach that
           cut (with a float-rounding margin), and score just those exactly, in query order.
        Needs all query weights >= 0 (idf > 0), which the caller checked.
        """
        theta = _kth_largest(self._candidate_scores(term_ids, seed), k)
        non_essential: set[int] = set()
        for term_id in sorted(distinct, key=lambda t: float(self._max_weights[t]) * term_ids.count(t)):
            if self._score_bound(term_ids, non_essential | {term_id}) >= theta * (1 - _CUT_MARGIN):
                break
            non_essential.add(term_id)
        essential = [term_id for term_id in term_ids if term_id not in non_essential]
        if not non_essential or sum(map(self._doc_freq, essential)) > postings // 2:
            return None
        partial = self._dense_scores(essential)
        cut = theta - self._score_bound(term_ids, non_essential) - theta * _CUT_MARGIN
        candidates = np.flatnonzero(partial >= cut)  # cut > 0: documents without matches drop out
        if len(candidates) > _MAX_LOOKUP_CANDIDATES:
            return _select_top(self._dense_scores(term_ids)[candidates], candidates, k)
        return _select_top(self._candidate_scores(term_ids, candidates), candidates, k)

    # ------------------------------------------------------------------ persistence

    def save(self, directory: Path) -> None:
        """Write the index to ``directory`` atomically: a crash leaves the old one or none.

        Arrays go to memory-mappable ``.npy`` files, parameters and the vocabulary (terms in id
        order) to JSON, all in a temporary sibling directory that is renamed into place.
        """
        directory = Path(directory)
        directory.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{directory.name}.tmp-", dir=directory.parent))
        try:
            arrays = self._arrays()
            for name, values in arrays.items():
                with open(staging / f"{name}.npy", "wb") as handle:
                    np.save(handle, values, allow_pickle=False)
                    _sync(handle)
            _write_json(staging / _VOCAB_FILE, list(self._vocabulary))
            _write_json(staging / _META_FILE, self._meta(arrays))  # last: its presence marks completion
            _replace_directory(staging, directory)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise

    @classmethod
    def load(cls, directory: Path, *, mmap: bool = True) -> BM25Index:
        """Read an index written by :meth:`save`; ``mmap`` maps the arrays instead of reading them.

        Raises IndexFormatError for a partial, corrupt or foreign directory, and OSError when
        it cannot be read at all.
        """
        directory = Path(directory)
        try:
            meta = json.loads((directory / _META_FILE).read_text(encoding="utf-8"))
            if meta.get("format") != FORMAT_NAME or meta.get("version") != FORMAT_VERSION:
                raise IndexFormatError(
                    f"not a {FORMAT_NAME} v{FORMAT_VERSION} directory: "
                    f"{meta.get('format')!r} v{meta.get('version')!r}"
                )
            terms = json.loads((directory / _VOCAB_FILE).read_text(encoding="utf-8"))
            arrays = {
                name: np.asarray(
                    np.load(directory / f"{name}.npy", mmap_mode="r" if mmap else None, allow_pickle=False)
                )
                for name in _ARRAY_DTYPES
            }
            params = BM25Params(k1=float(meta["k1"]), b=float(meta["b"]), epsilon=float(meta["epsilon"]))
            vocabulary = {term: term_id for term_id, term in enumerate(terms)}
            _check_consistency(meta, arrays, terms, vocabulary)
            return cls._frozen(
                params,
                vocabulary,
                arrays["indptr"],
                arrays["doc_ids"],
                arrays["term_freqs"],
                arrays["weights"],
                arrays["doc_lengths"],
                arrays["idf"],
                arrays["max_weights"],
                total_length=int(meta["total_length"]),
                average_idf=float(meta["average_idf"]),
            )
        except IndexFormatError:
            raise
        except FileNotFoundError as error:
            raise IndexFormatError(f"incomplete index directory {directory}: {error}") from error
        except (ValueError, KeyError, TypeError, AttributeError, EOFError) as error:
            raise IndexFormatError(f"unreadable index directory {directory}: {error}") from error

    def _arrays(self) -> dict[str, NDArray[Any]]:
        return {
            "indptr": self._indptr,
            "doc_ids": self._doc_ids,
            "term_freqs": self._term_freqs,
            "weights": self._weights,
            "doc_lengths": self._doc_lengths,
            "idf": self._idf,
            "max_weights": self._max_weights,
        }

    def _meta(self, arrays: Mapping[str, NDArray[Any]]) -> dict[str, Any]:
        return {
            "format": FORMAT_NAME,
            "version": FORMAT_VERSION,
            "k1": self.params.k1,
            "b": self.params.b,
            "epsilon": self.params.epsilon,
            "doc_count": self.doc_count,
            "vocabulary_size": self.vocabulary_size,
            "total_length": self._total_length,
            "average_idf": self._average_idf,  # JSON floats round-trip exactly (repr)
            "shapes": {name: list(values.shape) for name, values in arrays.items()},
        }


# ---------------------------------------------------------------------- build steps


def _map_documents(
    docs: Iterable[Sequence[str]], vocabulary: _GrowingVocabulary
) -> tuple[Int32Array, Int32Array]:
    """Stream documents into flat term ids and per-document lengths (no per-document objects kept)."""
    token_terms = array("i")
    lengths = array("i")
    lookup = vocabulary.__getitem__
    for doc in docs:
        before = len(token_terms)
        token_terms.extend(map(lookup, doc))
        lengths.append(len(token_terms) - before)
    if token_terms.itemsize != 4:  # pragma: no cover - C int is 32-bit on every supported platform
        raise RuntimeError("array('i') is not 32-bit on this platform")
    return np.frombuffer(token_terms, dtype=np.int32), np.frombuffer(lengths, dtype=np.int32)


def count_postings(
    token_terms: Int32Array, lengths: Int32Array, first_doc: int
) -> tuple[Int64Array, Int32Array, Int32Array]:
    """(term, doc, tf) of a batch, sorted by term then doc: one sort of term*D+doc keys."""
    if len(token_terms) == 0:
        empty = np.zeros(0, dtype=np.int32)
        return np.zeros(0, dtype=np.int64), empty, empty
    stride = first_doc + len(lengths)
    keys = token_terms.astype(np.int64)
    keys *= stride
    # int32 temporaries where they suffice: at a million sentences each int64 copy is ~250 MB.
    keys += np.repeat(np.arange(first_doc, stride, dtype=np.int32), lengths)
    keys.sort()
    is_start = np.empty(len(keys), dtype=np.bool_)
    is_start[0] = True
    np.not_equal(keys[1:], keys[:-1], out=is_start[1:])
    starts = np.flatnonzero(is_start)
    del is_start
    term_freqs = np.diff(starts, append=len(keys)).astype(np.int32)
    unique_keys = keys[starts]
    del keys, starts
    docs = (unique_keys % stride).astype(np.int32)
    unique_keys //= stride
    return unique_keys, docs, term_freqs


def _merge_postings(
    old_indptr: Int64Array,
    old_docs: Int32Array,
    old_freqs: Int32Array,
    batch_terms: Int64Array,
    batch_docs: Int32Array,
    batch_freqs: Int32Array,
    vocabulary_size: int,
) -> tuple[Int64Array, Int32Array, Int32Array]:
    """CSC postings of old + batch; batch doc ids all exceed old ones, so they go last per term."""
    batch_df = np.bincount(batch_terms, minlength=vocabulary_size).astype(np.int64)
    if len(old_docs) == 0:  # a fresh build: the batch is already in CSC order
        indptr = np.zeros(vocabulary_size + 1, dtype=np.int64)
        np.cumsum(batch_df, out=indptr[1:])
        return indptr, batch_docs, batch_freqs
    old_df = np.zeros(vocabulary_size, dtype=np.int64)
    old_df[: len(old_indptr) - 1] = np.diff(old_indptr)
    indptr = np.zeros(vocabulary_size + 1, dtype=np.int64)
    np.cumsum(old_df + batch_df, out=indptr[1:])
    total = int(indptr[-1])
    doc_ids = np.empty(total, dtype=np.int32)
    term_freqs = np.empty(total, dtype=np.int32)
    # Old posting j of term t moves up by the batch postings of all terms before t.
    old_starts = np.zeros(vocabulary_size, dtype=np.int64)
    old_starts[: len(old_indptr) - 1] = old_indptr[:-1]
    old_shift = np.repeat(indptr[:-1] - old_starts, old_df)
    old_positions = np.arange(len(old_docs), dtype=np.int64) + old_shift
    doc_ids[old_positions] = old_docs
    term_freqs[old_positions] = old_freqs
    del old_shift, old_positions
    batch_indptr = np.zeros(vocabulary_size + 1, dtype=np.int64)
    np.cumsum(batch_df, out=batch_indptr[1:])
    batch_shift = np.repeat(indptr[:-1] + old_df - batch_indptr[:-1], batch_df)
    batch_positions = np.arange(len(batch_docs), dtype=np.int64) + batch_shift
    doc_ids[batch_positions] = batch_docs
    term_freqs[batch_positions] = batch_freqs
    return indptr, doc_ids, term_freqs


def okapi_idf(doc_freqs: Int64Array, doc_count: int, epsilon: float) -> tuple[Float64Array, float]:
    """rank-bm25's floored idf per term and its pre-floor mean (0.0 for an empty vocabulary)."""
    if len(doc_freqs) == 0:
        return np.zeros(0, dtype=np.float64), 0.0
    # math.log per distinct document frequency (a few thousand at most): the very libm calls
    # rank-bm25 makes, so no last-bit difference from a vectorised log can creep in. The distinct
    # frequencies are counted, not sorted (``np.unique``): at 1M sentences, 1.3M terms a field, 130
    # ms against 6 ms, five times (every field and the articles') for each batch added.
    distinct = np.flatnonzero(np.bincount(doc_freqs))
    raw_by_df = np.zeros(int(distinct[-1]) + 1, dtype=np.float64)
    raw_by_df[distinct] = [math.log(doc_count - n + 0.5) - math.log(n + 0.5) for n in distinct.tolist()]
    idf = raw_by_df[doc_freqs]
    # cumsum adds sequentially in term-id (= first occurrence) order, like rank-bm25's loop.
    average_idf = float(np.cumsum(idf)[-1]) / len(idf)
    idf[idf < 0] = epsilon * average_idf
    return idf, average_idf


def _okapi_weights(
    idf: Float64Array,
    term_freqs: Int32Array,
    doc_lengths: Int32Array,
    params: BM25Params,
    avgdl: float,
) -> Float64Array:
    """Per-posting weight, operation for operation as rank-bm25's ``get_scores`` computes it."""
    k1, b = params.k1, params.b
    tf = term_freqs.astype(np.float64)
    norm = b * doc_lengths.astype(np.float64)
    norm /= avgdl
    norm += 1 - b
    norm *= k1
    norm += tf
    tf *= k1 + 1
    tf /= norm
    del norm
    tf *= idf
    return tf


def _select_dense(scores: Float64Array, k: int) -> tuple[Int64Array, Float64Array]:
    """First ``k`` documents of a dense score array by descending score, ties by lower index.

    Positive scores come first, then the zero-score documents by index (most of the corpus,
    never sorted), then negative ones; only the nonzero entries are ever ordered.
    """
    nonzero = np.flatnonzero(scores)
    values = scores[nonzero]
    positive = values > 0
    positive_count = int(np.count_nonzero(positive))
    if positive_count >= k:
        return _select_top(values[positive], nonzero[positive], k)
    top_ids, top_scores = _select_top(values[positive], nonzero[positive], positive_count)
    zero_ids = np.flatnonzero(scores == 0)[: k - positive_count]
    negative_ids, negative_scores = _select_top(
        values[~positive], nonzero[~positive], k - positive_count - len(zero_ids)
    )
    return (
        np.concatenate([top_ids, zero_ids, negative_ids]),
        np.concatenate([top_scores, np.zeros(len(zero_ids)), negative_scores]),
    )


def _kth_largest(values: Float64Array, k: int) -> float:
    return float(np.partition(values, len(values) - k)[len(values) - k])


def _select_top(scores: Float64Array, doc_ids: Int64Array, k: int) -> tuple[Int64Array, Float64Array]:
    """First ``k`` of (doc_ids, scores) by descending score, ties by lower id (``doc_ids`` ascending)."""
    if k <= 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64)
    if k >= len(scores):
        order = np.lexsort((doc_ids, -scores))
    else:
        kth_best = np.partition(scores, len(scores) - k)[len(scores) - k]
        above = np.flatnonzero(scores > kth_best)
        ties = np.flatnonzero(scores == kth_best)[: k - len(above)]  # ascending id already
        order = np.concatenate([above[np.lexsort((doc_ids[above], -scores[above]))], ties])
    order = order[:k]
    return doc_ids[order], scores[order]


# ---------------------------------------------------------------------- persistence steps


def _sync(handle: Any) -> None:
    handle.flush()
    os.fsync(handle.fileno())


def _write_json(path: Path, value: object) -> None:
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(value, handle, ensure_ascii=False)
        _sync(handle)


def _replace_directory(staging: Path, directory: Path) -> None:
    """Rename ``staging`` to ``directory``; an existing one is moved aside first, then removed.

    Between the two renames ``directory`` is briefly absent, never half-written.
    """
    retired: Path | None = None
    if directory.exists() or directory.is_symlink():
        retired = directory.with_name(f".{directory.name}.old-{uuid.uuid4().hex}")
        os.rename(directory, retired)
    os.rename(staging, directory)
    parent = os.open(directory.parent, os.O_RDONLY)
    try:
        os.fsync(parent)
    finally:
        os.close(parent)
    if retired is not None:
        if retired.is_dir() and not retired.is_symlink():
            shutil.rmtree(retired, ignore_errors=True)
        else:
            retired.unlink(missing_ok=True)


def _check_consistency(
    meta: Mapping[str, Any],
    arrays: Mapping[str, NDArray[Any]],
    terms: object,
    vocabulary: Mapping[str, int],
) -> None:
    """Cheap O(vocabulary + documents) checks that the files belong together."""
    for name, dtype in _ARRAY_DTYPES.items():
        values = arrays[name]
        if values.dtype != np.dtype(dtype) or list(values.shape) != list(meta["shapes"][name]):
            raise IndexFormatError(
                f"{name}.npy is {values.dtype}{values.shape}, expected {meta['shapes'][name]}"
            )
    vocabulary_size = int(meta["vocabulary_size"])
    doc_count = int(meta["doc_count"])
    postings = len(arrays["doc_ids"])
    indptr = arrays["indptr"]
    if not isinstance(terms, list) or len(terms) != vocabulary_size or len(vocabulary) != vocabulary_size:
        raise IndexFormatError("vocabulary does not match the index (missing or duplicate terms)")
    if (
        len(indptr) != vocabulary_size + 1
        or int(indptr[0]) != 0
        or int(indptr[-1]) != postings
        or len(arrays["term_freqs"]) != postings
        or len(arrays["weights"]) != postings
        or len(arrays["idf"]) != vocabulary_size
        or len(arrays["max_weights"]) != vocabulary_size
        or len(arrays["doc_lengths"]) != doc_count
        or int(arrays["doc_lengths"].sum(dtype=np.int64)) != int(meta["total_length"])
        or bool(np.any(np.diff(indptr) <= 0))
    ):
        raise IndexFormatError("index arrays are inconsistent with each other")
