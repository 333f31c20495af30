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
        """Elements ``[first[r], first[r] + counts[r])`` of every row ``r``, concatenated in order.

        Rows that continue one another (a sentence and its neighbour) are read at once.
        """
        if len(first) == 0:
            return np.zeros(0, dtype=self.dtype)
        return self.runs(*row_runs(first, counts))

    def runs(self, starts: list[int], stops: list[int]) -> NDArray[Any]:
        """Elements ``[starts[k], stops[k])`` of every run ``k``, concatenated (see ``row_runs``)."""
        if len(self._tail) or len(starts) == 1:
            data = b"".join(map(self._bytes, starts, stops))
        else:  # the saved part only: one ``pread`` a run, no call between (a question reads ~250)
            size, offset, fd, pread = self.dtype.itemsize, self._offset, self._file.fd, os.pread
            data = b"".join(
                [
                    pread(fd, (stop - start) * size, offset + start * size)
                    for start, stop in zip(starts, stops, strict=True)
                ]
            )
        return np.frombuffer(data, dtype=self.dtype)

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


def row_runs(first: Int64Array, counts: Int64Array) -> tuple[list[int], list[int]]:
    """Rows ``[first[r], first[r] + counts[r])`` as runs to read: a row that continues the one
    before it (a sentence and its neighbour) joins its run."""
    if len(first) == 0:
        return [], []
    ends = first + counts
    cuts = np.flatnonzero(first[1:] != ends[:-1]) + 1
    starts = first[np.concatenate([[0], cuts])].tolist()
    stops = ends[np.concatenate([cuts - 1, [len(first) - 1]])].tolist()
    return starts, stops
