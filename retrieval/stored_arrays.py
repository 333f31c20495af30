"""Saved ``.npy`` arrays read a few rows at a time with ``os.pread``, instead of memory-mapped.

A question reads the words of some ninety sentences scattered over the forward index (tens of
millions of tokens at a million sentences). Memory-mapped, each read made far more resident than
it used: on this kernel (6.18, ext4) the page cache holds a file in folios of up to 2 MB and a
fault maps the whole folio, so 300 questions mapped nearly all of every forward-index array
(~455 MB at a million sentences). Read with ``pread``, the pages stay in the kernel's page cache
(shared, dropped under memory pressure), and the process holds only the rows it asked for.
"""

from __future__ import annotations

import os
import weakref
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from retrieval.errors import IndexFormatError

Int64Array = NDArray[np.int64]


class StoredInts:
    """A 1-D integer array saved by ``np.save``, read on demand; read-only.

    ``rows`` and slices return fresh numpy arrays; ``np.asarray`` reads the whole array (what an
    index that grows by concatenation, or saves itself again, needs).
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
            self._fd = os.open(path, os.O_RDONLY)
        except (OSError, ValueError) as error:
            raise IndexFormatError(f"unreadable array {path}: {error}") from error
        weakref.finalize(self, os.close, self._fd)
        if len(shape) != 1 or fortran_order or dtype.kind not in "iu" or dtype.hasobject:
            raise IndexFormatError(f"{path} is not a one-dimensional integer array")
        self.dtype: np.dtype[Any] = dtype
        self._length = int(shape[0])
        if os.fstat(self._fd).st_size < self._offset + self._length * dtype.itemsize:
            raise IndexFormatError(f"{path} is shorter than its header says")

    def __len__(self) -> int:
        return self._length

    @property
    def shape(self) -> tuple[int]:
        return (self._length,)

    def __getitem__(self, key: slice) -> NDArray[Any]:
        start, stop, step = key.indices(self._length)
        if step != 1:
            raise ValueError("only contiguous slices are read")
        return self._read(start, max(start, stop))

    def rows(self, first: Int64Array, counts: Int64Array) -> NDArray[Any]:
        """Elements ``[first[r], first[r] + counts[r])`` of every row ``r``, concatenated in order.

        Rows that continue one another (a sentence and its neighbour) are read at once.
        """
        if len(first) == 0:
            return np.zeros(0, dtype=self.dtype)
        ends = first + counts
        cuts = np.flatnonzero(first[1:] != ends[:-1]) + 1
        starts = first[np.concatenate([[0], cuts])].tolist()
        stops = ends[np.concatenate([cuts - 1, [len(first) - 1]])].tolist()
        if len(starts) == 1:
            return self._read(starts[0], stops[0])
        size, offset, fd = self.dtype.itemsize, self._offset, self._fd
        data = b"".join(
            os.pread(fd, (stop - start) * size, offset + start * size)
            for start, stop in zip(starts, stops, strict=True)
        )
        return np.frombuffer(data, dtype=self.dtype)

    def _read(self, start: int, stop: int) -> NDArray[Any]:
        size = self.dtype.itemsize
        data = os.pread(self._fd, (stop - start) * size, self._offset + start * size)
        return np.frombuffer(data, dtype=self.dtype)

    def __array__(self, dtype: Any = None, copy: bool | None = None) -> NDArray[Any]:
        whole = self._read(0, self._length)
        return whole if dtype is None else whole.astype(dtype)
