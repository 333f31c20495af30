"""Compiled loops of the search: scattering postings' BM25 weights, gathering what they touched.

A question's cost is its terms' postings. In numpy each term took a gather of norms, five array
operations for the Okapi weights, a scattered add and a scattered flag, then a scan of a flag per
sentence to find the touched ones; here one pass over the postings computes each weight where it is
added and lists each position the first time it is touched, so nothing scans every sentence and only
what was touched is reset.

The floats are numpy's: ``idf * (tf * (k1 + 1) / (tf + K(d)))`` in rank-bm25's operations and
order (the numpy form is in ``tests/retrieval/reference_scores.py``), times the field's scale, added
to a position's sum in query-term order (numba compiles without fast-math, so no operation is
reassociated or fused).

Compiled on first import and kept on disk (``cache=True``): beside this module when its folder is
writable, else in numba's user cache or, failing that, a temporary folder. The signatures are
explicit, so a clean checkout compiles each once (about a second in all) and nothing more later.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
from numpy.typing import NDArray


def _cache_dir() -> str | None:
    """Where compiled kernels go when numba's own choices (this folder, then the user's cache) are
    not writable: a per-user temporary folder. None: numba's choice works."""
    if os.environ.get("NUMBA_CACHE_DIR") or os.access(Path(__file__).parent, os.W_OK):
        return None
    user_cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    if os.access(user_cache, os.W_OK) or (not user_cache.exists() and os.access(user_cache.parent, os.W_OK)):
        return None
    return str(Path(tempfile.gettempdir()) / f"newsbot-numba-{os.getuid() if hasattr(os, 'getuid') else 0}")


_fallback = _cache_dir()
if _fallback is not None:
    os.environ["NUMBA_CACHE_DIR"] = _fallback  # numba reads it when first imported, just below

import numba  # noqa: E402  (after the cache folder is settled)
from numba import types  # noqa: E402

_IN_FLOATS = types.Array(types.float64, 1, "C", readonly=True)
_IN_INT32 = types.Array(types.int32, 1, "C", readonly=True)
_IN_INT64 = types.Array(types.int64, 1, "C", readonly=True)
_IN_BOOLS = types.Array(types.bool_, 1, "C", readonly=True)
_FLOATS = types.float64[::1]
_BOOLS = types.bool_[::1]
_INT64 = types.int64[::1]
# Term frequencies are stored in the smallest unsigned type that holds them (``segments._smallest``):
# uint8 in practice, uint16 for a word said 256 times in one document. Each signature costs ~40 ms of
# every start (loading it); any other type is compiled only if it ever comes (``_any_type``).
_FREQUENCY_TYPES: tuple[Any, ...] = (np.uint8, np.uint16)


# Documents whose sums and norms (16 bytes each) the scatter keeps in a core's cache at once.
_BLOCK_DOCUMENTS = 1 << 14


def _scatter_signature(frequency: Any) -> Any:
    freqs = types.Array(numba.from_dtype(np.dtype(frequency)), 1, "C", readonly=True)
    return types.int64(
        _IN_INT32, freqs, _IN_FLOATS, _IN_BOOLS, _INT64, _IN_INT64, _IN_FLOATS,
        types.int64, types.int64, types.float64, types.float64, _FLOATS, _BOOLS, _INT64, types.int64,
    )  # fmt: skip


@numba.njit([_scatter_signature(f) for f in _FREQUENCY_TYPES], cache=True, nogil=True, boundscheck=False)
def _scatter(  # pragma: no cover - compiled; run through ``scatter``
    doc_ids: Any, term_freqs: Any, norms: Any, live: Any, cursors: Any, stops: Any, idfs: Any,
    doc_end: int, first: int, k1_plus_1: float, scale: float, sums: Any, seen: Any, touched: Any, count: int,
) -> int:  # fmt: skip
    masked = len(live) > 0
    block_end = doc_end
    for term in range(len(cursors)):
        if cursors[term] < stops[term]:
            block_end = min(block_end, doc_ids[cursors[term]])
    # Document-blocked: every term's postings in one block of documents, then the next block, so the
    # block's sums and norms stay in cache while each term adds to them (term after term, sweeping a
    # million sums per term spent most of its time waiting for memory).
    while block_end < doc_end:
        block_end = min(block_end + _BLOCK_DOCUMENTS, doc_end)
        for term in range(len(cursors)):
            posting, stop = cursors[term], stops[term]
            idf = idfs[term]
            while posting < stop:
                doc = doc_ids[posting]
                if doc >= block_end:
                    break
                posting += 1
                if masked and not live[doc]:
                    continue
                tf = np.float64(term_freqs[posting - 1])
                weight = tf * k1_plus_1 / (tf + norms[doc]) * idf
                position = first + doc
                sums[position] += weight * scale
                if not seen[position]:
                    seen[position] = True
                    touched[count] = position
                    count += 1
            cursors[term] = posting
    return count


