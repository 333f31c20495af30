"""Exact BM25Okapi over segments: a base plus small batches, with deleted documents masked.

Lucene's layout: a batch of new documents becomes a new immutable segment, a deletion clears a bit in
its segment's live mask, and small segments are merged into one. What stays exact is the collection
statistics: the document count, the total length, each term's document frequency and the mean idf
are those of the live documents of all segments together, so every score is rank-bm25 0.2.2's
``BM25Okapi(live corpus).get_scores`` (see ``retrieval/bm25_index.py`` for the formula), whichever
segment a document sits in.

Weights cannot be stored with the postings: every batch changes avgdl and every idf. A version keeps
instead one float per document, ``K(d) = k1 * (1 - b + b * |d| / avgdl)`` (O(documents), not
O(postings)), and a query computes ``idf(t) * tf * (k1 + 1) / (tf + K(d))`` for its own terms'
postings only: the operations rank-bm25 performs, in its order.

Term ids come from a :class:`TermIds` table shared by every version of an index: it only ever
grows, so a version made earlier simply knows fewer terms (a term its segments never saw has no
postings there and document frequency 0).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import partial
from itertools import pairwise
from pathlib import Path
from typing import Any, Final, cast

import numpy as np
from numpy.typing import NDArray

from retrieval.answers_first import let_answers_run
from retrieval.bm25_index import BM25Params, count_postings, okapi_idf
from retrieval.errors import IndexFormatError
from retrieval.kernels import Postings, add_weights, okapi_weights, scatter
from retrieval.kernels import weights_at as kernel_weights_at

Int32Array = NDArray[np.int32]
Int64Array = NDArray[np.int64]
Float64Array = NDArray[np.float64]
BoolArray = NDArray[np.bool_]

_NEWLINE: Final = ord("\n")
# Look-ups and names a ``StoredTermIds`` remembers (each a few hundred bytes at most).
_REMEMBERED_TERMS: Final = 1 << 16
_SEGMENT_ARRAYS = ("indptr", "doc_ids", "term_freqs", "doc_lengths", "live")
# Posting weights kept per index version (see ``FieldIndex._weight_pieces``): only terms with at least
# this many live postings (computing a rare term's weights costs less than looking them up), and at
# most this many postings in all (a float each; the doc ids are the stored ones: 24 MB per field).
_CACHED_FROM_POSTINGS = 2_000
_CACHED_POSTINGS = 3_000_000
# Tokens counted at once when a segment is built (see ``Segment.from_tokens``).
_TOKENS_PER_RUN = 1 << 22


class TermIds(dict[str, int]):
    """Term -> id, giving an unseen term the next id on ``[]`` (``get`` never adds).

    Append-only, so versions of an index that share it never disagree on an id; adding from a
    worker thread while another thread reads is safe (each dict operation holds the GIL).
    """

    def __missing__(self, term: str) -> int:
        return self._appended(term)

    def _appended(self, term: str) -> int:
        """Number ``term``, which the table does not hold."""
        term_id = len(self)
        self[term] = term_id
        return term_id

    def numbered(self, terms: Sequence[str | None]) -> Int32Array:
        """Each term's id, -1 for None: ``[term]`` for every term in order (unseen ones take the
        next ids, in order of first occurrence), looked up in one go (a batch added to a served
        index at 1M sentences looks up about 200k distinct terms while questions wait for the GIL)."""
        known = self.looked_up(terms)
        fresh: dict[str, int] = {}
        for at, found in enumerate(known):
            term = terms[at]
            if found is None and term is not None:
                term_id = fresh.get(term)
                known[at] = fresh[term] = self._appended(term) if term_id is None else term_id
        return np.array([-1 if found is None else found for found in known], dtype=np.int32)

    def looked_up(self, terms: Sequence[str | None]) -> list[int | None]:
        """Each term's id, None where the table lacks it (or for None); nothing is added."""
        get = cast("Callable[[str | None], int | None]", self.get)  # None is no key: it gives None
        return list(map(get, terms))

    def names(self, ids: list[int]) -> list[str] | None:
        """The terms of ``ids``, when the table can name them without listing every term (else None)."""
        return None


