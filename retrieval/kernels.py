"""Compiled loops of the search: scattering postings' BM25 weights, gathering what they touched.

A question's cost is its terms' postings. In numpy each term took a gather of norms, five array
operations for the Okapi weights, a scattered add and a scattered flag, then a scan of a flag per
sentence to find the touched ones; here one pass over the postings computes each weight where it is
added and lists each position the first time it is touched, so nothing scans every sentence and only
what was touched is reset.

The floats are numpy's: ``idf * (tf * (k1 + 1) / (tf + K(d)))`` in the operations and order of
``segments._okapi_weights``, times the field's scale, added to a position's sum in query-term order
(numba compiles without fast-math, so no operation is reassociated or fused).

Compiled on first import and kept on disk (``cache=True``): beside this module when its folder is
writable, else in numba's user cache or, failing that, a temporary folder. The signatures are
explicit, so a clean checkout compiles each once (about a second in all) and nothing more later.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

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
    [types.void(types.float64[:, ::1], _BOOLS, _IN_INT64, types.float64[:, ::1])],
    cache=True,
    nogil=True,
    boundscheck=False,
)
def _take_and_clear(sums: Any, seen: Any, positions: Any, into: Any) -> None:  # pragma: no cover
    for k in range(len(positions)):
        position = positions[k]
        for row in range(sums.shape[0]):
            into[row, k] = sums[row, position]
            sums[row, position] = 0.0
        seen[position] = False


_LAZY: dict[Any, Any] = {}


def _any_type(kernel: Any) -> Any:
    """``kernel`` compiled for whatever types it is given (first call: compiled, then cached)."""
    lazy = _LAZY.get(kernel)
    if lazy is None:
        lazy = _LAZY[kernel] = numba.njit(cache=True, nogil=True)(kernel.py_func)
    return lazy


_NO_DOCUMENTS_MASKED: NDArray[np.bool_] = np.zeros(0, dtype=np.bool_)


def scatter(
    doc_ids: NDArray[np.int32],
    term_freqs: NDArray[Any],
    norms: NDArray[np.float64],
    live: NDArray[np.bool_] | None,
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
    kernel = _scatter if term_freqs.dtype in _FREQUENCY_TYPES else _any_type(_scatter)
    result: int = kernel(
        doc_ids, term_freqs, norms, _NO_DOCUMENTS_MASKED if live is None else live, cursors, stops, idfs,
        doc_end, first, k1_plus_1, scale, sums, seen, touched, count,
    )  # fmt: skip
    return result


def okapi_weights(
    doc_ids: NDArray[np.int32],
    term_freqs: NDArray[Any],
    norms: NDArray[np.float64],
    live: NDArray[np.bool_] | None,
    start: int,
    stop: int,
    idf: float,
    k1_plus_1: float,
) -> tuple[NDArray[np.int32], NDArray[np.float64]]:
    """The live documents of postings ``start:stop`` of one segment and their Okapi weights, the
    floats ``scatter`` adds (numpy's ``segments._okapi_weights`` in one pass, without temporaries)."""
    kernel = _okapi_weights if term_freqs.dtype in _FREQUENCY_TYPES else _any_type(_okapi_weights)
    # Every document live: the postings' own doc ids (a view, no copy) go with the weights.
    docs = np.empty(0 if live is None else stop - start, dtype=np.int32)
    weights = np.empty(stop - start, dtype=np.float64)
    kept = kernel(
        doc_ids, term_freqs, norms, _NO_DOCUMENTS_MASKED if live is None else live, start, stop, idf,
        k1_plus_1, docs, weights,
    )  # fmt: skip
    return (doc_ids[start:stop] if live is None else docs[:kept]), weights[:kept]


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
    _take_and_clear(sums, seen, positions, into)
    return into
