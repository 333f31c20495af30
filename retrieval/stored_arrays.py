"""Saved ``.npy`` arrays read a few rows at a time with ``os.pread``, instead of memory-mapped.

A question reads the words of some ninety sentences scattered over the forward index (tens of
millions of tokens at a million sentences). Memory-mapped, each read made far more resident than
it used: on this kernel (6.18, ext4) the page cache holds a file in folios of up to 2 MB and a
fault maps the whole folio, so 300 questions mapped nearly all of every forward-index array
(~455 MB at a million sentences). Read with ``pread``, the pages stay in the kernel's page cache
(shared, dropped under memory pressure), and the process holds only the rows it asked for.
"""

from __future__ import annotations

import copy
import os
import weakref
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from retrieval.errors import IndexFormatError

Int64Array = NDArray[np.int64]


class _OpenFile:
    """A read-only file descriptor, closed when no array reads it any more."""

    def __init__(self, path: Path) -> None:
        self.fd = os.open(path, os.O_RDONLY)
        weakref.finalize(self, os.close, self.fd)


class StoredInts:
    """A 1-D integer array saved by ``np.save``, read on demand, plus elements appended in memory.

    ``rows`` and slices return fresh numpy arrays; ``extended`` shares the file and appends to a
    copy of the in-memory tail only (an index grown by adds keeps reading its saved part from
    disk); ``np.asarray`` reads the whole array (what saving the index again needs).
    """

    def __init__(self, path: Path) -> None:
        try:
            with open(path, "rb") as handle:
                major, _ = np.lib.format.read_magic(handle)
                read_header = (
                    np.lib.format.read_array_header_1_0 if major == 1 else np.lib.format.read_array_header_2_0
                )
                shape, fortran_order, dtype = read_header(handle)
                self._offset = handle.tell()
            self._file = _OpenFile(path)
        except (OSError, ValueError) as error:
            raise IndexFormatError(f"unreadable array {path}: {error}") from error
        if len(shape) != 1 or fortran_order or dtype.kind not in "iu" or dtype.hasobject:
            raise IndexFormatError(f"{path} is not a one-dimensional integer array")
        self.dtype: np.dtype[Any] = dtype
        self._stored = int(shape[0])
        self._tail: NDArray[Any] = np.zeros(0, dtype=dtype)
        if os.fstat(self._file.fd).st_size < self._offset + self._stored * dtype.itemsize:
            raise IndexFormatError(f"{path} is shorter than its header says")

    def extended(self, values: NDArray[Any]) -> StoredInts:
        """This array followed by ``values`` (this one is left as it is)."""
        grown = copy.copy(self)
        grown._tail = np.concatenate([self._tail, values.astype(self.dtype, copy=False)])
        return grown

    def __len__(self) -> int:
        return self._stored + len(self._tail)

    @property
    def shape(self) -> tuple[int]:
        return (len(self),)

    def __getitem__(self, key: slice) -> NDArray[Any]:
        start, stop, step = key.indices(len(self))
        if step != 1:
            raise ValueError("only contiguous slices are read")
        return np.frombuffer(self._bytes(start, max(start, stop)), dtype=self.dtype)

    def rows(self, first: Int64Array, counts: Int64Array) -> NDArray[Any]:
        """Elements ``[first[r], first[r] + counts[r])`` of every row ``r``, concatenated in order."""
        return self.read(RowReads.of(first, counts))

    def read(self, reads: RowReads) -> NDArray[Any]:
        """The rows ``reads`` was made for, concatenated in their order."""
        if len(self._tail) or len(reads.starts) <= 1:
            data = b"".join(map(self._bytes, reads.starts, reads.stops))
        else:  # the saved part only: one ``pread`` a span, no call between
            size, offset, fd, pread = self.dtype.itemsize, self._offset, self._file.fd, os.pread
            data = b"".join(
                [
                    pread(fd, (stop - start) * size, offset + start * size)
                    for start, stop in zip(reads.starts, reads.stops, strict=True)
                ]
            )
        spans = np.frombuffer(data, dtype=self.dtype)
        return spans if reads.elements is None else spans[reads.elements]

    def _bytes(self, start: int, stop: int) -> bytes:
        """Elements ``[start, stop)``: the saved ones read from the file, the appended ones copied."""
        size, stored = self.dtype.itemsize, self._stored
        data = b""
        if start < stored:
            end = min(stop, stored)
            data = os.pread(self._file.fd, (end - start) * size, self._offset + start * size)
        if stop > stored:
            data += self._tail[max(start, stored) - stored : stop - stored].tobytes()
        return data

    def __array__(self, dtype: Any = None, copy: bool | None = None) -> NDArray[Any]:
        whole = np.frombuffer(self._bytes(0, len(self)), dtype=self.dtype)
        return whole if dtype is None else whole.astype(dtype)


@dataclass(frozen=True, slots=True)
class RowReads:
    """How to read some rows of any column of the same length: spans, and where each row sits in them.

    Rows close together (a sentence and its neighbours, sentences of one article) are read as one
    span: at a million sentences a question's ~42 rows per gather make ~14 spans, and each span
    costs a ``pread`` per column.
    """

    starts: list[int]  # spans to read, ascending and apart
    stops: list[int]
    elements: Int64Array | None  # the result's elements in the spans read one after another; None: all

    @classmethod
    def of(cls, first: Int64Array, counts: Int64Array) -> RowReads:
        """Reads of rows ``[first[r], first[r] + counts[r])``."""
        if len(first) == 0:
            return cls([], [], None)
        order = np.argsort(first, kind="stable")
        low, high = first[order], (first + counts)[order]
        reach = np.maximum.accumulate(high)  # the end of everything before, sorted
        opens = np.ones(len(low), dtype=np.bool_)
        opens[1:] = low[1:] > reach[:-1] + _SPAN_GAP
        span_of_sorted = np.cumsum(opens) - 1
        starts = low[opens]
        stops = np.maximum.reduceat(high, np.flatnonzero(opens))
        read_before = np.concatenate([[0], np.cumsum(stops - starts)[:-1]])  # elements of earlier spans
        span = np.empty(len(first), dtype=np.int64)
        span[order] = span_of_sorted
        at = read_before[span] + first - starts[span]  # where each row starts in what was read
        row_starts = np.zeros(len(first) + 1, dtype=np.int64)
        np.cumsum(counts, out=row_starts[1:])
        elements = np.arange(int(row_starts[-1]), dtype=np.int64) + np.repeat(at - row_starts[:-1], counts)
        return cls(starts.tolist(), stops.tolist(), elements)


# Rows at most this many elements apart are read in one span (4 KB of int32: a page, as cheap as a call).
_SPAN_GAP = 1024