class StoredTermIds(TermIds):
    """A saved table (one term a line, ids are line numbers) served without a Python string per term.

    As a dict of Python strings the four term tables of a million sentences (1.34M terms) held
    ~245 MB. This keeps the file's bytes, each line's offset, and each term's ``hash`` sorted
    (with its id), ~30 bytes a term: a look-up hashes the term, finds the hash by binary search
    and compares the line's bytes, so the answer is exact whatever collides. Terms added after
    loading (a served index growing) go into the dict itself, numbered after the saved ones.
    ``hash`` is the process's own: nothing hashed is saved.
    """

    _HASHED_PER_RUN: Final = 1 << 16  # lines decoded at once while hashing: a few MB of strings
    _key: Callable[[str], int] = staticmethod(hash)  # a test seam: any function of the term works

    def __init__(self, text: bytes) -> None:
        super().__init__()
        self._text = text
        lines = np.frombuffer(text, dtype=np.uint8)
        ends = np.flatnonzero(lines == _NEWLINE) if text else np.zeros(0, np.int64)
        count = len(ends) + 1 if text else 0
        # Line i is text[starts[i]:starts[i + 1] - 1]; one past the end closes the last line.
        starts = np.zeros(count + 1, dtype=np.int64)
        starts[1:count] = ends + 1
        starts[count] = len(text) + 1
        self._starts = starts
        self._stored = count
        hashes = np.empty(count, dtype=np.int64)
        for first in range(0, count, self._HASHED_PER_RUN):
            last = min(count, first + self._HASHED_PER_RUN)
            run = text[int(starts[first]) : int(starts[last]) - 1].decode("utf-8")
            hashes[first:last] = list(map(self._key, run.split("\n")))
        self._order = np.argsort(hashes, kind="stable").astype(np.int32)
        self._hashes = hashes[self._order]
        self._added: list[str] = []  # the dict's terms in id order, for ``names``
        # Questions look up and name the same frequent terms again and again: both are remembered.
        self._found: dict[str, int | None] = {}
        self._named: dict[int, str] = {}

    @classmethod
    def read(cls, path: Path) -> StoredTermIds:
        return cls(path.read_bytes())

    def _find(self, term: str) -> int | None:
        """The saved id of ``term``, None when it was not saved."""
        try:
            return self._found[term]
        except KeyError:
            pass
        if len(self._found) >= _REMEMBERED_TERMS:
            self._found.clear()  # cheap bound; the next questions refill it
        found = self._found[term] = self._searched(term)
        return found

    def _searched(self, term: str) -> int | None:
        key = self._key(term)
        hashes = self._hashes
        at = int(np.searchsorted(hashes, key))
        encoded: bytes | None = None
        while at < len(hashes) and hashes[at] == key:
            term_id = int(self._order[at])
            encoded = term.encode("utf-8") if encoded is None else encoded
            if self._line(term_id) == encoded:
                return term_id
            at += 1
        return None

    def looked_up(self, terms: Sequence[str | None]) -> list[int | None]:
        """``get`` for many terms, with one binary search over the saved hashes for all of them
        (a served index growing by a batch looks up about 200k distinct terms at 1M sentences)."""
        added = cast("Callable[[str | None], int | None]", partial(dict.get, self))  # not ``_find``
        known = list(map(added, terms))
        asked = [
            at
            for at, (term, found) in enumerate(zip(terms, known, strict=True))
            if found is None and term is not None
        ]
        if not asked or not self._stored:
            return known
        keys = np.fromiter(
            (self._key(cast(str, terms[at])) for at in asked), dtype=np.int64, count=len(asked)
        )
        hashes = self._hashes
        firsts = np.minimum(np.searchsorted(hashes, keys), len(hashes) - 1)
        hit = hashes[firsts] == keys
        for at, term_id, matched in zip(asked, self._order[firsts].tolist(), hit.tolist(), strict=True):
            if matched:
                term = cast(str, terms[at])
                # The first of equal hashes is most often the term; else a collision: search on.
                known[at] = term_id if self._line(term_id) == term.encode("utf-8") else self._searched(term)
        return known

    def _line(self, term_id: int) -> bytes:
        return self._text[int(self._starts[term_id]) : int(self._starts[term_id + 1]) - 1]

    def get(self, term: str, default: int | None = None) -> int | None:  # type: ignore[override]
        added = dict.get(self, term)
        if added is not None:
            return added
        found = self._find(term)
        return default if found is None else found

    def __contains__(self, term: object) -> bool:
        return isinstance(term, str) and self.get(term) is not None

    def __missing__(self, term: str) -> int:
        found = self._find(term)
        return self._appended(term) if found is None else found

    def _appended(self, term: str) -> int:
        self._added.append(term)
        return super()._appended(term)

    def __len__(self) -> int:
        return self._stored + dict.__len__(self)

    def __iter__(self) -> Iterator[str]:
        starts = self._starts.tolist()
        for term_id in range(self._stored):
            yield self._text[starts[term_id] : starts[term_id + 1] - 1].decode("utf-8")
        yield from list(self._added)

    def names(self, ids: list[int]) -> list[str] | None:
        named = self._named
        result = list(map(named.get, ids))
        if None in result:
            if len(named) >= _REMEMBERED_TERMS:
                named.clear()
            stored, added = self._stored, self._added
            for at, term_id in enumerate(ids):
                if result[at] is None:
                    name = (
                        self._line(term_id).decode("utf-8") if term_id < stored else added[term_id - stored]
                    )
                    result[at] = named[term_id] = name
        return result  # type: ignore[return-value]  # every None was filled