def _weights_signature(frequency: Any) -> Any:
    freqs = types.Array(numba.from_dtype(np.dtype(frequency)), 1, "C", readonly=True)
    return types.int64(
        _IN_INT32, freqs, _IN_FLOATS, _IN_BOOLS, types.int64, types.int64, types.float64, types.float64,
        types.int32[::1], _FLOATS,
    )  # fmt: skip


@numba.njit([_weights_signature(f) for f in _FREQUENCY_TYPES], cache=True, nogil=True, boundscheck=False)
def _okapi_weights(  # pragma: no cover - compiled; run through ``okapi_weights``
    doc_ids: Any, term_freqs: Any, norms: Any, live: Any, start: int, stop: int, idf: float,
    k1_plus_1: float, docs: Any, weights: Any,
) -> int:  # fmt: skip
    masked = len(live) > 0
    kept = 0
    for posting in range(start, stop):
        doc = doc_ids[posting]
        if masked and not live[doc]:
            continue
        tf = np.float64(term_freqs[posting])
        if masked:
            docs[kept] = doc
        weights[kept] = tf * k1_plus_1 / (tf + norms[doc]) * idf
        kept += 1
    return kept


@numba.njit(
    [types.int64(_IN_INT32, _IN_FLOATS, types.int64, types.float64, _FLOATS, _BOOLS, _INT64, types.int64)],
    cache=True,
    nogil=True,
    boundscheck=False,
)
def _add_weights(  # pragma: no cover - compiled; run through ``add_weights``
    doc_ids: Any, weights: Any, first: int, scale: float, sums: Any, seen: Any, touched: Any, count: int
) -> int:
    for posting in range(len(doc_ids)):
        position = first + doc_ids[posting]
        sums[position] += weights[posting] * scale
        if not seen[position]:
            seen[position] = True
            touched[count] = position
            count += 1
    return count


@numba.njit(
    [types.void(types.float64[:, ::1], _BOOLS, _IN_INT64, types.float64[:, ::1], types.int64)],
    cache=True,
    nogil=True,
    boundscheck=False,
)
def _take_and_clear(sums: Any, seen: Any, positions: Any, into: Any, offset: int) -> None:  # pragma: no cover
    for k in range(len(positions)):
        position = positions[k]
        for row in range(sums.shape[0]):
            into[row, offset + k] = sums[row, position]
            sums[row, position] = 0.0
        seen[position] = False


@numba.njit(
    [
        types.int64(
            types.float64[:, ::1],
            _BOOLS,
            types.int64,
            types.int64,
            _INT64,
            types.float64[:, ::1],
            types.int64,
        )
    ],
    cache=True,
    nogil=True,
    boundscheck=False,
)
def _take_flagged(  # pragma: no cover - compiled; run through ``take_flagged``
    sums: Any, seen: Any, lo: int, hi: int, positions: Any, into: Any, offset: int
) -> int:
    # Listed without a branch (about half the flags are set: a branch per flag mispredicts), then
    # gathered in order.
    # ``positions`` holds exactly the flagged ones: once full, a write would pass its end.
    k = 0
    room = len(positions)
    for position in range(lo, hi):
        if k < room:
            positions[k] = position
            k += seen[position]
    for j in range(k):
        position = positions[j]
        for row in range(sums.shape[0]):
            into[row, offset + j] = sums[row, position]
            sums[row, position] = 0.0
        seen[position] = False
    return k


def _lookup_signature(frequency: Any) -> Any:
    freqs = types.Array(numba.from_dtype(np.dtype(frequency)), 1, "C", readonly=True)
    return types.void(
        _IN_INT32, freqs, _IN_FLOATS, _IN_BOOLS, _IN_INT64, _IN_INT64, _IN_FLOATS, _IN_INT64, types.float64,
        _FLOATS,
    )  # fmt: skip