@dataclass(frozen=True, slots=True, eq=False)
class Segment:
    """Postings of one batch of documents, CSC by term id; doc ids are local (0 = its first)."""

    indptr: Int64Array  # term t's postings are [indptr[t], indptr[t + 1]); t beyond: none
    doc_ids: Int32Array
    term_freqs: NDArray[np.unsignedinteger[Any]] | Int32Array  # built: the smallest unsigned type
    doc_lengths: Int32Array

    @classmethod
    def from_tokens(cls, token_terms: Int32Array, lengths: Int32Array, term_count: int) -> Segment:
        """The segment of documents given as flat term ids and per-document token counts.

        A big batch is counted in runs of whole documents, each a segment, then concatenated (the
        same postings): sorting a million sentences' tokens at once took ~450 MB of keys and
        temporaries per field, a run takes a few tens.
        """
        let_answers_run()  # a batch added to a served index: answers in flight go first
        ends = np.cumsum(lengths, dtype=np.int64)
        total = int(ends[-1]) if len(ends) else 0
        if total <= _TOKENS_PER_RUN:
            return cls._counted(token_terms, lengths, term_count)
        cuts = np.unique(np.searchsorted(ends, np.arange(_TOKENS_PER_RUN, total, _TOKENS_PER_RUN)))
        doc_bounds = [0, *(int(cut) + 1 for cut in cuts if cut + 1 < len(lengths)), len(lengths)]
        runs = []
        for first, last in pairwise(doc_bounds):
            low = int(ends[first - 1]) if first else 0
            runs.append(cls._counted(token_terms[low : int(ends[last - 1])], lengths[first:last], term_count))
        return cls._concatenated(runs)

    @classmethod
    def _counted(cls, token_terms: Int32Array, lengths: Int32Array, term_count: int) -> Segment:
        terms, docs, freqs = count_postings(token_terms, lengths, 0)
        indptr = np.zeros(term_count + 1, dtype=np.int64)
        np.cumsum(np.bincount(terms, minlength=term_count), out=indptr[1:])
        return cls(indptr, docs, _smallest(freqs), np.ascontiguousarray(lengths, dtype=np.int32))

    @classmethod
    def concatenate(cls, segments: Sequence[Segment]) -> Segment:
        """One segment holding ``segments``' documents in order (numbers shifted, nothing dropped)."""
        return cls._concatenated(list(segments))

    @classmethod
    def _concatenated(cls, segments: list[Segment]) -> Segment:
        """``concatenate``, emptying ``segments``: each is let go once copied, so a caller that holds
        them only in that list never holds them all beside the result (a million sentences' runs
        were ~100 MB of the build's peak)."""
        if len(segments) == 1:
            return segments.pop()
        term_count = max(len(segment.indptr) - 1 for segment in segments)
        counts = np.zeros(term_count, dtype=np.int64)
        for segment in segments:
            counts[: len(segment.indptr) - 1] += np.diff(segment.indptr)
        indptr = np.zeros(term_count + 1, dtype=np.int64)
        np.cumsum(counts, out=indptr[1:])
        doc_ids = np.empty(int(indptr[-1]), dtype=np.int32)
        term_freqs = np.empty(int(indptr[-1]), dtype=np.result_type(*(s.term_freqs for s in segments)))
        filled = indptr[:-1].copy()  # next free position per term
        first_doc = 0
        lengths = np.concatenate([segment.doc_lengths for segment in segments])
        segments.reverse()  # popped from the end, in order
        while segments:
            segment = segments.pop()
            own = np.diff(segment.indptr)
            positions = np.repeat(filled[: len(own)] - segment.indptr[:-1], own)
            positions += np.arange(len(segment.doc_ids), dtype=np.int64)
            doc_ids[positions] = segment.doc_ids + first_doc
            term_freqs[positions] = segment.term_freqs
            filled[: len(own)] += own
            first_doc += segment.doc_count
            del segment, own, positions
        return cls(indptr, doc_ids, term_freqs, lengths)

    @property
    def doc_count(self) -> int:
        return len(self.doc_lengths)

    @property
    def term_count(self) -> int:
        return len(self.indptr) - 1

    def doc_freqs(self) -> Int64Array:
        return np.diff(self.indptr)

    def postings_of(self, docs: BoolArray) -> Int64Array:
        """Per term, how many of its postings are in documents where ``docs`` is True."""
        in_docs = docs[self.doc_ids]
        term_of_posting = np.repeat(np.arange(self.term_count, dtype=np.int64), self.doc_freqs())
        return np.bincount(term_of_posting[in_docs], minlength=self.term_count)


Pieces = tuple[tuple[int, Int32Array, Float64Array], ...]
# What ``_weight_pieces`` gives: per segment, (first number, live local doc ids, weights).
WeightPieces = Sequence[tuple[int, Int32Array, Float64Array]]


class _KeptWeights:
    """The most recently used terms' weight pieces of one index version, at most
    ``_CACHED_POSTINGS`` postings in all; safe to share between threads answering questions."""

    def __init__(self) -> None:
        self._pieces: OrderedDict[int, tuple[Pieces, int]] = OrderedDict()
        self._held = 0
        self._lock = threading.Lock()

    def get(self, term_id: int) -> Pieces | None:
        with self._lock:
            found = self._pieces.get(term_id)
            if found is None:
                return None
            self._pieces.move_to_end(term_id)
            return found[0]

    def put(self, term_id: int, pieces: Pieces, size: int) -> None:
        with self._lock:
            if term_id in self._pieces or size > _CACHED_POSTINGS:
                return
            while self._held + size > _CACHED_POSTINGS:
                _, (_, evicted) = self._pieces.popitem(last=False)
                self._held -= evicted
            self._pieces[term_id] = (pieces, size)
            self._held += size

    @property
    def postings(self) -> int:
        """Postings held."""
        return self._held

    def __contains__(self, term_id: int) -> bool:
        return term_id in self._pieces