@numba.njit([_lookup_signature(f) for f in _FREQUENCY_TYPES], cache=True, nogil=True, boundscheck=False)
def _weights_at(  # pragma: no cover - compiled; run through ``weights_at``
    doc_ids: Any, term_freqs: Any, norms: Any, live: Any, starts: Any, stops: Any, idfs: Any, docs: Any,
    k1_plus_1: float, into: Any,
) -> None:  # fmt: skip
    masked = len(live) > 0
    for term in range(len(starts)):
        low, stop = starts[term], stops[term]
        idf = idfs[term]
        for k in range(len(docs)):  # ascending: each search starts where the previous one ended
            doc = docs[k]
            high = stop
            while low < high:
                middle = (low + high) >> 1
                if doc_ids[middle] < doc:
                    low = middle + 1
                else:
                    high = middle
            if low == stop:
                break
            if doc_ids[low] != doc or (masked and not live[doc]):
                continue
            tf = np.float64(term_freqs[low])
            into[k] += tf * k1_plus_1 / (tf + norms[doc]) * idf


_LAZY: dict[Any, Any] = {}


def _any_type(kernel: Any) -> Any:
    """``kernel`` compiled for whatever types it is given (first call: compiled, then cached)."""
    lazy = _LAZY.get(kernel)
    if lazy is None:
        lazy = _LAZY[kernel] = numba.njit(cache=True, nogil=True)(kernel.py_func)
    return lazy


def _for_frequencies(kernel: Any, term_freqs: NDArray[Any]) -> Any:
    """``kernel`` as compiled ahead for the usual term-frequency types, else for ``term_freqs``' own."""
    return kernel if term_freqs.dtype in _FREQUENCY_TYPES else _any_type(kernel)


_NO_DOCUMENTS_MASKED: NDArray[np.bool_] = np.zeros(0, dtype=np.bool_)


class Postings(NamedTuple):
    """One segment's postings as the kernels read them, with what weighs them."""

    doc_ids: NDArray[np.int32]
    term_freqs: NDArray[Any]
    norms: NDArray[np.float64]  # K(d) of each of the segment's documents
    live: NDArray[np.bool_] | None  # None: every document live

    def columns(self) -> tuple[NDArray[Any], ...]:
        """The four arrays as a kernel takes them (an empty mask for "all live")."""
        return (
            self.doc_ids,
            self.term_freqs,
            self.norms,
            _NO_DOCUMENTS_MASKED if self.live is None else self.live,
        )


def scatter(
    postings: Postings,
    cursors: NDArray[np.int64],
    stops: NDArray[np.int64],
    idfs: NDArray[np.float64],
    doc_end: int,
    first: int,
    k1_plus_1: float,
    scale: float,
    sums: NDArray[np.float64],
    seen: NDArray[np.bool_],
    touched: NDArray[np.int64],
    count: int,
) -> int:
    """Add ``scale`` times the Okapi weight of each posting ``cursors[t]:stops[t]`` of one segment
    whose document is below ``doc_end`` (documents ``live`` is False for skipped; None: all live) to
    ``sums[first + doc]``, each position's terms in order; ``cursors`` advance past what was added.
    A position not yet ``seen`` is flagged and listed in ``touched`` after its first ``count``
    entries. Returns the new count."""
    kernel = _for_frequencies(_scatter, postings.term_freqs)
    result: int = kernel(
        *postings.columns(), cursors, stops, idfs,
        doc_end, first, k1_plus_1, scale, sums, seen, touched, count,
    )  # fmt: skip
    return result


def okapi_weights(
    postings: Postings,
    start: int,
    stop: int,
    idf: float,
    k1_plus_1: float,
) -> tuple[NDArray[np.int32], NDArray[np.float64]]:
    """The live documents of postings ``start:stop`` of one segment and their Okapi weights, the
    floats ``scatter`` adds (the numpy formula in one pass, without temporaries)."""
    kernel = _for_frequencies(_okapi_weights, postings.term_freqs)
    # Every document live: the postings' own doc ids (a view, no copy) go with the weights.
    docs = np.empty(0 if postings.live is None else stop - start, dtype=np.int32)
    weights = np.empty(stop - start, dtype=np.float64)
    kept = kernel(
        *postings.columns(), start, stop, idf,
        k1_plus_1, docs, weights,
    )  # fmt: skip
    return (postings.doc_ids[start:stop] if postings.live is None else docs[:kept]), weights[:kept]