@dataclass(frozen=True, slots=True, eq=False)
class FieldIndex:
    """One field's BM25 over segments; immutable, versions share segments and the term table."""

    params: BM25Params
    terms: TermIds
    segments: tuple[Segment, ...]
    live: tuple[BoolArray | None, ...]  # per segment; None: every document live
    offsets: Int64Array  # each segment's first document number, then the total
    doc_freqs: Int64Array  # live documents per term id
    doc_count: int  # live documents
    total_length: int  # tokens of the live documents
    idf: Float64Array
    average_idf: float
    norms: tuple[Float64Array, ...]  # per segment, K(d) of each document
    # Common terms' weight pieces in this version: questions repeat common words (about half the
    # look-ups), and weights change with every version, so the cache lives and dies with it.
    _kept: _KeptWeights = field(default_factory=lambda: _KeptWeights(), repr=False, compare=False)

    # ------------------------------------------------------------------ versions

    @classmethod
    def empty(cls, params: BM25Params, terms: TermIds | None = None) -> FieldIndex:
        return cls._with(params, terms if terms is not None else TermIds(), (), (), np.zeros(0, np.int64))

    def with_segment(self, segment: Segment) -> FieldIndex:
        """This index plus ``segment``'s documents, numbered after all current ones."""
        let_answers_run()  # tens of milliseconds on both cores at 1M sentences: answers in flight go first
        doc_freqs = _padded(self.doc_freqs, max(len(self.doc_freqs), segment.term_count))
        doc_freqs[: segment.term_count] += segment.doc_freqs()
        return self._with(self.params, self.terms, (*self.segments, segment), (*self.live, None), doc_freqs)

    def without(self, documents: Iterable[int]) -> FieldIndex:
        """This index with ``documents`` (numbers) deleted; already deleted ones are ignored."""
        doomed = np.unique(np.fromiter(documents, dtype=np.int64))
        doc_freqs = self.doc_freqs.copy()
        live = list(self.live)
        for number, segment in enumerate(self.segments):
            first, end = int(self.offsets[number]), int(self.offsets[number + 1])
            local = doomed[(doomed >= first) & (doomed < end)] - first
            if len(local) == 0:
                continue
            current = live[number]
            mask = np.ones(segment.doc_count, dtype=np.bool_) if current is None else current.copy()
            local = local[mask[local]]
            if len(local) == 0:
                continue
            dying = np.zeros(segment.doc_count, dtype=np.bool_)
            dying[local] = True
            doc_freqs[: segment.term_count] -= segment.postings_of(dying)
            mask[local] = False
            live[number] = mask
        return self._with(self.params, self.terms, self.segments, tuple(live), doc_freqs)

    def merged(self, first: int, last: int) -> FieldIndex:
        """Segments ``first..last`` as one (same document numbers, same scores): fewer slices per term."""
        if last - first < 1:
            return self
        let_answers_run()
        span = self.segments[first : last + 1]
        masks = [
            np.ones(segment.doc_count, np.bool_) if mask is None else mask
            for segment, mask in zip(span, self.live[first : last + 1], strict=True)
        ]
        all_live = all(mask is None for mask in self.live[first : last + 1])
        return self._with(
            self.params,
            self.terms,
            (*self.segments[:first], Segment.concatenate(span), *self.segments[last + 1 :]),
            (*self.live[:first], None if all_live else np.concatenate(masks), *self.live[last + 1 :]),
            self.doc_freqs,
        )

    @classmethod
    def _with(
        cls,
        params: BM25Params,
        terms: TermIds,
        segments: tuple[Segment, ...],
        live: tuple[BoolArray | None, ...],
        doc_freqs: Int64Array,
    ) -> FieldIndex:
        """A version with statistics and per-document norms computed for these live documents."""
        offsets = np.zeros(len(segments) + 1, dtype=np.int64)
        np.cumsum([segment.doc_count for segment in segments], out=offsets[1:])
        doc_count = sum(
            segment.doc_count if mask is None else int(np.count_nonzero(mask))
            for segment, mask in zip(segments, live, strict=True)
        )
        total_length = sum(
            int(segment.doc_lengths.sum(dtype=np.int64))
            if mask is None
            else int(segment.doc_lengths[mask].sum(dtype=np.int64))
            for segment, mask in zip(segments, live, strict=True)
        )
        # rank-bm25's vocabulary is the live corpus's: terms left only in deleted documents drop
        # out of the idf mean. The mean is summed in term-id (first occurrence) order, as it sums.
        present = doc_freqs > 0
        idf = np.zeros(len(doc_freqs), dtype=np.float64)
        idf[present], average_idf = okapi_idf(doc_freqs[present], doc_count, params.epsilon)
        norms: tuple[Float64Array, ...] = ()
        let_answers_run()
        if doc_count and total_length:
            avgdl = total_length / doc_count  # Python division, as rank-bm25 computes it
            norms = tuple(_norms(segment.doc_lengths, params, avgdl) for segment in segments)
        for array_ in (offsets, doc_freqs, idf, *norms):
            array_.flags.writeable = False
        return cls(
            params,
            terms,
            segments,
            live,
            offsets,
            doc_freqs,
            doc_count,
            total_length,
            idf,
            average_idf,
            norms,
        )

    # ------------------------------------------------------------------ queries

    @property
    def document_total(self) -> int:
        """Documents numbered in this index, deleted ones included."""
        return int(self.offsets[-1])

    def term_ids(self, query: Sequence[str]) -> list[int]:
        """Ids of the query terms some live document holds, in query order, repeats kept."""
        lookup = self.terms.get
        known = len(self.doc_freqs)
        ids = (lookup(term) for term in query)
        return [i for i in ids if i is not None and i < known and self.doc_freqs[i] > 0]

    def document_frequency(self, term: str) -> int:
        term_id = self.terms.get(term)
        return 0 if term_id is None or term_id >= len(self.doc_freqs) else int(self.doc_freqs[term_id])

    def term_idf(self, term: str) -> float | None:
        """The idf used in scoring, or None when no live document holds the term."""
        term_id = self.terms.get(term)
        if term_id is None or term_id >= len(self.doc_freqs) or self.doc_freqs[term_id] == 0:
            return None
        return float(self.idf[term_id])

    def scores(self, query: Sequence[str]) -> tuple[Int64Array, Float64Array]:
        """(documents, scores) of the live documents holding a query term, by ascending number.

        Every other live document scores exactly 0.0 (rank-bm25 adds nothing for a missing term).
        """
        return self.term_scores(self.term_ids(query))

    def term_scores(self, term_ids: Sequence[int]) -> tuple[Int64Array, Float64Array]:
        if not term_ids or not self.norms:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64)
        parts = [self._weights(term_id) for term_id in term_ids]
        if len(parts) == 1:
            return parts[0]
        docs = np.concatenate([docs for docs, _ in parts])
        weights = np.concatenate([weights for _, weights in parts])
        # A stable sort keeps query-term order within a document, so each sum adds in the order
        # rank-bm25 accumulates; the postings are sorted runs, which timsort merges in O(n log terms).
        order = np.argsort(docs, kind="stable")
        docs = docs[order]
        is_first = np.empty(len(docs), dtype=np.bool_)
        is_first[0] = True
        np.not_equal(docs[1:], docs[:-1], out=is_first[1:])
        starts = np.flatnonzero(is_first)
        return docs[starts], np.add.reduceat(weights[order], starts)

    def accumulate(
        self,
        term_ids: Sequence[int],
        scale: float,
        sums: Float64Array,
        seen: BoolArray,
        touched: Int64Array,
        count: int,
        numbers: tuple[int, int] | None = None,
        common: dict[int, WeightPieces] | None = None,
    ) -> int:
        """Add ``scale`` times each term's weight to ``sums[number]`` of each live document holding
        it, terms in the order given, in compiled passes that also list each number the first time it is touched: ``seen[number]`` is set and the number
        written to ``touched`` after its first ``count`` entries. Returns the new count, so the caller
        finds and resets what a question touched without scanning every number.

        ``numbers`` (lo, hi): only documents numbered lo <= n < hi are added, each exactly as without
        the bound (two threads may add disjoint ranges of one buffer). ``common``: the weight pieces of
        the common terms (``common_pieces``), so threads sharing a question compute none twice.

        A common term's weights are read from those this version keeps (computed once; adding read
        weights took a third to a half of the time of computing them again, 1M sentences), the
        others computed on the fly; either way each document's sum grows in query-term order.
        """
        if not term_ids or not self.norms:
            return count
        computed: list[int] = []  # consecutive rare terms, scattered together
        for term_id in term_ids:
            if self.doc_freqs[term_id] < _CACHED_FROM_POSTINGS:
                computed.append(term_id)
                continue
            count = self._scattered(computed, scale, sums, seen, touched, count, numbers)
            computed = []
            pieces = self._weight_pieces(term_id) if common is None else common[term_id]
            for first, docs, weights in pieces:
                if numbers is not None:
                    lo, hi = np.searchsorted(docs, (numbers[0] - first, numbers[1] - first)).tolist()
                    docs, weights = docs[lo:hi], weights[lo:hi]
                count = add_weights(docs, weights, first, scale, sums, seen, touched, count)
        return self._scattered(computed, scale, sums, seen, touched, count, numbers)

    def common_pieces(self, term_ids: Sequence[int]) -> dict[int, WeightPieces]:
        """The weight pieces ``accumulate`` reads for those of ``term_ids`` that are common terms."""
        return {
            term_id: self._weight_pieces(term_id)
            for term_id in term_ids
            if self.doc_freqs[term_id] >= _CACHED_FROM_POSTINGS
        }

    def keeps(self, term_id: int) -> bool:
        """Whether this version keeps the term's weight pieces (reading them costs next to nothing)."""
        return term_id in self._kept

    def _scattered(
        self,
        term_ids: list[int],
        scale: float,
        sums: Float64Array,
        seen: BoolArray,
        touched: Int64Array,
        count: int,
        numbers: tuple[int, int] | None,
    ) -> int:
        """``accumulate`` of ``term_ids``, their weights computed while adding, one pass per segment."""
        if not term_ids:
            return count
        ids = np.asarray(term_ids, dtype=np.int64)
        k1_plus_1 = self.params.k1 + 1
        for segment, mask, norms, first in zip(
            self.segments, self.live, self.norms, self.offsets.tolist(), strict=False
        ):
            held = ids[ids < segment.term_count]
            start, end = (
                (0, segment.doc_count) if numbers is None else _local(numbers, first, segment.doc_count)
            )
            if len(held) and start < end:
                cursors, stops = segment.indptr[held], segment.indptr[held + 1]
                if start > 0:  # each term's first posting at or after the range's first document
                    cursors = np.array(
                        [
                            c + np.searchsorted(segment.doc_ids[c:e], start)
                            for c, e in zip(cursors.tolist(), stops.tolist(), strict=True)
                        ],
                        dtype=np.int64,
                    )
                count = scatter(
                    Postings(segment.doc_ids, segment.term_freqs, norms, mask), cursors, stops, self.idf[held], end, first,
                    k1_plus_1, scale, sums, seen, touched, count,
                )  # fmt: skip
        return count

    def bm25_at(self, term_ids: Sequence[int], numbers: Int64Array) -> Float64Array:
        """The BM25 of ``term_ids`` (added in that order) of each of the documents ``numbers``
        (ascending): each term's weight where the document holds it, in turn, in one compiled pass per
        segment (binary searches in the postings: a few documents cost the same whatever the terms)."""
        into = np.zeros(len(numbers), dtype=np.float64)
        if not term_ids or not len(numbers):
            return into
        ids = np.asarray(term_ids, dtype=np.int64)
        k1_plus_1 = self.params.k1 + 1
        for segment, mask, norms, first, end in zip(
            self.segments, self.live, self.norms, self.offsets[:-1].tolist(), self.offsets[1:].tolist(),
            strict=False,
        ):  # fmt: skip
            held = ids[ids < segment.term_count]
            low, high = (
                (0, len(numbers))
                if len(self.segments) == 1
                else np.searchsorted(numbers, (first, end)).tolist()
            )
            if len(held) and low < high:
                kernel_weights_at(
                    Postings(segment.doc_ids, segment.term_freqs, norms, mask), segment.indptr[held], segment.indptr[held + 1],
                    self.idf[held], numbers[low:high] - first, k1_plus_1, into[low:high],
                )  # fmt: skip
        return into

    def _weights(self, term_id: int) -> tuple[Int64Array, Float64Array]:
        """The live postings of one term over all segments (document numbers), with their weights."""
        pieces = [
            (docs.astype(np.int64) + first, weights) for first, docs, weights in self._weight_pieces(term_id)
        ]
        if len(pieces) == 1:
            return pieces[0]
        if not pieces:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64)
        return np.concatenate([d for d, _ in pieces]), np.concatenate([w for _, w in pieces])

    def _weight_pieces(self, term_id: int) -> Sequence[tuple[int, Int32Array, Float64Array]]:
        """Per segment holding the term: (its first number, live local doc ids, BM25 weights).

        A common term's pieces are computed once per version and kept (read-only) while they
        are among the recently used (see ``_KeptWeights``).
        """
        kept = self._kept.get(term_id)
        if kept is not None:
            return kept
        pieces = tuple(self._computed_pieces(term_id))
        size = sum(len(docs) for _, docs, _ in pieces)
        if size >= _CACHED_FROM_POSTINGS:
            for _, docs, weights in pieces:
                docs.flags.writeable = False
                weights.flags.writeable = False
            self._kept.put(term_id, pieces, size)
        return pieces

    def _computed_pieces(self, term_id: int) -> Iterator[tuple[int, Int32Array, Float64Array]]:
        idf = self.idf[term_id]
        k1_plus_1 = self.params.k1 + 1
        for segment, mask, norms, first in zip(
            self.segments, self.live, self.norms, self.offsets.tolist(), strict=False
        ):
            if term_id >= segment.term_count:
                continue
            start, end = int(segment.indptr[term_id]), int(segment.indptr[term_id + 1])
            if start == end:
                continue
            docs, weights = okapi_weights(
                Postings(segment.doc_ids, segment.term_freqs, norms, mask), start, end, float(idf), k1_plus_1
            )
            yield first, docs, weights

    def live_numbers(self) -> Int64Array:
        """Numbers of the live documents, ascending."""
        parts = [
            np.arange(first, first + segment.doc_count, dtype=np.int64)
            if mask is None
            else np.flatnonzero(mask) + first
            for segment, mask, first in zip(self.segments, self.live, self.offsets.tolist(), strict=False)
        ]
        return np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)

    def dense_scores(self, query: Sequence[str]) -> Float64Array:
        """Scores of every live document in order: what ``BM25Okapi(live corpus).get_scores`` returns."""
        live = self.live_numbers()
        result = np.zeros(len(live), dtype=np.float64)
        docs, scores = self.scores(query)
        result[np.searchsorted(live, docs)] = scores
        return result

    # ------------------------------------------------------------------ persistence

    def save(self, directory: Path, *, with_terms: bool = True) -> None:
        """Write one merged segment, its live mask and the term table (ids are list positions).

        ``with_terms=False`` leaves the table out, for a field that shares another's.
        """
        directory.mkdir(parents=True, exist_ok=True)
        whole = self.merged(0, len(self.segments) - 1) if self.segments else self
        segment = (
            whole.segments[0]
            if whole.segments
            else Segment.from_tokens(np.zeros(0, np.int32), np.zeros(0, np.int32), 0)
        )
        mask = (
            whole.live[0]
            if whole.live and whole.live[0] is not None
            else np.ones(segment.doc_count, np.bool_)
        )
        arrays: dict[str, NDArray[Any]] = {
            "indptr": segment.indptr,
            "doc_ids": segment.doc_ids,
            "term_freqs": _smallest(segment.term_freqs),
            "doc_lengths": segment.doc_lengths,
            "live": mask,
        }
        for name, values in arrays.items():
            np.save(directory / f"{name}.npy", values, allow_pickle=False)
        if with_terms:
            (directory / "terms.txt").write_text("\n".join(list(self.terms)), encoding="utf-8")
        (directory / "params.txt").write_text(
            f"{self.params.k1!r} {self.params.b!r} {self.params.epsilon!r}", encoding="utf-8"
        )

    @classmethod
    def load(cls, directory: Path, *, terms: TermIds | None = None) -> FieldIndex:
        """Read what :meth:`save` wrote; the postings are memory-mapped, not read.

        ``terms`` is the shared table of a field saved ``with_terms=False``.
        """
        try:
            arrays = {
                # Plain arrays over the maps: a ``memmap`` index or slice costs a Python call.
                name: np.asarray(np.load(directory / f"{name}.npy", mmap_mode="r", allow_pickle=False))
                for name in _SEGMENT_ARRAYS
            }
            if terms is None:
                terms = StoredTermIds.read(directory / "terms.txt")
            k1, b, epsilon = (float(value) for value in (directory / "params.txt").read_text().split())
        except (OSError, ValueError) as error:
            raise IndexFormatError(f"unreadable field index in {directory}: {error}") from error
        segment = Segment(arrays["indptr"], arrays["doc_ids"], arrays["term_freqs"], arrays["doc_lengths"])
        if (
            len(terms) < segment.term_count
            or len(segment.doc_ids) != len(segment.term_freqs)
            or int(segment.indptr[-1]) != len(segment.doc_ids)
            or len(arrays["live"]) != segment.doc_count
        ):
            raise IndexFormatError(f"field index in {directory} is inconsistent")
        index = cls.empty(BM25Params(k1=k1, b=b, epsilon=epsilon), terms).with_segment(segment)
        live = np.asarray(arrays["live"], dtype=np.bool_)
        return index if bool(live.all()) else index.without(np.flatnonzero(~live))


def _smallest(term_freqs: NDArray[Any]) -> NDArray[Any]:
    """``term_freqs`` in the smallest unsigned type that holds them (uint8 for nearly every
    sentence field): a quarter of the memory while building and serving, and fewer pages of the
    memory-mapped postings for a question to touch. Scores convert them to float64, so they are
    exactly the same."""
    top = int(term_freqs.max()) if len(term_freqs) else 0
    return term_freqs.astype(np.min_scalar_type(top), copy=False)


def _padded(values: Int64Array, length: int) -> Int64Array:
    result = np.zeros(length, dtype=np.int64)
    result[: len(values)] = values
    return result


def _norms(doc_lengths: Int32Array, params: BM25Params, avgdl: float) -> Float64Array:
    """``k1 * (1 - b + b * |d| / avgdl)`` per document, in rank-bm25's order of operations."""
    norms = params.b * doc_lengths.astype(np.float64)
    norms /= avgdl
    norms += 1 - params.b
    norms *= params.k1
    return norms


def _local(numbers: tuple[int, int], first: int, doc_count: int) -> tuple[int, int]:
    """The local document range of a segment starting at number ``first`` within ``numbers``."""
    return max(numbers[0] - first, 0), min(numbers[1] - first, doc_count)