def add_weights(
    doc_ids: NDArray[np.int32],
    weights: NDArray[np.float64],
    first: int,
    scale: float,
    sums: NDArray[np.float64],
    seen: NDArray[np.bool_],
    touched: NDArray[np.int64],
    count: int,
) -> int:
    """``scatter`` for weights already computed (a common term's, kept by its index): add ``scale``
    times ``weights[i]`` to ``sums[first + doc_ids[i]]``, flagging and listing new positions."""
    result: int = _add_weights(doc_ids, weights, first, scale, sums, seen, touched, count)
    return result


def take_and_clear(
    sums: NDArray[np.float64], seen: NDArray[np.bool_], positions: NDArray[np.int64]
) -> NDArray[np.float64]:
    """``sums[:, positions]`` (one row per row of ``sums``), zeroing those columns and clearing
    ``seen`` at ``positions``: the scratch is as it was before the question."""
    into = np.empty((sums.shape[0], len(positions)), dtype=np.float64)
    _take_and_clear(sums, seen, positions, into, 0)
    return into


def take_and_clear_into(
    sums: NDArray[np.float64],
    seen: NDArray[np.bool_],
    positions: NDArray[np.int64],
    into: NDArray[np.float64],
    offset: int,
) -> None:
    """``take_and_clear`` writing column k to column ``offset + k`` of ``into``."""
    _take_and_clear(sums, seen, positions, into, offset)


def take_flagged(
    sums: NDArray[np.float64],
    seen: NDArray[np.bool_],
    lo: int,
    hi: int,
    positions: NDArray[np.int64],
    into: NDArray[np.float64],
    offset: int,
) -> int:
    """``take_and_clear_into`` of the positions lo <= p < hi that ``seen`` flags, found by one scan of
    the flags (ascending) and written to ``positions``, which has room for them all and no more.
    Returns how many."""
    taken: int = _take_flagged(sums, seen, lo, hi, positions, into, offset)
    return taken


@numba.njit(
    [types.int64(_IN_INT32, _IN_INT64, _IN_FLOATS, _INT64, _FLOATS, types.int32[::1])],
    cache=True,
    nogil=True,
    boundscheck=False,
)
def _article_runs(  # pragma: no cover - compiled; run through ``article_runs``
    owner: Any, positions: Any, own: Any, starts: Any, highest: Any, articles: Any
) -> int:
    runs = 0
    previous = -1
    for k in range(len(positions)):
        article = owner[positions[k]]
        if k == 0 or article != previous:
            starts[runs] = k
            highest[runs] = own[k]
            articles[runs] = article
            runs += 1
            previous = article
        elif own[k] > highest[runs - 1]:  # np.maximum keeps the first of equals, as here
            highest[runs - 1] = own[k]
    return runs


def article_runs(
    owner: NDArray[np.int32], positions: NDArray[np.int64], own: NDArray[np.float64]
) -> tuple[NDArray[np.int64], NDArray[np.float64], NDArray[np.int32]]:
    """The runs of ``positions`` (ascending) in one article (``owner`` of a position): where each
    starts, the highest ``own`` in it and its article; one pass, without ``owner[positions]``
    (numpy's flags of a change, ``flatnonzero`` and ``maximum.reduceat``: the same values)."""
    starts = np.empty(len(positions), dtype=np.int64)
    highest = np.empty(len(positions), dtype=np.float64)
    articles = np.empty(len(positions), dtype=np.int32)
    runs = _article_runs(owner, positions, own, starts, highest, articles)
    return starts[:runs], highest[:runs], articles[:runs]


def weights_at(
    postings: Postings,
    starts: NDArray[np.int64],
    stops: NDArray[np.int64],
    idfs: NDArray[np.float64],
    docs: NDArray[np.int64],
    k1_plus_1: float,
    into: NDArray[np.float64],
) -> None:
    """Add to ``into[k]`` the Okapi weight (``scatter``'s floats, scale 1) of each term (postings
    ``starts[t]:stops[t]`` of one segment) in document ``docs[k]`` (ascending), terms in order;
    nothing where the document lacks the term or is not ``live`` (None: all live). Binary searches:
    a few documents cost the same whatever the terms' frequencies."""
    kernel = _for_frequencies(_weights_at, postings.term_freqs)
    kernel(
        *postings.columns(), starts, stops, idfs, docs,
        k1_plus_1, into,
    )  # fmt: skip
